"""QCEW adapter on the real BLS files in ../shared/data, checked against the csv module.

Layouts covered: by-area quarterly files with titles (Utah), the statewide concatenated file
(single-file layout, Q1 only), the gzip sample in data/samples (single-file layout, gzip), and
the open-data annual area slice without titles (tests/data/qcew, written in that layout).
"""

from __future__ import annotations

import csv
import io
import glob
import gzip
from collections import Counter, defaultdict
from pathlib import Path

import polars as pl
import pytest

from clusterid import schema
from clusterid.errors import DataError, UsageError
from clusterid.io.ingest import IngestOptions
from clusterid.io.readers import qcew
from conftest import SAMPLES, TEST_DATA, shared_path

UTAH = "qcew_utah_2016q"
BEAVER = "2016.q1-q4 49001 Beaver County, Utah.csv"
ANNUAL_SLICE = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
SAMPLE = SAMPLES / "qcew_utah_2016_counties.csv.gz"


def utah_files() -> list[str]:
    folder = shared_path(UTAH)
    files = sorted(glob.glob(str(folder / "2016.q1-q4 490[0-9][0-9] *.csv")))
    assert len(files) == 30  # the statewide file and the 29 counties
    return files


def collect(paths, **opts):
    res = qcew.read([str(p) for p in paths], IngestOptions(**opts))
    return res, res.frame.collect()


