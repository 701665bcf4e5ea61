"""Root test configuration: markers by directory and the session-wide Temporal servers.

Markers follow the directory, as in kopf, so a test cannot forget its marker and `make test`
can deselect the slow suites with `-m "not integration and not e2e and not crash"`:
tests/temporal → `temporal`, tests/integration → `integration`, tests/e2e → `e2e`,
tests/crash → `crash`, and any deeper directory named `integration` (e.g.
tests/sandbox/integration) → `integration`. Everything else stays unmarked (unit tests).

The two Temporal servers are session-scoped because starting one costs 0.1 to 0.5 s and tests
isolate themselves with unique workflow ids and task queues. Their implementation, including the
teardown that keeps the interpreter from aborting at exit, is in `tests/temporal_envs.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

# The helper next to this file, whether tests/ is a package (imported as tests.conftest) or not
# (pytest puts tests/ itself on sys.path). Never `from tests import ...` without a package: with
# the editable install that may resolve to the tests/ of another checkout.
if __package__:
    from . import temporal_envs
else:
    import temporal_envs  # type: ignore[no-redef]

TESTS_DIR = Path(__file__).parent
TOP_LEVEL_MARKERS = {"temporal", "integration", "e2e", "crash"}


def markers_for(path: Path) -> list[str]:
    """Marker names for a test file, from the directories between tests/ and the file."""
    try:
        parts = path.relative_to(TESTS_DIR).parts[:-1]
    except ValueError:  # not under tests/ (e.g. a doctest elsewhere)
        return []
    names = [parts[0]] if parts and parts[0] in TOP_LEVEL_MARKERS else []
    if "integration" in parts[1:] and "integration" not in names:
        names.append("integration")
    return names


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for name in markers_for(item.path):
            item.add_marker(getattr(pytest.mark, name))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """Time-skipping test server (timers fast-forward; no visibility API)."""
    async with temporal_envs.time_skipping() as env:
        yield env


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def dev_server_env() -> AsyncIterator[WorkflowEnvironment]:
    """In-memory dev server (real timers, visibility queries on our search attributes)."""
    async with temporal_envs.dev_server() as env:
        yield env
