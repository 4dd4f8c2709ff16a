"""Tagging segments and documents by a codebook: codebooks (:mod:`.codebook`), the rule tagger (:mod:`.rules`),
the :class:`~policytext.PolicyClassifier` estimator (:mod:`.estimator`, built from :mod:`.features`), document
tags (:mod:`.tagging`), training (:mod:`.train`), evaluation (:mod:`.evaluate`), active learning
(:mod:`.active`), model folders (:mod:`.folder`, :mod:`.models`) and the annotated set (:mod:`.annotations`).
"""
