"""Post-processing for the generic reader (:mod:`.generic`): the long frame after its cells are read.

Helpers :func:`.generic.read_table` applies to the long frame (region, industry, period,
measure, value): units (:func:`unit_factor`, :func:`title_unit`, one Eurostat unit), region
codes and levels (Census ``GEO_ID``, NUTS, AGS, QCEW areas, KATO; Rosstat's and Destatis'
aggregates among the regions), QCEW's month columns, flag and status columns, ``code: label``
and ``label <code>`` cells, a second label row, and the industry codes (totals, QCEW domains,
section spans, which classification: :func:`_industry_mapping`).  Imports
:mod:`.generic_headings`, :mod:`.generic_raw` and :mod:`.generic_plan`.
"""

from __future__ import annotations

import re

from clusterid import schema
from clusterid.core import codes
from clusterid.errors import DataError, Problem, UsageError
from clusterid.io.readers import cjk_headings
from clusterid.io.readers.generic_headings import _HEADING_FACTORS, _norm, corner_down
from clusterid.io.readers.generic_plan import (_QWI_FLAG_OK, _QWI_FLAGS_WITHHELD, _RANGE_FLAGS, _UNNAMED, _WITHHELD_FLAGS,
                                               _WITHHELD_STATUS_NAME,
                                               is_region_total_name)
from clusterid.io.readers.generic_raw import LINE, SOURCE

# what follows or precedes "mn", "Mill.", "Mio." when they are a multiple: a currency or a
# count noun ("EUR mn", "£mn", "Mill. EUR", "Mio. Personen", "mn USD")
_CURRENCY = (r"(?:eur|euros?|€|£|\$|us\$|usd|gbp|chf|jpy|yen|¥|kzt|тенге|тг|руб\w*|rub|rur|pln|"
             r"zł\w*|czk|kč|sek|nok|dkk|isk|huf|ron|bgn|try|aud|cad|nzd|dm|sfr|dollars?|pounds?|"
             r"francs?|kronor|kroner|kronen|złotych|reais|r\$|pesos?|d[óo]lares|soles|"
             # the Nordic offices' kroner and the Swiss francs as they abbreviate them: SSB's
             # "(mill. kr)", Statistics Denmark's "(mio. kr.)", the FSO's "in Mio. Franken"
             r"kr\.?|fr\.?|franken|franchi|kn)")
# "mil" (a thousand in Spanish and Portuguese) before a currency of theirs: IBGE's "Salários e
# outras remunerações (Mil Reais)", read as reais, a thousand times too small
_LATIN_MONEY = r"(?:reais|r\$|pesos|euros|d[óo]lares|soles|colones|bolivianos|guaran[íi]es)(?![^\W\d_])"
_BESIDE_MULTIPLE = (r"(?:" + _CURRENCY + r"|persons?|people|personen|jobs|employees|"
                    r"beschäftigte|erwerbstätige|человек|чел\.?|адам)(?![^\W\d_])")
_UNIT_FACTORS = (
    (re.compile(r"^(?:ths|thousands?|tsd\.?|tausend|1[ .]?000|тыс\.?|тысяч[аи]?|мың|миң)(?:[\s_.].*)?$",
                re.IGNORECASE), 1e3),
    # Uzbek (stat.uz): "ming kishi", "минг киши" (thousand persons); "ming" alone is a name too
    (re.compile(r"^(?:ming\s+kishi|минг\s+киши)\b", re.IGNORECASE), 1e3),
    # Ukrainian (Ukrstat): "тис. осіб" (thousand persons), "тисяч"; read as persons, a table in
    # thousands was a thousand times too small
    (re.compile(r"^(?:тис\.?|тисяч[аі]?)(?:[\s_.].*)?$", re.IGNORECASE), 1e3),
    # the other EU offices' thousands, as their tables' unit lines write them: Czech, Slovak and
    # Slovenian "tis. osob" / "tis. oseb" (tisíc), Croatian "tisuća" / "u tisućama", Romanian
    # (INS TEMPO) "mii persoane", Hungarian (KSH) "ezer fő", Lithuanian and Latvian "tūkst.",
    # Bulgarian "хил. души" (хиляди), Greek "χιλιάδες"; each read as persons, a thousand times
    # too small
    (re.compile(r"^(?:(?:tis|tūkst|хил)\.|(?:tis|tūkst|хил)(?=\s)|tisuć[aeiu]\w*|хиляди|χιλιάδες)(?:[\s_.].*)?$"
                r"|^mii(?:\s+persoane)?$|^ezer(?:\s+fő)?$", re.IGNORECASE), 1e3),
    # English abbreviations of the CIS and Balkan offices' English tables: "(thou.)", "(th.)",
    # "thous. persons" (the abbreviation's dot required for "th.": "th" alone is no word)
    (re.compile(r"^(?:thou\.?|thous\.?|th\.)(?:\s*(?:persons?|people|pers\.?|jobs|employees))?$",
                re.IGNORECASE), 1e3),
    # Swedish, Norwegian, Danish and Finnish, as PC-Axis UNITS and PX-Web titles write them:
    # SCB's "1000-tal", "tusental", SSB's "1 000 personer" (above), Statistics Finland's "1 000
    # henkeä", "tuhatta henkeä"
    (re.compile(r"^(?:1[ .]?000-tal|tusen(?:tal|de)?|tuhat(?:ta)?)(?:[\s_.].*)?$", re.IGNORECASE), 1e3),
    # Spanish and Portuguese: INE Chile's "(miles de personas)", IBGE's "(Mil pessoas)" ("mil"
    # only before a word of persons: alone it is also English for a million)
    (re.compile(r"^(?:miles|mil\s+(?:personas|pessoas|empleos|empregos|ocupados|" + _LATIN_MONEY + r"))(?:[\s_.].*)?$",
                re.IGNORECASE), 1e3),
    # French and Portuguese: INSEE's "(en milliers)", IBGE's "(em milhares)"; Italian: ISTAT's
    # "migliaia"; Polish: GUS's "tys." (tysiące)
    (re.compile(r"^(?:milliers?|milhares|migliaia|tys\.?)(?:[\s_.].*)?$", re.IGNORECASE), 1e3),
    (re.compile(r"^(?:millions?|млн\.?)(?:[\s_.].*)?$", re.IGNORECASE), 1e6),
    # ... the abbreviations only as a unit: alone ("Mio.", "mn"), in a code (MIO_EUR) or before
    # a currency or count ("Mill. EUR", "mn persons"): a title 'Mill Creek Township' and a
    # unit 'MN employment' (Minnesota) scaled the table by a million
    # (and "Mio." / "Mill." with their abbreviation's dot before any word: "Mio. kr.")
    (re.compile(r"^(?:(?:mio|mill)\.\s*[^\W\d_]|(?:mio|mn|mill)(?:\.?$|_\w*$|\.?\s*" + _BESIDE_MULTIPLE + r"))",
                re.IGNORECASE), 1e6),
    (re.compile(r"^(?:millones|milh(?:õ|o)es)(?:[\s_.].*)?$", re.IGNORECASE), 1e6),
    (re.compile(r"^(?:mrd|bn|billions?|млрд\.?)(?:[\s_.].*)?$", re.IGNORECASE), 1e9),
    # a currency's symbol with its multiple, as the ABS's data cubes and ONS write money units:
    # "$m", "$bn", "£m", "A$m", "$'000", "'000", "£000s" (an unknown unit before, kept as read)
    (re.compile(r"^(?:[A-Z]{0,3}\$|£|€|¥)?\s?'?000s?$"), 1e3),
    (re.compile(r"^(?:[A-Z]{0,3}\$|£|€|¥)\s?(?:m|mn)$"), 1e6),
    (re.compile(r"^(?:[A-Z]{0,3}\$|£|€|¥)\s?(?:b|bn)$"), 1e9),
    (re.compile(r"^(?:[A-Z]{0,3}\$|£|€|¥)$"), 1.0),
    # "US dollars, millions", "Persons, thousands"
    (re.compile(r"^(?:[^\W\d_]+\s+){0,2}[^\W\d_]+,\s*thousands$", re.IGNORECASE), 1e3),
    (re.compile(r"^(?:[^\W\d_]+\s+){0,2}[^\W\d_]+,\s*millions$", re.IGNORECASE), 1e6),
    # India's multiples (MoSPI's ASI, the states' DES, RBI): a lakh is 100,000, a crore
    # 10,000,000 -- "Rs. Lakh", "Rs. in lakhs", "₹ crore", "Crores of Rupees"
    (re.compile(r"^(?:(?:rs\.?|₹|inr|rupees?)\s*)?(?:in\s+)?(?:lakhs?|lacs?)(?:\s+(?:of\s+)?(?:rs\.?|rupees|₹|inr))?\.?$",
                re.IGNORECASE), 1e5),
    (re.compile(r"^(?:(?:rs\.?|₹|inr|rupees?)\s*)?(?:in\s+)?(?:crores?|cr\.?)(?:\s+(?:of\s+)?(?:rs\.?|rupees|₹|inr))?$",
                re.IGNORECASE), 1e7),
    # Statistics Canada's LFS tables' UOM: "Persons in thousands" (and "Dollars in millions")
    (re.compile(r"^(?:[^\W\d_]+\s+){1,3}in\s+thousands$", re.IGNORECASE), 1e3),
    (re.compile(r"^(?:[^\W\d_]+\s+){1,3}in\s+millions$", re.IGNORECASE), 1e6),
    # Statistics Canada's displayed tables: "Persons x 1,000", "Dollars x 1,000,000"
    (re.compile(r"^(?:[^\W\d_]+\s+)?x\s*1,000$", re.IGNORECASE), 1e3),
    (re.compile(r"^(?:[^\W\d_]+\s+)?x\s*1,000,000$", re.IGNORECASE), 1e6),
    # Eurostat's price concept before the multiple: CP_MEUR, CLV10_MNAC, PYP_MEUR (millions)
    (re.compile(r"^(?:cp|clv\d*|pyp)_m(?:eur|nac|pps)", re.IGNORECASE), 1e6),
    (re.compile(r"^(?:per|nr|persons?|number|count|anzahl|personen|jobs|eur|usd|dollars?|units?|"
                r"чел\.?|человек|единиц|адам|осіб|"
                # Romania's INS (TEMPO): "Numar persoane", "Numar" (number), "Persoane"
                r"numar(?:\s+persoane)?|persoane|"
                # the Nordic offices' JSON-stat units: SSB's "personer", "antall", SCB's
                # "antal", "number", Statistics Finland's "henkeä", "lukumäärä"
                r"personer|personar|antall|antal|henkeä|henkilöä|lukumäärä)$", re.IGNORECASE), 1.0),
)
_NOT_A_LEVEL = re.compile(r"^(?:pc|pch|pcp|%|percent|prozent|procent|i\d{2}|index|rt|rate)", re.IGNORECASE)
# headings that say their values are thousands: emp1000, "Beschäftigte (1000)", "in Tsd."
# ... in Spanish and Portuguese, in brackets as INE Chile and IBGE head them: "Ocupados
# (miles)", "Ocupados (miles de personas)", "Pessoal ocupado (mil pessoas)" (bb9573a made
# 'miles' a unit of titles and unit columns, and 'ocupados' employment: such a heading was read
# a thousand times too small)
# (and ISTAT's "Occupati (migliaia)", "(in migliaia)", GUS's "(w tys.)")
_HEADING_MILES = re.compile(r"\(\s*(?:en\s+|em\s+|in\s+|w\s+|v\s+|u\s+)?(?:(?:miles|milliers|milhares|migliaia|tys\.?)"
                            r"(?:\s+de\s+[^\W\d_]+)?"
                            r"|mil\s+(?:personas|pessoas|" + _LATIN_MONEY + r")"
                            # (and the other EU offices' spellings, as in _UNIT_FACTORS: an
                            # abbreviation with its dot before any word, the words alone or
                            # before their word for persons)
                            r"|(?:tys|tis|tūkst|хил)\.(?:\s*[^\W\d_]+\.?)?|tisuć[aeiu]\w*|mii(?:\s+persoane)?"
                            # (English abbreviations: "Employment (thou.)", "(th.)", "(thous. persons)")
                            r"|(?:thou\.?|thous\.?|th\.)(?:\s*(?:persons?|people|pers\.?))?"
                            r"|ezer(?:\s+fő)?|хиляди(?:\s+души)?|χιλιάδες)\s*\)",
                            re.IGNORECASE)
# ... and "('000)", "(000s)" as the ABS, ONS and StatCan head thousands: "Employed total
# ('000)", read as persons, was a thousand times too small
# (the "000" a word of its own, not the end of a number: "Employment in firms 5,000+", "Jobs
# per 10,000 residents" and "Employment (2,000-4,999 employees)" are no thousands, scaled since 3d3ada8)
# (and Russian "тысяч человек", Kazakh "мың адам": stat.gov.kz's "Жұмыспен қамтылғандар саны,
# мың адам" was read as persons, a thousand times too small)
_HEADING_THOUSANDS = re.compile(r"(?:\D1000$|(?:^|_)(?:in_)?(?:1000|1_000|tsd|tausend|thousands?|thou|thous|ths|тыс|тысяч[аи]?|тис|тисяч[аі]?|мың|миң|ming(?=_kishi)|минг(?=_киши)|(?<!\d_)000s?)(?:_|$))")
# ... and in millions: ONS's "Gross value added (£ million)", Destatis's "Umsatz in Mio. EUR",
# "выпуск, млн тенге": read as pounds, euros, tenge, a million times too small.  The words
# "million(s)" and "млн" anywhere but after "per"; the abbreviations "mn", "Mill.", "Mio." only
# where they are a unit (:func:`heading_in_millions`)
# (and Spanish and Portuguese "millones", "milhões": INEGI's "Total de remuneraciones (millones
# de pesos)", read as pesos, a million times too small)
_MILLION_WORD = re.compile(r"(?<![^\W\d_])(?P<w>mio|mn|mill|millions?|millones|milh(?:õ|o)es|млн)\.?(?![^\W\d_])",
                           re.IGNORECASE)


# India's lakh (100,000) and crore (10,000,000) in a measure's heading, as MoSPI's ASI tables
# and the states' DES head their money columns: "Wages to Workers (Rs. Lakh)", "Gross Value
# Added (₹ crore)", "(Rs. in lakhs)", "Total Output (Rs. Cr.)" ("lac" and "cr" only beside the
# rupee: "Lac-Saint-Jean" is a place).  Read as rupees, a lakh's figures were 100,000 times too
# small, exit 0
_HEADING_LAKH = re.compile(r"(?<![^\W\d_])lakhs?(?![^\W\d_])|(?:rs\.?|₹|inr|rupees)\s*(?:in\s+)?lacs?(?![^\W\d_])",
                           re.IGNORECASE)
_HEADING_CRORE = re.compile(r"(?<![^\W\d_])crores?(?![^\W\d_])|(?:rs\.?|₹|inr|rupees)\s*(?:in\s+)?cr(?![^\W\d_])",
                            re.IGNORECASE)


# billions in a measure's heading: the words ("billion", French "milliards", German
# "Milliarden", Dutch and Swedish "miljard(er)") anywhere but after "per", the abbreviations
# ("bn", "Mrd.", "mld") where they are a unit -- beside a currency, after "in", alone in
# brackets: Destatis' and the VGRdL's "Bruttowertschöpfung (Mrd. EUR)", "Output (EUR bn)",
# read as euros, a thousand million times too small
_BILLION_WORD = re.compile(r"(?<![^\W\d_])(?P<w>billions?|milliards?|milliarden|miljard(?:er)?|miliard[iy]?|млрд|bn|mrd|mld)\.?"
                           r"(?![^\W\d_])", re.IGNORECASE)
# a currency with its multiple in one word, as business and national accounts tables head
# money: German "TEUR" / "T€" (Tausend), "kEUR", "k€", "£k", "$k"; "MEUR", "M€", "£m", "$m";
# "£bn", "$bn"; the ABS's "Wages and salaries ($m)", "(A$m)", "(NZ$m)" -- each read as the currency itself
_CURRENCY_MULTIPLE = re.compile(
    r"(?<![^\W\d_])(?:(?P<pre>[kKTM])(?:EUR|€|USD|CHF|GBP|\$|£)|(?:€|£|¥|[A-Z]{0,3}\$)\s?(?P<post>k|m|mn|bn|b))(?![^\W\d_])")


def heading_other_multiple(head: str) -> float | None:
    """The multiple a measure's heading gives its money other than millions, thousands and
    the lakh: billions (:data:`_BILLION_WORD`) or a currency written with its multiple
    (:data:`_CURRENCY_MULTIPLE`); None when it names none."""
    text = str(head).replace("_", " ")
    if (m := _CURRENCY_MULTIPLE.search(text)) is not None:
        tag = (m.group("pre") or m.group("post") or "").lower()
        return {"k": 1e3, "t": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9}.get(tag)
    for m in _BILLION_WORD.finditer(text):
        before, after, word = text[:m.start()], text[m.end():], m.group("w").lower()
        if re.search(r"(?:^|\s)(?:per|pro|je|par)\s+$", before, re.IGNORECASE):
            continue
        if word not in ("bn", "mrd", "mld"):
            return 1e9
        if re.match(r"\s*" + _BESIDE_MULTIPLE, after, re.IGNORECASE) \
                or re.search(r"(?<![^\W\d_])" + _CURRENCY + r"\s*$", before, re.IGNORECASE) \
                or re.search(r"(?:^|[\s(\[,;])(?:in|en)\s+$", before, re.IGNORECASE) \
                or (re.search(r"[(\[]\s*$", before) and re.match(r"\s*[)\]]", after)):
            return 1e9
    return None


