"""List merging for strategic merge patch: merge keys, list directives, and element order.

A list whose field has patch strategy `merge` merges with the patch: lists of primitives
become the union of both (or lose the elements of a `$deleteFromPrimitiveList/<field>`
list), lists of objects merge element by element on the merge key, where an element
`{"$patch": "delete", <key>: ...}` deletes and `{"$patch": "replace"}` replaces the list.
The result is ordered as apimachinery orders it: patch elements in patch order (or in the
order of a `$setElementOrder/<field>` list), live-only elements in live order, interleaved
so both relative orders hold. Equality of keys and primitives is Go's interface equality:
same JSON type and value, so `80` never matches `"80"`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.apiserver.patch.errors import go_print, go_type, server_error, unprocessable

DIRECTIVE = "$patch"
MergeItem = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


def same(left: Any, right: Any) -> bool:
    """Go's `==` on decoded JSON values (containers never compare equal)."""
    if isinstance(left, dict | list) or isinstance(right, dict | list):
        return False
    return type(left) is type(right) and bool(left == right)


def no_merge_key(item: Any, key: str) -> Exception:
    return server_error(f"map: {go_print(item)} does not contain declared merge key: {key}")


def bad_arg(expected: str, actual: Any) -> Exception:
    return server_error(f"expected a {expected}, but received a {go_type(actual)}")


def element_kind(*lists: list[Any]) -> str:
    """The common Go type of the elements (sliceElementType)."""
    kind = ""
    for items in lists:
        for item in items:
            current = go_type(item)
            if not kind:
                if isinstance(item, list):
                    raise unprocessable("lists of lists are not supported")
                kind = current
            elif current != kind:
                raise server_error(
                    f"list element types are not identical: {go_print([list(x) for x in lists])}"
                )
    if not kind:
        raise server_error("no elements in any of the given slices")
    return "map" if kind.startswith("map") else kind


def merge_slice(
    original: list[Any],
    patch: list[Any],
    *,
    merge_key: str,
    delete_list: bool,
    merge_item: MergeItem,
    clean: Callable[[Any], Any],
) -> list[Any]:
    """mergeSlice: the merged list, ordered."""
    if not original and not patch:
        return original
    kind = element_kind(original, patch)
    if kind != "map":
        if delete_list:
            return [x for x in original if not any(same(x, d) for d in patch)]
        merged: list[Any] = []
        for item in [*original, *patch]:
            if not any(same(item, seen) for seen in merged):
                merged.append(item)
        patch_items = [x for x in merged if any(same(x, p) for p in patch)]
        server_only = [x for x in merged if not any(same(x, p) for p in patch)]
        return normalize(
            patch_items,
            server_only,
            patch_order=patch,
            server_order=original,
            merge_key="",
            kind=kind,
        )
    if not merge_key:
        raise server_error("cannot merge lists without merge key for struct")
    original, patch = _special_elements(original, patch, merge_key=merge_key)
    merged = list(original)
    for item in patch:
        if merge_key not in item:
            raise no_merge_key(item, merge_key)
        at = find(merged, merge_key, value=item[merge_key])
        if at >= 0:
            merged[at] = merge_item(merged[at], item)
        else:
            merged.append(clean(item))
    patch_items, server_only = partition(merged, patch, merge_key=merge_key)
    return normalize(
        patch_items,
        server_only,
        patch_order=patch,
        server_order=original,
        merge_key=merge_key,
        kind=kind,
    )


def find(items: list[Any], key: str, *, value: Any) -> int:
    """The index of the first map whose `key` equals `value`, or -1."""
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise server_error(f"value for key {i} is not a map")
        if key in item and same(item[key], value):
            return i
    return -1


def _special_elements(
    original: list[Any], patch: list[Any], *, merge_key: str
) -> tuple[list[Any], list[Any]]:
    """Apply `$patch: delete` elements; with `$patch: replace` the patch becomes the list."""
    rest: list[Any] = []
    replace = False
    for item in patch:
        if DIRECTIVE not in item:
            rest.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == "delete":
            if merge_key not in item:
                raise no_merge_key(item, merge_key)
            while (at := find(original, merge_key, value=item[merge_key])) >= 0:
                original = original[:at] + original[at + 1 :]
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise server_error("merging lists cannot yet be specified in the patch")
        else:
            raise server_error(
                f"unknown patch type: {go_print(directive)} in map: {go_print(item)}"
            )
    return (rest, []) if replace else (original, rest)


def partition(items: list[Any], by: list[Any], *, merge_key: str) -> tuple[list[Any], list[Any]]:
    """Split items into those present in `by` (by merge key, or value) and the others."""
    present: list[Any] = []
    others: list[Any] = []
    for item in items:
        if merge_key:
            if not isinstance(item, dict):
                raise bad_arg("map[string]interface {}", item)
            if merge_key not in item:
                raise no_merge_key(item, merge_key)
            found = find(by, merge_key, value=item[merge_key]) >= 0
        else:
            found = any(same(item, x) for x in by)
        (present if found else others).append(item)
    return present, others


def _position(order: list[Any], item: Any, *, merge_key: str, kind: str) -> int:
    value = item.get(merge_key) if kind == "map" and isinstance(item, dict) else item
    for i, candidate in enumerate(order):
        other = (
            candidate.get(merge_key) if kind == "map" and isinstance(candidate, dict) else candidate
        )
        if same(value, other):
            return i
    return -1


def _check_keys(merge_key: str, *lists: list[Any]) -> None:
    for items in lists:
        for item in items:
            if not isinstance(item, dict):
                raise bad_arg("map[string]interface {}", item)
            if merge_key not in item:
                raise no_merge_key(item, merge_key)


def normalize(
    patch_items: list[Any],
    server_only: list[Any],
    *,
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    kind: str,
) -> list[Any]:
    """normalizeElementOrder: each side in its own order, then interleaved by live order."""
    left = _sort(server_only, server_order, merge_key=merge_key, kind=kind)
    right = _sort(patch_items, patch_order, merge_key=merge_key, kind=kind)
    out: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li = _position(server_order, left[i], merge_key=merge_key, kind=kind)
            ri = _position(server_order, right[j], merge_key=merge_key, kind=kind)
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def _sort(items: list[Any], order: list[Any], *, merge_key: str, kind: str) -> list[Any]:
    """normalizeSliceOrder: stable sort by position in `order`, deletions moved last."""
    deletes: list[Any] = []
    if kind == "map":
        _check_keys(merge_key, items, order)
        deletes = [x for x in items if x.get(DIRECTIVE) == "delete"]
        items = [x for x in items if x.get(DIRECTIVE) != "delete"]
    ranked = sorted(items, key=lambda item: _position(order, item, merge_key=merge_key, kind=kind))
    return ranked + deletes
