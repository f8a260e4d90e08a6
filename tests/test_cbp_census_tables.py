"""County Business Patterns as data.census.gov and the Census API give them, not as the FTP
flat files (cbp21co.txt) the CBP adapter reads.

Layouts, written in each test under its tmp folder:

* data.census.gov table download (table CB2100CBP / CB2200CBP, "All Sectors: County Business
  Patterns, including ZIP Code Business Patterns, by Legal Form of Organization and
  Employment Size Class"), saved as ``CBP2021.CB2100CBP-Data.csv``: the API names as headings
  (``GEO_ID, NAME, NAICS2017, NAICS2017_LABEL, LFO, LFO_LABEL, EMPSZES, EMPSZES_LABEL, YEAR,
  ESTAB, EMP, EMP_N, PAYQTR1, PAYQTR1_N, PAYANN, PAYANN_N``), a second row of their labels
  ("Geography", "Noise range for number of employees" ...), GEO_IDs ``0500000US01001``.
  Since 2017 there is no ``EMP_F``: a withheld cell is the letter in its noise column
  (``EMP_N`` D), the value beside it 0.

Figures: Autauga County, Alabama, 2021, as cbp21co.txt publishes them (the rows of
tests/data/cbp/cbp21co_excerpt.txt: all sectors 924 establishments, 11,216 employees, annual
payroll $424,826 thousand; sector 11 10 / 78 / 5,107; 113 7 / 68 / 4,563; sector 21 three
establishments, employment and payroll withheld, D). The 1-4 employees size-class row's
employment and payroll are stand-ins (its 442 establishments are the file's ``n<5``).
"""

from __future__ import annotations

from clusterid import schema
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import generic_plan

EMP_S = schema.status_col(schema.EMPLOYMENT)
EMP_F = schema.flag_col(schema.EMPLOYMENT)
WAGES_S = schema.status_col(schema.WAGES)

HEAD_2021 = ('"GEO_ID","NAME","NAICS2017","NAICS2017_LABEL","LFO","LFO_LABEL","EMPSZES",'
             '"EMPSZES_LABEL","YEAR","ESTAB","EMP","EMP_N","PAYQTR1","PAYQTR1_N","PAYANN","PAYANN_N"\n'
             '"Geography","Geographic Area Name","2017 NAICS code","Meaning of NAICS code",'
             '"Legal form of organization code","Meaning of Legal form of organization code",'
             '"Employment size of establishments code","Meaning of Employment size of '
             'establishments code","Year","Number of establishments","Number of employees",'
             '"Noise range for number of employees","First-quarter payroll ($1,000)",'
             '"Noise range for first-quarter payroll","Annual payroll ($1,000)",'
             '"Noise range for annual payroll"\n')
AUTAUGA = '"0500000US01001","Autauga County, Alabama",'
ALL = '"001","All establishments","001","All establishments",'
ROWS_2021 = (
    AUTAUGA + '"00","Total for all sectors",' + ALL + '"2021","924","11216","G","97944","G","424826","G"\n'
    + AUTAUGA + '"00","Total for all sectors","001","All establishments","212",'
    '"Establishments with 1 to 4 employees","2021","442","820","G","7310","G","31200","G"\n'
    + AUTAUGA + '"11","Agriculture, forestry, fishing and hunting",' + ALL
    + '"2021","10","78","G","1325","G","5107","G"\n'
    + AUTAUGA + '"113","Forestry and logging",' + ALL + '"2021","7","68","G","1213","G","4563","G"\n'
    + AUTAUGA + '"21","Mining, quarrying, and oil and gas extraction",' + ALL
    + '"2021","3","0","D","0","D","0","D"\n')


def _ingest_text(tmp_path, name: str, text: str):
    """``text`` written as ``tmp_path/name`` and ingested: (rows by (region, industry), metadata)."""
    path = tmp_path / name
    path.write_text(text)
    df, meta = ingest([str(path)], IngestOptions())
    return _rows(df), meta


def _rows(df):
    return {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}


