"""BEA adapter (CAEMP25N / SAEMP25N regional employment by industry) on files written to BEA's
published layout: tests/data/bea/CAEMP25N_UT_2015_2016.csv (Utah and its 29 counties, figures
made up from QCEW magnitudes, see tests/data/README.md) and toys written here by hand."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from clusterid import schema
from clusterid.errors import DataError
from clusterid.io.ingest import IngestOptions, head_of, ingest, pick_adapter
from clusterid.io.readers import bea
from conftest import TEST_DATA, run_here

UT = TEST_DATA / "bea" / "CAEMP25N_UT_2015_2016.csv"
EMP = schema.EMPLOYMENT
EMP_S, EMP_LO, EMP_HI, EMP_F = (schema.status_col(EMP), schema.lower_col(EMP),
                                schema.upper_col(EMP), schema.flag_col(EMP))
HEADER = ('"GeoFIPS","GeoName","Region","TableName","LineCode","IndustryClassification",'
          '"Description","Unit","2015","2016"')


def line(fips, name, code, ic, desc, *values):
    ic = ic if ic.isdigit() else f'"{ic}"'
    return (f'" ""{fips}""","{name}",7,"CAEMP25N",{code},{ic},"{desc}","Number of jobs",'
            + ",".join(values))


def toy_lines():
    """A state of two counties; the state's lines are the counties' sums (hidden (D) and (L)
    values included: B's forestry (D) is 5, its 44-45 (L) is 4)."""
    rows = [HEADER]
    data = {  # fips -> (total, wage&salary, farm, forestry, 31-33, 44-45, government, federal)
        "49000": ("Utah", ("600", "610"), ("500", "505"), ("60", "62"), ("12", "13"),
                  ("200", "205"), ("104", "106"), ("224", "224"), ("20", "20")),
        "49001": ("Alpha, UT", ("400", "405"), ("330", "333"), ("40", "41"), ("7", "8"),
                  ("150", "152"), ("100", "101"), ("103", "103"), ("10", "10")),
        "49003": ("Beta, UT", ("200", "205"), ("170", "172"), ("20", "21"), ("(D)", "(D)"),
                  ("50", "53"), ("(L)", "5"), ("121", "121"), ("10", "10")),
    }
    for fips, (name, tot, ws, farm, forest, mfg, ret, gov, fed) in data.items():
        rows += [line(fips, name, 10, "...", "Total employment (number of jobs)", *tot),
                 line(fips, name, 20, "...", " Wage and salary employment", *ws),
                 line(fips, name, 70, "111-112", "Farm employment", *farm),
                 line(fips, name, 80, "...", "Nonfarm employment", "1", "1"),
                 line(fips, name, 100, "113-115", "  Forestry, fishing, and related activities", *forest),
                 line(fips, name, 500, "31-33", "  Manufacturing", *mfg),
                 line(fips, name, 700, "44-45", "  Retail trade", *ret),
                 line(fips, name, 2000, "...", " Government and government enterprises", *gov),
                 line(fips, name, 2001, "...", "  Federal civilian", *fed)]
    rows += ['"Note. See the included footnote file."', '"Legend / Footnotes:"',
             '"(D) Not shown to avoid disclosure of confidential information; estimates are included in higher-level totals."',
             '"Last updated: November 16, 2023-- new statistics for 2022; revised statistics for 2001-2021."']
    return rows


def write(tmp_path, rows, name="CAEMP25N_toy.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    return p


def rows_by(df):
    return {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]): r for r in df.iter_rows(named=True)}


def test_sniff_recognises_bea_and_nothing_else(tmp_path):
    header, first = head_of(str(UT))
    assert bea.sniff(header, first)
    assert pick_adapter(str(UT)) == "bea"
    # the Interactive Data download: title lines above the header
    titled = write(tmp_path, ['"CAEMP25N Total Full-Time and Part-Time Employment by NAICS Industry"',
                              '"Bureau of Economic Analysis"', *toy_lines()])
    assert pick_adapter(str(titled)) == "bea"
    assert not bea.sniff(["area_fips", "own_code", "industry_code", "agglvl_code"], b"area_fips,own_code\n")
    assert not bea.sniff(["region", "industry", "employment"], b"region,industry,employment\n2016,1,2\n")
    assert not bea.sniff(["GeoFIPS", "GeoName", "2016"], b"GeoFIPS,GeoName,2016\n")  # no LineCode
    # the other agencies' files (asked before bea) are not taken for BEA's
    for other in (TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv",
                  TEST_DATA / "cbp" / "cbp16co_excerpt.txt"):
        assert not bea.sniff(*head_of(str(other)))


