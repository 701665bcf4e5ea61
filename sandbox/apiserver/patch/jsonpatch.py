"""JSON Patch (RFC 6902, `application/json-patch+json`) as kube-apiserver applies it.

The apiserver decodes the body into operations first (a malformed body is a 400 BadRequest
naming the Go type it failed to fill), refuses more than 10000 operations (413), and then runs
`gopkg.in/evanphx/json-patch.v4` over the object's JSON. Any failing operation becomes a 422
Invalid with the generic message; the library's own explanation is kept in `PatchError.cause`.

The library's quirks are kept because clients can observe them: `replace` of a missing object
member adds it, `copy` from a missing member copies `null`, `test` of a missing member against
`null` passes, negative array indices count from the end, a path without its leading `/` is
read as if it had one, and scalars compare by their JSON text (`1` is not `1.0`).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from sandbox.apiserver.patch.errors import (
    PatchError,
    bad_request,
    go_json_kind,
    not_an_object,
    unprocessable,
)
from sandbox.apiserver.schema.gojson import go_json

MAX_OPERATIONS = 10000
_ATOI = re.compile(r"[+-]?[0-9]+")
_MISSING = object()  # an operation member that is absent (as opposed to JSON null)


class _OpFailed(Exception):
    """One operation failed; the message is evanphx/json-patch's."""


def apply_json_patch(doc: dict[str, Any], operations: object) -> dict[str, Any]:
    """Apply decoded JSON-patch `operations` to a copy of `doc`; raise PatchError on failure."""
    ops = _decode(operations)
    if len(ops) > MAX_OPERATIONS:
        raise PatchError(
            f"The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, got {len(ops)}",
            status=413,
            reason="RequestEntityTooLarge",
        )
    holder: list[Any] = [copy.deepcopy(doc)]
    for op in ops:
        try:
            _apply_one(holder, op)
        except _OpFailed as exc:
            raise unprocessable(str(exc)) from exc
    result = holder[0]
    if not isinstance(result, dict):
        raise not_an_object(result)
    return result


def _decode(operations: object) -> list[dict[str, Any] | None]:
    """Check the body's shape as `UnmarshalStrict` into `[]jsonPatchOp` does."""
    if operations is None:
        return []
    if not isinstance(operations, list):
        raise bad_request(
            f"error decoding patch: json: cannot unmarshal {go_json_kind(operations)} into Go "
            "value of type []handlers.jsonPatchOp"
        )
    for op in operations:
        if op is None:
            continue
        if not isinstance(op, dict):
            raise bad_request(
                f"error decoding patch: json: cannot unmarshal {go_json_kind(op)} into Go value "
                "of type handlers.jsonPatchOp"
            )
        for member in ("op", "path", "from"):
            value = op.get(member)
            if value is not None and not isinstance(value, str):
                raise bad_request(
                    f"error decoding patch: json: cannot unmarshal {go_json_kind(value)} into "
                    f"Go struct field jsonPatchOp.{member} of type string"
                )
    return list(operations)


