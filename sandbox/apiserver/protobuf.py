r"""Kubernetes protobuf request bodies, decoded into JSON for the kinds kubectl creates that way.

kubectl's typed commands (`create namespace`, `create configmap`, `create secret`,
`create serviceaccount`, `create deployment`, `auth can-i`) send their object as
`application/vnd.kubernetes.protobuf`: the bytes `k8s\0`, then a `runtime.Unknown` whose
`typeMeta` names the kind and whose `raw` is the object in the protobuf encoding of the Go
types. The emulator reads those bodies and nothing more: the tables below name the fields
of the messages involved, by their field numbers. Go writes every field of a non-pointer
struct, set or not, so a field missing from a table is skipped when it holds a zero value
(nothing is lost) and refused when it holds anything else, with a message that says so:
a request is never misread silently. Responses are always JSON, which every client accepts.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

MAGIC: Final = b"k8s\x00"
MEDIA_TYPE: Final = "application/vnd.kubernetes.protobuf"

Field = tuple[str, str, bool]
"""(JSON name, type, repeated); type is a scalar name or `msg:<Message>`/`map:<value type>`.

`optint` is an integer behind a Go pointer: present on the wire only when set, so a zero is
kept, where a plain `int` zero is an unset value and left out."""

_META: Final[dict[int, Field]] = {1: ("metadata", "msg:ObjectMeta", False)}
MESSAGES: Final[dict[str, dict[int, Field]]] = {
    "Unknown": {1: ("typeMeta", "msg:TypeMeta", False), 2: ("raw", "raw", False)},
    "TypeMeta": {1: ("apiVersion", "string", False), 2: ("kind", "string", False)},
    "ObjectMeta": {
        1: ("name", "string", False),
        2: ("generateName", "string", False),
        3: ("namespace", "string", False),
        5: ("uid", "string", False),
        6: ("resourceVersion", "string", False),
        7: ("generation", "int", False),
        8: ("creationTimestamp", "time", False),
        10: ("deletionGracePeriodSeconds", "optint", False),
        11: ("labels", "map:string", False),
        12: ("annotations", "map:string", False),
        13: ("ownerReferences", "msg:OwnerReference", True),
        14: ("finalizers", "string", True),
    },
    "OwnerReference": {
        1: ("kind", "string", False),
        3: ("name", "string", False),
        4: ("uid", "string", False),
        5: ("apiVersion", "string", False),
        6: ("controller", "bool", False),
        7: ("blockOwnerDeletion", "bool", False),
    },
    "Namespace": {
        **_META,
        2: ("spec", "msg:NamespaceSpec", False),
        3: ("status", "msg:NamespaceStatus", False),
    },
    "NamespaceSpec": {1: ("finalizers", "string", True)},
    "NamespaceStatus": {1: ("phase", "string", False)},
    "ConfigMap": {
        **_META,
        2: ("data", "map:string", False),
        3: ("binaryData", "map:bytes", False),
        4: ("immutable", "bool", False),
    },
    "Secret": {
        **_META,
        2: ("data", "map:bytes", False),
        3: ("type", "string", False),
        4: ("stringData", "map:string", False),
        5: ("immutable", "bool", False),
    },
    "ServiceAccount": {
        **_META,
        2: ("secrets", "msg:ObjectReference", True),
        3: ("imagePullSecrets", "msg:LocalObjectReference", True),
        4: ("automountServiceAccountToken", "bool", False),
    },
    "ObjectReference": {
        1: ("kind", "string", False),
        2: ("namespace", "string", False),
        3: ("name", "string", False),
        4: ("uid", "string", False),
        5: ("apiVersion", "string", False),
    },
    "LocalObjectReference": {1: ("name", "string", False)},
    "Deployment": {
        **_META,
        2: ("spec", "msg:DeploymentSpec", False),
        3: ("status", "msg:Empty", False),
    },
    "Empty": {},
    "DeploymentSpec": {
        1: ("replicas", "optint", False),
        2: ("selector", "msg:LabelSelector", False),
        3: ("template", "msg:PodTemplateSpec", False),
        4: ("strategy", "msg:DeploymentStrategy", False),
        5: ("minReadySeconds", "int", False),
        6: ("revisionHistoryLimit", "optint", False),
        7: ("paused", "bool", False),
        9: ("progressDeadlineSeconds", "optint", False),
    },
    "DeploymentStrategy": {
        1: ("type", "string", False),
        2: ("rollingUpdate", "msg:RollingUpdateDeployment", False),
    },
    "RollingUpdateDeployment": {
        1: ("maxUnavailable", "intorstring", False),
        2: ("maxSurge", "intorstring", False),
    },
    "LabelSelector": {
        1: ("matchLabels", "map:string", False),
        2: ("matchExpressions", "msg:LabelSelectorRequirement", True),
    },
    "LabelSelectorRequirement": {
        1: ("key", "string", False),
        2: ("operator", "string", False),
        3: ("values", "string", True),
    },
    "PodTemplateSpec": {**_META, 2: ("spec", "msg:PodSpec", False)},
    "PodSpec": {
        2: ("containers", "msg:Container", True),
        3: ("restartPolicy", "string", False),
        4: ("terminationGracePeriodSeconds", "optint", False),
        6: ("dnsPolicy", "string", False),
        7: ("nodeSelector", "map:string", False),
        8: ("serviceAccountName", "string", False),
        10: ("nodeName", "string", False),
        20: ("initContainers", "msg:Container", True),
    },
    "Container": {
        1: ("name", "string", False),
        2: ("image", "string", False),
        3: ("command", "string", True),
        4: ("args", "string", True),
        5: ("workingDir", "string", False),
        6: ("ports", "msg:ContainerPort", True),
        7: ("env", "msg:EnvVar", True),
        8: ("resources", "msg:ResourceRequirements", False),
        14: ("imagePullPolicy", "string", False),
    },
    "ContainerPort": {
        1: ("name", "string", False),
        2: ("hostPort", "int", False),
        3: ("containerPort", "int", False),
        4: ("protocol", "string", False),
        5: ("hostIP", "string", False),
    },
    "EnvVar": {1: ("name", "string", False), 2: ("value", "string", False)},
    "ResourceRequirements": {
        1: ("limits", "map:quantity", False),
        2: ("requests", "map:quantity", False),
    },
}
ROOTS: Final = frozenset({"Namespace", "ConfigMap", "Secret", "ServiceAccount", "Deployment"})
# Reviews are answered whatever they ask (see `reviews.py`): their bodies need no reading.
UNREAD: Final = frozenset(
    {"SelfSubjectAccessReview", "SelfSubjectReview", "SelfSubjectRulesReview"}
)


class ProtobufError(ValueError):
    """A body this server cannot read; the message says which part."""


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data):
            raise ProtobufError("truncated varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) of every field of one message."""
    out: list[tuple[int, int, int | bytes]] = []
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, position = _varint(data, position)
        elif wire == 2:
            length, position = _varint(data, position)
            value = data[position : position + length]
            position += length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value = int.from_bytes(data[position : position + size], "little")
            position += size
        else:
            raise ProtobufError(f"unsupported wire type {wire}")
        out.append((number, wire, value))
    return out


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _map_entry(raw: bytes, value_type: str) -> tuple[str, Any]:
    entry = {number: value for number, _, value in _fields(raw)}
    key = entry.get(1, b"")
    value = entry.get(2, b"")
    if not isinstance(key, bytes) or not isinstance(value, bytes):
        raise ProtobufError("malformed map entry")
    if value_type == "bytes":
        return key.decode(), base64.b64encode(value).decode()
    if value_type == "quantity":
        inner = {number: v for number, _, v in _fields(value)}
        text = inner.get(1, b"")
        return key.decode(), text.decode() if isinstance(text, bytes) else ""
    return key.decode(), value.decode()


