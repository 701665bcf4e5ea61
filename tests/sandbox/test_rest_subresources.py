"""Built-in subresources: status, scale, pods/log (plain and followed), namespaces/finalize."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path

import pytest
from apiserver_harness import Api, api_for, deployment

DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"
PODS = "/api/v1/namespaces/default/pods"
MERGE = "application/merge-patch+json"


def pod(name: str, *containers: str, node: str | None = None) -> dict:
    spec: dict = {
        "containers": [{"name": c, "image": "flink:2.1"} for c in containers or ("main",)]
    }
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


@pytest.fixture
async def api(tmp_path: Path):
    async with api_for(logs_dir=tmp_path / "logs") as api:
        yield api


async def test_deployment_status_is_written_only_through_status(api: Api):
    created = (await api.post(DEPLOYS, deployment("d"))).body
    assert created["status"] == {}
    with_status = copy.deepcopy(created)
    with_status["status"] = {"replicas": 1, "readyReplicas": 1, "observedGeneration": 1}
    ignored = (await api.put(f"{DEPLOYS}/d", with_status)).body
    assert ignored["status"] == {}
    written = (await api.put(f"{DEPLOYS}/d/status", with_status)).body
    assert written["status"]["readyReplicas"] == 1
    assert written["metadata"]["generation"] == 1


async def test_deployment_scale_is_an_autoscaling_v1_scale(api: Api):
    await api.post(DEPLOYS, deployment("d", replicas=2))
    scale = (await api.get(f"{DEPLOYS}/d/scale")).body
    assert (scale["kind"], scale["apiVersion"]) == ("Scale", "autoscaling/v1")
    assert scale["spec"] == {"replicas": 2}
    assert scale["status"] == {"replicas": 0, "selector": "app=d"}
    scale["spec"]["replicas"] = 4
    updated = (await api.put(f"{DEPLOYS}/d/scale", scale)).body
    assert updated["spec"] == {"replicas": 4}
    deploy = (await api.get(f"{DEPLOYS}/d")).body
    assert deploy["spec"]["replicas"] == 4
    assert deploy["metadata"]["generation"] == 2


async def test_negative_scale_is_invalid(api: Api):
    await api.post(DEPLOYS, deployment("d"))
    reply = await api.patch(f"{DEPLOYS}/d/scale", {"spec": {"replicas": -1}}, content_type=MERGE)
    assert reply.status == 422
    assert reply.body["message"] == (
        'Scale.autoscaling "d" is invalid: spec.replicas: Invalid value: -1: '
        "must be greater than or equal to 0"
    )


async def test_stale_scale_resource_version_is_a_conflict(api: Api):
    await api.post(DEPLOYS, deployment("d"))
    scale = (await api.get(f"{DEPLOYS}/d/scale")).body
    await api.patch(f"{DEPLOYS}/d", {"spec": {"replicas": 3}}, content_type=MERGE)
    scale["spec"]["replicas"] = 5
    assert (await api.put(f"{DEPLOYS}/d/scale", scale)).status == 409


async def test_new_pods_are_pending_with_defaults(api: Api):
    created = (await api.post(PODS, pod("p"))).body
    assert created["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    assert created["spec"]["serviceAccountName"] == "default"
    assert created["metadata"]["generation"] == 1


def write_log(api: Api, pod_obj: dict, container: str, *lines: str) -> Path:
    logs = api.server.config.effective_logs_dir
    assert logs is not None
    meta = pod_obj["metadata"]
    path = logs / f"default_{meta['name']}_{meta['uid']}" / container / "0.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as out:
        for line in lines:
            out.write(f"2025-01-01T00:00:00.000000001Z stdout F {line}\n")
    return path


async def running(api: Api, name: str) -> dict:
    current = (await api.get(f"{PODS}/{name}")).body
    current["status"] = {
        "phase": "Running",
        "containerStatuses": [
            {
                "name": "main",
                "restartCount": 0,
                "ready": True,
                "image": "flink:2.1",
                "imageID": "",
                "state": {"running": {"startedAt": "2025-01-01T00:00:00Z"}},
            }
        ],
    }
    return (await api.put(f"{PODS}/{name}/status", current)).body


async def test_pod_logs_are_read_from_the_kubelet_layout(api: Api):
    created = (await api.post(PODS, pod("p", node="node-1"))).body
    await running(api, "p")
    write_log(api, created, "main", "first", "second", "third")
    reply = await api.get(f"{PODS}/p/log")
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/plain")
    assert reply.body == "first\nsecond\nthird\n"
    tail = await api.get(f"{PODS}/p/log", params={"tailLines": "1", "timestamps": "true"})
    assert tail.body == "2025-01-01T00:00:00.000000001Z third\n"


async def test_following_pod_logs_streams_new_lines(api: Api):
    created = (await api.post(PODS, pod("p", node="node-1"))).body
    await running(api, "p")
    write_log(api, created, "main", "one")
    url = f"{api.server.url}{PODS}/p/log"
    async with api.session.get(url, params={"follow": "true"}) as response:
        assert (await response.content.readline()) == b"one\n"
        write_log(api, created, "main", "two")
        async with asyncio.timeout(5):
            assert (await response.content.readline()) == b"two\n"


@pytest.mark.parametrize(
    ("containers", "params", "message"),
    [
        pytest.param(
            ("a", "b"),
            {},
            "a container name must be specified for pod p, choose one of: [a b]",
            id="ambiguous",
        ),
        pytest.param(
            ("a",), {"container": "x"}, "container x is not valid for pod p", id="unknown"
        ),
        pytest.param(("a",), {}, "pod p does not have a host assigned", id="unscheduled"),
    ],
)
async def test_pod_log_errors_read_as_upstream(api: Api, containers, params, message):
    await api.post(PODS, pod("p", *containers))
    reply = await api.get(f"{PODS}/p/log", params=params)
    assert reply.status == 400
    assert reply.body["message"] == message


async def test_pods_on_a_node_are_deleted_gracefully(api: Api):
    await api.post(PODS, pod("p", node="node-1"))
    await running(api, "p")
    reply = await api.delete(f"{PODS}/p")
    assert reply.status == 200
    assert reply.body["metadata"]["deletionGracePeriodSeconds"] == 30
    assert (await api.get(f"{PODS}/p")).status == 200
    forced = await api.delete(f"{PODS}/p", params={"gracePeriodSeconds": "0"})
    assert forced.status == 200
    assert (await api.get(f"{PODS}/p")).status == 404


async def test_namespace_finalize_writes_only_spec_finalizers(api: Api):
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}}
    created = (await api.post("/api/v1/namespaces", body)).body
    assert created["spec"] == {"finalizers": ["kubernetes"]}
    created["spec"]["finalizers"] = []
    created["metadata"]["labels"]["ignored"] = "yes"
    finalized = (await api.put("/api/v1/namespaces/team/finalize", created)).body
    assert "finalizers" not in finalized["spec"]
    assert "ignored" not in finalized["metadata"]["labels"]
