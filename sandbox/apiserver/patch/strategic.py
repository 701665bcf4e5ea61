"""Strategic merge patch (`application/strategic-merge-patch+json`) for built-in types.

This is apimachinery's `StrategicMergeMapPatch` as kube-apiserver runs it (parallel lists
merged, unmatched nulls ignored), driven by the patch metadata of the built-in OpenAPI
definitions instead of Go struct tags. Maps merge as in a JSON merge patch (`null` deletes);
a field whose patch strategy is `merge` merges its list (see `strategiclists.py`), any other
list is replaced, and a `replace` strategy replaces a map whole. Directives: `$patch:
replace|delete` on a map, `$retainKeys` (keep only the listed keys), `$setElementOrder/<f>`
and `$deleteFromPrimitiveList/<f>`. Fields the definition does not declare merge with
merge-patch semantics. Values copied from the patch into new places lose their `null`
members and any directive keys, which the apiserver's decoding into Go types drops too.

Errors are the apiserver's: malformed directives are 400 BadRequest, a list of lists is a
422, and the merge code's other errors reach the client as 500 with the Go error string.
"""

from __future__ import annotations

import copy
from typing import Any

from sandbox.apiserver.patch import strategiclists as lists
from sandbox.apiserver.patch.errors import bad_request, go_json_kind, go_print, server_error
from sandbox.apiserver.patch.schema import FieldSchema, PatchMeta

_DELETE_LIST = "$deleteFromPrimitiveList"
_SET_ORDER = "$setElementOrder"
_RETAIN_KEYS = "$retainKeys"
_BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
_BAD_SET_ORDER = "invalid patch format of setElementOrder list"
_BAD_RETAIN_KEYS = "invalid patch format of retainKeys"


def apply_strategic_merge_patch(
    doc: dict[str, Any], patch: object, *, definition: str
) -> dict[str, Any]:
    """Apply `patch` to a copy of `doc`, an object of OpenAPI type `definition`."""
    if patch is None:
        return copy.deepcopy(doc)
    if not isinstance(patch, dict):
        raise bad_request(
            f"json: cannot unmarshal {go_json_kind(patch)} into Go value of type "
            "map[string]interface {}"
        )
    schema = FieldSchema.builtin(definition)
    return _merge_map(copy.deepcopy(doc), copy.deepcopy(patch), schema=schema)


def _lookup(schema: FieldSchema | None, name: str) -> tuple[FieldSchema | None, PatchMeta]:
    if schema is None:
        return None, PatchMeta(known=False)
    return schema.field(name), schema.patch_meta(name)


def _strategy(meta: PatchMeta) -> str:
    """The strategy besides `retainKeys` (extractRetainKeysPatchStrategy)."""
    strategies = list(meta.strategies)
    if len(strategies) == 1:
        return "" if strategies[0] == "retainKeys" else strategies[0]
    if len(strategies) == 2 and "retainKeys" in strategies:
        return strategies[1] if strategies[0] == "retainKeys" else strategies[0]
    if strategies:
        raise server_error(f"unexpected patch strategy: {go_print(strategies)}")
    return ""


