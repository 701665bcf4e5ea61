r"""Go (RE2) regular expressions run on Python's `re`, with Go's verdicts on bad patterns.

Schemas carry `pattern`s that the apiserver compiles with Go's `regexp`. Python accepts
things RE2 rejects (look-arounds, back-references) and reads some things differently (`$`
also matches before a final newline; `\d` matches non-ASCII digits). The CRD check
(`structural.py`) must reject what Go rejects, with Go's message, and the validator
(`validate.py`) must match what Go matches; both come here. The translation covers what CRDs
use in practice; `\p{…}` classes are the known gap, refused with a message that says so.
"""

from __future__ import annotations

import functools
import re

_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


class GoRegexError(ValueError):
    """A pattern Go's `regexp.Compile` would refuse; `str()` is Go's message."""


def _translate(pattern: str) -> str:
    """Rewrite Go syntax into Python syntax, raising where Go would refuse the pattern."""
    out: list[str] = []
    multiline = re.search(r"\(\?[a-zA-Z]*m", pattern) is not None
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt.isdigit() and nxt != "0":
                raise GoRegexError(f"error parsing regexp: invalid escape sequence: `\\{nxt}`")
            if nxt in "pP":
                raise GoRegexError(
                    f"error parsing regexp: Unicode classes (`\\{nxt}`) are not emulated here"
                )
            out.append("\\Z" if nxt == "z" and not in_class else ch + nxt)
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # A `]` right after `[` or `[^` is a literal in both dialects.
            lead = (
                "[^]"
                if pattern.startswith("[^]", i)
                else "[]"
                if pattern.startswith("[]", i)
                else ""
            )
            if lead:
                out.append(lead)
                i += len(lead)
                continue
        elif ch == "(" and pattern.startswith(_LOOKAROUNDS, i):
            end = i + (4 if pattern[i + 2] == "<" else 3)
            raise GoRegexError(
                f"error parsing regexp: invalid or unsupported Perl syntax: `{pattern[i:end]}`"
            )
        elif ch == "$" and not multiline:
            out.append("\\Z")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _go_message(pattern: str, exc: re.error) -> str:
    """Go's wording for the failures Python also detects."""
    pos = exc.pos or 0
    if exc.msg == "nothing to repeat":
        return f"missing argument to repetition operator: `{pattern[pos]}`"
    if exc.msg == "multiple repeat":
        return f"invalid nested repetition operator: `{pattern[pos - 1 : pos + 1]}`"
    if exc.msg.startswith("missing ), unterminated subpattern"):
        return f"missing closing ): `{pattern}`"
    if exc.msg == "unbalanced parenthesis":
        return f"unexpected ): `{pattern}`"
    if exc.msg == "unterminated character set":
        return f"missing closing ]: `{pattern[pos:]}`"
    if exc.msg == "min repeat greater than max repeat":
        start = pattern.rfind("{", 0, pos + 1)
        return f"invalid repeat count: `{pattern[start : pattern.find('}', pos) + 1]}`"
    if exc.msg.startswith("bad escape (end of pattern)"):
        return "trailing backslash at end of expression: ``"
    return f"{exc.msg}: `{pattern}`"


@functools.lru_cache(maxsize=512)
def compile_go(pattern: str) -> re.Pattern[str]:
    """Compile a Go regular expression, or raise `GoRegexError` with Go's wording."""
    translated = _translate(pattern)
    try:
        return re.compile(translated, re.ASCII)
    except re.error as exc:
        raise GoRegexError(f"error parsing regexp: {_go_message(pattern, exc)}") from exc
