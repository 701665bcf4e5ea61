"""Update-operation ownership (`record_update`): what kube-apiserver records for ordinary writes."""

import copy
from typing import Any

import pytest

from sandbox.apiserver.patch import FieldSchema, record_update

DEPLOYMENT = FieldSchema.builtin("io.k8s.api.apps.v1.Deployment")
LAST = "kubectl.kubernetes.io/last-applied-configuration"
T0, T1, T2 = "2024-05-01T10:00:00Z", "2024-05-01T10:05:00Z", "2024-05-01T10:10:00Z"


def stored_deployment() -> dict[str, Any]:
    """A Deployment as kubectl apply creates it, after the apiserver's defaulting."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "nginx",
            "namespace": "default",
            "uid": "6d5b0c3e-0000-4000-8000-000000000001",
            "resourceVersion": "100",
            "generation": 1,
            "creationTimestamp": T0,
            "labels": {"app": "nginx"},
            "annotations": {LAST: '{"apiVersion":"apps/v1"}\n'},
        },
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": "nginx:1.14.2",
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            "resources": {},
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File",
                            "imagePullPolicy": "IfNotPresent",
                        }
                    ],
                    "restartPolicy": "Always",
                    "terminationGracePeriodSeconds": 30,
                    "dnsPolicy": "ClusterFirst",
                    "securityContext": {},
                    "schedulerName": "default-scheduler",
                },
            },
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
            },
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
        },
        "status": {},
    }


# What kube-apiserver records for `kubectl apply` (client-side) creating this Deployment.
CREATED_FIELDS = {
    "f:metadata": {
        "f:annotations": {".": {}, f"f:{LAST}": {}},
        "f:labels": {".": {}, "f:app": {}},
    },
    "f:spec": {
        "f:progressDeadlineSeconds": {},
        "f:replicas": {},
        "f:revisionHistoryLimit": {},
        "f:selector": {},
        "f:strategy": {
            "f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}},
            "f:type": {},
        },
        "f:template": {
            "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
            "f:spec": {
                "f:containers": {
                    'k:{"name":"nginx"}': {
                        ".": {},
                        "f:image": {},
                        "f:imagePullPolicy": {},
                        "f:name": {},
                        "f:ports": {
                            ".": {},
                            'k:{"containerPort":80,"protocol":"TCP"}': {
                                ".": {},
                                "f:containerPort": {},
                                "f:protocol": {},
                            },
                        },
                        "f:resources": {},
                        "f:terminationMessagePath": {},
                        "f:terminationMessagePolicy": {},
                    }
                },
                "f:dnsPolicy": {},
                "f:restartPolicy": {},
                "f:schedulerName": {},
                "f:securityContext": {},
                "f:terminationGracePeriodSeconds": {},
            },
        },
    },
}


def created() -> dict[str, Any]:
    return record_update(
        None, stored_deployment(), manager="kubectl-client-side-apply", schema=DEPLOYMENT, now=T0
    )


def entries(obj: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = obj["metadata"]["managedFields"]
    return result


def test_create_records_an_update_entry_shaped_like_kube_apiservers() -> None:
    new = stored_deployment()
    obj = created()
    assert entries(obj) == [
        {
            "manager": "kubectl-client-side-apply",
            "operation": "Update",
            "apiVersion": "apps/v1",
            "time": T0,
            "fieldsType": "FieldsV1",
            "fieldsV1": CREATED_FIELDS,
        }
    ]
    assert list(entries(obj)[0]) == [
        "manager",
        "operation",
        "apiVersion",
        "time",
        "fieldsType",
        "fieldsV1",
    ]
    assert new == stored_deployment()
    del obj["metadata"]["managedFields"]
    assert obj == new


def test_update_moves_changed_fields_to_the_writer() -> None:
    old = created()
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 3
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.16"
    obj = record_update(old, new, manager="kubectl-edit", schema=DEPLOYMENT, now=T1)
    first, second = entries(obj)
    assert first["manager"] == "kubectl-client-side-apply"
    assert first["time"] == T0
    spec = first["fieldsV1"]["f:spec"]
    assert "f:replicas" not in spec
    assert "f:image" not in spec["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']
    assert second == {
        "manager": "kubectl-edit",
        "operation": "Update",
        "apiVersion": "apps/v1",
        "time": T1,
        "fieldsType": "FieldsV1",
        "fieldsV1": {
            "f:spec": {
                "f:replicas": {},
                "f:template": {"f:spec": {"f:containers": {'k:{"name":"nginx"}': {"f:image": {}}}}},
            }
        },
    }


def test_removed_fields_leave_every_owner_and_unchanged_writes_record_nothing() -> None:
    old = created()
    new = copy.deepcopy(old)
    del new["metadata"]["labels"]
    obj = record_update(old, new, manager="cleaner", schema=DEPLOYMENT, now=T1)
    assert [e["manager"] for e in entries(obj)] == ["kubectl-client-side-apply"]
    assert "f:labels" not in entries(obj)[0]["fieldsV1"]["f:metadata"]
    again = record_update(obj, copy.deepcopy(obj), manager="noop", schema=DEPLOYMENT, now=T2)
    assert entries(again) == entries(obj)


def test_untracked_metadata_and_reset_status_are_not_owned() -> None:
    old = created()
    new = copy.deepcopy(old)
    new["metadata"]["resourceVersion"] = "200"
    new["metadata"]["generation"] = 2
    new["status"] = {"replicas": 1}
    obj = record_update(old, new, manager="someone", schema=DEPLOYMENT, now=T1)
    assert [e["manager"] for e in entries(obj)] == ["kubectl-client-side-apply"]


def test_status_subresource_write_owns_status_under_its_subresource() -> None:
    old = created()
    new = copy.deepcopy(old)
    new["status"] = {
        "replicas": 1,
        "conditions": [
            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}
        ],
    }
    new["spec"]["replicas"] = 9  # a status write cannot own spec
    obj = record_update(
        old, new, manager="kube-controller-manager", schema=DEPLOYMENT, subresource="status", now=T1
    )
    assert entries(obj)[1] == {
        "manager": "kube-controller-manager",
        "operation": "Update",
        "apiVersion": "apps/v1",
        "time": T1,
        "fieldsType": "FieldsV1",
        "fieldsV1": {
            "f:status": {
                "f:conditions": {
                    ".": {},
                    'k:{"type":"Available"}': {
                        ".": {},
                        "f:reason": {},
                        "f:status": {},
                        "f:type": {},
                    },
                },
                "f:replicas": {},
            }
        },
        "subresource": "status",
    }


@pytest.mark.parametrize(
    "request_fields",
    [pytest.param([], id="empty-list"), pytest.param([{}], id="one-empty-entry")],
)
def test_writing_empty_managed_fields_clears_them(request_fields: list[Any]) -> None:
    old = created()
    new = copy.deepcopy(old)
    new["metadata"]["managedFields"] = request_fields
    new["spec"]["replicas"] = 2
    obj = record_update(old, new, manager="kubectl-edit", schema=DEPLOYMENT, now=T1)
    assert "managedFields" not in obj["metadata"]


def test_existing_object_without_managed_fields_stays_untracked() -> None:
    old = stored_deployment()
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 2
    obj = record_update(old, new, manager="kubectl-edit", schema=DEPLOYMENT, now=T1)
    assert "managedFields" not in obj["metadata"]


def test_request_managed_fields_replace_the_stored_ones_unless_invalid() -> None:
    old = created()
    new = copy.deepcopy(old)
    mine = {
        "manager": "me",
        "operation": "Update",
        "apiVersion": "apps/v1",
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:spec": {"f:replicas": {}}},
    }
    new["metadata"]["managedFields"] = [mine]
    assert entries(record_update(old, new, manager="x", schema=DEPLOYMENT, now=T1)) == [mine]
    new["metadata"]["managedFields"] = [{**mine, "operation": "Bogus"}]
    assert entries(record_update(old, new, manager="x", schema=DEPLOYMENT, now=T1)) == entries(old)


def test_empty_manager_is_recorded_as_unknown() -> None:
    obj = record_update(None, stored_deployment(), manager="", schema=DEPLOYMENT, now=T0)
    assert entries(obj)[0]["manager"] == "unknown"


def test_more_than_ten_update_managers_fold_into_ancient_changes() -> None:
    obj = created()
    for i in range(11):
        new = copy.deepcopy(obj)
        new["metadata"]["labels"][f"l{i}"] = "x"
        obj = record_update(
            obj, new, manager=f"writer-{i:02d}", schema=DEPLOYMENT, now=f"2024-05-01T11:{i:02d}:00Z"
        )
    managers = [e["manager"] for e in entries(obj)]
    assert len(managers) == 10
    assert managers[0] == "ancient-changes"
    assert "kubectl-client-side-apply" not in managers
    assert "writer-00" not in managers
    ancient = entries(obj)[0]["fieldsV1"]
    assert "f:l0" in ancient["f:metadata"]["f:labels"]
    assert "f:spec" in ancient


def test_custom_resource_create_marks_new_maps_as_members() -> None:
    schema = FieldSchema.custom(
        {
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {"image": {"type": "string"}, "replicas": {"type": "integer"}},
                }
            },
        }
    )
    obj = {
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": {"name": "f", "namespace": "default", "labels": {"a": "b"}},
        "spec": {"image": "flink:1.20", "replicas": 1},
    }
    out = record_update(None, obj, manager="kubectl-create", schema=schema, now=T0)
    assert entries(out)[0]["fieldsV1"] == {
        "f:metadata": {"f:labels": {".": {}, "f:a": {}}},
        "f:spec": {".": {}, "f:image": {}, "f:replicas": {}},
    }
