"""The later stages (stats, lq, indices, shift-share, impute, detect, report, run) on tables a
regional statistician outside the US brings: Kazakh OKED oblasts in cp1251, German Länder,
Eurostat NUTS 2, one region, one period, suppressed industries, zero regions; pipelines run
from another folder.  Every number is checked against a computation written out in the test.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import TEST_DATA, run_main

REAT = TEST_DATA / "reat"


def _table(path: Path) -> dict[tuple, float]:
    """A canonical CSV as {(period, region, industry): employment} (None where missing)."""
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return {(r["period"], r["region"], r["industry"]):
                (float(r["employment"]) if r["employment"] else None) for r in csv.DictReader(fh)}


def _rows(path: Path) -> list[dict]:
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _csv_rows(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def _check_dunn(ss_csv: Path, region_csv: Path, bench_csv: Path, p0: str, p1: str) -> None:
    """Dunn's NS / IM / RS of every cell against METHODS.md §3 with the benchmark file's own
    all-industry row (industry 10) as E and its industry rows as E_i."""
    e, E = _table(region_csv), _table(bench_csv)
    (nation,) = {k[1] for k in E}
    G = E[(p1, nation, "10")] / E[(p0, nation, "10")] - 1
    rows = _rows(ss_csv)
    assert rows
    for r in rows:
        i, j = r["industry"], r["region"]
        e0, e1 = e[(p0, j, i)], e[(p1, j, i)]
        Gi = E[(p1, nation, i)] / E[(p0, nation, i)] - 1
        assert float(r["national_share"]) == pytest.approx(e0 * G, rel=1e-9)
        assert float(r["industry_mix"]) == pytest.approx(e0 * (Gi - G), rel=1e-9, abs=1e-9)
        assert float(r["regional_share"]) == pytest.approx(e1 - e0 * (1 + Gi), rel=1e-9, abs=1e-6)


# --------------------------------------------------------------------------- clusterid run

def _goettingen_project(root: Path, benchmark: str) -> Path:
    (root / "data").mkdir(parents=True)
    for name in ("goettingen.csv", "goettingen_germany.csv"):
        shutil.copy(REAT / name, root / "data" / name)
    pipe = root / "pipeline.toml"
    pipe.write_text(textwrap.dedent(f"""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "shift-share"
        inputs = ["data/goettingen.csv"]
        output = "ss.csv"
        options = {{ from = "2008", to = "2017", benchmark = "{benchmark}" }}
    """), encoding="utf-8")
    return pipe


def test_run_option_file_is_relative_to_the_pipeline_and_tracked(tmp_path, monkeypatch, capsys):
    """A benchmark FILE named in a stage's options was passed on as written, so it was read
    relative to the working directory: a pipeline run from anywhere but its own folder failed
    (exit 2, "expected sum, rest, region:ID or an existing reference file") or read another
    file; and an edited benchmark file did not make the stage run again."""
    pipe = _goettingen_project(tmp_path / "proj", "data/goettingen_germany.csv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run_main(["run", str(pipe), "--log-json"], capsys)
    assert code == 0, err
    _check_dunn(tmp_path / "proj" / "out" / "ss.csv", REAT / "goettingen.csv",
                REAT / "goettingen_germany.csv", "2008", "2017")
    code, _, err = run_main(["run", str(pipe), "--log-json"], capsys)
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert code == 0 and [e["status"] for e in events] == ["skipped"], err

    bench = tmp_path / "proj" / "data" / "goettingen_germany.csv"
    bench.write_text(bench.read_text(encoding="utf-8").replace(",215570.0,", ",215571.0,"),
                     encoding="utf-8")
    code, _, err = run_main(["run", str(pipe), "--log-json"], capsys)
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert code == 0, err
    assert [(e["status"], e["reason"]) for e in events] == [
        ("run", "input goettingen_germany.csv changed")]


def test_run_option_file_missing_is_named(tmp_path, monkeypatch, capsys):
    pipe = _goettingen_project(tmp_path / "proj", "data/no_such_benchmark.csv")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(["run", str(pipe)], capsys)
    assert code == 2
    assert "no_such_benchmark.csv: no such file" in err
    assert not (tmp_path / "proj" / "out" / "ss.csv").exists()


# --------------------------------------------------------------------------- Eurostat NUTS 2

P2 = TEST_DATA / "pipeline2"
NUTS2 = P2 / "nama_10r_3empers_at_nuts2.tsv"
# The parts the table publishes that do not overlap: B-E (C alone is only part of it),
# G-I + J (not G-J), K + L + M_N (not K-N), O-Q + R-U (not O-U).
NUTS2_PARTITION = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]


def _eurostat_cells(path: Path) -> dict[tuple, float | None]:
    """The bulk TSV read by hand: {(year, geo, nace): persons} (None for ': c')."""
    out = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    years = [h.strip() for h in lines[0].split("\t")[1:]]
    for line in lines[1:]:
        head, *cells = line.split("\t")
        _unit, _wstatus, nace, geo = head.split(",")
        for y, cell in zip(years, cells):
            num = cell.strip().split(" ")[0]
            out[(y, geo, nace)] = None if num == ":" else round(float(num) * 1000, 6)
    return out


def _ingested(tmp_path_factory, src, name: str):
    """``src`` ingested once per module into a canonical CSV ``name``."""
    from clusterid.cli.app import main

    out = tmp_path_factory.mktemp(Path(name).stem) / name
    try:
        main(["--quiet", "ingest", str(src), "-o", str(out)])
    except SystemExit as exc:
        assert exc.code in (0, None)
    return out


@pytest.fixture(scope="module")
def nuts2_canonical(tmp_path_factory):
    return _ingested(tmp_path_factory, NUTS2, "at.csv")


def test_indices_leave_out_overlapping_eurostat_aggregates(nuts2_canonical, capsys):
    """nama_10r_3empers publishes B-E beside C, G-J beside G-I and J, K-N beside K, L and M_N:
    indices summed every level-1 row, so a region's observed total was 1.7 times its TOTAL and
    Krugman, Herfindahl and entropy were computed on shares that added up to 1.7."""
    code, out, err = run_main(["indices", str(nuts2_canonical), "-o", "-", "--period", "2019"],
                              capsys)
    assert code == 0, err
    assert "C (part of B-E)" in err and "G-J (G-I + J)" in err
    cells = _eurostat_cells(NUTS2)
    regions = sorted({g for (_, g, _) in cells})
    obs = {(g, i): cells[("2019", g, i)] for g in regions for i in NUTS2_PARTITION
           if cells[("2019", g, i)] is not None}
    E_i = {i: sum(v for (g, k), v in obs.items() if k == i) for i in NUTS2_PARTITION}
    rows = {r["region"]: r for r in _csv_rows(out)}
    assert sorted(rows) == regions
    for g in regions:
        e = {i: v for (gg, i), v in obs.items() if gg == g}
        e_j = sum(e.values())
        s = {i: v / e_j for i, v in e.items()}
        # S_i renormalised over the region's observed industries (core.indices.krugman)
        E_seen = sum(E_i[i] for i in e)
        krugman = sum(abs(s[i] - E_i[i] / E_seen) for i in e)
        herf = sum(v * v for v in s.values())
        r = rows[g]
        assert float(r["observed_total"]) == pytest.approx(e_j)
        assert float(r["missing_share"]) == pytest.approx(1 - e_j / cells[("2019", g, "TOTAL")],
                                                          abs=1e-12)
        assert float(r["krugman"]) == pytest.approx(krugman, rel=1e-9)
        assert float(r["herfindahl"]) == pytest.approx(herf, rel=1e-9)
    # the region with L suppressed misses exactly L's share of its TOTAL
    assert 0 < float(rows["AT11"]["missing_share"]) < 0.2
    assert float(rows["AT12"]["missing_share"]) == pytest.approx(0.0, abs=1e-12)


def test_shift_share_regions_add_up_to_total_change_without_double_counting(nuts2_canonical,
                                                                              capsys):
    code, out, err = run_main(["shift-share", str(nuts2_canonical), "--from", "2018", "--to",
                               "2021", "--by", "region", "-o", "-"], capsys)
    assert code == 0, err
    cells = _eurostat_cells(NUTS2)
    for r in _csv_rows(out):
        g = r["region"]
        if g in ("AT11", "AT32", "AT34"):  # cells suppressed in one of the two years
            continue
        assert float(r["base"]) == pytest.approx(cells[("2018", g, "TOTAL")], rel=1e-9)
        assert float(r["final"]) == pytest.approx(cells[("2021", g, "TOTAL")], rel=1e-9)


def test_overlapping_aggregates_rules():
    from clusterid.core.codes import overlapping_aggregates

    assert overlapping_aggregates(["A", "B-E", "F", "G-I", "J", "K", "L", "M-N"]) == {}
    assert overlapping_aggregates(["G", "H", "I", "G-I", "J", "G-J"]) == {
        "G-I": "G + H + I", "G-J": "G + H + I + J"}
    assert overlapping_aggregates(["G", "G-I", "J", "G-J"]) == {"G": "part of G-I",
                                                                "G-J": "G-I + J"}
    assert overlapping_aggregates(["BDE", "C", "B-E"]) == {"B-E": "BDE + C"}


def test_detect_on_sections_counts_overlapping_aggregates_once(nuts2_canonical, tmp_path, capsys):
    """detect grouped B-E and C, G-J and G-I as separate industries of the same table: a
    cluster holding both had more employment than its region (share 1.12 in AT12, 2018)."""
    out = tmp_path / "detect"
    code, _, err = run_main(["detect", str(nuts2_canonical), "-o", str(out),
                             "--random-state", "0", "--n-clusters", "2"], capsys)
    assert code == 0, err
    members = {r["industry"]: r["cluster_id"] for r in _rows(out / "clusters.csv")}
    assert sorted(members) == sorted(NUTS2_PARTITION)
    cells = _eurostat_cells(NUTS2)
    by_region: dict[tuple, float] = {}
    for r in _rows(out / "regional_clusters.csv"):
        key = (r["period"], r["region"])
        mine = [i for i, c in members.items() if c == r["cluster_id"]]
        values = [cells[(r["period"], r["region"], i)] for i in mine]
        if None not in values:
            assert float(r["employment"]) == pytest.approx(sum(values), rel=1e-9)
        by_region[key] = by_region.get(key, 0.0) + float(r["employment"])
        assert float(r["region_employment"]) == pytest.approx(cells[(*key, "TOTAL")], rel=1e-9)
        assert 0.0 <= float(r["share"]) <= 1.0
    assert by_region[("2018", "AT12")] == pytest.approx(cells[("2018", "AT12", "TOTAL")], rel=1e-9)
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["left_out_overlapping_aggregates"]["C"] == "part of B-E"


# --------------------------------------------------------------------------- shell chaining

def test_reader_gone_before_the_first_write_is_not_bad_data():
    """`clusterid stats t.csv | grep -q x` or `| true`: when the reader has closed the pipe
    before the first write, Typer exited 1 -- "the input data is bad" -- with no message, which
    stops a `set -o pipefail` script; a broken pipe is exit 0 as with `| head`."""
    import subprocess
    import sys

    table = REAT / "laender_emp.csv"
    for argv in (["stats", str(table)], ["lq", str(table), "-o", "-"]):
        p = subprocess.Popen([sys.executable, "-m", "clusterid", *argv], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        p.stdout.close()  # gone long before the child has read its input
        err = p.stderr.read().decode()
        p.wait(timeout=60)
        assert p.returncode == 0, (argv, err)
        assert "error" not in err


# --------------------------------------------------------------------------- Kazakh OKED table

KZ = P2 / "kz_oked_oblasts_cp1251.csv"


def _kz_cells() -> dict[tuple, float | None]:
    """The cp1251 table read by hand: {(year, oblast, code): persons}, None for x / ...;
    the republic total row left out, 'Всего' as code 10."""
    import csv

    lines = KZ.read_text(encoding="cp1251").splitlines()[3:]
    out = {}
    for r in csv.DictReader(lines, delimiter=";"):
        if r["Область"] == "Республика Казахстан":
            continue
        code = "10" if r["Код ОКЭД"] == "Всего" else r["Код ОКЭД"]
        cell = r["Численность работников"].replace(" ", "")
        out[(r["Год"], r["Область"], code)] = None if cell in ("x", "...") else float(cell)
    return out


@pytest.fixture(scope="module")
def kz_canonical(tmp_path_factory):
    return _ingested(tmp_path_factory, KZ, "kz.csv")


def test_stats_coverage_of_a_table_with_divisions_for_some_sections(kz_canonical, capsys):
    """A Kazakh table breaks B and C into divisions and leaves the other sections whole:
    coverage summed the divisions only (level 2, the deepest) and said 13.5 % of Akmola's
    employment was accounted for when nothing was suppressed; the finest cells are the
    divisions and the sections without divisions."""
    code, out, err = run_main(["stats", str(kz_canonical), "-o", "-", "--output-format", "csv"],
                              capsys)
    assert code == 0, err
    cells = _kz_cells()
    rows = _csv_rows(out)
    assert len(rows) == 18
    for r in rows:
        p, g = r["period"], r["region"]
        finest = [v for (pp, gg, c), v in cells.items() if (pp, gg) == (p, g) and c != "10"
                  and c not in ("B", "C") and v is not None]
        assert float(r["detail_reported"]) == pytest.approx(sum(finest), rel=1e-12)
        assert float(r["coverage"]) == pytest.approx(sum(finest) / cells[(p, g, "10")], rel=1e-6)
        if int(r["suppressed"]) == 0:  # the divisions leave 0-500 of B and C unlisted
            assert float(r["coverage"]) > 0.99


# --------------------------------------------------------------------------- German Länder

def test_dynamic_shift_share_laender_against_a_hand_computation(capsys):
    """REAT's German Länder x WZ 2008 sections, 2008-2014, chained year by year: each step's
    Dunn components against METHODS.md §3 with the sum of the Länder as benchmark, and the
    chained row the sum of the steps (NS + IM + RS = e_2014 - e_2008)."""
    table = REAT / "laender_emp.csv"
    code, out, err = run_main(["shift-share", str(table), "--from", "2008", "--to", "2014",
                               "--dynamic", "-o", "-"], capsys)
    assert code == 0, err
    e = {k: v for k, v in _table(table).items() if k[2] != "10"}
    years = [str(y) for y in range(2008, 2015)]
    industries = sorted({k[2] for k in e})
    regions = sorted({k[1] for k in e})
    assert len(regions) == 16 and len(industries) == 10
    expect = {}
    for p0, p1 in zip(years, years[1:]):
        E0 = {i: sum(e[(p0, j, i)] for j in regions) for i in industries}
        E1 = {i: sum(e[(p1, j, i)] for j in regions) for i in industries}
        G = sum(E1.values()) / sum(E0.values()) - 1
        for j in regions:
            for i in industries:
                e0, e1, Gi = e[(p0, j, i)], e[(p1, j, i)], E1[i] / E0[i] - 1
                expect[("step", p0, j, i)] = (e0 * G, e0 * (Gi - G), e1 - e0 * (1 + Gi))
    for j in regions:
        for i in industries:
            steps = [expect[("step", p, j, i)] for p in years[:-1]]
            expect[("chained", "2008", j, i)] = tuple(sum(s[k] for s in steps) for k in range(3))
    rows = _csv_rows(out)
    assert len(rows) == len(expect)
    for r in rows:
        ns, im, rs = expect[(r["span"], r["period_from"], r["region"], r["industry"])]
        assert float(r["national_share"]) == pytest.approx(ns, rel=1e-9, abs=1e-6)
        assert float(r["industry_mix"]) == pytest.approx(im, rel=1e-9, abs=1e-6)
        assert float(r["regional_share"]) == pytest.approx(rs, rel=1e-9, abs=1e-6)
        if r["span"] == "chained":
            change = e[("2014", r["region"], r["industry"])] - e[("2008", r["region"], r["industry"])]
            assert ns + im + rs == pytest.approx(change, abs=1e-6)


def test_impute_without_establishment_counts_uses_the_regions_totals(tmp_path, capsys):
    """Tables outside the US carry no establishment counts, so every suppressed cell fell back
    to the middle of its bounds: agriculture in Landkreis Diepholz ('-', total 70,001) became
    32,000 jobs and construction in Göttingen 59,600 (it has 5,100 the year after).  The prior
    is now the region's published total times the cell's own share in other periods, else the
    industry's share of the totals of the regions where it is published (LQ = 1)."""
    table = TEST_DATA / "generic" / "de_13111_kreise_levels_latin1.csv"
    canonical = tmp_path / "kreise.csv"
    code, _, err = run_main(["ingest", str(table), "-o", str(canonical)], capsys)
    assert code == 0, err
    code, out, err = run_main(["impute", str(canonical), "-o", "-"], capsys)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in _csv_rows(out)}
    e = _table(canonical)  # the published cells (None where suppressed)
    # Göttingen F 2017: its own share in 2018 times its 2017 total
    own = e[("2018", "03159", "F")] / e[("2018", "03159", "10")] * e[("2017", "03159", "10")]
    # Diepholz A 2017: the Kreise that publish A and a total, 2017
    kreise = [r for r in ("03101", "03159", "03241") if e[("2017", r, "A")] is not None]
    share = (sum(e[("2017", r, "A")] for r in kreise) / sum(e[("2017", r, "10")] for r in kreise))
    for key, expected in ((("2017", "03159", "F"), own),
                          (("2017", "03251", "A"), share * e[("2017", "03251", "10")])):
        row = got[key]
        assert row["employment_status"] == "estimated"
        assert float(row["employment"]) == pytest.approx(expected, rel=1e-6)
        assert float(row["employment_lower"]) <= float(row["employment"]) <= float(row["employment_upper"])
    assert float(got[("2017", "03251", "A")]["employment"]) < 250  # was 32,000.5


