from __future__ import annotations

import polars as pl
import pytest

from bottomline.case.expressions import ExpressionError, parse_value


def evaluate(rule: str | float, **columns: list[float]) -> list[float]:
    frame = pl.DataFrame(columns) if columns else pl.DataFrame({"_": [0]})
    return frame.select(parse_value(rule).to_polars()).to_series().to_list()


def test_a_number_is_a_constant() -> None:
    rule = parse_value(1000)
    assert rule.columns == frozenset()
    assert rule.constant == 1000.0
    assert parse_value(-0.5).constant == -0.5


def test_an_expression_reads_its_columns() -> None:
    rule = parse_value("-0.6 * loan_amount + 0.3 * car_value")
    assert rule.columns == {"loan_amount", "car_value"}
    assert rule.constant is None
    assert evaluate(rule.text, loan_amount=[1000.0, 0.0], car_value=[100.0, 10.0]) == [
        pytest.approx(-570.0),
        pytest.approx(3.0),
    ]


def test_functions_and_parentheses() -> None:
    assert evaluate("abs(x - 10)", x=[3.0, 12.0]) == [7.0, 2.0]
    assert evaluate("min(x, 5, y)", x=[3.0, 9.0], y=[4.0, 6.0]) == [3.0, 5.0]
    assert evaluate("max(x, 0) / 2", x=[-4.0, 8.0]) == [0.0, 4.0]
    assert evaluate("(x + 1) * -2", x=[1.0]) == [-4.0]


@pytest.mark.parametrize(
    ("rule", "complaint"),
    [
        ("__import__('os').system('true')", "not allowed"),
        ("x.real", "not allowed"),
        ("x ** 2", "not allowed"),
        ("'text'", "not a number"),
        ("True", "not a number"),
        ("round(x)", "function 'round' is not allowed"),
        ("abs(x, y)", "abs() takes 1"),
        ("min(x)", "min() takes 2+"),
        ("x if y else 1", "not allowed"),
        ("1 +", "not a valid expression"),
        ("", "empty"),
    ],
)
def test_anything_else_is_refused_with_a_reason(rule: str, complaint: str) -> None:
    with pytest.raises(ExpressionError, match=complaint.replace("(", r"\(").replace(")", r"\)")):
        parse_value(rule)


def test_booleans_are_not_numbers() -> None:
    with pytest.raises(ExpressionError):
        parse_value(True)
