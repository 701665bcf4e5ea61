"""The real kubectl against the emulator: each command prints what it prints against a cluster.

One emulator serves the whole module and the steps run in the order listed, each building on
the objects the earlier ones left (a Deployment is applied, patched, rolled out, scaled,
described, deleted). Every step is a separate test whose id names the kubectl command, and
every step asserts on kubectl's own exit code and output, never on the emulator's internals.
kubectl is Google's dispatcher (/usr/bin/kubectl), which reads /version and runs the bundled
kubectl of the reported minor; every call gets a fresh HOME and discovery cache.

No controllers run here: where kubectl waits for a controller (rollout status, conditions),
the step writes the status through the status subresource the way a controller would; and
where kubectl reads a container's log, the step writes the log file where a kubelet would
(the emulator's logs directory, in kubelet's layout).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from emulator_process import KUBECTL, Emulator, Kubectl, Result, StreamLines, stop

REPO = Path(__file__).resolve().parents[3]
CRDS = REPO / "crds" / "generated"
FD_CRD = CRDS / "flinkdeployments.flink.apache.org.yaml"
SJ_CRD = CRDS / "flinksessionjobs.flink.apache.org.yaml"
CRD_PREFIX = "customresourcedefinition.apiextensions.k8s.io"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = pytest.mark.skipif(not Path(KUBECTL).exists(), reason=f"{KUBECTL} is not installed")


class Ctx:
    """What the steps share: the kubectl runner and values learned by earlier steps."""

    def __init__(self, kubectl: Kubectl, emulator: Emulator, workdir: Path) -> None:
        self.kubectl = kubectl
        self.emulator = emulator
        self.workdir = workdir
        self.values: dict[str, Any] = {}

    def ok(self, *args: str, stdin: str | None = None, **env: str) -> Result:
        """Run kubectl and require exit code 0."""
        result = self.kubectl(*args, stdin=stdin, **env)
        assert result.returncode == 0, str(result)
        return result

    def fails(self, *args: str, stdin: str | None = None) -> Result:
        result = self.kubectl(*args, stdin=stdin)
        assert result.returncode == 1, str(result)
        return result

    def jsonpath(self, resource: str, expr: str, *extra: str) -> str:
        return self.ok("get", resource, "-o", f"jsonpath={expr}", *extra).stdout


@pytest.fixture(scope="module")
def ctx(module_emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Ctx:
    workdir = tmp_path_factory.mktemp("kubectl")
    return Ctx(Kubectl(module_emulator, workdir), module_emulator, workdir)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rows(output: str) -> list[list[str]]:
    """A kubectl table as lists of cells (cells separated by 2+ spaces, as kubectl pads)."""
    return [re.split(r"\s{2,}", line.strip()) for line in output.splitlines() if line.strip()]


def header(output: str) -> list[str]:
    return rows(output)[0]


def row(output: str, first: str) -> list[str]:
    for cells in rows(output):
        if cells[0] == first:
            return cells
    pytest.fail(f"no row {first!r} in:\n{output}")


def wait_until(check: Callable[[], bool], *, timeout: float = 15, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def dump(*documents: dict[str, Any]) -> str:
    return yaml.safe_dump_all(documents, sort_keys=False)


def namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def configmap(name: str, **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def deployment(name: str, *, image: str = "nginx:1.27", replicas: int = 2) -> dict[str, Any]:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {"name": "web", "image": image, "ports": [{"containerPort": 8080}]}
                    ]
                },
            },
        },
    }


def replicaset_owned_by(owner: str, uid: str) -> dict[str, Any]:
    labels = {"app": owner}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{owner}-1",
            "labels": labels,
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "name": owner,
                    "uid": uid,
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
        },
    }


SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "selector": {"app": "web"},
        "ports": [{"name": "http", "port": 80, "targetPort": 8080}],
    },
}

FLINK_DEPLOYMENT = {
    "apiVersion": "flink.apache.org/v1beta1",
    "kind": "FlinkDeployment",
    "metadata": {"name": "basic"},
    "spec": {
        "image": "flink:2.1",
        "flinkVersion": "v2_1",
        "serviceAccount": "flink",
        "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"},
        "jobManager": {"resource": {"memory": "1024m", "cpu": 0.5}},
        "taskManager": {"resource": {"memory": "1024m", "cpu": 0.5}},
        "job": {
            "jarURI": "local:///opt/flink/examples/streaming/StateMachineExample.jar",
            "parallelism": 2,
            "upgradeMode": "stateless",
        },
    },
}


def flink_deployment(name: str, **job: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(FLINK_DEPLOYMENT))
    document["metadata"]["name"] = name
    document["spec"]["job"].update(job)
    return document


STEPS: list[Any] = []


def step(
    step_id: str, *marks: pytest.MarkDecorator
) -> Callable[[Callable[[Ctx], None]], Callable[[Ctx], None]]:
    """Register a step; the matrix runs steps in the order they are defined."""

    def register(function: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
        STEPS.append(pytest.param(function, id=step_id, marks=marks))
        return function

    return register


# --- cluster and discovery -------------------------------------------------------------------


@step("version")
def _version(c: Ctx) -> None:
    versions = json.loads(c.ok("version", "-o", "json").stdout)
    server = versions["serverVersion"]
    assert (server["major"], server["minor"]) == ("1", "33")
    assert server["gitVersion"].startswith("v1.33.")
    assert versions["clientVersion"]["minor"] == "33"  # the dispatcher picked kubectl 1.33


@step("cluster-info")
def _cluster_info(c: Ctx) -> None:
    out = ANSI.sub("", c.ok("cluster-info").stdout)
    assert f"Kubernetes control plane is running at {c.emulator.url}" in out


@step("get-namespaces")
def _get_namespaces(c: Ctx) -> None:
    out = c.ok("get", "namespaces").stdout
    assert header(out) == ["NAME", "STATUS", "AGE"]
    names = ["default", "kube-node-lease", "kube-public", "kube-system"]
    assert [(cells[0], cells[1]) for cells in rows(out)[1:]] == [(n, "Active") for n in names]


@step("api-resources")
def _api_resources(c: Ctx) -> None:
    out = c.ok("api-resources").stdout
    assert header(out) == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    table = [line.split() for line in out.splitlines()]
    for expected in (
        ["pods", "po", "v1", "true", "Pod"],
        ["namespaces", "ns", "v1", "false", "Namespace"],
        ["configmaps", "cm", "v1", "true", "ConfigMap"],
        ["deployments", "deploy", "apps/v1", "true", "Deployment"],
        ["events", "ev", "events.k8s.io/v1", "true", "Event"],
        [
            "customresourcedefinitions",
            "crd,crds",
            "apiextensions.k8s.io/v1",
            "false",
            "CustomResourceDefinition",
        ],
    ):
        assert expected in table, expected


@step("auth-can-i")
def _auth_can_i(c: Ctx) -> None:
    assert c.ok("auth", "can-i", "create", "deployments").stdout == "yes\n"


@step("create-crd")
def _create_crd(c: Ctx) -> None:
    out = c.ok("create", "-f", str(FD_CRD)).stdout
    assert out == f"{CRD_PREFIX}/flinkdeployments.flink.apache.org created\n"


@step("apply-server-side-crd")
def _apply_server_side_crd(c: Ctx) -> None:
    out = c.ok("apply", "--server-side", "-f", str(SJ_CRD)).stdout
    assert out == f"{CRD_PREFIX}/flinksessionjobs.flink.apache.org serverside-applied\n"


@step("wait-for-condition-crd-established")
def _wait_crd_established(c: Ctx) -> None:
    out = c.ok(
        "wait",
        "--for=condition=Established",
        "crd/flinkdeployments.flink.apache.org",
        "crd/flinksessionjobs.flink.apache.org",
        "--timeout=30s",
    ).stdout
    assert out.splitlines() == [
        f"{CRD_PREFIX}/flinkdeployments.flink.apache.org condition met",
        f"{CRD_PREFIX}/flinksessionjobs.flink.apache.org condition met",
    ]


@step("api-resources-crd-short-names")
def _api_resources_crds(c: Ctx) -> None:
    out = c.ok("api-resources", "--api-group=flink.apache.org", "-o", "wide").stdout
    assert header(out) == [
        "NAME",
        "SHORTNAMES",
        "APIVERSION",
        "NAMESPACED",
        "KIND",
        "VERBS",
        "CATEGORIES",
    ]
    fd = out.splitlines()[1:]
    table = {line.split()[0]: line.split() for line in fd}
    assert table["flinkdeployments"][:5] == [
        "flinkdeployments",
        "flinkdep",
        "flink.apache.org/v1beta1",
        "true",
        "FlinkDeployment",
    ]
    assert table["flinksessionjobs"][:5] == [
        "flinksessionjobs",
        "sessionjob",
        "flink.apache.org/v1beta1",
        "true",
        "FlinkSessionJob",
    ]
    assert table["flinkdeployments"][-1] == "flink"


@step("get-crd")
def _get_crd(c: Ctx) -> None:
    out = c.ok("get", "crd").stdout
    assert header(out) == ["NAME", "CREATED AT"]
    created = row(out, "flinkdeployments.flink.apache.org")[1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created)
    row(out, "flinksessionjobs.flink.apache.org")


@step("explain-cr-field")
def _explain(c: Ctx) -> None:
    out = c.ok("explain", "flinkdeployments.spec.job.upgradeMode").stdout
    lines = out.splitlines()
    assert lines[:3] == [
        "GROUP:      flink.apache.org",
        "KIND:       FlinkDeployment",
        "VERSION:    v1beta1",
    ]
    assert "FIELD: upgradeMode <string>" in lines
    assert "ENUM:" in lines
    assert [line.strip() for line in lines[lines.index("ENUM:") + 1 :][:3]] == [
        "stateless",
        "savepoint",
        "last-state",
    ]
    assert "How state is carried across upgrades" in out


# --- create, apply, replace ------------------------------------------------------------------


# kubectl's typed create commands send protobuf bodies (application/vnd.kubernetes.protobuf).
@step("create-namespace-generator")
def _create_namespace_generator(c: Ctx) -> None:
    assert c.ok("create", "namespace", "generated").stdout == "namespace/generated created\n"


@step("create-configmap-generator")
def _create_configmap_generator(c: Ctx) -> None:
    out = c.ok("create", "configmap", "generated", "--from-literal=a=1").stdout
    assert out == "configmap/generated created\n"


@step("create-f-namespace")
def _create_namespace(c: Ctx) -> None:
    out = c.ok("create", "-f", "-", stdin=dump(namespace("matrix"))).stdout
    assert out == "namespace/matrix created\n"


@step("create-f-configmap")
def _create_configmap(c: Ctx) -> None:
    assert c.ok("create", "-f", "-", stdin=dump(configmap("cm1", a="1"))).stdout == (
        "configmap/cm1 created\n"
    )
    out = c.ok("create", "-n", "matrix", "-f", "-", stdin=dump(configmap("cm2", b="2"))).stdout
    assert out == "configmap/cm2 created\n"


@step("create-in-missing-namespace")
def _create_in_missing_namespace(c: Ctx) -> None:
    result = c.fails("create", "-n", "nowhere", "-f", "-", stdin=dump(configmap("lost", a="1")))
    assert result.stderr == (
        'Error from server (NotFound): error when creating "STDIN": '
        'namespaces "nowhere" not found\n'
    )


@step("create-already-exists")
def _create_already_exists(c: Ctx) -> None:
    result = c.fails("create", "-f", "-", stdin=dump(configmap("cm1", a="1")))
    assert result.stderr == (
        'Error from server (AlreadyExists): error when creating "STDIN": '
        'configmaps "cm1" already exists\n'
    )


@step("create-dry-run-server")
def _create_dry_run(c: Ctx) -> None:
    document = dump(configmap("dry", a="1"))
    out = c.ok("create", "--dry-run=server", "-o", "name", "-f", "-", stdin=document).stdout
    assert out == "configmap/dry\n"
    missing = c.fails("get", "configmap", "dry")
    assert missing.stderr == 'Error from server (NotFound): configmaps "dry" not found\n'


@step("create-unknown-field-strict")
def _create_unknown_field(c: Ctx) -> None:
    document = configmap("strict", a="1") | {"bogus": 1}
    result = c.fails("create", "-f", "-", stdin=dump(document))
    assert result.stderr == (
        'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" '
        'cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"\n'
    )


@step("create-wrong-field-type")
def _create_wrong_type(c: Ctx) -> None:
    result = c.fails("create", "-f", "-", stdin=dump(configmap("typed") | {"data": {"n": 1}}))
    assert result.stderr == (
        'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" '
        "cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field "
        "ConfigMap.data of type string\n"
    )


@step("apply-create")
def _apply_create(c: Ctx) -> None:
    out = c.ok("apply", "-f", "-", stdin=dump(deployment("web"))).stdout
    assert out == "deployment.apps/web created\n"


@step("apply-unchanged")
def _apply_unchanged(c: Ctx) -> None:
    out = c.ok("apply", "-f", "-", stdin=dump(deployment("web"))).stdout
    assert out == "deployment.apps/web unchanged\n"


@step("apply-configured")
def _apply_configured(c: Ctx) -> None:
    out = c.ok("apply", "-f", "-", stdin=dump(deployment("web", image="nginx:1.28"))).stdout
    assert out == "deployment.apps/web configured\n"
    assert c.jsonpath("deployment/web", "{.spec.template.spec.containers[0].image}") == "nginx:1.28"
    assert c.jsonpath("deployment/web", "{.metadata.generation}") == "2"


@step("apply-server-side")
def _apply_server_side(c: Ctx) -> None:
    out = c.ok("apply", "--server-side", "-f", "-", stdin=dump(SERVICE)).stdout
    assert out == "service/web serverside-applied\n"
    managers = c.jsonpath("service/web", "{.metadata.managedFields[*].manager}")
    assert managers == "kubectl"


@step("apply-server-side-conflict")
def _apply_server_side_conflict(c: Ctx) -> None:
    changed = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm1"},
        "data": {"a": "changed"},
    }
    result = c.fails("apply", "--server-side", "-f", "-", stdin=dump(changed))
    assert (
        'Apply failed with 1 conflict: conflict with "kubectl-create" using v1: .data.a'
        in result.stderr
    )


@step("apply-server-side-force-conflicts")
def _apply_server_side_force(c: Ctx) -> None:
    changed = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm1"},
        "data": {"a": "changed"},
    }
    out = c.ok("apply", "--server-side", "--force-conflicts", "-f", "-", stdin=dump(changed)).stdout
    assert out == "configmap/cm1 serverside-applied\n"
    assert c.jsonpath("configmap/cm1", "{.data.a}") == "changed"


@step("replace")
def _replace(c: Ctx) -> None:
    document = json.loads(c.ok("get", "configmap", "cm1", "-o", "json").stdout)
    document["data"]["c"] = "3"
    assert (
        c.ok("replace", "-f", "-", stdin=json.dumps(document)).stdout == "configmap/cm1 replaced\n"
    )
    stale = c.fails("replace", "-f", "-", stdin=json.dumps(document))
    assert stale.stderr.startswith('Error from server (Conflict): error when replacing "STDIN": ')
    assert (
        'Operation cannot be fulfilled on configmaps "cm1": the object has been modified'
        in stale.stderr
    )


# --- get and its output formats --------------------------------------------------------------


@step("get-default")
def _get_default(c: Ctx) -> None:
    out = c.ok("get", "deployments").stdout
    assert header(out) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert row(out, "web")[1:4] == ["0/2", "0", "0"]


@step("get-o-wide")
def _get_wide(c: Ctx) -> None:
    out = c.ok("get", "deployment", "web", "-o", "wide").stdout
    assert header(out) == [
        "NAME",
        "READY",
        "UP-TO-DATE",
        "AVAILABLE",
        "AGE",
        "CONTAINERS",
        "IMAGES",
        "SELECTOR",
    ]
    assert row(out, "web")[-3:] == ["web", "nginx:1.28", "app=web"]


@step("get-o-yaml")
def _get_yaml(c: Ctx) -> None:
    document = yaml.safe_load(c.ok("get", "deployment", "web", "-o", "yaml").stdout)
    assert (document["apiVersion"], document["kind"]) == ("apps/v1", "Deployment")
    assert document["metadata"]["name"] == "web"
    assert document["metadata"]["namespace"] == "default"
    assert re.fullmatch(r"[0-9a-f-]{36}", document["metadata"]["uid"])
    assert document["spec"]["strategy"]["type"] == "RollingUpdate"  # defaulted by the server
    assert "kubectl.kubernetes.io/last-applied-configuration" in document["metadata"]["annotations"]


@step("get-o-json-list")
def _get_json(c: Ctx) -> None:
    document = json.loads(c.ok("get", "configmaps", "-o", "json").stdout)
    assert (document["apiVersion"], document["kind"]) == ("v1", "List")
    assert "cm1" in [item["metadata"]["name"] for item in document["items"]]
    assert all(item["kind"] == "ConfigMap" for item in document["items"])


@step("get-o-jsonpath")
def _get_jsonpath(c: Ctx) -> None:
    out = c.ok(
        "get",
        "deployments",
        "-o",
        'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas}{"\\n"}{end}',
    ).stdout
    assert "web=2\n" in out


@step("get-o-custom-columns")
def _get_custom_columns(c: Ctx) -> None:
    out = c.ok(
        "get",
        "deployment",
        "web",
        "-o",
        "custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas,IMAGE:.spec.template.spec.containers[0].image",
    ).stdout
    assert rows(out) == [["NAME", "REPLICAS", "IMAGE"], ["web", "2", "nginx:1.28"]]


@step("get-o-name")
def _get_name(c: Ctx) -> None:
    out = c.ok("get", "deployments,services", "-o", "name").stdout
    assert "deployment.apps/web\n" in out
    assert "service/web\n" in out


@step("get-not-found")
def _get_not_found(c: Ctx) -> None:
    result = c.fails("get", "configmap", "nope")
    assert result.stderr == 'Error from server (NotFound): configmaps "nope" not found\n'
    assert result.stdout == ""


@step("get-empty-namespace")
def _get_empty(c: Ctx) -> None:
    result = c.ok("get", "deployments", "-n", "matrix")
    assert result.stdout == ""
    assert result.stderr == "No resources found in matrix namespace.\n"


# --- label, annotate, selectors --------------------------------------------------------------


@step("label")
def _label(c: Ctx) -> None:
    assert c.ok("label", "configmap", "cm1", "tier=backend").stdout == "configmap/cm1 labeled\n"
    overwrite = c.fails("label", "configmap", "cm1", "tier=frontend")
    assert overwrite.stderr == (
        "error: 'tier' already has a value (backend), and --overwrite is false\n"
    )


@step("get-l-selector")
def _get_selector(c: Ctx) -> None:
    c.ok("create", "-f", "-", stdin=dump(configmap("cm3", x="z")))
    c.ok("label", "configmap", "cm3", "tier=frontend")
    out = c.ok("get", "configmaps", "-l", "tier=backend").stdout
    assert [cells[0] for cells in rows(out)] == ["NAME", "cm1"]
    out = c.ok("get", "configmaps", "-l", "tier in (backend,frontend)", "--show-labels").stdout
    assert header(out) == ["NAME", "DATA", "AGE", "LABELS"]
    assert row(out, "cm3")[-1] == "tier=frontend"
    assert [cells[0] for cells in rows(out)] == ["NAME", "cm1", "cm3"]


@step("label-remove")
def _label_remove(c: Ctx) -> None:
    assert c.ok("label", "configmap", "cm3", "tier-").stdout == "configmap/cm3 unlabeled\n"


@step("annotate")
def _annotate(c: Ctx) -> None:
    assert (
        c.ok("annotate", "configmap", "cm1", "owner=matrix").stdout == "configmap/cm1 annotated\n"
    )
    assert c.jsonpath("configmap/cm1", "{.metadata.annotations.owner}") == "matrix"


@step("get-A-all-namespaces")
def _get_all_namespaces(c: Ctx) -> None:
    out = c.ok("get", "configmaps", "-A").stdout
    assert header(out) == ["NAMESPACE", "NAME", "DATA", "AGE"]
    table = rows(out)
    assert ["default", "cm1", "2"] in [cells[:3] for cells in table]
    assert ["matrix", "cm2", "1"] in [cells[:3] for cells in table]


# --- patch ------------------------------------------------------------------------------------


@step("patch-merge")
def _patch_merge(c: Ctx) -> None:
    patch = '{"metadata":{"labels":{"patched":"merge"}}}'
    assert (
        c.ok("patch", "deployment", "web", "--type=merge", "-p", patch).stdout
        == "deployment.apps/web patched\n"
    )
    again = c.ok("patch", "deployment", "web", "--type=merge", "-p", patch).stdout
    assert again == "deployment.apps/web patched (no change)\n"


@step("patch-json")
def _patch_json(c: Ctx) -> None:
    patch = '[{"op":"add","path":"/metadata/labels/json","value":"yes"}]'
    assert (
        c.ok("patch", "deployment", "web", "--type=json", "-p", patch).stdout
        == "deployment.apps/web patched\n"
    )
    assert c.jsonpath("deployment/web", "{.metadata.labels.json}") == "yes"
    failed = c.fails(
        "patch",
        "deployment",
        "web",
        "--type=json",
        "-p",
        '[{"op":"test","path":"/spec/replicas","value":7}]',
    )
    assert failed.stderr == (
        "The request is invalid: the server rejected our request due to an error in our request\n"
    )


@step("patch-strategic")
def _patch_strategic(c: Ctx) -> None:
    patch = (
        '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}'
    )
    assert c.ok("patch", "deployment", "web", "-p", patch).stdout == "deployment.apps/web patched\n"
    names = c.jsonpath("deployment/web", "{.spec.template.spec.containers[*].name}").split()
    assert sorted(names) == ["sidecar", "web"]  # merged by name, not replaced


@step("patch-subresource-status")
def _patch_status(c: Ctx) -> None:
    generation = int(c.jsonpath("deployment/web", "{.metadata.generation}"))
    stamp = now()
    status = {
        "observedGeneration": generation,
        "replicas": 2,
        "updatedReplicas": 2,
        "readyReplicas": 2,
        "availableReplicas": 2,
        "conditions": [
            {
                "type": "Available",
                "status": "True",
                "reason": "MinimumReplicasAvailable",
                "message": "Deployment has minimum availability.",
                "lastUpdateTime": stamp,
                "lastTransitionTime": stamp,
            },
            {
                "type": "Progressing",
                "status": "True",
                "reason": "NewReplicaSetAvailable",
                "message": 'ReplicaSet "web-5d8f6c7b9" has successfully progressed.',
                "lastUpdateTime": stamp,
                "lastTransitionTime": stamp,
            },
        ],
    }
    out = c.ok(
        "patch",
        "deployment",
        "web",
        "--subresource=status",
        "--type=merge",
        "-p",
        json.dumps({"status": status}),
    ).stdout
    assert out == "deployment.apps/web patched\n"
    assert row(c.ok("get", "deployment", "web").stdout, "web")[1:4] == ["2/2", "2", "2"]
    assert c.jsonpath("deployment/web", "{.metadata.generation}") == str(generation)


@step("rollout-status")
def _rollout_status(c: Ctx) -> None:
    out = c.ok("rollout", "status", "deployment/web", "--timeout=20s").stdout
    assert out == 'deployment "web" successfully rolled out\n'


@step("wait-for-condition")
def _wait_condition(c: Ctx) -> None:
    out = c.ok("wait", "--for=condition=Available", "deployment/web", "--timeout=20s").stdout
    assert out == "deployment.apps/web condition met\n"


@step("scale-deployment")
def _scale_deployment(c: Ctx) -> None:
    assert (
        c.ok("scale", "deployment", "web", "--replicas=3").stdout == "deployment.apps/web scaled\n"
    )
    assert c.jsonpath("deployment/web", "{.spec.replicas}") == "3"
    scale = json.loads(
        c.ok("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/web/scale").stdout
    )
    assert (scale["apiVersion"], scale["kind"]) == ("autoscaling/v1", "Scale")
    assert scale["spec"] == {"replicas": 3}
    assert scale["status"] == {"replicas": 2, "selector": "app=web"}


# --- events and describe ----------------------------------------------------------------------


@step("create-event")
def _create_event(c: Ctx) -> None:
    uid = c.jsonpath("deployment/web", "{.metadata.uid}")
    stamp = now()
    event = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": "web.matrix1"},
        "involvedObject": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": "web",
            "namespace": "default",
            "uid": uid,
        },
        "reason": "ScalingReplicaSet",
        "message": "Scaled up replica set web-5d8f6c7b9 to 2",
        "type": "Normal",
        "source": {"component": "deployment-controller"},
        "firstTimestamp": stamp,
        "lastTimestamp": stamp,
        "count": 1,
    }
    assert c.ok("create", "-f", "-", stdin=dump(event)).stdout == "event/web.matrix1 created\n"


@step("describe-with-events")
def _describe(c: Ctx) -> None:
    out = c.ok("describe", "deployment", "web").stdout
    assert re.search(r"^Name:\s+web$", out, re.M)
    assert re.search(r"^Namespace:\s+default$", out, re.M)
    assert re.search(r"^Selector:\s+app=web$", out, re.M)
    assert re.search(
        r"^Replicas:\s+3 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable$",
        out,
        re.M,
    )
    events = out[out.index("\nEvents:") + 1 :].splitlines()
    assert events[1].split() == ["Type", "Reason", "Age", "From", "Message"]
    assert events[3].split()[:2] == ["Normal", "ScalingReplicaSet"]
    assert events[3].endswith("deployment-controller  Scaled up replica set web-5d8f6c7b9 to 2")


@step("events")
def _events(c: Ctx) -> None:
    out = c.ok("events", "--for", "deployment/web").stdout
    assert header(out) == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert rows(out)[1][1:] == [
        "Normal",
        "ScalingReplicaSet",
        "Deployment/web",
        "Scaled up replica set web-5d8f6c7b9 to 2",
    ]


@step("get-events")
def _get_events(c: Ctx) -> None:
    out = c.ok("get", "events").stdout
    assert header(out) == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert ["Normal", "ScalingReplicaSet", "deployment/web"] in [cells[1:4] for cells in rows(out)]


# --- custom resources -------------------------------------------------------------------------


@step("apply-cr")
def _apply_cr(c: Ctx) -> None:
    out = c.ok("apply", "-f", "-", stdin=dump(FLINK_DEPLOYMENT)).stdout
    assert out == "flinkdeployment.flink.apache.org/basic created\n"


@step("apply-cr-invalid-enum")
def _apply_cr_invalid(c: Ctx) -> None:
    result = c.fails(
        "apply", "-f", "-", stdin=dump(flink_deployment("bad", upgradeMode="sometimes"))
    )
    assert result.stderr == (
        'The FlinkDeployment "bad" is invalid: spec.job.upgradeMode: Unsupported value: '
        '"sometimes": supported values: "stateless", "savepoint", "last-state"\n'
    )


@step("apply-cr-unknown-field-strict")
def _apply_cr_unknown_field(c: Ctx) -> None:
    document = flink_deployment("strict")
    document["spec"]["bogus"] = True
    result = c.fails("apply", "-f", "-", stdin=dump(document))
    assert result.stderr == (
        'Error from server (BadRequest): error when creating "STDIN": FlinkDeployment in version '
        '"v1beta1" cannot be handled as a FlinkDeployment: strict decoding error: '
        'unknown field "spec.bogus"\n'
    )


@step("get-cr-short-name")
def _get_cr(c: Ctx) -> None:
    out = c.ok("get", "flinkdep").stdout
    assert header(out) == ["NAME", "JOB STATUS", "LIFECYCLE STATE", "AGE"]
    assert row(out, "basic")[0] == "basic"


@step("get-category")
def _get_category(c: Ctx) -> None:
    out = c.ok("get", "flink").stdout
    assert header(out) == ["NAME", "JOB STATUS", "LIFECYCLE STATE", "AGE"]
    assert row(out, "flinkdeployment.flink.apache.org/basic")


@step("patch-cr-subresource-status")
def _patch_cr_status(c: Ctx) -> None:
    status = {
        "jobStatus": {"state": "RUNNING"},
        "lifecycleState": "STABLE",
        "taskManager": {"replicas": 1, "labelSelector": "app=basic,component=taskmanager"},
        "conditions": [
            {
                "type": "Running",
                "status": "True",
                "reason": "JobRunning",
                "message": "running",
                "lastTransitionTime": now(),
            }
        ],
    }
    out = c.ok(
        "patch",
        "flinkdeployment",
        "basic",
        "--subresource=status",
        "--type=merge",
        "-p",
        json.dumps({"status": status}),
    ).stdout
    assert out == "flinkdeployment.flink.apache.org/basic patched\n"
    assert row(c.ok("get", "flinkdep", "basic").stdout, "basic")[1:3] == ["RUNNING", "STABLE"]


@step("patch-strategic-cr-unsupported")
def _patch_strategic_cr(c: Ctx) -> None:
    result = c.fails("patch", "flinkdeployment", "basic", "-p", '{"spec":{"image":"flink:2.2"}}')
    assert result.stderr == (
        "error: application/strategic-merge-patch+json is not supported by "
        "flink.apache.org/v1beta1, Kind=FlinkDeployment: the body of the request was in an "
        "unknown format - accepted media types include: application/json-patch+json, "
        "application/merge-patch+json, application/apply-patch+yaml\n"
    )


@step("wait-for-jsonpath")
def _wait_jsonpath(c: Ctx) -> None:
    out = c.ok(
        "wait",
        "--for=jsonpath={.status.jobStatus.state}=RUNNING",
        "flinkdeployment/basic",
        "--timeout=20s",
    ).stdout
    assert out == "flinkdeployment.flink.apache.org/basic condition met\n"


@step("wait-for-condition-cr")
def _wait_cr_condition(c: Ctx) -> None:
    out = c.ok("wait", "--for=condition=Running", "flinkdep/basic", "--timeout=20s").stdout
    assert out == "flinkdeployment.flink.apache.org/basic condition met\n"


@step("scale-cr")
def _scale_cr(c: Ctx) -> None:
    out = c.ok("scale", "flinkdeployment", "basic", "--replicas=3").stdout
    assert out == "flinkdeployment.flink.apache.org/basic scaled\n"
    assert c.jsonpath("flinkdeployment/basic", "{.spec.taskManager.replicas}") == "3"
    scale = json.loads(
        c.ok(
            "get",
            "--raw",
            "/apis/flink.apache.org/v1beta1/namespaces/default/flinkdeployments/basic/scale",
        ).stdout
    )
    assert scale["spec"] == {"replicas": 3}
    assert scale["status"] == {"replicas": 1, "selector": "app=basic,component=taskmanager"}


@step("edit")
def _edit(c: Ctx) -> None:
    editor = c.workdir / "editor.sh"
    editor.write_text(
        '#!/bin/sh\nsed -i "s/upgradeMode: stateless/upgradeMode: last-state/" "$1"\n'
    )
    editor.chmod(0o755)
    out = c.ok("edit", "flinkdeployment", "basic", EDITOR=str(editor)).stdout
    assert out == "flinkdeployment.flink.apache.org/basic edited\n"
    assert c.jsonpath("flinkdeployment/basic", "{.spec.job.upgradeMode}") == "last-state"
    assert c.jsonpath("flinkdeployment/basic", "{.metadata.generation}") == "3"  # scale, edit


# --- watch, logs ------------------------------------------------------------------------------


@step("get-w-watch", pytest.mark.slow)
def _get_watch(c: Ctx) -> None:
    c.ok("create", "-f", "-", stdin=dump(configmap("watched", k="v")))
    watch = c.kubectl.popen(
        "get",
        "configmaps",
        "--watch",
        "--output-watch-events",
        "--field-selector",
        "metadata.name=watched",
    )
    try:
        lines = StreamLines(watch.stdout)  # type: ignore[arg-type]
        assert lines.wait_for("watched").split()[:3] == ["ADDED", "watched", "1"]
        c.ok("label", "configmap", "watched", "step=two")
        assert lines.wait_for("MODIFIED").split()[:2] == ["MODIFIED", "watched"]
        c.ok("delete", "configmap", "watched")
        assert lines.wait_for("DELETED").split()[:2] == ["DELETED", "watched"]
        assert lines.lines[0].split() == ["EVENT", "NAME", "DATA", "AGE"]
        assert watch.poll() is None  # the stream stays open
    finally:
        stop(watch)


def cri_line(text: str) -> str:
    """One line in the container runtime's log format, as kubelet's log files hold it."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{stamp} stdout F {text}\n"


