"""``clusterid ingest`` of a large glob in parts (clusterid.io.ingest_parts) against the same
files ingested whole: the same rows, bytes and metadata but for ``computed_in_parts``.

The parts threshold is set to 0 (every glob of several files in parts) or out of reach
(whole) in-process.  Inputs: the bundled BLS QCEW slice (data/samples, Utah 2016, public
domain) cut into files the ways agencies ship them -- one per quarter (BLS's quarterly
singlefiles), one per area (BLS's by-area files: every file holds every quarter, so their
periods interleave) -- and small long tables of the generic layout (region, NACE code, year,
employment), one per year.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from conftest import SAMPLES, run_in_parts, run_main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


def _ingest(argv, capsys, monkeypatch, parts: bool):
    return run_in_parts(["ingest", *argv], capsys, monkeypatch, parts)


def _meta(path: Path) -> dict:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return json.loads(pq.read_metadata(path).metadata[b"clusterid"])
    return json.loads(Path(str(path) + ".meta.json").read_text(encoding="utf-8"))


def _both(tmp_path, capsys, monkeypatch, inputs, suffix=".parquet", extra=()):
    """(parts output, whole output, parts stderr) of the same ingest."""
    out = {}
    err = {}
    (tmp_path / "out").mkdir()
    for parts in (True, False):
        path = tmp_path / "out" / (("parts" if parts else "whole") + suffix)
        code, _o, e = _ingest([*map(str, inputs), "-o", str(path), *extra], capsys,
                              monkeypatch, parts)
        assert code == 0, e
        out[parts], err[parts] = path, e
    assert "one at a time" in err[True] and "one at a time" not in err[False]
    return out[True], out[False], err[True]


def _same_but_parts(a: dict, b: dict) -> None:
    a, b = dict(a), dict(b)
    assert a.pop("computed_in_parts") >= 1
    assert "computed_in_parts" not in b
    assert a == b


@pytest.fixture(scope="module")
def utah():
    return pl.read_csv(SAMPLE, infer_schema_length=0)


def _split(utah, tmp_path, by: str) -> list[Path]:
    files = []
    for (key,), part in utah.group_by([by], maintain_order=True):
        path = tmp_path / f"{by}_{key}.csv"
        part.write_csv(path)
        files.append(path)
    return files


def test_quarter_files_give_the_whole_runs_table(utah, tmp_path, capsys, monkeypatch):
    """One file per quarter (periods apart): four parts, the same Parquet rows, row groups
    and metadata as the four files ingested whole."""
    import pyarrow.parquet as pq

    _split(utah, tmp_path, "qtr")
    parts, whole, _err = _both(tmp_path, capsys, monkeypatch, [tmp_path / "qtr_*.csv"])
    a, b = pl.read_parquet(parts), pl.read_parquet(whole)
    assert a.height == b.height > 90_000 and a.equals(b)
    assert pq.read_metadata(parts).num_row_groups == pq.read_metadata(whole).num_row_groups
    meta = _meta(parts)
    assert meta["computed_in_parts"] == 4
    assert meta["notes"][0] == "QCEW quarterly layout, 4 file(s)"  # the parts' counts summed
    _same_but_parts(meta, _meta(whole))


def test_quarter_files_as_csv_same_bytes(utah, tmp_path, capsys, monkeypatch):
    _split(utah, tmp_path, "qtr")
    parts, whole, _err = _both(tmp_path, capsys, monkeypatch, [tmp_path / "qtr_*.csv"], ".csv")
    assert parts.read_bytes() == whole.read_bytes()
    _same_but_parts(_meta(parts), _meta(whole))


def test_area_files_interleave_and_are_one_part(utah, tmp_path, capsys, monkeypatch):
    """BLS's by-area files each hold every quarter: their periods interleave, so they are
    ingested together as one part (the sort and the checks across files as in one run)."""
    _split(utah, tmp_path, "area_fips")
    parts, whole, _err = _both(tmp_path, capsys, monkeypatch, [tmp_path / "area_fips_*.csv"])
    assert pl.read_parquet(parts).equals(pl.read_parquet(whole))
    meta = _meta(parts)
    assert meta["computed_in_parts"] == 1
    _same_but_parts(meta, _meta(whole))


def test_a_quarter_in_two_files_is_one_part_of_three(utah, tmp_path, capsys, monkeypatch):
    """Q2 cut in two files (the statewide rows apart from the counties'): Q1, Q2 (both
    files, together), Q3 and Q4 -> four parts, the rows in the whole run's order."""
    for q in "134":
        utah.filter(pl.col("qtr") == q).write_csv(tmp_path / f"q{q}.csv")
    q2 = utah.filter(pl.col("qtr") == "2")
    q2.filter(pl.col("area_fips") == "49000").write_csv(tmp_path / "q2_state.csv")
    q2.filter(pl.col("area_fips") != "49000").write_csv(tmp_path / "q2_counties.csv")
    parts, whole, _err = _both(tmp_path, capsys, monkeypatch, [tmp_path / "q*.csv"])
    assert pl.read_parquet(parts).equals(pl.read_parquet(whole))
    assert _meta(parts)["computed_in_parts"] == 4


