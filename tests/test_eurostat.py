"""Eurostat TSV adapter on files written in Eurostat's two bulk-download layouts.

* ``namq_10_a10_e_bulk_excerpt.tsv``: the bulk TSV layout used until 2023
  (``unit,nace_r2,s_adj,na_item,geo\\time`` then one column per period, newest first);
  values are real employment figures (thousand persons, A10 sections, 2014-2016) as bundled
  with REAT (../shared/data/reat_germany_eu), flags added by hand: DE/A/2016 ``e``,
  LU/K/2016 ``p``, MT/B-E/2016 ``: c``, EL/L/2014 ``:``.
* ``namq_10_a10_e_sdmx_excerpt.tsv``: the same data in the SDMX-TSV layout used since 2023
  (``freq,unit,nace_r2,geo\\TIME_PERIOD``, oldest period first).
* ``sbs_r_nuts06_r2_bulk_excerpt.tsv``: structural business statistics by NUTS 2 region
  (``indic_sb,nace_r2,geo\\time``, V16110 persons employed), hand-written values, divisions.
"""

from __future__ import annotations

import polars as pl
import pytest

from clusterid import schema
from clusterid.errors import DataError, UsageError
from clusterid.io.ingest import IngestOptions
from clusterid.io.readers import eurostat
from conftest import TEST_DATA

EU = TEST_DATA / "eurostat"
BULK = EU / "namq_10_a10_e_bulk_excerpt.tsv"
SDMX = EU / "namq_10_a10_e_sdmx_excerpt.tsv"
SBS = EU / "sbs_r_nuts06_r2_bulk_excerpt.tsv"
EMP_S, EMP_F = schema.status_col(schema.EMPLOYMENT), schema.flag_col(schema.EMPLOYMENT)


def load(path, **opts):
    res = eurostat.read([str(path)], IngestOptions(**opts))
    if res.problems:  # ingest fails with them (or, with --on-error skip, sets their rows aside)
        raise DataError(problems=res.problems)
    return res, res.frame.collect().drop("_line", "_source")


def cell(df, geo, nace, period):
    rows = df.filter((pl.col(schema.REGION) == geo) & (pl.col(schema.INDUSTRY) == nace)
                     & (pl.col(schema.PERIOD) == period))
    assert rows.height == 1
    return rows.row(0, named=True)


def test_sniff_both_layouts():
    for path in (BULK, SDMX, SBS):
        header = eurostat.read_header_tsv(str(path))
        assert eurostat.sniff(header, path.read_bytes()[:200])
    assert not eurostat.sniff(["area_fips", "own_code"], b"area_fips,own_code\n")


def test_values_flags_and_markers():
    res, df = load(BULK)
    assert res.rows_read == 50 * 3 and df.height == 150
    at = cell(df, "AT", "A", "2016")
    assert at[schema.EMPLOYMENT] == pytest.approx(28300)  # 28.3 thousand persons
    assert at[EMP_S] == schema.REPORTED and at[EMP_F] is None
    de = cell(df, "DE", "A", "2016")
    assert de[schema.EMPLOYMENT] == pytest.approx(348800)
    assert (de[EMP_S], de[EMP_F]) == (schema.ESTIMATED, "e")
    lu = cell(df, "LU", "K", "2016")
    assert (lu[EMP_S], lu[EMP_F]) == (schema.REPORTED, "p") and lu[schema.EMPLOYMENT] > 0
    mt = cell(df, "MT", "B-E", "2016")
    assert mt[schema.EMPLOYMENT] is None and (mt[EMP_S], mt[EMP_F]) == (schema.SUPPRESSED, "c")
    el = cell(df, "EL", "L", "2014")
    assert el[schema.EMPLOYMENT] is None and (el[EMP_S], el[EMP_F]) == (schema.SUPPRESSED, None)
    assert (df[EMP_S] == schema.SUPPRESSED).sum() == 2


