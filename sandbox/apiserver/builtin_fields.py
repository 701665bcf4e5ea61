"""Unknown fields of built-in objects: found and dropped, as Go's strict JSON decoding does.

A built-in object is decoded into a Go struct, so a field the struct does not have is lost;
with `fieldValidation=Strict` the request fails (`strict decoding error: unknown field
"spec.foo"`), with `Warn` (the default) it succeeds with a `Warning` header per field, and
with `Ignore` it is dropped silently. The struct layouts come from the emulated release's
OpenAPI definitions (`builtin_schemas`): a node with `properties` keeps only those, one with
`additionalProperties` is a map, and one with neither (`RawExtension`, `FieldsV1`, free-form
JSON) keeps everything. Paths read as the Go decoder prints them: `spec.containers[0].foo`.
The same walk reports values of the wrong JSON type (`json: cannot unmarshal ...`) and
writes resource quantities in canonical form, as decoding into Go types does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sandbox.apiserver import builtin_schemas, quantity

QUANTITY: Final = "io.k8s.apimachinery.pkg.api.resource.Quantity"

Schema = Mapping[str, Any]


# Resolved nodes by the identity of the (static, cached) definition node they start from:
# decoding walks the same few hundred nodes over and over.
_RESOLVED: dict[int, tuple[Schema, Schema]] = {}


def _resolve(schema: Schema) -> Schema:
    cached = _RESOLVED.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    resolved = _follow(schema)
    _RESOLVED[id(schema)] = (schema, resolved)
    return resolved


def _follow(schema: Schema) -> Schema:
    seen = 0
    while "$ref" in schema and seen < 20:
        schema = builtin_schemas.definition(builtin_schemas.ref_name(str(schema["$ref"])))
        seen += 1
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
        return _follow(all_of[0])
    return schema


class DecodeError(ValueError):
    """A value of the wrong JSON type: Go's `json: cannot unmarshal ...` message."""


def prune_unknown(definition: str, obj: dict[str, Any]) -> list[str]:
    """Remove fields `definition` does not declare from `obj`, in place; return their paths.

    Raises:
        DecodeError: a value cannot be decoded into its Go field (a number where a string
            belongs, say), worded as `encoding/json` words it.
    """
    dropped: list[str] = []
    walker = _Walker(dropped)
    walker.walk(obj, builtin_schemas.definition(definition), path="", struct=_struct(definition))
    return dropped


def _struct(definition: str) -> str:
    return definition.rsplit(".", 1)[-1]


def _json_kind(value: Any) -> str:
    """How `encoding/json` names a JSON value in an UnmarshalTypeError."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _types(schema: Schema) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {t for t in declared if t != "null"}
    return set()


def _go_type(schema: Schema) -> str:
    """The Go type a schema node decodes into, as `%v` of a reflect.Type prints it."""
    ref = _resolve_name(schema)
    schema = _resolve(schema)
    if ref and "properties" in schema:
        package, _, name = ref.rpartition(".")
        return f"{package.rpartition('.')[2]}.{name}"
    types = _types(schema)
    if "string" in types:
        return "string"
    if "boolean" in types:
        return "bool"
    if "integer" in types:
        return "int64" if schema.get("format") == "int64" else "int32"
    if "number" in types:
        return "float64"
    if "array" in types:
        items = schema.get("items")
        return "[]" + (_go_type(items) if isinstance(items, Mapping) else "interface {}")
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        return "map[string]" + _go_type(extra)
    return "interface {}"


_ALLOWED: Final = {
    "string": frozenset({"string"}),
    "bool": frozenset({"boolean"}),
    "number": frozenset({"integer", "number"}),
    "array": frozenset({"array"}),
    "object": frozenset({"object"}),
}


def _fits(value: Any, types: set[str] | frozenset[str]) -> bool:
    if value is None or not types:
        return True
    kind = _json_kind(value)
    if kind == "number" and types == {"integer"} and not float(value).is_integer():
        return False
    return not _ALLOWED[kind].isdisjoint(types)


# What the walk needs of a node, by the node's identity: its `$ref` name, the node it
# resolves to and that node's JSON types (definitions are static, so this never changes).
_NODES: dict[int, tuple[Schema, str, Schema, frozenset[str]]] = {}


def _node(schema: Schema) -> tuple[str, Schema, frozenset[str]]:
    cached = _NODES.get(id(schema))
    if cached is None or cached[0] is not schema:
        resolved = _resolve(schema)
        cached = (schema, _resolve_name(schema), resolved, frozenset(_types(resolved)))
        _NODES[id(schema)] = cached
    return cached[1], cached[2], cached[3]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Walker:
    def __init__(self, dropped: list[str]) -> None:
        self.dropped = dropped

    def walk(
        self, value: Any, schema: Schema, *, path: str, struct: str, go_path: str = ""
    ) -> None:
        """`path` as Go reports unknown fields (with indices), `go_path` as type errors.

        `struct` is the Go struct holding this value: type errors name it, and it changes
        to the value's own type for the value's fields.
        """
        original = schema
        ref, schema, types = _node(schema)
        if not _fits(value, types):
            literal = "" if _json_kind(value) != "number" or types != {"integer"} else f" {value}"
            raise DecodeError(
                f"json: cannot unmarshal {_json_kind(value)}{literal} into Go struct field "
                f"{struct}.{go_path} of type {_go_type(original)}"
            )
        if isinstance(value, dict):
            inner = _struct(ref) if ref and "properties" in schema else struct
            self._object(value, schema, path=path, struct=inner, go_path=go_path)
        elif isinstance(value, list):
            items = schema.get("items")
            if isinstance(items, Mapping):
                for position, element in enumerate(value):
                    self.walk(
                        element, items, path=f"{path}[{position}]", struct=struct, go_path=go_path
                    )

    def _object(
        self, value: dict[str, Any], schema: Schema, *, path: str, struct: str, go_path: str
    ) -> None:
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        if isinstance(properties, Mapping):
            for name in list(value):
                if name not in properties:
                    self.dropped.append(_join(path, name))
                    del value[name]
                    continue
                if _is_quantity(properties[name]):
                    value[name] = _quantity(value[name])
                    continue
                self.walk(
                    value[name],
                    properties[name],
                    path=_join(path, name),
                    struct=struct,
                    go_path=_join(go_path, name),
                )
        elif isinstance(extra, Mapping):
            for name in value:
                if _is_quantity(extra):
                    value[name] = _quantity(value[name])
                    continue
                self.walk(
                    value[name], extra, path=f"{path}[{name}]", struct=struct, go_path=go_path
                )


def _is_quantity(schema: Schema) -> bool:
    return _node(schema)[0] == QUANTITY


def _quantity(value: Any) -> Any:
    """A quantity in canonical form, as decoding into `resource.Quantity` leaves it."""
    if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        return value
    try:
        return quantity.canonical(value)
    except ValueError as exc:
        raise DecodeError(str(exc)) from exc


def _resolve_name(schema: Schema) -> str:
    """The definition a `$ref` (or single-`allOf`) points to, if any."""
    if "$ref" in schema:
        return builtin_schemas.ref_name(str(schema["$ref"]))
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
        return _resolve_name(all_of[0])
    return ""
