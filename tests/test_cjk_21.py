"""East Asian statistical offices' tables (session 21): Japan's e-Stat, China's NBS and
provincial yearbooks, Taiwan's DGBAS and Korea's KOSIS, each in the code page its downloads
and Excel exports come in (Shift-JIS/cp932, EUC-JP, GBK/GB18030, Big5, EUC-KR/cp949) and in
UTF-8 and UTF-16.  Every table here is made up (figures and all), written in the layout of the
office named, and ingested through the CLI in-process."""

from __future__ import annotations

import pytest
from conftest import csv_rows, run_main

from clusterid.io.readers.text import _decode


def _ingest(tmp_path, capsys, name: str, data: bytes, *extra):
    """Write ``data`` (bytes, in the file's own encoding) and ingest it: ``(code, stderr,
    rows)``, no rows when the command failed."""
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out), *extra], capsys)
    return code, err, csv_rows(out.read_text(encoding="utf-8")) if code == 0 else []


# e-Stat (Japan): an Economic Census table by prefecture and JSIC section, code and name
# columns for both, the whole country above the prefectures and all industries above the
# sections, persons engaged in persons
_ESTAT = ("都道府県コード,都道府県,産業大分類コード,産業大分類,年,事業所数,従業者数（人）\n"
          "00000,全国,AS,全産業,2021,1000,30000\n"
          "01000,北海道,E,製造業,2021,120,4500\n"
          "01000,北海道,M,宿泊業，飲食サービス業,2021,300,2500\n"
          "13000,東京都,E,製造業,2021,200,9000\n"
          "13000,東京都,M,宿泊業，飲食サービス業,2021,380,14000\n")


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
def test_an_estat_table_reads_in_each_encoding_with_its_jsic_codes_kept(tmp_path, capsys, encoding):
    """Shift-JIS (as e-Stat and a Japanese Excel save CSV) was read as KOI8-R: '地域' came out
    as box-drawing characters and no heading was recognised.  JSIC's letters are not NACE's
    (E is manufacturing, M accommodation): with --classification custom they stay as they are."""
    code, err, rows = _ingest(tmp_path, capsys, "estat.csv", _ESTAT.encode(encoding),
                              "--classification", "custom")
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["region_name"], r["industry_name"], float(r["employment"]),
                                          float(r["establishments"]), r["classification"]) for r in rows}
    assert got == {
        ("01000", "E"): ("北海道", "製造業", 4500, 120, "custom"),
        ("01000", "M"): ("北海道", "宿泊業，飲食サービス業", 2500, 300, "custom"),
        ("13000", "E"): ("東京都", "製造業", 9000, 200, "custom"),
        ("13000", "M"): ("東京都", "宿泊業，飲食サービス業", 14000, 380, "custom")}
    assert "region total" in err  # 全国, the whole country, is no prefecture


def test_jsic_letters_are_not_read_as_nace_sections(tmp_path, capsys):
    """Read as NACE, e-Stat's E (manufacturing) was water supply and its M (accommodation)
    professional services, exit 0: a table headed in Japanese is refused unless told."""
    code, err, _rows = _ingest(tmp_path, capsys, "estat.csv", _ESTAT.encode("cp932"))
    assert code != 0
    assert "JSIC" in err and "--classification custom" in err and "estat.csv:3" in err and "code 'E'" in err


def test_the_headings_of_the_brief_in_shift_jis_decode():
    """The report: a small Shift-JIS CSV headed 地域,産業,年,従業者数 was decoded as KOI8-R."""
    text = "地域,産業,年,従業者数\n北海道,製造業,2021,12345\n東京都,情報通信業,2021,67890\n"
    assert _decode(text.encode("shift_jis")) == (text, "cp932")
    assert _decode(text.encode("euc_jp")) == (text, "euc_jp")