def test_codes_levels_and_labels():
    _, df = load(BULK)
    assert set(df[schema.CLASSIFICATION]) == {schema.NACE}
    assert set(df[schema.LEVEL]) == {1}  # sections and section aggregates (B-E, M_N)
    assert {"B-E", "M_N", "R-U"} <= set(df[schema.INDUSTRY])
    assert set(df[schema.REGION_LEVEL]) == {"nuts0"}
    assert set(df[schema.PERIOD]) == {"2014", "2015", "2016"}


def test_sdmx_layout_gives_the_same_table():
    _, a = load(BULK)
    _, b = load(SDMX)
    keys = list(schema.KEYS)
    assert a.sort(keys).equals(b.sort(keys))


def test_regional_sbs_divisions():
    res, df = load(SBS)
    assert dict(df.select(schema.INDUSTRY, schema.LEVEL).unique().iter_rows()) == {
        "C": 1, "C10": 2, "C29": 2}
    assert set(df[schema.REGION_LEVEL]) == {"nuts2"}
    assert cell(df, "DE11", "C29", "2016")[EMP_F] == "p"
    assert (df[EMP_S] == schema.SUPPRESSED).sum() == 3
    assert cell(df, "DE11", "C", "2016")[schema.EMPLOYMENT] == 752340  # no unit: as published


def test_extra_dimension_is_narrowed_to_one_value(tmp_path):
    text = BULK.read_text()
    lines = text.splitlines()
    extra = [ln.replace(",NSA,", ",SCA,", 1) for ln in lines[1:4]]
    p = tmp_path / "two_adjustments.tsv"
    p.write_text("\n".join(lines + extra) + "\n")
    res, df = load(p)
    assert res.dropped == {"s_adj other than NSA": 9}
    assert df.height == 150
    q = tmp_path / "two_items.tsv"
    q.write_text("\n".join(lines + [ln.replace(",SAL_DC,", ",XYZ,", 1) for ln in lines[1:2]])
                 + "\n")
    res_q, _ = load(q)
    assert res_q.dropped == {"na_item other than SAL_DC": 3}
    r = tmp_path / "two_units.tsv"
    r.write_text("\n".join(lines + [ln.replace("THS_PER,", "PC_TOT,", 1) for ln in lines[1:2]])
                 + "\n")
    res_r, _ = load(r)
    assert res_r.dropped == {"unit other than THS_PER": 3}
    s = tmp_path / "unknown_dim.tsv"
    s.write_text("indic_sb,nace_r2,geo\\time\t2016 \nV1,C,DE11\t1 \nV2,C,DE11\t2 \n")
    with pytest.raises(UsageError, match="indic_sb"):
        load(s)


def test_bad_cells_and_codes_are_reported(tmp_path):
    p = tmp_path / "bad.tsv"
    p.write_text("unit,nace_r2,geo\\time\t2016 \t2015 \nTHS_PER,C,AT\t12,5 \t: c\n"
                 "THS_PER,C,DE\tn/a\t1.0 \n")
    with pytest.raises(DataError) as err:
        load(p)
    found = [pr.found for pr in err.value.problems]
    assert found == ["12,5 ", "n/a"]
    q = tmp_path / "bad_code.tsv"
    q.write_text("unit,nace_r2,geo\\time\t2016 \nTHS_PER,XYZ,AT\t1 \n")
    with pytest.raises(DataError, match="unknown NACE code"):
        load(q)
    r = tmp_path / "bad_period.tsv"
    r.write_text("unit,nace_r2,geo\\time\tsometime \nTHS_PER,C,AT\t1 \n")
    with pytest.raises(DataError, match="period"):
        load(r)


def test_period_spellings():
    assert eurostat.normalise_period("2016-Q1") == "2016Q1"
    assert eurostat.normalise_period("2016Q4 ") == "2016Q4"
    assert eurostat.normalise_period("2016-03") == "2016M03"
    assert eurostat.normalise_period("2016M11") == "2016M11"
    assert eurostat.normalise_period("2016-13") is None


def test_auto_detected_by_ingest():
    from clusterid.io.ingest import ingest

    for path in (BULK, SDMX, SBS):
        df, meta = ingest([str(path)], IngestOptions())
        assert meta["adapters"] == ["eurostat"], path
        assert df.height == meta["rows_kept"] > 0
