"""The generated CRDs are fresh, shaped like upstream's, and structural."""

from pathlib import Path

import pytest
import yaml

from crds import generate

ROOT = Path(__file__).resolve().parents[2]


def crd_of(kind: str) -> dict:
    return generate.load(kind)


def schema_of(kind: str) -> dict:
    return crd_of(kind)["spec"]["versions"][0]["schema"]["openAPIV3Schema"]


def walk(node, path=""):
    yield path, node
    for name, child in (node.get("properties") or {}).items():
        yield from walk(child, f"{path}.{name}")
    if isinstance(node.get("items"), dict):
        yield from walk(node["items"], f"{path}[]")
    if isinstance(node.get("additionalProperties"), dict):
        yield from walk(node["additionalProperties"], f"{path}{{}}")


def test_checked_in_crds_are_fresh():
    assert generate.stale() == [], "run `flinkop crds generate`"


def test_stale_files_are_detected(tmp_path):
    generate.generate(tmp_path)
    assert generate.stale(tmp_path) == []
    path = tmp_path / generate.KINDS[0].filename
    path.write_text(path.read_text().replace("flinkdep", "fdep"))
    diffs = generate.stale(tmp_path)
    assert len(diffs) == 1
    assert "-    - fdep" in diffs[0]


def test_names_short_names_and_categories():
    deployment, session_job = crd_of("FlinkDeployment"), crd_of("FlinkSessionJob")
    assert deployment["metadata"]["name"] == "flinkdeployments.flink.apache.org"
    assert deployment["spec"]["names"]["shortNames"] == ["flinkdep"]
    assert session_job["spec"]["names"]["shortNames"] == ["sessionjob"]
    for crd in (deployment, session_job):
        assert crd["spec"]["group"] == "flink.apache.org"
        assert crd["spec"]["scope"] == "Namespaced"
        assert crd["spec"]["names"]["categories"] == ["flink"]
        (version,) = crd["spec"]["versions"]
        assert (version["name"], version["served"], version["storage"]) == ("v1beta1", True, True)


def test_subresources_as_upstream():
    deployment = crd_of("FlinkDeployment")["spec"]["versions"][0]["subresources"]
    assert deployment == {
        "status": {},
        "scale": {
            "specReplicasPath": ".spec.taskManager.replicas",
            "statusReplicasPath": ".status.taskManager.replicas",
            "labelSelectorPath": ".status.taskManager.labelSelector",
        },
    }
    assert crd_of("FlinkSessionJob")["spec"]["versions"][0]["subresources"] == {"status": {}}


@pytest.mark.parametrize("kind", ["FlinkDeployment", "FlinkSessionJob"])
def test_printer_columns(kind):
    columns = crd_of(kind)["spec"]["versions"][0]["additionalPrinterColumns"]
    assert [(c["name"], c["jsonPath"]) for c in columns] == [
        ("Job Status", ".status.jobStatus.state"),
        ("Lifecycle State", ".status.lifecycleState"),
        ("Age", ".metadata.creationTimestamp"),
    ]


