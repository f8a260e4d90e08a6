"""CBP national (U.S.) files on small files written to Census's U.S. record layouts.

Layouts (Census "U.S. record layouts"; the national file has no geography column):

* ``cbp15us_excerpt.txt`` -- 2008-2017 U.S. layout (``lfo`` added in 2008, ``empflag`` kept),
  headings in upper case as in the 2015 file: ``NAICS, LFO, EMPFLAG, EMP_NF, EMP, QP1_NF, QP1,
  AP_NF, AP, EST, N1_4 ... N1000_4``.
* ``cbp21us_excerpt.txt`` -- 2018+ U.S. layout (no ``empflag``, ``n<5``).
* a file with employment-size classes as rows (``empszes``, coded as the Census API does:
  ``001`` all establishments, ``212`` 1-4 employees ...), written in the test.

Values are illustrative (rounded to plausible national magnitudes), not copied from Census.
"""

from __future__ import annotations

import csv

import polars as pl
import pytest

from clusterid import schema
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import cbp
from conftest import TEST_DATA

CBP = TEST_DATA / "cbp"
EMP_S = schema.status_col(schema.EMPLOYMENT)


def rows_of(name):
    with open(CBP / name, newline="") as fh:
        return [{k.lower(): v for k, v in r.items()} for r in csv.DictReader(fh)]


def test_sniffed_as_cbp_without_a_geography_column():
    for name in ("cbp15us_excerpt.txt", "cbp21us_excerpt.txt"):
        with open(CBP / name, newline="") as fh:
            header = next(csv.reader(fh))
        assert cbp.sniff(header, b"")
    # a generic table with an employment column named emp is not claimed
    assert not cbp.sniff(["region", "naics", "year", "emp", "est", "ap"], b"")


def test_2008_2017_layout_keeps_all_legal_forms_as_the_nation():
    res = cbp.read([str(CBP / "cbp15us_excerpt.txt")], IngestOptions())
    df = res.frame.collect()
    raw = rows_of("cbp15us_excerpt.txt")
    all_lfo = [r for r in raw if r["lfo"] == "-"]
    assert res.rows_read == len(raw) == 10
    assert df.height == len(all_lfo) == 8
    assert res.dropped == {cbp.REASON_LFO: 2}
    assert set(df[schema.REGION]) == {"US000"} and set(df[schema.REGION_LEVEL]) == {"nation"}
    assert set(df[schema.PERIOD]) == {"2015"}  # from the name cbp15us
    assert res.notes[0].endswith("CBP nation file, 2007-2016 layout, period 2015")
    reported = [r for r in all_lfo if not r["empflag"]]
    assert df[schema.EMPLOYMENT].sum() == sum(int(r["emp"]) for r in reported)
    assert df[schema.ESTABLISHMENTS].sum() == sum(int(r["est"]) for r in all_lfo)
    by = {r[schema.INDUSTRY]: r for r in df.iter_rows(named=True)}
    assert by["10"][schema.EMPLOYMENT] == 124085947 and by["10"][schema.LEVEL] == 0
    assert by["10"][schema.WAGES] == 6253488252 * 1000
    assert by["31-33"][schema.LEVEL] == 2 and by["3364"][schema.LEVEL] == 4
    withheld = by["212111"]  # empflag E: 250-499, the published 0 is not data
    assert withheld[schema.EMPLOYMENT] is None and withheld[EMP_S] == schema.SUPPRESSED
    assert (withheld[schema.lower_col(schema.EMPLOYMENT)],
            withheld[schema.upper_col(schema.EMPLOYMENT)]) == (250, 499)


def test_2018_layout_noise_flags_and_withheld_d():
    res = cbp.read([str(CBP / "cbp21us_excerpt.txt")], IngestOptions())
    df = res.frame.collect()
    assert res.dropped == {cbp.REASON_LFO: 1} and df.height == 6
    assert res.notes[0].endswith("CBP nation file, 2017+ layout, period 2021")
    by = {r[schema.INDUSTRY]: r for r in df.iter_rows(named=True)}
    assert by["21"][schema.flag_col(schema.EMPLOYMENT)] == "H"
    d = by["211120"]
    assert d[schema.EMPLOYMENT] is None and d[EMP_S] == schema.SUPPRESSED
    assert d[schema.WAGES] is None and d[schema.ESTABLISHMENTS] == 6441
    assert by["44-45"][schema.EMPLOYMENT] == 15802771


def test_size_class_rows_are_parts_of_the_all_sizes_row(tmp_path):
    p = tmp_path / "cbp21us.txt"
    p.write_text(
        '"naics","lfo","empszes","emp_nf","emp","qp1_nf","qp1","ap_nf","ap","est"\n'
        '"------","-","001","G",1000,"G",90,"G",400,50\n'
        '"------","-","212","G",100,"G",9,"G",40,30\n'
        '"------","-","220","G",900,"G",81,"G",360,20\n'
        '"------","C","001","G",700,"G",60,"G",300,20\n'
        '"31----","-","001","G",200,"G",20,"G",90,5\n'
        '"31----","-","212","G",20,"G",2,"G",9,3\n')
    res = cbp.read([str(p)], IngestOptions())
    df = res.frame.collect()
    assert res.rows_read == 6
    assert res.dropped == {cbp.REASON_LFO: 1, cbp.REASON_SIZE: 3}
    assert dict(df.select(schema.INDUSTRY, schema.EMPLOYMENT).iter_rows()) == {"10": 1000, "31-33": 200}


def test_national_file_ingested_with_a_county_file_keeps_levels_apart():
    df, meta = ingest([str(CBP / "cbp16co_excerpt.txt"), str(CBP / "cbp15us_excerpt.txt")],
                      IngestOptions())
    assert meta["adapters"] == ["cbp"]
    levels = dict(df.group_by(schema.REGION_LEVEL).len().iter_rows())
    assert levels == {"county": 13, "nation": 8}


def test_unknown_flag_in_the_national_file_is_located(tmp_path):
    lines = (CBP / "cbp21us_excerpt.txt").read_text().splitlines()
    lines[3] = lines[3].replace('"-","G",158422', '"-","Q",158422')
    p = tmp_path / "cbp21us.txt"
    p.write_text("\n".join(lines) + "\n")
    from clusterid.errors import DataError

    with pytest.raises(DataError) as err:
        ingest([str(p)], IngestOptions())
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.found) == (4, "emp_nf", "Q")


def test_cli_reads_the_national_file(tmp_path):
    from typer.testing import CliRunner

    from clusterid.cli.app import app

    out = tmp_path / "us.csv"
    r = CliRunner().invoke(app, ["ingest", str(CBP / "cbp21us_excerpt.txt"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    df = pl.read_csv(out, infer_schema_length=0)
    assert set(df[schema.REGION]) == {"US000"} and df.height == 6
