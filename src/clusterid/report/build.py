"""Turn a detect output folder into the report's content: one plain dict, rendered three ways.

The dict is the JSON report (``clusterid report ... -o report.json``); the HTML and Markdown
renderers only lay it out.  Nothing here reads a clock: the date shown is the one recorded in the
detect metadata (when it recorded one), so the same folder always gives the same report.
"""

from __future__ import annotations

import math
import re
from typing import Any

from clusterid import __version__, schema

# Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko ... and their presentation forms)
# and the explicit direction marks and controls (RLM, embeddings, overrides, isolates).  A name
# holding one is isolated where the report shows it (HTML <bdi>, Markdown FSI ... PDI), so it
# cannot reorder the text around it: a cluster named with a right-to-left override (U+202E)
# showed the next cluster's name and "(filled: robust)" backwards, a region's code after an
# Arabic name went before it.
_BIDI = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u202a-\u202e"
                   "\u2066-\u2069\U00010800-\U00010fff\U0001e800-\U0001efff]")


def needs_isolation(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter or a direction control (see ``_BIDI``)."""
    return _BIDI.search(text) is not None

REFERENCES = [
    ("DPS2016", "Delgado, M., Porter, M. E. & Stern, S. (2016). Defining clusters of related "
     "industries. Journal of Economic Geography 16(1), 1-38."),
    ("Porter2003", "Porter, M. E. (2003). The economic performance of regions. Regional Studies "
     "37(6-7), 549-578."),
    ("ECO", "European Cluster Observatory: cluster star ratings for size, specialisation and focus "
     "(Ketels & Protsiv, European Cluster Panorama)."),
    ("MBB2003", "Moineddin, R., Beyene, J. & Boyle, E. (2003). On the location quotient confidence "
     "interval. Geographical Analysis 35(3), 249-256."),
    ("EG1997", "Ellison, G. & Glaeser, E. L. (1997). Geographic concentration in U.S. manufacturing "
     "industries: a dartboard approach. Journal of Political Economy 105(5), 889-927."),
    ("H2007", "Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007). The product "
     "space conditions the development of nations. Science 317(5837), 482-487."),
    ("EFSY2021", "Eckert, F., Fort, T. C., Schott, P. K. & Yang, N. J. (2021). Imputing missing "
     "values in the US Census Bureau's County Business Patterns. NBER Working Paper 26632."),
]


def _num(value: Any, digits: int = 6) -> Any:
    """Round floats to ``digits`` significant digits (stable JSON), never past the units: a
    count of a million or more keeps every digit of its whole part (Bavaria's 1,339,581
    manufacturing jobs were 1,339,580 in every format of the report).  NaN becomes None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value == 0:
            return 0.0
        whole = len(str(int(abs(value))))  # digits of the whole part
        return float(f"{value:.{max(digits, min(whole, 17))}g}")
    return value


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _num(v) for k, v in row.items()}


def _col(df, name: str) -> bool:
    return df is not None and name in df.columns


def build_report(results, top_regions: int = 25, top_per_cluster: int = 10) -> dict[str, Any]:
    """The report's content as a JSON-ready dict (see the module docstring)."""
    import polars as pl

    meta = results.metadata or {}
    regional = results.regional
    periods = sorted(regional[schema.PERIOD].unique().to_list()) if _col(regional, schema.PERIOD) else []
    last = periods[-1] if periods else None
    empty_periods = []
    if last is not None and _col(regional, "employment"):
        # a year headed but not filled in (a yearbook's next year, Eurostat's ':' column)
        # holds no value: shown alone, the report said 'suppressed' of every cluster
        known = set(regional.filter(pl.col("employment").is_not_null())[schema.PERIOD]
                    .unique().to_list())
        if known:
            last = max(known)
            empty_periods = [p for p in periods if p > last]
    # the periods detect left out for the same reason (it says so in its metadata)
    left_out = meta.get("periods_without_values") if isinstance(meta, dict) else None
    if isinstance(left_out, list) and last is not None:
        empty_periods = sorted(set(empty_periods) | {str(p) for p in left_out if str(p) > str(last)})
    cur = regional.filter(pl.col(schema.PERIOD) == last) if last is not None else regional
    has_growth = _col(cur, "employment_growth") and cur["employment_growth"].is_not_null().any()

    report: dict[str, Any] = {
        "kind": "report",
        "report_version": 1,
        "tool": "clusterid",
        "tool_version": __version__,
        "run": _run_block(results, meta, periods),
        "quality": _quality(results, cur, last) | (
            {"periods_without_values": empty_periods} if empty_periods else {}),
        "clusters": _clusters(results, cur, top_per_cluster),
        "cluster_employment_note": _employment_note(meta),
        "relatedness": relatedness_matrix(results, cur),
        "x_axis": "employment_growth" if has_growth else "share",
    }
    apart = _alone_in_level(cur)
    bare = _without_cluster_cells(results, cur) - apart
    regions, n_total = _regions(results, cur, top_regions, apart | bare)
    report["regions"] = regions
    report["regions_total"] = n_total
    everyone = _all_regions(results, cur)
    short = (schema.REGION, schema.REGION_NAME, schema.REGION_LEVEL, "region_employment")
    report["regions_apart"] = [{k: v for k, v in r.items() if k in short}
                               for r in everyone if r[schema.REGION] in apart]
    if bare:
        report["regions_without_clusters"] = [{k: v for k, v in r.items() if k in short}
                                              for r in everyone if r[schema.REGION] in bare]
    report["regions_all"] = everyone
    report["methodology"] = _methodology(
        meta, has_growth, set(cur["lq_denominator"].drop_nulls().to_list())
        if _col(cur, "lq_denominator") else set())
    report["references"] = [{"key": k, "text": t} for k, t in REFERENCES]
    report["glossary"] = glossary(meta, cur, results, periods, last, has_growth)
    if isinstance(meta.get("compare"), dict):
        report["compare"] = meta["compare"]
    report["grouping"] = _grouping(meta)
    return report


