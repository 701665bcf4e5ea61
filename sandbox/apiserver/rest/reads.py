"""GET of one object and of collections: selectors, pagination, Table and metadata-only output.

A list is read from the store at its current resourceVersion, filtered by label and field
selectors (parsed and checked by `selectors`, 400 on a bad one), and cut into pages with
`limit` and an opaque `continue` token that remembers the last key and the first page's
resourceVersion, as etcd-backed lists do. Each page can come back as the kind's List, as a
`meta.k8s.io` Table (the printer columns kubectl shows) or as PartialObjectMetadataList.
Items of built-in lists carry no `kind`/`apiVersion`, as typed lists serialise; custom
resource items keep theirs.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.apiserver import errors
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.conversion import object_form, to_served
from sandbox.apiserver.rest.negotiation import (
    JSON,
    Rendering,
    compact,
    dumps,
    respond,
    respond_encoded,
)
from sandbox.apiserver.selectors import FieldSelector, LabelSelector, SelectorError, object_fields
from sandbox.apiserver.store import Object
from sandbox.apiserver.tables import to_table

Predicate = Callable[[Object], bool]

_EXACT_EXPIRED = "The resourceVersion for the provided list is too old."
_CONTINUE_EXPIRED = (
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this "
    "response to retrieve the remainder of the results. Continuing with the provided token "
    "results in an inconsistent list - objects that were created, modified, or deleted "
    "between the time the first chunk was returned and now may show up in the list."
)


@dataclass(frozen=True)
class ContinueToken:
    resource_version: int
    start: tuple[str, str]

    def encode(self) -> str:
        namespace, name = self.start
        key = f"{namespace}/{name}\x00" if namespace else f"{name}\x00"
        raw = json.dumps(
            {"v": "meta.k8s.io/v1", "rv": self.resource_version, "start": key},
            separators=(",", ":"),
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> ContinueToken:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw)
            key = str(data["start"]).rstrip("\x00")
            namespace, _, name = key.rpartition("/")
            if data.get("v") != "meta.k8s.io/v1":
                raise ValueError("unsupported version")
            return cls(int(data["rv"]), (namespace, name))
        except (binascii.Error, ValueError, KeyError, TypeError) as exc:
            raise errors.bad_request(f"continue key is not valid: {exc}") from exc


def selector_predicate(kind: ResourceKind, query: Mapping[str, str]) -> Predicate:
    """A predicate over stored objects for `labelSelector` and `fieldSelector` (400 if bad)."""
    try:
        labels = LabelSelector.parse(query.get("labelSelector", ""))
        fields = FieldSelector.parse(query.get("fieldSelector", "")).for_kind(kind)
    except SelectorError as exc:
        raise errors.bad_request(str(exc)) from exc
    if labels.empty and fields.empty:
        return lambda _: True

    def matches(obj: Object) -> bool:
        served = to_served(kind, obj)
        meta = served.get("metadata") or {}
        if not labels.matches(meta.get("labels") or {}):
            return False
        return fields.empty or fields.matches(object_fields(kind, served))

    return matches


def _int_param(query: Mapping[str, str], name: str) -> int:
    text = query.get(name, "")
    if not text:
        return 0
    try:
        return int(text)
    except ValueError:
        raise errors.bad_request(f'invalid value for {name}: "{text}"') from None


def list_items(
    ctx: ApiContext, kind: ResourceKind, *, namespace: str | None, query: Mapping[str, str]
) -> tuple[list[Object], dict[str, Any]]:
    """The stored items of one page and the list metadata (resourceVersion, continue)."""
    key = ctx.registry.storage_key(kind)
    current = ctx.store.resource_version
    requested = _int_param(query, "resourceVersion")
    match = query.get("resourceVersionMatch", "")
    if match not in ("", "Exact", "NotOlderThan"):
        raise errors.bad_request(f'invalid resourceVersionMatch: "{match}"')
    if requested > current:
        raise errors.too_large_resource_version(requested, current)
    predicate = selector_predicate(kind, query)
    limit = _int_param(query, "limit")
    if limit < 0:
        raise errors.bad_request("limit must be non-negative")
    token = query.get("continue", "")
    start: tuple[str, str] | None = None
    list_rv = current
    if token:
        decoded = ContinueToken.decode(token)
        start, list_rv = decoded.start, decoded.resource_version
    elif match == "Exact" and requested:
        list_rv = requested
    stored = ctx.store.objects(key, namespace)
    if list_rv != current:
        # A consistent read at an older revision, as etcd serves exact and paged lists.
        snapshot = ctx.store.objects_at(key, namespace, resource_version=list_rv)
        if snapshot is None:
            raise errors.expired(_CONTINUE_EXPIRED if token else _EXACT_EXPIRED)
        stored = snapshot
    if start is not None:
        stored = stored[bisect.bisect_right(stored, start, key=_sort_key) :]
    selected = [o for o in stored if predicate(o)]
    meta: dict[str, Any] = {"resourceVersion": str(list_rv)}
    if limit and len(selected) > limit:
        page = selected[:limit]
        meta["continue"] = ContinueToken(list_rv, _sort_key(page[-1])).encode()
        if not query.get("labelSelector") and not query.get("fieldSelector"):
            meta["remainingItemCount"] = len(selected) - limit
        selected = page
    return selected, meta


def _sort_key(obj: Object) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _list_item(kind: ResourceKind, obj: Object) -> Object:
    if kind.custom:
        return obj
    return {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}


def partial(obj: Object, version: str) -> Object:
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": f"meta.k8s.io/{version}",
        "metadata": obj.get("metadata") or {},
    }


def render_list(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    stored: list[Object],
    meta: dict[str, Any],
    rendering: Rendering,
    query: Mapping[str, str],
) -> web.Response:
    """A page of stored objects as the kind's List, a Table or PartialObjectMetadataList."""
    if rendering.table:
        table = to_table(
            kind,
            [to_served(kind, o) for o in stored],
            include_object=query.get("includeObject", "Metadata") or "Metadata",
            now=ctx.clock.now(),
            resource_version=str(meta.get("resourceVersion", "")),
            continue_token=str(meta.get("continue", "")),
        )
        if "remainingItemCount" in meta:
            table["metadata"]["remainingItemCount"] = meta["remainingItemCount"]
        return respond(table, rendering=rendering)
    if rendering.as_kind == "PartialObjectMetadataList":
        body = {
            "kind": "PartialObjectMetadataList",
            "apiVersion": f"meta.k8s.io/{rendering.as_version}",
            "metadata": meta,
            "items": [partial(o, rendering.as_version) for o in stored],
        }
        return respond(body, rendering=rendering)
    if rendering.as_kind:
        raise errors.not_acceptable(("application/json", "application/yaml"))
    if rendering.media_type != JSON:
        items = [_list_item(kind, to_served(kind, o)) for o in stored]
        body = {"kind": kind.list_kind, "apiVersion": kind.api_version, "metadata": meta}
        return respond({**body, "items": items}, rendering=rendering)
    return _json_list(ctx, kind, stored=stored, meta=meta)


