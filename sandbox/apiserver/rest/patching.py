"""PATCH: JSON patch, JSON merge patch, strategic merge patch and server-side apply.

The patch is applied to the current object in the addressed version, and the result goes
through the same pipeline as an update (`writes.admit_update`), with the current
resourceVersion as precondition unless the patch itself sets one. As upstream, a patch
that did not pin a resourceVersion is simply retried when the object changed underneath
it (during an awaited admission webhook, here), and server-side apply to a missing object
creates it. Custom resources accept no strategic merge patch: 415, with the media types
they do accept, exactly as kube-apiserver answers.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Final

from aiohttp import web

from sandbox.apiserver import builtin_schemas, errors
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.lifecycle import resource_of
from sandbox.apiserver.patch import (
    PatchError,
    apply_json_patch,
    apply_merge_patch,
    apply_strategic_merge_patch,
    server_side_apply,
)
from sandbox.apiserver.rest import decoding
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.conversion import to_served
from sandbox.apiserver.rest.negotiation import Rendering
from sandbox.apiserver.rest.options import WriteOptions, add_warnings, field_schema, write_options
from sandbox.apiserver.rest.reads import render_object
from sandbox.apiserver.rest.writes import admit_create, admit_update, ensure_namespace, require_verb
from sandbox.apiserver.store import Object

JSON_PATCH: Final = "application/json-patch+json"
MERGE_PATCH: Final = "application/merge-patch+json"
STRATEGIC_PATCH: Final = "application/strategic-merge-patch+json"
APPLY_PATCH: Final = "application/apply-patch+yaml"
_RETRIES: Final = 5


def patch_types(kind: ResourceKind) -> list[str]:
    """The patch media types a resource accepts, in the order the 415 message lists them."""
    if kind.custom:
        return [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
    return [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH]


def to_api_error(error: PatchError) -> errors.ApiError:
    return errors.ApiError(
        code=error.status,
        reason=error.reason,
        message=error.message,
        details=error.details or None,
    )


def apply_patch(kind: ResourceKind, *, current: Object, patch_type: str, patch: Any) -> Object:
    """The patched object (pure: `current` is not modified)."""
    try:
        if patch_type == JSON_PATCH:
            return apply_json_patch(current, patch)
        if patch_type == MERGE_PATCH:
            return apply_merge_patch(current, patch)
        if patch_type == STRATEGIC_PATCH:
            definition = builtin_schemas.definition_name(kind.group, kind.version, kind.kind)
            return apply_strategic_merge_patch(current, patch, definition=definition or "")
        raise AssertionError(patch_type)
    except PatchError as exc:
        raise to_api_error(exc) from exc


def _apply(
    kind: ResourceKind,
    *,
    live: Object | None,
    applied: Object,
    opts: WriteOptions,
    subresource: str,
    now: str,
) -> Object:
    try:
        return server_side_apply(
            live,
            applied,
            manager=opts.field_manager,
            force=opts.force,
            schema=field_schema(kind),
            subresource=subresource,
            now=now,
        )
    except PatchError as exc:
        raise to_api_error(exc) from exc


async def patch(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str,
    name: str,
    subresource: str,
    request: web.Request,
    rendering: Rendering,
) -> web.StreamResponse:
    require_verb(kind, "patch", action="patch")
    patch_type = decoding.media_type(request.headers.get("Content-Type"))
    if patch_type not in patch_types(kind):
        raise errors.unsupported_media_type(patch_types(kind))
    is_apply = patch_type == APPLY_PATCH
    opts = write_options(request, options_kind="PatchOptions", apply=is_apply, patch=True)
    body = decoding.parse_body(await request.read(), request.headers.get("Content-Type"))
    if is_apply:
        if not isinstance(body, dict):
            raise errors.bad_request("error decoding patch: the body must be an object")
        decoding.check_type_meta(kind, body)
    elif patch_type != JSON_PATCH and not isinstance(body, dict):
        raise errors.bad_request("error decoding patch: the patch must be a JSON object")
    key = ctx.registry.storage_key(kind)
    space = namespace if kind.namespaced else ""
    pinned = isinstance(body, dict) and bool((body.get("metadata") or {}).get("resourceVersion"))
    for attempt in range(_RETRIES):
        current = ctx.store.get(key, space, name=name)
        now = ctx.lifecycle.now()
        if current is None:
            if not is_apply or subresource:
                raise errors.not_found(resource_of(kind), name)
            return await _apply_create(
                ctx,
                kind,
                body=body,
                namespace=namespace,
                name=name,
                opts=opts,
                request=request,
                rendering=rendering,
            )
        served = to_served(kind, current)
        if is_apply:
            new = _apply(
                kind, live=served, applied=body, opts=opts, subresource=subresource, now=now
            )
        else:
            new = apply_patch(kind, current=served, patch_type=patch_type, patch=body)
        if not isinstance(new, dict):
            raise errors.bad_request("the patched document is not an object")
        strict = opts.field_validation == "Strict"
        patched_json = json.dumps(new, separators=(",", ":")) if strict else ""
        warnings = decoding.normalize(
            kind,
            new,
            directive=opts.field_validation,
            on_strict=functools.partial(decoding.strict_patch_error, patched_json),
        )
        try:
            stored, more = await admit_update(
                ctx,
                kind,
                new=new,
                current=current,
                subresource=subresource,
                opts=opts,
                managed=not is_apply,
            )
        except errors.ApiError as error:
            # A conflict on the resourceVersion the patch did not pin means the object
            # changed meanwhile: patch the new state. Apply's field conflicts are final.
            field_conflict = bool((error.details or {}).get("causes"))
            retry = error.reason == "Conflict" and not pinned and not field_conflict
            if retry and attempt + 1 < _RETRIES:
                continue
            raise
        response = render_object(
            ctx, kind, obj=to_served(kind, stored), rendering=rendering, query=request.query
        )
        return add_warnings(response, warnings + more)
    raise errors.conflict(resource_of(kind), name)


async def _apply_create(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    body: Object,
    namespace: str,
    name: str,
    opts: WriteOptions,
    request: web.Request,
    rendering: Rendering,
) -> web.StreamResponse:
    """Server-side apply of an object that does not exist yet: a create."""
    applied = _apply(
        kind, live=None, applied=body, opts=opts, subresource="", now=ctx.lifecycle.now()
    )
    warnings = decoding.normalize(kind, applied, directive=opts.field_validation)
    meta = applied.setdefault("metadata", {})
    given = meta.get("name")
    if given and given != name:
        raise errors.bad_request(
            f"the name of the object ({given}) does not match the name on the URL ({name})"
        )
    meta["name"] = name
    ensure_namespace(kind, applied, namespace=namespace)
    stored, more = await admit_create(
        ctx, kind, obj=applied, namespace=namespace, opts=opts, managed=False
    )
    response = render_object(
        ctx, kind, obj=to_served(kind, stored), rendering=rendering, query=request.query, status=201
    )
    return add_warnings(response, warnings + more)
