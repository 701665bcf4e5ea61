"""Which OpenAPI documents a set of served kinds yields, built lazily, cached, and hashed.

The REST layer asks for documents on every `/openapi/v2`, `/openapi/v3` and
`/openapi/v3/<path>` request, while the set of served kinds changes only when a CRD does.
Building the v2 document for all built-ins takes a noticeable fraction of a second, so every
document is built on first request and kept, with its encoded bytes and ETag, under a key
made from the kinds it depends on: the built-in group-version documents do not depend on CRDs
at all, so creating a CRD rebuilds only its own group version, the index and v2.

A kind's identity for caching is the kind itself plus the identity of its schema object
(`ResourceKind` leaves the schema out of equality). Cached entries keep those kinds, and with
them the schemas, alive, so an identity cannot be reused while its entry exists. Callers
must treat kinds and returned documents as immutable values: a changed CRD arrives as new
`ResourceKind`s made from the new object.

The v3 index carries, per document, the uppercase hex SHA-512 of the exact bytes served
(`encode`), as kube-openapi's handler does, so clients can cache documents by URL.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.openapi import crd, v2, v3
from sandbox.apiserver.openapi.builtin import builtin_routes
from sandbox.apiserver.openapi.custom import custom_routes
from sandbox.apiserver.openapi.routes import Route, group_route, group_version_route, root_routes

Document = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Encoded:
    """A document as served: its JSON bytes and the ETag (hash) of exactly those bytes."""

    document: Document
    body: bytes
    etag: str


def encode(document: Document) -> Encoded:
    body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    return Encoded(document=document, body=body, etag=hashlib.sha512(body).hexdigest().upper())


class _Cache(Generic[T]):
    """A small thread-safe LRU; values are built outside the lock (a race builds twice).

    Each entry also holds `pins`, objects whose identity is part of its key, so that those
    identities cannot be reused by other objects while the entry exists.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[T, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T], *, pins: object = None) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
        value = build()
        with self._lock:
            self._entries[key] = (value, pins)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value


_V2: _Cache[Encoded] = _Cache(4)
_V3: _Cache[Encoded] = _Cache(128)
_INDEX: _Cache[Encoded] = _Cache(8)


def _identity(kinds: Sequence[ResourceKind]) -> tuple[Hashable, tuple[object, ...]]:
    """An order-free cache key for a set of kinds, and the schemas whose ids it contains."""
    key = sorted(
        {(kind, id(kind.schema)) for kind in kinds},
        key=lambda entry: (entry[0].group, entry[0].version, entry[0].plural, entry[1]),
    )
    return tuple(key), tuple(kind.schema for kind in kinds)


def index_path(group: str, version: str) -> str:
    """The index key (and URL tail under `/openapi/v3/`) of a group version's document."""
    return f"apis/{group}/{version}" if group else f"api/{version}"


def _by_path(kinds: Sequence[ResourceKind]) -> dict[str, list[ResourceKind]]:
    """Every document path the server publishes for these kinds, with the kinds it covers."""
    paths: dict[str, list[ResourceKind]] = {"api": [], "apis": [], "version": []}
    for kind in kinds:
        if kind.group and not kind.custom:
            paths.setdefault(f"apis/{kind.group}", [])
        paths.setdefault(index_path(kind.group, kind.version), []).append(kind)
    return dict(sorted(paths.items()))


def _routes(path: str, kinds: Sequence[ResourceKind]) -> tuple[list[Route], bool]:
    """The routes of one document, and whether it belongs to the built-in API."""
    roots = root_routes()
    if path in roots:
        return [roots[path]], True
    parts = path.split("/")
    if len(parts) == 2 and parts[0] == "apis":
        return [group_route(parts[1])], True
    builtin = [kind for kind in kinds if not kind.custom]
    routes: list[Route] = []
    if builtin:
        routes.append(group_version_route(builtin[0].group, builtin[0].version))
    for kind in kinds:
        routes.extend(custom_routes(kind) if kind.custom else builtin_routes(kind))
    return routes, bool(builtin)


def _custom_definitions(kinds: Sequence[ResourceKind], *, v2: bool) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for kind in kinds:
        if kind.custom:
            found.update(crd.definitions(kind, v2=v2))
    return found


def encoded_v3(kinds: Sequence[ResourceKind], path: str) -> Encoded | None:
    """The document at `/openapi/v3/<path>` (`api/v1`, `apis/apps/v1`, `version`, ...)."""
    path = path.strip("/")
    covered = _by_path(kinds).get(path)
    if covered is None:
        return None

    def build() -> Encoded:
        routes, builtin = _routes(path, covered)
        custom = _custom_definitions(covered, v2=False)
        return encode(v3.document(routes, custom, builtin=builtin))

    key, pins = _identity(covered)
    return _V3.get((path, key), build, pins=pins)


def encoded_v3_index(kinds: Sequence[ResourceKind]) -> Encoded:
    """`/openapi/v3`: every document path with a URL that carries the document's hash."""

    def build() -> Encoded:
        paths: dict[str, Any] = {}
        for path in _by_path(kinds):
            served = encoded_v3(kinds, path)
            if served is not None:
                paths[path] = {"serverRelativeURL": f"/openapi/v3/{path}?hash={served.etag}"}
        return encode({"paths": paths})

    key, pins = _identity(kinds)
    return _INDEX.get(key, build, pins=pins)


def encoded_v2(kinds: Sequence[ResourceKind]) -> Encoded:
    """`/openapi/v2`: all served kinds in one Swagger 2.0 document."""

    def build() -> Encoded:
        routes: list[Route] = []
        for path, covered in _by_path(kinds).items():
            routes.extend(_routes(path, covered)[0])
        return encode(v2.document(routes, _custom_definitions(kinds, v2=True)))

    key, pins = _identity(kinds)
    return _V2.get(key, build, pins=pins)
