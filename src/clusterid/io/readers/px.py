"""PC-Axis (``.px``) files, as PX-Web serves them (Statistics Sweden, Norway, Finland, Iceland,
Estonia, Latvia, Statistics Denmark's bank ...): keyword statements, then ``DATA=``.

A PX file is one cube: ``STUB`` and ``HEADING`` name its variables, ``VALUES("var")`` their
labels and ``CODES("var")`` their codes, ``TIMEVAL("var")`` the time variable; ``DATA`` holds
every cell, row-major over the stub variables then the heading variables (the last heading
variable fastest), figures separated by blanks and line breaks, a quoted dot or dash (``".."``,
``"-"``) where no figure is published.  :func:`rows` turns it into the long table PX-Web's own
"comma delimited with heading" download would be with one row per cell: the title line, then a
column per variable (each cell ``code label``, as PX-Web writes "code and text"; the time
variable headed ``TIME_PERIOD``) and ``OBS_VALUE``.  The generic reader reads that as it reads
the CSV download.  Keywords of another language (``VALUES[en]("region")``) are left to it: the
file's default language is read.  Nothing here touches the file system.
"""

from __future__ import annotations

import itertools
import re

from clusterid.errors import DataError, Problem

_SUBKEY = r'\(((?:"[^"]*"|[^)"])*)\)'  # ("Toimiala (TOL 2008)"): a ")" inside quotes is text
_KEYWORD_START = re.compile(r'\ufeff?\s*[A-Z][A-Z0-9-]*(?:\[[^\]]*\])?\s*(?:' + _SUBKEY + r')?\s*=')
_DATA = re.compile(r"(?m)^\s*DATA\s*=")
_STUB_OR_HEADING = re.compile(r"(?m)^\s*(?:STUB|HEADING)\s*=")
_RUN_ON = re.compile(r'\n\s*[A-Z][A-Z0-9-]*(?:\[[^\]]*\])?\s*(?:\([^)]*\))?\s*=')
_STATEMENT = re.compile(r'\s*([A-Z][A-Z0-9-]*)\s*(\[[^\]]*\])?\s*(?:' + _SUBKEY + r')?\s*=', re.S)
_TOKEN = re.compile(r'"[^"]*"|[^\s,;"]+')


def is_px(text: str) -> bool:
    """The text of a PC-Axis file: it opens with a keyword statement (``CHARSET="ANSI";``,
    ``AXIS-VERSION="2010";``) and has a ``DATA=`` line and a ``STUB`` or ``HEADING``."""
    return (_KEYWORD_START.match(text) is not None and _DATA.search(text) is not None
            and _STUB_OR_HEADING.search(text) is not None)


def opens_as_px(text: str) -> bool:
    """The text opens as a PC-Axis file does (``CHARSET=``, ``AXIS-VERSION=`` ... first), with
    or without the rest of it."""
    return re.match(r'\ufeff?\s*(?:CHARSET|AXIS-VERSION|CODEPAGE|LANGUAGE|CREATION-DATE|MATRIX)\s*=',
                    text) is not None


def check_complete(text: str, path: str) -> None:
    """Refuse a text that opens as a PC-Axis file but has no ``DATA=`` or no ``STUB``/``HEADING``
    (a download cut short): it was read as a CSV whose header is ``CHARSET="ANSI"``."""
    missing = [k for k, rx in (("DATA=", _DATA), ("STUB or HEADING", _STUB_OR_HEADING))
               if rx.search(text) is None]
    if missing:
        last = text.rstrip("\r\n").count("\n") + 1
        raise DataError(problems=[Problem(
            "a PC-Axis file without " + " and ".join(missing), path=path,
            line=last, expected="keywords, then DATA= and the figures",
            found=f"the end of the file after {last} lines",
            hint="a download cut short? download it again")])


def codepage(data: bytes) -> str | None:
    """The code page of a PX file's bytes: the one it names (``CODEPAGE="iso-8859-15";``) when
    Python knows it; else, for ``CHARSET="ANSI"`` (Windows text, PX's default on PX-Web) bytes
    that are no UTF-8, cp1252 (a short Norwegian file's "næring" was guessed cp1250's "nćring");
    else None (the text is decoded as any other)."""
    import codecs

    head = data[:20_000].decode("latin-1")
    m = re.search(r'(?m)^\s*CODEPAGE\s*=\s*"([^"]+)"', head)
    if m is not None:
        try:
            return codecs.lookup(m.group(1).strip()).name
        except LookupError:
            return None
    if re.search(r'(?m)^\s*CHARSET\s*=\s*"ANSI"', head):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "cp1252"
    return None


