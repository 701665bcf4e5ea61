"""A small asynchronous Kubernetes API client for the sandbox's controllers.

The controllers talk to the API server only through this module, as kube-controller-manager
talks to kube-apiserver through client-go: plain REST calls over aiohttp (get, list, watch,
create, update, patch, delete, status writes), configured from a kubeconfig (server URL,
bearer token, CA data). Failures raise `ApiError` carrying the Status reason and HTTP code;
a watch whose resourceVersion fell out of the server's window raises `Expired` so that
informers relist, as client-go's reflector does on 410 Gone.
"""

from __future__ import annotations

import base64
import json
import ssl
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import yaml

Object = dict[str, Any]

PATCH_TYPES = {
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    "json": "application/json-patch+json",
    "apply": "application/apply-patch+yaml",
}


@dataclass(frozen=True)
class Resource:
    """Where a kind lives in the REST tree."""

    group: str
    version: str
    plural: str
    namespaced: bool = True

    def path(self, namespace: str | None = None, name: str | None = None) -> str:
        base = f"/api/{self.version}" if not self.group else f"/apis/{self.group}/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{namespace}"
        base += f"/{self.plural}"
        return base + (f"/{name}" if name else "")


PODS = Resource("", "v1", "pods")
SERVICES = Resource("", "v1", "services")
ENDPOINTS = Resource("", "v1", "endpoints")
REPLICASETS = Resource("apps", "v1", "replicasets")
DEPLOYMENTS = Resource("apps", "v1", "deployments")
ENDPOINTSLICES = Resource("discovery.k8s.io", "v1", "endpointslices")


class ApiError(Exception):
    """A non-2xx answer; `reason` is the Status reason (NotFound, Conflict, AlreadyExists...)."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message


class Expired(ApiError):
    """The requested resourceVersion is too old (410 Gone): relist."""


@dataclass(frozen=True)
class Connection:
    server: str
    token: str | None = None
    ca_pem: bytes | None = None
    insecure: bool = False

    @classmethod
    def from_kubeconfig(cls, path: Path, *, context: str | None = None) -> Connection:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        name = context or config.get("current-context")
        contexts = {c["name"]: c["context"] for c in config.get("contexts") or []}
        ctx = contexts.get(name) or {}
        clusters = {c["name"]: c["cluster"] for c in config.get("clusters") or []}
        users = {u["name"]: u.get("user") or {} for u in config.get("users") or []}
        cluster = clusters.get(ctx.get("cluster")) or {}
        user = users.get(ctx.get("user")) or {}
        ca: bytes | None = None
        if cluster.get("certificate-authority-data"):
            ca = base64.b64decode(cluster["certificate-authority-data"])
        elif cluster.get("certificate-authority"):
            ca = Path(cluster["certificate-authority"]).read_bytes()
        return cls(
            server=str(cluster["server"]).rstrip("/"),
            token=user.get("token"),
            ca_pem=ca,
            insecure=bool(cluster.get("insecure-skip-tls-verify")),
        )


class ApiClient:
    """REST calls against one API server; close() releases the connection pool."""

    def __init__(
        self, connection: Connection, *, user_agent: str = "kube-controller-manager"
    ) -> None:
        self.connection = connection
        headers = {"User-Agent": user_agent, "Accept": "application/json"}
        if connection.token:
            headers["Authorization"] = f"Bearer {connection.token}"
        self._ssl: ssl.SSLContext | bool = True
        if connection.insecure:
            self._ssl = False
        elif connection.ca_pem is not None:
            self._ssl = ssl.create_default_context(cadata=connection.ca_pem.decode())
        self._session = aiohttp.ClientSession(headers=headers)

    async def close(self) -> None:
        await self._session.close()

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Mapping[str, str] | None = None,
        content_type: str = "application/json",
    ) -> Object:
        data = None
        headers = {}
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = content_type
        async with self._session.request(
            method,
            self.connection.server + path,
            data=data,
            params=params,
            headers=headers,
            ssl=self._ssl,
        ) as response:
            text = await response.text()
            parsed: Any = json.loads(text) if text else {}
            if response.status >= 300:
                raise _error(response.status, parsed)
            return parsed if isinstance(parsed, dict) else {}

    async def get(self, resource: Resource, namespace: str | None, name: str) -> Object:
        return await self._call("GET", resource.path(namespace, name))

    async def list(
        self, resource: Resource, namespace: str | None = None, *, label_selector: str = ""
    ) -> Object:
        params = {"labelSelector": label_selector} if label_selector else None
        return await self._call("GET", resource.path(namespace), params=params)

    async def watch(
        self,
        resource: Resource,
        namespace: str | None = None,
        *,
        resource_version: str,
        timeout_seconds: int = 300,
    ) -> AsyncIterator[tuple[str, Object]]:
        """Yield (type, object) events after `resource_version`, bookmarks included."""
        params = {
            "watch": "true",
            "resourceVersion": resource_version,
            "allowWatchBookmarks": "true",
            "timeoutSeconds": str(timeout_seconds),
        }
        timeout = aiohttp.ClientTimeout(total=None, sock_read=timeout_seconds + 30)
        async with self._session.get(
            self.connection.server + resource.path(namespace),
            params=params,
            ssl=self._ssl,
            timeout=timeout,
        ) as response:
            if response.status >= 300:
                text = await response.text()
                raise _error(response.status, json.loads(text) if text else {})
            async for line in response.content:
                if not line.strip():
                    continue
                event = json.loads(line)
                obj = event.get("object") or {}
                if event.get("type") == "ERROR":
                    raise _error(int(obj.get("code") or 500), obj)
                yield str(event.get("type")), obj

    async def create(self, resource: Resource, namespace: str | None, obj: Object) -> Object:
        return await self._call("POST", resource.path(namespace), body=obj)

    async def update(self, resource: Resource, obj: Object, *, subresource: str = "") -> Object:
        meta = obj["metadata"]
        path = resource.path(meta.get("namespace"), meta["name"])
        return await self._call("PUT", path + (f"/{subresource}" if subresource else ""), body=obj)

    async def update_status(self, resource: Resource, obj: Object) -> Object:
        return await self.update(resource, obj, subresource="status")

    async def patch(
        self,
        resource: Resource,
        namespace: str | None,
        name: str,
        patch: Any,
        *,
        patch_type: str = "merge",
        subresource: str = "",
        field_manager: str = "kube-controller-manager",
        force: bool = False,
    ) -> Object:
        params = {"fieldManager": field_manager}
        if force:
            params["force"] = "true"
        path = resource.path(namespace, name) + (f"/{subresource}" if subresource else "")
        return await self._call(
            "PATCH", path, body=patch, params=params, content_type=PATCH_TYPES[patch_type]
        )

    async def delete(
        self,
        resource: Resource,
        namespace: str | None,
        name: str,
        *,
        propagation: str | None = None,
        uid: str | None = None,
    ) -> Object:
        body: Object = {"apiVersion": "v1", "kind": "DeleteOptions"}
        if propagation:
            body["propagationPolicy"] = propagation
        if uid:
            body["preconditions"] = {"uid": uid}
        return await self._call("DELETE", resource.path(namespace, name), body=body)


def _error(status: int, body: Any) -> ApiError:
    reason = str(body.get("reason") or "") if isinstance(body, dict) else ""
    message = str(body.get("message") or "") if isinstance(body, dict) else str(body)
    if status == 410 or reason in ("Expired", "Gone"):
        return Expired(410, reason or "Expired", message)
    return ApiError(status, reason, message)
