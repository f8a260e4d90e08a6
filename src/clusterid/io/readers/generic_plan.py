"""Interpretation for the generic reader (:mod:`.generic`): which column is what.

:func:`plan_columns` turns a header (its headings, title rows and sample cells) into a
:class:`Plan`: the region, industry, period and measure columns, the layout (long, wide by
period, wide by industry), the breakdown, flag, unit and ownership columns, and what the
options (``--region-col``, ``--region``, ``--period-freq`` ...) override.  Beside it the
helpers it uses: periods and frequencies from title lines (:func:`period_from_titles`,
:func:`bare_title_year`, :func:`freq_of_titles`), ``--region`` (:func:`parse_region_option`),
dates and dated headings as periods (:func:`date_periods`, :func:`heading_periods`), region
totals by name (:func:`is_region_total_name`) and the roles of unheaded columns by their cells.
Imports :mod:`.generic_headings` and :mod:`.generic_raw`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import DataError, Problem, UsageError
from clusterid.io.readers import cjk_headings, excel
from clusterid.io.readers import text as textmod
from clusterid.io.readers.generic_headings import (_SIZE_CLASS_HEADING, AGE_WORDS, COUNTRY_OF, LOWER_LEVEL, REGION_PARENT_SEP, REGION_TOTALS, UPPER_LEVEL,
                                                   _FOOTNOTE_MARK, _QUARTER_WORD, _ROMAN,
                                                   _looks_like_year_but_is_not, _norm, _tokens, month_named_first, period_of,
                                                   region_from_titles, role_of, unclear_period_problem,
                                                   unclear_periods, FISCAL_YEAR, abs_financial_year, abs_table)
from clusterid.io.readers.generic_raw import _TOTAL_COLUMN, _is_upper_name


@dataclass
class Plan:
    region: str | None = None
    region_name: str | None = None
    industry: str | None = None
    industry_name: str | None = None
    period: str | None = None
    ownership: str | None = None
    region_level: str | None = None
    unit: str | None = None  # a column giving each row's unit (THS_PER ...)
    unit_mult: str | None = None  # a column giving each row's power of ten (SDMX's UNIT_MULT)
    quarter: str | None = None  # a quarter column beside a year column (QCEW cuts: year, qtr)
    month: str | None = None  # a month column beside a year column (GENESIS: Jahr, Monat)
    extra_months: list[str] = field(default_factory=list)  # the quarter's other month columns (average)
    month_columns: list[str] = field(default_factory=list)  # QCEW's monthly employment, --month's choice
    region_by_name: bool = False  # no code column: the regions' names are their key
    # NOMIS's GSS codes beside the names: a row without one ("Column Total") keyed by its name
    region_name_without_code: bool = False
    flags: dict[str, str] = field(default_factory=dict)  # measure -> its flag column (EMP_F, OBS_FLAG)
    flag_extras: dict[str, list[str]] = field(default_factory=dict)  # measure -> Census flags after it
    breakdowns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # LFO/EMPSZES -> all-rows codes
    # a one-region table: (code, name) from --region or a "Region: ..." title line
    region_const: tuple[str, str | None] | None = None
    # Census API downloads (``...&for=county:*``): the county's FIPS in its own column beside
    # the state's (``state`` 49, ``county`` 001 -> region 49001)
    county: str | None = None
    # SDMX's confidentiality status beside OBS_FLAG (Eurostat SDMX-CSV since 2024: CONF_STATUS
    # C): any code but F (free) withholds the row's values
    conf: str | None = None
    region_from: str | None = None  # "--region" | "title line" | "headings"
    period_from: str | None = None  # "title line": the year a title names ("за 2022 год")
    # wide by region and period (REAT's Goettingen2008, BRD2008): heading -> (region, period)
    head_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    # wide by region, a header of oblasts over their districts: heading -> (name, level)
    head_levels: dict[str, tuple[str, str]] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)  # measure -> column
    layout: str = "long"
    wide_axis: str | None = None
    value_cols: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # wide by period: heading -> period (2016 -> 2016; GENESIS's Stichtag 30.06.2016 -> 2016)
    head_periods: dict[str, str] = field(default_factory=dict)
    financial_years: dict[str, str] = field(default_factory=dict)  # ABS 2018-19 headings -> 2019
    # the measure the period headings name with their years ("2022 Jobs", "Employment 2023")
    head_measure: str | None = None
    # option -> the columns that could play its role, the one chosen first ("--period-col":
    # ["Jahr", "year"]): read_table refuses the choice unless their values are the same
    rivals: dict[str, list[str]] = field(default_factory=dict)


_VALUE_HEADINGS = {"value", "values", "obs_value", "obsvalue", "wert", "werte", "значение", "мән",
                   "valeur", "wartosc", "wartość",  # (Statistics Poland's BDL: "Wartosc", "Wartość")
                   "anzahl",  # (Statistik Austria's STATcube: its one value column "Anzahl")
                   "indhold",  # (Statistics Denmark's StatBank: "INDHOLD", the content)
                   "valoare"}  # (Romania's INS, TEMPO: "Valoare")
# Statistics Poland's BDL: the one value column "Wartosc" holds the variable the download is
# of; a column naming it ("Zmienna", variable) says which measure that is, by its Polish words
_BDL_VALUE = {"wartosc", "wartość"}
_BDL_VARIABLE_HEADINGS = {"zmienna", "zmienne", "nazwa_zmiennej", "cecha", "variable"}
_BDL_MEASURE_WORDS = {
    schema.WAGES: re.compile(r"wynagrodze", re.IGNORECASE),
    schema.ESTABLISHMENTS: re.compile(r"podmiot|przedsiębiorstw|przedsiebiorstw|zakład|zaklad",
                                      re.IGNORECASE),
    schema.EMPLOYMENT: re.compile(r"pracując|pracujac|zatrudni", re.IGNORECASE),
}
_BDL_AVERAGE = re.compile(r"przeciętn|przecietn|średni|sredni", re.IGNORECASE)


def _bdl_head_measure(name: str) -> str | None:
    """The measure a BDL variable's name gives by its first measure word, the head noun in
    Polish: "przeciętne zatrudnienie w sektorze przedsiębiorstw" (average employment in the
    enterprise sector) is employment, "pracujący w podmiotach gospodarki narodowej" persons
    working, "liczba przedsiębiorstw" establishments.  The words after it ("w ... przedsiębiorstw",
    in enterprises) say where, not what: read as a second measure, GUS's headline employment
    variable was refused as 'variables of several measures in one file'."""
    hits = [(m.start(), measure) for measure, rx in _BDL_MEASURE_WORDS.items() if (m := rx.search(name))]
    return min(hits)[1] if hits else None


def bdl_variable_measure(plan, variables, options, titles, path: str, line: int = 1) -> None:
    """The measure of BDL's one value column ("Wartosc") read from the variable it holds
    (``variables``: the distinct names in its variable column, "podmioty gospodarki narodowej"
    establishments, "pracujący" employment), where neither --measure nor a title line names
    one: it was employment whatever the variable, a count of firms or an average wage read
    as jobs.  ``plan.measures`` is set in place; a variable naming no measure, or an average
    wage (clusterid sums wages), is refused in one line."""
    if len(plan.measures) != 1 or getattr(options, "measure", None) or getattr(options, "measure_cols", None):
        return
    (measure, column), = plan.measures.items()
    if _norm(column) not in _BDL_VALUE or title_measure(titles, path):
        return
    names = sorted({" ".join(str(v).split()) for v in variables if v is not None and str(v).strip()})
    if not names:
        return
    named = {m for v in names if (m := _bdl_head_measure(v)) is not None}
    shown = "; ".join(names[:3]) + (" ..." if len(names) > 3 else "")
    if len(named) != 1:
        raise DataError(problems=[Problem(
            "the variable names no measure" if not named else "variables of several measures in one file",
            path=path, line=line, column=column,
            expected="a variable of employment (pracujący), establishments (podmioty) or wages",
            found=shown,
            hint="say what the values are with --measure employment|establishments|wages|output"
                 if not named else "download one variable per file (or give --measure)")])
    found = named.pop()
    if found == schema.WAGES and any(_BDL_AVERAGE.search(v) for v in names):
        raise DataError(problems=[Problem(
            "the variable is an average wage", path=path, line=line, column=column,
            expected="wage totals (payroll), as clusterid sums wages", found=shown,
            hint="download a variable of wage totals (wynagrodzenia ogółem), or say what the "
                 "values are with --measure")])
    plan.measures = {found: column}


# Columns that split a total into parts (Census's legal form of organisation and employment
# size class, Eurostat's size classes, employment status -- EMP = employees SAL + self-employed
# SELF -- sex and age): only the all-categories rows are kept, the parts are
# dropped and counted -- adding them to the totals would count everything twice.
_BREAKDOWNS = {"lfo": ("-", "001", "1"), "empszes": ("001", "1"), "sizeclas": ("total",),
               "size_emp": ("total",), "size_class": ("total", "001"), "wstatus": ("emp",),
               # (SDMX, INSEE's Melodi: _T, all; QWI: 0; the ABS: Persons beside Males, Females)
               "sex": ("t", "_t", "total", "both sexes", "0", "persons", "001"),
               # INSEE's Melodi: EMPFORM, salaried (1) and self-employed (2) under _T
               "empform": ("_t",),
               # Statistics Canada's tables: SEPH's "Type of employee" (salaried, paid by the
               # hour, other: parts of all employees), the LFS's "Gender" since 2022
               "type_of_employee": ("all employees",),
               "gender": ("total - gender", "total", "both sexes", "all persons"),
               "type_de_salarie": ("ensemble des salariés",), "genre": ("total - genre",),
               "age_group": ("15 years and over", "total", "all ages"),
               # GENESIS's sex and age columns (male, female, Insgesamt)
               "geschlecht": ("insgesamt",), "altersgruppen": ("insgesamt",),
               # the LFS's "Labour force characteristics": its Employment rows are the measure's
               "labour_force_characteristics": ("employment",),
               "caracteristiques_de_la_population_active": ("emploi",),
               "groupe_d_age": ("15 ans et plus",),
               # Eurostat LFS tables (lfst_r_lfe2en2): Y_GE15, 15 years or over, is all ages
               "age": ("y_ge15", "total"),
               # ISTAT's SDMX dataflows (IstatData): the size class of persons employed, its
               # all-sizes code TOTAL (ASIA local units by municipality: W0_9, W10_49 ...)
               "pers_empl_size_class": ("total",),
               # Statistics Canada's Canadian Business Counts (33-10-0661 ...): the businesses
               # of every size under "Total, with employees"
               "employment_size_ranges": ("total, with employees",),
               # INE's DIRCE (companies and local units by CNAE and "Estrato de asalariados":
               # Sin asalariados, De 1 a 2 ...), its all-sizes member Total
               "estrato_de_asalariados": ("total",),
               # NOMIS's API CSV of BRES: EMPLOYMENT_STATUS_NAME Employment above Employees,
               # Full-time and Part-time employees; MEASURE_NAME Count beside its "Industry
               # percentage" (a share of the area's total, no count)
               # (Employees, when no Employment row is given, is the total of its Full-time
               # and Part-time employees beside it: refused as parts without a total)
               "employment_status_name": ("employment", "employees"), "measure_name": ("count",),
               # NOMIS's UK Business Counts (NM_141_1 enterprises, NM_142_1 local units): each
               # count by employment size band (Total, Micro (0 to 9), 0 to 4 ... the bands
               # overlap: never summed) and legal status, each under its Total; MEASURES_NAME
               # Value (no other member in BRES or Business Counts)
               "employment_sizeband_name": ("total",), "legal_status_name": ("total",),
               "measures_name": ("value",),
               # the Census Bureau's QWI (LEHD), each file split by two worker or firm
               # characteristics beside their all-categories codes: sex 0, agegrp A00, race and
               # ethnicity A0, education E0, firmage and firmsize 0
               "agegrp": ("a00",), "race": ("a0",), "ethnicity": ("a0",), "education": ("e0",),
               "firmage": ("0",), "firmsize": ("0",),
               # SUSB's enterprise size (ENTRSIZE 01: Total, 02: <20 employees ...)
               "entrsize": ("01", "1"),
               # Statistics Canada's LFS tables by CMA (14-10-0392 ...): "Statistics" gives each
               # figure's Estimate and its standard error, confidence bounds: the Estimate is read
               "statistics": ("estimate",), "statistiques": ("estimation",),
               # BLS's OEWS (state_M2023_dl.xlsx, nat4d_M2023_dl.xlsx ...): each industry's and
               # area's employment by occupation (SOC), its all-occupations row 00-0000 the total
               "occ_code": ("00-0000",),
               # the Economic Census (data.census.gov's EC1700BASIC, EC2200BASIC ...): the type
               # of operation (merchant wholesalers, manufacturers' sales branches ...) and the tax
               # status, each under its all-establishments code 00; OPTAX's T before 2017
               "typop": ("00", "0"), "taxstat": ("00", "0"), "optax": ("t",),
               # the Annual Business Survey (data.census.gov's AB2100CSA01 ...): employer firms
               # by their owners' sex (SEX 001 Total, above), ethnicity, race and veteran status
               # and by firm size, each under its total code
               "eth_group": ("001",), "race_group": ("00",), "vet_group": ("001",), "empszfi": ("001",),
               # GENESIS's and the Regionalstatistik's size classes (52111 Unternehmensregister:
               # "0 bis unter 10 sozialversicherungspflichtig Beschäftigte" ... under Insgesamt)
               **dict.fromkeys(("beschaeftigtengroessenklassen", "beschaeftigtengroessenklasse",
                                "groessenklassen", "groessenklasse", "betriebsgroessenklassen",
                                "betriebsgroessenklasse"), ("insgesamt",))}
# A sex (gender) column by its heading in the offices' languages, and the spellings of its
# all-persons member: the ABS's, ONS's and Stats NZ's "All persons" / "Persons", the UN's and
# ILO's "Both sexes" / "Total, both sexes", StatCan's "Total - Gender", GENESIS's "Insgesamt",
# Statistik Austria's "Alle", Rosstat's "Всего" / "Оба пола".  Before, only a few spellings
# under three headings were known: 'All persons' beside Males and Females was refused as rows
# of parts only, and a column headed 'Пол' or 'Sexe' as differing only in a column not read
_SEX_HEADINGS = frozenset(_norm(h) for h in (
    "sex", "sexes", "gender", "geschlecht", "пол", "sexe", "genre", "sexo", "género", "sesso",
    "geslacht", "kön", "køn", "kjønn", "sukupuoli", "płeć", "pohlaví", "жынысы",
    "жыныс", "стать", "性别", "性別", "男女別", "男女", "성별"))
_SEX_TOTALS = (
    "t", "_t", "total", "all", "both sexes", "total, both sexes", "both sexes, total",
    "total both sexes", "persons", "all persons", "total persons", "people", "all people",
    "all sexes", "males and females", "male and female", "men and women", "total - gender",
    "total - sex", "total sex", "sex, total", "gender, total", "alle", "insgesamt", "zusammen",
    "gesamt", "männlich und weiblich", "всего", "итого", "оба пола", "мужчины и женщины",
    "барлығы", "екі жыныс", "ensemble", "les deux sexes", "ensemble des deux sexes",
    "deux sexes", "total - genre", "ambos sexos", "total ambos sexos", "totale",
    "maschi e femmine", "totaal", "mannen en vrouwen", "i alt", "begge køn", "totalt",
    "begge kjønn", "båda könen", "yhteensä", "ogółem", "celkem", "合計", "合计", "总计", "計",
    "総数", "男女計", "계", "전체")
# ... and an age column (generic_headings.AGE_WORDS: "Age", "Age group", "Age (years)",
# "Altersgruppe", "Возраст"; 年齢, 年龄, 연령) and its all-ages member, as the labour-force
# surveys give it: the ages of employment (15 or 16 and over) are all ages
_AGE_CJK = ("年齢", "年龄", "연령", "나이")
_AGE_TOTALS = (
    "total", "all", "all ages", "total, all ages", "all ages, total", "total - age",
    "total age", "total, 15 years and over", "15 years and over", "16 years and over",
    "15 years and older", "16 years and older", "15 and over", "16 and over", "15+", "16+",
    "aged 15+", "aged 16+", "aged 15 and over", "aged 16 and over", "aged 16 & over",
    "all aged 16 & over", "all aged 16 and over", "all ages 16+", "y_ge15", "y_ge16",
    "insgesamt", "alle altersgruppen", "alle altersklassen", "alle", "15 jahre und mehr",
    "15 und mehr", "всего", "итого", "все возрасты", "15 лет и старше", "барлығы",
    "ensemble", "tous âges", "tous les âges", "15 ans et plus", "todas las edades",
    "total edades", "15 años y más", "16 años y más", "totale", "tutte le età",
    "15 anni e più", "totaal", "i alt", "alle aldre", "totalt", "yhteensä", "ogółem",
    "合計", "合计", "总计", "総数", "年齢計", "15歳以上", "계", "전체", "15세 이상")


def breakdown_totals(heading: str) -> tuple[str, ...] | None:
    """The all-categories members (lower case) of a breakdown column by its heading: the
    columns of :data:`_BREAKDOWNS` by their normalised heading, and any sex or age column
    (:data:`_SEX_HEADINGS`, ``AGE_WORDS``) with the common spellings of its total.  None for
    a column that is no breakdown known here."""
    n = _norm(heading)
    own = _BREAKDOWNS.get(n, ())
    if not own and n.endswith("_id") and str(heading).strip().lower().endswith(".id"):
        # American FactFinder's downloads (CBP 2012-2016 "BP_2016_00A1_with_ann.csv") name
        # each dimension's codes X.id beside its X.display-label: EMPSZES.id, LFO.id.  Not
        # known as a breakdown, every size class was read as a duplicate of its total's key
        own = _BREAKDOWNS.get(n[:-3], ())
    if n in _SEX_HEADINGS:
        return tuple(dict.fromkeys(own + _SEX_TOTALS))
    if _tokens(n) & AGE_WORDS or any(w in n for w in _AGE_CJK):
        return tuple(dict.fromkeys(own + _AGE_TOTALS))
    return own or None


# ISTAT's DATA_TYPE in the ASIA local-units dataflows: LU the number of local units, LUEMPDAA
# the persons employed in them (annual average).  As Eurostat's indic_sb, the rows of the
# measure's code are the table's, the other's dropped and counted (both in one download were
# "duplicate row" on every line)
ISTAT_MEASURE_INDICATORS = {"data_type": {schema.EMPLOYMENT: ("LUEMPDAA",),
                                          schema.ESTABLISHMENTS: ("LU",)}}


def measure_indicators() -> dict:
    """Indicator columns whose value says what a row's figure measures, by normalised heading:
    measure -> its codes (Eurostat's indic_sb and indic_sbs, ISTAT's DATA_TYPE)."""
    from clusterid.io.readers.eurostat import MEASURE_INDICATORS

    return {**MEASURE_INDICATORS, **ISTAT_MEASURE_INDICATORS}


# an SDMX-CSV's own columns before its dimensions (Eurostat's DATAFLOW, LAST UPDATE; SDMX-CSV
# 2.0's STRUCTURE, STRUCTURE_ID, STRUCTURE_NAME, ACTION)
_SDMX_STRUCTURE = {"dataflow", "last_update", "structure", "structure_id", "structure_name", "action"}


def sdmx_dimension_totals(header, taken) -> dict[str, tuple[str, ...]]:
    """The dimensions of an SDMX-CSV (the columns before TIME_PERIOD, beside OBS_VALUE) that no
    other role reads, each with its all-categories codes (lower case), as breakdowns: Eurostat's
    usual choices (:data:`clusterid.io.readers.eurostat.PREFERRED`: s_adj NSA before SCA,
    na_item EMP_DC, ...), else TOTAL or _T.  The bulk TSV of the same dataset kept them so; the
    SDMX-CSV read every s_adj, worktime or citizen row as a duplicate of its key (namq_10_a10_e
    with NSA and SCA: exit 1 on every line, the column never named).  A dimension of several
    codes and none of them a total is refused naming it (generic.read)."""
    from clusterid.io.readers.eurostat import PREFERRED

    norm = [_norm(h) if h else "" for h in header]
    if "time_period" not in norm or "obs_value" not in norm:
        return {}
    out = {}
    for h, n in zip(header[:norm.index("time_period")], norm):
        key = _norm(h.split(":")[0]) if h else n  # (labels=both: "s_adj: Seasonal adjustment")
        if not h or h in taken or n in _SDMX_STRUCTURE or key in _FREQ_HEADINGS or role_of(h) is not None \
                or key in _BREAKDOWNS or key in measure_indicators():
            continue
        out[h] = tuple(c.lower() for c in PREFERRED.get(key, ())) or ("total", "_t")
    return out


# SDMX dimensions whose kept code is a choice among versions of the figure, not the total of
# parts (seasonally adjusted or not, domestic concept, unit)
SDMX_CHOICES = {"s_adj", "na_item", "unit"}
REASON_CHOICE = "rows of another {} than {} (the one kept)"
# (and NOMIS's UK Business Counts API CSV, EMPLOYMENT_SIZEBAND(_NAME) beside OBS_VALUE: NM_141_1
# counts enterprises, NM_142_1 local units, both read as establishments -- they were employment)
_BUSINESS_SIZE_RANGES = {"employment_size_ranges", "employment_sizeband", "employment_sizeband_name"}
REASON_BREAKDOWN = "rows of one {} category (parts of its all-categories rows)"
REASON_INDICATOR = "rows of another {} indicator than the measure's"
# the annual value among a sub-period column's values (fedstat's "Период" beside year columns)
_ANNUAL = ("значение за год", "за год", "год", "январь-декабрь", "январь - декабрь", "annual",
           "year", "annual value", "jahr", "jahreswert", "жыл", "жылдық")
# a column naming the indicator ("Среднегодовая численность занятых, тыс. человек"): its unit
# (Statistics Canada's "Estimate": SEPH's "Average weekly earnings including overtime for all
# employees" under one VALUE column was read as employment)
_INDICATOR_HEADINGS = {"показатель", "наименование_показателя", "indicator", "variable",
                       "merkmal", "көрсеткіш", "estimate",
                       # e-Stat's 表章項目 (the tabulation item: 従業者数, 事業所数), a Chinese
                       # 指标 / 指標, KOSIS's 항목 (item)
                       "表章項目", "指标", "指標", "항목"}
# A separate flag column beside a value: withheld cells (the published 0 is no data), Census's
# employment ranges (a-m, as the empflag letters A-M) and Eurostat's 'e' estimated.
# (a dash in a flag column is "no flag": QCEW's disclosure_code "-" marks true zero rows)
# ("F" beside a figure is no withholding: StatCan's F cell holds none, NOMIS's OBS_CONF F is "free")
_WITHHELD_FLAGS = ({k for k, v in textmod.MARKERS.items() if v[0] == schema.SUPPRESSED} | {"Q"}) - {"-", "--", "–", "—", "F"}
# Census API / data.census.gov value columns whose ``<name>_N`` is their noise flag (G, H, J
# as published; D, S, N withheld; 2017 on, where no ``<name>_F`` is given)
_CENSUS_NOISE_FLAGGED = {"emp", "payann", "payqtr1"}
# SUSB's flag columns of each value, the range (or withheld) flag first, then the noise flag
_SUSB_FLAGS = {"empl_n": ("emplfl_r", "emplfl_n"), "payr_n": ("payrfl_n",)}
# the names of NOMIS's observation statuses that withhold the value (OBS_STATUS_NAME beside
# OBS_VALUE: "These figures are suppressed as statistically unreliable.", "These figures are
# missing.", "Estimate and confidence interval not available since the group sample size is
# zero or disclosive (0-2)"); "Normal Value" and any other name keep the figure
_WITHHELD_STATUS_NAME = (r"(?i)suppress|missing|not available|unavailable|confidential|disclos"
                         r"|unreliable|too small")
# QCEW's disclosure code as its files head it: disclosure_code (CSV), "Status Code" (the
# quarterly high-level workbooks allhlcnYYQ.xlsx), "Annual Average Status Code" (the annual ones,
# allhlcnYY.xlsx: unread, an N row's published 0 was read as a reported zero)
_QCEW_DISCLOSURE_HEADINGS = ("disclosure_code", "status_code", "annual_average_status_code", "disclosure")
_ROW_FLAG_HEADINGS = (*_QCEW_DISCLOSURE_HEADINGS, "obs_status", "status_flag", "flag", "flags")
_RANGE_FLAGS = {
    "a": (0.0, 19.0), "b": (20.0, 99.0), "c": (100.0, 249.0), "e": (250.0, 499.0),
    "f": (500.0, 999.0), "g": (1000.0, 2499.0), "h": (2500.0, 4999.0), "i": (5000.0, 9999.0),
    "j": (10000.0, 24999.0), "k": (25000.0, 49999.0), "l": (50000.0, 99999.0), "m": (100000.0, None),
}


def _check_col(name: str | None, header: list[str], option: str, path: str) -> str | None:
    if name is None:
        return None
    if name in header:
        return name
    lowered = {h.lower(): h for h in header}
    if name.lower() in lowered:
        return lowered[name.lower()]
    sep = "" if option.endswith("=") else " "  # --measure-col employment='X', --region-col 'X'
    raise UsageError(f"{path}: {option}{sep}{name!r} is not a column; columns are: {', '.join(header)}")


def parse_region_option(value: str) -> tuple[str, str | None]:
    """``--region ID[:NAME]`` -> (code, name); ``03159:Göttingen``, ``Göttingen``."""
    code, _, name = str(value).partition(":")
    code, name = code.strip(), name.strip()
    if not code:
        raise UsageError(f"--region {value!r}: expected ID[:NAME], e.g. 03159:Göttingen")
    return code, (name or None)


# a year named as the table's period in a title line: "... за 2022 год", "2022 жыл",
# "Berichtsjahr 2016", "im Jahr 2016", "year 2016"
_TITLE_YEAR = re.compile(r"(?:\b|^)((?:19|20)\d{2})\s*(?:год(?:а|у)?\b|г\.|жыл)"
                         r"|\b(?:jahr|berichtsjahr|year|год)\s*:?\s*((?:19|20)\d{2})\b", re.IGNORECASE)


# a reference day (Bundesagentur für Arbeit, Destatis): the year it falls in, as a Stichtag
# column's dates are read
_TITLE_STICHTAG = re.compile(r"\bstichtag\s*:?\s*(?:\d{1,2}\.\s*(?:\d{1,2}\.|[^\W\d]+)\s*)?((?:19|20)\d{2})\b",
                             re.IGNORECASE)


_MONTH_STEMS = (  # the months as titles name them: Russian, Kazakh, German, English (not
    # "may" or "mar": words of an English note, "data may be revised")
    ("январ", "қаңтар", "januar", "january"), ("феврал", "ақпан", "februar", "february"),
    ("март", "наурыз", "märz", "maerz", "march"), ("апрел", "сәуір", "april"),
    ("ма[йя]", "мамыр", "mai"), ("июн", "маусым", "juni", "june"),
    ("июл", "шілде", "juli", "july"), ("август", "тамыз", "august"),
    ("сентябр", "қыркүйек", "september"), ("октябр", "қазан", "oktober", "october"),
    ("ноябр", "қараша", "november"), ("декабр", "желтоқсан", "dezember", "december"))
_MONTH_WORD = "(?:" + "|".join(rf"(?P<m{i}_{{k}}>{'|'.join(stems)})\w*\.?"
                                for i, stems in enumerate(_MONTH_STEMS, 1)) + ")"


def _month_word(k: int) -> str:
    return _MONTH_WORD.replace("{k}", str(k))


_TITLE_MONTHS = _month_word(1) + r"(?:\s*[-\u2013\u2014]\s*" + _month_word(2) + ")?"
_TITLE_QUARTER = r"(?P<q>iv|i{1,3}|[1-4])\s*[-.]?\s*" + _QUARTER_WORD
_AFTER_YEAR = r"^\s*(?:г\.?|года?|жылғы|жыл\w*)?\s*[,.:]?\s*"
# a quarter named by its last month, before the year or after it: the ABS's "September quarter
# 2024", Stats NZ's "June 2024 quarter"
_MONTH_QUARTER = r"\s+(?:quarter|qtr\.?)"
# before the year (the end of the text before it) / after it (the start of the text after it)
_SUB_ANNUAL_BEFORE = re.compile(
    r"(?:(?P<day>\d{1,2})\s*\.?\s*)?(?:" + _TITLE_MONTHS + r"(?P<mq>" + _MONTH_QUARTER + r")?|"
    + _TITLE_QUARTER
    + r"|q(?P<qq>[1-4])|(?:quarter|qtr\.?)\s*(?P<qw>[1-4])"
    r"|(?P<part>полугоди\w*|жартыжылдық\w*|halbjahr\w*|half[- ]year|месяц\w*|"
    r"months?|monate?))\s*[,.:]?\s*$", re.IGNORECASE)
_SUB_ANNUAL_AFTER = re.compile(
    _AFTER_YEAR + r"(?:" + _TITLE_MONTHS + r"|" + _TITLE_QUARTER + r"|q(?P<qq>[1-4])\b|"
    r"(?P<part>полугоди\w*|жартыжылдық\w*|halbjahr\w*|half[- ]year))", re.IGNORECASE)
_QUARTER_OF_MONTHS = {(1, 3): 1, (4, 6): 2, (7, 9): 3, (10, 12): 4}


def _title_period(text: str, start: int, end: int, year: str) -> str | None:
    """The period a title names around the year at ``text[start:end]``: the year itself, or
    the quarter or month named right before or after it ("за I квартал 2016 года" 2016Q1,
    "за январь-март 2016 г." 2016Q1, "2016 жылғы қаңтар" 2016M01), None for a part of the
    year that is none of these ("январь-июнь", "I полугодие", "9 месяцев").  A day before the
    month makes a date ("на 1 января 2016 г."): the year, as for a Stichtag."""
    m = _SUB_ANNUAL_BEFORE.search(text[max(0, start - 40):start])
    if m is None:
        m = _SUB_ANNUAL_AFTER.search(text[end:end + 40])
    if m is None:
        return year
    groups = m.groupdict()
    if groups.get("part"):
        return None
    # (the word before the number too: Stats SA's "Quarter 3: 2024", "Q3: 2024")
    q = groups.get("q") or groups.get("qq") or groups.get("qw")
    if q:
        return f"{year}Q{_ROMAN.get(q.upper(), q)}"
    months = [next((i for i in range(1, 13) if groups.get(f"m{i}_{k}")), None) for k in (1, 2)]
    if groups.get("day") and months[1] is None:
        return year  # a date: as of 1 January 2016
    first, last = months[0], months[1]
    if last is None and (
            groups.get("mq") or re.match(_MONTH_QUARTER + r"\b", " " + text[end:end + 20].lstrip(),
                                         re.IGNORECASE)):
        # the quarter that ends in the month ("September quarter 2024": July to September)
        return f"{year}Q{first // 3}" if first % 3 == 0 else None
    if last is None:
        return f"{year}M{first:02d}"
    if (first, last) == (1, 12):
        return year
    quarter = _QUARTER_OF_MONTHS.get((first, last))
    return f"{year}Q{quarter}" if quarter else None


_SHARE_MEASURE = re.compile(r"percent|percentage|per\s+cent|%|\bshare\b|\bratio\b", re.IGNORECASE)
_EMPLOYMENT_SIZE = re.compile(r"\bemployment[\s_-]*size(?:[\s_-]*(?:bands?|class(?:es)?))?\b", re.IGNORECASE)


_VARIABLE_LINE = re.compile(r"^(?:variável|variavel|variable|variables)\s*[-:–]\s*(\S.*)$", re.IGNORECASE)


# IBGE SIDRA's export: its first title line "Tabela 1757 - Unidades locais, ...", under it the
# "Variável - ..." line or a "Nível Territorial" heading
_SIDRA_TITLE = re.compile(r"^tabela\s+\d+\s*[-–]\s*\S", re.IGNORECASE)
_SIDRA_LEVEL = re.compile(r"^n[ií]vel\s+territorial$", re.IGNORECASE)


def is_sidra(titles, header) -> bool:
    """A table exported from IBGE's SIDRA: a "Tabela <number> - <title>" line above it and a
    "Variável - ..." line or a "Nível Territorial" heading.  SIDRA's signs differ from most
    agencies': ``-`` is a true zero ("Dado numérico igual a zero não resultante de
    arredondamento"), ``X`` withheld, ``..`` not applicable, ``...`` not available."""
    lines = [str(c).strip() for row in titles or []
             for c in (row if isinstance(row, (list, tuple)) else [row]) if c is not None and str(c).strip()]
    if not any(_SIDRA_TITLE.match(ln) for ln in lines):
        return False
    return (any(_VARIABLE_LINE.match(ln) for ln in lines)
            or any(_SIDRA_LEVEL.match(str(c).strip()) for c in [*(header or []), *lines] if c is not None))


