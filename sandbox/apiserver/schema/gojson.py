r"""JSON values as Go's apiserver sees them: how it prints them and when it calls two equal.

Error strings from kube-apiserver embed values the way Go prints them: `%q` for strings,
`%v` for numbers (so a float million prints as `1e+06`), and `encoding/json` for anything
else (sorted keys, `<` escaped as `\u003c`). Clients show those strings verbatim, so the
field errors (`field.py`) and the schema validator (`validate.py`) render through here
rather than through `repr` or `json.dumps`. Equality follows the decoded-JSON semantics of
`reflect.DeepEqual` after Kubernetes' number handling: `true` is never `1`, while `1` and
`1.0` compare equal because `k8s.io/apimachinery/pkg/util/json` decodes both as numbers.
"""

from __future__ import annotations

import copy
import json
import math
from decimal import Decimal
from typing import Any

_QUOTE_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}
_JSON_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def go_quote(text: str) -> str:
    """Quote like Go's `strconv.Quote` (`%q`): printable runes stay, the rest are escaped."""
    out = ['"']
    for ch in text:
        if ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of |value| and the decimal point's position in them."""
    parsed = Decimal(repr(abs(value))).as_tuple()
    raw = "".join(str(d) for d in parsed.digits)
    return raw.rstrip("0") or "0", len(raw) + int(parsed.exponent)


def _exponent_form(digits: str, point: int, *, pad: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exp = point - 1
    return f"{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):0{pad}d}"


def _fixed_form(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def go_float(value: float) -> str:
    """Format like Go's `%v` for a float64: shortest digits, exponent from 1e+06 up."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"
    digits, point = _digits(value)
    exp = point - 1
    if exp < -4 or exp >= 6:  # %v is %g with the shortest precision, which decides at 6
        return sign + _exponent_form(digits, point, pad=2)
    return sign + _fixed_form(digits, point)


def _json_float(value: float) -> str:
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    digits, point = _digits(value)
    if abs(value) < 1e-6 or abs(value) >= 1e21:
        return sign + _exponent_form(digits, point, pad=1 if point - 1 < 0 else 2)
    return sign + _fixed_form(digits, point)


def _json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    for raw, escaped in _JSON_HTML_ESCAPES.items():
        encoded = encoded.replace(raw, escaped)
    return encoded.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def go_json(value: Any) -> str:
    """Serialise like Go's `json.Marshal`: compact, map keys sorted, HTML characters escaped."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict):
        items = (f"{_json_string(str(k))}:{go_json(value[k])}" for k in sorted(value, key=str))
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    return _json_string(str(value))


def go_value(value: Any) -> str:
    """Render a bad value as `field.Error` does: `%v` for numbers and bools, else `%q` or JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return go_quote(value)
    return go_json(value)


def go_list(values: list[str]) -> str:
    """Render a string slice as Go's `%v` does: `[a b c]`."""
    return "[" + " ".join(values) + "]"


_ATOMS = frozenset({str, int, float, bool, type(None)})


def copy_json(value: Any) -> Any:
    """A deep copy of a decoded JSON value, several times cheaper than `copy.deepcopy`.

    Plain dicts and lists are rebuilt and scalars shared; anything else (never produced by
    decoding) goes through `copy.deepcopy`.
    """
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _ATOMS else copy_json(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _ATOMS else copy_json(v) for v in value]
    if kind in _ATOMS:
        return value
    return copy.deepcopy(value)


def json_equal(left: Any, right: Any) -> bool:
    """Deep equality of decoded JSON values, keeping booleans apart from numbers."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    return type(left) is type(right) and bool(left == right)


def json_kind(value: Any) -> str:
    """The JSON type of a decoded value, with integers apart from other numbers."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "unknown"