def test_census_table_noise_column_withholds_the_published_zero(tmp_path):
    # EMP_N / PAYANN_N were "columns not read": sector 21's withheld employment and payroll
    # (0 with D beside it) came out as reported zeros
    path = tmp_path / "CBP2021.CB2100CBP-Data.csv"
    path.write_text(HEAD_2021 + ROWS_2021)
    df, meta = ingest([str(path)], IngestOptions())
    # 6 lines under the header: the label row, 4 all-sizes rows, 1 size-class row
    assert meta["rows_read"] == 6
    assert meta["dropped"] == {"label row under the header (a second heading row)": 1,
                               generic_plan.REASON_BREAKDOWN.format("EMPSZES"): 1}
    rows = _rows(df)
    assert set(rows) == {("01001", "10"), ("01001", "11"), ("01001", "113"), ("01001", "21")}
    mining = rows["01001", "21"]
    assert mining[schema.EMPLOYMENT] is None and mining[EMP_S] == schema.SUPPRESSED
    assert mining[EMP_F] == "D"
    assert mining[schema.WAGES] is None and mining[WAGES_S] == schema.SUPPRESSED
    assert mining[schema.ESTABLISHMENTS] == 3.0  # establishment counts are published
    total = rows["01001", "10"]
    # the all-sizes row alone: the 1-4 employees row (442 establishments) is not added
    assert (total[schema.EMPLOYMENT], total[schema.ESTABLISHMENTS]) == (11216.0, 924.0)
    assert total[EMP_S] == schema.REPORTED and total[EMP_F] == "G"  # noise flag kept
    assert total[schema.WAGES] == 424826 * 1000  # PAYANN is $1,000
    assert total[schema.REGION_LEVEL] == "county" and total[schema.PERIOD] == "2021"
    assert rows["01001", "11"][schema.EMPLOYMENT] == 78.0


def _without_year(text: str) -> str:
    """The same download with the YEAR column left out (a table customised on
    data.census.gov: columns can be hidden before downloading)."""
    out = []
    for line in text.splitlines(keepends=True):
        cells = line.rstrip("\n").split('","')
        del cells[8]  # "YEAR" / "Year" / "2021"
        out.append('","'.join(cells) + "\n")
    return "".join(out)


