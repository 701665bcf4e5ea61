"""Routes and definitions rendered as the Swagger 2.0 document served at `/openapi/v2`.

This is kube-openapi's `builder` (BuildOpenAPISpecFromRoutes) over every group, with its
final step, `deduplicateParameters`: every parameter that is not specific to one operation
moves into the top-level `parameters` section under a name built from an FNV-64 hash of its Go
JSON encoding (`pretty-tJGM1-ng`, `namespace-vgWSWtn3`), and operations refer to it. Three
kinds of parameters stay inline because clients look for them there: `name` (its description
names the kind), the kind-specific request bodies, and `dryRun` / `fieldValidation`, which
older kubectl versions search the v2 document for before sending them. To get the same names
the parameters are encoded in the field order and with the escaping of Go's `encoding/json`.

`documents.py` calls `document` with the routes and custom definitions of all served kinds.
"""

from __future__ import annotations

import base64
import json
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

_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK = (1 << 64) - 1


def _payload(payload: Payload) -> Schema:
    if payload.definition:
        return {"$ref": definitions.ref(payload.definition, v2=True)}
    return {"type": payload.type}


def _param(param: opt.Param) -> Schema:
    """A non-body parameter, keys in the order Go marshals `spec.Parameter`."""
    out: Schema = {"uniqueItems": True, "type": param.type}
    if param.description:
        out["description"] = param.description
    out["name"] = param.name
    out["in"] = param.location
    if param.required:
        out["required"] = True
    return out


def _body(route: Route) -> Schema | None:
    if route.body is None:
        return None
    out: Schema = {"name": "body", "in": "body"}
    if route.body_required:
        out["required"] = True
    out["schema"] = _payload(route.body)
    return out


def _operation(route: Route, common: Sequence[opt.Param]) -> Schema:
    op_id, tags = operation_id(route)
    params = [_param(param) for param in own_params(route, common)]
    body = _body(route)
    if body is not None:
        params.append(body)
    params.sort(key=lambda p: (p["name"], p["in"]))
    answers: Schema = {
        str(r.code): {"description": r.description, "schema": _payload(r.payload)}
        for r in route.responses
    }
    answers.setdefault("401", {"description": "Unauthorized"})
    op: Schema = {
        "description": route.description,
        "consumes": list(route.consumes),
        "produces": list(route.produces),
        "schemes": ["https"],
        "tags": tags,
        "operationId": op_id,
    }
    if params:
        op["parameters"] = params
    return finish_operation(op, route, answers)


def paths(routes: Sequence[Route]) -> dict[str, Schema]:
    """Path items with their operations, parameters not yet deduplicated."""
    items: dict[str, Schema] = {}
    for path, on_path in by_path(routes).items():
        common = common_params(on_path)
        item: Schema = {}
        if common:
            item["parameters"] = [_param(param) for param in common]
        for route in on_path:
            item[route.method.lower()] = _operation(route, common)
        items[path] = item
    return items


def go_json(value: object) -> str:
    """Compact JSON with Go's HTML-safe escaping (keys in the order given)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _hash(text: str) -> str:
    """kube-openapi's `base64Hash`: FNV-1 64, first six bytes, URL-safe base64."""
    value = _FNV_OFFSET
    for byte in text.encode():
        value = (value * _FNV_PRIME) & _MASK
        value ^= byte
    return base64.urlsafe_b64encode(value.to_bytes(8, "big")[:6]).decode()


def _shared(param: Mapping[str, Any]) -> bool:
    """`collectSharedParameters`' exceptions: what must stay inline."""
    if param["name"] == "name" and param["in"] in ("query", "path"):
        return False
    if param["in"] == "query" and param["name"] in ("fieldValidation", "dryRun"):
        return False
    if param["in"] == "body":
        return str(param["schema"].get("$ref", "")).startswith("#/definitions/io.k8s.apimachinery")
    return True


def _parameter_lists(items: Mapping[str, Schema]) -> list[list[Schema]]:
    lists: list[list[Schema]] = []
    for item in items.values():
        for key, value in item.items():
            if key == "parameters":
                lists.append(value)
            elif isinstance(value, dict) and "parameters" in value:
                lists.append(value["parameters"])
    return lists


def deduplicate(items: dict[str, Schema]) -> dict[str, Schema]:
    """`deduplicateParameters`: move shared parameters to the top level (mutates `items`)."""
    encoded: dict[str, Schema] = {}
    for params in _parameter_lists(items):
        for param in params:
            if _shared(param):
                encoded.setdefault(go_json(param), param)
    names: dict[str, str] = {}
    shared: dict[str, Schema] = {}
    for text in sorted(encoded):
        param = encoded[text]
        name, attempt = f"{param['name']}-{_hash(text)}", 0
        while name in shared:
            attempt += 1
            name = f"{param['name']}-{attempt}"
        shared[name], names[text] = param, name
    for params in _parameter_lists(items):
        for index, param in enumerate(params):
            shared_name = names.get(go_json(param)) if _shared(param) else None
            if shared_name is not None:
                params[index] = {"$ref": f"#/parameters/{shared_name}"}
    return dict(sorted(shared.items()))


def document(routes: Sequence[Route], custom: Mapping[str, Schema]) -> dict[str, Any]:
    """The whole `/openapi/v2` document for these routes and custom definitions."""
    items = paths(routes)
    roots = set(definitions.refs(items, definitions.V2_PREFIX)) | set(custom)
    defs = definitions.closure(roots, v2=True, extra=custom)
    parameters = deduplicate(items)
    return {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": c.SERVER_VERSION},
        "paths": items,
        "definitions": defs,
        "parameters": parameters,
        "securityDefinitions": c.BEARER_TOKEN,
        "security": [{"BearerToken": []}],
    }
