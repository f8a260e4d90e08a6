"""Any regional table: long or wide, CSV/TSV (gzip too), workbooks, Parquet -> canonical frame.

Steps for one file
------------------
1. Bytes: gzip is undone by magic bytes; Parquet (``PAR1``) and workbooks (xlsx, xlsb, ods:
   a zip; xls: OLE2; :mod:`.excel`) are recognised by content, everything else is text
   (:mod:`.text` decodes it and finds the separator).
2. Header: the first row in which most cells are non-empty labels (title rows and merged
   title cells above it are skipped; ``--skip-rows`` forces it).
3. Column roles from the headings (English, German, Russian, Kazakh transliteration; see
   :data:`.generic_headings.ROLE_WORDS`), overridden by ``--region-col`` and friends.
4. Layout: *long* (measure columns), *wide by period* (headers ``2015``, ``2016Q1``,
   ``2016M03``) or *wide by industry* (headers that are industry codes); ``--layout`` and
   ``--wide-axis`` override.
5. Cells: numbers with any decimal / thousands convention, suppression markers (status
   ``suppressed``, marker kept in ``<measure>_flag``), anything else is an error with line and
   column; a spreadsheet's error value (``#DIV/0!``, ``#N/A``, ``Err:502``) is said as one, in
   a figure, key or name cell alike (a workbook's, or a CSV saved from one).
6. What the source says around the cells: a flag column per value or per row (``EMP_F``,
   ``OBS_FLAG``, ``disclosure_code``: withheld -> suppressed, Census ranges -> bounds, ``e`` ->
   estimated), a unit column or a heading in thousands (scaled to units), rows that are parts
   of others (``LFO``/``EMPSZES`` categories, QCEW domain rows, a second label row: dropped and
   counted), Census ``GEO_ID``s and NUTS codes (codes and levels), QCEW's month columns
   (``--month``), a year + quarter pair, ``own_code`` digits.
7. One-region tables: ``--region ID[:NAME]``, a ``Kreis: 03159 Göttingen`` title line, or
   headings pairing region and year (``Goettingen2008``); headerless key columns (GENESIS
   exports) by their cells.
8. A report's layout (yearbooks; :func:`.generic_blocks._report_blocks`): a region or year given on the first
   row of its block only is filled down within it (``filled_down`` in the metadata), a
   region's or year's name on a row of its own is the region or period of the rows below
   (``block_headings``), "в том числе:" / "davon:" lines are dropped and counted -- each only
   where the layout is unmistakable, else refused on the line that makes it ambiguous.

Every output row keeps ``_source`` (the file as the user named it) and ``_line`` (1-based
physical line of the record in the file; for a workbook the sheet row; for Parquet the row number +
1) so validation can point at it.  Both are dropped before writing.

Modules (each imports only those above it)
------------------------------------------
- :mod:`.generic_headings`: heading and title words (roles, periods, region words);
- :mod:`.generic_raw`: steps 1-2, bytes -> :class:`.generic_raw.RawTable`;
- :mod:`.generic_plan`: steps 3-4 and 7, the header -> :class:`.generic_plan.Plan`;
- :mod:`.generic_post`: step 6, the helpers applied to the long frame;
- :mod:`.generic_blocks`: step 8, a report's layout;
- this module: step 5 and the whole of one table (:func:`read_table`), and the adapter API
  (:func:`sniff`, :func:`read_bytes`, :func:`read`).
"""

from __future__ import annotations

import re
import shlex
import unicodedata

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import DataError, Problem, UsageError
from clusterid.io.readers import cjk_headings, excel, levels, rowcheck
from clusterid.io.readers import text as textmod
from clusterid.io.readers.generic_blocks import (REASON_NOTES, _BLOCK_INDUSTRY, _BLOCK_LEVEL, _BLOCK_PERIOD, _BLOCK_REGION,
                                                 _section_of_sheet, _sheet_industry,
                                                 _BLOCK_REGION_NAME, _HEADING_LEVEL_COLUMN,
                                                 _HEADING_NAME_COLUMN, _indented_uncoded, _report_blocks)
from clusterid.io.readers.generic_headings import (MONTH_CELLS, PROVISIONAL_FLAG, ROLE_WORDS, STATLINE_PERIOD_HEADINGS, statline_periods, statline_provisional, year_mark, _FOOTNOTE_MARK, _norm,
                                                   is_average, period_of, unclear_period_problem,
                                                   unclear_periods, FISCAL_YEAR, abs_financial_year, abs_table,
                                                   financial_years_said)
from clusterid.io.readers.generic_ilostat import ilostat_frame
from clusterid.io.readers.generic_pxstat import pxstat_frame
from clusterid.io.readers.generic_tablebuilder import tablebuilder_frame
from clusterid.io.readers.generic_plan import (SDMX_CHOICES, REASON_CHOICE, REASON_BREAKDOWN, REASON_INDICATOR, UnclearDates,
                                               measure_indicators, _SHARE_MEASURE,
                                               _BDL_VARIABLE_HEADINGS, bdl_variable_measure, _FREQ_HEADINGS, _INDICATOR_HEADINGS, _OWN_CODES, _OWN_TITLES, _QWI_OWN_CODES, ownership_name,
                                               _UNIT_MULT_HEADINGS, _is_industry_code,
                                               _RANGE_FLAGS, _coarser_period, _county_fips, _period_freq,
                                               bare_title_year, date_periods,
                                               region_total_names, zero_codes_of_totals, zero_codes_that_are_totals,
                                               lone_countries_that_are_no_totals,
                                               Plan, period_from_file_name, period_from_titles, plan_columns,
                                               title_measure, title_period_clash,
                                               wide_measure)
from clusterid.io.readers.generic_headings import _SIZE_CLASS_HEADING
from clusterid.io.readers.generic_post import (CUSTOM_TEN, GSS_LEVELS, REASON_DOMAIN, SUSB_HEADINGS, _QCEW_DOMAINS, _US_HEADINGS,
                                               _angle_code_cells, _apply_conf_status, _apply_flag_columns, _drop_not_applicable,
                                               REASON_SIDRA_NOT_APPLICABLE, _sidra_not_applicable,
                                               _census_api_geographies, _census_unflagged_zeros,
                                               _average_months, _census_geo_ids, _code_label_cells,
                                               MONTHS_SUMMED, annual_from_quarters,
                                               _anzsic_dataflow, abs_dataflow, _drop_label_row, anzsic_named_problem, _industry_mapping, _is_label,
                                               scian_problem, cnae_problem,
                                               _sections_named_otherwise,
                                               _one_eurostat_unit, _units_of_another_measure, _russian_aggregates, region_levels_from_codes,
                                               px_region_cells,
                                               _nace_r11_options, _scale_units, _section_span_totals,
                                               _two_digit_total_or_food, UNIT_IN_CELL, unit_in_cell)
from clusterid.io.readers.generic_raw import (CUT_ROW_HINT, LINE, RawTable, SOURCE, WORKBOOKS, _genesis_extra_variables,
                                              another_separator_row,
                                              _unique_names, _where_it_changes, footer_rows, raw_table)

NAME = "generic"
# a cell whose formula failed (#DIV/0!, #N/A, Err:502; :func:`.excel.is_spreadsheet_error`), in
# a workbook or a CSV saved from one: said as such, wherever it stands (a figure, a key, a name)
SPREADSHEET_ERROR_MESSAGE = "a spreadsheet error value"
SPREADSHEET_ERROR_HINT = "the formula failed in the spreadsheet; fix it there"


def _count_notes(dropped: dict, note_rows, two: set) -> None:
    """The note rows under the table counted under dropped: those of one filled cell as such,
    the two-cell ones a workbook keeps (:func:`_cell_frame`) as notes below the table."""
    n_two = sum(1 for line, _ in note_rows if line in two)
    if len(note_rows) > n_two:
        dropped[REASON_NOTES] = len(note_rows) - n_two
    if n_two:
        dropped[rowcheck.REASON_NOTES_BELOW] = dropped.get(rowcheck.REASON_NOTES_BELOW, 0) + n_two


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
    gaps: list[int] = []  # lines of blank and note rows
    short: list[tuple[int, str]] = []  # (line, first cell) of the ragged rows with too few fields
    # a sheet whose table starts right of an empty column (column A left blank, its heading
    # too): a note there stands in the table's first column, B ("Quelle: ..." under the table
    # was read as a row of empty key cells)
    lead = next((i for i, h in enumerate(table.header) if h is not None and str(h).strip()), 0)
    for row, line in zip(table.rows, table.lines):
        cells = [None if c is None else str(c) for c in row]
        filled = [c for c in cells if c is not None and c.strip() != ""]
        if not filled:
            gaps.append(line)
            continue  # blank line
        at = 0 if (cells[0] or "").strip() else lead
        if len(filled) == 1 and width >= 3 and at < len(cells) and (cells[at] or "").strip() and \
                not excel.is_spreadsheet_error(cells[at]):
            other = another_separator_row(table.path, line, cells[at], width, table.sep,
                                          table.header) if at == 0 else None
            if other is not None:  # a data row of another separator: no note (generic_raw)
                ragged.append(other)
                continue
            notes.append((line, cells[at]))  # a footnote under the table, or a block's heading
            gaps.append(line)
            continue
        if table.strict_width and len(cells) != width:
            extra = [c for c in cells[width:] if c is not None and c.strip() != ""]
            if len(cells) < width or extra:
                # the header of another layout, where a file joined with cat starts: said as
                # such, not as rows of the wrong width (the rows below it cannot be read)
                if (other := rowcheck.other_header(cells, table.header, table.details.get("header_line", 1),
                                                   table.path, line)) is not None:
                    raise DataError(problems=[other])
                cut = table.cut_at_end and len(cells) < width and line == table.lines[-1]
                ragged.append(Problem(
                    f"row has {len(cells)} fields, the header has {width}", path=table.path, line=line,
                    expected=f"{width} fields", found=table.sep.join(c or "" for c in cells)[:60],
                    hint=CUT_ROW_HINT if cut else "a separator inside an unquoted value, or a missing value?"))
                if len(cells) < width:
                    short.append((line, cells[0] or ""))
                continue
        if len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        for n, c in zip(names, cells[:width]):
            data[n].append(c)
        lines.append(line)
    # a note of two filled cells under the table, as a workbook keeps it: "Quelle: ..." in
    # column A and the date of the download in B (a text file's note is one cell, or a line
    # rowcheck.note_lines takes).  Read as a row, its date was an industry code and its empty
    # period a key error, the sheet refused.  Only the last rows, each starting as a note does
    # ("Source:", "Quelle:", "Note:", "©", "1) ...") with words, fewer cells than a row
    while len(lines) > 1 and width >= 3:
        last = [data[n][-1] for n in names]
        filled = [c.strip() for c in last if c is not None and c.strip()]
        first = (last[0] or "").strip() or (last[lead] or "").strip()
        if not (0 < len(filled) <= 2 and len(filled) < width - 1 and rowcheck.starts_as_note(first)):
            break
        line = lines.pop()
        notes.append((line, ", ".join(filled)))
        table.details.setdefault("notes_of_two_cells", []).append(line)
        for n in names:
            data[n].pop()
    notes.sort()
    if ragged and footer_rows(lines, gaps, [ln for ln, _ in short], len(short) == len(ragged)):
        notes, ragged = sorted(notes + short), []  # a legend and footnotes under the table
    if ragged and not lenient:
        raise DataError(problems=ragged)
    df = pl.DataFrame({**data, LINE: lines}, schema={**{n: pl.String for n in names}, LINE: pl.Int64})
    return df, names, notes, ragged


REASON_QCEW_DOMAIN = ("QCEW domain rows (101 goods-producing, 102 service-providing: sums of the "
                      "supersectors 1011-1029, which are read as the table's industries, custom codes)")
_TEXT_MARKED_CODE = r"^'([0-9][0-9A-Za-z.\-]*)$"  # '01001, '311, '31-33, '2020: the code
REASON_REPEATED_HEADER = "rows repeating the header (a page break in a printed export, files joined with cat)"


def _drop_repeated_header(df, names, header, path: str = "", header_at: int = 1):
    """``(df, n)``: the rows that repeat the header cell for cell left out, and how many.

    Read as data, "Область;C;D;S" under a page break was a region 'Область' whose cells were
    the suppression markers C, D and S, exit 0.  A row that is a header, but another one (two
    layouts joined with cat), is an error naming its line (:func:`rowcheck.other_header`)."""
    import polars as pl

    pairs = [(nm, h.strip()) for nm, h in zip(names, header) if h and h.strip()]
    if len(pairs) < 2 or df.height == 0:
        return df, 0
    headings = sorted({rowcheck._heading(h) for h in header} - {""})
    # The rows below are looked for among those whose first cell could be a heading, found by
    # one regular expression over the column (the heading or the header's own text between
    # the characters the cleaning strips, in any case): cleaning every cell of the column and
    # stripping every cell of every column took ~1.3 s of a plain 3 M-row CSV, the expression
    # ~0.1 s.  Where the first heading is blank the header's repetition does not show in the
    # first cell: every row is looked at.
    rows = df
    if rowcheck._heading(header[0] or ""):
        texts = sorted(set(headings) | {h.strip() for h in header if h and h.strip()})
        junk = r'[\s\x{FEFF}"]*'
        maybe = pl.col(names[0]).str.contains(
            "(?i)^" + junk + "(?:" + "|".join(pl.escape_regex(t) for t in texts) + ")" + junk + "$")
        rows = df.filter(maybe.fill_null(False))
        if rows.height == 0:
            return df, 0
    # rows whose first cell is a heading (a few, if any): another layout's header among them?
    for row in rows.filter(rowcheck.heading_cell(names[0]).is_in(headings).fill_null(False)).iter_rows(named=True):
        other = rowcheck.other_header([row[nm] for nm in names], header, header_at, path, row[LINE])
        if other is not None:
            raise DataError(problems=[other])
    same = pl.all_horizontal([pl.col(nm).str.strip_chars() == h for nm, h in pairs]).fill_null(False)
    rest = [nm for nm, h in zip(names, header) if not (h and h.strip())]
    if rest:
        same = same & pl.all_horizontal([(pl.col(nm).str.strip_chars() == "").fill_null(True) for nm in rest])
    repeated = rows.filter(same).get_column(LINE)
    if repeated.len() == 0:
        return df, 0
    return df.filter(~pl.col(LINE).is_in(repeated.implode())), repeated.len()


REASON_COLUMN_NUMBERS = "column-numbering row under the header (А, Б, 1, 2, 3 ...: the columns' numbers)"
_KEY_COLUMN_LETTERS = "АБВГД"  # Cyrillic, as the Russian-language offices letter their key columns


def _drop_column_numbers(df, names):
    """``(df, n)``: the first row under the header left out when it numbers the columns.

    Rosstat's and stat.gov.kz's tables (forms, bulletins, yearbooks) number their columns on
    the row under the header: a Cyrillic letter over each key column (``А``, ``Б``), then ``1,
    2, 3 ...`` over the figures.  Read as data it was a region 'А' whose employment was 1, 2
    and 3, exit 0 (or an industry larger than its parent, 2 > 1, on a row that is no data).
    Taken only where every filled cell is such a number: the letters ``А``, ``Б`` ... in their
    order, then the whole numbers from 1 counting up by one over at least two columns.  (A
    Latin ``A`` is NACE's section and a made-up table's region: such a row is data.)"""
    import polars as pl

    if df.height < 2:
        return df, 0
    first = df.filter(pl.col(LINE) == df.get_column(LINE).min())
    if first.height != 1:
        return df, 0
    cells = [str(v).strip() for v in (first.get_column(nm).item() for nm in names) if v is not None]
    cells = [c for c in cells if c]
    letters = 0
    while letters < len(cells) and letters < len(_KEY_COLUMN_LETTERS) \
            and cells[letters] == _KEY_COLUMN_LETTERS[letters]:
        letters += 1
    numbers = cells[letters:]
    if not letters or len(numbers) < 2 or numbers != [str(i) for i in range(1, len(numbers) + 1)]:
        return df, 0
    return df.filter(pl.col(LINE) != first.get_column(LINE).item()), 1


REASON_SECTION_CODES = "row of section codes under the titles across (read as those titles' codes)"
_SECTION_CODE = re.compile(r"^[A-UА-Я](?:\s*[-–]\s*[A-UА-Я])?$")


def _section_codes_under_titles(df, names, header):
    """``(df, header, n)``: a row under the header that gives the NACE / OKED section code of
    each industry title across (``Промышленность`` over ``B-E``, ``Строительство`` over
    ``F``), its first cell empty, joined to the titles (``Промышленность (B-E)``) and left out.

    Read as data, its empty first cell and its letters were errors on every column ('empty
    key cell', "not a number (found 'B-E')"), and the table could not be read without editing
    it.  Taken only where each filled cell is a section code (or a range of them) under a
    title that is no code itself, at least two of them, and the row's first cell is empty."""
    import polars as pl

    if df.height < 2 or len(names) < 3:
        return df, header, 0
    first_line = df.get_column(LINE).min()
    first = df.filter(pl.col(LINE) == first_line)
    if first.height != 1:
        return df, header, 0
    cells = [(first.get_column(nm).item() or "").strip() for nm in names]
    if cells[0]:
        return df, header, 0
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if len(filled) < 2:
        return df, header, 0
    found = {}
    for i, c in filled:
        code = codes._latin_code(re.sub(r"\s*[-–]\s*", "-", c))
        title = (header[i] or "").strip()
        if not _SECTION_CODE.match(c) or re.search(r"[А-Яа-я]", code) or not title \
                or _SECTION_CODE.match(title) or codes.split_label(title)[1] is not None:
            return df, header, 0
        found[i] = f"{title} ({code})"
    new = [found.get(i, h) for i, h in enumerate(header)]
    return df.filter(pl.col(LINE) != first_line), new, 1


