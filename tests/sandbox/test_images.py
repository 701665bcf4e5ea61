"""The Flink image cache, with tiny archives built here: no test downloads anything."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import pytest

from sandbox.images import ImageError, cache_root, ensure_flink, image_dir, pip_download

VERSION = "2.1.1"
JARS = {
    "lib/flink-dist-2.1.1.jar": b"dist",
    "lib/log4j-api-2.24.3.jar": b"log4j",
    "opt/flink-python-2.1.1.jar": b"python",
    "plugins/metrics-jmx/flink-metrics-jmx-2.1.1.jar": b"jmx",
    "examples/streaming/StateMachineExample.jar": b"example",
    "bin/bash-java-utils.jar": b"utils",
}


def build_wheel(directory: Path, files: dict[str, bytes] = JARS) -> Path:
    """A wheel laid out like apache-flink-libraries': the distribution under pyflink/."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"apache_flink_libraries-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("pyflink/__init__.py", "")
        wheel.writestr("pyflink/version.py", f'__version__ = "{VERSION}"\n')
        wheel.writestr(f"apache_flink_libraries-{VERSION}.dist-info/METADATA", "Name: x\n")
        for name, data in files.items():
            wheel.writestr(f"pyflink/{name}", data)
    return path


def build_sdist(directory: Path, files: dict[str, bytes] = JARS) -> Path:
    """A source archive laid out like apache-flink-libraries 2.1.1': the jars under deps/."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"apache_flink_libraries-{VERSION}.tar.gz"
    top = f"apache_flink_libraries-{VERSION}"
    entries = {f"{top}/setup.py": b"", f"{top}/pyflink/version.py": b""}
    entries |= {f"{top}/deps/{name}": data for name, data in files.items()}
    entries[f"{top}/deps/plugins/external-resource-gpu/gpu-discovery-common.sh"] = b"#!/bin/sh\n"
    with tarfile.open(path, "w:gz") as sdist:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755 if name.endswith(".sh") else 0o644
            sdist.addfile(info, io.BytesIO(data))
    return path


class FakeDownloader:
    """Writes a wheel into the directory pip would download into, counting its calls."""

    def __init__(self, *, delay: float = 0.0, files: dict[str, bytes] = JARS) -> None:
        self.calls: list[str] = []
        self.delay = delay
        self.files = files
        self._lock = threading.Lock()

    def __call__(self, version: str, directory: Path) -> None:
        with self._lock:
            self.calls.append(version)
        time.sleep(self.delay)
        build_wheel(directory, self.files)


def test_wheel_unpacks_into_a_flink_home_layout(tmp_path: Path) -> None:
    home = ensure_flink(VERSION, root=tmp_path, download=FakeDownloader(), progress=io.StringIO())

    assert home == tmp_path / "images" / f"flink-{VERSION}"
    found = {p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file()}
    assert found == set(JARS)
    assert (home / "lib/flink-dist-2.1.1.jar").read_bytes() == b"dist"


def test_source_archive_unpacks_into_the_same_layout(tmp_path: Path) -> None:
    build_sdist(tmp_path / "wheels")

    home = ensure_flink(VERSION, root=tmp_path, download=FakeDownloader(), progress=io.StringIO())

    found = {p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file()}
    assert found == set(JARS) | {"plugins/external-resource-gpu/gpu-discovery-common.sh"}
    assert os.access(home / "plugins/external-resource-gpu/gpu-discovery-common.sh", os.X_OK)


def test_an_archive_already_in_the_cache_is_not_downloaded_again(tmp_path: Path) -> None:
    build_wheel(tmp_path / "wheels")
    download = FakeDownloader()

    ensure_flink(VERSION, root=tmp_path, download=download, progress=io.StringIO())

    assert download.calls == []


def test_second_call_returns_the_image_without_any_work(tmp_path: Path) -> None:
    download = FakeDownloader()
    first = ensure_flink(VERSION, root=tmp_path, download=download, progress=io.StringIO())
    progress = io.StringIO()

    second = ensure_flink(VERSION, root=tmp_path, download=download, progress=progress)

    assert second == first
    assert download.calls == [VERSION]
    assert progress.getvalue() == ""


def test_downloaded_archive_is_kept_in_the_wheels_directory(tmp_path: Path) -> None:
    ensure_flink(VERSION, root=tmp_path, download=FakeDownloader(), progress=io.StringIO())

    assert [p.name for p in (tmp_path / "wheels").iterdir()] == [
        f"apache_flink_libraries-{VERSION}-py3-none-any.whl"
    ]


def test_pulling_prints_a_progress_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_flink(VERSION, root=tmp_path, download=FakeDownloader())

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"pulling flink:{VERSION} ...\n")


def test_concurrent_callers_share_one_download(tmp_path: Path) -> None:
    download = FakeDownloader(delay=0.3)
    results: list[Path] = []

    def pull() -> None:
        results.append(
            ensure_flink(VERSION, root=tmp_path, download=download, progress=io.StringIO())
        )

    threads = [threading.Thread(target=pull) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert download.calls == [VERSION]
    assert results == [image_dir(VERSION, root=tmp_path)] * 4


def test_concurrent_processes_unpack_once(tmp_path: Path) -> None:
    build_wheel(tmp_path / "wheels")
    script = (
        "import sys; from pathlib import Path; from sandbox.images import ensure_flink; "
        "print(ensure_flink(sys.argv[1], root=Path(sys.argv[2])))"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, VERSION, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]

    assert [process.returncode for process in processes] == [0, 0, 0]
    assert {out.strip() for out, _ in outputs} == {str(image_dir(VERSION, root=tmp_path))}
    assert sum(err.count("pulling flink:") for _, err in outputs) == 1


def test_archive_without_flink_dist_fails_and_leaves_no_image(tmp_path: Path) -> None:
    download = FakeDownloader(files={"opt/flink-python-2.1.1.jar": b"python"})

    with pytest.raises(ImageError, match="flink-dist"):
        ensure_flink(VERSION, root=tmp_path, download=download, progress=io.StringIO())

    assert sorted(p.name for p in (tmp_path / "images").iterdir()) == [f".flink-{VERSION}.lock"]


def test_download_that_yields_no_archive_fails(tmp_path: Path) -> None:
    def nothing(version: str, directory: Path) -> None:
        del version, directory

    with pytest.raises(ImageError, match="produced no archive"):
        ensure_flink(VERSION, root=tmp_path, download=nothing, progress=io.StringIO())

    assert list((tmp_path / "wheels").iterdir()) == []


def test_leftover_staging_directory_of_a_crashed_pull_is_removed(tmp_path: Path) -> None:
    leftover = tmp_path / "images" / f".unpack-flink-{VERSION}-abc123"
    leftover.mkdir(parents=True)
    (leftover / "half.jar").write_bytes(b"x")

    ensure_flink(VERSION, root=tmp_path, download=FakeDownloader(), progress=io.StringIO())

    assert not leftover.exists()


def test_cache_root_defaults_to_the_user_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FLINKOP_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))

    assert cache_root() == tmp_path / ".cache" / "flinkop"
    assert image_dir("2.1.1") == tmp_path / ".cache" / "flinkop" / "images" / "flink-2.1.1"


def test_cache_root_follows_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FLINKOP_CACHE", str(tmp_path / "elsewhere"))

    assert cache_root() == tmp_path / "elsewhere"


@pytest.mark.parametrize("version", ["", "../2.1", "2", "2.1/../../x", "latest"])
def test_a_version_that_is_no_release_number_is_rejected(version: str) -> None:
    with pytest.raises(ValueError, match="not a Flink version"):
        image_dir(version)


def fake_python(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-python"
    script.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/argv\n{body}\n')
    script.chmod(0o755)
    return script


def test_pip_download_asks_this_interpreters_pip_for_the_package_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    body = 'for a; do d="$a"; done; touch "$d/apache_flink_libraries-2.1.1-py3-none-any.whl"'
    monkeypatch.setattr(sys, "executable", str(fake_python(tmp_path, body)))
    target = tmp_path / "dl"
    target.mkdir()

    pip_download(VERSION, target)

    argv = (tmp_path / "argv").read_text().split()
    assert argv[:4] == ["-m", "pip", "download", "--no-deps"]
    assert f"apache-flink-libraries=={VERSION}" in argv
    assert argv[-2:] == ["-d", str(target)]


def test_pip_download_failure_carries_pips_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    body = "echo 'ERROR: No matching distribution found' >&2; exit 1"
    monkeypatch.setattr(sys, "executable", str(fake_python(tmp_path, body)))

    with pytest.raises(ImageError, match="No matching distribution found"):
        pip_download("9.9.9", tmp_path)
