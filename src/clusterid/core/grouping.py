"""Group industries into clusters from a similarity matrix (:class:`relatedness.Similarity`).

Methods
-------
``dps``
    After Delgado, Porter & Stern (2016): hierarchical clustering on the distance
    ``1 - similarity`` (Ward or average linkage) cut at k clusters seeds a k-means-style
    refinement that moves each industry, one at a time in a seeded random order, to the
    cluster with the highest mean similarity to it (itself excluded), until no industry moves.

    Linkage (``linkage="auto"``, the default): average linkage when the classification
    (``hierarchy``) is combined with other signals, Ward otherwise.  The graded hierarchy
    puts every pair of siblings at exactly the same similarity: average linkage merges such a
    tied block whole (and optimises what the refinement does, mean similarity), while Ward
    prefers merges of equal size and cuts large parents apart.  On noisy continuous signals
    (co-location, IO) Ward's compact groups fare better.  Measured on the USCMP traded
    industries at 51 clusters (county panel of the odd states, standardised combination,
    suppressed cells proxied by establishments):
    with the hierarchy average 0.742 / Ward 0.701 (halves of the states 0.744 / 0.712 and
    0.740 / 0.703); co-location + IO Ward 0.607 / average 0.543.  The silhouette, used
    before to choose between them (``linkage="both"``), prefers Ward in every case, including
    where it agrees less with the benchmark.  The hierarchy alone is nothing but ties, and
    there Ward's preference for merging small groups first is the better tie-break (0.70
    against 0.56).  Also measured (imputed panel, all counties, 51 clusters): with all three
    signals weighted (WPGMA) linkage 0.729, complete 0.708, Ward without refinement 0.702,
    against average 0.737 (the best k of average linkage: 0.742 at 40); on co-location alone
    average linkage with the refinement 0.370 / 0.376 (random states 0 / 1) against Ward
    0.355 / 0.379 -- the same within the refinement's noise -- and Leiden on graphs of 5, 10
    and 20 neighbours 0.35, 0.33, 0.33 at the k its sweep chooses.

    Refinement (``refine="auto"``, the default): after Ward seeds only.  Average linkage
    already merges by the refinement's own criterion (mean similarity between groups), and
    the single-industry moves then only pull industries out of the classification's tied
    blocks on small differences in the data: with the hierarchy among the signals, skipping
    them raised the AMI against USCMP at 51 clusters from 0.731 to 0.737 (halves of the
    states 0.728 -> 0.738, 0.736 -> 0.739; VS-Industry 0.98--1.0, still above the USCMP
    definitions' 0.78).  After Ward seeds the refinement is what makes the partition pass VS
    (without it VS-Industry falls to 0.52--0.59 on co-location alone), so it stays there.
    ``refine="always"`` / ``"never"`` force it.

    Measured without a clear gain (2026-11-28, issue 6): consensus clustering (Monti et al.
    2003) in place of the single run at the chosen k -- 20 runs, each seeded on a random 80%
    of the industries (the stability runs below) and refined, their co-assignment matrix cut
    at k by average linkage.  AMI against USCMP at 51 clusters, mean over random states 0-4,
    single run -> consensus, on all counties / half A / half B of the states / a random half
    of the counties / its complement: co-location 0.371 -> 0.383, 0.342 -> 0.346,
    0.268 -> 0.290, 0.328 -> 0.331, 0.322 -> 0.342 (50 runs: the same within 0.003);
    co-location + IO 0.644 -> 0.637, 0.633 -> 0.649, 0.615 -> 0.616, 0.624 -> 0.634,
    0.624 -> 0.632; all three signals (average linkage, not refined) unchanged within 0.001.
    A loss on all counties for co-location + IO, so not taken; the refinement run once more
    from the consensus partition is lower again (co-location 0.384, 0.335, 0.280, 0.325,
    0.346), and so is a consensus over refinement orders only, without the subsample
    (co-location 0.381, 0.337, 0.267, 0.338, 0.335; co-location + IO 0.643, 0.633, 0.622,
    0.626, 0.618).
``leiden``
    Community detection (Traag, Waltman & van Eck 2019, ``leidenalg``) on a sparsified graph:
    each industry keeps edges to its ``n_neighbors`` most similar industries (union, weight =
    similarity), partitioned with the RB-configuration quality at a swept resolution.

Choosing k / the resolution
---------------------------
Unless ``n_clusters`` (dps) or ``resolution`` (leiden) is given, a sweep over candidates
(dps: mean cluster sizes from 10 to 40 industries; leiden: resolutions 0.25..8) is scored by the
DPS validation scores on the same matrix, ``(VS-Industry + VS-Cluster) / 2``.  After refinement
both scores are often at or near 1 for many candidates (VS only asks that each industry be
closer to its own cluster than to any other, which a merge of two real groups keeps and which
refinement enforces on a split), so the validation scores are a gate, not the decision:
candidates within ``SCORE_TOLERANCE`` (0.01) of the best score are kept, and among them the
one with the highest mean silhouette (Rousseeuw 1987, on the distance ``1 - similarity``)
wins.  The silhouette compares each industry's mean distance to its own cluster with that to
the nearest other cluster: splitting a real group makes the two halves each other's nearest
cluster (silhouette near 0 for their members), merging two groups inflates the within
distance, so it peaks at the planted number of groups on toys (tested on several sizes and
seeds).  On the USCMP traded industries (county panel, odd states and each half of them) it
chooses 44--59 clusters with the hierarchy among the signals (average linkage: larger k split
off outlying industries as singletons, which fail the VS gate), 63--67 for co-location + IO,
and anything from 17 to 67 on county co-location alone, whose silhouettes are flat (so is its
AMI against USCMP, 0.35--0.39 over that range).  Candidates whose mean
cluster size is outside ``MIN_MEAN_SIZE..MAX_MEAN_SIZE`` (10..40 industries; DPS's published
traded clusters average 15) are not considered while any candidate inside remains -- a stated
prior rather than a value fitted to any sample.  The sweep (with each candidate's silhouette)
is returned.

Stability
---------
``n_seeds`` extra runs with perturbed seeds (dps: the hierarchical seed built on a random 80%
of industries, the rest attached to their closest cluster, then refined in a random order
when the seeds are refined;
leiden: the algorithm's own seed) give each industry's co-assignment probability: the mean,
over runs, of the share of its final cluster-mates that share its cluster in that run.
Everything is deterministic for a given ``random_state``.

Output
------
:class:`ClusterResult` with a tidy ``members`` frame (industry, industry_name, cluster_id,
cluster_name, coassignment, core, own_similarity, best_other_similarity) and a ``clusters``
frame (cluster_id, cluster_name, n_industries, n_core, within_similarity, vs_industry,
vs_cluster).  Cluster ids are 1..k ordered by size (largest first), then by lowest code.
An industry is *core* when its mean similarity to its own cluster is at least the cluster's
median of that value and its co-assignment probability is at least 0.5; others are peripheral.

Example
-------
>>> from clusterid.core import grouping, relatedness                     # doctest: +SKIP
>>> sim = relatedness.build(frame, signals="colocation,hierarchy")        # doctest: +SKIP
>>> res = grouping.find_clusters(sim, method="dps", random_state=0)       # doctest: +SKIP
>>> res.members.head()                                                    # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clusterid.core import validation
from clusterid.errors import UsageError

METHODS = ("dps", "leiden")
MAX_SEEDS = 1000  # stability runs (n_seeds) at most
LINKAGES = ("ward", "average")
LINKAGE_OPTIONS = ("auto", "both", *LINKAGES)
REFINE_OPTIONS = ("auto", "always", "never")


def auto_refine(linkage: str, refine: str = "auto") -> bool:
    """Whether the DPS refinement runs after a ``linkage`` seed: ``refine="auto"`` refines
    Ward seeds only (see the module notes)."""
    if refine not in REFINE_OPTIONS:
        raise UsageError(f"unknown refine option {refine!r}; "
                         f"choose from {', '.join(REFINE_OPTIONS)}")
    if refine == "auto":
        return linkage == "ward"
    return refine == "always"


def auto_linkage(similarity) -> str:
    """The linkage ``linkage="auto"`` uses: average when the hierarchy is combined with other
    signals, else Ward (see the module notes)."""
    info = getattr(similarity, "info", None) or {}
    signals = tuple(info.get("signals") or ())
    return "average" if "hierarchy" in signals and len(signals) > 1 else "ward"


@dataclass
class ClusterResult:
    """A partition of industries with its scores.

    Attributes
    ----------
    codes : tuple of str     industries, in the similarity's order
    labels : ndarray (n,)    cluster_id of each industry (1..k, stable numbering)
    members : polars DataFrame, one row per industry, sorted by cluster_id then industry
    clusters : polars DataFrame, one row per cluster
    sweep : polars DataFrame  candidates tried (parameter, value, n_clusters, vs_industry,
        vs_cluster, score, silhouette, chosen)
    vs_industry, vs_cluster : float  scores of the chosen partition
    method : str
    params : dict  everything needed to reproduce (method, linkage, n_clusters, resolution,
        random_state, n_seeds, n_neighbors)
    """

    codes: tuple[str, ...]
    labels: np.ndarray
    members: Any
    clusters: Any
    sweep: Any
    vs_industry: float
    vs_cluster: float
    method: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n_clusters(self) -> int:
        return int(len(np.unique(self.labels)))

    def assignment(self) -> dict[str, int]:
        return dict(zip(self.codes, self.labels.tolist()))


# --------------------------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------------------------

def _zero_diag(s: np.ndarray) -> np.ndarray:
    out = np.nan_to_num(np.array(s, dtype=float, copy=True), nan=0.0)
    np.fill_diagonal(out, 0.0)
    return out


def relabel(labels: np.ndarray, codes: Sequence[str]) -> np.ndarray:
    """Stable cluster ids 1..k: by size (largest first), then by the cluster's lowest code."""
    labels = np.asarray(labels)
    keys = []
    for lab in np.unique(labels):
        idx = np.flatnonzero(labels == lab)
        keys.append((-len(idx), min(codes[i] for i in idx), lab))
    keys.sort()
    mapping = {lab: i + 1 for i, (_, _, lab) in enumerate(keys)}
    return np.array([mapping[x] for x in labels], dtype=np.int64)


