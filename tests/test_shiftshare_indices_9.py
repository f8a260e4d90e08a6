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
from conftest import run_main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
CHANGES = ROOT / "src" / "clusterid" / "data"
REAT = Path(__file__).resolve().parent / "data" / "reat"
COMPONENTS = ("base", "final", "change", "national_share", "industry_mix", "regional_share",
              "competitive", "allocation", "new_industry")


def run(args, capsys):
    return run_main(args, capsys)


def changes(name):
    with open(CHANGES / name, newline="") as f:
        return [tuple(r) for r in list(csv.reader(f))[1:]]


# ----------------------------------------------------------------------------- panels


@pytest.fixture(scope="module")
def utah6(tmp_path_factory, utah_parquet):
    """Utah's counties, private 6-digit NAICS, 2016Q1 as '2016' and 2016Q4 as '2017' (real
    QCEW values, 68% of the cells suppressed)."""
    from clusterid.io.tables import scan_canonical

    tmp = tmp_path_factory.mktemp("utah")
    canon = utah_parquet  # the sample ingested with the defaults, once for the session
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
    name = cells.filter(pl.col(schema.INDUSTRY) == "454110+454111+454112+454113")[
        schema.INDUSTRY_NAME][0]
    assert name.startswith("combined across the NAICS revision: 454110; 454111 ")
    assert "454111 454111" not in name  # QCEW's titles carry their code already
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
    # Salt Lake County: the retired codes' jobs counted as industry mix lost, the new codes'
    # as new industries; compared as combined industries, neither
    keep_r, _, _ = shift(path, capsys, "--keep-revised-codes", by="region")
    comb_r, _, _ = shift(path, capsys, by="region")
    slc_keep = keep_r.filter(pl.col(schema.REGION) == "49035").row(0, named=True)
    slc = comb_r.filter(pl.col(schema.REGION) == "49035").row(0, named=True)
    assert round(slc_keep["industry_mix"]) == -18834
    assert round(slc_keep["new_industry"]) == 16163
    assert round(slc["industry_mix"]) == -1525 and slc["new_industry"] == 0


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


@pytest.mark.parametrize("extra", [["-b", "rest"], ["--dynamic"], ["--level", "4"]])
def test_revised_panel_other_benchmarks_and_spans(utah6, capsys, extra):
    """-b rest, --dynamic and a coarser level on the 2012 -> 2017 panel: combined groups there
    too, components adding up to the change."""
    tmp, d = utah6
    rev = revise(d, changes("naics_2012_2017_changes.csv"))
    if "--level" in extra:  # the 4-digit rows as the revised 6-digit ones sum to
        st = schema.status_col(schema.EMPLOYMENT)
        rev = (rev.with_columns(pl.col(schema.INDUSTRY).str.slice(0, 4),
                                pl.lit(4, dtype=rev.schema[schema.LEVEL]).alias(schema.LEVEL))
               .group_by([c for c in rev.columns if c not in (schema.EMPLOYMENT, st,
                                                             schema.INDUSTRY_NAME)])
               .agg(pl.col(schema.EMPLOYMENT).sum(), (pl.col(st) == "suppressed").any()
                    .alias("_s"), pl.col(schema.INDUSTRY_NAME).first())
               .with_columns(pl.when(pl.col("_s")).then(pl.lit("suppressed"))
                             .otherwise(pl.lit("reported")).alias(st),
                             pl.when(pl.col("_s")).then(None).otherwise(
                                 pl.col(schema.EMPLOYMENT)).alias(schema.EMPLOYMENT))
               .drop("_s").select(rev.columns))
    cells, err, meta = shift(write(tmp, f"rev_{extra[-1]}.parquet", rev), capsys, *extra)
    groups = meta["options"]["selections"][0]["combined_codes"]
    assert groups, err
    if "--level" in extra:  # 4521/4529 (2012) -> 4522/4523 (2017); 5171/5172 -> 5173
        assert ["4521", "4522", "4523", "4529"] in groups
        assert ["5171", "5172", "5173"] in groups
    # (-b rest: a cell whose industry no other county has gets no components: E_i = 0)
    obs = cells.filter(pl.col("observed") & pl.col("national_share").is_not_null())
    assert obs.height > 100
    assert np.allclose((obs["national_share"] + obs["industry_mix"] + obs["regional_share"])
                       .to_numpy(), obs["change"].to_numpy(), atol=1e-6)
    assert not obs.filter(pl.col("new_industry") != 0)[schema.INDUSTRY].str.contains(
        "^(4541|5173|4523|4522)").any()


