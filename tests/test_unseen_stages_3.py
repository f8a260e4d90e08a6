"""stats, indices, shift-share, report and run on inputs the project was not tuned on, as a
regional statistician brings them: REAT's raw CSVs (Göttingen, Freiburg) ingested as they are,
tables of custom industry names, NACE aggregates beside their parts, regions that are present in
one period only.  Every number is checked against REAT's published value or against a plain
recomputation in this file (METHODS.md §2-3), never against the tool's own output.
"""

from __future__ import annotations

import csv
import io

import pytest

from conftest import TEST_DATA, run_main

DATA = TEST_DATA / "unseen3"
GOETTINGEN = DATA / "REAT_Goettingen.csv"
FREIBURG = DATA / "REAT_Freiburg.csv"


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _ok(argv, capsys):
    code, out, err = run_main(argv, capsys)
    assert code == 0, err
    return out, err


# ------------------------------------------------------------------ plain reference formulas

def _krugman(e: dict, E: dict) -> float:
    """K = Σ_i |e_i/e − E_i/E| over the industries of ``e`` (METHODS.md §2)."""
    te, tE = sum(e.values()), sum(E[i] for i in e)
    return sum(abs(e[i] / te - E[i] / tE) for i in e)


def _lq_gini(e: dict, E: dict) -> float:
    """REAT's gini.spec: Σ_i Σ_k |LQ_i − LQ_k| / (2 n² mean LQ)."""
    te, tE = sum(e.values()), sum(E[i] for i in e)
    lq = [(e[i] / te) / (E[i] / tE) for i in e]
    n, mean = len(lq), sum(lq) / len(lq)
    return sum(abs(a - b) for a in lq for b in lq) / (2 * n * n * mean)


# ------------------------------------------------------------------ custom industry names

CUSTOM = (
    "region,industry,year,employment\n"
    "North,Tourism,2020,100\nNorth,Mining,2020,50\nSouth,Tourism,2020,30\nSouth,Mining,2020,120\n"
    "North,Tourism,2021,110\nNorth,Mining,2021,40\nSouth,Tourism,2021,35\nSouth,Mining,2021,130\n"
)


def test_custom_industries_are_not_all_industry_totals(tmp_path, capsys):
    """A table of industries with names of its own (classification custom, no level) was
    refused by indices and shift-share with "the table holds only all-industry totals": the
    level test ``level == 0`` is null for a null level, and the null flag dropped every row."""
    raw = tmp_path / "custom.csv"
    raw.write_text(CUSTOM, encoding="utf-8")
    e = {}
    for r in _rows(CUSTOM):
        e.setdefault(r["year"], {}).setdefault(r["region"], {})[r["industry"]] = float(r["employment"])
    out, _ = _ok(["indices", str(raw), "-o", "-"], capsys)
    rows = _rows(out)
    assert len(rows) == 4
    for r in rows:
        year = e[r["period"]]
        bench = {i: sum(year[j][i] for j in year) for i in ("Mining", "Tourism")}
        mine = year[r["region"]]
        assert float(r["krugman"]) == pytest.approx(_krugman(mine, bench), rel=1e-12)
        s = [v / sum(mine.values()) for v in mine.values()]
        assert float(r["herfindahl"]) == pytest.approx(sum(x * x for x in s), rel=1e-12)
    out, _ = _ok(["shift-share", str(raw), "--from", "2020", "--to", "2021", "-o", "-"], capsys)
    rows = _rows(out)
    assert len(rows) == 4
    E0 = {i: sum(e["2020"][j][i] for j in e["2020"]) for i in ("Mining", "Tourism")}
    E1 = {i: sum(e["2021"][j][i] for j in e["2021"]) for i in ("Mining", "Tourism")}
    G = sum(E1.values()) / sum(E0.values()) - 1
    for r in rows:
        i, j = r["industry"], r["region"]
        e0, e1 = e["2020"][j][i], e["2021"][j][i]
        Gi = E1[i] / E0[i] - 1
        assert float(r["national_share"]) == pytest.approx(e0 * G, rel=1e-12)
        assert float(r["industry_mix"]) == pytest.approx(e0 * (Gi - G), rel=1e-12, abs=1e-12)
        assert float(r["regional_share"]) == pytest.approx(e1 - e0 * (1 + Gi), rel=1e-12, abs=1e-9)