def _national_column_of_ine(df, names, header):
    """INE's (INEbase) CSV: a first column headed by its one value on every row, ``Total
    Nacional``, the comunidades beside it under ``Comunidades y Ciudades Autónomas``, whose
    cell is empty on the nation's rows (``Total Nacional;;2023T2;21.056,7``).  Those empty
    cells are the first column's value, the nation: read as they were, each national row was
    refused as an 'empty key cell'.  Taken only where the first heading is a total's name, every
    cell under it that name, and the column beside it a region column."""
    import polars as pl

    from clusterid.io.readers.generic_headings import role_of

    if len(names) < 3 or df.height == 0 or not codes.is_total(header[0] or "") \
            or role_of(header[1] or "") != "region":
        return df
    first = df.get_column(names[0]).fill_null("").str.strip_chars()
    if not first.eq((header[0] or "").strip()).all():
        return df
    cell = pl.col(names[1])
    return df.with_columns(pl.when(cell.is_null() | cell.str.strip_chars().eq(""))
                           .then(pl.lit(header[0].strip())).otherwise(cell).alias(names[1]))


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
        raise DataError(problems=[textmod.ambiguous_number_problem(path, at[0], at[1], unsure)])
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
        if t == pl.String:  # a region or name cell of '#REF!' (saved again from a spreadsheet)
            failed = raw.str.contains(excel.SPREADSHEET_ERROR_CELL).fill_null(False)
            bad, expected = (failed, "a value") if bad is None else (bad | failed, expected)
        if bad is not None:
            for line, found in df.filter(bad).select(LINE, pl.col(header_map[c])).head(20).iter_rows():
                if excel.is_spreadsheet_error(found):
                    problems.append(Problem(SPREADSHEET_ERROR_MESSAGE, path=path, line=line, column=c,
                                            expected=expected, found=found.strip(), hint=SPREADSHEET_ERROR_HINT))
                    continue
                problems.append(Problem("not a canonical value" if found else "empty key cell"
                                        if c in schema.KEYS else "empty cell", path=path,
                                        line=line, column=c, expected=expected, found=found or ""))
    out = df.select(*exprs, pl.col(LINE), pl.lit(path, pl.String).alias(SOURCE))
    used = set(types)
    details.update({"layout": "canonical", "ignored_columns": [h for h in header_map
                                                                if h not in used]})
    return out.lazy(), problems, {}, details


_CLASSIFICATION_HEADINGS = {"classification", "industry_classification", "klassifikation"}


def _classification_column(df, col, plan: Plan, options):
    """``options`` with the classification a column of its own names, one value on every row
    (``classification``: ``NAICS`` or ``NACE``, as a canonical table clusterid did not write
    has it), where --classification leaves it to clusterid.  Not read, a table of NAICS
    sectors and their total ``10`` without an ownership column was refused as 'cannot tell
    NAICS from NACE' beside its own ``NAICS`` on every line."""
    import dataclasses

    import polars as pl

    if options.classification and options.classification != "auto":
        return options
    heading = next((h for h in plan.ignored if _norm(h) in _CLASSIFICATION_HEADINGS), None)
    if heading is None or col(heading) not in df.columns:
        return options
    said = {str(v).strip().upper() for v in df.get_column(col(heading)).drop_nulls().unique().to_list()
            if str(v).strip()}
    if said in ({"NAICS"}, {"NACE"}):
        plan.ignored.remove(heading)  # (read: no 'column not read')
        return dataclasses.replace(options, classification=said.pop().lower())
    return options


def _foot_total_rows(long, dropped: dict):
    """``long`` without its sum rows at the foot whose word for the total stands in the period
    column (``Totals,,,5100`` under a table whose first column is the year; a canonical
    layout's ``Totals,,,,5100``), the region, industry and their names empty or words for a
    total too: dropped and counted in ``dropped``, as a canonical table's are
    (:data:`clusterid.io.tables.FOOTER_TOTAL_ROWS`) and as the same row with its word in the
    region column is (a region total row).  Refused, it was an 'empty key cell' or 'not a
    period' line for each of its cells."""
    import polars as pl

    from clusterid.io.readers.generic_plan import is_region_total_name
    from clusterid.io.tables import FOOTER_TOTAL_ROWS

    if "_period" not in long.columns or long.schema["_period"] != pl.String:
        return long

    def total(c):
        words = [v for v in long.get_column(c).unique().drop_nulls().to_list()
                 if codes.is_total(v) or is_region_total_name(v)]
        return pl.col(c).is_in(words).fill_null(False)

    at_period = total("_period")
    if not long.select(at_period.any()).item():
        return long
    foot = at_period
    for c in ("_region", "_region_name", "_industry", "_industry_name"):
        if c in long.columns:
            foot = foot & (pl.col(c).is_null() | (pl.col(c) == "") | total(c)).fill_null(True)
    n = long.filter(foot).select(pl.col(LINE).n_unique()).item()
    if not n:
        return long
    dropped[FOOTER_TOTAL_ROWS] = dropped.get(FOOTER_TOTAL_ROWS, 0) + int(n)
    return long.filter(~foot)


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


_KEY_CELLS = (("_region", "region", "a region code or name"), ("_region_name", "region_name", "a region name"),
              ("_industry", "industry", "an industry code"), ("_industry_name", "industry_name", "an industry name"),
              ("_period", "period", "a period"), ("_ownership", "ownership", "an ownership code or name"),
              ("_quarter", "quarter", "a quarter"), ("_unit", "unit", "a unit"), ("_conf", "conf", "a flag"),
              ("_region_level", "region_level", "a region level"))


def _nomis_business_units(df, header, header_map, plan: Plan, path: str) -> str | None:
    """What NOMIS's UK Business Counts API CSV read as establishments counts, said: NM_141
    enterprises (one per business, however many sites), NM_142 local units (sites) -- told by
    the URN's dataset (``Nm-141d1...``) or the file's name (``NM_141_1.data.csv``).  None for
    any other table."""
    import os

    if plan.measures.get(schema.ESTABLISHMENTS) != "OBS_VALUE" or not any(
            _norm(h) in ("employment_sizeband", "employment_sizeband_name") for h in header):
        return None
    urn = next((nm for h, nm in header_map.items() if h == "URN"), None)
    first = df.get_column(urn).drop_nulls().head(1).to_list() if urn and urn in df.columns else []
    m = re.match(r"nm[-_](14[12])", str(first[0]) if first else os.path.basename(path), re.IGNORECASE)
    if m is None:
        return None
    return ("UK Business Counts of enterprises (NOMIS NM_141) read as establishments: an enterprise "
            "counts once however many local units (sites) it has" if m.group(1) == "141" else
            "UK Business Counts of local units (NOMIS NM_142) read as establishments")


def _error_key_cells(long, plan: Plan, block_facts: dict, path: str):
    """``(problems, lines)`` for the spreadsheet error values (``#N/A``, ``#REF!``:
    :func:`.excel.is_spreadsheet_error`) in the key, name, unit, flag and breakdown columns.
    Taken as they were, ``#REF!`` became a region of its own (exit 0), and an industry of its
    own under ``--classification custom`` (a NAICS or NACE column said 'not a ... industry
    code'); a ``#N/A`` unit or flag read as none, the figure as it stood.  Each cell is a
    located problem (once per line for a wide table's rows); the caller leaves the ``lines``
    out of the frame, as rows that could not be read (``--on-error skip`` counts them rejected).
    Only columns read from cells: a region taken from a heading or ``--region`` is not looked at."""
    import polars as pl

    rx = excel.SPREADSHEET_ERROR_CELL
    present = []
    for c, attr, what in _KEY_CELLS:
        head = getattr(plan, attr, None)
        if c == "_region" and head is None:
            head = block_facts.get("region_heading_column")
        if c in long.columns and head is not None and (c != "_region" or plan.region_const is None):
            present.append((c, head, what))
    present += [(f"_flag_{m}", fc, "a flag") for m, fc in plan.flags.items() if f"_flag_{m}" in long.columns]
    present += [(f"_breakdown_{i}", bc, "a category code") for i, bc in enumerate(plan.breakdowns)
                if f"_breakdown_{i}" in long.columns]
    if not present or long.height == 0:
        return [], []
    # (one pass over the columns together; the rows of a column only where it holds one)
    hit = long.select([pl.col(c).str.contains(rx).any().alias(c) for c, _h, _w in present]).row(0, named=True)
    present = [(c, head, what) for c, head, what in present if hit[c]]
    problems, lines = [], set()
    for c, head, what in present:
        rows = (long.filter(pl.col(c).str.contains(rx).fill_null(False)).select(LINE, c)
                .unique(LINE, keep="first").sort(LINE))
        for line, found in rows.iter_rows():
            lines.add(line)
            problems.append(Problem(SPREADSHEET_ERROR_MESSAGE, path=path, line=line, column=head,
                                    expected=what, found=found.strip(), hint=SPREADSHEET_ERROR_HINT))
    return problems, sorted(lines)


# Statistics Canada's DGUID schemas (the type letter and four digits after the vintage) for the
# levels its tables mix: Canada, the provinces and territories, census metropolitan areas and
# agglomerations; any other schema is a level of its own, named by itself (a0005 ...)
_DGUID_LEVELS = {"A0000": "nation", "A0002": "province", "S0503": "cma"}
# the ONS's GSS codes (NOMIS's "mnemonic" and GEOGRAPHY_CODE): the prefix is the geography's
# type, so local authorities beside their region (E12) or country (E92) are levels apart; any
# other type is a level of its own, named by itself (e10 county ...)
_GSS_LEVELS = GSS_LEVELS  # (NOMIS's GEOGRAPHY_CODE, mnemonic; generic_post reads a region column of them)


def _level_of_code_type(code, pattern: str, levels: dict):
    """The region level a geography code's type names (``pattern``'s group: DGUID's schema,
    GSS's prefix) in ``levels``; any other type is a level of its own, named by itself."""
    import polars as pl

    kind = code.str.strip_chars().str.extract(pattern, 1)
    return kind.replace_strict(levels, default=kind.str.to_lowercase(), return_dtype=pl.String)


def _problem_at(problem: Problem, line: int) -> Problem:
    """``problem`` said on ``line``."""
    from dataclasses import replace

    return replace(problem, line=line)


# the indicator's name column of the World Bank's WDI bulk CSV ("Indicator Name") and of its
# DataBank downloads ("Series Name"), beside the other offices' indicator headings
_INDICATOR_NAME_HEADINGS = {"indicator_name", "series_name", "series", *_INDICATOR_HEADINGS}
# an indicator in per cent of a total: "(% of total employment)", "percent", "share of"
_SHARE_INDICATOR = re.compile(r"%|\bper\s*cent\b|\bpercent(?:age)?\b|\bshare\s+of\b", re.IGNORECASE)


def _refuse_share_indicator(df, header, header_map: dict, plan: Plan, path: str) -> None:
    """An indicator column whose every name says a percentage of a total (the World Bank's WDI
    bulk CSV: ``Employment in industry (% of total employment) (modeled ILO estimate)``): the
    figures are shares, not counts.  Read with ``--industry-col``, Afghanistan's 18.3 % of its
    jobs in industry came out as 18.3 employees, exit 0.  Refused on the first such line, as
    a share heading or NOMIS's ``Industry percentage`` measure is."""
    import polars as pl

    if plan.industry is None:  # (refused below for that, on its header line)
        return
    used = {plan.period, plan.region, plan.region_name, plan.industry_name}
    for h in header:
        if not h or h in used or _norm(h) not in _INDICATOR_NAME_HEADINGS:
            continue
        c = header_map.get(h, h)
        if c not in df.columns:
            continue
        cells = df.select(LINE, pl.col(c).str.strip_chars()).filter(pl.col(c).fill_null("") != "")
        if cells.height == 0:
            continue
        names = cells.get_column(c).unique().to_list()
        if not all(_SHARE_INDICATOR.search(v) for v in names):
            continue
        line, found = cells.sort(LINE).row(0)
        raise DataError(problems=[Problem(
            "the figures are a percentage of a total, not a count", path=path, line=line, column=h,
            expected="an indicator of counts (persons employed, jobs)", found=found[:80],
            hint="download the counts the shares are of (an LQ of shares is no LQ)")])


# the OECD regional database's activity codes (OECD.Stat's IND, the Data Explorer's ACTIVITY):
# "V" before a NACE section or a range of them, VC manufacturing, VB_E industry including energy
# (B-E), VG_I, VM_N, VO_Q, VR_U; VTOT all activities (a total word)
_OECD_ACTIVITY = re.compile(r"^V([A-U])(?:_([A-U]))?$")


def _oecd_activity_column(values) -> bool:
    """Whether every value is one of the OECD regional database's activity codes (one at least
    other than its total VTOT)."""
    vs = [str(v).strip() for v in values if v is not None and str(v).strip()]
    return any(_OECD_ACTIVITY.match(v) for v in vs) and all(
        _OECD_ACTIVITY.match(v) or codes.is_total(v) for v in vs)


def _refuse_rival_columns(df, plan: Plan, header_map: dict, path: str):
    """A usage error when two columns could each be the period (or the industry) and their
    values differ: reading the first silently ('column not read: year') is worse than asking.
    Two columns holding the same values are one: the other is left out without a word.  A year
    beside a finer period of the same years (``2016`` and ``2016Q1``) is no rival either: the
    finer one is read and the year named as a column not read."""
    import polars as pl

    for option, (chosen, *others) in plan.rivals.items():
        cell = lambda h: pl.col(header_map.get(h, h)).str.strip_chars()  # noqa: E731
        blank = df.select([(cell(h).fill_null("") == "").all().alias(h) for h in (chosen, *others)]).row(0, named=True)
        if any(blank.values()) and not all(blank.values()):
            # an empty column is no rival: the OECD's SDMX-CSV with labels has an empty label
            # column "Time period" beside TIME_PERIOD, and the file was refused as two periods
            filled = [h for h in (chosen, *others) if not blank[h]]
            if chosen not in filled:
                setattr(plan, "period" if option == "--period-col" else "industry", filled[0])
                plan.ignored = [h for h in plan.ignored if h != filled[0]] + [chosen]
                chosen = filled[0]
            others = [h for h in filled if h != chosen]
            if not others:
                continue
        if option == "--industry-col" and len(others) == 1 and plan.industry_name is None:
            # a column of codes beside one of their names (the OECD's ACTIVITY "C" beside
            # "Economic activity" "Manufacturing"): the codes and their names, no choice
            values = {h: [v for v in df.get_column(header_map.get(h, h)).unique().to_list()
                          if v is not None and v.strip()] for h in (chosen, *others)}
            for h, vs in list(values.items()):
                if _oecd_activity_column(vs):
                    # OECD.Stat's IND (VC, VB_E, VTOT) beside Industry: the codes are NACE's
                    # sections and ranges after a V.  Unknown as codes, the file was refused as
                    # two columns that could each be the industry (exit 2)
                    c = header_map.get(h, h)
                    df = df.with_columns(pl.col(c).str.strip_chars().str.replace(_OECD_ACTIVITY.pattern, "${1}-${2}")
                                         .str.strip_chars_end("-").alias(c))
                    values[h] = [v for v in df.get_column(c).unique().to_list() if v is not None and v.strip()]
            # (a code of no industry beside a total's name is the total's code: ISTAT's ATECO
            # 0010 beside "totale")
            pairs = df.select(cell(chosen), cell(others[0])).unique().rows()
            total_code = {chosen: {a for a, b in pairs if codes.is_total(b)},
                          others[0]: {b for a, b in pairs if codes.is_total(a)}}
            # (ISTAT's ATECO_2007 holds its A*38 codes, CA ... QB, beside the sections and divisions)
            a38 = lambda h, v: _norm(h) in _ISTAT_A38_HEADINGS and v.strip().upper() in codes.ISTAT_A38  # noqa: E731
            coded = [h for h, vs in values.items()
                     if vs and all(codes.is_total(v) or _is_industry_code(v.strip()) or v in total_code[h]
                                   or a38(h, v) for v in vs)]
            worded = [h for h, vs in values.items() if vs and all(_is_label(v) for v in vs)]
            if len(coded) == 1 and len(worded) == 1 and coded != worded:
                plan.industry, plan.industry_name = coded[0], worded[0]
                plan.ignored = [h for h in plan.ignored if h not in (coded[0], worded[0])]
                continue
        same = df.select([cell(chosen).eq_missing(cell(h)).all().alias(h) for h in others]).row(0, named=True)
        differ = [h for h in others if not same[h]]
        if differ and option == "--period-col" and plan.quarter is None and len(others) == 1:
            # a year beside the quarter of that year, as a state's labour market office writes
            # QCEW ("Year" 2023, "Period" "1st Qtr"): the year and its quarter, no choice
            sub = _year_and_quarter(df, chosen, others[0], cell)
            if sub is not None:
                plan.period, plan.quarter = sub
                plan.ignored = [h for h in plan.ignored if h not in sub]
                continue
        if differ and option == "--period-col" and plan.quarter is None:
            # a year column beside a finer period of the same years ('2016' and '2016Q1',
            # '2016-03'): no rival but the same period told more exactly; the finer one is read,
            # the year said as a column not read
            finer = _finer_period(df, [chosen, *differ], cell)
            if finer is not None:
                plan.period = finer
                coarse = [h for h in (chosen, *others) if h != finer]
                plan.ignored = ([h for h in plan.ignored if h != finer]
                                + [h for h in coarse if h not in plan.ignored])
                continue
        if differ:
            what = "period" if option == "--period-col" else "industry"
            raise UsageError(
                f"{path}: columns {chosen!r} and {differ[0]!r} could each be the {what} and hold "
                f"different values; pick one with {option} {shlex.quote(chosen)} "
                f"(or {option} {shlex.quote(differ[0])})")
        plan.ignored = [h for h in plan.ignored if h not in others]
    return df


# a quarter written without its year: 1, Q1, Q01, Qtr 1, Quarter 1, 1st Qtr, 1st Quarter, 1Q;
# the year's own row: A, Annual, Annual Average, Year
# (GENESIS's quarter codes QUART1 ... QUART4)
_QUARTER_LABEL = re.compile(r"^(?:Q|QTR|QUARTER|QUART)?\s*0?([1-4])(?:ST|ND|RD|TH)?\s*(?:Q|QTR|QUARTER)?$")
_ANNUAL_LABELS = {"A", "ANNUAL", "ANNUAL AVERAGE", "ANNUAL AVG", "YEAR", "ANNUAL AVERAGES"}


