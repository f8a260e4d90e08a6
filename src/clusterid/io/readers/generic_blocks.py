"""A report's layout for the generic reader (:mod:`.generic`): blocks of rows under headings.

Yearbook sheets name a region or year once, on the first row of its block or on a row of its
own above the block, and put "в том числе:" / "davon:" lines between a total and its parts.
:func:`_report_blocks` fills such names down within their block (``filled_down``), takes a
heading row as the region or period of the rows below it (``block_headings``; two levels:
oblast and district), and drops and counts note and 'of which' lines -- each only where the
layout is unmistakable, else refused on the line that makes it ambiguous.  Imports
:mod:`.generic_headings`, :mod:`.generic_raw`, :mod:`.generic_plan` and :mod:`.generic_post`.
"""

from __future__ import annotations

import re

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import DataError, Problem
from clusterid.io.readers import excel
from clusterid.io.readers.generic_headings import (LOWER_LEVEL, REGION_PARENT_SEP, UPPER_LEVEL, _CITY,
                                                   _FOOTNOTE_MARK, _LOWER_WORDS, _TOP_CITIES, period_of)
from clusterid.io.readers.generic_plan import _is_industry_heading, _is_region_name_heading, is_region_total_name
from clusterid.io.readers.generic_post import title_unit
from clusterid.io.readers.generic_raw import LINE, _is_upper_name

REASON_NOTES = "note rows under the table (one filled cell)"
REASON_OF_WHICH = "'of which' lines between a total and its parts (в том числе:, davon:)"
REASON_HEADINGS = "block heading rows (a region, year or industry named above its rows)"
_BLOCK_REGION = "\x00block_region"  # the cell frame's column of regions taken from headings
_HEADING_COLUMN = "region (heading rows)"  # ... and its name in messages and metadata
_BLOCK_REGION_NAME = "\x00block_region_name"  # two levels of headings: the district's own name
_BLOCK_LEVEL = "\x00block_region_level"  # ... and its level (oblast, district)
_HEADING_NAME_COLUMN = "region name (heading rows)"
_HEADING_LEVEL_COLUMN = "region level (heading rows)"
_BLOCK_PERIOD = "\x00block_period"  # the same for a year on a row of its own
_PERIOD_HEADING_COLUMN = "period (heading rows)"
_BLOCK_INDUSTRY = "\x00block_industry"  # ... and for an industry section's title above its regions
_INDUSTRY_HEADING_COLUMN = "industry (heading rows)"
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
        if words and _titles_of_sections(words) and not any(
                _section_of_heading(v) is not None for _ln, v in inside) \
                and _mostly_region_names([v for _ln, v in inside]):
            # every industry a NACE section's title, each a different one (a stat.gov.kz
            # yearbook: "Акмолинская область" above "Сельское, лесное и рыбное хозяйство",
            # "Обрабатывающая промышленность" ...), no heading one: the headings are regions
            words = []
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


def _section_of_heading(value) -> str | None:
    """The industry a row of one cell names as a yearbook's section heading: a NACE section or
    aggregate by code ("Раздел C Обрабатывающая промышленность", "C", "B-E") or by title alone
    ("Обрабатывающая промышленность", "Өңдеу өнеркәсібі", "Manufacturing"), or all industries
    ("Всего"); None for anything else."""
    text = " ".join(str(value or "").split())
    if not text:
        return None
    if codes.is_total(text):
        return schema.ALL_INDUSTRIES
    code, _name = codes.split_label(text)
    code = codes.normalize(code, schema.NACE) or code
    if re.fullmatch(r"[A-U](?:-[A-U])?", code):
        return code
    return codes.section_of_title(text)


def _titles_of_sections(values) -> bool:
    """Whether every value names a NACE section (or aggregate) by its title, or all
    industries, no two the same section (:func:`clusterid.core.codes.section_of_title`)."""
    found = [codes.section_of_title(v) for v in values if not codes.is_total(v)]
    return bool(found) and None not in found and len(set(found)) == len(found)


