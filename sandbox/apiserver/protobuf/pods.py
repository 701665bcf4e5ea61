"""Descriptors of the Pod, its spec and status, and the scheduling types the spec holds.

`kubectl run` sends a Pod (as JSON, in fact); a Deployment carries a `PodTemplateSpec`. The
spec's containers are in `containers`, its volumes in `volumes`. Field numbers are those
of k8s.io/api's `core/v1/generated.proto`; the grammar is described in `messages`.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "Pod": "1 metadata:ObjectMeta, 2 spec:PodSpec, 3 status:PodStatus",
    "PodSpec": (
        "1 volumes[]:Volume, 2 containers[]:Container, 3 restartPolicy, "
        "4 terminationGracePeriodSeconds?:int, 5 activeDeadlineSeconds?:int, 6 dnsPolicy, "
        "7 nodeSelector{}, 8 serviceAccountName, 9 serviceAccount, 10 nodeName, "
        "11 hostNetwork:bool, 12 hostPID:bool, 13 hostIPC:bool, "
        "14 securityContext?:PodSecurityContext, 15 imagePullSecrets[]:LocalObjectReference, "
        "16 hostname, 17 subdomain, 18 affinity?:Affinity, 19 schedulerName, "
        "20 initContainers[]:Container, 21 automountServiceAccountToken?:bool, "
        "22 tolerations[]:Toleration, 23 hostAliases[]:HostAlias, 24 priorityClassName, "
        "25 priority?:int, 26 dnsConfig?:PodDNSConfig, 27 shareProcessNamespace?:bool, "
        "28 readinessGates[]:PodReadinessGate, 29 runtimeClassName?, 30 enableServiceLinks?:bool, "
        "31 preemptionPolicy?, 32 overhead{}:quantity, "
        "33 topologySpreadConstraints[]:TopologySpreadConstraint, "
        "34 ephemeralContainers[]:EphemeralContainer, 35 setHostnameAsFQDN?:bool, 36 os?:PodOS, "
        "37 hostUsers?:bool, 38 schedulingGates[]:PodSchedulingGate, "
        "39 resourceClaims[]:PodResourceClaim, 40 resources?:ResourceRequirements"
    ),
    "PodStatus": (
        "1 phase, 2 conditions[]:PodCondition, 3 message, 4 reason, 5 hostIP, 6 podIP, "
        "7 startTime?:time, 8 containerStatuses[]:ContainerStatus, 9 qosClass, "
        "10 initContainerStatuses[]:ContainerStatus, 11 nominatedNodeName, 12 podIPs[]:PodIP, "
        "13 ephemeralContainerStatuses[]:ContainerStatus, 14 resize, "
        "15 resourceClaimStatuses[]:PodResourceClaimStatus, 16 hostIPs[]:HostIP, "
        "17 observedGeneration:int"
    ),
    "PodSecurityContext": (
        "1 seLinuxOptions?:SELinuxOptions, 2 runAsUser?:int, 3 runAsNonRoot?:bool, "
        "4 supplementalGroups[]:int, 5 fsGroup?:int, 6 runAsGroup?:int, 7 sysctls[]:Sysctl, "
        "8 windowsOptions?:WindowsSecurityContextOptions, 9 fsGroupChangePolicy?, "
        "10 seccompProfile?:SeccompProfile, 11 appArmorProfile?:AppArmorProfile, "
        "12 supplementalGroupsPolicy?, 13 seLinuxChangePolicy?"
    ),
    "Affinity": (
        "1 nodeAffinity?:NodeAffinity, 2 podAffinity?:PodAffinity, "
        "3 podAntiAffinity?:PodAntiAffinity"
    ),
    "Toleration": "1 key, 2 operator, 3 value, 4 effect, 5 tolerationSeconds?:int",
    "HostAlias": "1 ip, 2 hostnames[]",
    "PodDNSConfig": "1 nameservers[], 2 searches[], 3 options[]:PodDNSConfigOption",
    "PodReadinessGate": "1 conditionType",
    "TopologySpreadConstraint": (
        "1 maxSkew:int, 2 topologyKey, 3 whenUnsatisfiable, 4 labelSelector?:LabelSelector, "
        "5 minDomains?:int, 6 nodeAffinityPolicy?, 7 nodeTaintsPolicy?, 8 matchLabelKeys[]"
    ),
    "PodOS": "1 name",
    "PodSchedulingGate": "1 name",
    "PodResourceClaim": "1 name, 3 resourceClaimName?, 4 resourceClaimTemplateName?",
    "PodCondition": (
        "1 type, 2 status, 3 lastProbeTime:time, 4 lastTransitionTime:time, 5 reason, 6 message, "
        "7 observedGeneration:int"
    ),
    "ContainerStatus": (
        "1 name, 2 state:ContainerState, 3 lastState:ContainerState, 4 ready:bool, "
        "5 restartCount:int, 6 image, 7 imageID, 8 containerID, 9 started?:bool, "
        "10 allocatedResources{}:quantity, 11 resources?:ResourceRequirements, "
        "12 volumeMounts[]:VolumeMountStatus, 13 user?:ContainerUser, "
        "14 allocatedResourcesStatus[]:ResourceStatus, 15 stopSignal?"
    ),
    "PodIP": "1 ip",
    "PodResourceClaimStatus": "1 name, 2 resourceClaimName?",
    "HostIP": "1 ip",
    "Sysctl": "1 name, 2 value",
    "NodeAffinity": (
        "1 requiredDuringSchedulingIgnoredDuringExecution?:NodeSelector, "
        "2 preferredDuringSchedulingIgnoredDuringExecution[]:PreferredSchedulingTerm"
    ),
    "PodAffinity": (
        "1 requiredDuringSchedulingIgnoredDuringExecution[]:PodAffinityTerm, "
        "2 preferredDuringSchedulingIgnoredDuringExecution[]:WeightedPodAffinityTerm"
    ),
    "PodAntiAffinity": (
        "1 requiredDuringSchedulingIgnoredDuringExecution[]:PodAffinityTerm, "
        "2 preferredDuringSchedulingIgnoredDuringExecution[]:WeightedPodAffinityTerm"
    ),
    "PodDNSConfigOption": "1 name, 2 value?",
    "PodTemplateSpec": "1 metadata:ObjectMeta, 2 spec:PodSpec",
    "ContainerState": (
        "1 waiting?:ContainerStateWaiting, 2 running?:ContainerStateRunning, "
        "3 terminated?:ContainerStateTerminated"
    ),
    "ContainerUser": "1 linux?:LinuxContainerUser",
    "ResourceStatus": "1 name, 2 resources[]:ResourceHealth",
    "NodeSelector": "1 nodeSelectorTerms[]:NodeSelectorTerm",
    "PreferredSchedulingTerm": "1 weight:int, 2 preference:NodeSelectorTerm",
    "PodAffinityTerm": (
        "1 labelSelector?:LabelSelector, 2 namespaces[], 3 topologyKey, "
        "4 namespaceSelector?:LabelSelector, 5 matchLabelKeys[], 6 mismatchLabelKeys[]"
    ),
    "WeightedPodAffinityTerm": "1 weight:int, 2 podAffinityTerm:PodAffinityTerm",
    "ContainerStateWaiting": "1 reason, 2 message",
    "ContainerStateRunning": "1 startedAt:time",
    "ContainerStateTerminated": (
        "1 exitCode:int, 2 signal:int, 3 reason, 4 message, 5 startedAt:time, 6 finishedAt:time, "
        "7 containerID"
    ),
    "LinuxContainerUser": "1 uid:int, 2 gid:int, 3 supplementalGroups[]:int",
    "ResourceHealth": "1 resourceID, 2 health",
    "NodeSelectorTerm": (
        "1 matchExpressions[]:NodeSelectorRequirement, 2 matchFields[]:NodeSelectorRequirement"
    ),
    "NodeSelectorRequirement": "1 key, 2 operator, 3 values[]",
}
