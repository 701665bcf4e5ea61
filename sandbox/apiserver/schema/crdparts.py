"""Checks of a CRD's subresources, printer columns and conversion settings.

These are the parts of `validateCustomResourceDefinitionSpec` that look at neither the
schemas nor the names: the scale subresource's JSON paths (replicas under `.spec` and
`.status`, a label selector under either), each printer column's type, format and
`jsonPath`, and the conversion strategy with its webhook settings (their shape only; URL
and service details are not checked). `crd.py` calls them with paths that already say
whether the field was hoisted to the top level (`spec.subresources`) or not
(`spec.versions[1].subresources`). The internal field names leak into two paths, as in Go:
`…additionalPrinterColumns[0].JSONPath` and `spec.conversion.webhookClientConfig`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sandbox.apiserver.schema import names
from sandbox.apiserver.schema.field import (
    FieldError,
    child,
    forbidden,
    index,
    invalid,
    not_supported,
    required,
)

_COLUMN_TYPES: Final = ["boolean", "date", "integer", "number", "string"]
_COLUMN_FORMATS: Final = [
    "byte",
    "date",
    "date-time",
    "double",
    "float",
    "int32",
    "int64",
    "password",
]
_REVIEW_VERSIONS: Final = ["v1", "v1beta1"]


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _json_path(value: str, path: str) -> list[FieldError]:
    """`validateSimpleJSONPath`: a dot-notation path starting with `.`."""
    if not value:
        return [invalid(path, value, detail="must not be empty")]
    if not value.startswith("."):
        return [invalid(path, value, detail="must be a simple json path starting with .")]
    return []


def check_subresources(subresources: Mapping[str, Any], path: str) -> list[FieldError]:
    if "scale" not in subresources or subresources["scale"] is None:
        return []
    scale = _map(subresources["scale"])
    errs: list[FieldError] = []
    for name, under in (("specReplicasPath", ".spec"), ("statusReplicasPath", ".status")):
        at = child(path, f"scale.{name}")
        value = _text(scale.get(name))
        if not value:
            errs.append(required(at))
        elif problems := _json_path(value, at):
            errs.extend(problems)
        elif not value.startswith(under + "."):
            errs.append(invalid(at, value, detail=f"should be a json path under {under}"))
    selector = _text(scale.get("labelSelectorPath"))
    if selector:
        at = child(path, "scale.labelSelectorPath")
        if problems := _json_path(selector, at):
            errs.extend(problems)
        elif not selector.startswith((".spec.", ".status.")):
            errs.append(
                invalid(at, selector, detail="should be a json path under either .spec or .status")
            )
    return errs


def check_column(column: Mapping[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not _text(column.get("name")):
        errs.append(required(child(path, "name")))
    kind = _text(column.get("type"))
    detail = "must be one of " + ",".join(_COLUMN_TYPES)
    if not kind:
        errs.append(required(child(path, "type"), detail))
    elif kind not in _COLUMN_TYPES:
        errs.append(invalid(child(path, "type"), kind, detail=detail))
    column_format = _text(column.get("format"))
    if column_format and column_format not in _COLUMN_FORMATS:
        errs.append(
            invalid(
                child(path, "format"),
                column_format,
                detail="must be one of " + ",".join(_COLUMN_FORMATS),
            )
        )
    json_path = _text(column.get("jsonPath"))
    # The internal field is JSONPath, and so is the error path.
    if not json_path:
        errs.append(required(child(path, "JSONPath")))
    else:
        errs.extend(_json_path(json_path, child(path, "JSONPath")))
    return errs


def check_conversion(conversion: Mapping[str, Any], path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    strategy = _text(conversion.get("strategy"))
    if not strategy:
        errs.append(required(child(path, "strategy")))
    elif strategy not in ("None", "Webhook"):
        errs.append(not_supported(child(path, "strategy"), strategy, supported=["None", "Webhook"]))
    webhook = conversion.get("webhook")
    if strategy != "Webhook":
        if webhook is not None:
            detail = "should not be set when strategy is not set to Webhook"
            errs.append(forbidden(child(path, "webhookClientConfig"), detail))
            if _map(webhook).get("conversionReviewVersions"):
                errs.append(forbidden(child(path, "conversionReviewVersions"), detail))
        return errs
    client = _map(webhook).get("clientConfig")
    if client is None:
        errs.append(
            required(child(path, "webhookClientConfig"), "required when strategy is set to Webhook")
        )
    elif (_map(client).get("url") is None) == (_map(client).get("service") is None):
        errs.append(
            required(
                child(path, "webhookClientConfig"), "exactly one of url or service is required"
            )
        )
    review = _map(webhook).get("conversionReviewVersions") or []
    at = child(path, "conversionReviewVersions")
    if not review:
        errs.append(required(at))
        return errs
    seen: set[str] = set()
    for i, version in enumerate(review):
        if version in seen:
            errs.append(invalid(index(at, i), version, detail="duplicate version"))
            continue
        seen.add(version)
        errs.extend(
            invalid(index(at, i), version, detail=m) for m in names.dns1035_label(_text(version))
        )
    if not set(review) & set(_REVIEW_VERSIONS):
        errs.append(
            invalid(
                at, review, detail="must include at least one of " + ", ".join(_REVIEW_VERSIONS)
            )
        )
    return errs
