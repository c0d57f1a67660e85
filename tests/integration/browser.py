"""An email's HTML body laid out by a real browser (headless Chromium from Debian's packages):
how wide it really is on a phone or a desktop, and a screenshot to look at.

Headless Chromium will not make a window narrower than 500 px, so the body is shown in an
iframe of the width asked for (srcdoc: same origin as the page, so its layout can be read).
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

PROBE = """
<script>
window.onload = () => {
  const body = document.getElementById("mail").contentDocument;
  const tiles = [...body.querySelectorAll("[data-tile]")].map(t => t.getBoundingClientRect());
  document.title = JSON.stringify({
    width: body.documentElement.scrollWidth,
    rows: new Set(tiles.map(t => Math.round(t.top))).size,
    tiles: tiles.length,
    right: Math.max(0, ...tiles.map(t => t.right)),
  });
};
</script>
"""


@dataclass(frozen=True)
class Layout:
    width: int  # px the body takes (over the frame's width: cut off, or scrolled sideways)
    tiles: int  # KPI boxes drawn
    rows: int  # rows they take
    right: float  # px: the right edge of the rightmost box


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    return found


def host_page(body: str, width: int) -> str:
    return (
        f'<html><body style="margin:0"><iframe id="mail" srcdoc="{html.escape(body)}" '
        f'style="width:{width}px;height:1600px;border:0"></iframe>{PROBE}</body></html>'
    )


def layout(body: str, width: int, folder: Path) -> Layout:
    """How the HTML body lays out in a frame `width` px wide."""
    page = folder / f"layout-{width}.html"
    page.write_text(host_page(body, width), encoding="utf-8")
    dom = _chromium(["--dump-dom", page.as_uri()], folder)
    title = dom.split("<title>", 1)[1].split("</title>", 1)[0]
    return Layout(**json.loads(html.unescape(title)))


def screenshot(body: str, width: int, folder: Path) -> Path:
    """A PNG of the body at `width` px (the frame at the left of a wider window)."""
    page = folder / f"screenshot-{width}.html"
    page.write_text(host_page(body, width), encoding="utf-8")
    target = folder / f"email-{width}px.png"
    _chromium([f"--screenshot={target}", page.as_uri()], folder, window=max(width, 500))
    return target


def _chromium(arguments: list[str], folder: Path, window: int = 1000) -> str:
    result = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",  # tests may run as root in a container
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={folder / 'chromium-profile'}",
            f"--window-size={window},1600",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout
