"""Industry classifications: recognise codes, know their level and parent, roll up.

Canonical code forms
--------------------
NAICS   digits as published: ``"54"``, ``"5417"``, ``"541711"``; sector ranges ``"31-33"``,
        ``"44-45"``, ``"48-49"`` (level 2); QCEW's own 6-digit codes (``238211`` ...) are NAICS
        at level 6.  Level = number of digits.  QCEW domain/supersector codes (``101``,
        ``1011``) are not NAICS: level null.
NACE    Rev.2 and its national variants with the same structure (OKED in Kazakhstan, WZ 2008 in
        Germany, OKVED2): section ``"C"`` (level 1); division ``"C10"`` (2); group ``"C10.1"``
        (3); class ``"C10.11"`` (4); the national subclasses under a class, ``"C10.11.1"``
        (5: OKED, WZ 2008; ÖNACE 2008's ``10.11-0`` too) and ``"C10.11.11"`` (6: OKVED2); INSEE's NAF rév. 2
        subclasses keep their letter, ``"C10.11Z"`` (5: ``10.11Z``, ``1011Z``).  Divisions carry their section letter (as Eurostat writes
        ``C10``) because a bare ``"10"`` is :data:`clusterid.schema.ALL_INDUSTRIES`; input
        written ``10``, ``10.1``, ``1011``-style dotted or not, ``WZ08-C`` or ``C10`` is
        brought to this form.  Section aggregates (``B-E``, ``G-I``, ``M_N``, ``BDE``) are level
        1 aggregates: their parent is all industries.
NACE-R1.1  NACE Rev. 1.1 (before 2008; WZ 2003, Eurostat's ``nace_r1``), only where a heading,
        title or option says so (:func:`nace_r11_cue`): codes as published, section ``"D"`` (1),
        subsection ``"DA"`` (2), division ``"15"`` (3; division 10 is ``"CA10"``), group
        ``"15.1"`` (4), class ``"15.11"`` (5); parents from the table of the classification
        (:data:`NACE_R11_PARENT`), not by prefix.  No concordance to Rev. 2.
all     ``schema.ALL_INDUSTRIES`` (level 0), from "total", "Insgesamt", "Всего", "Барлығы" ...

With codes in these forms a parent at level L is a prefix (NACE: 1, 3 or 5 characters; NAICS:
L digits, with the three sector ranges mapped), which keeps roll-up vectorised.
"""

from __future__ import annotations

import re

from clusterid import schema

# Official NACE Rev.2 division -> section table (Eurostat, Regulation (EC) No 1893/2006).
NACE_SECTIONS: dict[str, tuple[int, int]] = {
    "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
    "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
    "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
    "S": (94, 96), "T": (97, 98), "U": (99, 99),
}
# Divisions that exist in NACE Rev.2 (a few numbers inside the ranges are unused).
_UNUSED_DIVISIONS = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}
NACE_DIVISION_SECTION: dict[str, str] = {
    f"{d:02d}": sec
    for sec, (lo, hi) in NACE_SECTIONS.items()
    for d in range(lo, hi + 1)
    if d not in _UNUSED_DIVISIONS
}

NAICS_SECTORS = {"11", "21", "22", "23", "31", "32", "33", "42", "44", "45", "48", "49", "51",
                 "52", "53", "54", "55", "56", "61", "62", "71", "72", "81", "92", "99"}
# NAICS Canada's own sectors (Statistics Canada: 41 wholesale trade, 91 public administration,
# where the U.S. has 42 and 92): codes of the classification, not votes for it in detect
NAICS_CANADA_SECTORS = {"41", "91"}
_NAICS_LEVEL_SECTORS = NAICS_SECTORS | NAICS_CANADA_SECTORS
NAICS_RANGES = {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
                "48": "48-49", "49": "48-49"}
# the three NAICS sector ranges and their parts, all level 2: QCEW publishes only the ranges,
# a generic, BEA or hand-made table may carry the parts, sometimes beside the range
NAICS_RANGE_PARTS = {r: tuple(sorted(p for p, q in NAICS_RANGES.items() if q == r))
                     for r in sorted(set(NAICS_RANGES.values()))}

TOTAL_WORDS = {
    "total", "totals", "all", "all industries", "total, all industries", "total all industries",
    "alle", "insgesamt", "gesamt", "summe", "alle wirtschaftszweige", "wz08-insgesamt",
    "всего", "итого", "все отрасли", "всего по отраслям", "барлығы", "барлыгы", "barlygy",
    "усього", "всього", "разом",  # Ukrainian (Ukrstat): all, in total
    "jami", "жами",  # Uzbek (stat.uz): in total
    "бардыгы",  # Kyrgyz (stat.kg): in total
    "celkem", "spolu",  # Czech (CZSO), Slovak (ŠÚ SR): in total
    "barlyghy", "vsego", "itogo", "total économie", "ensemble", "tot", "total_all",
    "a-u", "a_u", "tot_nace", "total industries",
    "_t",  # SDMX's code for the total (OECD, ABS: ACTIVITY _T "Total")
    "total, toutes les industries",  # Statistics Canada's French tables
    "total cnae",  # INE (Spain): CNAE 2009's total
    "sss total", "sss yhteensä", "sss totalt",  # Statistics Finland (TOL 2008): SSS, all industries
    "sss kaikki toimialat", "kaikki toimialat",  # StatFin's SSS in Finnish ("all industries")
    "sss",  # StatFin's code alone: all industries in Toimiala, the whole country in Alue
    "alle næringer",  # SSB (SN2007): "00-99 Alle næringer"
    "totale",  # ISTAT (ATECO 2007): 0010 "totale"
    "ogółem",  # Statistics Poland (BDL): all of a dimension
    # SCB (SNI 2007): all industries with the unknown (US), in Swedish and in English
    "a-u+us", "a-u+us samtliga näringsgrenar", "samtliga näringsgrenar", "a-u+us all industries",
    # Statistics Denmark (StatBank, DB07): "TOT Erhverv i alt", in English "TOT All industries"
    # or "TOT Total"; "I alt", Danish and Norwegian for the total of any dimension
    "tot erhverv i alt", "erhverv i alt", "tot all industries", "tot total", "i alt",
    # Japan (e-Stat): 全産業 (all industries), 総数, 合計; China: 合计, 总计, 全部行业;
    # Taiwan: 總計, 合計; Korea (KOSIS): 전산업, 합계, 계, 전체
    "全産業", "総数", "合計", "合计", "总计", "全部行业", "總計", "總數", "전산업", "합계", "계",
    "전체", "산업계",
    # Turkish (TÜİK): "Toplam"; Uzbek (Uzstat): "Jami", "Жами"; Azerbaijani: "Cəmi"
    "toplam", "jami", "жами", "cəmi",
    # Indonesian and Malay (BPS, DOSM): "Jumlah"; Vietnamese (GSO): "Tổng số"
    "jumlah", "tổng số",
    # CBS open data (StatLine's TypedDataSet): T001081, the key of "A-U Alle economische
    # activiteiten" in every SBI 2008 dimension
    "t001081",
    # the OECD's regional database (OECD.Stat): VTOT "Total activity", over its ISIC sections
    "total activity", "total activities", "vtot",
    # the other European offices' word for the total, as their own-language tables head it:
    # Dutch (CBS) "Totaal", Polish (GUS) "Razem", Hungarian (KSH) "Összesen", Estonian
    # "Kokku", Latvian "Kopā", Lithuanian "Iš viso", Croatian, Serbian and Bosnian "Ukupno",
    # Slovenian "Skupaj", Bulgarian "Общо", Greek "Σύνολο", Icelandic "Samtals": a table by
    # industry titles (no codes) read "Ukupno" as one more industry, every region's total
    # counted twice, exit 0; beside coded sections the total was a column not read
    "totaal", "razem", "összesen", "kokku", "kopā", "iš viso", "ukupno", "skupaj", "общо",
    "σύνολο", "samtals",
    # ... and their phrases for all activities
    "whole economy", "total (all industries)", "wirtschaftszweige insgesamt", "totale economia",
    "ensemble des activités", "total des activités", "toutes activités", "todas las actividades",
    "total actividades", "alle economische activiteiten", "alle næringar", "todas as atividades",
    "tegevusalad kokku", "djelatnosti ukupno", "ukupno djelatnosti",
    # a spreadsheet's pivot table saved as CSV: Excel's "Grand Total" (German "Gesamtergebnis",
    # French "Total général", Italian "Totale complessivo", Spanish "Total general", Dutch
    # "Eindtotaal", Russian "Общий итог"), LibreOffice's "Total Result"
    "grand total", "total result", "gesamtergebnis", "total général", "totale complessivo",
    "total general", "eindtotaal", "общий итог", "итог", "totalsumma",
}

_PREFIX = re.compile(
    r"^(?:wz\s*(?:20)?08|wz|nace(?:\s*rev\.?\s*2)?|okved2?|oked|окэд|оквэд2?|naics(?:\s*(?:19|20)\d\d(?=\D))?)"
    r"\s*[-_:.]?\s*", re.IGNORECASE)
# a GENESIS code of a grouping of WZ 2008 beside the classification's own codes: the section,
# division or group it starts from, a dash and a two-digit number (WZ08-B-10 as Destatis' table
# 42153BM001 writes the energy-intensive branches, WZ08-47-02, WZ08-501-01); what it holds is in
# its label only
GENESIS_GROUPING = re.compile(r"^WZ08-(?:[A-U]|\d{2,3})-\d{2}$", re.IGNORECASE)
_NAICS_RE = re.compile(r"^\d{2,6}$")
_NAICS_RANGE_RE = re.compile(r"^(31-33|44-45|48-49)$")
# a union of NAICS sectors and sector ranges, Statistics Canada's aggregates that list them in
# their brackets ("Wholesale and retail trade [41, 44-45]"): written with "+" between the parts
# in order, as NACE's unions are (B+D+E), "41+44-45"; a level-2 code whose children are its
# parts (naics_union_parts)
_NAICS_UNION_RE = re.compile(r"^\d{2}(?:-\d{2})?(?:\+\d{2}(?:-\d{2})?)+$")
_NACE_SECTION_RE = re.compile(r"^[A-U]$")
_NACE_DOTTED_RE = re.compile(r"^([A-U])?\s*(\d{2})(?:\.(\d)(\d)?)?$")
_NACE_AGG_RE = re.compile(r"^[A-U](?:[-_+][A-U])+$")
# the national subclasses written their office's way (normalize brings them to the canonical
# form): INSEE's NAF rév. 2, the class and a letter (10.11Z, 47.11D, APE 4711D), and
# Statistik Austria's ÖNACE 2008, the class, a dash and a digit (C 10.11-0, 10.71-1)
# (the dash only after a dotted class: "2014-2" is a half-year, no subclass)
_NATIONAL_SUBCLASS_RE = re.compile(r"^([A-U])?(\d{2})(?:\.?(\d\d)([A-Z])|\.(\d\d)-(\d))$")
# the dash form without its section letter is also how IBGE writes Brazil's CNAE 2.0 classes:
# 01.11-3 is the class 01.11 and its check digit, no subclass (see bare_dash_codes)
_BARE_DASH_RE = re.compile(r"^(\d{2}\.\d\d)-\d$")
_NACE_LETTERS_RE = re.compile(r"^[A-U]{2,6}$")
# sections run together are in the classification's order, each once (ONS's BDE, INSEE's GI):
# "US" (SCB's unknown sector, "okänd verksamhet"), "DA" (a NACE Rev. 1.1 subsection) are not.
# One pattern for the Python and the polars level rules, so the two cannot disagree
_NACE_RUN_RE = re.compile(r"^A?B?C?D?E?F?G?H?I?J?K?L?M?N?O?P?Q?R?S?T?U?$")
# ... but not two sections that are no neighbours, nor CD: those two letters mean something
# else to each office that writes them -- NACE Rev. 2's A*38 aggregates CD-CM are runs of C's
# divisions (ISTAT, INSEE, Eurostat: CG is C22-C23), INSEE's A10 BE, GI, RU are ranges (B to
# E) -- and no office writes them for the pair (C and G).  Read as the pair, CG beside C and G
# summed manufacturing with trade.  Refused in a NACE column (validate names what they are);
# each office's own column reads them its way (ISTAT_A38, insee_aggregation).  The run of
# neighbours (DE, MN) is the range too, the same thing to all; three or more (ONS's BDE,
# ABDE) no A*38 or INSEE code
_SECTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTU"
AMBIGUOUS_SECTION_PAIRS = frozenset({a + b for i, a in enumerate(_SECTION_LETTERS)
                                     for b in _SECTION_LETTERS[i + 2:]} | {"CD"})
# the OECD's ISIC Rev. 4 aggregates of sections, "T" for "to" (as its C10T12 for divisions):
# BTE industry, GTI, OTQ, RTU (R to U), GTU services.  Read as a run of letters RTU was R, T and
# U without S, and BTE, GTI no code at all
_OECD_SECTION_RANGE_RE = re.compile(r"^([A-U])T([A-U])$")


def _oecd_section_range(upper: str) -> str | None:
    """The OECD's ``BTE`` as the range it names (``B-E``); None for anything else."""
    m = _OECD_SECTION_RANGE_RE.match(upper)
    return f"{m.group(1)}-{m.group(2)}" if m and m.group(1) < m.group(2) else None
_NACE_DIVISION_RANGE_RE = re.compile(r"^([A-U])(\d{2})(?:(?:[-_]|T)[A-U]?\d{2})+$")
_PAREN_CODE_RE = re.compile(r"\(([A-U](?:[-_+][A-U])*|\d{2}(?:\.\d{1,2})?|\d{2,6}|\d{2}-\d{2})\)\s*$")
# the sections a label names after it, "(Part G)", "(B,D and E)", "(R,S,T and U)": NOMIS's
# broad industrial groups, "18 : Arts, entertainment, recreation & other services (R,S,T and
# U)", where the number before the colon is the group's number, not division 18 (printing)
_SECTIONS_NAMED = re.compile(r"\((?:part\s+)?[A-U](?:\s*(?:,|and|&)\s*[A-U])*\)\s*$", re.IGNORECASE)
# ONS's broad industry groups (NOMIS's BRES and UK Business Counts: "5 : Motor trades (Part
# G)") as the NACE (UK SIC 2007) codes they are: the sections a label lists are their union
# ("(B,D and E)" B+D+E, "(R,S,T and U)" the run R-U), and the three parts of G are its
# divisions, as ONS defines the groups: motor trades 45, wholesale 46, retail 47.  A "Part"
# of another section, or of G under another name, names no code and stays a label.
_BROAD_GROUP = re.compile(r"^(?:\d{1,2}\s*:\s+)?(\S.*?)\s*\(\s*(part\s+)?([A-U](?:\s*(?:,|and|&)\s*[A-U])*)\s*\)\s*$",
                          re.IGNORECASE)
# a section's letter, a dot and its name, as KOSIS (Statistics Korea) labels KSIC 10's
# sections: "C. 제조업(10~34)", "F. 건설업(41~42)".  The divisions in brackets are KSIC's own
# (its C ends at 34, its F at 42: NACE's are 33 and 43), so they stay in the name; a digit
# after the dot is a code ("C.10.11", OKED), never a name, nor is "U.S." an abbreviation
# (with the divisions in brackets at its end, as KOSIS writes every section: "C. Valenciana",
# INE's Comunitat, and "A. Smith" are no sections)
_LETTER_DOT_LABEL = re.compile(r"^([A-U])\.\s*(?![^\W\d_]\.)([^\W\d_].*\(\s*\d{2}(?:\s*[~～\-–]\s*\d{2})?\s*\))\s*$")
_BROAD_GROUP_PARTS = {("G", "motor trades"): "G45", ("G", "wholesale"): "G46", ("G", "retail"): "G47"}


