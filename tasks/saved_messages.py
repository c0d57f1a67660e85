"""Sending a kept message (`<report>.eml`, beside its PDF) again: `bottomline send RUN_ID`,
and the night's late deliveries. No Prefect here, so `send` starts quickly."""

from __future__ import annotations

from pathlib import Path

from bottomline.delivery.mail import read_message, readdress, refused_words, send_smtp, write_outbox
from bottomline.sqlfiles import load_sql
from bottomline.warehouse import run
from tasks.settings import Paths, open_warehouse, smtp_settings


def send_saved(
    paths: Paths, message_path: Path, recipients: list[str] | None, run_id: str
) -> tuple[str, str | None]:
    """Send a kept message to `recipients` (default: its own), or leave it in the outbox
    beside any earlier copy rather than over it; records where it went on the run. Returns
    (where it went, what went wrong)."""
    message = read_message(message_path)
    if recipients:
        message = readdress(message, recipients)
    addresses = [address.strip() for address in str(message["To"]).split(",") if address.strip()]
    settings = smtp_settings()
    error = None
    if settings is None:
        saved = write_outbox(message, paths.outbox, message_path.stem, keep_earlier=True)
        delivered = f"outbox:{saved}"
    else:
        refused = send_smtp(message, settings)
        delivered = ", ".join(address for address in addresses if address not in refused)
        error = f"the SMTP server refused {refused_words(refused)}" if refused else None
    with open_warehouse(paths) as con:
        run(con, load_sql("runs/delivered"), {"run_id": run_id, "delivered_to": delivered})
    return delivered, error
