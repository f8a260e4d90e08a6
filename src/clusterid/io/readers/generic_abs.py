"""The ABS's time series spreadsheets ("Data1" sheets) for the generic reader.

Every time series workbook of the Australian Bureau of Statistics (Labour Force 6202.0 and
6291.0.55.001, National Accounts 5206.0 ...) has one layout: a row of series descriptions,
each the series' dimensions joined by ``;`` (``> New South Wales ;  Manufacturing ;
Employed total ;``, a ``>`` per level of a hierarchy), nine rows of metadata under it
(``Unit``, ``Series Type``, ``Data Type``, ``Frequency``, ``Collection Month``, ``Series
Start``, ``Series End``, ``No. Obs``, ``Series ID``), then a row per date (the first day of
the period's month in column A), one column per series.  Read as a wide table, the
descriptions were headings no reader knows (refused as two industry columns, or worse).

Rebuilt here as the table it stands for, the layout of the ABS's data cubes (which the
generic reader knows): a period column headed by the frequency (``Quarter``: a date is the
quarter holding it), a column per dimension of the descriptions (``State and territory``,
``Sex``, ``Industry``), and a column per measure headed with its unit (``Employed total
('000)``, scaled as the data cubes' are).  Where a workbook holds a series in several series
types (``Original``, ``Seasonally Adjusted``, ``Trend``), the original series are read and the
others named as columns not read.
"""

from __future__ import annotations

import re

from clusterid.core import codes
from clusterid.errors import DataError, Problem
from clusterid.io.readers.generic_headings import role_of

_META = {"unit", "series type", "data type", "frequency", "collection month", "series start",
         "series end", "no. obs", "series id"}
_SEX = {"persons", "males", "females"}
# the ABS's states and territories and the nation; greater capital cities and the rest of each
# state are the ABS's GCCSA regions
_REGIONS = {"australia", "new south wales", "victoria", "queensland", "south australia",
            "western australia", "tasmania", "northern territory", "australian capital territory"}
_GCCSA = re.compile(r"^(?:greater |rest of )\S", re.IGNORECASE)
_MEASURE_ROLES = {"employment", "establishments", "wages", "output"}
_MEASURE_WORDS = re.compile(r"(?i)\b(?:hours|number of|\$|employed|unemployed|labour force)\b")
ORIGINAL = "original"


def _txt(c) -> str:
    return "" if c is None else str(c).strip()


def _parts(description: str) -> list[str]:
    return [p.strip().lstrip(">").strip() for p in description.split(";") if p.strip()]


def _kind_of(part: str) -> str:
    low = part.lower()
    if low in _SEX:
        return "Sex"
    if low in _REGIONS or _GCCSA.match(part):
        return "State and territory"
    if (role_of(part) in _MEASURE_ROLES or _MEASURE_WORDS.search(part)) and not codes.nace_code_of_label(part):
        return "measure"
    return "Industry"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _within(date: str, start: str, end: str) -> bool:
    """Whether ``date`` lies within a series' span (True unless all three are ISO dates that
    say it does not)."""
    if not all(_ISO_DATE.match(x) for x in (date, start, end)):
        return True
    return start <= date <= end


def _period_of(date: str, freq: str | None) -> str:
    """A series' date (the first day of a month: the middle or last month of a quarter) as the
    quarter or month its frequency says; an annual series' December as its calendar year and
    its June as the financial year (July to June) that ends in it, labelled by the year it ends:
    ``Jun-2019`` (2018-19) is ``2019`` (:func:`financial_year_label` gives the ABS's label);
    other dates as they stand (the reader's own rules, or --period-freq, say what they are)."""
    if not _ISO_DATE.match(date) or freq not in ("quarter", "month", "annual"):
        return date
    y, m = int(date[:4]), int(date[5:7])
    if freq == "annual":
        return str(y) if m in (6, 12) else date
    return f"{y}Q{(m - 1) // 3 + 1}" if freq == "quarter" else f"{y}M{m:02d}"


def financial_year_label(end: int) -> str:
    """The ABS's label of the financial year ending in June of ``end``: ``2018-19`` for 2019."""
    return f"{end - 1}-{end % 100:02d}"


