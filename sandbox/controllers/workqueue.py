"""A deduplicating, rate-limited work queue keyed by "namespace/name", like client-go's.

Controllers enqueue keys from informer handlers; a key waiting in the queue is held once
however often it is added, and a key being processed is not handed to a second worker: if
it is added meanwhile it is marked dirty and queued again when the worker calls `done`.
Failed keys come back after a per-key exponential backoff (`add_rate_limited`) until
`forget` resets it, so one broken object cannot spin a controller.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


class WorkQueue:
    """Keys in FIFO order; `run` drives `workers` coroutines calling `handler(key)`."""

    def __init__(self, name: str, *, base_delay: float = 0.005, max_delay: float = 60.0) -> None:
        self.name = name
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self._processing: set[str] = set()
        self._dirty: set[str] = set()
        self._failures: dict[str, int] = {}
        self._timers: set[asyncio.TimerHandle] = set()
        self._base_delay = base_delay
        self._max_delay = max_delay

    def add(self, key: str) -> None:
        if key in self._processing:
            self._dirty.add(key)
            return
        if key in self._queued:
            return
        self._queued.add(key)
        self._queue.put_nowait(key)

    def add_after(self, key: str, delay: float) -> None:
        if delay <= 0:
            self.add(key)
            return
        loop = asyncio.get_running_loop()

        def fire() -> None:
            self._timers.discard(handle)
            self.add(key)

        handle = loop.call_later(delay, fire)
        self._timers.add(handle)

    def add_rate_limited(self, key: str) -> None:
        failures = self._failures.get(key, 0)
        self._failures[key] = failures + 1
        self.add_after(key, min(self._base_delay * 2**failures, self._max_delay))

    def forget(self, key: str) -> None:
        self._failures.pop(key, None)

    def retries(self, key: str) -> int:
        return self._failures.get(key, 0)

    def __len__(self) -> int:
        return len(self._queued)

    async def get(self) -> str:
        key = await self._queue.get()
        self._queued.discard(key)
        self._processing.add(key)
        return key

    def done(self, key: str) -> None:
        self._processing.discard(key)
        if key in self._dirty:
            self._dirty.discard(key)
            self.add(key)

    def idle(self) -> bool:
        return not self._queued and not self._processing and not self._dirty

    async def run(self, handler: Callable[[str], Awaitable[None]], *, workers: int = 1) -> None:
        """Process keys until cancelled; a handler exception requeues the key with backoff."""

        async def worker() -> None:
            while True:
                key = await self.get()
                try:
                    await handler(key)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.warning(
                        "sync failed; requeued",
                        exc_info=True,
                        extra={"queue": self.name, "key": key},
                    )
                    self.add_rate_limited(key)
                else:
                    self.forget(key)
                finally:
                    self.done(key)

        try:
            await asyncio.gather(*(worker() for _ in range(workers)))
        finally:
            for handle in self._timers:
                handle.cancel()
            self._timers.clear()
