r"""Kubernetes protobuf bodies to and from the JSON objects they stand for.

kube-apiserver accepts `application/vnd.kubernetes.protobuf` wherever it accepts JSON, and
kubectl's typed commands (`create namespace|configmap|secret|serviceaccount|deployment|
service|role|rolebinding|clusterrole|clusterrolebinding|ingress|token`, `autoscale`, `auth
can-i`, `auth whoami`; not `run` nor `expose`, which send JSON) send their object that
way: the bytes `k8s\0`, then a `runtime.Unknown` whose `typeMeta` names the kind and
whose `raw` is the object in the protobuf encoding of the Go types. `decode_object` turns
such a body into the JSON object the server would have received had the client sent
JSON, so the request path continues as for JSON; `encode_object` is its inverse, for
tests and for clients that accept only protobuf.

The JSON follows Go's `encoding/json` where the wire allows it to: Go writes every field
of a non-pointer struct, set or not, so a plain field's zero value is left out (as
`omitempty` would), while a pointer field is on the wire only when set and is kept even
when zero (`replicas: 0`, `emptyDir: {}`). Fields whose number the tables do not know are
skipped, as Go's generated decoders skip them; a kind the tables do not cover, or bytes
that are not well-formed protobuf, raise `ProtobufError` with the path of the bad part.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sandbox.apiserver.protobuf import wire
from sandbox.apiserver.protobuf.messages import MESSAGES, ROOTS, Field, json_names
from sandbox.apiserver.protobuf.wire import ProtobufError, field_bytes, field_varint

MAGIC: Final = b"k8s\x00"
MEDIA_TYPE: Final = "application/vnd.kubernetes.protobuf"
SUPPORTED_KINDS: Final = frozenset(ROOTS)
"""The (apiVersion, kind) pairs a body may carry: resource kinds and their lists, `Status`,
`DeleteOptions`, and the review and token requests kubectl sends."""

Object = dict[str, Any]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_OBJECTS: Final = frozenset(ROOTS.values())
_TYPE_KEYS: Final = frozenset({"apiVersion", "kind"})


def decode_object(body: bytes) -> Object:
    """The JSON object a Kubernetes protobuf body stands for, apiVersion and kind first.

    Raises:
        ProtobufError: not a Kubernetes protobuf body, malformed, or of a kind not covered.
    """
    if not body.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf prefix")
    api_version, kind, raw = _envelope(body[len(MAGIC) :])
    message = ROOTS.get((api_version, kind))
    if message is None:
        described, version = kind or "an object without a kind", api_version or "no apiVersion"
        raise ProtobufError(f"{described} is not accepted as protobuf by this server ({version})")
    return {"apiVersion": api_version, "kind": kind, **decode_message(message, raw, path=kind)}


def encode_object(obj: Mapping[str, Any]) -> bytes:
    """`obj` as a Kubernetes protobuf body, as a Go client or server would write it.

    Raises:
        ProtobufError: a kind not covered, or a field the message does not have or whose
            value has the wrong JSON type.
    """
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        raise ProtobufError("the object needs a string apiVersion and kind")
    message = ROOTS.get((api_version, kind))
    if message is None:
        raise ProtobufError(f"{kind} ({api_version}) has no protobuf form in this server")
    raw = encode_message(message, obj, path=kind)
    type_meta = field_bytes(1, api_version.encode()) + field_bytes(2, kind.encode())
    envelope = field_bytes(1, type_meta) + field_bytes(2, raw)
    return MAGIC + envelope + field_bytes(3, b"") + field_bytes(4, b"")


def _envelope(data: bytes) -> tuple[str, str, bytes]:
    """apiVersion, kind and raw object of a `runtime.Unknown`."""
    parts: dict[int, bytes] = {}
    for number, wire_type, value in wire.fields(data):
        if number in (1, 2, 3, 4):
            parts[number] = _length_delimited(value, wire_type, where="Unknown")
    type_meta = decode_message("TypeMeta", parts.get(1, b""), path="Unknown.typeMeta")
    encoding = _text(parts.get(3, b""), where="Unknown.contentEncoding")
    content_type = _text(parts.get(4, b""), where="Unknown.contentType")
    if encoding:
        raise ProtobufError(f"content encoding {encoding!r} is not supported")
    if content_type not in ("", MEDIA_TYPE):
        raise ProtobufError(f"content type {content_type!r} is not supported inside protobuf")
    return type_meta.get("apiVersion", ""), type_meta.get("kind", ""), parts.get(2, b"")


def decode_message(name: str, data: bytes, *, path: str) -> Object:
    """One message as JSON; `path` (e.g. `Pod.spec`) prefixes error messages."""
    table = MESSAGES[name]
    out: Object = {}
    for number, wire_type, value in wire.fields(data):
        field = table.get(number)
        if field is None:
            continue  # Unknown to this release: skipped, as Go's decoders skip it.
        where = f"{path}.{field.name or field.kind}"
        if field.mapped:
            entry = _length_delimited(value, wire_type, where=where)
            key, item = _map_entry(field, entry, where=where)
            out.setdefault(field.name, {})[key] = item
        elif field.repeated:
            items = _repeated(field, wire_type=wire_type, value=value, where=where)
            out.setdefault(field.name, []).extend(items)
        elif field.inline:
            embedded = _length_delimited(value, wire_type, where=where)
            out.update(decode_message(field.kind, embedded, path=path))
        else:
            item = _value(field.kind, wire_type=wire_type, value=value, where=where)
            if item is None or (not field.pointer and _is_zero(item)):
                out.pop(field.name, None)
            else:
                out[field.name] = item
    for field in table.values():
        if field.always and field.name not in out:
            out[field.name] = [] if field.repeated else {}
    return out


def _is_zero(value: object) -> bool:
    return value in ("", 0, False) or value == {} or value == []


def _repeated(field: Field, *, wire_type: int, value: wire.Value, where: str) -> list[Any]:
    if field.kind in ("int", "bool") and isinstance(value, bytes):
        numbers = wire.packed_varints(value)  # Packed, as proto3 writers do.
        return [n != 0 if field.kind == "bool" else wire.signed(n) for n in numbers]
    return [_value(field.kind, wire_type=wire_type, value=value, where=where)]


def _map_entry(field: Field, data: bytes, *, where: str) -> tuple[str, Any]:
    key, item = "", None
    for number, wire_type, value in wire.fields(data):
        if number == 1:
            key = _text(_length_delimited(value, wire_type, where=where), where=where)
        elif number == 2:
            item = _value(field.kind, wire_type=wire_type, value=value, where=f"{where}[{key}]")
    if item is None:  # No value: the value type's zero value, as Go reads it.
        item = {"str": "", "bytes": "", "quantity": "0", "strlist": []}.get(field.kind, {})
    return key, item


def _value(kind: str, *, wire_type: int, value: wire.Value, where: str) -> Any:
    """One value of a field as JSON; None for a time left unset."""
    if kind in ("int", "bool"):
        if wire_type != wire.VARINT or not isinstance(value, int):
            raise ProtobufError(f"{where}: wrong wire type {wire_type} for a {kind}")
        return wire.signed(value) if kind == "int" else value != 0
    data = _length_delimited(value, wire_type, where=where)
    if kind == "str":
        return _text(data, where=where)
    if kind == "bytes":
        return base64.b64encode(data).decode()
    if kind == "time":
        return _time(data, where=where)
    if kind == "quantity":
        return _quantity(data, where=where)
    if kind == "intstr":
        return _int_or_string(data, where=where)
    if kind == "fields":
        return _fields_v1(data, where=where)
    if kind == "strlist":
        return _strings(data, where=where)
    return decode_message(kind, data, path=where)


def _length_delimited(value: wire.Value, wire_type: int, *, where: str) -> bytes:
    if wire_type != wire.BYTES or not isinstance(value, bytes):
        raise ProtobufError(f"{where}: wrong wire type {wire_type} for a length-delimited value")
    return value


def _text(data: bytes, *, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtobufError(f"{where}: invalid UTF-8 in a string") from exc


def _time(data: bytes, *, where: str) -> str | None:
    """metav1.Time as Go writes it in JSON: RFC 3339 in UTC, whole seconds (nanos are dropped)."""
    if not data:
        return None  # Go writes a zero time as an empty message and reads it back as unset.
    seconds = 0
    for number, wire_type, value in wire.fields(data):
        if number == 1:
            if wire_type != wire.VARINT or not isinstance(value, int):
                raise ProtobufError(f"{where}: wrong wire type {wire_type} in a timestamp")
            seconds = wire.signed(value)
    try:
        moment = _EPOCH + timedelta(seconds=seconds)
    except OverflowError as exc:
        raise ProtobufError(f"{where}: timestamp out of range") from exc
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def _quantity(data: bytes, *, where: str) -> str:
    text = "0"
    for number, wire_type, value in wire.fields(data):
        if number == 1:
            text = _text(_length_delimited(value, wire_type, where=where), where=where)
    if not text:
        raise ProtobufError(f"{where}: empty quantity")
    return text


def _int_or_string(data: bytes, *, where: str) -> int | str:
    fields: dict[int, wire.Value] = {n: v for n, _, v in wire.fields(data)}
    type_, number, text = fields.get(1, 0), fields.get(2, 0), fields.get(3, b"")
    if not isinstance(type_, int) or not isinstance(number, int) or not isinstance(text, bytes):
        raise ProtobufError(f"{where}: malformed IntOrString")
    return _text(text, where=where) if type_ == 1 else wire.signed(number)


def _fields_v1(data: bytes, *, where: str) -> Any:
    raw = b""
    for number, wire_type, value in wire.fields(data):
        if number == 1:
            raw = _length_delimited(value, wire_type, where=where)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ProtobufError(f"{where}: FieldsV1 is not JSON") from exc


def _strings(data: bytes, *, where: str) -> list[str]:
    return [
        _text(_length_delimited(value, wire_type, where=where), where=where)
        for number, wire_type, value in wire.fields(data)
        if number == 1
    ]


def encode_message(name: str, obj: object, *, path: str) -> bytes:
    """One message from its JSON; fields are written in field-number order, as Go does."""
    if not isinstance(obj, Mapping):
        raise ProtobufError(f"{path}: expected an object, not {_json_type(obj)}")
    ignored = _TYPE_KEYS if name in _OBJECTS else frozenset()
    unknown = sorted(set(obj) - json_names(name) - ignored)
    if unknown:
        raise ProtobufError(f"{path}.{unknown[0]}: {name} has no such field")
    out = bytearray()
    for field in sorted(MESSAGES[name].values()):
        if field.inline:
            embedded = {k: v for k, v in obj.items() if k in json_names(field.kind)}
            if embedded:
                out += field_bytes(field.number, encode_message(field.kind, embedded, path=path))
            continue
        value, where = obj.get(field.name), f"{path}.{field.name}"
        if value is None:
            continue
        if field.mapped:
            if not isinstance(value, Mapping):
                raise ProtobufError(f"{where}: expected an object, not {_json_type(value)}")
            for key in sorted(value):
                entry = field_bytes(1, str(key).encode())
                entry += _encode(field.kind, value[key], number=2, where=f"{where}[{key}]")
                out += field_bytes(field.number, entry)
        elif field.repeated:
            if not isinstance(value, list):
                raise ProtobufError(f"{where}: expected an array, not {_json_type(value)}")
            for index, item in enumerate(value):
                out += _encode(field.kind, item, number=field.number, where=f"{where}[{index}]")
        else:
            out += _encode(field.kind, value, number=field.number, where=where)
    return bytes(out)


def _encode(kind: str, value: object, *, number: int, where: str) -> bytes:
    """One field (key and value) from its JSON value."""
    if kind == "str" and isinstance(value, str):
        return field_bytes(number, value.encode())
    if kind == "bool" and isinstance(value, bool):
        return field_varint(number, int(value))
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return field_varint(number, value)
    if kind == "bytes" and isinstance(value, str):
        try:
            return field_bytes(number, base64.b64decode(value, validate=True))
        except binascii.Error as exc:
            raise ProtobufError(f"{where}: not base64") from exc
    if kind == "time" and isinstance(value, str):
        return field_bytes(number, _timestamp(value, where=where))
    if kind == "quantity" and isinstance(value, str | int | float) and not isinstance(value, bool):
        return field_bytes(number, field_bytes(1, str(value).encode()))
    if kind == "intstr" and isinstance(value, str):
        return field_bytes(
            number, field_varint(1, 1) + field_varint(2, 0) + field_bytes(3, value.encode())
        )
    if kind == "intstr" and isinstance(value, int) and not isinstance(value, bool):
        return field_bytes(
            number, field_varint(1, 0) + field_varint(2, value) + field_bytes(3, b"")
        )
    if kind == "fields" and isinstance(value, dict):
        raw = json.dumps(value, separators=(",", ":")).encode()
        return field_bytes(number, field_bytes(1, raw))
    if kind == "strlist" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return field_bytes(number, b"".join(field_bytes(1, v.encode()) for v in value))
    if kind[:1].isupper():
        return field_bytes(number, encode_message(kind, value, path=where))
    raise ProtobufError(f"{where}: expected {_EXPECTED.get(kind, kind)}, not {_json_type(value)}")


_EXPECTED: Final = {
    "str": "a string",
    "bool": "a boolean",
    "int": "an integer",
    "bytes": "a base64 string",
    "time": "an RFC 3339 time",
    "quantity": "a quantity",
    "intstr": "an integer or a string",
    "fields": "an object",
    "strlist": "an array of strings",
}


def _timestamp(text: str, *, where: str) -> bytes:
    """An RFC 3339 time as the Timestamp message Go writes for a metav1.Time."""
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as exc:
        raise ProtobufError(f"{where}: {text!r} is not an RFC 3339 time") from exc
    if moment.tzinfo is None:
        raise ProtobufError(f"{where}: {text!r} has no time zone")
    seconds = (moment - _EPOCH) // timedelta(seconds=1)
    return field_varint(1, seconds) + field_varint(2, 0)


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    names = {str: "a string", int: "a number", float: "a number", list: "an array"}
    return "null" if value is None else names.get(type(value), "an object")
