"""Watch semantics over the store: start points, selector transitions, bookmarks, expiry.

A `Watcher` is what one `?watch=true` request consumes. It starts where the client asked,
the way kube-apiserver's watch cache does: with no resourceVersion or "0" it first replays
the current state as ADDED events; with a resourceVersion it replays the retained history
after it, or reports 410 Expired (as an ERROR event, the way the real server does once the
stream has started) when that history is gone; with `sendInitialEvents=true` the initial
state ends with a BOOKMARK annotated `k8s.io/initial-events-end`. Registration and the
initial snapshot happen in one synchronous step, so no event can fall between them.

Selectors filter by transition, as in the watch cache: an object that starts matching
arrives as ADDED, one that stops matching as DELETED. Events are queued synchronously as
they commit and drained by the streaming handler (`rest/watching.py`); a client that falls
`max_queue` events behind is cut off and, like any client-go reflector, re-watches.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Final

from sandbox.apiserver import errors
from sandbox.apiserver.registry import StorageKey
from sandbox.apiserver.store import Event, EventType, Object, Store

INITIAL_EVENTS_END: Final = "k8s.io/initial-events-end"
_LIVENESS_POLL: Final = 1.0

Predicate = Callable[[Object], bool]


@dataclass(frozen=True, slots=True)
class WatchItem:
    """One line of a watch stream: its type and object; `event` when it came from the store."""

    type: str
    object: Object
    event: Event | None = None


class Watcher:
    """One watch subscription: initial events, then live events, until closed."""

    def __init__(
        self,
        store: Store,
        *,
        key: StorageKey,
        namespace: str | None,
        predicate: Predicate,
        bookmark_object: Callable[[int, bool], Object] | None = None,
        max_queue: int = 10_000,
    ) -> None:
        self._store = store
        self._key = key
        self._namespace = namespace
        self._predicate = predicate
        self._bookmark_object = bookmark_object
        self._max_queue = max_queue
        self._pending: deque[WatchItem] = deque()
        self._wakeup = asyncio.Event()
        self._registered = False
        self.closed = False
        self.overflowed = False

    def start(self, *, resource_version: str, send_initial_events: bool | None) -> None:
        """Queue the initial events for the requested start point and begin listening."""
        current = self._store.resource_version
        replay_state = send_initial_events is True or resource_version in ("", "0")
        if send_initial_events is False and resource_version in ("", "0"):
            replay_state = False
        if replay_state:
            for obj in self._store.objects(self._key, self._namespace):
                if self._predicate(obj):
                    self._pending.append(WatchItem(EventType.ADDED, obj))
            if send_initial_events and self._bookmark_object is not None:
                self._pending.append(WatchItem("BOOKMARK", self._bookmark_object(current, True)))
        elif resource_version not in ("", "0"):
            requested = _parse_rv(resource_version)
            if requested > current:
                self._fail(errors.too_large_resource_version(requested, current))
                return
            history = self._store.history_since(requested)
            if history is None:
                message = f"too old resource version: {requested} ({self._store.oldest_resumable})"
                self._fail(errors.expired(message))
                return
            for event in history:
                if event.key == self._key:
                    self._offer(event)
        self._store.watch_key(self._key, self._offer)
        self._registered = True

    def _fail(self, error: errors.ApiError) -> None:
        self._pending.append(WatchItem("ERROR", error.status()))
        self.closed = True

    def _offer(self, event: Event) -> None:
        """Store callback: filter by namespace and selector transition, then queue."""
        if self._namespace is not None and event.namespace != self._namespace:
            return
        item = self._transition(event)
        if item is None:
            return
        if len(self._pending) >= self._max_queue:
            self.overflowed = True
            self.close()
            return
        self._pending.append(item)
        self._wakeup.set()

    def _transition(self, event: Event) -> WatchItem | None:
        now_matches = self._predicate(event.object)
        if event.type is not EventType.MODIFIED or event.previous is None:
            return WatchItem(event.type, event.object, event) if now_matches else None
        was_matching = self._predicate(event.previous)
        if now_matches and was_matching:
            return WatchItem(EventType.MODIFIED, event.object, event)
        if now_matches:
            return WatchItem(EventType.ADDED, event.object, event)
        if was_matching:
            return WatchItem(EventType.DELETED, event.object, event)
        return None

    def close(self) -> None:
        if self._registered:
            self._store.unwatch_key(self._key, self._offer)
            self._registered = False
        self.closed = True
        self._wakeup.set()

    async def items(
        self,
        *,
        deadline: float,
        bookmark_interval: float | None,
        alive: Callable[[], bool] = lambda: True,
    ) -> AsyncIterator[WatchItem]:
        """Queued and live items until `deadline` (monotonic seconds) or `close()`.

        With `bookmark_interval`, an idle stream gets a BOOKMARK at the store's current
        resourceVersion: every committed event for this key is queued before the store
        moves on, so an empty queue means the client has seen everything up to it.
        `alive` is polled about once a second, so an idle stream whose client went away
        is noticed without waiting for the next event.
        """
        last_sent = time.monotonic()
        try:
            while True:
                while self._pending:
                    yield self._pending.popleft()
                    last_sent = time.monotonic()
                if self.closed or not alive():
                    return
                now = time.monotonic()
                if now >= deadline:
                    return
                wait = min(deadline - now, _LIVENESS_POLL)
                if bookmark_interval is not None:
                    wait = min(wait, max(0.0, last_sent + bookmark_interval - now))
                self._wakeup.clear()
                if not self._pending and not self.closed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wakeup.wait(), timeout=wait)
                if (
                    not self._pending
                    and not self.closed
                    and bookmark_interval is not None
                    and self._bookmark_object is not None
                    and time.monotonic() >= last_sent + bookmark_interval
                    and time.monotonic() < deadline
                ):
                    rv = self._store.resource_version
                    yield WatchItem("BOOKMARK", self._bookmark_object(rv, False))
                    last_sent = time.monotonic()
        finally:
            self.close()


def _parse_rv(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise errors.bad_request(f'invalid resource version: "{text}"') from None
    if value < 0:
        raise errors.bad_request(f'invalid resource version: "{text}"')
    return value


def bookmark(
    *, kind: str, api_version: str, resource_version: int, initial_end: bool
) -> dict[str, Any]:
    """The object of a BOOKMARK event: only kind, apiVersion and metadata.resourceVersion."""
    metadata: dict[str, Any] = {"resourceVersion": str(resource_version), "creationTimestamp": None}
    if initial_end:
        metadata["annotations"] = {INITIAL_EVENTS_END: "true"}
    return {"kind": kind, "apiVersion": api_version, "metadata": metadata}
