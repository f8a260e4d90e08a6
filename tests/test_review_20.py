"""Review of ``ingest`` in parts (clusterid.io.ingest_parts): inputs on which the parts run
differed from the same files ingested whole.

The threshold is set in-process, to 0 (every input of several files in parts) or out of reach
(whole).  Inputs: the bundled BLS QCEW slice (data/samples, Utah 2016, public domain) cut as
BLS ships it -- one file per area (its by-area files: the statewide file apart from the
counties') -- and small long tables of the generic layout (region, industry, year,
employment), one file per year as statistical offices publish them.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from conftest import run_in_parts as _run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz"


def _said(err: str) -> list[str]:
    """stderr without the line announcing the parts."""
    return [line for line in err.splitlines() if not line.startswith("ingest: a large input")]


def _meta(path: Path) -> dict:
    return json.loads(Path(str(path) + ".meta.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def utah():
    return pl.read_csv(SAMPLE, infer_schema_length=0)


def _areas(utah, folder: Path, areas=("49000", "49001", "49003")) -> None:
    """BLS by-area files (every quarter in each), the statewide one among the counties'."""
    folder.mkdir()
    for area in areas:
        utah.filter(pl.col("area_fips") == area).write_csv(folder / f"2016.q1-q4 {area}.csv")


def test_region_level_with_a_file_of_another_level(utah, tmp_path, capsys, monkeypatch):
    """--region-level county on by-area files, the statewide file among them: that file's
    part held no county and was refused ('no rows at region level county', exit 1) where the
    whole run drops its rows.  Now its rows are dropped in parts as whole: the same table."""
    _areas(utah, tmp_path / "areas")
    out = {}
    for parts in (True, False):
        out[parts] = tmp_path / f"{parts}.csv"
        code, _o, err = _run(["ingest", str(tmp_path / "areas" / "*.csv"), "-o", str(out[parts]),
                              "--region-level", "county"], capsys, monkeypatch, parts)
        assert code == 0, err
    assert out[True].read_bytes() == out[False].read_bytes()
    dropped = _meta(out[True])["dropped"]
    assert dropped == _meta(out[False])["dropped"]
    assert dropped["region level not selected: state"] == utah.filter(
        (pl.col("area_fips") == "49000") & ~pl.col("agglvl_code").is_in(["52", "53"])).height


def test_region_level_none_in_any_part_is_said_as_whole(utah, tmp_path, capsys, monkeypatch):
    """No file holds the level asked for: the whole run's line, naming the levels found."""
    _areas(utah, tmp_path / "areas")
    said = []
    for parts in (True, False):
        code, _o, err = _run(["ingest", str(tmp_path / "areas" / "*.csv"), "-o",
                              str(tmp_path / "out.csv"), "--region-level", "msa"],
                             capsys, monkeypatch, parts)
        assert code == 1 and not (tmp_path / "out.csv").exists()
        said.append(_said(err))
    assert said[0] == said[1] == [
        "clusterid: error: 3 files: column 'region_level': no rows at region level msa (expected "
        "msa, found 'levels county, state'); choose one of the levels found, or leave out "
        "--region-level"]


YEAR = "region,industry,year,employment\n"


def test_every_row_rejected_is_said_with_the_problems(tmp_path, capsys, monkeypatch):
    """--on-error skip, every row of two yearly files bad: the parts run said 'no data rows
    left (found '3 rows dropped')', not why; now, as the whole run, that every row was
    rejected, and the problems (file, line, column, found)."""
    (tmp_path / "y2019.csv").write_text(YEAR + "A,C,2019,1O\nB,C,2019,-5\n", encoding="utf-8")
    (tmp_path / "y2020.csv").write_text(YEAR + "A,C,2020,2O\n", encoding="utf-8")
    said = []
    for parts in (True, False):
        code, _o, err = _run(["ingest", str(tmp_path / "y*.csv"), "-o", str(tmp_path / "o.csv"),
                              "--on-error", "skip"], capsys, monkeypatch, parts)
        assert code == 1 and not (tmp_path / "o.csv").exists()
        said.append(_said(err))
    assert said[0] == said[1]
    assert said[0][0] == ("clusterid: error: <input>: every data row was rejected, nothing left "
                          "to write (expected at least one good row, found '3 rejected rows')")
    assert [Path(line.split(": ")[2]).name for line in said[0][1:]] == [
        "y2019.csv:2", "y2019.csv:3", "y2020.csv:2"]


