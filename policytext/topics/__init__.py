"""Topic models: :class:`~policytext.TopicModel` (:mod:`.model`), its input preparation (:mod:`.inputs`), coherence
(:mod:`.coherence`), choosing K (:mod:`.select`) and topics over time (:mod:`.dynamic`).
"""
