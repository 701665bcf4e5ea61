"""The routes apiextensions-apiserver documents for one served version of a custom resource.

The CRD OpenAPI builder (`pkg/controller/openapi/builder`) does not run the generic route
installer; it templates a web service of its own, and its output differs from built-ins in
ways clients can see: no `/watch/` paths, a `resourceVersion` parameter on get, delete-
collection documented with `ListOptions` only (no DeleteOptions, no body), JSON and YAML as
the only media types, no strategic merge patch, an all-namespaces list named
`list<Kind>ForAllNamespaces`, and every operation (scale included) tagged with the custom
resource's own group-version-kind. `status` and `scale` appear only when the version enables
them. `documents.py` calls `custom_routes` for every custom kind it serves.
"""

from __future__ import annotations

from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.openapi import common as c
from sandbox.apiserver.openapi import parameters as opt
from sandbox.apiserver.openapi.crd import model_name
from sandbox.apiserver.openapi.routes import Payload, Response, Route, article, responses

_METHODS = {
    "list": "GET",
    "post": "POST",
    "deletecollection": "DELETE",
    "get": "GET",
    "put": "PUT",
    "delete": "DELETE",
    "patch": "PATCH",
}
_OPERATIONS = {
    "list": "list",
    "post": "create",
    "deletecollection": "deletecollection",
    "get": "read",
    "put": "replace",
    "delete": "delete",
    "patch": "patch",
}


def _description(kind: str, sub: str, operation: str) -> str:
    """`descriptionFor`, including its spacing quirks."""
    of = f" {sub} of" if sub else ""
    if operation == "patch":
        return f"partially update{of} the specified {kind}"
    if operation == "deletecollection":
        return f"delete collection of{of + ' a' if of else ''} {kind}"
    if operation == "list":
        return f"list{of} objects of kind {kind}"
    if operation in ("read", "replace"):
        return f"{operation}{of} the specified {kind}"
    return f"{operation}{of}{article(kind)}{kind}"


def _route(
    kind: ResourceKind, *, path: str, sub: str, action: str, sample: Payload, operation: str = ""
) -> Route:
    """`buildRoute` for one action on `path` (collection, item or subresource)."""
    word = _OPERATIONS[action]
    params: list[opt.Param] = [opt.PRETTY]
    if "{namespace}" in path:
        params.append(opt.NAMESPACE)
    if "{name}" in path:
        params.append(opt.name_param(kind.kind))
    body: Payload | None = None
    body_required = True
    answers: tuple[Response, ...] = responses(sample, 200)
    consumes: tuple[str, ...] = c.CUSTOM_MEDIA_TYPES
    if action == "get":
        params.extend(opt.GET_OPTIONS)
    elif action in ("list", "deletecollection"):
        params.extend(opt.LIST_OPTIONS)
    elif action == "put":
        params.extend(opt.UPDATE_OPTIONS)
        body, answers = sample, responses(sample, 200, 201)
    elif action == "patch":
        params.extend(opt.PATCH_OPTIONS)
        body, consumes = Payload(c.PATCH), c.CUSTOM_PATCH_TYPES
    elif action == "post":
        params.extend(opt.CREATE_OPTIONS)
        body, answers = sample, responses(sample, 200, 201, 202)
    elif action == "delete":
        params.extend(opt.delete_options())
        body, body_required = Payload(c.DELETE_OPTIONS), False
        answers = responses(sample, 200, 202)
    namespaced = "Namespaced" if kind.namespaced else ""
    return Route(
        method=_METHODS[action],
        path=path,
        operation=operation or f"{word}{namespaced}{kind.kind}{sub.title()}",
        description=_description(kind.kind, sub, word),
        params=tuple(params),
        produces=c.CUSTOM_MEDIA_TYPES,
        consumes=consumes,
        responses=answers,
        body=body,
        body_required=body_required,
        gvk=(kind.group, kind.version, kind.kind),
        action=action,
    )


def custom_routes(kind: ResourceKind) -> list[Route]:
    """What the CRD builder templates for one served version (`generateBuilder`)."""
    sample = Payload(model_name(kind.group, kind.version, kind.kind))
    sample_list = Payload(model_name(kind.group, kind.version, kind.list_kind))
    status = Payload(c.STATUS)
    scale = Payload(c.SCALE)
    root = f"/apis/{kind.group}/{kind.version}/{kind.plural}"
    routes: list[Route] = []
    if kind.namespaced:
        all_namespaces = f"list{kind.kind}ForAllNamespaces"
        routes.append(
            _route(
                kind, path=root, sub="", action="list", sample=sample_list, operation=all_namespaces
            )
        )
        root = f"/apis/{kind.group}/{kind.version}/namespaces/{{namespace}}/{kind.plural}"
    item = f"{root}/{{name}}"
    plan = [
        (root, "", "list", sample_list),
        (root, "", "post", sample),
        (root, "", "deletecollection", status),
        (item, "", "get", sample),
        (item, "", "put", sample),
        (item, "", "delete", status),
        (item, "", "patch", sample),
    ]
    if "status" in kind.subresources:
        plan += [(f"{item}/status", "status", action, sample) for action in ("get", "put", "patch")]
    if "scale" in kind.subresources:
        plan += [(f"{item}/scale", "scale", action, scale) for action in ("get", "put", "patch")]
    routes.extend(
        _route(kind, path=path, sub=sub, action=action, sample=payload)
        for path, sub, action, payload in plan
    )
    return routes
