"""Session 32's canon-32: a canonical Parquet edited by another tool, a CSV field over the csv
module's limit, detect's output folder."""

from __future__ import annotations

import pytest
from conftest import TEST_DATA, run_main

TOY = TEST_DATA / "lq" / "toy_canonical.csv"


@pytest.fixture
def canonical(tmp_path, capsys):
    """The toy canonical table written by ``clusterid ingest`` as Parquet, with its metadata."""
    out = tmp_path / "toy.parquet"
    code, _, err = run_main(["-q", "ingest", str(TOY), "-o", str(out)], capsys)
    assert code == 0, err
    return out


def _rewritten(src, dest, edit):
    """``src`` read with pyarrow, edited, and written to ``dest`` with clusterid's metadata kept."""
    import pyarrow.parquet as pq

    table = pq.read_table(src)
    kept = {k: v for k, v in pq.read_metadata(src).metadata.items() if k != b"ARROW:schema"}
    pq.write_table(edit(table).replace_schema_metadata(kept), dest)
    return dest


@pytest.mark.parametrize("command", ["lq", "stats"])
def test_rows_appended_with_pyarrow_are_checked_not_trusted(canonical, tmp_path, capsys, command):
    # pyarrow keeps the file's metadata: five rows appended (a key twice) passed as ingest's
    # output and lq and stats exited 0, summing the duplicated cells twice.  The row count the
    # metadata recorded differs from the footer's, so the table is checked as one clusterid
    # did not write, and the duplicate key is named.
    import pyarrow as pa

    edited = _rewritten(canonical, tmp_path / "dup.parquet",
                        lambda t: pa.concat_tables([t, t.slice(0, 1)]))
    code, _, err = run_main([command, str(edited), "-o", str(tmp_path / "out.csv")], capsys)
    assert code == 1, err
    assert "dup.parquet: duplicate row for the same key" in err
    assert "period=2016, region=A, ownership=total, industry=10" in err


def test_a_key_column_cast_with_pyarrow_is_checked_not_trusted(canonical, tmp_path, capsys):
    # `period` cast to int64 (2016) and a row appended, in a table whose metadata records no
    # row count (as impute's output records none): the integer years were read as the years
    # they spell and the table trusted, so lq exited 0 with the key twice.  The footer's schema
    # (free: no scan) is no longer clusterid's, so every check of a foreign table runs.
    import json

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    def edit(t):
        t = pa.concat_tables([t, t.slice(0, 1)])
        i = t.schema.get_field_index("period")
        return t.set_column(i, pa.field("period", pa.int64()), pc.cast(t["period"], pa.int64()))

    table = edit(pq.read_table(canonical))
    meta = json.loads(pq.read_metadata(canonical).metadata[b"clusterid"])
    del meta["rows_kept"]
    edited = tmp_path / "years.parquet"
    pq.write_table(table.replace_schema_metadata({b"clusterid": json.dumps(meta).encode()}), edited)
    code, _, err = run_main(["lq", str(edited), "-o", str(tmp_path / "out.csv")], capsys)
    assert code == 1, err
    assert "years.parquet: duplicate row for the same key" in err


def test_rows_appended_to_imputes_output_are_checked_not_trusted(tmp_path, capsys):
    # impute's output recorded no row count: rows appended with pyarrow were trusted.  It now
    # records rows_written, checked against the footer as ingest's rows_kept is
    import pyarrow as pa

    imputed = tmp_path / "imputed.parquet"
    code, _, err = run_main(["-q", "impute", str(TOY), "-o", str(imputed)], capsys)
    assert code == 0, err
    edited = _rewritten(imputed, tmp_path / "more.parquet",
                        lambda t: pa.concat_tables([t, t.slice(2, 1)]))
    code, _, err = run_main(["stats", str(edited)], capsys)
    assert code == 1, err
    assert "more.parquet: duplicate row for the same key" in err


def test_rows_filtered_with_pyarrow_still_read(canonical, tmp_path, capsys):
    # a fair edit (one region's rows kept) reads as before: checked, not refused
    import pyarrow.compute as pc

    edited = _rewritten(canonical, tmp_path / "a.parquet",
                        lambda t: t.filter(pc.equal(t["region"], "A")))
    code, out, err = run_main(["lq", str(edited), "-o", "-"], capsys)
    assert code == 0, err
    assert out.count("\n") > 1


HEADER = "region,industry,year,employment\n01,111,2016,5\n"


