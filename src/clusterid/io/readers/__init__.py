"""Readers: one module per source layout, each with ``sniff`` and ``read`` (the contract is in
:mod:`clusterid.io.ingest`).  ``text`` holds the shared decoding and number parsing,
``generic`` reads any long or wide table (CSV/TSV, gzip, xlsx/xls/xlsb/ods via ``excel``,
Parquet); ``generic_headings``, ``generic_raw``, ``generic_plan``, ``generic_post`` and
``generic_blocks`` are its parts (no adapters of their own; see ``generic``'s docstring).
"""
