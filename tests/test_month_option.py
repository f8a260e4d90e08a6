"""--month says which month of QCEW's monthly employment is read; a raw file without month
columns (a generic table, CBP, Eurostat) has none to choose, and the option was silently
ignored: refused as a usage error saying why.  The generic reader does read QCEW's month
columns (month1_emplvl .., "January Employment" ..): there --month still chooses."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import TEST_DATA, run_main

GENERIC = str(TEST_DATA / "generic" / "thousands_us.csv")
CBP = str(TEST_DATA / "cbp" / "cbp16co_excerpt.txt")


def _refused(argv, capsys, *words):
    code, out, err = run_main(argv, capsys)
    assert code == 2 and out == "", (code, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err


@pytest.mark.parametrize("path, adapter", [(GENERIC, "generic"), (CBP, "cbp")])
@pytest.mark.parametrize("command", [["ingest"], ["lq"]])
def test_month_for_a_file_without_months_is_refused(capsys, tmp_path, command, path, adapter):
    out = tmp_path / "out.csv"
    _refused([*command, path, "-o", str(out), "--month", "2"], capsys,
             "--month 2:", f"read as {adapter}", "only QCEW's monthly employment has months")
    assert not out.exists()


def test_month_default_and_month_columns_still_read(capsys, tmp_path):
    code, _, err = run_main(["ingest", GENERIC, "-o", str(tmp_path / "a.csv")], capsys)
    assert code == 0, err
    p = tmp_path / "months.csv"
    p.write_text("area_fips,industry_code,year,qtr,month1_emplvl,month2_emplvl,month3_emplvl\n"
                 "49001,10,2016,1,10,20,33\n49003,10,2016,1,10,12,30\n")
    code, out, err = run_main(["ingest", str(p), "-o", "-", "--month", "3"], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["region"], float(r["employment"])) for r in rows] == [("49001", 33), ("49003", 30)]


def test_month_beyond_the_files_month_columns_is_refused(capsys, tmp_path):
    # two months given: --month 3 fell back to their average without a word
    p = tmp_path / "two_months.csv"
    p.write_text("area_fips,industry_code,year,qtr,January Employment,February Employment\n"
                 "49001,10,2016,1,10,20\n")
    _refused(["ingest", str(p), "-o", "-", "--month", "3"], capsys,
             "--month 3:", "2 month columns")
