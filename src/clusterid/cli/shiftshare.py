"""``clusterid shift-share``: Dunn and Esteban-Marquillas shift-share between two periods.

Example::

    clusterid shift-share tests/data/reat/laender_emp.csv --from 2008 --to 2014 -o ss.csv

Output columns (``--by cell``, default: one row per region x industry with activity in either
period; ``--by region``: one row per region), sorted by span, period_from, region, industry:

    span            static (two periods) | step (one year of --dynamic) | chained (--dynamic sum)
    period_from, period_to
    region, region_name, industry, industry_name (cell rows), measure, ownership, level
    base, final, change          e⁰, e¹, e¹ − e⁰
    growth_national, growth_industry   G and G_i of the benchmark (cell rows, static/step)
    national_share, industry_mix, regional_share   Dunn: NS + IM + RS = change
    homothetic_base              Esteban-Marquillas ê = e⁰_j S⁰_i (cell rows)
    competitive, allocation      EM split of RS; empty when e⁰ = 0 (no growth rate exists)
    new_industry                 RS of cells with e⁰ = 0, so that
                                 NS + IM + competitive + allocation + new_industry = change
    observed                     false where a period's value is suppressed (cell rows;
                                 every component then empty)
    n_cells, n_unobserved        (region rows) cells summed (with activity in either period)
                                 and cells left out because a period's value is suppressed

Across a NAICS revision (2012 -> 2017, 2017 -> 2022) the codes it split or merged are one
combined industry in every period (industry '454110+454111+454112+454113'; metadata
selections[].combined_codes); --keep-revised-codes compares the codes as they are.

Formulas and sources: ``clusterid.core.shiftshare`` and METHODS.md §3.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from clusterid.cli.options import Estimated, Inputs, Output, OutputFormat, benchmark_records

HELP = """Shift-share (Dunn; Esteban-Marquillas) of every region x industry between two periods.

Example: clusterid shift-share tests/data/reat/laender_emp.csv --from 2008 --to 2014 -o ss.csv

