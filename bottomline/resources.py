"""Where the SQL files and report templates that ship with Bottomline live."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The `sql/` or `reports/` folder: inside the package when installed, else the checkout's."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Bottomline's {name}/ folder is missing beside {_PACKAGE_DIR}")
