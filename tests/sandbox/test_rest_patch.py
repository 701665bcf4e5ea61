"""PATCH in its four flavours, and the answers for unsupported or conflicting patches."""

from __future__ import annotations

import pytest
from apiserver_harness import Api, api_for, configmap, deployment

CMS = "/api/v1/namespaces/default/configmaps"
DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"
MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
APPLY = "application/apply-patch+yaml"


@pytest.fixture
async def api():
    async with api_for() as api:
        yield api


async def test_merge_patch_changes_and_removes_fields(api: Api):
    await api.post(CMS, configmap("a", x="1", y="2"))
    reply = await api.patch(f"{CMS}/a", {"data": {"x": "9", "y": None}}, content_type=MERGE)
    assert reply.status == 200
    assert reply.body["data"] == {"x": "9"}


async def test_json_patch_applies_operations_in_order(api: Api):
    await api.post(CMS, configmap("a", x="1"))
    operations = [
        {"op": "test", "path": "/data/x", "value": "1"},
        {"op": "add", "path": "/data/y", "value": "2"},
        {"op": "remove", "path": "/data/x"},
    ]
    reply = await api.patch(f"{CMS}/a", operations, content_type=JSON_PATCH)
    assert reply.status == 200
    assert reply.body["data"] == {"y": "2"}


async def test_strategic_merge_patch_merges_containers_by_name(api: Api):
    await api.post(DEPLOYS, deployment("d"))
    patch = {
        "spec": {
            "template": {
                "spec": {"containers": [{"name": "sidecar", "image": "busybox"}]},
            }
        }
    }
    reply = await api.patch(f"{DEPLOYS}/d", patch, content_type=STRATEGIC)
    assert reply.status == 200
    names = [c["name"] for c in reply.body["spec"]["template"]["spec"]["containers"]]
    assert names == ["sidecar", "main"]
    assert reply.body["metadata"]["generation"] == 2


async def test_patch_with_a_stale_resource_version_is_a_conflict(api: Api):
    created = (await api.post(CMS, configmap("a"))).body
    await api.patch(f"{CMS}/a", {"data": {"x": "1"}}, content_type=MERGE)
    stale = {
        "metadata": {"resourceVersion": created["metadata"]["resourceVersion"]},
        "data": {"x": "2"},
    }
    reply = await api.patch(f"{CMS}/a", stale, content_type=MERGE)
    assert reply.status == 409
    assert reply.body["reason"] == "Conflict"


async def test_patch_of_a_missing_object_is_404(api: Api):
    reply = await api.patch(f"{CMS}/nothing", {"data": {}}, content_type=MERGE)
    assert reply.status == 404


async def test_unknown_patch_types_are_415_listing_the_accepted_ones(api: Api):
    await api.post(CMS, configmap("a"))
    reply = await api.patch(f"{CMS}/a", {"data": {}}, content_type="application/json")
    assert reply.status == 415
    assert reply.body["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/strategic-merge-patch+json, application/apply-patch+yaml"
    )


async def test_server_side_apply_creates_then_updates_with_managed_fields(api: Api):
    body = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: '1'\n"
    created = await api.patch(f"{CMS}/a", body, content_type=APPLY, params={"fieldManager": "me"})
    assert created.status == 201
    managers = [(m["manager"], m["operation"]) for m in created.body["metadata"]["managedFields"]]
    assert managers == [("me", "Apply")]
    changed = body.replace("'1'", "'2'")
    updated = await api.patch(
        f"{CMS}/a", changed, content_type=APPLY, params={"fieldManager": "me"}
    )
    assert updated.status == 200
    assert updated.body["data"] == {"x": "2"}


async def test_server_side_apply_needs_a_field_manager(api: Api):
    reply = await api.patch(f"{CMS}/a", configmap("a"), content_type=APPLY)
    assert reply.status == 422
    assert reply.body["message"] == (
        'PatchOptions.meta.k8s.io "" is invalid: '
        "fieldManager: Required value: is required for apply patch"
    )


async def test_server_side_apply_conflicts_unless_forced(api: Api):
    first = configmap("a", x="1")
    await api.patch(f"{CMS}/a", first, content_type=APPLY, params={"fieldManager": "one"})
    second = configmap("a", x="2")
    reply = await api.patch(f"{CMS}/a", second, content_type=APPLY, params={"fieldManager": "two"})
    assert reply.status == 409
    assert reply.body["reason"] == "Conflict"
    assert reply.body["details"]["causes"][0]["field"] == ".data.x"
    forced = await api.patch(
        f"{CMS}/a", second, content_type=APPLY, params={"fieldManager": "two", "force": "true"}
    )
    assert forced.status == 200
    assert forced.body["data"] == {"x": "2"}


async def test_force_is_refused_for_other_patch_types(api: Api):
    await api.post(CMS, configmap("a"))
    reply = await api.patch(f"{CMS}/a", {"data": {}}, content_type=MERGE, params={"force": "true"})
    assert reply.status == 422
    assert "force: Forbidden: may not be specified for non-apply patch" in reply.body["message"]


async def test_update_records_the_user_agent_as_field_manager(api: Api):
    reply = await api.post(
        CMS, configmap("a", x="1"), headers={"User-Agent": "kubectl/v1.33.0 (linux)"}
    )
    assert [m["manager"] for m in reply.body["metadata"]["managedFields"]] == ["kubectl"]


async def test_a_patch_adding_unknown_fields_under_strict_validation_is_invalid(api: Api):
    await api.post(CMS, configmap("a"))
    reply = await api.patch(
        f"{CMS}/a", {"bogus": 1}, content_type=MERGE, params={"fieldValidation": "Strict"}
    )
    assert reply.status == 422
    assert reply.body["message"].startswith(' "" is invalid: patch: Invalid value: "{')
    assert reply.body["message"].endswith('": strict decoding error: unknown field "bogus"')
    assert reply.body["details"]["causes"][0]["field"] == "patch"
