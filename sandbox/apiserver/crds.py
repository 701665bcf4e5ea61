"""CustomResourceDefinitions: validation, status, serving, and cleanup on deletion.

A CRD write is defaulted and validated with the apiextensions machinery in `schema/`, and
its status is computed as the naming and establishing controllers would compute it
(accepted names, `NamesAccepted`, `Established`, `storedVersions`). The emulator does both
steps before storing, so the CRD is already Established in the create response and its
resources are served as soon as the request returns; clients that `kubectl wait --for
condition=established` see the same conditions. The registry follows stored CRDs through a
store listener, so an update (new short names, a new version) is served at once, from the
stored object. Deleting a CRD works as the finalizer controller does: the
`customresourcecleanup.apiextensions.k8s.io` finalizer keeps it while a `Terminating`
condition is shown and every custom resource is deleted, then the finalizer goes and so
does the CRD.
"""

from __future__ import annotations

import copy
import logging
from typing import Any, Final

from sandbox.apiserver import errors
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.lifecycle import DeleteOptions, Lifecycle
from sandbox.apiserver.schema.crd import crd_errors, default_crd
from sandbox.apiserver.schema.field import FieldError, invalid
from sandbox.apiserver.store import Event, EventType, Object
from sandbox.apiserver.workqueue import WorkQueue

logger = logging.getLogger(__name__)

CRDS: Final = ("apiextensions.k8s.io", "customresourcedefinitions")
CLEANUP_FINALIZER: Final = "customresourcecleanup.apiextensions.k8s.io"


def _condition(kind: str, status: str, *, reason: str, message: str, now: str) -> dict[str, Any]:
    return {
        "type": kind,
        "status": status,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    }


def _established(crd: Object) -> bool:
    conditions = (crd.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)


