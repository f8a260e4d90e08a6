"""A country's total row kept above its regions (ingest --keep-region-totals): a region level of
its own, ``nation``, so the commands that sum regions per level do not count the country with
its own parts (stat.gov.kz's "Республика Казахстан", Destatis' "Deutschland", REAT's
"Insgesamt" above the Länder)."""

from __future__ import annotations

import pytest

from conftest import TEST_DATA, csv_rows, ingest_rows, run_ok

KZ = TEST_DATA / "hunt12" / "kz_yearbook_sections_across_utf8_bom.csv"


def test_the_kept_republic_row_is_the_nation_and_the_oblasts_keep_their_level(tmp_path, capsys):
    rows = ingest_rows(capsys, KZ, tmp_path / "kz.csv", "--keep-region-totals")
    level = {r["region"]: r["region_level"] for r in rows}
    assert level == {"Республика Казахстан": "nation", "Акмолинская область": "",
                     "Актюбинская область": "", "Алматинская область": ""}
    # without the option the row is dropped as before, and nothing is labelled
    rows = ingest_rows(capsys, KZ, tmp_path / "kz2.csv")
    assert {r["region_level"] for r in rows} == {""}
    assert "Республика Казахстан" not in {r["region"] for r in rows}


def test_lq_sums_the_oblasts_only_and_names_the_country_as_a_benchmark(tmp_path, capsys):
    canon = tmp_path / "kz.csv"
    run_ok(["ingest", str(KZ), "-o", str(canon), "--keep-region-totals"], capsys)
    out, err = run_ok(["lq", str(canon), "-o", "-"], capsys)
    rows = csv_rows(out)
    oblast = [r for r in rows if r["region"] == "Акмолинская область" and r["industry"] == "A"]
    # 400.5 + 450.0 + 500.0 thousand: the country's 8,731.2 thousand was counted with them
    assert float(oblast[0]["benchmark_total"]) == pytest.approx(1_350_500)
    assert float(oblast[0]["benchmark_industry_total"]) == pytest.approx(120_300 + 100_000 + 150_000)
    assert "Республика Казахстан (nation)" in err
    assert "--benchmark 'region:Республика Казахстан'" in " ".join(err.split())


def test_indices_names_the_regions_without_a_level_as_such(tmp_path, capsys):
    # it said "region level None (most rows of [None, 'nation']; choose with --region-level)",
    # and the unlabelled level is no value --region-level takes
    canon = tmp_path / "kz.csv"
    run_ok(["ingest", str(KZ), "-o", str(canon), "--keep-region-totals"], capsys)
    _out, err = run_ok(["indices", str(canon), "-o", str(tmp_path / "ind.csv")], capsys)
    assert ("regions without a region level (most rows; the others are at level 'nation': "
            "choose one with --region-level)") in " ".join(err.split()), err
    assert "None" not in err, err


def test_two_total_rows_are_no_country(tmp_path, capsys):
    src = tmp_path / "two.csv"
    src.write_text("region,industry,year,employment\n"
                   "Bayern insgesamt,C,2020,100\nBayern insgesamt,F,2020,50\n"
                   "Sachsen insgesamt,C,2020,60\nSachsen insgesamt,F,2020,40\n"
                   "Leipzig,C,2020,30\nLeipzig,F,2020,20\n", encoding="utf-8")
    rows = ingest_rows(capsys, src, tmp_path / "two_out.csv", "--keep-region-totals")
    assert {r["region_level"] for r in rows} == {""}