def _grouping(meta: dict) -> dict[str, Any] | None:
    """How the clusters were formed: method, parameters, overall scores, the sweep."""
    g = meta.get("grouping")
    d = meta.get("definitions")
    if not isinstance(g, dict) and not isinstance(d, dict):
        return None
    out: dict[str, Any] = {}
    if isinstance(d, dict):
        out["definitions"] = d.get("name")
        out["vintage"] = d.get("vintage")
    if isinstance(g, dict):
        for key in ("method", "params", "vs_industry", "vs_cluster", "cluster_type"):
            if key in g:
                out[key] = g[key]
        sweep = g.get("sweep")
        if isinstance(sweep, list):
            out["sweep"] = [_clean(dict(r)) for r in sweep if isinstance(r, dict)]
    return out


def _run_block(results, meta: dict, periods: list[str]) -> dict[str, Any]:
    date = None
    for key in ("date", "created", "run_date", "generated"):
        if isinstance(meta.get(key), str):
            date = meta[key]
            break
    source = _source_metadata(meta)

    def records(value) -> list[dict]:
        # a metadata.json of another shape (`"inputs": null`) was an internal error
        return [dict(i) for i in value if isinstance(i, dict)] if isinstance(value, list) else []

    return {
        "command": "clusterid detect",
        "source_inputs": records(source.get("inputs")),
        "source_kind": source.get("kind"),
        "detect_folder": results.folder.name,
        "detect_tool_version": meta.get("tool_version"),
        "date": date,
        "periods": periods,
        "inputs": records(meta.get("inputs")),
        "options": meta.get("options") if isinstance(meta.get("options"), dict) else {},
        "random_state": meta.get("random_state"),
        "rule": meta.get("rule"),
        "files": results.files,
        "edited": list(results.edited),
        "missing": list(results.missing),
    }


def _source_metadata(meta: dict) -> dict:
    """The metadata of the table detect read (its ``input.ingest`` block), {} when absent."""
    block = meta.get("input")
    if isinstance(block, dict) and isinstance(block.get("ingest"), dict):
        return block["ingest"]
    return {}


def _share(num: float, den: float) -> float | None:
    return None if not den else num / den


def _quality(results, cur, last) -> dict[str, Any]:
    import polars as pl

    q: dict[str, Any] = {schema.PERIOD: last}
    source = _source_metadata(results.metadata or {})
    if isinstance(source.get("suppressed_share"), dict):
        q["input_suppressed_share"] = {k: _num(v) for k, v in source["suppressed_share"].items()
                                       if isinstance(v, (int, float))}
    for key in ("rows_read", "rows_kept", "rejected_rows"):
        if isinstance(source.get(key), int):
            q["input_" + key] = source[key]
    if isinstance(source.get("dropped"), dict) and source["dropped"]:
        q["input_dropped"] = dict(source["dropped"])
    rel_info = (results.metadata or {}).get("relatedness")
    if isinstance(rel_info, dict):
        for key in ("suppressed_proxied_by_establishments", "suppressed_proxied_by_median", "cells"):
            if isinstance(rel_info.get(key), int):
                q["relatedness_" + key] = rel_info[key]
        if isinstance(rel_info.get("suppressed_for_relatedness"), str):
            q["relatedness_suppressed"] = rel_info["suppressed_for_relatedness"]
    # what detect said on stderr and recorded (industries in no cluster, quarters read as
    # periods so that growth is seasonal, totals that are lower bounds ...): the report's
    # reader never sees detect's stderr, and the report said none of it
    notes = (results.metadata or {}).get("notes")
    if isinstance(notes, list) and any(isinstance(n, str) and n.strip() for n in notes):
        q["detect_notes"] = [n for n in notes if isinstance(n, str) and n.strip()]
    q["n_regions"] = cur[schema.REGION].n_unique() if _col(cur, schema.REGION) else None
    # the clusters with data: a cluster of the definitions whose member cells hold no known
    # value in the last period (no member in the data, or every one suppressed) was counted
    # among the clusters as if the data said something of it (USCMP on Utah: 67 counted, 5
    # of them with no value in any county)
    q["n_clusters_defined"] = results.summary.height
    q["n_clusters"] = _clusters_with_data(results.summary)
    q["n_industries"] = results.clusters.height
    if _col(cur, "employment_status"):
        counts = cur.group_by("employment_status").len().sort("employment_status")
        total = cur.height
        q["cells_by_status"] = {r["employment_status"] or "missing": _num(r["len"] / total)
                                for r in counts.iter_rows(named=True)} if total else {}
    if _col(cur, "n_suppressed") and _col(cur, "n_industries"):
        q["member_cells"] = int(cur["n_industries"].sum() or 0)
        q["member_cells_suppressed_or_estimated"] = int(cur["n_suppressed"].sum() or 0)
        q["suppressed_share"] = _num(_share(q["member_cells_suppressed_or_estimated"], q["member_cells"]))
    if _col(cur, schema.EMPLOYMENT) and _col(cur, "employment_status"):
        emp_total = cur[schema.EMPLOYMENT].sum() or 0.0
        partial = cur.filter(pl.col("employment_status") != "reported")[schema.EMPLOYMENT].sum() or 0.0
        q["employment_in_partial_cells_share"] = _num(_share(partial, emp_total))
        q["cells_without_value"] = int(cur[schema.EMPLOYMENT].is_null().sum())
    if _col(cur, "employment_lower") and _col(cur, "employment_upper") and _col(cur, schema.EMPLOYMENT):
        known = cur.filter(pl.col("employment_upper").is_not_null())
        width = (known["employment_upper"] - known["employment_lower"]).sum() or 0.0
        q["bounds_width_share"] = _num(_share(width, known[schema.EMPLOYMENT].sum() or 0.0))
    if _col(results.summary, "n_industries_data") and _col(results.summary, "n_industries"):
        q["industries_in_data_share"] = _num(_share(
            float(results.summary["n_industries_data"].sum() or 0),
            float(results.summary["n_industries"].sum() or 0)))
    if _col(cur, "strong") and _col(cur, "strong_robust"):
        n_strong = int(cur["strong"].sum())
        q["strong_calls"] = n_strong
        q["strong_calls_robust_share"] = _num(_share(int(cur["strong_robust"].sum()), n_strong))
    return q


