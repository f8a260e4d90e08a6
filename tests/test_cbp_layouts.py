"""``clusterid ingest`` (``--format cbp`` and ``--format auto``) on CBP files written in the test
to each record layout Census has published, headings in upper and in lower case (Census wrote
both: ``FIPSTATE,FIPSCTY,NAICS,EMPFLAG ...`` in some years, lower case in others).

Layout sources (Census record layouts; the list of layout files per year is the one given with
links in the ``pubdata`` CBP notebook, code corpus, "County record layouts: 1986-1997 ...
2020-2021", which also records "``1_4`` size class was renamed to ``<5`` in 2017", "noise flags
were added in 2007", "``empflag`` was removed in 2018", "state: ``lfo`` was added in 2010"):

* county 1998-2006: ``.../records-layouts/full-layout/county_layout.txt`` -- ``fipstate,
  fipscty, naics, empflag, emp, qp1, ap, est, n1_4 .. n1000_4, censtate, cencty`` (no noise
  flags).
* county 2007-2013: ``.../records-layouts/noise-layout/county_layout.txt`` -- the same with
  ``emp_nf, qp1_nf, ap_nf`` (G, H, D, S); field list as reproduced in ProximityOne's "County
  Business Patterns dataset" guide (https://proximityone.com/dataresources/guide/dr_pds_cbp.htm).
* county 2014-2016: ``2014_record_layouts/county_layout_2014.txt``,
  ``2015_record_layouts/county_layout_2015.txt`` -- the same columns; noise flag J (>= 5%)
  added (Census SUSB "Noise Range Flags" page: "prior to 2015, 'J' flag cell values were
  suppressed with 'D'").
* county 2017: ``2017_record_layouts/county_layout_2017.txt`` -- ``n<5`` replaces ``n1_4``
  while ``empflag`` is still there (per the notebook's column history above; no copy of the
  2017 text itself was found, so its flag letters are assumed as 2014-2016's).
* county 2018-2019: ``2018_record_layouts/county-layout-2018.txt`` ("CBP[YR]CO.TXT County Data
  Dictionary", copy in the Bartik et al. BPEA 2020 replication archive on brookings.edu):
  ``fipstate, fipscty, naics, emp_nf, emp, qp1_nf, qp1, ap_nf, ap, est, n<5 .. n1000_4``.
* county 2020-2022: ``2020_record_layouts/county-layout-2020.txt`` -- the same columns (the real
  ``cbp21co.txt`` header as quoted at dmoul.github.io/county-business-patterns-nc/notes.html;
  the 2022 layout comments copied into a public R script list noise flags G, H, J and "N Not
  available or not comparable" for the size-class fields).
* state 2010-2016 by legal form: ``state_x_lfo_layout.txt`` (copy in github eloualiche/entrydatar,
  ``tables/state_x_lfo_layout.txt``): ``FIPSTATE, NAICS, LFO, EMPFLAG, EMP_NF, EMP, QP1_NF, QP1,
  AP_NF, AP, EST`` then per size class ``F1_4, E1_4NF, E1_4, Q1_4NF, Q1_4, A1_4NF, A1_4, N1_4``
  .. ``... N1000`` (no 1,000+ split); ``EMPFLAG`` letters documented in lower case (a-m).
* U.S. 2008-2013 by legal form: ``noise-layout/us_lfo_layout.txt`` (entrydatar
  ``vignettes/tables/us_lfo_layout.txt``): ``USCODE`` ("98") instead of ``FIPSTATE``, otherwise
  as the state file.
* state 2007-2009 and U.S. 2007: the same without ``lfo`` (the notebook above: "state: ``lfo``
  was added in 2010", "U.S.: ``lfo`` was added in 2008"); inferred, no layout text found.
* 1986-1997 (SIC): ``full-layout/county_layout_sic.txt`` -- ``sic`` instead of ``naics``: refused.

Rows are written by hand with illustrative values (not copied from Census): a county (state,
nation) total, a 2-digit sector, a 6-digit industry, withheld cells (``empflag`` letters with
their size ranges, ``D``/``S``/``N`` noise flags with 0 or empty values) whose employment bounds
are worked out by hand below from the flag's range and the establishment counts by size class.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from clusterid import schema
from clusterid.io.readers import cbp
from conftest import run_main

EMP, WAGES, EST = schema.EMPLOYMENT, schema.WAGES, schema.ESTABLISHMENTS
EMP_S, EMP_F = schema.status_col(EMP), schema.flag_col(EMP)
LO, HI = schema.lower_col(EMP), schema.upper_col(EMP)

OLD_N = ["n1_4", "n5_9", "n10_19", "n20_49", "n50_99", "n100_249", "n250_499", "n500_999", "n1000",
         "n1000_1", "n1000_2", "n1000_3", "n1000_4"]
NEW_N = ["n<5"] + OLD_N[1:]
NOISE = ["emp_nf", "emp", "qp1_nf", "qp1", "ap_nf", "ap", "est"]
PLAIN = ["emp", "qp1", "ap", "est"]


def line(values) -> str:
    """One record as Census writes it: text quoted, numbers bare, None an empty field."""
    return ",".join("" if v is None else f'"{v}"' if isinstance(v, str) else str(v) for v in values)


def write(path: Path, header: list[str], rows: list[list], upper: bool) -> Path:
    head = [h.upper() if upper else h for h in header]
    path.write_text("\n".join([line(head)] + [line(r) for r in rows]) + "\n")
    return path


def classes(counts, width):
    """Establishment counts by size class, padded with 0 (or 'N' given as a string) to width."""
    return list(counts) + [0] * (width - len(counts))


# --- county layouts --------------------------------------------------------------------------
# each row: (naics, flags/values..., est, size classes); expectations: industry -> (level,
# employment or None, flag, (lower, upper) or None, wages or None, establishments)

def county_1998_2006():
    header = ["fipstate", "fipscty", "naics", "empflag", *PLAIN, *OLD_N, "censtate", "cencty"]

    def r(naics, flag, emp, ap, est, n):
        return ["49", "001", naics, flag, emp, emp * 8, ap, est, *classes(n, 13), "87", "001"]

    rows = [r("------", "", 1500, 52000, 170, [110, 33, 16, 8, 2, 1]),
            r("31----", "", 240, 9100, 12, [5, 3, 2, 1, 1]),
            r("311812", "", 35, 900, 4, [2, 1, 1]),
            # B (20-99) and 2 x <5, 2 x 5-9, 1 x 10-19, 1 x 20-49: 0+10+10+20 .. 8+18+19+49
            r("3118//", "B", 0, 0, 6, [2, 2, 1, 1]),
            # C (100-249) and 1, 2, 2, 2, 2 in <5 .. 50-99: 170 .. 356, so 170-249
            r("44----", "C", 0, 0, 9, [1, 2, 2, 2, 2])]
    expect = {"10": (0, 1500, None, None, 52000 * 1000, 170),
              "31-33": (2, 240, None, None, 9100 * 1000, 12),
              "311812": (6, 35, None, None, 900 * 1000, 4),
              "3118": (4, None, "B", (40, 94), None, 6),
              "44-45": (2, None, "C", (170, 249), None, 9)}
    return "cbp05co.txt", header, rows, expect, "49001", "county"


def county_noise(years: str):
    """2007-2013 (noise flags G, H, D, S) and 2014-2016 (J added): the same columns."""
    header = ["fipstate", "fipscty", "naics", "empflag", *NOISE, *OLD_N, "censtate", "cencty"]
    top = "J" if years == "2014-2016" else "G"

    def r(naics, flag, nf, emp, ap, est, n):
        return ["49", "003", naics, flag, nf, emp, nf, emp * 8, nf, ap, est, *classes(n, 13),
                "87", "003"]

    rows = [r("------", "", "G", 1500, 52000, 170, [110, 33, 16, 8, 2, 1]),
            r("31----", "", "H", 240, 9100, 12, [5, 3, 2, 1, 1]),
            r("311812", "", top, 35, 900, 4, [2, 1, 1]),
            r("3118//", "B", "", 0, 0, 6, [2, 2, 1, 1]),
            # withheld in the noise flags (empflag blank): 6 x <5, 2 x 5-9, 1 x 10-19 -> 20-61
            r("44----", "", "S", 0, 0, 9, [6, 2, 1]),
            r("445110", "", "D", 0, 0, 2, [1, 1])]
    expect = {"10": (0, 1500, "G", None, 52000 * 1000, 170),
              "31-33": (2, 240, "H", None, 9100 * 1000, 12),
              "311812": (6, 35, top, None, 900 * 1000, 4),
              "3118": (4, None, "B", (40, 94), None, 6),
              "44-45": (2, None, "S", (20, 61), None, 9),
              "445110": (6, None, "D", (5, 13), None, 2)}
    name = "cbp10co.txt" if years == "2007-2013" else "cbp15co.txt"
    return name, header, rows, expect, "49003", "county"


def county_2017_on(years: str):
    """2017 (``empflag`` kept, ``n<5``), 2018-2019 and 2020-2022 (no ``empflag``)."""
    with_flag = years == "2017"
    header = (["fipstate", "fipscty", "naics"] + (["empflag"] if with_flag else [])
              + NOISE + NEW_N)

    def r(naics, nf, emp, ap, est, n):
        flag = [""] if with_flag else []
        return ["01", "001", naics, *flag, nf, emp, nf, None if emp is None else emp * 8, nf, ap,
                est, *n]

    n_ = ["N"] * 13
    rows = [r("------", "G", 11216, 424826, 924, [442, 222, 118, 100, 31, 8, 2, 1] + [0] * 5),
            r("31----", "H", 240, 9100, 12, [5, 3, 2, 1, 1] + [0] * 8),
            r("311812", "J", 35, 900, 4, [2, 1, 1] + ["N"] * 10),
            # D, emp published as 0: 2 x <5, 2 x 5-9, 1 x 10-19, 1 x 20-49 -> 40-94
            r("3118//", "D", 0, 0, 6, [2, 2, 1, 1] + ["N"] * 9),
            # S: no size classes published at all -> no bounds
            r("21----", "S", 0, 0, 2, n_),
            # N with empty values (quoted "" as the text fields are): 3 x <5 -> 0-12
            ["01", "001", "4411//", *([""] if with_flag else []), "N", "", "N", "", "N", "", 3,
             3, *["N"] * 12]]
    expect = {"10": (0, 11216, "G", None, 424826 * 1000, 924),
              "31-33": (2, 240, "H", None, 9100 * 1000, 12),
              "311812": (6, 35, "J", None, 900 * 1000, 4),
              "3118": (4, None, "D", (40, 94), None, 6),
              "21": (2, None, "S", None, None, 2),
              "4411": (4, None, "N", (0, 12), None, 3)}
    name = {"2017": "cbp17co.txt", "2018-2019": "cbp19co.txt", "2020-2022": "cbp22co.txt"}[years]
    return name, header, rows, expect, "01001", "county"


# --- state and U.S. files by legal form of organisation ------------------------------------

LFO_CLASSES = ["1_4", "5_9", "10_19", "20_49", "50_99", "100_249", "250_499", "500_999", "1000"]


def lfo_layout(geo: str, lfo: bool = True):
    """By legal form (state 2010-2016, U.S. 2008-2013); ``lfo=False``: the years before the
    legal-form breakout (state 2007-2009, U.S. 2007), the same columns without ``lfo``."""
    first = "fipstate" if geo == "state" else "uscode"
    header = [first, "naics", "lfo", "empflag", *NOISE]
    for c in LFO_CLASSES:
        header += [f"f{c}", f"e{c}nf", f"e{c}", f"q{c}nf", f"q{c}", f"a{c}nf", f"a{c}", f"n{c}"]
    code = "49" if geo == "state" else "98"

    def r(naics, lfo, flag, nf, emp, ap, est, n):
        row = [code, naics, lfo, flag, nf, emp, nf, emp * 8, nf, ap, est]
        for k in n:  # per-class employment and payroll: withheld (0, D) where the total is
            row += ["", nf or "G", 0 if nf in ("D", "") else 3 * k, nf or "G",
                    0 if nf in ("D", "") else 20 * k, nf or "G", 0 if nf in ("D", "") else 90 * k, k]
        return row

    rows = [r("------", "-", "", "G", 1143850, 50122700, 75811,
              [43900, 13800, 9100, 5600, 2000, 950, 300, 120, 41]),
            r("------", "C", "", "G", 512400, 25004300, 20500,  # one legal form: dropped
              [9800, 4100, 3000, 2100, 900, 400, 140, 60, 0]),
            r("31----", "-", "", "H", 125600, 6688100, 3300,
              [1200, 600, 500, 500, 300, 130, 50, 15, 5]),
            r("336411", "-", "", "G", 9800, 700000, 12, [2, 1, 2, 2, 1, 1, 1, 1, 1]),
            # empflag e (250-499, lower case as the layout writes it); classes 1,0,1,1,1,1 in
            # <5 .. 100-249: 0+10+20+50+100 .. 4+19+49+99+249 = 180-420 -> 250-420
            r("3366//", "-", "e", "", 0, 0, 5, [1, 0, 1, 1, 1, 1, 0, 0, 0]),
            # withheld in the noise flag D: 20, 10, 5, 3, 2 in <5 .. 50-99 -> 260-610
            r("44----", "-", "", "D", 0, 0, 40, [20, 10, 5, 3, 2, 0, 0, 0, 0])]
    if not lfo:
        at = header.index("lfo")
        header = header[:at] + header[at + 1:]
        rows = [r[:at] + r[at + 1:] for r in rows if r[at] == "-"]
    expect = {"10": (0, 1143850, "G", None, 50122700 * 1000, 75811),
              "31-33": (2, 125600, "H", None, 6688100 * 1000, 3300),
              "336411": (6, 9800, "G", None, 700000 * 1000, 12),
              "3366": (4, None, "E", (250, 420), None, 5),
              "44-45": (2, None, "D", (260, 610), None, 40)}
    if geo == "state":
        return f"cbp{12 if lfo else 8:02d}st.txt", header, rows, expect, "49000", "state"
    return f"cbp{11 if lfo else 7:02d}us.txt", header, rows, expect, "US000", "nation"


LAYOUTS = {
    "county 1998-2006": county_1998_2006,
    "county 2007-2013": lambda: county_noise("2007-2013"),
    "county 2014-2016": lambda: county_noise("2014-2016"),
    "county 2017": lambda: county_2017_on("2017"),
    "county 2018-2019": lambda: county_2017_on("2018-2019"),
    "county 2020-2022": lambda: county_2017_on("2020-2022"),
    "state 2010-2016 by lfo": lambda: lfo_layout("state"),
    "U.S. 2008-2013 by lfo": lambda: lfo_layout("nation"),
    "state 2007-2009": lambda: lfo_layout("state", lfo=False),
    "U.S. 2007": lambda: lfo_layout("nation", lfo=False),
}
VINTAGE = {"county 1998-2006": "1998-2006", "county 2007-2013": "2007-2016",
           "county 2014-2016": "2007-2016", "county 2017": "2017", "county 2018-2019": "2017+",
           "county 2020-2022": "2017+", "state 2010-2016 by lfo": "2007-2016",
           "U.S. 2008-2013 by lfo": "2007-2016", "state 2007-2009": "2007-2016",
           "U.S. 2007": "2007-2016"}


def ingest(path: Path, fmt: str, capsys) -> tuple[pl.DataFrame, dict, bytes]:
    out = path.with_name(f"{path.stem}.{fmt}.csv")
    code, _, err = run_main(["ingest", str(path), "-o", str(out), "--format", fmt], capsys)
    assert code == 0, err
    meta = json.loads(Path(f"{out}.meta.json").read_text())
    return pl.read_csv(out, infer_schema_length=0), meta, out.read_bytes()


def num(v):
    return None if v in (None, "") else float(v)


@pytest.mark.parametrize("upper", [False, True], ids=["lower-case", "upper-case"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_layout_read_as_published(layout, upper, tmp_path, capsys):
    name, header, rows, expect, region, level = LAYOUTS[layout]()
    assert all(len(r) == len(header) for r in rows)  # the test's own file is well formed
    path = write(tmp_path / name, header, rows, upper)
    df, meta, body = ingest(path, "cbp", capsys)
    auto_df, auto_meta, auto_body = ingest(path, "auto", capsys)
    assert auto_meta["adapters"] == meta["adapters"] == ["cbp"]  # auto-detection: same reader
    assert auto_body == body
    # no silent drop: every data row is kept, or dropped and counted (the lfo-C row)
    dropped = sum(meta["dropped"].values())
    assert meta["rows_read"] == len(rows) == df.height + dropped
    assert dropped == (1 if "lfo" in header else 0)
    assert f"{VINTAGE[layout]} layout" in meta["notes"][0]
    assert set(df[schema.REGION]) == {region} and set(df[schema.REGION_LEVEL]) == {level}
    assert set(df[schema.PERIOD]) == {str(2000 + int(name[3:5]))}
    got = {r[schema.INDUSTRY]: r for r in df.iter_rows(named=True)}
    assert set(got) == set(expect)
    for code, (lvl, emp, flag, bounds, wages, est) in expect.items():
        r = got[code]
        assert int(r[schema.LEVEL]) == lvl, code
        assert num(r[EST]) == est and r[schema.status_col(EST)] == schema.REPORTED, code
        assert r[EMP_F] == (flag or None), code
        if emp is None:  # withheld: never the published 0, the flag's range narrowed
            assert r[EMP] is None and r[EMP_S] == schema.SUPPRESSED, code
            assert (num(r[LO]), num(r[HI])) == (bounds or (num(r[LO]), None)), code
            assert r[WAGES] is None and r[schema.status_col(WAGES)] == schema.SUPPRESSED, code
        else:
            assert num(r[EMP]) == emp and r[EMP_S] == schema.REPORTED, code
            assert r[LO] is None and r[HI] is None, code
            assert num(r[WAGES]) == wages and r[schema.flag_col(WAGES)] == (flag or None), code


@pytest.mark.parametrize("layout", ["county 2020-2022", "county 2007-2013"])
def test_installed_command_reads_the_layout(layout, tmp_path):
    """The ``clusterid`` console script itself (a subprocess), ``--format auto``."""
    name, header, rows, expect, _, _ = LAYOUTS[layout]()
    path = write(tmp_path / name, header, rows, upper=layout.endswith("2013"))
    exe = Path(sys.executable).with_name("clusterid")
    out = tmp_path / "out.csv"
    done = subprocess.run([str(exe), "ingest", str(path), "-o", str(out), "--format", "auto"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{len(rows)} rows kept, 0 dropped" in done.stderr
    df = pl.read_csv(out, infer_schema_length=0)
    assert sorted(df[schema.INDUSTRY]) == sorted(expect)


def test_empty_n_cells_unquoted_as_well(tmp_path, capsys):
    """``N`` with an empty value written without quotes reads as the quoted one."""
    name, header, rows, _, _, _ = county_2017_on("2018-2019")
    text = write(tmp_path / name, header, rows, upper=False).read_text()
    bare = tmp_path / "bare" / name
    bare.parent.mkdir()
    bare.write_text(text.replace('"N","","N","","N",""', '"N",,"N",,"N",'))
    assert bare.read_text() != text
    df, _, _ = ingest(bare, "cbp", capsys)
    r = df.filter(pl.col(schema.INDUSTRY) == "4411").row(0, named=True)
    assert (r[EMP], r[EMP_S], r[EMP_F], num(r[LO]), num(r[HI])) == (
        None, schema.SUPPRESSED, "N", 0, 12)


def test_blank_value_without_a_flag_is_missing_and_noted(tmp_path, capsys):
    """A blank ``emp`` with a noise flag that withholds nothing (G) is missing, not reported."""
    name, header, rows, _, _, _ = county_2017_on("2018-2019")
    rows[1][header.index("emp")] = None
    df, meta, _ = ingest(write(tmp_path / name, header, rows, upper=False), "cbp", capsys)
    r = df.filter(pl.col(schema.INDUSTRY) == "31-33").row(0, named=True)
    assert r[EMP] is None and r[EMP_S] == schema.SUPPRESSED
    assert num(r[WAGES]) == 9100 * 1000  # its payroll is published
    assert any("1 rows with a blank emp" in n for n in meta["notes"])


def test_sic_layout_is_refused_with_its_reason(tmp_path, capsys):
    """1986-1997 county files (``sic`` instead of ``naics``): read by the generic reader, their
    withheld cells (empflag A, emp 0) became reported zeros; now refused, exit 1."""
    header = ["fipstate", "fipscty", "sic", "empflag", *PLAIN, *OLD_N]
    rows = [["49", "001", "----", "", 1200, 9000, 40000, 150, *classes([100, 30, 12, 6, 2], 13)],
            ["49", "001", "1521", "A", 0, 0, 0, 4, *classes([4], 13)]]
    path = write(tmp_path / "cbp95co.txt", header, rows, upper=True)
    assert cbp.sniff([h.upper() for h in header], b"")
    for fmt in ("auto", "cbp"):
        code, _, err = run_main(["ingest", str(path), "-o", str(tmp_path / "o.csv"),
                                 "--format", fmt, "--period", "1995"], capsys)
        assert code == 1 and "SIC-based County Business Patterns file" in err, err
        assert "column 'sic'" in err
    assert not (tmp_path / "o.csv").exists()
