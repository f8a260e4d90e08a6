"""QCEW files in BLS's published layouts, years and aggregation families the other tests do
not use, built from real rows (tests/data/qcew, ../shared/data) by the helpers below: each
test says which layout it stands for and what it checks against (a value computed here, or
BLS's own ``lq_*`` column)."""

from __future__ import annotations

import csv

import pytest

from clusterid import schema
from clusterid.io.ingest import IngestOptions, ingest
from conftest import TEST_DATA, run_main

BEAVER_ANNUAL = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
EMP_S = schema.status_col(schema.EMPLOYMENT)


def _with_rows(dest, rows: list[list]):
    """A copy of the Beaver County annual slice (open-data annual layout) at ``dest`` with
    ``rows`` (cells in its 15 columns) appended."""
    text = BEAVER_ANNUAL.read_text()
    with open(dest, "w", newline="") as fh:
        fh.write(text)
        csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC).writerows(rows)
    return dest


def _by_key(df):
    return {(r[schema.REGION], r[schema.OWNERSHIP], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}


def test_aggregation_families_outside_the_detail_families(tmp_path):
    # BLS's agglevel_titles: 91-95 national and 96 state government aggregates, 80 MicroSA.
    # Their last digit is not the NAICS detail of 10-18/40-48/50-58/70-78: a 6-digit code at
    # agglvl 95 was given level 3, a supersector code (1028) at 93 failed the whole file as
    # "not a NAICS industry code", and a MicroSA was labelled an MSA.
    path = _with_rows(tmp_path / "odd_families.csv", [
        ["US000", "8", "10", "91", "0", "2016", "A", "", 22000, 21000000, 1.2e12, 0, 0, 1100, 57000],
        ["US000", "8", "102", "92", "0", "2016", "A", "", 22000, 21000000, 1.2e12, 0, 0, 1100, 57000],
        ["US000", "8", "1028", "93", "0", "2016", "A", "", 22000, 21000000, 1.2e12, 0, 0, 1100, 57000],
        ["US000", "8", "92", "94", "0", "2016", "A", "", 20000, 20000000, 1.1e12, 0, 0, 1100, 57000],
        ["US000", "8", "921110", "95", "0", "2016", "A", "", 9000, 9000000, 5e11, 0, 0, 1100, 57000],
        ["49000", "8", "10", "96", "0", "2016", "A", "", 3505, 223464, 10073152525, 0, 0, 867, 45077],
        ["C1014", "0", "10", "80", "0", "2016", "A", "", 900, 15000, 6e8, 0, 0, 800, 40000],
    ])
    df, meta = ingest([str(path)], IngestOptions(ownership=("all",)))
    by = _by_key(df)
    assert by["US000", "government", "921110"][schema.LEVEL] == 6
    assert by["US000", "government", "92"][schema.LEVEL] == 2
    assert by["US000", "government", "10"][schema.LEVEL] == 0
    assert by["US000", "government", "921110"][schema.REGION_LEVEL] == "nation"
    assert by["49000", "government", "10"][schema.REGION_LEVEL] == "state"
    assert by["C1014", "total", "10"][schema.REGION_LEVEL] == "microsa"
    assert ("US000", "government", "102") not in by and ("US000", "government", "1028") not in by
    # the Beaver rows are read as before (21 rows, 4 of them domain/supersector rows dropped)
    assert sum(1 for k in by if k[0] == "49001") == 17
    micro, _ = ingest([str(path)], IngestOptions(ownership=("all",), region_level="micropolitan"))
    assert micro[schema.REGION].to_list() == ["C1014"]


def _as_workbook(src, dest, edit=None):
    """``src`` (a QCEW CSV) saved as an xlsx the way a spreadsheet saves it: codes that look
    like numbers become numbers (49001, 0, 10, 70), counts numbers, titles and flags text."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    with open(src, newline="") as fh:
        for i, row in enumerate(csv.reader(fh)):
            if edit and i in edit:
                row = edit[i](row)
            ws.append(row if i == 0 else [int(c) if c.isdigit() else (float(c) if c.replace(".", "", 1).isdigit() else c or None)
                                          for c in row])
    wb.save(dest)
    return dest


def test_qcew_table_saved_as_xlsx_is_read_by_the_qcew_adapter(tmp_path, capsys):
    # an xlsx with QCEW's field names went to the generic reader: --ownership was ignored (the
    # default gave federal, state and local rows too), region levels were empty and titles
    # kept their "NAICS 111" prefix; it is now read exactly like the CSV it was saved from
    book = _as_workbook(BEAVER_ANNUAL, tmp_path / "beaver.xlsx")
    from_csv, _ = ingest([str(BEAVER_ANNUAL)], IngestOptions())
    from_xlsx, meta = ingest([str(book)], IngestOptions())
    assert meta["adapters"] == ["qcew"] and meta["inputs"][0]["path"].endswith("beaver.xlsx")
    assert from_xlsx.equals(from_csv)
    assert set(from_xlsx[schema.OWNERSHIP]) == {"total", "private"}
    assert set(from_xlsx[schema.REGION_LEVEL]) == {"county"}
    # a bad cell is named by the workbook and its sheet row
    bad = _as_workbook(BEAVER_ANNUAL, tmp_path / "bad.xlsx", edit={1: lambda r: r[:7] + ["Q"] + r[8:]})
    code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1
    assert "bad.xlsx:2: column 'disclosure_code': unknown disclosure code" in err


# ---------------------------------------------------------------- layouts built from real files

UTAH_Q = "qcew_utah_2016q"
TITLES = ("area_title", "own_title", "industry_title", "agglvl_title", "size_title")
KEYS = ("area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year")


def _quarterly(*areas: str):
    """BLS's 2016 by-area quarterly rows of ``areas`` (../shared/data), all cells text."""
    import glob

    import polars as pl

    from conftest import shared_path

    folder = shared_path(UTAH_Q)
    files = [f for a in areas for f in glob.glob(str(folder / f"2016.q1-q4 {a} *.csv"))]
    assert len(files) == len(areas)
    return pl.concat([pl.read_csv(f, infer_schema_length=0) for f in files])


def _annual_by_area(quarterly, folder, estabs="annual_avg_estabs_count"):
    """BLS's annual by-area layout (titles, ``qtr`` A, annual averages, lq_/oty_ columns) from
    the four quarters, with BLS's rounding: employment the mean of the 12 months and
    establishments of the 4 quarters, rounded half up; wages summed; a row undisclosed in any
    quarter is N with zeros.  One file per area, named as BLS names them."""
    import polars as pl

    num = [pl.col(c).cast(pl.Float64) for c in ("qtrly_estabs_count", "month1_emplvl", "month2_emplvl",
                                                 "month3_emplvl", "total_qtrly_wages")]
    hidden = (pl.col("disclosure_code").fill_null("") == "N").any()
    ann = quarterly.with_columns(num).group_by(*KEYS, *TITLES, maintain_order=True).agg(
        hidden.alias("hid"), pl.col("qtrly_estabs_count").mean().alias("e"),
        ((pl.col("month1_emplvl") + pl.col("month2_emplvl") + pl.col("month3_emplvl")).sum() / 12).alias("m"),
        pl.col("total_qtrly_wages").sum().alias("w"))
    zero_if_hidden = lambda x: pl.when(pl.col("hid")).then(0).otherwise(x).cast(pl.Int64)  # noqa: E731
    ann = ann.select(
        *KEYS, pl.lit("A").alias("qtr"),
        pl.when(pl.col("hid")).then(pl.lit("N")).otherwise(pl.lit("")).alias("disclosure_code"), *TITLES,
        (pl.col("e") + 0.5).floor().cast(pl.Int64).alias(estabs),
        zero_if_hidden((pl.col("m") + 0.5).floor()).alias("annual_avg_emplvl"),
        zero_if_hidden(pl.col("w")).alias("total_annual_wages"),
        pl.lit(0).alias("taxable_annual_wages"), pl.lit(0).alias("annual_contributions"),
        pl.lit(0).alias("annual_avg_wkly_wage"), pl.lit(0).alias("avg_annual_pay"),
        pl.lit("").alias("lq_disclosure_code"), pl.lit(1.0).alias("lq_annual_avg_emplvl"),
        pl.lit("").alias("oty_disclosure_code"), pl.lit(0).alias("oty_annual_avg_emplvl_chg"))
    paths = []
    for (area, title), part in ann.group_by("area_fips", "area_title", maintain_order=True):
        paths.append(folder / f"2016.annual {area} {title}.csv")
        part.write_csv(paths[-1], quote_style="non_numeric")
    return ann, paths


def _hand_lq(ann, national, measure: str, own: str = "5"):
    """(area, industry) -> BLS-convention LQ of disclosed 6-digit cells of ownership ``own``
    (private), computed here: (e_i,own / e_all-ownerships) / (E_i,own / E_all-ownerships)."""
    import polars as pl

    def shares(df):
        total = df.filter((pl.col("own_code") == "0") & (pl.col("industry_code") == "10")).select(
            "area_fips", pl.col(measure).cast(pl.Float64).alias("t"))
        return df.filter((pl.col("own_code") == own) & pl.col("agglvl_code").str.ends_with("8")
                         & (pl.col("disclosure_code") != "N")).join(total, on="area_fips").select(
            "area_fips", "industry_code", (pl.col(measure).cast(pl.Float64) / pl.col("t")).alias("s"))
    nat = shares(national).select("industry_code", pl.col("s").alias("S"))
    out = shares(ann).join(nat, on="industry_code").with_columns(lq=pl.col("s") / pl.col("S"))
    return {(a, i): v for a, i, v in out.select("area_fips", "industry_code", "lq").iter_rows()}


def test_annual_by_area_files_with_a_national_file_give_bls_convention_lqs(tmp_path):
    # BLS's annual by-area layout (titles, annual_avg_estabs_count, lq_/oty_ columns) for three
    # counties, and a national file (the statewide rows relabelled US000, agglvl 1x) as the
    # benchmark given as the agency's file: every disclosed private 6-digit LQ as computed here
    import polars as pl

    from clusterid.core import lq as core

    ann, counties = _annual_by_area(_quarterly("49011", "49035", "49049"), tmp_path)
    national, us_file = _national_file(tmp_path)
    out = tmp_path / "lq.parquet"
    code = run_main_ok(["lq", str(tmp_path / "2016.annual 490*.csv"), "-o", str(out), "--benchmark", str(us_file),
                        "--denominator", "all-ownership", "--ownership", "private", "--level", "6"])
    assert code == 0
    got = pl.read_parquet(out)
    for measure, column in ((schema.EMPLOYMENT, "annual_avg_emplvl"), (schema.WAGES, "total_annual_wages")):
        want = _hand_lq(ann, national, column)
        mine = {(r[schema.REGION], r[schema.INDUSTRY]): r[core.LQ] for r in
                got.filter(pl.col(core.MEASURE) == measure).iter_rows(named=True)}
        assert len(want) > 800  # disclosed private 6-digit cells of Davis, Salt Lake, Utah County
        assert all(mine[k] == pytest.approx(v, rel=1e-9) for k, v in want.items()), measure
    assert set(got[schema.PERIOD]) == {"2016"}


def _national_file(tmp_path):
    """A national file in the annual by-area layout: the statewide rows relabelled US000 at the
    national aggregation levels (BLS's U.S. file is not in ../shared/data)."""
    import polars as pl

    (tmp_path / "us").mkdir()
    nat_q = _quarterly("49000").with_columns(
        area_fips=pl.lit("US000"), area_title=pl.lit("U.S. TOTAL"),
        agglvl_code=(pl.col("agglvl_code").cast(pl.Int32) - 40).cast(pl.String)).filter(
        pl.col("agglvl_code") != "56")  # 96 (government by state) has no national twin
    national, (us_file,) = _annual_by_area(nat_q, tmp_path / "us", estabs="annual_avg_estabs")
    return national, us_file


def test_lq_for_a_government_ownership_on_raw_qcew_files(tmp_path):
    # `lq RAW --ownership local --denominator all-ownership`: the raw BLS files were ingested
    # with ingest's default ownerships (total, private), so local government was "not in the
    # input" though the files hold it; the reference file likewise
    import polars as pl

    from clusterid.core import lq as core

    ann, _ = _annual_by_area(_quarterly("49011", "49049"), tmp_path)
    national, us_file = _national_file(tmp_path)
    out = tmp_path / "lq.csv"
    run_main_ok(["lq", str(tmp_path / "2016.annual 490*.csv"), "-o", str(out), "--benchmark", str(us_file),
                 "--denominator", "all-ownership", "--ownership", "local", "--level", "6",
                 "--measure", "employment"])
    got = pl.read_csv(out, infer_schema_length=0)
    assert set(got[schema.OWNERSHIP]) == {"local"}
    mine = {(r[schema.REGION], r[schema.INDUSTRY]): float(r[core.LQ]) for r in got.iter_rows(named=True)
            if r[core.LQ]}
    want = _hand_lq(ann, national, "annual_avg_emplvl", own="3")
    assert len(want) >= 15 and mine.keys() == want.keys()
    assert all(mine[k] == pytest.approx(v, rel=1e-6) for k, v in want.items())


def run_main_ok(argv):
    from typer.testing import CliRunner

    from clusterid.cli.app import app

    res = CliRunner().invoke(app, argv)
    assert res.exit_code == 0, res.output
    return res.exit_code


def test_quarterly_singlefile_zip_without_titles_reproduces_bls_lqs(tmp_path):
    # the single-file layout (no title columns, qtrly_estabs, lq_qtrly_estabs, oty_qtrly_estabs_*)
    # zipped as BLS ships it, counties and an MSA in one file: clusterid's LQs against national
    # shares recovered from the statewide file, checked against BLS's own lq_month3_emplvl and
    # lq_total_qtrly_wages of the same rows
    import zipfile

    import polars as pl

    import test_lq_bls as bls

    areas = ("49001", "49021", "49039", "49053", "C4110")
    single = _quarterly(*areas).drop(*TITLES).rename(
        lambda c: c.replace("qtrly_estabs_count", "qtrly_estabs"))
    csv_path = tmp_path / "2016.q1-q4.singlefile.csv"
    single.write_csv(csv_path, quote_style="non_numeric")
    archive = tmp_path / "2016_qtrly_singlefile.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(csv_path, "2016.q1-q4.singlefile.csv")
    state, cols = bls.read_bls([str(_state_file())], "3")
    reference = tmp_path / "shares.csv"
    bls.recovered_shares(state, cols).write_csv(reference)
    out = tmp_path / "lq.parquet"
    run_main_ok(["lq", str(archive), "-o", str(out), "--month", "3", "--benchmark", str(reference),
                 "--denominator", "all-ownership", "--ownership", "private", "--level", "6",
                 "--measure", "employment", "--measure", "wages"])
    raw, cols = bls.read_bls([str(csv_path)], "3")
    result = bls.compare(pl.read_parquet(out), raw, cols, set(areas))
    for measure, r in result.items():
        assert r["disclosed"] > 2000 and r["checkable"] >= 0.98 * r["disclosed"], (measure, r)
        assert r["share_ok"] >= 0.995, (measure, r)


def _state_file():
    import glob

    from conftest import shared_path

    (path,) = glob.glob(str(shared_path(UTAH_Q) / "2016.q1-q4 49000 *.csv"))
    return path


def test_sic_based_file_is_refused_once_with_the_reason(tmp_path, capsys):
    # BLS's SIC-based annual layout (1975-2000) has the NAICS files' columns and codes written
    # SIC_2011; it failed with "not a NAICS industry code" for every row and a hint
    # (--classification custom) the QCEW adapter does not take
    header = BEAVER_ANNUAL.read_text().splitlines()[0]
    path = tmp_path / "sic_1999.annual 49001 Beaver County, Utah.csv"
    path.write_text(header + "\n" + "\n".join(
        f'"49001","5","{code}","{lvl}","0","1999","A","",4,50,1200000,0,0,460,24000'
        for code, lvl in (("SIC_20", "28"), ("SIC_2011", "30"), ("SIC_2015", "30"))) + "\n")
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "Traceback" not in err
    assert err.count("error:") == 1
    assert "Beaver County, Utah.csv:2: column 'industry_code': a SIC-based QCEW file" in err


def test_all_of_blss_ownership_codes_have_names(tmp_path):
    # own_code 4 (International Government) and 9 (Total U.I. Covered, excludes federal) are in
    # BLS's own_titles; --ownership all dropped them as "ownership not selected: own_code 9"
    path = _with_rows(tmp_path / "owners.csv", [
        ["49001", "4", "10", "71", "0", "2016", "A", "", 1, 12, 600000, 0, 0, 960, 50000],
        ["49001", "9", "10", "71", "0", "2016", "A", "", 222, 2646, 86517086, 0, 0, 629, 32697],
    ])
    df, meta = ingest([str(path)], IngestOptions(ownership=("all",)))
    assert {"international", "ui-covered-excl-federal"} <= set(df[schema.OWNERSHIP])
    assert not any(reason.startswith("ownership") for reason in meta["dropped"])
    only9, _ = ingest([str(path)], IngestOptions(ownership=("9",)))
    assert only9[schema.EMPLOYMENT].to_list() == [2646.0]


def test_national_subgroups_are_not_a_second_nation(tmp_path):
    # the by-area distribution holds USCMS, USMSA and USNMS (U.S. CSAs, MSAs, non-metropolitan
    # counties combined) beside US000, at national aggregation levels: they were labelled
    # "nation", so --region-level nation or a sum-of-regions benchmark took them for nations
    path = _with_rows(tmp_path / "nation.csv", [
        ["US000", "0", "10", "10", "0", "2016", "A", "", 9800000, 144000000, 7.5e12, 0, 0, 1000, 53000],
        ["USMSA", "0", "10", "10", "0", "2016", "A", "", 8600000, 126000000, 6.8e12, 0, 0, 1040, 54000],
        ["USNMS", "0", "10", "10", "0", "2016", "A", "", 1200000, 18000000, 0.7e12, 0, 0, 750, 39000],
    ])
    df, _ = ingest([str(path)], IngestOptions())
    level = dict(zip(df[schema.REGION], df[schema.REGION_LEVEL]))
    assert level["US000"] == "nation" and level["USMSA"] == level["USNMS"] == "national-subgroup"
    nation, _ = ingest([str(path)], IngestOptions(region_level="nation"))
    assert set(nation[schema.REGION]) == {"US000"}


def test_a_cut_with_only_some_measures_is_read_with_those(tmp_path, capsys):
    # a QCEW file cut to the columns an LQ needs (annual_avg_emplvl alone; month3_emplvl alone)
    # was refused as "QCEW file without its measure columns"
    import polars as pl

    keys = ["area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr",
            "disclosure_code"]
    full = pl.read_csv(BEAVER_ANNUAL, infer_schema_length=0)
    cut = tmp_path / "beaver_employment.csv"
    full.select(*keys, "annual_avg_emplvl").write_csv(cut, quote_style="non_numeric")
    whole, _ = ingest([str(BEAVER_ANNUAL)], IngestOptions())
    part, meta = ingest([str(cut)], IngestOptions())
    assert schema.WAGES not in part.columns and schema.ESTABLISHMENTS not in part.columns
    assert part.equals(whole.select(part.columns))
    other = tmp_path / "other_county.csv"  # a full file and a cut together: what is not read is said
    full.with_columns(area_fips=pl.lit("49003")).select(*keys, "annual_avg_emplvl").write_csv(other)
    both, meta = ingest([str(BEAVER_ANNUAL), str(other)], IngestOptions())
    assert set(both[schema.REGION]) == {"49001", "49003"} and schema.WAGES not in both.columns
    assert any(n.startswith("not read: annual_avg_estabs, total_annual_wages") for n in meta["notes"])
    monthly = tmp_path / "month3.csv"
    monthly.write_text(",".join(keys + ["month3_emplvl"]) + "\n"
                       + "49001,0,10,70,0,2016,1,,2817\n49001,5,10,71,0,2016,1,,2180\n")
    m3, _ = ingest([str(monthly)], IngestOptions(month="3"))
    assert m3[schema.EMPLOYMENT].to_list() == [2180.0, 2817.0]  # private, total
    code, _, err = run_main(["ingest", str(monthly), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2 and "--month average: the file has month3_emplvl only; choose --month 3" in err


def test_unknown_or_undefined_county_is_no_county(tmp_path):
    # BLS's xx999 "Unknown Or Undefined, <state>" areas sit at county aggregation levels (22 of
    # them in the odd-numbered states' panel): employment placed in no county.  Among the
    # counties it was a county, in the counties' sum benchmark and in detect's co-location;
    # it is region level unallocated, as CBP's county 999, and still part of its state.
    path = _with_rows(tmp_path / "unknown.csv", [
        ["49999", "5", "10", "71", "0", "2016", "A", "", 40, 350, 1.4e7, 0, 0, 770, 40000],
    ])
    df, _ = ingest([str(path)], IngestOptions())
    level = dict(zip(df[schema.REGION], df[schema.REGION_LEVEL]))
    assert level["49999"] == schema.UNALLOCATED and level["49001"] == "county"
    counties, _ = ingest([str(path)], IngestOptions(region_level="county"))
    assert "49999" not in set(counties[schema.REGION])