def hierarchical_seed(similarity: np.ndarray, n_clusters: int, linkage: str = "ward") -> np.ndarray:
    """Cut a hierarchical clustering of ``1 - similarity`` at ``n_clusters`` (labels 0..k-1)."""
    n = similarity.shape[0]
    if n_clusters >= n:
        return np.arange(n)
    if n_clusters <= 1:
        return np.zeros(n, dtype=np.int64)
    return cut(_tree(similarity, linkage), n_clusters)


def cut(tree, n_clusters: int) -> np.ndarray:
    """Exactly ``n_clusters`` groups from a linkage tree: the state after its first
    ``n - n_clusters`` merges (labels 0..k-1).

    Cutting by height (``fcluster(..., "maxclust")``) cannot stop between merges at the same
    height, and the graded hierarchy makes whole levels tie: with the hierarchy alone and
    average linkage it returned the 18 sectors whatever number was asked for.

    The result is scipy's ``cut_tree(tree, n_clusters)`` (merges taken in its order, ties
    included; labels numbered by each group's first member), worked out with a union-find over
    the merges instead of cut_tree's relabelling of every observation at every merge, which is
    quadratic in pure Python: on the Utah sample detect's 34 cuts of 955 industries took 4.4 s
    of its 9.6 s, now a few milliseconds each.  A tree whose merges come out of height order
    (not ward's or average linkage's) is left to scipy itself.
    """
    n = int(tree.shape[0]) + 1
    if n_clusters >= n:
        return np.arange(n)
    if n_clusters <= 1:
        return np.zeros(n, dtype=np.int64)
    order = merge_order(tree)
    if order is None:
        from scipy.cluster.hierarchy import cut_tree

        return np.asarray(cut_tree(tree, n_clusters=int(n_clusters))[:, 0], dtype=np.int64)
    left = tree[:, 0].astype(np.int64).tolist()
    right = tree[:, 1].astype(np.int64).tolist()
    leaf = list(range(n)) + [0] * (n - 1)  # a leaf under each node (children precede parents)
    for r in range(n - 1):
        leaf[n + r] = leaf[left[r]]
    root = list(range(n))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for r in order[: n - int(n_clusters)].tolist():
        a, b = find(leaf[left[r]]), find(leaf[right[r]])
        root[max(a, b)] = min(a, b)
    labels = np.empty(n, dtype=np.int64)
    number: dict[int, int] = {}
    for i in range(n):  # groups numbered in order of their first member, as cut_tree does
        labels[i] = number.setdefault(find(i), len(number))
    return labels


