"""Same inputs and options -> byte-identical outputs, whatever the order of the input rows.

The whole sample pipeline (data/samples/pipeline.toml: ingest -> lq -> detect -> report) runs
twice: once on the sample as published (the run tests/sample_pipeline.py shares with the other
tests) and once on the sample with its data rows shuffled (header kept), in a copy of the
pipeline folder where the input has the same name and relative path.  Every output is compared
byte for byte after masking the SHA-256 checksums and the output folder's path: each output records the checksum of its inputs (which
differ, the shuffled file being other bytes; that checksum then differs in every output further
down the chain) and the path of inputs in the output folder.  Nothing else may differ.
"""

from __future__ import annotations

import gzip
import io
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sample_pipeline import PIPELINE, sample_run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"
SHA = re.compile(rb"[0-9a-f]{64}")
# the runner's own bookkeeping (state with checksums and times, lock): not outputs
BOOKKEEPING = {".clusterid-run.json", ".clusterid-run.lock"}


def _shuffled_lines(data: bytes, seed: int) -> bytes:
    lines = data.splitlines(keepends=True)
    head, body = lines[:1], lines[1:]
    random.Random(seed).shuffle(body)
    return b"".join(head + body)


def _masked(data: bytes, paths: dict[bytes, bytes] | None = None) -> bytes:
    """The bytes with every SHA-256 replaced by zeros and the output folder by a placeholder.

    A Parquet file also carries its metadata base64-encoded inside the Arrow schema
    (``ARROW:schema``), where neither can be masked: for Parquet the data pages (every byte
    before the footer) are compared as they are, the footer as its decoded schema and
    key-value metadata, masked.
    """

    def mask(b: bytes) -> bytes:
        for old, new in (paths or {}).items():
            b = b.replace(old, new)
        return SHA.sub(b"0" * 64, b)

    if data[:4] != b"PAR1":
        return mask(data)
    import pyarrow.parquet as pq

    footer = int.from_bytes(data[-8:-4], "little")
    arrow_schema = pq.read_schema(io.BytesIO(data))
    file_kv = pq.read_metadata(io.BytesIO(data)).metadata or {}
    kv = sorted((k, mask(v)) for k, v in file_kv.items() if k != b"ARROW:schema")
    return data[: -8 - footer] + repr(kv).encode() + str(arrow_schema.remove_metadata()).encode()


def _outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in BOOKKEEPING and not p.name.endswith(".jsonl")}


def test_sample_pipeline_is_byte_identical_on_shuffled_rows(tmp_path, tmp_path_factory):
    # first run: the sample as published, shared with the other tests of the session
    outdir, _ = sample_run(tmp_path_factory)
    raw = gzip.decompress(SAMPLE.read_bytes())
    shuffled = _shuffled_lines(raw, seed=2016)
    assert shuffled != raw and sorted(shuffled.splitlines()) == sorted(raw.splitlines())
    # second run: the rows shuffled, in a copy of the pipeline folder laid out like the
    # repository (the stages record input paths relative to the pipeline file's folder, so
    # the input's recorded path is <same name> in both runs)
    home = tmp_path / "shuffled"
    (home / "data" / "samples").mkdir(parents=True)
    shutil.copy(PIPELINE, home / "data" / "samples" / PIPELINE.name)
    (home / "data" / "samples" / SAMPLE.name).write_bytes(gzip.compress(shuffled, mtime=0))
    out2 = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "clusterid", "run", "data/samples/pipeline.toml",
                          "--outdir", str(out2)], cwd=home, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr
    first, second = _outputs(outdir), _outputs(out2)
    assert sorted(first) == sorted(second)
    assert len(first) >= 4, f"expected the outputs of four stages, found {sorted(first)}"
    differ = []
    for name in first:
        a = _masked(first[name], {str(outdir).encode(): b"OUT"})
        b = _masked(second[name], {str(out2).encode(): b"OUT"})
        if a != b:
            differ.append(name)
    assert not differ, f"outputs differ beyond the input checksums: {differ}"


def _main(argv, capsys):
    from clusterid.cli.app import main

    try:
        main(argv)
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    capsys.readouterr()


GENERIC = (
    "region;industry;year;employment;establishments\n"
    + "".join(f"R{r};{ind};{y};{(r * 37 + i * 11 + y) % 500 + 1};{(r + i) % 9 + 1}\n"
              for r in range(12) for i, ind in enumerate(["31-33", "44-45", "48-49", "52", "54", "62"])
              for y in (2015, 2016))
)


