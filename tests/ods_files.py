"""Minimal OpenDocument spreadsheets written by hand, for tests that need cells no writer makes
(error cells as LibreOffice stores them, damaged entries): mimetype first and stored,
content.xml, manifest."""

from __future__ import annotations

import zipfile

ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')
_MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
             'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
             '<manifest:file-entry manifest:full-path="/" manifest:media-type='
             '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
             'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def write_ods_xml(path, rows_xml: str, sheet: str = "T", columns: int | None = None):
    """An .ods at ``path`` with one sheet whose rows are ``rows_xml`` (``<table:table-row>``
    elements); ``columns`` declares that many columns first, as LibreOffice does."""
    declared = (f'<table:table-column table:number-columns-repeated="{columns}"/>'
                if columns else "")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
               'office:version="1.3"><office:body><office:spreadsheet>'
               f'<table:table table:name="{sheet}">{declared}{rows_xml}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED)
    return path
