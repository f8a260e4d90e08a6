"""Region levels and adapters (session 32): numeric codes of two levels under a plain
``region`` heading, the German rule's evidence, the region-name check across the parts of a
large input, CBP's metro files (metropolitan and micropolitan areas), Eurostat's ``DE_TOT``.
Each test says what the user met before its fix.  Fixtures in tests/data/levels32/ (README
there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import csv_rows, run_in_parts, run_main

DATA = Path(__file__).parent / "data" / "levels32"


def _lq(capsys, tmp_path, name, *extra):
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(DATA / name), "-o", str(out), *extra], capsys)
    assert code == 0, err
    return {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}, err


# --------------------------------------------------------------------------- nested codes

def test_us_state_beside_its_counties_under_a_region_heading(capsys, tmp_path):
    """Utah (49) beside Beaver (49001) and Box Elder (49003) under ``region``: no levels, so
    lq's benchmark summed Utah with its own counties (benchmark_total 2,000 for 1,000 jobs,
    Beaver's construction LQ 1.5).  Now state and county by FIPS shape and US names; by hand
    the counties' benchmark is 400 + 600 = 1,000 and construction 60 + 40 = 100, so Beaver's
    LQ is (60/400) / (100/1000) = 1.5 against the right total."""
    got, _ = _lq(capsys, tmp_path, "us_state_counties_region_heading.csv")
    beaver = got[("49001", "23")]
    assert beaver["region_level"] == "county" and got[("49", "23")]["region_level"] == "state"
    assert beaver["benchmark_total"] == "1000.0" and beaver["benchmark_industry_total"] == "100.0"
    assert float(beaver["lq"]) == pytest.approx((60 / 400) / (100 / 1000))
    box = got[("49003", "31-33")]
    assert float(box["lq"]) == pytest.approx((200 / 600) / (300 / 1000))


def test_oblast_beside_its_districts_under_a_region_heading(capsys, tmp_path):
    """KATO oblasts (11, 15) beside their districts' nine digits under ``region``: read as
    German Länder and Gemeindeverbände (09-16 are Länder keys, nine digits a Verband's)
    on Cyrillic names.  Now oblast and district, the districts' benchmark 500 + 400 + 800."""
    got, _ = _lq(capsys, tmp_path, "kz_oblast_districts_region_heading.csv")
    assert got[("11", "C")]["region_level"] == "oblast"
    district = got[("113200000", "C")]
    assert district["region_level"] == "district" and district["benchmark_total"] == "1700.0"


def test_numbers_that_nest_by_chance_stay_one_level(capsys, tmp_path):
    """12 begins 1201 and 1202 but is far below their sum in every cell: numbers, not a
    region and its parts -- read as one level, as before (no false levels)."""
    got, err = _lq(capsys, tmp_path, "numbers_one_level_by_chance.csv")
    assert "region_level" not in got[("12", "23")] or not got[("12", "23")]["region_level"]
    assert got[("1201", "23")]["benchmark_total"] == "1600.0", err


def test_numbers_whose_figures_say_neither_are_refused(capsys, tmp_path):
    """12 bounds the sum of 1201 and 1202 in one cell and not in the other: read silently as
    one level before (or, were they levels, summed twice).  Now refused on 12's line, with
    the two ways out; --region-level reads them as one level, as asked."""
    out = tmp_path / "o.csv"
    src = DATA / "numbers_begin_others_unclear.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 1, err
    assert (f"{src}:2: column 'region': region codes begin one another (12 of 1201, 1202), and "
            "the figures do not say whether they are regions and their parts: 12's figures "
            "bound the sum of 1201, 1202 in 1 of 2 cells") in err, err
    code, _, err = run_main(["ingest", str(src), "-o", str(out), "--region-level", "branch"],
                            capsys)
    assert code == 0, err
    assert {r["region_level"] for r in csv_rows(out.read_text(encoding="utf-8"))} == {"branch"}


def test_unnamed_numeric_levels_in_a_canonical_table(capsys, tmp_path):
    """A canonical table without region_level, Utah beside its counties, no names: the
    figures bound, so levels by the codes' length, the counties' benchmark 1,000."""
    src = tmp_path / "t.csv"
    src.write_text("period,region,ownership,industry,level,employment\n"
                   "2016,49,total,23,2,100\n2016,49,total,31-33,2,300\n"
                   "2016,49001,total,23,2,60\n2016,49001,total,31-33,2,100\n"
                   "2016,49003,total,23,2,40\n2016,49003,total,31-33,2,200\n", encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert got[("49001", "23")]["region_level"] == "5-digit"
    assert got[("49001", "23")]["benchmark_total"] == "400.0"  # 60+100+40+200, no Utah


# --------------------------------------------------------------------------- German evidence

def test_us_states_01_to_16_are_no_laender(capsys, tmp_path):
    """California (06) and Florida (12) beside their counties: 01-16 beside five digits made
    the AGS rule fire, the states 'land' and the counties 'kreis'.  Now state and county (US
    names, no German word); the figures were right and stay so."""
    got, _ = _lq(capsys, tmp_path, "us_states_01_16_counties.csv")
    assert got[("06", "10")]["region_level"] == "state"
    alameda = got[("06001", "31-33")]
    assert alameda["region_level"] == "county" and alameda["benchmark_total"] == "9000.0"


def test_german_land_and_kreise_keep_their_levels(capsys, tmp_path):
    """Bayern beside two Kreise, German names: land and kreis, as before."""
    got, _ = _lq(capsys, tmp_path, "de_land_kreise_region_heading.csv")
    assert got[("09", "C")]["region_level"] == "land"
    assert got[("09184", "C")]["region_level"] == "kreis"
    assert got[("09184", "C")]["benchmark_total"] == "1500.0"


# --------------------------------------------------------------------------- Eurostat DE_TOT

def test_de_tot_beside_german_regions_is_the_nation(capsys, tmp_path):
    """Eurostat's DE_TOT (Germany including the former GDR) beside DE1-DE3: read as NUTS it
    was level 'nuts4'.  Now the nation: never summed with the regions; -b region:DE_TOT
    compares them with it."""
    got, _ = _lq(capsys, tmp_path, "estat_de_tot_nuts1.tsv")
    assert got[("DE_TOT", "C")]["region_level"] == "nation"
    assert got[("DE1", "C")]["benchmark_total"] == "15000000.0"


def test_de_tot_beside_countries_is_no_region(capsys, tmp_path):
    """An SDMX-CSV of AT, DE and DE_TOT: DE_TOT left every code without a level, and lq
    counted Germany twice (benchmark 91.5 M for 47.9 M jobs).  Now AT and DE nuts0, DE_TOT
    an aggregate beside them."""
    got, _ = _lq(capsys, tmp_path, "estat_de_tot_countries_sdmx.csv")
    assert got[("DE_TOT", "C")]["region_level"] == "aggregate"
    at = got[("AT", "C")]
    assert at["region_level"] == "nuts0" and at["benchmark_total"] == "47900000.0"
    assert float(at["lq"]) == pytest.approx((700 / 4300) / (8900 / 47900))


# --------------------------------------------------------------------------- names across parts

@pytest.mark.parametrize("parts", [True, False])
def test_a_code_named_two_ways_in_two_parts_is_said(parts, capsys, tmp_path, monkeypatch):
    """One file a year, 49001 'Beaver County' in 2016's and 'Box Elder County' in 2017's
    (a code reused, or a wrong join in one year's export).  Ingested whole, a warning; in
    parts (a large glob, one part a year) each part saw one name and nothing was said.  Now
    the same line, each name's file in place of its first line."""
    for year, name in ((2016, "Beaver County"), (2017, "Box Elder County")):
        (tmp_path / f"y{year}.csv").write_text(
            "region,region_name,industry,year,employment\n"
            f"49001,{name},11,{year},10\n49001,{name},23,{year},20\n"
            f"49003,Cache County,11,{year},5\n", encoding="utf-8")
    code, _, err = run_in_parts(["ingest", str(tmp_path / "y*.csv"), "-o",
                                 str(tmp_path / "o.csv")], capsys, monkeypatch, parts)
    assert code == 0, err
    assert ("one at a time" in err) == parts, err
    said = [line for line in err.splitlines() if "49001 has" in line]
    assert len(said) == 1, err
    where = ((f", in {tmp_path / 'y2016.csv'}", f", in {tmp_path / 'y2017.csv'}") if parts else
             (f", first at {tmp_path / 'y2016.csv'}:2", f", first at {tmp_path / 'y2017.csv'}:2"))
    assert said[0] == ("warning: region 49001 has 2 names in different periods: "
                       f"'Beaver County' (2 rows, 2016{where[0]}) and 'Box Elder County' "
                       f"(2 rows, 2017{where[1]}): a renamed region, or a code reused for "
                       "another?"), err
    assert "49003 has" not in err


# --------------------------------------------------------------------------- CBP metro files

def test_cbp_metro_file_areas_are_cbsas(capsys, tmp_path):
    """cbp16msa.txt holds metropolitan and micropolitan areas (Census: 'Metropolitan or
    Micropolitan Area Code'), and no column says which: every area was level msa, the micro
    ones passing for metro areas beside QCEW's msa (metro only).  Now cbsa, said in the
    metadata's notes."""
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(DATA.parent / "cbp" / "cbp16msa_excerpt.txt"), "-o",
                             str(out)], capsys)
    assert code == 0, err
    assert {r["region_level"] for r in csv_rows(out.read_text(encoding="utf-8"))} == {"cbsa"}
    notes = " ".join(__import__("json").loads(
        Path(str(out) + ".meta.json").read_text(encoding="utf-8"))["notes"])
    assert "metropolitan and micropolitan alike" in notes and "region level cbsa" in notes


