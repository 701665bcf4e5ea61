"""Pure helpers of the Deployment controller: template hash, surge arithmetic, conditions.

Kept apart from `deployment.py` so the rollout arithmetic can be tested without a server.
The pod-template-hash follows kube's recipe (FNV-32a over the template, the collision
count appended as a little-endian uint32, the decimal sum rendered with SafeEncodeString's
consonant-and-digit alphabet); the template is serialised as canonical JSON, so hashes are
stable here though not byte-identical to Go's.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Mapping
from typing import Any

from sandbox.controllers import common

Object = dict[str, Any]

HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
NOT_COPIED = frozenset(
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        REVISION,
        "deployment.kubernetes.io/revision-history",
        DESIRED_REPLICAS,
        MAX_REPLICAS,
        "deprecated.deployment.rollback.to",
    }
)


def fnv32a(data: bytes) -> int:
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    """rand.SafeEncodeString: each byte mapped into an alphabet without vowels or 0/1/3."""
    return "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in text.encode())


def template_hash(template: Mapping[str, Any], collision_count: int | None) -> str:
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count is not None:
        data += int(collision_count).to_bytes(4, "little")
    return safe_encode(str(fnv32a(data)))


def without_hash(template: Mapping[str, Any] | None) -> Object:
    result = copy.deepcopy(dict(template or {}))
    labels = (result.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    return result


def _scaled(value: Any, total: int, *, round_up: bool) -> int:
    if isinstance(value, str) and value.endswith("%"):
        exact = float(value[:-1]) * total / 100
        return math.ceil(exact) if round_up else math.floor(exact)
    return int(value or 0)


def surge_and_unavailable(deployment: Mapping[str, Any]) -> tuple[int, int]:
    """(maxSurge, maxUnavailable) resolved against spec.replicas; both 0 means 1 unavailable."""
    spec = deployment.get("spec") or {}
    strategy = spec.get("strategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return 0, 0
    rolling = strategy.get("rollingUpdate") or {}
    replicas = int(spec.get("replicas", 1))
    surge = _scaled(rolling.get("maxSurge", "25%"), replicas, round_up=True)
    unavailable = _scaled(rolling.get("maxUnavailable", "25%"), replicas, round_up=False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, min(unavailable, replicas)


def revision(obj: Mapping[str, Any]) -> int:
    text = ((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION, "0")
    try:
        return int(text)
    except ValueError:
        return 0


def replicas(rs: Mapping[str, Any]) -> int:
    return int((rs.get("spec") or {}).get("replicas", 0))


def status_count(rs: Mapping[str, Any], field: str) -> int:
    return int((rs.get("status") or {}).get(field) or 0)


def new_rs_replicas(deployment: Mapping[str, Any], all_rs: list[Object], new_rs: Object) -> int:
    """How far the new ReplicaSet may grow now (deploymentutil.NewRSNewReplicas)."""
    desired = int((deployment.get("spec") or {}).get("replicas", 1))
    strategy = ((deployment.get("spec") or {}).get("strategy") or {}).get("type")
    if strategy == "Recreate":
        return desired
    surge, _ = surge_and_unavailable(deployment)
    current = sum(replicas(rs) for rs in all_rs)
    if current >= desired + surge:
        return replicas(new_rs)
    grow = min(desired + surge - current, max(desired - replicas(new_rs), 0))
    return replicas(new_rs) + grow


def set_condition(
    status: Object, *, kind: str, value: str, reason: str, message: str, at: str
) -> None:
    """SetDeploymentCondition: same status and reason keeps the condition untouched."""
    conditions = [dict(c) for c in status.get("conditions") or []]
    current = next((c for c in conditions if c.get("type") == kind), None)
    if current is not None and current.get("status") == value and current.get("reason") == reason:
        if current.get("message") != message:
            current.update(message=message, lastUpdateTime=at)
        status["conditions"] = conditions
        return
    transition = at
    if current is not None and current.get("status") == value:
        transition = current.get("lastTransitionTime", at)
    fresh = {
        "type": kind,
        "status": value,
        "lastUpdateTime": at,
        "lastTransitionTime": transition,
        "reason": reason,
        "message": message,
    }
    others = [c for c in conditions if c.get("type") != kind]
    status["conditions"] = (
        [*others, fresh]
        if current is None
        else [fresh if c.get("type") == kind else c for c in conditions]
    )


def get_condition(status: Mapping[str, Any], kind: str) -> Object | None:
    for condition in status.get("conditions") or []:
        if condition.get("type") == kind:
            return dict(condition)
    return None


def is_complete(deployment: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    desired = int((deployment.get("spec") or {}).get("replicas", 1))
    return (
        int(status.get("updatedReplicas") or 0) == desired
        and int(status.get("replicas") or 0) == desired
        and int(status.get("availableReplicas") or 0) == desired
        and int(status.get("observedGeneration") or 0)
        >= int(deployment["metadata"].get("generation") or 0)
    )


def is_progressing(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Any of the counters moved the right way since the last status (DeploymentProgressing)."""

    def count(status: Mapping[str, Any], field: str) -> int:
        return int(status.get(field) or 0)

    old_stale = count(old, "replicas") - count(old, "updatedReplicas")
    new_stale = count(new, "replicas") - count(new, "updatedReplicas")
    return (
        count(new, "updatedReplicas") > count(old, "updatedReplicas")
        or new_stale < old_stale
        or count(new, "readyReplicas") > count(old, "readyReplicas")
        or count(new, "availableReplicas") > count(old, "availableReplicas")
    )


def timed_out(deployment: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    deadline = (deployment.get("spec") or {}).get("progressDeadlineSeconds")
    condition = get_condition(status, "Progressing")
    if deadline is None or condition is None or condition.get("reason") == "NewReplicaSetAvailable":
        return False
    if condition.get("reason") == "ProgressDeadlineExceeded":
        return True
    since = common.parse_time(condition.get("lastUpdateTime"))
    return since is not None and (common.now() - since).total_seconds() > int(deadline)


_PROGRESS_MESSAGES = {
    "NewReplicaSetAvailable": ("True", 'ReplicaSet "{}" has successfully progressed.'),
    "NewReplicaSetCreated": ("True", 'Created new replica set "{}"'),
    "ReplicaSetUpdated": ("True", 'ReplicaSet "{}" is progressing.'),
    "ProgressDeadlineExceeded": ("False", 'ReplicaSet "{}" has timed out progressing.'),
    "FoundNewReplicaSet": ("True", 'Found new replica set "{}"'),
}


def set_progressing(
    deployment: Mapping[str, Any],
    old: Mapping[str, Any],
    status: Object,
    name: str,
    *,
    created: bool,
    at: str,
) -> None:
    """The Progressing condition as syncRolloutStatus sets it (needs progressDeadlineSeconds)."""
    if (deployment.get("spec") or {}).get("progressDeadlineSeconds") is None:
        return
    if is_complete(deployment, status):
        reason = "NewReplicaSetAvailable"
    elif created:
        reason = "NewReplicaSetCreated"
    elif is_progressing(old, status):
        reason = "ReplicaSetUpdated"
    elif timed_out(deployment, status):
        reason = "ProgressDeadlineExceeded"
    elif get_condition(status, "Progressing") is None:
        reason = "FoundNewReplicaSet"
    else:
        return
    value, message = _PROGRESS_MESSAGES[reason]
    set_condition(
        status, kind="Progressing", value=value, reason=reason, message=message.format(name), at=at
    )