def merge_order(tree) -> np.ndarray | None:
    """The rows of a linkage tree in the order scipy's ``cut_tree`` merges them: by height,
    ties in reverse of a breadth-first walk from the root (right child queued before left;
    ``scipy.cluster.hierarchy._order_cluster_tree``).  None when a merge would come before
    one of its own children's (a tree out of height order), where that order is not a
    sequence of merges."""
    from collections import deque

    n = int(tree.shape[0]) + 1
    left = tree[:, 0].astype(np.int64).tolist()
    right = tree[:, 1].astype(np.int64).tolist()
    walk: list[int] = []
    queue = deque([2 * n - 2])
    while queue:
        node = queue.popleft()
        if node >= n:
            walk.append(node - n)
            queue.append(right[node - n])
            queue.append(left[node - n])
    rows = np.array(walk[::-1], dtype=np.int64)
    order = rows[np.argsort(np.asarray(tree[:, 2], dtype=float)[rows], kind="stable")]
    position = np.empty(n - 1, dtype=np.int64)
    position[order] = np.arange(n - 1)
    for child in (tree[:, 0], tree[:, 1]):
        inner = child.astype(np.int64) >= n
        kids = child.astype(np.int64)[inner] - n
        if (position[kids] > position[np.flatnonzero(inner)]).any():
            return None
    return order


def _tree(similarity: np.ndarray, linkage: str):
    from scipy.cluster.hierarchy import linkage as scipy_linkage
    from scipy.spatial.distance import squareform

    if linkage not in LINKAGES:
        raise UsageError(f"unknown linkage {linkage!r}; choose from {', '.join(LINKAGES)}")
    d = 1.0 - np.nan_to_num(np.asarray(similarity, dtype=float), nan=0.0)
    d = (d + d.T) / 2.0
    np.fill_diagonal(d, 0.0)
    d = np.clip(d, 0.0, None)
    return scipy_linkage(squareform(d, checks=False), method=linkage)


def refine(similarity: np.ndarray, labels: np.ndarray, rng: np.random.Generator | None = None,
           max_iter: int = 50) -> np.ndarray:
    """k-means-style refinement: move industries to the cluster of highest mean similarity.

    Sequential (one industry at a time, in a random order per pass when ``rng`` is given),
    itself excluded from its own cluster's mean; a move needs a strictly higher mean, so the
    loop stops.  A singleton stays (its own mean is undefined), so no cluster empties.
    """
    s = _zero_diag(similarity)
    labels = np.asarray(labels).copy()
    _, labels = np.unique(labels, return_inverse=True)
    n = len(labels)
    k = int(labels.max()) + 1 if n else 0
    z = np.zeros((n, k))
    z[np.arange(n), labels] = 1.0
    sums = s @ z  # sums[i, c] = sum of similarity of i to members of c (self excluded by zero diag)
    size = z.sum(axis=0)
    for _ in range(max_iter):
        moved = 0
        order = rng.permutation(n) if rng is not None else np.arange(n)
        for i in order:
            a = labels[i]
            if size[a] <= 1.0:
                continue  # a singleton keeps its cluster (k-means keeps k); others may join it
            row = sums[i]
            own = row[a] / (size[a] - 1.0)
            means = row / np.maximum(size, 1.0)
            means[size <= 0] = -np.inf
            means[a] = own
            b = int(means.argmax())
            if b != a and means[b] > own:
                labels[i] = b
                sums[:, a] -= s[:, i]
                sums[:, b] += s[:, i]
                size[a] -= 1.0
                size[b] += 1.0
                moved += 1
        if moved == 0:
            break
    _, labels = np.unique(labels, return_inverse=True)
    return labels


def dps_partition(similarity: np.ndarray, n_clusters: int, *, linkage: str = "ward",
                  rng: np.random.Generator | None = None, subsample: float | None = None,
                  tree=None, refine_labels: bool = True) -> np.ndarray:
    """One DPS run: hierarchical seed (optionally on a random subsample) + refinement
    (skipped when ``refine_labels`` is False: the seed, relabelled 0..k-1)."""
    n = similarity.shape[0]
    if subsample is not None and rng is not None and subsample < 1.0:
        m = max(n_clusters, int(round(subsample * n)))
        keep = np.sort(rng.choice(n, size=min(m, n), replace=False))
        seed_sub = hierarchical_seed(similarity[np.ix_(keep, keep)], n_clusters, linkage)
        labels = np.full(n, -1)
        labels[keep] = seed_sub
        rest = np.flatnonzero(labels < 0)
        if len(rest):
            s = _zero_diag(similarity)
            k = int(seed_sub.max()) + 1
            z = np.zeros((len(keep), k))
            z[np.arange(len(keep)), seed_sub] = 1.0
            means = (s[np.ix_(rest, keep)] @ z) / z.sum(axis=0)
            labels[rest] = np.argmax(means, axis=1)
    else:
        if tree is not None:
            labels = cut(tree, n_clusters)
        else:
            labels = hierarchical_seed(similarity, n_clusters, linkage)
    if not refine_labels:
        return np.unique(labels, return_inverse=True)[1]
    return refine(similarity, labels, rng=rng)


def knn_graph(similarity: np.ndarray, n_neighbors: int):
    """igraph Graph keeping each industry's ``n_neighbors`` strongest links (union), weighted."""
    import igraph as ig

    s = np.nan_to_num(np.asarray(similarity, dtype=float), nan=0.0)
    n = s.shape[0]
    s = s.copy()
    np.fill_diagonal(s, -np.inf)
    k = max(1, min(n_neighbors, n - 1))
    # stable argsort on (-s, index) keeps ties deterministic
    nbrs = np.argsort(-s, axis=1, kind="stable")[:, :k]
    rows = np.repeat(np.arange(n), k)
    cols = nbrs.ravel()
    a, b = np.minimum(rows, cols), np.maximum(rows, cols)
    pairs = np.unique(np.stack([a, b], axis=1), axis=0)
    w = s[pairs[:, 0], pairs[:, 1]]
    w = np.clip(w, 1e-9, None)
    g = ig.Graph(n=n, edges=pairs.tolist())
    g.es["weight"] = w.tolist()
    return g


def leiden_partition(graph, resolution: float, seed: int) -> np.ndarray:
    import leidenalg

    part = leidenalg.find_partition(graph, leidenalg.RBConfigurationVertexPartition,
                                    weights="weight", resolution_parameter=float(resolution),
                                    seed=int(seed), n_iterations=-1)
    return np.asarray(part.membership, dtype=np.int64)