def container_state(c: Ctx, pod: str, state: dict[str, Any]) -> None:
    status = {
        "phase": "Running" if "running" in state else "Succeeded",
        "containerStatuses": [
            {
                "name": pod,
                "image": "busybox:1.36",
                "imageID": "",
                "ready": "running" in state,
                "restartCount": 0,
                "state": state,
            }
        ],
    }
    patch = json.dumps({"status": status})
    c.ok("patch", "pod", pod, "--subresource=status", "--type=merge", "-p", patch)


@step("logs")
def _logs(c: Ctx) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "logger", "labels": {"app": "logger"}},
        "spec": {
            "nodeName": "sandbox",
            "containers": [{"name": "logger", "image": "busybox:1.36"}],
        },
    }
    c.ok("apply", "-f", "-", stdin=dump(pod))
    container_state(c, "logger", {"running": {"startedAt": now()}})
    uid = c.jsonpath("pod/logger", "{.metadata.uid}")
    log = c.emulator.data_dir / "logs" / f"default_logger_{uid}" / "logger" / "0.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(cri_line("first line") + cri_line("second line"))
    c.values["log"] = log
    assert c.ok("logs", "logger").stdout == "first line\nsecond line\n"
    assert c.ok("logs", "pod/logger", "--tail=1").stdout == "second line\n"


