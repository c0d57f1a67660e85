"""Delivery: the report's email (SMTP or the outbox folder) and who receives which message.

Takes: a rendered report and its recipients. Gives: a message with the PDF attached, sent or
saved (`mail`), and one message per recipient per night (`recipients.RecipientPlan`).
"""

from __future__ import annotations

from bottomline.delivery.recipients import RecipientPlan

__all__ = ["RecipientPlan"]