def test_quarterly_and_annual_qcew_files_refused_in_parts_too(utah, tmp_path, capsys, monkeypatch):
    """BLS's annual by-area file of Beaver County (tests/data/qcew) in one folder with the
    quarterly file of Box Elder's: the whole run refuses them together (exit 2); in parts each
    was read alone and the annual and quarterly rows written into one table, exit 0."""
    import shutil

    (tmp_path / "qcew").mkdir()
    shutil.copy(ROOT / "tests" / "data" / "qcew" / "2016.annual.49001.beaver_county.csv",
                tmp_path / "qcew")
    utah.filter(pl.col("area_fips") == "49003").write_csv(tmp_path / "qcew" / "2016.q1-q4.49003.csv")
    said = []
    for parts in (True, False):
        code, _o, err = _run(["ingest", str(tmp_path / "qcew" / "*.csv"), "-o",
                              str(tmp_path / "o.csv")], capsys, monkeypatch, parts)
        assert code == 2 and not (tmp_path / "o.csv").exists()
        said.append(_said(err))
    assert said[0] == said[1]
    assert "QCEW quarterly and annual files cannot be ingested together" in said[0][0]


def test_qcew_file_without_wages_reads_no_wages_in_parts_too(utah, tmp_path, capsys, monkeypatch):
    """Two quarters of Beaver County, the second cut without its wage columns: the whole run
    reads the measures every file has (no wages, and a note says so); in parts the first
    quarter's wages were kept and the second's left empty.  Now the same table."""
    beaver = utah.filter(pl.col("area_fips") == "49001")
    beaver.filter(pl.col("qtr") == "1").write_csv(tmp_path / "q1.csv")
    beaver.filter(pl.col("qtr") == "2").drop("total_qtrly_wages", "avg_wkly_wage",
                                              "lq_total_qtrly_wages").write_csv(tmp_path / "q2.csv")
    out = {}
    for parts in (True, False):
        out[parts] = tmp_path / f"{parts}.csv"
        code, _o, err = _run(["ingest", str(tmp_path / "q*.csv"), "-o", str(out[parts])],
                             capsys, monkeypatch, parts)
        assert code == 0, err
    assert out[True].read_bytes() == out[False].read_bytes()
    assert "wages" not in out[True].read_text(encoding="utf-8").splitlines()[0]
    assert _meta(out[True])["notes"] == _meta(out[False])["notes"]


def test_quarter_files_read_as_annual_averages(utah, tmp_path, capsys, monkeypatch):
    """BLS's quarterly files one per quarter (2016.q1-q1 ... 2016.q4-q4; two counties here),
    read as the year's average (--month annual, detect's default): each part held one quarter
    and was refused ('an annual average needs all four quarters', exit 1) where the whole run
    averages them.  The quarters of a year are now one part: the whole run's table, with the
    year 2015 (its own four files, given interleaved with 2016's) a part of its own."""
    from clusterid.io import ingest_parts

    two = utah.filter(pl.col("area_fips").is_in(["49001", "49003"]))
    names = []
    for year in ("2016", "2015"):
        for q in "1234":
            name = tmp_path / f"{year}.q{q}-q{q}.csv"
            two.filter(pl.col("qtr") == q).with_columns(year=pl.lit(year)).write_csv(name)
            names.append(str(name))
    names = sorted(names, key=lambda n: (Path(n).name[6], n))  # by quarter, then year
    assert [Path(n).name for n in names[:3]] == ["2015.q1-q1.csv", "2016.q1-q1.csv",
                                                 "2015.q2-q2.csv"]
    out = {}
    for parts in (True, False):
        out[parts] = tmp_path / f"{parts}.csv"
        code, _o, err = _run(["ingest", *names, "-o", str(out[parts]), "--month", "annual"],
                             capsys, monkeypatch, parts)
        assert code == 0, err
    assert out[True].read_bytes() == out[False].read_bytes()
    assert _meta(out[True])["computed_in_parts"] == 2
    periods = pl.read_csv(out[True], infer_schema_length=0)["period"].unique(maintain_order=True)
    assert periods.to_list() == ["2015", "2016"]
    from clusterid.io.ingest import IngestOptions

    together = ingest_parts._read_together(names, IngestOptions(month="annual"))
    assert [[Path(f).name[:4] for f in unit] for unit in together] == [["2015"] * 4, ["2016"] * 4]


