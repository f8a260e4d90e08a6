"""One self-contained HTML file: inline CSS, inline SVG charts, no script, no network.

It opens offline in any browser; ``<details>`` keeps the per-region detail folded without
JavaScript.  The same report dict always gives the same bytes.
"""

from __future__ import annotations

from clusterid import schema
from clusterid.report.build import (apart_sentence, clusters_label, compare_sentence, needs_isolation,
                                    option_rows, plain_value, region_summary_rows,
                                    relatedness_sentence, without_clusters_sentence)

import json
from html import escape
from typing import Any

from clusterid.report import charts

CSS = """
:root { --fg:#1d2430; --muted:#5b6573; --line:#d8dde3; --accent:#1f6fb2; --strong:#d9480f; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       margin: 0; background: #fff; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { border-bottom: 3px solid var(--accent); padding-top: 18px; padding-bottom: 10px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin-top: 34px;
     border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 16px; margin-bottom: 6px; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
.muted { color: var(--muted); } .num { text-align: right; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f3f5f8; position: sticky; top: 0; }
code { font-size: 12px; background: #f3f5f8; padding: 1px 4px; border-radius: 3px; word-break: break-all; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.kpi b { display: block; font-size: 20px; }
figure { margin: 10px 0 18px; } figcaption { font-size: 12px; color: var(--muted); }
svg.chart { max-width: 100%; height: auto; }
details { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
.tag { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px;
       background: #fde7dc; color: var(--strong); margin: 1px 2px; }
.tag.robust { background: #d9480f; color: #fff; }
dl.glossary dt { font-weight: 600; margin-top: 6px; } dl.glossary dd { margin: 0 0 0 18px; }
footer { margin-top: 40px; padding-bottom: 40px; font-size: 12px; color: var(--muted); }
@media print { details { page-break-inside: avoid; } th { position: static; } }
"""


def _esc(value: Any) -> str:
    """``value`` as HTML text; isolated in <bdi> where it holds right-to-left letters or direction
    controls (:func:`clusterid.report.build.needs_isolation`), so it cannot reorder its
    neighbours."""
    text = escape(str(value))
    return f"<bdi>{text}</bdi>" if needs_isolation(text) else text