@pytest.mark.parametrize("cell", ['"' + "x" * 200_000 + '"', "x" * 200_000])
def test_a_huge_cell_is_not_blamed_on_a_quote(tmp_path, capsys, cell):
    # a cell over the csv module's limit (131,072 characters), well quoted or not quoted at
    # all, was "malformed CSV: field larger than field limit (131072); check the quotes on
    # this line": there is no quote to check
    src = tmp_path / "long.csv"
    src.write_text(HEADER + f"02,{cell},2016,7\n03,111,2016,9\n", encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "out.csv")], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert "long.csv:3: malformed CSV: a cell of 200,000 characters (field 2 of the row)" in err
    assert "quote" not in err.split(";")[0] and "no quote is unbalanced" in err


def test_an_unclosed_quote_over_the_limit_is_said_as_one(tmp_path, capsys):
    # a quote opened and never closed swallows the rows below into one "cell" over the limit
    src = tmp_path / "open.csv"
    rows = "".join(f"{i:05d},111,2016,{i}\n" for i in range(3, 12_000))
    src.write_text(HEADER + '02,"111,2016,7\n' + rows, encoding="utf-8")
    code, _, err = run_main(["ingest", str(src), "-o", str(tmp_path / "out.csv")], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert ("open.csv:3: malformed CSV: a quoted cell opened on this line does not close where "
            "its row ends") in err
    assert "an unbalanced quote: close it, or remove it" in err


def test_a_qcew_file_with_an_unclosed_quote_says_so():
    # QCEW's structure check said "unreadable CSV row: field larger than field limit
    # (131072); an unbalanced quote?" whatever the cell was
    from clusterid.io.readers.text import oversized_field

    what, hint = oversized_field(iter(['1,"a\n'] + ["2,b,c\n"] * 3))
    assert "does not close where its row ends" in what and "unbalanced quote" in hint
    what, hint = oversized_field(iter(['1,"' + "a" * 10 + '",3\n', "2,b,c\n"]))
    assert what.startswith("a cell of 10 characters (field 2 of the row)")


DETECT_TABLE = TEST_DATA / "stages32" / "two_divisions_withheld.csv"
DETECT_DEFS = TEST_DATA / "e2e31" / "definitions_sections_detailed.csv"


def _detect(out, capsys, *extra):
    return run_main(["detect", str(DETECT_TABLE), "-o", str(out), "--definitions",
                     str(DETECT_DEFS), *extra], capsys)


def test_detect_refuses_to_replace_files_it_did_not_write(tmp_path, capsys):
    # `detect ... -o .` in a folder holding the user's own clusters.csv replaced it, exit 0
    mine = "industry,cluster\n311,1\n"
    (tmp_path / "clusters.csv").write_text(mine, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("keep\n", encoding="utf-8")
    code, _, err = _detect(tmp_path, capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert ("holds clusters.csv (not written by detect: no metadata.json of detect's), which "
            "detect would replace; give another output folder, or move them away") in err
    assert (tmp_path / "clusters.csv").read_text(encoding="utf-8") == mine
    assert not (tmp_path / "metadata.json").exists()


def test_detect_replaces_its_own_output_but_not_a_file_it_does_not_list(tmp_path, capsys):
    # a `run` pipeline re-runs detect into its own folder (also after a table there was
    # edited, to put it back): its metadata.json lists the tables, so the folder is written
    # again, with other options too
    out = tmp_path / "det"
    assert _detect(out, capsys)[0] == 0
    summary = out / "cluster_summary.csv"
    summary.write_text(summary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, _, err = _detect(out, capsys, "--suppressed", "bounds")
    assert code == 0, err
    assert not summary.read_text(encoding="utf-8").endswith("\n\n")
    # a table of detect's names that its metadata.json does not list is the user's
    (out / "relatedness.csv").write_text("industry_a,industry_b,similarity\n", encoding="utf-8")
    code, _, err = _detect(out, capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert "holds relatedness.csv (not written by detect: not in its metadata.json)" in err
    # and a metadata.json of another kind makes every file there foreign
    (out / "relatedness.csv").unlink()
    (out / "metadata.json").write_text('{"kind": "lq"}\n', encoding="utf-8")
    code, _, err = _detect(out, capsys)
    assert code == 2, err
    assert ("holds clusters.csv, cluster_summary.csv, regional_clusters.csv, region_summary.csv, "
            "metadata.json (not written by detect: no metadata.json of detect's)") in err
