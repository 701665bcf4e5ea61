"""The bubblewrap command line of one container: a pod's filesystem view without a runtime.

`bwrap_argv` is a pure function from a `ContainerSpec` to the argv that runs the container, so
what a container sees is decided (and unit-tested) in one place. The view: an empty tmpfs root,
the host's `/usr` and `/etc` read-only (with the usual `/lib`, `/lib64`, `/bin`, `/sbin`
links), the JDK read-only where the official image keeps it (`/opt/java/openjdk`), the image
root's read-only parts under `/opt/flink`, the container's own writable `conf/`, `log/` and
`/tmp` (from its state directory), the pod's volumes, and a per-pod `/etc/hosts` and
`/etc/hostname`. The network is the host's: every pod binds its own 127.x address.

Processes stay contained: `--unshare-pid` gives the container its own PID namespace (the whole
tree dies with its first process), `--as-pid-1` makes the container's command that first
process, as in a pod (no bubblewrap reaper in between: when the command exits, the outer
bubblewrap reaps it, so no zombie is left for a host init that may not reap orphans),
`--die-with-parent` ties it to the runner, and `--new-session` makes the container's processes
one session and process group (whose id `--info-fd` reports, so the runner signals the
container rather than bubblewrap) and keeps it off the runner's terminal.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sandbox.kubelet.imageroot import FLINK_HOME, JAVA_HOME, ImageRoot

HOST_SYMLINKS: Final = (
    ("usr/lib", "/lib"),
    ("usr/lib64", "/lib64"),
    ("usr/bin", "/bin"),
    ("usr/sbin", "/sbin"),
)


@dataclass(frozen=True)
class Mount:
    """A volume of the pod mounted into this container."""

    host_path: Path
    container_path: str
    read_only: bool = False


@dataclass(frozen=True)
class ContainerSpec:
    """What `bwrap_argv` needs to know about one container of a pod.

    `command`/`args` follow Kubernetes: an empty command means the image's entrypoint, empty
    args (with an empty command) the image's cmd. `env` is the container's environment, laid
    over the image's. `pod_dir` holds the pod's files (`hosts`, `hostname`) and per-container
    state under `containers/<name>/` (`conf`, `log`, `tmp`), which the runner prepares.
    """

    name: str
    image: ImageRoot
    pod_dir: Path
    java_home: Path
    command: Sequence[str] = ()
    args: Sequence[str] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    mounts: Sequence[Mount] = ()
    hostname: str = ""
    hosts_file: Path | None = None
    working_dir: str = FLINK_HOME

    @property
    def state_dir(self) -> Path:
        return self.pod_dir / "containers" / self.name

    @property
    def hostname_file(self) -> Path:
        return self.pod_dir / "hostname"


def container_command(spec: ContainerSpec) -> list[str]:
    """The process a container runs, by Kubernetes' rules for command, args and the image."""
    if spec.command:
        return [*spec.command, *spec.args]
    return [*spec.image.entrypoint, *(spec.args or spec.image.cmd)]


def container_env(spec: ContainerSpec) -> dict[str, str]:
    """The image's environment, then the container's (which wins), then HOSTNAME."""
    env = {**spec.image.env, **spec.env}
    if spec.hostname:
        env.setdefault("HOSTNAME", spec.hostname)
    return env


def _depth(mount: Mount) -> int:
    return len([part for part in mount.container_path.split("/") if part])


def bwrap_argv(
    spec: ContainerSpec, *, bwrap: str = "bwrap", info_fd: int | None = None
) -> list[str]:
    """The full bubblewrap argv (program first) that runs the container in the foreground.

    Later binds cover earlier ones, so the order is: host system, JDK, image, the container's
    writable state, the pod's /etc files, then volumes (shallowest first, so a volume at
    /opt/flink/usrlib lands inside /opt/flink and one at /data/x inside one at /data).
    """
    argv = [bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--as-pid-1"]
    if spec.hostname:
        argv += ["--unshare-uts", "--hostname", spec.hostname]
    if info_fd is not None:
        argv += ["--info-fd", str(info_fd)]
    argv += ["--tmpfs", "/", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for target, link in HOST_SYMLINKS:
        argv += ["--symlink", target, link]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--ro-bind", str(spec.java_home), JAVA_HOME]
    for container_path, host_path, read_only in spec.image.binds():
        argv += ["--ro-bind" if read_only else "--bind", str(host_path), container_path]
    state = spec.state_dir
    argv += ["--bind", str(state / "conf"), f"{FLINK_HOME}/conf"]
    argv += ["--bind", str(state / "log"), f"{FLINK_HOME}/log"]
    argv += ["--bind", str(state / "tmp"), "/tmp"]
    argv += ["--dir", f"{FLINK_HOME}/usrlib"]
    if spec.hosts_file is not None:
        argv += ["--ro-bind", str(spec.hosts_file), "/etc/hosts"]
    if spec.hostname:
        argv += ["--ro-bind", str(spec.hostname_file), "/etc/hostname"]
    for mount in sorted(spec.mounts, key=_depth):
        flag = "--ro-bind" if mount.read_only else "--bind"
        argv += [flag, str(mount.host_path), mount.container_path]
    argv.append("--clearenv")
    for name, value in container_env(spec).items():
        argv += ["--setenv", name, value]
    argv += ["--chdir", spec.working_dir, "--", *container_command(spec)]
    return argv


def parse_java_home(settings: str) -> Path:
    """The `java.home` line of `java -XshowSettings:properties -version` output."""
    for line in settings.splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name.strip() == "java.home":
            return Path(value.strip())
    raise RuntimeError("java -XshowSettings:properties printed no java.home")


@functools.cache
def find_java_home(java: str = "java") -> Path:
    """The JDK the host's `java` runs from (bound read-only into every container)."""
    result = subprocess.run(
        [java, "-XshowSettings:properties", "-version"],
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_java_home(result.stderr + result.stdout)