def test_two_tables_totals_read_together_are_no_country(tmp_path, capsys):
    """A glob over two Länder's tables, each its Kreise and its own total: each file's one
    total got level 'nation' on its own, two nations in one table ('Bayern insgesamt' and
    'Sachsen insgesamt'), though the same two totals in one file are left as they are.  A glob
    over yearly files of one country keeps its one nation."""
    import json

    folder = tmp_path / "laender"
    folder.mkdir()
    (folder / "by.csv").write_text("region,industry,year,employment\n"
                                   "Bayern insgesamt,C,2020,100\nBayern insgesamt,F,2020,50\n"
                                   "München,C,2020,70\nMünchen,F,2020,30\n", encoding="utf-8")
    (folder / "sn.csv").write_text("region,industry,year,employment\n"
                                   "Sachsen insgesamt,C,2020,60\nSachsen insgesamt,F,2020,40\n"
                                   "Leipzig,C,2020,30\nLeipzig,F,2020,20\n", encoding="utf-8")
    out = tmp_path / "two_out.csv"
    rows = ingest_rows(capsys, folder / "*.csv", out, "--keep-region-totals")
    assert {r["region_level"] for r in rows} == {""}
    notes = json.loads(out.with_name(out.name + ".meta.json").read_text(encoding="utf-8"))["notes"]
    assert [n for n in notes if "'Bayern insgesamt', 'Sachsen insgesamt'" in n], notes
    years = tmp_path / "years"
    years.mkdir()
    for year in (2020, 2021):
        (years / f"de{year}.csv").write_text(
            "region,industry,year,employment\n"
            f"Deutschland,C,{year},160\nBayern,C,{year},100\nSachsen,C,{year},60\n", encoding="utf-8")
    rows = ingest_rows(capsys, years / "*.csv", tmp_path / "years_out.csv", "--keep-region-totals")
    assert {(r["region"], r["region_level"]) for r in rows} == {
        ("Deutschland", "nation"), ("Bayern", ""), ("Sachsen", "")}


def test_reat_laender_total_is_the_nation(tmp_path, capsys):
    from conftest import shared_path

    src = shared_path("reat_germany_eu", "REAT_G.regions.emp.csv")
    rows = ingest_rows(capsys, src, tmp_path / "de.csv", "--keep-region-totals")
    levels = {r["region"]: r["region_level"] for r in rows}
    assert levels.pop("Insgesamt") == "nation"
    assert len(levels) == 16 and set(levels.values()) == {""}


# ------------------------------------------------------------------ impute: regions inside the nation

def _canon(capsys, src, out, *extra):
    import polars as pl

    run_ok(["ingest", str(src), "-o", str(out), "--keep-region-totals", *extra], capsys)
    return pl.read_csv(out, infer_schema_length=0)


def test_a_suppressed_oblast_is_bounded_by_the_republic_minus_the_published_oblasts(tmp_path, capsys):
    """hunt12's yearbook: three oblasts of 17 below the republic, so the link is "at most".
    Актюбинская B ('-') was [0, 249,400] (its own total minus its published sections); the
    republic's B (250.1 thousand) minus Акмолинская's 10.2 and Алматинская's 5.5 leaves
    234,400.  The republic's C ('...') was [0, 7,277,700]; the oblasts publish 60.5 + 70.0."""
    canon = tmp_path / "kz.csv"
    _canon(capsys, KZ, canon)
    out, err = run_ok(["impute", str(canon), "-o", "-"], capsys)
    got = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    b = got[("Актюбинская область", "B")]
    assert (float(b["employment_lower"]), float(b["employment_upper"])) == (0.0, 234_400.0)
    c = got[("Республика Казахстан", "C")]
    assert (float(c["employment_lower"]), float(c["employment_upper"])) == (130_500.0, 7_207_600.0)
    # the republic's prior is the oblasts' share, as before it had a level of its own
    assert float(c["employment"]) == pytest.approx(1_199_391.157895)


def test_laender_add_up_to_the_reat_total_and_pin_a_suppressed_land(tmp_path, capsys):
    """REAT's Länder table with its Insgesamt row: every published (year, section) adds up
    exactly, so the link is exact and a Land's cell hidden here is pinned to the total minus
    the other fifteen."""
    import polars as pl

    from clusterid.core import bounds

    from conftest import shared_path

    src = shared_path("reat_germany_eu", "REAT_G.regions.emp.csv")
    df = _canon(capsys, src, tmp_path / "de.csv").with_columns(
        pl.col("employment").cast(pl.Float64), pl.col("level").cast(pl.Int8))
    hide = (pl.col("region") == "Bayern") & (pl.col("period") == "2010") & (pl.col("industry") == "F")
    want = df.filter(hide)["employment"].item()
    hidden = df.with_columns(
        pl.when(hide).then(None).otherwise(pl.col("employment")).alias("employment"),
        pl.when(hide).then(pl.lit("suppressed")).otherwise(pl.col("employment_status"))
        .alias("employment_status"))
    st = bounds.build_structure(hidden)
    assert st.link_status["area region->nation"] == bounds.EXACT
    bounds.propagate(st)
    i = hidden.with_row_index().filter(hide)["index"].item()
    assert st.lower[i] == st.upper[i] == want


