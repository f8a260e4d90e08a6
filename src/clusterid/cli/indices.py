"""``clusterid indices``: specialisation, concentration and variety indices.

Example::

    clusterid indices data/samples/qcew_utah_2016_counties.csv.gz -o indices.csv --level 2

Per region (``--by region``, default): Krugman and Hoover specialisation, Herfindahl (raw,
normalised, equivalent number), Shannon entropy, relative Theil, related and unrelated variety.
Per industry (``--by industry``): Hoover localisation, locational Gini, Ellison–Glaeser γ with
its z-test.  Per industry pair (``--by pair``): Ellison–Glaeser–Kerr coagglomeration.
Formulas and sources: ``clusterid.core.indices`` and METHODS.md §2.

Output columns (one row per period x region / industry / pair, sorted by those keys):

    period, region | industry | industry_a, industry_b, names
    measure, ownership, level     what the indices were computed on
    n_cells          cells in the row (industries of a region, regions of an industry)
    n_suppressed     of them not observed (suppressed; estimated ones too with --no-estimated)
    n_estimated      of them estimated values that were used
    observed_total   the measure summed over the observed cells
    missing_share    1 − observed_total / reported total, where the table reports the region's
                     all-industries total (regions) or the benchmark gives the industry's
                     total (industries, with -b region:ID or -b FILE with totals, e.g. the state
                     for its counties); empty when unknown
    region:   krugman, hoover_specialisation, herfindahl, herfindahl_normalised,
              herfindahl_equivalent_number, shannon_entropy, relative_theil,
              lq_gini (REAT's gini.spec: unweighted Gini of the region's LQs),
              related_variety, unrelated_variety (empty when the level is not below --group-level)
    industry: hoover_localisation, locational_gini (twice the area; EconGeo reports half),
              lq_gini (REAT's gini.conc: unweighted Gini of the industry's LQs),
              eg_G, eg_plant_herfindahl, eg_h_source, eg_gamma, eg_z, eg_p_value (one-sided,
              H0: random location of plants, γ = 0), eg_expected_G, eg_var_G
    pair:     coagglomeration, n_regions_common

Suppressed cells are never read as 0: every index uses the observed cells only (see
``clusterid.core.indices``); a region whose observed activity is one industry, the rest
suppressed, gets empty region indices.  Periods listing different industries are noted;
``--common-industries`` keeps the industries every period lists.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from clusterid.cli.options import (Estimated, Inputs, Output, OutputFormat, benchmark_records,
                                   one_region_note)

HELP = """Specialisation and concentration indices per region, industry or industry pair.

Example: clusterid indices data/samples/qcew_utah_2016_counties.csv.gz -o indices.csv --level 2

--by region (default): Krugman, Hoover specialisation, Herfindahl (raw, normalised, equivalent
number), Shannon entropy, relative Theil, related/unrelated variety.  --by industry: Hoover
localisation, locational Gini, Ellison-Glaeser gamma and z.  --by pair: EG coagglomeration.
Suppressed cells are left out, never read as 0; missing_share says how much is unseen.
"""

BY = ("region", "industry", "pair")
BENCHMARK_HELP = ("sum (of the input's regions, default) | rest (of nation) | region:ID (a region "
                  "of the input, left out of the rows) | FILE (reference table, as for lq).")


def _regions_like(lf, wanted: str) -> str:
    """'did you mean ...' for a region id (Bayrn -> Bayern) by id or name, else 'regions
    include' the first few ids, as lq says it (:func:`clusterid.core.indices.regions_like`)."""
    from clusterid import schema
    from clusterid.core.indices import regions_like

    cols = [c for c in (schema.REGION, schema.REGION_NAME) if c in lf.collect_schema().names()]
    pairs = lf.select(cols).unique().collect().sort(schema.REGION).rows()
    return regions_like(pairs, wanted)