def _decode_key(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _atoi(text: str) -> int:
    if not _ATOI.fullmatch(text):
        raise _OpFailed(f'strconv.Atoi: parsing "{text}": invalid syntax')
    return int(text)


def _find(holder: list[Any], path: str) -> tuple[Any, str] | None:
    """The container holding the path's last token, and that token (findObject)."""
    split = path.split("/")
    if len(split) < 2:
        return None
    doc = holder[0]
    for part in split[1:-1]:
        try:
            nxt = _get(doc, _decode_key(part))
        except _OpFailed:
            return None
        if not isinstance(nxt, dict | list):
            return None
        doc = nxt
    return doc, _decode_key(split[-1])


def _index(container: list[Any], key: str, *, size: int) -> int:
    idx = _atoi(key)
    if idx >= size or idx < -size:
        raise _OpFailed(f"Unable to access invalid index: {idx}: invalid index referenced")
    return idx + size if idx < 0 else idx


def _get(container: Any, key: str) -> Any:
    if isinstance(container, dict):
        return container.get(key)
    return container[_index(container, key, size=len(container))]


def _add(container: Any, key: str, *, value: Any) -> None:
    if isinstance(container, dict):
        container[key] = value
    elif key == "-":
        container.append(value)
    else:
        if not _ATOI.fullmatch(key):
            raise _OpFailed(
                f"value was not a proper array index: '{key}': strconv.Atoi: parsing "
                f'"{key}": invalid syntax'
            )
        container.insert(_index(container, key, size=len(container) + 1), value)


def _remove(container: Any, key: str) -> None:
    if isinstance(container, dict):
        if key not in container:
            raise _OpFailed(f"Unable to remove nonexistent key: {key}: missing value")
        del container[key]
    else:
        del container[_index(container, key, size=len(container))]


def _member(op: dict[str, Any], name: str, *, kind: str) -> str:
    value = op.get(name)
    if value is None:
        raise _OpFailed(f"{kind} operation failed to decode {name}: missing value")
    return str(value)


def _apply_one(holder: list[Any], op: dict[str, Any] | None) -> None:
    kind = "unknown" if op is None or not isinstance(op.get("op"), str) else op["op"]
    op = op or {}
    value = op.get("value", _MISSING)
    handlers = {
        "add": _op_add,
        "remove": _op_remove,
        "replace": _op_replace,
        "move": _op_move,
        "copy": _op_copy,
        "test": _op_test,
    }
    handler = handlers.get(kind)
    if handler is None:
        raise _OpFailed(f"Unexpected kind: {kind}")
    handler(holder, op, value=value)


def _op_add(holder: list[Any], op: dict[str, Any], *, value: Any) -> None:
    path = _member(op, "path", kind="add")
    found = _find(holder, path)
    if found is None:
        raise _OpFailed(
            f'add operation does not apply: doc is missing path: "{path}": missing value'
        )
    try:
        _add(*found, value=None if value is _MISSING else copy.deepcopy(value))
    except _OpFailed as exc:
        raise _OpFailed(f"error in add for path: '{path}': {exc}") from exc


def _op_remove(holder: list[Any], op: dict[str, Any], *, value: Any) -> None:
    path = _member(op, "path", kind="remove")
    found = _find(holder, path)
    if found is None:
        raise _OpFailed(
            f'remove operation does not apply: doc is missing path: "{path}": missing value'
        )
    try:
        _remove(*found)
    except _OpFailed as exc:
        raise _OpFailed(f"error in remove for path: '{path}': {exc}") from exc


def _op_replace(holder: list[Any], op: dict[str, Any], *, value: Any) -> None:
    path = _member(op, "path", kind="replace")
    new = None if value is _MISSING else copy.deepcopy(value)
    if path == "":
        if not isinstance(new, dict | list):
            raise _OpFailed("replace operation value must be object or array")
        holder[0] = new
        return
    found = _find(holder, path)
    if found is None:
        raise _OpFailed(f"replace operation does not apply: doc is missing path: {path}")
    container, key = found
    try:
        _get(container, key)
    except _OpFailed as exc:
        raise _OpFailed(f"replace operation does not apply: doc is missing key: {path}") from exc
    if isinstance(container, dict):
        container[key] = new
    else:
        container[_index(container, key, size=len(container))] = new


def _op_move(holder: list[Any], op: dict[str, Any], *, value: Any) -> None:
    source = _member(op, "from", kind="move")
    found = _find(holder, source)
    if found is None:
        raise _OpFailed(f"move operation does not apply: doc is missing from path: {source}")
    container, key = found
    try:
        moved = _get(container, key)
        _remove(container, key)
    except _OpFailed as exc:
        raise _OpFailed(f"error in move for path: '{key}': {exc}") from exc
    path = _member(op, "path", kind="move")
    target = _find(holder, path)
    if target is None:
        raise _OpFailed(f"move operation does not apply: doc is missing destination path: {path}")
    try:
        _add(*target, value=moved)
    except _OpFailed as exc:
        raise _OpFailed(f"error in move for path: '{path}': {exc}") from exc


def _op_copy(holder: list[Any], op: dict[str, Any], *, value: Any) -> None:
    source = _member(op, "from", kind="copy")
    found = _find(holder, source)
    if found is None:
        raise _OpFailed(f"copy operation does not apply: doc is missing from path: {source}")
    try:
        copied = copy.deepcopy(_get(*found))
    except _OpFailed as exc:
        raise _OpFailed(f"error in copy for from: '{source}': {exc}") from exc
    path = _member(op, "path", kind="copy")
    target = _find(holder, path)
    if target is None:
        raise _OpFailed(f"copy operation does not apply: doc is missing destination path: {path}")
    try:
        _add(*target, value=copied)
    except _OpFailed as exc:
        raise _OpFailed(f"error while adding value during copy: {exc}") from exc


def _op_test(holder: list[Any], op: dict[str, Any], *, value: Any) -> None:
    path = _member(op, "path", kind="test")
    failed = _OpFailed(f"testing value {path} failed: test failed")
    if path == "":
        if value is _MISSING or not _same_json(holder[0], value):
            raise failed
        return
    found = _find(holder, path)
    if found is None:
        raise _OpFailed(f"test operation does not apply: is missing path: {path}")
    try:
        current = _get(*found)
    except _OpFailed as exc:
        raise _OpFailed(f"error in test for path: '{path}': {exc}") from exc
    if current is None:
        if value is _MISSING or value is None:
            return
        raise failed
    if value is _MISSING or not _same_json(current, value):
        raise failed


def _same_json(left: Any, right: Any) -> bool:
    """lazyNode.equal: containers member by member, scalars by their JSON text."""
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same_json(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same_json, left, right))
    if isinstance(left, dict | list) or isinstance(right, dict | list):
        return False
    # The document's numbers come from typed fields, so `1.0` in the operation is not `1`.
    return type(left) is type(right) and go_json(left) == go_json(right)
