"""Drop the fields a structural schema does not specify, as the apiserver does when decoding.

Pruning is what makes "unknown fields" disappear from custom resources (and what
`kubectl --validate=strict` warns about). The apiserver prunes every object it decodes for a
CRD with a structural schema (`pkg/apiserver/schema/pruning`), keeps `apiVersion`, `kind`
and `metadata` at the root and in embedded resources, and stops pruning below a node with
`x-kubernetes-preserve-unknown-fields: true` until a nested `properties` or
`additionalProperties` switches it back on. Embedded `metadata` is coerced through an
`ObjectMeta` round trip, which drops its unknown fields too. The REST layer calls `prune`
then `defaults.prune_nulls` then `defaults.apply_defaults`, in that order, before validating.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sandbox.apiserver.schema import nodes, objectmeta
from sandbox.apiserver.schema.nodes import Schema

_META_FIELDS: Final = ("apiVersion", "kind", "metadata")


def prune(
    obj: Any, schema: Mapping[str, Any] | None, *, is_resource_root: bool = True
) -> list[str]:
    """Remove unknown fields from `obj` in place; return their paths, sorted.

    Paths read like `spec.foo` or `spec.items[0].bar`, the form the apiserver puts into its
    `unknown field "…"` warnings. With `is_resource_root` (a whole object) the root's
    `apiVersion`, `kind` and `metadata` are kept without being reported; without it (a
    default value, say) the root is pruned like any other node.
    """
    dropped = prune_fields(obj, schema, is_resource_root=is_resource_root)
    _coerce_embedded(obj, schema if schema is not None else {}, path="", dropped=dropped)
    return sorted(dropped)


def prune_fields(
    obj: Any, schema: Mapping[str, Any] | None, *, is_resource_root: bool
) -> list[str]:
    """`pruning.Prune` alone, without coercing embedded metadata (what default checks use)."""
    root: Schema = schema if schema is not None else {}
    if is_resource_root and not nodes.embedded(root):
        root = {**root, "x-kubernetes-embedded-resource": True}
    dropped: list[str] = []
    _prune(obj, root, path="", dropped=dropped)
    return dropped


def _join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _prune(value: Any, schema: Schema | None, *, path: str, dropped: list[str]) -> None:
    if schema is not None and nodes.preserves_unknown(schema):
        _skip(value, schema, path=path, dropped=dropped)
        return
    if isinstance(value, dict):
        if schema is None:
            dropped.extend(_join(path, k) for k in value)
            value.clear()
            return
        props, extra = nodes.properties(schema), nodes.additional(schema)
        for name in list(value):
            if nodes.embedded(schema) and name in _META_FIELDS:
                continue
            if name in props:
                _prune(value[name], props[name], path=_join(path, name), dropped=dropped)
            elif extra is not None:
                sub = extra if isinstance(extra, Mapping) else None
                _prune(value[name], sub, path=_join(path, name), dropped=dropped)
            else:
                # A meta field at the root is dropped silently; anywhere else it is unknown.
                if name not in _META_FIELDS or path:
                    dropped.append(_join(path, name))
                del value[name]
    elif isinstance(value, list):
        item = nodes.items(schema) if schema is not None else None
        for i, element in enumerate(value):
            _prune(element, item, path=f"{path}[{i}]", dropped=dropped)


def _skip(value: Any, schema: Schema, *, path: str, dropped: list[str]) -> None:
    """Below `x-kubernetes-preserve-unknown-fields`: keep unknowns, prune what is specified."""
    if isinstance(value, dict):
        props, extra = nodes.properties(schema), nodes.additional(schema)
        for name in list(value):
            if nodes.embedded(schema) and name in _META_FIELDS:
                continue
            if name in props:
                _prune(value[name], props[name], path=_join(path, name), dropped=dropped)
            elif extra is not None:
                sub = extra if isinstance(extra, Mapping) else None
                _prune(value[name], sub, path=_join(path, name), dropped=dropped)
    elif isinstance(value, list):
        item = nodes.items(schema)
        if item is not None:
            for i, element in enumerate(value):
                _skip(element, item, path=f"{path}[{i}]", dropped=dropped)


def _coerce_embedded(value: Any, schema: Schema, *, path: str, dropped: list[str]) -> None:
    """`objectmeta.Coerce` below the root: embedded `metadata` keeps ObjectMeta fields only."""
    if isinstance(value, dict):
        if path and nodes.embedded(schema) and isinstance(value.get("metadata"), dict):
            dropped.extend(objectmeta.coerce(value["metadata"], _join(path, "metadata")))
        props, extra = nodes.properties(schema), nodes.additional_schema(schema)
        for name, sub_value in value.items():
            if name in props:
                _coerce_embedded(sub_value, props[name], path=_join(path, name), dropped=dropped)
            elif extra is not None:
                _coerce_embedded(sub_value, extra, path=_join(path, name), dropped=dropped)
    elif isinstance(value, list) and (item := nodes.items(schema)) is not None:
        for i, element in enumerate(value):
            _coerce_embedded(element, item, path=f"{path}[{i}]", dropped=dropped)
