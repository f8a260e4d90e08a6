"""Shortcomings left from session 17, each fixed in session 18: national NACE variants' fifth
level (INSEE's NAF rév. 2, Statistik Austria's ÖNACE 2008), Stats SA's provinces across the
columns, one NACE level rule in Python and polars, GUS BDL's measure named by its variable, and
what detect says of codes without a level.  Each test writes the file in the layout the office
publishes (named in its docstring) and says what the user saw before."""

from __future__ import annotations

import pytest

from conftest import ingest_text

# --------------------------------------------------------------------------- one level rule

# (code, its NACE level): sections, runs and ranges of sections, divisions, groups, classes,
# the national subclasses, and near-misses (a letter pair out of the classification's order,
# an unused division, a division under another section's letter)
NACE_LEVELS = [
    ("10", 0),
    ("A", 1), ("C", 1), ("U", 1), ("B-E", 1), ("M_N", 1), ("B+D+E", 1), ("BDE", 1), ("GI", 1),
    ("AB", 1),
    ("C10", 2), ("U99", 2), ("C10-C12", 2), ("C10T12", 2), ("C31_C32", 2), ("E37-E39", 2),
    ("C10.1", 3), ("C10.11", 4),
    ("C10.11.1", 5), ("C10.11.11", 6),            # OKED / WZ 2008, OKVED2
    ("V", None), ("Z", None), ("US", None), ("DA", None), ("UA", None), ("TOTAL", None),
    ("A04", None), ("S10", None), ("C99", None), ("C1", None), ("C12-C10", None),
    ("C10.1.1", None), ("C10.11.111", None), ("C10.11-0", None),
]


def test_python_and_polars_level_rules_agree():
    """The polars level rule read any run of two to six letters A-U as a section aggregate:
    SCB's "US" (okänd verksamhet, the unknown sector) and Rev. 1.1's subsection "DA" were
    NACE sections at level 1 in an ingested table, while the Python rule the checks use said
    they are no code.  Both now give the levels of this hand-made table."""
    import polars as pl

    from clusterid import schema
    from clusterid.core import codes

    table = pl.DataFrame({schema.INDUSTRY: [c for c, _ in NACE_LEVELS],
                          schema.CLASSIFICATION: [schema.NACE] * len(NACE_LEVELS)})
    by_polars = table.select(codes.level_expr()).to_series().to_list()
    by_python = [codes.nace_level(c) for c, _ in NACE_LEVELS]
    expected = [lev for _, lev in NACE_LEVELS]
    assert by_python == expected
    assert by_polars == expected


# Statistics Sweden (SCB), RAMS in PX-Web saved "comma delimited with heading" with codes
# instead of texts: the title line, the year across, SNI 2007 sections and US (okänd
# verksamhet) for the unknown sector
SCB_CODES = '''\
"Förvärvsarbetande 16+ år med arbetsplats i regionen (dagbefolkning) (RAMS) efter region, näringsgren SNI 2007 och år"

"region","näringsgren SNI 2007","2022"
"01","C",59000
"01","F",70000
"01","US",31000
"03","C",17000
"03","F",12000
"03","US",3100
'''


def test_scb_unknown_sector_is_no_section(tmp_path, capsys):
    """SCB's "US" (the unknown sector) was read as a NACE section (level 1), summed into each
    county's section total and given an LQ as an industry.  It is now kept as an uncoded
    industry at no level, as SSB's "00 Uoppgitt" is."""
    code, err, rows = ingest_text(tmp_path, capsys, "AM0207_koder.csv", SCB_CODES)
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["classification"], r["level"]) for r in rows}
    assert got[("01", "C")] == ("NACE", "1")
    assert got[("01", "US")] == ("custom", "")
    assert "(US)" in err
