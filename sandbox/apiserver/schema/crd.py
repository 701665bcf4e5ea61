"""Validate an `apiextensions.k8s.io/v1` CustomResourceDefinition as the apiserver does on create.

`check_crd` reproduces `ValidateCustomResourceDefinition` after the two steps that shape its
error paths: v1 defaulting (`singular`, `listKind`, the `None` conversion) and conversion to
the internal version, which hoists per-version schemas, subresources and printer columns to
the top level when all versions agree. That is why a single-version CRD's schema errors read
`spec.validation.openAPIV3Schema…` while a CRD whose versions differ reports
`spec.versions[1].schema.openAPIV3Schema…`. Schemas go through `structural.schema_errors`.
Subresources, printer columns and conversion are checked in `crdparts.py`; selectable
fields are not checked and CEL rules are not compiled. Bad values that Go prints from
internal structs (`spec.versions`, a whole schema) are shown as the JSON the user sent.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from sandbox.apiserver.schema import crdparts, names, nodes
from sandbox.apiserver.schema.field import (
    FieldError,
    child,
    forbidden,
    index,
    invalid,
    key,
    not_supported,
    required,
)
from sandbox.apiserver.schema.gojson import json_equal
from sandbox.apiserver.schema.structural import schema_errors

_APPROVAL: Final = "api-approved.kubernetes.io"
_SEE: Final = ", see https://github.com/kubernetes/enhancements/pull/1111"
_PER_VERSION: Final = ("schema", "subresources", "additionalPrinterColumns")


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def default_crd(crd: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy with the v1 defaults the apiserver applies before anything else."""
    out = copy.deepcopy(dict(crd))
    spec = out.setdefault("spec", {})
    if isinstance(spec, dict):
        spec_names = spec.setdefault("names", {})
        if isinstance(spec_names, dict):
            kind = _text(spec_names.get("kind"))
            if not spec_names.get("singular"):
                spec_names["singular"] = kind.lower()
            if not spec_names.get("listKind") and kind:
                spec_names["listKind"] = kind + "List"
        if spec.get("conversion") is None:
            spec["conversion"] = {"strategy": "None"}
    return out


def _hoist(spec: Mapping[str, Any]) -> dict[str, Any]:
    """What converting the spec to the internal version moves to the top level."""
    versions = [_map(v) for v in spec.get("versions") or []]
    hoisted: dict[str, Any] = {}
    for name in _PER_VERSION:
        first = versions[0].get(name) if versions else None
        if versions and all(json_equal(v.get(name), first) for v in versions):
            hoisted[name] = first
    return hoisted


def check_crd(crd: Mapping[str, Any]) -> list[str]:
    """Every error creating this CRD would get, as `field: message` strings."""
    return [str(e) for e in crd_errors(crd)]


def crd_errors(crd: Mapping[str, Any]) -> list[FieldError]:
    """`check_crd` as `FieldError`s, for a `Status` with causes."""
    obj = default_crd(crd)
    spec, meta = _map(obj.get("spec")), _map(obj.get("metadata"))
    errs = _check_metadata(meta, spec)
    errs.extend(_check_spec(spec))
    storage = [
        _text(v.get("name"))
        for v in map(_map, spec.get("versions") or [])
        if v.get("storage") is True
    ]
    if not storage:  # status.storedVersions is set from the storage version on create
        errs.append(
            invalid("status.storedVersions", None, detail="must have at least one stored version")
        )
    group = _text(spec.get("group"))
    if group in ("k8s.io", "kubernetes.io") or group.endswith((".k8s.io", ".kubernetes.io")):
        errs.extend(_check_approval(_map(meta.get("annotations"))))
    if spec.get("preserveUnknownFields") is True:
        detail = "cannot set to true, set x-kubernetes-preserve-unknown-fields to true"
        errs.append(
            invalid(
                "spec.preserveUnknownFields",
                True,
                detail=detail + " in spec.versions[*].schema instead",
            )
        )
    return errs


