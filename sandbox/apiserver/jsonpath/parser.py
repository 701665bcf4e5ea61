"""The parser of client-go's JSONPath templates: `text{.a[0].b}text{...}` into node lists.

It mirrors `k8s.io/client-go/util/jsonpath/parser.go` method for method (a rune scanner with
`pos`/`start` marks), because its quirks are the dialect: `['a.b']` is re-parsed as `.a.b`,
`[]` means `[0]`, `[a,b]` is a union of two bracket expressions, a filter is split at its first
run of `!<>=` characters, and anything else between braces is an error with client-go's wording.
`walker.py` evaluates what this produces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sandbox.apiserver.jsonpath.errors import JSONPathError


@dataclass(frozen=True)
class Field:
    name: str


@dataclass(frozen=True)
class Param:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass(frozen=True)
class Array:
    params: tuple[Param, Param, Param]


@dataclass(frozen=True)
class Filter:
    left: tuple[Node, ...]
    right: tuple[Node, ...]
    operator: str


@dataclass(frozen=True)
class Const:
    """An int, float or bool literal: one copy per input value."""

    value: int | float | bool


@dataclass(frozen=True)
class Text:
    """A quoted literal: exactly one value, whatever the input."""

    text: str


@dataclass(frozen=True)
class Wildcard:
    pass


@dataclass(frozen=True)
class Recursive:
    pass


@dataclass(frozen=True)
class Union:
    branches: tuple[tuple[Node, ...], ...]


@dataclass(frozen=True)
class Identifier:
    name: str


Node = Field | Array | Filter | Const | Text | Wildcard | Recursive | Union | Identifier
Block = str | tuple[Node, ...]
"""A template block: literal text outside braces, or the node list of one `{...}` action."""

_DICT_KEY = re.compile(r"'([^']*)'")
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")
_FILTER = re.compile(r"([^!<>=]+)([!<>=]+)(.+?)")
_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _is_alnum(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or ch.isdecimal()


def _is_terminator(ch: str) -> bool:
    return ch == "" or ch in _TERMINATORS


class _Parser:
    """client-go's `Parser`: a rune scanner with `pos`/`start` marks, one method per construct."""

    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.width = 0

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return ""
        self.width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def backup(self) -> None:
        self.pos -= self.width

    def peek(self) -> str:
        ch = self.next()
        self.backup()
        return ch

    def consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def parse(self) -> list[Block]:
        root: list[Block] = []
        while True:
            brace = self.input.find("{", self.pos)
            self.pos = len(self.input) if brace < 0 else brace
            if self.pos > self.start:
                root.append(self.consume())
            if brace < 0:
                return root
            self.pos += 1
            self.consume()
            action: list[Node] = []
            self._inside_action(action)
            root.append(tuple(action))

    def _inside_action(self, cur: list[Node]) -> None:
        while True:
            rest = self.input[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                return
            if rest.startswith("[?("):
                self._filter(cur)
                continue
            if rest.startswith(".."):
                self._recursive(cur)
                continue
            ch = self.next()
            if ch == "" or ch in "\r\n":
                raise JSONPathError("unclosed action")
            if ch in " @$":
                self.consume()
            elif ch == "[":
                self._array(cur)
            elif ch in "\"'":
                self._quote(cur, ch)
            elif ch == ".":
                self._field(cur)
            elif ch in "+-" or ch.isdecimal():
                self.backup()
                self._number(cur)
            elif _is_alnum(ch):
                self.backup()
                self._identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: U+{ord(ch):04X} '{ch}'")

    def _field(self, cur: list[Node]) -> None:
        self.consume()
        while True:
            ch = self.next()
            if ch == "\\":
                self.next()
            elif _is_terminator(ch):
                self.backup()
                break
        value = self.consume()
        cur.append(Wildcard() if value == "*" else Field(value.replace("\\", "")))

    def _identifier(self, cur: list[Node]) -> None:
        while not _is_terminator(self.next()):
            pass
        self.backup()
        value = self.consume()
        cur.append(Const(value == "true") if value in ("true", "false") else Identifier(value))

    def _recursive(self, cur: list[Node]) -> None:
        if cur and isinstance(cur[-1], Recursive):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        cur.append(Recursive())
        if _is_alnum(self.peek()):
            self._field(cur)

    def _number(self, cur: list[Node]) -> None:
        if self.peek() in ("+", "-"):
            self.next()
        while True:
            ch = self.next()
            if ch != "." and not ch.isdecimal():
                self.backup()
                break
        value = self.consume()
        try:
            cur.append(Const(int(value)))
            return
        except ValueError:
            pass
        try:
            cur.append(Const(float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None

    def _array(self, cur: list[Node]) -> None:
        while True:
            ch = self.next()
            if ch in ("", "\n"):
                raise JSONPathError("unterminated array")
            if ch == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            cur.append(Union(tuple(_parse_action(f"[{p.strip(' ')}]") for p in parts)))
            return
        key = _DICT_KEY.fullmatch(text)
        if key is not None:
            cur.extend(_parse_action(f".{key.group(1)}"))
            return
        sliced = _SLICE.fullmatch(text)
        if sliced is None:
            raise JSONPathError(f"invalid array index {text}")
        cur.append(Array(_slice_params([g or "" for g in sliced.groups()])))

    def _filter(self, cur: list[Node]) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            ch = self.next()
            if ch in ("", "\n"):
                raise JSONPathError("unterminated filter")
            if ch in "\"'":
                if not begin:
                    begin, pair = True, ch
                    continue
                if self.input[self.pos - 2] != "\\" and ch == pair:
                    end = True
            elif ch == ")" and begin == end:
                break
        if self.next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self.consume()[:-2]
        parts = _FILTER.fullmatch(text)
        if parts is None:
            cur.append(Filter(_parse_action(text), (), "exists"))
        else:
            left, operator, right = parts.groups()
            cur.append(Filter(_parse_action(left), _parse_action(right), operator))

    def _quote(self, cur: list[Node], quote: str) -> None:
        while True:
            ch = self.next()
            if ch in ("", "\n"):
                raise JSONPathError("unterminated quoted string")
            if ch == quote and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            cur.append(Text(_unquote(value)))
        except ValueError:
            raise JSONPathError(f"unquote string {value} error invalid syntax") from None


def _slice_params(groups: list[str]) -> tuple[Param, Param, Param]:
    params: list[Param] = []
    for i, raw in enumerate(groups):
        text = raw[1:] if i > 0 and raw else raw
        if raw and not (i > 0 and text == ""):
            try:
                params.append(Param(int(text), known=True))
            except ValueError:
                raise JSONPathError(f"array index {text} is not a number") from None
        elif raw:
            params.append(Param())
        elif i == 1:
            params.append(Param(params[0].value + 1, known=True, derived=True))
        else:
            params.append(Param())
    return params[0], params[1], params[2]


def _unquote(quoted: str) -> str:
    """Go's `UnquoteExtend`: `strconv.Unquote` that also takes single quotes."""
    quote, body = quoted[0], quoted[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        i += 1
        if ch == quote:
            raise ValueError(quoted)
        if ch != "\\":
            out.append(ch)
            continue
        if i >= len(body):
            raise ValueError(quoted)
        esc = body[i]
        i += 1
        if esc in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[esc])
        elif esc in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[esc]
            out.append(chr(int(body[i : i + width], 16)))
            i += width
        elif esc in "01234567":
            code = int(body[i - 1 : i + 2], 8)
            if code > 0xFF:
                raise ValueError(quoted)
            out.append(chr(code))
            i += 2
        elif esc == "\\" or esc == quote:
            out.append(esc)
        else:
            raise ValueError(quoted)
    return "".join(out)


def _parse_action(text: str) -> tuple[Node, ...]:
    block = _Parser("{" + text + "}").parse()[0]
    if isinstance(block, str):  # unreachable: a template that starts with `{` starts an action
        raise JSONPathError(f"invalid expression {text}")
    return block


def parse(template: str) -> list[Block]:
    """Parse a template (`text{.a.b}text{...}`) into its blocks, or raise `JSONPathError`."""
    return _Parser(template).parse()
