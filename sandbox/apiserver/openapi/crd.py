"""A CRD version's schema turned into OpenAPI definitions, as apiextensions-apiserver builds them.

This follows `pkg/controller/openapi/builder` of apiextensions-apiserver: the structural
`openAPIV3Schema` is reduced to the keywords a structural schema keeps, `x-kubernetes-int-or-
string` nodes are unfolded into `anyOf: [integer, string]`, and for v2 the schema is made
palatable to old kubectl (`ToStructuralOpenAPIV2`: no junctors, no types on nullable or
preserve-unknown-fields nodes, no defaults). Then the "kube native" fields go on top:
`apiVersion` and `kind` from `TypeMeta`, `metadata` as a reference to `ObjectMeta` (replacing
whatever the CRD said about metadata), the same three on every `x-kubernetes-embedded-resource`
node, and `x-kubernetes-group-version-kind`. The list type is synthesised next to it. Both are
named `<reversed group>.<version>.<Kind>` (`org.apache.flink.v1beta1.FlinkDeployment`), which
is what `kubectl explain` and the validators look up.

`documents.py` calls `definitions` for every custom kind; `routes.py` names the operations'
payloads with `model_name`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.openapi.common import (
    EMBEDDED_API_VERSION_DOC,
    EMBEDDED_KIND_DOC,
    GVK_EXTENSION,
    LIST_META,
    LIST_METADATA_DOC,
    OBJECT_META,
    OBJECT_METADATA_DOC,
    type_meta_property,
)
from sandbox.apiserver.openapi.definitions import ref, wrap_ref

Schema = dict[str, Any]

PRESERVE = "x-kubernetes-preserve-unknown-fields"
EMBEDDED = "x-kubernetes-embedded-resource"
INT_OR_STRING = "x-kubernetes-int-or-string"

_KEPT = (
    "type",
    "description",
    "title",
    "default",
    "externalDocs",
    "example",
    "format",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "enum",
    "maxProperties",
    "minProperties",
    "required",
    "nullable",
    PRESERVE,
    EMBEDDED,
    INT_OR_STRING,
    "x-kubernetes-list-map-keys",
    "x-kubernetes-list-type",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
)
_ANY_VALUE = frozenset({"default", "example", "enum", "maximum", "minimum", "multipleOf"})
"""Kept whatever their value; every other keyword is dropped when false, empty or absent."""
_JUNCTORS = ("allOf", "anyOf", "oneOf")
_INT_OR_STRING_ANY_OF = [{"type": "integer"}, {"type": "string"}]


def model_name(group: str, version: str, kind: str) -> str:
    """`gvkToModelName`: the definition name of a custom kind."""
    return ".".join([*reversed(group.split(".")), version, kind])


def _empty(value: object) -> bool:
    """Go's omitempty for the bool, string and slice fields (numbers are pointers: kept)."""
    return value is False or (isinstance(value, str | list) and not value)


def _structural(node: Mapping[str, Any]) -> Schema:
    """Only what a structural schema keeps, with Go's omitempty applied to the scalars."""
    out: Schema = {}
    for key in _KEPT:
        value = node.get(key)
        if value is None or (key not in _ANY_VALUE and _empty(value)):
            continue
        out[key] = copy.deepcopy(value)
    properties = node.get("properties")
    if isinstance(properties, Mapping) and properties:
        out["properties"] = {name: _structural(child) for name, child in properties.items()}
    items = node.get("items")
    if isinstance(items, Mapping):
        out["items"] = _structural(items)
    additional = node.get("additionalProperties")
    if isinstance(additional, Mapping):
        out["additionalProperties"] = _structural(additional)
    elif isinstance(additional, bool):
        out["additionalProperties"] = additional
    for junctor in _JUNCTORS:
        branches = node.get(junctor)
        if isinstance(branches, list) and branches:
            out[junctor] = [_structural(branch) for branch in branches if isinstance(branch, dict)]
    negated = node.get("not")
    if isinstance(negated, Mapping):
        out["not"] = _structural(negated)
    return out


def _children(node: Schema) -> list[Schema]:
    """The structural children: properties, items, additionalProperties (not junctors)."""
    children = list(node.get("properties", {}).values())
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            children.append(node[key])
    return children


def _unfold(node: Schema) -> None:
    """`Structural.Unfold`: make `x-kubernetes-int-or-string` explicit as `anyOf`."""
    if node.get(INT_OR_STRING):
        any_of = node.get("anyOf")
        all_of = node.get("allOf") or [{}]
        if any_of != _INT_OR_STRING_ANY_OF and all_of[0].get("anyOf") != _INT_OR_STRING_ANY_OF:
            if any_of is None:
                node["anyOf"] = copy.deepcopy(_INT_OR_STRING_ANY_OF)
            else:
                node["allOf"] = [
                    {"anyOf": copy.deepcopy(_INT_OR_STRING_ANY_OF)},
                    *node.get("allOf", []),
                ]
    for child in _children(node):
        _unfold(child)


