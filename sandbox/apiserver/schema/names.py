"""Kubernetes name rules (DNS labels and subdomains, label keys and values), Go's wording.

CRD names, version names, groups, embedded objects' `kind`, namespaces and labels are all
checked against the same handful of formats from `k8s.io/apimachinery`, and each failure
message includes the regular expression and examples verbatim. Each function returns the
list of messages Go returns (empty when valid), so callers wrap them in `field.invalid`
exactly where Go does. Note the two `MaxLenError`s: `util/validation` says "characters",
the newer `api/validate/content` (label keys and values) says "bytes".
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

_DNS1123_LABEL: Final = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN: Final = _DNS1123_LABEL + "(\\." + _DNS1123_LABEL + ")*"
_DNS1035_LABEL: Final = "[a-z]([-a-z0-9]*[a-z0-9])?"
_LABEL_KEY: Final = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE: Final = "(" + _LABEL_KEY + ")?"
_LABEL_KEY_MSG: Final = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def _matches(regex: str, value: str) -> bool:
    return _compiled(regex).fullmatch(value) is not None


def regex_error(message: str, regex: str, *examples: str) -> str:
    """`RegexError`: the message, examples, and the regular expression used."""
    if not examples:
        return f"{message} (regex used for validation is '{regex}')"
    shown = " or ".join(f"'{e}'" for e in examples)
    return f"{message} (e.g. {shown}, regex used for validation is '{regex}')"


def dns1123_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append("must be no more than 63 characters")
    if not _matches(_DNS1123_LABEL, value):
        if _matches(_DNS1123_SUBDOMAIN, value):
            errs.append("must not contain dots")
        else:
            message = "a lowercase RFC 1123 label must consist of lower case alphanumeric"
            message += " characters or '-', and must start and end with an alphanumeric character"
            errs.append(regex_error(message, _DNS1123_LABEL, "my-name", "123-abc"))
    return errs


def dns1123_subdomain(value: str, *, unit: str = "characters") -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(f"must be no more than 253 {unit}")
    if not _matches(_DNS1123_SUBDOMAIN, value):
        message = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
        message += " characters, '-' or '.', and must start and end with an alphanumeric character"
        errs.append(regex_error(message, _DNS1123_SUBDOMAIN, "example.com"))
    return errs


def dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append("must be no more than 63 characters")
    if not _matches(_DNS1035_LABEL, value):
        message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-',"
        message += " start with an alphabetic character, and end with an alphanumeric character"
        errs.append(regex_error(message, _DNS1035_LABEL, "my-name", "abc-123"))
    return errs


def label_key(value: str) -> list[str]:
    """`IsLabelKey` (a.k.a. `IsQualifiedName`): optional DNS prefix, `/`, then a name."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) > 2:
        shown = regex_error(_LABEL_KEY_MSG, _LABEL_KEY, "MyName", "my.name", "123-abc")
        suffix = " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        return [f"a valid label key {shown}{suffix}"]
    name = parts[-1]
    if len(parts) == 2:
        if not parts[0]:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in dns1123_subdomain(parts[0], unit="bytes"))
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part must be no more than 63 bytes")
    if not _matches(_LABEL_KEY, name):
        shown = regex_error(_LABEL_KEY_MSG, _LABEL_KEY, "MyName", "my.name", "123-abc")
        errs.append("name part " + shown)
    return errs


def label_value(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append("must be no more than 63 bytes")
    if not _matches(_LABEL_VALUE, value):
        message = "a valid label must be an empty string or consist of alphanumeric characters,"
        message += " '-', '_' or '.', and must start and end with an alphanumeric character"
        errs.append(regex_error(message, _LABEL_VALUE, "MyValue", "my_value", "12345"))
    return errs


def path_segment(value: str, *, prefix: bool = False) -> list[str]:
    """`IsPathSegmentName` / `IsPathSegmentPrefix`: names that are safe in a URL path."""
    if not prefix and value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in value]