NS + IM + RS = change per cell and per region; RS stays finite for industries new to a region.
--dynamic chains the decomposition period by period over the panel between --from and --to.
Benchmark as for lq: sum of the regions (default), rest, region:ID, or a reference FILE.
"""

BY = ("cell", "region")


def shift_share_command(
    inputs: Inputs,
    period_from: Annotated[str, typer.Option(
        "--from", help="Base period (as in the table's period column).")],
    period_to: Annotated[str, typer.Option("--to", help="Final period.")],
    output: Output = "-",
    measure: Annotated[Optional[list[str]], typer.Option(
        "--measure", "-m", help="employment, establishments, wages, output, or all; repeat, "
        "or comma-separated, for several.", show_default="employment")
    ] = None,
    level: Annotated[Optional[int], typer.Option(
        "--level", help="Industry level (NAICS digits 2-6; NACE 1-4); default the deepest.")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="cell (region x industry) or region.")] = "cell",
    dynamic: Annotated[bool, typer.Option(
        "--dynamic", help="Chain the decomposition over every period between --from and "
        "--to.")] = False,
    ownership: Annotated[Optional[str], typer.Option(
        "--ownership", help="Ownership to use; default 'total' where it has industries "
                            "at the level used, else 'private', else the only one.")] = None,
    region_level: Annotated[Optional[str], typer.Option(
        "--region-level", help="Region level to use; default the most common.")] = None,
    benchmark: Annotated[str, typer.Option(
        "--benchmark", "-b", help="sum (default) | rest | region:ID | FILE (reference table "
        "with totals, as for lq).")] = "sum",
    estimated: Estimated = True,
    keep_revised_codes: Annotated[bool, typer.Option(
        "--keep-revised-codes", help="Compare NAICS codes a revision split or merged between "
        "the periods as they are, not summed into combined industries.")] = False,
    output_format: OutputFormat = "auto",
) -> None:
    """Shift-share between two periods.

    Example: clusterid shift-share tests/data/reat/laender_emp.csv --from 2008 --to 2014 -o ss.csv
    """
    import polars as pl

    from clusterid.cli import console
    from clusterid.cli.indices import (Bench, load_table, measure_label,
                                       measures_of, table_benchmark)
    from clusterid.core import indices as ix
    from clusterid.core import shiftshare as ss
    from clusterid.errors import UsageError
    from clusterid.io import tables
    from clusterid.cli.options import input_label, input_records_of, unread_ownerships

    from clusterid.cli.options import keyword

    input_path = input_label(inputs)
    by = keyword(by)  # --by Region: the keywords in any case
    if by not in BY:
        raise UsageError(f"unknown --by {by!r}; expected one of {', '.join(BY)}")
    if period_from == period_to:
        raise UsageError(f"--from and --to are the same period ({period_from!r})")
    bench = Bench(benchmark)
    tables.output_format(output, output_format)
    lf, _meta = load_table(inputs, ownership, measure)
    benchmark = table_benchmark(benchmark, lf)
    frames, chosen, notes = [], [], []
    measures = measures_of(lf, measure)
    every = any(str(m).strip().lower() == "all" for m in (measure or []))
    for one in measures:
        bench = Bench(benchmark)
        sel = ix.select_rows(lf, one, level=level, ownership=ownership,
                             region_level=region_level, path=input_path,
                             exclude_regions=bench.exclude,
                             unread_ownerships=unread_ownerships(_meta))
        bare, without = sel.cache.get("periods_without_rows", ([], ""))
        skip = False
        for p in (period_from, period_to):
            if ix.match_period(p, sel.periods) is None:
                if ix.match_period(p, bare) is not None:  # in the table, as totals only
                    raise UsageError(f"period {p!r} of {input_path} has {without}; periods "
                                     "with industries: " + ", ".join(sel.periods))
                if ix.match_period(p, sel.cache.get("periods_off_region_level", [])):
                    raise UsageError(f"period {p!r} of {input_path} has no rows at region "
                                     f"level {sel.region_level!r} (choose another with "
                                     "--region-level); periods with them: "
                                     + ", ".join(sel.periods))
                if ix.match_period(p, sel.cache.get("periods_without_measure", [])):
                    if every and len(measures) > 1:  # -m all: the measures both periods have
                        console.info(f"shift-share: --measure all: {one} left out, as the "
                                     f"table of period {p} has no such column")
                        skip = True
                        break
                    raise UsageError(f"period {p!r} of {input_path} has no {one} (its table "
                                     "has no such column); periods with it: "
                                     + ", ".join(sel.periods))
                if ix.match_period(p, sel.cache.get("periods_benchmark_only", [])):
                    raise UsageError(f"period {p!r} of {input_path}: no region but the "
                                     f"benchmark ({', '.join(bench.exclude)}) has rows there; "
                                     "periods with other regions: " + ", ".join(sel.periods))
                raise ix.period_not_held(
                    [p], [*sel.periods, *bare, *sel.cache.get("periods_off_region_level", []),
                          *sel.cache.get("periods_without_measure", []),
                          *sel.cache.get("periods_benchmark_only", [])],
                    "--from" if p == period_from else "--to")
        if skip:
            continue
        # '2016q1' for the table's '2016Q1': the table's spelling from here on
        period_from, period_to = (ix.match_period(p, sel.periods)
                                  for p in (period_from, period_to))
        if period_from == period_to:
            raise UsageError(f"--from and --to are the same period ({period_from!r})")
        lo, hi = sorted([period_from, period_to])
        if (period_from, period_to) != (lo, hi):
            raise UsageError(f"--from {period_from} comes after --to {period_to}")
        # periods of one frequency only: the table may hold QCEW's annual averages beside its
        # quarters, and 2015 -> 2015Q1 -> 2015Q4 -> 2016 chained years and quarters
        freq = ss.period_frequency(lo)
        if freq != ss.period_frequency(hi):
            raise UsageError(
                f"--from {period_from} and --to {period_to} are periods of different "
                f"frequencies ({freq or 'unknown'}, {ss.period_frequency(hi) or 'unknown'}): "
                "a shift-share compares periods of one frequency (a year's value with a "
                "quarter's is no growth; for wages, a year's sum against a quarter's)")
        between = [p for p in sel.periods if lo <= p <= hi]
        periods = [p for p in between if ss.period_frequency(p) == freq] if dynamic else [lo, hi]
        if dynamic and len(periods) < len(between):
            other = [p for p in between if p not in periods]
            sel.notes = [*sel.notes, (
                f"--dynamic chains the {freq or 'unknown'} periods from {lo} to {hi}; "
                f"{len(other)} period{'s' if len(other) > 1 else ''} of another frequency "
                f"between them left out ({', '.join(other[:5])}"
                f"{' ...' if len(other) > 5 else ''})")]
        if dynamic and (gap := [p for p in ss.periods_between(lo, hi, freq)
                                if p not in periods]):
            # a panel missing a period (a year's table not in the folder): a step spanned two
            # periods, unsaid
            sel.notes = [*sel.notes, (
                f"--dynamic: {len(gap)} period{'s' if len(gap) > 1 else ''} between {lo} and "
                f"{hi} not in the panel ({', '.join(gap[:5])}{' ...' if len(gap) > 5 else ''}): "
                f"the step across {'them spans' if len(gap) > 1 else 'it spans'} more than "
                "one period")]
        sel.periods = periods
        sel.notes = [*sel.notes, *filter(None, [bench.one_region_note(sel),
                                                _one_industry_note(sel, bench)])]
        for note in sel.notes:
            if note not in notes:
                console.info(f"shift-share: {note}")
                notes.append(note)
        bench.resolve(lf, sel, ownership, what="shift-share components")
        frames.append(compute(sel, periods, by=by, bench=bench, dynamic=dynamic,
                              use_estimated=estimated,
                              combine_revised=not keep_revised_codes))
        left = _left_out_note(frames[-1], sel, level) if by == "region" else None
        if left:
            sel.notes = [*sel.notes, left]
        for note in sel.notes:  # what compute found (codes present in one period only)
            if note not in notes:
                console.info(f"shift-share: {note}")
                notes.append(note)
        chosen.append({**sel.describe(),
                       "combined_codes": sel.cache.get("revision_groups", [])})
    frame = pl.concat(frames, how="vertical")
    records = input_records_of(inputs)  # a glob or archive: each file
    if bench.file:
        records.extend(benchmark_records(bench.file))
    meta = tables.base_metadata(
        "shift_share", inputs=records,
        options={"from": period_from, "to": period_to, "by": by, "dynamic": dynamic,
                 "benchmark": benchmark, "use_estimated": estimated,
                 "measure": measure_label(measure),
                 "keep_revised_codes": keep_revised_codes,
                 "selections": chosen},
        notes=notes)
    tables.write_frame(frame, output, meta, output_format)
    if output != tables.STDIO:
        console.info(f"shift-share: {frame.height} rows ({by}) -> {output}")


def _left_out_note(frame, sel, level) -> str | None:
    """--by region sums only the observed cells: when most of the cells are suppressed (Utah's
    private 6-digit counties, Beaver County 4 cells summed, 92 left out) that is said, with
    the region leaving out most and how to choose a coarser level."""
    import polars as pl

    rows = frame.filter(pl.col("span") != "step")
    used, out = int(rows["n_cells"].sum()), int(rows["n_unobserved"].sum())
    if out <= used:
        return None
    worst = (rows.with_columns((pl.col("n_unobserved") / (pl.col("n_unobserved")
                                                          + pl.col("n_cells"))).alias("_share"))
             .sort(["_share", "region"], descending=[True, False]).row(0, named=True))
    name = worst.get("region_name") or worst["region"]
    return (f"at industry level {sel.level}, {out} of {out + used} cells are suppressed in a "
            f"period and left out of the region sums ({name}: {worst['n_unobserved']} left out, "
            f"{worst['n_cells']} summed)"
            + ("; a coarser --level leaves fewer out" if level is None else ""))


def _one_industry_note(sel, bench) -> str | None:
    """With one industry in the table and the sum-of-regions benchmark, the national growth is
    that industry's own: the industry mix is 0 in every region and national share stands for
    the industry's growth (a table cut to one industry and its total): said, not left to look
    like a finding."""
    from clusterid import schema

    if getattr(bench, "file", None) or schema.INDUSTRY not in sel.detail.columns:
        return None
    codes = sel.detail[schema.INDUSTRY].unique().to_list()
    if len(codes) != 1:
        return None
    return (f"one industry ({codes[0]}) at level {sel.level}: growth_national is that "
            "industry's own growth, so industry_mix is 0 in every region; add the other "
            "industries of the level, or give -b/--benchmark FILE")


def compute(sel, periods, *, by: str = "cell", bench=None, dynamic: bool = False,
            use_estimated: bool = True, combine_revised: bool = True):
    """A Selection and its periods -> the command's output frame."""
    import numpy as np
    import polars as pl

    from clusterid import schema
    from clusterid.cli.indices import Bench
    from clusterid.core import indices as ix
    from clusterid.core import shiftshare as ss
    from clusterid.errors import UsageError

    if bench is None:
        bench = Bench("sum")
    d = sel.detail.filter(pl.col(schema.PERIOD).is_in(periods))
    regions = sorted(d.get_column(schema.REGION).unique().to_list())
    industries = sorted(d.get_column(schema.INDUSTRY).unique().to_list())
    mats = [ix.period_matrix(sel, p, use_estimated=use_estimated, regions=regions,
                             industries=industries) for p in periods]
    panel = [m.values for m in mats]
    observed = np.logical_and.reduce([m.observed for m in mats])
    # cells with a row in some period: a region absent from one period (new, or renamed) is
    # unobserved in every column, but only the industries it lists are cells it left out
    pairs = d.select(schema.REGION, schema.INDUSTRY).unique()
    listed = np.zeros(observed.shape, dtype=bool)
    r_pos = {r: k for k, r in enumerate(regions)}
    i_pos = {i: k for k, i in enumerate(industries)}
    listed[[r_pos[r] for r in pairs.get_column(schema.REGION).to_list()],
           [i_pos[i] for i in pairs.get_column(schema.INDUSTRY).to_list()]] = True

    def bench_of(t):
        if bench.kind == "sum":
            return None
        if bench.kind == "rest":
            f = np.where(observed, panel[t], 0.0)
            return f.sum(axis=0)[None, :] - f, None
        E_i, E, shares_only = bench.totals(mats[t], periods[t])
        E_i = bench_regroup(E_i)
        if shares_only:
            raise UsageError(f"{bench.file}: a shift-share needs benchmark totals "
                             "(benchmark_industry_total, benchmark_total), not shares")
        lacking = ~np.isfinite(np.asarray(E_i, dtype=float))
        if lacking.any():  # said once, with the run's other notes (and in the metadata)
            n = int(lacking.sum())
            names = [industries[i] for i in np.flatnonzero(lacking)[:5]]
            sel.notes = [*sel.notes, (
                f"{n} industr{'y has' if n == 1 else 'ies have'} no benchmark value in "
                f"{periods[t]}; {'its' if n == 1 else 'their'} cells get no components "
                f"({', '.join(names)}{' ...' if n > 5 else ''})")]
        return E_i, E

    raw_industries, groups, members = industries, [], {}
    if combine_revised:
        groups = _revision_groups(sel, d, periods, industries)
    if groups:  # codes a NAICS revision split or merged: summed to one group in every period
        combined = [ss.combine_columns(p, m.observed, industries, groups)
                    for p, m in zip(panel, mats)]
        panel = [c[0] for c in combined]
        observed = np.logical_and.reduce([c[1] for c in combined])
        industries, members = combined[0][2], combined[0][3]
        listed = np.stack([listed[:, [i_pos[c] for c in members[lab]]].any(axis=1)
                           for lab in industries], axis=1)
        sel.cache["revision_groups"] = [members[lab] for lab in industries
                                        if len(members[lab]) > 1]
        shown = [lab for lab in industries if len(members[lab]) > 1]
        note = (f"codes split or merged by a NAICS revision between {periods[0]} and "
                f"{periods[-1]} are compared as {len(shown)} combined industr"
                f"{'y' if len(shown) == 1 else 'ies'} ({', '.join(shown[:6])}"
                f"{' ...' if len(shown) > 6 else ''}); --keep-revised-codes compares the codes "
                "as they are")
        sel.notes = [*sel.notes, note]

    def bench_regroup(E_i):
        if not groups or E_i is None:
            return E_i
        return ss.combine_benchmark(E_i, raw_industries, industries, members)

    for note in (_one_period_codes(panel, observed, industries, periods),
                 _one_period_regions(d, regions, periods),
                 _unobserved_note(d, observed, listed, regions, periods, by),
                 _more_than_the_total(sel, panel, periods, regions),
                 _idle_cells_note(panel, observed & listed, regions, industries, periods)
                 if by == "cell" else None):
        if note and note not in sel.notes:
            sel.notes = [*sel.notes, note]
    benches = [bench_of(t) for t in range(len(periods))]
    use_bench = None if bench.kind == "sum" else benches

    results = []  # (span, from, to, cells)
    if len(periods) == 2:
        if use_bench is None:
            cells = ss.shift_share(panel[0], panel[1], observed)
        else:
            (E0_i, E0), (E1_i, E1) = use_bench
            cells = ss.shift_share(panel[0], panel[1], observed, E0_i, E1_i, E0, E1)
        results.append(("static" if not dynamic else "step", periods[0], periods[1], cells))
        if dynamic:
            results.append(("chained", periods[0], periods[1], cells))
    else:
        steps, total = ss.dynamic_shift_share(panel, observed, use_bench)
        for t, cells in enumerate(steps):
            results.append(("step", periods[t], periods[t + 1], cells))
        results.append(("chained", periods[0], periods[-1], total))

    region_names = {}
    industry_names = {}
    for m in mats:
        region_names.update(m.region_names)
        industry_names.update(m.industry_names)
    for lab, codes in members.items():
        if len(codes) > 1:
            industry_names[lab] = "combined across the NAICS revision: " + "; ".join(
                c if not industry_names.get(c) else industry_names[c]
                if str(industry_names[c]).startswith(c) else f"{c} {industry_names[c]}"
                for c in codes)
    frames = [_cells_frame(sel, span, p0, p1, cells, regions, industries, observed,
                           region_names, industry_names, listed)
              if by == "cell" else
              _regions_frame(sel, span, p0, p1, cells, regions, observed, region_names, listed)
              for span, p0, p1, cells in results]
    out = pl.concat(frames, how="vertical")
    span_order = {"static": 0, "step": 1, "chained": 2}
    keys = ["_span", "period_from", schema.REGION] + ([schema.INDUSTRY] if by == "cell" else [])
    out = (out.with_columns(pl.col("span").replace_strict(span_order, return_dtype=pl.Int8)
                            .alias("_span"))
           .sort(keys).drop("_span"))
    return out