def table_benchmark(spec: str, lf) -> str:
    """``-b region:ID`` with the ID as the input ``lf`` spells it ('region:de1' for 'DE1'),
    matched as --ownership and --period are (:func:`clusterid.core.indices.match_region`); any
    other spec, or an ID the input lacks (refused later with the nearest ids), as given."""
    import polars as pl

    from clusterid import schema
    from clusterid.core.indices import match_region

    from clusterid.cli.options import benchmark_spec

    spec = benchmark_spec(spec)  # 'REST', 'Region:49000' as the keywords
    if not spec.startswith("region:") or not spec[len("region:"):]:
        return spec
    wanted = spec[len("region:"):]
    have = lf.select(pl.col(schema.REGION).unique()).collect().to_series().to_list()
    return f"region:{match_region(wanted, have) or wanted}"


def _outside_note(one, sel, region: str, what: str) -> str | None:
    """``-b region:ID`` whose region does not hold the selected regions of a finer level of its
    scheme (:func:`clusterid.core.lq.outside_benchmark_note`, as lq says it).  ``one``: the
    benchmark region's rows."""
    import polars as pl

    from clusterid import schema
    from clusterid.core.lq import outside_benchmark_note

    if schema.REGION_LEVEL not in one.collect_schema().names() or sel.region_level is None:
        return None
    levels = (one.select(pl.col(schema.REGION_LEVEL).drop_nulls().unique()).collect()
              .to_series().to_list())
    if len(levels) != 1:
        return None
    regions = sel.detail.get_column(schema.REGION).unique().to_list()
    return outside_benchmark_note(region, levels[0], [(r, sel.region_level) for r in regions],
                                  what)


def load_table(path, ownership: str | None = None, measure=None):
    """Open INPUT as a canonical table (raw agency files are ingested on the fly, with the
    ownership ``--ownership`` asks for besides the total, and the indicator of the one measure
    ``--measure`` names where a raw table holds several)."""
    from clusterid.cli.options import one_measure, open_input

    return open_input(path, ownership=ownership, indicator_measure=one_measure(measure))


