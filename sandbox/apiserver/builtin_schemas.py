"""OpenAPI definitions of Kubernetes built-in types, read from the `kubernetes-validate` package.

kube-apiserver serves these definitions (`/openapi/v2`, `/openapi/v3`), uses their patch
metadata (`x-kubernetes-patch-merge-key`, `x-kubernetes-patch-strategy`) for strategic merge
patches and server-side apply, and their list/map types for field ownership. We read the same
definitions, for the Kubernetes release we emulate, from the JSON Schema copies the
`kubernetes-validate` package ships (one `_definitions.json` per release), instead of
maintaining a hand-written subset.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import kubernetes_validate

EMULATED_RELEASE = "1.33.0"
"""The Kubernetes release whose API the emulator serves (`/version` reports it)."""

Definition = dict[str, Any]


def _schema_dir(release: str) -> Path:
    return (
        Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{release}-local"
    )


@cache
def definitions(release: str = EMULATED_RELEASE) -> Mapping[str, Definition]:
    """Every definition by its OpenAPI name, e.g. `io.k8s.api.core.v1.Pod`."""
    path = _schema_dir(release) / "_definitions.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    defs: dict[str, Definition] = loaded["$defs"]
    return defs


@cache
def _by_gvk(release: str) -> Mapping[tuple[str, str, str], str]:
    index: dict[tuple[str, str, str], str] = {}
    for name, definition in definitions(release).items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            index.setdefault((gvk["group"], gvk["version"], gvk["kind"]), name)
    return index


def definition_name(
    group: str, version: str, kind: str, *, release: str = EMULATED_RELEASE
) -> str | None:
    """The OpenAPI name of a built-in kind, e.g. ("apps", "v1", "Deployment")."""
    return _by_gvk(release).get((group, version, kind))


def definition(name: str, *, release: str = EMULATED_RELEASE) -> Definition:
    """One definition by OpenAPI name; `$ref`s in it point to `#/$defs/<name>`."""
    return definitions(release)[name]


def ref_name(ref: str) -> str:
    """The definition name a `$ref` points to (`#/$defs/io.k8s...` or `#/definitions/...`)."""
    return ref.rsplit("/", 1)[-1]
