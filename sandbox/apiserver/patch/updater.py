"""Ownership updates for writes and applies (structured-merge-diff's `merge.Updater`).

An ordinary write (`update`) compares the old and new object: the writer gains every field it
added or changed, and every other manager loses those fields and any field that disappeared.
An apply (`apply`) merges the configuration into the live object, gives the applier exactly
the configuration's fields, prunes what the applier owned last time but no longer applies
(unless another manager still owns it), and then runs the same ownership move, refusing with
`Conflicts` when a field another manager owns would change, unless forced.

Fields reset by the endpoint (`status` on the main resource, `spec` on `/status`) are left out
of every comparison and set, as the strategies' `GetResetFields` make kube-apiserver do. All
managers are treated as recording the object's current apiVersion: the emulator serves one
version per kind, so no conversion between versions is needed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sandbox.apiserver.patch.fieldpaths import FieldSet, Path, PathElement
from sandbox.apiserver.patch.managed import ManagerId, Owned
from sandbox.apiserver.patch.merge import compare, merge, remove
from sandbox.apiserver.patch.schema import FieldSchema
from sandbox.apiserver.patch.typed import ABSENT, ensure_named_fields, to_field_set
from sandbox.apiserver.schema.gojson import json_equal

Owners = dict[ManagerId, Owned]
_EMPTY = FieldSet()


class Conflicts(Exception):
    """Fields other managers own that an apply would change, in Go's order."""

    def __init__(self, conflicts: list[tuple[ManagerId, Path]]) -> None:
        super().__init__(f"{len(conflicts)} conflicts")
        self.conflicts = conflicts


@cache
def reset_filter(names: frozenset[str]) -> FieldSet:
    return FieldSet((PathElement.field_name(name),) for name in names)


def update(
    old: Any,
    new: Any,
    *,
    schema: FieldSchema,
    owners: Owners,
    writer: ManagerId,
    api_version: str,
    reset: FieldSet,
) -> Owners:
    """Ownership after an ordinary write by `writer` (Updater.Update)."""
    owners, added, modified, removed = _move(
        old, new, schema=schema, owners=owners, skip=writer, force=True, reset=reset
    )
    previous = owners.get(writer)
    fields = ((previous.fields if previous else _EMPTY) - removed) | modified | added
    fields = fields.recursive_difference(reset)
    if fields:
        owners[writer] = Owned(fields, api_version, applied=False)
    else:
        owners.pop(writer, None)
    return owners


def apply(
    live: dict[str, Any],
    config: dict[str, Any],
    *,
    schema: FieldSchema,
    owners: Owners,
    applier: ManagerId,
    api_version: str,
    force: bool,
    reset: FieldSet,
) -> tuple[dict[str, Any] | None, Owners]:
    """Merge `config` into `live`; the new object (None if unchanged) and ownership."""
    owners = dict(owners)
    merged = merge(live, config, schema=schema)
    new: dict[str, Any] = {} if merged is ABSENT else merged
    last = owners.get(applier)
    applied_fields = to_field_set(config, schema).recursive_difference(reset)
    owners[applier] = Owned(applied_fields, api_version, applied=True)
    new = _prune(new, schema=schema, owners=owners, last=last)
    owners, *_ = _move(
        live, new, schema=schema, owners=owners, skip=applier, force=force, reset=reset
    )
    return (None if json_equal(live, new) else new), owners


def _move(
    old: Any,
    new: Any,
    *,
    schema: FieldSchema,
    owners: Owners,
    skip: ManagerId,
    force: bool,
    reset: FieldSet,
) -> tuple[Owners, FieldSet, FieldSet, FieldSet]:
    """Take changed fields from other managers and removed fields from everyone (update())."""
    added, modified, removed = (
        s.recursive_difference(reset) for s in compare(old, new, schema=schema).sets()
    )
    changed = modified | added
    conflicts: dict[ManagerId, FieldSet] = {}
    for ident, owned in owners.items():
        if ident != skip and (overlap := owned.fields & changed):
            conflicts[ident] = overlap
    if conflicts and not force:
        ordered = sorted(conflicts, key=ManagerId.identifier)
        raise Conflicts([(ident, path) for ident in ordered for path in conflicts[ident]])
    result: Owners = {}
    for ident, owned in owners.items():
        fields = owned.fields
        if ident in conflicts:
            fields = fields - conflicts[ident]
        if ident != skip:
            fields = fields - removed
        if fields:
            result[ident] = Owned(fields, owned.api_version, owned.applied)
    return result, added, modified, removed


def _prune(
    merged: dict[str, Any], *, schema: FieldSchema, owners: Owners, last: Owned | None
) -> dict[str, Any]:
    """Drop what the applier applied last time and nobody owns now (Updater.prune)."""
    if last is None or not last.fields:
        return merged
    last_fields = ensure_named_fields(last.fields, schema)
    pruned = _remove(merged, last_fields, schema=schema)
    # Add back what any manager (the applier's new configuration included) owns.
    owned = FieldSet()
    for entry in owners.values():
        owned = owned | entry.fields
    merged_set = ensure_named_fields(to_field_set(merged, schema), schema)
    pruned_set = ensure_named_fields(to_field_set(pruned, schema), schema)
    keep = pruned_set | ensure_named_fields(owned, schema)
    pruned = _remove(merged, merged_set - keep, schema=schema)
    # Only remove what the applier did own: dangling items stay.
    pruned_set = ensure_named_fields(to_field_set(pruned, schema), schema)
    return _remove(merged, (merged_set - pruned_set) & last_fields, schema=schema)


def _remove(value: dict[str, Any], fields: FieldSet, *, schema: FieldSchema) -> dict[str, Any]:
    if not fields:
        return value
    out = remove(value, fields, schema=schema)
    return {} if out is ABSENT else out
