"""Content negotiation: which representation a response takes, and writing it.

kubectl asks for a `meta.k8s.io` Table (`application/json;as=Table;v=v1;g=meta.k8s.io`)
when it prints columns, for plain JSON for `-o yaml`, and lists protobuf first for some
calls; the Python client asks for JSON; controllers may ask for PartialObjectMetadata.
`negotiate` walks the Accept header as kube-apiserver does (quality, then order), skips
what the emulator cannot produce (protobuf, CBOR), and answers 406 with the apiserver's
message when nothing is left. JSON is written compactly, with a trailing newline, as the
Go encoder does; YAML on request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import yaml
from aiohttp import web

from sandbox.apiserver import errors

JSON: Final = "application/json"
YAML: Final = "application/yaml"
SERVED_TYPES: Final = (JSON, YAML, "application/vnd.kubernetes.protobuf")
_META_GROUP: Final = "meta.k8s.io"
_CONVERSIONS: Final = frozenset({"Table", "PartialObjectMetadata", "PartialObjectMetadataList"})


@dataclass(frozen=True)
class Rendering:
    """The chosen response form: a media type and, optionally, a meta.k8s.io conversion."""

    media_type: str = JSON
    as_kind: str = ""
    as_version: str = "v1"

    @property
    def table(self) -> bool:
        return self.as_kind == "Table"

    @property
    def content_type(self) -> str:
        if self.as_kind:
            return f"{self.media_type};as={self.as_kind};g={_META_GROUP};v={self.as_version}"
        return self.media_type


def _parse(header: str) -> list[tuple[str, dict[str, str], float, int]]:
    ranges = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        params: dict[str, str] = {}
        for piece in pieces[1:]:
            key, _, value = piece.partition("=")
            params[key.strip().lower()] = value.strip().strip('"')
        try:
            quality = float(params.pop("q", "1"))
        except ValueError:
            quality = 1.0
        ranges.append((media, params, quality, position))
    ranges.sort(key=lambda r: (-r[2], r[3]))
    return ranges


def negotiate(header: str | None, *, conversions: bool = True, stream: bool = False) -> Rendering:
    """The first acceptable representation for an Accept header (absent: JSON).

    Raises:
        ApiError: 406 NotAcceptable when nothing in the header can be produced.
    """
    if not header or not header.strip():
        return Rendering()
    known = _NEGOTIATED.get((header, conversions, stream))
    if known is not None:
        return known
    rendering = _negotiate(header, conversions=conversions, stream=stream)
    if len(_NEGOTIATED) < _NEGOTIATED_KEPT:
        _NEGOTIATED[(header, conversions, stream)] = rendering
    return rendering


# Clients send the same few Accept headers over and over.
_NEGOTIATED: dict[tuple[str, bool, bool], Rendering] = {}
_NEGOTIATED_KEPT = 256


def _negotiate(header: str, *, conversions: bool, stream: bool) -> Rendering:
    for media, params, quality, _ in _parse(header):
        if quality <= 0:
            continue
        if media in ("*/*", "application/*"):
            return Rendering()
        if media not in (JSON, YAML) or (stream and media == YAML):
            continue
        if params.get("stream") not in (None, "watch"):
            continue
        as_kind = params.get("as", "")
        if not as_kind:
            return Rendering(media_type=media)
        if not conversions or as_kind not in _CONVERSIONS or media != JSON:
            continue
        if params.get("g") != _META_GROUP or params.get("v") not in ("v1", "v1beta1"):
            continue
        return Rendering(media_type=media, as_kind=as_kind, as_version=params["v"])
    raise errors.not_acceptable(SERVED_TYPES)


def compact(body: Any) -> bytes:
    """Compact JSON without the trailing newline (watch lines, cached encodings)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def dumps(body: Any) -> bytes:
    """Compact JSON with a trailing newline, like Go's json encoder."""
    return compact(body) + b"\n"


def respond(
    body: Any,
    *,
    status: int = 200,
    rendering: Rendering | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """A complete response in the negotiated media type."""
    rendering = rendering or Rendering()
    if rendering.media_type == YAML:
        data = yaml.safe_dump(body, default_flow_style=False, sort_keys=False).encode()
    else:
        data = dumps(body)
    return respond_encoded(data, status=status, rendering=rendering, headers=headers)


def respond_encoded(
    data: bytes,
    *,
    status: int = 200,
    rendering: Rendering,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """A complete response whose body is already in the negotiated media type."""
    all_headers = {"Content-Type": rendering.content_type, "Cache-Control": "no-cache, private"}
    all_headers.update(headers or {})
    return web.Response(body=data, status=status, headers=all_headers)


def error_response(error: errors.ApiError) -> web.Response:
    """A Status body with the error's code, as `responsewriters.ErrorNegotiated` writes it."""
    return respond(error.status(), status=error.code, headers=error.headers)
