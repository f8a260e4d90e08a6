"""`clusterid ingest` on files as statistical offices publish them, never seen before (round 5).

Numbers are the Bundesagentur für Arbeit's employment by Land and WZ-2008 section as shipped in
REAT's ``G.regions.emp`` (../shared/data/reat_germany_eu/REAT_G.regions.emp.csv); the files are
written the way Destatis / the Länder offices lay their tables out (see tests/data/README.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl

from clusterid import schema

DATA = Path(__file__).parent / "data" / "unseen5"


def _ingest(tmp_path, name, *args, out_name="out.csv"):
    out = tmp_path / out_name
    proc = subprocess.run([sys.executable, "-m", "clusterid", "ingest", str(DATA / name), "-o", str(out), *args],
                          capture_output=True, text=True)
    df = pl.read_csv(out, infer_schema_length=0) if out.exists() else None
    return proc, df, out


def _cells(df, measure=schema.EMPLOYMENT):
    return {(r[schema.PERIOD], r[schema.REGION], r[schema.INDUSTRY]):
            (None if r[measure] in (None, "") else float(r[measure]), r[schema.status_col(measure)],
             r[schema.flag_col(measure)])
            for r in df.iter_rows(named=True)}


def test_one_malformed_cell_does_not_switch_the_whole_file_to_decimal_points(tmp_path):
    # '2O.066' (a letter O for a zero) voted 'decimal point' in the number-format guess, so
    # every other cell of this ';'-separated German table was read with decimal '.', and with
    # --on-error skip the kept rows came out 1000 times too small: Bayern F 2013 283.06, not
    # 283,060 (the BA's figure), without a word
    proc, df, out = _ingest(tmp_path, "de_laender_one_bad_cell_cp1252.csv", "--on-error", "skip")
    assert proc.returncode == 0, proc.stderr
    got = _cells(df)
    assert got[("2013", "Bayern", "F")][0] == 283060.0
    assert got[("2014", "Bayern", "F")][0] == 288109.0
    assert got[("2013", "Bremen", "F")][0] == 11664.0
    assert got[("2014", "Saarland", "C")][0] == 98640.0
    assert ("2013", "Saarland", "F") not in got  # its line holds the bad cell: set aside
    rejects = pl.read_csv(str(out) + ".rejects.csv", infer_schema_length=0)
    assert rejects.height >= 1
    # without --on-error skip: one line naming file, line, column, what was expected and found,
    # and the number format the rest of the file was read with
    proc, df, out = _ingest(tmp_path, "de_laender_one_bad_cell_cp1252.csv", out_name="strict.csv")
    assert proc.returncode == 1 and df is None and not out.exists()
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "de_laender_one_bad_cell_cp1252.csv:5" in lines[0] and "'2014'" in lines[0]
    assert "'2O.066'" in lines[0] and "decimal ','" in lines[0]
