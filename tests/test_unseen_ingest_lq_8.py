"""``clusterid ingest`` and ``clusterid lq`` on files the project had not seen (round 8).

Each test pins one bug found by reshaping real published rows (tests/data/README.md names the
sources) into what users produce; figures are checked against the table clusterid wrote or a
plain recomputation here, never against the tool's own earlier output of the same file.
"""

from __future__ import annotations

import json

import pytest
from conftest import TEST_DATA, csv_rows as _rows, run_main, run_ok as _ok

DATA = TEST_DATA / "unseen8"


def _by_key(text: str, value: str = "lq") -> dict:
    keys = ("period", "region", "ownership", "industry", "measure")
    return {tuple(r.get(k) for k in keys): r[value] for r in _rows(text)}


def _close(a: str, b: str, rel: float = 1e-8) -> bool:
    if a == "" or b == "":
        return a == b
    return abs(float(a) - float(b)) <= rel * max(abs(float(a)), abs(float(b)))


# ------------------------------------------------------------------ canonical tables saved again

UTAH = DATA / "qcew_utah_2016q1_canonical.csv"
UTAH_DE = DATA / "qcew_utah_2016q1_canonical_excel_de.csv"
STATES = DATA / "qcew_states_2016q1_canonical.csv"
STATES_US = DATA / "qcew_states_2016q1_canonical_excel_us.csv"
STATES_DE = DATA / "qcew_states_2016q1_canonical_excel_de.csv"


def test_canonical_table_saved_by_a_continental_spreadsheet_is_read_as_written(tmp_path, capsys):
    """A canonical table ``ingest`` wrote, opened in a German Excel and saved as CSV: ``;``
    between fields, decimal commas (``22447,33333``), cp1252, CRLF, no sidecar.  Every cell of
    it was "not a canonical value" (hundreds of errors, nothing said about the decimal comma).
    It is the same table: its LQs, statistics and re-ingested cells agree with the original's
    to the ten digits the spreadsheet kept."""
    for command in (["lq"], ["stats"]):
        want, _ = _ok([*command, str(UTAH), "-o", "-"], capsys)
        got, _ = _ok([*command, str(UTAH_DE), "-o", "-"], capsys)
        key = "lq" if command == ["lq"] else "total"
        w, g = _by_key(want, key), _by_key(got, key)
        assert w.keys() == g.keys() and len(w) >= 8
        assert all(_close(w[k], g[k]) for k in w), command

    out = tmp_path / "again.csv"
    _ok(["ingest", str(UTAH_DE), "-o", str(out)], capsys)
    original = {(r["region"], r["ownership"], r["industry"]): r for r in _rows(UTAH.read_text())}
    again = _rows(out.read_text())
    assert len(again) == len(original)
    for r in again:
        o = original[(r["region"], r["ownership"], r["industry"])]
        assert r["level"] == o["level"] and r["employment_status"] == o["employment_status"]
        for m in ("employment", "establishments", "wages"):
            assert _close(r[m], o[m], 1e-9), (r, m)
    # Salt Lake County, 2016 Q1, private: BLS's months 556,666, 560,272 and 563,233 jobs
    slc = next(r for r in again if r["region"] == "49035" and r["ownership"] == "private"
               and r["industry"] == "10")
    assert float(slc["employment"]) == (556666 + 560272 + 563233) / 3


def test_spreadsheet_scientific_notation_is_refused_not_read_rounded(capsys):
    """The same table saved by an English Excel: New York's 169,909,519,858 dollars of wages
    (twelve digits) became ``1.6991E+11`` in the CSV, as the cell showed it.  Read as a
    number, the lost 480 million moved every wage LQ of the table, silently.  The cell is
    located (file, line, column, what it holds) with what to do, for the German save too."""
    code, _, err = run_main(["lq", str(STATES_US), "-o", "-", "--measure", "wages"], capsys)
    assert code == 1
    assert ("qcew_states_2016q1_canonical_excel_us.csv:66: column 'wages': a number cut to "
            "the digits a spreadsheet showed (expected the number written in full, found "
            "'1.6991E+11')") in err
    assert "scientific notation" in err and err.count("\n") == 2  # NY's private and total rows
    for command in (["stats", str(STATES_US)], ["ingest", str(STATES_US), "-o", "-"],
                    ["lq", str(STATES_DE), "-o", "-"]):
        code, out, err = run_main(command, capsys)
        assert code == 1 and out == "" and "a number cut to the digits a spreadsheet" in err, command
    code, _, err = run_main(["lq", str(STATES_DE), "-o", "-"], capsys)
    assert "excel_de.csv:66: column 'wages'" in err and "'1,6991E+11'" in err
    # the table clusterid wrote reads as before
    _ok(["lq", str(STATES), "-o", "-", "--measure", "wages"], capsys)


# ------------------------------------------------------------------ period headings

LAENDER = TEST_DATA / "reat" / "laender_emp.csv"


def _laender_by_year(years):
    """REAT's employees by Land x WZ section (tests/data/reat), wide by year: region, industry
    and one column per year, the years as ``years`` maps them to headings."""
    import polars as pl

    df = pl.read_csv(LAENDER, infer_schema_length=0).filter(pl.col("period").is_in(list(years)))
    df = df.select("period", "region", "industry", pl.col("employment").cast(pl.Float64).cast(pl.Int64))
    wide = df.pivot(on="period", index=["region", "industry"], values="employment")
    return wide.rename(years), df