def _to_v2(node: Schema) -> None:
    """`ToStructuralOpenAPIV2`, parent before children as its visitor goes."""
    for junctor in (*_JUNCTORS, "not"):
        node.pop(junctor, None)
    if node.pop("nullable", False):
        node.pop("type", None)
        node.pop("items", None)
        node.pop("properties", None)
    if node.get(PRESERVE):
        node.pop("items", None)
        node.pop("properties", None)
    if node.get("type") == "array" and "items" not in node:
        node.pop("type")
    if node.get(PRESERVE) and node.get("type") == "object":
        node.pop("type")
    properties = node.get("properties", {})
    required = [
        name for name in node.get("required", []) if not properties.get(name, {}).get("nullable")
    ]
    additional = node.get("additionalProperties")
    if isinstance(additional, dict) and additional.get("nullable"):
        required = []
    if required:
        node["required"] = required
    else:
        node.pop("required", None)
    for child in _children(node):
        _to_v2(child)


def _prune_defaults(node: Schema) -> None:
    node.pop("default", None)
    for child in _children(node):
        _prune_defaults(child)


def _metadata(*, v2: bool) -> Schema:
    schema = {"$ref": ref(OBJECT_META, v2=v2), "description": OBJECT_METADATA_DOC}
    return schema if v2 else wrap_ref(schema)


def _add_embedded(node: Schema, *, v2: bool) -> None:
    """`addEmbeddedProperties`: embedded resources get type and object meta, bottom up."""
    for child in _children(node):
        _add_embedded(child, v2=v2)
    if v2 and node.get(PRESERVE):
        return
    if node.get(EMBEDDED):
        properties = node.setdefault("properties", {})
        properties["apiVersion"] = {
            **type_meta_property("apiVersion"),
            "description": EMBEDDED_API_VERSION_DOC,
        }
        properties["kind"] = {**type_meta_property("kind"), "description": EMBEDDED_KIND_DOC}
        properties["metadata"] = _metadata(v2=v2)
        required = node.setdefault("required", [])
        for name in ("kind", "apiVersion"):
            if name not in required:
                required.append(name)


def _gvk(kind: ResourceKind, name: str) -> list[dict[str, str]]:
    return [{"group": kind.group, "version": kind.version, "kind": name}]


def _object_schema(kind: ResourceKind, *, v2: bool) -> Schema:
    """`buildKubeNative` for one served version."""
    source = kind.schema
    if source is None:
        return {"type": "object", GVK_EXTENSION: _gvk(kind, kind.kind)}
    schema = _structural(source)
    _unfold(schema)
    if v2 and schema.get(PRESERVE):
        # kubectl would refuse unknown fields if properties were listed next to them.
        return {"type": "object", GVK_EXTENSION: _gvk(kind, kind.kind)}
    if v2:
        _to_v2(schema)
        _prune_defaults(schema)
    properties = schema.setdefault("properties", {})
    properties["metadata"] = _metadata(v2=v2)
    properties["apiVersion"] = type_meta_property("apiVersion")
    properties["kind"] = type_meta_property("kind")
    _add_embedded(schema, v2=v2)
    schema[GVK_EXTENSION] = _gvk(kind, kind.kind)
    return schema


def _list_schema(kind: ResourceKind, *, v2: bool) -> Schema:
    """`buildListSchema`: items of the kind, list metadata, type meta."""
    metadata: Schema = {"$ref": ref(LIST_META, v2=v2), "description": LIST_METADATA_DOC}
    return {
        "type": "object",
        "description": f"{kind.list_kind} is a list of {kind.kind}",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "items": {"$ref": ref(model_name(kind.group, kind.version, kind.kind), v2=v2)},
                "description": f"List of {kind.plural}. More info: https://git.k8s.io/community/"
                "contributors/devel/sig-architecture/api-conventions.md",
            },
            "metadata": metadata if v2 else wrap_ref(metadata),
            "apiVersion": type_meta_property("apiVersion"),
            "kind": type_meta_property("kind"),
        },
        GVK_EXTENSION: _gvk(kind, kind.list_kind),
    }


def definitions(kind: ResourceKind, *, v2: bool) -> dict[str, Schema]:
    """The object and list definitions of one served version of a custom kind, by name."""
    return {
        model_name(kind.group, kind.version, kind.kind): _object_schema(kind, v2=v2),
        model_name(kind.group, kind.version, kind.list_kind): _list_schema(kind, v2=v2),
    }
