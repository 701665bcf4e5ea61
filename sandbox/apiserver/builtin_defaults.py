"""Defaults kube-apiserver fills into built-in objects, as clients read them back.

Go's API types are defaulted while being decoded (`SetDefaults_*` in `pkg/apis/*/v1`), and
a few admission plugins add more (`ServiceAccount`, `DefaultTolerationSeconds`,
`Priority`). Clients rely on the results: kubectl's `apply` diffs against them, Flink reads
a Service's `clusterIP`, controllers expect `spec.replicas` and a rolling-update strategy.
This module applies the defaults that matter to this project's clients, in place, on the
JSON form; it is not the full set. Service IPs and node ports are allocated by the caller
(`services.py`), which knows what is taken.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, Final

Object = dict[str, Any]

_PROBE_DEFAULTS: Final = {
    "timeoutSeconds": 1,
    "periodSeconds": 10,
    "successThreshold": 1,
    "failureThreshold": 3,
}
_NOT_READY_TOLERATIONS: Final = (
    "node.kubernetes.io/not-ready",
    "node.kubernetes.io/unreachable",
)


def _dict(parent: Object, name: str) -> Object:
    value = parent.get(name)
    if not isinstance(value, dict):
        value = {}
        parent[name] = value
    return value


def _image_pull_policy(image: str) -> str:
    """`Always` for `:latest` or untagged images, `IfNotPresent` otherwise (by digest too)."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    tag = last.partition(":")[2]
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def _probe(probe: Any) -> None:
    if not isinstance(probe, dict):
        return
    for name, value in _PROBE_DEFAULTS.items():
        probe.setdefault(name, value)
    http = probe.get("httpGet")
    if isinstance(http, dict):
        http.setdefault("scheme", "HTTP")


def _container(container: Any) -> None:
    if not isinstance(container, dict):
        return
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    container.setdefault("imagePullPolicy", _image_pull_policy(str(container.get("image", ""))))
    container.setdefault("resources", {})
    for port in container.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("protocol", "TCP")
    for env in container.get("env") or []:
        field_ref = (env.get("valueFrom") or {}).get("fieldRef") if isinstance(env, dict) else None
        if isinstance(field_ref, dict):
            field_ref.setdefault("apiVersion", "v1")
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        _probe(container.get(name))


def _volume(volume: Any) -> None:
    if not isinstance(volume, dict):
        return
    for source in ("configMap", "secret"):
        if isinstance(volume.get(source), dict):
            volume[source].setdefault("defaultMode", 420)
    if isinstance(volume.get("downwardAPI"), dict):
        volume["downwardAPI"].setdefault("defaultMode", 420)
    if isinstance(volume.get("projected"), dict):
        volume["projected"].setdefault("defaultMode", 420)


def pod_spec(spec: Object) -> None:
    """`SetDefaults_PodSpec` and its containers, volumes and probes."""
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("enableServiceLinks", True)
    for name in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(name) or []:
            _container(container)
    for volume in spec.get("volumes") or []:
        _volume(volume)


def pod_template(template: Any) -> None:
    if not isinstance(template, dict):
        return
    _dict(template, "metadata").setdefault("creationTimestamp", None)
    pod_spec(_dict(template, "spec"))


def pod(obj: Object) -> None:
    """Pod defaults, plus what the ServiceAccount, Priority and toleration plugins add."""
    spec = _dict(obj, "spec")
    pod_spec(spec)
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("serviceAccount", spec["serviceAccountName"])
    spec.setdefault("priority", 0)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    tolerations = spec.setdefault("tolerations", [])
    present = {t.get("key") for t in tolerations if isinstance(t, dict)}
    for key in _NOT_READY_TOLERATIONS:
        if key not in present:
            tolerations.append(
                {
                    "key": key,
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                }
            )


def qos_class(spec: Object) -> str:
    """The pod's QoS class from its containers' requests and limits."""
    containers = [c for c in spec.get("containers") or [] if isinstance(c, dict)]
    requests_seen = limits_seen = False
    guaranteed = bool(containers)
    for container in containers:
        resources = container.get("resources") or {}
        requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
        requests_seen = requests_seen or bool(requests)
        limits_seen = limits_seen or bool(limits)
        for resource in ("cpu", "memory"):
            if (
                resource not in limits
                or requests.get(resource, limits[resource]) != limits[resource]
            ):
                guaranteed = False
    if not requests_seen and not limits_seen:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def deployment(obj: Object) -> None:
    spec = _dict(obj, "spec")
    spec.setdefault("replicas", 1)
    strategy = _dict(spec, "strategy")
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = _dict(strategy, "rollingUpdate")
        rolling.setdefault("maxUnavailable", "25%")
        rolling.setdefault("maxSurge", "25%")
    spec.setdefault("revisionHistoryLimit", 10)
    spec.setdefault("progressDeadlineSeconds", 600)
    pod_template(spec.get("template"))


def replica_set(obj: Object) -> None:
    spec = _dict(obj, "spec")
    spec.setdefault("replicas", 1)
    pod_template(spec.get("template"))


def service(obj: Object) -> None:
    spec = _dict(obj, "spec")
    spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    if spec["type"] != "ExternalName":
        spec.setdefault("internalTrafficPolicy", "Cluster")
    if spec["type"] in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
    if spec["type"] == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)
    for port in spec.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("protocol", "TCP")
            if "port" in port:
                port.setdefault("targetPort", port["port"])


def secret(obj: Object) -> None:
    """`stringData` is write-only: merged into `data`, base64-encoded, then dropped."""
    obj.setdefault("type", "Opaque")
    string_data = obj.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = obj.setdefault("data", {})
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()


def namespace(obj: Object) -> None:
    name = str(obj.get("metadata", {}).get("name", ""))
    labels = _dict(obj["metadata"], "labels")
    labels["kubernetes.io/metadata.name"] = name
    _dict(obj, "spec").setdefault("finalizers", ["kubernetes"])


def _webhooks(obj: Object, *, mutating: bool) -> None:
    for hook in obj.get("webhooks") or []:
        if not isinstance(hook, dict):
            continue
        hook.setdefault("failurePolicy", "Fail")
        hook.setdefault("matchPolicy", "Equivalent")
        hook.setdefault("namespaceSelector", {})
        hook.setdefault("objectSelector", {})
        hook.setdefault("timeoutSeconds", 10)
        if mutating:
            hook.setdefault("reinvocationPolicy", "Never")
        for rule in hook.get("rules") or []:
            if isinstance(rule, dict):
                rule.setdefault("scope", "*")
        service_ref = (hook.get("clientConfig") or {}).get("service")
        if isinstance(service_ref, dict):
            service_ref.setdefault("port", 443)


DEFAULTERS: Final[dict[tuple[str, str], Callable[[Object], None]]] = {
    ("", "Pod"): pod,
    ("apps", "Deployment"): deployment,
    ("apps", "ReplicaSet"): replica_set,
    ("", "Service"): service,
    ("", "Secret"): secret,
    ("", "Namespace"): namespace,
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): lambda o: _webhooks(
        o, mutating=True
    ),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): lambda o: _webhooks(
        o, mutating=False
    ),
}


def apply(obj: Object, *, group: str, kind: str) -> None:
    """Default a built-in object of `group`/`kind` in place (no-op for kinds without any)."""
    defaulter = DEFAULTERS.get((group, kind))
    if defaulter is not None:
        defaulter(obj)
