"""Drift statistics of a window against the reference, from their bin counts alone.

Numeric columns: Kolmogorov-Smirnov D (exact at the bin edges; with 1,001 reference quantile
levels its error stays near 0.001) and its asymptotic p-value (as scipy's `ks_2samp`,
method "asymp", without importing scipy.stats: see `kolmogorov`); PSI and Jensen-Shannon
distance (base 2) on the reference's deciles (on the fine bins, sampling noise alone would make
JS look like drift); Wasserstein distance, exact
within each bin from the bins' value sums unless the two CDFs cross inside it, divided by the
reference's standard deviation. Categorical columns: Pearson chi-square and its p-value on the
reference-vs-window table (unseen values counted), PSI, Jensen-Shannon. Both: the change in the
share of missing values. Missing values are left out of every other statistic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from bottomline.drift.bins import NULL_BIN, ColumnBins
from bottomline.drift.kolmogorov import ks_p_value

PSI_FLOOR = 1e-4  # a share of 0 counts as this much, so PSI stays finite


@dataclass(frozen=True)
class Statistic:
    method: str  # ks | psi | js | wasserstein | chi2 | missing_rate_change
    statistic: float
    p_value: float | None = None


@dataclass(frozen=True)
class BinCounts:
    """One side's profile of a column: rows and value sums per bin name."""

    counts: dict[str, int]
    value_sums: dict[str, float]

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> BinCounts:
        """From rows of `bin`, `count`, `value_sum` (summed over days already or not)."""
        summed = frame.group_by("bin").agg(pl.col("count").sum(), pl.col("value_sum").sum())
        return cls(
            dict(zip(summed["bin"].to_list(), summed["count"].to_list(), strict=True)),
            dict(
                zip(
                    summed["bin"].to_list(),
                    summed["value_sum"].fill_null(0.0).to_list(),
                    strict=True,
                )
            ),
        )

    @property
    def present(self) -> int:
        return sum(count for name, count in self.counts.items() if name != NULL_BIN)

    @property
    def missing_share(self) -> float:
        total = sum(self.counts.values())
        return self.counts.get(NULL_BIN, 0) / total if total else 0.0


def column_statistics(
    bins: ColumnBins,
    reference: BinCounts,
    window: BinCounts,
) -> list[Statistic]:
    """Every statistic of the column's kind, plus the missing-rate change."""
    missing = Statistic("missing_rate_change", window.missing_share - reference.missing_share)
    if reference.present == 0 or window.present == 0:
        return [missing]
    if bins.kind == "numeric":
        return [*_numeric(bins, reference, window), missing]
    return [*_categorical(reference, window), missing]


def psi(reference_shares: np.ndarray, window_shares: np.ndarray) -> float:
    """Population stability index: sum of (w - r) * ln(w / r), shares floored at 1e-4."""
    r = np.maximum(reference_shares, PSI_FLOOR)
    w = np.maximum(window_shares, PSI_FLOOR)
    return float(np.sum((w - r) * np.log(w / r)))


def _numeric(bins: ColumnBins, reference: BinCounts, window: BinCounts) -> list[Statistic]:
    edges = bins.edges
    names = [str(index) for index in range(len(edges) + 1)]
    r = np.array([reference.counts.get(name, 0) for name in names], dtype=float)
    w = np.array([window.counts.get(name, 0) for name in names], dtype=float)
    n_r, n_w = r.sum(), w.sum()
    cdf_r, cdf_w = np.cumsum(r) / n_r, np.cumsum(w) / n_w
    d = float(np.max(np.abs(cdf_r - cdf_w)))
    effective = np.round(n_r * n_w / (n_r + n_w))
    upper = np.append(edges, np.inf)  # the upper edge of each fine bin
    decile = np.searchsorted(bins.decile_edges, upper, side="left")
    by_decile_r = np.bincount(decile, weights=r, minlength=len(bins.decile_edges) + 1)
    by_decile_w = np.bincount(decile, weights=w, minlength=len(bins.decile_edges) + 1)
    statistics = [
        Statistic("ks", d, ks_p_value(d, int(effective))),
        Statistic("psi", psi(by_decile_r / n_r, by_decile_w / n_w)),
        Statistic("js", jensen_shannon(by_decile_r / n_r, by_decile_w / n_w)),
    ]
    if bins.reference_std:
        distance = _wasserstein(bins, reference, window)
        statistics.append(Statistic("wasserstein", distance / bins.reference_std))
    return statistics


