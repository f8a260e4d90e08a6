"""The USCMP definitions' titles as clusters.csv and the report show them (session 32): the
project's file spells the apostrophe of 315220 and 315240 as a replacement character's UTF-8
bytes read as Latin-1, and the Apparel cluster of a QCEW file without titles (the odd states'
county cut, Maine) read 'Men\u00ef\u00bf\u00bds and Boys\u00ef\u00bf\u00bd Cut and Sew ...'."""

from __future__ import annotations

import polars as pl
import pytest

from clusterid.io.definitions import load_uscmp


@pytest.mark.parametrize("vintage", ["2012", "2017"])
def test_uscmp_titles_have_their_apostrophes(vintage):
    members = load_uscmp(vintage).members
    names = dict(zip(members["industry"].to_list(), members["industry_name"].to_list()))
    assert names["315220"] == "Men's and Boys' Cut and Sew Apparel Manufacturing"
    assert names["315240"] == "Women's, Girls', and Infants' Cut and Sew Apparel Manufacturing"
    assert not any("\ufffd" in n or "\u00ef\u00bf\u00bd" in n
                   for n in members["industry_name"].drop_nulls().to_list())
