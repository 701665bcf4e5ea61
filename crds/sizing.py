"""Rules for the size of a cluster: JobManager and TaskManager replicas, CPU and memory.

Split from `crds.rules` because sizing has its own vocabulary (Flink memory syntax, Kubernetes
quantities, limits against requests) and its own question: can the operator tell how big each
process must be, from `resource`, `resources` or the Flink configuration?
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from crds.common import JobManagerSpec, Resource, ResourceRequirements, TaskManagerSpec
from crds.config import first_set, ha_enabled
from crds.errors import FieldError
from crds.units import parse_memory, parse_quantity

MEMORY_KEYS = {
    "jobmanager": (
        "jobmanager.memory.process.size",
        "jobmanager.memory.flink.size",
        "jobmanager.memory.heap.size",
    ),
    "taskmanager": ("taskmanager.memory.process.size", "taskmanager.memory.flink.size"),
}


def job_manager_rules(jm: JobManagerSpec, conf: Mapping[str, str]) -> Iterator[FieldError]:
    path = "spec.jobManager"
    if jm.replicas < 1:
        yield FieldError(f"{path}.replicas", "must be at least 1")
    elif jm.replicas > 1 and not ha_enabled(conf):
        yield FieldError(
            f"{path}.replicas",
            "standby JobManagers need high availability: set "
            "high-availability.type in spec.flinkConfiguration, or use 1 replica",
        )
    yield from _resources(path, "jobmanager", jm.resource, jm.resources, conf)


def task_manager_rules(tm: TaskManagerSpec, conf: Mapping[str, str]) -> Iterator[FieldError]:
    path = "spec.taskManager"
    if tm.replicas is not None and tm.replicas < 1:
        yield FieldError(f"{path}.replicas", "must be at least 1 (suspend the job to stop it)")
    yield from _resources(path, "taskmanager", tm.resource, tm.resources, conf)


def _resources(
    path: str,
    process: str,
    resource: Resource | None,
    requirements: ResourceRequirements | None,
    conf: Mapping[str, str],
) -> Iterator[FieldError]:
    memory_known = first_set(conf, MEMORY_KEYS[process]) is not None
    if resource is not None:
        if resource.memory is not None:
            try:
                if parse_memory(resource.memory) <= 0:
                    yield FieldError(f"{path}.resource.memory", "must be larger than 0")
                memory_known = True
            except ValueError as exc:
                yield FieldError(f"{path}.resource.memory", str(exc))
                memory_known = True
        elif not memory_known:
            yield FieldError(
                f"{path}.resource.memory", 'required: the process memory, for example "2048m"'
            )
            memory_known = True
        if resource.cpu is not None and resource.cpu <= 0:
            yield FieldError(f"{path}.resource.cpu", "must be larger than 0")
    if requirements is not None:
        yield from _requirements(f"{path}.resources", requirements)
        for group in (requirements.requests, requirements.limits):
            memory_known = memory_known or bool(group and "memory" in group)
    if not memory_known:
        yield FieldError(
            f"{path}.resource.memory",
            f'required: set the {process} memory here (for example "2048m"), in '
            f"{path}.resources, or {MEMORY_KEYS[process][0]} in the configuration",
        )


def _requirements(path: str, requirements: ResourceRequirements) -> Iterator[FieldError]:
    parsed: dict[str, dict[str, float]] = {}
    for group_name, group in (("requests", requirements.requests), ("limits", requirements.limits)):
        parsed[group_name] = {}
        for name, value in (group or {}).items():
            try:
                amount = parse_quantity(value)
            except ValueError as exc:
                yield FieldError(f"{path}.{group_name}.{name}", str(exc))
                continue
            if amount <= 0:
                yield FieldError(f"{path}.{group_name}.{name}", "must be larger than 0")
            parsed[group_name][name] = float(amount)
    for name, request in parsed["requests"].items():
        limit = parsed["limits"].get(name)
        if limit is not None and limit < request:
            yield FieldError(
                f"{path}.limits.{name}",
                f"must be at least the request ({(requirements.requests or {}).get(name)})",
            )
