"""Writes the small hand-made `clusterid detect` output folder used by the report tests.

Synthetic numbers in the format documented at the top of src/clusterid/cli/detect.py: 6 Utah
counties, 2 periods, 4 clusters.  Run: python tests/data/report/make_fixture.py
"""
import csv
import json
from pathlib import Path

OUT = Path(__file__).parent / "detect"
OUT.mkdir(exist_ok=True)

clusters = [
    # industry, name, cluster_id, cluster_name, type, core, coassign, sim_own, sim_other
    ("336411", "Aircraft Manufacturing", "1", "Aerospace Vehicles and Defense", "traded", "true", "0.98", "0.61", "0.22"),
    ("336413", "Other Aircraft Parts and Auxiliary Equipment Manufacturing", "1", "Aerospace Vehicles and Defense", "traded", "true", "0.95", "0.58", "0.25"),
    ("334511", "Search, Detection, and Navigation Instruments", "1", "Aerospace Vehicles and Defense", "traded", "false", "0.71", "0.41", "0.33"),
    ("541511", "Custom Computer Programming Services", "3", "Business Services", "traded", "true", "0.97", "0.66", "0.30"),
    ("541512", "Computer Systems Design Services", "3", "Business Services", "traded", "true", "0.93", "0.64", "0.28"),
    ("111998", "All Other Miscellaneous Crop Farming", "2", "Agricultural Inputs and Services", "traded", "true", "0.88", "0.52", "0.19"),
    ("115112", "Soil Preparation, Planting, and Cultivating", "2", "Agricultural Inputs and Services", "traded", "false", "0.64", "0.39", "0.31"),
    ("621111", "Offices of Physicians (except Mental Health Specialists)", "101", "Local Health Services", "local", "true", "1", "0.71", "0.12"),
    ("621210", "Offices of Dentists", "101", "Local Health Services", "local", "true", "0.99", "0.69", "0.15"),
]
with open(OUT / "clusters.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["industry", "industry_name", "cluster_id", "cluster_name", "cluster_type", "core",
                "coassignment", "similarity_own", "similarity_other", "source"])
    for row in clusters:
        w.writerow([*row, "data:dps"])

regions = [("49011", "Davis County, Utah"), ("49035", "Salt Lake County, Utah"),
           ("49049", "Utah County, Utah"), ("49057", "Weber County, Utah"),
           ("49003", "Box Elder County, Utah"), ("49041", "Sevier County, Utah")]
# employment by (region, cluster) for 2015 and 2016; None = every member cell suppressed
emp = {
    "49011": {"1": (5200, 5600), "3": (2100, 2250), "2": (150, 160), "101": (6100, 6300)},
    "49035": {"1": (3100, 3150), "3": (21000, 23100), "2": (400, 380), "101": (38000, 39500)},
    "49049": {"1": (900, 1000), "3": (9800, 11200), "2": (700, 690), "101": (14000, 14900)},
    "49057": {"1": (4100, 4000), "3": (1300, 1350), "2": (300, 310), "101": (7800, 7900)},
    "49003": {"1": (2800, 2950), "3": (120, 130), "2": (650, 700), "101": (1500, 1520)},
    "49041": {"1": (None, None), "3": (40, 45), "2": (380, 420), "101": (600, 610)},
}
region_total = {"49011": (120000, 124000), "49035": (690000, 705000), "49049": (210000, 222000),
                "49057": (100000, 101500), "49003": (21000, 21500), "49041": (7000, 7100)}
names = {c[2]: (c[3], c[4]) for c in clusters}
order = ["1", "3", "2", "101"]

def lq_table(p):
    out = {}
    for cid in order:
        typ = names[cid][1]
        denom = {r: sum((emp[r][c][p] or 0) for c in order if names[c][1] == typ) for r in emp}
        num = {r: emp[r][cid][p] or 0 for r in emp}
        tot_n, tot_d = sum(num.values()), sum(denom.values())
        for r in emp:
            out[(r, cid)] = (num[r] / denom[r]) / (tot_n / tot_d) if denom[r] else None
    return out

