"""Regenerate the malformed-input corpus (the files are committed; this documents how).

Run: python tests/malformed/make_corpus.py
Each file is named after what is wrong with it; manifest.csv says how clusterid must answer:
the exit code and a regular expression the one-line error must match.
"""

from __future__ import annotations

import csv
import gzip
import io
import datetime
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = (
    "region,industry,year,employment\n"
    "A,31-33,2016,100\n"
    "A,44-45,2016,50\n"
    "B,31-33,2016,80\n"
    "B,44-45,2016,70\n"
)
ROWS: list[tuple[str, str, int, str, str]] = []  # name, extra args, exit code, message regex,
# and for files with good rows too: the lines ``--on-error skip`` must set aside (space-separated)


def put(name: str, data: bytes | str, exit_code: int, pattern: str, args: str = "",
        skip_lines: str = "") -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    (HERE / name).write_bytes(data)
    ROWS.append((name, args, exit_code, pattern, skip_lines))


def xlsx(rows, merge=None, sheet="Data") -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": datetime.datetime(2026, 1, 1)})  # reproducible bytes
    ws = wb.add_worksheet(sheet)
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                ws.write_datetime(r, c, value, date)  # a real date cell, as Excel users type it
            elif value is not None:
                ws.write(r, c, value)
    if merge:
        ws.merge_range(*merge)
    wb.close()
    return buf.getvalue()


