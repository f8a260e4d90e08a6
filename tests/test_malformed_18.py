"""Malformed and hostile inputs found in session 18, each fixed then: canonical Parquet tables
edited with pyarrow (which keeps clusterid's metadata in the file) or written by pandas, whose
columns are of another type than clusterid writes or whose metadata is cut; and what the
entry point says of a bug.  Each test says what the user saw before."""

from __future__ import annotations

import json

import pytest

from conftest import run_main

# the toy canonical table of tests/data/lq, as `clusterid ingest` writes it (three regions,
# an all-industries row and two industries each, one cell suppressed)
TOY = '''\
period,region,ownership,industry,classification,level,employment,employment_status
2016,A,total,10,custom,0,100,reported
2016,A,total,11,custom,2,40,reported
2016,A,total,21,custom,2,60,reported
2016,B,total,10,custom,0,300,reported
2016,B,total,11,custom,2,100,reported
2016,B,total,21,custom,2,200,reported
2016,C,total,10,custom,0,600,reported
2016,C,total,11,custom,2,,suppressed
2016,C,total,21,custom,2,400,reported
'''


@pytest.fixture
def canonical(tmp_path, capsys):
    """The toy table ingested to Parquet by clusterid: ``(path, pyarrow table, metadata)``."""
    import pyarrow.parquet as pq

    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    out = tmp_path / "toy.parquet"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    return out, pq.read_table(out), pq.read_metadata(out).metadata


def _edited(tmp_path, table, metadata, name, column=None, values=None, extra=None):
    """The table saved again with pyarrow, its clusterid metadata kept (``metadata``; None to
    drop it), ``column`` replaced by the pyarrow array ``values`` and ``extra`` (name, array)
    added: a script's edit of a canonical table."""
    import pyarrow.parquet as pq

    if column is not None:
        table = table.set_column(table.schema.get_field_index(column), column, values)
    if extra is not None:
        table = table.append_column(*extra)
    kept = {k: v for k, v in (metadata or {}).items() if k != b"ARROW:schema"}
    path = tmp_path / name
    pq.write_table(table.replace_schema_metadata(kept or None), path)
    return path


def _one_line_error(code, err, expected_code=1):
    assert code == expected_code, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    return lines[0]


@pytest.mark.parametrize("arrow_type", ["int64", "float32", "decimal"])
def test_a_measure_of_another_numeric_type_is_read_as_the_float_it_is(tmp_path, capsys, canonical,
                                                                     arrow_type):
    """A canonical Parquet whose employment column is whole numbers (pandas writes counts as
    int64), Float32 or Decimal: lq and indices read it, and detect then failed with "internal
    error: SchemaError: type Float64 is incompatible with expected type Int64" (the message's
    second half on lines of its own).  It is read as the Float64 clusterid writes."""
    import decimal

    import pyarrow as pa

    path, table, meta = canonical
    values = table["employment"].to_pylist()
    array = {"int64": pa.array([None if v is None else int(v) for v in values], pa.int64()),
             "float32": pa.array(values, pa.float32()),
             "decimal": pa.array([None if v is None else decimal.Decimal(str(v)) for v in values],
                                 pa.decimal128(10, 1))}[arrow_type]
    edited = _edited(tmp_path, table, meta, "edited.parquet", "employment", array)
    out = tmp_path / "detect"
    code, _, err = run_main(["detect", str(edited), "-o", str(out), "--n-seeds", "0"], capsys)
    assert code == 0, err
    regional = (out / "regional_clusters.csv").read_text(encoding="utf-8")
    code, _, err = run_main(["detect", str(path), "-o", str(tmp_path / "as_written"),
                             "--n-seeds", "0"], capsys)
    assert code == 0, err
    assert regional == (tmp_path / "as_written" / "regional_clusters.csv").read_text(encoding="utf-8")


def test_a_measure_column_of_the_null_type_is_an_empty_float_column(tmp_path, capsys, canonical):
    """pyarrow's all-empty column (``pa.nulls``, type null) as a table's employment, the
    statuses saying every cell is suppressed: stats and detect failed with an internal error
    whose message was empty (only "(rerun with --debug for a traceback)" was shown)."""
    import pyarrow as pa

    _, table, meta = canonical
    edited = _edited(tmp_path, table.set_column(
        table.schema.get_field_index("employment_status"), "employment_status",
        pa.array(["suppressed"] * table.num_rows)), meta, "empty.parquet", "employment",
        pa.nulls(table.num_rows))
    code, out, err = run_main(["stats", str(edited), "--output-format", "csv"], capsys)
    assert code == 0, err
    assert "internal error" not in err
    assert out.splitlines()[0].startswith("period,")


