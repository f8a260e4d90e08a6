"""Ingest's work overlapped on threads (session 27).

Two shortcuts, each checked here so that it fails when it is wrong:

* the label columns (region and industry names, region level, flags) are coded for the
  Parquet write (``io.ingest._code_labels``) on a thread while validation runs on a frame
  without them: validation must never read them, and a row set aside afterwards
  (``--on-error skip``) must leave no category of its own in the coded columns;
* the parent check (``core.validate.children_exceeding_parent``) runs on a thread beside the
  key order and the row checks: its problems and warnings must come where they always did,
  its errors must not be lost, and with duplicate keys its result must not be used (the
  join-based check decides).
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import time

import polars as pl
import pytest

from clusterid.core import validate as validate_mod
from clusterid.core.validate import validate
from clusterid.io import ingest as ingest_mod
from clusterid.io.ingest import IngestOptions, ingest

from conftest import SAMPLES

SAMPLE = SAMPLES / "qcew_utah_2016_counties.csv.gz"


@functools.lru_cache(maxsize=1)
def _sample_text() -> str:
    """The sample's CSV text, decompressed once for the module (each of ~20 tests did)."""
    return gzip.decompress(SAMPLE.read_bytes()).decode()


@functools.lru_cache(maxsize=1)
def _sample_tuples() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(r) for r in csv.reader(io.StringIO(_sample_text())))


def _sample_rows():
    """(header, rows) of the sample, the header row included, parsed once for the module: a
    fresh list each call whose rows are tuples (a caller changing a row makes it a list
    first, :func:`_own`), so that no test sees another's edit."""
    rows = list(_sample_tuples())
    return rows[0], rows


def _own(rows, i):
    """``rows[i]`` made a list of this caller's own, to be edited."""
    rows[i] = list(rows[i])
    return rows[i]