class Bench:
    """A benchmark spec as ``clusterid lq`` takes it, resolved for one Selection.

    :meth:`totals` gives, per period, ``E_i`` aligned to a Matrix's industries ((n_ind,) or
    (n_regions, n_ind) for ``rest``) and the benchmark total ``E`` (None: the sum of E_i).
    """

    def __init__(self, spec: str, lf=None, sel=None, path=None):
        self.spec = spec
        self.kind = None
        self.region = None
        self.file = None
        self.ref_sel = None
        self.ref = None
        self.shares_only = False
        from clusterid.cli.options import benchmark_choice, benchmark_spec

        self.spec = benchmark_spec(spec)
        self.kind, value = benchmark_choice(spec)
        if self.kind == "region":
            self.region = value
        elif self.kind == "table":
            self.kind = "file"
            self.file = value

    def one_region_note(self, sel) -> str | None:
        """The sum-of-regions benchmark of a table with one region is that region itself:
        every comparison with it is trivial (Krugman 0, LQ 1, regional share 0) -- said, not
        left to look like a finding."""
        from clusterid import schema

        regions = sel.detail[schema.REGION]
        if self.kind == "rest" and len(regions) and regions.n_unique() == 1:
            # the rest of the nation of the only region is nothing: every index or component
            # against it came out empty without a word
            return (f"one region ({regions[0]}): with -b rest its rest of the nation is empty, "
                    "so every comparison with it is empty; give -b/--benchmark FILE (e.g. the "
                    "national table)")
        if self.kind != "sum":
            return None
        return one_region_note(sel.detail[schema.REGION], "every comparison with it is trivial")

    @property
    def exclude(self):
        return (self.region,) if self.kind == "region" else ()

    def resolve(self, lf, sel, ownership: str | None = None, what: str = "indices") -> None:
        """Read what the benchmark needs (after the input's rows were selected); a raw
        reference file is read with the ``ownership`` the user asked for besides the total.
        ``what``: what the command computes against the benchmark, for its notes."""
        import polars as pl

        from clusterid import schema
        from clusterid.core import indices as ix
        from clusterid.errors import UsageError

        self.sel = sel
        if self.kind == "region":
            one = lf.filter(pl.col(schema.REGION) == self.region)
            if one.select(pl.len()).collect().item() == 0:
                raise UsageError(f"--benchmark region:{self.region}: no such region in the input "
                                 f"({_regions_like(lf, self.region)})")
            # a period the region has no row in: "<input>: period not in the table (found
            # '2016')" blamed the table, which has it
            have = set(one.filter(pl.col(schema.OWNERSHIP) == sel.ownership)
                       .select(schema.PERIOD).unique().collect().to_series().to_list())
            lacking = [p for p in sel.periods if p not in have]
            if lacking:
                raise UsageError(f"--benchmark region:{self.region}: no rows of ownership "
                                 f"{sel.ownership!r} in period {', '.join(lacking)} (it has "
                                 f"{', '.join(sorted(have)) or 'none'}); choose another "
                                 "benchmark, or the periods it has")
            self.ref_sel = ix.select_rows(one, sel.measure, level=sel.level,
                                          ownership=sel.ownership, periods=sel.periods,
                                          path=f"--benchmark region:{self.region}")
            # finer regions (Utah's counties) compared with a region that does not hold them
            # (Oregon): lq said so, indices and shift-share did not
            note = _outside_note(one, sel, self.region, what)
            if note and note not in sel.notes:
                sel.notes = [*sel.notes, note]
        elif self.kind == "file":
            from clusterid.core import lq as core_lq

            from clusterid.cli.options import open_benchmark, raw_ownership
            from clusterid.io.ingest import IngestOptions

            ref = open_benchmark(self.file, IngestOptions(**raw_ownership(ownership)))
            out, keys, shares_only = core_lq.normalise_reference(ref, [sel.measure], "total",
                                                                 self.file)
            df = out.collect() if hasattr(out, "collect") else out
            if core_lq.MEASURE in keys:
                df = df.filter(pl.col(core_lq.MEASURE) == sel.measure)
            if schema.OWNERSHIP in keys:
                df = df.filter(pl.col(schema.OWNERSHIP) == sel.ownership)
            if df.height == 0:
                raise UsageError(f"{self.file}: the reference has no rows for measure "
                                 f"{sel.measure!r}, ownership {sel.ownership!r}")
            self.ref = df
            self.ref_keys = keys
            self.shares_only = shares_only

    def totals(self, m, period: str):
        """(E_i, E, shares_only) for Matrix ``m`` of ``period``."""
        import numpy as np
        import polars as pl

        from clusterid import schema
        from clusterid.core import indices as ix
        from clusterid.core import lq as core_lq
        from clusterid.errors import UsageError

        if self.kind in ("sum", "rest"):
            E_i = ix.benchmark_industry_totals(m, self.kind)
            return E_i, None, False
        if self.kind == "region":
            ref_m = ix.period_matrix(self.ref_sel, period)
            E_i = ix.benchmark_industry_totals(m, "region", ref_m, self.region)
            # E: the region's known cells (its suppressed ones are nan in E_i, not 0)
            return E_i, float(np.nansum(E_i)), False
        df = self.ref
        if schema.PERIOD in self.ref_keys:
            df = df.filter(pl.col(schema.PERIOD) == period)
            if df.height == 0:
                raise UsageError(f"{self.file}: the reference has no rows for period {period!r}")
        col = core_lq.BENCHMARK_SHARE if self.shares_only else core_lq.BENCHMARK_INDUSTRY_TOTAL
        lookup = dict(zip(df.get_column(schema.INDUSTRY).to_list(), df.get_column(col).to_list()))
        E_i = np.array([np.nan if lookup.get(k) is None else lookup[k] for k in m.industries],
                       dtype=float)
        E = None
        if not self.shares_only:
            here = df.filter(pl.col(schema.INDUSTRY).is_in(m.industries))
            tot = here.get_column(core_lq.BENCHMARK_TOTAL).drop_nulls().unique().to_list()
            E = float(tot[0]) if len(tot) == 1 else None
        return E_i, E, self.shares_only


