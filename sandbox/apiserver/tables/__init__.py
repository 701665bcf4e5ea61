"""Server-side printing: objects as the `meta.k8s.io/v1` Table kube-apiserver returns.

`kubectl get` asks for `application/json;as=Table;v=v1;g=meta.k8s.io` and prints the columns
and cells it gets back verbatim (it only hides priority-1 columns unless `-o wide`), so READY
`1/1`, STATUS `CrashLoopBackOff`, RESTARTS `3 (5m ago)` and AGE `10m` are computed here, by
ports of the apiserver's printers. The REST handlers call `to_table` for list and get requests
with that Accept header; `includeObject` decides what each row embeds (the object's metadata as
a `PartialObjectMetadata` by default, the whole object, or nothing).

Modules: `builtin.py` (which printer serves which kind), `pods.py`, `core.py`, `apps.py`,
`cluster.py` (the ports), `custom.py` (CRD `additionalPrinterColumns`), `columns.py` (shared
shapes and the default Name/Created At printer), `fields.py` (field access and formatters),
`humanize.py` (ages), `descriptions.py` (column descriptions).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sandbox.apiserver import errors
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.tables.builtin import PRINTERS
from sandbox.apiserver.tables.columns import DEFAULT_PRINTER, Printer
from sandbox.apiserver.tables.custom import custom_printer
from sandbox.apiserver.tables.humanize import humanize_age

__all__ = ["humanize_age", "printer_for", "to_table"]

INCLUDE_OBJECT_VALUES = ("None", "Metadata", "Object")

# `metav1.ObjectMeta` field order, so a PartialObjectMetadata serialises as Go's would.
_OBJECT_META_ORDER = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
)


def printer_for(kind: ResourceKind) -> Printer:
    """The printer kube-apiserver uses for this kind (custom, built-in, or the default)."""
    if kind.custom:
        return custom_printer(kind)
    return PRINTERS.get((kind.group, kind.kind), DEFAULT_PRINTER)


def _partial_metadata(obj: Mapping[str, Any], group_version: str) -> dict[str, Any]:
    """`meta.AsPartialObjectMetadata`: the whole ObjectMeta, nothing else of the object."""
    source = obj.get("metadata")
    metadata = copy.deepcopy(dict(source)) if isinstance(source, Mapping) else {}
    metadata.setdefault("creationTimestamp", None)  # Go always writes this field, null if zero
    ordered = {key: metadata.pop(key) for key in _OBJECT_META_ORDER if key in metadata}
    ordered.update(metadata)
    return {"kind": "PartialObjectMetadata", "apiVersion": group_version, "metadata": ordered}


def _row_object(
    obj: Mapping[str, Any], *, include_object: str, group_version: str
) -> dict[str, Any] | None:
    if include_object == "Object":
        return copy.deepcopy(dict(obj))
    if include_object == "None":
        return None
    return _partial_metadata(obj, group_version)


def to_table(
    kind: ResourceKind,
    objects: Sequence[Mapping[str, Any]],
    *,
    include_object: str = "Metadata",
    now: datetime,
    resource_version: str = "",
    continue_token: str = "",
    remaining_item_count: int | None = None,
    group_version: str = "meta.k8s.io/v1",
) -> dict[str, Any]:
    """The `meta.k8s.io/v1` Table for `objects` (one for a get, all items for a list).

    Args:
        kind: the served kind, which picks the printer.
        objects: the objects, as served (the version of `kind`).
        include_object: the `includeObject` query value: "Metadata" (or "") embeds a
            PartialObjectMetadata per row, "Object" the object itself, "None" a null.
        now: the server clock (timezone-aware) the ages are computed against.
        resource_version: `metadata.resourceVersion` of the Table (the list's, or the object's).
        continue_token: `metadata.continue` of a paginated list.
        remaining_item_count: `metadata.remainingItemCount` of a paginated list, if known.
        group_version: the Table's `apiVersion` as negotiated (`meta.k8s.io/v1` or
            `meta.k8s.io/v1beta1`); embedded PartialObjectMetadata rows use the same.

    Raises:
        ApiError: 400 BadRequest for an unrecognized `includeObject` value, worded as upstream.
    """
    mode = include_object or "Metadata"
    if mode not in INCLUDE_OBJECT_VALUES:
        raise errors.bad_request(f'unrecognized includeObject value: "{include_object}"')
    printer = printer_for(kind)
    if now.tzinfo is None:  # a naive clock reading is taken as UTC, as the store writes UTC
        now = now.replace(tzinfo=UTC)
    rows: list[dict[str, Any]] = []
    for obj in objects:
        row = printer.row(obj, now)
        entry: dict[str, Any] = {"cells": row.cells}
        if row.conditions:
            entry["conditions"] = [dict(condition) for condition in row.conditions]
        entry["object"] = _row_object(obj, include_object=mode, group_version=group_version)
        rows.append(entry)
    metadata: dict[str, Any] = {}
    if resource_version:
        metadata["resourceVersion"] = resource_version
    if continue_token:
        metadata["continue"] = continue_token
    if remaining_item_count is not None:
        metadata["remainingItemCount"] = remaining_item_count
    return {
        "kind": "Table",
        "apiVersion": group_version,
        "metadata": metadata,
        "columnDefinitions": [dict(definition) for definition in printer.columns],
        "rows": None if not rows and printer.null_rows_when_empty else rows,
    }
