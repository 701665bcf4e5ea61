"""Request bodies into objects, as kube-apiserver decodes them before anything else looks.

Decoding is where the apiserver applies most of its quiet rules, so they live here:
JSON or YAML bodies (415 otherwise), the API version and kind checked against the URL,
unknown fields found and dropped (built-ins by their Go types, custom resources by their
structural schema, `metadata` by `ObjectMeta`) and reported according to
`fieldValidation` (Strict: 400, Warn: `Warning` headers, Ignore: silent), custom resources
defaulted from their schema, built-ins from their `SetDefaults` (`builtin_defaults`).
`schema_errors` is the validation step that comes later, after admission mutated the
object: a custom resource against its schema, a CRD against apiextensions' rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

import yaml

from sandbox.apiserver import builtin_fields, builtin_schemas, errors, events, protobuf, strategies
from sandbox.apiserver.errors import GroupKind
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.schema import defaults, objectmeta, prune, validate
from sandbox.apiserver.schema.field import FieldError, invalid

Object = dict[str, Any]

BODY_TYPES: Final = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
FIELD_VALIDATIONS: Final = ("Ignore", "Strict", "Warn")


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse_body(body: bytes, content_type: str | None, *, allow_yaml: bool = True) -> Any:
    """Decode a JSON (or YAML) request body; 400 on a syntax error, 415 on another type."""
    kind = media_type(content_type)
    if kind == protobuf.MEDIA_TYPE:
        try:
            return protobuf.decode(body)
        except protobuf.ProtobufError as exc:
            raise errors.bad_request(f"the protobuf body could not be read: {exc}") from exc
    if kind in ("application/yaml", "application/apply-patch+yaml") and allow_yaml:
        try:
            return yaml.safe_load(body.decode("utf-8")) if body.strip() else None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise errors.bad_request(f"error converting YAML to JSON: {exc}") from exc
    if kind not in ("", "application/json") and not kind.endswith("+json"):
        raise errors.unsupported_media_type(BODY_TYPES)
    try:
        return json.loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.bad_request(f"invalid character in request body: {exc}") from exc


def read_object(kind: ResourceKind, body: bytes, *, content_type: str | None) -> Object:
    """A request body that must be one object of `kind` (create and update)."""
    obj = parse_body(body, content_type)
    if not isinstance(obj, dict):
        found = type(obj).__name__
        raise errors.bad_request(
            f"Object '{kind.kind}' is invalid: the body must be a JSON object, not {found}"
        )
    check_type_meta(kind, obj)
    return obj


def check_type_meta(kind: ResourceKind, obj: Object) -> None:
    """The body's apiVersion and kind must be the URL's (filled in when absent, for built-ins)."""
    api_version, object_kind = obj.get("apiVersion"), obj.get("kind")
    if kind.custom and not object_kind:
        raise errors.bad_request(
            f"Object 'Kind' is missing in '{json.dumps(obj, separators=(',', ':'))}'"
        )
    if api_version and api_version != kind.api_version:
        raise errors.bad_request(
            f"the API version in the data ({api_version}) does not match the expected API "
            f"version ({kind.api_version})"
        )
    if object_kind and object_kind != kind.kind:
        raise errors.bad_request(
            f'{object_kind} in version "{kind.version}" cannot be handled as a {kind.kind}: '
            f'no kind "{object_kind}" is registered for version "{kind.api_version}"'
        )
    obj["apiVersion"] = kind.api_version
    obj["kind"] = kind.kind


def field_validation(value: str | None) -> str:
    directive = value or "Warn"
    if directive not in FIELD_VALIDATIONS:
        raise errors.bad_request(
            f'fieldValidation: Unsupported value: "{directive}": supported values: '
            + ", ".join(f'"{v}"' for v in FIELD_VALIDATIONS)
        )
    return directive


def strict_decode_error(kind: ResourceKind, text: str) -> errors.ApiError:
    """`transformDecodeError`: a body that does not decode (wrong types, unknown fields)."""
    return errors.bad_request(
        f'{kind.kind} in version "{kind.version}" cannot be handled as a {kind.kind}: {text}'
    )


def strict_patch_error(patched_json: str, text: str) -> errors.ApiError:
    """A patch whose result has unknown fields: 422 on the `patch` field, as upstream."""
    return errors.invalid(
        GroupKind("", ""), "", errors=[invalid("patch", patched_json, detail=text)]
    )


def normalize(
    kind: ResourceKind,
    obj: Object,
    *,
    directive: str,
    on_strict: Callable[[str], errors.ApiError] | None = None,
) -> list[str]:
    """Prune unknown fields and apply defaults in place; return the Warn-mode warnings.

    Raises:
        ApiError: under `Strict`, `on_strict` of the strict decoding message, by default
            the 400 BadRequest a create or update body gets.
    """
    unknown: list[str] = []
    metadata = obj.get("metadata")
    if isinstance(metadata, dict):
        unknown.extend(objectmeta.coerce(metadata, "metadata"))
    elif metadata is not None:
        raise strict_decode_error(kind, str(objectmeta.decode_error(metadata)))
    if kind.custom:
        if kind.schema is not None:
            unknown.extend(
                p for p in prune.prune(obj, kind.schema) if not p.startswith("metadata.")
            )
            defaults.prune_nulls(obj, kind.schema)
            defaults.apply_defaults(obj, kind.schema)
    else:
        name = builtin_schemas.definition_name(kind.group, kind.version, kind.kind)
        if name is not None:
            try:
                unknown.extend(builtin_fields.prune_unknown(name, obj))
            except builtin_fields.DecodeError as exc:
                raise strict_decode_error(kind, str(exc)) from exc
        if (kind.group, kind.plural) == ("", "events"):
            events.core_defaults(obj)
        strategies.default(kind, obj)
    messages = [f'unknown field "{path}"' for path in sorted(set(unknown))]
    if messages and directive == "Strict":
        text = "strict decoding error: " + ", ".join(messages)
        raise on_strict(text) if on_strict is not None else strict_decode_error(kind, text)
    return messages if directive == "Warn" else []


def schema_errors(kind: ResourceKind, obj: Object) -> list[FieldError]:
    """Validation of a custom resource against its version's schema (built-ins: none)."""
    if not kind.custom or kind.schema is None:
        return []
    return validate.validate(obj, kind.schema)
