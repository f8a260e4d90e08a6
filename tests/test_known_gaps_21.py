"""Known gaps closed in session 21 (helper): one test group per gap.

1. Agency files joined with ``cat`` -- plain text or gzip members one after the other -- are
   read as the files they are: a line repeating the header is where the next file starts
   (dropped and counted), a different header there is an error naming its line.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from conftest import csv_rows, run_main, run_ok

DATA = Path(__file__).parent / "data"
BEAVER = DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
UTAH3 = DATA / "qcew" / "utah_3counties_2016_gov.csv.gz"  # by-area quarterly layout, 3 counties


def _one_error(code, err) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert code == 1 and len(lines) == 1, err
    return lines[0]


# --------------------------------------------------------------------------- 1. cat-joined files

def _by_area(tmp_path) -> list[Path]:
    """The three counties of the quarterly sample, one by-area file each (as BLS's
    2016.q1-q4.area/ folder has them), gzip-compressed."""
    lines = gzip.decompress(UTAH3.read_bytes()).decode("utf-8").splitlines(keepends=True)
    files = []
    for area in dict.fromkeys(line.split(",", 1)[0] for line in lines[1:]):
        f = tmp_path / f"2016.q1-q4.{area.strip(chr(34))}.csv.gz"
        f.write_bytes(gzip.compress("".join([lines[0]] + [ln for ln in lines[1:] if ln.startswith(area + ",")])
                                    .encode("utf-8")))
        files.append(f)
    return files


def test_qcew_files_joined_with_cat_are_read_as_the_files(tmp_path, capsys):
    """`cat 2016.q1-q4.area/*.csv > all.csv` (and `cat a.csv.gz b.csv.gz`): the QCEW reader
    parses the measures as numbers while reading, so the header line where the second file
    starts failed the run ("not a number ... found 'qtrly_estabs_count'").  Now the same table
    as the files given one by one, the repeated headers dropped and counted."""
    files = _by_area(tmp_path)
    assert len(files) == 3
    members = tmp_path / "all.csv.gz"  # gzip members one after the other
    members.write_bytes(b"".join(f.read_bytes() for f in files))
    plain = tmp_path / "all.csv"  # the decompressed files one after the other
    plain.write_bytes(b"".join(gzip.decompress(f.read_bytes()) for f in files))
    own = ["--ownership", "all"]  # a file of government rows
    want, _ = run_ok(["ingest", *map(str, files), "-o", "-", *own], capsys)
    assert len(csv_rows(want)) == 768
    for joined in (members, plain):
        got, err = run_ok(["ingest", str(joined), "-o", "-", *own], capsys)
        assert got == want, joined
        assert "2 rows repeating the header (files joined with cat)" in err


def test_qcew_files_joined_with_cat_under_on_error_skip(tmp_path, capsys):
    """--on-error skip (the lenient read, measures as text): the same table, nothing rejected."""
    files = _by_area(tmp_path)
    members = tmp_path / "all.csv.gz"
    members.write_bytes(b"".join(f.read_bytes() for f in files))
    own = ["--ownership", "all"]
    want, _ = run_ok(["ingest", *map(str, files), "-o", "-", *own], capsys)
    got, err = run_ok(["ingest", str(members), "-o", "-", *own, "--on-error", "skip"], capsys)
    assert got == want and "rejected" not in err, err


def test_qcew_files_joined_with_cat_give_annual_averages(tmp_path, capsys):
    """--month annual checks the four quarters on the rows: the headers are left out there too."""
    files = _by_area(tmp_path)
    members = tmp_path / "all.csv.gz"
    members.write_bytes(b"".join(f.read_bytes() for f in files))
    own = ["--ownership", "all", "--month", "annual"]
    want, _ = run_ok(["ingest", *map(str, files), "-o", "-", *own], capsys)
    got, _ = run_ok(["ingest", str(members), "-o", "-", *own], capsys)
    assert got == want and len(csv_rows(got)) == 192


def test_qcew_annual_slices_joined_with_cat(tmp_path, capsys):
    beaver = BEAVER.read_text(encoding="utf-8")
    other = beaver.replace('"49001"', '"49003"')
    (tmp_path / "a.csv").write_text(beaver, encoding="utf-8")
    (tmp_path / "b.csv").write_text(other, encoding="utf-8")
    joined = tmp_path / "ab.csv"
    joined.write_text(beaver + other, encoding="utf-8")
    want, _ = run_ok(["ingest", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "-o", "-"], capsys)
    got, err = run_ok(["ingest", str(joined), "-o", "-"], capsys)
    assert got == want and "1 rows repeating the header (files joined with cat)" in err


def test_a_different_header_mid_file_is_an_error_naming_its_line(tmp_path, capsys):
    """Two layouts joined (an annual slice after a quarterly file): the rows below the second
    header mean other things in the same columns; refused on that line, whichever reader."""
    quarterly = gzip.decompress(UTAH3.read_bytes()).decode("utf-8")
    n = len(quarterly.splitlines())
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(quarterly + BEAVER.read_text(encoding="utf-8"), encoding="utf-8")
    for extra in ([], ["--on-error", "skip"]):
        code, _, err = run_main(["ingest", str(mixed), "-o", str(tmp_path / "o.csv"), *extra], capsys)
        line = _one_error(code, err)
        assert line.startswith(f"clusterid: error: {mixed}:{n + 1}: column 'area_title': a header line "
                               "different from the file's header on line 1 (15 columns, not 21)"), line
        assert "found 'annual_avg_estabs'" in line and "files of two layouts joined with cat" in line
    # CBP: a 2016 county file, then a 2021 one (no empflag column)
    cbp = tmp_path / "cbp16co.txt"
    cbp16 = (DATA / "cbp" / "cbp16co_excerpt.txt").read_text(encoding="utf-8")
    cbp.write_text(cbp16 + (DATA / "cbp" / "cbp21co_excerpt.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run_main(["ingest", str(cbp), "-o", str(tmp_path / "o.csv")], capsys)
    line = _one_error(code, err)
    assert f"{cbp}:{len(cbp16.splitlines()) + 1}: column 'empflag': a header line different" in line
    # the generic reader: another table's header, same width (columns in another order) or not
    table = (DATA / "generic" / "us_naics_utf8_bom.csv").read_text(encoding="utf-8-sig")
    rows = len(table.splitlines())
    for other in ("naics,state_fips,state_name,industry_title,year,employment,establishments,annual_payroll\n"
                  "11,56,Wyoming,Farms,2016,5,1,100\n",
                  "state_fips,state_name,naics,industry_title,year,employment\n56,Wyoming,11,Farms,2016,5\n"):
        src = tmp_path / "two.csv"
        src.write_text(table + other, encoding="utf-8")
        code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
        line = _one_error(code, err)
        assert f"{src}:{rows + 1}: column " in line and "a header line different from the file's header" in line


def test_eurostat_downloads_of_other_periods_joined_with_cat_are_refused(tmp_path, capsys):
    """Two Eurostat bulk downloads joined with cat, the second of other years (2019 2018 2017
    over the first's 2016 2015 2014): the second header line was dropped as 'repeating the
    header' and its rows read under the first one's years, exit 0.  A header line that is not
    the first one again is now refused on its line, as in the other readers."""
    est = (DATA / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv").read_text(encoding="utf-8").splitlines()
    more = [line.replace(",AT\t", ",XK\t") for line in est[1:] if ",AT\t" in line]
    src = tmp_path / "namq_10_a10_e.tsv"
    src.write_text("\n".join(est + [est[0].replace("2016 \t2015 \t2014 ", "2019 \t2018 \t2017 ")] + more) + "\n",
                   encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert _one_error(code, err) == (
        f"clusterid: error: {src}:{len(est) + 1}: column '2016': a header line different from the file's "
        "header on line 1 (expected '2016', found '2019'); files of two layouts joined with cat: give the "
        "files themselves (or a quoted glob), each is read by its own header")


def test_cbp_and_eurostat_files_joined_as_gzip_members(tmp_path, capsys):
    """`cat cbp16co_ut.txt.gz cbp16co_vt.txt.gz`: gzip members one after the other read as the
    two files, as the plain files joined with cat are (tests/test_unseen_files_20.py)."""
    cbp = (DATA / "cbp" / "cbp16co_excerpt.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    other = [cbp[0]] + [line.replace('"49"', '"50"', 1) for line in cbp[1:]]
    joined = tmp_path / "cbp16co.txt.gz"
    joined.write_bytes(gzip.compress("".join(cbp).encode()) + gzip.compress("".join(other).encode()))
    out, err = run_ok(["ingest", str(joined), "-o", "-"], capsys)
    assert {r["region"][:2] for r in csv_rows(out)} == {"49", "50"} and len(csv_rows(out)) == 26
    assert "1 rows repeating the header (files joined with cat)" in err
    est = (DATA / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    more = [est[0]] + [line.replace(",AT\t", ",XK\t") for line in est[1:] if ",AT\t" in line]
    both = tmp_path / "namq_10_a10_e.tsv.gz"
    both.write_bytes(gzip.compress("".join(est).encode()) + gzip.compress("".join(more).encode()))
    out, err = run_ok(["ingest", str(both), "-o", "-"], capsys)
    assert len(csv_rows(out)) == 150 + 3 * (len(more) - 1)
    assert "3 values of lines repeating the header (files joined with cat)" in err


def test_generic_tables_joined_with_cat_as_gzip_members(tmp_path, capsys):
    """The generic reader already dropped a header repeated cell for cell; gzip members
    joined read the same (its second member's BOM is no part of a cell)."""
    table = (DATA / "generic" / "us_naics_utf8_bom.csv").read_bytes()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    lines = table.splitlines(keepends=True)
    first.write_bytes(b"".join(lines[:6]))
    second.write_bytes(b"".join(lines[:1] + lines[6:]))
    joined = tmp_path / "ab.csv.gz"
    joined.write_bytes(gzip.compress(first.read_bytes()) + gzip.compress(second.read_bytes()))
    want, _ = run_ok(["ingest", str(DATA / "generic" / "us_naics_utf8_bom.csv"), "-o", "-"], capsys)
    got, err = run_ok(["ingest", str(joined), "-o", "-"], capsys)
    assert got == want and "1 rows repeating the header" in err


# --------------------------------------------------------------------------- 2. Nonemployer Statistics

NES = DATA / "nes" / "nonemp21co_excerpt.txt"  # made up in the Census county record layout


def test_nonemployer_statistics_county_file_is_read(tmp_path, capsys):
    """A Census Nonemployer Statistics county file (nonempYYco.txt) went to the generic reader,
    which refused it: 'no region column recognised ... found st, cty, naics, estab_f ...'.
    It is now recognised by its columns (st, naics, estab, rcptot, no emp): establishments,
    receipts as output in dollars, withheld (S) cells suppressed with their flag, the noise
    flags kept on reported receipts.  The file is made up (tests/data/README.md)."""
    for fmt in ("auto", "nes"):
        out, err = run_ok(["ingest", str(NES), "-o", "-", "--format", fmt], capsys)
        rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
        assert len(rows) == 12 and {r["period"] for r in rows.values()} == {"2021"}
        total = rows[("49001", "10")]
        assert (total["level"], total["region_level"], total["ownership"]) == ("0", "county", "total")
        assert float(total["establishments"]) == 412 and float(total["output"]) == 19_876_000
        assert total["output_flag"] == "G" and total["output_status"] == "reported"
        assert "employment" not in total  # nonemployers have no employees
        withheld = rows[("49001", "31-33")]
        assert withheld["level"] == "2"
        for m in ("establishments", "output"):
            assert withheld[m] == "" and withheld[f"{m}_status"] == "suppressed" and withheld[f"{m}_flag"] == "S"
        assert rows[("49003", "5411")]["level"] == "4"
    # an LQ of nonemployer establishments
    out, _ = run_ok(["lq", str(NES), "-o", "-", "--measure", "establishments"], capsys)
    lq = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert abs(float(lq[("49001", "11")]["lq"]) - (61 / 412) / (362 / 3517)) < 1e-6


def test_nonemployer_statistics_state_file_and_bad_cells(tmp_path, capsys):
    """The state file's legal-form rows are parts of the all-forms row (dropped, counted); ST
    00 is the nation.  A cell that is no number is located; --on-error skip sets it aside."""
    st = tmp_path / "nonemp21st.txt"
    st.write_text('"ST","NAICS","LFO","ESTAB_F","ESTAB","RCPTOT_N_F","RCPTOT_F","RCPTOT"\n'
                  '"00","00","-","",27104557,"G","",1316542960\n'
                  '"00","00","S","",22000000,"G","",900000000\n'
                  '"49","00","-","",250000,"G","",12000000\n', encoding="utf-8")
    out, err = run_ok(["ingest", str(st), "-o", "-"], capsys)
    assert {(r["region"], r["region_level"]) for r in csv_rows(out)} == {("US000", "nation"), ("49000", "state")}
    assert "1 rows of one legal form of organization" in err
    us = tmp_path / "nonemp19us.txt"  # a U.S. file without a state column: the nation
    us.write_text('"NAICS","ESTAB_F","ESTAB","RCPTOT_N_F","RCPTOT_F","RCPTOT"\n"00","",27104557,"G","",1316542960\n',
                  encoding="utf-8")
    out, _ = run_ok(["ingest", str(us), "-o", "-"], capsys)
    assert [(r["period"], r["region"], r["region_level"]) for r in csv_rows(out)] == [("2019", "US000", "nation")]
    bad = tmp_path / "nonemp20co.txt"
    bad.write_text("st,cty,naics,estab,rcptot\n49,001,00,x,5\n49,001,11,3,4\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv")], capsys)
    assert _one_error(code, err) == (f"clusterid: error: {bad}:2: column 'estab': not a number (expected "
                                     "a count or an amount (a finite number below 1e15), found 'x')")
    run_ok(["ingest", str(bad), "-o", str(tmp_path / "o.csv"), "--on-error", "skip"], capsys)
    assert len(csv_rows((tmp_path / "o.csv").read_text(encoding="utf-8"))) == 1
    # a blank NAICS cell is no code (CBP's padding alone, ------, is all industries)
    blank = tmp_path / "nonemp20co.txt"
    blank.write_text("st,cty,naics,estab,rcptot\n49,001,------,5,7\n49,001,,3,1\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(blank), "-o", str(tmp_path / "o.csv")], capsys)
    assert _one_error(code, err) == (f"clusterid: error: {blank}:3: column 'industry': empty key cell "
                                     "(expected a value, found '')")
    # a name without the year: said, with the option that gives it
    plain = tmp_path / "nonemployers.txt"
    plain.write_text(NES.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run_main(["ingest", str(plain), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 2 and "pass --period 2021" in err


# --------------------------------------------------------------------------- 3. title year vs heading year

def test_a_title_year_over_a_table_of_another_year_is_warned_of(tmp_path, capsys):
    """'Employment by region, 2019' over a column headed 2020 was read as 2020 without a word
    (and over a period column holding 2020 too).  Both are said in one warning line; the
    table's own periods are read (a title left from last year's table and a yearbook's year
    are as common as a mistyped heading: said, not decided).  No warning where the title's
    year is among the table's years, is a price base, or is the table's only period."""
    title = "Employment by region, 2019\n"
    cases = {
        "wide.csv": ("region,industry,2020\n01,10,100\n01,31-33,40\n", "headings name 2020"),
        "long.csv": ("region,industry,year,employment\n01,10,2020,100\n01,31-33,2020,40\n",
                     "column 'year' holds 2020"),
        "heading.csv": ("region,industry,Employment 2020\n01,10,100\n01,31-33,40\n", "headings name 2020"),
    }
    for name, (body, where) in cases.items():
        src = tmp_path / name
        src.write_text(title + body, encoding="utf-8")
        out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        assert {r["period"] for r in csv_rows(out)} == {"2020"}
        warned = [ln for ln in err.splitlines() if ln.startswith("warning:")]
        assert warned == [f"warning: {src}: the title line 'Employment by region, 2019' names 2019, the "
                          f"table's {where}: the table's periods are read; check which is meant (a title "
                          "left from another year, a yearbook's year, a mistyped heading)"], err


def test_a_title_year_the_table_agrees_with_or_a_price_base_is_no_warning(tmp_path, capsys):
    title = "Employment by region, 2019\n"
    for text in (title + "region,industry,2018,2019\n01,10,100,101\n01,31-33,40,41\n",  # a series
                 "GVA at constant 2015 prices\nregion,industry,2019,2020\n01,10,100,101\n01,31-33,40,41\n",
                 title + "region,industry,employment\n01,10,100\n01,31-33,40\n"):  # the title's year read
        src = tmp_path / "quiet.csv"
        src.write_text(text, encoding="utf-8")
        _, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        assert "warning" not in err, err
    # --period says which: no warning
    src = tmp_path / "wide.csv"
    src.write_text(title + "region,industry,2020\n01,10,100\n01,31-33,40\n", encoding="utf-8")
    _, err = run_ok(["ingest", str(src), "-o", "-", "--period", "2020"], capsys)
    assert "warning" not in err, err


# --------------------------------------------------------------------------- 4. global flags in a pipeline stage

def _pipeline(tmp_path, ingest_options: str, extra: str = "") -> Path:
    src = tmp_path / "us.csv"
    src.write_bytes((DATA / "generic" / "us_naics_utf8_bom.csv").read_bytes())
    toml = tmp_path / "p.toml"
    toml.write_text(f'[pipeline]\noutdir = "out"\n{extra}\n[[stage]]\nname = "ingest"\ninputs = ["us.csv"]\n'
                    f'output = "c.csv"\n{ingest_options}\n\n[[stage]]\nname = "stats"\ninputs = ["@ingest"]\n'
                    'output = "stats.csv"\n', encoding="utf-8")
    return toml


def test_quiet_and_debug_work_for_one_stage(tmp_path, capsys):
    """`options = { quiet = true }` in a stage was refused ('No such option: --quiet', exit 2),
    and `args = ["-q"]` too: clusterid's own flags, not the command's.  They now apply to that
    stage alone (the next stage speaks as the run was started) and are no part of its command
    line: adding one re-runs nothing."""
    toml = _pipeline(tmp_path, 'options = { quiet = true, debug = true }')
    code, _, err = run_main(["run", str(toml)], capsys)
    assert code == 0, err
    assert "ingest: " not in err and "rows kept" not in err, err  # the quiet stage
    assert "stats: " in err, err  # the next one, as the run was started
    # the same pipeline without the flags: up to date, nothing runs
    toml = _pipeline(tmp_path, "")
    code, _, err = run_main(["run", str(toml)], capsys)
    assert code == 0 and "ran " not in err, err


def test_quiet_as_a_stage_args_flag(tmp_path, capsys):
    toml = _pipeline(tmp_path, 'args = ["-q"]')
    code, _, err = run_main(["run", str(toml)], capsys)
    assert code == 0 and "rows kept" not in err and "stats: " in err, err


def test_the_runs_own_options_in_a_stage_say_where_they_go(tmp_path, capsys):
    toml = _pipeline(tmp_path, 'options = { quiet = "yes", force = true, version = true }\nargs = ["--log-json"]',
                     extra="debug = true\n")
    code, _, err = run_main(["run", str(toml), "--dry-run"], capsys)
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid: error:")]
    assert lines == [
        f"clusterid: error: {toml}:3: [pipeline]: debug is a flag of the run, not a key of the pipeline "
        "file; give it on the command line (clusterid --debug run PIPELINE.toml), or for one stage in its "
        "options ({ debug = true })",
        f"clusterid: error: {toml}:9: stage 'ingest': option quiet: clusterid's --quiet for this stage is "
        "true or false (expected true or false, found 'yes')",
        f"clusterid: error: {toml}:9: stage 'ingest': option force: an option of `clusterid run` itself, "
        "not of `clusterid ingest`; give it on the command line: clusterid run PIPELINE.toml --force",
        f"clusterid: error: {toml}:9: stage 'ingest': option version: --version prints clusterid's "
        "version and runs nothing; remove it",
        f"clusterid: error: {toml}:10: stage 'ingest': args '--log-json': an option of `clusterid run` "
        "itself, not of `clusterid ingest`: give it on the command line (clusterid run PIPELINE.toml "
        "--log-json)"], err


# --------------------------------------------------------------------------- 5. a header of very many fields

class _Heading(str):
    """A heading that counts how often it is compared for equality (a list's `in` and
    `index` compare it with every element before it; a set or dict lookup does not)."""

    compared = 0

    def __eq__(self, other):
        _Heading.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_planning_a_header_of_many_fields_is_linear():
    """A header line of ~100,000 fields took minutes to plan: plan_columns looked each heading
    up with header.index and `in` a list (20k fields 10.8 s, 50k 78.7 s, 100k over 120 s for a
    whole ingest).  Each heading's place is now a dict and the lists sets: planning compares
    headings a bounded number of times, whatever their number (the old code compared 2,388,901
    times for the first shape at 2,000 fields, 2,012,995 for the second)."""
    from clusterid.errors import DataError
    from clusterid.io.ingest import IngestOptions
    from clusterid.io.readers.generic_plan import plan_columns

    for shape in (lambda i: f"x{i}", lambda i: f"{1800 + i % 400}_{i}"):
        header = [_Heading(h) for h in ["region", "industry", "year", "employment", *map(shape, range(2000))]]
        _Heading.compared = 0
        try:
            plan_columns(header, IngestOptions(), "wide.csv", [], None)
        except DataError:
            pass  # (headings that are no periods: said; the planning is what is timed)
        assert _Heading.compared < 10 * len(header), _Heading.compared


def test_reading_a_table_of_many_unread_columns_is_linear(tmp_path, capsys, monkeypatch):
    """A long table with thousands of columns not read (notes beside the figures): each was
    looked up in ``df.columns``, a list polars builds at each look (8,000 columns: 24 s of
    a 58 s ingest).  The lookups are sets now: the frames' columns are listed a fixed number of
    times, however many columns there are (557 and 1,057 times for 500 and 1,000 before)."""
    import polars as pl

    listed = [0]
    columns = pl.DataFrame.columns

    def counted(self):
        listed[0] += 1
        return columns.fget(self)

    monkeypatch.setattr(pl.DataFrame, "columns", property(counted, columns.fset))
    looks = []
    for n in (250, 500):
        src = tmp_path / f"notes{n}.csv"
        src.write_text(",".join(["region", "industry", "year", "employment", *(f"note {i}" for i in range(n))])
                       + "\n" + ",".join(["01", "10", "2016", "5", *("a" * n)]) + "\n", encoding="utf-8")
        listed[0] = 0
        out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
        assert len(csv_rows(out)) == 1 and f"({n})" in err  # 'columns not read: ... (500)'
        looks.append(listed[0])
    assert looks[0] == looks[1] < 100, looks
