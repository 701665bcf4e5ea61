"""List+watch caches per kind with event handlers, as client-go's shared informers.

An `Informer` lists one resource, fills its cache, tells its handlers about every object
(add/update/delete), then watches from the list's resourceVersion. A watch that ends is
resumed from the last resourceVersion seen (bookmarks included); 410 Gone means the
history window moved on, so it relists and diffs the fresh list against the cache,
reporting deletions it missed. A periodic resync replays every cached object to the update
handlers, which is how controllers repair what they got wrong. Handlers are synchronous
and only enqueue keys; the controllers do the work from their queues.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.controllers.client import ApiClient, ApiError, Expired, Object, Resource

logger = logging.getLogger(__name__)


def key_of(obj: Mapping[str, Any]) -> str:
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace")
    return f"{namespace}/{meta.get('name')}" if namespace else str(meta.get("name"))


def split_key(key: str) -> tuple[str | None, str]:
    namespace, _, name = key.rpartition("/")
    return namespace or None, name


@dataclass
class Handlers:
    on_add: Callable[[Object], None] | None = None
    on_update: Callable[[Object, Object], None] | None = None
    on_delete: Callable[[Object], None] | None = None


@dataclass
class Informer:
    """The cache of one resource, cluster-wide; `run()` keeps it current until cancelled."""

    client: ApiClient
    resource: Resource
    resync_seconds: float = 30.0
    retry_seconds: float = 0.5
    cache: dict[str, Object] = field(default_factory=dict)
    handlers: list[Handlers] = field(default_factory=list)
    synced: asyncio.Event = field(default_factory=asyncio.Event)

    def add_handlers(self, handlers: Handlers) -> None:
        self.handlers.append(handlers)

    def get(self, key: str) -> Object | None:
        return self.cache.get(key)

    def list(self, namespace: str | None = None) -> list[Object]:
        if namespace is None:
            return list(self.cache.values())
        return [o for o in self.cache.values() if o["metadata"].get("namespace") == namespace]

    async def run(self) -> None:
        resync = asyncio.create_task(self._resync_loop())
        try:
            version = ""
            while True:
                try:
                    if not version:
                        version = await self._relist()
                    version = await self._watch(version)
                except Expired:
                    logger.info(
                        "watch expired; relisting", extra={"resource": self.resource.plural}
                    )
                    version = ""
                except (TimeoutError, ApiError, OSError, ValueError) as exc:
                    logger.info(
                        "list/watch failed; retrying",
                        extra={"resource": self.resource.plural, "error": str(exc)},
                    )
                    await asyncio.sleep(self.retry_seconds)
        finally:
            resync.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await resync

    async def _relist(self) -> str:
        listing = await self.client.list(self.resource)
        api_version = listing.get("apiVersion")
        kind = str(listing.get("kind") or "").removesuffix("List")
        fresh: dict[str, Object] = {}
        for item in listing.get("items") or []:  # list items carry no apiVersion/kind
            item.setdefault("apiVersion", api_version)
            item.setdefault("kind", kind)
            fresh[key_of(item)] = item
        for key, old in list(self.cache.items()):
            if key not in fresh:
                del self.cache[key]
                self._dispatch("DELETED", old, None)
        for key, obj in fresh.items():
            previous = self.cache.get(key)
            self.cache[key] = obj
            self._dispatch("MODIFIED" if previous else "ADDED", obj, previous)
        self.synced.set()
        return str((listing.get("metadata") or {}).get("resourceVersion") or "")

    async def _watch(self, version: str) -> str:
        async for kind, obj in self.client.watch(self.resource, resource_version=version):
            version = str((obj.get("metadata") or {}).get("resourceVersion") or version)
            if kind == "BOOKMARK":
                continue
            key = key_of(obj)
            old = self.cache.get(key)
            if kind == "DELETED":
                self.cache.pop(key, None)
                self._dispatch(kind, obj, None)
            else:
                self.cache[key] = obj
                self._dispatch("MODIFIED" if old else "ADDED", obj, old)
        return version

    def _dispatch(self, kind: str, obj: Object, old: Object | None) -> None:
        for handlers in self.handlers:
            try:
                if kind == "DELETED" and handlers.on_delete:
                    handlers.on_delete(obj)
                elif kind == "ADDED" and handlers.on_add:
                    handlers.on_add(obj)
                elif kind == "MODIFIED" and old is not None and handlers.on_update:
                    handlers.on_update(old, obj)
            except Exception:
                logger.exception("informer handler failed", extra={"kind": kind})

    async def _resync_loop(self) -> None:
        while True:
            await asyncio.sleep(self.resync_seconds)
            if self.synced.is_set():
                for obj in list(self.cache.values()):
                    self._dispatch("MODIFIED", obj, obj)


class InformerFactory:
    """One informer per resource, shared by every controller of a manager."""

    def __init__(self, client: ApiClient, *, resync_seconds: float = 30.0) -> None:
        self.client = client
        self.resync_seconds = resync_seconds
        self.informers: dict[Resource, Informer] = {}

    def informer(self, resource: Resource) -> Informer:
        if resource not in self.informers:
            self.informers[resource] = Informer(
                self.client, resource, resync_seconds=self.resync_seconds
            )
        return self.informers[resource]

    async def wait_synced(self) -> None:
        await asyncio.gather(*(i.synced.wait() for i in self.informers.values()))
