"""The garbage collector: ownerReferences, cascading deletion and its three propagation modes.

kube-controller-manager's garbage collector, in process. It follows store events: when an
owner disappears its dependents are examined; when an owner is deleted in the foreground
(`foregroundDeletion` finalizer) its dependents are deleted first and the finalizer is
removed once no dependent with `blockOwnerDeletion` is left; when an owner is deleted with
the `orphan` finalizer its dependents lose their reference to it and the finalizer goes.
A dependent whose owners are all gone (or never existed with that uid) is deleted in the
background, or in the foreground when an owner waits for it; one that still has a live
owner only loses the references to the missing ones. Owners are found by uid, and a
namespaced owner must sit in its dependent's namespace, as the real collector requires.
All writes go through `Lifecycle`, so they produce ordinary watch events.
"""

from __future__ import annotations

import copy
import logging
from typing import Literal

from sandbox.apiserver import errors
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.lifecycle import DeleteOptions, Lifecycle
from sandbox.apiserver.metadata import FOREGROUND_FINALIZER, ORPHAN_FINALIZER
from sandbox.apiserver.store import Event, EventType, Object, ObjectRef
from sandbox.apiserver.workqueue import WorkQueue

logger = logging.getLogger(__name__)

Task = tuple[Literal["dependent", "owner"], ObjectRef]


