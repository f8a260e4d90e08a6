"""The sort for writing overlapped with the end of validation (session 29).

With nothing wrong found by the row checks, ingest sorts the table for writing while
validation's parent check still runs on its thread (``validate(defer=True)``, then
``Validation.finish``); a problem that check finds fails the run, or with ``--on-error skip``
sets its rows aside, and the rows kept are sorted afresh.  Checked here so that it fails when it
is wrong: the deferred validation must end exactly as the undeferred one (problems, their
order, warnings and where the coverage warnings start), the sort must really run before the
parent check ends, and a problem the parent check finds must still fail the run with the same
messages and no output, or set the same rows aside.  Also: where no progress is shown, rich's progress is not imported.
"""

from __future__ import annotations

import subprocess
import sys
import threading

import polars as pl
import pytest

from clusterid.core import validate as validate_mod
from clusterid.core.validate import validate
from clusterid.errors import DataError
from clusterid.io import ingest as ingest_mod
from clusterid.io.ingest import IngestOptions, ingest

from test_ingest_overlap_27 import (SAMPLE, _industry_row, _outcome, _own, _sample_rows, _slow,
                                    _validated_frame, _with_child_over_parent, _with_duplicate, _write)


def _without_a_period_of(df, region_rank=3):
    """``df`` less one region's rows of its first period, rows numbered afresh: a region that
    lacks a period (a coverage warning)."""
    region = df.get_column("region").unique().sort()[region_rank]
    period = df.get_column("period").unique().sort()[0]
    kept = df.filter(~((pl.col("region") == region) & (pl.col("period") == period)))
    return kept.drop(ingest_mod.ROW).with_row_index(ingest_mod.ROW).with_columns(
        pl.col(ingest_mod.ROW).cast(pl.Int64))


def _parent_only(tmp_path):
    """The sample with one 6-digit industry larger than its parent, nothing else wrong: the
    problem only the parent check finds, after the sort has begun."""
    header, rows = _sample_rows()
    at = _industry_row(header, rows)
    for m in ("month1_emplvl", "month2_emplvl", "month3_emplvl"):
        _own(rows, at)[header.index(m)] = "9999999"
    return _write(tmp_path, "parent.csv", rows), at + 1


def _counted_sorts(monkeypatch):
    calls = []
    sort = ingest_mod._sorted_for_writing

    def counted(*args, **kwargs):
        calls.append(1)
        return sort(*args, **kwargs)

    monkeypatch.setattr(ingest_mod, "_sorted_for_writing", counted)
    return calls


def _ended(v):
    return (*_outcome(v), v.coverage_at, v.key_ids.to_list(), v.key_order.to_list())


@pytest.mark.parametrize("make", [lambda tmp: SAMPLE, _with_duplicate, _with_child_over_parent],
                         ids=["sample", "duplicate", "child-over-parent"])
@pytest.mark.parametrize("gap", [False, True], ids=["every-period", "a-period-missing"])
def test_deferred_validation_ends_as_the_undeferred_one(tmp_path, monkeypatch, make, gap):
    df = _validated_frame(make(tmp_path))
    if gap:
        df = _without_a_period_of(df)
    whole = validate(df)
    # the thread made slow: what the deferred run says before finish() must not be final yet
    monkeypatch.setattr(validate_mod, "children_exceeding_parent",
                        _slow(validate_mod.children_exceeding_parent))
    deferred = validate(df, defer=True)
    if make is _with_duplicate:
        assert deferred.pending is None  # a key twice: the join-based check, at once
    else:
        assert deferred.pending is not None
        assert "child larger than its parent" not in deferred.reasons
    assert _ended(deferred.finish()) == _ended(whole)
    assert deferred.pending is None and _ended(deferred.finish()) == _ended(whole)  # once only
    if gap:
        assert whole.coverage_at is not None
        assert whole.warnings[whole.coverage_at].startswith("region ")
        assert "has no rows for period(s)" in whole.warnings[whole.coverage_at]
    if make is _with_child_over_parent:
        sums = [i for i, w in enumerate(whole.warnings) if "sum of their reported children" in w]
        assert sums and (whole.coverage_at is None or max(sums) < whole.coverage_at)


def test_an_error_of_the_deferred_parent_check_is_raised_by_finish(monkeypatch):
    df = _validated_frame(SAMPLE)

    def broken(*_args, **_kwargs):
        raise RuntimeError("parent check failed")

    monkeypatch.setattr(validate_mod, "children_exceeding_parent", broken)
    v = validate(df, defer=True)
    with pytest.raises(RuntimeError, match="parent check failed"):
        v.finish()


def _undeferred(monkeypatch):
    """ingest as it ran before: validation whole, then the sort."""
    whole = validate_mod.validate
    monkeypatch.setattr(validate_mod, "validate", lambda df, coverage=True, defer=False: whole(df, coverage))


