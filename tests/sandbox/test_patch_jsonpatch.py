"""JSON patch (RFC 6902) as kube-apiserver applies it with evanphx/json-patch v4."""

from typing import Any

import pytest

from sandbox.apiserver.patch import PatchError, apply_json_patch

GENERIC = "the server rejected our request due to an error in our request"


def doc() -> dict[str, Any]:
    return {
        "metadata": {"name": "x", "labels": {"a/b": "1", "t~x": "2"}},
        "spec": {"items": ["a", "b", "c"], "n": 1},
    }


@pytest.mark.parametrize(
    ("ops", "expected"),
    [
        pytest.param(
            [{"op": "add", "path": "/spec/new", "value": {"k": 1}}],
            {"metadata": doc()["metadata"], "spec": {**doc()["spec"], "new": {"k": 1}}},
            id="add-member",
        ),
        pytest.param(
            [{"op": "add", "path": "/spec/items/-", "value": "d"}],
            {**doc(), "spec": {"items": ["a", "b", "c", "d"], "n": 1}},
            id="add-dash-appends",
        ),
        pytest.param(
            [{"op": "add", "path": "/spec/items/1", "value": "x"}],
            {**doc(), "spec": {"items": ["a", "x", "b", "c"], "n": 1}},
            id="add-inserts-at-index",
        ),
        pytest.param(
            [{"op": "add", "path": "/spec/items/-1", "value": "z"}],
            {**doc(), "spec": {"items": ["a", "b", "c", "z"], "n": 1}},
            id="add-negative-index-counts-from-end",
        ),
        pytest.param(
            [{"op": "remove", "path": "/metadata/labels/a~1b"}],
            {**doc(), "metadata": {"name": "x", "labels": {"t~x": "2"}}},
            id="remove-escaped-slash",
        ),
        pytest.param(
            [{"op": "replace", "path": "/metadata/labels/t~0x", "value": "3"}],
            {**doc(), "metadata": {"name": "x", "labels": {"a/b": "1", "t~x": "3"}}},
            id="replace-escaped-tilde",
        ),
        pytest.param(
            [{"op": "replace", "path": "/spec/missing", "value": 5}],
            {**doc(), "spec": {**doc()["spec"], "missing": 5}},
            id="replace-of-missing-member-adds-it",
        ),
        pytest.param(
            [{"op": "move", "from": "/spec/n", "path": "/spec/m"}],
            {**doc(), "spec": {"items": ["a", "b", "c"], "m": 1}},
            id="move",
        ),
        pytest.param(
            [{"op": "copy", "from": "/spec/items/0", "path": "/spec/first"}],
            {**doc(), "spec": {**doc()["spec"], "first": "a"}},
            id="copy",
        ),
        pytest.param(
            [{"op": "copy", "from": "/spec/nothing", "path": "/spec/copied"}],
            {**doc(), "spec": {**doc()["spec"], "copied": None}},
            id="copy-of-missing-member-copies-null",
        ),
        pytest.param(
            [
                {"op": "test", "path": "/spec/n", "value": 1},
                {"op": "test", "path": "/spec/absent", "value": None},
                {"op": "replace", "path": "/spec/n", "value": 2},
            ],
            {**doc(), "spec": {"items": ["a", "b", "c"], "n": 2}},
            id="test-then-replace",
        ),
        pytest.param(None, doc(), id="null-body-is-no-operations"),
    ],
)
def test_json_patch_applies_operations(ops: Any, expected: dict[str, Any]) -> None:
    original = doc()
    assert apply_json_patch(original, ops) == expected
    assert original == doc()


@pytest.mark.parametrize(
    ("ops", "cause"),
    [
        pytest.param(
            [{"op": "remove", "path": "/spec/missing"}],
            "error in remove for path: '/spec/missing': Unable to remove nonexistent key: "
            "missing: missing value",
            id="remove-missing",
        ),
        pytest.param(
            [{"op": "add", "path": "/nope/deeper", "value": 1}],
            'add operation does not apply: doc is missing path: "/nope/deeper": missing value',
            id="add-below-missing-parent",
        ),
        pytest.param(
            [{"op": "test", "path": "/spec/n", "value": 2}],
            "testing value /spec/n failed: test failed",
            id="test-fails",
        ),
        pytest.param(
            [{"op": "test", "path": "/spec/n", "value": 1.0}],
            "testing value /spec/n failed: test failed",
            id="test-compares-json-text",
        ),
        pytest.param(
            [{"op": "add", "path": "/spec/items/7", "value": 1}],
            "error in add for path: '/spec/items/7': Unable to access invalid index: 7: "
            "invalid index referenced",
            id="add-out-of-range",
        ),
        pytest.param(
            [{"op": "replace", "path": "/spec/items/9", "value": 1}],
            "replace operation does not apply: doc is missing key: /spec/items/9",
            id="replace-out-of-range",
        ),
        pytest.param([{"op": "frob", "path": "/a"}], "Unexpected kind: frob", id="unknown-op"),
        pytest.param([{"path": "/a"}], "Unexpected kind: unknown", id="missing-op"),
        pytest.param(
            [{"op": "add", "value": 1}],
            "add operation failed to decode path: missing value",
            id="missing-path",
        ),
    ],
)
def test_json_patch_failure_is_generic_422(ops: Any, cause: str) -> None:
    with pytest.raises(PatchError) as info:
        apply_json_patch(doc(), ops)
    assert (info.value.status, info.value.reason, info.value.message) == (422, "Invalid", GENERIC)
    assert info.value.cause == cause


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        pytest.param(
            {"op": "add"},
            "error decoding patch: json: cannot unmarshal object into Go value of type "
            "[]handlers.jsonPatchOp",
            id="object-body",
        ),
        pytest.param(
            [1],
            "error decoding patch: json: cannot unmarshal number into Go value of type "
            "handlers.jsonPatchOp",
            id="number-operation",
        ),
        pytest.param(
            [{"op": "add", "path": 3}],
            "error decoding patch: json: cannot unmarshal number into Go struct field "
            "jsonPatchOp.path of type string",
            id="path-not-string",
        ),
    ],
)
def test_json_patch_malformed_body_is_bad_request(ops: Any, message: str) -> None:
    with pytest.raises(PatchError) as info:
        apply_json_patch(doc(), ops)
    assert (info.value.status, info.value.reason, info.value.message) == (
        400,
        "BadRequest",
        message,
    )


def test_json_patch_refuses_more_than_ten_thousand_operations() -> None:
    ops = [{"op": "test", "path": "/spec/n", "value": 1}] * 10001
    with pytest.raises(PatchError) as info:
        apply_json_patch(doc(), ops)
    assert info.value.status == 413
    assert info.value.reason == "RequestEntityTooLarge"
    assert (
        info.value.message == "The allowed maximum operations in a JSON patch is 10000, got 10001"
    )


def test_json_patch_replacing_the_document_with_an_array_is_invalid() -> None:
    with pytest.raises(PatchError) as info:
        apply_json_patch(doc(), [{"op": "replace", "path": "", "value": [1]}])
    assert info.value.status == 422
    assert info.value.message.startswith('"" is invalid: patch: Invalid value: "[1]": ')
    assert info.value.details["causes"][0]["field"] == "patch"
