"""Which language a table's industry titles are in, for naming clusters (session 32): short
all-ASCII German titles ('Bergbau', 'Handel', 'Verkehr und Lagerei'), holding no umlaut and no
German function word the rule knew, were taken for English, and their clusters named by
keywords ('Handel, Bergbau') instead of by their central title."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from clusterid.core import grouping

DATA = Path(__file__).resolve().parent.parent / "src" / "clusterid" / "data"


def test_short_ascii_german_titles_are_not_english():
    assert not grouping.in_english(["Bergbau", "Handel", "Verkehr und Lagerei"])
    assert not grouping.in_english(["Baugewerbe", "Gastgewerbe", "Landwirtschaft", "Handel"])
    assert not grouping.in_english(["Maschinenbau", "Fahrzeugbau", "Chemische Industrie"])


def test_english_titles_and_a_tables_own_names_stay_english():
    assert grouping.in_english(["Tourism", "Fishing", "Agriculture"])
    assert grouping.in_english(["Chemicals", "Pharmaceuticals", "Shipbuilding", "Logistics"])
    assert grouping.in_english(["Mining", "Wholesale trade", "Transportation and warehousing"])
    assert grouping.in_english(["Food processing", "Oil and gas", "Creative industries"])


def test_title_words_are_those_of_the_bundled_english_titles():
    """_TITLE_WORDS: every ASCII word of three letters or more in at least two bundled titles."""
    word = re.compile(r"[^\W\d_](?:[^\W\d_]|-)+")
    count: dict = {}
    for name in ("naics_2012_titles.csv", "nace_r2_titles.csv"):
        for title in pl.read_csv(DATA / name, infer_schema=False)["title"].to_list():
            for w in set(word.findall(title.lower())):
                count[w] = count.get(w, 0) + 1
    want = {w for w, n in count.items() if n >= 2 and len(w) >= 3 and w.isascii()}
    assert grouping._TITLE_WORDS == want
