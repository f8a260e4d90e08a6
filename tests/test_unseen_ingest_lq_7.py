"""``clusterid ingest`` and ``clusterid lq`` on files the project had not seen (round 7).

Each test pins one bug found by reshaping real published rows (tests/data/README.md names the
sources) into layouts agencies and users produce; figures are checked against the agency's
published values or a plain recomputation here, never against the tool's own earlier output.
"""

from __future__ import annotations

from conftest import TEST_DATA, csv_rows as _rows, run_main, run_ok as _ok

DATA = TEST_DATA / "unseen7"
TOY = TEST_DATA / "lq" / "toy_canonical.csv"
TOY_SHARES = TEST_DATA / "lq" / "toy_shares.csv"


# ------------------------------------------------------------------ blank lines in a CSV table

def test_blank_lines_in_a_hand_made_table_are_no_rows(tmp_path, capsys):
    """A canonical-layout CSV or a table of shares typed in an editor often ends in an empty
    line.  polars reads a blank line as a row of nulls: lq refused the table ("a key cell is
    empty") and the shares ("several rows for one benchmark cell, industry=None").  A blank
    line is no row, as in every raw reader; a real key-less row is still located by its line."""
    text = TOY.read_text()
    lines = text.splitlines(keepends=True)
    blank = tmp_path / "toy_blank_lines.csv"
    blank.write_text("".join(lines[:4]) + "\n" + "".join(lines[4:]) + "\n\n")
    shares = tmp_path / "shares_blank_line.csv"
    shares.write_text(TOY_SHARES.read_text() + "\n")

    want, _ = _ok(["lq", str(TOY), "-o", "-"], capsys)
    got, _ = _ok(["lq", str(blank), "-o", "-"], capsys)
    assert got == want
    want, _ = _ok(["lq", str(TOY), "-o", "-", "-b", str(TOY_SHARES)], capsys)
    got, _ = _ok(["lq", str(TOY), "-o", "-", "-b", str(shares)], capsys)
    assert got == want
    # A at 11: (40/100) / (0.25) from the hand-made shares
    row = next(r for r in _rows(got) if r["region"] == "A" and r["industry"] == "11")
    assert float(row["lq"]) == 1.6

    keyless = tmp_path / "keyless_after_blank.csv"
    keyless.write_text("".join(lines[:4]) + "\n" + ",A,total,31,2,5,reported\n" + "".join(lines[4:]))
    code, _, err = run_main(["lq", str(keyless), "-o", "-"], capsys)
    assert code == 1
    assert "keyless_after_blank.csv:6: a key cell is empty" in err  # line 5 is the blank one
    assert err.count("a key cell is empty") == 1


# ------------------------------------------------------------------ one file named twice

BEAVER = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"


def test_a_file_named_twice_is_read_once(tmp_path, capsys):
    """``clusterid ingest 'qcew/*.csv' qcew/2016.annual.49001.beaver_county.csv``: the glob
    and the name both give Beaver County's annual file.  Read twice, every one of its rows
    was a duplicate of itself (exit 1, "first seen on line 2" about line 2).  It is one input:
    read once, with a warning; a copy under another name is still a duplicate."""
    once = tmp_path / "once.csv"
    twice = tmp_path / "twice.csv"
    _ok(["ingest", str(BEAVER), "-o", str(once)], capsys)
    _, err = _ok(["ingest", str(BEAVER.parent / "2016.annual.*.csv"), str(BEAVER),
                  "-o", str(twice)], capsys)
    assert "given more than once" in err and BEAVER.name in err
    assert twice.read_text() == once.read_text()
    # BLS's county total: 2,719 jobs, 243 establishments (annual averages)
    total = next(r for r in _rows(once.read_text())
                 if r["ownership"] == "total" and r["industry"] == "10")
    assert (float(total["employment"]), float(total["establishments"])) == (2719.0, 243.0)

    copy = tmp_path / "beaver_copy.csv"
    copy.write_bytes(BEAVER.read_bytes())
    code, _, err = run_main(["ingest", str(BEAVER), str(copy), "-o", str(tmp_path / "x.csv")], capsys)
    assert code == 1 and "duplicate row" in err and "beaver_copy.csv" in err


