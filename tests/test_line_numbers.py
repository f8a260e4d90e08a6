"""Line numbers in messages are physical lines of the file (as an editor shows them), also
after a quoted value that spans lines."""

from __future__ import annotations


import pytest

from clusterid.errors import DataError
from clusterid.io.ingest import IngestOptions, ingest
from clusterid.io.readers import generic_raw

# line 1 header; the first region name spans lines 2-3, the third lines 5-7 (with a blank line
# inside the quotes); line 8 has a value that is not a number
TEXT = ('region,industry,year,employment\n'
        '"Salt\nLake County",31-33,2016,100\n'
        'Utah County,31-33,2016,200\n'
        '"Davis\n\nCounty",31-33,2016,5\n'  # lines 5-7
        'Weber County,31-33,2016,x1\n')


def _physical_line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("fast", [True, False])
def test_bad_value_after_quoted_newlines(tmp_path, monkeypatch, newline, fast):
    monkeypatch.setattr(generic_raw, "FAST_TEXT", fast)
    text = TEXT
    if newline == "\r\n":  # a spreadsheet's CSV: records end in CRLF, a cell's line break is LF
        for end in ("employment", ",100", ",200", ",5", ",x1"):
            text = text.replace(end + "\n", end + "\r\n")
    p = tmp_path / "quoted.csv"
    p.write_bytes(text.encode())
    want = _physical_line_of(text, "Weber")
    assert want == 8
    with pytest.raises(DataError) as err:
        ingest([str(p)], IngestOptions())
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.found) == (want, "employment", "x1")


def test_duplicate_key_lines_after_a_quoted_newline(tmp_path):
    p = tmp_path / "dup.tsv"
    p.write_text('region\tindustry\tyear\temployment\n"Salt\nLake"\t31-33\t2016\t1\n'
                 'Utah\t31-33\t2016\t2\nUtah\t31-33\t2016\t3\n')
    with pytest.raises(DataError) as err:
        ingest([str(p)], IngestOptions())
    # one problem at the second copy, naming the first's physical line (the quoted newline in
    # line 2 makes the copies lines 4 and 5, not records 3 and 4); each copy was a problem of
    # its own before session 31
    assert [p.line for p in err.value.problems] == [5]
    assert "first seen on line 4" in str(err.value)


def test_cli_message_names_the_physical_line(tmp_path, capsys):
    p = tmp_path / "quoted.csv"
    p.write_text(TEXT)
    r = run_here(capsys, "ingest", str(p), "-o", "-")
    assert r.returncode == 1
    assert f"{p}:8: column 'employment': not a number" in r.stderr


def test_qcew_bad_year_line_after_a_title_with_a_line_break(tmp_path):
    from conftest import TEST_DATA

    lines = (TEST_DATA / "impute" / "qcew_utah_2016q1_slice.csv").read_text().splitlines()
    header = lines[0].split(",")
    at_title = header.index("area_title") if "area_title" in header else None
    assert at_title is not None
    # a title with a line break inside its quotes (record 2 takes lines 2-3), a bad year later
    first = lines[1].replace(",Utah -- Statewide,", ",\"Utah --\nStatewide\",")
    assert first != lines[1]
    bad = lines[5].replace(",2016,", ",2O16,", 1)
    text = "\n".join([lines[0], first, *lines[2:5], bad, *lines[6:]]) + "\n"
    p = tmp_path / "qcew.csv"
    p.write_text(text)
    with pytest.raises(DataError) as err:
        ingest([str(p)], IngestOptions())
    (problem,) = err.value.problems
    assert (problem.line, problem.column, problem.found) == (text[: text.index(",2O16,")].count("\n") + 1, "year", "2O16")
    assert problem.line == 7


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from conftest import run_here


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(breaks=st.lists(st.integers(0, 3), min_size=3, max_size=12), bad=st.data(),
       crlf=st.booleans(), fast=st.booleans())
def test_property_bad_cell_line_is_the_physical_line(tmp_path, monkeypatch, breaks, bad, crlf, fast):
    """Region names with 0-3 line breaks inside quotes; one row has a bad value: the message
    points at the physical line where that row starts (counted in the text independently)."""
    monkeypatch.setattr(generic_raw, "FAST_TEXT", fast)
    k = bad.draw(st.integers(0, len(breaks) - 1))
    end = "\r\n" if crlf else "\n"
    lines = ["region,industry,year,employment"]
    for i, nb in enumerate(breaks):
        name = "\n".join(f"R{i}part{j}" for j in range(nb + 1))
        value = "x9" if i == k else str(i + 1)
        lines.append(f'"{name}",C,2016,{value}')
    text = end.join(lines) + end
    want = text[: text.index(",x9")].count("\n") + 1 - (breaks[k])  # the record's first line
    p = tmp_path / f"prop_{len(breaks)}_{k}_{crlf}_{fast}.csv"
    p.write_bytes(text.encode())
    with pytest.raises(DataError) as err:
        ingest([str(p)], IngestOptions())
    (problem,) = err.value.problems
    assert (problem.line, problem.found) == (want, "x9")


QCEW_HEADER = ("area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
               "area_title,qtrly_estabs_count,month1_emplvl,month2_emplvl,month3_emplvl,"
               "total_qtrly_wages\n")


def test_qcew_problems_found_by_validation_name_their_line(tmp_path):
    # the strict QCEW read carries no line numbers (it is the fast path); a problem only
    # validation sees -- a negative value, a child above its parent -- used to name the file
    # alone, and now names the line too (the lenient read locates it on the error path)
    path = tmp_path / "area.csv"
    path.write_text(
        QCEW_HEADER
        + '49001,5,10,71,0,2016,1,,"Beaver County, Utah",10,100,100,100,5000\n'
        + '49001,5,11,74,0,2016,1,,"Beaver County, Utah",4,"150","150","150",900\n'
        + '49001,5,111110,78,0,2016,1,,"Beaver County, Utah",2,-5,-5,-5,100\n',
        encoding="utf-8")
    with pytest.raises(DataError) as err:
        ingest([str(path)], IngestOptions(format="qcew"))
    lines = [p.render() for p in err.value.problems]
    assert any(f"{path}:3: column 'employment': industry larger than" in t for t in lines), lines
    assert any(f"{path}:4: column 'employment': negative value" in t for t in lines), lines
