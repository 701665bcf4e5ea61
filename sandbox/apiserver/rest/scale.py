"""The scale subresource: `autoscaling/v1` Scale views of Deployments, ReplicaSets and CRs.

`kubectl scale` and the HorizontalPodAutoscaler read and write replicas through `/scale`
without knowing the resource's shape. For Deployments and ReplicaSets the replicas are
`spec.replicas`/`status.replicas` and the selector is `spec.selector` printed as a label
selector string; a CRD names its own paths (`specReplicasPath`, `statusReplicasPath`,
`labelSelectorPath`). A write validates the Scale (`spec.replicas` non-negative), honours
its resourceVersion as a precondition, sets the replicas in the parent object and stores it
through the ordinary update rules, so the parent's generation moves and watchers see it.
"""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web

from sandbox.apiserver import errors
from sandbox.apiserver.errors import GroupKind
from sandbox.apiserver.kinds import ResourceKind, ScaleSubresource
from sandbox.apiserver.patch import record_update
from sandbox.apiserver.rest import decoding
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.conversion import to_served, to_stored
from sandbox.apiserver.rest.negotiation import Rendering, respond
from sandbox.apiserver.rest.options import field_schema, write_options
from sandbox.apiserver.rest.patching import (
    APPLY_PATCH,
    MERGE_PATCH,
    STRATEGIC_PATCH,
    apply_patch,
    patch_types,
)
from sandbox.apiserver.rest.writes import require_verb
from sandbox.apiserver.schema.field import invalid
from sandbox.apiserver.store import Object


def _path(path: str) -> list[str]:
    return [p for p in path.split(".") if p]


def _read(obj: Object, path: str) -> Any:
    value: Any = obj
    for part in _path(path):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _write(obj: Object, path: str, *, value: Any) -> None:
    parts = _path(path)
    node = obj
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value


def selector_text(selector: Any) -> str:
    """A `metav1.LabelSelector` as the string form `LabelSelectorAsSelector` prints."""
    if not isinstance(selector, dict):
        return ""
    terms = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expression in selector.get("matchExpressions") or []:
        key, operator = expression.get("key", ""), expression.get("operator", "")
        values = ",".join(sorted(expression.get("values") or []))
        terms.append(
            {
                "In": f"{key} in ({values})",
                "NotIn": f"{key} notin ({values})",
                "Exists": key,
                "DoesNotExist": f"!{key}",
            }.get(operator, key)
        )
    return ",".join(sorted(terms))


def _paths(kind: ResourceKind) -> ScaleSubresource:
    if kind.scale is None:
        raise errors.path_not_found()
    return kind.scale


def to_scale(kind: ResourceKind, obj: Object) -> Object:
    paths = _paths(kind)
    meta = obj.get("metadata") or {}
    replicas = _read(obj, paths.spec_replicas_path)
    spec: dict[str, Any] = {}
    if isinstance(replicas, int) and (replicas or kind.custom):
        spec["replicas"] = replicas
    status_replicas = _read(obj, paths.status_replicas_path)
    status: dict[str, Any] = {
        "replicas": status_replicas if isinstance(status_replicas, int) else 0
    }
    if kind.custom:
        selector = _read(obj, paths.label_selector_path) if paths.label_selector_path else None
        if isinstance(selector, str) and selector:
            status["selector"] = selector
    else:
        text = selector_text((obj.get("spec") or {}).get("selector"))
        if text:
            status["selector"] = text
    keep = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in keep if k in meta},
        "spec": spec,
        "status": status,
    }


async def get(
    ctx: ApiContext, kind: ResourceKind, *, namespace: str, name: str, rendering: Rendering
) -> web.StreamResponse:
    obj = to_served(kind, ctx.lifecycle.get(kind, namespace, name=name))
    return respond(to_scale(kind, obj), rendering=rendering if not rendering.as_kind else None)


async def write(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str,
    name: str,
    request: web.Request,
    rendering: Rendering,
) -> web.StreamResponse:
    """PUT or PATCH of `/scale`."""
    verb = "update" if request.method == "PUT" else "patch"
    require_verb(kind, verb, action=verb)
    content_type = request.headers.get("Content-Type")
    patch_type = decoding.media_type(content_type)
    is_patch = request.method == "PATCH"
    opts = write_options(
        request,
        options_kind="PatchOptions" if is_patch else "UpdateOptions",
        patch=is_patch,
        apply=patch_type == APPLY_PATCH,
    )
    body = decoding.parse_body(await request.read(), content_type)
    current = ctx.lifecycle.get(kind, namespace, name=name)
    served = to_served(kind, current)
    scale = to_scale(kind, served)
    if is_patch:
        accepted = patch_types(kind)
        if patch_type not in accepted or patch_type == APPLY_PATCH:
            raise errors.unsupported_media_type(accepted)
        # A Scale has no lists, so a strategic merge patch of it is a merge patch.
        merge_like = MERGE_PATCH if patch_type == STRATEGIC_PATCH else patch_type
        new_scale = apply_patch(kind, current=scale, patch_type=merge_like, patch=body)
    else:
        if not isinstance(body, dict):
            raise errors.bad_request("the body must be a Scale object")
        new_scale = body
    replicas = (new_scale.get("spec") or {}).get("replicas", 0)
    if not isinstance(replicas, int) or replicas < 0:
        error = invalid("spec.replicas", replicas, detail="must be greater than or equal to 0")
        raise errors.invalid(GroupKind("autoscaling", "Scale"), name, errors=[error])
    rv = (new_scale.get("metadata") or {}).get("resourceVersion")
    if rv and rv != current["metadata"].get("resourceVersion"):
        raise errors.conflict(errors.GroupResource(kind.group, kind.plural), name)
    common: dict[str, Any] = {
        "operation": "UPDATE",
        "kind": kind,
        "subresource": "scale",
        "namespace": namespace if kind.namespaced else None,
        "name": name,
        "old": scale,
        "user": opts.user,
        "dry_run": opts.dry_run,
    }
    admitted = await ctx.admission.admit(obj=new_scale, **common)
    replicas = ((admitted or new_scale).get("spec") or {}).get("replicas", replicas)
    new = copy.deepcopy(served)
    _write(new, _paths(kind).spec_replicas_path, value=replicas)
    new = record_update(
        served,
        new,
        manager=opts.field_manager,
        schema=field_schema(kind),
        subresource="scale",
        now=ctx.lifecycle.now(),
    )
    stored = to_stored(kind, new)
    stored["metadata"]["resourceVersion"] = current["metadata"].get("resourceVersion")
    prepared = ctx.lifecycle.prepare_update(kind, stored, old=current)
    result = ctx.lifecycle.commit_update(kind, prepared, current=current, dry_run=opts.dry_run)
    return respond(
        to_scale(kind, to_served(kind, result)),
        rendering=rendering if not rendering.as_kind else None,
    )
