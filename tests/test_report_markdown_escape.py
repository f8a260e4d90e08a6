"""`clusterid report --format md`: names from the data are shown as they are, never as markup.

Region, industry and cluster names went into the Markdown raw: `<script>` became HTML, `*` and
`_` emphasis, `[..](..)` a link, a backtick code, a leading `#` a heading, and a `|` split a
table row.  The report is rendered here with markdown-it-py (CommonMark with GitHub's tables
and strikethrough; it is installed with rich) and every name must come out as its own text.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from typer.testing import CliRunner

from clusterid.cli.app import app
from clusterid.report.markdown import code_md, escape_md

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "report" / "detect"
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

CLUSTER = "<script>alert(1)</script> *Luft*- und _Raumfahrt_ | [mehr](http://example.org) `x` ~~alt~~"
INDUSTRY = "# Flugzeugbau für Müller & Söhne \\ AT&amp;T *1*"
REGION = "#1 Москва | Химки <b>Область</b> [Süd]_Ost_"
RENAMED = {"Aerospace Vehicles and Defense": CLUSTER, "Aircraft Manufacturing": INDUSTRY,
           "Box Elder County, Utah": REGION}


def _renamed_fixture(folder: Path) -> Path:
    shutil.copytree(FIXTURE, folder)
    for table in ("clusters.csv", "cluster_summary.csv", "regional_clusters.csv",
                  "region_summary.csv"):
        path = folder / table
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            fields, rows = reader.fieldnames, list(reader)
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fields, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: RENAMED.get(v, v) for k, v in row.items()})
    return folder


def test_names_with_markup_characters_are_shown_as_text(tmp_path):
    out = tmp_path / "report.md"
    res = CliRunner().invoke(app, ["report", str(_renamed_fixture(tmp_path / "detect")), "-o",
                                   str(out), "--top-regions", "6"])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    html = MD.render(text)
    for tag in ("<script", "<b>", "<em>", "<strong>", "<a ", "<s>", "<del>"):
        assert tag not in html, tag
    assert html.count("<h1>") == 1  # the report's title; no name became a heading
    for name in (CLUSTER, INDUSTRY, REGION):
        assert escapeHtml(name) in html, name
    # the rows stay whole: the cells after a name with `|` are the right ones
    assert f"<td>1</td>\n<td>{escapeHtml(CLUSTER)}</td>\n<td>traded</td>" in html
    assert f"<td>336411</td>\n<td>{escapeHtml(INDUSTRY)}</td>" in html
    assert f"<h3>{escapeHtml(CLUSTER)} (1)</h3>" in html
    assert f"<h3>{escapeHtml(REGION)} (49003)</h3>" in html
    # letters of other scripts are left as they are in the Markdown itself
    assert "für Müller" in text and "Söhne" in text and "Москва" in text and "Химки" in text
    assert "Область" in text and "Süd" in text
    # file names keep their underscores unescaped (inside a word `_` is no emphasis)
    assert "| data/samples/qcew_utah_2016_counties.csv.gz |" in text


def test_an_edited_table_is_named_in_the_singular(tmp_path):
    res = CliRunner().invoke(app, ["report", str(_renamed_fixture(tmp_path / "detect")), "-o",
                                   str(tmp_path / "r.md")])
    assert res.exit_code == 0, res.output
    assert ("report: cluster_summary.csv, clusters.csv, region_summary.csv, "
            "regional_clusters.csv differ from the checksums detect recorded") in res.output
    folder = tmp_path / "one"
    shutil.copytree(FIXTURE, folder)
    path = folder / "regional_clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Box Elder", "Box  Elder"),
                    encoding="utf-8")
    res = CliRunner().invoke(app, ["report", str(folder), "-o", str(tmp_path / "s.md")])
    assert res.exit_code == 0, res.output
    assert "report: regional_clusters.csv differs from the checksums detect recorded" in res.output


# text without control characters (line breaks among them) and without surrounding spaces,
# which Markdown trims
_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                max_size=40).filter(lambda s: s == s.strip())


@given(_TEXT)
def test_escaped_text_renders_as_itself_in_a_table_cell_and_a_heading(text):
    assume(text.strip(" \t\u00a0\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                      "\u2009\u200a\u202f\u205f\u1680") == text)
    # right-to-left text is shown isolated (FSI ... PDI, invisible), so it cannot reorder the
    # rest of its line (test_faults_33)
    from clusterid.report.build import needs_isolation

    shown = escapeHtml(f"\u2068{text}\u2069" if needs_isolation(text) else text)
    cell = MD.render(f"| h |\n|---|\n| {escape_md(text)} |\n")
    assert f"<td>{shown}</td>" in cell, cell
    assert MD.render(f"### {escape_md(text)} (1)\n") == f"<h3>{shown} (1)</h3>\n"
    assert MD.render(f"Strong clusters: {escape_md(text)}\n") == \
        f"<p>Strong clusters: {shown}</p>\n"


@given(_TEXT)
def test_code_spans_hold_any_text(text):
    assume(text.strip() == text)
    assert MD.render(f"- {code_md(text)}\n") == f"<ul>\n<li><code>{escapeHtml(text)}</code></li>\n</ul>\n"