def heading_indian_multiple(head: str) -> float | None:
    """The lakh (1e5) or crore (1e7) a measure's heading says its values are in, else None
    (:data:`_HEADING_LAKH`); a heading naming both is none of them."""
    lakh, crore = bool(_HEADING_LAKH.search(head)), bool(_HEADING_CRORE.search(head))
    return None if lakh == crore else 1e5 if lakh else 1e7


# "mil" alone in brackets after a measure's heading: no multiple clusterid can tell
_MIL_ALONE = re.compile(r"\(\s*mil\.?\s*\)\s*$", re.IGNORECASE)


def heading_in_millions(head: str) -> bool:
    """Whether a measure's heading says its values are millions: "million(s)" or "млн" as a
    word not after "per" ("Jobs per million residents" is a rate); "mn", "Mill.", "Mio." next
    to a currency or a count noun ("EUR mn", "£mn", "Mill. EUR", "Mio. Personen"), after "in"
    ("in Mio.", "in Mill."), alone in brackets ("(mn)", "[Mio.]") or after a last comma
    ("GVA, mn").  Not a place or a word that holds them: "Mill Creek employment", "Employment
    MN" or "Employment (MN)" (Minnesota), "Mill employment" were read a million times too
    large; "Sawmills" never matched.  "Mio." and "Mill." with their abbreviation's dot before a
    word are the multiple whatever the word ("Mio. kr.", "Mill. Franken"); an underscore
    parts words as a space does ("gva_mio_eur")."""
    text = str(head).replace("_", " ")
    for m in _MILLION_WORD.finditer(text):
        before, after, word = text[:m.start()], text[m.end():], m.group("w")
        if word.lower() in ("million", "millions", "millones", "milhões", "milhoes", "млн"):
            if not re.search(r"(?:^|\s)(?:per|pro|на|je)\s+$", before, re.IGNORECASE):
                return True
            continue
        if word.lower() in ("mio", "mill") and m.group(0).endswith(".") \
                and re.match(r"\s*[^\W\d_]", after):
            return True  # "mio. kr.", "Mill. Franken": an abbreviation, no place
        if re.match(r"\s*" + _BESIDE_MULTIPLE, after, re.IGNORECASE) \
                or re.search(r"(?<![^\W\d_])" + _CURRENCY + r"\s*$", before, re.IGNORECASE):
            return True  # "Mill. EUR", "mn persons"; "EUR mn", "£mn"
        if re.search(r"(?:^|[\s(\[,;])(?:in|en|em|в)\s+$", before, re.IGNORECASE) \
                and re.match(r"\s*(?:$|[)\],;:/])", after):
            return True  # "in Mio.", "(in Mill.)"
        if word == "MN":
            continue  # (MN) alone is Minnesota's code
        if (re.search(r"[(\[]\s*$", before) and re.match(r"\s*[)\]]", after)) \
                or (re.search(r",\s*$", before) and not after.strip()):
            return True  # "(mn)", "[Mio.]", "GVA, mn"
    return False


# words that may follow a multiple in a unit, capitalised as titles and German write them
# ("Thousands of Persons", "Millions of Current Dollars", "Tsd. Erwerbstätige", "Mio. Euro")
_UNIT_WORDS = re.compile(
    r"(?:of|de|des|du|in|en|em|at|and|und|et|y|e|the|per|us|u\.s\.|current|constant|chained|nominal|real|"
    r"dollars?|euros?|pounds?|persons?|people|jobs|employees|employed|employment|workers|hours|units?|"
    r"establishments|enterprises|firms|businesses|companies|inhabitants|residents|population|prices|"
    r"personen|erwerbstätige|beschäftigte|arbeitnehmer|einwohner|stunden|betriebe|unternehmen|"
    r"personas|pessoas|personnes|persone|personer|henkeä|ocupados|emplois|empleos|empregos|"
    r"lakhs?|lacs?|crores?|rs|rupees?|inr)",
    re.IGNORECASE)


def _unit_then_a_name(unit: str) -> bool:
    """Whether ``unit`` is a multiple's word followed by a name, not by a unit: a capitalised
    word that is no currency, count noun or unit word after it ("Million Dollar Highway",
    "Thousand Oaks", "Thousand Island Park"), where "Thousands of Persons", "Millions of
    Current Dollars" and "Tsd. Erwerbstätige" are units."""
    # (up to a bracket or a comma: "Thousands (Seasonally Adjusted)" says how, not where)
    words = re.findall(r"[^\W\d_][^\s,;:()\[\]/]*", re.split(r"[(\[,;]", unit)[0])[1:]
    return any(w[0].isupper() and not _UNIT_WORDS.fullmatch(w.rstrip("."))
               and not re.fullmatch(_CURRENCY, w, re.IGNORECASE)
               and not re.fullmatch(_BESIDE_MULTIPLE, w, re.IGNORECASE) for w in words)


def unit_factor(unit: str | None) -> float | None:
    """Multiplier that turns a value in ``unit`` into units (``THS_PER`` -> 1000), 1 for a plain
    count or amount, None for a unit not known here (the values are kept as they are).  A
    multiple's word before a name is no unit: "Million Dollar Highway", a title naming a road,
    scaled every value by a million, exit 0 (:func:`_unit_then_a_name`)."""
    if unit is None or not str(unit).strip():
        return 1.0
    u = str(unit).strip()
    if u == "MN":
        return None  # Minnesota's code ("Employment, MN"), not "mn" the multiple
    for rx, factor in _UNIT_FACTORS:
        if rx.match(u):
            if factor != 1.0 and _unit_then_a_name(u):
                return None
            return factor
    return None


# a figure's cell holding a unit: the message its problem is said with (a units row's cells are
# these, so the units row is taken from them as from words that are no number)
UNIT_IN_CELL = "a unit, not a figure"


def unit_in_cell(found) -> bool:
    """Whether a figure's cell that is no number holds a unit instead (the ABS's ``'000``,
    ``$m``, Rosstat's ``тыс.``, ``Tsd.``): a units row or heading's text typed where a figure
    goes.  Such a cell was said "not a number" with a hint to change --decimal/--thousands,
    which can make no number of it.  Only a multiple or a currency (a factor other than 1, or
    a currency's sign alone): "Number", "Persons" are more likely a heading than a unit."""
    text = str(found or "").strip()
    if not text or re.search(r"[1-9]", text):
        return False
    factor = unit_factor(text)
    return factor is not None and (factor != 1.0 or bool(re.fullmatch(r"[A-Z]{0,3}\$|£|€|¥", text)))


_GEO_ID = re.compile(r"^(\d{3})[0-9A-Z]{4}US(\d*)$")
# summary level -> (region level, code from the digits after "US")
_SUMMARY_LEVELS = {
    "010": ("nation", lambda d: "US000"),
    "040": ("state", lambda d: d + "000"),
    "050": ("county", lambda d: d),
    # metropolitan and micropolitan areas (QCEW writes a CBSA as C + its first four digits):
    # cbsa, unless the area's name says which (cbsa_level)
    "310": ("cbsa", lambda d: "C" + d[:4]),
    "330": ("csa", lambda d: "CS" + d),
    # ZIP codes (ZCTA5's summary level): data.census.gov's ZBP tables (CB1900ZBP, 2019 on),
    # "8600000US84001"; without it their regions had no level, beside the ZBP files' "zip"
    "860": ("zip", lambda d: d),
}


# Census names a CBSA with its kind: "Houston-The Woodlands-Sugar Land, TX Metro Area",
# "Aberdeen, SD Micro Area" (data.census.gov, the API, TIGERweb); QCEW's area titles end in
# "MSA" or "MicroSA"
_METRO_NAME = re.compile(r"\b(?:metro(?:politan)?\s+(?:statistical\s+)?area|msa)\s*$", re.IGNORECASE)
_MICRO_NAME = re.compile(r"\b(?:micro(?:politan)?\s+(?:statistical\s+)?area|microsa)\s*$", re.IGNORECASE)


def cbsa_level(name) -> str:
    """A Core Based Statistical Area's level by its name: ``msa`` (``... Metro Area``,
    ``... MSA``), ``microsa`` (``... Micro Area``, ``... MicroSA``), else ``cbsa`` (either)."""
    text = str(name or "")
    return "microsa" if _MICRO_NAME.search(text) else "msa" if _METRO_NAME.search(text) else "cbsa"


def _cbsa_levels_by_name(long, codes):
    """Rows whose region (one of ``codes``) is a CBSA of level ``cbsa`` get ``msa`` or
    ``microsa`` where the row's name says which."""
    import polars as pl

    if "_region_name" not in long.columns or not codes:
        return long
    names = long.filter(pl.col("_region").is_in(list(codes))).get_column("_region_name").drop_nulls().unique()
    found = {n: cbsa_level(n) for n in names.to_list()}
    if not any(v != "cbsa" for v in found.values()):
        return long
    named = pl.col("_region_name").replace_strict(found, default="cbsa", return_dtype=pl.String)
    return long.with_columns(pl.when((pl.col("_region_level") == "cbsa").fill_null(False))
                             .then(named).otherwise(pl.col("_region_level")).alias("_region_level"))


def _census_geo_ids(long, plan):
    """A region column of Census GEO_IDs (``0400000US49``, ``0500000US49001``,
    ``310M600US41620``) -> codes as QCEW writes them (``49000``, ``49001``, ``C4162``) and the
    region level from the summary level.  Only when every region cell is a GEO_ID."""
    import polars as pl

    values = [v for v in long.get_column("_region").unique().to_list() if v]
    if not values or not all(_GEO_ID.match(v) for v in values):
        return long
    codes_map, levels_map = {}, {}
    for v in values:
        sumlev, digits = _GEO_ID.match(v).groups()
        level, make = _SUMMARY_LEVELS.get(sumlev, (None, lambda d: d))
        codes_map[v], levels_map[v] = make(digits), level
    out = long.with_columns(pl.col("_region").replace_strict(codes_map, default=None, return_dtype=pl.String))
    if not plan.region_level:
        out = out.with_columns(
            pl.coalesce(long.get_column("_region").replace_strict(levels_map, default=None, return_dtype=pl.String),
                        pl.col("_region_level")).alias("_region_level"))
        out = _cbsa_levels_by_name(out, {codes_map[v] for v, lv in levels_map.items() if lv == "cbsa"})
    return out


def _census_api_geographies(long, plan, header):
    """A Census API answer's geography column (``us``, ``state``, the metro area's) -> the
    codes the CBP files and QCEW write (``US000``, ``49000``, ``C4110``) and the region level,
    as GEO_IDs give them: by ``state`` alone the region was ``49``, no level, beside the
    ``49001`` of an answer by county; ``us`` was no region column.  Only where every cell has
    the shape of its column's FIPS or CBSA code (``us`` is 1)."""
    import polars as pl

    from clusterid.io.readers.generic_plan import CENSUS_API_GEOGRAPHIES, is_census_api_table

    if plan.region is None or plan.county or plan.region_level or plan.region_const is not None \
            or not is_census_api_table(header):
        return long
    kind = _norm(plan.region)
    level = CENSUS_API_GEOGRAPHIES.get(kind)
    shape, make = {"nation": (r"^0*1$", pl.lit("US000")),
                   "state": (r"^\d{1,2}$", pl.col("_region").str.zfill(2) + pl.lit("000")),
                   "cbsa": (r"^\d{5}$", pl.lit("C") + pl.col("_region").str.slice(0, 4)),
                   "csa": (r"^\d{3}$", pl.lit("CS") + pl.col("_region"))}.get(level, (None, None))
    if shape is None or not long.get_column("_region").str.contains(shape).fill_null(False).all():
        return long
    out = long.with_columns(make.alias("_region"), pl.lit(level, pl.String).alias("_region_level"))
    if level == "cbsa":
        out = _cbsa_levels_by_name(out, out.get_column("_region").unique().to_list())
    return out


def region_levels_from_codes(long, plan, header=(), path=None, options=None):
    """Each region's level from its code or label where the table has a region column and no
    level column: NUTS codes, German AGS keys, KATO codes, QCEW area codes, CBS's marks,
    PX-Web's code types, tried in that order (a row one of them levelled keeps its level).
    Each guess reads the level only where every region of the table has its shape.  Last,
    numeric codes under a heading that names no scheme, one the start of another (``49``
    beside ``49001``): :func:`_nested_levels`."""
    if plan.region_level or plan.region is None or plan.region_const is not None:
        return long
    for guess in (_nuts_levels, _ags_levels, _kato_levels, _qcew_area_levels, _cbs_levels,
                  _px_levels, _bdl_levels, _gss_levels, _itl_levels, _fips_levels, _tempo_levels):
        long = guess(long, plan)
    return _nested_levels(long, plan, header, path, options)


def _nested_levels(long, plan, header, path, options):
    """Numeric region codes of which one begins others (a US state ``49`` beside its counties
    ``49001``, an oblast ``11`` beside its districts, a Land ``09`` beside its Kreise) under a
    heading that names no scheme: the levels :func:`.region_nesting.nested_code_levels` gives
    (AGS with German evidence, FIPS with US names, else the figures: a code whose figures
    bound the sum of the codes it begins is their parent).  Unlevelled, lq summed Utah with
    its own counties into every benchmark (2,000 for 1,000 jobs), unsaid.  Where the figures
    say neither, refused on the line of the code in doubt; ``--region-level`` reads the codes
    as one level, as asked."""
    import polars as pl

    from clusterid.io.readers.region_nesting import Unclear, nested_code_levels

    if long.height == 0 or long.get_column("_region_level").null_count() < long.height:
        return long
    measures = [m for m in schema.MEASURES if m in long.columns]
    keys = [k for k in ("_period", "_industry", "_ownership", "_unit") if k in long.columns]
    headings = [h for h in header if h] + [plan.period or "", plan.industry or "",
                                           *plan.measures.values()]
    try:
        found = nested_code_levels(long, "_region", "_region_name", keys, measures, headings)
    except Unclear as exc:
        if options is not None and getattr(options, "region_level", None):
            return long  # said to be one level: labelled so by the caller
        line = long.filter(pl.col("_region") == exc.code).get_column(LINE).min()
        raise DataError(problems=[Problem(
            str(exc), path=path, line=line, column=plan.region,
            expected="regions of one level, or each region's level",
            found="codes of two lengths that begin one another",
            hint="add a region_level column (state, county ...), or give --region-level LEVEL "
                 "to read every code as one level")]) from None
    if not found:
        return long
    if found.get(None) == "ags":
        level = pl.col("_region").str.len_chars().replace_strict(
            _AGS_LEVELS, default=None, return_dtype=pl.String)
    elif found.get(None) == "kato":
        level = kato_level(pl.col("_region").str.strip_chars())
    else:
        level = pl.col("_region").str.strip_chars().replace_strict(found, default=None,
                                                                   return_dtype=pl.String)
    return _with_levels(long, level)


# the UK's GSS codes by their type (the first three characters): local authority districts and
# unitary authorities, English regions, the countries, the UK
GSS_LEVELS = {**{p: "lad" for p in ("E06", "E07", "E08", "E09", "W06", "S12", "N09")},
              "E12": "region", "E92": "country", "W92": "country", "S92": "country",
              "N92": "country", "K02": "nation"}
_GSS = re.compile(r"^[EWSNK]\d{8}$")


def _gss_levels(long, plan):  # noqa: ARG001 - the guesses' contract
    """A region column of GSS codes (ONS's tables: "Area code" E92000001 England, E12000001
    North East, E06000001 Hartlepool) gets each code's level from its type, as NOMIS's
    ``GEOGRAPHY_CODE`` does (:data:`GSS_LEVELS`; another type is a level named by itself,
    ``e10``).  Without levels, lq's benchmark summed England, its regions and their
    authorities as one level."""
    import polars as pl

    values = [v for v in long.get_column("_region").unique().to_list() if v]
    if not values or not all(_GSS.match(v.strip()) for v in values):
        return long
    kind = pl.col("_region").str.strip_chars().str.slice(0, 3)
    return _with_levels(long, kind.replace_strict(GSS_LEVELS, default=kind.str.to_lowercase(),
                                                  return_dtype=pl.String))


# The UK's International Territorial Levels (ITL, NUTS's successor since 2021: ``TLC`` North
# East ITL1, ``TLC1`` ITL2, ``TLC11`` ITL3; ``TLZ`` extra-regio), and the other rows ONS prints
# beside them: the United Kingdom (``UK``, ``K02000001``) and England, under its GSS code
# ``E92000001`` or any code where the name says England (its ITL1 regions TLC ... TLK are its parts)
_ITL = re.compile(r"^TL[C-N](?:\d[0-9A-Z]?)?$")
_ITL_EXTRA_REGIO = re.compile(r"^TLZ{1,3}$")
_ITL_HEADING = re.compile(r"(?:^|_)itl(?:\d|_|$)")  # "ITL region code", "itl1_code" (not "title")
_ITL_NATION = frozenset({"UK", "K02000001", "K03000001"})
_ITL_ENGLAND_CODES = frozenset({"E92000001"})