def indices_command(
    inputs: Inputs,
    output: Output = "-",
    measure: Annotated[Optional[list[str]], typer.Option(
        "--measure", "-m", help="employment, establishments, wages, output, or all (every "
        "measure the table carries); repeat, or comma-separated, for several.",
        show_default="employment")] = None,
    level: Annotated[Optional[int], typer.Option(
        "--level", help="Industry level to use (NAICS digits 2-6; NACE 1-4); default the "
        "deepest.")] = None,
    by: Annotated[str, typer.Option("--by", help="region, industry or pair.")] = "region",
    ownership: Annotated[Optional[str], typer.Option(
        "--ownership", help="Ownership to use; default 'total' where it has industries "
                            "at the level used, else 'private', else the only one.")] = None,
    region_level: Annotated[Optional[str], typer.Option(
        "--region-level", help="Region level to use (state, county ...); default the most "
        "common.")] = None,
    period: Annotated[Optional[list[str]], typer.Option(
        "--period", help="Period(s) to compute (repeat, or comma-separated); default "
        "all.")] = None,
    benchmark: Annotated[str, typer.Option(
        "--benchmark", "-b", help="S_i for Krugman/Theil and missing shares: "
        + BENCHMARK_HELP)] = "sum",
    group_level: Annotated[Optional[int], typer.Option(
        "--group-level", help="Level of the groups for related/unrelated variety (default "
        "NAICS 2, NACE 1).")] = None,
    estimated: Estimated = True,
    common_industries: Annotated[bool, typer.Option(
        "--common-industries", help="Use only the industries every chosen period lists, so "
        "that periods compare over the same industries.")] = False,
    output_format: OutputFormat = "auto",
) -> None:
    """Specialisation and concentration indices.

    Example: clusterid indices data/samples/qcew_utah_2016_counties.csv.gz -o indices.csv --level 2
    """
    from clusterid.cli import console
    from clusterid.core import indices as ix
    from clusterid.errors import UsageError
    from clusterid.io import tables
    from clusterid.cli.options import input_label, input_records_of, unread_ownerships

    from clusterid.cli.options import keyword

    input_path = input_label(inputs)
    by = keyword(by)  # --by Region: the keywords in any case
    if by not in BY:
        raise UsageError(f"unknown --by {by!r}; expected one of {', '.join(BY)}")
    if group_level is not None and by != "region":
        # the groups of related and unrelated variety, region indices: ignored without a word
        # by the industry and pair indices, which group nothing
        raise UsageError(f"--group-level {group_level} applies to --by region (the groups of "
                         f"related and unrelated variety); --by {by} has no groups: leave it out")
    import polars as pl

    bench = Bench(benchmark)
    tables.output_format(output, output_format)
    if period is not None:  # '2016Q1,2016Q2' as lq takes it ('' stays a period to refuse)
        from clusterid.cli.options import option_values

        period = option_values(period) or [""]
    lf, _meta = load_table(inputs, ownership, measure)
    benchmark = table_benchmark(benchmark, lf)
    frames, chosen, notes = [], [], []
    for one in measures_of(lf, measure):
        bench = Bench(benchmark)
        sel = ix.select_rows(lf, one, level=level, ownership=ownership,
                             region_level=region_level, periods=period, path=input_path,
                             exclude_regions=bench.exclude,
                             unread_ownerships=unread_ownerships(_meta))
        sel.notes = [*sel.notes, *filter(None, [bench.one_region_note(sel),
                                                _one_industry_note(sel, by)])]
        for note in sel.notes:
            if note not in notes:
                console.info(f"indices: {note}")
                notes.append(note)
        if group_level is not None and by == "region" and sel.level is None:
            # codes of no classification have no parents: related variety stayed empty for
            # every region, without a word
            raise UsageError(f"--group-level {group_level}: the industry codes have no level "
                             "(a custom classification), so no parent groups for related and "
                             "unrelated variety; leave --group-level out")
        if group_level is not None and by == "region" and not (
                1 <= group_level < (sel.level if sel.level is not None else 99)):
            # groups at or below the industries' own level hold one industry each: related
            # variety would be empty for every region, without a word
            top = (sel.level or 2) - 1
            raise UsageError(f"--group-level {group_level}: expected a level of parent codes "
                             + (f"from 1 to {top}" if top >= 1 else "(there is none)")
                             + f" for industries at level {sel.level}")
        bench.resolve(lf, sel, ownership)
        if common_industries:
            _keep_common_industries(sel)
        else:
            sel.notes = [*sel.notes, *filter(None, [_coverage_note(sel)])]
        frames.append(compute(sel, by=by, bench=bench, group_level=group_level,
                              use_estimated=estimated))
        for note in sel.notes:  # what compute found
            if note not in notes:
                console.info(f"indices: {note}")
                notes.append(note)
        chosen.append(sel.describe())
    frame = pl.concat(frames, how="vertical")
    records = input_records_of(inputs)  # a glob or archive: each file
    if bench.file:
        records.extend(benchmark_records(bench.file))
    meta = tables.base_metadata(
        "indices", inputs=records,
        options={"by": by, "benchmark": benchmark, "group_level": group_level,
                 "use_estimated": estimated, "measure": measure_label(measure),
                 "common_industries": common_industries, "selections": chosen},
        notes=notes)
    tables.write_frame(frame, output, meta, output_format)
    if output != tables.STDIO:
        console.info(f"indices: {frame.height} rows ({by}) -> {output}")


