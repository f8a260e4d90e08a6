"""Any regional table: long or wide, CSV/TSV (gzip too), workbooks, Parquet -> canonical frame.

Steps for one file
------------------
1. Bytes: gzip is undone by magic bytes; Parquet (``PAR1``) and workbooks (xlsx, xlsb, ods:
   a zip; xls: OLE2; :mod:`.excel`) are recognised by content, everything else is text
   (:mod:`.text` decodes it and finds the separator).
2. Header: the first row in which most cells are non-empty labels (title rows and merged
   title cells above it are skipped; ``--skip-rows`` forces it).
3. Column roles from the headings (English, German, Russian, Kazakh transliteration; see
   :data:`ROLE_WORDS`), overridden by ``--region-col`` and friends.
4. Layout: *long* (measure columns), *wide by period* (headers ``2015``, ``2016Q1``,
   ``2016M03``) or *wide by industry* (headers that are industry codes); ``--layout`` and
   ``--wide-axis`` override.
5. Cells: numbers with any decimal / thousands convention, suppression markers (status
   ``suppressed``, marker kept in ``<measure>_flag``), anything else is an error with line and
   column.
6. What the source says around the cells: a flag column per value or per row (``EMP_F``,
   ``OBS_FLAG``, ``disclosure_code``: withheld -> suppressed, Census ranges -> bounds, ``e`` ->
   estimated), a unit column or a heading in thousands (scaled to units), rows that are parts
   of others (``LFO``/``EMPSZES`` categories, QCEW domain rows, a second label row: dropped and
   counted), Census ``GEO_ID``s and NUTS codes (codes and levels), QCEW's month columns
   (``--month``), a year + quarter pair, ``own_code`` digits.
7. One-region tables: ``--region ID[:NAME]``, a ``Kreis: 03159 Göttingen`` title line, or
   headings pairing region and year (``Goettingen2008``); headerless key columns (GENESIS
   exports) by their cells.
8. A report's layout (yearbooks; :func:`_report_blocks`): a region or year given on the first
   row of its block only is filled down within it (``filled_down`` in the metadata), a
   region's or year's name on a row of its own is the region or period of the rows below
   (``block_headings``), "в том числе:" / "davon:" lines are dropped and counted -- each only
   where the layout is unmistakable, else refused on the line that makes it ambiguous.

Every output row keeps ``_source`` (the file as the user named it) and ``_line`` (1-based
physical line of the record in the file; for a workbook the sheet row; for Parquet the row number +
1) so validation can point at it.  Both are dropped before writing.
"""

from __future__ import annotations

import re

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import DataError, Problem, UsageError
from clusterid.io.readers import levels
from clusterid.io.readers import text as textmod
from clusterid.io.readers.generic_headings import (LOWER_LEVEL, REGION_PARENT_SEP, UPPER_LEVEL, _CITY,
                                                   _FOOTNOTE_MARK, _LOWER_WORDS, _norm, period_of,
                                                   unclear_period_problem, unclear_periods)
from clusterid.io.readers.generic_plan import (REASON_BREAKDOWN, REASON_INDICATOR, UnclearDates,
                                               _FREQ_HEADINGS, _INDICATOR_HEADINGS, _OWN_CODES, _OWN_TITLES,
                                               _RANGE_FLAGS, _coarser_period, _county_fips,
                                               _is_industry_heading, _period_freq, bare_title_year,
                                               date_periods, is_region_total_name, period_from_titles,
                                               plan_columns)
from clusterid.io.readers.generic_post import (REASON_DOMAIN, _QCEW_DOMAINS, _US_HEADINGS, _ags_levels,
                                               _angle_code_cells, _apply_conf_status, _apply_flag_columns,
                                               _average_months, _census_geo_ids, _code_label_cells,
                                               _drop_label_row, _industry_mapping, _kato_levels, _nuts_levels,
                                               _one_eurostat_unit, _qcew_area_levels, _russian_aggregates,
                                               _scale_units, _section_span_totals, _two_digit_total_or_food,
                                               title_unit)
from clusterid.io.readers.generic_raw import (LINE, RawTable, SOURCE, WORKBOOKS, _genesis_extra_variables,
                                              _is_upper_name, _unique_names, _where_it_changes, raw_table)

NAME = "generic"


def _cell_frame(table: RawTable, lenient: bool = False):
    """The raw strings as a polars DataFrame (columns made unique) with ``_line``."""
    import polars as pl

    if table.cells is not None:
        df, names, notes, ragged = table.cells
        if ragged and not lenient:
            raise DataError(problems=ragged)
        return df, names, notes, ragged
    names = _unique_names(table.header)
    width = len(names)
    data = {n: [] for n in names}
    lines = []
    notes: list[tuple[int, str]] = []  # (line, the one cell) of the rows of one filled cell
    ragged: list[Problem] = []
    for row, line in zip(table.rows, table.lines):
        cells = [None if c is None else str(c) for c in row]
        filled = [c for c in cells if c is not None and c.strip() != ""]
        if not filled:
            continue  # blank line
        if len(filled) == 1 and width >= 3 and (cells[0] or "").strip() and \
                not any((c or "").strip() for c in cells[1:]):
            notes.append((line, cells[0]))  # a footnote under the table, or a block's heading
            continue
        if table.strict_width and len(cells) != width:
            extra = [c for c in cells[width:] if c is not None and c.strip() != ""]
            if len(cells) < width or extra:
                ragged.append(Problem(
                    f"row has {len(cells)} fields, the header has {width}", path=table.path, line=line,
                    expected=f"{width} fields", found=table.sep.join(c or "" for c in cells)[:60],
                    hint="a separator inside an unquoted value, or a missing value?"))
                continue
        if len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        for n, c in zip(names, cells[:width]):
            data[n].append(c)
        lines.append(line)
    if ragged and not lenient:
        raise DataError(problems=ragged)
    df = pl.DataFrame({**data, LINE: lines}, schema={**{n: pl.String for n in names}, LINE: pl.Int64})
    return df, names, notes, ragged


_CANONICAL_SIGNATURE = (*schema.KEYS, schema.CLASSIFICATION, schema.LEVEL)


def _is_canonical_header(header: list[str]) -> bool:
    """clusterid's own canonical layout (a table ``ingest`` wrote, e.g. read back with
    ``--format generic``): the keys, classification, level and each measure's status."""
    measures = schema.measures_in(header)
    return all(c in header for c in _CANONICAL_SIGNATURE) and bool(measures) and all(
        schema.status_col(m) in header for m in measures)