def _itl_levels(long, plan):
    """A region column of ITL codes (ONS's regional accounts, "ITL region code") gets each
    code's level as NUTS codes get theirs (``TLC`` itl1, ``TLC1`` itl2, ``TLC11`` itl3), under
    a heading that names ITL or where one code begins another (``TLC`` beside ``TLC1``); the
    United Kingdom beside them stays unlevelled (the region total ingest drops by its name, as
    before) and England is ``country``.  Without levels, England
    was one more region beside its own ITL1 regions (lq's benchmark counted England's figures
    twice) and an ITL1 region was summed with its own ITL2 parts, exit 0."""
    import polars as pl

    if not long.get_column("_region").str.strip_chars().str.contains(_ITL.pattern).any():
        return long
    names = (long.select(pl.col("_region").str.strip_chars(),
                         pl.col("_region_name").cast(pl.String).str.strip_chars().str.to_lowercase())
             .unique().rows())
    england = itl_england(names, itl_heading=bool(_ITL_HEADING.search(_norm(plan.region))))
    if england is None:
        return long
    return _with_levels(long, itl_level(pl.col("_region").str.strip_chars(), england))


def any_itl_code(values) -> bool:
    """Whether any of ``values`` (region codes, stripped) is an ITL code (``TLC``, ``TLC1``)."""
    return any(_ITL.match(v) for v in values if v)


def itl_england(names, itl_heading: bool = False) -> set | None:
    """Of a region column's distinct ``(code, name)`` (the name lower-cased, or None): the
    codes that stand for England (``E92000001``, or a code named England) where the column
    holds ITL codes, England, the United Kingdom and extra-regio alone, and its codes are ITL
    codes by their heading (``itl_heading``), their nesting (``TLC`` beside ``TLC1``) or
    England beside them (its ITL1 regions its parts); None where they are not ITL codes.
    The codes' levels: :func:`itl_level`."""
    codes_ = {c for c, _ in names if c}
    england = {c for c, n in names if c and (c in _ITL_ENGLAND_CODES or n == "england"
                                             or c.lower() == "england")}
    itl = {c for c in codes_ - england if _ITL.match(c)}
    rest = codes_ - england - itl
    if not itl or any(not (c in _ITL_NATION or _ITL_EXTRA_REGIO.match(c)) for c in rest):
        return None
    if not itl_heading and not nested_itl_codes(itl) and not england:
        return None
    return england


def nested_itl_codes(values) -> bool:
    """Whether ``values`` are ITL codes of several levels (``TLC`` beside ``TLC1``, ``TLC1``
    beside ``TLC11``), as :func:`nested_nuts_codes` tells NUTS codes'."""
    values = {str(v).strip() for v in values if v is not None and str(v).strip()}
    return (len(values) > 1 and all(_ITL.match(v) or _ITL_EXTRA_REGIO.match(v) for v in values)
            and any(v[:n] in values for v in values for n in range(3, len(v))))


def itl_level(code, england=()):
    """Expression: the ITL level of the codes ``code`` (``TLC`` itl1, ``TLC1`` itl2, ``TLC11``
    itl3; ``TLZ`` extra_regio), ``country`` for the codes in ``england``, else null."""
    import polars as pl

    return (pl.when(code.is_in(sorted(england))).then(pl.lit("country"))
            .when(code.str.contains(_ITL_EXTRA_REGIO.pattern)).then(pl.lit("extra_regio"))
            .when(code.str.contains(_ITL.pattern))
            .then(pl.lit("itl") + (code.str.len_chars() - 2).cast(pl.String))
            .otherwise(pl.lit(None, pl.String)))


def _with_levels(long, level):
    """``long`` with ``level`` (an expression) for the rows whose level is still unknown."""
    import polars as pl

    return long.with_columns(pl.coalesce(pl.col("_region_level"), level).alias("_region_level"))


_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
# Italy and its NUTS regions (ITC, ITC4, ITC4C ... ITI), with ISTAT's macro-areas (ITCD, ITFG)
_ISTAT_NUTS = re.compile(r"^IT(?:[C-I][0-9A-Z]{0,3})?$")


# the countries of the NUTS classification (EU, EFTA, candidates; the UK as it was)
NUTS_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "IS LI NO CH UK ME MK AL RS TR".split())


def nested_nuts_codes(values) -> bool:
    """Whether ``values`` are NUTS codes beyond doubt under any heading: every one of NUTS's
    shape with a NUTS country's two letters, and one of them the start of another (``DE1``
    beside ``DE11``): regions of several levels that a benchmark must not sum together."""
    from clusterid.io.readers.eurostat import NATIONAL_TOTAL

    values = {str(v).strip() for v in values if v is not None and str(v).strip()}
    # (Eurostat's DE_TOT, Germany's total under a code of its own, beside Germany's regions)
    totals = {v for v in values if NATIONAL_TOTAL.match(v) and v[:2] in NUTS_COUNTRIES}
    codes_ = values - totals
    if len(values) < 2 or not all(_NUTS.match(v) and v[:2] in NUTS_COUNTRIES for v in codes_):
        return False
    return (any(v[:n] in codes_ for v in codes_ for n in range(2, len(v)))
            or any(v[:2] == t[:2] for t in totals for v in codes_))


def _nuts_levels(long, plan):
    """A ``geo``/``nuts`` column of NUTS codes gets its level as the Eurostat adapter writes
    it (``DE`` nuts0, ``DE1`` nuts1 ... ; ``EU27_2020``/``EA19`` aggregates; ``DEZZ``
    extra_regio)."""
    import polars as pl

    heading = _norm(plan.region)
    values = [v for v in long.get_column("_region").unique().to_list() if v]
    if heading not in ("geo", "nuts", "nuts_id", "nuts_code", "geo_code", "nuts_2016",
                       "itter107", "ref_area") and not nested_nuts_codes(values):
        # (ISTAT's I.Stat: IT, ITC4, ITC4C.)  Under another heading ('region'), codes of
        # NUTS shape whose country is one of NUTS's and of which one is the start of another
        # (DE1 beside DE11, DE12): without levels, DE1 was summed with its own parts into
        # every benchmark (lq's benchmark_total 2,550 for 1,550 of activity), unsaid
        return long
    # IstatData's SDMX-CSV heads ITTER107 REF_AREA, as every SDMX dataflow heads its areas
    # (the OECD's ITA or AUS are no NUTS codes): Italy's NUTS codes alone make it ITTER107.
    # Without levels the country IT was summed with its regions in lq's benchmark
    istat_sdmx = heading == "ref_area" and bool(values) and all(_ISTAT_NUTS.match(v) for v in values)
    if heading == "ref_area" and not istat_sdmx:
        return long
    from clusterid.io.readers.eurostat import EU_AGGREGATE, NATIONAL_TOTAL

    if not values or not all(_NUTS.match(v) or EU_AGGREGATE.match(v) or NATIONAL_TOTAL.match(v)
                             for v in values):
        return long
    # ISTAT's ITTER107 lists its macro-areas among the NUTS codes: Nord ITCD (ITC and ITD),
    # Mezzogiorno ITFG (ITF and ITG), two letters after IT where NUTS 2 has a digit
    istat = heading == "itter107" or istat_sdmx
    return _with_levels(long, nuts_level(pl.col("_region"), istat, values))


def nuts_level(geo, istat: bool = False, values=()):
    """Expression: the NUTS level of the codes ``geo`` (an expression), as the Eurostat adapter
    writes it (``DE`` nuts0, ``DE1`` nuts1 ...; EU aggregates, extra-regio; a country's total
    under a code of its own, ``DE_TOT``, ``nation`` or ``aggregate`` as ``values``, the
    table's codes, make it: :func:`clusterid.io.readers.eurostat.national_total_level`)."""
    import polars as pl

    from clusterid.io.readers.eurostat import (EU_AGGREGATE, EXTRA_REGIO, NATIONAL_TOTAL,
                                               national_total_level)

    return (pl.when(geo.str.contains(EU_AGGREGATE.pattern)).then(pl.lit("aggregate"))
            .when(geo.str.contains(NATIONAL_TOTAL.pattern))
            .then(pl.lit(national_total_level(values)))
            .when(pl.lit(istat) & geo.str.contains(r"^IT[A-Y][A-Z]$")).then(pl.lit("aggregate"))
            .when(geo.str.contains(EXTRA_REGIO.pattern)).then(pl.lit("extra_regio"))
            .when(geo.str.len_chars() == 2).then(pl.lit("nuts0"))
            .otherwise(pl.lit("nuts") + (geo.str.len_chars() - 2).cast(pl.String)))


_FEDERAL_DISTRICT = re.compile(r"федеральн\w*\s+округ", re.IGNORECASE)
_WITHOUT_AO = re.compile(r"^(?P<base>.+?)\s*\(?\s*без\s+(?:автономн\w*\s+округ\w*|ао)\s*\)?\s*$",
                         re.IGNORECASE)


def _russian_aggregates(long):
    """Rosstat's regional tables list each federal district (the sum of its subjects) among
    the subjects, and a subject holding autonomous okrugs three times: ``Архангельская
    область`` (with its okrug), ``Ненецкий автономный округ`` and ``Архангельская область без
    автономного округа``.  Summed as regions of one level they count those jobs twice; the
    districts get region level ``federal_district``, a subject listed beside its part
    "без автономного округа" the level ``aggregate``, so sums and benchmarks run over the
    non-overlapping rest."""
    import polars as pl

    names = {}
    for c in ("_region_name", "_region"):
        for v in long.get_column(c).unique().drop_nulls().to_list():
            names[v] = c
    districts = sorted(v for v in names if _FEDERAL_DISTRICT.search(v))
    bases = {m.group("base").strip().lower() for v in names if (m := _WITHOUT_AO.match(v))}
    holders = sorted(v for v in names if v.strip().lower() in bases)
    # (the same pass over the names: Destatis' West and East Germany beside the Länder)
    holders += sorted(v for v in names if _GERMAN_AGGREGATE.match(" ".join(v.split())))
    if not districts and not holders:
        return long
    name = pl.coalesce(pl.col("_region_name"), pl.col("_region"))
    return long.with_columns(
        pl.when(name.is_in(districts)).then(pl.lit("federal_district"))
        .when(name.is_in(holders)).then(pl.lit("aggregate"))
        .otherwise(pl.col("_region_level")).alias("_region_level"))


# Destatis lists West and East Germany beside the Länder ("Früheres Bundesgebiet ohne Berlin",
# "Neue Länder einschl. Berlin"): sums of Länder, not places -- region level aggregate (a
# level no command takes for a place; as regions of the Länder's level they were counted a
# second time in every sum), given by _russian_aggregates' pass over the names
_GERMAN_AGGREGATE = re.compile(
    r"^(?:früheres\s+bundesgebiet|frueheres\s+bundesgebiet|alte\s+(?:bundes)?länder|neue\s+(?:bundes)?länder|"
    r"alte\s+(?:bundes)?laender|neue\s+(?:bundes)?laender|westdeutschland|ostdeutschland)"
    r"(?:\s*\(?\s*(?:ohne|mit|einschl\.?|einschließlich|einschliesslich|inkl\.?|und)\s+berlin(?:[- ](?:west|ost))?\s*\)?)?"
    r"(?:\s*\d{1,2}\))?$", re.IGNORECASE)


# German official region keys (AGS) by length: Land, Regierungsbezirk, Kreis, Gemeinde; and
# the Regionalschlüssel's (ARS) Gemeindeverband (9: Kreis + 4) and Gemeinde (12: Verband + 3),
# as Regionalstatistik writes them at those depths.  A 12-digit key beside the 5-digit Kreise
# left the whole column without levels: Landkreis Böblingen was summed with its own Gemeinden
# into lq's benchmark (every LQ's denominator counted them twice)
_AGS_LEVELS = {2: "land", 3: "regierungsbezirk", 5: "kreis", 8: "gemeinde", 9: "gemeindeverband",
               12: "gemeinde"}
_AGS_HEADINGS = ("ags", "regionalschluessel", "ars", "kreisschluessel", "gemeindeschluessel",
                 "kreis", "kreise", "kennziffer", "schluessel", "schluesselnummer")


def nested_ags_keys(values) -> bool:
    """Whether ``values`` are German region keys beyond doubt under any heading ('region'):
    digits of the keys' lengths, every two-digit one a Land (01-16), and a Land's key the
    start of a longer one (``09`` beside ``09162``): without levels, Bayern was summed with
    its own Kreise into every benchmark."""
    if len(values) < 2 or not all(v.isdigit() and len(v) in _AGS_LEVELS for v in values):
        return False
    lands = {v for v in values if len(v) == 2}
    return (bool(lands) and all("01" <= v <= "16" for v in lands)
            and any(v[:2] in lands for v in values if len(v) > 2))


AGS_LEVELS = _AGS_LEVELS  # (for the canonical tables' reader)


def _ags_levels(long, plan):
    """A column of German region keys (a GENESIS / Regionalstatistik export's unnamed code
    column, or one headed AGS, Regionalschlüssel ...) gets each key's level from its length
    (``03`` land, ``031`` regierungsbezirk, ``03159`` kreis): such tables list a Land beside
    its Kreise, and without levels ``--region-level`` would label them all alike."""
    import polars as pl

    values = [v for v in long.get_column("_region").unique().to_list() if v and v != "DG"]
    # (keys under a heading that names no scheme, 'region', are AGS only with German evidence:
    # _nested_levels.  A US table of states 01-16 beside their counties was read as Länder
    # and Kreise)
    if not (_UNNAMED.match(plan.region) or _norm(corner_down(plan.region) or plan.region) in _AGS_HEADINGS):
        return long
    if not values or not all(v.isdigit() and len(v) in _AGS_LEVELS for v in values):
        return long
    level = pl.col("_region").str.len_chars().replace_strict(
        {k: v for k, v in _AGS_LEVELS.items()}, default=None, return_dtype=pl.String)
    level = pl.when(pl.col("_region").str.contains(r"^\d+$")).then(level)
    return _with_levels(long, level)


# CBS StatLine's region labels end in their level: "Noord-Nederland (LD)", "Groningen (PV)",
# "Oost-Groningen (CR)", "Groningen (GM)"; a table of all regions lists them together
_CBS_LEVEL = re.compile(r"\((LD|PV|CR|GM|WK|BU)\)$")
_CBS_LEVELS = {"LD": "landsdeel", "PV": "provincie", "CR": "corop", "GM": "gemeente", "WK": "wijk",
               "BU": "buurt"}


def _cbs_levels(long, plan):
    """A region column whose labels all end in CBS's level mark (but the total, "Nederland")
    gets each region's level from it: a province is never summed with its municipalities."""
    import polars as pl

    values = [v for v in long.get_column("_region").unique().to_list() if v]
    marked = [v for v in values if _CBS_LEVEL.search(v)]
    if not marked or any(not _CBS_LEVEL.search(v) and not is_region_total_name(v) for v in values):
        return long
    level = pl.col("_region").str.extract(_CBS_LEVEL.pattern, 1).replace_strict(
        _CBS_LEVELS, default=None, return_dtype=pl.String)
    return _with_levels(long, level)


# Statistics Poland's BDL names each unit with its level's word, but the województwa, whose
# names it writes in capitals: "MAKROREGION POŁUDNIOWY", "REGION MAŁOPOLSKIE", "MAŁOPOLSKIE",
# "Podregion krakowski", "Powiat krakowski", a gmina with its kind ("Bochnia (1)")
_BDL_LEVELS = [(re.compile(r"^makroregion\b", re.IGNORECASE), "makroregion"),
               (re.compile(r"^region\b", re.IGNORECASE), "region"),
               (re.compile(r"^podregion\b", re.IGNORECASE), "podregion"),
               (re.compile(r"^powiat\b", re.IGNORECASE), "powiat"),
               (re.compile(r"\S\s*\([1-5]\)$"), "gmina")]


_BDL_POLISH = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]|^(?:makroregion|podregion|powiat)\b", re.IGNORECASE)


def _bdl_level(name: str) -> str | None:
    for rx, level in _BDL_LEVELS:
        if rx.search(name):
            return level
    letters = [c for c in name if c.isalpha()]
    return "wojewodztwo" if letters and all(c.isupper() for c in letters) else None


def _bdl_levels(long, plan):
    """BDL's units of two levels or more in one table (the names of :data:`_BDL_LEVELS`): each
    its level, so a województwo is never summed with its macroregion or its powiaty.  Only where
    every name but the country's has one of those shapes and one has a level's word."""
    import polars as pl

    column = "_region_name" if long.get_column("_region_name").null_count() < long.height else "_region"
    names = [v for v in long.get_column(column).unique().to_list() if v and not is_region_total_name(v)]
    found = {v: _bdl_level(v) for v in names}
    if not names or None in found.values() or len(set(found.values())) < 2 \
            or set(found.values()) == {"wojewodztwo"}:
        return long
    # only a Polish table: BDL's twelve-digit unit codes, a Polish level word or letter.  The
    # Philippine Statistics Authority's NCR, CAR and BARMM beside "Region I" have the shapes
    # too (capitals, "Region ..."), and were split into two levels benchmarked apart
    codes_ = [v for v in long.get_column("_region").unique().to_list() if v]
    if not (any(_BDL_POLISH.search(v) for v in names)
            or (codes_ and all(re.fullmatch(r"\d{12}", str(v)) for v in codes_))):
        return long
    return _with_levels(long, pl.col(column).replace_strict(found, default=None, return_dtype=pl.String))


# PX-Web tables write each region's code before its name, its shape the region's type: SCB's
# and SSB's two-digit counties beside their four-digit municipalities ("01 Stockholm county",
# "0114 Upplands Väsby"), Statistics Finland's MK01 regions beside their KU091 municipalities
_PX_CODE = re.compile(r"^(MK|KU|SK|\d{2}|\d{4})\d*\s+\S")
_PX_LEVELS = {"MK": "maakunta", "SK": "seutukunta", "KU": "kunta"}