def quarter_label(text) -> str | None:
    """``"1"``..``"4"`` for a quarter written without its year (``1st Qtr``, ``Q1``,
    ``Quarter 2``, Roman ``IV``), ``"A"`` for the year's own row (``Annual``), else None."""
    t = " ".join(str(text or "").split()).upper().rstrip(".")
    roman = {"I": "1", "II": "2", "III": "3", "IV": "4"}
    if t in roman:
        return roman[t]
    if t in _ANNUAL_LABELS:
        return "A"
    m = _QUARTER_LABEL.match(t)
    return m.group(1) if m else None


_MONTH_CODE = re.compile(r"^(?:M|MM|MONAT|MONTH)?\s*0?([1-9]|1[0-2])$")
_ANNUAL_MONTH_LABELS = {"A", "ANNUAL", "ANNUAL AVERAGE", "YEAR", "JAHR", "JAHRESDURCHSCHNITT"}


def month_label(text) -> str | None:
    """``"01"``..``"12"`` for a month written without its year (``Januar``, ``Jan``, ``1``,
    ``M01``, GENESIS's ``MONAT01``), ``"A"`` for the year's own row (``Jahresdurchschnitt``),
    else None."""
    t = " ".join(str(text or "").split()).rstrip(".")
    if t.upper() in _ANNUAL_MONTH_LABELS:
        return "A"
    m = _MONTH_CODE.match(t.upper())
    if m:
        return f"{int(m.group(1)):02d}"
    n = MONTH_CELLS.get(unicodedata.normalize("NFC", t).lower())
    return f"{n:02d}" if n else None


def _year_and_quarter(df, a: str, b: str, cell) -> tuple[str, str] | None:
    """``(year column, quarter column)`` when one of ``a``, ``b`` holds years alone and the
    other quarters without a year (:func:`quarter_label`, at least one quarter), else None."""
    values = {h: [v for v in df.select(cell(h)).to_series().unique().to_list() if v] for h in (a, b)}
    for year, quarter in ((a, b), (b, a)):
        labels = [quarter_label(v) for v in values[quarter]]
        # (a quarter said as one, "Q1", "1st Qtr": bare 1-4 may be months, Roman I-II halves)
        said = any(re.search(r"(?i)q|st\b|nd\b|rd\b|th\b", v) and quarter_label(v) not in (None, "A")
                   for v in values[quarter])
        if (values[year] and all(re.fullmatch(r"(?:19|20)\d{2}", v) for v in values[year])
                and labels and None not in labels and said):
            return year, quarter
    return None


def _finer_period(df, columns: list[str], cell) -> str | None:
    """The one column of ``columns`` whose every value begins with each other column's value
    of the same row and is longer somewhere (``2016Q1`` beside ``2016``); None when there is
    no such column (two different years: a real choice) or it holds fiscal years (``2016/17``
    beside ``2016`` is no finer period, and the year column is the one that can be read)."""
    import polars as pl

    for fine in columns:
        if unclear_periods(df.select(cell(fine)).to_series().unique().to_list()):
            continue  # '2016/17' beside 2016 is a fiscal year, no finer period: ask
        coarse = [h for h in columns if h != fine]
        refines = df.select(
            *[(cell(fine).str.starts_with(cell(h)).fill_null(False) & cell(h).is_not_null()
               & (cell(h) != "")).all().alias(h) for h in coarse],
            (cell(fine).str.len_chars() > pl.max_horizontal(cell(h).str.len_chars() for h in coarse))
            .any().alias("\x00longer")).row(0, named=True)
        if all(refines[h] for h in coarse) and refines["\x00longer"]:
            return fine
    return None


_SHEET_INDUSTRY = "\x00sheet_industry"  # a table without an industry column: its sheet's section
_SHEET_INDUSTRY_COLUMN = "industry (sheet name)"  # ... and the column's name in messages
_TITLE_INDUSTRY_COLUMN = "industry (title line)"  # ... or its title's section
# a title naming a section it leaves out or compares with: no table of that section
_TITLE_EXCLUDES = re.compile(r"(?<![^\W\d_])(?:except|excluding|excl\.?|without|other\s+than|non-?|ohne|außer|ausser|"
                             r"кроме|без|за\s+исключением|hors|sauf|sin|salvo|escluso|esclusa)(?![^\W\d_])",
                             re.IGNORECASE)


def _industry_of_titles(titles) -> tuple[str, str] | None:
    """``(section, title)`` when the title lines above a table name exactly one NACE section
    (:func:`clusterid.core.codes.section_of_title`) and no title names another or leaves one
    out ("... excluding agriculture"); else None."""
    found = {}
    for row in titles or []:
        text = " ".join(str(c).strip() for c in row if c is not None and str(c).strip())
        if not text:
            continue
        if _TITLE_EXCLUDES.search(text) or codes.is_total(text):
            return None
        section = codes.section_of_title(text)
        if section is not None:
            found[section] = text
    return next(iter(found.items())) if len(found) == 1 else None


def _indicator_code(cell: str) -> str:
    """An indicator cell's code: 'LU' of 'lu' or 'lu: number of local units' (labels=both)."""
    return str(cell).split(":")[0].strip().upper()


def _other_measure(indicator: dict, present: list, measure: str | None) -> list[str]:
    """The one other measure whose codes are all an indicator column holds (none: [])."""
    found = {_indicator_code(c) for c in present if c}
    wanted = measure or schema.EMPLOYMENT
    return [m for m, codes in indicator.items() if m != wanted and found and found <= set(codes)]


# the Census Bureau's table variables as data.census.gov and the API head them: ACS detailed
# tables (C24030_001E, B24030_002M), subject tables (S2403_C01_003E), profiles (DP03_0033E)
_CENSUS_VARIABLE = re.compile(r"^(?:[BC]\d{5}[A-Z]{0,2}_\d{3}|S\d{4}[A-Z]{0,2}_C\d{2}_\d{3}|"
                              r"(?:DP|CP)\d{2}[A-Z]{0,2}_\d{4})(?:E|M|EA|MA|PE|PM|P)$", re.IGNORECASE)


def _refuse_series_tables(table: RawTable) -> None:
    """Tables whose columns or rows are coded series, not industries and areas, refused in one
    line saying what they are: a Census table of ACS variables (C24030_001E beside its margin
    of error C24030_001M: the employed by industry and sex, where they live) was 'no industry
    column recognised'; a BLS time-series file (series_id, year, period, value: sm.data.*,
    the area and industry inside each series ID) asked which of year and period to read."""
    path, line = table.path, table.details.get("header_line", 1)
    variables = [h for h in table.header if h and _CENSUS_VARIABLE.match(h.strip())]
    if len(variables) >= 2:
        raise DataError(problems=[Problem(
            "a Census table of survey variables (American Community Survey: each estimate a column "
            "beside its margin of error), not a table of industries", path=path, line=line,
            column=variables[0], expected="a table with region and industry columns, or industries "
            "as column headings", found=", ".join(variables[:3]) + (" ..." if len(variables) > 3 else ""),
            hint="the ACS counts workers where they live (C24030: by sex, then industry); for employment "
                 "by industry where the jobs are, use CBP or QCEW (or reshape the estimates to one "
                 "row per place and industry, without the margins of error)")])
    heads = [_norm(h) for h in table.header if h]
    if heads[:1] == ["series_id"] and {"year", "period", "value"} <= set(heads):
        raise DataError(problems=[Problem(
            "a BLS time-series file: the area, industry and data type are coded inside each series ID",
            path=path, line=line, column=table.header[0],
            expected="a table with region, industry and period columns",
            found=", ".join(h for h in table.header if h)[:60],
            hint="download the figures as a table by area and industry (QCEW, CBP), or split the "
                 "series ID into its area and industry codes first")])


# BLS's OEWS files write every NAICS code in six characters, padded with zeros, its level in
# I_GROUP: "311500" beside "4-digit" is NAICS 3115 (it was read as a six-digit code, level 6,
# a code NAICS has not), "310000" beside "sector" is 31-33
_OEWS_DIGITS = {"3-digit": 3, "4-digit": 4, "5-digit": 5, "6-digit": 6, "sector": 2}
_SECTOR_RANGES = {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
                  "48": "48-49", "49": "48-49"}


def _sbs_indicator_multiple(long, plan: Plan, measures, unit_details: dict):
    """``long`` with the values of a Eurostat SBS indicator given in millions (indic_sb V13320
    wages and salaries, V12150 value added: million euro, no unit column) scaled to units, as
    the TSV reader scales them: an SDMX-CSV of V13320 read with --measure wages gave 3,500
    euros of wages where 3.5 billion were paid."""
    import polars as pl

    from clusterid.io.readers.eurostat import indicator_info
    from clusterid.io.readers.generic_post import round_scaled

    if plan.unit is not None or unit_details.get("units") or unit_details.get("scaled_by_heading"):
        return long
    for i, bc in enumerate(plan.breakdowns):
        column = f"_breakdown_{i}"
        if _norm(bc.split(":")[0]) not in ("indic_sb", "indic_sbs") or column not in long.columns:
            continue
        factors = {c: info[1] for c in long.get_column(column).unique().drop_nulls().to_list()
                   if (info := indicator_info(c)) is not None and info[1] != 1.0}
        if factors:
            factor = pl.col(column).replace_strict(factors, default=1.0, return_dtype=pl.Float64)
            long = long.with_columns(round_scaled(pl.col(c) * factor).alias(c) for m in measures
                                     for c in (m, schema.lower_col(m), schema.upper_col(m))
                                     if c in long.columns)
    return long


def _whole_codes(df, name: str):
    """The column ``name`` of codes, each without the ``.0`` a float writes after a whole
    number when every code of the column has it: a table written by pandas from a column
    of numbers with a gap (``1001.0``, ``23.0``).  Read as written, a county's FIPS code
    ``1001.0`` was no code (no level, never padded to 01001) and NAICS sector ``23.0`` the
    NACE group C23.0."""
    import polars as pl

    cells = df.get_column(name).cast(pl.String).str.strip_chars() if name in df.columns else None
    if cells is None:
        return pl.col(name)
    cells = cells.filter(cells.is_not_null() & (cells != ""))
    # (the first thousand first: a column of codes of any other shape is told at once)
    if cells.len() == 0 or not cells.head(1000).str.contains(r"^\d+\.0+$").all() \
            or not cells.str.contains(r"^\d+\.0+$").all():
        return pl.col(name)
    return pl.col(name).str.strip_chars().str.replace(r"\.0+$", "")


def _oews_naics(df, header_map: dict):
    """``df`` with an OEWS file's padded NAICS codes cut to their I_GROUP's digits (see
    :data:`_OEWS_DIGITS`); as it is without an I_GROUP and a NAICS column."""
    import polars as pl

    by_norm = {_norm(h): c for h, c in header_map.items() if h}
    group, naics = by_norm.get("i_group"), by_norm.get("naics")
    if group is None or naics is None:
        return df
    code = pl.col(naics).str.strip_chars()
    kind = pl.col(group).str.strip_chars().str.to_lowercase()
    cut = pl.lit(None, pl.String)
    for name, k in _OEWS_DIGITS.items():
        padded = (kind == name) & code.str.contains(rf"^\d{{{k}}}0{{{6 - k}}}$")
        short = code.str.slice(0, k)
        if k == 2:
            short = short.replace(_SECTOR_RANGES)
        cut = pl.when(padded.fill_null(False)).then(short).otherwise(cut)
    return df.with_columns(pl.coalesce(cut, pl.col(naics)).alias(naics))


def _drop_counted(long, rows, n: int, reason: str, dropped: dict, problems: list, path):
    """``long`` without the ``n`` rows that ``rows`` (an expression) picks, counted in
    ``dropped`` under ``reason``; the problems found on their lines in ``path`` go with them
    (a row that is not data has no bad cell)."""
    dropped[reason] = dropped.get(reason, 0) + n
    lines = set(long.filter(rows).get_column(LINE).to_list())
    return long.filter(~rows), [p for p in problems if not (p.path == path and p.line in lines)]


def read_table(table: RawTable, options):
    """Interpret one :class:`RawTable`: returns ``(LazyFrame, problems, dropped, details)``.

    An xlsx formula saved without its value under the header (``uncached_formulas``, deferred
    by :func:`excel.read_rows`) is refused on its cell when its column is read (openpyxl gives
    it as an empty cell: a total computed in the sheet read as a suppressed one), and said in
    ``uncached_formulas_not_read`` when its column is one the table does not read (a helper
    column, a share or check sum beside the figures): that refused the whole workbook.  When the
    table cannot be read at all, the formulas are refused as before."""
    unsaved = table.details.get("uncached_formulas")
    if not unsaved:
        return _hidden_columns_read(table, *_read_table(table, options))
    try:
        lf, problems, dropped, details = _read_table(table, options)
    except DataError as exc:
        raise DataError(problems=excel.uncached_problems(table.path, unsaved)) from exc
    names = _unique_names(list(table.header))
    unread = set(details.get("ignored_columns") or ())
    read_cells = [u for u in unsaved if not (u[3] < len(names) and names[u[3]] and names[u[3]] in unread)]
    if read_cells:
        raise DataError(problems=excel.uncached_problems(table.path, read_cells))
    details["uncached_formulas_not_read"] = [
        {"line": row, "cell": f"{letters}{row}", "column": names[j], "formula": formula}
        for row, letters, formula, j in unsaved]
    return _hidden_columns_read(table, lf, problems, dropped, details)


def _hidden_columns_read(table: RawTable, lf, problems, dropped, details):
    """``details`` with ``hidden_columns_read`` (``[{"column": heading, "letter": "D"}]``): the
    columns hidden in the xlsx sheet (``hidden_columns``, :func:`excel.read_rows`) that the
    table reads -- a key or a measure, a year across.  An old year or a helper column kept out
    of sight was read as the others without a word, as hidden rows were before session 30;
    one the table does not read is no matter (named among the columns not read)."""
    shut = table.details.get("hidden_columns")
    if not shut or any(table.details.get(k) for k in ("layout", "header_rows", "share_columns_not_read")):
        # (a sheet whose columns the raw reader rearranged, a two-row header, the ABS's time
        # series: its headings no longer stand at the sheet's positions)
        return lf, problems, dropped, details
    names = _unique_names(list(table.header))
    unread = set(details.get("ignored_columns") or ())
    read = [{"column": names[j], "letter": excel.column_letters(j)} for j in shut
            if j < len(names) and names[j] and names[j] not in unread]
    if read:
        details = {**details, "hidden_columns_read": read}
    return lf, problems, dropped, details


