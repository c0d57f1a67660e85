"""One palette and style for every chart of the report; SVG with text as text (DejaVu Sans).

Colours stay apart in greyscale: realized value is solid dark, estimates hatched light, the
promise a dashed black line in a pale band, losses hatched.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

from matplotlib.figure import Figure

from bottomline.report.formatting import money

REALIZED = "#1f3a5f"
PENDING = "#b8c4d2"
PROMISE = "#111111"
BAND = "#e3b34c"
GAIN = "#2f7d4a"
LOSS = "#b42318"
REFERENCE = "#8a9bb0"
GRID = "#d9dde3"
MM = 1 / 25.4  # inches per millimetre


def svg_data_uri(svg: bytes) -> str:
    """An SVG as a data URI for an <img> tag."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def axis_money(currency: str) -> Callable[[float, object], str]:
    """Tick labels in the report's money format, without the currency code."""
    return lambda value, _position: money(value, currency).replace(f"{currency} ", "")


def to_svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


STYLE: dict[str, object] = {
    "svg.hashsalt": "bottomline",
    "svg.fonttype": "none",  # text as text: half the SVG, and faster to draw in the PDF
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