def _mostly_region_names(names) -> bool:
    """Whether most ``names`` are named as regions are (область, г., республика, a country's
    name, a capital: Almaty, Astana, Москва).  A table of one region whose sections are grouped under "Производство товаров" and
    "Производство услуг" (goods, services), or under "Городская местность" and "Сельская
    местность" (urban, rural), has the shape of regions over their sections, and its groups
    were read as regions."""
    names = [" ".join(str(v).split()) for v in names]
    return 2 * sum(_is_region_name_heading(v) or is_region_total_name(v) or bool(_TOP_CITIES.fullmatch(v))
                   for v in names) >= len(names)


def _regions_with_their_sections(df, column) -> list[tuple[int, str]] | None:
    """The rows of a column that mixes regions and NACE section titles, each region's row
    carrying its all-industries figures and its sections' rows under it (a stat.gov.kz or
    Rosstat yearbook table: "Акмолинская область;1700;1750", then "Сельское, лесное и рыбное
    хозяйство;300;315" ...): ``(line, name)`` of each region's row, when the first row is a
    region, every region's row is a short name followed by rows of section titles, no title
    twice under one region, and every title names a section of its own
    (:func:`_titles_of_sections`).  None for any other column."""
    import polars as pl

    # (each distinct cell looked at once: the column of a large table holds few)
    values = df.get_column(column).drop_nulls().unique().to_list()
    if len(values) > 2000:
        return None
    titles = {v for v in values if codes.is_total(" ".join(str(v).split()))
              or codes.section_of_title(" ".join(str(v).split())) is not None}
    if not titles or len(titles) == len(values):
        return None
    cells = [(ln, v) for ln, v in df.select(LINE, pl.col(column)).sort(LINE).rows()]
    titled = [v in titles for _ln, v in cells]
    cells = [(ln, " ".join(str(v or "").split())) for ln, v in cells]
    if not cells or titled[0] or all(titled):
        return None
    regions = [(ln, v) for (ln, v), t in zip(cells, titled) if not t]
    if any(not _heading_like(v) for _ln, v in regions) or len({v for _, v in regions}) < len(regions):
        return None
    if not _mostly_region_names([v for _ln, v in regions]):
        return None
    blocks: list[list[str]] = []
    for (_ln, v), t in zip(cells, titled):
        if t:
            blocks[-1].append(v)
        else:
            blocks.append([])
    if any(not b or len(set(b)) < len(b) for b in blocks):
        return None
    return regions if _titles_of_sections({v for b in blocks for v in b}) else None


def _section_of_sheet(name) -> str | None:
    """The industry a sheet's name names: as a heading row would (:func:`_section_of_heading`),
    or as an official Russian section title cut at Excel's 31 characters
    (:func:`clusterid.core.codes.section_of_cut_title`: a workbook naming its sheets by title
    cannot name them whole)."""
    found = _section_of_heading(name)
    if found is None and (cut := codes.section_of_cut_title(name)) is not None:
        found = cut[0]
    return found


def _sheet_industry(name) -> str:
    """The industry cell of the rows of a sheet named by its section: its name, blanks
    collapsed, or the whole title a cut one begins (read as that title, and kept as the
    industry's name)."""
    cut = codes.section_of_cut_title(name)
    if cut is not None and _section_of_heading(name) in (None, cut[0]):
        return cut[1]
    return " ".join(str(name).split())