def _read_table(table: RawTable, options):
    import polars as pl

    path = table.path
    if [_norm(h) for h in table.header if h] == ["column_name", "label"]:
        # data.census.gov's column descriptions beside a table's data (CBP2022.CB2200CBP-Column-
        # Metadata.csv beside ...-Data.csv): given alone or in a glob over the unzipped
        # download, it was refused as a table without a region column
        data = re.sub(r"-Column-Metadata(\.\w+)$", r"-Data\1", re.split(r"[/\\]", path)[-1])
        raise DataError(problems=[Problem(
            "the column descriptions of a data.census.gov download, not its data", path=path,
            line=table.details.get("header_line", 1), expected="a table of figures",
            found=", ".join(h for h in table.header if h),
            hint=f"ingest the table beside it ({data if data.endswith('-Data.csv') else '...-Data.csv'}); "
                 "a glob over the download: end it in -Data.csv")])
    _refuse_series_tables(table)
    # --on-error skip: a ragged row is set aside (reported by line) instead of failing the file
    df, names, note_rows, ragged = _cell_frame(table, getattr(options, "on_error", "fail") == "skip")
    two_cell_notes = set(table.details.pop("notes_of_two_cells", None) or ())  # (no fact of the table's)
    df, repeated = _drop_repeated_header(df, names, table.header, path, table.details.get("header_line", 1))
    df, numbered = _drop_column_numbers(df, names)
    df, table.header, coded = _section_codes_under_titles(df, names, table.header)
    df = _national_column_of_ine(df, names, table.header)
    # a column without a heading is planned under its made-up name (column_3)
    header = [h if h else nm for h, nm in zip(table.header, names)]
    header_map = dict(zip(header, names))
    # ILOSTAT's CSV: one breakdown of economic activity kept, sex by its total, thousands
    df, header, header_map, options, ilo_dropped, ilo_note = ilostat_frame(
        df, header, header_map, options, path, table.details.get("header_line", 1))
    # the CSO's PxStat CSV: each classification's codes beside its labels, "-" its total
    pxstat_renamed = {}
    if not any(getattr(options, o, None) for o in ("region_col", "region_name_col", "industry_col",
                                                   "industry_name_col")):
        df, header, header_map, pxstat_renamed = pxstat_frame(df, header, header_map)
    df = _oews_naics(df, header_map)  # (BLS's OEWS: 311500 beside 4-digit is NAICS 3115)
    # the ABS's TableBuilder: its 'Not applicable' persons (not employed) are no industry
    df, tb_dropped = tablebuilder_frame(df, names, table.details, path)
    # the first cells of the unheaded columns (their roles come from them), of a region
    # column headed by a word for the area ("Kreis": codes with their names beside them?), and
    # of a column headed by a bare word for a code ("Schlüssel;Kreis": the names' keys?)
    from clusterid.io.readers.generic_headings import role_of as _role_of
    from clusterid.io.readers.generic_plan import _BARE_CODE_HEADINGS, _GSS_CODE_HEADINGS

    samples = {nm: df.get_column(nm).head(200).to_list() for h, nm in zip(table.header, names)
               if not h or _role_of(h) in ("region", "industry_name") or _norm(h) in _BARE_CODE_HEADINGS
               or _norm(h) in _GSS_CODE_HEADINGS or _norm(h) == "code"} or None
    if _is_canonical_header(header) and not any(
            getattr(options, o, None) for o in ("region_col", "region_name_col", "industry_col",
                                                "industry_name_col", "period_col", "measure_cols")):
        lf, problems, dropped, details = _canonical_layout(df, header_map, path, dict(table.details),
                                                           table.sep, options)
        if note_rows:
            _count_notes(dropped, note_rows, two_cell_notes)
        if repeated:
            dropped[REASON_REPEATED_HEADER] = repeated
        return lf, list(ragged) + problems, dropped, details
    try:
        plan = plan_columns(header, options, path, table.titles, samples,
                            across=table.details.get("across_variable"))
    except DataError as exc:
        # the headings' problems are said on line 1 by plan_columns: on the header's own line
        # (NOMIS's and Regionalstatistik's header under title lines was 'file.csv:1')
        at = table.details.get("header_line", 1)
        if at == 1:
            raise
        raise DataError(problems=[_problem_at(p, at) if p.path == path and p.line == 1 else p
                                  for p in exc.problems]) from None
    df = _refuse_rival_columns(df, plan, header_map, path)
    _refuse_share_indicator(df, header, header_map, plan, path)
    variable = next((h for h in plan.ignored if _norm(h) in _BDL_VARIABLE_HEADINGS), None)
    if variable is not None:  # BDL's Wartosc: the measure its variable names
        bdl_variable_measure(plan, df.get_column(header_map.get(variable, variable)).unique().to_list(),
                             options, table.titles, path, table.details.get("header_line", 1))
    if plan.region is not None and plan.industry is not None:
        _genesis_extra_variables(df, header, header_map, path, table.details.get("header_line", 1),
                                 {plan.region, plan.region_name, plan.industry, plan.industry_name, plan.period})
    col = lambda h: header_map.get(h, h) if h is not None else None  # noqa: E731
    problems: list[Problem] = list(ragged)
    dropped: dict[str, int] = {REASON_REPEATED_HEADER: repeated} if repeated else {}
    if numbered:
        dropped[REASON_COLUMN_NUMBERS] = numbered
    if coded:
        dropped[REASON_SECTION_CODES] = coded
    dropped.update(ilo_dropped)
    dropped.update(tb_dropped)
    # ---- a report's layout: region headings over blocks, keys given once per block
    df, note_rows, block_facts = _report_blocks(df, names, header, header_map, plan, note_rows,
                                                path, dropped, options)
    nomis_units = _nomis_business_units(df, header, header_map, plan, path)
    if nomis_units:
        block_facts["measure_note"] = nomis_units
    if block_facts.get("region_heading_column"):
        header_map[block_facts["region_heading_column"]] = _BLOCK_REGION
    if block_facts.get("region_heading_levels"):
        header_map.update({_HEADING_NAME_COLUMN: _BLOCK_REGION_NAME, _HEADING_LEVEL_COLUMN: _BLOCK_LEVEL})
    if block_facts.get("period_heading_column"):
        header_map[block_facts["period_heading_column"]] = _BLOCK_PERIOD
    if block_facts.get("industry_heading_column"):
        header_map[block_facts["industry_heading_column"]] = _BLOCK_INDUSTRY
    if note_rows:
        _count_notes(dropped, note_rows, two_cell_notes)
    if plan.region is None and plan.region_from is None and _insee_bdm(table.header, df, names):
        # INSEE's BDM: one series per column, its region and activity only in its label
        raise DataError(problems=[Problem(
            "an INSEE BDM series table: each column one series, its region and activity only in "
            "its label", path=path, line=table.details.get("header_line", 1), column=table.header[0],
            expected="a table with region, industry, period and value columns (long) or regions "
                     "or industries as column headings",
            found=", ".join(table.header[1:3]),
            hint="reshape the series to one row per region, industry and period, or download "
                 "the data from INSEE's Melodi catalogue (GEO, EMP_ACTIVITY, TIME_PERIOD)")])
    if plan.region is None and plan.region_from is None:
        raise DataError(problems=[Problem(
            "no region column recognised", path=path, line=table.details.get("header_line", 1),
            expected="a heading such as region, area, Land, область", found=", ".join(table.header[:10]),
            hint="name it with --region-col; a table about one region: --region ID[:NAME]")])
    sheet = table.details.get("sheet")
    if plan.industry is None and plan.wide_axis != "industry" and sheet is not None \
            and _section_of_sheet(sheet) is not None:
        # a workbook of one sheet per section (stat.gov.kz: a sheet "C" or "Обрабатывающая
        # промышленность", its oblasts down and years across): the sheet's name is its industry,
        # as a sheet named "2022" is its year
        df = df.with_columns(pl.lit(_sheet_industry(sheet), pl.String).alias(_SHEET_INDUSTRY))
        header_map[_SHEET_INDUSTRY_COLUMN] = _SHEET_INDUSTRY
        plan.industry = _SHEET_INDUSTRY_COLUMN
        block_facts["industry_from"] = "sheet name"
    if plan.industry is None and plan.wide_axis != "industry" \
            and not table.details.get("other_sheets_with_figures") \
            and (titled := _industry_of_titles(table.titles)) is not None:
        # a table of one industry, named only in its title (Rosstat: "Среднесписочная
        # численность работников ... в обрабатывающих производствах", regions down and years
        # across): the title's section is the industry of every row, as a sheet's name is
        # (not in a workbook of several such sheets: one sheet per section is read whole only
        # when the sheets' names say their sections, and a title each would read one of them)
        df = df.with_columns(pl.lit(titled[0], pl.String).alias(_SHEET_INDUSTRY))
        header_map[_TITLE_INDUSTRY_COLUMN] = _SHEET_INDUSTRY
        plan.industry = _TITLE_INDUSTRY_COLUMN
        block_facts["industry_from"] = "title line"
        block_facts["industry_title"] = titled[1]
    if plan.industry is None and plan.wide_axis != "industry":
        others = table.details.get("other_sheets_with_figures")
        titled = _section_title_among_regions(df, col(plan.region)) if plan.region else None
        if titled is not None:
            # stat.gov.kz's sections over oblasts with the country's figures on each title's
            # row: --industry-col, the only advice, could not help
            raise DataError(problems=[Problem(
                "an industry section's title among the regions, with figures of its own",
                path=path, line=titled[0], column=plan.region,
                expected="a section's title on a row of its own above its regions' rows, or "
                         "each region's row above its sections' rows, each section once",
                found=titled[1], hint="figures on a title's row are the country's: put them on "
                "a row of the country's name under the title (Республика Казахстан); else give "
                "the industry on each row (an industry column)")])
        raise DataError(problems=[Problem(
            "no industry column recognised", path=path, line=table.details.get("header_line", 1),
            expected="a heading such as industry, naics, nace, WZ, oked, отрасль",
            found=", ".join(table.header[:10]),
            hint="name it with --industry-col" + (
                f"; a workbook of one sheet per industry: the sheet's name ({sheet!r}) names no "
                "NACE section; name each sheet by its section (C, Раздел C, Строительство) and "
                "the workbook is read as one table" if sheet is not None and others
                else ""))])
    if plan.period is None and plan.wide_axis not in ("period", "region_period") and not options.period:
        year = period_from_titles(table.titles)
        source = "title line"
        if year is None and table.details.get("sheet"):
            # a workbook of one sheet per year ("2013", "2014"): the sheet's name is its period
            year, source = period_of(str(table.details["sheet"])), "sheet name"
        if year is None:  # a data.census.gov download: CBP2022.CB2200CBP-Data.csv
            year, source = period_from_file_name(path), "file name"
        if year is not None:  # "... за 2022 год" above the header
            import dataclasses

            options = dataclasses.replace(options, period=year)
            plan.period_from = source
    if plan.period is None and plan.wide_axis not in ("period", "region_period") and not options.period:
        raise DataError(problems=[Problem(
            "no period column recognised", path=path, line=table.details.get("header_line", 1),
            expected="a heading such as year, period, Jahr, год", found=", ".join(table.header[:10]),
            hint=(f"{bare_title_year(table.titles)[1]}; " if bare_title_year(table.titles)[1] else "")
            + ("a Census API answer gives no year unless asked for (get=...,YEAR): give the "
               "year of its URL (/data/2021/cbp) with --period 2021"
               if table.details.get("format") == "json" else
               "name it with --period-col, or give the period of the whole file with --period 2016"))])
    if plan.layout == "long" and not plan.measures:
        averages = [h for h in table.header if h and is_average(h) and _norm(h)
                    and ROLE_WORDS[schema.WAGES] & set(_norm(h).split("_"))]
        if averages:  # "Среднемесячная заработная плата": role_of reads it as no wage total
            raise DataError(problems=[Problem(
                "an average wage column", path=path, line=table.details.get("header_line", 1),
                column=averages[0], expected="wage totals (payroll), as clusterid sums wages",
                found=averages[0], hint="ingest a table of wage totals, or the employment or "
                "establishment counts beside it")])
        sizes = [h for h in table.header if h and _SIZE_CLASS_HEADING.search(str(h))]
        raise DataError(problems=[Problem(
            "no measure column recognised", path=path, line=table.details.get("header_line", 1),
            expected="a heading such as employment, emp, Beschäftigte, численность, firms, wages, output",
            found=", ".join(table.header[:10]),
            # (the ABS's business counts by size across: each cell counts businesses)
            hint=(f"{', '.join(repr(h) for h in sizes[:3])} ... are size classes: the cells "
                  "count businesses of that size, no jobs; read their total column with "
                  "--measure-col establishments=COLUMN" if len(sizes) >= 2 else
                  "name it with --measure-col employment=COLUMN"))])

    # ---- reshape to long: one value column per measure
    base = [pl.col(LINE)]
    if plan.region_const is not None:
        base.append(pl.lit(plan.region_const[0], pl.String).alias("_region"))
        base.append(pl.lit(plan.region_const[1], pl.String).alias("_region_name"))
    elif plan.wide_axis != "region_period":
        region = _county_fips(plan, col)[0] if plan.county else _whole_codes(df, col(plan.region))
        if plan.region_name_without_code:
            # NOMIS's "Column Total" (no GSS code beside it) is keyed by its name, read as any
            # total row is, not an empty key
            region = pl.when(region.str.strip_chars().replace("", None).is_null()) \
                .then(pl.col(col(plan.region_name))).otherwise(region)
        base.append(region.alias("_region"))
        base.append((pl.col(col(plan.region_name)) if plan.region_name else pl.lit(None, pl.String)).alias("_region_name"))
    if plan.wide_axis != "industry":
        base.append(_whole_codes(df, col(plan.industry)).alias("_industry"))
    base.append((pl.col(col(plan.industry_name)) if plan.industry_name else pl.lit(None, pl.String)).alias("_industry_name"))
    if plan.wide_axis not in ("period", "region_period"):
        base.append((pl.col(col(plan.period)) if plan.period else pl.lit(options.period, pl.String)).alias("_period"))
    base.append((pl.col(col(plan.ownership)) if plan.ownership else pl.lit(schema.OWNERSHIP_TOTAL)).alias("_ownership"))
    if plan.quarter:
        base.append(pl.col(col(plan.quarter)).alias("_quarter"))
    if plan.month:
        base.append(pl.col(col(plan.month)).alias("_month"))
    # (the blank TEMPO and other exports put before every cell is no part of the unit)
    base.append((pl.col(col(plan.unit)).str.strip_chars() if plan.unit else pl.lit(None, pl.String)).alias("_unit"))
    indicator = next((h for h in plan.ignored if _norm(h) in _INDICATOR_HEADINGS), None)
    if indicator is not None:  # (its unit read only without a unit column; an average wage always)
        base.append(pl.col(col(indicator)).str.strip_chars().alias("_indicator"))
    freq_col = next((h for h in plan.ignored if _norm(h) in _FREQ_HEADINGS), None)
    if freq_col is not None:  # SDMX's FREQ (Q, A, M): how the table's dated periods are meant
        base.append(pl.col(col(freq_col)).alias("_freq"))
    dguid = next((h for h in plan.ignored if _norm(h) == "dguid"), None) if plan.region_level is None else None
    gss = None
    if plan.region_level is None and dguid is None and plan.region_const is None:
        gss = next((h for h in [*plan.ignored, plan.region] if h and _norm(h) in ("mnemonic", "geography_code")),
                   None)
    mult_col = next((h for h in plan.ignored if _norm(h) in _UNIT_MULT_HEADINGS), None)
    if mult_col is not None:  # SDMX's UNIT_MULT (3: thousands): the power of ten of each value
        base.append(pl.col(col(mult_col)).alias("_unit_mult"))
        plan.unit_mult = mult_col
    for m, fc in plan.flags.items():
        extras = plan.flag_extras.get(m, [])
        if not extras:
            base.append(pl.col(col(fc)).alias("_flag_" + m))
            continue
        # Census flags of one value in several columns (EMP_F, EMP_N_F, EMP_N): the first that
        # says something
        base.append(pl.coalesce([pl.when(pl.col(col(c)).str.strip_chars() != "").then(pl.col(col(c)))
                                 for c in (fc, *extras)]).alias("_flag_" + m))
    for i, bc in enumerate(plan.breakdowns):
        base.append(pl.col(col(bc)).alias(f"_breakdown_{i}"))
    if plan.conf:
        base.append(pl.col(col(plan.conf)).alias("_conf"))
    if plan.region_level:
        base.append(pl.col(col(plan.region_level)).alias("_region_level"))
    elif dguid is not None:
        # Statistics Canada's DGUID (2021A000235 Ontario, 2021S0503535 Toronto CMA): its type
        # and schema are the region's level, so a table of provinces and CMAs is two levels, not
        # one whose sums add each CMA to its province
        base.append(_level_of_code_type(pl.col(col(dguid)), r"^\d{4}([AS]\d{4})", _DGUID_LEVELS)
                    .alias("_region_level"))
    elif gss is not None:
        base.append(_level_of_code_type(pl.col(col(gss)), r"^([EWSNK]\d{2})\d{6}$", _GSS_LEVELS)
                    .alias("_region_level"))
    elif plan.county and plan.wide_axis != "region_period" and plan.region_const is None:
        no_county = pl.col(col(plan.county)).str.strip_chars().replace("", None).is_null()
        base.append(pl.when(_county_fips(plan, col)[1]).then(pl.lit("county"))
                    .when(no_county & pl.col(col(plan.region)).str.contains(r"[^\W\d_]").fill_null(False))
                    .then(pl.lit("state"))  # the state's own row beside its counties, by name
                    .otherwise(pl.lit(None, pl.String)).alias("_region_level"))
    else:  # derived from the codes below (GEO_ID, NUTS), else --region-level labels them
        base.append(pl.lit(None, pl.String).alias("_region_level"))
    provisional: dict[str, str] = {}  # a provisional year's heading or cell -> its period
    if plan.layout == "wide":
        measure = wide_measure(options, table.titles, path, plan)
        if measure not in schema.MEASURES:
            raise UsageError(f"--measure {measure!r}: expected one of {', '.join(schema.MEASURES)}")
        value_cols = [col(h) for h in plan.value_cols]
        long = df.select(base + [pl.col(c) for c in value_cols]).unpivot(
            index=[e.meta.output_name() for e in base], on=value_cols, variable_name="_head", value_name=measure)
        head_back = {col(h): h for h in plan.value_cols}
        if plan.wide_axis == "period":
            head_period = {c: plan.head_periods.get(h) or period_of(h) for c, h in head_back.items()}
            long = long.with_columns(pl.col("_head").replace_strict(head_period, return_dtype=pl.String)
                                     .alias("_period"))
            # a year headed as provisional ('2021 (p)'), estimated (2014e) or revised (2014r):
            # flagged p, e or r below
            # (CBS StatLine's periods across, pivoted so in StatLine: its 2023* provisional)
            statline_across = statline_periods(header, None)
            mark = lambda h: (PROVISIONAL_FLAG if statline_across and statline_provisional(h)  # noqa: E731
                              else year_mark(h))
            marks = {c: mark(h) for c, h in head_back.items() if head_period[c] and mark(h)}
            provisional = {head_back[c].strip(): head_period[c] for c in marks}
            if marks:
                long = long.with_columns(pl.col("_head").replace_strict(marks, default=None, return_dtype=pl.String)
                                         .alias("_mark"))
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
    # failed formulas (#N/A, #REF!) in the key, name, unit and flag cells: said here, before the
    # units and flags read them as none; their rows are left out with the keys below
    key_errors, error_lines = _error_key_cells(long, plan, block_facts, path)
    problems += key_errors

    # ---- numbers
    sidra_zeros = 0
    from clusterid.io.readers.generic_plan import is_sidra
    sidra = is_sidra(table.titles, table.header)
    if sidra:
        # IBGE's SIDRA writes a true zero as "-" (its legend: "Dado numérico igual a zero não
        # resultante de arredondamento"), where most agencies' dash withholds the cell; its
        # withheld cells are "X" and those of data not available "..." (read as suppressed,
        # as anywhere); its ".." (not applicable) is no data (_sidra_not_applicable, below)
        dash = [pl.col(m).str.strip_chars().is_in(["-", "\u2013", "\u2014"]).fill_null(False) for m in measures]
        sidra_zeros = int(long.select(pl.sum_horizontal([d.cast(pl.Int64) for d in dash]).sum()).item() or 0)
        long = long.with_columns(pl.when(d).then(pl.lit("0")).otherwise(pl.col(m)).alias(m)
                                 for m, d in zip(measures, dash))
    sample = []
    for m in measures:
        sample.extend(long.get_column(m).head(5000).to_list())
    # headings or titles in a decimal-comma language settle a tab-separated file's '1,234' as a
    # decimal comma (a German sheet saved by Excel as "Unicode text"); a ';' file's headings
    # are no such evidence (tests/test_hunt_30.py: the layout is continental whatever its words)
    continental = table.sep == "\t" and textmod.continental_headings(
        [*table.header, *(c for row in table.titles for c in (row if isinstance(row, (list, tuple)) else [row]))])
    decimal, thousands = textmod.detect_number_format(sample, table.sep, options.decimal, options.thousands,
                                                      continental)
    unsure = textmod.ambiguous_dot_grouping(sample, table.sep, table.details.get("format") in WORKBOOKS,
                                            continental) \
        if options.decimal is None and options.thousands is None else None
    if unsure is not None:
        at = next(((ln, c) for m in measures
                   for ln, v, c in long.head(5000).select(LINE, m, "_column").iter_rows()
                   if v is not None and v.strip() == unsure), (None, None))
        raise DataError(problems=[textmod.ambiguous_number_problem(
            path, at[0], at[1] or next((measure_header.get(m) for m in measures
                                        if measure_header.get(m)), None), unsure)])
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
            # (a figure in brackets is one of limited reliability, never a negative amount in
            # an accountant's format: not for output, which can be below zero)
            stages.append(textmod.number_stages(m, m + "__num", decimal, thousands, footnotes=True,
                                                currency=m in (schema.WAGES, schema.OUTPUT),
                                                bracketed=m != schema.OUTPUT))
    for step in range(len(stages[0]) if stages else 0):
        long = long.with_columns([e for st in stages for e in st[step]])
    long = long.with_columns([(pl.col(m) if m in plain else pl.col(m).str.strip_chars()).alias(m + "__raw")
                              for m in measures])
    long = long.with_columns([  # ("**" is OEWS's own marker, not "*" with a footnote)
        pl.when(pl.col(m + "__raw").is_in(list(marker_table(m)))).then(pl.col(m + "__raw"))
        .otherwise(pl.col(m + "__raw").str.replace(textmod.MARKER_FOOTNOTE, "$1")).alias(m + "__raw")
        for m in measures if m not in plain])
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
            # (a column of plain digits has no figure in brackets, no stars, no '0s' and no
            # footnote mark: its flag is a marker's own text or none, without four regular
            # expressions over every cell, ~0.1 s each on 3 M rows)
            (pl.when(is_marker).then(raw).otherwise(None) if m in plain else
             pl.when(is_marker).then(raw)
             .when(num.is_not_null() & raw.str.contains(textmod.BRACKETED_FIGURE).fill_null(False)
                   & pl.lit(m != schema.OUTPUT)).then(pl.lit(textmod.BRACKETED_FLAG))
             .when(num.is_not_null() & raw.str.contains(textmod.STARRED_FIGURE).fill_null(False))
             .then(raw.str.extract(textmod.STARRED_FIGURE, 1))
             .when(num.is_not_null() & raw.str.contains(textmod.ROUNDED_ZERO).fill_null(False))
             .then(pl.lit(textmod.ROUNDED_ZERO_FLAG))
             .when(num.is_not_null()).then(raw.str.extract("(" + textmod.FOOTNOTE_SUFFIX[:-1] + ")$", 1)
                                           .str.strip_chars())
             .otherwise(None)).alias(schema.flag_col(m)),
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
            elif found and re.fullmatch(r"[-+]?\d+(?:\.\d+)?e[-+]?\d+", found.strip()):
                # 1e+05: R's write.csv (as.character) writes a round 100000 so, exactly; the
                # hint to change --decimal/--thousands led nowhere
                hint = ("scientific notation, as R writes round numbers (1e+05 for 100000): "
                        "clusterid reads figures written in full; in R, write them with "
                        "format(x, scientific = FALSE) or options(scipen = 999)")
            if found and re.search("[\uff10-\uff19\uff0c\uff0e]", found):
                # '１２３', '１２，３４５', '12，345' as a Japanese or Chinese spreadsheet may type
                # them: refused, never guessed (a full-width comma or period is a separator of
                # either kind)
                hint = ("full-width digits or separators: save the figures in ASCII (123, 12,345), "
                        "as e-Stat, the NBS and KOSIS publish them")
            message = "not a number"
            if unit_in_cell(found):
                # "'000", "$m", "тыс." in a figure's cell: --decimal/--thousands make no number
                # of it, the hint sent the user to them
                message = UNIT_IN_CELL
                hint = ("put the unit in the column's heading (employment ('000), "
                        "\"Employed, тыс. человек\") or in a units row under the header, "
                        "and the figure in the cell")
            elif excel.is_spreadsheet_error(found):  # #DIV/0!, #N/A: no --decimal makes it a number
                message = SPREADSHEET_ERROR_MESSAGE
                hint = SPREADSHEET_ERROR_HINT + " (or give the cell a suppression marker)"
            problems.append(Problem(
                message, path=path, line=line, column=head or measure_header.get(m) or m,
                expected="a number or a suppression marker like (D), x, .., -", found=found,
                hint=hint))
    long = long.drop([m + sfx for m in measures for sfx in ("", "__bad", "__raw", "__num", "__mk", "__empty")]
                     + [c for m in measures for c in textmod.number_stage_columns(m + "__num")]).rename(
        {m + "__v": m for m in measures})
    temps = [m for m in measures if m.startswith("_month")]
    # --month annual: the quarter's months summed, the year's quarters then taken together
    # across the files by read() (annual_from_quarters), as the QCEW adapter does
    # (a row of twelve months, January to December, is the year's own: their mean)
    summed = len(temps) == 2 and str(getattr(options, "month", "average")).strip().lower() == "annual"
    if temps:  # employment = mean of the quarter's months; suppressed when any month is
        long = _average_months(long, temps, summed=summed)
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
            if len(said) == 1 and not plan.unit:
                titles.append([said[0]])
            named = set().union(*(cjk_headings.measures_in(v) for v in said)) if said else set()
            if len(named) == 1 and not options.measure and named.isdisjoint(measures):
                # e-Stat's 表章項目 '事業所数' (establishments) beside its one value column: read
                # as employment, the default, silently.  (Two items, 従業者数 and 事業所数, are
                # rows that differ only in this column: refused as such.)
                first = long.get_column(LINE).min()
                raise DataError(problems=[Problem(
                    f"the column names another measure than {', '.join(sorted(measures))}", path=path,
                    line=first, column=h, expected=f"{', '.join(sorted(measures))} (the measure read)",
                    found=f"{said[0]} ({named.pop()})",
                    hint="say what the values are with --measure")])
            for value in (said if len(said) == 1 and not getattr(options, "measure", None) else []):
                # an indicator naming an average wage (StatCan's SEPH "Estimate": "Average
                # weekly earnings ...") is refused as a title naming one is, on its first row:
                # its dollars were read as employment, the table's one VALUE column.  (Only
                # its one value, as a title's, and not under --measure: of several, one
                # employment's, the rows differing only in it are said to be kept apart;
                # --measure says what the cells hold, as the hint advises)
                try:
                    title_measure([[value]], path)
                except DataError as exc:
                    import dataclasses

                    first = long.filter(pl.col("_indicator") == value).get_column(LINE).min()
                    raise DataError(problems=[dataclasses.replace(
                        p, message="the column names an average wage", line=first, column=h)
                        for p in exc.problems]) from exc
    if plan.unit is not None and "_unit" in long.columns:
        long, problems = _one_eurostat_unit(long, dropped, problems, path)
        long, problems = _units_of_another_measure(long, measure_header, dropped, problems, path)
    long, unit_details = _scale_units(long, plan, measure_header, path, problems, titles)
    # ---- a label row right under the header (data.census.gov downloads: "Geography", ...)
    long, problems = _drop_label_row(long, measures, problems, table, dropped, measure_header,
                                     scaled=any(k in unit_details for k in (
                                         "units", "scaled_by_heading", "unit_multiplier",
                                         "unit_from_title")),
                                     applied=next(iter((unit_details.get("unit_from_title") or {}).values()), None),
                                     period_column=bool(plan.period) and plan.wide_axis not in (
                                         "period", "region_period"))
    # ---- breakdowns: keep the all-categories rows
    long = _sbs_indicator_multiple(long, plan, measures, unit_details)
    unread_breakdowns: list[str] = []
    one_part: dict[str, str] = {}
    for i, (bc, all_codes) in enumerate(plan.breakdowns.items()):
        v = pl.col(f"_breakdown_{i}").str.strip_chars().str.to_lowercase()

        def first_line(v=v):  # the first row that names a category: where a refusal points
            return long.filter(v.is_not_null() & (v != "")).sort(LINE).head(1).get_column(LINE).item()

        present = long.get_column(f"_breakdown_{i}").str.strip_chars().str.to_lowercase().unique().to_list()
        if any(c in present for c in all_codes):
            part = ~v.is_in(list(all_codes)).fill_null(False)
            keys = [c for c in ("_region", "_region_name", "_industry", "_industry_name", "_period",
                                "_ownership", "_column") if c in long.columns] \
                + [f"_breakdown_{j}" for j in range(len(plan.breakdowns)) if j != i]
            if len([c for c in all_codes if c in present]) > 1 and keys:
                # two spellings of the total in one column (an age column's 'Total' beside
                # '15+', both all-ages members since 5bbdc35): each cell twice, refused as
                # duplicate rows; the first-named total of each cell is kept, the other's rows
                # are among its parts
                rank = v.replace_strict({c: n for n, c in enumerate(all_codes)}, default=len(all_codes),
                                        return_dtype=pl.Int64)
                part = part | (rank > pl.when(~part).then(rank).otherwise(None).min().over(keys)).fill_null(False)
            n_part = long.filter(part).height
            if n_part:
                why = (REASON_INDICATOR if _norm(bc) in ("indic_sb", "indic_sbs", "labour_force_characteristics",
                                                        "caracteristiques_de_la_population_active",
                                                        "data_type", "measure_name", "statistics",
                                                        "statistiques")
                       else REASON_BREAKDOWN).format(
                           # (an unheaded column of size classes, by its place)
                           f"size class (unheaded column {bc.rsplit('_', 1)[1]})"
                           if re.fullmatch(r"column_\d+", bc) else bc)
                if _norm(bc.split(":")[0]) in SDMX_CHOICES:  # (NSA kept, SCA dropped: no part of it)
                    why = REASON_CHOICE.format(bc, next(c for c in all_codes if c in present).upper())
                dropped[why] = dropped.get(why, 0) + n_part
                lines = set(long.filter(part).get_column(LINE).to_list())
                problems = [p for p in problems if not (p.path == path and p.line in lines)]
                long = long.filter(~part)
        elif (_norm(bc) in ("measure_name", "measures_name", "measure", "measures")
              and (shares := [c for c in present if c]) and all(_SHARE_MEASURE.search(c) for c in shares)):
            # NOMIS's API CSV of BRES downloaded with the measure "Industry percentage" alone (a
            # share of the area's jobs, no Count row to keep): Hartlepool's 2.9 % of its jobs in
            # food manufacturing was read as 2.9 jobs, exit 0.  As its title block's "Measure :
            # Industry percentage" is refused (generic_plan.title_measure).
            raise DataError(problems=[Problem(
                "the cells are a percentage, not a count", path=path, line=first_line(), column=bc,
                expected="counts (measure: Count)", found=", ".join(sorted({str(c).strip() for c in long.get_column(f"_breakdown_{i}").unique()
                                         if c is not None and str(c).strip()}))[:60],
                hint="download the table again with the measure Count")])
        elif ((indicator := measure_indicators().get(_norm(bc))) is not None
              and (theirs := _other_measure(indicator, present,
                                            options.measure or getattr(options, "indicator_measure", None)))):
            # the indicator column holds only another measure's codes (ISTAT's DATA_TYPE LU
            # alone: local units): read as the measure asked for, silently -- 2,056 local units
            # of Gioia del Colle came out as 2,056 jobs.  (Codes of no known measure, ISTAT's
            # EMP_N employed persons of its labour-force flows, are read as before.)
            wanted = options.measure or getattr(options, "indicator_measure", None) or schema.EMPLOYMENT
            raise DataError(problems=[Problem(
                f"its {bc} indicator is the {theirs[0]} one, not the {wanted} one", path=path,
                line=first_line(), column=bc,
                expected=f"{' or '.join(indicator.get(wanted, ())) or 'its code'} ({wanted})",
                found=", ".join(sorted({_indicator_code(c) for c in present if c}))[:60],
                hint=f"read it with --measure {theirs[0]}")])
        elif (part := _CENSUS_PART_COLUMNS.get(re.sub(r"_id$", "", _norm(bc)))) and [c for c in present if c]:
            # a data.census.gov table filtered to size classes (EMPSZES 212, 220 ...) or legal
            # forms without their all-categories row: each row is part of a total, and one
            # class alone was read as the totals (several: "duplicate row" on every line)
            raise DataError(problems=[Problem(
                f"rows of {bc} categories only, none of all establishments", path=path,
                line=first_line(), column=bc,
                expected=f"the all-establishments rows ({bc} 001)",
                found=", ".join(sorted({str(c) for c in present if c}))[:60],
                hint=f"each row is one {part}'s part of a total; "
                     f"download the table with {bc} 001 (All establishments)")])
        elif len([c for c in present if c]) >= 2 and _parts_share_keys(long, f"_breakdown_{i}"):
            # the ABS's data cube EQ06 (employed persons by industry, sex and state): Males and
            # Females, no Persons row; each region and industry twice, refused as a duplicate
            # row on every line.  Said once, with what the column holds
            cats = sorted({str(c).strip() for c in long.get_column(f"_breakdown_{i}").to_list()
                           if c is not None and str(c).strip()})
            raise DataError(problems=[Problem(
                f"rows of {bc} categories only, none of all of them", path=path,
                line=first_line(), column=bc,
                expected=f"a row for all {bc} categories ({', '.join(repr(c) for c in ([c for c in all_codes if len(c) > 2] or all_codes)[:3])})",
                found=", ".join(cats)[:60],
                hint="each row is one category's part of a total: download the table with its "
                     "total, or keep the rows of one category and drop the column")])
        else:
            # no all-categories member, nothing refused: the column was read for nothing -- said
            # as a column not read (a heading-named sex or age column, 5bbdc35, had dropped
            # 'Average age' and a file of one 'Male' category from that notice)
            unread_breakdowns.append(bc)
            cats = sorted({str(c).strip() for c in long.get_column(f"_breakdown_{i}").to_list()
                           if c is not None and str(c).strip()})
            if _norm(bc) == "employment_status_name" and len(cats) == 1:
                # NOMIS's BRES asked for one part of employment alone (Full-time employees):
                # read as the employment, said (it was only a column not read)
                one_part[bc] = cats[0]

    # ---- keys
    # a formula that failed in a key or name cell (#N/A, #REF!) is no region or industry called
    # '#REF!': said on its line (above), the row left out (validation would read it as a code)
    if error_lines:
        long = long.filter(~pl.col(LINE).is_in(error_lines))
    # blanks around the keys, and footnote markers after a name ("Российская Федерация1)",
    # "Брянская область 2)", "Москва*", "Kreis X¹"): not part of it -- the total's name went
    # unrecognised and the country was summed with its regions
    # A name's inner blanks, a no-break space or two spaces where one was typed (a yearbook
    # cell "Акмолинская\u00a0область"), are one space: kept, one oblast became two regions.
    # Space separators only (Unicode Zs): a tab or CR inside a code is a control character
    # the checks refuse, not a blank
    # A code typed with a spreadsheet's text mark ('01001, '311, '2020: the apostrophe that
    # keeps Excel from dropping the leading zero, written into the file by some exports) is the
    # code: kept, it was a region "'01001" and a custom industry "'311" with no level.  Only
    # before a code that starts with a digit ('s-Hertogenbosch is a name).
    named = ("_region", "_region_name", "_industry_name")
    coded = ("_region", "_industry", "_period")

    def cleaned(c):
        e = (pl.col(c).str.replace_all(r"\p{Zs}+", " ").str.strip_chars().str.replace(_FOOTNOTE_MARK, "$1")
             if c in named else pl.col(c).str.strip_chars())
        return e.str.replace(_TEXT_MARKED_CODE, "$1") if c in coded else e

    long = _where_it_changes(long, {c: cleaned(c) for c in ("_region", "_region_name", "_industry",
                                                             "_industry_name", "_period", "_ownership")})
    long = _foot_total_rows(long, dropped)
    # Census GEO_IDs (0500000US49001) -> the codes QCEW and the CBP files use, with their level
    long = _census_geo_ids(long, plan)
    long = _census_api_geographies(long, plan, header)  # the API's us, state, metro columns
    # NUTS, AGS, KATO and QCEW codes, CBS's marks (Groningen (PV) beside Groningen (GM)),
    # PX-Web's code types (01 Stockholm county beside 0114 Upplands Väsby)
    long = region_levels_from_codes(long, plan, header, path, options)
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
        found = region_total_names(u.to_list())
        if c == "_region" and any(re.fullmatch(r"0+", str(v).strip()) for v in found):
            # a region numbered 0 with a name of its own ("00 Capital District") is a region,
            # unless its figures sum the other regions'
            measure = next((m for m in schema.MEASURES if m in long.columns), None)
            keys = [k for k in ("_period", "_industry", "_ownership") if k in long.columns]
            found = zero_codes_of_totals(long, "_region", "_region_name", found, keys, measure)
            # ... and one without a name is a total only if it is at least each region (as a
            # canonical table's: "0" below "1" in a cell is a region numbered from 0)
            found = zero_codes_that_are_totals(long, "_region", found, keys, measure)
        if found:
            # a table of countries naming one known country: no total where it is below the sum
            found = lone_countries_that_are_no_totals(
                long, c, found, [k for k in ("_period", "_industry", "_ownership") if k in long.columns],
                next((m for m in schema.MEASURES if m in long.columns), None))
        return pl.Series(c, found, dtype=pl.String).implode()

    is_region_total = (pl.col("_region").is_in(_totals("_region")).fill_null(False)
                       | pl.col("_region_name").is_in(_totals("_region_name")).fill_null(False))
    if levelled:
        is_region_total = is_region_total & pl.col("_region_level").is_null()
    # (a one-region table's region is no sum of others, whatever it is called: "Deutschland")
    as_nation = None
    keep_totals = getattr(options, "keep_region_totals", False)
    if not keep_totals and plan.region_const is None and not long.filter(~is_region_total).height:
        # every row the country's (REAT's BRD column, a national office's table of the nation
        # alone): no regions it is the sum of, so kept as the nation; dropped as a region total,
        # the table was 'no data rows left'
        keep_totals = long.height > 0
    if not keep_totals and plan.region_const is None:
        n_tot = long.filter(is_region_total).select(pl.col(LINE).n_unique()).item()
        if n_tot:
            rest = long.filter(~is_region_total).get_column("_region").unique().drop_nulls()
            totals = long.filter(is_region_total).get_column("_region").unique().drop_nulls()
            if rest.len() == 1 and totals.len() == 1:
                # one city beside its country (REAT's Goettingen beside BRD): the country is
                # that region's benchmark, no sum of the regions of the table
                why = (f"region total rows ({totals[0]}: the country beside the one region "
                       f"{rest[0]}, not a sum of regions; keep it with --keep-region-totals to "
                       f"compare {rest[0]} with it, -b region:{totals[0]})")
            else:
                why = "region total rows (sum of the other regions; keep with --keep-region-totals)"
            dropped[why] = n_tot
            long = long.filter(~is_region_total)
    elif plan.region_const is None:
        long, as_nation = _level_the_total(long, is_region_total)
    long = _russian_aggregates(long)  # and Germany's West and East (_GERMAN_AGGREGATE)
    long = px_region_cells(long)  # (PX-Web's "03 Oslo": code 03, name Oslo)
    # a total row often has no code, only a name ("Всего", "Insgesamt")
    names = long.get_column("_industry_name").unique().drop_nulls().to_list()
    name_is_total = pl.col("_industry_name").is_in([v for v in names if codes.is_total(v)])
    # or a code of no industry in a column of its own beside the total's name (ISTAT's ATECO
    # 0010 beside "totale"), or in one cell with it (IstatData's SDMX-CSV with labels, "0010:
    # TOTAL", split by _code_label_cells): the total, as a blank code beside "Insgesamt" is
    named_totals = (long.filter(name_is_total.fill_null(False)).get_column("_industry").unique()
                    .drop_nulls().to_list()) if plan.industry_name or names else []
    if plan.industry is not None and _norm(plan.industry) in _ISTAT_ATECO_HEADINGS:
        # IstatData's SDMX-CSV without labels: ATECO 2007's total is the code 0010 alone (its
        # label TOTALE), which was 'not a NACE industry code' on every total's line
        istat_total = pl.col("_industry").str.strip_chars() == "0010"
        long = long.with_columns(
            pl.when(istat_total).then(pl.lit("TOTAL")).otherwise(pl.col("_industry")).alias("_industry"))
    if plan.industry is not None and _norm(plan.industry) in _ISTAT_A38_HEADINGS:
        long = _istat_a38(long, dropped)
    no_code = [v for v in named_totals if v.strip() and not codes.is_total(v) and not _is_industry_code(v.strip())]
    long = long.with_columns(
        pl.when((pl.col("_industry").is_null() | (pl.col("_industry") == "") | pl.col("_industry").is_in(no_code))
                & name_is_total.fill_null(False))
        .then(pl.col("_industry_name")).otherwise(pl.col("_industry")).alias("_industry"))
    # region levels in the file's spelling -> the adapters' vocabulary (national -> nation)
    if plan.region_level:
        lv = long.get_column("_region_level").unique().to_list()
        # (the QWI's geo_level letters: N nation, S state, C county, M metro area, W workforce
        # investment area -- "c" would be a level of its own, no county to --region-level)
        qwi = _norm(plan.region_level) == "geo_level" and all(v in _QWI_GEO_LEVELS for v in lv if v is not None)
        # (OEWS's AREA_TYPE numbers: 1 the U.S., 2 a state, 3 a territory, 4 a metro area ...)
        oews = _norm(plan.region_level) == "area_type" and all(v in _OEWS_AREA_TYPES for v in lv if v is not None)
        known = _QWI_GEO_LEVELS if qwi else _OEWS_AREA_TYPES if oews else {}
        long = long.with_columns(pl.col("_region_level").replace_strict(
            {v: known[v] if known else levels.canonical(v) for v in lv if v is not None},
            default=None, return_dtype=pl.String))
        # a county FIPS code xx999 is no county: BLS's "Unknown Or Undefined, <state>" (its
        # high-level workbooks give it Area Type "County"), employment placed in no county, as
        # the QCEW adapter and the codes' own levels read it (so are xx996-xx998: qcew's
        # NOT_PLACED); as a county it was one more place among the counties
        from clusterid.io.readers.qcew import NOT_PLACED_CODE

        long = long.with_columns(
            pl.when((pl.col("_region_level") == "county").fill_null(False)
                    & pl.col("_region").str.contains(NOT_PLACED_CODE).fill_null(False))
            .then(pl.lit(schema.UNALLOCATED)).otherwise(pl.col("_region_level")).alias("_region_level"))
    # a year and a quarter column (QCEW cuts: year, qtr 1-4 or A) -> 2016Q1 / 2016
    if plan.quarter:
        # (a column headed quarter/квартал says a Roman I-IV is a quarter, not a half-year)
        # ("1st Qtr", "Quarter 2", "Annual" as state offices write them, too)
        said = {v: quarter_label(v) for v in long.get_column("_quarter").unique().to_list() if v is not None}
        q = (pl.col("_quarter").replace({v: n for v, n in said.items() if n is not None})
             .str.strip_chars().str.to_uppercase().str.replace(r"^Q", "")
             .replace({"I": "1", "II": "2", "III": "3", "IV": "4"}))
        long = long.with_columns(
            pl.when(q.is_in(["1", "2", "3", "4"])).then(pl.col("_period") + pl.lit("Q") + q)
            .when(q.is_in(["A", ""]) | q.is_null()).then(pl.col("_period"))
            .otherwise(pl.col("_period") + pl.lit(" ") + q).alias("_period"))
    # a year and a month column (GENESIS: Jahr 2023, Monat Januar or MONAT01) -> 2023M01; a
    # cell that is no month is joined to the year, for the period check to refuse it there
    if plan.month:
        said = {v: month_label(v) for v in long.get_column("_month").unique().to_list() if v is not None}
        # (a month column holding the whole month, "2023-06" beside the year 2023: that month)
        whole = {v: p for v in said if said[v] is None and (p := period_of(v)) and re.fullmatch(r"\d{4}M\d{2}", p)}
        long = long.with_columns(
            pl.when(pl.col("_month").is_in(list(whole)))
            .then(pl.col("_month").replace_strict(whole, default=None))
            .when(pl.col("_month").is_null() | (pl.col("_month").str.strip_chars() == "")
                    | (pl.col("_month").replace_strict(said, default=None) == "A"))
            .then(pl.col("_period"))
            .when(pl.col("_month").replace_strict(said, default=None).is_not_null())
            .then(pl.col("_period") + pl.lit("M") + pl.col("_month").replace_strict(said, default=None))
            .otherwise(pl.col("_period") + pl.lit(" ") + pl.col("_month")).alias("_period"))
    # QCEW's own_code digits -> the ownership names the QCEW adapter writes
    owns = [v for v in long.get_column("_ownership").unique().to_list() if v is not None]
    qwi_all_but_federal = False
    if plan.ownership and owns and all(v in _OWN_CODES for v in owns):
        long = long.with_columns(pl.col("_ownership").replace_strict(_OWN_CODES, return_dtype=pl.String))
    elif plan.ownership and owns and all(v in _QWI_OWN_CODES for v in owns):
        long = long.with_columns(pl.col("_ownership").replace_strict(_QWI_OWN_CODES, return_dtype=pl.String))
        qwi_all_but_federal = "A00" in owns  # said by read(): not the all-ownership total
    elif plan.ownership and owns and all(v.lower() in _OWN_TITLES for v in owns):
        # QCEW's own_title ("Total Covered", "Private", "Federal Government"): the names the
        # QCEW adapter writes, so --denominator all-ownership finds its 'total' rows
        long = long.with_columns(pl.col("_ownership").replace_strict(
            {v: _OWN_TITLES[v.lower()] for v in owns}, return_dtype=pl.String))
    elif plan.ownership and owns:
        # the canonical names in any case or spacing ('Private', ' TOTAL'), QCEW's titles
        # among them ('Total Covered' beside 'private') and national offices' words
        # ('insgesamt'), as schema.OWNERSHIPS spells them; any other value is left as it is,
        # for validation to refuse if it looks like a misspelt name ('pirvate' was kept as an
        # ownership of its own, its rows silently missing from --ownership private)
        named = {}
        for v in owns:  # (QCEW's codes beside names too: 'total' beside '5')
            to = ownership_name(v)
            if to is not None and to != v:
                named[v] = to
        if named:
            long = long.with_columns(pl.col("_ownership").replace(named))
    # periods
    periods = long.get_column("_period").unique().to_list()
    # (CBS StatLine's provisional periods, 2023* and 2023 1e kwartaal**: the period without its
    # star, its cells flagged p below; read as 2023 and reported, nothing said)
    statline = statline_periods(header, plan.period)
    starred = {p: s for p in periods if statline and p and (s := statline_provisional(p))}
    pmap = {p: (period_of(starred.get(p, p)) if p else None) for p in periods}
    unclear = unclear_periods(periods)
    financial: dict[str, str] = {}
    if unclear and (table.details.get("abs_time_series") or abs_table(table.titles)
                    or abs_dataflow(df, plan.ignored, header_map)):
        # the ABS's financial years (2018-19: July 2018 to June 2019) as the year they end,
        # as its annual time series date them (Jun-2019); said in a note (financial_years).
        # Its Data Explorer's SDMX-CSV (DATAFLOW ABS:...) too: no title names the ABS there,
        # and its TIME_PERIOD 2018-19 was refused as a fiscal year, where the workbook's is read
        financial = {k: abs_financial_year(k) for k, why in unclear.items()
                     if why == FISCAL_YEAR and abs_financial_year(k)}
        unclear = {k: v for k, v in unclear.items() if k not in financial}
        pmap.update(financial)
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
            sub = (plan.month or plan.quarter) and re.match(r"^(\S+) (.+)$", found)
            if sub and period_of(sub.group(1)) is not None:
                # the year's cell is sound, its month's (quarter's) is not: said of that
                # column ('2016 13' named the year's column, whose 2016 is fine)
                problems.append(Problem(
                    f"not a {'month' if plan.month else 'quarter'}", path=path, line=line,
                    column=plan.month or plan.quarter, found=sub.group(2),
                    expected=("a month: 1-12, M01, Jan, January, Januar, janvier, MONAT01, or "
                              "A / Annual / Jahr for the year's own row" if plan.month else
                              "a quarter: 1-4, Q1, Qtr 1, QUART1, or A / Annual for the year's own row")))
                continue
            problems.append(Problem(
                "not a period", path=path, line=line, column=plan.period or "--period",
                expected="a year like 2016, a quarter like 2016Q1 or a month like 2016M03", found=found))
    # a year headed as provisional ('2021 (p)'): the year, its cells flagged p (a flag column's
    # own flag, read below, wins), as Eurostat's provisional figures are; said in the notes
    mark_of = lambda p: PROVISIONAL_FLAG if p in starred else year_mark(p)  # noqa: E731
    in_cells = {p: v for p, v in pmap.items() if p and v and mark_of(p) and v != str(p).strip()}
    if in_cells:
        cell_marks = pl.col("_period").replace_strict({p: mark_of(p) for p in in_cells}, default=None,
                                                       return_dtype=pl.String)
        long = long.with_columns((pl.coalesce(pl.col("_mark"), cell_marks) if "_mark" in long.columns
                                  else cell_marks).alias("_mark"))
        provisional = {**provisional, **in_cells}
    if "_mark" in long.columns:
        mark = pl.col("_mark")
        # (a flag column's own flag, and a withheld cell's marker, win; an estimated year's
        # reported figures are the status estimated, as Eurostat's e)
        long = long.with_columns(
            [pl.when(mark.is_not_null() & pl.col(schema.flag_col(m)).is_null()).then(mark)
             .otherwise(pl.col(schema.flag_col(m))).alias(schema.flag_col(m))
             for m in measures if schema.flag_col(m) in long.columns]
            + [pl.when((mark == "e").fill_null(False) & (pl.col(schema.status_col(m)) == schema.REPORTED)
                       & pl.col(schema.flag_col(m)).is_null())
               .then(pl.lit(schema.ESTIMATED)).otherwise(pl.col(schema.status_col(m))).alias(schema.status_col(m))
               for m in measures if schema.flag_col(m) in long.columns and schema.status_col(m) in long.columns])
    long = long.with_columns(pl.col("_period").replace_strict(pmap, default=None, return_dtype=pl.String))
    # industries
    ind_values = long.get_column("_industry").unique().to_list()
    us_hint = bool({_norm(h) for h in header} & _US_HEADINGS)
    # a heading or title naming NACE Rev. 1.1 (nace_rev1_1, WZ 2003): never read as Rev. 2
    r11 = codes.nace_r11_cue(plan.industry, [*header, *(c for row in table.titles for c in row)],
                             ind_values, long.select("_industry", "_industry_name").unique().rows())
    options = _nace_r11_options(options, r11, path)
    options = _classification_column(df, col, plan, options)
    options = _two_digit_total_or_food(long, ind_values, options, us_hint, path, plan)
    ten_names = (long.filter(pl.col("_industry").str.strip_chars() == schema.ALL_INDUSTRIES)
                 .get_column("_industry_name").drop_nulls().unique().to_list()) \
        if schema.ALL_INDUSTRIES in ind_values else []
    mapping, cls, ind_details = _industry_mapping(
        ind_values, options, us_hint, ten_named=any(not codes.is_total(n) for n in ten_names), r11=r11,
        insee_table=bool({_norm(h) for h in header} & _INSEE_HEADINGS),
        susb=bool({_norm(h) for h in header} & SUSB_HEADINGS))
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
    # raised, not collected: with --on-error skip the other rows would be read as NAICS
    scian = (scian_problem(long, plan, header, table.titles, path, cls, options)
             + cnae_problem(long, plan, header, table.titles, path, cls, options))
    if scian:
        raise DataError(problems=scian)
    national = next((n for h in (plan.industry, plan.industry_name)
                     if (n := cjk_headings.national_classification(h)) is not None), None)
    if national and cls in (schema.NACE, schema.NAICS) and (options.classification or "auto").lower() == "auto":
        # e-Stat's 産業大分類 (JSIC) or a Chinese 行业代码 (GB/T 4754): letters and numbers like
        # NACE's that name other industries; read as NACE, e-Stat's E (manufacturing) was water
        # supply.  Raised, not collected, as the ones below
        first = long.filter(pl.col(schema.INDUSTRY).is_not_null()).sort(LINE).head(1)
        raise DataError(problems=[Problem(
            f"industry codes of {national}, not {cls}", path=path,
            line=first.get_column(LINE).item() if first.height else None, column=plan.industry,
            expected=f"{cls} codes to read as {cls}",
            found=f"heading {plan.industry or plan.industry_name!r}"
                  + (f", code {first.get_column('_industry').item()!r}" if first.height else ""),
            hint=f"{cjk_headings.NATIONAL_EXAMPLE[national]}: read the codes as they are with "
                 "--classification custom")])
    if (ten := ind_details.pop(CUSTOM_TEN, None)) is not None:
        # raised, not collected as the ones above: with --on-error skip the industry's rows
        # would be left out and the others read without a total
        first = long.filter(pl.col("_industry").is_in(ten)).sort(LINE).head(1)
        raise DataError(problems=[Problem(
            "a custom industry coded 10, clusterid's code for all industries", path=path,
            line=first.get_column(LINE).item(), column=plan.industry or plan.industry_name,
            expected="custom industry codes other than 10 (10 is read as each region's all-industry total)",
            found=first.get_column("_industry").item(),
            hint="give that industry another code (J10, say) before ingesting: read as the total, "
                 "its rows would be each region's total and every LQ's denominator")])
    if cls == schema.NACE and (options.classification or "auto").lower() == "auto":
        # raised, not collected: with --on-error skip the other rows would be read as NACE
        foreign = (_sections_named_otherwise(long, plan.industry or "industry", path)
                   + _anzsic_dataflow(df, plan.ignored, header_map, path)
                   + anzsic_named_problem(long, plan, table.titles, path))
        if foreign:
            raise DataError(problems=foreign)
    if cls == schema.NAICS:  # QCEW's domain and supersector rows (101, 1011 ...), as its adapter
        domain = pl.col(schema.INDUSTRY).is_in(sorted(_QCEW_DOMAINS)).fill_null(False)
        n_dom = long.filter(domain).height
        total = (pl.col(schema.LEVEL) == 0).fill_null(False)
        if n_dom and long.filter(~domain & ~total).height == 0 \
                and (options.classification or "auto").lower() == "auto":
            # nothing below the total but them (BLS's county high-level files, allhlcn: the
            # totals by ownership, the domains 101/102 and the supersectors 1011-1029): the
            # supersectors are read as the table's industries (custom: they are not NAICS codes),
            # the domains, sums of the supersectors, dropped -- dropped all, every LQ was 1
            ind_details["qcew_supersectors_as_industries"] = True
            dom = domain & pl.col(schema.INDUSTRY).is_in(["101", "102"])
            n_dom = long.filter(dom).height
            if n_dom:
                dropped[REASON_QCEW_DOMAIN] = dropped.get(REASON_QCEW_DOMAIN, 0) + n_dom
            long = long.filter(~dom).with_columns(
                pl.when(domain).then(pl.lit(schema.CUSTOM)).otherwise(pl.col(schema.CLASSIFICATION))
                .alias(schema.CLASSIFICATION))
        elif n_dom:
            long, problems = _drop_counted(long, domain, n_dom, REASON_DOMAIN, dropped, problems,
                                           path)
    if cls == schema.NACE:  # Eurostat's B-N_S95_X_K ... (SDMX-CSV of the SBS tables)
        from clusterid.io.readers.eurostat import _COMPOSITE, REASON_COMPOSITE

        composite = pl.col("_industry").str.strip_chars().str.to_uppercase().str.contains(
            _COMPOSITE.pattern).fill_null(False)
        n_comp = long.filter(composite).height
        if n_comp and n_comp < long.height:
            long, problems = _drop_counted(long, composite, n_comp, REASON_COMPOSITE, dropped,
                                           problems, path)
        # the LFS's NRP, no response (lfst_r_lfe2en2's SDMX-CSV), as the bulk TSV drops it
        from clusterid.io.readers.eurostat import NO_INDUSTRY, REASON_NO_INDUSTRY

        no_response = pl.col("_industry").str.strip_chars().str.to_uppercase().is_in(
            list(NO_INDUSTRY)).fill_null(False)
        n_nrp = long.filter(no_response).height
        if n_nrp and n_nrp < long.height:
            long, problems = _drop_counted(long, no_response, n_nrp, REASON_NO_INDUSTRY, dropped,
                                           problems, path)
    flag_details = {}
    if plan.flags:
        long, n_na = _drop_not_applicable(long, plan, measures)
        if n_na:
            from clusterid.io.readers.eurostat import REASON_NOT_APPLICABLE

            dropped[REASON_NOT_APPLICABLE] = dropped.get(REASON_NOT_APPLICABLE, 0) + n_na
        long, flag_details = _apply_flag_columns(long, plan, cls)
    if plan.conf:
        long = _apply_conf_status(long, measures)
    sidra_na = 0
    if sidra:  # SIDRA's '..', not applicable: no data, neither withheld nor 0
        long, n_na, sidra_na = _sidra_not_applicable(long, measures)
        if n_na:
            dropped[REASON_SIDRA_NOT_APPLICABLE] = dropped.get(REASON_SIDRA_NOT_APPLICABLE, 0) + n_na
    long, unflagged = _census_unflagged_zeros(long, plan)
    if unflagged:  # (warned of by ingest: a 0 read as withheld)
        flag_details["census_zeros_without_flag"] = unflagged
    # (a name column that is the code column too, NOMIS's INDUSTRY_NAME "10 : Manufacture of
    # food products" read as the industry: the name the label gives after its code, as for a
    # code column alone; it kept NOMIS's "10 : " prefix)
    same = plan.industry_name is not None and plan.industry_name == plan.industry
    names = (pl.col("_name_from_code"), pl.col("_industry_name")) if same else \
        (pl.col("_industry_name"), pl.col("_name_from_code"))
    long = long.with_columns(pl.coalesce(*names).alias(schema.INDUSTRY_NAME))
    # "10 Total, all industries" beside code 10 (QCEW titles): the name alone (and NOMIS's
    # INDUSTRY_NAME "10 : Manufacture of food products" beside its INDUSTRY_CODE 10 without
    # the colon: the name was ": Manufacture of food products")
    code_sp = pl.col("_industry") + pl.lit(" ")
    long = long.with_columns(
        pl.when(pl.col(schema.INDUSTRY_NAME).str.starts_with(code_sp).fill_null(False))
        .then(pl.col(schema.INDUSTRY_NAME).str.slice(code_sp.str.len_chars()).str.replace(r"^:\s+", ""))
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
    if summed:  # the column the quarters are read from, for annual_from_quarters to name
        out_cols.append(pl.lit(plan.quarter or plan.period or "period", pl.String).alias(MONTHS_SUMMED))
    out = long.select(out_cols)
    # (with --on-error skip, rows sharing a key are duplicates set aside in the rejects, as the
    # help says: this refused the whole table for two rows told apart by a note)
    told_apart = [] if getattr(options, "on_error", "fail") == "skip" else \
        _rows_told_apart_by_unread(out, df, plan, header_map, path)
    if told_apart:  # raised: each row of the pairs was otherwise a 'duplicate row' of its own
        raise DataError(problems=told_apart)
    details = dict(table.details)
    details.update(block_facts)
    if provisional:
        by_mark = {}
        for head, period in sorted(provisional.items()):
            by_mark.setdefault(PROVISIONAL_FLAG if head in starred or (statline_provisional(head) and statline_periods(header, None))
                               else year_mark(head), {})[head] = period
        if by_mark.get(PROVISIONAL_FLAG):
            details["provisional_periods"] = by_mark[PROVISIONAL_FLAG]
        if by_mark.get("e") or by_mark.get("r"):
            details["marked_periods"] = {h: [p, mk] for mk in ("e", "r") for h, p in by_mark.get(mk, {}).items()}
    if plan.period_from is None and not getattr(options, "period", None) and table.titles:
        # a title naming one year over a table whose own periods are of another: said
        where = ("headings name" if plan.wide_axis in ("period", "region_period") or plan.head_keys
                 else f"column {plan.period!r} holds" if plan.period else "periods are")
        clash = title_period_clash(table.titles, out.get_column(schema.PERIOD).unique().to_list(), where)
        if clash:
            details["title_period_clash"] = clash
    if as_nation is not None:  # (taken out by read(), which checks the tables together)
        details[_AS_NATION] = {path: as_nation[0]}
    if qwi_all_but_federal:
        details["qwi_a00_excludes_federal"] = True
    details.update({
        "layout": plan.layout, "wide_axis": plan.wide_axis,
        **({"region_from": plan.region_from} if plan.region_from else {}),
        **({"period_from": plan.period_from} if plan.period_from else {}),
        **({"region": list(plan.region_const)} if plan.region_const else {}),
        "columns": {k: v for k, v in (("region", plan.region), ("region_name", plan.region_name),
                                      ("industry", plan.industry), ("industry_name", plan.industry_name),
                                      ("period", plan.period), ("ownership", plan.ownership),
                                      ("region_level", plan.region_level)) if v},
        "measure_columns": dict(plan.measures) if plan.layout == "long" else {wide_measure(options, table.titles, path, plan): plan.value_cols},
        # an SDMX FREQ column is read (it says what dated periods stand for): not "not read"
        "ignored_columns": [h for h in plan.ignored if h not in (freq_col, mult_col, dguid, gss)]
        + list(table.details.get("share_columns_not_read") or ()) + unread_breakdowns,
        "decimal": decimal, "thousands": thousands,
        "classification": cls, **ind_details, **unit_details, **flag_details,
        **({"sidra_dash_zeros": sidra_zeros} if sidra_zeros else {}),
        **({"sidra_not_applicable": sidra_na} if sidra_na else {}),
        **({"sidra": True} if sidra else {}),
        **({"financial_years": {**table.details.get("financial_years", {}), **plan.financial_years, **financial}}
           if financial or plan.financial_years or table.details.get("financial_years") else {}),
        **({"ilostat_note": ilo_note} if ilo_note else {}),
        **({"one_part_read": one_part} if one_part else {}),
        **({"pxstat_code_columns": pxstat_renamed} if pxstat_renamed else {}),
        **({"flag_columns": dict(plan.flags)} if plan.flags else {}),
        **({"month_columns": list(plan.month_columns)} if plan.month_columns else {}),
        **({"region_key": "names"} if plan.region_by_name else {}),
        **({"breakdown_columns": {k: list(v) for k, v in plan.breakdowns.items()}} if plan.breakdowns else {}),
    })
    return out.lazy(), problems, dropped, details


# ---------------------------------------------------------------------------- adapter API


def _rows_told_apart_by_unread(out, df, plan, header_map, path) -> list:
    """A problem when rows that share a key (period, region, ownership, industry) differ in a
    column not read, which then tells them apart: the Central Statistics Office's PxStat CSV
    (Ireland) holds "Active Enterprises" and "Persons Engaged" under one ``VALUE`` column, told
    apart by ``STATISTIC`` / ``Statistic Label``, and each row was said as a 'duplicate row'
    (12 lines for 6 cells) without the column that made it one.  Said once, naming the column
    and its values, with what to do."""
    import polars as pl

    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.INDUSTRY]
    have = set(df.columns)  # (a list, rebuilt at each look: a header of 8,000 fields took 24 s here)
    unread = [(h, header_map.get(h, h)) for h in plan.ignored if header_map.get(h, h) in have]
    # (distinct hashes, one per row, prove the keys distinct: 55 ms on a million rows, where
    # the exact test took 280)
    if not unread or out.select(pl.struct(keys).hash().n_unique()).item() == out.height \
            or not out.select(pl.struct(keys).is_duplicated().any()).item():
        return []
    dup = out.filter(pl.struct(keys).is_duplicated()).select(*keys, LINE).join(
        df.select(LINE, *{c for _, c in unread}), on=LINE, how="left")
    apart = []
    for heading, c in unread:
        counts = dup.group_by(keys).agg(pl.len().alias("n"), pl.col(c).n_unique().alias("values"))
        # a measure or a breakdown labels several cells with each of its values ('Persons
        # Engaged' on every cell); a value on one row alone (R's row names 1, 2 ..., a note
        # 'corrected') tells two entries of one cell apart: a duplicate row, said as one
        if (counts.get_column("n") == counts.get_column("values")).all() \
                and dup.get_column(c).n_unique() < dup.height:
            apart.append((heading, c))
    if not apart:
        return []
    # the column of labels rather than codes where both tell the rows apart ("Statistic Label"
    # beside "STATISTIC"): its values say what the rows are
    heading, c = max(apart, key=lambda hc: dup.get_column(hc[1]).drop_nulls().str.len_chars().mean() or 0)
    values = dup.sort(LINE).get_column(c).unique(maintain_order=True).to_list()
    line = dup.sort(LINE).filter(pl.col(c) != values[0]).get_column(LINE).min()
    shown = ", ".join(repr(v) for v in values[:3]) + (" ..." if len(values) > 3 else "")
    return [Problem(
        "rows that share a key differ only in a column not read", path=path, line=line,
        column=heading, expected="one row per period, region, ownership and industry",
        found=shown, clip=False,
        hint="the column holds a measure or a breakdown clusterid does not read: keep the rows of "
             "one of its values (filter the file) and say what they measure with --measure")]


