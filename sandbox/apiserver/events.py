"""Conversion between core `v1` Events and `events.k8s.io/v1` Events, which share one store.

kube-apiserver stores both APIs' events as the same internal object, so an event written
through one API is readable through the other. The emulator stores the core shape and
converts at the edges: `to_events_v1` when serving `events.k8s.io`, `from_events_v1` when
one is written. Field correspondence follows `pkg/apis/events/v1/conversion.go`:
`involvedObject` is `regarding`, `message` is `note`, `source` is `deprecatedSource`, and
the timestamps and count carry a `deprecated` prefix.
"""

from __future__ import annotations

from typing import Any, Final

Object = dict[str, Any]

_RENAMES: Final = (
    ("involvedObject", "regarding"),
    ("message", "note"),
    ("source", "deprecatedSource"),
    ("firstTimestamp", "deprecatedFirstTimestamp"),
    ("lastTimestamp", "deprecatedLastTimestamp"),
    ("count", "deprecatedCount"),
    ("reportingComponent", "reportingController"),
)
_SAME: Final = ("reason", "type", "eventTime", "series", "action", "related", "reportingInstance")


def to_events_v1(core: Object) -> Object:
    """A stored core Event as `events.k8s.io/v1` serves it."""
    out: Object = {"kind": "Event", "apiVersion": "events.k8s.io/v1", "metadata": core["metadata"]}
    for old, new in _RENAMES:
        if core.get(old) not in (None, "", {}, 0):
            out[new] = core[old]
    for name in _SAME:
        if core.get(name) not in (None, ""):
            out[name] = core[name]
    series = out.get("series")
    if isinstance(series, dict) and "lastObservedTime" in series:
        out["series"] = {
            "count": series.get("count", 0),
            "lastObservedTime": series["lastObservedTime"],
        }
    return out


def from_events_v1(event: Object) -> Object:
    """An `events.k8s.io/v1` Event in the core shape the store keeps."""
    out: Object = {"kind": "Event", "apiVersion": "v1", "metadata": event.get("metadata") or {}}
    for old, new in _RENAMES:
        if new in event:
            out[old] = event[new]
    for name in _SAME:
        if name in event:
            out[name] = event[name]
    out.setdefault("involvedObject", {})
    out.setdefault("source", {})
    return out


def core_defaults(event: Object) -> None:
    """Fields the core API always prints: empty `involvedObject`/`source`, null times."""
    event.setdefault("involvedObject", {})
    event.setdefault("source", {})
    event.setdefault("firstTimestamp", None)
    event.setdefault("lastTimestamp", None)
    event.setdefault("eventTime", None)
    event.setdefault("reportingComponent", "")
    event.setdefault("reportingInstance", "")
