"""Region levels of numeric codes that nest by prefix, under a heading that names no scheme.

A table keyed by a plain ``region`` column may list a region beside its own parts: a US state
``49`` beside its counties ``49001``, ``49003`` (FIPS), a Kazakh oblast ``11`` beside its
districts ``111000000`` (KATO), a German Land ``09`` beside its Kreise ``09162`` (AGS).  Read
as regions of one level, every sum over the level (lq's sum-of-regions benchmark, indices,
detect) counts the parent's activity twice.  Which scheme the codes are of, the codes alone do
not say: ``01``-``16`` beside five digits are both German Länder and US states.

The rule (:func:`nested_code_levels`):

1. the codes are all digits, and a code of two or more digits is the start of a code at least
   two digits longer (``49`` of ``49001``; running numbers ``1`` .. ``20``, where ``1`` begins
   ``10``, are not looked at: one digit, one longer);
2. the scheme is named by evidence beside the codes: German words in the headings or names, or
   AGS's own lengths (3 Regierungsbezirk, 8 Gemeinde) -> AGS, as before; US names (a state's
   name, ``... County``, ``Parish``, ``Borough``) with FIPS's lengths (2 and 5) -> ``state`` and
   ``county``;
3. otherwise the figures decide: a code is the parent of the codes whose longest start in the
   table it is where, in every cell both publish, its figure equals or bounds their sum (2%
   over it allowed, for rounding and noise).  Every such start a parent: levels by the codes'
   length, ``2-digit``, ``5-digit`` (Cyrillic names and two lengths: KATO's ``oblast`` and
   ``district``).  Every one below its parts' sum (numbers that begin one another by chance):
   one level, as before.  Codes all of KATO's nine digits (a Kazakh oblast ``110000000``
   beside its districts ``113200000``, ``113400000``, the republic ``000000000``) do not
   begin one another: their parent is the nearest higher unit in the table, the first 6, 4
   or 2 digits followed by zeros (or the republic), and the figures decide as above; where
   they bound, the levels a KATO heading gives (``nation``, ``oblast``, ``district``,
   ``settlement``).  Some bounding their parts and others not, or one in some cells
   only: the table cannot be read either way, refused in one line naming the code in doubt,
   with the ways out (a ``region_level`` column, or ``--region-level`` for one level).
"""

from __future__ import annotations

import re

from clusterid import schema

# how far a parent's figure may fall short of its parts' sum and still bound it: published
# figures are rounded (a state in thousands beside its counties) and CBP's carry noise
TOLERANCE = 0.02

_AGS_LENGTHS = {2, 3, 5, 8, 9, 12}
_AGS_ONLY_LENGTHS = {3, 8, 12}  # a Regierungsbezirk, a Gemeinde: never FIPS's (9: KATO's too)

# German evidence in the headings: words of Destatis', the Länder offices' and the BA's tables
_GERMAN_HEADING = re.compile(
    r"(?:^|[\s_./-])(?:jahr|stichtag|beschäftigte|beschaeftigte|erwerbstätige|erwerbstaetige|"
    r"tätige|taetige|betriebe|unternehmen|wirtschaftszweig\w*|wz|wz\s*2008|wz08|insgesamt|"
    r"anzahl|bezeichnung|kreis\w*|gemeinde\w*|land|länder|laender|bundesland|entgelt\w*|"
    r"personen|gebiet|svb)(?:$|[\s_./-])", re.IGNORECASE)
_GERMAN_NAME = re.compile(
    r"[äöüßÄÖÜ]|\b(?:landkreis|kreis|kreisfreie|stadtkreis|stadt|städteregion|regierungsbezirk|"
    r"regionalverband|lk|sk)\b|^(?:schleswig-holstein|hamburg|niedersachsen|bremen|"
    r"nordrhein-westfalen|hessen|rheinland-pfalz|baden-württemberg|baden-wuerttemberg|bayern|"
    r"saarland|berlin|brandenburg|mecklenburg-vorpommern|sachsen|sachsen-anhalt|thüringen|"
    r"thueringen)$", re.IGNORECASE)
_US_STATES = frozenset(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon "
    "pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming".split()
) | {"new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
     "rhode island", "south carolina", "south dakota", "west virginia", "district of columbia",
     "puerto rico"}
