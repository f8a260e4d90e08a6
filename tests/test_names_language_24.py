"""Cluster names in the language of the input's titles.

Keyword names (the commonest words of the members' titles) suit English titles only: the words
of a Russian OKED table came out inflected ('Оборудования, Фармацевтических, Машин'), and the
bundled English titles of the NACE sections were put in front of them ('Manufacturing: ...').
A table titled in another language now names each cluster by the title of its core industry
closest to the cluster, and its parents by its own titles only.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from clusterid.core import grouping

# OKED (NACE Rev. 2) divisions with their Russian titles, as stat.gov.kz's tables give them
TITLES = {
    "05": "Добыча угля и лигнита", "06": "Добыча сырой нефти и природного газа",
    "07": "Добыча металлических руд", "24": "Металлургическая промышленность",
    "10": "Производство продуктов питания", "11": "Производство напитков",
    "13": "Производство текстильных изделий", "14": "Производство одежды",
    "49": "Сухопутный транспорт и транспортирование по трубопроводам",
    "51": "Воздушный транспорт",
    "52": "Складское хозяйство и вспомогательная транспортная деятельность",
}
GROUPS = [["05", "06", "07", "24"], ["10", "11", "13", "14"], ["49", "51", "52"]]
REGIONS = ["Акмолинская область", "Актюбинская область", "Алматинская область",
           "Атырауская область", "Западно-Казахстанская область", "Жамбылская область",
           "Карагандинская область", "Костанайская область", "Кызылординская область",
           "Мангистауская область", "Павлодарская область", "Северо-Казахстанская область",
           "Восточно-Казахстанская область", "г. Астана", "г. Алматы"]


def _russian_table(path, titles=TITLES):
    """The OKED table over REGIONS, each group of GROUPS big or small together; ``titles``
    (code -> title) may leave codes untitled."""
    rng = np.random.default_rng(7)
    lines = ["Регион;Код ОКЭД;Наименование;Год;Численность"]
    for region in REGIONS:
        weight = rng.lognormal(0.0, 1.0, size=len(GROUPS))
        for g, codes in enumerate(GROUPS):
            for code in codes:
                jobs = int(1000 * weight[g] * rng.lognormal(0.0, 0.2))
                lines.append(f"{region};{code};{titles.get(code, '')};2022;{jobs}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_russian_table_names_its_clusters_by_its_own_titles(tmp_path):
    from clusterid.cli.detect import run

    src = _russian_table(tmp_path / "oked_ru.csv")
    run(str(src), str(tmp_path / "out"), random_state=0)
    summary = pl.read_csv(tmp_path / "out" / "cluster_summary.csv", infer_schema_length=0)
    members = pl.read_csv(tmp_path / "out" / "clusters.csv", infer_schema_length=0)
    names = summary["cluster_name"].to_list()
    assert len(names) >= 2
    # each a whole title of the input, of one of the cluster's own members: no English
    # section title in front, no inflected word list
    for cid, name in zip(summary["cluster_id"].to_list(), names):
        own = members.filter(pl.col("cluster_id") == cid)["industry_name"].to_list()
        assert name in own, (name, own)
    assert not any(":" in n or "Manufactur" in n or "Mining" in n for n in names)


def test_titles_read_as_english_or_not():
    naics = ["Food manufacturing", "Oil and gas extraction", "Support activities for mining",
             "Farm machinery and equipment manufacturing"]
    nace_en = ["Manufacture of food products", "Mining of coal and lignite"]
    german = ["Herstellung von Nahrungs- und Futtermitteln", "Getränkeherstellung",
              "Kohlenbergbau"]
    assert grouping.in_english(naics)
    assert grouping.in_english(nace_en)
    assert not grouping.in_english(list(TITLES.values()))
    assert not grouping.in_english(german)
    assert not grouping.in_english(["Herstellung von Textilien", "Herstellung von Bekleidung"])
    assert not grouping.in_english(["Fabrication de textiles", "Industrie de l'habillement"])
    # a table's own one-word names are no other language's: keyword names as before
    assert grouping.in_english(["Tourism", "Fishing", "Agriculture"])
    assert grouping.in_english([])  # no titles: the bundled (English) ones fill them
    assert grouping.in_english([None, ""])


def test_central_title_is_the_member_closest_to_its_cluster():
    titles = ["a", None, "c", "d"]
    codes = ["10", "11", "12", "13"]
    own = np.array([0.2, 0.9, 0.5, 0.5])
    # 11 is closest but has no title; 12 and 13 tie: the lower code
    assert grouping.central_title([0, 1, 2, 3], titles, own, codes) == "c"
    assert grouping.central_title([0], titles, own, codes) == "a"
    assert grouping.central_title([1], titles, own, codes) is None
    # a singleton's own similarity is NaN: its title all the same
    assert grouping.central_title([3], titles, np.array([np.nan] * 4), codes) == "d"


def test_english_titles_keep_their_keyword_names():
    # (the English path as before: the commonest informative words)
    assert grouping.cluster_name(["Pump manufacturing", "Industrial pump repair",
                                  "Machinery and pump wholesalers"]) == "Pump, Industrial, Repair"
