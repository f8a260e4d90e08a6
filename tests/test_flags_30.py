"""Flags and number formats that were read as something they are not (session 30).

* Eurostat's ``z`` (not applicable: no such figure can exist) was read as suppressed, so
  ``impute`` filled it as a withheld figure; the cell is no data: dropped and counted with its
  own reason (``tests/data/flags30/nama_10r_3empers_sdmx_tsv_z.tsv``, SDMX-TSV ``: z``;
  ``..._sdmx_csv_z.csv``, SDMX-CSV ``OBS_FLAG`` ``z`` beside ``CONF_STATUS``).
* A tab-separated file whose figures are all like ``1,234`` (Excel's "Unicode text" export,
  UTF-16) was read as thousands; under German headings it is a decimal comma, beside an
  ungrouped ``12345`` too, and with nothing to settle it the file is refused asking for
  ``--decimal``, as ``;`` files are.
* A provisional year's heading ``2021 (p)`` lost its mark; the period stays 2021 and its cells
  carry flag ``p`` (status reported), as Eurostat's provisional figures do, said in the notes.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import TEST_DATA, csv_rows, ingest_rows, run_main

FLAGS30 = TEST_DATA / "flags30"
Z_TSV = FLAGS30 / "nama_10r_3empers_sdmx_tsv_z.tsv"
Z_CSV = FLAGS30 / "nama_10r_3empers_sdmx_csv_z.csv"
Z_REASON = "cells flagged z, not applicable (Eurostat: no such figure; not withheld, not 0)"


def _cells(rows, region, industry):
    return [r for r in rows if r["region"] == region and r["industry"] == industry]


def test_eurostat_tsv_z_is_no_cell_dropped_and_counted(capsys, tmp_path):
    out = tmp_path / "z.csv"
    rows = ingest_rows(capsys, Z_TSV, out)
    assert _cells(rows, "AT11", "B") == []  # ': z' in both years: no row, neither suppressed nor 0
    # a confidential ': c' stays withheld, a figure flagged p stays a figure
    (c,) = [r for r in _cells(rows, "AT11", "C") if r["period"] == "2021"]
    assert (c["employment"], c["employment_status"], c["employment_flag"]) == ("", "suppressed", "c")
    (b,) = [r for r in _cells(rows, "AT12", "B") if r["period"] == "2021"]
    assert (b["employment"], b["employment_status"]) == ("2000.0", "reported")
    meta = json.loads(Path(str(out) + ".meta.json").read_text(encoding="utf-8"))
    assert meta["dropped"] == {Z_REASON: 2}
    assert meta["rows_kept"] == 10


def test_eurostat_sdmx_csv_obs_flag_z_is_no_cell(capsys, tmp_path):
    out = tmp_path / "z.csv"
    rows = ingest_rows(capsys, Z_CSV, out)
    assert _cells(rows, "AT11", "B") == []
    (c,) = _cells(rows, "AT11", "C")  # CONF_STATUS C: withheld, as before
    assert (c["employment"], c["employment_status"]) == ("", "suppressed")
    meta = json.loads(Path(str(out) + ".meta.json").read_text(encoding="utf-8"))
    assert meta["dropped"] == {Z_REASON: 1}


def test_impute_never_fills_a_not_applicable_cell(capsys, tmp_path):
    canonical = tmp_path / "z.csv"
    ingest_rows(capsys, Z_TSV, canonical)
    code, out, err = run_main(["impute", str(canonical), "-o", "-"], capsys)
    assert code == 0, err
    rows = csv_rows(out)
    assert _cells(rows, "AT11", "B") == []
    # the withheld ': c' cell is still imputed
    (c,) = [r for r in _cells(rows, "AT11", "C") if r["period"] == "2021"]
    assert c["employment_status"] == "estimated"


DE_UTF16 = FLAGS30 / "de_kreise_excel_unicode_text.txt"
EN_UTF16 = FLAGS30 / "en_headings_excel_unicode_text.txt"
TSV_UNGROUPED = FLAGS30 / "tsv_ungrouped_beside_comma.tsv"


def test_german_unicode_text_export_reads_decimal_comma(capsys, tmp_path):
    rows = ingest_rows(capsys, DE_UTF16, tmp_path / "de.csv")
    (c,) = _cells(rows, "03152", "C")
    # 'Erwerbstätige (1000)' 21,456 is 21.456 thousand persons, not 21,456 thousand
    assert c["employment"] == "21456.0"


def test_tab_file_ungrouped_figure_settles_decimal_comma(capsys, tmp_path):
    rows = ingest_rows(capsys, TSV_UNGROUPED, tmp_path / "t.csv")
    assert [r["employment"] for r in rows] == ["1.456", "2.031", "16118.0", "4.27"]


def test_tab_file_with_nothing_to_settle_the_comma_is_refused(capsys, tmp_path):
    code, _out, err = run_main(["ingest", str(EN_UTF16), "-o", str(tmp_path / "t.csv")], capsys)
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "en_headings_excel_unicode_text.txt:2: column 'employment': cannot tell whether ',' is a " \
           "decimal comma or a thousands separator" in lines[0]
    assert "--decimal" in lines[0]
    assert not (tmp_path / "t.csv").exists()
    # --decimal settles it either way
    rows = ingest_rows(capsys, EN_UTF16, tmp_path / "d.csv", "--decimal", ".")
    assert rows[0]["employment"] == "1456.0"


def test_tab_file_with_a_grouped_million_reads_thousands_under_german_headings(capsys, tmp_path):
    src = tmp_path / "de.tsv"
    src.write_text("Kreis\tJahr\tWZ\tBeschäftigte\n03159\t2021\tC\t1,234,567\n03152\t2021\tC\t2,345\n",
                   encoding="utf-8")
    rows = ingest_rows(capsys, src, tmp_path / "o.csv")
    assert [r["employment"] for r in rows] == ["2345.0", "1234567.0"]


def test_comma_separated_us_file_reads_as_before(capsys, tmp_path):
    src = tmp_path / "us.csv"
    src.write_text('region,industry,year,employment\n49001,31-33,2016,"1,456"\n49003,31-33,2016,"2,031"\n',
                   encoding="utf-8")
    rows = ingest_rows(capsys, src, tmp_path / "o.csv")
    assert [r["employment"] for r in rows] == ["1456.0", "2031.0"]


PROVISIONAL = FLAGS30 / "bres_regions_wide_provisional_year.csv"


def test_provisional_year_heading_flags_its_cells_p(capsys, tmp_path):
    out = tmp_path / "p.csv"
    rows = ingest_rows(capsys, PROVISIONAL, out)
    y2021 = [r for r in rows if r["period"] == "2021"]
    assert len(y2021) == 4
    by_cell = {(r["region"], r["industry"]): (r["employment_status"], r["employment_flag"]) for r in y2021}
    assert by_cell[("E12000001", "C")] == ("reported", "p")
    # a withheld cell keeps its own marker as its flag
    assert by_cell[("E12000002", "C")] == ("suppressed", "..")
    assert all(r["employment_flag"] == "" for r in rows if r["period"] != "2021")
    meta = json.loads(Path(str(out) + ".meta.json").read_text(encoding="utf-8"))
    assert any("period 2021 (headed '2021 (p)')" in n and "flagged p" in n for n in meta["notes"])


def test_provisional_year_in_a_period_column(capsys, tmp_path):
    src = tmp_path / "long.csv"
    src.write_text("Jahr;Kreis;WZ;Beschäftigte\n2020;03159;C;18400\n2021 (vorläufig);03159;C;18650\n",
                   encoding="utf-8")
    rows = ingest_rows(capsys, src, tmp_path / "o.csv")
    assert [(r["period"], r["employment_flag"]) for r in rows] == [("2020", ""), ("2021", "p")]
