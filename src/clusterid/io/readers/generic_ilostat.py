"""ILOSTAT's CSV downloads for the generic reader (:mod:`.generic`).

The bulk download facility's files (``ref_area, source, indicator, sex, classif1, time,
obs_value, obs_status, note_*``; Rilostat's with a ``.label`` column beside each code) and the
data explorer's CSV (``ref_area.label, ..., classif1.label, time, obs_value ...``) give
employment by economic activity in one ``classif1`` (or ``classif2``) column that holds several
breakdowns of the same total side by side: ILOSTAT's broad sectors (``ECO_SECTOR_AGR``,
``IND``, ``SER``), its aggregates (``ECO_AGGREGATE_MAN``, ``CON``, ``MKT`` ...) and the ISIC
sections (``ECO_ISIC4_C``; ``ECO_ISIC3_D`` in the years before ISIC Rev. 4), each with its own
``TOTAL``; and every row once per sex (``SEX_T``, ``SEX_M``, ``SEX_F``).  Read as a plain table,
every key was a duplicate; named with ``--industry-col classif1`` on the rows of one sex, the
three breakdowns were one table of custom codes whose sums counted every worker three times
and more, in thousands read as persons.

Here, before the columns are planned: the finest breakdown present is kept (ISIC Rev. 4, else
ISIC Rev. 3, else the aggregates, else the broad sectors) and the rows of the others dropped
and counted; ISIC's sections are written as their letters (``C``), its totals ``Total``, its
``X`` (not classifiable by economic activity) under its title; the sex column keeps its
all-persons rows (``SEX_T``, ``Sex: Total``) by the reader's breakdown rule; the world's,
regions' and income groups' aggregates among the countries (``WLD``, ``X01`` ...) are dropped
and counted; and the indicator's unit, thousands (``EMP_TEMP_SEX_ECO_NB``, "Employment by sex
and economic activity (thousands)"), becomes the unit column that scales the values.

ISIC Rev. 4's sections and divisions are NACE Rev. 2's, code for code (NACE Rev. 2 was built on
them; the two part below, in groups and classes), so its sections are read as classification
NACE; ISIC Rev. 3's sections are NACE Rev. 1.1's (``NACE-R1.1``).  The reading is said on
stderr and in the metadata (``ilostat_note``).  An indicator that is no employment
count (a rate, a share, earnings) is refused.
"""

from __future__ import annotations

import re

from clusterid.errors import DataError, Problem
from clusterid.io.readers.generic_raw import LINE

_CLASSIF = re.compile(r"^classif\d(?:\.label)?$", re.IGNORECASE)
_ECO_CODE = re.compile(r"^ECO_(ISIC4|ISIC3|AGGREGATE|SECTOR)_([A-Z0-9]+)$")
# (the explorer's French and Spanish downloads: "Activité économique (CITI-Rév.4): C. ...",
# "Actividad económica (CIIU-Rev.4): C. ...")
_ECO_LABEL = re.compile(r"^(?:Economic activity|Activit[ée] [ée]conomique|Actividad econ[óo]mica)"
                        r" \(([^)]*)\)\s*:\s*(\S.*)$", re.IGNORECASE)
_SECTION_LABEL = re.compile(r"^([A-U]|X)\.\s*(\S.*)$")
# the finest first
_KINDS = ("ISIC4", "ISIC3", "AGGREGATE", "SECTOR")
_KIND_NAMES = {"ISIC4": "ISIC Rev. 4 sections", "ISIC3": "ISIC Rev. 3 sections",
               "AGGREGATE": "ILOSTAT's aggregates of economic activity",
               "SECTOR": "ILOSTAT's broad sectors (agriculture, industry, services)"}
# ILOSTAT's titles of its aggregates and broad sectors, for a bulk file of codes alone
_AGGREGATE_TITLES = {
    "AGR": "Agriculture", "MAN": "Manufacturing", "CON": "Construction",
    "MEL": "Mining and quarrying; Electricity, gas and water supply",
    "MKT": "Trade, Transportation, Accommodation and Food, and Business and Administrative Services",
    "PUB": "Public Administration, Community, Social and other Services and Activities",
    "IND": "Industry", "SER": "Services", "NAG": "Non-agriculture",
    "X": "Not classified by economic activity"}
