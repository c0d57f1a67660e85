"""The portfolio: one page comparing every model, ahead of each model's own section."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bottomline.impact.verdict import NEEDS_A_LOOK, judge
from bottomline.report.content import ReportData
from bottomline.report.drift_context import drift_headline, model_outputs
from bottomline.report.formatting import money, percent, period, plural
from bottomline.report.impact_context import RANGE_WORDS, signed_money
from bottomline.report.narrative import verdict
from bottomline.report.vocabulary import in_model_words

LEVEL_WORDS = {"good": "passed", "warning": "warnings", "problem": "problems"}


@dataclass(frozen=True)
class PortfolioRow:
    title: str
    period: str
    realized: str
    promised: str
    gap: str
    in_range: str
    against_plan: str
    still_to_come: str
    data_level: str
    data_words: str
    drift_level: str
    drift_words: str
    flag: bool  # off its range by a gap that matters


def portfolio_row(data: ReportData) -> PortfolioRow:
    figures, currency = data.figures, data.case.currency
    bridge = data.impact.bridge
    drift_level = drift_headline(data.drift, outputs=model_outputs(data.case))[0]
    return PortfolioRow(
        title=data.case.title,
        period=period(figures.start, figures.end),
        realized=money(figures.realized_value, currency),
        promised=money(figures.expected_value_matured, currency),
        gap=percent(figures.gap_share, signed=True),
        in_range=RANGE_WORDS[judge(figures, data.case.verdict)],
        against_plan=signed_money(bridge.realized - bridge.plan, currency) if bridge else "n/a",
        still_to_come=money(figures.expected_value_pending, currency),
        data_level=data.status.level,
        data_words=LEVEL_WORDS[data.status.level],
        drift_level=drift_level,
        drift_words={"good": "stable", "warning": "moved", "problem": "moved a lot"}[drift_level],
        flag=judge(figures, data.case.verdict) in NEEDS_A_LOOK,
    )


def worst_level(levels: Iterable[str]) -> str:
    """The worst of some lights: problem, then warning, else good."""
    found = set(levels)
    return next((level for level in ("problem", "warning") if level in found), "good")


def inputs_sentence(rows: list[PortfolioRow]) -> str:
    """Drift across models in one sentence, for the portfolio email."""
    moved = [f"{row.title} {row.drift_words}" for row in rows if row.drift_level != "good"]
    if not moved:
        return "Drift: every model's inputs are stable against its reference."
    return f"Drift: the inputs of {'; '.join(moved)}."


def portfolio_verdict(datas: list[ReportData]) -> str:
    """One sentence across models: what they earned together and who needs a look."""
    currencies = {data.case.currency for data in datas}
    below = [data.case.title for data in datas if judge(data.figures, data.case.verdict) == "below"]
    above = [data.case.title for data in datas if judge(data.figures, data.case.verdict) == "above"]
    looks = [
        f"{plural(len(titles), 'model')} {side} {'its' if len(titles) == 1 else 'their'} "
        f"expected range by an amount that matters: {', '.join(titles)}"
        for side, titles in (("below", below), ("above", above))
        if titles
    ]
    look = (
        "; ".join(looks)
        or "every model within its expected range, or off it by too little to act on"
    )
    if len(currencies) != 1:
        return f"{plural(len(datas), 'model')} reported, in several currencies; {look}."
    currency = currencies.pop()
    realized = sum(data.figures.realized_value for data in datas)
    promised = sum(data.figures.expected_value_matured for data in datas)
    share = (realized - promised) / abs(promised) if promised else None
    direction = "below" if share is not None and share < 0 else "above"
    return (
        f"Together, the {plural(len(datas), 'model')} earned {money(realized, currency)}, "
        f"{percent(abs(share) if share is not None else None)} {direction} what their "
        f"predictions promised; {look}."
    )


def portfolio_total(datas: list[ReportData], currency: str) -> dict[str, str]:
    """The "All models" row: realized, promised, the gap, against plan (only when every model
    has a plan that is a budget) and still to come, summed over models of one currency."""
    realized = sum(d.figures.realized_value for d in datas)
    promised = sum(d.figures.expected_value_matured for d in datas)
    bridges = [d.impact.bridge for d in datas]
    budgets = all(d.impact.plan is not None and d.impact.plan.is_a_budget for d in datas)
    against = (
        signed_money(sum(b.realized - b.plan for b in bridges if b), currency)
        if all(bridges) and budgets
        else "n/a"  # a yardstick from a reference is no budget: summed, it reads as one
    )
    return {
        "realized": money(realized, currency),
        "promised": money(promised, currency),
        "gap": percent((realized - promised) / abs(promised) if promised else None, signed=True),
        "against_plan": against,
        "still_to_come": money(sum(d.figures.expected_value_pending for d in datas), currency),
    }


def portfolio_context(datas: list[ReportData]) -> dict[str, Any]:
    currencies = {data.case.currency for data in datas}
    total = None
    if len(currencies) == 1:
        currency = next(iter(currencies))
        total = portfolio_total(datas, currency)
    first = min(data.figures.start for data in datas)
    last = max(data.figures.end for data in datas)
    return {
        "period": period(first, last),
        "verdict": portfolio_verdict(datas),
        "rows": [portfolio_row(data) for data in datas],
        "verdicts": [
            in_model_words(
                verdict(
                    data.case.title,
                    data.case.currency,
                    data.figures,
                    data.case.verdict,
                    data.case.report.unit_plural,
                ),
                data.case.is_regression,
            )
            for data in datas
        ],
        "total": total,
        "models": len(datas),
        "glossary": portfolio_glossary(datas),
    }


def portfolio_glossary(datas: list[ReportData]) -> dict[str, Any]:
    """The words the portfolio's one glossary uses: the models' own where they share them
    (unit, time zone, currency), else words that hold for every model (None: each model's
    own); `mixed` when it holds classifiers and regression models, `regression` when it
    holds regression models only."""

    def shared(values: set[str], otherwise: str | None = None) -> str | None:
        return values.pop() if len(values) == 1 else otherwise

    kinds = {data.case.is_regression for data in datas}
    return {
        "units": shared({d.case.report.unit_plural for d in datas}, "predictions"),
        "unit": shared({d.case.report.unit for d in datas}, "prediction"),
        "timezone": shared({d.case.timezone for d in datas}),  # None: each model's own
        "currency": shared({d.case.currency for d in datas}),
        "mixed": kinds == {True, False},
        "regression": kinds == {True},
    }
