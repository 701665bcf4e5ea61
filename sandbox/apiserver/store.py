"""The single source of truth: every object, the global resourceVersion and the event history.

Like etcd behind kube-apiserver, the store knows nothing about API semantics: it keeps
objects by storage key (`(group, plural)`), namespace and name, stamps each write with the
next value of one global, monotonic resourceVersion counter, and records the write as a
watch event. `lifecycle.py` decides *what* to write (uids, generations, finalizers,
conflicts); the store only does it, synchronously, so nothing can interleave between a
check and a write on the single event loop.

Objects are stored as plain dicts and treated as immutable once stored: a writer hands
over a fresh dict and never touches it again, and readers serialise what they get without
copying. That is what keeps a list or a watch from deep-copying the store.

The history is a bounded window of the newest events, shared by all resources. A watch
may resume from any resourceVersion not older than the newest evicted event
(`oldest_resumable`); older ones get 410 Expired, as from kube-apiserver's watch cache.
Synchronous listeners (garbage collector, CRD and namespace controllers, persistence,
watchers) see each event as it is committed.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sandbox.apiserver.registry import StorageKey

Object = dict[str, Any]
ObjectRef = tuple[StorageKey, str, str]
"""(storage key, namespace, name); namespace is "" for cluster-scoped objects."""


class EventType(enum.StrEnum):
    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"


@dataclass(frozen=True, slots=True)
class Event:
    """One committed write.

    `object` is the new state (for DELETED: the last state, with the deletion's
    resourceVersion); `previous` the state before, for selector transitions.
    """

    type: EventType
    key: StorageKey
    namespace: str
    name: str
    resource_version: int
    object: Object
    previous: Object | None = None
    cache: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    """Serialised forms of `object` by encoding, filled lazily by watch streams and responses.

    For ADDED and MODIFIED events this is the dict `Store.encoded` fills for the object
    while it is the stored state, so the write's response and its watchers encode it once.
    """


Listener = Callable[[Event], None]


class StoreError(Exception):
    """A write the caller should have ruled out (lifecycle checks before writing)."""


class Store:
    """Objects by key, namespace and name, with a global resourceVersion and event history."""

    def __init__(self, *, history_size: int = 10_000, resource_version: int = 0) -> None:
        self._objects: dict[StorageKey, dict[str, dict[str, Object]]] = {}
        self._uids: dict[str, ObjectRef] = {}
        self._dependents: dict[str, set[ObjectRef]] = {}
        self._history: deque[Event] = deque(maxlen=max(1, history_size))
        self._rv = resource_version
        self._evicted_rv = resource_version
        self._listeners: list[Listener] = []
        self._watchers: dict[StorageKey, set[Listener]] = {}
        # Derived data, rebuilt lazily: sorted names per namespace (a create or delete
        # invalidates them), and serialised forms of stored objects (a write drops them).
        self._sorted: dict[tuple[StorageKey, str], list[str]] = {}
        self._encoded: dict[int, tuple[Object, dict[str, bytes]]] = {}

    # -- reading ---------------------------------------------------------------------------

    @property
    def resource_version(self) -> int:
        """The newest resourceVersion handed out (0 before the first write)."""
        return self._rv

    @property
    def oldest_resumable(self) -> int:
        """The smallest resourceVersion a watch can resume from without missing events."""
        return self._evicted_rv

    def get(self, key: StorageKey, namespace: str, *, name: str) -> Object | None:
        return self._objects.get(key, {}).get(namespace, {}).get(name)

    def objects(self, key: StorageKey, namespace: str | None = None) -> list[Object]:
        """Objects sorted by namespace then name (etcd key order); all namespaces if None."""
        spaces = self._objects.get(key, {})
        if namespace is not None:
            names = spaces.get(namespace, {})
            return [names[n] for n in self._names(key, namespace, names=names)]
        return [
            spaces[ns][n] for ns in sorted(spaces) for n in self._names(key, ns, names=spaces[ns])
        ]

    def _names(self, key: StorageKey, namespace: str, *, names: dict[str, Object]) -> list[str]:
        cached = self._sorted.get((key, namespace))
        if cached is None:
            cached = self._sorted[(key, namespace)] = sorted(names)
        return cached

    def encoded(
        self,
        key: StorageKey,
        obj: Object,
        *,
        form: str,
        encode: Callable[[Object], bytes],
        current: bool = False,
    ) -> bytes:
        """`encode(obj)`, remembered while `obj` is the stored state (lists, watches).

        Stored objects never change, so their serialisation can be kept until the next
        write replaces them; `form` tells apart the encodings of one object (as a list item,
        in another version...). `current` vouches that `obj` is the stored state (it was
        just read with `objects`), which saves looking it up.
        """
        entry = self._encoded.get(id(obj))
        if entry is None or entry[0] is not obj:
            if not current:
                namespace, name = _identity(obj)
                if self.get(key, namespace, name=name) is not obj:
                    return encode(obj)
            entry = self._encoded[id(obj)] = (obj, {})
        forms = entry[1]
        data = forms.get(form)
        if data is None:
            data = forms[form] = encode(obj)
        return data

    def count(self, key: StorageKey, namespace: str | None = None) -> int:
        spaces = self._objects.get(key, {})
        if namespace is not None:
            return len(spaces.get(namespace, {}))
        return sum(len(names) for names in spaces.values())

    def storage_keys(self) -> list[StorageKey]:
        return [key for key, spaces in self._objects.items() if any(spaces.values())]

    def in_namespace(self, namespace: str) -> Iterator[tuple[StorageKey, Object]]:
        """Every object in one namespace, across all resources."""
        for key, spaces in list(self._objects.items()):
            for obj in list(spaces.get(namespace, {}).values()):
                yield key, obj

    def by_uid(self, uid: str) -> ObjectRef | None:
        return self._uids.get(uid)

    def dependents(self, owner_uid: str) -> list[ObjectRef]:
        """Objects whose ownerReferences name `owner_uid`, sorted."""
        return sorted(self._dependents.get(owner_uid, ()))

    def history_since(self, resource_version: int) -> list[Event] | None:
        """Events newer than `resource_version`, or None when some were already evicted."""
        if resource_version < self._evicted_rv:
            return None
        if resource_version >= self._rv:
            return []
        events = []
        for event in reversed(self._history):
            if event.resource_version <= resource_version:
                break
            events.append(event)
        events.reverse()
        return events

    def objects_at(
        self, key: StorageKey, namespace: str | None, *, resource_version: int
    ) -> list[Object] | None:
        """The objects as they were at `resource_version`, or None when that is too old.

        The current state is rolled back through the retained history, newest first, as
        etcd serves a read at an older revision; sorted like `objects`.
        """
        if resource_version < self._evicted_rv:
            return None
        state = {
            (str(o["metadata"].get("namespace") or ""), str(o["metadata"]["name"])): o
            for o in self.objects(key, namespace)
        }
        for event in reversed(self._history):
            if event.resource_version <= resource_version:
                break
            if event.key != key or (namespace is not None and event.namespace != namespace):
                continue
            ref = (event.namespace, event.name)
            if event.type is EventType.ADDED:
                state.pop(ref, None)
            elif event.previous is not None:
                state[ref] = event.previous
        return [state[ref] for ref in sorted(state)]

    # -- listening -------------------------------------------------------------------------

    def listen(self, listener: Listener) -> None:
        """Call `listener` synchronously with every committed event, in commit order."""
        self._listeners.append(listener)

    def watch_key(self, key: StorageKey, listener: Listener) -> None:
        """Like `listen`, for one storage key only (watch streams)."""
        self._watchers.setdefault(key, set()).add(listener)

    def unwatch_key(self, key: StorageKey, listener: Listener) -> None:
        self._watchers.get(key, set()).discard(listener)

    def watcher_count(self) -> int:
        return sum(len(listeners) for listeners in self._watchers.values())

    # -- writing ---------------------------------------------------------------------------

    def create(self, key: StorageKey, obj: Object) -> Event:
        """Store a new object; the store takes ownership of `obj` and sets its RV."""
        namespace, name = _identity(obj)
        names = self._objects.setdefault(key, {}).setdefault(namespace, {})
        if name in names:
            raise StoreError(f"{key} {namespace}/{name} exists")
        names[name] = obj
        self._sorted.pop((key, namespace), None)
        return self._commit(EventType.ADDED, key, obj=obj, previous=None)

    def update(self, key: StorageKey, obj: Object) -> Event:
        """Replace an existing object; the store takes ownership of `obj` and sets its RV."""
        namespace, name = _identity(obj)
        names = self._objects.get(key, {}).get(namespace, {})
        previous = names.get(name)
        if previous is None:
            raise StoreError(f"{key} {namespace}/{name} does not exist")
        names[name] = obj
        return self._commit(EventType.MODIFIED, key, obj=obj, previous=previous)

    def delete(self, key: StorageKey, namespace: str, *, name: str) -> Event:
        """Remove an object; the DELETED event carries its last state at a new RV."""
        spaces = self._objects.get(key, {})
        previous = spaces.get(namespace, {}).pop(name, None)
        if previous is None:
            raise StoreError(f"{key} {namespace}/{name} does not exist")
        self._sorted.pop((key, namespace), None)
        if not spaces[namespace]:
            del spaces[namespace]
        gone = {**previous, "metadata": dict(previous.get("metadata", {}))}
        return self._commit(EventType.DELETED, key, obj=gone, previous=previous)

    def restore(self, items: Iterable[tuple[StorageKey, Object]], resource_version: int) -> None:
        """Load objects saved earlier (no events); history restarts at `resource_version`."""
        for key, obj in items:
            namespace, name = _identity(obj)
            self._objects.setdefault(key, {}).setdefault(namespace, {})[name] = obj
            self._index(key, obj, previous=None, deleted=False)
        self._rv = max(self._rv, resource_version)
        self._evicted_rv = self._rv
        self._history.clear()
        self._sorted.clear()

    def _commit(
        self, kind: EventType, key: StorageKey, *, obj: Object, previous: Object | None
    ) -> Event:
        self._rv += 1
        obj["metadata"]["resourceVersion"] = str(self._rv)
        if previous is not None:
            self._encoded.pop(id(previous), None)
        self._index(key, obj, previous=previous, deleted=kind is EventType.DELETED)
        namespace, name = _identity(obj)
        event = Event(kind, key, namespace, name, self._rv, obj, previous)
        if kind is not EventType.DELETED:
            self._encoded[id(obj)] = (obj, event.cache)
        if len(self._history) == self._history.maxlen:
            self._evicted_rv = self._history[0].resource_version
        self._history.append(event)
        for listener in list(self._listeners):
            listener(event)
        for watcher in list(self._watchers.get(key, ())):
            watcher(event)
        return event

    def _index(
        self, key: StorageKey, obj: Object, *, previous: Object | None, deleted: bool
    ) -> None:
        namespace, name = _identity(obj)
        ref: ObjectRef = (key, namespace, name)
        for owner in _owner_uids(previous):
            dependents = self._dependents.get(owner)
            if dependents is not None:
                dependents.discard(ref)
                if not dependents:
                    del self._dependents[owner]
        uid = obj.get("metadata", {}).get("uid")
        if deleted:
            if uid:
                self._uids.pop(uid, None)
            return
        if uid:
            self._uids[uid] = ref
        for owner in _owner_uids(obj):
            self._dependents.setdefault(owner, set()).add(ref)


def _identity(obj: Object) -> tuple[str, str]:
    metadata = obj.get("metadata") or {}
    return str(metadata.get("namespace") or ""), str(metadata.get("name") or "")


def _owner_uids(obj: Object | None) -> list[str]:
    if obj is None:
        return []
    refs = (obj.get("metadata") or {}).get("ownerReferences") or []
    return [str(ref["uid"]) for ref in refs if isinstance(ref, dict) and ref.get("uid")]