@pytest.mark.parametrize("raw, found", [
    (b'{"kind": "canonical", "schema_version"', "text that is not JSON"),
    (b"[1, 2, 3]", "a JSON array"),
    (b"null", "a JSON null"),
])
def test_clusterid_metadata_that_is_no_json_object_is_a_located_error(tmp_path, capsys, canonical,
                                                                      raw, found):
    """The 'clusterid' key of a Parquet table's metadata cut short or rewritten by a tool:
    every stage failed with "internal error: JSONDecodeError" or "AttributeError: 'list'
    object has no attribute 'get'" (exit 2, no file named).  Now one line naming the file,
    exit 1, and nothing written."""
    _, table, meta = canonical
    edited = _edited(tmp_path, table, {**meta, b"clusterid": raw}, "cut.parquet")
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(edited), "-o", str(out)], capsys)
    line = _one_line_error(code, err)
    assert "cut.parquet" in line and "metadata" in line and found in line, line
    assert not out.exists()


@pytest.mark.parametrize("raw, found", [("[1, 2]", "a JSON array"), ("null", "a JSON null"),
                                        ('"canonical"', "a JSON string")])
def test_a_csv_sidecar_that_is_no_json_object_is_exit_2(tmp_path, capsys, raw, found):
    """A canonical CSV's ``.meta.json`` sidecar overwritten with JSON that is no object: every
    stage failed with "internal error: AttributeError: ... has no attribute 'get'"; now the
    message a sidecar that is no JSON gets, exit 2."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    (tmp_path / "toy.csv.meta.json").write_text(raw, encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
    line = _one_line_error(code, err, expected_code=2)
    assert "toy.csv.meta.json: not a readable metadata sidecar" in line and found in line, line


@pytest.mark.parametrize("column", ["region", "ownership", "industry"])
def test_an_empty_key_in_a_table_carrying_clusterids_metadata_is_located(tmp_path, capsys,
                                                                         canonical, column):
    """A key cell emptied in a canonical Parquet edited with pyarrow (which keeps the
    metadata, so the table passed for one ingest had checked): lq failed with "internal error:
    ValueError: cannot convert float NaN to integer", indices and detect with a TypeError, and
    stats and impute went on with a region None.  Now the located error a table without the
    metadata gets, from every stage."""
    import pyarrow as pa

    _, table, meta = canonical
    values = table[column].to_pylist()
    values[4] = None
    edited = _edited(tmp_path, table, meta, "holed.parquet", column, pa.array(values, pa.string()))
    outs = tmp_path / "out"
    outs.mkdir()
    for stage in (["stats", str(edited), "-o", str(outs / "s.csv")],
                  ["lq", str(edited), "-o", str(outs / "lq.csv")],
                  ["indices", str(edited), "-o", str(outs / "i.csv")],
                  ["impute", str(edited), "-o", str(outs / "imp.csv")]):
        code, _, err = run_main(stage, capsys)
        line = _one_line_error(code, err)
        assert "holed.parquet: a key cell is empty" in line and f"{column}=None" in line, line
        assert "row 5" in line, line
    assert not list(outs.iterdir())


def test_an_unknown_status_in_a_table_carrying_clusterids_metadata_is_located(tmp_path, capsys,
                                                                             canonical):
    """A status 'weird' typed into a canonical Parquet edited with pyarrow: ingest counted the
    cell as suppressed (22.2 % instead of 11.1 %) and lq left its value out, silently."""
    import pyarrow as pa

    _, table, meta = canonical
    values = table["employment_status"].to_pylist()
    values[1] = "weird"
    edited = _edited(tmp_path, table, meta, "odd.parquet", "employment_status", pa.array(values))
    code, _, err = run_main(["ingest", str(edited), "-o", str(tmp_path / "again.parquet")], capsys)
    line = _one_line_error(code, err)
    assert "column 'employment_status': not a status" in line and "weird" in line, line
    assert not (tmp_path / "again.parquet").exists()


def test_a_column_of_lists_is_refused_for_a_csv_output_by_name(tmp_path, capsys, canonical):
    """A canonical Parquet with an extra column of lists (a tag list a script added): impute,
    which keeps the input's columns, failed writing its CSV with "internal error:
    ComputeError: CSV format does not support nested data".  Now the column is named, with
    the way out (Parquet), exit 2; the Parquet output still carries it."""
    import polars as pl
    import pyarrow as pa

    _, table, meta = canonical
    edited = _edited(tmp_path, table, meta, "tagged.parquet",
                     extra=("tags", pa.array([["a", "b"]] * table.num_rows)))
    out = tmp_path / "imputed.csv"
    code, _, err = run_main(["impute", str(edited), "-o", str(out)], capsys)
    line = _one_line_error(code, err, expected_code=2)
    assert "column 'tags' of the input holds lists or records" in line and ".parquet" in line, line
    assert not out.exists()
    code, _, err = run_main(["impute", str(edited), "-o", str(tmp_path / "imputed.parquet")], capsys)
    assert code == 0, err
    assert "tags" in pl.read_parquet(tmp_path / "imputed.parquet").columns


def test_an_internal_error_is_said_on_one_line(monkeypatch, capsys):
    """A bug whose exception message runs over several lines (polars adds a blank line and the
    failing expression): the last line of stderr was "(rerun with --debug for a traceback)"
    alone, and the runner's 'last line' showed nothing of the error."""
    from clusterid.cli import app

    def broken(*_args, **_kwargs):
        raise ValueError("conversion failed in column 'level'\n\nThis error occurred in the "
                         "following expression:\n\tcol(\"level\").strict_cast(Int8)")

    class Broken:  # the app's commands (their options are looked up first), a run that fails
        commands = app.click_group().commands
        main = staticmethod(broken)

    monkeypatch.setattr(app, "click_group", Broken)
    code, _, err = run_main(["stats", "x.csv"], capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        "clusterid: error: internal error: ValueError: conversion failed in column 'level' "
        "(rerun with --debug for a traceback)"]


