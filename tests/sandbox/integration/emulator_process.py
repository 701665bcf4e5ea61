"""Helpers for the emulator's acceptance tests: an emulator process, kubectl, output lines.

Every test here talks to the emulator only over the wire, through the kubeconfig it writes,
as a client talks to a cluster. Each module starts its own emulator (`python -m sandbox
apiserver --port 0`) so that one module's objects, or its small watch history, cannot leak
into another's; starting one takes well under a second.
"""

from __future__ import annotations

import base64
import os
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
import yaml

KUBECTL = "/usr/bin/kubectl"
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class Emulator:
    """A running emulator: where it listens and the kubeconfig that reaches it."""

    url: str
    kubeconfig: Path
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def running_emulator(directory: Path, *, extra_args: Sequence[str] = ()) -> Iterator[Emulator]:
    """Start `python -m sandbox apiserver` on a free port and stop it afterwards."""
    directory.mkdir(parents=True, exist_ok=True)
    data_dir = directory / "data"
    kubeconfig = directory / "kubeconfig"
    log = directory / "apiserver.log"
    command = [sys.executable, "-m", "sandbox", "apiserver", "--port", "0"]
    command += ["--data-dir", str(data_dir), "--kubeconfig", str(kubeconfig), *extra_args]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = _wait_ready(process, kubeconfig=kubeconfig, log=log)
        yield Emulator(url=url, kubeconfig=kubeconfig, data_dir=data_dir, process=process, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_ready(process: subprocess.Popen[bytes], *, kubeconfig: Path, log: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"emulator exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        endpoint = endpoint_from_kubeconfig(kubeconfig)
        if endpoint and _answers(endpoint):
            return endpoint.url
        time.sleep(0.05)
    pytest.fail(f"emulator not ready after {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")


@dataclass(frozen=True)
class Endpoint:
    """How a plain HTTP client reaches the server a kubeconfig names (URL, auth, TLS)."""

    url: str
    headers: dict[str, str]
    ssl_context: ssl.SSLContext | None

    def get(self, path: str, *, timeout: float = 5) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path, headers=self.headers)
        try:
            with urllib.request.urlopen(
                request, timeout=timeout, context=self.ssl_context
            ) as answer:
                return int(answer.status), bytes(answer.read())
        except urllib.error.HTTPError as error:
            return int(error.code), error.read()


def endpoint_from_kubeconfig(kubeconfig: Path) -> Endpoint | None:
    """The current context's server, bearer token and CA; None while the file is incomplete."""
    try:
        document = yaml.safe_load(kubeconfig.read_text())
        contexts = {c["name"]: c["context"] for c in document["contexts"]}
        context = contexts[document["current-context"]]
        cluster = {c["name"]: c["cluster"] for c in document["clusters"]}[context["cluster"]]
        user = {u["name"]: u["user"] for u in document.get("users") or []}.get(
            context.get("user"), {}
        )
    except (OSError, yaml.YAMLError, TypeError, KeyError):
        return None
    headers = {"Accept": "application/json"}
    if user.get("token"):
        headers["Authorization"] = f"Bearer {user['token']}"
    context_ssl = None
    if str(cluster["server"]).startswith("https:"):
        context_ssl = ssl.create_default_context()
        if cluster.get("certificate-authority-data"):
            pem = base64.b64decode(cluster["certificate-authority-data"]).decode()
            context_ssl.load_verify_locations(cadata=pem)
        elif cluster.get("certificate-authority"):
            context_ssl.load_verify_locations(cafile=cluster["certificate-authority"])
        if cluster.get("insecure-skip-tls-verify"):
            context_ssl.check_hostname = False
            context_ssl.verify_mode = ssl.CERT_NONE
    return Endpoint(
        url=str(cluster["server"]).rstrip("/"), headers=headers, ssl_context=context_ssl
    )


def _answers(endpoint: Endpoint) -> bool:
    try:
        return endpoint.get("/version", timeout=2)[0] == 200
    except OSError:
        return False


@dataclass(frozen=True)
class Result:
    """One finished kubectl call."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return (
            f"kubectl {' '.join(self.args)} -> rc={self.returncode}\n"
            f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}"
        )


class Kubectl:
    """Runs the real kubectl against one emulator, each call with a fresh HOME and cache.

    A fresh discovery cache per call means every command does its own discovery, as the
    first command against a new cluster does, so no answer is served from an earlier call.
    """

    def __init__(self, emulator: Emulator, workdir: Path) -> None:
        self.emulator = emulator
        self.workdir = workdir
        self._calls = 0

    def env(self, **extra: str) -> tuple[list[str], dict[str, str]]:
        """The cache arguments and environment for one new call."""
        self._calls += 1
        home = self.workdir / f"kubectl-{self._calls:03d}"
        home.mkdir(parents=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "KUBECONFIG": str(self.emulator.kubeconfig),
            "LANG": "C.UTF-8",
            **extra,
        }
        return ["--cache-dir", str(home / "cache")], env

    def __call__(
        self, *args: str, stdin: str | None = None, timeout: float = 60, **env_extra: str
    ) -> Result:
        cache, env = self.env(**env_extra)
        done = subprocess.run(
            [KUBECTL, *cache, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
        return Result(args, done.returncode, done.stdout, done.stderr)

    def popen(self, *args: str, **env_extra: str) -> subprocess.Popen[str]:
        """Start kubectl in the background (watches, follows, waits), output as lines."""
        cache, env = self.env(**env_extra)
        return subprocess.Popen(
            [KUBECTL, *cache, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )


class StreamLines:
    """Collects a background process's output lines so a test can wait for one."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._closed = False
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        with stream:  # closed here, at end of output, so no pipe outlives the process
            for line in stream:
                with self._changed:
                    self.lines.append(line.rstrip("\n"))
                    self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait_for(self, needle: str, *, timeout: float = 20) -> str:
        """The first line containing `needle`; fails the test with all lines after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    if needle in line:
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    pytest.fail(f"no line with {needle!r} (closed={self._closed}): {self.lines}")
                self._changed.wait(remaining)

    def text(self) -> str:
        with self._changed:
            return "\n".join(self.lines)


def stop(process: subprocess.Popen[str]) -> None:
    """End a background kubectl that would otherwise run forever (watch, follow)."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    if process.stderr is not None:
        process.stderr.close()
