"""Known bugs and files of layouts the project had not seen (second round).

Each test fails without the fix it pins; tests/data/README.md names the source of every file
under tests/data/unseen2/.
"""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from clusterid import schema
from conftest import TEST_DATA, run_main

UNSEEN = TEST_DATA / "unseen2"
EMP_S = schema.status_col(schema.EMPLOYMENT)


def _significant_digits(cell: str) -> int:
    mantissa = cell.lstrip("-").split("e")[0].split("E")[0].replace(".", "").lstrip("0")
    return len(mantissa.rstrip("0")) if "." in cell.split("e")[0] else len(mantissa)


# --- CSV float precision --------------------------------------------------------------------

def test_csv_floats_carry_no_binary_noise(tmp_path):
    # 0.1 + 0.2 and a three-month average printed with 17 digits (0.30000000000000004,
    # 1786.6666666666665); round_sig_figs(7) left p-values like 1.6527639999999998e-26
    from clusterid.io.tables import write_frame

    p7 = pl.Series([1.652764e-26 * 1.0000000000000002, 8.574043e-31]).round_sig_figs(7)
    df = pl.DataFrame({
        "a": [0.1 + 0.2, 1786.6666666666665, None, 0.0, -2.0 / 3.0, 1e20 / 3.0, 5.0, 123456789.0],
        "p": [*p7.to_list(), 1e-300 / 3.0, None, float("inf"), float("nan"), 1.0, 0.5],
        "f32": pl.Series([0.1, 0.2, 0.3, None, 1.5, 2.5, 3.5, 4.5], dtype=pl.Float32),
        "n": [1, 2, 3, 4, 5, 6, 7, 8]})
    out = tmp_path / "t.csv"
    write_frame(df, str(out), {"kind": "test"})
    text = out.read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["a"] for r in rows] == ["0.3", "1786.66666666667", "", "0.0", "-0.666666666666667",
                                      "3.33333333333333e+19", "5.0", "123456789.0"]
    assert [r["p"] for r in rows] == ["1.652764e-26", "8.574043e-31", "3.33333333333333e-301",
                                      "", "inf", "NaN", "1.0", "0.5"]
    assert [r["f32"] for r in rows][:3] == ["0.1", "0.2", "0.3"]
    # deterministic: the same frame gives the same bytes
    write_frame(df, str(tmp_path / "u.csv"), {"kind": "test"})
    assert (tmp_path / "u.csv").read_bytes() == out.read_bytes()
    # a canonical table is data for the next stage: written exactly
    write_frame(df, str(tmp_path / "c.csv"), {"kind": "canonical"})
    assert pl.read_csv(tmp_path / "c.csv")["a"].to_list()[:2] == [0.1 + 0.2, 1786.6666666666665]


def test_lq_csv_p_values_and_counts_at_fixed_precision(tmp_path, capsys):
    # a QCEW-like canonical table whose monthly averages and p-values printed 17 digits
    rows = ["period,region,ownership,industry,level,employment,employment_status"]
    for r, (tot, a, b) in {"A": (1000.0 / 3, 40.1, 60.2), "B": (700.7, 500.3, 200.4),
                           "C": (88.9, 0.3, 88.6)}.items():
        rows += [f"2016,{r},total,10,0,{tot},reported", f"2016,{r},total,11,2,{a},reported",
                 f"2016,{r},total,21,2,{b},reported"]
    src = tmp_path / "in.csv"
    src.write_text("\n".join(rows) + "\n")
    outs = []
    for name in ("x.csv", "y.csv"):
        code, _, err = run_main(["lq", str(src), "-o", str(tmp_path / name)], capsys)
        assert code == 0, err
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]
    table = list(csv.DictReader(io.StringIO(outs[0].decode())))
    assert any(r["p_value"] for r in table)
    for r in table:
        if r["p_value"]:
            assert _significant_digits(r["p_value"]) <= 7, r["p_value"]
        for c in ("value", "region_total", "benchmark_industry_total", "benchmark_total"):
            assert _significant_digits(r[c]) <= 15, (c, r[c])


# --- generic reader on a canonical table ------------------------------------------------------

@pytest.mark.parametrize("source", ["eurostat/nama_10r_3empers_bulk_excerpt.tsv.gz",
                                    "generic/eurostat_sdmx_csv_labels.csv"])
@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_generic_reader_on_a_canonical_nace_table_is_lossless(tmp_path, capsys, source, ext):
    # a canonical NACE table read with --format generic: its all-industries row "10" (level 0)
    # came back as division C10 (Manufacture of food products), its region codes were replaced
    # by region_name (AT11 -> Burgenland, or an empty name: every row a duplicate) and the
    # statuses and bounds were re-derived from the flags
    canon = tmp_path / f"canon.{ext}"
    code, _, err = run_main(["ingest", str(TEST_DATA / source), "-o", str(canon)], capsys)
    assert code == 0, err
    back = tmp_path / "back.parquet"
    code, _, err = run_main(["ingest", str(canon), "--format", "generic", "-o", str(back)], capsys)
    assert code == 0, err
    want = pl.read_csv(canon, schema_overrides=schema.polars_schema(schema.MEASURES)) \
        if ext == "csv" else pl.read_parquet(canon)
    got = pl.read_parquet(back).select(want.columns)
    assert "10" in want[schema.INDUSTRY].to_list()
    assert got.to_dicts() == want.to_dicts()


def test_generic_reader_on_a_canonical_table_locates_bad_cells(tmp_path, capsys):
    path = tmp_path / "hand.csv"
    path.write_text("period,region,ownership,industry,classification,level,employment,"
                    "employment_status\n"
                    "2019,AT11,total,10,NACE,0,12x,reported\n"
                    "2019,AT11,total,A,NACE,one,5,reported\n"
                    "2019,AT12,total,A,NACE,1,5,published\n")
    code, _, err = run_main(["ingest", str(path), "--format", "generic", "-o",
                             str(tmp_path / "o.parquet")], capsys)
    assert code == 1
    assert "hand.csv:2: column 'employment'" in err and "found '12x'" in err
    assert "hand.csv:3: column 'level'" in err and "hand.csv:4: column 'employment_status'" in err


# --- stats --industry-level with --by region ----------------------------------------------------

