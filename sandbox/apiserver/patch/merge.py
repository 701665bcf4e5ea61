"""Two-value walks for server-side apply: compare, merge and remove, as structured-merge-diff does.

`compare(old, new)` says which fields were added, modified or removed; the updater moves
ownership with it. A field that appears where the old value had nothing at all is "added", so
a new granular map or list item is itself a member (the `"."` entries of FieldsV1), while a
map that already existed, even as `null`, is only a parent. Atomic values and empty maps and
lists are compared whole.

`merge(live, config)` lays an apply configuration over the live object: scalars and atomic
values from the configuration win, granular maps merge member by member, and associative lists
merge element by element by key, in SMD's order (live order, with configuration elements
placed where the configuration's order requires). `remove(value, fields)` drops the listed
fields and list elements, and drops maps and lists that become empty.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from sandbox.apiserver.patch.fieldpaths import FieldSet, Path, PathElement
from sandbox.apiserver.patch.schema import FieldSchema
from sandbox.apiserver.patch.typed import ABSENT, ItemError, element, facet
from sandbox.apiserver.schema.gojson import json_equal


@dataclass
class Comparison:
    added: set[Path] = field(default_factory=set)
    modified: set[Path] = field(default_factory=set)
    removed: set[Path] = field(default_factory=set)

    def sets(self) -> tuple[FieldSet, FieldSet, FieldSet]:
        """(added, modified, removed) as field sets."""
        return _field_set(self.added), _field_set(self.modified), _field_set(self.removed)


def _field_set(paths: set[Path]) -> FieldSet:
    return FieldSet(paths) if () in paths else FieldSet.of_nonempty(frozenset(paths))


_CONTAINERS = (dict, list)


def _sub(schema: FieldSchema, name: str) -> FieldSchema:
    return schema.field(name) or FieldSchema.deduced()


def _as_map(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _as_list(value: Any) -> list[Any] | None:
    return value if isinstance(value, list) else None


def _leaf_kind(kind: str, schema: FieldSchema, *, left: Any, right: Any) -> bool:
    """Whether this facet treats the pair as one leaf (scalar, atomic, or both empty)."""
    if kind == "scalar":
        return True
    if kind == "map":
        return schema.map_atomic or (not _as_map(left) and not _as_map(right))
    return schema.list_type == "atomic" or (not _as_list(left) and not _as_list(right))


def _facets(schema: FieldSchema, left: Any, *, right: Any) -> list[str]:
    """The facets to walk, last one deciding (the `handleAtom` calls of compare/merge)."""
    if right is ABSENT:
        return [facet(schema, left)]
    right_kind = facet(schema, right)
    if left is ABSENT:
        return [right_kind]
    left_kind = facet(schema, left)
    return [right_kind] if left_kind == right_kind else [left_kind, right_kind]


# Compare --------------------------------------------------------------------------------------


def compare(old: Any, new: Any, *, schema: FieldSchema) -> Comparison:
    """What changed from `old` to `new` (typed.Compare)."""
    out = Comparison()
    _compare(old, new, schema=schema, path=(), out=out)
    for paths in (out.added, out.modified, out.removed):
        paths.discard(())
    return out


def _compare(left: Any, right: Any, *, schema: FieldSchema, path: Path, out: Comparison) -> None:
    if not isinstance(left, _CONTAINERS) and not isinstance(right, _CONTAINERS):
        _compare_leaves(left, right, path=path, out=out)
        return
    leaf = False
    for kind in _facets(schema, left, right=right):
        leaf = _leaf_kind(kind, schema, left=left, right=right)
        if leaf:
            if left is ABSENT:
                out.added.add(path)
            elif right is ABSENT:
                out.removed.add(path)
            elif not json_equal(left, right):
                out.modified.add(path)
        elif kind == "map":
            _compare_maps(
                _as_map(left) or {}, _as_map(right) or {}, schema=schema, path=path, out=out
            )
        else:
            _compare_lists(
                _as_list(left) or [], _as_list(right) or [], schema=schema, path=path, out=out
            )
    if not leaf:
        if left is ABSENT:
            out.added.add(path)
        elif right is ABSENT:
            out.removed.add(path)


def _compare_leaves(left: Any, right: Any, *, path: Path, out: Comparison) -> None:
    """Neither side is a map or a list: whatever the schema, the pair is one leaf."""
    if left is ABSENT:
        out.added.add(path)
    elif right is ABSENT:
        out.removed.add(path)
    elif not json_equal(left, right):
        out.modified.add(path)


def _compare_maps(
    left: dict[str, Any], right: dict[str, Any], *, schema: FieldSchema, path: Path, out: Comparison
) -> None:
    for name in [*left, *(k for k in right if k not in left)]:
        old, new = left.get(name, ABSENT), right.get(name, ABSENT)
        here = (*path, PathElement.field_name(name))
        if not isinstance(old, _CONTAINERS) and not isinstance(new, _CONTAINERS):
            _compare_leaves(old, new, path=here, out=out)
        else:
            _compare(old, new, schema=_sub(schema, name), path=here, out=out)


def _group(items: list[Any], schema: FieldSchema) -> dict[PathElement, list[Any]]:
    groups: dict[PathElement, list[Any]] = {}
    for item in items:
        try:
            pe = element(schema, item)
        except ItemError:
            continue
        groups.setdefault(pe, []).append(item)
    return groups


def _compare_lists(
    left: list[Any], right: list[Any], *, schema: FieldSchema, path: Path, out: Comparison
) -> None:
    items = schema.items()
    lefts, rights = _group(left, schema), _group(right, schema)
    for pe in [*lefts, *(pe for pe in rights if pe not in lefts)]:
        old, new = lefts.get(pe, []), rights.get(pe, [])
        here = (*path, pe)
        if len(old) <= 1 and len(new) <= 1:
            _compare(
                old[0] if old else ABSENT,
                new[0] if new else ABSENT,
                schema=items,
                path=here,
                out=out,
            )
        elif len(old) >= 2 and len(new) >= 2:
            if not json_equal(old, new):
                out.modified.add(here)
        elif len(old) >= 2:
            if new:
                _compare(ABSENT, new[0], schema=items, path=here, out=out)
            out.removed.add(here)
        else:
            if old:
                _compare(old[0], ABSENT, schema=items, path=here, out=out)
            out.added.add(here)


# Merge ----------------------------------------------------------------------------------------


def merge(live: Any, config: Any, *, schema: FieldSchema) -> Any:
    """`config` laid over `live` (typed.Merge with the keep-right rule); ABSENT if empty."""
    kind = _facets(schema, live, right=config)[-1]
    if _leaf_kind(kind, schema, left=live, right=config):
        return copy.deepcopy(live if config is ABSENT else config)
    if kind == "map":
        return _merge_maps(_as_map(live) or {}, _as_map(config) or {}, schema=schema)
    return _merge_lists(_as_list(live) or [], _as_list(config) or [], schema=schema)


def _merge_maps(live: dict[str, Any], config: dict[str, Any], *, schema: FieldSchema) -> Any:
    out: dict[str, Any] = {}
    for name in [*live, *(k for k in config if k not in live)]:
        merged = merge(live.get(name, ABSENT), config.get(name, ABSENT), schema=_sub(schema, name))
        if merged is not ABSENT:
            out[name] = merged
    return out or ABSENT


def _index(
    items: list[Any], schema: FieldSchema
) -> tuple[list[PathElement], list[Any], dict[PathElement, Any]]:
    """Addressable elements: their path elements and values in order, and values by element."""
    order: list[PathElement] = []
    values: list[Any] = []
    seen: dict[PathElement, Any] = {}
    for item in items:
        try:
            pe = element(schema, item)
        except ItemError:
            continue
        # A duplicated live element is not merged with the configuration (it becomes null).
        seen[pe] = None if pe in seen else item
        order.append(pe)
        values.append(item)
    return order, values, seen


def _merge_lists(live: list[Any], config: list[Any], *, schema: FieldSchema) -> Any:
    """visitListItems: walk both lists, keeping live order around the configuration's."""
    items = schema.items()
    lpes, lvalues, lseen = _index(live, schema)
    rpes, _, rseen = _index(config, schema)
    shared = [pe for pe in rpes if pe in lseen]
    next_shared = shared.pop(0) if shared else None
    merged_right: set[PathElement] = set()
    out: list[Any] = []

    def emit(left: Any, right: Any) -> None:
        value = merge(left, right, schema=items)
        if value is not ABSENT:
            out.append(value)

    li = ri = 0
    while li < len(lpes) or ri < len(rpes):
        if li < len(lpes) and ri < len(rpes):
            pe = lpes[li]
            if pe == rpes[ri]:
                merged_right.add(pe)
                emit(lseen[pe], rseen[pe])
                li, ri = li + 1, ri + 1
                next_shared = shared.pop(0) if shared else None
                continue
            if pe in rseen and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(lpes):
            pe = lpes[li]
            if pe not in rseen:
                emit(lvalues[li], ABSENT)
                li += 1
                continue
            if pe in merged_right:
                li += 1
        if ri < len(rpes):
            pe = rpes[ri]
            merged_right.add(pe)
            emit(lseen.get(pe, ABSENT), rseen[pe])
            ri += 1
            if next_shared is not None and next_shared == pe:
                next_shared = shared.pop(0) if shared else None
    return out or ABSENT