def test_fiscal_years_are_refused_not_read_as_months(tmp_path, capsys):
    """Offices that count by fiscal year head their columns ``2010-11``, ``2011-12`` (or
    ``2011/12``).  Both are also how a month is written: the table was read as November 2010
    and December 2011, silently, with every LQ and shift-share labelled by the wrong month.
    A fiscal year (``FY2016``, ``2016–2017``, ``2012-13``) is refused with what to write
    instead, in a wide table and in a period column; months stay months."""
    import polars as pl

    wide, long = _laender_by_year({"2010": "2010-11", "2011": "2011-12"})
    path = tmp_path / "laender_fiscal_wide.csv"
    wide.write_csv(path)
    code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert ("laender_fiscal_wide.csv:1: column '2010-11': a month or a fiscal year (expected a "
            "calendar year (2016), a quarter (2016Q1) or a month (2016M03), found '2010-11'); "
            "write a month as 2010M11; a fiscal year: relabel '2010-11' with the calendar year "
            "it stands for (2010 or 2011)") in err
    assert "'2011-12'" in err

    # the same years in a period column, written 2010/11, and a run of fiscal years of which
    # 2012-13 can be no month: all of them fiscal years
    col = tmp_path / "laender_fiscal_long.csv"
    long.with_columns(pl.col("period").replace({"2010": "2010/11", "2011": "2011/12"})).write_csv(col)
    code, _, err = run_main(["lq", str(col), "-o", "-"], capsys)
    assert code == 1 and "laender_fiscal_long.csv:2: column 'period': a month or a fiscal year" in err
    runs = {"2010": "2010-11", "2011": "2011-12", "2012": "2012-13"}
    for name, years in (("run", runs), ("fy", {"2011": "FY2011", "2012": "FY2012"}),
                        ("dash", {"2011": "2011–2012", "2012": "2012–2013"})):
        path = tmp_path / f"laender_{name}.csv"
        _laender_by_year(years)[0].write_csv(path)
        code, _, err = run_main(["ingest", str(path), "-o", "-"], capsys)
        assert code == 1 and err.count("a fiscal year, not a calendar period") == len(years), name
    assert "relabel '2012–2013' with the calendar year it stands for (2012 or 2013)" in err

    # months in that notation, one of them no fiscal year: read as months
    months = tmp_path / "laender_months.csv"
    _laender_by_year({"2011": "2011-11", "2012": "2011-12"})[0].write_csv(months)
    out, _ = _ok(["ingest", str(months), "-o", "-"], capsys)
    assert {r["period"] for r in _rows(out)} == {"2011M11", "2011M12"}
    # the years as years, to be sure the reshaping above is a table the reader takes
    plain = tmp_path / "laender_years.csv"
    _laender_by_year({"2010": "2010", "2011": "2011"})[0].write_csv(plain)
    out, _ = _ok(["ingest", str(plain), "-o", "-"], capsys)
    assert {r["period"] for r in _rows(out)} == {"2010", "2011"}


UTAH_SAMPLE = TEST_DATA.parent.parent / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def test_quarter_headings_as_offices_write_them(tmp_path, capsys):
    """A table by quarter headed as Rosstat, the Kazakh bureau or Destatis write quarters
    (``I кв. 2016``, ``2016 г. I квартал``, ``2016 жылғы I тоқсан``, ``1. Quartal 2016``,
    ``1Q2016``) was "no period column recognised".  Each is read as the same table headed
    ``2016Q1``..``2016Q4``; ``2016 I`` (a quarter or a half-year?) is still refused."""
    import polars as pl

    raw = pl.read_csv(UTAH_SAMPLE, infer_schema_length=0).filter(
        pl.col("area_fips").is_in(["49011", "49035", "49049", "49057"]), pl.col("own_code") == "5",
        pl.col("agglvl_code").is_in(["71", "74"]))
    months = [pl.col(f"month{i}_emplvl").cast(pl.Int64) for i in (1, 2, 3)]
    raw = raw.with_columns(pl.sum_horizontal(months).alias("jobs_3_months"))
    wide = raw.pivot(on="qtr", index=["area_fips", "industry_code"], values="jobs_3_months")

    def table(fmt: str):
        path = tmp_path / f"utah_quarters_{len(list(tmp_path.iterdir()))}.csv"
        wide.rename({q: fmt.format(q=q, r=_ROMAN[q]) for q in "1234"}).write_csv(path)
        return path

    want, _ = _ok(["ingest", str(table("2016Q{q}")), "-o", "-"], capsys)
    assert len(_rows(want)) == 4 * 21 * 4
    # Salt Lake County, private, Q3: BLS's three months 575,558 + 579,252 + 578,106
    row = next(r for r in _rows(want) if (r["period"], r["region"], r["industry"]) == ("2016Q3", "49035", "10"))
    assert float(row["employment"]) == 575558 + 579252 + 578106
    for fmt in ("{r} кв. 2016", "{q} квартал 2016 г.", "2016 г. {r} квартал", "2016 жылғы {r} тоқсан",
                "{q}. Quartal 2016", "{q}Q2016", "Q{q} 2016", "2016-Q{q}", "2016 Qtr {q}"):
        got, _ = _ok(["ingest", str(table(fmt)), "-o", "-"], capsys)
        assert got == want, fmt
    code, _, err = run_main(["ingest", str(table("2016 {r}")), "-o", "-"], capsys)
    assert code == 1 and "no period column recognised" in err and "2016 I, 2016 II" in err


KZ_TITLE_YEAR = TEST_DATA / "generic" / "kz_wide_oked_title_year_cp1251.csv"


@pytest.mark.parametrize("title, period", [
    ("за I квартал 2022 года", "2022Q1"), ("за 2 квартал 2022 г.", "2022Q2"),
    ("за январь-март 2022 г.", "2022Q1"), ("2022 жылғы қаңтар-наурыз", "2022Q1"),
    ("за март 2022 года", "2022M03"), ("на 1 января 2022 года", "2022"),
    ("за январь-декабрь 2022 года", "2022"), ("за январь-июнь 2022 года", None),
    ("за 9 месяцев 2022 года", None), ("за I полугодие 2022 года", None)])
def test_a_title_naming_part_of_the_year_is_not_taken_for_the_year(tmp_path, capsys, title, period):
    """A stat.gov.kz table whose only period is its title line: "... за 2022 год" is the year
    2022.  A quarterly bulletin's "... за I квартал 2022 года" was read as the year 2022 too
    (every cell a quarter's figure labelled annual, silently).  A quarter or a month named
    with the year is that period; a part of the year that is none (January-June, 9 months)
    gives no period, so --period is asked for."""
    text = KZ_TITLE_YEAR.read_bytes().decode("cp1251").replace("за 2022 год", title)
    path = tmp_path / "kz_title.csv"
    path.write_bytes(text.encode("utf-8"))
    code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    if period is None:
        assert code == 1 and "no period column recognised" in err and "--period" in err
    else:
        assert code == 0, err
        assert {r["period"] for r in _rows(out)} == {period}


# ------------------------------------------------------------------ a state beside its counties

