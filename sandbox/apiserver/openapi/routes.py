"""One documented REST operation (`Route`), how it is named, and the discovery operations.

A route is what go-restful records before kube-openapi renders it: method, path, the
installer's operation name, description, parameters, media types, request and response
payloads, and the `x-kubernetes-group-version-kind` / `x-kubernetes-action` metadata kubectl
looks for. `builtin.py` and `custom.py` produce routes for resources; this module adds the
discovery endpoints (`/api/`, `/apis/`, `/apis/<group>/`, `/api/v1/`, `/version/`) and names
operations with `operation_id`, the apiserver's `GetOperationIDAndTags`
(`listCoreV1NamespacedPod`, `patchFlinkApacheOrgV1beta1NamespacedFlinkDeploymentStatus`).
`v2.py` and `v3.py` render the same routes into their two dialects, so both documents always
describe the same API.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.apiserver.openapi import common as c
from sandbox.apiserver.openapi import parameters as opt


@dataclass(frozen=True)
class Payload:
    """A request or response body: a definition by name, or a bare JSON type."""

    definition: str = ""
    type: str = ""


@dataclass(frozen=True)
class Response:
    code: int
    description: str
    payload: Payload


@dataclass(frozen=True)
class Route:
    """One documented operation, before it is rendered as v2 or v3."""

    method: str
    path: str
    operation: str
    description: str
    params: tuple[opt.Param, ...]
    produces: tuple[str, ...]
    consumes: tuple[str, ...]
    responses: tuple[Response, ...]
    body: Payload | None = None
    body_required: bool = True
    gvk: tuple[str, str, str] | None = None
    action: str = ""


_VERB_PREFIXES = tuple(
    sorted(
        (
            "get",
            "log",
            "read",
            "replace",
            "patch",
            "delete",
            "deletecollection",
            "watch",
            "connect",
            "proxy",
            "list",
            "create",
        ),
        key=len,
    )
)
"""Operation names start with one of these; the shortest match wins, as in the apiserver's trie."""


def _valid_id(text: str, *, capitalize_first: bool) -> str:
    """`ToValidOperationID`: drop punctuation, camel-case what follows it."""
    out: list[str] = []
    capitalize = capitalize_first
    for index, char in enumerate(text):
        if char.isalpha() or char == "_" or (index != 0 and char.isdigit()):
            out.append(char.upper() if capitalize else char)
            capitalize = False
        else:
            capitalize = True
    return "".join(out)


def operation_id(route: Route) -> tuple[str, list[str]]:
    """`GetOperationIDAndTags`: the group and version go after the verb, and into the tag."""
    prefix = next(
        (verb for verb in _VERB_PREFIXES if route.operation.startswith(verb)),
        "",
    )
    rest = route.operation[len(prefix) :]
    parts = route.path.strip("/").split("/")
    if parts and parts[0] == "api":
        parts = ["apis", "core", *parts[1:]]
    tags: list[str] = []
    if len(parts) >= 2 and parts[0] == "apis":
        trimmed = parts[1].removesuffix(".k8s.io")
        prefix += _valid_id(trimmed, capitalize_first=bool(prefix))
        tag = _valid_id(trimmed, capitalize_first=False)
        if len(parts) > 2:
            prefix += _valid_id(parts[2], capitalize_first=bool(prefix))
            tag += "_" + _valid_id(parts[2], capitalize_first=False)
        tags.append(tag)
    elif parts:
        tags.append(_valid_id(parts[0], capitalize_first=False))
    return prefix + _valid_id(rest, capitalize_first=bool(prefix)), tags


def api_prefix(group: str, version: str) -> str:
    return f"/apis/{group}/{version}" if group else f"/api/{version}"


def responses(payload: Payload, *codes: int) -> tuple[Response, ...]:
    """Responses with the words go-restful's `Returns` calls use."""
    words = {200: "OK", 201: "Created", 202: "Accepted"}
    return tuple(Response(code, words[code], payload) for code in codes)


