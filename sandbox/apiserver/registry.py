"""The kinds served right now: the built-ins plus every established CustomResourceDefinition.

REST routing, discovery, OpenAPI and the garbage collector all ask this registry which
resources exist, by URL (`group`, `version`, `plural`), by kind, or by any name kubectl
accepts (plural, singular, short name, kind). It changes only when a CRD is stored,
updated or removed (`crds.py` calls `set_crd` and `remove_crd`), and each change bumps
`revision`, which discovery and OpenAPI use as a cache key and hash. Storage is keyed by
`(group, plural)` independent of version, except that `events.k8s.io` events live in the
core `events` store, as they do in kube-apiserver.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sandbox.apiserver.kinds import BUILTIN_KINDS, ResourceKind, from_crd

StorageKey = tuple[str, str]
"""(group, plural): where objects of a resource live, whatever version they are served in."""

_SHARED_STORAGE: Final[Mapping[StorageKey, StorageKey]] = {
    ("events.k8s.io", "events"): ("", "events"),
}
_KUBE_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def _version_rank(version: str) -> tuple[int, int, int, int]:
    """Sort key for Kubernetes-aware version priority (GA > beta > alpha > anything else)."""
    match = _KUBE_VERSION.match(version)
    if match is None:
        return (0, 0, 0, 0)
    stage = {"alpha": 1, "beta": 2, None: 3}[match.group(2)]
    return (1, stage, int(match.group(1)), int(match.group(3) or 0))


def sort_versions(versions: Iterable[str]) -> list[str]:
    """Versions by descending priority: `v2, v1, v1beta2, v1beta1, v1alpha1, foo`, as Go sorts."""

    def compare(a: str, b: str) -> int:
        ra, rb = _version_rank(a), _version_rank(b)
        if ra != rb:
            return -1 if ra > rb else 1
        if ra[0] == 0:  # both non-Kubernetes versions: lexical order, as Go compares them
            return (a > b) - (a < b)
        return 0

    return sorted(set(versions), key=functools.cmp_to_key(compare))


@dataclass(frozen=True)
class GroupVersions:
    """One API group as discovery lists it: versions by priority, the first preferred."""

    name: str
    versions: tuple[str, ...]

    @property
    def preferred(self) -> str:
        return self.versions[0]


class Registry:
    """Lookups over the served kinds; mutated only through `set_crd`/`remove_crd`."""

    def __init__(self, builtins: Sequence[ResourceKind] = BUILTIN_KINDS) -> None:
        self._builtins = tuple(builtins)
        self._crds: dict[str, tuple[ResourceKind, ...]] = {}
        self.revision = 0
        self._rebuild()

    def _rebuild(self) -> None:
        kinds = list(self._builtins)
        for name in sorted(self._crds):
            kinds.extend(self._crds[name])
        self._kinds = tuple(kinds)
        self._by_url = {(k.group, k.version, k.plural): k for k in kinds}
        self._names: dict[str, list[ResourceKind]] = {}
        for kind in kinds:
            for alias in {kind.plural, kind.singular, kind.kind.lower(), *kind.short_names}:
                self._names.setdefault(alias.lower(), []).append(kind)
        self.revision += 1

    def kinds(self) -> tuple[ResourceKind, ...]:
        """Every served resource: built-ins first, then CRD versions by CRD name."""
        return self._kinds

    def lookup(self, group: str, version: str, *, plural: str) -> ResourceKind | None:
        return self._by_url.get((group, version, plural))

    def for_kind(self, group: str, kind: str, *, version: str = "") -> ResourceKind | None:
        """The resource serving `kind` in `group`, at `version` or else the preferred one."""
        candidates = [k for k in self._kinds if k.group == group and k.kind == kind]
        if version:
            for candidate in candidates:
                if candidate.version == version:
                    return candidate
        if not candidates:
            return None
        preferred = sort_versions(c.version for c in candidates)[0]
        return next(c for c in candidates if c.version == preferred)

    def for_api_version(self, api_version: str, kind: str) -> ResourceKind | None:
        """The resource an ownerReference or object points to (`apps/v1`, `Deployment`)."""
        group, _, version = api_version.rpartition("/")
        return self.for_kind(group, kind, version=version)

    def resolve(self, name: str) -> list[ResourceKind]:
        """Resources a kubectl-style name means: `deploy`, `deployments.apps`, `Pod`..."""
        text = name.lower()
        head, _, group = text.partition(".")
        found = [k for k in self._names.get(head, []) if not group or k.group == group]
        return found if found else list(self._names.get(text, []))

    def versions_of(self, group: str, plural: str) -> list[ResourceKind]:
        return [k for k in self._kinds if k.group == group and k.plural == plural]

    def groups(self) -> list[GroupVersions]:
        """Served groups in discovery order: core first, built-ins as listed, then CRD groups."""
        order: list[str] = []
        versions: dict[str, list[str]] = {}
        for kind in self._kinds:
            if kind.group not in versions:
                order.append(kind.group)
                versions[kind.group] = []
            versions[kind.group].append(kind.version)
        builtin_groups = {k.group for k in self._builtins}
        ordered = [g for g in order if g in builtin_groups]
        ordered += sorted(g for g in order if g not in builtin_groups)
        return [GroupVersions(g, tuple(sort_versions(versions[g]))) for g in ordered]

    def group_versions(self, group: str) -> GroupVersions | None:
        return next((g for g in self.groups() if g.name == group), None)

    def resources_in(self, group: str, version: str) -> list[ResourceKind]:
        return [k for k in self._kinds if k.group == group and k.version == version]

    @staticmethod
    def storage_key(kind: ResourceKind) -> StorageKey:
        return _SHARED_STORAGE.get(kind.key, kind.key)

    def kinds_stored_at(self, key: StorageKey) -> list[ResourceKind]:
        """Every served resource whose objects live under `key` (all versions, shared stores)."""
        return [k for k in self._kinds if self.storage_key(k) == key]

    def storage_keys(self) -> list[StorageKey]:
        seen: dict[StorageKey, None] = {}
        for kind in self._kinds:
            seen.setdefault(self.storage_key(kind), None)
        return list(seen)

    def set_crd(self, crd: Mapping[str, Any]) -> None:
        """Serve (or re-serve, after an update) every served version of a stored CRD."""
        name = str(crd["metadata"]["name"])
        self._crds[name] = tuple(from_crd(crd))
        self._rebuild()

    def remove_crd(self, name: str) -> None:
        if self._crds.pop(name, None) is not None:
            self._rebuild()

    def crd_names(self) -> list[str]:
        return sorted(self._crds)
