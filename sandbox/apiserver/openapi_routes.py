"""Serving `/openapi/v2` and `/openapi/v3`: the documents kubectl validates and patches with.

`kubectl apply`, `replace` and `edit` read `/openapi/v3` (and the document of the
group-version they write) before sending anything, to validate fields and find merge keys;
client-side apply of an existing object also asks for `/openapi/v2`, in protobuf. The
documents themselves come from the `openapi` package, built from the registry's current
kinds; they are cached per registry revision because building them is the expensive part,
and a CRD change (which bumps the revision) changes their hash, as on a real server.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.apiserver import errors
from sandbox.apiserver.openapi import openapi_v2, openapi_v3_document, openapi_v3_index
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.negotiation import dumps

_JSON_TYPES = ("application/json", "*/*", "application/*")


def _wants_json(accept: str | None) -> bool:
    if not accept:
        return True
    return any(part.split(";")[0].strip() in _JSON_TYPES for part in accept.split(","))


def add_openapi_routes(app: web.Application, context: ApiContext) -> None:
    cache: dict[tuple[Any, ...], bytes] = {}

    def cached(key: tuple[Any, ...], build: Any) -> bytes | None:
        full_key = (context.registry.revision, *key)
        if full_key not in cache:
            if len(cache) > 64:
                cache.clear()
            document = build()
            if document is None:
                return None
            cache[full_key] = dumps(document)
        return cache[full_key]

    def json_response(body: bytes) -> web.Response:
        return web.Response(
            body=body,
            headers={"Content-Type": "application/json", "Cache-Control": "no-cache, private"},
        )

    async def v2(request: web.Request) -> web.StreamResponse:
        # The protobuf form is not produced; kubectl falls back when it gets a 404.
        if not _wants_json(request.headers.get("Accept")):
            raise errors.path_not_found()
        body = cached(("v2",), lambda: openapi_v2(context.registry.kinds()))
        assert body is not None
        return json_response(body)

    async def v3_index(_: web.Request) -> web.StreamResponse:
        body = cached(("v3",), lambda: openapi_v3_index(context.registry.kinds()))
        assert body is not None
        return json_response(body)

    async def v3_document(request: web.Request) -> web.StreamResponse:
        parts = [p for p in request.match_info["tail"].split("/") if p]
        if parts == ["api", "v1"]:
            group, version = "", "v1"
        elif len(parts) == 3 and parts[0] == "apis":
            group, version = parts[1], parts[2]
        else:
            raise errors.path_not_found()
        body = cached(
            ("v3", group, version),
            lambda: openapi_v3_document(context.registry.kinds(), group, version),
        )
        if body is None:
            raise errors.path_not_found()
        return json_response(body)

    app.router.add_get("/openapi/v2", v2)
    app.router.add_get("/openapi/v3", v3_index)
    app.router.add_get("/openapi/v3/{tail:.+}", v3_document)