def _section_headings(df, inside, region, header0, path):
    """The rows of one cell between the data rows of a table whose first column holds its
    regions and which has no industry column, when they are unmistakably the industry of the
    rows below each (a stat.gov.kz yearbook table: "Сельское, лесное и рыбное хозяйство" on a
    row of its own, the oblasts under it, then "Обрабатывающая промышленность" ...): each names
    one NACE section or all industries, no two the same, the first above the first data row,
    each followed by data rows of regions the other blocks have too.  None when no such row
    names a section (not this layout); else refused, located, where one of these fails."""
    lines = df.get_column(LINE)
    first = lines.min()
    # a remark above the first block ("Stand: 30.06.2020", "Источник: ..."): a note row
    inside = [(ln, v) for ln, v in inside
              if not (ln < first and _NOTE_LINE.match(" ".join(str(v).split())))]
    named = [(ln, v, _section_of_heading(v)) for ln, v in inside]
    if not any(s not in (None, schema.ALL_INDUSTRIES) for _, _, s in named):
        return None
    layout = ("a report layout: an industry section's title on a row of its own above the rows "
              "of its regions")
    hint = "give the industry on each row (an industry column)"
    problems = []
    if first < named[0][0]:
        problems.append(Problem(
            "data rows above the first industry heading", path=path, line=int(first),
            column=header0, expected=layout + ", with a heading above the first block",
            found=", ".join(f"{v!r} (line {ln})" for ln, v, _ in named[:3]), hint=hint))
    seen: dict[str, int] = {}
    blocks = []
    for (ln, v, sec), nxt in zip(named, [n[0] for n in named[1:]] + [lines.max() + 1]):
        v_ = " ".join(str(v).split())
        rows = df.filter(pl_between(ln, nxt))
        if sec is None:
            problems.append(Problem(
                "a row of one cell between the data rows that names no industry section",
                path=path, line=ln, column=header0, expected=layout + " (a NACE section's code or "
                "title, or Всего / Total)", found=v_[:60],
                hint="a footnote belongs under the table; " + hint))
        elif sec in seen:
            problems.append(Problem(
                "an industry heading given twice", path=path, line=ln, column=header0,
                expected=layout + ", each section once",
                found=f"{v_!r} (section {sec}, as at line {seen[sec]})", hint=hint))
        elif rows.height == 0:
            problems.append(Problem(
                "an industry heading with no rows under it", path=path, line=ln, column=header0,
                expected=layout, found=v_[:60],
                hint="headings of two levels (a section over its divisions) are not read; " + hint))
        if sec is not None:
            seen.setdefault(sec, ln)
        cells = set(rows.get_column(region).drop_nulls().str.strip_chars().to_list()) - {""}
        blocks.append((ln, v_, cells))
    if len(blocks) >= 2 and not problems:
        for i, (ln, v_, cells) in enumerate(blocks):
            others = set().union(*(b[2] for j, b in enumerate(blocks) if j != i))
            if cells and not cells & others:
                problems.append(Problem(
                    "an industry heading whose rows share no region with the other blocks",
                    path=path, line=ln, column=header0, expected=layout + ", each section over "
                    "the same regions", found=f"{v_!r} over {', '.join(sorted(cells)[:3])}",
                    hint=hint))
    if problems:
        raise DataError(problems=problems)
    return [(ln, v) for ln, v, _ in named]


def _texts(headings) -> list[str]:
    """The text of each ``(line, value)`` heading, its blanks collapsed."""
    return [" ".join(str(v).split()) for _, v in headings]


def _under_headings(df, blocks: dict):
    """``df`` with the columns of ``blocks`` (``LINE`` and text columns, one entry per heading):
    each row takes the values of the nearest heading above it."""
    import polars as pl

    frame = pl.DataFrame(blocks, schema={c: pl.Int64 if c == LINE else pl.String for c in blocks})
    return df.join_asof(frame.sort(LINE), on=LINE, strategy="backward")


