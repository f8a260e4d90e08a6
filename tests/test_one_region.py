"""Tables about one region, whose region is not a column: ``--region ID[:NAME]``, a
"Kreis: 03159 Göttingen" title line, or headings naming region and year (REAT's
``Goettingen2008`` ... ``BRD2017``)."""

from __future__ import annotations

import csv

import polars as pl
import pytest

from clusterid import schema
from clusterid.errors import DataError, UsageError
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import generic_headings
from conftest import TEST_DATA, run_here, shared_path

ONE = TEST_DATA / "generic" / "goettingen_one_region.csv"


def test_region_from_a_title_line():
    df, meta = ingest([str(ONE)], IngestOptions())
    assert set(df[schema.REGION]) == {"03159"} and set(df[schema.REGION_NAME]) == {"Göttingen"}
    assert sorted(set(df[schema.PERIOD])) == ["2016", "2017"]
    with open(ONE, encoding="utf-8") as fh:
        body = [r for r in csv.reader(fh, delimiter=";") if len(r) == 4][1:]
    assert df.height == 2 * len(body) == 32
    got = {(r[schema.PERIOD], r[schema.INDUSTRY]): r[schema.EMPLOYMENT] for r in df.iter_rows(named=True)}
    for code, _name, v16, v17 in body:
        code = schema.ALL_INDUSTRIES if code == "A-R" else code  # "A-R;Insgesamt": the total
        assert got[("2016", code)] == float(v16) and got[("2017", code)] == float(v17)
    (details,) = meta["readers"].values()
    assert details["region_from"] == "title line" and details["region"] == ["03159", "Göttingen"]


def test_region_option_names_a_one_region_table(tmp_path):
    p = tmp_path / "kreis.csv"
    p.write_text("WZ 2008,Beschäftigte\nC,7874\nF,1334\nInsgesamt,69403\n", encoding="utf-8")
    df, _ = ingest([str(p)], IngestOptions(region="03159:Göttingen", period="2017"))
    assert dict(df.select(schema.INDUSTRY, schema.EMPLOYMENT).iter_rows()) == {
        "C": 7874, "F": 1334, schema.ALL_INDUSTRIES: 69403}
    assert set(df[schema.REGION]) == {"03159"} and set(df[schema.REGION_NAME]) == {"Göttingen"}
    df, _ = ingest([str(p)], IngestOptions(region="Goettingen", period="2017"))
    assert set(df[schema.REGION]) == {"Goettingen"} and df[schema.REGION_NAME].null_count() == df.height
    # the one region is kept whatever its name (no other region it could be the sum of)
    df, _ = ingest([str(p)], IngestOptions(region="DG:Deutschland", period="2017"))
    assert set(df[schema.REGION_NAME]) == {"Deutschland"} and df.height == 3
    # the option wins over a title line
    df, _ = ingest([str(ONE)], IngestOptions(region="GÖ"))
    assert set(df[schema.REGION]) == {"GÖ"}