def coassignment(final: np.ndarray, runs: Sequence[np.ndarray]) -> np.ndarray:
    """Each industry's mean share, over runs, of its final cluster-mates co-assigned with it."""
    final = np.asarray(final)
    n = len(final)
    if not runs:
        return np.ones(n)
    same_final = final[:, None] == final[None, :]
    np.fill_diagonal(same_final, False)
    mates = same_final.sum(axis=1)
    acc = np.zeros(n)
    for r in runs:
        r = np.asarray(r)
        together = (r[:, None] == r[None, :]) & same_final
        acc += np.where(mates > 0, together.sum(axis=1) / np.maximum(mates, 1), 1.0)
    return acc / len(runs)


# --------------------------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------------------------

_STOP = set("""
a an and or of the for to in on with by from as at other others all except nec n.e.c misc
miscellaneous manufacturing mfg products product related services service support activities
industries industry including general merchant wholesalers wholesale dealers stores except
establishments operations except nonresidential residential new used based type types
und oder der die das des dem den von vom für fuer mit sowie ohne zur zum bei aus usw sonstige
sonstiger sonstiges sonst et les des la le du de pour avec autres hors del los las para con otros
и в на по с для из от без прочие прочая прочих прочее кроме деятельность услуги услуг
производство және мен бойынша басқа қызмет қызметі
""".split())
# a word: letters of any script (German, Russian, Kazakh titles), inner hyphens kept
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|-)+")


# words of English industry titles (NAICS's, NACE's English ones): function words, and the
# nouns most of their titles carry
_ENGLISH = frozenset("""
and of the for except other manufacturing services service activities industries products
wholesale retail mining construction
""".split())
# function words of other languages' industry titles (WZ, NAF, CNAE, ATECO, SBI, SNI/NACE-BEL)
_FOREIGN = frozenset("""
von und der die das des dem den mit für zur zum sowie de du la le les et aux del los las y
di della delle dei degli en van het och og med af
""".split())


# the words of at least two of the bundled English titles (data/naics_2012_titles.csv and
# data/nace_r2_titles.csv, three letters or more; a test keeps them so): what an English
# industry title is made of, beside which an ASCII German title's words ('Bergbau', 'Handel',
# 'Verkehr und Lagerei') are unknown
_TITLE_WORDS = frozenset("""
abuse accessories accommodation accounting accounts activities adhesive administration
administrative advertising advice advocacy aerospace affairs agencies agency agents agricultural
agriculture air air-conditioning aircraft airport alcoholic ale all allied alloyed alumina
aluminum ambulance ambulatory ammunition amusement analysis and animal apiculture apparatus
apparel appliance appliances appraisers aquaculture arcades architectural archives armored arms
arrangement art artificial artists arts asphalt assets assistance assisted associations athletic
audio authorities automobile automotive bag bakeries ball bank banking barber basic battery bean
beauty beef beer belting betting beverage beverages biological bituminous blind block boarding
boat bodies body boiler bolt book bookkeeping books botanical bottle bowling box boys brake
breakfast breweries brick bridge broadcast broadcasting broadwoven broilers broken brokerage
brokerages brokers building buildings bulk bureaus bus business butter buying cabinet cable
camps can canning canvas car card care carpentry carpet carriers casino caterers cattle cement
cemeteries centers central ceramics cereal charter chartering chemical chemicals chicken child
children chiropractors chocolate circuit civic civil clay cleaning clearing clothing clubs coal
coastal coated coating coffee coin-operated collection colleges combination combined commercial
commodity communication communications community companies component components compound
compressor compulsory computer concentrate concrete conditioning confectionery conservation
const construction consultancy consulting consumer container continuing contractors contracts
control convenience convention converted cookie copper corn correctional cosmetic costume
counsel countertop country couriers courses courts cover covering cracker cream creative credit
crematories crop crops crude crushed cultural curtain custom cut cut-sew cutlery dairy dance
data day dealers dealing deep defence delivery dental dentists department depository design
dessert development developmental device diagnostic die-casting dinner direct directory
disability disabled disc discount disposal distilleries distribution document doll door drafting
drawing drawn dressing drink drinking drug druggists drycleaners drycleaning drywall durable
dwellings eating economic education educational egg elderly elec electric electrical electricity
electronic electronics elementary emergency employee employer employers employment energy engine
engineered engineering engraving enterprises entertainment environmental equine equip equipment
estab establishments estate estates exc except exchanges executive explosives express exterior
exterminating extraction extraterritorial extruded fabric fabricated facilities family farm
farming feedlots ferroalloy fertilizer fiber fibers field figures filaments film finance
financial financing fine finfish finish finishing fire fish fishing fitness fitting fixture
fixtures flavoring floor flooring floriculture florist florists flour fluid foam food footwear
for forestry forging formal foundation foundries framing freight from frozen fruit fuel funding
funds funeral fur-bearing furnishing furnishings furniture gambling game garages garden gardens
gas gasoline gauge general generation generator geophysical gift girls giving glass glazing gold
golf good goods goods- government governments grain grantmaking graphic gravel great grocery
ground groups grown guided gypsum handling handtool hardware hatcheries hay hazardous head
health heat heating heavy help hide highway historical hobby hog holding home homes horses hose
hosiery hospitals hosting hotels household households houses housing human humanities hunting
hvac ice independent individual industrial industries industry infants information ink inland
inorganic inspection installation institutional institutions instruction instrument instruments
insulation insurance insurers intangible integrated interior intermediation international
internet interpretation interurban investigation investment iron irrigation issuing janitorial
jewelry junior justice kitchen knitting labeling labor laboratories lakes laminated land
landscape landscaping language laundries laundry lawn lawyers lead leasing leather legal
legislative lessors libraries licensing life lighting lignite lime limousine line linen liquor
list livestock living loan local locksmiths logging long-distance lots luggage lumber machine
machinery magnetic mail mail-order mailing maintenance malt management managers manufacture
manufactured manufacturing mapping marinas marine market marketing markets masonry material
materials mattress measuring meat mechanical media medical medicine melon membership men mental
merch merchandise merchant messengers metal metals metalworking mfg milk milling mills millwork
mineral minerals mining miniwarehouse misc miscellaneous missile mobile monetary mortgage motels
motion motor motorcycle motorcycles moving museums music musical nail national natural nature
needlework new news newspaper newsprint nickel non-metallic nonchocolate noncitrus nondepository
nondurable nonferrous nonfinancial nonmetallic nonmortgage nonresidential nonscheduled novelty
nursery nursing nut office offices oil oilseed one-hour open-end operations operators ophthalmic
opinion optical optometrists order ore organic organisations organizations organizers ornamental
other outdoor outpatient own packaged packaging packing paint painting pallet paper paperboard
parking parks part parts passenger pasta paving pension performers performing periodical
peripheral personal pest pesticide pet petroleum pharmaceutical pharmacies photofinishing
photographic photography physical physicians picture piece pig pipe pipeline placement places
planning plastic plastics plate plumbing plywood police political polling polystyrene portals
portfolio postal postproduction pottery poultry poured power practitioners precast prefabricated
preparation preservation primary printed printing private process processing product production
products professional profile program programme programming programs promoters property
prosecution protection psychiatric public publishers publishing pulp pump purchase purchased
purpose quarrying rabbit radio rail railroad ranching raw ready-mix real record recording
recovery recreation recreational recyclable refined refineries refining refractories refractory
refrigerated refrigeration regulating regulation rehabilitation reinsurance related relations
relief religious remediation rental repair representatives reproducing reproduction research
reservation residential resin resource restaurants retail retailers retreading reupholstery road
rolled rolling roofing rooming rubber rug rural safety sales salons sand satellite savings
sawmills scenic scheduled school schools science scientific screen screw sea seafood search
seating secondary secretarial sectors securities security self-storage selling semiconductor
service services services-producing sew sewage sewer sewerage sewing shade shape shapes shaping
sheep sheet ship shipping shoe shopping shops show siding sightseeing sign silver silverware
similar site sites skiing skilled slaughtering small snack soap social sock soft software solid
sound souvenir space special specialized specialty spectator spirit sporting sports spring
stamping stationery stations steam steel steering stock stone storage store stores street
structural structure studios subdivision subscription substance sugar supercenters supermarkets
supplies supply support surface surgical surveying suspension syndicates synthetic syrup system
systems tank tanning tape taxi tea technical technology telecommunications telephone television
temporary terminals terrazzo testing textile textiles the theater theaters theme therapists
thread tile tire title tobacco toilet tool tortilla tour towing toy trade trailer train training
transaction transit translation transmission transport transportation trapping travel traveler
treated treating treatment tree tribal trim truck trucking trusts tube turbine turkey turned
type unclassified under undifferentiated unions unit units universities upholstery urban
urethane use used utilities utility valve vegetable vehicle vehicles vending veneer veterans
veterinary video vocational wall wallpaper warehouse warehousing waste water wear wearing web
welfare wheat whls wholesale wholesaler wholesalers window wine wineries wire wired wireless
wiring with without women wood work writers writing yarn youth zinc zoos
""".split())
# endings of English words that German, French ... titles do not end theirs with: a table's
# own names outside the bundled titles ('Tourism', 'Shipbuilding', 'Logistics')
_ENGLISH_ENDING = re.compile(r"(?:ing|ism|ship|ness|ment|ity|ics|ery|ies)$")


