"""Reviews of this session's encoding heuristics: the Spanish/Portuguese reading of a short
8-bit table (ea85417) must not take Central European tables with it."""

from __future__ import annotations

from clusterid.io.readers.text import _decode


def test_a_romanian_cp1250_table_stays_cp1250():
    """INS Romania's tables name places such as 'Găeşti' (ă before e): the check for 'São'
    misread as 'Săo' took the file for Spanish or Portuguese and read it in cp1252,
    'Gãeºti', 'Brãila', 'Iaºi'.  Its ş (and Polish ł, ś, Czech ř ...) say it is cp1250."""
    text = ("Judet,Anul,Numar salariati\nGăeşti,2020,1200\nBrăila,2020,3000\nIaşi,2020,5000\n"
            "Târgu Mureş,2020,4000\n")
    got, encoding = _decode(text.encode("cp1250"))
    assert encoding == "cp1250" and got == text


def test_a_portuguese_table_with_an_ordinal_is_still_latin_1():
    """'Nº' read in cp1250 is 'Nş': an ordinal, not Romanian; São Paulo is still São Paulo."""
    text = "UF;Ano;Nº de vínculos\nSão Paulo;2021;100\nMaranhão;2021;50\n"
    got, encoding = _decode(text.encode("latin-1"))
    assert encoding == "cp1252" and got == text
