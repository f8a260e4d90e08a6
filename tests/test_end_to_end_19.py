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
