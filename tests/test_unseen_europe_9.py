"""European and post-Soviet statistical offices' files in layouts the other tests do not use
(session 9): each is a small file under tests/data/europe9/ written to the published layout
named in its test, run through the CLI as a user would (ingest, then lq / stats) and checked
against figures computed by hand in the test."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import run_main

DATA = Path(__file__).parent / "data" / "europe9"


def _ingest(capsys, src, out, *extra):
    code, _, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    assert code == 0, err
    with open(out, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _cells(rows, measure="employment"):
    return {(r["region"], r["industry"]): (r[measure], r[f"{measure}_status"], r["level"]) for r in rows}


def test_sdmx_csv_labels_both_headings_are_their_ids(tmp_path, capsys):
    # Eurostat SDMX-CSV 2.0 with labels=both (API ...?format=SDMX-CSV&labels=both): every heading
    # is 'ID: Name' ('OBS_VALUE: Observation value', 'geo: Geopolitical entity (reporting)'),
    # every cell 'code: label'.  It was refused: "no measure column recognised".
    rows = _ingest(capsys, DATA / "sbs_sdmx2_labels_both.csv", tmp_path / "o.csv")
    cells = _cells(rows)
    assert cells[("AT11", "C10")] == ("3100.0", "reported", "2")
    assert cells[("AT11", "C10-C12")] == ("3500.0", "reported", "2")
    # CONF_STATUS C with an empty value: suppressed, never 0
    assert cells[("AT12", "C11")] == ("", "suppressed", "2")
    assert {r["region_name"] for r in rows} == {"Burgenland", "Niederösterreich"}
    assert next(r for r in rows if r["industry"] == "C10" and r["region"] == "AT12")["employment_flag"] == "p"
    # stats: the division range C10-C12 is counted once, not beside its parts: C12 is not
    # listed, so the range is counted and C10, C11 are not (3500, not 3500 + 3100 + 400)
    code, out, err = run_main(["stats", str(tmp_path / "o.csv"), "--output-format", "csv"], capsys)
    assert code == 0, err
    st = {r["region"]: r for r in csv.DictReader(io.StringIO(out))}
    assert float(st["AT11"]["detail_reported"]) == 3500.0
    assert float(st["AT12"]["detail_reported"]) == 13500.0


def test_jsonstat_2_from_the_eurostat_api(tmp_path, capsys):
    # Eurostat's API answers in JSON-stat 2.0 by default (nama_10r_3empers, THS_PER, NUTS 3;
    # figures made up): 'value' and 'status' objects keyed by position, row-major over 'id'
    # (freq, unit, wstatus, nace_r2, geo, time), the unavailable F of AT111 only a ':' status.
    # It was refused: "malformed CSV: ',' expected after '\"'".
    out = tmp_path / "o.csv"
    rows = _ingest(capsys, DATA / "nama_10r_3empers_jsonstat2.json", out)
    cells = _cells(rows)
    assert cells[("AT111", "10")] == ("120500.0", "reported", "0")
    assert cells[("AT112", "B-E")] == ("70000.0", "reported", "1")
    assert cells[("AT111", "F")] == ("", "suppressed", "1")
    assert cells[("AT112", "G-J")] == ("95000.0", "reported", "1")
    assert len(rows) == 10
    by = {(r["region"], r["industry"]): r for r in rows}
    assert by[("AT111", "C")]["employment_flag"] == "p"
    assert by[("AT111", "10")]["region_name"] == "Mittelburgenland"
    assert by[("AT111", "10")]["region_level"] == "nuts3"
    # LQ of B-E in AT111 by hand: (30.2 / 120.5) / ((30.2 + 70) / (120.5 + 310))
    code, lq_out, err = run_main(["lq", str(out), "-o", "-"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader(io.StringIO(lq_out))}
    assert float(lq[("AT111", "B-E")]["lq"]) == pytest.approx((30.2 / 120.5) / (100.2 / 430.5), rel=1e-6)
    assert float(lq[("AT112", "F")]["lq"]) == pytest.approx((20 / 310) / (20 / 430.5), rel=1e-6)
