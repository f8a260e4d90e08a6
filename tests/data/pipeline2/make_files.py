"""Write the hand-made tables of tests/data/pipeline2 (run from this folder; deterministic).

* kz_oked_oblasts_cp1251.csv: a stat.gov.kz-style long table in cp1251 with `;`, two title
  lines, oblasts and the two cities, the Республика Казахстан total row, OKED sections A–U
  and divisions of B and C (B05, C10 ...), 2020–2022, `x` and `...` markers, an industry (U)
  with employment in one region only, a region (г.Астана) with zero mining.
* nama_10r_3empers_at_nuts2.tsv: Eurostat bulk TSV in the nama_10r_3empers layout for the nine
  Austrian NUTS 2 regions, 2018–2021, with the overlapping aggregates Eurostat publishes
  (TOTAL, B-E beside C, G-J beside G-I and J, K-N beside K, L, M_N, O-U beside O-Q and R-U),
  `: c` cells (L in AT11 in every year, K in AT32 in 2020) and a `p` flag.
Values are invented (seeded random numbers) but add up as the agencies' tables do.
"""

import random


def kz() -> None:
    random.seed(1)
    regions = ["Республика Казахстан", "Акмолинская область", "Актюбинская область",
               "Атырауская область", "г.Астана", "г.Алматы", "Карагандинская область"]
    sections = list("ABCDEFGHIJKLMNOPQRSTU")
    divs = {"B": ["05", "06", "07"], "C": ["10", "11", "24", "25"]}
    years = [2020, 2021, 2022]
    data = {}
    for y in years:
        for r in regions[1:]:
            for s in sections:
                if s in divs:
                    kids = {d: random.randint(100, 5000) for d in divs[s]}
                    if r == "г.Астана" and s == "B":
                        kids = {d: 0 for d in divs[s]}
                    data[(r, y, s)] = sum(kids.values()) + random.randint(0, 500)
                    for d, v in kids.items():
                        data[(r, y, (s, d))] = v
                else:
                    data[(r, y, s)] = (random.randint(0, 20000) if s != "U" else
                                       (random.randint(1, 30) if r == "г.Астана" else 0))
    for y in years:
        for s in sections:
            data[(regions[0], y, s)] = sum(data[(r, y, s)] for r in regions[1:])
            for d in divs.get(s, []):
                data[(regions[0], y, (s, d))] = sum(data[(r, y, (s, d))] for r in regions[1:])
    fmt = lambda v: f"{v:,}".replace(",", " ")  # noqa: E731
    lines = ["Численность работников по областям и видам экономической деятельности (ОКЭД)",
             "(человек)", "", "Область;Код ОКЭД;Год;Численность работников"]
    supp = {("Атырауская область", 2022, ("C", "24")), ("Атырауская область", 2022, ("C", "25"))}
    for r in regions:
        for y in years:
            lines.append(f"{r};Всего;{y};{fmt(sum(data[(r, y, s)] for s in sections))}")
            for s in sections:
                lines.append(f"{r};{s};{y};{fmt(data[(r, y, s)])}")
                for d in divs.get(s, []):
                    v = data[(r, y, (s, d))]
                    cell = ("x" if (r, y, (s, d)) in supp else
                            "..." if (r, y, d) == ("Карагандинская область", 2020, "07") else fmt(v))
                    lines.append(f"{r};{s}{d};{y};{cell}")
    with open("kz_oked_oblasts_cp1251.csv", "w", encoding="cp1251", newline="") as fh:
        fh.write("\r\n".join(lines) + "\r\n")


def nuts2() -> None:
    random.seed(7)
    regs = ["AT11", "AT12", "AT13", "AT21", "AT22", "AT31", "AT32", "AT33", "AT34"]
    leaf = ["A", "C", "BDE_rest", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    years = [2018, 2019, 2020, 2021]
    data = {}
    for r in regs:
        size = random.uniform(100, 900)
        w = {k: random.uniform(0.2, 2) for k in leaf}
        for y in years:
            g = 1 + 0.02 * (y - 2018) + random.uniform(-0.01, 0.01)
            for k in leaf:
                data[(k, r, y)] = round(size * w[k] / sum(w.values()) * g * random.uniform(0.95, 1.05), 1)

    def agg(r, y):
        d = {k: data[(k, r, y)] for k in leaf}
        out = {"A": d["A"], "C": d["C"], "B-E": round(d["C"] + d["BDE_rest"], 1), "F": d["F"],
               "G-I": d["G-I"], "J": d["J"], "G-J": round(d["G-I"] + d["J"], 1), "K": d["K"],
               "L": d["L"], "M_N": d["M_N"], "K-N": round(d["K"] + d["L"] + d["M_N"], 1),
               "O-Q": d["O-Q"], "R-U": d["R-U"], "O-U": round(d["O-Q"] + d["R-U"], 1)}
        out["TOTAL"] = round(out["A"] + out["B-E"] + out["F"] + out["G-J"] + out["K-N"]
                             + out["O-U"], 1)
        return out

    lines = ["unit,wstatus,nace_r2,geo\\time\t" + "\t".join(f"{y} " for y in reversed(years))]
    codes = ["A", "B-E", "C", "F", "G-I", "G-J", "J", "K", "K-N", "L", "M_N", "O-Q", "O-U",
             "R-U", "TOTAL"]
    tab = {(r, y): agg(r, y) for r in regs for y in years}
    for c in codes:
        for r in regs:
            cells = []
            for y in reversed(years):
                cell = f"{tab[(r, y)][c]} "
                if (r == "AT32" and c == "K" and y == 2020) or (r == "AT11" and c == "L"):
                    cell = ": c"
                if c == "J" and r == "AT34" and y == 2021:
                    cell = f"{tab[(r, y)][c]} p"
                cells.append(cell)
            lines.append(f"THS,EMP,{c},{r}\t" + "\t".join(cells))
    with open("nama_10r_3empers_at_nuts2.tsv", "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    kz()
    nuts2()
