"""detect ranks places only: QCEW's xx999 'Unknown Or Undefined' areas, CBP's county 999 and
Eurostat's Extra-Regio (region levels in schema.NON_PLACE_LEVELS) were ranked among themselves
and came out with strong clusters (the county panel: 'Unknown Or Undefined, Alabama', five)."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
from typer.testing import CliRunner

from clusterid import schema
from clusterid.io.tables import base_metadata, write_frame

CODES = [f"{311111 + 10 * k}" for k in range(12)]


def _table(tmp_path, n_counties=20, n_unallocated=2):
    rng = np.random.default_rng(3)
    rows = []
    areas = [(f"{j + 1:02d}001", "county") for j in range(n_counties)]
    areas += [(f"{j + 1:02d}999", schema.UNALLOCATED) for j in range(n_unallocated)]
    for j, (region, level) in enumerate(areas):
        total = 0.0
        for k, c in enumerate(CODES):
            e = float(np.round(100 * (8.0 if k % 3 == j % 3 else 1.0) * rng.lognormal(0, 0.25)))
            total += e
            rows.append(dict(period="2016", region=region, ownership="private", industry=c,
                             region_level=level, classification="NAICS", level=6, employment=e,
                             establishments=float(max(1, round(e / 20)))))
        rows.append(dict(period="2016", region=region, ownership="private", industry="10",
                         region_level=level, classification="NAICS", level=0,
                         employment=total * 1.5, establishments=500.0))
    from clusterid.io.canonical import to_canonical

    df = to_canonical(pl.DataFrame(rows).lazy()).collect()
    path = tmp_path / "table.csv"
    write_frame(df, str(path), base_metadata("canonical"))
    return path


def _detect(path, out):
    from clusterid.cli.app import app

    result = CliRunner().invoke(app, ["detect", str(path), "-o", str(out), "--signals",
                                      "colocation", "--method", "dps", "--n-clusters", "3"])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_unallocated_areas_are_left_out_of_the_ranking(tmp_path):
    out = tmp_path / "out"
    _detect(_table(tmp_path), out)
    for name in ("region_summary.csv", "regional_clusters.csv"):
        levels = set(pl.read_csv(out / name, infer_schema_length=0)[schema.REGION_LEVEL])
        assert levels == {"county"}, name
    regions = set(pl.read_csv(out / "region_summary.csv", infer_schema_length=0)[schema.REGION])
    assert len(regions) == 20 and not any(r.endswith("999") for r in regions)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["left_out_non_place_areas"] == {schema.UNALLOCATED: 2}


def test_a_table_of_places_only_is_untouched(tmp_path):
    out = tmp_path / "out"
    _detect(_table(tmp_path, n_unallocated=0), out)
    meta = json.loads((out / "metadata.json").read_text())
    assert "left_out_non_place_areas" not in meta
    assert pl.read_csv(out / "region_summary.csv", infer_schema_length=0).height == 20
