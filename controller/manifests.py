"""Read Kubernetes manifests from files, directories or standard input.

`flinkop validate` and `flinkop inspect` accept what `kubectl apply -f` accepts: a file, a
directory (its `.yaml`, `.yml` and `.json` files, recursively, in name order) or `-` for
standard input, each possibly holding several YAML documents. Every document keeps its
source, so a message can say where a problem came from.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Document:
    """One YAML document: its content (or a parse error) and where it came from."""

    source: str
    index: int
    content: dict[str, Any] | None
    error: str | None = None

    @property
    def kind(self) -> str:
        return str((self.content or {}).get("kind", ""))

    @property
    def namespace(self) -> str:
        """The object's namespace, `default` when the manifest names none (as kubectl does)."""
        metadata = (self.content or {}).get("metadata")
        namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
        return str(namespace or "default")

    @property
    def ref(self) -> str:
        """`namespace/name` of the object, `default` when the manifest names no namespace."""
        metadata = (self.content or {}).get("metadata") or {}
        if not isinstance(metadata, dict):
            metadata = {}
        name = metadata.get("name") or metadata.get("generateName") or f"{self.source}#{self.index}"
        return f"{self.namespace}/{name}"


def files_of(target: str) -> list[Path]:
    """The manifest files a `-f` argument names."""
    path = Path(target)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in MANIFEST_SUFFIXES and p.is_file())
    if not path.exists():
        raise FileNotFoundError(f"{target}: no such file or directory")
    return [path]


def read_documents(targets: list[str]) -> Iterator[Document]:
    """Every document of every target, in order; unreadable YAML yields an error document."""
    for target in targets:
        if target == "-":
            yield from _parse("<stdin>", sys.stdin.read())
            continue
        for path in files_of(target):
            yield from _parse(str(path), path.read_text(encoding="utf-8"))


def _parse(source: str, text: str) -> Iterator[Document]:
    try:
        loaded = list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        yield Document(source, 0, None, f"not valid YAML: {exc}")
        return
    for index, content in enumerate(loaded):
        if content is None:
            continue
        if not isinstance(content, dict):
            yield Document(source, index, None, "a manifest must be a YAML mapping")
            continue
        if content.get("kind", "").endswith("List") and isinstance(content.get("items"), list):
            for offset, item in enumerate(content["items"]):
                yield Document(source, index + offset, item if isinstance(item, dict) else None)
            continue
        yield Document(source, index, content)
