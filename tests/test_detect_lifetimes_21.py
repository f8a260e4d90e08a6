"""`clusterid detect`: the large frames go as soon as no stage reads them.

On the county panel each frame is a GB: the table as read must be gone before the similarity
is built, relatedness's rows before the regional strength (080f74b: 5.46 -> 4.35 GB).  Pinned
with weak references to the frames the stages of :func:`clusterid.cli.detect.run` pass on,
on a made-up table (five planted groups of six industries over 30 counties and an area
placed in no county, a few cells suppressed).
"""

from __future__ import annotations

import weakref

import numpy as np
import polars as pl
import pytest

from clusterid.io.tables import base_metadata, write_frame

GROUPS, PER_GROUP, N_REGIONS = 5, 6, 30


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    from clusterid.io.canonical import to_canonical

    rng = np.random.default_rng(3)
    codes = [f"{311111 + 10 * k}" for k in range(GROUPS * PER_GROUP)]
    rows = []
    for j in range(N_REGIONS):
        total = 0.0
        for k, code in enumerate(codes):
            e = float(np.round(100 * (8.0 if k % GROUPS == j % GROUPS else 1.0)
                               * rng.lognormal(0, 0.25)))
            total += e
            hidden = (j + k) % 17 == 0
            rows.append(dict(period="2016", region=f"{j:05d}", ownership="private",
                             industry=code, region_level="county", classification="NAICS",
                             level=6, employment=None if hidden else e,
                             employment_status="suppressed" if hidden else "reported",
                             establishments=float(max(1, round(e / 20)))))
        rows.append(dict(period="2016", region=f"{j:05d}", ownership="private", industry="10",
                         region_level="county", classification="NAICS", level=0,
                         employment=total, employment_status="reported",
                         establishments=500.0))
    # an area that is no place: the regional strength reads a copy of the table without it
    rows += [dict(r, region="99999", region_level="unallocated") for r in rows[:PER_GROUP]]
    df = to_canonical(pl.DataFrame(rows).lazy()).collect()
    path = tmp_path_factory.mktemp("lifetimes") / "toy.csv"
    write_frame(df, str(path), base_metadata("canonical"))
    return path


@pytest.mark.parametrize("level", [None, 6])
def test_frames_are_let_go_of_stage_by_stage(table, tmp_path, monkeypatch, level):
    from clusterid.cli import detect
    from clusterid.core import relatedness, strength

    seen: dict = {}
    checked: list[str] = []

    suppressed_cells = detect._suppressed_cells

    def watch_suppressed(df, r):
        seen["as_read"] = weakref.ref(df)
        bounded = suppressed_cells(df, r)
        seen["bounded"] = weakref.ref(bounded)
        return bounded

    build = relatedness.build

    def watch_build(frame, *args, **kwargs):
        assert seen["as_read"]() is None, "the table as read outlived the relatedness rows"
        seen["rel_frame"] = weakref.ref(frame)
        checked.append("build")
        return build(frame, *args, **kwargs)

    regional_strength = strength.regional_strength

    def watch_strength(*args, **kwargs):
        # relatedness's rows lived to the end of run() with --level until the refactor
        assert seen["rel_frame"]() is None, "relatedness's rows outlived the similarity"
        assert seen["bounded"]() is None, "the bounded table outlived the places' copy"
        checked.append("strength")
        return regional_strength(*args, **kwargs)

    monkeypatch.setattr(detect, "_suppressed_cells", watch_suppressed)
    monkeypatch.setattr(relatedness, "build", watch_build)
    monkeypatch.setattr(strength, "regional_strength", watch_strength)
    meta = detect.run(str(table), str(tmp_path / "out"), signals="colocation",
                      n_clusters=GROUPS, n_seeds=1, level=level)
    assert checked == ["build", "strength"]
    assert meta["definitions"]["n_clusters"] == GROUPS
