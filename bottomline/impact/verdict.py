"""The verdict on a window: is realized value what the scores promised, and if not, does the
difference matter? Stored with each report run (`runs.verdict`).

- `within`: realized value lies in the 95% range around the promise (see `figures`);
- `immaterial`: outside it, but the gap is under `material_share` of the promise or under
  `material_amount` (currency): real, perhaps, but too small for a leader to act on;
- `below` / `above`: outside the range by a gap that matters: worth a look;
- None: fewer than `MIN_OUTCOMES_TO_JUDGE` outcomes known, too few to judge.
"""

from __future__ import annotations

from typing import Literal

from bottomline.case.config import VerdictSpec
from bottomline.measures.figures import PeriodFigures

Verdict = Literal["within", "immaterial", "below", "above"]
MIN_OUTCOMES_TO_JUDGE = 30  # known outcomes: fewer judge nothing (14 of them read "+199%")
NEEDS_A_LOOK: tuple[Verdict, ...] = ("below", "above")


def judge(figures: PeriodFigures, rule: VerdictSpec) -> Verdict | None:
    """The window's verdict; None with fewer than 30 known outcomes (too few for the 95% range,
    a normal approximation, to mean anything: no alert, no colour)."""
    if figures.matured < MIN_OUTCOMES_TO_JUDGE:
        return None
    if figures.band_low <= figures.realized_value <= figures.band_high:
        return "within"
    share = figures.gap_share
    material = abs(figures.gap) >= rule.material_amount and (
        share is None or abs(share) >= rule.material_share
    )
    if not material:
        return "immaterial"
    return "below" if figures.gap < 0 else "above"