_NOT_CLASSIFIED = "Not classifiable by economic activity"
# ILOSTAT's aggregates of countries: the world (WLD) and its regional and income groups (X01 ...)
_AREA_AGGREGATE = re.compile(r"^(?:WLD|X\d{2,3})$")
# the same aggregates by their labels (the data explorer's ref_area.label alone): ILOSTAT's
# regions, subregions and income groups, whole names only ("Southern Africa" is one, "South
# Africa" a country)
_AREA_AGGREGATE_LABELS = frozenset(x.lower() for x in (
    "World", "Africa", "Northern Africa", "Sub-Saharan Africa", "Eastern Africa", "Middle Africa",
    "Southern Africa", "Western Africa", "Americas", "Latin America and the Caribbean", "Caribbean",
    "Central America", "South America", "Northern America", "Arab States", "Asia and the Pacific",
    "Eastern Asia", "South-Eastern Asia and the Pacific", "South-Eastern Asia", "Pacific Islands",
    "Southern Asia", "Europe and Central Asia", "Northern, Southern and Western Europe",
    "Northern Europe", "Southern Europe", "Western Europe", "Eastern Europe",
    "Central and Western Asia", "Central Asia", "Western Asia", "Low income", "Lower-middle income",
    "Upper-middle income", "Middle income", "High income", "G7", "G20", "BRICS"))
# indicators that count employment in thousands (EMP_TEMP_SEX_ECO_NB, EMP_2EMP_SEX_ECO_NB)
_EMPLOYMENT_NB = re.compile(r"^EMP_\w+_NB$")
# the all-categories item of another classifN: a breakdown's total, the whole country (beside
# its urban and rural areas), ages 15 and over
_ALL_CATEGORIES = re.compile(r"(?i)^(?:[A-Z0-9]+_[A-Z0-9]+_TOTAL|GEO_COV_NAT|AGE_YTHADULT_YGE15)$"
                             r"|:\s*(?:total|national|15\+)$")
REASON_OTHER_BREAKDOWN = "rows of {} beside {} (the same workers grouped otherwise)"
REASON_AREA_AGGREGATE = "ILOSTAT rows of the world, its regions and income groups (sums of the countries)"


def is_ilostat(header) -> bool:
    """Whether ``header`` is an ILOSTAT CSV's: ``obs_value``, a ``ref_area`` and a ``classifN``."""
    lowered = {str(h or "").strip().lower() for h in header}
    return ("obs_value" in lowered and bool(lowered & {"ref_area", "ref_area.label"})
            and any(_CLASSIF.match(h) for h in lowered))


def _eco(value) -> tuple[str, str, str | None] | None:
    """``(kind, item, title)`` of one economic-activity cell (code or label), None if none."""
    text = " ".join(str(value or "").split())
    m = _ECO_CODE.match(text)
    if m:
        return m.group(1), m.group(2), None
    m = _ECO_LABEL.match(text)
    if not m:
        return None
    what, rest = m.group(1).lower(), m.group(2).strip()
    what = re.sub(r"^(?:citi|ciiu)-r[ée]v", "isic-rev", what)
    kind = ("ISIC4" if what.startswith("isic-rev.4") else "ISIC3" if what.startswith("isic-rev.3")
            else "AGGREGATE" if what.startswith(("aggregate", "agrégat", "agregado"))
            else "SECTOR" if what.startswith(("broad sector", "grand secteur", "sector amplio")) else None)
    if kind is None:
        return None
    if rest.lower() == "total":
        return kind, "TOTAL", None
    s = _SECTION_LABEL.match(rest) if kind in ("ISIC4", "ISIC3") else None
    if s:
        return kind, s.group(1), s.group(2)
    return kind, rest, rest


