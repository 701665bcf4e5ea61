"""The selector error type and the 1.33 wording of label-key and label-value checks.

Label selectors validate keys with `validation.IsQualifiedName` and values with
`IsValidLabelValue`, and report failures as `field.Invalid` errors whose text clients see
verbatim. Kubernetes 1.35 reworded these (`a valid label key ...`, `... bytes`); this module
keeps the 1.33 text the emulated release sends, including Go's `RegexError` quirk of a comma
after every example (`'MyName',  or 'my.name',  or '123-abc', regex used ...`).
"""

from __future__ import annotations

import re
from typing import Final

from sandbox.apiserver.schema.gojson import go_quote


class SelectorError(ValueError):
    """A selector that does not parse, validate or convert; served as a 400 BadRequest."""

    status: Final = 400
    reason: Final = "BadRequest"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_QNAME: Final = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QNAME_MSG: Final = (
    "must consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_LABEL_VALUE: Final = "(" + _QNAME + ")?"
_LABEL_VALUE_MSG: Final = (
    "a valid label must be an empty string or consist of alphanumeric characters, "
    "'-', '_' or '.', and must start and end with an alphanumeric character"
)
_DNS_LABEL: Final = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS_SUBDOMAIN: Final = _DNS_LABEL + "(\\." + _DNS_LABEL + ")*"
_DNS_SUBDOMAIN_MSG: Final = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
    "'-' or '.', and must start and end with an alphanumeric character"
)


def regex_error(message: str, regex: str, *examples: str) -> str:
    """`validation.RegexError`, byte for byte."""
    if not examples:
        return f"{message} (regex used for validation is '{regex}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{regex}')"


def qualified_name_errors(value: str) -> list[str]:
    """`validation.IsQualifiedName` (label keys): the messages, empty when valid."""
    parts = value.split("/")
    if len(parts) > 2:
        shown = regex_error(_QNAME_MSG, _QNAME, "MyName", "my.name", "123-abc")
        suffix = " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        return [f"a qualified name {shown}{suffix}"]
    errs: list[str] = []
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            if len(prefix) > 253:
                errs.append("prefix part must be no more than 253 characters")
            if not re.fullmatch(_DNS_SUBDOMAIN, prefix):
                shown = regex_error(_DNS_SUBDOMAIN_MSG, _DNS_SUBDOMAIN, "example.com")
                errs.append("prefix part " + shown)
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part must be no more than 63 characters")
    if not re.fullmatch(_QNAME, name):
        errs.append("name part " + regex_error(_QNAME_MSG, _QNAME, "MyName", "my.name", "123-abc"))
    return errs


def label_value_errors(value: str) -> list[str]:
    """`validation.IsValidLabelValue`: the messages, empty when valid."""
    errs = []
    if len(value) > 63:
        errs.append("must be no more than 63 characters")
    if not re.fullmatch(_LABEL_VALUE, value):
        errs.append(regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE, "MyValue", "my_value", "12345"))
    return errs


def invalid(path: str, value: str | list[str] | None, detail: str) -> str:
    """The text of a `field.Invalid` error: strings as `%q`, string slices as `%#v`."""
    if isinstance(value, str):
        shown = go_quote(value)
    elif value is None:
        shown = "[]string(nil)"
    else:
        shown = "[]string{" + ", ".join(go_quote(v) for v in value) + "}"
    return f"{path}: Invalid value: {shown}: {detail}"


def aggregate(errors: list[str]) -> str:
    """`utilerrors.NewAggregate(errs).Error()`: one message bare, several deduplicated in []."""
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"