def test_panel_across_both_revisions(utah6, capsys):
    """2012 codes first, 2022 codes last (a 2016 -> 2022 panel): 517110 became 517311 in 2017
    and 517111 in 2022; no 2017 code is at either end, yet the chain holds."""
    tmp, d = utah6
    t1, t2 = changes("naics_2012_2017_changes.csv"), changes("naics_2017_2022_changes.csv")
    rev = revise(revise(d, t1), t2)
    cells, err, meta = shift(write(tmp, "rev1222.parquet", rev), capsys)
    groups = meta["options"]["selections"][0]["combined_codes"]
    olds = {a for a, _ in t1} | {a for a, _ in t2}
    left = olds & set(cells[schema.INDUSTRY].to_list())
    assert not left
    assert ["517110", "517111"] in groups
    assert any({"452111", "455110"} <= set(g) for g in groups)
    ref, _, _ = shift(write(tmp, "plain1222.parquet", combine(d, groups)), capsys)
    assert_same(cells, ref, [schema.REGION, schema.INDUSTRY])


# ----------------------------------------------------------------------------- REAT by hand

def long_csv(path, rows):
    """Canonical long CSV from (period, region, industry, employment) tuples."""
    head = ("period,region,ownership,industry,region_name,region_level,industry_name,"
            "classification,level,employment,employment_status\n")
    path.write_text(head + "".join(f"{p},{r},total,{i},{r},district,{i},NACE,1,{v},reported\n"
                                   for p, r, i, v in rows))
    return path


def test_farhauer_kroell_example_by_hand(tmp_path, capsys):
    """REAT's shift() example (Farhauer/Kröll 2013): regions A, B, C that add up to nation X,
    so the sum-of-regions benchmark is X.  By hand, region A (180 -> 205 jobs; X 1,100 ->
    1,265, G = 0.15): NS = 180 x 0.15 = 27; IM = (90x1.1 + 20x1.4 + 10x0.9 + 60x1.2) − 180 x
    1.15 = 208 − 207 = 1; RS = 205 − 208 = −3 (REAT's 'regional shift'; its 'net total shift'
    205 − 207 = −2 = IM + RS).  Esteban: ê = 180 x (400, 150, 150, 400)/1100, competitive
    Σ ê (e1/e0 − E1/E0) = −7/11, allocation −3 + 7/11 = −26/11.  B: 24, −1, 32; C: 114, 0, −29."""
    A = ((90, 20, 10, 60), (100, 40, 10, 55))
    B = ((60, 30, 30, 40), (85, 55, 40, 35))
    C = ((250, 100, 110, 300), (255, 115, 85, 390))
    rows = [(p, name, ind, reg[t][k]) for name, reg in (("A", A), ("B", B), ("C", C))
            for t, p in enumerate((2008, 2014)) for k, ind in enumerate("CFGJ")]
    path = long_csv(tmp_path / "fk.csv", rows)
    out = tmp_path / "fk_regions.csv"
    code, _, err = run(["shift-share", str(path), "--from", "2008", "--to", "2014", "--by",
                        "region", "-o", str(out)], capsys)
    assert code == 0, err
    r = {row["region"]: row for row in pl.read_csv(out).iter_rows(named=True)}
    hand = {"A": (25, 27, 1, -3), "B": (55, 24, -1, 32), "C": (85, 114, 0, -29)}
    for reg, (ch, ns, im, rs) in hand.items():
        got = r[reg]
        assert (got["change"], got["national_share"], got["industry_mix"],
                got["regional_share"]) == pytest.approx((ch, ns, im, rs), abs=1e-9), reg
    assert r["A"]["competitive"] == pytest.approx(-7 / 11, abs=1e-9)
    assert r["A"]["allocation"] == pytest.approx(-26 / 11, abs=1e-9)


