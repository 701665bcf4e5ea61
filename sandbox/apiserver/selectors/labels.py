"""Label selectors: apimachinery's `pkg/labels` lexer, parser, requirements and matching.

The parser is a port of `labels.Parse` as of Kubernetes 1.33, token for token, because its
quirks reach clients: `in`/`notin` are keywords only where an operator may stand (`x in (in)`
is fine), `x in ()` selects the empty value, `in` values are de-duplicated and sorted,
`!a=b` fails at the `=`, and errors raised while reading one requirement are prefixed with
`unable to parse requirement: `, while a bad key carries the `<nil>` field path of a parser
run without one. Requirements built from `metav1.LabelSelector` objects go through the same
`Requirement.create` (`labels.NewRequirement`), whose field paths are `key` and `values[i][key]`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum, auto
from typing import Any, Final

from sandbox.apiserver.schema.gojson import go_quote
from sandbox.apiserver.selectors.validation import (
    SelectorError,
    aggregate,
    invalid,
    label_value_errors,
    qualified_name_errors,
)


class Operator(StrEnum):
    """`selection.Operator`, spelled as apimachinery spells it."""

    DOES_NOT_EXIST = "!"
    EQUALS = "="
    DOUBLE_EQUALS = "=="
    IN = "in"
    NOT_EQUALS = "!="
    NOT_IN = "notin"
    EXISTS = "exists"
    GREATER_THAN = "gt"
    LESS_THAN = "lt"


_BINARY_OPERATORS: Final = "in, notin, =, ==, !=, gt, lt"
_EXACT: Final = (Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.NOT_EQUALS)
_UNARY: Final = (Operator.EXISTS, Operator.DOES_NOT_EXIST)
_ORDER: Final = (Operator.GREATER_THAN, Operator.LESS_THAN)


def _int64(text: str) -> int | None:
    """`strconv.ParseInt(text, 10, 64)`: optional sign, decimal digits, in range."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    number = int(text)
    return number if -(2**63) <= number < 2**63 else None


@dataclass(frozen=True)
class Requirement:
    """One `key op values` term (`labels.Requirement`); values keep their given order."""

    key: str
    operator: Operator
    values: tuple[str, ...] = ()

    @classmethod
    def create(cls, key: str, operator: Operator, values: list[str] | None) -> Requirement:
        """`labels.NewRequirement` without a field path: validated as the server validates."""
        errs: list[str] = []
        if key_errs := qualified_name_errors(key):
            errs.append(invalid("key", key, "; ".join(key_errs)))
        vals = values or []
        if operator in (Operator.IN, Operator.NOT_IN) and not vals:
            detail = "for 'in', 'notin' operators, values set can't be empty"
            errs.append(invalid("values", values, detail))
        elif operator in _EXACT and len(vals) != 1:
            detail = "exact-match compatibility requires one single value"
            errs.append(invalid("values", values, detail))
        elif operator in _UNARY and vals:
            detail = "values set must be empty for exists and does not exist"
            errs.append(invalid("values", values, detail))
        elif operator in _ORDER:
            if len(vals) != 1:
                detail = "for 'Gt', 'Lt' operators, exactly one value is required"
                errs.append(invalid("values", values, detail))
            for i, value in enumerate(vals):
                if _int64(value) is None:
                    detail = "for 'Gt', 'Lt' operators, the value must be an integer"
                    errs.append(invalid(f"values[{i}]", value, detail))
        for i, value in enumerate(vals):
            if value_errs := label_value_errors(value):
                errs.append(invalid(f"values[{i}][{key}]", value, "; ".join(value_errs)))
        if errs:
            raise SelectorError(aggregate(errs))
        return cls(key, operator, tuple(vals))

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        if self.operator in (Operator.IN, *_EXACT[:2]):
            return present and labels[self.key] in self.values
        if self.operator in (Operator.NOT_IN, Operator.NOT_EQUALS):
            return not present or labels[self.key] not in self.values
        if self.operator is Operator.EXISTS:
            return present
        if self.operator is Operator.DOES_NOT_EXIST:
            return not present
        have = _int64(labels[self.key]) if present else None
        want = _int64(self.values[0]) if len(self.values) == 1 else None
        if have is None or want is None:
            return False
        return have > want if self.operator is Operator.GREATER_THAN else have < want

    def __str__(self) -> str:
        if self.operator in _UNARY:
            return ("!" if self.operator is Operator.DOES_NOT_EXIST else "") + self.key
        values = ",".join(sorted(self.values))
        if self.operator in (Operator.IN, Operator.NOT_IN):
            return f"{self.key} {self.operator.value} ({values})"
        symbol = {Operator.GREATER_THAN: ">", Operator.LESS_THAN: "<"}.get(self.operator)
        return f"{self.key}{symbol or self.operator.value}{values}"


