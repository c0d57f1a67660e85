"""End-to-end fixtures: one real Prefect server for the session, demo projects on disk."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import duckdb
import pytest

from bottomline.demo.data import DemoSettings, DemoTruth, generate_demo

REPO = Path(__file__).resolve().parents[2]
SETTINGS = DemoSettings(
    end=dt.date(2026, 5, 31),
    days=45,
    predictions_per_day=250,
    drift_after_days=35,
    reference_rows=20_000,
)


@pytest.fixture(scope="session", autouse=True)
def prefect_server() -> Iterator[None]:
    """A real Prefect API on loopback, shared by every flow run of the session."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with (
        prefect_test_harness(server_startup_timeout=120),
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


@dataclass(frozen=True)
class Project:
    """A folder laid out like a checkout running the demo case."""

    root: Path
    truth: DemoTruth

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def warehouse(self) -> Path:
        return self.root / "var" / "bottomline.duckdb"

    @property
    def reports(self) -> Path:
        return self.root / "var" / "reports"

    @property
    def outbox(self) -> Path:
        return self.root / "var" / "outbox"

    @property
    def data(self) -> Path:
        return self.root / "var" / "demo" / "car_loans"

    def flow_paths(self) -> dict[str, Any]:
        return {
            "models_dir": str(self.models),
            "warehouse": str(self.warehouse),
            "reports_dir": str(self.reports),
            "outbox": str(self.outbox),
        }

    def cli_paths(self) -> list[str]:
        return [
            "--models",
            str(self.models),
            "--warehouse",
            str(self.warehouse),
            "--out",
            str(self.reports),
            "--outbox",
            str(self.outbox),
        ]

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()

    def emails(self) -> list[EmailMessage]:
        messages = []
        for path in sorted(self.outbox.glob("*.eml")):
            parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            messages.append(parsed)
        return messages


def make_project(root: Path) -> Project:
    (root / "models").mkdir(parents=True)
    shutil.copy(REPO / "models" / "car_loans.yaml", root / "models")
    truth = generate_demo(root / "var" / "demo" / "car_loans", SETTINGS)
    return Project(root=root, truth=truth)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path)


@dataclass(frozen=True)
class ModelProject:
    """A folder laid out like a checkout running one demo model of another kind (`model`),
    its data written by its generator; `truth` is what the generator returned."""

    root: Path
    model: str
    truth: Any

    def paths(self) -> dict[str, Any]:
        var = self.root / "var"
        return {
            "models_dir": str(self.root / "models"),
            "warehouse": str(var / "bottomline.duckdb"),
            "reports_dir": str(var / "reports"),
            "outbox": str(var / "outbox"),
        }

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(self.paths()["warehouse"], read_only=True) as con:
            return con.execute(sql).fetchall()

    def report(self, start: dt.date, end: dt.date) -> Path:
        return self.root / "var" / "reports" / self.model / f"{self.model}_{start}_{end}.pdf"

    def emails(self) -> list[EmailMessage]:
        return [
            _read_message(path) for path in sorted((self.root / "var" / "outbox").glob("*.eml"))
        ]


def make_model_project(
    root: Path, model: str, generate: Callable[[Path, DemoSettings], Any], settings: DemoSettings
) -> ModelProject:
    (root / "models").mkdir(parents=True)
    shutil.copy(REPO / "models" / f"{model}.yaml", root / "models")
    return ModelProject(root, model, generate(root / "var" / "demo" / model, settings))


def _read_message(path: Path) -> EmailMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def pdf_page_text(path: Path, page: int) -> str:
    """One page of the PDF, as pdftotext reads it."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def pdf_text(path: Path) -> str:
    """What the PDF shows, as pdftotext reads it (layout kept, lines joined)."""
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def pdf_pages(path: Path) -> int:
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])