# ------------------------------------------------------------------ rounded tables

ROUNDED = TEST_DATA / "rounded" / "kz_republic_over_oblasts_rounded.csv"


def test_rounded_yearbook_links_add_up_within_rounding(tmp_path, capsys):
    """17 regions in thousands with one decimal: the published oblasts' A comes to 200 persons
    more than the republic's (rounding), so the link was 'not used' and Атырауская B ('к')
    kept [0, 444,800] from its own total; within 17 x 50 + 50 persons it is the republic
    minus the sixteen published oblasts: [44,400, 46,200] (the invented figure: 45,283)."""
    canon = tmp_path / "kzr.csv"
    _canon(capsys, ROUNDED, canon)
    out, err = run_ok(["impute", str(canon), "-o", "-"], capsys)
    got = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    b = got[("Атырауская область", "B")]
    assert (float(b["employment_lower"]), float(b["employment_upper"])) == (44_400.0, 46_200.0)
    assert float(b["employment"]) == pytest.approx(45_300.0)
    c = got[("Мангистауская область", "C")]
    assert (float(c["employment_lower"]), float(c["employment_upper"])) == (60_000.0, 61_800.0)
    assert "not used" not in err
    assert "published rounded (to 100)" in " ".join(err.split())


def _grid():
    """Three regions and their nation, sections A, B, C making up each total, every figure
    the unrounded one (whole + 0.06 thousand) rounded to 0.1 thousand: each group's children
    come to 100 persons more than its parent."""
    import polars as pl

    from clusterid.io.canonical import to_canonical

    true = {"X": (10.06, 20.06, 30.06), "Y": (5.06, 6.06, 7.06), "Z": (1.06, 2.06, 3.06)}
    rows = []
    for region, cells in true.items():
        rows += [(region, "10", round(sum(cells), 1))]
        rows += [(region, code, round(v, 1)) for code, v in zip("ABC", cells)]
    nation = [sum(c[i] for c in true.values()) for i in range(3)]
    rows += [("N", "10", round(sum(nation), 1))]
    rows += [("N", code, round(v, 1)) for code, v in zip("ABC", nation)]
    df = pl.DataFrame({
        "period": ["2021"] * len(rows), "region": [r[0] for r in rows],
        "industry": [r[1] for r in rows], "employment": [r[2] * 1000 for r in rows],
        "region_level": ["nation" if r[0] == "N" else None for r in rows],
        "classification": ["NACE"] * len(rows), "level": [0 if r[1] == "10" else 1 for r in rows]},
        schema_overrides={"level": pl.Int8, "region_level": pl.String})
    return to_canonical(df.lazy()).collect()


def test_rounded_margins_that_cannot_add_up_exactly_are_fitted_within_rounding():
    """X's and Y's A and B hidden, and the nation's A: the published margins ask X A + Y A to
    be 15,100 (from B's column and the rows) and 15,000 (the nation's A from its total, less
    Z's A) at once, which no values meet exactly: the solver found no solution and left the
    prior.  Within rounding every group holds."""
    import polars as pl

    from clusterid.core import impute

    df = _grid()
    hide = (pl.col("region").is_in(["X", "Y"]) & pl.col("industry").is_in(["A", "B"])) | (
        (pl.col("region") == "N") & (pl.col("industry") == "A"))
    df = df.with_columns(pl.when(hide).then(None).otherwise(pl.col("employment")).alias("employment"),
                         pl.when(hide).then(pl.lit("suppressed"))
                         .otherwise(pl.col("employment_status")).alias("employment_status"))
    out, info = impute.impute(df)
    assert not [n for n in info.notes if "no solution" in n], info.notes
    v = {(r["region"], r["industry"]): r["employment"] for r in out.iter_rows(named=True)}
    for region in "XYZN":  # each region's sections within 3 x 50 + 50 of its total
        assert abs(sum(v[region, c] for c in "ABC") - v[region, "10"]) <= 200 + 1e-6
    for code in ("10", "A", "B", "C"):  # each section's regions within 3 x 50 + 50 of the nation
        assert abs(sum(v[r, code] for r in "XYZ") - v["N", code]) <= 200 + 1e-6


