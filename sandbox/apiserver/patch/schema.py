"""FieldSchema: how each value of an object merges, read from OpenAPI definitions or a CRD schema.

Strategic merge patch asks a field for its patch metadata (`x-kubernetes-patch-strategy`,
`x-kubernetes-patch-merge-key`); server-side apply asks a value for its shape: a scalar, a map
that is atomic or granular, or a list that is atomic, a set, or a map keyed by some fields.
kube-apiserver derives the latter from the OpenAPI models with kube-openapi's `schemaconv`, and
this module follows its rules: `x-kubernetes-list-type` wins, else a `merge` patch strategy
makes an associative list (keyed by the merge key, or a set without one), else the list is
atomic; maps and structs are granular unless `x-kubernetes-map-type: atomic` (also when set
beside a `$ref`); Quantity and IntOrString are untyped scalars and RawExtension is atomic;
schemaless places (`x-kubernetes-preserve-unknown-fields`, objects without properties) take the
"deduced" type: granular maps, atomic lists.

`FieldSchema.builtin(name)` starts at a definition of `builtin_schemas`; `FieldSchema.custom`
starts at a CRD version's `openAPIV3Schema`, with `metadata` typed as ObjectMeta as in the
OpenAPI the apiserver builds for CRDs. Nodes resolve their children lazily and named
definitions are shared, so building a schema costs nothing until a walk needs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sandbox.apiserver import builtin_schemas

_OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension"
_SCALAR_TYPES = {"integer", "number", "string", "boolean"}

# List-map key defaults kube-apiserver's OpenAPI declares (`+default=`) and the JSON-schema
# copy of the definitions omits; server-side apply keys such elements with the default.
_KEY_DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    "io.k8s.api.core.v1.ContainerPort": {"protocol": "TCP"},
    "io.k8s.api.core.v1.ServicePort": {"protocol": "TCP"},
}


@dataclass(frozen=True)
class PatchMeta:
    """A field's strategic-merge metadata; `known` is False for fields the schema lacks."""

    strategies: tuple[str, ...] = ()
    merge_key: str = ""
    known: bool = True


class FieldSchema:
    """The merge shape of one value; children are resolved on demand."""

    __slots__ = (
        "_children",
        "_element",
        "_items",
        "_preserve",
        "_properties",
        "_required",
        "definition",
        "is_list",
        "is_map",
        "key_defaults",
        "list_keys",
        "list_type",
        "map_atomic",
        "root_kind",
        "scalar",
        "status_resets",
    )

    def __init__(self) -> None:
        self.scalar: str | None = None
        self.is_map = False
        self.map_atomic = False
        self.is_list = False
        self.list_type = "atomic"
        self.list_keys: tuple[str, ...] = ()
        self.key_defaults: dict[str, Any] = {}
        self.definition = ""
        self.root_kind: tuple[str, str, str] | None = None
        self.status_resets = False
        self._properties: dict[str, Any] = {}
        self._required: tuple[str, ...] = ()
        self._element: Any = None  # fragment, FieldSchema, or None (undeclared fields refused)
        self._items: Any = None
        self._preserve = False
        self._children: dict[str, FieldSchema] = {}

    # Constructors -------------------------------------------------------------------------

    @staticmethod
    def builtin(definition_name: str) -> FieldSchema:
        """The schema of a built-in type, e.g. `io.k8s.api.apps.v1.Deployment`."""
        return _named(definition_name, None)

    @staticmethod
    def custom(
        openapi_v3_schema: Mapping[str, Any], *, status_subresource: bool | None = None
    ) -> FieldSchema:
        """The schema of a custom resource version (its `openAPIV3Schema`).

        `status_subresource` says whether `status` is served by its own subresource (and so
        reset on the main resource); by default it is assumed when the schema has `status`.
        """
        fragment = dict(openapi_v3_schema)
        properties = dict(fragment.get("properties") or {})
        properties["metadata"] = {"$ref": "#/$defs/" + _OBJECT_META}
        properties.setdefault("apiVersion", {"type": "string"})
        properties.setdefault("kind", {"type": "string"})
        fragment["properties"] = properties
        fragment.setdefault("type", "object")
        node = _from_fragment(fragment, preserve=False)
        has_status = "status" in (openapi_v3_schema.get("properties") or {})
        node.status_resets = has_status if status_subresource is None else status_subresource
        return node

    @staticmethod
    def deduced() -> FieldSchema:
        """The schema of a schemaless value: untyped scalar, atomic list, granular map."""
        return _deduced()

    # Shape queries --------------------------------------------------------------------------

    def declares(self, name: str) -> bool:
        """Whether `name` is a declared property (a struct field, not a map key)."""
        return self.is_map and name in self._properties

    def field(self, name: str) -> FieldSchema | None:
        """The schema of member `name`, or None when the map does not allow it."""
        if not self.is_map:
            return None
        child = self._children.get(name)
        if child is not None:
            return child
        if name in self._properties:
            child = _resolve(self._properties[name], preserve=self._preserve)
        elif self._element is None:
            return None
        else:
            child = _resolve(self._element, preserve=self._preserve)
        self._children[name] = child
        return child

    def items(self) -> FieldSchema:
        """The schema of this list's elements."""
        if not isinstance(self._items, FieldSchema):
            self._items = _resolve(self._items, preserve=self._preserve)
        return self._items

    def patch_meta(self, name: str) -> PatchMeta:
        """Strategic-merge metadata of member `name` (from the property, as Go struct tags)."""
        fragment = self._properties.get(name) if self.is_map else None
        if fragment is None:
            return PatchMeta(known=self.is_map and self._element is not None)
        strategy = fragment.get("x-kubernetes-patch-strategy")
        return PatchMeta(
            strategies=tuple(strategy.split(",")) if strategy else (),
            merge_key=fragment.get("x-kubernetes-patch-merge-key", ""),
        )

    def reset_fields(self, subresource: str) -> frozenset[str]:
        """Top-level fields a write through `subresource` never changes nor owns."""
        if subresource == "status":
            return frozenset({"spec"}) if self.declares("spec") else frozenset()
        if subresource == "" and self.status_resets and self.declares("status"):
            return frozenset({"status"})
        return frozenset()

    def property_names(self) -> list[str]:
        return list(self._properties) if self.is_map else []

    def required(self) -> list[str]:
        return list(self._required)


