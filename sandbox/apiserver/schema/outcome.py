"""kube-openapi validation results, and their translation into the apiserver's field errors.

The apiserver validates custom resources with kube-openapi's `validate` package and then
rewrites each of its errors into a `field.Error` (`kubeOpenAPIResultToFieldErrors`). Both
halves leak into what users see: kube-openapi words the detail (`spec.replicas in body
must be of type integer: "string"`) and picks which branch's errors survive an `anyOf` by a
match count, while the translation picks the error type from kube-openapi's error code and
sends uncoded errors to the nil path. `values.py` and `validate.py` produce `Result`s with
the constructors below; `to_field_errors` is the only way out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, auto
from typing import Any

from sandbox.apiserver.schema import field as fe
from sandbox.apiserver.schema.gojson import go_float, go_json, go_quote

IN = "body"  # kube-openapi's "in" for schema validation; it shows up in every message


class Code(Enum):
    """kube-openapi error codes that change the translated error type."""

    INVALID_TYPE = auto()
    REQUIRED = auto()
    TOO_LONG = auto()
    ENUM = auto()
    MAX_ITEMS = auto()
    TOO_MANY_PROPERTIES = auto()
    OTHER = auto()  # a coded validation error translated as plain `Invalid value`


@dataclass(frozen=True)
class Error:
    """One kube-openapi error. `code=None` is a plain Go `error`, reported at the nil path."""

    message: str
    code: Code | None = None
    name: str = ""
    value: Any = None
    valid: Any = None
    values: tuple[Any, ...] = ()


@dataclass
class Result:
    """`validate.Result`: errors kept unique by message, and how many checks passed."""

    errors: list[Error] = field(default_factory=list)
    matches: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors

    def add(self, *errors: Error | None) -> None:
        for error in errors:
            if error is not None and all(e.message != error.message for e in self.errors):
                self.errors.append(error)

    def merge(self, *others: Result | None) -> Result:
        for other in others:
            if other is not None:
                self.add(*other.errors)
                self.matches += other.matches
        return self


def fail(error: Error) -> Result:
    return Result(errors=[error])


def _num(value: Any) -> str:
    """Go's `%v` for the numbers kube-openapi puts in messages (int64 or float64)."""
    return go_float(value) if isinstance(value, float) else str(value)


def invalid_type(name: str, type_name: str, *, value: Any) -> Error:
    if isinstance(value, str):
        message = f"{name} in {IN} must be of type {type_name}: {go_quote(value)}"
    else:
        message = f"{name} in {IN} must be of type {type_name}"
    return Error(message, Code.INVALID_TYPE, name, value)


def required(name: str) -> Error:
    return Error(f"{name} in {IN} is required", Code.REQUIRED, name)


def enum_fail(name: str, value: Any, *, values: list[Any]) -> Error:
    listed = "[" + " ".join(v if isinstance(v, str) else go_json(v) for v in values) + "]"
    message = f"{name} in {IN} should be one of {listed}"
    return Error(message, Code.ENUM, name, value, values=tuple(values))


def too_long(name: str, maximum: int, *, value: str) -> Error:
    message = f"{name} in {IN} should be at most {maximum} chars long"
    return Error(message, Code.TOO_LONG, name, value, valid=maximum)


def too_short(name: str, minimum: int, *, value: str) -> Error:
    message = f"{name} in {IN} should be at least {minimum} chars long"
    return Error(message, Code.OTHER, name, value, valid=minimum)


def failed_pattern(name: str, pattern: str, *, value: str) -> Error:
    return Error(f"{name} in {IN} should match '{pattern}'", Code.OTHER, name, value)


def too_many_items(name: str, maximum: int, *, size: int) -> Error:
    message = f"{name} in {IN} should have at most {maximum} items"
    return Error(message, Code.MAX_ITEMS, name, size, valid=maximum)


def too_few_items(name: str, minimum: int, *, size: int) -> Error:
    message = f"{name} in {IN} should have at least {minimum} items"
    return Error(message, Code.OTHER, name, size, valid=minimum)


def too_many_properties(name: str, maximum: int, *, size: int) -> Error:
    message = f"{name} in {IN} should have at most {maximum} properties"
    return Error(message, Code.TOO_MANY_PROPERTIES, name, size, valid=maximum)


def too_few_properties(name: str, minimum: int, *, size: int) -> Error:
    message = f"{name} in {IN} should have at least {minimum} properties"
    return Error(message, Code.OTHER, name, size, valid=minimum)


def property_not_allowed(name: str, key: str) -> Error:
    return Error(f"{name}.{key} in {IN} is a forbidden property", Code.OTHER, name, key)


def exceeds_maximum(name: str, maximum: float, *, value: Any, exclusive: bool) -> Error:
    relation = "less than" if exclusive else "less than or equal to"
    message = f"{name} in {IN} should be {relation} {_num(maximum)}"
    return Error(message, Code.OTHER, name, value)


def exceeds_minimum(name: str, minimum: float, *, value: Any, exclusive: bool) -> Error:
    relation = "greater than" if exclusive else "greater than or equal to"
    message = f"{name} in {IN} should be {relation} {_num(minimum)}"
    return Error(message, Code.OTHER, name, value)


def not_multiple_of(name: str, factor: float, *, value: Any) -> Error:
    message = f"{name} in {IN} should be a multiple of {_num(factor)}"
    return Error(message, Code.OTHER, name, value)


def multiple_of_must_be_positive(name: str, factor: float) -> Error:
    message = f"factor MultipleOf declared for {name} must be positive: {_num(factor)}"
    return Error(message, Code.OTHER, name, factor)


def plain(message: str) -> Error:
    """A Go `error` that is not a kube-openapi validation error (no code, no name)."""
    return Error(message)


def to_field_errors(result: Result, path: str | None) -> list[fe.FieldError]:
    """`kubeOpenAPIResultToFieldErrors`: `path` is where the validated value sits."""
    out: list[fe.FieldError] = []
    for error in result.errors:
        if error.code is None:
            out.append(fe.invalid(path, "", detail=error.message))
            continue
        at = path
        if error.name and error.name != ".":
            at = fe.child(path, error.name.removeprefix("."))
        value = "" if error.value is None else error.value
        if error.code is Code.REQUIRED:
            out.append(fe.required(at))
        elif error.code is Code.ENUM:
            allowed = [v if isinstance(v, str) else go_json(v) for v in error.values]
            out.append(fe.not_supported(at, error.value, supported=allowed))
        elif error.code is Code.TOO_LONG:
            out.append(fe.too_long(at, error.valid if isinstance(error.valid, int) else -1))
        elif error.code in (Code.MAX_ITEMS, Code.TOO_MANY_PROPERTIES):
            actual = error.value if isinstance(error.value, int) else -1
            out.append(
                fe.too_many(at, actual, maximum=error.valid if isinstance(error.valid, int) else -1)
            )
        elif error.code is Code.INVALID_TYPE:
            out.append(fe.type_invalid(at, value, detail=error.message))
        else:
            out.append(fe.invalid(at, value, detail=error.message))
    return out