def _px_levels(long, plan):
    """Regions all labelled ``code name`` (but the total), their codes of two types or more:
    each type is a level (``county`` two digits, ``municipality`` four, Finland's prefixes),
    so a county is never summed with its municipalities."""
    import polars as pl

    every = [v for v in long.get_column("_region").unique().to_list() if v]
    values = [v for v in every if not is_region_total_name(v)]
    kinds = set()
    for v in values:
        m = _PX_CODE.match(v)
        if m is None:
            return long
        code = v.split()[0]
        kinds.add(m.group(1) if not code.isdigit() else f"d{len(code)}")
    if len(kinds) < 2 or not (kinds <= {"d2", "d4"} or kinds <= set(_PX_LEVELS)):
        return long
    code = pl.col("_region").str.extract(r"^(\S+)\s", 1)
    level = (pl.when(code.str.contains(r"^\d{2}$")).then(pl.lit("county"))
             .when(code.str.contains(r"^\d{4}$")).then(pl.lit("municipality"))
             .otherwise(code.str.extract(r"^([A-Z]{2})\d", 1).replace_strict(
                 _PX_LEVELS, default=None, return_dtype=pl.String)))
    # (the total, "00 Sweden", stays without a level: a total row, dropped or made the nation)
    level = pl.when(pl.col("_region").is_in(sorted(set(every) - set(values)))).then(None).otherwise(level)
    return _with_levels(long, level)


# a PX-Web region cell, the code and the name in one: SSB's "03 Oslo", "0301 Oslo", SCB's
# "0114 Upplands Väsby", Statistics Finland's "MK01 Uusimaa", "KU091 Helsinki", "SK011 Helsinki"
_PX_REGION_CELL = re.compile(r"^(\d{1,4}|MK\d{2}|SK\d{3}|KU\d{3}|SSS)\s+(\S.*)$")


def px_region_cells(long):
    """PX-Web's region cells ``03 Oslo`` split into the region's code (``03``) and its name,
    where the table gives no names of its own and every region cell has that shape, each code
    one name and each name one code.  (Whole, the cell was the region's key: the code never
    matched another table's, and the name was no name.)  Run after the totals are dropped or
    kept: they are told by the whole cell (``00 Sweden``, ``SSS KOKO MAA``)."""
    import polars as pl

    if "_region" not in long.columns or long.get_column("_region_name").null_count() < long.height:
        return long
    values = long.get_column("_region").drop_nulls().unique().to_list()
    pairs = [_PX_REGION_CELL.match(" ".join(v.split())) for v in values]
    if not values or not all(pairs):
        return long
    codes_ = [m.group(1) for m in pairs]
    names = [m.group(2) for m in pairs]
    if len(set(codes_)) < len(values) or len(set(names)) < len(values):
        return long  # a code of two names, or a name of two codes: the cell is the key
    cell = pl.col("_region").str.replace_all(r"\s+", " ").str.strip_chars()
    return long.with_columns(cell.str.extract(_PX_REGION_CELL.pattern, 1).alias("_region"),
                             cell.str.extract(_PX_REGION_CELL.pattern, 2).alias("_region_name"))


# Romania's INS (TEMPO) lists its macroregions (NUTS 1), development regions (NUTS 2) and
# counties (NUTS 3) in one column, "Macroregiuni, regiuni de dezvoltare si judete":
# "MACROREGIUNEA UNU", "Regiunea NORD-VEST", "Bihor"
_TEMPO_LEVEL = re.compile(r"^\s*(macroregiunea|regiunea)\s+\S", re.IGNORECASE)


def _tempo_levels(long, plan):  # noqa: ARG001 - the guesses' contract
    """TEMPO's macroregions, development regions and counties in one region column get their
    NUTS levels (``nuts1``, ``nuts2``, ``nuts3``), told by the words the INS names them with;
    unlevelled, lq's benchmark summed each county three times (itself, its region, its
    macroregion).  Only where a macroregion or region is named so."""
    import polars as pl

    column = "_region_name" if long.get_column("_region_name").null_count() < long.height else "_region"
    values = [v for v in long.get_column(column).unique().to_list() if v and not is_region_total_name(v)]
    if not any(_TEMPO_LEVEL.match(v) for v in values):
        return long
    word = pl.col(column).str.extract(r"(?i)^\s*(macroregiunea|regiunea)\s", 1).str.to_lowercase()
    level = (pl.when(word == "macroregiunea").then(pl.lit("nuts1"))
             .when(word == "regiunea").then(pl.lit("nuts2")).otherwise(pl.lit("nuts3")))
    total = pl.col(column).is_in([v for v in long.get_column(column).unique().to_list()
                                  if v and is_region_total_name(v)])
    return _with_levels(long, pl.when(total).then(None).otherwise(level))


def _qcew_area_levels(long, plan):
    """A column headed ``area_fips`` of QCEW area codes (a QCEW extract the QCEW adapter does
    not take: a cut without ``agglvl_code``, or ``--format generic``) gets each code's level
    from its shape, as the QCEW adapter does without an aggregation level: ``US000`` nation,
    ``CS482`` csa, ``C4162`` msa, ``49000`` state, ``49999`` unallocated (and ``49996``-``49998``:
    BLS's overseas, multicounty and out-of-state codes), ``49001`` county.
    Unlevelled, a state beside its counties was summed with them into every benchmark (Utah's
    2381: LQ 0.965 against a total of the state and two of its counties).

    Under a heading that says nothing of the codes (``region``, ``fips``, ``area``: a QCEW
    extract renamed, a database export) the codes are taken for FIPS codes only when they
    nest: a statewide ``49000`` beside a county of its state (``49035``).  Summed as regions
    of one level, the state counted its counties' jobs twice in every LQ of the table,
    silently.  (A German Kreis key ``02000``, Hamburg, has no other key of its Land.)"""
    import polars as pl

    from clusterid.io.readers.qcew import _AREA_SHAPE, NOT_PLACED_CODE

    values = [v for v in long.get_column("_region").unique().to_list() if v]
    if not values or not all(re.match(_AREA_SHAPE, v) for v in values):
        return long
    # a code of four digits lost its leading zero in a spreadsheet (01000 Alabama -> 1000), as
    # the QCEW adapter restores it: unpadded, Alabama's state row had no level either
    padded = {v: v.zfill(5) for v in values if re.fullmatch(r"\d{4}", v)}
    values = [padded.get(v, v) for v in values]
    if _norm(plan.region) != "area_fips":
        if not all(re.fullmatch(r"\d{5}|US[0-9A-Z]{3}|C[0-9]{4}|CS[0-9]{3}", v) for v in values):
            return long
        states = {v[:2] for v in values if v.endswith("000") and v[:2].isdigit()}
        if not any(v[:2] in states and v.isdigit() and not v.endswith("000") for v in values):
            return long
    if padded:
        long = long.with_columns(pl.col("_region").replace(padded))
    area = pl.col("_region")
    level = (pl.when(area == "US000").then(pl.lit("nation"))
             .when(area.str.starts_with("US")).then(pl.lit("national-subgroup"))
             .when(area.str.starts_with("CS")).then(pl.lit("csa"))
             .when(area.str.starts_with("C")).then(pl.lit("msa"))
             .when(area.str.contains(r"^\d{2}000$")).then(pl.lit("state"))
             .when(area.str.contains(NOT_PLACED_CODE)).then(pl.lit(schema.UNALLOCATED))
             .when(area.str.contains(r"^\d{5}$")).then(pl.lit("county")))
    long = _with_levels(long, level)
    # a C code is a metropolitan or a micropolitan area: QCEW's titles say which ('Price, UT
    # MicroSA'), which agglvl_code 80 says in QCEW's own files; as msa, a micro area passed
    # for a metro one
    micro = [n for n in long.get_column("_region_name").drop_nulls().unique().to_list()
             if cbsa_level(n) == "microsa"]
    if micro:
        long = long.with_columns(pl.when((pl.col("_region_level") == "msa").fill_null(False)
                                         & pl.col("_region_name").is_in(micro).fill_null(False))
                                 .then(pl.lit("microsa")).otherwise(pl.col("_region_level"))
                                 .alias("_region_level"))
    return long


def _fips_levels(long, plan):
    """A column headed as FIPS codes (``FIPS``, ``fips_code``, ``GEOID``) holding states' two
    digits beside counties' five (``49`` Utah, ``49001`` Beaver County, as Census and USDA
    tables write them) gets each code's level: ``state``, ``county`` (``xx000`` a state,
    ``xx999`` unallocated, as QCEW's).  Unlevelled, Utah was summed with its own counties into
    every benchmark.  (Statewide ``49000`` beside counties is :func:`_qcew_area_levels`'s.)"""
    import polars as pl

    if not {"fips", "geoid", "stcofips"} & set(_norm(plan.region).split("_")):
        return long
    values = [v for v in long.get_column("_region").unique().to_list() if v]
    if not values or not all(re.fullmatch(r"\d{1,2}|\d{4,5}", v) for v in values):
        return long
    # (a code that lost its leading zero in a spreadsheet, Alabama's 1 and 1001, gets it back)
    padded = {v: v.zfill(2 if len(v) < 3 else 5) for v in values if len(v) in (1, 4)}
    if padded:
        long = long.with_columns(pl.col("_region").replace(padded))
    code = pl.col("_region")
    level = (pl.when(code.str.len_chars() == 2).then(pl.lit("state"))
             .when(code.str.ends_with("000")).then(pl.lit("state"))
             .when(code.str.ends_with("999")).then(pl.lit(schema.UNALLOCATED))
             .otherwise(pl.lit("county")))
    return _with_levels(long, level)


def _kato_levels(long, plan):
    """A column of Kazakh KATO codes (9 digits) gets each code's level: ``000000000`` the
    republic (nation), ``110000000`` an oblast or a city of republican significance, then
    districts and settlements.  Unlevelled, the republic's row was a region beside its oblasts
    and every benchmark sum counted the country twice."""
    import polars as pl

    if not any(t in _norm(plan.region) for t in ("kato", "като")):
        return long
    values = [v for v in long.get_column("_region").unique().to_list() if v]
    if not values or not all(re.fullmatch(r"\d{9}", v) for v in values):
        return long
    return _with_levels(long, kato_level(pl.col("_region")))


def kato_level(code):
    """The level of a nine-digit KATO code (a polars expression): ``000000000`` the republic
    (``nation``), trailing zeros the higher units (``oblast`` ``110000000``, ``district``
    ``113200000``), else ``settlement``.  Shared by a KATO heading's codes and by nine-digit
    codes under a plain heading whose figures nest (:mod:`.region_nesting`)."""
    import polars as pl

    return (pl.when(code == "000000000").then(pl.lit("nation"))
            .when(code.str.ends_with("0000000")).then(pl.lit("oblast"))
            .when(code.str.ends_with("00000")).then(pl.lit("district"))
            .otherwise(pl.lit("settlement")))


def _average_months(long, temps, summed: bool = False):
    """``employment`` (month 1) and the other months' columns -> their mean, per row; their
    sum with ``summed`` (``--month annual``: the year's months are divided once by twelve,
    :func:`annual_from_quarters`)."""
    import polars as pl

    e = schema.EMPLOYMENT
    parts = [e, *temps]
    reported = pl.all_horizontal([pl.col(schema.status_col(m)) == schema.REPORTED for m in parts])
    worst = pl.coalesce([pl.when(pl.col(schema.status_col(m)) != schema.REPORTED)
                         .then(pl.col(schema.status_col(m))) for m in parts])
    if summed:  # added in month order, as the QCEW adapter adds month1..3 (_measures)
        mean = pl.col(parts[0])
        for m in parts[1:]:
            mean = mean + pl.col(m)
    else:
        mean = pl.sum_horizontal([pl.col(m) for m in parts]) / len(parts)
    long = long.with_columns(
        pl.when(reported).then(mean).otherwise(None).alias(e),
        pl.when(reported).then(pl.lit(schema.REPORTED)).otherwise(worst).alias(schema.status_col(e)),
        pl.coalesce([pl.col(schema.flag_col(m)) for m in parts]).alias(schema.flag_col(e)),
        pl.lit(None, pl.Float64).alias(schema.lower_col(e)),
        pl.lit(None, pl.Float64).alias(schema.upper_col(e)),
    )
    return long.drop([c for m in temps for c in schema.measure_columns(m)])



MONTHS_SUMMED = "_months_summed"  # a row's employment is its quarter's months summed: the column of its quarters
_QUARTER_PERIOD = r"^(\d{4})Q([1-4])$"


def _quarters_check(rows, problems_of_files: str) -> list:
    """The problems of taking ``rows`` (columns source, quarter column, period, region; one per
    distinct value) as the year's quarters, as the QCEW adapter says them
    (:func:`.qcew._check_full_years`): a period that is no quarter, a year not all of whose
    quarters are there, an area absent from a quarter of a year the others have whole."""
    import polars as pl

    no_quarter = rows.filter(pl.col("_year").is_null()).sort(SOURCE, schema.PERIOD)
    if no_quarter.height:
        source, column, period = no_quarter.select(SOURCE, MONTHS_SUMMED, schema.PERIOD).row(0)
        return [Problem(
            "an annual average is taken from quarters", path=source, column=column,
            expected="a year and quarter (2023Q2) on every row", found=period,
            hint="use --month average (each row's months averaged) or --month 1, 2 or 3")]
    column = rows.get_column(MONTHS_SUMMED).unique().sort().to_list()
    column = column[0] if len(column) == 1 else ", ".join(column)
    problems = []
    for (year,), part in rows.group_by(["_year"], maintain_order=True):
        quarters = sorted(part.get_column("_qtr").unique().to_list())
        if quarters != ["1", "2", "3", "4"]:
            problems.append(Problem(
                "an annual average needs all four quarters", path=problems_of_files, column=column,
                expected=f"quarters 1, 2, 3, 4 of {year}", found=", ".join(quarters),
                hint="add the missing quarters or use --month average"))
    if problems:
        return problems
    # a row absent from a quarter is a zero, but an area with no row at all in one is a
    # quarter not published, which as zeros would put its every annual average a quarter low
    short = (rows.filter(pl.col(schema.REGION).is_not_null())
             .group_by(schema.REGION, "_year").agg(pl.col("_qtr").unique().sort())
             .filter(pl.col("_qtr").list.len() < 4).sort("_year", schema.REGION))
    if short.height:
        area, year, quarters = short.row(0)
        more = f" (and {short.height - 1} more areas)" if short.height > 1 else ""
        return [Problem(
            "an annual average needs all four quarters of every area", path=problems_of_files,
            column=column, expected=f"quarters 1, 2, 3, 4 of {year} for area {area}",
            found=", ".join(quarters) + more,
            hint="add the area's missing quarters, leave the area out, or use --month average")]
    return []


def annual_from_quarters(frame, problems: list):
    """``--month annual`` over generic tables of a quarter's three months (BLS's high-level
    workbooks ``allhlcnYYQ.xlsx``; the rows marked :data:`MONTHS_SUMMED`, their employment the
    quarter's months summed): each year's quarters, from every file together, as one row of
    the year, as the QCEW adapter averages its quarterly files (:func:`.qcew._annual_from_quarters`).

    Employment is the year's months summed and divided once by twelve (a row absent from a
    quarter counts as zero, as BLS's annual averages count it), establishments the quarters'
    mean, wages and output the year's sum.  A quarter not reported makes the year's figure so:
    suppressed (no value) when any quarter is, else the first other status.  A quarter given
    twice (two copies of a file) is not summed twice: its n-th copy goes to the n-th annual
    row, duplicate keys that validation refuses.  A year without all four quarters, or an area
    absent from one of them, is refused as the QCEW adapter refuses it (``DataError``).
    ``problems``: the readers' problems so far; an annual row made from a row one of them names
    carries that row's file and line, so ``--on-error skip`` sets the year aside with it.
    """
    import polars as pl

    keys = list(schema.KEYS)
    marked = pl.col(MONTHS_SUMMED).is_not_null()
    whole_key = pl.all_horizontal(pl.col(k).is_not_null() for k in keys)
    quarter = pl.col(schema.PERIOD).str.extract(_QUARTER_PERIOD, 2)
    rest = frame.filter(~(marked & whole_key))
    rows = (frame.filter(marked & whole_key)
            .with_columns(_year=pl.col(schema.PERIOD).str.extract(_QUARTER_PERIOD, 1), _qtr=quarter))
    sources = rows.select(pl.col(SOURCE).unique()).collect().get_column(SOURCE).sort().to_list()
    if not sources:  # every such row without a key: said by the reader and validation
        return frame.drop(MONTHS_SUMMED)
    seen = rows.select(SOURCE, MONTHS_SUMMED, schema.PERIOD, schema.REGION, "_year", "_qtr").unique().collect()
    found = _quarters_check(seen, sources[0] if len(sources) == 1 else f"{len(sources)} files")
    if found:
        raise DataError(problems=found)
    names = frame.collect_schema().names()
    said = sorted({(p.path, p.line) for p in problems if p.path and p.line is not None})
    rows = rows.with_columns(_said=pl.struct(SOURCE, LINE).is_in(
        [{SOURCE: s, LINE: ln} for s, ln in said]) if said else pl.lit(False))
    # the n-th copy of a (key, quarter) goes to the n-th annual row
    rows = rows.with_columns(_copy=pl.int_range(pl.len()).over(keys)).with_columns(
        pl.col("_year").alias(schema.PERIOD))
    null = pl.lit(None, pl.Float64)
    aggs = [pl.col(c).first() for c in (schema.REGION_NAME, schema.REGION_LEVEL, schema.INDUSTRY_NAME,
                                       schema.CLASSIFICATION, schema.LEVEL, MONTHS_SUMMED) if c in names]
    # a row a reader's problem names stands for the year (its file and line)
    aggs += [pl.col(c).sort_by("_said", descending=True, maintain_order=True).first() for c in (LINE, SOURCE)]
    twelve = (pl.len() * 0 + 12).cast(pl.Float64)  # a column, as the QCEW adapter divides (exactly alike)
    for m in schema.measures_in(names):
        status = pl.col(schema.status_col(m))
        hidden = (status == schema.SUPPRESSED).any()
        other = status.filter(status != schema.REPORTED).first()
        value = pl.col(m)
        total = (value.sum() / twelve if m == schema.EMPLOYMENT else
                 value.sum() / 4.0 if m == schema.ESTABLISHMENTS else value.sum())
        aggs += [
            pl.when(hidden | value.is_null().any()).then(null).otherwise(total).alias(m),
            pl.when(hidden).then(pl.lit(schema.SUPPRESSED)).otherwise(other.fill_null(schema.REPORTED))
            .alias(schema.status_col(m)),
            null.alias(schema.lower_col(m)), null.alias(schema.upper_col(m)),
            pl.when(hidden).then(pl.col(schema.flag_col(m)).filter(status == schema.SUPPRESSED)
                                 .drop_nulls().first())
            .otherwise(pl.col(schema.flag_col(m)).drop_nulls().first()).alias(schema.flag_col(m))]
    annual = rows.group_by([*keys, "_copy"], maintain_order=True).agg(*aggs).select(names)
    return pl.concat([rest, annual], how="diagonal_relaxed").drop(MONTHS_SUMMED)


