"""Schema defaults: applying them to custom resources, and checking them in CRDs.

Defaulting runs when the apiserver decodes a custom resource (on writes, and on reads from
storage): first `prune_nulls` drops `null`s the schema does not allow and has no default
for, then `apply_defaults` fills absent fields, and `null`s of non-nullable fields, from
`default` (`pkg/apiserver/schema/defaulting`). Defaults are deep-copied, and defaults
inside a defaulted object apply too. `check_defaults` is the CRD-side half: each default
must survive pruning unchanged and validate against its own node, which `structural.py`
runs once a schema is known to be structural. Both halves live here because they must
agree on what a default is (`default: null` is none).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from sandbox.apiserver.schema import nodes, objectmeta, prune, validate
from sandbox.apiserver.schema.field import FieldError, child, invalid, key
from sandbox.apiserver.schema.gojson import json_equal
from sandbox.apiserver.schema.nodes import Schema

_META_FIELDS: Final = ("apiVersion", "kind", "metadata")


def _non_nullable_null(value: Any, schema: Schema | None) -> bool:
    return value is None and schema is not None and not nodes.flag(schema, "nullable")


def _field_schema(name: str, schema: Schema | None) -> Schema | None:
    if schema is None:
        return None
    props = nodes.properties(schema)
    return props[name] if name in props else nodes.additional_schema(schema)


def prune_nulls(obj: Any, schema: Mapping[str, Any] | None) -> None:
    """Drop `null`s of non-nullable fields without a default, in place.

    Nulls that have a default are left for `apply_defaults`, which replaces them.
    """
    if isinstance(obj, dict):
        for name in list(obj):
            sub = _field_schema(name, schema)
            if (
                _non_nullable_null(obj[name], sub)
                and sub is not None
                and not nodes.has_default(sub)
            ):
                del obj[name]
            else:
                prune_nulls(obj[name], sub)
    elif isinstance(obj, list):
        item = nodes.items(schema) if schema is not None else None
        for element in obj:
            prune_nulls(element, item)


def apply_defaults(obj: Any, schema: Mapping[str, Any] | None) -> None:
    """Fill in defaults, in place, as the apiserver's structural defaulting does."""
    if schema is None:
        return
    if isinstance(obj, dict):
        props = nodes.properties(schema)
        for name, prop in props.items():
            if nodes.has_default(prop) and (name not in obj or _non_nullable_null(obj[name], prop)):
                obj[name] = copy.deepcopy(prop["default"])
        # Iterate after filling, so that defaults nested in a default apply as well.
        for name in list(obj):
            if name in props:
                apply_defaults(obj[name], props[name])
            elif nodes.additional(schema) is not None:
                extra = nodes.additional_schema(schema)
                if _non_nullable_null(obj[name], extra) and extra is not None:
                    obj[name] = copy.deepcopy(extra.get("default"))
                apply_defaults(obj[name], extra)
    elif isinstance(obj, list):
        item = nodes.items(schema)
        for i, element in enumerate(obj):
            if _non_nullable_null(element, item) and item is not None:
                obj[i] = copy.deepcopy(item.get("default"))
            apply_defaults(obj[i], item)


def check_defaults(schema: Schema, path: str) -> list[FieldError]:
    """`ValidateDefaults` for a structural schema whose root is at `path`.

    Defaults under `metadata`, `apiVersion` or `kind` of an embedded resource are only
    validated against their schema; the apiserver also builds a surrounding object and
    validates it as ObjectMeta, which is not emulated.
    """
    root = schema if nodes.embedded(schema) else {**schema, "x-kubernetes-embedded-resource": True}
    errs: list[FieldError] = []
    _check(root, path, inside_meta=False, errs=errs)
    return errs


def _check(schema: Schema, path: str, *, inside_meta: bool, errs: list[FieldError]) -> None:
    is_embedded = nodes.embedded(schema)
    inside_meta = inside_meta and not is_embedded
    if nodes.has_default(schema):
        errs.extend(_check_value(schema, child(path, "default"), inside_meta=inside_meta))
    # additionalProperties is not followed: defaults are forbidden there.
    item = nodes.items(schema)
    if item is not None:
        _check(item, child(path, "items"), inside_meta=inside_meta, errs=errs)
    for name, prop in nodes.properties(schema).items():
        in_meta = inside_meta or (is_embedded and name in _META_FIELDS)
        _check(prop, key(child(path, "properties"), name), inside_meta=in_meta, errs=errs)


def _check_value(schema: Schema, path: str, *, inside_meta: bool) -> list[FieldError]:
    default = schema["default"]
    if inside_meta:
        return validate.validate_schema(default, schema, path=path)
    errs: list[FieldError] = []
    pruned = copy.deepcopy(default)
    prune.prune_fields(pruned, schema, is_resource_root=nodes.embedded(schema))
    if not json_equal(pruned, default):
        errs.append(invalid(path, default, detail="must not have unknown fields"))
    meta_errs = objectmeta.check_embedded(default, schema, path=path)
    if meta_errs:
        return errs + meta_errs
    return errs + validate.validate_schema(default, schema, path=path)