def title_measure(titles, path: str = "<input>") -> str | None:
    """The one measure the title lines above the header name ("Число предприятий, 2022 год"
    establishments, "Beschäftigte am Arbeitsort" employment), by the words of
    :data:`ROLE_WORDS`; None when they name none or several ("Численность работников
    предприятий": employees of enterprises)."""
    from clusterid.io.readers.generic_headings import ROLE_WORDS, is_average

    named = set()
    for row in titles or []:
        # a line naming the variable the cells hold (IBGE SIDRA's "Variável - Salários e outras
        # remunerações (Mil Reais)" under the table's title "... pessoal ocupado total e
        # assalariado ..."): its measure, whatever the other title lines name (the title named
        # three, so none was taken and the wages were read as employment)
        filled = [str(c).strip() for c in row if c is not None and str(c).strip()]
        said = _VARIABLE_LINE.match(filled[0]) if len(filled) == 1 else None
        if said is not None:
            toks = _tokens(_norm(_EMPLOYMENT_SIZE.sub(" ", said.group(1))))
            of_line = {m for m in schema.MEASURES if toks & ROLE_WORDS.get(m, set())}
            if len(of_line) == 1:
                if schema.WAGES in of_line and is_average(said.group(1)):
                    break  # said below, with the other lines
                return of_line.pop()
    for row in titles or []:
        filled = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if len(filled) == 2 and _norm(filled[0]) in ("measure", "measures") and _SHARE_MEASURE.search(filled[1]):
            # NOMIS's title block says which measure the cells hold: "measure","Industry
            # percentage" (BRES) or "Percent" is a share of the area's total, which was read
            # as a count (Hartlepool's 3.1 % of its jobs as 3.1 jobs), silently
            raise DataError(problems=[Problem(
                "the title says the cells are a percentage, not a count", path=path,
                expected="counts (measure: Count)", found=", ".join(filled),
                hint="download the table again with the measure Count")])
        for cell in row:
            if cell is not None and str(cell).strip():
                # (a size class by employment names no measure: NOMIS's "UK Business Counts -
                # local units by industry and employment size band" counts local units, and
                # was read as employment, the one measure left when both were named)
                toks = _tokens(_norm(_EMPLOYMENT_SIZE.sub(" ", str(cell))))
                named |= {m for m in schema.MEASURES if toks & ROLE_WORDS.get(m, set())}
                named |= cjk_headings.measures_in(cell)  # '2021年分地区法人单位数': no blanks
                if schema.WAGES in named and (is_average(str(cell)) or cjk_headings.is_average(cell)):
                    raise DataError(problems=[Problem(
                        "the title names an average wage", path=path, expected="wage totals (payroll), as "
                        "clusterid sums wages", found=" ".join(str(cell).split()),
                        hint="ingest a table of wage totals, or say what the cells hold with --measure")])
    return named.pop() if len(named) == 1 else None