@step("logs-f-follow", pytest.mark.slow)
def _logs_follow(c: Ctx) -> None:
    follow = c.kubectl.popen("logs", "-f", "logger")
    try:
        lines = StreamLines(follow.stdout)  # type: ignore[arg-type]
        lines.wait_for("second line")
        with c.values["log"].open("a") as log:
            log.write(cri_line("appended while following"))
        lines.wait_for("appended while following")
        assert follow.poll() is None
        # The stream ends when the container does, and kubectl with it.
        container_state(c, "logger", {"terminated": {"exitCode": 0, "reason": "Completed"}})
        assert follow.wait(timeout=15) == 0
    finally:
        stop(follow)
    assert lines.lines == ["first line", "second line", "appended while following"]


# --- delete -----------------------------------------------------------------------------------


@step("delete")
def _delete(c: Ctx) -> None:
    assert c.ok("delete", "configmap", "cm3").stdout == 'configmap "cm3" deleted\n'
    missing = c.fails("delete", "configmap", "cm3")
    assert missing.stderr == 'Error from server (NotFound): configmaps "cm3" not found\n'


@step("delete-wait-finalizer", pytest.mark.slow)
def _delete_wait(c: Ctx) -> None:
    held = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "held", "finalizers": ["example.com/hold"]},
    }
    c.ok("create", "-f", "-", stdin=dump(held))
    deleting = c.kubectl.popen("delete", "configmap", "held", "--wait=true", "--timeout=30s")
    try:
        wait_until(
            lambda: c.jsonpath("configmap/held", "{.metadata.deletionTimestamp}") != "",
            what="deletionTimestamp",
        )
        time.sleep(0.5)
        assert deleting.poll() is None  # still waiting for the finalizer
        c.ok(
            "patch",
            "configmap",
            "held",
            "--type=json",
            "-p",
            '[{"op":"remove","path":"/metadata/finalizers"}]',
        )
        out, err = deleting.communicate(timeout=20)
    finally:
        stop(deleting)
    assert deleting.returncode == 0, err
    assert out == 'configmap "held" deleted\n'


