"""Containers run by the process kubelet: real bubblewrap processes, a real Flink 2.1.1 cluster.

A session JobManager (`jobmanager`) and a TaskManager (`taskmanager`) start from the image
root of `flink:2.1`, each in its own bubblewrap container on 127.0.0.1 with its addresses
passed through FLINK_PROPERTIES, exactly as a pod template would. The test waits for the
TaskManager to register with the JobManager's REST API, then stops both and checks that no
process of either container's process groups is left.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.kubelet import (
    ContainerProcess,
    ContainerSpec,
    ImageRoot,
    build_image_root,
    find_java_home,
    log_file,
    prepare_pod,
    start_container,
)

logger = logging.getLogger(__name__)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap (bwrap) is not installed"),
    pytest.mark.skipif(shutil.which("java") is None, reason="no java on PATH"),
]

MICRO = {
    "jobmanager.memory.process.size": "384m",
    "jobmanager.memory.off-heap.size": "64m",
    "jobmanager.memory.jvm-metaspace.size": "128m",
    "jobmanager.memory.jvm-overhead.min": "64m",
    "jobmanager.memory.jvm-overhead.max": "64m",
    "taskmanager.memory.process.size": "384m",
    "taskmanager.memory.framework.heap.size": "64m",
    "taskmanager.memory.framework.off-heap.size": "64m",
    "taskmanager.memory.managed.size": "0m",
    "taskmanager.memory.network.min": "32m",
    "taskmanager.memory.network.max": "32m",
    "taskmanager.memory.jvm-metaspace.size": "96m",
    "taskmanager.memory.jvm-overhead.min": "64m",
    "taskmanager.memory.jvm-overhead.max": "64m",
    "taskmanager.numberOfTaskSlots": "2",
    # the TM starts with the JM, as in a pod: retry the not-yet-listening JM after 1 s, not 10 s
    "cluster.registration.error-delay": "1s",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except ProcessLookupError:
                continue
    return pids


def _group_rss_mb(pgid: int) -> float:
    total_kb = 0
    for pid in _group_pids(pgid):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


@pytest.fixture(scope="module")
def image() -> ImageRoot:
    return build_image_root("flink:2.1")


@pytest.fixture
def started() -> Iterator[list[ContainerProcess]]:
    containers: list[ContainerProcess] = []
    yield containers
    for container in containers:
        container.stop(grace=2)


def _spec(image: ImageRoot, tmp_path: Path, pod: str, **fields: object) -> ContainerSpec:
    pod_dir = tmp_path / "pods" / pod
    hosts = prepare_pod(pod_dir, hostname=pod, hosts=[("127.0.0.1", [pod])])
    return ContainerSpec(
        name="flink-main-container",
        image=image,
        pod_dir=pod_dir,
        java_home=find_java_home(),
        hostname=pod,
        hosts_file=hosts,
        **fields,  # type: ignore[arg-type]
    )


def _log(tmp_path: Path, pod: str) -> Path:
    return log_file(
        tmp_path / "logs",
        namespace="default",
        pod=pod,
        uid=f"uid-{pod}",
        container="flink-main-container",
        restart_count=0,
    )


def test_entrypoint_without_arguments_prints_usage_and_exits_zero(
    image: ImageRoot, tmp_path: Path
) -> None:
    container = start_container(_spec(image, tmp_path, "help"), log_path=_log(tmp_path, "help"))
    assert container.wait(timeout=20) == 0
    lines = _log(tmp_path, "help").read_text().splitlines()
    assert any(line.split(" ", 3)[1:3] == ["stdout", "F"] and "Usage:" in line for line in lines)


def test_stop_kills_a_container_that_ignores_sigterm_after_the_grace_period(
    image: ImageRoot, tmp_path: Path
) -> None:
    script = "trap '' TERM; echo ready; while true; do sleep 0.1; done"
    spec = _spec(image, tmp_path, "stubborn", command=["bash", "-c", script])
    container = start_container(spec, log_path=_log(tmp_path, "stubborn"))
    groups = [container.pgid, container.sandbox_pid()]
    started = time.monotonic()
    assert container.stop(grace=1) == 137
    assert time.monotonic() - started >= 1
    assert all(pgid is not None and not _group_pids(pgid) for pgid in groups)


def _overview(rest_port: int) -> dict[str, Any]:
    url = f"http://127.0.0.1:{rest_port}/overview"
    with urllib.request.urlopen(url, timeout=2) as response:
        return dict(json.load(response))


def test_session_cluster_runs_in_containers_and_leaves_no_process(
    image: ImageRoot,
    tmp_path: Path,
    started: list[ContainerProcess],
) -> None:
    rest_port, rpc_port = _free_port(), _free_port()
    properties = {
        "jobmanager.rpc.address": "127.0.0.1",
        "jobmanager.rpc.port": str(rpc_port),
        "jobmanager.bind-host": "127.0.0.1",
        "rest.address": "127.0.0.1",
        "rest.bind-address": "127.0.0.1",
        "rest.port": str(rest_port),
        "taskmanager.host": "127.0.0.1",
        "taskmanager.bind-host": "127.0.0.1",
        "taskmanager.rpc.port": "0",
        "taskmanager.data.port": "0",
        "blob.server.port": "0",
        **MICRO,
    }
    env = {"FLINK_PROPERTIES": "\n".join(f"{k}: {v}" for k, v in properties.items())}
    launched = time.monotonic()
    for pod, role in (("session-jm", "jobmanager"), ("session-tm", "taskmanager")):
        spec = _spec(image, tmp_path, pod, args=[role], env=env)
        started.append(start_container(spec, log_path=_log(tmp_path, pod)))

    overview: dict[str, Any] = {}
    deadline = launched + 45
    while time.monotonic() < deadline:
        assert all(c.poll() is None for c in started), _log(tmp_path, "session-jm").read_text()
        try:
            overview = _overview(rest_port)
        except OSError:
            overview = {}
        if overview.get("taskmanagers") == 1 and overview.get("slots-total", 0) >= 1:
            break
        time.sleep(0.25)
    assert overview.get("taskmanagers") == 1, overview
    assert overview["slots-total"] == 2
    assert overview["flink-version"] == "2.1.1"
    measured: dict[str, float] = {"tm_registered_seconds": round(time.monotonic() - launched, 1)}

    groups = []
    for pod, container in zip(("jm", "tm"), started, strict=True):
        inner = container.sandbox_pid()
        assert inner is not None
        groups += [container.pgid, inner]
        measured[f"{pod}_rss_mb"] = round(_group_rss_mb(inner))
    stopping = time.monotonic()
    codes = [container.stop(grace=10) for container in reversed(started)]
    measured["stop_seconds"] = round(time.monotonic() - stopping, 1)
    logger.info("session cluster measured", extra=measured)
    started.clear()
    assert all(code in (0, 143) for code in codes), codes  # SIGTERM: shutdown hooks, then exit
    assert [pgid for pgid in groups if _group_pids(pgid)] == []
    jm_log = _log(tmp_path, "session-jm").read_text()
    assert " stdout F " in jm_log
    assert "Starting StandaloneSessionClusterEntrypoint" in jm_log
    tm_log = _log(tmp_path, "session-tm").read_text()
    assert "Starting TaskManager" in tm_log or "TaskManagerRunner" in tm_log
