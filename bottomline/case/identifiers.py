"""SQL identifiers that come from configuration: validated, then quoted."""

from __future__ import annotations

import re

IDENTIFIER_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class InvalidIdentifierError(ValueError):
    """A name from configuration cannot be used as a SQL identifier."""


def check_identifier(name: str) -> str:
    """Return `name` unchanged if it is a plain identifier, else raise."""
    if not isinstance(name, str) or not IDENTIFIER_PATTERN.fullmatch(name):
        raise InvalidIdentifierError(
            f"{name!r} is not a valid name: use letters, digits and underscores, "
            "not starting with a digit"
        )
    return name


def quote_identifier(name: str) -> str:
    """Validate `name` and return it double-quoted for SQL."""
    return f'"{check_identifier(name)}"'
