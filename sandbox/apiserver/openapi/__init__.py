"""The OpenAPI documents kube-apiserver 1.33 serves, for the kinds the emulator serves.

`/openapi/v2` is one Swagger 2.0 document for every served kind; `/openapi/v3` is an index of
per-group-version OpenAPI 3.0 documents, each reachable at `/openapi/v3/<path>?hash=<etag>`.
Built-in kinds are described from `builtin_schemas` and the apiserver's route installer;
custom resources from their CRD version's schema, the way apiextensions-apiserver's builder
does it. kubectl depends on them: `apply`, `replace` and `edit` send `fieldValidation=Strict`
only when the PATCH operation of the object's group-version-kind declares the parameter, and
`explain` renders the v3 schemas.

For the REST layer: serve `encoded_v3_index(kinds).body` at `/openapi/v3` and
`encoded_v3(kinds, path).body` at `/openapi/v3/<path>` with `Content-Type: application/json`
and `ETag: "<etag>"`; when the request's `hash` differs from the etag, answer 301 to the
`serverRelativeURL` with the current hash, as kube-openapi does. `encoded_v2(kinds)` is the
JSON v2 document (the protobuf form clients ask for first is not produced). Documents are
cached and shared: treat them, and the kinds passed in, as immutable.
"""

from collections.abc import Sequence
from typing import Any

from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.openapi.crd import model_name
from sandbox.apiserver.openapi.documents import (
    Encoded,
    encoded_v2,
    encoded_v3,
    encoded_v3_index,
    index_path,
)

__all__ = [
    "Encoded",
    "encoded_v2",
    "encoded_v3",
    "encoded_v3_index",
    "index_path",
    "model_name",
    "openapi_v2",
    "openapi_v3_document",
    "openapi_v3_index",
]


def openapi_v2(kinds: Sequence[ResourceKind]) -> dict[str, Any]:
    """The Swagger 2.0 document served at `/openapi/v2`."""
    return encoded_v2(kinds).document


def openapi_v3_index(kinds: Sequence[ResourceKind]) -> dict[str, Any]:
    """`{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}, ...}}`."""
    return encoded_v3_index(kinds).document


def openapi_v3_document(
    kinds: Sequence[ResourceKind], group: str, version: str
) -> dict[str, Any] | None:
    """The v3 document of one group version, or None when no served kind is in it."""
    encoded = encoded_v3(kinds, index_path(group, version))
    return None if encoded is None else encoded.document