def test_freiburg_growth_rates_as_reat_published_them():
    """REAT's Freiburg table carries its own growth rates (e_g_Germany_0814, in %): G_i of the
    shift-share is the same figure to 1e-12 (B-E: 1.15727553321755 %), and RS = e1 − e0 (1 + G_i)
    for B-E is 12121 − 13004 x 1.0115727553321755 = −1,033.49 by hand."""
    from tests.conftest import shared_path

    raw = pl.read_csv(shared_path("reat_germany_eu", "REAT_Freiburg.csv"))
    e0 = raw["e_Freiburg2008"].cast(pl.Float64).to_numpy()[None, :]
    e1 = raw["e_Freiburg2014"].cast(pl.Float64).to_numpy()[None, :]
    E0 = raw["e_Germany2008"].cast(pl.Float64).to_numpy()
    E1 = raw["e_Germany2014"].cast(pl.Float64).to_numpy()
    cells = ss.shift_share(e0, e1, None, E0, E1)
    assert np.allclose(cells["growth_industry"][0] * 100, raw["e_g_Germany_0814"].to_numpy(),
                       rtol=1e-12)
    assert np.allclose((e1 / e0 - 1)[0] * 100, raw["e_g_Freiburg_0814"].to_numpy(), rtol=1e-12)
    assert cells["regional_share"][0, 0] == pytest.approx(12121 - 13004 * 1.0115727553321755,
                                                          abs=1e-6)
    assert cells["regional_share"][0, 0] == pytest.approx(-1033.49, abs=0.005)
    # REAT 'Esteban': competitive = Σ ê (e1/e0 − E1/E0), ê = e0_j E0_i / E0 -- a loop by hand
    ej0, tot0 = e0.sum(), E0.sum()
    comp = sum(ej0 * E0[i] / tot0 * (e1[0, i] / e0[0, i] - E1[i] / E0[i]) for i in range(len(E0)))
    alloc = sum((e0[0, i] - ej0 * E0[i] / tot0) * (e1[0, i] / e0[0, i] - E1[i] / E0[i])
                for i in range(len(E0)))
    assert np.nansum(cells["competitive"]) == pytest.approx(comp, rel=1e-12)
    assert np.nansum(cells["allocation"]) == pytest.approx(alloc, rel=1e-12)


def test_goettingen_health_sector_by_hand(tmp_path, capsys):
    """Göttingen's Q (health, 12,360 -> 16,896) against Germany's Q (3,554,458 -> 4,676,036)
    and Germany's A-R (27,695,398 -> 32,164,973), typed in from REAT_Goettingen.csv:
    G = 0.161379..., NS = 12360 G = 1,994.70, IM = 12360 (4676036/3554458 − 1) − NS =
    1,905.39, RS = 16896 − 12360 x 4676036/3554458 = 635.91; ê = 56872 x 3554458/27695398
    = 7,299.02 (56,872: Göttingen's listed sectors, which fall 2,253 short of its A-R 59,125;
    REAT's Esteban ê = sum(region1) x nation1/sum(nation1) sums the listed sectors too),
    competitive = ê (16896/12360 − 4676036/3554458) = 375.53."""
    out = tmp_path / "goe.csv"
    code, _, err = run(["shift-share", str(REAT / "goettingen.csv"), "--from", "2008", "--to",
                        "2017", "-b", str(REAT / "goettingen_germany.csv"), "-o", str(out)],
                       capsys)
    assert code == 0, err
    q = pl.read_csv(out).filter(pl.col("industry") == "Q").row(0, named=True)
    G = 32164973 / 27695398 - 1
    Gq = 4676036 / 3554458 - 1
    assert q["national_share"] == pytest.approx(12360 * G, rel=1e-12)
    assert q["industry_mix"] == pytest.approx(12360 * (Gq - G), rel=1e-12)
    assert q["regional_share"] == pytest.approx(16896 - 12360 * (1 + Gq), rel=1e-12)
    hom = 56872 * 3554458 / 27695398
    assert q["homothetic_base"] == pytest.approx(hom, rel=1e-12)
    assert q["competitive"] == pytest.approx(hom * (16896 / 12360 - 1 - Gq), rel=1e-12)
    assert (round(q["national_share"], 2), round(q["industry_mix"], 2),
            round(q["regional_share"], 2), round(q["competitive"], 2)) == \
        (1994.7, 1905.39, 635.91, 375.53)