def parquet(columns: dict, metadata: dict | None = None) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(columns)
    if metadata:
        table = table.replace_schema_metadata(metadata)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def main() -> None:
    rng = random.Random(7)
    for old in HERE.iterdir():
        if old.name not in ("make_corpus.py", "README.md"):
            old.unlink()
    # --- structure of the text ---
    put("empty_file.csv", b"", 1, r"empty")
    put("header_only.csv", "region,industry,year,employment\n", 1, r"no data rows|header only|empty")
    put("whitespace_only.csv", "   \n\n \t \n", 1, r"empty|no header|no data")
    put("bom_only.csv", b"\xef\xbb\xbf", 1, r"empty")
    put("binary_garbage.csv", bytes(rng.randrange(256) for _ in range(4000)), 1,
        r"not a (text|readable)|binary|cannot decode|unrecognised|encoding")
    put("nul_bytes_in_text.csv", GOOD.replace("A,44-45", "A\x00,44-45"), 1, r"NUL|binary|null byte")
    put("truncated_last_row.csv", GOOD + "B,48-4", 1, r":6\b|line 6")
    put("ragged_row_extra_field.csv", GOOD.replace("B,31-33,2016,80", "B,31-33,2016,80,12"), 1,
        r":4\b|line 4")
    put("ragged_row_missing_field.csv", GOOD.replace("A,44-45,2016,50", "A,44-45,50"), 1, r":3\b|line 3")
    put("unterminated_quote.csv", GOOD.replace('B,44-45', '"B,44-45'), 1, r"quote|:5\b|line 5")
    put("duplicated_header.csv", "region,industry,year,employment,employment\nA,31-33,2016,1,2\n", 1,
        r"duplicate.*(column|header)|employment")
    put("blank_header_name.csv", "region,industry,,employment\nA,31-33,2016,100\n", 1,
        r"column|header")
    put("wrong_delimiter_forced.csv", GOOD.replace(",", ";"), 1, r"column|region|industry|delimiter|separator",
        args="--sep ,")
    put("semicolon_and_decimal_comma_valid.csv",
        "region;industry;year;employment\nA;31-33;2016;100,5\nA;44-45;2016;50\nB;31-33;2016;80\n", 0, r"")
    # --- encodings ---
    put("utf8_bom_valid.csv", b"\xef\xbb\xbf" + GOOD.encode(), 0, r"")
    put("utf16le_bom_valid.csv", b"\xff\xfe" + GOOD.encode("utf-16-le"), 0, r"")
    cyr = "region,industry,year,employment\nАлматинская область,C,2016,100\nКарагандинская область,C,2016,90\n"
    mixed = cyr.encode("utf-8") + "Костанайская область,C,2016,80\n".encode("cp1251")
    put("mixed_utf8_and_cp1251.csv", mixed, 1, r"encoding|decode|:4\b|line 4")
    put("cp1251_forced_as_utf8.csv", cyr.encode("cp1251"), 1, r"utf-8|decode|encoding",
        args="--encoding utf-8")
    put("unknown_encoding_name.csv", GOOD, 2, r"encoding", args="--encoding no-such-codec")
    # --- values ---
    put("number_with_stray_text.csv", GOOD.replace(",80\n", ",80a\n"), 1, r"employment.*80a|80a")
    put("percent_value.csv", GOOD.replace(",80\n", ",12%\n"), 1, r"12%")
    put("negative_value.csv", GOOD.replace(",80\n", ",-80\n"), 1, r"negative")
    put("negative_establishments.csv",
        "region,industry,year,establishments\nA,31-33,2016,3\nB,31-33,2016,-1\n", 1, r"negative")
    put("astronomically_large.csv", GOOD.replace(",80\n", ",1e300\n"), 1, r"1e300")
    put("infinite_value.csv", GOOD.replace(",80\n", ",inf\n"), 1, r"inf|finite")
    put("nan_text_value.csv", GOOD.replace(",80\n", ",NaN\n"), 1, r"NaN|number")
    put("unknown_suppression_marker.csv", GOOD.replace(",80\n", ",(Q)\n"), 1, r"\(Q\)")
    put("all_values_suppressed.csv",
        "region,industry,year,employment\nA,31-33,2016,(D)\nB,31-33,2016,(D)\n", 0, r"")
    # --- keys ---
    put("duplicate_keys.csv", GOOD + "A,31-33,2016,101\n", 1, r"duplicate")
    put("empty_region_code.csv", GOOD.replace("B,44-45", ",44-45"), 1, r"region|empty|missing")
    put("empty_industry_code.csv", GOOD.replace("B,44-45", "B,"), 1, r"industry|empty|missing")
    put("unknown_naics_code.csv", GOOD + "B,31-3X,2016,5\n", 1, r"31-3X|unknown")
    put("invalid_period.csv", GOOD.replace("B,44-45,2016", "B,44-45,2016Q5"), 1, r"period|2016Q5")
    put("children_exceed_parent.csv", GOOD + "A,311,2016,150\n", 1, r"larger than the industry|exceed")
    put("no_region_column.csv", "industry,year,employment\n31-33,2016,100\n", 1, r"region")
    put("no_industry_column.csv", "region,year,employment\nA,2016,100\n", 1, r"industry")
    put("no_measure_column.csv", "region,industry,year\nA,31-33,2016\n", 1, r"measure|employment")
    # --- wide tables ---
    put("wide_year_in_wrong_place.csv",
        "region,industry,2015,Total,2016\nA,31-33,1,2,3\nB,31-33,4,5,6\n", 1, r"Total|year|period|column")
    put("wide_duplicate_year_columns.csv",
        "region,industry,2015,2015\nA,31-33,1,2\nB,31-33,4,5\n", 1, r"duplicate|2015")
    put("wide_text_in_cells.csv", "region,industry,2015,2016\nA,31-33,1,abc\nB,31-33,4,5\n", 1, r"abc")
    put("wide_year_header_float_valid.csv", "region,industry,2015.0,2016.0\nA,31-33,1,2\nB,31-33,4,5\n", 0, r"")
    # --- more text shapes ---
    put("utf16le_no_bom_valid.csv", GOOD.encode("utf-16-le"), 0, r"")
    put("utf16be_no_bom_valid.csv", GOOD.encode("utf-16-be"), 0, r"")
    put("very_long_line.csv", GOOD + "C,31-33,2016," + "9" * 140_000 + "\n", 1, r":6\b|line 6")
    # a date typed into the year column is read as that date's period (the generic reader takes
    # reference dates, "Stichtag", as periods since 4a6f22a): a control now, no longer an error
    put("xlsx_date_in_year_column_valid.xlsx",
        xlsx([["region", "industry", "year", "employment"], ["A", "31-33", datetime.datetime(2016, 1, 1), 100],
              ["B", "31-33", datetime.datetime(2016, 1, 1), 80]]), 0, r"")
    # two files that are each fine but repeat a key between them: see test_malformed.py
    put("dup_across_files_a_valid.csv", GOOD, 0, r"")
    put("dup_across_files_b_valid.csv", "region,industry,year,employment\nB,44-45,2016,71\nC,31-33,2016,5\n", 0, r"")
    # --- compressed ---
    gz = gzip.compress(GOOD.encode() * 200, mtime=0)
    put("truncated_gzip.csv.gz", gz[: len(gz) // 2], 1, r"gzip|truncated|corrupt|compressed")
    put("gz_name_but_plain_text_valid.csv.gz", GOOD, 0, r"")
    # --- agency layouts ---
    qcew_head = ("area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
                 "qtrly_estabs_count,month1_emplvl,month2_emplvl,month3_emplvl,total_qtrly_wages\n")
    put("qcew_missing_employment_columns.csv",
        "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,qtrly_estabs_count\n"
        "49001,5,10,71,0,2016,1,,100\n", 1, r"month1_emplvl|column", args="--format qcew")
    put("qcew_text_in_employment.csv", qcew_head + "49001,5,10,71,0,2016,1,,100,5x,6,7,1000\n", 1,
        r"5x")
    put("qcew_bad_quarter.csv", qcew_head + "49001,5,10,71,0,2016,7,,100,5,6,7,1000\n", 1, r"qtr|quarter|7")
    annual_head = ("area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
                   "annual_avg_estabs,annual_avg_emplvl,total_annual_wages\n")
    put("qcew_annual_year_in_qtr_column.csv", annual_head + "49001,5,10,71,0,A,2016,,100,50,1000\n", 1,
        r"year.*not a year|found 'A'")
    put("qcew_annual_file_with_a_quarter.csv", annual_head + "49001,5,10,71,0,2016,1,,100,50,1000\n", 1,
        r"qtr.*annual")
    qrows = ("49001,5,10,71,0,2016,1,,100,5,6,7,1000\n49003,5,10,71,0,2016,1,,90,4,5,6,900\n"
             "49005,5,10,71,0,2016,1,,80,3,4,5,800\n")
    put("qcew_cr_line_endings.csv", (qcew_head + qrows).replace("\n", "\r"), 1, r"carriage return|\bCR\b")
    put("qcew_ragged_row.csv", qcew_head + qrows.replace(",800\n", ",800,12,13\n"), 1, r":4\b.*fields")
    put("qcew_unbalanced_quote.csv", qcew_head + qrows.replace("49003,5", '"49003,5'), 1, r"quote|:3\b")
    qgz = gzip.compress((qcew_head + qrows * 300).encode(), mtime=0)
    put("qcew_truncated_gzip.csv.gz", qgz[: len(qgz) // 2], 1, r"gzip|truncated|corrupt")
    put("eurostat_bad_period_heading.tsv", "unit,nace_r2,geo\\time\t2016 \tlast year \nTHS_PER,C,DE\t12.3 \t11.0 \n",
        1, r"period|last year")
    put("cbp16co_bad_empflag.txt", "fipstate,fipscty,naics,empflag,emp_nf,emp,qp1_nf,qp1,ap_nf,ap,est\n"
        "49,001,------,,G,100,G,10,G,40,5\n49,001,31----,Z,G,0,G,1,G,4,1\n", 1, r"empflag.*'Z'|2007-2016")
    put("eurostat_bad_flag.tsv", "unit,nace_r2,geo\\time\t2016 \t2015 \nTHS_PER,C,DE\t12.3 q\t11.0 \n", 1,
        r"flag|'q'|12\.3 q")
    put("cbp16co_bad_size_flag.txt", "fipstate,fipscty,naics,emp_nf,emp,qp1_nf,qp1,ap_nf,ap,est\n"
        "49,001,------,G,100,G,10,G,40,5\n49,001,31----,Q,0,G,1,G,4,1\n", 1, r"Q|flag")
    # --- agency layouts: one bad cell or row among good ones (strict: exit 1 naming it;
    #     --on-error skip: that line set aside, the rest kept) ---
    cbp_head = "fipstate,fipscty,naics,empflag,emp_nf,emp,qp1_nf,qp1,ap_nf,ap,est\n"
    cbp_rows = ["49,001,------,,G,100,G,10,G,40,5", "49,001,31----,,G,50,G,5,G,20,2",
                "49,003,------,,G,80,G,8,G,30,4", "49,003,31----,,G,30,G,3,G,10,1"]

    def edited(head: str, rows: list[str]):
        """A file of ``head`` + ``rows`` with some rows replaced: line number (header = 1) ->
        replacement row."""
        def build(changes: dict[int, str]) -> str:
            return head + "".join(changes.get(i + 2, r) + "\n" for i, r in enumerate(rows))
        return build

    cbp = edited(cbp_head, cbp_rows)

    put("cbp16co_text_in_emp.txt", cbp({3: "49,001,31----,,G,5O,G,5,G,20,2"}), 1, r":3\b.*emp.*5O",
        skip_lines="3")
    put("cbp16co_ragged_row.txt", cbp({3: "49,001,31----,,G,50,G,5,G,20,2,7"}), 1, r":3\b.*12 fields",
        skip_lines="3")
    put("cbp16co_short_row.txt", cbp({4: "49,003,------,,G,80"}), 1, r":4\b.*6 fields", skip_lines="4")
    put("cbp16co_bad_fips_code.txt", cbp({5: "49,0O3,31----,,G,30,G,3,G,10,1"}), 1, r":5\b.*fipscty.*0O3",
        skip_lines="5")
    put("cbp16co_infinite_value.txt", cbp({3: "49,001,31----,,G,inf,G,5,G,20,2"}), 1, r":3\b.*inf",
        skip_lines="3")
    put("cbp16co_several_bad_cells.txt",
        cbp({2: "49,001,------,,G,1e300,G,10,G,40,5", 3: "49,001,31----,,Q,50,G,5,G,20,2",
             4: "49,003,------,,G,80,G,8,G,30,4,4"}) + "49,005,------,,G,70,G,7,G,30,x\n49,005,31----,,G,7,G,1,G,3,1\n",
        1, r":2\b.*1e300", skip_lines="2 3 4 6")
    cgz = gzip.compress(cbp({}).encode() * 50, mtime=0)
    put("cbp16co_truncated_gzip.txt.gz", cgz[: len(cgz) // 2], 1, r"gzip|truncated|corrupt|unreadable")
    qcew_rows = ["49001,5,10,71,0,2016,1,,100,5,6,7,1000", "49003,5,10,71,0,2016,1,,90,4,5,6,900",
                 "49005,5,10,71,0,2016,1,,80,3,4,5,800", "49007,5,10,71,0,2016,1,,70,2,3,4,700"]
    qcew = edited(qcew_head, qcew_rows)

    put("qcew_short_row.csv", qcew({3: "49003,5,10,71,0,2016,1,,90,4"}), 1, r":3\b.*10 fields",
        skip_lines="3")
    put("qcew_bad_agglvl_code.csv", qcew({4: "49005,5,10,7l,0,2016,1,,80,3,4,5,800"}), 1,
        r"agglvl_code|7l", skip_lines="4")
    put("qcew_infinite_value.csv", qcew({2: "49001,5,10,71,0,2016,1,,100,5,inf,7,1000"}), 1, r":2\b.*inf",
        skip_lines="2")
    put("qcew_astronomically_large.csv", qcew({5: "49007,5,10,71,0,2016,1,,70,2,3,4,1e300"}), 1,
        r":5\b.*1e300", skip_lines="5")
    put("qcew_several_bad_cells.csv",
        qcew({2: "49001,5,10,71,0,2016,1,,100,5x,6,7,1000", 3: "49003,5,10,71,0,2016,1,,90,4,5,6,900,1",
              5: "49007,5,10,7l,0,2016,1,,70,2,3,4,700"}) + "49009,5,10,71,0,2016,1,,60,1,2,3,600\n", 1,
        r":2\b.*5x|:3\b.*fields", skip_lines="2 3 5")
    eu_head = "unit,nace_r2,geo\\time\t2016 \t2015 \n"
    eu_rows = ["THS_PER,C,AT\t12.3 \t11.0 ", "THS_PER,C,DE\t100.5 \t99.0 ", "THS_PER,F,DE\t20.0 \t19.5 "]
    eu = edited(eu_head, eu_rows)

    put("eurostat_text_cell.tsv", eu({3: "THS_PER,C,DE\tn/a\t99.0 "}), 1, r":3\b.*n/a", skip_lines="3")
    put("eurostat_ragged_row.tsv", eu({3: "THS_PER,C,DE\t100.5 \t99.0 \t98.0 "}), 1, r":3\b.*4 fields",
        skip_lines="3")
    put("eurostat_short_row.tsv", eu({4: "THS_PER,F,DE\t20.0 "}), 1, r":4\b.*2 fields", skip_lines="4")
    put("eurostat_unknown_nace_code.tsv", eu({4: "THS_PER,F9X,DE\t20.0 \t19.5 "}), 1, r":4\b.*F9X",
        skip_lines="4")
    put("eurostat_astronomically_large.tsv", eu({2: "THS_PER,C,AT\t1e300 \t11.0 "}), 1, r":2\b.*1e300",
        skip_lines="2")
    put("eurostat_several_bad_cells.tsv",
        eu({2: "THS_PER,C,AT\t12.3 x\t11.0 ", 3: "THS_PER,C,DE\t100.5 ", 4: "THS_PER,,DE\t20.0 \t19.5 "})
        + "THS_PER,C,FR\t50.0 \t49.0 \n", 1, r":2\b.*flag", skip_lines="2 3 4")
    egz = gzip.compress(eu({}).encode() * 200, mtime=0)
    put("eurostat_truncated_gzip.tsv.gz", egz[: len(egz) // 2], 1,
        r"gzip|truncated|corrupt|unreadable")
    # text that is not UTF-8 (a Latin-1 re-save) inside an agency file
    put("qcew_not_utf8.csv", qcew({}).encode() + "49011,5,10,71,0,2016,1,,50,1,2,3,500 Doña\n".encode("latin-1"),
        1, r":6\b.*UTF-8")
    put("cbp16co_not_utf8.txt", cbp({}).encode() + "49,0\xd81,------,,G,1,G,1,G,1,1\n".encode("latin-1"),
        1, r":6\b.*UTF-8")
    put("eurostat_not_utf8.tsv", eu({}).encode() + "THS_PER,C,\xc5T\t1 \t2 \n".encode("latin-1"),
        1, r":5\b.*UTF-8")
    # --- spreadsheets and parquet ---
    put("xlsx_corrupt_zip.xlsx", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(500)), 1,
        r"xlsx|Excel|zip|corrupt")
    put("xlsx_empty_sheet.xlsx", xlsx([]), 1, r"empty|no data|header")
    put("xlsx_merged_title_no_header.xlsx",
        xlsx([["Employment by region, 2016"], [None], [1, 2, 3], [4, 5, 6]], merge=(0, 0, 0, 3, "Employment by region, 2016")),
        1, r"header|region|column")
    put("xlsx_merged_title_rows_valid.xlsx",
        xlsx([["Employment by region and industry"], ["Source: statistical office"], [None],
              ["region", "industry", "year", "employment"], ["A", "31-33", 2016, 100], ["B", "31-33", 2016, 80]],
             merge=(0, 0, 0, 3, "Employment by region and industry")), 0, r"")
    put("xlsx_missing_sheet.xlsx", xlsx([["region", "industry", "year", "employment"], ["A", "31-33", 2016, 1]]),
        2, r"sheet|Nope", args="--sheet Nope")
    put("parquet_other_schema.parquet", parquet({"x": [1, 2], "y": ["a", "b"]}), 1, r"region|column|schema")
    put("parquet_truncated.parquet", parquet({"region": ["A"], "industry": ["31-33"], "year": [2016],
                                              "employment": [1.0]})[:-20], 1, r"Parquet|corrupt|truncated")
    canonical_cols = {"period": ["2016"], "region": ["A"], "ownership": ["total"], "industry": ["31-33"],
                      "employment": [1.0]}
    put("canonical_from_newer_version.parquet",
        parquet(canonical_cols, {b"clusterid": b'{"kind": "canonical", "schema_version": 999, "tool_version": "99.0"}'}),
        1, r"newer")
    canonical_csv = ("period,region,ownership,industry,region_name,region_level,industry_name,classification,"
                     "level,employment,employment_status\n2016,A,total,31-33,,,,NAICS,2,1.0,reported\n")
    put("canonical_csv_from_newer_version.csv", canonical_csv, 1, r"newer")
    # its metadata sidecar (not an input of its own, so not in the manifest)
    (HERE / "canonical_csv_from_newer_version.csv.meta.json").write_text(
        '{"kind": "canonical", "schema_version": 999, "tool": "clusterid", "tool_version": "99.0"}\n',
        encoding="utf-8")
    # canonical tables whose numeric columns hold text (hand-edited, or written by another tool)
    put("canonical_csv_text_in_measure.csv", canonical_csv.replace(",1.0,reported", ",abc,reported"), 1,
        r":2\b.*employment.*abc")
    put("canonical_parquet_text_measure.parquet",
        parquet({**canonical_cols, "employment": ["12 persons"]}), 1, r"employment.*numeric")
    # a canonical CSV beside the sidecar of another run (a kill between the two renames)
    put("canonical_csv_sidecar_of_another_run.csv", canonical_csv, 2, r"sidecar.*does not match")
    (HERE / "canonical_csv_sidecar_of_another_run.csv.meta.json").write_text(
        '{"kind": "canonical", "schema_version": 1, "tool": "clusterid", "data_sha256": "'
        + "0" * 64 + '"}\n', encoding="utf-8")
    with open(HERE / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "args", "exit_code", "message_regex", "skip_lines"])
        for row in sorted(ROWS):
            w.writerow(row)
    print(f"{len(ROWS)} files")


if __name__ == "__main__":
    main()
