"""Short Western tables that charset_normalizer took for an East Asian double-byte page.

A Latin-1 or cp1252 table of a few rows ('São Paulo', 'Île-de-France', 'Östergötland') has
few accented letters, each a byte >= 0x80 followed by an ASCII letter: in Big5, Shift-JIS or
Johab the pair is one ideograph or syllable.  clusterid judges the East Asian pages itself
(tests/test_cjk_21.py) before it asks charset_normalizer; a double-byte guess of
charset_normalizer's for bytes that judgement turned down was taken as it came: 'S伋 Paulo'
(Johab), 'Castilla y Le鏮' (Big5), 'K痆n' (Shift-JIS 2004), exit 0.  Made-up tables in the
layout of a national office's long CSV.
"""

from __future__ import annotations

import pytest

from clusterid.io.readers.text import decode

HEADER = "region,industry,year,employment\n"

CASES = [
    # each was read in the page named before the fix (charset_normalizer's guess)
    ("johab", "latin-1", "Île-de-France,C,2020,1200\nSão Paulo,C,2020,900\n"
                         "Île-de-France,F,2020,300\nSão Paulo,F,2020,250\n"),
    ("big5", "cp1252", "Castilla y León,C,2020,94849\nCastilla y León,F,2020,12\n"),
    ("big5-nordic", "latin-1", "Östergötland,G,2020,75892\n"),
    ("shift_jis_2004", "latin-1", "Köln,G,2020,62006\nÖstergötland,F,2020,81942\n"),
]


@pytest.mark.parametrize("was, encoding, body", CASES, ids=[c[0] for c in CASES])
def test_short_western_table_is_not_read_as_a_double_byte_page(was, encoding, body):
    text = HEADER + body
    got, name = decode(text.encode(encoding), path="regions.csv")
    assert got == text
    assert name in ("cp1252", "latin-1"), name


def test_ingest_keeps_the_accented_region_names(tmp_path, capsys):
    from conftest import run_main

    src = tmp_path / "regions.csv"
    src.write_bytes((HEADER + CASES[0][2]).encode("latin-1"))
    out = tmp_path / "canonical.csv"
    code, _stdout, stderr = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, stderr
    import polars as pl

    assert set(pl.read_csv(out)["region"].to_list()) == {"Île-de-France", "São Paulo"}
