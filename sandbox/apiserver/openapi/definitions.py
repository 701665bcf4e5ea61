"""Built-in type definitions in the shape kube-apiserver serves them, for OpenAPI v2 and v3.

`builtin_schemas` holds the Kubernetes definitions as JSON Schema (`$ref: #/$defs/X`, nullable
types as `["string", "null"]`, IntOrString and Quantity as `oneOf`, `enum`s pinning every
kind's `apiVersion` and `kind`). The apiserver's generated OpenAPI has none of that: refs point
to `#/definitions/X` (v2) or `#/components/schemas/X` (v3), types are single names, and the two
polymorphic scalars carry `format: int-or-string` / a `oneOf` only in v3. v3 also wraps every
`$ref` that has siblings (a description) in a one-element `allOf`, as kube-openapi's builder3
does, because OpenAPI 3.0 ignores siblings of `$ref`. Descriptions and the extensions kubectl
and the patch code read (`x-kubernetes-group-version-kind`, patch strategy and merge key,
list and map types, unions) pass through unchanged.

`v2.py` and `v3.py` call `convert` and `closure`: a document only carries the definitions its
operations reach, as the real builders do. Conversions are cached per name and flavour; the
returned mappings are shared and must not be mutated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sandbox.apiserver import builtin_schemas
from sandbox.apiserver.openapi.common import (
    GVK_EXTENSION,
    INT_OR_STRING,
    INT_OR_STRING_DOC,
    QUANTITY,
    QUANTITY_DOC,
)

Schema = dict[str, Any]

V2_PREFIX = "#/definitions/"
V3_PREFIX = "#/components/schemas/"

_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def ref(name: str, *, v2: bool) -> str:
    """Where a definition lives in a v2 or v3 document."""
    return (V2_PREFIX if v2 else V3_PREFIX) + name


def wrap_ref(schema: Schema) -> Schema:
    """kube-openapi's WrapRefs for one node: a `$ref` with siblings moves into `allOf`."""
    if "$ref" not in schema or len(schema) == 1:
        return schema
    wrapped = {key: value for key, value in schema.items() if key != "$ref"}
    wrapped["allOf"] = [{"$ref": schema["$ref"]}]
    return wrapped


def _single_type(value: object) -> object:
    if isinstance(value, list):
        named = [item for item in value if item != "null"]
        return named[0] if len(named) == 1 else named
    return value


def _convert(node: Mapping[str, Any], *, v2: bool) -> Schema:
    out: Schema = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = ref(builtin_schemas.ref_name(value), v2=v2)
        elif key == "type":
            out[key] = _single_type(value)
        elif key == "properties" and isinstance(value, Mapping):
            out[key] = {name: _convert(child, v2=v2) for name, child in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, Mapping):
            out[key] = _convert(value, v2=v2)
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [_convert(child, v2=v2) for child in value]
        else:
            out[key] = value
    return out if v2 else wrap_ref(out)


def _polymorphic(name: str, *, v2: bool) -> Schema | None:
    """IntOrString and Quantity: a string in v2, a `oneOf` in v3 (`OpenAPIV3OneOfTypes`)."""
    if name == INT_OR_STRING:
        if v2:
            return {"description": INT_OR_STRING_DOC, "type": "string", "format": "int-or-string"}
        return {
            "description": INT_OR_STRING_DOC,
            "oneOf": [{"type": "integer"}, {"type": "string"}],
            "format": "int-or-string",
        }
    if name == QUANTITY:
        if v2:
            return {"description": QUANTITY_DOC, "type": "string"}
        return {"description": QUANTITY_DOC, "oneOf": [{"type": "string"}, {"type": "number"}]}
    return None


@cache
def convert(name: str, *, v2: bool) -> Mapping[str, Any]:
    """One built-in definition as the apiserver serves it (shared: do not mutate)."""
    special = _polymorphic(name, v2=v2)
    if special is not None:
        return special
    source = builtin_schemas.definition(name)
    converted = _convert(source, v2=v2)
    if GVK_EXTENSION in source:
        # The JSON Schema copies pin apiVersion/kind with an enum; the served spec does not.
        properties = converted.get("properties", {})
        for field in ("apiVersion", "kind"):
            if field in properties:
                properties[field] = {k: v for k, v in properties[field].items() if k != "enum"}
    return converted


def is_builtin(name: str) -> bool:
    return name in builtin_schemas.definitions()


def refs(node: object, prefix: str) -> Iterable[str]:
    """Names of the definitions a schema (or a whole path item) refers to."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith(prefix):
                    yield value[len(prefix) :]
            else:
                yield from refs(value, prefix)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item, prefix)


@cache
def _builtin_refs(name: str, *, v2: bool) -> tuple[str, ...]:
    prefix = V2_PREFIX if v2 else V3_PREFIX
    return tuple(dict.fromkeys(refs(convert(name, v2=v2), prefix)))


def closure(
    roots: Iterable[str], *, v2: bool, extra: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Mapping[str, Any]]:
    """Every definition reachable from `roots`, built-ins converted, `extra` taken as given.

    Args:
        roots: definition names the operations (or `extra` schemas) refer to.
        v2: which flavour of built-in definitions to use.
        extra: definitions that are not built-ins (custom resources), by name; their own
            references are followed too.

    Raises:
        KeyError: a reference names no built-in and no `extra` definition.
    """
    extra = extra or {}
    prefix = V2_PREFIX if v2 else V3_PREFIX
    found: dict[str, Mapping[str, Any]] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in found:
            continue
        if name in extra:
            found[name] = extra[name]
            pending.extend(refs(extra[name], prefix))
        else:
            found[name] = convert(name, v2=v2)
            pending.extend(_builtin_refs(name, v2=v2))
    return dict(sorted(found.items()))
