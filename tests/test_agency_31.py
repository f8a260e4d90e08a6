"""The named adapters (CBP, QCEW, Eurostat) on layouts of other years than the ones they were
written for: small files under tests/data/agency31/, each in the layout its agency published."""

from __future__ import annotations

import shutil

import pytest

from conftest import TEST_DATA, run_main

DATA = TEST_DATA / "agency31"


@pytest.mark.parametrize("fmt", ["auto", "cbp"])
def test_cbp_metro_file_of_the_1990s_msas_is_refused_in_one_line(fmt, tmp_path, capsys):
    """Census CBP metro files 1998-2002 (``cbp01msa.txt``: ``msa, naics, empflag, emp, qp1, ap,
    est, n1_4 ...``, the 1998-2006 layout) key the areas by the 1990s MSA/PMSA codes, four
    digits (``0040`` Abilene TX, ``1640`` Cincinnati PMSA); CBSAs start with the 2003 files.
    Each row was refused as 'not a CBSA code', one error per row, without saying why."""
    src = tmp_path / "cbp01msa.txt"
    shutil.copy(DATA / "cbp01msa_excerpt.txt", src)
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out), "--format", fmt], capsys)
    assert code == 1, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "1990s metropolitan areas" in lines[0] and "column 'msa'" in lines[0], err
    assert "found '0040'" in lines[0] and "from 2003" in lines[0], err
    assert not out.exists()


def test_cbp_metro_file_of_the_1990s_msas_saved_by_a_spreadsheet(tmp_path, capsys):
    """The same file saved by Excel (``0040`` became ``40``): the same one line, not a
    region ``C40``."""
    src = tmp_path / "cbp02msa.txt"
    src.write_text((DATA / "cbp01msa_excerpt.txt").read_text().replace('"0040"', "40"))
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "found '40'" in err and "1990s metropolitan areas" in err, err


def test_cbp_american_factfinder_download_keeps_the_all_sizes_rows(tmp_path, capsys):
    """CBP 2012-2016 as American FactFinder gave it (table CB1600A11, file
    ``BP_2016_00A1_with_ann.csv``): each dimension's codes under ``X.id`` beside its
    ``X.display-label`` (``GEO.id``, ``NAICS.id``, ``YEAR.id``, ``EMPSZES.id``), a label row
    under the header, range letters (``b``) in ``EMP``.  ``EMPSZES.id`` was no breakdown: each
    size class (``210``, 1 to 4 employees) was refused as a duplicate of its total's row."""
    src = tmp_path / "BP_2016_00A1_with_ann.csv"
    shutil.copy(DATA / "BP_2016_00A1_with_ann_excerpt.csv", src)
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = {r.split(",")[3]: r for r in out.read_text().splitlines()[1:]}
    assert sorted(rows) == ["10", "11", "23"], rows
    assert ",60.0,reported," in rows["23"]  # the all-sizes row, not the 1-4 class's 15
    assert ",suppressed,20.0,99.0,b," in rows["11"]
    assert "1 rows of one EMPSZES.id category" in err, err


def test_cbp_american_factfinder_download_of_one_size_class_is_refused(tmp_path, capsys):
    """The same download filtered to one size class: its rows are parts, never the totals."""
    src = tmp_path / "BP_2016_00A1_with_ann.csv"
    lines = (DATA / "BP_2016_00A1_with_ann_excerpt.csv").read_text().splitlines(keepends=True)
    src.write_text("".join(ln for ln in lines if ",001,All establishments," not in ln))
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv")], capsys)
    assert code == 1, err
    assert "rows of EMPSZES.id categories only" in err and "found '210'" in err, err


@pytest.mark.parametrize("fmt", ["auto", "qcew"])
def test_qcew_sic_cut_under_sic_code_is_refused_as_sic(fmt, tmp_path, capsys):
    """A cut of BLS's SIC-based QCEW (1975-2000, the NAICS files' columns) with its industry
    column named ``sic_code``: refused as "not a QCEW file, missing industry_code", which said
    nothing of why; now as the SIC file it is, naming the column."""
    src = tmp_path / "1995.annual.sic.csv"
    shutil.copy(DATA / "qcew_1995_annual_sic_code.csv", src)
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv"), "--format", fmt], capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "a SIC-based QCEW file" in err and "column 'sic_code'" in err, err


