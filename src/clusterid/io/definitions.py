"""Reading cluster definitions: the bundled USCMP tables, or a user CSV file.

``--definitions uscmp`` (NAICS vintage chosen from the data's year), ``uscmp:2007`` (a vintage
named), or a path to a CSV with columns ``industry, cluster [, cluster_name, type]``.
"""

from __future__ import annotations

import functools
from importlib import resources

from clusterid.core import definitions as core_defs
from clusterid.errors import DataError, Problem

USCMP = "uscmp"


def _bundled(name: str):
    import polars as pl

    ref = resources.files("clusterid") / "data" / name
    with resources.as_file(ref) as path:
        return pl.read_csv(path, glob=False, infer_schema_length=0)


def load_uscmp(vintage: str = "2012") -> core_defs.Definitions:
    """The bundled US Cluster Mapping Project definitions for a NAICS vintage."""
    return core_defs.uscmp_from_tables(_bundled("uscmp_naics_to_cluster.csv"),
                                       _bundled("uscmp_clusters.csv"),
                                       _bundled("naics_2012_2017_changes.csv"), vintage,
                                       _bundled("naics_2017_2022_changes.csv"))


def classification_titles(classification: str | None) -> dict[str, str]:
    """Official titles of a classification's codes, from the bundled tables: NAICS 2012 codes
    of two to six digits (``naics_2012_titles.csv``: BLS's QCEW titles, the USCMP definitions'
    for six-digit codes QCEW's file lacks), NACE Rev. 2 sections and divisions
    (``nace_r2_titles.csv``), NACE Rev. 1.1 (:data:`clusterid.core.codes.NACE_R11_TITLES`).
    Empty for other classifications.  Used where the input has no title for a code (QCEW's
    single-file layout, a national office's table of codes only) so that clusters get readable
    names.  A fresh dict each call (the caller may add to it); each table is read once."""
    return dict(_titles(classification))


@functools.lru_cache(maxsize=None)
def _titles(classification: str | None) -> dict[str, str]:
    from clusterid import schema
    from clusterid.core import codes

    if classification == schema.NAICS:
        table = _bundled("naics_2012_titles.csv")
        return dict(zip(table["code"].to_list(), table["title"].to_list()))
    if classification == schema.NACE:
        table = _bundled("nace_r2_titles.csv")
        titles = dict(zip(table["code"].to_list(), table["title"].to_list()))
        # Eurostat's aggregates (B-E, M_N, C10-C12, J62_J63) as the input joins their parts:
        # with '-' or '_' (M_N reads as M-N from a generic table, as M_N from Eurostat's)
        for code, title in list(titles.items()):
            for a, b in (("-", "_"), ("_", "-")):
                titles.setdefault(code.replace(a, b), title)
        return titles
    if classification == schema.NACE_R11:
        return dict(codes.NACE_R11_TITLES)
    return {}


def is_uscmp(spec: str) -> bool:
    return spec == USCMP or spec.startswith(USCMP + ":")


def load_definitions(spec: str, *, year: int | None = None) -> core_defs.Definitions:
    """``uscmp``, ``uscmp:<vintage>`` or a CSV path -> Definitions.

    For plain ``uscmp`` the vintage is the one US statistics used in ``year`` (2012 when no
    year is known).
    """
    if is_uscmp(spec):
        if ":" in spec:
            vintage = spec.split(":", 1)[1]
        else:
            vintage = core_defs.vintage_for_year(year) if year is not None else "2012"
        return load_uscmp(vintage)
    return read_definitions_file(spec)


def read_definitions_file(path: str) -> core_defs.Definitions:
    import polars as pl

    from clusterid.io.ingest import table_separator
    from clusterid.io.tables import check_readable

    check_readable(path)
    try:
        sep = table_separator(path)
        table = pl.read_csv(path, glob=False, infer_schema_length=0, separator=sep, n_rows=0)
    except Exception as exc:  # noqa: BLE001 - polars raises many types for a bad CSV
        raise DataError(problems=[Problem("not a readable CSV file", path=path,
                                          found=str(exc).splitlines()[0])]) from exc
    from clusterid.io.tables import check_plain_table

    check_plain_table(path, path, sep, 1, len(table.columns), "a definitions table")
    try:
        table = pl.read_csv(path, glob=False, infer_schema_length=0, separator=sep)
    except Exception as exc:  # noqa: BLE001 - polars raises many types for a bad CSV
        raise DataError(problems=[Problem("not a readable CSV file", path=path,
                                          found=str(exc).splitlines()[0])]) from exc
    return core_defs.from_table(table, path=path, name="file")
