"""The FlinkSessionJob kind: a job submitted to a session cluster through its REST API.

The target is a session FlinkDeployment (one without `spec.job`) in the same namespace, named
by `deploymentName`; the job is submitted only once that cluster's JobManager is ready.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field

from crds.base import ApiModel
from crds.common import JobSpec
from crds.config import FlinkConfiguration
from crds.meta import ObjectMeta
from crds.status import FlinkSessionJobStatus

KIND: Final = "FlinkSessionJob"


class FlinkSessionJobSpec(ApiModel):
    """Desired state of a job running on a session cluster."""

    deployment_name: str | None = None
    """Name of the session FlinkDeployment (same namespace) to run the job on. Immutable."""

    job: JobSpec | None = None
    """The job (required)."""

    restart_nonce: int | None = None
    """Change to any other value to restart the job (using its upgradeMode)."""

    flink_configuration: FlinkConfiguration | None = None
    """Flink configuration for this job, merged over the session cluster's configuration."""


class FlinkSessionJob(ApiModel):
    """A Flink job on a session cluster managed by the operator."""

    api_version: Literal["flink.apache.org/v1beta1"] = Field(
        default="flink.apache.org/v1beta1", alias="apiVersion"
    )
    kind: Literal["FlinkSessionJob"] = "FlinkSessionJob"
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)
    spec: FlinkSessionJobSpec = Field(default_factory=FlinkSessionJobSpec)
    status: FlinkSessionJobStatus | None = None