# ----------------------------------------------------------------------------- indices

NAICS_SECTOR = {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
                "48": "48-49", "49": "48-49"}


def ref_region_indices(rows, industries):
    """Slow obvious reference, one region at a time, from the table's rows: a suppressed cell
    is left out, an absent row is 0, shares renormalised over the region's observed
    industries; empty where nothing is observed or only one industry shows activity while
    others are suppressed."""
    import math

    regions = sorted({r for r, _, _ in rows})
    cell = {(r, i): v for r, i, v in rows}  # v None: suppressed
    bench = {i: sum(cell.get((r, i)) or 0.0 for r in regions) for i in industries}
    out = {}
    for r in regions:
        obs = [i for i in industries if cell.get((r, i), 0.0) is not None]
        sup = len(obs) < len(industries)
        tot = sum(cell.get((r, i), 0.0) for i in obs)
        active = [i for i in obs if cell.get((r, i), 0.0) > 0]
        if tot <= 0 or (sup and len(active) <= 1):
            out[r] = None
            continue
        s = {i: cell.get((r, i), 0.0) / tot for i in obs}
        btot = sum(bench[i] for i in obs)
        S = {i: bench[i] / btot for i in obs}
        k = sum(abs(s[i] - S[i]) for i in obs)
        h = sum(s[i] ** 2 for i in obs)
        ent = -sum(s[i] * math.log(s[i]) for i in obs if s[i] > 0)
        P: dict = {}
        for i in obs:
            g = NAICS_SECTOR.get(i[:2], i[:2])
            P[g] = P.get(g, 0.0) + s[i]
        uv = -sum(p * math.log(p) for p in P.values() if p > 0)
        rv = sum(s[i] * math.log(P[NAICS_SECTOR.get(i[:2], i[:2])] / s[i]) for i in obs
                 if s[i] > 0)
        out[r] = {"krugman": k, "hoover_specialisation": k / 2, "herfindahl": h,
                  "shannon_entropy": ent, "related_variety": rv, "unrelated_variety": uv}
    return out


def ref_hoover_localisation(rows, industries):
    regions = sorted({r for r, _, _ in rows})
    cell = {(r, i): v for r, i, v in rows}
    tot = {r: sum(cell.get((r, i), 0.0) or 0.0 for i in industries) for r in regions}
    out = {}
    for i in industries:
        R = [r for r in regions if cell.get((r, i), 0.0) is not None]
        if sum(1 for r in R if tot[r] > 0) < 2:
            out[i] = None
            continue
        Ei = sum(cell.get((r, i), 0.0) for r in R)
        T = sum(tot[r] for r in R)
        out[i] = None if Ei <= 0 else 0.5 * sum(
            abs(cell.get((r, i), 0.0) / Ei - tot[r] / T) for r in R)
    return out


@pytest.fixture(scope="module")
def utah4(utah6, utah_parquet):
    """Utah counties, private 4-digit NAICS, 2016Q1: 2,226 cells, 1,166 of them suppressed."""
    tmp, _ = utah6
    from clusterid.io.tables import scan_canonical

    lf, _ = scan_canonical(str(utah_parquet))
    d = lf.filter((pl.col(schema.LEVEL) == 4) & (pl.col(schema.OWNERSHIP) == "private")
                  & (pl.col(schema.REGION_LEVEL) == "county")
                  & (pl.col(schema.PERIOD) == "2016Q1")).collect()
    return tmp, d


def rows_of(d):
    st = schema.status_col(schema.EMPLOYMENT)
    return [(r, i, None if s != "reported" else v) for r, i, v, s in
            d.select(schema.REGION, schema.INDUSTRY, schema.EMPLOYMENT, st).iter_rows()]


