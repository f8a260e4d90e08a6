"""One map from NACE Rev. 2 section titles to codes (clusterid.core.codes), for both its users.

The generic reader's Eurostat Data Browser sheets (labels only) read a section's whole English
label as its code (``codes.nace_code_of_label``); tables of titles alone (stat.gov.kz,
Rosstat, Destatis, Eurostat) read a title as the section it names (``codes.section_of_title``).
They were two maps, one in each reader, that could drift apart: "Wholesale and retail trade;
transport; accommodation and food service activities" was G-I in one and nothing in the other.

``src/clusterid/data/nace_r2_titles.csv``: the bundled official English titles;
``data/titles/nace_r2_sections_oked_okved2.csv``: the 21 section titles of Kazakhstan's OKED
(ГК РК 03-2019, as stat.gov.kz's tables print them, Russian and Kazakh) and Russia's OKVED2
(ОК 029-2014, Rosstat), transcribed by hand from the published classifications.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from clusterid.core import codes
from conftest import TEST_DATA

BUNDLED = Path(codes.__file__).resolve().parent.parent / "data" / "nace_r2_titles.csv"
OFFICES = TEST_DATA / "titles" / "nace_r2_sections_oked_okved2.csv"


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


SECTIONS = [(r["code"], r["title"]) for r in _rows(BUNDLED) if len(r["code"]) == 1]
DIVISIONS = [(r["code"], r["title"]) for r in _rows(BUNDLED) if re.fullmatch(r"[A-U]\d\d", r["code"])]
# the aggregates of sections the bundled titles hold (Eurostat's A*10: B-E, G-I, M_N, O-Q, R-U)
AGGREGATES = [(r["code"], r["title"]) for r in _rows(BUNDLED)
              if re.fullmatch(r"[A-U][-_][A-U]", r["code"])]
OFFICE_TITLES = [(r["code"], lang, r[lang]) for r in _rows(OFFICES)
                 for lang in ("oked_ru", "oked_kk", "okved2_ru")]


def test_the_bundled_titles_hold_the_21_sections():
    assert [c for c, _ in SECTIONS] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert len(DIVISIONS) == 88 and len(AGGREGATES) == 5
    assert len(OFFICE_TITLES) == 3 * 21


@pytest.mark.parametrize("code, title", SECTIONS)
def test_every_english_section_title_reads_as_its_section(code, title):
    assert codes.nace_code_of_label(title) == code
    assert codes.section_of_title(title) == code
    # as spreadsheets and portals write them: other case, blanks doubled, a trailing period
    assert codes.nace_code_of_label("  " + title.upper().replace(" ", "  ")) == code
    assert codes.section_of_title(title + ".") == code


def test_the_whole_labels_are_the_bundled_section_titles():
    # one list of the official English titles: the map's sections are the data file's
    labels = {t: c for t, c in codes.NACE_LABELS.items() if len(c) == 1}
    assert labels == {t.lower(): c for c, t in SECTIONS}


@pytest.mark.parametrize("code, lang, title", OFFICE_TITLES)
def test_every_oked_and_okved2_section_title_reads_as_its_section(code, lang, title):
    assert codes.section_of_title(title) == code, lang
    # a Russian or Kazakh title is no English label: a Data Browser sheet never reads it
    assert codes.nace_code_of_label(title) is None


@pytest.mark.parametrize("title, code", [
    ("Industry (except construction)", "B-E"),
    ("Wholesale and retail trade, transport, accommodation and food service activities", "G-I"),
    ("Wholesale and retail trade; transport; accommodation and food service activities", "G-I"),
])
def test_eurostat_aggregate_labels_read_the_same_in_both(title, code):
    assert codes.nace_code_of_label(title) == code
    assert codes.section_of_title(title) == code


@pytest.mark.parametrize("code, title", AGGREGATES)
def test_every_bundled_aggregate_title_reads_as_its_sections(code, title):
    # (M_N as the generic reader writes a span, M-N; it reads Eurostat's M_N as the same)
    assert codes.section_of_title(title) == code.replace("_", "-")


def test_the_total_is_a_label_and_no_section():
    assert codes.nace_code_of_label("Total - all NACE activities") == "TOTAL"
    assert codes.section_of_title("Total - all NACE activities") is None
    assert codes.is_total("Total - all NACE activities")


@pytest.mark.parametrize("code, title", DIVISIONS)
def test_a_division_title_is_no_section_label(code, title):
    # a Data Browser sheet's division label stays a label (its words name a section: the
    # patterns of section_of_title, for titles alone, are not applied to it); a division that
    # is its section whole, under the section's title (P85 Education), reads as the section
    section = dict(SECTIONS)[code[0]]
    assert codes.nace_code_of_label(title) == (code[0] if title == section else None)


def _true_section(code):
    """The section a bundled code belongs to: a section or aggregate is itself (Eurostat's M_N
    as M-N), a division or a span of divisions (C10-C12, Q87_Q88) its letter's section."""
    if re.fullmatch(r"[A-U](?:[-_][A-U])?", code):
        return code.replace("_", "-")
    return code[0]


def test_no_bundled_title_reads_as_another_section():
    # every title of the bundled file (sections, divisions, Eurostat's aggregates and spans of
    # divisions): its own section, or none where its words do not tell one; Q87_Q88 "Residential
    # care activities and social work activities without accommodation" and Q88 were I
    wrong = {}
    for row in _rows(BUNDLED):
        found = codes.section_of_title(row["title"])
        if found is not None and found != _true_section(row["code"]):
            wrong[row["code"]] = (row["title"], found)
    assert wrong == {}
    assert codes.section_of_title("Social work activities without accommodation") == "Q"
    assert codes.section_of_title("Residential care activities and social work activities "
                                  "without accommodation") == "Q"


