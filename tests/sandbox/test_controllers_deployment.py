"""Deployments through the controllers: ReplicaSets, pods, rollouts, scaling, status, GC."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.sandbox.apiserver_harness import deployment, run_kubectl
from tests.sandbox.controllers_harness import MERGE, Cluster, cluster, eventually

DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
REPLICASETS = "/apis/apps/v1/namespaces/default/replicasets"


async def replica_sets(c: Cluster, app: str) -> list[dict[str, Any]]:
    reply = await c.api.get(REPLICASETS, params={"labelSelector": f"app={app}"})
    return list(reply.body["items"])


async def status(c: Cluster, name: str) -> dict[str, Any]:
    reply = await c.api.get(f"{DEPLOYMENTS}/{name}")
    return dict(reply.body.get("status") or {})


async def pod_count(c: Cluster, app: str, count: int) -> bool:
    return len(await c.pods(f"app={app}")) == count


async def test_deployment_creates_a_replica_set_and_its_pods() -> None:
    async with cluster() as c:
        assert (await c.api.post(DEPLOYMENTS, deployment("web", replicas=3))).status == 201
        pods = await eventually(lambda: _pods_when(c, "web", 3))
        rs = (await replica_sets(c, "web"))[0]
        digest = rs["metadata"]["labels"]["pod-template-hash"]
        assert rs["metadata"]["name"] == f"web-{digest}"
        assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
        assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": digest}
        owner = rs["metadata"]["ownerReferences"][0]
        assert (owner["kind"], owner["controller"], owner["blockOwnerDeletion"]) == (
            "Deployment",
            True,
            True,
        )
        for pod in pods:
            name = pod["metadata"]["name"]
            assert name.startswith(f"web-{digest}-")
            assert len(name) == len(f"web-{digest}-") + 5
            assert set(name[-5:]) <= set("bcdfghjklmnpqrstvwxz2456789")
            assert pod["metadata"]["ownerReferences"][0]["name"] == rs["metadata"]["name"]
        await c.mark_all_ready("app=web")

        async def available() -> bool:
            s = await status(c, "web")
            conditions = {k["type"]: k["reason"] for k in s.get("conditions", [])}
            return s.get("availableReplicas") == 3 and conditions == {
                "Available": "MinimumReplicasAvailable",
                "Progressing": "NewReplicaSetAvailable",
            }

        await eventually(available)
        s = await status(c, "web")
        assert (s["replicas"], s["updatedReplicas"], s["readyReplicas"]) == (3, 3, 3)
        assert s["observedGeneration"] == 1


async def _pods_when(c: Cluster, app: str, count: int) -> list[dict[str, Any]]:
    pods = await c.pods(f"app={app}")
    return pods if len(pods) == count else []


async def test_scaling_up_and_down_follows_spec_replicas() -> None:
    async with cluster() as c:
        await c.api.post(DEPLOYMENTS, deployment("scale", replicas=2))
        await eventually(lambda: pod_count(c, "scale", 2))
        await c.mark_all_ready("app=scale")
        await c.api.patch(f"{DEPLOYMENTS}/scale", {"spec": {"replicas": 5}}, content_type=MERGE)
        await eventually(lambda: pod_count(c, "scale", 5))
        await c.mark_all_ready("app=scale")
        await c.api.patch(f"{DEPLOYMENTS}/scale", {"spec": {"replicas": 1}}, content_type=MERGE)
        await eventually(lambda: pod_count(c, "scale", 1))
        assert len(await replica_sets(c, "scale")) == 1

        async def settled() -> bool:
            s = await status(c, "scale")
            return (s.get("replicas"), s.get("availableReplicas"), s.get("observedGeneration")) == (
                1,
                1,
                3,
            )

        await eventually(settled)


async def _roll_until_done(c: Cluster, app: str) -> None:
    async def done() -> bool:
        await c.mark_all_ready(f"app={app}")
        d = (await c.api.get(f"{DEPLOYMENTS}/{app}")).body
        s = d.get("status") or {}
        if s.get("observedGeneration") != d["metadata"]["generation"]:
            return False
        return any(
            k["type"] == "Progressing" and k["reason"] == "NewReplicaSetAvailable"
            for k in s.get("conditions", [])
        ) and s.get("replicas") == s.get("updatedReplicas")

    await eventually(done, within=15)


async def test_image_change_rolls_out_a_new_replica_set(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    async with cluster(kubeconfig=kubeconfig) as c:
        await c.api.post(DEPLOYMENTS, deployment("roll", replicas=4))
        await _roll_until_done(c, "roll")
        image = {"spec": {"template": {"spec": {"containers": [{"name": "main", "image": "x:2"}]}}}}
        patched = await c.api.patch(
            f"{DEPLOYMENTS}/roll", image, content_type="application/strategic-merge-patch+json"
        )
        assert patched.status == 200, patched.body
        seen_total: list[int] = []

        async def rolled() -> bool:
            pods = await c.pods("app=roll")
            seen_total.append(len(pods))
            await c.mark_all_ready("app=roll")
            s = await status(c, "roll")
            return (
                s.get("updatedReplicas") == 4
                and s.get("replicas") == 4
                and all(p["spec"]["containers"][0]["image"] == "x:2" for p in pods)
            )

        await eventually(rolled, within=15)
        assert max(seen_total) <= 5  # maxSurge 25% of 4
        code, out, err = await run_kubectl(
            kubeconfig, "rollout", "status", "deployment/roll", "--timeout=20s"
        )
        assert code == 0, err
        assert "successfully rolled out" in out
        sets = {
            rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]: rs["spec"][
                "replicas"
            ]
            for rs in await replica_sets(c, "roll")
        }
        assert sets == {"1": 0, "2": 4}
        d = (await c.api.get(f"{DEPLOYMENTS}/roll")).body
        assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"


async def test_recreate_deletes_old_pods_before_creating_new_ones() -> None:
    async with cluster() as c:
        body = deployment("rec", replicas=2)
        body["spec"]["strategy"] = {"type": "Recreate"}
        await c.api.post(DEPLOYMENTS, body)
        await _roll_until_done(c, "rec")
        old = {p["metadata"]["name"] for p in await c.pods("app=rec")}
        image = {"spec": {"template": {"spec": {"containers": [{"name": "main", "image": "x:2"}]}}}}
        await c.api.patch(
            f"{DEPLOYMENTS}/rec", image, content_type="application/strategic-merge-patch+json"
        )
        mixed = False

        async def replaced() -> bool:
            nonlocal mixed
            names = {p["metadata"]["name"] for p in await c.pods("app=rec")}
            mixed = mixed or bool(names & old and names - old)
            return len(names) == 2 and not names & old

        await eventually(replaced)
        assert not mixed
        await _roll_until_done(c, "rec")


async def test_deleting_a_deployment_collects_its_replica_sets_and_pods() -> None:
    async with cluster() as c:
        await c.api.post(DEPLOYMENTS, deployment("gone", replicas=2))
        await eventually(lambda: pod_count(c, "gone", 2))
        assert (await c.api.delete(f"{DEPLOYMENTS}/gone")).status == 200

        async def collected() -> bool:
            return not await replica_sets(c, "gone") and not await c.pods("app=gone")

        await eventually(collected)


async def test_revision_history_limit_deletes_drained_replica_sets() -> None:
    async with cluster() as c:
        body = deployment("hist", replicas=1)
        body["spec"]["revisionHistoryLimit"] = 1
        await c.api.post(DEPLOYMENTS, body)
        await _roll_until_done(c, "hist")
        for image in ("x:2", "x:3"):
            patch = {
                "spec": {"template": {"spec": {"containers": [{"name": "main", "image": image}]}}}
            }
            await c.api.patch(
                f"{DEPLOYMENTS}/hist", patch, content_type="application/strategic-merge-patch+json"
            )
            await _roll_until_done(c, "hist")

        async def pruned() -> list[str] | None:
            revisions = sorted(
                rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                for rs in await replica_sets(c, "hist")
            )
            return revisions if revisions == ["2", "3"] else None

        await eventually(pruned)
