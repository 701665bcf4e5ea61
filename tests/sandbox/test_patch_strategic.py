"""Strategic merge patch for built-in types, with the patches kubectl sends.

The ordering cases come from apimachinery's strategicpatch tests ("set elements order in a
list with server-only items"), moved onto `spec.containers` (merged by name).
"""

import copy
import json
from typing import Any

import pytest

from sandbox.apiserver.patch import PatchError, apply_strategic_merge_patch

DEPLOYMENT = "io.k8s.api.apps.v1.Deployment"
POD_SPEC = "io.k8s.api.core.v1.PodSpec"
POD = "io.k8s.api.core.v1.Pod"
LAST = "kubectl.kubernetes.io/last-applied-configuration"


def deployment() -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
            },
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": "nginx:1.14.2",
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            "env": [{"name": "A", "value": "1"}],
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                        },
                        {"name": "sidecar", "image": "busybox"},
                    ],
                    "volumes": [{"name": "data", "emptyDir": {}}],
                    "tolerations": [{"key": "a", "operator": "Exists"}],
                },
            },
        },
    }


def containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = obj["spec"]["template"]["spec"]["containers"]
    return result


def pod_spec(patch: dict[str, Any]) -> dict[str, Any]:
    return {"spec": {"template": {"spec": patch}}}


def test_kubectl_apply_changing_one_image_keeps_the_rest() -> None:
    last = json.dumps({"kind": "Deployment"})
    patch = {
        "metadata": {"annotations": {LAST: last}},
        **pod_spec(
            {
                "$setElementOrder/containers": [{"name": "nginx"}, {"name": "sidecar"}],
                "containers": [{"image": "nginx:1.16.1", "name": "nginx"}],
            }
        ),
    }
    original = deployment()
    result = apply_strategic_merge_patch(original, patch, definition=DEPLOYMENT)
    expected = deployment()
    expected["metadata"]["annotations"] = {LAST: last}
    containers(expected)[0]["image"] = "nginx:1.16.1"
    assert result == expected
    assert original == deployment()


def test_kubectl_apply_adding_an_env_var_orders_it_by_set_element_order() -> None:
    patch = pod_spec(
        {
            "$setElementOrder/containers": [{"name": "nginx"}, {"name": "sidecar"}],
            "containers": [
                {
                    "$setElementOrder/env": [{"name": "A"}, {"name": "B"}],
                    "env": [{"name": "B", "value": "2"}],
                    "name": "nginx",
                }
            ],
        }
    )
    result = apply_strategic_merge_patch(deployment(), patch, definition=DEPLOYMENT)
    assert containers(result)[0]["env"] == [
        {"name": "A", "value": "1"},
        {"name": "B", "value": "2"},
    ]
    assert "$setElementOrder/env" not in containers(result)[0]


def test_new_list_items_go_first_without_set_element_order() -> None:
    patch = pod_spec({"containers": [{"name": "nginx", "env": [{"name": "B", "value": "2"}]}]})
    result = apply_strategic_merge_patch(deployment(), patch, definition=DEPLOYMENT)
    assert containers(result)[0]["env"] == [
        {"name": "B", "value": "2"},
        {"name": "A", "value": "1"},
    ]


def test_patch_delete_directive_removes_a_container() -> None:
    patch = pod_spec(
        {
            "$setElementOrder/containers": [{"name": "nginx"}],
            "containers": [{"$patch": "delete", "name": "sidecar"}],
        }
    )
    result = apply_strategic_merge_patch(deployment(), patch, definition=DEPLOYMENT)
    assert [c["name"] for c in containers(result)] == ["nginx"]