def test_impute_eurostat_confidential_cell_from_its_aggregate(nuts2_canonical, capsys):
    """L (real estate) is ': c' in AT11 every year, but K-N, K and M_N are published: the
    aggregate was not linked to its parts, so L was only bounded by the region's TOTAL
    (0-148,500) and imputed at 33,600 where K-N - K - M_N gives 13,300."""
    code, out, err = run_main(["impute", str(nuts2_canonical), "-o", "-"], capsys)
    assert code == 0, err
    cells = _eurostat_cells(NUTS2)
    got = {(r["period"], r["region"], r["industry"]): r for r in _csv_rows(out)}
    hidden = [k for k, v in cells.items() if v is None]
    assert len(hidden) == 5
    for (p, g, i) in hidden:
        others = [c for c in ("K", "L", "M_N") if c != i]
        expected = cells[(p, g, "K-N")] - sum(cells[(p, g, c)] for c in others)
        row = got[(p, g, i)]
        assert row["employment_status"] == "estimated"
        assert float(row["employment"]) == pytest.approx(expected, abs=1e-6)
        assert float(row["employment_lower"]) == pytest.approx(expected, abs=1e-6)
        assert float(row["employment_upper"]) == pytest.approx(expected, abs=1e-6)


def test_impute_bounds_use_a_section_aggregate_and_the_german_area_tree(tmp_path, capsys):
    """Destatis' A, B-E, F beside the Kreis total: B-E was never used in a bound because it is
    an aggregate, so Region Hannover's suppressed B-E had no upper bound at all and Göttingen's
    construction was bounded by total - A only (119,200, not 99,200).  And a Kreis was never
    bounded by its Regierungsbezirk or Land (only US counties by their state): Göttingen's
    construction is at most Braunschweig's 30,000 - the city's 5,000."""
    table = TEST_DATA / "generic" / "de_13111_kreise_levels_latin1.csv"
    canonical = tmp_path / "kreise.csv"
    assert run_main(["ingest", str(table), "-o", str(canonical)], capsys)[0] == 0
    code, out, err = run_main(["impute", str(canonical), "-o", "-", "--method", "bounds-only"],
                              capsys)
    assert code == 0, err
    e = _table(canonical)
    got = {(r["period"], r["region"], r["industry"]): r for r in _csv_rows(out)}
    kreise = ("03101", "03159", "03241", "03251")
    for region, hidden in (("03159", "F"), ("03241", "B-E"), ("03251", "A")):
        others = [c for c in ("A", "B-E", "F") if c != hidden]
        paths = [e[("2017", region, "10")] - sum(e[("2017", region, c)] for c in others),
                 e[("2017", "03", hidden)] - sum(e[("2017", k, hidden)] or 0.0 for k in kreise
                                                 if k != region)]
        if region.startswith("031"):  # Regierungsbezirk Braunschweig: 03101 and 03159 here
            paths.append(e[("2017", "031", hidden)] - e[("2017", "03101", hidden)])
        upper = float(got[("2017", region, hidden)]["employment_upper"])
        assert upper == pytest.approx(min(paths))
    assert float(got[("2017", "03159", "F")]["employment_upper"]) == 25000.0


