"""What runs read from their surroundings: the environment, the clock, the code version."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import duckdb
from pydantic import BaseModel, ConfigDict

import bottomline
from bottomline.case.config import BusinessCase
from bottomline.case.pii import derive_key
from bottomline.case.store_access import StoreAccess
from bottomline.delivery.mail import Security, SmtpSettings
from bottomline.warehouse import DEFAULT_MEMORY_LIMIT, connect

DEFAULT_WAREHOUSE = "var/bottomline.duckdb"
DEFAULT_REPORTS = "var/reports"
DEFAULT_OUTBOX = "var/outbox"


class Paths(BaseModel):
    """Where a run reads business cases and writes the warehouse, reports and outbox."""

    model_config = ConfigDict(frozen=True)

    models_dir: Path
    warehouse: Path
    reports_dir: Path
    outbox: Path
    wait_seconds: float = 600.0  # for another process writing the warehouse
    memory_limit: str = DEFAULT_MEMORY_LIMIT  # DuckDB's buffers, e.g. "2GB"

    @classmethod
    def resolve(
        cls, models_dir: str, warehouse: str | None, reports_dir: str, outbox: str
    ) -> Paths:
        """`warehouse` falls back to $BOTTOMLINE_WAREHOUSE, then `var/bottomline.duckdb`."""
        chosen = warehouse or os.environ.get("BOTTOMLINE_WAREHOUSE") or DEFAULT_WAREHOUSE
        return cls(
            wait_seconds=float(os.environ.get("BOTTOMLINE_WAREHOUSE_WAIT_SECONDS", 600)),
            memory_limit=os.environ.get("BOTTOMLINE_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
            models_dir=Path(models_dir).resolve(),
            warehouse=Path(chosen).resolve(),
            reports_dir=Path(reports_dir).resolve(),
            outbox=Path(outbox).resolve(),
        )


def with_pii_key(case: BusinessCase) -> BusinessCase:
    """The case with the key its personal columns (`pii`) are hashed with: from
    $BOTTOMLINE_PII_KEY, else from the Prefect Secret block named in $BOTTOMLINE_PII_KEY_BLOCK
    (never from the case file). A case without personal columns needs neither; one with them
    and no key fails when its rows are read, saying what to set."""
    if not case.pii:
        return case
    secret = os.environ.get("BOTTOMLINE_PII_KEY", "")
    block = os.environ.get("BOTTOMLINE_PII_KEY_BLOCK", "").strip()
    if not secret and block:
        from prefect.blocks.system import Secret

        loaded = Secret.load(block)  # a block in sync code (Prefect's sync_compatible)
        assert isinstance(loaded, Secret)
        secret = str(loaded.get())
    return case.with_pii_key(derive_key(secret) if secret else None)


AWS_CREDENTIALS_BLOCK = "BOTTOMLINE_AWS_CREDENTIALS_BLOCK"


def with_store_access(case: BusinessCase) -> BusinessCase:
    """The case with how its object-storage sources (s3://, gs://) are reached: the Prefect
    `AwsCredentials` block named in $BOTTOMLINE_AWS_CREDENTIALS_BLOCK (its keys, region,
    profile and endpoint), else boto3's own chain (AWS_ACCESS_KEY_ID and the other AWS_*
    variables, AWS_PROFILE, ~/.aws, an instance's role; AWS_ENDPOINT_URL for an S3-compatible
    store). Never the case file; a case of local files needs neither."""
    sources = [case.predictions.source, case.outcomes.source, case.reference.source]
    block = os.environ.get(AWS_CREDENTIALS_BLOCK, "").strip()
    if not block or not any(source is not None and source.remote for source in sources):
        return case
    from prefect_aws import AwsCredentials

    loaded = AwsCredentials.load(block)  # a block in sync code (Prefect's sync_compatible)
    assert isinstance(loaded, AwsCredentials)
    secret = loaded.aws_secret_access_key
    return case.with_store_access(
        StoreAccess(
            access_key_id=loaded.aws_access_key_id,
            secret_access_key=secret.get_secret_value() if secret is not None else None,
            session_token=loaded.aws_session_token,
            region=loaded.region_name,
            profile=loaded.profile_name,
            endpoint_url=loaded.aws_client_parameters.endpoint_url,
        )
    )


PRIVATE_UMASK = 0o077  # files 0600, folders 0700


def keep_files_private(paths: Paths) -> bool:
    """What a run writes (the warehouse and its log, reports, data docs, the outbox) is
    readable by its owner only: the process's umask becomes 077, and the reports and outbox
    folders and the warehouse file already there are narrowed to 0700 and 0600 (other
    folders are the user's own and left as they are). $BOTTOMLINE_FILE_MODE=shared keeps the
    umask and modes the process has. Returns whether files are kept private."""
    if os.environ.get("BOTTOMLINE_FILE_MODE", "private").strip().lower() == "shared":
        return False
    os.umask(PRIVATE_UMASK)
    narrowed = [(paths.reports_dir, 0o700), (paths.outbox, 0o700), (paths.warehouse, 0o600)]
    narrowed.append((paths.warehouse.with_name(paths.warehouse.name + ".wal"), 0o600))
    for path, mode in narrowed:
        if path.exists() and path.stat().st_uid == os.getuid():
            path.chmod(mode)
    return True


def published_link(paths: Paths, path: Path) -> str | None:
    """Where readers open a file under the reports folder when $BOTTOMLINE_REPORTS_URL says
    where that folder is served (e.g. https://reports.example.com/bottomline/); None when it
    is not (a file:// link opens only on this machine, not in an emailed PDF)."""
    base = os.environ.get("BOTTOMLINE_REPORTS_URL", "").strip()
    try:
        relative = path.resolve().relative_to(paths.reports_dir)
    except ValueError:
        return None
    return base.rstrip("/") + "/" + quote(relative.as_posix()) if base else None


@contextmanager
def open_warehouse(
    paths: Paths,
    read_only: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, waiting up to `paths.wait_seconds` for a writer in another process."""
    with connect(
        paths.warehouse,
        read_only=read_only,
        wait_seconds=paths.wait_seconds,
        memory_limit=paths.memory_limit,
    ) as con:
        yield con


def utc_now() -> dt.datetime:
    """Now in UTC, as a naive datetime (how the warehouse stores times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def code_version() -> str:
    """Bottomline's version, with the git commit when running from a checkout."""
    checkout = Path(bottomline.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return bottomline.__version__
    return f"{bottomline.__version__} ({commit.stdout.strip()})"


def smtp_retry_delays() -> list[float]:
    """Seconds between delivery attempts ($BOTTOMLINE_SMTP_RETRY_DELAYS, default 10,60,300)."""
    return _delays("BOTTOMLINE_SMTP_RETRY_DELAYS", "10,60,300")


def source_retry_delays() -> list[float]:
    """Seconds between attempts to read the sources ($BOTTOMLINE_SOURCE_RETRY_DELAYS, default
    10,60): a database that drops the connection is read again from its watermark."""
    return _delays("BOTTOMLINE_SOURCE_RETRY_DELAYS", "10,60")


def _delays(variable: str, default: str) -> list[float]:
    text = os.environ.get(variable, default)
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"{variable}={text!r}: expected seconds, such as 10,60") from None


def database_dsns(case: BusinessCase) -> dict[str, str]:
    """Connection strings of the case's database sources, from the environment variables the
    case names (absent ones are left out; ingest then says which is missing)."""
    names = {
        spec.source.postgres.dsn_env
        for spec in (case.predictions, case.outcomes)
        if spec.source.postgres is not None
    }
    return {name: os.environ[name] for name in sorted(names) if os.environ.get(name)}


def smtp_password() -> str | None:
    """$BOTTOMLINE_SMTP_PASSWORD, or the Prefect Secret block named by
    $BOTTOMLINE_SMTP_PASSWORD_BLOCK. Never logged, never written anywhere."""
    block = os.environ.get("BOTTOMLINE_SMTP_PASSWORD_BLOCK")
    if block:
        from prefect.blocks.system import Secret

        secret: str = Secret.load(block).get()  # type: ignore[union-attr]
        return secret
    return os.environ.get("BOTTOMLINE_SMTP_PASSWORD")


def smtp_settings() -> SmtpSettings | None:
    """SMTP settings from BOTTOMLINE_SMTP_* variables; None (use the outbox) without a host."""
    host = os.environ.get("BOTTOMLINE_SMTP_HOST")
    if not host:
        return None
    security = os.environ.get("BOTTOMLINE_SMTP_SECURITY", "starttls").lower()
    if security not in ("starttls", "ssl", "none"):
        raise ValueError(f"BOTTOMLINE_SMTP_SECURITY={security!r}: expected starttls, ssl or none")
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    typed: Security = security  # type: ignore[assignment]
    return SmtpSettings(
        host=host,
        port=int(os.environ.get("BOTTOMLINE_SMTP_PORT", default_port)),
        security=typed,
        username=os.environ.get("BOTTOMLINE_SMTP_USER"),
        password=smtp_password(),
        ca_file=os.environ.get("BOTTOMLINE_SMTP_CA_FILE"),
    )


def mail_sender() -> str:
    return os.environ.get("BOTTOMLINE_MAIL_FROM", "bottomline@localhost")
