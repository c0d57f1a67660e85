"""Value rules: a number, or an arithmetic expression over a prediction's columns.

The business case gives the value of each confusion cell as, e.g., `1000` or
`-0.6 * loan_amount`. Expressions are parsed with Python's `ast` into a small, closed
grammar (numbers, column names, `+ - * /`, parentheses, `abs`, `min`, `max`) and compiled to
Polars; nothing is ever evaluated as Python.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce

import polars as pl

from bottomline.case.identifiers import IDENTIFIER_PATTERN


class ExpressionError(ValueError):
    """A value rule that is not a number or an allowed expression."""


_GRAMMAR = "use numbers, column names, + - * /, parentheses, abs(), min() and max()"

_BINARY: dict[type[ast.operator], Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}

_FUNCTIONS: dict[str, tuple[int, int | None]] = {"abs": (1, 1), "min": (2, None), "max": (2, None)}


@dataclass(frozen=True)
class ValueExpression:
    """One parsed value rule. `columns` are the prediction columns it reads."""

    text: str
    tree: ast.expr
    columns: frozenset[str]

    @property
    def constant(self) -> float | None:
        """The number, if the rule reads no column."""
        if self.columns:
            return None
        return float(pl.select(compile_expression(self.tree)).item())

    def to_polars(self, names: Mapping[str, pl.Expr] | None = None) -> pl.Expr:
        """A Polars expression of the value, in currency, as Float64; `names` gives some
        names an expression of their own instead of the column of that name."""
        return compile_expression(self.tree, names or {}).cast(pl.Float64)


def parse_value(rule: float | int | str) -> ValueExpression:
    """Parse a value rule from the business case; raise `ExpressionError` if not allowed."""
    if isinstance(rule, bool):
        raise ExpressionError(f"expected a number or an expression, got {rule!r}")
    text = repr(rule) if isinstance(rule, (int, float)) else str(rule).strip()
    if not text:
        raise ExpressionError("expected a number or an expression, got an empty text")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as error:
        raise ExpressionError(f"{text!r} is not a valid expression ({error.msg})") from None
    columns = frozenset(check_expression(tree, text))
    return ValueExpression(text=text, tree=tree, columns=columns)


def check_expression(node: ast.expr, text: str) -> set[str]:
    """Validate the tree against the grammar and return the column names it reads."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"{text!r}: {node.value!r} is not a number; {_GRAMMAR}")
        return set()
    if isinstance(node, ast.Name):
        if not IDENTIFIER_PATTERN.fullmatch(node.id):
            raise ExpressionError(f"{text!r}: {node.id!r} is not a valid column name")
        return {node.id}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return check_expression(node.operand, text)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return check_expression(node.left, text) | check_expression(node.right, text)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _check_call(node, node.func.id, text)
    raise ExpressionError(f"{text!r}: {ast.unparse(node)!r} is not allowed; {_GRAMMAR}")


def _check_call(node: ast.Call, name: str, text: str) -> set[str]:
    if name not in _FUNCTIONS or node.keywords:
        raise ExpressionError(f"{text!r}: function {name!r} is not allowed; {_GRAMMAR}")
    least, most = _FUNCTIONS[name]
    count = len(node.args)
    if count < least or (most is not None and count > most):
        raise ExpressionError(
            f"{text!r}: {name}() takes {least}{'+' if most is None else ''} "
            f"argument(s), got {count}"
        )
    columns: set[str] = set()
    for argument in node.args:
        if isinstance(argument, ast.Starred):
            raise ExpressionError(f"{text!r}: *arguments are not allowed")
        columns |= check_expression(argument, text)
    return columns


def compile_expression(node: ast.expr, names: Mapping[str, pl.Expr] | None = None) -> pl.Expr:
    """Compile a checked tree to a Polars expression; a name in `names` compiles to the
    expression given for it, any other to the column of that name."""
    names = names or {}
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return pl.lit(float(node.value))
    if isinstance(node, ast.Name):
        return names[node.id] if node.id in names else pl.col(node.id).cast(pl.Float64)
    if isinstance(node, ast.UnaryOp):
        operand = compile_expression(node.operand, names)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = compile_expression(node.left, names), compile_expression(node.right, names)
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        arguments = [compile_expression(argument, names) for argument in node.args]
        if node.func.id == "abs":
            return arguments[0].abs()
        combine = pl.min_horizontal if node.func.id == "min" else pl.max_horizontal
        return reduce(lambda a, b: combine(a, b), arguments)
    raise ExpressionError(f"cannot compile {ast.unparse(node)!r}")