def _broad_group(text: str) -> tuple[str, str] | None:
    """ONS's broad industry group label as ``(NACE code, name)``, or None: ``"5 : Motor trades
    (Part G)"`` -> ``("G45", "Motor trades")``, ``"2 : Mining, quarrying & utilities (B,D and
    E)"`` -> ``("B+D+E", ...)``, ``"18 : Arts, ... (R,S,T and U)"`` -> ``("R-U", ...)``."""
    m = _BROAD_GROUP.match(text)
    if not m:
        return None
    name, part = m.group(1).strip(), m.group(2)
    letters = re.findall(r"[A-U]", m.group(3).upper().replace("AND", ","))
    if part:
        code = _BROAD_GROUP_PARTS.get((letters[0], " ".join(name.lower().split())))
        return (code, name) if code and len(letters) == 1 else None
    if len(letters) < 2 or letters != sorted(set(letters)):
        return None  # one section: the bracketed code's own rule below
    run = "".join(chr(c) for c in range(ord(letters[0]), ord(letters[-1]) + 1))
    return (f"{letters[0]}-{letters[-1]}" if "".join(letters) == run else "+".join(letters)), name
# Statistics Canada's NAICS member names: the code in square brackets after the name,
# "Mining, quarrying, and oil and gas extraction [21]", "Manufacturing [31-33]".  Its own
# aggregates ("Forestry, logging and support [11N]", "Goods-producing industries [11-33N]")
# are no NAICS codes and stay labels
# (a footnote's number after the bracket in the "download as displayed" CSV: "[00-91N] 5")
# (and its aggregates listing their codes, "Wholesale and retail trade [41, 44-45]": the union
# of those codes, 41+44-45, where they are sectors or sector ranges; statcan_bracket_list_problem)
_BRACKET_CODE_RE = re.compile(r"\[(\d{2,6}|\d{2}-\d{2}|\d{2,6}(?:-\d{2,6})?(?:\s*,\s*\d{2,6}(?:-\d{2,6})?)+)\]"
                              r"(?:\s+\d{1,2})*\s*$")
_BRACKET_ONE_RE = re.compile(r"\[(\d{2,6}|\d{2}-\d{2})\](?:\s+\d{1,2})*\s*$")  # (one code: footnoted_names)
# the code before its name, with or without a colon between them: "C Verarbeitendes Gewerbe",
# NOMIS's (ONS BRES) "01 : Crop and animal production ..." (the colon was kept in the name)
# (Statistik Austria writes the section's letter, a blank and the division: "C 10 Herstellung
# von Nahrungs- und Futtermitteln" is C10, not section C named "10 Herstellung ..."; and its
# ÖNACE subclass "C 10.11-0 Schlachten"), INSEE's NAF subclass "10.11Z Transformation ..."
# (a dash between code and name, "C - Verarbeitendes Gewerbe", "C – Manufacturing", as a colon:
# it was kept as the name's first character)
# (a range of divisions with blanks or an en dash around its dash, "10 - 12 Food products",
# "10–12 Food products", is the range 10-12: it was read as division 10 named "- 12 Food ...")
_LEAD_CODE_RE = re.compile(r"^((?:[A-U]\s?)?\d{2}\.\d{2}-\d(?=\s)|\d{2}\.\d{2}[A-Z](?=\s)|[A-U]\s\d{2}(?:\.\d{1,2})?(?=\s)|[A-U](?:[-_+][A-U])*|\d{2}(?:\s+[-–]\s*|[-–]\s+|–)\d{2}(?=\s)|\d{2}\.\d{1,2}|\d{2,6}|\d{2}-\d{2})"
                           r"(?:\s*:|\s+[-–](?=\s+[^\W\d_]))?\s+(\S.*)$")


_RANGE_DASH = re.compile(r"(?<=\d)\s*[-–]\s*(?=\d{2}$)")  # "10 - 12", "10–12" -> "10-12"
# a range of years ("2020 - 2021", "2020–21", "2019 - 2020 Veränderung"): no industry code and
# its name; the first year was read as a 4-digit code, "2020 - 2021" as NACE class C20.20 named
# "- 2021", its figures a pesticide maker's (exit 0)
_YEAR_RANGE = re.compile(r"^((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2}|\d{2})(?![\d.])")


def is_year_range(text: str) -> bool:
    """Whether ``text`` starts with a range of years, the second after the first: ``2020 -
    2021``, ``2020–21``, ``2019-2020 change``."""
    m = _YEAR_RANGE.match(text.strip())
    if m is None:
        return False
    first, last = m.group(1), m.group(2)
    last = last if len(last) == 4 else first[:2] + last
    return int(first) < int(last)

# NACE Rev. 1.1 (2002, and Rev. 1 of 1990 with the same sections and divisions): the European
# classification before 2008 and its national variants (WZ 2003 and WZ 93 in Germany, ÖNACE
# 2003/1995 in Austria).  Its codes are written like Rev. 2's but mean other industries (15 is
# food there, leather here; D is manufacturing there, energy here): a table that names it is
# never read as NACE Rev. 2.
NACE_R11_NOTE = "NACE Rev.1.1 codes: read as they are, without NACE Rev.2 names or hierarchy"
NACE_R11_READ_NOTE = ("NACE Rev.1.1 codes: read as classification NACE-R1.1 (its own sections, "
                      "subsections and divisions), not as NACE Rev.2; no concordance between them")
_R11_CUE = re.compile(
    r"nace[\s_.-]*r(?:ev)?[\s_.]*1(?:[._]1)?(?!\d)|nace[\s_-]*1[._]1(?!\d)"
    r"|(?<![a-zäöü])wz[\s_-]*(?:20)?03(?!\d)|(?<![a-zäöü])wz[\s_-]*(?:19)?93(?!\d)"
    r"|(?:ö|oe)nace[\s_-]*(?:2003|1995)(?!\d)"
    # ISIC Rev. 3 / 3.1, whose sections and divisions are NACE Rev. 1.1's (UNIDO's INDSTAT2)
    r"|isic[\s_.-]*r(?:ev(?:ision)?)?[\s_.]*3(?:[._]1)?(?!\d)", re.IGNORECASE)
# a heading that names NACE Rev. 2 (or a variant): the column it heads is read as Rev. 2 whatever
# a title or another heading says
_R2_NAMED = re.compile(r"nace[\s_.-]*r(?:ev)?[\s_.]*2|(?<![a-zäöü])wz[\s_-]*(?:20)?08(?!\d)"
                       r"|okved[\s_-]*2|оквэд[\s_-]*2|(?:ö|oe)nace[\s_-]*2008"
                       r"|isic[\s_.-]*r(?:ev(?:ision)?)?[\s_.]*4(?!\d)", re.IGNORECASE)
# a heading naming ISIC without its revision (UNIDO's INDSTAT: "ISIC")
_ISIC_HEADING = re.compile(r"(?<![a-z])isic(?![a-z])", re.IGNORECASE)
# GENESIS writes WZ 2003 codes WZ03-D, WZ03-15, WZ03-15-1 (WZ 93: WZ93-...)
_R11_CODE_PREFIX = re.compile(r"^WZ\s*(?:20)?03[-_]|^WZ\s*(?:19)?93[-_]", re.IGNORECASE)


# a section's name that is Rev. 1.1's, not Rev. 2's: D is manufacturing in Rev. 1.1 (energy in
# Rev. 2), C mining (manufacturing in Rev. 2); Rosstat's OKVED (2001) tables, Destatis' WZ 2003
_R11_SECTION_NAMES = {
    "D": re.compile(r"manufactur|verarbeitend|обрабатывающ|өңдеу", re.IGNORECASE),
    "C": re.compile(r"mining|bergbau|добыча\s+полезн|тау-кен", re.IGNORECASE),
}


def nace_r11_cue(industry_heading: str | None = None, others=(), values=(), named=()) -> str | None:
    """The text that says a table's industry codes are NACE Rev. 1.1 (or Rev. 1, WZ 2003, WZ 93,
    ÖNACE 2003): the industry column's heading, else a title line or another heading, else a
    code written ``WZ03-15`` (GENESIS), else section D named manufacturing or C mining
    (``named``: industry cells and names); None when nothing says so, or the industry column's
    heading names Rev. 2 (``nace_r2``, ``WZ 2008``), or it does not name Rev. 1.1 and a title or
    heading names Rev. 2 (both named: read as before, Rev. 2).

    >>> nace_r11_cue("nace_rev1_1"), nace_r11_cue("nace_r2", ["NACE Rev. 1.1"]), nace_r11_cue(None, ["WZ 2003"])
    ('nace_rev1_1', None, 'WZ 2003')
    """
    head = " ".join(str(industry_heading or "").split())
    if _R11_CUE.search(head):
        return head
    others = [" ".join(str(t or "").split()) for t in others]
    if _R2_NAMED.search(head) or any(_R2_NAMED.search(t) for t in others):
        return None  # Rev. 2 named too (a title "NACE Rev. 2", a note on the Rev. 1.1 years)
    for text in others:
        if text and _R11_CUE.search(text):
            return text if len(text) <= 80 else _R11_CUE.search(text).group(0)
    for v in values:
        if v is not None and _R11_CODE_PREFIX.match(str(v).strip()):
            return str(v).strip()
    if _ISIC_HEADING.search(head):
        # ISIC Rev. 3's manufacturing: section D over divisions 15-37 (UNIDO's INDSTAT2, codes
        # alone).  In Rev. 4 (NACE Rev. 2) D is electricity, manufacturing C over 10-33: read
        # as such, D was energy and 15 (food) leather, silently
        cells = {str(v).strip().upper() for v in values if v is not None and str(v).strip()}
        divisions = {c for c in cells if re.fullmatch(r"\d{2}", c)}
        if "D" in cells and "C" not in cells and divisions and all(15 <= int(d) <= 37 for d in divisions):
            return f"{head}: D beside divisions {min(divisions)}-{max(divisions)} (ISIC Rev. 3)"
    # ``named``: (industry cell, name or None) pairs; "D Verarbeitendes Gewerbe", "Раздел D
    # Обрабатывающие производства", or D beside the name "Manufacturing"
    for raw, name in named:
        if raw is None:
            continue
        code, label = split_label(_SECTION_WORD.sub("", str(raw).strip()))
        text = name or label
        sec = _latin_code(code.strip()).upper()
        if text and sec in _R11_SECTION_NAMES and _R11_SECTION_NAMES[sec].search(str(text)):
            return f"{sec} = {' '.join(str(text).split())[:60]}"
    return None


def normalize_r11(raw: str | None) -> str | None:
    """A NACE Rev. 1.1 code as published (``15``, ``15.1``, ``15.11``, ``DA``, ``D``), its
    GENESIS prefix (``WZ03-``) and a section letter before a division (``D15``, ``DA15``)
    taken off; division 10 (mining of coal and lignite) is written ``CA10`` with its subsection,
    because a bare ``10`` is :data:`clusterid.schema.ALL_INDUSTRIES`."""
    if raw is None:
        return None
    code = raw.strip()
    if is_total(code):
        return schema.ALL_INDUSTRIES
    code = _R11_CODE_PREFIX.sub("", code)
    code = re.sub(r"^(?:nace|wz|önace|oenace)\s*[-_:.]?\s*", "", code, flags=re.IGNORECASE)
    code = _latin_code(code.replace("–", "-")).replace(" ", "")
    upper = code.upper()
    m = re.fullmatch(r"(?:[A-Q][A-N]?)?(\d{2}\.\d{2}\.\d{1,2})", upper)
    if m:  # a national subclass (WZ 2003 15.11.1, OKVED 15.11.11)
        return m.group(1)
    m = re.fullmatch(r"(?:[A-Q][A-N]?)?(\d{2})(?:\.?(\d)(?:\.?(\d))?)?", upper)
    if m:
        div, grp, cls = m.groups()
        if div == schema.ALL_INDUSTRIES and grp is None:
            return "CA10"
        return div + ("." + grp + (cls or "") if grp is not None else "")
    return upper if re.fullmatch(r"[A-Q][A-N]?|[A-Q](?:[-_+][A-Q])+", upper) else code