@pytest.fixture
def pipe_holding(monkeypatch):
    """A pipe holding some bytes (written whole, the writing end closed), named as a shell's
    process substitution names it: ``clusterid lq <(zcat table.csv.gz)`` is ``/dev/fd/63``.
    The buffers of pipes read in this process are forgotten after the test (a later test's
    pipe may get the same number)."""
    import os

    from clusterid.io import ingest

    monkeypatch.setattr(ingest, "_stdin_cache", {})
    opened = []

    def holding(data: bytes) -> str:
        read_end, write_end = os.pipe()
        os.write(write_end, data)
        os.close(write_end)
        opened.append(read_end)
        return f"/dev/fd/{read_end}"

    yield holding
    for fd in opened:
        os.close(fd)


@pytest.mark.skipif(not __import__("os").path.isdir("/dev/fd"), reason="needs /dev/fd (Linux, macOS)")
def test_an_input_through_a_pipe_is_read_once_as_stdin_is(tmp_path, capsys, pipe_holding):
    """``clusterid lq <(cat toy.csv)``: the readers opened the pipe once to sniff it and again
    to read it, and lq said "/dev/fd/63: the file is empty" (exit 1); a named pipe (mkfifo)
    made the second open wait for a writer that was gone, for ever.  The pipe is now buffered
    once, as stdin is, and named by the path given."""
    pipe = pipe_holding(TOY.encode())
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", pipe, "-o", str(out)], capsys)
    assert code == 0, err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 10
    meta = json.loads((tmp_path / "lq.csv.meta.json").read_text(encoding="utf-8"))
    assert [i["path"] for i in meta["inputs"]] == [pipe]


