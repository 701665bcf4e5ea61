"""Server-side apply: merging, pruning, ownership and conflicts as kube-apiserver does them."""

import copy
import json
from typing import Any

import pytest

from sandbox.apiserver.patch import (
    LAST_APPLIED,
    ApplyConflict,
    FieldSchema,
    PatchError,
    record_update,
    server_side_apply,
)

DEPLOYMENT = FieldSchema.builtin("io.k8s.api.apps.v1.Deployment")
T0, T1, T2 = "2024-05-01T10:00:00Z", "2024-05-01T10:05:00Z", "2024-05-01T10:10:00Z"


def config(**spec: Any) -> dict[str, Any]:
    """A small Deployment apply configuration; keyword arguments override spec fields."""
    base: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "nginx", "namespace": "default", "labels": {"app": "nginx"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": "nginx:1.14.2",
                            "ports": [{"containerPort": 80}],
                        }
                    ]
                },
            },
        },
    }
    base["spec"].update(spec)
    return base


def apply(
    live: dict[str, Any] | None,
    applied: dict[str, Any],
    *,
    manager: str = "alice",
    force: bool = False,
    now: str = T0,
    schema: FieldSchema = DEPLOYMENT,
    subresource: str = "",
) -> dict[str, Any]:
    result = server_side_apply(
        live,
        applied,
        manager=manager,
        force=force,
        schema=schema,
        subresource=subresource,
        now=now,
    )
    result["metadata"].setdefault("uid", "uid-1")  # as the store would on create
    return result


def owners(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["manager"]: e for e in obj["metadata"]["managedFields"]}


def containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = obj["spec"]["template"]["spec"]["containers"]
    return result


# What kube-apiserver records for `kubectl apply --server-side` of config().
APPLIED_FIELDS = {
    "f:metadata": {"f:labels": {"f:app": {}}},
    "f:spec": {
        "f:replicas": {},
        "f:selector": {},
        "f:template": {
            "f:metadata": {"f:labels": {"f:app": {}}},
            "f:spec": {
                "f:containers": {
                    'k:{"name":"nginx"}': {
                        ".": {},
                        "f:image": {},
                        "f:name": {},
                        "f:ports": {
                            'k:{"containerPort":80,"protocol":"TCP"}': {
                                ".": {},
                                "f:containerPort": {},
                            }
                        },
                    }
                }
            },
        },
    },
}


def test_apply_creates_the_object_with_an_apply_entry() -> None:
    applied = config()
    obj = server_side_apply(
        None, applied, manager="kubectl", force=False, schema=DEPLOYMENT, now=T0
    )
    assert obj["metadata"]["managedFields"] == [
        {
            "manager": "kubectl",
            "operation": "Apply",
            "apiVersion": "apps/v1",
            "time": T0,
            "fieldsType": "FieldsV1",
            "fieldsV1": APPLIED_FIELDS,
        }
    ]
    del obj["metadata"]["managedFields"]
    assert obj == config()
    assert applied == config()


def test_reapply_without_a_field_removes_it() -> None:
    live = apply(None, config(minReadySeconds=5))
    live = apply(live, config(), now=T1)
    assert "minReadySeconds" not in live["spec"]
    assert owners(live)["alice"]["time"] == T1
    assert "f:minReadySeconds" not in owners(live)["alice"]["fieldsV1"]["f:spec"]


def test_reapply_without_a_container_removes_the_container() -> None:
    two = config()
    containers(two).append({"name": "sidecar", "image": "busybox"})
    live = apply(None, two)
    live = apply(live, config(), now=T1)
    assert [c["name"] for c in containers(live)] == ["nginx"]


def test_field_another_applier_also_owns_survives_removal() -> None:
    live = apply(None, config(minReadySeconds=5))
    live = apply(live, config(minReadySeconds=5), manager="bob", now=T1)
    live = apply(live, config(), now=T2)
    assert live["spec"]["minReadySeconds"] == 5
    assert "f:minReadySeconds" in owners(live)["bob"]["fieldsV1"]["f:spec"]


def test_field_changed_by_an_update_is_kept_when_no_longer_applied() -> None:
    live = apply(None, config(minReadySeconds=5))
    edited = copy.deepcopy(live)
    edited["spec"]["minReadySeconds"] = 7
    live = record_update(live, edited, manager="kubectl-edit", schema=DEPLOYMENT, now=T1)
    live = apply(live, config(), now=T2)
    assert live["spec"]["minReadySeconds"] == 7
    assert set(owners(live)) == {"alice", "kubectl-edit"}


def test_conflict_with_an_update_manager_names_it_with_its_version() -> None:
    live = apply(None, config())
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 5
    live = record_update(
        live, scaled, manager="kubectl-client-side-apply", schema=DEPLOYMENT, now=T1
    )
    with pytest.raises(ApplyConflict) as info:
        apply(live, config(), now=T2)
    error = info.value
    assert (error.status, error.reason) == (409, "Conflict")
    assert error.message == (
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: '
        ".spec.replicas"
    )
    assert error.conflicts == [("kubectl-client-side-apply", ".spec.replicas")]
    assert error.details == {
        "causes": [
            {
                "reason": "FieldManagerConflict",
                "message": 'conflict with "kubectl-client-side-apply" using apps/v1',
                "field": ".spec.replicas",
            }
        ]
    }


