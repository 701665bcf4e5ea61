"""The protobuf wire format: reading a message into its fields and writing fields back.

`codec` walks messages with `fields()` and builds them with the `field_*` writers; nothing
here knows about Kubernetes. Only what the Kubernetes messages use is written: varints
(every integer and bool: the Go types are proto2 `int32`/`int64`, never zigzag `sint`) and
length-delimited values (strings, bytes, nested messages, map entries). Reading also
accepts the fixed 32- and 64-bit wire types, so an unknown field of either can be skipped
like any other. Errors are `ProtobufError`, the one exception of the package, raised for
anything malformed: a truncated value, an over-long varint, a group, a field number 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

VARINT: Final = 0
FIXED64: Final = 1
BYTES: Final = 2
FIXED32: Final = 5

_MAX_VARINT_BYTES: Final = 10
_UINT64: Final = 1 << 64

Value = int | bytes
"""A field's raw value: an integer for varint and fixed types, bytes for length-delimited."""


class ProtobufError(ValueError):
    """A body or object this package cannot convert; the message says which part and why."""


def read_varint(data: bytes, position: int) -> tuple[int, int]:
    """The unsigned varint at `position` and the position after it."""
    result = 0
    for index in range(_MAX_VARINT_BYTES):
        if position + index >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[position + index]
        result |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            return result % _UINT64, position + index + 1
    raise ProtobufError("varint longer than 10 bytes")


def fields(data: bytes) -> Iterator[tuple[int, int, Value]]:
    """(field number, wire type, raw value) of each field of one message, in wire order."""
    position = 0
    while position < len(data):
        key, position = read_varint(data, position)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0")
        value: Value
        if wire_type == VARINT:
            value, position = read_varint(data, position)
        elif wire_type == BYTES:
            length, position = read_varint(data, position)
            if position + length > len(data):
                raise ProtobufError(f"field {number} is truncated")
            value = data[position : position + length]
            position += length
        elif wire_type in (FIXED64, FIXED32):
            size = 8 if wire_type == FIXED64 else 4
            if position + size > len(data):
                raise ProtobufError(f"field {number} is truncated")
            value = int.from_bytes(data[position : position + size], "little")
            position += size
        else:
            raise ProtobufError(f"field {number} has unsupported wire type {wire_type}")
        yield number, wire_type, value


def packed_varints(data: bytes) -> list[int]:
    """The integers of a packed repeated field (proto3 style; Go's proto2 writes unpacked)."""
    out: list[int] = []
    position = 0
    while position < len(data):
        value, position = read_varint(data, position)
        out.append(value)
    return out


def signed(value: int) -> int:
    """A varint read as Go's int64 (negative int32 values are sign-extended to 64 bits)."""
    return value - _UINT64 if value >= 1 << 63 else value


def varint(value: int) -> bytes:
    """`value` as a varint; negative numbers take ten bytes, as Go writes them."""
    value %= _UINT64
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field_varint(number: int, value: int) -> bytes:
    return varint(number << 3 | VARINT) + varint(value)


def field_bytes(number: int, value: bytes) -> bytes:
    return varint(number << 3 | BYTES) + varint(len(value)) + value
