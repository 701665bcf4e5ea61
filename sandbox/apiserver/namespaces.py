"""Namespaces: the built-in ones at start, a `default` ServiceAccount in each, and deletion.

Three controllers of a real cluster meet here because they all follow namespace events.
Bootstrap creates `default`, `kube-system`, `kube-public` and `kube-node-lease`, and the
`kubernetes` Service in `default` (clients look for it). The ServiceAccount controller
gives every namespace a `default` ServiceAccount. The namespace controller empties a
Terminating namespace: it deletes everything in it, keeps the `NamespaceContentRemaining`
and `NamespaceFinalizersRemaining` conditions current while objects with finalizers linger,
and once nothing is left it removes the `kubernetes` finalizer, which removes the namespace.
"""

from __future__ import annotations

import copy
import logging
from typing import Any, Final

from sandbox.apiserver import errors, strategies
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.lifecycle import NAMESPACES, DeleteOptions, Lifecycle
from sandbox.apiserver.store import Event, EventType, Object
from sandbox.apiserver.workqueue import WorkQueue

logger = logging.getLogger(__name__)

INITIAL_NAMESPACES: Final = ("default", "kube-system", "kube-public", "kube-node-lease")
SERVICE_ACCOUNTS: Final = ("", "serviceaccounts")
KUBERNETES_SERVICE_IP: Final = "10.96.0.1"