def test_state_row_beside_its_counties_is_not_summed_with_them(tmp_path, capsys):
    """A hand-made table of QCEW rows (columns renamed ``fips``/``region``, ``naics``,
    ``period``, ``jobs``) listing Utah statewide (49000) beside four of its counties.  Only a
    column headed ``area_fips`` got levels from the codes: under any other heading the state
    was a region like the counties, its jobs summed with theirs into the benchmark, and every
    county LQ was off, silently (Salt Lake County's mining, NAICS 21: 0.78, a county under-
    represented, instead of 1.50).  Codes
    that nest (xx000 and a county of that state) get the levels state and county; the LQs are
    the plain recomputation over the counties."""
    import polars as pl

    counties = ["49011", "49035", "49049", "49057"]
    raw = pl.read_csv(UTAH_SAMPLE, infer_schema_length=0).filter(
        pl.col("area_fips").is_in(["49000", *counties]), pl.col("qtr") == "1",
        pl.col("own_code") == "5", pl.col("agglvl_code").is_in(["51", "54", "71", "74"]),
        pl.col("disclosure_code").fill_null("") == "")
    table = raw.select(pl.lit("2016Q1").alias("period"), pl.col("area_fips").alias("fips"),
                       pl.col("industry_code").alias("naics"),
                       pl.col("month1_emplvl").cast(pl.Int64).alias("jobs"))
    jobs = {(r["fips"], r["naics"]): r["jobs"] for r in table.iter_rows(named=True)}
    sectors = sorted({n for (f, n) in jobs if n != "10" and all((c, n) in jobs for c in counties)})

    def lq(c, n):
        nation_i = sum(jobs[k, n] for k in counties)
        nation = sum(jobs[k, "10"] for k in counties)
        return (jobs[c, n] / jobs[c, "10"]) / (nation_i / nation)

    for heading in ("fips", "region"):
        path = tmp_path / f"utah_{heading}.csv"
        table.rename({"fips": heading}).write_csv(path)
        out, err = _ok(["lq", str(path), "-o", "-", "--measure", "employment"], capsys)
        assert "49000 (state)" in err  # alone at its level: said, not summed with the counties
        got = {(r["region"], r["industry"]): float(r["lq"]) for r in _rows(out)}
        for c in counties:
            for n in sectors:
                assert abs(got[c, n] - lq(c, n)) < 1e-6, (heading, c, n)
        assert round(got["49035", "21"], 2) == round(lq("49035", "21"), 2) == 1.50

    # a German Kreis table: Hamburg's key 02000 has no other key of its Land, so nothing nests
    kreise = tmp_path / "kreise.csv"
    kreise.write_text("region,wz,year,employment\n02000,C,2016,120000\n02000,F,2016,40000\n"
                      "01001,C,2016,5000\n01001,F,2016,3000\n11000,C,2016,100000\n11000,F,2016,60000\n")
    out, _ = _ok(["ingest", str(kreise), "-o", "-"], capsys)
    assert {r["region_level"] for r in _rows(out)} == {""}


# ------------------------------------------------------------------ a totals row at the bottom

@pytest.mark.parametrize("total", ["Deutschland insgesamt", "Insgesamt:", "Bundesgebiet zusammen",
                                   "Alle Länder", "Total Germany"])
def test_totals_row_under_the_regions_is_no_region(tmp_path, capsys, total):
    """REAT's employees by Land and WZ section, 2014, as a Land table is laid out: a row per
    Land and, under them, the row of Germany, headed as offices head it.  Only the bare words
    ("Insgesamt", "Deutschland") were taken for a total: "Deutschland insgesamt" was one more
    region, so every sum over regions counted Germany twice (the benchmark total 60.3 million
    jobs instead of 30.2 million) and the total was "the region" of each industry.  It is
    dropped as a region total and said; region names merely beginning like one are kept."""
    import polars as pl

    wide, _ = _laender_by_year({"2014": "2014"})
    wide = wide.pivot(on="industry", index="region", values="2014")
    sums = wide.select(pl.lit(total).alias("region"), pl.exclude("region").sum())
    path = tmp_path / "laender_2014.csv"
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write("Sozialversicherungspflichtig Beschäftigte nach Wirtschaftsabschnitten im Jahr 2014\n")
        fh.write(pl.concat([wide, sums]).rename({"10": "Insgesamt"}).write_csv(separator=";"))
        fh.write("Quelle: Bundesagentur für Arbeit\n")
    out, err = _ok(["lq", str(path), "-o", "-"], capsys)
    rows = _rows(out)
    assert total not in {r["region"] for r in rows} and len({r["region"] for r in rows}) == 16
    germany = sums.get_column("10").item()
    assert {float(r["benchmark_total"]) for r in rows} == {germany}
    assert germany == 30_169_648  # the 16 Länder's "Insgesamt", REAT 2014
    _ok(["ingest", str(path), "-o", str(tmp_path / "laender.csv")], capsys)
    dropped = json.loads((tmp_path / "laender.csv.meta.json").read_text())["dropped"]
    assert any(k.startswith("region total rows") and v == 1 for k, v in dropped.items()), dropped

    # a region whose name only begins like a total word is a region
    kept = tmp_path / "regions.csv"
    kept.write_text("region;C;F\nSumy;10;20\nTotalville;30;40\nGesamtschule Kreis;5;6\n")
    out, _ = _ok(["ingest", str(kept), "--period", "2016", "-o", "-"], capsys)
    assert {r["region"] for r in _rows(out)} == {"Sumy", "Totalville", "Gesamtschule Kreis"}


# ------------------------------------------------------------------ the all-industries column

@pytest.mark.parametrize("total", ["Alle Wirtschaftsabschnitte", "Всего по всем видам экономической деятельности",
                                   "Итого по всем отраслям", "Total - all industries", "Экономика - всего"])