# NACE Rev. 2 group and class titles (Eurostat, "NACE Rev. 2 - Statistical classification of
# economic activities in the European Community", 2008) whose words name another section's
# activity: the goods made, sold, rented or repaired, or the activities regulated.  Each read
# as that other section (shown after the #); now its own, or none when its words cannot tell
TITLES_BELOW_DIVISIONS = [
    ("35.2", "Manufacture of gas; distribution of gaseous fuels through mains", "D"),  # C
    ("35.21", "Manufacture of gas", "D"),  # C
    ("33.17", "Repair and maintenance of other transport equipment", None),  # H
    ("42.22", "Construction of utility projects for electricity and telecommunications",
     None),  # D
    ("46.11", "Agents involved in the sale of agricultural raw materials, live animals, textile "
              "raw materials and semi-finished goods", None),  # A
    ("47.4", "Retail sale of information and communication equipment in specialised stores",
     None),  # J
    ("77.31", "Renting and leasing of agricultural machinery and equipment", None),  # A
    ("77.34", "Renting and leasing of water transport equipment", None),  # H
    ("77.35", "Renting and leasing of air transport equipment", None),  # H
    ("84.12", "Regulation of the activities of providing health care, education, cultural "
              "services and other social services, excluding social security", None),  # Q
    ("88.1", "Social work activities without accommodation for the elderly and disabled",
     "Q"),  # I
    ("88.9", "Other social work activities without accommodation", "Q"),  # I
    ("88.99", "Other social work activities without accommodation n.e.c.", "Q"),  # I
    # and titles whose words stay their own section's
    ("20.11", "Manufacture of industrial gases", "C"),
    ("30", "Manufacture of other transport equipment", "C"),
    ("35.22", "Distribution of gaseous fuels through mains", "D"),
    ("55.1", "Hotels and similar accommodation", "I"),
    ("87.3", "Residential care activities for the elderly and disabled", "Q"),
]


@pytest.mark.parametrize("code, title, section", TITLES_BELOW_DIVISIONS)
def test_a_title_below_the_divisions_reads_as_its_own_section_or_none(code, title, section):
    assert section in (None, codes.NACE_DIVISION_SECTION[code[:2]])
    assert codes.section_of_title(title) == section


def _eurostat_labels():
    """(code, label) of every nace_r2 category labelled in the Eurostat files of tests/data:
    JSON-stat's category labels, SDMX-CSV's ``code: label`` and ``code:label`` cells."""
    found = set()
    for path in sorted(TEST_DATA.rglob("*.json")):
        try:  # (some are damaged on purpose: the JSON-stat reader's refusals)
            dimension = json.loads(path.read_text(encoding="utf-8")).get("dimension") or {}
        except (ValueError, AttributeError):
            continue
        if isinstance(dimension, dict) and "nace_r2" in dimension:
            found |= set(dimension["nace_r2"]["category"].get("label", {}).items())
    for path in sorted(TEST_DATA.rglob("*.csv")):
        try:
            rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        except UnicodeDecodeError:  # the national offices' cp1251 and Latin-1 tables: no nace_r2
            continue
        header = rows[0] if rows else []
        columns = [i for i, h in enumerate(header) if h.lower().startswith("nace_r2")]
        for row in rows[1:]:
            for i in columns:
                code, colon, label = row[i].partition(":") if i < len(row) else ("", "", "")
                if colon:
                    found.add((code.strip(), label.strip()))
    return sorted(found)


EUROSTAT_LABELS = _eurostat_labels()


def test_no_eurostat_label_in_the_test_data_reads_as_another_section():
    # the labels Eurostat's files carry (sections, aggregates such as G-J, divisions and their
    # spans, the total): the code's own section or aggregate, or none (the total: none)
    labels = dict(EUROSTAT_LABELS)
    assert labels["G-J"] == "Wholesale and retail trade; transport; accommodation; information"
    assert labels["C10-C12"] == "Manufacture of food products; beverages and tobacco products"
    wrong = {}
    for code, label in EUROSTAT_LABELS:
        found = codes.section_of_title(label)
        if found is not None and (code == "TOTAL" or found != _true_section(code)):
            wrong[code] = (label, found)
    assert wrong == {}


@pytest.mark.parametrize("code, lang, title", OFFICE_TITLES)
def test_a_section_title_cut_at_excels_31_characters_reads_as_its_section(code, lang, title):
    """A workbook naming its sheets by section title keeps 31 characters of each (Excel's
    limit): the cut names its section as the whole title does, the Russian ones through the
    list of whole titles (codes.RU_SECTION_TITLES, which holds this file's), the rest, and
    the Kazakh, through section_of_title's patterns."""
    from clusterid.io.readers.generic_blocks import _section_of_sheet, _sheet_industry

    if lang != "oked_kk":
        assert title in codes.RU_SECTION_TITLES[code]
    cut = title[:codes.SHEET_NAME_MAX]
    assert _section_of_sheet(cut) == code
    if lang != "oked_kk" and len(title) > codes.SHEET_NAME_MAX:
        assert codes.section_of_title(_sheet_industry(cut)) == code