def _json_list(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    stored: list[Object],
    meta: dict[str, Any],
) -> web.Response:
    """The List as JSON, assembled from each item's remembered encoding.

    Serialising thousands of objects dominates a big list; stored objects never change, so
    each item is encoded once per version served and reused until it is written again.
    """
    key = ctx.registry.storage_key(kind)
    form = f"item:{kind.api_version}"

    def encode(obj: Object) -> bytes:
        return dumps(_list_item(kind, to_served(kind, obj))).rstrip(b"\n")

    current = meta.get("resourceVersion") == str(ctx.store.resource_version)
    cache = ctx.store.encoded
    items = b",".join(cache(key, obj, form=form, encode=encode, current=current) for obj in stored)
    head = dumps({"kind": kind.list_kind, "apiVersion": kind.api_version, "metadata": meta})
    body = head.rstrip(b"\n")[:-1] + b',"items":[' + items + b"]}\n"
    headers = {"Content-Type": JSON, "Cache-Control": "no-cache, private"}
    return web.Response(body=body, headers=headers)


def render_object(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    obj: Object,
    rendering: Rendering,
    query: Mapping[str, str],
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """One object in the negotiated form (Table with one row, metadata only, or itself)."""
    if rendering.table:
        table = to_table(
            kind,
            [obj],
            include_object=query.get("includeObject", "Metadata") or "Metadata",
            now=ctx.clock.now(),
            resource_version=str((obj.get("metadata") or {}).get("resourceVersion", "")),
        )
        return respond(table, rendering=rendering, status=status, headers=headers)
    if rendering.as_kind == "PartialObjectMetadata":
        return respond(
            partial(obj, rendering.as_version), rendering=rendering, status=status, headers=headers
        )
    if rendering.as_kind:
        raise errors.not_acceptable(("application/json", "application/yaml"))
    if rendering.media_type == JSON:
        # The stored state's encoding is remembered (and shared with its watch event).
        data = ctx.store.encoded(
            ctx.registry.storage_key(kind), obj, form=object_form(kind), encode=compact
        )
        return respond_encoded(data + b"\n", rendering=rendering, status=status, headers=headers)
    return respond(obj, rendering=rendering, status=status, headers=headers)


def get(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str,
    name: str,
    query: Mapping[str, str],
    rendering: Rendering,
) -> web.Response:
    obj = to_served(kind, ctx.lifecycle.get(kind, namespace, name=name))
    return render_object(ctx, kind, obj=obj, rendering=rendering, query=query)


def list_(
    ctx: ApiContext,
    kind: ResourceKind,
    *,
    namespace: str | None,
    query: Mapping[str, str],
    rendering: Rendering,
) -> web.Response:
    items, meta = list_items(ctx, kind, namespace=namespace, query=query)
    return render_list(ctx, kind, stored=items, meta=meta, rendering=rendering, query=query)
