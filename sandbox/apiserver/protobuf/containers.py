"""Descriptors of a Container and what it holds: ports, env, probes, resources, security.

Split from `pods` only for size; `PodSpec` refers to these by name. Field numbers are
those of k8s.io/api's `core/v1/generated.proto`; the grammar is described in `messages`.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "Container": (
        "1 name, 2 image, 3 command[], 4 args[], 5 workingDir, 6 ports[]:ContainerPort, "
        "7 env[]:EnvVar, 8 resources:ResourceRequirements, 9 volumeMounts[]:VolumeMount, "
        "10 livenessProbe?:Probe, 11 readinessProbe?:Probe, 12 lifecycle?:Lifecycle, "
        "13 terminationMessagePath, 14 imagePullPolicy, 15 securityContext?:SecurityContext, "
        "16 stdin:bool, 17 stdinOnce:bool, 18 tty:bool, 19 envFrom[]:EnvFromSource, "
        "20 terminationMessagePolicy, 21 volumeDevices[]:VolumeDevice, 22 startupProbe?:Probe, "
        "23 resizePolicy[]:ContainerResizePolicy, 24 restartPolicy?"
    ),
    "EphemeralContainer": "1 ...:EphemeralContainerCommon, 2 targetContainerName",
    "ResourceRequirements": "1 limits{}:quantity, 2 requests{}:quantity, 3 claims[]:ResourceClaim",
    "ContainerPort": "1 name, 2 hostPort:int, 3 containerPort:int, 4 protocol, 5 hostIP",
    "EnvVar": "1 name, 2 value, 3 valueFrom?:EnvVarSource",
    "VolumeMount": (
        "1 name, 2 readOnly:bool, 3 mountPath, 4 subPath, 5 mountPropagation?, 6 subPathExpr, "
        "7 recursiveReadOnly?"
    ),
    "Probe": (
        "1 ...:ProbeHandler, 2 initialDelaySeconds:int, 3 timeoutSeconds:int, "
        "4 periodSeconds:int, 5 successThreshold:int, 6 failureThreshold:int, "
        "7 terminationGracePeriodSeconds?:int"
    ),
    "Lifecycle": "1 postStart?:LifecycleHandler, 2 preStop?:LifecycleHandler, 3 stopSignal?",
    "SecurityContext": (
        "1 capabilities?:Capabilities, 2 privileged?:bool, 3 seLinuxOptions?:SELinuxOptions, "
        "4 runAsUser?:int, 5 runAsNonRoot?:bool, 6 readOnlyRootFilesystem?:bool, "
        "7 allowPrivilegeEscalation?:bool, 8 runAsGroup?:int, 9 procMount?, "
        "10 windowsOptions?:WindowsSecurityContextOptions, 11 seccompProfile?:SeccompProfile, "
        "12 appArmorProfile?:AppArmorProfile"
    ),
    "EnvFromSource": "1 prefix, 2 configMapRef?:ConfigMapEnvSource, 3 secretRef?:SecretEnvSource",
    "VolumeDevice": "1 name, 2 devicePath",
    "ContainerResizePolicy": "1 resourceName, 2 restartPolicy",
    "SELinuxOptions": "1 user, 2 role, 3 type, 4 level",
    "WindowsSecurityContextOptions": (
        "1 gmsaCredentialSpecName?, 2 gmsaCredentialSpec?, 3 runAsUserName?, 4 hostProcess?:bool"
    ),
    "SeccompProfile": "1 type, 2 localhostProfile?",
    "AppArmorProfile": "1 type, 2 localhostProfile?",
    "EphemeralContainerCommon": (
        "1 name, 2 image, 3 command[], 4 args[], 5 workingDir, 6 ports[]:ContainerPort, "
        "7 env[]:EnvVar, 8 resources:ResourceRequirements, 9 volumeMounts[]:VolumeMount, "
        "10 livenessProbe?:Probe, 11 readinessProbe?:Probe, 12 lifecycle?:Lifecycle, "
        "13 terminationMessagePath, 14 imagePullPolicy, 15 securityContext?:SecurityContext, "
        "16 stdin:bool, 17 stdinOnce:bool, 18 tty:bool, 19 envFrom[]:EnvFromSource, "
        "20 terminationMessagePolicy, 21 volumeDevices[]:VolumeDevice, 22 startupProbe?:Probe, "
        "23 resizePolicy[]:ContainerResizePolicy, 24 restartPolicy?"
    ),
    "ResourceClaim": "1 name, 2 request",
    "EnvVarSource": (
        "1 fieldRef?:ObjectFieldSelector, 2 resourceFieldRef?:ResourceFieldSelector, "
        "3 configMapKeyRef?:ConfigMapKeySelector, 4 secretKeyRef?:SecretKeySelector"
    ),
    "ProbeHandler": (
        "1 exec?:ExecAction, 2 httpGet?:HTTPGetAction, 3 tcpSocket?:TCPSocketAction, "
        "4 grpc?:GRPCAction"
    ),
    "LifecycleHandler": (
        "1 exec?:ExecAction, 2 httpGet?:HTTPGetAction, 3 tcpSocket?:TCPSocketAction, "
        "4 sleep?:SleepAction"
    ),
    "Capabilities": "1 add[], 2 drop[]",
    "ConfigMapEnvSource": "1 ...:LocalObjectReference, 2 optional?:bool",
    "SecretEnvSource": "1 ...:LocalObjectReference, 2 optional?:bool",
    "ObjectFieldSelector": "1 apiVersion, 2 fieldPath",
    "ResourceFieldSelector": "1 containerName, 2 resource, 3 divisor:quantity",
    "ConfigMapKeySelector": "1 ...:LocalObjectReference, 2 key, 3 optional?:bool",
    "SecretKeySelector": "1 ...:LocalObjectReference, 2 key, 3 optional?:bool",
    "ExecAction": "1 command[]",
    "HTTPGetAction": "1 path, 2 port:intstr, 3 host, 4 scheme, 5 httpHeaders[]:HTTPHeader",
    "TCPSocketAction": "1 port:intstr, 2 host",
    "GRPCAction": "1 port:int, 2 service?",
    "SleepAction": "1 seconds:int",
    "HTTPHeader": "1 name, 2 value",
}
