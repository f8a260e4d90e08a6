"""Files in layouts and shapes earlier hunts did not cover (session 31): each test names the
real source whose layout its made-up input follows (tests/data/hunt31/README.md) and checks what
clusterid read against the file, or that the file is refused in one located line."""

from __future__ import annotations

from pathlib import Path

from conftest import cell_values as _cells, csv_rows, ingest_stdout, run_main

DATA = Path(__file__).parent / "data" / "hunt31"


def _read(capsys, name: str, *options: str):
    return ingest_stdout(capsys, DATA / name, *options)


# ---- the ABS's time series spreadsheets (Data1: descriptions over Unit ... Series ID rows)

def test_abs_time_series_sheet_is_read_by_its_series_descriptions(capsys):
    """An ABS time series workbook (6291.0.55.001 Table 05, sheet Data1) was refused: its
    series descriptions, read as a wide table's headings, were 'columns that could each be the
    industry' -- the message named no ABS layout and no way to read it.  Now each description's
    parts are the state, the industry and the measure, the dates the quarters they fall in,
    `000` thousands; a series not yet begun has no row, an empty cell within a series' span is
    missing (never 0), the seasonally adjusted series is named as not read, `Australia` is the
    states' total.  The Index sheet's catalogue of the series holds figures too: it was read
    as the table ('no region column recognised'); the Data1 sheet after it is."""
    code, rows, err = _read(capsys, "abs_6291_table05_data1.xlsx")
    assert code == 0, err
    assert _cells(rows) == {
        ("2023Q3", "New South Wales", "10"): ("4000000.0", "reported"),
        ("2023Q3", "New South Wales", "C"): ("300100.0", "reported"),
        ("2023Q3", "New South Wales", "F"): ("400500.0", "reported"),
        ("2023Q3", "Victoria", "10"): ("3400000.0", "reported"),
        ("2023Q3", "Victoria", "C"): ("250200.0", "reported"),
        ("2023Q4", "New South Wales", "10"): ("4050000.0", "reported"),
        ("2023Q4", "New South Wales", "C"): ("301200.0", "reported"),
        ("2023Q4", "New South Wales", "F"): ("", "suppressed"),
        ("2023Q4", "Victoria", "10"): ("3450000.0", "reported"),
        ("2023Q4", "Victoria", "C"): ("251000.0", "reported"),
        ("2023Q4", "Victoria", "F"): ("330100.0", "reported")}
    assert "Series ID A84601008H (Seasonally Adjusted)" in err
    assert "2 region total rows" in err and "read sheet 'Data1'" in err


def test_abs_time_series_feeds_lq(capsys, tmp_path):
    """The same workbook straight into `clusterid lq` (ingested on the fly)."""
    code, out, err = run_main(["lq", str(DATA / "abs_6291_table05_data1.xlsx"), "-o", "-",
                               "--period", "2023Q3"], capsys)
    assert code == 0, err
    lq = {(r["region"], r["industry"]): float(r["lq"]) for r in csv_rows(out) if r["lq"]}
    # NSW manufacturing: (300.1 / 4000) / ((300.1 + 250.2) / (4000 + 3400))
    assert abs(lq[("New South Wales", "C")] - (300.1 / 4000) / (550.3 / 7400)) < 1e-6


# ---- SDMX-CSV 2.0 with a label column beside each ID column, Eurostat's concept names

def test_sdmx_csv_ids_each_followed_by_eurostat_concept_names(capsys):
    """Eurostat's SDMX-CSV 2.0 with IDs and labels side by side (`freq, Time frequency, ...,
    TIME_PERIOD, Time`): 'Time frequency' and 'TIME_PERIOD' were 'two columns that could each
    be the period' (exit 2).  A concept's name right of its ID column is that column's labels:
    the geo labels are the regions' names, the NACE labels the industries'."""
    code, rows, err = _read(capsys, "lfst_r_lfe2en2_sdmx_csv2_ids_and_names.csv")
    assert code == 0, err
    assert _cells(rows) == {("2022", "AT11", "C"): ("15200.0", "reported"),
                            ("2022", "AT11", "F"): ("12100.0", "reported"),
                            ("2022", "AT11", "10"): ("150300.0", "reported"),
                            ("2022", "AT12", "C"): ("140000.0", "reported"),
                            ("2022", "AT12", "F"): ("", "suppressed"),
                            ("2022", "AT12", "10"): ("850000.0", "reported")}
    assert {r["region_name"] for r in rows} == {"Burgenland", "Niederösterreich"}
    assert {r["industry_name"] for r in rows if r["industry"] == "C"} == {"Manufacturing"}


# ---- e-Stat's Economic Census: the all-industries member 'A～R 全産業（S公務を除く）'

