"""Descriptors of the core/v1 kinds other than Pod, and of the types they hold.

Namespace, ConfigMap, Secret, ServiceAccount and Service are what `kubectl create
namespace|configmap|secret|serviceaccount|service` send (`kubectl expose` sends JSON). Field
numbers are those of k8s.io/api's `core/v1/generated.proto`; the grammar is described in
`messages`.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "Namespace": "1 metadata:ObjectMeta, 2 spec:NamespaceSpec, 3 status:NamespaceStatus",
    "ConfigMap": "1 metadata:ObjectMeta, 2 data{}, 3 binaryData{}:bytes, 4 immutable?:bool",
    "Secret": "1 metadata:ObjectMeta, 2 data{}:bytes, 3 type, 4 stringData{}, 5 immutable?:bool",
    "ServiceAccount": (
        "1 metadata:ObjectMeta, 2 secrets[]:ObjectReference, "
        "3 imagePullSecrets[]:LocalObjectReference, 4 automountServiceAccountToken?:bool"
    ),
    "Service": "1 metadata:ObjectMeta, 2 spec:ServiceSpec, 3 status:ServiceStatus",
    "NamespaceSpec": "1 finalizers[]",
    "NamespaceStatus": "1 phase, 2 conditions[]:NamespaceCondition",
    "ObjectReference": (
        "1 kind, 2 namespace, 3 name, 4 uid, 5 apiVersion, 6 resourceVersion, 7 fieldPath"
    ),
    "LocalObjectReference": "1 name",
    "ServiceSpec": (
        "1 ports[]:ServicePort, 2 selector{}, 3 clusterIP, 4 type, 5 externalIPs[], "
        "7 sessionAffinity, 8 loadBalancerIP, 9 loadBalancerSourceRanges[], 10 externalName, "
        "11 externalTrafficPolicy, 12 healthCheckNodePort:int, 13 publishNotReadyAddresses:bool, "
        "14 sessionAffinityConfig?:SessionAffinityConfig, 17 ipFamilyPolicy?, 18 clusterIPs[], "
        "19 ipFamilies[], 20 allocateLoadBalancerNodePorts?:bool, 21 loadBalancerClass?, "
        "22 internalTrafficPolicy?, 23 trafficDistribution?"
    ),
    "ServiceStatus": "1 loadBalancer:LoadBalancerStatus, 2 conditions[]:Condition",
    "NamespaceCondition": "1 type, 2 status, 4 lastTransitionTime:time, 5 reason, 6 message",
    "ServicePort": (
        "1 name, 2 protocol, 3 port:int, 4 targetPort:intstr, 5 nodePort:int, 6 appProtocol?"
    ),
    "SessionAffinityConfig": "1 clientIP?:ClientIPConfig",
    "LoadBalancerStatus": "1 ingress[]:LoadBalancerIngress",
    "ClientIPConfig": "1 timeoutSeconds?:int",
    "LoadBalancerIngress": "1 ip, 2 hostname, 3 ipMode?, 4 ports[]:PortStatus",
    "PortStatus": "1 port:int, 2 protocol, 3 error?",
}