def _canonical_layout(df, header_map: dict, path: str, details: dict, sep: str = ",",
                      options=None):
    """A canonical table's cells taken as they are, column by column.

    Interpreted like an agency table, its all-industries row ``10`` (level 0) of a NACE table
    was read as division C10, its ``region`` codes gave way to ``region_name`` and its statuses
    and bounds were re-derived from the flags: the round trip lost data.  Here each column is
    its own canonical column; a cell that is not of its column's type is a located problem.

    The numbers are read in the file's own format: a table ``ingest`` wrote, opened and saved
    again by a spreadsheet in a continental locale, is ``;``- or tab-separated with decimal
    commas (``5082,666667``); each of its cells was "not a canonical value".  A whole number
    the spreadsheet saved as it showed it, in scientific notation with its last digits gone
    (``1.6991E+11`` for 169,909,519,858 dollars of wages), is refused: read as written, it
    moved every LQ of that measure.
    """
    import polars as pl

    types = schema.polars_schema(schema.measures_in(list(header_map)))
    blank = lambda c: pl.col(c).str.strip_chars().replace("", None)  # noqa: E731
    floats = [header_map[c] for c, t in types.items() if t == pl.Float64 and c in header_map]
    sample = [v for c in floats for v in df.get_column(c).drop_nulls().head(5000).to_list()]
    decimal = getattr(options, "decimal", None)
    thousands = getattr(options, "thousands", None)
    unsure = (textmod.ambiguous_dot_grouping(sample, sep, details.get("format") in WORKBOOKS)
              if decimal is None and thousands is None else None)
    if unsure is not None:
        at = next(((ln, c) for c in floats for ln, v in df.select(LINE, c).iter_rows()
                   if v is not None and v.strip() == unsure), (None, None))
        raise DataError(problems=[Problem(
            "cannot tell whether '.' is a decimal point or a thousands separator", path=path,
            line=at[0], column=at[1], found=unsure,
            expected="a decimal point (12.5) or thousands (1.234.567) somewhere in the file",
            hint="every number has a single '.' before three digits; give --decimal , for "
                 "thousands (283.060 = 283060) or --decimal . for decimals")])
    decimal, thousands = textmod.detect_number_format(sample, sep, decimal, thousands)
    problems: list[Problem] = []
    exprs = []
    for c, t in types.items():
        if c not in header_map:
            exprs.append(pl.lit(None, t).alias(c))
            continue
        raw = blank(header_map[c])
        value = raw.cast(t, strict=False)
        if t == pl.Float64:
            value = _canonical_number(raw, header_map[c], decimal, thousands)
            from clusterid.io.tables import SPREADSHEET_ROUNDED_HINT, spreadsheet_rounded

            for line, found in (df.filter(spreadsheet_rounded(raw))
                                .select(LINE, pl.col(header_map[c])).head(20).iter_rows()):
                problems.append(Problem(
                    "a number cut to the digits a spreadsheet showed", path=path, line=line,
                    column=c, expected="the number written in full",
                    found=found.strip(),
                    hint=SPREADSHEET_ROUNDED_HINT))
        exprs.append(raw.alias(c) if t == pl.String else value.alias(c))
        bad = None
        if t != pl.String:
            bad = raw.is_not_null() & value.is_null()
            expected = "an integer code level (0-6)" if t == pl.Int8 else "a number"
        elif c in schema.KEYS:
            bad, expected = raw.is_null(), "a value"
        elif c == schema.CLASSIFICATION:
            bad = ~raw.is_in(list(schema.CLASSIFICATIONS)).fill_null(False)
            expected = " or ".join(schema.CLASSIFICATIONS)
        elif c.endswith(schema.STATUS_SUFFIX):
            bad = ~raw.is_in(list(schema.STATUSES)).fill_null(False)
            expected = " or ".join(schema.STATUSES)
        if bad is not None:
            for line, found in df.filter(bad).select(LINE, pl.col(header_map[c])).head(20).iter_rows():
                problems.append(Problem("not a canonical value" if found else "empty key cell"
                                        if c in schema.KEYS else "empty cell", path=path,
                                        line=line, column=c, expected=expected, found=found or ""))
    out = df.select(*exprs, pl.col(LINE), pl.lit(path, pl.String).alias(SOURCE))
    used = set(types)
    details.update({"layout": "canonical", "ignored_columns": [h for h in header_map
                                                                if h not in used]})
    return out.lazy(), problems, {}, details


def _canonical_number(raw, name: str, decimal: str, thousands: str | None):
    """A canonical number cell in the file's format: as polars reads it (``486.0``, ``1e-7``)
    or, failing that, in the detected decimal/thousands convention (``5082,666667``,
    ``1.137.217``); a decimal-comma file's exponent form (``1,5E-07``) with its comma read as
    a point."""
    import polars as pl

    direct = raw.cast(pl.Float64, strict=False)
    local = textmod.number_expr(name, decimal, thousands)
    exponent = (pl.when(raw.str.contains(r"^[-+]?\d+(?:[.,]\d*)?[eE][-+]?\d+$"))
                .then(raw.str.replace(",", ".", literal=True)).cast(pl.Float64, strict=False))
    if decimal == ".":
        return pl.coalesce(direct, local)
    # "1.234" with thousands '.' is 1234, not the 1.234 polars would read
    return pl.coalesce(local, exponent)


REASON_NOTES = "note rows under the table (one filled cell)"
REASON_OF_WHICH = "'of which' lines between a total and its parts (в том числе:, davon:)"
REASON_HEADINGS = "block heading rows (a region or year named above its rows)"
_BLOCK_REGION = "\x00block_region"  # the cell frame's column of regions taken from headings
_HEADING_COLUMN = "region (heading rows)"  # ... and its name in messages and metadata
_BLOCK_REGION_NAME = "\x00block_region_name"  # two levels of headings: the district's own name
_BLOCK_LEVEL = "\x00block_region_level"  # ... and its level (oblast, district)
_HEADING_NAME_COLUMN = "region name (heading rows)"
_HEADING_LEVEL_COLUMN = "region level (heading rows)"
_BLOCK_PERIOD = "\x00block_period"  # the same for a year on a row of its own
_PERIOD_HEADING_COLUMN = "period (heading rows)"
# "в том числе:", "из них:", "davon:", "darunter:", "of which:": the rows after it are parts
# of the total above it (their codes say which; a line of words carries no figure)
# ("в том числе по видам деятельности:", "davon nach Wirtschaftszweigen:" too: the words
# first, whatever follows)
_OF_WHICH = re.compile(r"^(?:в\s+том\s+числе|из\s+них|из\s+него|оның\s+ішінде|соның\s+ішінде|"
                       r"davon|darunter|dar\.|of\s+which|thereof|including)(?:[\s:,]|$)",
                       re.IGNORECASE)
# a line under (or inside) a table that is a footnote, source or remark, not a heading
_NOTE_LINE = re.compile(r"^(?:\d{1,2}\)|\(\d{1,2}\)|[¹²³⁴⁵⁶⁷⁸⁹*]|quelle|source|sources|источник|"
                        r"примечани|сноск|note|notes|anmerkung|hinweis|fu(?:ß|ss)note|stand\b|"
                        r"дереккөз|ескерт|данные|daten|data\b|\.\.\.?|–|-)", re.IGNORECASE)


def _heading_like(value) -> bool:
    """A row's one cell that can be a block's heading: a short name, not a footnote ("1) ohne
    Berlin", "Quelle: ...", "Примечание ..."), not a sentence, not an 'of which' line."""
    v = " ".join(str(value or "").split())
    if not v or _NOTE_LINE.match(v) or _OF_WHICH.match(v) or v.endswith(":"):
        return False  # (a line ending in a colon introduces the rows below: a label, no place)
    return len(v.split()) <= 6 and len(v) <= 60 and bool(re.search(r"[^\W\d_]{2,}", v))


def _two_level_headings(inside, path, header0) -> dict[int, tuple[str, str, str]] | None:
    """``{line: (region, name, level)}`` for region headings of two levels, or None when the
    headings are of one level.  Two levels when some headings name oblasts (область, облысы,
    край, a city of republican significance) and others districts (район, ауданы): a district
    is ``<oblast> / <district>`` at level ``district``, its oblast's own rows ``<oblast>`` at
    level ``oblast``; a city under an oblast (г.Кокшетау) is one of its districts.  A heading
    of neither level, or a district above the first oblast, is refused."""
    names = [(ln, " ".join(str(v).split())) for ln, v in inside]
    bare = lambda t: re.sub(_FOOTNOTE_MARK, r"\1", t)  # noqa: E731

    upper = _is_upper_name

    def lower(t):
        return bool(_LOWER_WORDS.search(bare(t)))

    if not (any(upper(t) for _, t in names) and any(lower(t) for _, t in names)):
        return None
    out, parent, problems = {}, None, []
    for ln, t in names:
        if is_region_total_name(t):
            out[ln], parent = (t, t, None), None  # dropped as the other region totals are
        elif upper(t):
            out[ln], parent = (t, t, UPPER_LEVEL), t
        elif (lower(t) or _CITY.search(bare(t))) and parent is not None:
            out[ln] = (f"{parent}{REGION_PARENT_SEP}{t}", t, LOWER_LEVEL)
        else:
            problems.append(Problem(
                "a district heading above the first oblast's" if lower(t) else
                "a heading of neither level among oblast and district headings",
                path=path, line=ln, column=header0,
                expected="an oblast's heading (… область, облысы, г.Алматы) above its districts' "
                         "(… район, ауданы, г.Кокшетау)", found=t,
                hint="give the region on each row (a region column), or write the heading's "
                     "level out (\"… район\", \"… область\")"))
    if problems:
        raise DataError(problems=problems)
    return out