# Field paths of upstream's API (reference/upstream-api.md §2-§4): each must exist in our schema.
UPSTREAM_DEPLOYMENT_PATHS = [
    "spec.image",
    "spec.imagePullPolicy",
    "spec.serviceAccount",
    "spec.flinkVersion",
    "spec.ingress.template",
    "spec.ingress.className",
    "spec.ingress.annotations",
    "spec.ingress.labels",
    "spec.ingress.tls[].hosts",
    "spec.ingress.tls[].secretName",
    "spec.podTemplate.spec.containers[].image",
    "spec.jobManager.resource.cpu",
    "spec.jobManager.resource.memory",
    "spec.jobManager.resource.ephemeralStorage",
    "spec.jobManager.resources.requests",
    "spec.jobManager.resources.limits",
    "spec.jobManager.resources.claims[].name",
    "spec.jobManager.replicas",
    "spec.jobManager.podTemplate.metadata.labels",
    "spec.taskManager.resource.memory",
    "spec.taskManager.replicas",
    "spec.taskManager.podTemplate.spec.volumes[].name",
    "spec.job.jarURI",
    "spec.job.parallelism",
    "spec.job.entryClass",
    "spec.job.args",
    "spec.job.state",
    "spec.job.savepointTriggerNonce",
    "spec.job.initialSavepointPath",
    "spec.job.upgradeMode",
    "spec.job.allowNonRestoredState",
    "spec.job.checkpointTriggerNonce",
    "spec.job.savepointRedeployNonce",
    "spec.job.autoscalerResetNonce",
    "spec.flinkConfiguration",
    "spec.logConfiguration",
    "spec.restartNonce",
    "spec.mode",
    "status.jobStatus.jobName",
    "status.jobStatus.jobId",
    "status.jobStatus.state",
    "status.jobStatus.startTime",
    "status.jobStatus.updateTime",
    "status.jobStatus.upgradeSavepointPath",
    "status.jobStatus.savepointInfo.lastSavepoint.location",
    "status.jobStatus.savepointInfo.lastSavepoint.timeStamp",
    "status.jobStatus.savepointInfo.lastSavepoint.triggerType",
    "status.jobStatus.savepointInfo.lastSavepoint.formatType",
    "status.jobStatus.savepointInfo.lastSavepoint.triggerNonce",
    "status.jobStatus.savepointInfo.triggerId",
    "status.jobStatus.savepointInfo.triggerTimestamp",
    "status.jobStatus.savepointInfo.triggerType",
    "status.jobStatus.savepointInfo.formatType",
    "status.jobStatus.savepointInfo.savepointHistory[].location",
    "status.jobStatus.savepointInfo.lastPeriodicSavepointTimestamp",
    "status.jobStatus.checkpointInfo.lastCheckpoint.timeStamp",
    "status.jobStatus.checkpointInfo.lastPeriodicCheckpointTimestamp",
    "status.error",
    "status.clusterInfo",
    "status.jobManagerDeploymentStatus",
    "status.reconciliationStatus.reconciliationTimestamp",
    "status.reconciliationStatus.lastReconciledSpec",
    "status.reconciliationStatus.lastStableSpec",
    "status.reconciliationStatus.state",
    "status.taskManager.labelSelector",
    "status.taskManager.replicas",
    "status.lifecycleState",
    "status.observedGeneration",
    "status.conditions[].type",
    "status.conditions[].lastTransitionTime",
]
UPSTREAM_SESSION_JOB_PATHS = [
    "spec.deploymentName",
    "spec.job.jarURI",
    "spec.restartNonce",
    "spec.flinkConfiguration",
    "status.jobStatus.state",
    "status.error",
    "status.reconciliationStatus.lastReconciledSpec",
    "status.lifecycleState",
    "status.observedGeneration",
]


@pytest.mark.parametrize(
    ("kind", "paths"),
    [
        ("FlinkDeployment", UPSTREAM_DEPLOYMENT_PATHS),
        ("FlinkSessionJob", UPSTREAM_SESSION_JOB_PATHS),
    ],
)
def test_every_upstream_field_is_in_the_schema(kind, paths):
    present = {path.lstrip(".") for path, _ in walk(schema_of(kind))}
    missing = [path for path in paths if path not in present]
    assert missing == []


def test_enum_values_as_upstream():
    spec = schema_of("FlinkDeployment")["properties"]["spec"]["properties"]
    assert spec["mode"]["enum"] == ["native", "standalone"]
    assert spec["job"]["properties"]["upgradeMode"]["enum"] == [
        "stateless",
        "savepoint",
        "last-state",
    ]
    assert spec["job"]["properties"]["state"]["enum"] == ["running", "suspended"]
    status = schema_of("FlinkDeployment")["properties"]["status"]["properties"]
    assert len(status["jobStatus"]["properties"]["state"]["enum"]) == 11


@pytest.mark.parametrize("kind", ["FlinkDeployment", "FlinkSessionJob"])
def test_preserve_unknown_fields_only_where_upstream_has_free_form_maps(kind):
    free_form = {
        path
        for path, node in walk(schema_of(kind))
        if node.get("x-kubernetes-preserve-unknown-fields")
    }
    ours = {path for path in free_form if "podTemplate" not in path}
    assert ours == {".spec.flinkConfiguration"}
    # Inside the Pod schema, only Kubernetes' own free-form field (managedFields[].fieldsV1).
    assert {p.rsplit(".", 1)[-1] for p in free_form - ours} <= {"fieldsV1"}


@pytest.mark.parametrize("kind", ["FlinkDeployment", "FlinkSessionJob"])
def test_every_object_node_has_a_type(kind):
    untyped = [
        path
        for path, node in walk(schema_of(kind))
        if not node.get("type") and not node.get("x-kubernetes-int-or-string")
    ]
    assert untyped == []


def test_quantities_in_pod_templates_accept_numbers():
    spec = schema_of("FlinkDeployment")["properties"]["spec"]["properties"]
    container = spec["podTemplate"]["properties"]["spec"]["properties"]["containers"]["items"]
    limits = container["properties"]["resources"]["properties"]["limits"]
    assert limits["additionalProperties"] == {"x-kubernetes-int-or-string": True}


def test_generated_files_are_valid_yaml_with_header():
    for kind in generate.KINDS:
        text = (generate.GENERATED_DIR / kind.filename).read_text()
        assert text.startswith(generate.HEADER)
        assert yaml.safe_load(text)["kind"] == "CustomResourceDefinition"


def test_crd_fits_client_side_apply_annotation_limit():
    # kubectl apply (client side) stores the whole object in an annotation capped at 256 KiB.
    size = len((generate.GENERATED_DIR / generate.KINDS[0].filename).read_bytes())
    assert size < 256 * 1024
