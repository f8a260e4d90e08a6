"""Mutants of the bundled real samples, each through the CLI, against the project's promises.

Every sample below is a committed file whose source tests/data/README.md names (BLS QCEW
quarterly and annual, Census CBP, Eurostat bulk TSV, SDMX-TSV and SDMX-CSV, BEA CAEMP25N,
generic wide and German long tables, a canonical table; further down a canonical Parquet
table, a stat.gov.kz workbook and a Eurostat JSON-stat answer).  Each is damaged the ways files are damaged in the wild --
cut mid-line or mid-gzip-stream, a row with a field too many or too few, a key heading
given twice or left blank, a number cell holding garbage, NUL bytes, CR line ends, one byte
that is not UTF-8, a BOM inside the file, a gzip stream under a .csv name or plain text under
a .gz name, a very long line, each column left out in turn, random damage (Hypothesis) -- and
run through ``clusterid ingest`` (some through lq, stats, impute, detect) in-process.  Whatever
the damage:

* the exit code is 0, 1 (bad data) or 2 (usage, unreadable), and no traceback;
* a failure is one ``clusterid: error:`` line per problem, the first naming the file;
* a failure leaves no output file (nor a temporary one) behind;
* a success loses nothing: a mutant that keeps every value (another line ending, a gzip
  stream under the wrong name) gives the sample's output byte for byte, and a number cell
  that is still a number (``-0``, ``.5``) changes that one cell to that number -- never a
  silently different table.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import TEST_DATA
from conftest import run_main as run_cli


@dataclass(frozen=True)
class Sample:
    path: Path
    name: str          # the file name the mutant is written under
    column: str        # a measure column's heading in the file
    line: int          # a data line (1 = header) of a kept row whose cell is mutated
    sep: str
    encoding: str = "utf-8"
    decimal: str = "."
    cell: str = "{}"   # how a value is written in the file's cells (Eurostat: '28.3 ')


SAMPLES = {
    "qcew_quarterly": Sample(TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv", "qcew_utah.csv",
                             "qtrly_estabs_count", 138, ","),
    "qcew_annual": Sample(TEST_DATA / "qcew" / "2016.annual.49001.beaver_county.csv",
                          "2016.annual.49001.csv", "annual_avg_estabs", 21, ","),
    "cbp": Sample(TEST_DATA / "cbp" / "cbp16co_excerpt.txt", "cbp16co.txt", "est", 8, ","),
    "eurostat": Sample(TEST_DATA / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv", "namq.tsv",
                       "2016", 2, "\t", cell="{} "),
    "sdmx_csv": Sample(TEST_DATA / "generic" / "eurostat_sdmx_csv_layout.csv", "sdmx.csv",
                       "OBS_VALUE", 2, ","),
    "wide": Sample(TEST_DATA / "generic" / "wide_by_year.csv", "wide.csv", "2016", 3, ";",
                   decimal=","),
    "de_latin1": Sample(TEST_DATA / "generic" / "de_laender_latin1.csv", "de.csv", "Betriebe", 3,
                        ";", encoding="latin-1", decimal=","),
    "canonical": Sample(TEST_DATA / "lq" / "toy_canonical.csv", "toy.csv", "employment", 3, ","),
    "bea": Sample(TEST_DATA / "bea" / "CAEMP25N_UT_2015_2016.csv", "CAEMP25N_UT.csv", "2016", 12, ","),
    "eurostat_sdmx_tsv": Sample(TEST_DATA / "eurostat" / "namq_10_a10_e_sdmx_excerpt.tsv", "namq_sdmx.tsv",
                                "2016", 2, "\t", cell="{} "),
}


# ---------------------------------------------------------------------------------------------
# mutations: bytes -> bytes (a few also rename the file)

def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _rows(s: Sample, data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(s.encoding), newline=""), delimiter=s.sep))


def set_cell(s: Sample, data: bytes, value: str, line: int | None = None) -> bytes:
    """``data`` with the sample's measure cell on ``line`` replaced by ``value`` (quoted where the
    separator or a quote is in it), the other lines byte for byte as they were."""
    lines = _lines(data)
    header = next(csv.reader([lines[0].decode(s.encoding).lstrip("\ufeff")], delimiter=s.sep))
    at = [h.strip() for h in header].index(s.column)
    line = line or s.line
    raw = lines[line - 1].decode(s.encoding)
    end = "\r" if raw.endswith("\r") else ""
    row = next(csv.reader([raw.rstrip("\r")], delimiter=s.sep))
    row[at] = s.cell.format(value)
    out = io.StringIO()
    csv.writer(out, delimiter=s.sep, lineterminator="", quoting=csv.QUOTE_MINIMAL).writerow(row)
    lines[line - 1] = (out.getvalue() + end).encode(s.encoding)
    return b"\n".join(lines)


def _with_line(data: bytes, line: int, change) -> bytes:
    lines = _lines(data)
    lines[line - 1] = change(lines[line - 1])
    return b"\n".join(lines)


def _cut_mid_line(s: Sample):
    """The file cut in the middle of the sample's data line (a download stopped there)."""
    def cut(data: bytes) -> bytes:
        lines = _lines(data)
        return b"\n".join(lines[: s.line - 1] + [lines[s.line - 1][: len(lines[s.line - 1]) // 2]])
    return cut


def _extra_field(s: Sample):
    return lambda data: _with_line(data, s.line, lambda b: b.rstrip(b"\r") + s.sep.encode() + b"7")


def _missing_field(s: Sample):
    return lambda data: _with_line(data, s.line, lambda b: s.sep.encode().join(b.rstrip(b"\r").split(s.sep.encode())[:-1]))


def _first_heading_twice(s: Sample):
    def change(data):
        cells = _lines(data)[0].split(s.sep.encode())
        return _with_line(data, 1, lambda _: s.sep.encode().join([cells[0], cells[0]] + cells[2:]))
    return change


def _measure_heading_as_first(s: Sample):
    """The measure's heading replaced by the first column's: two columns of one name."""
    def change(data):
        cells = _lines(data)[0].split(s.sep.encode())
        at = [c.strip(b' "\r').decode(s.encoding).lstrip("\ufeff") for c in cells].index(s.column)
        cells[at] = cells[0].lstrip(b"\xef\xbb\xbf")
        return _with_line(data, 1, lambda _: s.sep.encode().join(cells))
    return change


def _blank_first_heading(s: Sample):
    return lambda data: _with_line(data, 1, lambda b: s.sep.encode() + b.split(s.sep.encode(), 1)[1])


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")


def _cr_only(data: bytes) -> bytes:
    return _crlf(data).replace(b"\n", b"\r")


def _mixed_line_ends(data: bytes) -> bytes:
    parts = _crlf(data).split(b"\n")
    return b"".join(p + (b"\n", b"\r\n", b"\r")[i % 3] for i, p in enumerate(parts[:-1])) + parts[-1]


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# name -> (mutation builder taking the sample, what must come of it, suffix added to the name)
# must: "fail" exit 1 with a located error; "same" exit 0 with the sample's output byte for byte,
# or a clear error; "any" exit 0/1/2 under the general promises
STRUCTURE = {
    "cut_mid_line": (_cut_mid_line, "fail", ""),
    "cut_mid_gzip_stream": (lambda s: lambda d: _gzip(d)[: len(_gzip(d)) * 2 // 3], "fail", ".gz"),
    "cut_gzip_under_plain_name": (lambda s: lambda d: _gzip(d)[: len(_gzip(d)) * 2 // 3], "fail", ""),
    "gzip_under_plain_name": (lambda s: _gzip, "same", ""),
    "plain_under_gz_name": (lambda s: lambda d: d, "same", ".gz"),
    "gzip_then_garbage": (lambda s: lambda d: _gzip(d) + b"garbage", "fail", ".gz"),
    "extra_field": (_extra_field, "fail", ""),
    "missing_field": (_missing_field, "fail", ""),
    "first_heading_twice": (_first_heading_twice, "fail", ""),
    "measure_heading_duplicated": (_measure_heading_as_first, "fail", ""),
    "blank_first_heading": (_blank_first_heading, "any", ""),
    "nul_in_row": (lambda s: lambda d: _with_line(d, s.line, lambda b: b[:5] + b"\x00" + b[5:]), "fail", ""),
    "nul_in_number": (lambda s: lambda d: set_cell(s, d, "1\x002"), "fail", ""),
    "cr_only": (lambda s: _cr_only, "same", ""),
    "mixed_line_ends": (lambda s: _mixed_line_ends, "same", ""),
    "invalid_utf8_byte": (lambda s: lambda d: _with_line(d, s.line, lambda b: b[:3] + b"\xff" + b[3:]), "any", ""),
    "bom_starting_a_line": (lambda s: lambda d: _with_line(d, s.line, lambda b: b"\xef\xbb\xbf" + b), "any", ""),
    "bom_inside_a_line": (lambda s: lambda d: _with_line(d, s.line, lambda b: b[:4] + b"\xef\xbb\xbf" + b[4:]), "any", ""),
    "empty": (lambda s: lambda d: b"", "fail", ""),
    "blank_lines_only": (lambda s: lambda d: b"\n\r\n \n", "fail", ""),
    "header_only": (lambda s: lambda d: _lines(d)[0] + b"\n", "fail", ""),
    "open_quote": (lambda s: lambda d: _with_line(d, s.line, lambda b: b'"' + b), "fail", ""),
    "row_twice": (lambda s: lambda d: b"\n".join(_lines(d)[: s.line] + _lines(d)[s.line - 1:]), "fail", ""),
    # a megabyte of text on one line (the last cell of a row, read or not: QCEW's last
    # columns are not)
    "very_long_line": (lambda s: lambda d: _with_line(d, s.line, lambda b: b.rstrip(b"\r") + b"x" * 1_000_000), "any", ""),
}

# cells that are no number (every reader must refuse them, naming the cell)
GARBAGE = ["12a", "1.2.3", "∞", "NaN", "nan", "inf", "-inf", "Infinity", "1e999", "1_000", "١٢",
           "１２", "0x10", "+-5", "--5", "1 2", "99999999999999999999999"]
# cells that are numbers: read as that number, or refused -- never another number
NUMBERS = {"-0": 0.0, ".5": 0.5, "1.": 1.0, "+1": 1.0}


def _mutant(tmp_path: Path, s: Sample, data: bytes, suffix: str = "") -> Path:
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    path = src / (s.name + suffix)
    path.write_bytes(data)
    return path


def _ingest(capsys, tmp_path: Path, path: Path, out_name: str = "out.csv"):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    code, _, err = run_cli(["ingest", str(path), "-o", str(out / out_name)], capsys)
    return code, err, out


def check_answer(code: int, err: str, out: Path, shown: str) -> None:
    """The promises every run keeps, whatever its input."""
    assert code in (0, 1, 2), f"exit {code}: {err}"
    assert "Traceback" not in err, err
    if code == 0:
        return
    # (detect says the step it is at, 'detect: reading toy.csv ...', before it fails)
    lines = [line for line in err.strip().splitlines() if not line.startswith("detect: ")]
    assert lines and all(line.startswith("clusterid: error:") for line in lines), err
    assert shown in lines[0] or code == 2, f"the message does not name {shown}: {err}"
    assert sorted(p.name for p in out.iterdir()) == [], "a failed run left files behind"


_BASE: dict[str, bytes] = {}


def baseline(capsys, tmp_path_factory, key: str) -> bytes:
    """The sample's own ingest output (CSV), computed once."""
    if key not in _BASE:
        s = SAMPLES[key]
        tmp = tmp_path_factory.mktemp("base")
        code, err, out = _ingest(capsys, tmp, _mutant(tmp, s, s.path.read_bytes()))
        assert code == 0, err
        _BASE[key] = (out / "out.csv").read_bytes()
    return _BASE[key]


def _table(data: bytes) -> dict[tuple, dict]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return {tuple(r[k] for k in ("period", "region", "ownership", "industry")): r for r in rows}


# failures found and not fixed yet, each with its reason (strict: fixing one says so)
KNOWN: dict[str, str] = {
}


def _ids(cases):
    ids = [f"{a}-{b!r}" if not isinstance(b, str) or b not in STRUCTURE else f"{a}-{b}" for a, b in cases]
    return [pytest.param(*c, id=i, marks=[pytest.mark.xfail(reason=KNOWN[i], strict=True)] if i in KNOWN else [])
            for c, i in zip(cases, ids)]


CASES = [(k, m) for k in SAMPLES for m in STRUCTURE]
# BEA writes its FIPS cell as '" ""49000"""': a quote more before it is read as the same code
MUST = {("bea", "open_quote"): "same"}


@pytest.mark.parametrize("key,mutation", _ids(CASES))
def test_structural_mutant(key, mutation, tmp_path, capsys, tmp_path_factory):
    s = SAMPLES[key]
    build, must, suffix = STRUCTURE[mutation]
    must = MUST.get((key, mutation), must)
    path = _mutant(tmp_path, s, build(s)(s.path.read_bytes()), suffix)
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    if must == "fail":
        assert code == 1, f"exit {code} on a damaged file: {err}"
    if mutation in ("first_heading_twice", "measure_heading_duplicated") and not key.startswith("eurostat"):
        # (QCEW and CBP said "header row cannot be read ... found 'area_fips_duplicated_0'",
        # the CSV scanner's name for the second; a canonical CSV lost the measure, exit 0)
        assert "duplicate column heading (expected each heading once" in err, err
    elif must == "same" and code == 0:
        assert (out / "out.csv").read_bytes() == baseline(capsys, tmp_path_factory, key), (
            "a mutant that keeps every value gave another table")
    elif must == "same":  # refused: then at the line that is not as it should be
        assert re.search(rf"{re.escape(path.name)}:\d+: ", err.splitlines()[0]), err


def _encodable(s: Sample, text: str) -> bool:
    try:
        text.encode(s.encoding)
    except UnicodeEncodeError:
        return False
    return True


# each cell in three samples' files (rotating), so that every reader meets several of them
GARBAGE_CASES = [(k, g) for i, k in enumerate(SAMPLES) for j, g in enumerate(GARBAGE)
                 if (i + j) % 3 == 0 and _encodable(SAMPLES[k], g)]


@pytest.mark.parametrize("key,cell", _ids(GARBAGE_CASES))
def test_a_cell_that_is_no_number_is_refused_naming_it(key, cell, tmp_path, capsys):
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, set_cell(s, s.path.read_bytes(), cell))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1, f"{cell!r} read as a number: {err}"
    assert f"{path.name}:{s.line}:" in err.splitlines()[0], err


NUMBER_CASES = [(k, v) for i, k in enumerate(SAMPLES) for j, v in enumerate(NUMBERS) if (i + j) % 2 == 0]


@pytest.mark.parametrize("key,cell", _ids(NUMBER_CASES))
def test_a_cell_that_is_a_number_is_that_number_or_refused(key, cell, tmp_path, capsys, tmp_path_factory):
    s = SAMPLES[key]
    written = cell.replace(".", ",") if s.decimal == "," else cell
    original = s.path.read_bytes()
    path = _mutant(tmp_path, s, set_cell(s, original, written))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    if code != 0:
        return
    before, after = _table(baseline(capsys, tmp_path_factory, key)), _table((out / "out.csv").read_bytes())
    assert before.keys() == after.keys()
    changed = {k: {c for c in before[k] if before[k][c] != after[k][c]} for k in before}
    changed = {k: v for k, v in changed.items() if v}
    if not changed:  # the cell held that number already
        return
    (key_, cols), = changed.items()
    measure = next(c for c in cols if not c.endswith(("_status", "_flag", "_lower", "_upper")))
    assert cols <= {measure, f"{measure}_status", f"{measure}_flag"}, cols
    old_cell = _rows(s, original)[s.line - 1][[h.strip() for h in _rows(s, original)[0]].index(s.column)]
    old = float(re.sub(r"[^\d.,]", "", old_cell).replace(".", "").replace(",", ".")
                if s.decimal == "," else re.sub(r"[^\d.]", "", old_cell))
    scale = float(before[key_][measure]) / old
    assert float(after[key_][measure]) == pytest.approx(NUMBERS[cell] * scale), (
        f"{cell!r} read as {after[key_][measure]}")


def test_qcew_wages_with_unquoted_thousands_separators_are_refused(tmp_path, capsys):
    # polars reads a row with more fields than the header without a word when only some
    # columns are read: 14,798,352 (a spreadsheet's display format) became wages of 14 and the
    # row's other fields shifted into columns left unread, exit 0
    s = SAMPLES["qcew_quarterly"]
    lines = _lines(s.path.read_bytes())
    assert b",14798352," in lines[137]
    lines[137] = lines[137].replace(b",14798352,", b",14,798,352,")
    path = _mutant(tmp_path, s, b"\n".join(lines))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:138: row has 49 fields, the header has 47" in err, err


@pytest.mark.parametrize("stage", ["ingest", "lq", "stats"])
def test_an_empty_cell_marked_reported_in_a_canonical_csv_is_refused(stage, tmp_path, capsys):
    # the toy's 40 blanked, its status left 'reported': stats counted it as reported and lq left
    # it out of the benchmark's industry total saying only 'missing cell', exit 0
    s = SAMPLES["canonical"]
    path = _mutant(tmp_path, s, set_cell(s, s.path.read_bytes(), ""))
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli([stage, str(path), "-o", str(out / "o.csv")], capsys)
    check_answer(code, err, out, path.name)
    assert code == 1
    assert err.splitlines()[0].endswith(
        f"{path.name}:3: column 'employment': an empty cell marked reported (expected a value where "
        "employment_status is reported (an empty employment cell is suppressed), found 'an empty "
        "cell (period=2016, region=A, ownership=total, industry=11)')"), err


def test_an_empty_cell_marked_reported_in_a_canonical_parquet_is_refused(tmp_path, capsys):
    import polars as pl

    df = pl.read_csv(SAMPLES["canonical"].path, infer_schema=False).with_columns(
        pl.col("level").cast(pl.Int8), pl.col("employment").cast(pl.Float64))
    path = tmp_path / "in" / "toy.parquet"
    path.parent.mkdir()
    df.with_columns(pl.when(pl.col("industry") == "11").then(None).otherwise(pl.col("employment"))
                    .alias("employment")).write_parquet(path)
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and "an empty cell marked reported" in err and "row 2;" in err, err


@pytest.mark.parametrize("cell", ["NaN", "inf", "-Infinity"])
def test_a_first_row_whose_only_value_is_not_finite_is_no_heading_row(cell, tmp_path, capsys):
    # the generic reader drops a first row under the header whose every value cell is words
    # (a second heading row); 'NaN' and 'inf' have letters enough, and the row was dropped,
    # said only as "1 label row under the header", exit 0
    s = SAMPLES["sdmx_csv"]
    path = _mutant(tmp_path, s, set_cell(s, s.path.read_bytes(), cell))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and "sdmx.csv:2: column 'OBS_VALUE': not a number" in err, err


@pytest.mark.parametrize("cell,value", [("1 2", None), ("1'2", None), ("12345 678", None),
                                        ("1 01", None), ("1\u00a0011,5", 1011.5), ("1 011", 1011.0)])
def test_a_blank_separates_thousands_only_between_groups_of_three(cell, value, tmp_path, capsys):
    # blanks and apostrophes were dropped wherever they stood: '1 2' was read as 12
    s = SAMPLES["wide"]
    path = _mutant(tmp_path, s, set_cell(s, s.path.read_bytes(), cell))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    if value is None:
        assert code == 1 and "wide.csv:3: column '2016': not a number" in err, err
    else:
        assert code == 0, err
        rows = _table((out / "out.csv").read_bytes())
        assert float(rows[("2016", "DE1", "total", "F")]["employment"]) == value


@pytest.mark.parametrize("cell", ["1_000", "\u00a012", "１２"])
@pytest.mark.parametrize("gz", [False, True])
def test_a_canonical_csv_cell_python_reads_and_polars_does_not_is_located(cell, gz, tmp_path, capsys):
    # the locating pass read cells with Python's float(), which takes these: the error was
    # "toy.csv: not a number in a numeric column (expected numbers)", no line, no column, no cell
    s = SAMPLES["canonical"]
    data = set_cell(s, s.path.read_bytes(), cell)
    path = _mutant(tmp_path, s, _gzip(data) if gz else data, ".gz" if gz else "")
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:3: column 'employment': not a number" in err, err


def test_a_canonical_csv_with_an_open_quote_names_its_line(tmp_path, capsys):
    s = SAMPLES["canonical"]
    path = _mutant(tmp_path, s, _with_line(s.path.read_bytes(), 4, lambda b: b'"' + b))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:4: a quote inside an unquoted value" in err, err


@pytest.mark.parametrize("damage", [lambda b: b[:5] + b"\x00" + b[5:], lambda b: b'"' + b])
def test_a_eurostat_code_with_a_nul_or_stray_quote_is_refused(damage, tmp_path, capsys):
    # 'THS_P\x00ER' and '"THS_PER' were units of their own: the row dropped as
    # "unit other than THS_PER", exit 0
    s = SAMPLES["eurostat"]
    path = _mutant(tmp_path, s, _with_line(s.path.read_bytes(), 4, damage))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:4: column 'unit,nace_r2,s_adj,na_item,geo\\\\time': a control " \
        "character or a quote inside a code" in err, err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_nul_in_a_text_file_with_a_byte_order_mark_is_refused(encoding, tmp_path, capsys):
    # the NUL check ran on every text but one a byte-order mark announced: 'Al\x00abama' was
    # read as a state's name, exit 0
    src = TEST_DATA / "generic" / "us_naics_utf8_bom.csv"
    text = src.read_bytes().decode("utf-8-sig").split("\n")
    text[2] = text[2][:5] + "\x00" + text[2][5:]
    path = tmp_path / "in" / "us.csv"
    path.parent.mkdir()
    path.write_bytes("\n".join(text).encode(encoding))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and "us.csv:3: NUL character in UTF-" in err, err


@pytest.mark.parametrize("key", ["qcew_quarterly", "qcew_annual"])
def test_qcew_with_mixed_line_ends_names_the_line_with_a_bare_cr(key, tmp_path, capsys):
    # the CSV scanner reads 'row\rrow' as one row of too many fields: with only the measures
    # read, 73 of 219 rows were gone, exit 0; then "not a number (... found 'found more fields
    # than defined in 'Schema' ...')", as Python's csv module (the locating pass) ends rows at CR
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, _mixed_line_ends(s.path.read_bytes()))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:3: a bare carriage return (CR) inside the line" in err, err


@pytest.mark.parametrize("at", [0, 4])
def test_a_utf8_byte_order_mark_inside_a_latin1_file_is_refused(at, tmp_path, capsys):
    # a UTF-8 file joined to a Latin-1 one: its BOM was read as 'ï»¿' (or 'ď»ż'), and
    # 'ï»¿Baden-Württemberg' became a region of its own, exit 0
    s = SAMPLES["de_latin1"]
    path = _mutant(tmp_path, s, _with_line(s.path.read_bytes(), 3, lambda b: b[:at] + b"\xef\xbb\xbf" + b[at:]))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:3: a UTF-8 byte-order mark inside cp125" in err, err


@pytest.mark.parametrize("key", ["qcew_quarterly", "qcew_annual"])
def test_qcew_with_its_area_heading_blanked_is_said_to_miss_it(key, tmp_path, capsys):
    # the sniffer wanted all four code headings, so the file went to the generic reader:
    # Beaver County's 49001 a German 'kreis', local government kept beside private, exit 0
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, _blank_first_heading(s)(s.path.read_bytes()))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:1: not a QCEW file" in err and "found 'missing area_fips'" in err, err


def test_a_eurostat_tsv_with_cr_line_ends_says_so(tmp_path, capsys):
    # the header ran on into the rows: "column '2014 \rTHS_PER,A,NSA,SAL_DC,AT': unrecognised
    # period heading"
    s = SAMPLES["eurostat"]
    path = _mutant(tmp_path, s, _cr_only(s.path.read_bytes()))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:1: lines end in a bare carriage return (CR)" in err, err


@pytest.mark.parametrize("stage", ["ingest", "lq"])
def test_a_canonical_csv_with_cr_line_ends_says_so(stage, tmp_path, capsys):
    # its header line ran to the end of the file, so it was no canonical table but a raw one,
    # refused for codes the generic reader 'cannot tell NAICS from NACE' (10 beside 11, 21)
    s = SAMPLES["canonical"]
    path = _mutant(tmp_path, s, _cr_only(s.path.read_bytes()))
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli([stage, str(path), "-o", str(out / "o.csv")], capsys)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:1: lines end in a bare carriage return (CR)" in err, err


# ---------------------------------------------------------------------------------------------
# Parquet, workbooks and paths that are not files

def _canonical_parquet(tmp_path: Path, change=None) -> Path:
    import polars as pl

    df = pl.read_csv(SAMPLES["canonical"].path, infer_schema=False).with_columns(
        pl.col("level").cast(pl.Int8), pl.col("employment").cast(pl.Float64))
    path = tmp_path / "in" / "toy.parquet"
    path.parent.mkdir(exist_ok=True)
    (change(df) if change else df).write_parquet(path)
    return path


PARQUET = {
    "zero_bytes": (lambda p: p.write_bytes(b""), 1, "the file is empty"),
    "cut_in_half": (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), 1,
                    "not a readable Parquet file"),
    "measure_as_text": (lambda p: _rewrite(p, lambda df, pl: df.with_columns(pl.col("employment").cast(pl.String))),
                        1, "column 'employment': not a clusterid canonical table (expected a numeric column"),
    "region_as_integer": (lambda p: _rewrite(p, lambda df, pl: df.with_columns(pl.col("region").replace(
        {"A": "1", "B": "2", "C": "3"}).cast(pl.Int64))), 1, "column 'region': not a clusterid canonical table"),
    "measure_as_boolean": (lambda p: _rewrite(p, lambda df, pl: df.with_columns(pl.col("employment") > 50)),
                           1, "expected a numeric column, found 'Boolean values'"),
    "nan_value": (lambda p: _rewrite(p, lambda df, pl: df.with_columns(
        pl.when(pl.col("industry") == "21").then(float("nan")).otherwise(pl.col("employment")).alias("employment"))),
                  1, "column 'employment': not a plausible number"),
    "negative_zero": (lambda p: _rewrite(p, lambda df, pl: df.with_columns(
        pl.when(pl.col("industry") == "21").then(-0.0).otherwise(pl.col("employment")).alias("employment"))), 0, ""),
}


def _rewrite(path: Path, change) -> None:
    import polars as pl

    change(pl.read_parquet(path), pl).write_parquet(path)


@pytest.mark.parametrize("name", list(PARQUET))
def test_a_damaged_parquet_table(name, tmp_path, capsys):
    damage, exit_code, message = PARQUET[name]
    path = _canonical_parquet(tmp_path)
    damage(path)
    for stage in ("ingest", "lq"):
        out = tmp_path / f"out_{stage}"
        out.mkdir()
        code, _, err = run_cli([stage, str(path), "-o", str(out / "o.parquet")], capsys)
        check_answer(code, err, out, path.name)
        assert code == exit_code and message in err, (stage, err)


def _workbook(tmp_path: Path, change) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(TEST_DATA / "spreadsheets" / "kz_oblast_oked_2022.xlsx")
    change(wb)
    path = tmp_path / "in" / "kz.xlsx"
    path.parent.mkdir(exist_ok=True)
    wb.save(path)
    return path


def _set(value):
    def change(wb):
        wb.worksheets[0].cell(5, 4).value = value  # Акмолинская область, A: employment
    return change


def _only_an_empty_sheet(wb):
    wb.create_sheet("Empty", 0)
    del wb[wb.sheetnames[1]]


WORKBOOKS = {
    "div0": (_set("#DIV/0!"), "kz.xlsx:5: column 'Численность работников': a spreadsheet error value"),
    "na": (_set("#N/A"), "kz.xlsx:5: column 'Численность работников': a spreadsheet error value"),
    "text_in_number": (_set("12a"), "kz.xlsx:5: column 'Численность работников': not a number"),
    "date_in_number": (_set(__import__("datetime").datetime(2020, 1, 5)), "kz.xlsx:5: column"),
    "boolean_in_number": (_set(True), "kz.xlsx:5: column"),
    "formula_never_calculated": (_set("=1/0"), "kz.xlsx:5: column 'D': a formula saved without its value"),
    "astronomical": (_set(1e300), "kz.xlsx:5: column 'employment': not a plausible number"),
    "only_an_empty_sheet": (_only_an_empty_sheet, "kz.xlsx: sheet 'Empty' is empty"),
    "header_only": (lambda wb: wb.worksheets[0].delete_rows(5, 100), "kz.xlsx:4: no data rows"),
}


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_a_damaged_workbook(name, tmp_path, capsys):
    change, message = WORKBOOKS[name]
    path = _workbook(tmp_path, change)
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and message in err, err


def test_an_empty_sheet_before_the_table_is_passed_over(tmp_path, capsys):
    path = _workbook(tmp_path, lambda wb: wb.create_sheet("Empty", 0))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 0, err


@pytest.mark.parametrize("what", ["folder", "truncated_zip", "zero_byte_xlsx"])
def test_an_input_that_is_no_table_file(what, tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    if what == "folder":
        path = src / "tables"
        path.mkdir()
    elif what == "truncated_zip":
        path = src / "kz.xlsx"
        data = (TEST_DATA / "spreadsheets" / "kz_oblast_oked_2022.xlsx").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path = src / "kz.xlsx"
        path.write_bytes(b"")
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == (2 if what == "folder" else 1), err
    assert path.name in err.splitlines()[0]


# ---------------------------------------------------------------------------------------------
# Hypothesis: random damage to the samples, through the CLI

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = [b",", b";", b"\t", b"\n", b"\r", b"\r\n", b'"', b"\x00", b"\xef\xbb\xbf", b"\xff", b"(D)",
          b"NaN", b"1e999", b"-0", b"1 2", b"\xe2\x88\x9e", b"", b"x" * 300]


@st.composite
def damaged(draw):
    key = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[key].path.read_bytes())
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 30)))
        op = draw(st.sampled_from(["replace", "insert", "delete", "cut"]))
        if op == "cut":
            del data[i:]
        elif op == "delete":
            del data[i:j]
        else:
            data[i:j if op == "replace" else i] = draw(st.sampled_from(PIECES))
    gz = draw(st.booleans())
    return key, (_gzip(bytes(data)) if gz else bytes(data)), draw(st.sampled_from(["", ".gz"]) if gz else st.just(""))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=damaged())
