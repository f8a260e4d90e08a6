"""NOMIS (ONS BRES, APS) downloads, session 30: each test reads a made-up file in the layout of a
NOMIS download (tests/data/nomis30/README.md names it) and checks what clusterid read."""

from __future__ import annotations

from pathlib import Path

from conftest import csv_rows, ingest_stdout as _read, run_main

DATA = Path(__file__).parent / "data" / "nomis30"


# ---- the GSS code is the region's key, the area's name beside it

def test_nomis_bulk_download_is_keyed_by_the_gss_code_named_beside(capsys):
    """NOMIS's query download (the area's name, its GSS code under 'mnemonic') was keyed by
    the name ('Hartlepool', region_name empty): no table keyed by GSS codes (ONS's own, the
    API's GEOGRAPHY_CODE, a lookup) matched it.  The code is the key, the name beside it, and
    the code's prefix still the level."""
    code, rows, err = _read(capsys, DATA / "nomis_bres_bulk_mnemonic_2023.csv")
    assert code == 0, err
    assert {(r["region"], r["region_name"], r["region_level"]) for r in rows} == {
        ("E06000001", "Hartlepool", "lad"), ("E06000002", "Middlesbrough", "lad"),
        ("E06000047", "County Durham", "lad"), ("E12000001", "North East", "region")}
    got = {(r["region"], r["industry"]): r for r in rows}
    assert float(got[("E06000001", "C10-C33")]["employment"]) == 4500
    assert (got[("E06000002", "F41-F43")]["employment"], got[("E06000002", "F41-F43")]["employment_status"]) \
        == ("", "suppressed")
    assert "'mnemonic'" not in err  # read, not named as a column left unread
    again = run_main(["ingest", str(DATA / "nomis_bres_bulk_mnemonic_2023.csv"), "-o", "-"], capsys)[1]
    assert csv_rows(again) == rows


def test_nomis_bulk_download_keyed_by_code_matches_the_api_csv(capsys):
    """The same figures from NOMIS's API CSV (GEOGRAPHY_CODE beside GEOGRAPHY_NAME and NOMIS's
    own number in GEOGRAPHY) and from its query download now have the same keys: E06000001 in
    both, where the download's was 'Hartlepool'."""
    code, api, err = _read(capsys, DATA / "nomis_api_bres_NM_189_1.data.csv", "--industry-col", "INDUSTRY_NAME")
    assert code == 0, err
    code, bulk, err = _read(capsys, DATA / "nomis_bres_bulk_mnemonic_2023.csv")
    assert code == 0, err
    assert {(r["region"], r["region_name"]) for r in api} <= {(r["region"], r["region_name"]) for r in bulk}


def test_nomis_row_without_a_gss_code_is_keyed_by_its_name(tmp_path, capsys):
    """A 'Column Total' row (no code under 'mnemonic') is no empty key: it is read as the
    total row it was read as before (dropped and counted, kept with --keep-region-totals)."""
    text = (DATA / "nomis_bres_bulk_mnemonic_2023.csv").read_text(encoding="utf-8")
    src = tmp_path / "bres_total.csv"
    src.write_text(text.replace('"North East","E12000001"', '"Column Total",""'), encoding="utf-8")
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    assert {r["region"] for r in rows} == {"E06000001", "E06000002", "E06000047"}
    assert "1 region total rows" in err
    code, rows, err = _read(capsys, src, "--keep-region-totals")
    assert code == 0, err
    assert {(r["region"], r["region_level"]) for r in rows if not r["region"].startswith("E")} \
        == {("Column Total", "nation")}



# ---- OBS_STATUS / OBS_STATUS_NAME: a withheld cell is missing, never a zero

_WITHHELD = {"C11": "*", "C12": "Q", "C13": "X", "C14": "!", "C15": "-"}


