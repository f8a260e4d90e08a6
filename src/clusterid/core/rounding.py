"""Decimal rounding of doubles: the shortest text a CSV prints for a value, at a chosen number
of significant digits, exactly as Python's own formatting rounds it.

Used by the CSV writers (:func:`clusterid.io.tables.csv_ready`, 15 digits) and by lq for its
p-values (7 digits).  Pure numpy; no I/O.
"""

from __future__ import annotations

import functools

_EXACT_POWERS = [float(10 ** i) for i in range(23)]  # 10**k is an exact double up to k = 22


def round_significant(values, digits: int = 15):
    """``values`` (a float64 numpy array) each rounded to ``digits`` significant digits, as the
    double nearest that decimal, so its shortest text (what the CSV writer prints) has at most
    ``digits`` digits.  NaN, infinities and 0 pass through.

    Each value is scaled to an integer mantissa ``m`` of ``digits`` digits in extended
    precision (``numpy.longdouble``), then brought back: ``m / 10**k`` with an exact power of
    ten (|k| <= 22) is one correctly rounded division; past 10**22 (values below about 1e-8 or
    above 1e37 at 15 digits: small p-values) the decimal ``m e-k`` is parsed, which rounds
    correctly too.  (polars' ``round_sig_figs`` divides by an inexact power and leaves noise.)
    A mantissa too close to a tie (…x.5) for the scaling's precision to tell is decided by
    Python's own decimal formatting: rare where ``longdouble`` is wider than a double, every
    such value where it is not.  Worked in blocks of :data:`_ROUND_BLOCK` values: the
    extended-precision temporaries of 3 M values at once came to ~0.2 GB, at lq's memory peak.
    """
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    if values.size <= _ROUND_BLOCK:
        return _round_significant_block(values, digits)
    return np.concatenate([_round_significant_block(values[i:i + _ROUND_BLOCK], digits)
                           for i in range(0, values.size, _ROUND_BLOCK)])


_ROUND_BLOCK = 1 << 19


def _round_significant_block(values, digits: int):
    import numpy as np
    import polars as pl

    out = values.copy()
    ok = np.isfinite(values) & (values != 0)
    if not ok.any():
        return out
    v = values[ok]
    wide = np.longdouble
    tolerance = 4 * np.finfo(wide).eps

    def scaled(k):
        return v.astype(wide) * _wide_powers_of_ten()[k + _WIDE_POWER_OFFSET]

    with np.errstate(divide="ignore"):
        k = (digits - 1 - np.floor(np.log10(np.abs(v)))).astype(np.int64)
    raw = scaled(k)
    # log10 of a value a hair under a power of ten can round up to it (9.999999999999965e16:
    # 17.0), which leaves one digit too few: 1e17 instead of 9.99999999999996e16
    under = np.abs(raw) < wide(10) ** (digits - 1)
    if under.any():
        k = np.where(under, k + 1, k)
        raw = scaled(k)
    m = np.rint(raw)
    over = np.abs(m) >= wide(10) ** digits  # rounded up to the next power: one digit less
    if over.any():
        k = np.where(over, k - 1, k)
        raw = scaled(k)
        m = np.rint(raw)
    # within the scaling's error of a tie (...x.5): the distance of ``raw`` to its nearest
    # integer is exact in extended precision and small, so it is compared in doubles (one
    # longdouble operation instead of five: x87 arithmetic is scalar, ~0.5 s on 3 M values);
    # the margin of one double ulp of 0.5 only sends a few more values to the exact path
    distance = np.abs((raw - m).astype(np.float64))
    margin = float(tolerance) * np.abs(raw.astype(np.float64)) + np.finfo(np.float64).eps
    undecided = 0.5 - distance <= margin
    m = m.astype(np.float64)  # below 10**digits: exact
    near = np.abs(k) <= 22
    factor = np.asarray(_EXACT_POWERS)[np.where(near, np.abs(k), 0)]
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.where(k >= 0, m / factor, m * factor)
    if (~near).any():
        text = (pl.Series(m[~near].astype(np.int64)).cast(pl.String) + "e"
                + pl.Series(-k[~near]).cast(pl.String))
        rounded[~near] = text.cast(pl.Float64).to_numpy()
    if undecided.any():
        rounded[undecided] = [float(f"{x:.{digits}g}") for x in v[undecided].tolist()]
    rounded = np.where(np.isfinite(rounded), rounded, v)  # the largest doubles round past inf
    out[ok] = rounded
    return out


_WIDE_POWER_OFFSET = 330  # 10**-330 .. 10**345: every k a double (down to 5e-324) can need


@functools.lru_cache(maxsize=1)
def _wide_powers_of_ten():
    """10**k in ``numpy.longdouble`` for k from -330 to 345, each parsed from its decimal text
    (correctly rounded; exact up to 10**27 where longdouble has 64 bits), for a gather: powl on
    3 M values took ~1 s."""
    import numpy as np

    return np.array([np.longdouble(f"1e{k}") for k in range(-_WIDE_POWER_OFFSET, 346)])
