"""Wall-clock time as the API server writes it: RFC 3339, UTC, whole seconds.

`metav1.Time` serialises with second precision (`2025-01-02T03:04:05Z`) and `MicroTime`
(events' `eventTime`, leases' `renewTime`) with microseconds. Everything that stamps an
object takes a `Clock`, so tests can pin or advance time instead of sleeping.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta


class Clock:
    """The real clock; `FrozenClock` replaces it in tests."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


def rfc3339(moment: datetime) -> str:
    """`metav1.Time` text: `2025-01-02T03:04:05Z`.

    Every write stamps the current time, and formatting costs more than the rest of a
    timestamp's handling, so the text of the last second formatted is kept.
    """
    second = math.floor(moment.timestamp())
    last = _LAST_SECOND[0]
    if last[0] == second:
        return last[1]
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _LAST_SECOND[0] = (second, text)
    return text


_LAST_SECOND: list[tuple[int | None, str]] = [(None, "")]


def rfc3339_micro(moment: datetime) -> str:
    """`metav1.MicroTime` text: `2025-01-02T03:04:05.123456Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse(text: str) -> datetime:
    """Either form back to an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
