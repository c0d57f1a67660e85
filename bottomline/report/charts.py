"""The report's money charts, as SVG bytes: value day by day, cumulative, and the bridge."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import matplotlib as mpl
import numpy as np
import polars as pl
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

from bottomline.impact.bridge import Bridge
from bottomline.impact.windows import ModelLife
from bottomline.report.chart_style import (
    BAND,
    GAIN,
    GRID,
    LOSS,
    MM,
    PENDING,
    PROMISE,
    REALIZED,
    STYLE,
    axis_money,
    to_svg,
)
from bottomline.report.formatting import money

SHORT_WINDOW = 7  # days: a shorter window is drawn on a week's width, every day ticked


def value_over_time(
    series: pl.DataFrame,
    currency: str,
    life: ModelLife | None = None,
    promised: str = "Promised by scores",
) -> bytes:
    """Daily realized value, pending estimate and the promise with its 95% band; days outside
    the model's `life` (first, last day with predictions) shaded and named."""
    with mpl.rc_context(cast("Any", STYLE)):
        figure = Figure(figsize=(170 * MM, 38 * MM))  # page one: room for the data's status
        axes = figure.add_subplot()
        days = series["day"].to_list()
        if life is not None:
            _outside_life(axes, days, life)
        realized = series["realized_value"].to_numpy()
        pending = series["expected_value_pending"].to_numpy()
        axes.fill_between(
            days,
            series["band_low"].to_numpy(),
            series["band_high"].to_numpy(),
            color=BAND,
            alpha=0.35,
            linewidth=0,
            step="mid",
            label="Range expected (95%)",
        )
        axes.bar(days, realized, width=0.8, color=REALIZED, label="Realized")
        axes.bar(
            days,
            pending,
            width=0.8,
            bottom=realized.clip(min=0),
            color="white",
            edgecolor=PENDING,
            hatch="////",
            linewidth=0.4,
            label="Estimate, outcomes pending",
        )
        axes.step(
            days,
            series["expected_value_matured"].to_numpy(),
            where="mid",
            color=PROMISE,
            linestyle=(0, (3, 2)),
            linewidth=1.0,
            label=promised,
        )
        _dates_and_money(axes, currency, f"{currency} per day", days)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False)
        figure.tight_layout()
        return to_svg(figure)


def cumulative_value(
    series: pl.DataFrame, currency: str, promise: str = "Promised by scores"
) -> bytes:
    """Running totals: realized, promised for the same predictions, and realized plus the
    estimate of outcomes still pending."""
    with mpl.rc_context(cast("Any", STYLE)):
        figure = Figure(figsize=(170 * MM, 55 * MM))
        axes = figure.add_subplot()
        days = series["day"].to_list()
        realized = np.cumsum(series["realized_value"].to_numpy())
        promised = np.cumsum(series["expected_value_matured"].to_numpy())
        estimate = realized + np.cumsum(series["expected_value_pending"].to_numpy())
        axes.fill_between(
            days,
            realized,
            estimate,
            color=PENDING,
            alpha=0.5,
            linewidth=0,
            hatch="////",
            edgecolor="white",
            label="Estimate, outcomes pending",
        )
        axes.plot(
            days,
            promised,
            color=PROMISE,
            linestyle=(0, (3, 2)),
            linewidth=1.0,
            label=promise,
        )
        dots = "o" if len(days) <= SHORT_WINDOW else None  # a short window's days, each seen
        axes.plot(
            days,
            realized,
            color=REALIZED,
            linewidth=1.8,
            marker=dots,
            markersize=3,
            label="Realized",
        )
        _dates_and_money(axes, currency, f"{currency}, running total", days)
        axes.legend(loc="upper left", frameon=False)
        figure.tight_layout()
        return to_svg(figure)


