"""The Prefect API a command's flows talk to: the server the user configured, or a temporary one.

With `PREFECT_API_URL` set (in the environment or the active Prefect profile), commands use
that server and start nothing. Without it, a command starts a temporary local server of its
own, as Prefect's ephemeral mode does (the same application, `PREFECT__SERVER_EPHEMERAL`), but:

- early, before Prefect and the flows are imported, so the two processes start side by side on
  two cores instead of one after the other (the client never imports Prefect's server code,
  which costs about 5 CPU seconds);
- patiently: it waits `PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS` (Prefect's own setting;
  default here 180 s, Prefect's 20 s fails on a busy machine) of wall time, and when the server
  still does not answer, says what to do.

The temporary server is stopped when the process exits (after Prefect has flushed its logs and
events to it).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

TIMEOUT_VARIABLE = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
DEFAULT_STARTUP_SECONDS = 180
PORT_IN_USE_EXIT = 3  # uvicorn's exit status when the port is taken
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends
# Imported anyway once flows run, so loaded while a temporary server starts: Prefect's
# parameter encoder (at the first flow run), and what a command that renders reports needs.
FLOW_MODULES = ("fastapi.encoders",)
RENDERING_MODULES = ("weasyprint", "matplotlib.figure", "scipy.special")
# What a command that loads new rows needs: GX takes 3-4 CPU s to import, hidden while the
# server starts (commands that mostly find nothing new, such as an ad hoc report, skip it).
VALIDATION_MODULES = ("great_expectations",)
HEARTBEAT_VARIABLES = ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")
RUNNING_SERVER_HINT = (
    "run `prefect server start` in another terminal and "
    "export PREFECT_API_URL=http://127.0.0.1:4200/api"
)


class ServerUnavailableError(RuntimeError):
    """The temporary Prefect server could not be started."""


class SettingError(ValueError):
    """An environment variable this module reads has a value it cannot use."""


def startup_seconds(environ: Mapping[str, str]) -> int:
    """How long to wait for the temporary server: the user's setting (whole seconds, as
    Prefect reads it too), else 180 s."""
    text = environ.get(TIMEOUT_VARIABLE)
    if not text:
        return DEFAULT_STARTUP_SECONDS
    try:
        seconds = int(text)
    except ValueError:
        seconds = -1
    if seconds <= 0:
        raise SettingError(
            f"{TIMEOUT_VARIABLE}={text!r}: expected a whole number of seconds, such as 180"
        )
    return seconds


def configured_api_url(environ: Mapping[str, str]) -> str | None:
    """The Prefect API the user set. When Prefect is already imported (a test harness, a
    caller's own settings), its settings decide; otherwise `profile_api_url` looks without
    importing Prefect (which takes seconds)."""
    if "prefect.settings" in sys.modules:
        from prefect.settings import get_current_settings

        return get_current_settings().api.url or None
    return profile_api_url(environ)


def profile_api_url(environ: Mapping[str, str]) -> str | None:
    """`PREFECT_API_URL` from the environment, else from the active profile of
    `$PREFECT_HOME/profiles.toml` (where `prefect config set` writes it)."""
    return profile_setting(environ, "PREFECT_API_URL")


def profile_setting(environ: Mapping[str, str], name: str) -> str | None:
    """A Prefect setting from the environment, else from the active profile, read without
    importing Prefect; None when neither sets it."""
    if environ.get(name):
        return environ[name]
    home = Path(environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    try:
        profiles = tomllib.loads((home / "profiles.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    value = profiles.get("profiles", {}).get(active, {}).get(name)
    return str(value) if value else None


def heartbeats_chosen(environ: Mapping[str, str]) -> bool:
    """Whether the user set flow-run heartbeats themselves (Prefect's setting, or its legacy
    name), in the environment or the active profile."""
    return any(profile_setting(environ, name) for name in HEARTBEAT_VARIABLES)


@dataclass
class TemporaryServer:
    """Prefect's API application in a child process on a free loopback port."""

    startup_seconds: int
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    _log: IO[bytes] | None = field(default=None, repr=False)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> None:
        if self._log is not None:  # an earlier attempt's output
            self._log.close()
        self.port = _free_port()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            _server_command(self.port),
            env={**os.environ, **_SERVER_ENVIRONMENT},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_dies_with_parent(os.getpid()),
        )

    def wait_until_ready(self) -> None:
        """Poll the health endpoint until it answers, for `startup_seconds` of wall time."""
        assert self.process is not None
        deadline = self.started_at + self.startup_seconds
        while time.monotonic() < deadline:
            status = self.process.poll()
            if status == PORT_IN_USE_EXIT:  # another process took the port meanwhile
                self.start()
                deadline = self.started_at + self.startup_seconds
                continue
            if status is not None:
                raise ServerUnavailableError(
                    f"Prefect's temporary server exited with status {status}: "
                    f"{self._output_tail()}\nTo use a server of your own, {RUNNING_SERVER_HINT}."
                )
            if _healthy(self.api_url):
                return
            time.sleep(0.1)
        self.stop()
        raise ServerUnavailableError(
            f"Prefect's temporary server did not answer within {self.startup_seconds:.0f} s "
            "(the machine may be busy). Give it longer, e.g. "
            f"{TIMEOUT_VARIABLE}=600, or use a server that stays up: {RUNNING_SERVER_HINT}."
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self._log is not None:
            self._log.close()

    def _output_tail(self, characters: int = 2000) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        text = self._log.read().decode("utf-8", errors="replace").strip()
        return text[-characters:] or "(no output)"


# For any Prefect server Bottomline's flows report to: the task-run recorder writes task runs'
# states in batches (flushed every 5 s and when the server stops) rather than one SQLite
# transaction per event, which kept each flow's first subflow waiting for the database
# (2.3-2.7 s per subflow before, 0.3 s after). Tests and benchmarks give their servers the same.
RECORDER_IN_BATCHES = {"PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100"}

# Prefect's ephemeral mode starts its server this way (prefect.server.api.server,
# SubprocessASGIServer): the API without the UI, with the services an ephemeral server runs.
_SERVER_ENVIRONMENT = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
    **RECORDER_IN_BATCHES,
}


