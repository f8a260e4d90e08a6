"""Session 32's hunt for malformed-input and scripting defects (faults-32)."""

from __future__ import annotations

import re

import pytest
from conftest import TEST_DATA, run_main


@pytest.fixture
def terminal_of(monkeypatch):
    """The table view at a terminal's width: stats' console is made once per process, so it is
    made again here with COLUMNS set, and again after the test."""
    from clusterid.cli import console

    def set_width(columns: int) -> None:
        monkeypatch.setenv("COLUMNS", str(columns))
        console.out_console.cache_clear()

    yield set_width
    console.out_console.cache_clear()


def _cells(out: str) -> list[str]:
    return [c.strip() for line in out.splitlines() for c in re.split(r"[│┃]", line) if c.strip()]


@pytest.mark.parametrize("by, wanted", [
    ("region", ["reported", "suppressed", "% suppressed", "total", "detail_reported",
                "coverage %", "100.0%", "70.0%", "33.3%", "70.00"]),
    ("industry", ["reported", "suppressed", "% suppressed", "total_reported", "lower_bound"]),
])
def test_stats_table_on_an_80_column_terminal_shows_every_column(by, wanted, terminal_of,
                                                                  capsys):
    # stats --by region has 13 columns: rich squeezed them all alike into 80 columns and
    # cropped the right-hand ones, so the table showed no coverage (the column the command
    # exists for), 'reported' as 'repo…' and some counts as columns of width 0.  Now the
    # figures go into as many tables as it takes, each with the key columns, none cut.
    terminal_of(80)
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    code, out, err = run_main(["stats", str(src), "--by", by, "--output-format", "table"], capsys)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    cells = _cells(out)
    for value in wanted:
        assert value in cells, (value, out)
    assert "┳┳" not in out  # no column squeezed to nothing
    assert not [c for c in cells if re.fullmatch(r"[\d,.%]*…", c)]  # no number cut


def test_stats_table_that_fits_is_one_table(terminal_of, capsys):
    terminal_of(200)
    src = TEST_DATA / "lq" / "toy_canonical.csv"
    code, out, err = run_main(["stats", str(src), "--output-format", "table"], capsys)
    assert code == 0, err
    assert out.count("region statistics of employment") == 1 and "(1 of" not in out
    assert "coverage %" in out and "period = 2016" in out
