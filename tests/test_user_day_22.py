"""A statistician's day, judged as its readers judge it (session 22).

The report goes to a ministry reader who never ran clusterid: every heading and word in its
tables must be explained in the report itself ('tier: significant' is a tier, not a
statistical test; 'robust' and 'fragile'; 'LQ low/high' an interval), and no option is shown
as a JSON value or an internal name.  The scheduled pipeline goes to a data engineer who reads
its log a week later.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from typer.testing import CliRunner

from clusterid.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "report" / "detect"


def _report(tmp_path: Path, suffix: str) -> str:
    out = tmp_path / f"report.{suffix}"
    res = CliRunner().invoke(app, ["report", str(FIXTURE), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out.read_text(encoding="utf-8")


def _text(page: str) -> str:
    """The HTML as a reader sees it: no markup, no charts."""
    page = re.sub(r"<svg.*?</svg>|<style.*?</style>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_report_explains_the_words_of_its_tables(tmp_path):
    for suffix in ("md", "html"):
        text = _report(tmp_path, suffix)
        text = _text(text) if suffix == "html" else text
        assert "Reading the tables" in text, suffix
        # 'significant' as a USCMP tier is LQ above the median, said so where it is shown
        assert "significant, above the median -- the tier's name, not a statistical test" in text
        assert "A strong call that is not robust is fragile" in text
        assert "LQ low, LQ high" in text and "the 95% interval of the LQ" in text
        assert "the change in the cluster's employment from 2015 to 2016" in text
        assert "not known or not applicable; never a zero" in text


def test_markdown_tables_show_what_the_glossary_explains(tmp_path):
    text = _report(tmp_path, "md")
    assert ("| region | name | employment | share | LQ | LQ low | LQ high | growth | tier | stars "
            "| strong | robust |") in text


def test_options_are_flags_with_plain_values(tmp_path):
    md = _report(tmp_path, "md")
    assert "| --random-state | 0 |" in md and "| --rule | uscmp-strong |" in md
    assert '"uscmp-strong"' not in md and "`random_state`" not in md
    page = _report(tmp_path, "html")
    shown = _text(page)
    assert "--signals colocation,hierarchy" in shown
    assert '"colocation,hierarchy"' not in shown and "null" not in shown
    # the strength rule as words, not a JSON object
    assert "employment_quantile 0.25; lq_quantile 0.75; name uscmp-strong" in shown
    assert '{"employment_quantile"' not in page


def test_regions_table_names_the_strong_clusters(tmp_path):
    page = _report(tmp_path, "html")
    section = page[page.index('<section id="regions">'):]
    table = section[: section.index("</table>")]
    # Box Elder is strong in clusters 2 and 1 (region_summary.csv: '2; 1')
    assert "Agricultural Inputs and Services; Aerospace Vehicles and Defense" in table
    assert "<td>2; 1</td>" not in table

