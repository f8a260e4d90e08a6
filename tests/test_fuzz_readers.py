"""Hypothesis fuzzing of the readers: random bytes and random mutations of valid samples.

Two properties, whatever the bytes:

* never a traceback: :func:`clusterid.io.ingest.ingest` either returns or raises a
  :class:`~clusterid.errors.ClusteridError` (exit 1 or 2 with a message); any other exception
  is a bug;
* never a silently shortened table: when it returns, every data row of the file is accounted
  for -- rows kept + rows dropped with a reason == data rows in the file (counted here
  independently with Python's csv module, using the encoding, separator and header line the
  reader reports), and the metadata's own counts agree (kept + dropped == read, QCEW).

The examples are derandomized (the same on every run, so CI is stable) and capped to keep the
file under ~40 s.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clusterid.errors import ClusteridError
from clusterid.io.ingest import IngestOptions, ingest

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

GENERIC = (
    "region,industry,year,employment,establishments\n"
    + "".join(f"R{r},{ind},2016,{(r * 37 + i * 11) % 500 + 1},{(r + i) % 9 + 1}\n"
              for r in range(4) for i, ind in enumerate(["31-33", "44-45", "52", "54"]))
    + "R9,31-33,2016,(D),2\n"
).encode()
WIDE = ("region,industry,2015,2016\n" + "".join(
    f"R{r},{ind},{r * 10 + i + 1},{r * 10 + i + 3}\n" for r in range(3) for i, ind in enumerate(["C", "F", "G"]))
).encode()


def _qcew_sample(rows: int = 40) -> bytes:
    with gzip.open(ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz", "rb") as fh:
        lines = [fh.readline() for _ in range(rows + 1)]
    return b"".join(lines)


QCEW = _qcew_sample(24)

MARKERS = [b",", b";", b"\t", b"\n", b"\r\n", b"\r", b'"', b"\x00", b"\xef\xbb\xbf", b"\xff\xfe",
           b"(D)", b"-", b"NaN", b"inf", b"1e400", b"-5", b"\xd0\x90", b"\xe9", b"2016Q7", b"   ",
           b"31-3X", b"region", b"2016", b"..", b"x", b"\\", b"'", b"#"]


@st.composite
def mutated(draw, sample: bytes):
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "delimiter",
                                   "insert", "replace"]))
        n = len(data)
        if n == 0:
            data += draw(st.sampled_from(MARKERS))
            continue
        i = draw(st.integers(0, n - 1))
        j = draw(st.integers(i, min(n, i + 40)))
        if op == "delete":
            del data[i:j]
        elif op == "duplicate":
            data[j:j] = data[i:j]
        elif op == "swap":
            k = draw(st.integers(0, n - 1))
            data[i], data[k] = data[k], data[i]
        elif op == "truncate":
            del data[i:]
        elif op == "delimiter":
            old, new = draw(st.sampled_from([(b",", b";"), (b",", b"\t"), (b",", b"|"), (b"\n", b"\r\n"),
                                             (b"\n", b"\r"), (b",", b" ")]))
            data = bytearray(bytes(data).replace(old, new))
        elif op == "insert":
            data[i:i] = draw(st.sampled_from(MARKERS))
        else:
            data[i:j] = draw(st.sampled_from(MARKERS))
    return bytes(data)


def _data_rows(raw: bytes, details: dict) -> int:
    """Records after the header with at least one filled cell, counted with the csv module."""
    text = raw.decode(details["encoding"]).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=details["separator"]))
    rows = [r for r in rows if any(c.strip() for c in r)]
    # header_line counts physical lines; find the header among the non-blank records instead
    before = sum(1 for line in text.splitlines()[: details["header_line"] - 1] if line.strip())
    return len(rows) - before - 1


def _ingest(tmp_path, data: bytes, name: str, **options):
    path = tmp_path / name
    path.write_bytes(data)
    try:
        return ingest([str(path)], IngestOptions(**options))
    except ClusteridError as exc:
        assert exc.lines() and all(line.strip() for line in exc.lines())
        assert exc.exit_code in (1, 2)
        return None


def _check_generic(tmp_path, data: bytes, **options):
    result = _ingest(tmp_path, data, "fuzz.csv", **options)
    if result is None:
        return
    df, meta = result
    assert df.height == meta["rows_kept"]
    (details,) = meta["readers"].values()
    if details.get("layout") != "long" or "encoding" not in details or "separator" not in details:
        return
    dropped = sum(meta["dropped"].values())
    expected = _data_rows(data, details)
    assert meta["rows_kept"] + dropped == expected, (
        f"kept {meta['rows_kept']} + dropped {dropped} != {expected} data rows: {meta['dropped']}")


@settings(max_examples=60, **SETTINGS)
@given(data=st.binary(max_size=600))
# an empty header line over one control character: internal error (IndexError) in the check for
# another layout's header, found by this test in session 33's CI
@example(data=b"\r\x01")
# a file of the one cell '*': polars read the heading as its wildcard (every column), an
# internal error "duplicate output name 'note'" (a wider run of this test, session 33)
@example(data=b"*")
def test_random_bytes_never_crash(tmp_path, data):
    _check_generic(tmp_path, data)


@settings(max_examples=250, **SETTINGS)
@given(data=mutated(GENERIC))
def test_mutated_long_table(tmp_path, data):
    _check_generic(tmp_path, data)


@settings(max_examples=50, **SETTINGS)
@given(data=mutated(WIDE))
def test_mutated_wide_table(tmp_path, data):
    _check_generic(tmp_path, data)


@settings(max_examples=80, **SETTINGS)
@given(data=mutated(QCEW))
def test_mutated_qcew(tmp_path, data):
    result = _ingest(tmp_path, data, "fuzz_qcew.csv")
    if result is None:
        return
    df, meta = result
    if meta["adapters"] != ["qcew"]:
        return
    dropped = sum(meta["dropped"].values())
    assert meta["rows_kept"] + dropped == meta["rows_read"], meta["dropped"]
    text = data.decode("utf-8", "replace")
    lines = [x for x in text.split(_record_end(text))[1:] if x.strip()]
    assert meta["rows_read"] == len(lines), "QCEW rows read differ from the data lines in the file"


CBP = (ROOT / "tests" / "data" / "cbp" / "cbp16st_excerpt.txt").read_bytes()
EUROSTAT = (ROOT / "tests" / "data" / "eurostat" / "namq_10_a10_e_bulk_excerpt.tsv").read_bytes()


def _accounted(tmp_path, data: bytes, name: str, **options):
    """Ingest; when it returns, every row read is kept, dropped for a reason or rejected."""
    result = _ingest(tmp_path, data, name, **options)
    if result is None:
        return None
    df, meta = result
    assert df.height == meta["rows_kept"]
    other = sum(v for k, v in meta["dropped"].items() if not k.startswith("rejected: "))
    assert meta["rows_kept"] + meta["rejected_rows"] + other == meta["rows_read"], meta["dropped"]
    if options.get("on_error") != "skip":
        assert meta["rejected_rows"] == 0
    return meta


def _record_end(text: str) -> str:
    """What ends a record: LF (or CRLF), a CR alone inside a line being a character of its
    field -- but in a file with no LF at all CR ends each record (classic Mac files), as the
    readers read it (a wider run of these tests, session 33, found such a file read right and
    counted wrong here)."""
    return "\n" if "\n" in text else "\r"


def _data_lines(data: bytes) -> int:
    text = data.decode("utf-8", "replace")
    return len([x for x in text.split(_record_end(text))[1:] if x.strip()])


@settings(max_examples=40, **SETTINGS)
@given(data=mutated(QCEW))
def test_mutated_qcew_skip_mode_accounts_for_every_row(tmp_path, data):
    meta = _accounted(tmp_path, data, "fuzz_qcew.csv", format="qcew", on_error="skip")
    if meta is not None:
        # records as Python's csv module counts them (a quoted title may span lines)
        text = data.decode("utf-8", "replace")
        text = re.sub(r"\r(?!\n)", " " if _record_end(text) == "\n" else "\n", text)  # a lone CR: a character
        records = [r for r in list(csv.reader(io.StringIO(text, newline="")))[1:] if any(c.strip() for c in r)]
        assert meta["rows_read"] == len(records)


@settings(max_examples=40, **SETTINGS)
@given(data=mutated(CBP), mode=st.sampled_from(["fail", "skip"]))
def test_mutated_cbp_accounts_for_every_row(tmp_path, data, mode):
    meta = _accounted(tmp_path, data, "cbp16st.txt", format="cbp", on_error=mode)
    if meta is not None:
        assert meta["rows_read"] == _data_lines(data)


@settings(max_examples=40, **SETTINGS)
@given(data=mutated(EUROSTAT), mode=st.sampled_from(["fail", "skip"]))
def test_mutated_eurostat_accounts_for_every_row(tmp_path, data, mode):
    _accounted(tmp_path, data, "fuzz.tsv", format="eurostat", on_error=mode)


def _xlsx() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Data")
    for r, row in enumerate([["region", "industry", "year", "employment"], ["A", "31-33", 2016, 100],
                             ["B", "31-33", 2016, 80], ["B", "44-45", 2016, 7]]):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.close()
    return buf.getvalue()


def _parquet() -> bytes:
    import polars as pl

    buf = io.BytesIO()
    pl.DataFrame({"region": ["A", "B"], "industry": ["31-33", "31-33"], "year": [2016, 2016],
                  "employment": [1.0, 2.0]}).write_parquet(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name,sample", [("fuzz.xlsx", _xlsx()), ("fuzz.parquet", _parquet()),
                                         ("fuzz.csv.gz", gzip.compress(GENERIC, mtime=0))])
def test_mutated_binary_formats_never_crash(tmp_path, name, sample):
    @settings(max_examples=25, **SETTINGS)
    @given(data=mutated(sample))
    def inner(data):
        _ingest(tmp_path, data, name)

    inner()
