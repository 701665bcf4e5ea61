"""The FlinkDeployment kind: a Flink cluster, with a job (application mode) or without (session).

`spec.job` present means an application cluster running that job; absent means a session
cluster that FlinkSessionJobs submit to. Both modes are deployed either natively (Flink's
resource manager creates TaskManager pods) or standalone (we render TaskManager Deployments).
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field

from crds.base import ApiModel
from crds.common import (
    FlinkVersion,
    IngressSpec,
    JobManagerSpec,
    JobSpec,
    KubernetesDeploymentMode,
    PodTemplate,
    TaskManagerSpec,
)
from crds.config import FlinkConfiguration
from crds.meta import ObjectMeta
from crds.status import FlinkDeploymentStatus

KIND: Final = "FlinkDeployment"


class FlinkDeploymentSpec(ApiModel):
    """Desired state of a Flink cluster and, in application mode, of its job."""

    job: JobSpec | None = None
    """The job of an application cluster; leave out for a session cluster. Cannot be added
    or removed after the first deployment."""

    restart_nonce: int | None = None
    """Change to any other value to restart the cluster and job (an upgrade using the job's
    upgradeMode)."""

    flink_configuration: FlinkConfiguration | None = None
    """Flink configuration, as a flat map of dotted keys or as nested YAML; also per-resource
    overrides of `kubernetes.operator.*` settings."""

    image: str | None = None
    """Container image of the JobManager and TaskManager pods."""

    image_pull_policy: str | None = None
    """Image pull policy: Always, Never or IfNotPresent."""

    service_account: str | None = None
    """ServiceAccount the Flink pods run as (required)."""

    flink_version: FlinkVersion | None = None
    """Flink major version of the image (required)."""

    ingress: IngressSpec | None = None
    """An Ingress for the JobManager's REST API and web UI."""

    pod_template: PodTemplate | None = None
    """Base pod template for JobManager and TaskManager pods."""

    job_manager: JobManagerSpec | None = None
    """The JobManager."""

    task_manager: TaskManagerSpec | None = None
    """The TaskManagers."""

    log_configuration: dict[str, str] | None = None
    """Log configuration files by name: `log4j-console.properties` or `logback-console.xml`."""

    mode: KubernetesDeploymentMode | None = None
    """How the cluster runs on Kubernetes: `native` (default) or `standalone`. Immutable."""

    @property
    def is_application(self) -> bool:
        """An application cluster runs exactly the job in its spec."""
        return self.job is not None

    @property
    def effective_mode(self) -> KubernetesDeploymentMode:
        """The deployment mode, `native` when unset."""
        return self.mode or KubernetesDeploymentMode.NATIVE


class FlinkDeployment(ApiModel):
    """A Flink cluster managed by the operator."""

    api_version: Literal["flink.apache.org/v1beta1"] = Field(
        default="flink.apache.org/v1beta1", alias="apiVersion"
    )
    kind: Literal["FlinkDeployment"] = "FlinkDeployment"
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)
    spec: FlinkDeploymentSpec = Field(default_factory=FlinkDeploymentSpec)
    status: FlinkDeploymentStatus | None = None
