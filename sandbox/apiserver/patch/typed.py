"""Typed walks over an object for server-side apply: validation, field sets, named fields.

These are structured-merge-diff's `typed` operations that need only one value: checking an
apply configuration against the schema (the errors kube-apiserver reports as "failed to create
typed patch object"), listing the fields a value sets (`ToFieldSet`: what an applier owns),
and adding the struct fields that are parents of owned fields (`EnsureNamedFieldsAreMembers`,
used when pruning). The two-value walks (compare, merge, remove) are in `merge.py`.

A value's shape is picked as Go's `deduceAtom` does: the facet of the schema that matches the
value's JSON type, else the schema's first facet in the order map, scalar, list.
"""

from __future__ import annotations

from typing import Any, Final

from sandbox.apiserver.patch.fieldpaths import FieldSet, Path, PathElement
from sandbox.apiserver.patch.schema import FieldSchema
from sandbox.apiserver.schema.gojson import go_json


class _Absent:
    """A value that is not there at all (Go's nil Value), as opposed to JSON null."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()


class ItemError(Exception):
    """A list element that cannot be addressed (no key fields, null, wrong type)."""


def facet(schema: FieldSchema, value: Any) -> str:
    """Which of "map", "scalar", "list" handles `value` (deduceAtom + handleAtom)."""
    if isinstance(value, dict) and schema.is_map:
        return "map"
    if isinstance(value, list) and schema.is_list:
        return "list"
    if isinstance(value, bool | int | float | str) and schema.scalar is not None:
        return "scalar"
    if schema.is_map:
        return "map"
    if schema.scalar is not None:
        return "scalar"
    return "list" if schema.is_list else "scalar"


def element(schema: FieldSchema, item: Any) -> PathElement:
    """The path element of a list item: its key, or its value for sets (listItemToPathElement)."""
    if schema.list_type == "atomic":
        raise ItemError("invalid indexing of non-associative list")
    if schema.list_keys:
        if item is None:
            raise ItemError("associative list with keys may not have a null element")
        if not isinstance(item, dict):
            raise ItemError("associative list with keys may not have non-map elements")
        defaults = schema.items().key_defaults
        fields: list[tuple[str, Any]] = []
        for name in schema.list_keys:
            if name in item:
                fields.append((name, item[name]))
            elif defaults.get(name) is not None:
                fields.append((name, defaults[name]))
        if not fields:
            quoted = " ".join(go_json(k) for k in schema.list_keys)
            raise ItemError(
                f"associative list with keys has an element that omits all key fields "
                f"[{quoted}] (and doesn't have default values for any key fields)"
            )
        return PathElement.key(fields)
    if isinstance(item, dict):
        raise ItemError("associative list without keys has an element that's a map type")
    if isinstance(item, list):
        raise ItemError("not supported: associative list with lists as elements")
    if item is None:
        raise ItemError("associative list without keys has an element that's an explicit null")
    return PathElement.value(item)


# Validation -----------------------------------------------------------------------------------


def validate(value: Any, schema: FieldSchema) -> list[str]:
    """Errors of an apply configuration, each `<path>: <message>` as SMD words them."""
    errors: list[str] = []
    _validate(value, schema, path="", errors=errors)
    return errors


def _describe(value: Any) -> str:
    return go_json(value)


def _go_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    return "map[string]interface {}"


def _error(errors: list[str], path: str, *, message: str) -> None:
    errors.append(f"{path}: {message}" if path else message)


def _validate(value: Any, schema: FieldSchema, *, path: str, errors: list[str]) -> None:
    kind = facet(schema, value)
    if kind == "scalar":
        _validate_scalar(value, schema.scalar or "untyped", path=path, errors=errors)
    elif kind == "list":
        if value is None:
            return
        if not isinstance(value, list):
            _error(errors, path, message=f"expected list, got {_describe(value)}")
            return
        _validate_list(value, schema, path=path, errors=errors)
    else:
        if value is None:
            return
        if not isinstance(value, dict):
            _error(errors, path, message=f"expected map, got {_describe(value)}")
            return
        for name, member in value.items():
            sub = schema.field(name)
            if sub is None:
                _error(errors, f"{path}.{name}", message="field not declared in schema")
                return
            _validate(member, sub, path=f"{path}.{name}", errors=errors)


def _validate_scalar(value: Any, kind: str, *, path: str, errors: list[str]) -> None:
    if value is None:
        return
    if kind == "numeric" and (isinstance(value, bool) or not isinstance(value, int | float)):
        _error(errors, path, message=f"expected numeric (int or float), got {_go_type(value)}")
    elif kind == "string" and not isinstance(value, str):
        _error(errors, path, message=f"expected string, got {_describe(value)}")
    elif kind == "boolean" and not isinstance(value, bool):
        _error(errors, path, message=f"expected boolean, got {_describe(value)}")
    elif kind == "untyped" and isinstance(value, dict | list):
        _error(errors, path, message=f"expected any scalar, got {_describe(value)}")


def _validate_list(value: list[Any], schema: FieldSchema, *, path: str, errors: list[str]) -> None:
    items = schema.items()
    seen: set[PathElement] = set()
    for i, item in enumerate(value):
        if schema.list_type == "atomic":
            pe = PathElement.index(i)
        else:
            try:
                pe = element(schema, item)
            except ItemError as exc:
                _error(errors, path, message=f"element {i}: {exc}")
                return
            if pe in seen:
                _error(errors, path, message=f"duplicate entries for key {pe}")
            seen.add(pe)
        _validate(item, items, path=f"{path}{pe}", errors=errors)


# Field sets -----------------------------------------------------------------------------------


def to_field_set(value: Any, schema: FieldSchema) -> FieldSet:
    """The fields `value` sets (typed.ToFieldSet): leaves, list items, map keys, empty maps."""
    out: set[Path] = set()
    _collect(value, schema, path=(), out=out)
    return FieldSet(out)


def _collect(value: Any, schema: FieldSchema, *, path: Path, out: set[Path]) -> None:
    kind = facet(schema, value)
    if kind == "scalar":
        out.add(path)
    elif kind == "list":
        if schema.list_type == "atomic":
            out.add(path)
        elif isinstance(value, list):
            _collect_items(value, schema, path=path, out=out)
    elif schema.map_atomic:
        out.add(path)
    elif isinstance(value, dict):
        for name, member in value.items():
            sub = schema.field(name)
            _collect(member, sub or FieldSchema.deduced(), path=(*path, _f(name)), out=out)
            empty = member is None or (isinstance(member, dict) and not member)
            if empty or not schema.declares(name):
                out.add((*path, _f(name)))


def _collect_items(value: list[Any], schema: FieldSchema, *, path: Path, out: set[Path]) -> None:
    elements: list[PathElement | None] = []
    seen: set[PathElement] = set()
    duplicates: set[PathElement] = set()
    for item in value:
        try:
            pe: PathElement | None = element(schema, item)
        except ItemError:
            pe = None
        elements.append(pe)
        if pe is None:
            continue
        if pe in seen:
            if pe not in duplicates:
                out.add((*path, pe))
                duplicates.add(pe)
        else:
            seen.add(pe)
    items = schema.items()
    for item, pe in zip(value, elements, strict=True):
        if pe is None or pe in duplicates:
            continue
        _collect(item, items, path=(*path, pe), out=out)
        out.add((*path, pe))


def _f(name: str) -> PathElement:
    return PathElement.field_name(name)


def ensure_named_fields(fields: FieldSet, schema: FieldSchema) -> FieldSet:
    """Add each declared struct field that is a parent of a member (EnsureNamedFieldsAreMembers)."""
    extra: set[Path] = set()
    for path in fields.paths:
        node: FieldSchema | None = schema
        for depth, pe in enumerate(path[:-1]):
            if node is None:
                break
            if pe.kind == "f" and node.is_map:
                if node.declares(str(pe.data)):
                    extra.add(path[: depth + 1])
                node = node.field(str(pe.data))
            elif pe.kind == "k" and node.is_list:
                node = node.items()
            else:
                node = None
    return FieldSet(fields.paths | extra) if extra else fields