def _check_metadata(meta: Mapping[str, Any], spec: Mapping[str, Any]) -> list[FieldError]:
    name = _text(meta.get("name"))
    plural = _text(_map(spec.get("names")).get("plural"))
    wanted = f"{plural}.{_text(spec.get('group'))}"
    errs: list[FieldError] = []
    generate_name = _text(meta.get("generateName"))
    if generate_name:  # a generated name can never be plural.group: Go says so too
        messages = names.dns1123_subdomain(generate_name.rstrip("-") or generate_name)
        messages.append('must be spec.names.plural+"."+spec.group')
        errs.extend(invalid("metadata.generateName", generate_name, detail=m) for m in messages)
    if not name:
        errs.append(required("metadata.name", "name or generateName is required"))
    else:
        messages = names.dns1123_subdomain(name)
        if name != wanted:
            messages.append('must be spec.names.plural+"."+spec.group')
        errs.extend(invalid("metadata.name", name, detail=m) for m in messages)
    if _text(meta.get("namespace")):
        errs.append(forbidden("metadata.namespace", "not allowed on this type"))
    return errs


def _check_approval(annotations: Mapping[str, Any]) -> list[FieldError]:
    value = _text(annotations.get(_APPROVAL))
    at = key("metadata.annotations", _APPROVAL)
    if not value:
        return [required(at, f'protected groups must have approval annotation "{_APPROVAL}"{_SEE}')]
    if value.startswith("unapproved") or ("://" in value and value.split("://", 1)[1]):
        return []
    detail = f'protected groups must have approval annotation "{_APPROVAL}" with either a URL'
    return [invalid(at, value, detail=f'{detail} or a reason starting with "unapproved"{_SEE}')]


