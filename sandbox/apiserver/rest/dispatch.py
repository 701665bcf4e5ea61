"""One entry point for every resource URL: resolve the resource, then call the verb's handler.

The URL is parsed (`routing.py`), the resource looked up in the registry (an unknown one
is the apiserver's plain 404 "the server could not find the requested resource"), and the
HTTP method, collection or name, and subresource pick the handler, the way
kube-apiserver's installer maps verbs to routes: GET on a collection lists or, with
`watch=true` (or the legacy `/watch/` prefix), watches; DELETE on a collection deletes
many; PUT and PATCH on `status` write only the status; `scale` and `log` have their own
handlers; anything else is 405 MethodNotAllowed.
"""

from __future__ import annotations

from aiohttp import web

from sandbox.apiserver import discovery, errors
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.rest import deletes, logs, patching, reads, scale, watching, writes
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.negotiation import negotiate, respond
from sandbox.apiserver.rest.routing import Target, parse


def is_watch(request: web.Request, target: Target | None) -> bool:
    return (target is not None and target.watch_prefix) or request.query.get(
        "watch", ""
    ).lower() in ("true", "1")


def _kind(ctx: ApiContext, target: Target) -> ResourceKind:
    kind = ctx.registry.lookup(target.group, target.version, plural=target.plural)
    if kind is None:
        raise errors.path_not_found()
    if target.namespace is not None and not kind.namespaced:
        raise errors.path_not_found()
    finalize = target.plural == "namespaces" and target.subresource == "finalize"
    if target.subresource and target.subresource not in kind.subresources and not finalize:
        raise errors.path_not_found()
    return kind


def _group_version(ctx: ApiContext, target: Target) -> web.Response:
    body = discovery.resource_list(ctx.registry, target.group, version=target.version)
    if body is None:
        raise errors.path_not_found()
    return respond(body)


async def handle(ctx: ApiContext, request: web.Request) -> web.StreamResponse:
    target = parse(request.path)
    if target is None:
        raise errors.path_not_found()
    if target.is_group_version:
        if request.method != "GET":
            raise errors.method_not_supported(errors.GroupResource("", ""), request.method)
        return _group_version(ctx, target)
    kind = _kind(ctx, target)
    watch = is_watch(request, target)
    rendering = negotiate(request.headers.get("Accept"), stream=watch)
    method = request.method
    namespace = target.namespace or ""
    sub = target.subresource
    resource = errors.GroupResource(kind.group, kind.plural)
    if kind.namespaced and target.name and target.namespace is None:
        raise errors.path_not_found()
    if not target.name:
        if sub:
            raise errors.path_not_found()
        if method == "GET":
            if watch:
                return await watching.serve(
                    ctx,
                    kind,
                    namespace=target.namespace,
                    name="",
                    request=request,
                    rendering=rendering,
                )
            if "list" not in kind.verbs:
                raise errors.method_not_supported(resource, "list")
            return reads.list_(
                ctx, kind, namespace=target.namespace, query=request.query, rendering=rendering
            )
        if method == "POST":
            if kind.namespaced and target.namespace is None:
                raise errors.path_not_found()
            return await writes.create(
                ctx, kind, namespace=namespace, request=request, rendering=rendering
            )
        if method == "DELETE":
            return await deletes.delete_collection(
                ctx, kind, namespace=target.namespace, request=request, rendering=rendering
            )
        raise errors.method_not_supported(resource, method.lower())
    name = target.name
    if sub == "log":
        if method != "GET":
            raise errors.method_not_supported(resource, method.lower())
        return await logs.serve(ctx, kind, namespace=namespace, name=name, request=request)
    if sub == "scale":
        if method == "GET":
            return await scale.get(ctx, kind, namespace=namespace, name=name, rendering=rendering)
        if method in ("PUT", "PATCH"):
            return await scale.write(
                ctx, kind, namespace=namespace, name=name, request=request, rendering=rendering
            )
        raise errors.method_not_supported(resource, method.lower())
    if method == "GET":
        if watch:
            return await watching.serve(
                ctx,
                kind,
                namespace=target.namespace,
                name=name,
                request=request,
                rendering=rendering,
            )
        return reads.get(
            ctx, kind, namespace=namespace, name=name, query=request.query, rendering=rendering
        )
    if method == "PUT":
        return await writes.update(
            ctx,
            kind,
            namespace=namespace,
            name=name,
            subresource=sub,
            request=request,
            rendering=rendering,
        )
    if method == "PATCH" and sub != "finalize":
        return await patching.patch(
            ctx,
            kind,
            namespace=namespace,
            name=name,
            subresource=sub,
            request=request,
            rendering=rendering,
        )
    if method == "DELETE" and not sub:
        return await deletes.delete(
            ctx, kind, namespace=namespace, name=name, request=request, rendering=rendering
        )
    raise errors.method_not_supported(resource, method.lower())
