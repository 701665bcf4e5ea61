"""Parsers for spec value syntaxes: Flink memory sizes, Kubernetes quantities, durations.

The validator and, later, the manifest renderer must agree on what `2048m` or `2Gi` means, so
both go through this module. Flink's syntax (`MemorySize`, `TimeUtils`) is tried first and
Kubernetes quantity syntax second, which is the order upstream uses for `resource.memory`
since 1.7. Each parser raises `ValueError` with a message fit to show a user.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation

_FLINK_MEMORY_UNITS: dict[str, int] = {}
_names: tuple[str, ...]
for _names, _factor in (
    (("b", "bytes"), 1),
    (("k", "kb", "kibibytes"), 1 << 10),
    (("m", "mb", "mebibytes"), 1 << 20),
    (("g", "gb", "gibibytes"), 1 << 30),
    (("t", "tb", "tebibytes"), 1 << 40),
):
    for _name in _names:
        _FLINK_MEMORY_UNITS[_name] = _factor

_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([a-zA-Z]*|[eE][+-]?[0-9]+)$")
_BINARY_SUFFIXES = {
    "Ki": 1 << 10,
    "Mi": 1 << 20,
    "Gi": 1 << 30,
    "Ti": 1 << 40,
    "Pi": 1 << 50,
    "Ei": 1 << 60,
}
_DECIMAL_SUFFIXES = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
}

_DURATION_UNITS: dict[str, timedelta] = {}
for _names, _unit in (
    (("d", "day", "days"), timedelta(days=1)),
    (("h", "hour", "hours"), timedelta(hours=1)),
    (("min", "m", "minute", "minutes", "mins"), timedelta(minutes=1)),
    (("s", "sec", "secs", "second", "seconds"), timedelta(seconds=1)),
    (("ms", "milli", "millis", "millisecond", "milliseconds"), timedelta(milliseconds=1)),
    (("µs", "us", "micro", "micros", "microsecond", "microseconds"), timedelta(microseconds=1)),
    (("ns", "nano", "nanos", "nanosecond", "nanoseconds"), timedelta(0)),
):
    for _name in _names:
        _DURATION_UNITS[_name] = _unit


def parse_flink_memory(text: str) -> int:
    """Bytes in a Flink `MemorySize` string such as `1024m`, `2 g` or `512mb` (binary units)."""
    value = text.strip()
    digits = len(value) - len(value.lstrip("0123456789"))
    if digits == 0:
        raise ValueError(f"'{text}' does not start with a number")
    unit = value[digits:].strip().lower()
    if unit not in _FLINK_MEMORY_UNITS and unit != "":
        raise ValueError(f"memory unit '{unit}' in '{text}' is not one of b, k, m, g, t (binary)")
    return int(value[:digits]) * _FLINK_MEMORY_UNITS.get(unit, 1)


def parse_quantity(text: str | int | float) -> Decimal:
    """The value of a Kubernetes resource quantity such as `2Gi`, `500m`, `1.5` or `1e3`."""
    if isinstance(text, int | float):
        return Decimal(str(text))
    match = _QUANTITY.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a Kubernetes quantity (for example 2Gi, 500m or 1.5)")
    number, suffix = match.groups()
    try:
        base = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
        raise ValueError(f"'{text}' is not a Kubernetes quantity") from exc
    if suffix in _BINARY_SUFFIXES:
        return base * _BINARY_SUFFIXES[suffix]
    if suffix in _DECIMAL_SUFFIXES:
        return base * _DECIMAL_SUFFIXES[suffix]
    if suffix[:1] in ("e", "E"):
        return base * (Decimal(10) ** int(suffix[1:]))
    raise ValueError(f"unknown quantity suffix '{suffix}' in '{text}'")


def parse_memory(text: str) -> int:
    """Bytes in a memory setting: Flink syntax first (`2048m` = 2048 MiB), then Kubernetes."""
    try:
        return parse_flink_memory(text)
    except ValueError as flink_error:
        try:
            return int(parse_quantity(text))
        except ValueError:
            raise ValueError(
                f"cannot parse memory '{text}': use Flink syntax such as 2048m or 2g, "
                "or a Kubernetes quantity such as 2Gi"
            ) from flink_error


def parse_duration(text: str) -> timedelta:
    """A Flink duration such as `6h`, `10 min`, `30s` or `500` (milliseconds without a unit)."""
    value = text.strip()
    digits = len(value) - len(value.lstrip("0123456789"))
    if digits == 0:
        raise ValueError(f"'{text}' is not a duration (for example 30s, 10 min, 6h)")
    unit = value[digits:].strip().lower()
    if not unit:
        return timedelta(milliseconds=int(value[:digits]))
    if unit not in _DURATION_UNITS:
        raise ValueError(f"unknown time unit '{unit}' in '{text}' (use ms, s, min, h or d)")
    if unit in ("ns", "nano", "nanos", "nanosecond", "nanoseconds"):
        return timedelta(microseconds=int(value[:digits]) // 1000)
    return int(value[:digits]) * _DURATION_UNITS[unit]


_CRON_FIELD = re.compile(r"^[0-9A-Za-z*?/,#LW-]+$")


def is_quartz_cron(text: str) -> bool:
    """Whether text has the shape of a Quartz cron expression (6 or 7 fields, seconds first)."""
    fields = text.split()
    return len(fields) in (6, 7) and all(_CRON_FIELD.match(field) for field in fields)


def parse_bool(text: str) -> bool:
    """A Flink boolean option value; Flink accepts `true` and `false` in any case."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ValueError(f"'{text}' is not a boolean (true or false)")
