"""The per-node OpenAPI rules a CRD schema must pass, apart from being structural.

This is `ValidateCustomResourceDefinitionOpenAPISchema` and its `specStandardValidatorV3`
from apiextensions-apiserver's `pkg/apis/apiextensions/validation`: known type names, the
JSON-Schema keywords Kubernetes refuses (`$ref`, `definitions`, `uniqueItems: true`, …),
where defaults may not appear (top-level metadata, maps under metadata), `properties`
versus `additionalProperties`, the `x-kubernetes-list-type` / `-map-type` /
`-list-map-keys` rules and the static checks of `x-kubernetes-validations` (compiling the
CEL is not emulated). `structural.check_structural` calls it after the structural rules,
in the apiserver's order, so that a CRD gets the same error list a real cluster gives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from sandbox.apiserver.schema import nodes
from sandbox.apiserver.schema.field import (
    FieldError,
    child,
    forbidden,
    index,
    invalid,
    key,
    not_supported,
    required,
)
from sandbox.apiserver.schema.gojson import go_list
from sandbox.apiserver.schema.nodes import Schema

OPENAPI_TYPES: Final = ["array", "boolean", "integer", "number", "object", "string"]
_META_FIELDS: Final = {"metadata", "kind", "apiVersion"}
_RULE_REASONS: Final = [
    "FieldValueDuplicate",
    "FieldValueForbidden",
    "FieldValueInvalid",
    "FieldValueRequired",
]
_NEWLINES: Final = re.compile(r"[\n\r]+")

# JSONSchemaProps fields in Go declaration order: the status check below reports the first
# offending one, so the order decides which error a user sees.
# fmt: off
_FIELD_ORDER: Final = (
    "id", "$schema", "$ref", "description", "type", "nullable", "format", "title", "default",
    "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength",
    "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties",
    "minProperties", "required", "items", "allOf", "oneOf", "anyOf", "not", "properties",
    "additionalProperties", "patternProperties", "dependencies", "additionalItems", "definitions",
    "externalDocs", "example", "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys",
    "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations",
)
_ALLOWED_AT_STATUS_ROOT: Final = (
    "Description", "Type", "Format", "Title", "Maximum", "ExclusiveMaximum", "Minimum",
    "ExclusiveMinimum", "MaxLength", "MinLength", "Pattern", "MaxItems", "MinItems", "UniqueItems",
    "MultipleOf", "Required", "Items", "Properties", "ExternalDocs", "Example",
    "XPreserveUnknownFields", "XValidations",
)
# fmt: on


def _go_name(json_name: str) -> str:
    """The Go field name of a JSONSchemaProps JSON key, as Go's messages print it."""
    special = {"id": "ID", "$schema": "Schema", "$ref": "Ref"}
    if json_name in special:
        return special[json_name]
    if json_name.startswith("x-kubernetes-"):
        return "X" + "".join(
            p.capitalize() for p in json_name.removeprefix("x-kubernetes-").split("-")
        )
    return json_name[0].upper() + json_name[1:]


@dataclass(frozen=True)
class _Scope:
    """What the walk has learnt on the way down (Go's `specStandardValidator` clones)."""

    allow_defaults: bool = True
    disallow_reason: str = ""
    inside_meta: bool = False

    def without_defaults(self, reason: str) -> _Scope:
        return replace(self, allow_defaults=False, disallow_reason=reason)


def check_root(schema: Schema, path: str, *, status_enabled: bool) -> list[FieldError]:
    """Rules only the root obeys: never nullable, and little else besides types if status is on.

    With a status subresource, only the fields that still mean something once
    `properties[status]` is extracted as the status schema are allowed at the root.
    """
    errs: list[FieldError] = []
    if status_enabled:
        for json_name in _FIELD_ORDER:
            if not nodes.is_set(schema, json_name):
                continue
            go_name = _go_name(json_name)
            if go_name == "Type":
                if nodes.kind(schema) != "object":
                    detail = 'only "object" is allowed as the type at the root of the schema'
                    detail += " if the status subresource is enabled"
                    errs.append(invalid(child(path, "type"), nodes.kind(schema), detail=detail))
                    break
                continue
            if go_name not in _ALLOWED_AT_STATUS_ROOT:
                detail = (
                    f"only {go_list(list(_ALLOWED_AT_STATUS_ROOT))} fields are allowed at the root"
                )
                detail += " of the schema if the status subresource is enabled"
                errs.append(invalid(path, dict(schema), detail=detail))
                break
    if nodes.flag(schema, "nullable"):
        errs.append(forbidden(child(path, "nullable"), "nullable cannot be true at the root"))
    return errs


