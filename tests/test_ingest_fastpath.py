"""The vectorised text reader gives exactly what the record-by-record csv reader gives.

``generic_raw.FAST_TEXT`` switches between them; every file here is read both ways and the frames,
problems, dropped counts, details and rows read must be identical (or both raise the same error).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from clusterid.errors import ClusteridError
from clusterid.io.ingest import IngestOptions
from clusterid.io.readers import generic, generic_headings, generic_raw

HERE = Path(__file__).parent
TEXT_FILES = sorted(
    [p for p in (HERE / "data" / "generic").iterdir() if p.suffix in (".csv", ".tsv")]
    + [p for p in (HERE / "malformed").iterdir() if p.suffix in (".csv", ".tsv", ".gz", ".txt")]
    + list((HERE / "data" / "reat").glob("*.csv"))
    + list((HERE / "data" / "blocks").glob("*.csv")))  # report layouts (test_generic_blocks)


def _read(name: str, data: bytes, fast: bool, monkeypatch, **opts):
    monkeypatch.setattr(generic_raw, "FAST_TEXT", fast)
    try:
        lf, problems, dropped, details, n = generic.read_bytes(name, data, IngestOptions(**opts))
        return lf.collect(), [str(p) for p in problems], dropped, details, n
    except ClusteridError as exc:
        return type(exc).__name__, str(exc), [str(p) for p in getattr(exc, "problems", [])]


def _fast_used(data: bytes, monkeypatch, **opts) -> bool:
    monkeypatch.setattr(generic_raw, "FAST_TEXT", True)
    return generic_raw.raw_table("x.csv", data, IngestOptions(**opts)).cells is not None


def _same(name: str, data: bytes, monkeypatch, **opts):
    fast = _read(name, data, True, monkeypatch, **opts)
    slow = _read(name, data, False, monkeypatch, **opts)
    if isinstance(fast[0], str) or isinstance(slow[0], str):
        assert fast == slow
        return fast
    assert fast[0].equals(slow[0]), (fast[0], slow[0])
    assert fast[0].schema == slow[0].schema
    assert fast[1:] == slow[1:]
    return fast


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_and_slow_readers_agree_on_the_test_files(path, monkeypatch):
    _same(path.name, path.read_bytes(), monkeypatch)


def _shuffled_reat(seed: int) -> tuple[str, list[str]]:
    lines = (HERE / "data" / "reat" / "laender_emp.csv").read_text(encoding="utf-8").splitlines()
    body = lines[1:]
    random.Random(seed).shuffle(body)
    return lines[0], body


def test_shuffled_reat_table_same_both_ways(monkeypatch):
    header, body = _shuffled_reat(1)
    data = ("\n".join([header] + body) + "\n").encode()
    assert _fast_used(data, monkeypatch)
    out = _same("reat.csv", data, monkeypatch)
    assert out[0].height == len(body)
    assert sorted(out[0]["_line"].to_list()) == list(range(2, len(body) + 2))


def test_title_rows_blank_lines_notes_quotes_crlf_same_both_ways(monkeypatch):
    header, body = _shuffled_reat(2)
    body = body[:300]
    body.insert(40, "")                      # a blank line inside the data
    body.insert(41, "   ")
    body[7] = body[7].replace("reported", '"reported"')  # a quoted field on one line
    text = ["Beschäftigte nach Ländern", "Stand: 2020", ""] + [header] + body + ["", "Quelle: BA"]
    for sep_line in ("\n", "\r\n"):
        data = sep_line.join(text).encode()
        assert _fast_used(data, monkeypatch)
        out = _same("titled.csv", data, monkeypatch)
        assert out[3]["header_line"] == 4
        assert out[2]  # the source line is a note row


def test_ragged_rows_located_the_same_both_ways(monkeypatch):
    header, body = _shuffled_reat(3)
    body = body[:200]
    body[10] = body[10] + ",extra"
    body[50] = body[50].rsplit(",", 2)[0]
    body[60] = body[60] + ",,"               # empty extra fields are allowed
    data = ("\n".join([header] + body) + "\n").encode()
    assert _fast_used(data, monkeypatch)
    err = _same("ragged.csv", data, monkeypatch)
    assert err[0] == "DataError"
    monkeypatch.setattr(generic_raw, "FAST_TEXT", True)
    with pytest.raises(ClusteridError) as info:
        generic.read_bytes("ragged.csv", data, IngestOptions())
    assert [p.line for p in info.value.problems] == [12, 52]
    out = _same("ragged.csv", data, monkeypatch, on_error="skip")
    assert out[0].height == 198 and len(out[1]) == 2


def test_multiline_quoted_value_falls_back_and_keeps_physical_lines(monkeypatch):
    data = ('region,industry,year,employment\nA,"C10\nfood",2020,5\nB,C11,2020,6\n').encode()
    assert not _fast_used(data, monkeypatch)
    out = _same("multi.csv", data, monkeypatch)
    assert out[0]["_line"].to_list() == [2, 4]


def test_skip_rows_and_trailing_separator_same_both_ways(monkeypatch):
    data = ("junk;;;\nregion;industry;year;employment;\nA;C10;2020;1,5;\nB;C11;2020;2;\n").encode()
    assert _fast_used(data, monkeypatch, skip_rows=1)
    _same("semi.csv", data, monkeypatch, skip_rows=1)
    _same("semi.csv", data, monkeypatch)


def test_plain_digit_columns_cast_directly_equal_the_full_number_rules():
    import polars as pl

    from clusterid.io.readers import text as textmod

    rng = random.Random(5)
    vals = [str(rng.randint(0, 10 ** rng.randint(1, 12))) for _ in range(500)]
    vals += [f"{rng.randint(0, 99999)}.{rng.randint(0, 999):03d}" for _ in range(500)] + ["007", "0.0"]
    for decimal, thousands in ((".", ","), (".", None), (".", " ")):
        df = pl.DataFrame({"v": vals})
        for step in textmod.number_stages("v", "n", decimal, thousands):
            df = df.with_columns(step)
        assert df["n"].equals(df["v"].cast(pl.Float64).alias("n"))
    ints = [v for v in vals if "." not in v]
    df = pl.DataFrame({"v": ints})
    for step in textmod.number_stages("v", "n", ",", "."):
        df = df.with_columns(step)
    assert df["n"].equals(df["v"].cast(pl.Float64).alias("n"))


def test_headings_named_like_internal_columns(monkeypatch):
    data = "region,industry,year,employment,_i,_x\nA,C10,2020,5,,\nB,C11,2020,6,1,\n".encode()
    assert _fast_used(data, monkeypatch)
    out = _same("names.csv", data, monkeypatch)
    assert out[0].height == 2 and out[0]["_line"].to_list() == [2, 3]


def _polars_path_used(data: bytes, monkeypatch, **opts) -> bool:
    """Whether the body went through polars' CSV parser (generic_raw._polars_fields)."""
    used = []
    original = generic_raw._polars_fields

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        used.append(result is not None)
        return result

    monkeypatch.setattr(generic_raw, "_polars_fields", spy)
    try:
        _fast_used(data, monkeypatch, **opts)
    finally:
        monkeypatch.setattr(generic_raw, "_polars_fields", original)
    return any(used)


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_polars_parsed_body_equals_the_split_body(eol, sep, monkeypatch):
    """Empty fields, a missing last field (a short row: ragged), blank and whitespace-only lines,
    no newline at the end: the same frame and problems as the
    record-by-record reader, and polars' parser is the one used."""
    header, body = _shuffled_reat(4)
    rows = [line.split(",") for line in body if '"' not in line][:120]
    lines = [sep.join(r) for r in rows]
    lines[5] = sep.join(rows[5][:-1] + [""])        # an empty last field
    lines[6] = sep.join(rows[6][:2] + [""] + rows[6][3:])  # an empty field inside
    lines.insert(20, "")                           # a blank line
    lines.insert(21, "   ")                        # blanks only
    text = eol.join([sep.join(header.split(","))] + lines)  # no newline after the last line
    data = text.encode()
    assert _polars_path_used(data, monkeypatch)
    _same("body.csv", data, monkeypatch)
    short = lines.copy()
    short[40] = sep.join(rows[40][:-1])            # a missing last field: a ragged row
    data = eol.join([sep.join(header.split(","))] + short).encode()
    assert _polars_path_used(data, monkeypatch)
    err = _same("short.csv", data, monkeypatch)
    assert err[0] == "DataError" and "fields, the header has" in err[1]
    _same("short.csv", data, monkeypatch, on_error="skip")