def _english_word(word: str) -> bool:
    """A word of the bundled English titles, as it stands or in the singular ('Chemicals',
    'Industries'), or one with an English-only ending."""
    if word in _TITLE_WORDS or _ENGLISH_ENDING.search(word):
        return True
    stems = [word[:-1]] if word.endswith("s") else []
    if word.endswith("es"):
        stems.append(word[:-2])
    return any(w in _TITLE_WORDS for w in stems)


def _title_language(title: str) -> str | None:
    """``'english'``, ``'foreign'`` or None (no word to tell) for one title.

    Foreign: a letter outside ASCII (any Cyrillic title, German's umlauts) or a function word
    of German, French, Spanish, Italian, Dutch, Nordic titles.  Otherwise the title's words of
    three letters or more are weighed: English are the words of the bundled English titles
    (:data:`_TITLE_WORDS`), English function words and words with an English-only ending;
    the others are unknown.  More English words than unknown ones: English; fewer: foreign
    (an ASCII German title, 'Bergbau', 'Handel', 'Verkehr und Lagerei', holds none); as many:
    None ('Private Haushalte')."""
    if not title.isascii():
        return "foreign"
    words = [w.lower() for w in _WORD.findall(title)]
    if any(w in _FOREIGN for w in words):
        return "foreign"
    if any(w in _ENGLISH for w in words):
        return "english"
    words = [w for w in words if len(w) >= 3]
    known = sum(1 for w in words if _english_word(w))
    unknown = len(words) - known
    if known == unknown:
        return None
    return "english" if known > unknown else "foreign"


def in_english(titles: Sequence[str | None]) -> bool:
    """Whether the titles read as English: unless at least half of those given read as
    another language's while fewer than half read as English (:func:`_title_language`).  A
    table's own one-word names ('Tourism', 'Fishing') are English; short all-ASCII German
    titles ('Bergbau', 'Handel', 'Verkehr und Lagerei'), which hold no umlaut, are not; no
    titles at all count as English (the bundled titles that fill them are)."""
    given = [t for t in titles if t]
    if not given:
        return True
    said = [_title_language(t) for t in given]
    english = said.count("english")
    foreign = said.count("foreign")
    return not (2 * foreign >= len(given) and 2 * english < len(given))


def central_title(indices, titles: Sequence[str | None], own: np.ndarray,
                  codes: Sequence[str]) -> str | None:
    """The title of the industry among ``indices`` most similar to its cluster (``own``: mean
    similarity to its cluster-mates, NaN for a singleton), the lowest code breaking ties; None
    when none of them has a title."""
    titled = [i for i in indices if titles[i]]
    if not titled:
        return None
    best = min(titled, key=lambda i: (-(own[i] if np.isfinite(own[i]) else -np.inf), codes[i]))
    return titles[best]


def cluster_name(titles: Sequence[str | None], max_words: int = 3) -> str | None:
    """Most frequent informative words of the titles (first occurrence breaks ties).

    For English titles: the stop words above are English (with some German, French, Spanish,
    Russian and Kazakh ones), and the words are counted as they are written, so the words of
    an inflected language's titles come out in whatever case they stand in ('Оборудования,
    Фармацевтических, Машин'); :func:`_result` names such clusters by a member's title."""
    words: list[str] = []
    for t in titles:
        if not t:
            continue
        for w in _WORD.findall(t):
            lw = w.lower().strip("-")
            if lw in _STOP or len(lw) < 3:
                continue
            words.append(lw)
    if not words:
        return None
    counts = Counter(words)
    first = {}
    for i, w in enumerate(words):
        first.setdefault(w, i)
    ranked = sorted(counts, key=lambda w: (-counts[w], first[w]))
    return ", ".join(w.capitalize() for w in ranked[:max_words])


