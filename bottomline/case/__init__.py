"""The business case: one YAML file per model, read into a typed, checked `BusinessCase`.

Takes: `models/<name>.yaml`. Gives: `BusinessCase` (where the data is, what each outcome is
worth as parsed value expressions, the plan, labels, recipients), or a `ConfigError` naming
the file, line and key. Modules: `config` (the contract), `errors` (messages with lines, YAML
limits), `expressions` (value rules, parsed, never evaluated as Python), `identifiers`.
"""

from __future__ import annotations

from bottomline.case.config import BusinessCase, case_files, load_case, load_cases
from bottomline.case.errors import ConfigError

__all__ = ["BusinessCase", "ConfigError", "case_files", "load_case", "load_cases"]