# Construction ---------------------------------------------------------------------------------


def _resolve(source: Any, *, preserve: bool) -> FieldSchema:
    if isinstance(source, FieldSchema):
        return source
    if not isinstance(source, Mapping):
        return _deduced()
    ref = source.get("$ref")
    all_of = source.get("allOf")
    if not ref and isinstance(all_of, list) and len(all_of) == 1 and "$ref" in all_of[0]:
        ref = all_of[0]["$ref"]
    if ref:
        map_type = source.get("x-kubernetes-map-type")
        return _named(builtin_schemas.ref_name(ref), map_type if map_type else None)
    return _from_fragment(source, preserve=preserve)


@cache
def _named(name: str, map_type: str | None) -> FieldSchema:
    if name == _QUANTITY:
        node = FieldSchema()
        node.scalar = "untyped"
        node.definition = name
        return node
    if name == _RAW_EXTENSION:
        return _untyped_atomic()
    try:
        definition = builtin_schemas.definition(name)
    except KeyError:
        return _deduced()  # an unknown type merges as schemaless JSON does
    node = _from_fragment(definition, preserve=False)
    node.definition = name
    node.key_defaults.update(_KEY_DEFAULTS.get(name, {}))
    gvks = definition.get("x-kubernetes-group-version-kind") or []
    if len(gvks) == 1:
        gvk = gvks[0]
        node.root_kind = (gvk.get("group", ""), gvk.get("version", ""), gvk.get("kind", ""))
        node.status_resets = True
    if map_type is not None and node.is_map:
        node.map_atomic = map_type == "atomic"
    return node


def _primary_type(fragment: Mapping[str, Any]) -> str:
    raw = fragment.get("type")
    types = raw if isinstance(raw, list) else [raw] if raw else []
    concrete = [t for t in types if t != "null"]
    return str(concrete[0]) if concrete else ""


def _alternatives_are_scalars(fragment: Mapping[str, Any]) -> bool:
    alternatives = fragment.get("oneOf") or fragment.get("anyOf")
    if not isinstance(alternatives, list) or not alternatives:
        return False
    return all(_primary_type(alt) in _SCALAR_TYPES for alt in alternatives)


def _from_fragment(fragment: Mapping[str, Any], *, preserve: bool) -> FieldSchema:
    node = FieldSchema()
    node._preserve = preserve or fragment.get("x-kubernetes-preserve-unknown-fields") is True
    kind = _primary_type(fragment)
    if fragment.get("x-kubernetes-int-or-string") is True or (
        kind == "" and _alternatives_are_scalars(fragment)
    ):
        node.scalar = "untyped"
        return node
    if kind in _SCALAR_TYPES:
        node.scalar = _scalar_kind(kind, str(fragment.get("format", "")))
        return node
    if kind == "":
        node.scalar = "untyped"
    if kind in ("", "object"):
        _fill_map(node, fragment)
    if kind in ("", "array"):
        _fill_list(node, fragment)
    return node


def _scalar_kind(kind: str, fmt: str) -> str:
    if kind in ("integer", "number"):
        return "numeric"
    if kind == "boolean":
        return "boolean"
    return "string" if fmt in ("", "byte") else "untyped"


def _fill_map(node: FieldSchema, fragment: Mapping[str, Any]) -> None:
    node.is_map = True
    node.map_atomic = fragment.get("x-kubernetes-map-type") == "atomic"
    properties = dict(fragment.get("properties") or {})
    node._properties = properties
    for name, prop in properties.items():
        if isinstance(prop, Mapping) and "default" in prop:
            node.key_defaults[name] = prop["default"]
    node._required = tuple(str(name) for name in fragment.get("required") or ())
    extra = fragment.get("additionalProperties")
    if isinstance(extra, Mapping):
        node._element = extra
    elif extra is True or (extra is None and (node._preserve or not properties)):
        node._element = _deduced()
    else:
        node._element = None


def _fill_list(node: FieldSchema, fragment: Mapping[str, Any]) -> None:
    node.is_list = True
    items = fragment.get("items")
    node._items = items if isinstance(items, Mapping) else _untyped_atomic()
    list_type = fragment.get("x-kubernetes-list-type")
    strategy = fragment.get("x-kubernetes-patch-strategy")
    if list_type in ("atomic", "set", "map"):
        node.list_type = str(list_type)
        if list_type == "map":
            node.list_keys = tuple(fragment.get("x-kubernetes-list-map-keys") or ())
    elif strategy in ("merge", "merge,retainKeys"):
        key = fragment.get("x-kubernetes-patch-merge-key")
        node.list_type = "map" if key else "set"
        node.list_keys = (str(key),) if key else ()


@cache
def _deduced() -> FieldSchema:
    node = FieldSchema()
    node.scalar = "untyped"
    node.is_map = True
    node.is_list = True
    node._element = node
    node._items = _untyped_atomic()
    return node


@cache
def _untyped_atomic() -> FieldSchema:
    node = FieldSchema()
    node.scalar = "untyped"
    node.is_map = True
    node.map_atomic = True
    node.is_list = True
    node._element = node
    node._items = node
    return node
