"""Tables carry the columns and cells kube-apiserver 1.33 computes for `kubectl get`.

Pod cases are ported from upstream's `printers_test.go` (TestPrintPod,
TestPrintPodWithRestartableInitContainer, TestPrintPodwide); durations from apimachinery's
`duration_test.go`; the rest follow the Go printers line by line with realistic objects.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sandbox.apiserver.errors import ApiError
from sandbox.apiserver.kinds import BUILTIN_KINDS, PrinterColumn, ResourceKind, from_crd
from sandbox.apiserver.tables import humanize_age, printer_for, to_table
from sandbox.apiserver.tables.humanize import human_duration, rfc3339

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)


def ago(**delta: float) -> str:
    moment = NOW - timedelta(**delta)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def kind(group: str, name: str) -> ResourceKind:
    return next(k for k in BUILTIN_KINDS if k.group == group and k.kind == name)


def rows(kind_: ResourceKind, *objects: dict[str, Any]) -> list[list[Any]]:
    return [row["cells"] for row in to_table(kind_, objects, now=NOW)["rows"]]


def row(kind_: ResourceKind, obj: dict[str, Any]) -> list[Any]:
    return rows(kind_, obj)[0]


def column_names(kind_: ResourceKind) -> list[tuple[str, str, int]]:
    table = to_table(kind_, [], now=NOW)
    return [(c["name"], c["type"], c["priority"]) for c in table["columnDefinitions"]]


# --- ages ---------------------------------------------------------------------------------------

SECOND, MINUTE, HOUR, DAY, YEAR = 1, 60, 3600, 86400, 365 * 86400
MS = 0.001


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (SECOND, "1s"),
        (70 * SECOND, "70s"),
        (190 * SECOND, "3m10s"),
        (70 * MINUTE, "70m"),
        (47 * HOUR, "47h"),
        (49 * HOUR, "2d1h"),
        ((8 * 24 + 2) * HOUR, "8d"),
        (367 * DAY, "367d"),
        ((365 * 2 * 24 + 25) * HOUR, "2y1d"),
        ((365 * 8 * 24 + 2) * HOUR, "8y"),
        (-2 * SECOND, "<invalid>"),
        (-2 * SECOND + 0.000001, "0s"),
        (0, "0s"),
        (SECOND - MS, "0s"),
        (2 * MINUTE - MS, "119s"),
        (2 * MINUTE, "2m"),
        (2 * MINUTE + SECOND, "2m1s"),
        (10 * MINUTE - MS, "9m59s"),
        (10 * MINUTE, "10m"),
        (10 * MINUTE + SECOND, "10m"),
        (3 * HOUR - MS, "179m"),
        (3 * HOUR, "3h"),
        (3 * HOUR + MINUTE, "3h1m"),
        (8 * HOUR - MS, "7h59m"),
        (8 * HOUR, "8h"),
        (8 * HOUR + 59 * MINUTE, "8h"),
        (2 * DAY - MS, "47h"),
        (2 * DAY, "2d"),
        (2 * DAY + HOUR, "2d1h"),
        (8 * DAY - MS, "7d23h"),
        (8 * DAY, "8d"),
        (8 * DAY + 23 * HOUR, "8d"),
        (2 * YEAR - MS, "729d"),
        (2 * YEAR, "2y"),
        (2 * YEAR + 23 * HOUR + 59 * MINUTE, "2y"),
        (2 * YEAR + DAY - MS, "2y"),
        (2 * YEAR + DAY, "2y1d"),
        (2 * YEAR + 100 * DAY, "2y100d"),
        (7 * YEAR, "7y"),
        (8 * YEAR - MS, "7y364d"),
        (8 * YEAR, "8y"),
        (8 * YEAR + 364 * DAY, "8y"),
        (9 * YEAR, "9y"),
    ],
    ids=lambda value: str(value),
)
def test_human_duration_matches_go(seconds: float, expected: str) -> None:
    assert human_duration(timedelta(seconds=seconds)) == expected


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        pytest.param(ago(seconds=5), "5s", id="seconds"),
        pytest.param(ago(seconds=123), "2m3s", id="minutes-seconds"),
        pytest.param(ago(hours=3, minutes=4), "3h4m", id="hours-minutes"),
        pytest.param(ago(days=5), "5d", id="days"),
        pytest.param("2025-06-01T13:00:00+02:00", "60m", id="offset"),
        pytest.param("2025-06-01T11:59:00.123456Z", "59s", id="fraction"),
        pytest.param("", "<unknown>", id="empty"),
        pytest.param("0001-01-01T00:00:00Z", "<unknown>", id="zero"),
        pytest.param("yesterday", "<unknown>", id="unparseable"),
        pytest.param(ago(seconds=-30), "<invalid>", id="future"),
    ],
)
def test_humanize_age_reads_creation_timestamps(created: str, expected: str) -> None:
    assert humanize_age(created, NOW) == expected


def test_created_at_is_rfc3339_in_utc() -> None:
    assert rfc3339("2025-06-01T14:00:00.5+02:00") == "2025-06-01T12:00:00Z"
    assert rfc3339(None) == "0001-01-01T00:00:00Z"


# --- pods ---------------------------------------------------------------------------------------

POD = kind("", "Pod")


def status(
    *,
    ready: bool = False,
    restarts: int = 0,
    state: dict[str, Any] | None = None,
    finished: float | None = None,
    name: str = "",
    started: bool | None = None,
) -> dict[str, Any]:
    """A containerStatus; `finished` is how many seconds ago its last termination ended."""
    entry: dict[str, Any] = {"name": name, "ready": ready, "restartCount": restarts}
    entry["state"] = state or {}
    if finished is not None:
        entry["lastTerminationState"] = {"terminated": {"finishedAt": ago(seconds=finished)}}
    if started is not None:
        entry["started"] = started
    return entry


def pod(
    name: str,
    *,
    containers: int = 1,
    init: list[dict[str, Any]] | None = None,
    phase: str = "Running",
    statuses: list[dict[str, Any]] | None = None,
    init_statuses: list[dict[str, Any]] | None = None,
    conditions: list[dict[str, Any]] | None = None,
    reason: str = "",
    deleted: bool = False,
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": f"c{i}"} for i in range(containers)]},
        "status": {"phase": phase},
    }
    if init is not None:
        obj["spec"]["initContainers"] = init
    if statuses is not None:
        obj["status"]["containerStatuses"] = statuses
    if init_statuses is not None:
        obj["status"]["initContainerStatuses"] = init_statuses
    if conditions is not None:
        obj["status"]["conditions"] = conditions
    if reason:
        obj["status"]["reason"] = reason
    if deleted:
        obj["metadata"]["deletionTimestamp"] = ago(seconds=10)
    return obj


RUNNING: dict[str, Any] = {"running": {}}
WAITING: dict[str, Any] = {"waiting": {}}
SIDECARS = [
    {"name": "sidecar-1", "restartPolicy": "Always"},
    {"name": "sidecar-2", "restartPolicy": "Always"},
]


def waiting(reason: str) -> dict[str, Any]:
    return {"waiting": {"reason": reason}}


def terminated(reason: str = "", exit_code: int = 0, signal: int = 0) -> dict[str, Any]:
    state: dict[str, Any] = {"exitCode": exit_code}
    if reason:
        state["reason"] = reason
    if signal:
        state["signal"] = signal
    return {"terminated": state}


UPSTREAM_PODS = [
    pytest.param(
        pod(
            "test1",
            containers=2,
            phase="podPhase",
            statuses=[status(ready=True, restarts=3, state=RUNNING), status(restarts=3)],
        ),
        ["test1", "1/2", "podPhase", "6", "<unknown>"],
        id="restarts-summed-ready-counted",
    ),
    pytest.param(
        pod(
            "test2",
            containers=2,
            phase="podPhase",
            statuses=[
                status(ready=True, restarts=3, state=RUNNING),
                status(restarts=3, state=waiting("ContainerWaitingReason")),
            ],
        ),
        ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"],
        id="container-error-overrides-phase",
    ),
    pytest.param(
        pod(
            "test3",
            containers=2,
            phase="podPhase",
            statuses=[
                status(restarts=3, state=waiting("ContainerWaitingReason")),
                status(restarts=3, state=terminated("ContainerTerminatedReason")),
            ],
        ),
        ["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"],
        id="first-container-wins",
    ),
    pytest.param(
        pod(
            "test5",
            containers=2,
            phase="podPhase",
            reason="podReason",
            statuses=[
                status(ready=True, restarts=3, state=RUNNING),
                status(ready=True, restarts=3),
            ],
        ),
        ["test5", "1/2", "podReason", "6", "<unknown>"],
        id="pod-reason-over-phase",
    ),
    pytest.param(
        pod(
            "test6",
            containers=2,
            statuses=[
                status(ready=True, restarts=3, state=terminated("Completed")),
                status(ready=True, restarts=3, state=RUNNING),
            ],
        ),
        ["test6", "1/2", "NotReady", "6", "<unknown>"],
        id="completed-and-running-not-ready",
    ),
    pytest.param(
        pod(
            "test6",
            containers=2,
            statuses=[
                status(ready=True, restarts=3, state=terminated("Completed")),
                status(ready=True, restarts=3, state=RUNNING),
            ],
            conditions=[{"type": "Ready", "status": "True"}],
        ),
        ["test6", "1/2", "Running", "6", "<unknown>"],
        id="completed-and-running-ready",
    ),
    pytest.param(
        pod(
            "test7",
            init=[{"name": "i0"}],
            phase="podPhase",
            init_statuses=[status(restarts=3, state=RUNNING, finished=10)],
            statuses=[status(state=WAITING)],
        ),
        ["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"],
        id="init-restarting",
    ),
    pytest.param(
        pod(
            "test9",
            init=[{"name": "i0"}, {"name": "i1"}],
            phase="podPhase",
            init_statuses=[
                status(state={"terminated": {}}),
                status(restarts=3, state=RUNNING, finished=10),
            ],
            statuses=[status(state=WAITING)],
        ),
        ["test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"],
        id="second-init-restarting",
    ),
    pytest.param(
        pod(
            "test10",
            init=[{"name": "i0"}, {"name": "i1"}],
            phase="podPhase",
            init_statuses=[
                status(restarts=2, state={"terminated": {}}, finished=120),
                status(restarts=3, state=RUNNING, finished=10),
            ],
            statuses=[status(state=WAITING)],
        ),
        ["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"],
        id="init-restarts-summed",
    ),
    pytest.param(
        pod(
            "test11",
            init=[{"name": "i0"}],
            init_statuses=[status(restarts=2, state={"terminated": {}}, finished=120)],
            statuses=[status(restarts=4, state=RUNNING, finished=20)],
        ),
        ["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"],
        id="finished-init-restarts-dropped",
    ),
    pytest.param(
        pod(
            "test14",
            containers=2,
            statuses=[
                status(ready=True, restarts=6, state=RUNNING, finished=5 * DAY),
                status(ready=True, restarts=3, state=RUNNING, finished=20 * DAY),
            ],
        ),
        ["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"],
        id="latest-restart-shown",
    ),
    pytest.param(
        pod(
            "test15",
            containers=2,
            phase="podPhase",
            conditions=[{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}],
        ),
        ["test15", "0/2", "SchedulingGated", "0", "<unknown>"],
        id="scheduling-gated",
    ),
    pytest.param(
        pod("test19", deleted=True, statuses=[status(state=RUNNING)]),
        ["test19", "0/1", "Terminating", "0", "<unknown>"],
        id="terminating-running",
    ),
    pytest.param(
        pod("test20", deleted=True, phase="Pending"),
        ["test20", "0/1", "Terminating", "0", "<unknown>"],
        id="terminating-pending",
    ),
    pytest.param(
        pod(
            "test18",
            deleted=True,
            phase="Succeeded",
            statuses=[status(state=terminated("Completed"))],
        ),
        ["test18", "0/1", "Completed", "0", "<unknown>"],
        id="terminal-pod-is-not-terminating",
    ),
    pytest.param(
        pod(
            "sidecar1",
            init=SIDECARS,
            phase="Pending",
            init_statuses=[
                status(name="sidecar-1", restarts=3, state=RUNNING, started=False, finished=10),
                status(name="sidecar-2", state=WAITING, started=False),
            ],
            statuses=[status(state=WAITING)],
            conditions=[{"type": "Initialized", "status": "False"}],
        ),
        ["sidecar1", "0/3", "Init:0/2", "3 (10s ago)", "<unknown>"],
        id="sidecar-not-started",
    ),
    pytest.param(
        pod(
            "sidecar2",
            init=SIDECARS,
            init_statuses=[
                status(name="sidecar-1", restarts=3, state=RUNNING, started=True, finished=10),
                status(name="sidecar-2", state=RUNNING, started=True),
            ],
            statuses=[status(ready=True, restarts=4, state=RUNNING, finished=20)],
            conditions=[{"type": "Initialized", "status": "True"}],
        ),
        ["sidecar2", "1/3", "Running", "7 (10s ago)", "<unknown>"],
        id="sidecars-started",
    ),
    pytest.param(
        pod(
            "sidecar3",
            init=SIDECARS,
            phase="Succeeded",
            init_statuses=[
                status(
                    name="sidecar-1",
                    restarts=3,
                    state=terminated("Error", 137),
                    started=False,
                    finished=10,
                ),
                status(name="sidecar-2", state=terminated("Error", 137), started=False),
            ],
            statuses=[status(restarts=4, state=terminated("Completed"), finished=20)],
            conditions=[{"type": "Initialized", "status": "True"}],
        ),
        ["sidecar3", "0/3", "Completed", "7 (10s ago)", "<unknown>"],
        id="sidecars-killed-after-completion",
    ),
    pytest.param(
        {
            "metadata": {"name": "test4"},
            "spec": {
                "initContainers": [
                    {"name": "init1"},
                    {"name": "sidecar1", "restartPolicy": "Always"},
                ],
                "containers": [{"name": "container1"}],
            },
            "status": {
                "phase": "Running",
                "initContainerStatuses": [
                    {"name": "initinvalid"},
                    {"name": "init1"},
                    {"name": "sidecar1"},
                ],
                "containerStatuses": [{"name": "containerinvalid"}, {"name": "container1"}],
            },
        },
        ["test4", "0/2", "Init:0/2", "0", "<unknown>"],
        id="statuses-of-unknown-containers",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), UPSTREAM_PODS)
def test_pod_cells_match_upstream_printer_tests(obj: dict[str, Any], expected: list[Any]) -> None:
    assert row(POD, obj)[:5] == expected


@pytest.mark.parametrize(
    ("phase", "reason"),
    [("Succeeded", "Succeeded"), ("Failed", "Failed"), ("Running", None)],
)
def test_finished_pods_carry_a_completed_row_condition(phase: str, reason: str | None) -> None:
    table = to_table(POD, [pod("p", phase=phase)], now=NOW)
    conditions = table["rows"][0].get("conditions")
    if reason is None:
        assert conditions is None
    else:
        message = (
            "The pod has completed successfully." if reason == "Succeeded" else "The pod failed."
        )
        assert conditions == [
            {"type": "Completed", "status": "True", "reason": reason, "message": message}
        ]


def realistic_pod(name: str, **status_fields: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "flink",
            "uid": "6f1c0f36-2d2b-4d8e-9d0a-2a3c3b1f0c11",
            "resourceVersion": "4711",
            "creationTimestamp": ago(minutes=42),
            "labels": {"app": "basic", "component": "jobmanager"},
        },
        "spec": {
            "nodeName": "sandbox",
            "containers": [{"name": "flink-main-container", "image": "flink:1.20"}],
        },
        "status": {"podIP": "10.244.0.7", "podIPs": [{"ip": "10.244.0.7"}], **status_fields},
    }


REALISTIC_PODS = [
    pytest.param(
        realistic_pod(
            "basic-6d8f-jm",
            phase="Running",
            conditions=[{"type": "Ready", "status": "True"}],
            containerStatuses=[
                {
                    "name": "flink-main-container",
                    "ready": True,
                    "started": True,
                    "restartCount": 1,
                    "state": {"running": {"startedAt": ago(minutes=5)}},
                    "lastTerminationState": {
                        "terminated": {
                            "exitCode": 1,
                            "reason": "Error",
                            "finishedAt": ago(minutes=5),
                        }
                    },
                }
            ],
        ),
        [
            "basic-6d8f-jm",
            "1/1",
            "Running",
            "1 (5m ago)",
            "42m",
            "10.244.0.7",
            "sandbox",
            "<none>",
            "<none>",
        ],
        id="running-after-one-restart",
    ),
    pytest.param(
        realistic_pod(
            "basic-taskmanager-1-1",
            phase="Running",
            containerStatuses=[
                {
                    "name": "flink-main-container",
                    "ready": False,
                    "restartCount": 5,
                    "state": {
                        "waiting": {
                            "reason": "CrashLoopBackOff",
                            "message": "back-off 2m40s restarting failed container",
                        }
                    },
                    "lastTerminationState": {
                        "terminated": {
                            "exitCode": 1,
                            "reason": "Error",
                            "finishedAt": ago(seconds=75),
                        }
                    },
                }
            ],
        ),
        ["basic-taskmanager-1-1", "0/1", "CrashLoopBackOff", "5 (75s ago)", "42m"],
        id="crash-loop-back-off",
    ),
    pytest.param(
        realistic_pod(
            "basic-new",
            phase="Pending",
            containerStatuses=[
                {
                    "name": "flink-main-container",
                    "ready": False,
                    "restartCount": 0,
                    "state": {"waiting": {"reason": "ContainerCreating"}},
                }
            ],
        ),
        ["basic-new", "0/1", "ContainerCreating", "0", "42m"],
        id="container-creating",
    ),
    pytest.param(
        realistic_pod("basic-unscheduled", phase="Pending"),
        ["basic-unscheduled", "0/1", "Pending", "0", "42m"],
        id="pending",
    ),
    pytest.param(
        realistic_pod(
            "basic-oom",
            phase="Running",
            containerStatuses=[
                {
                    "name": "flink-main-container",
                    "ready": False,
                    "restartCount": 0,
                    "state": {"terminated": {"exitCode": 137, "signal": 9}},
                }
            ],
        ),
        ["basic-oom", "0/1", "Signal:9", "0", "42m"],
        id="killed-by-signal",
    ),
    pytest.param(
        realistic_pod(
            "basic-exit",
            phase="Failed",
            containerStatuses=[
                {"name": "flink-main-container", "state": {"terminated": {"exitCode": 2}}}
            ],
        ),
        ["basic-exit", "0/1", "ExitCode:2", "0", "42m"],
        id="exit-code-without-reason",
    ),
    pytest.param(
        realistic_pod(
            "basic-init",
            phase="Pending",
            initContainerStatuses=[
                {"name": "fetch-jar", "state": {"waiting": {"reason": "PodInitializing"}}}
            ],
        ),
        ["basic-init", "0/1", "Init:0/0", "0", "42m"],
        id="init-status-without-init-spec",
    ),
    pytest.param(
        realistic_pod(
            "basic-init-crash",
            phase="Pending",
            initContainerStatuses=[
                {"name": "fetch-jar", "restartCount": 2, "state": waiting("CrashLoopBackOff")}
            ],
        ),
        ["basic-init-crash", "0/1", "Init:CrashLoopBackOff", "2", "42m"],
        id="init-crash-loop",
    ),
    pytest.param(
        realistic_pod(
            "basic-init-error",
            phase="Pending",
            initContainerStatuses=[{"name": "fetch-jar", "state": terminated("Error", 1)}],
        ),
        ["basic-init-error", "0/1", "Init:Error", "0", "42m"],
        id="init-error",
    ),
    pytest.param(
        realistic_pod(
            "basic-init-signal",
            phase="Pending",
            initContainerStatuses=[
                {"name": "fetch-jar", "state": terminated(exit_code=143, signal=15)}
            ],
        ),
        ["basic-init-signal", "0/1", "Init:Signal:15", "0", "42m"],
        id="init-signal",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), REALISTIC_PODS)
def test_realistic_pods_print_as_kubectl_shows_them(
    obj: dict[str, Any], expected: list[Any]
) -> None:
    assert row(POD, obj)[: len(expected)] == expected


def test_terminating_pod_shows_terminating_while_containers_run() -> None:
    obj = realistic_pod(
        "basic-old",
        phase="Running",
        containerStatuses=[{"name": "flink-main-container", "ready": True, "state": RUNNING}],
    )
    obj["metadata"]["deletionTimestamp"] = ago(seconds=3)
    assert row(POD, obj)[:3] == ["basic-old", "1/1", "Terminating"]
    obj["status"]["reason"] = "NodeLost"
    assert row(POD, obj)[2] == "Unknown"


@pytest.mark.parametrize(
    ("status_fields", "expected"),
    [
        pytest.param(
            {
                "podIPs": [{"ip": "1.1.1.1"}, {"ip": "2001:db8::"}],
                "nominatedNodeName": "node1",
                "conditions": [
                    {"type": "condition1", "status": "False"},
                    {"type": "condition2", "status": "True"},
                ],
            },
            ["1.1.1.1", "test1", "node1", "1/3"],
            id="wide-cells",
        ),
        pytest.param({}, ["<none>", "test1", "<none>", "0/3"], id="wide-none"),
        pytest.param(
            {"podIP": "10.0.0.9", "podIPs": [{"ip": "10.0.0.1"}]}, ["10.0.0.9"], id="podIP"
        ),
    ],
)
def test_wide_pod_cells(status_fields: dict[str, Any], expected: list[Any]) -> None:
    obj = pod("test1", containers=2)
    obj["spec"]["nodeName"] = "test1"
    obj["spec"]["readinessGates"] = [{"conditionType": f"condition{i}"} for i in (1, 2, 3)]
    obj["status"].update(status_fields)
    assert row(POD, obj)[5 : 5 + len(expected)] == expected


def test_pod_columns_are_upstreams() -> None:
    assert column_names(POD) == [
        ("Name", "string", 0),
        ("Ready", "string", 0),
        ("Status", "string", 0),
        ("Restarts", "string", 0),
        ("Age", "string", 0),
        ("IP", "string", 1),
        ("Node", "string", 1),
        ("Nominated Node", "string", 1),
        ("Readiness Gates", "string", 1),
    ]
    first = to_table(POD, [], now=NOW)["columnDefinitions"][0]
    assert first["format"] == "name"
    assert first["description"].startswith("Name must be unique within a namespace.")


# --- workloads ----------------------------------------------------------------------------------


def deployment(ready: int, desired: int | None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "selector": {
            "matchLabels": {"app": "basic"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "api"]}],
        },
        "template": {
            "metadata": {"labels": {"app": "basic"}},
            "spec": {
                "containers": [
                    {"name": "flink-main-container", "image": "flink:1.20"},
                    {"name": "log-shipper", "image": "fluent-bit:3"},
                ]
            },
        },
    }
    if desired is not None:
        spec["replicas"] = desired
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "basic", "namespace": "flink", "creationTimestamp": ago(hours=2)},
        "spec": spec,
        "status": {
            "replicas": 3,
            "readyReplicas": ready,
            "updatedReplicas": 3,
            "availableReplicas": ready,
        },
    }


def test_deployment_two_of_three_ready() -> None:
    assert row(kind("apps", "Deployment"), deployment(2, 3)) == [
        "basic",
        "2/3",
        3,
        2,
        "120m",
        "flink-main-container,log-shipper",
        "flink:1.20,fluent-bit:3",
        "app=basic,tier in (api,web)",
    ]


def test_deployment_without_replicas_reads_the_default_of_one() -> None:
    assert row(kind("apps", "Deployment"), deployment(0, None))[1] == "0/1"


def test_deployment_columns_are_upstreams() -> None:
    assert column_names(kind("apps", "Deployment")) == [
        ("Name", "string", 0),
        ("Ready", "string", 0),
        ("Up-to-date", "string", 0),
        ("Available", "string", 0),
        ("Age", "string", 0),
        ("Containers", "string", 1),
        ("Images", "string", 1),
        ("Selector", "string", 1),
    ]


def test_replica_set_cells() -> None:
    obj = deployment(2, 3) | {"kind": "ReplicaSet"}
    obj["spec"]["selector"] = {"matchLabels": {"pod-template-hash": "6d8f", "app": "basic"}}
    assert row(kind("apps", "ReplicaSet"), obj) == [
        "basic",
        3,
        3,
        2,
        "120m",
        "flink-main-container,log-shipper",
        "flink:1.20,fluent-bit:3",
        "app=basic,pod-template-hash=6d8f",
    ]
    obj["spec"]["selector"] = {}
    assert row(kind("apps", "ReplicaSet"), obj)[-1] == "<none>"
    obj["spec"]["selector"] = {"matchExpressions": [{"key": "a", "operator": "Bogus"}]}
    assert row(kind("apps", "ReplicaSet"), obj)[-1] == "<error>"


def test_horizontal_pod_autoscaler_targets() -> None:
    hpa: dict[str, Any] = {
        "metadata": {"name": "basic", "creationTimestamp": ago(days=3)},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "basic"},
            "minReplicas": 1,
            "maxReplicas": 5,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 80},
                    },
                },
                {
                    "type": "Resource",
                    "resource": {
                        "name": "memory",
                        "target": {"type": "AverageValue", "averageValue": "1Gi"},
                    },
                },
                {
                    "type": "Pods",
                    "pods": {
                        "metric": {"name": "qps"},
                        "target": {"type": "AverageValue", "averageValue": "10"},
                    },
                },
            ],
        },
        "status": {
            "currentReplicas": 2,
            "currentMetrics": [
                {
                    "type": "Resource",
                    "resource": {"name": "cpu", "current": {"averageUtilization": 35}},
                }
            ],
        },
    }
    assert row(kind("autoscaling", "HorizontalPodAutoscaler"), hpa) == [
        "basic",
        "Deployment/basic",
        "cpu: 35%/80%, memory: <unknown>/1Gi + 1 more...",
        "1",
        5,
        2,
        "3d",
    ]
    del hpa["spec"]["metrics"], hpa["spec"]["minReplicas"]
    assert row(kind("autoscaling", "HorizontalPodAutoscaler"), hpa)[2:4] == ["<none>", "<unset>"]


# --- core kinds ---------------------------------------------------------------------------------


def meta(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "creationTimestamp": ago(minutes=90), **extra}


@pytest.mark.parametrize(
    ("spec", "status_", "expected"),
    [
        pytest.param(
            {
                "type": "ClusterIP",
                "clusterIP": "10.96.0.10",
                "clusterIPs": ["10.96.0.10"],
                "ports": [{"port": 8081, "protocol": "TCP"}, {"port": 6123, "protocol": "TCP"}],
                "selector": {"app": "basic", "component": "jobmanager"},
            },
            {},
            [
                "basic-rest",
                "ClusterIP",
                "10.96.0.10",
                "<none>",
                "8081/TCP,6123/TCP",
                "90m",
                "app=basic,component=jobmanager",
            ],
            id="cluster-ip",
        ),
        pytest.param(
            {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"]},
            {},
            ["basic-rest", "ClusterIP", "None", "<none>", "<none>", "90m", "<none>"],
            id="headless",
        ),
        pytest.param(
            {
                "type": "NodePort",
                "clusterIP": "10.96.3.4",
                "ports": [{"port": 80, "nodePort": 30080, "protocol": "UDP"}],
            },
            {},
            ["basic-rest", "NodePort", "10.96.3.4", "<none>", "80:30080/UDP", "90m", "<none>"],
            id="node-port-cluster-ip-only",
        ),
        pytest.param(
            {
                "type": "LoadBalancer",
                "clusterIPs": ["10.96.1.1"],
                "ports": [{"port": 443, "nodePort": 31443, "protocol": "TCP"}],
            },
            {},
            [
                "basic-rest",
                "LoadBalancer",
                "10.96.1.1",
                "<pending>",
                "443:31443/TCP",
                "90m",
                "<none>",
            ],
            id="load-balancer-pending",
        ),
        pytest.param(
            {"type": "LoadBalancer", "clusterIPs": ["10.96.1.1"], "externalIPs": ["9.9.9.9"]},
            {
                "loadBalancer": {
                    "ingress": [
                        {"hostname": "lb.example.com"},
                        {"ip": "1.2.3.4"},
                        {"ip": "1.2.3.4"},
                    ]
                }
            },
            [
                "basic-rest",
                "LoadBalancer",
                "10.96.1.1",
                "1.2.3.4,lb.example.com,9.9.9.9",
                "<none>",
                "90m",
                "<none>",
            ],
            id="load-balancer-ready",
        ),
        pytest.param(
            {"type": "ExternalName", "externalName": "flink.example.com"},
            {},
            [
                "basic-rest",
                "ExternalName",
                "<none>",
                "flink.example.com",
                "<none>",
                "90m",
                "<none>",
            ],
            id="external-name",
        ),
    ],
)
def test_service_cells(spec: dict[str, Any], status_: dict[str, Any], expected: list[Any]) -> None:
    obj = {"metadata": meta("basic-rest"), "spec": spec, "status": status_}
    assert row(kind("", "Service"), obj) == expected


def test_namespace_node_and_counting_kinds() -> None:
    assert row(
        kind("", "Namespace"), {"metadata": meta("flink"), "status": {"phase": "Active"}}
    ) == [
        "flink",
        "Active",
        "90m",
    ]
    node = {
        "metadata": meta(
            "sandbox",
            labels={
                "node-role.kubernetes.io/control-plane": "",
                "kubernetes.io/role": "worker",
                "node-role.kubernetes.io/": "x",
            },
        ),
        "spec": {"unschedulable": True},
        "status": {
            "conditions": [
                {"type": "MemoryPressure", "status": "False"},
                {"type": "Ready", "status": "True"},
            ],
            "addresses": [
                {"type": "Hostname", "address": "sandbox"},
                {"type": "InternalIP", "address": "127.0.0.1"},
            ],
            "nodeInfo": {
                "kubeletVersion": "v1.33.0",
                "osImage": "Debian GNU/Linux 12",
                "kernelVersion": "6.1.0",
            },
        },
    }
    assert row(kind("", "Node"), node) == [
        "sandbox",
        "Ready,SchedulingDisabled",
        "control-plane,worker",
        "90m",
        "v1.33.0",
        "127.0.0.1",
        "<none>",
        "Debian GNU/Linux 12",
        "6.1.0",
        "<unknown>",
    ]
    assert row(kind("", "Node"), {"metadata": meta("bare")})[1:3] == ["Unknown", "<none>"]
    config = {"metadata": meta("conf"), "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}}
    assert row(kind("", "ConfigMap"), config) == ["conf", 3, "90m"]
    secret = {
        "metadata": meta("tls"),
        "type": "kubernetes.io/tls",
        "data": {"tls.crt": "", "tls.key": ""},
    }
    assert row(kind("", "Secret"), secret) == ["tls", "kubernetes.io/tls", 2, "90m"]
    account = {"metadata": meta("flink"), "secrets": [{"name": "flink-token"}]}
    assert row(kind("", "ServiceAccount"), account) == ["flink", 1, "90m"]
    assert row(kind("", "ServiceAccount"), {"metadata": meta("default")}) == ["default", 0, "90m"]


@pytest.mark.parametrize(
    ("subsets", "expected"),
    [
        pytest.param([], "<none>", id="empty"),
        pytest.param(
            [{"addresses": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}], "ports": [{"port": 8081}]}],
            "10.0.0.1:8081,[fd00::1]:8081",
            id="host-ports",
        ),
        pytest.param([{"addresses": [{"ip": "10.0.0.1"}]}], "10.0.0.1", id="headless"),
        pytest.param(
            [
                {
                    "addresses": [{"ip": f"10.0.0.{i}"} for i in range(1, 5)],
                    "ports": [{"port": 80}, {"port": 443}],
                }
            ],
            "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 5 more...",
            id="more",
        ),
    ],
)
def test_endpoints_cells(subsets: list[dict[str, Any]], expected: str) -> None:
    assert (
        row(kind("", "Endpoints"), {"metadata": meta("basic-rest"), "subsets": subsets})[1]
        == expected
    )


@pytest.mark.parametrize(
    ("spec", "status_", "expected"),
    [
        pytest.param(
            {"storageClassName": "standard", "volumeName": "pv-1", "volumeMode": "Filesystem"},
            {
                "phase": "Bound",
                "capacity": {"storage": "10Gi"},
                "accessModes": ["ReadWriteOnce", "ReadOnlyMany"],
            },
            [
                "data",
                "Bound",
                "pv-1",
                "10Gi",
                "RWO,ROX",
                "standard",
                "<unset>",
                "90m",
                "Filesystem",
            ],
            id="bound",
        ),
        pytest.param(
            {"storageClassName": "standard", "resources": {"requests": {"storage": "1Gi"}}},
            {"phase": "Pending"},
            ["data", "Pending", "", "", "", "standard", "<unset>", "90m", "<unset>"],
            id="pending",
        ),
    ],
)
def test_persistent_volume_claim_cells(
    spec: dict[str, Any], status_: dict[str, Any], expected: list[Any]
) -> None:
    claim = {"metadata": meta("data"), "spec": spec, "status": status_}
    assert row(kind("", "PersistentVolumeClaim"), claim) == expected
    claim["metadata"]["deletionTimestamp"] = ago(seconds=1)
    claim["metadata"]["annotations"] = {"volume.beta.kubernetes.io/storage-class": "legacy"}
    assert row(kind("", "PersistentVolumeClaim"), claim)[1:6:4] == ["Terminating", "legacy"]


CORE_EVENT = {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": meta("basic-6d8f-jm.17d2a"),
    "involvedObject": {
        "kind": "Pod",
        "name": "basic-6d8f-jm",
        "namespace": "flink",
        "fieldPath": "spec.containers{flink-main-container}",
    },
    "reason": "BackOff",
    "message": "Back-off restarting failed container\n",
    "source": {"component": "kubelet", "host": "sandbox"},
    "firstTimestamp": ago(minutes=30),
    "lastTimestamp": ago(seconds=50),
    "count": 12,
    "type": "Warning",
}

NEW_EVENT = {
    "apiVersion": "events.k8s.io/v1",
    "kind": "Event",
    "metadata": meta("basic.1"),
    "eventTime": "2025-06-01T11:55:00.000000Z",
    "reportingController": "flink-operator",
    "reportingInstance": "flink-operator-0",
    "action": "Reconcile",
    "reason": "JobStatusChanged",
    "regarding": {"kind": "FlinkDeployment", "name": "basic", "namespace": "flink"},
    "note": "Job status changed from RECONCILING to RUNNING",
    "type": "Normal",
}


@pytest.mark.parametrize(
    ("group", "event", "expected"),
    [
        pytest.param(
            "",
            CORE_EVENT,
            [
                "50s",
                "Warning",
                "BackOff",
                "pod/basic-6d8f-jm",
                "spec.containers{flink-main-container}",
                "kubelet, sandbox",
                "Back-off restarting failed container",
                "30m",
                12,
                "basic-6d8f-jm.17d2a",
            ],
            id="core",
        ),
        pytest.param(
            "events.k8s.io",
            NEW_EVENT,
            [
                "5m",
                "Normal",
                "JobStatusChanged",
                "flinkdeployment/basic",
                "",
                "flink-operator, flink-operator-0",
                "Job status changed from RECONCILING to RUNNING",
                "5m",
                1,
                "basic.1",
            ],
            id="events-k8s-io",
        ),
        pytest.param(
            "events.k8s.io",
            NEW_EVENT | {"series": {"count": 4, "lastObservedTime": "2025-06-01T11:59:30.000000Z"}},
            [
                "30s",
                "Normal",
                "JobStatusChanged",
                "flinkdeployment/basic",
                "",
                "flink-operator, flink-operator-0",
                "Job status changed from RECONCILING to RUNNING",
                "5m",
                4,
                "basic.1",
            ],
            id="series",
        ),
    ],
)
def test_event_cells(group: str, event: dict[str, Any], expected: list[Any]) -> None:
    assert row(kind(group, "Event"), event) == expected


def test_event_columns_put_wide_ones_last() -> None:
    assert [name for name, _, priority in column_names(kind("", "Event")) if priority == 0] == [
        "Last Seen",
        "Type",
        "Reason",
        "Object",
        "Message",
    ]


# --- cluster kinds ------------------------------------------------------------------------------


def test_networking_coordination_rbac_and_webhook_cells() -> None:
    ingress = {
        "metadata": meta("basic"),
        "spec": {
            "ingressClassName": "nginx",
            "rules": [
                {"host": "a.example.com"},
                {"host": "b.example.com"},
                {},
                {"host": "c.example.com"},
            ],
            "tls": [{"hosts": ["a.example.com"]}],
        },
        "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.5"}]}},
    }
    assert row(kind("networking.k8s.io", "Ingress"), ingress) == [
        "basic",
        "nginx",
        "a.example.com,b.example.com,c.example.com",
        "10.0.0.5",
        "80, 443",
        "90m",
    ]
    ingress["spec"]["rules"].append({"host": "d.example.com"})
    assert (
        row(kind("networking.k8s.io", "Ingress"), ingress)[2]
        == "a.example.com,b.example.com,c.example.com + 2 more..."
    )
    assert row(kind("networking.k8s.io", "Ingress"), {"metadata": meta("x")})[1:5] == [
        "<none>",
        "*",
        "",
        "80",
    ]

    endpoint_slice = {
        "metadata": meta("basic-rest-abcde"),
        "addressType": "IPv4",
        "ports": [{"name": "rest", "port": 8081}, {"name": "blob"}, {}],
        "endpoints": [
            {"addresses": ["10.0.0.1"]},
            {"addresses": ["10.0.0.2", "10.0.0.3", "10.0.0.4"]},
        ],
    }
    assert row(kind("discovery.k8s.io", "EndpointSlice"), endpoint_slice) == [
        "basic-rest-abcde",
        "IPv4",
        "8081,blob,*",
        "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...",
        "90m",
    ]
    empty_slice = {"metadata": meta("empty"), "addressType": "IPv4"}
    assert row(kind("discovery.k8s.io", "EndpointSlice"), empty_slice)[2:4] == [
        "<unset>",
        "<unset>",
    ]

    lease = {
        "metadata": meta("flink-operator-lock"),
        "spec": {"holderIdentity": "flink-operator-0"},
    }
    assert row(kind("coordination.k8s.io", "Lease"), lease) == [
        "flink-operator-lock",
        "flink-operator-0",
        "90m",
    ]

    binding = {
        "metadata": meta("flink-operator"),
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": "flink-operator",
        },
        "subjects": [
            {"kind": "ServiceAccount", "name": "flink-operator", "namespace": "flink"},
            {"kind": "User", "name": "alice"},
            {"kind": "User", "name": "bob"},
            {"kind": "Group", "name": "ops"},
        ],
    }
    expected = [
        "flink-operator",
        "ClusterRole/flink-operator",
        "90m",
        "alice, bob",
        "ops",
        "flink/flink-operator",
    ]
    assert row(kind("rbac.authorization.k8s.io", "RoleBinding"), binding) == expected
    assert row(kind("rbac.authorization.k8s.io", "ClusterRoleBinding"), binding) == expected
    descriptions = [
        c["description"]
        for c in to_table(kind("rbac.authorization.k8s.io", "ClusterRoleBinding"), [], now=NOW)[
            "columnDefinitions"
        ]
    ]
    assert descriptions[3] == "Users in the clusterRoleBinding"

    webhook = {
        "metadata": meta("flink-operator-webhook"),
        "webhooks": [{"name": "a"}, {"name": "b"}],
    }
    for name in ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"):
        assert row(kind("admissionregistration.k8s.io", name), webhook) == [
            "flink-operator-webhook",
            2,
            "90m",
        ]
        assert column_names(kind("admissionregistration.k8s.io", name))[1] == (
            "Webhooks",
            "integer",
            0,
        )


@pytest.mark.parametrize(
    ("group", "name"),
    [
        ("rbac.authorization.k8s.io", "Role"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ],
)
def test_kinds_without_a_printer_get_name_and_created_at(group: str, name: str) -> None:
    obj = {"metadata": {"name": "thing", "creationTimestamp": "2025-05-01T10:00:00Z"}}
    table = to_table(kind(group, name), [obj], now=NOW)
    assert [(c["name"], c["type"]) for c in table["columnDefinitions"]] == [
        ("Name", "string"),
        ("Created At", "date"),
    ]
    assert table["rows"][0]["cells"] == ["thing", "2025-05-01T10:00:00Z"]
    assert to_table(kind(group, name), [], now=NOW)["rows"] is None


# --- custom resources ---------------------------------------------------------------------------


def flink_crd(columns: list[dict[str, Any]] | None) -> dict[str, Any]:
    version: dict[str, Any] = {
        "name": "v1beta1",
        "served": True,
        "storage": True,
        "schema": {
            "openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
        },
        "subresources": {"status": {}},
    }
    if columns is not None:
        version["additionalPrinterColumns"] = columns
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "flinkdeployments.flink.apache.org"},
        "spec": {
            "group": "flink.apache.org",
            "names": {
                "kind": "FlinkDeployment",
                "plural": "flinkdeployments",
                "singular": "flinkdeployment",
                "shortNames": ["flinkdep"],
            },
            "scope": "Namespaced",
            "versions": [version],
        },
    }


FLINK_COLUMNS = [
    {
        "name": "Job Status",
        "type": "string",
        "jsonPath": ".status.jobStatus.state",
        "description": "Last observed state of the job.",
    },
    {
        "name": "Lifecycle State",
        "type": "string",
        "jsonPath": ".status.lifecycleState",
        "description": "The lifecycle state of the Flink resource",
    },
    {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
]


def flink_deployment(**status_: Any) -> dict[str, Any]:
    return {
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": {
            "name": "basic-example",
            "namespace": "flink",
            "creationTimestamp": ago(minutes=7, seconds=5),
        },
        "spec": {
            "image": "flink:1.20",
            "flinkVersion": "v1_20",
            "job": {"parallelism": 2, "upgradeMode": "stateless"},
        },
        "status": status_,
    }


def test_custom_resource_columns_follow_the_crd() -> None:
    (flink,) = from_crd(flink_crd(FLINK_COLUMNS))
    table = to_table(
        flink,
        [
            flink_deployment(jobStatus={"state": "RUNNING"}, lifecycleState="STABLE"),
            flink_deployment(),
        ],
        now=NOW,
    )
    assert table["columnDefinitions"] == [
        {
            "name": "Name",
            "type": "string",
            "format": "name",
            "description": to_table(POD, [], now=NOW)["columnDefinitions"][0]["description"],
            "priority": 0,
        },
        {
            "name": "Job Status",
            "type": "string",
            "format": "",
            "description": "Last observed state of the job.",
            "priority": 0,
        },
        {
            "name": "Lifecycle State",
            "type": "string",
            "format": "",
            "description": "The lifecycle state of the Flink resource",
            "priority": 0,
        },
        {
            "name": "Age",
            "type": "date",
            "format": "",
            "description": "Custom resource definition column (in JSONPath format): "
            ".metadata.creationTimestamp",
            "priority": 0,
        },
    ]
    assert [r["cells"] for r in table["rows"]] == [
        ["basic-example", "RUNNING", "STABLE", "7m5s"],
        ["basic-example", None, None, "7m5s"],
    ]


def test_custom_resource_without_columns_gets_age() -> None:
    (flink,) = from_crd(flink_crd(None))
    table = to_table(flink, [flink_deployment()], now=NOW)
    assert [(c["name"], c["type"]) for c in table["columnDefinitions"]] == [
        ("Name", "string"),
        ("Age", "date"),
    ]
    assert table["columnDefinitions"][1]["description"].startswith(
        "CreationTimestamp is a timestamp"
    )
    assert table["rows"][0]["cells"] == ["basic-example", "7m5s"]
    assert to_table(flink, [], now=NOW)["rows"] == []


@pytest.mark.parametrize(
    ("column_type", "path", "expected"),
    [
        pytest.param("integer", ".spec.job.parallelism", 2, id="integer"),
        pytest.param("integer", ".status.load", 0, id="integer-from-float"),
        pytest.param("integer", ".status.healthy", None, id="integer-from-bool"),
        pytest.param("number", ".spec.job.parallelism", 2.0, id="number-from-int"),
        pytest.param("number", ".status.load", 0.75, id="number"),
        pytest.param("boolean", ".status.healthy", True, id="boolean"),
        pytest.param("boolean", ".spec.image", None, id="boolean-mistyped"),
        pytest.param(
            "string",
            ".spec.job",
            '{"parallelism":2,"upgradeMode":"stateless"}',
            id="string-of-object",
        ),
        pytest.param("string", ".spec.job.parallelism", "2", id="string-of-int"),
        pytest.param("string", ".status.load", "0.75", id="string-of-float"),
        pytest.param("string", ".status.nothing", "<no value>", id="string-of-null"),
        pytest.param("string", ".status.conditions[*].type", "Ready", id="first-of-many"),
        pytest.param(
            "string", '.status.conditions[?(@.type=="Ready")].status', "True", id="filter"
        ),
        pytest.param("string", ".status.conditions[7].type", None, id="index-out-of-range"),
        pytest.param("date", ".status.lastUpdated", "2m", id="date"),
        pytest.param("date", ".spec.image", "<invalid>", id="date-invalid"),
        pytest.param("date", ".status.empty", "<unknown>", id="date-empty"),
        pytest.param("date", ".status.load", None, id="date-not-a-string"),
        pytest.param("integer", ".status.absent", None, id="missing"),
    ],
)
def test_custom_column_cells_are_typed_as_declared(
    column_type: str, path: str, expected: Any
) -> None:
    columns = [{"name": "X", "type": column_type, "jsonPath": path}]
    (flink,) = from_crd(flink_crd(columns))
    obj = flink_deployment(
        load=0.75,
        healthy=True,
        nothing=None,
        empty="",
        lastUpdated=ago(minutes=2),
        conditions=[
            {"type": "Ready", "status": "True"},
            {"type": "Reconciling", "status": "False"},
        ],
    )
    cell = row(flink, obj)[1]
    assert cell == expected
    assert type(cell) is type(expected)


def test_custom_column_with_bad_path_ends_the_column_list() -> None:
    flink = ResourceKind(
        group="flink.apache.org",
        version="v1beta1",
        kind="FlinkDeployment",
        plural="flinkdeployments",
        singular="flinkdeployment",
        namespaced=True,
        custom=True,
        printer_columns=(
            PrinterColumn(name="State", type="string", json_path=".status.lifecycleState"),
            PrinterColumn(name="Bad", type="string", json_path=".status[?(@.x"),
            PrinterColumn(name="Later", type="string", json_path=".spec.image"),
        ),
    )
    assert [c["name"] for c in printer_for(flink).columns] == ["Name", "State"]


# --- the Table itself ---------------------------------------------------------------------------


def test_table_envelope_and_list_metadata() -> None:
    table = to_table(
        kind("", "ConfigMap"),
        [{"metadata": meta("a")}],
        now=NOW,
        resource_version="812",
        continue_token="eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ",
        remaining_item_count=3,
    )
    assert list(table) == ["kind", "apiVersion", "metadata", "columnDefinitions", "rows"]
    assert table["kind"] == "Table"
    assert table["apiVersion"] == "meta.k8s.io/v1"
    assert table["metadata"] == {
        "resourceVersion": "812",
        "continue": "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ",
        "remainingItemCount": 3,
    }
    assert to_table(kind("", "ConfigMap"), [], now=NOW)["metadata"] == {}
    assert to_table(kind("", "ConfigMap"), [], now=NOW)["rows"] == []


def test_rows_embed_partial_object_metadata_by_default() -> None:
    obj = realistic_pod("basic", phase="Running")
    obj["metadata"] = {
        "labels": {"a": "b"},
        "name": "basic",
        "uid": "u-1",
        "creationTimestamp": ago(minutes=1),
    }
    for include in ("Metadata", ""):
        embedded = to_table(POD, [obj], now=NOW, include_object=include)["rows"][0]["object"]
        assert embedded == {
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": obj["metadata"],
        }
        assert list(embedded["metadata"]) == ["name", "uid", "creationTimestamp", "labels"]
        assert embedded["metadata"] is not obj["metadata"]


def test_rows_embed_the_whole_object_or_nothing() -> None:
    obj = realistic_pod("basic", phase="Running")
    full = to_table(POD, [obj], now=NOW, include_object="Object")["rows"][0]
    assert full["object"] == obj
    assert full["object"] is not obj
    assert to_table(POD, [obj], now=NOW, include_object="None")["rows"][0] == {
        "cells": row(POD, obj),
        "object": None,
    }


def test_v1beta1_tables_embed_v1beta1_partial_metadata() -> None:
    table = to_table(
        kind("", "ConfigMap"),
        [{"metadata": meta("a")}],
        now=NOW.replace(tzinfo=None),
        group_version="meta.k8s.io/v1beta1",
    )
    assert table["apiVersion"] == "meta.k8s.io/v1beta1"
    assert table["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1"
    assert table["rows"][0]["cells"][-1] == "90m"


def test_partial_metadata_of_an_object_without_timestamp_writes_null() -> None:
    embedded = to_table(kind("", "ConfigMap"), [{"metadata": {"name": "a"}}], now=NOW)["rows"][0][
        "object"
    ]
    assert embedded["metadata"] == {"name": "a", "creationTimestamp": None}


def test_unknown_include_object_is_a_bad_request() -> None:
    with pytest.raises(ApiError) as caught:
        to_table(POD, [], now=NOW, include_object="Everything")
    assert caught.value.code == 400
    assert caught.value.reason == "BadRequest"
    assert caught.value.message == 'unrecognized includeObject value: "Everything"'


def test_every_builtin_kind_prints_a_minimal_object() -> None:
    for builtin in BUILTIN_KINDS:
        table = to_table(builtin, [{"metadata": {"name": "x"}}], now=NOW)
        cells = table["rows"][0]["cells"]
        assert len(cells) == len(table["columnDefinitions"]), builtin.kind