def indices_cli(path, capsys, *extra):
    out = Path(str(path) + ".ix.csv")
    code, _, err = run(["indices", str(path), "-o", str(out), *extra], capsys)
    assert code == 0, err
    return pl.read_csv(out, schema_overrides={schema.REGION: pl.Utf8,
                                              schema.INDUSTRY: pl.Utf8}), err


def test_region_indices_against_slow_reference_with_suppressed_cells(utah4, capsys):
    tmp, d = utah4
    path = write(tmp, "utah4.parquet", d)
    got, err = indices_cli(path, capsys)
    rows = rows_of(d)
    industries = sorted(d[schema.INDUSTRY].unique().to_list())
    assert sum(v is None for _, _, v in rows) > 500
    ref = ref_region_indices(rows, industries)
    checked = 0
    for row in got.iter_rows(named=True):
        want = ref[row[schema.REGION]]
        if want is None:
            assert row["krugman"] is None and row["herfindahl"] is None, row[schema.REGION]
            continue
        for k, v in want.items():
            assert row[k] == pytest.approx(v, rel=1e-9, abs=1e-12), (row[schema.REGION], k)
        checked += 1
    assert checked >= 20
    gi, _ = indices_cli(path, capsys, "--by", "industry")
    href = ref_hoover_localisation(rows, industries)
    n = 0
    for row in gi.iter_rows(named=True):
        want = href[row[schema.INDUSTRY]]
        if want is None:
            assert row["hoover_localisation"] is None, row[schema.INDUSTRY]
        else:
            assert row["hoover_localisation"] == pytest.approx(want, rel=1e-9, abs=1e-12)
            n += 1
    assert n >= 50


def test_region_with_one_known_industry_is_empty_with_a_note(utah6, capsys, utah_parquet):
    """Piute County (49031), private 6-digit, 2016Q1: 9.7 jobs in its one reported industry,
    16 cells suppressed (88% of its jobs): was Herfindahl 1, entropy 0, Krugman 1.99 --
    'wholly specialised' over what could be seen; now empty, said on stderr."""
    tmp, _ = utah6
    from clusterid.io.tables import scan_canonical

    lf, _ = scan_canonical(str(utah_parquet))
    d = lf.filter((pl.col(schema.LEVEL) == 6) & (pl.col(schema.OWNERSHIP) == "private")
                  & (pl.col(schema.REGION_LEVEL) == "county")
                  & (pl.col(schema.PERIOD) == "2016Q1")).collect()
    got, err = indices_cli(write(tmp, "utah6q1.parquet", d), capsys)
    piute = got.filter(pl.col(schema.REGION) == "49031").row(0, named=True)
    assert piute["n_suppressed"] == 16 and piute["observed_total"] == pytest.approx(9.6667,
                                                                                   abs=1e-3)
    for k in ("krugman", "herfindahl", "herfindahl_normalised", "shannon_entropy",
              "relative_theil", "related_variety", "unrelated_variety", "lq_gini"):
        assert piute[k] is None, k
    assert "1 region (49031) shows activity in one industry only" in err
    # Morgan County (49029) keeps its figures; 49055's one-sector variety is 0, not 1.1e-16
    assert got.filter(pl.col(schema.REGION) == "49029")["krugman"][0] is not None
    assert got.filter(pl.col(schema.REGION) == "49055")["unrelated_variety"][0] == 0.0


def test_region_truly_holding_one_industry(tmp_path, capsys):
    """A region with one industry and nothing suppressed is wholly specialised: H 1, entropy
    0, variety 0, Krugman 2(1 − S_i) = 2(1 − 10/40) = 1.5; no note."""
    rows = [(2016, "A", "1111", 10), (2016, "B", "1111", 0), (2016, "B", "2211", 20),
            (2016, "B", "2212", 10)]
    head = ("period,region,ownership,industry,region_name,region_level,industry_name,"
            "classification,level,employment,employment_status\n")
    path = tmp_path / "one.csv"
    path.write_text(head + "".join(f"{p},{r},total,{i},{r},county,{i},NAICS,4,{v},reported\n"
                                   for p, r, i, v in rows))
    got, err = indices_cli(path, capsys)
    a = got.filter(pl.col(schema.REGION) == "A").row(0, named=True)
    assert (a["herfindahl"], a["herfindahl_normalised"], a["shannon_entropy"],
            a["related_variety"], a["unrelated_variety"]) == (1.0, 1.0, 0.0, 0.0, 0.0)
    assert a["krugman"] == pytest.approx(1.5)
    assert "one industry only" not in err