def test_all_industries_named_as_a_phrase_is_the_region_total(tmp_path, capsys, total):
    """REAT's 2014 Länder table cut as a yearbook extract is: the all-industries column and a
    few sections (A, F, K), headed by name.  Only the bare words (Insgesamt, Всего, Total)
    were the total: "Всего по всем видам экономической деятельности" (Rosstat, the Kazakh
    bureau), "Alle Wirtschaftsabschnitte" (Destatis) ... were one more industry without a
    level, each region's total became the sum of the three sections listed, and every LQ was
    off (lq warned of sums of a level, but not why).  The phrase is the all-industries row
    and the LQs are the plain recomputation against the Länder's totals."""
    import polars as pl

    _, long = _laender_by_year({"2014": "2014"})
    names = {"10": total, "A": "Land- und Forstwirtschaft, Fischerei (A)", "F": "Baugewerbe (F)",
             "K": "Erbringung von Finanz- und Versicherungsdienstleistungen (K)"}
    cut = long.filter(pl.col("industry").is_in(list(names)))
    wide = cut.pivot(on="industry", index="region", values="employment").rename(names)
    path = tmp_path / "laender_2014_extract.csv"
    path.write_text("Beschäftigte nach Wirtschaftsabschnitten im Jahr 2014\n" + wide.write_csv(separator=";"))
    out, err = _ok(["lq", str(path), "-o", "-"], capsys)
    assert "no all-industry row" not in err and "no level" not in err, err
    jobs = {(r["region"], r["industry"]): r["employment"] for r in cut.iter_rows(named=True)}
    regions = {r for r, _ in jobs}
    germany = sum(jobs[r, "10"] for r in regions)
    got = {(r["region"], r["industry"]): float(r["lq"]) for r in _rows(out)}
    assert len(got) == 16 * 4
    for (region, code), lq in got.items():
        if code != "10":
            want = (jobs[region, code] / jobs[region, "10"]) / (sum(jobs[r, code] for r in regions) / germany)
            assert abs(lq - want) < 1e-6 * want, (region, code)


CONNECTICUT = DATA / "qcew_connecticut_2016q1_state_and_counties_private.csv"


@pytest.mark.parametrize("heading", ["area_fips", "fips"])
def test_fips_codes_that_lost_their_leading_zero_keep_their_levels(tmp_path, capsys, heading):
    """The QCEW rows of Connecticut statewide and its eight counties (private, 2016 Q1) saved
    as a workbook: the codes are numbers there, 09000 is 9000 and 09001 is 9001.  Four-digit
    codes got no level, even under ``area_fips``: the state was summed with its counties into
    every benchmark, silently.  They are QCEW's codes again (09001) with their levels, and the
    county LQs are the plain recomputation over the counties."""
    import openpyxl
    import polars as pl

    raw = pl.read_csv(CONNECTICUT, infer_schema_length=0)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([heading if c == "area_fips" else c for c in raw.columns])
    for row in raw.iter_rows():
        sheet.append([int(v) if v is not None and v.isdigit() else v for v in row])
    path = tmp_path / "connecticut.xlsx"
    book.save(path)

    out, err = _ok(["lq", str(path), "-o", "-", "--measure", "employment"], capsys)
    rows = _rows(out)
    assert {r["region"] for r in rows} >= {"09000", "09001", "09015"}
    assert "09000 (state)" in err
    ok = raw.filter(pl.col("disclosure_code").fill_null("") == "")
    jobs = {(r["area_fips"], r["industry_code"]): sum(int(r[f"month{i}_emplvl"]) for i in (1, 2, 3)) / 3
            for r in ok.iter_rows(named=True)}
    counties = sorted({a for a, _ in jobs if a != "09000"})
    assert len(counties) == 8
    every = [n for n in {n for _, n in jobs} if n != "10" and all((c, n) in jobs for c in counties)]
    got = {(r["region"], r["industry"]): float(r["lq"]) for r in rows if r["lq"]}
    for c in counties:
        for n in every:
            want = (jobs[c, n] / jobs[c, "10"]) / (sum(jobs[k, n] for k in counties)
                                                 / sum(jobs[k, "10"] for k in counties))
            assert abs(got[c, n] - want) < 1e-6 * want, (c, n)


def test_land_workbook_headed_wirtschaftsabschnitt_with_a_merged_title(tmp_path, capsys):
    """REAT's Länder employment (2013, 2014; total, A, F, K) as a Destatis workbook lays it
    out: a merged title, a "Stand" line, "Beschäftigte" merged over the years, the industry
    column headed "Wirtschaftsabschnitt", Germany's rows under the Länder and two notes.
    "Wirtschaftsabschnitt" (Destatis' word for a WZ section) named no column: "no industry
    column recognised".  The table is read, Germany's rows dropped as the total."""
    import openpyxl
    import polars as pl

    _, long = _laender_by_year({"2013": "2013", "2014": "2014"})
    names = {"10": "Insgesamt", "A": "Land- und Forstwirtschaft, Fischerei (A)", "F": "Baugewerbe (F)",
             "K": "Erbringung von Finanz- und Versicherungsdienstleistungen (K)"}
    cut = long.filter(pl.col("industry").is_in(list(names)))
    wide = cut.pivot(on="period", index=["region", "industry"], values="employment").sort("region", "industry")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Ländern"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Stand: jeweils 30. Juni"])
    sheet.append([])
    sheet.append(["Land", "Wirtschaftsabschnitt", "Beschäftigte", None])
    sheet.merge_cells("C4:D4")
    sheet.append([None, None, 2013, 2014])
    for r in wide.iter_rows(named=True):
        sheet.append([r["region"], names[r["industry"]], r["2013"], r["2014"]])
    for r in wide.group_by("industry").agg(pl.col("2013", "2014").sum()).sort("industry").iter_rows(named=True):
        sheet.append(["Deutschland", names[r["industry"]], r["2013"], r["2014"]])
    sheet.append([])
    sheet.append(["Quelle: Statistik der Bundesagentur für Arbeit"])
    path = tmp_path / "laender.xlsx"
    book.save(path)
    out, _ = _ok(["ingest", str(path), "-o", "-"], capsys)
    rows = _rows(out)
    assert len(rows) == 16 * 4 * 2 and "Deutschland" not in {r["region"] for r in rows}
    want = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in cut.iter_rows(named=True)}
    assert {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in rows} == want