@pytest.mark.parametrize("seed", [1, 2])
def test_ingest_and_lq_do_not_depend_on_row_order(tmp_path, capsys, seed):
    base = tmp_path / "a.csv"
    base.write_text(GENERIC)
    shuffled = tmp_path / "b" / "a.csv"  # same file name: the name is recorded in metadata
    shuffled.parent.mkdir()
    shuffled.write_bytes(_shuffled_lines(GENERIC.encode(), seed))
    outs = {}
    for label, src in (("first", base), ("second", shuffled)):
        folder = tmp_path / f"out-{label}"
        _main(["ingest", str(src), "-o", str(folder / "canonical.csv")], capsys)
        _main(["lq", str(folder / "canonical.csv"), "-o", str(folder / "lq.csv")], capsys)
        outs[label] = {p.name: _masked(p.read_bytes(), {str(src).encode(): b"SRC", str(folder).encode(): b"OUT"})
                       for p in sorted(folder.iterdir())}
    assert sorted(outs["first"]) == ["canonical.csv", "canonical.csv.meta.json", "lq.csv", "lq.csv.meta.json"]
    for name in outs["first"]:
        assert outs["first"][name] == outs["second"][name], name


def test_outputs_do_not_depend_on_the_number_of_threads(tmp_path):
    """The readers leave a table in chunks whose boundaries follow the worker threads, and lq
    writes its frame without first copying it into one chunk: the bytes written must still
    not depend on how many threads polars ran (a machine with more cores, POLARS_MAX_THREADS)."""
    import os

    import numpy as np
    import polars as pl

    rng = np.random.default_rng(7)
    regions, industries = 300, 400  # 120,000 rows: several chunks with more than one thread
    table = pl.DataFrame({
        "period": ["2020"] * (regions * industries),
        "region": np.repeat([f"R{i:04d}" for i in range(regions)], industries),
        "ownership": ["total"] * (regions * industries),
        "industry": np.tile([f"{100000 + j}" for j in range(industries)], regions),
        "level": [6] * (regions * industries),
        "employment": rng.integers(0, 500, regions * industries).astype(float),
    })
    src = tmp_path / "cells.csv"
    table.write_csv(src)
    outputs = {}
    for threads in ("1", "2", "4"):
        env = {**os.environ, "POLARS_MAX_THREADS": threads}
        canonical = tmp_path / f"canonical_{threads}.parquet"
        out = tmp_path / f"lq_{threads}.parquet"
        for args in (["ingest", str(src), "-o", str(canonical)], ["lq", str(canonical), "-o", str(out)]):
            subprocess.run([sys.executable, "-m", "clusterid", "--quiet", *args], check=True, env=env)
        outputs[threads] = (canonical.read_bytes(), out.read_bytes())
    import pyarrow.parquet as pq

    assert pq.ParquetFile(canonical).metadata.num_row_groups > 1  # lq reads it in chunks
    # the paths differ (canonical_1 vs canonical_2 as lq's input): compare with them masked
    masked = {t: tuple(_masked(b, {f"canonical_{t}".encode(): b"canonical_N"}) for b in pair)
              for t, pair in outputs.items()}
    assert masked["1"] == masked["2"] == masked["4"]


def test_lq_of_a_one_row_group_table_does_not_depend_on_the_number_of_threads(tmp_path):
    """A canonical table written by another tool as one large row group is read in chunks that
    follow polars' threads; the LQ file's row groups once followed those chunks (1, 2 and 4
    threads gave three different files).  Written with a fixed row-group size, it is the same."""
    import os

    import numpy as np
    import polars as pl

    rng = np.random.default_rng(11)
    regions, industries = 200, 700  # 140,000 rows: more than one row group of the output
    n = regions * industries
    canonical = tmp_path / "canonical.parquet"
    pl.DataFrame({
        "period": ["2020"] * n,
        "region": np.repeat([f"R{i:04d}" for i in range(regions)], industries),
        "ownership": ["total"] * n,
        "industry": np.tile([f"{100000 + j}" for j in range(industries)], regions),
        "level": pl.Series([6] * n, dtype=pl.Int8),
        "employment": rng.integers(1, 500, n).astype(float),
        "employment_status": ["reported"] * n,
    }).write_parquet(canonical, row_group_size=n)
    import pyarrow.parquet as pq

    assert pq.ParquetFile(canonical).metadata.num_row_groups == 1
    outputs = {}
    for threads in ("1", "2", "4"):
        out = tmp_path / f"lq_{threads}.parquet"
        env = {**os.environ, "POLARS_MAX_THREADS": threads}
        subprocess.run([sys.executable, "-m", "clusterid", "--quiet", "lq", str(canonical), "-o", str(out)],
                       check=True, env=env)
        outputs[threads] = out.read_bytes()
    assert pq.ParquetFile(tmp_path / "lq_1.parquet").metadata.num_row_groups > 1
    assert outputs["1"] == outputs["2"] == outputs["4"]
