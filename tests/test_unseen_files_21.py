"""Agency files in layouts and eras the other tests do not cover (session 21): each test names
the real source whose field layout its made-up input is written in, and checks the figures the
file says against what clusterid read."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, run_main, run_ok

DATA = Path(__file__).parent / "data"

# BLS's field layout of the SIC-based annual CSV files (1975-2000: "sic.1995.annual.by_area";
# bls.gov/cew/about-data/downloadable-file-layouts/annual/sic-based-annual-layout.htm): the
# NAICS files' first fields, no lq_/oty_ columns; the area's total comes first as '10'
SIC_ANNUAL = (
    '"area_fips","own_code","industry_code","agglvl_code","size_code","year","qtr",'
    '"disclosure_code","annual_avg_estabs","annual_avg_emplvl","total_annual_wages",'
    '"taxable_annual_wages","annual_contributions","annual_avg_wkly_wage","avg_annual_pay"\n'
    '"49001","0","10","26","0","1995","A","",120,1500,30000000,0,0,384,20000\n'
    '"49001","5","10","27","0","1995","A","",100,1200,24000000,0,0,384,20000\n'
    '"49001","5","SIC_20","29","0","1995","A","N",5,0,0,0,0,0,0\n'
    '"49001","5","SIC_2011","31","0","1995","A","",2,300,6000000,0,0,384,20000\n')


def test_sic_qcew_file_starting_with_its_total_is_refused_in_one_line(tmp_path, capsys):
    """A SIC-era QCEW file whose first row is the total '10' (as every area file starts) was
    read as NAICS: one 'not a NAICS industry code' error per SIC row, each advising
    --classification custom, which would have read SIC codes on QCEW's NAICS levels.  Any SIC
    code, on any row, now refuses the file in one line naming the first, in both modes."""
    src = tmp_path / "sic.1995.annual 49001 Beaver County, Utah.csv"
    src.write_text(SIC_ANNUAL, encoding="utf-8")
    for extra in ([], ["--on-error", "skip"]):
        code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "x.csv"), *extra], capsys)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 1 and len(lines) == 1, err
        assert ":4: column 'industry_code': a SIC-based QCEW file" in lines[0]
        assert "found 'SIC_20'" in lines[0] and "custom" not in lines[0]
