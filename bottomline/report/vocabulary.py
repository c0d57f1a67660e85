"""Words for what a model gives: a classifier's scores, a regression model's predictions.

The report's sentences are written for classifiers ("what their scores promised"); a
regression model has no scores, so its report says the same of its predictions. The
replacements are whole phrases, longest first, applied to the rendered text of a regression
model's report (wherever a template wraps the phrase across lines).
"""

from __future__ import annotations

import re

REGRESSION_PHRASES = [
    ("the calibrated scores promised", "the predictions promised, from the reference's errors"),
    ("Promised by the scores", "Promised by the predictions"),
    ("Promised by scores", "Promised by predictions"),
    ("what their scores promised", "what their predictions promised"),
    ("what its scores promised", "what its predictions promised"),
    ("than the scores promised", "than the predictions promised"),
    ("what the scores promised", "what the predictions promised"),
    ("their scores promise", "their predictions promise"),
    ("by their scores", "by their predictions"),
    ("the scores themselves moved", "the predictions themselves moved"),
    ("the scores promised", "the predictions promised"),
    (
        "from the model's scores after calibration against the reference data",
        "from the model's predictions and the errors it made on the reference data",
    ),
    ("what their scores promise", "what their predictions promise"),
    ("Score (model output)", "Prediction (model output)"),
    ("what the decisions earned", "what the predictions earned"),
    ("the model's decisions", "the model's predictions"),
]


def in_model_words(text: str, regression: bool) -> str:
    """`text` in the words of the model's kind (unchanged for a classifier)."""
    if not regression:
        return text
    for classifier_words, regression_words in REGRESSION_PHRASES:
        words = r"\s+".join(re.escape(word) for word in classifier_words.split())
        text = re.sub(words, regression_words, text)  # a template may wrap a phrase
    return text


def promise_label(regression: bool) -> str:
    """The charts' legend for the promised value."""
    return in_model_words("Promised by scores", regression)
