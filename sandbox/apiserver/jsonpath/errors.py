"""The one error of the JSONPath package, shared by its parser and its walker."""

from __future__ import annotations

from collections.abc import Sequence


class JSONPathError(ValueError):
    """A template that does not parse, or a walk that fails (index out of range, bad compare).

    `partial` holds what client-go's walker returns next to its error; a filter's `exists`
    test looks at it, so it is kept rather than discarded.
    """

    def __init__(self, message: str, partial: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.partial = list(partial)
