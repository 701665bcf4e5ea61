"""The string formats a CRD schema can enforce, checked as kube-openapi's `strfmt` checks them.

The apiserver keeps a fixed list of formats (`pkg/apiserver/validation/formats.go`) and
silently ignores any other `format` on a string, which is why `supported` matters as much
as the checks: `format: email` rejects bad values, `format: emaill` accepts anything. Names
are compared with dashes removed, as go-openapi does (`date-time` is `datetime`). The
checks port kube-openapi's (`strfmt/default.go`, `time.go`, `duration.go`, the vendored
govalidator); where Go calls into its standard library (URLs, e-mail addresses, IPs) the
Python standard library stands in, which agrees on every ordinary value. `values.py` uses it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import date
from typing import Final
from urllib.parse import urlsplit

_HEX24: Final = re.compile(r"[0-9a-fA-F]{24}")
_HOSTNAME: Final = re.compile(
    r"^([^\W_]((-?[^\W_]{0,62})?)|([^\W_](([^\W_-]|-){0,61}[^\W_])?\.){1,}([^\W\d_]){2,63})$"
)
_UUID: Final = {
    "uuid": re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$"),
    "uuid3": re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$"),
    "uuid4": re.compile(
        r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$"
    ),
    "uuid5": re.compile(
        r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$"
    ),
}
_CREDIT_CARD: Final = re.compile(
    r"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}"
    r"|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11})$",
    re.ASCII,
)
_BYTE: Final = re.compile(
    r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$"
)
_OCTET: Final = r"(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])"
_RGB: Final = re.compile(rf"^rgb\(\s*{_OCTET}\s*,\s*{_OCTET}\s*,\s*{_OCTET}\s*\)$", re.ASCII)
_HEXCOLOR: Final = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_SSN: Final = re.compile(r"^\d{3}[- ]?\d{2}[- ]?\d{4}$", re.ASCII)
_MAC: Final = re.compile(
    r"^(?:[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5}|[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){7}"
    r"|[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){19}|[0-9a-fA-F]{4}(?:\.[0-9a-fA-F]{4}){2,9})$"
)
_DATE: Final = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_TIME: Final = re.compile(
    r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$"
)
_GO_DURATION: Final = re.compile(r"^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$")
_SCALA_DURATION: Final = re.compile(r"((\d+)\s*([A-Za-zµ]+))")
_SCALA_UNITS: Final = [
    ["ns", "nano"],
    ["us", "µs", "micro"],
    ["ms", "milli"],
    ["s", "sec"],
    ["m", "min"],
    ["h", "hr", "hour"],
    ["d", "day"],
    ["w", "wk", "week"],
]
_SHORT_NAME: Final = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"


def _is_hostname(text: str) -> bool:
    """RFC 1034 names, letters of any script allowed; at most 255 bytes, labels at most 63."""
    if _HOSTNAME.fullmatch(text) is None or len(text.encode()) > 255:
        return False
    return all(len(label.encode()) <= 63 for label in text.split("."))


def _is_ipv4(text: str) -> bool:
    """`net.ParseIP`, sloppy about leading zeros, and the text must have a dot."""
    parts = text.split(".")
    if len(parts) == 4 and all(p.isdigit() and p.isascii() and int(p) <= 255 for p in parts):
        return True
    return "." in text and _is_ipv6(text)


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return ":" in text


def _is_cidr(text: str) -> bool:
    address, _, prefix = text.partition("/")
    if not prefix.isdigit():
        return False
    if _is_ipv4(address) and "." in address and ":" not in address:
        address = ".".join(str(int(p)) for p in address.split("."))
    try:
        ipaddress.ip_network(f"{address}/{int(prefix)}", strict=False)
    except ValueError:
        return False
    return True


def _is_uri(text: str) -> bool:
    """`url.ParseRequestURI`: an absolute URI or an absolute path, no spaces or controls."""
    if not text or any(c.isspace() or ord(c) < 0x20 for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return bool(parts.scheme) or text.startswith("/")


def _is_email(text: str) -> bool:
    """`net/mail.ParseAddress`: `local@domain`, optionally as `Name <local@domain>`."""
    match = re.fullmatch(r"(?:[^<>]*<([^<>]+)>|([^<>\s]+))", text.strip())
    if not match:
        return False
    address = match.group(1) or match.group(2)
    local, at, domain = address.rpartition("@")
    return bool(at and local and domain) and " " not in address and not domain.startswith(".")


def _is_isbn10(text: str) -> bool:
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"[0-9]{9}X|[0-9]{10}", digits):
        return False
    total = sum((i + 1) * int(d) for i, d in enumerate(digits[:9]))
    total += 100 if digits[9] == "X" else 10 * int(digits[9])
    return total % 11 == 0


def _is_isbn13(text: str) -> bool:
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"[0-9]{13}", digits):
        return False
    total = sum((3 if i % 2 else 1) * int(d) for i, d in enumerate(digits[:12]))
    return int(digits[12]) == (10 - total % 10) % 10


def _is_credit_card(text: str) -> bool:
    digits = re.sub(r"[^0-9]", "", text)
    if not _CREDIT_CARD.fullmatch(digits):
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n >= 10 else n
    return total % 10 == 0


def _is_date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    if not match:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def _is_date_time(text: str) -> bool:
    parts = text.lower().split("t")
    if len(text) < 4 or len(parts) < 2 or not _is_date(parts[0]):
        return False
    match = _TIME.fullmatch(parts[1])
    if match is None:
        return False
    return match[1] <= "23" and match[2] <= "59" and match[3] <= "59"


def _is_duration(text: str) -> bool:
    """Go's `time.ParseDuration`, else the Scala-like `3 days` that strfmt also accepts."""
    if _GO_DURATION.fullmatch(text):
        return True
    for _, _, unit_text in _SCALA_DURATION.findall(text):
        unit = unit_text.strip().lower()
        for variants in _SCALA_UNITS:
            last = len(variants) - 1
            if any((i == last and unit.startswith(v)) or v == unit for i, v in enumerate(variants)):
                return True
    return False