def named_by_parents(result: ClusterResult, ancestors: Mapping[str, Sequence[tuple[str, str | None]]]
                     ) -> ClusterResult:
    """``result`` with each cluster named after the classification code its core industries
    share: the deepest code (``ancestors``: each industry's parent codes and their titles,
    nearest first) that holds more than half of the cluster's core industries and at least two
    of them, by its title ("Machinery manufacturing" for a cluster of 333 codes, where the
    words of its members' titles gave "Industrial, Machinery, Pump").  A cluster of one
    industry takes that industry's title.  Where no such code has a title the name from the
    members' words stays.  Two clusters under the same code keep its title followed by their
    own words ("Fabricated metal product manufacturing: Metal, Fitting"), so names stay apart.
    """
    import polars as pl

    members = result.members
    old = dict(zip(result.clusters["cluster_id"].to_list(), result.clusters["cluster_name"].to_list()))
    chosen: dict[int, str] = {}
    for cid in sorted(old):
        rows = members.filter(pl.col("cluster_id") == cid)
        core = rows.filter(pl.col("core")) if rows["core"].any() else rows
        codes_ = core["industry"].to_list()
        if rows.height == 1:
            title = rows["industry_name"][0]
            if title:
                chosen[cid] = title
            continue
        count: dict[str, int] = {}
        depth: dict[str, int] = {}
        title_of: dict[str, str] = {}
        for code in codes_:
            chain = list(ancestors.get(code, ()))
            for i, (par, title) in enumerate(chain):
                count[par] = count.get(par, 0) + 1
                depth[par] = len(chain) - i
                if title:
                    title_of[par] = title
        held = [p for p in count if 2 * count[p] > len(codes_) and count[p] >= 2 and p in title_of]
        if held:
            best = max(held, key=lambda p: (depth[p], count[p], p))
            chosen[cid] = title_of[best]
    # one code's title for two clusters: each keeps its own words after it
    seen: dict[str, int] = {}
    for cid, name in chosen.items():
        seen[name] = seen.get(name, 0) + 1
    names = {}
    for cid, name in old.items():
        new = chosen.get(cid)
        if new is None:
            names[cid] = name
        elif seen[new] > 1:
            words = name if not name.startswith("Cluster ") else min(
                members.filter(pl.col("cluster_id") == cid)["industry"].to_list())
            names[cid] = f"{new}: {words}"
        else:
            names[cid] = new
    mapping = pl.DataFrame({"cluster_id": list(names), "__name": list(names.values())},
                           schema={"cluster_id": pl.Int64, "__name": pl.String})

    def renamed(frame):
        return (frame.join(mapping, on="cluster_id", how="left", maintain_order="left")
                .with_columns(pl.col("__name").alias("cluster_name")).drop("__name"))

    return dataclasses.replace(result, members=renamed(result.members),
                               clusters=renamed(result.clusters))


# --------------------------------------------------------------------------------------------
# main entry
# --------------------------------------------------------------------------------------------

def _score(similarity: np.ndarray, labels: np.ndarray, *, ready: bool = False) -> tuple[float, float, float]:
    """(VS-Industry, VS-Cluster, their mean); ``ready``: ``similarity`` is
    :func:`validation.prepared` already (a sweep prepares it once for all its partitions)."""
    vi = validation.vs_industry(similarity, labels, ready=ready)
    vc = validation.vs_cluster(similarity, labels, ready=ready)
    vc0 = 0.0 if not np.isfinite(vc) else vc
    return vi, vc, (vi + vc0) / 2.0