def test_qcew_sic_file_of_totals_only_is_refused_not_read_as_the_nation(tmp_path, capsys):
    """BLS's SIC-based QCEW (``sic_1995_annual_by_area``, 1975-2000) cut to its total rows:
    ``industry_code`` ``10`` (no ``SIC_`` code to give it away) under the SIC files' own
    agglvl_code scheme (26 county total, 18-25 states; a public script reading 1975-1989
    county totals keys on agglvl_code 26, own_code 0).  Alabama's total at agglvl 18 was read
    as the nation (the NAICS files' 10-18), exit 0; now refused naming the scheme."""
    src = tmp_path / "1995.annual.totals.csv"
    shutil.copy(DATA / "qcew_1995_annual_sic_totals.csv", src)
    for extra in ([], ["--on-error", "skip"]):
        code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "o.csv"), *extra], capsys)
        assert code == 1 and len(err.strip().splitlines()) == 1, err
        assert "SIC-based files" in err and "column 'agglvl_code'" in err, err
    assert not (tmp_path / "o.csv").exists()


def test_zbp_totals_saved_by_a_spreadsheet_keep_their_zip_codes(tmp_path, capsys):
    """ZIP Code Business Patterns totals (``zbp18totals.txt``, 2018 layout: ``zip, name,
    emp_nf, emp, qp1_nf, qp1, ap_nf, ap, est, city, stabbr, cty_name``) opened and saved by
    Excel: the quotes gone and the ZIP codes' leading zeros with them (``00501`` -> ``501``).
    Each such row was refused as 'not a ZIP code'; padded back as QCEW's area_fips is."""
    src = tmp_path / "zbp18totals.txt"
    shutil.copy(DATA / "zbp18totals_saved_by_excel.txt", src)
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = [r.split(",") for r in out.read_text().splitlines()[1:]]
    assert [r[1] for r in rows] == ["00501", "00680", "01001", "84001"], rows
    assert rows[0][-5:] == ["", "suppressed", "", "", "D"]  # the D-flagged payroll: withheld


@pytest.mark.parametrize("name", ["lfst_r_lfe2en2_nrp.tsv", "lfst_r_lfe2en2_nrp_sdmx.csv"])
def test_eurostat_lfs_no_response_rows_are_dropped_and_counted(name, tmp_path, capsys):
    """Eurostat's regional LFS employment by NACE (lfst_r_lfe2en2; SDMX-TSV of the 2023+ API
    ``freq,age,unit,sex,nace_r2,geo\\TIME_PERIOD``, and its SDMX-CSV) lists ``NRP``, "No
    response", beside the sections: persons of TOTAL under no section.  The table was refused
    on its first NRP line ('not a NACE industry code'); now those rows are dropped and counted,
    the other figures read (thousands scaled)."""
    src = tmp_path / name
    shutil.copy(DATA / name, src)
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    text = out.read_text()
    assert "NRP" not in text
    assert ("2022,AT11,total,C,,nuts2,,NACE,1,30400.0,reported" in text
            or "2022,AT11,total,C,,nuts2,,NACE,1,30000.0,reported" in text), text
    assert "NRP rows (no response" in err, err


def test_zbp_table_of_data_census_gov_gives_zip_regions(tmp_path, capsys):
    """ZIP Code Business Patterns as data.census.gov gives it (CB1900ZBP, 2019: ``GEO_ID``
    ``8600000US84001``, ``NAICS2017``, ``EMPSZES``, ``EMP_N`` ...): the regions had no level
    (summary level 860 unknown), beside the ``zip`` of the ZBP files."""
    src = tmp_path / "CBP2019.CB1900ZBP-Data.csv"
    shutil.copy(DATA / "CBP2019.CB1900ZBP-Data_excerpt.csv", src)
    out = tmp_path / "o.csv"
    code, _, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    rows = out.read_text().splitlines()[1:]
    assert [r.split(",")[1] for r in rows] == ["00501", "84001"], rows
    assert all(",zip," in r for r in rows), rows
    assert ",suppressed,,,D," in rows[0]
