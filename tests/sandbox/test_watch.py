"""Watch semantics: start points, selector transitions, bookmarks, expiry; and the HTTP stream."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest
from apiserver_harness import TABLE_ACCEPT, api_for, configmap

from sandbox.apiserver.store import Store
from sandbox.apiserver.watch import INITIAL_EVENTS_END, Watcher, bookmark

CM = ("", "configmaps")


def cm(name: str, namespace: str = "default", **labels: str) -> dict:
    return {"metadata": {"name": name, "namespace": namespace, "labels": labels}}


def labelled(obj: dict) -> bool:
    return obj["metadata"].get("labels", {}).get("app") == "x"


def make_bookmark(rv: int, end: bool) -> dict:
    return bookmark(kind="ConfigMap", api_version="v1", resource_version=rv, initial_end=end)


async def drain(watcher: Watcher, *, seconds: float = 0.05, bookmark_interval=None) -> list:
    items = []
    deadline = time.monotonic() + seconds
    async for item in watcher.items(deadline=deadline, bookmark_interval=bookmark_interval):
        items.append((str(item.type), item.object["metadata"].get("name")))
    return items


async def test_watch_without_resource_version_starts_with_the_current_state():
    store = Store()
    store.create(CM, cm("a"))
    watcher = Watcher(store, key=CM, namespace=None, predicate=lambda _: True)
    watcher.start(resource_version="", send_initial_events=None)
    store.create(CM, cm("b"))
    assert await drain(watcher) == [("ADDED", "a"), ("ADDED", "b")]


async def test_watch_from_a_resource_version_replays_only_later_events():
    store = Store()
    store.create(CM, cm("a"))
    store.create(CM, cm("b"))
    store.update(CM, cm("a"))
    watcher = Watcher(store, key=CM, namespace=None, predicate=lambda _: True)
    watcher.start(resource_version="2", send_initial_events=None)
    assert await drain(watcher) == [("MODIFIED", "a")]


async def test_watch_from_an_evicted_resource_version_gets_a_410_error_event():
    store = Store(history_size=1)
    for name in "abc":
        store.create(CM, cm(name))
    watcher = Watcher(store, key=CM, namespace=None, predicate=lambda _: True)
    watcher.start(resource_version="1", send_initial_events=None)
    items = [
        item async for item in watcher.items(deadline=time.monotonic() + 1, bookmark_interval=None)
    ]
    assert [i.type for i in items] == ["ERROR"]
    assert items[0].object == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "too old resource version: 1 (2)",
        "reason": "Expired",
        "code": 410,
    }


async def test_selector_transitions_become_added_and_deleted():
    store = Store()
    store.create(CM, cm("a"))
    watcher = Watcher(store, key=CM, namespace=None, predicate=labelled)
    watcher.start(resource_version=str(store.resource_version), send_initial_events=None)
    store.update(CM, cm("a", app="x"))
    store.update(CM, cm("a", app="x", more="y"))
    store.update(CM, cm("a"))
    store.delete(CM, "default", name="a")
    assert await drain(watcher) == [("ADDED", "a"), ("MODIFIED", "a"), ("DELETED", "a")]


async def test_namespace_scoped_watch_ignores_other_namespaces():
    store = Store()
    watcher = Watcher(store, key=CM, namespace="one", predicate=lambda _: True)
    watcher.start(resource_version="0", send_initial_events=None)
    store.create(CM, cm("a", "two"))
    store.create(CM, cm("b", "one"))
    assert await drain(watcher) == [("ADDED", "b")]


async def test_idle_watch_with_bookmarks_gets_one_at_the_current_resource_version():
    store = Store()
    store.create(CM, cm("a"))
    store.create(("", "pods"), cm("p"))
    watcher = Watcher(
        store, key=CM, namespace=None, predicate=lambda _: True, bookmark_object=make_bookmark
    )
    watcher.start(resource_version="1", send_initial_events=None)
    items = []
    async for item in watcher.items(deadline=time.monotonic() + 0.3, bookmark_interval=0.1):
        items.append(item)
        if item.type == "BOOKMARK":
            break
    assert items[-1].type == "BOOKMARK"
    assert items[-1].object["metadata"]["resourceVersion"] == "2"


async def test_send_initial_events_ends_with_an_annotated_bookmark():
    store = Store()
    store.create(CM, cm("a"))
    watcher = Watcher(
        store, key=CM, namespace=None, predicate=lambda _: True, bookmark_object=make_bookmark
    )
    watcher.start(resource_version="", send_initial_events=True)
    items = [
        i async for i in watcher.items(deadline=time.monotonic() + 0.05, bookmark_interval=None)
    ]
    assert [i.type for i in items] == ["ADDED", "BOOKMARK"]
    assert items[1].object["metadata"]["annotations"] == {INITIAL_EVENTS_END: "true"}


async def test_a_watcher_that_falls_too_far_behind_is_cut_off():
    store = Store()
    watcher = Watcher(store, key=CM, namespace=None, predicate=lambda _: True, max_queue=2)
    watcher.start(resource_version="0", send_initial_events=None)
    for name in "abc":
        store.create(CM, cm(name))
    assert watcher.overflowed
    assert watcher.closed
    assert store.watcher_count() == 0


# -- over HTTP ---------------------------------------------------------------------------


async def read_lines(response: aiohttp.ClientResponse, count: int) -> list[dict]:
    lines = []
    async with asyncio.timeout(5):
        while len(lines) < count:
            raw = await response.content.readline()
            if not raw:
                break
            lines.append(json.loads(raw))
    return lines


async def test_http_watch_streams_json_lines_from_the_list_resource_version():
    async with api_for() as api:
        await api.post("/api/v1/namespaces/default/configmaps", configmap("a"))
        listed = await api.get("/api/v1/namespaces/default/configmaps")
        rv = listed.body["metadata"]["resourceVersion"]
        url = f"{api.server.url}/api/v1/namespaces/default/configmaps"
        params = {"watch": "true", "resourceVersion": rv}
        async with api.session.get(url, params=params) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "application/json"
            assert response.headers.get("Transfer-Encoding") == "chunked"
            await api.post("/api/v1/namespaces/default/configmaps", configmap("b"))
            await api.delete("/api/v1/namespaces/default/configmaps/a")
            events = await read_lines(response, 2)
        assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
            ("ADDED", "b"),
            ("DELETED", "a"),
        ]
        assert events[0]["object"]["kind"] == "ConfigMap"


async def test_http_watch_ends_after_timeout_seconds():
    async with api_for() as api:
        url = f"{api.server.url}/api/v1/namespaces/default/configmaps"
        started = time.monotonic()
        async with api.session.get(url, params={"watch": "1", "timeoutSeconds": "1"}) as response:
            body = await response.read()
        assert body == b""
        assert 0.9 < time.monotonic() - started < 3


async def test_http_watch_with_table_accept_sends_one_row_tables_headers_once():
    async with api_for() as api:
        url = f"{api.server.url}/api/v1/namespaces/default/configmaps"
        headers = {"Accept": TABLE_ACCEPT}
        async with api.session.get(url, params={"watch": "true"}, headers=headers) as response:
            assert response.headers["Content-Type"].startswith("application/json;as=Table")
            await api.post("/api/v1/namespaces/default/configmaps", configmap("a", x="1"))
            await api.post("/api/v1/namespaces/default/configmaps", configmap("b"))
            first, second = await read_lines(response, 2)
        assert first["object"]["kind"] == "Table"
        assert [c["name"] for c in first["object"]["columnDefinitions"]] == ["Name", "Data", "Age"]
        assert first["object"]["rows"][0]["cells"][:2] == ["a", 1]
        assert second["object"]["columnDefinitions"] is None
        assert second["object"]["rows"][0]["cells"][0] == "b"


async def test_http_watch_too_old_resource_version_is_an_error_event():
    async with api_for(history_size=2) as api:
        for name in "abcd":
            await api.post("/api/v1/namespaces/default/configmaps", configmap(name))
        url = f"{api.server.url}/api/v1/namespaces/default/configmaps"
        params = {"watch": "true", "resourceVersion": "1"}
        async with api.session.get(url, params=params) as response:
            assert response.status == 200
            (event,) = await read_lines(response, 1)
        assert event["type"] == "ERROR"
        assert event["object"]["code"] == 410
        assert event["object"]["reason"] == "Expired"
        assert event["object"]["message"].startswith("too old resource version: 1 (")


async def test_websocket_upgrade_requests_get_a_plain_http_stream():
    async with api_for() as api:
        await api.post("/api/v1/namespaces/default/configmaps", configmap("a"))
        url = f"{api.server.url}/api/v1/namespaces/default/configmaps"
        headers = {
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
        }
        params = {"watch": "true", "allowWatchBookmarks": "true"}
        async with api.session.get(url, params=params, headers=headers) as response:
            assert response.status == 200
            (event,) = await read_lines(response, 1)
        assert event["type"] == "ADDED"


async def test_http_watch_sends_bookmarks_when_allowed():
    async with api_for(bookmark_interval=__import__("datetime").timedelta(seconds=0.2)) as api:
        url = f"{api.server.url}/api/v1/namespaces/default/configmaps"
        rv = (await api.get("/api/v1/namespaces/default/configmaps")).body["metadata"][
            "resourceVersion"
        ]
        params = {"watch": "true", "allowWatchBookmarks": "true", "resourceVersion": rv}
        async with api.session.get(url, params=params) as response:
            (event,) = await read_lines(response, 1)
        assert event["type"] == "BOOKMARK"
        assert event["object"]["kind"] == "ConfigMap"
        assert event["object"]["metadata"]["resourceVersion"] == rv


async def test_watch_of_one_name_with_a_field_selector_sees_only_that_object():
    async with api_for() as api:
        url = f"{api.server.url}/api/v1/namespaces/default/configmaps"
        params = {"watch": "true", "fieldSelector": "metadata.name=b"}
        async with api.session.get(url, params=params) as response:
            for name in "abc":
                await api.post("/api/v1/namespaces/default/configmaps", configmap(name))
            (event,) = await read_lines(response, 1)
        assert event["object"]["metadata"]["name"] == "b"


async def test_closed_watch_streams_unregister_their_watcher():
    async with api_for() as api:
        store = api.server.context.store
        url = f"{api.server.url}/api/v1/namespaces/default/configmaps"
        async with api.session.get(url, params={"watch": "true"}) as response:
            await asyncio.sleep(0.1)
            assert store.watcher_count() == 1
            response.close()
        for _ in range(50):
            if not store.watcher_count():
                break
            await asyncio.sleep(0.1)
        assert store.watcher_count() == 0


@pytest.mark.parametrize("bad", ["abc", "-1"])
async def test_invalid_watch_resource_version_is_a_bad_request(bad):
    async with api_for() as api:
        reply = await api.get(
            "/api/v1/namespaces/default/configmaps",
            params={"watch": "true", "resourceVersion": bad},
        )
        assert reply.status == 400
        assert reply.body["reason"] == "BadRequest"
