"""The evaluator of parsed JSONPath nodes over decoded JSON, as client-go's `JSONPath.walk`.

Values are what `json.loads` gives (dicts, lists, str, int, float, bool, None) where client-go
walks `reflect.Value`s of `map[string]interface{}`; the Go semantics carried over are: `None`
is a nil interface (skipped by fields, indexes and wildcards, an error for filters), strings are
indexed by byte, an empty slice selection ends the walk, and filters compare only scalars of one
Go kind (`1 == 1.0` is an error).
"""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.apiserver.jsonpath.errors import JSONPathError
from sandbox.apiserver.jsonpath.parser import (
    Array,
    Const,
    Field,
    Filter,
    Identifier,
    Node,
    Param,
    Recursive,
    Text,
    Union,
    Wildcard,
)


def _go_type(value: object) -> str:
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return {bool: "bool", int: "int64", float: "float64", str: "string"}.get(type(value), "<nil>")


def _children(value: object) -> list[object]:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return list(value.encode())  # Go indexes a string by byte
    return []


class Walker:
    """Evaluates node lists; it holds only the missing-keys policy, so one can be shared."""

    def __init__(self, *, allow_missing_keys: bool) -> None:
        self.allow_missing_keys = allow_missing_keys

    def walk_list(self, values: list[object], nodes: Sequence[Node]) -> list[object]:
        for node in nodes:
            values = self.walk(values, node)
        return values

    def walk(self, values: list[object], node: Node) -> list[object]:
        match node:
            case Text(text):
                return [text]
            case Const(value):
                return [value for _ in values]
            case Field(name):
                return self._field(values, name)
            case Array(params):
                return self._array(values, params)
            case Filter():
                return self._filter(values, node)
            case Wildcard():
                return [child for value in values for child in _children(value)]
            case Recursive():
                return self._recursive(values)
            case Union(branches):
                return [out for branch in branches for out in self.walk_list(values, branch)]
            case Identifier(name):
                if name in ("range", "end"):
                    raise JSONPathError(f"{name} templates are not supported", values)
                raise JSONPathError(f"unrecognized identifier {name}", values)

    def _field(self, values: list[object], name: str) -> list[object]:
        results = [value[name] for value in values if isinstance(value, dict) and name in value]
        if values and not results and not self.allow_missing_keys:
            raise JSONPathError(f"{name} is not found")
        return results

    def _array(self, values: list[object], params: tuple[Param, Param, Param]) -> list[object]:
        result: list[object] = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list):
                raise JSONPathError(f"{_go_type(value)} is not array or slice", values)
            length = len(value)
            first, last, step = params
            start = first.value if first.known else 0
            if start < 0:
                start += length
            stop = last.value if last.known else length
            if stop < 0 or (stop == 0 and last.derived):
                stop += length
            if start == stop:
                return result  # client-go stops at the first empty selection
            if start >= length or start < 0:
                raise JSONPathError(
                    f"array index out of bounds: index {start}, length {length}", values
                )
            if stop > length or stop < 0:
                raise JSONPathError(
                    f"array index out of bounds: index {stop - 1}, length {length}", values
                )
            if start > stop:
                raise JSONPathError(
                    f"starting index {start} is greater than ending index {stop}", values
                )
            stride = 1
            if step.known:
                if step.value <= 0:
                    raise JSONPathError("step must be > 0", values)
                stride = step.value
            result.extend(value[start:stop:stride])
        return result

    def _recursive(self, values: list[object]) -> list[object]:
        result: list[object] = []
        for value in values:
            children = _children(value)
            if children:
                result.append(value)
                result.extend(self._recursive(children))
        return result

    def _filter(self, values: list[object], node: Filter) -> list[object]:
        results: list[object] = []
        for value in values:
            if not isinstance(value, list):
                shown = "<nil>" if value is None else _go_type(value)
                raise JSONPathError(f"{shown} is not array or slice and cannot be filtered", values)
            for item in value:
                try:
                    lefts = self.walk_list([item], node.left)
                except JSONPathError as exc:
                    if node.operator != "exists":
                        raise JSONPathError(str(exc), values) from None
                    lefts = exc.partial
                if node.operator == "exists":
                    if lefts:
                        results.append(item)
                    continue
                left = _single(lefts, values)
                if left is _NOTHING:
                    continue
                right = _single(self.walk_list([item], node.right), values)
                if right is _NOTHING:
                    continue
                if _compare(node.operator, left, right, partial=results):
                    results.append(item)
        return results


_NOTHING = object()


def _single(found: list[object], values: list[object]) -> object:
    if not found:
        return _NOTHING
    if len(found) > 1:
        raise JSONPathError("can only compare one element at a time", values)
    return found[0]


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return ""


def _less(left: object, right: object) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left < right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left < right
    raise JSONPathError("invalid type for comparison")


def _compare(operator: str, left: object, right: object, *, partial: list[object]) -> bool:
    """Go template's `eq`/`lt` family: same basic kind or an error, bools only for equality."""
    if operator not in ("==", "!=", "<", ">", "<=", ">="):
        raise JSONPathError(f"unrecognized filter operator {operator}", partial)
    kind = _kind(left)
    if not kind or not _kind(right):
        raise JSONPathError("invalid type for comparison", partial)
    if kind != _kind(right):
        raise JSONPathError("incompatible types for comparison", partial)
    if operator in ("==", "!="):
        return (left == right) == (operator == "==")
    if kind == "bool":
        raise JSONPathError("invalid type for comparison", partial)
    less = _less(left, right)
    equal = left == right
    return {"<": less, "<=": less or equal, ">": not (less or equal), ">=": not less}[operator]
