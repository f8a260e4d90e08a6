"""Inputs that stand for several files: a zip archive (as agencies ship their CSVs) and a glob.

Every command reads all the files such an INPUT stands for and names each in its provenance;
``lq`` and ``detect`` used to read only the first file of a glob, silently.
"""

from __future__ import annotations

import zipfile

import polars as pl
import pytest

from clusterid.io.tables import read_metadata
from conftest import ROOT, run_main

SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


@pytest.fixture(scope="module")
def split_sample(tmp_path_factory):
    """The bundled Utah sample split into one CSV per area, three areas, in a folder."""
    folder = tmp_path_factory.mktemp("areas")
    raw = pl.read_csv(SAMPLE, infer_schema_length=0)
    areas = ["49000", "49001", "49003"]
    paths = []
    for area in areas:
        p = folder / f"2016.q1-q4 {area}.csv"
        raw.filter(pl.col("area_fips") == area).write_csv(p)
        paths.append(p)
    return folder, paths, raw.filter(pl.col("area_fips").is_in(areas))


def test_zip_archive_is_read_member_by_member(tmp_path, split_sample, capsys):
    folder, paths, _ = split_sample
    archive = tmp_path / "2016_qtrly_by_area.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            zf.write(p, f"2016.q1-q4.by_area/{p.name}")
        zf.writestr("__MACOSX/._junk.csv", b"\x00\x05")
        zf.writestr("README.pdf", b"%PDF-1.4")
    out_zip, out_glob = tmp_path / "zip.parquet", tmp_path / "glob.parquet"
    code, _, err = run_main(["ingest", str(archive), "-o", str(out_zip)], capsys)
    assert code in (0, None), err
    code, _, err = run_main(["ingest", str(folder / "*.csv"), "-o", str(out_glob)], capsys)
    assert code in (0, None), err
    a, b = pl.read_parquet(out_zip), pl.read_parquet(out_glob)
    assert a.equals(b) and set(a["region"]) == {"49000", "49001", "49003"}
    shown = [i["path"] for i in read_metadata(str(out_zip))["inputs"]]
    assert shown == [f"{archive}:2016.q1-q4.by_area/{p.name}" for p in paths]


def test_problem_in_an_archive_member_names_archive_and_member(tmp_path, capsys):
    rows = pl.read_csv(SAMPLE, infer_schema_length=0).head(300)
    # a 6-digit row (kept; a domain row would be dropped before its cells are read)
    at = rows["agglvl_code"].to_list().index("58")
    rows = rows.with_columns(pl.when(pl.int_range(pl.len()) == at).then(pl.lit("12x"))
                             .otherwise(pl.col("month1_emplvl")).alias("month1_emplvl"))
    line = at + 2  # the header is line 1
    archive = tmp_path / "cut.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("inner/area.csv", rows.write_csv())
    code, _, err = run_main(["ingest", str(archive), "-o", str(tmp_path / "x.parquet")], capsys)
    assert code == 1
    assert f"{archive}:inner/area.csv:{line}: column 'month1_emplvl'" in err and "12x" in err
    assert "clusterid-zip-" not in err
    # set aside instead: the rejects file names the member the same way
    out = tmp_path / "y.parquet"
    code, _, err = run_main(["ingest", str(archive), "-o", str(out), "--on-error", "skip"], capsys)
    assert code in (0, None), err
    rejects = pl.read_csv(str(out) + ".rejects.csv", infer_schema_length=0)
    assert rejects["source"].to_list() == [f"{archive}:inner/area.csv"]
    assert rejects["line"].to_list() == [str(line)]
    assert not (tmp_path / "x.parquet").exists()


def test_zip_without_data_files_is_a_clear_error(tmp_path, capsys):
    archive = tmp_path / "docs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("notes.pdf", b"%PDF-1.4")
    code, _, err = run_main(["ingest", str(archive), "-o", str(tmp_path / "x.parquet")], capsys)
    assert code == 2
    assert "docs.zip: a zip archive without a data file" in err and "notes.pdf" in err


def test_lq_reads_every_file_of_a_glob(tmp_path, split_sample, capsys):
    folder, paths, raw = split_sample
    out = tmp_path / "lq.csv"
    code, _, err = run_main(["lq", str(folder / "*.csv"), "-o", str(out), "--level", "6",
                             "--benchmark", "region:49000"], capsys)
    assert code in (0, None), err
    df = pl.read_csv(out, schema_overrides={"region": pl.String, "industry": pl.String})
    assert set(df["region"]) == {"49001", "49003"}
    assert [i["path"] for i in read_metadata(str(out))["inputs"]] == [str(p) for p in paths]


def test_impute_names_every_file_of_a_glob(tmp_path, split_sample, capsys):
    folder, paths, _ = split_sample
    out = tmp_path / "imputed.parquet"
    code, _, err = run_main(["impute", str(folder / "*.csv"), "-o", str(out)], capsys)
    assert code in (0, None), err
    meta = read_metadata(str(out))
    assert [i["path"] for i in meta["inputs"]] == [str(p) for p in paths]
    assert all(len(i["sha256"]) == 64 for i in meta["inputs"])
