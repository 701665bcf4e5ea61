"""Status types of FlinkDeployment and FlinkSessionJob, shaped exactly as upstream writes them.

Only the workflows write status (through an activity, on the status subresource), but
dashboards and scripts written for upstream read it, so names, enum spellings and the
string-encoded epoch milliseconds follow `reference/upstream-api.md` §4 to the letter.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from crds.base import ApiModel


class JobManagerDeploymentStatus(StrEnum):
    """Observed state of the JobManager Deployment."""

    READY = "READY"
    DEPLOYED_NOT_READY = "DEPLOYED_NOT_READY"
    DEPLOYING = "DEPLOYING"
    MISSING = "MISSING"
    ERROR = "ERROR"


class ReconciliationState(StrEnum):
    """Where applying `lastReconciledSpec` stands."""

    DEPLOYED = "DEPLOYED"
    UPGRADING = "UPGRADING"
    ROLLING_BACK = "ROLLING_BACK"
    ROLLED_BACK = "ROLLED_BACK"


class ResourceLifecycleState(StrEnum):
    """The lifecycle state shown in `kubectl get` and used by metrics."""

    CREATED = "CREATED"
    SUSPENDED = "SUSPENDED"
    UPGRADING = "UPGRADING"
    DEPLOYED = "DEPLOYED"
    STABLE = "STABLE"
    ROLLING_BACK = "ROLLING_BACK"
    ROLLED_BACK = "ROLLED_BACK"
    FAILED = "FAILED"
    DELETING = "DELETING"
    DELETED = "DELETED"


class FlinkJobState(StrEnum):
    """Flink's job states, plus RECONCILING, which the operator writes while it cannot observe."""

    INITIALIZING = "INITIALIZING"
    CREATED = "CREATED"
    RUNNING = "RUNNING"
    FAILING = "FAILING"
    FAILED = "FAILED"
    CANCELLING = "CANCELLING"
    CANCELED = "CANCELED"
    FINISHED = "FINISHED"
    RESTARTING = "RESTARTING"
    SUSPENDED = "SUSPENDED"
    RECONCILING = "RECONCILING"


class SnapshotTriggerType(StrEnum):
    """What triggered a savepoint or checkpoint."""

    MANUAL = "MANUAL"
    PERIODIC = "PERIODIC"
    UPGRADE = "UPGRADE"
    UNKNOWN = "UNKNOWN"


class SavepointFormatType(StrEnum):
    """Binary format of a savepoint."""

    CANONICAL = "CANONICAL"
    NATIVE = "NATIVE"
    UNKNOWN = "UNKNOWN"


class CheckpointType(StrEnum):
    """Kind of a checkpoint."""

    FULL = "FULL"
    INCREMENTAL = "INCREMENTAL"
    UNKNOWN = "UNKNOWN"


class Savepoint(ApiModel):
    """A completed savepoint."""

    time_stamp: int = 0
    """Trigger time, epoch milliseconds."""

    location: str | None = None
    """Where the savepoint was written."""

    trigger_type: SnapshotTriggerType = SnapshotTriggerType.UNKNOWN
    """What triggered it."""

    format_type: SavepointFormatType | None = None
    """Binary format of the savepoint."""

    trigger_nonce: int | None = None
    """The savepointTriggerNonce of a manual savepoint."""


class SavepointInfo(ApiModel):
    """Savepoints known to the operator: the last one, a pending trigger, the history."""

    last_savepoint: Savepoint | None = None
    """Last completed savepoint (also the job's latest checkpoint when it stopped)."""

    trigger_id: str | None = ""
    """Id of the pending savepoint trigger; empty when none is pending."""

    trigger_timestamp: int | None = 0
    """When the pending savepoint was triggered, epoch milliseconds."""

    trigger_type: SnapshotTriggerType | None = SnapshotTriggerType.UNKNOWN
    """What triggered the pending savepoint."""

    format_type: SavepointFormatType | None = None
    """Format of the pending savepoint."""

    savepoint_history: list[Savepoint] = Field(default_factory=list)
    """Completed savepoints, oldest first, pruned by count and age."""

    last_periodic_savepoint_timestamp: int | None = 0
    """Trigger time of the last periodic savepoint, epoch milliseconds."""


