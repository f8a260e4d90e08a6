"""The report as Markdown: the same content as the HTML, tables instead of charts."""

from __future__ import annotations

import re
from typing import Any

from clusterid import schema
from clusterid.report.build import (apart_sentence, clusters_label, compare_sentence, needs_isolation,
                                    option_rows, plain_value, region_summary_rows,
                                    relatedness_sentence, without_clusters_sentence)

# Characters that start Markdown markup anywhere in a line (CommonMark and GitHub's tables,
# strikethrough and math): emphasis, code, links, raw HTML, table cells.  CommonMark shows any
# backslash-escaped ASCII punctuation as itself.  `&` only before an entity (`&amp;`, `&#60;`).
_MD_SPECIAL = re.compile(r"[\\`*\[\]<>|~$]|_+|&(?=#?[0-9A-Za-z]+;)")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _escaped(m: re.Match) -> str:
    text, start, end = m.string, m.start(), m.end()
    if m.group(0)[0] == "_" and 0 < start and end < len(text) \
            and text[start - 1].isalnum() and text[end].isalnum():
        return m.group(0)  # inside a word (file_name.csv) `_` never starts or ends emphasis
    return "".join("\\" + ch for ch in m.group(0))


def escape_md(value: Any) -> str:
    """``value`` as text that a Markdown viewer shows as it is: names from the data (a region,
    industry or cluster) cannot become HTML, emphasis, links, code, a heading or a new table
    cell.  Letters of any script are kept; line breaks become spaces.  Text with right-to-left
    letters or direction controls is isolated (FSI ... PDI), so it cannot reorder the rest of
    its line (:func:`clusterid.report.build.needs_isolation`)."""
    text = _MD_SPECIAL.sub(_escaped, _LINE_BREAK.sub(" ", str(value)))
    stripped = text.lstrip(" ")
    if stripped.startswith("#"):  # an ATX heading when the text starts a line
        text = text[: len(text) - len(stripped)] + "\\" + stripped
    return f"\u2068{text}\u2069" if needs_isolation(text) else text


def code_md(value: Any) -> str:
    """``value`` as an inline code span, whatever backticks it holds (a fence one longer than
    its longest run of them, padded with a space where the value begins or ends with one)."""
    text = _LINE_BREAK.sub(" ", str(value))
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" or (
        text[:1] == " " and text[-1:] == " " and text.strip()) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fmt(value: Any, kind: str = "auto") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if kind == "pct":
            return f"{value * 100:.1f}%"
        if isinstance(value, int) or (value.is_integer() and abs(value) >= 100):
            return f"{value:,.0f}"
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return escape_md(value)


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> list[str]:
    columns = [c for c in columns if any(r.get(c[0]) is not None for r in rows)]
    if not rows or not columns:
        return ["(none)", ""]
    out = ["| " + " | ".join(h for _, h, _ in columns) + " |",
           "|" + "|".join("---:" if k != "text" else "---" for _, _, k in columns) + "|"]
    for r in rows:
        out.append("| " + " | ".join(_fmt(r.get(key), kind) for key, _, kind in columns) + " |")
    out.append("")
    return out


def _grouping(g: dict[str, Any] | None) -> list[str]:
    """How the industries were grouped, as the HTML report says it: the definitions or the
    method, the validation scores, the cluster type, the parameters and the candidates the
    scores chose among."""
    if not g:
        return []
    bits = []
    if g.get("definitions"):
        bits.append(f"definitions {code_md(g['definitions'])}")
    if g.get("method"):
        bits.append(f"method {code_md(g['method'])}")
    for key, label in (("vs_industry", "VS-Industry"), ("vs_cluster", "VS-Cluster")):
        if isinstance(g.get(key), (int, float)) and not isinstance(g.get(key), bool):
            bits.append(f"{label} {_fmt(g[key])}")
    if g.get("cluster_type"):
        bits.append(f"type: {escape_md(g['cluster_type'])}")
    out = ["Grouping: " + "; ".join(bits) + ".", ""] if bits else []
    if g.get("params"):
        out += [f"Parameters: {escape_md(plain_value(g['params']))}", ""]
    if g.get("sweep"):
        out += ["Candidates compared by the validation scores:", ""]
        out += _table(g["sweep"], [
            ("parameter", "parameter", "text"), ("value", "value", "auto"),
            ("n_clusters", "clusters", "int"), ("vs_industry", "VS-Industry", "auto"),
            ("vs_cluster", "VS-Cluster", "auto"), ("score", "score", "auto"),
            ("chosen", "chosen", "auto")])
    return out