def test_the_solver_takes_a_rounded_tables_exact_rows_within_their_band():
    """Two rows and two columns of hidden cells whose published margins disagree by 0.1
    (rows 30.1 + 11.1, columns 15.0 + 26.1): as equalities they have no solution; each within
    0.2 of its margin they do, and the fit stays within that."""
    import numpy as np
    import scipy.sparse as sp

    from clusterid.core import impute

    sub = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]], float))
    rhs = np.array([30.1, 11.1, 15.0, 26.1])
    exact = np.ones(4, dtype=bool)
    target, weight = np.array([10.0, 20.0, 5.0, 6.0]), np.ones(4)
    lo, hi = np.zeros(4), np.full(4, np.inf)
    _, ok, _ = impute._solve_block(target, weight, lo, hi, *impute._rows(sub, rhs, exact, np.zeros(4)))
    assert not ok
    x, ok, _ = impute._solve_block(target, weight, lo, hi, *impute._rows(sub, rhs, exact, np.full(4, 0.2)))
    assert ok and np.all(np.abs(sub @ x - rhs) <= 0.2 + 1e-6)


@pytest.mark.parametrize("values, step", [
    ([1_203_400.0, 250_100.0, 400_500.0], 100.0),   # thousands with one decimal, in persons
    ([1_203.4, 250.1, 400.5], 0.1),                   # the same left in thousands
    ([7_000_000.0, 3_000.0], 1000.0),
    ([120.0, 37.0, 5.0], None),                       # whole counts: exact, not rounded (QCEW)
    ([100.0 / 3, 12.0], None),                        # QCEW's quarterly averages: thirds
    ([0.0], None),
])
def test_published_step(values, step):
    import numpy as np

    from clusterid.core import bounds

    v = np.array(values)
    assert bounds._published_step(v, np.ones(len(v), dtype=bool)) == step


def test_an_at_most_row_of_a_rounded_table_holds_within_rounding():
    """Sections A, B, C, F of three oblasts and their republic (the oblasts' other sections
    unlisted, so sections -> total is only 'at most'), the unrounded figures rounded to 0.1
    thousand: O1's published A + B + F (60.1 + 40.0 + 10.1) come to 100 persons more than its
    total (110.1), its C ('к', 30 persons) bounded [0, 150].  The solver took that row as
    C <= -100 and said the block had no solution ('contradictory published figures'), the
    prior clipped; within rounding, as the bounds take it, it holds."""
    import polars as pl

    from clusterid.core import impute
    from clusterid.io.canonical import to_canonical

    true = {"O1": {"A": 60.05, "B": 39.96, "C": 0.03, "F": 10.06},
            "O2": {"A": 20.0, "B": 30.0, "C": 10.0, "F": 10.06, "other": 20.0},
            "O3": {"A": 10.0, "B": 10.0, "C": 10.0, "F": 10.06, "other": 10.0}}
    true["RK"] = {s: sum(v.get(s, 0.0) for v in true.values()) for s in ("A", "B", "C", "F", "other")}
    rows = []
    for region, cells in true.items():
        rows.append((region, "10", sum(cells.values())))
        rows += [(region, s, cells[s]) for s in "ABCF"]
    # thousands rounded half up to one decimal, in persons (float noise of the sums left out)
    published = [int(round(v, 6) * 10 + 0.5) * 100.0 for _, _, v in rows]
    df = pl.DataFrame({
        "period": ["2021"] * len(rows), "region": [r[0] for r in rows],
        "industry": [r[1] for r in rows],
        "employment": [None if r[:2] == ("O1", "C") else v for r, v in zip(rows, published)],
        "region_level": ["nation" if r[0] == "RK" else "oblast" for r in rows],
        "classification": ["NACE"] * len(rows), "level": [0 if r[1] == "10" else 1 for r in rows]},
        schema_overrides={"level": pl.Int8, "region_level": pl.String, "employment": pl.Float64})
    df = to_canonical(df.lazy()).collect()
    df = df.with_columns(pl.when(pl.col("employment").is_null()).then(pl.lit("suppressed"))
                         .otherwise(pl.col("employment_status")).alias("employment_status"))
    out, info = impute.impute(df)
    assert not [n for n in info.notes if "no solution" in n], info.notes
    c = out.filter((pl.col("region") == "O1") & (pl.col("industry") == "C")).row(0, named=True)
    assert (c["employment_lower"], c["employment_upper"]) == (0.0, 150.0)
    assert 0.0 <= c["employment"] <= 150.0 + 1e-6