def test_indices_write_no_negative_zero(tmp_path, capsys):
    """A region whose one industry with jobs sits beside an observed zero has entropy 0, written
    '-0.0' (the negation of a zero sum): a diff or a sort of the CSV tripped over it.  R2's other
    industry is suppressed: its mix is unknown, so it has no entropy at all (d044dcb)."""
    table = tmp_path / "t.csv"
    table.write_text("period,region,industry,employment\n2021,R1,A,10\n2021,R1,B,20\n"
                     "2021,R2,A,5\n2021,R2,B,\n2021,R3,A,7\n2021,R3,B,0\n", encoding="utf-8")
    code, out, err = run_main(["indices", str(table), "-o", "-"], capsys)
    assert code == 0, err
    rows = {r["region"]: r for r in _csv_rows(out)}
    assert rows["R2"]["shannon_entropy"] == "" and rows["R3"]["shannon_entropy"] == "0.0"
    assert "-0.0" not in out


def test_run_kazakh_pipeline_from_another_folder_and_after_an_edit(tmp_path, monkeypatch, capsys):
    """The whole chain on a stat.gov.kz table (cp1251, oblasts, 'x' and '...'), run by a
    scheduler from another folder: LQs of the ingested sections against a hand computation,
    nothing re-run on the second run, and after one figure of the raw file changed exactly the
    stages downstream of it re-run (stats and the others see the new figure)."""
    proj = tmp_path / "proj"
    (proj / "raw").mkdir(parents=True)
    shutil.copy(KZ, proj / "raw" / "kz.csv")
    (proj / "pipeline.toml").write_text(textwrap.dedent("""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "ingest"
        inputs = ["raw/kz.csv"]
        output = "kz.parquet"

        [[stage]]
        name = "stats"
        inputs = ["@ingest"]
        output = "stats.csv"

        [[stage]]
        name = "lq"
        inputs = ["@ingest"]
        output = "lq.csv"
        options = { level = 1 }

        [[stage]]
        name = "shift-share"
        inputs = ["@ingest"]
        output = "ss.csv"
        options = { from = "2020", to = "2022", level = 1, by = "region" }
    """), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(["run", "proj/pipeline.toml", "--log-json"], capsys)
    assert code == 0, err
    cells = _kz_cells()
    lq = {(r["period"], r["region"], r["industry"]): r for r in _rows(proj / "out" / "lq.csv")}
    sections = [c for c in "ABCDEFGHIJKLMNOPQRSTU"]
    for p in ("2020", "2022"):
        regions = sorted({g for (pp, g, _) in cells if pp == p})
        E = sum(cells[(p, g, "10")] for g in regions)
        for i in sections:
            E_i = sum(cells[(p, g, i)] for g in regions)
            for g in regions:
                row = lq[(p, g, i)]
                if E_i == 0:
                    assert row["lq"] == "" and row["lq_reason"] == "zero benchmark"
                    continue
                expected = (cells[(p, g, i)] / cells[(p, g, "10")]) / (E_i / E)
                assert float(row["lq"]) == pytest.approx(expected, rel=1e-6)
    code, _, err = run_main(["run", "proj/pipeline.toml", "--log-json"], capsys)
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert code == 0 and {e["status"] for e in events} == {"skipped"}, err

    raw = proj / "raw" / "kz.csv"
    text = raw.read_bytes().decode("cp1251")
    line = next(x for x in text.splitlines() if x.startswith("г.Алматы;A;2022;"))
    edited = line.rsplit(";", 1)[0] + ";1 000"
    raw.write_bytes(text.replace(line, edited).encode("cp1251"))
    code, _, err = run_main(["run", "proj/pipeline.toml", "--log-json"], capsys)
    events = {e["stage"]: e for e in (json.loads(x) for x in err.splitlines() if x.startswith("{"))}
    assert code == 0, err
    assert events["ingest"]["reason"] == "input kz.csv changed"
    assert all(events[s]["status"] == "run" for s in ("ingest", "stats", "lq", "shift-share"))
    new = {(r["period"], r["region"], r["industry"]): r for r in _rows(proj / "out" / "lq.csv")}
    assert float(new[("2022", "г.Алматы", "A")]["value"]) == 1000.0


def test_run_log_file_in_a_folder_not_there_yet(tmp_path, monkeypatch, capsys):
    """The README's cron line appends to logs/run.jsonl: without the folder the first stage
    ran, then the run stopped with 'internal error: FileNotFoundError' (exit 2) and left the
    other stages unrun.  The folder is created; a log that cannot be written is refused before
    any stage runs."""
    pipe = _goettingen_project(tmp_path / "proj", "data/goettingen_germany.csv")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(["run", str(pipe), "--log-file", "logs/run.jsonl"], capsys)
    assert code == 0, err
    events = [json.loads(x) for x in (tmp_path / "logs" / "run.jsonl").read_text().splitlines()]
    assert [(e["stage"], e["status"]) for e in events] == [("shift-share", "run")]
    (tmp_path / "blocked").write_text("a file, not a folder", encoding="utf-8")
    code, _, err = run_main(["run", str(pipe), "--force", "--log-file", "blocked/run.jsonl"],
                            capsys)
    assert code == 2
    assert "--log-file blocked/run.jsonl: cannot write the log there" in err
    assert "internal error" not in err and "[shift-share]" not in err


def test_run_glob_input(tmp_path, capsys):
    """A quoted glob stands for all its files for every command, but a pipeline stage with
    inputs = ["raw/*.csv"] failed: 'input .../raw/*.csv: no such file' (exit 2).  It runs,
    is up to date on the next run, and runs again when a file is added to the folder."""
    (tmp_path / "raw").mkdir()
    beaver = TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv"
    shutil.copy(beaver, tmp_path / "raw" / "a.csv")
    pipe = tmp_path / "p.toml"
    pipe.write_text('[pipeline]\noutdir = "out"\n[[stage]]\nname = "ingest"\n'
                    'inputs = ["raw/*.csv"]\noutput = "c.csv"\n', encoding="utf-8")

    def run():
        code, _, err = run_main(["run", str(pipe), "--log-json"], capsys)
        assert code == 0, err
        (event,) = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
        return event

    first = run()
    assert first["status"] == "run" and first["rows"] > 0
    assert run()["status"] == "skipped"
    text = beaver.read_text(encoding="utf-8").replace("49001", "49003")
    (tmp_path / "raw" / "b.csv").write_text(text, encoding="utf-8")
    third = run()
    assert (third["status"], third["reason"]) == ("run", "input *.csv changed: b.csv added")
    assert third["rows"] == 2 * first["rows"]


def test_lq_benchmark_with_no_period_or_code_in_common_is_refused(tmp_path, capsys):
    """The national file of other years (or of another classification) matched no row: every
    LQ was empty with 'no benchmark', exit 0 and one summary line.  Refused, naming both sides;
    where only some periods are missing, stderr names them."""
    lines = (REAT / "goettingen_germany.csv").read_text(encoding="utf-8").splitlines()
    bench = tmp_path / "germany_other_years.csv"
    bench.write_text("\n".join([lines[0]] + [str(int(x[:4]) - 20) + x[4:] for x in lines[1:]])
                     + "\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(REAT / "goettingen.csv"), "-b", str(bench), "-o", "-"],
                              capsys)
    assert code == 2 and out == ""
    assert "the benchmark shares no period with the input" in err
    assert "expected 2008, 2009, 2010" in err and "1988, 1989, 1990" in err
    partial = tmp_path / "germany_without_2008_2017.csv"
    partial.write_text("\n".join([lines[0]] + [x for x in lines[1:] if x[:4] not in
                                                ("2008", "2017")]) + "\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(REAT / "goettingen.csv"), "-b", str(partial), "-o",
                               "-"], capsys)
    assert code == 0
    assert "32 LQs are empty ('no benchmark'): the reference has no rows for period(s) 2008, 2017" in err
    naics = tmp_path / "naics_shares.csv"
    naics.write_text("industry,benchmark_share\n11,0.1\n21,0.9\n", encoding="utf-8")
    code, out, err = run_main(["lq", str(REAT / "goettingen.csv"), "-b", str(naics), "-o", "-"],
                              capsys)
    assert code == 2 and "shares no industry code with the input" in err


