"""Text to tokens and counts: the :class:`~policytext.Tokenizer` (:mod:`.tokenize`), the digital-government
lexicon and stopwords (:mod:`.lexicon`), and term counts: trends, KWIC, first appearance and the
document-term matrix (:mod:`.counts`).
"""