def test_random_damage_keeps_the_promises(case, tmp_path_factory, capsys):
    key, data, suffix = case
    tmp = tmp_path_factory.mktemp("fuzz")
    path = _mutant(tmp, SAMPLES[key], data, suffix)
    code, err, out = _ingest(capsys, tmp, path, "out.parquet")
    check_answer(code, err, out, path.name)
    if code == 0:  # a table, whole and the same on a second run
        first = (out / "out.parquet").read_bytes()
        code, err, _ = _ingest(capsys, tmp, path, "again.parquet")
        assert code == 0 and (out / "again.parquet").read_bytes() == first, err


@pytest.mark.parametrize("key,headings", [("eurostat", (b"2015 ", b"2016 ")),
                                          ("eurostat_sdmx_tsv", (b"2014 ", b"2016 "))])
def test_a_eurostat_period_heading_given_twice_is_refused(key, headings, tmp_path, capsys):
    # "internal error: TypeError: 'None' is not an instance of 'str'": the CSV reader renamed the
    # second '2016 ' to '2016 _duplicated_0', which names no period
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, _with_line(s.path.read_bytes(), 1, lambda b: b.replace(*headings)))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:1: column '2016': duplicate column heading" in err, err


def _without_column(s: Sample, at: int):
    def drop(data: bytes) -> bytes:
        text = data.decode(s.encoding)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=s.sep, lineterminator="\r\n" if "\r\n" in text else "\n")
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=s.sep):
            writer.writerow(row[:at] + row[at + 1:])
        return out.getvalue().encode(s.encoding)
    return drop


