"""Silent wrong answers of session 32 (uk): England beside its own ITL1 regions in ONS's tables,
ITL2 and ITL3 codes side by side; each test checks clusterid's figures against a computation
of its own (tests/data/uk32/README.md names the layouts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import csv_rows, run_main

DATA = Path(__file__).parent / "data" / "uk32"
HUNT = Path(__file__).parent / "data" / "hunt32"


def _ingest(capsys, path: Path, *options: str):
    code, out, err = run_main(["ingest", str(path), "-o", "-", *options], capsys)
    return code, (csv_rows(out) if code == 0 else []), err


def _lq(capsys, path: Path, *options: str):
    code, out, err = run_main(["lq", str(path), "-o", "-", *options], capsys)
    assert code == 0, err
    return {(r["period"], r["region"], r["industry"]): r for r in csv_rows(out)}


# ---- ONS by ITL region: England beside its own ITL1 regions

def test_ons_england_beside_its_itl1_regions_is_a_country_not_one_more_region(capsys):
    """ONS's regional tables print England (GSS code E92000001) beside its own ITL1 regions
    (TLC North East ... TLK South West).  It was read as one more region of the same (no)
    level, so lq's benchmark summed England with its own regions: 2020's benchmark total
    100+200+300+150+600 = 1,350 (£ million) for 750 of activity, manufacturing 260 for 140.
    Now England is region level `country`, the ITL1 codes `itl1`; the ITL1 benchmark is their
    own sum."""
    path = DATA / "ons_itl1_england_e92000001.csv"
    code, rows, err = _ingest(capsys, path)
    assert code == 0, err
    levels = {r["region"]: r["region_level"] for r in rows}
    assert levels == {"E92000001": "country", "TLC": "itl1", "TLD": "itl1", "TLK": "itl1", "TLM": "itl1"}
    assert "3 region total rows" in err  # the United Kingdom's, as before
    lq = _lq(capsys, path, "--period", "2020")
    ne = lq[("2020", "TLC", "C")]
    # by hand: ITL1 regions only (England's 600 and 120 out)
    total, manuf = 100 + 200 + 300 + 150, 30 + 40 + 50 + 20
    assert (total, manuf) == (750, 140)
    assert float(ne["benchmark_total"]) == pytest.approx(total * 1e6)
    assert float(ne["benchmark_industry_total"]) == pytest.approx(manuf * 1e6)
    assert float(ne["lq"]) == pytest.approx((30 / 100) / (manuf / total), rel=1e-6)
    # (before: 1,350 and 260 -- England counted twice -- and North East's LQ 1.5577)
    assert float(ne["lq"]) != pytest.approx((30 / 100) / (260 / 1350), rel=1e-3)
    assert lq[("2020", "E92000001", "C")]["region_level"] == "country"


def test_itl2_and_itl3_codes_get_levels_as_nuts_codes_do(capsys):
    """ITL codes are NUTS's shape with TL for UK (TLC1 ITL2, TLC11 ITL3 inside it): beside one
    another they had no level, and lq summed TLC1 with its own parts TLC11 and TLC12
    (benchmark total 140, not 100).  Now they get levels itl2 and itl3, as UKC1 and UKC11 get
    nuts2 and nuts3."""
    path = DATA / "ons_itl2_itl3_nested.csv"
    code, rows, err = _ingest(capsys, path)
    assert code == 0, err
    levels = {r["region"]: r["region_level"] for r in rows}
    assert levels == {"TLC1": "itl2", "TLC2": "itl2", "TLC11": "itl3", "TLC12": "itl3"}
    lq = _lq(capsys, path, "--period", "2020")
    assert float(lq[("2020", "TLC1", "C")]["benchmark_total"]) == pytest.approx((40 + 60) * 1e6)
    assert float(lq[("2020", "TLC11", "C")]["benchmark_total"]) == pytest.approx((15 + 25) * 1e6)
    assert float(lq[("2020", "TLC11", "C")]["lq"]) == pytest.approx((5 / 15) / ((5 + 7) / 40), rel=1e-6)
