"""Known gaps closed in session 29 (helper 'gaps'): one test group per gap.

1. Notes pasted below a table were read as notes only by the QCEW and CBP readers.  A Census
   Nonemployer Statistics file with 'Source: U.S. Census Bureau, ...' under it was refused.  A
   Eurostat TSV with its source under it ('Source: Eurostat (online data code:
   nama_10r_3empers)', 'Note: : not available, c confidential ...') was refused: 'row has 1
   fields, the header has 4'.  A national office's CSV whose source line holds the separator
   ('Quelle: Statistisches Bundesamt; Stand 2024' under a ';' table, 'Source: U.S. Census
   Bureau, County Business Patterns, 2016' under a ',' one), right under the last row, was
   refused the same way (a row of one filled cell, or short rows after a blank line, were
   already notes there).  Both now go by the rule of the QCEW and CBP readers
   (rowcheck.note_lines): the last lines, words and no row of the table, from the first that
   starts as a note does; looked for only when the read fails on them; counted under dropped,
   the first quoted in the notes; a row cut short above them still refused on its line.
2. A range of years in an industry cell ('2020 - 2021', '2020 – 21', '2019 - 2020 Veränderung')
   was split as a code and its name, as '10 - 12 Food products' is since session 28: in a NACE
   column '2020 - 2021' was read as class C20.20 (pesticides) named '- 2021', exit 0; in a
   column of names, as the industry '2020' named '- 2021'.  A range of years is no industry code:
   the cell is kept whole; alone in a coded column it is refused on its line as a range of years
   (a period, not an industry), and with words after it it is a label without a code, as
   'Veränderung 2020 - 2021' was.
3. Excel 5.0/95 workbooks (BIFF5), which some statistical offices still publish, were already
   read (calamine; tests/test_spreadsheets_9.py), but a code shown with its leading zero by a
   number format ('00000': AGS 01001 held as the number 1001) lost it there, as it no longer
   did in BIFF8: BIFF5's FORMAT record (a one-byte length, no flag byte) was read as BIFF8's.
   Read as the sheet shows it now.  Excel 2.x-4.0 files (BIFF2-4: a bare BIFF stream, no OLE2
   container), which no reader here reads, were refused as 'NUL byte in a text file ... give
   --encoding utf-16'; now one line naming the format and saying to save it as .xlsx.
"""

from __future__ import annotations

import gzip
import json

import pytest

from conftest import TEST_DATA, csv_rows, run_main, run_ok

NOTES_BELOW = "note lines below the table (a source or note pasted under it)"
NAMA = TEST_DATA / "eurostat" / "nama_10r_3empers_bulk_excerpt.tsv.gz"
SBS = TEST_DATA / "eurostat" / "sbs_r_nuts06_r2_bulk_excerpt.tsv"
US_NAICS = TEST_DATA / "generic" / "us_naics_utf8_bom.csv"
WIDE_BY_YEAR = TEST_DATA / "generic" / "wide_by_year.csv"
DE_LAENDER = TEST_DATA / "generic" / "de_laender_latin1.csv"


def _meta(path):
    return json.loads(path.with_name(path.name + ".meta.json").read_text(encoding="utf-8"))