# NBS / a provincial yearbook (China): employed persons by province and industry (GB/T 4754's
# section titles, no codes), in ten thousand persons as the yearbooks give them
_NBS = ("地区,行业,年份,就业人员（万人）\n"
        "全国,制造业,2021,4.5\n"
        "北京市,制造业,2021,1.25\n"
        "北京市,信息传输、软件和信息技术服务业,2021,0.75\n"
        "广东省,制造业,2021,3.25\n"
        "广东省,信息传输、软件和信息技术服务业,2021,0.5\n")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_an_nbs_table_in_ten_thousand_persons(tmp_path, capsys, encoding):
    code, err, rows = _ingest(tmp_path, capsys, "nbs.csv", _NBS.encode(encoding))
    assert code == 0, err
    got = {(r["region"], r["industry"]): float(r["employment"]) for r in rows}
    assert got == {("北京市", "制造业"): 12_500, ("北京市", "信息传输、软件和信息技术服务业"): 7_500,
                   ("广东省", "制造业"): 32_500, ("广东省", "信息传输、软件和信息技术服务业"): 5_000}


def test_a_yearbook_unit_line_above_the_header(tmp_path, capsys):
    """A yearbook sheet saved as CSV: '单位：万人' (unit: ten thousand persons) above the header."""
    text = "单位：万人\n地区,行业,年份,就业人员\n北京市,制造业,2021,1.25\n广东省,制造业,2021,3.25\n"
    code, err, rows = _ingest(tmp_path, capsys, "nbs_unit.csv", text.encode("gbk"))
    assert code == 0, err
    assert {r["region"]: float(r["employment"]) for r in rows} == {"北京市": 12_500, "广东省": 32_500}


def test_gb_t_4754_codes_are_not_read_as_nace(tmp_path, capsys):
    """GB/T 4754-2017's E is construction (NACE F): a 行业代码 column is not NACE."""
    text = "地区,行业代码,行业,年份,就业人员\n北京市,C,制造业,2021,100\n北京市,E,建筑业,2021,50\n"
    code, err, _rows = _ingest(tmp_path, capsys, "nbs_codes.csv", text.encode("gbk"))
    assert code != 0 and "GB/T 4754" in err


# DGBAS (Taiwan): employees on payrolls by city/county and industry, its classification's
# sections (ISIC's letters, NACE's), thousands grouped with commas
_DGBAS = ("縣市別,行業代碼,行業別,年,受僱員工人數\n"
          "臺北市,C,製造業,2021,\"12,345\"\n"
          "臺北市,F,營建工程業,2021,\"2,345\"\n"
          "高雄市,C,製造業,2021,\"123,456\"\n"
          "高雄市,F,營建工程業,2021,3456\n")


@pytest.mark.parametrize("encoding", ["big5", "cp950", "utf-16-be"])
def test_a_dgbas_table_in_big5(tmp_path, capsys, encoding):
    code, err, rows = _ingest(tmp_path, capsys, "dgbas.csv", _DGBAS.encode(encoding))
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["industry_name"], float(r["employment"]), r["classification"])
           for r in rows}
    assert got == {("臺北市", "C"): ("製造業", 12_345, "NACE"), ("臺北市", "F"): ("營建工程業", 2_345, "NACE"),
                   ("高雄市", "C"): ("製造業", 123_456, "NACE"), ("高雄市", "F"): ("營建工程業", 3_456, "NACE")}


# KOSIS (Korea): establishments and persons engaged by province and KSIC section (ISIC's
# letters), the whole country (전국) first, persons engaged in thousands
_KOSIS = ("시도별,산업코드,산업별(10차),시점,사업체수(개),종사자수(천명)\n"
          "전국,C,제조업,2021,430,6.5\n"
          "서울특별시,C,제조업,2021,100,1.5\n"
          "서울특별시,G,도매 및 소매업,2021,250,2.25\n"
          "부산광역시,C,제조업,2021,80,1.2\n"
          "부산광역시,G,도매 및 소매업,2021,120,0.75\n")


@pytest.mark.parametrize("encoding", ["euc_kr", "cp949", "utf-8"])
def test_a_kosis_table_in_euc_kr(tmp_path, capsys, encoding):
    code, err, rows = _ingest(tmp_path, capsys, "kosis.csv", _KOSIS.encode(encoding))
    assert code == 0, err
    got = {(r["region"], r["industry"]): (r["industry_name"], float(r["employment"]), float(r["establishments"]))
           for r in rows}
    assert got == {("서울특별시", "C"): ("제조업", 1_500, 100), ("서울특별시", "G"): ("도매 및 소매업", 2_250, 250),
                   ("부산광역시", "C"): ("제조업", 1_200, 80), ("부산광역시", "G"): ("도매 및 소매업", 750, 120)}
    assert "region total" in err