def _revision_groups(sel, d, periods, industries):
    """The groups of NAICS codes the 2012 -> 2017 and 2017 -> 2022 revisions link (the changes
    bundled with clusterid, as detect uses them) that this panel shows revised: two or more
    of a group's codes are listed and one of them is missing from some period."""
    from importlib import resources

    import polars as pl

    from clusterid import schema
    from clusterid.core import shiftshare as ss

    if "naics" not in str(sel.classification or "").lower():
        return []
    level = sel.level or 6
    if not any(c.isdigit() and len(c) == level for c in industries):
        return []

    def codes_in(period):
        return {c[:level] for c in d.filter(pl.col(schema.PERIOD) == period)
                .get_column(schema.INDUSTRY).to_list()}

    first, last = codes_in(periods[0]), codes_in(periods[-1])
    tables = []
    for name in ("naics_2012_2017_changes.csv", "naics_2017_2022_changes.csv"):
        with resources.as_file(resources.files("clusterid") / "data" / name) as path:
            t = pl.read_csv(path, glob=False, infer_schema_length=0)
        tables.append([(a[:level], b[:level])
                       for a, b in zip(t.get_column(t.columns[0]).to_list(),
                                       t.get_column(t.columns[1]).to_list())
                       if a[:level] != b[:level]])
    # only a revision the panel crosses: an old code gone by the last period and a new one not
    # yet there in the first (a 2016 -> 2017 panel does not merge 2017 codes that 2022 merged);
    # a panel across both (2016 -> 2022) may hold no 2017 code at either end: the later
    # revision being crossed stands for the earlier one's new codes
    pairs, later = [], False
    for these in reversed(tables):
        gone = any(a in first and a not in last for a, _ in these)
        new = any(b in last and b not in first for _, b in these)
        if gone and (new or later):
            pairs += these
            later = True
    listed_in = dict(d.select(schema.PERIOD, schema.INDUSTRY).unique()
                     .group_by(schema.INDUSTRY).len().iter_rows())
    for c in industries:
        listed_in.setdefault(c, 0)
    return ss.revision_groups(industries, pairs, listed_in, level, len(periods))


