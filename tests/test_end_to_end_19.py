"""The whole chain (detect, report, stats, lq, indices, run) on raw agency files as a user
runs it, each test on one layout the field publishes (named in its docstring)."""

from __future__ import annotations

from conftest import run_main

ESTAT_HEAD = "DATAFLOW,LAST UPDATE,freq,unit,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"


def _estat(rows):
    """Eurostat's SDMX-CSV download (nama_10r_3empers), one line per (industry, region)."""
    return ESTAT_HEAD + "".join(
        f"ESTAT:NAMA_10R_3EMPERS(1.0),21/03/24 23:00:00,A,THS,{nace},{geo},2019,{value},\n"
        for nace, geo, value in rows)


def test_detect_on_two_regions_says_what_would_run(tmp_path, capsys):
    """Eurostat SDMX-CSV of two NUTS 2 regions (Burgenland, Niederösterreich) by section.

    Co-location needs three regions.  The refusal advised '--signals io,hierarchy', which then
    failed for want of --io, and 'another --region-level' where the file has no other level."""
    src = tmp_path / "nama_10r_3empers.csv"
    src.write_text(_estat([("C", "AT11", 20.1), ("F", "AT11", 12.3), ("G", "AT11", 30.2),
                           ("C", "AT12", 150.4), ("F", "AT12", 70.0), ("G", "AT12", 110.9)]),
                   encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d")], capsys)
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert "co-location needs at least 3 regions, the nuts2 regions of the input are 2" in line
    assert "--region-level" not in line
    assert "--signals io,hierarchy --io FILE" in line and "--definitions FILE" in line
    assert not (tmp_path / "d").exists()


def test_detect_on_two_regions_names_the_level_that_has_three(tmp_path, capsys):
    """Eurostat SDMX-CSV holding two NUTS 1 regions and their four NUTS 2 regions, the user
    asking for NUTS 1: the refusal names the level that has enough regions."""
    rows = []
    for n1, kids in {"AT1": ["AT11", "AT12"], "AT2": ["AT21", "AT22"]}.items():
        for nace, base in (("C", 40.0), ("F", 20.0), ("G", 30.0)):
            parts = [base + 3 * i + (7 if nace == "C" and k.endswith("2") else 0)
                     for i, k in enumerate(kids)]
            rows += [(nace, k, v) for k, v in zip(kids, parts)]
            rows.append((nace, n1, sum(parts)))
    src = tmp_path / "nama_10r_3empers.csv"
    src.write_text(_estat(rows), encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "--region-level", "nuts1",
                             "-o", str(tmp_path / "d")], capsys)
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert "the nuts1 regions of the input are 2" in line
    assert "--region-level nuts2 (4 regions)" in line


LAENDER = ["Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
           "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz",
           "Saarland", "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen"]
SECTIONS = [("A", "Land- und Forstwirtschaft, Fischerei"),
            ("B-E", "Produzierendes Gewerbe ohne Baugewerbe"), ("F", "Baugewerbe"),
            ("G-I", "Handel, Verkehr und Gastgewerbe"), ("J", "Information und Kommunikation"),
            ("K", "Finanz- und Versicherungsdienstleister"),
            ("L", "Grundstücks- und Wohnungswesen"), ("M-N", "Unternehmensdienstleister"),
            ("O-Q", "Öffentliche und sonstige Dienstleister, Erziehung und Gesundheit"),
            ("R-U", "Sonstige Dienstleister")]


def de_laender_table() -> str:
    def dotted(v):
        return f"{v:,}".replace(",", ".")
    lines = ["Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Wirtschaftsabschnitten",
             "Stichtag 30.06.", "", "Land;WZ 2008;Wirtschaftszweig;2019;2020"]
    for i, land in enumerate(LAENDER):
        cells = {code: ((i * 7919 + j * 104729) % 1_900_000 + 5000,
                        (i * 6421 + j * 99991) % 1_900_000 + 5000)
                 for j, (code, _) in enumerate(SECTIONS)}
        lines.append(f"{land};;Insgesamt;{dotted(sum(a for a, _ in cells.values()))};"
                     f"{dotted(sum(b for _, b in cells.values()))}")
        lines += [f"{land};{code};{title};{dotted(cells[code][0])};{dotted(cells[code][1])}"
                  for code, title in SECTIONS]
    return "\n".join(lines + ["", "Quelle: Bundesagentur für Arbeit",
                              ". = Zahlenwert unbekannt oder geheim zu halten", ""])


def test_german_laender_table_in_cp1252_keeps_its_umlauts(tmp_path, capsys):
    """A Länder table by WZ 2008 section as Excel on a German Windows saves it (cp1252, ';',
    dot thousands, title lines, notes under it).

    charset_normalizer took it for DOS cp850: stats, lq and detect named the regions
    'Baden-W³rttemberg' and 'Th³ringen', exit 0."""
    src = tmp_path / "beschaeftigte_laender.csv"
    src.write_bytes(de_laender_table().encode("cp1252"))
    code, out, err = run_main(["stats", str(src)], capsys)
    assert code == 0, err
    regions = {line.split(",")[1] for line in out.splitlines()[1:]}
    assert regions == set(LAENDER)


