"""The catalogue of resource kinds the emulator serves: built-ins, and CRDs as they are created.

Every other module works from a `ResourceKind`: REST routing, storage keys, discovery documents,
OpenAPI, tables, patch strategies and garbage collection. Built-in kinds are listed here with
the names, short names, categories, verbs and subresources the real API server reports for the
emulated release; a served CRD becomes a `ResourceKind` through `from_crd`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ScaleSubresource:
    """Where the scale subresource reads and writes replicas (paths as in a CRD)."""

    spec_replicas_path: str
    status_replicas_path: str
    label_selector_path: str | None = None


@dataclass(frozen=True)
class PrinterColumn:
    """One `additionalPrinterColumns` entry of a CRD version."""

    name: str
    type: str
    json_path: str
    format: str = ""
    description: str = ""
    priority: int = 0


@dataclass(frozen=True)
class ResourceKind:
    """One served resource: `group/version`, kind and REST names, and how it behaves.

    Attributes:
        subresources: names of served subresources: `status`, `scale`, `log`, ...
        schema: the structural openAPIV3Schema of a CRD version (None for built-ins, whose
            schemas come from `builtin_schemas`).
        custom: served from a CRD: no strategic merge patch (415), schema validation, pruning.
        spec_and_status: writes to the main resource ignore `status`, writes to `/status`
            ignore everything but `status`, and only spec changes bump `generation`.
    """

    group: str
    version: str
    kind: str
    plural: str
    singular: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS
    subresources: frozenset[str] = frozenset()
    scale: ScaleSubresource | None = None
    printer_columns: tuple[PrinterColumn, ...] = ()
    schema: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)
    custom: bool = False
    spec_and_status: bool = False

    @property
    def api_version(self) -> str:
        """`v1` for the core group, `group/version` otherwise."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return f"{self.kind}List"

    @property
    def key(self) -> tuple[str, str]:
        """(group, plural): what storage is keyed by, independent of the version served."""
        return self.group, self.plural


def _k(
    group: str,
    version: str,
    kind: str,
    plural: str,
    *,
    namespaced: bool = True,
    short: Iterable[str] = (),
    categories: Iterable[str] = (),
    sub: Iterable[str] = (),
    scale: ScaleSubresource | None = None,
    verbs: tuple[str, ...] = ALL_VERBS,
    spec_and_status: bool = False,
) -> ResourceKind:
    return ResourceKind(
        group=group,
        version=version,
        kind=kind,
        plural=plural,
        singular=kind.lower(),
        namespaced=namespaced,
        short_names=tuple(short),
        categories=tuple(categories),
        verbs=verbs,
        subresources=frozenset(sub),
        scale=scale,
        spec_and_status=spec_and_status,
    )


_REPLICAS = ScaleSubresource(".spec.replicas", ".status.replicas", ".status.selector")

BUILTIN_KINDS: tuple[ResourceKind, ...] = (
    _k(
        "",
        "v1",
        "Namespace",
        "namespaces",
        namespaced=False,
        short=["ns"],
        sub=["status"],
        verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
        spec_and_status=True,
    ),
    _k(
        "",
        "v1",
        "Node",
        "nodes",
        namespaced=False,
        short=["no"],
        sub=["status"],
        spec_and_status=True,
    ),
    _k(
        "",
        "v1",
        "Pod",
        "pods",
        short=["po"],
        categories=["all"],
        sub=["status", "log", "ephemeralcontainers"],
        spec_and_status=True,
    ),
    _k(
        "",
        "v1",
        "Service",
        "services",
        short=["svc"],
        categories=["all"],
        sub=["status"],
        verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
        spec_and_status=True,
    ),
    _k("", "v1", "Endpoints", "endpoints", short=["ep"]),
    _k("", "v1", "ConfigMap", "configmaps", short=["cm"]),
    _k("", "v1", "Secret", "secrets"),
    _k("", "v1", "ServiceAccount", "serviceaccounts", short=["sa"]),
    _k("", "v1", "Event", "events", short=["ev"]),
    _k(
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        short=["pvc"],
        sub=["status"],
        spec_and_status=True,
    ),
    _k(
        "apps",
        "v1",
        "Deployment",
        "deployments",
        short=["deploy"],
        categories=["all"],
        sub=["status", "scale"],
        scale=_REPLICAS,
        spec_and_status=True,
    ),
    _k(
        "apps",
        "v1",
        "ReplicaSet",
        "replicasets",
        short=["rs"],
        categories=["all"],
        sub=["status", "scale"],
        scale=_REPLICAS,
        spec_and_status=True,
    ),
    _k("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"),
    _k("events.k8s.io", "v1", "Event", "events", short=["ev"]),
    _k("coordination.k8s.io", "v1", "Lease", "leases"),
    _k("rbac.authorization.k8s.io", "v1", "Role", "roles"),
    _k("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
    _k("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", namespaced=False),
    _k(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        namespaced=False,
    ),
    _k(
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        short=["hpa"],
        categories=["all"],
        sub=["status"],
        spec_and_status=True,
    ),
    _k(
        "networking.k8s.io",
        "v1",
        "Ingress",
        "ingresses",
        short=["ing"],
        sub=["status"],
        spec_and_status=True,
    ),
    _k(
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        namespaced=False,
    ),
    _k(
        "admissionregistration.k8s.io",
        "v1",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        namespaced=False,
    ),
    _k(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        namespaced=False,
        short=["crd", "crds"],
        sub=["status"],
        spec_and_status=True,
    ),
)
"""Built-in kinds. Core `events` and `events.k8s.io` events share one store, as upstream."""


def from_crd(crd: Mapping[str, Any]) -> list[ResourceKind]:
    """One ResourceKind per served version of a (defaulted, valid) CustomResourceDefinition."""
    spec = crd["spec"]
    names = spec["names"]
    kinds = []
    for version in spec["versions"]:
        if not version.get("served", False):
            continue
        subresources = version.get("subresources") or spec.get("subresources") or {}
        scale = subresources.get("scale")
        columns = (
            version.get("additionalPrinterColumns") or spec.get("additionalPrinterColumns") or []
        )
        schema = (version.get("schema") or spec.get("validation") or {}).get("openAPIV3Schema")
        kinds.append(
            ResourceKind(
                group=spec["group"],
                version=version["name"],
                kind=names["kind"],
                plural=names["plural"],
                singular=names.get("singular") or names["kind"].lower(),
                namespaced=spec.get("scope", "Namespaced") == "Namespaced",
                short_names=tuple(names.get("shortNames") or ()),
                categories=tuple(names.get("categories") or ()),
                subresources=frozenset(
                    name for name in ("status", "scale") if name in subresources
                ),
                scale=ScaleSubresource(
                    scale["specReplicasPath"],
                    scale["statusReplicasPath"],
                    scale.get("labelSelectorPath"),
                )
                if scale
                else None,
                printer_columns=tuple(
                    PrinterColumn(
                        name=column["name"],
                        type=column["type"],
                        json_path=column["jsonPath"],
                        format=column.get("format", ""),
                        description=column.get("description", ""),
                        priority=column.get("priority", 0),
                    )
                    for column in columns
                ),
                schema=schema,
                custom=True,
                spec_and_status="status" in subresources,
            )
        )
    return kinds