# The structure of NACE Rev. 1.1 (Commission Regulation (EC) No 29/2002; Eurostat RAMON
# "NACE_1_1"): sections A-Q, the subsections of C and D, and their divisions.
NACE_R11_SECTIONS: dict[str, tuple[int, ...]] = {
    "A": (1, 2), "B": (5,), "C": (10, 11, 12, 13, 14), "D": tuple(range(15, 38)), "E": (40, 41),
    "F": (45,), "G": (50, 51, 52), "H": (55,), "I": (60, 61, 62, 63, 64), "J": (65, 66, 67),
    "K": (70, 71, 72, 73, 74), "L": (75,), "M": (80,), "N": (85,), "O": (90, 91, 92, 93),
    "P": (95, 96, 97), "Q": (99,),
}
NACE_R11_SUBSECTIONS: dict[str, tuple[int, ...]] = {
    "CA": (10, 11, 12), "CB": (13, 14),
    "DA": (15, 16), "DB": (17, 18), "DC": (19,), "DD": (20,), "DE": (21, 22), "DF": (23,),
    "DG": (24,), "DH": (25,), "DI": (26,), "DJ": (27, 28), "DK": (29,), "DL": (30, 31, 32, 33),
    "DM": (34, 35), "DN": (36, 37),
}
NACE_R11_TITLES: dict[str, str] = {
    "A": "Agriculture, hunting and forestry", "B": "Fishing", "C": "Mining and quarrying",
    "CA": "Mining and quarrying of energy producing materials",
    "CB": "Mining and quarrying, except of energy producing materials",
    "D": "Manufacturing",
    "DA": "Manufacture of food products, beverages and tobacco",
    "DB": "Manufacture of textiles and textile products",
    "DC": "Manufacture of leather and leather products",
    "DD": "Manufacture of wood and wood products",
    "DE": "Manufacture of pulp, paper and paper products; publishing and printing",
    "DF": "Manufacture of coke, refined petroleum products and nuclear fuel",
    "DG": "Manufacture of chemicals, chemical products and man-made fibres",
    "DH": "Manufacture of rubber and plastic products",
    "DI": "Manufacture of other non-metallic mineral products",
    "DJ": "Manufacture of basic metals and fabricated metal products",
    "DK": "Manufacture of machinery and equipment n.e.c.",
    "DL": "Manufacture of electrical and optical equipment",
    "DM": "Manufacture of transport equipment", "DN": "Manufacturing n.e.c.",
    "E": "Electricity, gas and water supply", "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles, motorcycles and personal and "
         "household goods",
    "H": "Hotels and restaurants", "I": "Transport, storage and communication",
    "J": "Financial intermediation", "K": "Real estate, renting and business activities",
    "L": "Public administration and defence; compulsory social security", "M": "Education",
    "N": "Health and social work", "O": "Other community, social and personal service activities",
    "P": "Activities of private households as employers and undifferentiated production "
         "activities of private households",
    "Q": "Extra-territorial organizations and bodies",
    # divisions
    "01": "Agriculture, hunting and related service activities",
    "02": "Forestry, logging and related service activities",
    "05": "Fishing, fish farming and related service activities",
    "CA10": "Mining of coal and lignite; extraction of peat",
    "11": "Extraction of crude petroleum and natural gas; service activities incidental to oil and gas extraction",
    "12": "Mining of uranium and thorium ores", "13": "Mining of metal ores",
    "14": "Other mining and quarrying", "15": "Manufacture of food products and beverages",
    "16": "Manufacture of tobacco products", "17": "Manufacture of textiles",
    "18": "Manufacture of wearing apparel; dressing and dyeing of fur",
    "19": "Tanning and dressing of leather; manufacture of luggage, handbags, saddlery, harness and footwear",
    "20": "Manufacture of wood and of products of wood and cork, except furniture",
    "21": "Manufacture of pulp, paper and paper products",
    "22": "Publishing, printing and reproduction of recorded media",
    "23": "Manufacture of coke, refined petroleum products and nuclear fuel",
    "24": "Manufacture of chemicals and chemical products",
    "25": "Manufacture of rubber and plastic products",
    "26": "Manufacture of other non-metallic mineral products", "27": "Manufacture of basic metals",
    "28": "Manufacture of fabricated metal products, except machinery and equipment",
    "29": "Manufacture of machinery and equipment n.e.c.",
    "30": "Manufacture of office machinery and computers",
    "31": "Manufacture of electrical machinery and apparatus n.e.c.",
    "32": "Manufacture of radio, television and communication equipment and apparatus",
    "33": "Manufacture of medical, precision and optical instruments, watches and clocks",
    "34": "Manufacture of motor vehicles, trailers and semi-trailers",
    "35": "Manufacture of other transport equipment",
    "36": "Manufacture of furniture; manufacturing n.e.c.", "37": "Recycling",
    "40": "Electricity, gas, steam and hot water supply",
    "41": "Collection, purification and distribution of water", "45": "Construction",
    "50": "Sale, maintenance and repair of motor vehicles and motorcycles; retail sale of automotive fuel",
    "51": "Wholesale trade and commission trade, except of motor vehicles and motorcycles",
    "52": "Retail trade, except of motor vehicles and motorcycles; repair of personal and household goods",
    "55": "Hotels and restaurants", "60": "Land transport; transport via pipelines",
    "61": "Water transport", "62": "Air transport",
    "63": "Supporting and auxiliary transport activities; activities of travel agencies",
    "64": "Post and telecommunications",
    "65": "Financial intermediation, except insurance and pension funding",
    "66": "Insurance and pension funding, except compulsory social security",
    "67": "Activities auxiliary to financial intermediation", "70": "Real estate activities",
    "71": "Renting of machinery and equipment without operator and of personal and household goods",
    "72": "Computer and related activities", "73": "Research and development",
    "74": "Other business activities",
    "75": "Public administration and defence; compulsory social security", "80": "Education",
    "85": "Health and social work",
    "90": "Sewage and refuse disposal, sanitation and similar activities",
    "91": "Activities of membership organizations n.e.c.",
    "92": "Recreational, cultural and sporting activities", "93": "Other service activities",
    "95": "Activities of households as employers of domestic staff",
    "96": "Undifferentiated goods producing activities of private households for own use",
    "97": "Undifferentiated services producing activities of private households for own use",
    "99": "Extra-territorial organizations and bodies",
}


def _r11_division(d: int) -> str:
    """Division ``d`` as written in the classification NACE-R1.1 (``15``; 10 is ``CA10``)."""
    return "CA10" if d == 10 else f"{d:02d}"


# code -> its direct parent: class -> group -> division -> subsection (C, D) or section -> total
NACE_R11_PARENT: dict[str, str] = {
    **{sec: schema.ALL_INDUSTRIES for sec in NACE_R11_SECTIONS},
    **{sub: sub[0] for sub in NACE_R11_SUBSECTIONS},
    **{_r11_division(d): sec for sec, divs in NACE_R11_SECTIONS.items() for d in divs},
    **{_r11_division(d): sub for sub, divs in NACE_R11_SUBSECTIONS.items() for d in divs},
}
NACE_R11_DIVISIONS = frozenset(f"{d:02d}" for divs in NACE_R11_SECTIONS.values() for d in divs)
_R11_AGG_RE = re.compile(r"^[A-Q](?:[-_+][A-Q])+$")


def nace_r11_level(code: str | None) -> int | None:
    """Level of a NACE-R1.1 code (canonical, :func:`normalize_r11`): 0 total, 1 section or an
    aggregate of sections (``C-E``, ``A_B``), 2 subsection (``DA``), 3 division (``15``,
    ``CA10``), 4 group (``15.1``), 5 class (``15.11``), 6 a national subclass (WZ 2003
    ``15.11.1``, OKVED ``15.11.11``); None for anything else (``40.9``, ``98``).

    >>> [nace_r11_level(c) for c in ("10", "D", "C-E", "DA", "15", "CA10", "15.1", "15.11", "98")]
    [0, 1, 1, 2, 3, 3, 4, 5, None]
    """
    if code is None:
        return None
    if code == schema.ALL_INDUSTRIES:
        return 0
    if code in NACE_R11_SECTIONS or _R11_AGG_RE.match(code):
        return 1
    if code in NACE_R11_SUBSECTIONS:
        return 2
    if code in NACE_R11_PARENT:
        return 3
    m = re.fullmatch(r"(\d{2})\.\d(\d)?(\.\d{1,2})?", code)
    if m and m.group(1) in NACE_R11_DIVISIONS and (m.group(3) is None or m.group(2)):
        return 6 if m.group(3) else 5 if m.group(2) else 4
    return None


def nace_r11_parent(code: str) -> str | None:
    """The direct parent of a NACE-R1.1 code (``15.11`` -> ``15.1`` -> ``15`` -> ``DA`` -> ``D``
    -> all industries; ``01`` -> ``A``); None for the total, aggregates and unknown codes."""
    lev = nace_r11_level(code)
    if lev is None or lev == 0:
        return None
    if lev == 6:
        return code[:5]
    if lev == 5:
        return code[:4]
    if lev == 4:
        return _r11_division(int(code[:2]))
    if lev == 1:
        return schema.ALL_INDUSTRIES
    return NACE_R11_PARENT.get(code)


def _r11_ancestor(code: str, to_level: int) -> str | None:
    """The ancestor of ``code`` at ``to_level`` (itself at its own level); None where the chain
    skips that level (a division of A has no subsection)."""
    lev = nace_r11_level(code)
    while lev is not None and lev > to_level:
        code = nace_r11_parent(code)
        lev = nace_r11_level(code) if code is not None else None
    return code if lev == to_level else None


# Russian and Kazakh tables type the section letters that look Latin in Cyrillic (С for C,
# А, В, Е, Н, К, М, О, Р, Т): "С" was no code, so Rosstat's and stat.gov.kz's manufacturing
# rows were an unknown industry.  Only a code that is all Latin after the swap is swapped.
_HOMOGLYPHS = str.maketrans("АВСЕНКМОРТ", "ABCEHKMOPT")
_SECTION_WORD = re.compile(r"^(?:раздел|секция|бөлім|section|abschnitt|sektion)\s*:?\s*(?=\S)", re.IGNORECASE)
_SECTION_LABEL = re.compile(r"^(?:раздел|секция|бөлім|section|abschnitt|sektion)\s*:?\s*"
                            r"([A-UА-Я](?:\s*[-_+]\s*[A-UА-Я])*)\s*[:.\-–]?\s+(\S.*)$", re.IGNORECASE)


def _latin_code(code: str) -> str:
    """``"С"`` (Cyrillic) -> ``"C"``, ``"Раздел C"`` -> ``"C"``; anything else unchanged."""
    code = _SECTION_WORD.sub("", code)
    if re.search(r"[А-Яа-яЁё]", code):
        swapped = code.upper().translate(_HOMOGLYPHS)
        if not re.search(r"[А-ЯЁ]", swapped) and re.match(r"^[A-U](?:[-_+.\dA-U]*)$", swapped):
            return swapped
    return code


# "all industries" as a phrase: Rosstat's and the Kazakh bureau's "Всего по всем видам
# экономической деятельности", "Итого по всем отраслям", "Экономика - всего", Destatis' "Alle
# Wirtschaftsabschnitte", Eurostat's "All NACE activities", "Total - all industries".  Not read
# as the total, such a row was one more industry: the region totals became sums of the few
# sections listed, and every LQ of the table was off
_ALL_ACTIVITIES = (r"(?:(?:всем\s+)?видам\s+(?:экономической\s+)?деятельности|(?:всем\s+)?отраслям"
                   r"(?:\s+экономики)?|экономике|all\s+(?:nace\s+)?(?:industries|activities|sectors)|"
                   r"industries|economy|alle\s+wirtschaftsabschnitte|alle\s+wirtschaftszweige|"
                   r"wirtschaft|экономика)")
_TOTAL_PHRASE = re.compile(
    r"^(?:(?:всего|итого|total|insgesamt|gesamt|барлығы)\s*(?:[-:,\u2013]\s*)?(?:по\s+)?"
    + _ALL_ACTIVITIES + r"|(?:all|alle|все)\s+(?:nace\s+)?(?:industries|activities|sectors|"
    r"wirtschaftsabschnitte|wirtschaftszweige|отрасли|виды\s+(?:экономической\s+)?деятельности)"
    r"|(?:экономика|economy|wirtschaft|all\s+industries|все\s+отрасли)\s*(?:[-:,\u2013]\s*)?"
    r"(?:всего|total|insgesamt|итого))$", re.IGNORECASE)


# e-Stat's all-industries member of the Economic Census (JSIC): "A～R 全産業（S公務を除く）",
# code AS -- the sections A to R, all the census covers (S, public service, is out of its
# scope); "全産業(S公務を除く)" without the range.  Read as an industry of its own, it was summed
# with its sections into every region's total (each region counted twice)
_JSIC_ALL = re.compile(r"(?:[a-t]\s*[～~〜\-－]\s*[a-t]\s*)?全産業\s*(?:[（(][^（）()]*除く[）)])?")


# INEGI's economic censuses (SAIC) head each area's all-activities row with the area's level:
# "Total nacional", "Total estatal", "Total municipal" in the activity column
_SPANISH_AREA_TOTAL = re.compile(r"total\s+(?:nacional|estatal|municipal)")


_FOOTNOTE_NUMBERS = re.compile(r"(?:\s+\d{1,2})+$")


def footnoted_names(values) -> dict[str, str]:
    """``{name: name without its footnote numbers}`` for the names of a column whose total
    carries footnote numbers (Statistics Canada's "download as displayed" CSV: "Total, all
    industries 7" over "Goods-producing sector 8"): the trailing numbers of a name with no code
    are footnote marks there, as the total's are.  Empty when the total has none (a trailing
    number is then part of the name).

    >>> footnoted_names(["Total, all industries 7", "Goods-producing sector 8", "Construction [23]"])
    {'Total, all industries 7': 'Total, all industries', 'Goods-producing sector 8': 'Goods-producing sector'}
    >>> footnoted_names(["Total", "Division 8"])
    {}
    """
    values = [v for v in dict.fromkeys(values) if isinstance(v, str)]
    marked = [v for v in values if _FOOTNOTE_NUMBERS.search(v.strip())
              and _FOOTNOTE_NUMBERS.sub("", v.strip()) and is_total(v)]
    if not marked:
        return {}
    out = {}
    for v in values:
        bare = _FOOTNOTE_NUMBERS.sub("", v.strip())
        if bare and bare != v.strip() and split_label(v)[1] is None and not _BRACKET_ONE_RE.search(v) \
                and not re.fullmatch(r"[\d\s.\-–]+", v.strip()):
            out[v] = bare
    return out


# two words or phrases for the total, one a language, parted by a slash or a dash
_BILINGUAL_TOTAL = re.compile(r"([^/\u2013-]+?)\s*(?:/|-|\u2013)\s*([^/\u2013-]+)")


def is_total(raw: str | None) -> bool:
    """True for the words sources use for "all industries" (any language we know)."""
    if raw is None:
        return False
    text = " ".join(raw.split()).lower().rstrip(":").strip()
    if text in TOTAL_WORDS or bool(_TOTAL_PHRASE.match(text)):
        return True
    halves = _BILINGUAL_TOTAL.fullmatch(text)
    halves = halves.groups() if halves else text.split(" ") if text.count(" ") == 1 else ()
    if halves and all(h in TOTAL_WORDS or _TOTAL_PHRASE.match(h) for h in halves):
        # the total in two languages, as bilingual tables write it: TÜİK's "Toplam-Total",
        # "Toplam / Total", "Toplam\nTotal" (a cell of two lines), stat.gov.kz's "Барлығы /
        # Всего": read as one more industry (no code), the region's total was the sum of its
        # sections alone, exit 0
        return True
    if _JSIC_ALL.fullmatch(text) or _SPANISH_AREA_TOTAL.fullmatch(text):
        return True
    if (bare := _FOOTNOTE_NUMBERS.sub("", text)) != text and bare:
        # Statistics Canada's "download as displayed" CSV puts the footnotes' numbers after a
        # member's name: "Total, all industries 7" was one more industry beside its sectors
        return is_total(bare)
    # Statistics Canada's all-industries member (SEPH tables such as 14-10-0202): "Industrial
    # aggregate including unclassified businesses [00-91N]"; the one "excluding unclassified
    # businesses [11-91N]" is the sum of the classified sectors, an aggregate of its own (in
    # the French table: "Ensemble des industries y compris les entreprises non classifiées")
    if (t001 := re.fullmatch(r"(.*?)\s*\[t001\](?:\s+\d{1,2})*", text)) and t001.group(1):
        # Statistics Canada's all-industries member T001 of its GDP and productivity tables
        # (36-10-0402, 36-10-0480): "All industries [T001]", "Toutes les industries [T001]"
        return is_total(t001.group(1)) or t001.group(1) == "toutes les industries"
    return bool(re.fullmatch(r"(?:industrial aggregate including unclassified businesses|ensemble des "
                             r"industries y compris les entreprises non classifiées)"
                             r"(?:\s*\[00-91n\](?:\s+\d{1,2})*)?", text))


