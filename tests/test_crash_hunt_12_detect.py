"""Crash hunt 12: ``clusterid detect`` over its option matrix on data it had not seen (QCEW
county slices of the odd-numbered states, Utah's sample, REAT's German and EU tables, BEA's
2017 input-output tables), each problem pinned by a test that failed before its fix."""

from __future__ import annotations

import json

from conftest import SAMPLES, csv_rows, run_main, shared_path

UTAH = SAMPLES / "qcew_utah_2016_counties.csv.gz"  # BLS QCEW 2016 annual, Utah counties


def test_bea_summary_use_table_reads_with_the_master_crosswalk(tmp_path, capsys):
    # BEA's summary Use table (71 industries: 111CA, 211 ...) given with the same
    # MasterCrosswalk2017.csv as the detail one: the crosswalk was always read by its detail
    # codes (1111A0), no industry mapped and detect stopped ("none of the input's industries
    # maps to its sectors"); and its totals, spelt out ("Total Intermediate", "Total Commodity
    # Output") instead of T005 / the last column, were taken for a plain matrix's row sums, so
    # the total requirements were never productive
    from clusterid.io.iotables import read_use_table

    use = shared_path("bea_io_2017", "Summary_Use_2017_PRO_BeforeRedef_17sch.csv")
    xw = shared_path("bea_io_2017", "MasterCrosswalk2017.csv")
    table = read_use_table(use, xw)
    assert table.source["layout"] == "bea"
    assert table.sectors_of("331110") == ("331",)
    assert table.sectors_of("111150") == ("111CA",)
    farms = table.sectors.index("111CA")
    assert table.total_output[farms] == 391190  # the row's Total Commodity Output
    assert table.total_inputs[farms] == 256796  # the Total Intermediate row
    # the detail table still maps to detail codes with the same file
    detail = read_use_table(shared_path("bea_io_2017", "Detail_Use_2017_PRO_BeforeRedef_17sch.csv"), xw)
    assert detail.sectors_of("331110") == ("331110",)

    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(UTAH), "-o", str(out), "--signals", "io,hierarchy",
                             "--io", str(use), "--crosswalk", str(xw)], capsys)
    assert code == 0, err
    rel = json.loads((out / "metadata.json").read_text())["relatedness"]
    assert rel["io_sectors"] == 71 and rel["io_unmapped"] == ["999999"]
    assert rel["io_total_requirements"].startswith("used")
    assert len(csv_rows((out / "clusters.csv").read_text())) == 956
