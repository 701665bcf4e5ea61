"""TypeMeta and ObjectMeta of resources embedded in a custom resource.

A schema node with `x-kubernetes-embedded-resource: true` holds a whole Kubernetes object
(a pod template, say). The apiserver treats its `apiVersion`, `kind` and `metadata` as it
treats a top-level object's: they are never pruned by the schema, `metadata` is decoded
into a real `ObjectMeta` (which drops unknown fields, `coerce`) and validated as one
(`check_embedded`). This ports `pkg/apiserver/schema/objectmeta` for the nodes below the
root; the root object's own metadata is the REST layer's business. ObjectMeta validation
covers names, namespace, generation, labels and annotations; owner references, finalizers
and managed fields inside embedded objects are decoded but not validated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sandbox.apiserver.schema import names, nodes
from sandbox.apiserver.schema.field import (
    FieldError,
    child,
    index,
    invalid,
    key,
    required,
    too_long,
)
from sandbox.apiserver.schema.nodes import Schema

# ObjectMeta's JSON fields and the Go type each decodes into.
OBJECT_META_FIELDS: Final = {
    "name": "string",
    "generateName": "string",
    "namespace": "string",
    "selfLink": "string",
    "uid": "string",
    "resourceVersion": "string",
    "generation": "int64",
    "creationTimestamp": "v1.Time",
    "deletionTimestamp": "v1.Time",
    "deletionGracePeriodSeconds": "int64",
    "labels": "map[string]string",
    "annotations": "map[string]string",
    "ownerReferences": "[]v1.OwnerReference",
    "finalizers": "[]string",
    "managedFields": "[]v1.ManagedFieldsEntry",
}
_ANNOTATIONS_LIMIT: Final = 256 * 1024


def _decode_error(name: str, value: Any) -> str | None:
    """The `encoding/json` error for a metadata field of the wrong JSON type, if any."""
    go_type = OBJECT_META_FIELDS[name]
    found = {str: "string", bool: "bool", list: "array", dict: "object"}.get(type(value), "number")
    if value is None:
        return None
    ok = {
        "string": isinstance(value, str),
        "int64": isinstance(value, int) and not isinstance(value, bool),
        "v1.Time": isinstance(value, str),
        "map[string]string": isinstance(value, dict)
        and all(isinstance(v, str) or v is None for v in value.values()),
        "[]string": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }.get(go_type, isinstance(value, list))
    if ok:
        return None
    return (
        f"json: cannot unmarshal {found} into Go struct field ObjectMeta.{name} of type {go_type}"
    )


def decode_error(metadata: Any) -> str | None:
    """Why `metadata` cannot be decoded into an `ObjectMeta`, or `None`."""
    if not isinstance(metadata, Mapping):
        found = {str: "string", bool: "bool", list: "array"}.get(type(metadata), "number")
        return f"json: cannot unmarshal {found} into Go value of type v1.ObjectMeta"
    for name in OBJECT_META_FIELDS:
        if name in metadata and (error := _decode_error(name, metadata[name])) is not None:
            return error
    return None


def _check_meta(meta: Mapping[str, Any], path: str) -> list[FieldError]:
    """`ValidateObjectMetaAccessor` as used for embedded objects (any name may be faked)."""
    errs: list[FieldError] = []
    generate_name = meta.get("generateName") or ""
    if generate_name:
        for message in names.path_segment(generate_name, prefix=True):
            errs.append(invalid(child(path, "generateName"), generate_name, detail=message))
    name = meta.get("name") or "fakename"  # the apiserver fills in a name to skip that rule
    for message in names.path_segment(name):
        errs.append(invalid(child(path, "name"), name, detail=message))
    namespace = meta.get("namespace") or ""
    if namespace:
        for message in names.dns1123_label(namespace):
            errs.append(invalid(child(path, "namespace"), namespace, detail=message))
    generation = meta.get("generation")
    if isinstance(generation, int) and generation < 0:
        detail = "must be greater than or equal to 0"
        errs.append(invalid(child(path, "generation"), generation, detail=detail))
    labels = meta.get("labels") or {}
    for label, value in labels.items():
        errs.extend(invalid(child(path, "labels"), label, detail=m) for m in names.label_key(label))
        text = value or ""
        errs.extend(invalid(child(path, "labels"), text, detail=m) for m in names.label_value(text))
    annotations = meta.get("annotations") or {}
    for annotation in annotations:
        messages = names.label_key(annotation.lower())
        errs.extend(invalid(child(path, "annotations"), annotation, detail=m) for m in messages)
    if sum(len(k) + len(v or "") for k, v in annotations.items()) > _ANNOTATIONS_LIMIT:
        errs.append(too_long(child(path, "annotations"), _ANNOTATIONS_LIMIT))
    return errs


def _parse_group_version(text: str) -> str | None:
    if text.count("/") > 1:
        return f"unexpected GroupVersion string: {text}"
    return None


def _check_resource(obj: Mapping[str, Any], path: str | None) -> list[FieldError]:
    """`validateEmbeddedResource`: apiVersion and kind required, metadata an ObjectMeta."""
    errs: list[FieldError] = []
    for name in ("apiVersion", "kind"):
        if name not in obj:
            errs.append(required(child(path, name)))
    for name, value in obj.items():
        at = child(path, name)
        if name in ("apiVersion", "kind") and not isinstance(value, str):
            errs.append(invalid(at, value, detail="must be a string"))
        elif name in ("apiVersion", "kind") and not value:
            errs.append(invalid(at, value, detail="must not be empty"))
        elif name == "apiVersion" and (error := _parse_group_version(value)) is not None:
            errs.append(invalid(at, value, detail=error))
        elif name == "kind" and (messages := names.dns1035_label(value.lower())):
            detail = "may have mixed case, but should otherwise match: " + ",".join(messages)
            errs.append(invalid(at, value, detail=detail))
        elif name == "metadata":
            error = decode_error(value)
            errs.extend([invalid(at, value, detail=error)] if error else _check_meta(value, at))
    return errs


def check_embedded(obj: Any, schema: Schema, *, path: str | None = None) -> list[FieldError]:
    """Validate every embedded resource in `obj` (not `obj` itself), following the schema."""
    errs: list[FieldError] = []
    if isinstance(obj, Mapping):
        if nodes.embedded(schema):
            errs.extend(_check_resource(obj, path))
        props, extra = nodes.properties(schema), nodes.additional_schema(schema)
        for name, value in obj.items():
            if name in props:
                errs.extend(check_embedded(value, props[name], path=child(path, name)))
            elif extra is not None:
                errs.extend(check_embedded(value, extra, path=key(path, name)))
    elif isinstance(obj, list) and (item := nodes.items(schema)) is not None:
        for i, value in enumerate(obj):
            errs.extend(check_embedded(value, item, path=index(path, i)))
    return errs


def coerce(metadata: dict[str, Any], prefix: str) -> list[str]:
    """Drop what an `ObjectMeta` round trip drops; return the dropped fields' paths.

    Unknown fields go, and so does a null `creationTimestamp` (Go writes back a zero time
    as nothing). Values of the wrong type are left for `check_embedded` to report.
    """
    dropped = sorted(f"{prefix}.{name}" for name in metadata if name not in OBJECT_META_FIELDS)
    for name in [n for n in metadata if n not in OBJECT_META_FIELDS]:
        del metadata[name]
    if "creationTimestamp" in metadata and metadata["creationTimestamp"] is None:
        del metadata["creationTimestamp"]
    return dropped
