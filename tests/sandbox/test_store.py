"""The store: one global resourceVersion, watch events for every write, a bounded history."""

from __future__ import annotations

import pytest

from sandbox.apiserver.store import EventType, Store, StoreError

CM = ("", "configmaps")
PODS = ("", "pods")


def obj(name: str, namespace: str = "default", **meta: object) -> dict:
    return {"kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace, **meta}}


def test_resource_versions_are_global_and_increase_with_every_write():
    store = Store()
    first = store.create(CM, obj("a"))
    second = store.create(PODS, obj("b"))
    third = store.update(CM, obj("a"))
    fourth = store.delete(CM, "default", name="a")
    assert [e.resource_version for e in (first, second, third, fourth)] == [1, 2, 3, 4]
    assert store.resource_version == 4
    assert fourth.object["metadata"]["resourceVersion"] == "4"
    assert fourth.previous is not None
    assert fourth.previous["metadata"]["resourceVersion"] == "3"


def test_events_carry_type_key_and_previous_state():
    store = Store()
    seen = []
    store.listen(seen.append)
    store.create(CM, obj("a"))
    store.update(CM, obj("a", labels={"x": "y"}))
    store.delete(CM, "default", name="a")
    assert [(e.type, e.key, e.name) for e in seen] == [
        (EventType.ADDED, CM, "a"),
        (EventType.MODIFIED, CM, "a"),
        (EventType.DELETED, CM, "a"),
    ]
    assert seen[1].previous == seen[0].object


def test_lists_are_sorted_by_namespace_then_name():
    store = Store()
    for namespace, name in [("b", "x"), ("a", "z"), ("a", "y")]:
        store.create(CM, obj(name, namespace))
    assert [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in store.objects(CM)] == [
        ("a", "y"),
        ("a", "z"),
        ("b", "x"),
    ]
    assert [o["metadata"]["name"] for o in store.objects(CM, "a")] == ["y", "z"]
    assert store.count(CM) == 3
    assert store.count(CM, "b") == 1


@pytest.mark.parametrize(
    ("operation", "args", "kwargs"),
    [
        pytest.param("create", (CM, obj("a")), {}, id="create-existing"),
        pytest.param("update", (CM, obj("missing")), {}, id="update-missing"),
        pytest.param("delete", (CM, "default"), {"name": "missing"}, id="delete-missing"),
    ],
)
def test_impossible_writes_are_refused(operation, args, kwargs):
    store = Store()
    store.create(CM, obj("a"))
    with pytest.raises(StoreError):
        getattr(store, operation)(*args, **kwargs)


def test_history_replays_events_after_a_resource_version():
    store = Store()
    for name in "abc":
        store.create(CM, obj(name))
    events = store.history_since(1)
    assert events is not None
    assert [e.name for e in events] == ["b", "c"]
    assert store.history_since(3) == []


def test_history_reports_evicted_resource_versions_as_gone():
    store = Store(history_size=2)
    for name in "abcd":
        store.create(CM, obj(name))
    assert store.oldest_resumable == 2
    assert store.history_since(1) is None
    events = store.history_since(2)
    assert events is not None
    assert [e.name for e in events] == ["c", "d"]


def test_owner_and_uid_indexes_follow_writes():
    store = Store()
    store.create(CM, obj("owner", uid="u1"))
    owned = obj("child", uid="u2", ownerReferences=[{"uid": "u1", "name": "owner"}])
    store.create(CM, owned)
    assert store.dependents("u1") == [(CM, "default", "child")]
    assert store.by_uid("u2") == (CM, "default", "child")
    store.update(CM, obj("child", uid="u2"))
    assert store.dependents("u1") == []
    store.delete(CM, "default", name="child")
    assert store.by_uid("u2") is None


def test_restore_keeps_objects_and_continues_resource_versions_upward():
    store = Store()
    store.restore([(CM, {"metadata": {"name": "a", "namespace": "default", "uid": "u"}})], 41)
    assert store.get(CM, "default", name="a") is not None
    assert store.by_uid("u") == (CM, "default", "a")
    assert store.history_since(40) is None
    event = store.create(CM, obj("b"))
    assert event.resource_version == 42


def test_watchers_of_a_key_see_only_that_key():
    store = Store()
    seen = []
    store.watch_key(CM, seen.append)
    store.create(PODS, obj("p"))
    store.create(CM, obj("c"))
    store.unwatch_key(CM, seen.append)
    store.create(CM, obj("d"))
    assert [e.name for e in seen] == ["c"]
