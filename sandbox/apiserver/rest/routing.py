"""Resource URLs, parsed as kube-apiserver's RequestInfoFactory parses them.

`/api/v1/...` is the core group and `/apis/<group>/<version>/...` every other one; then an
optional `namespaces/<ns>` scope, the resource, a name and a subresource. Two wrinkles
follow upstream: `namespaces/<name>/status` and `namespaces/<name>/finalize` are
subresources of the Namespace itself, not resources inside it, and the deprecated
`/watch/` prefix turns a list or get into a watch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

_NAMESPACE_SUBRESOURCES: Final = frozenset({"status", "finalize"})


@dataclass(frozen=True)
class Target:
    """What a resource URL addresses. `namespace` is None when the URL has no scope."""

    group: str
    version: str
    plural: str = ""
    namespace: str | None = None
    name: str = ""
    subresource: str = ""
    watch_prefix: bool = False

    @property
    def is_group_version(self) -> bool:
        """`/api/v1` or `/apis/<group>/<version>` itself: the resource list."""
        return not self.plural


def parse(path: str) -> Target | None:
    """The target of an API path, or None when it is not a resource path at all."""
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "api":
        group, version, rest = "", parts[1], parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    watch = False
    if rest and rest[0] == "watch":
        watch, rest = True, rest[1:]
    if not rest:
        return None if watch else Target(group, version)
    namespace: str | None = None
    if rest[0] == "namespaces" and len(rest) > 1:
        if len(rest) == 2 or (len(rest) == 3 and rest[2] in _NAMESPACE_SUBRESOURCES and not group):
            # The Namespace object itself, or its status/finalize subresource.
            return Target(
                group,
                version,
                plural="namespaces",
                name=rest[1],
                subresource=rest[2] if len(rest) == 3 else "",
                watch_prefix=watch,
            )
        namespace, rest = rest[1], rest[2:]
    if len(rest) > 3:
        return None
    plural = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    return Target(group, version, plural, namespace, name, subresource, watch)