def _fmt(value: Any, kind: str = "auto") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if kind == "pct":
            return f"{value * 100:.1f}%"
        if kind == "int" or (isinstance(value, int)) or (isinstance(value, float) and value.is_integer()
                                                          and abs(value) >= 100):
            return f"{value:,.0f}"
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return _esc(str(value))


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> str:
    """columns: (key, header, kind) with kind auto | pct | int | text."""
    if not rows:
        return '<p class="muted">none</p>'
    head = "".join(f"<th{' class=num' if k != 'text' else ''}>{_esc(h)}</th>" for _, h, k in columns)
    body = []
    for r in rows:
        cells = []
        for key, _, kind in columns:
            v = r.get(key)
            cls = "" if kind == "text" or isinstance(v, str) else ' class="num"'
            cells.append(f"<td{cls}>{_fmt(v, kind)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure(svg: str | None, caption: str) -> str:
    if not svg:
        return f'<p class="muted">No chart: {_esc(caption)} (not enough data).</p>'
    return f"<figure>{svg}<figcaption>{_esc(caption)}</figcaption></figure>"


def render_html(report: dict[str, Any]) -> str:
    run = report["run"]
    q = report["quality"]
    title = "Industry clusters report"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        '<meta name="generator" content="clusterid ' + escape(str(report["tool_version"])) + '">',
        f"<style>{CSS}</style></head><body>",
        f"<header><h1>{_esc(title)}</h1>",
        '<p class="muted">Produced by <code>clusterid report</code> from the output of '
        f"<code>clusterid detect</code> (folder <code>{_esc(run['detect_folder'])}</code>).</p>",
        '<nav><a href="#run">What was run</a><a href="#quality">Data quality</a>'
        '<a href="#reading">Reading the tables</a>'
        '<a href="#clusters">Clusters</a><a href="#relatedness">Relatedness</a>'
        '<a href="#regions">Regions</a><a href="#methodology">Methodology</a></nav></header><main>',
    ]
    parts.append(_run_section(run))
    parts.append(_quality_section(q))
    parts.append(_glossary_section(report.get("glossary")))
    parts.append(_clusters_section(report))
    parts.append(_relatedness_section(report.get("relatedness")))
    parts.append(_regions_section(report))
    parts.append(_method_section(report))
    parts.append("</main><footer>clusterid " + _esc(str(report["tool_version"]))
                 + ". This file is self-contained: it loads nothing from the network.</footer>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _run_section(run: dict[str, Any]) -> str:
    out = ['<section id="run"><h2>What was run on what</h2>', '<table><tbody>']
    out.append(f"<tr><th>command</th><td>{_esc(run['command'])}"
               f" (clusterid {_esc(str(run.get('detect_tool_version') or '?'))})</td></tr>")
    out.append(f"<tr><th>date</th><td>{_esc(run['date']) if run.get('date') else 'not recorded by detect'}</td></tr>")
    out.append(f"<tr><th>periods</th><td>{_esc(', '.join(map(str, run.get('periods') or []))) or '—'}</td></tr>")
    if run.get("random_state") is not None:
        out.append(f"<tr><th>random state</th><td>{_esc(str(run['random_state']))}</td></tr>")
    out.append("</tbody></table><h3>Inputs</h3>")
    out.append(_table(run.get("inputs") or [], [("path", "file", "text"), ("sha256", "sha256", "text")])
               .replace("<td>", "<td><code>").replace("</td>", "</code></td>"))
    if run.get("source_inputs"):
        out.append(f"<h3>Source data (read by ingest into the {_esc(str(run.get('source_kind') or 'input'))} table)</h3>")
        cols = [("path", "file", "text"), ("adapter", "read as", "text"), ("sha256", "sha256", "text")]
        out.append(_table(run["source_inputs"], [c for c in cols if any(c[0] in r for r in run["source_inputs"])]))
    opts = run.get("options") or {}
    if opts:
        # folded: twenty lines of options came before any result, the first screen a
        # ministry reader saw; they are one click away, and in the JSON report
        out.append(f"<details><summary>Options of detect ({len(opts)})</summary><table><tbody>")
        for flag, value in option_rows(opts):
            out.append(f"<tr><th><code>{_esc(flag)}</code></th><td>{_esc(value)}</td></tr>")
        out.append("</tbody></table></details>")
    if run.get("rule"):
        out.append(f"<h3>Rule</h3><p>{_esc(plain_value(run['rule']))}</p>")
    files = run.get("files") or {}
    if files:
        edited = set(run.get("edited") or [])
        # open where a file was edited or is missing: that is for the reader to see
        opened = " open" if edited or run.get("missing") else ""
        out.append(f"<details{opened}><summary>Files read ({len(files)})</summary>")
        rows = {k: {"file": k, "sha256": v,
                    "state": "edited since detect wrote it" if k in edited else "as written"}
                for k, v in files.items()}
        for k in run.get("missing") or []:
            rows[k] = {"file": k, "sha256": "", "state": "missing from the folder"}
        out.append(_table([rows[k] for k in sorted(rows)],
                          [("file", "file", "text"), ("sha256", "sha256", "text"),
                           ("state", "state", "text")]))
        out.append("</details>")
    out.append("</section>")
    return "\n".join(out)


def _quality_section(q: dict[str, Any]) -> str:
    kpis = [
        ("regions", q.get("n_regions"), "int"), (clusters_label(q), q.get("n_clusters"), "int"),
        ("industries", q.get("n_industries"), "int"),
        ("member cells suppressed or estimated", q.get("suppressed_share"), "pct"),
        ("employment in partly suppressed cells", q.get("employment_in_partial_cells_share"), "pct"),
        ("width of the bounds / employment (cells with an upper bound)", q.get("bounds_width_share"), "pct"),
        ("definition industries present in the data", q.get("industries_in_data_share"), "pct"),
        ("strong calls that are robust", q.get("strong_calls_robust_share"), "pct"),
    ]
    # no period: the tables hold no rows (not "Period None")
    period = (f"Period {_esc(str(q[schema.PERIOD]))}" if q.get(schema.PERIOD) is not None
              else "No period: the tables hold no rows")
    if q.get("periods_without_values"):
        period += (" (the last with a value; no value in "
                   + ", ".join(_esc(str(p)) for p in q["periods_without_values"]) + ")")
    out = [f'<section id="quality"><h2>Data quality</h2><p class="muted">{period}; '
           "cells are region × cluster.</p><div class=grid>"]
    for label, value, kind in kpis:
        if value is not None:
            out.append(f'<div class="kpi"><b>{_fmt(value, kind)}</b>{_esc(label)}</div>')
    out.append("</div>")
    facts = []
    for measure, share in (q.get("input_suppressed_share") or {}).items():
        facts.append(f"{_fmt(share, 'pct')} of the input's {_esc(measure)} cells are suppressed")
    if q.get("input_rows_read") is not None:
        facts.append(f"ingest read {_fmt(q['input_rows_read'], 'int')} rows and kept "
                     f"{_fmt(q.get('input_rows_kept'), 'int')}")
    for reason, n in (q.get("input_dropped") or {}).items():
        facts.append(f"{_fmt(n, 'int')} rows dropped: {_esc(str(reason))}")
    if q.get("input_rejected_rows"):
        facts.append(f"{_fmt(q['input_rejected_rows'], 'int')} rows rejected as bad data")
    if said := relatedness_sentence(q):
        facts.append(_esc(said))
    if facts:
        out.append("<h3>Input</h3><ul>" + "".join(f"<li>{f}</li>" for f in facts) + "</ul>")
    if q.get("detect_notes"):
        out.append("<h3>Notes from detect</h3><p class=\"muted\">As detect said them when it ran.</p><ul>"
                   + "".join(f"<li>{_esc(n)}</li>" for n in q["detect_notes"]) + "</ul>")
    status = q.get("cells_by_status")
    if status:
        out.append("<h3>Cells by employment status</h3>")
        out.append(_table([{"status": k, "share": v} for k, v in status.items()],
                          [("status", "status", "text"), ("share", "share of cells", "pct")]))
    out.append("</section>")
    return "\n".join(out)


def _glossary_section(glossary: list[dict[str, str]] | None) -> str:
    """What the tables' headings and words mean (build.glossary)."""
    if not glossary:
        return ""
    items = "".join(f"<dt>{_esc(g['term'])}</dt><dd>{_esc(g['meaning'])}</dd>" for g in glossary)
    return f'<section id="reading"><h2>Reading the tables</h2><dl class="glossary">{items}</dl></section>'


def _clusters_section(report: dict[str, Any]) -> str:
    clusters = report["clusters"]
    out = ['<section id="clusters"><h2>Cluster definitions</h2>',
           _figure(charts.cluster_sizes(clusters), "Employment per cluster in the last period; "
                   "the number of regions where each is strong.")]
    g = report.get("grouping")
    if g:
        bits = []
        if g.get("definitions"):
            bits.append(f"definitions <code>{_esc(str(g['definitions']))}</code>")
        if g.get("method"):
            bits.append(f"method <code>{_esc(str(g['method']))}</code>")
        for key, label in (("vs_industry", "VS-Industry"), ("vs_cluster", "VS-Cluster")):
            if isinstance(g.get(key), (int, float)):
                bits.append(f"{label} {_fmt(g[key])}")
        if g.get("cluster_type"):
            bits.append(f"type: {_esc(str(g['cluster_type']))}")
        out.append("<p>" + "; ".join(bits) + ".</p>")
        if g.get("params"):
            out.append(f"<p class=\"muted\">Parameters: {_esc(plain_value(g['params']))}</p>")
        if g.get("sweep"):
            out.append("<details><summary>Candidates compared by the validation scores</summary>")
            out.append(_table(g["sweep"], [(k, h, t) for k, h, t in (
                ("parameter", "parameter", "text"), ("value", "value", "auto"), ("n_clusters", "clusters", "int"),
                ("vs_industry", "VS-Industry", "auto"), ("vs_cluster", "VS-Cluster", "auto"),
                ("score", "score", "auto"), ("chosen", "chosen", "auto")) if any(k in r for r in g["sweep"])]))
            out.append("</details>")
    cols = [("cluster_id", "id", "text"), ("cluster_name", "name", "text"), ("cluster_type", "type", "text"),
            ("n_industries", "industries", "int"), ("n_core", "core", "int"),
            (schema.EMPLOYMENT, schema.EMPLOYMENT, "int"), ("employment_status", "known", "text"),
            ("n_strong", "strong in", "int"),
            ("vs_industry", "VS-Industry", "auto"), ("within_similarity", "within sim.", "auto"),
            ("mean_coassignment", "co-assignment", "auto")]
    cols = [c for c in cols if any(c[0] in cl for cl in clusters)]
    if any(c.get("employment_status") for c in clusters) and report.get("cluster_employment_note"):
        out.append(f"<p class=\"muted\">{_esc(report['cluster_employment_note'])}</p>")
    out.append(_table(clusters, cols))
    for c in clusters:
        out.append(f"<details><summary>{_esc(str(c.get('cluster_name')))} ({_esc(str(c['cluster_id']))})"
                   f" — {len(c.get('members', []))} industries</summary>")
        mcols = [(schema.INDUSTRY, schema.INDUSTRY, "text"), (schema.INDUSTRY_NAME, "title", "text"), ("core", "core", "auto"),
                 ("coassignment", "co-assignment", "auto"), ("similarity_own", "sim. own", "auto"),
                 ("similarity_other", "sim. other", "auto"), ("benchmark_cluster_id", "benchmark", "text")]
        mcols = [m for m in mcols if any(m[0] in r for r in c.get("members", []))]
        out.append(_table(c.get("members", []), mcols))
        if c.get("top_regions_detail"):
            lvl = c.get("top_regions_level")
            out.append("<h3>Where it is strongest" + (f" (among {_esc(str(lvl))} regions)" if lvl else "") + "</h3>")
            out.append(_table(c["top_regions_detail"], _region_cols(c["top_regions_detail"])))
        out.append("</details>")
    if report.get("compare"):
        out.append("<h3>Comparison with the benchmark definitions</h3>")
        said = compare_sentence(report["compare"])
        out.append(f"<p>{_esc(said)}</p>" if said else
                   f"<p><code>{_esc(json.dumps(report['compare'], sort_keys=True))}</code></p>")
    out.append("</section>")
    return "\n".join(out)


def _region_cols(rows):
    cols = [(schema.REGION, schema.REGION, "text"), (schema.REGION_NAME, "name", "text"), (schema.EMPLOYMENT, schema.EMPLOYMENT, "int"),
            ("share", "share", "pct"), ("lq", "LQ", "auto"), ("lq_ci_lower", "LQ low", "auto"),
            ("lq_ci_upper", "LQ high", "auto"), ("employment_growth", "growth", "pct"),
            ("uscmp_tier", "tier", "text"), ("stars", "stars", "int"), ("strong", "strong", "auto"),
            ("strong_robust", "robust", "auto")]
    return [c for c in cols if any(r.get(c[0]) is not None for r in rows)]


def _relatedness_section(rel: dict[str, Any] | None) -> str:
    out = ['<section id="relatedness"><h2>Relatedness of the clusters</h2>']
    if not rel:
        out.append('<p class="muted">No relatedness could be computed (too few regions).</p></section>')
        return "\n".join(out)
    svg = charts.heatmap(rel["labels"], rel["matrix"], "Cluster relatedness")
    out.append(_figure(svg, f"Source: {rel['source']}. Clusters ordered (nearest-neighbour chain) so related "
                       "ones sit together; blank cells could not be computed."))
    out.append("</section>")
    return "\n".join(out)


def _regions_section(report: dict[str, Any]) -> str:
    regions = report["regions"]
    total = report.get("regions_total", len(regions))
    out = ['<section id="regions"><h2>Regions and their clusters</h2>']
    out.append(f"<p>{len(regions)} of {total} {'region' if total == 1 else 'regions'} shown in "
               "detail, largest employment first"
               + ("; every region is in the JSON report and in <code>regional_clusters.csv</code>."
                  if total > len(regions) else ".") + "</p>")
    if report.get("regions_apart"):
        out.append(f"<p>{_esc(apart_sentence(report['regions_apart']))}</p>")
    if report.get("regions_without_clusters"):
        out.append(f"<p>{_esc(without_clusters_sentence(report['regions_without_clusters']))}</p>")
    # the strong clusters by name ("2; 14" in region_summary.csv), no column empty in every
    # row (no names beside the codes, no traded clusters to weigh)
    out.append(_table(*region_summary_rows(report)))
    x_axis = report.get("x_axis", "share")
    for r in regions:
        name = r.get(schema.REGION_NAME) or r[schema.REGION]
        strong = [p for p in r.get("portfolio", []) if p.get("strong")]
        tags = "".join(f'<span class="tag{" robust" if p.get("strong_robust") else ""}">'
                       f"{_esc(str(p.get('cluster_name')))}</span>" for p in strong) or '<span class="muted">none</span>'
        opened = " open" if r is regions[0] else ""
        shown = (f"{_esc(str(name))} ({_esc(str(r['region']))})" if name != r[schema.REGION]
                 else _esc(str(name)))  # keyed by names: the name once, not "г.Алматы (г.Алматы)"
        out.append(f"<details{opened}><summary>{shown}</summary>")
        legend = (' <span class="muted">(filled: robust)</span>'
                  if any(p.get("strong_robust") is not None for p in strong) else "")
        out.append(f"<p>Strong clusters: {tags}{legend}</p>")
        out.append(_figure(charts.portfolio(str(name), r.get("portfolio", []), x_axis),
                           "Each bubble is a cluster; area = employment; dashed line LQ = 1."))
        pcols = [("rank_in_region", "rank", "int"), ("cluster_id", "id", "text"), ("cluster_name", "cluster", "text"),
                 (schema.EMPLOYMENT, schema.EMPLOYMENT, "int"), ("employment_status", "status", "text"),
                 ("share", "share", "pct"), ("lq", "LQ", "auto"), ("lq_ci_lower", "LQ low", "auto"),
                 ("lq_ci_upper", "LQ high", "auto"), ("employment_growth", "growth", "pct"),
                 ("uscmp_tier", "tier", "text"), ("stars", "stars", "int"), ("strong", "strong", "auto"),
                 ("strong_robust", "robust", "auto")]
        pcols = [c for c in pcols if any(p.get(c[0]) is not None for p in r.get("portfolio", []))]
        out.append(_table(r.get("portfolio", []), pcols))
        out.append("</details>")
    out.append("</section>")
    return "\n".join(out)


def _method_section(report: dict[str, Any]) -> str:
    out = ['<section id="methodology"><h2>Methodology</h2>']
    out += [f"<p>{_esc(p)}</p>" for p in report.get("methodology", [])]
    out.append("<h3>References</h3><ul>")
    out += [f"<li>[{_esc(r['key'])}] {_esc(r['text'])}</li>" for r in report.get("references", [])]
    out.append("</ul></section>")
    return "\n".join(out)
