"""Write the rounded stat.gov.kz-style yearbook table of this folder (invented figures).

Layout of the Bureau of National Statistics of Kazakhstan's yearbook table "Численность
занятого населения по видам экономической деятельности" (thousand persons, one decimal,
decimal comma, a space between thousands, ';'): a title line, a unit line, the header, the
republic's row above its 14 oblasts and 3 cities of republican significance, confidential
cells 'к', the note under the table.  Each figure is a whole number of persons (drawn with a
fixed seed) rounded to 0.1 thousand, the republic's figure the rounded sum of the unrounded
ones, so the published oblasts add up to the published republic only within rounding (by up
to 17 x 50 + 50 persons, either way).  Run from the project root:
``.venv/bin/python tests/data/rounded/make_files.py``.
"""

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGIONS = ("Акмолинская область", "Актюбинская область", "Алматинская область",
           "Атырауская область", "Западно-Казахстанская область", "Жамбылская область",
           "Карагандинская область", "Костанайская область", "Кызылординская область",
           "Мангистауская область", "Павлодарская область", "Северо-Казахстанская область",
           "Туркестанская область", "Восточно-Казахстанская область", "г. Нур-Султан",
           "г. Алматы", "г. Шымкент")
SECTIONS = ("A", "B", "C", "F", "G")
# (region index, section): confidential in the table, counted in the republic's figure
HIDDEN = {(3, "B"), (9, "C")}


def thousands(persons: int) -> str:
    """Persons -> thousands with one decimal, as the yearbook prints them: '1 203,4'."""
    tenths = round(persons / 100)
    whole, dec = divmod(tenths, 10)
    return f"{whole:,}".replace(",", " ") + f",{dec}"


def main():
    rng = random.Random(2021)
    cells = {(i, s): rng.randint(3_000, 180_000) for i in range(len(REGIONS)) for s in SECTIONS}
    other = {i: rng.randint(150_000, 600_000) for i in range(len(REGIONS))}  # the other sections
    lines = ["Численность занятого населения по видам экономической деятельности за 2021 год",
             "(тысяч человек)", "Регион;Всего;" + ";".join(SECTIONS)]
    total = {i: other[i] + sum(cells[i, s] for s in SECTIONS) for i in range(len(REGIONS))}
    republic = [sum(total.values())] + [sum(cells[i, s] for i in range(len(REGIONS)))
                                        for s in SECTIONS]
    lines.append("Республика Казахстан;" + ";".join(thousands(v) for v in republic))
    for i, name in enumerate(REGIONS):
        row = [thousands(total[i])] + ["к" if (i, s) in HIDDEN else thousands(cells[i, s])
                                       for s in SECTIONS]
        lines.append(f"{name};" + ";".join(row))
    lines.append("Примечание: к - данные не публикуются в целях обеспечения конфиденциальности.")
    (HERE / "kz_republic_over_oblasts_rounded.csv").write_text(
        "\n".join(lines) + "\n", encoding="utf-8")
    # the unrounded figures of the hidden cells, for the tests
    print({f"{REGIONS[i]} {s}": cells[i, s] for i, s in sorted(HIDDEN)})


if __name__ == "__main__":
    main()
