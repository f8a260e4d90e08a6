"""Agency files in layouts, years and regions the other tests do not use (tests/data/README.md
names each file's layout); each test fails without the fix it pins."""

from __future__ import annotations

import csv

import pytest

from clusterid import schema
from clusterid.io.ingest import IngestOptions
from clusterid.io.readers import cbp
from conftest import ROOT, TEST_DATA, run_main

CBP = TEST_DATA / "cbp"
EMP_S = schema.status_col(schema.EMPLOYMENT)


def test_cbp_county_file_before_2007_without_noise_flags():
    # 1998-2006 county layout: empflag but no emp_nf/qp1_nf/ap_nf; it was refused as
    # "not a County Business Patterns file (missing emp_nf)"
    res = cbp.read([str(CBP / "cbp05co_excerpt.txt")], IngestOptions())
    df = res.frame.collect()
    with open(CBP / "cbp05co_excerpt.txt", newline="") as fh:
        raw = list(csv.DictReader(fh))
    assert "emp_nf" not in raw[0] and df.height == len(raw) == 7
    assert set(df[schema.PERIOD]) == {"2005"} and set(df[schema.REGION]) == {"06037"}
    by = {r[schema.INDUSTRY]: r for r in df.iter_rows(named=True)}
    assert by["10"][schema.EMPLOYMENT] == 3800000 and by["10"][schema.WAGES] == 190000000 * 1000.0
    assert by["10"][schema.flag_col(schema.EMPLOYMENT)] is None
    # withheld cells stay missing, never the published 0
    assert by["3111"][EMP_S] == schema.SUPPRESSED and by["3111"][schema.EMPLOYMENT] is None
    assert by["31111"][schema.lower_col(schema.EMPLOYMENT)] == 20.0
    assert by["99"][schema.upper_col(schema.EMPLOYMENT)] == 19.0
    assert res.notes[0].endswith("CBP county file, 1998-2006 layout, period 2005")


def test_cbp_national_file_before_2008(tmp_path):
    path = tmp_path / "cbp05us.txt"
    path.write_text('"naics","empflag","emp","qp1","ap","est"\n'
                    '"------","",116317003,1100000000,5000000000,7499702\n'
                    '"113///","D",0,0,0,10000\n')
    df = cbp.read([str(path)], IngestOptions()).frame.collect().sort(schema.INDUSTRY)
    assert df[schema.REGION].to_list() == ["US000", "US000"]
    assert df[schema.EMPLOYMENT].to_list() == [116317003.0, None]
    assert df[EMP_S].to_list() == [schema.REPORTED, schema.SUPPRESSED]


