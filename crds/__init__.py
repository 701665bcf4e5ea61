"""The flink.apache.org/v1beta1 API: FlinkDeployment and FlinkSessionJob.

This package is the bottom layer of the operator: every other package imports from it and it
imports none of them. It holds the pydantic models (field-compatible with the Apache Flink
Kubernetes Operator, so existing manifests work unchanged), the CRDs generated from them
(`crds/generated/`), the spec diff classification and the validator shared by the admission
webhook and the workflows.
"""

from crds.common import (
    FlinkVersion,
    IngressSpec,
    IngressTLS,
    JobManagerSpec,
    JobSpec,
    JobState,
    KubernetesDeploymentMode,
    Resource,
    ResourceRequirements,
    TaskManagerSpec,
    UpgradeMode,
)
from crds.deployment import FlinkDeployment, FlinkDeploymentSpec
from crds.errors import FieldError
from crds.sessionjob import FlinkSessionJob, FlinkSessionJobSpec
from crds.status import (
    FlinkDeploymentStatus,
    FlinkSessionJobStatus,
    JobManagerDeploymentStatus,
    JobStatus,
    ReconciliationState,
    ResourceLifecycleState,
)

__all__ = [
    "FieldError",
    "FlinkDeployment",
    "FlinkDeploymentSpec",
    "FlinkDeploymentStatus",
    "FlinkSessionJob",
    "FlinkSessionJobSpec",
    "FlinkSessionJobStatus",
    "FlinkVersion",
    "IngressSpec",
    "IngressTLS",
    "JobManagerDeploymentStatus",
    "JobManagerSpec",
    "JobSpec",
    "JobState",
    "JobStatus",
    "KubernetesDeploymentMode",
    "ReconciliationState",
    "Resource",
    "ResourceLifecycleState",
    "ResourceRequirements",
    "TaskManagerSpec",
    "UpgradeMode",
]