# NACE Rev. 2 sections (and OKED, OKVED2, WZ 2008 sections, which are NACE's) by their titles
# alone, as yearbook tables list them without codes: Russian (stat.gov.kz OKED, Rosstat OKVED2),
# Kazakh, German (Destatis WZ 2008), English (Eurostat), Ukrainian (Ukrstat's KVED 2010, ДК
# 009:2010, NACE Rev. 2's national version) and Turkish (TÜİK's NACE Rev. 2).  A title is one section when exactly one
# of these matches it; "Промышленность" (Industry) is B-E, the sum of four sections.
_SECTION_TITLES = {k: re.compile(v, re.IGNORECASE) for k, v in {
    "A": r"сельско\w* хоз|сельское, лесное|ауыл, орман|agricultur|land- und forst|landwirtschaft|"
         r"сільськ\w* господар|сільське, лісове|tarım, ormancılık|qishloq, o\W?rmon|қишлоқ, ўрмон",
    "B": r"горнодобыв|добыча полезн|тау-кен|\bmining\b|bergbau|добувна промисл|madencilik ve taş",
    "C": r"обрабатыва|өңдеу өнеркәсіб|manufactur(?!e of gas\b)|verarbeitend|переробна промисл|^i\u0307?malat$|"
         r"ishlab chiqarish sanoati|ишлаб чиқариш саноати|иштетүү өнөр жай",
    "D": r"электроснабж|электрическ\w* энерги|электрмен|electricity|manufacture of gas\b|"
         r"gaseous fuels|energieversorg|постачання електроенерг|elektrik, gaz, buhar",
    "E": r"водоснабж|сумен жабд|water supply|wasserversorg|водопостачання|^su temini",
    "F": r"^(?:строительство|құрылыс|construction|baugewerbe|будівництво|i\u0307?nşaat|qurilish|қурилиш|курулуш)$",
    "G": r"торговл|сауда|wholesale|retail trade|^handel\b|торгівл|toptan ve perakende",
    "H": r"^транспорт|көлік|transport|verkehr und lagerei|ulaştırma ve depolama",
    "I": r"проживан|гостиниц|тұру және|accommodation|gastgewerbe|тимчасове розміщ|konaklama ve yiyecek",
    "J": r"информаци|ақпарат|information and communication|information und kommunikation|"
         r"інформаці\w* та телекомунікац|^bilgi ve i\u0307?letişim$",
    "K": r"финансов|қаржы|financial and insurance|finanz- und versicherung|фінансов|finans ve sigorta",
    "L": r"недвижим|жылжымайтын|real estate|grundstücks- und wohnungswesen|нерухом|gayrimenkul",
    "M": r"профессиональн|кәсіби|professional, scientific|freiberuflich|професійн|mesleki, bilimsel",
    "N": r"административн|әкімшілік|administrative and support|sonstigen wirtschaftlichen|адміністративн|"
         r"i\u0307?dari ve destek",
    "O": r"государственное управлени|мемлекеттік басқару|public administration|öffentliche verwaltung|"
         r"державне управлін|kamu yönetimi ve savunma",
    "P": r"^образование$|^білім беру$|^education$|erziehung und unterricht|^освіта$|^eğitim$",
    "Q": r"здравоохран|денсаулық сақтау|health|social work|residential (?:nursing )?care|gesundheits|"
         r"охорона здоров|соціальної допомоги|i\u0307?nsan sağlığı",
    "R": r"искусств|культуры, спорта|^өнер\b|\barts\b|kunst, unterhaltung|мистецтв|kültür, sanat",
    "S": r"прочих видов услуг|өзге де қызмет|басқа да қызмет|other service|sonstigen dienstleistungen|"
         r"інших видів послуг|diğer hizmet faaliyet",
    "T": r"домашних хозяйств|үй шаруашылық|activities of households|private haushalte|домашніх господарств|"
         r"^hanehalklarının",
    "U": r"экстерриториальн|экстерриториял|extraterritorial|exterritorial|екстериторіальн|ülke dışı örgüt",
    "B-E": r"^(?:промышленность|өнеркәсіп|industry|industrie|produzierendes gewerbe ohne baugewerbe|"
           r"промисловість|sanayi|sanoat|саноат|өнөр жай)$",
}.items()}
# English titles below the sections use a section's word for something else: the goods a unit
# makes, sells, rents or repairs ("transport equipment", "agricultural machinery", "information
# and communication equipment"), what its work is without ("social work activities without
# accommodation"), or the activities of others it regulates (84.12 "Regulation of the activities
# of providing health care, education ...").  These phrases are taken out before the sections'
# patterns are tried, so the title reads as its own section or as none: Q88 "Social work
# activities without accommodation" and Eurostat's Q87_Q88 were I, 77.34 "Renting and leasing of
# water transport equipment" H, 42.22 "Construction of utility projects for electricity and
# telecommunications" D, 47.4 "Retail sale of information and communication equipment" J
_OTHER_SENSE = re.compile(
    r"\bwithout accommodation\b|\btypes of accommodation\b|\btransport equipment\b|"
    r"\bpatient transportation\b|\bagricultural (?:and forestry )?machinery\b|"
    r"\bagricultural raw materials\b|\bcommunication equipment\b|"
    r"\belectricity and telecommunications\b|\belectricity distribution and control apparatus\b|"
    r"^regulation of\b.*", re.IGNORECASE)
# the aggregates of sections national accounts publish (Eurostat's A*10, the German VGR's and
# Erwerbstätigenrechnung's Wirtschaftsbereiche), by their whole titles: matched before the
# sections, whose words they contain
_AGGREGATE_TITLES = {k: re.compile(v, re.IGNORECASE) for k, v in {
    "B-E": r"^industry \(except construction\)$",
    "B-F": r"^produzierendes gewerbe$",
    "G-I": r"^wholesale and retail trade, transport, accommodation and food service activities$"
           r"|^handel, verkehr(?:,| und) gastgewerbe$",
    "G-J": r"^handel, verkehr(?: und lagerei)?, gastgewerbe(?:,| und) information und kommunikation$",
    "K-N": r"^finanz-, versicherungs- und unternehmensdienstleister",
    "O-T": r"^öffentliche und sonstige dienstleister",
    # the German A*10 groups of the Länder's and the Federal Statistical Office's employment
    # accounts (Erwerbstätigenrechnung, VGRdL), whole or as GENESIS abbreviates them (REAT's
    # Länder table: "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL", "oeff.Verw.,
    # Verteidig.,Sozialvers.,Erz.-u.Unterricht", "Kunst, Unterhaltung, Erholung, Priv.
    # Haush.,usw."): uncoded, a third of the Länder's jobs was left out of every level's sums.
    # The ten groups add up to the table's total (REAT: within 0.12% in every Land and year),
    # so the cut public-services title is O-Q, the arts' title with "usw." R-U
    "M-N": r"^professional, scientific and technical activities; administrative and support "
           r"service activities$"
           r"|^freiberufl\w*\.?\s*,?\s*wissenschaftl.*(?:sonst|unternehmensdienst)",
    "O-Q": r"^public administration, defence, education, human health and social work activities$"
           r"|^(?:öff|oeff)(?:entliche|\.)\s*(?:verw\w*\.?\s*,?\s*verteidig.*erz|dienstleister,\s*erziehung)",
    "R-U": r"^arts, entertainment and recreation; other service activities; activities of "
           r"household"
           r"|^kunst,\s*unterhaltung(?:,|\s+und)\s*erholung\b.*(?:priv\w*\.?\s*haush|usw\.?$)",
}.items()}


# The official English titles of the NACE Rev. 2 sections, whole (as data/nace_r2_titles.csv
# holds them: a test keeps the two equal), and the aggregates and total Eurostat labels by
# title: a Data Browser sheet downloaded with labels names the activities, not their codes.
# Read whole, a label is never taken for a section its words merely mention (a division's
# "Manufacture of food products" stays a label there); section_of_title reads them first.
NACE_LABELS = {
    "agriculture, forestry and fishing": "A", "mining and quarrying": "B", "manufacturing": "C",
    "electricity, gas, steam and air conditioning supply": "D",
    "water supply; sewerage, waste management and remediation activities": "E",
    "construction": "F", "wholesale and retail trade; repair of motor vehicles and motorcycles": "G",
    "transportation and storage": "H", "accommodation and food service activities": "I",
    "information and communication": "J", "financial and insurance activities": "K",
    "real estate activities": "L", "professional, scientific and technical activities": "M",
    "administrative and support service activities": "N",
    "public administration and defence; compulsory social security": "O", "education": "P",
    "human health and social work activities": "Q", "arts, entertainment and recreation": "R",
    "other service activities": "S",
    "activities of households as employers; undifferentiated goods- and services-producing "
    "activities of households for own use": "T",
    "activities of extraterritorial organisations and bodies": "U",
    "industry (except construction)": "B-E",
    "wholesale and retail trade, transport, accommodation and food service activities": "G-I",
    "wholesale and retail trade; transport; accommodation and food service activities": "G-I",
    "total - all nace activities": "TOTAL",
}


def _title_text(raw) -> str:
    """A title as the title maps compare it: blanks collapsed, lower case, ё as е."""
    return " ".join(str(raw).split()).lower().replace("ё", "е")


def nace_code_of_label(raw: str | None) -> str | None:
    """The NACE Rev. 2 code an English label names whole (:data:`NACE_LABELS`): a section
    ("Manufacturing" -> C), an aggregate Eurostat labels ("Industry (except construction)" ->
    B-E) or its total ("Total - all NACE activities" -> TOTAL); None for any other text."""
    return None if raw is None else NACE_LABELS.get(_title_text(raw))


def section_of_title(raw: str | None) -> str | None:
    """The NACE Rev. 2 section (or aggregate of sections) a title names, when exactly one does:
    a section's or aggregate's whole English title (:data:`NACE_LABELS`), else the patterns
    of the offices' titles: "Обрабатывающая промышленность" -> C, "Промышленность" -> B-E,
    "Verarbeitendes Gewerbe" -> C, "Handel, Verkehr und Gastgewerbe" -> G-I; None for a title
    of none or several ("Услуги", services, is no aggregate the sections' titles tell) and
    for the total (:func:`is_total`).  A section's word used for something else (the goods in
    "Renting and leasing of water transport equipment", "without accommodation") is no
    match (:data:`_OTHER_SENSE`)."""
    if raw is None:
        return None
    text = _title_text(raw).rstrip(" .:;*")
    text = re.sub(r"\s*\d\)$|\s*\(\d\)$", "", text)  # a footnote mark: "Образование1)"
    whole = NACE_LABELS.get(text)
    if whole is not None:
        return None if whole == "TOTAL" else whole
    if text.count(" / ") == 1:
        # a title in two languages, as stat.gov.kz's bulletins write them: "Құрылыс /
        # Строительство", "Өңдеу өнеркәсібі / Обрабатывающая промышленность" -- the section
        # both halves name (none: refused as headings that are no industry codes)
        halves = [section_of_title(h) for h in text.split(" / ")]
        if halves[0] is not None and halves[0] == halves[1]:
            return halves[0]
    found = [k for k, rx in _AGGREGATE_TITLES.items() if rx.search(text)]
    if not found:
        own = _OTHER_SENSE.sub(" ", text)
        found = [k for k, rx in _SECTION_TITLES.items() if rx.search(own)]
    return found[0] if len(found) == 1 else None


# The sections' official Russian titles: stat.gov.kz's OKED (ГК РК 03-2019; E also as OKED
# 2007 wrote it) and Rosstat's OKVED2 (ОК 029-2014).  Whole, section_of_title's patterns read
# them (a test keeps the two in step); here for a sheet named by one, which Excel cuts at 31
# characters ("Предоставление услуг по прожива", "Деятельность в области информац"): a cut
# title names its section where it is the first 31 characters of exactly one section's titles.
RU_SECTION_TITLES = {
    "A": ("Сельское, лесное и рыбное хозяйство",
          "Сельское, лесное хозяйство, охота, рыболовство и рыбоводство"),
    "B": ("Горнодобывающая промышленность и разработка карьеров", "Добыча полезных ископаемых"),
    "C": ("Обрабатывающая промышленность", "Обрабатывающие производства"),
    "D": ("Электроснабжение, подача газа, пара и воздушное кондиционирование",
          "Обеспечение электрической энергией, газом и паром; кондиционирование воздуха"),
    "E": ("Водоснабжение; водоотведение; сбор, обработка и удаление отходов, деятельность по "
          "ликвидации загрязнений",
          "Водоснабжение; канализационная система, контроль над сбором, обработкой и "
          "распространением отходов",
          "Водоснабжение; водоотведение, организация сбора и утилизации отходов, деятельность по "
          "ликвидации загрязнений"),
    "F": ("Строительство",),
    "G": ("Оптовая и розничная торговля; ремонт автомобилей и мотоциклов",
          "Торговля оптовая и розничная; ремонт автотранспортных средств и мотоциклов"),
    "H": ("Транспорт и складирование", "Транспортировка и хранение"),
    "I": ("Предоставление услуг по проживанию и питанию",
          "Деятельность гостиниц и предприятий общественного питания"),
    "J": ("Информация и связь", "Деятельность в области информации и связи"),
    "K": ("Финансовая и страховая деятельность", "Деятельность финансовая и страховая"),
    "L": ("Операции с недвижимым имуществом", "Деятельность по операциям с недвижимым имуществом"),
    "M": ("Профессиональная, научная и техническая деятельность",
          "Деятельность профессиональная, научная и техническая"),
    "N": ("Деятельность в области административного и вспомогательного обслуживания",
          "Деятельность административная и сопутствующие дополнительные услуги"),
    "O": ("Государственное управление и оборона; обязательное социальное обеспечение",
          "Государственное управление и обеспечение военной безопасности; социальное обеспечение"),
    "P": ("Образование",),
    "Q": ("Здравоохранение и социальные услуги",
          "Деятельность в области здравоохранения и социальных услуг"),
    "R": ("Искусство, развлечения и отдых",
          "Деятельность в области культуры, спорта, организации досуга и развлечений"),
    "S": ("Предоставление прочих видов услуг",),
    "T": ("Деятельность домашних хозяйств, нанимающих домашнюю прислугу и производящих товары "
          "и услуги для собственного потребления",
          "Деятельность домашних хозяйств как работодателей; недифференцированная деятельность "
          "частных домашних хозяйств по производству товаров и оказанию услуг для собственного "
          "потребления"),
    "U": ("Деятельность экстерриториальных организаций и органов",),
}
SHEET_NAME_MAX = 31  # Excel's limit on a sheet's name (xlsx and xls alike)


def section_of_cut_title(raw: str | None) -> tuple[str, str] | None:
    """``(section, whole title)`` for a sheet's name that is an official Russian section title
    (:data:`RU_SECTION_TITLES`) cut at Excel's 31 characters -- the cut, and the name, read
    without trailing blanks and punctuation, in any case -- when exactly one section has such
    a title; None for any other name (a title cut shorter, or abridged, is not guessed at)."""
    if raw is None:
        return None
    name = _title_text(raw).rstrip(" ,;.")
    if len(name) < SHEET_NAME_MAX - 3:
        return None
    found = [(k, t) for k, titles in RU_SECTION_TITLES.items() for t in titles
             if len(t) > SHEET_NAME_MAX
             and _title_text(t[:SHEET_NAME_MAX]).rstrip(" ,;.") == name]
    # (OKED's and OKVED2's O both begin "Государственное управление и об": the first is kept)
    return found[0] if len({k for k, _ in found}) == 1 else None


# NACE Rev. 1.1's subsections as Rosstat's OKVED (2001) tables write them: "Подраздел DA
# Производство пищевых продуктов" (Rev. 2 has no subsections: never seen in its tables)
_SUBSECTION_LABEL = re.compile(r"^(?:подраздел|subsection|unterabschnitt)\s*:?\s*([A-QА-Я][A-NА-Я])"
                               r"\s*[:.\-–]?\s+(\S.*)$", re.IGNORECASE)


