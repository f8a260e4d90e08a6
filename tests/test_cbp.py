"""CBP adapter on small files written to Census's published layouts.

Layouts: ``cbp16co`` (county, 2007-2016 layout with ``empflag`` A-M size ranges),
``cbp21co`` (county, 2017+ layout without ``empflag``, ``n<5``; first rows are the real 2021
Autauga County, AL lines quoted in the field guide, plus a withheld ``D`` row) and ``cbp16st``
(state, 2007-2016 layout with ``lfo`` legal form of organisation).
"""

from __future__ import annotations

import csv

import polars as pl
import pytest

from clusterid import schema
from clusterid.errors import DataError, UsageError
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import cbp
from conftest import TEST_DATA

CBP = TEST_DATA / "cbp"
EMP_S = schema.status_col(schema.EMPLOYMENT)


def load(name, **opts):
    res = cbp.read([str(CBP / name)], IngestOptions(**opts))
    return res, res.frame.collect()


def by_industry(df, region):
    return {r[schema.INDUSTRY]: r for r in df.filter(pl.col(schema.REGION) == region)
            .iter_rows(named=True)}


def test_sniff():
    with open(CBP / "cbp16co_excerpt.txt", newline="") as fh:
        header = next(csv.reader(fh))
    assert cbp.sniff(header, b"")
    assert not cbp.sniff(["area_fips", "own_code", "industry_code"], b"")


def test_county_2016_layout_size_flags_become_bounds():
    res, df = load("cbp16co_excerpt.txt")
    assert res.rows_read == df.height == 13
    assert set(df[schema.PERIOD]) == {"2016"}  # from the file name cbp16co
    rows = by_industry(df, "49001")
    a = rows["113"]  # empflag A: 0-19, published emp 0 is not data
    assert a[schema.EMPLOYMENT] is None and a[EMP_S] == schema.SUPPRESSED
    # A's 0-19 narrowed by the size classes: 2 establishments with under 5 employees -> 0-8
    assert (a[schema.lower_col(schema.EMPLOYMENT)], a[schema.upper_col(schema.EMPLOYMENT)]) == (0, 8)
    assert a[schema.flag_col(schema.EMPLOYMENT)] == "A"
    assert a[schema.WAGES] is None and a[schema.status_col(schema.WAGES)] == schema.SUPPRESSED
    assert a[schema.ESTABLISHMENTS] == 2
    b = rows["31-33"]
    # B's 20-99 narrowed by 3 x <5, 1 x 5-9, 1 x 10-19, 1 x 20-49: 5+10+20 to 12+9+19+49
    assert (b[schema.lower_col(schema.EMPLOYMENT)], b[schema.upper_col(schema.EMPLOYMENT)]) == (35, 89)
    # M: 100,000 or more, open above (its 4 small establishments contradict it: flag kept, noted)
    m = rows["48-49"]
    assert m[schema.lower_col(schema.EMPLOYMENT)] == 100000 and m[schema.upper_col(schema.EMPLOYMENT)] is None


def test_noise_flags_are_kept_on_reported_values():
    _, df = load("cbp16co_excerpt.txt")
    rows = by_industry(df, "49001")
    assert rows["10"][schema.EMPLOYMENT] == 1598 and rows["10"][EMP_S] == schema.REPORTED
    assert rows["10"][schema.flag_col(schema.EMPLOYMENT)] == "G"
    assert rows["11"][schema.flag_col(schema.EMPLOYMENT)] == "H"
    assert rows["44-45"][schema.flag_col(schema.EMPLOYMENT)] == "J"
    assert rows["10"][schema.WAGES] == 52846 * 1000  # $1,000 -> dollars


def test_withheld_d_and_s_are_suppressed_bounded_by_size_classes_only():
    _, df = load("cbp16co_excerpt.txt")
    rows = by_industry(df, "49001")
    # no size range in the flag: the establishment counts by size class alone (62: 9 x <5,
    # 3 x 5-9, 2 x 10-19; 72: 10 x <5, 5 x 5-9, 3 x 10-19, 1 x 20-49)
    for code, flag, bounds in (("62", "D", (35, 101)), ("72", "S", (75, 191))):
        r = rows[code]
        assert r[schema.EMPLOYMENT] is None and r[EMP_S] == schema.SUPPRESSED
        assert r[schema.flag_col(schema.EMPLOYMENT)] == flag
        assert (r[schema.lower_col(schema.EMPLOYMENT)], r[schema.upper_col(schema.EMPLOYMENT)]) == bounds
    assert rows["72"][schema.WAGES] == 3540 * 1000  # payroll published (noise G) although emp is S
    _, df21 = load("cbp21co_excerpt.txt")
    mining = by_industry(df21, "01001")["21"]
    assert mining[EMP_S] == schema.SUPPRESSED and mining[schema.flag_col(schema.EMPLOYMENT)] == "D"