def pl_between(start: int, end: int):
    """Expression: the rows between two lines (neither included)."""
    import polars as pl

    return pl.col(LINE).is_between(start, end, closed="none")


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

    have = set(df.columns)  # (df.columns is a list built at each look)
    cols = [c for c in cols if c in have]
    if not cols or df.height < 2:
        return df, {}
    if df.height > 2 and all(not str(df.get_column(c)[0] or "").strip() for c in cols) \
            and all(str(df.get_column(c)[1] or "").strip() for c in cols):
        # a row of units under the header, every key blank (GENESIS's ";;Anzahl" under the
        # reference days, said as a units row later): the blocks start on the row below it
        rest, filled = _fill_down(df.slice(1), cols, display, outer)
        return pl.concat([df.slice(0, 1), rest], how="vertical"), filled
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
        # (a failed formula's '#REF!' is carried to no row: said on its own line, the rows
        # under it left empty)
        took = ~f & new.is_not_null() & ~new.str.contains(excel.SPREADSHEET_ERROR_CELL).fill_null(False)
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
    if first_col is not None and plan.region_const is None and not plan.head_keys and (
            (plan.region is None and plan.region_from is None and plan.industry is not None
             and col(plan.industry) == first_col)
            or (plan.industry is None and plan.wide_axis != "industry" and plan.region is not None
                and col(plan.region) == first_col)) \
            and (regions := _regions_with_their_sections(df, first_col)):
        # each region's row with its total above its sections' rows, in one column: the
        # region of the rows below it, and its own row the region's all-industries figures
        df = _under_headings(df, {LINE: [ln for ln, _ in regions], _BLOCK_REGION: _texts(regions)})
        df = df.with_columns(pl.when(pl.col(LINE).is_in([ln for ln, _ in regions]))
                             .then(pl.lit("Всего")).otherwise(pl.col(first_col)).alias(_BLOCK_INDUSTRY))
        plan.region, plan.region_from = _HEADING_COLUMN, "heading rows"
        plan.industry = _INDUSTRY_HEADING_COLUMN
        facts.update({"region_heading_column": _HEADING_COLUMN,
                      "industry_heading_column": _INDUSTRY_HEADING_COLUMN,
                      "regions_over_their_sections": len(regions)})
    years = [(ln, v) for ln, v in inside if period_of(" ".join(str(v).split())) is not None]
    if not (years and plan.period is None and plan.layout == "long" and not plan.head_keys
            and not getattr(options, "period", None)):
        # a year on a row of its own between data rows where the period comes from no column
        # (a title's year, --period, a wide table by industry): the rows under it are of that
        # year -- two yearbook tables one under the other -- and read as a note, they took the
        # first one's year; refused, as other rows that could be something else are
        between = [(ln, v) for ln, v in years if first < ln]
        if between and plan.period is None and plan.wide_axis not in ("period", "region_period"):
            raise DataError(problems=[Problem(
                "a year on a row of its own between data rows", path=path, line=ln,
                column=header[0], expected="the rows of one year (the rows under it would be read "
                "as the title's or --period's year)", found=" ".join(str(v).split()),
                hint="split the file at this line, one table per year, or give the year on each row")
                for ln, v in between])
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
        df = _under_headings(df, {LINE: [ln for ln, _ in years], _BLOCK_PERIOD: _texts(years)})
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
            blocks = {LINE: [ln for ln, _ in regions], _BLOCK_REGION: _texts(regions)}
            two = _two_level_headings(regions, path, header[0])
            if two:  # oblasts and their districts: the district's key names its oblast
                blocks = {LINE: blocks[LINE], _BLOCK_REGION: [two[ln][0] for ln, _ in regions],
                          _BLOCK_REGION_NAME: [two[ln][1] for ln, _ in regions],
                          _BLOCK_LEVEL: [two[ln][2] for ln, _ in regions]}
                plan.region_name, plan.region_level = _HEADING_NAME_COLUMN, _HEADING_LEVEL_COLUMN
                facts["region_heading_levels"] = {
                    lv or "total": sum(1 for v in two.values() if v[2] == lv)
                    for lv in sorted({v[2] for v in two.values()}, key=str)}
            df = _under_headings(df, blocks)
            plan.region = _HEADING_COLUMN
            plan.region_from = "heading rows"
            facts["region_heading_column"] = _HEADING_COLUMN
    elif inside and plan.industry is None and plan.wide_axis != "industry" \
            and plan.region is not None and col(plan.region) == first_col \
            and plan.region_const is None \
            and (sections := _section_headings(df, inside, col(plan.region), header[0], path)):
        # an industry section's title above the rows of its regions (a stat.gov.kz yearbook
        # table of oblasts by section): an industry column from the headings
        heads += sections
        df = _under_headings(df, {LINE: [ln for ln, _ in sections], _BLOCK_INDUSTRY: _texts(sections)})
        plan.industry = _INDUSTRY_HEADING_COLUMN
        facts["industry_heading_column"] = _INDUSTRY_HEADING_COLUMN
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
    have = set(df.columns)  # (a wide table's value columns: thousands; df.columns a list built at each look)
    values = [c for c in values if c in have]
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