def article(noun: str) -> str:
    """`GetArticleForNoun(noun, " ")`: plurals get none, vowels get "an"."""
    if noun.endswith("s") and not noun.endswith("ss"):
        return " "
    return " an " if noun[0].lower() in "aeiou" else " a "


def _discovery(
    path: str, operation: str, description: str, payload: str, *, media: tuple[str, ...]
) -> Route:
    return Route(
        method="GET",
        path=path,
        operation=operation,
        description=description,
        params=(),
        produces=media,
        consumes=media,
        responses=responses(Payload(payload), 200),
    )


def group_version_route(group: str, version: str) -> Route:
    """`GET /apis/<group>/<version>/`: the resource list of one built-in group version."""
    path = api_prefix(group, version) + "/"
    return _discovery(
        path,
        "getAPIResources",
        "get available resources",
        c.API_RESOURCE_LIST,
        media=c.MEDIA_TYPES,
    )


def group_route(group: str) -> Route:
    """`GET /apis/<group>/`: one built-in group and its versions."""
    return _discovery(
        f"/apis/{group}/",
        "getAPIGroup",
        "get information of a group",
        c.API_GROUP,
        media=c.MEDIA_TYPES,
    )


def root_routes() -> dict[str, Route]:
    """The documents that are not about a group: `api`, `apis` and `version`, by index path."""
    versions = "get available API versions"
    return {
        "api": _discovery("/api/", "getAPIVersions", versions, c.API_VERSIONS, media=c.MEDIA_TYPES),
        "apis": _discovery(
            "/apis/", "getAPIVersions", versions, c.API_GROUP_LIST, media=c.MEDIA_TYPES
        ),
        "version": _discovery(
            "/version/",
            "getCodeVersion",
            "get the version information for this server",
            c.VERSION_INFO,
            media=(c.JSON,),
        ),
    }


def finish_operation(op: dict[str, Any], route: Route, answers: dict[str, Any]) -> dict[str, Any]:
    """Close an operation the same way in v2 and v3.

    Responses are sorted by code, then the extensions kubectl reads are added
    (`x-kubernetes-action`, `x-kubernetes-group-version-kind`).
    """
    op["responses"] = dict(sorted(answers.items()))
    if route.action:
        op[c.ACTION_EXTENSION] = route.action
    if route.gvk is not None:
        group, version, kind = route.gvk
        op[c.GVK_EXTENSION] = {"group": group, "version": version, "kind": kind}
    return op


def by_path(routes: Iterable[Route]) -> dict[str, list[Route]]:
    """Routes grouped by path, paths sorted (the order documents list them in)."""
    grouped: dict[str, list[Route]] = {}
    for route in routes:
        grouped.setdefault(route.path, []).append(route)
    return dict(sorted(grouped.items()))


def _key(param: opt.Param) -> tuple[str, str]:
    return param.name, param.location


def common_params(routes: Sequence[Route]) -> list[opt.Param]:
    """Parameters every operation on a path takes: kube-openapi hoists them to the path.

    The key is name and location only, as in `findCommonParameters`; the last operation's
    version of a parameter is the one kept.
    """
    counts: dict[tuple[str, str], int] = {}
    latest: dict[tuple[str, str], opt.Param] = {}
    for route in routes:
        for param in route.params:
            counts[_key(param)] = counts.get(_key(param), 0) + 1
            latest[_key(param)] = param
    shared = [latest[key] for key, count in counts.items() if count == len(routes)]
    return sorted(shared, key=_key)


def own_params(route: Route, common: Sequence[opt.Param]) -> list[opt.Param]:
    """The parameters of one operation that were not hoisted to its path, sorted."""
    hoisted = {_key(param) for param in common}
    return sorted((p for p in route.params if _key(p) not in hoisted), key=_key)