_UPPER_RANGE_FLAGS = sorted(k.upper() for k in _RANGE_FLAGS if k not in ("g", "h", "j"))
_CENSUS_EMP_FLAG_HEADINGS = ("emp_f", "empflag", "emp_flag", "emp_n_f", "emp_n")
# the value's own flag (CBP's empflag, the API's EMP_F), not its noise flag (EMP_N_F, EMP_N):
# there G, H and J are the size classes 1,000-2,499, 2,500-4,999 and 10,000-24,999 of a
# withheld cell, which CBP writes as 0 (or leaves empty)
_CENSUS_EMP_VALUE_FLAG_HEADINGS = ("emp_f", "empflag", "emp_flag")


# the columns only Statistics Canada's table CSV has (English and French)
_STATCAN_HEADINGS = {"dguid", "vector", "vecteur", "coordinate", "coordonnees"}


def _apply_flag_columns(long, plan, cls):
    """A flag column beside a value decides its status: withheld (D, S, N, x, c, ':' ...) ->
    missing and suppressed, also when the cell holds a published 0; a Census range letter
    (a-m, NAICS tables; A-M but G, H, J in a Census EMP_F) -> suppressed with the range as
    bounds; Eurostat's ``e`` (NACE tables) -> estimated; anything else (noise G/H/J, p, b ...)
    -> the value as published, flag kept."""
    import polars as pl

    details: dict = {"flags_seen": {}}
    for m, fc in plan.flags.items():
        f = pl.col("_flag_" + m).str.strip_chars()
        seen = sorted(v for v in long.get_column("_flag_" + m).str.strip_chars().unique().to_list() if v)
        withheld = f.is_in(sorted(_WITHHELD_FLAGS)).fill_null(False)
        if _norm(fc) in ("status", "statut") and any(_norm(h) in _STATCAN_HEADINGS for h in plan.ignored):
            # Statistics Canada's STATUS: A-E grade a published figure (C good, D acceptable),
            # F leaves the cell empty; only x, .. and ... withhold it
            withheld = withheld & ~f.is_in(["A", "B", "C", "D", "E"]).fill_null(False)
        elif _norm(fc) == "s" + _norm(plan.measures.get(m, "")):
            # the QWI's status flag (sEmp beside Emp; taken so in a QWI table only, plan.py):
            # 5, 11, -1, -2 withhold the value (a 0 with 5 is no zero); 1, 9, 10, 12 publish
            # it; the OK flag 1 is not kept as a flag
            withheld = f.is_in(list(_QWI_FLAGS_WITHHELD)).fill_null(False)
            f = pl.when(f == _QWI_FLAG_OK).then(None).otherwise(f)
        elif _norm(fc) == "obs_status":
            # SDMX's observation status (OECD, ABS, NOMIS): D definition differs, N not
            # significant, S strike beside a figure; confidentiality has a column of its own
            withheld = withheld & ~f.is_in(["D", "N", "S"]).fill_null(False)
            # NOMIS's "-" (no SDMX status: a dash is no code there) withholds too: its 0 was read
            # as a reported zero, where a dash stays missing (README: "Suppressed cells")
            withheld = withheld | f.is_in(["-", "--", "\u2013", "\u2014"]).fill_null(False)
        elif _norm(fc) == "obs_status_name":
            # NOMIS's status by its name alone: its 0 beside "These figures are suppressed ..."
            # was a reported zero
            withheld = f.str.contains(_WITHHELD_STATUS_NAME).fill_null(False)
        ranged = pl.lit(False)
        estimated = pl.lit(False)
        key = f  # the range letter's key in _RANGE_FLAGS
        if cls == schema.NAICS and m == schema.EMPLOYMENT:
            # (in a Census flag column in upper case too, as the CBP files' empflag writes them,
            # A 0-19 ... M 100,000+; G, H and J upper case are noise flags of a value; in
            # another source's flag column, E or B may say estimated or a break)
            census = _norm(fc) in _CENSUS_EMP_FLAG_HEADINGS
            ranged = f.is_in([*_RANGE_FLAGS, *(_UPPER_RANGE_FLAGS if census else [])]).fill_null(False)
            upper = _UPPER_RANGE_FLAGS
            if _norm(fc) in _CENSUS_EMP_VALUE_FLAG_HEADINGS:
                # G, H or J beside a 0 or an empty cell in the value's flag: a withheld cell's
                # size class (Salt Lake County's 31-33 at 900 establishments, EMP 0 EMP_F G,
                # was a reported 0); beside a published figure, its noise flag
                big = f.is_in(["G", "H", "J"]).fill_null(False) & (
                    pl.col(m).is_null() | (pl.col(m) == 0)).fill_null(True)
                ranged = ranged | big
                upper = [*_UPPER_RANGE_FLAGS, "G", "H", "J"]
                key = pl.when(f.is_in(upper) & (big | f.is_in(_UPPER_RANGE_FLAGS))).then(
                    f.str.to_lowercase()).otherwise(f)
            elif census:
                key = pl.when(f.is_in(upper)).then(f.str.to_lowercase()).otherwise(f)
            withheld = withheld & ~ranged
        elif cls == schema.NACE:
            estimated = (f == "e").fill_null(False)
        lo = key.replace_strict({k: v[0] for k, v in _RANGE_FLAGS.items()}, default=None, return_dtype=pl.Float64)
        hi = key.replace_strict({k: v[1] for k, v in _RANGE_FLAGS.items()}, default=None, return_dtype=pl.Float64)
        hidden = withheld | ranged
        long = long.with_columns(
            pl.when(hidden).then(None).otherwise(pl.col(m)).alias(m),
            pl.when(hidden).then(pl.lit(schema.SUPPRESSED))
            .when(estimated & (pl.col(schema.status_col(m)) == schema.REPORTED)).then(pl.lit(schema.ESTIMATED))
            .otherwise(pl.col(schema.status_col(m))).alias(schema.status_col(m)),
            pl.when(ranged).then(lo).otherwise(pl.col(schema.lower_col(m))).alias(schema.lower_col(m)),
            pl.when(ranged).then(hi).otherwise(pl.col(schema.upper_col(m))).alias(schema.upper_col(m)),
            pl.when(f.is_not_null() & (f != "")).then(f).otherwise(pl.col(schema.flag_col(m)))
            .alias(schema.flag_col(m)),
        )
        details["flags_seen"][fc] = seen
    return long, details


def _drop_not_applicable(long, plan, measures):
    """Rows whose every measure is empty and flagged ``z`` (Eurostat's "not applicable", the
    OBS_FLAG of its SDMX-CSV, JSON-stat and Data Browser downloads): no figure exists there, so
    the cell is neither withheld (suppressed: impute filled it, lq counted it as withheld) nor
    0 -- the row is no data, dropped; ``(frame, rows dropped)``.  A figure flagged ``z`` is
    published and kept; so is a row where another measure has a figure, its empty ``z`` cell
    no data of its measure: no value and no status (neither withheld nor reported), the flag
    ``z`` kept.  (It was suppressed: impute filled it, lq counted it as withheld.)"""
    import polars as pl

    from clusterid.io.readers.eurostat import NOT_APPLICABLE_FLAG

    flagged = [m for m in measures if m in plan.flags]
    if not flagged:
        return long, 0
    cell_na = {m: ((pl.col("_flag_" + m).str.strip_chars() == NOT_APPLICABLE_FLAG) & pl.col(m).is_null())
               .fill_null(False) for m in flagged}
    long, n = _no_data_cells(long, cell_na, measures)
    return long, n


def _no_data_cells(long, cell_na: dict, measures):
    """The cells ``cell_na`` marks (measure -> expression) made no data: a row where every
    measure is marked dropped, a marked cell beside another measure's figure left without a
    status (neither withheld nor reported).  ``(frame, rows dropped)``."""
    import polars as pl

    n = 0
    if len(cell_na) == len(measures):
        na = pl.all_horizontal(list(cell_na.values()))
        n = long.filter(na).height
        if n:
            long = long.filter(~na)
    long = long.with_columns(
        pl.when(na_m).then(pl.lit(None, pl.String)).otherwise(pl.col(schema.status_col(m))).alias(schema.status_col(m))
        for m, na_m in cell_na.items() if schema.status_col(m) in long.columns)
    return long, n


# IBGE SIDRA's ".." ("Não se aplica dado numérico"): no such figure can exist, as Eurostat's z
SIDRA_NOT_APPLICABLE = ".."
REASON_SIDRA_NOT_APPLICABLE = ("cells '..', not applicable (IBGE SIDRA: \"não se aplica dado numérico\"; "
                               "no figure there, not withheld, not 0)")


def _sidra_not_applicable(long, measures):
    """IBGE SIDRA's ``..`` ("não se aplica dado numérico": no figure can exist there), read by
    the numbers as a marker (missing, ``suppressed``, flag ``..``), made what SIDRA says: no
    data, as Eurostat's ``z`` (:func:`_drop_not_applicable`).  A row whose every measure is
    ``..`` is dropped; a ``..`` cell beside another measure's figure keeps no value and no
    status (neither withheld nor reported; impute never fills it), its flag ``..``.  (It was
    suppressed: impute filled it as withheld employment, lq counted it as withheld.)
    ``(frame, rows dropped, cells kept without data)``."""
    import polars as pl

    cell_na = {m: ((pl.col(schema.flag_col(m)).str.strip_chars() == SIDRA_NOT_APPLICABLE) & pl.col(m).is_null())
               .fill_null(False) for m in measures if schema.flag_col(m) in long.columns}
    if not cell_na:
        return long, 0, 0
    long, n = _no_data_cells(long, cell_na, measures)
    # (the marks read flags and values, which the statuses' change leaves as they were)
    kept = int(long.select(pl.sum_horizontal([c.cast(pl.Int64) for c in cell_na.values()]).sum()).item() or 0)
    return long, n, kept


def _census_unflagged_zeros(long, plan):
    """A Census CBP answer asked for without its flag columns (the API's
    ``get=NAME,NAICS2017,EMP,ESTAB,PAYANN``: no ``EMP_F``/``EMP_N``/``EMP_N_F``) writes a
    withheld employment or payroll as 0 beside the establishments it holds: that 0 is no data.
    Establishments with paid employees have a payroll, so ``PAYANN`` 0 at one or more
    establishments is withheld; ``EMP`` 0 there too, unless a payroll beside it says the
    establishments had employees in the year (none in the week of March 12: a true 0).  Those
    cells become missing and ``suppressed``; ``(frame, rows changed)``.  So too where a flag
    column is there but says nothing on the row (empty, or a number such as a noise range in
    EMP_N): a letter (D, S, the noise letters G, H, J) is the flag's word and kept."""
    import polars as pl

    heads = {m: _norm(h) for m, h in plan.measures.items()}
    if heads.get(schema.ESTABLISHMENTS) != "estab" or schema.ESTABLISHMENTS not in long.columns:
        return long, 0
    est = pl.col(schema.ESTABLISHMENTS).fill_null(0.0) > 0
    has_pay = schema.WAGES in long.columns and heads.get(schema.WAGES) == "payann"
    # (a payroll withheld beside it, null here, says nothing either)
    pay_zero = (pl.col(schema.WAGES).fill_null(0.0) == 0) if has_pay else pl.lit(True)
    fixed = {}
    for m, head, withheld in ((schema.EMPLOYMENT, "emp", pay_zero), (schema.WAGES, "payann", pl.lit(True))):
        if heads.get(m) != head or m not in long.columns:
            continue
        flag = (pl.col(schema.flag_col(m)).str.strip_chars() if schema.flag_col(m) in long.columns
                else pl.lit(None, pl.String))
        silent = (flag.is_null() | flag.str.contains(r"^\d*$")).fill_null(True)
        reported = (pl.col(schema.status_col(m)) == schema.REPORTED).fill_null(False)
        fixed[m] = est & (pl.col(m) == 0).fill_null(False) & withheld & silent & reported
    if not fixed:
        return long, 0
    n = long.select(pl.any_horizontal(*fixed.values()).sum()).item()
    if not n:
        return long, 0
    sup = pl.lit(schema.SUPPRESSED)
    long = long.with_columns(
        *(pl.when(c).then(None).otherwise(pl.col(m)).alias(m) for m, c in fixed.items()),
        *(pl.when(c).then(sup).otherwise(pl.col(schema.status_col(m))).alias(schema.status_col(m))
          for m, c in fixed.items()))
    return long, n


_CODE_LABEL = r"^([A-Za-z0-9_.+\-]+):\s*(\S.*)$"


def _code_label_cells(long, plan):
    """Eurostat SDMX-CSV "with labels" writes each dimension cell as ``code:label``
    (``AT11:Burgenland``, ``THS:Thousand``): a key column whose every cell is so is split, the
    code kept and the label used as the name where the table gives none."""
    import polars as pl

    if not any(_norm(h) == "obs_value" for h in plan.measures.values()):
        return long  # SDMX tables only: elsewhere "Kreis: Göttingen" is no code
    names = {"_region": "_region_name", "_industry": "_industry_name", "_unit": None}
    names.update({f"_breakdown_{i}": None for i in range(len(plan.breakdowns))})
    out = []
    for c, name in names.items():
        if c not in long.columns:
            continue
        values = long.get_column(c).drop_nulls()
        if values.len() == 0 or not values.str.contains(_CODE_LABEL).all():
            continue
        out.append(pl.col(c).str.extract(_CODE_LABEL, 1).alias(c))
        if name is not None:
            out.append(pl.coalesce(pl.col(name), pl.col(c).str.extract(_CODE_LABEL, 2)).alias(name))
    return long.with_columns(out) if out else long


_ANGLE_CODE = r"^(.*?\S)\s*<([^<>\s][^<>]*)>$"


def _angle_code_cells(long):
    """Statistik Austria's STATcube writes a code after its label in angle brackets
    (``Eisenstadt(Stadt) <101>``, ``Herstellung von Waren <C>``): a region or industry column
    whose every cell is so (totals such as "Insgesamt", "Österreich" aside) is split, the code
    kept and the label used as the name where the table gives none."""
    import polars as pl

    out = []
    for c, name in (("_region", "_region_name"), ("_industry", "_industry_name")):
        if c not in long.columns:
            continue
        values = long.get_column(c).drop_nulls().unique().str.strip_chars()  # (distinct: cheap)
        coded = values.str.contains(_ANGLE_CODE)
        if values.len() == 0 or not coded.any():
            continue
        rest = values.filter(~coded).unique().to_list()
        if not all(codes.is_total(v) or is_region_total_name(v) for v in rest):
            continue
        cell = pl.col(c).str.strip_chars()
        has = cell.str.contains(_ANGLE_CODE).fill_null(False)
        out.append(pl.when(has).then(cell.str.extract(_ANGLE_CODE, 2).str.strip_chars())
                   .otherwise(pl.col(c)).alias(c))
        if name in long.columns:
            out.append(pl.coalesce(pl.col(name), pl.when(has).then(cell.str.extract(_ANGLE_CODE, 1))).alias(name))
    return long.with_columns(out) if out else long


def _apply_conf_status(long, measures):
    """A confidentiality status other than F (free) or blank: every value of the row is
    withheld (a published 0 included), the status code kept as the flag when there is none."""
    import polars as pl

    conf = pl.col("_conf").str.strip_chars()
    hidden = (conf.is_not_null() & ~conf.str.to_uppercase().is_in(["", "F"])).fill_null(False)
    return long.with_columns(
        *[pl.when(hidden).then(None).otherwise(pl.col(m)).alias(m) for m in measures],
        *[pl.when(hidden).then(pl.lit(schema.SUPPRESSED)).otherwise(pl.col(schema.status_col(m)))
          .alias(schema.status_col(m)) for m in measures],
        *[pl.coalesce(pl.col(schema.flag_col(m)), pl.when(hidden).then(conf)).alias(schema.flag_col(m))
          for m in measures])


_NON_FINITE = re.compile(r"[-+]?(?:nan|inf|infinity)", re.IGNORECASE)


