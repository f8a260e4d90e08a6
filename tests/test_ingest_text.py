"""Text decoding, separators, numbers and markers (clusterid.io.readers.text)."""

from __future__ import annotations

import codecs
import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterid.errors import DataError, UsageError
from clusterid.io.readers import text

RU = ("Область;Численность работников\nАкмолинская область;2 203\nКарагандинская область;5 120\n"
      "Восточно-Казахстанская область;4 000\nг. Алматы;х\n")
KZ_NAMES = ["Алматинская область", "Карагандинская область", "Жамбылская область",
            "Северо-Казахстанская область", "Мангистауская область", "г. Нур-Султан",
            "Промышленность", "Строительство", "Всего", "Численность занятых"]


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_cyrillic_code_pages_told_apart(encoding):
    decoded, used = text.decode(RU.encode(encoding))
    assert used == encoding
    assert decoded == RU


@pytest.mark.parametrize("name", KZ_NAMES)
@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_short_cyrillic_names(name, encoding):
    line = f"{name};123\n{name.upper()};45\n"
    decoded, used = text.decode(line.encode(encoding))
    assert decoded == line, (used, decoded)


def test_utf8_bom_and_utf16():
    s = "Land;Beschäftigte\nThüringen;1\n"
    assert text.decode(codecs.BOM_UTF8 + s.encode("utf-8")) == (s, "utf-8-sig")
    assert text.decode(codecs.BOM_UTF16_LE + s.encode("utf-16-le"))[0] == s
    assert text.decode(codecs.BOM_UTF16_BE + s.encode("utf-16-be"))[0] == s
    assert text.decode(s.encode("utf-16-le")) == (s, "utf-16-le")  # no BOM


def test_latin1_german_is_not_cyrillic():
    s = "Bundesland;Beschäftigte\nBaden-Württemberg;1.234\nThüringen;5\nBruttowertschöpfung;ß\n"
    decoded, used = text.decode(s.encode("latin-1"))
    assert decoded == s
    assert used in ("cp1252", "latin-1", "iso-8859-1")


def test_explicit_encoding_errors():
    with pytest.raises(UsageError, match="unknown --encoding"):
        text.decode(b"a", "no-such-codec")
    with pytest.raises(DataError, match="cannot decode as utf-8"):
        text.decode("Thüringen".encode("latin-1"), "utf-8")


def test_gzip_magic():
    raw = b"a,b\n1,2\n"
    assert text.gunzip_if_needed(gzip.compress(raw)) == raw
    assert text.gunzip_if_needed(raw) == raw
    with pytest.raises(DataError, match="gzip"):
        text.gunzip_if_needed(b"\x1f\x8bnot really")


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separator_sniffing(sep):
    rows = [["region", "industry name", "emp"], ["Bayern", "Handel, Verkehr", "1,5"], ["Berlin", "C", "2"]]
    body = "\n".join(sep.join(f'"{c}"' if "," in c and sep != "," else
                              (f'"{c}"' if "," in c else c) for c in r) for r in rows)
    assert text.sniff_separator(body) == sep


def test_separator_override():
    assert text.sniff_separator("a;b", "\\t") == "\t"
    assert text.sniff_separator("a;b", "|") == "|"


@pytest.mark.parametrize("values,sep,expected", [
    (["1 234,5", "12"], ";", (",", ".")),
    (["1.234,5", "7"], ";", (",", ".")),
    (["1,234.5", "7"], ",", (".", ",")),
    (["1,234", "12,000"], ",", (".", ",")),
    (["12,5", "3"], ";", (",", ".")),
    (["1.234.567", "2"], ",", (",", ".")),
    (["1.234", "5.678"], ";", (",", ".")),
    (["1.5", "2.25"], ",", (".", ",")),
    (["1\u00a0234", "(D)", "x"], ",", (".", ",")),
])
def test_number_format_detection(values, sep, expected):
    assert text.detect_number_format(values, sep) == expected


def test_number_format_overrides_and_conflict():
    assert text.detect_number_format(["1.234"], ",", decimal=",", thousands=".") == (",", ".")
    with pytest.raises(UsageError):
        text.detect_number_format(["1"], ",", decimal=",", thousands=",")


@pytest.mark.parametrize("raw,dec,th,value", [
    ("1 234,5", ",", ".", 1234.5), ("1.234,5", ",", ".", 1234.5), ("1,234.5", ".", ",", 1234.5),
    ("1\u00a0234", ".", ",", 1234.0), ("12\u202f000,25", ",", ".", 12000.25), ("\u22125", ".", ",", -5.0),
    ("12a", ".", ",", None), ("", ".", ",", None),
])
def test_parse_number(raw, dec, th, value):
    assert text.parse_number(raw, dec, th) == value


def test_number_expr_matches_parse_number():
    import polars as pl

    cells = ["1 234,5", "7", "12a", "(D)", None, "1e5", "nan", "-3,25", ".5"]
    got = pl.DataFrame({"v": cells}).select(text.number_expr("v", ",", "."))["v"].to_list()
    assert got == [1234.5, 7.0, None, None, None, None, None, -3.25, None]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**12, max_value=10**12), st.integers(min_value=0, max_value=99),
       st.sampled_from([(",", "."), (".", ","), (",", " "), (",", "\u00a0"), (".", "'")]))
def test_formatted_numbers_round_trip(whole, cents, fmt):
    dec, th = fmt
    grouped = f"{abs(whole):,}".replace(",", th)
    raw = ("-" if whole < 0 else "") + grouped + dec + f"{cents:02d}"
    expected = (abs(whole) + cents / 100) * (-1 if whole < 0 else 1)
    assert text.parse_number(raw, dec, th if th not in (" ", "\u00a0", "'") else None) == pytest.approx(expected)


def test_markers_table():
    # every marker of the brief is known; none of them maps to a value
    for m in ["(D)", "D", "S", "N", "x", "X", "*", "..", "...", "-", "–", ":", "c", "(NA)", "(X)", "(S)"]:
        assert text.marker_status(m) == ("suppressed", None, None), m
    assert text.marker_status("(Z)") == ("estimated", 0.0, 0.5)
    assert text.marker_status("12") is None


@pytest.mark.parametrize("raw,dec,th", [("1.5", ",", "."), ("1,5", ".", ","), ("12,34,567", ".", ","),
                                        ("1.2345,6", ",", ".")])
def test_badly_grouped_numbers_are_not_numbers(raw, dec, th):
    # a decimal point read with thousands "." would silently multiply by 10: refuse instead
    assert text.parse_number(raw, dec, th) is None


def test_mixed_encodings_and_nul_bytes_are_located():
    data = "a,b\nÄ,1\n".encode("utf-8") + "Ж,2\n".encode("cp1251")
    with pytest.raises(DataError) as exc:
        text.decode(data)
    assert exc.value.problems[0].line == 3 and "mixed encodings" in exc.value.problems[0].message
    with pytest.raises(DataError, match="NUL byte") as exc:
        text.decode(b"a,b\n1,2\n3\x00,4\n")
    assert exc.value.problems[0].line == 3