@pytest.mark.parametrize("cell", ["４５００", "４，５００", "4，500"])
def test_full_width_digits_are_refused_not_guessed(tmp_path, capsys, cell):
    """'４５００' or '4，500' typed in a Japanese spreadsheet: refused with its line and why,
    never read as another number or left out."""
    text = _ESTAT.replace(",4500\n", f",{cell}\n")
    code, err, _rows = _ingest(tmp_path, capsys, "estat_fw.csv", text.encode("cp932"),
                               "--classification", "custom")
    assert code != 0
    assert "estat_fw.csv:3" in err and cell in err and "full-width digits" in err


def test_a_byte_outside_the_code_page_further_down_is_an_error(tmp_path, capsys):
    """The first lines decide the code page; a line further down that is not in it (a file
    joined from two) is an error with its line, not replacement characters."""
    body = b"".join(f"广东省,制造业,{2000 + i % 20},1\n".encode("gbk") for i in range(6000))  # > 64 KB
    data = _NBS.encode("gbk") + body + "上海市,制造业,2021,2\n".encode("gbk").replace(b"2\n", b"\xff2\n")
    code, err, _rows = _ingest(tmp_path, capsys, "joined.csv", data)
    assert code != 0 and "cannot decode as gb18030" in err and f"joined.csv:{6 + 6000 + 1}" in err


@pytest.mark.parametrize("text, encoding", [
    ("Область,Год,Численность\nБелгородская область,2021,100\nМосква,2021,50\n", "cp1251"),
    ("Область,Год,Численность\nБелгородская область,2021,100\nМосква,2021,50\n", "koi8-r"),
    ("Land;Jahr;Beschäftigte\nThüringen;2021;100\nBaden-Württemberg;2021;5\n", "cp850"),
    ("Land,Jahr,Beschäftigte\nThüringen,2021,100\nDüsseldorf,2021,5\n", "cp1252"),
])
def test_the_8_bit_tables_decode_as_before(text, encoding):
    """The East Asian pages are tried first; a Cyrillic or Western table is none of them."""
    got, name = _decode(text.encode(encoding))
    assert got == text, name


# e-Stat's database download: the tabulation item (表章項目), each dimension's code and label,
# the time axis, the unit and one value column
_ESTAT_DB = ('"tab_code","表章項目","cat01_code","産業分類","area_code","地域","time_code",'
             '"時間軸（年次）","unit","value"\n'
             '"110","{item}","E","製造業","01000","北海道","2021000000","2021年","{unit}","450"\n'
             '"110","{item}","E","製造業","13000","東京都","2021000000","2021年","{unit}","900"\n')


def test_an_estat_value_column_of_establishments_is_not_read_as_employment(tmp_path, capsys):
    """Its one value column was read as employment (the default) whatever 表章項目 said: 450
    establishments came out as 450 persons engaged.  Refused unless --measure says it; a title
    line naming the item reads it."""
    data = _ESTAT_DB.format(item="事業所数", unit="事業所").encode("cp932")
    code, err, _rows = _ingest(tmp_path, capsys, "estat_db.csv", data)
    assert code != 0 and "'表章項目'" in err and "事業所数 (establishments)" in err and "--measure" in err
    code, err, rows = _ingest(tmp_path, capsys, "estat_db.csv", data, "--measure", "establishments")
    assert code == 0, err
    assert {(r["region_name"], r["industry"]): float(r["establishments"]) for r in rows} == {
        ("北海道", "製造業"): 450, ("東京都", "製造業"): 900}
    titled = "2021年 都道府県別事業所数\n".encode("cp932") + data
    code, err, rows = _ingest(tmp_path, capsys, "estat_db_titled.csv", titled)
    assert code == 0, err
    assert [float(r["establishments"]) for r in rows] == [450, 900]
    code, err, rows = _ingest(tmp_path, capsys, "estat_db_emp.csv",
                              _ESTAT_DB.format(item="従業者数", unit="人").encode("cp932"))
    assert code == 0, err
    assert [float(r["employment"]) for r in rows] == [450, 900]
