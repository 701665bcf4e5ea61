"""Keeping the store on disk: a JSON snapshot plus an append-only log of every write.

With `--data-dir`, a restarted emulator comes back with the same objects, uids and
resourceVersions, and hands out higher resourceVersions from there, so clients that cached
a resourceVersion before the restart are answered as a real cluster would answer them
(410 Expired for a watch too old to resume). Every committed event is appended to
`store.log` as one JSON line and flushed; `snapshot.json` is rewritten (atomically) when
the log grows long and on clean shutdown, after which the log starts empty. Loading
replays the log over the snapshot; a torn last line from a crash is ignored.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import IO, Any, Final

from sandbox.apiserver.registry import StorageKey
from sandbox.apiserver.store import Event, EventType, Object, Store

logger = logging.getLogger(__name__)

SNAPSHOT: Final = "snapshot.json"
LOG: Final = "store.log"
COMPACT_AFTER: Final = 50_000


class Persistence:
    """Loads a store from `directory` and records every later write there."""

    def __init__(self, directory: Path, *, compact_after: int = COMPACT_AFTER) -> None:
        self.directory = directory
        self._compact_after = compact_after
        self._log: IO[str] | None = None
        self._entries = 0
        self._store: Store | None = None

    def load(self) -> tuple[list[tuple[StorageKey, Object]], int]:
        """The saved objects and the newest resourceVersion handed out."""
        objects: dict[tuple[StorageKey, str, str], Object] = {}
        resource_version = 0
        snapshot = self.directory / SNAPSHOT
        if snapshot.exists():
            data = json.loads(snapshot.read_text(encoding="utf-8"))
            resource_version = int(data.get("resourceVersion", 0))
            for entry in data.get("objects", []):
                key = (str(entry["key"][0]), str(entry["key"][1]))
                meta = entry["object"].get("metadata") or {}
                objects[(key, str(meta.get("namespace") or ""), str(meta["name"]))] = entry[
                    "object"
                ]
        log = self.directory / LOG
        if log.exists():
            with log.open(encoding="utf-8") as lines:
                for line in lines:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        logger.warning("ignored a torn log line", extra={"path": str(log)})
                        continue
                    key = (str(record["key"][0]), str(record["key"][1]))
                    ref = (key, str(record["namespace"]), str(record["name"]))
                    if record["type"] == EventType.DELETED:
                        objects.pop(ref, None)
                    else:
                        objects[ref] = record["object"]
                    resource_version = max(resource_version, int(record["rv"]))
        return [(ref[0], obj) for ref, obj in objects.items()], resource_version

    def attach(self, store: Store) -> None:
        """Start recording `store`'s events (after it was restored from `load`)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._store = store
        self._log = (self.directory / LOG).open("a", encoding="utf-8")
        store.listen(self._record)

    def _record(self, event: Event) -> None:
        if self._log is None:
            return
        record: dict[str, Any] = {
            "rv": event.resource_version,
            "type": str(event.type),
            "key": list(event.key),
            "namespace": event.namespace,
            "name": event.name,
        }
        if event.type is not EventType.DELETED:
            record["object"] = event.object
        self._log.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._log.flush()
        self._entries += 1
        if self._entries >= self._compact_after:
            self.compact()

    def compact(self) -> None:
        """Write a snapshot of the whole store and start an empty log."""
        if self._store is None:
            return
        store = self._store
        data = {
            "resourceVersion": store.resource_version,
            "objects": [
                {"key": list(key), "object": obj}
                for key in store.storage_keys()
                for obj in store.objects(key)
            ],
        }
        temporary = self.directory / f".{SNAPSHOT}.tmp"
        with temporary.open("w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.directory / SNAPSHOT)
        if self._log is not None:
            self._log.close()
        self._log = (self.directory / LOG).open("w", encoding="utf-8")
        self._entries = 0

    def close(self) -> None:
        if self._log is None:
            return
        self.compact()
        if self._log is not None:
            self._log.close()
        self._log = None
