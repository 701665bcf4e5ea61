"""The Endpoints and EndpointSlice controllers: Services with selectors to pod addresses.

As kube-controller-manager's endpoints and endpointslice controllers: every Service with a
selector gets an Endpoints object of the same name whose subsets list the podIPs of the
matching pods, ready ones under `addresses` and the others under `notReadyAddresses`
(all under `addresses` with publishNotReadyAddresses), with the Service's ports resolved
against each pod's container ports by number or by name; pods grouped by resolved port
set, one subset each. Alongside, discovery.k8s.io/v1 EndpointSlices labelled
`kubernetes.io/service-name` and owned by the Service (one per port set, a placeholder
with no endpoints when nothing matches) carry the same addresses with ready/serving/
terminating conditions. Services without selectors are left to whoever manages them.
"""

from __future__ import annotations

import logging
from typing import Any

from sandbox.controllers import common
from sandbox.controllers.client import (
    ENDPOINTS,
    ENDPOINTSLICES,
    PODS,
    SERVICES,
    ApiClient,
    ApiError,
)
from sandbox.controllers.informer import Handlers, InformerFactory, key_of, split_key
from sandbox.controllers.workqueue import WorkQueue

logger = logging.getLogger(__name__)

Object = dict[str, Any]
SERVICE_NAME = "kubernetes.io/service-name"
MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"

PortKey = tuple[tuple[str, int, str], ...]


def resolve_ports(service: Object, pod: Object) -> PortKey:
    """The Service's ports as this pod serves them (podutil.FindPort); unresolved ones dropped."""
    resolved: list[tuple[str, int, str]] = []
    containers = (pod.get("spec") or {}).get("containers") or []
    for port in (service.get("spec") or {}).get("ports") or []:
        protocol = port.get("protocol", "TCP")
        target = port.get("targetPort", port.get("port"))
        number: int | None = None
        if isinstance(target, int) or (isinstance(target, str) and target.isdigit()):
            number = int(target)
        else:
            for container in containers:
                for cport in container.get("ports") or []:
                    same_protocol = cport.get("protocol", "TCP") == protocol
                    if cport.get("name") == target and same_protocol:
                        number = int(cport["containerPort"])
        if number is not None:
            resolved.append((str(port.get("name") or ""), number, protocol))
    return tuple(resolved)


def _target_ref(pod: Object) -> Object:
    meta = pod["metadata"]
    return {"kind": "Pod", "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"]}


def _port_list(ports: PortKey) -> list[Object]:
    return [
        {**({"name": name} if name else {}), "port": number, "protocol": protocol}
        for name, number, protocol in ports
    ]


