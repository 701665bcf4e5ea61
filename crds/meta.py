"""Object metadata and the resource envelope shared by both kinds.

Metadata is kept loosely typed beyond the fields the operator reads: the API server owns it,
and anything it adds must survive a parse and dump unchanged.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from crds.base import ApiModel

API_GROUP = "flink.apache.org"
API_VERSION = "v1beta1"
GROUP_VERSION = f"{API_GROUP}/{API_VERSION}"
CANARY_LABEL = "flink.apache.org/canary"
"""Resources labelled `flink.apache.org/canary: "true"` probe the operator's health: they are
checked against the schema only, and never deployed."""


class ObjectMeta(ApiModel):
    """The parts of Kubernetes object metadata the operator reads."""

    model_config = ConfigDict(extra="allow")

    name: str | None = None
    generate_name: str | None = None
    namespace: str | None = None
    uid: str | None = None
    resource_version: str | None = None
    generation: int | None = None
    creation_timestamp: str | None = None
    deletion_timestamp: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    finalizers: list[str] | None = None
    owner_references: list[dict[str, Any]] | None = None

    @property
    def is_canary(self) -> bool:
        """Whether this is a canary resource used to probe the operator's health."""
        return (self.labels or {}).get(CANARY_LABEL, "").lower() == "true"

    @property
    def ref(self) -> str:
        """`namespace/name`, the way logs and messages name a resource."""
        return f"{self.namespace or 'default'}/{self.name or self.generate_name or '?'}"