def _region_headings(df, inside, industry, header0, path):
    """The rows of one cell between the data rows of a table without a region column, when
    they are unmistakably the region of the rows below each (else refused, located): each a
    short name that is no industry code and no footnote, the first above the first data row,
    each followed by data rows, every industry cell an industry code."""
    layout = "a report layout: a region's name on a row of its own above the rows of its industries"
    hint = ("give the region on each row (a region column), or read one region's rows with "
            "--region ID[:NAME]")
    lines = df.get_column(LINE)
    problems = []
    first = lines.min()
    # a remark above the first block ("Stand: 30.06.2020", "Quelle: ..."): a note row
    inside = [(ln, v) for ln, v in inside
              if not (ln < first and _NOTE_LINE.match(" ".join(str(v).split())))]
    if not inside:
        return []
    two = _two_level_headings([(ln, v) for ln, v in inside if _heading_like(v)], path, header0)
    if first < inside[0][0]:
        problems.append(Problem(
            "data rows above the first region heading", path=path, line=int(first), column=header0,
            expected=layout + ", with a heading above the first block",
            found=", ".join(f"{v!r} (line {ln})" for ln, v in inside[:3]), hint=hint))
    for (ln, v), nxt in zip(inside, inside[1:] + [(None, None)]):
        v_ = " ".join(str(v).split())
        if _is_industry_heading(v_):
            problems.append(Problem(
                "an industry code on a row of its own", path=path, line=ln, column=header0,
                expected=layout + " (a code on the row above its name is not read)", found=v_,
                hint="put each industry's code and name on one row"))
        elif not _heading_like(v_):
            problems.append(Problem(
                "a row of one cell between the data rows, not a region heading", path=path,
                line=ln, column=header0, expected=layout, found=v_[:60],
                hint="a footnote belongs under the table; " + hint))
        elif nxt[0] is not None and not lines.is_between(ln, nxt[0]).any() \
                and not (two and two.get(ln, ("", "", ""))[2] == UPPER_LEVEL
                         and two.get(nxt[0], ("", "", ""))[2] == LOWER_LEVEL):
            # (an oblast's heading right above its first district's: the oblast has no rows
            # of its own here)
            problems.append(Problem(
                "two heading rows in a row: headings of two levels are not read", path=path,
                line=ln, column=header0, expected=layout, found=f"{v_!r}, {nxt[1]!r}", hint=hint))
    if not problems:
        values = df.get_column(industry).drop_nulls().str.strip_chars().unique().to_list()
        words = sorted(v for v in values if v and not _is_industry_heading(v))
        if words:
            at = df.filter(pl_col_in(industry, words)).get_column(LINE).min()
            problems.append(Problem(
                "rows of one cell above rows of industry names: regions or industry headings?",
                path=path, line=int(at), column=header0, expected=layout + ", the industries coded",
                found=", ".join(repr(w) for w in words[:4]),
                hint="code the industries (C, C10, 31-33), or " + hint))
    if not problems:
        problems += _blocks_of_one_industry(df, inside, industry, header0, path, layout, hint)
    if problems:
        raise DataError(problems=problems)
    return inside


def _top(cell: str) -> str | None:
    """The section (NACE letter, NAICS two digits) of an industry cell; None for a total."""
    code, _name = codes.split_label(cell)
    if codes.is_total(cell) or codes.is_total(code):
        return None
    norm = codes.normalize(code, codes.detect([code])) or code
    if re.match(r"^[A-U]\d", norm):
        return norm[0]
    return norm[:2] if norm[:2].isdigit() else norm


def _blocks_of_one_industry(df, heads, industry, header0, path, layout, hint) -> list[Problem]:
    """Headings of regions or of industries?  The regions of a report share their industries
    (A, C, F under Almaty, under Astana); the headings of a national table's sections do not
    (C10, C11 under "Manufacturing", G45, G46 under "Trade").  Several headings whose blocks
    share no industry, or one heading over the parts of a single section, are refused."""
    import polars as pl

    bounds = [ln for ln, _ in heads] + [df.get_column(LINE).max() + 1]
    blocks = []
    for (ln, v), nxt in zip(heads, bounds[1:]):
        cells = (df.filter(pl.col(LINE).is_between(ln, nxt, closed="none"))
                 .get_column(industry).drop_nulls().str.strip_chars().to_list())
        # (a total row is an industry the blocks share: each region's "Всего")
        blocks.append((ln, v, {c.upper() if _top(c) is not None else schema.ALL_INDUSTRIES
                               for c in cells if c},
                       {_top(c) for c in cells if c and _top(c) is not None},
                       any(c and _top(c) is None for c in cells)))
    out = []
    if len(blocks) >= 2:
        for i, (ln, v, cells, _tops, _total) in enumerate(blocks):
            others = set().union(*(b[2] for j, b in enumerate(blocks) if j != i))
            if cells and not cells & others:
                out.append(Problem(
                    "a heading whose rows share no industry with the other blocks: a region or an "
                    "industry's heading?", path=path, line=ln, column=header0,
                    expected=layout + ", each region with the same industries",
                    found=f"{' '.join(str(v).split())!r} over {', '.join(sorted(cells)[:4])}", hint=hint))
    else:
        ln, v, cells, tops, total = blocks[0]
        if len(cells) >= 2 and len(tops) == 1 and not total:
            out.append(Problem(
                "one heading over the parts of one industry: a region or that industry's name?",
                path=path, line=ln, column=header0, expected=layout,
                found=f"{' '.join(str(v).split())!r} over {', '.join(sorted(cells)[:4])}", hint=hint))
    return out


def _indented_uncoded(df, column, heading, mapping, cls, path) -> list[Problem]:
    """Industries without codes indented under others ("Produzierendes Gewerbe", then
    "  Verarbeitendes Gewerbe"): a report's parts of the row above.  Uncoded, nothing says
    which industry holds which: read as industries of one level, every sum over industries
    counted the part twice.  Located problems (the first 20 indented rows); coded industries
    take their hierarchy from the codes, whatever their indentation."""
    import polars as pl

    depth = {}
    # on the column's distinct values (a strip of millions of cells first cost ~0.2 s)
    for v in df.get_column(column).unique().drop_nulls().to_list():
        if not v.strip():
            continue
        code = mapping.get(v.strip(), (None, None, None))
        if code[0] == schema.ALL_INDUSTRIES or not (cls == schema.CUSTOM or code[2] == schema.CUSTOM):
            continue
        depth[v] = len(v) - len(v.lstrip())
    if len(set(depth.values())) < 2:
        return []
    top = min(depth.values())
    inner = [v for v, d in depth.items() if d > top]
    bad = (df.select(LINE, pl.col(column).alias("v")).filter(pl.col("v").is_in(inner))
           .sort(LINE).head(20))
    return [Problem(
        "an industry without a code indented under another: a part of the one above it", path=path,
        line=line, column=heading, expected="coded industries (C, C10, 31-33), or uncoded ones of one level",
        found=v, hint="summed beside the industry it is part of, it would count twice: code the "
                      "industries, or keep one level (delete the indented rows or those above them)")
        for line, v in bad.iter_rows()]


def pl_col_in(name, values):
    import polars as pl

    return pl.col(name).str.strip_chars().is_in(list(values)).fill_null(False)


def _fill_down(df, cols, display, outer=()):
    """Key columns given once per block (a report: ``Almaty`` on a block's first row, the
    cells below it blank) filled down within their blocks, where the layout is unmistakable:
    the first row names it, blank cells are at least as many as filled ones, and no two filled
    cells in a row repeat a value (a long table naming its region on every row but one keeps
    that blank: a located error).  A column with fewer filled cells is the outer block: an
    inner key is not filled across its boundary.  Returns ``(df, {column: cells filled})``."""
    import polars as pl

    cols = [c for c in cols if c in df.columns]
    if not cols or df.height < 2:
        return df, {}
    # (the blank values found among a column's distinct values: most tables have none, and
    # the strip of every cell of millions of rows is skipped)
    with_blanks = []
    for c in cols:
        uniq = df.get_column(c).unique()
        if uniq.null_count() or (uniq.str.strip_chars() == "").any():
            with_blanks.append(c)
    cols = with_blanks
    if not cols:
        return df, {}
    masks = df.select([(pl.col(c).str.strip_chars() != "").fill_null(False).alias(c) for c in cols])
    counts = {c: int(masks.get_column(c).sum()) for c in cols}
    out, filled = df, {}
    # ``outer``: the lines of headings of an outer block (a year on a row of its own): the
    # first row under each starts a block no key is carried into
    starts = sorted({df.filter(pl.col(LINE) > ln).get_column(LINE).min() for ln in outer} - {None})
    bound = pl.Series(df.get_column(LINE).is_in(starts))
    left = [c for c in sorted(cols, key=lambda c: counts[c])
            if 0 < df.height - counts[c] and masks.get_column(c)[0] and df.height - counts[c] >= counts[c]]

    def one_per_block(c):
        # the same value on consecutive filled rows (within one block of the keys chosen so
        # far): not one cell per block, but a column naming its key on (nearly) every row --
        # unless another key's blocks part them (the year on the first row of each Land's block)
        f = masks.get_column(c)
        vals = df.get_column(c).str.strip_chars().filter(f)
        outer = bound.cum_sum().filter(f)
        return not ((vals.head(-1) == vals.tail(-1)) & (outer.head(-1) == outer.tail(-1))).any()

    while left:
        c = next((c for c in left if one_per_block(c)), None)
        if c is None:
            break
        left.remove(c)
        f = masks.get_column(c)
        group = (f | bound).cum_sum()
        tmp = out.with_columns(f.alias("\x00f"), group.alias("\x00g"))
        new = tmp.select(pl.when(pl.col("\x00f")).then(pl.col(c)).otherwise(None)
                         .forward_fill().over("\x00g").alias(c)).get_column(c)
        took = (~f & new.is_not_null())
        n = int(took.sum())
        if n:
            out = out.with_columns(pl.when(took).then(new).otherwise(out.get_column(c)).alias(c))
            filled[display.get(c, c)] = n
        bound = bound | f
    return out, filled


