"""Crash hunt 13: ``clusterid detect`` and ``clusterid impute`` on tables other than the US
county panel (German Länder NACE tables, Kazakh OKED tables, few regions or industries), each
problem pinned by a test that failed before its fix."""

from __future__ import annotations

import json

from conftest import csv_rows, run_main


def _laender(tmp_path):
    # Layout of a Destatis/Regionalstatistik Länder table in long form (Land, WZ 2008 code,
    # year, employees): sections C, J, K with only some of their divisions listed (C10, C20,
    # C29 of the 24 in C; J62 of J's six), no all-industries row; Bremen's C20 suppressed (:)
    rows = {"Bayern": {"C": 1500000, "C10": 200000, "C20": 90000, "C29": 400000, "J": 300000,
                       "J62": 150000, "K": 200000},
            "Berlin": {"C": 100000, "C10": 20000, "C20": 10000, "C29": 5000, "J": 200000,
                       "J62": 120000, "K": 60000},
            "Bremen": {"C": 60000, "C10": 10000, "C20": ":", "C29": 30000, "J": 15000,
                       "J62": 7000, "K": 9000}}
    lines = ["region,industry,year,employment"]
    lines += [f"{r},{c},2022,{v}" for r, cells in rows.items() for c, v in cells.items()]
    src = tmp_path / "laender.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def test_a_section_listed_above_some_of_its_divisions_counts_whole_in_the_region_total(
        tmp_path, capsys):
    # grouping the divisions, a region without an all-industries row was given the sum of the
    # listed divisions and lone sections as its total: Bayern 1,040,000 of its 2,000,000 jobs
    # (C's 810,000 in unlisted divisions and J's 150,000 outside J62 left out), so
    # manufacturing's share 0.66 instead of 0.345; --definitions of the sections gave 2,000,000
    src = _laender(tmp_path)
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    regional = csv_rows((out / "regional_clusters.csv").read_text())
    totals = {r["region"]: float(r["region_employment"]) for r in regional}
    assert totals == {"Bayern": 2000000.0, "Berlin": 360000.0, "Bremen": 84000.0}
    bayern = {r["cluster_name"]: float(r["share"]) for r in regional if r["region"] == "Bayern"}
    assert abs(bayern["Manufacturing"] - 690000 / 2000000) < 1e-6
    # Bremen's suppressed C20 lies inside its published C: the total is no lower bound
    assert "region total(s) unpublished" not in err


def _kz(tmp_path):
    # Layout of a Kazakh statistics bureau (stat.gov.kz) table of employees by oblast and
    # OKED section: Russian headings and names, ';' separated, space thousands, 'x' for a
    # confidential cell; Atyrau's sections all confidential
    values = {"Акмолинская область": ["45 000", "12 000", "20 000", "9 000", "30 000"],
              "Карагандинская область": ["25 000", "60 000", "70 000", "x", "50 000"],
              "Атырауская область": ["x"] * 5,
              "г. Алматы": ["1 000", "500", "40 000", "35 000", "150 000"]}
    names = {"A": "Сельское, лесное и рыбное хозяйство", "B": "Горнодобывающая промышленность",
             "C": "Обрабатывающая промышленность", "F": "Строительство", "G": "Торговля"}
    lines = ["Регион;ОКЭД;Наименование;Год;Численность работников"]
    for region, cells in values.items():
        lines += [f"{region};{code};{name};2022;{v}"
                  for (code, name), v in zip(names.items(), cells)]
    src = tmp_path / "kz_oked_sections.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def test_a_region_with_every_cell_suppressed_is_named_not_left_blank_in_silence(
        tmp_path, capsys):
    # Atyrau's rows came out with empty shares and LQs and strong 'false', and only
    # Karaganda (one section suppressed) was named as a region whose total is unsure
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(_kz(tmp_path)), "-o", str(out)], capsys)
    assert code == 0, err
    assert ("detect: 1 region(s) publish no industry's employment and no total (2022 "
            "Атырауская область): their shares, LQs and ranks in regional_clusters are empty "
            "and no cluster is strong there") in err
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["strength"]["regions_without_total"] == ["2022 Атырауская область"]


