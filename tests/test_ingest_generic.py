"""The generic reader through clusterid.io.ingest: encodings, layouts, markers, formats, real data.

Expected values are computed in each test from the file itself with the csv module (an
independent reading), never copied from the reader's output.
"""

from __future__ import annotations

import csv
import gzip
import io
import shutil

import polars as pl
import pytest

from clusterid import schema
from clusterid.errors import DataError, InputFileError, UsageError
from clusterid.io.ingest import IngestOptions, ingest, load_input, pick_adapter
from conftest import TEST_DATA, shared_path

GEN = TEST_DATA / "generic"


def rows_of(path, encoding, sep, skip=0):
    with open(path, encoding=encoding, newline="") as fh:
        lines = fh.read().splitlines()[skip:]
    return list(csv.DictReader(lines, delimiter=sep))


def get(df, **keys):
    out = df
    for k, v in keys.items():
        out = out.filter(pl.col(k) == v)
    assert out.height == 1, (keys, out)
    return out.row(0, named=True)


# ------------------------------------------------------------------ encodings and separators

def test_cp1251_kazakh_oblasts_with_title_rows_and_markers():
    path = GEN / "kz_oked_cp1251.csv"
    df, meta = ingest([str(path)])
    src = rows_of(path, "cp1251", ";", skip=2)
    src = [r for r in src if r["Год"]]  # the source note under the table
    reader = meta["readers"][str(path)]
    assert reader["encoding"] == "cp1251" and reader["separator"] == ";"
    assert reader["title_rows_skipped"] == 2
    assert meta["dropped"] == {"note rows under the table (one filled cell)": 1}
    assert df.height == len(src) == meta["rows_kept"]
    assert set(df["region"]) == {r["Область"] for r in src}
    assert "Карагандинская область" in set(df["region"])
    # totals: every reported number, spaces as thousands separators
    reported = [float(r["Численность работников"].replace(" ", "")) for r in src
                if r["Численность работников"].replace(" ", "").isdigit()]
    got = df.filter(pl.col("employment_status") == "reported")["employment"]
    assert got.sum() == pytest.approx(sum(reported)) and got.len() == len(reported)
    x = get(df, region="Алматинская область", industry="B", period="2022")
    assert (x["employment"], x["employment_status"], x["employment_flag"]) == (None, "suppressed", "х")
    y = get(df, region="г. Алматы", industry="A", period="2021")
    assert y["employment_flag"] == "..." and y["establishments_flag"] == "-" and y["establishments"] is None
    total = get(df, region="Акмолинская область", industry=schema.ALL_INDUSTRIES, period="2021")
    assert total["level"] == 0 and total["industry_name"] == "Всего"
    assert set(df["classification"]) == {"NACE"}


def test_koi8r_wide_by_year():
    path = GEN / "kz_oked_koi8r_wide.tsv"
    df, meta = ingest([str(path)])
    src = rows_of(path, "koi8-r", "\t")
    reader = meta["readers"][str(path)]
    assert reader["encoding"] == "koi8-r" and reader["layout"] == "wide" and reader["wide_axis"] == "period"
    assert df.height == 3 * len(src)
    assert sorted(set(df["period"])) == ["2019", "2020", "2021"]
    for year in ("2019", "2020", "2021"):
        expect = sum(float(r[year]) for r in src if r[year] != "х")
        got = df.filter((pl.col("period") == year) & (pl.col("employment_status") == "reported"))["employment"].sum()
        assert got == expect
    sup = df.filter(pl.col("employment_status") == "suppressed")
    assert sup.height == 1 and sup.row(0, named=True)["region"] == "Восточно-Казахстанская область"


