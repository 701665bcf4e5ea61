"""Stored objects in the version a request addresses, and back.

Storage is per resource, not per version (see `registry.StorageKey`). Custom resources are
converted with the CRD's `None` strategy (only `apiVersion` changes), and `events.k8s.io`
events are the core events store seen through `events.py`'s field mapping. Conversion never
mutates the stored dict: it returns the same object when nothing changes, else a shallow copy.
"""

from __future__ import annotations

from typing import Any

from sandbox.apiserver import events
from sandbox.apiserver.kinds import ResourceKind

Object = dict[str, Any]


def _is_events_v1(kind: ResourceKind) -> bool:
    return (kind.group, kind.plural) == ("events.k8s.io", "events")


def to_served(kind: ResourceKind, obj: Object) -> Object:
    """A stored object as `kind` (its group and version) presents it."""
    if _is_events_v1(kind):
        return events.to_events_v1(obj)
    if obj.get("apiVersion") == kind.api_version and obj.get("kind") == kind.kind:
        return obj
    return {
        "apiVersion": kind.api_version,
        "kind": kind.kind,
        **{k: v for k, v in obj.items() if k not in ("apiVersion", "kind")},
    }


def object_form(kind: ResourceKind) -> str:
    """The `Store.encoded` form of an object's compact JSON as `kind` serves it.

    Responses and watch streams both use it, so a write's response and its watch event
    share one encoding.
    """
    return kind.api_version


def to_stored(kind: ResourceKind, obj: Object) -> Object:
    """An object written through `kind` in the shape its store keeps."""
    if _is_events_v1(kind):
        stored = events.from_events_v1(obj)
        events.core_defaults(stored)
        return stored
    return obj