class CrdController:
    """Computes CRD status, keeps the registry in step, and cleans up deleted CRDs."""

    def __init__(self, lifecycle: Lifecycle) -> None:
        self._lifecycle = lifecycle
        self._store = lifecycle.store
        self._registry = lifecycle.registry
        self._queue: WorkQueue[str] = WorkQueue("crd-finalizer", self._cleanup)
        self._store.listen(self._on_event)

    def start(self) -> None:
        """Serve every stored CRD (after a restore) and resume unfinished deletions."""
        for crd in self._store.objects(CRDS):
            if _established(crd):
                self._registry.set_crd(crd)
            if crd["metadata"].get("deletionTimestamp"):
                self._queue.add(str(crd["metadata"]["name"]))
        self._queue.start()

    async def stop(self) -> None:
        await self._queue.stop()

    async def settle(self) -> None:
        await self._queue.settle()

    @staticmethod
    def default(crd: Object) -> Object:
        """The v1 defaults (`singular`, `listKind`, conversion strategy None)."""
        return default_crd(crd)

    def validate(self, crd: Object, old: Object | None) -> list[FieldError]:
        errs = list(crd_errors(crd))
        if old is not None:
            spec, old_spec = crd.get("spec") or {}, old.get("spec") or {}
            if spec.get("scope") != old_spec.get("scope"):
                errs.append(invalid("spec.scope", spec.get("scope"), detail="field is immutable"))
            if spec.get("group") != old_spec.get("group"):
                errs.append(invalid("spec.group", spec.get("group"), detail="field is immutable"))
        return errs

    def prepare(self, crd: Object, old: Object | None) -> None:
        """Set the status the naming and establishing controllers would set, in place."""
        now = self._lifecycle.now()
        spec = crd.get("spec") or {}
        names = dict(spec.get("names") or {})
        status = dict((old or {}).get("status") or {})
        conflict = self._name_conflict(crd)
        conditions = [c for c in status.get("conditions") or [] if c.get("type") == "Terminating"]
        if conflict is None:
            status["acceptedNames"] = names
            conditions[:0] = [
                _condition(
                    "NamesAccepted",
                    "True",
                    reason="NoConflicts",
                    message="no conflicts found",
                    now=now,
                ),
                _condition(
                    "Established",
                    "True",
                    reason="InitialNamesAccepted",
                    message="the initial names have been accepted",
                    now=now,
                ),
            ]
        else:
            reason, message = conflict
            status.setdefault("acceptedNames", {"plural": "", "kind": ""})
            conditions[:0] = [
                _condition("NamesAccepted", "False", reason=reason, message=message, now=now),
                _condition(
                    "Established",
                    "False",
                    reason="NotAccepted",
                    message="not all names are accepted",
                    now=now,
                ),
            ]
        previous = {c.get("type"): c for c in (old or {}).get("status", {}).get("conditions") or []}
        for condition in conditions:
            before = previous.get(condition["type"])
            if before is not None and before.get("status") == condition["status"]:
                condition["lastTransitionTime"] = before.get("lastTransitionTime", now)
        status["conditions"] = conditions
        stored = list(status.get("storedVersions") or [])
        for version in spec.get("versions") or []:
            if version.get("storage") and version.get("name") not in stored:
                stored.append(version["name"])
        status["storedVersions"] = stored
        crd["status"] = status
        if old is None:
            finalizers = crd["metadata"].setdefault("finalizers", [])
            if CLEANUP_FINALIZER not in finalizers:
                finalizers.append(CLEANUP_FINALIZER)

    def _name_conflict(self, crd: Object) -> tuple[str, str] | None:
        spec = crd.get("spec") or {}
        group, names = spec.get("group"), spec.get("names") or {}
        own = crd["metadata"].get("name")
        taken_resources: set[str] = set()
        taken_kinds: set[str] = set()
        for kind in self._registry.kinds():
            if kind.group != group or f"{kind.plural}.{kind.group}" == own:
                continue
            taken_resources.update({kind.plural, kind.singular, *kind.short_names})
            taken_kinds.update({kind.kind, kind.list_kind})
        checks = (
            ("PluralConflict", names.get("plural"), taken_resources),
            ("SingularConflict", names.get("singular"), taken_resources),
            ("KindConflict", names.get("kind"), taken_kinds),
            ("ListKindConflict", names.get("listKind"), taken_kinds),
        )
        for reason, name, taken in checks:
            if name and name in taken:
                return reason, f'"{name}" is already in use'
        return None

    def is_terminating(self, kind: ResourceKind) -> bool:
        crd = self._store.get(CRDS, "", name=f"{kind.plural}.{kind.group}")
        return crd is not None and bool(crd["metadata"].get("deletionTimestamp"))

    def _on_event(self, event: Event) -> None:
        if event.key == CRDS:
            if event.type is EventType.DELETED:
                self._registry.remove_crd(event.name)
                return
            if _established(event.object):
                self._registry.set_crd(event.object)
            if event.object["metadata"].get("deletionTimestamp"):
                self._queue.add(event.name)
        elif event.type is EventType.DELETED:
            name = f"{event.key[1]}.{event.key[0]}"
            crd = self._store.get(CRDS, "", name=name)
            if crd is not None and crd["metadata"].get("deletionTimestamp"):
                self._queue.add(name)

    def _cleanup(self, name: str) -> None:
        crd = self._store.get(CRDS, "", name=name)
        if crd is None or not crd["metadata"].get("deletionTimestamp"):
            return
        if CLEANUP_FINALIZER not in (crd["metadata"].get("finalizers") or []):
            return
        spec = crd.get("spec") or {}
        key = (str(spec.get("group")), str((spec.get("names") or {}).get("plural")))
        kinds = self._registry.kinds_stored_at(key)
        remaining = self._store.objects(key)
        if kinds:
            for obj in remaining:
                meta = obj["metadata"]
                if meta.get("deletionTimestamp"):
                    continue
                try:
                    self._lifecycle.delete(
                        kinds[0],
                        str(meta.get("namespace") or ""),
                        name=str(meta["name"]),
                        options=DeleteOptions(),
                    )
                except errors.ApiError as error:
                    if error.code != 404:
                        raise
        crd_kind = self._registry.versions_of(*CRDS)[0]
        current = self._store.get(CRDS, "", name=name)
        if current is None:
            return
        new = copy.deepcopy(current)
        status = new.setdefault("status", {})
        conditions = [c for c in status.get("conditions") or [] if c.get("type") != "Terminating"]
        left = self._store.count(key)
        if left:
            message = f"CustomResource deletion is in progress, {left} instances remaining"
            conditions.append(
                _condition(
                    "Terminating",
                    "True",
                    reason="InstanceDeletionInProgress",
                    message=message,
                    now=self._lifecycle.now(),
                )
            )
            status["conditions"] = conditions
            self._lifecycle.commit_update(
                crd_kind,
                self._lifecycle.prepare_update(crd_kind, new, old=current, subresource="status"),
                current=current,
                dry_run=False,
            )
            return
        new["metadata"]["finalizers"] = [
            f for f in new["metadata"].get("finalizers") or [] if f != CLEANUP_FINALIZER
        ]
        if not new["metadata"]["finalizers"]:
            del new["metadata"]["finalizers"]
        logger.info("custom resources removed", extra={"crd": name})
        self._lifecycle.write(crd_kind, new, current=current)
