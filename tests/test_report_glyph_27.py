"""A region name holding a line break (one quoted field over two lines, as detect writes it)
is drawn on one line in the report's charts, without matplotlib's 'Glyph 10 missing from font'
warning on stderr (seen in CI on session 26's test of such a name)."""

from __future__ import annotations

import warnings

from clusterid.report import charts
from conftest import run_main
from test_crash_hunt_13_run import _detect


def test_short_name_has_no_line_break():
    assert charts._short("Астана\nқаласы") == "Астана қаласы"
    assert charts._short("a\r\nb\rc") == "a b c"


def test_report_of_a_name_with_a_line_break_warns_nothing(tmp_path, capsys):
    folder = _detect(tmp_path, capsys, {"KZ-71": "Астана\nқаласы", "KZ-75": "Алматы",
                                        "KZ-35": "Қарағанды облысы"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code, _out, err = run_main(["report", str(folder), "-o", str(tmp_path / "r.html")], capsys)
    assert code == 0, err
    assert not [w for w in caught if "Glyph" in str(w.message)]
    assert "Warning" not in err
