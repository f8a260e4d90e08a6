"""``clusterid detect``: clusters of related industries, and each region's strong clusters.

Example::

    clusterid detect data/samples/qcew_utah_2016_counties.csv.gz -o out/ --definitions uscmp

One command runs ingest -> (impute) -> location quotients -> relatedness -> grouping ->
regional strength, as calls into the same core functions the separate subcommands use.
With ``--definitions uscmp|FILE`` the grouping step is skipped and the benchmark
definitions are used instead.  ``--compare uscmp`` adds ARI / AMI and both partitions'
validation scores.

Output folder (every file written atomically, ``metadata.json`` last; same input and options
-> byte-identical files; floats written with up to 6 significant decimals; booleans
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
    coassignment        probability that the industry lands with its cluster's core across
                        random seeds (data-driven only; empty for benchmark definitions)
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
    employment          total over regions of the (last period, first region level) data
    establishments, wages   likewise
    n_regions           regions with cluster employment > 0 (last period)
    n_strong            regions where the cluster is strong under --rule (last period)
    top_regions         "; "-joined region codes where it is strongest (up to 5, by LQ among
                        the strong ones)
    within_similarity   mean pairwise similarity of its members (empty without similarity)
    vs_industry         share of its members passing the DPS VS-Industry test (METHODS.md §4)
    mean_coassignment   mean of the members' coassignment (data-driven only)

``regional_clusters.csv`` — one row per period x region x cluster with at least one member
industry present in the region, sorted by period, region, rank_in_region:

    period, region, region_name, region_level
    cluster_id, cluster_name, cluster_type
    employment          sum of the members' employment (reported + estimated; with
                        --suppressed drop, suppressed cells are left out: see n_suppressed)
    employment_lower, employment_upper   sum of the members' bounds (reported cells count
                        their value; upper empty when a suppressed cell has no upper bound)
    employment_status   reported | partial (some member cells suppressed or estimated) |
                        suppressed (no member value known)
    n_industries        member cells present;  n_suppressed  of which suppressed/estimated
    establishments, wages
    region_employment   the region's total employment (all industries; the all-ownership
                        total when the input has one, as BLS)
    share               employment / region_employment
    lq                  cluster LQ = (employment / D_region) / (sum over regions of the same
                        region_level of employment / sum of D), D given by lq_denominator
    lq_denominator      traded (traded clusters, USCMP convention: D = the region's employment
                        in all traded clusters) | local (D = local-cluster employment) | total
                        (D = region_employment; clusters of unknown type)
    lq_ci_lower, lq_ci_upper   95% interval, delta method on ln LQ with Poisson counts
                        (METHODS.md §1); empty when employment is 0
    lq_min, lq_max      LQ at the suppression bounds (robustness): lowest and highest LQ the
                        bounds allow
    employment_growth   last period / first period - 1 (rows of the last period, when the
                        input has several periods; else empty)
    lq_change           lq last period - lq first period (idem)
    uscmp_tier          top10 | strong | significant | qualifying | none  (uscmp-strong rule,
                        quantiles over regions of the same region_level and period with
                        employment > 0; numpy linear quantiles)
    stars               0-3, European Cluster Observatory stars (size, specialisation, focus)
    star_size, star_specialisation, star_focus   the three stars as true/false
    strong              true/false under the rule chosen with --rule
    strong_robust       strong and still strong at lq_min
    rank_in_region      1 = the region's strongest cluster (strong first, then by LQ)
    rank_in_cluster     1 = the region where the cluster is strongest, among regions of the
                        same region_level and period (strong first, then by LQ)

``region_summary.csv`` — one row per period x region, sorted by period, region:

    period, region, region_name, region_level
    region_employment       total employment
    traded_employment       employment in traded clusters
    strong_traded_employment    employment in strong traded clusters
    cluster_strength        strong_traded_employment / traded_employment (USCMP)
    n_strong                number of strong clusters
    strong_clusters         "; "-joined cluster ids, by rank_in_region
    rd_employment, rd_lq    knowledge base: research and development (NAICS 5417 / NACE M72),
                            LQ against region_employment and the same level's regions
    higher_ed_employment, higher_ed_lq   higher education (NAICS 6113 / NACE P85.4)

``metadata.json`` — kind "detect", tool and schema version, every option (defaults included),
inputs with sha256, random_state, the rule and its parameters, the LQ denominators, the
quantile definition, per-file row counts and sha256, and with --compare a ``compare`` block:
``{"benchmark": "uscmp", "ari": .., "ami": .., "n_industries": .., "data": {"vs_industry": ..,
"vs_cluster": ..}, "benchmark_scores": {"vs_industry": .., "vs_cluster": ..}}``.
"""

from __future__ import annotations
