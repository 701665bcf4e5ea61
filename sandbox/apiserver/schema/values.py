"""The scalar checks of kube-openapi: string length, pattern and format, numeric bounds.

These are kube-openapi's `stringValidator`, `formatValidator` and `numberValidator`,
ported rule for rule because their quirks are visible in error lists: a string reports only
its first failure, a number reports all of them, an `int32` overflow is a plain error that
the apiserver files under the nil path (`<nil>: Invalid value: "": Checked value must be of
type integer with format int32 in spec.x`), and bounds on integers print as integers.
`validate.py` calls these with the node's effective type and format (after the apiserver
dropped the formats it does not support).
"""

from __future__ import annotations

import math
from typing import Final

from sandbox.apiserver.schema import formats, nodes, outcome
from sandbox.apiserver.schema.nodes import Schema
from sandbox.apiserver.schema.outcome import Error, Result
from sandbox.apiserver.schema.regexes import GoRegexError, compile_go

_INT_RANGES: Final = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_MAX_FLOAT32: Final = 3.4028234663852886e38


def check_string(schema: Schema, path: str, *, value: str) -> Result | None:
    """`stringValidator`: maxLength, then minLength, then pattern; the first failure wins."""
    maximum, minimum = nodes.count(schema, "maxLength"), nodes.count(schema, "minLength")
    if maximum is not None and len(value) > maximum:
        return outcome.fail(outcome.too_long(path, maximum, value=value))
    if minimum is not None and len(value) < minimum:
        return outcome.fail(outcome.too_short(path, minimum, value=value))
    pattern = nodes.text(schema, "pattern")
    if pattern:
        try:
            matched = compile_go(pattern).search(value) is not None
        except GoRegexError as exc:
            shown = f"{pattern}, but pattern is invalid: {exc}"
            return outcome.fail(outcome.failed_pattern(path, shown, value=value))
        if not matched:
            return outcome.fail(outcome.failed_pattern(path, pattern, value=value))
    return None


def check_format(format_name: str, path: str, *, value: str) -> Result | None:
    """`formatValidator`: only runs for the formats the apiserver supports."""
    if formats.conforms(format_name, value):
        return None
    return outcome.fail(outcome.invalid_type(path, format_name, value=value))


def _out_of_range(
    value: float, type_name: str, *, format_name: str, prefix: str, path: str
) -> Error | None:
    """`IsValueValidAgainstRange`: can the value be parsed as that numeric type and format?"""
    fits = True
    if type_name == "integer":
        low, high = _INT_RANGES["int32" if format_name == "int32" else "int64"]
        integral = isinstance(value, int) or float(value).is_integer()
        fits = integral and low <= value <= high
    elif format_name == "float":
        fits = math.isnan(value) or abs(value) <= _MAX_FLOAT32
    if fits:
        return None
    if format_name:
        message = f"{prefix} value must be of type {type_name} with format {format_name} in {path}"
    else:
        message = f"{prefix} value must be of type {type_name} (default format) in {path}"
    return outcome.plain(message)


def _is_json_integer(value: float) -> bool:
    return not math.isinf(value) and float(value).is_integer() and abs(value) <= 2**53 - 1


def _multiple_of(path: str, value: float, *, factor: float, native: bool) -> Error | None:
    if native and isinstance(value, int):
        whole = int(factor)
        if whole <= 0:
            return outcome.multiple_of_must_be_positive(path, whole)
        return None if value % whole == 0 else outcome.not_multiple_of(path, whole, value=value)
    if factor <= 0:
        return outcome.multiple_of_must_be_positive(path, factor)
    quotient = (1 / factor * value) if factor < 1 else (value / factor)
    return (
        None if _is_json_integer(quotient) else outcome.not_multiple_of(path, factor, value=value)
    )


def _bound(
    path: str, value: float, *, limit: float, upper: bool, exclusive: bool, native: bool
) -> Error | None:
    """Maximum or minimum; with `native`, an integer value is compared with a truncated limit."""
    if native and isinstance(value, int):
        limit = int(limit)
    if upper:
        broken = value >= limit if exclusive else value > limit
        return (
            outcome.exceeds_maximum(path, limit, value=value, exclusive=exclusive)
            if broken
            else None
        )
    broken = value <= limit if exclusive else value < limit
    return (
        outcome.exceeds_minimum(path, limit, value=value, exclusive=exclusive) if broken else None
    )


def check_number(
    schema: Schema, path: str, *, value: float, type_name: str, format_name: str
) -> Result:
    """`numberValidator`: range of the type, then multipleOf, minimum and maximum."""
    result = Result()
    result.add(
        _out_of_range(value, type_name, format_name=format_name, prefix="Checked", path=path)
    )
    parts: list[Result] = []
    factor = nodes.number(schema, "multipleOf")
    if factor is not None:
        part = Result()
        part.add(
            _out_of_range(
                factor, type_name, format_name=format_name, prefix="MultipleOf", path=path
            )
        )
        part.add(_multiple_of(path, value, factor=factor, native=part.valid))
        parts.append(part)
    for name, label, upper in (
        ("minimum", "Minimum boundary", False),
        ("maximum", "Maximum boundary", True),
    ):
        limit = nodes.number(schema, name)
        if limit is None:
            continue
        part = Result()
        part.add(_out_of_range(limit, type_name, format_name=format_name, prefix=label, path=path))
        exclusive = nodes.flag(schema, "exclusiveMaximum" if upper else "exclusiveMinimum")
        part.add(
            _bound(path, value, limit=limit, upper=upper, exclusive=exclusive, native=part.valid)
        )
        parts.append(part)
    result.merge(*parts)
    result.matches += 1
    return result
