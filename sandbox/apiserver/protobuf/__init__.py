r"""Kubernetes protobuf (`application/vnd.kubernetes.protobuf`) bodies as JSON objects, and back.

The REST layer calls `decode_object` on a request body whose Content-Type is the protobuf
media type and then handles the result exactly as a JSON body; `encode_object` writes the
protobuf form for tests and for clients that accept nothing else. `SUPPORTED_KINDS` names
the (apiVersion, kind) pairs covered. Layers: `wire` (the protobuf wire format),
`messages` (descriptors parsed from the per-group tables), `codec` (the conversion).

`decode` is the older name of `decode_object`.
"""

from sandbox.apiserver.protobuf.codec import (
    MAGIC,
    MEDIA_TYPE,
    SUPPORTED_KINDS,
    decode_object,
    encode_object,
)
from sandbox.apiserver.protobuf.wire import ProtobufError

decode = decode_object

__all__ = [
    "MAGIC",
    "MEDIA_TYPE",
    "SUPPORTED_KINDS",
    "ProtobufError",
    "decode",
    "decode_object",
    "encode_object",
]
