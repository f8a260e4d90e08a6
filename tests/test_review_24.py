"""Review of session 24's changes: one large QCEW file split by year (ingest_parts) must say
its problems as the file read whole says them.

The threshold is lowered (as in test_split_by_year_24) so that a few thousand rows of the
bundled Utah sample (BLS's single-file layout, 2016), each row followed by its copy as 2017,
take the split path.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from clusterid.io import ingest_parts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


def _two_years(path: Path, rows: int = 1500, damage=None) -> Path:
    """``rows`` rows of the sample, each followed by its copy as 2017, as plain text;
    ``damage(line_number, fields)`` may return a changed list of fields or a line's text."""
    lines = gzip.decompress(SAMPLE.read_bytes()).decode().splitlines()
    header = next(csv.reader([lines[0]]))
    year = header.index("year")
    out = [lines[0]]
    for line in lines[1:rows + 1]:
        for y in ("2016", "2017"):
            fields = next(csv.reader([line]))
            fields[year] = y
            if damage is not None:
                fields = damage(len(out) + 1, fields)
            if isinstance(fields, str):
                out.append(fields)
                continue
            text = io.StringIO()
            csv.writer(text, lineterminator="").writerow(fields)
            out.append(text.getvalue())
    path.write_text("\n".join(out) + "\n")
    return path


def _errors(src: Path, out: Path, capsys, monkeypatch, split: bool) -> list[str]:
    from clusterid.cli.app import main

    monkeypatch.setattr(ingest_parts, "SPLIT_BYTES", 1 if split else 10**15)
    try:
        main(["ingest", str(src), "-o", str(out), "--format", "qcew"])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 1, err
    assert not out.exists()
    if split:
        assert "split by year" in err
    return [line for line in err.splitlines() if line.startswith("clusterid: error")]


def test_problems_of_two_years_are_listed_in_the_files_line_order(tmp_path, capsys, monkeypatch):
    # a cut row in each year, the 2017 one first: the split listed the 2016 part's first
    # (102 before 101), and with more than 20 problems it showed the first year's only
    def damage(number, fields):
        return ",".join(fields[:8]) if number in (101, 102, 503) else fields

    src = _two_years(tmp_path / "cut.csv", damage=damage)
    whole = _errors(src, tmp_path / "out.parquet", capsys, monkeypatch, split=False)
    split = _errors(src, tmp_path / "out.parquet", capsys, monkeypatch, split=True)
    assert [f"cut.csv:{n}:" in line for line, n in zip(whole, (101, 102, 503))] == [True] * 3
    assert split == whole


def test_a_duplicate_row_names_its_first_copy_by_the_files_line(tmp_path, capsys, monkeypatch):
    # 'first seen on line N' named the line in the year's temporary file (102, not 202)
    src = _two_years(tmp_path / "dup.csv")
    lines = src.read_text().splitlines()
    lines.insert(300, lines[201])  # line 202 again, as line 301
    src.write_text("\n".join(lines) + "\n")
    whole = _errors(src, tmp_path / "out.parquet", capsys, monkeypatch, split=False)
    split = _errors(src, tmp_path / "out.parquet", capsys, monkeypatch, split=True)
    assert any("dup.csv:301:" in line and "first seen on line 202" in line for line in whole)
    assert split == whole


def test_a_problem_of_the_years_together_names_the_file_given(tmp_path, capsys, monkeypatch):
    # a quote left open in a title: QCEW's reader names 'one of 2 files' (the two years),
    # where the user gave one file
    def damage(number, fields):
        if number == 2001:
            fields[9] = 'NAICS "bad'
            return ",".join(fields)
        return fields

    src = _two_years(tmp_path / "quote.csv", damage=damage)
    split = _errors(src, tmp_path / "out.parquet", capsys, monkeypatch, split=True)
    assert split and all(line.startswith(f"clusterid: error: {src}") for line in split), split
    assert not any("files" in line.split(": ")[2] for line in split)


def test_a_russian_tables_cluster_whose_core_it_leaves_untitled_keeps_its_language(tmp_path):
    # OKED divisions with Russian titles but for the mining core (05-07, 24): the bundled
    # English titles filled those, and the cluster was named 'Extraction of crude petroleum
    # and natural gas' in a Russian table; it takes the title of a member the table titles
    import polars as pl

    from clusterid.cli.detect import run
    from test_names_language_24 import TITLES, _russian_table

    titles = {c: t for c, t in TITLES.items() if c not in ("05", "06", "07", "24")}
    src = _russian_table(tmp_path / "oked_ru.csv", titles)
    run(str(src), str(tmp_path / "out"), random_state=0)
    names = pl.read_csv(tmp_path / "out" / "cluster_summary.csv",
                        infer_schema_length=0)["cluster_name"].to_list()
    assert len(names) >= 2
    assert all(n in titles.values() for n in names), names