def _dies_with_parent(parent: int) -> Callable[[], None] | None:
    """For the server's process, before it runs: on Linux, ask the kernel to stop it when the
    command's process ends, however it ends (a `kill -9` skips the atexit that stops it, and
    the server lived on, re-parented to init, ~240 MB a night)."""
    if not sys.platform.startswith("linux"):
        return None

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here, not between fork and exec

    def set_death_signal() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the command ended before the request was made
            os._exit(0)

    return set_death_signal


def _server_command(port: int) -> list[str]:
    spec = importlib.util.find_spec("prefect")  # finds the package without importing it
    assert spec is not None, "Prefect is not installed"
    assert spec.submodule_search_locations, "Prefect is not a package"
    package = Path(next(iter(spec.submodule_search_locations)))
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(package.parent),
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class PrefectApi:
    """Where the flows of this command report: `url`, and the temporary server, if any;
    `heartbeats`: whether the user chose flow-run heartbeats (kept as set), else they are off."""

    url: str | None
    server: TemporaryServer | None = None
    heartbeats: bool = False

    @contextlib.contextmanager
    def connected(self, preload: Sequence[str] = ()) -> Iterator[None]:
        """Run flows inside: points Prefect at the temporary server once it answers. While it
        starts (about 10 s of the other core), the `preload` modules the command will need are
        imported, so that time is not spent again after.

        Flow-run heartbeats are off unless the user set them: they let a server notice a run
        whose process died, which matters for runs a worker starts unattended (deployments keep
        Prefect's default), not for a command whose user sees it end; and each flow run waits up
        to 1 s at its end for the heartbeat thread to stop (1-1.5 s of a report's two)."""
        updates: dict[Any, Any] = {}
        if self.server is not None:
            for module in (*FLOW_MODULES, *preload):
                importlib.import_module(module)
            started = time.monotonic()
            self.server.wait_until_ready()
            waited = time.monotonic() - started
            if waited >= 1:
                message = f"bottomline: waited {waited:.0f} s for the temporary server"
                print(message, file=sys.stderr)
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
            temporary_settings,
        )

        if self.server is not None:
            updates[PREFECT_API_URL] = self.server.api_url
        if self.server is not None or not self.heartbeats:
            updates[PREFECT_FLOWS_HEARTBEAT_FREQUENCY] = None
        with temporary_settings(updates=updates):
            yield


def prefect_api(environ: Mapping[str, str]) -> PrefectApi:
    """The user's Prefect server if one is configured; otherwise a temporary one, started now
    (it comes up while the caller imports the flows) and stopped at exit."""
    url = configured_api_url(environ)
    if url:
        return PrefectApi(url=url, heartbeats=heartbeats_chosen(environ))
    server = TemporaryServer(startup_seconds=startup_seconds(environ))
    server.start()
    atexit.register(server.stop)
    print(
        f"bottomline: starting a temporary Prefect server on 127.0.0.1:{server.port} "
        f"(to use one that stays up, {RUNNING_SERVER_HINT})",
        file=sys.stderr,
        flush=True,
    )
    return PrefectApi(url=server.api_url, server=server)