def wide_measure(options, titles, path: str = "<input>", plan=None) -> str:
    """The measure a wide table's cells (or a long table's one value column) hold: --measure,
    else the one its period headings name (``2022 Jobs``), else the one a title line names,
    else employment."""
    return (getattr(options, "measure", None) or getattr(plan, "head_measure", None)
            or title_measure(titles, path) or schema.EMPLOYMENT)


# a year and a measure's words in one heading: "2022 Jobs", "2023 Employment" (Lightcast's and
# JobsEQ's industry tables), "Employment 2022", "Establishments, 2023"
_YEAR_WORDS = re.compile(r"^(?P<y>(?:18|19|20|21)\d{2})\s+(?P<w>[^\W\d_][^\d]*)$"
                         r"|^(?P<w2>[^\W\d_][^\d]*?)[\s,]+(?P<y2>(?:18|19|20|21)\d{2})$")


def year_measure_heading(heading) -> tuple[str, str] | None:
    """``(year, measure)`` of a heading that is a year and words naming one measure, else None
    (``2023 Location Quotient``, ``2022 - 2023 Change``, an average wage: None)."""
    m = _YEAR_WORDS.match(" ".join(str(heading or "").split()))
    if not m:
        return None
    year, words = (m.group("y"), m.group("w")) if m.group("y") else (m.group("y2"), m.group("w2"))
    role = role_of(words)
    return (year, role) if role in schema.MEASURES else None


# data.census.gov names a table's download <survey><year>.<table>-Data.csv
# (CBP2022.CB2200CBP-Data.csv, ACSDT5Y2022.B01001-Data.csv; a browser's second copy
# "-Data (1).csv"): the year is the table's
_CENSUS_DOWNLOAD = re.compile(r"^[A-Za-z]+(?:\d+Y)?((?:19|20)\d{2})\.[A-Za-z0-9]+-Data(?: ?\(\d+\))?\.[A-Za-z]+$")
# ... and the SUSB files' (county_3digitnaics_2021.txt, us_state_naics_detailedsizes_2021.txt,
# msa_naics_2021.txt), whose rows hold no year
_SUSB_FILE = re.compile(r"^(?:us_state|county|msa|cbsa)_[a-z0-9_]*naics[a-z0-9_]*_((?:19|20)\d{2})"
                        r"(?: ?\(\d+\))?\.(?:txt|csv)$", re.IGNORECASE)


# ... and BLS's OEWS files (state_M2023_dl.xlsx, MSA_M2023_dl.xlsx, nat4d_M2023_dl.xlsx,
# all_data_M_2023.xlsx): the May estimates of that year
_OEWS_FILE = re.compile(r"^(?:state|msa|bos|aipsa|natsector|nat\dd(?:_6d)?|nat|all_data)_M_?((?:19|20)\d{2})"
                        r"(?:_dl)?(?: ?\(\d+\))?\.(?:xlsx?|csv|txt)$", re.IGNORECASE)


def period_from_file_name(path: str) -> str | None:
    """The year a data.census.gov download's file name gives (``CBP2022.CB2200CBP-Data.csv``
    -> ``2022``; also as a member of its zip, ``dl.zip:CBP2022.CB2200CBP-Data.csv``), else
    None: only that naming, a year elsewhere in a name says nothing sure."""
    name = re.split(r"[/\\:]", str(path))[-1]
    m = _CENSUS_DOWNLOAD.match(name) or _SUSB_FILE.match(name) or _OEWS_FILE.match(name)
    return m.group(1) if m else None


# a release note's words before the date it gives (Stats SA's "Forthcoming issue: Quarter 4:
# 2024", "Next release: Quarter 1 2025", "published Q3: 2024", "Embargoed until: 12 November
# 2024"): the quarter, month or year after them is when a table is published, not its period
_RELEASE_NOTE = re.compile(r"\b(?:published|publication\s+date|released|release\s+date|date\s+of\s+release|"
                           r"next\s+(?:release|issue|publication|update)|forthcoming(?:\s+issue)?|"
                           r"expected\s+release(?:\s+date)?|embargoed(?:\s+until)?|(?:last\s+)?updated|"
                           # a download's date: Eurostat's and the OECD's "Data extracted on 15
                           # March 2024" (read as the period of a table without one; and, since
                           # 611a929, warned of as a title year over a table of 2021 and 2022)
                           r"(?:data\s+)?(?:extracted|downloaded|retrieved|accessed)(?:\s+from\s+\S+)?)"
                           r"\s*:?\s*(?:on|in|until|at)?\s*$"
                           # a revision's date: "(revised Q3: 2024)", "last revised: 2024", not
                           # "Revised Q3 2024 estimates", whose quarter is the period revised
                           r"|(?:\(\s*|\blast\s+)revised\s*:?\s*(?:on|in)?\s*$|\brevised\s*(?::|\s(?:on|in))\s*$",
                           re.IGNORECASE)


def _release_date(text: str, start: int) -> bool:
    """Whether the year at ``text[start:]`` (with the quarter, month or day before it) follows
    a release note's words: a date of publication, no period of the table."""
    before = text[max(0, start - 60):start]
    m = _SUB_ANNUAL_BEFORE.search(before)
    return bool(_RELEASE_NOTE.search(before[:m.start()] if m else before))


def period_from_titles(titles) -> str | None:
    """The period a title line above the header names (one across them all), or None: a
    year ("... за 2022 год"), or the quarter or month named with it ("за I квартал 2022
    года": a quarterly bulletin's table was taken for the year 2022)."""
    periods = set()
    for row in titles or []:
        for cell in row:
            text = str(cell or "")
            for m in _TITLE_STICHTAG.finditer(text):
                periods.add(m.group(1))  # "Stichtag: 30. Juni 2023", "Stichtag 30.06.2023"
            for m in _TITLE_YEAR.finditer(text):
                y = m.group(1) or m.group(2)
                at = m.start(1) if m.group(1) else m.start(2)
                periods.add(_title_period(text, at, at + 4, y))
            for m in re.finditer(r"(?:^|\s)(?P<y>(?:19|20)\d{2})(?=\s|$|[,.;:)])", text):
                # a quarter or month beside a year written without "год" ("за I квартал 2022")
                if not _TITLE_YEAR.search(text[max(0, m.start() - 8):m.end() + 8]) \
                        and not _release_date(text, m.start("y")):
                    found = _title_period(text, m.start("y"), m.end("y"), m.group("y"))
                    if found != m.group("y"):
                        periods.add(found)
    if not periods:  # nothing named as the period: a bare year ("Erwerbstätigenrechnung 2021:")
        return bare_title_year(titles)[0]
    return periods.pop() if len(periods) == 1 else None


# a year that is a price or index base, not a period: "at constant 2015 prices", "chained
# (2017) dollars", "in Preisen von 2015", "2015 = 100", "в ценах 2016 года"
_BASE_YEAR_BEFORE = re.compile(r"(?:constant|chained|prices?\s+of|price\s+base|base\s*(?:year|period)?|"
                               r"preisen\s+(?:von|des\s+jahres)|basisjahr|в\s+(?:сопоставимых\s+)?ценах|"
                               r"reference\s+year)\s*[:(]?\s*$", re.IGNORECASE)
_BASE_YEAR_AFTER = re.compile(r"^\s*\)?\s*(?:=\s*100|prices|dollars|euros?|preisen|ценах|цены)", re.IGNORECASE)


def title_period_clash(titles, periods, where: str) -> str | None:
    """A one-line warning when the period a title line names (:func:`period_from_titles`) is
    in no year of the table's own periods (``periods``: a period column's or the headings'),
    naming both: "Employment by region, 2019" over a column headed 2020 -- a title left from
    last year's table, or a heading typed wrong; the table's own periods are read (the title
    is about the whole table, the heading about its cells, and a mistyped heading is as likely
    as a stale title: said, not decided).  None when the title names no one period, when some
    period of the table is in its year (a title year above a series ending in it), or when the
    year is a price or index base ("constant 2015 prices", "2015 = 100")."""
    said = period_from_titles(titles)
    periods = sorted({str(p) for p in periods if p is not None and str(p).strip()})
    if said is None or not periods or any(p[:4] == str(said)[:4] for p in periods):
        return None
    year = str(said)[:4]
    # (a CSV title line is split at its commas: the row's cells joined again)
    text = next((", ".join(" ".join(str(c).split()) for c in row if c is not None and str(c).strip())
                 for row in titles or [] if any(c is not None and year in str(c) for c in row)), "")
    for m in re.finditer(rf"(?<!\d){year}(?!\d)", text):
        if _BASE_YEAR_BEFORE.search(text[max(0, m.start() - 30):m.start()]) or \
                _BASE_YEAR_AFTER.search(text[m.end():m.end() + 12]):
            return None
    shown = ", ".join(periods[:4]) + (f" ... ({len(periods)} periods)" if len(periods) > 4 else "")
    return (f"the title line {text[:60]!r} names {said}, the table's {where} {shown}: the table's "
            "periods are read; check which is meant (a title left from another year, a "
            "yearbook's year, a mistyped heading)")


# a year that is a classification's edition ("WZ 2008", "ÖNACE 2008", "NAICS 2017"): no period
# (the national offices' NACE Rev. 2: SSB's "næring (SN2007)", SCB's "SNI 2007", Statistics
# Finland's "TOL 2008", ISTAT's "ATECO 2007", Statistics Poland's "PKD 2007", INSEE's "NAF rév. 2")
# (and CBS's "SBI 2008", INE's "CNAE 2009", NOGA 2008, NACE-BEL 2008, Croatia's NKD 2007,
# Slovenia's SKD 2008, Estonia's EMTAK 2008, Ukraine's КВЕД-2010, India's NIC 2008, ANZSIC 2006,
# INEGI's SCIAN 2018: CBS StatLine's title "... economische activiteit (SBI 2008), regio" was
# warned of as naming 2008 over the table's years)
_EDITION_BEFORE = re.compile(r"(?:\b(?:wz|nace|önace|oenace|naics|isic|sic|kldb|okved|оквэд2?|oked|окэд"
                             r"|sn|sni|tol|ateco|pkd|naf(?:\s*r[ée]v\.?)?"
                             r"|sbi|cnae|noga|nace-bel|nacebel|nkd|skd|emtak|kved|квед|квэд|nic|anzsic|scian)"
                             r"(?:\s*rev\.?\s*\d)?|ausgabe)\s*[-:]?\s*$", re.IGNORECASE)
# a year that says when the table was published or drawn, not what it counts: "Stand: 2021",
# "Datenstand 15.03.2023", "Gebietsstand: 31.12.2022", "Stand: März 2023", "veröffentlicht ...",
# or a source's copyright year ("Quelle: Statistisches Bundesamt (Destatis), 2023")
# (Statistics Canada: "Release date: 2023-03-30", "Date de diffusion : 2023-03-30")
_PUBLISHED_BEFORE = re.compile(r"(?:stand|veröffentlicht|erstellt|erstellungsdatum|published|release\s+date|"
                               r"date\s+de\s+diffusion|"
                               r"abgerufen|abruf)\w*\s*:?\s*(?:vom|am|im)?\s*(?:\d{1,2}\.\s*)?"
                               r"(?:\d{1,2}\.|[^\W\d]+\.?)?\s*$", re.IGNORECASE)


def bare_title_year(titles) -> tuple[str | None, str | None]:
    """A year written bare in the title lines ("Erwerbstätigenrechnung 2021:", "Beschäftigte
    am Arbeitsort 2021") taken for the table's period when it is the one year there: one
    four-digit year 1950-2100 standing alone (not in a date or a range), no other year-like
    number beside it.  A classification's edition ("WZ 2008") is no year of the table; a
    publication date ("Stand: 2021", "Datenstand: 15.03.2023") says when it was published,
    not what it counts, so it is never taken, though a bare year beside it is.  Returns
    (year, None) or (None, why no year was taken: a note for the message, or None)."""
    bare, other, published = set(), set(), set()
    for row in titles or []:
        for cell in row:
            text = str(cell or "")
            for m in re.finditer(r"(?<!\d)(1[89]\d{2}|2[01]\d{2})(?!\d)", text):
                before, after, y = text[max(0, m.start() - 40):m.start()], text[m.end():], m.group(1)
                if _EDITION_BEFORE.search(before):
                    continue
                if _PUBLISHED_BEFORE.search(before) or _release_date(text, m.start()) or re.search(
                        r"quelle|source|copyright|©|\(c\)", text[:m.start()], re.IGNORECASE):
                    published.add(y)
                elif (re.search(r"\d\s*[./\-\u2013]\s*$", before) or re.match(r"\s*[./\-\u2013]\s*\d", after)
                      or not 1950 <= int(y) <= 2100):
                    other.add(y)  # in a date or a range (30.06.2021, 2015-2021), or no year
                else:
                    bare.add(y)
    years = bare | other
    if len(bare) == 1 and not other - bare:
        return bare.pop(), None
    if len(years) > 1:
        return None, "the title names more than one year (" + ", ".join(sorted(years)) + ")"
    if years:
        return None, f"the title's year {next(iter(years))} is not written alone (a date or a range)"
    if published:
        return None, ("the title's only year " + ", ".join(sorted(published))
                      + " is a 'Stand' or source date, when the table was published, not the period it counts")
    return None, None


_REGION_PERIOD = re.compile(r"^(?P<prefix>.*?[^\W\d].*?)[\s_.-]*(?P<period>(?:18|19|20|21)\d{2}"
                            r"(?:\s*[-_/ ]?\s*[QqMm]\s*\d{1,2})?)$")


def _region_period_heads(headings, any_prefix: bool = False) -> dict[str, tuple[str, str]]:
    """Headings naming a region and a period (``Goettingen2008``, ``e_Freiburg2014``,
    ``BRD 2016Q1``) -> (region, period).  Leading one-letter and measure tokens (REAT's
    ``e_`` for employment) are not part of the region.  ``any_prefix``: every ``<prefix><year>``
    heading (``emp2016``, ``e_2008``), the prefix as written (the region is known otherwise)."""
    out = {}
    named_months = []
    for h in headings:
        if not h or period_of(h):
            if month_named_first(h):
                named_months.append(h)
            continue
        _region_period_head(h, any_prefix, out)
    if out and named_months and not any("M" in p for _r, p in out.values()):
        # a region whose name is a month's amid other regions' headings with years ("Galway
        # 2016;Mayo 2016": Ireland's County Mayo, Spanish "mayo"): a region too -- read as May
        # 2016, its columns were left out as 'not read', the county gone, exit 0
        for h in named_months:
            _region_period_head(h, any_prefix, out)
    return out


