"""Readers for relatedness inputs: input-output Use tables, crosswalks, user similarity tables.

Three inputs, all CSV:

* **BEA Use table** (``Detail_Use_2017_PRO_BeforeRedef_17sch.csv`` and the summary one): first
  column ``code`` holds the commodity (row) codes, the header the using-industry codes, then
  final-demand columns (``F...``), ``T001`` and two trailing unnamed total columns (written by R
  as ``NA``, ``NA.1``: total final uses and total commodity output).  Rows after the commodities
  are ``T005`` (total intermediate inputs), value added ``V...``, ``T006``, ``T008``.
  Sectors are the codes that are both a row and a column.  BEA's ``(D)``/``(L)`` markers and
  blanks are read as *missing* (never 0): a missing flow is left out of the link maximum.
* **Plain square matrix**: first column and header hold the same codes (in any order); cell
  (r, c) is the flow from r to c.  Totals are the row / column sums.
* **Crosswalk**: BEA's ``MasterCrosswalk2017.csv`` as is (``BEA_2017_Detail_Code`` <->
  ``NAICS_2012_Code`` / ``NAICS_2017_Code``, choose the vintage), or any two-column CSV
  (IO sector code, industry code).  An industry code maps to the sectors listed for its
  longest prefix in the crosswalk (a 6-digit NAICS code listed only at 5 digits takes the
  5-digit row).  Without a crosswalk the table's own codes are matched by longest prefix.
* **User similarity table**: long CSV ``industry_a, industry_b, similarity``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from clusterid import schema
from clusterid.errors import DataError, InputFileError, Problem, UsageError

MISSING_MARKERS = {"", "(D)", "(L)", "(S)", "(X)", "NA", "N/A", "...", "-", "—"}


def _read_rows(path: str | Path) -> list[list[str]]:
    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p}: no such file")
    if p.is_dir():
        raise InputFileError(f"{p}: is a folder, expected a CSV file")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{p}: cannot read ({exc.strerror})") from exc
    from clusterid.io.readers.text import gunzip_if_needed

    from clusterid.io.readers import excel

    if excel.path_format(str(p)) is not None:
        return _workbook_rows(str(p), raw)
    raw = gunzip_if_needed(raw, str(p))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    sample = text[:4096]
    delim = ","
    if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t"):
        delim = ";"
    elif sample.count("\t") > sample.count(","):
        delim = "\t"
    rows = [r for r in csv.reader(text.splitlines(), delimiter=delim)]
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise DataError(problems=[Problem("the file is empty", path=str(p))])
    return rows


def _workbook_rows(path: str, raw: bytes) -> list[list[str]]:
    """The rows of a workbook's one sheet of figures as text (BEA's "IOUse_Before_Redefinitions
    _PRO_2017_Summary.xlsx"): read as text, a zip's bytes were no table ('not an input-output
    table').  A workbook of several sheets of figures (BEA's one sheet per year, 1997-2022) is
    refused naming them: taking the first would read 1997 for the year wanted."""
    from clusterid.io.readers import excel

    rows, _lines, details = excel.read_rows(path, raw)
    others = details.get("other_sheets_with_figures") or []
    if others:
        shown = [details["sheet"], *others]
        raise DataError(problems=[Problem(
            f"a workbook of {len(shown)} sheets of figures", path=path,
            expected="one input-output table",
            found=", ".join(shown[:6]) + (" ..." if len(shown) > 6 else ""),
            hint="save the sheet of the year you want as CSV and give that file")])
    out = [["" if c is None else str(c) for c in r] for r in rows]
    return [r for r in out if any(cell.strip() for cell in r)]


def _header_row(rows: list[list[str]]) -> int:
    """The row holding the column codes: the first whose cells (after the first) hold two or
    more of the codes in the first column below it.  BEA's own downloads put title lines above
    it ("Use Tables/Before Redefinitions/Producer Value", "[Millions of dollars]", the release
    date): taking the first line for the header, they were 'not an input-output table'."""
    for i in range(min(len(rows), 30)):
        cells = {c.strip() for c in rows[i][1:] if c.strip()}
        below = {r[0].strip() for r in rows[i + 1:] if r and r[0].strip()}
        if len(cells & below) >= 2:
            return i
    return 0


def _number(cell: str) -> float:
    c = cell.strip().replace(",", "")
    if c in MISSING_MARKERS:
        return math.nan
    value = float(c)
    # 'inf' and 'NaN' are no flows (read as floats, they were taken without a word, a NaN as
    # a missing flow); 1e300 made the Leontief inverse fail, "internal error: LinAlgError:
    # Singular matrix"
    if not math.isfinite(value) or abs(value) >= schema.PLAUSIBLE_MAX:
        raise ValueError(cell)
    return value


@dataclass(frozen=True)
class IOTable:
    """Flows between IO sectors plus the crosswalk from industry codes to sectors.

    Attributes
    ----------
    sectors : tuple of str
    flows : ndarray (s, s)  flows[k, i] = purchases of sector k's output by sector i (NaN = missing)
    total_inputs : ndarray (s,)  total intermediate inputs of each using sector
    total_output : ndarray (s,)  total output of each supplying sector
    crosswalk : dict industry code -> tuple of sector codes (empty: match sector codes directly)
    source : dict  provenance (paths, layout)
    """

    sectors: tuple[str, ...]
    flows: np.ndarray
    total_inputs: np.ndarray
    total_output: np.ndarray
    crosswalk: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: dict = field(default_factory=dict)

    def sectors_of(self, code: str) -> tuple[str, ...]:
        """IO sectors for one industry code by longest prefix (empty tuple if none)."""
        code = str(code)
        present = set(self.sectors)
        table = self.crosswalk if self.crosswalk else {s: (s,) for s in self.sectors}
        # the code itself, then its prefixes of two characters and more; a NACE division or
        # class (C10, C10.1) last its section letter: a one-letter section (a matrix of the
        # A*10 sections, a table of sections) was never looked up
        tries = [code[:n] for n in range(len(code), 1, -1)] or [code]
        if len(code) > 1 and code[0].isalpha() and code[0].isupper() and code[1].isdigit():
            tries.append(code[0])
        for key in tries:
            hit = table.get(key)
            if hit:
                found = tuple(s for s in hit if s in present)
                if found:
                    return found
        return ()

    def mapping_matrix(self, codes: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """(industries x sectors) weights, each mapped row summing to 1; and unmapped codes."""
        pos = {s: i for i, s in enumerate(self.sectors)}
        w = np.zeros((len(codes), len(self.sectors)))
        unmapped = []
        for r, c in enumerate(codes):
            secs = self.sectors_of(c)
            if not secs:
                unmapped.append(c)
                continue
            for s in secs:
                w[r, pos[s]] += 1.0 / len(secs)
        return w, unmapped


def read_use_table(path: str | Path, crosswalk: str | Path | None = None,
                   naics_vintage: int = 2012) -> IOTable:
    """Read a BEA-layout Use table or a plain square matrix (detected), with a crosswalk.

    Raises InputFileError (missing file) or DataError (unreadable numbers, not square).
    """
    rows = _read_rows(path)
    at = _header_row(rows)  # title rows above it (BEA's own CSV and xlsx downloads)
    rows = rows[at:]
    header = [h.strip() for h in rows[0]]
    row_codes = [r[0].strip() for r in rows[1:]]
    col_codes = header[1:]
    col_pos = {c: i for i, c in enumerate(col_codes)}
    sectors = [c for c in row_codes if c in col_pos and not _is_total_code(c)]
    if len(sectors) < 2:
        raise DataError(problems=[Problem(
            "not an input-output table: fewer than two codes appear both as a row label "
            "(first column) and as a column header", path=str(path), line=1 + at,
            expected="a Use table in the BEA layout or a square matrix with matching labels")])
    row_pos = {c: i for i, c in enumerate(row_codes)}
    problems: list[Problem] = []
    # a sector's row given twice (the later one was read, the first left out unsaid) and a row
    # longer than the header (its last cells were left out unsaid)
    first_line: dict[str, int] = {}
    for r, code in enumerate(row_codes):
        if code in col_pos and not _is_total_code(code):
            if code in first_line:
                problems.append(Problem(
                    "a sector's row given twice", path=str(path), line=2 + at + r, column=header[0],
                    expected=f"one row per sector (line {first_line[code]} gives {code})",
                    found=code))
            first_line.setdefault(code, 2 + at + r)
        extra = [cell for cell in rows[1 + r][len(header):] if cell.strip()]
        if extra and len(problems) < 50:
            problems.append(Problem(
                f"row of {len(rows[1 + r])} cells", path=str(path), line=2 + at + r,
                expected=f"{len(header)} cells, as the header",
                found=",".join(rows[1 + r])[:60]))

    def value(r: int, c: int) -> float:
        row = rows[1 + r]
        if 1 + c >= len(row):
            # a row cut short is a broken file, not BEA's (D): never read as a missing flow
            if not any(p.line == 2 + at + r and p.message.startswith("row of") for p in problems):
                problems.append(Problem(f"row of {len(row)} cells", path=str(path), line=2 + at + r,
                                        column=col_codes[c],
                                        expected=f"{len(header)} cells, as the header",
                                        found=",".join(row)))
            return math.nan
        cell = row[1 + c]
        try:
            return _number(cell)
        except ValueError:
            if len(problems) < 50:
                problems.append(Problem("not a number", path=str(path), line=2 + at + r,
                                        column=col_codes[c],
                                        expected=f"a finite number below {schema.PLAUSIBLE_MAX:g}"
                                                 " or (D)", found=cell))
            return math.nan

    s = len(sectors)
    flows = np.empty((s, s))
    for a, k in enumerate(sectors):
        for b, i in enumerate(sectors):
            flows[a, b] = value(row_pos[k], col_pos[i])
    # BEA's detail table labels its totals T005 (row) and T001; the summary table spells them
    # out ("Total Intermediate", "Total Commodity Output"): read as a plain matrix, its
    # "output" was the intermediate row sum, and the total requirements were never productive
    inputs_row = "T005" if "T005" in row_pos else (
        "Total Intermediate" if "Total Intermediate" in row_pos else None)
    bea = inputs_row is not None or "T001" in col_pos or "Total Commodity Output" in col_pos
    if bea and inputs_row is not None:
        total_inputs = np.array([value(row_pos[inputs_row], col_pos[i]) for i in sectors])
    else:
        total_inputs = np.nansum(flows, axis=0)
    if bea and col_codes[-1] not in col_pos.keys() & set(sectors):
        # BEA layout: the last column is total commodity output
        last = len(col_codes) - 1
        total_output = np.array([value(row_pos[k], last) for k in sectors])
    else:
        total_output = np.nansum(flows, axis=1)
    if problems:
        raise DataError(problems=problems)
    if not np.any(np.nan_to_num(flows) != 0):
        # every flow 0 or missing: the io signal is unknown for every pair, and it was used
        raise DataError(problems=[Problem(
            f"no flow between its {s} sectors (every cell 0 or missing)", path=str(path),
            expected="an input-output table with flows", found=", ".join(sectors[:5]))])
    cw: dict[str, tuple[str, ...]] = {}
    if crosswalk is not None:
        cw = read_crosswalk(crosswalk, naics_vintage=naics_vintage, sectors=sectors)
    layout = "bea" if bea else "square"
    return IOTable(tuple(sectors), flows, total_inputs, total_output, cw,
                   {"path": str(path), "layout": layout,
                    "crosswalk": str(crosswalk) if crosswalk else None,
                    "naics_vintage": naics_vintage})


def _is_total_code(code: str) -> bool:
    """BEA total, value-added and final-demand labels (T005, V00100, F01000, NA.1; the summary
    table's "Total Intermediate", a row and a column both): not sectors."""
    return bool(_TOTAL_RE.match(code)) or code.lower().startswith("total")


_TOTAL_RE = __import__("re").compile(r"^(T\d{3}|V\d{5}|F\w{5}|NA(\.\d+)?)$")


_BEA_LEVELS = ("BEA_2017_Detail_Code", "BEA_2017_Summary_Code", "BEA_2017_Sector_Code")


def read_crosswalk(path: str | Path, naics_vintage: int = 2012,
                   sectors: Sequence[str] | None = None) -> dict[str, tuple[str, ...]]:
    """Industry code -> IO sector codes, from BEA's master crosswalk or a two-column CSV.

    ``naics_vintage`` 2022 with BEA's crosswalk (NAICS 2012 and 2017 columns only): the 2017
    codes, and each NAICS 2022 code with the sectors of the 2017 codes it replaced.
    ``sectors``: the Use table's codes; BEA's crosswalk then maps to the column (detail,
    summary or sector codes) that holds most of them, so the summary table (``111CA``, ``211``)
    is read with the same file as the detail one (``1111A0``); without them, the detail codes."""
    rows = _read_rows(path)
    at = _header_row(rows)  # title rows above it (BEA's own CSV and xlsx downloads)
    rows = rows[at:]
    header = [h.strip() for h in rows[0]]
    forward = naics_vintage == 2022 and "BEA_2017_Detail_Code" in header
    if forward:  # BEA's crosswalk stops at NAICS 2017: 2022 codes take their 2017 sources'
        naics_vintage = 2017
    if "BEA_2017_Detail_Code" in header:
        ncol = f"NAICS_{naics_vintage}_Code"
        if ncol not in header:
            raise UsageError(f"{path}: no column {ncol!r}; the crosswalk has "
                             f"{', '.join(h for h in header if h.startswith('NAICS'))}")
        si, ni = header.index("BEA_2017_Detail_Code"), header.index(ncol)
        if sectors:
            want = set(sectors)

            def held(col: int) -> int:
                return len(want & {r[col].strip() for r in rows[1:] if len(r) > col})

            levels = [header.index(h) for h in _BEA_LEVELS if h in header]
            si = max(levels, key=lambda col: (held(col), col == si))
    elif len(header) >= 2:
        si, ni = 0, 1
    else:
        raise DataError(problems=[Problem("a crosswalk needs two columns (IO code, industry code)",
                                          path=str(path), line=1, found=",".join(header))])
    out: dict[str, list[str]] = {}
    for r in rows[1:]:
        if len(r) <= max(si, ni):
            continue
        sec, ind = r[si].strip(), r[ni].strip()
        if not sec or not ind or ind in MISSING_MARKERS:
            continue
        lst = out.setdefault(ind, [])
        if sec not in lst:
            lst.append(sec)
    if not out:
        raise DataError(problems=[Problem("the crosswalk maps no industry codes", path=str(path))])
    if forward:
        # NAICS 2022 renumbered retail, publishing, broadcasting ... (456110 was 446110): each
        # 2022 code maps to the sectors of its 2017 sources; the 2017 codes stay for a panel
        from clusterid.io.definitions import _bundled

        changes = _bundled("naics_2017_2022_changes.csv")
        for old, new in zip(changes["naics_2017"].to_list(), changes["naics_2022"].to_list()):
            lst = out.setdefault(new, []) if old in out else None
            if lst is not None:
                lst.extend(s for s in out[old] if s not in lst)
    return {k: tuple(v) for k, v in out.items()}


def read_similarity_table(path: str | Path):
    """User similarity table: long CSV with industry_a, industry_b, similarity (polars frame).

    Industry codes are read as text (leading zeros kept); the similarity must be a number.
    """
    import polars as pl

    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{p}: no such file")
    from clusterid.io.readers.text import header_line

    try:
        # blank lines before the header (skipped by the CSV reader) count in the lines: a
        # pair given twice below one was named two lines too early
        at = header_line(p)[0]
        width = len(pl.read_csv(p, glob=False, infer_schema=False, skip_lines=at - 1, n_rows=0).columns)
    except Exception as exc:  # noqa: BLE001 - polars raises several kinds
        raise DataError(problems=[Problem(f"cannot read as CSV: {str(exc).splitlines()[0]}",
                                          path=str(p))]) from exc
    from clusterid.io.tables import check_plain_table

    check_plain_table(p, str(p), ",", at, width, "a similarity table")
    try:
        df = pl.read_csv(p, glob=False, infer_schema=False, skip_lines=at - 1)
    except Exception as exc:  # noqa: BLE001 - polars raises several kinds
        raise DataError(problems=[Problem(f"cannot read as CSV: {str(exc).splitlines()[0]}",
                                          path=str(p))]) from exc
    # headings typed with a space after each comma ('industry_a, industry_b, similarity'),
    # as its cells are read: it was "missing column(s) industry_b, similarity"
    if len({c.strip() for c in df.columns}) == len(df.columns):
        df = df.rename({c: c.strip() for c in df.columns})
    need = ["industry_a", "industry_b", "similarity"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise DataError(problems=[Problem(f"missing column(s) {', '.join(missing)}", path=str(p),
                                          line=at, expected=",".join(need),
                                          found=",".join(df.columns))])
    vals = df["similarity"].str.strip_chars().cast(pl.Float64, strict=False)
    # "nan" and "inf" cast to floats that no pair can use: they were skipped without a word;
    # 1e300 overflowed in the scaling (numpy's RuntimeWarning over two lines of stderr, exit 0)
    bad = ((vals.is_null() & df["similarity"].is_not_null()) | ~vals.is_finite()
           | (vals.abs() >= schema.PLAUSIBLE_MAX)).to_list()
    bad_rows = [i for i, b in enumerate(bad) if b]
    # the same pair in the same order on two lines with two values (a table pasted twice, one
    # copy revised) was averaged as both orders of a pair are: named, as a duplicate key is
    seen: dict[tuple, tuple[int, float, str]] = {}
    twice: list[tuple] = []  # (row, first row, industry_a, industry_b, first cell, cell)
    for i, (a, b, v, raw) in enumerate(zip(df["industry_a"].str.strip_chars().to_list(),
                                           df["industry_b"].str.strip_chars().to_list(),
                                           vals.to_list(), df["similarity"].to_list())):
        if v is None:
            continue
        first = seen.setdefault((a, b), (i, v, raw))
        if first[0] != i and first[1] != v and len(bad_rows) + len(twice) < 50:
            twice.append((i, first[0], a, b, first[2], raw))
    if bad_rows or twice:
        # each row at the line it starts on: a quoted cell's line break (an industry's name
        # on two lines) moves the rows below it down
        from clusterid.io.tables import _record_lines

        rows = sorted({*bad_rows, *(t[0] for t in twice), *(t[1] for t in twice)})
        line = dict(zip(rows, _record_lines(p, rows, at)))
        problems = [Problem("not a number", path=str(p), line=line[i], column="similarity",
                            expected="a finite number", found=df["similarity"][i])
                    if vals[i] is None or not math.isfinite(vals[i]) else
                    Problem("not a plausible similarity", path=str(p), line=line[i],
                            column="similarity",
                            expected=f"a number below {schema.PLAUSIBLE_MAX:g}",
                            found=df["similarity"][i])
                    for i in bad_rows]
        problems += [Problem(f"pair {a}, {b} given twice", path=str(p), line=line[i],
                             column="similarity",
                             expected=f"one value per pair (line {line[j]} gives {cell_j})",
                             found=cell)
                     for i, j, a, b, cell_j, cell in twice]
        raise DataError(problems=problems)
    return df.select(pl.col("industry_a").str.strip_chars(), pl.col("industry_b").str.strip_chars(),
                     vals.alias("similarity"))
