"""Session 32, the lead's own finds on files clusterid had not seen."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main

NOMIS = Path(__file__).parent / "data" / "nomis30" / "nomis_api_bres_NM_189_1.data.csv"


def test_nomis_api_csv_of_industry_percentages_alone_is_refused(tmp_path, capsys):
    """NOMIS's API CSV of BRES downloaded with the measure 'Industry percentage' alone (each
    industry's share of the area's jobs; no Count row to keep) was read as counts: Hartlepool's
    share of its jobs in food manufacturing became that many jobs, exit 0.  Now refused at the
    first row, naming the column and what it holds, as the title block's 'Measure : Industry
    percentage' already was."""
    src = tmp_path / "bres_percent.data.csv"
    src.write_text(NOMIS.read_text(encoding="utf-8").replace('"Count"', '"Industry percentage"'),
                   encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 1 and out == ""
    assert err.strip() == (
        f"clusterid: error: {src}:2: column 'MEASURE_NAME': the cells are a percentage, not a "
        "count (expected counts (measure: Count), found 'Industry percentage'); download the "
        "table again with the measure Count")


def test_nomis_api_csv_with_counts_beside_percentages_keeps_the_counts(tmp_path, capsys):
    """Beside its Count rows the percentages are another measure's rows, dropped and counted."""
    lines = NOMIS.read_text(encoding="utf-8").splitlines()
    pct = [ln.replace('"Count"', '"Industry percentage"').replace('"1250"', '"2.9"')
           for ln in lines[1:]]
    src = tmp_path / "bres_both.data.csv"
    src.write_text("\n".join([*lines, *pct]) + "\n", encoding="utf-8")
    code, out, err = run_main(["ingest", str(src), "-o", "-"], capsys)
    assert code == 0, err
    expected = csv_rows(run_main(["ingest", str(NOMIS), "-o", "-"], capsys)[1])
    assert csv_rows(out) == expected
    assert f"{len(pct)} rows of another MEASURE_NAME indicator than the measure's" in err
