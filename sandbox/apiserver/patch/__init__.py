"""Patch and apply: how kube-apiserver changes an object it already has.

The REST layer calls one function per request body type: `apply_json_patch` (RFC 6902),
`apply_merge_patch` (RFC 7386), `apply_strategic_merge_patch` (built-in types only, as in
kube-apiserver) and `server_side_apply`; after every other write it calls `record_update`
so `metadata.managedFields` tracks who set what. `FieldSchema` tells the merge code how each
value merges, from the built-in OpenAPI definitions or a CRD's schema. Failures raise
`PatchError` (or its `ApplyConflict`), carrying the Status code, reason and message the real
server returns. Every function is pure: inputs are never mutated.
"""

from sandbox.apiserver.patch.apply import LAST_APPLIED, record_update, server_side_apply
from sandbox.apiserver.patch.errors import ApplyConflict, PatchError
from sandbox.apiserver.patch.jsonpatch import apply_json_patch
from sandbox.apiserver.patch.mergepatch import apply_merge_patch
from sandbox.apiserver.patch.schema import FieldSchema
from sandbox.apiserver.patch.strategic import apply_strategic_merge_patch

__all__ = [
    "LAST_APPLIED",
    "ApplyConflict",
    "FieldSchema",
    "PatchError",
    "apply_json_patch",
    "apply_merge_patch",
    "apply_strategic_merge_patch",
    "record_update",
    "server_side_apply",
]
