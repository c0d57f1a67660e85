"""Values from source rows as they may be shown to people: capped in length, and escaped where
a renderer writes them into HTML as they are.

A source value is whatever the file held: a 5 MB cell, or `<img src=x onerror=...>`. Every
place Bottomline shows one (a reason a row was set aside, the sample of unexpected values in a
check's result, GX's data docs) caps it at `LONGEST_SHOWN` characters and says how long it was.
GX's data docs write the sample of unexpected values into table cells without escaping them
(GX 1.24, `DefaultJinjaView.render_content_block`), so what goes to GX's store is also escaped.
"""

from __future__ import annotations

import html
from typing import Any

LONGEST_SHOWN = 200  # characters of one value shown; the rest is counted, not shown
LONGEST_MESSAGE = 600  # characters of one message that may quote values (a reason, a file error)
SAMPLE_KEYS = ("partial_unexpected_list", "unexpected_list")
COUNT_KEYS = ("partial_unexpected_counts", "unexpected_counts")


def capped(text: str, limit: int = LONGEST_SHOWN) -> str:
    """The text, or its first `limit` characters and how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def capped_value(value: Any, escape: bool = False) -> Any:
    """A sampled value as it may be shown: text capped (and HTML-escaped if asked); numbers,
    booleans and missing values as they are."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = capped(str(value))
    return html.escape(text) if escape else text


def shown_result(result: dict[str, Any], escape: bool = False) -> dict[str, Any]:
    """A check's result (GX's `result` dict) with every sampled source value capped, and
    escaped for HTML when `escape`; counts and percentages are kept as they are."""
    shown = dict(result)
    for key in SAMPLE_KEYS:
        if isinstance(shown.get(key), list):
            shown[key] = [capped_value(value, escape) for value in shown[key]]
    for key in COUNT_KEYS:
        if isinstance(shown.get(key), list):
            shown[key] = [
                {**entry, "value": capped_value(entry.get("value"), escape)}
                if isinstance(entry, dict)
                else entry
                for entry in shown[key]
            ]
    return shown