def test_nomis_obs_status_dash_withholds_its_zero(capsys):
    """NOMIS's API CSV: '*', 'Q', 'X' and '!' withheld their cells, but '-' beside a 0 was a
    reported zero (QCEW's dash, 'no flag', was taken for NOMIS's).  Every status but 'A' now
    leaves the cell missing, suppressed, its code the flag; A's 0 stays a reported 0."""
    code, rows, err = _read(capsys, DATA / "nomis_api_bres_obs_status.data.csv", "--industry-col", "INDUSTRY_NAME")
    assert code == 0, err
    got = {r["industry"]: r for r in rows}
    for industry, flag in _WITHHELD.items():
        assert (got[industry]["employment"], got[industry]["employment_status"], got[industry]["employment_flag"]) \
            == ("", "suppressed", flag), industry
    assert (float(got["C16"]["employment"]), got["C16"]["employment_status"]) == (0, "reported")
    assert float(got["C10"]["employment"]) == 1250 and got["C10"]["employment_status"] == "reported"


def test_nomis_obs_status_name_alone_withholds_by_its_words(tmp_path, capsys):
    """Asked with select=...,obs_value,obs_status_name (no OBS_STATUS), NOMIS's API CSV had its
    status unread ('column not read: OBS_STATUS_NAME'): the 0 of a cell 'suppressed as
    statistically unreliable' was a reported zero.  The name is the flag, and its words
    (suppressed, missing, disclosive ...) withhold the value."""
    lines = (DATA / "nomis_api_bres_obs_status.data.csv").read_text(encoding="utf-8").splitlines()
    at = lines[0].split(",").index('"OBS_STATUS"')
    src = tmp_path / "NM_189_1.data.csv"
    src.write_text("\n".join(_drop_field(line, at) for line in lines) + "\n", encoding="utf-8")
    code, rows, err = _read(capsys, src, "--industry-col", "INDUSTRY_NAME")
    assert code == 0, err
    got = {r["industry"]: r for r in rows}
    for industry in _WITHHELD:
        assert (got[industry]["employment"], got[industry]["employment_status"]) == ("", "suppressed"), industry
    assert got["C11"]["employment_flag"] == "These figures are suppressed as statistically unreliable."
    assert (float(got["C16"]["employment"]), got["C16"]["employment_status"]) == (0, "reported")
    assert float(got["C17"]["employment"]) == 35
    assert "OBS_STATUS_NAME" not in err  # read, not named as unread


def _drop_field(line: str, at: int) -> str:
    """``line`` (a CSV line, every field quoted) without its field number ``at``."""
    import csv
    import io

    fields = next(csv.reader([line]))
    del fields[at]
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow(fields)
    return out.getvalue()


# ---- Romania's INS TEMPO: monthly periods

def test_ins_tempo_months_are_read_as_periods(tmp_path, capsys):
    """TEMPO's monthly tables ('Luni' heading, 'Luna ianuarie 2021' cells) were 'no period
    column recognised', and under 'Perioade' every cell 'not a period': the Romanian month
    names were none known, nor the word for month before them."""
    src = Path(__file__).parent / "data" / "nomis30" / "ins_tempo_luni_judete.csv"
    code, rows, err = _read(capsys, src)
    assert code == 0, err
    got = {(r["period"], r["region"], r["industry"]): r for r in rows}
    assert {p for p, _, _ in got} == {"2021M01", "2021M06"}
    assert float(got[("2021M06", "Arad", "C")]["employment"]) == 57012
    assert got[("2021M01", "Arad", "F")]["employment_status"] == "suppressed"
    other = tmp_path / "tempo_perioade.csv"
    other.write_text(src.read_text(encoding="utf-8").replace(" Luni,", " Perioade,")
                     .replace("Luna iunie 2021", "Luna decembrie 2021"), encoding="utf-8")
    code, rows, err = _read(capsys, other)
    assert code == 0, err
    assert {r["period"] for r in rows} == {"2021M01", "2021M12"}
