"""The Deployment controller: rolls a Deployment's pod template out through ReplicaSets.

As kube-controller-manager's deployment controller: the ReplicaSet whose template equals
the Deployment's (ignoring `pod-template-hash`) is the new one, created on demand as
`<deployment>-<hash>` with the hash label on its selector and template and the next
`deployment.kubernetes.io/revision`; RollingUpdate grows it within maxSurge and shrinks the
old ones within maxUnavailable (unhealthy replicas first), Recreate scales the old ones to
zero and waits for their pods to go before creating the new one. Old ReplicaSets beyond
`revisionHistoryLimit` are deleted once drained. Status sums the ReplicaSets' counters and
carries the Available and Progressing conditions with upstream reasons and messages.
Proportional scaling of several active ReplicaSets mid-rollout is not done: a scale
during a rollout resolves through the normal rolling arithmetic instead.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from sandbox.controllers import common
from sandbox.controllers import deployment_util as util
from sandbox.controllers.client import DEPLOYMENTS, PODS, REPLICASETS, ApiClient, ApiError
from sandbox.controllers.informer import Handlers, InformerFactory, key_of, split_key
from sandbox.controllers.workqueue import WorkQueue

logger = logging.getLogger(__name__)

Object = dict[str, Any]


class DeploymentController:
    """Reconciles Deployments against the ReplicaSets cache."""

    def __init__(self, client: ApiClient, informers: InformerFactory) -> None:
        self.client = client
        self.queue = WorkQueue("deployment")
        self.deployments = informers.informer(DEPLOYMENTS)
        self.replicasets = informers.informer(REPLICASETS)
        self.pods = informers.informer(PODS)
        self.deployments.add_handlers(
            Handlers(
                on_add=self._enqueue,
                on_update=lambda _old, new: self._enqueue(new),
                on_delete=self._enqueue,
            )
        )
        self.replicasets.add_handlers(
            Handlers(
                on_add=self._on_rs,
                on_update=lambda _old, new: self._on_rs(new),
                on_delete=self._on_rs,
            )
        )

    async def run(self, *, workers: int = 2) -> None:
        await self.queue.run(self.sync, workers=workers)

    def _enqueue(self, deployment: Object) -> None:
        self.queue.add(key_of(deployment))

    def _on_rs(self, rs: Object) -> None:
        ref = common.controller_ref(rs)
        namespace = rs["metadata"].get("namespace")
        if ref is not None:
            if ref.get("kind") == "Deployment":
                self.queue.add(f"{namespace}/{ref.get('name')}")
            return
        for deployment in self.deployments.list(namespace):
            selector = (deployment.get("spec") or {}).get("selector")
            if common.selector_matches(selector, common.labels_of(rs)):
                self._enqueue(deployment)

    async def sync(self, key: str) -> None:
        cached = self.deployments.get(key)
        if cached is None or common.is_deleting(cached):
            return
        deployment = copy.deepcopy(cached)
        all_rs = await self._claim(deployment)
        if (deployment.get("spec") or {}).get("paused"):
            await self._sync_status(deployment, all_rs, self._find_new(deployment, all_rs))
            return
        strategy = ((deployment.get("spec") or {}).get("strategy") or {}).get("type")
        if strategy == "Recreate":
            await self._recreate(deployment, all_rs)
        else:
            await self._rolling(deployment, all_rs)

    async def _claim(self, deployment: Object) -> list[Object]:
        namespace, _ = split_key(key_of(deployment))
        uid = deployment["metadata"]["uid"]
        selector = (deployment.get("spec") or {}).get("selector")
        owned: list[Object] = []
        for rs in self.replicasets.list(namespace):
            ref = common.controller_ref(rs)
            if ref is not None and ref.get("uid") == uid:
                owned.append(rs)
            elif ref is None and common.selector_matches(selector, common.labels_of(rs)):
                refs = [*(rs["metadata"].get("ownerReferences") or [])]
                refs.append(common.owner_reference(deployment))
                patch = {"metadata": {"ownerReferences": refs, "uid": rs["metadata"]["uid"]}}
                try:
                    owned.append(await self._patch_rs(rs, patch))
                except ApiError as exc:
                    if exc.status not in (404, 409, 422):
                        raise
        return owned

    def _find_new(self, deployment: Object, all_rs: list[Object]) -> Object | None:
        wanted = util.without_hash((deployment.get("spec") or {}).get("template"))
        matching = [
            rs
            for rs in all_rs
            if util.without_hash((rs.get("spec") or {}).get("template")) == wanted
        ]
        matching.sort(key=lambda rs: rs["metadata"].get("creationTimestamp", ""))
        return matching[0] if matching else None

    async def _patch_rs(self, rs: Object, patch: Object) -> Object:
        meta = rs["metadata"]
        return await self.client.patch(REPLICASETS, meta["namespace"], meta["name"], patch)

    async def _scale(self, deployment: Object, rs: Object, count: int) -> Object:
        if util.replicas(rs) == count:
            return rs
        surge, _ = util.surge_and_unavailable(deployment)
        desired = int((deployment.get("spec") or {}).get("replicas", 1))
        annotations = {util.DESIRED_REPLICAS: str(desired), util.MAX_REPLICAS: str(desired + surge)}
        patch = {"metadata": {"annotations": annotations}, "spec": {"replicas": count}}
        logger.info(
            "scaling replica set",
            extra={"replicaset": rs["metadata"]["name"], "from": util.replicas(rs), "to": count},
        )
        return await self._patch_rs(rs, patch)

    async def _get_new(
        self, deployment: Object, all_rs: list[Object], *, create: bool
    ) -> tuple[Object | None, list[Object], bool]:
        """(new RS, old RSes, created?) with the revision annotations brought up to date."""
        new = self._find_new(deployment, all_rs)
        olds = [
            rs for rs in all_rs if new is None or rs["metadata"]["uid"] != new["metadata"]["uid"]
        ]
        next_revision = max((util.revision(rs) for rs in olds), default=0) + 1
        created = False
        if new is not None and util.revision(new) < next_revision:
            patch = {"metadata": {"annotations": {util.REVISION: str(next_revision)}}}
            new = await self._patch_rs(new, patch)
        if new is None and create:
            new = await self._create_rs(deployment, all_rs, next_revision)
            created = new is not None
        if new is not None:
            wanted = str(util.revision(new))
            annotations = deployment["metadata"].get("annotations") or {}
            if annotations.get(util.REVISION) != wanted:
                meta = deployment["metadata"]
                patch = {"metadata": {"annotations": {util.REVISION: wanted}}}
                updated = await self.client.patch(
                    DEPLOYMENTS, meta["namespace"], meta["name"], patch
                )
                deployment["metadata"] = updated["metadata"]
        return new, olds, created

    async def _create_rs(
        self, deployment: Object, all_rs: list[Object], revision: int
    ) -> Object | None:
        spec = deployment.get("spec") or {}
        collisions = (deployment.get("status") or {}).get("collisionCount")
        template = copy.deepcopy(spec.get("template") or {})
        digest = util.template_hash(template, collisions)
        template.setdefault("metadata", {}).setdefault("labels", {})[util.HASH_LABEL] = digest
        selector = copy.deepcopy(spec.get("selector") or {})
        selector.setdefault("matchLabels", {})[util.HASH_LABEL] = digest
        meta = deployment["metadata"]
        annotations = {
            k: v for k, v in (meta.get("annotations") or {}).items() if k not in util.NOT_COPIED
        }
        surge, _ = util.surge_and_unavailable(deployment)
        desired = int(spec.get("replicas", 1))
        annotations.update(
            {
                util.REVISION: str(revision),
                util.DESIRED_REPLICAS: str(desired),
                util.MAX_REPLICAS: str(desired + surge),
            }
        )
        rs: Object = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": f"{meta['name']}-{digest}",
                "namespace": meta["namespace"],
                "labels": dict(template["metadata"]["labels"]),
                "annotations": annotations,
                "ownerReferences": [common.owner_reference(deployment)],
            },
            "spec": {
                "replicas": 0,
                "minReadySeconds": int(spec.get("minReadySeconds") or 0),
                "selector": selector,
                "template": template,
            },
        }
        rs["spec"]["replicas"] = util.new_rs_replicas(deployment, all_rs, rs)
        try:
            return await self.client.create(REPLICASETS, meta["namespace"], rs)
        except ApiError as exc:
            if exc.status != 409:
                raise
        existing = await self.client.get(REPLICASETS, meta["namespace"], rs["metadata"]["name"])
        ref = common.controller_ref(existing)
        same = util.without_hash(existing["spec"].get("template")) == util.without_hash(template)
        if ref is not None and ref.get("uid") == meta["uid"] and same:
            return existing
        status = dict(deployment.get("status") or {})
        status["collisionCount"] = int(collisions or 0) + 1
        await self.client.update_status(DEPLOYMENTS, {**deployment, "status": status})
        return None

    async def _recreate(self, deployment: Object, all_rs: list[Object]) -> None:
        new, olds, _ = await self._get_new(deployment, all_rs, create=False)
        active = [rs for rs in olds if util.replicas(rs) > 0]
        if active:
            olds = [await self._scale(deployment, rs, 0) if rs in active else rs for rs in olds]
            await self._sync_status(deployment, [*olds, *([new] if new else [])], new)
            return
        old_uids = {rs["metadata"]["uid"] for rs in olds}
        running = [
            pod
            for pod in self.pods.list(deployment["metadata"]["namespace"])
            if (common.controller_ref(pod) or {}).get("uid") in old_uids
            and not common.is_deleting(pod)
        ]
        drained = all(util.status_count(rs, "replicas") == 0 for rs in olds)
        if running or not drained:
            await self._sync_status(deployment, all_rs, new)
            return
        created = False
        if new is None:
            new, olds, created = await self._get_new(deployment, all_rs, create=True)
            if new is None:
                return
        desired = int((deployment.get("spec") or {}).get("replicas", 1))
        new = await self._scale(deployment, new, desired)
        await self._finish(deployment, [*olds, new], new, created=created)

    async def _rolling(self, deployment: Object, all_rs: list[Object]) -> None:
        new, olds, created = await self._get_new(deployment, all_rs, create=True)
        if new is None:
            return
        all_rs = [*olds, new]
        target = util.new_rs_replicas(deployment, all_rs, new)
        desired = int((deployment.get("spec") or {}).get("replicas", 1))
        if util.replicas(new) > desired:
            target = desired
        if target != util.replicas(new):
            new = await self._scale(deployment, new, target)
            await self._sync_status(deployment, [*olds, new], new, created=created)
            return
        olds, scaled = await self._scale_down_old(deployment, olds, new)
        await self._finish(deployment, [*olds, new], new, created=created, scaled=scaled)

    async def _scale_down_old(
        self, deployment: Object, olds: list[Object], new: Object
    ) -> tuple[list[Object], bool]:
        if sum(util.replicas(rs) for rs in olds) == 0:
            return olds, False
        desired = int((deployment.get("spec") or {}).get("replicas", 1))
        _, unavailable = util.surge_and_unavailable(deployment)
        min_available = desired - unavailable
        all_count = sum(util.replicas(rs) for rs in [*olds, new])
        new_unavailable = util.replicas(new) - util.status_count(new, "availableReplicas")
        budget = all_count - min_available - new_unavailable
        if budget <= 0:
            return olds, False
        olds = sorted(olds, key=lambda rs: rs["metadata"].get("creationTimestamp", ""))
        scaled = False
        result: list[Object] = []
        for rs in olds:  # unhealthy replicas first (cleanupUnhealthyReplicas)
            unhealthy = util.replicas(rs) - util.status_count(rs, "availableReplicas")
            cut = min(budget, max(unhealthy, 0))
            if cut > 0:
                rs = await self._scale(deployment, rs, util.replicas(rs) - cut)
                budget -= cut
                scaled = True
            result.append(rs)
        available = sum(util.status_count(rs, "availableReplicas") for rs in [*result, new])
        total_cut = min(available - min_available, budget)
        final: list[Object] = []
        for rs in result:
            cut = min(util.replicas(rs), total_cut)
            if cut > 0:
                rs = await self._scale(deployment, rs, util.replicas(rs) - cut)
                total_cut -= cut
                scaled = True
            final.append(rs)
        return final, scaled

    async def _finish(
        self,
        deployment: Object,
        all_rs: list[Object],
        new: Object,
        *,
        created: bool = False,
        scaled: bool = False,
    ) -> None:
        status = await self._sync_status(deployment, all_rs, new, created=created)
        if not scaled and util.is_complete(deployment, status):
            await self._cleanup(deployment, [rs for rs in all_rs if rs is not new])

    async def _cleanup(self, deployment: Object, olds: list[Object]) -> None:
        limit = (deployment.get("spec") or {}).get("revisionHistoryLimit")
        if limit is None:
            return
        candidates = [rs for rs in olds if not common.is_deleting(rs)]
        excess = len(candidates) - int(limit)
        for rs in sorted(candidates, key=util.revision):
            if excess <= 0:
                break
            meta = rs["metadata"]
            drained = util.replicas(rs) == 0 and util.status_count(rs, "replicas") == 0
            if not drained or util.status_count(rs, "observedGeneration") < meta.get(
                "generation", 0
            ):
                continue
            try:
                await self.client.delete(
                    REPLICASETS, meta["namespace"], meta["name"], uid=meta["uid"]
                )
            except ApiError as exc:
                if exc.status not in (404, 409):
                    raise
            excess -= 1

    async def _sync_status(
        self, deployment: Object, all_rs: list[Object], new: Object | None, *, created: bool = False
    ) -> Object:
        old_status = deployment.get("status") or {}
        desired = int((deployment.get("spec") or {}).get("replicas", 1))
        available = sum(util.status_count(rs, "availableReplicas") for rs in all_rs)
        status: Object = {
            k: v for k, v in old_status.items() if k in ("conditions", "collisionCount")
        }
        status.update(
            observedGeneration=deployment["metadata"].get("generation", 0),
            replicas=sum(util.status_count(rs, "replicas") for rs in all_rs),
            updatedReplicas=util.status_count(new, "replicas") if new else 0,
            readyReplicas=sum(util.status_count(rs, "readyReplicas") for rs in all_rs),
            availableReplicas=available,
            unavailableReplicas=max(desired - available, 0),
        )
        at = common.rfc3339(common.now())
        _, unavailable = util.surge_and_unavailable(deployment)
        if available >= desired - unavailable:
            util.set_condition(
                status, kind="Available", value="True", reason="MinimumReplicasAvailable",
                message="Deployment has minimum availability.", at=at,
            )  # fmt: skip
        else:
            util.set_condition(
                status, kind="Available", value="False", reason="MinimumReplicasUnavailable",
                message="Deployment does not have minimum availability.", at=at,
            )  # fmt: skip
        if new is not None:
            util.set_progressing(
                deployment, old_status, status, new["metadata"]["name"], created=created, at=at
            )
        status = {k: v for k, v in status.items() if v != 0 or k == "observedGeneration"}
        if status != old_status:
            try:
                await self.client.update_status(DEPLOYMENTS, {**deployment, "status": status})
            except ApiError as exc:
                if exc.status == 409:
                    self.queue.add(key_of(deployment))
                elif exc.status != 404:
                    raise
        return status
