"""Discovery and OpenAPI documents, legacy and aggregated, following the registry."""

from __future__ import annotations

import pytest
from apiserver_harness import Api, api_for

AGGREGATED = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
)


@pytest.fixture
async def api():
    async with api_for() as api:
        yield api


async def test_version_reports_the_emulated_release(api: Api):
    body = (await api.get("/version")).body
    assert (body["major"], body["minor"], body["gitVersion"]) == ("1", "33", "v1.33.0")


async def test_legacy_core_discovery(api: Api):
    versions = (await api.get("/api")).body
    assert (versions["kind"], versions["versions"]) == ("APIVersions", ["v1"])
    resources = (await api.get("/api/v1")).body
    assert resources["groupVersion"] == "v1"
    by_name = {r["name"]: r for r in resources["resources"]}
    assert by_name["pods"]["shortNames"] == ["po"]
    assert by_name["pods"]["categories"] == ["all"]
    assert by_name["pods"]["verbs"] == [
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch",
    ]
    assert by_name["pods/log"]["verbs"] == ["get"]
    assert by_name["pods/status"]["verbs"] == ["get", "patch", "update"]
    assert by_name["namespaces"]["namespaced"] is False
    assert "namespaces/finalize" in by_name


async def test_legacy_group_discovery(api: Api):
    groups = (await api.get("/apis")).body
    assert groups["kind"] == "APIGroupList"
    apps = next(g for g in groups["groups"] if g["name"] == "apps")
    assert apps["preferredVersion"] == {"groupVersion": "apps/v1", "version": "v1"}
    group = (await api.get("/apis/apps")).body
    assert group["kind"] == "APIGroup"
    resources = (await api.get("/apis/apps/v1")).body["resources"]
    scale = next(r for r in resources if r["name"] == "deployments/scale")
    assert (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale")


async def test_aggregated_discovery_when_asked_for(api: Api):
    reply = await api.get("/apis", headers={"Accept": AGGREGATED})
    assert reply.headers["Content-Type"] == (
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    )
    assert reply.body["kind"] == "APIGroupDiscoveryList"
    apps = next(i for i in reply.body["items"] if i["metadata"]["name"] == "apps")
    deploy = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
    assert deploy["scope"] == "Namespaced"
    assert deploy["shortNames"] == ["deploy"]
    assert {s["subresource"] for s in deploy["subresources"]} == {"scale", "status"}
    core = (await api.get("/api", headers={"Accept": AGGREGATED})).body
    assert core["items"][0]["versions"][0]["version"] == "v1"


async def test_unknown_group_versions_are_404(api: Api):
    assert (await api.get("/apis/nothing.example.com/v1")).status == 404
    assert (await api.get("/apis/nothing.example.com")).status == 404


async def test_openapi_v3_index_and_documents(api: Api):
    index = (await api.get("/openapi/v3")).body
    url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
    assert url.startswith("/openapi/v3/apis/apps/v1?hash=")
    document = (await api.get(url)).body
    assert document["openapi"].startswith("3.")
    assert "io.k8s.api.apps.v1.Deployment" in document["components"]["schemas"]
    assert (await api.get("/openapi/v3/apis/nothing/v1")).status == 404


async def test_openapi_v2_is_json_and_protobuf_only_clients_get_404(api: Api):
    document = (await api.get("/openapi/v2", headers={"Accept": "application/json"})).body
    assert document["swagger"] == "2.0"
    protobuf = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
    assert (await api.get("/openapi/v2", headers={"Accept": protobuf})).status == 404


async def test_health_endpoints(api: Api):
    for path in ("/healthz", "/livez", "/readyz"):
        reply = await api.get(path)
        assert (reply.status, reply.body) == (200, "ok")


async def test_registry_resolves_kubectl_style_names(api: Api):
    registry = api.server.context.registry
    assert [k.plural for k in registry.resolve("deploy")] == ["deployments"]
    assert [k.plural for k in registry.resolve("deployments.apps")] == ["deployments"]
    assert [k.group for k in registry.resolve("ev")] == ["", "events.k8s.io"]
    assert [k.plural for k in registry.resolve("Pod")] == ["pods"]