def _one_period_codes(panel, observed, industries, periods) -> str | None:
    """The note for industry codes with activity in only the first or only the last period in
    every region: all their change is industry mix (gone) or new industry, which is what a
    classification revision looks like (NAICS 2012 -> 2017: 211111 becomes 211120 and
    211130), a decomposition of codes rather than of growth -- said, not left as a finding."""
    import numpy as np

    first = np.where(observed, panel[0], 0.0).sum(axis=0)
    last = np.where(observed, panel[-1], 0.0).sum(axis=0)
    gone = [industries[i] for i in np.flatnonzero((first > 0) & (last == 0))]
    new = [industries[i] for i in np.flatnonzero((first == 0) & (last > 0))]
    if not gone and not new:
        return None

    def show(codes):
        return ", ".join(codes[:5]) + (f" ... ({len(codes)} in all)" if len(codes) > 5 else "")

    parts = ([f"only in {periods[0]}: {show(gone)}"] if gone else []) + (
        [f"only in {periods[-1]}: {show(new)}"] if new else [])
    n = len(gone) + len(new)
    return (f"{n} industr{'y has' if n == 1 else 'ies have'} activity in one period only, in every "
            f"region ({'; '.join(parts)}): their change is all industry mix or new industry; "
            "if the codes were revised between the periods (NAICS 2012 -> 2017), map them to "
            "one vintage first")