def test_qcew_ownership_titles_are_the_ownerships(tmp_path, capsys):
    """A QCEW extract keeping ``own_title`` instead of ``own_code`` ("Total Covered",
    "Private", as BLS's data viewer exports it): the ownerships stayed "Total Covered" and
    "Private", so ``--denominator all-ownership`` (BLS's rule) found no 'total' row.  They
    are the names the QCEW adapter writes; the LQs equal those of the same rows by own_code."""
    import polars as pl

    raw = pl.read_csv(UTAH_SAMPLE, infer_schema_length=0).filter(
        pl.col("area_fips").is_in(["49011", "49035", "49049", "49057"]), pl.col("qtr") == "1",
        pl.col("agglvl_code").is_in(["70", "71", "74"]))
    table = raw.select(pl.col("area_fips").alias("Area Code"), pl.col("area_title").alias("Area"),
                       "own_code", pl.col("industry_code").alias("NAICS"), pl.lit("2016Q1").alias("Period"),
                       pl.col("disclosure_code").alias("Disclosure"), pl.col("month1_emplvl").alias("Employment"))
    codes, titles = tmp_path / "by_code.csv", tmp_path / "by_title.csv"
    table.write_csv(codes)
    table.with_columns(pl.col("own_code").replace({"0": "Total Covered", "5": "Private"})).rename(
        {"own_code": "Ownership"}).write_csv(titles)
    want, _ = _ok(["lq", str(codes), "--denominator", "all-ownership", "-o", "-"], capsys)
    got, _ = _ok(["lq", str(titles), "--denominator", "all-ownership", "-o", "-"], capsys)
    assert got == want and {r["ownership"] for r in _rows(got)} == {"private", "total"}
    # Salt Lake County, private construction (23) over the county's all-ownership total
    jobs = {(r["area_fips"], r["own_code"], r["industry_code"]): int(r["month1_emplvl"])
            for r in raw.iter_rows(named=True)}
    counties = ["49011", "49035", "49049", "49057"]
    lq = ((jobs["49035", "5", "23"] / jobs["49035", "0", "10"])
          / (sum(jobs[c, "5", "23"] for c in counties) / sum(jobs[c, "0", "10"] for c in counties)))
    row = next(r for r in _rows(got) if (r["region"], r["ownership"], r["industry"]) == ("49035", "private", "23"))
    assert abs(float(row["lq"]) - lq) < 1e-6 * lq


def test_blanks_around_key_cells_of_a_canonical_table(tmp_path, capsys):
    """The Utah canonical table edited by hand: ``"10 "`` for Salt Lake County's
    all-industries row, ``" 49011"`` for one of Davis County's rows (blanks a spreadsheet
    keeps).  Read as written, ``"10 "`` was no all-industries row (the county's total became a
    sum of its sectors) and ``" 49011"`` a region of one row: LQs off, with a warning about
    sums of a level at best.  The blanks are taken off, as every raw reader does; the same key
    twice once they are is a located duplicate."""
    text = UTAH.read_text().splitlines(keepends=True)
    edited = [ln.replace("2016Q1,49035,private,10,", "2016Q1,49035,private,10 ,")
              .replace("2016Q1,49011,private,23,", "2016Q1, 49011,private,23,") for ln in text]
    assert edited != text
    path = tmp_path / "utah_edited.csv"
    path.write_text("".join(edited))
    want, _ = _ok(["lq", str(UTAH), "-o", "-"], capsys)
    got, _ = _ok(["lq", str(path), "-o", "-"], capsys)
    assert got == want
    twice = tmp_path / "utah_twice.csv"
    twice.write_text("".join(text) + text[5].replace(",", " ,", 2))
    code, _, err = run_main(["lq", str(twice), "-o", "-"], capsys)
    assert code == 1 and f"utah_twice.csv:{len(text) + 1}: duplicate row for the same key" in err


@pytest.mark.parametrize("fmt", ["{y} ж.", "{y} жылы", "{y} года", "{y}г.", "Jahr {y}", "year {y}"])
def test_year_headings_with_their_word(tmp_path, capsys, fmt):
    """Year headings as the Kazakh bureau ("2013 ж.", "2013 жылы"), Rosstat ("2013 года") and
    others write them were "no period column recognised"; each is the year."""
    wide, _ = _laender_by_year({"2013": fmt.format(y=2013), "2014": fmt.format(y=2014)})
    path = tmp_path / "laender.csv"
    wide.write_csv(path)
    want, _ = _laender_by_year({"2013": "2013", "2014": "2014"})
    plain = tmp_path / "plain.csv"
    want.write_csv(plain)
    out, _ = _ok(["ingest", str(path), "-o", "-"], capsys)
    assert {r["period"] for r in _rows(out)} == {"2013", "2014"}
    assert out == _ok(["ingest", str(plain), "-o", "-"], capsys)[0]


def test_year_and_quarter_columns_with_roman_quarters(tmp_path, capsys):
    """A long table with a year column and a "квартал" column of Roman numerals (I .. IV), as
    Rosstat's EMISS exports write quarters: "2016 I" was "not a period".  Under a quarter
    heading the numeral is the quarter."""
    import polars as pl

    raw = pl.read_csv(UTAH_SAMPLE, infer_schema_length=0).filter(
        pl.col("area_fips").is_in(["49011", "49035"]), pl.col("own_code") == "5",
        pl.col("agglvl_code").is_in(["71", "74"]))
    table = raw.select(pl.col("area_fips").alias("region"), pl.col("industry_code").alias("naics"),
                       pl.col("year").alias("год"), pl.col("qtr").replace(_ROMAN).alias("квартал"),
                       pl.col("month1_emplvl").alias("employment"))
    path = tmp_path / "utah_roman_quarters.csv"
    table.write_csv(path)
    out, _ = _ok(["ingest", str(path), "-o", "-"], capsys)
    assert {r["period"] for r in _rows(out)} == {"2016Q1", "2016Q2", "2016Q3", "2016Q4"}
    row = next(r for r in _rows(out) if (r["period"], r["region"], r["industry"]) == ("2016Q4", "49035", "10"))
    want = raw.filter(pl.col("area_fips") == "49035", pl.col("qtr") == "4", pl.col("industry_code") == "10")
    assert float(row["employment"]) == float(want.get_column("month1_emplvl").item())


def test_raw_table_with_a_spreadsheet_exponent_says_what_happened(tmp_path, capsys):
    """A raw table saved again by a spreadsheet holds New York's wages as ``1.6991E+11``: it
    was already refused, but told to try --decimal/--thousands, which cannot help.  The hint
    says what the spreadsheet did."""
    path = tmp_path / "wages.csv"
    path.write_text("region,naics,year,wages\n36000,10,2016,1.6991E+11\n36000,11,2016,173526883\n"
                    "42000,10,2016,143220000000\n42000,11,2016,123456789\n")
    code, _, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1 and "wages.csv:2: column 'wages': not a number" in err
    assert "scientific notation" in err and "--decimal" not in err