def sniff(header: list[str], first_bytes: bytes) -> bool:  # noqa: ARG001 - contract
    """The generic reader takes anything: it is the fallback of ``--format auto``."""
    return True


def _section_title_among_regions(df, column) -> tuple[int, str] | None:
    """``(line, title)`` of the first row whose region cell is a NACE section's title, in a
    column that holds regions too; None when there is none (or nothing else)."""
    import polars as pl

    if column not in df.columns:
        return None
    values = df.get_column(column).drop_nulls().unique().to_list()
    titles = [v for v in values if codes.section_of_title(v) is not None]
    if not titles or len(titles) == len(values):
        return None
    # a title twice under one region (each region's row above its sections'): that row
    seen: set = set()
    for line, v in df.select(LINE, column).sort(LINE).rows():
        if v not in titles:
            seen = set()
        elif v in seen:
            return int(line), " ".join(str(v).split())
        else:
            seen.add(v)
    first = df.filter(pl.col(column).is_in(titles)).sort(LINE).row(0, named=True)
    return int(first[LINE]), " ".join(str(first[column]).split())


def read_bytes(path: str, data: bytes, options):
    """One file's bytes -> ``(LazyFrame, problems, dropped, details, rows_read)``."""
    table = raw_table(path, data, options)
    try:
        lf, problems, dropped, details = read_table(table, options)
    except DataError as exc:
        if (again := _read_without_notes(path, data, table, options, exc.problems)) is not None:
            return again
        raise _naming_the_sheet(exc, path, table.details, options) from None
    if problems and (again := _read_without_notes(path, data, table, options, problems)) is not None:
        return again
    others = details.get("other_sheets_with_figures")
    if details.get("abs_time_series") and others and getattr(options, "sheet", None) is None:
        whole = _abs_data_sheets(path, data, options, [details["sheet"], *others], details)
        if whole is not None:
            return whole
    if details.get("industry_from") == "sheet name" and others and getattr(options, "sheet", None) is None:
        whole = _sheets_per_section(path, data, options, [details["sheet"], *others])
        if whole is not None:
            return whole
    elif others and getattr(options, "sheet", None) is None and details.get("sheet") is not None:
        whole = _sheets_per_year(path, data, options, [details["sheet"], *others], details)
        if whole is not None:
            return whole
    return lf, problems, dropped, details, (table.n_rows if table.n_rows is not None else len(table.rows))