def test_hand_computed_toy(tmp_path):
    df, meta = ingest([str(write(tmp_path, toy_lines()))], IngestOptions())
    assert meta["adapters"] == ["bea"]
    got = rows_by(df)
    assert {r[schema.REGION]: r[schema.REGION_LEVEL] for r in df.iter_rows(named=True)} == {
        "49000": "state", "49001": "county", "49003": "county"}
    # per region and year: 10, 11, 31-33, 44-45, 92 (wage and salary, nonfarm, federal dropped)
    assert df.height == 3 * 2 * 5
    a = got[("2016", "49001", "10")]
    assert (a[EMP], a[EMP_S], a[schema.LEVEL]) == (405.0, schema.REPORTED, 0)
    a11 = got[("2015", "49001", "11")]  # farm 40 + forestry 7
    assert (a11[EMP], a11[EMP_S], a11[schema.LEVEL]) == (47.0, schema.REPORTED, 2)
    assert got[("2016", "49001", "92")][EMP] == 103.0
    assert got[("2016", "49001", "31-33")][schema.LEVEL] == 2
    # B's 11: farm 20 reported + forestry (D): suppressed, at least 20, no upper bound, never 0
    b11 = got[("2015", "49003", "11")]
    assert b11[EMP] is None and b11[EMP_S] == schema.SUPPRESSED
    assert (b11[EMP_LO], b11[EMP_HI], b11[EMP_F]) == (20.0, None, "(D)")
    bl = got[("2015", "49003", "44-45")]  # (L): less than 10 jobs
    assert bl[EMP] is None and bl[EMP_S] == schema.SUPPRESSED
    assert (bl[EMP_LO], bl[EMP_HI], bl[EMP_F]) == (0.0, 9.0, "(L)")
    assert got[("2016", "49003", "44-45")][EMP] == 5.0
    assert got[("2016", "49000", "11")][EMP] == 62.0 + 13.0
    assert meta["dropped"][bea.REASON_NON_INDUSTRY] == 3 * 3 * 2  # 20, 80, 2001 x 3 areas x 2 years
    assert meta["dropped"][bea.REASON_FOOTNOTES] == 4
    assert bea.NOTE_11 in meta["notes"]
    assert meta["rows_kept"] == 30


def test_title_lines_and_latin1_names(tmp_path):
    rows = [HEADER, line("35013", "Doña Ana, NM", 10, "...", "Total employment (number of jobs)", "90000", "91000"),
            line("35013", "Doña Ana, NM", 500, "31-33", "  Manufacturing", "5000", "(D)"),
            line("00000", "United States", 10, "...", "Total employment (number of jobs)", "190000000", "193000000"),
            line("98000", "Far West", 10, "...", "Total employment (number of jobs)", "30000000", "31000000"),
            line("10180", "Abilene, TX (Metropolitan Statistical Area)", 10, "...",
                 "Total employment (number of jobs)", "100000", "101000"),
            '"Last updated: November 16, 2023"']
    p = write(tmp_path, ['"Table CAEMP25N"', *rows], encoding="latin-1")
    df, meta = ingest([str(p)], IngestOptions())
    names = dict(zip(df[schema.REGION], df[schema.REGION_NAME]))
    levels = dict(zip(df[schema.REGION], df[schema.REGION_LEVEL]))
    assert names["35013"] == "Doña Ana, NM"
    assert levels == {"35013": "county", "00000": "nation", "98000": "aggregate", "10180": "msa"}
    assert meta["dropped"][bea.REASON_FOOTNOTES] == 2  # the title line and the last line
    assert rows_by(df)[("2016", "35013", "31-33")][EMP_S] == schema.SUPPRESSED


def test_interactive_download_without_industry_classification(tmp_path):
    """iTable's CSV: title lines, GeoFips/GeoName/LineCode/Description and years; the sector
    comes from the line's title and gives what the bulk layout gives."""
    rows = ['"Table CAEMP25N: Total Full-Time and Part-Time Employment by NAICS Industry 1/"',
            '"Bureau of Economic Analysis"', '"GeoFips","GeoName","LineCode","Description","2015","2016"']
    for r in toy_lines()[1:]:
        rec = next(csv.reader([r]))
        if len(rec) == 10:
            rows.append(",".join([f'"{rec[0].strip().strip(chr(34))}"', f'"{rec[1]}"', rec[4], f'"{rec[6]}"', *rec[8:]]))
        else:
            rows.append(r)
    df, meta = ingest([str(write(tmp_path, rows, "download.csv"))], IngestOptions())
    bulk, bulk_meta = ingest([str(write(tmp_path, toy_lines()))], IngestOptions())
    assert meta["adapters"] == ["bea"]
    assert df.equals(bulk)
    assert meta["dropped"][bea.REASON_FOOTNOTES] == bulk_meta["dropped"][bea.REASON_FOOTNOTES] + 2