def test_metadata_and_rejects_as_whole(utah, tmp_path, capsys, monkeypatch):
    """By-area files of three counties (every quarter in each: one part, ingested together),
    the middle one's every row bad and the others' one cell each, given as a glob and one
    file again by name, --on-error skip --level 2.  In parts the metadata listed the middle
    file's input and rejected rows after the others' (its part, of no row, came last), left
    out 'given more than once', and said the --level note of one part only (a quarter of the
    rows rolled up).  Now the metadata is the whole run's but for computed_in_parts and the
    rejects' own path, and the rejects file is the whole run's."""
    folder = tmp_path / "areas"
    folder.mkdir()
    bad = pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("12x")).otherwise(pl.col("month1_emplvl"))
    for area in ("49001", "49005"):
        (utah.filter(pl.col("area_fips") == area).with_columns(month1_emplvl=bad)
         .write_csv(folder / f"2016.q1-q4 {area}.csv"))
    (utah.filter(pl.col("area_fips") == "49003").head(4).with_columns(month1_emplvl=pl.lit("n/a"))
     .write_csv(folder / "2016.q1-q4 49003.csv"))
    out = {}
    for parts in (True, False):
        out[parts] = tmp_path / f"{parts}.csv"
        code, _o, err = _run(["ingest", str(folder / "*.csv"), str(folder / "2016.q1-q4 49001.csv"),
                              "-o", str(out[parts]), "--on-error", "skip", "--level", "2"],
                             capsys, monkeypatch, parts)
        assert code == 0, err
    assert out[True].read_bytes() == out[False].read_bytes()
    rejects = [Path(str(out[p]) + ".rejects.csv").read_text(encoding="utf-8") for p in (True, False)]
    assert rejects[0] == rejects[1]
    assert [Path(line.split(",")[0]).name for line in rejects[0].splitlines()[1:]] == [
        "2016.q1-q4 49001.csv", *["2016.q1-q4 49003.csv"] * 4, "2016.q1-q4 49005.csv"]
    meta = {p: _meta(out[p]) for p in (True, False)}
    assert meta[True].pop("computed_in_parts") == 1
    for m in meta.values():
        del m["options"]["rejects"], m["rejects_file"]
    assert meta[True] == meta[False]
    assert [Path(i["path"]).name for i in meta[True]["inputs"]] == [
        "2016.q1-q4 49001.csv", "2016.q1-q4 49003.csv", "2016.q1-q4 49005.csv"]
    assert any("given more than once" in w for w in meta[True]["warnings"])


def test_level_note_counts_every_part(utah, tmp_path, capsys, monkeypatch):
    """Quarter files of Beaver County, --level 2: each part rolls up its own quarter's finer
    rows, and the metadata said one part's count (the four equal: a quarter of the rows)."""
    beaver = utah.filter(pl.col("area_fips") == "49001")
    for q in "1234":
        beaver.filter(pl.col("qtr") == q).write_csv(tmp_path / f"2016.q{q}-q{q}.49001.csv")
    notes = {}
    for parts in (True, False):
        out = tmp_path / f"{parts}.csv"
        code, _o, err = _run(["ingest", str(tmp_path / "2016.*.csv"), "-o", str(out),
                              "--level", "2"], capsys, monkeypatch, parts)
        assert code == 0, err
        notes[parts] = _meta(out)["notes"]
    assert notes[True] == notes[False]
    # county rows of 3- to 6-digit NAICS (agglvl_code 75-78): 180 + 296 + 364 + 396
    finer = beaver.filter(pl.col("agglvl_code").is_in(["75", "76", "77", "78"])).height
    assert finer == 1236
    assert notes[True][1].endswith(f", {finer} finer rows rolled up")