def _read(path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _same_as_without(tmp_path, capsys, clean, name, footer: bytes, n, first, *extra):
    """Ingest ``clean`` with ``footer`` below it: the rows of ``clean``, ``n`` notes dropped,
    the first (``first``) quoted in the notes."""
    expected = csv_rows(run_ok(["ingest", str(clean), "-o", "-", *extra], capsys)[0])
    clean_meta_out = tmp_path / "clean.csv"
    run_ok(["ingest", str(clean), "-o", str(clean_meta_out), *extra], capsys)
    src = tmp_path / name
    src.write_bytes(_read(clean) + footer)
    out = tmp_path / "out.csv"
    for skip in ([], ["--on-error", "skip"]):
        _o, err = run_ok(["ingest", str(src), "-o", str(out), *extra, *skip], capsys)
        assert csv_rows(out.read_text(encoding="utf-8")) == expected
        meta, clean_meta = _meta(out), _meta(clean_meta_out)
        assert meta["dropped"] == {**clean_meta["dropped"], NOTES_BELOW: n}
        assert meta["rows_read"] == clean_meta["rows_read"] + n
        assert meta["rejected_rows"] == 0
        assert any(f"{name}: {n} note line" in note and first in note for note in meta["notes"])
        assert f"{n} note lines below the table" in err
    if str(clean) in clean_meta.get("readers", {}):  # the generic reader: its encoding as the whole file's
        assert meta["readers"][str(src)]["encoding"] == clean_meta["readers"][str(clean)]["encoding"]
    return meta


@pytest.mark.parametrize("footer,n", [
    (b"\nSource: Eurostat (online data code: nama_10r_3empers)\n"
     b"Note: : not available, c confidential, e estimated, p provisional\n", 2),
    (b"Source: Eurostat\t\t\t\n", 1),  # saved by a spreadsheet: the row's tabs kept
])
def test_eurostat_tsv_with_notes_below_is_read(tmp_path, capsys, footer, n):
    _same_as_without(tmp_path, capsys, NAMA, "nama_10r_3empers.tsv", footer, n, "Source: Eurostat")


def test_eurostat_tsv_with_notes_below_gzip_and_utf16(tmp_path, capsys):
    footer = "Source: Eurostat, sbs_r_nuts06_r2, extracted on 2024-03-01\n"
    expected = csv_rows(run_ok(["ingest", str(SBS), "-o", "-"], capsys)[0])
    text = SBS.read_text(encoding="utf-8") + footer
    for name, data in (("sbs.tsv.gz", gzip.compress(text.encode("utf-8"))),
                       ("sbs_unicode.txt", text.replace("\n", "\r\n").encode("utf-16"))):
        src = tmp_path / name
        src.write_bytes(data)
        out = tmp_path / "out.csv"
        run_ok(["ingest", str(src), "-o", str(out)], capsys)
        assert csv_rows(out.read_text(encoding="utf-8")) == expected
        assert _meta(out)["dropped"] == {NOTES_BELOW: 1}


def test_eurostat_row_cut_short_above_notes_is_refused_on_its_line(tmp_path, capsys):
    lines = SBS.read_text(encoding="utf-8").splitlines(keepends=True)
    src = tmp_path / "sbs.tsv"
    src.write_text("".join(lines[:3] + ["V16110,C20,DE11\t1200 \n"] + lines[3:])
                   + "Source: Eurostat\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    assert "sbs.tsv:4: row has 2 fields, the header has 3" in err
    assert "Source" not in err  # the note is no row: not said
    # a line of words that is no note stays a broken row
    src.write_text("".join(lines) + "Total of the regions above\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    assert f"sbs.tsv:{len(lines) + 1}: row has 1 fields, the header has 3" in err


@pytest.mark.parametrize("gz", [False, True])
def test_nonemployer_file_with_notes_below_is_read(tmp_path, capsys, gz):
    clean = TEST_DATA / "nes" / "nonemp21co_excerpt.txt"
    footer = b"Source: U.S. Census Bureau, 2021 Nonemployer Statistics\nNote: Data are not adjusted.\n"
    if not gz:
        _same_as_without(tmp_path, capsys, clean, "nonemp21co.txt", footer, 2, "Source: U.S. Census Bureau")
        return
    src = tmp_path / "nonemp21co.txt.gz"
    src.write_bytes(gzip.compress(clean.read_bytes() + footer))
    expected = csv_rows(run_ok(["ingest", str(clean), "-o", "-"], capsys)[0])
    assert csv_rows(run_ok(["ingest", str(src), "-o", "-"], capsys)[0]) == expected
    # a row cut short above the notes: refused on its line
    lines = clean.read_text(encoding="utf-8").splitlines(keepends=True)
    src.write_bytes(gzip.compress(("".join(lines[:4] + ['"01","001","11"\n'] + lines[4:])).encode() + footer))
    code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    assert "nonemp21co.txt.gz:5: row has 3 fields" in err
    assert ":15:" not in err and ":16:" not in err


@pytest.mark.parametrize("clean,name,footer,n,first", [
    (US_NAICS, "us_cbp.csv", b"Source: U.S. Census Bureau, County Business Patterns, 2016\n"
                             b"Note: Employment for the week including March 12.\n", 2,
     "Source: U.S. Census Bureau, County Business Patterns, 2016"),
    (WIDE_BY_YEAR, "de_wide.csv", "Quelle: Statistisches Bundesamt; Stand 2024\n"
                                  "Anmerkung: vorläufig; 2017 geschätzt\n".encode(), 2,
     "Quelle: Statistisches Bundesamt, Stand 2024"),
    (WIDE_BY_YEAR, "de_wide_anm.csv", b"Anmerkung: 2017 vorlaeufig; Stand: 2024-03-01\n", 1,
     "Anmerkung: 2017 vorlaeufig"),
    (TEST_DATA / "generic" / "thousands_us.csv", "us_wide_note.csv",  # more fields than the header
     b"Note: figures for A, B, C, D, E, F and G are preliminary\n", 1, "Note: figures for A, B"),
    (DE_LAENDER, "de_laender.csv", b"Quelle: Statistische \xc4mter des Bundes und der L\xe4nder;"
                                   b" Regionaldatenbank Deutschland\r\n", 1,
     "Quelle: Statistische Ämter des Bundes und der Länder"),
])
def test_generic_csv_with_notes_below_holding_the_separator_is_read(tmp_path, capsys, clean, name,
                                                                    footer, n, first):
    _same_as_without(tmp_path, capsys, clean, name, footer, n, first)


def test_generic_notes_below_keep_the_encoding_of_the_whole_file(tmp_path, capsys):
    # ASCII rows and a Latin-1 note: read without the note, in the encoding of the whole file
    src = tmp_path / "t.csv"
    src.write_bytes(b"region;industry;year;employment\n01001;C;2016;10\n01001;F;2016;20\n"
                    b"Quelle: Statistische \xc4mter; Stand 2024\n")
    out = tmp_path / "out.csv"
    run_ok(["ingest", str(src), "-o", str(out)], capsys)
    meta = _meta(out)
    assert meta["readers"][str(src)]["encoding"] in ("cp1252", "latin-1", "iso8859-1", "iso8859_15")
    assert "Quelle: Statistische Ämter, Stand 2024" in " ".join(meta["notes"])
    assert [r["employment"] for r in csv_rows(out.read_text(encoding="utf-8"))] == ["10.0", "20.0"]


def test_generic_row_cut_short_above_notes_is_refused_on_its_line(tmp_path, capsys):
    lines = US_NAICS.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    src = tmp_path / "us.csv"
    src.write_text("".join(lines[:5] + ['01,Alabama,5417,"Scientific research",2016\n'] + lines[5:])
                   + "Source: U.S. Census Bureau, County Business Patterns, 2016\n", encoding="utf-8")
    code, _out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1
    assert "us.csv:6: row has 5 fields, the header has 8" in err
    assert "us.csv:15" not in err  # the note: no row
    out = tmp_path / "out.csv"
    run_ok(["ingest", str(src), "-o", str(out), "--on-error", "skip"], capsys)
    meta = _meta(out)
    assert meta["rejected_rows"] == 1
    assert meta["dropped"][NOTES_BELOW] == 1


def test_generic_file_failing_elsewhere_is_not_read_again(tmp_path, capsys):
    # a bad cell, and a note the table's own reading takes (one filled cell): said as before
    src = tmp_path / "t.csv"
    src.write_text("region,industry,year,employment\n49001,23,2016,5x\n49003,23,2016,7\n"
                   "Source: U.S. Bureau of Labor Statistics\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    run_ok(["ingest", str(src), "-o", str(out), "--on-error", "skip"], capsys)
    dropped = _meta(out)["dropped"]
    assert NOTES_BELOW not in dropped
    assert dropped["note rows under the table (one filled cell)"] == 1


# ------------------------------------------------------ 2. a range of years in an industry cell


@pytest.mark.parametrize("cell", ["2020 - 2021", "2020 – 2021", "2020 - 21", "2019 - 2020 Veränderung",
                                  "2020-2021"])
def test_split_label_keeps_a_range_of_years_whole(cell):
    from clusterid.core.codes import is_year_range, split_label

    assert is_year_range(cell)
    assert split_label(cell) == (cell, None)


@pytest.mark.parametrize("cell,split", [("10 - 12 Food products", ("10-12", "Food products")),
                                        ("10 - 12", ("10-12", None)), ("2020 Food", ("2020", "Food")),
                                        ("2021 - 2020", ("2021", "- 2020"))])
def test_split_label_ranges_of_codes_as_before(cell, split):
    from clusterid.core.codes import is_year_range, split_label

    assert not is_year_range(cell)
    assert split_label(cell) == split


def test_a_range_of_years_in_a_nace_column_is_refused_not_a_class(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_text("region;industry;employment\nDE1;C Manufacturing;100\nDE1;2020 - 2021;50\n"
                   "DE1;F Construction;30\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-", "--period", "2020"], capsys)
    assert code == 1, out  # was exit 0 with C20.20 named '- 2021'
    assert "t.csv:3: column 'industry': not a NACE industry code" in err
    assert "is a range of years, not an industry" in err
    assert "C20.20" not in out


def test_a_range_of_years_with_words_is_a_label(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_text("Region;Wirtschaftszweig;2020\nDE1;C Verarbeitendes Gewerbe;100\n"
                   "DE1;2020 - 2021 Veränderung;5\n", encoding="utf-8")
    out, err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = {r["industry"]: r for r in csv_rows(out)}
    assert set(rows) == {"C", "2020 - 2021 Veränderung"}
    assert rows["2020 - 2021 Veränderung"]["classification"] == "custom"
    assert "1 industry without a code kept under its name" in err


def test_a_range_of_years_in_a_column_of_names_is_kept_whole(tmp_path, capsys):
    src = tmp_path / "t.csv"
    src.write_text("region;industry;employment\n49001;Manufacturing;100\n49001;2020 - 2021;50\n"
                   "49001;Construction;30\n", encoding="utf-8")
    out, _err = run_ok(["ingest", str(src), "-o", "-", "--period", "2020"], capsys)
    rows = {r["industry"]: r for r in csv_rows(out)}
    assert "2020 - 2021" in rows and "2020" not in rows
    assert rows["2020 - 2021"]["industry_name"] == ""


# ------------------------------------------- 3. Excel 5.0/95 (BIFF5) and Excel 2.x-4.0 workbooks


def _rec(kind: int, body: bytes) -> bytes:
    import struct

    return struct.pack("<HH", kind, len(body)) + body


def _excel95(rows, padded_format: str | None = "00000", padded_cols=(0,)) -> bytes:
    """An Excel 5.0/95 workbook (BIFF5, MS-XLS 2.4 records: BOF 0x0500, CODEPAGE, FONT, FORMAT
    164 with a one-byte length, 15 style XFs and two cell XFs -- 15 General, 16 the format --,
    BOUNDSHEET, LABEL, NUMBER, EOF) in xlwt's OLE2 container, its stream named 'Book' (as
    tests/data/spreadsheets/make_files.py writes kz_excel95_cp1251.xls)."""
    import io
    import struct

    from xlwt.CompoundDoc import XlsDoc

    def bof(dt):
        return _rec(0x0809, struct.pack("<HHHH", 0x0500, dt, 0x0DBB, 0x07CC))

    def xf(ifmt, style=False):
        return _rec(0x00E0, struct.pack("<HHH", 0, ifmt, 0xFFF5 if style else 0x0001) + bytes(10))

    sheet = bof(0x10) + _rec(0x0200, struct.pack("<HHHHH", 0, len(rows), 0, max(map(len, rows)), 0))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, str):
                text = v.encode("cp1252")
                sheet += _rec(0x0204, struct.pack("<HHHH", r, c, 15, len(text)) + text)
            else:
                xf_index = 16 if c in padded_cols and padded_format else 15
                sheet += _rec(0x0203, struct.pack("<HHHd", r, c, xf_index, float(v)))
    sheet += _rec(0x000A, b"")
    fmt = (padded_format or "General").encode("latin-1")

    def globals_(at):
        return (bof(0x05) + _rec(0x0042, struct.pack("<H", 1252))
                + _rec(0x0031, struct.pack("<HHHHHBBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0, 5) + b"Arial")
                + _rec(0x041E, struct.pack("<HB", 164, len(fmt)) + fmt)
                + b"".join(xf(0, style=True) for _ in range(15)) + xf(0) + xf(164)
                + _rec(0x0085, struct.pack("<IHB", at, 0, 8) + b"Tabelle1") + _rec(0x000A, b""))

    out = io.BytesIO()
    XlsDoc().save(out, globals_(len(globals_(0))) + sheet)
    data = bytearray(out.getvalue())
    at = data.index("Workbook\x00".encode("utf-16-le"))
    book = "Book\x00".encode("utf-16-le")
    data[at:at + 64] = book + bytes(64 - len(book))
    data[at + 64:at + 66] = struct.pack("<H", len(book))
    return bytes(data)


AGS_ROWS = [["AGS", "WZ", "Jahr", "Beschäftigte"], [1001, "C", 2016, 100], [1001, "F", 2016, 50],
            [1002, "C", 2016, 70], [1002, "F", 2016, 20]]


def test_excel95_code_shown_with_leading_zeros_is_read_as_shown(tmp_path, capsys):
    from clusterid.io.readers import excel

    data = _excel95(AGS_ROWS)
    assert excel._ole_stream(data, ("Book",))[:6] == bytes.fromhex("0908 0800 0005")  # BIFF5's BOF
    assert excel._xls_padded(data) == {"#0": {(r, 0): 5 for r in range(1, 5)}}
    src = tmp_path / "kreise95.xls"
    src.write_bytes(data)
    out, _err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    rows = csv_rows(out)
    assert {r["region"] for r in rows} == {"01001", "01002"}  # was 1001, 1002
    assert {r["region_level"] for r in rows} == {"kreis"}
    # without the format the number is read as the sheet shows it: 1001
    src.write_bytes(_excel95(AGS_ROWS, padded_format=None))
    out, _err = run_ok(["ingest", str(src), "-o", "-"], capsys)
    assert {r["region"] for r in csv_rows(out)} == {"1001", "1002"}


@pytest.mark.parametrize("kind,version", [(0x0009, "Excel 2.x (BIFF2)"), (0x0209, "Excel 3.0 (BIFF3)"),
                                          (0x0409, "Excel 4.0 (BIFF4)")])
def test_excel_2_to_4_file_is_refused_in_one_line_saying_save_as_xlsx(tmp_path, capsys, kind, version):
    import struct

    body = struct.pack("<HH", 0x0200, 0x10) if kind == 0x0009 else struct.pack("<HHH", 0, 0x10, 0)
    text = b"region"
    data = (_rec(kind, body) + _rec(0x0204, struct.pack("<HHHH", 0, 0, 0, len(text)) + text)
            + _rec(0x0203, struct.pack("<HHHd", 1, 0, 0, 1001.0)) + _rec(0x000A, b""))
    src = tmp_path / "old.xls"
    src.write_bytes(data)
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert err.splitlines() == [err.strip()], err  # was 'NUL byte in a text file ... --encoding utf-16'
    assert err.startswith(f"clusterid: error: {src}: an {version} file, a format too old to read")
    assert "save it as .xlsx" in err


def test_notes_are_looked_for_only_after_a_failed_read(monkeypatch, tmp_path, capsys):
    # a clean file costs nothing extra: neither rule is asked
    from clusterid.io.readers import rowcheck

    def never(*_a, **_k):
        raise AssertionError("notes looked for in a file that read")

    monkeypatch.setattr(rowcheck, "note_lines", never)
    monkeypatch.setattr(rowcheck, "notes_below", never)
    for clean in (NAMA, SBS, US_NAICS, WIDE_BY_YEAR, DE_LAENDER, TEST_DATA / "cbp" / "cbp16co_excerpt.txt"):
        run_ok(["ingest", str(clean), "-o", str(tmp_path / "out.csv")], capsys)