NOTES_BELOW = "notes_below"  # a detail: the metadata note on the notes below a text table


def _read_without_notes(path: str, data: bytes, table: RawTable, options, problems):
    """:func:`read_bytes` of the text table ``data`` without the notes pasted below it
    ('Quelle: Statistisches Bundesamt; Stand 2024', 'Source: U.S. Census Bureau, 2016' in a
    comma-separated file: a row of two or three fields, which refused the table), for a read
    that failed or found bad rows (``problems``) on a line of them; None when it has no such
    notes (found by the rule the agency readers go by, :func:`rowcheck.note_lines`) or the
    read failed on other lines alone (a file that read before reads as it did).

    The notes are counted under dropped and named in the notes; a row cut short above them is
    still refused on its line.  The text is read again in the encoding found for the whole
    file (the rows without the notes, ASCII alone, would be taken for UTF-8).  A row of one
    filled cell under the table is a note of the table's own reading (:data:`REASON_NOTES`)
    and needs no retry."""
    import codecs
    import dataclasses

    encoding, sep = table.details.get("encoding"), table.details.get("separator")
    if not encoding or not sep or table.details.get("format"):
        return None  # a workbook, JSON, PC-Axis ...: no lines of text below a table
    raw = textmod.gunzip_if_needed(data, path)
    name = codecs.lookup(encoding).name
    if name in ("utf-16", "utf-32"):  # (encoding a part would put a byte-order mark before it)
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    start = max(len(lines) - 1000, 0)  # notes below a table are a few lines
    found = rowcheck.note_lines(lines[start:], len(table.header), sep)
    if found is None:
        return None
    first, notes = found
    notes = [(start + i + 1, cell) for i, cell in notes]
    if notes[0][0] <= (table.details.get("header_line") or 0):
        # "notes" from the header up (a file whose rows all end in a separator, so that none
        # is the header's width: the World Bank's WDI CSV under its "Data Source" line): no
        # notes below a table; cut there, the file was read again as its first lines alone and
        # refused for them ("no data rows under the header", "--skip-rows 4 skips the whole
        # file"), not for what was wrong
        return None
    if not {p.line for p in problems} & {line for line, _cell in notes}:
        return None
    below = "\n".join(lines[start + first:]).encode("utf-8" if name == "utf-8-sig" else encoding)
    if not raw.endswith(below):
        return None
    lf, problems, dropped, details, n = read_bytes(
        path, raw[:len(raw) - len(below)], dataclasses.replace(options, encoding=encoding))
    dropped = dict(dropped)
    details = dict(details, **{NOTES_BELOW: rowcheck.count_notes_below(notes, dropped, path)})
    return lf, problems, dropped, details, n + len(notes)