def check_nodes(schema: Schema, path: str) -> list[FieldError]:
    """Walk every node of the schema, including those under junctors and `definitions`."""
    errs: list[FieldError] = []
    _node(schema, path, scope=_Scope(), is_root=True, errs=errs)
    return errs


def _standard(schema: Schema, path: str, *, scope: _Scope) -> list[FieldError]:
    errs: list[FieldError] = []
    kind = nodes.kind(schema)
    if kind and kind not in OPENAPI_TYPES:
        errs.append(not_supported(child(path, "type"), kind, supported=OPENAPI_TYPES))
    if nodes.has_default(schema) and not scope.allow_defaults:
        detail = "must not be set" + (f" {scope.disallow_reason}" if scope.disallow_reason else "")
        errs.append(forbidden(child(path, "default"), detail))
    if nodes.is_set(schema, "id"):
        errs.append(forbidden(child(path, "id"), "id is not supported"))
    if schema.get("additionalItems") is not None:
        errs.append(forbidden(child(path, "additionalItems"), "additionalItems is not supported"))
    for name in ("patternProperties", "definitions"):
        if nodes.is_set(schema, name):
            errs.append(forbidden(child(path, name), f"{name} is not supported"))
    if schema.get("dependencies") is not None:
        errs.append(forbidden(child(path, "dependencies"), "dependencies is not supported"))
    if schema.get("$ref") is not None:
        errs.append(forbidden(child(path, "$ref"), "$ref is not supported"))
    if kind == "null":
        detail = "type cannot be set to null, use nullable as an alternative"
        errs.append(forbidden(child(path, "type"), detail))
    if isinstance(schema.get("items"), list) and schema["items"]:
        detail = "items must be a schema object and not an array"
        errs.append(forbidden(child(path, "items"), detail))
    if scope.inside_meta and nodes.embedded(schema):
        detail = "must not be used inside of resource meta"
        errs.append(forbidden(child(path, "x-kubernetes-embedded-resource"), detail))
    return errs


def _node(
    schema: Schema, path: str, *, scope: _Scope, is_root: bool, errs: list[FieldError]
) -> None:
    errs.extend(_standard(schema, path, scope=scope))
    if nodes.flag(schema, "uniqueItems"):
        detail = "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"
        errs.append(forbidden(child(path, "uniqueItems"), detail))
    more = nodes.additional(schema)
    if more is not None:
        # `additionalProperties: true` next to properties is tolerated; a schema or false is not.
        if nodes.properties(schema) and more is not True:
            detail = "additionalProperties and properties are mutual exclusive"
            errs.append(forbidden(child(path, "additionalProperties"), detail))
        if isinstance(more, Mapping):
            sub = scope
            if scope.inside_meta:
                sub = scope.without_defaults(
                    "inside additionalProperties applying to object metadata"
                )
            _node(more, child(path, "additionalProperties"), scope=sub, is_root=False, errs=errs)
    for name, prop in nodes.properties(schema).items():
        sub = scope
        if (is_root or nodes.embedded(schema)) and name in _META_FIELDS:
            sub = replace(sub, inside_meta=True)
            if is_root:
                sub = sub.without_defaults(f"in top-level {name}")
        _node(prop, key(child(path, "properties"), name), scope=sub, is_root=False, errs=errs)
    negated = nodes.negated(schema)
    if negated is not None:
        _node(negated, child(path, "not"), scope=scope, is_root=False, errs=errs)
    for junctor in ("allOf", "oneOf", "anyOf"):
        for i, sub_schema in enumerate(nodes.subschemas(schema, junctor)):
            _node(sub_schema, index(child(path, junctor), i), scope=scope, is_root=False, errs=errs)
    for group in ("definitions", "dependencies"):
        value = schema.get(group)
        for name, sub_schema in (value or {}).items() if isinstance(value, Mapping) else ():
            if isinstance(sub_schema, Mapping):
                _node(
                    sub_schema, key(child(path, group), name), scope=scope, is_root=False, errs=errs
                )
    item_value = schema.get("items")
    if isinstance(item_value, Mapping):
        _node(item_value, child(path, "items"), scope=scope, is_root=False, errs=errs)
    elif isinstance(item_value, list):
        for i, sub_schema in enumerate(item_value):
            if isinstance(sub_schema, Mapping):
                _node(
                    sub_schema,
                    index(child(path, "items"), i),
                    scope=scope,
                    is_root=False,
                    errs=errs,
                )
    if schema.get("x-kubernetes-preserve-unknown-fields") is False:
        errs.append(
            invalid(
                child(path, "x-kubernetes-preserve-unknown-fields"),
                False,
                detail="must be true or undefined",
            )
        )
    errs.extend(_topology(schema, path))
    errs.extend(_map_list_keys(schema, path))
    errs.extend(_rules(schema, path))