def measures_of(lf, measure) -> list:
    """The measures ``--measure`` names (None: employment; repeated or comma-separated, in
    any case; ``all`` every measure the table carries), each one the table has."""
    from clusterid import schema
    from clusterid.cli.options import measure_values
    from clusterid.errors import UsageError

    present = schema.measures_in(lf.collect_schema().names())
    if not present:
        raise UsageError("the table carries no measure (employment, establishments, wages, output)")
    return measure_values(measure or ["employment"], present, every=True)


def measure_label(measure) -> str:
    """``--measure`` as the metadata records it: the values given, comma-joined."""
    return ",".join(measure) if measure else "employment"


def compute(sel, *, by: str = "region", bench: Bench | None = None, group_level=None,
            use_estimated: bool = True):
    """All periods of a Selection -> one polars frame of indices (the command's output)."""
    import polars as pl

    if bench is None:
        bench = Bench("sum")
    frames = [_one_period(sel, p, by, bench, group_level, use_estimated) for p in sel.periods]
    out = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    return out


def _default_group_level(classification: str):
    from clusterid import schema

    return {schema.NAICS: 2, schema.NACE: 1, schema.NACE_R11: 1}.get(classification)


def _region_sizes(sel, period, m):
    """The regions' sizes e_j for the industry and pair indices (their reported totals, see
    ``core.indices.region_sizes``); a note where some region has none and suppressed cells
    leave its size short."""
    from clusterid.core import indices as ix

    sizes, fallback = ix.region_sizes(sel, period, m)
    if fallback:
        # said once, not once per period of a panel
        sel.notes = [*sel.notes, (
            "regions without a reported all-industries total take the sum of their published "
            "cells as their size in the industry indices, which leaves their suppressed cells "
            "out")]
    return sizes


