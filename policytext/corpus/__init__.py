"""From files or tables to a :class:`~policytext.Corpus`: reading formats and encodings (:mod:`.files`), gathering
folders, tables and side tables (:mod:`.gather`), metadata columns (:mod:`.metadata`), cleaning
(:mod:`.clean`, :mod:`.boilerplate`), segmenting (:mod:`.segment`), the Corpus itself (:mod:`.corpus`) and the
data home with its registered corpora (:mod:`.datahome`).
"""