def test_region_option_with_a_region_column_is_a_usage_error(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("region,industry,year,employment\nA,C,2016,1\n")
    with pytest.raises(UsageError, match="--region is for a table without a region column"):
        ingest([str(p)], IngestOptions(region="X"))
    q = tmp_path / "no_region.csv"
    q.write_text("industry,year,employment\nC,2016,1\n")
    with pytest.raises(UsageError, match="ID\\[:NAME\\]"):
        ingest([str(q)], IngestOptions(region=":name only"))


def test_headings_with_region_and_year(tmp_path):
    p = tmp_path / "reat_like.csv"
    p.write_text('"WZ2008_Code","WZ2008_Name","Goettingen2008","Goettingen2009","BRD2008","BRD2009"\n'
                 '"C","C Verarbeitendes Gewerbe",9116,8978,6528569,6363086\n'
                 '"F","F Baugewerbe",1611,1562,1569359,1570440\n')
    df, meta = ingest([str(p)], IngestOptions())
    # BRD (Germany) is a region total: dropped and counted unless asked for
    assert set(df[schema.REGION]) == {"Goettingen"} and df.height == 4
    assert any("region total" in k for k in meta["dropped"])
    df, _ = ingest([str(p)], IngestOptions(keep_region_totals=True))
    got = {(r[schema.REGION], r[schema.PERIOD], r[schema.INDUSTRY]): r[schema.EMPLOYMENT]
           for r in df.iter_rows(named=True)}
    assert got[("BRD", "2009", "F")] == 1570440 and got[("Goettingen", "2008", "C")] == 9116
    with pytest.raises(UsageError, match="headings name regions"):
        ingest([str(p)], IngestOptions(region="X"))


def test_measure_by_year_headings_are_not_regions(tmp_path):
    p = tmp_path / "emp_by_year.csv"
    p.write_text("industry,emp2015,emp2016\nC,5,6\nF,7,8\n")
    with pytest.raises(DataError, match="no region column"):
        ingest([str(p)], IngestOptions())
    df, _ = ingest([str(p)], IngestOptions(region="01001"))
    assert sorted(set(df[schema.PERIOD])) == ["2015", "2016"] and df.height == 4


def test_a_title_that_is_not_a_region_is_not_read_as_one(tmp_path, capsys):
    p = tmp_path / "titled.csv"
    p.write_text("Table 3: Employment by industry in 2016\n\nindustry,year,employment\nC,2016,5\n")
    assert generic_headings.region_from_titles([["Table 3: Employment by industry in 2016"]]) is None
    assert generic_headings.region_from_titles([["Landkreis", "03159 Göttingen"]]) == ("03159", "Göttingen")
    assert generic_headings.region_from_titles([["Region = Freiburg"]]) == ("Freiburg", "Freiburg")
    r = run_here(capsys, "ingest", str(p), "-o", "-")
    assert r.returncode == 1
    assert "no region column recognised" in r.stderr and "--region ID[:NAME]" in r.stderr


def test_xlsx_title_row_gives_the_region(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Region:", "Freiburg im Breisgau"])
    ws.append([])
    ws.append(["industry", "e_2008", "e_2014"])
    ws.append(["F", 2931, 3154])
    ws.append(["J", 4503, 4798])
    p = tmp_path / "freiburg.xlsx"
    wb.save(p)
    df, _ = ingest([str(p)], IngestOptions())
    assert set(df[schema.REGION]) == {"Freiburg im Breisgau"}
    assert dict(df.filter(pl.col(schema.PERIOD) == "2014").select(
        schema.INDUSTRY, schema.EMPLOYMENT).iter_rows()) == {"F": 3154, "J": 4798}


def test_reat_goettingen_real_file():
    path = shared_path("reat_germany_eu", "REAT_Goettingen.csv")
    df, meta = ingest([str(path)], IngestOptions(keep_region_totals=True))
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    heads = [h for h in rows[0] if h[-4:].isdigit()]
    assert df.height == len(rows) * len(heads) == 16 * 20
    assert set(df[schema.REGION]) == {"Goettingen", "BRD"}
    for region in ("Goettingen", "BRD"):
        for year in ("2008", "2017"):
            want = sum(float(r[f"{region}{year}"]) for r in rows if r["WZ2008_Code"] != "A-R")
            got = df.filter((pl.col(schema.REGION) == region) & (pl.col(schema.PERIOD) == year)
                            & (pl.col(schema.INDUSTRY) != schema.ALL_INDUSTRIES))[schema.EMPLOYMENT].sum()
            assert got == want
    df, meta = ingest([str(path)], IngestOptions())
    assert set(df[schema.REGION]) == {"Goettingen"} and df.height == 160


@pytest.mark.parametrize("titles, want", [
    ([["Регион: Алматы"]], ("Алматы", "Алматы")),
    ([["Область", "Алматинская область"]], ("Алматинская область", "Алматинская область")),
    ([["County: 49001 Beaver County"]], ("49001", "Beaver County")),
    ([["Employment by industry: 2016"]], None),
    ([["Quelle: Statistisches Bundesamt"]], None),
    ([["Stand: 30.06.2016"]], None),
])
def test_title_lines(titles, want):
    assert generic_headings.region_from_titles(titles) == want