class GarbageCollector:
    """Reacts to store events; `settle()` waits for the cascade to finish."""

    def __init__(self, lifecycle: Lifecycle) -> None:
        self._lifecycle = lifecycle
        self._store = lifecycle.store
        self._queue: WorkQueue[Task] = WorkQueue("garbage-collector", self._process)
        self._store.listen(self._on_event)

    def start(self) -> None:
        """Start the worker and examine every object with owners (after a restore)."""
        self._queue.start()
        for key in self._store.storage_keys():
            for obj in self._store.objects(key):
                if (obj.get("metadata") or {}).get("ownerReferences"):
                    self._queue.add(("dependent", _ref(key, obj)))

    async def stop(self) -> None:
        await self._queue.stop()

    async def settle(self) -> None:
        await self._queue.settle()

    def _on_event(self, event: Event) -> None:
        meta = event.object.get("metadata") or {}
        ref: ObjectRef = (event.key, event.namespace, event.name)
        if event.type is EventType.DELETED:
            for dependent in self._store.dependents(str(meta.get("uid", ""))):
                self._queue.add(("dependent", dependent))
            # A waiting foreground owner may now be free to go.
            for owner in meta.get("ownerReferences") or []:
                found = self._store.by_uid(str(owner.get("uid", "")))
                if found is not None:
                    self._queue.add(("owner", found))
            return
        if meta.get("deletionTimestamp") and {ORPHAN_FINALIZER, FOREGROUND_FINALIZER} & set(
            meta.get("finalizers") or []
        ):
            self._queue.add(("owner", ref))
        previous = (event.previous or {}).get("metadata") or {}
        if meta.get("ownerReferences") and (
            event.type is EventType.ADDED
            or meta.get("ownerReferences") != previous.get("ownerReferences")
        ):
            self._queue.add(("dependent", ref))

    def _process(self, task: Task) -> None:
        role, ref = task
        if role == "dependent":
            self._dependent(ref)
        else:
            self._owner(ref)

    def _kind(self, ref: ObjectRef) -> ResourceKind | None:
        kinds = self._lifecycle.registry.kinds_stored_at(ref[0])
        return kinds[0] if kinds else None

    def _owner_state(self, dependent: Object, owner: dict[str, object]) -> str:
        """`solid`, `dangling`, or `waiting` (owner deleted in the foreground)."""
        found = self._store.by_uid(str(owner.get("uid", "")))
        if found is None:
            return "dangling"
        key, namespace, name = found
        owner_obj = self._store.get(key, namespace, name=name)
        dep_namespace = str((dependent.get("metadata") or {}).get("namespace") or "")
        if owner_obj is None or name != owner.get("name") or namespace not in ("", dep_namespace):
            return "dangling"
        meta = owner_obj["metadata"]
        if meta.get("deletionTimestamp") and FOREGROUND_FINALIZER in (meta.get("finalizers") or []):
            return "waiting"
        return "solid"

    def _dependent(self, ref: ObjectRef) -> None:
        obj = self._store.get(ref[0], ref[1], name=ref[2])
        kind = self._kind(ref)
        if obj is None or kind is None:
            return
        owners = list((obj.get("metadata") or {}).get("ownerReferences") or [])
        states = [self._owner_state(obj, owner) for owner in owners]
        if not owners:
            return
        if "solid" not in states:
            if obj["metadata"].get("deletionTimestamp"):
                return
            policy = "Foreground" if "waiting" in states else self._own_policy(obj)
            logger.info(
                "deleting dependent",
                extra={"resource": ref[0][1], "namespace": ref[1], "object": ref[2]},
            )
            self._delete(kind, ref, policy=policy)
            return
        if "dangling" in states or "waiting" in states:
            kept = [o for o, s in zip(owners, states, strict=True) if s == "solid"]
            self._set_owners(kind, obj, owners=kept)

    @staticmethod
    def _own_policy(obj: Object) -> str:
        finalizers = obj["metadata"].get("finalizers") or []
        if ORPHAN_FINALIZER in finalizers:
            return "Orphan"
        if FOREGROUND_FINALIZER in finalizers:
            return "Foreground"
        return "Background"

    def _owner(self, ref: ObjectRef) -> None:
        obj = self._store.get(ref[0], ref[1], name=ref[2])
        kind = self._kind(ref)
        if obj is None or kind is None or not obj["metadata"].get("deletionTimestamp"):
            return
        uid = str(obj["metadata"].get("uid"))
        finalizers = list(obj["metadata"].get("finalizers") or [])
        if ORPHAN_FINALIZER in finalizers:
            for dep_ref in self._store.dependents(uid):
                dependent = self._store.get(dep_ref[0], dep_ref[1], name=dep_ref[2])
                dep_kind = self._kind(dep_ref)
                if dependent is not None and dep_kind is not None:
                    kept = [
                        o
                        for o in dependent["metadata"].get("ownerReferences") or []
                        if o.get("uid") != uid
                    ]
                    self._set_owners(dep_kind, dependent, owners=kept)
            self._drop_finalizer(kind, obj, finalizer=ORPHAN_FINALIZER)
            return
        if FOREGROUND_FINALIZER not in finalizers:
            return
        blocking = False
        for dep_ref in self._store.dependents(uid):
            dependent = self._store.get(dep_ref[0], dep_ref[1], name=dep_ref[2])
            if dependent is None:
                continue
            refs = dependent["metadata"].get("ownerReferences") or []
            if any(o.get("uid") == uid and o.get("blockOwnerDeletion") for o in refs):
                blocking = True
            self._queue.add(("dependent", dep_ref))
        if not blocking:
            self._drop_finalizer(kind, obj, finalizer=FOREGROUND_FINALIZER)

    def _delete(self, kind: ResourceKind, ref: ObjectRef, *, policy: str) -> None:
        try:
            self._lifecycle.delete(
                kind, ref[1], name=ref[2], options=DeleteOptions(propagation_policy=policy)
            )
        except errors.ApiError as error:
            if error.code != 404:
                raise

    def _set_owners(self, kind: ResourceKind, obj: Object, *, owners: list[object]) -> None:
        new = copy.deepcopy(obj)
        if owners:
            new["metadata"]["ownerReferences"] = owners
        else:
            new["metadata"].pop("ownerReferences", None)
        self._lifecycle.write(kind, new, current=obj)

    def _drop_finalizer(self, kind: ResourceKind, obj: Object, *, finalizer: str) -> None:
        new = copy.deepcopy(obj)
        remaining = [f for f in new["metadata"].get("finalizers") or [] if f != finalizer]
        if remaining:
            new["metadata"]["finalizers"] = remaining
        else:
            new["metadata"].pop("finalizers", None)
        self._lifecycle.write(kind, new, current=obj)


def _ref(key: tuple[str, str], obj: Object) -> ObjectRef:
    meta = obj.get("metadata") or {}
    return key, str(meta.get("namespace") or ""), str(meta.get("name") or "")