def _clusters_with_data(summary) -> int:
    """How many clusters of ``summary`` (cluster_summary.csv) have data in its period: a known
    employment (detect sums the member cells whose value is known, and leaves it empty where
    none is), else, without that column, at least one member industry in the data."""
    import polars as pl

    if _col(summary, schema.EMPLOYMENT):
        return int(summary.select(pl.col(schema.EMPLOYMENT).is_not_null().sum()).item())
    if _col(summary, "n_industries_data"):
        return int(summary.select((pl.col("n_industries_data").fill_null(0) > 0).sum()).item())
    return summary.height


def _clusters(results, cur, top_per_cluster: int) -> list[dict[str, Any]]:
    import polars as pl

    members = results.clusters
    level = _main_level(cur)
    ranked = cur
    if level is not None:
        # Rank among regions of one level: a state is trivially "first" among the states.
        ranked = cur.filter(pl.col(schema.REGION_LEVEL) == level)
    out = []
    for row in results.summary.iter_rows(named=True):
        cid = row["cluster_id"]
        entry = _clean(row)
        mem = members.filter(pl.col("cluster_id") == cid)
        keep = [c for c in (schema.INDUSTRY, schema.INDUSTRY_NAME, "core", "coassignment", "similarity_own",
                            "similarity_other", "benchmark_cluster_id", "benchmark_cluster_name")
                if c in mem.columns]
        entry["members"] = [_clean(r) for r in mem.select(keep).iter_rows(named=True)]
        if _col(cur, "cluster_id"):
            sub = ranked.filter(pl.col("cluster_id") == cid)
            status = _employment_status(sub)
            if status is not None:
                # detect's cluster employment sums the member cells whose value is known: with
                # some of them suppressed it is a lower bound (a cluster of suppressed cells
                # and one published 0 is "0"), which the report says beside the figure
                entry["employment_status"] = status
            entry["top_regions_level"] = level
            if "rank_in_cluster" in sub.columns:
                # the ranked regions only: a region without a known LQ has an empty rank and
                # says nothing about where the cluster is strongest
                sub = sub.filter(pl.col("rank_in_cluster").is_not_null()).sort(
                    ["rank_in_cluster", schema.REGION])
            elif "lq" in sub.columns:
                sub = sub.sort(["lq", schema.REGION], descending=[True, False], nulls_last=True)
            cols = [c for c in (schema.REGION, schema.REGION_NAME, schema.REGION_LEVEL, schema.EMPLOYMENT, "share", "lq",
                                "lq_ci_lower", "lq_ci_upper", "employment_growth", "uscmp_tier",
                                "stars", "strong", "strong_robust", "rank_in_cluster")
                    if c in sub.columns]
            entry["top_regions_detail"] = [_robust_of_strong(_clean(r)) for r in sub.head(top_per_cluster).select(cols).iter_rows(named=True)]
        out.append(entry)
    return out


def _robust_of_strong(row: dict) -> dict:
    """``strong_robust`` is said of strong calls only: beside a call that is not strong (or
    undecided) it is empty, not 'no', which read as a fragile call in a table with nothing
    suppressed (every row of a NACE oblast table that was not strong said 'robust: no')."""
    if "strong_robust" in row and row.get("strong") is not True:
        row["strong_robust"] = None
    return row


