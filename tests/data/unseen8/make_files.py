"""Writes the test tables of this folder from ../shared/data (run once; outputs committed).

Each is a canonical table ``clusterid ingest`` wrote from real QCEW rows, then saved again the
way a spreadsheet saves a CSV: every number in its General format (whole numbers without
``.0``, at most 11 characters, a larger number in scientific notation with the digits that fit:
``1.6991E+11``), in the locale's layout.  See tests/data/README.md for the sources.
Run: .venv/bin/python tests/data/unseen8/make_files.py
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[2]
SHARED = PROJECT.parent / "shared" / "data"
FIRST_NUMBER = 9  # the columns from `level` on hold numbers (or statuses and flags)


def general(cell: str, decimal: str = ".") -> str:
    """A number as a spreadsheet's General format writes it to CSV (what the cell shows)."""
    try:
        f = float(cell)
    except ValueError:
        return cell
    if f == int(f) and len(str(int(abs(f)))) <= 11:
        text = str(int(f))
    elif abs(f) >= 1e11:
        mantissa, exponent = ("%.5E" % f).split("E")
        text = mantissa.rstrip("0").rstrip(".") + "E+" + str(int(exponent))
    else:
        whole = len(str(int(abs(f))))
        text = ("%.*f" % (max(0, 10 - whole), f)).rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def resave(src: Path, dst: Path, sep: str, decimal: str, encoding: str) -> None:
    rows = list(csv.reader(src.open(encoding="utf-8", newline="")))
    with dst.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh, delimiter=sep, lineterminator="\r\n")
        out.writerow(rows[0])
        for row in rows[1:]:
            out.writerow([general(c, decimal) if i >= FIRST_NUMBER else c for i, c in enumerate(row)])


def resave_raw(src: Path, dst: Path) -> None:
    """A QCEW file as an English spreadsheet saves it: its numbers (from qtrly_estabs_count on)
    in the General format, UTF-8 with BOM, CRLF."""
    rows = list(csv.reader(src.open(encoding="utf-8", newline="")))
    first = rows[0].index("qtrly_estabs_count")
    with dst.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(rows[0])
        for row in rows[1:]:
            out.writerow([general(c) if i >= first else c for i, c in enumerate(row)])


def ingest(raw: pl.DataFrame, dst: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "raw.csv"
        raw.write_csv(path)
        subprocess.run([sys.executable, "-m", "clusterid", "ingest", str(path), "-o", str(dst)],
                       check=True)
    Path(str(dst) + ".meta.json").unlink()  # the copy a user mails on: the table alone


def main() -> None:
    states = pl.read_csv(SHARED / "qcew_states_2016q1" / "qcew_2016q1_statewide_total_and_private.csv",
                         infer_schema_length=0)
    states = states.filter(pl.col("area_fips").is_in(["01000", "09000", "36000", "42000", "49000"]),
                           pl.col("agglvl_code").is_in(["50", "51", "54"]))
    ingest(states, HERE / "qcew_states_2016q1_canonical.csv")
    resave(HERE / "qcew_states_2016q1_canonical.csv", HERE / "qcew_states_2016q1_canonical_excel_us.csv",
           ",", ".", "utf-8-sig")
    resave(HERE / "qcew_states_2016q1_canonical.csv", HERE / "qcew_states_2016q1_canonical_excel_de.csv",
           ";", ",", "cp1252")

    raw = HERE / "qcew_2016q1_ny_pa_statewide.csv"
    states.filter(pl.col("area_fips").is_in(["36000", "42000"])).write_csv(raw)
    resave_raw(raw, HERE / "qcew_2016q1_ny_pa_statewide_excel.csv")

    utah = pl.read_csv(PROJECT / "data" / "samples" / "qcew_utah_2016_counties.csv.gz",
                       infer_schema_length=0)
    utah = utah.filter(pl.col("qtr") == "1", pl.col("area_fips").is_in(["49011", "49035", "49049", "49057"]),
                       pl.col("agglvl_code").is_in(["70", "71", "74"]))
    ingest(utah, HERE / "qcew_utah_2016q1_canonical.csv")
    resave(HERE / "qcew_utah_2016q1_canonical.csv", HERE / "qcew_utah_2016q1_canonical_excel_de.csv",
           ";", ",", "cp1252")


if __name__ == "__main__":
    main()
