"""The image cache: `ensure_flink(version)` returns a Flink distribution unpacked on local disk.

Callers are the sandbox's process runner (a pod's image becomes its `/opt/flink`), Flink's
own CLI in integration tests, and anyone who needs `lib/flink-dist-*.jar`. The cache lives
outside every work tree (`~/.cache/flinkop`, or `$FLINKOP_CACHE`) because a distribution is
300 MB and is shared by all checkouts and test runs on the machine:

    <cache>/wheels/apache_flink_libraries-<version>...   what `pip download` fetched (kept)
    <cache>/images/flink-<version>/{lib,opt,plugins,bin,examples,...}

The only source is PyPI's `apache-flink-libraries`, fetched with this interpreter's pip so
the user's index configuration applies. Depending on the release it is a wheel (jars under
`pyflink/`) or a source archive (jars under `<name>-<version>/deps/`); both unpack to the
same layout. Unpacking goes to a temporary sibling directory that is renamed into place,
so an image directory either is complete or does not exist, and a file lock per version
makes concurrent callers (parallel tests, several pods starting at once) wait for one
download instead of racing. The download itself is a parameter, so tests can hand in a
tiny archive without touching the network.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, TextIO

PACKAGE = "apache-flink-libraries"
CACHE_ENV = "FLINKOP_CACHE"
_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){1,3}([.-]?[A-Za-z0-9]+)*$")
_UNPACK_PREFIX = ".unpack-"
_COPY_CHUNK = 1 << 20

Downloader = Callable[[str, Path], None]
"""Fetches the package archive of a version into a directory (which it may leave empty)."""


class ImageError(RuntimeError):
    """A Flink distribution could not be made available (download or archive failed)."""


def cache_root() -> Path:
    """The cache directory: `$FLINKOP_CACHE`, else `~/.cache/flinkop`."""
    configured = os.environ.get(CACHE_ENV, "")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "flinkop"


def image_dir(version: str, *, root: Path | None = None) -> Path:
    """Where the distribution of a Flink version lives (whether or not it is there yet)."""
    _check_version(version)
    return (root if root is not None else cache_root()) / "images" / f"flink-{version}"


def ensure_flink(
    version: str,
    *,
    root: Path | None = None,
    download: Downloader | None = None,
    progress: TextIO | None = None,
) -> Path:
    """Return the directory of an unpacked Flink distribution, fetching it the first time.

    Idempotent and safe to call from several processes at once: the first caller downloads
    and unpacks while the others wait on the version's lock, then find the result.

    Args:
        version: a release of `apache-flink-libraries`, e.g. "2.1.1".
        root: the cache directory (default `cache_root()`).
        download: how to fetch the archive (default `pip_download`).
        progress: where the "pulling" line goes (default standard error).

    Raises:
        ImageError: the download failed or the archive holds no Flink distribution.
    """
    target = image_dir(version, root=root)
    if target.is_dir():
        return target
    base = target.parent.parent
    images = base / "images"
    images.mkdir(parents=True, exist_ok=True)
    with _locked(images / f".flink-{version}.lock"):
        if target.is_dir():  # another process finished while we waited
            return target
        out = progress if progress is not None else sys.stderr
        out.write(f"pulling flink:{version} ...\n")
        out.flush()
        started = time.monotonic()
        _remove_stale_unpacks(images, version)
        archive = _find_archive(base / "wheels", version) or _fetch(
            base / "wheels", version, download or pip_download
        )
        staging = Path(tempfile.mkdtemp(prefix=f"{_UNPACK_PREFIX}flink-{version}-", dir=images))
        try:
            _unpack(archive, staging)
            if not any((staging / "lib").glob("flink-dist*.jar")):
                raise ImageError(f"{archive.name} holds no lib/flink-dist jar")
            staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        out.write(f"pulled flink:{version} in {time.monotonic() - started:.1f}s: {target}\n")
        out.flush()
    return target


def pip_download(version: str, directory: Path) -> None:
    """Fetch `apache-flink-libraries==<version>` (no dependencies) with this Python's pip."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check"]
    command += ["--progress-bar", "off", f"{PACKAGE}=={version}", "-d", str(directory)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise ImageError(f"pip download {PACKAGE}=={version} failed: {tail}")


def _check_version(version: str) -> None:
    if not _VERSION.match(version):
        raise ValueError(f"not a Flink version: {version!r}")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_unpacks(images: Path, version: str) -> None:
    # Holding the lock, any staging directory of this version is a crashed caller's leftover.
    for leftover in images.glob(f"{_UNPACK_PREFIX}flink-{version}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _archive_names(version: str) -> list[str]:
    # pip names wheels with underscores; source archives have used both spellings.
    return [
        f"apache_flink_libraries-{version}-*.whl",
        f"apache_flink_libraries-{version}.tar.gz",
        f"apache-flink-libraries-{version}.tar.gz",
    ]


def _find_archive(wheels: Path, version: str) -> Path | None:
    for pattern in _archive_names(version):
        found = sorted(wheels.glob(pattern))
        if found:
            return found[0]
    return None


def _fetch(wheels: Path, version: str, download: Downloader) -> Path:
    """Download into a scratch directory, then move in: a half download never looks cached."""
    wheels.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".download-", dir=wheels))
    try:
        download(version, scratch)
        fetched = _find_archive(scratch, version)
        if fetched is None:
            raise ImageError(f"downloading {PACKAGE}=={version} produced no archive")
        return fetched.rename(wheels / fetched.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _layout_path(name: str) -> PurePosixPath | None:
    """Map an archive member to its place in the distribution, or None to skip it.

    A wheel keeps the distribution under `pyflink/`, a source archive under
    `<name>-<version>/deps/`. Only files inside a directory there belong to the image
    (`lib/…`, `opt/…`): top-level Python files and READMEs do not.
    """
    parts = PurePosixPath(name).parts
    if parts[:1] == ("pyflink",):
        rest = parts[1:]
    elif len(parts) > 2 and parts[1] == "deps":
        rest = parts[2:]
    else:
        return None
    if len(rest) < 2 or rest[0] == "__pycache__" or any(p in ("", ".", "..") for p in rest):
        return None
    return PurePosixPath(*rest)


def _unpack(archive: Path, destination: Path) -> None:
    if archive.name.endswith(".whl") or zipfile.is_zipfile(archive):
        _unpack_wheel(archive, destination)
    else:
        _unpack_sdist(archive, destination)


def _unpack_wheel(archive: Path, destination: Path) -> None:
    with zipfile.ZipFile(archive) as wheel:
        for info in wheel.infolist():
            relative = _layout_path(info.filename)
            if relative is None or info.is_dir():
                continue
            executable = bool(info.external_attr >> 16 & 0o111)
            with wheel.open(info) as source:
                _write(source, destination / relative, executable=executable)


def _unpack_sdist(archive: Path, destination: Path) -> None:
    try:
        with tarfile.open(archive, mode="r:*") as sdist:
            for member in sdist:
                relative = _layout_path(member.name)
                if relative is None or not member.isfile():
                    continue  # directories are created on demand; links are not part of Flink
                source = sdist.extractfile(member)
                if source is None:
                    continue
                with source:
                    _write(source, destination / relative, executable=bool(member.mode & 0o111))
    except tarfile.TarError as exc:
        raise ImageError(f"cannot read {archive.name}: {exc}") from exc


def _write(source: IO[bytes], path: Path, *, executable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        shutil.copyfileobj(source, target, _COPY_CHUNK)
    if executable:
        path.chmod(0o755)
