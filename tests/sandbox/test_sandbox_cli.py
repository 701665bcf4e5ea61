"""`python -m sandbox apiserver`: announces where it listens, keeps state, stops cleanly."""

from __future__ import annotations

import asyncio
import json
import signal
import ssl
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from sandbox import cli


@asynccontextmanager
async def apiserver(*args: str) -> AsyncIterator[tuple[asyncio.subprocess.Process, dict[str, Any]]]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "apiserver",
        "--port",
        "0",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        assert line, (await process.stderr.read()).decode() if process.stderr else ""
        yield process, json.loads(line)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stop(process: asyncio.subprocess.Process, signum: int = signal.SIGTERM) -> int:
    process.send_signal(signum)
    return await asyncio.wait_for(process.wait(), timeout=30)


async def request(
    method: str, url: str, *, token: str | None = None, body: Any = None, ca: bytes | None = None
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    context = ssl.create_default_context(cadata=ca.decode()) if ca else None
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method, url, json=body, headers=headers, ssl=context if context else None
        ) as response,
    ):
        return response.status, await response.json(content_type=None)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
async def test_cli_announces_url_writes_kubeconfig_and_exits_cleanly(tmp_path: Path, signum):
    kubeconfig = tmp_path / "kubeconfig"
    async with apiserver("--kubeconfig", str(kubeconfig)) as (process, announced):
        assert announced["url"] == f"http://127.0.0.1:{announced['port']}"
        config = yaml.safe_load(kubeconfig.read_text())
        assert config["clusters"][0]["cluster"]["server"] == announced["url"]
        assert config["current-context"] == "sandbox"
        assert kubeconfig.stat().st_mode & 0o777 == 0o600
        status, body = await request("GET", announced["url"] + "/version")
        assert (status, body["gitVersion"]) == (200, "v1.33.0")
        assert await stop(process, signum) == 0


async def test_a_restart_with_a_data_dir_keeps_objects_and_resource_versions(tmp_path: Path):
    data = tmp_path / "data"
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kept"}, "data": {"a": "1"}}
    async with apiserver("--data-dir", str(data)) as (process, announced):
        url = announced["url"] + "/api/v1/namespaces/default/configmaps"
        status, created = await request("POST", url, body=cm)
        assert status == 201
        assert await stop(process) == 0
    async with apiserver("--data-dir", str(data)) as (process, announced):
        url = announced["url"] + "/api/v1/namespaces/default/configmaps"
        status, kept = await request("GET", url + "/kept")
        assert status == 200
        assert kept["metadata"]["uid"] == created["metadata"]["uid"]
        assert kept["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
        status, other = await request("POST", url, body={**cm, "metadata": {"name": "new"}})
        assert int(other["metadata"]["resourceVersion"]) > int(
            created["metadata"]["resourceVersion"]
        )
        status, listed = await request("GET", announced["url"] + "/api/v1/namespaces")
        assert len(listed["items"]) == 4
        assert await stop(process) == 0


async def test_an_unclean_stop_keeps_what_was_written(tmp_path: Path):
    data = tmp_path / "data"
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "logged"}}
    async with apiserver("--data-dir", str(data)) as (process, announced):
        url = announced["url"] + "/api/v1/namespaces/default/configmaps"
        assert (await request("POST", url, body=cm))[0] == 201
        process.kill()
        await process.wait()
    async with apiserver("--data-dir", str(data)) as (process, announced):
        url = announced["url"] + "/api/v1/namespaces/default/configmaps/logged"
        assert (await request("GET", url))[0] == 200
        assert await stop(process) == 0


async def test_tls_with_a_token_rejects_anonymous_requests(tmp_path: Path):
    kubeconfig = tmp_path / "kubeconfig"
    args = (
        "--tls",
        "--token",
        "s3cret",
        "--kubeconfig",
        str(kubeconfig),
        "--data-dir",
        str(tmp_path / "d"),
    )
    async with apiserver(*args) as (process, announced):
        assert announced["url"].startswith("https://127.0.0.1:")
        config = yaml.safe_load(kubeconfig.read_text())
        import base64

        ca = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"])
        assert config["users"][0]["user"]["token"] == "s3cret"
        namespaces = announced["url"] + "/api/v1/namespaces"
        status, body = await request("GET", namespaces, ca=ca)
        assert (status, body["reason"], body["message"]) == (401, "Unauthorized", "Unauthorized")
        assert (await request("GET", namespaces, ca=ca, token="wrong"))[0] == 401
        assert (await request("GET", namespaces, ca=ca, token="s3cret"))[0] == 200
        assert (await request("GET", announced["url"] + "/version", ca=ca))[0] == 200
        assert await stop(process) == 0


def test_cli_rejects_a_bad_fault_policy(capsys):
    assert cli.main(["apiserver", "--faults", '{"error_rate": 2}']) == 2
    assert "error_rate must be a number between 0 and 1" in capsys.readouterr().err


async def test_a_tls_server_keeps_its_ca_and_generated_token_across_restarts(tmp_path: Path):
    kubeconfig = tmp_path / "kubeconfig"
    args = ("--tls", "--kubeconfig", str(kubeconfig), "--data-dir", str(tmp_path / "d"))
    configs = []
    for _ in range(2):
        async with apiserver(*args) as (process, _):
            configs.append(yaml.safe_load(kubeconfig.read_text()))
            assert await stop(process) == 0
    first, second = configs
    assert first["users"] == second["users"]
    assert first["users"][0]["user"]["token"]
    ca = "certificate-authority-data"
    assert first["clusters"][0]["cluster"][ca] == second["clusters"][0]["cluster"][ca]