class Checkpoint(ApiModel):
    """A completed checkpoint."""

    time_stamp: int = 0
    """Trigger time, epoch milliseconds."""

    trigger_type: SnapshotTriggerType | None = None
    """What triggered it."""

    format_type: CheckpointType | None = None
    """Full or incremental."""

    trigger_nonce: int | None = None
    """The checkpointTriggerNonce of a manual checkpoint."""


class CheckpointInfo(ApiModel):
    """Checkpoints triggered by the operator."""

    last_checkpoint: Checkpoint | None = None
    """Last completed checkpoint triggered by the operator."""

    trigger_id: str | None = None
    """Id of the pending checkpoint trigger."""

    trigger_timestamp: int | None = None
    """When the pending checkpoint was triggered, epoch milliseconds."""

    trigger_type: SnapshotTriggerType | None = None
    """What triggered the pending checkpoint."""

    format_type: CheckpointType | None = None
    """Kind of the pending checkpoint."""

    last_periodic_checkpoint_timestamp: int | None = None
    """Trigger time of the last periodic checkpoint, epoch milliseconds."""


class JobStatus(ApiModel):
    """The last observed state of the Flink job."""

    job_name: str | None = None
    """Flink job name."""

    job_id: str | None = None
    """Flink JobID, 32 hex digits."""

    state: FlinkJobState | None = None
    """Flink job state, or RECONCILING while the operator deploys or cannot observe it."""

    start_time: str | None = None
    """Job start time, epoch milliseconds as a string."""

    update_time: str | None = None
    """When the operator last saw the state change, epoch milliseconds as a string."""

    upgrade_savepoint_path: str | None = None
    """Savepoint or checkpoint the next stateful start restores from."""

    savepoint_info: SavepointInfo | None = None
    """Savepoints of the job."""

    checkpoint_info: CheckpointInfo | None = None
    """Checkpoints of the job triggered by the operator."""


class ReconciliationStatus(ApiModel):
    """What the operator last applied and whether it became stable."""

    reconciliation_timestamp: int | None = 0
    """When the last spec was applied, epoch milliseconds."""

    last_reconciled_spec: str | None = None
    """JSON of the spec last applied (or being applied); absent before the first deploy."""

    last_stable_spec: str | None = None
    """JSON of the last spec that ran stably; the rollback target."""

    state: ReconciliationState = ReconciliationState.UPGRADING
    """Where applying the last reconciled spec stands."""


class TaskManagerInfo(ApiModel):
    """TaskManager replicas and selector, read by the scale subresource."""

    label_selector: str | None = None
    """Label selector of the TaskManager pods."""

    replicas: int | None = None
    """Number of TaskManagers."""


class Condition(ApiModel):
    """A standard Kubernetes condition."""

    type: str | None = None
    """Condition type, e.g. `Running`."""

    status: str | None = None
    """`True`, `False` or `Unknown`."""

    reason: str | None = None
    """One-word CamelCase reason."""

    message: str | None = None
    """Human-readable details."""

    last_transition_time: str | None = None
    """When `status` last changed (RFC 3339)."""

    observed_generation: int | None = None
    """The metadata.generation this condition reflects."""


class CommonStatus(ApiModel):
    """Status fields shared by both kinds."""

    job_status: JobStatus | None = None
    """Last observed state of the job."""

    error: str | None = None
    """Last error: a validation problem, a deployment failure or a job failure."""

    observed_generation: int | None = None
    """The metadata.generation last processed."""

    lifecycle_state: ResourceLifecycleState | None = None
    """Lifecycle state of the resource."""

    reconciliation_status: ReconciliationStatus | None = None
    """What the operator last applied."""


class FlinkDeploymentStatus(CommonStatus):
    """Observed state of a FlinkDeployment."""

    cluster_info: dict[str, str] | None = None
    """Facts read from the cluster's REST API: flink-version, flink-revision, total-cpu, ..."""

    job_manager_deployment_status: JobManagerDeploymentStatus | None = None
    """Observed state of the JobManager Deployment."""

    task_manager: TaskManagerInfo | None = None
    """TaskManager replicas and selector for the scale subresource."""

    conditions: list[Condition] | None = None
    """Standard conditions; `Running` tells whether the job (or session cluster) runs."""


class FlinkSessionJobStatus(CommonStatus):
    """Observed state of a FlinkSessionJob."""