def test_a_square_io_matrix_of_nace_sections_maps_a_table_of_sections(tmp_path, capsys):
    # a plain square matrix of flows between NACE sections (the A*10 / A*21 breakdown of
    # Eurostat's and the OECD's input-output tables) beside a table of sections: a one-letter
    # code was never looked up (prefixes of two characters and more only), so "none of the
    # input's industries maps to its sectors (e.g. A, B, C, F, G)"
    matrix = tmp_path / "io_sections.csv"
    matrix.write_text("code,A,B,C,F,G\nA,0,1,30,0,5\nB,1,0,20,2,0\nC,10,5,0,20,30\n"
                      "F,0,0,1,0,2\nG,3,1,4,2,0\n", encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(_kz(tmp_path)), "-o", str(out), "--signals",
                             "io,colocation", "--io", str(matrix)], capsys)
    assert code == 0, err
    assert "map to no sector" not in err
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["relatedness"]["io_unmapped"] == []


def test_a_square_io_matrix_whose_labels_are_not_the_input_codes_says_so(tmp_path, capsys):
    # the message told a NACE user with a square matrix that "a Use table needs NAICS codes
    # and a --crosswalk": it now names the matrix's labels beside the input's codes
    matrix = tmp_path / "io_lower.csv"
    matrix.write_text("code,X1,X2\nX1,0,1\nX2,1,0\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(_kz(tmp_path)), "-o", str(tmp_path / "d"),
                             "--signals", "io", "--io", str(matrix)], capsys)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        f"clusterid: error: --io {matrix}: none of the input's industries (A, B, C, F, G) "
        "is a sector of the table or starts with one (its sectors: X1, X2); label the "
        "matrix with the input's codes, or give a --crosswalk from its sectors to them")


def test_impute_midpoint_keeps_sections_of_an_incomplete_listing_within_their_total(
        tmp_path, capsys):
    # the Kazakh table of five OKED sections (of 21) with each oblast's 'Всего' row: Atyrau's
    # five sections, all 'x', have bounds [0, 150,000] each (the sections listed need not make
    # up the total); midpoint put each at 75,000, 375,000 jobs under a published 150,000
    src = _kz(tmp_path)
    text = src.read_text(encoding="utf-8")
    text += "Атырауская область;;Всего;2022;150 000\n"
    src.write_text(text, encoding="utf-8")
    code, out, err = run_main(["impute", str(src), "-o", "-", "--method", "midpoint"], capsys)
    assert code == 0, err
    atyrau = [r for r in csv_rows(out) if r["region"] == "Атырауская область"
              and r["industry"] != "10"]
    assert len(atyrau) == 5 and all(r["employment_status"] == "estimated" for r in atyrau)
    values = [float(r["employment"]) for r in atyrau]
    assert abs(sum(values) - 150000) < 1e-6
    assert max(values) - min(values) < 1e-6  # one common fraction of equal bounds


def test_a_cell_without_prior_in_a_region_with_a_total_is_said_for_what_it_is(tmp_path, capsys):
    # F is published only in Akmola and Almaty, which have no 'Всего' row, and suppressed in
    # Karaganda and Atyrau, which have one: no region gives F a share of a total, so both F
    # cells took the middle of their bounds; the note said "they are in regions that publish
    # no total", of two regions that publish one
    src = _kz(tmp_path)
    text = src.read_text(encoding="utf-8")
    text += ("Атырауская область;;Всего;2022;150 000\n"
             "Карагандинская область;;Всего;2022;215 000\n")
    src.write_text(text, encoding="utf-8")
    code, _, err = run_main(["impute", str(src), "-o", "-"], capsys)
    assert code == 0, err
    assert ("impute: 2 suppressed cells have no prior (no establishment count, no published "
            "share to go by; industries published only in regions that publish no total: F): "
            "the middle of their bounds stands in for it") in err
    assert "they are in regions that publish no total" not in err


def test_a_table_of_one_industry_says_so_not_zero_industries_without_values(tmp_path, capsys):
    # Eurostat's nama_10r_3empers for section C alone over three NUTS-3 regions: the lone
    # industry was first called one with "no value in any region" (it has three) to be placed
    # by "adding hierarchy" (in the signals already), then "only 0 industry at level 1"
    src = tmp_path / "nace_c_only.csv"
    src.write_text("region,industry,year,employment\nAT111,C,2021,2510\nAT112,C,2021,6150\n"
                   "AT113,C,2021,3000\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d")], capsys)
    assert code == 2
    assert "no similarity to any other" not in err
    assert err.strip().splitlines()[-1] == (
        "clusterid: error: only 1 industry at level 1 in the unlabelled regions (C): nothing "
        "to group; choose another --level, or use --definitions FILE")