def test_lq_on_files_given_one_by_one_reads_them_in_parts(utah, tmp_path, capsys, monkeypatch):
    """``clusterid lq q1.csv q2.csv`` (an unquoted glob, expanded by the shell) was ingested
    whole whatever its size, where the quoted glob of the same files goes in parts: a panel
    too large for memory failed one way and not the other.  Now both go in parts, with the
    LQs of the whole ingest."""
    beaver = utah.filter(pl.col("area_fips").is_in(["49001", "49003"]))
    names = []
    for q in "12":
        names.append(str(tmp_path / f"2016.q{q}-q{q}.csv"))
        beaver.filter(pl.col("qtr") == q).write_csv(names[-1])
    got = {}
    for parts in (True, False):
        out = tmp_path / f"lq_{parts}.csv"
        code, _o, err = _run(["lq", *names, "-o", str(out)], capsys, monkeypatch, parts)
        assert code == 0, err
        got[parts] = out.read_bytes()
        source = _meta(out)["source"]
        assert source.get("computed_in_parts") == (2 if parts else None)
    assert got[True] == got[False]


def test_full_temporary_disk_is_said_with_the_way_out(utah, tmp_path, capsys, monkeypatch):
    """The temporary folder fills up while a part is spilled (a national panel's parts on a
    small /tmp): the user saw 'internal error: ComputeError: parquet: ... (os error 28)'; now
    the folder, that it is full, and TMPDIR -- exit 2, no output, no temporary file left."""
    import tempfile

    beaver = utah.filter(pl.col("area_fips") == "49001")
    for q in "12":
        beaver.filter(pl.col("qtr") == q).write_csv(tmp_path / f"2016.q{q}-q{q}.csv")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def full(self, *args, **kwargs):  # polars' own words for ENOSPC
        raise pl.exceptions.ComputeError(
            "parquet: File out of specification: underlying IO error: No space left on device "
            "(os error 28)")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", full)
    out = tmp_path / "out.csv"
    code, _o, err = _run(["ingest", str(tmp_path / "2016.*.csv"), "-o", str(out)], capsys,
                         monkeypatch, True)
    assert code == 2
    assert _said(err) == [
        f"clusterid: error: {scratch}: cannot write the temporary tables of a large input "
        "ingested in parts: the disk is full; set TMPDIR to a folder with room for them (about "
        "the size of the output as Parquet)"]
    assert not out.exists() and list(scratch.iterdir()) == []


def test_region_names_spelt_apart_in_two_years(tmp_path, capsys, monkeypatch):
    """Yearly tables keyed by region names (no code column), 'Almaty' in 2019's and
    'ALMATY ' in 2020's: read together they are one region (the reader merges spellings
    that differ in case or spaces, and says so); in parts each year was read alone and the
    table held two regions, each missing a year.  Now the whole run's table."""
    (tmp_path / "y2019.csv").write_text(YEAR + "Almaty,C,2019,10\nAstana,C,2019,5\n",
                                        encoding="utf-8")
    (tmp_path / "y2020.csv").write_text(YEAR + "ALMATY ,C,2020,11\nAstana,C,2020,6\n",
                                        encoding="utf-8")
    out, said = {}, {}
    for parts in (True, False):
        out[parts] = tmp_path / f"{parts}.csv"
        code, _o, err = _run(["ingest", str(tmp_path / "y*.csv"), "-o", str(out[parts])],
                             capsys, monkeypatch, parts)
        assert code == 0, err
        said[parts] = _said(err.replace(str(out[parts]), "OUT"))
    assert out[True].read_bytes() == out[False].read_bytes()
    assert said[True] == said[False]
    assert "'ALMATY' -> 'Almaty'" in said[True][-1]
    assert pl.read_csv(out[True])["region"].to_list() == ["Almaty", "Astana", "Almaty", "Astana"]


