"""Server-side apply and field-ownership recording, as kube-apiserver's field manager does them.

The REST layer calls `server_side_apply` for `application/apply-patch+yaml` requests and
`record_update` after every other write (create, update, patch) with the object about to be
stored, already defaulted. Both return a new object whose `metadata.managedFields` is what the
real server would store; neither mutates its arguments.

The steps follow kube-apiserver's chain of managers (`NewDefaultFieldManager`): the applied
object's kind must be the endpoint's; kubectl's own manager ("kubectl") may take over fields
that match its client-side `last-applied-configuration` annotation without conflicts, and
keeps that annotation in step; an object without managedFields first gets a
`before-first-apply` owner for everything it has; update managers are capped at ten; ownership
is recorded under the manager's identity with the time of the last change; untracked metadata
is stripped. A write that finds no managedFields on an existing object records none (that is
how clients clear them), and a request object carrying managedFields replaces the stored ones.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.apiserver.patch import updater
from sandbox.apiserver.patch.errors import (
    ApplyConflict,
    PatchError,
    bad_request,
    go_json_kind,
    server_error,
)
from sandbox.apiserver.patch.fieldpaths import FieldSet, Path, path_string
from sandbox.apiserver.patch.managed import (
    Managed,
    ManagerId,
    Owned,
    cap_update_managers,
    decode,
    encode,
    entries_of,
    is_reset,
    strip,
)
from sandbox.apiserver.patch.merge import compare
from sandbox.apiserver.patch.schema import FieldSchema
from sandbox.apiserver.patch.typed import to_field_set, validate
from sandbox.apiserver.patch.zero import shared_zero_object
from sandbox.apiserver.schema.gojson import copy_json, go_json

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_KUBECTL = "kubectl"
_BEFORE_FIRST_APPLY = "before-first-apply"
_CURRENT = ManagerId("\x00current-operation", "Update")  # never a real identity
_MAX_ANNOTATIONS_BYTES = 256 * 1024


@dataclass(frozen=True)
class _Request:
    schema: FieldSchema
    subresource: str
    now: str
    api_version: str

    @property
    def reset(self) -> FieldSet:
        return updater.reset_filter(self.schema.reset_fields(self.subresource))


def server_side_apply(
    live: dict[str, Any] | None,
    applied: dict[str, Any],
    *,
    manager: str,
    force: bool,
    schema: FieldSchema,
    subresource: str = "",
    now: str,
) -> dict[str, Any]:
    """Apply `applied` for `manager` over `live` (None: create); raise ApplyConflict on conflict."""
    if not isinstance(applied, dict):
        raise bad_request(
            f"error decoding patch: json: cannot unmarshal {go_json_kind(applied)} into Go "
            "value of type map[string]interface {}"
        )
    live_obj: dict[str, Any] = live if live is not None else {}
    try:
        managed = decode(entries_of(live_obj))
    except ValueError as exc:
        raise server_error(f"failed to decode managed fields: {exc}") from exc
    kind = _gvk(applied)
    expected = _expected_gvk(schema, live)
    if expected is not None and kind != expected:
        raise bad_request(f"invalid object type: {_gvk_string(kind)}")
    request = _Request(schema, subresource, now, str(applied.get("apiVersion") or ""))
    try:
        obj, managed = _apply(
            request, live_obj, applied=applied, managed=managed, manager=manager, force=force
        )
    except updater.Conflicts as exc:
        allowed = _allowed_by_last_applied(request, live_obj) if manager == _KUBECTL else None
        if allowed is None:
            raise _conflict_error(exc.conflicts) from None
        remaining = [(i, p) for i, p in exc.conflicts if p not in allowed]
        if remaining:
            raise _conflict_error(remaining) from None
        obj, managed = _apply(
            request, live_obj, applied=applied, managed=managed, manager=manager, force=True
        )
    if manager == _KUBECTL:
        _sync_last_applied(obj, applied)
    _store(obj, managed)
    return obj


def record_update(
    old: dict[str, Any] | None,
    new: dict[str, Any],
    *,
    manager: str,
    schema: FieldSchema,
    subresource: str = "",
    now: str,
) -> dict[str, Any]:
    """`new` with the managedFields of an Update by `manager` (old None: a create)."""
    obj: dict[str, Any] = copy_json(new)
    managed = _decode_live_or_new(old, new, subresource=subresource)
    _without_managed_in_place(obj)
    if not managed.fields and old is not None and _uid(old):
        return obj
    api_version = str(new.get("apiVersion") or (old or {}).get("apiVersion") or "")
    request = _Request(schema, subresource, now, api_version)
    before = old if old is not None else shared_zero_object(schema)
    managed = _record(request, before, new=obj, managed=managed, manager=manager)
    _store(obj, managed)
    return obj


# The Apply chain ------------------------------------------------------------------------------


def _apply(
    request: _Request,
    live: dict[str, Any],
    *,
    applied: dict[str, Any],
    managed: Managed,
    manager: str,
    force: bool,
) -> tuple[dict[str, Any], Managed]:
    schema = request.schema
    current = _without_managed(live)
    if not managed.fields:
        managed = _record(
            request,
            shared_zero_object(schema),
            new=current,
            managed=managed,
            manager=_BEFORE_FIRST_APPLY,
        )
    ident = ManagerId.of(
        manager=manager or "unknown",
        operation="Apply",
        api_version=request.api_version,
        subresource=request.subresource,
    )
    metadata = applied.get("metadata")
    if isinstance(metadata, Mapping) and metadata.get("managedFields") is not None:
        raise bad_request("metadata.managedFields must be nil")
    errors = validate(applied, schema)
    if errors:
        raise server_error(
            f"failed to create typed patch object ({_gvknn(applied)}): {_join(errors)}"
        )
    new, owners = updater.apply(
        current,
        applied,
        schema=schema,
        owners=managed.fields,
        applier=ident,
        api_version=request.api_version,
        force=force,
        reset=request.reset,
    )
    result = Managed(owners, dict(managed.times))
    strip(result, ident)
    if new is None:
        return current, result
    result.times[ident] = request.now
    if schema.root_kind is not None:
        new = _drop_nulls(new)
    return new, result


def _record(
    request: _Request,
    old: Any,
    *,
    new: dict[str, Any],
    managed: Managed,
    manager: str,
) -> Managed:
    """The Update chain below skipNonApplied: record, strip, merge into the manager, cap."""
    ident = ManagerId.of(
        manager=manager or "unknown",
        operation="Update",
        api_version=request.api_version,
        subresource=request.subresource,
    )
    owners = updater.update(
        _managed_hidden(old) if isinstance(old, dict) else old,
        _managed_hidden(new),
        schema=request.schema,
        owners=dict(managed.fields),
        writer=_CURRENT,
        api_version=request.api_version,
        reset=request.reset,
    )
    result = Managed(owners, dict(managed.times))
    strip(result, _CURRENT)
    current = result.fields.pop(_CURRENT, None)
    if current is not None:
        previous = result.fields.get(ident)
        fields = current.fields | previous.fields if previous else current.fields
        result.fields[ident] = Owned(fields, current.api_version, applied=False)
        result.times[ident] = request.now
    cap_update_managers(result)
    return result


def _decode_live_or_new(
    old: dict[str, Any] | None, new: dict[str, Any], *, subresource: str
) -> Managed:
    """The ownership an Update starts from: the request's managedFields if usable, else live."""
    if not subresource:
        entries = entries_of(new)
        if is_reset(entries):
            return Managed()
        try:
            managed = decode(entries)
        except ValueError:
            managed = Managed()
        if managed.fields:
            return managed
    try:
        return decode(entries_of(old))
    except ValueError:
        return Managed()