@pytest.mark.skipif(not __import__("os").path.isdir("/dev/fd"), reason="needs /dev/fd (Linux, macOS)")
def test_a_reference_table_through_a_pipe_is_refused_at_once(tmp_path, capsys, pipe_holding):
    """``lq -b <(cat national.csv)``: "not a readable reference table (found 'No such device
    (os error 19)')", and with a named pipe the command hung.  Now exit 2 saying to save it to
    a file (the option's file is read more than once)."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    pipe = pipe_holding(b"industry,benchmark_share\n10,1.0\n11,0.25\n21,0.75\n")
    code, _, err = run_main(["lq", str(src), "-b", pipe, "-o", str(tmp_path / "lq.csv")], capsys)
    line = _one_line_error(code, err, expected_code=2)
    assert line == (f"clusterid: error: {pipe}: a pipe or device, not a file; this option reads "
                    "its file more than once: save it to a file first")


# --------------------------------------------------------------------------- generic tables

LONG = '''\
region,industry,year,employment
49001,54,2016,{first}
49003,54,2016,340
49005,54,2016,560
49001,23,2016,80
'''


@pytest.mark.parametrize("word", ["abc", "TRUE"])
def test_a_first_data_row_with_a_word_for_a_figure_is_no_heading_row(tmp_path, capsys, word):
    """A long table (a county file typed by hand) whose first data row holds a word for its
    figure: the row was dropped as "1 label row under the header (a second heading row)", exit
    0, and county 49001's jobs in industry 54 were gone without an error; the same word on the
    second row was "not a number".  A row with its region and industry codes is data: the word
    is now located on the first row as on any other."""
    from conftest import ingest_text

    code, err, _rows = ingest_text(tmp_path, capsys, "counties.csv", LONG.format(first=word))
    line = _one_line_error(code, err)
    assert "counties.csv:2: column 'employment': not a number" in line and repr(word) in line, line


def test_a_units_row_under_the_header_is_still_dropped(tmp_path, capsys):
    """Beside it, a row of no key and a unit word (Statistics Canada's "", "Persons") is still
    the second heading row it was."""
    from conftest import ingest_text

    text = LONG.format(first="120").replace("49001,54,2016,120", ",,,persons", 1)
    code, err, rows = ingest_text(tmp_path, capsys, "counties.csv", text)
    assert code == 0, err
    assert len(rows) == 3 and "1 label row under the header" in err


def test_a_workbooks_placeholder_zero_for_a_formula_is_not_a_published_zero(tmp_path, capsys):
    """A workbook written by XlsxWriter (a script's export) with a formula cell and no result
    given: XlsxWriter saves 0 as the formula's value and flags the workbook to be calculated
    when opened (calcPr fullCalcOnLoad).  Excel shows 680; clusterid read 0 jobs, a reported
    figure, exit 0.  Now the formula cell is located, as one saved with no value is."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "counties.xlsx"

    def save(*value):
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("data")
        for i, row in enumerate([("region", "industry", "year", "employment"),
                                 ("49001", "54", 2016, 340), ("49003", "54", 2016, None),
                                 ("49005", "54", 2016, 560)]):
            sheet.write_row(i, 0, row)
        sheet.write_formula("D3", "=D2*2", None, *value)
        book.close()

    save()  # no value given: saved as 0
    out = tmp_path / "out.csv"
    code, _, err = run_main(["ingest", str(path), "-o", str(out)], capsys)
    line = _one_line_error(code, err)
    assert "counties.xlsx:3: column 'D': a formula saved without its value" in line, line
    assert "=D2*2, saved as 0 in a workbook to be calculated when opened" in line, line
    assert not out.exists()
    # the same formula saved with its result (as Excel saves it) is read
    save(680)
    code, _, err = run_main(["ingest", str(path), "-o", str(out)], capsys)
    assert code == 0, err
    rows = {r["region"]: r for r in __import__("conftest").csv_rows(out.read_text(encoding="utf-8"))}
    assert rows["49003"]["employment"] == "680.0"


# --------------------------------------------------------------------------- reference tables

@pytest.mark.parametrize("name, body, expected", [
    ("latin1", b"industry,benchmark_share,note\n10,1.0,\xe9tat\n11,0.25,x\n21,0.75,y\n",
     "national.csv:2: the --benchmark file: not UTF-8 text (expected a reference table in UTF-8, found 'byte 0xe9"),
    ("ragged", b"industry,benchmark_share\n10,1.0\n11,0.25,9\n21,0.75\n",
     "national.csv:3: the --benchmark file: row has 3 fields, the header has 2 (expected 2 fields, found '11,0.25,9')"),
])
def test_a_reference_table_that_is_no_clean_csv_is_located(tmp_path, capsys, name, body, expected):
    """``lq -b national.csv``, a table of national shares typed in a spreadsheet: saved as
    Latin-1 (a note column's 'état'), lq failed with "internal error: ComputeError: invalid
    utf-8 sequence"; with a row of one field too many, "internal error: ComputeError: found
    more fields than defined in 'Schema'" (exit 2 both).  Now the line, exit 1, no output."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    (tmp_path / "national.csv").write_bytes(body)
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-b", str(tmp_path / "national.csv"), "-o", str(out)],
                            capsys)
    line = _one_line_error(code, err)
    assert expected in line, line
    assert not out.exists()


@pytest.mark.parametrize("option, body, expected", [
    ("--definitions", b"industry,cluster,cluster_name\n11,a,\xe9tat\n21,b,x\n",
     "defs.csv:2: not UTF-8 text (expected a definitions table in UTF-8"),
    ("--definitions", b"industry,cluster\n11,a,x\n21,b\n",
     "defs.csv:2: row has 3 fields, the header has 2"),
    ("--definitions", b"industry,cluster\n11,a\x00\n21,b\n", "defs.csv:2: NUL byte in a text file"),
    ("--similarity", b"industry_a,industry_b,similarity\n11,21,0.5,4\n",
     "defs.csv:2: row has 4 fields, the header has 3"),
])
def test_a_detect_side_table_that_is_no_clean_csv_is_located(tmp_path, capsys, option, body,
                                                             expected):
    """Cluster definitions or a similarity table typed in a spreadsheet: saved as Latin-1 or
    with a row of a field too many, detect said "not a readable CSV file (found 'invalid utf-8
    sequence')" with no line (the similarity table's message went on over a second line,
    "Consider setting 'truncate_ragged_lines=True'."); a NUL byte in a cluster id was taken
    into the outputs.  Now the line, exit 1, and no output folder."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    (tmp_path / "defs.csv").write_bytes(body)
    extra = ["--signals", "colocation,user"] if option == "--similarity" else []
    out = tmp_path / "detect"
    code, _, err = run_main(["detect", str(src), "-o", str(out), option, str(tmp_path / "defs.csv"),
                             "--n-seeds", "0", *extra], capsys)
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid:")]
    assert code == 1 and len(lines) == 1, err
    assert expected in lines[0], lines[0]
    assert not out.exists()


# --------------------------------------------------------------------------- archives

def test_a_zip_member_with_damaged_data_is_named(tmp_path, capsys):
    """A zip of county files (as a download of several tables) whose first member's deflated
    bytes are damaged (a bad sector, a copy cut and patched): every stage failed with
    "internal error: error: Error -3 while decompressing data" (exit 2, no file named).  Now
    the archive and its member are named, as for a member that cannot be extracted."""
    import zipfile

    body = "region,industry,year,employment\n" + "".join(
        f"{49001 + 2 * i},{54 + i % 3},2016,{100 + 7 * i}\n" for i in range(60))
    path = tmp_path / "counties.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("counties_2016.csv", body)
    data = bytearray(path.read_bytes())
    start = 30 + len("counties_2016.csv")  # the local header, then the deflated bytes
    for at in range(start + 20, start + 40):
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    out = tmp_path / "out.csv"
    code, _, err = run_main(["ingest", str(path), "-o", str(out)], capsys)
    line = _one_line_error(code, err, expected_code=2)
    assert "counties.zip:counties_2016.csv: cannot extract (" in line, line
    assert not out.exists()


def test_a_level_past_a_small_integer_in_a_parquet_table_is_located(tmp_path, capsys, canonical):
    """A canonical Parquet whose level column is int64 (as pandas writes it) holding 300:
    every stage failed with "internal error: InvalidOperationError: conversion from `i64` to
    `i8` failed" (the message over three lines), where a CSV's '300' is located.  Now one
    line naming the column and the value, exit 1; an int64 level of right values is read."""
    import pyarrow as pa

    _, table, meta = canonical
    levels = table["level"].to_pylist()
    edited = _edited(tmp_path, table, meta, "wide.parquet", "level", pa.array(levels, pa.int64()))
    code, _, err = run_main(["lq", str(edited), "-o", str(tmp_path / "lq.csv")], capsys)
    assert code == 0, err
    levels[2] = 300
    edited = _edited(tmp_path, table, meta, "past.parquet", "level", pa.array(levels, pa.int64()))
    code, _, err = run_main(["lq", str(edited), "-o", str(tmp_path / "lq2.csv")], capsys)
    line = _one_line_error(code, err)
    assert line == (f"clusterid: error: {edited}: column 'level': not an industry level "
                    "(expected an industry level (a whole number, 0-6), found '300'); row 3"), line
    assert not (tmp_path / "lq2.csv").exists()


# --------------------------------------------------------------------------- JSON-stat

def _jsonstat(**changes) -> dict:
    """Eurostat's JSON-stat 2.0 answer for nama_10r_3empers (two NUTS 3 regions, three NACE
    aggregates, 2021), as its API gives it, with ``changes`` made to the dataset."""
    dataset = {
        "version": "2.0", "class": "dataset", "label": "Employment by NUTS 3 regions",
        "value": {"0": 120.5, "1": 310.0, "2": 30.2, "3": 70.0, "4": 25.1, "5": 61.5},
        "status": {"4": "p"},
        "id": ["nace_r2", "geo", "time"], "size": [3, 2, 1],
        "dimension": {
            "nace_r2": {"label": "NACE", "category": {
                "index": {"TOTAL": 0, "C": 1, "F": 2},
                "label": {"TOTAL": "Total - all NACE activities", "C": "Manufacturing",
                          "F": "Construction"}}},
            "geo": {"label": "Geopolitical entity", "category": {
                "index": {"AT111": 0, "AT112": 1},
                "label": {"AT111": "Mittelburgenland", "AT112": "Nordburgenland"}}},
            "time": {"label": "Time", "category": {"index": {"2021": 0}}}}}
    for key, value in changes.items():
        if key == "geo":
            dataset["dimension"]["geo"] = value
        else:
            dataset[key] = value
    return dataset


@pytest.mark.parametrize("changes, expected", [
    ({"geo": ["AT111", "AT112"]}, "JSON-stat dimension 'geo': the dimension is no JSON object"),
    ({"geo": {"category": ["AT111", "AT112"]}}, "its category is no JSON object"),
    ({"geo": {"category": {"index": ["AT111", "AT112"], "label": ["a", "b"]}}},
     "its category labels are no JSON object"),
    ({"value": "120.5"}, "JSON-stat value is no array or object"),
    ({"status": 5}, "JSON-stat status is no array or object"),
])
def test_a_jsonstat_dataset_of_the_wrong_shape_is_said(tmp_path, capsys, changes, expected):
    """A JSON-stat answer edited or generated by hand with a dimension, a category or its
    labels that is a list or a string: "internal error: AttributeError: 'list' object has no
    attribute 'get'" (exit 2).  A value that is a string (not an array or object) was read as
    no values at all, every cell suppressed, exit 0; a status that is a number was dropped.
    Each is now a one-line error, exit 1."""
    path = tmp_path / "nama_10r_3empers.json"
    path.write_text(json.dumps(_jsonstat(**changes)), encoding="utf-8")
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "out.csv")], capsys)
    line = _one_line_error(code, err)
    assert expected in line, line