def _report_blocks(df, names, header, header_map, plan, notes, path, dropped, options=None):
    """A statistical yearbook's report layout, read where it is unmistakable (else refused):

    * a row of one cell between the data rows, the table having no region column, the first
      column its industries: the region of the rows below it (``Almaty,,`` above ``A,1200,1250``
      ...): a column :data:`_BLOCK_REGION` is added, ``plan.region`` names it;
    * the same heading row in a table whose first column is the region, its rows below with the
      region blank: the heading fills them (:func:`_fill_down`);
    * a key given once per block (region or period on the first row of its block, the cells
      below blank): filled down (:func:`_fill_down`).

    Footnotes under the table stay note rows; an "в том числе:" / "davon:" line between rows is
    dropped and counted as such.  Returns ``(df, the note rows left, facts for the metadata)``."""
    import polars as pl

    facts: dict = {}
    if df.height == 0:
        return df, notes, facts
    last = df.get_column(LINE).max()
    inside = [(ln, v) for ln, v in notes if ln < last]
    of_which = [(ln, v) for ln, v in inside if _OF_WHICH.match(" ".join(str(v).split()))]
    if of_which:
        dropped[REASON_OF_WHICH] = len(of_which)
        notes = [n for n in notes if n not in of_which]
        inside = [n for n in inside if n not in of_which]
    # a unit line right under the header ("(тысяч человек)", "in 1000"): what a title line
    # above it would say, no heading of a block
    first = df.get_column(LINE).min()
    units = [(ln, v) for ln, v in inside if ln < first and title_unit([[v]]) is not None]
    if units:
        facts["unit_line"] = " ".join(str(units[0][1]).split())
        inside = [n for n in inside if n not in units]
    col = lambda h: header_map.get(h, h) if h is not None else None  # noqa: E731
    first_col = names[0] if names else None
    heads: list = []
    years = [(ln, v) for ln, v in inside if period_of(" ".join(str(v).split())) is not None]
    if not (years and plan.period is None and plan.layout == "long" and not plan.head_keys
            and not getattr(options, "period", None)):
        years = []  # (a year on a row of its own elsewhere stays a note row)
    if years:
        # a year on a row of its own above its block ("2019,,," then the rows of 2019)
        lines = df.get_column(LINE)
        problems = []
        if lines.min() < years[0][0]:
            problems.append(Problem(
                "data rows above the first year heading", path=path, line=int(lines.min()),
                column=header[0], expected="a year on a row of its own above each block of rows",
                found=", ".join(f"{v!r} (line {ln})" for ln, v in years[:3]),
                hint="give the year on each row (a year column), or the file's one year with --period"))
        for (ln, v), (nxt, _w) in zip(years, years[1:] + [(last + 1, None)]):
            if not lines.is_between(ln, nxt).any():
                problems.append(Problem(
                    "a year heading with no rows under it", path=path, line=ln, column=header[0],
                    expected="a year on a row of its own above each block of rows", found=str(v)))
        if problems:
            raise DataError(problems=problems)
        blocks = pl.DataFrame({LINE: [ln for ln, _ in years],
                               _BLOCK_PERIOD: [" ".join(str(v).split()) for _, v in years]},
                              schema={LINE: pl.Int64, _BLOCK_PERIOD: pl.String})
        df = df.join_asof(blocks.sort(LINE), on=LINE, strategy="backward")
        plan.period = _PERIOD_HEADING_COLUMN
        facts["period_heading_column"] = _PERIOD_HEADING_COLUMN
        heads += years
        inside = [n for n in inside if n not in years]
    if inside and plan.region is None and plan.region_from is None and plan.region_const is None \
            and not plan.head_keys and plan.industry is not None and col(plan.industry) == first_col:
        regions = _region_headings(df, inside, col(plan.industry), header[0], path)
        if regions and years:  # each year's block starts with a region's heading (none is carried over)
            firsts = sorted(years + regions)
            lines = df.get_column(LINE)
            for (ln, v), (nxt, w) in zip(firsts, firsts[1:] + [(last + 1, None)]):
                if (ln, v) in years and ((nxt, w) not in regions or lines.is_between(ln, nxt).any()):
                    raise DataError(problems=[Problem(
                        "a year's block does not start with a region heading", path=path, line=ln,
                        column=header[0], expected="the year, then a region's name, then its rows",
                        found=str(v), hint="give the region on each row (a region column)")])
        if regions:
            heads += regions
            # a region column from the headings: each row's region is the heading above it
            blocks = pl.DataFrame({LINE: [ln for ln, _ in regions],
                                   _BLOCK_REGION: [" ".join(str(v).split()) for _, v in regions]},
                                  schema={LINE: pl.Int64, _BLOCK_REGION: pl.String})
            two = _two_level_headings(regions, path, header[0])
            if two:  # oblasts and their districts: the district's key names its oblast
                blocks = pl.DataFrame(
                    {LINE: [ln for ln, _ in regions], _BLOCK_REGION: [two[ln][0] for ln, _ in regions],
                     _BLOCK_REGION_NAME: [two[ln][1] for ln, _ in regions],
                     _BLOCK_LEVEL: [two[ln][2] for ln, _ in regions]},
                    schema={LINE: pl.Int64, _BLOCK_REGION: pl.String, _BLOCK_REGION_NAME: pl.String,
                            _BLOCK_LEVEL: pl.String})
                plan.region_name, plan.region_level = _HEADING_NAME_COLUMN, _HEADING_LEVEL_COLUMN
                facts["region_heading_levels"] = {
                    lv or "total": sum(1 for v in two.values() if v[2] == lv)
                    for lv in sorted({v[2] for v in two.values()}, key=str)}
            df = df.join_asof(blocks.sort(LINE), on=LINE, strategy="backward")
            plan.region = _HEADING_COLUMN
            plan.region_from = "heading rows"
            facts["region_heading_column"] = _HEADING_COLUMN
    elif inside and plan.region is not None and col(plan.region) == first_col \
            and plan.region_const is None:
        cand = [(ln, v) for ln, v in inside if _heading_like(v)]
        region = col(plan.region)
        if cand:
            rows = pl.DataFrame({LINE: [ln for ln, _ in cand], region: [v for _, v in cand],
                                 "\x00heading": [True] * len(cand)},
                                schema={LINE: pl.Int64, region: pl.String, "\x00heading": pl.Boolean})
            both = pl.concat([df.with_columns(pl.lit(False).alias("\x00heading")), rows],
                             how="diagonal_relaxed").sort(LINE)
            filled, n = _fill_down(both, [region], {region: plan.region}, [ln for ln, _ in years])
            if n:
                # the headings that named rows (the row under each, a data row, was blank);
                # another row of one cell (a unit line) stays a note row
                after = both.with_columns(pl.col(region).shift(-1).alias("\x00next"),
                                          pl.col("\x00heading").shift(-1).alias("\x00nh"))
                named = set(after.filter(pl.col("\x00heading") & ~pl.col("\x00nh").fill_null(True)
                                         & (pl.col("\x00next").str.strip_chars() == "").fill_null(True))
                            .get_column(LINE).to_list())
                heads += [h for h in cand if h[0] in named]
                df = filled.filter(~pl.col("\x00heading")).drop("\x00heading").select(df.columns)
                facts["filled_down"] = n
    if heads:
        facts["block_headings"] = len(heads)
        dropped[REASON_HEADINGS] = len(heads)
        notes = [n for n in notes if n not in heads]
    values = [col(h) for h in (plan.value_cols if plan.layout == "wide" else plan.measures.values())]
    values = [c for c in values if c in df.columns]
    if plan.industry is not None and col(plan.industry) in df.columns and values:
        # "в том числе:" in the industry column of a longer row, its figures blank (the
        # rows with no figure found first: a cheap test on every row, the words on a few)
        # (the words looked for among the column's distinct values)
        # (the words alone or a line ending in a colon: "including repair" with its figures
        # withheld is an industry)
        said = [v for v in df.get_column(col(plan.industry)).unique().drop_nulls().to_list()
                if _OF_WHICH.match(" ".join(v.split()))
                and (v.strip().endswith(":") or len(_OF_WHICH.sub("", " ".join(v.split())).strip()) == 0)]
        blank = pl.all_horizontal([(pl.col(c).str.strip_chars() == "").fill_null(True) for c in values])
        line_of = pl.col(col(plan.industry)).is_in(said).fill_null(False) & blank
        n = df.select(line_of.sum()).item() if said else 0
        if n:
            dropped[REASON_OF_WHICH] = dropped.get(REASON_OF_WHICH, 0) + n
            df = df.filter(~line_of)
    keys = [c for c in (plan.period, plan.region, plan.region_name)
            if c is not None and col(c) in df.columns and col(c) not in (_BLOCK_REGION, _BLOCK_PERIOD)]
    if plan.region_name in keys and plan.region_name != plan.region:
        # the names only beside codes given once per block, blank on the same rows: a name
        # column blank under a state's row beside its counties' codes is no block's
        blank = [(pl.col(col(c)).str.strip_chars() == "").fill_null(True)
                 for c in (plan.region, plan.region_name)]
        if plan.region not in keys or not df.select((blank[0] == blank[1]).all()).item():
            keys.remove(plan.region_name)
    df, n = _fill_down(df, [col(c) for c in keys], {col(c): c for c in keys}, [ln for ln, _ in years])
    for c, k in n.items():
        facts.setdefault("filled_down", {})[c] = k
    return df, notes, facts