def test_conflicts_between_two_appliers_list_every_field() -> None:
    live = apply(None, config())
    changed = config(replicas=3)
    containers(changed)[0]["image"] = "nginx:1.16"
    with pytest.raises(ApplyConflict) as info:
        apply(live, changed, manager="bob", now=T1)
    assert info.value.message == (
        'Apply failed with 2 conflicts: conflicts with "alice":\n'
        "- .spec.replicas\n"
        '- .spec.template.spec.containers[name="nginx"].image'
    )


def test_same_value_from_two_appliers_is_shared_without_conflict() -> None:
    live = apply(None, config())
    live = apply(live, config(), manager="bob", now=T1)
    assert owners(live)["bob"]["fieldsV1"] == APPLIED_FIELDS
    assert owners(live)["alice"]["fieldsV1"] == APPLIED_FIELDS
    assert "time" not in owners(live)["bob"]  # the object did not change


def test_force_takes_ownership() -> None:
    live = apply(None, config())
    live = apply(live, config(replicas=5), manager="bob", force=True, now=T1)
    assert live["spec"]["replicas"] == 5
    assert "f:replicas" not in owners(live)["alice"]["fieldsV1"]["f:spec"]
    assert owners(live)["bob"]["fieldsV1"] == APPLIED_FIELDS


def test_noop_apply_keeps_the_time() -> None:
    live = apply(None, config())
    again = apply(live, config(), now=T1)
    assert owners(again)["alice"]["time"] == T0
    assert again == live


def test_first_apply_to_an_untracked_object_records_before_first_apply() -> None:
    live = config()
    live["metadata"]["uid"] = "u"
    live["spec"]["paused"] = True
    obj = apply(live, config(), now=T1)
    assert [e["manager"] for e in obj["metadata"]["managedFields"]] == [
        "alice",
        "before-first-apply",
    ]
    before = owners(obj)["before-first-apply"]
    assert (before["operation"], before["time"]) == ("Update", T1)
    assert {"f:paused", "f:replicas"} <= set(before["fieldsV1"]["f:spec"])
    assert obj["spec"]["paused"] is True
    with pytest.raises(ApplyConflict) as info:
        apply(live, config(replicas=4), now=T1)
    assert info.value.conflicts == [("before-first-apply", ".spec.replicas")]


def test_kubectl_takes_over_fields_from_client_side_apply_without_conflict() -> None:
    created = config()
    created["metadata"]["annotations"] = {LAST_APPLIED: json.dumps(config()) + "\n"}
    live = record_update(
        None, created, manager="kubectl-client-side-apply", schema=DEPLOYMENT, now=T0
    )
    live["metadata"]["uid"] = "u"
    obj = apply(live, config(replicas=3), manager="kubectl", now=T1)
    assert obj["spec"]["replicas"] == 3
    assert "f:replicas" not in owners(obj)["kubectl-client-side-apply"]["fieldsV1"]["f:spec"]
    last = json.loads(obj["metadata"]["annotations"][LAST_APPLIED])
    assert last == config(replicas=3)
    # Another manager gets no such pass.
    with pytest.raises(ApplyConflict):
        apply(live, config(replicas=3), manager="someone-else", now=T1)


def test_status_in_a_main_resource_apply_is_not_owned() -> None:
    applied = config()
    applied["status"] = {"replicas": 1}
    obj = apply(None, applied)
    assert "f:status" not in owners(obj)["alice"]["fieldsV1"]


def test_status_subresource_apply_records_the_subresource() -> None:
    live = apply(None, config())
    status = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "nginx", "namespace": "default"},
        "status": {"replicas": 2},
    }
    obj = apply(live, status, manager="controller", subresource="status", now=T1)
    entry = owners(obj)["controller"]
    assert entry["subresource"] == "status"
    assert entry["fieldsV1"] == {"f:status": {"f:replicas": {}}}


CRD_SCHEMA = FieldSchema.custom(
    {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "jobs": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                        "items": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string"},
                                "parallelism": {"type": "integer"},
                                "args": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    },
                    "tags": {
                        "type": "array",
                        "x-kubernetes-list-type": "set",
                        "items": {"type": "string"},
                    },
                    "flinkConfiguration": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                    },
                },
            },
            "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        },
    }
)


def flink(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": {"name": "f", "namespace": "default"},
        "spec": spec,
    }