def test_a_text_value_in_a_jsonstat_dataset_is_no_heading_row(tmp_path, capsys):
    """The first observation of a JSON-stat dataset with the value "abc" (or true) was dropped
    as "1 label row under the header (a second heading row)", exit 0: a JSON-stat dataset has
    no heading row under its header.  It is now 'not a number' on its line."""
    dataset = _jsonstat()
    dataset["value"]["0"] = "abc"
    path = tmp_path / "nama_10r_3empers.json"
    path.write_text(json.dumps(dataset), encoding="utf-8")
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "out.csv")], capsys)
    line = _one_line_error(code, err)
    assert "nama_10r_3empers.json:2: column 'OBS_VALUE': not a number" in line, line
    assert "found 'abc'" in line, line


# --------------------------------------------------------------------------- input-output tables

@pytest.mark.parametrize("body, expected", [
    ("code,11,21\n11,0,inf\n21,2,0\n", "io.csv:2: column '21': not a number (expected a finite "
                                        "number below 1e+15 or (D), found 'inf')"),
    ("code,11,21\n11,0,NaN\n21,2,0\n", "io.csv:2: column '21': not a number"),
    ("code,11,21\n11,0,1e300\n21,2,0\n", "io.csv:2: column '21': not a number"),
    ("code,11,21\n11,0,4,5\n21,2,0\n", "io.csv:2: row of 4 cells (expected 3 cells, as the header"),
    ("code,11,21\n11,0,4\n11,0,5\n21,2,0\n",
     "io.csv:3: column 'code': a sector's row given twice (expected one row per sector (line 2"),
])
def test_an_input_output_matrix_with_a_broken_cell_or_row_is_located(tmp_path, capsys, body,
                                                                     expected):
    """``detect --io`` with a square matrix of flows (a national office's symmetric table saved
    as CSV): 'inf' and 'NaN' were read as floats without a word (NaN as a missing flow), 1e300
    made the Leontief inverse fail ("internal error: LinAlgError: Singular matrix"), a row
    longer than the header lost its last cells and a sector's second row replaced its first,
    both unsaid.  Each is now located, exit 1, and no output folder."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    (tmp_path / "io.csv").write_text(body, encoding="utf-8")
    out = tmp_path / "detect"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--io", str(tmp_path / "io.csv"),
                             "--signals", "colocation,io", "--n-seeds", "0"], capsys)
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid:")]
    assert code == 1 and len(lines) == 1, err
    assert expected in lines[0], lines[0]
    assert not out.exists()


def test_a_data_row_saved_with_another_separator_is_no_note_row(tmp_path, capsys):
    """A county table joined from two exports, one saved with ';' (a continental spreadsheet):
    the ';' row has one filled cell in the comma-separated file, and it was dropped as "1 note
    rows under the table (one filled cell)", exit 0, county 49003's construction jobs gone,
    though it stood in the middle of the table.  It is now located; a footnote under the table
    ("Source: ...; 2016; 2017") is still a note."""
    from conftest import ingest_text

    text = ("region,industry,year,employment\n49001,54,2016,120\n49003;23;2016;90\n"
            "49003,54,2016,340\n49001,23,2016,80\n")
    code, err, _ = ingest_text(tmp_path, capsys, "counties.csv", text)
    line = _one_line_error(code, err)
    assert ("counties.csv:3: a row whose fields are separated by ';', the file's by ',' "
            "(expected 4 fields separated by ',', found '49003;23;2016;90')") in line, line
    code, err, rows = ingest_text(tmp_path, capsys, "counties.csv", text.replace(
        "49003;23;2016;90\n", "") + "Source: BLS; 2016; 2017; 2018\n")
    assert code == 0, err
    assert len(rows) == 3 and "1 note rows under the table" in err


def test_a_bea_year_heading_that_is_no_year_is_said(tmp_path, capsys):
    """BEA's CAEMP25N download (county employment by industry, years across) with the 2016
    heading retyped: that column was not read, half the rows gone (630 of 1260 kept), exit 0,
    with no word of the column.  It is now named, exit 1."""
    from pathlib import Path

    src = Path(__file__).parent / "data" / "bea" / "CAEMP25N_UT_2015_2016.csv"
    text = src.read_text(encoding="utf-8").replace('"2015","2016"', '"2015","2016 (r)"', 1)
    path = tmp_path / "CAEMP25N_UT_2015_2016.csv"
    path.write_text(text, encoding="utf-8")
    code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "out.csv")], capsys)
    line = _one_line_error(code, err)
    assert ("CAEMP25N_UT_2015_2016.csv:1: column '2016 (r)': a column heading among the years "
            "that is no year") in line, line


def test_a_parquet_reference_table_of_lists_is_said(tmp_path, capsys):
    """``lq -b shares.parquet``, a table of national shares a script wrote with each share in
    a list: "internal error: InvalidOperationError: cannot cast List type" (exit 2).  Now the
    column is named, exit 1."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    pq.write_table(pa.table({"industry": ["10", "11", "21"],
                             "benchmark_share": [[1.0], [0.25], [0.75]]}), tmp_path / "shares.parquet")
    code, _, err = run_main(["lq", str(src), "-b", str(tmp_path / "shares.parquet"), "-o",
                             str(tmp_path / "lq.csv")], capsys)
    line = _one_line_error(code, err)
    assert "shares.parquet: column 'benchmark_share': not a reference table" in line, line
    assert "List(Float64) values" in line, line


