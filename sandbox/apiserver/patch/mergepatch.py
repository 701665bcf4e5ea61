"""JSON Merge Patch (RFC 7386, `application/merge-patch+json`) as kube-apiserver applies it.

The apiserver hands the object's JSON and the body to `jsonpatch.MergePatch` from
`gopkg.in/evanphx/json-patch.v4`: `null` deletes a member, an object merges into an object,
anything else replaces, and values that land where nothing was before lose their nested
`null` members. This is also the behaviour of every CRD field, since custom resources have
no strategic merge patch. A body that is `null` or a scalar is a 400 ("Invalid JSON Patch");
an array replaces the whole document, which then fails to decode as an object (422).
"""

from __future__ import annotations

import copy
from typing import Any

from sandbox.apiserver.patch.errors import bad_request, not_an_object


def apply_merge_patch(doc: dict[str, Any], patch: object) -> dict[str, Any]:
    """Merge `patch` into a copy of `doc` and return it; raise PatchError on a bad body."""
    if isinstance(patch, list):
        result = _prune_nulls(copy.deepcopy(patch))
        raise not_an_object(result)
    if not isinstance(patch, dict):
        raise bad_request("Invalid JSON Patch")
    out = copy.deepcopy(doc)
    _merge_into(out, copy.deepcopy(patch))
    return out


def _merge_into(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if value is None:
            doc.pop(key, None)
            continue
        current = doc.get(key)
        if not isinstance(current, dict):
            doc[key] = _prune_nulls(value)
        elif not isinstance(value, dict):
            doc[key] = value  # the library returns a non-object patch value unpruned
        else:
            _merge_into(current, value)


def _prune_nulls(value: Any) -> Any:
    """Drop `null` members of objects, at any depth (array elements that are null stay)."""
    if isinstance(value, dict):
        return {k: _prune_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_prune_nulls(v) for v in value]
    return value