def test_the_rounding_note_writes_a_large_step_in_full():
    """The note said 'rounded (to 1e+06) ... n_children x 500000 + 500000' of a table in
    dollars rounded to millions: one number in two notations."""
    import polars as pl

    from clusterid.core import impute

    df = _grid().with_columns((pl.col("employment") * 10_000).alias("employment"))
    hide = (pl.col("region") == "X") & (pl.col("industry") == "A")
    df = df.with_columns(pl.when(hide).then(None).otherwise(pl.col("employment")).alias("employment"),
                         pl.when(hide).then(pl.lit("suppressed"))
                         .otherwise(pl.col("employment_status")).alias("employment_status"))
    _, info = impute.impute(df)
    note = [n for n in info.notes if "published rounded" in n]
    assert note and "(to 1,000,000)" in note[0] and "x 500,000 + 500,000 either way" in note[0], info.notes


# Rosstat's "Регионы России" table by federal district and subject (cp1251, ';', thousands with
# a decimal comma, an empty corner cell), an excerpt whose Российская Федерация row is the sum
# of the subjects listed; invented figures.  Архангельская область (with its okrug) is listed
# beside its two parts, as Rosstat lists it; 'к': confidential.
_ROSSTAT_K = """Среднегодовая численность занятых по видам экономической деятельности в 2021 г.
(тысяч человек)
;A;B;C
Российская Федерация;225,7;51,1;385,0
Центральный федеральный округ;181,8;23,7;257,8
Белгородская область;122,8;22,5;102,2
Брянская область;58,9;к;83,6
Москва;0,1;0,3;72,0
Северо-Западный федеральный округ;43,9;27,4;127,2
Архангельская область;40,0;25,0;115,0
Ненецкий автономный округ;2,0;10,0;1,0
Архангельская область без автономного округа;38,0;15,0;114,0
Калининградская область;3,9;2,4;12,2
"""


def test_a_confidential_subject_is_pinned_by_the_russian_federation_beside_federal_districts(
        tmp_path, capsys):
    """The federal districts listed among the subjects are a second level below the nation;
    the link to the nation was made only for a table of one other level, so Брянская B ('к')
    had no bound at all and was left suppressed.  Each level is now linked to the nation on
    its own: the subjects' B is 51.1 thousand minus 22.5 + 0.3 + 10.0 + 15.0 + 2.4, 900."""
    src = tmp_path / "rosstat_2021.csv"
    src.write_bytes(_ROSSTAT_K.encode("cp1251"))
    canon = tmp_path / "rs.csv"
    _canon(capsys, src, canon)
    out, _err = run_ok(["impute", str(canon), "-o", "-"], capsys)
    got = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    b = got[("Брянская область", "B")]
    assert (b["employment"], b["employment_status"]) == ("900.0", "estimated")
    assert (float(b["employment_lower"]), float(b["employment_upper"])) == (900.0, 900.0)
    # lq's imputation takes the same bound
    out, _err = run_ok(["lq", str(canon), "--suppressed", "impute", "-o", "-"], capsys)
    lq = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    assert float(lq[("Брянская область", "B")]["value"]) == 900.0