def _extract(key: str, prefix: str, *, error: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise bad_request(error)
    return rest


def _merge_map(
    original: dict[str, Any] | None, patch: dict[str, Any], *, schema: FieldSchema | None
) -> dict[str, Any]:
    """Merge a map patch, as mergeMap with MergeParallelList and IgnoreUnmatchedNulls."""
    if lists.DIRECTIVE in patch:
        directive = patch[lists.DIRECTIVE]
        if directive == "replace":
            replaced: dict[str, Any] = _clean(
                {k: v for k, v in patch.items() if k != lists.DIRECTIVE}
            )
            return replaced
        if directive == "delete":
            return {}
        raise server_error(f"unknown patch type: {go_print(directive)} in map: {go_print(patch)}")
    original = {} if original is None else original
    patch = dict(patch)
    _retain_keys(original, patch)
    _set_element_order(original, patch, schema=schema)
    for key, value in patch.items():
        name, delete_list = key, False
        if key.startswith(_DELETE_LIST):
            name, delete_list = _extract(key, _DELETE_LIST, error=_BAD_PRIMITIVE_LIST), True
        if value is None:
            original.pop(name, None)
            continue
        current = original.get(name, _MISSING)
        if current is _MISSING or type(current) is not type(value):
            if not delete_list:
                _set_cleaned(original, name, value=value)
            continue
        if isinstance(current, dict):
            sub, meta = _lookup(schema, name)
            if _strategy(meta) == "replace":
                original[name] = value
            else:
                original[name] = _merge_map(current, value, schema=sub)
        elif isinstance(current, list):
            sub, meta = _lookup(schema, name)
            original[name] = _merge_list(
                current, value, sub=sub, meta=meta, delete_list=delete_list
            )
        else:
            _set_cleaned(original, name, value=value)
    return original


_MISSING = object()


def _merge_list(
    current: list[Any],
    value: list[Any],
    *,
    sub: FieldSchema | None,
    meta: PatchMeta,
    delete_list: bool,
) -> list[Any]:
    """mergeSliceHandler: merge under strategy `merge` (or for a deletion list), else replace."""
    if _strategy(meta) != "merge" and not delete_list:
        return value
    items = sub.items() if sub is not None and sub.is_list else None
    return lists.merge_slice(
        current,
        value,
        merge_key=meta.merge_key,
        delete_list=delete_list,
        merge_item=lambda left, right: _merge_map(left, right, schema=items),
        clean=lambda item: _clean(_discard_nulls(item)),
    )


def _set_cleaned(original: dict[str, Any], name: str, *, value: Any) -> None:
    cleaned = _clean(_discard_nulls(value))
    if cleaned is _DROP:
        original.pop(name, None)
    else:
        original[name] = cleaned


def _retain_keys(original: dict[str, Any], patch: dict[str, Any]) -> None:
    """applyRetainKeysDirective: clear the keys of `original` the directive does not list."""
    if _RETAIN_KEYS not in patch:
        return
    keep = patch.pop(_RETAIN_KEYS)
    if not isinstance(keep, list):
        raise bad_request(_BAD_RETAIN_KEYS)
    allowed = {k for k in keep if isinstance(k, str)}
    for key, value in patch.items():
        if value is None or key.startswith((_DELETE_LIST, _SET_ORDER)):
            continue
        if key not in allowed:
            raise bad_request(_BAD_RETAIN_KEYS)
    for key in [k for k in original if k not in allowed]:
        del original[key]


def _set_element_order(
    original: dict[str, Any], patch: dict[str, Any], *, schema: FieldSchema | None
) -> None:
    """mergePatchIntoOriginal: merge each ordered list and put it in the requested order."""
    for key in [k for k in patch if k.startswith(_SET_ORDER)]:
        order = patch.pop(key)
        if not isinstance(order, list):
            raise lists.bad_arg("[]interface {}", order)
        name = _extract(key, _SET_ORDER, error=_BAD_SET_ORDER)
        found_original, found_patch = name in original, name in patch
        current: list[Any] = original.get(name) if found_original else []  # type: ignore[assignment]
        incoming: list[Any] = patch.get(name) if found_patch else []  # type: ignore[assignment]
        for value in (current, incoming):
            if not isinstance(value, list):
                raise lists.bad_arg("[]interface {}", value)
        sub, meta = _lookup(schema, name)
        _check_order(incoming, order, merge_key=meta.merge_key)
        if found_original and not found_patch:
            merged = current
        elif found_patch and not found_original:
            merged = _clean(incoming)
        elif found_original:
            merged = _merge_list(current, incoming, sub=sub, meta=meta, delete_list=False)
        else:
            continue
        present, others = lists.partition(merged, order, merge_key=meta.merge_key)
        kind = lists.element_kind(current, incoming)
        original[name] = lists.normalize(
            present,
            others,
            patch_order=order,
            server_order=current,
            merge_key=meta.merge_key,
            kind=kind,
        )
        patch.pop(name, None)


def _check_order(patch_list: list[Any], order: list[Any], *, merge_key: str) -> None:
    """validatePatchWithSetOrderList: the patch's elements must appear in the order list."""
    if not order or not patch_list:
        return
    items = patch_list
    if merge_key:
        for item in patch_list:
            if not isinstance(item, dict):
                raise lists.bad_arg("map[string]interface {}", item)
        items = [x for x in patch_list if x.get(lists.DIRECTIVE) != "delete"]
    p = s = 0
    while p < len(items) and s < len(order):
        if isinstance(items[p], dict) and lists.DIRECTIVE in items[p]:
            p += 1
            continue
        if _key_equal(items[p], order[s], merge_key=merge_key):
            p += 1
        s += 1
    if p < len(items) and s >= len(order):
        raise server_error(
            f"The order in patch list:\n{go_print(patch_list)}\n doesn't match "
            f"{_SET_ORDER} list:\n{go_print(order)}\n"
        )


def _key_equal(left: Any, right: Any, *, merge_key: str) -> bool:
    if not merge_key:
        return lists.same(left, right)
    for side in (left, right):
        if not isinstance(side, dict):
            raise lists.bad_arg("map[string]interface {}", side)
        if merge_key not in side:
            raise lists.no_merge_key(side, merge_key)
    return lists.same(left[merge_key], right[merge_key])


_DROP = object()


def _clean(value: Any) -> Any:
    """removeDirectives: drop `$patch` maps and directive keys from a value taken whole."""
    if isinstance(value, dict):
        if lists.DIRECTIVE in value:
            return _DROP
        out: dict[str, Any] = {}
        for key, member in value.items():
            if key.startswith((_RETAIN_KEYS, _SET_ORDER, _DELETE_LIST)):
                continue
            cleaned = _clean(member)
            if cleaned is not _DROP:
                out[key] = cleaned
        return out
    if isinstance(value, list):
        return [c for c in (_clean(v) for v in value) if c is not _DROP]
    return value


def _discard_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _discard_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_discard_nulls(v) for v in value]
    return value
