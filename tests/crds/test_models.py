"""The models accept upstream's manifests unchanged and dump them back without loss."""

from pathlib import Path

import pytest
import yaml

from crds import FlinkDeployment, FlinkSessionJob, FlinkVersion, JobState, UpgradeMode
from crds.config import flatten_config
from crds.status import FlinkDeploymentStatus, JobManagerDeploymentStatus, ResourceLifecycleState

ROOT = Path(__file__).resolve().parents[2]
MODELS = {"FlinkDeployment": FlinkDeployment, "FlinkSessionJob": FlinkSessionJob}


def flink_documents(*directories: Path):
    for directory in directories:
        for path in sorted(directory.rglob("*.y*ml")):
            for index, doc in enumerate(yaml.safe_load_all(path.read_text())):
                if isinstance(doc, dict) and doc.get("kind") in MODELS:
                    yield pytest.param(doc, id=f"{path.relative_to(ROOT)}#{index}")


def normalised(manifest: dict) -> dict:
    """The manifest as the models read it: flinkConfiguration flat, with string values."""
    spec = dict(manifest.get("spec") or {})
    if "flinkConfiguration" in spec:
        spec["flinkConfiguration"] = flatten_config(spec["flinkConfiguration"])
    return {**manifest, "spec": spec} if "spec" in manifest else manifest


@pytest.mark.parametrize(
    "manifest",
    list(flink_documents(ROOT / "examples", ROOT / "tests" / "crds" / "manifests")),
)
def test_manifest_round_trips_through_the_models_without_loss(manifest):
    model = MODELS[manifest["kind"]].model_validate(manifest)
    dumped = model.to_dict()
    assert dumped == {"apiVersion": manifest["apiVersion"], **normalised(manifest)} | {
        "kind": manifest["kind"]
    }


def test_examples_directory_has_manifests_for_both_kinds():
    kinds = {p.values[0]["kind"] for p in flink_documents(ROOT / "examples")}
    assert kinds == {"FlinkDeployment", "FlinkSessionJob"}


def test_nested_configuration_is_flattened_to_dotted_string_keys():
    nested = {
        "taskmanager": {"numberOfTaskSlots": 2},
        "high-availability": {"type": "kubernetes", "storageDir": "file:///ha"},
        "state.checkpoints.dir": "file:///cp",
        "execution": {"checkpointing": {"interval": "10s", "unaligned": True}},
        "pipeline": {"jars": ["a.jar", "b.jar"]},
        "cpu.fraction": 0.5,
        "empty": {},
        "dropped": None,
    }
    assert flatten_config(nested) == {
        "taskmanager.numberOfTaskSlots": "2",
        "high-availability.type": "kubernetes",
        "high-availability.storageDir": "file:///ha",
        "state.checkpoints.dir": "file:///cp",
        "execution.checkpointing.interval": "10s",
        "execution.checkpointing.unaligned": "true",
        "pipeline.jars": "a.jar;b.jar",
        "cpu.fraction": "0.5",
    }


def test_flat_and_nested_configuration_parse_to_the_same_model():
    flat = {"spec": {"flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"}}}
    nested = {"spec": {"flinkConfiguration": {"taskmanager": {"numberOfTaskSlots": 2}}}}
    assert FlinkDeployment.model_validate(flat).spec == FlinkDeployment.model_validate(nested).spec


def test_both_resource_forms_are_accepted():
    spec = FlinkDeployment.model_validate(
        {
            "spec": {
                "jobManager": {
                    "resource": {"memory": "2048m", "cpu": 1, "ephemeralStorage": "1Gi"}
                },
                "taskManager": {
                    "resources": {
                        "requests": {"cpu": 1, "memory": "2Gi"},
                        "limits": {"cpu": "1500m", "memory": "3Gi"},
                    }
                },
            }
        }
    ).spec
    assert spec.job_manager is not None
    assert spec.job_manager.resource is not None
    assert spec.job_manager.resource.memory == "2048m"
    assert spec.job_manager.resource.ephemeral_storage == "1Gi"
    assert spec.task_manager is not None
    assert spec.task_manager.resources is not None
    assert spec.task_manager.resources.limits == {"cpu": "1500m", "memory": "3Gi"}


def test_unknown_fields_are_ignored_when_parsing_as_upstream_does():
    model = FlinkDeployment.model_validate(
        {"spec": {"job": {"jarURI": "local:///a.jar", "futureField": 1}, "futureTop": {}}}
    )
    assert model.spec.job is not None
    assert "futureField" not in model.to_dict()["spec"]["job"]


def test_defaults_match_upstream():
    job = FlinkDeployment.model_validate({"spec": {"job": {}}}).spec.job
    assert job is not None
    assert (job.parallelism, job.args, job.state, job.upgrade_mode) == (
        0,
        [],
        JobState.RUNNING,
        UpgradeMode.STATELESS,
    )
    assert (
        FlinkDeployment.model_validate({"spec": {"jobManager": {}}}).spec.job_manager.replicas == 1
    )


def test_enum_spellings_are_upstreams():
    assert [v.value for v in UpgradeMode] == ["stateless", "savepoint", "last-state"]
    assert next(v.value for v in FlinkVersion) == "v1_13"
    assert {"v1_15", "v1_20", "v2_0", "v2_1", "v2_2", "v2_3", "v2_4"} <= {
        v.value for v in FlinkVersion
    }
    assert FlinkVersion.v2_1.uses_config_yaml
    assert not FlinkVersion.v1_20.uses_config_yaml
    assert {s.value for s in ResourceLifecycleState} >= {
        "CREATED",
        "SUSPENDED",
        "UPGRADING",
        "DEPLOYED",
        "STABLE",
        "ROLLING_BACK",
        "ROLLED_BACK",
        "FAILED",
    }
    assert {s.value for s in JobManagerDeploymentStatus} == {
        "READY",
        "DEPLOYED_NOT_READY",
        "DEPLOYING",
        "MISSING",
        "ERROR",
    }


def test_status_written_by_upstream_parses():
    status = FlinkDeploymentStatus.model_validate(
        {
            "jobStatus": {
                "jobName": "x",
                "jobId": "a" * 32,
                "state": "RUNNING",
                "startTime": "1700000000000",
                "updateTime": "1700000000001",
                "savepointInfo": {
                    "lastSavepoint": {
                        "timeStamp": 1,
                        "location": "file:///s",
                        "triggerType": "UPGRADE",
                    },
                    "triggerId": "",
                    "triggerTimestamp": 0,
                    "triggerType": "UNKNOWN",
                    "savepointHistory": [],
                    "lastPeriodicSavepointTimestamp": 0,
                },
            },
            "error": "",
            "clusterInfo": {"flink-version": "2.1.0"},
            "jobManagerDeploymentStatus": "READY",
            "reconciliationStatus": {
                "reconciliationTimestamp": 1,
                "state": "DEPLOYED",
                "lastReconciledSpec": "{}",
                "lastStableSpec": "{}",
            },
            "taskManager": {"labelSelector": "component=taskmanager,app=x", "replicas": 1},
            "lifecycleState": "STABLE",
            "observedGeneration": 3,
        }
    )
    assert status.job_manager_deployment_status is JobManagerDeploymentStatus.READY
    assert status.to_dict()["reconciliationStatus"]["state"] == "DEPLOYED"
