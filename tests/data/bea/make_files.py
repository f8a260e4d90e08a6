"""Write CAEMP25N_UT_2015_2016.csv: Utah's state and county lines of BEA's CAEMP25N table
(total full-time and part-time employment by NAICS industry), in BEA's published layout.

Magnitudes come from BLS QCEW 2016 (../shared/data/qcew_utah_2016q: annual average of the
monthly employment, private sectors by county and government by ownership); every figure of
the output is made up from them (BEA's counts include proprietors: private sectors x 1.25,
government + military); 2015 is 2016 x 0.97.  The state's lines are the sums of its counties'
(as BEA's are).  QCEW's non-disclosed cells become (D) (a made-up value still counted in the
totals, as BEA's legend says), values under 10 become (L), one cell is (NA).

    .venv/bin/python tests/data/bea/make_files.py ../shared/data/qcew_utah_2016q
"""

from __future__ import annotations

import csv
import glob
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent
SECTORS = [  # (LineCode, IndustryClassification, Description)
    (200, "21", "Mining, quarrying, and oil and gas extraction"),
    (300, "22", "Utilities"), (400, "23", "Construction"), (500, "31-33", "Manufacturing"),
    (600, "42", "Wholesale trade"), (700, "44-45", "Retail trade"),
    (800, "48-49", "Transportation and warehousing"), (900, "51", "Information"),
    (1000, "52", "Finance and insurance"), (1100, "53", "Real estate and rental and leasing"),
    (1200, "54", "Professional, scientific, and technical services"),
    (1300, "55", "Management of companies and enterprises"),
    (1400, "56", "Administrative and support and waste management and remediation services"),
    (1500, "61", "Educational services"), (1600, "62", "Health care and social assistance"),
    (1700, "71", "Arts, entertainment, and recreation"),
    (1800, "72", "Accommodation and food services"),
    (1900, "81", "Other services (except government and government enterprises)"),
]
FOOTER = [
    "Note. All estimates from 2001 forward are based on the 2017 North American Industry "
    "Classification System (NAICS).",
    "Legend / Footnotes:",
    "1/ The estimates of employment for 2001-2006 are based on the 2002 NAICS. The estimates "
    "for 2007-2010 are based on the 2007 NAICS.",
    "2/ Excludes limited partners.",
    "(D) Not shown to avoid disclosure of confidential information; estimates are included in "
    "higher-level totals.",
    "(L) Less than 10 jobs, but the estimate is included in the totals.",
    "(NA) Not available.",
    "Last updated: November 16, 2023-- new statistics for 2022; revised statistics for 2001-2021.",
    "Source: U.S. Bureau of Economic Analysis",
]


def qcew(folder: str):
    """area -> {'name', sector -> (mean employment, nondisclosed), 'own1'/'own2'/'own3'}."""
    sums: dict = defaultdict(lambda: defaultdict(lambda: [0.0, 0, False]))
    names = {}
    for f in sorted(glob.glob(f"{folder}/*.csv")):
        for r in csv.DictReader(open(f, newline="")):
            area = r["area_fips"]
            if not area.startswith("49") or area.endswith(("000", "999")):
                continue
            names[area] = r["area_title"].replace(" County, Utah", ", UT")
            if r["agglvl_code"] == "74" and r["own_code"] == "5":
                key = r["industry_code"]
            elif r["agglvl_code"] == "71" and r["own_code"] in ("1", "2", "3"):
                key = "own" + r["own_code"]
            else:
                continue
            cell = sums[area][key]
            cell[0] += sum(float(r[f"month{m}_emplvl"]) for m in (1, 2, 3)) / 3
            cell[1] += 1
            cell[2] |= r["disclosure_code"] == "N"
    out = {}
    for area, d in sums.items():
        out[area] = {k: (v[0] / max(v[1], 1), v[2]) for k, v in d.items()}
        out[area]["name"] = names[area]
    return out


