"""Test-wide setup: Prefect is isolated in a temporary home before anything imports it."""

from __future__ import annotations

import os
import tempfile

_PREFECT_HOME = tempfile.mkdtemp(prefix="bottomline-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.pop("PREFECT_API_URL", None)
for _name in [name for name in os.environ if name.startswith("BOTTOMLINE_")]:
    del os.environ[_name]
