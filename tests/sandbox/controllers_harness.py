"""Helpers for the controller tests: an emulator plus a controller manager in the same loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from sandbox.controllers.client import ApiClient, Connection
from sandbox.controllers.manager import ControllerManager
from tests.sandbox.apiserver_harness import Api, running_server

MERGE = "application/merge-patch+json"


@dataclass
class Cluster:
    api: Api
    manager: ControllerManager

    async def pods(self, selector: str, namespace: str = "default") -> list[dict[str, Any]]:
        reply = await self.api.get(
            f"/api/v1/namespaces/{namespace}/pods", params={"labelSelector": selector}
        )
        return list(reply.body["items"])

    async def mark_ready(self, pod: dict[str, Any], *, ip: str | None = None) -> None:
        """Do what a kubelet does once a pod's containers run and pass readiness."""
        meta = pod["metadata"]
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        containers = pod["spec"]["containers"]
        status = {
            "phase": "Running",
            "podIP": ip or f"10.0.{len(meta['name']) % 250}.{hash(meta['uid']) % 250 + 1}",
            "conditions": [
                {"type": t, "status": "True", "lastTransitionTime": now}
                for t in ("PodScheduled", "Initialized", "ContainersReady", "Ready")
            ],
            "containerStatuses": [
                {
                    "name": c["name"],
                    "image": c["image"],
                    "imageID": "",
                    "ready": True,
                    "started": True,
                    "restartCount": 0,
                    "state": {"running": {"startedAt": now}},
                }
                for c in containers
            ],
        }
        path = f"/api/v1/namespaces/{meta['namespace']}/pods/{meta['name']}/status"
        reply = await self.api.patch(path, {"status": status}, content_type=MERGE)
        assert reply.status == 200, reply.body

    async def mark_all_ready(self, selector: str) -> int:
        pods = [p for p in await self.pods(selector) if not p["status"].get("podIP")]
        for pod in pods:
            await self.mark_ready(pod)
        return len(pods)


async def eventually(
    check: Callable[[], Awaitable[Any]], *, within: float = 10.0, interval: float = 0.02
) -> Any:
    """Poll `check` until it returns something truthy; fail with its last value."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met in {within}s; last value {value!r}")
        await asyncio.sleep(interval)


@asynccontextmanager
async def cluster(**overrides: Any) -> AsyncIterator[Cluster]:
    async with running_server(**overrides) as server, aiohttp.ClientSession() as session:
        client = ApiClient(Connection(server=server.url, token=server.token, insecure=True))
        manager = ControllerManager(client, resync_seconds=5.0)
        await manager.start()
        try:
            yield Cluster(Api(server, session), manager)
        finally:
            await manager.stop()
            await client.close()