def test_a_cluster_of_one_section_takes_its_title_as_the_others_do(tmp_path, capsys):
    # a table of NACE sections (no code above them): a cluster of one industry takes that
    # industry's title, but only where some code had a parent; here C was "Cluster 1 (C)"
    # (the word "manufacturing" is too common to name by) beside F's "Construction"
    src = tmp_path / "sections.csv"
    src.write_text("region,industry,year,employment\nNord,C,2022,100\nSued,C,2022,30\n"
                   "Ost,C,2022,5\nNord,F,2022,10\nSued,F,2022,30\nOst,F,2022,50\n",
                   encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out), "--n-clusters", "2"], capsys)
    assert code == 0, err
    names = {r["industry"]: r["cluster_name"] for r in csv_rows((out / "clusters.csv").read_text())}
    assert names == {"C": "Manufacturing", "F": "Construction"}


def test_two_industries_split_by_an_artefact_of_the_scaling_are_said_to_be(tmp_path, capsys):
    # two industries have one pair: the combined similarity, mapped to [0, 1] by its minimum
    # and maximum over the pairs, came to 0 whatever the signals said (a user similarity of
    # 0.7, co-location of two industries found together), and dps split them without a word
    src = tmp_path / "two_industries.csv"
    src.write_text("region,industry,year,employment\nNord,C10,2022,100\nSued,C10,2022,30\n"
                   "Ost,C10,2022,5\nNord,C20,2022,90\nSued,C20,2022,35\nOst,C20,2022,4\n",
                   encoding="utf-8")
    out = tmp_path / "d"
    code, _, err = run_main(["detect", str(src), "-o", str(out)], capsys)
    assert code == 0, err
    note = ("only 2 industries at level 2 (C10, C20): their one similarity has no other pair to "
            "be compared with, so their split is an artefact of the scaling, not a finding; "
            "--n-clusters 1 keeps them together, another --level or --definitions FILE groups "
            "more")
    assert f"detect: {note}" in err
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert note in meta["notes"]
    code, _, err = run_main(["detect", str(src), "-o", str(tmp_path / "d1"), "--n-clusters",
                             "1"], capsys)
    assert code == 0, err
    assert "artefact of the scaling" not in err
    clusters = csv_rows((tmp_path / "d1" / "clusters.csv").read_text())
    assert {r["cluster_id"] for r in clusters} == {"1"}


def test_a_similarity_pair_given_twice_with_two_values_is_named(tmp_path, capsys):
    # the same pair on two lines of a user similarity table (a concordance pasted twice, one
    # of them revised) was averaged without a word; both orders of a pair are still averaged
    sim = tmp_path / "similarity.csv"
    sim.write_text("industry_a,industry_b,similarity\nC10,C20,0.5\nC20,C29,0.4\nC10,C20,0.9\n"
                   "C29,C20,0.6\n", encoding="utf-8")
    code, _, err = run_main(["detect", str(_laender(tmp_path)), "-o", str(tmp_path / "d"),
                             "--signals", "colocation,user", "--similarity", str(sim)], capsys)
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        f"clusterid: error: {sim}:4: column 'similarity': pair C10, C20 given twice (expected "
        "one value per pair (line 2 gives 0.5), found '0.9')")


def test_uscmp_definitions_on_oked_codes_say_they_are_naics(tmp_path, capsys):
    # "their codes are of another classification or level" left the user to guess which; the
    # same mismatch under --compare and --universe names NAICS and the input's classification
    code, _, err = run_main(["detect", str(_kz(tmp_path)), "-o", str(tmp_path / "d"),
                             "--definitions", "uscmp"], capsys)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "clusterid: error: --definitions uscmp: none of the input's industries (A, B, C, F, "
        "G ...) is in the definitions, which are NAICS (the input's codes are NACE); give "
        "--definitions FILE of the input's codes, or leave it out to group them")


def test_n_clusters_beyond_the_industries_names_the_option_and_the_industries(tmp_path, capsys):
    # "n_clusters must be between 1 and 4, got 9": the library's parameter, not the option,
    # and not which four industries there are to group
    code, _, err = run_main(["detect", str(_laender(tmp_path)), "-o", str(tmp_path / "d"),
                             "--n-clusters", "9"], capsys)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "clusterid: error: --n-clusters 9: expected 1 to 4, the industries grouped at level 2 "
        "(C10, C20, C29, J62)")
