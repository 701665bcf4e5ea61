"""Timestamps in Table cells as kube-apiserver prints them: ages and RFC 3339 instants.

Every printer's `Age` cell is `duration.HumanDuration(time.Since(creationTimestamp))` computed
on the server, and kubectl prints it verbatim, so the wording ("5s", "119s", "2m3s", "3h4m",
"5d", "2y100d") and the rounding (truncation, two seconds of clock skew tolerated) have to be
Go's. The clock is a parameter (`now`) so that a Table is a pure function of its inputs.
Timestamps are parsed as `metav1.Time` parses them: RFC 3339 only, empty and "null" meaning
the zero time, which prints as "<unknown>".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})"
)
ZERO_TIME = datetime(1, 1, 1, tzinfo=UTC)
"""Go's zero `time.Time`, what a missing or empty timestamp decodes to."""


def parse_time(value: object) -> datetime:
    """Decode a `metav1.Time`/`MicroTime` value; missing, "" and "null" are the zero time.

    Raises:
        ValueError: the value is not an RFC 3339 timestamp (Go's `time.Parse` would fail).
    """
    if value is None or value in ("", "null"):
        return ZERO_TIME
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {value!r}")
    match = _RFC3339.fullmatch(value)
    if match is None:
        raise ValueError(f"not an RFC 3339 timestamp: {value!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    parsed = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), micros, tzinfo=UTC
    )
    if zone != "Z":
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        try:
            parsed = parsed - offset if zone[0] == "+" else parsed + offset
        except OverflowError:
            raise ValueError(f"timestamp out of range: {value!r}") from None
    return parsed


def parse_or_zero(value: object) -> datetime:
    """`parse_time`, with anything unparseable taken as the zero time (a field Go never stores)."""
    try:
        return parse_time(value)
    except ValueError:
        return ZERO_TIME


def human_duration(delta: timedelta) -> str:
    """Go's `duration.HumanDuration`: about two significant figures, in one or two units."""
    micros = delta // timedelta(microseconds=1)
    seconds = abs(micros) // 1_000_000 * (1 if micros >= 0 else -1)  # Go truncates toward zero
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        rest = seconds % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = hours // 24 % 365
        return f"{hours // 24 // 365}y" if rest == 0 else f"{hours // 24 // 365}y{rest}d"
    return f"{hours // 24 // 365}y"


def since(moment: datetime, now: datetime) -> str:
    """`translateTimestampSince`: the human age of a decoded timestamp, "<unknown>" if zero."""
    if moment == ZERO_TIME:
        return "<unknown>"
    return human_duration(now - moment)


def humanize_age(created: str, now: datetime) -> str:
    """The `Age` cell for a `creationTimestamp` string, as of `now` (a timezone-aware instant)."""
    return since(parse_or_zero(created), now)


def rfc3339(value: object) -> str:
    """A timestamp re-printed as Go's `Time.UTC().Format(time.RFC3339)` (whole seconds, `Z`)."""
    moment = parse_or_zero(value).astimezone(UTC)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )
