"""The routes kube-apiserver's generic installer documents for a built-in resource.

This follows `registerResourceHandlers` in `k8s.io/apiserver/pkg/endpoints/installer.go`:
list, create and delete-collection on the collection, get, replace, patch and delete on the
item, the deprecated `/watch/` paths, the all-namespaces list and watch for namespaced
resources, and the served subresources with their own payloads (`status` and
`ephemeralcontainers` the parent object, `scale` an `autoscaling/v1` Scale, `log` plain text
with `PodLogOptions`). Which of them exist follows the kind's verbs. Query parameters are the
options structs' fields, as the installer's `AddObjectParams` derives them; DELETE answers with
the object for the registries that return deleted objects, a Status otherwise.

`documents.py` calls `builtin_routes` for every non-custom kind it serves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.apiserver import builtin_schemas
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.openapi import common as c
from sandbox.apiserver.openapi import parameters as opt
from sandbox.apiserver.openapi.routes import (
    Payload,
    Response,
    Route,
    api_prefix,
    article,
    responses,
)

_WATCH_DEPRECATED = "deprecated: use the 'watch' parameter with a list operation instead"


@dataclass(frozen=True)
class _Target:
    """What one resource or subresource reads, writes and is documented as."""

    kind: ResourceKind
    sub: str
    produced: Payload
    gvk: tuple[str, str, str]
    get_options: tuple[opt.Param, ...] = ()
    produces_first: tuple[str, ...] = ()


def _definition(kind: ResourceKind, name: str) -> str:
    found = builtin_schemas.definition_name(kind.group, kind.version, name)
    if found is None:
        raise KeyError(f"no OpenAPI definition for {kind.api_version} {name}")
    return found


def _description(verb: str, sub: str, kind: str, *, watchable: bool) -> str:
    of = f"{sub} of " if sub else ""
    if verb == "get":
        return f"read {of}the specified {kind}"
    if verb == "list":
        return f"list{' or watch' if watchable else ''} {of}objects of kind {kind}"
    if verb == "put":
        return f"replace {of}the specified {kind}"
    if verb == "patch":
        return f"partially update {of}the specified {kind}"
    if verb in ("post", "delete"):
        word = "create" if verb == "post" else "delete"
        return f"{word} {sub} of{article(kind)}{kind}" if sub else f"{word}{article(kind)}{kind}"
    if verb == "deletecollection":
        return f"delete collection of {kind}"
    if verb == "watch":
        return (
            f"watch changes to an object of kind {kind}. {_WATCH_DEPRECATED}, filtered to a "
            "single item with the 'fieldSelector' parameter."
        )
    return f"watch individual changes to a list of {kind}. {_WATCH_DEPRECATED}."


_WORDS = {
    "get": ("GET", "read"),
    "list": ("GET", "list"),
    "put": ("PUT", "replace"),
    "patch": ("PATCH", "patch"),
    "post": ("POST", "create"),
    "delete": ("DELETE", "delete"),
    "deletecollection": ("DELETE", "deletecollection"),
    "watch": ("GET", "watch"),
    "watchlist": ("GET", "watch"),
}


def _route(
    target: _Target, *, verb: str, path: str, params: tuple[opt.Param, ...], all_ns: bool = False
) -> Route:
    """One installer action (`registerResourceHandlers`' switch on the verb)."""
    kind = target.kind
    method, word = _WORDS[verb]
    namespaced = "Namespaced" if kind.namespaced and not all_ns else ""
    operation = (
        f"{word}{namespaced}{kind.kind}{target.sub.title()}"
        f"{'List' if verb == 'watchlist' else ''}{'ForAllNamespaces' if all_ns else ''}"
    )
    produces: tuple[str, ...] = (*target.produces_first, *c.MEDIA_TYPES)
    consumes: tuple[str, ...] = ("*/*",)
    body: Payload | None = None
    body_required = True
    options: tuple[opt.Param, ...] = ()
    answers: tuple[Response, ...]
    if verb == "get":
        answers = responses(target.produced, 200)
        options = target.get_options
    elif verb in ("list", "watch", "watchlist"):
        listed = Payload(_definition(kind, kind.list_kind))
        answers = responses(listed if verb == "list" else Payload(c.WATCH_EVENT), 200)
        produces = (*c.MEDIA_TYPES, *c.STREAM_MEDIA_TYPES)
        options = opt.LIST_OPTIONS
    elif verb in ("put", "post"):
        answers = responses(target.produced, *((200, 201) if verb == "put" else (200, 201, 202)))
        body = target.produced
        options = opt.UPDATE_OPTIONS if verb == "put" else opt.CREATE_OPTIONS
    elif verb == "patch":
        answers = responses(target.produced, 200, 201)
        body, consumes = Payload(c.PATCH), c.BUILTIN_PATCH_TYPES
        options = opt.PATCH_OPTIONS
    elif verb == "delete":
        returns_object = (kind.group, kind.plural) in c.DELETE_RETURNS_OBJECT
        answers = responses(target.produced if returns_object else Payload(c.STATUS), 200, 202)
        body, body_required = Payload(c.DELETE_OPTIONS), False
        options = opt.delete_options()
    else:  # deletecollection: DeleteOptions plus the ListOptions that select, not watch
        answers = responses(Payload(c.STATUS), 200)
        body, body_required = Payload(c.DELETE_OPTIONS), False
        selecting = (p for p in opt.LIST_OPTIONS if p.name not in ("watch", "allowWatchBookmarks"))
        options = (*opt.delete_options(), *selecting)
    return Route(
        method=method,
        path=path,
        operation=operation,
        description=_description(verb, target.sub, kind.kind, watchable="watch" in kind.verbs),
        params=(opt.PRETTY, *options, *params),
        produces=produces,
        consumes=consumes,
        responses=answers,
        body=body,
        body_required=body_required,
        gvk=target.gvk,
        action=verb,
    )


def _subresource(main: _Target, sub: str) -> _Target | None:
    if sub in ("status", "ephemeralcontainers"):
        return _Target(main.kind, sub, main.produced, main.gvk)
    if sub == "scale":
        return _Target(main.kind, sub, Payload(c.SCALE), ("autoscaling", "v1", "Scale"))
    if sub == "log":
        return _Target(
            main.kind,
            sub,
            Payload(type="string"),
            main.gvk,
            get_options=opt.POD_LOG_OPTIONS,
            produces_first=("text/plain",),
        )
    return None


def builtin_routes(kind: ResourceKind) -> list[Route]:
    """What the route installer registers for a built-in resource and its subresources."""
    prefix = api_prefix(kind.group, kind.version)
    verbs = set(kind.verbs)
    collection = f"namespaces/{{namespace}}/{kind.plural}" if kind.namespaced else kind.plural
    item = f"{collection}/{{name}}"
    collection_params = (opt.NAMESPACE,) if kind.namespaced else ()
    item_params = (*collection_params, opt.name_param(kind.kind))
    main = _Target(
        kind, "", Payload(_definition(kind, kind.kind)), (kind.group, kind.version, kind.kind)
    )
    watch_list = "watch" in verbs and "list" in verbs
    plan = [
        ("list", collection, collection_params, "list" in verbs),
        ("post", collection, collection_params, "create" in verbs),
        ("deletecollection", collection, collection_params, "deletecollection" in verbs),
        ("watchlist", f"watch/{collection}", collection_params, watch_list),
        ("get", item, item_params, "get" in verbs),
        ("put", item, item_params, "update" in verbs),
        ("patch", item, item_params, "patch" in verbs),
        ("delete", item, item_params, "delete" in verbs),
        ("watch", f"watch/{item}", item_params, "watch" in verbs),
    ]
    routes = [
        _route(main, verb=verb, path=f"{prefix}/{path}", params=params)
        for verb, path, params, served in plan
        if served
    ]
    if kind.namespaced and "list" in verbs:
        routes.append(
            _route(main, verb="list", path=f"{prefix}/{kind.plural}", params=(), all_ns=True)
        )
    if kind.namespaced and watch_list:
        path = f"{prefix}/watch/{kind.plural}"
        routes.append(_route(main, verb="watchlist", path=path, params=(), all_ns=True))
    for sub in sorted(kind.subresources):
        target = _subresource(main, sub)
        if target is None:
            continue
        for verb in ("get",) if sub == "log" else ("get", "put", "patch"):
            routes.append(
                _route(target, verb=verb, path=f"{prefix}/{item}/{sub}", params=item_params)
            )
    return routes