def statcan_bracket_list_problem(raw: str) -> str | None:
    """Why a Statistics Canada member listing several codes in its brackets cannot be placed in
    NAICS's hierarchy (``"Trade [411, 44-45]"``: a subsector beside sectors; ``"[31-33, 32]"``:
    overlapping), else None (``"[41, 44-45]"`` is the union 41+44-45; one code is no list)."""
    m = _BRACKET_CODE_RE.search(str(raw))
    if not m or "," not in m.group(1) or str(raw).strip().startswith("["):
        return None
    parts = [p.strip() for p in m.group(1).split(",")]
    if naics_union(parts):
        return None
    if any(not (_NAICS_RANGE_RE.match(p) or p in _NAICS_LEVEL_SECTORS) for p in parts):
        return "its codes are not all NAICS sectors or sector ranges (clusterid places an aggregate of sectors only)"
    return "its codes overlap or repeat"


def statcan_bracket_code(raw: str) -> bool:
    """Whether ``raw`` is a Statistics Canada member name with its NAICS code in brackets
    (``"Farm product merchant wholesalers [411]"``)."""
    return bool(_BRACKET_CODE_RE.search(str(raw))) and not str(raw).strip().startswith("[")


def split_label(raw: str) -> tuple[str, str | None]:
    """``"Baugewerbe (F)"`` -> ``("F", "Baugewerbe")``; ``"C Verarbeitendes Gewerbe"`` ->
    ``("C", "Verarbeitendes Gewerbe")``; ``"Подраздел DA Производство пищевых продуктов"`` ->
    ``("DA", ...)``; anything else -> ``(raw, None)``."""
    text = raw.strip()
    m = _SUBSECTION_LABEL.match(text)
    if m:
        code = m.group(1).upper().translate(_HOMOGLYPHS)
        if re.fullmatch(r"[A-Q][A-N]", code):
            return code, m.group(2).strip()
    m = _SECTION_LABEL.match(text)
    if m:  # "Раздел C Обрабатывающие производства" (Rosstat), "Abschnitt C: Verarbeitendes Gewerbe"
        code = _latin_code(m.group(1).replace(" ", ""))
        if not re.search(r"[А-Яа-я]", code):
            return code, m.group(2).strip()
    group = _broad_group(text)
    if group:
        return group
    m = _LETTER_DOT_LABEL.match(text)
    if m:  # KOSIS's "C. 제조업(10~34)": section C (KSIC's own divisions in the name, not read)
        return m.group(1), m.group(2).strip()
    m = _PAREN_CODE_RE.search(text)
    if m and m.start() > 0:  # (NOMIS's group number before the name left out: "3 : Manufacturing (C)")
        # (and NOMIS's section letter before its divisions: "C : Manufacturing (10-33)" is
        # named "Manufacturing", it was "C : Manufacturing")
        return m.group(1), re.sub(r"^(?:\d{1,2}|[A-U])\s*:\s+", "", text[: m.start()].strip()) or None
    m = _BRACKET_CODE_RE.search(text)
    if m and m.start() > 0:
        if "," in m.group(1):  # StatCan's aggregate of sectors "[41, 44-45]": their union
            union = naics_union(m.group(1).split(","))
            return (union, text[: m.start()].strip() or None) if union else (text, None)
        return m.group(1), text[: m.start()].strip() or None
    if re.fullmatch(r"\d{2}\s*[-–]\s*\d{2}", text):
        return _RANGE_DASH.sub("-", text), None  # "10 - 12" alone: the range, no name "- 12"
    m = _LEAD_CODE_RE.match(text)
    if m and not (m.group(1).isdigit() and _SECTIONS_NAMED.search(text)) and not is_year_range(text):
        return _RANGE_DASH.sub("-", m.group(1)), m.group(2).strip()
    # the code with its classification's prefix before the name, as GENESIS writes WZ 2008
    # codes with their labels: "WZ08-C Verarbeitendes Gewerbe", "WZ08-10 Herstellung von
    # Nahrungsmitteln" (no split, each was a custom code of its own, "C Verarbeitendes
    # Gewerbe", beside the table's plain "C"); the code keeps its prefix (normalize takes it off)
    prefix = _PREFIX.match(text)
    if prefix and prefix.end() < len(text) and not GENESIS_GROUPING.match(text.split()[0]):
        m = _LEAD_CODE_RE.match(text[prefix.end():])
        if m and not (m.group(1).isdigit() and _SECTIONS_NAMED.search(text)):
            return text[:prefix.end()] + m.group(1), m.group(2).strip()
    return text, None


def _is_nace_letters(code: str) -> bool:
    return bool(_NACE_LETTERS_RE.match(code)) and bool(_NACE_RUN_RE.match(code)) \
        and code not in AMBIGUOUS_SECTION_PAIRS


_NAICS_UNION_PART = "(?:" + "|".join(sorted(_NAICS_LEVEL_SECTORS) + ["31-33", "44-45", "48-49"]) + ")"
# (each part a sector or sector range; level_expr's pattern, naics_union_parts checks the rest)
_NAICS_UNION_LEVEL = rf"^{_NAICS_UNION_PART}(?:\+{_NAICS_UNION_PART})+$"


def naics_union_parts(code: str) -> tuple[str, ...] | None:
    """The parts of a union of NAICS sectors and sector ranges (``"41+44-45"`` -> ``("41",
    "44-45")``): each a sector (NAICS Canada's 41 and 91 too) or one of the ranges 31-33,
    44-45, 48-49, in order, none overlapping another; None for any other code.

    >>> naics_union_parts("41+44-45"), naics_union_parts("44-45+41"), naics_union_parts("31+31-33")
    (('41', '44-45'), None, None)
    """
    if not isinstance(code, str) or not _NAICS_UNION_RE.match(code):
        return None
    parts = tuple(code.split("+"))
    if any(not (_NAICS_RANGE_RE.match(p) or p in _NAICS_LEVEL_SECTORS) for p in parts):
        return None
    sectors = [q for p in parts for q in NAICS_RANGE_PARTS.get(p, (p,))]
    if len(set(sectors)) != len(sectors) or list(parts) != sorted(parts):
        return None
    return parts


def naics_union_links(present) -> dict[str, str]:
    """``{part: union}`` for validation's parent check: each direct part (``41``, ``44-45``;
    ``44`` and ``45`` where ``44-45`` is not listed) of each union of NAICS sectors in
    ``present`` (StatCan's ``41+44-45``, :func:`naics_union_parts`) that ``present`` lists too,
    so the union is compared with its parts as a parent with its children.  A part of two
    unions is left out (it has no one parent)."""
    out: dict[str, str] = {}
    twice: set[str] = set()
    for union in sorted(c for c in present if isinstance(c, str) and "+" in c):
        for p in naics_union_parts(union) or ():
            for q in ((p,) if p in present else NAICS_RANGE_PARTS.get(p, ())):
                if q in present:
                    if q in out:
                        twice.add(q)
                    out[q] = union
    return {q: u for q, u in out.items() if q not in twice}


def naics_union(parts) -> str | None:
    """The union code of NAICS sectors and sector ranges ``parts`` (``["44-45", "41"]`` ->
    ``"41+44-45"``); None when they are no such union (a code of another level, ``411``; two
    overlapping, ``31-33`` and ``32``; one part alone)."""
    code = "+".join(sorted(dict.fromkeys(str(p).strip().replace("\u2013", "-") for p in parts)))
    return code if naics_union_parts(code) else None


def naics_level(code: str) -> int | None:
    if code == schema.ALL_INDUSTRIES:
        return 0
    if _NAICS_RANGE_RE.match(code) or naics_union_parts(code):
        return 2
    if _NAICS_RE.match(code) and code[:2] in _NAICS_LEVEL_SECTORS:
        return len(code)
    return None


def nace_level(code: str) -> int | None:
    if code == schema.ALL_INDUSTRIES:
        return 0
    if _NACE_SECTION_RE.match(code) or _NACE_AGG_RE.match(code) or _is_nace_letters(code):
        return 1
    m = re.match(r"^([A-U])(\d{2})(?:\.(\d)(\d)?)?$", code)
    if m and NACE_DIVISION_SECTION.get(m.group(2)) == m.group(1):
        return 2 + (m.group(3) is not None) + (m.group(4) is not None)
    # Eurostat's division ranges and unions (C10-C12, C31_C32, E37-E39; the OECD's C10T12):
    # level 2, as the Eurostat reader has them -- the same table as SDMX-CSV was refused
    m = _NACE_DIVISION_RANGE_RE.match(code)
    if m and NACE_DIVISION_SECTION.get(m.group(2)) == m.group(1) and len(nace_cover(code) or ()) > 1:
        return 2
    # national subclasses under a class: OKED/WZ 2008/ÖNACE C10.11.1 (5), OKVED2 C10.11.11 (6),
    # NAF rév. 2 C10.11Z (5)
    m = re.match(r"^([A-U])(\d{2})\.\d\d\.(\d{1,2})$", code)
    if m and NACE_DIVISION_SECTION.get(m.group(2)) == m.group(1):
        return 4 + len(m.group(3))
    m = re.match(r"^([A-U])(\d{2})\.\d\d[A-Z]$", code)
    if m and NACE_DIVISION_SECTION.get(m.group(2)) == m.group(1):
        return 5
    return None


def level(code: str | None, classification: str) -> int | None:
    """Depth of ``code`` (canonical form) in ``classification``; None when it is not a code of it.

    >>> level("5417", "NAICS"), level("31-33", "NAICS"), level("C10.1", "NACE"), level("10", "NACE")
    (4, 2, 3, 0)
    """
    if code is None:
        return None
    if classification == schema.NAICS:
        return naics_level(code)
    if classification == schema.NACE:
        return nace_level(code)
    if classification == schema.NACE_R11:
        return nace_r11_level(code)
    return 0 if code == schema.ALL_INDUSTRIES else None


def normalize(raw: str | None, classification: str) -> str | None:
    """Bring one raw code to its canonical form in ``classification`` (None stays None).

    Codes that do not parse are returned stripped but otherwise unchanged, so validation can
    report them as found.
    """
    if raw is None:
        return None
    code = raw.strip()
    if is_total(code):
        return schema.ALL_INDUSTRIES
    if classification == schema.NACE_R11:
        return normalize_r11(code)
    if classification == schema.NACE and GENESIS_GROUPING.match(code):
        # GENESIS's own groupings of WZ 2008 (WZ08-B-10, WZ08-47-02, WZ08-501-01): no
        # section, division or range; WZ08-10-12 was read as the range C10-C12, WZ08-01-03
        # as A01-A03.  Kept as written, so validation names the code the file has
        return code.upper()
    code = _PREFIX.sub("", code).strip() or code
    if is_total(code):
        return schema.ALL_INDUSTRIES
    if classification == schema.NAICS:
        if re.match(r"^\d+(\.0+)?$", code):  # 5417.0 from a spreadsheet
            code = code.split(".")[0]
        return code.replace("–", "-").replace(" ", "")
    if classification == schema.NACE:
        code = _latin_code(code.replace("–", "-")).replace(" ", "")
        upper = code.upper()
        if _NACE_SECTION_RE.match(upper):
            return upper
        if _NACE_AGG_RE.match(upper):
            return upper.replace("_", "-")
        if (oecd := _oecd_section_range(upper)) is not None:
            return oecd
        if _is_nace_letters(upper):
            return upper
        # Kazakh and Russian tables write the section before the division with a dot:
        # C.10, C.10.1, C.10.11 (it was no code, so each such row was an unknown industry)
        upper = re.sub(r"^([A-U])\.(?=\d{2}(?:\.|$))", r"\1", upper)
        m = re.match(r"^(\d{2})(\d)(\d)(\d)$", upper)
        if m and m.group(1) in NACE_DIVISION_SECTION:
            # a national subclass written without dots: OKED 10111 (stat.gov.kz's business
            # register, yearbooks) is 10.11.1
            upper = f"{m.group(1)}.{m.group(2)}{m.group(3)}.{m.group(4)}"
        m = _NATIONAL_SUBCLASS_RE.match(upper)
        if m and m.group(2) in NACE_DIVISION_SECTION and m.group(1) in (None, NACE_DIVISION_SECTION[m.group(2)]):
            # INSEE's NAF rév. 2 subclass (10.11Z, 4711D: the class and a letter) and Statistik
            # Austria's ÖNACE 2008 subclass (C10.11-0, 10.71-1: the class, a dash and a digit),
            # each a national subclass under a NACE class (level 5)
            head = NACE_DIVISION_SECTION[m.group(2)] + m.group(2) + "." + (m.group(3) or m.group(5))
            return head + (m.group(4) or "." + m.group(6))
        m = re.match(r"^([A-U])?(\d{2})-([A-U])?(\d{2})$", upper)
        if m and m.group(2) in NACE_DIVISION_SECTION and int(m.group(2)) < int(m.group(4)) \
                and NACE_DIVISION_SECTION[m.group(2)] == NACE_DIVISION_SECTION.get(m.group(4)) \
                and (m.group(1) is None or m.group(1) == NACE_DIVISION_SECTION[m.group(2)]) \
                and (m.group(3) is None or m.group(3) == NACE_DIVISION_SECTION[m.group(4)]):
            # a division range within a section written without section letters (Destatis,
            # Rosstat: 10-12, 45-47) as Eurostat writes it: C10-C12, G45-G47
            return (NACE_DIVISION_SECTION[m.group(2)] + m.group(2) + "-"
                    + NACE_DIVISION_SECTION[m.group(4)] + m.group(4))
        if m and m.group(1) is None and m.group(3) is None and m.group(2) in NACE_DIVISION_SECTION \
                and m.group(4) in NACE_DIVISION_SECTION and int(m.group(2)) < int(m.group(4)):
            # a division range across sections, as SSB groups SN2007 in its regional tables
            # (35-39 electricity, water and waste: D35-E39; 90-99: R90-U99), each division once
            return (NACE_DIVISION_SECTION[m.group(2)] + m.group(2) + "-"
                    + NACE_DIVISION_SECTION[m.group(4)] + m.group(4))
        m = re.match(r"^([A-U])?(\d{2})(?:\.?(\d))?(?:\.?(\d))?(?:\.(\d{1,2}))?$", upper)
        if m:
            sec, div, grp, cls, sub = m.groups()
            if div in NACE_DIVISION_SECTION and (sec is None or NACE_DIVISION_SECTION[div] == sec) \
                    and (sub is None or cls is not None):
                out = NACE_DIVISION_SECTION[div] + div
                if grp is not None:
                    out += "." + grp + (cls or "")
                if sub is not None:  # a national subclass (OKED 10.11.1, OKVED2 10.11.11)
                    out += "." + sub
                return out
        return code
    return code


def bare_dash_codes(raw_codes) -> set[str]:
    """The codes of a column to keep as written, not read as ÖNACE 2008's subclasses: the bare
    dash form (``01.11-3``, ``10.11-2``) where nothing in the column says ÖNACE, no dash code
    with its section letter (STATcube's ``C10.11-0``) and no class listed above its dash code
    (``10.11`` and ``10.11-0``).  That form is how IBGE writes Brazil's CNAE 2.0 classes, the
    class and its check digit: ``01.11-3`` was read as the national subclass A01.11.3 of NACE,
    silently, in a column of CNAE's sections and divisions (and refused as a CNAE class read
    as NACE's under a heading naming CNAE 2.0, where it had read as a custom industry).
    With ``--classification nace`` the dash form is ÖNACE's, as :func:`normalize` reads it."""
    seen = {str(c).strip().upper().replace(" ", "").replace("–", "-") for c in raw_codes if c is not None}
    bare = {c: m.group(1) for c in seen if (m := _BARE_DASH_RE.match(c))}
    if not bare:
        return set()
    if any(re.match(r"^[A-U]\d{2}\.\d\d-\d$", c) for c in seen):
        return set()
    classes = {normalize(c, schema.NACE) for c in seen if c not in bare}
    if any(normalize(cls, schema.NACE) in classes for cls in bare.values()):
        return set()
    return set(bare)


