"""Writes kz_oblast_oked_2022_hidden.{xls,xlsb,ods}: stat.gov.kz's table of
../spreadsheets/kz_oblast_oked_2022.* (see ../spreadsheets/make_files.py) with sheet rows 10 and 15
hidden, as Excel or LibreOffice hides a row (Format > Row > Hide), in each format's own records:

- xls: the ROW record's flags get fDyZero (0x0020, "the row is hidden", [MS-XLS] 2.4.221),
- xlsb: the BrtRowHdr record's flags get fDyZero (bit 12 of the two bytes after rw, ixfe and
  miyRw, [MS-XLSB] 2.4.726),
- ods: the ``<table:table-row>`` gets ``table:visibility="collapse"`` (ODF 1.2, 19.749).

The cells are unchanged, byte for byte; only the row flags differ.  No writer here hides a row
in these formats (xlwt is not installed, pyxlsbwriter has no row flags), so the flags are set
in the files the spreadsheets folder holds.

Run: python tests/data/left32/make_hidden_rows.py
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "spreadsheets" / "kz_oblast_oked_2022"
HIDE = (10, 15)  # 1-based sheet rows: Карагандинская область C, область Жетісу F


def _rezip(src: Path, dst: Path, change) -> None:
    with zipfile.ZipFile(src) as zin:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zout:
            for info in zin.infolist():  # (an ods's mimetype first and stored, as it was)
                zout.writestr(info, change(info.filename, zin.read(info.filename)))
    dst.write_bytes(buf.getvalue())


def write_xls() -> None:
    import olefile

    data = bytearray((SOURCE.with_suffix(".xls")).read_bytes())
    with olefile.OleFileIO(bytes(data)) as ole:
        stream = ole.openstream("Workbook").read()
    pos = 0
    while pos + 4 <= len(stream):
        typ, ln = struct.unpack_from("<HH", stream, pos)
        if typ == 0x0208 and struct.unpack_from("<H", stream, pos + 4)[0] + 1 in HIDE:
            record = stream[pos:pos + 4 + ln]
            assert data.count(record) == 1, "the ROW record is not whole in one sector"
            at = data.index(record) + 4 + 12
            struct.pack_into("<H", data, at, struct.unpack_from("<H", data, at)[0] | 0x0020)
        pos += 4 + ln
    (HERE / "kz_oblast_oked_2022_hidden.xls").write_bytes(bytes(data))


def write_xlsb() -> None:
    from clusterid.io.readers.excel import _biff12_records

    def change(name, body):
        if name != "xl/worksheets/sheet1.bin":
            return body
        body = bytearray(body)
        for typ, start, _end in list(_biff12_records(bytes(body))):
            if typ == 0x00 and struct.unpack_from("<I", body, start)[0] + 1 in HIDE:
                flags = struct.unpack_from("<H", body, start + 10)[0]
                struct.pack_into("<H", body, start + 10, flags | 0x1000)
        return bytes(body)

    _rezip(SOURCE.with_suffix(".xlsb"), HERE / "kz_oblast_oked_2022_hidden.xlsb", change)


def write_ods() -> None:
    def change(name, body):
        if name != "content.xml":
            return body
        count = 0

        def one(m):  # (each sheet row is one <table:table-row> here: none is repeated)
            nonlocal count
            count += 1
            return m.group(0) + ' table:visibility="collapse"' if count in HIDE else m.group(0)

        return re.sub(r"<table:table-row\b", one, body.decode("utf-8")).encode("utf-8")

    _rezip(SOURCE.with_suffix(".ods"), HERE / "kz_oblast_oked_2022_hidden.ods", change)


if __name__ == "__main__":
    write_xls()
    write_xlsb()
    write_ods()
