"""ObjectMeta validation of top-level objects, with apimachinery's rules and wording.

Every create and update is checked as `ValidateObjectMetaAccessor` and
`ValidateObjectMetaAccessorUpdate` check it: the name against the kind's name rule (DNS
subdomain for most, DNS label for namespaces, DNS-1035 label for services, path segment
for RBAC), the namespace, labels, annotations, owner references and finalizers, and on
update the fields that may never change. `lifecycle.py` turns the errors into a 422
`Invalid` Status naming the kind, exactly as the real server words it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.schema import names
from sandbox.apiserver.schema.field import FieldError, forbidden, index, invalid, required
from sandbox.apiserver.schema.field import too_long as field_too_long
from sandbox.apiserver.schema.gojson import go_quote

ORPHAN_FINALIZER: Final = "orphan"
FOREGROUND_FINALIZER: Final = "foregroundDeletion"
_ANNOTATIONS_LIMIT: Final = 256 * 1024
_IMMUTABLE: Final = "field is immutable"

NameRule = Callable[[str], list[str]]


def _subdomain(value: str) -> list[str]:
    return names.dns1123_subdomain(value)


def _name_rule(kind: ResourceKind) -> NameRule:
    if (kind.group, kind.kind) == ("", "Namespace"):
        return names.dns1123_label
    if (kind.group, kind.kind) == ("", "Service"):
        return names.dns1035_label
    if kind.group == "rbac.authorization.k8s.io":
        return names.path_segment
    return _subdomain


def _check_name(kind: ResourceKind, value: str, *, prefix: bool) -> list[str]:
    rule = _name_rule(kind)
    if prefix and rule is not names.path_segment:
        # generateName is checked with its trailing dash masked (`MaskTrailingDash`).
        value = value[:-1] + "a" if value.endswith("-") and len(value) > 1 else value
    if prefix and rule is names.path_segment:
        return names.path_segment(value, prefix=True)
    return rule(value)


def _common(kind: ResourceKind, meta: Mapping[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    namespace = str(meta.get("namespace") or "")
    if kind.namespaced:
        if not namespace:
            errs.append(required("metadata.namespace"))
        else:
            errs.extend(
                invalid("metadata.namespace", namespace, detail=m)
                for m in names.dns1123_label(namespace)
            )
    elif namespace:
        errs.append(forbidden("metadata.namespace", "not allowed on this type"))
    generation = meta.get("generation")
    if isinstance(generation, int) and generation < 0:
        detail = "must be greater than or equal to 0"
        errs.append(invalid("metadata.generation", generation, detail=detail))
    errs.extend(_labels(meta.get("labels") or {}))
    errs.extend(_annotations(meta.get("annotations") or {}))
    errs.extend(_owner_references(meta.get("ownerReferences") or []))
    errs.extend(_finalizers(meta.get("finalizers") or []))
    return errs


def _labels(labels: Mapping[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    for key, value in labels.items():
        errs.extend(invalid("metadata.labels", key, detail=m) for m in names.label_key(key))
        text = str(value or "")
        errs.extend(invalid("metadata.labels", text, detail=m) for m in names.label_value(text))
    return errs


def _annotations(annotations: Mapping[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in annotations:
        errs.extend(
            invalid("metadata.annotations", key, detail=m) for m in names.label_key(key.lower())
        )
    if sum(len(k) + len(str(v or "")) for k, v in annotations.items()) > _ANNOTATIONS_LIMIT:
        errs.append(field_too_long("metadata.annotations", _ANNOTATIONS_LIMIT))
    return errs


def _owner_references(refs: list[Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    controller = ""
    for i, ref in enumerate(refs):
        at = index("metadata.ownerReferences", i)
        ref = ref if isinstance(ref, Mapping) else {}
        api_version = str(ref.get("apiVersion") or "")
        if not api_version:
            errs.append(required(f"{at}.apiVersion", "must not be empty"))
        elif api_version.count("/") > 1 or api_version.endswith("/"):
            detail = "must be <group>/<version> or <version>"
            errs.append(invalid(f"{at}.apiVersion", api_version, detail=detail))
        for name in ("kind", "name", "uid"):
            if not ref.get(name):
                errs.append(required(f"{at}.{name}", "must not be empty"))
        if api_version == "v1" and ref.get("kind") == "Event":
            detail = "/v1, Kind=Event is disallowed from being an owner"
            errs.append(invalid(at, dict(ref), detail=detail))
        if ref.get("controller") is True:
            current = f"{ref.get('kind')}/{ref.get('name')}"
            if controller:
                detail = (
                    'Only one reference can have Controller set to true. Found "true" in '
                    f"references for {controller} and {current}"
                )
                errs.append(invalid("metadata.ownerReferences", refs, detail=detail))
            else:
                controller = current
    return errs


def _finalizers(finalizers: list[Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    for finalizer in finalizers:
        text = str(finalizer)
        errs.extend(invalid("metadata.finalizers", text, detail=m) for m in names.label_key(text))
    if ORPHAN_FINALIZER in finalizers and FOREGROUND_FINALIZER in finalizers:
        detail = f"finalizer {ORPHAN_FINALIZER} and {FOREGROUND_FINALIZER} cannot be both set"
        errs.append(invalid("metadata.finalizers", finalizers, detail=detail))
    return errs


def validate_create(kind: ResourceKind, obj: Mapping[str, Any]) -> list[FieldError]:
    """`ValidateObjectMetaAccessor` for a new object (after name generation)."""
    meta = obj.get("metadata") or {}
    errs: list[FieldError] = []
    generate_name = str(meta.get("generateName") or "")
    if generate_name:
        errs.extend(
            invalid("metadata.generateName", generate_name, detail=m)
            for m in _check_name(kind, generate_name, prefix=True)
        )
    name = str(meta.get("name") or "")
    if not name:
        errs.append(required("metadata.name", "name or generateName is required"))
    else:
        errs.extend(
            invalid("metadata.name", name, detail=m) for m in _check_name(kind, name, prefix=False)
        )
    return errs + _common(kind, meta)


def validate_update(
    kind: ResourceKind, new: Mapping[str, Any], *, old: Mapping[str, Any]
) -> list[FieldError]:
    """`ValidateObjectMetaAccessorUpdate`, plus the checks common with create.

    Name and namespace are immutable, no finalizer may be added while deleting, and the
    generation never goes down.
    """
    meta, old_meta = new.get("metadata") or {}, old.get("metadata") or {}
    errs: list[FieldError] = []
    if old_meta.get("deletionTimestamp"):
        added = sorted(set(meta.get("finalizers") or []) - set(old_meta.get("finalizers") or []))
        if added:
            shown = "[]string{" + ", ".join(go_quote(f) for f in added) + "}"
            detail = (
                "no new finalizers can be added if the object is being deleted, "
                f"found new finalizers {shown}"
            )
            errs.append(forbidden("metadata.finalizers", detail))
    if int(meta.get("generation") or 0) < int(old_meta.get("generation") or 0):
        errs.append(
            invalid("metadata.generation", meta.get("generation"), detail="must not be decremented")
        )
    for name in ("name", "namespace"):
        if (meta.get(name) or "") != (old_meta.get(name) or ""):
            errs.append(invalid(f"metadata.{name}", meta.get(name) or "", detail=_IMMUTABLE))
    common = [e for e in _common(kind, meta) if e.field != "metadata.namespace"]
    return errs + common