# the U.S. SIC's divisions as its tables write them (20-39 manufacturing, 52-59 retail trade,
# 70-89 services): ranges of two-digit numbers that NACE's groupings never are (Eurostat's
# A*38 and A*64, SSB's, Destatis' and Rosstat's are 10-12, 13-15, 35-39, 45-47 ...), so no
# vote for NACE: read as NACE, 20-39 was C20-E39 and 15-17 leather to paper, silently
_SIC_DIVISION_RANGES = {"01-09", "10-14", "15-17", "20-39", "40-49", "50-51", "52-59", "60-67",
                        "70-89", "91-97"}


def detect(raw_codes) -> str:
    """Guess the classification of a column of raw codes: ``NAICS``, ``NACE`` or ``custom``.

    Letters A–U, dotted codes (``10.1``) or section-prefixed divisions (``C10``) say NACE;
    3–6 digit codes or sector ranges (``31-33``) say NAICS; two digits alone say NACE only when
    some are divisions that cannot be NAICS sectors (``01``, ``10``, ``25`` ...).
    """
    votes = {"NAICS": 0, "NACE": 0, "other": 0, "two_digit": 0, "nace_only_2d": 0}
    seen = 0
    raw_codes = list(raw_codes)
    cnae_like = bare_dash_codes(_PREFIX.sub("", str(c).strip()).strip() for c in raw_codes if c is not None)
    for raw in raw_codes:
        if raw is None:
            continue
        code = _PREFIX.sub("", str(raw).strip()).strip()
        if not code or is_total(code):
            continue
        seen += 1
        upper = re.sub(r"^([A-U])\s+(?=\d{2})", r"\1", _latin_code(code).upper().replace("–", "-"))
        if (_NACE_SECTION_RE.match(upper) or _NACE_AGG_RE.match(upper) or _is_nace_letters(upper)
                or upper in AMBIGUOUS_SECTION_PAIRS  # (NACE's shape, refused by validate with a hint)
                or _oecd_section_range(upper)
                or re.match(r"^[A-U]\.?\d{2}", upper) or re.match(r"^\d{2}\.\d{1,2}(?:\.\d{1,2})?$", upper)):
            votes["NACE"] += 1
        elif (m := _NATIONAL_SUBCLASS_RE.match(upper)) and m.group(2) in NACE_DIVISION_SECTION \
                and upper not in cnae_like:
            # NAF rév. 2 10.11Z, 4711D; ÖNACE 2008 C10.11-0: no NAICS code has these (a bare
            # 01.11-3 where nothing says ÖNACE is no vote: CNAE 2.0's class and check digit)
            votes["NACE"] += 1
        elif re.match(r"^\d{5}$", upper) and upper[:2] not in NAICS_SECTORS and upper[:2] in NACE_DIVISION_SECTION:
            votes["NACE"] += 1  # OKED 01111, 10111, 47111: no NAICS code starts 01, 10, 47
        elif _NAICS_RANGE_RE.match(upper) or (re.match(r"^\d{3,6}$", upper) and upper[:2] in NAICS_SECTORS):
            votes["NAICS"] += 1
        elif (m := re.match(r"^(\d{2})-(\d{2})$", upper)) and m.group(1) in NACE_DIVISION_SECTION \
                and m.group(2) in NACE_DIVISION_SECTION and int(m.group(1)) < int(m.group(2)) \
                and upper not in _SIC_DIVISION_RANGES:
            votes["NACE"] += 1  # a range of NACE divisions (SSB's 10-33, 35-39; Destatis' 10-12)
        elif re.match(r"^\d{2}$", upper):
            votes["two_digit"] += 1
            if upper not in NAICS_SECTORS and upper in NACE_DIVISION_SECTION:
                votes["nace_only_2d"] += 1
        elif re.match(r"^\d{4}$", upper):
            votes["NACE"] += 0.5  # 1011 -> a NACE class written without dots (or QCEW 1011)
        else:
            votes["other"] += 1
    if seen == 0:
        return schema.CUSTOM
    if votes["other"] > 0.5 * seen:
        return schema.CUSTOM
    if votes["NACE"] > votes["NAICS"]:
        return schema.NACE
    if votes["NAICS"] > 0:
        return schema.NAICS
    if votes["two_digit"]:
        return schema.NACE if votes["nace_only_2d"] else schema.NAICS
    return schema.CUSTOM


# INSEE's aggregated classification (NA 2008, the French NACE Rev. 2): its levels A5, A10 and
# A21 are NACE sections and unions of them, written two letters each: a section with Z (AZ
# agriculture, FZ construction), BE industry (B to E: not B and E, as ONS's run BDE would
# read), GI, MN, OQ, RU; A5's GU is the market services, G to N and R to U.  A17 and A38 split
# sections into parts of other levels (A17's C1-C5 are groups of divisions, its DE is B, D and
# E; A38's CA-CM, JA-JC, MA-MC, QA-QB), so no one NACE level holds them.
INSEE_LEVEL1 = {**{f"{s}Z": s for s in "ABCDEFGHIJKLMNOPQRSTU"},
                "BE": "B-E", "GI": "G-I", "GU": "G-N+R-U", "MN": "M-N", "OQ": "O-Q", "RU": "R-U"}
_INSEE_SPLIT = {"C1", "C2", "C3", "C4", "C5", "DE", *(f"C{x}" for x in "ABCDEFGHIJKLM"),
                "JA", "JB", "JC", "MA", "MB", "MC", "QA", "QB"}
# the codes no other source writes (a run of sections, as ONS's BDE, is never unsorted nor
# ends in Z): one of them says a column is INSEE's
_INSEE_ONLY = {*(f"{s}Z" for s in "ABCDEFGHIJKLMNOPQRSTU"), "GI", "GU", "C1", "C2", "C3", "C4",
               "C5", *(f"C{x}" for x in "CDEFGHIJKLM"), "JA", "JB", "JC", "MA", "MB", "MC", "QA", "QB"}
INSEE_SPLIT_NOTE = ("INSEE's A17/A38 codes (C1-C5, DE, CA-CM ...) split NACE sections into parts "
                    "of other levels: read as custom industries, each row one, as published")


# ISTAT's ATECO 2007 lists NACE Rev. 2's A*38 intermediate aggregation between the sections
# and the divisions (I.Stat's and IstatData's ATECO hierarchy: C, CA, 10, 101 ...), two
# letters each: the section's letter and A, B, C ...  Each is a run of the section's
# divisions, written as Eurostat writes such runs.  Read by their letters, CA and CB were NACE
# Rev. 1.1's mining subsections, and reading the column as Rev. 1.1 made C mining.
ISTAT_A38 = {"CA": "C10-C12", "CB": "C13-C15", "CC": "C16-C18", "CD": "C19", "CE": "C20", "CF": "C21",
             "CG": "C22-C23", "CH": "C24-C25", "CI": "C26", "CJ": "C27", "CK": "C28", "CL": "C29-C30",
             "CM": "C31-C33", "JA": "J58-J60", "JB": "J61", "JC": "J62-J63", "MA": "M69-M71", "MB": "M72",
             "MC": "M73-M75", "QA": "Q86", "QB": "Q87-Q88"}


def insee_aggregation(raw_codes, insee_table: bool = False) -> tuple[str, dict[str, str]] | None:
    """How a column of INSEE's aggregated codes is read: ``("NACE", {code: NACE code})`` when
    every code is of a level NACE's sections hold (A5, A10, A21), ``("custom", {})`` when some
    are A17's or A38's parts of sections; None when the column is not INSEE's (no code only
    INSEE writes, or a code it does not).  ``insee_table``: the table's headings are INSEE's
    (GEO_OBJECT, CODGEO), so a code INSEE shares with others (BE) is INSEE's too."""
    found = set()
    for raw in raw_codes:
        if raw is None or not str(raw).strip() or is_total(str(raw)):
            continue
        found.add(str(raw).strip().upper())
    if not found or not (insee_table or found & _INSEE_ONLY) or not found <= set(INSEE_LEVEL1) | _INSEE_SPLIT:
        return None
    if found <= set(INSEE_LEVEL1):
        return schema.NACE, {c: INSEE_LEVEL1[c] for c in found}
    return schema.CUSTOM, {}


# NACE code length at each level: C, C10, C10.1, C10.11, national subclasses C10.11.1 (OKED,
# WZ 2008) and C10.11.11 (OKVED2)
_NACE_PREFIX = {1: 1, 2: 3, 3: 5, 4: 6, 5: 8}


def parent(code: str, classification: str, to_level: int) -> str | None:
    """The ancestor of ``code`` at ``to_level`` (0 = all industries); None if there is none.

    >>> parent("541711", "NAICS", 2), parent("336111", "NAICS", 2), parent("C10.11", "NACE", 1)
    ('54', '31-33', 'C')
    """
    own = level(code, classification)
    if own is None or to_level > own:
        return None
    if to_level == 0:
        return schema.ALL_INDUSTRIES
    if to_level == own:
        return code
    if classification == schema.NAICS:
        prefix = code[:to_level]
        return NAICS_RANGES.get(prefix, prefix) if to_level == 2 else prefix
    if classification == schema.NACE:
        if own == 1:
            return None
        return code[: _NACE_PREFIX[to_level]]
    if classification == schema.NACE_R11:
        return _r11_ancestor(code, to_level)
    return None


def nace_sections(code: str) -> frozenset[str] | None:
    """The NACE sections a level-1 code stands for: ``C`` -> {C}, ``B-E`` -> {B, C, D, E},
    ``M_N`` / ``B+D+E`` / ``BDE`` -> their letters; None for anything else.

    >>> sorted(nace_sections("B-E")), sorted(nace_sections("M_N")), nace_sections("C10")
    (['B', 'C', 'D', 'E'], ['M', 'N'], None)
    >>> sorted(nace_sections("BDE")), nace_sections("TOTAL")
    (['B', 'D', 'E'], None)
    """
    if not isinstance(code, str) or not code or code in AMBIGUOUS_SECTION_PAIRS:
        return None
    letters: set[str] = set()
    for part in re.split(r"[+_]", code):
        if re.fullmatch(r"[A-U]-[A-U]", part) and part[0] <= part[2]:
            letters.update(chr(c) for c in range(ord(part[0]), ord(part[2]) + 1))
        elif re.fullmatch(r"[A-U]{1,6}", part) and list(part) == sorted(set(part)):
            # sections run together in order (ONS's BDE), each once: not a word ("TOTAL")
            letters.update(part)
        else:
            return None
    return frozenset(letters)


_DIVISION_PART = re.compile(r"([A-U])?(\d{2})(?:(?:-|T)([A-U])?(\d{2}))?")


def nace_cover(code: str) -> frozenset[tuple[str, str]] | None:
    """What a NACE section or division code stands for, as a set that can be compared with
    other codes' sets: sections (``C`` -> {(S, C)}, ``B-E``, ``M_N`` as in
    :func:`nace_sections`) or divisions (``C10`` -> {(D, 10)}; Eurostat's and the OECD's
    division ranges and unions ``C10-C12``, ``C10T12``, ``C31_C32``, ``E37-E39`` -> their
    divisions).  None for anything else (NAICS codes, finer NACE codes).

    >>> sorted(nace_cover("C10-C12")), nace_cover("C") == frozenset({("S", "C")})
    ([('D', '10'), ('D', '11'), ('D', '12')], True)
    """
    sections = nace_sections(code)
    if sections:
        return frozenset(("S", s) for s in sections)
    if not isinstance(code, str) or not code:
        return None
    divisions: set[tuple[str, str]] = set()
    for part in code.split("_"):
        m = _DIVISION_PART.fullmatch(part)
        if not m or m.group(1) is None:  # bare digits: NAICS's 31-33, not a NACE division
            return None
        first, last = int(m.group(2)), int(m.group(4) or m.group(2))
        if last < first:
            return None
        divisions.update(("D", f"{d:02d}") for d in range(first, last + 1))
    return frozenset(divisions)


def naics_cover(code: str) -> frozenset[tuple[str, str]] | None:
    """What a NAICS sector range or one of its parts stands for, comparable as
    :func:`nace_cover`'s sets are: ``31-33`` -> {(N, 31), (N, 32), (N, 33)}, ``32`` ->
    {(N, 32)}; None for every other code (the other sectors overlap nothing at level 2).

    >>> sorted(naics_cover("44-45")), naics_cover("33"), naics_cover("54")
    ([('N', '44'), ('N', '45')], frozenset({('N', '33')}), None)
    """
    if code in NAICS_RANGE_PARTS:
        return frozenset(("N", p) for p in NAICS_RANGE_PARTS[code])
    if code in NAICS_RANGES:
        return frozenset({("N", code)})
    if (parts := naics_union_parts(code)) is not None:  # StatCan's [41, 44-45]: 41 + 44 + 45
        return frozenset(("N", q) for p in parts for q in NAICS_RANGE_PARTS.get(p, (p,)))
    return None


def covers(codes) -> dict[str, frozenset]:
    """``{code: cover}`` of the codes :func:`cover` knows; where a NAICS union is among them
    (``41+44-45``), the plain sectors too (``41`` -> {(N, 41)}), which it may hold."""
    found = {c: v for c in dict.fromkeys(codes) if (v := cover(c))}
    if any(naics_union_parts(c) for c in found):
        found.update({c: frozenset({("N", c)}) for c in dict.fromkeys(codes)
                      if c not in found and c in _NAICS_LEVEL_SECTORS})
    return found


def cover(code: str) -> frozenset[tuple[str, str]] | None:
    """The activity a code of a level stands for, as a set, where codes of that level can
    overlap: NACE sections, section aggregates, divisions and division ranges
    (:func:`nace_cover`) and NAICS's sector ranges and their parts (:func:`naics_cover`).  The
    one rule of which codes cover the same activity: two codes overlap where their sets meet
    (the NACE and NAICS sets never do).  None for every other code."""
    return nace_cover(code) or naics_cover(code)


_FINER_NACE = re.compile(r"^([A-U])(\d{2})")
_RANGE_MARKS = re.compile(r"[-_+]")


def is_range(code: str) -> bool:
    """Whether ``code`` is written as a range or union of codes (``B-E``, ``M_N``, ``B+D+E``,
    ``31-33``, ``C10-C12``): its parts are not its prefixes."""
    return isinstance(code, str) and bool(_RANGE_MARKS.search(code))


def range_holds(agg: str, code: str) -> bool | None:
    """Whether the range ``agg`` (:func:`is_range`) holds ``code``: one of its parts or a
    finer code under one (``B-E`` holds ``C`` and ``C10.1``, ``31-33`` holds ``31`` and
    ``3111``, ``C10-C12`` holds ``C11.0``); None when ``agg`` is no range :func:`cover` knows
    (its parts cannot be told).

    >>> range_holds("B-E", "C10"), range_holds("31-33", "336"), range_holds("44-45", "311")
    (True, True, False)
    >>> range_holds("C10-C12", "C11.0"), range_holds("B-E", "B-E"), range_holds("X-Y", "C")
    (True, False, None)
    """
    whole = cover(agg)
    if not whole:
        return None
    if code == agg:
        return False
    own = cover(code)
    if own and own < whole:
        return True
    sections = {x for k, x in whole if k == "S"}
    divisions = {x for k, x in whole if k == "D"}
    sectors = {x for k, x in whole if k == "N"}
    m = _FINER_NACE.match(code)
    if m:  # a NACE division or finer code (a division range: its first division's section)
        return m.group(1) in sections or (m.group(2) in divisions and own is None)
    if code.isdigit() and len(code) >= 2:  # a NAICS sector (41 in 41+44-45), subsector or finer
        return code[:2] in sectors
    return False