def test_qcew_file_saved_again_by_a_spreadsheet_is_refused(capsys):
    """BLS's statewide QCEW rows of New York and Pennsylvania opened in a spreadsheet and
    saved again as CSV: New York's total_qtrly_wages 169,909,519,858 became ``1.6991E+11``.
    The QCEW adapter parsed it (its reader takes exponents) and every wage LQ moved, silently.
    The cell is located and the file refused; the file as BLS publishes it reads as before."""
    code, out, err = run_main(["lq", str(DATA / "qcew_2016q1_ny_pa_statewide_excel.csv"),
                               "--measure", "wages", "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert ("qcew_2016q1_ny_pa_statewide_excel.csv:2: column 'total_qtrly_wages': a number cut "
            "to the digits a spreadsheet showed (expected the number written in full, found "
            "'1.6991E+11')") in err
    out, _ = _ok(["lq", str(DATA / "qcew_2016q1_ny_pa_statewide.csv"), "--measure", "wages", "-o", "-"], capsys)
    row = next(r for r in _rows(out) if (r["region"], r["ownership"], r["industry"]) == ("36000", "total", "10"))
    assert float(row["value"]) == 169909519858.0


def test_two_digit_sectors_with_10_are_not_guessed_as_nace(tmp_path, capsys):
    """Utah counties' private jobs by NAICS sector as a hand-made table headed ``industry``,
    the sectors that are single codes (11, 21, 22, 23, 42, 51 ... without the ranges 31-33,
    44-45, 48-49) and the total as QCEW writes it, ``10``.  "10" is no NAICS sector, so the
    codes were read as NACE divisions: 10 food, 11 beverages, 42 civil engineering; no total,
    every LQ off, silently.  With a name beside it, "10" is settled by the name; without one,
    --classification is asked for, and with it the LQs are the plain recomputation."""
    import polars as pl

    raw = pl.read_csv(UTAH_SAMPLE, infer_schema_length=0).filter(
        pl.col("area_fips").is_in(["49011", "49035", "49049", "49057"]), pl.col("qtr") == "1",
        pl.col("own_code") == "5", pl.col("agglvl_code").is_in(["71", "74"]),
        ~pl.col("industry_code").str.contains("-"), pl.col("disclosure_code").fill_null("") == "")
    table = raw.select(pl.col("area_fips").alias("region"), pl.col("industry_code").alias("industry"),
                       pl.col("year"), pl.col("month1_emplvl").alias("employment"))
    path = tmp_path / "utah_sectors.csv"
    table.write_csv(path)
    code, _, err = run_main(["lq", str(path), "-o", "-"], capsys)
    assert code == 1 and "utah_sectors.csv:2: column 'industry': cannot tell NAICS from NACE" in err
    assert "--classification naics or nace" in err

    canonical = tmp_path / "utah_sectors_naics.csv"
    _ok(["ingest", str(path), "--classification", "naics", "-o", str(canonical)], capsys)
    out, _ = _ok(["lq", str(canonical), "-o", "-"], capsys)
    named = tmp_path / "utah_sectors_named.csv"
    table.with_columns(pl.when(pl.col("industry") == "10").then(pl.lit("Total, all industries"))
                       .otherwise(pl.lit(None)).alias("industry_name")).write_csv(named)
    jobs = {(r["region"], r["industry"]): int(r["employment"]) for r in table.iter_rows(named=True)}
    counties = ["49011", "49035", "49049", "49057"]
    got = {(r["region"], r["industry"]): float(r["lq"]) for r in _rows(out) if r["lq"]}
    n = "42"
    want = (jobs["49035", n] / jobs["49035", "10"]) / (sum(jobs[c, n] for c in counties)
                                                     / sum(jobs[c, "10"] for c in counties))
    assert abs(got["49035", n] - want) < 1e-6 * want
    assert {r["industry"] for r in _rows(out)} >= {"10", "11", "42", "51"}
    named_out = _rows(_ok(["lq", str(named), "-o", "-"], capsys)[0])
    assert {(r["region"], r["industry"]): r["lq"] for r in named_out} == \
        {(r["region"], r["industry"]): r["lq"] for r in _rows(out)}
    # the same codes named as NACE divisions: NACE (C10 food stays an industry)
    nace = tmp_path / "wz_divisions.csv"
    nace.write_text("region,industry,industry_name,year,employment\n"
                    "DE1,10,Herstellung von Nahrungs- und Futtermitteln,2016,100\n"
                    "DE1,11,Getränkeherstellung,2016,20\nDE1,21,Herstellung von pharmazeutischen Erzeugnissen,2016,30\n"
                    "DE2,10,Herstellung von Nahrungs- und Futtermitteln,2016,50\n"
                    "DE2,11,Getränkeherstellung,2016,10\nDE2,21,Herstellung von pharmazeutischen Erzeugnissen,2016,90\n")
    out, _ = _ok(["ingest", str(nace), "-o", "-"], capsys)
    assert {(r["industry"], r["classification"]) for r in _rows(out)} == {("C10", "NACE"), ("C11", "NACE"), ("C21", "NACE")}


def test_workbook_of_one_sheet_per_year_takes_the_year_from_the_sheet(tmp_path, capsys):
    """REAT's Länder table as a workbook of one sheet per year, sheets named "2013" and
    "2014", the tables without a year: "no period column recognised".  A sheet named as a
    period gives its table that period (the others are named in the warning, --sheet reads
    them)."""
    import openpyxl
    import polars as pl

    _, long = _laender_by_year({"2013": "2013", "2014": "2014"})
    cut = long.filter(pl.col("industry").is_in(["10", "A", "F", "K"]))
    book = openpyxl.Workbook()
    for i, year in enumerate(("2013", "2014")):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = year
        wide = cut.filter(pl.col("period") == year).pivot(on="industry", index="region", values="employment")
        sheet.append(["Land", "Insgesamt", "A", "F", "K"])
        for row in wide.select("region", "10", "A", "F", "K").iter_rows():
            sheet.append(list(row))
    path = tmp_path / "laender_by_year.xlsx"
    book.save(path)
    out, err = _ok(["ingest", str(path), "-o", "-"], capsys)
    # (since session 24 both year sheets are read, each with its year: known gaps 24)
    assert {r["period"] for r in _rows(out)} == {"2013", "2014"}
    assert "2 sheets read, one per year ('2013', '2014')" in err
    out, _ = _ok(["ingest", str(path), "--sheet", "2014", "-o", "-"], capsys)
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in _rows(out)}
    want = {(r["period"], r["region"], r["industry"]): float(r["employment"])
            for r in cut.filter(pl.col("period") == "2014").iter_rows(named=True)}
    assert got == want


