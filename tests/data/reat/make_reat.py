"""Convert the REAT 3.0.3 tables in ../shared/data/reat_germany_eu into small canonical CSVs.

Run from the repository root:  .venv/bin/python tests/data/reat/make_reat.py
Values are copied unchanged; only the layout changes (wide -> long canonical table).  Industry
labels become their WZ-2008 section codes (the letters REAT prints in brackets; the three
labels without letters are the aggregates M-N, O-Q and R-U of the Bundesagentur's table).
Verarbeitendes Gewerbe (C) is dropped from laender_emp.csv because it is part of B-E; the
"Insgesamt" rows become the all-industries total (industry 10, level 0).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from clusterid import schema
from clusterid.io.canonical import to_canonical

ROOT = Path(__file__).resolve().parents[3]
SRC = ROOT.parent / "shared" / "data" / "reat_germany_eu"
OUT = Path(__file__).resolve().parent

LAENDER_CODES = {
    "Baugewerbe (F)": "F",
    "Erbringung von Finanz- und Vers.leistungen (K)": "K",
    "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL": "M-N",
    "Grundstuecks- und Wohnungswesen (L)": "L",
    "Handel, Gastgewerbe, Verkehr (G-I)": "G-I",
    "Information und Kommunikation (J)": "J",
    "Insgesamt": schema.ALL_INDUSTRIES,
    "Kunst, Unterhaltung, Erholung, Priv. Haush.,usw.": "R-U",
    "Land- und Forstwirtschaft, Fischerei (A)": "A",
    "Produzierendes Gewerbe ohne Baugewerbe (B-E)": "B-E",
    "oeff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht": "O-Q",
}
FREIBURG_CODES = {
    "Produzierendes Gewerbe ohne Baugewerbe (B-E)": "B-E", "Baugewerbe (F)": "F",
    "Handel, Gastgewerbe, Verkehr (G-I)": "G-I", "Information und Kommunikation (J)": "J",
    "Erbringung von Finanz- und Vers.leistungen (K)": "K",
    "Grundstuecks- und Wohnungswesen (L)": "L",
    "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL": "M-N",
    "Oeff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht": "O-Q",
    "Kunst, Unterhaltung, Erholung, Priv. Haush.,usw.": "R-U",
}


def canonical(df: pl.DataFrame, region_level: str) -> pl.DataFrame:
    df = df.with_columns(
        pl.lit(schema.OWNERSHIP_TOTAL).alias(schema.OWNERSHIP),
        pl.lit(region_level).alias(schema.REGION_LEVEL),
        pl.lit(schema.NACE).alias(schema.CLASSIFICATION),
        pl.when(pl.col(schema.INDUSTRY) == schema.ALL_INDUSTRIES).then(0).otherwise(1)
        .alias(schema.LEVEL),
    )
    return to_canonical(df.lazy()).collect()


def main() -> int:
    if not SRC.exists():
        print(f"needs {SRC}", file=sys.stderr)
        return 2
    emp = pl.read_csv(SRC / "REAT_G.regions.emp.csv")
    emp = emp.filter(pl.col("industry") != "Verarbeitendes Gewerbe (C)")
    laender = emp.filter(pl.col("region") != "Insgesamt").select(
        pl.col("year").cast(pl.String).alias(schema.PERIOD),
        pl.col("region").alias(schema.REGION), pl.col("region").alias(schema.REGION_NAME),
        pl.col("industry").replace_strict(LAENDER_CODES).alias(schema.INDUSTRY),
        pl.col("industry").alias(schema.INDUSTRY_NAME),
        pl.col("emp").cast(pl.Float64).alias(schema.EMPLOYMENT))
    canonical(laender, "state").write_csv(OUT / "laender_emp.csv")
    germany = emp.filter(pl.col("region") == "Insgesamt").select(
        pl.col("year").cast(pl.String).alias(schema.PERIOD),
        pl.lit("DE").alias(schema.REGION), pl.lit("Deutschland").alias(schema.REGION_NAME),
        pl.col("industry").replace_strict(LAENDER_CODES).alias(schema.INDUSTRY),
        pl.col("industry").alias(schema.INDUSTRY_NAME),
        pl.col("emp").cast(pl.Float64).alias(schema.EMPLOYMENT))
    canonical(germany, "nation").write_csv(OUT / "laender_germany_total.csv")

    firms = pl.read_csv(SRC / "REAT_G.regions.industries.csv")
    firms = firms.select(
        pl.col("year").cast(pl.String).alias(schema.PERIOD),
        pl.col("region_code").alias(schema.REGION), pl.col("region").alias(schema.REGION_NAME),
        pl.col("ind_code").str.replace("WZ08-", "").alias(schema.INDUSTRY),
        pl.col("ind_name").alias(schema.INDUSTRY_NAME),
        pl.col("emp_all").cast(pl.Float64).alias(schema.EMPLOYMENT),
        pl.col("firms").cast(pl.Float64).alias(schema.ESTABLISHMENTS))
    canonical(firms, "state").write_csv(OUT / "laender_firms_2015.csv")

    goe = pl.read_csv(SRC / "REAT_Goettingen.csv")
    for prefix, code, name, fname in (("Goettingen", "GOE", "Goettingen", "goettingen.csv"),
                                      ("BRD", "DE", "Deutschland", "goettingen_germany.csv")):
        cols = [c for c in goe.columns if c.startswith(prefix)]
        long = goe.unpivot(index=["WZ2008_Code", "WZ2008_Name"], on=cols,
                           variable_name="col", value_name="v")
        long = long.select(
            pl.col("col").str.replace(prefix, "").alias(schema.PERIOD),
            pl.lit(code).alias(schema.REGION), pl.lit(name).alias(schema.REGION_NAME),
            pl.when(pl.col("WZ2008_Code") == "A-R").then(pl.lit(schema.ALL_INDUSTRIES))
            .otherwise(pl.col("WZ2008_Code")).alias(schema.INDUSTRY),
            pl.col("WZ2008_Name").alias(schema.INDUSTRY_NAME),
            pl.col("v").cast(pl.Float64).alias(schema.EMPLOYMENT))
        canonical(long, "district" if code == "GOE" else "nation").write_csv(OUT / fname)

    fr = pl.read_csv(SRC / "REAT_Freiburg.csv")
    for region, name, cols, fname in (
            ("FR", "Freiburg", ("e_Freiburg2008", "e_Freiburg2014"), "freiburg.csv"),
            ("DE", "Deutschland", ("e_Germany2008", "e_Germany2014"), "freiburg_germany.csv")):
        long = fr.unpivot(index=["industry"], on=list(cols), variable_name="col", value_name="v")
        long = long.select(
            pl.col("col").str.slice(-4).alias(schema.PERIOD),
            pl.lit(region).alias(schema.REGION), pl.lit(name).alias(schema.REGION_NAME),
            pl.col("industry").replace_strict(FREIBURG_CODES).alias(schema.INDUSTRY),
            pl.col("industry").alias(schema.INDUSTRY_NAME),
            pl.col("v").cast(pl.Float64).alias(schema.EMPLOYMENT))
        canonical(long, "district" if region == "FR" else "nation").write_csv(OUT / fname)
    return 0


if __name__ == "__main__":
    sys.exit(main())
