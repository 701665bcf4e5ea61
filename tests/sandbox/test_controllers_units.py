"""The controllers' pure parts and client plumbing: hashes, rollout arithmetic, queue, CLI."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from sandbox.controllers import deployment_util as util
from sandbox.controllers.client import DEPLOYMENTS, PODS, ApiClient, Connection, Expired, Resource
from sandbox.controllers.replicaset import pods_to_delete
from sandbox.controllers.workqueue import WorkQueue
from tests.sandbox.apiserver_harness import configmap, deployment, running_server
from tests.sandbox.controllers_harness import eventually

CONFIGMAPS = Resource("", "v1", "configmaps")


def test_fnv32a_matches_the_reference_vectors() -> None:
    assert util.fnv32a(b"") == 0x811C9DC5
    assert util.fnv32a(b"a") == 0xE40C292C
    assert util.fnv32a(b"foobar") == 0xBF9CF968


def test_safe_encode_maps_bytes_into_kubes_alphabet() -> None:
    assert util.safe_encode("0123") == "4567"  # bytes 48..51 mod 27
    assert set(util.template_hash({"a": 1}, None)) <= set(util.ALPHANUMS)


def test_template_hash_changes_with_template_and_collision_count() -> None:
    template = {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"image": "a"}]}}
    assert util.template_hash(template, None) == util.template_hash(dict(template), None)
    assert util.template_hash(template, None) != util.template_hash(template, 1)
    assert util.template_hash(template, 1) != util.template_hash(template, 2)


def _deployment(replicas: int, surge: object, unavailable: object) -> dict[str, Any]:
    body = deployment("d", replicas=replicas)
    body["spec"]["strategy"] = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable},
    }
    return body


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable", "expected"),
    [
        (4, "25%", "25%", (1, 1)),
        (10, "25%", "25%", (3, 2)),
        (1, "25%", "25%", (1, 0)),
        (3, 0, 0, (0, 1)),
        (3, 2, "50%", (2, 1)),
    ],
    ids=["quarter-of-4", "rounding", "one-replica", "both-zero", "absolute-and-percent"],
)
def test_surge_rounds_up_and_unavailable_rounds_down(
    replicas: int, surge: object, unavailable: object, expected: tuple[int, int]
) -> None:
    assert util.surge_and_unavailable(_deployment(replicas, surge, unavailable)) == expected


def test_new_replica_set_grows_within_max_surge() -> None:
    d = _deployment(4, 1, 1)
    old = {"spec": {"replicas": 4}}
    new = {"spec": {"replicas": 0}}
    assert util.new_rs_replicas(d, [old, new], new) == 1
    old["spec"]["replicas"] = 2
    assert util.new_rs_replicas(d, [old, new], new) == 3


def test_set_condition_keeps_transition_time_when_status_holds() -> None:
    status: dict[str, Any] = {}
    util.set_condition(status, kind="Progressing", value="True", reason="A", message="m", at="t1")
    util.set_condition(status, kind="Progressing", value="True", reason="B", message="n", at="t2")
    (condition,) = status["conditions"]
    assert (condition["lastTransitionTime"], condition["lastUpdateTime"]) == ("t1", "t2")
    assert condition["reason"] == "B"


def _pod(name: str, *, ready: bool, created: str, node: str = "") -> dict[str, Any]:
    conditions = [{"type": "Ready", "status": "True" if ready else "False"}]
    return {
        "metadata": {"name": name, "creationTimestamp": created},
        "spec": {"nodeName": node} if node else {},
        "status": {"phase": "Running", "conditions": conditions},
    }


def test_scale_down_prefers_not_ready_then_newer_pods() -> None:
    pods = [
        _pod("old-ready", ready=True, created="2026-01-01T00:00:00Z"),
        _pod("new-ready", ready=True, created="2026-01-02T00:00:00Z"),
        _pod("not-ready", ready=False, created="2026-01-01T00:00:00Z"),
    ]
    assert [p["metadata"]["name"] for p in pods_to_delete(pods, 2)] == ["not-ready", "new-ready"]


async def test_workqueue_deduplicates_and_requeues_keys_added_while_processing() -> None:
    queue = WorkQueue("test")
    seen: list[str] = []
    gate = asyncio.Event()

    async def handler(key: str) -> None:
        seen.append(key)
        if len(seen) == 1:
            queue.add("a")  # dirty: comes back once this run is done
            await gate.wait()

    queue.add("a")
    queue.add("a")
    queue.add("b")
    runner = asyncio.create_task(queue.run(handler, workers=2))
    await asyncio.sleep(0.05)
    assert sorted(seen) == ["a", "b"]
    gate.set()

    async def requeued() -> bool:
        return seen.count("a") == 2 and queue.idle()

    await eventually(requeued)
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner


async def test_watch_from_a_compacted_version_raises_expired() -> None:
    async with running_server(history_size=3) as server:
        client = ApiClient(Connection(server=server.url, token=server.token))
        try:
            first = await client.create(CONFIGMAPS, "default", configmap("c0"))
            for index in range(1, 8):
                await client.create(CONFIGMAPS, "default", configmap(f"c{index}"))
            with pytest.raises(Expired):
                async for _ in client.watch(
                    CONFIGMAPS,
                    "default",
                    resource_version=first["metadata"]["resourceVersion"],
                ):
                    pass
        finally:
            await client.close()


async def test_cli_runs_the_controllers_against_a_kubeconfig(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    async with running_server(kubeconfig=kubeconfig, token="secret") as server:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "sandbox",
            "controllers",
            "--kubeconfig",
            str(kubeconfig),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        client = ApiClient(Connection.from_kubeconfig(kubeconfig))
        try:
            await client.create(DEPLOYMENTS, "default", deployment("cli", replicas=2))

            async def pods() -> bool:
                listing = await client.list(PODS, "default", label_selector="app=cli")
                return len(listing["items"]) == 2

            await eventually(pods, within=20)
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), timeout=20) == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            await client.close()
        assert server.token == "secret"