rows = []
for pi, period in enumerate(["2015", "2016"]):
    lqs = lq_table(pi)
    for r, rname in regions:
        recs = []
        for cid in order:
            e = emp[r][cid][pi]
            lq = lqs[(r, cid)]
            strong = lq is not None and lq >= 1.2 and (e or 0) > 500
            recs.append((cid, e, lq, strong))
        recs.sort(key=lambda x: (not x[3], -(x[2] or 0)))
        for rank, (cid, e, lq, strong) in enumerate(recs, start=1):
            nsup = 2 if e is None else (1 if cid == "2" else 0)
            status = "suppressed" if e is None else ("partial" if nsup else "reported")
            e0 = emp[r][cid][0]
            last = period == "2016"
            growth = f"{e / e0 - 1:.6g}" if (last and e and e0) else ""
            lq0 = lq_table(0)[(r, cid)]
            lqc = f"{lq - lq0:.6g}" if (last and lq is not None and lq0 is not None) else ""
            tier = "strong" if strong else ("significant" if (lq or 0) > 1 else "none")
            rows.append([period, r, rname, "county", cid, names[cid][0], names[cid][1],
                         "" if e is None else e, "" if e is None else int(e * (0.9 if nsup else 1)),
                         "" if e is None else int(e * (1.2 if nsup else 1)), status,
                         3 if cid == "1" else 2, nsup, "", "",
                         region_total[r][pi], "" if e is None else f"{e / region_total[r][pi]:.6g}",
                         "" if lq is None else f"{lq:.6g}", "local" if cid == "101" else "traded",
                         "" if lq is None else f"{lq * 0.9:.6g}", "" if lq is None else f"{lq * 1.1:.6g}",
                         "" if lq is None else f"{lq * (0.95 if nsup else 1):.6g}",
                         "" if lq is None else f"{lq * (1.05 if nsup else 1):.6g}",
                         growth, lqc, tier, 1 if strong else 0, "false", "true" if strong else "false",
                         "false", "true" if strong else "false", "true" if strong and not nsup else "false",
                         rank, 0])
# rank_in_cluster
for period in ["2015", "2016"]:
    for cid in order:
        sub = [r for r in rows if r[0] == period and r[4] == cid]
        sub.sort(key=lambda r: (r[30] != "true", -(float(r[17]) if r[17] else -1)))
        for k, r in enumerate(sub, start=1):
            r[-1] = k
header = ["period", "region", "region_name", "region_level", "cluster_id", "cluster_name",
          "cluster_type", "employment", "employment_lower", "employment_upper", "employment_status",
          "n_industries", "n_suppressed", "establishments", "wages", "region_employment", "share",
          "lq", "lq_denominator", "lq_ci_lower", "lq_ci_upper", "lq_min", "lq_max",
          "employment_growth", "lq_change", "uscmp_tier", "stars", "star_size",
          "star_specialisation", "star_focus", "strong", "strong_robust", "rank_in_region",
          "rank_in_cluster"]
rows.sort(key=lambda r: (r[0], r[1], r[32]))
with open(OUT / "regional_clusters.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)

with open(OUT / "cluster_summary.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["cluster_id", "cluster_name", "cluster_type", "n_industries", "n_core",
                "core_industries", "n_industries_data", "employment", "establishments", "wages",
                "n_regions", "n_strong", "top_regions", "within_similarity", "vs_industry",
                "mean_coassignment"])
    for cid in order:
        members = [c for c in clusters if c[2] == cid]
        core = [c[0] for c in members if c[5] == "true"]
        last = [r for r in rows if r[0] == "2016" and r[4] == cid]
        strong = sorted([r for r in last if r[30] == "true"], key=lambda r: -float(r[17]))
        w.writerow([cid, names[cid][0], names[cid][1], len(members), len(core), "; ".join(core),
                    len(members), sum(r[7] for r in last if r[7] != ""), "", "",
                    sum(1 for r in last if r[7] not in ("", 0)), len(strong),
                    "; ".join(r[1] for r in strong[:5]), "0.6", "1" if cid != "2" else "0.5",
                    f"{sum(float(c[6]) for c in members) / len(members):.6g}"])

with open(OUT / "region_summary.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["period", "region", "region_name", "region_level", "region_employment",
                "traded_employment", "strong_traded_employment", "cluster_strength", "n_strong",
                "strong_clusters", "rd_employment", "rd_lq", "higher_ed_employment", "higher_ed_lq"])
    for period in ["2015", "2016"]:
        for r, rname in sorted(regions):
            sub = sorted([x for x in rows if x[0] == period and x[1] == r], key=lambda x: x[32])
            traded = sum(x[7] for x in sub if x[6] == "traded" and x[7] != "")
            strong_t = sum(x[7] for x in sub if x[6] == "traded" and x[30] == "true")
            strong = [x[4] for x in sub if x[30] == "true"]
            w.writerow([period, r, rname, "county", sub[0][15], traded, strong_t,
                        f"{strong_t / traded:.6g}" if traded else "", len(strong), "; ".join(strong),
                        "", "", "", ""])

meta = {
    "kind": "detect", "schema_version": 1, "tool": "clusterid", "tool_version": "0.1.0",
    "inputs": [{"path": "data/samples/qcew_utah_2016_counties.csv.gz",
                "sha256": "0" * 64}],
    "options": {"signals": "colocation,hierarchy", "method": "dps", "rule": "uscmp-strong",
                "level": 6, "random_state": 0, "measure": "employment"},
    "random_state": 0,
    "rule": {"name": "uscmp-strong", "lq_quantile": 0.75, "employment_quantile": 0.25},
    "files": {},
}
for f in sorted(OUT.glob("*.csv")):
    import hashlib
    meta["files"][f.name] = {"rows": sum(1 for _ in open(f)) - 1,
                             "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
(OUT / "metadata.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