# every column of each sample left out in turn (QCEW's 47 quarterly columns aside: the annual
# file's 15 stand for them)
COLUMN_CASES = [(k, i) for k, s in SAMPLES.items() if k != "qcew_quarterly"
                for i in range(len(_rows(s, s.path.read_bytes())[0]))]


@pytest.mark.parametrize("key,at", COLUMN_CASES, ids=[f"{k}-{i}" for k, i in COLUMN_CASES])
def test_a_column_left_out(key, at, tmp_path, capsys):
    # CBP without emp_nf (qp1_nf and ap_nf kept) was "internal error: KeyError: '1998-2006'"
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, _without_column(s, at)(s.path.read_bytes()))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert "internal error" not in err, err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_canonical_table_without_the_measure_its_status_belongs_to(fmt, tmp_path, capsys):
    # the employment column cut: ingest wrote a table of no measure, 'suppressed: none', exit 0,
    # and lq said "<input>: the table has no measure column", naming no file
    import polars as pl

    s = SAMPLES["canonical"]
    data = _without_column(s, 5)(s.path.read_bytes())
    path = _mutant(tmp_path, s, data)
    if fmt == "parquet":
        pl.read_csv(path, infer_schema=False).write_parquet(path.with_suffix(".parquet"))
        path.unlink()
        path = path.with_suffix(".parquet")
    for stage in ("ingest", "lq"):
        out = tmp_path / stage
        out.mkdir()
        code, _, err = run_cli([stage, str(path), "-o", str(out / "o.csv")], capsys)
        check_answer(code, err, out, path.name)
        assert code == 1 and "column 'employment_status': its measure column is missing (expected " \
            "employment beside employment_status, found 'no employment column')" in err, err


