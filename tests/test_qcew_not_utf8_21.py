"""A QCEW file with a byte that is not UTF-8 (a Latin-1 'ñ' in 'Doña Ana County', a stray byte
before the header) is refused in one line saying so, with and without --on-error skip.  The
pass looking for headers repeated by ``cat`` read the file as strict UTF-8 first and ended in
'internal error: ComputeError: invalid utf-8 sequence' (found by test_fuzz_readers).  Rows
made up in BLS's QCEW CSV layout."""

from __future__ import annotations

import pytest

from conftest import run_main

HEADER = (b"area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
          b"area_title,industry_title,qtrly_estabs_count,month1_emplvl,month2_emplvl,"
          b"month3_emplvl,total_qtrly_wages,avg_wkly_wage,lq_disclosure_code,lq_month1_emplvl,"
          b"lq_month2_emplvl,lq_month3_emplvl,lq_total_qtrly_wages\n")
ROWS = (b'35013,0,10,70,0,2016,1,"",Do\xf1a Ana County,"10 Total, all industries",4968,71361,'
        b'71810,72710,598497106,641,"",1.00,1.00,1.00,1.00\n'
        b'35013,5,10,71,0,2016,1,"",Do\xf1a Ana County,"10 Total, all industries",4563,52835,'
        b'53820,54996,425789658,611,"",0.99,0.99,0.99,0.99\n')


@pytest.mark.parametrize("mode", ["fail", "skip"])
@pytest.mark.parametrize("data, says", [
    (HEADER + ROWS, "fq.csv:2: not UTF-8 text"),
    (b"\xe9" + HEADER + ROWS.replace(b"\xf1", b"n"), "fq.csv:1: not a QCEW file"),
])
def test_not_utf8_is_said_not_an_internal_error(tmp_path, capsys, data, says, mode):
    path = tmp_path / "fq.csv"
    path.write_bytes(data)
    out = tmp_path / "out.parquet"
    code, _o, err = run_main(["ingest", str(path), "--format", "qcew", "--on-error", mode,
                              "-o", str(out)], capsys)
    assert code == 1, err
    assert says in err and "internal error" not in err, err
    assert not out.exists()
