"""The national offices' downloads this session made readable, taken from the raw file through
the commands after ingest (lq, stats, indices, detect) as a user would (session 16): each test
writes the file in the office's layout and checks the figures by hand."""

from __future__ import annotations

import csv

from conftest import run_main

# Statistics Canada's table CSV (14100202, "Employment by industry, annual", SEPH), one row per
# cell: STATUS beside VALUE holds the quality grade of a published figure (A excellent, B very
# good, C good, D acceptable, E use with caution), F (too unreliable) or x (suppressed) with
# VALUE empty
_SC_HEAD = ('"REF_DATE","GEO","DGUID","Type of employee","North American Industry Classification '
            'System (NAICS)","UOM","UOM_ID","SCALAR_FACTOR","SCALAR_ID","VECTOR","COORDINATE","VALUE",'
            '"STATUS","SYMBOL","TERMINATED","DECIMALS"\n')


def _lq(tmp_path, capsys, src):
    """``clusterid lq SRC -o lq.csv`` in-process: (exit code, stderr, rows by (region, industry))."""
    out = tmp_path / "lq.csv"
    code, _o, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    rows = csv.DictReader(out.open(encoding="utf-8")) if code == 0 else []
    return code, err, {(r["region"], r["industry"]): r for r in rows}


def _sc_row(g, i, geo, dguid, industry, value, status):
    return (f'"2022","{geo}","{dguid}","All employees","{industry}","Persons","249","units","0",'
            f'"v7931{g}{i:03d}","{g}.1.{i}","{value}","{status}","","","0"\n')


def test_statcan_quality_grades_c_and_d_keep_the_published_figure(tmp_path, capsys):
    """StatCan's STATUS C ("good") and D ("acceptable") beside a published VALUE were read as
    the withholding letters c (Eurostat) and D (Census): Nova Scotia's 28,815 construction jobs
    and Newfoundland's 15,022 became suppressed cells, their LQs undefined and left out of the
    benchmark.  They are figures; only x (and F, whose cell is empty) withhold."""
    cells = [("Newfoundland and Labrador", "2021A000210",
              [("212430", "A"), ("15022", "C"), ("", "x")]),
             ("Nova Scotia", "2021A000212",
              [("435108", "A"), ("28815", "D"), ("2461", "B")])]
    industries = ["Industrial aggregate including unclassified businesses [00-91N]",
                  "Construction [23]", "Utilities [22]"]
    text = _SC_HEAD
    for g, (geo, dguid, row) in enumerate(cells, start=1):
        for i, (industry, (value, status)) in enumerate(zip(industries, row), start=1):
            text += _sc_row(g, i, geo, dguid, industry, value, status)
    src = tmp_path / "14100202.csv"
    src.write_text(text, encoding="utf-8")
    code, err, lq = _lq(tmp_path, capsys, src)
    assert code == 0, err
    ns = lq[("Nova Scotia", "23")]
    assert ns["status"] == "reported" and float(ns["value"]) == 28815
    # (28,815 / 435,108) / ((15,022 + 28,815) / (212,430 + 435,108)) = 0.97824
    assert float(ns["benchmark_industry_total"]) == 43837
    assert abs(float(ns["lq"]) - 0.97824) < 1e-5
    assert lq[("Newfoundland and Labrador", "23")]["status"] == "reported"
    assert lq[("Newfoundland and Labrador", "22")]["status"] == "suppressed"


# OECD Data Explorer, SDMX-CSV "with labels" (employees by ISIC Rev. 4 section, UNIT_MULT 3):
# OBS_STATUS is SDMX's observation status (CL_OBS_STATUS: A normal, D definition differs, N not
# significant, S strike, Q missing value suppressed ...); confidentiality is CONF_STATUS's
_OECD_HEAD = ("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,REF_AREA,Reference area,FREQ,Frequency "
              "of observation,MEASURE,Measure,ACTIVITY,Economic activity,UNIT_MEASURE,Unit of measure,"
              "TIME_PERIOD,Time period,OBS_VALUE,Observation value,OBS_STATUS,Observation status,"
              "UNIT_MULT,Unit multiplier\n")


