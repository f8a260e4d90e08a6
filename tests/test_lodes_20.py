"""The Census Bureau's LODES Workplace Area Characteristics (io/readers/lodes.py).

Files written to the LODES 8 WAC layout (LEHD's technical documentation: w_geocode, C000, the
age/earnings splits CA01-CE03, the 20 NAICS sectors CNS01-CNS20, race, ethnicity, education,
sex, firm age and size, createdate; named [st]_wac_[SEG]_[TYPE]_[YEAR].csv.gz), with counts
small enough to sum by hand.
"""

from __future__ import annotations

import gzip

import pytest

from conftest import csv_rows, run_main

SECTORS = [f"CNS{i:02d}" for i in range(1, 21)]
OTHER = (["CA01", "CA02", "CA03", "CE01", "CE02", "CE03"], ["CR01", "CR02", "CR03", "CR04",
         "CR05", "CR07", "CT01", "CT02", "CD01", "CD02", "CD03", "CD04", "CS01", "CS02",
         "CFA01", "CFA02", "CFA03", "CFA04", "CFA05", "CFS01", "CFS02", "CFS03", "CFS04",
         "CFS05", "createdate"])


def _wac(blocks: dict[str, dict[str, int]], geo: str = "w_geocode") -> str:
    """A WAC file: each block's sector jobs (CNSnn -> jobs), C000 their sum."""
    lines = [",".join([geo, "C000", *OTHER[0], *SECTORS, *OTHER[1]])]
    for block, jobs in blocks.items():
        cns = [jobs.get(c, 0) for c in SECTORS]
        total = sum(cns)
        lines.append(",".join(map(str, [block, total, total, 0, 0, total, 0, 0, *cns,
                                        *([0] * (len(OTHER[1]) - 1)), "20230321"])))
    return "\n".join(lines) + "\n"


# two blocks of Beaver County (49001), one of Box Elder (49003)
UTAH = {"490019641001000": {"CNS05": 12, "CNS07": 3},
        "490019641001001": {"CNS05": 8, "CNS18": 5},
        "490039601002003": {"CNS07": 4, "CNS20": 6}}


def _ingest(tmp_path, capsys, name, text, *extra):
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _o, err = run_main(["ingest", str(path), "-o", str(out), *extra], capsys)
    rows = csv_rows(out.read_text(encoding="utf-8")) if code == 0 else []
    return code, err, {(r["region"], r["industry"]): r for r in rows}


def test_blocks_summed_to_counties_sectors_coded(tmp_path, capsys):
    code, err, rows = _ingest(tmp_path, capsys, "ut_wac_S000_JT00_2019.csv.gz", _wac(UTAH))
    assert code == 0, err
    beaver = {k[1]: float(r["employment"]) for k, r in rows.items() if k[0] == "49001"}
    assert beaver["10"] == 28 and beaver["31-33"] == 20 and beaver["44-45"] == 3
    assert beaver["72"] == 5 and beaver["92"] == 0 and len(beaver) == 21
    assert rows[("49003", "92")]["employment"] == "6.0"
    r = rows[("49001", "31-33")]
    assert (r["period"], r["ownership"], r["region_level"], r["level"], r["classification"],
            r["employment_status"]) == ("2019", "total", "county", "2", "NAICS", "reported")
    assert rows[("49001", "10")]["level"] == "0"
    assert "3 blocks summed to 2 county region(s)" in err


@pytest.mark.parametrize("level, region, jobs", [("state", "49", 38), ("tract", "49001964100", 28),
                                                 ("block", "490019641001001", 13)])
def test_region_level_chooses_the_geography(tmp_path, capsys, level, region, jobs):
    code, err, rows = _ingest(tmp_path, capsys, "ut_wac_S000_JT00_2019.csv", _wac(UTAH),
                              "--region-level", level)
    assert code == 0, err
    assert float(rows[(region, "10")]["employment"]) == jobs
    assert rows[(region, "10")]["region_level"] == level


