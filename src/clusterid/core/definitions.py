"""Cluster definitions: which industry belongs to which cluster, and whether it is traded or local.

A :class:`Definitions` holds two small tables — members (industry -> cluster) and clusters
(id, name, type, display order) — whatever they come from: the bundled US Cluster Mapping
Project definitions (Delgado, Porter & Stern 2016), a user file, or a data-driven partition.
Reading files is :mod:`clusterid.io.definitions`' job; this module only builds and checks.

NAICS vintages of the USCMP definitions: 1997, 2002, 2007 and 2012 as published; 2017 derived
from 2012 through the six-digit changes listed in BEA's ``MasterCrosswalk2017.csv`` (a 2017 code
takes the cluster of its 2012 sources, the most frequent one when they disagree; other codes
are assumed unchanged); 2022 derived from that 2017 set the same way, through the bundled list
of NAICS 2017 -> 2022 six-digit changes (retail trade renumbered 449-459, publishing 513,
broadcasting 516, telecommunications 517, mining and a few manufacturing merges).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from clusterid.errors import DataError, Problem, UsageError

TRADED = "traded"
LOCAL = "local"
UNKNOWN = "unknown"
CLUSTER_TYPES = (TRADED, LOCAL, UNKNOWN)

USCMP_VINTAGES = ("1997", "2002", "2007", "2012", "2017", "2022")

# Column names of the two tables (plain strings: these are not canonical-table columns).
INDUSTRY = "industry"
CLUSTER_ID = "cluster_id"
CLUSTER_NAME = "cluster_name"
CLUSTER_TYPE = "cluster_type"
CORE = "core"
ORDER = "order"
INDUSTRY_NAME = "industry_name"


@dataclass(frozen=True)
class Definitions:
    """A partition of industries into clusters.

    Attributes
    ----------
    name : str
        ``"uscmp"``, ``"file"``, ``"data:dps"`` ... (recorded in outputs as ``source``).
    members : polars.DataFrame
        ``industry`` (str, unique), ``cluster_id`` (str), ``core`` (bool), ``industry_name``
        (str or null), sorted by cluster order then industry.
    clusters : polars.DataFrame
        ``cluster_id`` (str, unique), ``cluster_name`` (str), ``cluster_type``
        (traded | local | unknown), ``order`` (int, display order), sorted by ``order``.
    vintage : str or None
        Classification vintage (``"2012"`` for NAICS 2012) when known.
    notes : tuple of str
        What a reader should know (derived vintage, unmapped codes ...).
    retired : tuple of (str, str, str)
        ``(code, cluster_id, vintage)``: codes of other NAICS vintages that ``vintage`` lacks
        (2016's 454111, 2021's 446110), with their cluster there; not members, but
        :func:`align_to_data` makes those the data still carry members (a panel across a
        revision keeps its earlier years' rows in their clusters).
    """

    name: str
    members: object
    clusters: object
    vintage: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    retired: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)

    @property
    def n_clusters(self) -> int:
        return self.clusters.height

    def labels(self) -> dict[str, str]:
        """industry -> cluster_id."""
        return dict(zip(self.members[INDUSTRY].to_list(), self.members[CLUSTER_ID].to_list()))

    def restrict(self, industries) -> "Definitions":
        """The definitions limited to ``industries`` (clusters left without members dropped)."""
        import polars as pl

        keep = set(industries)
        members = self.members.filter(pl.col(INDUSTRY).is_in(sorted(keep)))
        clusters = self.clusters.filter(pl.col(CLUSTER_ID).is_in(members[CLUSTER_ID].unique().to_list()))
        return replace(self, members=members, clusters=clusters)

    def traded_only(self) -> "Definitions":
        import polars as pl

        clusters = self.clusters.filter(pl.col(CLUSTER_TYPE) == TRADED)
        members = self.members.filter(pl.col(CLUSTER_ID).is_in(clusters[CLUSTER_ID].to_list()))
        ids = set(clusters[CLUSTER_ID].to_list())
        return replace(self, members=members, clusters=clusters,
                       retired=tuple(r for r in self.retired if r[1] in ids))


def _cluster_sort_key(cluster_id: str):
    """Numeric ids in numeric order, then the rest alphabetically."""
    try:
        return (0, int(cluster_id), "")
    except ValueError:
        return (1, 0, cluster_id)


def build(name: str, labels: dict[str, str], *, cluster_names: dict[str, str] | None = None,
          cluster_types: dict[str, str] | None = None, core: dict[str, bool] | None = None,
          industry_names: dict[str, str] | None = None, vintage: str | None = None,
          notes=(), retired=()) -> Definitions:
    """Definitions from plain mappings (industry -> cluster id and optional extras).

    Cluster ids are turned into strings; numeric ids are ordered numerically.  Types other
    than traded/local/unknown raise UsageError.
    """
    import polars as pl

    labels = {str(k): str(v) for k, v in labels.items()}
    cluster_names = {str(k): str(v) for k, v in (cluster_names or {}).items()}
    cluster_types = {str(k): str(v) for k, v in (cluster_types or {}).items()}
    for cid, ctype in cluster_types.items():
        if ctype not in CLUSTER_TYPES:
            raise UsageError(f"cluster {cid!r}: type {ctype!r}; expected one of {', '.join(CLUSTER_TYPES)}")
    ids = sorted(set(labels.values()), key=_cluster_sort_key)
    order = {cid: i for i, cid in enumerate(ids)}
    clusters = pl.DataFrame({
        CLUSTER_ID: ids,
        CLUSTER_NAME: [cluster_names.get(c, f"Cluster {c}") for c in ids],
        CLUSTER_TYPE: [cluster_types.get(c, UNKNOWN) for c in ids],
        ORDER: list(range(len(ids))),
    }, schema={CLUSTER_ID: pl.String, CLUSTER_NAME: pl.String, CLUSTER_TYPE: pl.String,
               ORDER: pl.Int64})
    inds = sorted(labels, key=lambda i: (order[labels[i]], i))
    members = pl.DataFrame({
        INDUSTRY: inds,
        CLUSTER_ID: [labels[i] for i in inds],
        CORE: [bool((core or {}).get(i, True)) for i in inds],
        INDUSTRY_NAME: [(industry_names or {}).get(i) for i in inds],
    }, schema={INDUSTRY: pl.String, CLUSTER_ID: pl.String, CORE: pl.Boolean,
               INDUSTRY_NAME: pl.String})
    return Definitions(name, members, clusters, vintage, tuple(notes), tuple(retired))


def vintage_for_year(year: int) -> str:
    """The NAICS vintage US statistics (QCEW, CBP) use for a reference year."""
    if year < 2002:
        return "1997"
    if year < 2007:
        return "2002"
    if year < 2011:
        return "2007"
    if year < 2017:
        return "2012"
    if year < 2022:
        return "2017"
    return "2022"  # QCEW and CBP code 2022 data on in NAICS 2022


def _apply_changes(labels: dict, titles: dict, olds, news, retired: dict | None = None) -> list[str]:
    """Move ``labels``/``titles`` (code -> cluster / title) to the next NAICS vintage through
    its six-digit changes (``olds[i]`` became ``news[i]``): a new code takes the cluster of its
    sources, the most frequent one when they disagree; retired codes leave.  Returns the new
    codes whose sources sat in different clusters.  ``retired`` collects the retired codes'
    clusters (and titles), for data of the earlier vintage."""
    new_from: dict[str, list[str]] = {}
    gone = set(olds)
    for old, new in zip(olds, news):
        if old in labels:
            # a code that absorbs others and keeps its number (425120 took 425110 in 2022)
            # counts as one of its own sources
            if new in labels and new not in gone and new not in new_from:
                new_from[new] = [labels[new]]
            new_from.setdefault(new, []).append(labels[old])
    kept_titles = {new: titles.get(new) for new in new_from if new in labels and new not in gone}
    for old in sorted(gone):
        if old in news:  # split, one part keeping the number: stays a code of the new vintage
            continue
        if retired is not None and old in labels:
            retired[old] = (labels[old], titles.get(old))
        labels.pop(old, None)
        titles.pop(old, None)
    ambiguous = []
    for new, sources in sorted(new_from.items()):
        counts = Counter(sources).most_common()
        best = sorted((c for c in counts if c[1] == counts[0][1]), key=lambda c: _cluster_sort_key(c[0]))[0][0]
        if len(counts) > 1:
            ambiguous.append(new)
        labels[new] = best
        titles[new] = kept_titles.get(new)
    return ambiguous


def _unbroken(title):
    """``title`` with a replacement character -- as such, or its UTF-8 bytes read as Latin-1
    (``\u00ef\u00bf\u00bd``) -- read as the apostrophe it replaced."""
    if not isinstance(title, str):
        return title
    return title.replace("\u00ef\u00bf\u00bd", "'").replace("\ufffd", "'")


def uscmp_from_tables(long, clusters, changes, vintage: str = "2012", changes_2022=None) -> Definitions:
    """USCMP definitions for a NAICS vintage from the bundled tables.

    Parameters
    ----------
    long : polars.DataFrame
        ``naics_vintage, naics_code, naics_title, cluster_code`` (all strings).
    clusters : polars.DataFrame
        ``cluster_code, cluster_name, short_name, traded`` ("True"/"False").
    changes : polars.DataFrame
        ``naics_2012, naics_2017`` six-digit pairs that differ between the vintages.
    vintage : str
        One of 1997, 2002, 2007, 2012, 2017, 2022.
    changes_2022 : polars.DataFrame, optional
        ``naics_2017, naics_2022`` six-digit pairs that differ (needed for vintage 2022).
    """
    import polars as pl

    vintage = str(vintage)
    if vintage not in USCMP_VINTAGES:
        raise UsageError(f"USCMP definitions: NAICS vintage {vintage!r} is not available; "
                         f"expected one of {', '.join(USCMP_VINTAGES)}")
    notes = []
    source = "2012" if vintage in ("2017", "2022") else vintage
    rows = long.filter(pl.col("naics_vintage") == source)
    labels = dict(zip(rows["naics_code"].to_list(), rows["cluster_code"].to_list()))
    # the project's published file spells the apostrophe of two titles as the bytes of a
    # replacement character read as Latin-1 ('Men\u00ef\u00bf\u00bds and Boys\u00ef\u00bf\u00bd
    # Cut and Sew Apparel Manufacturing', 315220 and 315240): shown as such in clusters.csv and
    # the report, said as the apostrophe it stood for
    titles = {code: _unbroken(title) for code, title in
              zip(rows["naics_code"].to_list(), rows["naics_title"].to_list())}
    retired12: dict = {}
    retired17: dict = {}
    if vintage in ("2017", "2022"):
        ambiguous = _apply_changes(labels, titles, changes["naics_2012"].to_list(),
                                   changes["naics_2017"].to_list(), retired12)
        notes.append("NAICS 2017 derived from the USCMP NAICS 2012 definitions through the "
                     f"{changes.height} six-digit changes in BEA's MasterCrosswalk2017; other codes "
                     "assumed unchanged")
        if ambiguous:
            notes.append("2017 codes whose 2012 sources sit in different clusters (most frequent "
                         "taken): " + ", ".join(ambiguous))
    if vintage == "2022":
        if changes_2022 is None:
            raise UsageError("USCMP definitions for NAICS 2022 need the NAICS 2017 -> 2022 changes")
        ambiguous = _apply_changes(labels, titles, changes_2022["naics_2017"].to_list(),
                                   changes_2022["naics_2022"].to_list(), retired17)
        notes.append("NAICS 2022 derived from those NAICS 2017 definitions through the "
                     f"{changes_2022.height} six-digit changes of NAICS 2022 bundled with clusterid "
                     "(retail 449-459, information 513-519, mining, finance, a few manufacturing merges); "
                     "other codes assumed unchanged")
        if ambiguous:
            notes.append("2022 codes whose 2017 sources sit in different clusters (most frequent "
                         "taken): " + ", ".join(ambiguous))
    names = dict(zip(clusters["cluster_code"].to_list(), clusters["cluster_name"].to_list()))
    types = {c: (TRADED if str(t).lower() == "true" else LOCAL)
             for c, t in zip(clusters["cluster_code"].to_list(), clusters["traded"].to_list())}
    # codes of other vintages the data may carry (a panel across a revision; CBP 2008-2011 are
    # NAICS 2007 though QCEW 2011 is 2012): the nearest vintage that has one says its cluster.
    # A code of the definitions' own vintage always wins: NAICS has reused a few numbers for
    # other industries far apart (513210: cable networks in 1997, software publishers in 2022;
    # skipped below), never between neighbouring vintages (no code of the bundled 1997-2012
    # lists changes cluster or comes back after a gap).
    earlier: dict[str, tuple[str, str]] = {}
    for code, (cluster, _) in retired17.items():
        earlier.setdefault(code, (cluster, "2017"))
    for code, (cluster, _) in retired12.items():
        earlier.setdefault(code, (cluster, "2012"))
    # then the published vintages around the source, nearest first: older ones (CBP 2011 in
    # NAICS 2007), and newer ones for a year coded before the definitions' vintage came (QCEW
    # 2001 is NAICS 2002, the year says 1997)
    published = sorted(set(long["naics_vintage"].to_list()))
    others = sorted((v for v in published if v != source),
                    key=lambda v: (abs(int(v) - int(source)), v > source))
    # a number a later revision gave to an industry (513210: software publishers in 2022, cable
    # networks in 1997) is never read in its old meaning: data that carry it are of that revision
    later = set(changes["naics_2017"].to_list()) | (
        set(changes_2022["naics_2022"].to_list()) if changes_2022 is not None else set())
    # codes of the later revisions (2017, 2022) in data newer than the definitions' vintage
    # (uscmp:2017 on 2022 data): the cluster their sources have, as the derivation gives it
    if vintage != "2022":
        if vintage == "2017":
            ahead, steps = dict(labels), []
        else:  # from the 2012 set, as the 2017 definitions are derived
            base = long.filter(pl.col("naics_vintage") == "2012")
            ahead = dict(zip(base["naics_code"].to_list(), base["cluster_code"].to_list()))
            steps = [("2017", changes["naics_2012"], changes["naics_2017"])]
        if changes_2022 is not None:
            steps.append(("2022", changes_2022["naics_2017"], changes_2022["naics_2022"]))
        for step, olds, news in steps:
            _apply_changes(ahead, {}, olds.to_list(), news.to_list())
            for code in set(news.to_list()):
                if code in ahead:
                    earlier.setdefault(code, (ahead[code], step))
    for other in others:
        part = long.filter(pl.col("naics_vintage") == other)
        for code, cluster in zip(part["naics_code"].to_list(), part["cluster_code"].to_list()):
            if code not in later:
                earlier.setdefault(code, (cluster, other))
    retired = tuple((code, cluster, v) for code, (cluster, v) in sorted(earlier.items())
                    if code not in labels)
    return build("uscmp", labels, cluster_names=names, cluster_types=types,
                 industry_names=titles, vintage=vintage, notes=notes, retired=retired)


_INDUSTRY_ALIASES = ("industry", "industry_code", "naics", "naics_code", "nace", "nace_code", "code")
_CLUSTER_ALIASES = ("cluster", "cluster_id", "cluster_code")
_NAME_ALIASES = ("cluster_name", "name")
_TYPE_ALIASES = ("type", "cluster_type", "traded", "tradedlocal", "traded_local")


def _find(columns, aliases):
    lowered = {c.strip().lower(): c for c in columns}
    for a in aliases:
        if a in lowered:
            return lowered[a]
    return None


def _parse_type(value):
    v = str(value).strip().lower()
    if v in ("traded", "true", "t", "1", "yes"):
        return TRADED
    if v in ("local", "false", "f", "0", "no"):
        return LOCAL
    if v in ("unknown", ""):
        return UNKNOWN
    return None


def from_table(table, *, path: str | None = None, name: str = "file",
               first_line: int = 2) -> Definitions:
    """Definitions from a user table (all columns strings, one row per industry).

    Columns (case-insensitive): industry (or naics / naics_code / code), cluster (or
    cluster_id / cluster_code), optionally cluster_name and type (traded / local, or a
    ``traded`` true/false column).  Problems are collected and raised together as DataError,
    each with its line (``first_line`` = the line of the first data row).
    """
    columns = table.columns
    ind_col = _find(columns, _INDUSTRY_ALIASES)
    clu_col = _find(columns, _CLUSTER_ALIASES)
    missing = [what for what, col in (("industry", ind_col), ("cluster", clu_col)) if col is None]
    if missing:
        raise DataError(problems=[Problem(
            "not a cluster definitions table", path=path,
            expected="columns industry, cluster [, cluster_name, type]",
            found="columns " + ", ".join(columns),
            hint="name the columns industry and cluster")])
    name_col = _find(columns, _NAME_ALIASES)
    type_col = _find(columns, _TYPE_ALIASES)
    problems: list[Problem] = []
    labels: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    names: dict[str, str] = {}
    name_line: dict[str, int] = {}
    types: dict[str, str] = {}
    get = {c: table[c].to_list() for c in columns}
    for k in range(table.height):
        line = first_line + k
        ind = get[ind_col][k]
        clu = get[clu_col][k]
        ind = None if ind is None else str(ind).strip()
        clu = None if clu is None else str(clu).strip()
        if not ind:
            problems.append(Problem("empty industry code", path=path, line=line, column=ind_col))
            continue
        if not clu:
            problems.append(Problem("empty cluster", path=path, line=line, column=clu_col,
                                    hint=f"give industry {ind} a cluster or drop the row"))
            continue
        if ind in labels and labels[ind] != clu:
            problems.append(Problem(
                f"industry {ind} is in two clusters", path=path, line=line, column=clu_col,
                expected=f"cluster {labels[ind]} (as on line {first_seen[ind]})", found=clu,
                hint="a definition is a partition: one cluster per industry"))
            continue
        labels[ind] = clu
        first_seen.setdefault(ind, line)
        if name_col is not None and get[name_col][k] not in (None, ""):
            given = str(get[name_col][k]).strip()
            if clu in names and names[clu] != given:
                # the first name won and the other was dropped without a word
                problems.append(Problem(
                    f"cluster {clu} has two names", path=path, line=line, column=name_col,
                    expected=f"{names[clu]!r} (as on line {name_line[clu]})", found=given,
                    hint="give a cluster one name, or leave the name empty after its first row"))
            elif clu not in names:
                names[clu], name_line[clu] = given, line
        if type_col is not None:
            raw = get[type_col][k]
            parsed = _parse_type("" if raw is None else raw)
            if parsed is None:
                problems.append(Problem("unknown cluster type", path=path, line=line,
                                        column=type_col, expected="traded or local",
                                        found=str(raw)))
            elif clu in types and types[clu] != parsed and parsed != UNKNOWN:
                problems.append(Problem(f"cluster {clu} is both {types[clu]} and {parsed}",
                                        path=path, line=line, column=type_col))
            elif parsed != UNKNOWN or clu not in types:
                types[clu] = parsed
    if not labels and not problems:
        problems.append(Problem("no rows", path=path, expected="one row per industry"))
    # A code and one of its parents both listed: their employment would be counted twice.
    # NACE: a division under its section letter too (C10 and C: a file listing both summed
    # Kazakh oblasts' food industry twice).  Ranges of one level (B-E beside C) are not
    # refused: detect keeps one of each overlap of the table's codes.
    codes = set(labels)
    for code in sorted(codes):
        shortest = 1 if len(code) > 1 and code[0].isalpha() and code[1].isdigit() else 2
        # a range is no prefix's child: 31-33 beside 31 was also "31-33 and its parent 31"
        parent = None if "-" in code else next(
            (code[:n] for n in range(len(code) - 1, shortest - 1, -1) if code[:n] in codes), None)
        if parent is None and code[:2].isdigit():
            # a NAICS sector range (31-33 beside 311): no prefix of the code, the same overlap
            parent = next((r for r in sorted(codes) if re.fullmatch(r"\d\d-\d\d", r)
                           and r[:2] <= code[:2] <= r[3:] and r != code), None)
        if parent is not None:
            problems.append(Problem(
                f"industry {code} and its parent {parent} are both listed", path=path,
                line=first_seen[code], column=ind_col,
                hint="list codes of one level (their employment would be counted twice)"))
    if problems:
        raise DataError(problems=problems)
    return build(name, labels, cluster_names=names, cluster_types=types)


def label_arrays(a: Definitions, b: Definitions):
    """Aligned label lists over the industries both definitions cover (for ARI / AMI)."""
    la, lb = a.labels(), b.labels()
    common = sorted(set(la) & set(lb))
    return common, [la[i] for i in common], [lb[i] for i in common]


def majority_types(defs: Definitions, benchmark: Definitions) -> dict[str, str]:
    """Type of each cluster of ``defs`` by majority of its members' type in ``benchmark``.

    Used to call data-driven clusters traded or local from the USCMP flags of their
    industries; ties and clusters with no benchmark member are ``unknown``.
    """
    btype = dict(zip(benchmark.clusters[CLUSTER_ID].to_list(), benchmark.clusters[CLUSTER_TYPE].to_list()))
    blabels = benchmark.labels()
    votes: dict[str, Counter] = {}
    for ind, cid in defs.labels().items():
        if ind in blabels:
            votes.setdefault(cid, Counter())[btype[blabels[ind]]] += 1
    out = {}
    for cid in defs.clusters[CLUSTER_ID].to_list():
        c = votes.get(cid)
        if not c:
            out[cid] = UNKNOWN
            continue
        top = c.most_common()
        out[cid] = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else UNKNOWN
    return out


def with_types(defs: Definitions, types: dict[str, str]) -> Definitions:
    """A copy of ``defs`` with cluster types replaced from ``types``."""
    import polars as pl

    clusters = defs.clusters.with_columns(
        pl.col(CLUSTER_ID).replace_strict(types, default=pl.col(CLUSTER_TYPE),
                                          return_dtype=pl.String).alias(CLUSTER_TYPE))
    return replace(defs, clusters=clusters)


def from_cluster_result(result, *, types: dict[str, str] | None = None) -> Definitions:
    """Definitions from a :class:`clusterid.core.grouping.ClusterResult`.

    The members frame keeps the grouping's scores (``coassignment``, ``similarity_own``,
    ``similarity_other``) beside the usual columns.
    """
    import polars as pl

    m = result.members
    labels = {i: str(c) for i, c in zip(m["industry"].to_list(), m["cluster_id"].to_list())}
    names = {str(c): n for c, n in zip(result.clusters["cluster_id"].to_list(),
                                       result.clusters["cluster_name"].to_list())}
    core = dict(zip(m["industry"].to_list(), m["core"].to_list()))
    titles = dict(zip(m["industry"].to_list(), m["industry_name"].to_list()))
    defs = build(f"data:{result.method}", labels, cluster_names=names, cluster_types=types,
                 core=core, industry_names=titles)
    scores = m.select(
        pl.col("industry").alias(INDUSTRY),
        pl.col("coassignment"),
        pl.col("own_similarity").alias("similarity_own"),
        pl.col("best_other_similarity").alias("similarity_other"))
    members = defs.members.join(scores, on=INDUSTRY, how="left", maintain_order="left")
    return Definitions(defs.name, members, defs.clusters, defs.vintage, defs.notes)


def align_to_data(defs: Definitions, data_codes) -> Definitions:
    """Attach the data's finer national codes to the definition code they split, and the data's
    codes of another NAICS vintage to their cluster there.

    QCEW publishes BLS-only six-digit codes that split a NAICS code (``238111``/``238112`` for
    NAICS ``238110``, residential / nonresidential).  A data code that the definitions lack is
    given the cluster of ``code[:5] + "0"`` when the definitions have that code and the data do
    not (so nothing is counted twice).  A data code the definitions' vintage retired (``defs.
    retired``: 2016's 454111 in the NAICS 2017 definitions of a 2016-2017 panel) keeps its
    cluster.  Returns new Definitions (a note says how many codes were attached); non-numeric
    codes are left alone.
    """
    import polars as pl

    labels = defs.labels()
    data = set(data_codes)
    added: dict[str, str] = {}
    for code in sorted(data):
        if code in labels or len(code) != 6 or not code.isdigit() or code.endswith("0"):
            continue
        parent = code[:5] + "0"
        if parent in labels and parent not in data:
            added[code] = parent
    old = {code: (cluster, vintage) for code, cluster, vintage in defs.retired
           if code in data and code not in labels and code not in added}
    if not added and not old:
        return defs
    names = dict(zip(defs.members[INDUSTRY].to_list(), defs.members[INDUSTRY_NAME].to_list()))
    core = dict(zip(defs.members[INDUSTRY].to_list(), defs.members[CORE].to_list()))
    extra = pl.DataFrame({
        INDUSTRY: list(added) + list(old),
        CLUSTER_ID: [labels[p] for p in added.values()] + [c for c, _ in old.values()],
        CORE: [core[p] for p in added.values()] + [True] * len(old),
        INDUSTRY_NAME: [f"{names[p]} (part, BLS code)" if names.get(p) else None
                        for p in added.values()] + [f"(NAICS {v} code)" for _, v in old.values()],
    }, schema={INDUSTRY: pl.String, CLUSTER_ID: pl.String, CORE: pl.Boolean,
               INDUSTRY_NAME: pl.String})
    members = pl.concat([defs.members, extra], how="diagonal_relaxed")
    order = dict(zip(defs.clusters[CLUSTER_ID].to_list(), defs.clusters[ORDER].to_list()))
    members = (members.with_columns(pl.col(CLUSTER_ID).replace_strict(order, return_dtype=pl.Int64).alias("_o"))
               .sort(["_o", INDUSTRY]).drop("_o"))
    notes = []
    if added:
        notes.append(f"{len(added)} data codes that split a definition code (e.g. BLS's "
                     f"{next(iter(added))} of {next(iter(added.values()))}) take its cluster")
    if old:
        shown = ", ".join(sorted(old)[:6]) + (" ..." if len(old) > 6 else "")
        vintages = ", ".join(sorted({v for _, v in old.values()}))
        notes.append(f"{len(old)} data codes of another NAICS vintage than the definitions' "
                     f"{defs.vintage} ({shown}; NAICS {vintages}: periods coded before or after "
                     "the revision) keep their cluster of that vintage")
    return replace(defs, members=members, notes=defs.notes + tuple(notes))


def _with_members(defs: Definitions, added: dict[str, str]):
    """``defs``' members with the data's codes ``added`` (code -> cluster id) as core members,
    in cluster order then code, as the definitions list them."""
    import polars as pl

    extra = pl.DataFrame({INDUSTRY: list(added), CLUSTER_ID: list(added.values()),
                          CORE: [True] * len(added), INDUSTRY_NAME: [None] * len(added)},
                         schema={INDUSTRY: pl.String, CLUSTER_ID: pl.String, CORE: pl.Boolean,
                                 INDUSTRY_NAME: pl.String})
    members = pl.concat([defs.members, extra], how="diagonal_relaxed")
    order = dict(zip(defs.clusters[CLUSTER_ID].to_list(), defs.clusters[ORDER].to_list()))
    return (members.with_columns(pl.col(CLUSTER_ID).replace_strict(order, return_dtype=pl.Int64)
                                 .alias("_o")).sort(["_o", INDUSTRY]).drop("_o"))


def match_parents(defs: Definitions, data_codes, classification: str | None
                  ) -> tuple[Definitions, list[str], frozenset[str]]:
    """Definitions whose codes coarser than the data's take the data's codes inside them.

    A file naming ``311`` (food manufacturing) or the sector ``31-33`` for a table of six-digit
    NAICS codes, or NACE's ``C10`` for a table of classes (``C10.11``), matched no row: the
    cluster stayed empty, without a word.  A definitions code the data do not have takes the
    data's codes under it in the classification (:func:`clusterid.core.codes.parent_links`),
    each at the coarsest level the data hold it (``3111`` rather than its ``311111`` beside
    it, so nothing is counted twice); a code under a finer definitions code is that one's.
    Returns the new definitions, a sentence per code for the user and the codes given parts
    (nothing without a classification).
    """
    from clusterid import schema
    from clusterid.core import codes

    if classification not in (schema.NAICS, schema.NACE):
        return defs, [], frozenset()
    ancestors: dict[str, set[str]] = {}

    def above(code: str) -> set[str]:
        if code not in ancestors:
            ancestors[code] = {par for _, par in codes.parent_links(code, classification)
                               } - {schema.ALL_INDUSTRIES}
        return ancestors[code]

    data = {c for c in data_codes if c is not None
            and codes.level(c, classification) not in (None, 0)}
    labels = defs.labels()
    added: dict[str, str] = {}
    told: list[str] = []
    filled: set[str] = set()
    for code in sorted(labels):
        if code in data or codes.level(code, classification) in (None, 0):
            continue
        inside = sorted(c for c in data if code in above(c) and c not in labels
                        # a nearer definitions code holds it (311111 with 311 beside 31-33)
                        and not any(a in labels and code in above(a) for a in above(c))
                        # a coarser data code between holds it (3111 beside 311111)
                        and not any(a in data and code in above(a) for a in above(c)))
        if inside:
            filled.add(code)
            added.update({c: labels[code] for c in inside})
            shown = ", ".join(inside[:8]) + (f" ... ({len(inside)} in all)"
                                             if len(inside) > 8 else "")
            told.append(f"the definitions' {code} is not in the input: its parts there "
                        f"({shown}) count in its cluster")
    if not added:
        return defs, told, frozenset()
    members = _with_members(defs, added)
    return (replace(defs, members=members, notes=defs.notes + tuple(told)), told,
            frozenset(filled))


def vintage_gaps(defs: Definitions, reference: Definitions, data_codes) -> list[str]:
    """A sentence naming the data's codes that ``reference`` (the USCMP definitions of the
    data's own NAICS vintage) puts in a cluster and ``defs`` (another vintage) in none: codes
    created or renumbered since, whose employment a vintage chosen by hand leaves out of every
    cluster (uscmp:1997 on Utah's 2016 counties: 38 codes, 23,742 of Salt Lake County's jobs,
    without a word).  Empty when there are none."""
    have, ref = defs.labels(), reference.labels()
    gaps = sorted(c for c in set(data_codes) if c in ref and c not in have)
    if not gaps:
        return []
    shown = ", ".join(gaps[:8]) + (f" ... ({len(gaps)} in all)" if len(gaps) > 8 else "")
    return [f"{len(gaps)} of the input's codes ({shown}) have a cluster in the NAICS "
            f"{reference.vintage} definitions, the input's vintage, but none in the NAICS "
            f"{defs.vintage} ones: they are in no cluster (--definitions uscmp takes the "
            "input's vintage)"]


def normalize_codes(defs: Definitions, classification: str | None,
                    data_codes=None) -> Definitions:
    """Definitions whose industry codes are in the canonical form of ``classification``.

    A user file may write NACE ``10.1`` or ``WZ08-C10`` where the canonical table has
    ``C10.1`` (see :mod:`clusterid.core.codes`); NAICS and unknown classifications are kept.
    With ``data_codes``, a code is written as the data spell the same normalised code: a
    Eurostat table keeps its ``M_N`` (professional and administrative services) while
    normalising gives ``M-N``, and the definitions' ``M_N`` then matched no row, so that
    activity was silently missing from its cluster.
    Two codes that become one after normalising raise UsageError.
    """
    import polars as pl

    from clusterid import schema
    from clusterid.core import codes

    if classification != "NACE":
        return defs
    data = {c for c in data_codes or () if c is not None and c != schema.ALL_INDUSTRIES}
    spelt: dict[str, str] = {}
    for c in sorted(data):
        # only codes of the classification: normalising the all-industries code "10" gives
        # division C10, and a definition's C10 then summed every region's total
        if codes.level(c, classification) is not None or codes.nace_cover(c):
            spelt.setdefault(codes.normalize(c, classification), c)

    def spell(code: str) -> str:
        norm = codes.normalize(code, classification)
        return norm if norm in data or norm not in spelt else spelt[norm]

    mapping = {c: spell(c) for c in defs.members[INDUSTRY].to_list()}
    if all(k == v for k, v in mapping.items()):
        return defs
    seen: dict[str, str] = {}
    for raw, norm in mapping.items():
        if norm in seen:
            raise UsageError(f"definitions: codes {seen[norm]!r} and {raw!r} are both {norm!r}")
        seen[norm] = raw
    members = defs.members.with_columns(
        pl.col(INDUSTRY).replace_strict(mapping, return_dtype=pl.String))
    return replace(defs, members=members)


def match_nace_aggregates(defs: Definitions, data_codes, resolved_before=frozenset()
                          ) -> tuple[Definitions, list[str]]:
    """Definitions whose NACE codes meet the data's when one side writes an aggregate and the
    other its parts (Eurostat's ``K-N`` for ``K``, ``L``, ``M_N``; ``C10-C12`` for ``C10``,
    ``C11``, ``C12``), and sentences for the user about what could not be matched.

    - A definitions aggregate the data do not have takes the data's codes inside it (each
      compared at its own level, :func:`clusterid.core.codes.nace_cover`) that no cluster
      names: the definitions' ``K-N`` on a table of ``K``, ``L``, ``M_N`` matched no row and
      its cluster was empty, without a word.
    - A data aggregate the definitions do not name joins the cluster whose named codes, none of
      them in the data, make it up exactly (``C10``, ``C11``, ``C12`` named, the data only
      ``C10-C12``).  Named parts that do not make it up, or are spread over clusters, cannot be
      told apart inside it: said, not guessed.
    - Every other code of the definitions that has no row in the data is said too, but for
      ``resolved_before`` (codes :func:`match_parents` gave the data's parts).
    """
    from clusterid.core import codes

    data = {c for c in data_codes if c is not None}
    labels = defs.labels()
    cover = {c: codes.nace_cover(c) for c in set(labels) | data}
    cover = {c: v for c, v in cover.items() if v}
    added: dict[str, str] = {}
    resolved: set[str] = set()  # codes without a row the sentences above already account for
    told: list[str] = []
    for code in sorted(labels):
        whole = cover.get(code)
        if code in data or not whole or len(whole) < 2:
            continue
        inside = sorted(c for c in data if c in cover and cover[c] < whole
                        and c not in labels and c not in added)
        if inside:
            added.update({c: labels[code] for c in inside})
            resolved.add(code)
            lacking = sorted(part if kind == "S" else code[0] + part  # section K; division C12
                             for kind, part in whole - frozenset().union(*(cover[c] for c in inside)))
            told.append(f"the definitions' {code} is not in the input: its parts there "
                        f"({', '.join(inside)}) count in its cluster"
                        + (f", which lacks the rest ({', '.join(lacking)}: not in the input)"
                           if lacking else ""))
    for agg in sorted(c for c in data if c in cover and len(cover[c]) > 1 and c not in labels):
        named = sorted(c for c in labels if c in cover and cover[c] < cover[agg] and c not in data)
        if not named:
            continue
        clusters = {labels[c] for c in named}
        covered = frozenset().union(*(cover[c] for c in named))
        if len(clusters) == 1 and covered == cover[agg] and not any(
                c in data for c in labels if c in cover and cover[c] < cover[agg]):
            added[agg] = labels[named[0]]
            resolved.update(named)
            told.append(f"the definitions' {', '.join(named)} {_are(named)} only in the input's "
                        f"{agg}, which counts in their cluster")
        else:
            resolved.update(named)
            why = ("spread over clusters" if len(clusters) > 1 else "only part of it")
            told.append(f"the definitions' {', '.join(named)} {_are(named)} inside the input's "
                        f"{agg}, which details {'it' if len(named) == 1 else 'them'} no further "
                        f"({why}): not counted in any cluster")
    missing = sorted(c for c in labels if c not in data and c not in resolved
                     and c not in resolved_before)
    if missing:
        shown = ", ".join(missing[:8]) + (f" ... ({len(missing)} in all)" if len(missing) > 8 else "")
        told.append(f"{len(missing)} code(s) of the definitions have no row in the input "
                    f"({shown}): they add nothing to their clusters")
    if not added:
        return defs, told
    members = _with_members(defs, added)
    return replace(defs, members=members, notes=defs.notes + tuple(told)), told


def _are(codes) -> str:
    return "is" if len(codes) == 1 else "are"


def codes_not_of(defs: Definitions, classification: str | None, data_codes) -> list[str]:
    """A sentence naming the definitions' codes that are no code of ``classification`` and not
    in the data (a typo such as ``23821O``, a seven-digit code): they match no row, and their
    clusters came out smaller or empty without a word.  Codes of the classification that the
    data lack are not named (a county has few of the 978 USCMP codes); nothing without a
    classification."""
    from clusterid.core import codes

    if classification not in ("NAICS", "NACE"):
        return []
    data = set(data_codes)
    bad = sorted(c for c in defs.labels() if c not in data
                 and codes.level(c, classification) is None)
    if not bad:
        return []
    shown = ", ".join(bad[:8]) + (f" ... ({len(bad)} in all)" if len(bad) > 8 else "")
    return [f"{len(bad)} code(s) of the definitions are no {classification} code and match no "
            f"row of the input ({shown}): they add nothing to their clusters"]