def _region_period_head(h: str, any_prefix: bool, out: dict) -> None:
    """One heading of :func:`_region_period_heads` into ``out`` when it names a region (or,
    ``any_prefix``, any prefix) and a period."""
    m = _REGION_PERIOD.match(h.strip())
    if not m or period_of(m.group("period")) is None:
        return
    if any_prefix:
        out[h] = (m.group("prefix").strip(" _.-"), period_of(m.group("period")))
        return
    parts = [p for p in re.split(r"[_\s]+", m.group("prefix").strip(" _.-")) if p]
    while len(parts) > 1 and (len(parts[0]) == 1 or role_of(parts[0]) in schema.MEASURES):
        parts.pop(0)
    region = " ".join(parts)
    if len(region) < 2 or role_of(region) is not None:
        return  # emp2016, wages_2016: a measure by year, not a region
    out[h] = (region, period_of(m.group("period")))


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")


def _month_columns(header) -> list[str]:
    """The monthly employment columns of one quarter, in month order (month1_emplvl ..,
    "January Employment" ..); empty unless there are at least two."""
    found = []
    for h in header:
        n = _norm(h or "")
        m = re.match(r"^month([1-3])_emplvl$", n)
        if m:
            found.append((int(m.group(1)), h))
            continue
        m = re.match(r"^(" + "|".join(_MONTH_NAMES) + r")_employment$", n)
        if m:
            found.append((_MONTH_NAMES.index(m.group(1)) + 1, h))
    found.sort()
    return [h for _, h in found] if len(found) >= 2 else []


_QUARTER_HEADINGS = {"qtr", "quarter", "quartal", "kvartal", "квартал", "toqsan", "тоқсан"}
# a month column beside the year: GENESIS's "Jahr;Monat" (Januar ... Dezember, MONAT01 in its
# flat file), "year,month" (1-12) -- read as no column, each year's rows were refused as
# differing only in a column not read
_MONTH_HEADINGS = {"month", "monat", "месяц", "mois", "mes", "mese", "maand"}
_OWN_CODES = {"0": schema.OWNERSHIP_TOTAL, "1": "federal", "2": "state", "3": "local",
              "4": "international", "5": schema.OWNERSHIP_PRIVATE, "8": "government",
              "9": "ui-covered-excl-federal",  # as the QCEW adapter names them
              # BLS's OEWS: 1235 federal, state and local government and private (all), 123
              # the three governments
              "1235": schema.OWNERSHIP_TOTAL, "123": "government"}
# the QWI's ownercode (LEHD schema, label_ownercode.csv): A00 "State and local government
# plus private ownership" -- all but federal, QCEW's own_code 9, not the all-ownership total
# (the QWI leave federal jobs out, or give them apart as A01) -- A01 "Federal government", A05
# "All Private".  A00 was read as total: lq's region totals and --denominator all-ownership
# took a total without federal jobs for the whole
_QWI_OWN_CODES = {"A00": "ui-covered-excl-federal", "A01": "federal", "A05": schema.OWNERSHIP_PRIVATE}
# the QWI's status flags (LEHD schema, label_flags.csv): 1 OK, 9 significantly distorted (the
# distorted value released), 10 and 12 aggregates released: the value as published, the flag
# kept but for 1; 5 "Value suppressed because it does not meet US Census Bureau publication
# standards" and 11 an aggregate not released: withheld, whatever the cell holds (a 0 there is
# no zero); -1 "Data not available to compute this estimate", -2 no data available: no value,
# missing as a withheld one is (status suppressed, the flag kept to tell them apart)
_QWI_FLAGS_WITHHELD = ("5", "11", "-1", "-2")
_QWI_FLAG_OK = "1"
_OWN_TITLES = {"total covered": schema.OWNERSHIP_TOTAL, "federal government": "federal",
               "state government": "state", "local government": "local",
               "international government": "international",
               "private": schema.OWNERSHIP_PRIVATE, "total government": "government",
               "total u.i. covered (excludes federal government)": "ui-covered-excl-federal"}
# the words national offices use in an ownership column (a German 'Eigentum', a Russian
# 'собственность'), read as the canonical names (any case); another category of the source's
# own ('иностранная', 'municipal') is kept as it is
_OWN_WORDS = {
    "all": schema.OWNERSHIP_TOTAL, "all ownerships": schema.OWNERSHIP_TOTAL,
    "insgesamt": schema.OWNERSHIP_TOTAL, "gesamt": schema.OWNERSHIP_TOTAL,
    "всего": schema.OWNERSHIP_TOTAL, "итого": schema.OWNERSHIP_TOTAL,
    "privat": schema.OWNERSHIP_PRIVATE, "private sector": schema.OWNERSHIP_PRIVATE,
    "частная": schema.OWNERSHIP_PRIVATE,
    "public": "government", "public sector": "government", "öffentlich": "government",
    "государственная": "government",
    # the Romance and Dutch / Nordic words, which the misspelling check took for misspelt
    # names ('Totale', 'Totaal', 'Privato', 'privată': a misspelling of 'total'? exit 1)
    "totale": schema.OWNERSHIP_TOTAL, "totaal": schema.OWNERSHIP_TOTAL,
    "totalt": schema.OWNERSHIP_TOTAL,
    "privato": schema.OWNERSHIP_PRIVATE, "privata": schema.OWNERSHIP_PRIVATE,
    "privată": schema.OWNERSHIP_PRIVATE, "privé": schema.OWNERSHIP_PRIVATE,
    "privée": schema.OWNERSHIP_PRIVATE, "privado": schema.OWNERSHIP_PRIVATE,
    "privada": schema.OWNERSHIP_PRIVATE,
    "pubblico": "government", "pubblica": "government", "publiek": "government",
    "publique": "government", "público": "government",
    "pública": "government",
    # words the misspelling check (difflib >= 0.8) took for misspelt names, though their meaning
    # is clear: German 'Staat' (the general government sector of the national accounts: Bund,
    # Länder, Gemeinden), the Romance and German forms of local, federal, international and
    # private, the Spanish and Italian plurals of total
    "staat": "government", "öffentliche": "government", "öffentlicher": "government",
    "gouvernement": "government", "governmental": "government",
    "totales": schema.OWNERSHIP_TOTAL, "totali": schema.OWNERSHIP_TOTAL,
    "locale": "local", "locali": "local", "locales": "local", "lokal": "local",
    "federale": "federal", "föderal": "federal", "fédéral": "federal",
    "internacional": "international", "internationale": "international",
    "internazionale": "international",
    "privati": schema.OWNERSHIP_PRIVATE, "privater": schema.OWNERSHIP_PRIVATE,
}
# the words that qualify an ownership's name without changing it: 'Private sector', 'Federal
# Government', 'Total private' (BLS's CES), 'All Private' (the QWI's A05), 'Total, all
# ownerships', 'Total nacional'.  A name of several words is read as the one name left when
# these are taken out (total when none is left but them); 'State and local government' or
# 'Private non-profit' leave two words or an unknown one and are kept as they are
_OWN_QUALIFIERS = {"sector", "sektor", "secteur", "settore", "ownership", "ownerships",
                   "owned", "all", "total", "government", "nacional", "national", "nationale",
                   "general", "insgesamt"}


def ownership_name(value) -> str | None:
    """The canonical ownership (:data:`schema.OWNERSHIPS`) a generic table's ownership cell
    names, or None when it names none (a category of the source's own, or a misspelling for
    validation to refuse): the names in any case, QCEW's codes and own_titles, national
    offices' words, an English plural ('Totals', 'States', 'Privates') and a name with
    qualifying words ('Private sector', 'Total, all ownerships')."""
    key = schema.ownership_key(value)
    one = lambda k: (k if k in schema.OWNERSHIPS else _OWN_TITLES.get(k)  # noqa: E731
                     or _OWN_WORDS.get(k))
    to = one(key) or _OWN_CODES.get(str(value).strip())
    if to is not None:
        return to
    if key.endswith("s") and key[:-1] in schema.OWNERSHIPS and len(key) > 4:
        return key[:-1]  # 'totals', 'states', 'locals', 'privates', 'internationals'
    words = [w for w in re.split(r"[\s,;:()/]+", key) if w]
    if len(words) < 2:
        return None
    rest = [w for w in words if w not in _OWN_QUALIFIERS]
    if not rest:  # 'Total, all ownerships', 'Total nacional'; 'General government'
        if "government" in words and {"national", "nationale", "nacional"} & set(words):
            # 'National government' is the central government (as Denmark's 'Stat'), not
            # all of government: read as 'government', it stood below 'Local government'
            return None
        return "government" if "government" in words else schema.OWNERSHIP_TOTAL
    if len(rest) == 1:
        return one(rest[0]) or (rest[0][:-1] if rest[0].endswith("s") and rest[0][:-1] in schema.OWNERSHIPS
                                else None)
    return None
_UNNAMED = re.compile(r"^column_\d+$")
_DATE = re.compile(r"^(?:(\d{1,2})\.(\d{1,2})\.((?:18|19|20|21)\d{2})|((?:18|19|20|21)\d{2})-(\d{2})-(\d{2}))$")
_REGION_CODE = re.compile(r"^(?:\d{2,12}|[A-Z]{2}[0-9A-Z]{0,3})$")


_REGION_NAME_WORDS = re.compile(
    r"(?:^|\s)(?:область|обл\.|облысы|край|республика|автономн\w*|округ|oblysy|oblast)(?:\s|$)"
    r"|^(?:г\.|город\s|qalasy\s)\s*\w|\w\s(?:қ\.|қаласы|q\.|qalasy)$", re.IGNORECASE)


# a total row's name beyond the bare words: a total word with the whole it sums ("Итого по
# республике", "Всего по Республике Казахстан", "Total Utah", "Deutschland insgesamt",
# "Российская Федерация - всего"), with a colon ("Итого:", "TOTAL:"), or all the regions
# ("All regions", "Alle Länder").  Kept as a region, such a row was one more place in every
# sum over regions: twice the jobs of the benchmark, the dominant "region" of each industry
_TOTAL_LEAD = re.compile(r"^(?:всего|итого|барлығы|total|grand\s+total|insgesamt|gesamt|summe|"
                         r"zusammen)(?:\s+|\s*[-:,\u2013]\s*)(?:по\s+|for\s+|of\s+)?\S", re.IGNORECASE)
_TOTAL_TAIL = re.compile(r"\S(?:\s+|\s*[-:,(\u2013]\s*)(?:всего|итого|insgesamt|gesamt|zusammen|"
                         r"total|барлығы)\)?$", re.IGNORECASE)
_ALL_REGIONS = re.compile(r"^(?:all|alle|все|всего)\s+(?:regions?|areas?|states|counties|länder|"
                          r"laender|kreise|регионы|регионов|области|субъекты)$", re.IGNORECASE)

# the European aggregates over countries, by code or label (Eurostat: EU27_2020, "European
# Union - 27 countries (from 2020)", EA20, "Euro area - 20 countries (from 2023)"; the labels=both
# form "EU27_2020: European Union ..."): a sum of the table's countries, never a region
_EU_AGGREGATE = re.compile(r"^(?:eu\d{2}(?:_\d{4})?|ea\d{2}(?:_\d{4})?|efta|eu|ea)(?::|$)"
                           r"|^(?:european union|euro area|eurozone)\b", re.IGNORECASE)


def is_region_total_name(name: str | None) -> bool:
    """``name`` (a region cell) names the total of the table's regions, not a region."""
    if name is None:
        return False
    t = " ".join(str(name).split())
    bare = t.lower().rstrip(": ").strip()
    if bare in REGION_TOTALS or bare in ("σ", "zusammen", "sum", "итог"):
        return True
    if bare.count(" / ") == 1 and all(h.strip() in REGION_TOTALS for h in bare.split(" / ")):
        # the country in two languages, as stat.gov.kz's bulletins write its row: "Қазақстан
        # Республикасы / Республика Казахстан" (one more region beside the oblasts before)
        return True
    if _EU_AGGREGATE.match(bare):
        return True
    # PX-Web tables write each region's code before its name: SCB's "00 Sweden" above
    # "01 Stockholm county", Statistics Finland's "SSS WHOLE COUNTRY" above "MK01 Uusimaa"
    m = _CODE_BEFORE_NAME.match(t)
    if m and m.group(1).lower().rstrip(": ").strip() in REGION_TOTALS:
        return True
    return bool(_TOTAL_LEAD.match(t) or _TOTAL_TAIL.search(t) or _ALL_REGIONS.match(bare))


# a code before a region's name: digits, or capitals ("SSS", "MK01"), never a word ("Nord Norge")
_CODE_BEFORE_NAME = re.compile(r"^(?:[A-Z]{2,4}\d{0,4}|[A-Z]{0,4}\d{1,4})\s+(\S.*)$")


def _country_of(v) -> str | None:
    """The country a region cell names (``Germany``, ``DE Germany``, ``276 Deutschland``), or
    None (one definition for :func:`region_total_names` and
    :func:`lone_countries_that_are_no_totals`, which wrote it out each)."""
    t = " ".join(str(v).split())
    m = _CODE_BEFORE_NAME.match(t)
    return COUNTRY_OF.get(t.lower().rstrip(": ").strip()) or (
        COUNTRY_OF.get(m.group(1).lower().rstrip(": ").strip()) if m else None)


def region_total_names(names) -> list:
    """The region cells among ``names`` that are totals of the table's regions
    (:func:`is_region_total_name`), but for the countries' names when they name two countries
    or more: a Eurostat table by country lists Germany and Austria beside Belgium, and both
    were dropped as "region total rows", one country left of three.  The other countries
    count too (Germany beside Belgium and France is no total of them)."""
    totals = [v for v in names if is_region_total_name(v)]
    # a code of zeros beside other codes of its length: their total (SCB's 00 Riket and the
    # Census's 00 United States downloaded as codes alone; SSB's 0, Statistics Denmark's 000)
    digits = [str(v).strip() for v in names if v is not None and str(v).strip().isdigit()]
    totals += [v for v in names if v is not None and re.fullmatch(r"0+", str(v).strip())
               and any(len(d) == len(str(v).strip()) and set(d) != {"0"} for d in digits)
               and v not in totals]
    if totals and len({c for c in map(_country_of, names) if c}) >= 2:
        totals = [v for v in totals if not _country_of(v)]
    # metropolitan France beside the overseas départements alone (INSEE's tables by zone:
    # France métropolitaine, Guadeloupe, Martinique, La Réunion ...) is one part of France
    # among others, not their total: dropped, its workers were lost
    metro = [v for v in totals if _METROPOLE.match(" ".join(str(v).split()))]
    others = [v for v in names if v is not None and v not in totals]
    if metro and others and all(_OVERSEAS.match(" ".join(str(v).split())) for v in others):
        totals = [v for v in totals if v not in metro]
    return totals


def zero_codes_that_are_totals(frame, column: str, found: list, keys: list[str],
                               measure: str | None) -> list:
    """``found`` (region cells taken for totals, :func:`region_total_names`) without its codes
    of zeros (``0``, ``00``: SCB's Riket, SSB's nation beside the counties' codes) whose
    figures in ``measure`` are no total: a total is at least each of its regions, for every
    ``keys`` (period, industry, ownership).  A table whose regions are numbered from 0 (a
    pandas ``ngroup()``) had its region 0 dropped as 'region total rows', its jobs gone from
    every benchmark, exit 0.  ``frame``: a DataFrame or LazyFrame."""
    import polars as pl

    zeros = [v for v in found if re.fullmatch(r"0+", str(v).strip())]
    if not zeros or measure is None:
        return found
    value = pl.col(measure).cast(pl.Float64, strict=False)
    is_zero = pl.col(column).str.strip_chars().is_in(zeros).fill_null(False)
    below = (frame.lazy().group_by(keys).agg(value.filter(is_zero).max().alias("_total"),
                                            value.filter(~is_zero).max().alias("_part"))
             .filter(pl.col("_total") < pl.col("_part") * (1 - 1e-9)).select(pl.len()).collect().item())
    return [v for v in found if v not in zeros] if below else found