def test_census_metro_table_tells_metro_from_micro_by_name(capsys, tmp_path):
    """data.census.gov's CBP by metro area (GEO_ID summary level 310): Abilene (Metro Area) and
    Aberdeen, SD (Micro Area) were both msa.  Census names each area with its kind: msa and
    microsa."""
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(DATA / "cbp2022_metro_micro_table_layout.csv"), "-o",
                             str(out)], capsys)
    assert code == 0, err
    got = {r["region"]: r["region_level"] for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert got == {"C1018": "msa", "C1010": "microsa"}


def test_impute_bounds_a_county_by_its_two_digit_state(capsys, tmp_path):
    """Utah (49) 100 in construction, Box Elder 40, Beaver withheld: unlevelled, Beaver was
    bounded by nothing (0 and up).  As a county of its state it is 100 - 40 = 60 exactly."""
    src = tmp_path / "sup.csv"
    src.write_text("region,name,industry,year,employment\n"
                   "49,Utah,31-33,2016,1000\n49,Utah,23,2016,100\n"
                   "49001,Beaver County,31-33,2016,400\n49001,Beaver County,23,2016,(D)\n"
                   "49003,Box Elder County,31-33,2016,600\n49003,Box Elder County,23,2016,40\n",
                   encoding="utf-8")
    table, out = tmp_path / "t.csv", tmp_path / "imp.csv"
    assert run_main(["ingest", str(src), "-o", str(table)], capsys)[0] == 0
    code, _, err = run_main(["impute", str(table), "-o", str(out), "--method", "bounds-only"],
                            capsys)
    assert code == 0, err
    beaver = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}[
        ("49001", "23")]
    assert (beaver["employment_lower"], beaver["employment_upper"]) == ("60.0", "60.0"), beaver


def test_qcew_cut_without_agglvl_tells_micro_areas_by_title(capsys, tmp_path):
    """A QCEW extract without agglvl_code (area_fips, area_title ...): every C code was msa,
    a 'MicroSA' too (QCEW's own files say agglvl 80).  Now its title says microsa.  (Codes
    and figures illustrative.)"""
    src = tmp_path / "cut.csv"
    src.write_text('area_fips,area_title,industry_code,year,qtr,month1_emplvl\n'
                   'C3934,"Provo-Orem, UT MSA",10,2016,1,250000\n'
                   'C3934,"Provo-Orem, UT MSA",23,2016,1,20000\n'
                   'C3922,"Price, UT MicroSA",10,2016,1,7000\n'
                   'C3922,"Price, UT MicroSA",23,2016,1,400\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    got = {r["region"]: r["region_level"] for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert got == {"C3934": "msa", "C3922": "microsa"}