def test_naics_padding_normalised_with_levels():
    _, df = load("cbp21co_excerpt.txt")
    levels = dict(df.select(schema.INDUSTRY, schema.LEVEL).iter_rows())
    assert levels == {"10": 0, "11": 2, "113": 3, "1133": 4, "11331": 5, "113310": 6, "21": 2}
    _, df16 = load("cbp16co_excerpt.txt")
    codes = set(df16[schema.INDUSTRY])
    assert {"31-33", "44-45", "48-49", "3111", "31111", "311119"} <= codes
    assert not any("-" in c and c not in ("31-33", "44-45", "48-49") or "/" in c for c in codes)


def test_county_2021_layout_values_match_the_file():
    res, df = load("cbp21co_excerpt.txt")
    assert res.notes[0].endswith("2017+ layout, period 2021")
    with open(CBP / "cbp21co_excerpt.txt", newline="") as fh:
        rows = list(csv.DictReader(fh))
    reported = [r for r in rows if r["emp_nf"] not in ("D", "S")]
    assert df[schema.EMPLOYMENT].sum() == sum(int(r["emp"]) for r in reported)
    assert df[schema.ESTABLISHMENTS].sum() == sum(int(r["est"]) for r in rows)
    assert set(df[schema.REGION]) == {"01001"}  # leading zero kept


def test_state_file_keeps_all_legal_forms_only():
    res, df = load("cbp16st_excerpt.txt")
    assert res.rows_read == 5 and df.height == 3
    assert res.dropped == {cbp.REASON_LFO: 2}
    assert set(df[schema.REGION]) == {"49000"} and set(df[schema.REGION_LEVEL]) == {"state"}
    r = by_industry(df, "49000")["3364"]
    # E's 250-499 narrowed by one establishment in each class <5 .. 100-249: at most 429
    assert (r[schema.lower_col(schema.EMPLOYMENT)], r[schema.upper_col(schema.EMPLOYMENT)]) == (250, 429)


def test_period_option_and_missing_year(tmp_path):
    _, df = load("cbp16co_excerpt.txt", period="2016")
    assert set(df[schema.PERIOD]) == {"2016"}
    other = tmp_path / "county_patterns.txt"
    other.write_bytes((CBP / "cbp16co_excerpt.txt").read_bytes())
    with pytest.raises(UsageError, match="--period"):
        cbp.read([str(other)], IngestOptions())
    res = cbp.read([str(other)], IngestOptions(period="2016"))
    assert res.frame.collect().height == 13


def test_not_a_cbp_file(tmp_path):
    p = tmp_path / "cbp16co.txt"
    p.write_text("fipstate,naics,emp\n01,------,5\n")
    with pytest.raises(DataError, match="County Business Patterns"):
        cbp.read([str(p)], IngestOptions())


def test_auto_detected_by_ingest():
    from clusterid.io.ingest import ingest

    df, meta = ingest([str(CBP / "cbp16co_excerpt.txt")], IngestOptions())
    assert meta["adapters"] == ["cbp"]
    assert df.height == 13 and meta["rows_read"] == 13


def test_bad_number_is_a_located_data_error(tmp_path):
    lines = (CBP / "cbp16co_excerpt.txt").read_text().splitlines()
    lines[3] = lines[3].replace(',"",0,"",0,"",0,2,', ',"",0,"",0,"",0,2x,')  # est of 113///
    p = tmp_path / "cbp16co.txt"
    p.write_text("\n".join(lines) + "\n")
    # the adapter hands the located problem back; ingest fails with it (or sets the row aside)
    (problem,) = cbp.read([str(p)], IngestOptions()).problems
    assert (problem.line, problem.column, problem.found) == (4, "est", "2x")
    with pytest.raises(DataError) as err:
        ingest([str(p)], IngestOptions())
    assert [(q.line, q.column, q.found) for q in err.value.problems] == [(4, "est", "2x")]