def _drop_label_row(long, measures, problems, table, dropped, measure_header=None, scaled=False,
                    applied=None, period_column=False):
    """The first row under the header when it is a second heading row (every measure cell is
    words, as in data.census.gov downloads: "Number of establishments"): dropped, counted.
    A spreadsheet error value ('#DIV/0!', '#VALUE!': letters too) is no word of a heading: it
    is said as "a spreadsheet error value", not "not a number", so its row is never dropped.
    Where its key cells are empty and every word is a unit (stat.gov.kz's "тыс. человек" under
    each year, "млн тенге" under the wages), each measure is scaled by its unit, as a title's
    unit scales the table, unless a unit was already applied (``scaled``: a title, heading or
    unit column).  ``measure_header``: measure -> its heading, to tell whose unit a word is.
    ``applied``: the multiple a title line gave the table ('(x 1,000)'), when it did: a units
    row naming the same multiple says it a second time (Statistics Canada's displayed LFS
    tables: "Persons in thousands" under a title "... (x 1,000)"), no second factor."""
    import polars as pl

    if long.height == 0 or not measures:
        return long, problems
    if table.details.get("format") in ("json", "json-stat"):
        # a JSON-stat dataset or a Census API answer has no heading row under its header: the
        # first observation with a text value ("abc", true) was dropped as one, exit 0
        return long, problems
    first = long.get_column(LINE).min()
    header_line = table.details.get("header_line")
    if header_line is None or first != header_line + 1:
        return long, problems
    row_problems = [p for p in problems if p.path == table.path and p.line == first
                    and p.message in ("not a number", UNIT_IN_CELL)]
    row = long.filter(pl.col(LINE) == first)
    cells = row.height * len(measures)  # every value cell of it
    scale = 1.0
    if 0 < len(row_problems) < cells:
        # Statistics Canada's units row ("", "Persons", "", ""): no key, the unit over the first
        # value column, the other cells empty.  Its empty key was refused on the row
        keyless = any(c in row.columns and row.get_column(c).fill_null("").str.strip_chars().eq("").all()
                      for c in ("_region", "_industry"))
        # no figure and no marker in any value cell: the words are the problems, the rest blank
        bare = sum(row.filter(pl.col(m).is_null() & pl.col(m + "_flag").fill_null("").eq("")).height
                   for m in measures if m in row.columns and m + "_flag" in row.columns)
        # each word a unit ("Persons", "Persons x 1,000"), all of one multiple: the table's unit
        said = {unit_factor(p.found or "") for p in row_problems}
        if keyless and bare == cells and len(said) == 1 and None not in said:
            cells, scale = len(row_problems), said.pop()
            if scaled and scale != 1.0:
                # the table was scaled already (a title's "(x 1,000)"): read as it stands, its
                # figures were a thousand times too large, silently
                if applied != scale:
                    problems = [p for p in problems if p not in row_problems] + [Problem(
                        "a units row under the header and the title (or a heading) give the "
                        "values a multiple each", path=table.path, line=int(first),
                        column=row_problems[0].column,
                        expected="one unit for the table's values, or the same multiple twice",
                        found=(f"title x {applied:,.0f}, row {row_problems[0].found!r}" if applied
                               else f"row {row_problems[0].found!r} beside a unit already read"),
                        hint="give the values in one unit (edit the title or the units row)")]
                    return long.filter(pl.col(LINE) != first), problems
                scale = 1.0  # the same thousands said twice: scaled once
    per_measure = {}  # measure -> (unit word, factor) of a units row in every value cell
    if row_problems and len(row_problems) == cells and not scaled and scale == 1.0 \
            and any(c in row.columns and row.get_column(c).fill_null("").str.strip_chars().eq("").all()
                    for c in ("_region", "_industry")):
        said = {(p.column, (p.found or "").strip()) for p in row_problems}
        factors = {unit_factor(w) for _c, w in said}
        if None not in factors and factors != {1.0}:
            heading_of = {h: m for m, h in (measure_header or {}).items()}
            whose = {c: (heading_of.get(c) or (next(iter(measures)) if len(measures) == 1 else None))
                     for c, _w in said}
            units = {}
            for c, w in said:
                units.setdefault(whose[c], set()).add((w, unit_factor(w)))
            if None in units or any(len({f for _w, f in u}) > 1 for u in units.values()):
                problems = [p for p in problems if p not in row_problems] + [Problem(
                    "a units row under the header gives one measure two units", path=table.path,
                    line=int(first), column=row_problems[0].column,
                    expected="one unit per measure (тыс. человек over every year's column)",
                    found=", ".join(sorted(repr(w) for _c, w in said)[:4]),
                    hint="give the values in one unit, or each measure's unit in its heading")]
                return long.filter(pl.col(LINE) != first), problems  # (its empty keys unsaid)
            per_measure = {m: min(u) for m, u in units.items()}
    # 'NaN', 'inf' or 'Infinity' in a value cell is a broken number, no heading's word: the
    # first data row of a table with one measure holding one was dropped as a heading row
    # (a unit of no letters, the ABS's "'000" and "$'000" under each measure, is a units row as
    # "тыс. человек" is: every cell of it a known unit, its keys empty)
    if len(row_problems) < cells or not all((re.search(r"[^\W\d_]{3,}", p.found or "") or per_measure)
                                            and not _NON_FINITE.fullmatch((p.found or "").strip())
                                            for p in row_problems):
        return long, problems
    # keys filled on the row, one a code of digits (49001, 54): a data row whose figures are
    # words ('abc', 'TRUE' from a workbook's boolean cell), no heading row: it was dropped as
    # one, "1 label row under the header", exit 0, its region's figures lost without an error.
    # (A units row leaves a key empty: Statistics Canada's "", "Persons" under a region the
    # title names.)
    # (the code must be the row's own: a key that takes a value per column is the headings
    # across, NAICS codes 311, 312 over the row of their names, a second heading row)
    keys = [row.get_column(c).fill_null("").str.strip_chars() for c in ("_region", "_industry")
            if c in row.columns]
    if keys and all(k.ne("").all() for k in keys) and any(
            k.n_unique() == 1 and k.str.contains(r"^\d[\d.\-]*$").any() for k in keys):
        return long, problems
    # a period column holding a year on the row ('R1,C10,2022,abc'): a heading row has its
    # heading's words there ('Jahr', 'Year'), so this is a data row with a broken figure
    # (dropped as a heading row, exit 0, its cell lost; now an error on its line)
    if period_column and "_period" in row.columns and row.get_column("_period").cast(
            pl.String).fill_null("").str.contains(r"^\s*(?:1[89]|2\d)\d\d\b").all():
        return long, problems
    dropped["label row under the header (a second heading row)"] = 1
    long = long.filter(pl.col(LINE) != first)
    if scale != 1.0:  # "Persons x 1,000" over the values: thousands, scaled to persons
        long = long.with_columns(round_scaled(pl.col(c) * scale).alias(c) for m in measures
                                 for c in (m, schema.lower_col(m), schema.upper_col(m)) if c in long.columns)
        dropped[f"label row under the header (a second heading row) giving the unit "
                f"{row_problems[0].found!r}: values scaled by {scale:,.0f}"] = 1
        del dropped["label row under the header (a second heading row)"]
    if per_measure:  # "тыс. человек" under every year: thousands, scaled to persons
        long = long.with_columns(round_scaled(pl.col(c) * f).alias(c) for m, (_w, f) in per_measure.items()
                                 for c in (m, schema.lower_col(m), schema.upper_col(m))
                                 if c in long.columns and f != 1.0)
        said = "; ".join(f"{m} {w!r}" + (f" x {f:,.0f}" if f != 1.0 else "")
                         for m, (w, f) in sorted(per_measure.items()))
        dropped[f"label row under the header giving the units ({said})"] = 1
        del dropped["label row under the header (a second heading row)"]
    return long, [p for p in problems if p not in row_problems]


# a title line naming the unit after a label: INE's "Unidades: Miles de personas" (read as no
# unit, its thousands as persons), "Units: Thousands", "Einheit: Tsd.", "Unité : milliers"
_TITLE_UNIT_LABEL = re.compile(r"^(?:unidad(?:es)?|unidade(?:s)?|units?|unit[ée]s?|einheit(?:en)?|"
                               r"единиц[аы]\s+измерения|enhet|yksikkö|jednostka|eenheid|"
                               # ISTAT's "Unità di misura: migliaia"
                               r"unità\s+di\s+misura)\s*:\s*",
                               re.IGNORECASE)


def title_unit(titles) -> tuple[str, float] | None:
    """The unit a title line above the header gives the whole table: ``(тысяч человек)``,
    ``..., тыс. человек``, ``(in thousands)`` -> (that text, its factor); None if none does."""
    for row in titles or []:
        cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
        text = " ".join(cells)
        if len(cells) > 1:
            # a CSV title "Employment, thousands" is two cells: its unit the last one
            text = ", ".join(cells)
        m = re.search(r"\(([^()]{1,40})\)\s*$", text) or re.search(r",\s*([^,]{1,30})$", text)
        unit = (m.group(1) if m else text if len(text) <= 30 else "").strip()
        found = _title_unit_text(unit)
        if found is None and (after := re.search(r":\s*([^:]{1,30})$", text)):
            # the unit after the title's last colon, as ONS heads its regional accounts:
            # "Table 1b: Gross value added ... at current basic prices: £ million"
            found = _title_unit_text(after.group(1).strip())
        if found is not None:
            return found
    return None


def _title_unit_text(unit: str) -> tuple[str, float] | None:
    """:func:`title_unit` of one candidate text: (the unit, its factor), or None when it names
    no unit known here."""
    unit = re.sub(r"^(?:in|в|en|em|w|v|u)\s+", "", _TITLE_UNIT_LABEL.sub("", unit), flags=re.IGNORECASE)
    if not unit:
        return None
    factor = unit_factor(unit)
    if factor is None:  # a Chinese, Japanese or Korean unit: '单位：万人', '단위: 천명'
        factor = cjk_headings.unit_factor(unit)
    if factor is None and (last := _UNIT_AFTER_IN.search(unit)):
        # "Angaben in 1.000", "Werte in Tsd.", "Mengenangabe in 1000": the bare multiple
        # after "in" (only a multiple: "in 1000 Betrieben" says no unit)
        unit, factor = last.group(1), 1e3
    if factor is None and len(unit) <= 30 and not _unit_then_a_name(unit):
        # (not a multiple's word before a name: "Million Dollar Highway" is a road)
        # money in millions with its currency, as a heading says it ("£ million", "EUR mn",
        # "Mio. EUR"), in lakh or crore, or in billions ("Mrd. EUR"): "(£ million)" under ONS's
        # title was read as pounds
        factor = (1e6 if heading_in_millions(unit)
                  else heading_indian_multiple(unit) or heading_other_multiple(unit))
    return (unit, factor) if factor is not None else None


# a line's last words "in 1.000", "in Tsd.", "en milliers": a thousand, after the words it ends
_UNIT_AFTER_IN = re.compile(r"\s(?:in|en)\s+(1[ .]?000|tsd\.?|tausend|milliers?)$", re.IGNORECASE)


def _bracketed_title_line(titles) -> str | None:
    """A title line that is one short text in brackets and nothing else, ``(хил. души)``, as
    offices write the unit under a table's title: that text when :func:`title_unit` did not
    know it as a unit, else None."""
    for row in titles or []:
        text = " ".join(str(c).strip() for c in row if c is not None and str(c).strip())
        # (words only: a date, "(Stand: 31.12.)", or a year is no unit)
        if re.fullmatch(r"\((?=[^()]*[^\W\d_])[^()\d:]{1,40}\)", text) and len(text.split()) <= 4:
            return text
    return None


REASON_OTHER_UNIT = "rows in another unit than the first of {} (the same figures counted otherwise)"


def _one_eurostat_unit(long, dropped, problems, path):
    """Eurostat's tables give the same cells in several units (nama_10r_2emhrw and nama_10_a64_e:
    THS_PER persons beside THS_HW hours worked): the rows of the first unit the Eurostat adapter
    prefers (THS_PER, PER, NR, THS_HW) are the table's, the same cells in the others are dropped
    and counted.  They were duplicate keys, and an hours row 'larger than the total' of persons."""
    import polars as pl

    from clusterid.io.readers.eurostat import PREFERRED

    order = [u.lower() for u in PREFERRED["unit"]]
    unit = pl.col("_unit").str.split(":").list.first().str.strip_chars().str.to_lowercase()
    present = set(long.select(unit.alias("u")).get_column("u").drop_nulls().unique().to_list())
    if len(present & set(order)) < 2:
        return long, problems
    keep = next(u for u in order if u in present)
    # only where the same cell is given in the preferred unit too (PER for Malta beside
    # THS_PER for Austria are one table's rows, each scaled by its unit)
    keys = [c for c in long.columns if c in ("_region", "_industry", "_period", "_ownership",
                                             "_region_name", "_industry_name")
            or c.startswith("_breakdown_")]
    kept = long.filter((unit == keep).fill_null(False)).select(keys).unique().with_columns(_kept_unit=pl.lit(True))
    long = long.join(kept, on=keys, how="left", maintain_order="left", nulls_equal=True)
    other = ((unit != keep) & pl.col("_kept_unit")).fill_null(False)
    long = long.with_columns(_other_unit=other).drop("_kept_unit")
    other = pl.col("_other_unit")
    n = long.filter(other).height
    why = REASON_OTHER_UNIT.format(", ".join(PREFERRED["unit"]))
    dropped[why] = dropped.get(why, 0) + n
    lines = set(long.filter(other).get_column(LINE).to_list())
    problems = [p for p in problems if not (p.path == path and p.line in lines)]
    return long.filter(~other).drop("_other_unit"), problems


# units that count persons, jobs or units (Statistics Canada's UOM "Persons", "Number", "Jobs")
_COUNT_UNIT = re.compile(r"^(?:persons?|people|jobs?|employees|number|units?)\b", re.IGNORECASE)
REASON_UNIT_MEASURE = "rows in {units}, not a unit of {measure} (another measure of the same cells: {how})"


def _units_of_another_measure(long, measure_header, dropped, problems, path):
    """A unit column holding two measures of the same cells (Statistics Canada's SEPH
    download of employment, UOM "Persons", with average weekly earnings, "Current dollars",
    under one VALUE column): the rows in a unit of the measure read are the table's, those in
    units of another measure (money beside persons or hours, persons beside money) are dropped
    and counted, naming the option that reads them.  Refused before, either way: employment
    as 'values in Current dollars are amounts of money', and --measure wages, which that
    advised, as 'rows that differ only in a column not read'.  Only where each dropped row's
    cell is in the kept unit too; otherwise the units are checked as before
    (:func:`~clusterid.io.readers.eurostat.check_unit_fits_measure`)."""
    import polars as pl

    from clusterid.io.readers.eurostat import HOURS_UNIT, MONEY_UNIT, PERSON_UNIT

    if len(measure_header) != 1:
        return long, problems
    measure = next(iter(measure_header))
    units = [u for u in long.get_column("_unit").unique().to_list() if u is not None and u.strip()]
    money = {u for u in units if MONEY_UNIT.search(u)}
    counts = {u for u in units if u not in money and (PERSON_UNIT.search(u.strip()) or HOURS_UNIT.search(u.strip())
                                                      or _COUNT_UNIT.search(u.strip()))}
    if measure in (schema.EMPLOYMENT, schema.ESTABLISHMENTS):
        other = money | {u for u in counts if HOURS_UNIT.search(u.strip())}
        how = "--measure wages or --measure output reads the amounts"
    elif measure in (schema.WAGES, schema.OUTPUT):
        other = counts
        how = "leave --measure out to read the persons as employment"
    else:
        return long, problems
    fits = set(units) - other
    if not other or not fits or (measure in (schema.WAGES, schema.OUTPUT) and not fits <= money):
        return long, problems
    keys = [c for c in long.columns if c in ("_region", "_industry", "_period", "_ownership",
                                             "_region_name", "_industry_name")
            or c.startswith("_breakdown_")]
    is_other = pl.col("_unit").is_in(sorted(other)).fill_null(False)
    kept = long.filter(~is_other).select(keys).unique().with_columns(_kept_cell=pl.lit(True))
    marked = long.join(kept, on=keys, how="left", maintain_order="left", nulls_equal=True)
    if marked.filter(is_other & pl.col("_kept_cell").is_null()).height:
        return long, problems  # a cell given only in the other unit: no second measure
    n = long.filter(is_other).height
    if "_indicator" in long.columns:
        # average weekly earnings: no total clusterid could read as wages, so not offered
        from clusterid.io.readers.generic_headings import is_average

        named = sorted(v for v in long.filter(is_other).get_column("_indicator").unique().drop_nulls().to_list()
                       if is_average(v))
        if named:
            how = f"{named[0][:60]!r} is an average, which clusterid does not read: its wages are totals"
    why = REASON_UNIT_MEASURE.format(units=", ".join(sorted(other)), measure=measure, how=how)
    dropped[why] = dropped.get(why, 0) + n
    lines = set(long.filter(is_other).get_column(LINE).to_list())
    problems = [p for p in problems if not (p.path == path and p.line in lines)]
    return long.filter(~is_other), problems