# ------------------------------------------------------------------ agency files saved again

UTAH_SLICE = TEST_DATA / "unseen3" / "qcew_utah_2016q1_state_suppressed_slice.csv"
CBP_COUNTY = TEST_DATA / "cbp" / "cbp16co_excerpt.txt"


def _resaved(src, dest, encoding: str, sep: str) -> None:
    """``src`` (a CSV) as a spreadsheet saves it again: "Unicode Text" is UTF-16 LE with a
    byte-order mark, tab separated, CRLF; "Text (Tab delimited)" a single-byte code page."""
    import csv
    import io

    with open(src, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    dest.write_bytes(out.getvalue().encode(encoding))


def test_qcew_and_cbp_files_saved_as_unicode_or_tab_text(tmp_path, capsys):
    """BLS's rows for Utah and two of its counties (2016 Q1) saved by a spreadsheet as
    "Unicode Text" were not recognised as QCEW (the sniffer cut the UTF-16 header mid-character)
    and went to the generic reader: no region levels, so ``lq -b sum`` summed the state with
    its own counties (Utah's 2381: LQ 0.965 against a 1,235,517-job "total", not 1 against its
    1,137,217).  Saved as "Text (Tab delimited)" the file was recognised but read with commas:
    "not a QCEW file".  Both are the CSV they were; so is a CBP county file saved with tabs."""
    want, _ = _ok(["ingest", str(UTAH_SLICE), "-o", "-", "--ownership", "all"], capsys)
    want_lq, _ = _ok(["lq", str(UTAH_SLICE), "-o", "-"], capsys)
    for name, encoding, sep in (("utah.txt", "utf-16", "\t"), ("utah_tab.txt", "cp1252", "\t"),
                                ("utah_semicolon.csv", "utf-8", ";")):
        path = tmp_path / name
        _resaved(UTAH_SLICE, path, encoding, sep)
        got, _ = _ok(["ingest", str(path), "-o", "-", "--ownership", "all"], capsys)
        assert got == want, name
        got_lq, _ = _ok(["lq", str(path), "-o", "-"], capsys)
        assert got_lq == want_lq, name
    rows = _rows(got)
    assert {r["region"]: r["region_level"] for r in rows} == {
        "49000": "state", "49003": "county", "49057": "county"}
    state = next(r for r in _rows(got_lq) if r["region"] == "49000" and r["industry"] == "2381")
    assert float(state["benchmark_total"]) == 1137217.0 and float(state["lq"]) == 1.0

    want, _ = _ok(["ingest", str(CBP_COUNTY), "-o", "-"], capsys)
    for encoding in ("cp1252", "utf-16"):
        path = tmp_path / encoding / CBP_COUNTY.name  # the file's name gives CBP's year
        path.parent.mkdir()
        _resaved(CBP_COUNTY, path, encoding, "\t")
        got, _ = _ok(["ingest", str(path), "-o", "-"], capsys)
        assert got == want, encoding
    assert {r["period"] for r in _rows(got)} == {"2016"}


# ------------------------------------------------------------------ files by industry

BY_INDUSTRY = DATA / "qcew_connecticut_2016q1_by_industry.csv"


def _bls_month1(path) -> tuple[dict, dict]:
    """({area: all-ownership total}, {(area, industry): private employment}) of month 1 of a
    raw QCEW slice, disclosed cells only."""
    import csv

    totals, cells = {}, {}
    with open(path, newline="") as fh:
        for r in csv.DictReader(fh):
            if r["own_code"] == "0" and r["industry_code"] == "10":
                totals[r["area_fips"]] = float(r["month1_emplvl"])
            elif r["own_code"] == "5" and r["disclosure_code"] != "N":
                cells[(r["area_fips"], r["industry_code"])] = float(r["month1_emplvl"])
    return totals, cells


def test_file_by_industry_benchmark_total_counts_every_region(capsys):
    """BLS's by-industry files (one file per industry, every area) cut to Connecticut, 2016 Q1:
    the all-industry rows of its eight counties and 09999, and NAICS 323120 and 424320, which
    only three or four counties have (the others have no establishment: no row).  E, the sum
    of the regions' totals, ran only over the counties with a row at the code level: 1,392,395
    of the state's 1,639,851 jobs, every LQ 18% too high.  The counties without the industry
    are part of the benchmark's total (and so is 09999, summed with the counties)."""
    out, err = _ok(["lq", str(BY_INDUSTRY), "-o", "-", "--denominator", "all-ownership",
                    "--month", "1", "-m", "employment"], capsys)
    totals, cells = _bls_month1(BY_INDUSTRY)
    E = sum(totals.values())
    assert E == 1639851.0 and len(totals) == 9
    rows = [r for r in _rows(out) if r["industry"] != "10"]
    assert len(rows) == len(cells) == 7
    for r in rows:
        e_i = cells[(r["region"], r["industry"])]
        E_i = sum(v for (_, ind), v in cells.items() if ind == r["industry"])
        want = (e_i / totals[r["region"]]) / (E_i / E)
        assert float(r["benchmark_total"]) == E
        assert abs(float(r["lq"]) - want) <= 1e-6 * want, (r["region"], r["industry"])
    fairfield = next(r for r in rows if (r["region"], r["industry"]) == ("09001", "323120"))
    assert abs(float(fairfield["lq"]) - 1.51558) < 1e-4  # (110/417,606) / (285/1,639,851)
    # --denominator total (the default): a private row's own private total is absent here,
    # the sum of the level's industries stands in; E still over every county
    out, _ = _ok(["lq", str(BY_INDUSTRY), "-o", "-", "--month", "1", "-m", "employment",
                  "--ownership", "total"], capsys)
    assert {float(r["benchmark_total"]) for r in _rows(out)} == {E}


def test_unallocated_area_is_not_said_to_be_alone(capsys):
    """09999 'Unknown Or Undefined' is summed with Connecticut's counties (its jobs are in
    E above), yet lq said it was "alone at its region level, so its sum-of-regions benchmark is
    itself and every LQ is 1": neither held.  A state among its counties still is alone."""
    _, err = _ok(["lq", str(BY_INDUSTRY), "-o", "-", "--month", "1"], capsys)
    assert "alone at its region level" not in err
    _, err = _ok(["lq", str(UTAH_SLICE), "-o", "-"], capsys)
    assert "alone at its region level" in err and "49000 (state)" in err


# ------------------------------------------------------------------ Eurostat's aggregates

EU_TSV = DATA / "namq_10_a10_e_with_ea_eu_aggregates.tsv"


def test_eurostat_euro_area_of_changing_composition_is_an_aggregate(tmp_path, capsys):
    """Eurostat's national-accounts tables list, beside the countries, the euro area of
    changing composition as plain ``EA`` (and EA19, EU28 ...).  ``EA`` has two letters like a
    country: read as one (nuts0), it was summed with its own 19 members into the benchmark,
    and the countries' LQs were wrong (A*10 employment 2015-2016, REAT's copy of
    namq_10_a10_e; the aggregates are the sums of their members)."""
    out, _ = _ok(["ingest", str(EU_TSV), "-o", "-"], capsys)
    levels = {r["region"]: r["region_level"] for r in _rows(out)}
    assert {g: levels[g] for g in ("EA", "EA19", "EU28")} == dict.fromkeys(("EA", "EA19", "EU28"), "aggregate")
    assert levels["EE"] == levels["ES"] == levels["DE"] == "nuts0"  # Estonia, Spain stay countries

    lines = EU_TSV.read_text().splitlines(keepends=True)
    countries = tmp_path / "countries_only.tsv"
    countries.write_text("".join(ln for ln in lines if ln.split("\t")[0].split(",")[-1]
                                 not in ("EA", "EA19", "EU28")))
    everything, _ = _ok(["lq", str(EU_TSV), "-o", "-", "-m", "employment"], capsys)
    alone, _ = _ok(["lq", str(countries), "-o", "-", "-m", "employment"], capsys)
    got = [r for r in _rows(everything) if r["region"] not in ("EA", "EA19", "EU28")]
    assert got == _rows(alone) and len(got) == 2 * 30 * 10
    # by hand: Germany's agriculture (A) in 2016 against the 30 countries' sum of sections
    cells = {}
    for ln in lines[1:]:
        key, v2016, _ = ln.rstrip("\n").split("\t")
        unit, nace, _, _, geo = key.split(",")
        cells[(geo, nace)] = float(v2016)
    geos = {g for g, _ in cells if g not in ("EA", "EA19", "EU28")}
    total = {g: sum(v for (h, _), v in cells.items() if h == g) for g in geos}
    E_A = sum(cells[(g, "A")] for g in geos)
    want = (cells[("DE", "A")] / total["DE"]) / (E_A / sum(total.values()))
    de = next(r for r in got if (r["region"], r["industry"], r["period"]) == ("DE", "A", "2016"))
    assert abs(float(de["lq"]) - want) <= 1e-6 * want


def test_region_totals_summed_from_a_few_industries_are_said(tmp_path, capsys):
    """One of BLS's by-industry files alone (Connecticut's 323120 rows, no all-industry row):
    under --denominator total each region's total is the sum of its industries at the level,
    here the industry itself, so every LQ is 1 -- printed without a word.  The note says so,
    and, where the all-ownership totals are in the input, points to --denominator
    all-ownership.  A table with the all-industry rows gets no such note."""
    lines = BY_INDUSTRY.read_text().splitlines(keepends=True)
    one = tmp_path / "323120_only.csv"
    one.write_text(lines[0] + "".join(ln for ln in lines[1:] if ",323120," in ln))
    out, err = _ok(["lq", str(one), "-o", "-", "-m", "employment"], capsys)
    assert {r["lq"] for r in _rows(out)} == {"1.0"}
    assert "private at level 6: 1" in err and "every LQ 1" in err
    assert "all-ownership" not in err
    _, err = _ok(["lq", str(BY_INDUSTRY), "-o", "-", "-m", "employment"], capsys)
    assert "private at level 6: 2" in err and "--denominator all-ownership" in err
    _, err = _ok(["lq", str(BY_INDUSTRY), "-o", "-", "-m", "employment",
                  "--denominator", "all-ownership"], capsys)
    assert "few" not in err
    _, err = _ok(["lq", str(UTAH_SLICE), "-o", "-"], capsys)
    assert "few" not in err


def test_qcew_extract_without_aggregation_codes_keeps_region_levels(tmp_path, capsys):
    """A QCEW extract a user cut down to area_fips, own_code, industry_code, year, qtr,
    disclosure_code, area_title and the three months (no agglvl_code: the generic reader
    takes it) had no region levels: Utah was summed with two of its own counties into every
    benchmark.  The levels come from the area codes' shape, as in the QCEW adapter, and the
    counties' LQs are the adapter's."""
    import csv

    with open(UTAH_SLICE, newline="") as fh:
        rows = list(csv.reader(fh))
    wanted = ("area_fips", "own_code", "industry_code", "year", "qtr", "disclosure_code",
              "area_title", "month1_emplvl", "month2_emplvl", "month3_emplvl")
    at = [rows[0].index(h) for h in wanted]
    cut = tmp_path / "utah_extract.csv"
    with open(cut, "w", newline="") as fh:
        csv.writer(fh).writerows([[r[i] for i in at] for r in rows])
    out, _ = _ok(["ingest", str(cut), "-o", "-"], capsys)
    assert {r["region"]: r["region_level"] for r in _rows(out)} == {
        "49000": "state", "49003": "county", "49057": "county"}
    got, _ = _ok(["lq", str(cut), "-o", "-"], capsys)
    want, _ = _ok(["lq", str(UTAH_SLICE), "-o", "-", "-m", "employment"], capsys)
    lq_of = lambda text: {(r["region"], r["industry"]): r["lq"] for r in _rows(text)}  # noqa: E731
    assert lq_of(got) == lq_of(want)
    state = next(r for r in _rows(got) if (r["region"], r["industry"]) == ("49000", "2381"))
    assert float(state["benchmark_total"]) == 1137217.0


# ------------------------------------------------------------------ marked year headings

FOOTNOTES_DE = TEST_DATA / "unseen5" / "de_laender_footnote_marks_cp1252.csv"


def test_year_headings_with_provisional_or_footnote_marks(tmp_path, capsys):
    """Offices mark the column of a provisional or revised year, or one with a footnote:
    ``2014p``, ``2014 (p)``, ``2014r``, ``2014*``, ``2014¹``, ``2014¹)``.  Such a heading was
    refused ("column heading among the period columns is not a period").  It is the year
    (BA employment by Land and WZ 2008 section, Destatis-style cp1252 table)."""
    want, _ = _ok(["ingest", str(FOOTNOTES_DE), "-o", "-"], capsys)
    text = FOOTNOTES_DE.read_bytes().decode("cp1252")
    assert "WZ 2008;2013;2014\r\n" in text or "WZ 2008;2013;2014\n" in text
    for mark in ("2014p", "2014 (p)", "2014r", "2014*", "2014¹", "2014¹)", "2014 1)"):
        path = tmp_path / "marked.csv"
        path.write_bytes(text.replace("WZ 2008;2013;2014", "WZ 2008;2013;" + mark, 1).encode("cp1252"))
        got, _ = _ok(["ingest", str(path), "-o", "-"], capsys)
        if mark in ("2014p", "2014 (p)", "2014r"):
            # a provisional year's cells carry flag p (session 30), a revised year's flag r
            # (session 31), the figures and statuses as before (a cell's own footnote mark
            # stays its flag)
            flag = mark.strip("2014 ()")
            assert _rows(got) == [{**r, "employment_flag": r["employment_flag"] or flag}
                                  if r["period"] == "2014" else r for r in _rows(want)], mark
            continue
        assert got == want, mark
    rows = _rows(want)
    bayern_c = {r["period"]: float(r["employment"]) for r in rows
                if r["region"] == "Bayern" and r["industry"] == "C"}
    assert bayern_c == {"2013": 1312300.0, "2014": 1339581.0}


# ------------------------------------------------------------------ reference tables typed by hand

def test_reference_table_in_a_continental_or_tab_layout(tmp_path, capsys):
    """A table of national shares or totals saved by a spreadsheet in a continental locale is
    ``;``-separated with decimal commas (``0,25``) and dot thousands (``1.250``), a text
    export tab-separated: read with commas its one column was "not a reference table (expected
    an 'industry' column, found 'columns industry;benchmark_share')".  Each gives the LQs of the
    comma-separated original (toy shares: A's industry 11 is (40/100) / 0.25 = 1.6)."""
    want, _ = _ok(["lq", str(TOY), "-o", "-", "-b", str(TOY_SHARES)], capsys)
    tables = {
        "shares_semicolon.csv": "industry;benchmark_share\r\n10;1\r\n11;0,25\r\n21;0,75\r\n",
        "shares_tab.txt": "industry\tbenchmark_share\n10\t1\n11\t0.25\n21\t0.75\n",
        "totals_semicolon.csv": "industry;benchmark_industry_total;benchmark_total\n"
                                "10;5.000;5.000\n11;1.250,0;5.000\n21;3.750;5.000\n",
    }
    for name, text in tables.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        got, _ = _ok(["lq", str(TOY), "-o", "-", "-b", str(path)], capsys)
        lq_of = lambda t: [(r["region"], r["industry"], r["lq"]) for r in _rows(t)]  # noqa: E731
        assert lq_of(got) == lq_of(want), name
    a11 = next(r for r in _rows(got) if (r["region"], r["industry"]) == ("A", "11"))
    assert float(a11["lq"]) == 1.6 and float(a11["benchmark_total"]) == 5000.0


def test_reference_table_with_a_marker_names_the_cell(tmp_path, capsys):
    """A marker typed into a table of shares ("(D)") failed the cast inside the query:
    "internal error: InvalidOperationError" (exit 2), no row named.  It is a data problem
    (exit 1) naming the industry, the column and the cell; an empty cell stays allowed."""
    for name, text in (("marker.csv", "industry,benchmark_share\n10,1\n11,(D)\n21,0.75\n"),
                       ("marker_semicolon.csv", "industry;benchmark_share\n10;1\n11;(D)\n21;0,75\n")):
        bad = tmp_path / name
        bad.write_text(text)
        code, _, err = run_main(["lq", str(TOY), "-o", "-", "-b", str(bad)], capsys)
        assert code == 1, err
        assert "internal error" not in err
        assert "benchmark_share" in err and "industry=11" in err and "(D)" in err
    empty = tmp_path / "empty_cell.csv"
    empty.write_text("industry,benchmark_share\n10,1\n11,\n21,0.75\n")
    out, _ = _ok(["lq", str(TOY), "-o", "-", "-b", str(empty)], capsys)
    assert next(r for r in _rows(out) if (r["region"], r["industry"]) == ("A", "11"))["lq"] == ""


# ------------------------------------------------------------------ workbooks of several sheets

def test_workbook_with_a_table_per_sheet_warns_of_the_sheets_left(tmp_path, capsys):
    """A workbook of one sheet per year (BA employment of Bayern and Bremen, manufacturing,
    2013 and 2014, from REAT_G.regions.emp.csv): ingest reads one sheet, and the other year's
    sheet was left out without a word.  A warning names it (and --sheet reads it); a notes
    sheet without figures is not named; a workbook of one table sheet gets no warning."""
    from openpyxl import Workbook

    book = Workbook()
    figures = {"2013": (1312300, 55412), "2014": (1339581, 54400)}
    for i, (year, (bayern, bremen)) in enumerate(figures.items()):
        ws = book.active if i == 0 else book.create_sheet()
        ws.title = year
        ws.append(["Land", "WZ 2008", "Jahr", "Beschäftigte"])
        ws.append(["Bayern", "C", int(year), bayern])
        ws.append(["Bremen", "C", int(year), bremen])
    book.create_sheet("Hinweise").append(["Quelle: Bundesagentur für Arbeit"])
    path = tmp_path / "beschaeftigte_je_jahr.xlsx"
    book.save(path)
    out, err = _ok(["ingest", str(path), "-o", "-"], capsys)
    # (since session 24 a workbook of one sheet per year, each the same table, is read whole,
    # and said so: test_known_gaps_24)
    assert "2 sheets read, one per year ('2013', '2014')" in err and "Hinweise" not in err
    assert {r["period"] for r in _rows(out)} == {"2013", "2014"}
    out, err = _ok(["ingest", str(path), "-o", "-", "--sheet", "2014"], capsys)
    assert "warning" not in err
    assert {(r["region"], float(r["employment"])) for r in _rows(out)} == {
        ("Bayern", 1339581.0), ("Bremen", 54400.0)}
    del book["2014"]
    book.save(path)
    _, err = _ok(["ingest", str(path), "-o", "-"], capsys)
    assert "warning" not in err


def test_qcew_workbook_of_one_sheet_per_area_reads_every_sheet(tmp_path, capsys):
    """BLS's rows for Utah and for two of its counties (2016 Q1) put on two sheets of one
    workbook, the second below a title: the QCEW adapter read the first QCEW sheet and left the
    counties out without a word (8 rows of 23).  Every sheet with QCEW's header is read, as the
    files the workbook was made of; a bad cell is named by its sheet and row."""
    import csv

    from openpyxl import Workbook

    with open(UTAH_SLICE, newline="") as fh:
        rows = list(csv.reader(fh))
    state = [r for r in rows[1:] if r[0] == "49000"]
    counties = [r for r in rows[1:] if r[0] != "49000"]
    book = Workbook()
    book.active.title = "49000"
    for r in [rows[0], *state]:
        book.active.append(r)
    ws = book.create_sheet("counties")
    ws.append(["QCEW 2016 Q1, Box Elder and Weber counties"])
    ws.append([])
    for r in [rows[0], *counties]:
        ws.append(r)
    path = tmp_path / "utah_by_sheet.xlsx"
    book.save(path)
    got, _ = _ok(["ingest", str(path), "-o", "-", "--ownership", "all"], capsys)
    want, _ = _ok(["ingest", str(UTAH_SLICE), "-o", "-", "--ownership", "all"], capsys)
    assert got == want and len(_rows(got)) == 23

    at = rows[0].index("month2_emplvl")
    ws.cell(row=6, column=at + 1, value="12a")  # the third county row, under title and header
    book.save(path)
    code, _, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 1 and "utah_by_sheet.xlsx[counties]:6" in err and "12a" in err


def test_eurostat_tsv_saved_again_with_quoted_first_cells(tmp_path, capsys):
    """A Eurostat TSV opened in a spreadsheet and saved as tab-delimited text again: the first
    cell of every line, which holds commas (``THS_PER,A,NSA,SAL_DC,AT``), comes back quoted.
    Read verbatim, the unit was '"THS_PER' -- thousands left unscaled, every count 1000 times
    too small -- and the region 'AT"', a NUTS-1 code.  The quotes are the cell's, not data."""
    lines = EU_TSV.read_text().splitlines()
    quoted = tmp_path / "namq_10_a10_e_resaved.txt"
    quoted.write_text("\r\n".join('"' + ln.split("\t", 1)[0] + '"\t' + ln.split("\t", 1)[1]
                                  for ln in lines) + "\r\n")
    want, _ = _ok(["ingest", str(EU_TSV), "-o", "-"], capsys)
    got, _ = _ok(["ingest", str(quoted), "-o", "-"], capsys)
    assert got == want
    at_a = next(r for r in _rows(got) if (r["region"], r["industry"], r["period"]) == ("AT", "A", "2016"))
    assert float(at_a["employment"]) == 28340.0 and at_a["region_level"] == "nuts0"


def test_eurostat_units_in_millions_or_thousands_are_scaled(tmp_path, capsys):
    """Units outside the adapter's short list were taken as ones: gross value added in MIO_NAC
    or MIO_PPS_EU27_2020 (nama_10r_3gva), CP_MEUR (nama_10_a64) came out a million times too
    small, THS_HW-like THS_* codes a thousand times.  The multiple is read from the code.
    (The A*10 employment figures relabelled; only the scaling is checked.)"""
    text = EU_TSV.read_text()
    for unit, factor in (("MIO_NAC", 1e6), ("MIO_PPS_EU27_2020", 1e6), ("CP_MEUR", 1e6),
                         ("CLV10_MEUR", 1e6), ("THS_JOB", 1e3), ("NR", 1.0)):
        path = tmp_path / f"{unit}.tsv"
        path.write_text(text.replace("THS_PER,", unit + ","))
        out, _ = _ok(["ingest", str(path), "-o", "-", "-m", "output" if "EUR" in unit or "NAC" in unit
                      or "PPS" in unit else "employment"], capsys)
        row = next(r for r in _rows(out) if (r["region"], r["industry"], r["period"]) == ("AT", "A", "2016"))
        value = float(row.get("output") or row.get("employment"))
        assert abs(value - 28.34 * factor) <= 1e-9 * 28.34 * factor, unit


def test_sdmx_csv_units_with_the_price_concept_first_are_millions(tmp_path, capsys):
    """The same in Eurostat's SDMX-CSV (generic reader): CP_MEUR was "not known" and kept
    as it was.  (nama_10r_3empers rows relabelled; only the scaling is checked.)"""
    src = TEST_DATA / "generic" / "eurostat_sdmx_csv_layout.csv"
    path = tmp_path / "gva_cp_meur.csv"
    path.write_text(src.read_text().replace(",THS,", ",CP_MEUR,"))
    out, _ = _ok(["ingest", str(path), "-o", "-", "-m", "output"], capsys)
    row = next(r for r in _rows(out) if (r["region"], r["industry"], r["period"]) == ("DE11", "C", "2016"))
    assert abs(float(row["output"]) - 401.2e6) < 1


def test_all_ownership_denominator_without_a_total_row_says_what_is_missing(capsys):
    """Eurostat's A*10 table without its TOTAL rows, --denominator all-ownership: the refusal
    told the user to "ingest the raw files with the total ownership too" of a table whose only
    ownership is total; what is missing is the all-industry row."""
    code, _, err = run_main(["lq", str(TEST_DATA / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv"),
                             "-o", "-", "--denominator", "all-ownership"], capsys)
    assert code == 2
    assert "no all-industry row" in err and "with the total ownership too" not in err


# ------------------------------------------------------------------ a quarter given twice, annual

def test_a_quarter_given_twice_is_not_summed_into_the_annual_average(tmp_path, capsys):
    """Two copies of one quarterly QCEW file (or overlapping area files) with --month annual
    (detect's default): the annual average summed every quarter's rows and divided by four,
    so each figure came out twice (Belknap County, NH: 51,375 jobs instead of 25,688).  The
    copies are duplicate keys, refused as with --month average; one copy is unchanged."""
    import gzip

    from conftest import ROOT

    with gzip.open(ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz", "rt") as fh:
        lines = fh.read().splitlines()
    one = tmp_path / "beaver.csv"  # Beaver County, UT: four quarters
    one.write_text("\n".join([lines[0]] + [ln for ln in lines[1:]
                                           if ln.lstrip('"').startswith("49001")]) + "\n")
    copy = tmp_path / "beaver_copy.csv"
    copy.write_text(one.read_text())

    got, _ = _ok(["ingest", str(one), "-o", "-", "--month", "annual"], capsys)
    total = next(r for r in _rows(got) if r["ownership"] == "total" and r["industry"] == "10")
    import csv

    monthly = [float(r[m]) for r in csv.DictReader(one.read_text().splitlines())
               if r["own_code"] == "0" and r["industry_code"] == "10"
               for m in ("month1_emplvl", "month2_emplvl", "month3_emplvl")]
    assert len(monthly) == 12
    assert abs(float(total["employment"]) - sum(monthly) / 12) < 1e-9

    code, _, err = run_main(["ingest", str(one), str(copy), "-o", str(tmp_path / "x.csv"),
                          "--month", "annual"], capsys)
    assert code == 1
    assert "duplicate row for the same period, region, ownership and industry" in err
    assert not (tmp_path / "x.csv").exists()


def test_benchmark_total_of_no_known_region_total_is_empty(tmp_path, capsys):
    """Every region's all-industry total suppressed: the benchmark's total sums no known
    value and was written 0.0, a true zero to anyone reading the column; it is empty."""
    table = tmp_path / "all_totals_suppressed.csv"
    table.write_text("period,region,ownership,industry,level,employment,employment_status\n"
                     "2020,A,total,10,0,,suppressed\n2020,A,total,11,2,5,reported\n"
                     "2020,B,total,10,0,,suppressed\n2020,B,total,11,2,7,reported\n")
    got, _ = _ok(["lq", str(table), "-o", "-"], capsys)
    rows = _rows(got)
    assert [r["benchmark_total"] for r in rows] == [""] * 4
    assert {r["lq_reason"] for r in rows if r["industry"] == "11"} == {"suppressed region total"}
    # one known total: E is that region's, as before
    table.write_text(table.read_text().replace("2020,B,total,10,0,,suppressed",
                                               "2020,B,total,10,0,20,reported"))
    got, _ = _ok(["lq", str(table), "-o", "-"], capsys)
    assert {float(r["benchmark_total"]) for r in _rows(got)} == {20.0}