def default_k_grid(n: int) -> list[int]:
    """Candidate numbers of clusters: mean cluster sizes from MAX_MEAN_SIZE down to
    MIN_MEAN_SIZE; every integer when there are at most ``GRID_POINTS`` of them, else
    ``GRID_POINTS`` geometrically spaced (a rounded geometric grid on a short range used to
    skip values, e.g. 6 in 2..7, so a planted 6-group toy could not be found)."""
    lo = max(2, int(np.ceil(n / MAX_MEAN_SIZE)))
    hi = max(lo, min(n - 1, int(n // MIN_MEAN_SIZE)))
    if hi - lo + 1 <= GRID_POINTS:
        return list(range(lo, hi + 1))
    grid = np.unique(np.round(np.geomspace(lo, hi, num=GRID_POINTS)).astype(int))
    return [int(k) for k in grid]


GRID_POINTS = 24
MIN_MEAN_SIZE = 10
MAX_MEAN_SIZE = 40
SCORE_TOLERANCE = 0.01


def margin(similarity: np.ndarray, labels: np.ndarray) -> float:
    """Mean over industries of (own-cluster mean - best other-cluster mean); singletons 0."""
    ind = validation.industry_scores(similarity, labels)
    m = ind.own - ind.best_other
    return float(np.mean(np.nan_to_num(m, nan=0.0)))


def silhouette(similarity: np.ndarray, labels: np.ndarray, *, distance: np.ndarray | None = None) -> float:
    """Mean silhouette of a partition on the distance ``1 - similarity`` (singletons count 0).

    ``s_i = (b_i - a_i) / max(a_i, b_i)`` with ``a_i`` the mean distance of i to the rest of its
    cluster and ``b_i`` the smallest mean distance to another cluster (Rousseeuw 1987; the same
    as ``sklearn.metrics.silhouette_score(..., metric="precomputed")``), to 12 decimals.  A
    single cluster: -1.  ``distance``: :func:`silhouette_distance` of ``similarity``, when a
    sweep has it already (made once for all its partitions: the same numbers).
    """
    d = silhouette_distance(similarity) if distance is None else distance
    _, lab = np.unique(np.asarray(labels), return_inverse=True)
    n, k = len(lab), int(lab.max()) + 1 if len(lab) else 0
    if k < 2:
        return -1.0
    z = np.zeros((n, k))
    z[np.arange(n), lab] = 1.0
    size = z.sum(axis=0)
    sums = d @ z
    own_n = size[lab] - 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        a = sums[np.arange(n), lab] / own_n
        means = sums / size[None, :]
    means[np.arange(n), lab] = np.inf
    b = means.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (b - a) / np.maximum(a, b)
    s = np.where(own_n > 0, np.nan_to_num(s, nan=0.0), 0.0)
    # 12 decimals: the matrix product's summation order (BLAS threads, the industries' order)
    # moves the last bits, and the sweep's silhouettes are written to the metadata: on the Utah
    # sample 0.14506557311784304 with one OpenBLAS thread, ...307 with two
    return float(np.round(s.mean(), 12))


def silhouette_distance(similarity: np.ndarray) -> np.ndarray:
    """The distance :func:`silhouette` reads: ``1 - similarity`` (NaN as 0), symmetrised,
    clipped at 0, a zero diagonal."""
    d = 1.0 - np.nan_to_num(np.asarray(similarity, dtype=float), nan=0.0)
    d = np.clip((d + d.T) / 2.0, 0.0, None)
    np.fill_diagonal(d, 0.0)
    return d


def _pick(candidates: list[tuple[float, int, Any, np.ndarray, float]], n: int):
    """Best (score, k, value, labels, silhouette): VS score within tolerance of the top, then
    the highest silhouette, then the most clusters.

    Candidates whose mean cluster size is outside ``MIN_MEAN_SIZE..MAX_MEAN_SIZE`` are left
    out when any other candidate remains (the same range for every method).
    """
    lo, hi = max(2, int(np.ceil(n / MAX_MEAN_SIZE))), max(2, n // MIN_MEAN_SIZE)
    ok = [c for c in candidates if lo <= c[1] <= hi] or candidates
    top = max(c[0] for c in ok)
    tied = [c for c in ok if c[0] >= top - SCORE_TOLERANCE]
    return max(tied, key=lambda c: (round(c[4], 9), c[1]))


DEFAULT_RESOLUTIONS = tuple(float(x) for x in np.round(np.geomspace(0.25, 8.0, 11), 4))


def find_clusters(similarity, method: str = "dps", *, n_clusters: int | None = None,
                  resolution: float | None = None, random_state: int = 0, n_seeds: int = 10,
                  linkage: str = "auto", refine: str = "auto", n_neighbors: int = 10,
                  k_grid: Sequence[int] | None = None,
                  resolutions: Sequence[float] | None = None) -> ClusterResult:
    """Partition the industries of ``similarity`` into clusters.

    Parameters
    ----------
    similarity : :class:`clusterid.core.relatedness.Similarity` (or a square ndarray; then
        industries are named "0".."n-1").
    method : "dps" or "leiden".
    n_clusters : fixed number of clusters for "dps" (default: chosen by the VS sweep).
    resolution : fixed resolution for "leiden" (default: chosen by the VS sweep).
    random_state : seed of everything random (refinement order, subsamples, Leiden).
    n_seeds : perturbed runs for the co-assignment probability (0: probability 1 for all).
    linkage : dps seeding: "auto" (default: average when ``similarity`` combines the
        hierarchy with other signals, else Ward; see the module notes), "both" (sweep both, the higher
        silhouette wins), "ward" or "average".
    refine : dps: "auto" (default: the k-means-style refinement after Ward seeds, not after
        average-linkage seeds; see the module notes), "always" or "never".
    n_neighbors : edges kept per industry in the Leiden graph.
    k_grid, resolutions : override the sweep candidates.

    Returns
    -------
    ClusterResult
    """
    import polars as pl

    if method not in METHODS:
        raise UsageError(f"unknown grouping method {method!r}; choose from {', '.join(METHODS)}")
    if hasattr(similarity, "matrix"):
        s = np.asarray(similarity.matrix, dtype=float)
        codes = tuple(similarity.codes)
        names = tuple(similarity.names)
    else:
        s = np.asarray(similarity, dtype=float)
        codes = tuple(str(i) for i in range(s.shape[0]))
        names = tuple(None for _ in codes)
    n = s.shape[0]
    if s.ndim != 2 or s.shape[0] != s.shape[1]:
        raise UsageError(f"similarity must be square, got shape {s.shape}")
    if n < 2:
        raise UsageError(f"need at least 2 industries to cluster, got {n}")
    if n_clusters is not None and not (1 <= n_clusters <= n):
        raise UsageError(f"n_clusters must be between 1 and {n}, got {n_clusters}")
    if resolution is not None and not 0 < resolution < np.inf:
        # inf split every industry off and wrote "resolution": Infinity (no JSON) to metadata
        raise UsageError(f"resolution must be a finite number > 0, got {resolution}")
    # numpy's seeding takes no negative number (-5 ended in "internal error: ValueError")
    if not isinstance(random_state, (int, np.integer)) or random_state < 0:
        raise UsageError(f"random_state must be an integer >= 0, got {random_state}")
    if not isinstance(n_seeds, (int, np.integer)) or n_seeds < 0:
        raise UsageError(f"n_seeds must be an integer >= 0, got {n_seeds}")
    if n_seeds > MAX_SEEDS:
        # each seed is a whole grouping run: 10**11 of them ended in a MemoryError reported
        # as an internal error (the seeds alone are 0.8 TB)
        raise UsageError(f"n_seeds {n_seeds}: at most {MAX_SEEDS:,} stability runs, each a whole "
                         "grouping run (10, the default, to 100 are usual)")
    s = (s + s.T) / 2.0
    rng_master = np.random.default_rng(random_state)
    seeds = rng_master.integers(0, 2**31 - 1, size=n_seeds + 1)
    sweep_rows = []

    if method == "dps":
        if linkage not in LINKAGE_OPTIONS:
            raise UsageError(f"unknown linkage {linkage!r}; choose from {', '.join(LINKAGE_OPTIONS)}")
        grid = [n_clusters] if n_clusters is not None else list(k_grid or default_k_grid(n))
        links = (LINKAGES if linkage == "both" else
                 (auto_linkage(similarity),) if linkage == "auto" else (linkage,))
        picks = []
        # the sweep scores every candidate on the same matrices: made once (~10 % of a detect
        # run of the Utah sample went to two n x n copies per candidate)
        ready, distance = validation.prepared(s), silhouette_distance(s)
        for link in links:
            tree = _tree(s, link)
            cands = []
            for k in grid:
                lab = dps_partition(s, int(k), linkage=link, rng=np.random.default_rng(seeds[0]),
                                    tree=tree, refine_labels=auto_refine(link, refine))
                vi, vc, sc = _score(ready, lab, ready=True)
                sil = silhouette(s, lab, distance=distance)
                sweep_rows.append((f"n_clusters/{link}", float(k), int(lab.max()) + 1, vi, vc, sc,
                                   sil))
                cands.append((sc, int(lab.max()) + 1, int(k), lab, sil))
            picks.append((link, _pick(cands, n)))
        # between linkages: the higher silhouette (ward first on a tie)
        link_best, (_, _, k_best, labels, _) = max(
            picks, key=lambda p: (round(p[1][4], 9), -LINKAGES.index(p[0])))
        runs = [dps_partition(s, k_best, linkage=link_best, rng=np.random.default_rng(sd),
                              subsample=0.8, refine_labels=auto_refine(link_best, refine))
                for sd in seeds[1:]]
        params = {"method": "dps", "linkage": link_best, "linkage_option": linkage,
                  "refine": auto_refine(link_best, refine), "refine_option": refine,
                  "n_clusters": k_best, "random_state": random_state, "n_seeds": n_seeds}
        chosen_value = (f"n_clusters/{link_best}", float(k_best))
    else:
        graph = knn_graph(s, n_neighbors)
        grid = [resolution] if resolution is not None else list(resolutions or DEFAULT_RESOLUTIONS)
        cands = []
        ready, distance = validation.prepared(s), silhouette_distance(s)
        for r in grid:
            lab = leiden_partition(graph, r, int(seeds[0]))
            vi, vc, sc = _score(ready, lab, ready=True)
            sil = silhouette(s, lab, distance=distance)
            sweep_rows.append(("resolution", float(r), int(lab.max()) + 1, vi, vc, sc, sil))
            cands.append((sc, int(lab.max()) + 1, float(r), lab, sil))
        _, _, r_best, labels, _ = _pick(cands, n)
        runs = [leiden_partition(graph, r_best, int(sd)) for sd in seeds[1:]]
        params = {"method": "leiden", "resolution": r_best, "n_neighbors": n_neighbors,
                  "random_state": random_state, "n_seeds": n_seeds}
        chosen_value = ("resolution", r_best)

    labels = relabel(labels, codes)
    return _result(s, codes, names, labels, runs, method, params, sweep_rows, chosen_value, pl)


def _result(s, codes, names, labels, runs, method, params, sweep_rows, chosen_value, pl):
    prob = coassignment(labels, runs)
    ind = validation.industry_scores(s, labels)
    n = len(codes)
    own = ind.own
    core = np.zeros(n, dtype=bool)
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        vals = own[idx]
        if np.all(np.isnan(vals)):
            core[idx] = True  # a singleton is its own core
            continue
        med = np.nanmedian(vals)
        core[idx] = (np.nan_to_num(vals, nan=-np.inf) >= med - 1e-12) & (prob[idx] >= 0.5)
    within, _ = validation.cluster_means(s, labels)
    per_cluster_vc = validation.cluster_scores(s, labels)
    uniq = np.unique(labels)
    cl_rows = []
    cname = {}
    # a custom table's industries are their own names ("Tourism", "Fishing"): titles too
    titles = [names[i] or (codes[i] if re.search(r"[^\W\d_]{4,}", str(codes[i])) else None)
              for i in range(n)]
    # English titles: named by their commonest words; titles in another language (an OKED
    # table's Russian, WZ's German), whose words come inflected ('Производство машин и
    # оборудования' gave 'Оборудования, Машин'), by the title of the core industry closest to
    # the cluster, a name in the input's own words and grammar
    english = in_english(titles)
    for j, c in enumerate(uniq):
        idx = np.flatnonzero(labels == c)
        core_idx = idx[core[idx]] if core[idx].any() else idx
        if english:
            nm = cluster_name([titles[i] for i in core_idx]) or cluster_name([titles[i] for i in idx])
        else:
            nm = central_title(core_idx, titles, own, codes) or central_title(idx, titles, own, codes)
        cname[c] = nm if nm else f"Cluster {c} ({min(codes[i] for i in idx)})"
        cl_rows.append({
            "cluster_id": int(c), "cluster_name": cname[c], "n_industries": int(len(idx)),
            "n_core": int(core[idx].sum()),
            "within_similarity": float(within[j]) if np.isfinite(within[j]) else None,
            "vs_industry": float(ind.passes[idx].mean()),
            "vs_cluster": float(per_cluster_vc[j]) if np.isfinite(per_cluster_vc[j]) else None,
            "mean_coassignment": float(prob[idx].mean()),
        })
    members = pl.DataFrame({
        "industry": list(codes),
        "industry_name": [names[i] for i in range(n)],
        "cluster_id": labels.astype(np.int64),
        "cluster_name": [cname[c] for c in labels],
        "coassignment": prob.astype(float),
        "core": core,
        "own_similarity": np.where(np.isfinite(own), own, np.nan),
        "best_other_similarity": np.where(np.isfinite(ind.best_other), ind.best_other, np.nan),
    }, schema={"industry": pl.String, "industry_name": pl.String, "cluster_id": pl.Int64,
               "cluster_name": pl.String, "coassignment": pl.Float64, "core": pl.Boolean,
               "own_similarity": pl.Float64, "best_other_similarity": pl.Float64})
    members = members.with_columns(pl.col("own_similarity").fill_nan(None),
                                   pl.col("best_other_similarity").fill_nan(None)
                                   ).sort("cluster_id", "industry")
    clusters = pl.DataFrame(cl_rows, schema={
        "cluster_id": pl.Int64, "cluster_name": pl.String, "n_industries": pl.Int64,
        "n_core": pl.Int64, "within_similarity": pl.Float64, "vs_industry": pl.Float64,
        "vs_cluster": pl.Float64, "mean_coassignment": pl.Float64})
    sweep = pl.DataFrame(
        [{"parameter": p, "value": v, "n_clusters": k, "vs_industry": vi, "vs_cluster": vc,
          "score": sc, "silhouette": sil, "chosen": (p, v) == chosen_value}
         for p, v, k, vi, vc, sc, sil in sweep_rows],
        schema={"parameter": pl.String, "value": pl.Float64, "n_clusters": pl.Int64,
                "vs_industry": pl.Float64, "vs_cluster": pl.Float64, "score": pl.Float64,
                "silhouette": pl.Float64, "chosen": pl.Boolean})
    vi, vc, _ = _score(s, labels)
    return ClusterResult(codes=tuple(codes), labels=labels, members=members, clusters=clusters,
                         sweep=sweep, vs_industry=vi, vs_cluster=vc, method=method, params=params)
