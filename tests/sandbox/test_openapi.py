"""The OpenAPI documents read like kube-apiserver 1.33's, and real kubectl works from them.

Expected names and shapes come from kube-openapi's builders, the apiserver's route installer
and apiextensions-apiserver's CRD builder (read from their Go code), and from the
documents kube-apiserver publishes; the end-to-end tests run the real kubectl (`explain`,
`apply`) against a tiny aiohttp server that serves only discovery, `/version` and these
documents.
"""

import asyncio
import copy
import hashlib
import json
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from sandbox.apiserver.kinds import BUILTIN_KINDS, ResourceKind, from_crd
from sandbox.apiserver.openapi import (
    encoded_v2,
    encoded_v3,
    encoded_v3_index,
    openapi_v2,
    openapi_v3_document,
    openapi_v3_index,
)

FLINK = "org.apache.flink.v1beta1.FlinkDeployment"
META = "io.k8s.apimachinery.pkg.apis.meta.v1"
WRITE_PARAMS = {"dryRun", "fieldManager", "fieldValidation"}


def flink_crd(schema_extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A FlinkDeployment-like CRD: nested spec, enums, maps, preserved and int-or-string fields."""
    spec_properties: dict[str, Any] = {
        "image": {"type": "string", "description": "Flink image."},
        "flinkConfiguration": {"type": "object", "additionalProperties": {"type": "string"}},
        "podTemplate": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        "job": {
            "type": "object",
            "description": "Job specification for application deployments.",
            "required": ["jarURI"],
            "properties": {
                "jarURI": {"type": "string", "description": "URI of the job jar."},
                "parallelism": {"type": "integer", "default": 1},
                "upgradeMode": {
                    "type": "string",
                    "enum": ["savepoint", "last-state", "stateless"],
                },
                "args": {"type": "array", "items": {"type": "string"}},
            },
        },
        "restartNonce": {"type": "integer", "nullable": True},
        "ingressPort": {"x-kubernetes-int-or-string": True},
        "sidecar": {
            "type": "object",
            "x-kubernetes-embedded-resource": True,
            "x-kubernetes-preserve-unknown-fields": True,
        },
    }
    spec_properties.update(schema_extra or {})
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "flinkdeployments.flink.apache.org"},
        "spec": {
            "group": "flink.apache.org",
            "scope": "Namespaced",
            "names": {
                "kind": "FlinkDeployment",
                "listKind": "FlinkDeploymentList",
                "plural": "flinkdeployments",
                "singular": "flinkdeployment",
                "shortNames": ["flinkdep"],
            },
            "versions": [
                {
                    "name": "v1beta1",
                    "served": True,
                    "storage": True,
                    "subresources": {"status": {}},
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "properties": {
                                "spec": {
                                    "type": "object",
                                    "required": ["restartNonce", "image"],
                                    "properties": spec_properties,
                                },
                                "status": {
                                    "type": "object",
                                    "x-kubernetes-preserve-unknown-fields": True,
                                },
                            },
                        }
                    },
                }
            ],
        },
    }


@pytest.fixture(scope="module")
def kinds() -> list[ResourceKind]:
    return [*BUILTIN_KINDS, *from_crd(flink_crd())]


@pytest.fixture(scope="module")
def v2(kinds: list[ResourceKind]) -> dict[str, Any]:
    return openapi_v2(kinds)


def v3(kinds: list[ResourceKind], group: str, version: str) -> dict[str, Any]:
    document = openapi_v3_document(kinds, group, version)
    assert document is not None
    return document


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method != "parameters":
                yield path, method, op


def refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def all_v3(kinds: list[ResourceKind]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in openapi_v3_index(kinds)["paths"]:
        encoded = encoded_v3(kinds, path)
        assert encoded is not None
        yield path, encoded.document


# --- definitions -----------------------------------------------------------------------------


def test_v2_is_swagger_2_for_the_emulated_release_with_bearer_tokens(v2: dict[str, Any]) -> None:
    assert v2["swagger"] == "2.0"
    assert v2["info"] == {"title": "Kubernetes", "version": "v1.33.0"}
    assert v2["securityDefinitions"]["BearerToken"]["in"] == "header"
    assert v2["security"] == [{"BearerToken": []}]


def test_every_reference_resolves(kinds: list[ResourceKind], v2: dict[str, Any]) -> None:
    for ref in refs(v2):
        section, name = ref.removeprefix("#/").split("/", 1)
        assert name in v2[section], ref
    for path, document in all_v3(kinds):
        for ref in refs(document):
            assert ref.startswith("#/components/schemas/"), (path, ref)
            assert ref.rsplit("/", 1)[1] in document["components"]["schemas"], (path, ref)


def test_builtin_definitions_are_openapi_not_json_schema(
    kinds: list[ResourceKind], v2: dict[str, Any]
) -> None:
    def walk(node: object) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    pod = v3(kinds, "", "v1")["components"]["schemas"]["io.k8s.api.core.v1.Pod"]
    for schema in walk(v2["definitions"]):
        assert not isinstance(schema.get("type"), list)
    for schema in walk(pod):
        assert set(schema) == {"$ref"} or "$ref" not in schema, "v3 refs carry no siblings"
    assert pod["properties"]["spec"]["allOf"] == [
        {"$ref": "#/components/schemas/io.k8s.api.core.v1.PodSpec"}
    ]
    assert v2["definitions"]["io.k8s.api.core.v1.Pod"]["properties"]["spec"]["$ref"] == (
        "#/definitions/io.k8s.api.core.v1.PodSpec"
    )
    assert pod["properties"]["kind"] == {
        "description": pod["properties"]["kind"]["description"],
        "type": "string",
    }


@pytest.mark.parametrize(
    ("flavour", "name", "expected"),
    [
        ("v2", "intstr.IntOrString", {"type": "string", "format": "int-or-string"}),
        (
            "v3",
            "intstr.IntOrString",
            {"oneOf": [{"type": "integer"}, {"type": "string"}], "format": "int-or-string"},
        ),
        ("v2", "resource.Quantity", {"type": "string"}),
        ("v3", "resource.Quantity", {"oneOf": [{"type": "string"}, {"type": "number"}]}),
    ],
    ids=["int-or-string-v2", "int-or-string-v3", "quantity-v2", "quantity-v3"],
)
def test_polymorphic_scalars_take_each_dialects_form(
    kinds: list[ResourceKind],
    v2: dict[str, Any],
    flavour: str,
    name: str,
    expected: dict[str, Any],
) -> None:
    package = "util" if name.startswith("intstr") else "api"
    full = f"io.k8s.apimachinery.pkg.{package}.{name}"
    definitions = v2["definitions"] if flavour == "v2" else v3(kinds, "", "v1")["components"]
    schema = definitions[full] if flavour == "v2" else definitions["schemas"][full]
    assert {k: v for k, v in schema.items() if k != "description"} == expected
    assert schema["description"]


def test_builtin_definitions_keep_what_kubectl_and_patches_read(v2: dict[str, Any]) -> None:
    definitions = v2["definitions"]
    ports = definitions["io.k8s.api.core.v1.Container"]["properties"]["ports"]
    assert ports["x-kubernetes-patch-merge-key"] == "containerPort"
    assert ports["x-kubernetes-patch-strategy"] == "merge"
    assert ports["x-kubernetes-list-type"] == "map"
    assert ports["x-kubernetes-list-map-keys"] == ["containerPort", "protocol"]
    assert definitions["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"] == [
        {"group": "apps", "kind": "Deployment", "version": "v1"}
    ]
    assert "enum" not in definitions["io.k8s.api.apps.v1.Deployment"]["properties"]["apiVersion"]


def test_a_document_carries_only_the_definitions_its_operations_reach(
    kinds: list[ResourceKind],
) -> None:
    schemas = v3(kinds, "coordination.k8s.io", "v1")["components"]["schemas"]
    assert "io.k8s.api.coordination.v1.Lease" in schemas
    assert f"{META}.ObjectMeta" in schemas
    assert "io.k8s.api.core.v1.Pod" not in schemas


# --- custom resources ------------------------------------------------------------------------


def test_custom_kind_is_named_by_reversed_group_and_gets_type_and_object_meta(
    kinds: list[ResourceKind], v2: dict[str, Any]
) -> None:
    schemas = v3(kinds, "flink.apache.org", "v1beta1")["components"]["schemas"]
    flink, flink_list = schemas[FLINK], schemas[f"{FLINK}List"]
    assert flink["x-kubernetes-group-version-kind"] == [
        {"group": "flink.apache.org", "version": "v1beta1", "kind": "FlinkDeployment"}
    ]
    assert flink["properties"]["metadata"]["allOf"] == [
        {"$ref": f"#/components/schemas/{META}.ObjectMeta"}
    ]
    assert flink["properties"]["apiVersion"]["type"] == "string"
    assert flink_list["required"] == ["items"]
    assert flink_list["properties"]["items"]["items"] == {"$ref": f"#/components/schemas/{FLINK}"}
    assert flink_list["x-kubernetes-group-version-kind"][0]["kind"] == "FlinkDeploymentList"
    assert v2["definitions"][FLINK]["properties"]["metadata"]["$ref"] == (
        f"#/definitions/{META}.ObjectMeta"
    )


def test_custom_schema_keeps_validation_in_v3_and_simplifies_it_for_v2(
    kinds: list[ResourceKind], v2: dict[str, Any]
) -> None:
    spec3 = v3(kinds, "flink.apache.org", "v1beta1")["components"]["schemas"][FLINK]
    spec3 = spec3["properties"]["spec"]
    spec2 = v2["definitions"][FLINK]["properties"]["spec"]
    assert spec3["properties"]["ingressPort"] == {
        "x-kubernetes-int-or-string": True,
        "anyOf": [{"type": "integer"}, {"type": "string"}],
    }
    assert spec2["properties"]["ingressPort"] == {"x-kubernetes-int-or-string": True}
    assert spec3["properties"]["restartNonce"] == {"type": "integer", "nullable": True}
    assert spec2["properties"]["restartNonce"] == {}
    assert spec3["required"] == ["restartNonce", "image"]
    assert spec2["required"] == ["image"], "nullable fields are not required in v2"
    assert spec3["properties"]["job"]["properties"]["parallelism"]["default"] == 1
    assert "default" not in spec2["properties"]["job"]["properties"]["parallelism"]
    assert spec2["properties"]["podTemplate"] == {"x-kubernetes-preserve-unknown-fields": True}
    assert spec3["properties"]["podTemplate"]["type"] == "object"


def test_embedded_resources_get_type_meta_and_object_meta(
    kinds: list[ResourceKind], v2: dict[str, Any]
) -> None:
    sidecar = v3(kinds, "flink.apache.org", "v1beta1")["components"]["schemas"][FLINK]
    sidecar = sidecar["properties"]["spec"]["properties"]["sidecar"]
    assert set(sidecar["properties"]) == {"apiVersion", "kind", "metadata"}
    assert sidecar["required"] == ["kind", "apiVersion"]
    assert (
        "properties" not in v2["definitions"][FLINK]["properties"]["spec"]["properties"]["sidecar"]
    ), "v2 leaves preserve-unknown-fields nodes open"


def test_custom_root_that_preserves_unknown_fields_is_a_bare_object_in_v2() -> None:
    crd = flink_crd()
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = {
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
    }
    kinds = [*BUILTIN_KINDS, *from_crd(crd)]
    assert openapi_v2(kinds)["definitions"][FLINK] == {
        "type": "object",
        "x-kubernetes-group-version-kind": [
            {"group": "flink.apache.org", "version": "v1beta1", "kind": "FlinkDeployment"}
        ],
    }
    schema3 = v3(kinds, "flink.apache.org", "v1beta1")["components"]["schemas"][FLINK]
    assert set(schema3["properties"]) == {"apiVersion", "kind", "metadata"}


# --- operations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "version", "path", "method", "operation_id", "tag", "action", "kind"),
    [
        ("", "v1", "/api/v1/namespaces/{namespace}/pods", "get", "listCoreV1NamespacedPod",
         "core_v1", "list", "Pod"),
        ("", "v1", "/api/v1/pods", "get", "listCoreV1PodForAllNamespaces", "core_v1", "list",
         "Pod"),
        ("", "v1", "/api/v1/namespaces/{namespace}/configmaps", "delete",
         "deleteCoreV1CollectionNamespacedConfigMap", "core_v1", "deletecollection", "ConfigMap"),
        ("", "v1", "/api/v1/namespaces/{namespace}/pods/{name}/log", "get",
         "readCoreV1NamespacedPodLog", "core_v1", "get", "Pod"),
        ("apps", "v1", "/apis/apps/v1/watch/namespaces/{namespace}/deployments", "get",
         "watchAppsV1NamespacedDeploymentList", "apps_v1", "watchlist", "Deployment"),
        ("apps", "v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "patch",
         "patchAppsV1NamespacedDeploymentScale", "apps_v1", "patch", "Scale"),
        ("rbac.authorization.k8s.io", "v1",
         "/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}", "put",
         "replaceRbacAuthorizationV1ClusterRole", "rbacAuthorization_v1", "put", "ClusterRole"),
        ("flink.apache.org", "v1beta1", "/apis/flink.apache.org/v1beta1/flinkdeployments", "get",
         "listFlinkApacheOrgV1beta1FlinkDeploymentForAllNamespaces", "flinkApacheOrg_v1beta1",
         "list", "FlinkDeployment"),
        ("flink.apache.org", "v1beta1",
         "/apis/flink.apache.org/v1beta1/namespaces/{namespace}/flinkdeployments/{name}/status",
         "patch", "patchFlinkApacheOrgV1beta1NamespacedFlinkDeploymentStatus",
         "flinkApacheOrg_v1beta1", "patch", "FlinkDeployment"),
    ],
    ids=["list", "list-all-namespaces", "deletecollection", "pod-log", "watch-list",
         "scale-is-autoscaling", "cluster-scoped", "custom-all-namespaces", "custom-status"],
)  # fmt: skip
def test_operations_are_named_and_tagged_like_the_apiserver(
    kinds: list[ResourceKind],
    group: str,
    version: str,
    path: str,
    method: str,
    operation_id: str,
    tag: str,
    action: str,
    kind: str,
) -> None:
    op = v3(kinds, group, version)["paths"][path][method]
    assert op["operationId"] == operation_id
    assert op["tags"] == [tag]
    assert op["x-kubernetes-action"] == action
    assert op["x-kubernetes-group-version-kind"]["kind"] == kind


def test_every_write_declares_dry_run_field_manager_and_field_validation(
    kinds: list[ResourceKind], v2: dict[str, Any]
) -> None:
    checked = 0
    for _, document in all_v3(kinds):
        for path, method, op in operations(document):
            if method in ("put", "patch", "post"):
                names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
                assert names >= WRITE_PARAMS, (path, method)
                checked += 1
    assert checked > 100
    item = v2["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
    for method in ("put", "patch"):
        inline = {p.get("name") for p in item[method]["parameters"]}
        assert {"fieldValidation", "dryRun"} <= inline, "kubectl reads these inline in v2"
    body = next(p for p in item["put"]["parameters"] if p.get("name") == "body")
    assert body["schema"] == {"$ref": "#/definitions/io.k8s.api.apps.v1.Deployment"}


@pytest.mark.parametrize(
    ("group", "version", "path", "consumes"),
    [
        ("apps", "v1", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}",
         {"application/json-patch+json", "application/merge-patch+json",
          "application/strategic-merge-patch+json", "application/apply-patch+yaml"}),
        ("flink.apache.org", "v1beta1",
         "/apis/flink.apache.org/v1beta1/namespaces/{namespace}/flinkdeployments/{name}",
         {"application/json-patch+json", "application/merge-patch+json",
          "application/apply-patch+yaml"}),
    ],
    ids=["builtin", "custom"],
)  # fmt: skip
def test_strategic_merge_patch_is_offered_only_for_builtins(
    kinds: list[ResourceKind], group: str, version: str, path: str, consumes: set[str]
) -> None:
    body = v3(kinds, group, version)["paths"][path]["patch"]["requestBody"]
    assert set(body["content"]) == consumes
    assert body["content"]["application/apply-patch+yaml"]["schema"] == {
        "$ref": f"#/components/schemas/{META}.Patch"
    }


def test_custom_resources_have_no_watch_paths_and_only_enabled_subresources(
    kinds: list[ResourceKind],
) -> None:
    paths = set(v3(kinds, "flink.apache.org", "v1beta1")["paths"])
    item = "/apis/flink.apache.org/v1beta1/namespaces/{namespace}/flinkdeployments/{name}"
    assert paths == {
        "/apis/flink.apache.org/v1beta1/flinkdeployments",
        "/apis/flink.apache.org/v1beta1/namespaces/{namespace}/flinkdeployments",
        item,
        f"{item}/status",
    }


def test_v2_shares_parameters_under_kube_openapi_hash_names(v2: dict[str, Any]) -> None:
    shared = v2["parameters"]
    for name in ("pretty-tJGM1-ng", "namespace-vgWSWtn3", "body-2Y1dVQaQ", "fieldManager-Qy4HdaTW"):
        assert name in shared
    item = v2["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"]
    assert {"$ref": "#/parameters/pretty-tJGM1-ng"} in item["parameters"]
    assert not [p for p in shared.values() if p["name"] in ("name", "fieldValidation", "dryRun")]


# --- index and caching -----------------------------------------------------------------------


def test_index_lists_every_document_with_the_hash_of_its_served_bytes(
    kinds: list[ResourceKind],
) -> None:
    paths = openapi_v3_index(kinds)["paths"]
    for expected in ("api", "api/v1", "apis", "apis/apps", "apis/apps/v1", "version"):
        assert expected in paths
    assert "apis/flink.apache.org/v1beta1" in paths
    assert "apis/flink.apache.org" not in paths, "CRD groups publish no group document"
    url = paths["apis/apps/v1"]["serverRelativeURL"]
    encoded = encoded_v3(kinds, "apis/apps/v1")
    assert encoded is not None
    assert url == f"/openapi/v3/apis/apps/v1?hash={encoded.etag}"
    assert encoded.etag == hashlib.sha512(encoded.body).hexdigest().upper()
    assert json.loads(encoded.body) == encoded.document


def test_documents_for_unserved_group_versions_do_not_exist(kinds: list[ResourceKind]) -> None:
    assert openapi_v3_document(kinds, "batch", "v1") is None
    assert encoded_v3(kinds, "apis/flink.apache.org") is None


def test_documents_are_cached_until_the_kinds_change(kinds: list[ResourceKind]) -> None:
    assert encoded_v2(kinds) is encoded_v2(list(reversed(kinds)))
    apps = encoded_v3(kinds, "apis/apps/v1")
    flink = encoded_v3(kinds, "apis/flink.apache.org/v1beta1")
    changed = [
        *BUILTIN_KINDS,
        *from_crd(flink_crd({"savepointDir": {"type": "string"}})),
    ]
    assert encoded_v3(changed, "apis/apps/v1") is apps, "built-in documents ignore CRDs"
    changed_flink = encoded_v3(changed, "apis/flink.apache.org/v1beta1")
    assert changed_flink is not None
    assert flink is not None
    assert changed_flink.etag != flink.etag
    assert encoded_v3_index(changed).body != encoded_v3_index(kinds).body
    spec = changed_flink.document["components"]["schemas"][FLINK]["properties"]["spec"]
    assert "savepointDir" in spec["properties"]


# --- real kubectl ----------------------------------------------------------------------------

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")


class FakeApiServer:
    """Just enough of an API server for kubectl: version, legacy discovery, OpenAPI, and a
    recording stand-in for writes (GET of an object is 404, POST and PATCH echo the body)."""

    def __init__(self, kinds: list[ResourceKind], *, declare_field_validation: bool = True):
        self.kinds = kinds
        self.declare_field_validation = declare_field_validation
        self.writes: list[tuple[str, str, dict[str, str]]] = []
        self.port = 0

    def _resources(self, group: str, version: str) -> web.Response:
        served = [k for k in self.kinds if (k.group, k.version) == (group, version)]
        if not served:
            raise web.HTTPNotFound()
        resources = [
            {
                "name": k.plural,
                "singularName": k.singular,
                "namespaced": k.namespaced,
                "kind": k.kind,
                "verbs": sorted(k.verbs),
                "shortNames": list(k.short_names),
            }
            for k in served
        ]
        group_version = f"{group}/{version}" if group else version
        return web.json_response(
            {"kind": "APIResourceList", "groupVersion": group_version, "resources": resources}
        )

    def _groups(self) -> web.Response:
        versions: dict[str, list[str]] = {}
        for k in self.kinds:
            if k.group:
                versions.setdefault(k.group, []).append(k.version)
        groups = [
            {
                "name": group,
                "versions": [{"groupVersion": f"{group}/{v}", "version": v} for v in served],
                "preferredVersion": {"groupVersion": f"{group}/{served[0]}", "version": served[0]},
            }
            for group, served in versions.items()
        ]
        return web.json_response({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})

    def _openapi(self, path: str) -> web.Response:
        if path == "":
            return web.Response(
                body=encoded_v3_index(self.kinds).body, content_type="application/json"
            )
        encoded = encoded_v3(self.kinds, path)
        if encoded is None:
            raise web.HTTPNotFound()
        if self.declare_field_validation:
            return web.Response(body=encoded.body, content_type="application/json")
        document = copy.deepcopy(encoded.document)
        for _, _, op in operations(document):
            params = op.get("parameters", [])
            op["parameters"] = [p for p in params if p["name"] != "fieldValidation"]
        return web.json_response(document)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        parts = request.path.strip("/").split("/")
        if request.path == "/version":
            return web.json_response({"major": "1", "minor": "33", "gitVersion": "v1.33.0"})
        if request.path == "/api":
            return web.json_response({"kind": "APIVersions", "versions": ["v1"]})
        if request.path == "/apis":
            return self._groups()
        if parts[:2] == ["openapi", "v3"]:
            return self._openapi("/".join(parts[2:]))
        if parts[0] == "api" and len(parts) == 2:
            return self._resources("", parts[1])
        if parts[0] == "apis" and len(parts) == 3:
            return self._resources(parts[1], parts[2])
        if request.method == "GET":
            status = {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404}
            return web.json_response({**status, "reason": "NotFound"}, status=404)
        if request.method in ("POST", "PATCH"):
            self.writes.append((request.method, request.path, dict(request.query)))
            body = await request.json()
            body["metadata"].update(uid="0", resourceVersion="1", namespace="default")
            return web.json_response(body, status=201)
        raise web.HTTPNotFound()


async def start(api: FakeApiServer) -> tuple[web.AppRunner, int]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", api.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    sockets = site._server.sockets  # type: ignore[union-attr]
    return runner, sockets[0].getsockname()[1]


class Kubectl:
    """Runs the real kubectl against a port, with its own HOME, kubeconfig and cache."""

    def __init__(self, tmp_path: Path, port: int) -> None:
        self.tmp_path = tmp_path
        config = tmp_path / "kubeconfig"
        config.write_text(
            "apiVersion: v1\nkind: Config\ncurrent-context: emu\n"
            f"clusters: [{{name: emu, cluster: {{server: 'http://127.0.0.1:{port}'}}}}]\n"
            "contexts: [{name: emu, context: {cluster: emu, user: emu, namespace: default}}]\n"
            "users: [{name: emu, user: {token: dummy}}]\n"
        )
        (tmp_path / "home").mkdir(exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path / "home"),
            "KUBECONFIG": str(config),
        }

    async def __call__(self, *args: str) -> tuple[int, str]:
        assert KUBECTL is not None
        process = await asyncio.create_subprocess_exec(
            KUBECTL,
            f"--cache-dir={self.tmp_path / 'cache'}",
            *args,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(process.communicate(), timeout=90)
        assert process.returncode is not None
        return process.returncode, output.decode()


@pytest.fixture
async def fake_api(kinds: list[ResourceKind]) -> AsyncIterator[FakeApiServer]:
    api = FakeApiServer(kinds)
    runner, api.port = await start(api)
    try:
        yield api
    finally:
        await runner.cleanup()


@pytest.fixture
def kubectl(fake_api: FakeApiServer, tmp_path: Path) -> Kubectl:
    return Kubectl(tmp_path, fake_api.port)


@needs_kubectl
async def test_kubectl_explains_a_builtin_field_from_the_v3_document(kubectl: Kubectl) -> None:
    code, output = await kubectl("explain", "pods.spec.containers")
    assert code == 0, output
    assert "KIND:       Pod" in output
    assert "FIELD: containers <[]Container>" in output
    assert "image\t<string>" in output
    assert "ports\t<[]ContainerPort>" in output


@needs_kubectl
async def test_kubectl_explains_a_custom_resource_field(kubectl: Kubectl) -> None:
    code, output = await kubectl("explain", "flinkdeployments.spec.job")
    assert code == 0, output
    assert "GROUP:      flink.apache.org" in output
    assert "KIND:       FlinkDeployment" in output
    assert "VERSION:    v1beta1" in output
    assert "FIELD: job <Object>" in output
    assert "Job specification for application deployments." in output
    assert "jarURI\t<string> -required-" in output
    assert "enum: savepoint, last-state, stateless" in output


CR_YAML = """apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: {name: basic}
spec: {image: "flink:1.20", restartNonce: 1, job: {jarURI: "local:///job.jar"}}
"""
CM_YAML = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b}\n"


@needs_kubectl
@pytest.mark.parametrize(
    ("manifest", "flags", "method", "manager"),
    [
        (CR_YAML, (), "POST", "kubectl-client-side-apply"),
        (CR_YAML, ("--server-side",), "PATCH", "kubectl"),
        (CM_YAML, (), "POST", "kubectl-client-side-apply"),
    ],
    ids=["custom-client-side", "custom-server-side", "builtin-client-side"],
)
async def test_kubectl_apply_leaves_strict_validation_to_the_server(
    kubectl: Kubectl,
    fake_api: FakeApiServer,
    tmp_path: Path,
    manifest: str,
    flags: tuple[str, ...],
    method: str,
    manager: str,
) -> None:
    (tmp_path / "object.yaml").write_text(manifest)
    code, output = await kubectl("apply", *flags, "-f", str(tmp_path / "object.yaml"))
    assert code == 0, output
    [(sent, _, query)] = fake_api.writes
    assert sent == method
    assert query["fieldValidation"] == "Strict"
    assert query["fieldManager"] == manager


@needs_kubectl
async def test_kubectl_apply_needs_the_declared_parameter_to_skip_client_validation(
    kinds: list[ResourceKind], tmp_path: Path
) -> None:
    """The control: without `fieldValidation` kubectl wants the (protobuf) v2 schema instead."""
    api = FakeApiServer(kinds, declare_field_validation=False)
    runner, port = await start(api)
    try:
        (tmp_path / "object.yaml").write_text(CM_YAML)
        code, output = await Kubectl(tmp_path, port)("apply", "-f", str(tmp_path / "object.yaml"))
    finally:
        await runner.cleanup()
    assert code != 0
    assert "error validating data" in output
    assert api.writes == []