def test_stats_by_region_at_an_industry_level_keeps_the_totals(capsys):
    # the level filter removed the all-industry rows: total and coverage came out empty
    toy = str(TEST_DATA / "lq" / "toy_canonical.csv")
    code, out, err = run_main(["stats", toy, "--by", "region", "--industry-level", "2",
                               "--output-format", "csv"], capsys)
    assert code == 0, err
    rows = {r["region"]: r for r in csv.DictReader(io.StringIO(out))}
    assert {k: float(rows[k]["total"]) for k in rows} == {"A": 100.0, "B": 300.0, "C": 100.0}
    assert float(rows["C"]["coverage"]) == pytest.approx(0.7)  # C's disclosed 70 of 100
    assert rows["C"]["cells"] == "2" and rows["C"]["suppressed"] == "1"  # the level-2 cells
    assert {r["detail_level"] for r in rows.values()} == {"2"}


# --- a zip archive with documentation beside the data ---------------------------------------

_README = ("County Business Patterns 2021, complete county file.\n\n"
           "Source: U.S. Census Bureau, 2021 County Business Patterns, released April 27, 2023.\n"
           "Employment, payroll and establishments by county, by NAICS.\n")
# the first lines of Census's county record layout (county-layout-2018.txt)
_LAYOUT = ("\t\t\t\tCBP[YR]CO.TXT\n\n"
           "                                County Data Dictionary\n\n"
           "Note:  In the filenames, [YR] is the 2-digit data year.  Each data field is separated "
           "by comma (,) delimiters.\n\n\n"
           "Field           Data  \nName            Type    Description\n\n"
           "FIPSTATE        C       FIPS State Code\n\nFIPSCTY         C       FIPS County Code\n\n"
           "QP1             N       Total First Quarter Payroll ($1,000) with Noise\n"
           "AP              N       Total Annual Payroll ($1,000) with Noise\n\n"
           "N1000           N       Number of Establishments: 1,000 or More Employee Size Class\n"
           "N1000_1         N       Number of Establishments: Employment Size Class:\n"
           "                                1,000-1,499 Employees\n")


