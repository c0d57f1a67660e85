"""Decision rules: when a simple policy would have decided positive, e.g. `score >= 0.5`.

A case's `baseline` is such a rule: what the business would do without the model (the old
cut-off, "approve every loan under EUR 20,000"). Rules are parsed with Python's `ast` into a
closed grammar, compiled to Polars and never evaluated as Python: comparisons (`< <= > >= ==
!=`) between value expressions (numbers, columns, `+ - * /`, `abs`, `min`, `max`; see
`bottomline.case.expressions`), or of a column with text (`region == "north"`, `region in
("north", "east")`, `!=`, `not in`), joined with `and`, `or`, `not` and parentheses. `score` is
the model's score (probability); other names are the prediction's columns, read as numbers
except where compared with text.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from bottomline.case.expressions import ExpressionError, check_expression, compile_expression
from bottomline.case.identifiers import IDENTIFIER_PATTERN

_RULE_GRAMMAR = (
    "use comparisons (< <= > >= == !=) of numbers and columns, or a column == or != a text, "
    "or in a list of texts, joined with and, or, not"
)
_COMPARE: dict[type[ast.cmpop], Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


@dataclass(frozen=True)
class DecisionRule:
    """One parsed rule; `columns` are the prediction columns it reads (`score` included)."""

    text: str
    tree: ast.expr
    columns: frozenset[str]

    def to_polars(self) -> pl.Expr:
        """1 where the rule decides positive, 0 where it does not or cannot tell (a missing
        value), as Int8."""
        return _compile(self.tree).fill_null(False).cast(pl.Int8)


def parse_rule(text: str) -> DecisionRule:
    """Parse a decision rule; raise `ExpressionError` naming what is not allowed."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(f"expected a rule such as 'score >= 0.5', got {text!r}")
    stripped = text.strip()
    try:
        tree = ast.parse(stripped, mode="eval").body
    except SyntaxError as error:
        raise ExpressionError(f"{stripped!r} is not a valid rule ({error.msg})") from None
    return DecisionRule(stripped, tree, frozenset(_check(tree, stripped)))


def _check(node: ast.expr, text: str) -> set[str]:
    if isinstance(node, ast.BoolOp):
        return set().union(*(_check(value, text) for value in node.values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _check(node.operand, text)
    if isinstance(node, ast.Compare):
        if _is_text_test(node):
            return {node.left.id}  # type: ignore[attr-defined]  # checked by _is_text_test
        if not all(type(op) in _COMPARE for op in node.ops):
            raise ExpressionError(
                f"{text!r}: {ast.unparse(node)!r} is not allowed; {_RULE_GRAMMAR}"
            )
        columns: set[str] = set()
        for side in [node.left, *node.comparators]:
            columns |= check_expression(side, text)
        return columns
    raise ExpressionError(f"{text!r}: {ast.unparse(node)!r} is not a comparison; {_RULE_GRAMMAR}")


def _compile(node: ast.expr) -> pl.Expr:
    if isinstance(node, ast.BoolOp):
        parts = [_compile(value) for value in node.values]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if isinstance(node.op, ast.And) else combined | part
        return combined
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ~_compile(node.operand)
    assert isinstance(node, ast.Compare)  # checked by _check
    if _is_text_test(node):
        return _compile_text_test(node)
    sides = [compile_expression(side) for side in [node.left, *node.comparators]]
    result: pl.Expr | None = None
    for op, left, right in zip(node.ops, sides, sides[1:], strict=False):  # a < b < c
        part = _COMPARE[type(op)](left, right)
        result = part if result is None else result & part
    assert result is not None
    return result


def _texts(node: ast.expr) -> list[str] | None:
    """The text(s) of a text constant, or of a tuple or list of them; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List)) and node.elts:
        found = [_texts(element) for element in node.elts]
        if all(part is not None and len(part) == 1 for part in found):
            return [part[0] for part in found if part is not None]
    return None


def _is_text_test(node: ast.Compare) -> bool:
    """A column against text: `region == "north"`, `region != "north"`,
    `region in ("north", "east")`, `region not in [...]`."""
    if len(node.ops) != 1 or not isinstance(node.left, ast.Name):
        return False
    if not IDENTIFIER_PATTERN.fullmatch(node.left.id):
        return False
    texts, op = _texts(node.comparators[0]), node.ops[0]
    if texts is None:
        return False
    single = isinstance(node.comparators[0], ast.Constant)
    return isinstance(op, (ast.Eq, ast.NotEq)) if single else isinstance(op, (ast.In, ast.NotIn))


def _compile_text_test(node: ast.Compare) -> pl.Expr:
    column = pl.col(node.left.id).cast(pl.String)  # type: ignore[attr-defined]
    texts = _texts(node.comparators[0]) or []
    op = node.ops[0]
    if isinstance(op, (ast.Eq, ast.NotEq)):
        equal = column == pl.lit(texts[0])
        return equal if isinstance(op, ast.Eq) else ~equal
    found = column.is_in(texts)
    return found if isinstance(op, ast.In) else ~found
