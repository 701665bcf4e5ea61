"""Services with selectors get Endpoints and EndpointSlices that follow ready pods."""

from __future__ import annotations

from typing import Any

from tests.sandbox.controllers_harness import Cluster, cluster, eventually

PODS = "/api/v1/namespaces/default/pods"


def pod(name: str, app: str = "db") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": app}},
        "spec": {
            "containers": [
                {"name": "main", "image": "db:1", "ports": [{"name": "sql", "containerPort": 5432}]}
            ]
        },
    }


def service(name: str, *, target: object = "sql", selector: dict[str, str] | None = None) -> dict:
    spec: dict[str, Any] = {"ports": [{"name": "db", "port": 80, "targetPort": target}]}
    if selector is not None:
        spec["selector"] = selector
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


async def endpoints(c: Cluster, name: str) -> dict[str, Any]:
    reply = await c.api.get(f"/api/v1/namespaces/default/endpoints/{name}")
    return reply.body if reply.status == 200 else {}


async def slices(c: Cluster, name: str) -> list[dict[str, Any]]:
    reply = await c.api.get(
        "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
        params={"labelSelector": f"kubernetes.io/service-name={name}"},
    )
    return list(reply.body["items"])


async def test_endpoints_follow_pod_readiness_with_named_target_ports() -> None:
    async with cluster() as c:
        await c.api.post(
            "/api/v1/namespaces/default/services", service("db", selector={"app": "db"})
        )
        await c.api.post(PODS, pod("db-a"))
        await c.api.post(PODS, pod("db-b"))
        await c.api.post(PODS, pod("other", app="web"))
        first, second = (
            (await c.api.get(f"{PODS}/db-a")).body,
            (await c.api.get(f"{PODS}/db-b")).body,
        )
        await c.mark_ready(first, ip="10.1.0.1")

        async def one_ready() -> bool:
            subsets = (await endpoints(c, "db")).get("subsets") or []
            return subsets == [
                {
                    "addresses": [
                        {
                            "ip": "10.1.0.1",
                            "targetRef": {
                                "kind": "Pod",
                                "namespace": "default",
                                "name": "db-a",
                                "uid": first["metadata"]["uid"],
                            },
                        }
                    ],
                    "ports": [{"name": "db", "port": 5432, "protocol": "TCP"}],
                }
            ]

        await eventually(one_ready)
        await c.mark_ready(second, ip="10.1.0.2")
        not_ready = {"type": "Ready", "status": "False"}
        await c.api.patch(
            f"{PODS}/db-a/status",
            {"status": {"conditions": [not_ready]}},
            content_type="application/strategic-merge-patch+json",
        )

        async def swapped() -> bool:
            subsets = (await endpoints(c, "db")).get("subsets") or [{}]
            ready = [a["ip"] for a in subsets[0].get("addresses", [])]
            waiting = [a["ip"] for a in subsets[0].get("notReadyAddresses", [])]
            return ready == ["10.1.0.2"] and waiting == ["10.1.0.1"]

        await eventually(swapped)

        async def sliced() -> bool:
            found = await slices(c, "db")
            if len(found) != 1:
                return False
            state = {e["addresses"][0]: e["conditions"]["ready"] for e in found[0]["endpoints"]}
            return state == {"10.1.0.1": False, "10.1.0.2": True} and found[0]["ports"] == [
                {"name": "db", "port": 5432, "protocol": "TCP"}
            ]

        await eventually(sliced)
        owner = (await slices(c, "db"))[0]["metadata"]["ownerReferences"][0]
        assert (owner["kind"], owner["name"], owner["controller"]) == ("Service", "db", True)
        await c.api.delete(f"{PODS}/db-b")

        async def only_unready() -> bool:
            subsets = (await endpoints(c, "db")).get("subsets") or [{}]
            return "addresses" not in subsets[0] and len(subsets[0]["notReadyAddresses"]) == 1

        await eventually(only_unready)


async def test_deleting_a_service_removes_its_endpoints_and_slices() -> None:
    async with cluster() as c:
        await c.api.post(
            "/api/v1/namespaces/default/services",
            service("gone", target=5432, selector={"app": "gone"}),
        )
        await c.api.post(PODS, pod("gone-a", app="gone"))
        await c.mark_ready((await c.api.get(f"{PODS}/gone-a")).body, ip="10.2.0.1")

        async def numbered() -> bool:
            subsets = (await endpoints(c, "gone")).get("subsets") or [{}]
            return subsets[0].get("ports") == [{"name": "db", "port": 5432, "protocol": "TCP"}]

        await eventually(numbered)
        await c.api.delete("/api/v1/namespaces/default/services/gone")

        async def removed() -> bool:
            return not await endpoints(c, "gone") and not await slices(c, "gone")

        await eventually(removed)


async def test_services_without_selectors_are_left_alone() -> None:
    async with cluster() as c:
        await c.api.post("/api/v1/namespaces/default/services", service("manual"))
        await c.api.post(
            "/api/v1/namespaces/default/services", service("marker", selector={"x": "y"})
        )
        await eventually(lambda: slices(c, "marker"))
        assert await endpoints(c, "manual") == {}
        assert await slices(c, "manual") == []
