"""Resource quantities (`500m`, `1Gi`, `1e3`) parsed and written in canonical form.

kube-apiserver decodes every `resource.Quantity` field (requests, limits, capacities) into a
number with a format and writes it back canonically, so `0.5` comes back as `500m`,
`1024Mi` as `1Gi` and `1.0` as `1`; clients that compare what they sent with what they read
(kubectl apply's diff, controllers) see the canonical text. `canonical` reproduces
`Quantity.String()`: the format family of the input is kept (binary `Ki`..`Ei`, decimal
`n`..`E`, or `e<exp>`), a binary value below 1024 or not integral is shown as decimal, and
the largest suffix that keeps the mantissa integral is chosen. Precision below `n` rounds up.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Final

_PATTERN: Final = re.compile(
    r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([eEinumkKMGTP]*[-+]?[0-9]*)$"
)
_BINARY: Final = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL: Final = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}
_DECIMAL_SUFFIX: Final = {exponent: suffix for suffix, exponent in _DECIMAL.items()}
_BINARY_SUFFIX: Final = {bits: suffix for suffix, bits in _BINARY.items()}
ERROR: Final = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)


def _parse(text: str) -> tuple[Fraction, str]:
    """The exact value and its format: `BinarySI`, `DecimalSI` or `DecimalExponent`."""
    match = _PATTERN.match(text.strip())
    if match is None:
        raise ValueError(ERROR)
    number, suffix = match.groups()
    value = Fraction(number)
    if suffix in _BINARY:
        return value * 2 ** _BINARY[suffix], "BinarySI"
    if suffix in _DECIMAL:
        return value * Fraction(10) ** _DECIMAL[suffix], "DecimalSI"
    exponent = re.fullmatch(r"[eE]([-+]?[0-9]+)", suffix)
    if exponent is None:
        raise ValueError(ERROR)
    return value * Fraction(10) ** int(exponent.group(1)), "DecimalExponent"


def _decimal(value: Fraction, *, exponent_form: bool) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    nanos = math.ceil(value * 10**9)  # precision below 1n rounds up
    if nanos == 0:
        return "0"
    exponent = -9
    while nanos % 1000 == 0 and exponent < 18:
        nanos //= 1000
        exponent += 3
    if exponent_form:
        return f"{sign}{nanos}" + (f"e{exponent}" if exponent else "")
    return f"{sign}{nanos}{_DECIMAL_SUFFIX[exponent]}"


def canonical(raw: str | int | float) -> str:
    """`Quantity.String()` of a JSON quantity (a string, or a plain number)."""
    text = raw if isinstance(raw, str) else repr(raw)
    value, fmt = _parse(text)
    if fmt == "BinarySI" and (abs(value) < 1024 or value.denominator != 1):
        fmt = "DecimalSI"
    if fmt != "BinarySI":
        return _decimal(value, exponent_form=fmt == "DecimalExponent")
    sign = "-" if value < 0 else ""
    number = abs(value.numerator)
    bits = 0
    while bits < 60 and number % 1024 == 0:
        number //= 1024
        bits += 10
    return f"{sign}{number}{_BINARY_SUFFIX.get(bits, '')}"
