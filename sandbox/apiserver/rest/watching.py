"""Watch streams: chunked JSON lines, kept open until the timeout or the client leaves.

Each event is one line, `{"type":"ADDED","object":{...}}`; with the Table Accept header
(`kubectl get -w`) the object is a one-row Table whose column definitions come only with
the first event, as kube-apiserver sends them. kubectl exits as soon as a stream ends, so a
stream without `timeoutSeconds` stays open for the server's own random timeout (30 to 60
minutes by default). Errors found while starting (bad resourceVersion, selectors) are
ordinary error responses; once streaming, a start point that is too old arrives as an
ERROR event carrying a 410 Expired Status. Fabric8 first asks for a WebSocket upgrade:
it gets this same plain 200 stream, and falls back to HTTP watching. The serialised event
object is cached on the store event, so many watchers of one resource encode it once.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Mapping

from aiohttp import web

from sandbox.apiserver import errors
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.conversion import object_form, to_served
from sandbox.apiserver.rest.negotiation import Rendering, compact
from sandbox.apiserver.rest.reads import selector_predicate
from sandbox.apiserver.store import Object
from sandbox.apiserver.tables import to_table
from sandbox.apiserver.watch import Predicate, Watcher, WatchItem, bookmark


def _timeout(ctx: ApiContext, query: Mapping[str, str]) -> float:
    text = query.get("timeoutSeconds", "")
    if text:
        try:
            return max(0.0, float(int(text)))
        except ValueError:
            raise errors.bad_request(f'invalid value for timeoutSeconds: "{text}"') from None
    base = ctx.config.min_request_timeout.total_seconds()
    return base * (1 + random.random())


def _send_initial_events(query: Mapping[str, str]) -> bool | None:
    value = query.get("sendInitialEvents")
    if value is None:
        return None
    return value.lower() in ("true", "1")


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


class _Encoder:
    """Turns watch items into lines for one stream (JSON objects or one-row Tables)."""

    def __init__(
        self, ctx: ApiContext, kind: ResourceKind, *, rendering: Rendering, query: Mapping[str, str]
    ):
        self._ctx = ctx
        self._kind = kind
        self._table = rendering.table
        self._include = query.get("includeObject", "Metadata") or "Metadata"
        self._headers_sent = False

    def line(self, item: WatchItem) -> bytes:
        if item.type in ("ERROR", "BOOKMARK"):
            return b'{"type":"' + item.type.encode() + b'","object":' + _dumps(item.object) + b"}\n"
        if self._table:
            obj = to_served(self._kind, item.object)
            table = to_table(
                self._kind,
                [obj],
                include_object=self._include,
                now=self._ctx.clock.now(),
                resource_version=str((obj.get("metadata") or {}).get("resourceVersion", "")),
            )
            if self._headers_sent:
                table["columnDefinitions"] = None
            self._headers_sent = True
            return _dumps({"type": item.type, "object": table}) + b"\n"
        encoded = self._object_json(item)
        return b'{"type":"' + str(item.type).encode() + b'","object":' + encoded + b"}\n"

    def _object_json(self, item: WatchItem) -> bytes:
        cache_key = object_form(self._kind)  # the write's response may have filled it
        if item.event is not None:
            cached = item.event.cache.get(cache_key)
            if cached is not None and item.event.object is item.object:
                return cached
        encoded = compact(to_served(self._kind, item.object))
        if item.event is not None and item.event.object is item.object:
            item.event.cache[cache_key] = encoded
        return encoded


def _name_predicate(base: Predicate, name: str) -> Predicate:
    def matches(obj: Object) -> bool:
        return (obj.get("metadata") or {}).get("name") == name and base(obj)

    return matches


async def serve(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str | None,
    name: str,
    request: web.Request,
    rendering: Rendering,
) -> web.StreamResponse:
    """Stream events of `kind` (in `namespace`, or all; one `name` for legacy watch URLs)."""
    if "watch" not in kind.verbs:
        raise errors.method_not_supported(errors.GroupResource(kind.group, kind.plural), "watch")
    query = request.query
    predicate = selector_predicate(kind, query)
    if name:
        predicate = _name_predicate(predicate, name)
    timeout = _timeout(ctx, query)
    limit = ctx.faults.watch_limit(method=request.method, path=request.path)
    if limit is not None:
        timeout = min(timeout, limit)
    bookmarks = query.get("allowWatchBookmarks", "").lower() in ("true", "1")

    def bookmark_object(resource_version: int, initial_end: bool) -> Object:
        return bookmark(
            kind=kind.kind,
            api_version=kind.api_version,
            resource_version=resource_version,
            initial_end=initial_end,
        )

    watcher = Watcher(
        ctx.store,
        key=ctx.registry.storage_key(kind),
        namespace=namespace if kind.namespaced else None,
        predicate=predicate,
        bookmark_object=bookmark_object if bookmarks else None,
    )
    watcher.start(
        resource_version=query.get("resourceVersion", ""),
        send_initial_events=_send_initial_events(query),
    )
    response = web.StreamResponse(
        status=200,
        headers={"Content-Type": rendering.content_type, "Cache-Control": "no-cache, private"},
    )
    response.enable_chunked_encoding()
    try:
        await response.prepare(request)
        encoder = _Encoder(ctx, kind, rendering=rendering, query=query)
        transport = request.transport

        def alive() -> bool:
            return transport is not None and not transport.is_closing()

        interval = ctx.config.bookmark_interval.total_seconds() if bookmarks else None
        async for item in watcher.items(
            deadline=time.monotonic() + timeout, bookmark_interval=interval, alive=alive
        ):
            await response.write(encoder.line(item))
        await response.write_eof()
    except (ConnectionResetError, ConnectionError):
        pass
    finally:
        watcher.close()
    return response
