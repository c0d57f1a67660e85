"""The two-sided Kolmogorov-Smirnov p-value, P(D_n >= d), without importing scipy.stats.

scipy's `ks_2samp(method="asymp")` reads it from `kstwo.sf(d, n)` with n the rounded
effective sample size m*w/(m+w). Importing scipy.stats costs about 0.9 s of every report, so
for n > 140 (every window of more than about 140 rows) this follows scipy's own choice of method
(Simard & L'Ecuyer 2011): the upper tail from Smirnov's exact one-sided probability
(`scipy.special.smirnov`, the same function scipy uses there), the rest from the Pelz-Good
expansion of the CDF (scipy's method for n > 100,000; where scipy uses the Durbin matrix instead
the two agree within 1e-5). Smaller samples are left to scipy's exact small-sample methods.
"""

from __future__ import annotations

import math

import numpy as np

SMALL_SAMPLE = 140  # up to this n, scipy's exact methods
_PI_SQUARED = math.pi**2
_PI_FOUR = math.pi**4
_PI_SIX = math.pi**6
_SQRT2PI = math.sqrt(2 * math.pi)
_SQRT3 = math.sqrt(3)
_MIN_LOG = -708.0  # exp() of less is 0 in doubles


def ks_p_value(d: float, n: int) -> float:
    """P(D_n >= d) for the two-sided statistic d (0..1) of a sample of n (>= 1)."""
    if n <= SMALL_SAMPLE:
        from scipy.stats import kstwo

        return float(kstwo.sf(d, n))
    if d <= 0.0:
        return 1.0
    if d >= 1.0:
        return 0.0
    n_d_squared = n * d * d
    if n_d_squared >= 370.0:
        return 0.0
    if n_d_squared >= 2.2 or d >= 0.5:
        from scipy.special import smirnov

        return _probability(2 * float(smirnov(n, d)))
    return _probability(1.0 - pelz_good_cdf(n, d))


def pelz_good_cdf(n: int, d: float) -> float:
    """P(D_n <= d) by the Pelz-Good (1976) expansion K0 + K1/sqrt(n) + K2/n + K3/n^1.5 in
    z = d*sqrt(n), each term in its small-z (Jacobi theta) form; as scipy's
    `_kolmogn_PelzGood`."""
    z = math.sqrt(n) * d
    z2, z3, z4, z6 = z**2, z**3, z**4, z**6
    q_log = -_PI_SQUARED / 8 / z2
    if q_log < _MIN_LOG:
        return 0.0
    q = math.exp(q_log)
    largest_k = math.ceil(16 * z / math.pi)
    terms = np.zeros(4)
    for k in range(largest_k, 0, -1):  # Horner over odd m = 2k - 1
        m2 = (2 * k - 1) ** 2
        coefficients = np.array(
            [
                1.0,
                -z2 + _PI_SQUARED / 4 * m2,
                (6 * z6 + 2 * z4)
                + (2 * z4 - 5 * z2) * _PI_SQUARED / 4 * m2
                + _PI_FOUR * (1 - 2 * z2) / 16 * m2**2,
                (-30 * z6 - 90 * z**8)
                + _PI_SQUARED * (135 * z4 - 96 * z6) / 4 * m2
                + _PI_FOUR * (-60 * z2 + 212 * z4) / 16 * m2**2
                + _PI_SIX * (5 - 30 * z2) / 64 * m2**3,
            ]
        )
        terms = terms * q ** (8 * k) + coefficients
    terms *= q * _SQRT2PI / np.array([z, 6 * z4, 72 * z**7, 6480 * z**10])
    ks = np.arange(largest_k, 0, -1, dtype=float)
    q_whole = np.exp(-_PI_SQUARED / 2 / z2) ** (ks**2)
    terms[2] += np.sum(ks**2 * q_whole) * _PI_SQUARED * _SQRT2PI / (-36 * z3)
    spread = (_SQRT3 * z + math.pi * ks) * (_SQRT3 * z - math.pi * ks)
    terms[3] += np.sum(spread * ks**2 * q_whole) * _PI_SQUARED * _SQRT2PI / (216 * z6)
    terms /= np.power(float(n), np.arange(4) / 2.0)
    return float(terms.sum())


def _probability(value: float) -> float:
    return min(max(value, 0.0), 1.0)