YEAR = "region,industry,year,employment\n"


def _years(tmp_path, tables: dict[str, str]) -> None:
    for name, body in tables.items():
        (tmp_path / name).write_text(YEAR + body, encoding="utf-8")


def test_a_key_in_two_files_of_one_year_is_found(tmp_path, capsys, monkeypatch):
    """The same key in two files of one year (a file downloaded twice under two names): the
    files share a period, are ingested together, and the duplicate is reported with both
    files, exit 1, no output -- as in the whole run."""
    _years(tmp_path, {
        "y2019.csv": "A,C,2019,10\nB,C,2019,5\n",
        "y2020.csv": "A,C,2020,11\nB,C,2020,6\n",
        "y2020_copy.csv": "B,C,2020,6\n",
    })
    out = tmp_path / "out.parquet"
    code, _o, err = _ingest([str(tmp_path / "y*.csv"), "-o", str(out)], capsys, monkeypatch, True)
    assert code == 1
    assert "duplicate row" in err and "y2020_copy.csv" in err and "y2020.csv" in err
    assert not out.exists()


# a negative value in 2019, a cell that is no number in 2021 ('6O', a letter O typed for a zero)
BAD_YEARS = {
    "y2019.csv": "A,C,2019,-10\nB,C,2019,5\n",
    "y2020.csv": "A,C,2020,11\nB,C,2020,6\n",
    "y2021.csv": "A,C,2021,11\nB,C,2021,6O\nD,C,2021,6\n",
}


def test_problems_of_every_part_are_reported_together(tmp_path, capsys, monkeypatch):
    """A negative value in one year's file and a non-numeric one in another's: both said in
    one run (exit 1), as the whole run says them, and nothing written."""
    _years(tmp_path, BAD_YEARS)
    out = tmp_path / "out.csv"
    code, _o, err = _ingest([str(tmp_path / "y*.csv"), "-o", str(out)], capsys, monkeypatch, True)
    assert code == 1
    assert "y2019.csv" in err and "negative" in err
    assert "y2021.csv" in err and "6O" in err
    assert not out.exists() and not Path(str(out) + ".meta.json").exists()
    _code, _o, whole_err = _ingest([str(tmp_path / "y*.csv"), "-o", str(out)], capsys,
                                   monkeypatch, False)
    said = [line for line in err.splitlines() if "one at a time" not in line]
    assert said == whole_err.splitlines()


def test_skipped_rows_gathered_in_one_rejects_file(tmp_path, capsys, monkeypatch):
    """--on-error skip: the rejected rows of every part in one rejects file, the same as the
    whole run's, and the counts in the metadata summed."""
    _years(tmp_path, BAD_YEARS)
    outs = {}
    for parts in (True, False):
        out = tmp_path / f"out{parts}.csv"
        code, _o, err = _ingest([str(tmp_path / "y*.csv"), "-o", str(out), "--on-error", "skip"],
                                capsys, monkeypatch, parts)
        assert code == 0, err
        outs[parts] = out
    for parts in (True, False):
        assert _meta(outs[parts])["rejected_rows"] == 2
    assert (Path(str(outs[True]) + ".rejects.csv").read_text(encoding="utf-8")
            == Path(str(outs[False]) + ".rejects.csv").read_text(encoding="utf-8"))
    assert outs[True].read_bytes() == outs[False].read_bytes()


def test_region_missing_a_year_is_said_across_parts(tmp_path, capsys, monkeypatch):
    """A region in one year's file only: each part alone is complete, the whole is not --
    the warning comes from every part's (region, period) pairs, as in the whole run."""
    _years(tmp_path, {
        "y2019.csv": "A,C,2019,10\nB,C,2019,5\n",
        "y2020.csv": "A,C,2020,11\n",
    })
    parts, whole, err = _both(tmp_path, capsys, monkeypatch, [tmp_path / "*.csv"], ".csv")
    assert "region B has no rows for period(s) 2020" in err
    assert parts.read_bytes() == whole.read_bytes()
    _same_but_parts(_meta(parts), _meta(whole))


def test_a_file_of_headers_only_is_refused_as_whole(tmp_path, capsys, monkeypatch):
    """A file with a header and no row among the years: refused by its reader, in parts as
    in the whole run (the same message), nothing written."""
    _years(tmp_path, {"y2019.csv": "A,C,2019,10\n", "y2020.csv": ""})
    out = tmp_path / "out.csv"
    said = []
    for parts in (True, False):
        code, _o, err = _ingest([str(tmp_path / "*.csv"), "-o", str(out)], capsys, monkeypatch,
                                parts)
        assert code == 1 and "no data rows" in err and not out.exists()
        said.append([line for line in err.splitlines() if "one at a time" not in line])
    assert said[0] == said[1]