def test_a_long_cell_in_a_canonical_csv_is_located(tmp_path, capsys):
    """A canonical table saved by hand with a 10 MB figure on its last row (a paste gone
    wrong): the number was found implausible, and locating its line failed with "internal
    error: Error: field larger than field limit (131072)".  Now the line is said, exit 1."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY + "2016,D,total,10,custom,0," + "9" * 200_000 + ",reported\n",
                   encoding="utf-8")
    code, _, err = run_main(["lq", str(src), "-o", str(tmp_path / "lq.csv")], capsys)
    line = _one_line_error(code, err)
    assert "toy.csv:11: column 'employment': not a plausible number" in line, line


def test_locating_lifts_the_csv_field_limit_only_while_it_parses(tmp_path):
    """The locating (csv_records) lifted the csv module's field size limit, a process-wide
    setting, for as long as its generator lived: while its caller worked on a record the limit
    was 2**30 for every other reader (the readers' own check of a cell against the limit
    among them), and a caller that stopped early left it lifted.  It is now lifted for each
    record's parse only; the 200,000-digit cell of the test above is still read whole."""
    import csv

    from clusterid.io.readers.text import csv_records

    src = tmp_path / "toy.csv"
    src.write_text(TOY + "2016,D,total,10,custom,0," + "9" * 200_000 + ",reported\n",
                   encoding="utf-8")
    before = csv.field_size_limit()
    records = csv_records(str(src))
    next(records)
    assert csv.field_size_limit() == before  # between two records, the caller's turn
    *_, (line, last) = records
    assert line == 11 and last[6] == "9" * 200_000
    assert csv.field_size_limit() == before
    stopped = csv_records(str(src))
    next(stopped)  # a caller that stops early and keeps the generator
    assert csv.field_size_limit() == before


