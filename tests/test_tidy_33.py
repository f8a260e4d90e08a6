"""Session 33 (tidy): names across the parts of an ingest, lq's unlisted children, an
England row beside ITL1 regions without levels."""

from __future__ import annotations

import pytest
from conftest import run_in_parts, run_main

# --------------------------------------------------------------------------- names across parts

_REGIONS = {"49001": ["Beaver County", "Box Elder County", "Box Elder County"],
            "49003": ["Cache County"] * 3}
_TITLES = {"11": ["Ag", "Agriculture", "Agriculture"], "23": ["Construction"] * 3,
           "31-33": ["Manuf", "Manuf", "Manufacturing"], "42": ["Whole"] * 3}


def _years(tmp_path, clash: bool = False):
    """One file a year, 2016-2018: 49001 renamed in 2017, industries 11 and 31-33 retitled
    (2017, 2018); with ``clash``, 42 titled 'Wholesale trade' on one 2016 row too."""
    for k, year in enumerate((2016, 2017, 2018)):
        lines = ["region,region_name,industry,industry_name,year,employment"]
        for region, names in _REGIONS.items():
            for code, titles in _TITLES.items():
                title = titles[k]
                if clash and k == 0 and region == "49003" and code == "42":
                    title = "Wholesale trade"
                lines.append(f"{region},{names[k]},{code},{title},{year},10")
        (tmp_path / f"y{year}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _warned(tmp_path, capsys, monkeypatch, parts: bool) -> list[str]:
    code, _, err = run_in_parts(["ingest", str(tmp_path / "y*.csv"), "-o",
                                 str(tmp_path / "o.csv")], capsys, monkeypatch, parts)
    assert code == 0, err
    assert ("one at a time" in err) == parts, err
    return [ln.replace(f"{tmp_path}/", "") for ln in err.splitlines()
            if ln.startswith("warning:") and ("names" in ln or "named" in ln)]


def test_industry_retitled_across_parts_is_said_as_the_whole_run_says_it(
        tmp_path, capsys, monkeypatch):
    """One file a year, ingested in parts (one a year): each part saw one title of 11 and of
    31-33 and said nothing, where the whole run says one line for the retitled codes.  Now
    the parts say that line too, each title's files in place of its first line."""
    _years(tmp_path)
    whole = _warned(tmp_path, capsys, monkeypatch, False)
    parts = _warned(tmp_path, capsys, monkeypatch, True)
    assert whole[-1] == (
        "warning: 2 industry codes are named differently in different periods (titles revised "
        "between years, as QCEW's are; each row keeps its own): 11 'Ag' (2 rows, 2016, first at "
        "y2016.csv:2) and 'Agriculture' (4 rows, 2017-2018, first at y2017.csv:2); 31-33 'Manuf' "
        "(4 rows, 2016-2017, first at y2016.csv:4) and 'Manufacturing' (2 rows, 2018, first at "
        "y2018.csv:4)")
    assert parts == [
        "warning: region 49001 has 2 names in different periods: 'Beaver County' (4 rows, 2016, "
        "in y2016.csv) and 'Box Elder County' (8 rows, 2017-2018, in y2017.csv, y2018.csv): a "
        "renamed region, or a code reused for another?",
        "warning: 2 industry codes are named differently in different periods (titles revised "
        "between years, as QCEW's are; each row keeps its own): 11 'Ag' (2 rows, 2016, in "
        "y2016.csv) and 'Agriculture' (4 rows, 2017-2018, in y2017.csv, y2018.csv); 31-33 "
        "'Manuf' (4 rows, 2016-2017, in y2016.csv, y2017.csv) and 'Manufacturing' (2 rows, "
        "2018, in y2018.csv)"]


def test_industry_titled_two_ways_in_a_period_across_parts_is_one_line(
        tmp_path, capsys, monkeypatch):
    """42 'Whole' in every year's file and 'Wholesale trade' on one 2016 row: the part of 2016
    counted its own one row of 'Whole'; the line across the parts counts all five, as the
    whole run does, and stands for the part's."""
    _years(tmp_path, clash=True)
    whole = [ln for ln in _warned(tmp_path, capsys, monkeypatch, False) if "industry 42" in ln]
    parts = [ln for ln in _warned(tmp_path, capsys, monkeypatch, True) if "industry 42" in ln]
    assert whole == ["warning: industry 42 has 2 names in period 2016: 'Whole' (5 rows, first at "
                     "y2016.csv:5) and 'Wholesale trade' (1 row, at y2016.csv:9): a wrong join, or "
                     "codes of another code list? The stages treat them as one industry"]
    assert parts == ["warning: industry 42 has 2 names in period 2016: 'Whole' (5 rows, in "
                     "y2016.csv, y2017.csv ...) and 'Wholesale trade' (1 row, in y2016.csv): a "
                     "wrong join, or codes of another code list? The stages treat them as one "
                     "industry"]


# --------------------------------------------------------------------------- lq's unlisted children

SECTION_ALONE = (__import__("pathlib").Path(__file__).parent / "data" / "tidy33"
                 / "section_and_division_alone.csv")


def test_lq_looks_for_unlisted_children_once(tmp_path, capsys, monkeypatch):
    """R3 lists C alone, R4 C10 without its groups (region and industry names beside): lq's
    lazy path looked for the codes a region lists only through their parent on a probe of the
    key columns and, finding some, again on the whole table.  Now once, each level once; the
    rows as before (their labels their parent's, their titles their code's)."""
    from clusterid.core import overlaps

    calls = []
    real = overlaps.unlisted_children

    def counted(df, level, *args, **kwargs):
        calls.append(level)
        return real(df, level, *args, **kwargs)

    monkeypatch.setattr(overlaps, "unlisted_children", counted)
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(SECTION_ALONE), "-o", str(out)], capsys)
    assert code == 0, err
    assert calls == [2, 3], calls
    assert "6 cells of codes that a region lists only through their parent (region R3 2022: C " \
           "without C10, C11)" in err, err
    text = out.read_text(encoding="utf-8")
    assert "2022,R3,total,C10.1,3,Gamma,Meat,employment,,suppressed," in text
    assert "2022,R4,total,C10.2,3,Delta,Fish,employment,,suppressed," in text


