"""Whether an openAPIV3Schema is structural, with the apiserver's error list for one that isn't.

A CRD in `apiextensions.k8s.io/v1` must have a structural schema: every node the schema
specifies has a type, and value validation (`allOf`, `anyOf`, `oneOf`, `not`) only
restricts what the structural part already describes, never adds types or fields. Pruning,
defaulting and server-side apply all rely on that. This module ports
`pkg/apiserver/schema` (`NewStructural`, `ValidateStructural`, its completeness check) and
`check_structural` assembles everything the apiserver runs on one version's schema, in its
order: the root rules and the per-node OpenAPI rules (`openapi.py`), the structural rules
here, then the defaults (`defaults.check_defaults`). `crd.check_crd` calls it per version.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Final

from sandbox.apiserver.schema import defaults, nodes, openapi
from sandbox.apiserver.schema.field import (
    FieldError,
    child,
    forbidden,
    index,
    invalid,
    key,
    required,
)
from sandbox.apiserver.schema.nodes import JUNCTORS, Schema
from sandbox.apiserver.schema.regexes import GoRegexError, compile_go

DEFAULT_PATH: Final = "spec.validation.openAPIV3Schema"


class _Level(Enum):
    ROOT = "at the root"
    ITEM = "for specified array items"
    FIELD = "for specified object fields"


# Keys that may appear in a nested value validation without making it non-structural.
_NESTED_FORBIDDEN: Final = [
    ("type", "must be empty to be structural"),
    ("default", "must be undefined to be structural"),
    ("title", "must be empty to be structural"),
    ("description", "must be empty to be structural"),
    ("nullable", "must be false to be structural"),
    ("x-kubernetes-preserve-unknown-fields", "must be false to be structural"),
    ("x-kubernetes-embedded-resource", "must be false to be structural"),
    ("x-kubernetes-int-or-string", "must be false to be structural"),
    ("x-kubernetes-list-map-keys", "must be empty to be structural"),
    ("x-kubernetes-list-type", "must be undefined to be structural"),
    ("x-kubernetes-map-type", "must be undefined to be structural"),
    ("x-kubernetes-validations", "must be empty to be structural"),
]
_UNSUPPORTED: Final = [
    ("id", "id"),
    ("$schema", "schema"),
    ("$ref", "$ref"),
    ("patternProperties", "patternProperties"),
    ("dependencies", "dependencies"),
    ("additionalItems", "additionalItems"),
    ("definitions", "definitions"),
]


def check_structural(
    schema: Mapping[str, object], *, path: str = DEFAULT_PATH, status_enabled: bool = False
) -> list[str]:
    """All errors the apiserver reports for one version's schema, as `field: message` strings.

    Args:
        schema: the `openAPIV3Schema` as decoded JSON.
        path: where the schema sits in the CRD; `crd.check_crd` passes
            `spec.versions[i].schema.openAPIV3Schema` when versions differ.
        status_enabled: whether the version has a status subresource, which restricts the root.
    """
    return [str(e) for e in schema_errors(schema, path=path, status_enabled=status_enabled)]


def schema_errors(schema: Schema, *, path: str, status_enabled: bool) -> list[FieldError]:
    """`check_structural` as `FieldError`s (`validateCustomResourceDefinitionValidation`)."""
    errs = openapi.check_root(schema, path, status_enabled=status_enabled)
    conversion = conversion_error(schema)
    if conversion is None:
        # Defaults are only checked once the schema is known to be structural.
        errs.extend(validate_structural(schema, path) or defaults.check_defaults(schema, path))
    errs.extend(openapi.check_nodes(schema, path))
    # NewStructural's complaints overlap the OpenAPI ones, so they only show on their own.
    if not errs and conversion is not None:
        errs.append(invalid(path, "", detail=conversion))
    return errs


def conversion_error(schema: Schema) -> str | None:
    """Why `NewStructural` cannot even convert the schema, or `None` (the first reason only)."""
    for name, label in _UNSUPPORTED:
        value = schema.get(name)
        if name == "additionalItems":
            unsupported = value is not None
        elif name == "$ref":
            unsupported = isinstance(value, str) and value != ""
        else:
            unsupported = nodes.is_set(schema, name)
        if unsupported:
            return f"OpenAPIV3Schema '{label}' is not supported"
    negated = nodes.negated(schema)
    nested = ([negated] if negated is not None else []) + [
        sub for junctor in JUNCTORS for sub in nodes.subschemas(schema, junctor)
    ]
    for sub in nested:
        if (error := conversion_error(sub)) is not None:
            return error
    if schema.get("x-kubernetes-preserve-unknown-fields") is False:
        return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined"
    if isinstance(schema.get("items"), list) and schema["items"]:
        return "OpenAPIV3Schema 'items' must be a schema, but is an array"
    children: list[Schema | None] = [nodes.items(schema), nodes.additional_schema(schema)]
    for node in children + list(nodes.properties(schema).values()):
        if node is not None and (error := conversion_error(node)) is not None:
            return error
    return None


def validate_structural(schema: Schema, path: str) -> list[FieldError]:
    """`ValidateStructural`: the invariants plus completeness, sorted as Go sorts them."""
    errs: list[FieldError] = []
    _invariants(schema, _Level.ROOT, path=path, errs=errs)
    _value_completeness(schema, schema, s_path=path, v_path=path, errs=errs)
    return sorted(errs, key=str)


def _invariants(schema: Schema, level: _Level, *, path: str, errs: list[FieldError]) -> None:
    kind = nodes.kind(schema)
    item = nodes.items(schema)
    if kind == "array" and item is None:
        errs.append(required(child(path, "items"), "must be specified"))
    if item is not None:
        _invariants(item, _Level.ITEM, path=child(path, "items"), errs=errs)
    props = nodes.properties(schema)
    for name, prop in props.items():
        _invariants(prop, _Level.FIELD, path=key(child(path, "properties"), name), errs=errs)
    more = nodes.additional(schema)
    if more is not None:
        if level is _Level.ROOT:
            errs.append(
                forbidden(child(path, "additionalProperties"), "must not be used at the root")
            )
        if isinstance(more, Mapping):
            _invariants(more, _Level.FIELD, path=child(path, "additionalProperties"), errs=errs)

    is_embedded, preserves = nodes.embedded(schema), nodes.preserves_unknown(schema)
    if nodes.int_or_string(schema):
        detail = "must be false if x-kubernetes-int-or-string is true"
        if preserves:
            errs.append(
                invalid(child(path, "x-kubernetes-preserve-unknown-fields"), True, detail=detail)
            )
        if is_embedded:
            errs.append(invalid(child(path, "x-kubernetes-embedded-resource"), True, detail=detail))
    _value_validation(
        schema,
        skip_any_of=_is_int_or_string_any_of(schema),
        skip_first_all_of_any_of=_is_int_or_string_all_of(schema),
        path=path,
        errs=errs,
    )

    if is_embedded and kind != "object":
        detail = "must be object if x-kubernetes-embedded-resource is true"
        if kind:
            errs.append(invalid(child(path, "type"), kind, detail=detail))
        else:
            errs.append(required(child(path, "type"), detail))
    elif not kind and not nodes.int_or_string(schema) and not preserves:
        errs.append(required(child(path, "type"), f"must not be empty {level.value}"))
    if is_embedded and more is not None:
        detail = "must not be used if x-kubernetes-embedded-resource is set"
        errs.append(forbidden(child(path, "additionalProperties"), detail))
    if level is _Level.ROOT and kind and kind != "object":
        errs.append(invalid(child(path, "type"), kind, detail="must be object at the root"))

    check_metadata = level is _Level.ROOT or is_embedded
    for name in ("kind", "apiVersion"):
        if name in props and check_metadata and nodes.kind(props[name]) != "string":
            prop_path = child(key(child(path, "properties"), name), "type")
            errs.append(invalid(prop_path, nodes.kind(props[name]), detail="must be string"))
    if "metadata" in props:
        meta_path = key(child(path, "properties"), "metadata")
        meta = props["metadata"]
        if check_metadata and nodes.kind(meta) != "object":
            errs.append(
                invalid(child(meta_path, "type"), nodes.kind(meta), detail="must be object")
            )
        if level is _Level.ROOT and _restricts_metadata(meta):
            detail = "must not specify anything other than name and generateName,"
            detail += " but metadata is implicitly specified"
            errs.append(forbidden(meta_path, detail))
    if is_embedded and not preserves and not props:
        detail = "must not be empty if x-kubernetes-embedded-resource is true"
        detail += " without x-kubernetes-preserve-unknown-fields"
        errs.append(required(child(path, "properties"), detail))


def _restricts_metadata(meta: Schema) -> bool:
    """Whether a root `metadata` schema says more than `type: object` and name rules."""
    props = nodes.properties(meta)
    names_only = set(props) <= {"name", "generateName"}
    for name in meta:
        if name in ("type", "default") or (name == "properties" and names_only):
            continue
        if nodes.is_set(meta, name):
            return True
    return False


def _only_type(schema: Schema, kind: str) -> bool:
    return nodes.kind(schema) == kind and not any(
        nodes.is_set(schema, name) for name in schema if name != "type"
    )


def _is_int_or_string_any_of(schema: Schema) -> bool:
    """The `anyOf: [{type: integer}, {type: string}]` shape int-or-string may use."""
    options = nodes.subschemas(schema, "anyOf")
    return (
        len(options) == 2 and _only_type(options[0], "integer") and _only_type(options[1], "string")
    )


def _is_int_or_string_all_of(schema: Schema) -> bool:
    options = nodes.subschemas(schema, "allOf")
    return bool(options) and _is_int_or_string_any_of(options[0])


def _value_validation(
    schema: Schema,
    *,
    skip_any_of: bool,
    skip_first_all_of_any_of: bool,
    path: str,
    errs: list[FieldError],
) -> None:
    if not skip_any_of:
        for i, sub in enumerate(nodes.subschemas(schema, "anyOf")):
            _nested(sub, skip_any_of=False, path=index(child(path, "anyOf"), i), errs=errs)
    for i, sub in enumerate(nodes.subschemas(schema, "allOf")):
        skip = skip_first_all_of_any_of and i == 0
        _nested(sub, skip_any_of=skip, path=index(child(path, "allOf"), i), errs=errs)
    for i, sub in enumerate(nodes.subschemas(schema, "oneOf")):
        _nested(sub, skip_any_of=False, path=index(child(path, "oneOf"), i), errs=errs)
    negated = nodes.negated(schema)
    if negated is not None:
        _nested(negated, skip_any_of=False, path=child(path, "not"), errs=errs)
    pattern = nodes.text(schema, "pattern")
    if pattern:
        try:
            compile_go(pattern)
        except GoRegexError as exc:
            detail = f"must be a valid regular expression, but isn't: {exc}"
            errs.append(invalid(child(path, "pattern"), pattern, detail=detail))


def _nested(schema: Schema, *, skip_any_of: bool, path: str, errs: list[FieldError]) -> None:
    """A schema under a junctor: it may validate values but not specify anything."""
    _value_validation(
        schema, skip_any_of=skip_any_of, skip_first_all_of_any_of=False, path=path, errs=errs
    )
    item = nodes.items(schema)
    if item is not None:
        _nested(item, skip_any_of=False, path=child(path, "items"), errs=errs)
    props = nodes.properties(schema)
    for name, prop in props.items():
        _nested(prop, skip_any_of=False, path=key(child(path, "properties"), name), errs=errs)
    for name, detail in _NESTED_FORBIDDEN:
        present = nodes.has_default(schema) if name == "default" else nodes.is_set(schema, name)
        if present:
            errs.append(forbidden(child(path, name), detail))
    # `additionalProperties: false` converts to nothing here; true or a schema do not.
    if nodes.additional(schema) not in (None, False):
        detail = "must be undefined to be structural"
        errs.append(forbidden(child(path, "additionalProperties"), detail))
    if "metadata" in props:
        detail = "must not be specified in a nested context"
        errs.append(forbidden(key(child(path, "properties"), "metadata"), detail))


def _because(s_path: str, v_path: str) -> FieldError:
    return required(s_path, f"because it is defined in {v_path}")


def _value_completeness(
    value: Schema, structural: Schema | None, *, s_path: str, v_path: str, errs: list[FieldError]
) -> None:
    """Value validations may only mention fields and items the structural part defines.

    As in Go, this starts from the root's junctors only and follows them down; junctors
    below the root are reached only through an enclosing junctor.
    """
    if structural is None:
        errs.append(_because(s_path, v_path))
        return
    negated = nodes.negated(value)
    if negated is not None:
        _nested_completeness(
            negated, structural, s_path=s_path, v_path=child(v_path, "not"), errs=errs
        )
    for junctor in ("allOf", "anyOf", "oneOf"):
        for i, sub in enumerate(nodes.subschemas(value, junctor)):
            _nested_completeness(
                sub, structural, s_path=s_path, v_path=index(child(v_path, junctor), i), errs=errs
            )


def _nested_completeness(
    value: Schema, structural: Schema | None, *, s_path: str, v_path: str, errs: list[FieldError]
) -> None:
    if structural is None:
        errs.append(_because(s_path, v_path))
        return
    _value_completeness(value, structural, s_path=s_path, v_path=v_path, errs=errs)
    item = nodes.items(value)
    if item is not None:
        item_path = child(s_path, "items")
        _nested_completeness(
            item,
            nodes.items(structural),
            s_path=item_path,
            v_path=child(v_path, "items"),
            errs=errs,
        )
    known = nodes.properties(structural)
    for name, prop in nodes.properties(value).items():
        s_prop_path = key(child(s_path, "properties"), name)
        v_prop_path = key(child(v_path, "properties"), name)
        if name in known:
            _nested_completeness(
                prop, known[name], s_path=s_prop_path, v_path=v_prop_path, errs=errs
            )
        else:
            errs.append(_because(s_prop_path, v_prop_path))
