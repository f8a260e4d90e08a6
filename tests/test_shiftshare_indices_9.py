"""shift-share and indices on inputs the project had not seen: panels across a NAICS revision
(2012 -> 2017, 2017 -> 2022), REAT's Göttingen/Freiburg tables by hand, and index tables with
suppressed cells, one-industry regions and periods of different industry coverage."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from clusterid import schema
from clusterid.core import shiftshare as ss

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
CHANGES = ROOT / "src" / "clusterid" / "data"
REAT = Path(__file__).resolve().parent / "data" / "reat"
COMPONENTS = ("base", "final", "change", "national_share", "industry_mix", "regional_share",
              "competitive", "allocation", "new_industry")


def run(args, capsys):
    from clusterid.cli.app import main

    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out = capsys.readouterr()
    return code, out.out, out.err


def changes(name):
    with open(CHANGES / name, newline="") as f:
        return [tuple(r) for r in list(csv.reader(f))[1:]]


# ----------------------------------------------------------------------------- panels


@pytest.fixture(scope="module")
def utah6(tmp_path_factory):
    """Utah's counties, private 6-digit NAICS, 2016Q1 as '2016' and 2016Q4 as '2017' (real
    QCEW values, 68% of the cells suppressed)."""
    from clusterid.io.tables import scan_canonical

    tmp = tmp_path_factory.mktemp("utah")
    canon = tmp / "utah.parquet"
    from clusterid.cli.app import main

    try:
        main(["ingest", str(SAMPLE), "-o", str(canon)])
    except SystemExit as exc:
        assert not exc.code
    lf, _ = scan_canonical(str(canon))
    d = (lf.filter((pl.col(schema.LEVEL) == 6) & (pl.col(schema.OWNERSHIP) == "private")
                   & (pl.col(schema.REGION_LEVEL) == "county")
                   & pl.col(schema.PERIOD).is_in(["2016Q1", "2016Q4"]))
         .collect()
         .with_columns(pl.col(schema.PERIOD).replace({"2016Q1": "2016", "2016Q4": "2017"}))
         .select(schema.PERIOD, schema.REGION, schema.REGION_NAME, schema.REGION_LEVEL,
                 schema.OWNERSHIP, schema.INDUSTRY, schema.INDUSTRY_NAME,
                 schema.CLASSIFICATION, schema.LEVEL, schema.EMPLOYMENT,
                 schema.status_col(schema.EMPLOYMENT)))
    return tmp, d


def revise(d, pairs, share=None):
    """The second period's codes as the revision renumbered them: merged codes summed (a
    suppressed member makes the sum suppressed), a split code's value shared by ``share``
    (default: all to its first new code)."""
    news: dict = {}
    for old, new in pairs:
        news.setdefault(old, []).append(new)
    late = d.filter(pl.col(schema.PERIOD) == "2017")
    st = schema.status_col(schema.EMPLOYMENT)
    rows = []
    for r in late.iter_rows(named=True):
        targets = news.get(r[schema.INDUSTRY], [r[schema.INDUSTRY]])
        fr = (share or {}).get(r[schema.INDUSTRY], [1.0] + [0.0] * (len(targets) - 1))
        for code, f in zip(targets, fr):
            if f == 0:
                continue
            v = r[schema.EMPLOYMENT]
            rows.append({**r, schema.INDUSTRY: code,
                         schema.EMPLOYMENT: None if v is None else v * f,
                         schema.INDUSTRY_NAME: None if code != r[schema.INDUSTRY]
                         else r[schema.INDUSTRY_NAME]})
    late = pl.DataFrame(rows, schema=d.schema)
    keys = [c for c in d.columns if c not in (schema.EMPLOYMENT, st, schema.INDUSTRY_NAME)]
    late = (late.group_by(keys, maintain_order=True)
            .agg(pl.col(schema.EMPLOYMENT).sum(), pl.col(st).first(),
                 (pl.col(st) == "suppressed").any().alias("_sup"),
                 pl.col(schema.INDUSTRY_NAME).first())
            .with_columns(pl.when(pl.col("_sup")).then(pl.lit("suppressed"))
                          .otherwise(pl.col(st)).alias(st),
                          pl.when(pl.col("_sup")).then(None)
                          .otherwise(pl.col(schema.EMPLOYMENT)).alias(schema.EMPLOYMENT))
            .drop("_sup").select(d.columns))
    return pl.concat([d.filter(pl.col(schema.PERIOD) == "2016"), late])


def combine(d, groups):
    """The unrevised panel with each group's codes summed by hand, labelled as shift-share
    labels a combined group."""
    st = schema.status_col(schema.EMPLOYMENT)
    lab = {c: "+".join(sorted(g)) for g in groups for c in g}
    keys = [c for c in d.columns if c not in (schema.EMPLOYMENT, st, schema.INDUSTRY_NAME)]
    return (d.with_columns(pl.col(schema.INDUSTRY).replace(lab))
            .group_by(keys, maintain_order=True)
            .agg(pl.col(schema.EMPLOYMENT).sum(),
                 (pl.col(st) == "suppressed").any().alias("_sup"),
                 pl.col(schema.INDUSTRY_NAME).first())
            .with_columns(pl.when(pl.col("_sup")).then(pl.lit("suppressed"))
                          .otherwise(pl.lit("reported")).alias(st),
                          pl.when(pl.col("_sup")).then(None)
                          .otherwise(pl.col(schema.EMPLOYMENT)).alias(schema.EMPLOYMENT))
            .drop("_sup").select(d.columns))


def write(tmp, name, d):
    from clusterid.io.tables import base_metadata, write_frame

    path = tmp / name
    write_frame(d, str(path), base_metadata("canonical"), "parquet")
    return path


def shift(path, capsys, *extra, by="cell"):
    out = Path(str(path) + f".{by}.ss.csv")
    code, _, err = run(["shift-share", str(path), "--from", "2016", "--to", "2017", "--by", by,
                        "-o", str(out), *extra], capsys)
    assert code == 0, err
    meta = json.loads(Path(str(out) + ".meta.json").read_text())
    return pl.read_csv(out, infer_schema_length=None,
                       schema_overrides={schema.INDUSTRY: pl.Utf8, schema.REGION: pl.Utf8}), \
        err, meta


def assert_same(a, b, keys, components=COMPONENTS):
    a, b = a.sort(keys), b.sort(keys)
    assert a.select(keys).equals(b.select(keys))
    for k in components:
        x, y = a[k].to_numpy().astype(float), b[k].to_numpy().astype(float)
        assert np.allclose(x, y, rtol=1e-9, atol=1e-6, equal_nan=True), k


def test_revision_groups_toy():
    pairs = changes("naics_2012_2017_changes.csv")
    # oil and gas: 211111 split into 211120/211130, 211112 into 211130: one group of four
    listed = {"211111": 1, "211112": 1, "211120": 1, "211130": 1, "111110": 2}
    assert ss.revision_groups(list(listed), pairs, listed, 6, 2) == [
        ["211111", "211112", "211120", "211130"]]
    # a panel all in one vintage (every code in both periods) is left alone
    assert ss.revision_groups(["211111", "211112"], pairs, {"211111": 2, "211112": 2}, 6, 2) == []
    # at four digits 452111 -> 452210 links 4521 and 4522; 4523 joins through 452112 -> 452311
    assert ss.revision_groups(["4521", "4522", "4523", "4529"], pairs,
                              {"4521": 1, "4529": 1, "4522": 1, "4523": 1}, 4, 2) == [
        ["4521", "4522", "4523", "4529"]]


def test_naics_2012_2017_panel_compares_like_with_like(utah6, capsys):
    tmp, d = utah6
    pairs = changes("naics_2012_2017_changes.csv")
    # 541711 split 60/40 between 541713 and 541714 (and 541712 all to 541713)
    rev = revise(d, pairs, share={"541711": [0.6, 0.4]})
    path = write(tmp, "rev1217.parquet", rev)
    cells, err, meta = shift(path, capsys)
    combined = sorted({c for c in cells[schema.INDUSTRY].to_list() if "+" in c})
    groups = meta["options"]["selections"][0]["combined_codes"]
    assert sorted("+".join(g) for g in groups) == combined
    assert "compared as" in err and "NAICS revision" in err
    # the codes the data hold: 211111/211112 -> 211120/211130, 454111-3 -> 454110, 517110 ->
    # 517311, 532xxx renamed, 541711/541712 -> 541713/541714, ...
    assert "454110+454111+454112+454113" in combined
    assert "517110+517311" in combined
    assert "541711+541712+541713+541714" in combined
    # no old code left to 'disappear' with its jobs counted as industry-mix loss
    olds = {a for a, _ in pairs}
    assert not olds & set(cells[schema.INDUSTRY].to_list())
    # the components equal those of the unrevised panel with the same codes summed by hand
    plain = write(tmp, "plain_combined.parquet", combine(d, groups))
    ref, _, _ = shift(plain, capsys)
    keys = [schema.REGION, schema.INDUSTRY]
    assert_same(cells, ref, keys)
    # a pure renaming (517110 -> 517311): the group's own figures are the unrevised code's;
    # NS and IM differ a little, since G is summed over the cells observed in both periods
    # and a combined group is observed only where each of its codes is
    plain_cells, _, _ = shift(write(tmp, "plain.parquet", d), capsys)
    a = cells.filter(pl.col(schema.INDUSTRY) == "517110+517311").drop(schema.INDUSTRY,
                                                                      schema.INDUSTRY_NAME)
    b = plain_cells.filter(pl.col(schema.INDUSTRY) == "517110").drop(schema.INDUSTRY,
                                                                     schema.INDUSTRY_NAME)
    assert a.height > 0 and a["observed"].sum() >= 3
    assert_same(a, b, [schema.REGION], ("base", "final", "change", "growth_industry",
                                        "regional_share"))
    assert np.allclose((a["national_share"] + a["industry_mix"]).to_numpy(),
                       (b["national_share"] + b["industry_mix"]).to_numpy(), equal_nan=True)
    # and add up to the total change, per cell and per region
    obs = cells.filter(pl.col("observed"))
    assert np.allclose((obs["national_share"] + obs["industry_mix"] + obs["regional_share"])
                       .to_numpy(), obs["change"].to_numpy(), atol=1e-6)
    regions, _, _ = shift(path, capsys, by="region")
    tot = (regions["national_share"] + regions["industry_mix"] + regions["competitive"]
           + regions["allocation"] + regions["new_industry"])
    assert np.allclose(tot.to_numpy(), regions["change"].to_numpy(), atol=1e-6, equal_nan=True)


def test_naics_2012_2017_panel_as_it_was(utah6, capsys):
    """--keep-revised-codes: the old behaviour, whose figures show what was wrong."""
    tmp, d = utah6
    path = write(tmp, "rev1217b.parquet", revise(d, changes("naics_2012_2017_changes.csv")))
    kept, err, meta = shift(path, capsys, "--keep-revised-codes")
    assert "one period only" in err
    assert meta["options"]["selections"][0]["combined_codes"] == []
    slc = kept.filter((pl.col(schema.REGION) == "49035")
                      & pl.col(schema.INDUSTRY).is_in(["517110", "517311"]))
    # Salt Lake County telecom carriers: all of 517110's 2016 jobs counted as industry mix lost
    old = slc.filter(pl.col(schema.INDUSTRY) == "517110").row(0, named=True)
    if old["observed"]:
        assert old["final"] == 0 and old["industry_mix"] < -0.9 * old["base"]


def filled(d):
    """Every suppressed cell given a stand-in value (7 jobs in 2016, 8 in 2017) and called
    reported: a panel without suppression, so that a combined group is observed wherever its
    codes are and the benchmark is the same with or without the revision."""
    st = schema.status_col(schema.EMPLOYMENT)
    sup = pl.col(st) == "suppressed"
    return d.with_columns(
        pl.when(sup).then(pl.when(pl.col(schema.PERIOD) == "2016").then(7.0).otherwise(8.0))
        .otherwise(pl.col(schema.EMPLOYMENT)).alias(schema.EMPLOYMENT),
        pl.when(sup).then(pl.lit("reported")).otherwise(pl.col(st)).alias(st))


def test_naics_2017_2022_panel_pure_renames_equal(utah6, capsys):
    """Treat the 2016 codes as NAICS 2017 and renumber the second period as NAICS 2022;
    suppressed cells filled, so every component of a pure renaming must be the old code's."""
    tmp, d = utah6
    d = filled(d)
    pairs = changes("naics_2017_2022_changes.csv")
    rev = revise(d, pairs)
    cells, err, meta = shift(write(tmp, "rev1722.parquet", rev), capsys)
    groups = meta["options"]["selections"][0]["combined_codes"]
    assert len(groups) >= 20
    ref, _, _ = shift(write(tmp, "plain1722.parquet", combine(d, groups)), capsys)
    assert_same(cells, ref, [schema.REGION, schema.INDUSTRY])
    # every pure renaming the data hold: the group's components are the old code's
    n_old = {}
    n_new = {}
    for a, b in pairs:
        n_old[a] = n_old.get(a, 0) + 1
        n_new[b] = n_new.get(b, 0) + 1
    pure = {a: b for a, b in pairs if n_old[a] == 1 and n_new[b] == 1}
    plain, _, _ = shift(write(tmp, "plain1722b.parquet", d), capsys)
    checked = 0
    for g in groups:
        if len(g) == 2 and pure.get(g[0]) == g[1] and g[1] not in set(d[schema.INDUSTRY]):
            a = cells.filter(pl.col(schema.INDUSTRY) == "+".join(g)).drop(
                schema.INDUSTRY, schema.INDUSTRY_NAME)
            b = plain.filter(pl.col(schema.INDUSTRY) == g[0]).drop(
                schema.INDUSTRY, schema.INDUSTRY_NAME)
            assert_same(a, b, [schema.REGION])
            checked += 1
    assert checked >= 10
