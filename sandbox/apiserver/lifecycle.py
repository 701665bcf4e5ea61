"""What a create, update or delete does to an object: kube-apiserver's generic registry rules.

REST handlers, the garbage collector and the namespace and CRD controllers all write
through here, so every writer gets the same semantics: system fields (uid,
creationTimestamp, generateName), `generation` set to 1 and bumped only when something
outside metadata (and status, for kinds with a status subresource) changes, 409 Conflict
on a stale resourceVersion, no write at all when nothing changed, and deletion in the
generic store's order: preconditions, graceful period (bound pods), garbage-collector
finalizers from the propagation policy, `deletionTimestamp` while finalizers remain, and
removal once the last finalizer is gone. Every method is synchronous: between a check and
the write it guards, nothing else can run on the event loop.
"""

from __future__ import annotations

import copy
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from sandbox.apiserver import errors, metadata, strategies
from sandbox.apiserver.clock import Clock, parse, rfc3339
from sandbox.apiserver.errors import GroupKind, GroupResource
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.registry import Registry
from sandbox.apiserver.schema.field import ErrorType, FieldError
from sandbox.apiserver.store import Object, Store

NAMESPACES: Final = ("", "namespaces")
IMMORTAL_NAMESPACES: Final = frozenset({"default", "kube-system", "kube-public"})
_NAME_ALPHABET: Final = "bcdfghjklmnpqrstvwxz2456789"
_GENERATED_NAME_BASE: Final = 58
_NAME_RETRIES: Final = 8


@dataclass(frozen=True)
class DeleteOptions:
    """`metav1.DeleteOptions`, from the request body or query."""

    grace_period_seconds: int | None = None
    propagation_policy: str | None = None
    orphan_dependents: bool | None = None
    precondition_uid: str | None = None
    precondition_rv: str | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class DeleteOutcome:
    """The object after a delete request, and whether it is gone from the store."""

    object: Object
    deleted: bool


def resource_of(kind: ResourceKind) -> GroupResource:
    return GroupResource(kind.group, kind.plural)


def kind_of(kind: ResourceKind) -> GroupKind:
    return GroupKind(kind.group, kind.kind)


def _strip_for_compare(obj: Object) -> Object:
    meta = dict(obj.get("metadata") or {})
    meta.pop("resourceVersion", None)
    managed = meta.get("managedFields")
    if isinstance(managed, list):
        meta["managedFields"] = [
            {k: v for k, v in entry.items() if k != "time"} if isinstance(entry, dict) else entry
            for entry in managed
        ]
    return {**obj, "metadata": meta}