def test_periods_with_different_industry_coverage(utah4, capsys):
    """2016Q1 at full 4-digit detail, a second period listing only the codes below 5000 (a
    year whose table stops early): said on stderr; --common-industries compares over the
    codes both list, and then the first period equals the table cut to those codes."""
    tmp, d = utah4
    late = d.filter(pl.col(schema.INDUSTRY) < "5000").with_columns(
        pl.lit("2017Q1").alias(schema.PERIOD))
    path = write(tmp, "coverage.parquet", pl.concat([d, late]))
    got, err = indices_cli(path, capsys)
    assert "the periods list different industries" in err and "--common-industries" in err
    n = got.group_by(schema.PERIOD).agg(pl.col("n_cells").first()).sort(schema.PERIOD)
    assert n["n_cells"].to_list()[0] > n["n_cells"].to_list()[1]
    common, err2 = indices_cli(path, capsys, "--common-industries")
    assert "--common-industries:" in err2
    assert common["n_cells"].n_unique() == 1
    cut, _ = indices_cli(write(tmp, "cut.parquet", d.filter(pl.col(schema.INDUSTRY) < "5000")),
                         capsys)
    first = common.filter(pl.col(schema.PERIOD) == "2016Q1").sort(schema.REGION)
    cut = cut.sort(schema.REGION)
    for k in ("krugman", "herfindahl", "shannon_entropy", "related_variety"):
        assert np.allclose(first[k].to_numpy().astype(float), cut[k].to_numpy().astype(float),
                           equal_nan=True), k


# ----------------------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(3, 6), st.data())
def test_combine_columns_is_summing_by_hand(n_regions, n_ind, data):
    """combine_columns on random panels (some cells suppressed) equals summing the group's
    columns by hand, a suppressed member making the group's cell unknown; and shift-share of
    the combined panel adds up."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**31)))
    codes = [f"{k:06d}" for k in range(n_ind)]
    size = data.draw(st.integers(2, n_ind))
    group = sorted(data.draw(st.permutations(codes))[:size])
    panels, obs = [], []
    for _ in range(2):
        v = rng.integers(0, 50, (n_regions, n_ind)).astype(float)
        o = rng.random((n_regions, n_ind)) > 0.15
        panels.append(np.where(o, v, np.nan))
        obs.append(o)
    out = [ss.combine_columns(p, o, codes, [group]) for p, o in zip(panels, obs)]
    labels = out[0][2]
    lab = "+".join(group)
    assert labels == sorted([c for c in codes if c not in group] + [lab])
    k = labels.index(lab)
    idx = [codes.index(c) for c in group]
    for (v, o, _, _), p, ob in zip(out, panels, obs):
        want_o = ob[:, idx].all(axis=1)
        assert (o[:, k] == want_o).all()
        assert np.allclose(v[want_o, k], np.nansum(p[want_o][:, idx], axis=1))
        assert np.isnan(v[~want_o, k]).all()
    cells = ss.shift_share(out[0][0], out[1][0], out[0][1] & out[1][1])
    ok = np.isfinite(cells["regional_share"])
    assert np.allclose((cells["national_share"] + cells["industry_mix"]
                        + cells["regional_share"])[ok], cells["change"][ok])
    E = rng.integers(1, 100, n_ind).astype(float)
    E[idx[0]] = np.nan  # a code that did not exist in the period: no benchmark value
    Ec = ss.combine_benchmark(E, codes, labels, out[0][3])
    assert Ec[k] == pytest.approx(np.nansum(E[idx]))