def test_interrupted_removal_of_the_parts_still_removes_them(tmp_path, monkeypatch):
    """Ctrl-C while the parts' temporary tables are being removed (the end of a large
    ingest, or its failure): TemporaryDirectory.cleanup forgets the folder as it starts, so
    the rest stayed in TMPDIR for good.  Now the folder is removed all the same and the
    interruption goes on (exit 130 from the CLI)."""
    import tempfile

    from clusterid.io import ingest_parts

    folder = tempfile.TemporaryDirectory(dir=tmp_path)
    (Path(folder.name) / "part-0.parquet").write_bytes(b"PAR1")
    real = folder.cleanup

    def stopped():  # the signal arrives after the finalizer is detached, before the files go
        folder._finalizer.detach()
        raise KeyboardInterrupt

    monkeypatch.setattr(folder, "cleanup", stopped)
    with pytest.raises(KeyboardInterrupt):
        ingest_parts.PartedIngest([], {}, {}, folder).close()
    assert list(tmp_path.iterdir()) == []
    real()  # nothing left to remove: no error


def test_region_whose_rows_of_a_year_are_all_rejected_lacks_that_year(tmp_path, capsys,
                                                                      monkeypatch):
    """--on-error skip: region B's only 2020 row is a duplicate of a row in another file of
    2020 (both set aside).  The whole run warned 'region B has no rows for period(s) 2021'
    from the rows before the rejection, where the table written lacks B in 2020 too; parts
    said '2020, 2021'.  Now both say what the table holds."""
    (tmp_path / "y2019.csv").write_text(YEAR + "A,C,2019,10\nB,C,2019,5\n", encoding="utf-8")
    (tmp_path / "y2020.csv").write_text(YEAR + "A,C,2020,11\nB,C,2020,6\n", encoding="utf-8")
    (tmp_path / "y2020_copy.csv").write_text(YEAR + "B,C,2020,7\nA,C,2021,1\n", encoding="utf-8")
    for parts in (True, False):
        out = tmp_path / f"{parts}.csv"
        code, _o, err = _run(["ingest", str(tmp_path / "y*.csv"), "-o", str(out), "--on-error",
                              "skip"], capsys, monkeypatch, parts)
        assert code == 0, err
        assert _meta(out)["warnings"] == ["region B has no rows for period(s) 2020, 2021"]
        assert pl.read_csv(out)["region"].to_list() == ["A", "B", "A", "A"]


def test_temporary_folder_whose_name_holds_a_bracket(tmp_path, capsys, monkeypatch):
    """TMPDIR under a folder named with brackets ('job [1]', as CI runners and Internet
    Explorer's cache name them): polars read the parts' temporary tables as glob patterns
    matching nothing -- 'internal error: ComputeError: ... expanded paths were empty'.  Now
    the parts are read by their names: the whole run's table and rejects."""
    import tempfile

    scratch = tmp_path / "job [1]"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    # 2019 in two files with 2020's between them: ingested together, rejects sorted again
    years = tmp_path / "years"
    years.mkdir()
    (years / "a2019.csv").write_text(YEAR + "A,C,2019,10\nB,C,2019,x5\n", encoding="utf-8")
    (years / "b2020.csv").write_text(YEAR + "A,C,2020,11\nB,C,2020,-6\nC,C,2020,1\n",
                                     encoding="utf-8")
    (years / "c2019.csv").write_text(YEAR + "C,C,2019,1O\nD,C,2019,2\n", encoding="utf-8")
    out = {}
    for parts in (True, False):
        out[parts] = tmp_path / f"{parts}.csv"
        code, _o, err = _run(["ingest", str(years / "*.csv"), "-o", str(out[parts]),
                              "--on-error", "skip"], capsys, monkeypatch, parts)
        assert code == 0, err
    assert out[True].read_bytes() == out[False].read_bytes()
    rejects = [Path(str(out[p]) + ".rejects.csv").read_text(encoding="utf-8") for p in (True, False)]
    assert rejects[0] == rejects[1]
    assert [Path(line.split(",")[0]).name for line in rejects[0].splitlines()[1:]] == [
        "a2019.csv", "b2020.csv", "c2019.csv"]
    assert list(scratch.iterdir()) == []