def raw_cells():
    """(fips, IndustryClassification, Description, year) -> raw cell, straight from the file."""
    out = {}
    with open(UT, newline="", encoding="latin-1") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        years = header[8:]
        for rec in reader:
            if len(rec) != len(header):
                continue
            fips = rec[0].strip().strip('"')
            for y, v in zip(years, rec[8:]):
                out[(fips, rec[5], rec[6].strip(), y)] = v
    return out, years


@pytest.fixture(scope="module")
def utah():
    return ingest([str(UT)], IngestOptions())


def test_utah_suppressed_markers_are_never_zero(utah):
    df, meta = utah
    raw, years = raw_cells()
    flagged = df.filter(pl.col(EMP_F).is_not_null())
    assert flagged.height > 100
    assert flagged[EMP].null_count() == flagged.height  # never a 0 or any number
    assert set(flagged[EMP_S]) == {schema.SUPPRESSED}
    assert (df.filter(pl.col(EMP_S) == schema.SUPPRESSED)[EMP].null_count()
            == df.filter(pl.col(EMP_S) == schema.SUPPRESSED).height)
    ell = df.filter(pl.col(EMP_F) == "(L)")
    lone = ell.filter(pl.col(schema.INDUSTRY) != "11")
    assert lone.height > 0 and set(lone[EMP_LO]) == {0.0} and set(lone[EMP_HI]) == {9.0}
    # sector 11 of a reported farm line and an (L) forestry line: farm .. farm + 9
    for r in ell.filter(pl.col(schema.INDUSTRY) == "11").iter_rows(named=True):
        farm = int(raw[(r[schema.REGION], "111-112", "Farm employment", r[schema.PERIOD])])
        assert (r[EMP_LO], r[EMP_HI]) == (farm, farm + 9)
    # every (D) of an industry line other than farm/forestry is one suppressed row
    d_cells = sum(1 for (f, ic, _d, _y), v in raw.items()
                  if v == "(D)" and ic not in ("...", "111-112", "113-115"))
    assert df.filter((pl.col(EMP_F) == "(D)") & (pl.col(schema.INDUSTRY) != "11")).height == d_cells
    assert meta["readers"][str(UT)]["years"] == ["2015", "2016"]


def test_utah_totals_add_up(utah):
    df, _meta = utah
    both = df.filter(pl.col(schema.LEVEL) == 2)
    # each region: Total employment = sum of its sectors (11 = farm + forestry, 92 government)
    checked = 0
    for (period, region), g in both.group_by([schema.PERIOD, schema.REGION]):
        total = df.filter((pl.col(schema.PERIOD) == period) & (pl.col(schema.REGION) == region)
                          & (pl.col(schema.INDUSTRY) == "10"))[EMP].item()
        if (g[EMP_S] != schema.REPORTED).any():
            assert g[EMP].sum() < total  # the suppressed cells are in the total, not 0
            continue
        assert g[EMP].sum() == total, (period, region)
        checked += 1
    assert checked >= 4  # the state and the counties without a suppressed sector
    # the state = the sum of its 29 counties, for every industry no county suppresses
    counties = df.filter(pl.col(schema.REGION_LEVEL) == "county")
    assert counties[schema.REGION].n_unique() == 29
    state = df.filter(pl.col(schema.REGION) == "49000")
    sums = counties.group_by(schema.PERIOD, schema.INDUSTRY).agg(
        pl.col(EMP).sum(), (pl.col(EMP_S) == schema.REPORTED).all().alias("all_reported"))
    joined = sums.filter("all_reported").join(state, on=[schema.PERIOD, schema.INDUSTRY])
    # (Daggett, Piute, Rich ... suppress some cell of every private sector)
    assert set(joined[schema.INDUSTRY]) == {"10", "92"} and joined.height == 4
    assert (joined[EMP] == joined[EMP + "_right"]).all()
    # elsewhere the state holds the suppressed county cells too: more than the reported ones
    partial = sums.filter(~pl.col("all_reported")).join(state, on=[schema.PERIOD, schema.INDUSTRY])
    assert partial.height == 2 * 19 and (partial[EMP] < partial[EMP + "_right"]).all()


