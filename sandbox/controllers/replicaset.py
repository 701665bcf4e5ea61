"""The ReplicaSet controller: keeps `spec.replicas` pods matching a ReplicaSet's selector.

As kube-controller-manager's replicaset controller: pods are created from the template with
`generateName: <rs>-` (the API server appends five characters of kube's alphabet) and a
controller ownerReference with blockOwnerDeletion; orphans matching the selector are
adopted and owned pods that stopped matching are released; surplus pods are deleted
preferring unscheduled, pending, not-ready, restart-prone and newer pods. Expectations
hold a ReplicaSet back until the informer has seen the pods it created or deleted, so a
sync never acts on a stale cache twice. Status carries replicas, fullyLabeledReplicas,
readyReplicas, availableReplicas and observedGeneration.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.controllers import common
from sandbox.controllers.client import PODS, REPLICASETS, ApiClient, ApiError, Object
from sandbox.controllers.informer import Handlers, InformerFactory, key_of, split_key
from sandbox.controllers.workqueue import WorkQueue

logger = logging.getLogger(__name__)

BURST = 500
EXPECTATION_TTL = 300.0


@dataclass
class _Expectation:
    adds: int = 0
    deletes: set[str] = field(default_factory=set)
    stamp: float = field(default_factory=time.monotonic)


class Expectations:
    """Creations and deletions a controller waits to observe, per owner key."""

    def __init__(self) -> None:
        self._items: dict[str, _Expectation] = {}

    def satisfied(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None:
            return True
        fulfilled = item.adds <= 0 and not item.deletes
        return fulfilled or time.monotonic() - item.stamp > EXPECTATION_TTL

    def expect(self, key: str, *, adds: int = 0, deletes: set[str] | None = None) -> None:
        self._items[key] = _Expectation(adds=adds, deletes=set(deletes or ()))

    def creation_observed(self, key: str) -> None:
        if key in self._items:
            self._items[key].adds -= 1

    def deletion_observed(self, key: str, pod_key: str) -> None:
        if key in self._items:
            self._items[key].deletes.discard(pod_key)

    def forget(self, key: str) -> None:
        self._items.pop(key, None)


def _deletion_rank(pod: Object) -> tuple[Any, ...]:
    """Lower sorts first: the pods a scale-down removes first (controller.ActivePods)."""
    status = pod.get("status") or {}
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}.get(status.get("phase", ""), 0)
    restarts = sum(int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or [])
    created = (pod["metadata"].get("creationTimestamp") or "", pod["metadata"].get("name", ""))
    return (
        bool((pod.get("spec") or {}).get("nodeName")),
        phase_rank,
        common.pod_is_ready(pod),
        -restarts,
        tuple(-ord(ch) for ch in "".join(created)),
    )


def pods_to_delete(pods: list[Object], count: int) -> list[Object]:
    return sorted(pods, key=_deletion_rank)[:count]


class ReplicaSetController:
    """Reconciles ReplicaSets against the pods cache."""

    def __init__(self, client: ApiClient, informers: InformerFactory) -> None:
        self.client = client
        self.queue = WorkQueue("replicaset")
        self.expectations = Expectations()
        self.replicasets = informers.informer(REPLICASETS)
        self.pods = informers.informer(PODS)
        self.replicasets.add_handlers(
            Handlers(
                on_add=self._enqueue,
                on_update=lambda _old, new: self._enqueue(new),
                on_delete=self._on_rs_delete,
            )
        )
        self.pods.add_handlers(
            Handlers(
                on_add=self._on_pod_add,
                on_update=self._on_pod_update,
                on_delete=self._on_pod_delete,
            )
        )

    async def run(self, *, workers: int = 2) -> None:
        await self.queue.run(self.sync, workers=workers)

    def _enqueue(self, rs: Object) -> None:
        self.queue.add(key_of(rs))

    def _on_rs_delete(self, rs: Object) -> None:
        self.expectations.forget(key_of(rs))

    def _owner_key(self, pod: Object) -> str | None:
        ref = common.controller_ref(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return None
        key = f"{pod['metadata'].get('namespace')}/{ref.get('name')}"
        rs = self.replicasets.get(key)
        if rs is None or rs["metadata"].get("uid") != ref.get("uid"):
            return None
        return key

    def _enqueue_matching(self, pod: Object) -> None:
        labels = common.labels_of(pod)
        for rs in self.replicasets.list(pod["metadata"].get("namespace")):
            if common.selector_matches((rs.get("spec") or {}).get("selector"), labels):
                self._enqueue(rs)

    def _on_pod_add(self, pod: Object) -> None:
        owner = self._owner_key(pod)
        if owner is not None:
            self.expectations.creation_observed(owner)
            self.queue.add(owner)
        elif common.controller_ref(pod) is None:
            self._enqueue_matching(pod)

    def _on_pod_update(self, old: Object, new: Object) -> None:
        previous, current = self._owner_key(old), self._owner_key(new)
        if previous and previous != current:
            self.queue.add(previous)
        if current:
            self.queue.add(current)
        elif common.controller_ref(new) is None and (
            old is new or common.labels_of(old) != common.labels_of(new)
        ):
            self._enqueue_matching(new)

    def _on_pod_delete(self, pod: Object) -> None:
        owner = self._owner_key(pod)
        if owner is not None:
            self.expectations.deletion_observed(owner, key_of(pod))
            self.queue.add(owner)

    async def sync(self, key: str) -> None:
        rs = self.replicasets.get(key)
        if rs is None:
            self.expectations.forget(key)
            return
        namespace, _ = split_key(key)
        pods = await self._claim(
            rs, [p for p in self.pods.list(namespace) if common.pod_is_active(p)]
        )
        if self.expectations.satisfied(key) and not common.is_deleting(rs):
            await self._manage(key, rs, pods)
        await self._update_status(rs, pods)

    async def _claim(self, rs: Object, pods: list[Object]) -> list[Object]:
        """Adopt matching orphans, release owned pods that stopped matching (ClaimPods)."""
        uid = rs["metadata"]["uid"]
        selector = (rs.get("spec") or {}).get("selector")
        claimed: list[Object] = []
        for pod in pods:
            ref = common.controller_ref(pod)
            matches = common.selector_matches(selector, common.labels_of(pod))
            refs = list(pod["metadata"].get("ownerReferences") or [])
            if ref is not None and ref.get("uid") == uid:
                if matches:
                    claimed.append(pod)
                    continue
                remaining = [r for r in refs if r.get("uid") != uid]
                await self._patch_owners(pod, remaining)
            elif ref is None and matches and not common.is_deleting(rs):
                patched = await self._patch_owners(pod, [*refs, common.owner_reference(rs)])
                if patched is not None:
                    claimed.append(patched)
        return claimed

    async def _patch_owners(self, pod: Object, refs: list[Object]) -> Object | None:
        meta = pod["metadata"]
        patch = {"metadata": {"ownerReferences": refs or None, "uid": meta["uid"]}}
        try:
            return await self.client.patch(PODS, meta["namespace"], meta["name"], patch)
        except ApiError as exc:
            if exc.status in (404, 409, 422):
                return None
            raise

    async def _manage(self, key: str, rs: Object, pods: list[Object]) -> None:
        desired = int((rs.get("spec") or {}).get("replicas", 1))
        diff = len(pods) - desired
        if diff < 0:
            count = min(-diff, BURST)
            self.expectations.expect(key, adds=count)
            results = await asyncio.gather(
                *(self._create_pod(rs) for _ in range(count)), return_exceptions=True
            )
            failures = [r for r in results if isinstance(r, BaseException)]
            for _ in failures:
                self.expectations.creation_observed(key)
            if failures:
                raise failures[0]
        elif diff > 0:
            victims = pods_to_delete(pods, min(diff, BURST))
            self.expectations.expect(key, deletes={key_of(p) for p in victims})
            for pod in victims:
                meta = pod["metadata"]
                try:
                    await self.client.delete(PODS, meta["namespace"], meta["name"])
                except ApiError as exc:
                    self.expectations.deletion_observed(key, key_of(pod))
                    if exc.status != 404:
                        raise

    async def _create_pod(self, rs: Object) -> Object:
        template = copy.deepcopy((rs.get("spec") or {}).get("template") or {})
        meta = template.get("metadata") or {}
        pod: Object = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "generateName": f"{rs['metadata']['name']}-",
                "namespace": rs["metadata"]["namespace"],
                "labels": meta.get("labels") or {},
                "annotations": meta.get("annotations") or {},
                "ownerReferences": [common.owner_reference(rs)],
            },
            "spec": template.get("spec") or {},
        }
        if meta.get("finalizers"):
            pod["metadata"]["finalizers"] = meta["finalizers"]
        return await self.client.create(PODS, rs["metadata"]["namespace"], pod)

    async def _update_status(self, rs: Object, pods: list[Object]) -> None:
        spec = rs.get("spec") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)
        at = common.now()
        template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        status = dict(rs.get("status") or {})
        status.update(
            replicas=len(pods),
            fullyLabeledReplicas=sum(
                all(common.labels_of(p).get(k) == v for k, v in template_labels.items())
                for p in pods
            ),
            readyReplicas=sum(common.pod_is_ready(p) for p in pods),
            availableReplicas=sum(
                common.pod_is_available(p, min_ready_seconds=min_ready, at=at) for p in pods
            ),
            observedGeneration=rs["metadata"].get("generation", 0),
        )
        if min_ready and status["readyReplicas"] != status["availableReplicas"]:
            self.queue.add_after(key_of(rs), float(min_ready))
        if status == (rs.get("status") or {}):
            return
        try:
            await self.client.update_status(REPLICASETS, {**rs, "status": status})
        except ApiError as exc:
            if exc.status == 404:
                return
            if exc.status == 409:
                self.queue.add(key_of(rs))
                return
            raise