def test_bounds_of_an_industry_suppressed_in_every_region(tmp_path, capsys):
    """Sections D is 'x' in every Land and the listed sections do not add up to the total
    (other sections are not listed): with no fully published family to check, the sections
    were assumed to add up exactly, so D was pinned to total - listed = 100 (lower = upper),
    an 'estimated' figure that is only an upper bound.  Now D is 0-100."""
    rows = ["region,industry,year,employment"]
    for year in (2020, 2021):
        for region, base in (("DE1", 1000), ("DE2", 2000), ("DE3", 0)):
            parts = {"A": base // 10, "B": 3 * base // 10, "C": 4 * base // 10,
                     "E": 50 if region == "DE1" else 0, "F": 0}
            total = sum(parts.values()) + (100 if base else 0)  # 100 in sections not listed
            rows.append(f"{region},Total,{year},{total}")
            rows += [f"{region},{k},{year},{v}" for k, v in parts.items()]
            rows.append(f"{region},D,{year},x")
    raw = tmp_path / "laender.csv"
    raw.write_text("\n".join(rows) + "\n", encoding="utf-8")
    canonical = tmp_path / "c.csv"
    assert run_main(["ingest", str(raw), "-o", str(canonical)], capsys)[0] == 0
    code, out, err = run_main(["impute", str(canonical), "-o", "-", "--method", "bounds-only"],
                              capsys)
    assert code == 0, err
    d = {r["region"]: r for r in _csv_rows(out) if r["industry"] == "D" and r["period"] == "2020"}
    assert d["DE1"]["employment_status"] == "suppressed"
    assert (float(d["DE1"]["employment_lower"]), float(d["DE1"]["employment_upper"])) == (0.0, 100.0)
    assert (float(d["DE2"]["employment_lower"]), float(d["DE2"]["employment_upper"])) == (0.0, 100.0)
    assert float(d["DE3"]["employment_upper"]) == 0.0  # a region with no employment at all
    code, out, err = run_main(["stats", str(canonical), "--by", "industry", "-o", "-",
                               "--output-format", "csv"], capsys)
    assert code == 0, err
    d = [r for r in _csv_rows(out) if r["industry"] == "D"]
    assert {r["share_suppressed"] for r in d} == {"1.0"}
    assert {r["total_reported"] for r in d} == {""}  # never 0


