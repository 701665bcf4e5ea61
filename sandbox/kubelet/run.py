"""Run one container: a bubblewrap process with a CRI log file, stopped the way kubelet stops it.

`prepare_pod` writes the pod's `/etc/hosts` and `/etc/hostname`; `start_container` gives the
container fresh writable state (a new container has a new writable layer: `conf/` is copied
from the image, `log/` and `tmp/` start empty), starts bubblewrap in a process group of its own
and copies its stdout and stderr, line by line, into the log file the API server's `pods/log`
reads (`<logs-dir>/<ns>_<pod>_<uid>/<container>/<restartCount>.log`, CRI lines
`<RFC3339Nano> stdout F <text>`). `ContainerProcess.stop` is the kubelet's kill: SIGTERM to the
container's process group (the main process and anything it started), the grace period, then
SIGKILL to that group and to bubblewrap's. Exit codes read as a container runtime reports them:
the process's status, or 128 + the signal that ended it.

Threads copy the output rather than an event loop, so the runner works the same under asyncio
callers and plain ones, and a blocked log file never stalls the caller.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Final

from sandbox.kubelet.bwrap import ContainerSpec, bwrap_argv

logger = logging.getLogger(__name__)

MAX_LINE: Final = 16 * 1024  # longer lines become partial (P) entries, as kubelet writes them
_POLL: Final = 0.05
_KILL_WAIT: Final = 2.0


def log_file(
    logs_dir: Path, *, namespace: str, pod: str, uid: str, container: str, restart_count: int
) -> Path:
    """Where kubelet keeps a container's log: `<ns>_<pod>_<uid>/<container>/<n>.log`."""
    return logs_dir / f"{namespace}_{pod}_{uid}" / container / f"{restart_count}.log"


def cri_timestamp(now_ns: int) -> str:
    """RFC 3339 with nanoseconds in UTC, as CRI log lines carry it."""
    seconds, nanos = divmod(now_ns, 1_000_000_000)
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos:09d}Z"


def cri_lines(stream: str, line: bytes, *, now_ns: int) -> list[bytes]:
    """The CRI log entries for one line of output (split into P parts when it is long)."""
    text = line.rstrip(b"\n")
    stamp = cri_timestamp(now_ns).encode()
    chunks = [text[i : i + MAX_LINE] for i in range(0, len(text), MAX_LINE)] or [b""]
    tags = [b"P"] * (len(chunks) - 1) + [b"F"]
    return [
        b"%s %s %s %s\n" % (stamp, stream.encode(), tag, chunk)
        for tag, chunk in zip(tags, chunks, strict=True)
    ]


def prepare_pod(
    pod_dir: Path, *, hostname: str, hosts: Sequence[tuple[str, Sequence[str]]]
) -> Path:
    """Write the pod's hosts and hostname files; returns the hosts file.

    `hosts` are (address, names) pairs after the loopback lines, as kubelet writes them
    (the pod's own address and hostname, then hostAliases).
    """
    pod_dir.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Kubernetes-managed hosts file.",
        "127.0.0.1\tlocalhost",
        "::1\tlocalhost ip6-localhost",
    ]
    lines += [f"{address}\t{' '.join(names)}" for address, names in hosts]
    hosts_file = pod_dir / "hosts"
    hosts_file.write_text("\n".join(lines) + "\n")
    (pod_dir / "hostname").write_text(hostname + "\n")
    return hosts_file


def _fresh_state(spec: ContainerSpec) -> None:
    state = spec.state_dir
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    shutil.copytree(spec.image.conf_template, state / "conf")
    (state / "log").mkdir()
    (state / "tmp").mkdir()


def exit_code(returncode: int) -> int:
    """A Popen return code as a runtime reports it: negative (a signal) becomes 128 + signal."""
    return 128 - returncode if returncode < 0 else returncode


def _signal_group(pgid: int, signum: int) -> bool:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        return False
    return True


@dataclass
class ContainerProcess:
    """A started container: its bubblewrap process, log file and process groups."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    info_path: Path
    started_at: float
    _copiers: list[threading.Thread] = field(default_factory=list)
    _sandbox_pid: int | None = None

    @property
    def pgid(self) -> int:
        """Bubblewrap's own process group (the runner started it with a new session)."""
        return self.process.pid

    def sandbox_pid(self, *, timeout: float = 5.0) -> int | None:
        """Host pid of the container's init; also the container's process group id."""
        deadline = time.monotonic() + timeout
        while self._sandbox_pid is None:
            try:
                self._sandbox_pid = int(json.loads(self.info_path.read_text())["child-pid"])
            except (OSError, ValueError, KeyError):
                if time.monotonic() >= deadline or self.process.poll() is not None:
                    return None
                time.sleep(_POLL)
        return self._sandbox_pid

    def process_groups(self) -> list[int]:
        """The process groups the container's processes live in."""
        inner = self.sandbox_pid(timeout=0)
        return [self.pgid] + ([inner] if inner is not None else [])

    def poll(self) -> int | None:
        """The exit code, or None while the container runs."""
        code = self.process.poll()
        return None if code is None else exit_code(code)

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the container to end and its output to be logged; its exit code."""
        code = exit_code(self.process.wait(timeout))
        for copier in self._copiers:
            copier.join()
        return code

    def stop(self, *, grace: float = 30.0) -> int:
        """SIGTERM the container's group, SIGKILL everything after `grace` seconds."""
        inner = self.sandbox_pid(timeout=1.0)
        if self.process.poll() is None:
            _signal_group(inner if inner is not None else self.pgid, signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                logger.info("container killed after grace period", extra={"container": self.name})
        # The container's group first: bubblewrap then reaps its init and exits by itself.
        # Killing bubblewrap at the same time would orphan the init as a zombie.
        if inner is not None:
            _signal_group(inner, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(_KILL_WAIT)
        _signal_group(self.pgid, signal.SIGKILL)
        code = self.wait()
        logger.info("container stopped", extra={"container": self.name, "exit_code": code})
        return code


def _copy(*, source: IO[bytes], stream: str, sink: IO[bytes], lock: threading.Lock) -> None:
    with source:
        for line in iter(source.readline, b""):
            entries = cri_lines(stream, line, now_ns=time.time_ns())
            with lock:
                sink.writelines(entries)
                sink.flush()


def start_container(
    spec: ContainerSpec, *, log_path: Path, bwrap: str = "bwrap"
) -> ContainerProcess:
    """Start a container in the background; its output goes to `log_path` (appended)."""
    _fresh_state(spec)
    info_path = spec.state_dir / "bwrap-info.json"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with info_path.open("wb") as info:
        argv = bwrap_argv(spec, bwrap=bwrap, info_fd=info.fileno())
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            pass_fds=(info.fileno(),),
        )
    started = ContainerProcess(spec.name, process, log_path, info_path, time.monotonic())
    sink = log_path.open("ab")
    lock = threading.Lock()
    assert process.stdout is not None
    assert process.stderr is not None
    for source, stream in ((process.stdout, "stdout"), (process.stderr, "stderr")):
        copier = threading.Thread(
            target=_copy,
            kwargs={"source": source, "stream": stream, "sink": sink, "lock": lock},
            name=f"log-{spec.name}-{stream}",
            daemon=True,
        )
        copier.start()
        started._copiers.append(copier)
    closer = threading.Thread(target=_close_when_done, args=(started._copiers, sink), daemon=True)
    closer.start()
    logger.info("container started", extra={"container": spec.name, "pid": process.pid})
    return started


def _close_when_done(copiers: list[threading.Thread], sink: IO[bytes]) -> None:
    for copier in copiers:
        copier.join()
    sink.close()