def test_latin1_german_decimal_comma_and_destatis_markers():
    path = GEN / "de_laender_latin1.csv"
    df, meta = ingest([str(path)])
    src = [r for r in rows_of(path, "latin-1", ";") if r["Bundesland"] != "Deutschland"]
    assert "Baden-Württemberg" in set(df["region"]) and "Thüringen" in set(df["region"])
    assert meta["dropped"] == {
        "region total rows (sum of the other regions; keep with --keep-region-totals)": 1}
    assert df.height == len(src)

    def num(s):
        return float(s.replace(".", "").replace(",", "."))

    gva = sum(num(r["Bruttowertschöpfung"]) for r in src if r["Bruttowertschöpfung"] not in (".", "x"))
    assert df.filter(pl.col("output_status") == "reported")["output"].sum() == pytest.approx(gva)
    emp = sum(num(r["Beschäftigte"]) for r in src if r["Beschäftigte"] not in (".", "-"))
    assert df["employment"].sum() == pytest.approx(emp)
    dash = get(df, region="Schleswig-Holstein", industry="B")
    assert (dash["employment"], dash["employment_status"], dash["employment_flag"]) == (None, "suppressed", "-")
    assert get(df, region="Bayern", industry="J")["output_flag"] == "x"
    kept = ingest([str(path)], IngestOptions(keep_region_totals=True))[0]
    assert get(kept, region="Deutschland", industry="C")["employment"] == 7_000_000


def test_utf8_bom_naics_with_code_and_name_columns():
    path = GEN / "us_naics_utf8_bom.csv"
    df, meta = ingest([str(path)])
    src = rows_of(path, "utf-8-sig", ",")
    assert df.columns[:4] == list(schema.KEYS)
    assert set(df["region"]) == {r["state_fips"] for r in src}
    assert get(df, region="49", industry="5417")["region_name"] == "Utah"
    assert df["wages"].sum() == sum(float(r["annual_payroll"].replace(",", "")) for r in src)
    assert dict(zip(df["industry"], df["level"])) == {"10": 0, "31-33": 2, "54": 2, "5417": 4}


def test_utf16_tab_separated_with_quarter_periods():
    path = GEN / "us_naics_utf16.tsv"
    df, meta = ingest([str(path)])
    src = rows_of(path, "utf-16", "\t")
    assert set(df["period"]) == {"2016Q1"}
    assert df.height == len(src)
    d = get(df, region="Utah", industry="5417")
    assert d["employment_flag"] == "(D)" and d["employment"] is None


# ------------------------------------------------------------------ numbers and markers

def test_every_marker_is_missing_never_zero():
    path = GEN / "markers.csv"
    df, _ = ingest([str(path)])
    src = rows_of(path, "utf-8", ",")
    assert df.height == len(src)
    for r in src:
        row = get(df, region=r["region"])
        if r["employment"] == "42":
            assert row["employment"] == 42.0 and row["employment_status"] == "reported"
            continue
        assert row["employment"] is None, r
        assert row["employment_flag"] == (r["employment"] or None)
        if r["employment"] == "(Z)":
            assert (row["employment_status"], row["employment_lower"], row["employment_upper"]) == \
                ("estimated", 0.0, 0.5)
        else:
            assert row["employment_status"] == "suppressed"


@pytest.mark.parametrize("name,measure,expected", [
    ("thousands_us.csv", "employment", [1234.0, 12000.0, 999.0]),
    ("thousands_us.csv", "wages", [1234567.5, 98765.25, 12.5]),
    ("spaces_decimal_comma.csv", "employment", [1234.0, 12000.0, 999.0, 1_000_000.0]),
    ("spaces_decimal_comma.csv", "output", [1234.5, 98765.25, 12.5, 0.75]),
])
def test_thousands_and_decimal_conventions(name, measure, expected):
    df, _ = ingest([str(GEN / name)])
    assert df.sort("region")[measure].to_list() == expected


def test_non_numbers_are_errors_with_line_and_column():
    with pytest.raises(DataError) as exc:
        ingest([str(GEN / "bad_number.csv")])
    probs = sorted((p.line, p.column, p.found) for p in exc.value.problems)
    assert probs == [(3, "employment", "12a"), (4, "establishments", "b7")]


def test_skip_mode_sets_bad_rows_aside(tmp_path):
    rejects = tmp_path / "rej.csv"
    df, meta = ingest([str(GEN / "bad_number.csv")], IngestOptions(on_error="skip", rejects=str(rejects)))
    assert df["region"].to_list() == ["49001"]
    assert meta["rejected_rows"] == 2 and meta["rejects_file"] == str(rejects)
    rej = list(csv.DictReader(rejects.open()))
    assert [(r["line"], r["column"], r["found"]) for r in rej] == [("3", "employment", "12a"),
                                                                  ("4", "establishments", "b7")]


