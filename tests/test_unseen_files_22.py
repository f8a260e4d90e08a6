"""Agency files in layouts the other tests do not cover (session 22): each test names the real
source whose layout its made-up input is written in (headings, codes, title lines, markers),
reads it with ingest and lq as a user would, and checks the figures by hand."""

from __future__ import annotations

from conftest import csv_rows, ingest_text, lq_text, run_main

# The CSO's PxStat (data.cso.ie), table QLF18 "Persons aged 15 years and over in Employment" as
# its CSV download gives it: each classification a code column under its id and version
# (C02196V02652) left of its labels, "-" the code of the all-categories member (State, All NACE
# economic sectors, Both sexes), the quarter as TLIST(Q1) beside its label, UNIT Thousand, an
# empty VALUE for a figure not published.  Made-up figures (thousands of persons).
_CSO_HEAD = ('"STATISTIC","Statistic Label","TLIST(Q1)","Quarter","C02076V03371","Sex",'
             '"C02196V02652","Region","C02665V03225","NACE Rev 2 Economic Sector","UNIT","VALUE"')
_CSO_REGIONS = (("-", "State"), ("IE041", "Border"), ("IE061", "Dublin"), ("IE053", "South-West"))
_CSO_SECTORS = (("-", "All NACE economic sectors"), ("B-E", "Industry (B to E)"),
                ("F", "Construction (F)"), ("Q", "Human health and social work activities (Q)"))
_CSO_FIGURES = {  # region -> sector -> thousands (Both sexes)
    "-": {"-": "2710.1", "B-E": "330.2", "F": "166.3", "Q": "360.0"},
    "IE041": {"-": "192.4", "B-E": "30.1", "F": "14.8", "Q": "27.0"},
    "IE061": {"-": "794.0", "B-E": "60.0", "F": "", "Q": "95.5"},
    "IE053": {"-": "380.2", "B-E": "58.8", "F": "25.1", "Q": "50.3"},
}


def _cso_qlf18() -> str:
    rows = [_CSO_HEAD]
    for code, region in _CSO_REGIONS:
        for sector, label in _CSO_SECTORS:
            value = _CSO_FIGURES[code][sector]
            for sex_code, sex in (("-", "Both sexes"), ("1", "Male")):
                figure = value if sex_code == "-" or not value else f"{float(value) * 0.6:.1f}"
                rows.append(f'"QLF18C01","Persons aged 15 years and over in Employment","20234","2023Q4",'
                            f'"{sex_code}","{sex}","{code}","{region}","{sector}","{label}","Thousand",'
                            f'"{figure}"')
    return "\n".join(rows) + "\n"


def test_cso_pxstat_codes_beside_labels_and_dash_totals(tmp_path, capsys):
    """The CSO's PxStat CSV was read by its labels: the code columns, headed by the
    classifications' ids, were no columns, so 'State' was a region beside the regions it is the
    sum of (lq's benchmark counted every worker twice, Border's construction LQ came out 1.0)
    and 'All NACE economic sectors' an industry of no code, not the total.  The NUTS codes are
    now the regions (IE041, nuts3, its label the name; '-' the country, IE, nuts0) and the
    sector codes the industries ('-' all industries)."""
    code, err, rows = ingest_text(tmp_path, capsys, "QLF18.20231231T101010.csv", _cso_qlf18())
    assert code == 0, err
    got = {(r["region"], r["industry"]): r for r in rows}
    assert len(rows) == 16  # 4 regions x 4 sectors, Both sexes
    assert {(r["region"], r["region_name"], r["region_level"]) for r in rows} == {
        ("IE", "State", "nuts0"), ("IE041", "Border", "nuts3"), ("IE061", "Dublin", "nuts3"),
        ("IE053", "South-West", "nuts3")}
    assert float(got[("IE041", "10")]["employment"]) == 192400  # Thousand, scaled
    assert float(got[("IE", "10")]["employment"]) == 2710100
    assert got[("IE041", "B-E")]["classification"] == "NACE"
    assert got[("IE061", "F")]["employment_status"] == "suppressed"
    assert got[("IE061", "F")]["employment"] == ""
    assert {r["period"] for r in rows} == {"2023Q4"}
    assert "16 rows of one Sex category" in err
    # Border's construction: 14.8 of 192.4 against 39.9 of 1,366.6 thousand (the three regions,
    # the State apart at its own level)
    lq = lq_text(tmp_path, capsys, "QLF18.csv", _cso_qlf18())
    border = lq[("IE041", "F")]
    assert float(border["region_total"]) == 192400
    assert abs(float(border["lq"]) - (14.8 / 192.4) / (39.9 / 1366.6)) < 1e-4


def test_cso_pxstat_counties_stay_keyed_by_name_and_the_state_is_their_total(tmp_path, capsys):
    """PxStat's counties (codes of the CSO's own, not NUTS) stay keyed by their names, as the
    BRA08 test of session 20 reads them; the '-' row, 'State', was a county of its own beside
    the counties it is the sum of, and is now their region total."""
    head = ('"STATISTIC","Statistic Label","TLIST(A1)","Year","C03004V03625","County",'
            '"C02665V03225","NACE Rev 2 Economic Sector","UNIT","VALUE"\n')
    cells = (("-", "State", 52000), ("01", "Carlow", 3010), ("02", "Dublin", 41020), ("03", "Kildare", 7970))
    text = head + "".join(f'"BRA08C02","Persons Engaged","2020","2020","{c}","{n}","C",'
                          f'"Manufacturing (C)","Number",{v}\n' for c, n, v in cells)
    code, err, rows = ingest_text(tmp_path, capsys, "BRA08.csv", text)
    assert code == 0, err
    assert {r["region"]: float(r["employment"]) for r in rows} == {"Carlow": 3010, "Dublin": 41020,
                                                                   "Kildare": 7970}
    assert "1 region total rows" in err