def test_unlisted_children_found_on_the_probe_are_the_whole_tables():
    """The rows found on lq's probe of the key columns, made whole: the frame the search on
    the whole table gives, column for column."""
    from clusterid.cli.options import open_input
    from clusterid.core import overlaps

    lf, _meta = open_input([str(SECTION_ALONE)])
    full = lf.collect()
    keys = ["period", "region", "ownership", "industry", "classification", "level"]
    probe = full.select(*keys, "employment").with_row_index("_at")
    found, info = overlaps.unlisted_children_every_level(probe, carry=("_at",))
    assert info["rows"] == 6
    whole, _ = overlaps.unlisted_children_every_level(full)
    made = overlaps.with_unlisted_children_of(full, found.slice(probe.height), "_at")
    assert made.schema == whole.schema
    assert made.equals(whole), (made.tail(6), whole.tail(6))


# --------------------------------------------------------------------------- England beside ITL1

ENGLAND = SECTION_ALONE.parent / "itl1_england_no_levels.csv"


@pytest.mark.parametrize("code", ["E92000001", "England"])
def test_england_beside_itl1_regions_without_levels_is_counted_once(code, tmp_path, capsys):
    """A canonical table of England (600; C 120) beside the ITL1 regions TLC, TLD, TLK (its
    own) and TLM, with no region_level column: lq's benchmark summed England with its own
    regions (C 260 of 1,350, England counted twice), unsaid; ingest levels the same rows
    (country, itl1).  Now the table's reader does too: C 140 of 750 for the regions."""
    src = tmp_path / "t.csv"
    src.write_text(ENGLAND.read_text(encoding="utf-8").replace("E92000001", code),
                   encoding="utf-8")
    out = tmp_path / "lq.csv"
    code_, _, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code_ == 0, err
    rows = {(r["region"], r["industry"]): r for r in __import__("csv").DictReader(
        out.read_text(encoding="utf-8").splitlines())}
    tlc = rows[("TLC", "C")]
    assert tlc["region_level"] == "itl1"
    assert float(tlc["benchmark_industry_total"]) == 140e6
    assert float(tlc["benchmark_total"]) == 750e6
    assert rows[(code, "C")]["region_level"] == "country"
    code_, stats, err = run_main(["stats", str(src)], capsys)
    assert code_ == 0, err
    assert {ln.split(",")[1]: ln.split(",")[4] for ln in stats.splitlines()[1:]} == {
        code: "country", "TLC": "itl1", "TLD": "itl1", "TLK": "itl1", "TLM": "itl1"}


def test_kato_settlement_outside_a_district_benchmark_is_said(tmp_path, capsys):
    """-b region:113200000, a KATO district, beside a settlement of another district
    (113420100): lq said nothing (the note knew an oblast's districts and settlements, not a
    district's settlements); now the note names it, as for an oblast."""
    src = SECTION_ALONE.parent / "kz_kato_district_settlements.csv"
    code, _, err = run_main(["lq", str(src), "-b", "region:113200000", "-o",
                             str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    assert ("the benchmark region 113200000 (district) does not hold 1 region of a finer level "
            "in the table, whose codes do not start with its own (113420100)") in err, err