def bridge_waterfall(bridge: Bridge, currency: str, with_volume: bool = True) -> bytes:
    """Plan, then volume, mix and performance as steps up or down, to realized value;
    without the volume step where the plan sets no volume (it is then 0 by construction)."""
    named = [("Volume", bridge.volume), ("Mix", bridge.mix), ("Performance", bridge.performance)]
    named = [(label, step) for label, step in named if with_volume or label != "Volume"]
    labels = ["Plan", *[label for label, _ in named], "Realized"]
    steps = [step for _, step in named]
    last = len(steps) + 1
    with mpl.rc_context(cast("Any", STYLE)):
        figure = Figure(figsize=(170 * MM, 62 * MM))
        axes = figure.add_subplot()
        axes.bar(0, bridge.plan, width=0.6, color=REALIZED)
        level = bridge.plan
        for position, step in enumerate(steps, start=1):
            gain = step >= 0
            axes.bar(
                position,
                step,
                bottom=level,
                width=0.6,
                color=GAIN if gain else "white",
                edgecolor=GAIN if gain else LOSS,
                hatch=None if gain else "xxxx",
                linewidth=0.8,
            )
            axes.plot(
                [position - 1.3, position - 0.3] if position > 1 else [-0.3, 0.7],
                [level, level],
                color="#777777",
                linewidth=0.5,
            )
            level += step
        axes.bar(last, bridge.realized, width=0.6, color=REALIZED)
        axes.plot([last - 0.7, last - 0.3], [level, level], color="#777777", linewidth=0.5)
        amounts = [bridge.plan, *steps, bridge.realized]
        tops = [bridge.plan, *np.cumsum([bridge.plan, *steps])[1:], bridge.realized]
        for position, (amount, top) in enumerate(zip(amounts, tops, strict=True)):
            sign = "+" if 0 < position < last and amount > 0 else ""
            axes.annotate(
                sign + money(amount, currency),
                (position, max(top, top - amount)),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=7,
            )
        axes.set_xticks(range(last + 1), labels)
        axes.axhline(0, color="#555555", linewidth=0.6)
        axes.yaxis.set_major_formatter(FuncFormatter(axis_money(currency)))
        axes.set_ylabel(currency)
        figure.tight_layout()
        return to_svg(figure)


def _outside_life(axes: Axes, days: list[dt.date], life: ModelLife) -> None:
    """Shade the window's days before the first prediction and after the last, saying so."""
    first, last, one = days[0], days[-1], dt.timedelta(days=1)
    spans = [(first, min(life.first_day - one, last)), (max(life.last_day + one, first), last)]
    for (low, high), words in zip(
        spans, ("before its first prediction", "after its last"), strict=True
    ):
        if low > high:
            continue
        left, right = float(date2num(low)) - 0.5, float(date2num(high)) + 0.5
        axes.axvspan(left, right, color=GRID, alpha=0.5, linewidth=0)
        if right - left >= 16:
            axes.text(
                (left + right) / 2, 0.5, words, transform=axes.get_xaxis_transform(),
                ha="center", va="center", color="#6b7280", fontsize=7,
            )  # fmt: skip


def _dates_and_money(axes: Axes, currency: str, label: str, days: list[dt.date]) -> None:
    """Money on y; on x the window's days only: a window shorter than a week is drawn on a
    week's width (a day's bar stays a day wide), with a tick for each of its days."""
    axes.axhline(0, color="#555555", linewidth=0.6)
    axes.yaxis.set_major_formatter(FuncFormatter(axis_money(currency)))
    axes.set_ylabel(label)
    first, last = days[0], days[-1]
    margin = 0.6 + max(0, SHORT_WINDOW - len(days)) / 2
    axes.set_xlim(
        float(date2num(first)) - margin,
        float(date2num(last)) + margin,
    )
    if len(days) <= 2 * SHORT_WINDOW:
        step = 1 if len(days) <= SHORT_WINDOW else 2
        axes.xaxis.set_major_locator(FixedLocator(date2num(days[::step])))
    else:
        axes.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=8))
    axes.xaxis.set_major_formatter(DateFormatter("%-d %b"))