def _wasserstein(bins: ColumnBins, reference: BinCounts, window: BinCounts) -> float:
    """Integral of |F_r - F_w| over the line. Inside each bin (a, b] the integral of a CDF is
    exact from the bin's value sum: b*F(b) - a*F(a) - sum(x in bin)/n; where the two CDFs do
    not cross in the bin, the integral of |F_r - F_w| is the gap between those. Where they do
    cross, a trapezoid. The open tails come exactly from the value sums too."""
    edges = bins.edges
    names = [str(index) for index in range(len(edges) + 1)]
    sides = []
    for side in (reference, window):
        counts = np.array([side.counts.get(name, 0) for name in names], dtype=float)
        sums = np.array([side.value_sums.get(name, 0.0) for name in names], dtype=float)
        sides.append((np.cumsum(counts) / counts.sum(), sums / counts.sum(), counts.sum()))
    (cdf_r, mean_r, _), (cdf_w, mean_w, _) = sides
    total = 0.0
    for j in range(1, len(edges)):
        a, b = edges[j - 1], edges[j]
        area_r = b * cdf_r[j] - a * cdf_r[j - 1] - mean_r[j]
        area_w = b * cdf_w[j] - a * cdf_w[j - 1] - mean_w[j]
        left, right = cdf_r[j - 1] - cdf_w[j - 1], cdf_r[j] - cdf_w[j]
        total += (
            abs(area_r - area_w) if left * right >= 0 else ((b - a) * (abs(left) + abs(right)) / 2)
        )
    last = len(edges)
    below = cdf_w[0] * edges[0] - mean_w[0]  # window mass below the reference minimum
    above = mean_w[last] - (1 - cdf_w[last - 1]) * edges[-1]  # above the reference maximum
    return total + max(float(below), 0.0) + max(float(above), 0.0)


def _categorical(reference: BinCounts, window: BinCounts) -> list[Statistic]:
    names = sorted({*reference.counts, *window.counts} - {NULL_BIN})
    r = np.array([reference.counts.get(name, 0) for name in names], dtype=float)
    w = np.array([window.counts.get(name, 0) for name in names], dtype=float)
    n_r, n_w = r.sum(), w.sum()
    chi2, p_value = pearson_chi_square(np.vstack([r, w]))
    return [
        Statistic("chi2", chi2, p_value),
        Statistic("psi", psi(r / n_r, w / n_w)),
        Statistic("js", jensen_shannon(r / n_r, w / n_w)),
    ]


def pearson_chi_square(table: np.ndarray) -> tuple[float, float]:
    """Pearson's chi-square statistic of a contingency table (rows: reference and window;
    columns: categories; one empty in both is left out) and its p-value, without continuity
    correction (as scipy's `chi2_contingency(correction=False)`)."""
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 0.0, 1.0
    from scipy.special import chdtrc  # the chi-square survival function

    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    statistic = float(np.sum((table - expected) ** 2 / expected))
    freedom = (table.shape[0] - 1) * (table.shape[1] - 1)
    return statistic, float(chdtrc(freedom, statistic))


def jensen_shannon(p: np.ndarray, q: np.ndarray) -> float:
    """Jensen-Shannon distance in base 2 (0 = same distribution, 1 = no overlap) between two
    distributions given as shares, as scipy's `jensenshannon(p, q, base=2)`."""
    p, q = p / p.sum(), q / q.sum()
    middle = (p + q) / 2

    def divergence(a: np.ndarray) -> float:
        present = a > 0
        return float(np.sum(a[present] * np.log2(a[present] / middle[present])))

    return float(np.sqrt(max((divergence(p) + divergence(q)) / 2, 0.0)))
