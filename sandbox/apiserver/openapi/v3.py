"""Routes and definitions rendered as one OpenAPI 3.0 document, as `/openapi/v3/<path>` serves it.

kube-apiserver publishes one v3 document per group version (`api/v1`, `apis/apps/v1`,
`apis/flink.apache.org/v1beta1`), plus small ones for the discovery roots (`api`, `apis`,
`apis/<group>`, `version`). Each is kube-openapi's `builder3` over that slice of routes:
parameters inline (no shared section), common ones hoisted to the path item, request bodies
as `requestBody` with one entry per consumed media type, responses with one entry per produced
media type, and `components.schemas` holding exactly the definitions the operations reach.
Built-in documents carry the `BearerToken` security scheme and the server version; documents
for custom resources carry the CRD builder's own title, as the apiextensions controller
merges them.

kubectl reads these documents: `apply`, `replace` and `edit` look for a PATCH operation with
the object's `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter before
sending `fieldValidation=Strict`; `explain` finds the schema by the same extension.
`documents.py` calls `document` once per index path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.apiserver.openapi import common as c
from sandbox.apiserver.openapi import definitions
from sandbox.apiserver.openapi import parameters as opt
from sandbox.apiserver.openapi.routes import (
    Payload,
    Route,
    by_path,
    common_params,
    finish_operation,
    operation_id,
    own_params,
)

Schema = dict[str, Any]

CUSTOM_INFO = {"title": "Kubernetes CRD Swagger", "version": "v0.1.0"}
"""What the CRD builder names its documents; the merged per-group-version document keeps it."""


def _payload(payload: Payload) -> Schema:
    if payload.definition:
        return {"$ref": definitions.ref(payload.definition, v2=False)}
    return {"type": payload.type}


def _param(param: opt.Param) -> Schema:
    out: Schema = {"name": param.name, "in": param.location}
    if param.description:
        out["description"] = param.description
    if param.required:
        out["required"] = True
    out["schema"] = {"type": param.type, "uniqueItems": True}
    return out


def _content(media_types: Sequence[str], payload: Payload) -> Schema:
    return {media_type: {"schema": _payload(payload)} for media_type in sorted(media_types)}


def _operation(route: Route, common: Sequence[opt.Param]) -> Schema:
    op_id, tags = operation_id(route)
    op: Schema = {"tags": tags, "description": route.description, "operationId": op_id}
    params = [_param(param) for param in own_params(route, common)]
    if params:
        op["parameters"] = params
    if route.body is not None:
        body: Schema = {"content": _content(route.consumes, route.body)}
        if route.body_required:
            body["required"] = True
        op["requestBody"] = body
    answers: Schema = {
        str(r.code): {"description": r.description, "content": _content(route.produces, r.payload)}
        for r in route.responses
    }
    answers.setdefault("401", {"description": "Unauthorized"})
    return finish_operation(op, route, answers)


def paths(routes: Sequence[Route]) -> dict[str, Schema]:
    items: dict[str, Schema] = {}
    for path, on_path in by_path(routes).items():
        common = common_params(on_path)
        item: Schema = {}
        for route in on_path:
            item[route.method.lower()] = _operation(route, common)
        if common:
            item["parameters"] = [_param(param) for param in common]
        items[path] = item
    return items


def document(
    routes: Sequence[Route], custom: Mapping[str, Schema], *, builtin: bool
) -> dict[str, Any]:
    """One v3 document for these routes, with the custom definitions they use.

    Args:
        routes: the operations of one index path.
        custom: definitions of custom kinds by name (already in v3 form).
        builtin: a document of the built-in API (server info and security scheme) rather than
            one of custom resources.
    """
    items = paths(routes)
    roots = set(definitions.refs(items, definitions.V3_PREFIX)) | set(custom)
    components: Schema = {"schemas": definitions.closure(roots, v2=False, extra=custom)}
    if builtin:
        components["securitySchemes"] = c.BEARER_TOKEN
    info = {"title": "Kubernetes", "version": c.SERVER_VERSION} if builtin else CUSTOM_INFO
    return {"openapi": "3.0.0", "info": dict(info), "paths": items, "components": components}