@step("wait-for-delete", pytest.mark.slow)
def _wait_delete(c: Ctx) -> None:
    c.ok("create", "-f", "-", stdin=dump(configmap("doomed", a="1")))
    waiting = c.kubectl.popen("wait", "--for=delete", "configmap/doomed", "--timeout=30s")
    try:
        time.sleep(1.0)
        assert waiting.poll() is None
        c.ok("delete", "configmap", "doomed")
        out, err = waiting.communicate(timeout=20)
    finally:
        stop(waiting)
    assert waiting.returncode == 0, err
    assert out == "configmap/doomed condition met\n"


def owned_replicaset(c: Ctx, name: str) -> None:
    c.ok("apply", "-f", "-", stdin=dump(deployment(name)))
    uid = c.jsonpath(f"deployment/{name}", "{.metadata.uid}")
    c.ok("create", "-f", "-", stdin=dump(replicaset_owned_by(name, uid)))


def gone(c: Ctx, resource: str) -> bool:
    result = c.kubectl("get", resource)
    return result.returncode == 1 and "(NotFound)" in result.stderr


@step("delete-cascade-background")
def _delete_background(c: Ctx) -> None:
    owned_replicaset(c, "cascade-bg")
    out = c.ok("delete", "deployment", "cascade-bg").stdout
    assert out == 'deployment.apps "cascade-bg" deleted\n'
    wait_until(
        lambda: gone(c, "replicaset/cascade-bg-1"), what="the dependent ReplicaSet to be collected"
    )


