"""Fault injection, switched at run time through /sandbox/faults, and bearer-token auth."""

from __future__ import annotations

import asyncio
import time

import pytest
from apiserver_harness import Api, api_for, configmap

from sandbox.apiserver.faults import FaultPolicy

CMS = "/api/v1/namespaces/default/configmaps"


@pytest.fixture
async def api():
    async with api_for() as api:
        yield api


async def test_faults_are_off_by_default(api: Api):
    reply = await api.get("/sandbox/faults")
    assert reply.body["policy"]["error_rate"] == 0
    for _ in range(20):
        assert (await api.get(CMS)).status == 200


@pytest.mark.parametrize(
    ("policy", "status", "reason"),
    [
        pytest.param({"error_rate": 1.0}, 500, "InternalError", id="errors"),
        pytest.param(
            {"throttle_rate": 1.0, "retry_after_seconds": 3}, 429, "TooManyRequests", id="throttle"
        ),
    ],
)
async def test_injected_failures_are_status_bodies(api: Api, policy, status, reason):
    assert (await api.post("/sandbox/faults", policy)).status == 200
    reply = await api.get(CMS)
    assert reply.status == status
    assert reply.body["reason"] == reason
    if status == 429:
        assert reply.headers["Retry-After"] == "3"
        assert reply.body["details"] == {"retryAfterSeconds": 3}
    await api.delete("/sandbox/faults")
    assert (await api.get(CMS)).status == 200


async def test_a_fraction_of_requests_fails_repeatably_with_a_seed(api: Api):
    await api.post("/sandbox/faults", {"error_rate": 0.5, "seed": 7})
    first = [(await api.get(CMS)).status for _ in range(40)]
    await api.post("/sandbox/faults", {"error_rate": 0.5, "seed": 7})
    second = [(await api.get(CMS)).status for _ in range(40)]
    assert first == second
    assert 5 < first.count(500) < 35


async def test_faults_can_be_limited_to_methods_and_paths(api: Api):
    await api.post(
        "/sandbox/faults", {"error_rate": 1.0, "methods": ["post"], "path_pattern": "configmaps"}
    )
    assert (await api.get(CMS)).status == 200
    assert (await api.post(CMS, configmap("a"))).status == 500
    assert (await api.get("/api/v1/namespaces")).status == 200


async def test_added_latency_slows_requests(api: Api):
    await api.post("/sandbox/faults", {"latency_seconds": 0.3})
    started = time.monotonic()
    await api.get(CMS)
    assert time.monotonic() - started >= 0.3


async def test_watch_streams_are_dropped_after_the_configured_time(api: Api):
    await api.post("/sandbox/faults", {"watch_drop_after_seconds": 0.5})
    started = time.monotonic()
    url = f"{api.server.url}{CMS}"
    async with api.session.get(url, params={"watch": "true"}) as response:
        await asyncio.wait_for(response.read(), timeout=5)
    assert time.monotonic() - started < 3


async def test_invalid_policies_are_refused(api: Api):
    reply = await api.post("/sandbox/faults", {"nonsense": 1})
    assert reply.status == 400
    assert "unknown fault settings: nonsense" in reply.body["message"]


def test_policy_round_trips_through_json():
    policy = FaultPolicy.from_json({"throttle_rate": 0.25, "methods": ["get"], "seed": 1})
    assert FaultPolicy.from_json(policy.to_json()) == policy
    assert policy.methods == ("GET",)


async def test_a_token_is_required_when_configured():
    async with api_for(token="t0ken") as api:
        assert (await api.get(CMS)).status == 200
        api.headers.clear()
        reply = await api.get(CMS)
        assert reply.status == 401
        assert reply.body["reason"] == "Unauthorized"
        assert (await api.get("/version")).status == 200
        assert (await api.get("/healthz")).status == 200