def _write(tmp_path, name, rows):
    path = tmp_path / name
    with open(path, "w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path


def _industry_row(header, rows, digits=6):
    """Index of a kept private row of a ``digits``-digit industry with its figures disclosed."""
    at = {c: header.index(c) for c in ("own_code", "size_code", "industry_code", "disclosure_code")}
    return next(k for k, r in enumerate(rows[1:], 1)
                if r[at["own_code"]] == "5" and r[at["size_code"]] == "0"
                and len(r[at["industry_code"]]) == digits and r[at["disclosure_code"]] == ""
                and not r[at["industry_code"]].startswith("10"))  # 1011: a supersector


def _with_duplicate(tmp_path):
    """The sample with one row given twice under an area title no other row has (both copies
    are set aside with --on-error skip)."""
    header, rows = _sample_rows()
    i = _industry_row(header, rows)
    _own(rows, i)[header.index("area_title")] = "Only In Rejected Rows"
    rows.append(list(rows[i]))
    return _write(tmp_path, "duplicate.csv", rows)


def _with_child_over_parent(tmp_path):
    """The sample with one 6-digit industry larger than its parent, and a negative count."""
    header, rows = _sample_rows()
    i = _industry_row(header, rows)
    for m in ("month1_emplvl", "month2_emplvl", "month3_emplvl"):
        _own(rows, i)[header.index(m)] = "9999999"
    j = _industry_row(header, rows, digits=4)
    _own(rows, j)[header.index("qtrly_estabs_count")] = "-3"
    return _write(tmp_path, "parent.csv", rows)


def _validated_frame(path):
    """The frame ingest validates (canonical columns, the private ones, ``_row``)."""
    result = ingest_mod.adapter_module("qcew").read([str(path)], IngestOptions())
    df, _literal, _order = ingest_mod._collect_canonical(result.frame)
    return df.with_row_index(ingest_mod.ROW).with_columns(pl.col(ingest_mod.ROW).cast(pl.Int64))


def _outcome(v):
    return v.problems, v.rows, v.reasons, v.counts, v.warnings


def test_labels_are_coded_from_the_rows_kept(tmp_path):
    path = _with_duplicate(tmp_path)
    coded, meta = ingest([str(path)], IngestOptions(on_error="skip"), coded=True)
    text, meta_text = ingest([str(path)], IngestOptions(on_error="skip"))
    assert meta == meta_text and meta["rejected_rows"] == 2
    assert "Only In Rejected Rows" not in text.get_column("region_name").to_list()
    labels = ingest_mod._label_columns(text)
    assert {"region_name", "industry_name", "region_level"} <= set(labels)
    for c in labels:
        if text.get_column(c).null_count() == text.height:
            continue  # a column the reader never gives (establishments_flag): added empty
        assert isinstance(coded.schema[c], pl.Enum), c
        # the categories of the rows kept, as the coding of the kept table makes them: a
        # category of the rejected rows only would reach the file's dictionary pages
        assert (coded.schema[c].categories.to_list()
                == text.get_column(c).drop_nulls().unique().sort().to_list()), c
    assert coded.with_columns(pl.col(pl.Enum).cast(pl.String)).equals(text)


@pytest.mark.parametrize("make", [lambda tmp: SAMPLE, _with_duplicate, _with_child_over_parent],
                         ids=["sample", "duplicate", "child-over-parent"])
def test_validation_reads_no_label_column(tmp_path, make):
    df = _validated_frame(make(tmp_path))
    labels = ingest_mod._label_columns(df)
    assert {"region_name", "industry_name", "region_level", "employment_flag"} <= set(labels)
    whole, without = validate(df), validate(df.drop(labels))
    assert _outcome(without) == _outcome(whole)
    assert whole.key_order.equals(without.key_order)


def _slow(fn, seconds=0.3):
    def slowly(*args, **kwargs):
        time.sleep(seconds)
        return fn(*args, **kwargs)
    return slowly


def test_parent_problems_and_warnings_keep_their_place(tmp_path, monkeypatch):
    df = _validated_frame(_with_child_over_parent(tmp_path))
    quick = validate(df)
    assert "negative value" in quick.reasons and "child larger than its parent" in quick.reasons
    assert any("sum of their reported children" in w for w in quick.warnings)
    # the thread made slow: its result must still be taken where the check always stood
    # (after the row checks, its sum warnings before the coverage warnings), not when it ends
    monkeypatch.setattr(validate_mod, "children_exceeding_parent",
                        _slow(validate_mod.children_exceeding_parent))
    slow = validate(df)
    assert _outcome(slow) == _outcome(quick)
    last_other = max(i for i, r in enumerate(slow.reasons) if r != "child larger than its parent")
    assert slow.reasons.index("child larger than its parent") > last_other


def test_an_error_of_the_parent_check_is_raised(monkeypatch):
    df = _validated_frame(SAMPLE)

    def broken(*_args, **_kwargs):
        raise RuntimeError("parent check failed")

    monkeypatch.setattr(validate_mod, "children_exceeding_parent", broken)
    with pytest.raises(RuntimeError, match="parent check failed"):
        validate(df)


def test_with_duplicate_keys_the_join_based_check_decides(tmp_path, monkeypatch):
    df = _validated_frame(_with_duplicate(tmp_path))
    expected = validate(df)
    assert "duplicate key" in expected.counts

    def wrong(*_args, **_kwargs):  # a key twice breaks its one-row-per-key lookup
        raise RuntimeError("not to be used with duplicate keys")

    monkeypatch.setattr(validate_mod, "children_exceeding_parent", wrong)
    assert _outcome(validate(df)) == _outcome(expected)


# A row with more fields than the header: the QCEW reader scans the file with one column more
# than its headings (qcew._with_extra_field), instead of reading every column as text so that
# polars refuses the row itself (polars issue 28350).  The field past the last heading must be
# seen wherever the row is, whatever the headings look like, and said as the reader said it.

def _sample_lines():
    return _sample_text().splitlines()


def _ingest_cli(tmp_path, capsys, path, *extra):
    from conftest import run_main

    return run_main(["ingest", str(path), "-o", str(tmp_path / "out.parquet"), *extra], capsys)


@pytest.mark.parametrize("at", [1, 60_000, -1], ids=["first", "middle", "last"])
@pytest.mark.parametrize("packed", [False, True], ids=["csv", "gzip"])
def test_a_row_with_one_field_more_is_refused_wherever_it_is(tmp_path, capsys, at, packed):
    lines = _sample_lines()
    line = len(lines) if at == -1 else at + 1  # 1-based line of the data row changed
    lines[line - 1] += ",7"  # one field past the last heading
    text = "\n".join(lines) + "\n"
    path = tmp_path / ("long.csv.gz" if packed else "long.csv")
    path.write_bytes(gzip.compress(text.encode()) if packed else text.encode())
    code, _out, err = _ingest_cli(tmp_path, capsys, path)
    assert code == 1
    assert err.splitlines()[0].startswith(
        f"clusterid: error: {path}:{line}: row has 22 fields, the header has 21"), err
    assert len(err.splitlines()) == 1


def test_a_long_row_under_headings_that_need_cleaning(tmp_path, capsys):
    # headings quoted, padded and upper-cased: the extra column follows the file's own
    # headings, renamed after; a mapping by name would have read every column as missing
    lines = _sample_lines()
    lines[0] = ",".join(f'" {h.upper()} "' for h in lines[0].split(","))
    good = tmp_path / "good.csv"
    good.write_text("\n".join(lines) + "\n")
    code, _out, err = _ingest_cli(tmp_path, capsys, good)
    assert code == 0, err
    text, _ = ingest([str(SAMPLE)], IngestOptions())
    assert pl.read_parquet(tmp_path / "out.parquet").equals(text)
    lines[5] += ",7"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    code, _out, err = _ingest_cli(tmp_path, capsys, bad)
    assert code == 1 and f"bad.csv:6: row has 22 fields, the header has 21" in err, err


def test_long_rows_set_aside_with_on_error_skip(tmp_path, capsys):
    lines = _sample_lines()
    lines[10] += ",7"
    lines[20] += ",7,8"
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n")
    code, _out, err = _ingest_cli(tmp_path, capsys, path, "--on-error", "skip")
    assert code == 0, err
    rejects = pl.read_csv(tmp_path / "out.parquet.rejects.csv")
    assert rejects.get_column("line").to_list() == [11, 21]


# The strict QCEW read counts rows by reason and own_code alone and checks the other codes as
# one flag each over all rows (qcew._flags).  The period flag is a subset of the period check
# (four ASCII digits, a qtr as written): a year it cannot settle must still be looked at as
# before, not refused; every bad code must still be found, with its line.

def _edited(tmp_path, name, column, line, value):
    header, rows = _sample_rows()
    _own(rows, line - 1)[header.index(column)] = value
    return _write(tmp_path, name, rows)


@pytest.mark.parametrize("column,value", [("year", " 2016"), ("year", "\u0662\u0660\u0661\u0666"),
                                          ("size_code", " 0 ")],
                         ids=["padded-year", "arabic-indic-year", "padded-size"])
def test_codes_the_flags_cannot_settle_are_read_as_before(tmp_path, capsys, column, value):
    path = _edited(tmp_path, "odd.csv", column, 6, value)
    code, _out, err = _ingest_cli(tmp_path, capsys, path, "--ownership", "all")
    assert code == 0, err  # (the padded or non-ASCII year makes a period of its own, as before)
    text, _ = ingest([str(SAMPLE)], IngestOptions(ownership=("all",)))
    assert pl.read_parquet(tmp_path / "out.parquet").height == text.height


@pytest.mark.parametrize("column,value,said", [
    ("year", "2O16", "column 'year': not a year (expected a four-digit year, found '2O16')"),
    ("qtr", "5", "column 'qtr': not a quarter (expected 1, 2, 3, 4 or A (quarterly QCEW layout), "
                 "found '5')"),
    ("size_code", "x", "column 'size_code': not an establishment size code (expected a number "
                       "(0: all sizes), found 'x')"),
    ("own_code", "7", "column 'own_code': not an ownership code (expected 0, 1, 2, 3, 4, 5, 8 or "
                      "9, found '7')"),
], ids=["year", "qtr", "size", "own"])
def test_a_bad_code_is_found_with_its_line(tmp_path, capsys, column, value, said):
    path = _edited(tmp_path, "bad.csv", column, 9000, value)  # a line far from the top
    code, _out, err = _ingest_cli(tmp_path, capsys, path)
    assert code == 1
    assert err.splitlines() == [f"clusterid: error: {path}:9000: {said}"], err