def test_custom_resource_map_lists_merge_by_key_between_appliers() -> None:
    live = apply(
        None,
        flink(jobs=[{"name": "a", "parallelism": 1, "args": ["x"]}], tags=["t1"]),
        schema=CRD_SCHEMA,
    )
    live = apply(
        live,
        flink(jobs=[{"name": "b", "parallelism": 2}], tags=["t2"], flinkConfiguration={"k": "v"}),
        manager="bob",
        schema=CRD_SCHEMA,
        now=T1,
    )
    assert live["spec"]["jobs"] == [
        {"name": "a", "parallelism": 1, "args": ["x"]},
        {"name": "b", "parallelism": 2},
    ]
    assert live["spec"]["tags"] == ["t1", "t2"]
    assert owners(live)["bob"]["fieldsV1"] == {
        "f:spec": {
            "f:flinkConfiguration": {"f:k": {}},
            "f:jobs": {'k:{"name":"b"}': {".": {}, "f:name": {}, "f:parallelism": {}}},
            "f:tags": {'v:"t2"': {}},
        }
    }
    # alice drops her job and tag; bob's stay, and the atomic args list is replaced whole.
    live = apply(live, flink(jobs=[{"name": "b", "args": ["y"]}]), schema=CRD_SCHEMA, now=T2)
    assert live["spec"]["jobs"] == [{"name": "b", "parallelism": 2, "args": ["y"]}]
    assert live["spec"]["tags"] == ["t2"]


@pytest.mark.parametrize(
    ("applied", "status", "message"),
    [
        pytest.param(
            {**config(), "kind": "StatefulSet"},
            400,
            "invalid object type: apps/v1, Kind=StatefulSet",
            id="wrong-kind",
        ),
        pytest.param(
            {**config(), "metadata": {"name": "nginx", "managedFields": []}},
            400,
            "metadata.managedFields must be nil",
            id="managed-fields-set",
        ),
        pytest.param(
            config(foo=1),
            500,
            "failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): "
            ".spec.foo: field not declared in schema",
            id="unknown-field",
        ),
        pytest.param(
            config(replicas="two"),
            500,
            "failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): "
            ".spec.replicas: expected numeric (int or float), got string",
            id="wrong-type",
        ),
        pytest.param(
            config(
                template={
                    "spec": {
                        "containers": [{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]
                    }
                }
            ),
            500,
            "failed to create typed patch object (default/nginx; apps/v1, Kind=Deployment): "
            '.spec.template.spec.containers: duplicate entries for key [name="a"]',
            id="duplicate-key",
        ),
    ],
)
def test_invalid_apply_configurations_are_refused(
    applied: dict[str, Any], status: int, message: str
) -> None:
    with pytest.raises(PatchError) as info:
        apply(None, applied)
    assert (info.value.status, info.value.message) == (status, message)


def test_corrupt_live_managed_fields_fail_the_apply() -> None:
    live = apply(None, config())
    live["metadata"]["managedFields"][0]["operation"] = "Nope"
    with pytest.raises(PatchError) as info:
        apply(live, config(), now=T1)
    assert info.value.status == 500
    assert (
        info.value.message
        == "failed to decode managed fields: operation must be `Apply` or `Update`"
    )


SET_SCHEMA = FieldSchema.custom(
    {
        "type": "object",
        "properties": {
            "list": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}
        },
    }
)


def test_set_items_from_an_applier_and_an_updater_interleave_as_in_smd() -> None:
    """structured-merge-diff's merge/set_test.go "apply_update_apply_no_overlap"."""

    def obj(*items: str) -> dict[str, Any]:
        return {
            "apiVersion": "x/v1",
            "kind": "Sets",
            "metadata": {"name": "s"},
            "list": list(items),
        }

    live = apply(None, obj("a", "c"), manager="default", schema=SET_SCHEMA)
    live = record_update(
        live, obj("a", "b", "c", "d"), manager="controller", schema=SET_SCHEMA, now=T1
    )
    live = apply(
        live, obj("a", "aprime", "c", "cprime"), manager="default", schema=SET_SCHEMA, now=T2
    )
    assert live["list"] == ["a", "b", "aprime", "c", "d", "cprime"]
    assert owners(live)["default"]["fieldsV1"] == {
        "f:list": {'v:"a"': {}, 'v:"aprime"': {}, 'v:"c"': {}, 'v:"cprime"': {}}
    }
    assert owners(live)["controller"]["fieldsV1"] == {"f:list": {'v:"b"': {}, 'v:"d"': {}}}


def test_applied_structs_no_longer_applied_are_removed() -> None:
    """structured-merge-diff's merge/key_test.go "removing_obsolete_applied_structs"."""
    first = flink(jobs=[{"name": "a", "parallelism": 1}])
    live = apply(None, first, manager="default", schema=CRD_SCHEMA)
    live = apply(
        live,
        flink(jobs=[{"name": "b", "parallelism": 2}]),
        manager="default",
        schema=CRD_SCHEMA,
        now=T1,
    )
    assert live["spec"]["jobs"] == [{"name": "b", "parallelism": 2}]
    assert owners(live)["default"]["fieldsV1"] == {
        "f:spec": {"f:jobs": {'k:{"name":"b"}': {".": {}, "f:name": {}, "f:parallelism": {}}}}
    }