def test_patch_replace_directive_replaces_the_list() -> None:
    patch = pod_spec({"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]})
    result = apply_strategic_merge_patch(deployment(), patch, definition=DEPLOYMENT)
    assert containers(result) == [{"name": "only", "image": "x"}]


def test_patch_replace_directive_replaces_a_map() -> None:
    patch = {"metadata": {"labels": {"$patch": "replace", "tier": "front"}}}
    result = apply_strategic_merge_patch(deployment(), patch, definition=DEPLOYMENT)
    assert result["metadata"]["labels"] == {"tier": "front"}


def test_patch_delete_directive_empties_a_map() -> None:
    patch = {"spec": {"strategy": {"$patch": "delete"}}}
    result = apply_strategic_merge_patch(deployment(), patch, definition=DEPLOYMENT)
    assert result["spec"]["strategy"] == {}


@pytest.mark.parametrize(
    ("current", "order", "expected"),
    [
        pytest.param(
            ["1", "3", "4", "2"], ["4", "2", "3", "1"], ["4", "2", "3", "1"], id="reorder"
        ),
        pytest.param(
            ["1", "3", "4", "2", "9"],
            ["4", "2", "3", "1"],
            ["4", "2", "3", "1", "9"],
            id="server-only-item-last",
        ),
        pytest.param(
            ["1", "2", "9", "3", "4"],
            ["2", "1", "4", "3"],
            ["2", "1", "9", "4", "3"],
            id="server-only-item-keeps-its-place",
        ),
        pytest.param(
            ["1", "2", "7", "9", "8", "3", "4"],
            ["2", "1", "4", "3"],
            ["2", "1", "7", "9", "8", "4", "3"],
            id="server-only-items-keep-their-order",
        ),
    ],
)
def test_set_element_order_orders_the_merged_list(
    current: list[str], order: list[str], expected: list[str]
) -> None:
    doc = {"containers": [{"name": n} for n in current]}
    patch = {"$setElementOrder/containers": [{"name": n} for n in order]}
    result = apply_strategic_merge_patch(doc, patch, definition=POD_SPEC)
    assert [c["name"] for c in result["containers"]] == expected


@pytest.mark.parametrize(
    ("patch", "path", "expected"),
    [
        pytest.param(
            {"containers": [{"name": "nginx", "ports": [{"containerPort": 443}]}]},
            ("containers", 0, "ports"),
            [{"containerPort": 443}, {"containerPort": 80, "protocol": "TCP"}],
            id="ports-merge-by-containerPort",
        ),
        pytest.param(
            {
                "containers": [
                    {"name": "nginx", "volumeMounts": [{"mountPath": "/data", "name": "x"}]}
                ]
            },
            ("containers", 0, "volumeMounts"),
            [{"name": "x", "mountPath": "/data"}],
            id="volumeMounts-merge-by-mountPath",
        ),
        pytest.param(
            {"tolerations": [{"key": "b", "operator": "Exists"}]},
            ("tolerations",),
            [{"key": "b", "operator": "Exists"}],
            id="tolerations-are-replaced",
        ),
        pytest.param(
            {
                "volumes": [
                    {
                        "$retainKeys": ["configMap", "name"],
                        "name": "data",
                        "configMap": {"name": "cm"},
                    }
                ]
            },
            ("volumes",),
            [{"name": "data", "configMap": {"name": "cm"}}],
            id="volumes-retainKeys-drops-the-old-source",
        ),
    ],
)
def test_pod_spec_lists_merge_by_their_patch_metadata(
    patch: dict[str, Any], path: tuple[Any, ...], expected: Any
) -> None:
    spec = deployment()["spec"]["template"]["spec"]
    value: Any = apply_strategic_merge_patch(spec, patch, definition=POD_SPEC)
    for step in path:
        value = value[step]
    assert value == expected


def test_null_deletes_a_field_of_a_merged_list_item() -> None:
    patch = pod_spec({"containers": [{"name": "nginx", "image": None}]})
    result = apply_strategic_merge_patch(deployment(), patch, definition=DEPLOYMENT)
    assert "image" not in containers(result)[0]
    assert containers(result)[1]["image"] == "busybox"


def test_deployment_strategy_retain_keys_clears_rolling_update() -> None:
    patch = {
        "spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": None}}
    }
    result = apply_strategic_merge_patch(deployment(), patch, definition=DEPLOYMENT)
    assert result["spec"]["strategy"] == {"type": "Recreate"}


def test_owner_references_merge_by_uid_and_finalizers_merge_as_a_set() -> None:
    pod = {
        "metadata": {
            "name": "p",
            "finalizers": ["a", "b"],
            "ownerReferences": [
                {"uid": "1", "name": "rs", "kind": "ReplicaSet", "apiVersion": "apps/v1"}
            ],
        }
    }
    patch = {
        "metadata": {
            "finalizers": ["c", "a"],
            "ownerReferences": [
                {"uid": "2", "name": "other", "kind": "Job", "apiVersion": "batch/v1"}
            ],
        }
    }
    result = apply_strategic_merge_patch(pod, patch, definition=POD)
    assert result["metadata"]["finalizers"] == ["c", "a", "b"]
    assert [o["uid"] for o in result["metadata"]["ownerReferences"]] == ["2", "1"]