def test_unknown_geography_is_a_usage_error(tmp_path, capsys):
    code, err, _rows = _ingest(tmp_path, capsys, "ut_wac_S000_JT00_2019.csv", _wac(UTAH),
                               "--region-level", "msa")
    assert code == 2 and "state, county, tract, blockgroup, block" in err


def test_private_jobs_file_is_private_ownership(tmp_path, capsys):
    code, err, rows = _ingest(tmp_path, capsys, "ut_wac_S000_JT02_2019.csv", _wac(UTAH))
    assert code == 0, err
    assert {r["ownership"] for r in rows.values()} == {"private"}


def test_year_from_the_name_or_period_option(tmp_path, capsys):
    code, err, _rows = _ingest(tmp_path, capsys, "wac.csv", _wac(UTAH))
    assert code == 2 and "--period" in err
    code, err, rows = _ingest(tmp_path, capsys, "wac.csv", _wac(UTAH), "--period", "2021")
    assert code == 0, err
    assert {r["period"] for r in rows.values()} == {"2021"}


def test_residence_file_is_refused(tmp_path, capsys):
    """RAC counts jobs where the workers live: refused in one line, exit 1."""
    code, err, _rows = _ingest(tmp_path, capsys, "ut_rac_S000_JT00_2019.csv",
                               _wac(UTAH, geo="h_geocode"))
    assert code == 1
    assert "Residence Area Characteristics file" in err and "WAC" in err
    assert len([line for line in err.splitlines() if "error" in line]) == 1


def test_geocode_without_leading_zero_and_bad_cells(tmp_path, capsys):
    """Alabama's 15-digit block saved by a spreadsheet as 14 digits is padded back; a count
    that is no number is reported on its line and column (exit 1), or set aside with skip."""
    blocks = {"10010201001000": {"CNS05": 2}, "010010201001001": {"CNS05": 3},
              "010030101001000": {"CNS04": 1}}
    code, err, rows = _ingest(tmp_path, capsys, "al_wac_S000_JT00_2020.csv", _wac(blocks))
    assert code == 0, err
    assert rows[("01001", "31-33")]["employment"] == "5.0"
    text = _wac(blocks).replace("010030101001000,1,", "010030101001000,x,")
    code, err, _rows = _ingest(tmp_path, capsys, "al_wac_S000_JT00_2020.csv", text)
    assert code == 1
    assert "al_wac_S000_JT00_2020.csv:4: column 'C000': not a count of jobs" in err
    code, err, rows = _ingest(tmp_path, capsys, "al_wac_S000_JT00_2020.csv", text,
                              "--on-error", "skip")
    assert code == 0, err
    assert ("01003", "10") not in rows and rows[("01001", "10")]["employment"] == "5.0"


def test_origin_destination_file_is_refused(tmp_path, capsys):
    text = ("w_geocode,h_geocode,S000,SA01,SA02,SA03,SE01,SE02,SE03,SI01,SI02,SI03,createdate\n"
            "490019641001000,490019641001003,2,1,1,0,0,1,1,0,1,1,20211018\n")
    code, err, _rows = _ingest(tmp_path, capsys, "ut_od_main_JT00_2019.csv", text)
    assert code == 1 and "origin-destination" in err and "WAC" in err


def test_lq_runs_on_a_wac_file(tmp_path, capsys):
    """End to end from the raw file: lq's sectors of Beaver County against the two counties."""
    path = tmp_path / "ut_wac_S000_JT00_2019.csv"
    path.write_text(_wac(UTAH), encoding="utf-8")
    out = tmp_path / "lq.csv"
    code, _o, err = run_main(["lq", str(path), "-o", str(out)], capsys)
    assert code == 0, err
    rows = {(r["region"], r["industry"]): r for r in csv_rows(out.read_text(encoding="utf-8"))}
    # Beaver: 20 of its 28 jobs in manufacturing; both counties: 20 of 38
    assert float(rows[("49001", "31-33")]["lq"]) == pytest.approx((20 / 28) / (20 / 38), rel=1e-6)