# stat.gov.kz's yearbook table of employees by region and section, as its CSV export gives it
# (cp1251, ';', CRLF, a title and a unit line, the republic above the 17 oblasts and the 3
# cities of republican status, a note under the table): an excerpt of five sections, whole
# persons, invented figures whose republic is the sum of its regions; 'к' confidential
# (Атырауская B: 45,969 in the republic's 491,662).
_KZ20 = """Численность наемных работников по видам экономической деятельности и регионам за 2023 год;;;;;;
(человек);;;;;;
Регион;Всего;A;B;C;F;G
Республика Казахстан;8157569;510771;491662;687917;698412;698507
Абайская область;370226;58650;35397;40080;50379;26153
Акмолинская область;254878;9016;26290;12687;14327;28652
Актюбинская область;548246;54632;13556;41119;5160;43634
Алматинская область;495815;10804;47483;43744;57762;27108
Атырауская область;372011;11136;к;7625;53514;45509
Западно-Казахстанская область;419239;52280;17591;45987;34600;13619
Жамбылская область;508236;41975;22188;25212;16946;53329
Жетысуская область;232392;7178;7195;6631;14012;42273
Карагандинская область;254698;8332;8342;52574;21462;56221
Костанайская область;468257;16376;40293;53886;15379;39906
Кызылординская область;323463;13085;24417;31925;56619;51724
Мангистауская область;562593;35533;28776;13782;48064;48359
Павлодарская область;383737;12311;45440;38242;46036;8369
Северо-Казахстанская область;378203;49393;57512;58483;25855;43030
Туркестанская область;426854;36401;3165;23033;39054;4700
Улытауская область;473690;35964;7016;4289;48011;43507
Восточно-Казахстанская область;304829;3734;4019;36076;30124;59822
г. Астана;607143;36585;22939;58453;57318;48879
г. Алматы;384182;11875;20517;44319;17731;5638
г. Шымкент;388877;5511;13557;49770;46059;8075
Примечание: к - данные не публикуются в целях обеспечения конфиденциальности;;;;;;
"""


def test_ingest_says_the_dropped_republic_would_bound_the_confidential_cell(tmp_path, capsys):
    """Ingested as it comes, the republic is dropped as a region total, and impute guessed
    Атырауская B from its prior with nothing said of the row that pins it; ingest now says so,
    and with --keep-region-totals the cell is the republic minus the 19 other regions, through
    ingest, impute, lq --suppressed impute and detect --suppressed impute."""
    src = tmp_path / "kz_2023.csv"
    src.write_bytes(_KZ20.replace("\n", "\r\n").encode("cp1251"))
    _out, err = run_ok(["ingest", str(src), "-o", str(tmp_path / "plain.csv")], capsys)
    note = ("1 suppressed cell, and the region total rows that would bound it were dropped: keep "
            "them with --keep-region-totals")
    assert note in " ".join(err.split()), err
    canon = tmp_path / "kz.csv"
    _out, err = run_ok(["ingest", str(src), "-o", str(canon), "--keep-region-totals"], capsys)
    assert "would bound" not in err
    out, _err = run_ok(["impute", str(canon), "-o", "-"], capsys)
    b = {(r["region"], r["industry"]): r for r in csv_rows(out)}[("Атырауская область", "B")]
    assert (float(b["employment_lower"]), float(b["employment"]), float(b["employment_upper"])) \
        == (45_969.0, 45_969.0, 45_969.0)
    out, _err = run_ok(["lq", str(canon), "--suppressed", "impute", "-o", "-"], capsys)
    lq = {(r["region"], r["industry"]): r for r in csv_rows(out)}
    # Атырауская's B share over the 20 regions' (the republic not among them): 45,969 / 372,011
    # against 491,662 / 8,157,569
    assert float(lq[("Атырауская область", "B")]["lq"]) == pytest.approx(
        (45_969 / 372_011) / (491_662 / 8_157_569), rel=1e-6)
    run_ok(["detect", str(canon), "--suppressed", "impute", "-o", str(tmp_path / "det")], capsys)
    import csv as _csv

    with open(tmp_path / "det" / "regional_clusters.csv", encoding="utf-8") as fh:
        rows = list(_csv.DictReader(fh))
    # the pinned cell leaves no spread in any of Атырауская's clusters
    atyrau = [r for r in rows if r["region"] == "Атырауская область"]
    assert atyrau and all(float(r["employment_lower"]) == float(r["employment"])
                          == float(r["employment_upper"]) for r in atyrau)
    assert not [r for r in rows if r["region"] == "Республика Казахстан" and r["strong"] == "true"]


def test_no_word_where_nothing_is_suppressed_or_no_total_was_dropped(tmp_path, capsys):
    src = tmp_path / "kz_2023.csv"
    src.write_bytes(_KZ20.replace(";к;", ";45969;").encode("cp1251"))
    _out, err = run_ok(["ingest", str(src), "-o", str(tmp_path / "a.csv")], capsys)
    assert "would bound" not in err
    src.write_bytes("\n".join(line for line in _KZ20.splitlines()
                              if not line.startswith("Республика")).encode("cp1251"))
    _out, err = run_ok(["ingest", str(src), "-o", str(tmp_path / "b.csv")], capsys)
    assert "would bound" not in err