def test_bodies_polars_might_split_differently_take_the_split_reader(monkeypatch):
    header, body = _shuffled_reat(5)
    base = [header] + [line for line in body if '"' not in line][:50]
    longer = base.copy()
    longer[10] = longer[10] + ",surplus"           # more fields than headings: located by split
    trailing = base.copy()
    trailing[11] = trailing[11] + ","               # an empty field past the headings (allowed)
    quoted = base.copy()
    quoted[12] = quoted[12].replace("reported", '"reported"')
    assert _polars_path_used(("\n".join(base) + "\n").encode(), monkeypatch)
    for lines in (longer, trailing, quoted):
        data = ("\n".join(lines) + "\n").encode()
        assert not _polars_path_used(data, monkeypatch)
        _same("other.csv", data, monkeypatch)


def test_key_cleaning_is_worked_out_on_distinct_values_and_equals_the_row_by_row_cleaning():
    import polars as pl

    frame = pl.DataFrame({"_region": ["A ", "A ", "Москва*", None, "Kreis X¹", "B"],
                          "_industry": ["10", "10", "21", "21", None, "22"],
                          "_period": [" 2020", "2020 ", "2020", "2020", "2020", "2020"]})
    exprs = {"_region": pl.col("_region").str.strip_chars().str.replace(generic_headings._FOOTNOTE_MARK, "$1"),
             "_industry": pl.col("_industry").str.strip_chars(),
             "_period": pl.col("_period").str.strip_chars()}
    out = generic_raw._where_it_changes(frame, exprs)
    assert out.equals(frame.with_columns(e.alias(c) for c, e in exprs.items()))
    assert out.get_column("_region").to_list() == ["A", "A", "Москва", None, "Kreis X", "B"]
    assert out.get_column("_industry") is not None and out.get_column("_industry").equals(frame.get_column("_industry"))