def _full(rx: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: rx.fullmatch(text) is not None


_CHECKS: Final[dict[str, Callable[[str], bool]]] = {
    "bsonobjectid": lambda s: bool(_HEX24.fullmatch(s)),
    "uri": _is_uri,
    "email": _is_email,
    "hostname": _is_hostname,
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
    "cidr": _is_cidr,
    "mac": lambda s: bool(_MAC.fullmatch(s)),
    **{name: _full(rx) for name, rx in _UUID.items()},
    "isbn": lambda s: _is_isbn10(s) or _is_isbn13(s),
    "isbn10": _is_isbn10,
    "isbn13": _is_isbn13,
    "creditcard": _is_credit_card,
    "ssn": lambda s: len(s) == 11 and bool(_SSN.fullmatch(s)),
    "hexcolor": lambda s: bool(_HEXCOLOR.fullmatch(s)),
    "rgbcolor": lambda s: bool(_RGB.fullmatch(s)),
    "byte": lambda s: bool(_BYTE.fullmatch(s)),
    "password": lambda _: True,
    "date": _is_date,
    "duration": _is_duration,
    "datetime": _is_date_time,
    "k8sshortname": lambda s: len(s) <= 63 and re.fullmatch(_SHORT_NAME, s) is not None,
    "k8slongname": lambda s: (
        len(s) <= 253 and re.fullmatch(rf"{_SHORT_NAME}(\.{_SHORT_NAME})*", s) is not None
    ),
}


def normalize(name: str) -> str:
    """go-openapi's format-name normalisation."""
    return name.replace("-", "")


def supported(name: str) -> bool:
    """Whether the apiserver enforces this string format at all."""
    return normalize(name) in _CHECKS


def conforms(name: str, value: str) -> bool:
    """Whether `value` is valid for a supported format (`supported(name)` must hold)."""
    return _CHECKS[normalize(name)](value)