def test_zip_with_a_readme_skips_it_and_names_it(tmp_path, capsys):
    # the readme.txt was read as a CBP/generic table and failed the whole archive
    import json
    import zipfile

    archive = tmp_path / "cbp21co.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("cbp21co.txt", (TEST_DATA / "cbp" / "cbp21co_excerpt.txt").read_bytes())
        zf.writestr("readme.txt", _README)
        zf.writestr("county-layout-2021.txt", _LAYOUT)
    out = tmp_path / "c.csv"
    code, _, err = run_main(["ingest", str(archive), "-o", str(out)], capsys)
    assert code == 0, err
    assert "skipped " + str(archive) + ":readme.txt: not a data table" in err
    assert ":county-layout-2021.txt: not a data table" in err
    meta = json.loads((tmp_path / "c.csv.meta.json").read_text())
    skipped = {i["path"].rsplit(":", 1)[1]: i for i in meta["inputs"] if i.get("skipped")}
    assert set(skipped) == {"readme.txt", "county-layout-2021.txt"}
    assert all(len(i["sha256"]) == 64 for i in skipped.values())
    direct = tmp_path / "d.csv"
    code, _, err = run_main(["ingest", str(TEST_DATA / "cbp" / "cbp21co_excerpt.txt"),
                             "-o", str(direct)], capsys)
    assert out.read_text() == direct.read_text()  # every data row, nothing else
    # a command reading the archive on the fly names them too
    code, _, err = run_main(["lq", str(archive), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    meta = json.loads((tmp_path / "lq.csv.meta.json").read_text())
    assert sum(1 for i in meta["inputs"] if i.get("skipped")) == 2


def test_zip_of_documentation_only_is_still_refused(tmp_path, capsys):
    import zipfile

    archive = tmp_path / "docs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", _README)
    code, _, err = run_main(["ingest", str(archive), "-o", str(tmp_path / "x.parquet")], capsys)
    assert code == 2 and "a zip archive without a data file" in err and "readme.txt" in err


# --- Eurostat section aggregates beside their parts ------------------------------------------

def _lfs_tsv(tmp_path):
    """An lfst_r_lfe2en2-like SDMX-TSV: A*10 aggregates (B-E, G-I ...) beside section C, in
    thousands, one ': u' cell; TOTAL equals the sum of the A*10 items."""
    a10 = {"AT11": {"A": 16.4, "B-E": 77.0, "F": 69.9, "G-I": 26.7, "J": 47.1, "K": 43.2,
                    "L": 60.4, "M_N": 72.0, "O-Q": 13.0, "R-U": 7.4},
           "AT12": {"A": 40.1, "B-E": 20.0, "F": 30.3, "G-I": 80.6, "J": 11.2, "K": 25.0,
                    "L": 14.4, "M_N": 52.8, "O-Q": 61.0, "R-U": 30.0}}
    lines = ["freq,unit,sex,age,nace_r2,geo\\TIME_PERIOD\t2019 \t2020 "]
    for geo, v in a10.items():
        rows = {"TOTAL": round(sum(v.values()), 1), **v, "C": round(v["B-E"] * 0.8, 1)}
        for code, x in rows.items():
            later = ": u" if (geo, code) == ("AT12", "J") else f"{x} b"
            lines.append(f"A,THS_PER,T,Y_GE15,{code},{geo}\t{x}\t{later}")
    path = tmp_path / "lfst_r_lfe2en2.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path, {g: round(sum(v.values()), 1) * 1000 for g, v in a10.items()}


def test_lq_sum_denominator_and_stats_coverage_count_b_e_and_c_once(tmp_path, capsys):
    # C (manufacturing) is a part of B-E, both level 1: the sum of a region's level-1 rows
    # counted manufacturing twice, region_total 494700 for a TOTAL of 433100, every LQ of
    # --denominator sum off by that factor, and stats coverage above 100 %
    import json

    path, totals = _lfs_tsv(tmp_path)
    canon = tmp_path / "c.parquet"
    code, _, err = run_main(["ingest", str(path), "-o", str(canon)], capsys)
    assert code == 0, err
    code, _, err = run_main(["lq", str(canon), "--denominator", "sum", "-o",
                             str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    rows = list(csv.DictReader((tmp_path / "lq.csv").open()))
    for geo, total in totals.items():
        got = {float(r["region_total"]) for r in rows
               if r["region"] == geo and r["period"] == "2019" and r["level"] == "1"}
        assert len(got) == 1 and got.pop() == pytest.approx(total), geo
    meta = json.loads((tmp_path / "lq.csv.meta.json").read_text())
    assert meta["lq"]["denominator"]["sum_leaves_out"] == {"C": "part of B-E"}
    code, out, err = run_main(["stats", str(canon), "--by", "region", "--output-format", "csv"],
                              capsys)
    assert code == 0, err
    cov = {(r["period"], r["region"]): float(r["coverage"]) for r in csv.DictReader(io.StringIO(out))}
    assert cov[("2019", "AT11")] == pytest.approx(1.0) and cov[("2019", "AT12")] == pytest.approx(1.0)
    assert cov[("2020", "AT12")] < 1.0  # J withheld


def test_eurostat_lfs_tables_keep_all_ages(tmp_path, capsys):
    # lfst_r_lfe2en2 gives Y15-64, Y20-64 and Y_GE15 (all ages): the TSV was refused ("dimension
    # 'age' has several values") and the SDMX-CSV failed with a duplicate for every key
    from clusterid.io.ingest import IngestOptions, ingest

    head = "freq,unit,sex,age,nace_r2,geo\\TIME_PERIOD\t2019 \n"
    body = "".join(f"A,THS_PER,T,{age},{code},AT11\t{v}\n" for age, scale in
                   (("Y15-64", 0.9), ("Y20-64", 0.8), ("Y_GE15", 1.0))
                   for code, v in (("TOTAL", round(143.0 * scale, 1)), ("C", round(20.3 * scale, 1))))
    tsv = tmp_path / "lfst.tsv"
    tsv.write_text(head + body)
    sdmx = tmp_path / "lfst_sdmx.csv"
    sdmx.write_text("DATAFLOW,LAST UPDATE,freq,unit,sex,age,nace_r2,geo,TIME_PERIOD,OBS_VALUE,"
                    "OBS_FLAG\n" + "".join(
                        f"ESTAT:LFST_R_LFE2EN2(1.0),25/04/24 23:00:00,A,THS_PER,T,{age},{code},"
                        f"AT11,2019,{v},\n" for age, scale in (("Y15-64", 0.9), ("Y_GE15", 1.0))
                        for code, v in (("TOTAL", round(143.0 * scale, 1)),
                                        ("C", round(20.3 * scale, 1)))))
    for path, dropped in ((tsv, 4), (sdmx, 2)):
        df, meta = ingest([str(path)], IngestOptions())
        got = dict(zip(df[schema.INDUSTRY], df[schema.EMPLOYMENT]))
        assert got == {"10": 143000.0, "C": 20300.0}, path.name
        assert sum(meta["dropped"].values()) == dropped


def test_eurostat_sbs_business_economy_composite_is_dropped_and_counted(tmp_path):
    # sbs_r_nuts06_r2 publishes B-N_S95_X_K ("business economy ... except K") beside the
    # sections; the one code made the TSV and the SDMX-CSV fail as a whole ("unknown NACE code")
    from clusterid.io.ingest import IngestOptions, ingest
    from clusterid.io.readers.eurostat import REASON_COMPOSITE

    tsv = tmp_path / "sbs_r_nuts06_r2.tsv"
    tsv.write_text("indic_sb,nace_r2,geo\\time\t2015 \t2014 \n"
                   "V16110,B-N_S95_X_K,DE11\t1200000 \t1190000 \n"
                   "V16110,C,DE11\t748120 \t740000 \n"
                   "V16110,C10,DE11\t47980 \t: c\n"
                   "V16110,F,DE11\t100000 \t99000 \n")
    sdmx = tmp_path / "sbs_r_nuts06_r2.csv"
    sdmx.write_text("DATAFLOW,LAST UPDATE,freq,indic_sb,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
                    + "".join(f"ESTAT:SBS_R_NUTS06_R2(1.0),01/01/21 23:00:00,A,V16110,{c},DE11,"
                              f"2015,{v},\n" for c, v in (("B-N_S95_X_K", 1200000), ("C", 748120),
                                                          ("C10", 47980), ("F", 100000))))
    for path, n in ((tsv, 2), (sdmx, 1)):
        df, meta = ingest([str(path)], IngestOptions())
        assert meta["dropped"] == {REASON_COMPOSITE: n}, path.name
        got = df.filter(pl.col(schema.PERIOD) == "2015")
        assert dict(zip(got[schema.INDUSTRY], got[schema.EMPLOYMENT])) == {
            "C": 748120.0, "C10": 47980.0, "F": 100000.0}


# --- a Rosstat yearbook sheet --------------------------------------------------------------

_ROSSTAT = """Среднегодовая численность занятых по видам экономической деятельности в 2021 г.
(тысяч человек)
;Всего;A;B;C;D;E;F
Российская Федерация;71719,8;4174,1;1102,2;10016,4;1597,9;725,3;4703,6
Центральный федеральный округ;1361,7;181,6;23,4;257,8;25,6;14,5;66,4
Белгородская область;748,4;122,8;22,5;102,2;14,3;8,1;39,6
Брянская область;535,1;58,9;0,9;83,6;11,5;6,6;26,8
Москва;78,2;0,1;0,0;72,0;...;-;0,0
Северо-Западный федеральный округ;610,9;43,9;27,4;127,2;9,3;5,3;22,6
Архангельская область;540,0;40,0;25,0;115,0;8,0;5,0;20,0
Ненецкий автономный округ;22,0;2,0;10,0;1,0;0,5;0,2;1,0
Архангельская область без автономного округа;518,0;38,0;15,0;114,0;7,5;4,8;19,0
Калининградская область;70,9;3,9;2,4;12,2;1,3;0,3;2,6
"""


def test_rosstat_yearbook_sheet_regions_units_and_aggregates(tmp_path, capsys):
    # (1) the empty corner cell above the region names: "no region column recognised";
    # (2) "(тысяч человек)" under the title: values kept in thousands (748.4 employed);
    # (3) federal districts and Arkhangelsk-with-its-okrug listed among the subjects: the
    #     benchmark summed those jobs twice (C: 770000 instead of 385000)
    path = tmp_path / "rosstat_2021.csv"
    path.write_bytes(_ROSSTAT.encode("cp1251"))
    out = tmp_path / "r.csv"
    code, _, err = run_main(["ingest", str(path), "-o", str(out)], capsys)
    assert code == 0, err
    df = pl.read_csv(out, infer_schema_length=0)
    total = {r[schema.REGION]: r for r in df.filter(pl.col(schema.INDUSTRY) == "10").iter_rows(named=True)}
    assert "Российская Федерация" not in total  # the national total row, dropped and counted
    assert float(total["Белгородская область"][schema.EMPLOYMENT]) == 748400.0
    assert total["Центральный федеральный округ"][schema.REGION_LEVEL] == "federal_district"
    assert total["Архангельская область"][schema.REGION_LEVEL] == "aggregate"
    assert total["Ненецкий автономный округ"][schema.REGION_LEVEL] is None
    code, _, err = run_main(["lq", str(out), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    lq = [r for r in csv.DictReader((tmp_path / "lq.csv").open()) if r["industry"] == "C"]
    bench = {r["region"]: float(r["benchmark_industry_total"]) for r in lq}
    assert bench["Белгородская область"] == pytest.approx(385000.0)  # subjects, each once
    assert bench["Центральный федеральный округ"] == pytest.approx(385000.0)  # the districts


def test_generic_region_column_beside_region_name_keeps_the_codes(tmp_path):
    # headings region, region_name: the names replaced the codes (AT11 -> Burgenland), so two
    # regions of one name would merge and a NUTS join downstream finds nothing
    from clusterid.io.ingest import IngestOptions, ingest

    path = tmp_path / "nuts.csv"
    path.write_text("region,region_name,industry,year,employment\n"
                    "AT11,Burgenland,C,2019,100\nAT12,Niederösterreich,C,2019,300\n"
                    "AT11,Burgenland,TOTAL,2019,1000\nAT12,Niederösterreich,TOTAL,2019,2000\n")
    df, _ = ingest([str(path)], IngestOptions())
    assert dict(zip(df[schema.REGION], df[schema.REGION_NAME])) == {
        "AT11": "Burgenland", "AT12": "Niederösterreich"}


# --- ZIP Code Business Patterns ---------------------------------------------------------------

def test_zip_code_business_patterns_totals_and_detail(tmp_path, capsys):
    # zbpYYtotals.txt / zbpYYdetail.txt (ZIP Code Business Patterns) were taken for generic
    # tables and refused with messages about 'qp1_nf' and 'city' headings or a missing region
    from clusterid.io.ingest import IngestOptions, ingest
    from clusterid.io.readers import cbp

    totals = tmp_path / "zbp16totals.txt"
    totals.write_text(
        '"zip","name","empflag","emp_nf","emp","qp1_nf","qp1","ap_nf","ap","est","city",'
        '"stabbr","cty_name"\n'
        '"00501","HOLTSVILLE, NY","","H",26,"H",500,"H",1900,3,"HOLTSVILLE","NY","SUFFOLK"\n'
        '"01001","AGAWAM, MA","","G",8500,"G",90000,"G",380000,450,"AGAWAM","MA","HAMPDEN"\n'
        '"01002","AMHERST, MA","B","D",0,"D",0,"D",0,520,"AMHERST","MA","HAMPSHIRE"\n')
    detail = tmp_path / "zbp21detail.txt"
    detail.write_text(
        '"zip","naics","est","n<5","n5_9","n10_19","n20_49","n50_99","n100_249","n250_499",'
        '"n500_999","n1000"\n'
        '"00501","------",3,1,1,0,1,0,0,0,0,0\n"00501","42----",1,0,0,0,1,0,0,0,0,0\n'
        '"01001","------",450,250,90,60,30,10,7,2,1,0\n"01001","5413//",40,10,8,10,6,3,2,1,0,0\n')
    df, meta = ingest([str(totals)], IngestOptions())
    assert meta["adapters"] == ["cbp"]
    by = {r[schema.REGION]: r for r in df.iter_rows(named=True)}
    assert set(df[schema.PERIOD]) == {"2016"} and set(df[schema.REGION_LEVEL]) == {"zip"}
    assert by["01001"][schema.EMPLOYMENT] == 8500.0 and by["01001"][schema.WAGES] == 380000000.0
    assert by["01001"][schema.REGION_NAME] == "AGAWAM, MA"
    assert by["01002"][EMP_S] == schema.SUPPRESSED and by["01002"][schema.EMPLOYMENT] is None
    assert by["01002"][schema.upper_col(schema.EMPLOYMENT)] == 99.0
    df, meta = ingest([str(detail)], IngestOptions())
    assert schema.EMPLOYMENT not in df.columns  # the detail file publishes no employment
    assert dict(zip(zip(df[schema.REGION], df[schema.INDUSTRY]), df[schema.ESTABLISHMENTS])) == {
        ("00501", "10"): 3.0, ("00501", "42"): 1.0, ("01001", "10"): 450.0, ("01001", "5413"): 40.0}
    assert set(df[schema.PERIOD]) == {"2021"}
    code, _, err = run_main(["lq", str(detail), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    # both files of a year together (a polars schema error, then duplicates of the totals):
    # the totals file's all-industry rows, the detail file's industries
    detail16 = tmp_path / "zbp16detail.txt"
    detail16.write_text(detail.read_text())
    df, meta = ingest([str(totals), str(detail16)], IngestOptions())
    by = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert by["01001", "10"][schema.EMPLOYMENT] == 8500.0 and by["01001", "10"][schema.ESTABLISHMENTS] == 450.0
    assert by["01001", "5413"][schema.ESTABLISHMENTS] == 40.0 and df.height == 5
    assert meta["dropped"] == {cbp.REASON_ZBP_TOTALS: 2}


def test_cbp_statewide_county_999_is_no_county(tmp_path, capsys):
    # fipscty 999 ("Statewide": establishments without a fixed county) was a county among the
    # counties: its 5413 LQ of 19-29 (significant) was a cluster in a place that does not exist
    path = tmp_path / "cbp12co.txt"
    head = ('"FIPSTATE","FIPSCTY","NAICS","EMPFLAG","EMP_NF","EMP","QP1_NF","QP1","AP_NF","AP",'
            '"EST","CENSTATE","CENCTY"\n')
    rows = [("001", "------", 10454, 844), ("001", "5413//", 300, 30), ("003", "------", 60000, 4800),
            ("003", "5413//", 900, 150), ("999", "------", 120, 30), ("999", "5413//", 50, 12)]
    path.write_text(head + "".join(f'"01","{c}","{n}","","G",{e},"G",{e * 8},"G",{e * 35},{est},'
                                   f'"63","{c}"\n' for c, n, e, est in rows))
    canon = tmp_path / "c.csv"
    code, _, err = run_main(["ingest", str(path), "-o", str(canon)], capsys)
    assert code == 0, err
    df = pl.read_csv(canon, infer_schema_length=0)
    levels = dict(zip(df[schema.REGION], df[schema.REGION_LEVEL]))
    assert levels == {"01001": "county", "01003": "county", "01999": "unallocated"}
    assert set(df.filter(pl.col(schema.REGION) == "01999")[schema.REGION_NAME]) == {"Statewide"}
    code, _, err = run_main(["lq", str(canon), "-m", "employment", "-o", str(tmp_path / "lq.csv")],
                            capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): r for r in csv.DictReader((tmp_path / "lq.csv").open())}
    # the sum benchmark is the state: the counties and the statewide 999 (its jobs are the
    # state's too), 300 + 900 + 50 of 10454 + 60000 + 120; 999 is summed with the counties,
    # not compared with itself alone (LQ 1 everywhere)
    assert float(lq["01001", "5413"]["benchmark_industry_total"]) == 1250.0
    assert float(lq["01001", "5413"]["benchmark_total"]) == 70574.0
    lq999 = float(lq["01999", "5413"]["lq"])
    assert abs(lq999 - (50 / 120) / (1250 / 70574)) < 1e-5
    # but it is no place: not among the regions whose LQs are standardised
    assert lq["01999", "5413"]["slq"] == "" and lq["01001", "5413"]["slq"] != ""


def test_cbp_statewide_999_still_adds_up_to_its_state():
    # the unallocated level keeps county 999 a part of its state in the bounds: a suppressed
    # county is pinned by state - other counties - statewide (an exact link), not left loose
    from clusterid.core.bounds import build_structure, propagate

    rows = [("01000", "state", "10", 70574.0), ("01000", "state", "5413", 1250.0),
            ("01001", "county", "10", 10454.0), ("01001", "county", "5413", 300.0),
            ("01003", "county", "10", 60000.0), ("01003", "county", "5413", None),
            ("01999", "unallocated", "10", 120.0), ("01999", "unallocated", "5413", 50.0),
            ("02000", "state", "10", 500.0), ("02013", "county", "10", 400.0),
            ("02999", "unallocated", "10", 100.0)]
    df = pl.DataFrame({
        schema.PERIOD: ["2012"] * len(rows), schema.REGION: [r[0] for r in rows],
        schema.OWNERSHIP: ["total"] * len(rows), schema.INDUSTRY: [r[2] for r in rows],
        schema.REGION_LEVEL: [r[1] for r in rows], schema.CLASSIFICATION: ["NAICS"] * len(rows),
        schema.LEVEL: pl.Series([0 if r[2] == "10" else 4 for r in rows], dtype=pl.Int8),
        schema.EMPLOYMENT: [r[3] for r in rows],
        EMP_S: [schema.REPORTED if r[3] is not None else schema.SUPPRESSED for r in rows]})
    st = build_structure(df)
    propagate(st)
    i = 5  # 01003, 5413
    assert st.lower[i] == pytest.approx(900.0) and st.upper[i] == pytest.approx(900.0)


def test_eurostat_extra_regio_is_no_nuts_region(tmp_path, capsys):
    # NLZZ ("Extra-Regio NUTS 2": the continental shelf) was a NUTS 2 region among the
    # provinces: its mining LQ (about 18) a cluster in no place, and its jobs in their benchmark
    tsv = tmp_path / "nama_10r_3empers.tsv"
    tsv.write_text("unit,wstatus,nace_r2,geo\\time\t2019 \n"
                   "THS,EMP,TOTAL,NL11\t290.0 \nTHS,EMP,B-E,NL11\t40.0 \nTHS,EMP,F,NL11\t20.0 \n"
                   "THS,EMP,TOTAL,NL12\t310.0 \nTHS,EMP,B-E,NL12\t30.0 \nTHS,EMP,F,NL12\t25.0 \n"
                   "THS,EMP,TOTAL,NLZZ\t1.0 \nTHS,EMP,B-E,NLZZ\t0.9 \nTHS,EMP,F,NLZZ\t: \n")
    sdmx = tmp_path / "nama_sdmx.csv"
    sdmx.write_text("DATAFLOW,LAST UPDATE,freq,unit,wstatus,nace_r2,geo,TIME_PERIOD,OBS_VALUE\n"
                    "ESTAT:NAMA_10R_3EMPERS(1.0),x,A,THS,EMP,TOTAL,NL11,2019,290.0\n"
                    "ESTAT:NAMA_10R_3EMPERS(1.0),x,A,THS,EMP,TOTAL,NLZZ,2019,1.0\n")
    for path in (tsv, sdmx):
        canon = tmp_path / (path.stem + "_canon.csv")
        code, _, err = run_main(["ingest", str(path), "-o", str(canon)], capsys)
        assert code == 0, err
        df = pl.read_csv(canon, infer_schema_length=0)
        assert dict(zip(df[schema.REGION], df[schema.REGION_LEVEL])) == {
            **({"NL12": "nuts2"} if path == tsv else {}), "NL11": "nuts2", "NLZZ": "extra_regio"}
    code, _, err = run_main(["lq", str(tmp_path / "nama_10r_3empers_canon.csv"), "-o",
                             str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    be = {r["region"]: r for r in csv.DictReader((tmp_path / "lq.csv").open())
          if r["industry"] == "B-E"}
    assert float(be["NL11"]["benchmark_industry_total"]) == 70000.0  # NL11 + NL12 only
    assert float(be["NLZZ"]["lq"]) == 1.0


# --- a stat.gov.kz sheet with the regions across ----------------------------------------------

_KZ_ACROSS = """Численность занятого населения по видам экономической деятельности
2023 год
тыс. человек
Код ОКЭД;Вид деятельности;Республика Казахстан;Акмолинская область;Актюбинская область;г.Астана;г.Алматы
;Всего;9 187,1;393,5;433,2;664,5;1 040,8
A;Сельское, лесное и рыбное хозяйство;1 135,3;86,1;63,2;1,9;3,4
C;Обрабатывающая промышленность;673,0;25,4;30,6;41,9;62,0
10;Производство продуктов питания;120,4;8,2;6,1;10,5;14,0
11;Производство напитков;15,2;х;1,1;2,0;4,1
F;Строительство;660,5;22,4;27,9;73,9;83,3
"""


def test_kazakh_sheet_with_regions_as_columns(tmp_path):
    # industries down, oblasts and cities across: "no measure column recognised" (the
    # oblast headings were taken for a region column of numbers)
    from clusterid.io.ingest import IngestOptions, ingest

    path = tmp_path / "kz_oked_2023.csv"
    path.write_bytes(_KZ_ACROSS.encode("cp1251"))
    df, meta = ingest([str(path)], IngestOptions())
    got = {(r[schema.REGION], r[schema.INDUSTRY]): (r[schema.EMPLOYMENT], r[EMP_S])
           for r in df.iter_rows(named=True)}
    assert set(df[schema.PERIOD]) == {"2023"}
    assert got["г.Астана", "10"] == (664500.0, schema.REPORTED)  # thousands, from the title
    assert got["Акмолинская область", "C10"] == (8200.0, schema.REPORTED)  # OKED 10 = NACE C10
    assert got["Акмолинская область", "C11"] == (None, schema.SUPPRESSED)  # х
    assert "Республика Казахстан" not in set(df[schema.REGION])  # the total, dropped and counted
    assert df.height == 4 * 6 and sum(meta["dropped"].values()) == 6


def test_regions_across_with_footnote_marks(tmp_path):
    from clusterid.io.ingest import IngestOptions, ingest

    path = tmp_path / "kz_oked_2023_notes.csv"
    path.write_bytes(_KZ_ACROSS.replace("г.Астана;", "г.Астана1);").replace(
        "Республика Казахстан;", "Республика Казахстан*;").encode("cp1251"))
    df, _ = ingest([str(path)], IngestOptions())
    assert "г.Астана" in set(df[schema.REGION]) and "Республика Казахстан" not in set(df[schema.REGION])
    assert df.height == 4 * 6


def test_regions_across_without_a_year_asks_for_the_period(tmp_path, capsys):
    path = tmp_path / "kz_no_year.csv"
    path.write_bytes(_KZ_ACROSS.replace("2023 год\n", "").encode("cp1251"))
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "x.parquet")], capsys)
    assert code == 1 and "regions as columns, but no period" in err and "--period" in err


# --- detect on tables with levels that are no place, or without employment -------------------

def test_detect_never_picks_a_level_that_is_no_place(tmp_path, capsys):
    # one NUTS 2 region beside one Extra-Regio: the tie went to 'extra_regio' (alphabetical),
    # and detect analysed the continental shelf
    from clusterid.core.cluster_tables import main_level

    regional = pl.DataFrame({schema.REGION: ["DE11", "DEZZ", "01999", "01001"],
                             schema.REGION_LEVEL: ["nuts2", "extra_regio", "unallocated", "county"]})
    assert main_level(regional.head(2)) == "nuts2"
    assert main_level(regional.tail(2)) == "county"
    path = tmp_path / "sbs.tsv"
    path.write_text("indic_sb,nace_r2,geo\\time\t2015 \n" + "".join(
        f"V16110,{c},{g}\t{v} \n" for g in ("DE11", "DEZZ") for c, v in (("C", 700), ("F", 100))))
    code, _, err = run_main(["detect", str(path), "-o", str(tmp_path / "d")], capsys)
    assert code == 2 and "the nuts2 regions of the input are 1" in err


def test_detect_on_an_establishments_only_table_says_why(tmp_path, capsys):
    # a ZBP detail file (establishments only) failed deep inside with "<input>: column
    # 'employment': the table has no 'employment' column"
    path = tmp_path / "zbp21detail.txt"
    path.write_text('"zip","naics","est","n<5"\n"00501","------",3,1\n"00501","42----",1,0\n'
                    '"01001","------",450,250\n"01001","42----",40,10\n')
    code, _, err = run_main(["detect", str(path), "-o", str(tmp_path / "d")], capsys)
    assert code == 2 and "detect needs employment; the table has establishments only" in err
    assert "<input>" not in err


def test_census_api_json_response(tmp_path):
    # the Census API's own response ([["NAME","NAICS2017",...],[...]]) saved to a file was
    # read as CSV: "malformed CSV: ',' expected after '\"'"
    from clusterid.io.ingest import IngestOptions, ingest

    path = tmp_path / "cbp2021_api.json"
    path.write_text('[["NAME","NAICS2017","ESTAB","EMP","EMP_F","PAYANN","YEAR","state","county"],\n'
                    '["Beaver County, Utah","00","188","1750",null,"70000","2021","49","001"],\n'
                    '["Beaver County, Utah","11","10","35",null,"1200","2021","49","001"],\n'
                    '["Box Elder County, Utah","00","1100","17000",null,"800000","2021","49","003"],\n'
                    '["Box Elder County, Utah","11","40","120",null,"4000","2021","49","003"]]\n')
    df, meta = ingest([str(path)], IngestOptions())
    by = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert set(by) == {("49001", "10"), ("49001", "11"), ("49003", "10"), ("49003", "11")}
    assert by["49003", "10"][schema.EMPLOYMENT] == 17000.0
    assert by["49003", "10"][schema.WAGES] == 800000000.0  # PAYANN is in $1,000
    assert by["49001", "11"][schema.REGION_NAME] == "Beaver County, Utah"
    assert set(df[schema.PERIOD]) == {"2021"}


_FEDSTAT = '''"Показатель";"Субъект Российской Федерации";"ОКВЭД 2";"Период";"2020";"2021"
"Среднегодовая численность занятых, тыс. человек";"Российская Федерация";"Всего";"значение за год";"70601,1";"71719,8"
"Среднегодовая численность занятых, тыс. человек";"Белгородская область";"Всего";"значение за год";"740,2";"748,4"
"Среднегодовая численность занятых, тыс. человек";"Белгородская область";"Всего";"I квартал";"735,0";"744,1"
"Среднегодовая численность занятых, тыс. человек";"Белгородская область";"РАЗДЕЛ C ОБРАБАТЫВАЮЩИЕ ПРОИЗВОДСТВА";"значение за год";"100,1";"102,2"
"Среднегодовая численность занятых, тыс. человек";"Брянская область";"Всего";"значение за год";"530,3";"535,1"
"Среднегодовая численность занятых, тыс. человек";"Брянская область";"РАЗДЕЛ C ОБРАБАТЫВАЮЩИЕ ПРОИЗВОДСТВА";"значение за год";"80,0";"83,6"
'''


def test_fedstat_export_years_across_with_a_period_column(tmp_path):
    # fedstat/EMISS: years across, a "Период" column of the part of the year, the unit inside
    # the indicator, sections as "РАЗДЕЛ C ...": refused ("a wide table by period cannot also
    # have a period column"); then values in thousands and sections as custom labels
    from clusterid.io.ingest import IngestOptions, ingest

    path = tmp_path / "fedstat_43008.csv"
    path.write_bytes(_FEDSTAT.encode("cp1251"))
    df, meta = ingest([str(path)], IngestOptions())
    got = {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]): r[schema.EMPLOYMENT]
           for r in df.iter_rows(named=True)}
    assert got[("2021", "Белгородская область", "10")] == 748400.0  # the annual row, not Q1
    assert got[("2020", "Брянская область", "C")] == 80000.0
    assert set(df[schema.CLASSIFICATION]) == {schema.NACE} and len(got) == 8
    assert sum(meta["dropped"].values()) == 2 + 1  # Q1 (two years), the national total line


_KZ_LONG = """Код КАТО;Регион;Код ОКЭД;Наименование ОКЭД;Год;Численность работников
000000000;Республика Казахстан;;Всего;2022;3 612 450
110000000;Акмолинская область;;Всего;2022;142 300
110000000;Акмолинская область;C;Обрабатывающая промышленность;2022;15 100
110000000;Акмолинская область;10;Производство продуктов питания;2022;6 000
110000000;Акмолинская область;10.1;Переработка и консервирование мяса;2022;2 100
110000000;Акмолинская область;10.11;Переработка и консервирование мяса;2022;2 000
110000000;Акмолинская область;10.11.1;Переработка и консервирование мяса, кроме мяса птицы;2022;1 500
710000000;г.Астана;;Всего;2022;468 900
710000000;г.Астана;C;Обрабатывающая промышленность;2022;22 500
710000000;г.Астана;10;Производство продуктов питания;2022;5 000
710000000;г.Астана;10.1;Переработка и консервирование мяса;2022;1 000
710000000;г.Астана;10.11;Переработка и консервирование мяса;2022;900
710000000;г.Астана;10.11.1;Переработка и консервирование мяса, кроме мяса птицы;2022;x
"""


def test_oked_subclasses_and_kato_codes(tmp_path):
    # OKED's 5th level (10.11.1, a national subclass under NACE class 10.11) failed the whole
    # file ("not a NACE industry code"), and the KATO code column was ignored (names as codes)
    from clusterid.core import codes
    from clusterid.io.ingest import IngestOptions, ingest

    path = tmp_path / "kz_oked_long.csv"
    path.write_bytes(_KZ_LONG.encode("cp1251"))
    df, meta = ingest([str(path)], IngestOptions())
    by = {(r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}
    assert by["110000000", "C10.11.1"][schema.LEVEL] == 5
    assert by["110000000", "C10.11.1"][schema.EMPLOYMENT] == 1500.0
    assert by["710000000", "C10.11.1"][EMP_S] == schema.SUPPRESSED
    assert by["710000000", "10"][schema.REGION_NAME] == "г.Астана"
    assert codes.parent("C10.11.1", schema.NACE, 4) == "C10.11"
    assert codes.normalize("10.11.11", schema.NACE) == "C10.11.11"
    assert codes.parent("C10.11.11", schema.NACE, 5) == "C10.11.1"
    # rolled up to classes, the subclass rows go and the published classes stay
    df4, _ = ingest([str(path)], IngestOptions(level=4))
    assert df4[schema.LEVEL].max() == 4 and df4.height == 11  # with the republic (nation)


def test_eurostat_sbs_2021_indicators(tmp_path):
    # sbs_r_nuts2021 carries indic_sbs (EMP_LOC_NR persons employed, LOC_NR local units): the
    # TSV was refused ("indic_sbs has several values") and the SDMX-CSV failed on duplicates
    from clusterid.io.ingest import IngestOptions, ingest

    tsv = tmp_path / "sbs_r_nuts2021.tsv"
    tsv.write_text("freq,indic_sbs,nace_r2,geo\\TIME_PERIOD\t2021 \t2022 \n"
                   "A,EMP_LOC_NR,C,AT11\t20500 \t21000 \nA,LOC_NR,C,AT11\t1200 \t1250 \n"
                   "A,EMP_LOC_NR,F,AT11\t9000 \t: c\nA,LOC_NR,F,AT11\t1900 \t1950 \n")
    sdmx = tmp_path / "sbs_r_nuts2021.csv"
    sdmx.write_text("DATAFLOW,LAST UPDATE,freq,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
                    "ESTAT:SBS_R_NUTS2021(1.0),x,A,EMP_LOC_NR,C,AT11,2021,20500,\n"
                    "ESTAT:SBS_R_NUTS2021(1.0),x,A,LOC_NR,C,AT11,2021,1200,\n")
    for path in (tsv, sdmx):
        for measure, want in ((schema.EMPLOYMENT, 20500.0), (schema.ESTABLISHMENTS, 1200.0)):
            df, meta = ingest([str(path)], IngestOptions(measure=measure))
            got = df.filter((pl.col(schema.PERIOD) == "2021") & (pl.col(schema.INDUSTRY) == "C"))
            assert got[measure].to_list() == [want], (path.name, measure)
            assert sum(meta["dropped"].values()) == (4 if path == tsv else 1)


def test_two_row_header_keeps_the_total_column(tmp_path):
    # "Всего" merged over two header rows beside "в том числе" over the codes: the header row
    # of codes left that column unnamed and its values (the all-industry totals) were dropped;
    # the total then came from the sum of the three sections shown
    import openpyxl

    from clusterid.io.ingest import IngestOptions, ingest

    rows = [["Среднегодовая численность занятых по видам экономической деятельности в 2021 г."],
            ["(тысяч человек)"],
            [None, "Всего", "в том числе по видам экономической деятельности", None, None],
            [None, None, "A", "B", "C"],
            ["Российская Федерация", 71719.8, 4174.1, 1102.2, 10016.4],
            ["Белгородская область", 748.4, 122.8, 22.5, 102.2],
            ["Брянская область", 535.1, 58.9, 0.9, 83.6]]
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.active.merge_cells("C3:E3")
    wb.active.merge_cells("B3:B4")
    xlsx = tmp_path / "rosstat.xlsx"
    wb.save(xlsx)
    text = tmp_path / "rosstat.csv"
    cell = lambda c: "" if c is None else str(c).replace(".", ",") if isinstance(c, float) else c  # noqa: E731
    text.write_bytes("\n".join(";".join(cell(c) for c in r) for r in rows).encode("cp1251") + b"\n")
    for path in (xlsx, text):
        df, _ = ingest([str(path)], IngestOptions())
        got = {(r[schema.REGION], r[schema.INDUSTRY]): r[schema.EMPLOYMENT] for r in df.iter_rows(named=True)}
        assert got[("Брянская область", "10")] == 535100.0, path.name
        assert got[("Брянская область", "C")] == 83600.0 and len(got) == 8


def test_money_table_is_not_read_as_employment(tmp_path, capsys):
    # nama_10r_3gva (GVA, MIO_EUR) ingested with the default measure: 8,000.5 million euros
    # became 8,000,500,000 persons employed in Burgenland
    tsv = tmp_path / "nama_10r_3gva.tsv"
    tsv.write_text("unit,nace_r2,geo\\time\t2019 \nMIO_EUR,TOTAL,AT11\t8000.5 \nMIO_EUR,C,AT11\t1500.2 \n")
    sdmx = tmp_path / "nama_10r_3gva.csv"
    sdmx.write_text("DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
                    "ESTAT:NAMA_10R_3GVA(1.0),x,A,MIO_EUR,TOTAL,AT11,2019,8000.5,\n"
                    "ESTAT:NAMA_10R_3GVA(1.0),x,A,MIO_EUR,C,AT11,2019,1500.2,\n")
    for path in (tsv, sdmx):
        out = tmp_path / (path.stem + path.suffix.replace(".", "_") + ".parquet")
        code, _, err = run_main(["ingest", str(path), "-o", str(out)], capsys)
        assert code == 2 and "MIO_EUR are amounts of money, not employment" in err, path.name
        code, _, err = run_main(["ingest", str(path), "--measure", "output", "-o", str(out)], capsys)
        assert code == 0, err
        df = pl.read_parquet(out)
        assert df.filter(pl.col(schema.INDUSTRY) == "C")[schema.OUTPUT].to_list() == [1500200000.0]


def test_persons_are_not_read_as_money(tmp_path, capsys):
    # the converse of the money table: nama_10r_3empers (THS_PER) with --measure wages gave
    # 21,300 persons as $21,300 of wages, exit 0, without a word
    tsv = tmp_path / "nama_10r_3empers.tsv"
    tsv.write_text("unit,wstatus,nace_r2,geo\\time\t2019 \nTHS_PER,EMP,C,AT11\t21.3 \n")
    for measure in ("wages", "output"):
        code, _, err = run_main(["ingest", str(tsv), "--measure", measure, "-o", "-"], capsys)
        assert code == 2, err
        assert f"values in THS_PER are persons, hours or counts, not {measure}" in err, err
    code, out, err = run_main(["ingest", str(tsv), "-o", "-"], capsys)
    assert code == 0 and "21300.0" in out, err


def test_eurostat_rates_are_not_read_as_counts(tmp_path, capsys):
    # an employment-rate table (unit PC_ACT) gave 72.5 persons employed; beside a THS_PER unit
    # the level is kept (as before), alone it is refused
    path = tmp_path / "lfst_r_lfe2emprt.tsv"
    path.write_text("unit,nace_r2,geo\\time\t2019 \nPC_ACT,TOTAL,AT11\t72.5 \nPC_ACT,C,AT11\t10.1 \n")
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "x.parquet")], capsys)
    assert code == 2 and "PC_ACT are shares, rates or amounts per head" in err


def test_kato_codes_give_levels_so_the_republic_is_not_a_region(tmp_path, capsys):
    # KATO codes without names: the republic's row (000000000) sat beside its oblasts, so the
    # benchmark of every industry held the country twice (C: 490100 instead of 37600)
    path = tmp_path / "kato.csv"
    path.write_text("KATO;OKED;Год;Численность работников\n"
                    "000000000;C;2022;452100\n110000000;C;2022;15100\n710000000;C;2022;22500\n"
                    "000000000;Всего;2022;3612450\n110000000;Всего;2022;142300\n"
                    "710000000;Всего;2022;468900\n")
    canon = tmp_path / "k.csv"
    code, _, err = run_main(["ingest", str(path), "-o", str(canon)], capsys)
    assert code == 0, err
    df = pl.read_csv(canon, infer_schema_length=0)
    assert dict(zip(df[schema.REGION], df[schema.REGION_LEVEL])) == {
        "000000000": "nation", "110000000": "oblast", "710000000": "oblast"}
    code, _, err = run_main(["lq", str(canon), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    c = {r["region"]: r for r in csv.DictReader((tmp_path / "lq.csv").open()) if r["industry"] == "C"}
    assert float(c["110000000"]["benchmark_industry_total"]) == 37600.0


def test_small_yearbook_extract_with_footnotes(tmp_path):
    # (1) as many title and footnote lines as rows: the separator sniffer took ',' (the
    #     decimal comma) and failed every row; (2) "Российская Федерация1)": the footnote
    #     marker hid the national total, which was summed with its regions
    from clusterid.io.ingest import IngestOptions, ingest

    path = tmp_path / "rosstat_small.csv"
    path.write_bytes("""Среднегодовая численность занятых в 2021 г.
(тысяч человек)
;Всего;A;C
Российская Федерация1);71719,8;4174,1;10016,4
Белгородская область;748,4;122,8;102,2
Брянская область2);535,1;58,9;83,6
1) Без учета данных по Донецкой Народной Республике.
2) Оценка.
""".encode("cp1251"))
    df, meta = ingest([str(path)], IngestOptions())
    assert sorted(set(df[schema.REGION])) == ["Белгородская область", "Брянская область"]
    got = {(r[schema.REGION], r[schema.INDUSTRY]): r[schema.EMPLOYMENT] for r in df.iter_rows(named=True)}
    assert got[("Брянская область", "C")] == 83600.0
    assert sum(meta["dropped"].values()) == 1 + 2  # the total row, two footnote lines


def test_kazakh_language_sheet_with_regions_across(tmp_path):
    # the same sheet in Kazakh (UTF-8): cities written "Астана қ.", "Алматы қаласы"
    from clusterid.io.ingest import IngestOptions, ingest

    path = tmp_path / "kz_oked_2023_kk.csv"
    path.write_text("Экономикалық қызмет түрлері бойынша жұмыспен қамтылғандар саны, 2023 жыл\n"
                    "мың адам\n"
                    "ЭҚЖЖ коды;Қызмет түрі;Қазақстан Республикасы;Абай облысы;Астана қ.;Алматы қаласы\n"
                    ";Барлығы;9 187,1;290,5;664,5;1 040,8\n"
                    "C;Өңдеу өнеркәсібі;673,0;20,1;41,9;62,0\n"
                    "F;Құрылыс;660,5;15,2;73,9;83,3\n", encoding="utf-8")
    df, _ = ingest([str(path)], IngestOptions())
    assert sorted(set(df[schema.REGION])) == ["Абай облысы", "Алматы қаласы", "Астана қ."]
    got = {(r[schema.REGION], r[schema.INDUSTRY]): r[schema.EMPLOYMENT] for r in df.iter_rows(named=True)}
    assert got[("Астана қ.", "C")] == 41900.0 and got[("Абай облысы", "10")] == 290500.0
    assert set(df[schema.PERIOD]) == {"2023"}