def _idle_cells_note(panel, observed, regions, industries, periods) -> str | None:
    """The note for the cells --by cell does not list: observed, 0 in the first and the last
    period (an industry nobody works in, a region of zeros, Astana's agriculture), which have
    nothing to explain (every component 0).  They were left out unsaid, so an industry of
    zeros vanished from the output; named here by industry or region where a whole column or
    row is such, else cell by cell."""
    import numpy as np

    idle = observed & (panel[0] == 0) & (panel[-1] == 0)
    n = int(idle.sum())
    if not n:
        return None
    seen_i, seen_r = observed.any(axis=0), observed.any(axis=1)
    whole_i = [industries[i] for i in np.flatnonzero(seen_i & (idle == observed).all(axis=0))]
    whole_r = [regions[r] for r in np.flatnonzero(seen_r & (idle == observed).all(axis=1))]
    rest = idle.copy()
    rest[:, [industries.index(c) for c in whole_i]] = False
    rest[[regions.index(c) for c in whole_r], :] = False
    parts = []
    if whole_i:
        parts.append(f"industr{'y' if len(whole_i) == 1 else 'ies'} {', '.join(whole_i[:5])}"
                     f"{' ...' if len(whole_i) > 5 else ''} in every region")
    if whole_r:
        parts.append(f"region{'' if len(whole_r) == 1 else 's'} {', '.join(whole_r[:5])}"
                     f"{' ...' if len(whole_r) > 5 else ''} in every industry")
    cells = [f"{regions[r]} {industries[i]}" for r, i in zip(*np.nonzero(rest))]
    if cells:
        parts.append(", ".join(cells[:5]) + (f" ... ({len(cells)} cells)" if len(cells) > 5 else ""))
    return (f"{n} cell{'s are' if n > 1 else ' is'} 0 in both {periods[0]} and {periods[-1]} "
            f"and not listed (nothing to explain: every component 0): {'; '.join(parts)}")