def _one_period(sel, period, by, bench, group_level, use_estimated):
    import numpy as np
    import polars as pl

    from clusterid import schema
    from clusterid.core import indices as ix

    m = ix.period_matrix(sel, period, use_estimated=use_estimated)
    n_regions, n_ind = m.values.shape
    common = {schema.PERIOD: [period], "measure": [sel.measure], schema.OWNERSHIP: [sel.ownership],
              schema.LEVEL: [sel.level]}

    def consts(n):
        return {k: pl.repeat(v[0], n, eager=True, dtype=pl.Int8 if k == schema.LEVEL
                             else pl.String) for k, v in common.items()}

    n_sup_cells = ~m.observed
    # rows with no observed cell at all (every cell suppressed) get empty indices: said, as a
    # region with one observed industry is, not left as a row of blanks with nothing on stderr
    unseen = ~m.observed.any(axis=1 if by == "region" else 0)
    if by in ("region", "industry") and unseen.any():
        names = [(m.regions if by == "region" else m.industries)[k]
                 for k in np.flatnonzero(unseen)]
        one = len(names) == 1
        what = by if one else ("regions" if by == "region" else "industries")
        note = (f"{period}: {len(names)} {what} ({', '.join(names[:5])}"
                f"{' ...' if len(names) > 5 else ''}) {'has' if one else 'have'} every cell "
                f"suppressed: {'its' if one else 'their'} {by} indices are empty")
        sel.notes = [*sel.notes, note]
    # rows observed but 0 throughout (a region or industry with no activity published): every
    # share is 0 / 0 and the indices are empty, as lq's 'zero region total' -- said, not left
    # as a row of blanks (a table of zeros wrote two empty rows, exit 0, nothing on stderr)
    axis = 1 if by == "region" else 0
    idle = (m.observed.any(axis=axis)
            & (np.where(m.observed, m.values, 0.0) == 0).all(axis=axis))
    if by in ("region", "industry") and idle.any():
        names = [(m.regions if by == "region" else m.industries)[k] for k in np.flatnonzero(idle)]
        one = len(names) == 1
        what = by if one else ("regions" if by == "region" else "industries")
        sel.notes = [*sel.notes, (
            f"{period}: {len(names)} {what} ({', '.join(names[:5])}"
            f"{' ...' if len(names) > 5 else ''}) {'has' if one else 'have'} {sel.measure} 0 in "
            f"every published cell: {'its' if one else 'their'} {by} indices are empty (no "
            "shares of nothing)")]
    if by == "region":
        E_i, _E, _shares = bench.totals(m, period)
        if bench.kind in ("sum", "rest") and not m.observed[m.observed.any(axis=1)].all():
            # as lq says of its sum benchmark: the industries' benchmark totals are sums of
            # their published cells, lower bounds where a region's cell is suppressed (said
            # once, not once per period)
            sel.notes = [*sel.notes, (
                "suppressed cells are left out of the sum-of-regions benchmark's industry "
                "totals, so the industries they hide weigh too little in the benchmark shares "
                "behind krugman, hoover_specialisation, relative_theil and lq_gini; -b FILE or "
                "-b region:ID with published totals avoids it")]
        lacking = ~np.isfinite(E_i)
        if lacking.any():
            # an industry the benchmark does not know has no S_i: leave it out, say so (with
            # the period, once, and in the metadata's notes)
            n = int(lacking.sum())
            names = [m.industries[i] for i in np.flatnonzero(lacking)[:5]]
            sel.notes = [*sel.notes, (
                f"{period}: {n} industr{'y has' if n == 1 else 'ies have'} no benchmark value "
                f"and {'is' if n == 1 else 'are'} left out of krugman, relative_theil and "
                f"lq_gini ({', '.join(names)}{' ...' if n > 5 else ''})")]
        gl = group_level if group_level is not None else _default_group_level(sel.classification)
        groups = None
        if gl is not None and sel.level is not None and sel.level > gl:
            groups = ix.group_codes(m.industries, sel.classification, gl)
        res = ix.region_indices(m, benchmark_shares=E_i, groups=groups)
        thin = ix.one_known_industry(m.values, m.observed) & (m.filled.sum(axis=1) > 0)
        if thin.any():
            names = [m.regions[j] for j in np.flatnonzero(thin)]
            one = len(names) == 1
            note = (f"{period}: {len(names)} region{'' if one else 's'} "
                    f"({', '.join(names[:5])}{' ...' if len(names) > 5 else ''}) "
                    f"show{'s' if one else ''} activity in one industry only, the rest "
                    f"suppressed: {'its' if one else 'their'} mix is unknown, so "
                    f"{'its' if one else 'their'} region indices are empty (not 'wholly "
                    "specialised')")
            sel.notes = [*sel.notes, note]
        if groups is None:
            res["related_variety"] = np.full(n_regions, np.nan)
            res["unrelated_variety"] = np.full(n_regions, np.nan)
        # nothing observed sums to unknown, not to 0 (a region with every cell suppressed)
        obs_total = np.where(m.observed.any(axis=1), m.filled.sum(axis=1), np.nan)
        rep = ix.reported_totals(sel, period, m.regions)
        with np.errstate(divide="ignore", invalid="ignore"):
            # float noise is 0: a total of thirds (QCEW's mean of three months) left 2.2e-16
            # unseen in Alaska's fully disclosed sectors, which reads as something missing
            miss = ix._zero_noise(np.where(rep > 0, np.clip(1.0 - obs_total / rep, 0.0, 1.0),
                                           np.nan))
            # more seen than the region's total (NAICS 31-33 beside 31, 32, 33: manufacturing
            # twice): the clip above showed missing_share 0, as if all were well -- said; not
            # the imputation's tolerance (a table from `clusterid impute`: 124.000002 of 124)
            over = np.flatnonzero((rep > 0) & (obs_total > rep * (1 + 1e-6) + 1e-3))
        if over.size:
            shown = "; ".join(f"{m.regions[j]}: {obs_total[j]:,.0f} of {rep[j]:,.0f}"
                              for j in over[:3])
            sel.notes = [*sel.notes, (
                f"{period}: in {over.size} region{'s' if over.size > 1 else ''} the industries "
                f"add up to more than the all-industry total ({shown}"
                f"{' ...' if over.size > 3 else ''}): some codes overlap (a NAICS sector range "
                "beside its sectors?) and the indices count that activity twice")]
        data = {**consts(n_regions), schema.REGION: m.regions,
                schema.REGION_NAME: [m.region_names.get(r) for r in m.regions],
                "n_cells": np.full(n_regions, n_ind), "n_suppressed": n_sup_cells.sum(axis=1),
                "n_estimated": m.estimated.sum(axis=1),
                "observed_total": obs_total, "missing_share": miss, **res}
        order = [schema.PERIOD, schema.REGION]
    elif by == "industry":
        n_plants = None
        h_source = None
        if sel.measure == schema.ESTABLISHMENTS:
            n_plants = m.filled.sum(axis=0)
            h_source = "establishment_count_exact"
        elif sel.has_establishments:
            n_plants = ix.observed_plants(sel, period, m)
            h_source = "establishment_count_lower_bound"
        sizes = _region_sizes(sel, period, m)
        res = ix.industry_indices(m, n_plants=n_plants, region_totals=sizes)
        # an industry suppressed in every region has no observed total (it was written 0.0)
        obs_total = np.where(m.observed.any(axis=0), m.filled.sum(axis=0), np.nan)
        miss = np.full(n_ind, np.nan)
        if bench.kind in ("file", "region") and not bench.shares_only:
            E_i, _E, _shares = bench.totals(m, period)
            with np.errstate(divide="ignore", invalid="ignore"):
                miss = ix._zero_noise(np.where(E_i > 0, np.clip(1.0 - obs_total / E_i, 0.0, 1.0),
                                               np.nan))
        hs = [h_source if np.isfinite(h) else None for h in res["eg_plant_herfindahl"]]
        data = {**consts(n_ind), schema.INDUSTRY: m.industries,
                schema.INDUSTRY_NAME: [m.industry_names.get(i) for i in m.industries],
                "n_cells": np.full(n_ind, n_regions), "n_suppressed": n_sup_cells.sum(axis=0),
                "n_estimated": m.estimated.sum(axis=0),
                "observed_total": obs_total, "missing_share": miss,
                "hoover_localisation": res["hoover_localisation"],
                "locational_gini": res["locational_gini"], "lq_gini": res["lq_gini"],
                "eg_G": res["eg_G"],
                "eg_plant_herfindahl": res["eg_plant_herfindahl"], "eg_h_source": hs,
                "eg_gamma": res["eg_gamma"], "eg_z": res["eg_z"],
                "eg_p_value": res["eg_p_value"], "eg_expected_G": res["eg_expected_G"],
                "eg_var_G": res["eg_var_G"]}
        order = [schema.PERIOD, schema.INDUSTRY]
    else:
        C = ix.coagglomeration_matrix(m.values, m.observed,
                                      region_totals=_region_sizes(sel, period, m))
        Mo = m.observed.astype(np.float32)
        common_n = (Mo.T @ Mo).astype(np.int64)
        a, b = np.triu_indices(n_ind, k=1)
        inds = pl.Series(m.industries, dtype=pl.String)
        data = {**consts(len(a)), "industry_a": inds.gather(a), "industry_b": inds.gather(b),
                "coagglomeration": C[a, b], "n_regions_common": common_n[a, b]}
        order = [schema.PERIOD, "industry_a", "industry_b"]
    df = pl.DataFrame(data, strict=False)
    df = df.with_columns([pl.col(c).fill_nan(None) for c, t in df.schema.items()
                          if t in (pl.Float64, pl.Float32)])
    df = df.with_columns(pl.col(schema.LEVEL).cast(pl.Int8))
    if "n_suppressed" in df.columns:
        df = df.with_columns([pl.col(c).cast(pl.Int64) for c in ("n_cells", "n_suppressed",
                                                                  "n_estimated")])
    if by == "pair":
        return df  # already in (industry_a, industry_b) order: labels sorted, upper triangle
    return df.sort(order)


