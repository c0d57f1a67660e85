"""Reading YAML with line numbers, and turning validation errors into plain messages."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

LARGEST_CASE_BYTES = 1_000_000  # a business case is a few kilobytes
MOST_VALUES = 100_000  # values in a case once YAML aliases are expanded; a case has hundreds
LONGEST_EXPECTED = 600  # characters of a message (it may quote what the file holds)
_SHOWN = reprlib.Repr()  # what the file holds, quoted in a message: bounded however large
_SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlist, _SHOWN.maxdict, _SHOWN.maxlevel = (
    120,
    120,
    8,
    8,
    3,
)


class ConfigError(Exception):
    """A business-case problem: which file, line and key, and what was expected (cut at
    LONGEST_EXPECTED characters)."""

    def __init__(self, path: Path, line: int | None, key: str | None, expected: str) -> None:
        if len(expected) > LONGEST_EXPECTED:
            expected = f"{expected[:LONGEST_EXPECTED]}… ({len(expected)} characters)"
        self.path, self.line, self.key, self.expected = path, line, key, expected
        where = f"{path}" + (f", line {line}" if line else "")
        super().__init__(f"{where}: {key + ': ' if key else ''}{expected}")


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    root: yaml.Node | None

    def line_of(self, key_path: tuple[str | int, ...]) -> int | None:
        """1-based line of the deepest part of `key_path` in the file (a key's own line)."""
        node, line = self.root, None
        for part in key_path:
            if node is None:
                break
            key, node = _child(node, part)
            if node is None:
                break
            line = (key or node).start_mark.line + 1
        return (
            line
            if line is not None
            else (self.root.start_mark.line + 1 if self.root is not None else None)
        )


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The key node (for mappings) and the value node of `part` under `node`."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item: yaml.Node = node.value[part]
        return None, item
    return None, None


def read_yaml(path: Path) -> YamlDocument:
    """Parse a YAML file, keeping its node tree for line numbers."""
    try:
        size = path.stat().st_size
        if size > LARGEST_CASE_BYTES:
            raise ConfigError(
                path, None, None, f"{size:,} bytes is too large for a business case (most 1 MB)"
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, None, None, f"cannot read the file ({error})") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        values = expanded_size(root)
        if values > MOST_VALUES:
            raise ConfigError(
                path,
                None,
                None,
                f"the file expands to {values:,} values (YAML aliases repeated inside each "
                f"other); a business case has a few hundred (most {MOST_VALUES:,})",
            )
        return YamlDocument(yaml.safe_load(text), root)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise ConfigError(path, line, None, f"not valid YAML: {error.problem}") from None


def expanded_size(root: yaml.Node | None) -> int:
    """How many values the document holds once every alias is expanded, counted without
    expanding them (a node's size is computed once, however often it is repeated)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        sizes[id(node)] = 1  # a node inside itself (recursive alias) counts once
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(key) + size(value) for key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(item) for item in node.value)
        else:
            total = 1
        sizes[id(node)] = total
        return total

    return size(root) if root is not None else 0


def describe_validation_error(
    path: Path, document: YamlDocument, error: ValidationError
) -> ConfigError:
    """The first validation problem as a ConfigError; the others are listed after it."""
    problems = []
    for item in error.errors(include_url=False):
        location = tuple(part for part in item["loc"] if not _is_union_tag(part))
        expected = _expectation(item)
        named = _NAMED_KEY.match(expected) if not location else None
        if named:  # a check across keys names the key at fault first ("a.b: ...")
            location, expected = tuple(named[1].split(".")), named[2]
        key = ".".join(str(part) for part in location) or None
        problems.append((document.line_of(location), key, expected))
    line, key, expected = problems[0]
    if len(problems) > 1:
        others = "; ".join(f"{k or 'file'}: {e}" for _, k, e in problems[1:])
        expected = f"{expected} (also: {others})"
    return ConfigError(path, line, key, expected)


_NAMED_KEY = re.compile(r"^([a-z_]+(?:\.[a-z_]+)+): (.*)$", re.DOTALL)


def _is_union_tag(part: str | int) -> bool:
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _expectation(item: Any) -> str:
    kind, message = item["type"], str(item["msg"])
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key (check the spelling against DESIGN.md)"
    message = message.removeprefix("Value error, ")
    if "input" in item and kind not in ("value_error", "assertion_error"):
        return f"{message[0].lower()}{message[1:]}, got {_SHOWN.repr(item['input'])}"
    return message
