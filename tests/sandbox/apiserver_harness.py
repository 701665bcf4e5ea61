"""Helpers for the API server emulator's tests: a server on a free port and a small client.

Test modules build their fixtures from `running_server` (a real `ApiServer` on loopback, so
kubectl and the `kubernetes` client can reach it too) and talk to it through `Api`, a thin
aiohttp wrapper that returns status, JSON body and headers without raising on errors.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp

from sandbox.apiserver.config import ServerConfig
from sandbox.apiserver.server import ApiServer

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"


@dataclass
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str]
    warnings: list[str]


class Api:
    """Requests against one server; bodies are JSON unless `content_type` says otherwise."""

    def __init__(self, server: ApiServer, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session
        self.headers: dict[str, str] = {}
        if server.token:
            self.headers["Authorization"] = f"Bearer {server.token}"

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Reply:
        all_headers = {**self.headers, **(headers or {})}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes | str) else json.dumps(body)
            all_headers["Content-Type"] = content_type
        async with self.session.request(
            method, self.server.url + path, data=data, headers=all_headers, params=params, ssl=False
        ) as response:
            text = await response.text()
            try:
                parsed: Any = json.loads(text) if text else None
            except ValueError:
                parsed = text
            return Reply(
                response.status, parsed, response.headers, response.headers.getall("Warning", [])
            )

    async def get(self, path: str, **kwargs: Any) -> Reply:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, body: Any, **kwargs: Any) -> Reply:
        return await self.request("POST", path, body, **kwargs)

    async def put(self, path: str, body: Any, **kwargs: Any) -> Reply:
        return await self.request("PUT", path, body, **kwargs)

    async def patch(self, path: str, body: Any, *, content_type: str, **kwargs: Any) -> Reply:
        return await self.request("PATCH", path, body, content_type=content_type, **kwargs)

    async def delete(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        return await self.request("DELETE", path, body, **kwargs)

    async def settle(self) -> None:
        await asyncio.wait_for(self.server.context.settle(), timeout=10)


@asynccontextmanager
async def running_server(**overrides: Any) -> AsyncIterator[ApiServer]:
    """An `ApiServer` on a free loopback port, stopped afterwards."""
    config = replace(ServerConfig(), **overrides)
    server = ApiServer(config)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@asynccontextmanager
async def api_for(**overrides: Any) -> AsyncIterator[Api]:
    async with running_server(**overrides) as server, aiohttp.ClientSession() as session:
        yield Api(server, session)


def configmap(name: str, **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def deployment(
    name: str, *, replicas: int = 1, labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    match = dict(labels or {"app": name})
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": match},
            "template": {
                "metadata": {"labels": match},
                "spec": {"containers": [{"name": "main", "image": "flink:2.1"}]},
            },
        },
    }


async def run_kubectl(
    kubeconfig: Path, *args: str, stdin: bytes | None = None
) -> tuple[int, str, str]:
    """Run the real kubectl with its own HOME and cache directory (discovery is cached)."""
    home = tempfile.mkdtemp(prefix="kubectl-home-")
    env = {**os.environ, "HOME": home, "KUBECONFIG": str(kubeconfig)}
    process = await asyncio.create_subprocess_exec(
        KUBECTL,
        "--kubeconfig",
        str(kubeconfig),
        "--cache-dir",
        os.path.join(home, "cache"),
        *args,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(stdin), timeout=60)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return process.returncode or 0, out.decode(), err.decode()
