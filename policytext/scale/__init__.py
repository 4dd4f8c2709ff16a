"""Corpora larger than memory, and work not done twice: the content-addressed cache (:mod:`.cache`), streaming
readers (:mod:`.sources`) and Parquet writers (:mod:`.sinks`), and Dask partitions (:mod:`.partitions`).
"""