def _type_must_be(schema: Schema, path: str, *, wanted: str, because: str) -> list[FieldError]:
    kind = nodes.kind(schema)
    detail = f"must be {wanted} if {because} is specified"
    if kind == wanted:
        return []
    if not kind:
        return [required(child(path, "type"), detail)]
    return [invalid(child(path, "type"), kind, detail=detail)]


def _topology(schema: Schema, path: str) -> list[FieldError]:
    """`x-kubernetes-map-type`, `-list-type` and `-list-map-keys`."""
    errs: list[FieldError] = []
    map_type = schema.get("x-kubernetes-map-type")
    list_type = schema.get("x-kubernetes-list-type")
    item = nodes.items(schema)
    if map_type is not None:
        errs.extend(_type_must_be(schema, path, wanted="object", because="x-kubernetes-map-type"))
        if map_type not in ("atomic", "granular"):
            errs.append(
                not_supported(
                    child(path, "x-kubernetes-map-type"), map_type, supported=["atomic", "granular"]
                )
            )
    if list_type is not None and nodes.kind(schema) != "array":
        errs.extend(_type_must_be(schema, path, wanted="array", because="x-kubernetes-list-type"))
    elif list_type == "set" and item is not None:
        detail = "must be atomic as item of a list with x-kubernetes-list-type=set"
        item_list = item.get("x-kubernetes-list-type")
        if nodes.kind(item) == "array" and item_list is not None and item_list != "atomic":
            errs.append(
                invalid(child(path, "items", "x-kubernetes-list-type"), item_list, detail=detail)
            )
        if nodes.kind(item) == "object" and item.get("x-kubernetes-map-type") != "atomic":
            # Go reports the item's list type here, not its map type: kept for fidelity.
            errs.append(
                invalid(child(path, "items", "x-kubernetes-map-type"), item_list, detail=detail)
            )
    if list_type is not None and list_type not in ("atomic", "set", "map"):
        errs.append(
            not_supported(
                child(path, "x-kubernetes-list-type"), list_type, supported=["atomic", "set", "map"]
            )
        )
    keys = nodes.list_map_keys(schema)
    if keys:
        detail = "must be map if x-kubernetes-list-map-keys is non-empty"
        if list_type is None:
            errs.append(required(child(path, "x-kubernetes-list-type"), detail))
        elif list_type != "map":
            errs.append(invalid(child(path, "x-kubernetes-list-type"), list_type, detail=detail))
    if list_type == "map":
        errs.extend(_list_map(schema, path, keys=keys))
    return errs


