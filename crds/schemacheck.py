"""Check a manifest against a generated CRD schema, as the API server would before storing it.

`flinkop validate` must catch what `kubectl apply` would be refused for (a string where an
integer belongs, an enum value that does not exist) and what strict field validation flags
(an unknown field, usually a typo such as `upgradeMod`). The generated CRD is the authority,
so this walks its structural schema instead of trusting the laxer pydantic parse; pod
templates get the same treatment from the embedded Pod schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from crds.errors import FieldError

UNKNOWN_FIELD = "unknown field"

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def check(obj: Any, schema: Mapping[str, Any], *, path: str) -> list[FieldError]:
    """Every type, enum and unknown-field problem of `obj` under `schema`, with field paths."""
    return list(_check(obj, schema, path))


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    for name in ("object", "array", "string", "integer", "number"):
        if isinstance(value, _JSON_TYPES[name]):
            return name
    return type(value).__name__


def _check(value: Any, schema: Mapping[str, Any], path: str) -> Iterator[FieldError]:
    if value is None:
        # The API server drops null fields of custom resources unless the schema is nullable.
        return
    if schema.get("x-kubernetes-int-or-string"):
        if not isinstance(value, int | str) or isinstance(value, bool):
            yield FieldError(path, f"must be an integer or a string, not {_type_name(value)}")
        return
    expected = schema.get("type")
    if expected:
        accepted = _JSON_TYPES[expected]
        wrong_bool = isinstance(value, bool) and expected != "boolean"
        if wrong_bool or not isinstance(value, accepted):
            yield FieldError(path, f"must be of type {expected}, not {_type_name(value)}")
            return
    if "enum" in schema and value not in schema["enum"]:
        supported = ", ".join(f'"{option}"' for option in schema["enum"])
        yield FieldError(path, f'unsupported value "{value}": supported values: {supported}')
    if isinstance(value, dict):
        yield from _check_object(value, schema, path)
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _check(item, schema["items"], f"{path}[{index}]")


def _check_object(
    value: dict[str, Any], schema: Mapping[str, Any], path: str
) -> Iterator[FieldError]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    additional = schema.get("additionalProperties")
    for key, item in value.items():
        child = f"{path}.{key}" if path else str(key)
        if key in properties:
            yield from _check(item, properties[key], child)
        elif isinstance(additional, Mapping):
            yield from _check(item, additional, child)
        elif not schema.get("x-kubernetes-preserve-unknown-fields"):
            yield FieldError(
                child, f"{UNKNOWN_FIELD}: the API server would drop it; check the spelling"
            )
