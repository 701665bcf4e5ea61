"""Typed reads of one raw openAPIV3Schema node, with Go's notion of "set".

The checks work on the schema as decoded JSON (`Mapping[str, Any]`) instead of a model,
because what they report depends on exactly what the user wrote: `additionalProperties:
false` at the root is an error while an absent one is not, `x-kubernetes-list-type: ""` is
a (bad) value while a missing one is nil. These helpers answer "is this field set?" the way
the Go structs would after decoding (a zero value counts as unset), and shield the callers
from malformed shapes (a `properties` that is not a map reads as empty), so that a broken
document yields error strings rather than Python exceptions. Used by every other module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

Schema = Mapping[str, Any]

# Keys whose Go field is a plain bool (false is the zero value).
_BOOL_KEYS: Final = {
    "nullable",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "uniqueItems",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
}
# Keys whose Go field is a plain string ("" is the zero value).
_STRING_KEYS: Final = {"id", "$schema", "description", "type", "format", "title", "pattern"}
JUNCTORS: Final = ("allOf", "anyOf", "oneOf")


def is_set(schema: Schema, name: str) -> bool:
    """Whether `name` holds a non-zero value once decoded into `JSONSchemaProps`."""
    if name not in schema:
        return False
    value = schema[name]
    if value is None:
        return False
    if name in _BOOL_KEYS:
        return value is not False
    if name in _STRING_KEYS:
        return bool(value != "")
    if name in (
        "x-kubernetes-list-type",
        "x-kubernetes-map-type",
        "x-kubernetes-preserve-unknown-fields",
    ):
        return True  # pointers: any explicit value, even "" or false, is non-nil
    if isinstance(value, list | dict):
        return bool(value)
    return True


def text(schema: Schema, name: str) -> str:
    value = schema.get(name)
    return value if isinstance(value, str) else ""


def flag(schema: Schema, name: str) -> bool:
    return schema.get(name) is True


def kind(schema: Schema) -> str:
    return text(schema, "type")


def preserves_unknown(schema: Schema) -> bool:
    return flag(schema, "x-kubernetes-preserve-unknown-fields")


def embedded(schema: Schema) -> bool:
    return flag(schema, "x-kubernetes-embedded-resource")


def int_or_string(schema: Schema) -> bool:
    return flag(schema, "x-kubernetes-int-or-string")


def properties(schema: Schema) -> dict[str, Schema]:
    value = schema.get("properties")
    if not isinstance(value, Mapping):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, Mapping)}


def items(schema: Schema) -> Schema | None:
    """The single `items` schema; `None` when absent or an array of schemas."""
    value = schema.get("items")
    return value if isinstance(value, Mapping) else None


def additional(schema: Schema) -> Schema | bool | None:
    """`additionalProperties` as given: a schema, a bool, or `None` when absent."""
    value = schema.get("additionalProperties")
    if isinstance(value, Mapping | bool):
        return value
    return None


def additional_schema(schema: Schema) -> Schema | None:
    value = additional(schema)
    return value if isinstance(value, Mapping) else None


def subschemas(schema: Schema, name: str) -> list[Schema]:
    """The schemas of `allOf`, `anyOf` or `oneOf`."""
    value = schema.get(name)
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def negated(schema: Schema) -> Schema | None:
    value = schema.get("not")
    return value if isinstance(value, Mapping) else None


def has_default(schema: Schema) -> bool:
    """A `default: null` decodes to no default at all, as in `apiextensions/v1`."""
    return schema.get("default") is not None


def required_names(schema: Schema) -> list[str]:
    value = schema.get("required")
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def list_map_keys(schema: Schema) -> list[str]:
    value = schema.get("x-kubernetes-list-map-keys")
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def number(schema: Schema, name: str) -> float | None:
    value = schema.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def count(schema: Schema, name: str) -> int | None:
    value = schema.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)