def test_estat_census_all_industries_member_is_the_total_not_an_industry(capsys):
    """e-Stat's Economic Census names its all-industries member `A～R 全産業（S公務を除く）`
    (code AS: sections A to R, all the census covers).  Only a bare `全産業` was a total: AS was
    read as one more custom industry, and lq summed it with the sections into each
    prefecture's total (Osaka's 4,560,123 employees became 5,560,444, every LQ off).  Now it
    is the all-industries row (`10`); JSIC is still refused as NACE."""
    code, rows, err = _read(capsys, "estat_census2021_jsic_all_industries_cp932.csv",
                            "--classification", "custom")
    assert code == 0, err
    assert _cells(rows) == {("2021", "13000", "10"): ("9560123.0", "reported"),
                            ("2021", "13000", "D"): ("", "suppressed"),
                            ("2021", "13000", "E"): ("650321.0", "reported"),
                            ("2021", "27000", "10"): ("4560123.0", "reported"),
                            ("2021", "27000", "D"): ("250000.0", "reported"),
                            ("2021", "27000", "E"): ("750321.0", "reported")}
    code, _, err = _read(capsys, "estat_census2021_jsic_all_industries_cp932.csv")
    assert code == 1 and "JSIC" in err


# ---- INEGI's SAIC: each area's all-activities row 'Total estatal'

def test_inegi_saic_total_estatal_is_all_activities_not_an_industry(capsys):
    """INEGI's SAIC heads each state's all-activities row `Total estatal` (`Total nacional`,
    `Total municipal` for the other levels).  Read with --classification custom (SCIAN is no
    NAICS), it was one more custom industry beside the sectors, summed with them into every
    state's total; now it is the all-industries row (`10`)."""
    code, rows, err = _read(capsys, "inegi_saic2019_estatal_sectors.csv", "--classification", "custom")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2019", "01", "10")] == ("400123.0", "reported")
    assert cells[("2019", "02", "10")] == ("900123.0", "reported")
    assert len(cells) == 6 and not any("Total" in i for _, _, i in cells)


def test_inegi_saic_census_variables_keyed_before_their_names(capsys):
    """SAIC heads each census variable with its key: `UE Unidades económicas`, `J000A Total de
    remuneraciones (millones de pesos)`.  Only `H001A Personal ocupado total` was read; the
    establishments and wages were columns not read.  Now the key is no word of the heading:
    the economic units are establishments, the wages scaled from millions of pesos (a heading's
    `millones` was no multiple: read, they would have been a million times too small), `C`
    withheld."""
    code, rows, err = _read(capsys, "inegi_saic2019_estatal_sectors.csv", "--classification", "custom")
    assert code == 0, err
    assert _cells(rows, "establishments")[("2019", "01", "10")] == ("56123.0", "reported")
    wages = _cells(rows, "wages")
    assert wages[("2019", "02", "10")] == ("32000500000.0", "reported")
    assert wages[("2019", "01", "Sector 43 Comercio al por mayor")] == ("", "suppressed")


# ---- Statistics Canada's displayed LFS table: '(x 1,000)' in the title and a units row

