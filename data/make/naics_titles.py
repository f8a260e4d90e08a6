"""Write src/clusterid/data/naics_2012_titles.csv: titles of NAICS 2012 codes, 2 to 6 digits.

    .venv/bin/python data/make/naics_titles.py [SHARED_DATA]

Sources (public domain / published, unchanged but for the prefix):
* BLS QCEW 2016, Utah statewide by-area file (``2016.q1-q4 49000 Utah -- Statewide.csv`` in
  ../shared/data/qcew_utah_2016q): ``industry_title`` of every code, its ``NAICS 311111 ``
  (or ``NAICS12 211111 ``, for codes of the 2012 vintage only) prefix taken off; QCEW's own domain and supersector codes (10, 101, 1011 ...), which are
  no NAICS codes, left out;
* the USCMP definitions bundled in src/clusterid/data (``uscmp_naics_to_cluster.csv``, NAICS
  2012 vintage) for six-digit codes Utah's file does not list.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from clusterid import schema
from clusterid.core import codes

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
UTAH = SHARED / "qcew_utah_2016q" / "2016.q1-q4 49000 Utah -- Statewide.csv"
USCMP = ROOT / "src" / "clusterid" / "data" / "uscmp_naics_to_cluster.csv"
OUT = ROOT / "src" / "clusterid" / "data" / "naics_2012_titles.csv"


def main() -> None:
    titles: dict[str, str] = {}
    with open(UTAH, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["industry_code"]
            if code == schema.ALL_INDUSTRIES or codes.level(code, schema.NAICS) is None:
                continue
            titles[code] = re.sub(r"^NAICS\d*\s+\S+\s+", "", row["industry_title"]).strip()
    with open(USCMP, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["naics_vintage"] == "2012":
                titles.setdefault(row["naics_code"], row["naics_title"].strip())
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["code", "title"])
        for code in sorted(titles):
            out.writerow([code, titles[code]])
    print(f"{len(titles)} titles -> {OUT}")


if __name__ == "__main__":
    main()
