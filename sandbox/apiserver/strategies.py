"""Per-kind write policy: what a create resets, what an update keeps, how a delete answers.

kube-apiserver gives every resource a strategy (`PrepareForCreate`, `PrepareForUpdate`,
`AllowCreateOnUpdate`, `AllowUnconditionalUpdate`, `ReturnDeletedObject`, graceful
deletion). The generic rules (`lifecycle.py`) call into these few functions, so the
differences between kinds are listed in one place instead of being scattered as `if kind
== ...` checks. Service IPs and node ports are allocated here too, since that is part of
what creating a Service means.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any, Final

from sandbox.apiserver import builtin_defaults
from sandbox.apiserver.kinds import ResourceKind

Object = dict[str, Any]

_GENERATION_KINDS: Final = frozenset(
    {
        ("apps", "Deployment"),
        ("apps", "ReplicaSet"),
        ("", "Pod"),
        ("networking.k8s.io", "Ingress"),
        ("autoscaling", "HorizontalPodAutoscaler"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
    }
)
_RETURNS_DELETED: Final = frozenset(
    {("", "pods"), ("", "serviceaccounts"), ("", "services"), ("", "persistentvolumeclaims")}
)
_CREATE_ON_UPDATE: Final = frozenset(
    {
        ("", "endpoints"),
        ("", "events"),
        ("events.k8s.io", "events"),
        ("coordination.k8s.io", "leases"),
        ("discovery.k8s.io", "endpointslices"),
        ("rbac.authorization.k8s.io", "roles"),
        ("rbac.authorization.k8s.io", "rolebindings"),
        ("rbac.authorization.k8s.io", "clusterroles"),
        ("rbac.authorization.k8s.io", "clusterrolebindings"),
    }
)
SERVICE_CIDR: Final = ipaddress.ip_network("10.96.0.0/16")
NODE_PORTS: Final = range(30000, 32768)


def tracks_generation(kind: ResourceKind) -> bool:
    return kind.custom or (kind.group, kind.kind) in _GENERATION_KINDS


def returns_deleted_object(kind: ResourceKind) -> bool:
    return (kind.group, kind.plural) in _RETURNS_DELETED


def allow_create_on_update(kind: ResourceKind) -> bool:
    return (kind.group, kind.plural) in _CREATE_ON_UPDATE


def allow_unconditional_update(kind: ResourceKind) -> bool:
    """Custom resources and CRDs insist on a resourceVersion in a PUT; built-ins do not."""
    return not kind.custom and kind.plural != "customresourcedefinitions"


def generation_relevant(kind: ResourceKind, obj: Object) -> Object:
    """The parts of an object whose change bumps `metadata.generation`."""
    skip = {"metadata", "status"} if kind.spec_and_status else {"metadata"}
    return {k: v for k, v in obj.items() if k not in skip}


def default(kind: ResourceKind, obj: Object) -> None:
    """Decode-time defaults of built-ins (custom resources default from their schema)."""
    if not kind.custom:
        builtin_defaults.apply(obj, group=kind.group, kind=kind.kind)


def prepare_for_create(kind: ResourceKind, obj: Object) -> None:
    """Reset what a client may not set on create (status, mostly), as each strategy does."""
    if kind.custom:
        if kind.spec_and_status:
            obj.pop("status", None)
        return
    if (kind.group, kind.kind) == ("", "Pod"):
        spec = obj.get("spec") or {}
        obj["status"] = {"phase": "Pending", "qosClass": builtin_defaults.qos_class(spec)}
    elif (kind.group, kind.kind) == ("", "Namespace"):
        obj["status"] = {"phase": "Active"}
    elif (kind.group, kind.kind) == ("", "Service"):
        obj["status"] = {"loadBalancer": {}}
    elif kind.kind == "CustomResourceDefinition" or kind.spec_and_status:
        obj["status"] = {}


def prepare_for_update(kind: ResourceKind, new: Object, *, old: Object) -> None:
    """The main endpoint of a kind with a status subresource keeps the stored status."""
    if not kind.spec_and_status:
        return
    if "status" in old:
        new["status"] = old["status"]
    else:
        new.pop("status", None)


def prepare_for_status_update(new: Object, old: Object) -> Object:
    """`/status` writes only status: everything else, metadata included, stays as stored.

    `managedFields` is the exception: it tracks who owns the status fields just written.
    """
    result = dict(old)
    result["metadata"] = dict(old["metadata"])
    managed = (new.get("metadata") or {}).get("managedFields")
    if managed is not None:
        result["metadata"]["managedFields"] = managed
    if "status" in new:
        result["status"] = new["status"]
    else:
        result.pop("status", None)
    return result


def prepare_for_finalize(new: Object, old: Object) -> Object:
    """A Namespace's `/finalize` writes only `spec.finalizers`."""
    result = dict(old)
    result["metadata"] = dict(old["metadata"])
    spec = dict(old.get("spec") or {})
    finalizers = (new.get("spec") or {}).get("finalizers")
    if finalizers:
        spec["finalizers"] = finalizers
    else:
        spec.pop("finalizers", None)
    result["spec"] = spec
    return result


def graceful_period(kind: ResourceKind, obj: Object, *, requested: int | None) -> int:
    """Seconds a delete waits for (0: delete now). Only bound pods wait, for their kubelet."""
    if (kind.group, kind.kind) != ("", "Pod"):
        return 0
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
        return 0
    if requested is not None:
        return max(requested, 0)
    return int(spec.get("terminationGracePeriodSeconds", 30))


def allocate_service(obj: Object, existing: Iterable[Object]) -> None:
    """Give a new Service its cluster IP and node ports, avoiding those already taken."""
    spec = obj.setdefault("spec", {})
    if spec.get("type") == "ExternalName":
        return
    taken_ips: set[str] = set()
    taken_ports: set[int] = set()
    for other in existing:
        other_spec = other.get("spec") or {}
        taken_ips.update(other_spec.get("clusterIPs") or [])
        for port in other_spec.get("ports") or []:
            if isinstance(port, dict) and isinstance(port.get("nodePort"), int):
                taken_ports.add(port["nodePort"])
    if not spec.get("clusterIP"):
        hosts = (str(ip) for ip in SERVICE_CIDR.hosts())
        spec["clusterIP"] = next(ip for ip in hosts if ip not in taken_ips)
    spec.setdefault("clusterIPs", [spec["clusterIP"]])
    spec.setdefault("ipFamilies", ["IPv4"])
    spec.setdefault("ipFamilyPolicy", "SingleStack")
    if spec.get("type") in ("NodePort", "LoadBalancer"):
        free = (p for p in NODE_PORTS if p not in taken_ports)
        for port in spec.get("ports") or []:
            if isinstance(port, dict) and not port.get("nodePort"):
                port["nodePort"] = next(free)


def keep_service_allocations(new: Object, old: Object) -> None:
    """An update that omits the allocated IPs and node ports keeps them.

    `kubectl replace` of a manifest without them must not release them.
    """
    new_spec, old_spec = new.setdefault("spec", {}), old.get("spec") or {}
    for name in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
        if name in old_spec and not new_spec.get(name):
            new_spec[name] = old_spec[name]
    old_ports = {
        (p.get("port"), p.get("protocol")): p.get("nodePort")
        for p in old_spec.get("ports") or []
        if isinstance(p, dict)
    }
    for port in new_spec.get("ports") or []:
        if isinstance(port, dict) and not port.get("nodePort"):
            node_port = old_ports.get((port.get("port"), port.get("protocol")))
            if node_port and new_spec.get("type") in ("NodePort", "LoadBalancer"):
                port["nodePort"] = node_port
