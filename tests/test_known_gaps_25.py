"""Known gaps closed in session 25 (helper 'gaps'): one test group per gap.

1. A canonical table clusterid did not write (typed by hand, a pandas export) with total rows:
   a sum row at its foot (``Totals,,,,5100``) was refused ('a key cell is empty'), a region
   ``Totals`` was read as a region (every benchmark share halved) and an industry ``Totals`` as
   an industry of its own (its LQ 'specialised').  Read as ingest's generic reader reads them:
   the industry word is the all-industries code 10, region total rows and the foot's sum row
   are dropped and counted (said on stderr and in ingest's metadata); a total given a
   region_level (nation) is kept.
2. A measure heading mentioning all sizes ("Employment (all sizes)", "Establishments, all
   establishment sizes") was taken for a size-class column (Eurostat's size_emp rule) and the
   table refused as having no measure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import csv_rows, run_main, run_ok

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "gaps25"

# ------------------------------------------------------------------- 1. canonical total rows


def test_canonical_table_with_total_rows_is_read_as_ingest_reads_them(capsys):
    src = DATA / "utah_canonical_totals.csv"
    code, out, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert {r["region"] for r in rows} == {"49001", "49003"}
    # 'Totals' in the industry column is the all-industries row of Box Elder County
    box = {r["industry"]: r for r in rows if r["region"] == "49003"}
    assert set(box) == {"10", "11", "21"} and box["10"]["lq"] == "1.0"
    # the benchmark is the two counties, not the counties and their total (twice as large)
    assert {r["benchmark_total"] for r in rows} == {"18045.0"}
    assert (f"{src}: dropped 3 region total rows (sum of the other regions; give them "
            "region_level nation to keep them as the country); 1 total rows (a sum of the rows "
            "above, its key cells empty or 'Total')") in err


def test_ingest_counts_the_canonical_total_rows(tmp_path, capsys):
    out = tmp_path / "t.csv"
    run_ok(["ingest", str(DATA / "utah_canonical_totals.csv"), "-o", str(out)], capsys)
    meta = json.loads((tmp_path / "t.csv.meta.json").read_text()) if (
        tmp_path / "t.csv.meta.json").exists() else None
    rows = csv_rows(out.read_text())
    assert len(rows) == 6 and "Totals" not in {r["region"] for r in rows}
    if meta is not None:
        dropped = json.dumps(meta)
        assert "region total rows" in dropped and "total rows (a sum of the rows above" in dropped


def test_a_total_given_a_region_level_is_kept(tmp_path, capsys):
    src = tmp_path / "nation.csv"
    src.write_text("period,region,ownership,industry,region_level,level,employment\n"
                   "2016,49001,total,10,county,0,2100\n2016,49003,total,10,county,0,3000\n"
                   "2016,Total,total,10,nation,0,5100\n", encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert "Total" in {r["region"] for r in csv_rows(out)}
    assert "dropped: " not in err


def test_a_foot_row_with_a_real_key_is_still_refused(tmp_path, capsys):
    # a period 'Totals' beside a region and an industry is no sum row: located, exit 1
    src = tmp_path / "odd.csv"
    src.write_text("period,region,ownership,industry,level,employment\n"
                   "2016,49001,total,10,0,2100\nTotals,49001,total,10,0,2100\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(src), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert "odd.csv:3: column 'period': not a period" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("text", [
    # the canonical layout without its level column (read by the generic reader) ...
    "period,region,ownership,industry,employment\n2016,49001,total,11,600\n2016,49001,total,21,1500\n"
    "2016,49003,total,11,1000\n2016,49003,total,21,2000\nTotals,,,,5100\n",
    # ... and a generic table whose first column is the year
    "Year,Region,Industry,Employment\n2016,49001,11,600\n2016,49001,21,1500\n2016,49003,11,1000\n"
    "2016,49003,21,2000\nTotals,,,5100\n",
])
def test_a_sum_row_at_the_foot_is_dropped_by_the_generic_reader_too(tmp_path, capsys, text):
    src = tmp_path / "foot.csv"
    src.write_text(text, encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert len(csv_rows(out)) == 4
    assert "dropped: 1 total rows (a sum of the rows above, its key cells empty or 'Total')" in err


# ------------------------------------------------------------------- 2. "all sizes" measures


def test_measure_headings_over_all_sizes_are_measures(capsys):
    out, _ = run_ok(["ingest", str(DATA / "cbp_all_sizes.csv"), "-o", "-"], capsys)
    rows = csv_rows(out)
    assert [r["employment"] for r in rows] == ["318.0", "92.0", "404.0", "27.0"]
    assert [r["establishments"] for r in rows] == ["21.0", "4.0", "38.0", "3.0"]


@pytest.mark.parametrize("heading, role", [
    ("Employment (all sizes)", "employment"), ("Establishments (all size classes)", "establishments"),
    ("Employment (total of all size classes)", "employment"), ("Employees (size: total)", "employment"),
    ("Payroll ($1,000), all firm sizes", "wages"),
    # size-class columns stay so
    ("Employment size", None), ("Establishment size", None), ("size_emp", None),
    ("Size of establishment", None), ("Employment size class", None), ("All sizes", None),
    ("Employment sizeband", None), ("Wages by firm size", "wages"),
])
def test_all_sizes_rule_is_precise(heading, role):
    from clusterid.io.readers.generic_headings import role_of

    assert role_of(heading) == role


# ------------------------------------------------------------------- 3. lq -b rest, one region


def test_rest_of_one_region_is_missing_not_zero(capsys):
    code, out, err = run_main(["lq", str(ROOT / "tests/data/qcew/2016.annual.49001.beaver_county.csv"),
                               "-b", "rest", "--ownership", "private", "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert rows and all(r["lq"] == "" for r in rows)
    assert {r["lq_reason"] for r in rows} == {"no benchmark", "suppressed cell"}
    # the rest is empty: its totals are missing, never written 0.0 as if measured
    assert {r["benchmark_total"] for r in rows} == {""}
    assert {r["benchmark_industry_total"] for r in rows} == {""}
    assert "with -b rest its rest of the nation is empty" in err


def test_rest_of_two_regions_is_the_other_one(tmp_path, capsys):
    src = tmp_path / "two.csv"
    src.write_text("period,region,ownership,industry,level,employment\n"
                   "2016,49001,total,10,0,2100\n2016,49001,total,11,2,600\n"
                   "2016,49003,total,10,0,3000\n2016,49003,total,11,2,1000\n", encoding="utf-8")
    out, _ = run_ok(["lq", str(src), "-b", "rest", "-o", "-"], capsys)
    row = [r for r in csv_rows(out) if r["region"] == "49001" and r["industry"] == "11"][0]
    assert (row["benchmark_industry_total"], row["benchmark_total"]) == ("1000.0", "3000.0")


# ------------------------------------------------------------------- 4. report: clusters with data


def test_report_counts_the_clusters_with_data(tmp_path, capsys):
    import shutil

    folder = tmp_path / "detect"
    shutil.copytree(ROOT / "tests" / "data" / "report" / "detect", folder)
    # cluster 101's member cells all suppressed: detect leaves its employment empty
    summary = folder / "cluster_summary.csv"
    lines = summary.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    at = head.index("employment")
    import csv as _csv
    rows = list(_csv.reader(lines))
    for r in rows[1:]:
        if r[0] == "101":
            r[at] = ""
    with summary.open("w", newline="", encoding="utf-8") as fh:
        _csv.writer(fh, lineterminator="\n").writerows(rows)
    run_ok(["report", str(folder), "-o", str(tmp_path / "r.md")], capsys)
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "- clusters with data (of 4 defined): 3\n" in md
    run_ok(["report", str(folder), "-o", str(tmp_path / "r.html")], capsys)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<div class="kpi"><b>3</b>clusters with data (of 4 defined)</div>' in html
    run_ok(["report", str(folder), "-o", str(tmp_path / "r.json")], capsys)
    q = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["quality"]
    assert (q["n_clusters"], q["n_clusters_defined"]) == (3, 4)


# ------------------------------------------------------------------- 5. impute: broken links, locally

_BREAKS = DATA / "utah_counties_one_breaks.csv"


def test_a_link_broken_in_one_county_is_left_out_there_only(capsys):
    # Box Elder's sectors sum to 16,531 over its total 16,422: the sector->total link is left
    # out in Box Elder 2016 only; Beaver's and Cache's mining are their totals less the
    # published sectors, as in Carbon, whose sectors add up (before: every county's link
    # unused, Beaver's mining 6.3 in [0, inf))
    code, out, err = run_main(["impute", str(_BREAKS), "-o", "-"], capsys)
    assert code == 0, err
    mining = {r["region"]: r for r in csv_rows(out) if r["industry"] == "21"}
    assert (mining["49001"]["employment"], mining["49001"]["employment_lower"],
            mining["49001"]["employment_upper"]) == ("92.0", "92.0", "92.0")
    assert mining["49005"]["employment"] == "100.0"
    assert ("links industry L2->L0: published children exceed their parent in 1 region-period "
            "(2016 49003); not used there, used elsewhere") in err


def test_a_link_broken_wherever_it_can_be_checked_stays_unused(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_text("".join(line + "\n" for line in _BREAKS.read_text().splitlines()
                           if ",49007," not in line), encoding="utf-8")
    code, out, err = run_main(["impute", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert "links industry L2->L0: published children exceed their parent; not used" in err
    mining = {r["region"]: r for r in csv_rows(out) if r["industry"] == "21"}
    assert mining["49001"]["employment_upper"] == ""


# ------------------------------------------------------------------- 6. Ctrl-Z, StatCan's 0s


def test_dos_end_of_file_mark_is_no_row(capsys):
    # a Latin-1 table of two Kreise with CRLF lines, ended by DOS's Ctrl-Z (0x1A) on a line of
    # its own: 4 rows, none dropped (it was 'dropped: 1 note rows under the table')
    out, err = run_ok(["ingest", str(DATA / "dos_export_ctrl_z.csv"), "-o", "-"], capsys)
    assert len(csv_rows(out)) == 4
    assert "4 rows kept, 0 dropped" in err and "note rows" not in err


def test_ctrl_z_after_the_last_figure_of_a_canonical_table(capsys):
    # two Ctrl-Z stuck to the last figure, no line end: read by lq as the table it ends (it was
    # 'not a number ... found 1000\x1a' / 'row has 1 fields, the header has 6')
    out, err = run_ok(["lq", str(DATA / "canonical_ctrl_z.csv"), "-o", "-"], capsys)
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert rows[("49003", "11")]["value"] == "1000.0"


def test_ctrl_z_inside_a_file_is_still_refused(tmp_path, capsys):
    src = tmp_path / "joined.csv"
    src.write_bytes(b"Region,Industry,Year,Employment\r\n49001,11,2016,600\r\n\x1a"
                    b"49003,11,2016,1000\r\n")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code != 0 and out == ""
    assert str(src) in err and len(err.strip().splitlines()) == 1, err


def test_ctrl_z_in_an_output_path_named_as_the_input_is_still_refused(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_bytes((DATA / "dos_export_ctrl_z.csv").read_bytes())
    code, _, err = run_main(["ingest", str(src), "-o", str(src)], capsys)
    assert code == 2 and "is the input" in err
    assert src.read_bytes().endswith(b"\x1a")


def test_statcan_rounded_zero_is_a_published_zero_flagged_0s(capsys):
    # "download as displayed" (x 1,000): 0s in the figure's cell was 'not a number'
    out, _ = run_ok(["ingest", str(DATA / "statcan_displayed_0s.csv"), "-o", "-"], capsys)
    pei = {(r["period"], r["industry"]): r for r in csv_rows(out)
           if r["region"] == "Prince Edward Island"}
    zero = pei[("2016", "21")]
    assert (zero["employment"], zero["employment_status"], zero["employment_flag"]) == (
        "0.0", "reported", "0s")
    assert pei[("2017", "21")]["employment"] == "100.0" and pei[("2017", "21")]["employment_flag"] == ""


def test_statcan_full_table_0s_status_reads_the_same(tmp_path, capsys):
    src = tmp_path / "14100202.csv"
    src.write_text(
        "REF_DATE,GEO,DGUID,North American Industry Classification System (NAICS),UOM,UOM_ID,"
        "SCALAR_FACTOR,SCALAR_ID,VECTOR,COORDINATE,VALUE,STATUS,SYMBOL,TERMINATED,DECIMALS\n"
        "2016,Prince Edward Island,2016A000211,Mining [21],Persons,249,thousands,3,v1,1.1,0.0,0s,,,1\n"
        "2016,Nova Scotia,2016A000212,Mining [21],Persons,249,thousands,3,v3,2.1,2.4,,,,1\n",
        encoding="utf-8")
    out, _ = run_ok(["ingest", str(src), "-o", "-"], capsys)
    pei = [r for r in csv_rows(out) if r["region"] == "Prince Edward Island"][0]
    assert (pei["employment"], pei["employment_status"], pei["employment_flag"]) == (
        "0.0", "reported", "0s")


# ------------------------------------------------------------------- 7. short Latin tables


def test_croatian_cp1250_town_names(capsys):
    # 'Čazma' came out in cp1252's 'Èazma' (a grave vowel never starts a word)
    out, _ = run_ok(["ingest", str(DATA / "hr_towns_cp1250.csv"), "-o", "-"], capsys)
    assert {r["region"] for r in csv_rows(out)} == {"Čazma", "Našice"}


@pytest.mark.parametrize("text", [
    # cp850's 'èibenik', ISO-8859-10's 'Brašov' / 'Dubrovačko' beside a Windows page's reading
    # as plausible: the Windows page
    "region,industry,year,employment\nŠibenik,C,2016,120\n",
    "region,industry,year,employment\nBraşov,C,2016,120\n",
    "region,industry,year,employment\nDubrovačko-neretvanska,C,2016,120\nTimiş,F,2016,45\n",
])
def test_windows_page_wins_a_tie_with_a_dos_or_rare_iso_page(text):
    from clusterid.io.readers.text import decode

    assert decode(text.encode("cp1250"))[0] == text


@pytest.mark.parametrize("text, page", [
    ("region,industry,year,employment\nAriège,C,2016,120\nTromsø,F,2016,45\n", "cp1252"),
    ("region,industry,year,employment\nSjælland,C,2016,120\nÅrhus,F,2016,45\n", "iso8859_1"),
    ("region,industry,year,employment\nKlaipėda,C,2016,120\nŠiauliai,F,2016,45\n", "cp1257"),
    ("region,industry,year,employment\nŁódź,C,2016,120\nKraków,F,2016,45\n", "cp1250"),
])
def test_short_latin_tables_read_before_still_read(text, page):
    from clusterid.io.readers.text import decode

    assert decode(text.encode(page))[0] == text


def test_romanian_iso8859_16_is_cp1250_bytes_unless_named(tmp_path, capsys):
    # ș ț in ISO-8859-16 are the bytes of ş ţ in cp1250: read in cp1250 (a Romanian table gives
    # nothing to tell them by); --encoding iso8859_16 reads the comma-below letters
    src = tmp_path / "ro.csv"
    src.write_bytes("region,industry,year,employment\nTimiș,C,2016,120\nBrașov,F,2016,45\n"
                    .encode("iso8859_16"))
    out, _ = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert {r["region"] for r in csv_rows(out)} == {"Timiş", "Braşov"}
    out, _ = run_ok(["ingest", str(src), "--encoding", "iso8859_16", "-o", "-"], capsys)
    assert {r["region"] for r in csv_rows(out)} == {"Timiș", "Brașov"}


def test_benchmark_region_dropped_as_a_total_says_how_to_keep_it(capsys):
    code, out, err = run_main(["lq", str(DATA / "utah_canonical_totals.csv"), "-b", "region:Totals",
                               "-o", "-"], capsys)
    assert code == 2 and out == ""
    assert ("benchmark region 'Totals' is not in the input (regions include 49001, 49003); reading "
            f"{DATA / 'utah_canonical_totals.csv'} dropped 3 rows of region totals (no region_level): "
            "give them region_level nation to keep them") in err