@pytest.mark.parametrize("stage", ["lq", "stats", "impute", "detect"])
def test_a_canonical_table_of_keys_alone_is_a_data_error_naming_it(stage, tmp_path, capsys):
    # lq said '<input>: the table has no measure column'; stats said it as a usage error (exit
    # 2), impute "the table has no 'employment' column (it has no measure)", no file named, and
    # detect "detect needs employment; the table has no measure only"
    s = SAMPLES["canonical"]
    data = _without_column(s, 5)(_without_column(s, 5)(s.path.read_bytes()))  # both employment columns
    path = _mutant(tmp_path, s, data)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli([stage, str(path), "-o", str(out / "o.csv")], capsys)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}: the table has no measure column" in err, err


# ---------------------------------------------------------------------------------------------
# JSON-stat (Eurostat's API answer): tests/data/europe9/nama_10r_3empers_jsonstat2.json

JSONSTAT = TEST_DATA / "europe9" / "nama_10r_3empers_jsonstat2.json"


def _jsonstat(change) -> str:
    import json

    data = json.loads(JSONSTAT.read_text(encoding="utf-8"))
    change(data)
    return json.dumps(data)


JSONSTAT_MUTANTS = {
    # each was read, exit 0: as a CSV ("column '1': duplicate column heading"), or with cells
    # passed over (a key 'x' or '-1', the end of a short array), or in the order the category
    # positions happened to sort to
    "cut_in_half": (lambda: JSONSTAT.read_text(encoding="utf-8")[:700], "not valid JSON"),
    "value_key_not_a_position": (lambda: _jsonstat(lambda d: d["value"].update({"x": 1.0})),
                                 "JSON-stat value keyed by something other than a cell position"),
    "negative_position": (lambda: _jsonstat(lambda d: d["value"].update({"-1": 1.0})),
                          "JSON-stat value keyed by something other than a cell position"),
    "value_array_cut_short": (lambda: _jsonstat(lambda d: d.update(value=[120.5, 310.0, 30.2])),
                              "JSON-stat value array of 3 cells, the sizes give 10"),
    "category_position_twice": (lambda: _jsonstat(lambda d: d["dimension"]["nace_r2"]["category"]["index"].update(C=1)),
                                "column 'nace_r2': JSON-stat dimension 'nace_r2': category positions are not 0..4"),
    "value_given_twice": (lambda: JSONSTAT.read_text(encoding="utf-8").replace('"2": 30.2', '"2": 30.2, "2": 99.0'),
                          "a name given twice in a JSON object (expected each name once, found '2')"),
    # each of these was an internal error (exit 2): int('²') after '²'.isdigit(), a position
    # written as text sorted beside numbers, a size of 5.0 used as a list index
    "value_key_of_other_digits": (lambda: _jsonstat(lambda d: d["value"].update({"²": 1.0})),
                                  "JSON-stat value keyed by something other than a cell position"),
    "category_position_as_text": (lambda: _jsonstat(lambda d: d["dimension"]["geo"]["category"]["index"].update(AT112="1")),
                                  "JSON-stat dimension 'geo': category positions are not 0..1, each once (expected 0..1, found 'AT111:0, AT112:\"1\"')"),
    "size_not_whole": (lambda: _jsonstat(lambda d: d["size"].__setitem__(3, 5.0)),
                       "column 'nace_r2': JSON-stat dimension 'nace_r2': its size is no whole number (expected a count of categories (0, 1, 2 ...), found '5.0')"),
}


