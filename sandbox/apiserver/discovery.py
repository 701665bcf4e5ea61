"""Discovery documents: /version, /api, /apis, group and group-version resource lists.

Clients learn what a server serves from these before anything else: kubectl resolves
`deploy` or `fdep` to a URL through them, client-go's RESTMapper through them, fabric8
checks the version. Both generations are served: the legacy documents (`APIVersions`,
`APIGroupList`, `APIGroup`, `APIResourceList`) and aggregated discovery
(`apidiscovery.k8s.io/v2` and `v2beta1` `APIGroupDiscoveryList`), chosen by the Accept
header exactly as kubectl negotiates it. Everything is derived from the registry at the
time of the request, so a CRD created or changed a moment ago is already listed (with the
short names of the stored CRD, not of a cached copy).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any, Final

from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.registry import Registry

AGGREGATED_V2: Final = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
AGGREGATED_V2BETA1: Final = (
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
)
_SUBRESOURCE_VERBS: Final = {
    "status": ("get", "patch", "update"),
    "scale": ("get", "patch", "update"),
    "log": ("get",),
    "ephemeralcontainers": ("get", "patch", "update"),
    "finalize": ("update",),
}


def version_info(release: str) -> dict[str, str]:
    """The `/version` body for a release such as `1.33.0`."""
    major, minor, _ = release.split(".", 2)
    return {
        "major": major,
        "minor": minor,
        "emulationMajor": major,
        "emulationMinor": minor,
        "minCompatibilityMajor": major,
        "minCompatibilityMinor": str(max(int(minor) - 1, 0)),
        "gitVersion": f"v{release}",
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2025-04-22T00:00:00Z",
        "goVersion": "go1.24.2",
        "compiler": "gc",
        "platform": "linux/amd64",
    }


def aggregated_version(accept: str | None) -> str | None:
    """`v2` or `v2beta1` when the Accept header asks for aggregated discovery first."""
    for part in (accept or "").split(","):
        params = {
            k.strip(): v.strip() for k, _, v in (p.partition("=") for p in part.split(";")[1:])
        }
        if params.get("as") == "APIGroupDiscoveryList" and params.get("g") == "apidiscovery.k8s.io":
            if params.get("v") in ("v2", "v2beta1"):
                return params["v"]
        elif part.strip().split(";")[0].strip() in ("application/json", "*/*"):
            return None
    return None


def storage_version_hash(kind: ResourceKind) -> str:
    digest = hashlib.sha256(f"{kind.group}/{kind.version}/{kind.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _subresources(kind: ResourceKind) -> list[str]:
    names = set(kind.subresources)
    if (kind.group, kind.plural) == ("", "namespaces"):
        names.add("finalize")
    return sorted(names)


def _sub_kind(kind: ResourceKind, sub: str) -> tuple[str, str, str]:
    if sub == "scale":
        return "autoscaling", "v1", "Scale"
    return kind.group, kind.version, kind.kind


def api_versions(server_address: str) -> dict[str, Any]:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [
            {"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}
        ],
    }


def _group(registry: Registry, name: str) -> dict[str, Any] | None:
    found = registry.group_versions(name)
    if found is None or not name:
        return None
    versions = [{"groupVersion": f"{name}/{v}", "version": v} for v in found.versions]
    return {"name": name, "versions": versions, "preferredVersion": versions[0]}


def api_group_list(registry: Registry) -> dict[str, Any]:
    groups = [_group(registry, g.name) for g in registry.groups() if g.name]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [g for g in groups if g]}


def api_group(registry: Registry, name: str) -> dict[str, Any] | None:
    group = _group(registry, name)
    if group is None:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **group}


def resource_list(registry: Registry, group: str, *, version: str) -> dict[str, Any] | None:
    kinds = registry.resources_in(group, version)
    if not kinds:
        return None
    resources: list[dict[str, Any]] = []
    for kind in kinds:
        entry: dict[str, Any] = {
            "name": kind.plural,
            "singularName": kind.singular,
            "namespaced": kind.namespaced,
            "kind": kind.kind,
            "verbs": sorted(kind.verbs),
        }
        if kind.short_names:
            entry["shortNames"] = list(kind.short_names)
        if kind.categories:
            entry["categories"] = list(kind.categories)
        entry["storageVersionHash"] = storage_version_hash(kind)
        resources.append(entry)
        for sub in _subresources(kind):
            sub_group, sub_version, sub_kind = _sub_kind(kind, sub)
            sub_entry: dict[str, Any] = {
                "name": f"{kind.plural}/{sub}",
                "singularName": "",
                "namespaced": kind.namespaced,
                "kind": sub_kind,
                "verbs": list(_SUBRESOURCE_VERBS.get(sub, ("get",))),
            }
            if sub == "scale":
                sub_entry["group"], sub_entry["version"] = sub_group, sub_version
            resources.append(sub_entry)
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{group}/{version}" if group else version,
        "resources": resources,
    }


def _discovery_resource(kind: ResourceKind) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource": kind.plural,
        "responseKind": {"group": kind.group, "version": kind.version, "kind": kind.kind},
        "scope": "Namespaced" if kind.namespaced else "Cluster",
        "singularResource": kind.singular,
        "verbs": sorted(kind.verbs),
    }
    if kind.short_names:
        entry["shortNames"] = list(kind.short_names)
    if kind.categories:
        entry["categories"] = list(kind.categories)
    subresources = []
    for sub in _subresources(kind):
        group, version, sub_kind = _sub_kind(kind, sub)
        subresources.append(
            {
                "subresource": sub,
                "responseKind": {"group": group, "version": version, "kind": sub_kind},
                "verbs": list(_SUBRESOURCE_VERBS.get(sub, ("get",))),
            }
        )
    if subresources:
        entry["subresources"] = subresources
    return entry


def aggregated(registry: Registry, *, core: bool, version: str) -> dict[str, Any]:
    """The `APIGroupDiscoveryList` for `/api` (core) or `/apis` (every other group)."""
    items: list[dict[str, Any]] = []
    for group in registry.groups():
        if bool(group.name) == core:
            continue
        metadata: dict[str, Any] = {"creationTimestamp": None}
        if group.name:
            metadata = {"name": group.name, "creationTimestamp": None}
        versions = [
            {
                "version": v,
                "resources": [_discovery_resource(k) for k in registry.resources_in(group.name, v)],
                "freshness": "Current",
            }
            for v in group.versions
        ]
        items.append({"metadata": metadata, "versions": versions})
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{version}",
        "metadata": {},
        "items": items,
    }