# Client-side apply interplay ------------------------------------------------------------------


def _allowed_by_last_applied(request: _Request, live: dict[str, Any]) -> FieldSet | None:
    """Fields kubectl may take over: in its last-applied configuration and unchanged since."""
    metadata = live.get("metadata") or {}
    annotations = metadata.get("annotations") or {}
    text = annotations.get(LAST_APPLIED) if isinstance(annotations, Mapping) else None
    if not isinstance(text, str) or not text:
        return None
    try:
        last = json.loads(text)
    except ValueError:
        return None
    if not isinstance(last, dict) or last.get("apiVersion") != request.api_version:
        return None
    if validate(last, request.schema):
        return None
    added, modified, removed = compare(last, _without_managed(live), schema=request.schema).sets()
    return to_field_set(last, request.schema) - modified - added - removed


def _sync_last_applied(obj: dict[str, Any], applied: dict[str, Any]) -> None:
    """Keep an existing last-applied annotation equal to what kubectl applied server-side."""
    annotations = (obj.get("metadata") or {}).get("annotations")
    if not isinstance(annotations, dict) or not annotations.get(LAST_APPLIED):
        return
    config = copy.deepcopy(applied)
    config_annotations = (config.get("metadata") or {}).get("annotations")
    if isinstance(config_annotations, dict):
        config_annotations.pop(LAST_APPLIED, None)
    annotations[LAST_APPLIED] = go_json(config) + "\n"
    size = sum(len(k) + len(str(v)) for k, v in annotations.items())
    if size > _MAX_ANNOTATIONS_BYTES:
        del annotations[LAST_APPLIED]


