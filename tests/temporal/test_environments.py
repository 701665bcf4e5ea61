"""Smoke tests: both Temporal test servers run workflows with activities, and the dev server
manager survives a restart on its database file.

Each test uses its own workflow ids and task queue, so the session-scoped servers can be shared.
"""

from __future__ import annotations

import asyncio
import gc
import socket
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from temporalio import activity, workflow
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from temporal import search_attributes as sa
from temporal.binaries import BinaryNotFoundError, Executable, find
from temporal.devserver import DevServer, DevServerOptions

VISIBILITY_DEADLINE = 10.0


@activity.defn(name="test.greet")
async def greet(name: str) -> str:
    return f"hello {name}"


@dataclass
class TimerResult:
    greeting: str
    before_timer: datetime
    after_timer: datetime


@workflow.defn(name="test.TimerWorkflow")
class TimerWorkflow:
    """Runs an activity, then a durable one-hour timer."""

    @workflow.run
    async def run(self, name: str) -> TimerResult:
        greeting = await workflow.execute_activity(
            greet, name, start_to_close_timeout=timedelta(seconds=30)
        )
        before = workflow.now()
        await workflow.sleep(timedelta(hours=1))
        return TimerResult(greeting=greeting, before_timer=before, after_timer=workflow.now())


@workflow.defn(name="test.SignalWorkflow")
class SignalWorkflow:
    """Runs an activity, then waits for the `finish` signal."""

    def __init__(self) -> None:
        self._greeting: str | None = None
        self._finish: str | None = None

    @workflow.run
    async def run(self, name: str) -> str:
        self._greeting = await workflow.execute_activity(
            greet, name, start_to_close_timeout=timedelta(seconds=30)
        )
        await workflow.wait_condition(lambda: self._finish is not None)
        return f"{self._greeting}, {self._finish}"

    @workflow.signal(name="finish")
    def finish(self, word: str) -> None:
        self._finish = word

    @workflow.query(name="greeting")
    def greeting(self) -> str | None:
        return self._greeting


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def flink_attributes(*, name: str, generation: int) -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [
            SearchAttributePair(sa.FLINK_KIND, "FlinkDeployment"),
            SearchAttributePair(sa.FLINK_NAMESPACE, "default"),
            SearchAttributePair(sa.FLINK_NAME, name),
            SearchAttributePair(sa.LIFECYCLE_STATE, "CREATED"),
            SearchAttributePair(sa.JOB_STATE, "RECONCILING"),
            SearchAttributePair(sa.GENERATION, generation),
        ]
    )


async def wait_for_listing(client: Client, query: str) -> list[str]:
    """Workflow ids matching `query`, polled until there is one (visibility lags a little)."""
    deadline = time.monotonic() + VISIBILITY_DEADLINE
    while True:
        ids = [execution.id async for execution in client.list_workflows(query)]
        if ids or time.monotonic() > deadline:
            return ids
        await asyncio.sleep(0.1)


async def wait_for_greeting(handle: WorkflowHandle[SignalWorkflow, str]) -> str:
    deadline = time.monotonic() + VISIBILITY_DEADLINE
    while True:
        greeting = await handle.query(SignalWorkflow.greeting)
        if greeting is not None or time.monotonic() > deadline:
            assert greeting is not None, "the activity did not complete in time"
            return greeting
        await asyncio.sleep(0.1)


async def release_sdk_objects() -> None:
    """What tests/temporal_envs.release() does, for clients this module connects itself.

    Without it a dropped client can abort the interpreter at exit (running-locally.md §1.3).
    """
    gc.collect()
    await asyncio.sleep(0.2)