def county_lines(q: dict, factor: float, fips: str):
    """{LineCode: (classification, description, value, marker or None)} of one county."""
    def val(x):
        return int(round(x * factor))

    def private(code):
        emp, hidden = q.get(code, (0.0, False))
        if hidden and emp == 0:
            emp = 35.0  # made up: the value behind a (D), still counted in the totals
        return val(emp * 1.25), ("(D)" if hidden else None)

    lines = {}
    ag, ag_hidden = q.get("11", (0.0, False))
    lines[70] = ("111-112", "Farm employment", val(ag * 0.9 + 180), None)
    lines[100] = ("113-115", "  Forestry, fishing, and related activities", val(ag * 0.35 + 4),
                  "(D)" if ag_hidden else None)
    for code_line, code, desc in SECTORS:
        v, marker = private(code)
        lines[code_line] = (code, "  " + desc, v, marker)
    fed, sta, loc = (val(q.get(k, (0.0, False))[0]) for k in ("own1", "own2", "own3"))
    mil = val(fed * 0.1 + 6)
    lines[2001] = ("...", "  Federal civilian", fed, None)
    lines[2002] = ("...", "  Military", mil, None)
    lines[2011] = ("...", "   State government", sta, None)
    lines[2012] = ("...", "   Local government", loc, None)
    lines[2010] = ("...", "  State and local", sta + loc, None)
    lines[2000] = ("...", " Government and government enterprises", fed + mil + sta + loc, None)
    for k, (c, d, v, m) in list(lines.items()):
        if m is None and 0 < v < 10:
            lines[k] = (c, d, v, "(L)")
    if fips == "49009" and factor < 1:  # made up: Daggett's utilities not available for 2015
        c, d, v, _m = lines[300]
        lines[300] = (c, d, v, "(NA)")
    return _derived(lines)


def _derived(lines: dict) -> dict:
    industries = [70, 100] + [c for c, _i, _d in SECTORS] + [2000]
    total = sum(lines[k][2] for k in industries)
    farm = lines[70][2]
    gov = lines[2000][2]
    ws = int(round(total * 0.78))
    farm_prop = int(round(farm * 0.6))
    lines[10] = ("...", "Total employment (number of jobs)", total, None)
    lines[20] = ("...", " Wage and salary employment", ws, None)
    lines[40] = ("...", " Proprietors employment", total - ws, None)
    lines[50] = ("...", "  Farm proprietors employment", farm_prop, None)
    lines[60] = ("...", "  Nonfarm proprietors employment 2/", total - ws - farm_prop, None)
    lines[80] = ("...", "Nonfarm employment", total - farm, None)
    lines[90] = ("...", " Private nonfarm employment", total - farm - gov, None)
    return lines


def main(folder: str) -> None:
    data = qcew(folder)
    counties = sorted(a for a in data if a != "49000")
    years = ("2015", "2016")
    per_year = {y: {a: county_lines(data[a], 0.97 if y == "2015" else 1.0, a) for a in counties}
                for y in years}
    state = {}
    for y in years:
        lines = {}
        for k, (c, d, _v, _m) in per_year[y][counties[0]].items():
            lines[k] = (c, d, sum(per_year[y][a][k][2] for a in counties), None)
        state[y] = lines
    out = HERE / "CAEMP25N_UT_2015_2016.csv"
    rows = [["GeoFIPS", "GeoName", "Region", "TableName", "LineCode", "IndustryClassification",
             "Description", "Unit", *years]]
    for area in ["49000", *counties]:
        name = "Utah" if area == "49000" else data[area]["name"]
        src = {y: (state[y] if area == "49000" else per_year[y][area]) for y in years}
        for k in sorted(src[years[0]]):
            c, d, _v, _m = src[years[0]][k]
            cells = [src[y][k][3] or str(src[y][k][2]) for y in years]
            rows.append([f' "{area}"', name, "7", "CAEMP25N", str(k), c, d, "Number of jobs", *cells])
    with open(out, "w", newline="", encoding="latin-1") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        fh.write(",".join(_q(x) for x in rows[0]) + "\r\n")
        for r in rows[1:]:
            # BEA quotes the text fields and leaves numbers bare
            fh.write(",".join(_q(x) if i not in (2, 4) and not x.isdigit() else x
                              for i, x in enumerate(r)) + "\r\n")
        for note in FOOTER:
            w.writerow([note])
    print(out, len(rows) - 1, "data lines")


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/qcew_utah_2016q")
