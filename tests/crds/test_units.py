"""Memory, quantity and duration syntax is read as Flink and Kubernetes read it."""

from datetime import timedelta
from decimal import Decimal

import pytest

from crds.units import is_quartz_cron, parse_duration, parse_memory, parse_quantity

MIB = 1 << 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2048m", 2048 * MIB),
        ("2g", 2048 * MIB),
        ("512 mb", 512 * MIB),
        ("1024", 1024),
        ("1G", 1024 * MIB),
        ("2Gi", 2048 * MIB),
        ("1500Mi", 1500 * MIB),
        # Flink syntax wins where both apply: Flink reads "2G" as 2 GiB, not 2 * 10^9 bytes.
        ("2G", 2048 * MIB),
        ("3k", 3072),
        ("2e3", 2000),
    ],
)
def test_memory_uses_flink_syntax_then_kubernetes_quantities(text, expected):
    assert parse_memory(text) == expected


@pytest.mark.parametrize("text", ["lots", "m2", "2 parsecs", ""])
def test_memory_rejects_nonsense(text):
    with pytest.raises(ValueError, match="memory"):
        parse_memory(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("500m", Decimal("0.5")),
        ("1", Decimal(1)),
        (2, Decimal(2)),
        ("1.5", Decimal("1.5")),
        ("1e3", Decimal(1000)),
        ("1Ki", Decimal(1024)),
    ],
)
def test_quantities(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6h", timedelta(hours=6)),
        ("10 min", timedelta(minutes=10)),
        ("30s", timedelta(seconds=30)),
        ("500", timedelta(milliseconds=500)),
        ("1d", timedelta(days=1)),
        ("48 hours", timedelta(hours=48)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


def test_duration_rejects_unknown_units():
    with pytest.raises(ValueError, match="unknown time unit"):
        parse_duration("3 fortnights")


def test_quartz_cron_shape():
    assert is_quartz_cron("0 0 * * * ?")
    assert is_quartz_cron("0 0/30 8-10 ? * MON-FRI 2030")
    assert not is_quartz_cron("6h")
    assert not is_quartz_cron("* * * * *")  # five fields: Unix cron, not Quartz