def glossary(meta: dict, cur, results, periods: list, last, has_growth: bool) -> list[dict[str, str]]:
    """What the report's column headings and words mean, for a reader who never ran clusterid
    (a ministry, a council): one ``{"term", "meaning"}`` per heading the tables can show, in
    the order they appear.  The tables said 'tier: significant' of a cluster whose LQ is merely
    above the median -- a reader takes 'significant' for a statistical test --, 'robust' with
    no word on what it survives, 'LQ low' and 'LQ high' without saying they are an interval,
    and 'partial' without saying the figure is then a lower bound; the methodology named none
    of them."""
    opts = meta.get("options") if isinstance(meta.get("options"), dict) else {}
    strength = meta.get("strength") if isinstance(meta.get("strength"), dict) else {}
    has_est = strength.get("establishments_condition", True) is not False
    rule = opts.get("rule") or (meta["rule"].get("name") if isinstance(meta.get("rule"), dict) else None)
    params = strength.get("rule") if isinstance(strength.get("rule"), dict) else {}
    suppressed = str(opts.get("suppressed") or "drop")
    cols = set(cur.columns) if cur is not None else set()
    member_cols = set(results.clusters.columns) if results.clusters is not None else set()
    summary_cols = set(results.summary.columns) if results.summary is not None else set()
    out: list[dict[str, str]] = []

    def add(term: str, meaning: str, present: bool = True) -> None:
        if present:
            out.append({"term": term, "meaning": meaning})

    add("LQ", "location quotient: the cluster's share of the region's employment (which "
        "employment: see Methodology) divided by the same share over all regions of the same "
        "level together (the benchmark). 1 means the "
        "cluster is as concentrated in the region as in the regions together; 1.5 means its share "
        "is one and a half times the benchmark's.", "lq" in cols)
    add("LQ low, LQ high", "the 95% interval of the LQ (delta method, counts taken as Poisson "
        "variables): the range the LQ would take by chance alone; it says nothing of suppressed "
        "cells.", "lq_ci_lower" in cols)
    add("share", "the cluster's employment as a share of the region's total employment.", "share" in cols)
    if has_growth:
        first = next((p for p in periods if len(str(p)) == len(str(last))), periods[0]) if periods else None
        span = f"from {first} to {last}" if first is not None and first != last else "between the first and last period"
        add("growth", f"the change in the cluster's employment {span}, over the member cells "
            "published in both periods.")
    status_words = {
        "drop": "some member cells are suppressed and left out, so the employment shown is a "
                "lower bound",
        "bounds": "some member cells are suppressed and counted at a point inside their "
                  "published bounds",
        "impute": "some member cells are suppressed and estimated inside their published bounds",
    }.get(suppressed, "some member cells are suppressed or estimated")
    add("known, status", "reported: every member cell of the cluster is published; partial: "
        f"{status_words}; suppressed: no member cell is published, so no figure is shown (never "
        "a zero).", "employment_status" in cols)
    if "uscmp_tier" in cols:
        size = ("its employment and establishments above their 25th percentiles" if has_est else
                "its employment above the 25th percentile (the data hold no establishment counts)")
        add("tier", "the U.S. Cluster Mapping Project's tiers [DPS2016], among the regions of "
            "the same level with employment in the cluster, each requiring an LQ of at least 1 "
            f"and {size}: top10, an LQ at or above the 90th percentile; strong, at or above the "
            "75th; significant, above the median -- the tier's name, not a statistical test; "
            "qualifying, above the 25th percentile; none, none of these; empty, the data cannot "
            "decide (every member cell suppressed).")
    if "stars" in cols:
        def pct(v, default):
            v = v if isinstance(v, (int, float)) and rule == "eco-stars" else default
            return f"{100 * (1 - v):.0f}%"

        cut = params.get("lq_cutoff", 2.0) if rule == "eco-stars" else 2.0
        add("stars", "the European Cluster Observatory's stars [ECO], 0 to 3: one each for size "
            f"(employment in the top {pct(params.get('size_quantile'), 0.9)} of the cluster's "
            f"regions), specialisation (an LQ of at least {cut:g}) and focus (share of the "
            f"region's employment in the top {pct(params.get('focus_quantile'), 0.9)}).")
    add("strong", f"yes when the region meets the rule {rule or 'chosen with --rule'} for the "
        "cluster (see Methodology); empty when the data cannot decide.", "strong" in cols)
    add("robust", "yes when the strong call still holds at the lowest LQ and employment the "
        "suppression bounds allow (every suppressed cell at its least favourable value). A "
        "strong call that is not robust is fragile: it rests on suppressed cells and may not "
        "hold once they are known. Empty where the call is not strong.", "strong_robust" in cols)
    add("rank", "the cluster's place in the region, strong clusters first, then by LQ.",
        "rank_in_region" in cols)
    add("core", "yes for an industry at least as similar to its cluster as the cluster's median "
        "member and kept with it in at least half of the re-runs (benchmark definitions: every "
        "member); the others are peripheral.", "core" in member_cols)
    add("co-assignment", "how often an industry stays with the same cluster-mates when the "
        "grouping is re-run with other random seeds (1 = always).", "coassignment" in member_cols)
    add("sim. own, sim. other", "an industry's mean similarity to the other members of its "
        "cluster, and its highest mean similarity to any other cluster.", "similarity_own" in member_cols)
    add("within sim.", "the mean similarity of a cluster's members to each other.",
        "within_similarity" in summary_cols)
    grouping = meta.get("grouping") if isinstance(meta.get("grouping"), dict) else {}
    add("VS-Industry", "the share of a cluster's industries more similar to their own cluster "
        "than to any other [DPS2016] (1 = all of them)" + (
            "; VS-Cluster, beside it above the table, the share of pairs of clusters whose "
            "members are more alike within each than across the two." if "vs_cluster" in grouping
            else "."), "vs_industry" in summary_cols)
    add("strong in", "the number of regions where the cluster is strong.", "n_strong" in summary_cols)
    add("cluster strength", "the share of the region's employment in traded clusters that is "
        "in its strong clusters.", results.region_summary is not None
        and "cluster_strength" in results.region_summary.columns
        and results.region_summary["cluster_strength"].is_not_null().any())
    opts = meta.get("options") if isinstance(meta.get("options"), dict) else {}
    partial = {"bounds": "counted near the middle of their bounds", "impute": "estimates imputed "
               "within their bounds"}.get(str(opts.get("suppressed") or "drop"))
    add("traded known", "whether the traded employment that cluster strength divides by is "
        "complete (reported) or holds suppressed cells (partial: " + (
            f"those are {partial})." if partial else
            "they are left out, and cluster strength then rests on a lower bound)."),
        results.region_summary is not None
        and "traded_employment_status" in results.region_summary.columns
        and results.region_summary["traded_employment_status"].is_not_null().any())
    add("— or an empty cell", "not known or not applicable; never a zero.")
    return out


_EMPLOYMENT_NOTES = {
    "drop": "employment: the sum over the regions of the member cells whose value is known; "
            "where known is partial some of them are suppressed and left out, so the figure is "
            "a lower bound (suppressed: none is known).",
    "bounds": "employment: the sum over the regions of the member cells; where known is partial "
              "some of them are suppressed and counted near the middle of their bounds, moved "
              "within them so that suppressed siblings add up to their parent's published "
              "remainder (suppressed: none is known).",
    "impute": "employment: the sum over the regions of the member cells; where known is partial "
              "some of them are estimates, imputed within their bounds (suppressed: none is "
              "known).",
}


def _employment_note(meta: dict) -> str:
    """What a cluster's employment is, by detect's --suppressed: with drop (the default) a
    partial figure is a lower bound, with bounds or impute it holds midpoints or estimates."""
    opts = meta.get("options") if isinstance(meta.get("options"), dict) else {}
    return _EMPLOYMENT_NOTES.get(str(opts.get("suppressed") or "drop"), _EMPLOYMENT_NOTES["drop"])


def _employment_status(rows) -> str | None:
    """One cluster's employment over its regional rows: ``reported`` (every member cell
    known), ``suppressed`` (none) or ``partial`` (a lower bound); None without statuses."""
    if not _col(rows, "employment_status") or rows.height == 0:
        return None
    statuses = set(rows["employment_status"].drop_nulls().to_list())
    if not statuses:
        return None
    if statuses <= {"reported"}:
        return "reported"
    if statuses <= {"suppressed"}:
        return "suppressed"
    return "partial"


def _main_level(cur) -> str | None:
    """The region level with the most regions (ties: alphabetical; levels that are no place,
    schema.NON_PLACE_LEVELS, last); None without levels."""
    import polars as pl

    if not _col(cur, schema.REGION_LEVEL) or cur[schema.REGION_LEVEL].null_count() == cur.height:
        return None
    counts = (cur.filter(pl.col(schema.REGION_LEVEL).is_not_null())
              .group_by(schema.REGION_LEVEL).agg(pl.col(schema.REGION).n_unique().alias("n"))
              .with_columns(pl.col(schema.REGION_LEVEL).is_in(schema.NON_PLACE_LEVELS).alias("_np"))
              .sort(["_np", "n", schema.REGION_LEVEL], descending=[False, True, False]))
    return counts[schema.REGION_LEVEL][0]