def _oecd_row(area, name, activity, label, value, status, status_label):
    return (f"DATAFLOW,OECD.SDD.TPS:DSD_ALFS@DF_ALFS_EMP_EES(1.0),Employees by activity,I,{area},"
            f"{name},A,Annual,EES,Employees,{activity},{label},PS,Persons,2022,,{value},,{status},"
            f"{status_label},3,Thousands\n")


def test_sdmx_obs_status_definition_differs_keeps_the_figure(tmp_path, capsys):
    """An OECD observation marked D ("definition differs", as the OECD marks a country's break
    from the common definition) was read as Census's withholding D: Austria's 693,100
    manufacturing employees became a suppressed cell, its LQ undefined and Belgium's
    manufacturing alone the benchmark's.  In OBS_STATUS, D, N and S are notes on a figure;
    Q (missing value, suppressed) still withholds."""
    text = (_OECD_HEAD
            + _oecd_row("AUT", "Austria", "C", "Manufacturing", "693.1", "D", "Definition differs")
            + _oecd_row("AUT", "Austria", "F", "Construction", "297.5", "A", "Normal value")
            + _oecd_row("AUT", "Austria", "_T", "Total", "3921.8", "A", "Normal value")
            + _oecd_row("BEL", "Belgium", "C", "Manufacturing", "480.2", "A", "Normal value")
            + _oecd_row("BEL", "Belgium", "F", "Construction", "", "Q", "Missing value; suppressed")
            + _oecd_row("BEL", "Belgium", "_T", "Total", "4150.3", "A", "Normal value"))
    src = tmp_path / "DF_ALFS_EMP_EES.csv"
    src.write_text(text, encoding="utf-8")
    code, err, lq = _lq(tmp_path, capsys, src)
    assert code == 0, err
    aut = lq[("AUT", "C")]
    assert aut["status"] == "reported" and float(aut["value"]) == 693100
    # (693,100 / 3,921,800) / ((693,100 + 480,200) / (3,921,800 + 4,150,300)) = 1.21587
    assert float(aut["benchmark_industry_total"]) == 1173300
    assert abs(float(aut["lq"]) - 1.21587) < 1e-5
    assert lq[("BEL", "F")]["status"] == "suppressed"


# The ABS Data API's SDMX-CSV with labels (LF_IND, employed persons by industry and state,
# UNIT_MULT 3), the states and Australia as its STATE dimension gives them; ANZSIC letters,
# read with --classification custom
_ABS_HEAD = ("DATAFLOW,MEASURE: Measure,INDUSTRY: Industry,STATE: State,FREQ: Frequency,"
             "TIME_PERIOD: Time Period,OBS_VALUE,UNIT_MEASURE: Unit of Measure,UNIT_MULT: Unit of "
             "Multiplier,OBS_STATUS: Observation Status,OBS_COMMENT: Observation Comment\n")


def _abs_rows(state, figures):
    labels = ["C: Manufacturing", "E: Construction", "TOT: All industries"]
    return "".join(f"ABS:LF_IND(1.0.0),M3: Employed total,{label},{state},Q: Quarterly,2023-Q1,"
                   f"{value},NUM: Number,3: Thousands,,\n" for label, value in zip(labels, figures))


