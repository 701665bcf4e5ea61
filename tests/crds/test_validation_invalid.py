"""Each invalid manifest is rejected with the right field path and an actionable message."""

import copy
from typing import Any

import pytest

from crds.deployment import FlinkDeploymentSpec
from crds.validation import ValidationContext, validate

VALID_DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "flink.apache.org/v1beta1",
    "kind": "FlinkDeployment",
    "metadata": {"name": "orders", "namespace": "streaming"},
    "spec": {
        "image": "flink:2.1",
        "flinkVersion": "v2_1",
        "serviceAccount": "flink",
        "flinkConfiguration": {
            "taskmanager.numberOfTaskSlots": "2",
            "state.checkpoints.dir": "file:///flink-data/checkpoints",
            "state.savepoints.dir": "file:///flink-data/savepoints",
            "high-availability.type": "kubernetes",
            "high-availability.storageDir": "file:///flink-data/ha",
        },
        "jobManager": {"resource": {"memory": "1024m", "cpu": 0.5}},
        "taskManager": {"resource": {"memory": "1024m", "cpu": 0.5}},
        "job": {
            "jarURI": "local:///opt/flink/examples/streaming/StateMachineExample.jar",
            "parallelism": 2,
            "upgradeMode": "savepoint",
        },
    },
}

VALID_SESSION_JOB: dict[str, Any] = {
    "apiVersion": "flink.apache.org/v1beta1",
    "kind": "FlinkSessionJob",
    "metadata": {"name": "clicks"},
    "spec": {
        "deploymentName": "shared-session",
        "job": {
            "jarURI": "https://artifacts.example.com/jobs/clicks-1.0.jar",
            "parallelism": 2,
            "upgradeMode": "stateless",
        },
    },
}


