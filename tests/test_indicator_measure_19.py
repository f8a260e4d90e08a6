"""An indicator column holding only another measure's codes is not read as the measure asked for.

ISTAT's IstatData SDMX-CSV of the ASIA local units downloaded with DATA_TYPE LU alone (the number
of local units, without LUEMPDAA, the persons employed) was read as employment: Gioia del
Colle's 2,056 local units came out as 2,056 jobs, exit 0.  Likewise Eurostat's SBS SDMX-CSV
with indic_sb V11210 (local units) alone.  Such a file is now refused in one line that names
the indicator and the option that reads it; with that option it is read as before.  Codes of no
known measure (ISTAT's EMP_N, employed persons, in its labour-force dataflows) are read as
before.
"""

from __future__ import annotations

from test_unseen_layouts_19 import _asia

from conftest import ingest_rows, run_main


def _keyed(rows: list[dict]) -> dict:
    return {(r["region"], r["industry"]): r for r in rows}


def _only(text: str, code: str) -> str:
    lines = text.splitlines()
    return "\n".join([lines[0]] + [ln for ln in lines[1:] if f",{code}," in ln
                                   or f",{code}: " in ln]) + "\n"


def test_istat_local_units_alone_are_no_employment(tmp_path, capsys):
    for labels in (False, True):
        src = tmp_path / f"asia_lu_{labels}.csv"
        src.write_text(_only(_asia(labels), "LU"), encoding="utf-8")
        out = tmp_path / f"out_{labels}.csv"
        code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
        assert code == 1 and not out.exists()
        assert err.count("\n") == 1, err
        assert f"{src}:2: column 'DATA_TYPE'" in err
        assert "found 'LU'" in err and "--measure establishments" in err
        got = _keyed(ingest_rows(capsys, src, out, "--measure", "establishments"))
        assert float(got[("072021", "10")]["establishments"]) == 2056
        assert "employment" not in got[("072021", "10")]


def test_eurostat_sbs_local_units_alone_are_no_employment(tmp_path, capsys):
    """sbs_r_nuts06_r2 as Eurostat's SDMX-CSV download (DATAFLOW, LAST UPDATE, freq, indic_sb,
    nace_r2, geo, TIME_PERIOD, OBS_VALUE, OBS_FLAG) of indicator V11210 (local units) only."""
    src = tmp_path / "sbs_lu.csv"
    src.write_text(
        "DATAFLOW,LAST UPDATE,freq,indic_sb,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:SBS_R_NUTS06_R2(1.0),28/11/26 11:00:00,A,V11210,C,DE11,2016,120,\n"
        "ESTAT:SBS_R_NUTS06_R2(1.0),28/11/26 11:00:00,A,V11210,C,DE12,2016,80,\n"
        "ESTAT:SBS_R_NUTS06_R2(1.0),28/11/26 11:00:00,A,V11210,F,DE11,2016,300,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _out, err = run_main(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 1 and "found 'V11210'" in err and "--measure establishments" in err
    got = _keyed(ingest_rows(capsys, src, out, "--measure", "establishments"))
    assert float(got[("DE11", "F")]["establishments"]) == 300


def test_a_code_of_no_known_measure_is_read_as_before(tmp_path, capsys):
    """ISTAT's labour-force flow 150_872 (DATA_TYPE EMP_N, employed persons, thousands)."""
    src = tmp_path / "150_872.csv"
    src.write_text(
        "DATAFLOW,FREQ,REF_AREA,DATA_TYPE,ECON_ACTIVITY_NACE_2007,SEX,AGE,TIME_PERIOD,OBS_VALUE,"
        "BASE_PER,UNIT_MEAS,UNIT_MULT,OBS_STATUS\n"
        "IT1:150_872(1.0),A,ITC1,EMP_N,0010,9,Y15-89,2022,1811.2,,N,3,\n"
        "IT1:150_872(1.0),A,ITC1,EMP_N,C,9,Y15-89,2022,431.5,,N,3,\n"
        "IT1:150_872(1.0),A,ITC4,EMP_N,0010,9,Y15-89,2022,4471.8,,N,3,\n"
        "IT1:150_872(1.0),A,ITC4,EMP_N,C,9,Y15-89,2022,1172.0,,N,3,\n", encoding="utf-8")
    got = _keyed(ingest_rows(capsys, src, tmp_path / "out.csv"))
    assert float(got[("ITC4", "C")]["employment"]) == 1_172_000