def code_parts(codes) -> dict[str, list[str]]:
    """``{aggregate: its parts among codes}`` (sorted) by :func:`cover`: as
    :func:`nace_parts`, NAICS's ranges too.

    >>> code_parts(["31-33", "31", "33", "54", "44-45"])
    {'31-33': ['31', '33']}
    """
    found = covers(codes)
    out = {agg: sorted(c for c, v in found.items() if v < whole) for agg, whole in found.items()}
    return {agg: parts for agg, parts in sorted(out.items()) if parts}


def nace_parts(codes) -> dict[str, list[str]]:
    """``{aggregate: its parts among codes}`` (sorted): the NACE codes whose cover
    (:func:`nace_cover`) lies strictly inside another's (K, L, M_N inside K-N; C10 inside
    C10-C12); codes with no part among ``codes`` are left out.

    >>> nace_parts(["K-N", "K", "L", "M_N", "C", "C10"])
    {'K-N': ['K', 'L', 'M_N']}
    """
    covers = {c: v for c in dict.fromkeys(codes) if (v := nace_cover(c))}
    out = {agg: sorted(c for c, v in covers.items() if v < whole) for agg, whole in covers.items()}
    return {agg: parts for agg, parts in sorted(out.items()) if parts}


def overlapping_aggregates(codes, unpublished=()) -> dict[str, str]:
    """NACE codes, and NAICS sector ranges or their parts, to leave out of a sum so that the
    rest do not overlap.

    Eurostat's regional tables publish aggregates beside their parts: sections
    (nama_10r_3empers: ``B-E`` and ``C``, ``G-J`` and ``G-I`` + ``J``, ``K-N`` and ``K``, ``L``,
    ``M_N`` ...) and divisions (sbs_r_nuts06_r2: ``C10-C12`` beside ``C10``, ``C11``, ``C12``);
    summing every row of a level counts that activity twice.  An aggregate whose parts are all
    present is left out (its parts are finer); one whose parts are not all present is kept and
    its partial parts are left out (``B-E`` stays, ``C`` goes), so the kept codes cover as much
    as the table does, once.  Sections are compared with sections and divisions with divisions
    (:func:`nace_cover`), so codes of every level can be given at once.  Returns
    ``{code: reason}``; empty for codes that do not overlap (REAT's ``A``, ``B-E``, ``F``,
    ``G-I`` ... partition is kept whole).

    NAICS's sector ranges are aggregates of this kind (:func:`cover`): ``31-33`` beside
    ``31``, ``32``, ``33`` (a generic or BEA table; QCEW publishes only the range) is left out
    for its parts, and beside some of them only, the parts go.

    ``unpublished``: codes whose cell has no published value (suppressed) where the caller
    decides per cell.  The parts are preferred only when each is published: an aggregate that
    is published over a part that is not is kept and its parts go (``31-33`` reported, ``32``
    withheld: a sum of the parts would miss ``32``'s activity).

    >>> overlapping_aggregates(["A", "B-E", "C", "G-I", "J", "G-J"])
    {'C': 'part of B-E', 'G-J': 'G-I + J'}
    >>> overlapping_aggregates(["C", "C10-C12", "C10", "C11", "C12", "C13-C15", "C13"])
    {'C10-C12': 'C10 + C11 + C12', 'C13': 'part of C13-C15'}
    >>> overlapping_aggregates(["10", "31-33", "31", "32", "33", "44-45", "44", "54"])
    {'44': 'part of 44-45', '31-33': '31 + 32 + 33'}
    >>> overlapping_aggregates(["31-33", "31", "32", "33"], unpublished=["32"])
    {'31': 'part of 31-33 (32 not published)', '32': 'part of 31-33 (32 not published)', '33': 'part of 31-33 (32 not published)'}
    """
    sets = covers(codes)
    hidden = frozenset(unpublished)
    dropped: dict[str, str] = {}
    for agg in sorted((c for c in sets if len(sets[c]) > 1), key=lambda c: (len(sets[c]), c)):
        if agg in dropped:
            continue
        members = sorted(c for c in sets if c != agg and c not in dropped and sets[c] < sets[agg])
        if not members:
            continue
        covered = frozenset().union(*(sets[m] for m in members))
        withheld = sorted(m for m in members if m in hidden) if agg not in hidden else []
        if covered == sets[agg] and not withheld:
            dropped[agg] = " + ".join(members)
        elif covered == sets[agg]:
            for m in members:
                dropped[m] = f"part of {agg} ({', '.join(withheld)} not published)"
        else:
            for m in members:
                dropped[m] = f"part of {agg}"
    return dropped


# --------------------------------------------------------------------------- polars side


def parent_links(code: str, classification: str, present=None):
    """``(child, direct parent)`` pairs from ``code`` up its hierarchy to the all-industries code
    (NAICS sectors and NACE sections hang from it directly); nothing for an unknown code.

    ``present``: the codes a table holds.  Where it holds a NAICS sector range beside one of
    its parts (``31-33`` and ``31``, :func:`cover`), the part hangs from the range and the
    range's 3-digit codes from their part: ``311`` -> ``31`` -> ``31-33`` -> all industries
    (a part larger than its range is an error, parts adding up above it a warning).  Without
    both, the chain is the classification's own (``311`` -> ``31-33``, ``31`` -> all
    industries)."""
    if present is not None and classification == schema.NAICS and code not in NAICS_RANGE_PARTS:
        part = code[:2]
        whole = NAICS_RANGES.get(part)
        if whole in present and part in present and level(code, classification) is not None:
            if code != part:
                yield from ((c, p) for c, p in parent_links(code, classification)
                            if level(c, classification) > 3)
                yield _chain_end(code, part, classification)
            yield part, whole
            yield whole, schema.ALL_INDUSTRIES
            return
    lev = level(code, classification)
    if classification == schema.NACE_R11:  # a division of A, B, E ... hangs from its section
        while lev and not _R11_AGG_RE.match(code):
            par = nace_r11_parent(code)
            if par is None:
                return
            yield code, par
            code, lev = par, nace_r11_level(par)
        return
    while lev:
        to = 0 if lev == 1 or (classification == schema.NAICS and lev == 2) else lev - 1
        par = parent(code, classification, to) if level(code, classification) is not None else None
        if par is None:
            return
        yield code, par
        code, lev = par, to


def _chain_end(code: str, part: str, classification: str) -> tuple[str, str]:
    """The last link below level 2 of ``code``'s chain, ending at the range's ``part``
    (``311`` -> ``31``; ``3111`` climbs to ``311`` first)."""
    below = parent(code, classification, 3) if level(code, classification) > 3 else code
    return below, part


def level_expr(code_col: str = schema.INDUSTRY, class_col: str = schema.CLASSIFICATION):
    """Polars Int8 expression: the level of every row's code (null where not a code)."""
    import polars as pl

    code = pl.col(code_col)
    cls = pl.col(class_col)
    naics_sector = code.str.slice(0, 2).is_in(sorted(_NAICS_LEVEL_SECTORS))
    div_ok = pl.concat_str([code.str.slice(1, 2), code.str.slice(0, 1)]).is_in(
        [d + s for d, s in NACE_DIVISION_SECTION.items()])
    nace = (
        pl.when(code == schema.ALL_INDUSTRIES).then(0)
        .when(code.str.contains(r"^[A-U]$") | code.str.contains(_NACE_AGG_RE.pattern)).then(1)
        .when(code.str.contains(_NACE_LETTERS_RE.pattern) & code.str.contains(_NACE_RUN_RE.pattern)
              & ~code.is_in(sorted(AMBIGUOUS_SECTION_PAIRS))).then(1)
        .when(code.str.contains(r"^[A-U]\d{2}$") & div_ok).then(2)
        .when(code.str.contains(_NACE_DIVISION_RANGE_RE.pattern) & div_ok
              & (code.str.slice(1, 2) < code.str.slice(-2))).then(2)
        .when(code.str.contains(r"^[A-U]\d{2}\.\d$") & div_ok).then(3)
        .when(code.str.contains(r"^[A-U]\d{2}\.\d\d$") & div_ok).then(4)
        .when(code.str.contains(r"^[A-U]\d{2}\.\d\d(?:\.\d|[A-Z])$") & div_ok).then(5)
        .when(code.str.contains(r"^[A-U]\d{2}\.\d\d\.\d\d$") & div_ok).then(6)
        .otherwise(None)
    )
    naics = (
        pl.when(code == schema.ALL_INDUSTRIES).then(0)
        .when(code.is_in(["31-33", "44-45", "48-49"])).then(2)
        .when(code.str.contains(_NAICS_UNION_LEVEL)).then(2)  # StatCan's [41, 44-45]: 41+44-45
        .when(code.str.contains(r"^\d{2,6}$") & naics_sector).then(code.str.len_chars())
        .otherwise(None)
    )
    r11_divs = sorted(NACE_R11_DIVISIONS)
    r11 = (
        pl.when(code == schema.ALL_INDUSTRIES).then(0)
        .when(code.is_in(sorted(NACE_R11_SECTIONS)) | code.str.contains(_R11_AGG_RE.pattern)).then(1)
        .when(code.is_in(sorted(NACE_R11_SUBSECTIONS))).then(2)
        .when(code.is_in(sorted(c for c in NACE_R11_PARENT if c[-1].isdigit()))).then(3)
        .when(code.str.contains(r"^\d{2}\.\d$") & code.str.slice(0, 2).is_in(r11_divs)).then(4)
        .when(code.str.contains(r"^\d{2}\.\d\d$") & code.str.slice(0, 2).is_in(r11_divs)).then(5)
        .when(code.str.contains(r"^\d{2}\.\d\d\.\d{1,2}$") & code.str.slice(0, 2).is_in(r11_divs)).then(6)
        .otherwise(None)
    )
    return (
        pl.when(cls == schema.NAICS).then(naics)
        .when(cls == schema.NACE).then(nace)
        .when(cls == schema.NACE_R11).then(r11)
        .when(code == schema.ALL_INDUSTRIES).then(0)
        .otherwise(None)
        .cast(pl.Int8)
    )


def parent_expr(to_level: int, code_col: str = schema.INDUSTRY,
                class_col: str = schema.CLASSIFICATION):
    """Polars String expression: every row's ancestor at ``to_level`` (rows must be deeper)."""
    import polars as pl

    code = pl.col(code_col)
    if to_level == 0:
        return pl.lit(schema.ALL_INDUSTRIES, pl.String)
    naics = code.str.slice(0, to_level)
    if to_level == 2:
        naics = naics.replace(NAICS_RANGES)
    nace = code.str.slice(0, _NACE_PREFIX.get(to_level, 99))
    return (
        pl.when(pl.col(class_col) == schema.NAICS).then(naics)
        .when(pl.col(class_col) == schema.NACE).then(nace)
        .when(pl.col(class_col) == schema.NACE_R11).then(_r11_parent_expr(code, to_level))
        .otherwise(None)
    )


def _r11_parent_expr(code, to_level: int):
    """NACE-R1.1 ancestors at ``to_level`` (``to_level`` >= 1) of codes deeper than it: classes
    and groups by their digits, divisions and subsections by the table of the classification
    (null where the chain skips the level: a division of A has no subsection)."""
    import polars as pl

    if to_level >= 4:
        return code.str.slice(0, to_level)
    division = (pl.when(code.str.contains(r"^\d{2}\.")).then(
        code.str.slice(0, 2).replace({schema.ALL_INDUSTRIES: "CA10"})).otherwise(code))
    if to_level >= 3:
        return division if to_level == 3 else pl.lit(None, pl.String)
    table = {c: a for c in NACE_R11_PARENT if (a := _r11_ancestor(c, to_level)) is not None}
    return division.replace_strict(table, default=None, return_dtype=pl.String)


PART_ROWS = 400_000  # rows per part of the parent check (memory bound on big tables)
_AGGREGATE_RE = r"^[A-U](?:[-+][A-U])+$|^[A-U]{2,6}$"


def sum_aggregate(code: str, classes) -> bool:
    """True for a code left out of its parent's sum of children (an aggregate that overlaps
    others: NACE's ``B-E``, ``BDE``; NACE-R1.1's ``C-E``; a NAICS union, ``41+44-45``).  NACE-R1.1's subsections (``DA``,
    ``DE``) are parts of their section, not aggregates, when the table holds no NACE Rev. 2
    codes beside them (``classes``: the classifications present)."""
    if schema.NACE_R11 in classes and schema.NACE not in classes and code in NACE_R11_SUBSECTIONS:
        return False
    # (and a union of NAICS sectors, StatCan's [41, 44-45]: 41+44-45, beside its parts)
    return bool(re.match(_AGGREGATE_RE, code)) or (schema.NAICS in classes and naics_union_parts(code) is not None)


def _aggregate_expr():
    """True for NACE section aggregates (B-E, BDE) and NAICS unions (41+44-45): they overlap
    sections or sectors, never summed."""
    import polars as pl

    return (((pl.col(schema.CLASSIFICATION) == schema.NACE) & pl.col(schema.INDUSTRY).str.contains(_AGGREGATE_RE))
            | ((pl.col(schema.CLASSIFICATION) == schema.NAICS)
               & pl.col(schema.INDUSTRY).str.contains(_NAICS_UNION_LEVEL))
            | ((pl.col(schema.CLASSIFICATION) == schema.NACE_R11)
               & pl.col(schema.INDUSTRY).str.contains(_R11_AGG_RE.pattern)))


def _measures(names) -> list[str]:
    return schema.measures_in(names)


def _agg_measure(m: str) -> list:
    """Aggregations that sum one measure with status propagation (see :func:`rollup`)."""
    import polars as pl

    st, lo, hi = schema.status_col(m), schema.lower_col(m), schema.upper_col(m)
    value = pl.col(m)
    # a source's own estimate (Eurostat's e: estimated, a value, no bounds) is published: it
    # counts at its value in the parent's bounds, as a reported child does (its missing bounds
    # were skipped in the sum: C = 10.5 e + 30 had bounds 30-30)
    published = schema.published(m, [m, st, lo, hi])
    missing = value.is_null()
    n_missing = missing.sum()
    n_open = (~published).sum()  # withheld, or estimated by clusterid (with bounds)
    n_no_upper = (~published & pl.col(hi).is_null()).sum()
    n_estimated = (pl.col(st) == schema.ESTIMATED).sum()
    total = value.sum()
    lower = (pl.when(published).then(value).otherwise(pl.col(lo).fill_null(0.0))).sum()
    upper = (pl.when(published).then(value).otherwise(pl.col(hi))).sum()
    return [
        pl.when(n_missing > 0).then(None).otherwise(total).alias(m),
        pl.when(n_missing > 0).then(pl.lit(schema.SUPPRESSED))
        .when(n_estimated > 0).then(pl.lit(schema.ESTIMATED))
        .otherwise(pl.lit(schema.REPORTED)).alias(st),
        pl.when(n_open > 0).then(lower).otherwise(None).alias(lo),
        pl.when((n_open > 0) & (n_no_upper == 0)).then(upper).otherwise(None).alias(hi),
        pl.lit(None, pl.String).alias(schema.flag_col(m)),
    ]


