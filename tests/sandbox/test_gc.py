"""Garbage collection by ownerReferences (background, foreground, orphan) and namespace deletion."""

from __future__ import annotations

import copy

import pytest
from apiserver_harness import Api, api_for, configmap, deployment

CMS = "/api/v1/namespaces/default/configmaps"
DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"


@pytest.fixture
async def api():
    async with api_for() as api:
        yield api


def owned_by(body: dict, owner: dict, *, block: bool = False) -> dict:
    body = copy.deepcopy(body)
    ref = {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
    }
    if block:
        ref["blockOwnerDeletion"] = True
    body["metadata"].setdefault("ownerReferences", []).append(ref)
    return body


async def names(api: Api) -> list[str]:
    return [i["metadata"]["name"] for i in (await api.get(CMS)).body["items"]]


async def test_background_deletion_removes_dependents_after_the_owner(api: Api):
    owner = (await api.post(DEPLOYS, deployment("owner"))).body
    await api.post(CMS, owned_by(configmap("child"), owner))
    await api.post(CMS, configmap("unrelated"))
    reply = await api.delete(
        f"{DEPLOYS}/owner", {"kind": "DeleteOptions", "propagationPolicy": "Background"}
    )
    assert reply.status == 200
    await api.settle()
    assert await names(api) == ["unrelated"]


async def test_foreground_deletion_waits_for_blocking_dependents(api: Api):
    owner = (await api.post(DEPLOYS, deployment("owner"))).body
    child = owned_by(configmap("child"), owner, block=True)
    child["metadata"]["finalizers"] = ["example.com/hold"]
    await api.post(CMS, child)
    reply = await api.delete(
        f"{DEPLOYS}/owner", {"kind": "DeleteOptions", "propagationPolicy": "Foreground"}
    )
    assert reply.status == 200
    assert reply.body["metadata"]["finalizers"] == ["foregroundDeletion"]
    await api.settle()
    assert (await api.get(f"{DEPLOYS}/owner")).status == 200
    held = (await api.get(f"{CMS}/child")).body
    assert held["metadata"]["deletionTimestamp"]
    held["metadata"]["finalizers"] = []
    assert (await api.put(f"{CMS}/child", held)).status == 200
    await api.settle()
    assert (await api.get(f"{DEPLOYS}/owner")).status == 404


async def test_orphan_deletion_keeps_dependents_and_drops_their_reference(api: Api):
    owner = (await api.post(DEPLOYS, deployment("owner"))).body
    await api.post(CMS, owned_by(configmap("child"), owner))
    await api.delete(f"{DEPLOYS}/owner", {"kind": "DeleteOptions", "propagationPolicy": "Orphan"})
    await api.settle()
    assert (await api.get(f"{DEPLOYS}/owner")).status == 404
    child = (await api.get(f"{CMS}/child")).body
    assert "ownerReferences" not in child["metadata"]


async def test_a_dependent_with_another_live_owner_survives(api: Api):
    first = (await api.post(DEPLOYS, deployment("first"))).body
    second = (await api.post(DEPLOYS, deployment("second"))).body
    await api.post(CMS, owned_by(owned_by(configmap("shared"), first), second))
    await api.delete(f"{DEPLOYS}/first")
    await api.settle()
    shared = (await api.get(f"{CMS}/shared")).body
    assert [r["name"] for r in shared["metadata"]["ownerReferences"]] == ["second"]


async def test_a_dependent_of_an_owner_that_never_existed_is_collected(api: Api):
    ghost = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "ghost", "uid": "0000"},
    }
    await api.post(CMS, owned_by(configmap("orphan"), ghost))
    await api.settle()
    assert await names(api) == []


async def test_cascades_follow_chains_of_owners(api: Api):
    top = (await api.post(DEPLOYS, deployment("top"))).body
    middle = (await api.post(CMS, owned_by(configmap("middle"), top))).body
    await api.post(CMS, owned_by(configmap("bottom"), middle))
    await api.delete(f"{DEPLOYS}/top")
    await api.settle()
    assert await names(api) == []


async def test_deleting_a_namespace_empties_it_then_removes_it(api: Api):
    await api.post(
        "/api/v1/namespaces",
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}},
    )
    await api.settle()
    held = configmap("held")
    held["metadata"]["finalizers"] = ["example.com/hold"]
    await api.post("/api/v1/namespaces/team/configmaps", held)
    await api.post("/api/v1/namespaces/team/configmaps", configmap("plain"))
    reply = await api.delete("/api/v1/namespaces/team")
    assert reply.status == 200
    assert reply.body["status"]["phase"] == "Terminating"
    await api.settle()
    namespace = (await api.get("/api/v1/namespaces/team")).body
    conditions = {c["type"]: c["status"] for c in namespace["status"]["conditions"]}
    assert conditions["NamespaceContentRemaining"] == "True"
    assert conditions["NamespaceFinalizersRemaining"] == "True"
    refused = await api.post("/api/v1/namespaces/team/configmaps", configmap("new"))
    assert refused.status == 403
    assert refused.body["message"] == (
        'configmaps "new" is forbidden: unable to create new content in namespace team because '
        "it is being terminated"
    )
    listed = (await api.get("/api/v1/namespaces/team/configmaps")).body["items"]
    assert [i["metadata"]["name"] for i in listed] == ["held"]
    remaining = listed[0]
    remaining["metadata"]["finalizers"] = []
    await api.put("/api/v1/namespaces/team/configmaps/held", remaining)
    await api.settle()
    assert (await api.get("/api/v1/namespaces/team")).status == 404


async def test_deleting_a_namespace_twice_is_a_conflict(api: Api):
    await api.post(
        "/api/v1/namespaces",
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "twice"}},
    )
    held = configmap("held")
    held["metadata"]["finalizers"] = ["example.com/hold"]
    await api.post("/api/v1/namespaces/twice/configmaps", held)
    await api.delete("/api/v1/namespaces/twice")
    again = await api.delete("/api/v1/namespaces/twice")
    assert again.status == 409


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
async def test_the_system_namespaces_may_not_be_deleted(api: Api, name):
    reply = await api.delete(f"/api/v1/namespaces/{name}")
    assert reply.status == 403
    assert (
        reply.body["message"]
        == f'namespaces "{name}" is forbidden: this namespace may not be deleted'
    )