_SCALARS: Final[dict[str, Callable[[int | bytes], Any]]] = {
    "string": lambda v: v.decode() if isinstance(v, bytes) else str(v),
    "int": lambda v: _signed(v) if isinstance(v, int) else 0,
    "optint": lambda v: _signed(v) if isinstance(v, int) else 0,
    "bool": lambda v: bool(v),
}


def _intorstring(raw: bytes) -> int | str:
    fields = {number: value for number, _, value in _fields(raw)}
    if fields.get(1, 0) == 1:
        text = fields.get(3, b"")
        return text.decode() if isinstance(text, bytes) else ""
    number = fields.get(2, 0)
    return _signed(number) if isinstance(number, int) else 0


def _time(raw: bytes) -> str | None:
    fields = {number: value for number, _, value in _fields(raw)}
    seconds = fields.get(1, 0)
    if not isinstance(seconds, int) or not seconds:
        return None
    return datetime.fromtimestamp(_signed(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _zero(value: int | bytes) -> bool:
    return value in (0, b"")


def decode_message(name: str, data: bytes) -> dict[str, Any]:
    """One message as JSON; zero-valued fields are left out, as `omitempty` would."""
    table = MESSAGES[name]
    out: dict[str, Any] = {}
    for number, _, value in _fields(data):
        field = table.get(number)
        if field is None:
            if _zero(value) or (isinstance(value, bytes) and not any(value)):
                continue
            raise ProtobufError(f"field {number} of {name} is not supported in protobuf bodies")
        json_name, kind, repeated = field
        decoded = _value(kind, value)
        if decoded is None:
            continue
        if kind.startswith("map:"):
            out.setdefault(json_name, {}).update([decoded])
        elif repeated:
            out.setdefault(json_name, []).append(decoded)
        elif kind == "optint" or decoded not in ("", 0, False, {}):
            # Pointer fields (`optint`) are on the wire only when set, zero included.
            out[json_name] = decoded
    return out


def _value(kind: str, value: int | bytes) -> Any:
    if kind in _SCALARS:
        return _SCALARS[kind](value)
    if not isinstance(value, bytes):
        raise ProtobufError(f"expected a length-delimited {kind}")
    if kind.startswith("map:"):
        return _map_entry(value, kind[4:])
    if kind.startswith("msg:"):
        return decode_message(kind[4:], value)
    if kind == "time":
        return _time(value)
    if kind == "intorstring":
        return _intorstring(value)
    return value


def decode(body: bytes) -> dict[str, Any]:
    """A Kubernetes protobuf body as the JSON object it stands for.

    Raises:
        ProtobufError: not a Kubernetes protobuf body, or one of a kind or with fields the
            tables do not cover.
    """
    if not body.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf prefix")
    envelope = {number: value for number, _, value in _fields(body[len(MAGIC) :])}
    type_meta = envelope.get(1, b"")
    raw = envelope.get(2, b"")
    if not isinstance(type_meta, bytes) or not isinstance(raw, bytes):
        raise ProtobufError("malformed envelope")
    meta = decode_message("TypeMeta", type_meta)
    kind = str(meta.get("kind", ""))
    if kind in UNREAD:
        return {"apiVersion": meta.get("apiVersion", ""), "kind": kind}
    if kind not in ROOTS:
        raise ProtobufError(f"{kind or 'this kind'} is not accepted as protobuf by this server")
    return {"apiVersion": meta.get("apiVersion", ""), "kind": kind, **decode_message(kind, raw)}