@step("delete-cascade-foreground")
def _delete_foreground(c: Ctx) -> None:
    owned_replicaset(c, "cascade-fg")
    out = c.ok("delete", "deployment", "cascade-fg", "--cascade=foreground", "--timeout=30s").stdout
    assert out == 'deployment.apps "cascade-fg" deleted\n'
    assert gone(c, "replicaset/cascade-fg-1")  # dependents go first, then the owner


@step("delete-cascade-orphan")
def _delete_orphan(c: Ctx) -> None:
    owned_replicaset(c, "cascade-or")
    out = c.ok("delete", "deployment", "cascade-or", "--cascade=orphan").stdout
    assert out == 'deployment.apps "cascade-or" deleted\n'
    wait_until(lambda: gone(c, "deployment/cascade-or"), what="the owner to go")
    assert c.jsonpath("replicaset/cascade-or-1", "{.metadata.ownerReferences}") == ""


@step("delete-namespace-cascade", pytest.mark.slow)
def _delete_namespace(c: Ctx) -> None:
    c.ok("apply", "-n", "matrix", "-f", "-", stdin=dump(deployment("inner")))
    out = c.ok("delete", "namespace", "matrix", "--timeout=60s").stdout
    assert out == 'namespace "matrix" deleted\n'
    missing = c.fails("get", "namespace", "matrix")
    assert missing.stderr == 'Error from server (NotFound): namespaces "matrix" not found\n'
    leftovers = c.ok("get", "configmaps,deployments", "-n", "matrix")
    assert leftovers.stderr == "No resources found in matrix namespace.\n"


@step("delete-crd-cascade")
def _delete_crd(c: Ctx) -> None:
    out = c.ok("delete", "crd", "flinkdeployments.flink.apache.org").stdout
    assert out == f'{CRD_PREFIX} "flinkdeployments.flink.apache.org" deleted\n'
    unknown = c.fails("get", "flinkdep")
    assert unknown.stderr == 'error: the server doesn\'t have a resource type "flinkdep"\n'
    assert c.ok("get", "flinksessionjobs").stderr == "No resources found in default namespace.\n"
    # Its custom resources went with it: a new CRD of the same name starts empty.
    c.ok("create", "-f", str(FD_CRD))
    c.ok("wait", "--for=condition=Established", "crd/flinkdeployments.flink.apache.org")
    assert c.ok("get", "flinkdep").stderr == "No resources found in default namespace.\n"


def test_matrix_covers_at_least_forty_commands() -> None:
    assert len(STEPS) >= 40


@pytest.mark.parametrize("run_step", STEPS)
def test_kubectl(run_step: Callable[[Ctx], None], ctx: Ctx) -> None:
    run_step(ctx)