def _check_spec(spec: Mapping[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    group = _text(spec.get("group"))
    if not group:
        errs.append(required("spec.group"))
    elif messages := names.dns1123_subdomain(group):
        errs.append(invalid("spec.group", group, detail=",".join(messages)))
    elif "." not in group:
        errs.append(invalid("spec.group", group, detail="should be a domain with at least one dot"))
    scope = _text(spec.get("scope"))
    if not scope:
        errs.append(required("spec.scope"))
    elif scope not in ("Cluster", "Namespaced"):
        errs.append(not_supported("spec.scope", scope, supported=["Cluster", "Namespaced"]))

    raw_versions = spec.get("versions") or []
    versions = [_map(v) for v in raw_versions] if isinstance(raw_versions, list) else []
    top = _hoist(spec)
    top_schema = _map(top.get("schema")).get("openAPIV3Schema") if "schema" in top else None
    if top_schema is None:
        for i, version in enumerate(versions):
            if _map(version.get("schema")).get("openAPIV3Schema") is None:
                errs.append(required(child(index("spec.versions", i), "schema", "openAPIV3Schema")))
    if spec.get("preserveUnknownFields") is True and _any_default(versions):
        errs.append(
            invalid(
                "spec.preserveUnknownFields",
                True,
                detail="must be false in order to use defaults in the schema",
            )
        )

    any_status = any("status" in _map(v.get("subresources")) for v in versions)
    for i, version in enumerate(versions):
        errs.extend(_check_version(version, index("spec.versions", i), top=top))
    version_names = [_text(v.get("name")) for v in versions]
    if len(set(version_names)) != len(version_names):
        errs.append(
            invalid("spec.versions", raw_versions, detail="must contain unique version names")
        )
    if sum(v.get("storage") is True for v in versions) != 1:
        detail = "must have exactly one version marked as storage version"
        errs.append(invalid("spec.versions", raw_versions, detail=detail))

    spec_names = _map(spec.get("names"))
    for name in ("plural", "singular", "kind", "listKind"):
        if not _text(spec_names.get(name)):
            errs.append(required(child("spec.names", name)))
    errs.extend(_check_names(spec_names, "spec.names"))
    if isinstance(top_schema, Mapping):
        errs.extend(
            schema_errors(
                top_schema, path="spec.validation.openAPIV3Schema", status_enabled=any_status
            )
        )
    if "subresources" in top:
        errs.extend(crdparts.check_subresources(_map(top["subresources"]), "spec.subresources"))
    for i, column in enumerate(top.get("additionalPrinterColumns") or []):
        errs.extend(crdparts.check_column(_map(column), index("spec.additionalPrinterColumns", i)))
    errs.extend(crdparts.check_conversion(_map(spec.get("conversion")), "spec.conversion"))
    return errs


def _has_default(schema: Any) -> bool:
    """`SchemaHas(…, Default != nil)` over every place a sub-schema can sit."""
    if not isinstance(schema, Mapping):
        return False
    if nodes.has_default(schema):
        return True
    subs: list[Any] = [schema.get("items"), schema.get("not"), schema.get("additionalProperties")]
    for name in ("allOf", "anyOf", "oneOf"):
        subs.extend(nodes.subschemas(schema, name))
    if isinstance(schema.get("items"), list):
        subs.extend(schema["items"])
    for name in ("properties", "patternProperties", "definitions", "dependencies"):
        subs.extend(_map(schema.get(name)).values())
    return any(_has_default(sub) for sub in subs)


def _any_default(versions: list[Mapping[str, Any]]) -> bool:
    return any(_has_default(_map(v.get("schema")).get("openAPIV3Schema")) for v in versions)


def _check_version(
    version: Mapping[str, Any], path: str, *, top: Mapping[str, Any]
) -> list[FieldError]:
    errs: list[FieldError] = []
    name = _text(version.get("name"))
    if messages := names.dns1035_label(name):
        errs.append(invalid(child(path, "name"), name, detail=",".join(messages)))
    warning = version.get("deprecationWarning")
    if warning is not None:
        for message in _warning_problems(warning, deprecated=version.get("deprecated") is True):
            errs.append(invalid(child(path, "deprecationWarning"), warning, detail=message))
    subresources = top["subresources"] if "subresources" in top else version.get("subresources")
    if "schema" not in top:
        schema = _map(version.get("schema")).get("openAPIV3Schema")
        if isinstance(schema, Mapping):
            status = "status" in _map(subresources)
            errs.extend(
                schema_errors(
                    schema, path=child(path, "schema", "openAPIV3Schema"), status_enabled=status
                )
            )
    if "subresources" not in top and version.get("subresources") is not None:
        errs.extend(
            crdparts.check_subresources(_map(version["subresources"]), child(path, "subresources"))
        )
    if "additionalPrinterColumns" not in top:
        for i, column in enumerate(version.get("additionalPrinterColumns") or []):
            errs.extend(
                crdparts.check_column(
                    _map(column), index(child(path, "additionalPrinterColumns"), i)
                )
            )
    return errs


def _warning_problems(warning: Any, *, deprecated: bool) -> list[str]:
    if not deprecated:
        return ["can only be set for deprecated versions"]
    text = _text(warning)
    problems = []
    if len(text) > 256:
        problems.append("must be <= 256 characters long")
    if not text:
        problems.append("must not be an empty string")
    for i, ch in enumerate(text):
        if not ch.isprintable():
            offset = len(text[:i].encode())  # Go reports the byte offset
            detail = "must only contain printable UTF-8 characters; non-printable character"
            problems.append(f"{detail} found at index {offset}")
            break
    return problems


def _check_names(spec_names: Mapping[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for name in ("plural", "singular"):
        value = _text(spec_names.get(name))
        if value and (messages := names.dns1035_label(value)):
            errs.append(invalid(child(path, name), value, detail=",".join(messages)))
    for name in ("kind", "listKind"):
        value = _text(spec_names.get(name))
        if value and (messages := names.dns1035_label(value.lower())):
            detail = "may have mixed case, but should otherwise match: " + ",".join(messages)
            errs.append(invalid(child(path, name), value, detail=detail))
    for i, short in enumerate(spec_names.get("shortNames") or []):
        if messages := names.dns1035_label(_text(short)):
            errs.append(
                invalid(index(child(path, "shortNames"), i), short, detail=",".join(messages))
            )
    kind = _text(spec_names.get("kind"))
    if kind and kind == spec_names.get("listKind"):
        errs.append(
            invalid(child(path, "listKind"), kind, detail="kind and listKind may not be the same")
        )
    for i, category in enumerate(spec_names.get("categories") or []):
        if messages := names.dns1035_label(_text(category)):
            errs.append(
                invalid(index(child(path, "categories"), i), category, detail=",".join(messages))
            )
    return errs
