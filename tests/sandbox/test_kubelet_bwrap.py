"""The process kubelet's pure parts: image tag resolution, the bubblewrap argv, CRI log lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.kubelet.bwrap import (
    ContainerSpec,
    Mount,
    bwrap_argv,
    container_command,
    parse_java_home,
)
from sandbox.kubelet.imageroot import (
    ImageRoot,
    UnknownImageError,
    image_env,
    parse_image,
    resolve_flink_version,
)
from sandbox.kubelet.run import cri_lines, cri_timestamp, exit_code, log_file

KNOWN = ("2.2.1", "2.2.0", "2.1.3", "2.1.1", "2.1.0", "1.20.5", "1.20.3")


@pytest.mark.parametrize(
    ("image", "cached", "expected"),
    [
        ("flink:2.1", (), "2.1.3"),
        ("flink:2.1", ("2.1.1",), "2.1.1"),
        ("flink:2.1", ("2.1.0", "2.1.1"), "2.1.1"),
        ("apache/flink:2.1.1-java17", (), "2.1.1"),
        ("docker.io/library/flink:2.1.0-scala_2.12-java17", ("2.1.1",), "2.1.0"),
        ("flink:1.20-java17", (), "1.20.5"),
        ("flink:2.1.2", ("2.1.2",), "2.1.2"),
        ("flink", ("2.1.1",), "2.1.1"),
        ("flink:latest", (), "2.2.1"),
        ("flink:2.1@sha256:0123", ("2.1.1",), "2.1.1"),
        ("localhost:5000/flink:2.2", (), "2.2.1"),
    ],
    ids=[
        "minor-newest-known",
        "minor-prefers-cached",
        "minor-newest-cached",
        "full-version-with-suffix",
        "registry-prefix-exact",
        "minor-with-suffix",
        "cached-unknown-patch",
        "no-tag-is-latest-cached",
        "latest-newest-known",
        "digest-dropped",
        "registry-with-port",
    ],
)
def test_resolver_maps_image_tags_to_flink_releases(
    image: str, cached: tuple[str, ...], expected: str
) -> None:
    assert resolve_flink_version(image, cached=cached, known=KNOWN) == expected


@pytest.mark.parametrize(
    "image",
    ["nginx:1.25", "flink:nightly", "flink:3.0", "myorg/flink-job:2.1", "flink:2.1.9"],
)
def test_resolver_rejects_images_that_name_no_known_flink_release(image: str) -> None:
    with pytest.raises(UnknownImageError):
        resolve_flink_version(image, known=KNOWN)


def test_parse_image_keeps_registry_ports_out_of_the_tag() -> None:
    assert parse_image("localhost:5000/flink") == ("localhost:5000/flink", "latest")
    assert parse_image("apache/flink:2.1.1-java17") == ("apache/flink", "2.1.1-java17")


def _image() -> ImageRoot:
    return ImageRoot(
        version="2.1.1", root=Path("/cache/root"), dist=Path("/cache/dist"), env=image_env()
    )


def _spec(**changes: object) -> ContainerSpec:
    values: dict[str, object] = {
        "name": "flink-main-container",
        "image": _image(),
        "pod_dir": Path("/pods/ns_jm_uid"),
        "java_home": Path("/usr/lib/jvm/java-17"),
        "args": ["jobmanager"],
        "env": {"FLINK_PROPERTIES": "rest.port: 8081"},
        "hostname": "jm-0",
        "hosts_file": Path("/pods/ns_jm_uid/hosts"),
    }
    values.update(changes)
    return ContainerSpec(**values)  # type: ignore[arg-type]


def _pairs(argv: list[str], flag: str) -> list[tuple[str, str]]:
    return [(argv[i + 1], argv[i + 2]) for i, arg in enumerate(argv) if arg == flag]


def test_argv_builds_an_isolated_tree_on_an_empty_root() -> None:
    argv = bwrap_argv(_spec(), bwrap="/usr/bin/bwrap")
    assert argv[0] == "/usr/bin/bwrap"
    for flag in ("--die-with-parent", "--new-session", "--unshare-pid", "--as-pid-1", "--clearenv"):
        assert flag in argv
    assert argv[argv.index("--tmpfs") + 1] == "/"
    assert argv.index("--tmpfs") < argv.index("--ro-bind")
    assert ("/usr", "/usr") in _pairs(argv, "--ro-bind")
    assert ("/etc", "/etc") in _pairs(argv, "--ro-bind")
    assert ("usr/lib", "/lib") in _pairs(argv, "--symlink")
    assert ("usr/lib64", "/lib64") in _pairs(argv, "--symlink")
    assert ("usr/bin", "/bin") in _pairs(argv, "--symlink")
    assert argv[argv.index("--proc") + 1] == "/proc"
    assert argv[argv.index("--dev") + 1] == "/dev"
    assert argv[argv.index("--hostname") + 1] == "jm-0"
    assert "--unshare-net" not in argv  # pods share the host network on their own 127.x address


def test_argv_binds_image_read_only_and_container_state_writable() -> None:
    argv = bwrap_argv(_spec())
    read_only = _pairs(argv, "--ro-bind")
    writable = _pairs(argv, "--bind")
    assert ("/usr/lib/jvm/java-17", "/opt/java/openjdk") in read_only
    assert ("/cache/dist/lib", "/opt/flink/lib") in read_only
    assert ("/cache/dist/opt", "/opt/flink/opt") in read_only
    assert ("/cache/dist/plugins", "/opt/flink/plugins") in read_only
    assert ("/cache/root/bin", "/opt/flink/bin") in read_only
    assert ("/cache/root/bin/docker-entrypoint.sh", "/docker-entrypoint.sh") in read_only
    state = "/pods/ns_jm_uid/containers/flink-main-container"
    assert (f"{state}/conf", "/opt/flink/conf") in writable
    assert (f"{state}/log", "/opt/flink/log") in writable
    assert (f"{state}/tmp", "/tmp") in writable


def test_argv_binds_pod_hosts_and_hostname_over_etc() -> None:
    argv = bwrap_argv(_spec())
    read_only = _pairs(argv, "--ro-bind")
    hosts = read_only.index(("/pods/ns_jm_uid/hosts", "/etc/hosts"))
    assert read_only.index(("/etc", "/etc")) < hosts
    assert ("/pods/ns_jm_uid/hostname", "/etc/hostname") in read_only


def test_argv_without_hostname_keeps_the_uts_namespace() -> None:
    argv = bwrap_argv(_spec(hostname="", hosts_file=None))
    assert "--unshare-uts" not in argv
    assert "/etc/hosts" not in argv
    assert "/etc/hostname" not in argv


def test_volumes_follow_read_only_flag_and_nest_after_their_parents() -> None:
    mounts = [
        Mount(Path("/v/jar"), "/opt/flink/usrlib/app", read_only=True),
        Mount(Path("/v/data"), "/flink-data"),
        Mount(Path("/v/usrlib"), "/opt/flink/usrlib"),
        Mount(Path("/v/config"), "/opt/flink/conf", read_only=True),
    ]
    argv = bwrap_argv(_spec(mounts=mounts))
    assert ("/v/jar", "/opt/flink/usrlib/app") in _pairs(argv, "--ro-bind")
    assert ("/v/config", "/opt/flink/conf") in _pairs(argv, "--ro-bind")
    assert ("/v/data", "/flink-data") in _pairs(argv, "--bind")
    positions = {target: argv.index(target) for target in ("/opt/flink/usrlib", "/flink-data")}
    assert positions["/opt/flink/usrlib"] < argv.index("/opt/flink/usrlib/app")
    # a ConfigMap at /opt/flink/conf covers the container's writable copy
    assert argv.index("/v/config") > argv.index(
        "/pods/ns_jm_uid/containers/flink-main-container/conf"
    )


def test_environment_is_image_env_overlaid_by_container_env() -> None:
    argv = bwrap_argv(_spec(env={"FLINK_HOME": "/custom", "EXTRA": "a b\nc"}))
    env = dict(_pairs(argv, "--setenv"))
    assert env["FLINK_HOME"] == "/custom"
    assert env["EXTRA"] == "a b\nc"
    assert env["JAVA_HOME"] == "/opt/java/openjdk"
    assert env["PATH"].startswith("/opt/flink/bin:")
    assert env["HOSTNAME"] == "jm-0"
    assert argv.index("--clearenv") < argv.index("--setenv")


def test_argv_ends_with_working_dir_and_the_command() -> None:
    argv = bwrap_argv(_spec(working_dir="/work"))
    separator = argv.index("--")
    assert argv[separator - 2 : separator] == ["--chdir", "/work"]
    assert argv[separator + 1 :] == ["/docker-entrypoint.sh", "jobmanager"]


def test_info_fd_is_passed_when_asked() -> None:
    argv = bwrap_argv(_spec(), info_fd=7)
    assert argv[argv.index("--info-fd") + 1] == "7"
    assert "--info-fd" not in bwrap_argv(_spec())


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ((), (), ["/docker-entrypoint.sh", "help"]),
        ((), ("taskmanager",), ["/docker-entrypoint.sh", "taskmanager"]),
        (
            ("/docker-entrypoint.sh",),
            ("bash", "-c", "kubernetes-jobmanager.sh kubernetes-session"),
            ["/docker-entrypoint.sh", "bash", "-c", "kubernetes-jobmanager.sh kubernetes-session"],
        ),
        (("sleep",), (), ["sleep"]),
    ],
    ids=["image-defaults", "args-replace-cmd", "native-mode-args", "command-drops-cmd"],
)
def test_container_command_follows_kubernetes_rules(
    command: tuple[str, ...], args: tuple[str, ...], expected: list[str]
) -> None:
    assert container_command(_spec(command=command, args=args)) == expected


def test_java_home_is_read_from_xshowsettings() -> None:
    output = "Property settings:\n    java.class.path = \n    java.home = /usr/lib/jvm/jdk-17\n"
    assert parse_java_home(output) == Path("/usr/lib/jvm/jdk-17")
    with pytest.raises(RuntimeError):
        parse_java_home("openjdk version 17")


def test_cri_lines_carry_nanosecond_timestamps_and_stream() -> None:
    now = 1_767_225_600_000_000_123  # 2026-01-01T00:00:00.000000123Z
    assert cri_timestamp(now) == "2026-01-01T00:00:00.000000123Z"
    assert cri_lines("stdout", b"hello\n", now_ns=now) == [
        b"2026-01-01T00:00:00.000000123Z stdout F hello\n"
    ]
    assert cri_lines("stderr", b"\n", now_ns=now) == [b"2026-01-01T00:00:00.000000123Z stderr F \n"]


def test_long_lines_are_split_into_partial_entries() -> None:
    entries = cri_lines("stdout", b"x" * 40_000 + b"\n", now_ns=0)
    assert [entry.split(b" ")[2] for entry in entries] == [b"P", b"P", b"F"]
    assert b"".join(entry.split(b" ", 3)[3].rstrip(b"\n") for entry in entries) == b"x" * 40_000


def test_log_file_uses_kubelet_layout() -> None:
    path = log_file(
        Path("/logs"), namespace="ns", pod="jm", uid="u-1", container="main", restart_count=2
    )
    assert path == Path("/logs/ns_jm_u-1/main/2.log")


@pytest.mark.parametrize(("returncode", "expected"), [(0, 0), (3, 3), (-15, 143), (-9, 137)])
def test_exit_codes_read_as_a_runtime_reports_them(returncode: int, expected: int) -> None:
    assert exit_code(returncode) == expected