def read_table(table: RawTable, options):
    """Interpret one :class:`RawTable`: returns ``(LazyFrame, problems, dropped, details)``."""
    import polars as pl

    path = table.path
    # --on-error skip: a ragged row is set aside (reported by line) instead of failing the file
    df, names, note_rows, ragged = _cell_frame(table, getattr(options, "on_error", "fail") == "skip")
    # a column without a heading is planned under its made-up name (column_3)
    header = [h if h else nm for h, nm in zip(table.header, names)]
    header_map = dict(zip(header, names))
    samples = None
    if any(not h for h in table.header):
        samples = {nm: df.get_column(nm).head(200).to_list() for h, nm in zip(table.header, names) if not h}
    if _is_canonical_header(header) and not any(
            getattr(options, o, None) for o in ("region_col", "region_name_col", "industry_col",
                                                "industry_name_col", "period_col", "measure_cols")):
        lf, problems, dropped, details = _canonical_layout(df, header_map, path, dict(table.details),
                                                           table.sep, options)
        if note_rows:
            dropped[REASON_NOTES] = len(note_rows)
        return lf, list(ragged) + problems, dropped, details
    plan = plan_columns(header, options, path, table.titles, samples)
    if plan.region is not None and plan.industry is not None:
        _genesis_extra_variables(df, header, header_map, path, table.details.get("header_line", 1),
                                 {plan.region, plan.region_name, plan.industry, plan.industry_name, plan.period})
    col = lambda h: header_map.get(h, h) if h is not None else None  # noqa: E731
    problems: list[Problem] = list(ragged)
    dropped: dict[str, int] = {}
    # ---- a report's layout: region headings over blocks, keys given once per block
    df, note_rows, block_facts = _report_blocks(df, names, header, header_map, plan, note_rows,
                                                path, dropped, options)
    if block_facts.get("region_heading_column"):
        header_map[block_facts["region_heading_column"]] = _BLOCK_REGION
    if block_facts.get("region_heading_levels"):
        header_map.update({_HEADING_NAME_COLUMN: _BLOCK_REGION_NAME, _HEADING_LEVEL_COLUMN: _BLOCK_LEVEL})
    if block_facts.get("period_heading_column"):
        header_map[block_facts["period_heading_column"]] = _BLOCK_PERIOD
    if note_rows:
        dropped[REASON_NOTES] = len(note_rows)
    if plan.region is None and plan.region_from is None:
        raise DataError(problems=[Problem(
            "no region column recognised", path=path, line=table.details.get("header_line", 1),
            expected="a heading such as region, area, Land, область", found=", ".join(table.header[:10]),
            hint="name it with --region-col; a table about one region: --region ID[:NAME]")])
    if plan.industry is None and plan.wide_axis != "industry":
        raise DataError(problems=[Problem(
            "no industry column recognised", path=path, line=table.details.get("header_line", 1),
            expected="a heading such as industry, naics, nace, WZ, oked, отрасль",
            found=", ".join(table.header[:10]), hint="name it with --industry-col")])
    if plan.period is None and plan.wide_axis not in ("period", "region_period") and not options.period:
        year = period_from_titles(table.titles)
        source = "title line"
        if year is None and table.details.get("sheet"):
            # a workbook of one sheet per year ("2013", "2014"): the sheet's name is its period
            year, source = period_of(str(table.details["sheet"])), "sheet name"
        if year is not None:  # "... за 2022 год" above the header
            import dataclasses

            options = dataclasses.replace(options, period=year)
            plan.period_from = source
    if plan.period is None and plan.wide_axis not in ("period", "region_period") and not options.period:
        raise DataError(problems=[Problem(
            "no period column recognised", path=path, line=table.details.get("header_line", 1),
            expected="a heading such as year, period, Jahr, год", found=", ".join(table.header[:10]),
            hint=(f"{bare_title_year(table.titles)[1]}; " if bare_title_year(table.titles)[1] else "")
            + "name it with --period-col, or give the period of the whole file with --period 2016")])
    if plan.layout == "long" and not plan.measures:
        raise DataError(problems=[Problem(
            "no measure column recognised", path=path, line=table.details.get("header_line", 1),
            expected="a heading such as employment, emp, Beschäftigte, численность, firms, wages, output",
            found=", ".join(table.header[:10]),
            hint="name it with --measure-col employment=COLUMN")])

    # ---- reshape to long: one value column per measure
    base = [pl.col(LINE)]
    if plan.region_const is not None:
        base.append(pl.lit(plan.region_const[0], pl.String).alias("_region"))
        base.append(pl.lit(plan.region_const[1], pl.String).alias("_region_name"))
    elif plan.wide_axis != "region_period":
        base.append((_county_fips(plan, col)[0] if plan.county else pl.col(col(plan.region))).alias("_region"))
        base.append((pl.col(col(plan.region_name)) if plan.region_name else pl.lit(None, pl.String)).alias("_region_name"))
    if plan.wide_axis != "industry":
        base.append(pl.col(col(plan.industry)).alias("_industry"))
    base.append((pl.col(col(plan.industry_name)) if plan.industry_name else pl.lit(None, pl.String)).alias("_industry_name"))
    if plan.wide_axis not in ("period", "region_period"):
        base.append((pl.col(col(plan.period)) if plan.period else pl.lit(options.period, pl.String)).alias("_period"))
    base.append((pl.col(col(plan.ownership)) if plan.ownership else pl.lit(schema.OWNERSHIP_TOTAL)).alias("_ownership"))
    if plan.quarter:
        base.append(pl.col(col(plan.quarter)).alias("_quarter"))
    base.append((pl.col(col(plan.unit)) if plan.unit else pl.lit(None, pl.String)).alias("_unit"))
    indicator = next((h for h in plan.ignored if _norm(h) in _INDICATOR_HEADINGS), None)
    if indicator is not None and not plan.unit:
        base.append(pl.col(col(indicator)).str.strip_chars().alias("_indicator"))
    freq_col = next((h for h in plan.ignored if _norm(h) in _FREQ_HEADINGS), None)
    if freq_col is not None:  # SDMX's FREQ (Q, A, M): how the table's dated periods are meant
        base.append(pl.col(col(freq_col)).alias("_freq"))
    for m, fc in plan.flags.items():
        base.append(pl.col(col(fc)).alias("_flag_" + m))
    for i, bc in enumerate(plan.breakdowns):
        base.append(pl.col(col(bc)).alias(f"_breakdown_{i}"))
    if plan.conf:
        base.append(pl.col(col(plan.conf)).alias("_conf"))
    if plan.region_level:
        base.append(pl.col(col(plan.region_level)).alias("_region_level"))
    elif plan.county and plan.wide_axis != "region_period" and plan.region_const is None:
        no_county = pl.col(col(plan.county)).str.strip_chars().replace("", None).is_null()
        base.append(pl.when(_county_fips(plan, col)[1]).then(pl.lit("county"))
                    .when(no_county & pl.col(col(plan.region)).str.contains(r"[^\W\d_]").fill_null(False))
                    .then(pl.lit("state"))  # the state's own row beside its counties, by name
                    .otherwise(pl.lit(None, pl.String)).alias("_region_level"))
    else:  # derived from the codes below (GEO_ID, NUTS), else --region-level labels them
        base.append(pl.lit(None, pl.String).alias("_region_level"))
    if plan.layout == "wide":
        measure = options.measure
        if measure not in schema.MEASURES:
            raise UsageError(f"--measure {measure!r}: expected one of {', '.join(schema.MEASURES)}")
        value_cols = [col(h) for h in plan.value_cols]
        long = df.select(base + [pl.col(c) for c in value_cols]).unpivot(
            index=[e.meta.output_name() for e in base], on=value_cols, variable_name="_head", value_name=measure)
        head_back = {col(h): h for h in plan.value_cols}
        if plan.wide_axis == "period":
            long = long.with_columns(pl.col("_head").replace_strict(
                {c: plan.head_periods.get(h) or period_of(h) for c, h in head_back.items()},
                return_dtype=pl.String).alias("_period"))
        elif plan.wide_axis == "region_period":
            long = long.with_columns(
                pl.col("_head").replace_strict({c: plan.head_keys[h][1] for c, h in head_back.items()},
                                               return_dtype=pl.String).alias("_period"))
            if plan.region_const is None:  # the region is the heading's (REAT's BRD2008)
                long = long.with_columns(
                    pl.col("_head").replace_strict({c: plan.head_keys[h][0] for c, h in head_back.items()},
                                                   return_dtype=pl.String).alias("_region"))
                long = long.with_columns(pl.col("_region").alias("_region_name"))
                if plan.head_levels:  # districts under their oblasts: the name and level
                    names_ = {c: plan.head_levels.get(h, (plan.head_keys[h][0], None)) for c, h in head_back.items()}
                    long = long.with_columns(
                        pl.col("_head").replace_strict({c: v[0] for c, v in names_.items()},
                                                       return_dtype=pl.String).alias("_region_name"),
                        pl.col("_head").replace_strict({c: v[1] for c, v in names_.items()},
                                                       return_dtype=pl.String).alias("_region_level"))
        else:
            long = long.with_columns(pl.col("_head").replace_strict(head_back, return_dtype=pl.String).alias("_industry"))
        long = long.with_columns(pl.col("_head").replace_strict(head_back, return_dtype=pl.String).alias("_column"))
        measures = {measure: measure}
    else:
        temps = {f"_month{i + 2}": h for i, h in enumerate(plan.extra_months)}
        long = df.select(base + [pl.col(col(c)).alias(m) for m, c in plan.measures.items()]
                         + [pl.col(col(h)).alias(t) for t, h in temps.items()])
        measures = {m: m for m in plan.measures} | {t: t for t in temps}
        long = long.with_columns(pl.lit(None, pl.String).alias("_column"))
    measure_header = {m: (c if plan.layout == "long" else None) for m, c in plan.measures.items()}
    if plan.layout == "long":
        measure_header.update({f"_month{i + 2}": h for i, h in enumerate(plan.extra_months)})

    # ---- numbers
    sample = []
    for m in measures:
        sample.extend(long.get_column(m).head(5000).to_list())
    decimal, thousands = textmod.detect_number_format(sample, table.sep, options.decimal, options.thousands)
    unsure = textmod.ambiguous_dot_grouping(sample, table.sep, table.details.get("format") in WORKBOOKS) \
        if options.decimal is None and options.thousands is None else None
    if unsure is not None:
        at = next(((ln, c) for m in measures
                   for ln, v, c in long.head(5000).select(LINE, m, "_column").iter_rows()
                   if v is not None and v.strip() == unsure), (None, None))
        raise DataError(problems=[Problem(
            "cannot tell whether '.' is a decimal point or a thousands separator", path=path,
            line=at[0], column=at[1] or next((measure_header.get(m) for m in measures
                                              if measure_header.get(m)), None),
            expected="a decimal point (12.5) or thousands (1.234.567) somewhere in the file",
            found=unsure,
            hint="every number has a single '.' before three digits; give --decimal , for "
                 "thousands (283.060 = 283060) or --decimal . for decimals")])
    # Census range letters in the employment cells themselves (American FactFinder CBP tables:
    # a 0-19, b 20-99 ... employees) in a NAICS table: suppressed, the range as bounds
    ranged = ({k: (schema.SUPPRESSED, lo, hi) for k, (lo, hi) in _RANGE_FLAGS.items()}
              if plan.industry and _norm(plan.industry).startswith("naics") else {})

    def marker_table(m):
        return {**textmod.MARKERS, **(ranged if m == schema.EMPLOYMENT else {})}

    exprs = []
    # stage the shared pieces as columns: an expression used twice in one select is evaluated twice
    # A column of plain digits (``123``, ``12.5`` with a decimal point) throughout, as machine
    # written files are, is cast directly: the rules below give exactly that for such cells.
    plain_rx = r"^[0-9]+(?:\.[0-9]+)?$" if decimal == "." else r"^[0-9]+$"
    plain = set()
    if long.height and not any(ch.isdigit() for ch in (decimal or "") + (thousands or "")):
        plain = {m for m in measures
                 if long.select(pl.col(m).str.contains(plain_rx).fill_null(False).all()).item()}
    stages = []
    for m in measures:
        if m in plain:
            s_col, t_col = textmod.number_stage_columns(m + "__num")
            stages.append([[pl.col(m).alias(s_col)], [pl.col(m).alias(t_col)],
                           [pl.col(m).cast(pl.Float64).alias(m + "__num")]])
        else:
            stages.append(textmod.number_stages(m, m + "__num", decimal, thousands, footnotes=True))
    for step in range(len(stages[0]) if stages else 0):
        long = long.with_columns([e for st in stages for e in st[step]])
    long = long.with_columns([(pl.col(m) if m in plain else pl.col(m).str.strip_chars()).alias(m + "__raw")
                              for m in measures])
    long = long.with_columns(
        [pl.col(m + "__raw").is_in(list(marker_table(m))).alias(m + "__mk") for m in measures]
        + [(pl.col(m + "__raw").is_null() | (pl.col(m + "__raw") == "")).alias(m + "__empty") for m in measures])
    for m in measures:
        table_m = marker_table(m)
        status_map = {k: v[0] for k, v in table_m.items()}
        lower_map = {k: v[1] for k, v in table_m.items()}
        upper_map = {k: v[2] for k, v in table_m.items()}
        raw = pl.col(m + "__raw")
        empty = pl.col(m + "__empty")
        is_marker = pl.col(m + "__mk")
        num = pl.col(m + "__num")
        bad = ~empty & ~is_marker & num.is_null()
        exprs += [
            pl.when(is_marker | empty).then(None).otherwise(num).alias(m + "__v"),
            pl.when(is_marker).then(raw.replace_strict(status_map, default=schema.SUPPRESSED))
            .when(empty | bad).then(pl.lit(schema.SUPPRESSED)).otherwise(pl.lit(schema.REPORTED))
            .alias(schema.status_col(m)),
            pl.when(is_marker).then(raw.replace_strict(lower_map, default=None, return_dtype=pl.Float64))
            .otherwise(None).cast(pl.Float64).alias(schema.lower_col(m)),
            pl.when(is_marker).then(raw.replace_strict(upper_map, default=None, return_dtype=pl.Float64))
            .otherwise(None).cast(pl.Float64).alias(schema.upper_col(m)),
            pl.when(is_marker).then(raw)
            .when(num.is_not_null()).then(raw.str.extract("(" + textmod.FOOTNOTE_SUFFIX[:-1] + ")$", 1))
            .otherwise(None).alias(schema.flag_col(m)),
            bad.alias(m + "__bad"),
        ]
    long = long.with_columns(exprs)
    for m in measures:
        bad_rows = long.filter(pl.col(m + "__bad"))
        for line, found, head in bad_rows.select(LINE, m, "_column").iter_rows():
            hint = (f"read with decimal {decimal!r} and thousands {thousands!r}; "
                    "override with --decimal/--thousands if that is wrong")
            if found and re.fullmatch(r"[-+]?\d+(?:[.,]\d*)?E[-+]\d+", found.strip()):
                # 1.6991E+11: a spreadsheet's display of a large number, its last digits gone
                hint = ("a spreadsheet wrote the number in scientific notation and dropped its "
                        "last digits: take the file as the agency published it, or format the "
                        "column as a number without an exponent before saving")
            problems.append(Problem(
                "not a number", path=path, line=line, column=head or measure_header.get(m) or m,
                expected="a number or a suppression marker like (D), x, .., -", found=found,
                hint=hint))
    long = long.drop([m + sfx for m in measures for sfx in ("", "__bad", "__raw", "__num", "__mk", "__empty")]
                     + [c for m in measures for c in textmod.number_stage_columns(m + "__num")]).rename(
        {m + "__v": m for m in measures})
    temps = [m for m in measures if m.startswith("_month")]
    if temps:  # employment = mean of the quarter's months; suppressed when any month is
        long = _average_months(long, temps)
        measures = {m: m for m in measures if m not in temps}
        measure_header = {m: h for m, h in measure_header.items() if m not in temps}
    long = _code_label_cells(long, plan)
    long = _angle_code_cells(long)
    # ---- units: values in thousands (a unit column, or a heading "emp1000" / "in Tsd.") -> units
    titles = list(table.titles) + ([[block_facts["unit_line"]]] if block_facts.get("unit_line") else [])
    for h in plan.ignored:
        if _norm(h) in _INDICATOR_HEADINGS:
            said = long.get_column("_indicator").drop_nulls().unique().to_list() \
                if "_indicator" in long.columns else []
            if len(said) == 1:
                titles.append([said[0]])
    if plan.unit is not None and "_unit" in long.columns:
        long, problems = _one_eurostat_unit(long, dropped, problems, path)
    long, unit_details = _scale_units(long, plan, measure_header, path, problems, titles)
    # ---- a label row right under the header (data.census.gov downloads: "Geography", ...)
    long, problems = _drop_label_row(long, measures, problems, table, dropped)
    # ---- breakdowns: keep the all-categories rows
    for i, (bc, all_codes) in enumerate(plan.breakdowns.items()):
        v = pl.col(f"_breakdown_{i}").str.strip_chars().str.to_lowercase()
        present = long.get_column(f"_breakdown_{i}").str.strip_chars().str.to_lowercase().unique().to_list()
        if any(c in present for c in all_codes):
            part = ~v.is_in(list(all_codes)).fill_null(False)
            n_part = long.filter(part).height
            if n_part:
                why = (REASON_INDICATOR if _norm(bc) in ("indic_sb", "indic_sbs")
                       else REASON_BREAKDOWN).format(bc)
                dropped[why] = dropped.get(why, 0) + n_part
                lines = set(long.filter(part).get_column(LINE).to_list())
                problems = [p for p in problems if not (p.path == path and p.line in lines)]
                long = long.filter(~part)

    # ---- keys
    # blanks around the keys, and footnote markers after a name ("Российская Федерация1)",
    # "Брянская область 2)", "Москва*", "Kreis X¹"): not part of it -- the total's name went
    # unrecognised and the country was summed with its regions
    named = ("_region", "_region_name", "_industry_name")
    long = _where_it_changes(long, {
        c: (pl.col(c).str.strip_chars().str.replace(_FOOTNOTE_MARK, "$1") if c in named
            else pl.col(c).str.strip_chars())
        for c in ("_region", "_region_name", "_industry", "_industry_name", "_period", "_ownership")})
    # Census GEO_IDs (0500000US49001) -> the codes QCEW and the CBP files use, with their level
    long = _census_geo_ids(long, plan)
    long = _nuts_levels(long, plan)
    long = _ags_levels(long, plan)
    long = _kato_levels(long, plan)
    long = _qcew_area_levels(long, plan)
    # levels the data give (a level column, GEO_IDs, NUTS codes) name the national row: it is a
    # region of level nation, not a total row to drop by its name ("U.S. TOTAL")
    levelled = long.get_column("_region_level").null_count() < long.height
    if not plan.region_level and not levelled:
        long = long.with_columns(pl.lit(levels.label_for_unlevelled(options.region_level), pl.String)
                                 .alias("_region_level"))
    # region totals (a sum of the other rows) would double every later sum
    # (decided once per distinct value, then looked up)
    def _totals(c):
        u = long.get_column(c).unique().drop_nulls()
        return pl.Series(c, [v for v in u.to_list() if is_region_total_name(v)], dtype=pl.String).implode()

    is_region_total = (pl.col("_region").is_in(_totals("_region")).fill_null(False)
                       | pl.col("_region_name").is_in(_totals("_region_name")).fill_null(False))
    if levelled:
        is_region_total = is_region_total & pl.col("_region_level").is_null()
    # (a one-region table's region is no sum of others, whatever it is called: "Deutschland")
    if not getattr(options, "keep_region_totals", False) and plan.region_const is None:
        n_tot = long.filter(is_region_total).select(pl.col(LINE).n_unique()).item()
        if n_tot:
            dropped["region total rows (sum of the other regions; keep with --keep-region-totals)"] = n_tot
            long = long.filter(~is_region_total)
    long = _russian_aggregates(long)  # and Germany's West and East (_GERMAN_AGGREGATE)
    # a total row often has no code, only a name ("Всего", "Insgesamt")
    names = long.get_column("_industry_name").unique().drop_nulls().to_list()
    name_is_total = pl.col("_industry_name").is_in([v for v in names if codes.is_total(v)])
    long = long.with_columns(
        pl.when((pl.col("_industry").is_null() | (pl.col("_industry") == "")) & name_is_total.fill_null(False))
        .then(pl.col("_industry_name")).otherwise(pl.col("_industry")).alias("_industry"))
    # region levels in the file's spelling -> the adapters' vocabulary (national -> nation)
    if plan.region_level:
        lv = long.get_column("_region_level").unique().to_list()
        long = long.with_columns(pl.col("_region_level").replace_strict(
            {v: levels.canonical(v) for v in lv if v is not None}, default=None, return_dtype=pl.String))
    # a year and a quarter column (QCEW cuts: year, qtr 1-4 or A) -> 2016Q1 / 2016
    if plan.quarter:
        # (a column headed quarter/квартал says a Roman I-IV is a quarter, not a half-year)
        q = (pl.col("_quarter").str.strip_chars().str.to_uppercase().str.replace(r"^Q", "")
             .replace({"I": "1", "II": "2", "III": "3", "IV": "4"}))
        long = long.with_columns(
            pl.when(q.is_in(["1", "2", "3", "4"])).then(pl.col("_period") + pl.lit("Q") + q)
            .when(q.is_in(["A", ""]) | q.is_null()).then(pl.col("_period"))
            .otherwise(pl.col("_period") + pl.lit(" ") + q).alias("_period"))
    # QCEW's own_code digits -> the ownership names the QCEW adapter writes
    owns = [v for v in long.get_column("_ownership").unique().to_list() if v is not None]
    if plan.ownership and owns and all(v in _OWN_CODES for v in owns):
        long = long.with_columns(pl.col("_ownership").replace_strict(_OWN_CODES, return_dtype=pl.String))
    elif plan.ownership and owns and all(v.lower() in _OWN_TITLES for v in owns):
        # QCEW's own_title ("Total Covered", "Private", "Federal Government"): the names the
        # QCEW adapter writes, so --denominator all-ownership finds its 'total' rows
        long = long.with_columns(pl.col("_ownership").replace_strict(
            {v: _OWN_TITLES[v.lower()] for v in owns}, return_dtype=pl.String))
    # periods
    periods = long.get_column("_period").unique().to_list()
    pmap = {p: (period_of(p) if p else None) for p in periods}
    unclear = unclear_periods(periods)
    if unclear:
        first = (long.filter(pl.col("_period").is_in(list(unclear))).group_by("_period")
                 .agg(pl.col(LINE).min()).sort(LINE))
        raise DataError(problems=[
            unclear_period_problem(label, unclear[label], path, line if plan.period else None,
                                   plan.period or "--period")
            for label, line in first.iter_rows()])
    freq, explicit = _period_freq(long, plan, options, table.titles, path)
    if any(p and v is None for p, v in pmap.items()):
        try:
            dates = date_periods([p for p in periods if p], freq)
        except UnclearDates as exc:
            line = long.filter(pl.col("_period").is_in(periods)).get_column(LINE).min()
            raise DataError(problems=[Problem(
                str(exc), path=path, line=line if plan.period else None, column=plan.period or "--period",
                expected="dates of one frequency the table states (an SDMX FREQ column, a title "
                         "saying quarterly)", found=", ".join(sorted(p for p in periods if p)[:4]),
                hint="say how the dates are meant: --period-freq quarter (or month, year)")]) from None
        if dates:  # a column of dates (GENESIS's Stichtag 30.06.2016, quarters' first days)
            pmap = {p: (dates.get(p) if p else None) for p in periods}
    if explicit:  # "2016-04" of a table stated quarterly (StatCan's REF_DATE) -> 2016Q2
        pmap = {p: _coarser_period(v, explicit) for p, v in pmap.items()}
    bad_periods = sorted(p for p, v in pmap.items() if p and v is None)
    if bad_periods:
        bad = long.filter(pl.col("_period").is_in(bad_periods)).select(LINE, "_period").unique().sort(LINE)
        for line, found in bad.iter_rows():
            problems.append(Problem(
                "not a period", path=path, line=line, column=plan.period or "--period",
                expected="a year like 2016, a quarter like 2016Q1 or a month like 2016M03", found=found))
    long = long.with_columns(pl.col("_period").replace_strict(pmap, default=None, return_dtype=pl.String))
    # industries
    ind_values = long.get_column("_industry").unique().to_list()
    us_hint = bool({_norm(h) for h in header} & _US_HEADINGS)
    options = _two_digit_total_or_food(long, ind_values, options, us_hint, path, plan)
    ten_names = (long.filter(pl.col("_industry").str.strip_chars() == schema.ALL_INDUSTRIES)
                 .get_column("_industry_name").drop_nulls().unique().to_list()) \
        if schema.ALL_INDUSTRIES in ind_values else []
    mapping, cls, ind_details = _industry_mapping(
        ind_values, options, us_hint, ten_named=any(not codes.is_total(n) for n in ten_names))
    if plan.industry is not None and plan.wide_axis != "industry":
        problems += _indented_uncoded(df, col(plan.industry), plan.industry, mapping, cls, path)
    keys = list(mapping)
    # code, name, classification and level are functions of the raw industry cell: computed
    # once per distinct value and joined on (one join, row order kept; a cell not in the
    # mapping, null or empty, gets nulls)
    lookup = pl.DataFrame({"_industry": keys,
                           schema.INDUSTRY: [mapping[k][0] for k in keys],
                           "_name_from_code": [mapping[k][1] for k in keys],
                           schema.CLASSIFICATION: [mapping[k][2] for k in keys]},
                          schema={c: pl.String for c in ("_industry", schema.INDUSTRY, "_name_from_code",
                                                         schema.CLASSIFICATION)})
    lookup = lookup.with_columns(codes.level_expr().alias(schema.LEVEL))
    long = long.join(lookup, on="_industry", how="left", maintain_order="left")
    if cls == schema.NAICS:  # QCEW's domain and supersector rows (101, 1011 ...), as its adapter
        domain = pl.col(schema.INDUSTRY).is_in(sorted(_QCEW_DOMAINS)).fill_null(False)
        n_dom = long.filter(domain).height
        if n_dom:
            dropped[REASON_DOMAIN] = dropped.get(REASON_DOMAIN, 0) + n_dom
            lines = set(long.filter(domain).get_column(LINE).to_list())
            problems = [p for p in problems if not (p.path == path and p.line in lines)]
            long = long.filter(~domain)
    if cls == schema.NACE:  # Eurostat's B-N_S95_X_K ... (SDMX-CSV of the SBS tables)
        from clusterid.io.readers.eurostat import _COMPOSITE, REASON_COMPOSITE

        composite = pl.col("_industry").str.strip_chars().str.to_uppercase().str.contains(
            _COMPOSITE.pattern).fill_null(False)
        n_comp = long.filter(composite).height
        if n_comp and n_comp < long.height:
            dropped[REASON_COMPOSITE] = dropped.get(REASON_COMPOSITE, 0) + n_comp
            lines = set(long.filter(composite).get_column(LINE).to_list())
            problems = [p for p in problems if not (p.path == path and p.line in lines)]
            long = long.filter(~composite)
    flag_details = {}
    if plan.flags:
        long, flag_details = _apply_flag_columns(long, plan, cls)
    if plan.conf:
        long = _apply_conf_status(long, measures)
    long = long.with_columns(
        pl.coalesce(pl.col("_industry_name"), pl.col("_name_from_code")).alias(schema.INDUSTRY_NAME))
    # "10 Total, all industries" beside code 10 (QCEW titles): the name alone
    code_sp = pl.col("_industry") + pl.lit(" ")
    long = long.with_columns(
        pl.when(pl.col(schema.INDUSTRY_NAME).str.starts_with(code_sp).fill_null(False))
        .then(pl.col(schema.INDUSTRY_NAME).str.slice(code_sp.str.len_chars()))
        .otherwise(pl.col(schema.INDUSTRY_NAME)).alias(schema.INDUSTRY_NAME))
    if cls == schema.NACE:
        long = _section_span_totals(long)
    # missing keys
    for key, head in (("_region", plan.region), ("_period", plan.period), (schema.INDUSTRY, plan.industry)):
        miss = long.filter(pl.col(key).is_null() | (pl.col(key) == ""))
        if key == "_period" and bad_periods:
            miss = miss.filter(~pl.col(LINE).is_in(bad.get_column(LINE).implode()))
        for (line,) in miss.select(LINE).unique().sort(LINE).iter_rows():
            problems.append(Problem("empty key cell", path=path, line=line, column=head or key,
                                    expected="a value", found=""))
        # a quoted "010\r03" or "010\t03" was a region code of its own, silently; a line break
        # (LF) in a quoted name is a name written on two lines ("Davis\nCounty"), read as such
        ctrl = long.filter(pl.col(key).str.contains(r"[\x00-\x09\x0b-\x1f\x7f]").fill_null(False))
        for line, value in ctrl.select(LINE, key).unique(LINE).sort(LINE).iter_rows():
            problems.append(Problem("a control character in a key cell", path=path, line=line,
                                    column=head or key, expected="a code of printable characters",
                                    found=value))
    out_cols = [
        pl.col("_period").alias(schema.PERIOD),
        pl.col("_region").alias(schema.REGION),
        pl.col("_ownership").alias(schema.OWNERSHIP),
        pl.col(schema.INDUSTRY),
        pl.col("_region_name").alias(schema.REGION_NAME),
        pl.col("_region_level").alias(schema.REGION_LEVEL),
        pl.col(schema.INDUSTRY_NAME),
        pl.col(schema.CLASSIFICATION),
        pl.col(schema.LEVEL),
    ]
    for m in measures:
        out_cols += [pl.col(c) for c in schema.measure_columns(m)]
    out_cols += [pl.col(LINE), pl.lit(path, pl.String).alias(SOURCE)]
    out = long.select(out_cols)
    details = dict(table.details)
    details.update(block_facts)
    details.update({
        "layout": plan.layout, "wide_axis": plan.wide_axis,
        **({"region_from": plan.region_from} if plan.region_from else {}),
        **({"period_from": plan.period_from} if plan.period_from else {}),
        **({"region": list(plan.region_const)} if plan.region_const else {}),
        "columns": {k: v for k, v in (("region", plan.region), ("region_name", plan.region_name),
                                      ("industry", plan.industry), ("industry_name", plan.industry_name),
                                      ("period", plan.period), ("ownership", plan.ownership),
                                      ("region_level", plan.region_level)) if v},
        "measure_columns": dict(plan.measures) if plan.layout == "long" else {options.measure: plan.value_cols},
        "ignored_columns": plan.ignored, "decimal": decimal, "thousands": thousands,
        "classification": cls, **ind_details, **unit_details, **flag_details,
        **({"flag_columns": dict(plan.flags)} if plan.flags else {}),
        **({"breakdown_columns": {k: list(v) for k, v in plan.breakdowns.items()}} if plan.breakdowns else {}),
    })
    return out.lazy(), problems, dropped, details


