"""Spec types shared by FlinkDeployment and FlinkSessionJob: the job, resources, enums.

Field names and enum spellings are upstream's contract (`reference/upstream-api.md` §2), so a
manifest written for the Apache Flink Kubernetes Operator parses here unchanged. Each field
carries its diff class (`DiffType`) as upstream's `@SpecDiff` does: `crds.diff` reads these
annotations to decide whether a change needs an upgrade, a rescale, or nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema

from crds.base import INT_OR_STRING, POD_SCHEMA_MARKER, ApiModel, DiffType


class FlinkVersion(StrEnum):
    """Flink major version of the image, as upstream spells it."""

    v1_13 = "v1_13"
    v1_14 = "v1_14"
    v1_15 = "v1_15"
    v1_16 = "v1_16"
    v1_17 = "v1_17"
    v1_18 = "v1_18"
    v1_19 = "v1_19"
    v1_20 = "v1_20"
    v2_0 = "v2_0"
    v2_1 = "v2_1"
    v2_2 = "v2_2"
    v2_3 = "v2_3"
    v2_4 = "v2_4"

    @property
    def release(self) -> tuple[int, int]:
        """(major, minor), e.g. (1, 20) for `v1_20`."""
        major, minor = self.value[1:].split("_")
        return int(major), int(minor)

    @property
    def uses_config_yaml(self) -> bool:
        """Flink 2.x reads `config.yaml`; 1.x reads `flink-conf.yaml`."""
        return self.release >= (2, 0)


OLDEST_SUPPORTED_FLINK_VERSION = FlinkVersion.v1_15
"""Older versions stay in the enum (old manifests still parse) but are rejected by validation."""


class UpgradeMode(StrEnum):
    """How job state is carried across a stop and start."""

    STATELESS = "stateless"
    SAVEPOINT = "savepoint"
    LAST_STATE = "last-state"


class JobState(StrEnum):
    """The desired state of a job."""

    RUNNING = "running"
    SUSPENDED = "suspended"


class KubernetesDeploymentMode(StrEnum):
    """Native: Flink's resource manager creates TaskManager pods. Standalone: we create them."""

    NATIVE = "native"
    STANDALONE = "standalone"


Quantity = Annotated[int | float | str, WithJsonSchema(INT_OR_STRING)]
"""A Kubernetes resource quantity: `2Gi`, `500m`, `1`."""

PodTemplate = Annotated[dict[str, Any], WithJsonSchema({POD_SCHEMA_MARKER: True})]
"""A core/v1 Pod used as a template; kept as plain data and merged by the renderer."""


class JobSpec(ApiModel):
    """The Flink job of an application cluster or a session job."""

    jar_uri: str | None = Field(default=None, alias="jarURI")
    """URI of the job jar: `local:///opt/flink/...` inside the image, or a remote URI for a
    session job. May be omitted for an application cluster whose jar is on the classpath."""

    parallelism: Annotated[int, DiffType.SCALE] = 0
    """Job parallelism (`parallelism.default`); ignored when `taskManager.replicas` is set."""

    entry_class: str | None = None
    """Fully qualified main class of the job."""

    args: list[str] = Field(default_factory=list)
    """Arguments passed to the job's main method."""

    state: JobState = JobState.RUNNING
    """Desired state of the job: `running`, or `suspended` to stop it and keep its state."""

    savepoint_trigger_nonce: Annotated[int | None, DiffType.IGNORE] = None
    """Set to a new value to take a manual savepoint."""

    initial_savepoint_path: Annotated[str | None, DiffType.IGNORE] = None
    """Savepoint or checkpoint to restore from on the first deployment (and on a
    savepointRedeployNonce change)."""

    checkpoint_trigger_nonce: Annotated[int | None, DiffType.IGNORE] = None
    """Set to a new value to take a manual checkpoint."""

    upgrade_mode: Annotated[UpgradeMode, DiffType.IGNORE] = UpgradeMode.STATELESS
    """How state is carried across upgrades: `stateless`, `savepoint` or `last-state`."""

    allow_non_restored_state: Annotated[bool | None, DiffType.IGNORE] = None
    """Allow restoring from a savepoint whose state no longer maps to an operator."""

    savepoint_redeploy_nonce: Annotated[int | None, DiffType.SAVEPOINT_REDEPLOY] = None
    """Set to a new value to redeploy from `initialSavepointPath`, discarding current state."""

    autoscaler_reset_nonce: Annotated[int | None, DiffType.IGNORE] = None
    """Set to a new value to reset the autoscaler's overrides and history."""