def _scale_units(long, plan, measure_header, path, problems, titles=None):
    """Scale measure values (and bounds) to units; shares and indexes are located errors."""
    import polars as pl

    details: dict = {}
    factor = pl.lit(1.0)

    if plan.unit:
        units = [u for u in long.get_column("_unit").unique().to_list() if u is not None]
        if len(measure_header) == 1:  # GVA in MIO_EUR read as employment: refused
            from clusterid.io.readers.eurostat import check_unit_fits_measure

            # (shares and rates are located problems below, line by line)
            check_unit_fits_measure(units, next(iter(measure_header)), path, ratios=False)
        factors = {u: unit_factor(u) for u in units}
        shares = sorted(u for u in units if _NOT_A_LEVEL.match(u.strip()))
        unknown = sorted(u for u, f in factors.items() if f is None and u not in shares)
        if shares:
            bad = long.filter(pl.col("_unit").is_in(shares)).select(LINE, "_unit").unique().sort(LINE)
            for line, unit in bad.head(20).iter_rows():
                problems.append(Problem(
                    "a share or index, not a level", path=path, line=line, column=plan.unit,
                    expected="counts or amounts (persons, THS_PER, EUR ...)", found=unit,
                    hint="keep only the rows with levels (e.g. filter the unit column)"))
        known = {u: f for u, f in factors.items() if f is not None}
        if len(set(known.values())) > 1 or any(f != 1.0 for f in known.values()):
            factor = pl.col("_unit").replace_strict(known, default=1.0, return_dtype=pl.Float64)
        details["units"] = {u: (f if f is not None else "unknown: values kept as read")
                            for u, f in sorted(factors.items())}
        if unknown:
            details["unknown_units"] = unknown
    scaled = {}
    for m, head in measure_header.items():
        # a unit column says it for every row; a heading that says thousands too (REAT's
        # emp1000 beside THS_PER) says the same thing, not a second factor
        if head and _norm(head) in _HEADING_FACTORS:
            scaled[m] = _HEADING_FACTORS[_norm(head)]
        elif head and not plan.unit and (_HEADING_THOUSANDS.search(_norm(head)) or _HEADING_MILES.search(head)):
            scaled[m] = 1e3
        elif head and not plan.unit and heading_in_millions(head):
            scaled[m] = 1e6
        elif head and not plan.unit and heading_indian_multiple(head):
            scaled[m] = heading_indian_multiple(head)
        elif head and not plan.unit and heading_other_multiple(head):
            scaled[m] = heading_other_multiple(head)
        elif head and not plan.unit and cjk_headings.heading_factor(head) not in (None, 1.0):
            # '就业人员（万人）' (ten thousand persons), '종사자수(천명)', '工资总额（万元）'
            scaled[m] = cjk_headings.heading_factor(head)
    if scaled:
        details["scaled_by_heading"] = {measure_header[m]: f for m, f in scaled.items()}
    unclear = [head for m, head in measure_header.items() if head and m not in scaled and _MIL_ALONE.search(head)]
    if unclear and not plan.unit:
        # "Employment (mil)": a thousand in Spanish and Portuguese, a million in English; read
        # as it stands, said (ingest warns), never scaled on a guess
        details["heading_unit_not_read"] = unclear[0]
    if "_unit_mult" in long.columns:
        # SDMX's UNIT_MULT (ABS, OECD: 3 or "3: Thousands"): each value times ten to that power.
        # Left unread, the ABS's employment in thousands came out a thousand times too small
        cell = pl.col("_unit_mult").fill_null("").str.strip_chars()
        power = cell.str.extract(r"^(-?\d{1,2})(?::.*)?$", 1).cast(pl.Int64, strict=False)
        bad = long.filter((cell != "") & power.is_null()).select(LINE, "_unit_mult").unique().sort(LINE)
        for line, value in bad.head(20).iter_rows():
            problems.append(Problem("not a unit multiplier", path=path, line=line,
                                    column=plan.unit_mult or "UNIT_MULT",
                                    expected="a power of ten such as 0, 3 or '3: Thousands'", found=value))
        powers = sorted({p for p in long.select(power.alias("p")).get_column("p").to_list() if p})
        if powers:
            mult = pl.lit(10.0).pow(power.fill_null(0))
            # a unit naming the multiple the multiplier gives says it a second time, no second
            # factor: Statistics Canada's LFS tables give UOM 'Persons in thousands' beside
            # SCALAR_FACTOR 'thousands', SCALAR_ID 3 (Alberta's 2670.0 employed, 2.67 million),
            # read as 2,670,000,000.  A unit and a multiplier naming different multiples
            # ('Persons in thousands' beside 6) leave the value's size unknown: refused
            said_twice = (factor > 1.0) & (mult > 1.0)
            clash = (long.filter(said_twice & (factor != mult)).select(LINE, "_unit", "_unit_mult")
                     .unique().sort(LINE) if "_unit" in long.columns else long.clear().select(LINE))
            for line, unit, value in clash.head(20).iter_rows():
                problems.append(Problem(
                    "the unit and the unit multiplier name different multiples", path=path, line=line,
                    column=plan.unit_mult or "UNIT_MULT",
                    expected=f"the multiple the unit {unit!r} names, or none (0)",
                    found=f"{value} beside {plan.unit or 'the unit'} {unit!r}"))
            factor = pl.when(said_twice).then(factor).otherwise(factor * mult)
            details["unit_multiplier"] = {str(p): 10.0 ** p for p in powers}
    said = None if plan.unit or scaled or "unit_multiplier" in details else title_unit(titles)
    if said is not None and said[1] != 1.0:
        # a yearbook sheet's "(тысяч человек)" under its title: every value in thousands
        factor = pl.lit(said[1])
        details["unit_from_title"] = {said[0]: said[1]}
    elif said is None and not (plan.unit or scaled or "unit_multiplier" in details) \
            and (unknown := _bracketed_title_line(titles)) is not None:
        # a line of a unit in a language no list here holds ('(хил. души)' was one): the
        # figures read as they stand, said (ingest warns), never scaled on a guess
        details["title_unit_not_read"] = unknown
    exprs = []
    for m in schema.MEASURES:
        if m not in long.columns:
            continue
        f = factor * scaled.get(m, 1.0)
        # rounded: 1.005 thousand is 1005 persons, not 1004.9999999999999
        exprs += [round_scaled(pl.col(c) * f).alias(c) for c in (m, schema.lower_col(m), schema.upper_col(m))]
    if plan.unit or scaled or "unit_from_title" in details or "unit_multiplier" in details:
        long = long.with_columns(exprs)
    return long, details


def round_scaled(value):
    """A value scaled to units, rounded off the binary noise of the product (1.005 thousand is
    1005 persons, not 1004.9999999999999) to as many decimals as a double holds beside its
    integer part: rounded to 6 decimals, a payroll of $7,986,121,055 thousand came out
    7986121055000.001 (polars rounds through value x 10^6, past 2^53 there)."""
    import polars as pl

    size = value.abs()
    return (pl.when(size < 1e9).then(value.round(6))
            .when(size < 1e12).then(value.round(3))
            .otherwise(value.round(0)))


def _sections_named_otherwise(long, column, path) -> list:
    """A problem for each NACE section letter whose name names another section, on the first
    line of the pair: the ABS's ANZSIC 2006 divisions are letters too, "E: Construction",
    "F: Wholesale Trade", and were read as NACE E (water supply) and F (construction)
    without a word, so every NACE grouping and cluster definition took them for others."""
    import polars as pl

    name = pl.coalesce(pl.col("_industry_name"), pl.col("_name_from_code"))
    pairs = (long.filter(pl.col(schema.INDUSTRY).str.contains(r"^[A-U]$").fill_null(False)
                         & name.is_not_null())
             .group_by(schema.INDUSTRY, name.alias("_n")).agg(pl.col(LINE).min()).sort(LINE))
    out = []
    for code, text, line in pairs.select(schema.INDUSTRY, "_n", LINE).iter_rows():
        said = codes.section_of_title(text)
        if said is not None and len(said) == 1 and said != code:
            out.append(Problem(
                "an industry code named as another NACE section", path=path, line=line, column=column,
                expected=f"NACE section {code} named as such", found=f"{code}: {text} (NACE {said})",
                hint="the codes are of another classification (ANZSIC's letters?): read them as "
                     "they are with --classification custom"))
    return out


# SDMX agencies whose industry codes are ANZSIC 2006's: letters like NACE's sections, with
# other meanings (E construction, F wholesale trade)
_ANZSIC_AGENCY = re.compile(r"^\s*(?:ABS|STATSNZ|SNZ)\s*[:@]", re.IGNORECASE)


# Mexico's SCIAN named in a heading or title ("Código SCIAN", "SCIAN 2018"); not Statistics
# Canada's French tables, whose "Système de classification des industries de l'Amérique du
# Nord (SCIAN)" is NAICS Canada
_SCIAN_NAMED = re.compile(r"\bSCIAN\b", re.IGNORECASE)
_SCIAN_FRENCH = re.compile(r"syst[eè]me|industries\s+de\s+l|canada", re.IGNORECASE)
# INEGI's SAIC labels: the level's word before the code ("Sector 31-33 Industrias
# manufactureras", "Subsector 311 Industria alimentaria", "Rama 3111", "Clase 311110")
_SCIAN_LABEL = re.compile(r"(?i)^\s*(?:sector|subsector|rama|subrama|clase)\s+\d{2}(?:-\d{2}|\d{0,4})\s+\S")
# SCIAN's own sectors: 43 wholesale and 46 retail trade (NAICS 42 and 44-45)
_SCIAN_SECTOR = re.compile(r"^(?:43|46)\d{0,4}$")


_SCIAN_LEVEL_HEADINGS = ("sector", "subsector", "rama", "subrama", "clase")


def scian_problem(long, plan, header, titles, path, cls, options) -> list:
    """A problem when the table is INEGI's SCIAN (Mexico) and its codes would be read as NAICS
    (``--classification auto``).  SCIAN 2018 looks like NAICS -- 2 to 6 digits, 31-33, 48-49 --
    but is not: its sectors 43 and 46 (wholesale, retail) are NAICS's 42 and 44-45, and many of
    its classes are Mexico's own (311110, 461110), so NAICS's titles and levels, and detect's
    USCMP cluster definitions, were applied to a table of another classification, or its 43s
    and 46s refused line by line.  Its SAIC labels ('Sector 31-33 ...', 'Subsector 311 ...')
    read as custom industries summed sectors with their own subsectors.  Said once, with what to do."""
    import polars as pl

    if (getattr(options, "classification", None) or "auto").lower() != "auto" or cls not in (schema.NAICS, schema.CUSTOM):
        return []
    texts = [plan.industry or "", *(h or "" for h in header), *(str(c) for row in titles or [] for c in row if c)]
    named = next((t for t in texts if _SCIAN_NAMED.search(t) and not _SCIAN_FRENCH.search(t)), None)
    if named is None:  # INEGI's open data: SCIAN's levels as columns (SECTOR ... RAMA, SUBRAMA, CLASE)
        # (beside another of its level headings: a lone "Rama" is Spanish for branch, INE
        # Chile's and DANE's industry column of labels, no SCIAN table)
        levels = [h for h in header if str(h or "").strip().lower() in _SCIAN_LEVEL_HEADINGS]
        named = next((h for h in levels if str(h).strip().lower() in ("rama", "subrama")), None) \
            if len(levels) >= 2 else None
    if named is None:  # a title naming INEGI's economic census
        named = next((t for t in texts if re.search(r"(?i)censos?\s+econ[oó]micos", t)), None)
    labelled = long.filter(pl.col("_industry").str.contains(_SCIAN_LABEL.pattern).fill_null(False)).head(1)
    own = long.filter(pl.col(schema.INDUSTRY).str.contains(_SCIAN_SECTOR.pattern).fill_null(False)).head(1) \
        if cls == schema.NAICS else long.head(0)
    if named is None and labelled.height == 0 and own.height == 0:
        return []
    hit = labelled if labelled.height else own if own.height else long.head(1)
    found = (f"heading {named!r}" if named is not None and not labelled.height and not own.height
             else repr(hit.get_column("_industry").item()) if hit.height else repr(named))
    return [Problem(
        "a SCIAN table (INEGI, Mexico): its codes are not NAICS", path=path,
        line=hit.get_column(LINE).item() if hit.height else None, column=plan.industry,
        expected="NAICS codes (a U.S. or Canadian table) to read as NAICS", found=found,
        hint="SCIAN's sectors 43 and 46 and many of its classes are not NAICS's, and clusterid has "
             "no SCIAN classification; keep the rows of one level (the sectors, or the 3-digit "
             "subsectors) and give --classification custom")]


# Brazil's CNAE 2.0 named (IBGE, RAIS: "CNAE 2.0 Classe", "CNAE 2.0 Subclasse"); not Spain's
# CNAE-2009 (INE), which is NACE Rev. 2 down to its classes
_CNAE_BR = re.compile(r"(?i)cnae[\s_-]*2(?:[._,]0)?(?!\d)|cnae.*\b(?:subclasse|classe|divis[aã]o|se[cç][aã]o)\b")


# ISIC named (UNIDO's INDSTAT "ISIC", "ISIC Rev. 4"; CIIU, CITI in Spanish and French), or a
# national version of it whose groups and classes are ISIC's, not NACE's (India's NIC 2008,
# "NIC 2008 (4-digit)" in MOSPI's Annual Survey of Industries)
_ISIC_NAMED = re.compile(r"(?i)(?<![a-z])(?:isic|ciiu|citi|nic)(?![a-z])")


def cnae_problem(long, plan, header, titles, path, cls, options) -> list:
    """A problem when a table of Brazil's CNAE 2.0 (IBGE, RAIS) or of ISIC (UNIDO's INDSTAT4)
    has codes below its divisions and they were read as NACE's (``--classification auto``).
    Their sections and divisions are NACE's (Rev. 2 for CNAE 2.0 and ISIC Rev. 4, Rev. 1.1 for
    ISIC Rev. 3), their groups and classes their own: CNAE's class ``01113`` (class 01.11 and
    its check digit 3) was read as the national subclass A01.11.3, a level too deep, its group
    85.1 (infant and primary education) as NACE's 85.1 (pre-primary education); ISIC's class
    1010 (meat, all of it) as a NACE class C10.10 that does not exist (NACE splits it in three)."""
    import polars as pl

    if (getattr(options, "classification", None) or "auto").lower() != "auto" \
            or cls not in (schema.NACE, schema.NACE_R11):
        return []
    texts = [plan.industry or "", *(str(c) for row in titles or [] for c in row if c)]
    cnae = next((t for t in texts if _CNAE_BR.search(t)), None)
    isic = next((t for t in texts if _ISIC_NAMED.search(t)), None)
    if cnae is None and isic is None:
        return []
    below = 3 if cls == schema.NACE else 4  # the first level under the divisions
    deep = long.filter((pl.col(schema.LEVEL) >= below).fill_null(False)).sort(LINE).head(1)
    if deep.height == 0:
        return []
    which = "CNAE 2.0" if cnae is not None else "ISIC"
    return [Problem(
        f"{which} groups or classes read as NACE's", path=path, line=deep.get_column(LINE).item(),
        column=plan.industry, expected=f"{which} sections or divisions (NACE's), or codes read as they are",
        found=repr(deep.get_column("_industry").item()),
        hint=("CNAE 2.0's groups, classes (with their check digit) and subclasses are Brazil's"
              if cnae is not None else "ISIC's groups and classes are its own")
        + ", not NACE's; keep the sections or divisions, or give --classification custom for the "
          "rows of one level")]


# ANZSIC named in the industry heading or a title (Stats NZ's business demography CSV,
# "anzsic06"; the ABS's "ANZSIC06 Division")
_ANZSIC_NAMED = re.compile(r"(?i)(?<![a-z])anzsic")


def anzsic_named_problem(long, plan, titles, path) -> list:
    """A problem when the industry heading or a title names ANZSIC and the codes were read as
    NACE's (``--classification auto``).  Stats NZ's business demography table
    (``anzsic06,Area,year,geo_count,ec_count``) writes ANZSIC 2006 as ``A``, ``A01``,
    ``A011``, ``C11``: read as NACE, C11 (food product manufacturing) became NACE's beverages
    and E (construction) water supply, without a word until a code NACE lacks (``E32``)."""
    import polars as pl

    texts = [plan.industry or "", *(str(c) for row in titles or [] for c in row if c)]
    named = next((t for t in texts if _ANZSIC_NAMED.search(t)), None)
    if named is None:
        return []
    # codes only: industries given by title ("Manufacturing", read as the NACE section it
    # names) are the same industries in either classification
    read = long.filter((pl.col(schema.LEVEL) > 0).fill_null(False))
    cells = [c for c in read.get_column("_industry").unique().drop_nulls().to_list() if not _is_label(c)]
    coded = read.filter(pl.col("_industry").is_in(cells)).sort(LINE).head(1)
    if not coded.height:
        return []
    return [Problem(
        "an ANZSIC table's industry codes read as NACE's", path=path,
        line=coded.get_column(LINE).item(), column=plan.industry,
        expected="NACE codes (a European table) to read as NACE",
        found=f"{coded.get_column('_industry').item()} (heading {named[:40]})",
        hint="ANZSIC 2006's letters and divisions are not NACE's (E Construction, C11 Food "
             "product manufacturing): read the codes as they are with --classification custom")]


def _anzsic_dataflow(df, ignored, header_map, path) -> list:
    """A problem when the table's SDMX dataflow is the ABS's or Stats NZ's (``DATAFLOW``
    ``ABS:LF_IND(1.0.0)``) and its industry letters were taken for NACE sections: their
    ANZSIC divisions E (construction) and F (wholesale trade) were read as NACE E (water) and
    F (construction) without a word, in the download with codes only."""
    import polars as pl

    for h in ignored:
        if _norm(h) not in ("dataflow", "structure_id"):
            continue
        c = header_map.get(h, h)
        hit = df.filter(pl.col(c).str.contains(_ANZSIC_AGENCY.pattern).fill_null(False)).head(1)
        if hit.height:
            return [Problem(
                "an ANZSIC table's industry letters read as NACE sections", path=path,
                line=hit.get_column(LINE).item(), column=h,
                expected="a dataflow whose industries are NACE's (Eurostat, a European office)",
                found=hit.get_column(c).item(),
                hint="ANZSIC 2006's divisions are letters with other meanings (E Construction, "
                     "F Wholesale Trade): read the codes as they are with --classification custom")]
    return []


