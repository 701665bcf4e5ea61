"""Printers for the core (`v1`) kinds other than Pod: what `kubectl get` shows for each.

Ports of `printNamespace`, `printNode`, `printService`, `printEndpoints`, `printConfigMap`,
`printSecret`, `printServiceAccount`, `printPersistentVolumeClaim` and `printEvent` from
`pkg/printers/internalversion/printers.go` (Kubernetes 1.33), with their column definitions.
Those functions read internal types converted from v1, so the few conversions that matter for
a cell are applied here: a Service's `clusterIP` stands in for empty `clusterIPs`, and an
`events.k8s.io/v1` Event (`regarding`, `note`, `deprecated*`) reads as the core Event it is
stored as. Quantities are printed as stored (the server stores them canonical).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sandbox.apiserver.tables.columns import AGE, NAME, Obj, Printer, Row, column, meta, name_of
from sandbox.apiserver.tables.fields import (
    access_modes,
    dig,
    format_labels,
    is_set,
    items,
    join_host_port,
    mapping,
    number,
    text,
)
from sandbox.apiserver.tables.humanize import ZERO_TIME, parse_or_zero, since


def _age(obj: Obj, now: datetime) -> str:
    return since(parse_or_zero(meta(obj).get("creationTimestamp")), now)


def _namespace(obj: Obj, now: datetime) -> Row:
    return Row([name_of(obj), text(obj, "status", "phase"), _age(obj, now)])


NAMESPACE = Printer(
    (NAME, column("Status", description="The status of the namespace"), AGE), _namespace
)


def _node_roles(labels: Obj) -> str:
    roles = set()
    for key, value in labels.items():
        if key.startswith("node-role.kubernetes.io/") and key[len("node-role.kubernetes.io/") :]:
            roles.add(key[len("node-role.kubernetes.io/") :])
        elif key == "kubernetes.io/role" and value:
            roles.add(str(value))
    return ",".join(sorted(roles)) or "<none>"


def _node_address(obj: Obj, address_type: str) -> str:
    for address in items(obj, "status", "addresses"):
        if text(address, "type") == address_type:
            return text(address, "address")
    return "<none>"


def _node(obj: Obj, now: datetime) -> Row:
    conditions = {text(c, "type"): c for c in items(obj, "status", "conditions")}
    status = []
    if "Ready" in conditions:
        status.append("Ready" if text(conditions["Ready"], "status") == "True" else "NotReady")
    status = status or ["Unknown"]
    if dig(obj, "spec", "unschedulable") is True:
        status.append("SchedulingDisabled")
    info = mapping(obj, "status", "nodeInfo")
    return Row(
        [
            name_of(obj),
            ",".join(status),
            _node_roles(mapping(obj, "metadata", "labels")),
            _age(obj, now),
            text(info, "kubeletVersion"),
            _node_address(obj, "InternalIP"),
            _node_address(obj, "ExternalIP"),
            text(info, "osImage") or "<unknown>",
            text(info, "kernelVersion") or "<unknown>",
            text(info, "containerRuntimeVersion") or "<unknown>",
        ]
    )


NODE = Printer(
    (
        NAME,
        column("Status", description="The status of the node"),
        column("Roles", description="The roles of the node"),
        AGE,
        column("Version", description="core/v1.NodeSystemInfo.kubeletVersion"),
        column("Internal-IP", priority=1, description="core/v1.NodeStatus.addresses"),
        column("External-IP", priority=1, description="core/v1.NodeStatus.addresses"),
        column("OS-Image", priority=1, description="core/v1.NodeSystemInfo.osImage"),
        column("Kernel-Version", priority=1, description="core/v1.NodeSystemInfo.kernelVersion"),
        column(
            "Container-Runtime",
            priority=1,
            description="core/v1.NodeSystemInfo.containerRuntimeVersion",
        ),
    ),
    _node,
)


def _external_ip(obj: Obj) -> str:
    """`getServiceExternalIP` for the wide (unclipped) output the server always produces."""
    external = [str(ip) for ip in items(obj, "spec", "externalIPs")]
    service_type = text(obj, "spec", "type")
    if service_type in ("ClusterIP", "NodePort"):
        return ",".join(external) or "<none>"
    if service_type == "LoadBalancer":
        ingress = items(obj, "status", "loadBalancer", "ingress")
        balancers = sorted({text(i, "ip") or text(i, "hostname") for i in ingress} - {""})
        if external:
            return ",".join(balancers + external)
        return ",".join(balancers) or "<pending>"
    if service_type == "ExternalName":
        return text(obj, "spec", "externalName")
    return "<unknown>"


def _service_ports(ports: list[object]) -> str:
    pieces = []
    for port in ports:
        protocol = text(port, "protocol") or "TCP"
        node_port = number(port, "nodePort")
        prefix = (
            f"{number(port, 'port')}:{node_port}" if node_port > 0 else f"{number(port, 'port')}"
        )
        pieces.append(f"{prefix}/{protocol}")
    return ",".join(pieces) or "<none>"


def _service(obj: Obj, now: datetime) -> Row:
    cluster_ips = items(obj, "spec", "clusterIPs")
    cluster_ip = str(cluster_ips[0]) if cluster_ips else text(obj, "spec", "clusterIP")
    return Row(
        [
            name_of(obj),
            text(obj, "spec", "type"),
            cluster_ip or "<none>",
            _external_ip(obj),
            _service_ports(items(obj, "spec", "ports")),
            _age(obj, now),
            format_labels(dig(obj, "spec", "selector")),
        ]
    )


SERVICE = Printer(
    (
        NAME,
        column("Type", description="core/v1.ServiceSpec.type"),
        column("Cluster-IP", description="core/v1.ServiceSpec.clusterIP"),
        column("External-IP", description="core/v1.ServiceSpec.externalIPs"),
        column("Port(s)", description="core/v1.ServiceSpec.ports"),
        AGE,
        column("Selector", priority=1, description="core/v1.ServiceSpec.selector"),
    ),
    _service,
)


def format_endpoints(obj: Obj) -> str:
    """`formatEndpoints(endpoints, nil)`: up to three `ip:port`s, then `+ N more...`."""
    subsets = items(obj, "subsets")
    if not subsets:
        return "<none>"
    shown: list[str] = []
    limit, count, more = 3, 0, False
    for subset in subsets:
        addresses = [text(a, "ip") for a in items(subset, "addresses")]
        ports = items(subset, "ports") or [None]  # a headless subset lists bare addresses
        for port in ports:
            count += len(addresses)
            for ip in addresses:
                if len(shown) == limit:
                    more = True
                    break
                shown.append(ip if port is None else join_host_port(ip, number(port, "port")))
    joined = ",".join(shown)
    return f"{joined} + {count - limit} more..." if more else joined


ENDPOINTS = Printer(
    (NAME, column("Endpoints", description="core/v1.Endpoints.subsets"), AGE),
    lambda obj, now: Row([name_of(obj), format_endpoints(obj), _age(obj, now)]),
)

CONFIG_MAP = Printer(
    (NAME, column("Data", description="core/v1.ConfigMap.data"), AGE),
    lambda obj, now: Row(
        [
            name_of(obj),
            len(mapping(obj, "data")) + len(mapping(obj, "binaryData")),
            _age(obj, now),
        ]
    ),
)

SECRET = Printer(
    (
        NAME,
        column("Type", description="core/v1.Secret.type"),
        column("Data", description="core/v1.Secret.data"),
        AGE,
    ),
    # `stringData` is merged into `data` when a Secret is written; count a stray one anyway.
    lambda obj, now: Row(
        [
            name_of(obj),
            text(obj, "type"),
            len(set(mapping(obj, "data")) | set(mapping(obj, "stringData"))),
            _age(obj, now),
        ]
    ),
)

SERVICE_ACCOUNT = Printer(
    (NAME, column("Secrets", description="core/v1.ServiceAccount.secrets"), AGE),
    lambda obj, now: Row([name_of(obj), len(items(obj, "secrets")), _age(obj, now)]),
)


def _claim(obj: Obj, now: datetime) -> Row:
    phase = "Terminating" if is_set(obj, "metadata", "deletionTimestamp") else None
    volume = text(obj, "spec", "volumeName")
    annotations = mapping(obj, "metadata", "annotations")
    storage_class = annotations.get("volume.beta.kubernetes.io/storage-class")
    if not isinstance(storage_class, str):
        storage_class = text(obj, "spec", "storageClassName")
    return Row(
        [
            name_of(obj),
            phase or text(obj, "status", "phase"),
            volume,
            text(obj, "status", "capacity", "storage") if volume else "",
            access_modes(items(obj, "status", "accessModes")) if volume else "",
            storage_class,
            text(obj, "spec", "volumeAttributesClassName") or "<unset>",
            _age(obj, now),
            text(obj, "spec", "volumeMode") or "<unset>",
        ]
    )


PERSISTENT_VOLUME_CLAIM = Printer(
    (
        NAME,
        column("Status", description="core/v1.PersistentVolumeClaimStatus.phase"),
        column("Volume", description="core/v1.PersistentVolumeClaimSpec.volumeName"),
        column("Capacity", description="core/v1.PersistentVolumeClaimStatus.capacity"),
        column("Access Modes", description="core/v1.PersistentVolumeClaimStatus.accessModes"),
        column("StorageClass", description="StorageClass of the pvc"),
        column("VolumeAttributesClass", description="VolumeAttributesClass of the pvc"),
        AGE,
        column(
            "VolumeMode", priority=1, description="core/v1.PersistentVolumeClaimSpec.volumeMode"
        ),
    ),
    _claim,
)


def _first(obj: Obj, *names: str) -> object:
    """The first of several spellings that is set (core/v1 name, then events.k8s.io/v1 name)."""
    for name in names:
        value = obj.get(name)
        if value not in (None, "", 0, {}):
            return value
    return None


def _event(obj: Obj, now: datetime) -> Row:
    involved = _first(obj, "involvedObject", "regarding")
    source = _first(obj, "source", "deprecatedSource")
    first_seen = parse_or_zero(_first(obj, "firstTimestamp", "deprecatedFirstTimestamp"))
    first = since(first_seen, now)
    if first_seen == ZERO_TIME:
        first = since(parse_or_zero(obj.get("eventTime")), now)
    last_seen = parse_or_zero(_first(obj, "lastTimestamp", "deprecatedLastTimestamp"))
    last = first if last_seen == ZERO_TIME else since(last_seen, now)
    count = number(obj, "count") or number(obj, "deprecatedCount")
    if isinstance(obj.get("series"), Mapping):
        last = since(parse_or_zero(dig(obj, "series", "lastObservedTime")), now)
        count = number(obj, "series", "count")
    elif count == 0:
        count = 1  # singleton events of the new API carry no count
    kind = text(involved, "kind").lower()
    target = f"{kind}/{text(involved, 'name')}" if text(involved, "name") else kind
    reporting = _first(obj, "reportingComponent", "reportingController")
    component = text(source, "component") or (reporting if isinstance(reporting, str) else "")
    instance = text(source, "host") or text(obj, "reportingInstance")
    message = _first(obj, "message", "note")
    return Row(
        [
            last,
            text(obj, "type"),
            text(obj, "reason"),
            target,
            text(involved, "fieldPath"),
            f"{component}, {instance}" if instance else component,
            message.strip() if isinstance(message, str) else "",
            first,
            count,
            name_of(obj),
        ]
    )


EVENT = Printer(
    (
        column("Last Seen", description="core/v1.Event.lastTimestamp"),
        column("Type", description="core/v1.Event.type"),
        column("Reason", description="core/v1.Event.reason"),
        column("Object", description="core/v1.Event.involvedObject"),
        column("Subobject", priority=1, description="core/v1.ObjectReference.fieldPath"),
        column("Source", priority=1, description="core/v1.Event.source"),
        column("Message", description="core/v1.Event.message"),
        column("First Seen", priority=1, description="core/v1.Event.firstTimestamp"),
        column("Count", priority=1, description="core/v1.Event.count"),
        column("Name", priority=1, fmt="name", description="meta/v1.ObjectMeta.name"),
    ),
    _event,
)
