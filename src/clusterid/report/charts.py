"""Charts for the report, drawn with matplotlib as inline SVG text.

Deterministic: a fixed ``svg.hashsalt`` (element ids), no date in the SVG metadata, text kept as
text (``svg.fonttype = none``, also much smaller than glyph paths), and no pyplot global state
(each chart is its own ``Figure``).  The same data therefore give byte-identical SVG.
"""

from __future__ import annotations

from clusterid import schema

import io
import logging
import math
import re
from typing import Any

RC = {
    "svg.hashsalt": "clusterid",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
}
TRADED = "#1f6fb2"
LOCAL = "#8c8c8c"
STRONG = "#d9480f"
_HEAD = re.compile(r"^.*?(?=<svg)", re.S)
# what matplotlib logs, on stderr, when it cannot make its config or cache folder under $HOME
# (a service account's HOME=/nonexistent, a read-only home) and falls back to a temporary one:
# two lines on every report, with -q too, in a scheduled job's log, about a setting of a
# library the user never chose; the report is the same either way
_CONFIG_FOLDER_NOTICES = ("mkdir -p failed for path", "%s is not a writable directory",
                          "Matplotlib created a temporary cache directory")


def _not_a_config_folder_notice(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(_CONFIG_FOLDER_NOTICES)


logging.getLogger("matplotlib").addFilter(_not_a_config_folder_notice)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)


# matplotlib's warning for a letter its font lacks ("Glyph 38463 ... missing from font(s) DejaVu
# Sans"); the letter quoted in it may be a line break, hence (?s)
_MISSING_GLYPH = r"(?s)Glyph \d+ .* missing from font"


def _render(fig, tight: bool = True, label: str = "chart") -> str:
    """SVG text of ``fig``.  ``tight`` fits the box to the labels (costs a second draw)."""
    import matplotlib

    import warnings

    buf = io.StringIO()
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        # a name in a script the layout font lacks (Chinese, an emoji): the SVG keeps it as
        # text, which the browser draws with its own fonts; the warning was a two-line
        # "UserWarning: Glyph 38463 ... missing from font(s) DejaVu Sans" per letter on stderr
        warnings.filterwarnings("ignore", message=_MISSING_GLYPH, category=UserWarning)
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None},
                    bbox_inches="tight" if tight else None)
    svg = _HEAD.sub("", buf.getvalue(), count=1)
    svg = _METADATA.sub("", svg, count=1)  # RDF boilerplate: bytes, and URLs a reader may mistrust
    # A fixed pixel size would overflow small screens; let CSS scale the chart.
    from html import escape

    return svg.replace("<svg ", f'<svg class="chart" role="img" aria-label="{escape(label)}" ', 1)


def _figure(width: float, height: float):
    import matplotlib

    with matplotlib.rc_context(RC):
        from matplotlib.figure import Figure

        fig = Figure(figsize=(width, height))
    return fig


def _short(text: Any, n: int = 28) -> str:
    """A name from the data, cut to ``n`` characters, as literal text: matplotlib reads a
    pair of ``$`` as TeX math ("$$" as a cluster name stopped the report with "internal
    error: ValueError: ParseException"; "$5 $10" lost its dollars), so each is escaped."""
    # (a line break in a name -- one quoted field over two lines -- is a space, as in the
    # Markdown: measured, it was a missing glyph 10 and a UserWarning on stderr)
    s = str(text or "").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _literal(s if len(s) <= n else s[: n - 1] + "…")