def test_a_last_line_without_its_newline_is_averaged_as_every_other(tmp_path, capsys, monkeypatch):
    # polars divides a column by a constant through its reciprocal, but a chunk of one row
    # exactly: the last line of a file without a final newline (its own chunk) came out
    # 604.3333333333334 where the same months on any other line, or the file read by year,
    # gave 604.3333333333333
    import polars as pl

    from clusterid.cli.app import main

    rows = 1500
    last = 2 * rows + 1

    def damage(number, fields):
        if number in (last - 1, last):
            fields[7] = ""  # disclosed
            fields[11:14] = ["606", "603", "604"]
        return fields

    src = _two_years(tmp_path / "t.csv", rows, damage)
    cut = tmp_path / "cut.csv"
    cut.write_bytes(src.read_bytes().rstrip(b"\n"))
    outs = []
    for path, split in ((src, False), (cut, False), (cut, True)):
        out = tmp_path / f"{path.stem}-{split}.parquet"
        monkeypatch.setattr(ingest_parts, "SPLIT_BYTES", 1 if split else 10**15)
        try:
            main(["ingest", str(path), "-o", str(out), "--format", "qcew"])
        except SystemExit as exc:
            assert not exc.code
        outs.append(pl.read_parquet(out))
    capsys.readouterr()
    assert (outs[0]["employment"] == 1813 / 3).sum() == 0  # (the reciprocal's, not 1813 / 3)
    assert (outs[0]["employment"] == 1813 * (1 / 3)).sum() >= 2
    assert outs[1].equals(outs[0]) and outs[2].equals(outs[0])


def test_a_file_quoting_its_text_fields_as_bls_does_is_split(tmp_path, capsys, monkeypatch):
    # BLS's files quote every text field ("49000","0","10","50","0","2016","1","", as the
    # genuine by-area files in ../shared/data/qcew_utah_2016q do): the split refused any quote
    # before the year, so BLS's single files joined were read whole after all
    import json

    import polars as pl
    import pyarrow.parquet as pq

    from clusterid.cli.app import main

    def quoted(number, fields):
        text = io.StringIO()
        csv.writer(text, lineterminator="").writerow(fields[8:])
        return ",".join(f'"{f}"' for f in fields[:8]) + "," + text.getvalue()

    src = _two_years(tmp_path / "bls.csv", 400, quoted)
    assert src.read_text().splitlines()[1].startswith('"49000","0","10","50","0","2016","1",')
    outs = {}
    for split in (False, True):
        monkeypatch.setattr(ingest_parts, "SPLIT_BYTES", 1 if split else 10**15)
        outs[split] = tmp_path / f"out-{split}.parquet"
        try:
            main(["ingest", str(src), "-o", str(outs[split]), "--format", "qcew"])
        except SystemExit as exc:
            assert not exc.code
    assert "split by year" in capsys.readouterr().err
    meta = json.loads(pq.read_metadata(outs[True]).metadata[b"clusterid"])
    assert meta["split_by_year"]["years"] == ["2016", "2017"]
    assert pl.read_parquet(outs[True]).equals(pl.read_parquet(outs[False]))
    # a quoted field with a comma before the year still cannot be followed: read whole
    assert ingest_parts._whole_fields([b'"49000"', b'"0"', b'"2016"'], 2)
    assert not ingest_parts._whole_fields([b'"Utah', b' State"', b'2016'], 2)


def test_a_file_ending_in_a_blank_line_is_split(tmp_path):
    # a blank line at the end (an editor's, or one newline too many from a join) made the split
    # give up and the file be read whole (the memory the split is there to spare); a blank
    # line before more rows still cannot be followed
    src = _two_years(tmp_path / "t.csv", 300)
    text = src.read_bytes()
    src.write_bytes(text + b"\n\r\n")
    pieces = ingest_parts.split_by_year(str(src), str(tmp_path))
    assert pieces is not None and [len(lines) for _, lines in pieces] == [300, 300]
    assert list(pieces[1][1])[-1] == 601
    inside = tmp_path / "inside.csv"
    cut = text.index(b"\n", len(text) // 2) + 1
    inside.write_bytes(text[:cut] + b"\n" + text[cut:])
    (tmp_path / "x").mkdir()
    assert ingest_parts.split_by_year(str(inside), str(tmp_path / "x")) is None


def test_national_government_is_no_government_total(tmp_path):
    # ownership_name took 'national' for a qualifying word: 'National government' (central
    # government) was read as 'government', all of it, and stood below 'Local government'
    # (10 beside 30) unrefused; it is a category of the source's own, as Denmark's 'Stat'
    import polars as pl

    from clusterid.cli.app import main
    from clusterid.io.readers.generic_plan import ownership_name

    assert ownership_name("National government") is None
    assert ownership_name("Government, national") is None
    assert ownership_name("Total national") == "total"  # (unchanged)
    assert ownership_name("General government") == "government"
    src = tmp_path / "own.csv"
    src.write_text("region,ownership,industry,year,employment\n" + "".join(
        f"{r},{o},11,2016,{v}\n" for r, k in (("A", 1), ("B", 2))
        for o, v in (("Total", 100 * k), ("National government", 10 * k),
                     ("Local government", 30 * k), ("Private sector", 60 * k))))
    out = tmp_path / "own.parquet"
    try:
        main(["ingest", str(src), "-o", str(out), "--ownership", "all"])
    except SystemExit as exc:
        assert not exc.code
    kept = pl.read_parquet(out)
    assert "government" not in kept["ownership"].to_list()
    assert {"local", "private", "total"} <= set(kept["ownership"].to_list())