# Remove ---------------------------------------------------------------------------------------


def remove(value: Any, fields: FieldSet, *, schema: FieldSchema) -> Any:
    """`value` without the listed fields (typed.RemoveItems); ABSENT when nothing is left."""
    kind = facet(schema, value)
    if kind == "scalar":
        return copy.deepcopy(value)
    if kind == "list":
        if not isinstance(value, list) or not value or schema.list_type == "atomic":
            return ABSENT
        return _remove_items(value, fields, schema=schema)
    if not isinstance(value, dict) or not value or schema.map_atomic:
        return ABSENT
    out: dict[str, Any] = {}
    for name, member in value.items():
        pe = PathElement.field_name(name)
        if (pe,) in fields:
            continue
        below = fields.with_prefix(pe)
        kept = remove(member, below, schema=_sub(schema, name)) if below else copy.deepcopy(member)
        if kept is not ABSENT:
            out[name] = kept
    return out or ABSENT


def _remove_items(value: list[Any], fields: FieldSet, *, schema: FieldSchema) -> Any:
    items = schema.items()
    out: list[Any] = []
    for item in value:
        try:
            pe = element(schema, item)
        except ItemError:
            out.append(copy.deepcopy(item))
            continue
        if (pe,) in fields:
            continue
        below = fields.with_prefix(pe)
        kept = remove(item, below, schema=items) if below else copy.deepcopy(item)
        if kept is not ABSENT:
            out.append(kept)
    return out or ABSENT