# Helpers --------------------------------------------------------------------------------------


def _conflict_error(conflicts: list[tuple[ManagerId, Path]]) -> PatchError:
    causes = [
        {
            "reason": "FieldManagerConflict",
            "message": f"conflict with {ident.printed()}",
            "field": path_string(path),
        }
        for ident, path in conflicts
    ]
    if len(conflicts) == 1:
        ident, path = conflicts[0]
        message = (
            f"Apply failed with 1 conflict: conflict with {ident.printed()}: {path_string(path)}"
        )
    else:
        lines: list[str] = []
        for ident in sorted({i for i, _ in conflicts}, key=ManagerId.identifier):
            lines.append(f"conflicts with {ident.printed()}:")
            lines.extend(f"- {path_string(p)}" for i, p in conflicts if i == ident)
        message = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    pairs = [(ident.manager, path_string(path)) for ident, path in conflicts]
    return ApplyConflict(message, conflicts=pairs, causes=causes)


def _gvk(obj: Mapping[str, Any]) -> tuple[str, str, str]:
    api_version = str(obj.get("apiVersion") or "")
    group, _, version = api_version.rpartition("/")
    return group, version, str(obj.get("kind") or "")


def _gvk_string(gvk: tuple[str, str, str]) -> str:
    return f"{gvk[0]}/{gvk[1]}, Kind={gvk[2]}"


def _expected_gvk(
    schema: FieldSchema, live: Mapping[str, Any] | None
) -> tuple[str, str, str] | None:
    if schema.root_kind is not None:
        return schema.root_kind
    if live and live.get("apiVersion") and live.get("kind"):
        return _gvk(live)
    return None


def _gvknn(obj: Mapping[str, Any]) -> str:
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
    namespace = str((metadata or {}).get("namespace") or "")
    name = str((metadata or {}).get("name") or "")
    return f"{namespace}/{name}; {_gvk_string(_gvk(obj))}"


def _join(errors: list[str]) -> str:
    if len(errors) == 1:
        return errors[0]
    return "\n".join(["errors:", *("  " + e for e in errors)])


def _uid(obj: Mapping[str, Any]) -> str:
    metadata = obj.get("metadata")
    return str(metadata.get("uid") or "") if isinstance(metadata, Mapping) else ""


def _without_managed(obj: Any) -> Any:
    out = copy_json(obj)
    if isinstance(out, dict):
        _without_managed_in_place(out)
    return out


def _managed_hidden(obj: dict[str, Any]) -> dict[str, Any]:
    """`obj` seen without managedFields, sharing everything else: only for reading."""
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict) or "managedFields" not in metadata:
        return obj
    return {**obj, "metadata": {k: v for k, v in metadata.items() if k != "managedFields"}}


def _without_managed_in_place(obj: dict[str, Any]) -> None:
    metadata = obj.get("metadata")
    if isinstance(metadata, dict):
        metadata.pop("managedFields", None)


def _store(obj: dict[str, Any], managed: Managed) -> None:
    entries = encode(managed)
    metadata = obj.get("metadata")
    if entries is None:
        if isinstance(metadata, dict):
            metadata.pop("managedFields", None)
        return
    if not isinstance(metadata, dict):
        metadata = obj["metadata"] = {}
    metadata["managedFields"] = entries


def _drop_nulls(value: Any) -> Any:
    """Nulls a built-in type cannot hold (they decode to omitted zero values)."""
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value