def test_state_and_county_columns_of_names(tmp_path, capsys):
    """QCEW's Utah rows laid out by name, as a download by name has them: State ("Utah"),
    County ("Salt Lake County", empty on the state's own rows), NAICS, Employment.  The state
    column was the region and the county column ignored: "duplicate row" for every county of
    a state.  A county is "Salt Lake County, Utah" (a county name repeats across states), the
    state's rows its own region of level state, and the county LQs the plain recomputation."""
    import polars as pl

    counties = ["49011", "49035", "49049", "49057"]
    raw = pl.read_csv(UTAH_SAMPLE, infer_schema_length=0).filter(
        pl.col("area_fips").is_in(["49000", *counties]), pl.col("qtr") == "1", pl.col("own_code") == "5",
        pl.col("agglvl_code").is_in(["51", "54", "71", "74"]), pl.col("disclosure_code").fill_null("") == "")
    county = pl.col("area_title").str.extract(r"^(.*County), Utah$", 1)
    table = raw.select(pl.col("year").alias("Year"), pl.lit("Utah").alias("State"), county.alias("County"),
                       pl.col("industry_code").alias("NAICS"), pl.col("month1_emplvl").alias("Employment"))
    path = tmp_path / "utah_by_name.csv"
    table.write_csv(path)
    out, _ = _ok(["lq", str(path), "-o", "-"], capsys)
    rows = _rows(out)
    assert {r["region"] for r in rows} == {"Utah", "Davis County, Utah", "Salt Lake County, Utah",
                                           "Utah County, Utah", "Weber County, Utah"}
    jobs = {(r["area_fips"], r["industry_code"]): int(r["month1_emplvl"]) for r in raw.iter_rows(named=True)}
    name = {"49011": "Davis County, Utah", "49035": "Salt Lake County, Utah"}
    got = {(r["region"], r["industry"]): float(r["lq"]) for r in rows if r["lq"]}
    for c in ("49011", "49035"):
        want = (jobs[c, "21"] / jobs[c, "10"]) / (sum(jobs[k, "21"] for k in counties)
                                                 / sum(jobs[k, "10"] for k in counties))
        assert abs(got[name[c], "21"] - want) < 1e-6 * want
    levels = {r["region"]: r["region_level"] for r in _rows(_ok(["ingest", str(path), "-o", "-"], capsys)[0])}
    assert levels["Utah"] == "state" and levels["Weber County, Utah"] == "county"


def test_canonical_table_saved_again_under_its_name_keeps_a_stale_sidecar(tmp_path, capsys):
    """A canonical table opened in a spreadsheet and saved under its own name (UTF-8 with BOM,
    CRLF, 541086.0 written 541086): its sidecar no longer matches.  That is refused (exit 2)
    and the message now says what to do for a table edited on purpose; without the sidecar
    the table reads as the original."""
    import re

    table = tmp_path / "utah.csv"
    _ok(["ingest", str(UTAH), "-o", str(table)], capsys)
    want, _ = _ok(["lq", str(table), "-o", "-"], capsys)
    text = re.sub(r"(?<=[,\n])(\d+)\.0(?=[,\r\n])", r"\1", table.read_text())
    table.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    code, _, err = run_main(["lq", str(table), "-o", "-"], capsys)
    assert code == 2 and "utah.csv.meta.json does not match the data" in err
    assert "delete utah.csv.meta.json to read it as a table clusterid did not write" in err
    (tmp_path / "utah.csv.meta.json").unlink()
    got, _ = _ok(["lq", str(table), "-o", "-"], capsys)
    assert got == want


EAST = ["Berlin", "Brandenburg", "Mecklenburg-Vorpommern", "Freistaat Sachsen", "Sachsen-Anhalt", "Thueringen"]


@pytest.mark.parametrize("aggregate", ["Neue Länder einschl. Berlin", "Früheres Bundesgebiet ohne Berlin"])
def test_west_and_east_germany_beside_the_laender_are_no_places(tmp_path, capsys, aggregate):
    """REAT's 2014 Länder table with the row Destatis prints under the Länder: "Neue Länder
    einschl. Berlin" (the six eastern Länder) or "Früheres Bundesgebiet ohne Berlin" (the
    ten western).  It was one more region of the Länder's level: its jobs counted twice in
    every sum over regions, the Länder's LQs off (silently).  It is an aggregate; the Länder's
    LQs are the plain recomputation over the sixteen Länder."""
    import polars as pl

    wide, long = _laender_by_year({"2014": "2014"})
    wide = wide.pivot(on="industry", index="region", values="2014")
    part = wide.filter(pl.col("region").is_in(EAST) == aggregate.startswith("Neue"))
    extra = part.select(pl.lit(aggregate).alias("region"), pl.exclude("region").sum())
    path = tmp_path / "laender_2014.csv"
    path.write_text("Beschäftigte nach Ländern im Jahr 2014\n"
                    + pl.concat([wide, extra]).rename({"10": "Insgesamt"}).write_csv(separator=";"))
    out, _ = _ok(["lq", str(path), "-o", "-"], capsys)
    jobs = {(r["region"], r["industry"]): r["employment"] for r in long.iter_rows(named=True)}
    laender = {r for r, _ in jobs}
    assert len(laender) == 16
    got = {(r["region"], r["industry"]): float(r["lq"]) for r in _rows(out) if r["lq"]}
    for land in laender:
        for code in ("F", "K"):
            want = (jobs[land, code] / jobs[land, "10"]) / (sum(jobs[k, code] for k in laender)
                                                           / sum(jobs[k, "10"] for k in laender))
            assert abs(got[land, code] - want) < 1e-6 * want, (land, code)
    out, _ = _ok(["ingest", str(path), "-o", "-"], capsys)
    assert {r["region_level"] for r in _rows(out) if r["region"] == aggregate} == {"aggregate"}


