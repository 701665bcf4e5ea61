"""Field paths and field sets, and their FieldsV1 encoding in `metadata.managedFields`.

Server-side apply records ownership as sets of paths into the object. A path is a tuple of
elements: a field name (`f:spec`), the key of an element of a map-list
(`k:{"name":"nginx"}`), the value of an element of a set (`v:"example.com/x"`), or an index
(`i:0`, never produced for Kubernetes types). As in structured-merge-diff's `fieldpath`, a set
holds paths without implying their parents, elements order as Go orders them (field names,
then keys, then values, then indices; values by type, then value), and the FieldsV1 form is
the set as a tree of JSON objects whose leaves are `{}` and where `"."` marks a node that is a
member as well as a parent. Conflict messages print paths as `.spec.containers[name="x"].image`.

A `FieldSet` is an immutable set of such tuples, so union, intersection and difference are
Python's; the tree is only built to encode, decode and iterate in Go's order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.apiserver.schema.gojson import go_float, go_json, go_quote

# A JSON value made hashable, tagged so that `true` never equals `1`.
Frozen = tuple[Any, ...]


def freeze(value: Any) -> Frozen:
    """A hashable, comparable form of a decoded JSON value."""
    if value is None:
        return ("n",)
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("d", value)
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        return ("l", tuple(freeze(v) for v in value))
    return ("m", tuple(sorted((str(k), freeze(v)) for k, v in value.items())))


def thaw(frozen: Frozen) -> Any:
    """The JSON value back from `freeze`."""
    tag = frozen[0]
    if tag == "n":
        return None
    if tag == "l":
        return [thaw(v) for v in frozen[1]]
    if tag == "m":
        return {k: thaw(v) for k, v in frozen[1]}
    return frozen[1]


_RANK = {"d": 0, "s": 1, "b": 2, "l": 3, "m": 4, "n": 5}


def _value_order(frozen: Frozen) -> tuple[Any, ...]:
    """value.Compare: numbers < strings < booleans < lists < maps < null."""
    tag = frozen[0]
    if tag == "l":
        return (3, tuple(_value_order(v) for v in frozen[1]))
    if tag == "m":
        return (4, tuple((k, _value_order(v)) for k, v in frozen[1]))
    if tag == "n":
        return (5,)
    return (_RANK[tag], frozen[1])


def _to_string(value: Any) -> str:
    """value.ToString, as used in printed paths."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, list):
        return "[" + ",".join(_to_string(v) for v in value) + "]"
    return "".join(f"{k}={_to_string(v)}" for k, v in value.items())


@dataclass(frozen=True, slots=True)
class PathElement:
    """One step of a path: kind "f" (field), "k" (key), "v" (set value) or "i" (index).

    Field sets hash their paths over and over, so an element keeps its hash; field-name
    elements, by far the most common, are shared (they are immutable).
    """

    kind: str
    data: Any
    order: tuple[Any, ...] = field(compare=False, hash=False, repr=False, default=())
    _hash: int = field(init=False, compare=False, hash=False, repr=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.kind, self.data)))

    def __hash__(self) -> int:
        return self._hash

    @staticmethod
    def field_name(name: str) -> PathElement:
        element = _FIELD_NAMES.get(name)
        if element is None:
            element = PathElement("f", name, (0, name))
            if len(_FIELD_NAMES) < _FIELD_NAMES_KEPT:
                _FIELD_NAMES[name] = element
        return element

    @staticmethod
    def key(fields: Iterable[tuple[str, Any]]) -> PathElement:
        frozen = tuple(sorted((name, freeze(value)) for name, value in fields))
        return PathElement("k", frozen, (1, tuple((n, _value_order(v)) for n, v in frozen)))

    @staticmethod
    def value(value: Any) -> PathElement:
        frozen = freeze(value)
        return PathElement("v", frozen, (2, _value_order(frozen)))

    @staticmethod
    def index(position: int) -> PathElement:
        return PathElement("i", position, (3, position))

    def __str__(self) -> str:
        if self.kind == "f":
            return "." + str(self.data)
        if self.kind == "k":
            return "[" + ",".join(f"{n}={_to_string(thaw(v))}" for n, v in self.data) + "]"
        if self.kind == "v":
            return f"[={_to_string(thaw(self.data))}]"
        return f"[{self.data}]"

    def serialize(self) -> str:
        """The FieldsV1 key of this element."""
        if self.kind == "f":
            return "f:" + str(self.data)
        if self.kind == "k":
            return "k:" + go_json({n: thaw(v) for n, v in self.data})
        if self.kind == "v":
            return "v:" + go_json(thaw(self.data))
        return f"i:{self.data}"

    @staticmethod
    def parse(text: str) -> PathElement | None:
        """Read a FieldsV1 key; None for an unknown element type (ignored, as in Go)."""
        if len(text) < 2:
            raise ValueError("key must be 2 characters long:")
        if text[1] != ":":
            raise ValueError(f"missing colon: {text}")
        kind, body = text[0], text[2:]
        if kind == "f":
            return PathElement.field_name(body)
        if kind == "v":
            return PathElement.value(json.loads(body))
        if kind == "k":
            fields = json.loads(body)
            if not isinstance(fields, dict):
                raise ValueError(f"key element is not an object: {body}")
            return PathElement.key(fields.items())
        if kind == "i":
            if not body.lstrip("+-").isdigit():
                raise ValueError(f'strconv.Atoi: parsing "{body}": invalid syntax')
            return PathElement.index(int(body))
        return None