_EXPRESSION_OPERATORS: Final = {
    "In": Operator.IN,
    "NotIn": Operator.NOT_IN,
    "Exists": Operator.EXISTS,
    "DoesNotExist": Operator.DOES_NOT_EXIST,
}


@dataclass(frozen=True)
class LabelSelector:
    """An AND of requirements sorted by key; `nothing` (a nil LabelSelector) selects nothing."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    @classmethod
    def everything(cls) -> LabelSelector:
        return cls()

    @classmethod
    def parse(cls, text: str) -> LabelSelector:
        """`labels.Parse`: the `labelSelector` query syntax (`a=b,c in (x,y),!d`)."""
        return cls(_sorted(_Parser(text).parse()))

    @classmethod
    def from_set(cls, labels: Mapping[str, str]) -> LabelSelector:
        """`labels.SelectorFromSet`: equality on every pair, not validated."""
        return cls(_sorted(Requirement(k, Operator.EQUALS, (v,)) for k, v in labels.items()))

    @classmethod
    def from_object(cls, selector: Mapping[str, Any] | None) -> LabelSelector:
        """`metav1.LabelSelectorAsSelector`: None selects nothing, `{}` selects everything."""
        if selector is None:
            return cls(nothing=True)
        reqs = [
            Requirement.create(str(k), Operator.EQUALS, [str(v)])
            for k, v in (selector.get("matchLabels") or {}).items()
        ]
        for expr in selector.get("matchExpressions") or []:
            name = str(expr.get("operator", ""))
            if name not in _EXPRESSION_OPERATORS:
                raise SelectorError(f"{go_quote(name)} is not a valid label selector operator")
            values = [str(v) for v in expr.get("values") or []]
            key = str(expr.get("key", ""))
            reqs.append(Requirement.create(key, _EXPRESSION_OPERATORS[name], values or None))
        return cls(_sorted(reqs))

    @property
    def empty(self) -> bool:
        """True when nothing is restricted (`Selector.Empty`; false for `nothing`)."""
        return not self.nothing and not self.requirements

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        found = labels or {}
        return all(r.matches(found) for r in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


def _sorted(reqs: Any) -> tuple[Requirement, ...]:
    return tuple(sorted(reqs, key=lambda r: r.key))


class _Token(Enum):
    ERROR = auto()
    END = auto()
    CLOSE = auto()
    COMMA = auto()
    NOT = auto()
    DOUBLE_EQUALS = auto()
    EQUALS = auto()
    GREATER = auto()
    IDENTIFIER = auto()
    IN = auto()
    LESS = auto()
    NOT_EQUALS = auto()
    NOT_IN = auto()
    OPEN = auto()


_KEYWORDS: Final = {
    ")": _Token.CLOSE,
    ",": _Token.COMMA,
    "!": _Token.NOT,
    "==": _Token.DOUBLE_EQUALS,
    "=": _Token.EQUALS,
    ">": _Token.GREATER,
    "in": _Token.IN,
    "<": _Token.LESS,
    "!=": _Token.NOT_EQUALS,
    "notin": _Token.NOT_IN,
    "(": _Token.OPEN,
}
_OPERATOR_TOKENS: Final = {
    _Token.IN: Operator.IN,
    _Token.EQUALS: Operator.EQUALS,
    _Token.DOUBLE_EQUALS: Operator.DOUBLE_EQUALS,
    _Token.GREATER: Operator.GREATER_THAN,
    _Token.LESS: Operator.LESS_THAN,
    _Token.NOT_IN: Operator.NOT_IN,
    _Token.NOT_EQUALS: Operator.NOT_EQUALS,
}
_SPECIAL: Final = frozenset("=!(),><")
_WHITESPACE: Final = frozenset(" \t\r\n")
_END: Final = "\0"  # Go's lexer reads a 0 byte at the end of the input


def _scan(text: str) -> list[tuple[_Token, str]]:
    """The lexer (`labels.Lexer`): every token up to and including the end token."""
    pos = 0

    def read() -> str:
        nonlocal pos
        if pos < len(text):
            pos += 1
            return text[pos - 1]
        return _END

    items: list[tuple[_Token, str]] = []
    while True:
        ch = read()
        while ch in _WHITESPACE:
            ch = read()
        if ch == _END:
            items.append((_Token.END, ""))
            return items
        pos -= 1
        buffer = ""
        if ch in _SPECIAL:
            # The longest run of special characters that still forms an operator.
            last: tuple[_Token, str] | None = None
            while (ch := read()) != _END:
                if ch not in _SPECIAL:
                    pos -= 1
                    break
                buffer += ch
                if buffer in _KEYWORDS:
                    last = (_KEYWORDS[buffer], buffer)
                elif last is not None:
                    pos -= 1
                    break
            items.append(last or (_Token.ERROR, f"error expected: keyword found '{buffer}'"))
            continue
        while (ch := read()) != _END:
            if ch in _SPECIAL or ch in _WHITESPACE:
                pos -= 1
                break
            buffer += ch
        items.append((_KEYWORDS.get(buffer, _Token.IDENTIFIER), buffer))


class _Parser:
    """`labels.Parser`: recursive descent over the scanned tokens, Go's messages included."""

    def __init__(self, text: str) -> None:
        self.items = _scan(text)
        self.position = 0

    def _item(self, index: int, *, values: bool) -> tuple[_Token, str]:
        token, literal = self.items[min(index, len(self.items) - 1)]
        # In a values context, `in` and `notin` are ordinary identifiers.
        if values and token in (_Token.IN, _Token.NOT_IN):
            token = _Token.IDENTIFIER
        return token, literal

    def lookahead(self, *, values: bool = True) -> tuple[_Token, str]:
        return self._item(self.position, values=values)

    def consume(self, *, values: bool = True) -> tuple[_Token, str]:
        self.position += 1
        return self._item(self.position - 1, values=values)

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        starts = (_Token.IDENTIFIER, _Token.NOT)
        while True:
            token, literal = self.lookahead()
            if token is _Token.END:
                return requirements
            if token not in starts:
                raise SelectorError(
                    f"found '{literal}', expected: !, identifier, or 'end of string'"
                )
            try:
                requirements.append(self.requirement())
            except SelectorError as exc:
                raise SelectorError(f"unable to parse requirement: {exc.message}") from exc
            token, literal = self.consume()
            if token is _Token.END:
                return requirements
            if token is not _Token.COMMA:
                raise SelectorError(f"found '{literal}', expected: ',' or 'end of string'")
            token, literal = self.lookahead()
            if token not in starts:
                raise SelectorError(f"found '{literal}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        key, operator = self.key_and_inferred_operator()
        if operator is not None:
            return Requirement.create(key, operator, [])
        token, literal = self.consume(values=False)
        operator = _OPERATOR_TOKENS.get(token)
        if operator is None:
            raise SelectorError(f"found '{literal}', expected: {_BINARY_OPERATORS}")
        if operator in (Operator.IN, Operator.NOT_IN):
            found = self.value_set()
        else:
            found = self.exact_value()
        return Requirement.create(key, operator, sorted(found))

    def key_and_inferred_operator(self) -> tuple[str, Operator | None]:
        operator = None
        token, literal = self.consume()
        if token is _Token.NOT:
            operator = Operator.DOES_NOT_EXIST
            token, literal = self.consume()
        if token is not _Token.IDENTIFIER:
            raise SelectorError(f"found '{literal}', expected: identifier")
        if key_errs := qualified_name_errors(literal):
            raise SelectorError(invalid("<nil>", literal, "; ".join(key_errs)))
        if self.lookahead()[0] in (_Token.END, _Token.COMMA) and operator is None:
            operator = Operator.EXISTS
        return literal, operator

    def value_set(self) -> set[str]:
        token, literal = self.consume()
        if token is not _Token.OPEN:
            raise SelectorError(f"found '{literal}' expected: '('")
        token, literal = self.lookahead()
        if token is _Token.CLOSE:  # "()" selects the empty value
            self.consume()
            return {""}
        if token not in (_Token.IDENTIFIER, _Token.COMMA):
            raise SelectorError(f"found '{literal}', expected: ',', ')' or identifier")
        found = self.identifiers()
        if self.consume()[0] is not _Token.CLOSE:
            raise SelectorError(f"found '{literal}', expected: ')'")
        return found

    def identifiers(self) -> set[str]:
        """A possibly empty, comma-separated list of possibly empty values, up to `)`."""
        found: set[str] = set()
        while True:
            token, literal = self.consume()
            if token is _Token.IDENTIFIER:
                found.add(literal)
                following, text = self.lookahead()
                if following is _Token.CLOSE:
                    return found
                if following is not _Token.COMMA:
                    raise SelectorError(f"found '{text}', expected: ',' or ')'")
            elif token is _Token.COMMA:
                if not found:
                    found.add("")  # "(,"
                following, _ = self.lookahead()
                if following is _Token.CLOSE:
                    found.add("")  # ",)"
                    return found
                if following is _Token.COMMA:
                    self.consume()
                    found.add("")  # ",,"
            else:
                raise SelectorError(f"found '{literal}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.lookahead()[0] in (_Token.END, _Token.COMMA):
            return {""}
        token, literal = self.consume()
        if token is _Token.IDENTIFIER:
            return {literal}
        raise SelectorError(f"found '{literal}', expected: identifier")
