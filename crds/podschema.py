"""The core/v1 Pod schema used for the three `podTemplate` fields of a FlinkDeployment.

Upstream's CRD embeds the full Pod schema there, so the API server (and `kubectl explain`)
check pod templates field by field. We derive the same from the `kubernetes` client's Pod
models, which are pydantic models. Two corrections keep manifests that work upstream working
here: resource quantities are int-or-string (the client types them as strings, but `cpu: 1`
is valid YAML for a quantity), and no field is required (upstream's generator emits none).
Descriptions are left out: the schema appears three times per CRD and must stay well below
the API server's object size limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from crds.base import INT_OR_STRING
from crds.openapi import Schema, to_structural

# Fields holding Kubernetes quantities, by name, wherever they occur in the Pod schema.
_QUANTITY_MAPS = frozenset({"limits", "requests", "overhead", "allocatedResources", "capacity"})
_QUANTITY_VALUES = frozenset({"sizeLimit", "divisor"})


@cache
def pod_schema() -> Schema:
    """The structural OpenAPI v3 schema of a core/v1 Pod."""
    from kubernetes.client import V1Pod  # the only crds module that touches the client

    raw: dict[str, Any] = V1Pod.model_json_schema(by_alias=True)
    _retype_quantities(raw)
    schema = to_structural(raw, descriptions=False, keep_formats=False)
    return schema


def _retype_quantities(node: Any) -> None:
    if isinstance(node, Mapping):
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name in list(properties):
                if name in _QUANTITY_MAPS:
                    properties[name] = {
                        "type": "object",
                        "additionalProperties": dict(INT_OR_STRING),
                    }
                elif name in _QUANTITY_VALUES:
                    properties[name] = dict(INT_OR_STRING)
        for value in node.values():
            _retype_quantities(value)
    elif isinstance(node, list):
        for value in node:
            _retype_quantities(value)
