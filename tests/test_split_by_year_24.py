"""One large QCEW file split by year before it is ingested (clusterid.io.ingest_parts).

Years of BLS's single files joined into one file were read whole: ~0.4 GB held per million
rows, so a multi-year national file passed the machine's memory.  Above SPLIT_BYTES of text the
file is now cut into a file per year and those are ingested one at a time.  The threshold is
lowered here so that the bundled Utah sample (2016, BLS's single-file layout), joined with a
copy of itself as 2017, takes that path: the output, the errors and the rejected rows must be
those of the file read whole.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import polars as pl
import pytest

from clusterid.io import ingest_parts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


def _two_years(path: Path, damage=None) -> Path:
    """The sample with each row followed by its copy as 2017 (BLS orders a multi-year file by
    area, ownership, industry, then year), gzip; ``damage(line_number, fields, header)``, called
    once a row, may change it (its fields as the csv module reads them: titles hold commas)."""
    import csv
    import io

    def text_of(fields):
        text = io.StringIO()
        csv.writer(text, lineterminator="").writerow(fields)
        return text.getvalue()

    # the statewide rows and the first counties' (20,000 of the sample's 96,000: enough of
    # every level and ownership, a quarter of the time)
    lines = gzip.decompress(SAMPLE.read_bytes()).decode().splitlines()[:20_001]
    header = next(csv.reader([lines[0]]))
    year = header.index("year")
    out = [lines[0]]
    for line in lines[1:]:
        fields = next(csv.reader([line]))
        assert fields[year] == "2016"
        if damage is not None:
            changed = damage(len(out) + 1, list(fields), header)
            line = line if changed == fields else text_of(changed)
        out.append(line)
        fields[year] = "2017"
        if damage is not None:
            fields = damage(len(out) + 1, fields, header)
        out.append(text_of(fields))
    path.write_bytes(gzip.compress(("\n".join(out) + "\n").encode(), mtime=0))
    return path


def _run(argv, capsys, split: bool, monkeypatch) -> tuple[int, str]:
    from clusterid.cli.app import main

    monkeypatch.setattr(ingest_parts, "SPLIT_BYTES", 1 if split else 10**15)
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def _meta(path: Path) -> dict:
    import pyarrow.parquet as pq

    return json.loads(pq.read_metadata(path).metadata[b"clusterid"])


def test_a_file_split_by_year_gives_the_table_of_the_file_read_whole(tmp_path, capsys, monkeypatch):
    src = _two_years(tmp_path / "utah_2016_2017.csv.gz")
    outs = {}
    for split in (False, True):
        out = tmp_path / f"{'split' if split else 'whole'}.parquet"
        code, err = _run(["ingest", str(src), "-o", str(out), "--format", "qcew"], capsys, split,
                         monkeypatch)
        assert code == 0, err
        outs[split] = out
        if split:
            assert "split by year" in err
    whole, parts = pl.read_parquet(outs[False]), pl.read_parquet(outs[True])
    assert parts.height == whole.height > 35_000
    assert parts.equals(whole)  # the same rows in the same order
    a, b = _meta(outs[False]), _meta(outs[True])
    assert b["split_by_year"]["years"] == ["2016", "2017"]
    assert b["inputs"] == a["inputs"]  # the file given, with its checksum: not the year files
    assert b["rows_read"] == a["rows_read"] and b["rows_kept"] == a["rows_kept"]
    assert b["dropped"] == a["dropped"]
    assert list(b["readers"]) == list(a["readers"])
    assert "clusterid-split" not in json.dumps(b)  # no temporary name left in the provenance


def test_a_bad_cell_is_named_on_its_line_of_the_file_given(tmp_path, capsys, monkeypatch):
    bad = {}

    def damage(number, fields, header):
        if (not bad and fields[header.index("industry_code")] == "336411"
                and fields[header.index("year")] == "2017"):
            fields[header.index("month1_emplvl")] = "12x"
            bad["line"] = number
        return fields

    src = _two_years(tmp_path / "damaged.csv.gz", damage)
    said = {}
    for split in (False, True):
        code, err = _run(["ingest", str(src), "-o", str(tmp_path / "out.parquet"),
                          "--format", "qcew"], capsys, split, monkeypatch)
        assert code == 1
        said[split] = [l for l in err.splitlines() if l.startswith("clusterid: error") or ":" in l]
    assert f"damaged.csv.gz:{bad['line']}" in "\n".join(said[True])
    errors = [[l for l in said[s] if "12x" in l] for s in (False, True)]
    assert errors[0] and errors[0] == errors[1]  # word for word the whole run's
    assert not (tmp_path / "out.parquet").exists()


def test_rejected_rows_are_listed_by_their_lines_in_the_file_given(tmp_path, capsys, monkeypatch):
    lines: dict[int, str] = {}

    def damage(number, fields, header):
        # three rows of each year
        year = fields[header.index("year")]
        if (fields[header.index("own_code")] == "5" and number % 7 == 0
                and len(fields[header.index("industry_code")]) == 6
                and sum(1 for y in lines.values() if y == year) < 3):
            fields[header.index("total_qtrly_wages")] = "9x9"
            lines[number] = year
        return fields

    src = _two_years(tmp_path / "damaged.csv.gz", damage)
    rejects = {}
    for split in (False, True):
        rej = tmp_path / f"rejects-{split}.csv"
        code, err = _run(["ingest", str(src), "-o", str(tmp_path / f"out-{split}.parquet"),
                          "--format", "qcew", "--on-error", "skip", "--rejects", str(rej)],
                         capsys, split, monkeypatch)
        assert code == 0, err
        rejects[split] = pl.read_csv(rej, infer_schema_length=0)
    assert rejects[True].equals(rejects[False])
    assert sorted(int(x) for x in rejects[True]["line"].unique()) == sorted(lines)
    assert sorted(lines.values()) == ["2016"] * 3 + ["2017"] * 3
    assert set(rejects[True]["source"]) == {str(src)}
    assert pl.read_parquet(tmp_path / "out-True.parquet").equals(
        pl.read_parquet(tmp_path / "out-False.parquet"))


def test_lq_on_the_raw_file_reads_it_split(tmp_path, capsys, monkeypatch):
    src = _two_years(tmp_path / "utah_2016_2017.csv.gz")
    outs = {}
    for split in (False, True):
        out = tmp_path / f"lq-{split}.parquet"
        code, err = _run(["lq", str(src), "-o", str(out), "--ownership", "private", "--level", "6",
                          "--period", "2017Q2"], capsys, split, monkeypatch)
        assert code == 0, err
        outs[split] = pl.read_parquet(out)
    assert outs[True].height > 1_000
    assert outs[True].equals(outs[False])


def test_a_file_the_split_cannot_follow_is_read_whole(tmp_path):
    # files joined with cat: the header again inside (the whole run skips it and says so)
    text = gzip.decompress(SAMPLE.read_bytes()).decode().splitlines()
    joined = tmp_path / "joined.csv"
    joined.write_text("\n".join(text[:50] + [text[0]] + text[50:100]) + "\n")
    assert ingest_parts.split_by_year(str(joined), str(tmp_path)) is None
    blank = tmp_path / "blank.csv"
    blank.write_text("\n".join(text[:50] + [""] + text[50:100]) + "\n")
    assert ingest_parts.split_by_year(str(blank), str(tmp_path)) is None
    # and a file of one year is no split
    one = tmp_path / "one.csv"
    one.write_text("\n".join(text[:100]) + "\n")
    pieces = ingest_parts.split_by_year(str(one), str(tmp_path / "x") if False else str(tmp_path))
    assert pieces is not None and len(pieces) == 1
    assert list(pieces[0][1]) == list(range(2, 101))


@pytest.mark.parametrize("name", ["small.csv"])
def test_only_a_large_qcew_file_is_split(tmp_path, name):
    from clusterid.io.ingest import IngestOptions

    small = tmp_path / name
    small.write_text(gzip.decompress(SAMPLE.read_bytes()).decode()[:20_000].rsplit("\n", 1)[0] + "\n")
    options = IngestOptions(format="qcew")
    assert ingest_parts.to_split([str(small)], options) is None  # below SPLIT_BYTES
    generic = tmp_path / "generic.csv"
    generic.write_text("region,industry,year,employment\nA,11,2016,5\n")
    old = ingest_parts.SPLIT_BYTES
    try:
        ingest_parts.SPLIT_BYTES = 1
        two = tmp_path / "two_years.csv"
        text = small.read_text().splitlines()
        two.write_text("\n".join(text + [text[-1].replace(",2016,", ",2017,", 1)]) + "\n")
        assert ingest_parts.to_split([str(two)], options) == str(two)
        assert ingest_parts.to_split([str(generic)], IngestOptions()) is None  # not QCEW
        assert ingest_parts.to_split([str(two), str(two)], options) is None
        # a plain file whose first and last rows are of one year (BLS's national single file
        # of a year) is not copied to no use
        assert ingest_parts.to_split([str(small)], options) is None
    finally:
        ingest_parts.SPLIT_BYTES = old


def test_the_split_is_said_only_when_it_happens(tmp_path, capsys, monkeypatch):
    # a file the split cannot follow (a header again inside: files joined with cat) is read
    # whole; stderr said 'split by year' before the split had given up
    text = gzip.decompress(SAMPLE.read_bytes()).decode().splitlines()[:2001]
    two = [text[0]] + text[1:1001] + [text[0]] + [l.replace(",2016,", ",2017,", 1) for l in text[1001:]]
    src = tmp_path / "joined.csv"
    src.write_text("\n".join(two) + "\n")
    code, err = _run(["ingest", str(src), "-o", str(tmp_path / "o.parquet"), "--format", "qcew"],
                     capsys, True, monkeypatch)
    assert code == 0, err
    assert "split by year" not in err
    # a gzip file cut short: the whole run's one line, no split, no internal error
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(gzip.compress("\n".join(text).encode(), mtime=0)[:-3000])
    code, err = _run(["ingest", str(cut), "-o", str(tmp_path / "c.parquet"), "--format", "qcew"],
                     capsys, True, monkeypatch)
    assert code == 1 and "internal error" not in err and "split by year" not in err, err


def test_a_large_gzip_file_counts_past_its_trailers_4_gib(tmp_path, monkeypatch):
    # the trailer gives the text's size modulo 4 GiB: a 0.53 GB gzip of 5 GB of text read as
    # 0.7 GB, under SPLIT_BYTES, and was read whole
    path = tmp_path / "big.csv.gz"
    body = gzip.compress(b"area_fips,year\n" + b"1,2016\n" * 10, mtime=0)
    wrapped = (5 * 10**9) % 2**32
    path.write_bytes(body[:-4] + wrapped.to_bytes(4, "little"))
    real = os.path.getsize
    monkeypatch.setattr(os.path, "getsize", lambda p: 530_000_000 if str(p) == str(path) else real(p))
    assert ingest_parts.estimated_bytes(str(path)) >= 8 * 530_000_000 > ingest_parts.SPLIT_BYTES
    small = tmp_path / "small.csv.gz"
    small.write_bytes(body)
    assert ingest_parts.estimated_bytes(str(small)) == 15 + 70  # a small file: its trailer