def test_decimal_override():
    # with the wrong convention forced, "1,234,567.5" is not a number: an error, never a guess
    with pytest.raises(DataError) as exc:
        ingest([str(GEN / "thousands_us.csv")], IngestOptions(decimal=",", thousands="."))
    assert {p.found for p in exc.value.problems} == {"1,234,567.5", "98,765.25", "12.5"}
    df, meta = ingest([str(GEN / "spaces_decimal_comma.csv")], IngestOptions(decimal=",", thousands=" "))
    assert df.sort("region")["output"].to_list() == [1234.5, 98765.25, 12.5, 0.75]


# ------------------------------------------------------------------ layouts

def test_wide_by_industry_with_total_column():
    path = GEN / "wide_by_industry.csv"
    df, meta = ingest([str(path)])
    src = rows_of(path, "utf-8", ",")
    assert meta["readers"][str(path)]["wide_axis"] == "industry"
    assert df.height == len(src) * 5
    for r in src:
        assert get(df, region=r["Region"], industry=schema.ALL_INDUSTRIES)["employment"] == float(r["Insgesamt"])
        assert get(df, region=r["Region"], industry="C")["employment"] == float(r["C"])


def test_wide_by_year_decimal_comma():
    path = GEN / "wide_by_year.csv"
    df, _ = ingest([str(path)])
    src = rows_of(path, "utf-8", ";")
    assert df.height == 3 * len(src)
    assert df.filter(pl.col("period") == "2016")["employment"].sum() == \
        pytest.approx(sum(float(r["2016"].replace(",", ".")) for r in src))


def test_wide_heading_that_is_not_a_year_is_a_clear_error():
    with pytest.raises(DataError) as exc:
        ingest([str(GEN / "wide_by_year_bad_heading.csv")])
    (p,) = exc.value.problems
    assert p.column == "2O17" and p.line == 1 and "not a period" in p.message
    assert "2016Q1" in p.expected


