"""DELETE of one object and of a collection, with DeleteOptions from body or query.

Options come from a `DeleteOptions` body (kubectl and fabric8 send one) or from query
parameters, and are validated as `ValidateDeleteOptions` validates them. Admission sees
the object being deleted. The answer is what the generic registry returns: the object
while it waits for finalizers or a grace period, and once it is gone either the object
(pods, services, service accounts, claims) or a `Success` Status naming it. A collection
delete lists with the request's selectors, deletes each match, and returns that list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aiohttp import web

from sandbox.apiserver import errors, strategies
from sandbox.apiserver.errors import GroupKind
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.lifecycle import DeleteOptions, resource_of
from sandbox.apiserver.rest import decoding
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.conversion import to_served
from sandbox.apiserver.rest.negotiation import Rendering, respond
from sandbox.apiserver.rest.options import ADMIN_USER
from sandbox.apiserver.rest.reads import list_items
from sandbox.apiserver.rest.writes import require_verb
from sandbox.apiserver.schema.field import FieldError, invalid, not_supported

POLICIES: Final = ("Foreground", "Background", "Orphan")


def _bool(value: str) -> bool:
    return value.lower() in ("true", "1")


def delete_options(
    body: bytes, content_type: str | None, *, query: Mapping[str, str]
) -> DeleteOptions:
    """DeleteOptions from a JSON body, else from the query (422 on invalid values)."""
    data: dict[str, Any] = {}
    parsed = decoding.parse_body(body, content_type) if body.strip() else None
    if parsed is not None:
        if not isinstance(parsed, dict) or parsed.get("kind", "DeleteOptions") != "DeleteOptions":
            raise errors.bad_request("decoded object cannot be converted to DeleteOptions")
        data = parsed
    else:
        if "gracePeriodSeconds" in query:
            try:
                data["gracePeriodSeconds"] = int(query["gracePeriodSeconds"])
            except ValueError:
                raise errors.bad_request(
                    f'invalid value for gracePeriodSeconds: "{query["gracePeriodSeconds"]}"'
                ) from None
        if "propagationPolicy" in query:
            data["propagationPolicy"] = query["propagationPolicy"]
        if "orphanDependents" in query:
            data["orphanDependents"] = _bool(query["orphanDependents"])
        if "dryRun" in query:
            data["dryRun"] = [query["dryRun"]]
    errs: list[FieldError] = []
    policy = data.get("propagationPolicy")
    orphan = data.get("orphanDependents")
    if policy is not None and policy not in POLICIES:
        errs.append(not_supported("propagationPolicy", policy, supported=list(POLICIES)))
    if policy is not None and orphan is not None:
        detail = "orphanDependents and deletionPropagation cannot be both set"
        errs.append(invalid("propagationPolicy", policy, detail=detail))
    dry_run = list(data.get("dryRun") or [])
    for value in dry_run:
        if value != "All":
            errs.append(not_supported("dryRun", value, supported=["All"]))
    if errs:
        raise errors.invalid(GroupKind("meta.k8s.io", "DeleteOptions"), "", errors=errs)
    preconditions = data.get("preconditions") or {}
    grace = data.get("gracePeriodSeconds")
    return DeleteOptions(
        grace_period_seconds=int(grace) if grace is not None else None,
        propagation_policy=policy,
        orphan_dependents=orphan,
        precondition_uid=preconditions.get("uid"),
        precondition_rv=preconditions.get("resourceVersion"),
        dry_run=bool(dry_run),
    )


async def _delete_one(
    ctx: ApiContext, kind: ResourceKind, *, namespace: str, name: str, options: DeleteOptions
) -> tuple[dict[str, Any], bool]:
    current = ctx.lifecycle.get(kind, namespace, name=name)
    await ctx.admission.admit(
        operation="DELETE",
        kind=kind,
        subresource="",
        namespace=namespace if kind.namespaced else None,
        name=name,
        obj=None,
        old=to_served(kind, current),
        user=ADMIN_USER,
        dry_run=options.dry_run,
    )
    outcome = ctx.lifecycle.delete(kind, namespace, name=name, options=options)
    if outcome.deleted and not strategies.returns_deleted_object(kind):
        meta = outcome.object.get("metadata") or {}
        return errors.success(
            resource=resource_of(kind), name=name, uid=str(meta.get("uid", ""))
        ), True
    return to_served(kind, outcome.object), outcome.deleted


async def delete(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str,
    name: str,
    request: web.Request,
    rendering: Rendering,
) -> web.StreamResponse:
    require_verb(kind, "delete", action="delete")
    options = delete_options(
        await request.read(), request.headers.get("Content-Type"), query=request.query
    )
    body, deleted = await _delete_one(ctx, kind, namespace=namespace, name=name, options=options)
    status = 202 if not deleted and options.orphan_dependents is False else 200
    return respond(body, status=status, rendering=rendering if not rendering.as_kind else None)


async def delete_collection(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str | None,
    request: web.Request,
    rendering: Rendering,
) -> web.StreamResponse:
    require_verb(kind, "deletecollection", action="deletecollection")
    options = delete_options(
        await request.read(), request.headers.get("Content-Type"), query=request.query
    )
    query = {k: v for k, v in request.query.items() if k not in ("limit", "continue")}
    stored, meta = list_items(ctx, kind, namespace=namespace, query=query)
    items = [to_served(kind, o) for o in stored]
    for item in items:
        item_meta = item.get("metadata") or {}
        try:
            await _delete_one(
                ctx,
                kind,
                namespace=str(item_meta.get("namespace") or ""),
                name=str(item_meta.get("name")),
                options=options,
            )
        except errors.ApiError as error:
            if error.code != 404:
                raise
    body = {
        "kind": kind.list_kind,
        "apiVersion": kind.api_version,
        "metadata": meta,
        "items": items,
    }
    return respond(body, rendering=rendering if not rendering.as_kind else None)