class Resource(ApiModel):
    """CPU and memory of a JobManager or TaskManager, in Flink's terms."""

    cpu: float | None = None
    """CPU cores (`kubernetes.jobmanager.cpu` / `kubernetes.taskmanager.cpu`)."""

    memory: str | None = None
    """Total process memory: Flink syntax (`2048m` is 2048 MiB, `2g`) or a Kubernetes
    quantity (`2Gi`)."""

    ephemeral_storage: str | None = None
    """Ephemeral storage of the main container, as a Kubernetes quantity."""


class ResourceClaim(ApiModel):
    """A reference to a dynamic resource claim of the pod."""

    name: str | None = None
    """Name of the claim in the pod's resourceClaims."""

    request: str | None = None
    """Name of the request within the claim."""


class ResourceRequirements(ApiModel):
    """Kubernetes ResourceRequirements for the main container (the newer `resources` form)."""

    requests: dict[str, Quantity] | None = None
    """Requested resources; cpu and memory also set Flink's process size and cores."""

    limits: dict[str, Quantity] | None = None
    """Resource limits; their ratio to the requests sets Flink's limit factors."""

    claims: list[ResourceClaim] | None = None
    """Dynamic resource claims used by the container."""


class JobManagerSpec(ApiModel):
    """The JobManager: resources, replicas (more than one needs high availability), pods."""

    resource: Resource | None = None
    """CPU and memory of each JobManager."""

    resources: ResourceRequirements | None = None
    """Kubernetes resource requirements; takes precedence over `resource` when both are set."""

    replicas: int = 1
    """Number of JobManager replicas; more than one requires high availability."""

    pod_template: PodTemplate | None = None
    """Pod template for JobManager pods, merged over `spec.podTemplate`."""


class TaskManagerSpec(ApiModel):
    """The TaskManagers: resources, an optional fixed replica count, pods."""

    resource: Resource | None = None
    """CPU and memory of each TaskManager."""

    resources: ResourceRequirements | None = None
    """Kubernetes resource requirements; takes precedence over `resource` when both are set."""

    replicas: Annotated[int | None, DiffType.SCALE] = None
    """Number of TaskManagers (the scale subresource). When set, job parallelism is
    replicas * taskmanager.numberOfTaskSlots."""

    pod_template: PodTemplate | None = None
    """Pod template for TaskManager pods, merged over `spec.podTemplate`."""


class IngressTLS(ApiModel):
    """TLS settings of the managed Ingress."""

    hosts: list[str] | None = None
    """Hosts covered by the certificate."""

    secret_name: str | None = None
    """Secret holding the certificate and key."""


class IngressSpec(ApiModel):
    """An Ingress for the JobManager's REST API and web UI."""

    template: str | None = None
    """Host and path template with `{{name}}` and `{{namespace}}` placeholders, e.g.
    `{{name}}.{{namespace}}.flink.example.com` or `example.com/{{namespace}}/{{name}}(/|$)(.*)`."""

    class_name: str | None = None
    """The Ingress class (`ingressClassName`)."""

    annotations: dict[str, str] | None = None
    """Annotations of the Ingress."""

    labels: dict[str, str] | None = None
    """Labels of the Ingress."""

    tls: list[IngressTLS] | None = None
    """TLS settings of the Ingress."""