def test_statcan_displayed_thousands_said_twice_are_scaled_once(capsys, tmp_path):
    """StatCan's displayed LFS table says its thousands twice: `(x 1,000)` in the title and
    `Persons in thousands` in the units row.  Each was applied: Ontario's 7,500.5 thousand
    employed came out 7,500,500,000 (exit 0).  Now the same multiple said twice scales once,
    and two different multiples are refused on the units row.  The total's footnote number
    (`Total, all industries 7`) hid it: it was one more industry beside its sectors."""
    code, rows, err = _read(capsys, "statcan_1410002301_as_displayed_x1000.csv", "--region", "35:Ontario")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "35", "10")] == ("7500500.0", "reported")
    assert cells[("2022", "35", "23")] == ("610000.0", "reported")
    assert cells[("2023", "35", "31-33")] == ("", "suppressed")
    assert len(cells) == 18
    src = tmp_path / "1410002301.csv"
    src.write_text((DATA / "statcan_1410002301_as_displayed_x1000.csv").read_text(encoding="utf-8")
                   .replace('"Persons in thousands"', '"Persons x 1,000,000"'), encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", "-", "--region", "35:Ontario"], capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 1 and len(lines) == 1, err
    assert "1410002301.csv:13:" in lines[0] and "title x 1,000, row 'Persons x 1,000,000'" in lines[0]


# ---- a dimension's heading over its members: IBGE SIDRA's two header rows

def test_sidra_classification_heading_over_its_sections(capsys):
    """SIDRA names the dimension across once over its members (`...;Classificação Nacional de
    Atividades Econômicas (CNAE 2.0)` over `;;;Total;C Indústrias de transformação;F
    Construção`), the upper row shorter than the table: every data row was refused as 'row has
    6 fields, the header has 4' (exit 1), and with the upper row padded 'no measure column
    recognised'.  Now the members are the headings beside the keys': the sections read as
    NACE's, the measure and year from the title lines, `X` withheld."""
    code, rows, err = _read(capsys, "sidra_tabela1757_cnae_over_sections_latin1.csv")
    assert code == 0, err
    cells = _cells(rows)
    assert cells[("2021", "35", "10")] == ("12000000.0", "reported")
    assert cells[("2021", "35", "C")] == ("2500000.0", "reported")
    assert cells[("2021", "33", "F")] == ("", "suppressed")
    assert len(cells) == 9
    # the states' codes under SIDRA's bare "Código" ("Cód.") heading, their names beside them
    assert {r["region"]: r["region_name"] for r in rows} == {
        "35": "São Paulo", "33": "Rio de Janeiro", "11": "Rondônia"}


# ---- IBGE's wages in thousands of reais; SIDRA's variable line names the measure

def test_sidra_variable_line_names_the_measure_and_its_thousand_reais(capsys):
    """SIDRA's title lines: the table's title names three measures (`Unidades locais, pessoal
    ocupado total e assalariado`), the `Variável - Salários e outras remunerações (Mil Reais)`
    line the one the cells hold.  No measure was taken from the titles, so the wages were read
    as employment, in reais (exit 0).  Now the variable line names the measure, and `Mil Reais`
    is a thousand reais."""
    code, rows, err = _read(capsys, "sidra_tabela1757_wages_mil_reais_latin1.csv")
    assert code == 0, err
    assert "employment" not in rows[0]
    cells = _cells(rows, "wages")
    assert cells[("2021", "35", "10")] == ("12000000000.0", "reported")
    assert cells[("2021", "33", "F")] == ("", "suppressed")


def test_ibge_heading_in_thousand_reais_is_scaled(capsys):
    """`Salários e outras remunerações (Mil Reais)` as a column heading: `mil` before a currency
    was no multiple (only before persons), the wages read a thousand times too small."""
    code, rows, err = _read(capsys, "ibge_cempre_wages_mil_reais_latin1.csv")
    assert code == 0, err
    assert _cells(rows, "wages")[("2021", "São Paulo", "C")] == ("150000000000.0", "reported")
    assert _cells(rows)[("2021", "São Paulo", "C")] == ("2500000.0", "reported")


def test_abs_time_series_of_two_series_types_and_no_original_is_refused(capsys, tmp_path):
    """A Data1 sheet of Trend and Seasonally Adjusted series, no Original: both series of a
    state and industry stood for the same cells, the one further right silently replacing
    the other.  Refused in one line naming both series IDs."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data1"
    for j, (kind, sid) in enumerate((("Trend", "A1T"), ("Seasonally Adjusted", "A2S")), start=2):
        ws.cell(1, j, "> Victoria ;  Manufacturing ;  Employed total ;")
        for i, (label, value) in enumerate((("Unit", "000"), ("Series Type", kind), ("Data Type", "STOCK"),
                                             ("Frequency", "Quarter"), ("Collection Month", "2"),
                                             ("Series Start", dt.datetime(2023, 8, 1)),
                                             ("Series End", dt.datetime(2023, 8, 1)), ("No. Obs", 1),
                                             ("Series ID", sid)), start=2):
            ws.cell(i, 1, label)
            ws.cell(i, j, value)
        ws.cell(11, 1, dt.datetime(2023, 8, 1))
        ws.cell(11, j, 250.0 + j)
    src = tmp_path / "6291005.xlsx"
    wb.save(src)
    code, _, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 1 and len(lines) == 1, err
    assert "two series of the ABS time series sheet for the same cells" in lines[0]
    assert "A1T (Trend) and A2S (Seasonally Adjusted)" in lines[0]



# ---- a bare "Code" heading left of the regions' names

def test_bare_code_left_of_the_region_names_is_the_regions_code(capsys, tmp_path):
    """`Code,Region,Industry,Year,Employment`: the bare `Code` was the industries' code, so
    every industry of a region had the region's code as its industry and each line was a
    'duplicate row' (exit 1, naming industry A01 the table never had).  A bare `Code` right
    before the regions' names is their code; beside the industries it still is theirs."""
    src = tmp_path / "regions.csv"
    src.write_text("Code,Region,Industry,Year,Employment\n01,Alpha,C,2020,100\n01,Alpha,F,2020,50\n"
                   "02,Beta,C,2020,200\n02,Beta,F,2020,70\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert _cells(rows) == {("2020", "01", "C"): ("100.0", "reported"), ("2020", "01", "F"): ("50.0", "reported"),
                            ("2020", "02", "C"): ("200.0", "reported"), ("2020", "02", "F"): ("70.0", "reported")}
    assert {r["region_name"] for r in rows} == {"Alpha", "Beta"}
    src.write_text("Code,Industry,Year,Employment\n01,Agriculture,2020,100\n10,Food,2020,50\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-", "--region", "X"], capsys)
    assert code == 0, err
    assert {r["industry"] for r in csv_rows(out)} == {"A01", "C10"}
