"""The Pod printer: the READY, STATUS and RESTARTS cells `kubectl get pods` shows.

A port of `printPod` in `pkg/printers/internalversion/printers.go` (Kubernetes 1.33). STATUS is
not the phase: it is the pod's reason, overridden by the first init container still at work
(`Init:0/2`, `Init:CrashLoopBackOff`, `Init:ExitCode:1`), then by the last regular container
that is waiting or terminated (`ContainerCreating`, `CrashLoopBackOff`, `Completed`,
`ExitCode:137`), with "Completed" turned back into "Running"/"NotReady" while a container still
runs, and "Terminating" once a deletion timestamp is set. Restartable init containers
(sidecars) count towards READY and RESTARTS. The order of these checks is the behaviour, so the
code keeps Go's order rather than tidying it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sandbox.apiserver.tables.columns import AGE, NAME, Obj, Printer, Row, RowCondition, column
from sandbox.apiserver.tables.fields import dig, items, mapping, number, text
from sandbox.apiserver.tables.humanize import ZERO_TIME, parse_or_zero, since

COLUMNS = (
    NAME,
    column("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
    column("Status", description="The aggregate status of the containers in this pod."),
    column(
        "Restarts",
        description="The number of times the containers in this pod have been restarted and "
        "when the last container in this pod has restarted.",
    ),
    AGE,
    column("IP", priority=1, description="core/v1.PodStatus.podIP"),
    column("Node", priority=1, description="core/v1.PodSpec.nodeName"),
    column("Nominated Node", priority=1, description="core/v1.PodStatus.nominatedNodeName"),
    column("Readiness Gates", priority=1, description="core/v1.PodSpec.readinessGates"),
)

_SUCCEEDED = RowCondition(
    type="Completed",
    status="True",
    reason="Succeeded",
    message="The pod has completed successfully.",
)
_FAILED = RowCondition(type="Completed", status="True", reason="Failed", message="The pod failed.")


def _restartable(container: object) -> bool:
    """`podutil.IsRestartableInitContainer`: an init container with `restartPolicy: Always`."""
    return isinstance(container, Mapping) and container.get("restartPolicy") == "Always"


def _last_finished(status: object) -> datetime:
    if not isinstance(dig(status, "lastTerminationState", "terminated"), Mapping):
        return ZERO_TIME
    return parse_or_zero(dig(status, "lastTerminationState", "terminated", "finishedAt"))


def _terminated_reason(terminated: Obj, prefix: str) -> str:
    if text(terminated, "reason"):
        return prefix + text(terminated, "reason")
    if number(terminated, "signal"):
        return f"{prefix}Signal:{number(terminated, 'signal')}"
    return f"{prefix}ExitCode:{number(terminated, 'exitCode')}"


def _initialized(status: Obj) -> bool:
    """`isPodInitializedConditionTrue`: the first `Initialized` condition decides."""
    for condition in items(status, "conditions"):
        if text(condition, "type") == "Initialized":
            return text(condition, "status") == "True"
    return False


class _Counts:
    """The running tallies `printPod` keeps while it walks the container statuses."""

    def __init__(self, reason: str, total: int) -> None:
        self.reason = reason
        self.total = total
        self.ready = 0
        self.restarts = 0
        self.last_restart = ZERO_TIME
        self.sidecar_restarts = 0
        self.last_sidecar_restart = ZERO_TIME
        self.initializing = False


def _walk_init_containers(spec: Obj, status: Obj, counts: _Counts) -> None:
    init_specs = {text(c, "name"): c for c in items(spec, "initContainers")}
    for index, container in enumerate(items(status, "initContainerStatuses")):
        sidecar = _restartable(init_specs.get(text(container, "name")))
        counts.restarts += number(container, "restartCount")
        counts.last_restart = max(counts.last_restart, _last_finished(container))
        if sidecar:
            counts.sidecar_restarts += number(container, "restartCount")
            counts.last_sidecar_restart = max(
                counts.last_sidecar_restart, _last_finished(container)
            )
        terminated = dig(container, "state", "terminated")
        waiting_reason = text(container, "state", "waiting", "reason")
        if isinstance(terminated, Mapping) and number(terminated, "exitCode") == 0:
            continue
        if sidecar and dig(container, "started") is True:
            if dig(container, "ready") is True:
                counts.ready += 1
            continue
        if isinstance(terminated, Mapping):
            counts.reason = _terminated_reason(terminated, "Init:")
        elif waiting_reason and waiting_reason != "PodInitializing":
            counts.reason = "Init:" + waiting_reason
        else:
            counts.reason = f"Init:{index}/{len(items(spec, 'initContainers'))}"
        counts.initializing = True
        break


def _walk_containers(status: Obj, counts: _Counts) -> None:
    counts.restarts = counts.sidecar_restarts
    counts.last_restart = counts.last_sidecar_restart
    has_running = False
    for container in reversed(items(status, "containerStatuses")):
        counts.restarts += number(container, "restartCount")
        counts.last_restart = max(counts.last_restart, _last_finished(container))
        terminated = dig(container, "state", "terminated")
        if text(container, "state", "waiting", "reason"):
            counts.reason = text(container, "state", "waiting", "reason")
        elif isinstance(terminated, Mapping):
            counts.reason = _terminated_reason(terminated, "")
        elif dig(container, "ready") is True and dig(container, "state", "running") is not None:
            has_running = True
            counts.ready += 1
    if counts.reason == "Completed" and has_running:
        ready = any(
            text(c, "type") == "Ready" and text(c, "status") == "True"
            for c in items(status, "conditions")
        )
        counts.reason = "Running" if ready else "NotReady"


def _readiness_gates(spec: Obj, status: Obj) -> str:
    gates = items(spec, "readinessGates")
    if not gates:
        return "<none>"
    passed = 0
    for gate in gates:
        for condition in items(status, "conditions"):
            if text(condition, "type") == text(gate, "conditionType"):
                passed += text(condition, "status") == "True"
                break
    return f"{passed}/{len(gates)}"


def _pod_ip(status: Obj) -> str:
    """The internal `PodIPs[0]`: v1 `podIP` wins over `podIPs` when both are set (conversion)."""
    ips: list[Any] = items(status, "podIPs")
    return text(status, "podIP") or (text(ips[0], "ip") if ips else "") or "<none>"


def pod_row(pod: Obj, now: datetime) -> Row:
    spec, status = mapping(pod, "spec"), mapping(pod, "status")
    phase = text(status, "phase")
    sidecars = sum(1 for c in items(spec, "initContainers") if _restartable(c))
    counts = _Counts(text(status, "reason") or phase, len(items(spec, "containers")) + sidecars)
    for condition in items(status, "conditions"):
        gated = text(condition, "reason") == "SchedulingGated"
        if text(condition, "type") == "PodScheduled" and gated:
            counts.reason = "SchedulingGated"

    _walk_init_containers(spec, status, counts)
    if not counts.initializing or _initialized(status):
        _walk_containers(status, counts)

    deleting = dig(pod, "metadata", "deletionTimestamp") is not None
    if deleting and text(status, "reason") == "NodeLost":
        counts.reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        counts.reason = "Terminating"

    restarts = str(counts.restarts)
    if counts.restarts != 0 and counts.last_restart != ZERO_TIME:
        restarts = f"{counts.restarts} ({since(counts.last_restart, now)} ago)"
    created = parse_or_zero(dig(pod, "metadata", "creationTimestamp"))
    conditions = {"Succeeded": [_SUCCEEDED], "Failed": [_FAILED]}.get(phase, [])
    return Row(
        [
            text(pod, "metadata", "name"),
            f"{counts.ready}/{counts.total}",
            counts.reason,
            restarts,
            since(created, now),
            _pod_ip(status),
            text(spec, "nodeName") or "<none>",
            text(status, "nominatedNodeName") or "<none>",
            _readiness_gates(spec, status),
        ],
        conditions,
    )


POD_PRINTER = Printer(COLUMNS, pod_row)