def test_delete_from_primitive_list_removes_finalizers() -> None:
    pod = {"metadata": {"finalizers": ["a", "b", "c"]}}
    patch = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b", "zzz"]}}
    result = apply_strategic_merge_patch(pod, patch, definition=POD)
    assert result["metadata"]["finalizers"] == ["a", "c"]


def test_unknown_fields_merge_like_a_merge_patch() -> None:
    doc = {"spec": {"extra": {"a": 1, "b": 2}, "list": [1, 2]}}
    patch: dict[str, Any] = {"spec": {"extra": {"a": None, "c": {"d": None, "e": 1}}, "list": [3]}}
    result = apply_strategic_merge_patch(doc, patch, definition=DEPLOYMENT)
    assert result == {"spec": {"extra": {"b": 2, "c": {"e": 1}}, "list": [3]}}


def test_replace_strategy_replaces_a_map_whole() -> None:
    pdb = {"spec": {"selector": {"matchLabels": {"a": "1"}}}}
    patch: dict[str, Any] = {"spec": {"selector": {"matchExpressions": []}}}
    result = apply_strategic_merge_patch(
        pdb, patch, definition="io.k8s.api.policy.v1.PodDisruptionBudget"
    )
    assert result["spec"]["selector"] == {"matchExpressions": []}


def test_null_patch_changes_nothing() -> None:
    assert apply_strategic_merge_patch(deployment(), None, definition=DEPLOYMENT) == deployment()


@pytest.mark.parametrize(
    ("patch", "status", "reason", "message"),
    [
        pytest.param(
            pod_spec({"containers": [{"image": "x"}]}),
            500,
            "",
            "map: map[image:x] does not contain declared merge key: name",
            id="missing-merge-key",
        ),
        pytest.param(
            pod_spec({"containers": [{"$patch": "merge", "name": "x"}]}),
            500,
            "",
            "merging lists cannot yet be specified in the patch",
            id="merge-directive-in-list",
        ),
        pytest.param(
            {"spec": {"$patch": "frob"}},
            500,
            "",
            "unknown patch type: frob in map: map[$patch:frob]",
            id="unknown-directive",
        ),
        pytest.param(
            {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {}}}},
            400,
            "BadRequest",
            "invalid patch format of retainKeys",
            id="retain-keys-missing-a-patched-key",
        ),
        pytest.param(
            pod_spec({"$setElementOrder": []}),
            400,
            "BadRequest",
            "invalid patch format of setElementOrder list",
            id="set-element-order-without-field",
        ),
        pytest.param(
            {"metadata": {"$deleteFromPrimitiveList": ["a"]}},
            400,
            "BadRequest",
            "invalid patch format of primitive list",
            id="delete-list-without-field",
        ),
        pytest.param(
            {"metadata": {"finalizers": [["a"]]}},
            422,
            "Invalid",
            "the server rejected our request due to an error in our request",
            id="list-of-lists",
        ),
        pytest.param(
            pod_spec(
                {
                    "$setElementOrder/containers": [{"name": "nginx"}],
                    "containers": [{"name": "sidecar", "image": "x"}],
                }
            ),
            500,
            "",
            "The order in patch list:\n[map[image:x name:sidecar]]\n doesn't match "
            "$setElementOrder list:\n[map[name:nginx]]\n",
            id="set-element-order-mismatch",
        ),
        pytest.param(
            ["not", "an", "object"],
            400,
            "BadRequest",
            "json: cannot unmarshal array into Go value of type map[string]interface {}",
            id="array-body",
        ),
    ],
)
def test_strategic_merge_patch_errors_are_the_apiservers(
    patch: Any, status: int, reason: str, message: str
) -> None:
    doc = deployment()
    doc["metadata"]["finalizers"] = []
    with pytest.raises(PatchError) as info:
        apply_strategic_merge_patch(doc, copy.deepcopy(patch), definition=DEPLOYMENT)
    assert (info.value.status, info.value.reason, info.value.message) == (status, reason, message)