def processes_of(pid: int, port: int) -> list[str]:
    """Descriptions of `pid` if alive, and of any `temporal` process whose argv has `port`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # exited meanwhile
            continue
        is_server = Path(argv[0].decode(errors="replace")).name == "temporal"
        if int(entry.name) == pid or (is_server and str(port).encode() in argv):
            found.append(f"{entry.name}: {b' '.join(argv).decode(errors='replace')}")
    return found


def port_refuses(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


# --- time-skipping test server ------------------------------------------------------------------


async def test_time_skipping_server_fast_forwards_a_one_hour_timer(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client = time_skipping_env.client
    task_queue = unique("tq")
    async with Worker(client, task_queue=task_queue, workflows=[TimerWorkflow], activities=[greet]):
        result = await client.execute_workflow(
            TimerWorkflow.run,
            "flink",
            id=unique("timer"),
            task_queue=task_queue,
            # Proves the fixture registered our attributes: unknown ones fail the start.
            search_attributes=flink_attributes(name="timer", generation=1),
        )

    assert result.greeting == "hello flink"
    assert result.after_timer - result.before_timer >= timedelta(hours=1)


async def test_registering_search_attributes_again_on_the_test_server_adds_nothing(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    assert await sa.register(time_skipping_env.client) == []


# --- dev server (session fixture) ---------------------------------------------------------------


async def test_dev_server_lists_a_workflow_by_flink_name_and_generation(
    dev_server_env: WorkflowEnvironment,
) -> None:
    client = dev_server_env.client
    task_queue, name, workflow_id = unique("tq"), unique("demo"), unique("flinkdeployment")
    async with Worker(
        client, task_queue=task_queue, workflows=[SignalWorkflow], activities=[greet]
    ):
        handle = await client.start_workflow(
            SignalWorkflow.run,
            "flink",
            id=workflow_id,
            task_queue=task_queue,
            search_attributes=flink_attributes(name=name, generation=3),
        )

        assert await wait_for_listing(client, f'FlinkName="{name}" AND Generation >= 3') == [
            workflow_id
        ]
        # Listed once, so visibility has caught up: a non-matching query must come back empty.
        newer = f'FlinkName="{name}" AND Generation > 3'
        assert [execution.id async for execution in client.list_workflows(newer)] == []

        await handle.signal(SignalWorkflow.finish, "done")
        assert await handle.result() == "hello flink, done"


async def test_search_attribute_registration_is_idempotent_and_rejects_type_changes(
    dev_server_env: WorkflowEnvironment,
) -> None:
    client = dev_server_env.client
    probe = SearchAttributeKey.for_keyword("FlinkopProbe")

    assert await sa.register(client) == []  # all present from the start flags
    assert await sa.register(client, keys=[probe]) == ["FlinkopProbe"]
    assert await sa.register(client, keys=[probe]) == []
    with pytest.raises(sa.SearchAttributeConflictError, match="FlinkName"):
        await sa.register(client, keys=[SearchAttributeKey.for_int("FlinkName")])

    # A freshly registered attribute is usable at once.
    task_queue, workflow_id = unique("tq"), unique("probe")
    async with Worker(
        client, task_queue=task_queue, workflows=[SignalWorkflow], activities=[greet]
    ):
        handle = await client.start_workflow(
            SignalWorkflow.run,
            "probe",
            id=workflow_id,
            task_queue=task_queue,
            search_attributes=TypedSearchAttributes([SearchAttributePair(probe, "yes")]),
        )
        assert await wait_for_listing(client, 'FlinkopProbe="yes"') == [workflow_id]
        await handle.signal(SignalWorkflow.finish, "done")
        assert await handle.result() == "hello probe, done"


# --- temporal.devserver ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inspects /proc")
async def test_dev_server_keeps_a_waiting_workflow_across_a_restart_on_its_db_file(
    tmp_path: Path,
) -> None:
    server = DevServer(
        DevServerOptions(
            db_file=tmp_path / "temporal.db",
            namespaces=("flinkop",),
            search_attributes=sa.dev_server_types(),
            log_file=tmp_path / "server.log",
        )
    )
    task_queue, name, workflow_id = unique("tq"), unique("restart"), unique("flinkdeployment")

    async with server:
        first_pid = server.pid
        assert first_pid is not None
        client = await Client.connect(server.target, namespace="flinkop")
        async with Worker(
            client, task_queue=task_queue, workflows=[SignalWorkflow], activities=[greet]
        ):
            handle = await client.start_workflow(
                SignalWorkflow.run,
                "restart",
                id=workflow_id,
                task_queue=task_queue,
                search_attributes=flink_attributes(name=name, generation=7),
            )
            # The activity has completed and the workflow now waits for the signal.
            assert await wait_for_greeting(handle) == "hello restart"
        del client, handle
        await release_sdk_objects()

    port = server.port
    assert not server.running
    assert processes_of(first_pid, port) == []
    assert port_refuses(port)
    await server.stop()  # a second stop is a no-op

    async with server:  # same port, same database file
        client = await Client.connect(server.target, namespace="flinkop")
        handle = client.get_workflow_handle_for(SignalWorkflow.run, workflow_id)
        assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
        assert await wait_for_listing(client, f'FlinkName="{name}" AND Generation = 7') == [
            workflow_id
        ]
        async with Worker(
            client, task_queue=task_queue, workflows=[SignalWorkflow], activities=[greet]
        ):
            await handle.signal(SignalWorkflow.finish, "after restart")
            assert await handle.result() == "hello restart, after restart"
        second_pid = server.pid
        assert second_pid is not None
        del client, handle
        await release_sdk_objects()

    assert processes_of(second_pid, port) == []


def test_dev_server_command_maps_every_option_to_a_flag(tmp_path: Path) -> None:
    server = DevServer(
        DevServerOptions(
            port=7400,
            ui=True,
            ui_port=8400,
            namespaces=("default", "flinkop", "flinkop"),
            search_attributes={"FlinkName": "Keyword", "Generation": "Int"},
            db_file=tmp_path / "t.db",
            log_level="error",
            binary=Path("/opt/temporal"),
        )
    )
    argv = server.command()

    assert argv[:3] == ["/opt/temporal", "server", "start-dev"]
    flags = " ".join(argv[3:])
    assert "--ip 127.0.0.1 --port 7400 --log-level error --ui-port 8400" in flags
    assert "--headless" not in flags
    assert flags.count("--namespace") == 1  # default always exists; duplicates dropped
    assert "--search-attribute FlinkName=Keyword --search-attribute Generation=Int" in flags
    assert f"--db-filename {tmp_path / 't.db'}" in flags
    assert server.target == "127.0.0.1:7400"
    assert server.ui_url == "http://127.0.0.1:8400/"


def test_dev_server_options_reject_unknown_search_attribute_types() -> None:
    with pytest.raises(ValueError, match="unknown type"):
        DevServerOptions(search_attributes={"FlinkName": "String"})  # type: ignore[dict-item]


def test_missing_binary_error_names_the_pip_package() -> None:
    with pytest.raises(BinaryNotFoundError, match="pip install some-pybin-package"):
        find(Executable(name="no-such-temporal-binary", package="some-pybin-package"))
