"""A de-duplicating work queue drained by one asyncio task: the in-process controllers' engine.

The garbage collector and the namespace controller react to store events the way
kube-controller-manager's controllers react to informer events: the event handler only
queues a key, and a worker processes keys one at a time, later. Keys already queued are
not queued twice, so a burst of events on one object becomes one pass. `settle()` lets
tests (and the CLI's shutdown) wait until nothing is left to do, instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)


class WorkQueue(Generic[K]):
    """Keys in arrival order without duplicates, processed by `handler` on one task."""

    retry_delay = 0.5

    def __init__(self, name: str, handler: Callable[[K], None]) -> None:
        self.name = name
        self._handler = handler
        self._keys: dict[K, None] = {}
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None

    def add(self, key: K) -> None:
        self._keys[key] = None
        self._idle.clear()
        self._wakeup.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def settle(self) -> None:
        """Wait until the queue is empty and the worker is between keys."""
        while not self._idle.is_set() or self._keys:
            await self._idle.wait()
            await asyncio.sleep(0)

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._keys:
                key = next(iter(self._keys))
                del self._keys[key]
                try:
                    self._handler(key)
                except Exception:
                    # Retry later, as a rate-limited requeue would: the cause is usually a
                    # write that raced with another one.
                    logger.exception("work item failed", extra={"queue": self.name, "key": key})
                    asyncio.get_running_loop().call_later(self.retry_delay, self.add, key)
                # Yield between keys so request handlers are never starved by a long queue.
                await asyncio.sleep(0)
            if not self._keys:
                self._idle.set()