def _fitted(prefix: str, name: Any, suffix: str, width_pt: float, size: float) -> str:
    """``prefix + name + suffix`` with the name cut (as :func:`_short` does, at most 50
    characters) until the line is at most ``width_pt`` wide at ``size`` points: a region's
    name of 50 characters made the portfolio title wider than its chart, cut off at the
    figure's edge ('... official… (orange: str'); wide letters (Cyrillic capitals) more so."""
    import warnings

    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure, prop = TextToPath(), FontProperties(family=RC["font.family"], size=size)
    n = 50
    with warnings.catch_warnings():
        # a letter the font lacks (a CJK name) is measured as its box, unsaid, as _render draws it
        warnings.filterwarnings("ignore", message=_MISSING_GLYPH, category=UserWarning)
        while True:
            line = prefix + _short(name, n) + suffix
            if n <= 8 or measure.get_text_width_height_descent(
                    line.replace("\\$", "$"), prop, ismath=False)[0] <= width_pt:
                return line
            n -= 2


def _literal(text: Any) -> str:
    return str(text).replace("$", r"\$")


def cluster_sizes(clusters: list[dict[str, Any]], limit: int = 40) -> str | None:
    """Horizontal bars: employment per cluster (largest ``limit``), traded blue, local grey."""
    import matplotlib

    rows = [c for c in clusters if isinstance(c.get(schema.EMPLOYMENT), (int, float))]
    if not rows:
        return None
    rows = sorted(rows, key=lambda c: (-c[schema.EMPLOYMENT], str(c["cluster_id"])))[:limit]
    rows.reverse()
    with matplotlib.rc_context(RC):
        fig = _figure(7.5, 0.8 + 0.24 * len(rows))
        ax = fig.add_subplot()
        labels = [f"{_short(c.get('cluster_name'), 40)} ({_literal(c['cluster_id'])})" for c in rows]
        colors = [LOCAL if c.get("cluster_type") == "local" else TRADED for c in rows]
        ax.barh(range(len(rows)), [c[schema.EMPLOYMENT] for c in rows], color=colors)
        ax.set_yticks(range(len(rows)), labels)
        for i, c in enumerate(rows):
            if c.get("n_strong"):
                ax.annotate(f" {c['n_strong']} strong", (c[schema.EMPLOYMENT], i), va="center", fontsize=7,
                            color=STRONG)
        # whole numbers with thousands separators: matplotlib's default wrote the axis as
        # 0.25 ... 2.00 with '1e6' in the corner, a notation a report's reader does not read
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
        ax.set_xlabel("employment (last period, all regions)")
        # the colours named only for the types there are: clusters grouped from a national
        # office's table have none, and were drawn blue under 'blue traded, grey local'
        types = {c.get("cluster_type") for c in rows}
        legend = ([f"blue traded{' or of no type' if types - {'traded', 'local'} else ''}"]
                  if "traded" in types else []) + (["grey local"] if "local" in types else [])
        ax.set_title("Clusters by employment (" + "; ".join(
            [", ".join(legend)] if legend else []) + ("; " if legend else "")
            + "regions where strong)")
        return _render(fig, label="Bar chart: employment per cluster")


def heatmap(labels: list[str], matrix: list[list[float | None]], title: str) -> str | None:
    """A square similarity matrix as a heatmap (missing cells blank)."""
    import matplotlib
    import numpy as np

    n = len(labels)
    if n < 2:
        return None
    arr = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    size = min(9.0, 2.5 + 0.16 * n)
    with matplotlib.rc_context(RC):
        fig = _figure(size + 1.5, size)
        ax = fig.add_subplot()
        finite = arr[np.isfinite(arr)]
        vmax = float(np.max(np.abs(finite))) if finite.size else 1.0
        vmin = -vmax if finite.size and float(np.min(finite)) < 0 else 0.0
        img = ax.imshow(np.ma.masked_invalid(arr), cmap="RdBu_r" if vmin < 0 else "Blues",
                        vmin=vmin, vmax=vmax or 1.0, interpolation="nearest")
        fs = 7 if n <= 30 else 5
        ax.set_xticks(range(n), [_short(x, 24) for x in labels], rotation=90, fontsize=fs)
        ax.set_yticks(range(n), [_short(x, 24) for x in labels], fontsize=fs)
        ax.set_title(title)
        fig.colorbar(img, ax=ax, shrink=0.7)
        return _render(fig, label=f"Heatmap: {title}")