def _naming_the_sheet(exc, path: str, details: dict, options):
    """``exc`` with the sheet it was read from named, where a workbook's first sheet holding
    figures was taken and others hold figures too: a publication's contents sheet (its table
    and page numbers are figures) was read for the table and refused as "no region column
    recognised (found 'Таблица, Наименование, Стр.')", no word of the sheet or of --sheet."""
    import dataclasses

    others = details.get("other_sheets_with_figures")
    if not others or getattr(options, "sheet", None) is not None or not details.get("sheet"):
        return exc
    said = (f"read the sheet {details['sheet']!r}, the first holding figures; the workbook's "
            f"others with figures: {', '.join(repr(o) for o in others[:6])}"
            f"{' ...' if len(others) > 6 else ''}: give the table's with --sheet")
    problems = list(exc.problems)
    at = next((i for i, p in enumerate(problems) if p.path == path), None)
    if at is None:
        return exc
    first = problems[at]
    problems[at] = dataclasses.replace(first, hint=f"{first.hint}; {said}" if first.hint else said)
    return DataError(problems=problems)


# a sheet named by its year alone ("2021", "2021 год", "2021 г.", "2021 жыл", "Year 2021")
_YEAR_SHEET = re.compile(r"^\s*(?:year\s+|jahr\s+)?((?:19|20)\d{2})\s*(?:г\.?|год|жыл|year)?\s*$",
                         re.IGNORECASE)


def _sheets_per_year(path: str, data: bytes, options, sheets: list[str], first: dict):
    """A workbook of one sheet per year (stat.gov.kz's yearbook tables: sheets "2021", "2022",
    each the same table of that year) read whole, when every sheet holding figures is named by
    a year of its own and reads as the first does (the same columns, measures and layout) with
    periods no other sheet has: each sheet's rows keep the period they read with (a title's
    year, else the sheet's name).  Only the first sheet was read, the others named in a
    warning.  None where a sheet is not so (its name no year, another layout, a period another
    sheet has, or an error): then the first sheet alone is read and the others named, as
    before; problems name the sheet (``book.xlsx[2022]:5``)."""
    years = [_YEAR_SHEET.match(str(s)) for s in sheets]
    if None in years or len({m.group(1) for m in years}) < len(sheets):
        return None
    same = ("columns", "measure_columns", "layout", "wide_axis", "classification")
    periods: set = set()

    def fits(lf, det) -> bool:
        if any(det.get(k) != first.get(k) for k in same):
            return False
        mine = set(lf.select(schema.PERIOD).unique().collect().get_column(schema.PERIOD).to_list())
        if mine & periods:
            return False
        periods.update(mine)
        return True

    read = _read_sheets(path, data, options, sheets, fits, refused_declines=True)
    if read is not None:
        read[3]["sheets_per_year"] = sheets
    return read


_ABS_DATA_SHEET = re.compile(r"^Data\d+$")