def lone_countries_that_are_no_totals(frame, column: str, found: list, keys: list[str],
                                     measure: str | None) -> list:
    """``found`` (region cells taken for totals, :func:`region_total_names`) without a country's
    name that is the only country the table names, when its figures in ``measure`` fall short
    of another region's (beyond rounding: 2% and 1) for some ``keys`` (period, industry,
    ownership) where both have one.  A table of countries of which one name alone is known as
    a country's (TÜİK's ``Türkiye`` beside ``Almanya``, ``Fransa``) had that country dropped as
    their total, its figures gone, exit 0; a country above its regions holds at least each of
    them.  (Not their sum: a table of two levels, Rosstat's federal districts beside the
    subjects, ONS's England beside the ITL1 regions, holds the country up to twice over.)
    ``frame``: a DataFrame or LazyFrame."""
    import polars as pl

    named = [v for v in found if _country_of(v)]
    if len(named) != 1 or measure is None:
        return found
    is_total = (pl.col(column).str.strip_chars() == str(named[0]).strip()).fill_null(False)
    # (the other totals found, "Total" beside "Kazakhstan", are no region of the sum)
    is_other = ~pl.col(column).str.strip_chars().is_in([str(v).strip() for v in found]).fill_null(False)
    value = pl.col(measure).cast(pl.Float64, strict=False)
    short = (frame.lazy().group_by(keys).agg(value.filter(is_total).max().alias("_total"),
                                            value.filter(is_other).max().alias("_part"))
             .filter(pl.col("_total") < pl.col("_part") * 0.98 - 1).select(pl.len()).collect().item())
    return [v for v in found if v not in named] if short else found


def zero_codes_with_region_names(found: list, names_of: dict) -> list:
    """``found`` (region cells taken for totals, :func:`region_total_names`) without its codes
    of zeros (``0``, ``00``) that a name column names as a region: ``names_of`` maps each code
    to the names beside it, and a code whose names are all given and none a word for a total
    or a country (``00 Capital District``, not ``00 Riket``, ``0 Hele landet``, ``00 United
    States``) is a region numbered 0.  Dropped as 'region total rows' by its code alone, its
    jobs were gone from every benchmark, exit 0."""
    def named_region(code) -> bool:
        names = [str(n).strip() for n in names_of.get(code, ())]
        return bool(names) and all(n and n != str(code).strip() and not is_region_total_name(n)
                                   and not is_region_total_name(f"{str(code).strip()} {n}")
                                   for n in names)

    return [v for v in found if not (re.fullmatch(r"0+", str(v).strip()) and named_region(v))]


def zero_codes_of_totals(frame, column: str, name_column: str, found: list, keys: list[str],
                         measure: str | None) -> list:
    """``found`` (region cells taken for totals) without the codes of zeros that ``frame``'s
    ``name_column`` names as a region (:func:`zero_codes_with_region_names`), unless the
    region's figures in ``measure`` are the sum of the other regions' for every ``keys``
    (:func:`sums_the_others`: a country by a name not known here, "0 Ireland" above its
    regions, is a total whatever its name).  ``frame``: a DataFrame or LazyFrame; ``found``
    holds its codes stripped of blanks, as they are compared."""
    import polars as pl

    zeros = [v for v in found if re.fullmatch(r"0+", str(v).strip())]
    if not zeros:
        return found
    stripped = pl.col(column).str.strip_chars()
    pairs = (frame.lazy().filter(stripped.is_in(zeros)).select(stripped, name_column)
             .unique().collect().rows())
    names_of: dict = {}
    for code, name in pairs:
        names_of.setdefault(code, []).append(name if name is not None else "")
    named = set(found) - set(zero_codes_with_region_names(found, names_of))
    return [v for v in found if v not in named or sums_the_others(frame, column, v, keys, measure)]


def sums_the_others(frame, column: str, code: str, keys: list[str], measure: str | None) -> bool:
    """Whether region ``code``'s figures in ``measure`` are the sum of the other regions' in
    ``column`` (within rounding: 0.5% and 1) for every ``keys`` (period, industry, ownership)
    where it has one.  ``frame``: a DataFrame or LazyFrame."""
    import polars as pl

    if measure is None:
        return True
    is_code = (pl.col(column).str.strip_chars() == str(code).strip()).fill_null(False)
    value = pl.col(measure).cast(pl.Float64, strict=False)
    sums = (frame.lazy().group_by(keys).agg(value.filter(is_code).sum().alias("_total"),
                                           value.filter(~is_code).sum().alias("_rest"),
                                           is_code.any().alias("_has"))
            .filter(pl.col("_has")).collect())
    off = sums.filter((pl.col("_total") - pl.col("_rest")).abs() > pl.col("_rest").abs() * 0.005 + 1)
    return sums.height > 0 and off.height == 0


_METROPOLE = re.compile(r"^(?:\w{2,5}\s+)?france\s+m[ée]tropolitaine$", re.IGNORECASE)
_OVERSEAS = re.compile(r"^(?:\w{2,5}\s+)?(?:guadeloupe|martinique|guyane(?:\s+fran[cç]aise)?|(?:la\s+)?r[ée]union"
                       r"|mayotte|dom|drom|d[ée]partements\s+d'outre-mer(?:\s+\(dom\))?)$", re.IGNORECASE)


# Statistics Canada's "download as displayed" heads each geography with its footnote numbers
# and a link to its map: "Canada 5 (map)", "Newfoundland and Labrador (map)"
_MAP_LINK = re.compile(r"(?:\s+\d{1,2})*\s*\(map\)$")


def region_heading_name(h: str) -> str:
    """A region heading's name without StatCan's map link and footnote numbers."""
    return _MAP_LINK.sub("", h.strip()) or h


def _is_region_name_heading(h: str) -> bool:
    """A heading that names a region ("Акмолинская область", "г.Астана", "Астана қ.",
    "Республика Казахстан"): a total's name, or a name with a word for an administrative unit."""
    t = re.sub(_FOOTNOTE_MARK, r"\1", " ".join(str(h).split()))  # "г.Астана1)"
    if t.lower() in REGION_TOTALS - codes.TOTAL_WORDS:  # a country's name, not a bare "Всего"
        return True
    if _MAP_LINK.search(t):  # Statistics Canada's displayed table: "Nova Scotia (map)"
        return True
    return bool(_REGION_NAME_WORDS.search(t)) and (len(t.split()) >= 2 or t.lower().startswith("г."))


_WZ_CELL = re.compile(r"^WZ\s*(?:20)?08-[A-U0-9]", re.IGNORECASE)


def _coded_nace_label(v: str) -> bool:
    """``"Раздел С Обрабатывающие производства"``, ``"C10 Manufacture of food"``: a NACE code
    before (or in brackets after) a name."""
    code, name = codes.split_label(v)
    return name is not None and codes.level(codes.normalize(code, schema.NACE), schema.NACE) is not None


# the plain words for the industry (branch, sector, activity) in the main EU languages, each a
# whole heading: French, German, Dutch, Italian, Spanish, Portuguese, Czech, Slovak, Polish,
# Hungarian, Swedish, Danish, Slovene, Croatian, Romanian, Estonian, Latvian, Lithuanian
_BARE_INDUSTRY_WORDS = {
    "secteur", "secteurs", "secteur_d_activite", "branche", "branchen", "sektor", "sektoren", "sektory",
    "settore", "settori", "sector", "sectores", "sectoren", "setor", "setores", "ramo", "rama",
    "odvětvi", "odvetvi", "odvětví", "odvetvie", "branża", "branza", "agazat", "bransch", "branscher",
    "erhverv", "dejavnost", "djelatnost", "activitate", "tegevusala", "nozare", "veikla"}


def _coded_industry_names(roles: dict, samples: dict | None) -> str | None:
    """The industry-name column whose cells carry their codes, read as the industry column
    when no other is: NOMIS's API CSV asked without INDUSTRY_CODE has only INDUSTRY_NAME,
    "10 : Manufacture of food products" (it was "no industry column recognised", read only
    with --industry-col INDUSTRY_NAME).  None when its cells are bare names."""
    for head in roles.get("industry_name", []):
        values = [str(v).strip() for v in (samples or {}).get(head, []) if v is not None and str(v).strip()]
        if values and sum(codes.split_label(v)[1] is not None for v in values) * 2 > len(values):
            return head
    return None


def _names_beside(code_col, header, unnamed, samples, roles, role, letters):
    """The unheaded column right of an unheaded code column is the codes' names (``role``)
    when every sampled cell of it has ``letters`` (a regex) in it."""
    nxt = header.index(code_col) + 1
    if nxt < len(header) and header[nxt] in unnamed and header[nxt] in samples:
        names = [v for v in samples[header[nxt]] if v]
        # (one name per code: beside GENESIS's WZ08-C, a column of size classes, several per
        # code, "Insgesamt", "0 bis unter 10 ... Beschäftigte", was read as the codes' names
        # and its rows as duplicates of their code's)
        named: dict[str, set] = {}
        for c, v in zip(samples.get(code_col, []), samples[header[nxt]]):
            if c and v:
                named.setdefault(str(c).strip(), set()).add(str(v).strip())
        if names and all(re.search(letters, v) for v in names) and all(len(n) == 1 for n in named.values()):
            roles[header[nxt]] = role


def _is_industry_code(v: str) -> bool:
    """A NACE/OKED or NAICS code as a table lists it (``A``, ``C10``, ``01``, ``B-E``, ``5417``)."""
    return any(codes.level(codes.normalize(v, c) or "", c) is not None for c in (schema.NACE, schema.NAICS))


def _content_roles(header: list[str], samples: dict | None, regions_across: bool = False) -> dict[str, str]:
    """Roles of columns without a heading, from their cells: a column of dates or years is
    the period, a column of codes (AGS/FIPS digits, NUTS) the region, the text column right
    after it the region's name (GENESIS exports label only the value columns); without codes,
    a first column of names is the region (a yearbook sheet's empty corner cell).  With the
    regions as columns (``regions_across``) a column of industry codes is the industry."""
    roles: dict[str, str] = {}
    if not samples:
        return roles
    unnamed = [h for h in header if _UNNAMED.match(h) and h in samples]
    for i, h in enumerate(unnamed):
        vals = [v.strip() for v in samples[h] if v is not None and v.strip()]
        if not vals:
            continue
        if "period" not in roles.values() and all(_DATE.match(v) or period_of(v) for v in vals):
            roles[h] = "period"
        elif regions_across and not any(r.startswith("industry") for r in roles.values()) \
                and any(not codes.is_total(v) for v in vals) \
                and all(codes.is_total(v) or _is_industry_code(v) or codes.section_of_title(v)
                        for v in vals):
            # a yearbook sheet with the regions across and an empty corner cell over the
            # section letters or divisions (stat.gov.kz: ";Республика Казахстан;Абайская
            # область;..." over "A;...", "B;..."), or over the sections' titles ("Сельское,
            # лесное и рыбное хозяйство;..."): the industries, no region
            roles[h] = "industry_code"
            _names_beside(h, header, unnamed, samples, roles, "industry_name", r"[^\W\d_]{3,}")
        elif "region_code" not in roles.values() and all(_REGION_CODE.match(v) for v in vals):
            roles[h] = "region_code"
            _names_beside(h, header, unnamed, samples, roles, "region_name", r"[^\W\d_]")
        elif "industry_code" not in roles.values() and any(_WZ_CELL.match(v) for v in vals) \
                and all(_WZ_CELL.match(v) or codes.is_total(v) for v in vals):
            # GENESIS tables by WZ 2008 ("Niedersachsen;WZ08-C;Verarbeitendes Gewerbe;...")
            # head neither the code column nor the names beside it
            roles[h] = "industry_code"
            _names_beside(h, header, unnamed, samples, roles, "industry_name", r"[^\W\d_]{3,}")
        elif "industry_code" not in roles.values() and "industry" not in roles.values() \
                and any(not codes.is_total(v) for v in vals) \
                and all(codes.is_total(v) or _coded_nace_label(v) for v in vals):
            # Rosstat / EMISS: "Белгородская область;Раздел С Обрабатывающие производства;..."
            # under a header of years only: codes and names in one unheaded column
            roles[h] = "industry"
        elif "industry_code" not in roles.values() and "industry" not in roles.values() \
                and header and h != header[0] and any(not codes.is_total(v) for v in vals) \
                and all(codes.is_total(v) or codes.section_of_title(v) for v in vals):
            # GENESIS by the sections' titles, its key columns unheaded ("Bayern;Verarbeitendes
            # Gewerbe;1.456.789" under ";;30.06.2023"): the industries, each title its section
            roles[h] = "industry"
    first = header[0] if header else None
    if first in unnamed and first not in roles and not any(r.startswith("region") for r in roles.values()):
        # a yearbook sheet's empty corner cell (Rosstat, stat.gov.kz): the first column lists
        # the regions by name ("Российская Федерация", "Белгородская область" ...)
        vals = [v.strip() for v in samples[first] if v is not None and v.strip()]
        if vals and all(re.search(r"[^\W\d_]{3,}", v) and not period_of(v) for v in vals):
            roles[first] = "region_name"
    return roles


# SDMX's unit multiplier (ABS, OECD, IMF, ECB SDMX-CSV: UNIT_MULT 3, "3: Thousands"): each
# value is that power of ten of the unit
# (Statistics Canada's table CSV: SCALAR_ID 3 beside SCALAR_FACTOR "thousands", as the LFS
# tables give employment)
# (OECD.Stat's CSV export: "PowerCode Code" 3 beside "PowerCode" Thousands: unread, the OECD's
# regional employment in thousands was read a thousand times too small)
_UNIT_MULT_HEADINGS = {"unit_mult", "unit_multiplier", "unitmult", "scalar_id",
                       "identificateur_scalaire", "powercode_code"}
# the frequency a table states for its dated periods: SDMX's FREQ codes and the words for them
_FREQ_HEADINGS = {"freq", "frequency", "periodicity", "frequenz", "periodizitaet", "периодичность"}
_FREQ_WORDS = {"a": "year", "annual": "year", "yearly": "year", "y": "year",
               "q": "quarter", "quarterly": "quarter",
               "m": "month", "monthly": "month",
               "s": "half-year", "semi-annual": "half-year", "half-yearly": "half-year", "h": "half-year"}
# the period column's own heading says it: "quarter" over 2016-01-01, "month" over 2016-03-01
_FREQ_OF_HEADING = {"quarter": "quarter", "quartal": "quarter", "qtr": "quarter", "квартал": "quarter",
                    "month": "month", "monat": "month", "месяц": "month",
                    "year": "year", "jahr": "year", "год": "year"}
# a title line saying so: "Quarterly employment by region", "Vierteljährliche ...", "Квартальные"
_TITLE_QUARTERLY = re.compile(r"\bquarterly\b(?!\s+census)|vierteljährl|quartalsdaten|квартальн|по кварталам|тоқсандық",
                              re.IGNORECASE)
_TITLE_MONTHLY = re.compile(r"\bmonthly\b|monatlich|monatsdaten|ежемесячн|месячн|по месяцам|айлық",
                            re.IGNORECASE)
PERIOD_FREQS = ("auto", "year", "quarter", "month")


def freq_of_titles(titles) -> str | None:
    """The frequency a title line above the header names (quarterly / monthly), or None."""
    text = " ".join(str(c) for row in (titles or []) for c in row if c)
    q, m = bool(_TITLE_QUARTERLY.search(text)), bool(_TITLE_MONTHLY.search(text))
    return "quarter" if q and not m else "month" if m and not q else None


def _coarser_period(period: str | None, freq: str) -> str | None:
    """A month (``2016M04``) or quarter as the quarter or year ``freq`` names, containing it."""
    m = re.match(r"^(\d{4})(?:M(\d{2})|Q([1-4]))$", period or "")
    if not m or freq == "month":
        return period
    if freq == "year":
        return m.group(1)
    return f"{m.group(1)}Q{(int(m.group(2)) - 1) // 3 + 1}" if m.group(2) else period


def _period_freq(long, plan, options, titles, path) -> tuple[str | None, str | None]:
    """``(frequency of the table's dated periods, the same when it also turns months into
    quarters or years)``: --period-freq, else an SDMX FREQ column of one frequency, else the
    period column's heading (quarter, month) or a title line (quarterly, monthly)."""
    given = str(getattr(options, "period_freq", None) or "auto").strip().lower()
    if given not in PERIOD_FREQS:
        raise UsageError(f"--period-freq {given!r}: expected {', '.join(PERIOD_FREQS)}")
    if given != "auto":
        return given, given
    if "_freq" in long.columns:
        said = sorted({str(v).split(":")[0].strip() for v in long.get_column("_freq").drop_nulls().unique()
                       if str(v).strip()})
        freqs = {_FREQ_WORDS.get(v.lower()) for v in said}
        dated = long.filter(_dated_rows()).height > 0 if said else False
        if len(freqs) == 1 and None not in freqs:
            f = freqs.pop()
            if f == "half-year" and dated:
                raise DataError(problems=[Problem(
                    "half-yearly data: no period clusterid has", path=path, column=plan.period,
                    expected="years, quarters or months", found=f"FREQ {said[0]}",
                    hint="add the half-years into years, or ingest each half-year with --period")])
            if f != "half-year":
                return f, f
        elif len(freqs) > 1 and dated:
            raise DataError(problems=[Problem(
                "rows of more than one frequency, dated alike", path=path, column="FREQ",
                expected="one frequency per file (a date 2016-01-01 is the year 2016 in one, "
                         "the quarter 2016Q1 in another)", found=", ".join(said),
                hint="split the file by FREQ and ingest each part")])
    if plan.period is not None:
        f = _FREQ_OF_HEADING.get(_norm(plan.period))
        if f in ("quarter", "month"):
            return f, f
    return freq_of_titles(titles), None


