"""Descriptors of the autoscaling/v2 HorizontalPodAutoscaler, as `kubectl autoscale` sends it.

Field numbers are those of k8s.io/api's `autoscaling/v2/generated.proto`; the grammar is
described in `messages`.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "HorizontalPodAutoscaler": (
        "1 metadata:ObjectMeta, 2 spec:HorizontalPodAutoscalerSpec, "
        "3 status:HorizontalPodAutoscalerStatus"
    ),
    "HorizontalPodAutoscalerSpec": (
        "1 scaleTargetRef:CrossVersionObjectReference, 2 minReplicas?:int, 3 maxReplicas:int, "
        "4 metrics[]:MetricSpec, 5 behavior?:HorizontalPodAutoscalerBehavior"
    ),
    "HorizontalPodAutoscalerStatus": (
        "1 observedGeneration?:int, 2 lastScaleTime?:time, 3 currentReplicas:int, "
        "4 desiredReplicas:int, 5 currentMetrics[]:MetricStatus, "
        "6 conditions[]:HorizontalPodAutoscalerCondition"
    ),
    "CrossVersionObjectReference": "1 kind, 2 name, 3 apiVersion",
    "MetricSpec": (
        "1 type, 2 object?:ObjectMetricSource, 3 pods?:PodsMetricSource, "
        "4 resource?:ResourceMetricSource, 5 external?:ExternalMetricSource, "
        "7 containerResource?:ContainerResourceMetricSource"
    ),
    "HorizontalPodAutoscalerBehavior": "1 scaleUp?:HPAScalingRules, 2 scaleDown?:HPAScalingRules",
    "MetricStatus": (
        "1 type, 2 object?:ObjectMetricStatus, 3 pods?:PodsMetricStatus, "
        "4 resource?:ResourceMetricStatus, 5 external?:ExternalMetricStatus, "
        "7 containerResource?:ContainerResourceMetricStatus"
    ),
    "HorizontalPodAutoscalerCondition": (
        "1 type, 2 status, 3 lastTransitionTime:time, 4 reason, 5 message"
    ),
    "ObjectMetricSource": (
        "1 describedObject:CrossVersionObjectReference, 2 target:MetricTarget, "
        "3 metric:MetricIdentifier"
    ),
    "PodsMetricSource": "1 metric:MetricIdentifier, 2 target:MetricTarget",
    "ResourceMetricSource": "1 name, 2 target:MetricTarget",
    "ExternalMetricSource": "1 metric:MetricIdentifier, 2 target:MetricTarget",
    "ContainerResourceMetricSource": "1 name, 2 target:MetricTarget, 3 container",
    "HPAScalingRules": (
        "1 selectPolicy?, 2 policies[]:HPAScalingPolicy, 3 stabilizationWindowSeconds?:int, "
        "4 tolerance?:quantity"
    ),
    "ObjectMetricStatus": (
        "1 metric:MetricIdentifier, 2 current:MetricValueStatus, "
        "3 describedObject:CrossVersionObjectReference"
    ),
    "PodsMetricStatus": "1 metric:MetricIdentifier, 2 current:MetricValueStatus",
    "ResourceMetricStatus": "1 name, 2 current:MetricValueStatus",
    "ExternalMetricStatus": "1 metric:MetricIdentifier, 2 current:MetricValueStatus",
    "ContainerResourceMetricStatus": "1 name, 2 current:MetricValueStatus, 3 container",
    "MetricTarget": (
        "1 type, 2 value?:quantity, 3 averageValue?:quantity, 4 averageUtilization?:int"
    ),
    "MetricIdentifier": "1 name, 2 selector?:LabelSelector",
    "HPAScalingPolicy": "1 type, 2 value:int, 3 periodSeconds:int",
    "MetricValueStatus": "1 value?:quantity, 2 averageValue?:quantity, 3 averageUtilization?:int",
}