def abs_dataflow(df, ignored, header_map) -> bool:
    """Whether the table is an SDMX-CSV of one of the ABS's dataflows (the Data Explorer's
    download: ``DATAFLOW`` ``ABS:AUSTRALIAN_INDUSTRY(1.0.0)``), whose ``TIME_PERIOD`` writes a
    financial year as ``2018-19``, as the ABS's data cubes do."""
    import polars as pl

    for h in ignored:
        if _norm(h) not in ("dataflow", "structure_id"):
            continue
        c = header_map.get(h, h)
        if c in df.columns and df.filter(
                pl.col(c).str.contains(r"^\s*ABS\s*[:@]").fill_null(False)).height:
            return True
    return False


def _is_label(text: str) -> bool:
    """Words rather than a (malformed) code: ``Kunst, Unterhaltung`` yes, ``31-3X`` no; words
    after a range of years (``2020 - 2021 Veränderung``, as ``Veränderung 2020 - 2021``) yes."""
    return bool(re.search(r"[^\W\d_]{4,}", text)) and (
        not re.match(r"^[A-Z]?\d", text) or codes.is_year_range(text))


# Census's code for all sectors in its API and data.census.gov tables (NAICS2017 = 00)
_NAICS_TOTALS = {"0", "00", "000000", "------", schema.ALL_INDUSTRIES}
# SUSB's "--" beside its NAICS sectors "11" ... "31-33" is all industries in SUSB only (found by
# its own headings); elsewhere a "--" is a dash where a code is missing, not the total
SUSB_TOTAL = "--"
SUSB_HEADINGS = {"ncsdscr", "entrsize", "entrsizedscr"}


# QCEW's domain and supersector codes: aggregates across NAICS sectors, not NAICS codes
_QCEW_DOMAINS = {"101", "102", "1011", "1012", "1013", *(f"102{i}" for i in range(1, 10))}
REASON_DOMAIN = "QCEW domain and supersector rows (101, 1011 ...; not NAICS codes)"
# headings of US sources (QCEW cuts, Census tables): their two-digit codes are NAICS
_US_HEADINGS = {"area_fips", "own_code", "agglvl_code", "disclosure_code", "fipstate", "fipscty",
                "naics", "naics_code", "naics2012", "naics2017", "naics2022", "geo_id"}


_SECTION_WORD = re.compile(r"^(?:раздел|section|abschnitt|бөлім|секция)\s+(?=[A-Ua-u]\b)",
                           re.IGNORECASE)


_EVERY_SECTION = frozenset("ABCDEFGHIJKLMNOPQR")  # A-R at least: S-U are tiny or not covered


def _section_span_totals(long):
    """A NACE span of every section named as the total (``A-R`` | ``A-R Insgesamt`` in REAT's
    Göttingen table, as the Bundesagentur publishes it) -> the all-industries row.  Read as a
    level-1 aggregate it stood beside the sections it spans, and every sum over sections kept it
    and left the sections out as its parts: a one-industry region, Krugman 0.0 against Germany
    where REAT publishes 0.4508469."""
    import polars as pl

    spans = [c for c in long.get_column(schema.INDUSTRY).unique().drop_nulls().to_list()
             if (codes.nace_sections(c) or frozenset()) >= _EVERY_SECTION]
    if not spans:
        return long
    names = long.get_column(schema.INDUSTRY_NAME).unique().drop_nulls().to_list()
    named_total = pl.col(schema.INDUSTRY_NAME).is_in([v for v in names if codes.is_total(v)]).fill_null(False)
    is_total = pl.col(schema.INDUSTRY).is_in(spans) & named_total
    return long.with_columns(
        pl.when(is_total).then(pl.lit(schema.ALL_INDUSTRIES)).otherwise(pl.col(schema.INDUSTRY))
        .alias(schema.INDUSTRY),
        pl.when(is_total).then(pl.lit(0)).otherwise(pl.col(schema.LEVEL))
        .cast(long.schema[schema.LEVEL]).alias(schema.LEVEL))


def _two_digit_total_or_food(long, values, options, us_hint: bool, path: str, plan):
    """``options`` with the classification settled where two-digit codes alone cannot settle
    it: every code a NAICS sector (11, 21, 42, 51 ...) but ``10``, which is NAICS' (QCEW's)
    all-industries code and NACE's division 10, food.  Read as NACE, a U.S. table by sector
    had no total, its sectors were NACE divisions (C11 beverages, F42 civil engineering) and
    every LQ was off; read as NAICS, a table of NACE divisions would lose its food industry
    into a total.  The name beside ``10`` says which ("Total, all industries" or a food
    heading); without one, --classification is asked for."""
    import dataclasses

    import polars as pl

    if (options.classification and options.classification != "auto") or us_hint:
        return options
    two = {str(v).strip() for v in values if v is not None and str(v).strip()}
    two = {v for v in two if not codes.is_total(v)}
    if "10" not in two or not all(re.fullmatch(r"\d{2}", v) for v in two) \
            or not all(v in codes.NAICS_SECTORS for v in two - {"10"}) or len(two) < 2:
        return options
    names = (long.filter(pl.col("_industry").str.strip_chars() == "10")
             .get_column("_industry_name").drop_nulls().unique().to_list())
    if names:
        total = all(codes.is_total(n) or re.search(r"\b(?:total|all)\b", n, re.IGNORECASE)
                    for n in names)
        return dataclasses.replace(options, classification="naics" if total else "nace")
    line = long.filter(pl.col("_industry").str.strip_chars() == "10").get_column(LINE).min()
    raise DataError(problems=[Problem(
        "cannot tell NAICS from NACE", path=path, line=line, column=plan.industry,
        expected="codes that settle the classification, or --classification",
        found="10 beside " + ", ".join(sorted(two - {"10"})[:6]),
        hint="every code is a NAICS sector except 10, which is NAICS' all-industries code and "
             "NACE's division 10 (food products): `clusterid ingest` it with --classification "
             "naics or nace (or add the industries' names)")])


_SECTION_CODE = re.compile(r"^[A-U](?:[-_+][A-U])*$")


def _ten_beside_sections(split) -> bool:
    """The industry cells are ``10`` and NACE sections or section aggregates alone, or ``10``
    beside the division C10 itself (then 10 cannot be C10 too)."""
    cells = [(code or "").strip().upper() for code, _name in split.values()]
    others = [c for c in cells if c != schema.ALL_INDUSTRIES and not codes.is_total(c)]
    if schema.ALL_INDUSTRIES not in cells or not others:
        return False
    return all(_SECTION_CODE.match(c) for c in others) or any(
        c != schema.ALL_INDUSTRIES and codes.normalize(c, schema.NACE) == "C10" for c in others)


def _nace_r11_options(options, cue: str | None, path: str):
    """``options`` for a table whose heading or title names NACE Rev. 1.1 (``cue``, see
    :func:`clusterid.core.codes.nace_r11_cue`): its codes are never read as NACE Rev. 2 (15 is
    food in Rev. 1.1, leather in Rev. 2; 41 water supply, not construction).  Read as
    classification NACE-R1.1 (``--classification custom`` keeps them as they are);
    ``--classification nace`` (or oked, wz) on such a table is refused."""
    import dataclasses

    if cue is None:
        return options
    given = (options.classification or "auto").lower()
    if given in ("nace", "oked", "wz"):
        raise UsageError(
            f"--classification {options.classification}: {path} is NACE Rev.1.1 (it says {cue!r}); "
            "Rev.1.1 and Rev.2 codes mean different industries (15 is food in Rev.1.1, leather in "
            "Rev.2; D is manufacturing, not energy), so its codes cannot be read as NACE Rev.2: "
            "leave --classification out, or give nace-r1.1 (or custom)")
    if given == "auto":
        return dataclasses.replace(options, classification="nace-r1.1")
    return options


# --classification values: NACE Rev. 1.1 under its names (Eurostat's nace_r1, WZ 2003)
_R11_OPTION = {"nace-r1.1", "nace_r1.1", "nace-r1", "nace_r1", "nace-rev1.1", "wz2003", "wz03"}


def _sections_by_title(split, options, cls, us_hint: bool) -> dict[str, str]:
    """raw industry cell -> NACE section (or B-E) when the column holds titles only and every
    one that is no total names one section, each a different one
    (:func:`clusterid.core.codes.section_of_title`); else {}.  Only for an uncoded column read
    with --classification auto, not beside US headings (NAICS sectors have titles of their
    own)."""
    if cls != schema.CUSTOM or us_hint or (options.classification or "auto").lower() != "auto":
        return {}
    titles = [v for v in split if not codes.is_total(v) and not codes.is_total(split[v][0])]
    found = {v: codes.section_of_title(v) for v in titles}
    if not found or any(c is None for c in found.values()) or len(set(found.values())) < len(found):
        return {}
    return found


# details key: the raw cells of a custom industry coded 10 (:func:`_industry_mapping`), which
# the reader refuses (:func:`clusterid.io.readers.generic.custom_ten_problem`)
CUSTOM_TEN = "\x00custom_industry_10"


def _ten_numbered(split) -> bool:
    """Whether a column's codes number its industries 9, 10, 11 ... (``09`` and ``11`` beside
    ``10``): 10 is one of them, not the all-industries total."""
    numbers = {int(c.strip()) for c, _ in split.values() if c and c.strip().isdigit() and len(c.strip()) <= 2}
    return {9, 10, 11} <= numbers


def _industry_mapping(values, options, us_hint: bool = False, ten_named: bool = False,
                      r11: str | None = None, insee_table: bool = False, susb: bool = False):
    """raw industry cell -> (code, name, classification); the column's classification.
    ``r11``: the text that says the codes are NACE Rev. 1.1 (:func:`_nace_r11_options`).
    ``susb``: the table is SUSB's (its headings), whose ``--`` is all industries."""
    split = {}
    insee_note = None
    for v in values:
        if v is None or v == "":
            continue
        # "РАЗДЕЛ C ОБРАБАТЫВАЮЩИЕ ПРОИЗВОДСТВА" (fedstat's OKVED2), "Section C ...": the code
        # after the word for section
        split[v] = codes.split_label(_SECTION_WORD.sub("", v.strip()))
    # Statistics Canada's displayed CSV: the footnote numbers after a total's name ("Total, all
    # industries 7") are after its other members' too ("Goods-producing sector 8"): no part
    # of the name (it was an industry "Goods-producing sector 8")
    footnoted = codes.footnoted_names(split)
    for v, bare in footnoted.items():
        split[v] = codes.split_label(bare)
    if options.classification and options.classification != "auto":
        cls = {"naics": schema.NAICS, "nace": schema.NACE, "custom": schema.CUSTOM,
               "oked": schema.NACE, "wz": schema.NACE,
               **dict.fromkeys(_R11_OPTION, schema.NACE_R11)}.get(options.classification.lower())
        if cls is None:
            raise UsageError(f"--classification {options.classification!r}: expected auto, naics, nace, "
                             "nace-r1.1 or custom")
    elif (insee := codes.insee_aggregation((c for c, _ in split.values()), insee_table)) is not None:
        # INSEE's aggregated levels (AZ, BE, GU ... ; A17's C1-C5, DE): sections and their
        # unions as NACE, A17's and A38's parts of sections as published
        cls, to_nace = insee
        split = {v: (to_nace.get(c.strip().upper(), c), n) for v, (c, n) in split.items()}
        if cls == schema.CUSTOM:
            insee_note = codes.INSEE_SPLIT_NOTE
    else:
        cls = codes.detect([c for c, _ in split.values()])
        if us_hint and cls in (schema.NACE, schema.CUSTOM) and all(
                re.match(r"^\d{2,6}$|^\d{2}-\d{2}$", c.strip()) for c, _ in split.values()):
            cls = schema.NAICS  # "10" beside area_fips is QCEW's all-industries code, not NACE C10
        if cls != schema.NAICS and any(codes.statcan_bracket_code(v) for v in split):
            # Statistics Canada writes NAICS codes in brackets after the names ("Wholesale trade
            # [41]", "Farm product merchant wholesalers [411]"): NAICS Canada's own sectors 41
            # and 91 alone made the column custom, and every parent was summed with its children
            cls = schema.NAICS
    # "10" beside NACE sections only (A, B-E, F ... -- a clusterid table cut down to its keys
    # and a measure, or written by hand after it): clusterid's all-industries code, not the
    # one division C10 (food) among sections; read as C10, the region total was lost and
    # every LQ was off.  ``ten_named``: the name column gives "10" a name that is no total
    ten_is_total = cls == schema.NACE and not ten_named and _ten_beside_sections(split)
    # (Brazil's CNAE 2.0 classes, 01.11-3, beside its sections and divisions: no ÖNACE
    # subclasses unless the column or --classification nace says so)
    as_written = codes.bare_dash_codes(c for c, _ in split.values()) \
        if cls == schema.NACE and (options.classification or "auto").lower() == "auto" else set()
    mapping = {}
    custom = []
    ten_industry = []
    titled = _sections_by_title(split, options, cls, us_hint)
    if titled:
        # a yearbook table listing the sections by their titles only (stat.gov.kz, Rosstat,
        # Destatis): read as their NACE codes, the title kept as the name.  Left as custom
        # industries named by themselves, "Промышленность" (B-E) was summed beside its four
        # sections and the hierarchy knew none of them
        for v, (code, name) in split.items():
            if v in titled:
                mapping[v] = (titled[v], v.strip(), schema.NACE)
            else:
                mapping[v] = (schema.ALL_INDUSTRIES, name or v, schema.NACE)
        return mapping, schema.NACE, {"sections_from_titles": dict(sorted(titled.items()))}
    # the codes the column gives (a title names a section by itself only where none codes it)
    coded_in_column = {norm for c, _n in split.values()
                       if codes.level(norm := codes.normalize(c, cls), cls) is not None} \
        if cls == schema.NACE else set()
    titled_in_column: dict[str, str] = {}
    for v, (code, name) in split.items():
        # (a code of no industry named as all of them: SSB's "00-99 Alle næringer")
        coded_total = name is not None and codes.is_total(name) \
            and codes.level(codes.normalize(code, cls), cls) is None
        if codes.is_total(v) or codes.is_total(code) or (cls == schema.NAICS and code in _NAICS_TOTALS) \
                or (susb and cls == schema.NAICS and code.strip() == SUSB_TOTAL) \
                or (ten_is_total and code.strip() == schema.ALL_INDUSTRIES and name is None) or coded_total:
            mapping[v] = (schema.ALL_INDUSTRIES, name or (None if v.strip().isdigit() else footnoted.get(v, v)), cls)
            continue
        norm = codes.normalize_r11(code) if r11 and cls == schema.CUSTOM else code.strip() \
            if code.strip().upper().replace(" ", "").replace("–", "-") in as_written else codes.normalize(code, cls)
        if cls == schema.NACE_R11 and name is None:
            name = codes.NACE_R11_TITLES.get(norm)  # sections and subsections
        if cls == schema.CUSTOM and norm == schema.ALL_INDUSTRIES and (
                (name is not None and not codes.is_total(name)) or ten_named or _ten_numbered(split)):
            # a custom industry numbered 10 (JSIC's and KSIC's division 10, beverages; a
            # national office's groups 1-18): clusterid's code for all industries, so its rows
            # were each region's total, silently, and every LQ's denominator was that industry
            ten_industry.append(v)
        if cls != schema.CUSTOM and codes.level(norm, cls) is None and ((name is None and _is_label(code)) or (
                cls == schema.NACE and name is not None and code.strip() == "00")
                or (cls == schema.NACE and code.strip().upper() == "US")
                or (cls == schema.NACE and re.fullmatch(r"00\.?00Z", code.strip().upper()))):
            # (SSB's "00 Uoppgitt", the unknown industry: NACE has no division 00; SCB's "US",
            # okänd verksamhet, with or without its name: no NACE code, no sections U and S;
            # SIRENE's APE 00.00Z, an establishment not yet classified, beside NAF subclasses)
            # a label with no code in a coded column ("Freiberufl. Dienstleistungen"): kept as a
            # custom industry named by itself, listed in the metadata -- unless it is the title
            # of a section or aggregate no other row of the column codes (REAT's Länder table:
            # "Baugewerbe (F)" ... beside "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL",
            # M-N, and two more A*10 groups by title alone: a third of the jobs was left out of
            # every level's sums)
            label = footnoted.get(v, v)
            titled_as = codes.section_of_title(label) if cls == schema.NACE and name is None else None
            if titled_as is not None and codes.level(titled_as, cls) is not None \
                    and titled_as not in coded_in_column and titled_as not in titled_in_column:
                mapping[v] = (titled_as, " ".join(label.split()), cls)
                titled_in_column[titled_as] = label
                continue
            mapping[v] = (label, label, schema.CUSTOM)
            custom.append(label)
        else:
            mapping[v] = (norm, name, cls)
    details = {"uncoded_industries": sorted(custom)} if custom else {}
    if titled_in_column:
        details["sections_from_titles"] = dict(sorted((t, c) for c, t in titled_in_column.items()))
    if ten_industry:
        details[CUSTOM_TEN] = sorted(ten_industry)
    if insee_note:
        details["industries_note"] = insee_note
    if r11:
        details.update({"nace_r11": r11, "classification_note": codes.NACE_R11_READ_NOTE
                        if cls == schema.NACE_R11 else codes.NACE_R11_NOTE})
    return mapping, cls, details
