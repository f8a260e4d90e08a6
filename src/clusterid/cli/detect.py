"""``clusterid detect``: clusters of related industries, and each region's strong clusters.

Example::

    clusterid detect data/samples/qcew_utah_2016_counties.csv.gz -o out/ --definitions uscmp

One command runs ingest -> (impute) -> location quotients -> relatedness -> grouping ->
regional strength, as calls into the same core functions the separate subcommands use.
With ``--definitions uscmp|FILE`` the grouping step is skipped and the benchmark
definitions are used instead.  ``--compare uscmp`` adds ARI / AMI and both partitions'
validation scores.

Output folder (all tables staged in full, then renamed into place, ``metadata.json`` last; a
failed run leaves the previous folder as it was; same input and options
-> byte-identical files; floats written with 6 decimals; booleans
``true``/``false``; missing values are empty cells — never 0)
=============================================================================================

``clusters.csv`` — industry -> cluster, one row per industry, sorted by cluster order then
industry code:

    industry            industry code (as in the input)
    industry_name       title when known
    cluster_id          cluster identifier (string; USCMP: "1".."51" traded, "101".."116" local)
    cluster_name        readable name (data-driven: from its core industries' titles)
    cluster_type        traded | local | unknown
    core                true when the industry is a core member (benchmark definitions: true)
    coassignment        stability across seeded re-runs: mean share of the industry's final
                        cluster-mates that share its cluster in a re-run (data-driven only;
                        empty for benchmark definitions)
    similarity_own      mean similarity to the other members of its cluster (empty when no
                        similarity was computed)
    similarity_other    highest mean similarity to any other cluster
    source              data:dps | data:leiden | uscmp | file
    benchmark_cluster_id, benchmark_cluster_name   only with --compare: the industry's cluster
                        in the benchmark definitions (empty when the benchmark lacks it)

``cluster_summary.csv`` — one row per cluster, same order as clusters.csv:

    cluster_id, cluster_name, cluster_type
    n_industries        members in the definitions
    n_core              core members
    core_industries     "; "-joined codes of the core members
    n_industries_data   members present in the input at --level
    employment          total over the regions of the last period at the region_level with
                        the most regions (a state and its counties are not added together);
                        empty when no member value is known
    employment_status   reported (every region's is) | suppressed (every region's is) |
                        partial: with --suppressed drop a lower bound, else holding
                        estimates (see regional_clusters.csv)
    establishments      likewise
    wages               likewise where every region's wages_status is reported or estimated;
                        else empty (with --suppressed drop or bounds wages are not imputed: a
                        sum missing unpublished cells would read as complete)
    n_regions           regions with cluster employment > 0 (last period)
    n_strong            regions where the cluster is strong under --rule (last period; a
                        call the data cannot decide, strong empty, is not counted)
    top_regions         "; "-joined region codes where it is strongest (up to 5, by
                        rank_in_cluster among the strong ones; a region without a known LQ
                        has no rank and is not listed)
    within_similarity   mean pairwise similarity of its members (empty without similarity)
    vs_industry         share of its members passing the DPS VS-Industry test (Delgado,
                        Porter & Stern 2016; clusterid.core.validation.vs_industry)
    mean_coassignment   mean of the members' coassignment (data-driven only)

``regional_clusters.csv`` — one row per period x region x cluster with at least one member
industry present in the region, sorted by period, region, rank_in_region (the unranked rows
last, in cluster order):

    period, region, region_name, region_level
    cluster_id, cluster_name, cluster_type
    employment          sum of the members' employment (reported + estimated; with
                        --suppressed drop, suppressed cells are left out: see n_suppressed;
                        it counts published cells only, and can be below employment_lower
                        where employment_status is partial: the bounds bracket the true total;
                        with bounds, a suppressed cell counts at a point inside its bounds
                        that keeps the industry adding-up: suppressed siblings make up their
                        parent's published remainder; the midpoint where no parent is known)
    employment_lower, employment_upper   sum of the members' bounds (reported cells count
                        their value; upper empty when a suppressed cell has no upper bound)
    employment_status   reported | partial (some member cells suppressed or estimated) |
                        suppressed (no member value known)
    n_industries        member cells present;  n_suppressed  of which suppressed/estimated
    establishments, wages   sums over the member cells with a value; with --suppressed
                        impute suppressed wages (QCEW hides them with employment) are imputed
                        as employment is (prior: the cell's jobs x the industry's wage per
                        job; inside their bounds, adding up); with drop or bounds they are
                        left out, so wages cover fewer cells than employment
    wages_status        reported | estimated (every member cell's wages known, some imputed)
                        | partial (some member cells' wages unpublished: wages is the sum of
                        the others, a lower bound) | suppressed (none known: wages empty);
                        wages / employment is a wage per job where wages_status is reported
                        or estimated and employment covers the same cells (--suppressed
                        impute, or employment_status reported)
    region_employment   the region's total employment (all industries; the all-ownership
                        total when the input has one, as BLS)
    share               employment / region_employment
    lq                  cluster LQ = (employment / D_region) / (sum over regions of the same
                        region_level of employment / sum of D), D given by lq_denominator
    lq_denominator      traded (traded clusters, USCMP convention: D = the region's employment
                        in all traded clusters) | local (D = local-cluster employment) | total
                        (D = region_employment; clusters of unknown type, the only cluster
                        of its type in the input, and every cluster with --lq-denominator
                        total or when auto chose it)
    lq_ci_lower, lq_ci_upper   95% interval, delta method on ln LQ with Poisson counts, the
                        benchmark containing the region (as clusterid.core.lq); empty when
                        employment is 0; lq_ci_upper empty where it exceeds any float
                        (employment far below one job: the interval is open above)
    lq_min, lq_max      robustness: the lowest / highest LQ the suppression bounds allow,
                        every suppressed cell free at once (this cell's, the cluster's cells
                        in the other regions, which make its benchmark sum, and with a traded
                        (local) denominator every other cluster's), each at the end of its
                        bounds that lowers (raises) the LQ; published region totals fixed;
                        lq_max empty when a bound it needs is open
    employment_growth   last period / first period - 1 (rows of the last period, when the
                        input has several periods; else empty), over the member cells with a
                        value in both periods: a cell suppressed in either is left out of
                        both sums (its disclosure changing is no growth); the first period
                        of the last one's frequency (annual averages beside quarters: from
                        the first quarter, never from a year's average)
    lq_change           lq last period - lq first period (idem): the two LQs as written,
                        each over the cells known in its period (with --suppressed drop a
                        cell's disclosure changing moves it; impute compares like with like)
    uscmp_tier          top10 | strong | significant | qualifying | none  (uscmp-strong rule,
                        quantiles over regions of the same region_level and period with
                        employment > 0; numpy linear quantiles); empty where the data cannot
                        decide it (as strong)
    stars               0-3, European Cluster Observatory stars (size, specialisation, focus);
                        empty when one of them is
    star_size, star_specialisation, star_focus   the three stars as true/false; empty where
                        the value a star reads is unknown
    strong              true/false under the rule chosen with --rule; empty where the data
                        cannot decide it (a condition on an unknown value: the LQ and
                        employment of a cluster whose member cells are all suppressed under
                        --suppressed drop, a region without a total); a condition failed on
                        known values still says false
    strong_robust       strong, and still strong with lq_min and employment_lower (false
                        where strong is empty but the low end of the bounds fails the rule)
    strong_reason       why strong is empty: every member cell suppressed | no region total |
                        no LQ (zero region total, denominator or benchmark) | establishments
                        unknown | a value the rule reads is unknown; empty where it is not
    rank_in_region      1 = the region's strongest cluster (strong first, then the calls the
                        data cannot decide, then by LQ)
    rank_in_cluster     1 = the region where the cluster is strongest, among regions of the
                        same region_level and period (strong first, then undecided, then by
                        LQ)
                        Both rank the rows with a known LQ only: where lq is empty (every
                        member cell suppressed with --suppressed drop, no denominator or
                        benchmark) both ranks are empty, not last

``relatedness.csv`` — only when a similarity was computed: for each industry its 10 most similar
industries, as pairs ``industry_a < industry_b``, columns ``industry_a, industry_b,
similarity`` (combined similarity in [0, 1]), sorted by industry_a, industry_b.

``region_summary.csv`` — one row per period x region, sorted by period, region:

    period, region, region_name, region_level
    region_employment       total employment
    traded_employment       employment in traded clusters
    traded_employment_status    reported | partial | suppressed: the traded clusters'
                            employment_status summed up (partial with --suppressed drop: a
                            lower bound, and cluster_strength rests on it)
    strong_traded_employment    employment in strong traded clusters; empty when a traded
                            cluster with known jobs has a call the data cannot decide
    cluster_strength        strong_traded_employment / traded_employment (USCMP)
    n_strong                number of strong clusters (undecided calls not counted)
    strong_clusters         "; "-joined cluster ids, by rank_in_region (any without a
                            known LQ after the ranked ones, in cluster order)
    rd_employment, rd_lq    knowledge base: research and development (NAICS 5417 / NACE M72),
                            LQ against region_employment and the same level's regions
    higher_ed_employment, higher_ed_lq   higher education (NAICS 6113 / NACE P85.4)
                            (a region without the code's row: the sum of the parts it lists,
                            541711, 541712 ...; empty when one of them is suppressed)

``metadata.json`` — kind "detect", tool and schema version, every option (defaults included),
inputs with sha256, random_state, the rule and its parameters, the LQ denominators, the
quantile definition, per-file row counts and sha256, and with --compare a ``compare`` block:
``{"benchmark": "uscmp", "benchmark_vintage": "2012", "ari": .., "ami": .., "n_industries": ..,
"data": {"n_clusters": .., "vs_industry": .., "vs_cluster": ..}, "benchmark_scores":
{"n_clusters": .., "vs_industry": .., "vs_cluster": ..}}`` (over the industries both partitions
and the similarity matrix share).  Other blocks: ``input`` (ingest provenance), ``suppression``
(bounds / imputation summary), ``relatedness`` (signals, weights, coverage), ``grouping``
(method, parameters, validation sweep), ``definitions`` (name, vintage, notes), ``strength``
(rule, LQ denominator used and why, interval, quantile definition,
``regions_with_lower_bound_total``: "period region" of the regions whose total is the sum of
their published industries; ``regions_without_total``: those with no published industry
and no total), ``left_out_overlapping_aggregates`` ({NACE code: why}),
``unlisted_parts_read_as_suppressed`` (rows added for the parts of an aggregate a region lists
alone), ``notes`` (one region; a deepest level that details part of the economy only; a table of
several QCEW quarters, as ``clusterid ingest`` writes by default, where detect reads a raw
file as the year).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Optional

import typer

# detect's output folder is written and recognised in io (write_outputs is imported from here too)
from clusterid.io.detect_folder import OUTPUT_FILES, write_outputs
from clusterid.io.detect_folder import refuse_replacing_others_files as _refuse_replacing_others_files

HELP = """Find clusters of related industries and the regions where they are strong.

Example: clusterid detect data/samples/qcew_utah_2016_counties.csv.gz -o out/utah --definitions uscmp

