"""The sample's HTML report in a real browser: headless Chromium (Debian's `chromium`).

Checks: no console message at all (errors, failed loads, CSP), nothing fetched from the network
(host resolution is disabled), every chart laid out with a real size once the folded sections
are opened, and a screenshot saved to test-artifacts/ for people to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sample_pipeline import ROOT, sample_run

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
PROBE = """<script>
document.querySelectorAll('details').forEach(d => { d.open = true; });
const charts = [...document.querySelectorAll('svg.chart')].map(s => {
  const r = s.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; });
const result = {
  charts: charts,
  sections: [...document.querySelectorAll('section[id]')].map(s => s.id),
  scripts: document.querySelectorAll('script').length,
  external: [...document.querySelectorAll('[src], link[href], [href^="http"]')].map(e => e.outerHTML.slice(0, 80)),
  title: document.title,
};
const out = document.createElement('pre'); out.id = 'probe-result';
out.textContent = JSON.stringify(result); document.body.appendChild(out);
</script>"""


def chromium() -> str:
    exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: `make test` should have installed it")
        pytest.skip("headless Chromium not installed (make test installs Debian's chromium as root)")
    return exe


def run_chromium(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return sample_run(tmp_path_factory)


def test_sample_report_renders_in_chromium(sample, tmp_path):
    exe = chromium()
    outdir, _ = sample
    report = outdir / "report.html"
    html = report.read_text(encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")

    res = run_chromium(exe, tmp_path / "profile1", "--dump-dom", probe.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    assert console_lines(res.stderr) == []
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', res.stdout, re.S)
    assert m, "the probe did not run: " + res.stdout[:500]
    result = json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    assert result["sections"] == ["run", "quality", "reading", "clusters", "relatedness", "regions",
                                  "methodology"]
    assert result["scripts"] == 1  # the probe itself: the report has none
    assert result["external"] == []
    # cluster sizes + relatedness heatmap + one portfolio per detailed region (25 by default)
    assert len(result["charts"]) >= 3 + 20, result["charts"]
    assert all(w > 100 and h > 100 for w, h in result["charts"]), result["charts"]

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report_sample.png"
    shot.unlink(missing_ok=True)
    res = run_chromium(exe, tmp_path / "profile2", "--window-size=1280,2600",
                       f"--screenshot={shot}", "--hide-scrollbars", report.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    assert console_lines(res.stderr) == []
    assert shot.exists() and shot.stat().st_size > 20_000


def test_console_capture_would_catch_an_error(tmp_path):
    """The check above can fail: a page with a console error and a failed fetch is caught."""
    exe = chromium()
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><img src="http://example.invalid/x.png">'
                    '<script>console.error("boom"); missingFunction();</script></body></html>')
    res = run_chromium(exe, tmp_path / "profile", "--dump-dom", page.as_uri())
    lines = console_lines(res.stderr)
    assert any("boom" in line for line in lines), res.stderr[-2000:]
    assert any("missingFunction" in line for line in lines)
