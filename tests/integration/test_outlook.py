"""Issue 22 end to end, on generated data with known answers: a lender whose scores are
calibrated by construction (P(repaid) = score) approves every score >= 0.50, though an
approval is worth 100 if repaid and -300 if not, so it pays only from 0.75 up. A threshold
near 0.75 would have earned more; the old rule "score >= 0.3" would have earned less; outcomes
arrive with a known curve (a tenth never; the others on each day with chance 0.1). The
nightly flow's PDF and email must say so, with the figures computed here row by row."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from bottomline.report.formatting import day, money
from flows.nightly import nightly
from tests.integration.conftest import ModelProject, pdf_page_text, pdf_text

FIRST, END = dt.date(2026, 5, 1), dt.date(2026, 8, 28)
START = END - dt.timedelta(days=29)  # the nightly report's 30 days
PER_DAY = 300
NEVER = 0.1  # outcomes that never arrive
DAILY_CHANCE = 0.1  # an outcome still to come arrives on any given day with this chance
TP, FP = 100.0, -300.0  # declining is worth nothing either way

CASE = {
    "name": "lending",
    "title": "Lending",
    "currency": "EUR",
    "predictions": {
        "source": {"path": "data/predictions.parquet"},
        "id": "id",
        "timestamp": "ts",
        "score": "p",
        "decision": "d",
        "threshold": 0.5,
        "features": ["amount"],
    },
    "outcomes": {
        "source": {"path": "data/outcomes.parquet"},
        "id": "id",
        "label": "y",
        "timestamp": "seen_at",
    },
    "reference": {"source": {"path": "data/reference.parquet"}},
    "value": {"true_positive": TP, "false_positive": FP, "true_negative": 0, "false_negative": 0},
    "calibration": "none",
    "baseline": "score >= 0.3",
    "report": {"recipients": ["cfo@example.com"], "unit": "loan"},
}


@dataclass(frozen=True)
class Lending:
    project: ModelProject
    rows: pl.DataFrame  # every prediction, with its label and whether its outcome is stored


def generate(folder: Path) -> pl.DataFrame:
    rng = np.random.default_rng(22)
    days = [FIRST + dt.timedelta(days=i) for i in range((END - FIRST).days + 1)]
    size = len(days) * PER_DAY
    score = rng.uniform(size=size)
    day_of = np.repeat(np.array(days, dtype="datetime64[D]"), PER_DAY)
    lag = rng.geometric(DAILY_CHANCE, size=size) - 1  # whole days after the prediction's day
    seen = day_of + lag.astype("timedelta64[D]")
    rows = pl.DataFrame(
        {
            "id": [f"L{i:06d}" for i in range(size)],
            "ts": (day_of.astype("datetime64[us]") + np.timedelta64(12, "h")),
            "p": score,
            "d": (score >= 0.5).astype(np.int8),
            "amount": rng.uniform(1_000, 20_000, size=size),
            "y": (rng.uniform(size=size) < score).astype(np.int8),
            "seen_at": seen.astype("datetime64[us]") + np.timedelta64(18, "h"),
            "known": (rng.uniform(size=size) >= NEVER) & (seen <= np.datetime64(END)),
        }
    ).with_columns(pl.col("ts").dt.date().alias("day"))
    data = folder / "data"
    data.mkdir(parents=True)
    rows.select("id", "ts", "p", "d", "amount").write_parquet(data / "predictions.parquet")
    rows.filter("known").select("id", "y", "seen_at").write_parquet(data / "outcomes.parquet")
    reference_score = rng.uniform(size=5_000)
    pl.DataFrame(
        {
            "p": reference_score,
            "d": (reference_score >= 0.5).astype(np.int8),
            "amount": rng.uniform(1_000, 20_000, size=5_000),
            "y": (rng.uniform(size=5_000) < reference_score).astype(np.int8),
        }
    ).write_parquet(data / "reference.parquet")
    return rows


@pytest.fixture(scope="module")
def lending(tmp_path_factory: pytest.TempPathFactory) -> Lending:
    root = tmp_path_factory.mktemp("lending")
    (root / "models").mkdir()
    (root / "models" / "lending.yaml").write_text(yaml.safe_dump(CASE), encoding="utf-8")
    rows = generate(root / "models")
    project = ModelProject(root, "lending", None)
    state = nightly(as_of=END, models=["lending"], return_state=True, **project.paths())
    assert state.is_completed(), state.message
    return Lending(project, rows)


def worth_approving(rows: pl.DataFrame) -> np.ndarray:
    """Per row, what approving it is worth: realized where its outcome is known, else by its
    score (calibrated by construction); declining is worth 0."""
    known, repaid, score = rows["known"].to_numpy(), rows["y"].to_numpy(), rows["p"].to_numpy()
    return np.where(known, np.where(repaid == 1, TP, FP), score * TP + (1 - score) * FP)


def gains_by_threshold(rows: pl.DataFrame) -> np.ndarray:
    """For each threshold k/100, what deciding by it would have earned over the decisions made,
    row by row."""
    worth = worth_approving(rows)
    cents = np.clip(np.floor(rows["p"].to_numpy() * 100), 0, 99)
    approved = rows["d"].to_numpy() == 1
    return np.array(
        [
            worth[(cents >= k) & ~approved].sum() - worth[(cents < k) & approved].sum()
            for k in range(101)
        ]
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_threshold_that_would_have_earned_more_is_on_page_one(lending: Lending) -> None:
    window = lending.rows.filter(pl.col("day").is_between(START, END))
    gains = gains_by_threshold(window)
    best = int(np.flatnonzero(gains >= gains.max() - 1e-6)[0])
    assert 70 <= best <= 80  # the generating law's break-even is 0.75
    pdf = lending.project.report(START, END)
    page_one = flat(pdf_page_text(pdf, 1))
    declined = window.filter((pl.col("p") >= 0.5) & (pl.col("p") < best / 100)).height
    said = (
        f"Raising the threshold from 0.50 to {best / 100:.2f} would have earned "
        f"{money(gains[best], 'EUR')} more ({declined:,} fewer positive decisions; range"
    )
    assert said in page_one, page_one
    text = flat(pdf_text(pdf))
    assert "Could the decisions earn more, and when is the figure final?" in text
    known = window.filter("known")
    realized = gains_by_threshold(known)[best]
    switched = known.filter((pl.col("p") >= 0.5) & (pl.col("p") < best / 100)).height
    said = f"Of that, {money(realized, 'EUR')} is already realized, on the {switched:,} of those"
    assert said in text


def test_what_the_model_adds_over_the_old_rule(lending: Lending) -> None:
    window = lending.rows.filter(pl.col("day").is_between(START, END))
    worth = worth_approving(window)
    score = window["p"].to_numpy()
    over_rule = -worth[(score >= 0.3) & (score < 0.5)].sum()  # the rule approves, the model not
    assert over_rule > 0
    text = flat(pdf_text(lending.project.report(START, END)))
    said = f"are worth {money(over_rule, 'EUR')} more than deciding by the rule “score >= 0.3”"
    assert "The model's decisions from 30 July to 28 August 2026 " + said in text, text


def test_the_report_says_when_the_figure_will_be_final(lending: Lending) -> None:
    page_one = flat(pdf_page_text(lending.project.report(START, END), 1))
    found = re.search(
        r"Of the outcomes expected for this period, (\d+)% are in; 90% will be by (\d+ \w+ 2026)",
        page_one,
    )
    assert found, page_one
    ages = np.array([(END - (START + dt.timedelta(days=i))).days for i in range(30)])

    def true_share(ahead: int) -> float:  # of the outcomes that will ever come
        return float(np.mean(1 - (1 - DAILY_CHANCE) ** (ages + ahead + 1)))

    assert int(found.group(1)) == pytest.approx(100 * true_share(0), abs=2)
    truth = END + dt.timedelta(days=next(a for a in range(365) if true_share(a) >= 0.9))
    forecast = dt.datetime.strptime(found.group(2), "%d %B %Y").date()
    assert abs((forecast - truth).days) <= 2, (day(forecast), day(truth))


def test_last_windows_forecast_is_checked_against_what_came(lending: Lending) -> None:
    text = flat(pdf_text(lending.project.report(START, END)))
    found = re.search(
        r"the same forecast expected ([\d,]+) more outcomes for .*? by .*?; ([\d,]+) arrived", text
    )
    assert found, text
    expected, came = (int(group.replace(",", "")) for group in found.groups())
    assert came > 1_000
    assert expected == pytest.approx(came, rel=0.1)


def test_the_email_body_says_it_too(lending: Lending) -> None:
    (message,) = lending.project.emails()
    plain = message.get_body(("plain",))
    assert plain is not None
    body = flat(plain.get_content())
    assert "Raising the threshold from 0.50 to" in body
    assert "more than deciding by the rule “score >= 0.3”" in body
    assert "The model's decisions are worth EUR" in body
    assert "Of the outcomes expected for this period" in body