@pytest.mark.parametrize("name", list(JSONSTAT_MUTANTS))
def test_a_damaged_jsonstat_dataset(name, tmp_path, capsys):
    make, message = JSONSTAT_MUTANTS[name]
    path = tmp_path / "in" / "nama.json"
    path.parent.mkdir()
    path.write_text(make(), encoding="utf-8")
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and message in err, err


def test_a_census_api_answer_cut_short_is_said_to_be_broken_json(tmp_path, capsys):
    # '[["NAME","NAICS2017","EMP"],["Beaver County, Utah","00","1420"],["Box' was read as a CSV
    path = tmp_path / "in" / "cbp_api.json"
    path.parent.mkdir()
    path.write_text('[["NAME","NAICS2017","EMP","YEAR","state","county"],\n'
                    '["Beaver County, Utah","00","1420","2017","49","001"],\n["Box', encoding="utf-8")
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and "cbp_api.json:3: not valid JSON" in err, err


@pytest.mark.parametrize("column,cell,message", [
    ("own_code", "", "column 'own_code': not an ownership code (expected 0, 1, 2, 3, 4, 5, 8 or 9, found '')"),
    ("own_code", "x", "column 'own_code': not an ownership code"),
    ("size_code", "", "column 'size_code': not an establishment size code"),
    # an Arabic-Indic three passes str.isdigit(): the located pass found nothing, exit 0
    ("size_code", "\u0663", "column 'size_code': not an establishment size code"),
])
def test_a_qcew_ownership_or_size_code_that_is_none(column, cell, message, tmp_path, capsys):
    # a blank own_code was kept as no ownership at all (an empty key cell in the table, exit 0),
    # 'x' dropped as 'ownership not selected', a blank size_code kept as the all-sizes row
    s = SAMPLES["qcew_quarterly"]
    cut = Sample(s.path, s.name, column, s.line, s.sep)
    path = _mutant(tmp_path, s, set_cell(cut, s.path.read_bytes(), cell))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:138: {message}" in err, err