def test_a_workbook_given_for_cluster_definitions_is_said(tmp_path, capsys):
    """``--definitions clusters.xlsx``: "defs.xlsx:1: NUL byte in a text file ... save it again
    as UTF-8 CSV" (an xlsx is a zip).  Now it says a workbook is no CSV table."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    import zipfile

    with zipfile.ZipFile(tmp_path / "clusters.xlsx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "detect"), "--definitions",
                             str(tmp_path / "clusters.xlsx"), "--n-seeds", "0"], capsys)
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid:")]
    assert code == 1 and len(lines) == 1, err
    assert "clusters.xlsx: a workbook, not a CSV table" in lines[0], lines[0]
    assert "save the sheet as CSV" in lines[0]


def test_a_reference_table_of_a_header_alone_is_said(tmp_path, capsys):
    """``lq -b national.csv`` whose national shares were never pasted under the header: every
    LQ came out empty ('no benchmark'), exit 0, as if the table listed none of the input's
    industries.  Now it is said, exit 1, and nothing is written."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    (tmp_path / "national.csv").write_text("industry,benchmark_share\n\n", encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-b", str(tmp_path / "national.csv"), "-o", str(out)],
                            capsys)
    line = _one_line_error(code, err)
    assert "national.csv:1: the reference table has no data rows" in line, line
    assert not out.exists()


def test_an_astronomical_similarity_is_said(tmp_path, capsys):
    """``detect --similarity`` with a similarity of 1e300 (a unit slip in a generated table):
    the scaling overflowed, numpy's RuntimeWarning over two lines of stderr, exit 0 with the
    pair's relatedness undefined.  Now the cell is named, exit 1."""
    src = tmp_path / "toy.csv"
    src.write_text(TOY, encoding="utf-8")
    (tmp_path / "sim.csv").write_text("industry_a,industry_b,similarity\n11,21,1e300\n",
                                      encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "detect"), "--similarity",
                             str(tmp_path / "sim.csv"), "--signals", "colocation,user",
                             "--n-seeds", "0"], capsys)
    lines = [ln for ln in err.splitlines() if ln.startswith("clusterid:")]
    assert code == 1 and len(lines) == 1, err
    assert ("sim.csv:2: column 'similarity': not a plausible similarity (expected a number "
            "below 1e+15, found '1e300')") in lines[0], lines[0]
    assert "RuntimeWarning" not in err
