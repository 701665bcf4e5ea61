"""Field errors shaped like apimachinery's `field.Error`, down to the printed string.

Every check in this package reports through here. kubectl and the client libraries show
`Status.details.causes` verbatim (`reason` is the error type, `message` its body, `field` the
path), and the emulator's conformance tests compare them with a real cluster's, so the
type names, the path syntax (`spec.versions[0].schema.openAPIV3Schema.properties[spec]`) and
the rendering of bad values follow `k8s.io/apimachinery/pkg/util/validation/field` instead
of anything Pythonic. Paths are plain strings; `None` plays Go's nil `*field.Path`, which
prints as `<nil>` (the apiserver really does emit that for errors at a custom resource's root).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from sandbox.apiserver.schema.gojson import go_quote, go_value


class ErrorType(StrEnum):
    """Machine-readable reasons, spelled as `metav1.CauseType`."""

    NOT_FOUND = "FieldValueNotFound"
    REQUIRED = "FieldValueRequired"
    DUPLICATE = "FieldValueDuplicate"
    INVALID = "FieldValueInvalid"
    NOT_SUPPORTED = "FieldValueNotSupported"
    FORBIDDEN = "FieldValueForbidden"
    TOO_LONG = "FieldValueTooLong"
    TOO_MANY = "FieldValueTooMany"
    TOO_FEW = "FieldValueTooFew"
    INTERNAL = "InternalError"
    TYPE_INVALID = "FieldValueTypeInvalid"
    TOO_SHORT = "FieldValueTooShort"


_TITLES: Final = {
    ErrorType.NOT_FOUND: "Not found",
    ErrorType.REQUIRED: "Required value",
    ErrorType.DUPLICATE: "Duplicate value",
    ErrorType.INVALID: "Invalid value",
    ErrorType.NOT_SUPPORTED: "Unsupported value",
    ErrorType.FORBIDDEN: "Forbidden",
    ErrorType.TOO_LONG: "Too long",
    ErrorType.TOO_MANY: "Too many",
    ErrorType.TOO_FEW: "Too few",
    ErrorType.INTERNAL: "Internal error",
    ErrorType.TYPE_INVALID: "Invalid value",
    ErrorType.TOO_SHORT: "Too short",
}
# These types never print their bad value, whatever it is.
_VALUELESS: Final = {
    ErrorType.REQUIRED,
    ErrorType.FORBIDDEN,
    ErrorType.TOO_LONG,
    ErrorType.TOO_SHORT,
    ErrorType.INTERNAL,
}


class _Omit:
    """Marks a bad value that is left out of the message (Go's `omitValue`)."""


OMIT: Final = _Omit()


@dataclass(frozen=True)
class FieldError:
    """One validation failure: where (`field`), why (`type`) and the apiserver's wording.

    `message` is Go's `ErrorBody()`, e.g. `Unsupported value: "foo": supported values:
    "stateless"`; `str(error)` prepends the field, as `Error()` does.
    """

    field: str
    type: ErrorType
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _make(path: str | None, kind: ErrorType, *, value: Any, detail: str) -> FieldError:
    body = _TITLES[kind]
    if kind not in _VALUELESS and not isinstance(value, _Omit):
        body = f"{body}: {go_value(value)}"
    if detail:
        body = f"{body}: {detail}"
    return FieldError(field=path_str(path), type=kind, message=body)


def path_str(path: str | None) -> str:
    """Print a path as `*field.Path.String()` does, `<nil>` for the nil path."""
    return "<nil>" if path is None else path


def child(path: str | None, *names: str) -> str:
    """`path.Child(name, ...)`: dotted names."""
    out = path
    for name in names:
        out = name if out is None else f"{out}.{name}"
    return out if out is not None else ""


def key(path: str | None, name: str) -> str:
    """`path.Key(name)`: a map key in brackets, unquoted."""
    return f"{path or ''}[{name}]"


def index(path: str | None, position: int) -> str:
    """`path.Index(i)`."""
    return f"{path or ''}[{position}]"


def required(path: str | None, detail: str = "") -> FieldError:
    return _make(path, ErrorType.REQUIRED, value="", detail=detail)


def forbidden(path: str | None, detail: str) -> FieldError:
    return _make(path, ErrorType.FORBIDDEN, value="", detail=detail)


def invalid(path: str | None, value: Any, *, detail: str) -> FieldError:
    return _make(path, ErrorType.INVALID, value=value, detail=detail)


def type_invalid(path: str | None, value: Any, *, detail: str) -> FieldError:
    return _make(path, ErrorType.TYPE_INVALID, value=value, detail=detail)


def duplicate(path: str | None, value: Any) -> FieldError:
    return _make(path, ErrorType.DUPLICATE, value=value, detail="")


def not_supported(path: str | None, value: Any, *, supported: Sequence[str]) -> FieldError:
    detail = ""
    if supported:
        detail = "supported values: " + ", ".join(go_quote(str(v)) for v in supported)
    return _make(path, ErrorType.NOT_SUPPORTED, value=value, detail=detail)


def too_long(path: str | None, max_length: int) -> FieldError:
    """`field.TooLong`: the value is never shown, only the limit."""
    if max_length >= 0:
        detail = f"may not be more than {max_length} {'byte' if max_length == 1 else 'bytes'}"
    else:
        detail = "value is too long"
    return _make(path, ErrorType.TOO_LONG, value=OMIT, detail=detail)


def too_many(path: str | None, actual: int, *, maximum: int) -> FieldError:
    if maximum >= 0:
        detail = f"must have at most {maximum} {'item' if maximum == 1 else 'items'}"
    else:
        detail = "has too many items"
    return _make(path, ErrorType.TOO_MANY, value=actual if actual >= 0 else OMIT, detail=detail)


def internal(path: str | None, detail: str) -> FieldError:
    return _make(path, ErrorType.INTERNAL, value=OMIT, detail=detail)