class EndpointsController:
    """Keeps Endpoints and EndpointSlices of selector Services in step with the pods cache."""

    def __init__(self, client: ApiClient, informers: InformerFactory) -> None:
        self.client = client
        self.queue = WorkQueue("endpoints")
        self.services = informers.informer(SERVICES)
        self.pods = informers.informer(PODS)
        self.services.add_handlers(
            Handlers(
                on_add=self._enqueue,
                on_update=lambda _old, new: self._enqueue(new),
                on_delete=self._enqueue,
            )
        )
        self.pods.add_handlers(
            Handlers(
                on_add=self._on_pod,
                on_update=self._on_pod_update,
                on_delete=self._on_pod,
            )
        )

    async def run(self, *, workers: int = 2) -> None:
        await self.queue.run(self.sync, workers=workers)

    def _enqueue(self, service: Object) -> None:
        self.queue.add(key_of(service))

    def _on_pod_update(self, old: Object, new: Object) -> None:
        self._on_pod(old)
        self._on_pod(new)

    def _on_pod(self, pod: Object) -> None:
        labels = common.labels_of(pod)
        for service in self.services.list(pod["metadata"].get("namespace")):
            selector = (service.get("spec") or {}).get("selector")
            if selector and all(labels.get(k) == v for k, v in selector.items()):
                self._enqueue(service)

    async def sync(self, key: str) -> None:
        namespace, name = split_key(key)
        service = self.services.get(key)
        if service is None:
            try:
                await self.client.delete(ENDPOINTS, namespace, name)
            except ApiError as exc:
                if exc.status != 404:
                    raise
            return
        selector = (service.get("spec") or {}).get("selector")
        if not selector or common.is_deleting(service):
            return
        pods = [
            pod
            for pod in self.pods.list(namespace)
            if all(common.labels_of(pod).get(k) == v for k, v in selector.items())
            and (pod.get("status") or {}).get("podIP")
            and common.pod_is_active(pod)
        ]
        pods.sort(key=lambda p: ((p.get("status") or {}).get("podIP"), p["metadata"]["name"]))
        await self._sync_endpoints(service, pods)
        await self._sync_slices(service, pods)

    def _ready(self, service: Object, pod: Object) -> bool:
        publish = (service.get("spec") or {}).get("publishNotReadyAddresses")
        return bool(publish) or common.pod_is_ready(pod)

    async def _sync_endpoints(self, service: Object, pods: list[Object]) -> None:
        groups: dict[PortKey, tuple[list[Object], list[Object]]] = {}
        for pod in pods:
            address: Object = {"ip": pod["status"]["podIP"], "targetRef": _target_ref(pod)}
            node = (pod.get("spec") or {}).get("nodeName")
            if node:
                address["nodeName"] = node
            ready, not_ready = groups.setdefault(resolve_ports(service, pod), ([], []))
            (ready if self._ready(service, pod) else not_ready).append(address)
        subsets = []
        for ports, (ready, not_ready) in groups.items():
            subset: Object = {}
            if ready:
                subset["addresses"] = ready
            if not_ready:
                subset["notReadyAddresses"] = not_ready
            if ports:
                subset["ports"] = _port_list(ports)
            subsets.append(subset)
        meta = service["metadata"]
        labels = dict(meta.get("labels") or {})
        if (service.get("spec") or {}).get("clusterIP") == "None":
            labels["service.kubernetes.io/headless"] = ""
        try:
            current = await self.client.get(ENDPOINTS, meta["namespace"], meta["name"])
        except ApiError as exc:
            if exc.status != 404:
                raise
            body = {
                "apiVersion": "v1",
                "kind": "Endpoints",
                "metadata": {"name": meta["name"], "labels": labels},
                "subsets": subsets,
            }
            await self.client.create(ENDPOINTS, meta["namespace"], body)
            return
        if (current.get("subsets") or []) == subsets and (
            current["metadata"].get("labels") or {}
        ) == labels:
            return
        current["subsets"] = subsets
        current["metadata"]["labels"] = labels
        await self.client.update(ENDPOINTS, current)

    def _slice_endpoint(self, service: Object, pod: Object) -> Object:
        endpoint: Object = {
            "addresses": [pod["status"]["podIP"]],
            "conditions": {
                "ready": self._ready(service, pod),
                "serving": common.pod_is_ready(pod),
                "terminating": False,
            },
            "targetRef": _target_ref(pod),
        }
        node = (pod.get("spec") or {}).get("nodeName")
        if node:
            endpoint["nodeName"] = node
        return endpoint

    async def _sync_slices(self, service: Object, pods: list[Object]) -> None:
        meta = service["metadata"]
        groups: dict[PortKey, list[Object]] = {}
        for pod in pods:
            groups.setdefault(resolve_ports(service, pod), []).append(
                self._slice_endpoint(service, pod)
            )
        if not groups:
            groups[()] = []
        listing = await self.client.list(
            ENDPOINTSLICES, meta["namespace"], label_selector=f"{SERVICE_NAME}={meta['name']}"
        )
        existing = {
            tuple(
                (str(p.get("name") or ""), int(p.get("port") or 0), str(p.get("protocol", "TCP")))
                for p in s.get("ports") or []
            ): s
            for s in listing.get("items") or []
            if (s["metadata"].get("labels") or {}).get(MANAGED_BY) == CONTROLLER_NAME
        }
        labels = {
            **(meta.get("labels") or {}),
            SERVICE_NAME: meta["name"],
            MANAGED_BY: CONTROLLER_NAME,
        }
        for ports, endpoints in groups.items():
            current = existing.pop(ports, None)
            if current is None:
                body = {
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {
                        "generateName": f"{meta['name']}-",
                        "labels": labels,
                        "ownerReferences": [common.owner_reference(service)],
                    },
                    "addressType": "IPv4",
                    "endpoints": endpoints,
                    "ports": _port_list(ports),
                }
                await self.client.create(ENDPOINTSLICES, meta["namespace"], body)
            elif (current.get("endpoints") or []) != endpoints:
                current["endpoints"] = endpoints
                await self.client.update(ENDPOINTSLICES, current)
        for stale in existing.values():
            name = stale["metadata"]["name"]
            try:
                await self.client.delete(ENDPOINTSLICES, meta["namespace"], name)
            except ApiError as exc:
                if exc.status != 404:
                    raise
