"""Region levels: one vocabulary for the adapters, and ``--region-level`` as a row selection.

The adapters that know the level of each region write it in ``region_level`` (QCEW from
``agglvl_code``, CBP from the file's geography, Eurostat from the NUTS code's length, a generic
table from a region-level column).  ``--region-level`` then keeps the rows of the levels asked
for -- one file or a glob that mixes counties, states and metro areas gives one level -- and
counts the others as dropped.  A table that carries no level is labelled with the one given.
"""

from __future__ import annotations

import re

from clusterid import schema
from clusterid.errors import DataError, Problem, UsageError

# spellings met in files and on command lines -> the canonical name the adapters write
ALIASES = {
    "nation": "nation", "national": "nation", "us": "nation", "u.s.": "nation",
    "usa": "nation", "national total": "nation",
    "ctry": "nation",  # the OECD's TERRITORIAL_LEVEL: CTRY over TL2 (large) and TL3 (small regions)
    "state": "state", "states": "state", "statewide": "state",
    "county": "county", "counties": "county",
    "msa": "msa", "metro": "msa", "metropolitan": "msa", "metro area": "msa",
    # metropolitan and micropolitan areas together, as CBP's metro files and Census's summary
    # level 310 hold them where nothing says which (once an alias of msa: the micro areas
    # passed for metro ones)
    "cbsa": "cbsa", "cbsas": "cbsa",
    "csa": "csa", "combined": "csa",
    "microsa": "microsa", "micro": "microsa", "micropolitan": "microsa",  # QCEW agglvl 80
    "national subgroup": "national-subgroup",  # QCEW's USCMS, USMSA, USNMS
    # German region keys (AGS)
    "laender": "land", "länder": "land", "bundesland": "land", "kreise": "kreis",
    "gemeinden": "gemeinde", "gemeindeverbaende": "gemeindeverband", "gemeindeverbände": "gemeindeverband",
    # INSEE's Melodi (GEO_OBJECT): the whole country
    "france": "nation", "pays": "nation",
}
REASON = "region level not selected: {}"


def canonical(level: str | None) -> str | None:
    """The canonical spelling of one level (unknown levels lower-cased and kept: nuts2 ...)."""
    if level is None:
        return None
    text = " ".join(str(level).strip().lower().replace("_", " ").split())
    if not text:
        return None
    if (tl := re.fullmatch(r"(?:large|small)\s+regions\s*\((tl[23])\)", text)):
        # OECD.Stat's "Territory Level and Typology": "Large regions (TL2)", "Small regions (TL3)"
        return tl.group(1)
    return ALIASES.get(text, text.replace(" ", ""))


def selected(option: str | None) -> list[str]:
    """The levels of ``--region-level`` (comma-separated allowed), canonical, in order."""
    if option is None:
        return []
    out = []
    for part in str(option).split(","):
        level = canonical(part)
        if level and level not in out:
            out.append(level)
    if not out:
        raise UsageError(f"--region-level {option!r}: give a level, e.g. county, state, msa, nation")
    return out


def label_for_unlevelled(option: str | None) -> str | None:
    """The level to record on a table that carries none (one level, or nothing)."""
    levels = selected(option)
    if len(levels) > 1:
        raise UsageError(f"--region-level {option}: this table has no region-level column, so "
                         "the option labels its rows and takes one level")
    return levels[0] if levels else None


def none_at_level(levels: list[str], present, where: str) -> Problem:
    """The problem of an input without a row at the ``levels`` asked for: it names the levels
    ``present`` (the input's own, 'unknown' for rows without one)."""
    return Problem(
        f"no rows at region level {', '.join(levels)}", path=where, column=schema.REGION_LEVEL,
        expected=", ".join(levels), found="levels " + ", ".join(sorted(set(present))),
        hint="choose one of the levels found, or leave out --region-level")


def select(df, option: str | None, dropped: dict[str, int], where: str, empty_ok: bool = False):
    """Keep the rows of the levels ``option`` names; count the others in ``dropped``.

    Rows whose level is unknown (null) are dropped too when a level is asked for: they are not
    known to be of that level.  Raises :class:`DataError` when no row is of the levels asked
    for, naming the levels the input has (:func:`none_at_level`) -- unless ``empty_ok`` (a part
    of an input ingested in parts: the state-level files of a glob, whose other parts hold the
    counties), then the rows are all dropped and counted.
    """
    import polars as pl

    levels = selected(option)
    if not levels or df.height == 0:
        return df
    col = pl.col(schema.REGION_LEVEL)
    keep = col.is_in(levels).fill_null(False)
    counts = df.filter(~keep).group_by(schema.REGION_LEVEL).len()
    if counts.height == 0:
        return df
    kept = df.filter(keep)
    if kept.height == 0 and not empty_ok:
        present = [str(v) if v is not None else "unknown"
                   for v in df.get_column(schema.REGION_LEVEL).unique().to_list()]
        raise DataError(problems=[none_at_level(levels, present, where)])
    for level, n in counts.iter_rows():
        reason = REASON.format(level if level is not None else "unknown")
        dropped[reason] = dropped.get(reason, 0) + int(n)
    return kept