def test_the_sort_runs_while_the_parent_check_ends(monkeypatch):
    sorting = threading.Event()
    seen = {}
    check, sort = validate_mod.children_exceeding_parent, ingest_mod._sorted_for_writing

    def waiting_check(*args, **kwargs):
        # without the overlap the sort starts only after this returns: the wait times out
        seen["sort began first"] = sorting.wait(timeout=20)
        return check(*args, **kwargs)

    def noted_sort(*args, **kwargs):
        sorting.set()
        return sort(*args, **kwargs)

    monkeypatch.setattr(validate_mod, "children_exceeding_parent", waiting_check)
    monkeypatch.setattr(ingest_mod, "_sorted_for_writing", noted_sort)
    early, meta = ingest([str(SAMPLE)], IngestOptions(), coded=True)
    assert seen == {"sort began first": True}
    monkeypatch.undo()
    _undeferred(monkeypatch)
    before, meta_before = ingest([str(SAMPLE)], IngestOptions(), coded=True)
    assert early.equals(before) and early.schema == before.schema and meta == meta_before


@pytest.mark.parametrize("coded", [False, True])
def test_a_child_over_its_parent_still_fails_the_run(tmp_path, monkeypatch, coded):
    path, _line = _parent_only(tmp_path)
    monkeypatch.setattr(validate_mod, "children_exceeding_parent",
                        _slow(validate_mod.children_exceeding_parent))
    sorts = _counted_sorts(monkeypatch)
    with pytest.raises(DataError) as early:
        ingest([str(path)], IngestOptions(), coded=coded)
    assert sorts == [1]  # sorted beside the parent check, then dropped
    _undeferred(monkeypatch)
    with pytest.raises(DataError) as before:
        ingest([str(path)], IngestOptions(), coded=coded)
    assert early.value.problems == before.value.problems
    assert any("larger than the industry it belongs to" in p.message for p in early.value.problems)


def test_only_a_parent_problem_fails_the_run_and_writes_nothing(tmp_path, capsys):
    from conftest import run_main

    path, line = _parent_only(tmp_path)
    out = tmp_path / "out.parquet"
    code, _out, err = run_main(["ingest", str(path), "-o", str(out)], capsys)
    assert code == 1 and "industry larger than the industry it belongs to" in err, err
    assert f"parent.csv:{line}:" in err
    assert not out.exists() and list(tmp_path.iterdir()) == [path]


def test_no_progress_import_where_nothing_is_shown(tmp_path):
    code = (
        "import sys\n"
        "from clusterid.cli.app import main\n"
        f"try:\n    main(['ingest', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'o.parquet')!r}])\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "print('LOADED=' + str('rich.progress' in sys.modules))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("LOADED=False"), res.stdout
    assert (tmp_path / "o.parquet").exists()


@pytest.mark.parametrize("values", [
    ["reported", "suppressed", None, "estimated", "reported"],
    [None, None],
    ["suppressed"] * 3,
    [],
])
def test_statuses_coded_beside_validation_are_the_cast(values):
    col = pl.Series("employment_status", values, pl.String)
    coded = ingest_mod._status_coded(col)
    expected = col.cast(pl.Enum(["reported", "suppressed", "estimated"]))
    assert coded is not None and coded.dtype == expected.dtype and coded.name == col.name
    assert coded.equals(expected, null_equal=True)


def test_a_status_of_another_value_stays_text():
    col = pl.Series("wages_status", ["reported", "Suppressed", None], pl.String)
    assert ingest_mod._status_coded(col) is None
    # and the ingest's coded frame keeps it as text, as _coded_text always did
    out = ingest_mod._code_labels({}, {"wages_status": col})
    assert "wages_status" not in out


@pytest.mark.parametrize("options,part,deferred", [
    (IngestOptions(), False, True),
    (IngestOptions(on_error="skip"), False, True),
    (IngestOptions(), True, False),  # a part of an input ingested in parts: memory first
])
def test_which_runs_sort_beside_the_parent_check(monkeypatch, options, part, deferred):
    asked = []
    whole = validate_mod.validate

    def noted(df, coverage=True, defer=False):
        asked.append(defer)
        return whole(df, coverage, defer)

    monkeypatch.setattr(validate_mod, "validate", noted)
    ingest([str(SAMPLE)], options, coded=True, _part=part)
    assert asked == [deferred]


@pytest.mark.parametrize("coded", [False, True])
def test_rows_a_late_problem_sets_aside_are_those_set_aside_before(tmp_path, monkeypatch, coded):
    path, line = _parent_only(tmp_path)
    monkeypatch.setattr(validate_mod, "children_exceeding_parent",
                        _slow(validate_mod.children_exceeding_parent))
    sorts = _counted_sorts(monkeypatch)
    skip = IngestOptions(on_error="skip", rejects=str(tmp_path / "early.csv"))
    early, meta = ingest([str(path)], skip, coded=coded)
    assert sorts == [1, 1]  # beside the parent check, and again the rows kept
    _undeferred(monkeypatch)
    skip = IngestOptions(on_error="skip", rejects=str(tmp_path / "before.csv"))
    before, meta_before = ingest([str(path)], skip, coded=coded)
    assert meta["rejected_rows"] == meta_before["rejected_rows"] > 0
    assert early.equals(before) and early.schema == before.schema
    assert (tmp_path / "early.csv").read_bytes() == (tmp_path / "before.csv").read_bytes()
    assert pl.read_csv(tmp_path / "early.csv").get_column("line").unique().to_list() == [line]
    drop = ("options", "rejects_file")
    assert {k: v for k, v in meta.items() if k not in drop} == {k: v for k, v in meta_before.items()
                                                                  if k not in drop}