class NamespaceController:
    """Bootstrap, default ServiceAccounts and namespace deletion, on one work queue."""

    def __init__(self, lifecycle: Lifecycle) -> None:
        self._lifecycle = lifecycle
        self._store = lifecycle.store
        self._queue: WorkQueue[str] = WorkQueue("namespace-controller", self._sync)
        self._store.listen(self._on_event)

    def _kind(self, group: str, plural: str) -> ResourceKind:
        kinds = self._lifecycle.registry.versions_of(group, plural)
        return kinds[0]

    def bootstrap(self, *, api_port: int) -> None:
        """Create what a fresh cluster has; objects already there (a restore) are kept."""
        namespace_kind = self._kind(*NAMESPACES)
        for name in INITIAL_NAMESPACES:
            if self._store.get(NAMESPACES, "", name=name) is None:
                obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
                self._create(namespace_kind, obj, namespace="")
        service_kind = self._kind("", "services")
        if self._store.get(("", "services"), "default", name="kubernetes") is None:
            service = {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {
                    "name": "kubernetes",
                    "labels": {"component": "apiserver", "provider": "kubernetes"},
                },
                "spec": {
                    "clusterIP": KUBERNETES_SERVICE_IP,
                    "ports": [
                        {"name": "https", "port": 443, "protocol": "TCP", "targetPort": api_port}
                    ],
                    "sessionAffinity": "None",
                    "type": "ClusterIP",
                },
            }
            self._create(service_kind, service, namespace="default")
        for namespace in self._store.objects(NAMESPACES):
            self._queue.add(str(namespace["metadata"]["name"]))

    def _create(self, kind: ResourceKind, obj: Object, *, namespace: str) -> None:
        strategies.default(kind, obj)
        prepared = self._lifecycle.prepare_create(kind, obj, namespace=namespace)
        self._lifecycle.commit_create(kind, prepared, dry_run=False)

    def start(self) -> None:
        self._queue.start()

    async def stop(self) -> None:
        await self._queue.stop()

    async def settle(self) -> None:
        await self._queue.settle()

    def _on_event(self, event: Event) -> None:
        if event.key == NAMESPACES:
            if event.type is not EventType.DELETED:
                self._queue.add(event.name)
            return
        if event.namespace and event.type is EventType.DELETED:
            namespace = self._store.get(NAMESPACES, "", name=event.namespace)
            if namespace is not None and namespace["metadata"].get("deletionTimestamp"):
                self._queue.add(event.namespace)
        elif event.key == SERVICE_ACCOUNTS and event.type is EventType.DELETED:
            self._queue.add(event.namespace)

    def _sync(self, name: str) -> None:
        namespace = self._store.get(NAMESPACES, "", name=name)
        if namespace is None:
            return
        if namespace["metadata"].get("deletionTimestamp"):
            self._empty(namespace)
        elif self._store.get(SERVICE_ACCOUNTS, name, name="default") is None:
            account = {
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": "default"},
            }
            try:
                self._create(self._kind(*SERVICE_ACCOUNTS), account, namespace=name)
            except errors.ApiError as error:
                if error.reason != "AlreadyExists":
                    raise

    def _empty(self, namespace: Object) -> None:
        name = str(namespace["metadata"]["name"])
        remaining: dict[str, int] = {}
        finalizers: dict[str, int] = {}
        for key, obj in list(self._store.in_namespace(name)):
            kinds = self._lifecycle.registry.kinds_stored_at(key)
            if not kinds:
                continue
            meta = obj["metadata"]
            resource = kinds[0].plural if not kinds[0].group else f"{kinds[0].plural}.{key[0]}"
            remaining[resource] = remaining.get(resource, 0) + 1
            for finalizer in meta.get("finalizers") or []:
                finalizers[finalizer] = finalizers.get(finalizer, 0) + 1
            if not meta.get("deletionTimestamp"):
                try:
                    self._lifecycle.delete(
                        kinds[0],
                        name,
                        name=str(meta["name"]),
                        options=DeleteOptions(propagation_policy="Background"),
                    )
                except errors.ApiError as error:
                    if error.code != 404:
                        raise
        if any(True for _ in self._store.in_namespace(name)):
            self._set_conditions(namespace, remaining, finalizers=finalizers)
            return
        new = copy.deepcopy(namespace)
        new.setdefault("spec", {})["finalizers"] = [
            f for f in new["spec"].get("finalizers") or [] if f != "kubernetes"
        ]
        if not new["spec"]["finalizers"]:
            del new["spec"]["finalizers"]
        logger.info("namespace emptied", extra={"namespace": name})
        self._lifecycle.write(self._kind(*NAMESPACES), new, current=namespace)

    def _set_conditions(
        self, namespace: Object, remaining: dict[str, int], *, finalizers: dict[str, int]
    ) -> None:
        now = self._lifecycle.now()
        content = ", ".join(f"{r} has {n} resource instances" for r, n in sorted(remaining.items()))
        held = ", ".join(f"{f} in {n} resource instances" for f, n in sorted(finalizers.items()))
        wanted: list[dict[str, Any]] = [
            _condition(
                "NamespaceDeletionDiscoveryFailure",
                False,
                reason="ResourcesDiscovered",
                message="All resources successfully discovered",
                now=now,
            ),
            _condition(
                "NamespaceDeletionGroupVersionParsingFailure",
                False,
                reason="ParsedGroupVersions",
                message="All legacy kube types successfully parsed",
                now=now,
            ),
            _condition(
                "NamespaceDeletionContentFailure",
                False,
                reason="ContentDeleted",
                message="All content successfully deleted, may be waiting on finalization",
                now=now,
            ),
            _condition(
                "NamespaceContentRemaining",
                bool(remaining),
                reason="SomeResourcesRemain" if remaining else "ContentRemoved",
                message=f"Some resources are remaining: {content}"
                if remaining
                else "All content successfully removed",
                now=now,
            ),
            _condition(
                "NamespaceFinalizersRemaining",
                bool(finalizers),
                reason="SomeFinalizersRemain" if finalizers else "ContentHasNoFinalizers",
                message=f"Some content in the namespace has finalizers remaining: {held}"
                if finalizers
                else "All content-preserving finalizers finished",
                now=now,
            ),
        ]
        current = (namespace.get("status") or {}).get("conditions") or []
        strip = [{k: v for k, v in c.items() if k != "lastTransitionTime"} for c in current]
        if strip == [{k: v for k, v in c.items() if k != "lastTransitionTime"} for c in wanted]:
            return
        new = copy.deepcopy(namespace)
        new.setdefault("status", {})["conditions"] = wanted
        kind = self._kind(*NAMESPACES)
        prepared = self._lifecycle.prepare_update(kind, new, old=namespace, subresource="status")
        self._lifecycle.commit_update(kind, prepared, current=namespace, dry_run=False)


def _condition(kind: str, status: bool, *, reason: str, message: str, now: str) -> dict[str, Any]:
    return {
        "type": kind,
        "status": "True" if status else "False",
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    }
