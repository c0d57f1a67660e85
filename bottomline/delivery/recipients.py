"""Who gets which message on a night with several models: one message per recipient.

A recipient who follows one of the night's models gets that model's report. One who follows
two or more gets a single message, the portfolio, instead of one per model and the portfolio
on top (three overlapping emails every morning, before). When too few of their models
succeeded for a portfolio, they get the report of the one that did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RecipientPlan:
    """Addresses by what they receive, from each model's `report.recipients`."""

    followed: Mapping[str, frozenset[str]]  # address: the models it follows tonight

    @classmethod
    def of(cls, recipients: Mapping[str, list[str]]) -> RecipientPlan:
        """From each model's recipients (model: addresses)."""
        followed: dict[str, set[str]] = {}
        for model, addresses in recipients.items():
            for address in addresses:
                followed.setdefault(address, set()).add(model)
        return cls({address: frozenset(models) for address, models in followed.items()})

    def alone(self, model: str) -> list[str]:
        """Who gets this model's own report during its run: those following no other model."""
        return sorted(a for a, models in self.followed.items() if models == {model})

    def portfolio(self, succeeded: list[str]) -> list[str]:
        """Who gets the portfolio of the models that succeeded: those following two of them
        or more (the portfolio exists only when two or more succeeded)."""
        done = set(succeeded)
        if len(done) < 2:
            return []
        return sorted(a for a, models in self.followed.items() if len(models & done) >= 2)

    def late(self, succeeded: list[str]) -> dict[str, list[str]]:
        """Model: who gets its own report after all, once the night is over: those who waited
        for a portfolio that leaves them only this one model (the others failed)."""
        done = set(succeeded)
        late: dict[str, list[str]] = {}
        for address, models in sorted(self.followed.items()):
            if len(models) >= 2 and len(models & done) == 1:  # so not in the portfolio
                late.setdefault(next(iter(models & done)), []).append(address)
        return late
