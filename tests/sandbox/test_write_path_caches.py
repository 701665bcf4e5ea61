"""The write path's shortcuts give the same answers as the plain computations they replace."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sandbox.apiserver import errors
from sandbox.apiserver.clock import rfc3339
from sandbox.apiserver.patch import FieldSchema, record_update
from sandbox.apiserver.patch.fieldpaths import FieldSet, PathElement
from sandbox.apiserver.rest.negotiation import negotiate
from sandbox.apiserver.schema.gojson import copy_json
from sandbox.apiserver.store import Store

CM = ("", "configmaps")


def _containers(value: object) -> list[int]:
    if isinstance(value, dict):
        return [id(value), *(i for v in value.values() for i in _containers(v))]
    if isinstance(value, list):
        return [id(value), *(i for v in value for i in _containers(v))]
    return []


def test_copy_json_is_an_equal_tree_sharing_no_container():
    value = {"a": [1, 2.5, True, None, {"b": "c"}], "d": {"e": {}}, "f": []}
    copied = copy_json(value)
    assert copied == value
    assert not set(_containers(copied)) & set(_containers(value))


def test_copy_json_deep_copies_values_json_never_holds():
    stamp = {"when": datetime(2025, 1, 2, tzinfo=UTC), "pair": (1, [2])}
    copied = copy_json(stamp)
    assert copied == stamp
    assert copied["pair"][1] is not stamp["pair"][1]


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2025, 1, 2, 3, 4, 5, 999_999, tzinfo=UTC),
        datetime(2025, 1, 2, 3, 4, 6, tzinfo=UTC),
        datetime(2025, 1, 2, 8, 4, 6, 1, tzinfo=timezone(timedelta(hours=5))),
        datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC),
    ],
    ids=["second", "end-of-second", "next-second", "other-zone", "before-epoch"],
)
def test_rfc3339_matches_formatting_each_time(moment: datetime):
    expected = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert rfc3339(moment) == expected
    assert rfc3339(moment) == expected  # again, from the remembered second


def test_field_name_elements_are_shared_and_hash_like_fresh_ones():
    fresh = PathElement("f", "spec", (0, "spec"))
    assert PathElement.field_name("spec") is PathElement.field_name("spec")
    assert PathElement.field_name("spec") == fresh
    assert hash(PathElement.field_name("spec")) == hash(fresh)
    assert hash(PathElement.key([("name", "a")])) == hash(PathElement.key([("name", "a")]))


def test_field_set_operations_match_the_underlying_sets():
    f = PathElement.field_name
    left = FieldSet([(f("a"),), (f("a"), f("b")), (f("c"),)])
    right = FieldSet([(f("a"), f("b")), (f("d"),)])
    empty = FieldSet()
    assert (left | right).paths == left.paths | right.paths
    assert (left & right).paths == left.paths & right.paths
    assert (left - right).paths == left.paths - right.paths
    assert (left | empty) == left
    assert (empty - left) == empty
    assert not (left & empty)
    assert left.recursive_difference(FieldSet([(f("a"),)])).paths == {(f("c"),)}


@pytest.mark.parametrize("creating", [True, False], ids=["create", "update"])
def test_record_update_neither_mutates_nor_shares_with_its_inputs(creating: bool):
    schema = FieldSchema.builtin("io.k8s.api.core.v1.ConfigMap")
    old = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "a", "namespace": "n", "uid": "u", "managedFields": []},
        "data": {"x": "1"},
    }
    new = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "a", "namespace": "n", "labels": {"k": "v"}},
        "data": {"x": "2", "y": "3"},
    }
    old_before, new_before = copy.deepcopy(old), copy.deepcopy(new)
    recorded = record_update(
        None if creating else old, new, manager="m", schema=schema, now="2025-01-02T03:04:05Z"
    )
    assert (old, new) == (old_before, new_before)
    assert not set(_containers(recorded)) & set(_containers(new) + _containers(old))
    if creating:
        [entry] = recorded["metadata"]["managedFields"]
        assert entry["fieldsV1"] == {
            "f:data": {".": {}, "f:x": {}, "f:y": {}},
            "f:metadata": {"f:labels": {".": {}, "f:k": {}}},
        }


def test_a_written_objects_encoding_is_shared_with_its_watch_event():
    store = Store()
    event = store.create(CM, {"kind": "ConfigMap", "metadata": {"name": "a", "namespace": "n"}})
    data = store.encoded(CM, event.object, form="v1", encode=lambda o: b"encoded")
    assert event.cache == {"v1": data}
    replaced = store.update(CM, {"kind": "ConfigMap", "metadata": {"name": "a", "namespace": "n"}})
    assert replaced.cache == {}
    assert store.encoded(CM, event.object, form="v1", encode=lambda o: b"stale") == b"stale"


@pytest.mark.parametrize(
    ("header", "stream"),
    [
        ("application/json", False),
        ("application/json;as=Table;v=v1;g=meta.k8s.io,application/json", False),
        ("application/json;stream=watch", True),
        ("application/vnd.kubernetes.protobuf, */*", False),
    ],
    ids=["json", "table", "watch-stream", "protobuf-first"],
)
def test_negotiation_answers_the_same_the_second_time(header: str, stream: bool):
    first = negotiate(header, stream=stream)
    assert negotiate(header, stream=stream) == first


def test_an_unacceptable_header_is_refused_every_time():
    for _ in range(2):
        with pytest.raises(errors.ApiError) as caught:
            negotiate("image/png")
        assert caught.value.code == 406
