"""Validation of built-in objects beyond their metadata: the rules clients actually hit.

kube-apiserver validates every built-in kind in depth (`pkg/apis/*/validation`); the
emulator checks the rules a client of this project can break by mistake and would expect
to be told about with a 422: a pod needs containers with names and images, and unique
names; a Deployment or ReplicaSet needs a selector that matches its template's labels and
non-negative replicas; a Service needs ports unless it is headless or an ExternalName; an
`events.k8s.io/v1` Event needs its reporting fields.
Messages are Go's, cause by cause. Anything not listed here is accepted as sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from sandbox.apiserver.schema.field import ErrorType, FieldError, duplicate, invalid, required
from sandbox.apiserver.schema.gojson import go_quote
from sandbox.apiserver.selectors import LabelSelector, SelectorError

Object = Mapping[str, Any]


def _go_map(labels: Mapping[str, Any]) -> str:
    """A `map[string]string` as Go's `%#v` prints it."""
    items = ", ".join(f"{go_quote(k)}:{go_quote(str(v))}" for k, v in sorted(labels.items()))
    return "map[string]string{" + items + "}"


def _containers(spec: Object, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    containers = spec.get("containers") or []
    if not containers:
        errs.append(required(f"{path}.containers"))
    seen: set[str] = set()
    for field_name in ("initContainers", "containers"):
        for position, container in enumerate(spec.get(field_name) or []):
            at = f"{path}.{field_name}[{position}]"
            if not isinstance(container, Mapping):
                continue
            name = str(container.get("name") or "")
            if not name:
                errs.append(required(f"{at}.name"))
            elif name in seen:
                errs.append(duplicate(f"{at}.name", name))
            seen.add(name)
            if not container.get("image"):
                errs.append(required(f"{at}.image"))
    return errs


def pod(obj: Object) -> list[FieldError]:
    return _containers(obj.get("spec") or {}, "spec")


def _replicated(obj: Object) -> list[FieldError]:
    spec = obj.get("spec") or {}
    errs: list[FieldError] = []
    replicas = spec.get("replicas")
    if isinstance(replicas, int) and replicas < 0:
        detail = "must be greater than or equal to 0"
        errs.append(invalid("spec.replicas", replicas, detail=detail))
    selector = spec.get("selector")
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    if not selector:
        errs.append(required("spec.selector"))
    else:
        try:
            parsed = LabelSelector.from_object(selector)
        except SelectorError as exc:
            errs.append(invalid("spec.selector", selector, detail=str(exc)))
        else:
            if parsed.empty:
                errs.append(
                    invalid(
                        "spec.selector", selector, detail="empty selector is invalid for deployment"
                    )
                )
            elif not parsed.matches(labels):
                message = (
                    f"Invalid value: {_go_map(labels)}: `selector` does not match template `labels`"
                )
                errs.append(
                    FieldError(
                        field="spec.template.metadata.labels",
                        type=ErrorType.INVALID,
                        message=message,
                    )
                )
    errs.extend(_containers(template.get("spec") or {}, "spec.template.spec"))
    return errs


def service(obj: Object) -> list[FieldError]:
    spec = obj.get("spec") or {}
    kind = spec.get("type", "ClusterIP")
    if kind == "ExternalName" or spec.get("clusterIP") == "None":
        return []
    errs: list[FieldError] = []
    ports = spec.get("ports") or []
    if not ports:
        errs.append(required("spec.ports"))
    names = [p.get("name") for p in ports if isinstance(p, Mapping)]
    for position, port in enumerate(ports):
        if not isinstance(port, Mapping):
            continue
        if len(ports) > 1 and not port.get("name"):
            errs.append(required(f"spec.ports[{position}].name"))
        number = port.get("port")
        if not isinstance(number, int) or not 0 < number < 65536:
            detail = "must be between 1 and 65535, inclusive"
            errs.append(invalid(f"spec.ports[{position}].port", number, detail=detail))
        if port.get("name") and names.count(port.get("name")) > 1:
            errs.append(duplicate(f"spec.ports[{position}].name", port.get("name")))
    return errs


def event_v1(obj: Object) -> list[FieldError]:
    """What `events.k8s.io/v1` requires of a new event (the core API is more lenient)."""
    errs: list[FieldError] = []
    if not obj.get("eventTime"):
        errs.append(required("eventTime"))
    event_type = obj.get("type") or ""
    if event_type not in ("Normal", "Warning"):
        errs.append(invalid("type", "", detail=f"has invalid value: {event_type}"))
    for name in ("reportingController", "reportingInstance", "action", "reason"):
        if not obj.get(name):
            errs.append(required(name))
    return errs


VALIDATORS: Final[dict[tuple[str, str], Callable[[Object], list[FieldError]]]] = {
    ("", "Pod"): pod,
    ("apps", "Deployment"): _replicated,
    ("apps", "ReplicaSet"): _replicated,
    ("", "Service"): service,
    ("events.k8s.io", "Event"): event_v1,
}


def validate(obj: Object, *, group: str, kind: str) -> list[FieldError]:
    """Field errors of a built-in object of `group`/`kind` (none for kinds not covered)."""
    validator = VALIDATORS.get((group, kind))
    return validator(obj) if validator is not None else []
