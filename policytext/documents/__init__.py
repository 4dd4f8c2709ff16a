"""The grammar of Chinese official documents: 发文字号 (:mod:`.numbers`), the notice header with its dates
and genre (:mod:`.header`), and the citations between documents (:mod:`.citations`, :mod:`.network`).

This is the lowest stage: it parses strings and document tables and imports no other stage, so
:mod:`policytext.corpus` can use it to infer a document's metadata from its text. A Corpus is accepted by
what it offers (``to_frame()``), not by its class.
"""
