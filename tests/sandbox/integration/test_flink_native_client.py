"""Flink's own native Kubernetes client, unmodified, deploys against the emulator.

`KubernetesSessionCli` (session mode) and `CliFrontend run -t kubernetes-application`
(application mode, Flink 2.x) come from flink-dist and talk to the API server through their
shaded fabric8 client, exactly as against a cluster. Nothing runs the pods here; the test
checks that each client finishes without error and that the objects it created are what a
cluster would hold: the JobManager Deployment, its two Services and the configuration
ConfigMap, each dependent owned by the Deployment (so deleting it cascades).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from emulator_process import Emulator
from kubernetes import client, config

from sandbox.images import ensure_flink

pytestmark = pytest.mark.slow

FLINK_VERSION = "2.1.1"
# What Flink's conf/config.yaml passes to every JVM on Java 17 (env.java.opts.all).
JAVA_17_OPTIONS = [
    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.text=ALL-UNNAMED",
    "--add-opens=java.base/java.time=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
]
# Short-lived client JVMs: no JIT tiers or big heaps needed.
CLIENT_JVM = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"]
LOG4J = """\
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender
appender.file.name = FileAppender
appender.file.type = File
appender.file.append = false
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
"""
NS = "default"
OWNER_FIELDS = ("api_version", "kind", "name", "uid", "controller", "block_owner_deletion")


@pytest.fixture(scope="module")
def flink_home() -> Path:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: Flink's native client runs in a JVM")
    return ensure_flink(FLINK_VERSION)


@pytest.fixture(scope="module")
def conf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    conf = tmp_path_factory.mktemp("flink-conf")
    settings = {
        "env.java.opts.all": " ".join(JAVA_17_OPTIONS),
        "jobmanager.memory.process.size": "1024m",
        "taskmanager.memory.process.size": "1024m",
    }
    (conf / "config.yaml").write_text(yaml.safe_dump(settings))
    (conf / "log4j-console.properties").write_text(LOG4J)
    return conf


def flink_command(flink_home: Path, conf_dir: Path, log: Path, *args: str) -> list[str]:
    return [
        "java",
        *JAVA_17_OPTIONS,
        *CLIENT_JVM,
        f"-Dlog.file={log}",
        f"-Dlog4j.configurationFile=file:{conf_dir / 'log4j-console.properties'}",
        "-cp",
        f"{flink_home / 'lib'}/*",
        *args,
    ]


@dataclass(frozen=True)
class ClientRun:
    """One Flink client invocation: exit code, console output and its log file."""

    returncode: int
    output: str
    log: str

    def __str__(self) -> str:
        return (
            f"rc={self.returncode}\n--- output\n{self.output[-3000:]}\n--- log\n{self.log[-5000:]}"
        )


@pytest.fixture(scope="module")
def deployed(
    module_emulator: Emulator,
    flink_home: Path,
    conf_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, ClientRun]:
    """Run both clients side by side (two JVMs on two cores) and keep their results."""
    work = tmp_path_factory.mktemp("flink-client")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(work),
        "KUBECONFIG": str(module_emulator.kubeconfig),
        "FLINK_CONF_DIR": str(conf_dir),
        "FLINK_LIB_DIR": str(flink_home / "lib"),
    }
    arguments = {
        "session": [
            "org.apache.flink.kubernetes.cli.KubernetesSessionCli",
            "-Dkubernetes.cluster-id=demo",
            f"-Dkubernetes.namespace={NS}",
            "-Dexecution.attached=false",
        ],
        "application": [
            "org.apache.flink.client.cli.CliFrontend",
            "run",
            "-t",
            "kubernetes-application",
            "-Dkubernetes.cluster-id=app1",
            f"-Dkubernetes.namespace={NS}",
            "-Dkubernetes.container.image.ref=flink:2.1",
            "local:///opt/flink/examples/streaming/StateMachineExample.jar",
        ],
    }
    processes = {
        mode: subprocess.Popen(
            flink_command(flink_home, conf_dir, work / f"{mode}.log", *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=work,
        )
        for mode, args in arguments.items()
    }
    runs = {}
    for mode, process in processes.items():
        output, _ = process.communicate(timeout=120)
        log = work / f"{mode}.log"
        runs[mode] = ClientRun(process.returncode, output, log.read_text() if log.exists() else "")
    return runs


@pytest.fixture(scope="module")
def api(module_emulator: Emulator) -> Iterator[client.ApiClient]:
    api_client = config.new_client_from_config(config_file=str(module_emulator.kubeconfig))
    yield api_client
    api_client.close()


class Case(NamedTuple):
    mode: str  # the key of `deployed`
    cluster: str  # kubernetes.cluster-id
    target: str  # execution.target Flink records in its configuration


CASES = [
    pytest.param(Case("session", "demo", "kubernetes-session"), id="session-cli"),
    pytest.param(
        Case("application", "app1", "kubernetes-application"), id="run-kubernetes-application"
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_client_reports_the_cluster_created(deployed: dict[str, ClientRun], case: Case) -> None:
    mode, cluster = case.mode, case.cluster
    run = deployed[mode]
    assert run.returncode == 0, str(run)
    kind = "session" if mode == "session" else "application"
    assert f"Create flink {kind} cluster {cluster} successfully" in run.log, str(run)
    assert f"JobManager Web Interface: http://{cluster}-rest.{NS}:8081" in run.log, str(run)
    assert " ERROR " not in run.log, str(run)


@pytest.mark.parametrize("case", CASES)
def test_jobmanager_deployment_has_flinks_labels_and_ports(
    deployed: dict[str, ClientRun], api: client.ApiClient, case: Case
) -> None:
    cluster = case.cluster
    jm = client.AppsV1Api(api).read_namespaced_deployment(cluster, NS)
    labels = {"app": cluster, "component": "jobmanager", "type": "flink-native-kubernetes"}
    assert jm.metadata.labels == labels
    assert jm.spec.selector.match_labels == labels
    assert jm.spec.replicas == 1
    container = jm.spec.template.spec.containers[0]
    assert container.name == "flink-main-container"
    assert {(p.name, p.container_port) for p in container.ports} == {
        ("rest", 8081),
        ("jobmanager-rpc", 6123),
        ("blobserver", 6124),
    }
    assert jm.metadata.uid
    assert jm.metadata.generation == 1


def owner_of(obj: Any) -> list[tuple[Any, ...]]:
    return [
        tuple(getattr(ref, f) for f in OWNER_FIELDS) for ref in obj.metadata.owner_references or []
    ]


@pytest.mark.parametrize("case", CASES)
def test_services_are_owned_by_the_deployment_with_flinks_ports(
    deployed: dict[str, ClientRun], api: client.ApiClient, case: Case
) -> None:
    cluster = case.cluster
    uid = client.AppsV1Api(api).read_namespaced_deployment(cluster, NS).metadata.uid
    owner = [("apps/v1", "Deployment", cluster, uid, True, True)]
    core = client.CoreV1Api(api)
    selector = {"app": cluster, "component": "jobmanager", "type": "flink-native-kubernetes"}

    internal = core.read_namespaced_service(cluster, NS)
    assert owner_of(internal) == owner
    assert internal.spec.cluster_ip == "None"  # headless: JobManager RPC by pod address
    assert internal.spec.selector == selector
    assert {(p.name, p.port) for p in internal.spec.ports} == {
        ("jobmanager-rpc", 6123),
        ("blobserver", 6124),
    }

    rest = core.read_namespaced_service(f"{cluster}-rest", NS)
    assert owner_of(rest) == owner
    assert rest.spec.type == "ClusterIP"
    assert rest.spec.selector == selector
    assert [(p.name, p.port, p.target_port) for p in rest.spec.ports] == [("rest", 8081, 8081)]


@pytest.mark.parametrize("case", CASES)
def test_configuration_configmap_is_owned_by_the_deployment(
    deployed: dict[str, ClientRun], api: client.ApiClient, case: Case
) -> None:
    cluster = case.cluster
    uid = client.AppsV1Api(api).read_namespaced_deployment(cluster, NS).metadata.uid
    cm = client.CoreV1Api(api).read_namespaced_config_map(f"flink-config-{cluster}", NS)
    assert owner_of(cm) == [("apps/v1", "Deployment", cluster, uid, True, True)]
    assert cm.metadata.labels == {"app": cluster, "type": "flink-native-kubernetes"}
    assert set(cm.data) == {"config.yaml", "log4j-console.properties"}
    settings = yaml.safe_load(cm.data["config.yaml"])  # Flink 2.x writes nested YAML
    assert settings["execution"]["target"] == case.target
    assert settings["kubernetes"]["cluster-id"] == cluster
    assert settings["jobmanager"]["rpc"]["address"] == f"{cluster}.{NS}"


def test_deleting_the_jobmanager_deployment_cascades_to_its_dependents(
    deployed: dict[str, ClientRun], api: client.ApiClient
) -> None:
    core = client.CoreV1Api(api)
    client.AppsV1Api(api).delete_namespaced_deployment(
        "demo", NS, body=client.V1DeleteOptions(propagation_policy="Background")
    )
    deadline = time.monotonic() + 15
    while True:
        names = {s.metadata.name for s in core.list_namespaced_service(NS).items}
        names |= {c.metadata.name for c in core.list_namespaced_config_map(NS).items}
        if not names & {"demo", "demo-rest", "flink-config-demo"}:
            break
        assert time.monotonic() < deadline, f"dependents left: {names}"
        time.sleep(0.2)
    assert client.AppsV1Api(api).read_namespaced_deployment("app1", NS).metadata.name == "app1"
