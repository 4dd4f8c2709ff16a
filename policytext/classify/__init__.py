"""Tagging segments and documents by a codebook: codebooks (:mod:`.codebook`), the rule tagger (:mod:`.rules`),
the :class:`~policytext.PolicyClassifier` estimator (:mod:`.estimator`, built from :mod:`.features` and the
document context of :mod:`.context`), document tags (:mod:`.tagging`), training (:mod:`.train`), evaluation
(:mod:`.evaluate`, and for schemes with a residual code :mod:`.scoring`), self-training (:mod:`.selftrain`),
active learning (:mod:`.active`), model folders (:mod:`.folder`, :mod:`.models`) and the annotated set (:mod:`.annotations`).
"""
