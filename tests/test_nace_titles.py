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