def _strings(value: str) -> list[str]:
    """A keyword's value as a list: quoted strings separated by commas (strings separated by a
    line break only are one string split over lines, as PX writes long ones); a bare value
    (``0``, ``YES``, ``TLIST(A1)``) as its text."""
    out: list[str] = []
    pos, joined = 0, False
    for m in re.finditer(r'"([^"]*)"|,|[^\s,"]+', value):
        tok = m.group(0)
        if tok == ",":
            joined = False
            continue
        text = m.group(1) if m.group(1) is not None else tok
        between = value[pos:m.start()]
        if joined and out and m.group(1) is not None and not between.strip():
            out[-1] += text  # "part one "<newline>"part two"
        else:
            out.append(text)
        joined = m.group(1) is not None
        pos = m.end()
    return out


_Statement = tuple[str, "str | None", "str | None", str, int]  # keyword, language, subkey, value, line


def _statements(text: str, end: int, path: str = "<input>") -> list[_Statement]:
    """(keyword, language, subkey, value, line) of each statement before ``end``: a statement
    ends at a ``;`` outside quotes.  A value with a line starting as a keyword statement does
    (``CODES("region")=``) ran into the next statement: a quote left open, refused on its line."""
    out = []
    i = 0
    while i < end:
        m = _STATEMENT.match(text, i)
        if m is None or m.end() > end:
            break
        j, quoted = m.end(), False
        while j < end and (quoted or text[j] != ";"):
            if text[j] == '"':
                quoted = not quoted
            j += 1
        line = text.count("\n", 0, m.start(1)) + 1
        value = text[m.end():j]
        if _RUN_ON.search(value):
            raise DataError(problems=[Problem(
                f"the PC-Axis keyword {m.group(1)} runs into the next keyword (a quote left open?)",
                path=path, line=line, column=m.group(1), expected='values in closed quotes, then ";"',
                found=" ".join(value.split())[:60])])
        out.append((m.group(1), m.group(2), (m.group(3) or "").strip().strip('"') or None, value, line))
        i = j + 1
    return out


def _figure(tok: str) -> str:
    """A DATA token as a cell: a quoted symbol without its quotes (``".."``; four or more dots
    as ``...``); a decimal figure without the trailing zeros of its DECIMALS: PX writes a
    decimal point, never a thousands separator, and 283.060 (DECIMALS=3) would otherwise be
    asked about (--decimal) as a possible 283,060."""
    if tok.startswith('"'):
        tok = tok.strip('"').strip()
        return "..." if re.fullmatch(r"\.{4,}", tok) else tok
    if re.fullmatch(r"-?\d+\.\d+", tok):
        return tok.rstrip("0").rstrip(".")
    return tok