# ---------------------------------------------------------------------------- adapter API

def sniff(header: list[str], first_bytes: bytes) -> bool:  # noqa: ARG001 - contract
    """The generic reader takes anything: it is the fallback of ``--format auto``."""
    return True


def read_bytes(path: str, data: bytes, options):
    """One file's bytes -> ``(LazyFrame, problems, dropped, details, rows_read)``."""
    table = raw_table(path, data, options)
    lf, problems, dropped, details = read_table(table, options)
    return lf, problems, dropped, details, (table.n_rows if table.n_rows is not None else len(table.rows))


def read(paths: list[str], options):
    """The adapter entry point: every path through :func:`read_bytes`, concatenated."""
    import polars as pl

    from clusterid.io.ingest import AdapterResult, display_name

    frames, problems, dropped, details, rows = [], [], {}, {}, 0
    for p in paths:
        with open(p, "rb") as fh:
            data = fh.read()
        name = display_name(p)
        lf, probs, drop, det, n = read_bytes(name, data, options)
        frames.append(lf)
        problems += probs
        for k, v in drop.items():
            dropped[k] = dropped.get(k, 0) + v
        details[name] = det
        rows += n
    frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    return AdapterResult(frame=frame, adapter=NAME, rows_read=rows, dropped=dropped,
                         problems=problems, details=details)
