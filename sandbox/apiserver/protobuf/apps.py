"""Descriptors of the apps/v1 Deployment, as `kubectl create deployment` sends it.

Field numbers are those of k8s.io/api's `apps/v1/generated.proto`; the grammar is
described in `messages`.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "Deployment": "1 metadata:ObjectMeta, 2 spec:DeploymentSpec, 3 status:DeploymentStatus",
    "DeploymentSpec": (
        "1 replicas?:int, 2 selector?:LabelSelector, 3 template:PodTemplateSpec, "
        "4 strategy:DeploymentStrategy, 5 minReadySeconds:int, 6 revisionHistoryLimit?:int, "
        "7 paused:bool, 9 progressDeadlineSeconds?:int"
    ),
    "DeploymentStatus": (
        "1 observedGeneration:int, 2 replicas:int, 3 updatedReplicas:int, "
        "4 availableReplicas:int, 5 unavailableReplicas:int, 6 conditions[]:DeploymentCondition, "
        "7 readyReplicas:int, 8 collisionCount?:int, 9 terminatingReplicas?:int"
    ),
    "DeploymentStrategy": "1 type, 2 rollingUpdate?:RollingUpdateDeployment",
    "DeploymentCondition": (
        "1 type, 2 status, 4 reason, 5 message, 6 lastUpdateTime:time, 7 lastTransitionTime:time"
    ),
    "RollingUpdateDeployment": "1 maxUnavailable?:intstr, 2 maxSurge?:intstr",
}
