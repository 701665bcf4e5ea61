"""Real clients against the emulator on a port: the `kubernetes` Python client and kubectl."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import textwrap
from pathlib import Path

import aiohttp
import pytest
import yaml
from apiserver_harness import KUBECTL, Api, deployment, run_kubectl, running_server

from sandbox.apiserver.server import ApiServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def server(tmp_path: Path):
    async with running_server(
        kubeconfig=tmp_path / "kubeconfig", logs_dir=tmp_path / "logs"
    ) as server:
        yield server


@pytest.fixture
async def tls_server(tmp_path: Path):
    async with running_server(kubeconfig=tmp_path / "kubeconfig", tls=True) as server:
        yield server


def python_client(kubeconfig: Path):
    from kubernetes import client, config

    api_client = config.new_client_from_config(config_file=str(kubeconfig))
    return client, api_client


# -- the kubernetes Python client -----------------------------------------------------------


def _crud_with_python_client(kubeconfig: Path) -> dict:
    client, api_client = python_client(kubeconfig)
    core = client.CoreV1Api(api_client)
    namespaces = [n.metadata.name for n in core.list_namespace().items]
    created = core.create_namespaced_config_map(
        "default", {"metadata": {"name": "py"}, "data": {"a": "1"}}
    )
    patched = core.patch_namespaced_config_map("py", "default", {"data": {"a": "2"}})
    try:
        core.create_namespaced_config_map("default", {"metadata": {"name": "py"}})
        conflict = None
    except client.ApiException as exc:
        conflict = (exc.status, json.loads(exc.body)["reason"])
    core.delete_namespaced_config_map("py", "default")
    try:
        core.read_namespaced_config_map("py", "default")
        missing = None
    except client.ApiException as exc:
        missing = exc.status
    apps = client.AppsV1Api(api_client)
    deploy = apps.create_namespaced_deployment(
        "default",
        {
            "metadata": {"name": "d"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "d"}},
                "template": {
                    "metadata": {"labels": {"app": "d"}},
                    "spec": {"containers": [{"name": "c", "image": "flink:2.1"}]},
                },
            },
        },
    )
    scale = apps.patch_namespaced_deployment_scale("d", "default", {"spec": {"replicas": 3}})
    return {
        "namespaces": namespaces,
        "created": created.data,
        "patched": patched.data,
        "conflict": conflict,
        "missing": missing,
        "generation": deploy.metadata.generation,
        "scaled": scale.spec.replicas,
    }


async def test_python_client_crud(server: ApiServer):
    result = await asyncio.to_thread(_crud_with_python_client, server.config.kubeconfig)
    assert result == {
        "namespaces": ["default", "kube-node-lease", "kube-public", "kube-system"],
        "created": {"a": "1"},
        "patched": {"a": "2"},
        "conflict": (409, "AlreadyExists"),
        "missing": 404,
        "generation": 1,
        "scaled": 3,
    }


def _watch_with_python_client(kubeconfig: Path, resource_version: str) -> list[tuple[str, str]]:
    from kubernetes import watch

    client, api_client = python_client(kubeconfig)
    core = client.CoreV1Api(api_client)
    seen = []
    stream = watch.Watch().stream(
        core.list_namespaced_config_map,
        "default",
        resource_version=resource_version,
        timeout_seconds=2,
    )
    for event in stream:
        seen.append((event["type"], event["object"].metadata.name))
        if len(seen) == 2:
            break
    return seen


async def test_python_client_watch_sees_changes(server: ApiServer):
    rv = str(server.context.store.resource_version)
    watching = asyncio.create_task(
        asyncio.to_thread(_watch_with_python_client, server.config.kubeconfig, rv)
    )
    await asyncio.sleep(0.3)
    store_api = server.context
    async with aiohttp.ClientSession() as session:
        api = Api(server, session)
        await api.post("/api/v1/namespaces/default/configmaps", {"metadata": {"name": "w"}})
        await api.delete("/api/v1/namespaces/default/configmaps/w")
    assert await asyncio.wait_for(watching, 10) == [("ADDED", "w"), ("DELETED", "w")]
    assert store_api.store.watcher_count() <= 1


def _python_client_over_tls(kubeconfig: Path) -> list[str]:
    client, api_client = python_client(kubeconfig)
    return [n.metadata.name for n in client.CoreV1Api(api_client).list_namespace().items]


async def test_python_client_over_tls_with_the_written_kubeconfig(tls_server: ApiServer):
    config = yaml.safe_load(tls_server.config.kubeconfig.read_text())
    cluster = config["clusters"][0]["cluster"]
    assert cluster["server"].startswith("https://127.0.0.1:")
    assert cluster["certificate-authority-data"]
    assert config["users"][0]["user"]["token"] == tls_server.token
    names = await asyncio.to_thread(_python_client_over_tls, tls_server.config.kubeconfig)
    assert "default" in names


# -- kubectl ---------------------------------------------------------------------------------

needs_kubectl = pytest.mark.skipif(
    not (os.path.exists(KUBECTL) or shutil.which("kubectl")), reason="kubectl not installed"
)


@needs_kubectl
async def test_kubectl_smoke_get_apply_and_yaml(server: ApiServer, tmp_path: Path):
    kubeconfig = server.config.kubeconfig
    code, out, err = await run_kubectl(kubeconfig, "get", "ns")
    assert code == 0, err
    assert out.split()[:4] == ["NAME", "STATUS", "AGE", "default"]
    manifest = tmp_path / "cm.yaml"
    manifest.write_text(
        textwrap.dedent(
            """\
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: from-kubectl
            data:
              key: value
            """
        )
    )
    code, out, err = await run_kubectl(kubeconfig, "apply", "-f", str(manifest))
    assert (code, out.strip()) == (0, "configmap/from-kubectl created"), err
    manifest.write_text(manifest.read_text().replace("value", "changed"))
    code, out, err = await run_kubectl(kubeconfig, "apply", "-f", str(manifest))
    assert (code, out.strip()) == (0, "configmap/from-kubectl configured"), err
    code, out, err = await run_kubectl(kubeconfig, "get", "cm", "from-kubectl", "-o", "yaml")
    assert code == 0, err
    fetched = yaml.safe_load(out)
    assert fetched["data"] == {"key": "changed"}
    assert "kubectl.kubernetes.io/last-applied-configuration" in fetched["metadata"]["annotations"]


@needs_kubectl
async def test_kubectl_with_a_custom_resource(server: ApiServer, tmp_path: Path):
    kubeconfig = server.config.kubeconfig
    crd = REPO / "crds/generated/flinkdeployments.flink.apache.org.yaml"
    code, out, err = await run_kubectl(kubeconfig, "apply", "-f", str(crd))
    assert code == 0, err
    code, out, err = await run_kubectl(
        kubeconfig, "wait", "--for=condition=established", "crd/flinkdeployments.flink.apache.org"
    )
    assert code == 0, err
    resource = {
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": {"name": "demo"},
        "spec": {
            "image": "flink:2.1",
            "flinkVersion": "v2_1",
            "serviceAccount": "flink",
            "jobManager": {"resource": {"memory": "1024m", "cpu": 1}},
            "taskManager": {"resource": {"memory": "1024m", "cpu": 1}},
        },
    }
    manifest = tmp_path / "fd.yaml"
    manifest.write_text(yaml.safe_dump(resource))
    code, out, err = await run_kubectl(kubeconfig, "apply", "--server-side", "-f", str(manifest))
    assert code == 0, err + out
    code, out, err = await run_kubectl(kubeconfig, "get", "flinkdep")
    assert code == 0, err
    assert out.splitlines()[1].split()[0] == "demo"
    code, out, err = await run_kubectl(
        kubeconfig, "get", "flinkdeployment", "demo", "-o", "jsonpath={.metadata.generation}"
    )
    assert (code, out) == (0, "1"), err
    code, out, err = await run_kubectl(kubeconfig, "delete", "-f", str(manifest))
    assert code == 0, err


@needs_kubectl
async def test_kubectl_scale_logs_and_watch(server: ApiServer, tmp_path: Path):
    kubeconfig = server.config.kubeconfig
    manifest = tmp_path / "deploy.json"
    manifest.write_text(json.dumps(deployment("web")))
    code, _, err = await run_kubectl(kubeconfig, "apply", "-f", str(manifest))
    assert code == 0, err
    code, out, err = await run_kubectl(kubeconfig, "scale", "deployment/web", "--replicas=3")
    assert (code, out.strip()) == (0, "deployment.apps/web scaled"), err
    code, out, err = await run_kubectl(
        kubeconfig, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"
    )
    assert out == "3", err
    code, out, err = await run_kubectl(
        kubeconfig, "get", "cm", "--watch", "--request-timeout=2s", "--output-watch-events"
    )
    assert code == 0 or "timeout" in err.lower() or "Client.Timeout" in err, err
    code, _, err = await run_kubectl(kubeconfig, "delete", "deployment", "web")
    assert code == 0, err


@needs_kubectl
async def test_kubectl_typed_creates_send_protobuf_and_are_understood(server: ApiServer):
    kubeconfig = server.config.kubeconfig
    commands = [
        ("create", "namespace", "demo"),
        ("create", "configmap", "cfg", "--from-literal=a=1"),
        ("create", "secret", "generic", "sec", "--from-literal=password=hunter2"),
        ("create", "serviceaccount", "bot"),
        ("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=80"),
    ]
    for command in commands:
        code, _, err = await run_kubectl(kubeconfig, *command)
        assert code == 0, (command, err)
    store = server.context.store
    assert store.get(("", "configmaps"), "default", name="cfg")["data"] == {"a": "1"}
    assert store.get(("", "secrets"), "default", name="sec")["data"] == {"password": "aHVudGVyMg=="}
    web = store.get(("apps", "deployments"), "default", name="web")
    assert web["spec"]["replicas"] == 2
    assert web["spec"]["template"]["spec"]["containers"][0]["ports"] == [
        {"containerPort": 80, "protocol": "TCP"}
    ]


@needs_kubectl
async def test_kubectl_auth_can_i_and_whoami(server: ApiServer):
    code, out, err = await run_kubectl(server.config.kubeconfig, "auth", "can-i", "create", "pods")
    assert (code, out) == (0, "yes\n"), err
    code, out, err = await run_kubectl(server.config.kubeconfig, "auth", "whoami")
    assert code == 0, err
    assert "system:masters" in out


@needs_kubectl
async def test_kubectl_get_watch_prints_rows_as_objects_change(server: ApiServer, tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    kubeconfig = str(server.config.kubeconfig)
    process = await asyncio.create_subprocess_exec(
        KUBECTL,
        "--kubeconfig",
        kubeconfig,
        "--cache-dir",
        str(home / "cache"),
        "get",
        "configmaps",
        "--watch",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "HOME": str(home)},
    )
    try:
        assert process.stdout is not None
        await asyncio.sleep(1.5)
        code, _, err = await run_kubectl(
            server.config.kubeconfig, "create", "configmap", "watched", "--from-literal=a=1"
        )
        assert code == 0, err
        lines = []
        async with asyncio.timeout(20):
            while not any(line.startswith("watched") for line in lines):
                lines.append((await process.stdout.readline()).decode())
        assert lines[0].split()[:3] == ["NAME", "DATA", "AGE"]
        row = next(line for line in lines if line.startswith("watched"))
        assert row.split()[:2] == ["watched", "1"]
        assert process.returncode is None  # the stream stays open
    finally:
        process.kill()
        await process.wait()


@needs_kubectl
async def test_kubectl_logs_reads_the_pod_log(server: ApiServer):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"nodeName": "node-1", "containers": [{"name": "main", "image": "busybox"}]},
    }
    async with aiohttp.ClientSession() as session:
        api = Api(server, session)
        created = (await api.post("/api/v1/namespaces/default/pods", pod)).body
        created["status"] = {
            "phase": "Running",
            "containerStatuses": [
                {
                    "name": "main",
                    "restartCount": 0,
                    "ready": True,
                    "image": "busybox",
                    "imageID": "",
                    "state": {"running": {"startedAt": "2025-01-01T00:00:00Z"}},
                }
            ],
        }
        assert (await api.put("/api/v1/namespaces/default/pods/p/status", created)).status == 200
    logs = server.config.effective_logs_dir
    assert logs is not None
    path = logs / f"default_p_{created['metadata']['uid']}" / "main" / "0.log"
    path.parent.mkdir(parents=True)
    path.write_text("2025-01-01T00:00:00.000000001Z stdout F hello from p\n")
    code, out, err = await run_kubectl(server.config.kubeconfig, "logs", "p")
    assert (code, out) == (0, "hello from p\n"), err
