"""Printers for workload controllers: Deployment, ReplicaSet and HorizontalPodAutoscaler.

Ports of `printDeployment`, `printReplicaSet` and `printHorizontalPodAutoscaler` (with
`formatHPAMetrics`) from `pkg/printers/internalversion/printers.go` (Kubernetes 1.33). READY
is `readyReplicas/spec.replicas`, so a Deployment scaled to 3 with two ready pods reads `2/3`;
`spec.replicas` is defaulted to 1 on write, and a missing one is read as that default. HPA
targets print quantities as stored and `<unknown>` until a metric has been observed.
"""

from __future__ import annotations

from datetime import datetime

from sandbox.apiserver.tables.columns import (
    AGE,
    CONTAINERS,
    IMAGES,
    NAME,
    Obj,
    Printer,
    Row,
    column,
    meta,
    name_of,
)
from sandbox.apiserver.tables.fields import (
    container_cells,
    dig,
    format_label_selector,
    is_set,
    items,
    mapping,
    number,
    selector_string,
    text,
)
from sandbox.apiserver.tables.humanize import parse_or_zero, since


def _age(obj: Obj, now: datetime) -> str:
    return since(parse_or_zero(meta(obj).get("creationTimestamp")), now)


def _deployment(obj: Obj, now: datetime) -> Row:
    names, images = container_cells(items(obj, "spec", "template", "spec", "containers"))
    selector = selector_string(dig(obj, "spec", "selector"))
    desired = number(obj, "spec", "replicas", default=1)
    return Row(
        [
            name_of(obj),
            f"{number(obj, 'status', 'readyReplicas')}/{desired}",
            number(obj, "status", "updatedReplicas"),
            number(obj, "status", "availableReplicas"),
            _age(obj, now),
            names,
            images,
            "<invalid>" if selector is None else selector,
        ]
    )


DEPLOYMENT = Printer(
    (
        NAME,
        column("Ready", description="Number of the pod with ready state"),
        column("Up-to-date", description="extensions/v1beta1.DeploymentStatus.updatedReplicas"),
        column("Available", description="extensions/v1beta1.DeploymentStatus.availableReplicas"),
        AGE,
        CONTAINERS,
        IMAGES,
        column("Selector", priority=1, description="extensions/v1beta1.DeploymentSpec.selector"),
    ),
    _deployment,
)


def _replica_set(obj: Obj, now: datetime) -> Row:
    names, images = container_cells(items(obj, "spec", "template", "spec", "containers"))
    return Row(
        [
            name_of(obj),
            number(obj, "spec", "replicas", default=1),
            number(obj, "status", "replicas"),
            number(obj, "status", "readyReplicas"),
            _age(obj, now),
            names,
            images,
            format_label_selector(dig(obj, "spec", "selector")),
        ]
    )


REPLICA_SET = Printer(
    (
        NAME,
        column("Desired", kind="integer", description="extensions/v1beta1.ReplicaSetSpec.replicas"),
        column(
            "Current", kind="integer", description="extensions/v1beta1.ReplicaSetStatus.replicas"
        ),
        column(
            "Ready",
            kind="integer",
            description="extensions/v1beta1.ReplicaSetStatus.readyReplicas",
        ),
        AGE,
        CONTAINERS,
        IMAGES,
        column("Selector", priority=1, description="extensions/v1beta1.ReplicaSetSpec.selector"),
    ),
    _replica_set,
)


def _quantity(value: object) -> str:
    """`Quantity.String()` of a stored quantity; a nil pointer prints `<nil>`."""
    if value is None:
        return "<nil>"
    return value if isinstance(value, str) else str(value)


def _percent(value: object, fallback: str) -> str:
    return f"{value}%" if isinstance(value, int) and not isinstance(value, bool) else fallback


def _observed(status: Obj | None, source: str) -> Obj | None:
    """The observed metric of one source type, None where Go's pointer is nil."""
    if status is None or not is_set(status, source):
        return None
    return mapping(status, source)


def _metric(spec: Obj, status: Obj | None) -> str:
    """One `formatHPAMetrics` entry; `status` is the observed metric at the same index."""
    kind = text(spec, "type")
    if kind in ("External", "Object"):
        source = kind.lower()
        target = mapping(spec, source, "target")
        observed = _observed(status, source)
        if is_set(target, "averageValue"):
            current = "<unknown>"
            if observed is not None and is_set(observed, "current", "averageValue"):
                current = _quantity(dig(observed, "current", "averageValue"))
            return f"{current}/{_quantity(target.get('averageValue'))} (avg)"
        current = "<unknown>"
        if observed is not None:
            current = _quantity(dig(observed, "current", "value"))
        return f"{current}/{_quantity(target.get('value'))}"
    if kind == "Pods":
        observed = _observed(status, "pods")
        current = "<unknown>"
        if observed is not None:
            current = _quantity(dig(observed, "current", "averageValue"))
        return f"{current}/{_quantity(dig(spec, 'pods', 'target', 'averageValue'))}"
    if kind in ("Resource", "ContainerResource"):
        source = "resource" if kind == "Resource" else "containerResource"
        name, target = text(spec, source, "name"), mapping(spec, source, "target")
        observed = _observed(status, source)
        if is_set(target, "averageValue"):
            current = "<unknown>"
            if observed is not None:
                current = _quantity(dig(observed, "current", "averageValue"))
            return f"{name}: {current}/{_quantity(target.get('averageValue'))}"
        current = _percent(dig(observed, "current", "averageUtilization"), "<unknown>")
        return f"{name}: {current}/{_percent(target.get('averageUtilization'), '<auto>')}"
    return "<unknown type>"


def format_hpa_metrics(obj: Obj) -> str:
    specs = items(obj, "spec", "metrics")
    if not specs:
        return "<none>"
    statuses = items(obj, "status", "currentMetrics")
    entries = [
        _metric(spec, statuses[i] if i < len(statuses) else None) for i, spec in enumerate(specs)
    ]
    if len(entries) > 2:
        return f"{', '.join(entries[:2])} + {len(entries) - 2} more..."
    return ", ".join(entries)


def _hpa(obj: Obj, now: datetime) -> Row:
    reference = f"{text(obj, 'spec', 'scaleTargetRef', 'kind')}/"
    reference += text(obj, "spec", "scaleTargetRef", "name")
    min_replicas = dig(obj, "spec", "minReplicas")
    return Row(
        [
            name_of(obj),
            reference,
            format_hpa_metrics(obj),
            "<unset>" if min_replicas is None else str(min_replicas),
            number(obj, "spec", "maxReplicas"),
            number(obj, "status", "currentReplicas"),
            _age(obj, now),
        ]
    )


_HPA = "autoscaling/v2beta1.HorizontalPodAutoscaler"
HORIZONTAL_POD_AUTOSCALER = Printer(
    (
        NAME,
        column("Reference", description=f"{_HPA}Spec.scaleTargetRef"),
        column("Targets", description=f"{_HPA}Spec.metrics"),
        column("MinPods", description=f"{_HPA}Spec.minReplicas"),
        column("MaxPods", description=f"{_HPA}Spec.maxReplicas"),
        column("Replicas", description=f"{_HPA}Status.currentReplicas"),
        AGE,
    ),
    _hpa,
)