def _industries_by_period(sel) -> dict:
    from clusterid import schema

    d = sel.detail.select(schema.PERIOD, schema.INDUSTRY).unique()
    return {p: set(d.filter(d[schema.PERIOD] == p)[schema.INDUSTRY].to_list())
            for p in sel.periods}


def _coverage_note(sel) -> str | None:
    """Periods listing different industries (a year whose table stops at fewer codes, a
    classification revision): each period's indices are over its own industries (n_cells),
    so a change in entropy or Herfindahl between them mixes coverage with structure."""
    sets = _industries_by_period(sel)
    if len(sets) < 2:
        return None
    common = set.intersection(*sets.values())
    if all(len(v) == len(common) for v in sets.values()):
        return None
    some = sorted(set.union(*sets.values()) - common)
    counts = ", ".join(f"{p}: {len(v)}" for p, v in sets.items())
    return (f"the periods list different industries ({counts}; {len(some)} in some periods "
            f"only: {', '.join(some[:5])}{' ...' if len(some) > 5 else ''}): each period's "
            "indices are over its own industries, so their change between periods mixes "
            "coverage with structure; --common-industries compares over the industries all "
            "periods list")


def _keep_common_industries(sel) -> None:
    """Cut the Selection to the industries every period lists (``--common-industries``)."""
    import polars as pl

    from clusterid import schema

    sets = _industries_by_period(sel)
    common = set.intersection(*sets.values()) if sets else set()
    dropped = sorted(set.union(*sets.values()) - common) if sets else []
    if not common:
        from clusterid.errors import UsageError

        raise UsageError("--common-industries: no industry is listed in every period ("
                         + ", ".join(sorted(sets)) + ")")
    if dropped:
        sel.detail = sel.detail.filter(pl.col(schema.INDUSTRY).is_in(sorted(common)))
        sel.cache.clear()
        sel.notes = [*sel.notes, f"--common-industries: {len(common)} industries listed in "
                     f"every period kept, {len(dropped)} left out "
                     f"({', '.join(dropped[:5])}{' ...' if len(dropped) > 5 else ''})"]


def _one_industry_note(sel, by: str) -> str | None:
    """A region's specialisation over a single industry is trivial (Herfindahl 1, Krugman 0,
    entropy 0: "wholly specialised" whatever the region's economy): said, not left to look
    like a finding (a table cut to one industry and its total, as a user extracts one)."""
    from clusterid import schema

    if by == "industry" or schema.INDUSTRY not in sel.detail.columns:
        return None
    codes = sel.detail[schema.INDUSTRY].unique().to_list()
    if len(codes) != 1:
        return None
    if by == "pair":  # the output is empty, and exit 0: said why
        return (f"one industry ({codes[0]}) at level {sel.level}: there is no pair of "
                "industries to compare, so the output has no rows; add the other industries "
                "of the level")
    return (f"one industry ({codes[0]}) at level {sel.level}: every region's specialisation "
            "over it is trivial (Herfindahl 1, Krugman 0), whatever the rest of its economy; "
            "add the other industries of the level")


def register(app: typer.Typer) -> None:
    app.command("indices", help=HELP)(indices_command)