def test_abs_australia_beside_its_states_is_their_total(tmp_path, capsys):
    """"AUS: Australia" beside "1: New South Wales" and "2: Victoria" was kept as a third
    region of the same (no) level, so lq's sum of regions added Australia to its own states:
    New South Wales's manufacturing LQ came out against 2,046,100 of 21,922,600 jobs.  Australia
    is the states' total, as Canada and Sweden are: dropped and counted (kept at level nation
    with --keep-region-totals)."""
    text = (_ABS_HEAD + _abs_rows("1: New South Wales", ["276.4", "378.2", "4320.1"])
            + _abs_rows("2: Victoria", ["269.7", "345.0", "3602.5"])
            + _abs_rows("AUS: Australia", ["1500.0", "1400.0", "14000.0"]))
    src = tmp_path / "LF_IND.csv"
    src.write_text(text, encoding="utf-8")
    table = tmp_path / "abs.csv"
    code, _o, err = run_main(["ingest", str(src), "-o", str(table), "--classification", "custom"], capsys)
    assert code == 0, err
    assert "3 region total rows" in err
    code, err, lq = _lq(tmp_path, capsys, table)
    assert code == 0, err
    assert {r for r, _i in lq} == {"1", "2"}
    nsw = lq[("1", "C")]
    # (276,400 / 4,320,100) / ((276,400 + 269,700) / (4,320,100 + 3,602,500)) = 0.92819
    assert float(nsw["benchmark_industry_total"]) == 546100
    assert float(nsw["benchmark_total"]) == 7922600
    assert abs(float(nsw["lq"]) - 0.92819) < 1e-5
    code, _o, err = run_main(["ingest", str(src), "-o", str(table), "--classification", "custom",
                              "--keep-region-totals"], capsys)
    assert code == 0, err
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert {r["region_level"] for r in rows if r["region"] == "AUS"} == {"nation"}


# CBS StatLine (opendata.cbs.nl / "Onbewerkte dataset" CSV of 83582NED-like tables): each
# region label ends in its level, (LD) landsdeel, (PV) provincie, (GM) gemeente; a download of
# "all regions" lists Nederland, the landsdelen, provinces and municipalities together
CBS_ALL_LEVELS = '''\
"Banen van werknemers; SBI 2008, regio";;;
"Bedrijfstakken/branches (SBI 2008)";"Regio's";"Perioden";"Banen van werknemers (x 1 000)"
"A-U Alle economische activiteiten";"Nederland";"2022";"8 530,2"
"A-U Alle economische activiteiten";"Noord-Nederland (LD)";"2022";"700,0"
"A-U Alle economische activiteiten";"Groningen (PV)";"2022";"250,4"
"A-U Alle economische activiteiten";"Friesland (PV)";"2022";"262,1"
"A-U Alle economische activiteiten";"Groningen (GM)";"2022";"150,0"
"C Industrie";"Nederland";"2022";"801,5"
"C Industrie";"Noord-Nederland (LD)";"2022";"80,0"
"C Industrie";"Groningen (PV)";"2022";"24,1"
"C Industrie";"Friesland (PV)";"2022";"32,8"
"C Industrie";"Groningen (GM)";"2022";"10,0"
"Bron: CBS";;;
'''


def test_cbs_region_levels_keep_a_province_apart_from_its_municipality(tmp_path, capsys):
    """A CBS table of landsdelen, provinces and municipalities was one level: lq's sum of
    regions added Groningen (GM) and Noord-Nederland (LD) to the provinces holding them, so
    Groningen (PV)'s manufacturing LQ came out against 146,900 of 1,362,500 jobs.  The label's
    mark is the level (landsdeel, provincie, gemeente): each level is its own benchmark."""
    src = tmp_path / "82800NED.csv"
    src.write_text(CBS_ALL_LEVELS, encoding="utf-8")
    code, err, lq = _lq(tmp_path, capsys, src)
    assert code == 0, err
    gr = lq[("Groningen (PV)", "C")]
    # (24,100 / 250,400) / ((24,100 + 32,800) / (250,400 + 262,100)) = 0.86689
    assert float(gr["benchmark_industry_total"]) == 56900
    assert float(gr["benchmark_total"]) == 512500
    assert abs(float(gr["lq"]) - 0.86689) < 1e-5
    assert float(lq[("Groningen (GM)", "C")]["benchmark_total"]) == 150000
    table = tmp_path / "gm.csv"
    code, _o, err = run_main(["ingest", str(src), "-o", str(table), "--region-level", "gemeente"], capsys)
    assert code == 0, err
    assert {r["region"] for r in csv.DictReader(table.open(encoding="utf-8"))} == {"Groningen (GM)"}


