"""Image roots: what a Flink image tag looks like inside a sandbox container.

The process kubelet runs a pod's container from a Flink distribution on local disk instead of a
container image. `resolve_flink_version` turns the image reference of a pod (`flink:2.1`,
`apache/flink:2.1.1-java17`) into a Flink release, and `build_image_root` lays out what the
official image has under `/opt/flink`: `lib/`, `opt/` and `plugins/` come read-only from the
cached distribution (`sandbox.images.ensure_flink`), while `bin/` holds small scripts of our own
(`scripts/` next to this module) that follow the image's entrypoint conventions and start the
same Java main classes Flink's scripts start. `conf/` is a template that every container gets a
writable copy of, as a container gets its own writable layer.

The resolver is a pure function of the tag, the known releases and the cached ones, so it is
tested without a network. A minor-only tag prefers a release already in the cache, like a node
with `imagePullPolicy: IfNotPresent` that has pulled the moving tag before.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sandbox.images.cache import cache_root, ensure_flink

SCRIPTS_DIR: Final = Path(__file__).parent / "scripts"
FLINK_HOME: Final = "/opt/flink"
JAVA_HOME: Final = "/opt/java/openjdk"

# apache-flink-libraries releases on PyPI (newest patch of each minor is what a minor tag means).
KNOWN_FLINK_VERSIONS: Final = (
    "2.3.0", "2.2.1", "2.2.0", "2.1.3", "2.1.2", "2.1.1", "2.1.0", "2.0.2", "2.0.1", "2.0.0",
    "1.20.5", "1.20.4", "1.20.3", "1.20.2", "1.20.1", "1.20.0", "1.19.3", "1.19.2", "1.19.1",
    "1.19.0", "1.18.1", "1.18.0",
)  # fmt: skip

_BIN_SCRIPTS: Final = (
    "docker-entrypoint.sh",
    "flink-console.sh",
    "jobmanager.sh",
    "standalone-job.sh",
    "taskmanager.sh",
    "kubernetes-jobmanager.sh",
    "kubernetes-taskmanager.sh",
    "java17-opts",
)
_CONF_FILES: Final = ("log4j-console.properties",)
_TAG_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?![\d.])")

# The official image's config.yaml after its Dockerfile's edits (bind to all interfaces).
DEFAULT_CONFIG: Final = """\
jobmanager.rpc.address: localhost
jobmanager.rpc.port: 6123
jobmanager.bind-host: 0.0.0.0
jobmanager.memory.process.size: 1600m
taskmanager.bind-host: 0.0.0.0
taskmanager.memory.process.size: 1728m
taskmanager.numberOfTaskSlots: 1
parallelism.default: 1
jobmanager.execution.failover-strategy: region
rest.address: 0.0.0.0
rest.bind-address: 0.0.0.0
"""


class UnknownImageError(ValueError):
    """The image reference names no Flink release the sandbox can provide."""


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def parse_image(image: str) -> tuple[str, str]:
    """Split an image reference into (repository, tag); digests are dropped, no tag is latest."""
    reference = image.split("@", 1)[0]
    slash = reference.rfind("/")
    colon = reference.rfind(":")
    if colon > slash:
        return reference[:colon], reference[colon + 1 :]
    return reference, "latest"


def resolve_flink_version(
    image: str,
    *,
    cached: Iterable[str] = (),
    known: Iterable[str] = KNOWN_FLINK_VERSIONS,
) -> str:
    """The Flink release an image reference stands for.

    `flink:2.1.1-java17` means exactly 2.1.1; `flink:2.1` the newest cached 2.1.x, else the
    newest known one; `flink` / `flink:latest` the newest release overall (cached first).

    Raises:
        UnknownImageError: the repository is not a Flink image or the tag names no release.
    """
    repository, tag = parse_image(image)
    if not repository.rsplit("/", 1)[-1] == "flink":
        raise UnknownImageError(f"{image}: not a Flink image (expected a repository named flink)")
    cached_set = {v for v in cached if _key(v)}
    candidates = sorted(cached_set | set(known), key=_key, reverse=True)
    if tag == "latest":
        wanted: tuple[int, ...] = ()
    else:
        match = _TAG_VERSION.match(tag)
        if match is None:
            raise UnknownImageError(f"{image}: tag {tag!r} names no Flink version")
        wanted = tuple(int(part) for part in match.groups() if part is not None)
    matching = [v for v in candidates if _key(v)[: len(wanted)] == wanted]
    if len(wanted) == 3 and matching:
        return matching[0]
    preferred = [v for v in matching if v in cached_set] or matching
    if not preferred:
        raise UnknownImageError(f"{image}: no Flink release {'.'.join(map(str, wanted))}")
    return preferred[0]


def cached_versions(*, root: Path | None = None) -> list[str]:
    """Flink versions whose distribution is already in the image cache."""
    images = (root if root is not None else cache_root()) / "images"
    if not images.is_dir():
        return []
    return [p.name.removeprefix("flink-") for p in images.glob("flink-*") if p.is_dir()]


@dataclass(frozen=True)
class ImageRoot:
    """A Flink image on local disk: the distribution plus our `bin/` and `conf/` template.

    `binds` maps container paths to (host path, read-only); `conf_template` is copied into
    every container's writable `/opt/flink/conf`. `entrypoint`, `cmd` and `env` are what the
    image's ENTRYPOINT, CMD and ENV would be.
    """

    version: str
    root: Path
    dist: Path
    entrypoint: tuple[str, ...] = ("/docker-entrypoint.sh",)
    cmd: tuple[str, ...] = ("help",)
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def conf_template(self) -> Path:
        return self.root / "conf"

    def binds(self) -> list[tuple[str, Path, bool]]:
        """(container path, host path, read-only) of the image's own read-only content."""
        return [
            ("/docker-entrypoint.sh", self.root / "bin" / "docker-entrypoint.sh", True),
            (f"{FLINK_HOME}/bin", self.root / "bin", True),
            (f"{FLINK_HOME}/lib", self.dist / "lib", True),
            (f"{FLINK_HOME}/opt", self.dist / "opt", True),
            (f"{FLINK_HOME}/plugins", self.dist / "plugins", True),
            (f"{FLINK_HOME}/examples", self.root / "examples", True),
        ]