def _region_order(results, cur):
    """Regions of the last period, largest employment first (ties: by code)."""
    import polars as pl

    if (results.region_summary is not None and _col(results.region_summary, "region_employment")
            and _col(results.region_summary, schema.REGION)):
        rs = results.region_summary
        if _col(rs, schema.PERIOD) and _col(cur, schema.PERIOD) and cur.height:
            rs = rs.filter(pl.col(schema.PERIOD) == cur[schema.PERIOD][0])
        return rs.sort(["region_employment", schema.REGION], descending=[True, False], nulls_last=True)
    cols = [c for c in (schema.REGION, schema.REGION_NAME, schema.REGION_LEVEL, "region_employment") if c in cur.columns]
    base = cur.select(cols).unique(subset=[schema.REGION], keep="first")
    if "region_employment" in base.columns:
        return base.sort(["region_employment", schema.REGION], descending=[True, False], nulls_last=True)
    return base.sort(schema.REGION)


def _all_regions(results, cur) -> list[dict[str, Any]]:
    order = _region_order(results, cur)
    keep = [c for c in (schema.REGION, schema.REGION_NAME, schema.REGION_LEVEL, "region_employment",
                        "cluster_strength", "traded_employment_status", "n_strong",
                        "strong_clusters") if c in order.columns]
    return [_clean(r) for r in order.select(keep).iter_rows(named=True)]


def _alone_in_level(cur) -> set[str]:
    """Regions alone in their region level in the last period, beside levels of several (Utah's
    statewide row beside its 29 counties).  detect's benchmark is the sum of the regions of a
    level, so such a region is its own benchmark: every cluster LQ there is 1 and no cluster
    can be strong.  It led the regions table (the largest employment) with 0 strong clusters
    and a portfolio of bubbles piled on LQ = 1; it is named apart now, not ranked."""
    import polars as pl

    if not _col(cur, schema.REGION_LEVEL) or cur[schema.REGION].n_unique() < 2:
        return set()
    per_level = (cur.filter(pl.col(schema.REGION_LEVEL).is_not_null())
                 .group_by(schema.REGION_LEVEL).agg(pl.col(schema.REGION).unique().alias("_r")))
    if per_level.height < 2:
        return set()
    return {rs[0] for rs in per_level["_r"].to_list() if len(rs) == 1}


def _without_cluster_cells(results, cur) -> set[str]:
    """Regions of detect's region summary with no row in its regional table in the last period:
    the input holds no industry of any cluster for them, only their all-industries total (a
    QCEW CSA file, 'CS482', beside the counties' files).  The report listed such a region first
    among those 'in detail' (its total is the largest), with 'Strong clusters: none' over an
    empty table, as if its clusters had been weighed and found weak."""
    import polars as pl

    if (results.region_summary is None or not _col(results.region_summary, schema.REGION)
            or not _col(cur, schema.REGION)):
        return set()
    rs = results.region_summary
    if _col(rs, schema.PERIOD) and _col(cur, schema.PERIOD) and cur.height:
        rs = rs.filter(pl.col(schema.PERIOD) == cur[schema.PERIOD][0])
    return set(rs[schema.REGION].to_list()) - set(cur[schema.REGION].to_list())


def named_clusters(report: dict[str, Any], ids: Any) -> str | None:
    """region_summary's strong clusters, ``"2; 14"``, by their names for a reader (an id the
    report does not know stays as it is); None where there are none."""
    if not isinstance(ids, str) or not ids.strip():
        return None
    names = {str(c["cluster_id"]): c.get("cluster_name") for c in report.get("clusters", [])}
    return "; ".join(str(names.get(i.strip()) or i.strip()) for i in ids.split(";") if i.strip())


REGION_SUMMARY_COLUMNS = [
    (schema.REGION, schema.REGION, "text"), (schema.REGION_NAME, "name", "text"),
    ("region_employment", schema.EMPLOYMENT, "int"), ("cluster_strength", "cluster strength", "pct"),
    # partial: the traded employment it divides by misses suppressed cells
    ("traded_employment_status", "traded known", "text"),
    ("n_strong", "strong clusters", "int"), ("strong_clusters", "which", "text")]


def region_summary_rows(report: dict[str, Any]) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """The regions shown in detail, one row each with their strong clusters named, and the
    columns of REGION_SUMMARY_COLUMNS that hold a value in some row (HTML and Markdown)."""
    rows = [r | {"strong_clusters": named_clusters(report, r.get("strong_clusters"))}
            for r in report.get("regions", [])]
    cols = [c for c in REGION_SUMMARY_COLUMNS if any(r.get(c[0]) not in (None, "") for r in rows)]
    return rows, cols


