"""`metadata.managedFields` bookkeeping: decoding, encoding, identities, stripping, capping.

kube-apiserver keeps field ownership as one entry per manager identity, where the identity is
(manager, operation, apiVersion, subresource) and, for Apply entries, without the apiVersion:
an applier owns its fields whatever version it last applied with. Entries are written sorted
by operation (Apply before Update), then time in seconds, manager, apiVersion and subresource,
with keys in `ManagedFieldsEntry` field order. Metadata kube-apiserver never tracks (name,
namespace, uid, resourceVersion, generation, creationTimestamp, managedFields, ...) is stripped
from an operation's fields, and beyond ten Update managers the oldest are folded into an
`ancient-changes` entry per apiVersion, as `capmanagers.go` does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.apiserver.patch.fieldpaths import FieldSet, PathElement
from sandbox.apiserver.schema.gojson import go_quote

MAX_UPDATE_MANAGERS = 10
_ANCIENT = "ancient-changes"


@dataclass(frozen=True)
class ManagerId:
    """A manager identity (BuildManagerIdentifier): Apply identities carry no apiVersion."""

    manager: str
    operation: str
    api_version: str = ""
    subresource: str = ""

    @staticmethod
    def of(*, manager: str, operation: str, api_version: str, subresource: str) -> ManagerId:
        version = "" if operation == "Apply" else api_version
        return ManagerId(manager, operation, version, subresource)

    def identifier(self) -> str:
        """The identity's JSON, as Go uses it for sorting and printing."""
        parts: dict[str, str] = {"manager": self.manager, "operation": self.operation}
        if self.api_version:
            parts["apiVersion"] = self.api_version
        if self.subresource:
            parts["subresource"] = self.subresource
        return json.dumps(parts, separators=(",", ":"))

    def printed(self) -> str:
        """How conflict messages name the manager (printManager)."""
        text = go_quote(self.manager)
        if self.subresource:
            text = f"{text} with subresource {go_quote(self.subresource)}"
        if self.operation == "Update":
            text = f"{text} using {self.api_version}"
        return text


@dataclass(frozen=True)
class Owned:
    """A manager's fields, the apiVersion they were recorded at, and whether by Apply."""

    fields: FieldSet
    api_version: str
    applied: bool


@dataclass
class Managed:
    fields: dict[ManagerId, Owned] = field(default_factory=dict)
    times: dict[ManagerId, str | None] = field(default_factory=dict)

    def copy(self) -> Managed:
        return Managed(dict(self.fields), dict(self.times))


_STRIPPED = FieldSet(
    [
        (PathElement.field_name("apiVersion"),),
        (PathElement.field_name("kind"),),
        (PathElement.field_name("metadata"),),
        *(
            (PathElement.field_name("metadata"), PathElement.field_name(name))
            for name in (
                "name",
                "namespace",
                "creationTimestamp",
                "selfLink",
                "uid",
                "clusterName",
                "generation",
                "managedFields",
                "resourceVersion",
            )
        ),
    ]
)


def entries_of(obj: Mapping[str, Any] | None) -> Any:
    """The raw `metadata.managedFields` of an object (None when absent)."""
    if not obj:
        return None
    metadata = obj.get("metadata")
    return metadata.get("managedFields") if isinstance(metadata, Mapping) else None


def is_reset(entries: Any) -> bool:
    """An empty list, or a list of one empty entry, asks the server to drop all ownership."""
    return isinstance(entries, list) and (entries == [] or entries == [{}])


def decode(entries: Any) -> Managed:
    """Read managedFields entries; raise ValueError with Go's message when one is invalid."""
    managed = Managed()
    if entries is None:
        return managed
    if not isinstance(entries, list):
        raise ValueError("managedFields must be a list")
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise ValueError(f"managed fields entry {i} is not an object")
        operation = entry.get("operation")
        if operation not in ("Apply", "Update"):
            raise ValueError("operation must be `Apply` or `Update`")
        api_version = entry.get("apiVersion") or ""
        if not api_version:
            raise ValueError("apiVersion must not be empty")
        fields_type = entry.get("fieldsType") or ""
        if fields_type == "":
            raise ValueError(f"missing fieldsType in managed fields entry {i}")
        if fields_type != "FieldsV1":
            raise ValueError(f'invalid fieldsType "{fields_type}" in managed fields entry {i}')
        ident = ManagerId.of(
            manager=str(entry.get("manager") or ""),
            operation=str(operation),
            api_version=str(api_version),
            subresource=str(entry.get("subresource") or ""),
        )
        try:
            fields = FieldSet.from_fields_v1(entry.get("fieldsV1") or {})
        except (ValueError, TypeError) as exc:
            raise ValueError(f"error decoding versioned set: error decoding set: {exc}") from exc
        managed.fields[ident] = Owned(fields, str(api_version), operation == "Apply")
        time = entry.get("time")
        managed.times[ident] = time if isinstance(time, str) else None
    return managed


def _seconds(time: str | None) -> int:
    if not time:
        return 0
    try:
        return int(datetime.fromisoformat(time.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return 0


def encode(managed: Managed) -> list[dict[str, Any]] | None:
    """The managedFields entries in the server's order; None when nobody owns anything."""
    if not managed.fields:
        return None
    entries: list[dict[str, Any]] = []
    for ident, owned in managed.fields.items():
        entry: dict[str, Any] = {
            "manager": ident.manager,
            "operation": "Apply" if owned.applied else ident.operation,
            "apiVersion": owned.api_version,
        }
        time = managed.times.get(ident)
        if time:
            entry["time"] = time
        entry["fieldsType"] = "FieldsV1"
        entry["fieldsV1"] = owned.fields.to_fields_v1()
        if ident.subresource:
            entry["subresource"] = ident.subresource
        entries.append(entry)
    entries.sort(
        key=lambda e: (
            e["operation"],
            _seconds(e.get("time")),
            e["manager"],
            e["apiVersion"],
            e.get("subresource", ""),
        )
    )
    return entries


def strip(managed: Managed, ident: ManagerId) -> None:
    """Remove the untracked metadata from one manager's fields (stripMetaManager)."""
    owned = managed.fields.get(ident)
    if owned is None:
        return
    fields = owned.fields - _STRIPPED
    if fields:
        managed.fields[ident] = Owned(fields, owned.api_version, owned.applied)
    else:
        del managed.fields[ident]


def cap_update_managers(managed: Managed, limit: int = MAX_UPDATE_MANAGERS) -> None:
    """Fold the oldest Update managers into `ancient-changes` beyond `limit` of them."""
    updaters = [ident for ident, owned in managed.fields.items() if not owned.applied]
    if len(updaters) <= limit:
        return
    updaters.sort(key=lambda i: (_seconds(managed.times.get(i)), i.identifier()))
    first_by_version: dict[str, ManagerId] = {}
    length = len(updaters)
    for ident in updaters:
        if length <= limit:
            break
        owned = managed.fields[ident]
        version = owned.api_version
        bucket = ManagerId(_ANCIENT, "Update", version, "")
        first = first_by_version.get(version)
        if first is None:
            first_by_version[version] = ident
            continue
        if bucket not in managed.fields:
            managed.fields[bucket] = managed.fields.pop(first)
        merged = owned.fields | managed.fields[bucket].fields
        managed.fields[bucket] = Owned(merged, owned.api_version, owned.applied)
        del managed.fields[ident]
        length -= 1
        managed.times[bucket] = managed.times.get(ident)