Runs ingest -> (impute) -> relatedness -> grouping -> regional strength on INPUT (a raw agency
file or a canonical table; several files, a quoted glob or a zip are one input) and writes into
OUTDIR: clusters.csv (industry -> cluster, with
scores), cluster_summary.csv, regional_clusters.csv (region x cluster: employment, share,
cluster LQ with its denominator, interval, bounds, growth, rule results, ranks),
region_summary.csv (cluster strength, knowledge base), relatedness.csv and metadata.json
(every option, input checksums, version, random state).  With --definitions the grouping is
skipped.  The columns of every file are described at the top of clusterid/cli/detect.py and in
the README.  Same input and options give byte-identical files.
"""

SIGNALS_DEFAULT = "colocation,hierarchy"
RELATED_TOP = 10


def _step(label: str):
    from clusterid.cli import console

    return console.step("detect", label)


def _file_input(path: str) -> dict:
    from clusterid.io.ingest import sha256_of

    return {"path": path, "sha256": sha256_of(path)}


def load_frame(path, *, month: str = "annual", ownership: str | None = None,
               periods: list[str] | None = None):
    """INPUT -> (canonical polars DataFrame, provenance dict), through ingest's ``load_input``.

    A canonical table is read as is; a raw file is ingested on the fly (``month`` chooses how
    QCEW's monthly employment becomes one figure, ``ownership`` which ownership is read
    besides the total: see :func:`clusterid.cli.options.raw_ownership`).  ``periods``: the
    ``--period`` values, the only periods read (a Parquet table's other row groups are not).
    """
    import polars as pl

    from clusterid import schema
    from clusterid.cli.options import only_periods, open_input

    lf, meta = open_input(path, month=month, ownership=ownership,
                          raw_only=("--month",) if month != "annual" else ())
    kept = None
    if periods:
        lf, kept = only_periods(lf, periods)
    df = lf.collect()
    if schema.REGION_LEVEL not in df.columns:  # a label a canonical table may leave out
        df = df.with_columns(pl.lit(None, pl.String).alias(schema.REGION_LEVEL))
    return df, {"reader": "ingest.load_input", "ingest": meta,
                **({"periods": sorted(kept)} if kept else {})}


def _places_only(frame):
    """``frame`` without the rows of areas that are no place (``schema.NON_PLACE_LEVELS``),
    and ``{level: number of areas}`` left out; untouched when the table holds nothing else."""
    import polars as pl

    from clusterid import schema

    if schema.REGION_LEVEL not in frame.columns:
        return frame, {}
    no_place = pl.col(schema.REGION_LEVEL).is_in(schema.NON_PLACE_LEVELS).fill_null(False)
    left = frame.filter(no_place)
    if not left.height or left.height == frame.height:
        return frame, {}
    counts = left.group_by(schema.REGION_LEVEL).agg(pl.col(schema.REGION).n_unique())
    return frame.filter(~no_place), dict(sorted(counts.iter_rows()))


def _definition_codes(df, file_defs) -> frozenset:
    """The member codes of a definitions FILE (as read, or None) as the data spell them
    (empty without one)."""
    if file_defs is None:
        return frozenset()
    from clusterid import schema
    from clusterid.core import definitions as cdefs

    classification = (df[schema.CLASSIFICATION].drop_nulls().mode().sort().to_list() or [None])[0] \
        if schema.CLASSIFICATION in df.columns else None
    defs = cdefs.normalize_codes(file_defs, classification, df[schema.INDUSTRY].unique().to_list())
    return frozenset(defs.members[cdefs.INDUSTRY].to_list())


def overlapping_aggregates_of(df, level: int | None, keep: frozenset = frozenset()):
    """:func:`clusterid.core.overlaps.overlapping_aggregates_of`, its sentences said on
    stderr."""
    from clusterid.cli import console
    from clusterid.core import overlaps

    told: list[str] = []
    out = overlaps.overlapping_aggregates_of(df, level, keep, told)
    for sentence in told:
        console.info(f"detect: {sentence}")
    return out


def _drop_employment_note(regional, rows_missing: int) -> str | None:
    """With --suppressed drop a cluster's ``employment`` sums its published cells only, and
    can sit below ``employment_lower`` (Utah's sample: Salt Lake County, a few thousand jobs
    under the bounds): said plainly, pointing to employment_status 'partial'. Only of the
    rows that do leave a cell out (``rows_missing``): a table imputed by ``clusterid impute``
    holds estimated cells, 'partial' too, that are counted."""
    import polars as pl

    cols = ("employment_status", "employment_lower", "employment")
    if not rows_missing or regional.height == 0 or any(c not in regional.columns for c in cols):
        return None
    below = int(regional.select((pl.col("employment") < pl.col("employment_lower") - 1e-6)
                                .fill_null(False).sum()).item())
    return (f"with --suppressed drop, 'employment' in regional_clusters counts the published "
            f"member cells only: in the {rows_missing} rows with employment_status 'partial' it "
            f"leaves the suppressed cells out ({below} of them fall below employment_lower); "
            "the true total lies between employment_lower and employment_upper "
            "(--suppressed bounds or impute count those cells)")


def _qcew_month(meta) -> str | None:
    """The ``--month`` a QCEW file was ingested with, from a canonical table's metadata or
    that of the table it was made from (``source``: impute's output); "" when the metadata
    says nothing of it (a table read from a pipe has none); None when it names no QCEW file
    (Eurostat's quarters, say)."""
    if not meta or meta.get("foreign_canonical"):  # (a table clusterid did not write)
        return ""
    for _ in range(8):
        if not isinstance(meta, dict):
            return None
        opts = meta.get("options")
        if "qcew" in (meta.get("adapters") or []) and isinstance(opts, dict) and opts.get("month"):
            return str(opts["month"])
        meta = meta.get("source")
    return None


def quarters_note(df, meta, month: str) -> str | None:
    """A note when detect, whose default reads a raw QCEW file as one year (``--month
    annual``), is given a table of several quarters that ``clusterid ingest``'s default
    (``--month average``) made: ``ingest RAW | detect -`` and ``detect RAW`` then differ
    without a word (each quarter a period: summaries of the last quarter, growth from the
    first, a seasonal change).  None when the quarters were asked for (``detect RAW --month
    average``) or the table is not of QCEW quarters."""
    import re

    from clusterid import schema

    if month != "annual" or _qcew_month(meta) not in ("average", ""):
        return None
    quarters = sorted(p for p in df[schema.PERIOD].unique().to_list()
                      if p is not None and re.fullmatch(r"\d{4}Q[1-4]", str(p)))
    if len(quarters) < 2:
        return None
    return (f"the input holds {len(quarters)} quarters ({quarters[0]} ... {quarters[-1]}), "
            "each a period of its own: the summaries are of the last, and employment_growth "
            "and lq_change compare it with the first (a seasonal change); clusterid ingest "
            "writes QCEW's quarters by default (--month average), detect reads a raw QCEW file "
            "as the year (--month annual): ingest with --month annual for the year's tables")


def choose_ownership(df, ownership: str, unread=()) -> str:
    """The ownership detect works on: ``--ownership`` as the input spells it, or with ``auto``
    private, else total.  ``unread``: the ownerships a raw file held but was not read with,
    named when the one asked for is not there."""
    import polars as pl

    from clusterid import schema

    owns = sorted(df.select(pl.col(schema.OWNERSHIP).unique()).to_series().to_list())
    if ownership == "auto":
        for pref in (schema.OWNERSHIP_PRIVATE, schema.OWNERSHIP_TOTAL):
            if pref in owns:
                return pref
        return owns[0]
    from clusterid.cli.options import match_value

    return match_value("--ownership", ownership, owns, unread)  # 'Private' too; refused naming them


def _data_year(df) -> int | None:
    from clusterid import schema

    periods = sorted(df[schema.PERIOD].unique().to_list())
    if periods and periods[-1][:4].isascii() and periods[-1][:4].isdigit():
        return int(periods[-1][:4])
    return None


def relatedness_frame(df, ownership: str | None, region_level, signals: str):
    """The rows relatedness reads, and a note for the metadata.

    ``df`` is the canonical table as read, or as imputed by ``--suppressed impute`` (not the
    bounded table of ``drop``/``bounds``: imputing a table whose bounds were already filled
    gave other values, and co-location on them agreed less with USCMP, AMI 0.38 against
    0.42); ``ownership`` and ``region_level`` (None: rows without a region level) choose the
    rows.  When a signal reads
    employment region by region (``colocation``, ``coagglomeration``) and cells are still
    suppressed (``--suppressed drop`` or ``bounds``), they are filled by the constrained
    imputation of ``clusterid impute`` for relatedness only -- the regional tables keep the
    ``--suppressed`` choice.  A suppressed cell is otherwise proxied by its establishments x the
    industry's typical size, which ignores what the published parent totals say about it: on
    the county panel of the odd states (78% of the private 6-digit cells suppressed) co-location
    alone reaches AMI 0.38 against the USCMP traded definitions at 51 clusters with imputed
    cells, 0.32 with the proxy.
    """
    import polars as pl

    from clusterid import schema
    from clusterid.core.impute import apply_suppressed

    # the columns relatedness and the imputation read, filtered lazily: a copy of every column
    # (wages and their bounds too) held the county panel's imputation at 7.8 GB
    unread = [c for m in schema.measures_in(df.columns)
              if m not in (schema.EMPLOYMENT, schema.ESTABLISHMENTS)
              for c in schema.measure_columns(m) if c in df.columns]
    frame = df.lazy().drop(unread)
    if ownership is not None and schema.OWNERSHIP in df.columns:
        frame = frame.filter(pl.col(schema.OWNERSHIP) == ownership)
    frame = frame.collect()
    note = {"suppressed_for_relatedness": "as given"}
    st = schema.status_col(schema.EMPLOYMENT)
    reads_cells = {"colocation", "coagglomeration"} & {x.strip() for x in signals.split(",")}
    if reads_cells and st in frame.columns and (frame[st] == schema.SUPPRESSED).any():
        with _step("imputing suppressed cells for relatedness"):
            frame, _ = apply_suppressed(frame, "impute")
        # Whole jobs: a fraction of a job carries no co-location information, and the
        # similarities then do not move with the solver's tolerance (the last decimals).
        emp = pl.col(schema.EMPLOYMENT)
        frame = frame.with_columns(
            pl.when(pl.col(st) == schema.ESTIMATED).then(emp.round(0)).otherwise(emp)
            .alias(schema.EMPLOYMENT))
        note = {"suppressed_for_relatedness": "impute (whole jobs)"}
    rl_col = pl.col(schema.REGION_LEVEL)
    frame = frame.filter(rl_col == region_level if region_level is not None else rl_col.is_null())
    return frame, note


def _related_pairs(similarity, top: int = RELATED_TOP):
    import numpy as np
    import polars as pl

    # Rounded: the similarity's last bits may differ between runs (parallel float sums), which
    # must change neither the pairs chosen nor the digits written.
    rounded = np.array(similarity.matrix, dtype=float).round(10)
    s = rounded.copy()
    n = s.shape[0]
    np.fill_diagonal(s, -np.inf)
    k = min(top, n - 1)
    pairs = set()
    codes = similarity.codes
    for i in range(n):
        # stable order: highest similarity first, ties by code order
        order = np.lexsort((np.arange(n), -s[i]))[:k]
        for j in order:
            pairs.add((min(i, j), max(i, j)))
    rows = sorted(pairs)
    return pl.DataFrame({"industry_a": [codes[i] for i, _ in rows],
                         "industry_b": [codes[j] for _, j in rows],
                         "similarity": [float(rounded[i, j]) for i, j in rows]},
                        schema={"industry_a": pl.String, "industry_b": pl.String,
                                "similarity": pl.Float64}).sort("industry_a", "industry_b")


def _at_level(lev, classification) -> str:
    """Where the grouped industries sit: "at level 2", or, for codes with no level (custom
    industries, named by themselves), their classification and that its codes have none."""
    if lev is not None:
        return f"at level {lev}"
    return f"of classification {classification or 'unknown'}, whose codes carry no level"


def _nothing_to_group(sim, level, rl, classification=None):
    """Refuse a grouping of fewer than two industries, naming them."""
    from clusterid import schema
    from clusterid.errors import UsageError

    codes = f" ({', '.join(map(str, sim.codes))})" if sim.n else ""
    lev = sim.info.get("level", level)
    where = f"in the {rl or 'unlabelled'} regions{codes}"
    raise UsageError(
        f"only {sim.n} industr{'y' if sim.n == 1 else 'ies'} "
        + (f"{_at_level(lev, classification)} {where}: nothing to group; choose another --level, "
           "or use --definitions "
           # the USCMP definitions are NAICS: on NACE codes detect refused them in turn
           + ("uscmp|FILE" if classification == schema.NAICS else "FILE")
           if lev is not None else
           f"{where}, {_at_level(lev, classification)}: nothing to group; use --definitions FILE"))


@dataclasses.dataclass(frozen=True)
class _Asked:
    """The options of one run as given (after the CLI's keyword normalisation)."""

    signals: str
    io: str | None
    crosswalk: str | None
    similarity: str | None
    method: str
    n_clusters: int | None
    resolution: float | None
    definitions: str | None
    compare: str | None
    rule: str
    suppressed: str
    level: int | None
    ownership: str
    region_level: str
    universe: str
    lq_denominator: str
    month: str
    n_seeds: int
    random_state: int
    period: list[str] | None

    @property
    def needs_similarity(self) -> bool:
        """Whether a similarity is measured: to group the industries, or to score the
        partitions --compare compares."""
        return self.definitions is None or self.compare is not None


@dataclasses.dataclass
class _Run:
    """What the stages of one run share: the options, what metadata.json will hold, and the
    small facts each stage finds out about the input for the stages after it.

    The tables themselves are not kept here: each stage is handed the frames it reads, so
    that a frame goes as soon as the last stage reading it is done (the county panel's table
    as read alone is a GB).
    """

    asked: _Asked
    rule: object                 # the parsed --rule
    label: str                   # INPUT as messages name it
    options: dict                # as recorded: --period as the input spells it, --month for raw QCEW only
    info: dict = dataclasses.field(default_factory=dict)  # metadata blocks and notes, in order
    own: str | None = None       # the ownership worked on
    overlap: dict = dataclasses.field(default_factory=dict)  # aggregates left out, {code: why}
    levels: object = None        # region levels: n regions, whether a place (a small frame)
    rl: object = None            # the region level relatedness is measured on
    year: int | None = None
    data_codes: list = dataclasses.field(default_factory=list)
    classification: str | None = None
    benchmark: object = None     # --compare's definitions, aligned to the data
    uscmp: object = None         # USCMP's definitions (cluster types), when they apply
    industries: list | None = None  # --universe uscmp-traded: the industries to group
    signals: str = SIGNALS_DEFAULT  # --signals, with io / user added when their file is given
    level: int | None = None     # the level grouped (--level, or the level above the deepest)


def run(input_path, outdir: str, *, signals: str = SIGNALS_DEFAULT, io: str | None = None,
        crosswalk: str | None = None, similarity: str | None = None, method: str = "dps",
        n_clusters: int | None = None, resolution: float | None = None,
        definitions: str | None = None,
        compare: str | None = None, rule: str = "uscmp-strong", suppressed: str = "drop",
        level: int | None = None, ownership: str = "auto", region_level: str = "auto",
        universe: str = "all", lq_denominator: str = "auto", month: str = "annual",
        n_seeds: int = 10, random_state: int = 0, period: list[str] | None = None) -> dict:
    """The whole command as one function (the CLI only parses options into it).

    ``input_path``: INPUT, one argument (file, quoted glob, zip, -) or a list of files read
    together as one input.

    Returns the metadata written to ``outdir/metadata.json``.
    """
    from clusterid.cli.options import input_label

    asked = _Asked(signals=signals, io=io, crosswalk=crosswalk, similarity=similarity,
                   method=method, n_clusters=n_clusters, resolution=resolution,
                   definitions=definitions, compare=compare, rule=rule, suppressed=suppressed,
                   level=level, ownership=ownership, region_level=region_level,
                   universe=universe, lq_denominator=lq_denominator, month=month,
                   n_seeds=n_seeds, random_state=random_state, period=period)
    rule_obj = _check_options(asked, outdir)
    _refuse_writing_over_inputs(outdir, input_path, asked)
    _refuse_replacing_others_files(outdir)
    r = _Run(asked, rule=rule_obj, label=input_label(input_path), signals=signals, level=level,
             options=dict(vars(asked)))
    file_defs, user_table = _read_side_tables(asked)
    inputs = _input_records(input_path, asked)

    df = _read_input(input_path, r)
    df = _without_empty_periods(df, r)
    df = _set_aside_aggregates(df, file_defs, r)
    as_read = [df]  # relatedness imputes from the table as read (see relatedness_frame)
    df = _suppressed_cells(df, r)
    _find_scope(df, r)
    sim = _similarity(as_read, df, user_table, r)  # (as_read emptied: the table as read goes)
    if definitions is None:
        result, defs = _group_industries(sim, df, r)
    else:
        result, defs = None, _given_definitions(r, file_defs)
    _record_definitions(defs, r)
    if r.benchmark is not None:
        _compare_with_benchmark(sim, defs, r)
    handed = [df]
    del df  # (the regional strength lets go of it once the places' rows are taken)
    res, data_industries = _regional_strength(handed, defs, r)
    _record_present(defs, data_industries, r)
    tables = _output_tables(defs, sim, result, res, data_industries, r)
    return _write(outdir, tables, inputs, r)


def _check_options(a: _Asked, outdir: str):
    """Refuse bad options and combinations before any heavy work; the parsed ``--rule``.

    Raises UsageError (OutputError for an OUTDIR that cannot be written).
    """
    from clusterid.core import grouping, strength
    from clusterid.errors import UsageError
    from clusterid.io import definitions as iodefs

    if outdir == "":  # an unset shell variable: said as every other command says it
        raise UsageError("-o '': an empty output path (an unset shell variable?); give the "
                         "output folder")
    if outdir == "-":
        raise UsageError("detect writes a folder of tables: give -o OUTDIR (not stdout)")
    _check_outdir_writable(outdir)
    for flag, value in (("--io", a.io), ("--crosswalk", a.crosswalk),
                        ("--similarity", a.similarity), ("--definitions", a.definitions)):
        if value is not None and not value.strip():
            # `--io "$IO_TABLE"` with the variable unset: the option was read as not given, and
            # the clusters came out of co-location alone without a word
            raise UsageError(f"{flag} {value!r}: an empty path (an unset shell variable?); give "
                             f"a file name, or leave {flag} out")
    rule_obj = strength.parse_rule(a.rule)
    if a.suppressed not in strength.SUPPRESSED_MODES:
        raise UsageError(f"--suppressed {a.suppressed!r}; expected one of {', '.join(strength.SUPPRESSED_MODES)}")
    if a.lq_denominator not in strength.DENOMINATORS:
        raise UsageError(f"--lq-denominator {a.lq_denominator!r}; expected one of {', '.join(strength.DENOMINATORS)}")
    if a.universe not in ("all", "uscmp-traded"):
        raise UsageError(f"--universe {a.universe!r}; expected all or uscmp-traded")
    if a.compare is not None and not iodefs.is_uscmp(a.compare):
        raise UsageError(f"--compare {a.compare!r}; only uscmp (or uscmp:<vintage>) can be compared")
    if a.method not in grouping.METHODS:
        raise UsageError(f"--method {a.method!r}; expected one of {', '.join(grouping.METHODS)}")
    if a.universe == "uscmp-traded" and a.level is not None and a.level != 6:
        # refused after reading and the co-location as "<input>: none of the requested
        # industries is in the table (found '113110, ...')"
        raise UsageError(f"--universe uscmp-traded groups USCMP's traded industries, six-digit "
                         f"NAICS codes, which --level {a.level} has none of; leave --level out "
                         "(or --level 6), or use --universe all")
    if "," in a.ownership:
        # lq takes several ownerships; detect's tables are of one (refused after reading the
        # file as "the input has private, total", which named the very ones given)
        raise UsageError(f"--ownership {a.ownership!r}: detect works on one ownership (its "
                         "region totals come from the all-ownership rows); give one, or auto")
    if a.crosswalk and not a.io:
        raise UsageError("--crosswalk needs --io FILE")
    if a.method == "dps" and a.resolution is not None:
        raise UsageError("--resolution is for --method leiden; dps takes --n-clusters")
    if a.method == "leiden" and a.n_clusters is not None:
        raise UsageError("--n-clusters is for --method dps; leiden takes --resolution")
    if a.definitions is not None and a.compare is None:
        _check_definitions_options(a)
    return rule_obj


def _check_definitions_options(a: _Asked) -> None:
    """Refuse, beside --definitions (without --compare), the options that choose how
    industries are grouped from the data: the definitions bring their own clusters."""
    from clusterid.errors import UsageError

    values = {"level": a.level, "io": a.io, "similarity": a.similarity,
              "n_clusters": a.n_clusters, "resolution": a.resolution}
    given = ["--" + name.replace("_", "-") for name in GROUPING_ONLY
             if values[name] is not None]
    if given:
        raise UsageError(f"{given[0]} applies to grouping from the data; with --definitions "
                         f"{a.definitions} the clusters are the definitions' own")
    for flag, value, default, why in (
            ("--signals", a.signals, SIGNALS_DEFAULT, " (with --compare uscmp it chooses the "
             "similarity the partitions are scored on)"),
            ("--method", a.method, "dps", "")):
        if value != default:  # ignored without a word, as --region-level was
            raise UsageError(f"{flag} {value} applies to grouping from the data; with "
                             f"--definitions {a.definitions} the clusters are the definitions' "
                             f"own{why}")
    if a.region_level != "auto":  # it was ignored without a word
        raise UsageError(f"--region-level {a.region_level} picks the regions relatedness is "
                         f"measured on, which --definitions {a.definitions} does not need; the "
                         "regional tables hold every region level (ranked within its level): "
                         "leave the option out and filter them by region_level")


def _read_side_tables(a: _Asked):
    """Check the files of --io, --crosswalk, --similarity and --definitions FILE, and parse
    them before the input is read: a file given as --io that is no input-output table was
    refused after the reading and the bounds (20 s on the county panel).

    Returns ``(file_defs, user_table)``: the --definitions FILE as read (None for uscmp or
    none; read once, here) and the --similarity table as read (None without one).  The --io table is read
    again with its crosswalk by :func:`_io_table`: the crosswalk's columns depend on the
    data's NAICS vintage, known after reading.
    """
    from clusterid.io import definitions as iodefs
    from clusterid.io.tables import check_readable

    definitions_file = (a.definitions if a.definitions and not iodefs.is_uscmp(a.definitions)
                        else None)
    for path in (a.io, a.crosswalk, a.similarity, definitions_file):
        if path:
            check_readable(path)
    if a.io:
        from clusterid.io.iotables import read_use_table

        read_use_table(a.io)
    user_table = None
    if a.similarity:
        from clusterid.io.iotables import read_similarity_table

        user_table = read_similarity_table(a.similarity)
    file_defs = iodefs.load_definitions(definitions_file) if definitions_file else None
    return file_defs, user_table


def _input_records(paths, a: _Asked) -> list[dict]:
    """The metadata's ``inputs``: INPUT's files and the side files, each with its sha256.

    `-` is buffered once (cached per process) so it can be both checksummed and read; a glob
    or a zip archive stands for all its files.
    """
    from clusterid.cli.options import input_records_of
    from clusterid.io import definitions as iodefs

    inputs = input_records_of(paths)
    for extra in (a.io, a.crosswalk, a.similarity):
        if extra:
            inputs.append(_file_input(extra))
    if a.definitions and not iodefs.is_uscmp(a.definitions):
        inputs.append(_file_input(a.definitions))
    return inputs


def _read_input(paths, r: _Run):
    """INPUT read (ingested on the fly when raw), of the --period values asked; the canonical
    frame.

    Refuses a table without employment.  Sets ``r.own`` (the ownership worked on) and the
    metadata's ``input`` and ``ownership_used``; records --period as the input spells it and
    drops --month from the options where it chose nothing; says what the reading left out
    or warned of, and that a table holds several QCEW quarters.
    """
    from clusterid import schema
    from clusterid.cli.options import unread_ownerships
    from clusterid.errors import UsageError
    from clusterid.io.ingest import STDIN_NAME

    a = r.asked
    # standard input named as everywhere else ('<stdin>', not '-')
    names = [STDIN_NAME if p == "-" else Path(p).name for p in ([paths] if isinstance(paths, str) else paths)]
    with _step(f"reading {names[0]}" + (f" and {len(names) - 1} more" if len(names) > 1 else "")):
        df, provenance = load_frame(paths, month=a.month, ownership=a.ownership, periods=a.period)
    if a.period:  # as the input spells them ('2016q1,2016Q4' -> ['2016Q1', '2016Q4'])
        r.options["period"] = provenance.pop("periods")
    if not schema.measures_in(df.columns):  # 'detect needs employment; the table has no measure only'
        from clusterid.errors import DataError, Problem

        raise DataError(problems=[Problem("the table has no measure column", path=r.label,
                                          expected="one of " + ", ".join(schema.MEASURES))])
    if schema.EMPLOYMENT not in df.columns:
        # strong clusters and co-location rest on employment (a ZBP detail file has none)
        raise UsageError(f"{r.label}: detect needs employment; the table has "
                         + (", ".join(schema.measures_in(df.columns)) or "no measure")
                         + " only (use `clusterid lq` for its location quotients)")
    # a --rule term on a measure the table lacks ('wages>=1e6' on a table of employment): every
    # call came out unknown (strong empty on every row), exit 0; refused as --measure is by the
    # other commands, exit 2 (README, Exit codes)
    lacking = [(fld, op, v) for fld, op, v in (r.rule.params.get("_terms") or ())
               if fld in schema.MEASURES and fld not in df.columns]
    if lacking:
        fld, op, v = lacking[0]
        raise UsageError(f"--rule '{fld}{op}{v:g}': the input has no {fld} column; it has "
                         + ", ".join(schema.measures_in(df.columns)))
    r.own = choose_ownership(df, a.ownership, unread_ownerships(provenance["ingest"]))
    r.info.update({"input": provenance, "ownership_used": r.own})
    read_raw = _read_raw(paths, provenance["ingest"])
    months = "qcew" in (provenance["ingest"].get("adapters") or []) or any(
        isinstance(facts, dict) and facts.get("month_columns")
        for facts in (provenance["ingest"].get("readers") or {}).values())
    if not (read_raw and months):
        # --month chooses how a raw QCEW file's months become one figure (or a generic
        # table's month columns, BLS's quarterly high-level workbooks); a canonical table
        # (its ingest recorded its own choice) or another agency's file has nothing for it to
        # choose, yet the metadata and the report's options said 'month: annual'
        r.options.pop("month", None)
    if read_raw:
        _say_raw_reading(provenance["ingest"], r.info)
    note = quarters_note(df, provenance["ingest"], a.month)
    if note:
        _say(r.info, note)
    return df


def _say_raw_reading(ingest_meta: dict, info: dict) -> None:
    """Say what the ingest of a raw INPUT on the fly dropped, read as sections, left unread
    and warned of: `clusterid ingest` says them, detect reading the raw file itself did not."""
    from clusterid.cli import console
    from clusterid.cli.ingest import sections_from_titles_note
    from clusterid.io.ingest import ignored_columns

    if note := _dropped_on_reading(ingest_meta):
        _say(info, note)
    if note := sections_from_titles_note(ingest_meta):
        _say(info, note + " (an option of clusterid ingest)")
    if unread := ignored_columns(ingest_meta):  # a column of figures left out
        _say(info, f"column{'s' if len(unread) > 1 else ''} not read: "
                   + ", ".join(repr(h) for h in unread[:8])
                   + (f" ... ({len(unread)})" if len(unread) > 8 else ""))
    # (a workbook's other sheets not read, regions missing from some periods)
    for w in (ingest_meta.get("warnings") or [])[:5]:
        console.info(f"warning: {w}")


def _without_empty_periods(df, r: _Run):
    """``df`` without the periods that hold no employment value, said; as it is when every
    period is empty (refused later) or none.

    A period headed but never filled in (a yearbook's next year, Eurostat's last column all
    ':') holds no employment: as the last period it made every summary 'suppressed', strong
    nowhere, growth empty.  Two columns read, a filtered copy only when one is empty.
    """
    import polars as pl

    from clusterid import schema

    periods = df.lazy().group_by(schema.PERIOD).agg(
        pl.col(schema.EMPLOYMENT).is_not_null().any().alias("_known")).collect()
    empty = sorted(periods.filter(~pl.col("_known"))[schema.PERIOD].to_list())
    if empty and len(empty) < periods.height:
        df = df.filter(~pl.col(schema.PERIOD).is_in(empty))
        r.info["periods_without_values"] = empty
        _say(r.info, f"period{'s' if len(empty) > 1 else ''} {', '.join(map(str, empty))} "
                     f"hold{'' if len(empty) > 1 else 's'} no employment value (every cell empty "
                     "or suppressed): left out")
    return df


def _set_aside_aggregates(df, file_defs, r: _Run):
    """``df`` with the aggregates that overlap the grouped level marked for leaving out
    (:func:`overlapping_aggregates_of`; a --definitions FILE's codes kept) and the unlisted
    parts of an aggregate added as suppressed rows.  The aggregates stay until the bounds /
    imputation have used them as parents: ``r.overlap`` names them for
    :func:`clusterid.core.overlaps.without_aggregates`.
    """
    keep = _definition_codes(df, file_defs)
    df, r.overlap, unlisted = overlapping_aggregates_of(df, r.asked.level, keep=keep)
    if r.overlap:
        r.info["left_out_overlapping_aggregates"] = r.overlap
    if unlisted:
        r.info["unlisted_parts_read_as_suppressed"] = unlisted
    from clusterid.core import overlaps

    told: list[str] = []
    df, children = overlaps.unlisted_children(df, r.asked.level, told)
    for sentence in told:  # in the notes too: the report shows why the region's cells are empty
        _say(r.info, sentence)
    if children:
        r.info["unlisted_children_read_as_suppressed"] = children
    return df


def _suppressed_cells(df, r: _Run):
    """``df`` with its suppressed cells bounded (every --suppressed mode: the LQ robustness
    uses the bounds) and, with ``impute``, imputed, wages too; the overlapping aggregates
    then left out.  A new frame: ``df`` is not changed.  Records the metadata's
    ``suppression``.  Raises UsageError for impute on a table without a status column.
    """
    from clusterid import schema
    from clusterid.core import overlaps, strength
    from clusterid.core.impute import apply_suppressed
    from clusterid.errors import UsageError

    suppressed = r.asked.suppressed
    if schema.status_col(schema.EMPLOYMENT) in df.columns:
        mode = "impute" if suppressed == "impute" else "bounds"
        with _step("imputing suppressed cells" if mode == "impute" else "bounding suppressed cells"):
            # impute: wages too (QCEW hides them with employment), as `clusterid impute` does
            df, imp_info = apply_suppressed(
                df, mode, point_col=strength.POINT if suppressed == "bounds" else None,
                every_measure=mode == "impute")
        r.info["suppression"] = imp_info
    elif suppressed == "impute":
        raise UsageError("--suppressed impute: the input has no employment column to impute")
    return overlaps.without_aggregates(df, r.overlap)


def _find_scope(df, r: _Run) -> None:
    """What the table holds that the stages after read: sets ``r.levels``, ``r.rl`` (the
    region level relatedness is measured on), ``r.year``, ``r.data_codes``,
    ``r.classification``, ``r.benchmark`` (--compare's definitions), ``r.uscmp`` and
    ``r.industries`` (--universe).

    Raises DataError for a table of region totals alone, UsageError where --universe or
    --compare names no industry of the input.
    """
    import polars as pl

    from clusterid import schema
    from clusterid.cli.options import match_value
    from clusterid.core import definitions as cdefs
    from clusterid.errors import UsageError
    from clusterid.io import definitions as iodefs

    a = r.asked
    r.levels = df.group_by(schema.REGION_LEVEL).agg(
        pl.col(schema.REGION).n_unique().alias("n"),
        pl.col(schema.REGION_LEVEL).first().is_in(schema.NON_PLACE_LEVELS).fill_null(False)
        .alias("_no_place")).sort(["_no_place", "n", schema.REGION_LEVEL],
                                  descending=[False, True, False], nulls_last=True)
    r.rl = (r.levels[schema.REGION_LEVEL][0] if a.region_level == "auto" else  # 'County' too
            match_value("--region-level", a.region_level, r.levels[schema.REGION_LEVEL].to_list()))
    r.info["relatedness_region_level"] = r.rl
    r.year = year = _data_year(df)
    r.data_codes = data_codes = df[schema.INDUSTRY].unique().to_list()
    if not any(c is not None and c != schema.ALL_INDUSTRIES for c in data_codes):
        # a table of region totals alone (a QCEW file cut to industry 10): no industry to put
        # in a cluster; --definitions said "none of the input's industries ( ...)", its codes
        # "down to 0 digits", and the grouping's refusal sent the user to --definitions
        from clusterid.errors import DataError, Problem

        raise DataError(problems=[Problem(
            "the table holds no industry but the all-industries total", path=r.label,
            column=schema.INDUSTRY, expected="industry rows beside the total",
            found=f"industry {schema.ALL_INDUSTRIES} only")])
    r.benchmark = (cdefs.align_to_data(iodefs.load_definitions(a.compare, year=year), data_codes)
                   if a.compare else None)
    r.uscmp = r.benchmark
    r.classification = classification = (
        (df[schema.CLASSIFICATION].drop_nulls().mode().sort().to_list() or [None])[0]
        if schema.CLASSIFICATION in df.columns else None)
    if r.uscmp is None and (a.universe == "uscmp-traded"
                            or (a.definitions is None and classification == schema.NAICS)):
        r.uscmp = cdefs.align_to_data(
            iodefs.load_uscmp(cdefs.vintage_for_year(year) if year else "2012"), data_codes)
    if a.universe == "uscmp-traded":
        r.industries = r.uscmp.traded_only().members[cdefs.INDUSTRY].to_list()
        if not set(r.industries) & set(data_codes):
            raise UsageError(f"--universe uscmp-traded: none of the input's industries is a "
                             f"USCMP traded NAICS code (the input's codes are "
                             f"{classification or 'of no known classification'}); use "
                             "--universe all")
    if r.benchmark is not None and not set(r.benchmark.labels()) & set(data_codes):
        # found before the grouping, not after it as "fewer than two industries are in both
        # partitions", which did not say why
        raise UsageError(f"--compare {a.compare}: none of the input's industries is in the USCMP "
                         f"definitions, which are NAICS (the input's codes are "
                         f"{classification or 'of no known classification'}); leave out --compare")


def _similarity(as_read: list, df, user_table, r: _Run):
    """The similarity between the industries to group (None when none is needed: given
    definitions without --compare).

    ``as_read``: the table as read, handed over in a one-item list, which is emptied: it goes
    as soon as relatedness has its rows, before the similarity, the grouping and the regional
    strength add theirs.  ``df``: the bounded (or imputed) table.  Measured on the rows of
    :func:`relatedness_frame`, at ``r.level``; when grouping from the data, an industry with
    no signal is left out, and the deepest level is replaced by the level above when it holds
    two industries or fewer detailing under half of the employment (``r.level`` set).  Sets
    ``r.signals`` (io / user added for a given file) and the metadata's ``relatedness``; says
    what is left out of the grouping.  Raises UsageError where the signals cannot tell the
    industries apart (too few regions, a side table naming none of them).
    """
    from clusterid.core import overlaps

    a = r.asked
    source = as_read.pop()
    if not a.needs_similarity:
        return None
    io_table = _io_table(r)
    rel_frame, rel_note = relatedness_frame(df if a.suppressed == "impute" else source, r.own,
                                            r.rl, r.signals)
    # the table as read is not read again: its memory (the whole panel) goes before the
    # similarity, the grouping and the regional strength add theirs
    del source
    rel_frame = _without_unclassified(overlaps.without_aggregates(rel_frame, r.overlap), r)
    sim = _build_similarity(rel_frame, r.level, io_table, user_table, rel_note, r,
                            f"relatedness ({r.signals})")
    _check_similarity(sim, io_table, user_table, r)
    if a.definitions is not None:
        return sim
    sim = _without_blind_industries(sim, r)
    if r.level is None and sim.info.get("level") is not None:
        sim, grouped, said_top = _covering_level(sim, rel_frame, df, io_table, user_table,
                                                 rel_note, r)
        del rel_frame  # (the imputed rows of relatedness: the last similarity is built)
        _say_lone_codes(df, sim, grouped, said_top, r)
    return sim


def _io_table(r: _Run):
    """The --io table read with its --crosswalk (for the data's NAICS vintage), None without
    --io.  Adds the io signal for --io, and the user signal for --similarity, to ``r.signals``
    where not given, said."""
    from clusterid.cli import console

    a = r.asked
    io_table = None
    if a.io:
        from clusterid.io.iotables import read_use_table

        io_table = read_use_table(a.io, a.crosswalk, naics_vintage=int(r.uscmp.vintage) if
                                  r.uscmp is not None and r.uscmp.vintage in ("2012", "2017", "2022")
                                  else 2012)
        if "io" not in r.signals.split(","):
            r.signals = r.signals + ",io"
            console.info("detect: --io given, so the io signal is added to --signals")
    if a.similarity:  # (read by _read_side_tables)
        if "user" not in r.signals.split(","):
            r.signals = r.signals + ",user"
            console.info("detect: --similarity given, so the user signal is added to --signals")
    return io_table


def _without_unclassified(rel_frame, r: _Run):
    """``rel_frame`` without NAICS 99 at the grouped level, said, when grouping NAICS codes
    from the data; as it is otherwise.

    NAICS 99 (QCEW's 999999 "Unclassified") is establishments not yet coded, no industry:
    grouped, it joined a traded cluster by where it happens to be ("Chemical manufacturing"
    on three states' counties) and counted in it.
    """
    import polars as pl

    from clusterid import schema

    if not (r.asked.definitions is None and r.classification == schema.NAICS):
        return rel_frame
    level = r.asked.level
    unclassified = pl.col(schema.INDUSTRY).str.starts_with("99")
    left = rel_frame.filter(unclassified)[schema.INDUSTRY].unique().to_list()
    # the code of the grouped level: 999999 (not 99, 999 ...), or 99 with --level 2
    deep = level if level is not None and any(len(c) == level for c in left) \
        else max(map(len, left), default=0)
    left = sorted(c for c in left if len(c) == deep)
    if left:
        rel_frame = rel_frame.filter(~unclassified)
        note = (f"left out of the grouping: NAICS 99 ({', '.join(left)}), "
                "establishments not yet classified, no industry; in no cluster")
        _say(r.info, note)
    return rel_frame


def _build_similarity(rel_frame, level, io_table, user_table, rel_note: dict, r: _Run,
                      label: str):
    """The combined similarity of ``r.signals`` on ``rel_frame`` at ``level``, titled; sets
    the metadata's ``relatedness`` (signals' info, weights, industries, ``rel_note``)."""
    from clusterid.core import relatedness

    with _step(label):
        sim = relatedness.build(rel_frame, r.signals, io=io_table, user=user_table,
                                industries=r.industries, level=level, ownership=r.own)
    sim = _titled(sim, r.classification)
    r.info["relatedness"] = (sim.info | {"weights": sim.weights, "n_industries": sim.n}
                             | rel_note)
    return sim


def _check_similarity(sim, io_table, user_table, r: _Run) -> None:
    """Say what the similarity read in place of values or left out (cells read as their
    industry's median, codes without a level); refuse co-location on fewer than 3 regions, a
    --similarity table naming no pair of the input's industries, an --io table mapping none
    of them (UsageError); say the industries an --io table maps to no sector."""
    from clusterid import schema
    from clusterid.cli import console
    from clusterid.errors import UsageError

    a, signals, rl = r.asked, r.signals, r.rl
    by_median = sim.info.get("suppressed_proxied_by_median") or 0
    if by_median and {"colocation", "coagglomeration"} & set(signals.split(",")):
        # cells neither published, imputed nor proxied by establishments: each read as
        # its industry's median over the regions, said only in metadata.json
        note = (f"co-location read {by_median} of its {sim.info.get('cells')} cells, "
                "suppressed with nothing to impute them from (no establishment counts, no "
                "published totals), as their industry's median over the regions (none "
                "where no region publishes it)")
        _say(r.info, note)
    unleveled = sim.info.get("left_out_without_level")
    if unleveled and a.definitions is None:
        shown = "; ".join(unleveled[:5]) + (f" ... ({len(unleveled)} in all)"
                                           if len(unleveled) > 5 else "")
        console.info(f"detect: left out {len(unleveled)} industries whose codes have no level "
                     f"in the classification ({shown}): they are in no cluster; ingest with "
                     "--classification custom to group every row as one industry (when no "
                     "row is part of another)")
    used = set(signals.split(","))
    n_regions = sim.info.get("n_regions")
    if used & {"colocation", "coagglomeration"} and n_regions is not None and n_regions < 3:
        # a correlation across one or two regions is undefined or +-1: no information.
        # Name only a level that has enough regions, and the io signal with the table it
        # needs ('--signals io,hierarchy' alone fails for want of --io)
        enough = [f"--region-level {lv} ({n} regions)" for lv, n, no_place in
                  r.levels.iter_rows() if lv != rl and not no_place and n >= 3]
        raise UsageError(
            f"--signals {signals}: co-location needs at least 3 regions, the "
            f"{rl or 'unlabelled'} regions of the input are {n_regions}; "
            + (f"choose {' or '.join(enough)}, or " if enough else "")
            + "give an input-output table (--signals io,hierarchy --io FILE) or cluster "
            "definitions (--definitions "
            + ("uscmp|FILE)" if r.classification == schema.NAICS else "FILE)"))
    if a.similarity and sim.info.get("user_pairs_used") == 0:
        # every pair unknown: the signal said nothing, yet took its weight in the mean
        given = user_table.height
        named = sorted(set(user_table["industry_a"].drop_nulls().to_list())
                       | set(user_table["industry_b"].drop_nulls().to_list()))[:5]
        raise UsageError(
            f"--similarity {a.similarity}: names no pair of the input's industries "
            + (f"(its {given} pair(s) name {', '.join(named)} ...; the input's are "
               f"{', '.join(sim.codes[:5])} ...)" if given else "(it has no rows)")
            + "; give pairs of the codes grouped, at the same --level")
    unmapped = sim.info.get("io_unmapped")
    if a.io and unmapped is not None and sim.n and len(unmapped) >= sim.n:
        if not a.crosswalk and io_table.source.get("layout") == "square":
            # a plain matrix of another classification's labels (or spelt otherwise)
            theirs = ", ".join(io_table.sectors[:5]) + (" ..." if len(io_table.sectors) > 5
                                                       else "")
            raise UsageError(
                f"--io {a.io}: none of the input's industries ("
                + ", ".join(map(str, unmapped[:5])) + (" ..." if len(unmapped) > 5 else "")
                + f") is a sector of the table or starts with one (its sectors: {theirs}); "
                "label the matrix with the input's codes, or give a --crosswalk from its "
                "sectors to them")
        raise UsageError(f"--io {a.io}: none of the input's industries maps to its sectors "
                         f"(e.g. {', '.join(map(str, unmapped[:5]))}); a Use table needs "
                         "NAICS codes and a --crosswalk that covers them")
    if a.io and unmapped:
        # BEA's detail table without its crosswalk maps 145 of Utah's 956 industries: the
        # other 811 went without the io signal, said only in metadata.json
        shown = ", ".join(map(str, unmapped[:5])) + (" ..." if len(unmapped) > 5 else "")
        note = (f"--io: {len(unmapped)} of the {sim.n} industries map to no sector of the "
                f"table ({shown}): the io signal says nothing about them"
                + ("; --crosswalk (BEA's MasterCrosswalk2017.csv) maps NAICS codes"
                   if not a.crosswalk else ""))
        _say(r.info, note)


def _without_blind_industries(sim, r: _Run):
    """``sim`` without the industries that have no similarity to any other, said.  Refuses
    (UsageError) a similarity of fewer than two industries: before the note, since a lone
    industry has no other to be similar to, and was called one with "no value in any
    region", then "only 0 industry"."""
    if sim.n < 2:
        _nothing_to_group(sim, r.level, r.rl, r.classification)
    blind = sim.info.get("industries_without_signal")
    if not blind:
        return sim
    signals = r.signals
    shown = ", ".join(blind[:8]) + (f" ... ({len(blind)} in all)" if len(blind) > 8 else "")
    why = {"colocation": "no value in any region", "coagglomeration": "no value in any "
           "region", "io": "no sector of the io table", "user": "no pair in the similarity "
           "table"}
    reasons = list(dict.fromkeys(why[x] for x in signals.split(",") if x in why))
    note = (f"{len(blind)} industries have no similarity to any other under --signals "
            f"{signals} ({shown}: {', '.join(reasons) or 'no signal value'}): left out "
            "of the grouping, in no cluster; add hierarchy (or io) to place them")
    _say(r.info, note)
    return sim.restrict([c for c in sim.codes if c not in set(blind)])


def _covering_level(sim, rel_frame, df, io_table, user_table, rel_note: dict, r: _Run):
    """The similarity at the level that covers the economy, for a grouping at the deepest
    level of the input (no --level).

    The deepest level may detail a few sections only (a Kazakh table breaks B and C into
    divisions): grouping it leaves the rest of the economy out of every cluster.  Two lone
    codes under one section (CBP's 311 and 332 beside every sector) are replaced by the
    level above (built again on ``rel_frame``; ``r.level`` set to it, said); more codes are
    grouped as they are, said.  Returns ``(sim, grouped level, the level above said to be in
    no cluster or None)``.
    """
    from clusterid.core import overlaps

    grouped = sim.info["level"]
    coverage = overlaps.level_coverage(df, r.own, r.rl, grouped)
    said_top = None
    if coverage is not None and coverage[0] < 0.5 and sim.n <= 2:
        # two lone codes under one section (CBP's 311 and 332 beside every sector): their
        # one similarity cannot be compared with another, so grouping them split them into
        # two clusters of one industry each, 'an artefact of the scaling', and left the
        # rest of the economy out; the level above covers it
        share, top = coverage
        few = ", ".join(map(str, sim.codes))
        sim = _build_similarity(rel_frame, top, io_table, user_table, rel_note, r,
                                f"relatedness ({r.signals}) at level {top}")
        _say(r.info, f"level {grouped}, the deepest in the input, has only "
                     f"{len(few.split(', '))} industries ({few}), detailing the level-{top} "
                     f"codes that hold {share:.0%} of the employment: grouping level {top}, "
                     f"which covers the economy (--level {grouped} groups those)")
        grouped = r.level = top
    elif coverage is not None and coverage[0] < 0.5:
        share, top = coverage
        note = (f"grouping level {grouped}, the deepest in the input, which details only "
                f"the level-{top} codes holding {share:.0%} of the employment; the rest is "
                f"in no cluster (--level {top} groups the whole economy)")
        _say(r.info, note)
        said_top = top
    return sim, grouped, said_top


def _say_lone_codes(df, sim, grouped, said_top, r: _Run) -> None:
    """Say the industries listed at another level than the ``grouped`` one, with no code
    above or below them: in no cluster, their employment in the region totals only (the
    codes of ``said_top``, the level a note already called "the rest", not named again)."""
    import polars as pl

    from clusterid import schema
    from clusterid.core import codes as ccodes
    from clusterid.core import strength

    classification = r.classification
    # lazily: an eager filter copied every column of the table (+1.5 GB on the county panel)
    lone = [c for c in strength.lone_codes(df.lazy().filter(pl.col(schema.OWNERSHIP) == r.own)
                                           if schema.OWNERSHIP in df.columns else df)
            if c not in set(sim.codes) and ccodes.level(c, classification) != grouped]
    # the codes of the level the note above named are "the rest" it says is in no cluster:
    # not named a second time (a Kazakh table's sections A, D, E ... beside B's and C's
    # divisions)
    lone = [c for c in lone if ccodes.level(c, classification) != said_top]
    if lone:
        shown = ", ".join(lone[:8]) + (f" ... ({len(lone)} in all)" if len(lone) > 8 else "")
        note = (f"{len(lone)} industries listed at another level than the grouped level "
                f"{grouped}, with no code above or below them ({shown}), are in no cluster; "
                "their employment counts in the region totals")
        _say(r.info, note)


def _group_industries(sim, df, r: _Run):
    """Group the industries of ``sim`` (--method, --n-clusters or --resolution, seeded);
    ``(grouping result, definitions)``, the clusters named after the code their core
    industries share (titled as ``df`` titles it) and typed by USCMP's majority where it
    applies.  Sets the metadata's ``grouping``.  Raises UsageError where there is nothing to
    group, every pair is equally similar, or --n-clusters is out of range.
    """
    import numpy as np

    from clusterid.core import definitions as cdefs
    from clusterid.core import grouping
    from clusterid.errors import UsageError

    a, level, signals, classification = r.asked, r.level, r.signals, r.classification
    if sim.n < 2:
        _nothing_to_group(sim, level, r.rl, classification)
    if sim.n == 2 and a.n_clusters is None:
        # one pair: the combined similarity is mapped to [0, 1] over the pairs, so it is 0
        # whatever the signals say, and the grouping split every two industries unsaid
        lev = sim.info.get("level", level)
        _say(r.info, f"only 2 industries {_at_level(lev, classification)} "
                     f"({', '.join(map(str, sim.codes))}): their one similarity has no other "
                     "pair to be compared with, so their split is an artefact of the scaling, "
                     "not a finding; --n-clusters 1 keeps them together, "
                     + ("another --level or " if lev is not None else "")
                     + "--definitions FILE groups more")
    off = np.asarray(sim.matrix, dtype=float)[~np.eye(sim.n, dtype=bool)]
    off = off[np.isfinite(off)]
    if sim.n > 2 and (off.size == 0 or np.ptp(off) < 1e-12):
        # every pair equally similar: any partition scores alike and the clusters would be
        # an artefact of the solver (--signals hierarchy on sections or custom codes)
        given = signals.split(",")
        why = [w for s_, w in (
            ("colocation", "co-location finds every industry spread over the regions alike"),
            ("coagglomeration", "co-agglomeration finds every pair alike"),
            ("io", "the io table links every pair alike"),
            ("hierarchy", "the hierarchy tells nothing about codes of one level without a "
                          "finer tree, or custom codes")) if s_ in given]
        add = [s_ for s_ in ("colocation", "io") if s_ not in given]
        # "add colocation" to --signals colocation,hierarchy sent the user to what was given
        raise UsageError(
            f"--signals {signals}: every pair of the {sim.n} industries is equally similar "
            f"({'; '.join(why) or 'no signal tells them apart'}); "
            + (f"add {' (or '.join(add)}{')' if len(add) > 1 else ''}, or " if add else "")
            + "use --definitions FILE")
    if a.n_clusters is not None and not 1 <= a.n_clusters <= sim.n:
        shown = ", ".join(map(str, sim.codes[:8])) + (" ..." if sim.n > 8 else "")
        lev = sim.info.get("level", level)
        raise UsageError(f"--n-clusters {a.n_clusters}: expected 1 to {sim.n}, the industries "
                         "grouped" + (f" at level {lev}" if lev is not None else "")
                         + f" ({shown})")
    with _step(f"grouping {sim.n} industries ({a.method})"):
        result = grouping.find_clusters(sim, method=a.method, n_clusters=a.n_clusters,
                                        resolution=a.resolution, random_state=a.random_state,
                                        n_seeds=a.n_seeds)
    result = _named_by_parents(result, classification, df)
    defs = cdefs.from_cluster_result(result)
    if r.uscmp is not None:
        defs = cdefs.with_types(defs, cdefs.majority_types(defs, r.uscmp))
    r.info["grouping"] = {"method": result.method, "params": result.params,
                          "vs_industry": result.vs_industry, "vs_cluster": result.vs_cluster,
                          "sweep": result.sweep.to_dicts(),
                          "cluster_type": "majority of members' USCMP traded/local flag"
                          if r.uscmp is not None else "unknown (no benchmark to type clusters)"}
    return result, defs


def _given_definitions(r: _Run, file_defs=None):
    """The --definitions (uscmp or FILE) matched to the input's codes: spelt as the data spell
    them, parents and NACE aggregates matched to their parts, restricted to --universe.  Says
    what could not be matched, a table holding few of their industries and, for a FILE, the
    input's industries in none of their clusters.  Raises UsageError where none of the
    input's industries is in them.
    """
    from clusterid import schema
    from clusterid.cli import console
    from clusterid.core import definitions as cdefs
    from clusterid.errors import UsageError
    from clusterid.io import definitions as iodefs

    definitions, year = r.asked.definitions, r.year
    classification, data_codes = r.classification, r.data_codes
    defs = cdefs.align_to_data(
        cdefs.normalize_codes(file_defs if file_defs is not None
                              else iodefs.load_definitions(definitions, year=year),
                              classification, data_codes),
        data_codes)
    # 311 (or NACE's C10) named, the data in six digits (classes): its parts count,
    # rather than no row
    defs, parts, filled = cdefs.match_parents(defs, data_codes, classification)
    if classification == schema.NACE:
        # an aggregate on one side, its parts on the other (K-N named, K, L, M_N in the
        # data): matched, and what cannot be matched is said rather than left at nothing
        defs, told = cdefs.match_nace_aggregates(defs, data_codes, resolved_before=filled)
        told = parts + told
    else:
        told = parts + cdefs.codes_not_of(defs, classification, data_codes)
        if (iodefs.is_uscmp(definitions) and year is not None
                and defs.vintage != cdefs.vintage_for_year(year)):
            own_vintage = cdefs.align_to_data(
                iodefs.load_uscmp(cdefs.vintage_for_year(year)), data_codes)
            told += cdefs.vintage_gaps(defs, own_vintage, data_codes)
    if told:
        for sentence in told:
            console.info(f"detect: {sentence}")
    if r.asked.universe == "uscmp-traded":
        defs = defs.restrict(r.industries)
    if not set(defs.members[cdefs.INDUSTRY].to_list()) & set(data_codes):
        sample = ", ".join(sorted(str(c) for c in data_codes
                                  if c != schema.ALL_INDUSTRIES)[:5])
        if iodefs.is_uscmp(definitions) and classification != schema.NAICS:
            # as --compare and --universe say it: which classification is which
            raise UsageError(
                f"--definitions {definitions}: none of the input's industries ({sample} ...)"
                f" is in the definitions, which are NAICS (the input's codes are "
                f"{classification or 'of no known classification'}); give --definitions "
                "FILE of the input's codes, or leave it out to group them")
        if iodefs.is_uscmp(definitions):
            # a CBP or QCEW table cut at sectors or subsectors: the USCMP clusters are sets
            # of six-digit industries, which no code of two to five digits can be split into
            from clusterid.core.codes import level as code_level

            deepest = max((code_level(str(c), schema.NAICS) or 0) for c in data_codes)
            raise UsageError(
                f"--definitions {definitions}: none of the input's industries ({sample} ...)"
                f" is in the definitions, which are six-digit NAICS industries; the input's "
                f"codes go down to {deepest} digits (a table of six-digit codes, or leave "
                "--definitions out to group the input's own)")
        raise UsageError(f"--definitions {definitions}: none of the input's industries "
                         f"({sample} ...) is in the definitions; their codes are of another "
                         "classification or level")
    listed = set(defs.members[cdefs.INDUSTRY].to_list())
    if 2 * len(listed & set(data_codes)) < len(listed):
        # a file of some industries (QCEW's by-industry slices: 336411 alone) gave clusters
        # of one member of seven, each 'reported' with that member's jobs, nothing said
        _say(r.info, f"the input holds {len(listed & set(data_codes))} of the definitions' "
                     f"{len(listed)} industries: each cluster's employment, share and LQ "
                     "count the members present only (n_industries_data in "
                     "cluster_summary.csv); a table of some industries gives part-clusters")
    if not iodefs.is_uscmp(definitions):
        outside = _outside_definitions(defs, data_codes, classification)
        if outside:
            shown = ", ".join(outside[:8]) + (f" ... ({len(outside)} in all)" if len(outside) > 8 else "")
            _say(r.info, f"{len(outside)} industr{'y' if len(outside) == 1 else 'ies'} of the "
                         f"input at the definitions' level {'is' if len(outside) == 1 else 'are'}"
                         f" in none of their clusters ({shown}): their employment counts in "
                         "the region totals only")
    return defs


def _record_present(defs, data_industries, r: _Run) -> None:
    """The definitions' members the input holds (``n_industries_data`` of cluster_summary.csv,
    summed) and the clusters holding one, in the metadata's ``definitions`` block: the
    summary line counted every definition code, 1,016 industries of USCMP's on the Utah
    sample that holds 918 of them."""
    from clusterid.core import definitions as cdefs

    present = set(data_industries or [])
    members = defs.members.filter(defs.members[cdefs.INDUSTRY].is_in(sorted(present)))
    r.info["definitions"]["n_industries_data"] = members.height
    r.info["definitions"]["n_clusters_data"] = members[cdefs.CLUSTER_ID].n_unique()


def _record_definitions(defs, r: _Run) -> None:
    """The metadata's ``definitions`` block: name, spec, vintage, notes, sizes."""
    r.info["definitions"] = {"name": defs.name, "spec": r.asked.definitions,
                             "vintage": defs.vintage, "notes": list(defs.notes),
                             "n_clusters": defs.n_clusters, "n_industries": defs.members.height}


def _compare_with_benchmark(sim, defs, r: _Run) -> None:
    """Compare ``defs`` with --compare's benchmark over the industries both and ``sim``
    share: ARI, AMI and both partitions' validation scores, as the metadata's ``compare``.
    Raises UsageError when fewer than two industries are shared."""
    from clusterid.core import validation
    from clusterid.errors import UsageError

    compare, benchmark = r.asked.compare, r.benchmark
    common = [c for c in sim.codes if c in defs.labels() and c in benchmark.labels()]
    if len(common) < 2:
        # a definitions file of 3- or 4-digit codes shares none with the similarity, which
        # is between the industries of one level: said which, not only "fewer than two"
        level_of = sim.info.get("level")
        raise UsageError(
            f"--compare {compare}: {len(common)} of the {sim.n} industries the similarity is "
            f"measured between{f' (level {level_of})' if level_of is not None else ''} "
            f"{'is' if len(common) == 1 else 'are'} in both the definitions and the "
            f"benchmark ({', '.join(common) or 'none'}); two partitions are compared on the "
            "codes they share, so give definitions of codes of that level")
    sub = sim.restrict(common)
    la, lb = defs.labels(), benchmark.labels()
    cmp = validation.compare([la[c] for c in common], [lb[c] for c in common], sub.matrix)
    r.info["compare"] = {
        "benchmark": compare, "benchmark_vintage": benchmark.vintage,
        "n_industries": len(common), "ari": cmp["ari"], "ami": cmp["ami"],
        "data": {"n_clusters": cmp["n_clusters"], "vs_industry": cmp.get("vs_industry"),
                 "vs_cluster": cmp.get("vs_cluster")},
        "benchmark_scores": {"n_clusters": cmp["benchmark_n_clusters"],
                             "vs_industry": cmp.get("benchmark_vs_industry"),
                             "vs_cluster": cmp.get("benchmark_vs_cluster")}}


def _regional_strength(handed: list, defs, r: _Run):
    """Each region's clusters under --rule, on the places of the table.

    ``handed``: the bounded (or imputed) table in a one-item list, which is emptied: it goes
    once the places' rows are taken (a copy where areas that are no place were left out).
    Returns ``(strength result, the industries of the ownership worked on)``; sets the
    metadata's ``strength`` and says what the tables rest on.  Raises UsageError when no
    region has a value in any cluster's industries.
    """
    import polars as pl

    from clusterid import schema
    from clusterid.cli import console
    from clusterid.cli.options import one_region_note
    from clusterid.core import strength
    from clusterid.errors import UsageError

    own = r.own
    # areas that are no place (QCEW's xx999 'Unknown Or Undefined', CBP's county 999,
    # Eurostat's Extra-Regio) served the bounds above as parts of their state or country; ranked
    # among themselves they came out as regions with strong clusters (Alabama's unallocated
    # employment: five)
    places, non_place = _places_only(handed.pop())
    frame_own = places.filter(pl.col(schema.OWNERSHIP) == own)
    if non_place:
        r.info["left_out_non_place_areas"] = non_place
        console.info("detect: left out of the regional ranking, as no place: "
                     + ", ".join(f"{n} {level} area(s)" for level, n in non_place.items()))
    with _step("regional strength"):
        res = strength.regional_strength(frame_own, defs, rule=r.rule,
                                         suppressed=r.asked.suppressed,
                                         denominator=r.asked.lq_denominator, totals_frame=places)
    r.info["strength"] = res.info
    _say_strength_notes(res, r)
    note = one_region_note(res.regional[schema.REGION], "every LQ is 1 and no cluster can "
                           "be strong", "add the other regions of the same level to the input")
    if note:
        _say(r.info, note)
    if not res.regional.height:
        raise UsageError(f"ownership {own!r}: no region has a value in any cluster's industries "
                         f"(the input's {own} rows hold "
                         f"{frame_own[schema.INDUSTRY].n_unique()} industry code(s)); choose "
                         "another --ownership")
    _say_missing_cells(res, r, places)
    return res, frame_own[schema.INDUSTRY].unique().to_list()


def _say_strength_notes(res, r: _Run) -> None:
    """Say what the regional strength decided for the user: total-denominator LQs of a lone
    typed cluster or untyped ones, regions not in every period, region totals that are lower
    bounds or missing, calls the data cannot decide."""
    from clusterid.cli import console

    lone = res.info["lq_denominator"].get("lone_typed_clusters")
    if lone:
        shown = ", ".join(f"{kind} cluster {cid}" for kind, cid in sorted(lone.items()))
        console.info(f"detect: LQs against the regions' total employment (lq_denominator = "
                     f"total) for the only cluster of its type in the input ({shown}): against "
                     "its own type's employment, itself, its LQ would be 1 in every region")
    untyped = res.info["lq_denominator"].get("untyped_clusters")
    if untyped and r.asked.lq_denominator == "typed":
        shown = ", ".join(untyped[:8]) + (f" ... ({len(untyped)} in all)" if len(untyped) > 8 else "")
        console.info(f"detect: --lq-denominator typed: {len(untyped)} cluster(s) have no traded/"
                     f"local type ({shown}) and use the regions' total employment "
                     "(lq_denominator = total); give types in a --definitions FILE (column "
                     "type), or group NAICS codes, which take USCMP's")
    regions = res.regions
    if (regions is not None and regions.height and "traded_employment" in regions.columns
            and regions.get_column("traded_employment").null_count() == regions.height):
        # data-driven clusters of a NACE / OKED table have no traded or local type: the
        # columns that rest on it were empty in every row without a word
        _say(r.info, "no cluster has a traded or local type (USCMP types NAICS codes only), "
             "so traded_employment, strong_traded_employment and cluster_strength in "
             "region_summary.csv are empty; a --definitions FILE with a type column "
             "(traded, local) gives them")
    uneven = res.info.get("regions_in_some_periods")
    if uneven:
        shown = "; ".join(f"{r_}: {', '.join(p)}" for r_, p in list(uneven.items())[:5]) + (
            f" ... ({len(uneven)} in all)" if len(uneven) > 5 else "")
        note = (f"{len(uneven)} region(s) are not in every period ({shown}): each period's LQs "
                "are against the regions it has, so lq_change compares two benchmarks; keep "
                "the regions present throughout for a like-for-like change")
        _say(r.info, note)
    low = res.info.get("regions_with_lower_bound_total") or []
    if low:
        shown = ", ".join(low[:5]) + (f" ... ({len(low)} in all)" if len(low) > 5 else "")
        console.info(f"detect: {len(low)} region total(s) unpublished or suppressed ({shown}): "
                     "each is the sum of the region's published industries, a lower bound, so "
                     "its shares and total-denominator LQs are upper bounds")
    blank = res.info.get("regions_without_total") or []
    if blank:
        shown = ", ".join(blank[:5]) + (f" ... ({len(blank)} in all)" if len(blank) > 5 else "")
        console.info(f"detect: {len(blank)} region(s) publish no industry's employment and no "
                     f"total ({shown}): their shares, LQs and ranks in regional_clusters are "
                     "empty and no cluster is strong there")
    undecided = res.info.get("undecided_calls")
    if undecided:
        shown = "; ".join(f"{reason}: {n}" for reason, n in undecided.items())
        console.info(f"detect: {sum(undecided.values())} region x cluster call(s) the data "
                     f"cannot decide ({shown}): strong is empty there, strong_reason says why, "
                     "and they are neither counted nor listed as strong")
    _say_none_strong(res, r)


def _none_strong_note(regional, rule: str) -> str | None:
    """Why no region x cluster of the last period is strong, or None when one is: the calls
    false and undecided, and of the false ones those an LQ of 1 or more left out only for
    their interval (a significance term: small counts give wide intervals).  An empty
    ``n_strong`` throughout (a table of tiny counts under a rule with 'significant') ended
    the run in silence."""
    import polars as pl

    from clusterid import schema
    from clusterid.core import strength

    if regional is None or not regional.height:
        return None
    last = regional.filter(pl.col(schema.PERIOD) == regional.get_column(schema.PERIOD).max())
    calls = last.get_column(strength.STRONG)
    if calls.fill_null(False).any():
        return None
    false, unknown = int((calls == False).sum()), int(calls.is_null().sum())  # noqa: E712
    parts = [f"{false} false", *([f"{unknown} undecided (strong_reason says why)"] if unknown else [])]
    if "significant" in rule:
        # (significant: the interval's low end above 1; -bh, -bonferroni: the corrected test)
        wide = last.filter((pl.col(strength.STRONG) == False)  # noqa: E712
                           & (pl.col(strength.LQ) >= 1)
                           & (~(pl.col(strength.LQ_CI_LOWER) > 1).fill_null(False)
                              if "significant-" not in rule else pl.lit(True))).height
        if wide:
            parts.append(f"{wide} with an LQ of 1 or more not significant: small counts give "
                         "wide intervals")
    return (f"no region x cluster is strong under --rule {rule} in "
            f"{last.get_column(schema.PERIOD).max()} ({last.height} calls: "
            + "; ".join(parts) + "); regional_clusters.csv lists every call with its LQ, "
            "interval and strong_reason")


def _say_none_strong(res, r: _Run) -> None:
    note = _none_strong_note(res.regional, r.rule.name if r.rule.name != "user" else r.asked.rule)
    if note:
        _say(r.info, note)


def _say_missing_cells(res, r: _Run, table=None) -> None:
    """Say how much of the clusters' member cells have no value, and with --suppressed drop
    that ``employment`` counts the published cells only.  ``table``: the table the cells are
    of, asked whether --suppressed impute has anything to fill them with (suggested only then,
    as lq does: core.lq.impute_could_fill)."""
    from clusterid.cli import console
    from clusterid.core.lq import impute_could_fill

    suppressed = r.asked.suppressed
    missing = res.info["lq_denominator"]["missing_cell_share"]
    if missing and missing > 0.5 and suppressed != "impute":
        fill = ("--suppressed impute fills them within their bounds"
                if table is None or impute_could_fill(table) else
                "--suppressed impute cannot fill them (no establishment counts, no published "
                "total above them to bound them)")
        console.info(f"detect: {missing:.0%} of the clusters' member cells have no value "
                     f"(suppressed) and are left out of the cluster sums; the LQs use total "
                     f"employment; {fill}")
    if missing and suppressed == "impute":
        # cells the imputation could not fill (no establishments, no finite upper bound) stay
        # out of the sums, while --suppressed impute reads as "every total complete"
        note = (f"--suppressed impute left {missing:.1%} of the clusters' member cells without "
                "a value (nothing to impute them from: see suppression.notes in metadata.json); "
                "they are out of the cluster sums, so the rows holding them are lower bounds "
                "(employment_status partial or suppressed, employment_upper empty)")
        _say(r.info, note)
    # (a result made by hand, as test_known_gaps_24 makes one, may lack the count: no note)
    rows_missing = getattr(res, "rows_missing_cells", 0)
    if suppressed == "drop" and (drop_note := _drop_employment_note(res.regional, rows_missing)):
        r.info.setdefault("notes", []).append(drop_note)
        console.info(f"detect: {drop_note}")


def _output_tables(defs, sim, result, res, data_industries, r: _Run) -> dict:
    """The output tables by file name: clusters, cluster summary, regional clusters, region
    summary, and relatedness when a similarity was measured."""
    from clusterid.core import cluster_tables

    clusters_df = cluster_tables.clusters_table(defs, similarity=sim, benchmark=r.benchmark)
    summary_df = cluster_tables.cluster_summary(
        defs, res.regional, data_industries=data_industries, similarity=sim,
        grouping_clusters=result.clusters if result is not None else None)
    tables = {"clusters.csv": clusters_df, "cluster_summary.csv": summary_df,
              "regional_clusters.csv": res.regional, "region_summary.csv": res.regions}
    if sim is not None:
        tables["relatedness.csv"] = _related_pairs(sim)
    return tables


def _write(outdir: str, tables: dict, inputs: list[dict], r: _Run) -> dict:
    """Write ``tables`` and metadata.json into ``outdir`` (:func:`write_outputs`); the
    metadata written."""
    from clusterid.io.tables import base_metadata

    meta = base_metadata("detect", inputs=inputs, options=r.options,
                         random_state=r.asked.random_state, **r.info)
    with _step("writing the outputs"):
        meta["files"] = write_outputs(
            outdir, tables, meta, on_wait=lambda: _say_now(
                f"waiting for another detect run to finish writing to {outdir} ..."))
    return meta


def _refuse_writing_over_inputs(outdir: str, input_path, asked) -> None:
    """UsageError when a file detect writes into OUTDIR is one of its inputs (or an input's
    sidecar): 'detect clusters.csv -o .' replaced the input table by the clusters, exit 0."""
    from clusterid.io.tables import refuse_overwriting

    given = [input_path] if isinstance(input_path, (str, Path)) else list(input_path)
    sources = [str(s) for s in (*given, asked.io, asked.crosswalk, asked.similarity,
                                asked.definitions) if s]
    for name in (*OUTPUT_FILES, "metadata.json"):
        # a folder's clusters.csv given back as --definitions is re-written with the same
        # clusters (read whole before anything is written; the tables staged, then renamed)
        refuse_overwriting(str(Path(outdir) / name),
                           [s for s in sources if not (name == "clusters.csv" and s == str(asked.definitions))])


def _check_outdir_writable(outdir: str) -> None:
    """Refuse at once an output folder that cannot be written (read-only, a file in the way),
    before the reading, imputation and grouping that take most of a run (30 s on the county
    panel), instead of failing after them.  Nothing is created here."""
    import os

    from clusterid.errors import OutputError

    folder = Path(outdir)
    size = len(folder.name.encode("utf-8", "surrogateescape"))
    if size > 255:  # NAME_MAX of the usual file systems: "internal error: OSError: [Errno 36]"
        raise OutputError(f"{outdir}: cannot write the output folder: its name is {size} "
                          "bytes, the file system takes at most 255; give a shorter name; "
                          "nothing was read")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{outdir}: exists and is not a folder")
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and (not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK)):
        where = ("" if probe == folder else f" ({probe} is a file)" if not probe.is_dir()
                 else f" ({probe} is not writable)")
        raise OutputError(f"{outdir}: cannot write the output folder{where}; nothing was read")


def _say_now(note: str) -> None:
    """A passing note on stderr (not for metadata.json)."""
    from clusterid.cli import console

    console.info(f"detect: {note}")


def _say(info: dict, note: str) -> None:
    """A note for the user: into metadata.json's notes and on stderr."""
    from clusterid.cli import console

    info.setdefault("notes", []).append(note)
    console.info(f"detect: {note}")


def _read_raw(paths, meta) -> bool:
    """Whether INPUT was a raw file ingested on the fly (not a canonical table or a set of
    them, whose ingest said what it dropped and warned of)."""
    from clusterid.cli.options import input_list
    from clusterid.io.ingest import is_canonical_file, resolve_paths

    if not isinstance(meta, dict) or meta.get("tables"):
        return False  # a set of canonical tables
    given = input_list(paths)
    return not (len(given) == 1 and len(files := resolve_paths(given)) == 1
                and is_canonical_file(files[0]))


def _dropped_on_reading(meta) -> str | None:
    """The rows the ingest of a raw INPUT on the fly left out, by reason, as `clusterid ingest`
    says them (region totals, notes under a table, QCEW's domain rows ...); they were in the
    metadata only."""
    reasons = sorted(((n, why) for why, n in (meta.get("dropped") or {}).items()
                      if isinstance(n, int) and n and not str(why).startswith("rejected")),
                     key=lambda t: (-t[0], t[1]))
    if not reasons:
        return None
    return (f"reading the input dropped {sum(n for n, _ in reasons)} rows: "
            + "; ".join(f"{n} {why}" for n, why in reasons[:4])
            + (f"; ... ({len(reasons)} reasons, all in metadata.json)" if len(reasons) > 4 else "")
            + ("; the options named are clusterid ingest's (run it, then give its table to "
               "detect)" if any(" --" in str(why) for _, why in reasons[:4]) else ""))


def _outside_definitions(defs, data_codes, classification) -> list[str]:
    """The input's codes of the levels the definitions name that no definition holds, nor a
    code above them (a definitions file of sections A, B, C over a table of A-S: D ... S)."""
    from clusterid import schema
    from clusterid.core import codes as ccodes
    from clusterid.core import definitions as cdefs

    if classification is None or classification == schema.CUSTOM:
        return []
    named = set(defs.members[cdefs.INDUSTRY].to_list())
    levels = {ccodes.level(c, classification) for c in named if c in set(data_codes)} - {None}
    out = []
    for c in data_codes:
        lv = ccodes.level(c, classification) if c is not None else None
        if lv not in levels or c in named or c == schema.ALL_INDUSTRIES:
            continue
        if any(ccodes.parent(c, classification, up) in named for up in range(1, lv)):
            continue
        out.append(c)
    return sorted(out)


def _titled(sim, classification):
    """``sim`` with the classification's official titles (:func:`clusterid.io.definitions.
    classification_titles`) for the codes the input gave none: QCEW's single-file layout and
    a national office's table of codes alone named every cluster by a code ("Cluster 2
    (311111)"); the titles name them by their core industries, as the input's own titles do.
    The count is in the relatedness metadata."""
    import dataclasses

    if all(sim.names):
        return sim
    from clusterid.core import grouping
    from clusterid.io.definitions import classification_titles

    own = [n for n in sim.names if n]
    if 2 * len(own) >= len(sim.names) and not grouping.in_english(own):
        # an input titling most of its industries in another language (an OKED table's
        # Russian): the bundled English titles of the others named its clusters in English
        # where the core's were untitled ('Extraction of crude petroleum and natural gas'), as
        # _named_by_parents keeps them from its parents; its clusters take its own titles
        return sim
    titles = classification_titles(classification)
    filled = [n or titles.get(c) for c, n in zip(sim.codes, sim.names)]
    n_filled = sum(1 for n, f in zip(sim.names, filled) if f and not n)
    if not n_filled:
        return sim
    return dataclasses.replace(sim, names=tuple(filled),
                               info={**sim.info, "titles_from_classification": n_filled})


def _named_by_parents(result, classification, df):
    """``result`` with its clusters named after the code their core industries share
    (:func:`clusterid.core.grouping.named_by_parents`), titled as the input titles it, else
    by the bundled titles of the classification."""
    from clusterid import schema
    from clusterid.core import codes as ccodes
    from clusterid.core import grouping
    from clusterid.io.definitions import classification_titles

    if classification is None:
        return result
    titles = classification_titles(classification)
    if schema.INDUSTRY_NAME in df.columns:
        given = (df.select(schema.INDUSTRY, schema.INDUSTRY_NAME).drop_nulls()
                 .unique(schema.INDUSTRY, keep="first", maintain_order=True))
        own = dict(zip(given[schema.INDUSTRY].to_list(), given[schema.INDUSTRY_NAME].to_list()))
        # the bundled titles are English: beside an input titled in another language they
        # made names of two ('Manufacturing: Производство одежды'), so only the input's own
        # titles name its parents then (an input titling most of its industries: one title
        # of its own among codes titled from the bundle is no language of the table)
        foreign = (2 * sum(1 for c in result.codes if own.get(c)) >= len(result.codes)
                   and not grouping.in_english(list(own.values())))
        titles = own if foreign else {**titles, **own}
    ancestors = {code: [(par, titles.get(par)) for _child, par in ccodes.parent_links(code, classification)
                        if par != schema.ALL_INDUSTRIES]
                 for code in result.codes}
    # no early return where no code has a parent (a table of sections): a cluster of one
    # industry still takes its title
    return grouping.named_by_parents(result, ancestors)


def detect_command(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT...", help="Raw agency file(s) or canonical table; several files, a quoted glob ('by_area/*.csv') or a zip archive are read as one input; - for stdin.", show_default=False)],
    outdir: Annotated[str, typer.Option("--output", "-o", metavar="OUTDIR", help="Output folder.")],
    signals: Annotated[str, typer.Option("--signals", help="Relatedness signals, comma-separated: colocation, coagglomeration, io, hierarchy, user.")] = SIGNALS_DEFAULT,
    io: Annotated[Optional[str], typer.Option("--io", help="Input-output Use table (BEA layout or a square matrix).")] = None,
    crosswalk: Annotated[Optional[str], typer.Option("--crosswalk", help="Crosswalk IO codes -> industry codes (BEA MasterCrosswalk2017.csv works as is).")] = None,
    similarity: Annotated[Optional[str], typer.Option("--similarity", help="User similarity table (industry_a, industry_b, similarity); adds the 'user' signal.")] = None,
    method: Annotated[str, typer.Option("--method", help="Grouping: dps (hierarchical + k-means refinement) or leiden.")] = "dps",
    n_clusters: Annotated[Optional[int], typer.Option("--n-clusters", help="Number of clusters (dps; default: chosen by validation scores).")] = None,
    resolution: Annotated[Optional[float], typer.Option("--resolution", help="Leiden resolution (default: chosen by validation scores).")] = None,
    definitions: Annotated[Optional[str], typer.Option("--definitions", help="Use benchmark definitions instead of grouping: uscmp, uscmp:<NAICS vintage>, or a CSV (industry, cluster[, cluster_name, type]).")] = None,
    compare: Annotated[Optional[str], typer.Option("--compare", help="Compare with uscmp: ARI, AMI and both partitions' validation scores.")] = None,
    rule: Annotated[str, typer.Option("--rule", help="uscmp-strong, uscmp-top10, uscmp-significant, uscmp-qualifying, eco-stars, or e.g. 'lq>=1.25,employment>=500,significant' (significant-bh / significant-bonferroni: multiple-testing control over all cells).")] = "uscmp-strong",
    suppressed: Annotated[str, typer.Option("--suppressed", help="Suppressed cells in the regional tables: drop (left out, counted), bounds (a point inside the bounds that keeps the adding-up), impute. Relatedness (co-location) always reads them imputed.")] = "drop",
    level: Annotated[Optional[int], typer.Option("--level", help="Industry code level to group (NAICS digits 2-6, NACE 1-4; default: the deepest level in the input, or the level above it when the deepest holds two industries or fewer detailing less than half of the employment).")] = None,
    ownership: Annotated[str, typer.Option("--ownership", help="auto (private when present, else total), or an ownership of the input.")] = "auto",
    region_level: Annotated[str, typer.Option("--region-level", help="Regions used for relatedness: auto (the level with most regions) or a region_level.")] = "auto",
    universe: Annotated[str, typer.Option("--universe", help="Industries to group: all, or uscmp-traded.")] = "all",
    lq_denominator: Annotated[str, typer.Option("--lq-denominator", help="Cluster LQ denominator: auto, typed (traded/local, USCMP), total.")] = "auto",
    month: Annotated[str, typer.Option("--month", help="Quarterly QCEW input: annual (average of the year), average (per quarter), 1, 2 or 3.")] = "annual",
    n_seeds: Annotated[int, typer.Option("--n-seeds", help="Extra seeded runs for co-assignment probabilities.")] = 10,
    random_state: Annotated[int, typer.Option("--random-state", help="Seed for every random step (recorded in metadata).")] = 0,
    period: Annotated[Optional[list[str]], typer.Option("--period", help="Only these periods (repeat, or comma-separated), e.g. the first and last year of a panel: growth runs from the first to the last kept; the summaries are of the last. From Parquet only their rows are read, so a panel too large for memory can be run on the years wanted. Everything is computed as on a table of those periods alone, the imputation of suppressed cells too (lq --period imputes on every period).")] = None,
) -> None:
    from clusterid.cli import console
    from clusterid.cli.options import keyword

    # keywords in any case (--method Leiden, --rule USCMP-Strong, --suppressed BOUNDS ...)
    method, rule, suppressed, universe, lq_denominator = (
        keyword(v) for v in (method, rule, suppressed, universe, lq_denominator))
    meta = run(inputs if len(inputs) > 1 else inputs[0], outdir, signals=signals, io=io, crosswalk=crosswalk,
               similarity=similarity, method=method, n_clusters=n_clusters,
               resolution=resolution, definitions=definitions, compare=compare, rule=rule, suppressed=suppressed,
               level=level, ownership=ownership, region_level=region_level, universe=universe,
               lq_denominator=lq_denominator, month=month, n_seeds=n_seeds,
               random_state=random_state, period=period)
    console.info(f"detect: {_summary_line(meta['definitions'])}; wrote {outdir}/")
    if "compare" in meta:
        c = meta["compare"]
        console.info(f"detect: against {c['benchmark']}: ARI {c['ari']:.3f}, AMI {c['ami']:.3f} "
                     f"over {c['n_industries']} industries")


def _summary_line(defs: dict) -> str:
    """'N industries in K clusters' of the input's industries (members of the definitions the
    input holds), with how many definition codes and clusters it lacks, if any."""
    n = defs.get("n_industries_data", defs["n_industries"])
    k = defs.get("n_clusters_data", defs["n_clusters"])
    text = (f"{n} {'industry' if n == 1 else 'industries'} in {k} "
            f"{'cluster' if k == 1 else 'clusters'}")
    absent, empty = defs["n_industries"] - n, defs["n_clusters"] - k
    if absent:
        text += (f" ({absent} of the definitions' {defs['n_industries']} codes are absent from "
                 f"the input" + (f", and {empty} of their {defs['n_clusters']} clusters wholly"
                                 if empty else "") + ")")
    return text


# options that choose how industries are grouped from the data: refused beside --definitions
# (which bring their own clusters) unless --compare asks for both; `clusterid run` checks a
# pipeline's detect stage against the same list before anything runs
GROUPING_ONLY = ("level", "io", "similarity", "n_clusters", "resolution")


def register(app: typer.Typer) -> None:
    app.command("detect", help=HELP)(detect_command)