def plain_value(value: Any) -> str:
    """An option or parameter value as a reader writes it: ``auto``, not the JSON ``"auto"``;
    an option left at its default (recorded as null) ``default``; a flag ``yes``/``no``; a list
    its items.  The report showed detect's options as JSON (``compare = null``, ``method =
    "dps"``) and the grouping's parameters as a JSON object."""
    if value is None:
        return "default"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(plain_value(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k} {plain_value(v)}" for k, v in sorted(value.items()))
    return str(value)


def option_rows(options: dict) -> list[tuple[str, str]]:
    """detect's recorded options as the command-line flags they are (``--lq-denominator``,
    not the internal ``lq_denominator``) with their values in words, sorted by flag."""
    return [("--" + str(k).replace("_", "-"), plain_value(options[k])) for k in sorted(options)]


def without_clusters_sentence(bare: list[dict[str, Any]]) -> str:
    """What the report says of :func:`_without_cluster_cells`'s regions (HTML and Markdown)."""
    named = []
    for r in bare:
        name, code = r.get(schema.REGION_NAME), r[schema.REGION]
        named.append(f"{name} ({code})" if name and name != code else str(code))
    many = len(bare) > 1
    return ("Not shown: " + "; ".join(named) + (". The input holds none of the clusters' "
            "industries for them" if many else ". The input holds none of the clusters' "
            "industries for it") + " (only an all-industries total, or nothing at the clusters' "
            "level), so " + ("they have" if many else "it has") + " no cluster LQ and no strong "
            "cluster to report. " + ("They are" if many else "It is") + " in the JSON report's "
            "regions_all and in region_summary.csv.")


def compare_sentence(c: dict[str, Any]) -> str | None:
    """detect --compare's result (metadata 'compare') in words, for HTML and Markdown: the
    Markdown report left it out (the README calls it the same content as the HTML), and the
    HTML showed it as a line of raw JSON."""
    def num(v):
        return f"{v:.3f}" if isinstance(v, (int, float)) and not isinstance(v, bool) else "?"

    if not isinstance(c, dict) or ("ari" not in c and "ami" not in c):
        return None
    name = str(c.get("benchmark") or "the benchmark")
    bench = "the USCMP definitions" if name.lower().startswith("uscmp") else name
    vintage = f" (NAICS {c['benchmark_vintage']})" if c.get("benchmark_vintage") else ""
    n = c.get("n_industries")
    text = (f"Against {bench}{vintage}"
            + (f", over the {n:,} industries both partitions hold" if isinstance(n, int) else "")
            + f": adjusted Rand index {num(c.get('ari'))}, adjusted mutual information "
            f"{num(c.get('ami'))} (1 = the same partition, 0 = no more alike than chance).")
    parts = []
    for key, who in (("data", "these clusters"), ("benchmark_scores", "the benchmark's")):
        sc = c.get(key)
        if isinstance(sc, dict) and ("vs_industry" in sc or "vs_cluster" in sc):
            k = sc.get("n_clusters")
            parts.append(f"{who}{f' ({k} clusters among them)' if isinstance(k, int) else ''} "
                         "VS-Industry "
                         f"{num(sc.get('vs_industry'))}, VS-Cluster {num(sc.get('vs_cluster'))}")
    if parts:
        text += " Validation scores on the same similarities: " + "; ".join(parts) + "."
    return text


def apart_sentence(apart: list[dict[str, Any]]) -> str:
    """What the report says of :func:`_alone_in_level`'s regions (HTML and Markdown alike)."""
    named = []
    for r in apart:
        name, code = r.get(schema.REGION_NAME), r[schema.REGION]
        shown = f"{name} ({code})" if name and name != code else str(code)
        named.append(f"{shown}, the only region of its level ({r.get(schema.REGION_LEVEL)})")
    many = len(apart) > 1
    return ("Not ranked: " + "; ".join(named) + ". The cluster LQs compare a region with the "
            "sum of the regions of its level, so " + ("each" if many else "it") + " is its own "
            "benchmark: every cluster LQ there is 1 and no cluster can be strong. "
            + ("They are" if many else "It is") + " in the JSON report and in "
            "regional_clusters.csv.")


def clusters_label(q: dict[str, Any]) -> str:
    """The data-quality box's label of its cluster count (HTML and Markdown): the clusters
    with data, and how many the definitions hold when some have none."""
    defined = q.get("n_clusters_defined")
    if isinstance(defined, int) and defined != q.get("n_clusters"):
        return f"clusters with data (of {defined:,} defined)"
    return "clusters with data"


def relatedness_sentence(q: dict[str, Any]) -> str | None:
    """How suppressed cells entered the relatedness (detect imputes them for it: 'impute (whole
    jobs)'), for HTML and Markdown.  The report said only '0 suppressed cells entered the
    relatedness through their establishment counts' of the Utah sample, 58% of whose cells are
    suppressed: as if they had been left out, where they entered imputed."""
    how = q.get("relatedness_suppressed")
    by_est = q.get("relatedness_suppressed_proxied_by_establishments")
    by_median = q.get("relatedness_suppressed_proxied_by_median")
    parts = []
    if how == "impute (whole jobs)":
        parts.append("suppressed cells entered the relatedness imputed within their published "
                     "bounds (as clusterid impute does; whole jobs), for the relatedness only")
    if by_est:
        parts.append(f"{by_est:,} suppressed cells entered the relatedness through their establishment counts")
    if by_median:
        parts.append(f"{by_median:,} suppressed cells entered the relatedness at the industry's median")
    if not parts and by_est == 0 and how is None:  # an older detect folder: as it was said
        parts.append("0 suppressed cells entered the relatedness through their establishment counts")
    return "; ".join(parts) or None


def _regions(results, cur, top_regions: int, apart: set[str] = frozenset()
             ) -> tuple[list[dict[str, Any]], int]:
    import polars as pl

    order = _region_order(results, cur)
    if apart:
        order = order.filter(~pl.col(schema.REGION).is_in(sorted(apart)))
    n_total = order.height
    out = []
    port_cols = [c for c in ("cluster_id", "cluster_name", "cluster_type", schema.EMPLOYMENT, "share",
                             "lq", "lq_ci_lower", "lq_ci_upper", "employment_growth", "lq_change",
                             "employment_status", "uscmp_tier", "stars", "strong", "strong_robust",
                             "rank_in_region") if c in cur.columns]
    for row in order.head(top_regions).iter_rows(named=True):
        entry = _clean(row)
        sub = cur.filter(pl.col(schema.REGION) == row[schema.REGION])
        if "rank_in_region" in sub.columns:
            # the clusters without a known LQ (empty rank) after the ranked ones, in the
            # file's cluster order
            sub = sub.sort("rank_in_region", nulls_last=True, maintain_order=True)
        entry["portfolio"] = [_robust_of_strong(_clean(r))
                              for r in sub.select(port_cols).iter_rows(named=True)]
        entry["strong"] = [p["cluster_id"] for p in entry["portfolio"] if p.get("strong")]
        out.append(entry)
    return out, n_total


def _methodology(meta: dict, has_growth: bool, denominators: set = frozenset()) -> list[str]:
    opts = meta.get("options", {}) if isinstance(meta.get("options"), dict) else {}
    signals = opts.get("signals")
    method = opts.get("method")
    definitions = opts.get("definitions")
    rule = opts.get("rule")
    if not rule and isinstance(meta.get("rule"), dict):
        rule = meta["rule"].get("name")
    text = []
    if definitions:
        text.append(f"Cluster definitions were taken from {definitions} rather than derived from the "
                    "data; where the benchmark is the U.S. Cluster Mapping Project, they are the "
                    "definitions of Delgado, Porter & Stern [DPS2016].")
    else:
        text.append("Industries were grouped into clusters from the data: a similarity between every "
                    "pair of industries was computed from "
                    f"{_signal_words(signals)}, and the "
                    f"industries grouped with {method or 'the chosen method'}; the number of clusters "
                    "was chosen by the validation scores of Delgado, Porter & Stern [DPS2016] "
                    "(VS-Industry: the share of industries more similar to their own cluster than to "
                    "any other), with stability across random seeds reported as each industry's "
                    "co-assignment probability.")
    text.append(_lq_sentence(meta, denominators))
    # a table without establishment counts (most national offices' tables): detect drops the
    # rule's establishments condition and records it; the report said the condition held
    strength = meta.get("strength") if isinstance(meta.get("strength"), dict) else {}
    has_est = strength.get("establishments_condition", True) is not False
    text.append(_rule_sentence(rule, has_est, strength.get("rule")))
    text.append("Suppressed cells are never read as zero: they are bounded "
                + ("from the published establishment counts and the adding-up of the "
                   "classification" if has_est else
                   "by the published totals they add up to (their parent industries and regions)")
                + ", and imputed within "
                "the bounds where an imputation was requested [EFSY2021]; the data-quality section "
                "shows how much of each result rests on such cells.")
    text.append("The portfolio charts plot each cluster's LQ against "
                + ("its employment growth between the first and last period" if has_growth
                   else "its share of the region's employment")
                + "; the bubble area is the cluster's employment. Above the line LQ = 1 the region is "
                "more specialised in the cluster than the regions together.")
    return text


def _rule_sentence(rule, has_est: bool, params) -> str:
    """The --rule detect applied, in words.  The methodology described uscmp-strong whatever
    the rule ('under the rule eco-stars: for uscmp-strong, the cluster's LQ is at least the
    75th percentile ...'), so a report of ECO stars or of a rule of one's own stated a test
    that was not the one applied."""
    params = params if isinstance(params, dict) else {}
    size = ("its employment and establishments are above the 25th percentile" if has_est else
            "its employment is above the 25th percentile (the data hold no establishment "
            "counts, so the rule's condition on them was not applied)")
    lq_test = {"uscmp-top10": "at least the 90th percentile",
               "uscmp-significant": "above the median",
               "uscmp-qualifying": "above the 25th percentile"}
    tail = (" A strong call is robust when it survives the lowest LQ that the suppression "
            "bounds allow.")
    name = str(rule) if rule else None
    if name == "uscmp-strong":  # as it has always read
        return ("A region holds a strong cluster under the rule uscmp-strong: for uscmp-strong, "
                f"the cluster's LQ is at least the 75th percentile and at least 1, and {size}, "
                "over regions of the same level with employment [DPS2016]. Stars follow the "
                "European Cluster Observatory [ECO]." + tail)
    if name in lq_test:
        tier = name[len("uscmp-"):]
        return (f"A region holds a strong cluster under the rule {name} (USCMP tier {tier} or "
                f"higher): the cluster's LQ is {lq_test[name]} and at least 1, and {size}, over "
                "regions of the same level with employment [DPS2016]. Stars follow the European "
                "Cluster Observatory [ECO]." + tail)
    if name == "eco-stars":
        def pct(v, default):
            v = v if isinstance(v, (int, float)) else default
            return f"{100 * v:.0f}th percentile"

        cut = params.get("lq_cutoff", 2.0)
        return ("A region holds a strong cluster under the rule eco-stars, after the European "
                "Cluster Observatory [ECO] (cut-offs unchecked against its documents): a star "
                "each for size (employment at or above the "
                f"{pct(params.get('size_quantile'), 0.9)} of the cluster's regions with "
                f"employment), specialisation (LQ at least {cut:g}) and focus (share of the "
                f"region's employment at or above the {pct(params.get('focus_quantile'), 0.9)}), "
                f"and at least {params.get('min_stars', 2)} stars. The USCMP tiers [DPS2016] are "
                "given beside." + tail)
    if name:
        return (f"A region holds a strong cluster under the rule {name}: every condition of it "
                "holds ('significant': the 95% interval of the LQ lies above 1; "
                "'significant-bh' / '-bonferroni': the one-sided test of LQ > 1 with the false "
                "discovery rate or the family-wise error held at 5% over all region x cluster "
                "cells). The USCMP tiers [DPS2016] and the European Cluster Observatory's stars "
                "[ECO] are given beside." + tail)
    return ("A region holds a strong cluster under the rule chosen with --rule. Stars follow the "
            "European Cluster Observatory [ECO]." + tail)


# what each of detect's --signals measures, in the methodology's words
_SIGNAL_WORDS = {
    "colocation": "co-location across regions (the correlation of the industries' location "
                  "quotients of employment and of establishments [DPS2016])",
    "coagglomeration": "coagglomeration of employment (Ellison, Glaeser & Kerr 2010, after "
                       "[EG1997])",
    "io": "input-output links (the input-output table given with --io)",
    "hierarchy": "closeness in the industry classification",
    "user": "a similarity matrix given by the user",
}


def _signal_words(signals) -> str:
    """detect's --signals ('colocation,hierarchy') in words.  The methodology listed every
    signal there is ('co-location ..., input-output links, closeness in the classification')
    after the raw option, whatever the run used: the demo's report named input-output links it
    never read."""
    names = ([s.strip() for s in signals.split(",") if s.strip()] if isinstance(signals, str)
             else [str(s) for s in signals] if isinstance(signals, (list, tuple)) else [])
    if not names:
        return "the chosen signals"
    words = [_SIGNAL_WORDS.get(n, n) for n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _lq_sentence(meta: dict, denominators: set) -> str:
    """How detect's cluster LQs were computed: with the denominators its rows name
    (``lq_denominator``: traded, local, total), not the U.S. Cluster Mapping convention whatever
    the run did -- with most member cells suppressed ``--lq-denominator auto`` divides by total
    employment, and clusters of unknown type (grouped from non-NAICS data) always do."""
    strength = meta.get("strength") if isinstance(meta.get("strength"), dict) else {}
    den = strength.get("lq_denominator") if isinstance(strength.get("lq_denominator"), dict) else {}
    tail = "; its interval uses the delta method on ln LQ with Poisson counts [MBB2003]."
    typed = denominators & {"traded", "local"}
    if denominators and not typed:
        why = ""
        share = den.get("missing_cell_share")
        if den.get("used") == "total" and den.get("requested") == "auto" \
                and isinstance(share, (int, float)):
            why = (f" (chosen because {share:.0%} of the clusters' member cells have no value, "
                   "so the traded and local totals would be partial)")
        elif den.get("used") != "total" and den.get("lone_typed_clusters"):
            why = (" (" + _lone_words(den["lone_typed_clusters"]) + ", whose LQ against its own "
                   "type's employment would be 1 in every region)")
        elif den.get("used") != "total":
            why = " (the clusters have no traded / local type)"
        return ("A cluster's location quotient divides its share of the region's total "
                "employment by the same share over all regions of the same level" + why
                + ", not by traded (or local) employment as in the U.S. Cluster Mapping "
                "convention [Porter2003]" + tail)
    text = ("A cluster's location quotient divides its share of the region's traded (or local) "
            "employment by the same share over all regions of the same level, following the "
            "U.S. Cluster Mapping convention [Porter2003]")
    if "total" in denominators:
        lone = den.get("lone_typed_clusters")
        text += ("; " + (_lone_words(lone) + " and clusters of unknown type" if lone else
                         "clusters of unknown type")
                 + " divide by the region's total employment")
    return text + tail


def _lone_words(lone: dict) -> str:
    """``{"traded": "22"}`` -> "the only traded cluster in the data (22)"."""
    return "; ".join(f"the only {kind} cluster in the data ({cid})" for kind, cid in sorted(lone.items()))


def relatedness_matrix(results, cur=None) -> dict[str, Any] | None:
    """Cluster x cluster relatedness to draw: from detect's ``relatedness.csv`` when it saved one
    (industry pairs are averaged over the members of each pair of clusters), else the correlation
    across regions of the clusters' LQs in the last period (co-location of the clusters).
    """
    import numpy as np
    import polars as pl

    summary = results.summary
    ids = summary["cluster_id"].to_list()
    names = dict(zip(ids, summary["cluster_name"].to_list() if "cluster_name" in summary.columns else ids))
    labels = [f"{names[c]} ({c})" for c in ids]
    index = {c: i for i, c in enumerate(ids)}
    n = len(ids)
    rel = results.relatedness
    matrix = None
    source = None
    keys = ("cluster_a", "cluster_b", "industry_a", "industry_b")
    values = [c for c in (rel.columns if rel is not None else []) if c not in keys]
    if rel is not None and rel.height and values:
        cols = rel.columns
        sim = "similarity" if "similarity" in cols else values[-1]
        if {"cluster_a", "cluster_b"} <= set(cols):
            m = np.full((n, n), np.nan)
            for a, b, v in rel.select("cluster_a", "cluster_b", pl.col(sim).cast(pl.Float64)).iter_rows():
                if a in index and b in index and v is not None:
                    m[index[a], index[b]] = m[index[b], index[a]] = v
            matrix, source = m, "relatedness.csv (cluster pairs)"
        elif {"industry_a", "industry_b"} <= set(cols):
            member = dict(zip(results.clusters[schema.INDUSTRY].to_list(), results.clusters["cluster_id"].to_list()))
            total = np.zeros((n, n))
            count = np.zeros((n, n))
            for a, b, v in rel.select("industry_a", "industry_b", pl.col(sim).cast(pl.Float64)).iter_rows():
                ca, cb = member.get(a), member.get(b)
                if ca in index and cb in index and v is not None and a != b:
                    i, j = index[ca], index[cb]
                    total[i, j] += v
                    count[i, j] += 1
                    if i != j:
                        total[j, i] += v
                        count[j, i] += 1
            with np.errstate(invalid="ignore", divide="ignore"):
                matrix = np.where(count > 0, total / np.maximum(count, 1), np.nan)
            source = "relatedness.csv (mean similarity of the member industries)"
    if matrix is None:
        regional = cur if cur is not None else results.regional
        if not {schema.REGION, "cluster_id", "lq"} <= set(regional.columns):
            return None
        wide = (regional.select(schema.REGION, "cluster_id", "lq")
                .pivot(on="cluster_id", index=schema.REGION, values="lq", aggregate_function="first")
                .sort(schema.REGION))
        m = np.full((n, n), np.nan)
        data = {c: wide[c].to_numpy().astype(float) if c in wide.columns else None for c in ids}
        for i, a in enumerate(ids):
            for j, b in enumerate(ids[: i + 1]):
                xa, xb = data[a], data[b]
                if xa is None or xb is None:
                    continue
                ok = np.isfinite(xa) & np.isfinite(xb)
                if ok.sum() < 3 or np.std(xa[ok]) == 0 or np.std(xb[ok]) == 0:
                    continue
                r = float(np.corrcoef(xa[ok], xb[ok])[0, 1])
                m[i, j] = m[j, i] = r
        matrix = m
        source = ("correlation across regions of the clusters' LQs in the last period, computed by "
                  "the report (detect saved no relatedness matrix)")
    order = _leaf_order(matrix)
    return {
        "source": source,
        "cluster_ids": [ids[i] for i in order],
        "labels": [labels[i] for i in order],
        "matrix": [[_num(float(matrix[i, j])) for j in order] for i in order],
    }


def _leaf_order(matrix) -> list[int]:
    """Order clusters so related ones sit together: a greedy nearest-neighbour chain.

    Starts from the cluster with the highest total similarity and appends, each time, the
    unplaced cluster most similar to the last one placed (ties: the earlier one).  Plain numpy,
    deterministic, O(n^2) -- and no scipy import for a picture.
    """
    import numpy as np

    n = matrix.shape[0]
    if n < 3:
        return list(range(n))
    sim = np.where(np.isfinite(matrix), matrix, -np.inf)
    sim = np.maximum(sim, sim.T)
    np.fill_diagonal(sim, -np.inf)
    totals = np.where(np.isfinite(sim), sim, 0.0).sum(axis=1)
    order = [int(np.argmax(totals))]
    placed = np.zeros(n, dtype=bool)
    placed[order[0]] = True
    while len(order) < n:
        row = np.where(placed, -np.inf, sim[order[-1]])
        if np.all(row == -np.inf):  # nothing known about the rest: keep their given order
            nxt = int(np.flatnonzero(~placed)[0])
        else:
            nxt = int(np.argmax(row))
        order.append(nxt)
        placed[nxt] = True
    return order