def test_utah_footnotes_and_non_industry_lines_dropped_with_counts(utah):
    _df, meta = utah
    raw, years = raw_cells()
    non_industry = sum(1 for (f, ic, d, y) in raw
                       if ic == "..." and not d.startswith(("Total employment", "Government and")))
    assert meta["dropped"][bea.REASON_NON_INDUSTRY] == non_industry == 30 * 11 * 2
    text = UT.read_text(encoding="latin-1").splitlines()
    footer = [t for t in text if not t.startswith('" ""') and not t.startswith('"GeoFIPS"')]
    assert meta["dropped"][bea.REASON_FOOTNOTES] == len(footer) == 9
    assert meta["rows_kept"] == 30 * 2 * 21  # 10, 11, 18 sectors, 92


def run_cli(capsys, *args):
    """``clusterid ARGS`` in-process through the real entry point (conftest.run_here)."""
    return run_here(capsys, *args)


def test_lq_end_to_end_against_a_plain_computation(capsys, tmp_path):
    out = tmp_path / "lq.csv"
    res = run_cli(capsys, "lq", str(UT), "-o", str(out), "--benchmark", "region:49000")
    assert res.returncode == 0, res.stderr
    lq = pl.read_csv(out, infer_schema=False)
    # plain computation from the raw file: LQ = (e_ij / e_j) / (E_i / E), E = the state's lines
    raw, _years = raw_cells()

    def value(fips, desc_start, year):
        for (f, _ic, d, y), v in raw.items():
            if f == fips and y == year and d.startswith(desc_start):
                return v
        raise KeyError((fips, desc_start, year))

    checked = 0
    for fips, code, desc in (("49035", "31-33", "Manufacturing"), ("49005", "61", "Educational"),
                             ("49011", "92", "Government and"), ("49035", "54", "Professional"),
                             ("49049", "62", "Health care")):
        for year in ("2015", "2016"):
            e_ij = value(fips, desc, year)
            if not e_ij.isdigit():
                continue
            expected = ((int(e_ij) / int(value(fips, "Total employment", year)))
                        / (int(value("49000", desc, year)) / int(value("49000", "Total employment", year))))
            row = lq.filter((pl.col("region") == fips) & (pl.col("industry") == code)
                            & (pl.col("period") == year))
            assert float(row["lq"].item()) == pytest.approx(expected, rel=1e-6), (fips, code, year)
            checked += 1
    assert checked >= 8
    # a suppressed cell has no LQ (never the LQ of a 0)
    sup = lq.filter(pl.col("status") == schema.SUPPRESSED)
    assert sup.height > 0 and sup["lq"].null_count() == sup.height


def test_malformed_wrong_column_one_located_line(capsys, tmp_path):
    rows = toy_lines()
    rows[0] = rows[0].replace('"Description"', '"Descr"')
    p = write(tmp_path, rows)
    res = run_cli(capsys, "ingest", str(p), "-o", str(tmp_path / "x.csv"))
    assert res.returncode == 1
    errors = [t for t in res.stderr.splitlines() if str(p) in t]
    assert len(errors) == 1, res.stderr
    assert f"{p}:1:" in errors[0] and "no description column" in errors[0]
    with pytest.raises(DataError):
        ingest([str(p)], IngestOptions(format="bea"))


def test_malformed_bad_value_one_located_line(capsys, tmp_path):
    rows = toy_lines()
    at = next(i for i, r in enumerate(rows) if "49001" in r and "Manufacturing" in r)
    rows[at] = rows[at].replace(",150,152", ",150,15x2")  # 49001 manufacturing 2016
    assert "15x2" in rows[at] and at == 15
    p = write(tmp_path, rows)
    res = run_cli(capsys, "ingest", str(p), "-o", str(tmp_path / "x.csv"))
    assert res.returncode == 1
    errors = [t for t in res.stderr.splitlines() if str(p) in t]
    assert len(errors) == 1, res.stderr
    assert f"{p}:16:" in errors[0] and "'2016'" in errors[0] and "15x2" in errors[0]
    # --on-error skip: the line holds both years; the whole line is set aside (as a Eurostat line)
    df, meta = ingest([str(p)], IngestOptions(on_error="skip"))
    assert meta["rejected_rows"] == 2
    kept = rows_by(df)
    assert ("2015", "49001", "31-33") not in kept and ("2016", "49001", "31-33") not in kept
    assert kept[("2016", "49001", "44-45")][EMP] == 101.0


def test_not_an_employment_table_is_refused(tmp_path):
    rows = [r.replace('"Number of jobs"', '"Thousands of dollars"') for r in toy_lines()]
    with pytest.raises(DataError, match="not an employment table"):
        ingest([str(write(tmp_path, rows, "CAINC5N_toy.csv"))], IngestOptions())


def test_readme_mentions_the_test_file():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "tests/data/bea/CAEMP25N_UT_2015_2016.csv" in readme
