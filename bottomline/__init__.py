"""Bottomline: what machine-learning models earned, against what they promised."""

from __future__ import annotations

__version__ = "0.1.0"