def _list_map(schema: Schema, path: str, *, keys: list[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    if not keys:
        detail = "must not be empty if x-kubernetes-list-type is map"
        errs.append(required(child(path, "x-kubernetes-list-map-keys"), detail))
    raw_items = schema.get("items")
    if raw_items is None:
        detail = "must have a schema if x-kubernetes-list-type is map"
        errs.append(required(child(path, "items"), detail))
        return errs
    if not isinstance(raw_items, Mapping):
        detail = "must only have a single schema if x-kubernetes-list-type is map"
        errs.append(invalid(child(path, "items"), raw_items, detail=detail))
        return errs
    item_kind = nodes.kind(raw_items)
    if item_kind != "object":
        detail = "must be object if parent array's x-kubernetes-list-type is map"
        errs.append(invalid(child(path, "items", "type"), item_kind, detail=detail))
        return errs
    item_props = nodes.properties(raw_items)
    seen: set[str] = set()
    for name in keys:
        if name in item_props:
            if nodes.kind(item_props[name]) in ("array", "object"):
                detail = "must be a scalar type if parent array's x-kubernetes-list-type is map"
                prop_path = child(key(child(path, "items", "properties"), name), "type")
                errs.append(invalid(prop_path, item_kind, detail=detail))
        else:
            detail = "entries must all be names of item properties"
            errs.append(invalid(child(path, "x-kubernetes-list-map-keys"), keys, detail=detail))
        if name in seen:
            detail = "must not contain duplicate entries"
            errs.append(invalid(child(path, "x-kubernetes-list-map-keys"), keys, detail=detail))
        seen.add(name)
    return errs


def _map_list_keys(schema: Schema, path: str) -> list[FieldError]:
    """Set and map list items are never null; map keys are required or defaulted."""
    item = nodes.items(schema)
    list_type = schema.get("x-kubernetes-list-type")
    if item is None or list_type not in ("set", "map"):
        return []
    errs: list[FieldError] = []
    if nodes.flag(item, "nullable"):
        detail = f"cannot be nullable when x-kubernetes-list-type is {list_type}"
        errs.append(forbidden(child(path, "items", "nullable"), detail))
    if list_type != "map":
        return errs
    needed = set(nodes.required_names(item))
    item_props = nodes.properties(item)
    for name in nodes.list_map_keys(schema):
        if name not in item_props:
            continue  # reported by _list_map
        prop_path = key(child(path, "items", "properties"), name)
        if name not in needed and not nodes.has_default(item_props[name]):
            detail = "this property is in x-kubernetes-list-map-keys, so it must have a default"
            errs.append(
                required(child(prop_path, "default"), detail + " or be a required property")
            )
        if nodes.flag(item_props[name], "nullable"):
            detail = "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"
            errs.append(forbidden(child(prop_path, "nullable"), detail))
    return errs


def _rules(schema: Schema, path: str) -> list[FieldError]:
    """The static checks of `x-kubernetes-validations`; CEL compilation is not emulated."""
    value = schema.get("x-kubernetes-validations")
    if not isinstance(value, list):
        return []
    errs: list[FieldError] = []
    for i, raw in enumerate(value):
        rule: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        at = index(child(path, "x-kubernetes-validations"), i)
        text, message = str(rule.get("rule") or ""), str(rule.get("message") or "")
        expression, field_path = (
            str(rule.get("messageExpression") or ""),
            str(rule.get("fieldPath") or ""),
        )
        if not text.strip():
            errs.append(required(child(at, "rule"), "rule is not specified"))
        elif message and not message.strip():
            errs.append(
                invalid(child(at, "message"), message, detail="must be non-empty if specified")
            )
        elif _NEWLINES.search(message.strip()):
            errs.append(
                invalid(child(at, "message"), message, detail="must not contain line breaks")
            )
        elif _NEWLINES.search(text.strip()) and not message.strip():
            detail = "message must be specified if rule contains line breaks"
            errs.append(required(child(at, "message"), detail))
        if expression and not expression.strip():
            detail = "messageExpression must be non-empty if specified"
            errs.append(required(child(at, "messageExpression"), detail))
        reason = rule.get("reason")
        if reason is not None and reason not in _RULE_REASONS:
            errs.append(not_supported(child(at, "reason"), reason, supported=_RULE_REASONS))
        if field_path and not field_path.strip():
            errs.append(
                invalid(child(at, "fieldPath"), field_path, detail="must be non-empty if specified")
            )
        if _NEWLINES.search(field_path):
            errs.append(
                invalid(child(at, "fieldPath"), field_path, detail="must not contain line breaks")
            )
    return errs
