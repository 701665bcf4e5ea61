"""Which fields each kind can be selected on, and their values for a given object.

kube-apiserver keeps two tables per kind: the field label conversion of the served version
(which labels a `fieldSelector` may name, and what internal field each means) and the
registry's selectable field set (the internal fields' values for one object). Both are ported
here for the built-in kinds whose 1.33 registries add fields beyond `metadata.name` and
`metadata.namespace`: Pods, Nodes, Namespaces, Secrets, Services, core and events.k8s.io
Events, ReplicaSets. Every other built-in kind converts only the two metadata fields; Nodes
and Namespaces have their own conversions, which do not accept `metadata.namespace`. Custom
resources accept `metadata.name`, `metadata.namespace` when namespaced, and the CRD version's
`selectableFields` when the kind catalogue carries them (a `selectable_fields` attribute).
Values are rendered as Go renders them (booleans `true`/`false`, numbers in decimal, absent
fields empty).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from sandbox.apiserver.kinds import ResourceKind

_Extract = Callable[[Mapping[str, Any]], dict[str, str]]

_REFERENCE: Final = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion")
_META: Final = {"metadata.name": "metadata.name", "metadata.namespace": "metadata.namespace"}


def _get(obj: Mapping[str, Any], path: str) -> Any:
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _text(obj: Mapping[str, Any], path: str) -> str:
    value = _get(obj, path)
    return "" if value is None else str(value)


def _flag(obj: Mapping[str, Any], path: str) -> str:
    return "true" if _get(obj, path) is True else "false"


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


def _pod(obj: Mapping[str, Any]) -> dict[str, str]:
    simple = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName"]
    simple += ["spec.serviceAccountName", "status.phase", "status.nominatedNodeName"]
    fields = {path: _text(obj, path) for path in simple}
    fields["spec.hostNetwork"] = _flag(obj, "spec.hostNetwork")
    # The registry reads the first of status.podIPs, which v1 conversion fills from podIP.
    ips = _get(obj, "status.podIPs")
    first = ips[0] if isinstance(ips, list) and ips and isinstance(ips[0], Mapping) else {}
    fields["status.podIP"] = str(first.get("ip") or "") or _text(obj, "status.podIP")
    return fields


def _event(
    obj: Mapping[str, Any], *, reference: str, reporting: str, source: str
) -> dict[str, str]:
    """An Event's fields under their internal (core/v1) names, from either API group."""
    fields = {f"involvedObject.{k}": _text(obj, f"{reference}.{k}") for k in _REFERENCE}
    fields["involvedObject.fieldPath"] = _text(obj, f"{reference}.fieldPath")
    reporter = _text(obj, reporting)
    fields["reason"] = _text(obj, "reason")
    fields["reportingComponent"] = reporter
    fields["source"] = _text(obj, source) or reporter
    fields["type"] = _text(obj, "type")
    return fields


def _core_event(obj: Mapping[str, Any]) -> dict[str, str]:
    return _event(
        obj, reference="involvedObject", reporting="reportingComponent", source="source.component"
    )


def _events_event(obj: Mapping[str, Any]) -> dict[str, str]:
    return _event(
        obj,
        reference="regarding",
        reporting="reportingController",
        source="deprecatedSource.component",
    )


_EVENT_REFERENCE: Final = (*_REFERENCE, "fieldPath")

# (group, kind) -> (label -> internal field, the kind's own selectable fields)
_KINDS: Final[dict[tuple[str, str], tuple[dict[str, str], _Extract]]] = {
    ("", "Pod"): (
        _META
        | _same("spec.nodeName", "spec.restartPolicy", "spec.schedulerName")
        | _same("spec.serviceAccountName", "spec.hostNetwork", "status.phase")
        | _same("status.podIP", "status.nominatedNodeName")
        | {"spec.host": "spec.nodeName"},  # for old v1 clients
        _pod,
    ),
    ("", "Node"): (
        _same("metadata.name", "spec.unschedulable"),
        lambda obj: {"spec.unschedulable": _flag(obj, "spec.unschedulable")},
    ),
    ("", "Namespace"): (
        _same("metadata.name", "status.phase"),
        lambda obj: {"status.phase": _text(obj, "status.phase")},
    ),
    ("", "Secret"): (_META | _same("type"), lambda obj: {"type": _text(obj, "type")}),
    ("", "Service"): (
        _META | _same("spec.clusterIP", "spec.type"),
        lambda obj: {path: _text(obj, path) for path in ("spec.clusterIP", "spec.type")},
    ),
    ("", "Event"): (
        _META
        | _same(*(f"involvedObject.{k}" for k in _EVENT_REFERENCE))
        | _same("reason", "reportingComponent", "source", "type"),
        _core_event,
    ),
    ("events.k8s.io", "Event"): (
        _META
        | {f"regarding.{k}": f"involvedObject.{k}" for k in _EVENT_REFERENCE}
        | _same("reason", "source", "type")
        | {"reportingController": "reportingComponent"},
        _events_event,
    ),
    ("apps", "ReplicaSet"): (
        _META | _same("status.replicas"),
        lambda obj: {"status.replicas": str(_get(obj, "status.replicas") or 0)},
    ),
}


def _entry(kind: ResourceKind) -> tuple[dict[str, str], _Extract] | None:
    return None if kind.custom else _KINDS.get((kind.group, kind.kind))


def _custom_selectable(kind: ResourceKind) -> list[str]:
    """A CRD version's `selectableFields`, as labels (`.spec.color` → `spec.color`).

    Read from a `selectable_fields` attribute of the kind (JSON paths, or the CRD's
    `{"jsonPath": ...}` entries) when the catalogue provides one; none otherwise.
    """
    labels = []
    for entry in getattr(kind, "selectable_fields", None) or ():
        path = entry.get("jsonPath", "") if isinstance(entry, Mapping) else str(entry)
        if path:
            labels.append(path.lstrip("."))
    return labels


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None or isinstance(value, Mapping | list) else str(value)


def field_label_conversions(kind: ResourceKind) -> Mapping[str, str]:
    """Field label → internal field name, for the labels the kind accepts."""
    if kind.custom:
        # Custom resources: the name, the namespace if namespaced, and selectableFields.
        labels = ["metadata.name", *(["metadata.namespace"] if kind.namespaced else [])]
        return _same(*labels, *_custom_selectable(kind))
    entry = _entry(kind)
    return entry[0] if entry else _META


def supported_field_labels(kind: ResourceKind) -> frozenset[str]:
    """The field labels a `fieldSelector` may name for this kind."""
    return frozenset(field_label_conversions(kind))


def object_fields(kind: ResourceKind, obj: Mapping[str, Any]) -> dict[str, str]:
    """An object's selectable fields, keyed as `FieldSelector.for_kind` names them.

    `metadata.namespace` is included for namespaced kinds only; a cluster-scoped object has
    none, which a selector reads as "" just as the server does.
    """
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    fields = {"metadata.name": str(meta.get("name") or "")}
    if kind.namespaced:
        fields["metadata.namespace"] = str(meta.get("namespace") or "")
    entry = _entry(kind)
    if entry is not None:
        fields |= entry[1](obj)
    if kind.custom:
        fields |= {label: _scalar(_get(obj, label)) for label in _custom_selectable(kind)}
    return fields