class Lifecycle:
    """Create, update and delete with the generic registry's semantics, over one store."""

    def __init__(
        self,
        *,
        store: Store,
        registry: Registry,
        clock: Clock,
        new_uid: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.store = store
        self.registry = registry
        self.clock = clock
        self._new_uid = new_uid

    def key(self, kind: ResourceKind) -> tuple[str, str]:
        return self.registry.storage_key(kind)

    def now(self) -> str:
        return rfc3339(self.clock.now())

    # -- reading ---------------------------------------------------------------------------

    def get(self, kind: ResourceKind, namespace: str, *, name: str) -> Object:
        obj = self.store.get(self.key(kind), namespace if kind.namespaced else "", name=name)
        if obj is None:
            raise errors.not_found(resource_of(kind), name)
        return obj

    def check_namespace(self, kind: ResourceKind, namespace: str, *, name: str) -> None:
        """The NamespaceLifecycle plugin: no new objects in missing or terminating namespaces."""
        if not kind.namespaced:
            return
        found = self.store.get(NAMESPACES, "", name=namespace)
        if found is None:
            raise errors.not_found(GroupResource("", "namespaces"), namespace)
        if found["metadata"].get("deletionTimestamp"):
            raise errors.namespace_terminating(resource_of(kind), name, namespace=namespace)

    # -- create ----------------------------------------------------------------------------

    def prepare_create(self, kind: ResourceKind, obj: Object, *, namespace: str) -> Object:
        """Fill system fields and reset what clients may not set; `obj` is the caller's."""
        meta = obj.get("metadata")
        if not isinstance(meta, dict):
            meta = obj["metadata"] = {}
        if meta.get("resourceVersion"):
            raise errors.internal("resourceVersion should not be set on objects to be created")
        for name in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"):
            meta.pop(name, None)
        meta.pop("selfLink", None)
        if kind.namespaced:
            meta["namespace"] = namespace
        if meta.get("generateName") and not meta.get("name"):
            meta["name"] = self._generate_name(kind, namespace, base=str(meta["generateName"]))
        meta["uid"] = self._new_uid()
        meta["creationTimestamp"] = self.now()
        if strategies.tracks_generation(kind):
            meta["generation"] = 1
        else:
            meta.pop("generation", None)
        strategies.prepare_for_create(kind, obj)
        if (kind.group, kind.kind) == ("", "Service"):
            existing = self.store.objects(self.key(kind))
            strategies.allocate_service(obj, existing)
        return obj

    def _generate_name(self, kind: ResourceKind, namespace: str, *, base: str) -> str:
        base = base[:_GENERATED_NAME_BASE]
        key, space = self.key(kind), namespace if kind.namespaced else ""
        for _ in range(_NAME_RETRIES):
            name = base + "".join(secrets.choice(_NAME_ALPHABET) for _ in range(5))
            if self.store.get(key, space, name=name) is None:
                return name
        raise errors.ApiError(
            code=409,
            reason="AlreadyExists",
            message=f'{resource_of(kind)} "{name}" already exists, the server was not able to '
            "generate a unique name for the object",
            details={
                "name": name,
                "group": kind.group,
                "kind": kind.plural,
                "retryAfterSeconds": 1,
            },
        )

    def validate_create(self, kind: ResourceKind, obj: Object, *, extra: list[FieldError]) -> None:
        errs = metadata.validate_create(kind, obj) + extra
        if errs:
            raise errors.invalid(kind_of(kind), str(obj["metadata"].get("name") or ""), errors=errs)

    def commit_create(self, kind: ResourceKind, obj: Object, *, dry_run: bool) -> Object:
        meta = obj["metadata"]
        name, namespace = str(meta.get("name") or ""), str(meta.get("namespace") or "")
        self.check_namespace(kind, namespace, name=name)
        existing = self.store.get(self.key(kind), namespace, name=name)
        if existing is not None:
            deleting = bool(existing["metadata"].get("deletionTimestamp"))
            raise errors.already_exists(resource_of(kind), name, being_deleted=deleting)
        if dry_run:
            return obj
        return self.store.create(self.key(kind), obj).object

    # -- update ----------------------------------------------------------------------------

    def prepare_update(
        self, kind: ResourceKind, new: Object, *, old: Object, subresource: str = ""
    ) -> Object:
        """`rest.BeforeUpdate` and the kind's PrepareForUpdate; returns the object to store."""
        if not isinstance(new.get("metadata"), dict):
            new["metadata"] = {}
        if subresource == "status":
            new = strategies.prepare_for_status_update(new, old)
        elif subresource == "finalize":
            new = strategies.prepare_for_finalize(new, old)
        else:
            strategies.prepare_for_update(kind, new, old=old)
        meta, old_meta = new["metadata"], old["metadata"]
        if not meta.get("uid"):
            meta["uid"] = old_meta.get("uid")
        for name in ("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"):
            if name in old_meta:
                meta[name] = old_meta[name]
            else:
                meta.pop(name, None)
        if kind.namespaced and not meta.get("namespace"):
            meta["namespace"] = old_meta.get("namespace")
        if strategies.tracks_generation(kind):
            generation = int(old_meta.get("generation") or 0)
            before = strategies.generation_relevant(kind, old)
            if strategies.generation_relevant(kind, new) != before:
                generation += 1
            meta["generation"] = generation
        else:
            meta.pop("generation", None)
        if (kind.group, kind.kind) == ("", "Service"):
            strategies.keep_service_allocations(new, old)
        return new

    def check_preconditions(self, kind: ResourceKind, new: Object, *, current: Object) -> None:
        """Optimistic concurrency: the resourceVersion (and uid) sent must be the stored one."""
        meta, stored = new.get("metadata") or {}, current["metadata"]
        name = str(stored.get("name"))
        uid = meta.get("uid")
        if uid and uid != stored.get("uid"):
            detail = (
                f"Precondition failed: UID in precondition: {uid}, "
                f"UID in object meta: {stored.get('uid')}"
            )
            raise errors.conflict(resource_of(kind), name, detail=detail)
        rv = meta.get("resourceVersion")
        if not rv:
            if not strategies.allow_unconditional_update(kind):
                # Go prints the unset uint64 with %#v: 0x0.
                error = FieldError(
                    field="metadata.resourceVersion",
                    type=ErrorType.INVALID,
                    message="Invalid value: 0x0: must be specified for an update",
                )
                raise errors.invalid(GroupKind(kind.group, kind.plural), name, errors=[error])
            return
        if str(rv) != stored.get("resourceVersion"):
            raise errors.conflict(resource_of(kind), name)

    def validate_update(
        self, kind: ResourceKind, new: Object, *, old: Object, extra: list[FieldError]
    ) -> None:
        errs = metadata.validate_update(kind, new, old=old) + extra
        if errs:
            raise errors.invalid(kind_of(kind), str(old["metadata"].get("name")), errors=errs)

    def commit_update(
        self, kind: ResourceKind, new: Object, *, current: Object, dry_run: bool
    ) -> Object:
        """Store `new` in place of `current`, unless it changed meanwhile (409).

        When nothing changed there is no write at all (no event, same resourceVersion), as
        with etcd3's store.
        """
        meta = current["metadata"]
        key = self.key(kind)
        latest = self.store.get(key, str(meta.get("namespace") or ""), name=str(meta["name"]))
        if latest is None:
            raise errors.not_found(resource_of(kind), str(meta["name"]))
        if latest is not current and latest["metadata"].get("resourceVersion") != meta.get(
            "resourceVersion"
        ):
            raise errors.conflict(resource_of(kind), str(meta["name"]))
        new["metadata"]["resourceVersion"] = meta.get("resourceVersion")
        if self._should_delete_during_update(kind, new, old=current):
            if not dry_run:
                self.store.delete(key, str(meta.get("namespace") or ""), name=str(meta["name"]))
            return new
        if _strip_for_compare(new) == _strip_for_compare(current):
            return current
        if dry_run:
            return new
        return self.store.update(key, new).object

    @staticmethod
    def _should_delete_during_update(kind: ResourceKind, new: Object, *, old: Object) -> bool:
        if new["metadata"].get("finalizers") or not old["metadata"].get("deletionTimestamp"):
            return False
        if old["metadata"].get("deletionGracePeriodSeconds"):
            return False
        if (kind.group, kind.kind) == ("", "Namespace"):
            return not (new.get("spec") or {}).get("finalizers")
        return True

    def write(self, kind: ResourceKind, new: Object, *, current: Object) -> Object:
        """An internal update (controllers, GC): prepare, keep preconditions, commit."""
        new = self.prepare_update(kind, new, old=current)
        return self.commit_update(kind, new, current=current, dry_run=False)

    # -- delete ----------------------------------------------------------------------------

    def delete(
        self, kind: ResourceKind, namespace: str, *, name: str, options: DeleteOptions
    ) -> DeleteOutcome:
        """The generic store's Delete: graceful period, GC finalizers, then removal."""
        current = self.get(kind, namespace, name=name)
        meta = current["metadata"]
        if options.precondition_uid and options.precondition_uid != meta.get("uid"):
            detail = (
                f"the UID in the precondition ({options.precondition_uid}) does not match the "
                f"UID in record ({meta.get('uid')}). The object might have been deleted and "
                "then recreated"
            )
            raise errors.conflict(GroupResource(kind.group, kind.kind), name, detail=detail)
        if options.precondition_rv and options.precondition_rv != meta.get("resourceVersion"):
            detail = (
                f"the ResourceVersion in the precondition ({options.precondition_rv}) does not "
                f"match the ResourceVersion in record ({meta.get('resourceVersion')}). The "
                "object might have been modified"
            )
            raise errors.conflict(GroupResource(kind.group, kind.kind), name, detail=detail)
        if (kind.group, kind.kind) == ("", "Namespace"):
            return self._delete_namespace(kind, current, options=options)
        updated = copy.deepcopy(current)
        umeta = updated["metadata"]
        pending_grace = meta.get("deletionTimestamp") and meta.get("deletionGracePeriodSeconds")
        if pending_grace:
            requested = options.grace_period_seconds
            if requested is None or requested >= int(meta["deletionGracePeriodSeconds"]):
                return DeleteOutcome(current, deleted=False)
            shorter = parse(meta["deletionTimestamp"]) - timedelta(
                seconds=int(meta["deletionGracePeriodSeconds"]) - max(requested, 0)
            )
            umeta["deletionTimestamp"] = rfc3339(max(shorter, self.clock.now()))
            umeta["deletionGracePeriodSeconds"] = max(requested, 0)
            if requested > 0:
                return DeleteOutcome(
                    self._store_update(kind, updated, options=options), deleted=False
                )
        grace = 0
        if not meta.get("deletionTimestamp"):
            grace = strategies.graceful_period(
                kind, current, requested=options.grace_period_seconds
            )
        finalizers = self._gc_finalizers(list(meta.get("finalizers") or []), options)
        umeta["finalizers"] = finalizers
        if not finalizers:
            umeta.pop("finalizers", None)
        if grace > 0:
            umeta["deletionTimestamp"] = rfc3339(self.clock.now() + timedelta(seconds=grace))
            umeta["deletionGracePeriodSeconds"] = grace
            if umeta.get("generation"):
                umeta["generation"] = int(umeta["generation"]) + 1
            return DeleteOutcome(self._store_update(kind, updated, options=options), deleted=False)
        if finalizers:
            if not umeta.get("deletionTimestamp"):
                if umeta.get("generation"):
                    umeta["generation"] = int(umeta["generation"]) + 1
                umeta["deletionTimestamp"] = self.now()
            umeta["deletionGracePeriodSeconds"] = 0
            return DeleteOutcome(self._store_update(kind, updated, options=options), deleted=False)
        if options.dry_run:
            return DeleteOutcome(current, deleted=True)
        event = self.store.delete(self.key(kind), str(meta.get("namespace") or ""), name=name)
        return DeleteOutcome(event.object, deleted=True)

    def _store_update(
        self, kind: ResourceKind, updated: Object, *, options: DeleteOptions
    ) -> Object:
        meta = updated["metadata"]
        current = self.get(kind, str(meta.get("namespace") or ""), name=str(meta["name"]))
        if options.dry_run or _strip_for_compare(updated) == _strip_for_compare(current):
            return updated if options.dry_run else current
        return self.store.update(self.key(kind), updated).object

    @staticmethod
    def _gc_finalizers(finalizers: list[str], options: DeleteOptions) -> list[str]:
        """`deletionFinalizersForGarbageCollection`: options beat existing finalizers."""
        orphan = metadata.ORPHAN_FINALIZER in finalizers
        foreground = metadata.FOREGROUND_FINALIZER in finalizers
        if options.orphan_dependents is not None:
            orphan, foreground = options.orphan_dependents, False
        elif options.propagation_policy is not None:
            orphan = options.propagation_policy == "Orphan"
            foreground = options.propagation_policy == "Foreground"
        kept = [
            f
            for f in finalizers
            if f not in (metadata.ORPHAN_FINALIZER, metadata.FOREGROUND_FINALIZER)
        ]
        if orphan:
            kept.append(metadata.ORPHAN_FINALIZER)
        if foreground:
            kept.append(metadata.FOREGROUND_FINALIZER)
        return kept

    def _delete_namespace(
        self, kind: ResourceKind, current: Object, *, options: DeleteOptions
    ) -> DeleteOutcome:
        """Namespaces are never removed at once: they go Terminating for the controller."""
        name = str(current["metadata"]["name"])
        if name in IMMORTAL_NAMESPACES:
            raise errors.forbidden(
                GroupResource("", "namespaces"), name, detail="this namespace may not be deleted"
            )
        if current["metadata"].get("deletionTimestamp"):
            detail = (
                "The system is ensuring all content is removed from this namespace.  Upon "
                "completion, this namespace will automatically be purged by the system."
            )
            raise errors.conflict(GroupResource("", "namespaces"), name, detail=detail)
        updated = copy.deepcopy(current)
        umeta = updated["metadata"]
        umeta["deletionTimestamp"] = self.now()
        umeta["deletionGracePeriodSeconds"] = 0
        finalizers = self._gc_finalizers(list(umeta.get("finalizers") or []), options)
        if finalizers:
            umeta["finalizers"] = finalizers
        updated.setdefault("status", {})["phase"] = "Terminating"
        return DeleteOutcome(self._store_update(kind, updated, options=options), deleted=False)
