"""National statistical offices' regional employment tables the project had not been run on
(crash hunt, session 17: SSB, Statistics Finland, INSEE, ISTAT): each test writes the file in
the layout the office's download gives (headings, codes, title lines) and reads it with ingest
and lq, the figures checked by hand."""

from __future__ import annotations

from conftest import csv_rows, ingest_text, run_main


def _lq(tmp_path, capsys, name: str, text: str, *extra) -> dict:
    """``clusterid lq`` straight from the raw table: {(region, industry): row}."""
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _out, err = run_main(["lq", str(src), "-o", str(out), *extra], capsys)
    assert code == 0, err
    return {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}


# Statistics Norway (SSB), StatBank table 07984 as "semicolon separated with heading", the
# year chosen alone and so written in the title after the table's name; næring (SN2007) is
# the Norwegian NACE Rev. 2
SSB_ONE_YEAR = '''\
"07984: Sysselsatte per 4. kvartal, etter region, næring (SN2007) og statistikkvariabel, 2022"

"region";"næring (SN2007)";"Sysselsatte"
"03 Oslo";"C Industri";11000
"46 Vestland";"C Industri";30000
'''


def test_a_classification_edition_in_the_title_is_no_period(tmp_path, capsys):
    """"næring (SN2007)" in SSB's title was read as the table's year: with 2022 beside it the
    title named two years and the table was refused; without it every row was dated 2007,
    silently.  An edition of SN, SNI, TOL, ATECO, NAF or PKD is no period, as WZ 2008's is not."""
    measure = ("--measure-col", "employment=Sysselsatte")
    code, err, rows = ingest_text(tmp_path, capsys, "07984.csv", SSB_ONE_YEAR, *measure)
    assert code == 0, err
    assert {r["period"] for r in rows} == {"2022"}
    edition_only = SSB_ONE_YEAR.replace(" og statistikkvariabel, 2022", " og statistikkvariabel")
    code, err, rows = ingest_text(tmp_path, capsys, "07984b.csv", edition_only, *measure)
    assert code == 1 and "--period" in err and "2007" not in err.replace("SN2007", ""), err
