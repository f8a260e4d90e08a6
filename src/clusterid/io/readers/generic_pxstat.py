"""The CSO's PxStat CSV downloads (data.cso.ie, Ireland) for the generic reader (:mod:`.generic`).

PxStat writes each classification of a table as two columns, its codes under the
classification's id and version (``C02196V02652``) and their labels under the classification's
name right of them (``Region``), the time the same way (``TLIST(Q1)`` then ``Quarter``), then
``UNIT`` and ``VALUE``::

    "STATISTIC","Statistic Label","TLIST(Q1)","Quarter","C02196V02652","Region",
    "C02665V03225","NACE Rev 2 Economic Sector","UNIT","VALUE"
    "QLF18C01","Persons aged 15 years and over in Employment","20234","2023Q4","-","State",
    "-","All NACE economic sectors","Thousand","2710.1"

A classification's all-categories member has the code ``-`` (``State`` above the regions,
``All NACE economic sectors`` above the sectors, ``Both sexes``).  Read as a plain table the
code columns were no columns (headings of no word), so the regions were keyed by their labels
with ``State`` one region beside the regions it is the sum of (every LQ 1.0, the benchmark
counting each worker twice), and ``All NACE economic sectors`` an industry of no code, not the
total.

Here, before the columns are planned: the code column of an industry classification is headed
``<name> code`` (``NACE Rev 2 Economic Sector code``: ``F``, ``B-E``), its labels ``<name>
name``; a region classification's codes are the regions when they are NUTS codes (``IE041``,
headed ``NUTS code``: the levels nuts0-nuts3 follow), else the regions stay keyed by
their labels (``Carlow``), as before.  The ``-`` code is ``Total`` (in the label column for
regions keyed by label), so the regions' total is a region total (dropped and counted, or kept
with ``--keep-region-totals`` as the nation), and the sectors' total is all industries; among
NUTS codes it is the country's (``IE``, NUTS 0, the level above the regions).  The
other classifications (sex, age) keep their labels, whose all-categories member the reader
knows (``Both sexes``).
"""

from __future__ import annotations

import re

# a PxStat classification's id and version, the heading of its code column
_CLASSIFICATION_ID = re.compile(r"^C\d{4,6}V\d{4,6}$")
_TOTAL_CODE = "-"
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def is_pxstat(header: list[str]) -> bool:
    """Whether ``header`` is a PxStat CSV's: a ``STATISTIC`` and a ``VALUE`` column (its JSON-stat
    read as a table: ``OBS_VALUE``) and at least one classification's code column
    (``C02196V02652``) with a heading right of it."""
    heads = [(h or "").strip() for h in header]
    return "STATISTIC" in heads and ("VALUE" in heads or "OBS_VALUE" in heads) and any(
        _CLASSIFICATION_ID.match(h) and j + 1 < len(heads) and heads[j + 1]
        and not _CLASSIFICATION_ID.match(heads[j + 1]) for j, h in enumerate(heads))


def pxstat_frame(df, header: list[str], header_map: dict):
    """``(df, header, header_map, renamed)``: a PxStat CSV's region and industry code columns
    headed as such and their ``-`` the total (see the module docstring); the table as it is
    when it is none.  ``renamed``: the classification ids headed anew, ``{id: heading}``."""
    import polars as pl

    from clusterid.io.readers.generic_headings import role_of

    if not is_pxstat(header):
        return df, header, header_map, {}
    header, header_map, renamed = list(header), dict(header_map), {}
    taken = set(header)
    for j, h in enumerate(list(header)):
        if not _CLASSIFICATION_ID.match((h or "").strip()) or j + 1 >= len(header):
            continue
        label = header[j + 1]
        code_head, name_head = f"{label} code", f"{label} name"
        kind = role_of(code_head)
        if kind not in ("region_code", "industry_code") or code_head in taken:
            continue  # sex, age ...: their labels hold the all-categories member
        col = header_map[h]
        is_total = pl.col(col).str.strip_chars() == _TOTAL_CODE
        if kind == "region_code":
            given = [v.strip() for v in df.get_column(col).drop_nulls().unique().to_list()
                     if v.strip() != _TOTAL_CODE]
            if not given or not all(_NUTS.match(v) for v in given) or len({v[:2] for v in given}) != 1:
                # a county's or town's own code: the regions stay keyed by their labels, the
                # all-regions member ("State") named a total
                at = header_map[label]
                df = df.with_columns(pl.when(is_total).then(pl.lit("Total")).otherwise(pl.col(at)).alias(at))
                continue
            code_head = "NUTS code"  # (read as NUTS codes, their levels given)
            if code_head in taken:
                continue
        relabel = role_of(label) == kind and role_of(name_head) == kind.replace("_code", "_name") \
            and name_head not in taken
        header_map.pop(h)
        header[j], header_map[code_head] = code_head, col
        renamed[h] = code_head
        if relabel:  # "NACE Rev 2 Economic Sector" reads as a code column itself
            header_map[name_head] = header_map.pop(label)
            header[j + 1] = name_head
        # (the all-regions member of NUTS regions is their country, NUTS 0: IE for the State)
        total = given[0][:2] if kind == "region_code" else "Total"
        df = df.with_columns(pl.when(is_total).then(pl.lit(total)).otherwise(pl.col(col)).alias(col))
    return df, header, header_map, renamed