def test_rows_all_dropped_is_no_table(tmp_path, capsys, monkeypatch):
    """Files whose every row the reader drops (QCEW's supersector rows, agglvl_code 53): no
    table, exit 1, in parts as whole.  (A table of national total rows alone, the vehicle
    until session 29, is now read as the nation: test_national_only_29.)"""
    import gzip

    lines = gzip.decompress((SAMPLES / "qcew_utah_2016_counties.csv.gz").read_bytes()).decode().splitlines()
    supersectors = [line for line in lines[1:] if line.split(",")[3].endswith("3")][:4]
    assert len(supersectors) == 4
    for year in ("2019", "2020"):
        rows = [line.replace(",2016,", f",{year},", 1) for line in supersectors]
        (tmp_path / f"y{year}.csv").write_text("\n".join([lines[0], *rows]) + "\n")
    out = tmp_path / "out.csv"
    for parts in (True, False):
        code, _o, err = _ingest([str(tmp_path / "*.csv"), "-o", str(out)], capsys, monkeypatch,
                                parts)
        assert code == 1 and "no data rows" in err and not out.exists(), err


def test_estimated_bytes_reads_the_gzip_trailer(tmp_path):
    import gzip

    from clusterid.io.ingest_parts import estimated_bytes

    text = b"region,industry,year,employment\n" + b"A,C,2019,10\n" * 10_000
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(text))
    assert path.stat().st_size < len(text) == estimated_bytes(str(path))
    plain = tmp_path / "t.csv"
    plain.write_bytes(text)
    assert estimated_bytes(str(plain)) == len(text)


def test_small_or_single_input_is_not_parted(tmp_path):
    from clusterid.io import ingest_parts

    _years(tmp_path, {"y2019.csv": "A,C,2019,10\n", "y2020.csv": "A,C,2020,11\n"})
    assert ingest_parts.plan([str(tmp_path / "y*.csv")]) is None  # under PART_BYTES
    assert ingest_parts.plan([str(tmp_path / "y2019.csv")]) is None


def test_lq_on_a_large_raw_glob_reads_it_in_parts(utah, tmp_path, capsys, monkeypatch):
    """``clusterid lq 'qtr_*.csv'`` (raw files ingested on the fly): above the threshold the
    glob is ingested in parts into a temporary table read lazily, with the LQs the whole
    ingest gives."""
    _split(utah, tmp_path, "qtr")
    (tmp_path / "out").mkdir()
    got = {}
    for parts in (True, False):
        out = tmp_path / "out" / f"lq_{parts}.csv"
        code, _o, err = run_in_parts(["lq", str(tmp_path / "qtr_*.csv"), "-o", str(out)],
                                     capsys, monkeypatch, parts)
        assert code == 0, err
        got[parts] = out.read_bytes()
    assert got[True] == got[False] and got[True].count(b"\n") > 90_000


def test_small_files_are_ingested_in_batches(utah, tmp_path, capsys, monkeypatch):
    """A year's by-area files (30 here, thousands for the nation) are not ingested one call
    a file: in the order given, in batches of up to PART_BYTES of text; their periods
    interleave, so the batches are ingested again together -- the whole run's table."""
    from clusterid.io import ingest, ingest_parts

    files = sorted(map(str, _split(utah, tmp_path, "area_fips")))
    sizes = [ingest_parts.estimated_bytes(f) for f in files]
    monkeypatch.setattr(ingest_parts, "PART_BYTES", sum(sizes) // 3 + 1)
    batches = ingest_parts._batches(files)
    assert 3 <= len(batches) <= 4 and [f for b in batches for f in b] == files
    assert all(sum(map(ingest_parts.estimated_bytes, b)) <= ingest_parts.PART_BYTES
               for b in batches if len(b) > 1)
    calls = []
    real = ingest.ingest
    monkeypatch.setattr(ingest, "ingest", lambda paths, *a, **k: calls.append(len(paths))
                        or real(paths, *a, **k))
    out = tmp_path / "parts.parquet"
    code, _o, err = run_main(["ingest", str(tmp_path / "area_fips_*.csv"), "-o", str(out)], capsys)
    assert code == 0, err
    assert calls == [len(b) for b in batches] + [len(files)]  # the batches, then all together
    monkeypatch.setattr(ingest_parts, "PART_BYTES", 10**15)
    whole = tmp_path / "whole.parquet"
    code, _o, err = run_main(["ingest", str(tmp_path / "area_fips_*.csv"), "-o", str(whole)], capsys)
    assert code == 0, err
    assert pl.read_parquet(out).equals(pl.read_parquet(whole))


def test_parts_folders_are_named_for_the_sweep_of_killed_runs(tmp_path, monkeypatch):
    """The parts' temporary folders carry this host and process (clusterid-KIND-HOST-PID-...),
    so a run killed outright (SIGKILL, the out-of-memory killer) has them removed by the next
    run, as its other temporary folders are: a national panel's spills are gigabytes."""
    import os
    import tempfile

    from clusterid.io import atomic, ingest_parts

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for kind in ("ingest", "input"):
        folder = ingest_parts._Folder(kind)
        name = os.path.basename(folder.name)
        m = atomic._TEMP_FOLDER.match(name)
        assert m and int(m.group("pid")) == os.getpid() and name.startswith(f"clusterid-{kind}-")
        folder.cleanup()
        assert not os.path.exists(folder.name)
