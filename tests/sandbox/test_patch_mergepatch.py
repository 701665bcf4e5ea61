"""JSON merge patch (RFC 7386) as kube-apiserver applies it with evanphx/json-patch v4."""

from typing import Any

import pytest

from sandbox.apiserver.patch import PatchError, apply_merge_patch

CM: dict[str, Any] = {"metadata": {"name": "c", "labels": {"a": "1", "b": "2"}}, "data": {"k": "v"}}


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        pytest.param(
            {"metadata": {"labels": {"a": None, "c": "3"}}},
            {"metadata": {"name": "c", "labels": {"b": "2", "c": "3"}}, "data": {"k": "v"}},
            id="null-deletes-and-members-merge",
        ),
        pytest.param(
            {"data": None},
            {"metadata": CM["metadata"]},
            id="null-deletes-a-whole-map",
        ),
        pytest.param(
            {"data": ["x"]},
            {"metadata": CM["metadata"], "data": ["x"]},
            id="non-object-replaces",
        ),
        pytest.param(
            {"spec": {"a": {"b": None, "c": 1}, "d": None}},
            {**CM, "spec": {"a": {"c": 1}}},
            id="new-values-lose-nested-nulls",
        ),
        pytest.param(
            {"metadata": {"name": {"x": None, "y": 1}}},
            {
                "metadata": {"name": {"y": 1}, "labels": CM["metadata"]["labels"]},
                "data": {"k": "v"},
            },
            id="object-over-scalar-loses-nulls",
        ),
        pytest.param(
            {"data": {"list": [{"a": None, "b": 1}, None]}},
            {"metadata": CM["metadata"], "data": {"k": "v", "list": [{"b": 1}, None]}},
            id="array-elements-keep-null-but-lose-null-members",
        ),
        pytest.param({}, CM, id="empty-patch"),
    ],
)
def test_merge_patch_follows_rfc7386(patch: dict[str, Any], expected: dict[str, Any]) -> None:
    assert apply_merge_patch(CM, patch) == expected


def test_merge_patch_does_not_mutate_inputs() -> None:
    doc = {"a": {"b": 1}}
    patch = {"a": {"b": None, "c": {"d": None}}}
    assert apply_merge_patch(doc, patch) == {"a": {"c": {}}}
    assert doc == {"a": {"b": 1}}
    assert patch == {"a": {"b": None, "c": {"d": None}}}


@pytest.mark.parametrize("patch", [None, "x", 3, True], ids=["null", "string", "number", "bool"])
def test_merge_patch_body_that_is_not_an_object_is_bad_request(patch: object) -> None:
    with pytest.raises(PatchError) as info:
        apply_merge_patch(CM, patch)
    assert (info.value.status, info.value.reason, info.value.message) == (
        400,
        "BadRequest",
        "Invalid JSON Patch",
    )


def test_merge_patch_array_body_replaces_the_object_and_fails_to_decode() -> None:
    with pytest.raises(PatchError) as info:
        apply_merge_patch(CM, [{"a": None}])
    assert info.value.status == 422
    assert info.value.reason == "Invalid"
    assert 'Invalid value: "[{}]"' in info.value.message