def with_changes(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of base with dotted-path changes applied; None deletes the field."""
    obj = copy.deepcopy(base)
    for dotted, value in changes.items():
        *parents, leaf = dotted.split("/")
        node = obj
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return obj


def D(**changes: Any) -> dict[str, Any]:
    return with_changes(VALID_DEPLOYMENT, {k.replace("__", "/"): v for k, v in changes.items()})


def J(**changes: Any) -> dict[str, Any]:
    return with_changes(VALID_SESSION_JOB, {k.replace("__", "/"): v for k, v in changes.items()})


CONF = "spec__flinkConfiguration"

# (id, manifest, expected path, a fragment of the expected message)
CASES = [
    (
        "name-uppercase",
        with_changes(VALID_DEPLOYMENT, {"metadata/name": "Orders"}),
        "metadata.name",
        "lower case",
    ),
    (
        "name-too-long",
        with_changes(VALID_DEPLOYMENT, {"metadata/name": "a" * 46}),
        "metadata.name",
        "at most 45",
    ),
    (
        "name-missing",
        with_changes(VALID_DEPLOYMENT, {"metadata/name": None}),
        "metadata.name",
        "required",
    ),
    ("flink-version-missing", D(spec__flinkVersion=None), "spec.flinkVersion", "required"),
    (
        "flink-version-unknown",
        D(spec__flinkVersion="v3_0"),
        "spec.flinkVersion",
        'unsupported value "v3_0"',
    ),
    (
        "flink-version-too-old",
        D(spec__flinkVersion="v1_14"),
        "spec.flinkVersion",
        "no longer supported",
    ),
    ("service-account-missing", D(spec__serviceAccount=None), "spec.serviceAccount", "required"),
    (
        "forbidden-cluster-id",
        D(**{f"{CONF}__kubernetes.cluster-id": "x"}),
        "spec.flinkConfiguration.kubernetes.cluster-id",
        "forbidden, the operator sets it from metadata.name",
    ),
    (
        "forbidden-namespace",
        D(**{f"{CONF}__kubernetes.namespace": "x"}),
        "spec.flinkConfiguration.kubernetes.namespace",
        "forbidden",
    ),
    (
        "forbidden-ha-cluster-id",
        D(**{f"{CONF}__high-availability.cluster-id": "x"}),
        "spec.flinkConfiguration.high-availability.cluster-id",
        "forbidden",
    ),
    ("pull-policy", D(spec__imagePullPolicy="Sometimes"), "spec.imagePullPolicy", "IfNotPresent"),
    (
        "log-config-key",
        D(spec__logConfiguration={"log4j.properties": "x"}),
        "spec.logConfiguration.log4j.properties",
        "log4j-console.properties",
    ),
    (
        "ingress-without-template",
        D(spec__ingress={"className": "nginx"}),
        "spec.ingress.template",
        "required",
    ),
    (
        "ingress-unknown-placeholder",
        D(spec__ingress={"template": "{{cluster}}.example.com"}),
        "spec.ingress.template",
        "unknown placeholder",
    ),
    (
        "ingress-bad-host",
        D(spec__ingress={"template": "Flink_UI.{{namespace}}.example.com"}),
        "spec.ingress.template",
        "not a valid DNS name",
    ),
    (
        "rollback-without-ha",
        D(
            **{
                f"{CONF}__high-availability.type": None,
                f"{CONF}__kubernetes.operator.deployment.rollback.enabled": "true",
            }
        ),
        "spec.flinkConfiguration.kubernetes.operator.deployment.rollback.enabled",
        "high availability",
    ),
    ("jm-replicas-zero", D(spec__jobManager__replicas=0), "spec.jobManager.replicas", "at least 1"),
    (
        "jm-standby-without-ha",
        D(spec__jobManager__replicas=2, **{f"{CONF}__high-availability.type": None}),
        "spec.jobManager.replicas",
        "high availability",
    ),
    (
        "jm-memory-unparseable",
        D(spec__jobManager__resource={"memory": "lots"}),
        "spec.jobManager.resource.memory",
        "cannot parse memory",
    ),
    (
        "jm-memory-zero",
        D(spec__jobManager__resource={"memory": "0m"}),
        "spec.jobManager.resource.memory",
        "larger than 0",
    ),
    (
        "tm-cpu-negative",
        D(spec__taskManager__resource={"memory": "1g", "cpu": -1}),
        "spec.taskManager.resource.cpu",
        "larger than 0",
    ),
    (
        "tm-replicas-zero",
        D(spec__taskManager__replicas=0),
        "spec.taskManager.replicas",
        "at least 1",
    ),
    (
        "tm-limits-below-requests",
        D(
            spec__taskManager__resources={
                "requests": {"memory": "2Gi"},
                "limits": {"memory": "1Gi"},
            }
        ),
        "spec.taskManager.resources.limits.memory",
        "at least the request",
    ),
    (
        "tm-bad-quantity",
        D(spec__taskManager__resources={"requests": {"cpu": "two"}}),
        "spec.taskManager.resources.requests.cpu",
        "not a Kubernetes quantity",
    ),
    ("parallelism-zero", D(spec__job__parallelism=0), "spec.job.parallelism", "at least 1"),
    (
        "parallelism-string",
        D(spec__job__parallelism="two"),
        "spec.job.parallelism",
        "must be of type integer",
    ),
    (
        "upgrade-mode-unknown",
        D(spec__job__upgradeMode="rolling"),
        "spec.job.upgradeMode",
        '"stateless", "savepoint", "last-state"',
    ),
    ("job-state-unknown", D(spec__job__state="paused"), "spec.job.state", '"suspended"'),
    (
        "savepoint-mode-without-dir",
        D(**{f"{CONF}__state.savepoints.dir": None}),
        "spec.job.upgradeMode",
        "needs a savepoint directory",
    ),
    (
        "last-state-without-checkpoints",
        D(spec__job__upgradeMode="last-state", **{f"{CONF}__state.checkpoints.dir": None}),
        "spec.job.upgradeMode",
        "needs a checkpoint directory",
    ),
    (
        "savepoint-nonce-without-dir",
        D(
            spec__job__upgradeMode="stateless",
            spec__job__savepointTriggerNonce=1,
            **{f"{CONF}__state.savepoints.dir": None},
        ),
        "spec.job.savepointTriggerNonce",
        "savepoint directory",
    ),
    (
        "periodic-savepoints-without-dir",
        D(
            spec__job__upgradeMode="stateless",
            **{
                f"{CONF}__state.savepoints.dir": None,
                f"{CONF}__kubernetes.operator.periodic.savepoint.interval": "1h",
            },
        ),
        "spec.flinkConfiguration.kubernetes.operator.periodic.savepoint.interval",
        "savepoint directory",
    ),
    (
        "periodic-savepoint-interval-garbage",
        D(**{f"{CONF}__kubernetes.operator.periodic.savepoint.interval": "every hour"}),
        "spec.flinkConfiguration.kubernetes.operator.periodic.savepoint.interval",
        "Quartz cron",
    ),
    (
        "redeploy-nonce-without-path",
        D(spec__job__savepointRedeployNonce=3),
        "spec.job.initialSavepointPath",
        "required with savepointRedeployNonce",
    ),
    (
        "boolean-option-garbage",
        D(**{f"{CONF}__kubernetes.operator.job.upgrade.ignore-pending-savepoint": "maybe"}),
        "spec.flinkConfiguration.kubernetes.operator.job.upgrade.ignore-pending-savepoint",
        "not a boolean",
    ),
    (
        "task-slots-zero",
        D(**{f"{CONF}__taskmanager.numberOfTaskSlots": "0"}),
        "spec.flinkConfiguration.taskmanager.numberOfTaskSlots",
        "at least 1",
    ),
    (
        "health-check-without-recovery",
        D(
            **{
                f"{CONF}__kubernetes.operator.cluster.health-check.enabled": "true",
                f"{CONF}__kubernetes.operator.jm-deployment-recovery.enabled": "false",
            }
        ),
        "spec.flinkConfiguration.kubernetes.operator.cluster.health-check.enabled",
        "jm-deployment-recovery.enabled",
    ),
    ("mode-unknown", D(spec__mode="kubernetes"), "spec.mode", '"native", "standalone"'),
    (
        "restart-nonce-string",
        D(spec__restartNonce="now"),
        "spec.restartNonce",
        "must be of type integer",
    ),
    (
        "unknown-field-typo",
        D(spec__job__upgradeMod="savepoint"),
        "spec.job.upgradeMod",
        "unknown field",
    ),
    (
        "pod-template-wrong-type",
        D(spec__podTemplate={"spec": {"containers": {"name": "x"}}}),
        "spec.podTemplate.spec.containers",
        "must be of type array",
    ),
    (
        "pod-template-unknown-field",
        D(
            spec__taskManager__podTemplate={
                "spec": {"containers": [{"name": "flink-main-container", "imag": "x"}]}
            }
        ),
        "spec.taskManager.podTemplate.spec.containers[0].imag",
        "unknown field",
    ),
    (
        "config-list-of-maps",
        D(**{f"{CONF}__pipeline.jars": [{"a": 1}]}),
        "spec.flinkConfiguration",
        "lists may only hold plain values",
    ),
    ("session-job-no-deployment", J(spec__deploymentName=None), "spec.deploymentName", "required"),
    ("session-job-no-job", J(spec__job=None), "spec.job", "required"),
    ("session-job-no-jar", J(spec__job__jarURI=None), "spec.job.jarURI", "required"),
    (
        "session-job-http-scheme",
        J(spec__job__jarURI="http://artifacts.example.com/a.jar"),
        "spec.job.jarURI",
        'scheme "http" is not allowed',
    ),
    (
        "session-job-loopback-host",
        J(spec__job__jarURI="https://127.0.0.1/a.jar"),
        "spec.job.jarURI",
        "loopback",
    ),
    (
        "wrong-api-version",
        with_changes(VALID_DEPLOYMENT, {"apiVersion": "flink.apache.org/v1"}),
        "apiVersion",
        "flink.apache.org/v1beta1",
    ),
]


@pytest.mark.parametrize(
    ("manifest", "path", "fragment"), [pytest.param(m, p, f, id=i) for i, m, p, f in CASES]
)
def test_invalid_manifest_is_rejected_with_field_path(manifest, path, fragment):
    errors = validate(manifest, ValidationContext(strict_fields=True))
    assert errors, "expected the manifest to be rejected"
    matching = [e for e in errors if e.path == path]
    assert matching, f"no error on {path}; got {[str(e) for e in errors]}"
    assert any(fragment in e.message for e in matching), [str(e) for e in matching]


def test_table_is_large_enough_and_ids_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    "manifest", [VALID_DEPLOYMENT, VALID_SESSION_JOB], ids=["deployment", "session-job"]
)
def test_the_base_manifests_are_valid(manifest):
    assert validate(manifest, ValidationContext(strict_fields=True)) == []


def previous_spec(**changes: Any) -> FlinkDeploymentSpec:
    return FlinkDeploymentSpec.model_validate(D(**changes)["spec"])


CHANGE_CASES = [
    (
        "application-to-session",
        D(spec__job=None),
        previous_spec(),
        "spec.job",
        "application to session",
    ),
    (
        "session-to-application",
        D(),
        previous_spec(spec__job=None),
        "spec.job",
        "session to application",
    ),
    (
        "native-to-standalone",
        D(spec__mode="standalone"),
        previous_spec(),
        "spec.mode",
        "native to standalone",
    ),
    (
        "version-change-while-last-state-suspended",
        D(spec__flinkVersion="v2_2"),
        previous_spec(spec__job__state="suspended", spec__job__upgradeMode="last-state"),
        "spec.flinkVersion",
        "suspended with last-state",
    ),
]


@pytest.mark.parametrize(
    ("manifest", "previous", "path", "fragment"),
    [pytest.param(m, p, f, g, id=i) for i, m, p, f, g in CHANGE_CASES],
)
def test_forbidden_change_against_last_deployed_spec(manifest, previous, path, fragment):
    errors = validate(manifest, ValidationContext(previous=previous))
    assert any(e.path == path and fragment in e.message for e in errors), errors


def test_deployment_name_is_immutable_for_session_jobs():
    errors = validate(
        J(spec__deploymentName="other"),
        ValidationContext(previous_deployment_name="shared-session"),
    )
    assert [e.path for e in errors] == ["spec.deploymentName"]
    assert "cannot change" in errors[0].message


def test_session_job_on_application_cluster_is_rejected():
    from crds.deployment import FlinkDeployment

    application = FlinkDeployment.model_validate(VALID_DEPLOYMENT)
    errors = validate(J(), ValidationContext(session=application))
    assert any("application cluster" in e.message for e in errors), errors


def test_session_job_checks_rules_against_the_session_cluster_config():
    from crds.deployment import FlinkDeployment

    session = FlinkDeployment.model_validate(D(spec__job=None))
    manifest = J(spec__job__upgradeMode="savepoint")
    assert validate(manifest, ValidationContext(session=session)) == []


def test_session_job_state_rules_use_the_session_cluster_config_when_known():
    from crds.deployment import FlinkDeployment

    manifest = J(spec__job__upgradeMode="savepoint")
    # Unknown cluster: upstream cannot check, and neither do we.
    assert validate(manifest) == []
    bare = FlinkDeployment.model_validate(D(spec__job=None, spec__flinkConfiguration={}))
    errors = validate(manifest, ValidationContext(session=bare))
    assert {(e.path, "directory" in e.message) for e in errors} == {("spec.job.upgradeMode", True)}


def test_operator_config_may_allow_more_jar_schemes():
    manifest = J(spec__job__jarURI="http://artifacts.example.com/a.jar")
    for listed in ("https,http", "https;http"):
        config = {"kubernetes.operator.user.artifacts.allowed-schemes": listed}
        assert validate(manifest, ValidationContext(operator_config=config)) == []


def test_every_error_is_reported_not_just_the_first():
    manifest = D(spec__serviceAccount=None, spec__flinkVersion=None, spec__job__parallelism=0)
    paths = {e.path for e in validate(manifest)}
    assert {"spec.serviceAccount", "spec.flinkVersion", "spec.job.parallelism"} <= paths


def test_nothing_raises_on_garbage_documents():
    for garbage in (
        {},
        {"apiVersion": "flink.apache.org/v1beta1", "kind": "FlinkDeployment"},
        {
            "apiVersion": "flink.apache.org/v1beta1",
            "kind": "FlinkDeployment",
            "metadata": "x",
            "spec": "y",
        },
        {
            "apiVersion": "flink.apache.org/v1beta1",
            "kind": "FlinkSessionJob",
            "metadata": {"name": "x"},
            "spec": {"job": [1, 2]},
        },
    ):
        assert validate(garbage)


def test_memory_must_be_resolvable_from_resource_or_configuration():
    no_defaults = ValidationContext(operator_config={})
    manifest = D(spec__jobManager__resource={"cpu": 1}, spec__taskManager=None)
    errors = {e.path: e.message for e in validate(manifest, no_defaults)}
    assert "required" in errors["spec.jobManager.resource.memory"]
    assert "taskmanager.memory.process.size" in errors["spec.taskManager.resource.memory"]
    fixed = D(
        spec__jobManager__resource={"cpu": 1},
        spec__taskManager=None,
        **{
            f"{CONF}__jobmanager.memory.process.size": "1g",
            f"{CONF}__taskmanager.memory.flink.size": "1g",
        },
    )
    assert validate(fixed, no_defaults) == []