def test_missing_roles_name_the_option(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("place_code,what,val\n1,2,3\n")
    with pytest.raises(DataError, match="no industry column recognised.*--industry-col"):
        ingest([str(f)])
    df, _ = ingest([str(f)], IngestOptions(industry_col="what", measure_cols={"employment": "val"},
                                           period="2020", classification="custom"))
    assert get(df, region="1")["employment"] == 3.0 and df["period"].to_list() == ["2020"]
    with pytest.raises(UsageError, match="'nope' is not a column"):
        ingest([str(f)], IngestOptions(industry_col="nope"))


# ------------------------------------------------------------------ containers and stdin

def test_gzip_and_parquet_and_glob(tmp_path):
    src = GEN / "us_naics_utf8_bom.csv"
    gz = tmp_path / "a.csv.gz"
    gz.write_bytes(gzip.compress(src.read_bytes()))
    plain, _ = ingest([str(src)])
    from_gz, _ = ingest([str(gz)])
    assert from_gz.equals(plain)
    pq = tmp_path / "raw.parquet"
    rows = rows_of(src, "utf-8-sig", ",")
    pl.DataFrame({"region": [r["state_fips"] for r in rows], "naics": [r["naics"] for r in rows],
                  "year": [2016] * len(rows),
                  "employment": [float(r["employment"].replace(",", "")) for r in rows]}).write_parquet(pq)
    from_pq, meta = ingest([str(pq)])
    assert from_pq["employment"].to_list() == plain["employment"].to_list()
    assert set(from_pq["period"]) == {"2016"}
    both, meta = ingest([str(GEN / "us_naics_*")])
    assert [i["path"] for i in meta["inputs"]] == [str(GEN / "us_naics_utf16.tsv"), str(GEN / "us_naics_utf8_bom.csv")]
    assert both.height == 24 and all(len(i["sha256"]) == 64 for i in meta["inputs"])
    # two copies of one table have the same keys: duplicates are reported, never summed
    shutil.copy(src, tmp_path / "b.csv")
    with pytest.raises(DataError, match="duplicate"):
        ingest([str(gz), str(tmp_path / "b.csv")])


def test_xlsx_with_title_rows_and_sheet(tmp_path):
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws0 = wb.add_worksheet("Notes")
    ws0.write(0, 0, "nothing here")
    ws = wb.add_worksheet("Daten")
    ws.merge_range(0, 0, 0, 3, "Sozialversicherungspflichtig Beschäftigte nach Ländern, 2015")
    ws.write(1, 0, "Stand: 30.06.2015")
    ws.write_row(3, 0, ["Land", "WZ 2008", "Jahr", "Beschäftigte"])
    data = [("Bayern", "C", 2015, 1234567), ("Bayern", "F", 2015, 234567.5), ("Berlin", "C", 2015, "x")]
    for i, r in enumerate(data):
        ws.write_row(4 + i, 0, r)
    ws.write(8, 0, "Quelle: Bundesagentur für Arbeit")
    wb.close()
    df, meta = ingest([str(path)], IngestOptions(sheet="Daten"))
    reader = meta["readers"][str(path)]
    assert reader["sheet"] == "Daten" and reader["header_line"] == 4
    assert df.height == 3
    assert get(df, region="Bayern", industry="F")["employment"] == 234567.5
    assert get(df, region="Berlin")["employment_flag"] == "x"
    with pytest.raises(UsageError, match="no sheet 'Missing'"):
        ingest([str(path)], IngestOptions(sheet="Missing"))
    by_number, _ = ingest([str(path)], IngestOptions(sheet="2"))
    assert by_number.equals(df)


def test_stdin(monkeypatch):
    data = (GEN / "kz_oked_cp1251.csv").read_bytes()

    class FakeStdin:
        buffer = io.BytesIO(data)

    import clusterid.io.ingest as ing

    monkeypatch.setattr("sys.stdin", FakeStdin())
    monkeypatch.setattr(ing, "_stdin_cache", {})
    df, meta = ingest(["-"])
    assert meta["inputs"][0]["path"] == "<stdin>"
    assert df.height == 50
    lf, _ = load_input("-")  # same process: the buffered stdin is reused
    assert lf.collect().equals(df)


def test_load_input_opens_canonical_tables_as_is(tmp_path):
    from clusterid.io.tables import write_frame

    df, meta = ingest([str(GEN / "us_naics_utf16.tsv")])
    out = tmp_path / "c.parquet"
    write_frame(df, str(out), meta)
    lf, meta2 = load_input(str(out))
    assert meta2["inputs"] == meta["inputs"] and lf.collect().equals(df)
    out_csv = tmp_path / "c.csv"
    write_frame(df, str(out_csv), meta)
    lf, _ = load_input(str(out_csv))
    assert lf.collect()["employment"].to_list() == df["employment"].to_list()
    raw, meta3 = load_input(str(GEN / "us_naics_utf16.tsv"))
    assert raw.collect().equals(df) and meta3["kind"] == "canonical"


def test_missing_file_is_input_error():
    with pytest.raises(InputFileError):
        ingest(["/no/such/file.csv"])
    with pytest.raises(InputFileError, match="no file matches"):
        ingest(["/no/such/*.csv"])


def test_level_rollup_in_ingest():
    df, meta = ingest([str(GEN / "us_naics_utf8_bom.csv")], IngestOptions(level=2))
    assert sorted(set(df["industry"])) == ["10", "31-33", "54"]
    assert any(k.startswith("finer than --level 2") for k in meta["dropped"])


def test_auto_format_falls_back_to_generic():
    assert pick_adapter(str(GEN / "kz_oked_cp1251.csv")) == "generic"


# ------------------------------------------------------------------ real data: REAT (Germany)

def test_reat_germany_laender_employment():
    path = shared_path("reat_germany_eu", "REAT_G.regions.emp.csv")
    df, meta = ingest([str(path)])
    src = rows_of(path, "utf-8", ",")
    not_total = [r for r in src if r["region"] != "Insgesamt"]
    assert meta["rows_read"] == len(src) == 1428
    assert df.height == len(not_total) == 1344
    assert meta["dropped"] == {
        "region total rows (sum of the other regions; keep with --keep-region-totals)": len(src) - len(not_total)}
    assert df["employment"].sum() == sum(float(r["emp"]) for r in not_total)
    for year in ("2008", "2014"):
        expect = sum(float(r["emp"]) for r in not_total if r["year"] == year and r["industry"] == "Insgesamt")
        got = df.filter((pl.col("period") == year) & (pl.col("industry") == schema.ALL_INDUSTRIES))["employment"].sum()
        assert got == expect
    bw = get(df, region="Baden-Wuerttemberg", period="2008", industry="F")
    assert bw["employment"] == 200939 and bw["industry_name"] == "Baugewerbe"
    # the three A*10 groups listed by their (GENESIS-abbreviated) titles alone are the NACE
    # aggregates they name (session 32; custom industries at no level before): with the other
    # seven groups they add up to each Land's total, within rounding
    assert set(df["classification"]) == {"NACE"}
    named = {r["industry"]: r["industry_name"] for r in
             df.filter(pl.col("industry").is_in(["M-N", "O-Q", "R-U"])).unique("industry").iter_rows(named=True)}
    assert named == {"M-N": "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL",
                     "O-Q": "oeff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht",
                     "R-U": "Kunst, Unterhaltung, Erholung, Priv. Haush.,usw."}
    groups = df.filter(pl.col("industry").is_in(["A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U"]))
    totals = df.filter(pl.col("industry") == schema.ALL_INDUSTRIES)
    ratio = (groups.group_by("region", "period").agg(pl.col("employment").sum())
             .join(totals.select("region", "period", total="employment"), on=["region", "period"])
             .select((pl.col("employment") / pl.col("total")).alias("r"))["r"])
    assert ratio.min() > 0.998 and ratio.max() <= 1.0


def test_reat_germany_firms_and_employment_by_section():
    path = shared_path("reat_germany_eu", "REAT_G.regions.industries.csv")
    df, meta = ingest([str(path)])
    src = rows_of(path, "utf-8", ",")
    assert df.height == len(src) == 272
    reader = meta["readers"][str(path)]
    assert reader["columns"]["region"] == "region_code" and reader["columns"]["region_name"] == "region"
    assert reader["measure_columns"] == {"employment": "emp_all", "establishments": "firms"}
    assert df["establishments"].sum() == sum(float(r["firms"]) for r in src)
    assert df["employment"].sum() == sum(float(r["emp_all"]) for r in src)
    assert sorted(set(df["industry"])) == sorted({r["ind_code"].replace("WZ08-", "") for r in src})
    assert set(df["region"]) == {r["region_code"] for r in src} and len(set(df["region"])) == 16


def test_reat_eu28_eurostat_extract_with_section_aggregates():
    path = shared_path("reat_germany_eu", "REAT_EU28.emp.csv")
    df, _ = ingest([str(path)])
    src = rows_of(path, "utf-8", ",")
    assert df.height == len(src)
    # unit THS_PER: thousands of persons, read as persons
    assert df["employment"].sum() == pytest.approx(1000 * sum(float(r["emp1000"]) for r in src if r["emp1000"] != "NA"))
    assert {"B-E", "G-I", "M-N"} <= set(df["industry"])


@pytest.mark.parametrize("rel,adapter", [
    ("qcew/2016.annual.49001.beaver_county.csv", "qcew"),
    ("cbp/cbp16co_excerpt.txt", "cbp"),
    ("cbp/cbp21co_excerpt.txt", "cbp"),
    ("generic/de_laender_latin1.csv", "generic"),
])
def test_auto_format_picks_the_named_adapters(rel, adapter):
    path = TEST_DATA / rel
    if not path.exists():
        pytest.skip(f"{rel} not committed yet")
    assert pick_adapter(str(path)) == adapter


def test_auto_format_picks_eurostat_tsv(tmp_path):
    pytest.importorskip("clusterid.io.readers.eurostat", reason="the Eurostat adapter is not built yet")
    f = tmp_path / "nama_10r_3empers.tsv"
    f.write_text("unit,nace_r2,geo\\time\t2016 \t2015 \nTHS,C,DE1\t1.5 \t1.4 p\n", encoding="utf-8")
    assert pick_adapter(str(f)) == "eurostat"


def test_level_one_is_refused_for_naics():
    with pytest.raises(UsageError, match="NAICS has no level 1"):
        ingest([str(GEN / "us_naics_utf8_bom.csv")], IngestOptions(level=1))
    df, _ = ingest([str(GEN / "kz_oked_cp1251.csv")], IngestOptions(level=0))
    assert set(df["industry"]) == {schema.ALL_INDUSTRIES}  # published totals kept as published


@pytest.mark.parametrize("heading,role", [
    ("Region", "region"), ("area", "region"), ("Land", "region"), ("Bundesland", "region"),
    ("регион", "region"), ("Область", "region"), ("Oblys", "region"), ("region_code", "region_code"),
    ("area_fips", "region_code"), ("state_name", "region_name"),
    ("industry", "industry"), ("NAICS", "industry_code"), ("nace_r2", "industry_code"), ("WZ 2008", "industry_code"),
    ("OKED", "industry_code"), ("Код ОКЭД", "industry_code"), ("отрасль", "industry"), ("sector", "industry"),
    ("Sala", "industry"), ("industry_title", "industry_name"),
    ("year", "period"), ("Period", "period"), ("Jahr", "period"), ("год", "period"), ("Zhyl", "period"),
    ("employment", "employment"), ("emp", "employment"), ("Employees", "employment"),
    ("Beschäftigte", "employment"), ("Численность работников", "employment"), ("занятые", "employment"),
    ("Zhumysshylar", "employment"),
    ("establishments", "establishments"), ("firms", "establishments"), ("Betriebe", "establishments"),
    ("предприятия", "establishments"), ("wages", "wages"), ("annual_payroll", "wages"),
    ("output", "output"), ("GVA", "output"), ("value_added", "output"), ("Bruttowertschöpfung", "output"),
    ("population", None), ("area_sqkm", None), ("emp_share", None), ("lq_month1_emplvl", None),
])
def test_heading_recognition(heading, role):
    from clusterid.io.readers.generic_headings import role_of

    assert role_of(heading) == role


def test_kazakh_transliterated_headings(tmp_path):
    f = tmp_path / "kz.csv"
    f.write_text("Oblys;Sala;Zhyl;Zhumysshylar\nAlmaty oblysy;C;2020;1 200\nAqmola oblysy;C;2020;800\n"
                 "Barlygy;C;2020;2 000\n", encoding="utf-8")
    df, meta = ingest([str(f)])
    assert df.sort("region")["employment"].to_list() == [1200.0, 800.0]
    assert "region total rows" in next(iter(meta["dropped"]))


def test_row_order_and_number_format_do_not_change_the_table(tmp_path):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    regions = ["Bayern", "Berlin", "Saarland"]
    sections = ["A", "C", "F", "J"]
    cells = st.one_of(st.integers(0, 10**7).map(float), st.sampled_from(["(D)", "x", ".."]))

    @settings(max_examples=25, deadline=None)
    @given(st.lists(cells, min_size=12, max_size=12), st.randoms(use_true_random=False),
           st.sampled_from([(",", ".", ","), (";", ",", "."), ("\t", ",", " ")]))
    def check(values, rnd, fmt):
        sep, dec, th = fmt
        rows = [(r, s, v) for (r, s), v in zip([(r, s) for r in regions for s in sections], values)]

        def show(v):
            if isinstance(v, str):
                return v
            text = f"{int(v):,}".replace(",", "\x00").replace("\x00", th)
            return f'"{text}"' if sep in text else text

        def write(name, order):
            lines = [sep.join(["Land", "WZ", "Jahr", "Beschäftigte"])]
            lines += [sep.join([r, s, "2015", show(v)]) for r, s, v in order]
            (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            return str(tmp_path / name)

        shuffled = list(rows)
        rnd.shuffle(shuffled)
        a, _ = ingest([write("a.csv", rows)])
        b, _ = ingest([write("b.csv", shuffled)], IngestOptions(decimal=dec, thousands=th))
        assert a.equals(b)
        for r, s, v in rows:
            got = get(a, region=r, industry=s)
            assert got["employment"] == (None if isinstance(v, str) else v)

    check()


def test_ragged_rows_fail_or_are_set_aside(tmp_path):
    f = tmp_path / "ragged.csv"
    f.write_text("region,industry,year,employment\nA,54,2016,1\nB,54,2016,2,9\nC,54,3\nD,54,2016,4\n")
    with pytest.raises(DataError) as exc:
        ingest([str(f)])
    assert [p.line for p in exc.value.problems] == [3, 4]
    rejects = tmp_path / "rej.csv"
    df, meta = ingest([str(f)], IngestOptions(on_error="skip", rejects=str(rejects)))
    assert df["region"].to_list() == ["A", "D"] and meta["rejected_rows"] == 2
    assert [r["line"] for r in csv.DictReader(rejects.open())] == ["3", "4"]