def test_eurostat_regional_employment_keeps_wstatus_emp():
    # nama_10r_3empers (bulk .tsv.gz, `unit,wstatus,nace_r2,geo\time`): employed persons (EMP)
    # beside employees (SAL); it was refused ("dimension 'wstatus' has several values")
    from clusterid.io.readers import eurostat

    res = eurostat.read([str(TEST_DATA / "eurostat" / "nama_10r_3empers_bulk_excerpt.tsv.gz")],
                        IngestOptions())
    df = res.frame.collect()
    assert res.dropped == {"wstatus other than EMP": 3}  # the SAL line, three years
    assert df.height == 27  # 9 EMP lines x 3 years
    by = {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert by["2017", "DE", "10"][schema.EMPLOYMENT] == 44800000.0  # EMP, not SAL's 40500
    assert by["2017", "DE", "10"][schema.flag_col(schema.EMPLOYMENT)] == "p"
    assert by["2017", "DEA1", "A"][EMP_S] == schema.SUPPRESSED  # ': c'
    assert by["2017", "DEA1", "A"][schema.EMPLOYMENT] is None
    assert by["2015", "AT11", "B-E"][EMP_S] == schema.ESTIMATED
    assert by["2016", "DEA1", "B-E"][schema.REGION_LEVEL] == "nuts2"


def test_eurostat_sdmx_csv_with_employment_status_keeps_emp():
    # SDMX-CSV of nama_10r_3empers with a SAL row beside EMP: it failed with "duplicate row"
    from clusterid.io.readers import generic

    res = generic.read([str(TEST_DATA / "generic" / "eurostat_sdmx_csv_wstatus.csv")], IngestOptions())
    df = res.frame.collect()
    assert df.height == 6 and sum(res.dropped.values()) == 1
    by = {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert by["2019", "DEA1", "10"][schema.EMPLOYMENT] == 1300000.0  # EMP (THS scaled), not SAL
    assert by["2019", "DEA1", "A"][EMP_S] == schema.SUPPRESSED and by["2019", "DEA1", "A"][schema.EMPLOYMENT] is None
    assert by["2020", "AT11", "10"][schema.flag_col(schema.EMPLOYMENT)] == "p"


BEAVER = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"


def _beaver_edited(dest, row_prefix: str, old: str, new: str):
    """(path, line): a copy of the Beaver County annual file at ``dest`` with ``old`` replaced
    by ``new`` in the first row starting with ``row_prefix`` (the header is line 1)."""
    lines = BEAVER.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(row_prefix))
    lines[at] = lines[at].replace(old, new, 1)
    dest.write_text("".join(lines))
    return dest, at + 1


def test_qcew_unknown_disclosure_code_is_a_located_error(tmp_path, capsys):
    # a disclosure code other than blank/N/-: it was read as "disclosed", the published 0 of
    # the hidden cell becoming a reported 0
    from conftest import run_main

    bad, line = _beaver_edited(tmp_path / "beaver_bad_code.csv", '"49001","5","11",', ',"N",', ',"Q",')
    at = line - 1
    code, out, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "Traceback" not in err
    assert f"beaver_bad_code.csv:{at + 1}: column 'disclosure_code': unknown disclosure code" in err
    code, out, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv"), "--on-error", "skip"], capsys)
    assert code == 0
    rejects = (tmp_path / "o.csv.rejects.csv").read_text()
    assert f",{at + 1},disclosure_code," in rejects


def test_census_api_csv_with_state_and_county_fips_columns():
    # api.census.gov/data/2021/cbp?get=NAME,NAICS2017,ESTAB,EMP,EMP_F,PAYANN,YEAR&for=county:*
    # saved as CSV: the region was the state column alone (49), every county a duplicate
    from clusterid.io.readers import generic

    res = generic.read([str(TEST_DATA / "generic" / "cbp_api_2021_counties.csv")], IngestOptions())
    df = res.frame.collect()
    assert df.height == 6 and not res.problems
    assert sorted(set(df[schema.REGION])) == ["49001", "49003"]
    assert set(df[schema.REGION_LEVEL]) == {"county"}
    by = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert by["49001", "10"][schema.REGION_NAME] == "Beaver County, Utah"
    assert by["49003", "31-33"][schema.EMPLOYMENT] == 7500.0
    assert by["49001", "31-33"][EMP_S] == schema.SUPPRESSED and by["49001", "31-33"][schema.EMPLOYMENT] is None


def test_genesis_export_mixing_land_bezirk_and_kreise_gets_levels():
    # Regionalstatistik 13111-01-03-4 lists Deutschland (DG), a Land (03), a statistical
    # region (031) and Kreise (03159): without levels, --region-level labelled them all alike
    from clusterid.io.ingest import ingest

    path = str(TEST_DATA / "generic" / "de_13111_kreise_levels_latin1.csv")
    df, _ = ingest([path], IngestOptions())
    level = dict(zip(df[schema.REGION], df[schema.REGION_LEVEL]))
    assert level == {"03": "land", "031": "regierungsbezirk", "03101": "kreis", "03159": "kreis",
                     "03241": "kreis", "03251": "kreis"}  # DG (Deutschland) dropped as a total
    kreise, _ = ingest([path], IngestOptions(region_level="kreis"))
    assert set(kreise[schema.REGION]) == {"03101", "03159", "03241", "03251"}
    by = {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert by["2017", "03159", "F"][EMP_S] == schema.SUPPRESSED and by["2017", "03159", "F"][schema.EMPLOYMENT] is None
    assert by["2017", "03251", "A"][schema.EMPLOYMENT] is None  # '-' stays missing
    assert by["2017", "03159", "B-E"][schema.EMPLOYMENT] == 20000.0


def test_damaged_naics_codes_are_located_errors(tmp_path, capsys):
    # a CBP code "3X----" became industry 3X at level 2, a QCEW "23X" level 3: no NAICS code
    # was checked, the row kept as data
    from conftest import run_main

    lines = (CBP / "cbp05co_excerpt.txt").read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace('"31----"', '"3X----"')
    bad = tmp_path / "cbp05co.txt"
    bad.write_text("".join(lines))
    code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "cbp05co.txt:3: column 'industry': not a NAICS industry code" in err
    assert "found '3X'" in err

    bad, _ = _beaver_edited(tmp_path / "beaver.csv", '"49001","5","621111",', '"621111"', '"62X111"')
    code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "column 'industry': not a NAICS industry code" in err and "'62X111'" in err


def test_eurostat_sdmx_csv2_conf_status_withholds_the_value():
    # SDMX-CSV 2.0 (STRUCTURE, STRUCTURE_ID ... OBS_VALUE, OBS_FLAG, CONF_STATUS): a published 0
    # with CONF_STATUS C (confidential) was read as a reported 0
    from clusterid.io.readers import generic

    res = generic.read([str(TEST_DATA / "generic" / "eurostat_sdmx_csv2_conf_status.csv")], IngestOptions())
    by = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in res.frame.collect().iter_rows(named=True)}
    assert len(by) == 5
    for key in (("DEA1", "C"), ("DEA1", "A")):
        assert by[key][schema.EMPLOYMENT] is None and by[key][EMP_S] == schema.SUPPRESSED
        assert by[key][schema.flag_col(schema.EMPLOYMENT)] == "C"
    assert by["AT11", "10"][schema.EMPLOYMENT] == 130000.0 and by["AT11", "10"][EMP_S] == schema.REPORTED
    assert by["AT11", "10"][schema.flag_col(schema.EMPLOYMENT)] == "p"


def test_kz_wide_table_takes_its_year_from_the_title(tmp_path):
    # stat.gov.kz layout: cp1251, "... за 2022 год" title, OKED sections as columns, no year
    # column; it failed with "no period column recognised"
    from clusterid.io.ingest import ingest

    path = str(TEST_DATA / "generic" / "kz_wide_oked_title_year_cp1251.csv")
    df, _ = ingest([path], IngestOptions())
    assert set(df[schema.PERIOD]) == {"2022"}
    assert "Республика Казахстан" not in set(df[schema.REGION])  # the country total is dropped
    by = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert df.height == 4 * 7 and by["Абайская", "10"][schema.EMPLOYMENT] == 98210.0
    assert by["Абайская", "D"][EMP_S] == schema.SUPPRESSED and by["Абайская", "D"][schema.EMPLOYMENT] is None
    assert by["г.Алматы", "B"][schema.EMPLOYMENT] is None  # '-'
    # two different years in the titles name no period: the error stays
    two = tmp_path / "two_years.csv"
    two.write_bytes(open(path, "rb").read().replace("(человек)".encode("cp1251"), "за 2021 год".encode("cp1251")))
    import pytest

    from clusterid.errors import DataError
    with pytest.raises(DataError, match="no period column"):
        ingest([str(two)], IngestOptions())


def test_cbp_metro_file_regions_are_cbsas():
    # cbp16msa.txt (msa, naics, empflag, emp_nf ...): it was read as the national file, every
    # row region US000 (duplicates), and its name gave no year
    from clusterid.io.ingest import ingest

    df, _ = ingest([str(CBP / "cbp16msa_excerpt.txt")], IngestOptions())
    assert df.height == 5 and set(df[schema.PERIOD]) == {"2016"}
    # (level cbsa since session 32: the metro file holds micropolitan areas too, and no
    # column says which an area is)
    assert set(df[schema.REGION]) == {"C1018", "C4162"} and set(df[schema.REGION_LEVEL]) == {"cbsa"}
    by = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert by["C4162", "10"][schema.EMPLOYMENT] == 610000.0
    assert by["C1018", "2361"][EMP_S] == schema.SUPPRESSED
    # flag C (100-249) narrowed by its establishments by size class (100 x <5, 12 x 5-9,
    # 5 x 10-19, 2 x 20-49, 1 x 50-99: at least 60+50+40+50)
    assert by["C1018", "2361"][schema.lower_col(schema.EMPLOYMENT)] == 200.0


def test_eurostat_sbs_bulk_file_with_several_indicators_keeps_the_measures_one():
    # sbs_r_nuts06_r2 bulk files hold every indic_sb (V11210 local units, V16110 persons
    # employed ...): refused as "dimension 'indic_sb' has several values" with no way to choose
    from clusterid.io.readers import eurostat

    path = [str(TEST_DATA / "eurostat" / "sbs_r_nuts06_r2_two_indicators.tsv")]
    emp = eurostat.read(path, IngestOptions()).frame.collect()
    got = {(r[schema.PERIOD], r[schema.INDUSTRY]): r[schema.EMPLOYMENT] for r in emp.iter_rows(named=True)}
    assert got == {("2016", "C"): 752340.0, ("2015", "C"): 748120.0, ("2016", "C10"): 48210.0,
                   ("2015", "C10"): 47980.0}
    res = eurostat.read(path, IngestOptions(measure=schema.ESTABLISHMENTS))
    est = res.frame.collect()
    assert res.dropped == {"indic_sb other than V11210": 4}
    assert sorted(est[schema.ESTABLISHMENTS].to_list()) == [790.0, 800.0, 5100.0, 5200.0]


def test_qcew_area_codes_checked_and_lost_zero_restored(tmp_path, capsys):
    # a damaged area code (49O01) was kept as a county; a file resaved by a spreadsheet
    # (01001 -> 1001) gave region 1001, matching no other table
    from conftest import run_main

    src = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
    lines = src.read_text().splitlines(keepends=True)
    bad = tmp_path / "beaver.csv"
    bad.write_text("".join([lines[0], lines[1].replace('"49001"', '"49O01"', 1), *lines[2:]]))
    code, _, err = run_main(["ingest", str(bad), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and "beaver.csv:2: column 'area_fips': not a QCEW area code" in err
    ct = tmp_path / "connecticut.csv"
    ct.write_text("".join(line.replace('"49001"', "9001") for line in lines))
    code, out, err = run_main(["ingest", str(ct), "-o", "-"], capsys)
    assert code == 0 and "09001,total,10," in out and ",9001," not in out


def test_destatis_slash_marker_is_suppressed(tmp_path):
    # Destatis' "/" (no figure: not reliable enough) was "not a number", failing the file
    from clusterid.io.readers import generic

    path = tmp_path / "de_slash.csv"
    path.write_bytes("Bundesland;WZ 2008;Jahr;Beschäftigte\nBayern;WZ08-B;2015;323.456\n"
                     "Bayern;WZ08-C;2015;/\nBremen;WZ08-B;2015;12\n".encode("cp1252"))
    df = generic.read([str(path)], IngestOptions()).frame.collect()
    by = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert by["Bayern", "C"][schema.EMPLOYMENT] is None and by["Bayern", "C"][EMP_S] == schema.SUPPRESSED
    assert by["Bayern", "C"][schema.flag_col(schema.EMPLOYMENT)] == "/"
    assert by["Bayern", "B"][schema.EMPLOYMENT] == 323456.0


def test_eurostat_nace_rev11_table():
    # a nace_r1 table (before 2008): subsection DA was "unknown NACE code", and D (Rev. 1.1
    # manufacturing) would have been labelled NACE like Rev. 2's D (energy)
    from clusterid.io.readers import eurostat

    res = eurostat.read([str(TEST_DATA / "eurostat" / "nama_nace_r1_excerpt.tsv")], IngestOptions())
    df = res.frame.collect()
    assert not res.problems and df.height == 10
    assert set(df[schema.CLASSIFICATION]) == {schema.NACE_R11}  # its own classification, not Rev. 2
    level = dict(zip(df[schema.INDUSTRY], df[schema.LEVEL]))
    assert level == {"10": 0, "A_B": 1, "C-E": 1, "D": 1, "DA": 2}
    by = {(r[schema.PERIOD], r[schema.INDUSTRY]): r[schema.EMPLOYMENT] for r in df.iter_rows(named=True)}
    assert by["2007", "DA"] == 80000.0 and by["2006", "10"] == 3950000.0


def test_qcew_trailing_line_of_spaces_is_blank(tmp_path, capsys):
    # BOM, CRLF and a trailing line holding one space (an editor's leftover): it failed as a
    # row with "not a year" and "not a quarter"
    from conftest import run_main

    src = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
    text = src.read_text()
    path = tmp_path / "beaver_crlf.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode() + b" \r\n\r\n")
    code, out, err = run_main(["ingest", str(path), "-o", "-"], capsys)
    assert code == 0, err
    plain = tmp_path / "beaver.csv"
    plain.write_text(text)
    assert run_main(["ingest", str(plain), "-o", "-"], capsys)[1] == out


def test_cbp_and_eurostat_trailing_line_of_spaces_is_blank(tmp_path):
    from clusterid.io.readers import eurostat

    cbp_file = tmp_path / "cbp05co.txt"
    cbp_file.write_bytes((CBP / "cbp05co_excerpt.txt").read_bytes() + b" \r\n")
    res = cbp.read([str(cbp_file)], IngestOptions())
    assert not res.problems and res.frame.collect().height == 7
    tsv = tmp_path / "namq.tsv"
    tsv.write_bytes((TEST_DATA / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv").read_bytes() + b" \n")
    res = eurostat.read([str(tsv)], IngestOptions())
    assert not res.problems


def test_american_factfinder_cbp_table():
    # AFF download (GEO.id, GEO.id2, NAICS.id, YEAR.id, a label row, the range letter 'a' in
    # the EMP cell): 'no period column recognised', then 'a' was "not a number"
    from clusterid.io.readers import generic

    res = generic.read([str(TEST_DATA / "generic" / "cbp2015_aff_layout.csv")], IngestOptions())
    df = res.frame.collect()
    by = {r[schema.INDUSTRY]: r for r in df.iter_rows(named=True)}
    assert set(by) == {"10", "23", "31-33"} and set(df[schema.PERIOD]) == {"2015"}
    assert set(df[schema.REGION]) == {"49001"}
    assert by["10"][schema.EMPLOYMENT] == 1598.0 and by["10"][schema.WAGES] == 52846000.0
    m = by["31-33"]
    assert m[schema.EMPLOYMENT] is None and m[EMP_S] == schema.SUPPRESSED
    assert (m[schema.lower_col(schema.EMPLOYMENT)], m[schema.upper_col(schema.EMPLOYMENT)]) == (0.0, 19.0)
    assert m[schema.flag_col(schema.EMPLOYMENT)] == "a"
    assert m[schema.WAGES] is None  # (D)


def test_years_with_the_word_year_as_headings_are_a_wide_table(tmp_path):
    # "2020 год", "2021 год" (Russian "year") were each taken for a period column:
    # 'no measure column recognised'
    from clusterid.io.readers import generic

    path = tmp_path / "kz_years.csv"
    path.write_bytes("Регион;ОКЭД;2020 год;2021 год\nАкмолинская;A;2137;2170\n"
                     "Акмолинская;C;2411;2466\n".encode("cp1251"))
    df = generic.read([str(path)], IngestOptions()).frame.collect()
    got = {(r[schema.PERIOD], r[schema.INDUSTRY]): r[schema.EMPLOYMENT] for r in df.iter_rows(named=True)}
    assert got == {("2020", "A"): 2137.0, ("2021", "A"): 2170.0, ("2020", "C"): 2411.0, ("2021", "C"): 2466.0}


def test_eurostat_sdmx_csv_with_labels():
    # SDMX-CSV "with labels" (cells 'THS:Thousand', 'AT11:Burgenland'): the unit was not
    # recognised, so thousands were read as persons (10.5 employed), and the codes were labels
    from clusterid.io.readers import generic

    df = generic.read([str(TEST_DATA / "generic" / "eurostat_sdmx_csv_labels.csv")], IngestOptions()).frame.collect()
    by = {r[schema.INDUSTRY]: r for r in df.iter_rows(named=True)}
    assert set(by) == {"10", "A"} and set(df[schema.REGION]) == {"AT11"}
    assert by["A"][schema.EMPLOYMENT] == 10500.0 and by["10"][schema.EMPLOYMENT] == 130000.0
    assert by["A"][schema.REGION_NAME] == "Burgenland" and by["A"][schema.REGION_LEVEL] == "nuts2"
    assert by["A"][schema.INDUSTRY_NAME] == "Agriculture, forestry and fishing"
    assert by["10"][schema.CLASSIFICATION] == schema.NACE


@pytest.mark.parametrize("source", [
    ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz",
    TEST_DATA / "eurostat" / "nama_10r_3empers_bulk_excerpt.tsv.gz",
])
def test_period_option_on_a_file_with_its_own_periods_is_refused(source, tmp_path, capsys):
    # --period names the period of a file WITHOUT one; on QCEW or Eurostat it was ignored
    # (exit 0, the file's own 2016 rows) while the user asked for 2015
    out = tmp_path / "x.parquet"
    code, _, err = run_main(["ingest", str(source), "--period", "2015", "-o", str(out)], capsys)
    assert code == 2
    assert "--period 2015" in err and "leave --period out" in err
    assert not out.exists()
