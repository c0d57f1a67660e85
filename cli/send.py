"""`bottomline send RUN_ID`: deliver a run's report again, or for the first time after its
delivery failed (the message was kept beside the PDF)."""

from __future__ import annotations

import argparse
import smtplib
import sys
from pathlib import Path
from typing import Any

from bottomline.sqlfiles import load_sql
from bottomline.warehouse import first_row
from tasks.saved_messages import send_saved
from tasks.settings import Paths, open_warehouse


def send_report(arguments: argparse.Namespace, paths: dict[str, Any]) -> int:
    resolved = Paths.resolve(**paths)
    warehouse = resolved.warehouse
    if not warehouse.exists():
        print(f"bottomline: no warehouse at {warehouse}", file=sys.stderr)
        return 2
    with open_warehouse(resolved, read_only=True) as con:
        row = first_row(con, load_sql("runs/lookup"), {"run_id": arguments.run_id})
    if row is None:
        print(f"bottomline: no run {arguments.run_id} in {warehouse}", file=sys.stderr)
        return 2
    report_path = row[6]
    message_path = Path(report_path).with_suffix(".eml") if report_path else None
    if message_path is None or not message_path.exists():
        print(
            f"bottomline: run {arguments.run_id} ({row[2]}, {row[5]}) has no message to send; "
            "make the report again with `bottomline report` (or `bottomline run --resend` for "
            "a portfolio)",
            file=sys.stderr,
        )
        return 1
    try:
        delivered, refused = send_saved(
            resolved, message_path, arguments.recipients, arguments.run_id
        )
    except (OSError, smtplib.SMTPException) as error:
        print(f"bottomline: could not send {report_path}: {error}", file=sys.stderr)
        return 1
    print(f"{row[2]}: {report_path} sent to {delivered}")
    if refused:
        print(f"bottomline: {refused}", file=sys.stderr)
        return 1
    return 0