def test_cluster_upper_bound_never_above_the_region_total(tmp_path, capsys):
    """BEA's CAEMP25N for Utah's counties, 2015-2016 (the Regional Data download: one line per
    county and industry line, '(D)' where withheld, the county's total employment on line 10).

    A cluster's employment_upper summed its suppressed members' upper bounds, each bounded
    alone by the county's remainder: Daggett County (776 jobs) had a cluster of at most 2,070
    jobs, and lq_max was taken from that impossible figure."""
    import csv

    from conftest import TEST_DATA

    out = tmp_path / "det"
    code, _, err = run_main(["detect", str(TEST_DATA / "bea" / "CAEMP25N_UT_2015_2016.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    with open(out / "regional_clusters.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    over = [(r["period"], r["region"], r["cluster_id"], r["employment_upper"],
             r["region_employment"]) for r in rows
            if r["employment_upper"] and float(r["employment_upper"]) > float(r["region_employment"])]
    assert over == []
    daggett = [r for r in rows if r["region"] == "49009" and r["period"] == "2015"]
    for r in daggett:
        assert float(r["employment_lower"]) <= float(r["employment_upper"]) <= 776


NOMIS_DURHAM = '''\
"Business Register and Employment Survey : open access"
"ONS Crown Copyright Reserved [from Nomis on 29 November 2026]"
"date","2022"
"measure","Count"
"employment status","Employment"

"Industry","Hartlepool","Middlesbrough","County Durham","Herefordshire, County of"
"10 : Manufacture of food products","1,250","600","3,500","4,000"
"20 : Manufacture of chemicals and chemical products","700","1,500","400","150"
"49 : Land transport and transport via pipelines","400","900","2,250","1,000"
"86 : Human health activities","3,000","5,000","12,000","6,000"

"* Employment includes employees plus the number of working owners."
"Figures may not sum due to rounding"
'''


def test_nomis_areas_across_named_county(tmp_path, capsys):
    """NOMIS's BRES download with the areas across, two of them local authorities whose names
    hold 'County' ('County Durham', 'Herefordshire, County of', as NOMIS writes them).

    The word made that area a region column: stats, lq and detect refused the file with 'no
    measure column recognised ... --measure-col', an option that cannot read it."""
    src = tmp_path / "bres_divisions_by_la.csv"
    src.write_text(NOMIS_DURHAM, encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    from conftest import csv_rows

    got = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    assert {r for r, _ in got} == {"Hartlepool", "Middlesbrough", "County Durham",
                                   "Herefordshire, County of"}
    assert float(got[("County Durham", "H49")]["value"]) == 2250
    # County Durham's land transport: 2,250 of 18,150 against 4,550 of 42,650
    assert abs(float(got[("County Durham", "H49")]["lq"])
               - (2250 / 18150) / (4550 / 42650)) < 1e-5


def _detect_with_an_empty_year(tmp_path, capsys):
    """detect on the Länder table (cp1252, ';') with a 2021 column headed and left empty:
    ``(output folder, stderr)``."""
    text = de_laender_table().replace(";2019;2020\n", ";2019;2020;2021\n")
    lines = [line + ";" if line.count(";") == 4 and line[:1].isupper() and "Land;" not in line
             else line for line in text.split("\n")]
    src = tmp_path / "beschaeftigte_laender.csv"
    src.write_bytes("\n".join(lines).encode("cp1252"))
    det = tmp_path / "det"
    code, _, err = run_main(["detect", str(src), "-o", str(det)], capsys)
    assert code == 0, err
    return det, err


def test_report_shows_the_last_period_with_data_not_an_empty_one(tmp_path, capsys):
    """The Länder table by WZ 2008 section (cp1252, ';', dot thousands) with a column for
    2021 headed but not yet filled, as a yearbook table is before the year is published.

    detect read the empty year as 176 suppressed cells, and report showed that year alone:
    'member cells suppressed 100%', every cluster 'suppressed', no strong cluster anywhere.
    The report now shows the last period that holds a value, and names the empty one."""
    det, err = _detect_with_an_empty_year(tmp_path, capsys)
    for name in ("r.md", "r.html"):
        code, _, err = run_main(["report", str(det), "-o", str(tmp_path / name)], capsys)
        assert code == 0, err
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert ("Period 2020 (the last with a value; no value in 2021); cells are region x cluster."
            in md)
    assert "| suppressed |" not in md
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Period 2020 (the last with a value; no value in 2021);" in html


def _cbp_counties() -> str:
    """Census CBP's county file (cbp16co.txt layout): six Utah counties, the all-sector line,
    seven sectors, and manufacturing alone broken into two subsectors (311, 332)."""
    head = ('"fipstate","fipscty","naics","empflag","emp_nf","emp","qp1_nf","qp1","ap_nf","ap",'
            '"est","n1_4","n5_9","n10_19","n20_49","n50_99","n100_249","n250_499","n500_999",'
            '"n1000","n1000_1","n1000_2","n1000_3","n1000_4","censtate","cencty"')
    sectors = ["11----", "21----", "23----", "31----", "42----", "44----", "72----"]
    rows = [head]
    for k, cty in enumerate(["001", "003", "005", "007", "009", "011"]):
        emp = {s: ((k + 2) * (j + 3) * 97) % 3000 + 20 for j, s in enumerate(sectors)}

        def line(naics, n):
            return (f'"49","{cty}","{naics}","","G",{n},"G",{n * 10},"G",{n * 45},{max(1, n // 20)},'
                    f'1,0,0,0,0,0,0,0,0,0,0,0,0,"87","{cty}"')
        rows.append(line("------", sum(emp.values()) + 100))
        for s in sectors:
            rows.append(line(s, emp[s]))
            if s == "31----":
                rows += [line("311///", emp[s] // 3), line("332///", emp[s] // 3)]
    return "\n".join(rows) + "\n"


def test_detect_does_not_group_two_lone_subsectors(tmp_path, capsys):
    """CBP's county file with every sector and only manufacturing broken into two subsectors
    (the layout of a county excerpt cut to sectors plus the subsectors of interest).

    detect grouped the deepest level, the two subsectors (15% of the jobs), into two
    clusters of one industry each, which its own note called 'an artefact of the scaling,
    not a finding'; the report showed those two.  With two industries or fewer at the deepest
    level and most of the economy above it, the level that covers the economy is grouped."""
    import csv

    src = tmp_path / "cbp16co.txt"
    src.write_text(_cbp_counties(), encoding="utf-8")
    out = tmp_path / "det"
    code, _, err = run_main(["detect", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    with open(out / "clusters.csv", encoding="utf-8") as fh:
        members = {r["industry"] for r in csv.DictReader(fh)}
    assert members == {"11", "21", "23", "31-33", "42", "44-45", "72"}
    assert "has only 2 industries (311, 332)" in err and "grouping level 2" in err
    assert "artefact" not in err
    assert "groups those" in err


def test_one_industry_refusal_does_not_offer_naics_definitions_for_nace(tmp_path, capsys):
    """Eurostat SDMX-CSV of one NACE section (C) for five NUTS 2 regions.

    detect refused it, rightly, but advised '--definitions uscmp|FILE': the USCMP
    definitions are NAICS, and with them detect refused the NACE codes in turn."""
    src = tmp_path / "nama_10r_3empers.csv"
    src.write_text(_estat([("C", f"DE1{i}", 100.0 + 7 * i) for i in range(1, 6)]),
                   encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d")], capsys)
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert "only 1 industry at level 1 in the nuts2 regions (C)" in line
    assert "--definitions FILE" in line and "uscmp" not in line


def test_detect_leaves_out_a_period_without_any_value(tmp_path, capsys):
    """The Länder table of the report test above, its 2021 column headed and empty.

    detect's own summaries were of that empty year: cluster_summary.csv said every cluster's
    employment 'suppressed', strong in no region, and growth and lq_change were empty.  The
    period is left out, said on stderr."""
    import csv

    det, err = _detect_with_an_empty_year(tmp_path, capsys)
    assert "period 2021 holds no employment value" in err
    with open(det / "cluster_summary.csv", encoding="utf-8") as fh:
        summary = list(csv.DictReader(fh))
    assert all(r["employment_status"] == "reported" for r in summary)
    assert sum(int(r["n_strong"]) for r in summary) > 0
    with open(det / "regional_clusters.csv", encoding="utf-8") as fh:
        assert {r["period"] for r in csv.DictReader(fh)} == {"2019", "2020"}


def test_a_provisional_year_heading_written_out_is_its_year(tmp_path, capsys):
    """A wide Länder table (';', dot thousands) whose last year is headed as provisional in
    words, as offices write it: '2022 (vorläufig)', ONS's '2022 (provisional)'.

    'p', '(p)', '*' after the year were read, the word refused every command with 'column
    heading among the period columns is not a period'."""
    for heading in ("2022 (vorläufig)", "2022 (provisional)", "2022 (preliminary)"):
        src = tmp_path / "laender_wide.csv"
        src.write_text(f"Land;WZ 2008;2020;2021;{heading}\n"
                       "Bayern;C;1.300.000;1.310.000;1.320.000\nBayern;F;300.000;310.000;320.000\n"
                       "Berlin;C;100.000;101.000;102.000\nBerlin;F;90.000;91.000;92.000\n",
                       encoding="utf-8")
        code, out, err = run_main(["stats", str(src)], capsys)
        assert code == 0, (heading, err)
        from conftest import csv_rows

        rows = {(r["period"], r["region"]): r for r in csv_rows(out)}
        assert set(rows) == {(y, r) for y in ("2020", "2021", "2022") for r in ("Bayern", "Berlin")}
        assert float(rows[("2022", "Berlin")]["detail_reported"]) == 194000