def render_markdown(report: dict[str, Any]) -> str:
    run, q = report["run"], report["quality"]
    out = ["# Industry clusters report", "",
           f"Produced by `clusterid report` (clusterid {report['tool_version']}) from the output of "
           f"`clusterid detect` (folder {code_md(run['detect_folder'])}).", "",
           "## What was run on what", "",
           f"- command: {escape_md(run['command'])} "
           f"(clusterid {escape_md(run.get('detect_tool_version') or '?')})",
           f"- date: {escape_md(run.get('date') or 'not recorded by detect')}",
           f"- periods: {', '.join(map(escape_md, run.get('periods') or [])) or '-'}"]
    if run.get("random_state") is not None:
        out.append(f"- random state: {escape_md(run['random_state'])}")
    out.append("")
    out += _table(run.get("inputs") or [], [("path", "input", "text"), ("sha256", "sha256", "text")])
    if run.get("source_inputs"):
        out += _table(run["source_inputs"], [("path", "source data", "text"), ("adapter", "read as", "text"),
                                             ("sha256", "sha256", "text")])
    if run.get("options"):
        out += ([] if out[-1] == "" else [""]) + ["Options of detect:", ""]
        out += _table([{"flag": f, "value": v} for f, v in option_rows(run["options"])],
                      [("flag", "option", "text"), ("value", "value", "text")])
    if run.get("rule"):
        out.append(f"- strength rule as applied: {escape_md(plain_value(run['rule']))}")
    if run.get("edited"):
        out.append(f"- edited since detect wrote them: {', '.join(map(escape_md, run['edited']))}")
    if run.get("missing"):
        out.append("- missing from the folder, though detect wrote them: "
                   + ", ".join(map(escape_md, run["missing"])))
    period = (f"Period {escape_md(q['period'])}" if q.get("period") is not None
              else "No period: the tables hold no rows")  # not "Period None"
    if q.get("periods_without_values"):
        period += (" (the last with a value; no value in "
                   + ", ".join(map(escape_md, map(str, q["periods_without_values"]))) + ")")
    out += ["", "## Data quality", "", f"{period}; cells are region x cluster.", ""]
    for key, label, kind in [("n_regions", "regions", "int"), ("n_clusters", clusters_label(q), "int"),
                             ("n_industries", "industries", "int"),
                             ("suppressed_share", "member cells suppressed or estimated", "pct"),
                             ("employment_in_partial_cells_share", "employment in partly suppressed cells", "pct"),
                             ("bounds_width_share", "width of the bounds / employment", "pct"),
                             ("industries_in_data_share", "definition industries present in the data", "pct"),
                             ("strong_calls_robust_share", "strong calls that are robust", "pct")]:
        if q.get(key) is not None:
            out.append(f"- {label}: {_fmt(q[key], kind)}")
    for measure, share in (q.get("input_suppressed_share") or {}).items():
        out.append(f"- input {escape_md(measure)} cells suppressed: {_fmt(share, 'pct')}")
    for reason, n in (q.get("input_dropped") or {}).items():
        out.append(f"- input rows dropped ({escape_md(reason)}): {_fmt(n, 'int')}")
    if said := relatedness_sentence(q):
        out.append(f"- {escape_md(said)}")
    if q.get("detect_notes"):
        out += ["", "Notes from detect (as it said them when it ran):", ""]
        out += [f"- {escape_md(n)}" for n in q["detect_notes"]]
    if report.get("glossary"):
        out += ["", "## Reading the tables", ""]
        out += [f"- {escape_md(g['term'])}: {escape_md(g['meaning'])}" for g in report["glossary"]]
    out += ["", "## Cluster definitions", ""]
    out += _grouping(report.get("grouping"))
    if any(c.get("employment_status") for c in report["clusters"]) \
            and report.get("cluster_employment_note"):
        out += [escape_md(report["cluster_employment_note"]), ""]
    out += _table(report["clusters"], [
        ("cluster_id", "id", "text"), ("cluster_name", "name", "text"), ("cluster_type", "type", "text"),
        ("n_industries", "industries", "int"), ("n_core", "core", "int"),
        (schema.EMPLOYMENT, schema.EMPLOYMENT, "int"), ("employment_status", "known", "text"),
        ("n_strong", "strong in", "int"), ("vs_industry", "VS-Industry", "auto"),
        ("within_similarity", "within sim.", "auto"), ("mean_coassignment", "co-assignment", "auto")])
    for c in report["clusters"]:
        out += [f"### {escape_md(c.get('cluster_name'))} ({escape_md(c['cluster_id'])})", ""]
        out += _table(c.get("members", []), [(schema.INDUSTRY, schema.INDUSTRY, "text"), (schema.INDUSTRY_NAME, "title", "text"),
                                             ("core", "core", "auto"), ("coassignment", "co-assignment", "auto"),
                                             ("similarity_own", "sim. own", "auto"),
                                             ("similarity_other", "sim. other", "auto"),
                                             ("benchmark_cluster_id", "benchmark", "text")])
        if c.get("top_regions_detail"):
            out += ["Where it is strongest:", ""]
            # the columns of the HTML's table (the glossary explains each of them)
            out += _table(c["top_regions_detail"], [
                (schema.REGION, schema.REGION, "text"), (schema.REGION_NAME, "name", "text"),
                (schema.EMPLOYMENT, schema.EMPLOYMENT, "int"), ("share", "share", "pct"),
                ("lq", "LQ", "auto"), ("lq_ci_lower", "LQ low", "auto"),
                ("lq_ci_upper", "LQ high", "auto"), ("employment_growth", "growth", "pct"),
                ("uscmp_tier", "tier", "text"), ("stars", "stars", "int"),
                ("strong", "strong", "auto"), ("strong_robust", "robust", "auto")])
    if said := compare_sentence(report.get("compare")):
        out += ["### Comparison with the benchmark definitions", "", escape_md(said), ""]
    rel = report.get("relatedness")
    if rel:
        out += ["## Relatedness of the clusters", "", f"Source: {escape_md(rel['source'])}. "
                "The matrix is in the JSON report; the HTML report draws it.", ""]
    regions = report["regions"]
    out += ["## Regions and their clusters", "",
            f"{len(regions)} of {(total := report.get('regions_total', len(regions)))} "
            f"{'region' if total == 1 else 'regions'} in detail, "
            "largest employment first; all of them are in the JSON report.", ""]
    if report.get("regions_apart"):
        out += [escape_md(apart_sentence(report["regions_apart"])), ""]
    if report.get("regions_without_clusters"):
        out += [escape_md(without_clusters_sentence(report["regions_without_clusters"])), ""]
    # which regions hold strong clusters, at a glance (the HTML's table): the reader had to
    # go through every region's section
    if regions:
        out += _table(*region_summary_rows(report))
    for r in regions:
        name = r.get("region_name")
        # a table keyed by region names (no codes): "### г.Алматы (г.Алматы)" said it twice
        out += [f"### {escape_md(name)} ({escape_md(r['region'])})" if name and name != r["region"]
                else f"### {escape_md(r['region'])}", ""]
        strong = [p.get("cluster_name") for p in r.get("portfolio", []) if p.get("strong")]
        out += [f"Strong clusters: {', '.join(map(escape_md, strong)) or 'none'}", ""]
        out += _table(r.get("portfolio", []), [
            ("rank_in_region", "rank", "int"), ("cluster_name", "cluster", "text"),
            (schema.EMPLOYMENT, schema.EMPLOYMENT, "int"), ("employment_status", "known", "text"),
            ("share", "share", "pct"), ("lq", "LQ", "auto"), ("lq_ci_lower", "LQ low", "auto"),
            ("lq_ci_upper", "LQ high", "auto"), ("employment_growth", "growth", "pct"),
            ("uscmp_tier", "tier", "text"), ("stars", "stars", "int"), ("strong", "strong", "auto"),
            ("strong_robust", "robust", "auto")])
    out += ["## Methodology", ""]
    for p in report.get("methodology", []):
        out += [escape_md(p), ""]
    out += ["### References", ""]
    out += [f"- [{escape_md(r['key'])}] {escape_md(r['text'])}" for r in report.get("references", [])]
    return "\n".join(out) + "\n"
