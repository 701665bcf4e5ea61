"""Kubernetes protobuf request bodies are decoded for the kinds kubectl creates that way."""

from __future__ import annotations

import pytest
from apiserver_harness import Api, api_for

from sandbox.apiserver.protobuf import MAGIC, ProtobufError, decode

PROTOBUF = "application/vnd.kubernetes.protobuf"


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field(number: int, payload: bytes | int | str) -> bytes:
    if isinstance(payload, int):
        return varint(number << 3) + varint(payload)
    data = payload.encode() if isinstance(payload, str) else payload
    return varint(number << 3 | 2) + varint(len(data)) + data


def envelope(api_version: str, kind: str, raw: bytes) -> bytes:
    type_meta = field(1, api_version) + field(2, kind)
    return MAGIC + field(1, type_meta) + field(2, raw)


def config_map(name: str, **data: str) -> bytes:
    meta = field(1, name) + field(2, "") + field(7, 0) + field(8, b"")
    entries = b"".join(field(2, field(1, k) + field(2, v)) for k, v in data.items())
    return envelope("v1", "ConfigMap", field(1, meta) + entries)


def test_zero_valued_fields_are_skipped_and_set_ones_decoded():
    assert decode(config_map("c", a="1", b="2")) == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c"},
        "data": {"a": "1", "b": "2"},
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            b"{}", "does not start with the Kubernetes protobuf prefix", id="not-protobuf"
        ),
        pytest.param(
            envelope("batch/v1", "Job", b""), "Job is not accepted as protobuf", id="kind"
        ),
        pytest.param(
            envelope("v1", "ConfigMap", b"\x0a\x09ab"), "field 1 is truncated", id="truncated"
        ),
    ],
)
def test_bodies_that_cannot_be_read_are_refused_with_a_reason(body, message):
    with pytest.raises(ProtobufError, match=message):
        decode(body)


def test_unknown_field_numbers_are_skipped_as_the_real_decoder_does():
    body = envelope("v1", "ConfigMap", field(1, field(1, "c")) + field(99, "x"))
    assert decode(body) == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}


@pytest.fixture
async def api():
    async with api_for() as api:
        yield api


async def test_a_protobuf_create_is_stored_like_a_json_one(api: Api):
    reply = await api.post(
        "/api/v1/namespaces/default/configmaps", config_map("c", a="1"), content_type=PROTOBUF
    )
    assert reply.status == 201
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.body["data"] == {"a": "1"}


async def test_an_unreadable_protobuf_body_is_a_bad_request(api: Api):
    body = envelope("v1", "ConfigMap", b"\x0a\x09ab")
    reply = await api.post("/api/v1/namespaces/default/configmaps", body, content_type=PROTOBUF)
    assert reply.status == 400
    assert reply.body["message"].startswith("the protobuf body could not be read: ")
    assert "field 1 is truncated" in reply.body["message"]
