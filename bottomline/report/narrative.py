"""Sentences generated from the figures by rules, in words a leader uses."""

from __future__ import annotations

from bottomline.figures import PeriodFigures
from bottomline.report.formatting import count, money, percent, period_phrase

IN_LINE_SHARE = 0.005  # a gap under 0.5% of the promise is "in line with"


def verdict(title: str, currency: str, figures: PeriodFigures) -> str:
    """One sentence: did the model make money, as promised, in this window?"""
    when = period_phrase(figures.start, figures.end)
    if figures.predictions == 0:
        return f"{title} made no predictions {when}, so there is nothing to report."
    if figures.matured == 0:
        return (
            f"{title} made {count(figures.predictions)} predictions {when}; no outcomes are "
            f"known yet, and their scores promise {money(figures.expected_value, currency)}."
        )
    earned = "earned" if figures.realized_value >= 0 else "lost"
    amount = money(abs(figures.realized_value), currency)
    return f"{title} {earned} {amount} {when}, {_versus_promise(figures)}; {_band_words(figures)}."


def _versus_promise(figures: PeriodFigures) -> str:
    share = figures.gap_share
    if share is None or abs(share) < IN_LINE_SHARE:
        return "in line with what their scores promised"
    direction = "above" if share > 0 else "below"
    return f"{percent(abs(share))} {direction} what their scores promised"


def _band_words(figures: PeriodFigures) -> str:
    if figures.within_band:
        return "within the expected range"
    if figures.realized_value < figures.band_low:
        return "below the expected range, which needs a look"
    return "above the expected range"


def pending_sentence(currency: str, figures: PeriodFigures) -> str | None:
    """What is still to come from predictions awaiting outcomes, if any."""
    if figures.pending == 0:
        return None
    return (
        f"A further {money(figures.expected_value_pending, currency)} is expected from "
        f"{count(figures.pending)} predictions whose outcomes are not known yet."
    )