def test_run_refuses_an_output_inside_another_stages_folder(tmp_path, capsys):
    """report.html written into detect's output folder changed that folder's checksum: the
    second run re-ran detect ('output detect modified') and then report, for nothing."""
    pipe = tmp_path / "p.toml"
    pipe.write_text(textwrap.dedent("""
        [pipeline]
        outdir = "out"

        [[stage]]
        name = "detect"
        inputs = ["t.csv"]
        output = "detect"

        [[stage]]
        name = "report"
        inputs = ["@detect"]
        output = "detect/report.html"
    """), encoding="utf-8")
    code, _, err = run_main(["run", str(pipe)], capsys)
    assert code == 2
    assert "stage 'report': its output 'detect/report.html' is inside the output of stage 'detect'" in err
    assert not (tmp_path / "out").exists()


def test_run_ingest_rejects_file_lands_in_outdir(tmp_path, monkeypatch, capsys):
    """options = { on_error = "skip", rejects = "rejected.csv" } wrote the rejects into the
    working directory of whoever ran the pipeline (cron: the home folder); it is relative to
    outdir, like the stage's output."""
    (tmp_path / "proj" / "raw").mkdir(parents=True)
    shutil.copy(TEST_DATA / "generic" / "bad_number.csv", tmp_path / "proj" / "raw")
    pipe = tmp_path / "proj" / "p.toml"
    pipe.write_text('[pipeline]\noutdir = "out"\n[[stage]]\nname = "ingest"\n'
                    'inputs = ["raw/bad_number.csv"]\noutput = "t.csv"\n'
                    'options = { on_error = "skip", rejects = "rejected.csv" }\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, _, err = run_main(["run", str(pipe)], capsys)
    assert code == 0, err
    assert (tmp_path / "proj" / "out" / "rejected.csv").exists()
    assert list(elsewhere.iterdir()) == []


def test_detect_on_one_region_says_every_lq_is_one(tmp_path, capsys):
    """One Kreis with its own definitions: every cluster LQ came out 1 and no cluster strong,
    with no word why (lq, indices and shift-share say it)."""
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,cluster_name\nA,1,Agri\nC,2,Manufacturing\n", encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(REAT / "goettingen.csv"), "-o", str(out),
                             "--definitions", str(defs)], capsys)
    assert code == 0, err
    assert "detect: one region (GOE)" in err and "every LQ is 1" in err
    lqs = {float(r["lq"]) for r in _rows(out / "regional_clusters.csv") if r["lq"]}
    assert lqs == {1.0}
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert any(n.startswith("one region (GOE)") for n in meta["notes"])


