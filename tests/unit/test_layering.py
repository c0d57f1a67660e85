"""The house rules of DESIGN.md, checked on the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "bottomline").rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_that_computes_imports_prefect() -> None:
    offenders = [
        p.name
        for p in LIBRARY
        if any(m.split(".")[0] in ("prefect", "flows", "tasks") for m in imported_modules(p))
    ]
    assert offenders == []


def test_the_library_reads_neither_environment_nor_clock() -> None:
    pattern = re.compile(r"os\.environ|os\.getenv|\.now\(|\.today\(|utcnow|time\.time\(")
    offenders = [p.name for p in LIBRARY if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|ALTER|CREATE|DESCRIBE|DROP)\b")
SAFE_CALLS = {"quote_identifier", "_type_name"}


def test_sql_is_never_built_from_values() -> None:
    """Statements come from sql/ files; an f-string of SQL only places quoted identifiers."""
    for path in LIBRARY:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            text = "".join(
                str(part.value) for part in node.values if isinstance(part, ast.Constant)
            )
            if not SQL_WORDS.search(text):
                continue
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    call = part.value
                    where = f"{path.name}:{node.lineno}: {ast.unparse(call)} placed in SQL"
                    assert isinstance(call, ast.Call), where
                    assert isinstance(call.func, ast.Name), where
                    assert call.func.id in SAFE_CALLS, where


def test_every_flag_the_row_checks_add_is_a_name_no_case_may_use() -> None:
    """A case column named `kept_row` or `matured` was silently overwritten by a flag or a
    measure computed beside it. Names these modules give columns are reserved, unless
    tests/sql/test_ingest_sql.py shows a case column of that name is left as it was."""
    from bottomline.case.config import RESERVED_COLUMNS
    from tests.sql.test_ingest_sql import NAMES_LEFT_AS_THEY_WERE

    given = set()
    for module in ("validation/derive.py", "measures/metrics.py"):
        text = (ROOT / "bottomline" / module).read_text(encoding="utf-8")
        given |= set(re.findall(r'alias\("([A-Za-z_]+)"\)', text))
    daily_volume = {"day", "earlier", "typical", "has_predictions", "volume_typical"}
    underscored = {name for name in given if name.startswith("_")}  # refused in a case
    unsafe = given - RESERVED_COLUMNS - daily_volume - underscored - set(NAMES_LEFT_AS_THEY_WERE)
    assert {"kept_row", "matured", "segment"} <= given
    assert unsafe == set()


# Which package of bottomline/ may import which (issue 19): the stages of README in order,
# the warehouse and SQL loading at the bottom. Two pairs lean on each other by design:
# validation checks ingest's standardised batches while ingest runs it, and drift's profiles
# are built with the daily aggregates (measures) from the values measures compute.
BOTTOM = {"warehouse", "sqlfiles", "resources", "periods", "runs"}
MAY_IMPORT = {
    "case": set(),
    "ingest": {"case", "validation", "archive"},
    "validation": {"case", "ingest"},
    "measures": {"case", "ingest", "drift", "archive"},
    "drift": {"case", "measures", "validation"},
    "impact": {"case", "measures"},
    "report": {"case", "ingest", "validation", "measures", "drift", "impact"},
    "delivery": {"report"},
    "demo": {"case"},
    "archive": {"case"},
    "warehouse": {"case"},  # quote_identifier only
    "sqlfiles": {"case"},
    "resources": set(),
    "periods": set(),
    "runs": set(),
}


def package_of(path: Path) -> str:
    parts = path.relative_to(ROOT / "bottomline").parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def test_each_stage_imports_only_the_stages_it_may() -> None:
    offenders = []
    for path in LIBRARY:
        if path.name == "__init__.py" and path.parent.name == "bottomline":
            continue
        own = package_of(path)
        allowed = MAY_IMPORT[own] | BOTTOM | {own}
        for module in imported_modules(path):
            if module.startswith("bottomline."):
                used = module.split(".")[1]
                if used not in allowed:
                    offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_every_stage_package_says_what_it_takes_and_gives() -> None:
    for package in sorted(set(MAY_IMPORT) - BOTTOM):
        doc = ast.get_docstring(
            ast.parse((ROOT / "bottomline" / package / "__init__.py").read_text())
        )
        assert doc, package
    assert not [
        p.name for p in (ROOT / "bottomline").glob("*.py") if p.stem not in BOTTOM | {"__init__"}
    ]