# NOMIS (ONS BRES, open access), "Download data" as CSV with local authorities down and SIC 2007
# divisions across, the user's comparison geographies (a region, a country) in the same table:
# the "mnemonic" column holds each geography's GSS code, whose prefix is its type
NOMIS_BRES_MIXED = '''\
"Business Register and Employment Survey : open access"
"ONS Crown Copyright Reserved [from Nomis on 29 November 2026]"
"date","2022"
"measure","Count"
"employment status","Employment"

"local authority: district / unitary (as of April 2023)","mnemonic","10 : Manufacture of food products","49 : Land transport and transport via pipelines"
"Hartlepool","E06000001","1,250","400"
"Middlesbrough","E06000002","600","900"
"Redcar and Cleveland","E06000003","700","350"
"North East","E12000001","20,000","30,000"
"England","E92000001","400,000","800,000"

"* Employment includes employees plus the number of working owners."
'''


def test_nomis_gss_codes_keep_local_authorities_apart_from_their_region(tmp_path, capsys):
    """NOMIS's BRES table with North East (E12) and England (E92) below the local authorities
    was one level: lq's sum of regions added England and the North East to Hartlepool's
    neighbours, so Hartlepool's food manufacturing came out against 422,550 of 1,254,200 jobs.
    The GSS code's prefix is the level (E06 lad, E12 region, E92 country): each is its own
    benchmark."""
    src = tmp_path / "bres_la_divisions.csv"
    src.write_text(NOMIS_BRES_MIXED, encoding="utf-8")
    code, err, lq = _lq(tmp_path, capsys, src)
    assert code == 0, err
    hp = lq[("E06000001", "C10")]  # Hartlepool, keyed by its GSS code
    # (1,250 / 1,650) / ((1,250 + 600 + 700) / (1,650 + 1,500 + 1,050)) = 1.24777
    assert float(hp["benchmark_industry_total"]) == 2550
    assert float(hp["benchmark_total"]) == 4200
    assert abs(float(hp["lq"]) - 1.24777) < 1e-5
    assert float(lq[("E92000001", "C10")]["benchmark_total"]) == 1200000
    assert "'mnemonic'" not in err


# Statistics Sweden's PX-Web (statistikdatabasen.scb.se, RAMS table "Gainfully employed 16+ years
# by region of work", saved as "Comma delimited with heading"), the regions chosen as the
# country, counties and some of their municipalities: each label is its code and name
SCB_COUNTIES_AND_MUNICIPALITIES = '''\
"Gainfully employed 16+ years by region of work (RAMS), industrial classification SNI 2007 and year"

"region","industrial classification SNI 2007","2022"
"00 Sweden","A-U total",5156000
"00 Sweden","C manufacturing",538000
"01 Stockholm county","A-U total",1290000
"01 Stockholm county","C manufacturing",59000
"0180 Stockholm","A-U total",700000
"0180 Stockholm","C manufacturing",20000
"03 Uppsala county","A-U total",196000
"03 Uppsala county","C manufacturing",17000
"0380 Uppsala","A-U total",120000
"0380 Uppsala","C manufacturing",9000
'''


def test_px_web_counties_and_municipalities_are_two_levels(tmp_path, capsys):
    """SCB's counties (two-digit codes) beside their municipalities (four digits) were one
    level: lq's sum of regions added Stockholm municipality to Stockholm county, so Uppsala
    county's manufacturing came out against 105,000 of 2,306,000 jobs.  The code's shape is the
    level (county, municipality; Statistics Finland's MK, KU): each is its own benchmark, and
    the country row is still the total."""
    src = tmp_path / "000006XF.csv"
    src.write_text(SCB_COUNTIES_AND_MUNICIPALITIES, encoding="utf-8")
    code, err, lq = _lq(tmp_path, capsys, src)
    assert code == 0, err
    assert "00" not in {r for r, _i in lq}
    up = lq[("03", "C")]
    # (17,000 / 196,000) / ((59,000 + 17,000) / (1,290,000 + 196,000)) = 1.69589
    assert float(up["benchmark_industry_total"]) == 76000
    assert float(up["benchmark_total"]) == 1486000
    assert abs(float(up["lq"]) - 1.69589) < 1e-5
    assert float(lq[("0380", "C")]["benchmark_total"]) == 820000
