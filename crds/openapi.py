"""Turn pydantic JSON schemas into structural OpenAPI v3 schemas for CRDs.

The Kubernetes API server accepts only *structural* schemas: every node typed, no `$ref`, no
`anyOf` that introduces types, no `additionalProperties` beside `properties`. Pydantic emits
`$defs`/`$ref`, `anyOf [X, null]` for optional fields and `additionalProperties: false`; this
module inlines and rewrites those. It is shared by our own models and by the core/v1 Pod
models of the `kubernetes` client, which are pydantic models too (see `crds.podschema`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crds.base import INT_OR_STRING

Schema = dict[str, Any]
Substitution = Callable[[Mapping[str, Any]], Schema | None]

_KEPT = ("type", "enum", "format", "description", "minimum", "maximum", "pattern")


def to_structural(
    schema: Mapping[str, Any],
    *,
    defs: Mapping[str, Any] | None = None,
    descriptions: bool = True,
    substitute: Substitution | None = None,
    keep_formats: bool = True,
) -> Schema:
    """Inline `$ref`s and rewrite pydantic idioms into a structural OpenAPI v3 schema.

    Args:
        schema: a pydantic JSON schema (its `$defs` are used unless `defs` is given).
        defs: the definitions `$ref`s point into.
        descriptions: keep `description`s (dropped for the large, well-known Pod schema).
        substitute: called on every node first; a non-None result replaces the node.
        keep_formats: keep `format` (dropped where pydantic's formats are stricter than
            the schema we imitate).
    """
    definitions = defs if defs is not None else schema.get("$defs", {})

    def convert(node: Mapping[str, Any]) -> Schema:
        if substitute is not None and (replaced := substitute(node)) is not None:
            return replaced
        description = node.get("description") if descriptions else None
        if "$ref" in node:
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            out = convert(target)
        elif "anyOf" in node:
            out = _convert_union(node["anyOf"], convert)
        elif "allOf" in node and len(node["allOf"]) == 1:
            out = convert(node["allOf"][0])
        else:
            out = _convert_plain(node, convert, keep_formats=keep_formats)
        if description:
            out["description"] = _clean_description(description)
        elif not descriptions:
            out.pop("description", None)
        return out

    return convert(schema)


def _convert_union(options: list[Mapping[str, Any]], convert: Callable[..., Schema]) -> Schema:
    real = [option for option in options if option.get("type") != "null"]
    types = sorted(str(option.get("type")) for option in real)
    if len(real) == 1:
        return convert(real[0])
    if types in (["integer", "string"], ["integer", "number", "string"]):
        return dict(INT_OR_STRING)
    raise ValueError(f"cannot express a union of {types} in a structural schema")


def _convert_plain(
    node: Mapping[str, Any], convert: Callable[..., Schema], *, keep_formats: bool
) -> Schema:
    out: Schema = {key: node[key] for key in _KEPT if key in node}
    if not keep_formats:
        out.pop("format", None)
    for key, value in node.items():
        if key.startswith("x-kubernetes-"):
            out[key] = value
    if "properties" in node:
        out["type"] = "object"
        out["properties"] = {name: convert(sub) for name, sub in node["properties"].items()}
    if "items" in node:
        out["items"] = convert(node["items"])
    additional = node.get("additionalProperties")
    if isinstance(additional, Mapping) and additional:
        out["additionalProperties"] = convert(additional)
    elif (additional is True or additional == {}) and "properties" not in node:
        out["x-kubernetes-preserve-unknown-fields"] = True
    if (
        node.get("type") == "object"
        and "properties" not in out
        and "additionalProperties" not in out
    ):
        out["x-kubernetes-preserve-unknown-fields"] = True
    if not out.get("type") and not out.get("x-kubernetes-int-or-string"):
        out["type"] = "object"
        out["x-kubernetes-preserve-unknown-fields"] = True
    return out


def _clean_description(text: str) -> str:
    # The kubernetes client appends its own attribute table to class docstrings.
    cut = text.find("\n\nAttributes:")
    cleaned = text[:cut] if cut >= 0 else text
    return " ".join(line.strip() for line in cleaned.strip().splitlines()).replace("  ", " ")