def _free_labels(ax, fig, rows, x_axis: str, most: int):
    """``(row, text, left)`` for up to ``most`` of ``rows`` (in order of preference) whose label box,
    estimated from its length at 7 pt, overlaps no label taken before it: Salt Lake County's
    eight labels of clusters between LQ 1.1 and 1.7 were drawn over each other, unreadable.
    A cluster left without a label is still in the table under the chart.  ``left``: the label
    goes to the left of its point, which is too near the figure's right edge for it."""
    points = fig.dpi / 72.0
    right_edge = fig.bbox.x1
    taken: list[tuple[float, float, float, float]] = []
    out = []
    for r in rows:
        text = _short(r.get("cluster_name"), 22)
        x, y = ax.transData.transform((r[x_axis] * 100, r["lq"]))
        width, y0 = len(text) * 7 * 0.55 * points, y + 3 * points
        # to the left of a point near the right edge, where it was cut off ("Perform")
        left = x + 4 * points + width > right_edge
        x0 = x - 4 * points - width if left else x + 4 * points
        box = (x0, y0, x0 + width, y0 + 7 * 1.25 * points)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            continue
        taken.append(box)
        out.append((r, text, left))
        if len(out) == most:
            break
    return out


def portfolio(region_name: str, rows: list[dict[str, Any]], x_axis: str) -> str | None:
    """Bubble chart of a region's clusters: LQ against growth (or share); area = employment."""
    import matplotlib

    pts = [r for r in rows if isinstance(r.get("lq"), (int, float)) and isinstance(r.get(x_axis), (int, float))
           and isinstance(r.get(schema.EMPLOYMENT), (int, float))]
    if not pts:
        return None
    emp_max = max(r[schema.EMPLOYMENT] for r in pts) or 1.0
    with matplotlib.rc_context(RC):
        fig = _figure(6.0, 3.8)
        ax = fig.add_subplot()
        xs = [r[x_axis] * 100 for r in pts]
        ys = [r["lq"] for r in pts]
        sizes = [20 + 900 * (r[schema.EMPLOYMENT] / emp_max) for r in pts]
        colors = [STRONG if r.get("strong") else (LOCAL if r.get("cluster_type") == "local" else TRADED)
                  for r in pts]
        ax.scatter(xs, ys, s=sizes, c=colors, alpha=0.55, edgecolors="white", linewidths=0.6)
        ax.axhline(1.0, color="#444444", linewidth=0.8, linestyle="--")
        if x_axis == "employment_growth":
            ax.axvline(0.0, color="#444444", linewidth=0.8, linestyle="--")
            ax.set_xlabel("employment growth, first to last period (%)")
        else:
            ax.set_xlabel("share of the region's employment (%)")
        ax.set_ylabel("cluster LQ")
        top = max(ys)
        ax.set_ylim(0, max(1.5, top * 1.15 if math.isfinite(top) else 1.5))
        fig.subplots_adjust(left=0.11, right=0.97, bottom=0.13, top=0.92)
        ax.set_xlim(*ax.get_xlim())  # fixed before the labels are placed in display units
        wanted = sorted(pts, key=lambda r: (not r.get("strong"), -r["lq"]))
        for r, text, left in _free_labels(ax, fig, wanted, x_axis, 8):
            ax.annotate(text, (r[x_axis] * 100, r["lq"]), fontsize=7, textcoords="offset points",
                        xytext=(-4, 3) if left else (4, 3), ha="right" if left else "left")
        ax.set_title(_fitted("Cluster portfolio — ", region_name, " (orange: strong)",
                             0.94 * fig.get_figwidth() * 72, RC["axes.titlesize"]))
        # Fixed margins (set above) instead of a tight box: one draw per chart, as there are
        # many of these.
        return _render(fig, tight=False, label=f"Bubble chart: cluster portfolio of {region_name}")
