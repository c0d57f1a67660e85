"""Issue 18, item 8: the email's subject reads the same in every mail client and filter."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

from bottomline.delivery.mail import Envelope, compose, read_message, readdress, write_outbox

SUBJECT = "[ALERT] Car loan approvals, 3 November - 2 December 2026: EUR 12.6M realized"
CONTEXT: dict[str, object] = {
    "title": "Car loan approvals", "period": "3 November - 2 December 2026",
    "verdict": "Car loan approvals earned EUR 12.6M.", "pending": None, "tiles": [],
    "has_data": True, "alert": True, "data_level": "good", "data_headline": "Data passed.",
    "data_lines": [], "drift_level": "problem", "drift_headline": "Drift: dti moved a lot.",
    "code_version": "test", "run_id": "r1",
}  # fmt: skip


def test_a_long_alert_subject_is_not_folded_before_its_first_word(tmp_path: Path) -> None:
    """Before: 'Subject:' then a fold, so Python (and filters) read ' [ALERT] ...'."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7 test")
    envelope = Envelope("bottomline@example.com", ["cfo@example.com"], SUBJECT)
    message = compose(envelope, CONTEXT, pdf, dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    raw = bytes(message)
    assert f"Subject: {SUBJECT}\n".encode() in raw
    for policy in (email.policy.default, email.policy.compat32):
        assert email.message_from_bytes(raw, policy=policy)["Subject"] == SUBJECT
    saved = write_outbox(message, tmp_path, "report")
    again = bytes(readdress(read_message(saved), ["ceo@example.com"]))
    assert email.message_from_bytes(again, policy=email.policy.default)["Subject"] == SUBJECT
