"""The image's entrypoint script rewrites config.yaml from the environment as the official one does.

The script runs directly on the host here (no bubblewrap, no Java): FLINK_HOME and
FLINK_CONF_DIR point at a temporary copy and the command after the options is `true`, which the
entrypoint runs in pass-through mode.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sandbox.kubelet.imageroot import DEFAULT_CONFIG, SCRIPTS_DIR

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")


def _run(conf: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "FLINK_HOME": str(conf.parent),
        "FLINK_CONF_DIR": str(conf),
        "JOB_MANAGER_RPC_ADDRESS": "jm-0.jm",
        **env,
    }
    script = str(SCRIPTS_DIR / "docker-entrypoint.sh")
    return subprocess.run(
        ["bash", script, *args], env=full_env, capture_output=True, text=True, check=False
    )


def _config(conf: Path) -> dict[str, str]:
    lines = (conf / "config.yaml").read_text().splitlines()
    pairs = [line.split(":", 1) for line in lines if line and not line.startswith("#")]
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), "a key was appended twice"
    return {key: value.strip() for key, value in pairs}


@pytest.fixture
def conf(tmp_path: Path) -> Path:
    directory = tmp_path / "conf"
    directory.mkdir()
    (directory / "config.yaml").write_text(DEFAULT_CONFIG)
    return directory


def test_flink_properties_replace_keys_and_keep_others(conf: Path) -> None:
    properties = (
        "\n  rest.port: 8081\n# a comment\nparallelism.default: 4\nenv.java.opts.all: -Da=1 -Db=2\n"
    )
    result = _run(conf, {"FLINK_PROPERTIES": properties}, "true")
    assert result.returncode == 0, result.stderr
    config = _config(conf)
    assert config["rest.port"] == "8081"
    assert config["parallelism.default"] == "4"
    assert config["env.java.opts.all"] == "-Da=1 -Db=2"
    assert config["jobmanager.rpc.address"] == "jm-0.jm"
    assert config["blob.server.port"] == "6124"
    assert config["taskmanager.memory.process.size"] == "1728m"


def test_flink_properties_override_the_entrypoint_defaults(conf: Path) -> None:
    env = {"FLINK_PROPERTIES": "blob.server.port: 0", "TASK_MANAGER_NUMBER_OF_TASK_SLOTS": "3"}
    assert _run(conf, env, "true").returncode == 0
    config = _config(conf)
    assert config["blob.server.port"] == "0"
    assert config["taskmanager.numberOfTaskSlots"] == "3"


def test_read_only_conf_is_left_alone_with_a_warning(conf: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only directories")
    conf.chmod(0o555)
    try:
        result = _run(conf, {"FLINK_PROPERTIES": "rest.port: 1"}, "true")
    finally:
        conf.chmod(0o755)
    assert result.returncode == 0
    assert "read-only" in result.stderr
    assert (conf / "config.yaml").read_text() == DEFAULT_CONFIG


def test_help_prints_usage(conf: Path) -> None:
    result = _run(conf, {}, "help")
    assert result.returncode == 0
    assert "Usage:" in result.stdout


def test_missing_built_in_plugin_fails_the_container(conf: Path) -> None:
    (conf.parent / "opt").mkdir()
    (conf.parent / "plugins").mkdir()
    result = _run(conf, {"ENABLE_BUILT_IN_PLUGINS": "flink-s3-fs-hadoop-2.1.1.jar"}, "true")
    assert result.returncode == 1
    assert "does not exist" in result.stderr