def csv_reference(path: Path, owners=("0", "5"), month="1"):
    """The obvious reading of a QCEW file with the csv module: kept rows, drops, sums
    (``emp`` for ``month``; ``emp1``..``emp3`` for every month)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    kept = 0
    drops: Counter = Counter()
    suppressed = 0
    emp = estabs = wages = 0
    by_month = {"1": 0, "2": 0, "3": 0}
    with opener(path, "rt", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            agg = row["agglvl_code"]
            if row["size_code"] != "0":
                drops["size"] += 1
            elif row["own_code"] not in owners:
                drops["own"] += 1
            elif agg[-1] in "23":
                drops["domain"] += 1
            else:
                kept += 1
                estabs += int(row["qtrly_estabs_count"])
                if row["disclosure_code"] == "N":
                    suppressed += 1
                else:
                    emp += int(row[f"month{month}_emplvl"])
                    for m in by_month:
                        by_month[m] += int(row[f"month{m}_emplvl"])
                    wages += int(row["total_qtrly_wages"])
    return {"kept": kept, "drops": drops, "suppressed": suppressed, "emp": emp,
            "estabs": estabs, "wages": wages, **{f"emp{m}": v for m, v in by_month.items()}}


def test_sniff_recognises_qcew_headers_only():
    header = qcew.read_header(str(shared_path(UTAH, BEAVER)))
    assert qcew.sniff(header, b"")
    assert qcew.sniff(qcew.read_header(str(ANNUAL_SLICE)), b"")
    assert not qcew.sniff(["fipstate", "fipscty", "naics", "emp"], b"")


def test_county_file_counts_and_totals_match_csv_module():
    path = shared_path(UTAH, BEAVER)
    ref = csv_reference(path)
    res, df = collect([path], month="1")
    assert df.height == ref["kept"]
    assert res.rows_read == ref["kept"] + sum(ref["drops"].values())
    dropped = res.dropped
    assert dropped[qcew.REASON_DOMAIN] == ref["drops"]["domain"]
    assert sum(v for k, v in dropped.items() if k.startswith("ownership")) == ref["drops"]["own"]
    assert qcew.REASON_SIZE not in dropped and ref["drops"]["size"] == 0
    emp_status = schema.status_col(schema.EMPLOYMENT)
    assert (df[emp_status] == schema.SUPPRESSED).sum() == ref["suppressed"]
    assert df[schema.EMPLOYMENT].sum() == ref["emp"]
    assert df[schema.ESTABLISHMENTS].sum() == ref["estabs"]
    assert df[schema.WAGES].sum() == ref["wages"]


def test_statewide_single_file_counts_and_totals():
    path = shared_path("qcew_states_2016q1", "qcew_2016q1_statewide_total_and_private.csv")
    ref = csv_reference(path)
    res, df = collect([path], month="2")
    assert df.height == ref["kept"]
    assert (df[schema.status_col(schema.WAGES)] == schema.SUPPRESSED).sum() == ref["suppressed"]
    assert df[schema.EMPLOYMENT].sum() == ref["emp2"]
    assert df[schema.WAGES].sum() == ref["wages"]
    # codes keep their leading zeros; 49 states + DC + PR + VI minus CA and TX
    assert "01000" in set(df[schema.REGION])
    assert set(df[schema.REGION_LEVEL]) == {"state"}
    assert set(df[schema.PERIOD]) == {"2016Q1"}


def test_suppressed_cells_are_null_never_zero_and_keep_establishments():
    _, df = collect([shared_path(UTAH, BEAVER)])
    hidden = df.filter(pl.col(schema.status_col(schema.EMPLOYMENT)) == schema.SUPPRESSED)
    assert hidden.height > 0
    assert hidden[schema.EMPLOYMENT].null_count() == hidden.height
    assert hidden[schema.WAGES].null_count() == hidden.height
    assert set(hidden[schema.flag_col(schema.EMPLOYMENT)]) == {"N"}
    assert (hidden[schema.ESTABLISHMENTS] > 0).all()
    assert (hidden[schema.status_col(schema.ESTABLISHMENTS)] == schema.REPORTED).all()


def test_keys_levels_and_labels():
    _, df = collect([shared_path(UTAH, BEAVER)])
    row = df.filter((pl.col(schema.INDUSTRY) == "10") & (pl.col(schema.PERIOD) == "2016Q1")
                    & (pl.col(schema.OWNERSHIP) == schema.OWNERSHIP_TOTAL)).row(0, named=True)
    assert row[schema.REGION] == "49001"
    assert row[schema.REGION_NAME] == "Beaver County, Utah"
    assert row[schema.REGION_LEVEL] == "county"
    assert row[schema.LEVEL] == 0
    assert row[schema.CLASSIFICATION] == schema.NAICS
    assert row[schema.INDUSTRY_NAME] == "Total, all industries"
    # Beaver 2016Q1 total covered: 233 establishments, months 2779, 2789, 2817 (raw file line 2)
    assert row[schema.ESTABLISHMENTS] == 233
    assert row[schema.EMPLOYMENT] == pytest.approx((2779 + 2789 + 2817) / 3)
    assert row[schema.WAGES] == 23585569
    levels = dict(df.select(schema.INDUSTRY, schema.LEVEL).unique().iter_rows())
    assert levels["31-33"] == 2 and levels["236"] == 3 and levels["112111"] == 6
    assert not any(code.startswith("10") and len(code) > 2 for code in levels)  # no domains
    assert set(df[schema.OWNERSHIP]) == {"total", "private"}
    assert not any(c.startswith("lq_") for c in df.columns)


def test_month_choice():
    path = shared_path(UTAH, BEAVER)
    ref = csv_reference(path)
    for month in ("1", "2", "3"):
        _, df = collect([path], month=month)
        assert df[schema.EMPLOYMENT].sum() == ref["emp" + month]
    with pytest.raises(UsageError):
        collect([path], month="13")


def test_ownership_option():
    path = shared_path(UTAH, BEAVER)
    res, df = collect([path], ownership=("private",))
    assert set(df[schema.OWNERSHIP]) == {"private"}
    _, every = collect([path], ownership=("all",))
    assert {"federal", "state", "local", "private", "total"} <= set(every[schema.OWNERSHIP])
    _, by_code = collect([path], ownership=("3",))
    assert set(by_code[schema.OWNERSHIP]) == {"local"}
    with pytest.raises(UsageError):
        collect([path], ownership=("martian",))


def test_annual_average_from_quarters():
    path = shared_path(UTAH, BEAVER)
    _, df = collect([path], month="annual")
    assert set(df[schema.PERIOD]) == {"2016"}
    # reference: the 12 monthly levels / 12, wages summed, over rows of the raw file
    months: dict = defaultdict(int)
    wages: dict = defaultdict(int)
    hidden = set()
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["own_code"], row["industry_code"])
            if row["disclosure_code"] == "N":
                hidden.add(key)
            months[key] += sum(int(row[f"month{m}_emplvl"]) for m in "123")
            wages[key] += int(row["total_qtrly_wages"])
    got = {(o, i): (e, w) for o, i, e, w in df.select(
        schema.OWNERSHIP, schema.INDUSTRY, schema.EMPLOYMENT, schema.WAGES).iter_rows()}
    own = {"total": "0", "private": "5"}
    checked = 0
    for (o, i), (e, w) in got.items():
        key = (own[o], i)
        if key in hidden:
            assert e is None and w is None
        else:
            assert e == months[key] / 12  # exactly: the twelve months divided once
            assert w == wages[key]
            checked += 1
    assert checked > 20


def test_annual_average_is_the_twelve_months_divided_once(tmp_path, capsys):
    # open-data slice layout; the months are chosen so that the mean of the four quarterly
    # means is 20.999999999999996 in floating point, where BLS's annual average (and the
    # months' sum / 12) is 21: --month annual wrote the former
    from conftest import run_main

    months = [(14, 24, 19), (2, 20, 11), (20, 50, 37), (19, 15, 21)]
    src = tmp_path / "2016_q1-q4_49001.csv"
    src.write_text(
        "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
        "qtrly_estabs,month1_emplvl,month2_emplvl,month3_emplvl,total_qtrly_wages\n"
        + "".join(f"49001,5,10,71,0,2016,{q},,3,{a},{b},{c},1000\n"
                  for q, (a, b, c) in enumerate(months, 1)), encoding="utf-8")
    assert sum(sum(m) / 3.0 for m in months) / 4.0 != 21.0
    code, out, err = run_main(["ingest", str(src), "--month", "annual", "-o", "-"], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["period"], r["employment"], r["wages"]) for r in rows] == [("2016", "21.0", "4000.0")]


def test_annual_needs_all_quarters():
    path = shared_path("qcew_states_2016q1", "qcew_2016q1_statewide_total_and_private.csv")
    with pytest.raises(DataError, match="four quarters"):
        qcew.read([str(path)], IngestOptions(month="annual"))


def test_annual_slice_layout_without_titles():
    res, df = collect([ANNUAL_SLICE], ownership=("all",))
    assert "annual" in res.notes[0]
    with open(ANNUAL_SLICE, newline="") as fh:
        rows = list(csv.DictReader(fh))
    kept = [r for r in rows if r["agglvl_code"][-1] not in "23"]
    assert df.height == len(kept)
    assert res.dropped == {qcew.REASON_DOMAIN: len(rows) - len(kept)}
    assert set(df[schema.PERIOD]) == {"2016"}
    assert df[schema.REGION_NAME].null_count() == df.height  # no titles in this layout
    reported = [r for r in kept if r["disclosure_code"] != "N"]
    assert df[schema.EMPLOYMENT].sum() == sum(int(r["annual_avg_emplvl"]) for r in reported)
    assert df[schema.ESTABLISHMENTS].sum() == sum(int(r["annual_avg_estabs"]) for r in kept)
    assert df[schema.EMPLOYMENT].null_count() == len(kept) - len(reported)
    with pytest.raises(UsageError, match="annual"):
        collect([ANNUAL_SLICE], month="1")


def test_gzip_sample_equals_the_by_area_files():
    """The single-file gzip sample gives exactly what the 30 by-area files give."""
    files = utah_files()
    res_s, sample = collect([SAMPLE])
    _, by_area = collect(files)
    by_area = by_area.filter(pl.col(schema.REGION_LEVEL).is_in(["state", "county"]))
    keys = list(schema.KEYS)
    assert sample.sort(keys).equals(by_area.sort(keys))
    assert res_s.rows_read == 96044


def test_glob_pattern_reads_many_files():
    folder = shared_path(UTAH)
    res, df = collect([str(folder / "2016.q1-q4 4900[13] *.csv")])
    assert set(df[schema.REGION]) == {"49001", "49003"}
    assert "2 file(s)" in res.notes[0]


def test_counties_add_up_to_the_state():
    """The 29 county files ingested together equal the statewide file (a check across files).

    All-industry totals exactly, each month; and every private industry that is disclosed in
    every county where it exists (and statewide) sums to the statewide figure.
    """
    _, df = collect(utah_files(), month="1")
    counties = df.filter(pl.col(schema.REGION_LEVEL) == "county")
    state = df.filter(pl.col(schema.REGION) == "49000")
    assert counties[schema.REGION].n_unique() == 29
    keys = [schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY]
    emp_s = schema.status_col(schema.EMPLOYMENT)
    summed = counties.group_by(keys).agg(
        pl.col(schema.EMPLOYMENT).sum(), pl.col(schema.ESTABLISHMENTS).sum(),
        pl.col(schema.WAGES).sum(), (pl.col(emp_s) == schema.SUPPRESSED).any().alias("hidden"))
    joined = state.join(summed, on=keys, suffix="_counties")
    totals = joined.filter(pl.col(schema.INDUSTRY) == "10")
    assert totals.height == 8  # 4 quarters x (total, private)
    for m in (schema.EMPLOYMENT, schema.ESTABLISHMENTS, schema.WAGES):
        assert (totals[m] == totals[m + "_counties"]).all(), m
    disclosed = joined.filter(~pl.col("hidden") & (pl.col(emp_s) == schema.REPORTED)
                              & (pl.col(schema.OWNERSHIP) == "private"))
    assert disclosed.height > 50
    for m in (schema.EMPLOYMENT, schema.WAGES, schema.ESTABLISHMENTS):
        bad = disclosed.filter(pl.col(m) != pl.col(m + "_counties"))
        assert bad.height == 0, bad.select(keys, m, m + "_counties").head()


def test_bad_number_is_an_error_not_a_missing_value(tmp_path):
    path = tmp_path / "bad.csv"
    src = shared_path(UTAH, BEAVER).read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([src[2]]))
    cells[14] = "12x"  # month1_emplvl of the second data row (line 3)
    path.write_text("\n".join([src[0], src[1], ",".join(f'"{c}"' for c in cells)]) + "\n")
    with pytest.raises(DataError) as err:
        qcew.read([str(path)], IngestOptions())
    problem = err.value.problems[0]
    assert (problem.line, problem.column, problem.found) == (3, "month1_emplvl", "12x")
    assert problem.path == str(path)


def test_not_a_qcew_file(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("area_fips,own_code,industry_code,agglvl_code\n01001,0,10,70\n")
    with pytest.raises(DataError, match="not a QCEW file"):
        qcew.read([str(path)], IngestOptions())


def test_auto_detected_by_ingest_and_row_order_does_not_matter(tmp_path):
    from clusterid.io.ingest import ingest

    src = shared_path(UTAH, BEAVER).read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "beaver_shuffled.csv"
    body = src[1:]
    shuffled.write_text("\n".join([src[0]] + body[::-2] + body[-2::-2]) + "\n")
    a, meta = ingest([str(shared_path(UTAH, BEAVER))], IngestOptions())
    b, _ = ingest([str(shuffled)], IngestOptions())
    assert meta["adapters"] == ["qcew"]
    assert a.equals(b)


def test_annual_by_area_spelling_with_titles(tmp_path):
    """The annual by-area files spell the count annual_avg_estabs_count and carry titles."""
    lines = ANNUAL_SLICE.read_text().splitlines()
    header = lines[0].replace('"annual_avg_estabs"', '"annual_avg_estabs_count"')
    header = header.replace('"disclosure_code",', '"disclosure_code","area_title",')
    body = [ln.replace('"A",', '"A",', 1) for ln in lines[1:]]
    body = [",".join(next(csv.reader([ln]))[:8]) + ',"Beaver County, Utah",'
            + ",".join(next(csv.reader([ln]))[8:]) for ln in body]
    path = tmp_path / "2016.annual 49001 Beaver County, Utah.csv"
    path.write_text("\n".join([header] + body) + "\n")
    _, df = collect([path], ownership=("all",))
    _, ref = collect([ANNUAL_SLICE], ownership=("all",))
    assert set(df[schema.REGION_NAME]) == {"Beaver County, Utah"}
    assert df[schema.ESTABLISHMENTS].sum() == ref[schema.ESTABLISHMENTS].sum()
    assert df.height == ref.height


def test_size_class_rows_are_dropped_and_counted(tmp_path):
    src = shared_path(UTAH, BEAVER).read_text(encoding="utf-8").splitlines()
    rows = [next(csv.reader([ln])) for ln in src[1:4]]
    for r in rows[1:]:
        r[4] = "1"  # size_code: establishments with fewer than 5 employees
    path = tmp_path / "sizes.csv"
    path.write_text("\n".join([src[0]] + [",".join(f'"{c}"' for c in r) for r in rows]) + "\n")
    res, df = collect([path])
    assert df.height == 1 and res.rows_read == 3
    assert res.dropped == {qcew.REASON_SIZE: 2}


def test_blank_cell_is_missing_never_zero_and_never_reported(tmp_path):
    src = shared_path(UTAH, BEAVER).read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([src[1]]))
    cells[17] = ""  # total_qtrly_wages of Beaver's 2016Q1 total, left blank
    path = tmp_path / "blank.csv"
    path.write_text("\n".join([src[0], ",".join(f'"{c}"' for c in cells)]) + "\n")
    _, df = collect([path])
    row = df.row(0, named=True)
    assert row[schema.WAGES] is None and row[schema.status_col(schema.WAGES)] == schema.SUPPRESSED
    assert row[schema.status_col(schema.EMPLOYMENT)] == schema.REPORTED