def _more_than_the_total(sel, panel, periods, regions) -> str | None:
    """The note for regions whose industries add up to more than their all-industry total in
    a period (NAICS 31-33 beside 31, 32, 33 in a generic table): that activity is counted twice
    in the region's base, change and benchmark, as indices says of the same table."""
    import numpy as np

    from clusterid.core import indices as ix

    found = []
    for t, p in enumerate(periods):
        seen = np.nansum(panel[t], axis=1)
        total = ix.reported_totals(sel, p, regions)
        over = np.flatnonzero((total > 0) & (seen > total * (1 + 1e-9)))
        found += [(p, regions[j], seen[j], total[j]) for j in over]
    if not found:
        return None
    shown = "; ".join(f"{r} {p}: {a:,.0f} of {b:,.0f}" for p, r, a, b in found[:3])
    return (f"in {len(found)} region-period{'s' if len(found) > 1 else ''} the industries add "
            f"up to more than the all-industry total ({shown}{' ...' if len(found) > 3 else ''}):"
            " some codes overlap (a NAICS sector range beside its sectors?) and count twice")


def _one_period_regions(d, regions, periods) -> str | None:
    """The note for regions with no row at all in some of the periods (a region created or
    renamed between them, as Kazakhstan's Абайская oblast in 2022, or a county file missing
    from a quarter): every cell of theirs is unobserved and left out of the benchmark, which
    the output shows only as observed = false -- said, not left to look like suppression."""
    from clusterid import schema

    listed: dict = {p: set() for p in periods}
    for p, r in d.select(schema.PERIOD, schema.REGION).unique().iter_rows():
        listed.setdefault(p, set()).add(r)
    partial = [r for r in regions if any(r not in listed[p] for p in periods)]
    if not partial:
        return None

    def where(r):
        absent = [p for p in periods if r not in listed[p]]
        return f"{r}: no rows in {', '.join(absent[:3])}{' ...' if len(absent) > 3 else ''}"

    shown = "; ".join(where(r) for r in partial[:5]) + (
        f" ... ({len(partial)} in all)" if len(partial) > 5 else "")
    n = len(partial)
    return (f"{n} region{'s have' if n > 1 else ' has'} rows in some periods only ({shown}): "
            f"{'their' if n > 1 else 'its'} cells are left out (observed false) and out of the "
            "benchmark; if regions were split, merged or renamed, map them to one set first")