def image_env() -> dict[str, str]:
    """The ENV lines of the official image (with the JDK where the image has it)."""
    return {
        "FLINK_HOME": FLINK_HOME,
        "JAVA_HOME": JAVA_HOME,
        "PATH": f"{FLINK_HOME}/bin:{JAVA_HOME}/bin:/usr/local/sbin:/usr/local/bin:"
        "/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C.UTF-8",
        "HOME": FLINK_HOME,
    }


def _scripts_digest() -> str:
    digest = hashlib.sha256()
    for name in (*_BIN_SCRIPTS, *_CONF_FILES):
        digest.update(name.encode() + b"\0" + (SCRIPTS_DIR / name).read_bytes())
    digest.update(DEFAULT_CONFIG.encode())
    return digest.hexdigest()[:12]


def _populate(staging: Path, dist: Path) -> None:
    for sub in ("bin", "conf", "examples"):
        (staging / sub).mkdir()
    for name in _BIN_SCRIPTS:
        target = staging / "bin" / name
        shutil.copyfile(SCRIPTS_DIR / name, target)
        target.chmod(0o755)
    shutil.copyfile(dist / "bin" / "bash-java-utils.jar", staging / "bin" / "bash-java-utils.jar")
    for name in _CONF_FILES:
        shutil.copyfile(SCRIPTS_DIR / name, staging / "conf" / name)
    (staging / "conf" / "config.yaml").write_text(DEFAULT_CONFIG)


def build_image_root(
    image: str,
    *,
    root: Path | None = None,
    ensure: Callable[[str], Path] = ensure_flink,
) -> ImageRoot:
    """Resolve an image reference and return its image root, building it the first time.

    Roots live in `<cache>/roots/flink-<version>-<digest of the scripts>`, so changed scripts
    give a new root and a root on disk is never modified; building goes to a temporary sibling
    that is renamed into place (concurrent builders both succeed, one rename wins).
    """
    base = root if root is not None else cache_root()
    version = resolve_flink_version(image, cached=cached_versions(root=base))
    dist = ensure(version)
    target = base / "roots" / f"flink-{version}-{_scripts_digest()}"
    if not target.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
        try:
            _populate(staging, dist)
            staging.rename(target)
        except OSError:
            if not target.is_dir():
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return ImageRoot(version=version, root=target, dist=dist, env=image_env())