def test_region_names_merged_over_their_rows_in_a_workbook(tmp_path, capsys):
    """A yearbook sheet lays out REAT's Länder (2014; total, A, F, K) with each Land's name
    and the year in cells merged down over its four rows.  Read only in the range's first
    row, the other rows had an empty region: "empty key cell" on three rows of four.  A label
    merged down over data rows stands for each of them."""
    import openpyxl
    import polars as pl

    _, long = _laender_by_year({"2014": "2014"})
    lands = ["Bayern", "Hessen", "Freistaat Sachsen"]
    cut = long.filter(pl.col("industry").is_in(["10", "A", "F", "K"]), pl.col("region").is_in(lands))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Beschäftigte nach Ländern und Wirtschaftsabschnitten"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Land", "Jahr", "Wirtschaftsabschnitt", "Beschäftigte"])
    row = 3
    for land in lands:
        block = cut.filter(pl.col("region") == land).sort("industry")
        for i, r in enumerate(block.iter_rows(named=True)):
            sheet.append([land if i == 0 else None, 2014 if i == 0 else None,
                          "Insgesamt" if r["industry"] == "10" else r["industry"], r["employment"]])
        sheet.merge_cells(f"A{row}:A{row + block.height - 1}")
        sheet.merge_cells(f"B{row}:B{row + block.height - 1}")
        row += block.height
    path = tmp_path / "laender_merged.xlsx"
    book.save(path)
    out, _ = _ok(["ingest", str(path), "-o", "-"], capsys)
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in _rows(out)}
    assert got == {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in cut.iter_rows(named=True)}


def test_measure_column_beside_last_years_is_the_plain_one(tmp_path, capsys):
    """REAT's Länder jobs for 2014 as a Land office prints them: "Beschäftigte Vorjahr" (2013)
    before "Beschäftigte" (2014), the year in the title.  Both headings say employment and
    the first was taken: 2013's jobs labelled 2014, silently.  The heading without a
    qualifier is the measure; two qualified ones ("Frauen", "Männer") are asked about."""
    import polars as pl

    _, long = _laender_by_year({"2013": "2013", "2014": "2014"})
    both = long.pivot(on="period", index=["region", "industry"], values="employment")
    table = both.select(pl.col("region").alias("Land"), pl.col("industry").alias("WZ"),
                        pl.col("2013").alias("Beschäftigte Vorjahr"), pl.col("2014").alias("Beschäftigte"))
    path = tmp_path / "laender_2014.csv"
    path.write_text("Beschäftigte im Jahr 2014\n" + table.write_csv(separator=";"))
    out, _ = _ok(["ingest", str(path), "-o", "-"], capsys)
    got = {(r["period"], r["region"], r["industry"]): float(r["employment"]) for r in _rows(out)}
    want = {("2014", r["region"], r["industry"]): float(r["employment"])
            for r in long.filter(pl.col("period") == "2014").iter_rows(named=True)}
    assert got == want
    sexes = tmp_path / "laender_by_sex.csv"
    sexes.write_text("Beschäftigte im Jahr 2014\n" + table.rename(
        {"Beschäftigte Vorjahr": "Beschäftigte Frauen", "Beschäftigte": "Beschäftigte Männer"}).write_csv(separator=";"))
    code, _, err = run_main(["ingest", str(sexes), "-o", "-"], capsys)
    assert code == 1 and "several columns could be employment" in err and "--measure-col employment=" in err


def test_canonical_nace_table_cut_to_its_keys_keeps_its_total(tmp_path, capsys):
    """REAT's canonical Länder table (tests/data/reat) cut down in a spreadsheet to period,
    region, industry and employment: no classification or level column, so the generic
    reader reads it.  Its all-industries code ``10`` beside the sections A, B-E, F ... was
    taken for NACE division C10 (food): no region total, each region's total the sum of its
    sections plus a phantom food industry as large as the economy, every LQ off, silently.
    Beside sections alone, 10 is the total (a name saying otherwise keeps C10), and the LQs
    are the full table's."""
    import polars as pl

    cut = tmp_path / "laender_keys.csv"
    pl.read_csv(LAENDER, infer_schema_length=0).select("period", "region", "industry", "employment").write_csv(cut)
    want, _ = _ok(["lq", str(LAENDER), "-o", "-"], capsys)
    got, _ = _ok(["lq", str(cut), "-o", "-"], capsys)
    keys = ("period", "region", "industry", "lq")
    assert [tuple(r[k] for k in keys) for r in _rows(got)] == [tuple(r[k] for k in keys) for r in _rows(want)]

    food = tmp_path / "food.csv"
    food.write_text("region,industry,industry_name,year,employment\n"
                    "DE1,10,Herstellung von Nahrungsmitteln,2016,100\nDE1,A,Landwirtschaft,2016,20\n"
                    "DE2,10,Herstellung von Nahrungsmitteln,2016,50\nDE2,A,Landwirtschaft,2016,30\n")
    out, _ = _ok(["ingest", str(food), "-o", "-"], capsys)
    assert {r["industry"] for r in _rows(out)} == {"C10", "A"}
    # 10 beside the division C10 itself cannot be C10 too: the total ("duplicate row" before)
    both = tmp_path / "divisions.csv"
    both.write_text("region,industry,year,employment\nDE1,10,2016,1000\nDE1,C,2016,300\nDE1,C10,2016,100\n"
                    "DE2,10,2016,500\nDE2,C,2016,100\nDE2,C10,2016,50\n")
    out, _ = _ok(["ingest", str(both), "-o", "-"], capsys)
    assert {(r["industry"], r["level"]) for r in _rows(out)} == {("10", "0"), ("C", "1"), ("C10", "2")}


def test_two_headings_of_one_period_are_named(tmp_path, capsys):
    """A Land table headed 2013, 2014 and "2014p" (a provisional figure beside the final one):
    both 2014 columns were read into period 2014, "duplicate row" on every line with neither
    heading named.  The two headings are named as one period."""
    wide, _ = _laender_by_year({"2013": "2013", "2014": "2014"})
    path = tmp_path / "laender.csv"
    wide.with_columns(wide.get_column("2014").alias("2014p")).write_csv(path)
    code, _, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1 and err.count("\n") == 1
    assert "column '2014p': two column headings name the same period" in err and "'2014' and '2014p': 2014" in err
