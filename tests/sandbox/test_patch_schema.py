"""FieldSchema derives list and map semantics as kube-openapi's schemaconv does."""

from typing import Any

import pytest

from sandbox.apiserver.patch import FieldSchema
from sandbox.apiserver.patch.schema import PatchMeta


def walk(schema: FieldSchema, *steps: str) -> FieldSchema:
    node = schema
    for step in steps:
        if step == "[]":
            node = node.items()
        else:
            sub = node.field(step)
            assert sub is not None, step
            node = sub
    return node


DEPLOYMENT = FieldSchema.builtin("io.k8s.api.apps.v1.Deployment")
POD_SPEC = ("spec", "template", "spec")


@pytest.mark.parametrize(
    ("steps", "list_type", "keys"),
    [
        pytest.param((*POD_SPEC, "containers"), "map", ("name",), id="containers"),
        pytest.param(
            (*POD_SPEC, "containers", "[]", "ports"),
            "map",
            ("containerPort", "protocol"),
            id="ports",
        ),
        pytest.param((*POD_SPEC, "containers", "[]", "env"), "map", ("name",), id="env"),
        pytest.param((*POD_SPEC, "containers", "[]", "args"), "atomic", (), id="args"),
        pytest.param((*POD_SPEC, "tolerations"), "atomic", (), id="tolerations"),
        pytest.param(("metadata", "finalizers"), "set", (), id="finalizers"),
        pytest.param(("metadata", "ownerReferences"), "map", ("uid",), id="ownerReferences"),
        pytest.param(("metadata", "managedFields"), "atomic", (), id="managedFields"),
    ],
)
def test_builtin_lists_have_the_servers_list_types(
    steps: tuple[str, ...], list_type: str, keys: tuple[str, ...]
) -> None:
    node = walk(DEPLOYMENT, *steps)
    assert node.is_list
    assert (node.list_type, node.list_keys) == (list_type, keys)


def test_builtin_maps_scalars_and_key_defaults() -> None:
    assert walk(DEPLOYMENT, "spec", "selector").map_atomic
    assert not walk(DEPLOYMENT, "metadata", "labels").map_atomic
    assert walk(DEPLOYMENT, *POD_SPEC, "nodeSelector").map_atomic
    strategy = walk(DEPLOYMENT, "spec", "strategy", "rollingUpdate", "maxSurge")
    assert strategy.scalar == "untyped"
    assert not strategy.is_map
    limits = walk(DEPLOYMENT, *POD_SPEC, "containers", "[]", "resources", "limits", "cpu")
    assert limits.scalar == "untyped"
    assert walk(DEPLOYMENT, "spec", "replicas").scalar == "numeric"
    ports = walk(DEPLOYMENT, *POD_SPEC, "containers", "[]", "ports", "[]")
    assert ports.key_defaults == {"protocol": "TCP"}
    assert DEPLOYMENT.field("nonsense") is None
    assert walk(DEPLOYMENT, "metadata", "labels").field("anything") is not None


@pytest.mark.parametrize(
    ("steps", "name", "meta"),
    [
        pytest.param(POD_SPEC, "containers", PatchMeta(("merge",), "name"), id="containers"),
        pytest.param(POD_SPEC, "volumes", PatchMeta(("merge", "retainKeys"), "name"), id="volumes"),
        pytest.param(("spec",), "strategy", PatchMeta(("retainKeys",), ""), id="strategy"),
        pytest.param(POD_SPEC, "tolerations", PatchMeta(), id="tolerations"),
        pytest.param(("metadata",), "finalizers", PatchMeta(("merge",), ""), id="finalizers"),
        pytest.param(("spec",), "unknown", PatchMeta(known=False), id="undeclared"),
    ],
)
def test_builtin_patch_metadata(steps: tuple[str, ...], name: str, meta: PatchMeta) -> None:
    assert walk(DEPLOYMENT, *steps).patch_meta(name) == meta


def crd_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "ports": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name", "protocol"],
                        "items": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string"},
                                "protocol": {"type": "string", "default": "TCP"},
                                "port": {"type": "integer"},
                            },
                        },
                    },
                    "tags": {
                        "type": "array",
                        "x-kubernetes-list-type": "set",
                        "items": {"type": "string"},
                    },
                    "args": {"type": "array", "items": {"type": "string"}},
                    "selector": {"type": "object", "x-kubernetes-map-type": "atomic"},
                    "config": {"type": "object", "additionalProperties": {"type": "string"}},
                    "podTemplate": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                    "size": {"x-kubernetes-int-or-string": True},
                },
            },
            "status": {"type": "object"},
        },
    }


def test_custom_schema_list_and_map_types() -> None:
    schema = FieldSchema.custom(crd_schema())
    ports = walk(schema, "spec", "ports")
    assert (ports.list_type, ports.list_keys) == ("map", ("name", "protocol"))
    assert ports.items().key_defaults == {"protocol": "TCP"}
    assert walk(schema, "spec", "tags").list_type == "set"
    assert walk(schema, "spec", "args").list_type == "atomic"
    assert walk(schema, "spec", "selector").map_atomic
    assert walk(schema, "spec", "config").field("any") is not None
    assert walk(schema, "spec").field("undeclared") is None
    anything = walk(schema, "spec", "podTemplate", "spec", "containers")
    assert anything.is_list
    assert anything.list_type == "atomic"
    assert walk(schema, "spec", "size").scalar == "untyped"
    assert walk(schema, "metadata", "finalizers").list_type == "set"
    assert walk(schema, "apiVersion").scalar == "string"


@pytest.mark.parametrize(
    ("schema", "subresource", "reset"),
    [
        pytest.param(DEPLOYMENT, "", {"status"}, id="builtin-main"),
        pytest.param(DEPLOYMENT, "status", {"spec"}, id="builtin-status"),
        pytest.param(DEPLOYMENT, "scale", set(), id="builtin-scale"),
        pytest.param(FieldSchema.custom(crd_schema()), "", {"status"}, id="custom-with-status"),
        pytest.param(
            FieldSchema.custom(crd_schema(), status_subresource=False),
            "",
            set(),
            id="custom-without-status-subresource",
        ),
    ],
)
def test_reset_fields_follow_the_endpoint(
    schema: FieldSchema, subresource: str, reset: set[str]
) -> None:
    assert schema.reset_fields(subresource) == reset
