"""Crash hunt 14: ``clusterid detect`` on raw statistical-yearbook tables other than QCEW
(stat.gov.kz sheets, German and Eurostat tables), each problem pinned by a test that failed
before its fix.  The files are in tests/data/hunt14 (see tests/data/README.md)."""

from __future__ import annotations

from conftest import TEST_DATA, csv_rows, run_main

HUNT = TEST_DATA / "hunt14"


def test_regions_across_under_an_empty_corner_cell_over_section_letters(tmp_path, capsys):
    # stat.gov.kz yearbook sheet: the corner cell over the OKED section letters is empty and
    # the regions are the column headings; it was refused as 'no industry column recognised
    # (... found ', Республика Казахстан, Абайская область ...')', though the same sheet with
    # 'ОКЭД' in the corner was read
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_regions_across_blank_corner_cp1251.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    clusters = csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))
    assert sorted(r["industry"] for r in clusters) == ["A", "B", "C", "F", "G", "J", "K", "P"]
    regional = csv_rows((out / "regional_clusters.csv").read_text(encoding="utf-8"))
    # the republic's column is the total of the others, no region of its own; the values are
    # thousands of persons (the title's unit) read with decimal commas
    assert {r["region"] for r in regional} == {
        "Абайская область", "Акмолинская область", "Карагандинская область", "г. Астана",
        "г. Алматы", "г. Шымкент"}
    almaty = {float(r["region_employment"]) for r in regional if r["region"] == "г. Алматы"}
    assert almaty == {415300.0}  # 2.0 + 0.8 + 55.3 + 70.1 + 120.7 + 40.4 + 35.4 + 90.6


def test_an_industry_column_headed_razdel_is_the_industry(tmp_path, capsys):
    # "Раздел" (an OKED/OKVED section) heads the code column of stat.gov.kz and Rosstat long
    # tables; it was refused as 'no industry column recognised (... found 'Регион, Год,
    # Раздел, Занятые, тыс. чел.')'
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(HUNT / "kz_long_razdel_heading_3_cities.csv"),
                             "-o", str(out)], capsys)
    assert code == 0, err
    clusters = csv_rows((out / "clusters.csv").read_text(encoding="utf-8"))
    assert sorted(r["industry"] for r in clusters) == ["A", "C", "F", "G", "P"]
    regional = csv_rows((out / "regional_clusters.csv").read_text(encoding="utf-8"))
    # "тыс. чел." in the measure's heading: thousands of persons
    totals = {(r["period"], r["region"]): float(r["region_employment"]) for r in regional}
    assert totals[("2022", "Алматы")] == 111400.0  # 7,1 + 14,7 + 22,3 + 29,9 + 37,4


def test_section_headings_alone_name_the_industry_column():
    from clusterid.io.readers.generic_headings import role_of

    for h in ("Раздел", "Секция", "Бөлім", "Abschnitt", "Section"):
        assert role_of(h) == "industry", h
    # an industry's own column in a table by industry across is no industry column
    assert role_of("Раздел C Обрабатывающие производства") != "industry"
