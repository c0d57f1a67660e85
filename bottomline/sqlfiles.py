"""SQL statements kept in `sql/`, loaded by name.

Values are always bound as parameters (`$name`). The only substitution is of identifiers that
come from configuration (a model's schema, its feature columns), written `{{ schema }}` in the
files: each is validated against the identifier pattern and quoted before it is placed. The one
exception is `{{ source_query }}`: the SELECT a business case gives as a PostgreSQL source (SQL
its operator wrote, never a value read from data), placed as a parenthesised subquery.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from bottomline.case.identifiers import quote_identifier
from bottomline.resources import resource_dir

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


@cache
def _sql_text(name: str) -> str:
    path = resource_dir("sql") / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no SQL file {path}")
    return path.read_text(encoding="utf-8")


def load_sql(name: str, source_query: str | None = None, **identifiers: str) -> str:
    """The statement in `sql/<name>.sql`, with `{{ key }}` replaced by quoted identifiers (and
    `{{ source_query }}` by the case's subquery)."""
    text = _sql_text(name)

    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key == "source_query":
            if source_query is None:
                raise KeyError(f"sql/{name}.sql needs the source's query")
            return f"({source_query})"
        if key not in identifiers:
            raise KeyError(f"sql/{name}.sql needs identifier {key!r}")
        return quote_identifier(identifiers[key])

    return _PLACEHOLDER.sub(substitute, text)


def sql_files(folder: str) -> list[Path]:
    """The `.sql` files of a folder under `sql/`, in name order."""
    return sorted((resource_dir("sql") / folder).glob("*.sql"))


def relative_name(path: Path) -> str:
    """The name `load_sql` takes for a file under `sql/` (its relative path, no suffix)."""
    return path.relative_to(resource_dir("sql")).with_suffix("").as_posix()