def _unobserved_note(d, observed, listed, regions, periods, by) -> str | None:
    """The note for cells left out because a period's value is suppressed (or estimated
    without --use-estimated), in regions listed in every period: the output had them as
    ``observed`` false only, so a country whose first year is all withheld (Iceland's 2007 in
    REAT's EU table) was out of the benchmark and of every component without a word (lq and
    indices say so)."""
    import numpy as np

    from clusterid import schema

    # (a region without rows in some period is _one_period_regions' to say)
    counts = d.select(schema.PERIOD, schema.REGION).unique().group_by(schema.REGION).len()
    every = set(counts.filter(counts["len"] >= len(set(periods)))[schema.REGION].to_list())
    present = np.array([r in every for r in regions], dtype=bool)
    hidden = listed & ~observed & present[:, None]
    n = int(hidden.sum())
    if not n:
        return None
    whole = [regions[r] for r in np.flatnonzero(hidden.any(axis=1)
                                                 & ~(observed & listed).any(axis=1))]
    per = [(int(hidden[r].sum()), regions[r]) for r in np.flatnonzero(hidden.any(axis=1))]
    per.sort(key=lambda x: (-x[0], x[1]))
    shown = ", ".join(f"{r} {k}" for k, r in per[:5]) + (" ..." if len(per) > 5 else "")
    if by != "cell":  # the cells left out are _left_out_note's (said when most are)
        if not whole:
            return None
        return (f"{len(whole)} region{'s have' if len(whole) > 1 else ' has'} every cell "
                f"suppressed in {' or '.join(dict.fromkeys([periods[0], periods[-1]]))}: "
                f"{'their rows are' if len(whole) > 1 else 'its row is'} empty and out of "
                "the benchmark (" + ", ".join(whole[:5]) + (" ..." if len(whole) > 5 else "")
                + ")")
    said = (f"{n} cell{'s' if n > 1 else ''} of {int(listed.sum())} suppressed in "
            f"{' or '.join(dict.fromkeys([periods[0], periods[-1]]))} "
            f"{'are' if n > 1 else 'is'} left out of the components (observed false) and of "
            f"the benchmark ({shown})")
    if whole:
        said += (f"; {len(whole)} region{'s have' if len(whole) > 1 else ' has'} no cell left: "
                 + ", ".join(whole[:5]) + (" ..." if len(whole) > 5 else ""))
    return said