def test_a_qcew_ownership_code_padded_with_a_blank_is_that_code(tmp_path, capsys, tmp_path_factory):
    # '5 ' was an ownership of its own, its row dropped as 'ownership not selected: own_code 5 '
    s = SAMPLES["qcew_quarterly"]
    cut = Sample(s.path, s.name, "own_code", s.line, s.sep)
    path = _mutant(tmp_path, s, set_cell(cut, s.path.read_bytes(), "5 "))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 0 and (out / "out.csv").read_bytes() == baseline(capsys, tmp_path_factory, "qcew_quarterly")


def test_a_blank_ownership_in_skip_mode_is_a_rejected_row(tmp_path, capsys):
    # --on-error skip does not run the ownership check: validation's empty-key check sets the
    # row aside instead of writing a key without an ownership
    s = SAMPLES["qcew_quarterly"]
    cut = Sample(s.path, s.name, "own_code", s.line, s.sep)
    path = _mutant(tmp_path, s, set_cell(cut, s.path.read_bytes(), ""))
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli(["ingest", str(path), "-o", str(out / "o.csv"), "--on-error", "skip"], capsys)
    assert code == 0 and "1 rows rejected" in err, err
    rejected = list(csv.DictReader(open(out / "o.csv.rejects.csv", encoding="utf-8")))
    assert [(r["line"], r["column"]) for r in rejected] == [("138", "ownership")]
    assert all(k[2] for k in _table((out / "o.csv").read_bytes())), "a row without an ownership"


