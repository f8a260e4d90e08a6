"""Review of session 21's reading heuristics: files of other kinds that a new word, guess or
check now misread or refused (each test names the commit it corrects).  The tables are
made up in the layouts of the offices named."""
from __future__ import annotations

import pytest

from conftest import csv_rows, run_main

from clusterid.io.readers.text import decode

_HEADER = "region,industry,year,employment\n"


@pytest.mark.parametrize("text, encoding", [
    # (362ab41) each high byte a lead byte taking the ASCII letter after it: one ideograph
    ("Children’s services,Q,2020,5\n", "cp1252"),              # 92 73: a cp932 kanji
    ("Castilla-La Mancha °C,C,2022,96938\n", "cp1252"),         # B0 43: a cp950 hanzi
    ("Gastgewerbe,°C,2020,89505\n", "latin-1"),
    ("A Coruña,C,2020,5\n", "cp1252"),
])
def test_a_western_file_with_one_accent_is_not_read_as_east_asian(text, encoding):
    """362ab41 read these as cp932 or cp950 (exit 0, the word a kanji and the next letter gone):
    an East Asian reading needs two of its letters side by side somewhere."""
    got, name = decode((_HEADER + text).encode(encoding))
    assert name == "cp1252" and got == _HEADER + text


@pytest.mark.parametrize("text, page", [
    ("地域,産業,年,従業者数\n東京都,E,2020,5\n", "cp932"),
    ("地区,行业,年份,就业人员\n北京市,C,2020,5\n", "gb18030"),
    ("縣市別,行業別,年,受僱員工人數\n臺北市,C,2020,5\n", "cp950"),
    ("시도,산업,연도,종사자수\n서울특별시,C,2020,5\n", "cp949"),
])
def test_short_east_asian_tables_still_decode(text, page):
    assert decode(text.encode(page)) == (text, page)