def rollup(lf, to_level: int):
    """Roll industry codes up to ``to_level``: returns ``(LazyFrame, notes)``.

    A parent row the source publishes is kept as published; a missing parent is built by
    summing its children, level by level from the finest, so a subtotal is never added to its
    own children.  Status propagates: a parent with a suppressed child is ``suppressed`` with
    bounds ``lower = Σ reported + Σ child lower (0 when unknown)`` and ``upper = Σ reported +
    Σ child upper`` (null if any child has no upper bound); with estimated children it is
    ``estimated`` with summed bounds; only a sum of reported values is ``reported``.

    Rows finer than ``to_level`` are dropped from the result (they were rolled up); coarser
    rows (totals, sections) and rows whose code has no level are kept unchanged.
    """
    import polars as pl

    names = lf.collect_schema().names()
    measures = _measures(names)
    df = lf.collect() if hasattr(lf, "collect") else lf
    # a table without bound columns (QCEW: none published) gets them while parents are built,
    # for the bounds of a parent over suppressed children; kept only where some bound is known
    # (a QCEW by-industry slice, 336411 without its 3364, stopped with "internal error: unable
    # to find column 'employment_lower'")
    added = [c for m in measures for c in (schema.lower_col(m), schema.upper_col(m))
             if c not in names]
    if added:
        df = df.with_columns(pl.lit(None, pl.Float64).alias(c) for c in added)
        names = df.columns
    group_keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.CLASSIFICATION]
    max_level = df.get_column(schema.LEVEL).max()
    notes: list[str] = []
    built = 0
    if max_level is None or max_level <= to_level:
        return df.drop(added).lazy(), notes
    current = df
    for lev in range(int(max_level), to_level, -1):
        children = current.filter((pl.col(schema.LEVEL) == lev) & ~_aggregate_expr())
        if children.height == 0:
            continue
        parent_level = lev - 1
        # NAICS has no level 1: its 2-digit sectors sit directly under the total.
        r11_skip = sorted(c for c, p in NACE_R11_PARENT.items() if p in NACE_R11_SECTIONS and c[-1].isdigit())
        children = children.with_columns(
            pl.when(pl.col(schema.CLASSIFICATION) == schema.NAICS)
            .then(pl.lit(max(parent_level, 2) if lev > 2 else 0))
            # NACE-R1.1: a division of a section without subsections (01 of A) hangs from it
            .when((pl.col(schema.CLASSIFICATION) == schema.NACE_R11) & (lev == 3)
                  & pl.col(schema.INDUSTRY).is_in(r11_skip)).then(pl.lit(1))
            .otherwise(pl.lit(parent_level)).cast(pl.Int8).alias("_plevel"))
        parts = []
        for plev in children.get_column("_plevel").unique().to_list():
            sub = children.filter(pl.col("_plevel") == plev)
            if plev < to_level:
                # only NACE-R1.1's divisions of A, B, E ... at --level 2: into their section
                sub = sub.filter(pl.col(schema.CLASSIFICATION) == schema.NACE_R11)
                if sub.height == 0:
                    continue
            parts.append(sub.with_columns(parent_expr(plev).alias("_parent")))
        if not parts:
            continue
        kids = pl.concat(parts)
        existing = current.select([*group_keys, pl.col(schema.INDUSTRY).alias("_parent")]).unique()
        todo = kids.join(existing, on=[*group_keys, "_parent"], how="anti")
        if todo.height == 0:
            continue
        aggs = [pl.col("_plevel").first().alias(schema.LEVEL)]
        for m in measures:
            aggs.extend(_agg_measure(m))
        for label in (schema.REGION_NAME, schema.REGION_LEVEL):
            if label in names:
                aggs.append(pl.col(label).first())
        new = todo.group_by([*group_keys, "_parent"]).agg(aggs).rename({"_parent": schema.INDUSTRY})
        built += new.height
        new = new.with_columns(pl.lit(None, pl.String).alias(schema.INDUSTRY_NAME)) \
            if schema.INDUSTRY_NAME in names else new
        for c in names:
            if c not in new.columns:
                new = new.with_columns(pl.lit(None).cast(current.schema[c]).alias(c))
        current = pl.concat([current, new.select(names).cast(current.schema)], how="vertical")
    finer = current.filter(pl.col(schema.LEVEL) > to_level).height
    out = current.filter(pl.col(schema.LEVEL).is_null() | (pl.col(schema.LEVEL) <= to_level))
    out = out.drop([c for c in added if out.get_column(c).null_count() == out.height])
    notes.append(f"--level {to_level}: built {built} parent rows from their children, "
                 f"{finer} finer rows rolled up")
    return out.lazy(), notes


def direct_parent_expr(code_col: str = schema.INDUSTRY, level_col: str = schema.LEVEL,
                       class_col: str = schema.CLASSIFICATION):
    """Polars String expression: each row's parent one level up (null for totals and unknowns).

    NAICS: ``5417`` -> ``541``, ``311`` -> ``31-33``, sectors -> all industries; NACE:
    ``C10.11`` -> ``C10.1`` -> ``C10`` -> ``C`` -> all industries (aggregates like ``B-E`` too).
    """
    import polars as pl

    code, lev = pl.col(code_col), pl.col(level_col)
    naics = (
        pl.when(lev <= 2).then(pl.lit(schema.ALL_INDUSTRIES))
        .when(lev == 3).then(code.str.slice(0, 2).replace(NAICS_RANGES))
        .otherwise(code.str.slice(0, (lev - 1).cast(pl.UInt32)))
    )
    nace = (
        pl.when(lev == 1).then(pl.lit(schema.ALL_INDUSTRIES))
        .when(lev == 2).then(code.str.slice(0, 1))
        .when(lev == 3).then(code.str.slice(0, 3))
        .when(lev == 4).then(code.str.slice(0, 5))
        .when(lev == 5).then(code.str.slice(0, 6))
        .when(lev == 6).then(code.str.slice(0, 8))
    )
    r11_table = {c: p for c in NACE_R11_PARENT if (p := nace_r11_parent(c)) is not None}
    r11 = (
        pl.when(lev == 6).then(code.str.slice(0, 5))
        .when(lev == 5).then(code.str.slice(0, 4))
        .when(lev == 4).then(code.str.slice(0, 2).replace({schema.ALL_INDUSTRIES: "CA10"}))
        .when(code.str.contains(_R11_AGG_RE.pattern)).then(None)
        .otherwise(code.replace_strict(r11_table, default=None, return_dtype=pl.String))
    )
    return (
        pl.when(lev.is_null() | (lev == 0)).then(None)
        .when(pl.col(class_col) == schema.NAICS).then(naics)
        .when(pl.col(class_col) == schema.NACE).then(nace)
        .when(pl.col(class_col) == schema.NACE_R11).then(r11)
        .otherwise(None)
    )


def children_exceeding_parent(df, measures=None, tolerance: float = 0.5, group_ids=None,
                              sums: list | None = None):
    """Rows whose reported value exceeds their parent's reported value.

    The parent is the nearest ancestor that has a row (``5417`` is compared with ``541``, or
    with ``54`` when ``541`` is absent); where every level is published the check is
    transitive.  A suppressed parent is not compared (nor skipped over).  Integer code ids and
    one UInt64 join key per level climbed, in parts of :data:`PART_ROWS` rows.  Returns a polars DataFrame (child row
    columns plus ``_parent``, ``_parent_value``, ``_measure``) or None.  ``tolerance`` absorbs
    rounding in published tables.  ``group_ids``: an optional integer Series, equal for rows of
    the same period, region, ownership and classification (saves hashing the strings).

    ``sums``: when a list is given, parents whose published value is smaller than the sum of
    their reported direct children (section aggregates such as ``B-E`` left out, tolerance
    0.5 per child or 0.1 %) are appended to it as dicts ``{measure, row, parent,
    children_sum, parent_value, children}`` (``row`` is the index of one child row).
    """
    import polars as pl

    measures = measures or _measures(df.columns)
    keys = [schema.PERIOD, schema.REGION, schema.OWNERSHIP, schema.CLASSIFICATION]
    # The hierarchy is worked out once per distinct code (a few thousand), in Python; the
    # millions of rows only carry small integer code ids.
    # distinct (code, classification) pairs without hashing millions of strings twice
    code_values = df.get_column(schema.INDUSTRY).drop_nulls().unique().sort()
    classes = df.get_column(schema.CLASSIFICATION).drop_nulls().unique().sort().to_list()
    if len(classes) == 1:
        pairs = [(c, classes[0]) for c in code_values.to_list()]
    else:
        pair_ids = df.select(
            pl.col(schema.INDUSTRY).replace_strict(code_values, pl.Series(range(len(code_values)), dtype=pl.UInt32),
                                                   default=None, return_dtype=pl.UInt32).alias("c"),
            pl.col(schema.CLASSIFICATION).replace_strict(classes, list(range(len(classes))), default=None,
                                                         return_dtype=pl.UInt8).alias("k"),
        ).drop_nulls().unique()
        names_ = code_values.to_list()
        pairs = [(names_[c], classes[k]) for c, k in pair_ids.iter_rows()]
    distinct = [(c, level(c, k), k) for c, k in pairs]
    vocab: dict[str, int] = {}
    up: dict[int, int] = {}  # code id -> id of its direct parent

    def cid(code: str) -> int:
        return vocab.setdefault(code, len(vocab))

    # the table's codes: a NAICS part (31) hangs from its range (31-33) where both are listed
    present = frozenset(c for c, _k in pairs)
    for code, lev, cls in distinct:
        if code is None or lev is None:
            continue
        cid(code)
        for child, par in parent_links(code, cls, present):
            up[cid(child)] = cid(par)
    # a union of NAICS sectors (41+44-45) is the parent of its listed parts, and is summed
    # into all industries in their place (no longer an overlapping aggregate there)
    unions = (naics_union_links(frozenset(c for c, k in pairs if k == schema.NAICS))
              if schema.NAICS in classes else {})
    for part, union in unions.items():
        up[cid(part)] = cid(union)
    if not up:
        return None
    ids = pl.Series("k", list(vocab), dtype=pl.String)
    id_values = pl.Series("v", list(vocab.values()), dtype=pl.UInt32)
    rep = {m: pl.when(pl.col(schema.status_col(m)) == schema.REPORTED).then(pl.col(m)) for m in measures}
    group = (pl.lit(group_ids) if group_ids is not None
             else pl.struct(keys).hash(seed=0).rank("dense")).cast(pl.UInt64)
    parents_ = set(unions.values())
    aggregate_ids = pl.Series("a", [i for c, i in vocab.items()
                                    if sum_aggregate(c, classes) and c not in parents_],
                              dtype=pl.UInt32)

    # code id -> its parent's id (null: none) as a lookup table indexed by code id: a gather,
    # not a hash lookup per row
    parent_of = pl.Series("up", [up.get(i) for i in range(len(vocab))], dtype=pl.UInt32)

    def climb(col):
        return pl.lit(parent_of).gather(col)

    # one UInt64 join key (group << 24 | code id): single-column joins need no row encoding;
    # groups are independent, so big tables are checked in parts to bound memory
    shift = pl.lit(1 << 24, dtype=pl.UInt64)
    n_parts = max(1, df.height // PART_ROWS)
    found: dict[str, list] = {m: [] for m in measures}
    # one narrow numeric frame (row, group, code id, level, reported values), built in one
    # pass: the parts below filter only these few numeric columns, never the strings
    narrow = df.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_i"),
        group.alias("_g"),
        pl.col(schema.INDUSTRY).replace_strict(ids, id_values, default=None, return_dtype=pl.UInt32).alias("_c"),
        pl.col(schema.LEVEL),
        *[rep[m].alias("_v_" + m) for m in measures],
    ).filter(pl.col("_c").is_not_null() & pl.col(schema.LEVEL).is_not_null())
    for part in range(n_parts):
        base = narrow.filter((pl.col("_g") % n_parts) == part) if n_parts > 1 else narrow
        kids = base.filter(pl.col(schema.LEVEL) > 0).select(
            "_i", "_g", "_c", climb(pl.col("_c")).alias("_p"), *["_v_" + m for m in measures]
        ).filter(pl.col("_p").is_not_null())
        parents = base.select((pl.col("_g") * shift + pl.col("_c").cast(pl.UInt64)).alias("_key"),
                              *[pl.col("_v_" + m).alias("_pv_" + m) for m in measures],
                              pl.lit(True).alias("_has"))
        del base
        # the nearest published ancestor: climb one level for children whose parent is absent
        for step in range(8):
            kids = kids.with_columns((pl.col("_g") * shift + pl.col("_p").cast(pl.UInt64)).alias("_key"))
            # one left join (not an inner join and then an anti join): rows without a parent
            # row have a null marker and climb one more level
            joined = kids.join(parents, on="_key", how="left")
            hit = joined.filter(pl.col("_has"))
            for m in measures:
                found[m].append(hit.filter(pl.col("_v_" + m) > pl.col("_pv_" + m) + tolerance)
                                .select("_i", "_p", pl.col("_pv_" + m).alias("_pv")))
            if sums is not None and step == 0:
                # one group-by for every measure: sum and count of the direct children
                total = hit.filter(~pl.col("_c").is_in(aggregate_ids.implode())).group_by("_key").agg(
                    pl.col("_i").min(), pl.col("_p").first(),
                    *[pl.col("_v_" + m).sum().alias("_s_" + m) for m in measures],
                    *[pl.col("_v_" + m).count().alias("_n_" + m) for m in measures],
                    *[pl.col("_pv_" + m).first().alias("_pv_" + m) for m in measures])
                for m in measures:
                    over = total.filter(pl.col("_s_" + m) > pl.col("_pv_" + m) + pl.max_horizontal(
                        0.5 * pl.col("_n_" + m), 0.001 * pl.col("_pv_" + m))).sort("_i")
                    for i, p, ssum, n, pv in over.select("_i", "_p", "_s_" + m, "_n_" + m, "_pv_" + m).iter_rows():
                        sums.append({"measure": m, "row": i, "parent": p, "children_sum": ssum,
                                     "parent_value": pv, "children": n})
                del total
            del hit
            kids = joined.filter(pl.col("_has").is_null()).select(kids.columns)
            del joined
            kids = kids.with_columns(climb(pl.col("_p")).alias("_p")).filter(pl.col("_p").is_not_null())
            if kids.height == 0:
                break
        del kids, parents
    del narrow
    names = {i: c for c, i in vocab.items()}
    if sums:
        for item in sums:
            item["parent"] = names.get(item["parent"], item["parent"])
    out = []
    for m in measures:
        bad = pl.concat(found[m]).sort("_i")
        if bad.height:
            rows = df[bad["_i"].to_list()]
            out.append(rows.with_columns(
                pl.Series("_parent", [names[i] for i in bad["_p"].to_list()], dtype=pl.String),
                bad["_pv"].alias("_parent_value"),
                pl.lit(m).alias("_measure")))
    if not out:
        return None
    return pl.concat(out, how="diagonal_relaxed")