@pytest.mark.parametrize("column,cell,message", [
    ("own_code", "x", "column 'own_code': not an ownership code (expected 0, 1, 2, 3, 4, 5, 8 or 9, found 'x')"),
    ("size_code", "", "column 'size_code': not an establishment size code (expected a number (0: all sizes), found '')"),
    ("size_code", "x", "column 'size_code': not an establishment size code"),
])
def test_a_qcew_ownership_or_size_code_that_is_none_in_skip_mode_is_a_rejected_row(
        column, cell, message, tmp_path, capsys):
    # the strict read refuses them (above); --on-error skip dropped own_code 'x' as 'ownership
    # not selected' and kept a blank size_code as the all-sizes row, exit 0, no row rejected
    s = SAMPLES["qcew_quarterly"]
    path = _mutant(tmp_path, s, set_cell(Sample(s.path, s.name, column, s.line, s.sep),
                                         s.path.read_bytes(), cell))
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli(["ingest", str(path), "-o", str(out / "o.csv"), "--on-error", "skip"], capsys)
    assert code == 0 and "1 rows rejected" in err and "not selected" not in err, err
    rejected = list(csv.DictReader(open(out / "o.csv.rejects.csv", encoding="utf-8")))
    assert [(r["line"], r["column"]) for r in rejected] == [(str(s.line), column)]
    assert rejected[0]["reason"].startswith(message), rejected