def test_census_download_without_year_takes_it_from_its_file_name(tmp_path, capsys):
    # helper-89: a file named like CBP2022.CB2200CBP-Data.txt was not read for its year; the
    # error asked for --period
    import zipfile

    from conftest import run_main

    text = _without_year(HEAD_2021 + ROWS_2021)
    assert '"YEAR"' not in text and '"2021"' not in text
    # (a second download of it saved by the browser as "... -Data (1).csv")
    for name in ("CBP2021.CB2100CBP-Data.csv", "CBP2021.CB2100CBP-Data.txt",
                 "CBP2021.CB2100CBP-Data (1).csv"):
        path = tmp_path / name
        path.write_text(text)
        df, meta = ingest([str(path)], IngestOptions())
        assert set(df[schema.PERIOD]) == {"2021"} and df.height == 4
    # as data.census.gov ships it: a zip holding the table, its column metadata and notes
    archive = tmp_path / "CBP2021.CB2100CBP_2023-06-01.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("CBP2021.CB2100CBP-Data.csv", text)
        zf.writestr("CBP2021.CB2100CBP-Column-Metadata.csv",
                    '"Column Name","Label"\n"GEO_ID","Geography"\n"NAME","Geographic Area Name"\n')
    code, _, err = run_main(["ingest", str(archive), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 0, err
    out = (tmp_path / "o.csv").read_text().splitlines()
    assert len(out) == 5 and all(line.startswith("2021,01001,") for line in out[1:])
    # another name says no year: the period is asked for, as before
    other = tmp_path / "autauga_cbp.csv"
    other.write_text(text)
    code, _, err = run_main(["ingest", str(other), "-o", str(tmp_path / "o2.csv")], capsys)
    assert code == 1 and "no period column recognised" in err and "--period 2016" in err


def test_census_api_answer_without_year_asks_for_the_year_of_its_url(tmp_path, capsys):
    # api.census.gov/data/2021/cbp?get=NAME,NAICS2017,EMP,ESTAB,PAYANN&for=county:001&in=state:01
    # saved as returned: the year is in the URL only
    from conftest import run_main

    path = tmp_path / "cbp.json"
    path.write_text('[["NAME","NAICS2017","EMP","ESTAB","PAYANN","state","county"],\n'
                    '["Autauga County, Alabama","00","11216","924","424826","01","001"]]')
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "cbp.json:1: no period column recognised" in err and "--period 2021" in err
    assert not (tmp_path / "o.csv").exists()
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv"), "--period", "2021"], capsys)
    assert code == 0
    assert (tmp_path / "o.csv").read_text().splitlines()[1].startswith("2021,01001,total,10,")


GEO_LEVELS_2021 = (
    '"0100000US","United States","00","Total for all sectors",' + ALL
    + '"2021","8148619","128301012","G","1875305430","G","7986121055","G"\n'
    '"0400000US01","Alabama","00","Total for all sectors",' + ALL
    + '"2021","104562","1738212","G","21361842","G","89123567","G"\n'
    '"0400000US01","Alabama","00","Total for all sectors","002","C-corporations and '
    'C-corporation-like LLCs","001","All establishments","2021","30217","912344","G",'
    '"11402211","G","48120334","G"\n'
    '"310M600US33860","Montgomery, AL Metro Area","00","Total for all sectors",' + ALL
    + '"2021","8012","141273","G","1612035","G","6521884","G"\n')


def test_census_table_geo_ids_give_levels_and_a_national_payroll_exactly(tmp_path):
    # the U.S. row's PAYANN, 7,986,121,055 ($1,000), came out $7,986,121,055,000.001: the
    # scaled value was rounded to 6 decimals through value x 10^6, past a double's 2^53.
    # (U.S., state and metro figures are stand-ins of their magnitude; Autauga's are real.)
    path = tmp_path / "CBP2021.CB2100CBP-Data.csv"
    path.write_text(HEAD_2021 + GEO_LEVELS_2021 + ROWS_2021)
    df, meta = ingest([str(path)], IngestOptions())
    assert meta["dropped"] == {"label row under the header (a second heading row)": 1,
                               generic_plan.REASON_BREAKDOWN.format("EMPSZES"): 1,
                               generic_plan.REASON_BREAKDOWN.format("LFO"): 1}
    rows = _rows(df)
    level = {r: rows[r, "10"][schema.REGION_LEVEL] for r in ("US000", "01000", "C3386", "01001")}
    assert level == {"US000": "nation", "01000": "state", "C3386": "msa", "01001": "county"}
    assert rows["US000", "10"][schema.WAGES] == 7986121055000.0
    assert repr(rows["US000", "10"][schema.WAGES]) == "7986121055000.0"
    # Alabama's all-legal-forms row alone, not plus its C-corporations (LFO 002)
    assert rows["01000", "10"][schema.EMPLOYMENT] == 1738212.0
    assert rows["01000", "10"][schema.WAGES] == 89123567000.0
    assert df.height == 7  # 3 all-sectors rows of the U.S., Alabama, Montgomery + Autauga's 4


API_HEAD = '[["NAME","NAICS2017","EMP","ESTAB","PAYANN","YEAR","state","county"],\n'
API_ROWS = ('["Autauga County, Alabama","00","11216","924","424826","2021","01","001"],\n'
            '["Autauga County, Alabama","11","78","10","5107","2021","01","001"],\n'
            '["Autauga County, Alabama","113","68","7","4563","2021","01","001"],\n'
            '["Autauga County, Alabama","21","0","3","0","2021","01","001"]]\n')


def test_census_api_answer_without_flags_reads_a_withheld_zero_as_suppressed(tmp_path, capsys):
    """The Census API's JSON answer (api.census.gov/data/2021/cbp?get=NAME,NAICS2017,EMP,ESTAB,
    PAYANN,YEAR&for=county:001&in=state:01), a JSON array of arrays with the headings first and
    the region in its state and county columns. Asked for without EMP_F / EMP_N_F, a withheld
    cell is written 0: sector 21's three establishments had 0 employees and $0 payroll,
    reported."""
    from conftest import run_main

    path = tmp_path / "cbp_2021_autauga.json"
    path.write_text(API_HEAD + API_ROWS)
    df, meta = ingest([str(path)], IngestOptions())
    rows = _rows(df)
    assert set(rows) == {("01001", "10"), ("01001", "11"), ("01001", "113"), ("01001", "21")}
    mining = rows["01001", "21"]
    assert mining[schema.EMPLOYMENT] is None and mining[EMP_S] == schema.SUPPRESSED
    assert mining[schema.WAGES] is None and mining[WAGES_S] == schema.SUPPRESSED
    assert rows["01001", "10"][schema.EMPLOYMENT] == 11216.0
    assert rows["01001", "10"][schema.WAGES] == 424826000.0
    assert rows["01001", "10"][schema.REGION_LEVEL] == "county"
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 0
    assert "cbp_2021_autauga.json: 1 row(s) with EMP or PAYANN 0 at one or more establishments and no flag" in err
    # a 0 employment beside a payroll is Census's word (no employees in the week of March 12,
    # paid ones in the year): kept as reported
    seasonal = API_ROWS.replace('"21","0","3","0"', '"21","0","3","412"')
    path.write_text(API_HEAD + seasonal)
    df, _ = ingest([str(path)], IngestOptions())
    mining = _rows(df)["01001", "21"]
    assert mining[schema.EMPLOYMENT] == 0.0 and mining[EMP_S] == schema.REPORTED
    assert mining[schema.WAGES] == 412000.0


def test_census_api_answer_flags_in_any_of_its_flag_columns(tmp_path):
    # asked for EMP_F, EMP_N (the noise range) and EMP_N_F (the noise flag): the withheld
    # letter is in EMP_N_F while EMP_F is null
    rows, meta = _ingest_text(
        tmp_path, "cbp_2021_autauga.json",
        '[["NAME","NAICS2017","EMP","EMP_F","EMP_N","EMP_N_F","ESTAB","PAYANN","PAYANN_F",'
        '"PAYANN_N_F","YEAR","state","county"],\n'
        '["Autauga County, Alabama","00","11216",null,"0","G","924","424826",null,"G","2021","01","001"],\n'
        '["Autauga County, Alabama","21","0",null,null,"D","3","0",null,"D","2021","01","001"]]\n')
    assert rows["01001", "10"][EMP_F] == "G" and rows["01001", "10"][EMP_S] == schema.REPORTED
    mining = rows["01001", "21"]
    assert (mining[schema.EMPLOYMENT], mining[EMP_S], mining[EMP_F]) == (None, schema.SUPPRESSED, "D")
    assert (mining[schema.WAGES], mining[WAGES_S]) == (None, schema.SUPPRESSED)
    facts = next(iter(meta["readers"].values()))
    assert facts["ignored_columns"] == []  # every flag column read


def test_census_2016_table_titles_and_upper_case_range_flags(tmp_path):
    """A 2016 CBP table as the Census API's 2012-2016 vintages name its columns (NAICS2012 with
    its title NAICS2012_TTL, EMP with its flag EMP_F) and with the empflag letters as
    cbp16co.txt writes them, upper case (A 0-19, B 20-99 employees). Figures: Beaver County,
    Utah, as tests/data/cbp/cbp16co_excerpt.txt gives them. NAICS2012_TTL was taken for a second
    industry code column (exit 2); A and B beside a published 0 were reported zeros."""
    rows, _ = _ingest_text(
        tmp_path, "CBP2016.CB1600CBP-Data.csv",
        "GEO_ID,NAME,NAICS2012,NAICS2012_TTL,YEAR,ESTAB,EMP,EMP_F,PAYANN,PAYANN_F\n"
        '0500000US49001,"Beaver County, Utah",00,Total for all sectors,2016,177,1598,,52846,\n'
        '0500000US49001,"Beaver County, Utah",113,Forestry and logging,2016,2,0,A,0,D\n'
        '0500000US49001,"Beaver County, Utah",31-33,Manufacturing,2016,6,0,B,0,D\n'
        '0500000US49001,"Beaver County, Utah",44-45,Retail trade,2016,31,212,,5212,\n')
    assert set(rows) == {("49001", "10"), ("49001", "113"), ("49001", "31-33"), ("49001", "44-45")}
    assert rows["49001", "31-33"][schema.INDUSTRY_NAME] == "Manufacturing"
    for code, flag, lo, hi in (("113", "A", 0.0, 19.0), ("31-33", "B", 20.0, 99.0)):
        r = rows["49001", code]
        assert (r[schema.EMPLOYMENT], r[EMP_S], r[EMP_F]) == (None, schema.SUPPRESSED, flag)
        assert (r[schema.lower_col(schema.EMPLOYMENT)], r[schema.upper_col(schema.EMPLOYMENT)]) == (lo, hi)
        assert r[schema.WAGES] is None and r[WAGES_S] == schema.SUPPRESSED
    assert rows["49001", "44-45"][schema.EMPLOYMENT] == 212.0
    assert rows["49001", "10"][schema.WAGES] == 52846000.0


def test_census_value_flag_g_h_j_beside_a_zero_are_the_large_size_classes(tmp_path):
    """In the value's own flag (EMP_F, cbp16co.txt's empflag) G, H and J are the size classes
    1,000-2,499, 2,500-4,999 and 10,000-24,999 employees of a withheld cell, written as 0; they
    were read as noise letters, so Salt Lake County's withheld manufacturing (EMP 0, EMP_F G,
    900 establishments) was a reported 0.  Beside a published figure the letter is kept as its
    flag.  Figures are stand-ins in the API's 2012-2016 layout."""
    rows, _ = _ingest_text(
        tmp_path, "CBP2016.CB1600CBP-Data.csv",
        "GEO_ID,NAME,NAICS2012,NAICS2012_TTL,YEAR,ESTAB,EMP,EMP_F,PAYANN,PAYANN_F\n"
        '0500000US49035,"Salt Lake County, Utah",00,Total for all sectors,2016,40000,600000,,30000000,\n'
        '0500000US49035,"Salt Lake County, Utah",31-33,Manufacturing,2016,900,0,G,0,D\n'
        '0500000US49035,"Salt Lake County, Utah",42,Wholesale trade,2016,2000,0,H,0,D\n'
        '0500000US49035,"Salt Lake County, Utah",44-45,Retail trade,2016,3000,,J,0,D\n'
        '0500000US49035,"Salt Lake County, Utah",52,Finance and insurance,2016,2500,30000,G,2000000,\n')
    for code, flag, lo, hi in (("31-33", "G", 1000.0, 2499.0), ("42", "H", 2500.0, 4999.0),
                               ("44-45", "J", 10000.0, 24999.0)):
        r = rows["49035", code]
        assert (r[schema.EMPLOYMENT], r[EMP_S], r[EMP_F]) == (None, schema.SUPPRESSED, flag), code
        assert (r[schema.lower_col(schema.EMPLOYMENT)], r[schema.upper_col(schema.EMPLOYMENT)]) == (lo, hi)
    r = rows["49035", "52"]
    assert (r[schema.EMPLOYMENT], r[EMP_S], r[EMP_F]) == (30000.0, schema.REPORTED, "G")


def test_census_table_of_size_classes_only_is_refused(tmp_path, capsys):
    # a data.census.gov table filtered to the 1-4 employees class (EMPSZES 212): its rows are
    # parts of the totals, and were read as Autauga County's totals without a word (442
    # establishments, 820 employees for 924 and 11,216); two classes failed on every line
    # as "duplicate row"
    from conftest import run_main

    one_class = [line for line in ROWS_2021.splitlines(keepends=True) if '"212"' in line]
    assert len(one_class) == 1
    path = tmp_path / "CBP2021.CB2100CBP-Data.csv"
    path.write_text(HEAD_2021 + "".join(one_class))
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert ("CBP2021.CB2100CBP-Data.csv:3: column 'EMPSZES': rows of EMPSZES categories only, "
            "none of all establishments") in err
    assert "found '212'" in err and "EMPSZES 001" in err
    assert not (tmp_path / "o.csv").exists()


def test_census_column_metadata_file_is_named_for_what_it_is(tmp_path, capsys):
    # data.census.gov's zip holds CBP2021.CB2100CBP-Column-Metadata.csv beside the data; given
    # alone or by a glob over the unzipped folder it was "no region column recognised ...
    # --region-col", a hint that could not help
    from conftest import run_main

    (tmp_path / "CBP2021.CB2100CBP-Data.csv").write_text(HEAD_2021 + ROWS_2021)
    meta = tmp_path / "CBP2021.CB2100CBP-Column-Metadata.csv"
    meta.write_text('"Column Name","Label"\n"GEO_ID","Geography"\n"NAME","Geographic Area Name"\n'
                    '"NAICS2017","2017 NAICS code"\n"EMP","Number of employees"\n')
    for given in (str(meta), str(tmp_path / "*.csv")):
        code, _, err = run_main(["ingest", given, "-o", str(tmp_path / "o.csv")], capsys)
        assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert ("CBP2021.CB2100CBP-Column-Metadata.csv:1: the column descriptions of a "
                "data.census.gov download, not its data") in err
        assert "ingest the table beside it (CBP2021.CB2100CBP-Data.csv)" in err
    code, _, err = run_main(["ingest", str(tmp_path / "*-Data.csv"), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 0 and len((tmp_path / "o.csv").read_text().splitlines()) == 5


def test_census_table_through_stats_and_lq(tmp_path, capsys):
    # the 2016 table of test_census_2016_table_titles_and_upper_case_range_flags, two counties
    # (Box Elder's figures as cbp16co_excerpt.txt gives them): ingest, then stats and lq read
    # the canonical table; Beaver's withheld manufacturing stays out of the sums, never a 0
    import csv

    from conftest import run_main

    path = tmp_path / "CBP2016.CB1600CBP-Data.csv"
    path.write_text(
        "GEO_ID,NAME,NAICS2012,NAICS2012_TTL,YEAR,ESTAB,EMP,EMP_F,PAYANN,PAYANN_F\n"
        '0500000US49001,"Beaver County, Utah",00,Total for all sectors,2016,177,1598,,52846,\n'
        '0500000US49001,"Beaver County, Utah",31-33,Manufacturing,2016,6,0,B,0,D\n'
        '0500000US49001,"Beaver County, Utah",44-45,Retail trade,2016,31,212,,5212,\n'
        '0500000US49003,"Box Elder County, Utah",00,Total for all sectors,2016,1105,11420,,421800,\n'
        '0500000US49003,"Box Elder County, Utah",31-33,Manufacturing,2016,88,3980,,168400,\n')
    table = tmp_path / "cbp.csv"
    assert run_main(["ingest", str(path), "-o", str(table)], capsys)[0] == 0
    code, out, _ = run_main(["stats", str(table)], capsys)
    assert code == 0
    stats = {r["region"]: r for r in csv.DictReader(out.splitlines())}
    assert (stats["49001"]["cells"], stats["49001"]["suppressed"]) == ("3", "1")
    assert float(stats["49001"]["total"]) == 1598.0
    code, _, _ = run_main(["lq", str(table), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0
    lq = {(r["region"], r["industry"], r["measure"]): r
          for r in csv.DictReader((tmp_path / "lq.csv").read_text().splitlines())}
    beaver = lq["49001", "31-33", "employment"]
    assert beaver["value"] == "" and beaver["status"] == "suppressed" and beaver["lq"] == ""
    # the benchmark's manufacturing: Box Elder's 3,980 alone, Beaver's withheld cell not a 0 in it
    assert float(lq["49003", "31-33", "employment"]["benchmark_industry_total"]) == 3980.0
    assert float(lq["49003", "31-33", "employment"]["benchmark_total"]) == 1598.0 + 11420.0


def test_census_api_answers_by_nation_state_and_metro_area(tmp_path):
    """The Census API's JSON answers for=us:*, for=state:* and for=metropolitan statistical
    area/micropolitan statistical area:* (api.census.gov/data/2021/cbp?get=NAME,NAICS2017,EMP,
    ESTAB,PAYANN,YEAR&for=...): the geography in the last column, named as the query names
    it. By state the regions were 01 and 49 without a level (an answer by county gives
    01001, county); by nation, "us" was no region column (refused); a metro area's CBSA was
    33860, no level. Now they are coded as the CBP files and QCEW write them, with the level
    a GEO_ID gives. (Stand-in figures of the right magnitude.)"""
    head = '[["NAME","NAICS2017","EMP","ESTAB","PAYANN","YEAR","{}"],\n'
    answers = {
        "us": ('["United States","00","128301012","8148619","7986121055","2021","1"]]\n',
               {("US000", "nation", "United States")}),
        "state": ('["Alabama","00","1738212","104562","89123567","2021","01"],\n'
                  '["Utah","00","1411210","90123","75123456","2021","49"]]\n',
                  {("01000", "state", "Alabama"), ("49000", "state", "Utah")}),
        "metropolitan statistical area/micropolitan statistical area": (
            '["Montgomery, AL Metro Area","00","141273","8012","6521884","2021","33860"],\n'
            '["St. George, UT Metro Area","00","61234","5012","2521884","2021","41100"]]\n',
            {("C3386", "msa", "Montgomery, AL Metro Area"), ("C4110", "msa", "St. George, UT Metro Area")}),
    }
    for i, (geo, (rows, want)) in enumerate(answers.items()):
        path = tmp_path / f"cbp_{i}.json"
        path.write_text(head.format(geo) + rows)
        df, meta = ingest([str(path)], IngestOptions())
        got = {(r[schema.REGION], r[schema.REGION_LEVEL], r[schema.REGION_NAME]) for r in df.iter_rows(named=True)}
        assert got == want, geo
        assert next(iter(meta["readers"].values()))["ignored_columns"] == []  # NAME read
    us = ingest([str(tmp_path / "cbp_0.json")], IngestOptions())[0]
    assert us[schema.WAGES].to_list() == [7986121055000.0]


def test_census_api_rows_without_the_outer_array(tmp_path, capsys):
    # the API's answer copied from the browser from its first row on, saved as .csv: one
    # JSON array a line, no [ ] around them. It was "malformed CSV: ',' expected after '\"'"
    from conftest import run_main

    lines = (API_HEAD + API_ROWS).splitlines()
    lines[0] = lines[0][1:]  # '["NAME",...],'
    lines[-1] = lines[-1][:-1]  # '[...,"001"]'
    path = tmp_path / "cbp_api_rows.csv"
    path.write_text("\n".join(lines) + "\n")
    whole = tmp_path / "cbp_api.json"
    whole.write_text(API_HEAD + API_ROWS)
    df, _ = ingest([str(path)], IngestOptions())
    ref, _ = ingest([str(whole)], IngestOptions())
    assert df.drop("source", strict=False).equals(ref.drop("source", strict=False))
    assert df.height == 4
    # a bad cell is named on its own line
    path.write_text("\n".join(lines).replace('"78"', '"7B"') + "\n")
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "cbp_api_rows.csv:3: column 'EMP'" in err and "'7B'" in err


def test_census_flag_column_silent_on_a_withheld_zero(tmp_path):
    # a noise column of numbers (a noise range, as the API types EMP_N: int) beside EMP and
    # PAYANN, silent on sector 21's withheld cells: the 0s were reported as they stand
    path = tmp_path / "CBP2021.CB2100CBP-Data.csv"
    rows = ROWS_2021.replace('"G"', '"1"').replace('"D"', '""')
    path.write_text(HEAD_2021 + rows)
    df, meta = ingest([str(path)], IngestOptions())
    rows = _rows(df)
    mining = rows["01001", "21"]
    assert (mining[schema.EMPLOYMENT], mining[EMP_S]) == (None, schema.SUPPRESSED)
    assert (mining[schema.WAGES], mining[WAGES_S]) == (None, schema.SUPPRESSED)
    assert rows["01001", "10"][schema.EMPLOYMENT] == 11216.0
    assert rows["01001", "10"][EMP_S] == schema.REPORTED
    assert next(iter(meta["readers"].values()))["census_zeros_without_flag"] == 1


def test_census_table_notes_file_is_named_for_what_it_is(tmp_path, capsys):
    # CBP2021.CB2100CBP-Table-Notes.txt, the third file of data.census.gov's zip, given as the
    # input: "row has 2 fields, the header has 5 ... a separator inside an unquoted value?"
    from conftest import run_main

    notes = tmp_path / "CBP2021.CB2100CBP-Table-Notes.txt"
    notes.write_text("All Sectors: County Business Patterns, including ZIP Code Business Patterns, "
                     "by Legal Form of Organization and Employment Size Class for the U.S., States, "
                     "and Selected Geographies: 2021\nSource: U.S. Census Bureau, 2021 County "
                     "Business Patterns\n")
    code, _, err = run_main(["ingest", str(notes), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "CBP2021.CB2100CBP-Table-Notes.txt:1: the notes of a data.census.gov download" in err
    assert "ingest the table beside it (CBP2021.CB2100CBP-Data.csv)" in err