Path = tuple[PathElement, ...]

# Shared field-name elements, bounded: map keys (labels, data) are field names too.
_FIELD_NAMES: dict[str, PathElement] = {}
_FIELD_NAMES_KEPT = 50_000


def path_string(path: Path) -> str:
    """How Go prints a path: `.spec.containers[name="nginx"].image`."""
    return "".join(str(pe) for pe in path)


class _Node:
    __slots__ = ("children", "members")

    def __init__(self) -> None:
        self.members: set[PathElement] = set()
        self.children: dict[PathElement, _Node] = {}


def _tree(paths: Iterable[Path]) -> _Node:
    root = _Node()
    for path in paths:
        node = root
        for pe in path[:-1]:
            node = node.children.setdefault(pe, _Node())
        node.members.add(path[-1])
    return root


def _sorted(elements: Iterable[PathElement]) -> list[PathElement]:
    return sorted(elements, key=lambda pe: pe.order)


class FieldSet:
    """An immutable set of paths (`fieldpath.Set`)."""

    __slots__ = ("paths",)

    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self.paths: frozenset[Path] = frozenset(p for p in paths if p)

    @staticmethod
    def of_nonempty(paths: frozenset[Path]) -> FieldSet:
        """A set of paths already known to hold no empty path (no filtering pass)."""
        out = FieldSet.__new__(FieldSet)
        out.paths = paths
        return out

    def __or__(self, other: FieldSet) -> FieldSet:
        if not other.paths:
            return self
        if not self.paths:
            return other
        return FieldSet.of_nonempty(self.paths | other.paths)

    def __and__(self, other: FieldSet) -> FieldSet:
        return FieldSet.of_nonempty(self.paths & other.paths)

    def __sub__(self, other: FieldSet) -> FieldSet:
        if not other.paths or not self.paths:
            return self
        return FieldSet.of_nonempty(self.paths - other.paths)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldSet) and self.paths == other.paths

    def __hash__(self) -> int:
        return hash(self.paths)

    def __bool__(self) -> bool:
        return bool(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __contains__(self, path: object) -> bool:
        return path in self.paths

    def __repr__(self) -> str:
        return "FieldSet(" + ", ".join(path_string(p) for p in self) + ")"

    def recursive_difference(self, other: FieldSet) -> FieldSet:
        """Drop every path that is in `other` or lies below a path in `other`."""
        if not other:
            return self
        return FieldSet.of_nonempty(
            frozenset(
                p for p in self.paths if not any(p[:i] in other.paths for i in range(1, len(p) + 1))
            )
        )

    def with_prefix(self, pe: PathElement) -> FieldSet:
        """The paths below `pe`, without it."""
        return FieldSet(p[1:] for p in self.paths if len(p) > 1 and p[0] == pe)

    def __iter__(self) -> Iterator[Path]:
        """Paths in Go's order: a node's members, then its children, each sorted."""
        return iter(_iterate(_tree(self.paths), ()))

    def to_fields_v1(self) -> dict[str, Any]:
        """The FieldsV1 object, with keys in the order kube-apiserver writes them."""
        return _emit(_tree(self.paths), include_self=False)

    @staticmethod
    def from_fields_v1(fields: Mapping[str, Any]) -> FieldSet:
        """Read a FieldsV1 object; raise ValueError when it is malformed."""
        if not isinstance(fields, Mapping):
            raise ValueError("FieldsV1 must be a JSON object")
        children, _ = _read(fields)
        return FieldSet(children)


def _iterate(node: _Node, prefix: Path) -> list[Path]:
    out = [(*prefix, pe) for pe in _sorted(node.members)]
    for pe in _sorted(node.children):
        out.extend(_iterate(node.children[pe], (*prefix, pe)))
    return out


def _emit(node: _Node, *, include_self: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if include_self:
        out["."] = {}
    for pe in _sorted(node.members | set(node.children)):
        child = node.children.get(pe)
        out[pe.serialize()] = {} if child is None else _emit(child, include_self=pe in node.members)
    return out


def _read(fields: Mapping[str, Any]) -> tuple[list[Path], bool]:
    """Paths below this object and whether the object's own path is a member (readIterV1)."""
    paths: list[Path] = []
    member = False
    for text, sub in fields.items():
        if text == ".":
            member = True
            continue
        pe = PathElement.parse(text)
        if pe is None:
            continue
        if not isinstance(sub, Mapping):
            raise ValueError(f"expected an object under {text}")
        below, sub_member = _read(sub)
        if sub_member:
            paths.append((pe,))
        paths.extend((pe, *p) for p in below)
    return paths, member or not paths