def _dated_rows():
    """Rows whose period cell is a date (2016-01-01, 01.01.2016)."""
    import polars as pl

    return pl.col("_period").str.strip_chars().str.contains(_DATE.pattern).fill_null(False)


class UnclearDates(ValueError):
    """Dates that are as much a quarter's (or half-year's) first or last days as months."""


def date_periods(values, freq: str | None = None) -> dict[str, str] | None:
    """Dates as periods; None unless every value is a date.  ``freq`` (year, quarter, month:
    stated by the table or --period-freq) gives each date the period of that frequency it
    falls in.  Otherwise one day of the year throughout (a Stichtag, 30.06.; annual data
    dated 01.01.) -> the year; dates that are all the first days of quarters (2016-01-01,
    2016-04-01, 2016-07-01 ... as SDMX/CSV exports date quarterly data) or all their last
    days (2016-03-31 ...), at least three quarters of the year among them -> the quarters;
    other dates -> the month (``2016M03``), also those of two quarters of the year only
    (2016-03-31, 2016-06-30: months as they were read before; nothing says quarters) but
    for the days that start or end half-years (01-01 and 07-01, 06-30 and 12-31): half-years,
    quarters with gaps or months, UnclearDates."""
    import calendar

    parts = {}
    for v in values:
        m = _DATE.match(v.strip()) if v else None
        if not m:
            return None
        if m.group(3):
            parts[v] = (m.group(3), int(m.group(2)), int(m.group(1)))
        else:
            parts[v] = (m.group(4), int(m.group(5)), int(m.group(6)))
    if not parts:
        return None
    if freq == "year":
        return {v: y for v, (y, mo, d) in parts.items()}
    if freq == "quarter":
        return {v: f"{y}Q{(mo - 1) // 3 + 1}" for v, (y, mo, d) in parts.items()}
    if freq == "month":
        return {v: f"{y}M{mo:02d}" for v, (y, mo, d) in parts.items()}
    one_day = len({(mo, d) for _y, mo, d in parts.values()}) == 1
    if one_day:
        return {v: y for v, (y, mo, d) in parts.items()}
    starts = all(d == 1 and mo in (1, 4, 7, 10) for _y, mo, d in parts.values())
    ends = all(mo in (3, 6, 9, 12) and d == calendar.monthrange(int(y), mo)[1] for y, mo, d in parts.values())
    if starts or ends:
        quarters = {(mo - 1) // 3 + 1 for _y, mo, _d in parts.values()}
        if len(quarters) >= 3:
            return {v: f"{y}Q{(mo - 1) // 3 + 1}" for v, (y, mo, d) in parts.items()}
        if quarters == {1, 3} if starts else quarters == {2, 4}:
            days = sorted({(mo, d) for _y, mo, d in parts.values()})
            raise UnclearDates(f"dates on the {'first' if starts else 'last'} days of half-years only "
                               f"({', '.join(f'{d:02d}.{mo:02d}.' for mo, d in days)}): "
                               "half-years, quarters or months?")
    return {v: f"{y}M{mo:02d}" for v, (y, mo, d) in parts.items()}


def heading_periods(headings, freq: str | None = None) -> dict[str, str]:
    """The headings that are periods, each with its period: ``2016``, ``2016Q1``, ``2016M03``
    (:func:`period_of`), and dates taken together (:func:`date_periods`: GENESIS's wide
    tables by Stichtag, ``30.06.2016;30.06.2017`` -> the years)."""
    out = {h: period_of(h) for h in headings if h and period_of(h)}
    dates = [h for h in headings if h and h not in out and _DATE.match(h.strip())]
    out.update(date_periods(dates, freq) or {})
    return out


_STATE_FIPS = ("state", "fipstate", "statefp", "state_fips")
# the Census API's geography columns (as headed in its answer, normalised) -> region level
CENSUS_API_GEOGRAPHIES = {"us": "nation", "state": "state",
                          "metropolitan_statistical_area_micropolitan_statistical_area": "cbsa",
                          "combined_statistical_area": "csa"}


def is_census_api_table(header) -> bool:
    """Headings of a Census CBP answer or table: a NAICS vintage column (NAICS2017) beside
    EMP, ESTAB or PAYANN."""
    names = {_norm(h) for h in header if h}
    return any(re.fullmatch(r"naics(?:19|20)\d\d", n) for n in names) and bool(
        names & {"emp", "estab", "payann"})
_COUNTY_FIPS = ("county", "fipscty", "countyfp", "county_fips")


def _county_fips(plan, col):
    """(region, is a county) expressions of a state FIPS column completed by a county FIPS
    column; rows whose cells are not both FIPS digits keep the state column's cell.

    Names in both (``Utah`` and ``Beaver County``, as a hand-made table or a BEA/Census
    download by name has them) make the county's region ``Beaver County, Utah`` (QCEW's
    area title): a county name is not unique across states (30 states have a Washington
    County), and the state's cell alone made every county of a state one region, "duplicate
    row" for each.  A row with no county is the state's."""
    import polars as pl

    st = pl.col(col(plan.region)).str.strip_chars()
    cty = pl.col(col(plan.county)).str.strip_chars()
    both = (st.str.contains(r"^\d{1,2}$") & cty.str.contains(r"^\d{1,3}$")).fill_null(False)
    named = (~both & cty.str.contains(r"[^\W\d_]") & st.str.contains(r"[^\W\d_]")).fill_null(False)
    region = (pl.when(both).then(st.str.zfill(2) + cty.str.zfill(3))
              .when(named).then(cty + pl.lit(", ") + st).otherwise(pl.col(col(plan.region))))
    return region, both | named


# words that make a measure's heading a part or another time of it: "Beschäftigte Vorjahr"
# (last year), "Beschäftigte Frauen" (women), "Veränderung" (change), "Anteil" (share)
_QUALIFIERS = {"vorjahr", "vorjahres", "prev", "previous", "prior", "last", "frauen", "maenner",
               "women", "men", "female", "male", "weiblich", "maennlich", "женщин", "женщины",
               "мужчин", "мужчины", "teilzeit", "vollzeit", "parttime", "fulltime", "change",
               "veraenderung", "diff", "growth", "anteil", "share", "pct", "percent", "изменение",
               "прирост", "доля", "рост"}


# words of establishments (a place of work) rather than of firms or enterprises (which own
# one or more of them)
_PLACE_WORDS = {"estab", "estabs", "establishment", "establishments", "betriebe", "arbeitsstaetten",
                "plants", "estb"}


def _measure_column(measure: str, headings: list[str], path: str) -> str:
    """The column of ``measure`` among the headings that name it: the one heading without a
    qualifier (another year, a sex, a change or share) when there is one.  The first was
    taken: "Beschäftigte Vorjahr" before "Beschäftigte" gave last year's jobs as this year's,
    silently.  Only qualified headings, several of them: which is meant is asked."""
    if len(headings) < 2:
        return headings[0]

    def worded(h):  # ... and "full-time", "part-time" (the ABS's "Employed full-time ('000)")
        words = _norm(h).split("_")
        return bool(_tokens(_norm(h)) & _QUALIFIERS) or any(
            w in ("full", "part") and after == "time" for w, after in zip(words, words[1:]))

    def dated(h):  # "Beschäftigte 2015": one of a measure's years across (read as such later)
        return any(re.fullmatch(r"(?:18|19|20|21)\d{2}", t) for t in _tokens(_norm(h)))

    if measure == schema.ESTABLISHMENTS:
        # establishments before firms: the Census's BDS (firms, estabs) had its 500 firms read
        # as the establishments where it publishes 520 (the first heading naming the measure)
        places = [h for h in headings if _tokens(_norm(h)) & _PLACE_WORDS]
        if places and len(places) < len(headings):
            headings = places
            if len(headings) == 1:
                return headings[0]
    plain = [h for h in headings if not worded(h) and not dated(h)]
    if len(plain) == 1:
        return plain[0]
    if all(worded(h) for h in headings):
        raise DataError(problems=[Problem(
            f"several columns could be {measure}", path=path, line=1,
            expected=f"one {measure} column", found=", ".join(headings),
            hint=f"name the one to read with --measure-col {measure}=COLUMN")])
    return headings[0]


# a bare word for a code, right or left of a region column of names: the names' keys
# ("Schlüssel;Kreis", "Kennziffer;Kreise und kreisfreie Städte")
_BARE_CODE_HEADINGS = {"schluessel", "schluesselnummer", "kennziffer", "kennziffern", "nummer",
                       "nr", "key", "kod",
                       # IBGE's SIDRA: "Cód." left of "Unidade da Federação", "Município"
                       "cod", "codigo"}
# a GSS code (the ONS's geography codes: type letter and two digits, six digits) under
# NOMIS's headings for it
_GSS_CODE_HEADINGS = {"mnemonic", "geography_code"}
_GSS_CODE = re.compile(r"[EWSNK]\d{8}")
_BARE_NAME_HEADINGS = {"наименование", "название", "атауы", "bezeichnung", "name", "label",
                       "description", "libelle", "libellé"}


# NOMIS's downloads say where they come from in a title line: "ONS Crown Copyright Reserved
# [from Nomis on 29 November 2026]"
_NOMIS_TITLE = re.compile(r"\bfrom\s+nomis\s+on\b", re.IGNORECASE)


# the comparison geographies NOMIS adds beside a query's areas, by name: the levels their GSS
# codes give down the side (E12 region, E92/W92/S92/N92 country, K02 the United Kingdom)
_GB_LEVELS = {
    **dict.fromkeys(("north east", "north west", "yorkshire and the humber", "east midlands",
                     "west midlands", "east", "east of england", "london", "south east",
                     "south west"), "region"),
    **dict.fromkeys(("england", "wales", "scotland", "northern ireland"), "country"),
    "great britain": "great-britain", "england and wales": "england-and-wales",
    "united kingdom": "nation",
}


def _nomis_areas_across(header, roles, titles, options) -> list[str]:
    """The headings of a NOMIS download that are its areas across (a query with geography as
    the column dimension: "Industry","Hartlepool","Middlesbrough"): beside the industry
    column and no region column, every other heading that is no period, no industry and no
    role.  NOMIS names its areas bare, without a word a yearbook's have ("область"), so only
    the download's own title line ("from Nomis on ...") says they are areas.  [] otherwise."""
    if options.region_col or getattr(options, "region", None) or not any(
            _NOMIS_TITLE.search(str(c or "")) for row in titles or [] for c in row):
        return []
    if not (roles.get("industry") or roles.get("industry_code")):
        return []
    # an area whose name holds a region word ("County Durham", "Herefordshire, County of", as
    # NOMIS writes them) is no region column when the industry column comes first and bare
    # area names stand beside it: the file was refused for want of a measure column
    placed = [h for r in ("region", "region_code", "region_name") for h in roles.get(r, [])]
    first = next((h for h in header if h), None)
    ruled = {h for hs in roles.values() for h in hs if h not in placed}
    if placed and (first in placed or roles.get("region_code") or roles.get("region_name")
                   or not [h for h in header if h and h not in ruled and h not in placed]):
        return []
    heads = [h for h in header if h and h not in ruled]
    if not heads or any(period_of(h) or _is_industry_heading(h) or codes.section_of_title(h)
                        for h in heads):
        return []
    return heads


# Statistics South Africa's nine provinces, as its tables (QLFS, QES) head them across, beside
# the country's column ("South Africa", "RSA")
_ZA_PROVINCES = {"western cape", "eastern cape", "northern cape", "free state", "kwazulu-natal",
                 "kwazulu natal", "north west", "north-west", "gauteng", "mpumalanga", "limpopo"}


def _za_provinces_across(header, roles, options) -> list[str]:
    """The headings of a Stats SA table that are its provinces across ("Industry","Western
    Cape", ... "Limpopo","South Africa"): three or more of the nine provinces by name, and
    the country's column ("South Africa", "RSA", a region total), beside an industry column
    and no region column.  The provinces' names carry no word for a region ("Free State" was
    taken for the region column, its figures for region codes), so only the names tell
    them.  [] otherwise."""
    if options.region_col or getattr(options, "region", None):
        return []
    if not (roles.get("industry") or roles.get("industry_code")):
        return []
    names = {h: " ".join(str(h).split()).lower() for h in header if h}
    provinces = [h for h, n in names.items() if n in _ZA_PROVINCES]
    if len(provinces) < 3:
        return []
    country = [h for h, n in names.items() if n in REGION_TOTALS and COUNTRY_OF.get(n) == "ZA"]
    return [h for h in header if h in provinces or h in country]


# TableBuilder's geographies (the ABS's Census): STATE, SA2, LGA, GCCSA, DZN ... by place of
# work (POW), usual residence (UR) or enumeration (EN)
_TABLEBUILDER_GEOGRAPHY = re.compile(r"^[A-Z][A-Z0-9]{1,5}(?:\s+\d{4})?\s*\((?:POW|UR|EN)[A-Z0-9]*\)")


def _geography_across(across, header, roles, options) -> list[str]:
    """The headings of a TableBuilder table whose variable across is a geography
    (``STATE (POW)``: ``New South Wales`` ... ``Total``), every one right of the variable down's
    column; [] otherwise.  TableBuilder names the states bare, with no word for a region."""
    if not across or options.region_col or getattr(options, "region", None):
        return []
    if not (_TABLEBUILDER_GEOGRAPHY.match(across) or role_of(across) in ("region", "region_code", "region_name")):
        return []
    if roles.get("region_code") or not header or role_of(header[0]) in ("region", "region_code", "region_name"):
        return []
    return [h for h in header[1:] if h]


# words of a figure derived from the years' own (a change, a growth rate, a share, an index)
_DERIVED_WORDS = {"change", "changes", "veraenderung", "veraenderungen", "variacion", "variazione",
                  "evolution", "изменение", "прирост", "growth", "share", "percent", "pct", "index",
                  "indices", "индекс", "rate", "taux", "tasso", "tasa", "difference", "differenz",
                  "diff", "zuwachs", "wachstum", "anteil", "anteile"}


def _derived_heading(heading: str) -> bool:
    """A column heading that names a figure derived from the period columns beside it: a
    change, a share, a rate or an index, or anything in per cent (``%``, ``в % к 2020``)."""
    n = _norm(heading)
    return bool(_tokens(n) & _DERIVED_WORDS) or "%" in str(heading) \
        or bool(re.search(r"gegenueber|\bvs\b|\byoy\b|_к_\d{4}", n))


def plan_columns(header: list[str], options, path: str, titles=None, samples=None, across=None) -> Plan:
    """Decide which column plays which role, and the layout (see module docstring)."""
    plan = Plan()
    # each heading's (first) place, and sets where lists were searched: a header of 100,000
    # fields took minutes (header.index and `in` a list, once per heading); now linear
    position: dict[str, int] = {}
    for i, h in enumerate(header):
        position.setdefault(h, i)
    roles: dict[str, list[str]] = {}
    for h in header:
        if not h:
            continue
        r = role_of(h)
        if r:
            roles.setdefault(r, []).append(h)
    # regions as columns (a yearbook sheet: industries down, "Акмолинская область", "г.Астана"
    # across): those headings are no region column
    region_heads = [h for h in header if h and _is_region_name_heading(h)]
    nomis_levels = {}
    provinces = _za_provinces_across(header, roles, options)
    if len(region_heads) < 2:
        region_heads = provinces or region_heads
    if not region_heads:
        region_heads = _geography_across(across, header, roles, options)
    if not region_heads:
        region_heads = _nomis_areas_across(header, roles, titles, options)
        nomis_levels = {h: _GB_LEVELS.get(" ".join(h.lower().split()), "area") for h in region_heads}
    if len(region_heads) >= 2 and not roles.get("region_code") and not options.region_col \
            and not any(roles.get(m) for m in schema.MEASURES) and not options.measure_cols:
        across = set(region_heads)
        for r in list(roles):
            roles[r] = [h for h in roles[r] if h not in across]
            if not roles[r]:
                del roles[r]
    else:
        if provinces and options.measure_cols and not roles.get("region_code"):
            raise UsageError(
                f"{path}: the provinces are across the columns ({', '.join(provinces[:3])} ... "
                f"{provinces[-1]}), each read as its region: leave out --measure-col, and say "
                "what the cells count with --measure (employment unless a title names it)")
        region_heads = []
        for r in ("region_code", "region", "region_name"):
            # a province's column is no region column, the others read otherwise (with
            # --measure-col one province: the Free State's figures were the region codes)
            if roles.get(r) and provinces:
                roles[r] = [h for h in roles[r] if h not in provinces]
                if not roles[r]:
                    del roles[r]
    if "region_code" not in roles and "region" not in roles and "region_name" not in roles:
        for h, r in _content_roles(header, samples, regions_across=bool(region_heads)).items():
            if r != "period" or "period" not in roles:
                roles.setdefault(r, []).append(h)

    # a column an option names for one dimension is no other's guess: 'Kod' given with
    # --industry-col (a GUS table of PKD sections) was still BDL's region code, and refused
    # beside --region; 'Zone d'emploi' given with --region-col was read as employment too
    kinds = {"region": ("region_code", "region", "region_name"),
             "industry": ("industry_code", "industry", "industry_name"), "period": ("period",),
             "measure": tuple(schema.MEASURES)}
    named = {getattr(options, o + "_col", None): kind for o, kind in (
        ("region", "region"), ("region_name", "region"), ("industry", "industry"),
        ("industry_name", "industry"), ("period", "period"))}
    named.update({c: "measure" for c in (getattr(options, "measure_cols", None) or {}).values()})
    for col, kind in named.items():
        if col is None:
            continue
        for other, rs in kinds.items():
            for r in (rs if other != kind else ()):
                if col in roles.get(r, []):
                    roles[r] = [h for h in roles[r] if h != col]
                    if not roles[r]:
                        del roles[r]
    if named.get(next((h for h in header if _norm(h) == "kod"), None)) == "industry":
        # BDL's Kod and Nazwa are a pair: with Kod given for the industry (a GUS table of PKD
        # sections), Nazwa names the sections, no region
        for h in [h for h in header if _norm(h) == "nazwa" and h not in named]:
            for r in ("region_code", "region", "region_name"):
                if h in roles.get(r, []):
                    roles[r] = [x for x in roles[r] if x != h]
                    if not roles[r]:
                        del roles[r]
            roles.setdefault("industry_name", []).insert(0, h)

    bare = next((h for h in roles.get("industry_code", []) if _norm(h) == "code"), None)
    if bare is not None and not (options.industry_col or options.region_col) and samples \
            and "region_code" not in roles and roles.get("industry") \
            and (at := header.index(bare)) + 1 < len(header) \
            and header[at + 1] in roles.get("region", []) + roles.get("region_name", []) \
            and (vals := [v.strip() for v in samples.get(bare, ()) if v is not None and v.strip()]) \
            and len(set(vals)) > 1:
        # a bare "Code" heading left of the regions' names ("Code,Region,Industry,..."): the
        # regions' codes, the industries in their own column.  Read as the industries' codes,
        # each region's code was every industry of the region ('duplicate row' on each line)
        roles["industry_code"] = [h for h in roles["industry_code"] if h != bare]
        if not roles["industry_code"]:
            del roles["industry_code"]
        roles["region_code"] = [bare]

    def first(*names):
        for n in names:
            if roles.get(n):
                return roles[n][0]
        return None

    plan.region = _check_col(options.region_col, header, "--region-col", path) or first("region_code")
    if plan.region is None and roles.get("region") and roles.get("region_name") and \
            not options.region_name_col:
        # "region" beside "region_name" (a canonical-like export): the codes and their names
        plan.region = roles["region"][0]
    plan.region_name = _check_col(options.region_name_col, header, "--region-name-col", path) or \
        first("region_name", "region")
    if options.region_col and not options.region_name_col and plan.region_name is not None \
            and plan.region_name not in roles.get("region_name", []) and plan.region in header \
            and header.index(plan.region_name) < header.index(plan.region):
        # a region heading left of the region column given with --region-col is the region
        # above it, not its name: INEGI's "Entidad" left of "Municipio" named Monterrey
        # "Nuevo León"; a code's name stands right of the code ("Code", "Region")
        plan.region_name = None
    if plan.region is None:
        plan.region, plan.region_name = plan.region_name, (plan.region_name if plan.region_name else None)
        if plan.region == plan.region_name:
            plan.region_name = None
        plan.region_by_name = plan.region is not None
    if plan.region_by_name and plan.region and samples and not options.region_col:
        # "Schlüssel;Kreis" (a Land's statistical office: the key under a bare word for a
        # code, the district's name under the word for the area): the codes beside the names
        # were left unread ('column not read: Schlüssel') and every district keyed by its name
        at = header.index(plan.region)
        for nb in (header[at - 1] if at else None, header[at + 1] if at + 1 < len(header) else None):
            vals = [v.strip() for v in samples.get(nb, ()) if v is not None and v.strip()] if nb else []
            if nb and not any(nb in hs for hs in roles.values()) and vals and (
                    (_norm(nb) in _BARE_CODE_HEADINGS and all(re.fullmatch(r"\d{2,12}", v) for v in vals))
                    # NOMIS's downloads: the area's name, its GSS code beside it under
                    # "mnemonic" (E06000001 Hartlepool); keyed by the name, no table of
                    # codes (ONS's own, the API's GEOGRAPHY_CODE) matched it
                    or (_norm(nb) in _GSS_CODE_HEADINGS and all(_GSS_CODE.fullmatch(v) for v in vals))):
                if not options.region_name_col:
                    plan.region_name = plan.region
                    plan.region_name_without_code = _norm(nb) in _GSS_CODE_HEADINGS
                plan.region, plan.region_by_name = nb, False
                break
    if plan.region_name is None and plan.region and _norm(plan.region) == "geo_id":
        # Census tables: GEO_ID with the place's name in NAME
        plan.region_name = next((h for h in header if _norm(h) == "name"), None)
    if is_census_api_table(header) and not options.region_col:
        # the Census API's geography columns, last in its answer: for=us:* gives "us" (1),
        # for=state:* "state", for=metropolitan statistical area/...:* the CBSA code; the
        # place's name is in NAME (generic_post._census_api_geographies: codes and levels)
        geo = next((h for h in reversed(header) if _norm(h) in CENSUS_API_GEOGRAPHIES), None)
        if plan.region is None and geo is not None and _norm(geo) == "us":
            plan.region = geo
        if plan.region is not None and _norm(plan.region) in CENSUS_API_GEOGRAPHIES and \
                plan.region_name in (None, plan.region):
            plan.region_name = next((h for h in header if _norm(h) == "name"), None)
            plan.region_by_name = False
        if plan.region is not None and plan.region_name not in (None, plan.region) and \
                _norm(plan.region_name) in (*CENSUS_API_GEOGRAPHIES, *_COUNTY_FIPS):
            # GEO_ID beside the API's geography columns and no NAME (get=GEO_ID,NAICS2017,EMP
            # ...&for=county:*): 'state' is the FIPS code of the county's state, no name --
            # every Utah county was named '49'
            plan.region_name = next((h for h in header if _norm(h) == "name"), None)
    if plan.region is not None and _norm(plan.region) in _STATE_FIPS and not options.region_col:
        plan.county = next((h for h in header if _norm(h) in _COUNTY_FIPS), None)
        plan.region_by_name = plan.region_by_name and not plan.county
        if plan.county and plan.region_name is None:
            plan.region_name = next((h for h in header if _norm(h) == "name"), None)
    coded = plan.region in roles.get("region_code", []) or (
        # ... or a region column under a word for the area ("Kreis") holding codes (03159):
        # its names beside it under "Name" were left unread
        plan.region_by_name and samples and plan.region in samples
        and (vals := [v.strip() for v in samples[plan.region] if v is not None and v.strip()])
        and all(re.fullmatch(r"\d{2,12}", v) for v in vals))
    if plan.region_name is None and coded and not options.region_name_col:
        # "Код КАТО;Наименование" (stat.gov.kz): a bare "name" heading right of the region
        # code column names its codes, as right of the industry code column below.  Left
        # unread, every oblast was its bare code (110000000)
        at = header.index(plan.region)
        nxt = header[at + 1] if at + 1 < len(header) else None
        if nxt and _norm(nxt) in _BARE_NAME_HEADINGS and not any(nxt in hs for hs in roles.values()):
            plan.region_name = nxt
            plan.region_by_name = False
    if not roles.get("industry_code") and not roles.get("industry") and not options.industry_col:
        # a bare word for the industry (INSEE's "Secteur", "Sektor", "Settore", "Odvětví"): the
        # industry column when no other heading is one ("secteur" among other words is also
        # "secteur privé", the private sector: not a word of ROLE_WORDS); it was "no industry
        # column recognised"
        bare = [h for h in header if h and _norm(h) in _BARE_INDUSTRY_WORDS]
        if len(bare) == 1:
            roles["industry"] = bare
    plan.industry = _check_col(options.industry_col, header, "--industry-col", path) or \
        first("industry_code", "industry") or _coded_industry_names(roles, samples)
    if not options.industry_col and not roles.get("industry_code") and plan.industry is not None \
            and f"{plan.industry}_NAME" in position and "OBS_VALUE" in position \
            and _coded_industry_names({"industry_name": [f"{plan.industry}_NAME"]}, samples):
        # NOMIS's API CSV without INDUSTRY_CODE: INDUSTRY is NOMIS's own number for the
        # industry (146800650), its name beside it carries the SIC code ("10 : Manufacture of
        # food products"): read as custom codes 146800650, no NACE division
        plan.industry = f"{plan.industry}_NAME"
    plan.industry_name = _check_col(options.industry_name_col, header, "--industry-name-col", path) or \
        first("industry_name")
    if plan.industry_name is None and plan.industry in roles.get("industry_code", []) and roles.get("industry"):
        plan.industry_name = roles["industry"][0]
    if plan.industry_name is None and (plan.industry in roles.get("industry_code", [])
                                       or (options.industry_col and plan.industry)):
        # "Код ОКЭД;Наименование" (stat.gov.kz, Rosstat), "WZ08;Bezeichnung": a bare "name"
        # heading right of the code column names its codes.  Left unread, a total row (no code,
        # named "Всего") was an "empty key cell" error on every region.  So does one right of
        # the column --industry-col names ("NIC 2008 (2-digit);Description", India's ASI)
        at = header.index(plan.industry)
        nxt = header[at + 1] if at + 1 < len(header) else None
        if nxt and _norm(nxt) in _BARE_NAME_HEADINGS and nxt not in (plan.region, plan.region_name):
            plan.industry_name = nxt
    # (SSB's and SCB's "kvartal", the quarter 1-4 beside "år" or the period 2023K1 alone, is
    # the period only when no other column is)
    plan.period = _check_col(options.period_col, header, "--period-col", path) or next(
        (h for h in roles.get("period", []) if _norm(h) != "kvartal"), None) or first("period")
    # two columns that could each be the period ("Jahr" and "year") or the industry (two code
    # columns, or two industry columns without one of codes): the first was read and the other
    # said only as 'column not read'.  A code column beside an industry column is the codes and
    # their names, no choice
    periods = [h for h in roles.get("period", []) if _norm(h) not in _QUARTER_HEADINGS]
    if not options.period_col and plan.period in periods and len(periods) >= 2:
        plan.rivals["--period-col"] = [plan.period] + [h for h in periods if h != plan.period]
    industries = roles.get("industry_code") or roles.get("industry", [])
    if not options.industry_col and plan.industry in industries and len(industries) >= 2:
        plan.rivals["--industry-col"] = [plan.industry] + [h for h in industries if h != plan.industry]
    plan.ownership = first("ownership")
    if plan.period is not None and _norm(plan.period) in ("year", "jahr", "год", "zhyl", "yr", "år", "vuosi"):
        plan.quarter = next((h for h in header if _norm(h) in _QUARTER_HEADINGS and h != plan.period), None)
        if plan.quarter is None:
            plan.month = next((h for h in header if _norm(h) in _MONTH_HEADINGS and h != plan.period), None)
    plan.region_level = first("region_level")
    plan.unit = first("unit")
    for m, col in (options.measure_cols or {}).items():
        if m not in schema.MEASURES:
            raise UsageError(f"--measure-col {m}=...: unknown measure; expected one of {', '.join(schema.MEASURES)}")
        plan.measures[m] = _check_col(col, header, f"--measure-col {m}=", path)
    # (a column given for one measure is no other's: --measure-col employment=NB_SALARIES was
    # read as wages too, by its word "salaries")
    given = set(plan.measures.values())
    for m in schema.MEASURES:
        if m not in plan.measures and (heads := [h for h in roles.get(m, []) if h not in given]):
            plan.measures[m] = _measure_column(m, heads, path)
    months = _month_columns(header)
    if len(months) >= 2 and schema.EMPLOYMENT not in (options.measure_cols or {}) and \
            plan.measures.get(schema.EMPLOYMENT) in months:
        # QCEW's monthly employment (month1..3_emplvl, "January Employment" ...): --month picks
        # one, "average" (default) is the mean of the quarter's months, "annual" the year's
        # average (the months summed per quarter here, the year's quarters by
        # generic_post.annual_from_quarters), as the QCEW adapter does
        choice = str(getattr(options, "month", "average")).strip().lower()
        plan.month_columns = list(months)
        if choice in ("1", "2", "3") and int(choice) > len(months):
            # two months given: --month 3 was their average without a word
            raise UsageError(f"--month {choice}: {path} has {len(months)} month columns "
                             f"({', '.join(months)}); expected --month 1-{len(months)} or "
                             "average")
        if choice == "annual" and len(months) not in (3, 12):
            # the year's average is taken from whole quarters (three months each, summed over
            # the year and divided once by twelve), or a row's twelve months (their mean):
            # two months are no quarter
            raise UsageError(f"--month annual: {path} has {len(months)} month columns "
                             f"({', '.join(months)}); an annual average needs a quarter's three "
                             "months; expected --month average or "
                             + " or ".join(str(k) for k in range(1, len(months) + 1)))
        if choice in ("1", "2", "3"):
            plan.measures[schema.EMPLOYMENT] = months[int(choice) - 1]
        else:
            plan.measures[schema.EMPLOYMENT] = months[0]
            plan.extra_months = months[1:]
    if not plan.measures:
        # a long table of one value column (Eurostat's OBS_VALUE, "value", "Wert"): it holds
        # --measure (employment unless told otherwise)
        values = [h for h in header if h and _norm(h) in _VALUE_HEADINGS]
        # (STATcube's "Anzahl" counts whatever its title names: a measure only when the title
        # or --measure names one -- the AMS's "Arbeitslose" by ÖNACE are no employment)
        anzahl = len(values) == 1 and _norm(values[0]) == "anzahl" and not (
            getattr(options, "measure", None) or title_measure(titles, path))
        # (a VALUE beside StatCan's "Employment size ranges" counts businesses: the Canadian
        # Business Counts' locations of each size, no employment, which was the default)
        by_size = any(_norm(h) in _BUSINESS_SIZE_RANGES for h in header if h) and not (
            getattr(options, "measure", None) or title_measure(titles, path))
        if len(values) == 1 and by_size:
            plan.measures[schema.ESTABLISHMENTS] = values[0]
        elif len(values) == 1 and not anzahl and wide_measure(options, titles, path) in schema.MEASURES:
            plan.measures[wide_measure(options, titles, path)] = values[0]
    by_norm = {_norm(h): h for h in header if h}
    for m, h in plan.measures.items():
        n = _norm(h)
        # (CBP's record layouts write it as one word: EMPFLAG, kept in Census tables and API
        # answers made from them, its letters A-M the size range of a withheld EMP)
        names = [n + sfx for sfx in ("_f", "_flag", "_flags", "flag", "_nf", "_fl")] + ["flag_" + n]
        if n in _CENSUS_NOISE_FLAGGED:
            # data.census.gov's CBP tables (2017 on) carry no EMP_F: a withheld cell is the
            # letter (D, S, N) in its noise column EMP_N / PAYANN_N, the value beside it 0; the
            # API names the noise flag EMP_N_F (EMP_N its noise range) beside the flag EMP_F
            names += [n + "_n_f", n + "_n"]
        if n in _SUSB_FLAGS:
            # SUSB: EMPL_N's range flag EMPLFL_R (a-m, withheld) before its noise flag EMPLFL_N
            names += list(_SUSB_FLAGS[n])
        if len(plan.measures) == 1 and n in _VALUE_HEADINGS:
            # Statistics Canada's STATUS beside VALUE (x, F, .., E)
            names += ["obs_flag", "flag", "flags", "obs_status", "status", "statut",
                      # NOMIS's API asked for the status's name alone
                      # (select=...,obs_value,obs_status_name): its words withhold the value
                      "obs_status_name"]
        if "ownercode" in by_norm or {"periodicity", "seasonadj"} <= set(by_norm):
            # the QWI (LEHD): each indicator's status flag is its name after an 's' (Emp, sEmp;
            # Payroll, sPayroll): 5 withheld, -1 and -2 no data (read by _QWI_FLAGS)
            names.append("s" + n)
        hits = [by_norm[x] for x in names if x in by_norm]
        if hits:
            plan.flags[m] = hits[0]
        if (n in _CENSUS_NOISE_FLAGGED or n in _SUSB_FLAGS) and len(hits) > 1:
            # an API answer asked for EMP_F, EMP_N_F and EMP_N: a cell's flag is the first
            # of them that says something (D in any one withholds the value)
            plan.flag_extras[m] = hits[1:]
    # one flag column for the whole row (QCEW's disclosure_code, a "status"/"flag" column)
    row_flag = next((by_norm[x] for x in _ROW_FLAG_HEADINGS if x in by_norm), None)
    if row_flag is not None and plan.layout != "wide":
        for m in plan.measures:
            if m in plan.flags:
                continue
            if m == schema.ESTABLISHMENTS and _norm(row_flag) in _QCEW_DISCLOSURE_HEADINGS:
                continue  # QCEW publishes the establishment counts of undisclosed rows
            plan.flags[m] = row_flag
    for n, codes_all in _BREAKDOWNS.items():
        for h in (by_norm.get(n), by_norm.get(n + "_id")):
            if h is not None and (totals := breakdown_totals(h)):
                plan.breakdowns[h] = totals
    taken = {plan.region, plan.region_name, plan.industry, plan.industry_name, plan.period,
             plan.ownership, plan.unit, *plan.measures.values()}
    for h in header:
        # a sex or age column under a heading of its own ("Пол", "Sexe", "Age (years)",
        # "Altersgruppe"), not already read as another column
        if h and h not in taken and h not in plan.breakdowns and role_of(h) is None \
                and (codes_all := breakdown_totals(h)):
            plan.breakdowns[h] = codes_all
    for h in header:
        # an unheaded column of employment size classes under their total (GENESIS's 52111:
        # "Insgesamt", "0 bis unter 10 sozialversicherungspflichtig Beschäftigte" ...): its
        # parts, each read as a duplicate of the total's key, refused the table on every row
        if samples and h in samples and _UNNAMED.match(h) and h not in taken and h not in plan.breakdowns:
            vals = {str(v).strip() for v in samples[h] if v is not None and str(v).strip()}
            totals = {v for v in vals if codes.is_total(v)}
            if totals and vals - totals and all(_SIZE_CLASS_HEADING.search(v) for v in vals - totals):
                plan.breakdowns[h] = tuple(sorted({t.lower() for t in totals}))
    for h, codes_all in sdmx_dimension_totals(header, taken | set(plan.breakdowns)).items():
        plan.breakdowns[h] = codes_all
    for n, by_measure in measure_indicators().items():
        # Eurostat SBS indicators (indic_sb V16110, indic_sbs EMP_LOC_NR ...): the rows of
        # --measure's indicator are the table's, the other indicators dropped and counted
        wanted = (options.indicator() if hasattr(options, "indicator")
                  else options.measure or schema.EMPLOYMENT)
        if n in by_norm and plan.layout != "wide" and by_measure.get(wanted):
            plan.breakdowns[by_norm[n]] = tuple(c.lower() for c in by_measure[wanted])
    plan.conf = by_norm.get("conf_status")
    used = {plan.region, plan.region_name, plan.industry, plan.industry_name, plan.period,
            plan.ownership, plan.region_level, plan.unit, plan.quarter, plan.month, plan.county, plan.conf,
            *plan.measures.values(),
            *_month_columns(header),
            *plan.flags.values(), *(c for cs in plan.flag_extras.values() for c in cs),
            *plan.breakdowns}
    rest = [h for h in header if h and h not in used]
    given = getattr(options, "region", None)
    if plan.region is not None and given:
        raise UsageError(f"{path}: --region is for a table without a region column, and this one "
                         f"has {plan.region!r}; use --region-col to choose another column")
    if plan.region is None:
        keyed = _region_period_heads(rest) if plan.period is None and options.layout != "long" else {}
        regions = sorted({r for r, _ in keyed.values()})
        if given:
            plan.region_const, plan.region_from = parse_region_option(given), "--region"
            if len(regions) > 1:
                raise UsageError(f"{path}: the headings name regions ({', '.join(regions)}); "
                                 "leave out --region to read each heading's region")
        elif keyed:
            plan.head_keys, plan.region_from = keyed, "headings"
            plan.layout, plan.wide_axis = "wide", "region_period"
            plan.value_cols = list(keyed)
            first_pos = min(position[h] for h in keyed)
            problems = []
            normed = {_norm(r) for r in regions}
            for h in rest:
                if h in keyed:
                    continue
                n = _norm(h)
                # (a region's name is a proper prefix of the heading: each prefix looked up)
                if position[h] > first_pos and any(n[:k] in normed for k in range(len(n))) and period_of(
                        re.sub(r"^.*?(\d+)$", r"\1", h)) is None and re.search(r"\d{4}\s*$", h):
                    problems.append(Problem(
                        "column heading among the region-and-period columns has no period",
                        path=path, line=1, column=h, found=h,
                        expected="a region followed by a year, e.g. " + next(iter(keyed))))
                else:
                    plan.ignored.append(h)
            if problems:
                raise DataError(problems=problems)
            plan.measures = {}
            return plan
        elif region_heads and plan.period is None and options.layout != "long":
            period = options.period or period_from_titles(titles)
            if period is None:
                raise DataError(problems=[Problem(
                    "regions as columns, but no period", path=path, line=1,
                    expected="a year in a title line (\"2023 год\") or --period",
                    found=", ".join(region_heads[:4]), hint="give the year with --period 2023")])
            plan.head_keys = {h: (region_heading_name(h), str(period)) for h in region_heads}
            for h in region_heads:  # oblasts over their districts (_regions_over_districts)
                up, _sep, low = h.partition(REGION_PARENT_SEP)
                if low and _is_upper_name(up):
                    own = bool(_TOTAL_COLUMN.match(low))  # "всего по области": the oblast's own
                    plan.head_keys[h] = (up if own else h, str(period))
                    plan.head_levels[h] = (up, UPPER_LEVEL) if own else (low, LOWER_LEVEL)
            if len(set(nomis_levels.values())) > 1:
                # NOMIS's comparison geographies beside the areas (North East, Great Britain)
                plan.head_levels.update({h: (h, lv) for h, lv in nomis_levels.items()})
            plan.region_from = "headings"
            plan.period_from = "--period" if options.period else "title line"
            plan.layout, plan.wide_axis = "wide", "region_period"
            plan.value_cols = list(region_heads)
            across = set(region_heads)
            plan.ignored = [h for h in rest if h not in across]
            plan.measures = {}
            return plan
        else:
            found = region_from_titles(titles)
            if found:
                plan.region_const, plan.region_from = found, "title line"
        if plan.region_const is not None and plan.period is None and options.layout != "long" \
                and not any(period_of(h) for h in rest):
            # one prefix before every year (Goettingen2016, emp2016, e_2008): the headings are
            # the periods of the one region (a heading taken for a measure, emp2016, too)
            named = set((options.measure_cols or {}).values())
            cand = rest + [h for h in plan.measures.values() if h not in named]
            in_cand = set(cand)
            keyed = _region_period_heads([h for h in header if h in in_cand], any_prefix=True)
            if keyed and len({r for r, _ in keyed.values()}) == 1:
                plan.head_keys = {h: (plan.region_const[0], p) for h, (_r, p) in keyed.items()}
                plan.layout, plan.wide_axis = "wide", "region_period"
                plan.value_cols = list(keyed)
                plan.ignored = [h for h in cand if h not in keyed]
                plan.measures = {}
                return plan

    unclear = unclear_periods(rest) if options.layout != "long" else {}
    financial = {}
    if unclear and abs_table(titles):  # the ABS's financial years across: each the year it ends
        financial = {h: abs_financial_year(h) for h, why in unclear.items()
                     if why == FISCAL_YEAR and abs_financial_year(h)}
        unclear = {h: v for h, v in unclear.items() if h not in financial}
    if unclear:
        raise DataError(problems=[unclear_period_problem(h, unclear[h], path, 1, h)
                                  for h in rest if h in unclear])
    given = str(getattr(options, "period_freq", None) or "auto").strip().lower()
    if given not in PERIOD_FREQS:
        raise UsageError(f"--period-freq {given!r}: expected {', '.join(PERIOD_FREQS)}")
    try:
        head_periods = heading_periods(rest, given if given != "auto" else freq_of_titles(titles))
    except UnclearDates as exc:
        dates = [h for h in rest if _DATE.match(h.strip())]
        raise DataError(problems=[Problem(
            f"column headings: {exc}", path=path, line=1, column=dates[0],
            expected="dates of one frequency the table states (a title saying quarterly)",
            found=", ".join(dates[:4]),
            hint="say how the dates are meant: --period-freq quarter (or month, year)")]) from None
    if financial:
        head_periods = {**head_periods, **financial}
        plan.financial_years = {h.strip(): p for h, p in financial.items()}
    if given != "auto":
        head_periods = {h: _coarser_period(v, given) for h, v in head_periods.items()}
    # NAICS's mining codes across (2111, 2121 ..., 211111 "2111M11", 212312 "2121M12") read as
    # years and months after 2100: the industries of a wide table by NAICS were refused as
    # "not a period" (2211 beside 2111), or a mining table's columns taken for years.  No
    # table holds such periods; a bare code among the industry codes is an industry.
    head_periods = {h: v for h, v in head_periods.items()
                    if not (h.strip().isdigit() and int(v[:4]) > 2100 and _is_industry_heading(h))}
    if not head_periods and options.layout != "long" and plan.period is None:
        # a year and one measure's words in each heading ("2022 Jobs", "2023 Jobs"): the
        # years across, of that measure; the other headings right of them (the change, its
        # percentage, a location quotient, earnings per job) are derived and not read
        dated = {h: year_measure_heading(h) for h in [*rest, *plan.measures.values()]}
        dated = {h: v for h, v in dated.items() if v}
        if dated and len({m for _, m in dated.values()}) == 1 \
                and len({y for y, _ in dated.values()}) == len(dated):
            head_periods = {h: y for h, (y, _) in dated.items()}
            plan.head_measure = next(iter(dated.values()))[1]
            kept = set(rest)
            rest = [h for h in header if h in kept or h in dated]
            plan.measures = {m: c for m, c in plan.measures.items() if c not in dated}
    period_heads = [h for h in rest if h in head_periods]
    industry_heads = [h for h in rest if _is_industry_heading(h)]
    if plan.industry is None:
        # the sections across by their titles alone ("Обрабатывающая промышленность",
        # "Baugewerbe"), a yearbook sheet's layout: read as their codes (generic_post); or
        # some by title beside others coded (Regionalstatistik: "Land- und Forstwirtschaft,
        # Fischerei" beside "Produzierendes Gewerbe (B-F)")
        titled = [h for h in rest if _is_industry_heading(h) or codes.section_of_title(h)]
        industry_heads = titled if len(titled) >= 2 else industry_heads
    axis = options.wide_axis
    layout = options.layout
    if layout == "auto":
        if len(period_heads) >= 2 or (period_heads and not plan.measures and plan.period is None):
            layout, axis = "wide", "period" if axis == "auto" else axis
        elif len(industry_heads) >= 2 and plan.industry is None:
            layout, axis = "wide", "industry" if axis == "auto" else axis
        else:
            layout = "long"
    if layout == "wide" and axis == "auto":
        axis = "period" if len(period_heads) >= len(industry_heads) else "industry"
    plan.layout = layout
    if layout == "long":
        plan.ignored = rest
        return plan
    plan.wide_axis = axis
    if axis == "period":
        heads = period_heads
        if plan.period is not None and not options.period_col:
            # years across and a "Период" column of the part of the year (fedstat/EMISS:
            # "значение за год", "январь", "I квартал"): the annual rows are the table's
            plan.breakdowns[plan.period] = _ANNUAL
            plan.period = None
        if plan.period is not None:
            raise UsageError(f"{path}: a wide table by period cannot also have a period column ({plan.period!r})")
        plan.head_periods = {h: head_periods[h] for h in heads}
        # two headings of one period ("2016" and "2016p", "2016-01" and "2016M01"): their
        # cells were two rows of each key, "duplicate row" on every line, the headings unnamed
        same: dict[str, list[str]] = {}
        for h, period in plan.head_periods.items():
            same.setdefault(period, []).append(h)
        twice = {period: hs for period, hs in same.items() if len(hs) > 1}
        if twice:
            raise DataError(problems=[Problem(
                "two column headings name the same period", path=path,
                line=1, column=hs[1],
                expected="one column per period", found=f"{' and '.join(repr(h) for h in hs)}: {period}",
                hint="keep one of the columns (a provisional and a final figure?), or name the "
                     "periods apart") for period, hs in twice.items()])
    elif axis == "industry":
        heads = industry_heads
    else:
        raise UsageError(f"--wide-axis {axis!r}: expected auto, period or industry")
    if not heads:
        raise DataError(problems=[Problem(
            f"--layout wide: no column heading is a{'' if axis == 'industry' else ' '}"
            f"{'n industry code' if axis == 'industry' else 'period'}", path=path, line=1,
            expected="headings like 2015, 2016Q1" if axis == "period" else "headings like C, C10, 31-33",
            found=", ".join(header[:8]))])
    first_pos = min(position[h] for h in heads)
    problems = []
    in_heads = set(heads)
    for h in rest:
        if h in in_heads:
            continue
        failed = excel.is_spreadsheet_error(h)  # a heading's formula failed: '#REF!' (anywhere)
        if axis == "industry" and position[h] > first_pos and not failed \
                and (options.classification or "").lower() == "custom":
            # --classification custom: every heading right of the first industry is one
            # (NOMIS's broad groups "5 : Motor trades (Part G)", "2 : Mining ... (B,D and E)")
            heads.append(h)
            in_heads.add(h)
            continue
        if plan.head_measure and not failed and axis == "period":
            plan.ignored.append(h)  # (the change, a share, an LQ beside "2022 Jobs" ...)
            continue
        if axis == "period" and not failed and position[h] > first_pos and _derived_heading(h):
            # a yearbook's change or share right of its years ("Change 2020-2021", "% change",
            # "Veränderung 2021 gegenüber 2020 in %", "в % к 2020"): derived from the years'
            # figures, no period -- named as not read; it was refused as no period heading
            plan.ignored.append(h)
            continue
        if position[h] > first_pos or _looks_like_year_but_is_not(h) or failed:
            problems.append(Problem(
                "a spreadsheet error value as a column heading" if failed else
                f"column heading among the {axis} columns is not a{'n industry code' if axis == 'industry' else ' period'}",
                path=path, line=1, column=h,
                expected=("a year (1800-2199) like 2016, a quarter like 2016Q1 or a month like 2016M03"
                          if axis == "period" else "an industry code such as C, C10, 31-33 or 5417"),
                found=h,
                hint="the formula failed in the spreadsheet; fix it there" if failed else
                "fix the heading, or name the columns with --region-col/--industry-col/--period-col"
                + ("; or read every column right of the first industry as an industry of its own "
                   "with --classification custom" if axis == "industry" else "")))
        else:
            plan.ignored.append(h)
    uncoded = sorted((p for p in problems if p.message.startswith("column heading among the industry")),
                     key=lambda p: position.get(p.column, -1))
    if len(uncoded) > 1:
        # several headings of no code (NOMIS's broad groups of another section's "Part": "9 :
        # Food and drink (Part I)", "10 : Hotels (Part I)"): one error naming them all, not
        # the same error once each
        import dataclasses

        parts = any(re.search(r"\(\s*part\s+[A-U]\s*\)\s*$", p.found, re.IGNORECASE) for p in uncoded)
        merged = dataclasses.replace(
            uncoded[0], message=f"{len(uncoded)} column headings among the industry columns are not industry codes",
            found="; ".join(p.found for p in uncoded),
            hint=("a \"Part\" of a section other than G's motor trades, wholesale and retail names "
                  "no NACE code: " if parts else "") + uncoded[0].hint)
        problems = [merged] + [p for p in problems if p not in uncoded]
    if problems:
        raise DataError(problems=problems)
    plan.value_cols = heads
    # a column taken for a measure by its words is not read in a wide table: named as not
    # read, never left out without a word
    ignored = set(plan.ignored)
    plan.ignored += [h for h in plan.measures.values() if h not in in_heads and h not in ignored]
    plan.measures = {}
    return plan


def _is_industry_heading(h: str) -> bool:
    code, _ = codes.split_label(h)
    if codes.is_total(h) or codes.is_total(code):
        return True
    cls = codes.detect([code])
    if cls == schema.CUSTOM:
        return False
    return codes.level(codes.normalize(code, cls), cls) is not None
