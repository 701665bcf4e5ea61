"""Where a Service's traffic goes in the sandbox: the address of one of its ready endpoints.

A real kube-apiserver reaches an admission webhook given as a Service through the cluster
network (or, with aggregator routing, straight to an endpoint). The sandbox has neither
cluster DNS nor kube-proxy, so the server looks the Service up itself: its port is matched
by name to the endpoints' port, and the first ready address of its EndpointSlices (or,
failing that, its Endpoints) gives the host. Without any endpoint the Service's DNS name
is returned, so the call fails the way it would on a cluster with no ready pods behind the Service.
"""

from __future__ import annotations

from typing import Any

from sandbox.apiserver.store import Store

SERVICES = ("", "services")
ENDPOINTS = ("", "endpoints")
ENDPOINT_SLICES = ("discovery.k8s.io", "endpointslices")


def _port_name(service: dict[str, Any], port: int) -> str:
    """Endpoints name their ports after the Service's, so the name links the two."""
    for entry in (service.get("spec") or {}).get("ports") or []:
        if entry.get("port") == port:
            return str(entry.get("name") or "")
    return ""


def _from_slices(
    store: Store, namespace: str, *, name: str, port_name: str
) -> tuple[str, int] | None:
    for slice_ in store.objects(ENDPOINT_SLICES, namespace):
        labels = (slice_.get("metadata") or {}).get("labels") or {}
        if labels.get("kubernetes.io/service-name") != name:
            continue
        ports = [p for p in slice_.get("ports") or [] if str(p.get("name") or "") == port_name]
        for endpoint in slice_.get("endpoints") or []:
            ready = (endpoint.get("conditions") or {}).get("ready", True)
            if ready and endpoint.get("addresses") and ports and ports[0].get("port"):
                return str(endpoint["addresses"][0]), int(ports[0]["port"])
    return None


def _from_endpoints(
    store: Store, namespace: str, *, name: str, port_name: str
) -> tuple[str, int] | None:
    endpoints = store.get(ENDPOINTS, namespace, name=name)
    for subset in (endpoints or {}).get("subsets") or []:
        ports = [p for p in subset.get("ports") or [] if str(p.get("name") or "") == port_name]
        addresses = subset.get("addresses") or []
        if addresses and ports and ports[0].get("port"):
            return str(addresses[0].get("ip")), int(ports[0]["port"])
    return None


def resolve_service(store: Store, *, namespace: str, name: str, port: int) -> str:
    """The base URL (`https://host:port`) a call to the Service's `port` should go to."""
    service = store.get(SERVICES, namespace, name=name)
    if service is None:
        return f"https://{name}.{namespace}.svc:{port}"
    port_name = _port_name(service, port)
    found = _from_slices(store, namespace, name=name, port_name=port_name) or _from_endpoints(
        store, namespace, name=name, port_name=port_name
    )
    if found is not None:
        host, target_port = found
        return f"https://{host}:{target_port}"
    return f"https://{name}.{namespace}.svc:{port}"