def rows(text: str, path: str) -> tuple[list[list[str]], list[int]]:
    """The rows of the long table a PC-Axis file stands for, and each row's line in the file
    (a title row, the header on the ``DATA=`` line, a row per cell on the line its figure is
    on).  Raises :class:`DataError` for a file whose parts do not fit together."""
    data_at = _DATA.search(text)
    stmts = _statements(text, data_at.start(), path)
    plain: dict[tuple[str, str | None], tuple[list[str], int]] = {}
    for key, lang, sub, value, line in stmts:
        if lang is None:  # another language's keywords ([en]) are left out
            plain.setdefault((key, sub), (_strings(value), line))
    keys_at = [line for (k, _s), (_v, line) in plain.items() if k == "KEYS"]
    if keys_at:
        raise DataError(problems=[Problem(
            "a PC-Axis file in the KEYS layout (each data line led by its keys)", path=path,
            line=min(keys_at),
            expected="a PX file of a full cube", found="KEYS",
            hint="download the table again from PX-Web as CSV (comma delimited with heading)")])
    stub = plain.get(("STUB", None), ([], 0))[0]
    heading = plain.get(("HEADING", None), ([], 0))[0]
    variables = stub + heading
    header_line = text.count("\n", 0, data_at.start()) + 1
    if not variables:
        raise DataError(problems=[Problem(
            "a PC-Axis file without STUB or HEADING", path=path, line=header_line,
            expected='STUB="variable",... and HEADING="variable",...', found="neither")])
    time_vars = {sub for (k, sub) in plain if k == "TIMEVAL" and sub}
    content = " ".join(plain.get(("CONTVARIABLE", None), ([], 0))[0]).strip()
    contents = plain.get(("VALUES", content), ([], 0))[0] if content else []
    if len(contents) > 1:
        # several contents (SSB's statistikkvariabel: employed persons and the wage sum) are
        # several measures of one cell, each in its own unit: read as one, every cell was a
        # "duplicate row"
        raise DataError(problems=[Problem(
            f"a PC-Axis file of {len(contents)} contents in its CONTVARIABLE {content!r}", path=path,
            line=plain[("CONTVARIABLE", None)][1], column=content, expected="one content",
            found=", ".join(contents[:6]),
            hint="download the table again with one content (statistics variable) chosen")])
    labels: list[list[str]] = []
    for var in variables:
        vals = plain.get(("VALUES", var))
        if vals is None:
            raise DataError(problems=[Problem(
                f"PC-Axis variable {var!r} has no VALUES", path=path, line=header_line,
                expected=f'VALUES("{var}")="...",...', found="none")])
        codes = plain.get(("CODES", var), (None, 0))[0]
        if codes is not None and len(codes) != len(vals[0]):
            raise DataError(problems=[Problem(
                f"PC-Axis variable {var!r}: {len(codes)} CODES for {len(vals[0])} VALUES",
                path=path, line=plain[("CODES", var)][1], column=var,
                expected=f"{len(vals[0])} codes", found=str(len(codes)))])
        if var in time_vars or codes is None:
            labels.append(list(codes if var in time_vars and codes else vals[0]))
        else:
            # (a label that starts with its code, Statistics Denmark's "TOT Total" of code
            # TOT, is written once)
            labels.append([v.strip() if v.strip() == c.strip() or re.match(re.escape(c.strip()) + r"[\s:]",
                                                                             v.strip())
                           else f"{c.strip()} {v.strip()}" for c, v in zip(codes, vals[0])])
    total = 1
    for lab in labels:
        total *= len(lab)
    body_end = text.rfind(";")
    if body_end < data_at.end():
        body_end = len(text)
    cells: list[str] = []
    cell_lines: list[int] = []
    # line by line (a million figures in seconds): each figure with the line it is on
    for k, part in enumerate(text[data_at.end():body_end].split("\n")):
        toks = _TOKEN.findall(part)
        if toks:
            cells.extend(_figure(t) if t[0] == '"' or "." in t else t for t in toks)
            cell_lines.extend([header_line + k] * len(toks))
    if len(cells) != total:
        sizes = " x ".join(str(len(lab)) for lab in labels)
        raise DataError(problems=[Problem(
            f"PC-Axis DATA holds {len(cells)} figures, the variables' values give {total} ({sizes})",
            path=path, line=header_line, column="DATA", expected=f"{total} figures",
            found=str(len(cells)), hint="a download cut short? download it again" if len(cells) < total
            else "the STUB, HEADING or VALUES do not describe the DATA: download the file again")])
    title = plain.get(("TITLE", None)) or plain.get(("CONTENTS", None)) or ([""], 0)
    units = plain.get(("UNITS", None), ([""], 0))[0]
    if not "".join(units).strip():
        # a content variable's units, UNITS("Lønnstakere")="1000 personer": one for them all
        each = {" ".join(v).strip() for (k, sub), (v, _line) in plain.items() if k == "UNITS" and sub}
        units = list(each) if len(each) == 1 else units
    title_text = " ".join(title[0]).strip()
    unit_text = " ".join(units).strip()
    heads = ["TIME_PERIOD" if v in time_vars else v for v in variables] + ["OBS_VALUE"]
    out_rows: list[list[str]] = []
    out_lines: list[int] = []
    if title_text:
        out_rows.append([title_text])
        out_lines.append(title[1] or 1)
    if unit_text:
        # the unit on a title line of its own, as the generic reader takes a table's unit from
        # a short title line ("1000-tal": thousands, scaled to persons)
        out_rows.append([unit_text])
        out_lines.append(plain.get(("UNITS", None), ([], title[1] or 1))[1] or 1)
    out_rows.append(heads)
    out_lines.append(header_line)
    out_rows.extend([*keys, value] for keys, value in zip(itertools.product(*labels), cells))
    out_lines.extend(cell_lines)
    return out_rows, out_lines
