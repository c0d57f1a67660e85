"""A multiclass model's decisions, for its report: which (true class, decided class) pairs
cost the most against deciding the true class (currency)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bottomline.report.formatting import count, money
from bottomline.report.narrative import Units

SHOWN_PAIRS = 6  # the costliest pairs in the table; the rest are summed in its last row


@dataclass(frozen=True)
class ConfusionPair:
    """Matured predictions of one (true, decided) pair in a window; money in currency."""

    true_class: str
    decided_class: str
    predictions: int
    realized_value: float
    value_if_right: float  # what deciding the true class would have realized

    @property
    def cost(self) -> float:
        """What deciding this way cost against deciding right (0 on the diagonal)."""
        return self.value_if_right - self.realized_value


def confusion_context(pairs: list[ConfusionPair], currency: str) -> dict[str, Any] | None:
    """The table of the costliest wrong decisions; None when no outcome is known yet (or
    for a model of another kind)."""
    if not pairs:
        return None
    wrong = sorted((p for p in pairs if p.true_class != p.decided_class), key=lambda p: -p.cost)
    right = [p for p in pairs if p.true_class == p.decided_class]
    known = sum(p.predictions for p in pairs)
    rows = [_row(p, currency) for p in wrong[:SHOWN_PAIRS]]
    rest = wrong[SHOWN_PAIRS:]
    if rest:
        rows.append(
            {
                "true": f"{len(rest)} other pairs",
                "decided": "",
                "predictions": count(sum(p.predictions for p in rest)),
                "realized": money(sum(p.realized_value for p in rest), currency),
                "cost": money(sum(p.cost for p in rest), currency),
            }
        )
    return {
        "rows": rows,
        "right_share": f"{sum(p.predictions for p in right) / known:.0%}" if known else "n/a",
        "right_realized": money(sum(p.realized_value for p in right), currency),
        "wrong_cost": money(sum(p.cost for p in wrong), currency),
    }


def _row(pair: ConfusionPair, currency: str) -> dict[str, str]:
    return {
        "true": pair.true_class,
        "decided": pair.decided_class,
        "predictions": count(pair.predictions),
        "realized": money(pair.realized_value, currency),
        "cost": money(pair.cost, currency),
    }


def costliest_decision_sentence(
    pairs: list[ConfusionPair], currency: str, units: Units
) -> str | None:
    """The costliest wrong pair in one sentence, for page one's things to know."""
    wrong = [p for p in pairs if p.true_class != p.decided_class and p.cost > 0]
    if not wrong:
        return None
    worst = max(wrong, key=lambda p: p.cost)
    total = sum(p.cost for p in wrong)
    return (
        f"The costliest wrong decision was \u201c{worst.decided_class}\u201d where "
        f"\u201c{worst.true_class}\u201d was right, on {units.of(worst.predictions)}: deciding "
        f"right would have earned {money(worst.cost, currency)} more ({money(total, currency)} "
        "over all wrong decisions), the most a perfect model could add, not money lost."
    )
