"""Test-wide setup: Prefect is isolated in a temporary home before anything imports it."""

from __future__ import annotations

import atexit
import datetime as _dt
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from cli.prefect_api import RECORDER_IN_BATCHES

if TYPE_CHECKING:
    from bottomline.validation.gx_runner import GxValidator

_PREFECT_HOME = tempfile.mkdtemp(prefix="bottomline-prefect-")
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)  # nothing left in /tmp
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.update(RECORDER_IN_BATCHES)  # the harness server records task runs in batches
os.environ.pop("PREFECT_API_URL", None)
for _name in [
    name
    for name in os.environ
    if name.startswith("BOTTOMLINE_") and not name.startswith("BOTTOMLINE_TEST_")
]:
    del os.environ[_name]
os.environ["BOTTOMLINE_SMTP_RETRY_DELAYS"] = "0.2,0.2,0.2"  # retries, but quick
os.environ["BOTTOMLINE_SOURCE_RETRY_DELAYS"] = "0.2,0.2"


@pytest.fixture(scope="session")
def make_validator() -> Callable[[], GxValidator]:
    """Real Great Expectations validators (GX is imported once per test session)."""
    from bottomline.validation.gx_runner import GxValidator

    return lambda: GxValidator(run_name="test", run_time=_dt.datetime(2026, 6, 1, 6, 0))
