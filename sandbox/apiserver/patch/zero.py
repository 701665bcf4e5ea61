"""The empty object a create starts from, as kube-apiserver's Go types serialise their zero value.

On create, the field manager compares the new object with `New()` of its type. For a built-in
kind that zero value is not `{}`: struct-valued fields that are not pointers are always there
(`metadata: {}`, `spec: {template: {metadata: {}, spec: {...}}, strategy: {}}`, `status: {}`)
and fields without `omitempty` are there as `null` (`containers: null`, `selector: null`).
Ownership only distinguishes "absent" from "present", so this decides which new maps and lists
are recorded as members themselves (`"."` in FieldsV1): a Deployment's `ports` are, its
`containers` and `spec` are not. Required properties in the OpenAPI mark the non-`omitempty`
fields; which struct fields are values rather than pointers the OpenAPI does not say, so the
ones on the paths of common kinds are listed here. Custom resources start from `{}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.apiserver.patch.schema import FieldSchema

_VALUE_STRUCTS: Mapping[str, tuple[str, ...]] = {
    "io.k8s.api.core.v1.PodTemplateSpec": ("metadata", "spec"),
    "io.k8s.api.batch.v1.JobTemplateSpec": ("metadata", "spec"),
    "io.k8s.api.apps.v1.DeploymentSpec": ("template", "strategy"),
    "io.k8s.api.apps.v1.DaemonSetSpec": ("template", "updateStrategy"),
    "io.k8s.api.apps.v1.StatefulSetSpec": ("template", "updateStrategy"),
    "io.k8s.api.apps.v1.ReplicaSetSpec": ("template",),
    "io.k8s.api.batch.v1.JobSpec": ("template",),
    "io.k8s.api.batch.v1.CronJobSpec": ("jobTemplate",),
    "io.k8s.api.core.v1.ServiceStatus": ("loadBalancer",),
    "io.k8s.api.core.v1.PersistentVolumeClaimSpec": ("resources",),
    "io.k8s.api.core.v1.NodeStatus": ("daemonEndpoints", "nodeInfo"),
    "io.k8s.api.core.v1.NodeDaemonEndpoints": ("kubeletEndpoint",),
    "io.k8s.api.core.v1.Event": ("involvedObject", "source"),
}
_TOP_LEVEL = ("metadata", "spec", "status")


def zero_object(schema: FieldSchema) -> dict[str, Any]:
    """The zero value of the kind `schema` describes, as an unstructured object."""
    if schema.root_kind is None:
        return {}
    return _zero(schema, top=True)


def shared_zero_object(schema: FieldSchema) -> dict[str, Any]:
    """`zero_object(schema)`, built once per schema and shared: callers only read it."""
    if schema.root_kind is None:
        return {}
    cached = _ZEROS.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = _ZEROS[id(schema)] = (schema, zero_object(schema))
    return cached[1]


# Built-in schemas are shared and few; the schema is kept so its id cannot be reused.
_ZEROS: dict[int, tuple[FieldSchema, dict[str, Any]]] = {}


def _zero(node: FieldSchema, *, top: bool) -> dict[str, Any]:
    values = set(_VALUE_STRUCTS.get(node.definition, ()))
    if top:
        values.update(_TOP_LEVEL)
    required = set(node.required())
    out: dict[str, Any] = {}
    for name in node.property_names():
        if name not in values and name not in required:
            continue
        sub = node.field(name)
        if sub is None:
            continue
        if name in values and sub.is_map and sub.definition:
            out[name] = _zero(sub, top=False)
        elif sub.is_map or sub.is_list:
            out[name] = None
    return out