def _common(sel, span, p0, p1, n):
    from clusterid import schema

    return {"span": [span] * n, "period_from": [p0] * n, "period_to": [p1] * n,
            "measure": [sel.measure] * n, schema.OWNERSHIP: [sel.ownership] * n,
            schema.LEVEL: [sel.level] * n}


def _finish(df):
    import polars as pl

    from clusterid import schema

    # a -0.0 (an allocation of -(0 x g)) is written 0, not '-0.0', which a spreadsheet
    # shows as -0 (polars folds `x + 0.0` away, so the zero is put in)
    df = df.with_columns([pl.when(pl.col(c) == 0).then(pl.lit(0.0)).otherwise(pl.col(c))
                          .fill_nan(None).alias(c) for c, t in df.schema.items()
                          if t == pl.Float64])
    return df.with_columns(pl.col(schema.LEVEL).cast(pl.Int8))


def _cells_frame(sel, span, p0, p1, cells, regions, industries, observed, region_names,
                 industry_names, listed=None):
    import numpy as np
    import polars as pl

    from clusterid import schema

    nr, ni = observed.shape
    r = np.repeat(np.arange(nr), ni)
    i = np.tile(np.arange(ni), nr)
    base = cells["base"].ravel()
    final = cells["final"].ravel()
    keep = ~((base == 0) & (final == 0))  # no activity in either period: nothing to explain
    if listed is not None:
        keep &= listed.ravel()  # a row in no period: no cell (a region absent from one period)
    r, i = r[keep], i[keep]
    reg = np.array(regions, dtype=object)[r]
    ind = np.array(industries, dtype=object)[i]
    data = {**_common(sel, span, p0, p1, len(r)), schema.REGION: reg.tolist(),
            schema.REGION_NAME: [region_names.get(x) for x in reg],
            schema.INDUSTRY: ind.tolist(),
            schema.INDUSTRY_NAME: [industry_names.get(x) for x in ind],
            "observed": observed.ravel()[keep]}
    for key in ("base", "final", "change", "growth_national", "growth_industry",
                "national_share", "industry_mix", "regional_share", "homothetic_base",
                "competitive", "allocation", "new_industry"):
        data[key] = cells[key].ravel()[keep].astype(float)
    # typed, not inferred: with no cell to show (every cell 0 in both periods) the empty
    # columns were of type null and sorting the spans failed with an internal error
    text = ("span", "period_from", "period_to", "measure", schema.OWNERSHIP, schema.REGION,
            schema.REGION_NAME, schema.INDUSTRY, schema.INDUSTRY_NAME)
    return _finish(pl.DataFrame(data, strict=False, schema_overrides={
        **{c: pl.String for c in text}, "observed": pl.Boolean}))


def _regions_frame(sel, span, p0, p1, cells, regions, observed, region_names, listed=None):
    import numpy as np
    import polars as pl

    from clusterid import schema
    from clusterid.core import shiftshare as ss

    tot = ss.region_totals(cells)
    n = len(regions)
    data = {**_common(sel, span, p0, p1, n), schema.REGION: list(regions),
            schema.REGION_NAME: [region_names.get(x) for x in regions],
            "n_cells": tot["n_cells"].astype("int64"),
            "n_unobserved": (~observed & (True if listed is None else listed))
            .sum(axis=1).astype("int64")}
    # a sum over no observed cell is not data: empty, not 0; a region of published zeros
    # in both periods is (base, final, change and every component 0, not empty)
    nothing = (observed & (True if listed is None else listed)).sum(axis=1) == 0
    for key in ss.REGION_COMPONENTS:
        data[key] = np.where(nothing, np.nan, tot[key].astype(float))
    return _finish(pl.DataFrame(data, strict=False, nan_to_null=True))


def register(app: typer.Typer) -> None:
    app.command("shift-share", help=HELP)(shift_share_command)
