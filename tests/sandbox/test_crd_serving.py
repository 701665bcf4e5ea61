"""CustomResourceDefinitions: created ones are served at once, with schema, status and scale."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from apiserver_harness import TABLE_ACCEPT, Api, api_for

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
WIDGETS = "/apis/example.com/v1/namespaces/default/widgets"
REPO = Path(__file__).resolve().parents[2]


def widget_crd(*, scope: str = "Namespaced", short_names: list[str] | None = None) -> dict:
    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "required": ["size"],
                "properties": {
                    "size": {"type": "integer", "minimum": 1},
                    "color": {"type": "string", "default": "blue", "enum": ["blue", "red"]},
                    "replicas": {"type": "integer"},
                    "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                },
            },
            "status": {
                "type": "object",
                "properties": {
                    "phase": {"type": "string"},
                    "replicas": {"type": "integer"},
                    "selector": {"type": "string"},
                },
            },
        },
    }
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": scope,
            "names": {
                "kind": "Widget",
                "plural": "widgets",
                "singular": "widget",
                "shortNames": short_names or ["wd"],
            },
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": schema},
                    "subresources": {
                        "status": {},
                        "scale": {
                            "specReplicasPath": ".spec.replicas",
                            "statusReplicasPath": ".status.replicas",
                            "labelSelectorPath": ".status.selector",
                        },
                    },
                    "additionalPrinterColumns": [
                        {"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
                        {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
                    ],
                }
            ],
        },
    }


def widget(name: str, **spec: object) -> dict:
    return {
        "apiVersion": "example.com/v1",
        "kind": "Widget",
        "metadata": {"name": name},
        "spec": {"size": 1, **spec},
    }


@pytest.fixture
async def api():
    async with api_for() as api:
        reply = await api.post(CRDS, widget_crd())
        assert reply.status == 201, reply.body
        yield api


async def test_a_created_crd_is_established_and_served_at_once(api: Api):
    crd = (await api.get(f"{CRDS}/widgets.example.com")).body
    conditions = {c["type"]: c["status"] for c in crd["status"]["conditions"]}
    assert conditions == {"NamesAccepted": "True", "Established": "True"}
    assert crd["status"]["acceptedNames"]["listKind"] == "WidgetList"
    assert crd["status"]["storedVersions"] == ["v1"]
    assert crd["metadata"]["finalizers"] == ["customresourcecleanup.apiextensions.k8s.io"]
    listed = await api.get(WIDGETS)
    assert listed.status == 200
    assert (listed.body["kind"], listed.body["apiVersion"]) == ("WidgetList", "example.com/v1")
    assert listed.body["items"] == []


async def test_custom_resources_are_defaulted_pruned_and_get_generation_one(api: Api):
    body = widget("w")
    body["spec"]["unknown"] = "dropped"
    body["spec"]["free"] = {"kept": True}
    reply = await api.post(WIDGETS, body)
    assert reply.status == 201
    assert reply.body["spec"] == {"size": 1, "color": "blue", "free": {"kept": True}}
    assert reply.body["metadata"]["generation"] == 1
    assert reply.warnings == ['299 - "unknown field \\"spec.unknown\\""']


async def test_schema_violations_are_422_with_field_causes(api: Api):
    reply = await api.post(WIDGETS, widget("w", size=0, color="green"))
    assert reply.status == 422
    causes = {(c["field"], c["reason"]) for c in reply.body["details"]["causes"]}
    assert causes == {
        ("spec.size", "FieldValueInvalid"),
        ("spec.color", "FieldValueNotSupported"),
    }
    assert reply.body["message"].startswith('Widget.example.com "w" is invalid: [')
    assert reply.body["details"]["group"] == "example.com"
    assert reply.body["details"]["kind"] == "Widget"


async def test_status_is_ignored_on_the_main_endpoint_and_spec_on_status(api: Api):
    body = widget("w")
    body["status"] = {"phase": "Sneaky"}
    created = (await api.post(WIDGETS, body)).body
    assert "status" not in created
    with_status = copy.deepcopy(created)
    with_status["status"] = {"phase": "Running"}
    with_status["spec"]["size"] = 5
    updated = (await api.put(f"{WIDGETS}/w/status", with_status)).body
    assert updated["status"] == {"phase": "Running"}
    assert updated["spec"]["size"] == 1
    assert updated["metadata"]["generation"] == 1
    again = copy.deepcopy(updated)
    again["status"] = {"phase": "Ignored"}
    again["spec"]["size"] = 7
    main = (await api.put(f"{WIDGETS}/w", again)).body
    assert main["status"] == {"phase": "Running"}
    assert main["spec"]["size"] == 7
    assert main["metadata"]["generation"] == 2


async def test_custom_resource_updates_require_a_resource_version(api: Api):
    await api.post(WIDGETS, widget("w"))
    reply = await api.put(f"{WIDGETS}/w", widget("w", size=2))
    assert reply.status == 422
    assert reply.body["message"] == (
        'widgets.example.com "w" is invalid: metadata.resourceVersion: Invalid value: 0x0: '
        "must be specified for an update"
    )


async def test_strategic_merge_patch_of_a_custom_resource_is_415(api: Api):
    await api.post(WIDGETS, widget("w"))
    reply = await api.patch(
        f"{WIDGETS}/w", {"spec": {"size": 2}}, content_type="application/strategic-merge-patch+json"
    )
    assert reply.status == 415
    assert reply.body["reason"] == "UnsupportedMediaType"
    assert reply.body["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    )


async def test_merge_patch_of_status_through_the_subresource(api: Api):
    await api.post(WIDGETS, widget("w"))
    reply = await api.patch(
        f"{WIDGETS}/w/status",
        {"status": {"phase": "Ready"}, "spec": {"size": 9}},
        content_type="application/merge-patch+json",
    )
    assert reply.status == 200
    assert reply.body["status"] == {"phase": "Ready"}
    assert reply.body["spec"]["size"] == 1


async def test_scale_subresource_reads_and_writes_the_crd_paths(api: Api):
    body = widget("w", replicas=2)
    await api.post(WIDGETS, body)
    await api.patch(
        f"{WIDGETS}/w/status",
        {"status": {"replicas": 2, "selector": "app=w"}},
        content_type="application/merge-patch+json",
    )
    scale = (await api.get(f"{WIDGETS}/w/scale")).body
    assert (scale["kind"], scale["apiVersion"]) == ("Scale", "autoscaling/v1")
    assert scale["spec"] == {"replicas": 2}
    assert scale["status"] == {"replicas": 2, "selector": "app=w"}
    patched = await api.patch(
        f"{WIDGETS}/w/scale", {"spec": {"replicas": 5}}, content_type="application/merge-patch+json"
    )
    assert patched.status == 200
    assert patched.body["spec"] == {"replicas": 5}
    stored = (await api.get(f"{WIDGETS}/w")).body
    assert stored["spec"]["replicas"] == 5
    assert stored["metadata"]["generation"] == 2


async def test_printer_columns_appear_in_tables(api: Api):
    await api.post(WIDGETS, widget("w", size=3))
    table = (await api.get(WIDGETS, headers={"Accept": TABLE_ACCEPT})).body
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Size", "Phase"]
    assert table["rows"][0]["cells"] == ["w", 3, None]


async def test_a_crd_update_is_served_from_the_stored_object(api: Api):
    crd = (await api.get(f"{CRDS}/widgets.example.com")).body
    crd["spec"]["names"]["shortNames"] = ["wd", "wdg"]
    assert (await api.put(f"{CRDS}/widgets.example.com", crd)).status == 200
    resources = (await api.get("/apis/example.com/v1")).body["resources"]
    assert resources[0]["shortNames"] == ["wd", "wdg"]


async def test_deleting_a_crd_deletes_its_resources_then_itself(api: Api):
    await api.post(WIDGETS, widget("a"))
    await api.post(WIDGETS, widget("b"))
    reply = await api.delete(f"{CRDS}/widgets.example.com")
    assert reply.status == 200
    await api.settle()
    assert (await api.get(f"{CRDS}/widgets.example.com")).status == 404
    assert (await api.get(WIDGETS)).status == 404
    assert api.server.context.store.count(("example.com", "widgets")) == 0


async def test_invalid_crds_are_refused_with_apiextensions_messages(api: Api):
    crd = widget_crd()
    crd["metadata"]["name"] = "wrong.example.com"
    reply = await api.post(CRDS, crd)
    assert reply.status == 422
    assert reply.body["message"].startswith(
        'CustomResourceDefinition.apiextensions.k8s.io "wrong.example.com" is invalid: '
    )
    assert 'must be spec.names.plural+"."+spec.group' in reply.body["message"]


async def test_the_flinkdeployment_crd_of_this_project_is_served(api: Api):
    crd = yaml.safe_load(
        (REPO / "crds/generated/flinkdeployments.flink.apache.org.yaml").read_text()
    )
    reply = await api.post(CRDS, crd)
    assert reply.status == 201, reply.body
    listed = await api.get("/apis/flink.apache.org/v1beta1/namespaces/default/flinkdeployments")
    assert listed.status == 200
    assert listed.body["kind"] == "FlinkDeploymentList"


async def test_cluster_scoped_custom_resources_have_no_namespace(api: Api):
    crd = widget_crd(scope="Cluster")
    crd["metadata"]["name"] = "gadgets.example.com"
    crd["spec"]["names"] = {"kind": "Gadget", "plural": "gadgets", "singular": "gadget"}
    assert (await api.post(CRDS, crd)).status == 201
    body = {
        "apiVersion": "example.com/v1",
        "kind": "Gadget",
        "metadata": {"name": "g"},
        "spec": {"size": 1},
    }
    reply = await api.post("/apis/example.com/v1/gadgets", body)
    assert reply.status == 201
    assert "namespace" not in reply.body["metadata"]
    assert (await api.get("/apis/example.com/v1/namespaces/default/gadgets")).status == 404


async def test_every_served_version_reads_the_same_objects(api: Api):
    crd = (await api.get(f"{CRDS}/widgets.example.com")).body
    v2 = {**crd["spec"]["versions"][0], "name": "v2", "storage": False}
    crd["spec"]["versions"].append(v2)
    assert (await api.put(f"{CRDS}/widgets.example.com", crd)).status == 200
    await api.post(WIDGETS, widget("w"))
    as_v2 = (await api.get("/apis/example.com/v2/namespaces/default/widgets/w")).body
    assert as_v2["apiVersion"] == "example.com/v2"
    assert as_v2["spec"]["size"] == 1
    group = (await api.get("/apis/example.com")).body
    assert [v["version"] for v in group["versions"]] == ["v2", "v1"]
