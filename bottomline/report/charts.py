"""Charts for the report, as SVG bytes (matplotlib's SVG backend, text drawn as paths).

Colours are one palette for the whole report and stay apart in greyscale: realized value is
solid dark, estimates for pending outcomes hatched light, the promise a dashed line in a band.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any, cast

import matplotlib as mpl
import polars as pl
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bottomline.report.formatting import money

REALIZED = "#1f3a5f"
PENDING = "#b8c4d2"
PROMISE = "#111111"
BAND = "#e3b34c"
GRID = "#d9dde3"
MM = 1 / 25.4  # inches per millimetre


def svg_data_uri(svg: bytes) -> str:
    """An SVG as a data URI for an <img> tag."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _axis_money(currency: str) -> Callable[[float, object], str]:
    return lambda value, _position: money(value, currency).replace(f"{currency} ", "")


def value_over_time(series: pl.DataFrame, currency: str) -> bytes:
    """Daily realized value, pending estimate and the promise with its 95% band."""
    with mpl.rc_context(cast("Any", _STYLE)):
        figure = Figure(figsize=(170 * MM, 72 * MM))
        axes = figure.add_subplot()
        days = series["day"].to_list()
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
            label="Promised by scores",
        )
        axes.axhline(0, color="#555555", linewidth=0.6)
        axes.yaxis.set_major_formatter(FuncFormatter(_axis_money(currency)))
        axes.set_ylabel(f"{currency} per day")
        locator = AutoDateLocator(minticks=4, maxticks=8)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(DateFormatter("%-d %b"))
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False)
        figure.tight_layout()
        return _svg(figure)


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


_STYLE: dict[str, object] = {
    "svg.hashsalt": "bottomline",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 7.5,
    "axes.edgecolor": "#888888",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": GRID,
    "grid.linewidth": 0.5,
    "axes.axisbelow": True,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.fontsize": 7,
    "hatch.linewidth": 0.6,
}