@pytest.mark.parametrize("key,column", [("cbp", "naics"), ("qcew_quarterly", "industry_code")])
def test_an_empty_industry_code_is_said_once(key, column, tmp_path, capsys):
    # 'empty key cell' and 'not a NAICS industry code (expected ...)' of the same cell, two lines
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, set_cell(Sample(s.path, s.name, column, s.line, s.sep), s.path.read_bytes(), ""))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and err.strip().splitlines() == [
        f"clusterid: error: {path}:{s.line}: column 'industry': empty key cell (expected a value, found '')"], err


def test_a_glob_that_matches_a_folder_names_it(tmp_path, capsys):
    # 'in/*' over a folder holding a sub-folder: "internal error: IsADirectoryError"
    src = tmp_path / "in"
    (src / "older").mkdir(parents=True)
    (src / "wide.csv").write_bytes(SAMPLES["wide"].path.read_bytes())
    code, err, out = _ingest(capsys, tmp_path, src / "*")
    check_answer(code, err, out, "older")
    assert code == 2 and f"{src / 'older'}: is a folder (matched by" in err, err


@pytest.mark.parametrize("key", ["cbp", "eurostat", "wide", "de_latin1", "sdmx_csv", "canonical"])
def test_a_negative_zero_cell_is_written_as_zero(key, tmp_path, capsys):
    # '-0' was kept as -0.0 and written '-0.0' in the canonical table: a zero unequal byte for
    # byte to every other zero (and to the same table written from '0')
    s = SAMPLES[key]
    outs = {}
    for cell in ("-0", "0"):
        (tmp_path / cell).mkdir()
        path = _mutant(tmp_path / cell, s, set_cell(s, s.path.read_bytes(), cell))
        code, err, out = _ingest(capsys, tmp_path / cell, path)
        assert code == 0, err
        outs[cell] = (out / "out.csv").read_bytes()
    assert b"-0.0" not in outs["-0"] and b",-0," not in outs["-0"]
    assert outs["-0"] == outs["0"]


def test_a_negative_zero_in_a_canonical_parquet_is_written_as_zero(tmp_path, capsys):
    path = _canonical_parquet(tmp_path)
    PARQUET["negative_zero"][0](path)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli(["ingest", str(path), "-o", str(out / "o.csv")], capsys)
    assert code == 0, err
    assert b"-0.0" not in (out / "o.csv").read_bytes()


# samples whose adapters find their header below blank lines (the canonical table too: one
# saved again by hand starting with an empty line was taken for a raw table)
BLANK_LEAD = list(SAMPLES)


@pytest.mark.parametrize("lead", [b"\n", b"\r\n\n", b" \n\t\r\n"])
@pytest.mark.parametrize("key", BLANK_LEAD)
def test_blank_lines_before_the_header_change_nothing(key, lead, tmp_path, capsys, tmp_path_factory):
    # a CBP file or a Eurostat TSV starting with an empty line was not recognised: the generic
    # reader said "no period column recognised" (CBP) or "no region column" (Eurostat), and a
    # QCEW file was read by the generic reader, every ownership kept
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, lead + s.path.read_bytes())
    code, err, out = _ingest(capsys, tmp_path, path)
    assert code == 0, err
    assert (out / "out.csv").read_bytes() == baseline(capsys, tmp_path_factory, key)


# (1.6991E+11: a spreadsheet's rounding, its own check; Eurostat's reader takes exponents)
@pytest.mark.parametrize("key,cell", [(k, c) for k in BLANK_LEAD for c in ("12a", "1.6991E+11")
                                      if c == "12a" or not k.startswith("eurostat")])
def test_a_bad_cell_below_blank_lines_is_said_at_its_own_line(key, cell, tmp_path, capsys):
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, b"\n\n" + set_cell(s, s.path.read_bytes(), cell))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:{s.line + 2}:" in err.splitlines()[0], err


@pytest.mark.parametrize("column,cell", [("own_code", "x"), ("size_code", "x"), ("year", "2O16")])
def test_a_qcew_code_below_blank_lines_is_located(column, cell, tmp_path, capsys):
    # the QCEW reader's locating pass took the first blank line for the header, found none of
    # its columns and located nothing: 'an ownership or establishment size code that is not
    # one' naming no line
    s = SAMPLES["qcew_quarterly"]
    cut = Sample(s.path, s.name, column, s.line, s.sep)
    path = _mutant(tmp_path, s, b"\n\n" + set_cell(cut, s.path.read_bytes(), cell))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    assert code == 1 and f"{path.name}:{s.line + 2}: column {column!r}" in err.splitlines()[0], err


@pytest.mark.parametrize("key", BLANK_LEAD)
def test_a_header_problem_below_blank_lines_is_said_at_the_header_line(key, tmp_path, capsys):
    # a heading given twice, on the header's own line (3 here), not line 1
    s = SAMPLES[key]
    path = _mutant(tmp_path, s, b"\n\n" + _measure_heading_as_first(s)(s.path.read_bytes()))
    code, err, out = _ingest(capsys, tmp_path, path)
    check_answer(code, err, out, path.name)
    if code == 0:  # (a generic table may read the first of the two and say the other unread)
        return
    assert f"{path.name}:3:" in err.splitlines()[0] or code == 2, err