def _abs_data_sheets(path: str, data: bytes, options, sheets: list[str], first: dict):
    """An ABS time series workbook whose series run on from ``Data1`` to ``Data2`` ... (the ABS
    splits a table of many series over several sheets; its Index lists each series' sheet),
    read whole: every ``DataN`` sheet of the same layout (an ABS time series sheet of the same
    measures and classification) joined to the first.  Only ``Data1`` was read, the others
    named in a warning.  Each series has one sheet, so the sheets' cells are disjoint; where
    they are not (a cell of one sheet again in another: a series repeated, or another series
    type of it), combining could count it twice: None, and the first sheet alone is read with
    the warning naming the others, as before.  Other sheets (Index, Inquiries) are never read."""
    data_sheets = [s for s in sheets if _ABS_DATA_SHEET.match(str(s))]
    if len(data_sheets) < 2 or data_sheets[0] != sheets[0]:
        return None
    keys = [schema.PERIOD, schema.REGION, schema.INDUSTRY, schema.OWNERSHIP]
    seen: list = []

    def fits(lf, det) -> bool:
        if not det.get("abs_time_series") or det.get("classification") != first.get("classification") \
                or set(det.get("measure_columns") or {}) != set(first.get("measure_columns") or {}):
            return False
        mine = lf.select([k for k in keys if k in lf.collect_schema().names()]).unique().collect()
        if any(mine.join(other, on=mine.columns, how="inner").height for other in seen):
            return False
        seen.append(mine)
        return True

    read = _read_sheets(path, data, options, data_sheets, fits, refused_declines=True)
    if read is None:
        return None
    # (the Index sheet is the series' catalogue: its figures, start dates and numbers of
    # observations, are no table; another sheet is still named in the warning)
    left = [s for s in sheets if s not in data_sheets and str(s).strip().lower() != "index"]
    if left:
        read[3]["other_sheets_with_figures"] = left
        read[3]["sheet"] = ", ".join(data_sheets)
    read[3]["abs_data_sheets"] = data_sheets
    return read


def _sheets_per_section(path: str, data: bytes, options, sheets: list[str]):
    """A workbook of one sheet per section (stat.gov.kz: sheets "Раздел A", "Раздел C" ...,
    each its oblasts down and years across, no industry column), read whole when every sheet
    holding figures names a section of its own: each sheet's rows are its section's, and
    problems name the sheet (``book.xlsx[Раздел C]:5``).  None when a sheet names no section
    or two name the same (then the first sheet is read alone and the others named, as in a
    workbook of one sheet per year)."""
    sections = [_section_of_sheet(s) for s in sheets]
    if None in sections or len(set(sections)) < len(sections):
        return None
    # a sheet with an industry column of its own: not this layout
    read = _read_sheets(path, data, options, sheets,
                        lambda lf, det: det.get("industry_from") == "sheet name")
    if read is None:
        return None
    details = read[3]
    details["industry_from"] = "sheet names"
    # every sheet's title read as its section, not the first sheet's alone (ingest says them)
    titled = {t: c for d in details["sheets"].values()
              for t, c in (d.get("sections_from_titles") or {}).items()}
    if titled:
        details["sections_from_titles"] = dict(sorted(titled.items()))
    return read


def _read_sheets(path: str, data: bytes, options, sheets: list[str], fits, *,
                 refused_declines: bool = False):
    """Every sheet of ``sheets`` read as a table of its own and the tables joined, for the
    workbook layouts of one sheet per year or per section: ``(frame, problems, dropped,
    details, rows)``, the first sheet's details with each sheet's under ``sheets``.  None as
    soon as ``fits(frame, details)`` says a sheet's table is not of the layout, or with
    ``refused_declines`` a sheet is refused (a DataError otherwise goes up)."""
    import dataclasses

    import polars as pl

    frames, problems, dropped, per_sheet, rows, labelled = [], [], {}, {}, 0, {}
    for sheet in sheets:
        opts = dataclasses.replace(options, sheet=sheet)
        try:
            table = raw_table(f"{path}[{sheet}]", data, opts)
            lf, probs, drop, det = read_table(table, opts)
        except DataError:
            if refused_declines:
                return None
            raise
        if not fits(lf, det):
            return None
        frames.append(lf)
        problems += probs
        for k, v in drop.items():
            dropped[k] = dropped.get(k, 0) + v
        labelled.update(det.pop(_AS_NATION, {}))
        per_sheet[sheet] = {k: v for k, v in det.items() if k != "other_sheets_with_figures"}
        rows += table.n_rows if table.n_rows is not None else len(table.rows)
    details = dict(per_sheet[sheets[0]])
    details.pop("sheet", None)
    details["sheets"] = per_sheet
    details.pop(_AS_NATION, None)
    if labelled:
        details[_AS_NATION] = labelled
    return pl.concat(frames, how="diagonal_relaxed"), problems, dropped, details, rows


QWI_A00_NOTE = ("QWI ownercode A00 (state and local government plus private ownership: the "
                "QWI leave federal jobs out) is read as 'ui-covered-excl-federal', not as the "
                "all-ownership total: --ownership ui-covered-excl-federal selects it, and "
                "--denominator all-ownership finds no total to divide by")


def read(paths: list[str], options):
    """The adapter entry point: every path through :func:`read_bytes`, concatenated."""
    import polars as pl

    from clusterid.io.ingest import AdapterResult, display_name

    frames, problems, dropped, details, rows, labelled = [], [], {}, {}, 0, {}
    below_notes: list[str] = []  # on the notes pasted below a text table, per file
    for p in paths:
        with open(p, "rb") as fh:
            data = fh.read()
        name = display_name(p)
        lf, probs, drop, det, n = read_bytes(name, data, options)
        if below := det.pop(NOTES_BELOW, None):
            below_notes.append(below)
        frames.append(lf)
        problems += probs
        for k, v in drop.items():
            dropped[k] = dropped.get(k, 0) + v
        labelled.update(det.pop(_AS_NATION, {}))
        details[name] = det
        rows += n
    frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    if MONTHS_SUMMED in frame.collect_schema().names():
        # --month annual over tables of a quarter's three months (BLS's allhlcnYYQ.xlsx): the
        # year's quarters, from all the files together, as one annual average
        frame = annual_from_quarters(frame, problems)
    notes = below_notes
    for name, d in details.items():
        if isinstance(d, dict) and d.get("provisional_periods"):
            notes.append(f"{name}: provisional, their cells flagged p: " + ", ".join(
                f"period {v} (headed {k!r})" for k, v in d["provisional_periods"].items()))
        if isinstance(d, dict) and d.get("marked_periods"):
            notes.append(f"{name}: years headed as estimated (their cells flagged e, status estimated) "
                         "or revised (flagged r): " + ", ".join(
                             f"period {p} (headed {k!r}) flagged {mk}" for k, (p, mk) in d["marked_periods"].items()))
        if isinstance(d, dict) and d.get("financial_years"):
            notes.append(f"{name}: {financial_years_said(d['financial_years'])}")
        if isinstance(d, dict) and d.get("sidra"):
            said = [f"{d['sidra_dash_zeros']} cells '-' read as reported 0 (SIDRA's sign for a true zero)"] \
                if d.get("sidra_dash_zeros") else []
            if d.get("sidra_not_applicable"):
                said.append(f"{d['sidra_not_applicable']} cells '..' (not applicable) kept without a value "
                            "or status beside another measure's figure")
            notes.append(f"{name}: IBGE SIDRA table: " + "; ".join(
                said + ["'..' not applicable: no data (rows of it dropped, counted), never imputed nor 0; "
                        "'...' not available and 'X' withheld: suppressed"]))
    if any(isinstance(d, dict) and d.get("qwi_a00_excludes_federal") for d in details.values()):
        notes.append(QWI_A00_NOTE)
    frame = _one_nation(frame, labelled, notes)
    by_name = [p for p, d in details.items() if isinstance(d, dict) and d.get("region_key") == "names"]
    if by_name:
        frame, note, more = _merge_name_spellings(frame, by_name, details)
        notes += [note] if note else []
        problems += more
    return AdapterResult(frame=frame, adapter=NAME, rows_read=rows, dropped=dropped,
                         problems=problems, details=details, notes=notes)


def _merge_name_spellings(frame, paths, details):
    """Regions keyed by their names (no code column, in ``paths``) whose names differ only in
    case or spaces ('Almaty' in one file of a glob, 'ALMATY ' in the next) made one region:
    ``(frame, note, problems)``.  Each is spelt as most of its rows spell it (the first spelling
    read on a tie); the spellings merged are recorded in the ``details`` of the files that used
    them (``region_spellings_merged``).  Two spellings that both carry one cell (period,
    ownership, industry) are not merged -- one region written twice, or two regions? -- and
    each such row is a problem, with its line.  Codes are never merged: only ``paths``' rows."""
    import polars as pl

    keyed = pl.col(SOURCE).is_in(paths)
    folded = pl.col(schema.REGION).str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()
    order = {p: i for i, p in enumerate(paths)}
    seen = (frame.filter(keyed & pl.col(schema.REGION).is_not_null())
            .group_by(schema.REGION)
            .agg(pl.len().alias("n"), pl.col(SOURCE).replace_strict(order, return_dtype=pl.Int64)
                 .min().alias("file"), pl.col(LINE).min().alias("line"))
            .with_columns(folded.alias("fold"))
            .filter(pl.col(schema.REGION).n_unique().over("fold") > 1)
            .sort(["fold", "n", "file", "line"], descending=[False, True, False, False])
            .collect())
    if seen.height == 0:
        return frame, None, []
    spelt = {}  # variant -> the spelling kept
    for fold in seen.get_column("fold").unique(maintain_order=True).to_list():
        spellings = seen.filter(pl.col("fold") == fold).get_column(schema.REGION).to_list()
        spelt.update({v: spellings[0] for v in spellings[1:]})
    keys = [schema.PERIOD, schema.OWNERSHIP, schema.INDUSTRY]
    cells = (frame.filter(keyed & pl.col(schema.REGION).is_in(list(spelt) + list(set(spelt.values()))))
             .select(*keys, schema.REGION, SOURCE, LINE)
             .with_columns(pl.col(schema.REGION).replace(spelt).alias("_as"))
             .collect())
    clash = (cells.group_by([*keys, "_as"])
             .agg(pl.col(schema.REGION).n_unique().alias("spellings"))
             .filter(pl.col("spellings") > 1))
    problems = []
    if clash.height:
        both = cells.join(clash.select([*keys, "_as"]), on=[*keys, "_as"], how="semi", nulls_equal=True)
        refused = set(both.get_column("_as").to_list())
        for row in both.filter(pl.col(schema.REGION) != pl.col("_as")).sort([SOURCE, LINE]).iter_rows(named=True):
            first = both.filter((pl.col("_as") == row["_as"]) & (pl.col(schema.REGION) == row["_as"])
                                ).sort([SOURCE, LINE]).row(0, named=True)
            problems.append(Problem(
                "two spellings of one region name hold the same cell", path=row[SOURCE],
                line=row[LINE], column=details[row[SOURCE]].get("columns", {}).get("region"),
                expected="one spelling per region (a name written alike on every row), or "
                         "distinct names for distinct regions; or a region code column",
                found=f"{row[schema.REGION]!r} beside {row['_as']!r} ({first[SOURCE]}:{first[LINE]}) "
                      f"for {row[schema.PERIOD]} {row[schema.INDUSTRY]}"))
        spelt = {v: k for v, k in spelt.items() if k not in refused}
    if not spelt:
        return frame, None, problems
    frame = frame.with_columns(pl.when(keyed).then(pl.col(schema.REGION).replace(spelt))
                               .otherwise(pl.col(schema.REGION)).alias(schema.REGION))
    used = cells.filter(pl.col(schema.REGION).is_in(list(spelt)))
    for path in paths:
        mine = used.filter(pl.col(SOURCE) == path)
        if mine.height:
            merged: dict[str, list[str]] = {}
            for v in sorted(set(mine.get_column(schema.REGION).to_list())):
                merged.setdefault(spelt[v], []).append(v)
            details[path]["region_spellings_merged"] = dict(sorted(merged.items()))
    groups: dict[str, list[str]] = {}
    for v, k in spelt.items():
        groups.setdefault(k, []).append(v)
    shown = "; ".join(f"{', '.join(map(repr, sorted(vs)))} -> {k!r}" for k, vs in sorted(groups.items())[:5])
    more = f" (and {len(groups) - 5} more)" if len(groups) > 5 else ""
    note = (f"region names that differ only in case or spaces are one region (the names are the "
            f"regions' key: no code column): {shown}{more}")
    return frame, note, problems


def _insee_bdm(header, df, names) -> bool:
    """The table is an INSEE BDM download: "Libellé" heads its first column and the next rows
    are the series' "idBank" and "Période" rows."""
    import polars as pl

    if not header or _norm(header[0]) != "libelle" or df.height == 0:
        return False
    first = df.get_column(df.columns[0]).head(5).cast(pl.String).to_list()
    return any(_norm(v or "") == "idbank" for v in first)


# headings only INSEE's files have (Melodi's GEO_OBJECT, the local files' CODGEO and LIBGEO):
# their activity codes are INSEE's (BE is B to E there, not ONS's run of B and E)
_INSEE_HEADINGS = {"geo_object", "codgeo", "libgeo"}


def _level_the_total(long, is_total):
    """A kept region-total row ("Республика Казахстан", "Deutschland" above its regions) gets
    region level ``nation``, the level KATO's republic (000000000) and QCEW's US000 have, so lq,
    indices and detect sum the regions per level and do not count the country with its own
    parts; impute then links the regions to it (:mod:`clusterid.core.bounds`).  Only one total
    region, labelled like the rest or not at all, in a table without a nation already: two
    totals ("Bayern insgesamt", "Sachsen insgesamt") are no country, and are left as they are."""
    import polars as pl

    totals = long.filter(is_total)
    if totals.height == 0:
        return long, None
    name = pl.coalesce(pl.col("_region"), pl.col("_region_name"))
    if totals.select(name.n_unique()).item() != 1:
        return long, None
    others = set(long.filter(~is_total).get_column("_region_level").unique().to_list())
    was = set(totals.get_column("_region_level").unique().to_list())
    if "nation" in others or not was <= others | {None} or len(was) != 1:
        return long, None
    return (long.with_columns(pl.when(is_total).then(pl.lit("nation", pl.String))
                              .otherwise(pl.col("_region_level")).alias("_region_level")),
            (was.pop(),))


_QWI_GEO_LEVELS = {"N": "nation", "S": "state", "C": "county", "M": "msa", "W": "wib"}
# BLS's OEWS files' AREA_TYPE: 1 U.S., 2 state, 3 U.S. territory, 4 metropolitan statistical
# area, 6 nonmetropolitan area (a state's balance); a territory is a state's peer
_OEWS_AREA_TYPES = {"1": "nation", "2": "state", "3": "state", "4": "msa", "6": "nonmetro"}
# ISTAT's industry dimension in its SDMX dataflows and its I.Stat exports (ATECO 2007, NACE
# Rev. 2 with ISTAT's own aggregate codes: 0010 the total; I.Stat's beside its label
# "totale" too, but read alone, --industry-col ATECO_2007, it was 'not a NACE industry code')
_ISTAT_ATECO_HEADINGS = {"econ_activity_nace_2007", "ateco_2007"}
# (their A*38 codes, CA, JB ..., are runs of divisions: codes.ISTAT_A38)
_ISTAT_A38_HEADINGS = _ISTAT_ATECO_HEADINGS
REASON_ISTAT_A38 = "ATECO A*38 rows of one division listed beside that division (CD beside 19: the same cells)"


def _istat_a38(long, dropped: dict):
    """ISTAT's ATECO 2007 column with its A*38 codes (CA, CM, JA ...) read as the runs of
    divisions they are (CA = C10-C12); one of a single division (CD = C19) listed beside that
    division is the same cell twice: its rows are dropped and counted in ``dropped``."""
    import polars as pl

    raw = pl.col("_industry").str.strip_chars().str.to_uppercase()
    a38 = raw.is_in(list(codes.ISTAT_A38)).fill_null(False)
    if not long.filter(a38).height:
        return long
    written = {codes.normalize(v, schema.NACE) for v in long.filter(~a38).get_column("_industry").drop_nulls().unique()}
    twice = [k for k, v in codes.ISTAT_A38.items() if v in written]
    if twice:
        gone = a38 & raw.is_in(twice)
        dropped[REASON_ISTAT_A38] = dropped.get(REASON_ISTAT_A38, 0) + long.filter(gone).height
        long = long.filter(~gone)
    return long.with_columns(pl.when(a38).then(raw.replace(codes.ISTAT_A38)).otherwise(pl.col("_industry"))
                             .alias("_industry"))
# details key: {source: the level its kept total had} for the tables whose total got 'nation'
# Census's columns splitting a total into parts (data.census.gov, the API): what one part is
# (American FactFinder's downloads name them EMPSZES.id, LFO.id)
_CENSUS_PART_COLUMNS = {"empszes": "employment-size class", "lfo": "legal form"}


def _parts_share_keys(long, column: str) -> bool:
    """Whether two categories of the breakdown ``column`` hold the same cell (region, industry,
    period ...): rows that are parts of one total, never cells of their own."""
    import polars as pl

    keys = [c for c in ("_region", "_region_name", "_industry", "_industry_name", "_period",
                        "_ownership", "_column") if c in long.columns]
    if not keys:
        return False
    n = long.group_by(keys).agg(pl.col(column).n_unique().alias("n")).get_column("n").max()
    return bool(n is not None and n > 1)
_AS_NATION = "\x00region_total_as_nation"


def _one_nation(frame, labelled: dict, notes: list):
    """Tables read together (a glob, a workbook's sheets) whose kept totals got level
    ``nation`` each on its own (:func:`_level_the_total`): when the whole holds more than one
    nation region ("Bayern insgesamt" in one file, "Sachsen insgesamt" in the next, or a total
    beside another table's KATO republic), those totals are no one country and go back to the
    level they had, as two totals of one table stay."""
    import polars as pl

    if not labelled:
        return frame
    nations = (frame.filter(pl.col(schema.REGION_LEVEL) == "nation").select(schema.REGION)
               .unique().collect().get_column(schema.REGION).sort().to_list())
    if len(nations) < 2:
        return frame
    level = pl.col(schema.REGION_LEVEL)
    for source, was in labelled.items():
        back = (pl.col(SOURCE) == source) & (level == "nation")
        frame = frame.with_columns(pl.when(back).then(pl.lit(was, pl.String)).otherwise(level)
                                   .alias(schema.REGION_LEVEL))
    shown = ", ".join(map(repr, nations[:5])) + (f" (and {len(nations) - 5} more)" if len(nations) > 5 else "")
    notes.append(f"kept region totals of several tables are no one country: {shown} keep "
                 "their tables' region level, not 'nation'")
    return frame
