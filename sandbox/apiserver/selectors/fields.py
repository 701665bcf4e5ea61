r"""Field selectors: apimachinery's `pkg/fields` parsing, escaping, conversion and matching.

A field selector is a comma-joined list of `field=value`, `field==value` or `field!=value`
terms. Values escape `\\`, `,` and `=` with a backslash; fields are taken verbatim. Terms are
sorted as raw text before parsing, as `fields.ParseSelector` does, so the requirement order (and
`str()`) is stable whatever order a client sends (`kubectl describe` varies it). A missing
field reads as "", so `status.podIP=` matches pods without an IP. The REST layer calls
`for_kind` before matching: that is where the server rejects `field label not supported: x`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.selectors.selectable import field_label_conversions
from sandbox.apiserver.selectors.validation import SelectorError

_TERM_OPERATORS: Final = ("!=", "==", "=")


@dataclass(frozen=True)
class FieldRequirement:
    """One term; `operator` is `=` (written `=` or `==`) or `!=`."""

    field: str
    operator: str
    value: str

    def matches(self, fields: Mapping[str, str]) -> bool:
        equal = fields.get(self.field, "") == self.value
        return equal if self.operator == "=" else not equal

    def __str__(self) -> str:
        return f"{self.field}{self.operator}{escape_field_value(self.value)}"


def escape_field_value(value: str) -> str:
    r"""`fields.EscapeValue`: backslash-escape `\\`, `,` and `=`."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def unescape_field_value(value: str) -> str:
    """`fields.UnescapeValue`, with its error messages."""
    out: list[str] = []
    escaped = False
    for ch in value:
        if escaped:
            if ch not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: \\{ch}")
            out.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",=":
            # Go formats the offending rune with %v, which prints its number.
            raise SelectorError(f"invalid field selector: unescaped character in value: {ord(ch)}")
        else:
            out.append(ch)
    if escaped:
        raise SelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def _split_terms(text: str) -> list[str]:
    """Split on commas that are not escaped."""
    terms, start, escaped = [], 0, False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    """The first operator position wins; at one position `!=` before `==` before `=`."""
    for i in range(len(term)):
        for op in _TERM_OPERATORS:
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op) :]
    return None


@dataclass(frozen=True)
class FieldSelector:
    """An AND of field terms (`fields.Selector`); no terms selects everything."""

    requirements: tuple[FieldRequirement, ...] = ()

    @classmethod
    def parse(cls, text: str) -> FieldSelector:
        """`fields.ParseSelector`."""
        reqs = []
        for term in sorted(_split_terms(text)) if text else []:
            if not term:
                continue
            split = _split_term(term)
            if split is None:
                raise SelectorError(f"invalid selector: '{text}'; can't understand '{term}'")
            field, op, raw = split
            value = unescape_field_value(raw)
            reqs.append(FieldRequirement(field, "!=" if op == "!=" else "=", value))
        return cls(tuple(reqs))

    @property
    def empty(self) -> bool:
        return not self.requirements

    def for_kind(self, kind: ResourceKind) -> FieldSelector:
        """Convert field labels as the served version does (`ConvertFieldLabel`).

        Raises:
            SelectorError: `field label not supported: <field>` for a field the kind cannot
                select on; the server answers 400 BadRequest with exactly that message.
        """
        conversions = field_label_conversions(kind)
        converted = []
        for req in self.requirements:
            internal = conversions.get(req.field)
            if internal is None:
                raise SelectorError(f"field label not supported: {req.field}")
            converted.append(FieldRequirement(internal, req.operator, req.value))
        return FieldSelector(tuple(converted))

    def requires_exact_match(self, field: str) -> str | None:
        """The value an `=` term demands of `field`, if any (`RequiresExactMatch`)."""
        for req in self.requirements:
            if req.field == field and req.operator == "=":
                return req.value
        return None

    def matches(self, fields: Mapping[str, str]) -> bool:
        return all(r.matches(fields) for r in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)