_US_NAME = re.compile(r"\b(?:county|parish|borough|census area|municipio|city and borough)\b"
                      r"|,\s*[A-Z]{2}$|\bstatewide\b", re.IGNORECASE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _words_of(names) -> list[str]:
    return [" ".join(str(n).split()) for n in names if n is not None and str(n).strip()]


def german_evidence(codes_, names, headings) -> bool:
    """German words in the headings or the region names, or AGS's own key lengths (3, 8, 12
    digits: a Regierungsbezirk, a Gemeinde), which no FIPS code has (nine digits are KATO's
    too)."""
    if any(len(c) in _AGS_ONLY_LENGTHS for c in codes_):
        return True
    if any(_GERMAN_HEADING.search(str(h)) for h in headings if h):
        return True
    return any(_GERMAN_NAME.search(n) for n in _words_of(names))


def us_evidence(names) -> bool:
    """US region names: a state's (``Utah``) or a county's (``Beaver County``, ``... Parish``,
    ``Anchorage Borough``, ``Logan, UT``)."""
    words = _words_of(names)
    return any(n.lower() in _US_STATES or _US_NAME.search(n) for n in words)


def _parents(codes_) -> dict[str, str]:
    """child -> parent: for each code, the longest other code of two or more digits it starts
    with, at least two digits shorter."""
    present = set(codes_)
    out = {}
    for c in codes_:
        for n in range(len(c) - 2, 1, -1):
            if c[:n] in present:
                out[c] = c[:n]
                break
    return out


def kato_shaped(codes_) -> bool:
    """Every code KATO's nine digits (a Kazakh oblast ``110000000``, its district
    ``113200000``, the republic ``000000000``): codes of one length, which nest not as
    prefixes but by their trailing zeros."""
    return bool(codes_) and all(len(c) == 9 and c.isdigit() for c in codes_)


def _kato_parents(codes_) -> dict[str, str]:
    """child -> parent among nine-digit KATO codes: the nearest higher unit in the table, the
    code's first 6, 4, 2 or 0 digits followed by zeros (``113200000``'s oblast ``110000000``,
    the oblast's republic ``000000000``)."""
    present = set(codes_)
    out = {}
    for c in codes_:
        significant = len(c.rstrip("0"))
        for n in (6, 4, 2, 0):
            if n < significant and (p := c[:n] + "0" * (9 - n)) in present:
                out[c] = p
                break
    return out


def _parents_of(codes_) -> dict[str, str]:
    """child -> parent: KATO's by trailing zeros where every code has its nine digits, else
    by prefix (:func:`_parents`)."""
    return _kato_parents(codes_) if kato_shaped(codes_) else _parents(codes_)


def could_nest(values) -> bool:
    """Whether the region codes ``values`` are numeric and one of two or more digits begins
    another at least two digits longer, or all are KATO's nine digits and one is another's
    higher unit (its trailing zeros): the cheap test before any figure is read."""
    codes_ = {str(v).strip() for v in values if v is not None and str(v).strip()}
    if len(codes_) < 2 or not all(c.isdigit() for c in codes_):
        return False
    if kato_shaped(codes_):
        return bool(_kato_parents(codes_))
    return len({len(c) for c in codes_}) > 1 and bool(_parents(codes_))


def fips_shaped(codes_, parent_of) -> bool:
    """States' two digits (01-78) and counties' five, each county's state its first two."""
    lengths = {len(c) for c in codes_}
    return (lengths <= {2, 5} and all("01" <= c <= "78" for c in codes_ if len(c) == 2)
            and all(len(p) == 2 and len(c) == 5 for c, p in parent_of.items()))


def _verdicts(frame, region: str, keys: list[str], measures: list[str], parent_of: dict):
    """parent -> (cells compared, cells where it bounds its parts' sum, a sum > 0 met)."""
    import polars as pl

    children = frame.filter(pl.col(region).is_in(list(parent_of)))
    parents = frame.filter(pl.col(region).is_in(sorted(set(parent_of.values()))))
    if children.height == 0 or parents.height == 0:
        return {}
    sums = (children.with_columns(pl.col(region).replace_strict(parent_of, return_dtype=pl.String)
                                  .alias("__parent"))
            .group_by(["__parent", *keys])
            .agg(*[pl.col(m).sum().alias(f"__sum_{m}") for m in measures],
                 *[pl.col(m).count().alias(f"__n_{m}") for m in measures]))
    both = parents.join(sums, left_on=[region, *keys], right_on=["__parent", *keys], how="inner",
                        nulls_equal=True)  # (no ownership column: null on every row)
    out: dict[str, list[int]] = {}
    for m in measures:
        cells = both.filter(pl.col(m).is_not_null() & (pl.col(f"__n_{m}") > 0)).select(
            region, (pl.col(f"__sum_{m}") <= pl.col(m) * (1 + TOLERANCE) + 1e-9).alias("__bound"),
            (pl.col(f"__sum_{m}") > 0).alias("__some"))
        for code, bound, some in cells.iter_rows():
            seen = out.setdefault(code, [0, 0, 0])
            seen[0] += 1
            seen[1] += int(bound)
            seen[2] = seen[2] or int(some)
    return {k: tuple(v) for k, v in out.items()}


class Unclear(Exception):
    """The codes nest, and the figures say neither that they are levels nor that they are not."""

    def __init__(self, text: str, code: str):
        super().__init__(text)
        self.code = code


def nested_code_levels(frame, region: str, name: str | None, keys: list[str],
                       measures: list[str], headings=()) -> dict[str, str] | None:
    """Each region code's level (code -> level) where the numeric codes of ``frame[region]``
    nest by prefix as the module's docstring says, else None (one level, or not numeric
    codes).  ``name``: the column of the regions' names (or None); ``keys``: the columns that
    with the region make a cell (period, industry, ownership); ``measures``: the figures'
    columns; ``headings``: the table's headings, for German words.

    German AGS keys return ``{None: 'ags'}``: their levels are the keys' lengths'
    (:data:`~clusterid.io.readers.generic_post.AGS_LEVELS`).  KATO's nine digits whose
    figures bound return ``{None: 'kato'}``: their levels are those a KATO heading gives
    (:func:`~clusterid.io.readers.generic_post.kato_level`).

    Raises :class:`Unclear` where some codes' figures bound their parts' and others' do not."""
    import polars as pl

    values = frame.get_column(region).drop_nulls().unique().to_list()
    codes_ = sorted({str(v).strip() for v in values if str(v).strip()})
    if not could_nest(codes_):
        return None
    parent_of = _parents_of(codes_)
    names = (frame.get_column(name).drop_nulls().unique().to_list()
             if name and name in frame.columns else [])
    kato = kato_shaped(codes_)
    if kato and german_evidence(codes_, names, headings):
        return None  # nine-digit German keys (Gemeindeverbände): one level, as before
    lands = {c for c in codes_ if len(c) == 2}
    if ({len(c) for c in codes_} <= _AGS_LENGTHS and lands and all("01" <= c <= "16" for c in lands)
            and german_evidence(codes_, names, headings)):
        return {None: "ags"}
    if fips_shaped(codes_, parent_of) and us_evidence(names):
        return {c: ("state" if len(c) == 2 or c.endswith("000") else
                    schema.UNALLOCATED if c.endswith("999") else "county") for c in codes_}
    verdicts = _verdicts(frame.select(pl.col(region).cast(pl.String).str.strip_chars(), *keys,
                                      *measures), region, keys, measures, parent_of)
    confirmed = sorted(p for p, (n, b, some) in verdicts.items() if n and b == n and some)
    refuted = sorted(p for p, (n, b, _) in verdicts.items() if n and b == 0)
    partly = sorted(p for p, (n, b, _) in verdicts.items() if n and 0 < b < n)
    if not confirmed and not partly:
        return None  # numbers that begin one another by chance: one level, as before
    if refuted or partly:
        odd = (partly or refuted)[0]
        ok = confirmed[0] if confirmed else None
        n, b, _ = verdicts[odd]
        parts = sorted(c for c, p in parent_of.items() if p == odd)
        shown = ", ".join(parts[:3]) + (" ..." if len(parts) > 3 else "")
        said = (f"{odd}'s figures bound the sum of {shown} in {b} of {n} cells" if b else
                f"{odd}'s figures are below the sum of {shown}")
        also = (f", while {ok}'s bound its parts' in every cell" if ok and ok != odd else "")
        raise Unclear(f"region codes begin one another ({odd} of {shown}), and the figures do "
                      f"not say whether they are regions and their parts: {said}{also}", odd)
    if kato:
        return {None: "kato"}
    lengths = sorted({len(c) for c in codes_})
    if len(lengths) == 2 and _CYRILLIC.search(" ".join(_words_of(names))):
        kato = {lengths[0]: "oblast", lengths[1]: "district"}
        return {c: kato[len(c)] for c in codes_}
    return {c: f"{len(c)}-digit" for c in codes_}