def abs_time_series(rows, lines, path: str = "<input>"):
    """``(rows, lines, header_index, not_read, financial_years)``: an ABS time series sheet
    rebuilt as a table with a header on its first row (each row keeping its sheet line) and the
    series left out (other series types than ``Original``), with ``{label: period}`` of the
    financial years an annual series dated June stands for (``{"2018-19": "2019"}``, said by
    the reader), or None when ``rows`` are no such sheet."""
    s = next((i for i, r in enumerate(rows[:15]) if r and _txt(r[0]).lower() == "series id"), None)
    if s is None:
        return None
    u = next((i for i in range(s) if rows[i] and _txt(rows[i][0]).lower() == "unit"), None)
    if u is None or u == 0 or not all(rows[i] and _txt(rows[i][0]).lower() in _META for i in range(u, s + 1)):
        return None
    meta = {_txt(rows[i][0]).lower(): rows[i] for i in range(u, s + 1)}
    desc_row = rows[u - 1]
    series = []  # (column, parts, unit, series type, id, frequency)
    span = {}  # column -> (series start, series end) as the sheet gives them
    for j in range(1, len(desc_row)):
        desc = _txt(desc_row[j])
        if not desc:
            continue

        def cell(key):
            r = meta.get(key)
            return _txt(r[j]) if r is not None and j < len(r) else ""
        series.append((j, _parts(desc), cell("unit"), cell("series type"), cell("series id"),
                       cell("frequency")))
        span[j] = (cell("series start"), cell("series end"))
    if not series:
        return None
    types = {x[3].lower() for x in series}
    not_read = []
    if len(types) > 1 and ORIGINAL in types:
        not_read = [f"Series ID {sid} ({t})" for _, _, _, t, sid, _ in series if t.lower() != ORIGINAL]
        series = [x for x in series if x[3].lower() == ORIGINAL]
    # each part of a description by what it names: a description without a dimension is its
    # total ('Employed total ;  Persons ;  Australia ;' beside the industries' series)
    named = []
    for x in series:
        kinds = {}
        for part in x[1]:
            kinds.setdefault(_kind_of(part), []).append(part)
        if any(len(v) > 1 for v in kinds.values()) or "measure" not in kinds:
            return None  # two parts of one kind, or no measure: not a layout read here
        d = {k: v[0] for k, v in kinds.items()}
        if d.get("Industry", "").lower().startswith("total"):  # 'Total (industry)'
            d["Industry"] = "Total"
        named.append(d)
    dims = [k for k in ("State and territory", "Sex", "Industry") if any(k in d for d in named)]
    total = {"State and territory": "Australia", "Sex": "Persons", "Industry": "Total"}
    others = [tuple(d.get(k, total[k]) for k in dims) for d in named]
    # a dimension that is its total throughout ('Persons' in every description) is no column
    keep = [i for i, k in enumerate(dims) if any(o[i] != total[k] for o in others)]
    dims = [dims[i] for i in keep]
    others = [tuple(o[i] for i in keep) for o in others]
    freqs = {f.lower() for *_, f in series}
    freq = next(iter(freqs)) if len(freqs) == 1 else None

    def value_heading(measure, unit):
        unit = "'000" if unit == "000" else unit
        return f"{measure} ({unit})" if unit and unit.lower() not in ("number", "persons") else measure

    heads = [value_heading(d["measure"], x[2]) for d, x in zip(named, series)]
    value_heads = list(dict.fromkeys(heads))
    keys = list(dict.fromkeys(others))
    place, first = {}, {}
    for x, o, hd in zip(series, others, heads):
        at = (keys.index(o), value_heads.index(hd))
        if at in first:
            # two series for one cell (a Trend and a Seasonally Adjusted series, no Original;
            # or one description twice): the one further right would have replaced the other
            other = first[at]
            raise DataError(problems=[Problem(
                "two series of the ABS time series sheet for the same cells", path=path,
                line=lines[u - 1] if u - 1 < len(lines) else u,
                column=f"Series ID {x[4]}",
                expected="one series per state, sex, industry and measure (the Original ones)",
                found=f"{other[4]} ({other[3]}) and {x[4]} ({x[3]}): {', '.join(v for v in o if v) or hd}",
                hint="keep one series type (Original) in the workbook, or give the sheet's "
                     "columns of one type")])
        first[at] = x
        place[x[0]] = at
    out = [["Period"] + dims + value_heads]
    out_lines = [lines[u - 1] if u - 1 < len(lines) else u]
    financial = {}
    for r, line in zip(rows[s + 1:], lines[s + 1:]):
        date = _txt(r[0]) if r else ""
        if not date and not any(_txt(c) for c in r[1:]):
            continue  # (a row with figures and no date is kept: the reader says where)
        period = _period_of(date, freq)
        if freq == "annual" and period != date and date[5:7] == "06":
            financial[financial_year_label(int(period))] = period
        cells = [[""] * len(value_heads) for _ in keys]
        held = [False] * len(keys)
        for j, *_ in series:
            ki, vi = place[j]
            v = _txt(r[j]) if j < len(r) else ""
            cells[ki][vi] = v
            held[ki] = held[ki] or bool(v) or _within(date, *span[j])
        for ki, key in enumerate(keys):
            # a series not yet begun (or ended) has no cell that date: no row, not a withheld
            # one; an empty cell within its span is kept (read as missing)
            if held[ki]:
                out.append([period, *key, *cells[ki]])
                out_lines.append(line)
    if len(out) == 1:
        return None
    return out, out_lines, 0, not_read, financial