def test_detect_refuses_an_unwritable_output_folder_before_reading(tmp_path, capsys):
    """detect read, imputed and grouped the whole input (30 s on the county panel) and only
    then found it could not create its output folder; the other commands fail at once."""
    blocker = tmp_path / "results"
    blocker.write_text("a file where the folder should go", encoding="utf-8")
    code, _, err = run_main(["detect", str(KZ), "-o", str(blocker / "detect")], capsys)
    assert code == 2
    assert f"{blocker / 'detect'}: cannot write the output folder ({blocker} is a file)" in err
    assert "detect: reading" not in err


def test_detect_lq_range_includes_the_suppressed_part_of_the_denominator(kz_canonical, tmp_path,
                                                                          capsys):
    """Atyrau 2022: both metal divisions are 'x', so its traded employment (the denominator of
    every traded cluster LQ) misses them: Mining's LQ 1.45 was reported with lq_min = lq_max =
    1.45, as if certain, though with the metals at their bound (<= 8,162) it is lower."""
    defs = tmp_path / "defs.csv"
    defs.write_text("industry,cluster,cluster_name,type\nB05,1,Mining,traded\nB06,1,Mining,traded\n"
                    "B07,1,Mining,traded\nC24,2,Metals,traded\nC25,2,Metals,traded\n"
                    "C10,3,Food,traded\nC11,3,Food,traded\n", encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(kz_canonical), "-o", str(out), "--definitions",
                             str(defs)], capsys)
    assert code == 0, err
    rows = [r for r in _rows(out / "regional_clusters.csv") if r["period"] == "2022"]
    emp = lambda r: float(r["employment"] or 0.0)  # noqa: E731
    E_traded = sum(emp(r) for r in rows)
    at = {r["cluster_id"]: r for r in rows if r["region"] == "Атырауская область"}
    metals_hi = float(at["2"]["employment_upper"])
    cells = _kz_cells()
    # both metal divisions withheld under section C: together at most C less its other listed
    # divisions (session 32; each bounded by that alone, the pair's bound was twice it)
    assert metals_hi == (cells[("2022", "Атырауская область", "C")]
                         - cells[("2022", "Атырауская область", "C10")]
                         - cells[("2022", "Атырауская область", "C11")])
    D = emp(at["1"]) + emp(at["3"])
    for cid in ("1", "3"):
        E_c = sum(emp(r) for r in rows if r["cluster_id"] == cid)
        x = emp(at[cid])
        assert float(at[cid]["lq"]) == pytest.approx((x / D) / (E_c / E_traded), rel=1e-5)
        low = (x / (D + metals_hi)) / (E_c / (E_traded + metals_hi))
        assert float(at[cid]["lq_min"]) == pytest.approx(low, rel=1e-5)
        assert float(at[cid]["lq_max"]) == pytest.approx(float(at[cid]["lq"]), rel=1e-5)
        assert at[cid]["strong_robust"] == "false"