def ilostat_frame(df, header: list[str], header_map: dict, options, path: str, header_line: int = 1):
    """``(df, header, header_map, options, dropped, note)``: an ILOSTAT table made a plain one
    (see the module's docstring), with ``--classification custom`` where only ILOSTAT's own
    groupings are kept; the arguments as they are when ``header`` is no ILOSTAT table's, or
    when the user named the columns."""
    import dataclasses

    import numpy as np
    import polars as pl

    if not is_ilostat(header) or any(getattr(options, o, None) for o in (
            "region_col", "region_name_col", "industry_col", "industry_name_col", "period_col")):
        return df, header, header_map, options, {}, None
    low = {str(h or "").strip().lower(): h for h in header}
    col = lambda h: header_map.get(h, h)  # noqa: E731
    # the economic-activity column: the classifN (code, else label) whose cells are ECO_ ...
    eco_code = eco_label = None
    for h in header:
        if not _CLASSIF.match(str(h or "").strip()):
            continue
        values = df.get_column(col(h)).drop_nulls().unique().head(200).to_list()
        if values and sum(_eco(v) is not None for v in values) > len(values) / 2:
            if str(h).strip().lower().endswith(".label"):
                eco_label = eco_label or h
            else:
                eco_code = eco_code or h
    if eco_code is None and eco_label is None:
        return df, header, header_map, options, {}, None
    key = eco_code or eco_label
    raw = df.get_column(col(key)).to_list()
    seen = {v: _eco(v) for v in set(raw)}  # (a bulk file repeats a few dozen cells 200,000 times)
    parsed = [seen[v] for v in raw]
    titles = df.get_column(col(eco_label)).to_list() if eco_label and eco_code else None
    present = [k for k in _KINDS if any(p is not None and p[0] == k for p in parsed)]
    kept = present[0]
    dropped: dict[str, int] = {}
    others = [k for k in present[1:]]
    if others:
        # a country and period given by the other breakdowns alone (ISIC Rev. 3 in the years
        # before a country's ISIC Rev. 4, broad sectors only) would vanish whole: refused,
        # naming them, not dropped among the rows "grouped otherwise"
        place = low.get("ref_area") or low.get("ref_area.label")
        when = low.get("time")
        if place is not None and when is not None:
            keys = pl.DataFrame({"area": df.get_column(col(place)), "time": df.get_column(col(when)),
                                 "kind": [p[0] if p is not None else None for p in parsed],
                                 LINE: df.get_column(LINE)})
            lost = (keys.group_by("area", "time").agg((pl.col("kind") == kept).any().alias("has"),
                                                      pl.col("kind").drop_nulls().unique().sort().alias("kinds"),
                                                      pl.col(LINE).min())
                    .filter(~pl.col("has")).sort(LINE))
            if lost.height:
                short = {"ISIC4": "ISIC Rev. 4", "ISIC3": "ISIC Rev. 3", "AGGREGATE": "aggregates",
                         "SECTOR": "broad sectors"}
                shown = "; ".join(f"{a} {t}: {', '.join(short[k] for k in ks)}"
                                  for a, t, _h, ks, _ln in lost.head(3).iter_rows())
                raise DataError(problems=[Problem(
                    f"ILOSTAT rows by {_KIND_NAMES[kept]} for some countries and periods, by other "
                    "breakdowns only for others", path=path, line=lost.get_column(LINE)[0],
                    column=key, expected=f"{_KIND_NAMES[kept]} for every country and period",
                    found=shown + (f" (and {lost.height - 3} more)" if lost.height > 3 else ""),
                    hint="ingest the periods of each classification apart (ISIC Rev. 3 before a "
                         "country's ISIC Rev. 4, for instance): reading one would drop the others' "
                         "countries and periods whole")])
        why = REASON_OTHER_BREAKDOWN.format(" and ".join(_KIND_NAMES[k] for k in others), _KIND_NAMES[kept])
        dropped[why] = sum(1 for p in parsed if p is not None and p[0] in others)
    industry, names = [], []
    for i, p in enumerate(parsed):
        if p is None:  # not an economic-activity cell: kept as written, validation names it
            industry.append(raw[i])
            names.append(None)
            continue
        kind, item, title = p
        if titles is not None and titles[i]:
            label = seen.get(titles[i]) if titles[i] in seen else seen.setdefault(titles[i], _eco(titles[i]))
            title = label[2] if label is not None else title
        if item == "TOTAL":
            industry.append("Total")
            names.append(None)
        elif kind in ("ISIC4", "ISIC3") and re.fullmatch(r"[A-U]", item):
            industry.append(item)
            names.append(title)
        elif kind in ("ISIC4", "ISIC3") and item == "X":
            industry.append(title or _NOT_CLASSIFIED)
            names.append(None)
        else:  # an aggregate or broad sector (kept only where no ISIC section is given)
            industry.append(title or _AGGREGATE_TITLES.get(item, item))
            names.append(None)
    # the rows kept so far (numpy bools): each later step counts only the rows it drops itself
    keep = np.array([p is None or p[0] == kept for p in parsed], dtype=bool)
    df = df.with_columns(pl.Series("_ilo_industry", industry, dtype=pl.String),
                         pl.Series("_ilo_industry_name", names, dtype=pl.String))
    heading = {"ISIC4": "industry (ISIC Rev. 4)",
               "ISIC3": "industry (ISIC Rev. 3 sections = NACE Rev. 1.1 sections)"}.get(
        kept, "industry (ILOSTAT aggregates)")
    drop_cols = {h for h in (eco_code, eco_label) if h}
    new_header = [h for h in header if h not in drop_cols] + [heading, "industry_name"]
    header_map = {h: v for h, v in header_map.items() if h not in drop_cols}
    header_map.update({heading: "_ilo_industry", "industry_name": "_ilo_industry_name"})
    if kept in ("AGGREGATE", "SECTOR") and (getattr(options, "classification", None) or "auto").lower() == "auto":
        # ILOSTAT's own groupings: no classification's codes (AGR would read as sections A+G+R)
        options = dataclasses.replace(options, classification="custom")
    # ---- the sex column: its all-persons rows by the breakdown rule (SEX_T, "Sex: Total")
    sex_code, sex_label = low.get("sex"), low.get("sex.label")
    sex = sex_code or sex_label
    if sex is not None:
        df = df.with_columns(pl.col(col(sex)).str.strip_chars().str.replace(r"^(?i:sex_|sex[eo]?:\s*)", "")
                             .alias(col(sex)))
        if sex_label is not None and sex_code is None:
            new_header = ["sex" if h == sex_label else h for h in new_header]
            header_map["sex"] = header_map.pop(sex_label, sex_label)
        elif sex_label is not None:  # the label column beside the code: not a second breakdown
            new_header = [h for h in new_header if h != sex_label]
    # ---- the other classifN columns (age bands, urban and rural areas): their all-categories rows
    for n in sorted({m.group(1) for h in header if (m := re.match(r"^classif(\d)(?:\.label)?$", str(h or "").strip(),
                                                                  re.IGNORECASE))}):
        pair = [low.get(f"classif{n}"), low.get(f"classif{n}.label")]
        if any(h is not None and h in (eco_code, eco_label) for h in pair):
            continue
        h = pair[0] or pair[1]
        values = df.get_column(col(h)).fill_null("").str.strip_chars()
        totals = values.filter(values.str.contains(_ALL_CATEGORIES.pattern))
        if totals.len() == 0:
            continue  # no total: each key repeats once per category, said as duplicate keys
        # one breakdown's total (AGE_YTHADULT_YGE15 beside AGE_AGGREGATE_TOTAL count the same
        # workers): for each country and period the one of its totals most rows give, so that a
        # country given by the other age classification alone keeps its rows
        ranked = totals.value_counts(sort=True).get_column(totals.name).to_list()
        rank = {t: i for i, t in enumerate(ranked)}
        place, when = low.get("ref_area") or low.get("ref_area.label"), low.get("time")
        r = values.replace_strict(rank, default=None, return_dtype=pl.Int64)
        if place is not None and when is not None:
            frame = pl.DataFrame({"area": df.get_column(col(place)), "time": df.get_column(col(when)),
                                  "r": r, "k": pl.Series(keep)})
            best = frame.filter(pl.col("k")).group_by("area", "time").agg(pl.col("r").min().alias("best"))
            frame = frame.join(best, on=["area", "time"], how="left", maintain_order="left")
            # (a country and period without any total keeps its rows: said as duplicate keys)
            chosen = ((frame.get_column("r") == frame.get_column("best")).fill_null(False)
                      | frame.get_column("best").is_null()).to_numpy()
        else:
            chosen = (values == ranked[0]).to_numpy()
        part = keep & ~chosen
        used = [t for t in ranked if t in set(values.filter(pl.Series(keep & chosen)).to_list())]
        first = used[0] if used else ranked[0]
        what = str(first).split(":")[0].split("_")[0].strip() if ":" in str(first) else {
            "AGE": "age", "GEO": "area type"}.get(str(first).split("_")[0], str(first).split("_")[0])
        why = (f"rows of one {what} category (parts of its all-categories rows, "
               f"{', '.join(repr(t) for t in used) or repr(first)})")
        n_part = int(part.sum())
        if n_part:
            dropped[why] = n_part
            keep = keep & ~part
        new_header = [x for x in new_header if x not in pair]
    # ---- the world's and its regions' aggregates beside the countries
    area, area_label = low.get("ref_area"), low.get("ref_area.label")
    if area is not None or area_label is not None:
        cell = pl.col(col(area or area_label)).str.strip_chars()
        is_agg = (cell.str.contains(_AREA_AGGREGATE.pattern) if area is not None
                  else cell.str.to_lowercase().is_in(sorted(_AREA_AGGREGATE_LABELS)))
        agg = df.select(is_agg.fill_null(False)).to_series().to_numpy() & keep
        areas = df.select(cell.alias("a"), is_agg.fill_null(False).alias("g")).unique()
        if agg.any() and not areas.get_column("g").all():
            dropped[REASON_AREA_AGGREGATE] = int(agg.sum())
            keep = keep & ~agg
    # ---- one source per country and period: ILOSTAT gives some countries' years from two
    # (a labour force survey, BA:..., beside a household income survey): every key was a
    # duplicate, said line by line without the source that tells them apart
    src = low.get("source") or low.get("source.label")
    place = low.get("ref_area") or low.get("ref_area.label")
    when = low.get("time")
    if src is not None and place is not None and when is not None:
        kept_rows = df.filter(pl.Series(keep)).select(
            pl.col(col(place)).alias("area"), pl.col(col(when)).alias("time"), pl.col(col(src)).alias("source"),
            pl.col(LINE))
        twice = (kept_rows.group_by("area", "time").agg(pl.col("source").unique().sort(), pl.col(LINE).min())
                 .filter(pl.col("source").list.len() > 1).sort(LINE))
        if twice.height:
            area, time, sources, line = twice.row(0)
            more = f" (and {twice.height - 1} more)" if twice.height > 1 else ""
            raise DataError(problems=[Problem(
                "ILOSTAT figures of two sources for one country and period", path=path, line=line,
                column=src, expected="one source per country and period",
                found=f"{area} {time}: {', '.join(str(x) for x in sources)}{more}",
                hint="keep the rows of one source (the labour force survey, BA:..., is ILOSTAT's usual "
                     "one) before ingesting; ingest has no filter option")])
    # ---- the indicator: an employment count, in thousands
    ind_code, ind_label = low.get("indicator"), low.get("indicator.label")
    said = sorted({str(v).strip() for v in df.get_column(col(ind_code or ind_label)).drop_nulls().to_list()}) \
        if (ind_code or ind_label) else []
    # (whatever --measure says: ILOSTAT's other figures by economic activity are rates, shares
    # and means -- mean earnings, mean hours -- none a total clusterid could sum)
    if said:
        bad = [s for s in said if not (_EMPLOYMENT_NB.match(s) if ind_code else
                                       re.match(r"^(?:employment|emploi|empleo)\b.*\((?:thousands|milliers|miles)\)$", s,
                                                re.IGNORECASE))]
        good = [s for s in said if s not in bad]
        measure = (getattr(options, "measure", None) or "employment").lower()
        if bad or measure != "employment":
            found = ", ".join(bad[:3]) + (" ..." if len(bad) > 3 else "") if bad else f"--measure {measure}"
            raise DataError(problems=[Problem(
                "an ILOSTAT indicator that is no count of employment", path=path, line=header_line,
                column=ind_code or ind_label, expected="employment in thousands (EMP_TEMP_SEX_ECO_NB: "
                "'Employment by sex and economic activity (thousands)')", found=found,
                hint=(f"the file holds {', '.join(good[:2])} too: keep its rows alone (ingest has no "
                      "filter option)" if bad and good else
                      "leave --measure out: ILOSTAT's counts are employment" if not bad else
                      "download the employment table (a count, not a rate, a share or a mean)"))])
        df = df.with_columns(pl.lit("thousands", pl.String).alias("_ilo_unit"))
        new_header = [h for h in new_header if h not in (ind_code, ind_label)] + ["unit"]
        header_map["unit"] = "_ilo_unit"
    # every ref_area is a country (the aggregates dropped above): level country, so that no
    # country's name ("Brazil", "South Africa") is taken for the total of the others
    df = df.with_columns(pl.lit("country", pl.String).alias("_ilo_level"))
    new_header.append("region_level")
    header_map["region_level"] = "_ilo_level"
    df = df.filter(pl.Series(keep))
    note = (f"ILOSTAT's {_KIND_NAMES[kept]} read as the NACE Rev. 2 sections they equal "
            "(ISIC Rev. 4 and NACE Rev. 2 share sections and divisions; they part in groups "
            "and classes)" if kept == "ISIC4" else
            f"ILOSTAT's {_KIND_NAMES[kept]} read as the NACE Rev. 1.1 sections they equal" if kept == "ISIC3"
            else f"{_KIND_NAMES[kept]} read as custom industries (no ISIC sections in the table)")
    return df, new_header, header_map, options, dropped, note
