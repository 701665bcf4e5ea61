"""Fixtures for the emulator's acceptance tests: one emulator process per test module.

Every test here talks to the emulator only over the wire, through the kubeconfig it writes,
as a client talks to a cluster. Each module starts its own emulator so that one module's
objects, or its small watch history, cannot leak into another's; starting one takes well
under a second. The helpers live in `emulator_process.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emulator_process import Emulator, running_emulator


@pytest.fixture(scope="module")
def module_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One emulator for the whole test module."""
    with running_emulator(tmp_path_factory.mktemp("emulator")) as emulator:
        yield emulator
