"""Uniqueness in `x-kubernetes-list-type: set` and `map` lists of a custom resource.

Server-side apply merges such lists by element (sets) or by key (maps), which only works if
elements and keys are unique; the apiserver therefore rejects duplicates on every write
(`pkg/apiserver/schema/listtype`). Only the second occurrence of a value is reported, once,
as `Duplicate value`, and a map element missing its key collides with other such elements.
As in Go the walk starts below the root object and follows properties and
`additionalProperties`. `validate.validate` runs it after the schema validation.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from sandbox.apiserver.schema import nodes
from sandbox.apiserver.schema.field import FieldError, child, duplicate, index, invalid, key
from sandbox.apiserver.schema.gojson import go_json, json_kind
from sandbox.apiserver.schema.nodes import Schema

_UNSPECIFIED = ("unspecified",)  # a key the element does not have


def _identity(value: Any) -> Hashable:
    """What Go compares: compound values by their JSON, scalars by type and value."""
    if isinstance(value, dict | list):
        return ("compound", go_json(value))
    if value is _UNSPECIFIED:
        return value
    return (json_kind(value), value)


def _non_unique(values: list[Any]) -> list[int]:
    """Indices of the second occurrence of each repeated value."""
    seen: dict[Hashable, int] = {}
    repeats: list[int] = []
    for i, value in enumerate(values):
        identity = _identity(value)
        seen[identity] = seen.get(identity, 0) + 1
        if seen[identity] == 2:
            repeats.append(i)
    return repeats


def _map_list(path: str | None, schema: Schema, *, values: list[Any]) -> list[FieldError]:
    for i, value in enumerate(values):
        if value is not None and not isinstance(value, Mapping):
            return [
                invalid(
                    index(path, i), value, detail="must be an object for an array of list-type map"
                )
            ]
    keys = nodes.list_map_keys(schema)
    if len(values) <= 1:
        return []
    if len(keys) == 1:
        found = [
            v.get(keys[0], _UNSPECIFIED) if isinstance(v, Mapping) else _UNSPECIFIED for v in values
        ]
        return [
            duplicate(index(path, i), {} if found[i] is _UNSPECIFIED else {keys[0]: found[i]})
            for i in _non_unique(found)
        ]
    compound = [{k: v[k] for k in keys if k in v} if isinstance(v, Mapping) else {} for v in values]
    return [duplicate(index(path, i), compound[i]) for i in _non_unique(compound)]


def _array(path: str | None, schema: Schema, *, values: list[Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    list_type = schema.get("x-kubernetes-list-type")
    if list_type == "set":
        errs.extend(duplicate(index(path, i), values[i]) for i in _non_unique(values))
    elif list_type == "map":
        errs.extend(_map_list(path, schema, values=values))
    item = nodes.items(schema)
    if item is not None:
        for i, value in enumerate(values):
            errs.extend(_value(index(path, i), item, value=value))
    return errs


def _value(path: str | None, schema: Schema, *, value: Any) -> list[FieldError]:
    if isinstance(value, list):
        return _array(path, schema, values=value)
    if isinstance(value, Mapping):
        return check_lists(value, schema, path=path)
    return []


def check_lists(
    obj: Mapping[str, Any], schema: Schema, *, path: str | None = None
) -> list[FieldError]:
    """`ValidateListSetsAndMaps` for an object and everything below it."""
    errs: list[FieldError] = []
    extra = nodes.additional_schema(schema)
    if extra is not None:
        for name, value in obj.items():
            errs.extend(_value(key(path, name), extra, value=value))
    props = nodes.properties(schema)
    for name, value in obj.items():
        if name in props:
            errs.extend(_value(child(path, name), props[name], value=value))
    return errs
