"""Create and update, and the update pipeline that patches and status writes share.

The order of steps is kube-apiserver's, because each step can see what the previous ones
did: decode (defaults, pruning, unknown fields), field manager (`managedFields`), mutating
admission, the generic registry's preparation (system fields, status reset or keep,
generation), validation (metadata, custom resource schema, CRD rules), validating admission,
and finally the store, which may find the object changed meanwhile (409) or unchanged (no
write). CRDs get their status computed between preparation and validation (`crds.py`).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.apiserver import builtin_validation, errors, reviews, strategies
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.lifecycle import resource_of
from sandbox.apiserver.patch import record_update
from sandbox.apiserver.rest import decoding
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.conversion import to_served, to_stored
from sandbox.apiserver.rest.negotiation import Rendering, respond
from sandbox.apiserver.rest.options import WriteOptions, add_warnings, field_schema, write_options
from sandbox.apiserver.rest.reads import render_object
from sandbox.apiserver.schema.field import FieldError
from sandbox.apiserver.store import Object

CRD_GROUP_PLURAL = ("apiextensions.k8s.io", "customresourcedefinitions")


def is_crd(kind: ResourceKind) -> bool:
    return (kind.group, kind.plural) == CRD_GROUP_PLURAL


def require_verb(kind: ResourceKind, verb: str, *, action: str) -> None:
    if verb not in kind.verbs:
        raise errors.method_not_supported(resource_of(kind), action)


def ensure_namespace(kind: ResourceKind, obj: Object, *, namespace: str) -> None:
    """`EnsureObjectNamespaceMatchesRequestNamespace`: fill in, clear, or refuse."""
    meta = obj.setdefault("metadata", {})
    if not kind.namespaced:
        meta.pop("namespace", None)
        return
    given = meta.get("namespace") or ""
    if given and given != namespace:
        raise errors.bad_request(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    meta["namespace"] = namespace


def ensure_name(obj: Object, name: str) -> None:
    given = (obj.get("metadata") or {}).get("name")
    if given and given != name:
        raise errors.bad_request(
            f"the name of the object ({given}) does not match the name on the URL ({name})"
        )
    obj.setdefault("metadata", {})["name"] = name


def _extra_errors(
    ctx: ApiContext, kind: ResourceKind, *, stored: Object, old: Object | None
) -> list[FieldError]:
    served = to_served(kind, stored)
    errs = decoding.schema_errors(kind, served)
    if not kind.custom:
        errs.extend(builtin_validation.validate(served, group=kind.group, kind=kind.kind))
    if is_crd(kind):
        errs.extend(ctx.crds.validate(stored, old))
    return errs


async def admit_create(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    obj: Object,
    namespace: str,
    opts: WriteOptions,
    managed: bool = True,
) -> tuple[Object, list[str]]:
    """Field manager, admission and the registry's create steps; returns the stored object.

    `managed=False` when `obj` already carries managedFields (server-side apply).
    """
    recorded = obj
    if managed:
        recorded = record_update(
            None,
            obj,
            manager=opts.field_manager,
            schema=field_schema(kind),
            now=ctx.lifecycle.now(),
        )
    name = str((recorded.get("metadata") or {}).get("name") or "")
    mutated = await ctx.admission.mutate(
        operation="CREATE",
        kind=kind,
        subresource="",
        namespace=namespace if kind.namespaced else None,
        name=name,
        obj=recorded,
        old=None,
        user=opts.user,
        dry_run=opts.dry_run,
        options=opts.admission_options("CREATE"),
    )
    warnings = list(mutated.warnings)
    served = mutated.object if mutated.object is not None else recorded
    if served is not recorded and kind.custom:
        decoding.normalize(kind, served, directive="Ignore")
    stored = ctx.lifecycle.prepare_create(kind, to_stored(kind, served), namespace=namespace)
    if is_crd(kind):
        stored = ctx.crds.default(stored)
        ctx.crds.prepare(stored, None)
    ctx.lifecycle.validate_create(
        kind, stored, extra=_extra_errors(ctx, kind, stored=stored, old=None)
    )
    validated = await ctx.admission.validate(
        operation="CREATE",
        kind=kind,
        subresource="",
        namespace=namespace if kind.namespaced else None,
        name=str(stored["metadata"].get("name")),
        obj=to_served(kind, stored),
        old=None,
        user=opts.user,
        dry_run=opts.dry_run,
        options=opts.admission_options("CREATE"),
    )
    warnings.extend(validated.warnings)
    return ctx.lifecycle.commit_create(kind, stored, dry_run=opts.dry_run), warnings


async def admit_update(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    new: Object,
    current: Object,
    subresource: str,
    opts: WriteOptions,
    managed: bool = True,
) -> tuple[Object, list[str]]:
    """The update pipeline from a decoded object to the store; `current` is the stored one.

    `managed=False` when `new` already carries managedFields (server-side apply).
    """
    old_served = to_served(kind, current)
    meta = current["metadata"]
    if managed:
        new = record_update(
            old_served,
            new,
            manager=opts.field_manager,
            schema=field_schema(kind),
            subresource=subresource,
            now=ctx.lifecycle.now(),
        )
    common: dict[str, Any] = {
        "operation": "UPDATE",
        "kind": kind,
        "subresource": subresource,
        "namespace": meta.get("namespace") if kind.namespaced else None,
        "name": str(meta["name"]),
        "old": old_served,
        "user": opts.user,
        "dry_run": opts.dry_run,
        "options": opts.admission_options("UPDATE"),
    }
    mutated = await ctx.admission.mutate(obj=new, **common)
    warnings = list(mutated.warnings)
    served = mutated.object if mutated.object is not None else new
    if served is not new and kind.custom:
        decoding.normalize(kind, served, directive="Ignore")
    stored_new = to_stored(kind, served)
    ctx.lifecycle.check_preconditions(kind, stored_new, current=current)
    prepared = ctx.lifecycle.prepare_update(kind, stored_new, old=current, subresource=subresource)
    if is_crd(kind):
        prepared = ctx.crds.default(prepared)
        ctx.crds.prepare(prepared, current)
    ctx.lifecycle.validate_update(
        kind, prepared, old=current, extra=_extra_errors(ctx, kind, stored=prepared, old=current)
    )
    validated = await ctx.admission.validate(obj=to_served(kind, prepared), **common)
    warnings.extend(validated.warnings)
    result = ctx.lifecycle.commit_update(kind, prepared, current=current, dry_run=opts.dry_run)
    return result, warnings


async def create(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str,
    request: web.Request,
    rendering: Rendering,
) -> web.StreamResponse:
    require_verb(kind, "create", action="create")
    if kind.custom and ctx.crds.is_terminating(kind):
        raise errors.method_not_supported(resource_of(kind), "create")
    opts = write_options(request, options_kind="CreateOptions")
    body, content_type = await request.read(), request.headers.get("Content-Type")
    if reviews.is_review(kind):
        request_obj = decoding.read_object(kind, body, content_type=content_type)
        return respond(reviews.answer(kind, request_obj, user=dict(opts.user)), status=201)
    obj = decoding.read_object(kind, body, content_type=content_type)
    warnings = decoding.normalize(kind, obj, directive=opts.field_validation)
    ensure_namespace(kind, obj, namespace=namespace)
    stored, admission_warnings = await admit_create(
        ctx, kind, obj=obj, namespace=namespace, opts=opts
    )
    response = render_object(
        ctx, kind, obj=to_served(kind, stored), rendering=rendering, query=request.query, status=201
    )
    return add_warnings(response, warnings + admission_warnings)


async def update(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str,
    name: str,
    subresource: str,
    request: web.Request,
    rendering: Rendering,
) -> web.StreamResponse:
    require_verb(kind, "update", action="update")
    opts = write_options(request, options_kind="UpdateOptions")
    obj = decoding.read_object(
        kind, await request.read(), content_type=request.headers.get("Content-Type")
    )
    warnings = decoding.normalize(kind, obj, directive=opts.field_validation)
    ensure_namespace(kind, obj, namespace=namespace)
    ensure_name(obj, name)
    key = ctx.registry.storage_key(kind)
    current = ctx.store.get(key, namespace if kind.namespaced else "", name=name)
    if current is None:
        if subresource or not strategies.allow_create_on_update(kind):
            raise errors.not_found(resource_of(kind), name)
        obj["metadata"].pop("resourceVersion", None)
        stored, more = await admit_create(ctx, kind, obj=obj, namespace=namespace, opts=opts)
        response = render_object(
            ctx,
            kind,
            obj=to_served(kind, stored),
            rendering=rendering,
            query=request.query,
            status=201,
        )
        return add_warnings(response, warnings + more)
    stored, more = await admit_update(
        ctx, kind, new=obj, current=current, subresource=subresource, opts=opts
    )
    response = render_object(
        ctx, kind, obj=to_served(kind, stored), rendering=rendering, query=request.query
    )
    return add_warnings(response, warnings + more)
