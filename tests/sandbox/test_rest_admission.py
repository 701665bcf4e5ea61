"""Admission webhooks registered through the API are called on writes through the API."""

from __future__ import annotations

import base64
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from apiserver_harness import Api, api_for, configmap

from sandbox.apiserver.tls import CertificateAuthority, server_ssl_context

CMS = "/api/v1/namespaces/default/configmaps"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Webhook:
    """An HTTPS webhook: labels configmaps on /mutate, refuses `deny: "yes"` on /validate."""

    def __init__(self) -> None:
        self.ca = CertificateAuthority.create("webhook-ca")
        self.port = free_port()
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def handle(self, request: web.Request) -> web.Response:
        review = await request.json()
        req = review["request"]
        self.calls.append((request.path, req))
        response: dict[str, Any] = {"uid": req["uid"], "allowed": True}
        obj = req.get("object") or {}
        if request.path == "/mutate" and req["operation"] == "CREATE":
            patch = [{"op": "add", "path": "/metadata/labels", "value": {"mutated": "yes"}}]
            response["patchType"] = "JSONPatch"
            response["patch"] = base64.b64encode(json.dumps(patch).encode()).decode()
        if request.path == "/validate" and (obj.get("data") or {}).get("deny") == "yes":
            response["allowed"] = False
            response["status"] = {"code": 403, "reason": "Forbidden", "message": "denied by test"}
        body = {
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "response": response,
        }
        return web.json_response(body)

    def config(self, kind: str, path: str) -> dict[str, Any]:
        return {
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": kind,
            "metadata": {"name": path},
            "webhooks": [
                {
                    "name": f"{path}.example.com",
                    "clientConfig": {
                        "url": f"https://127.0.0.1:{self.port}/{path}",
                        "caBundle": base64.b64encode(self.ca.cert_pem).decode(),
                    },
                    "rules": [
                        {
                            "apiGroups": [""],
                            "apiVersions": ["v1"],
                            "operations": ["CREATE", "UPDATE"],
                            "resources": ["configmaps"],
                        }
                    ],
                    "sideEffects": "None",
                    "admissionReviewVersions": ["v1"],
                }
            ],
        }


@pytest.fixture
async def webhook() -> AsyncIterator[Webhook]:
    hook = Webhook()
    app = web.Application()
    app.router.add_post("/{path}", hook.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    cert, key = hook.ca.issue(["127.0.0.1"])
    site = web.TCPSite(runner, "127.0.0.1", hook.port, ssl_context=server_ssl_context(cert, key))
    await site.start()
    yield hook
    await runner.cleanup()


@pytest.fixture
async def api(webhook: Webhook) -> AsyncIterator[Api]:
    async with api_for() as api:
        mutating = webhook.config("MutatingWebhookConfiguration", "mutate")
        validating = webhook.config("ValidatingWebhookConfiguration", "validate")
        base = "/apis/admissionregistration.k8s.io/v1"
        assert (await api.post(f"{base}/mutatingwebhookconfigurations", mutating)).status == 201
        assert (await api.post(f"{base}/validatingwebhookconfigurations", validating)).status == 201
        yield api


async def test_mutating_webhooks_change_created_objects(api: Api, webhook: Webhook):
    reply = await api.post(CMS, configmap("a"))
    assert reply.status == 201
    assert reply.body["metadata"]["labels"] == {"mutated": "yes"}
    assert [path for path, _ in webhook.calls] == ["/mutate", "/validate"]
    validated = webhook.calls[1][1]
    assert validated["object"]["metadata"]["labels"] == {"mutated": "yes"}


async def test_validating_webhooks_can_refuse_a_write(api: Api, webhook: Webhook):
    reply = await api.post(CMS, configmap("a", deny="yes"))
    assert reply.status == 403
    assert reply.body["message"] == (
        'admission webhook "validate.example.com" denied the request: denied by test'
    )
    assert (await api.get(f"{CMS}/a")).status == 404


async def test_updates_send_the_old_object(api: Api, webhook: Webhook):
    await api.post(CMS, configmap("a", x="1"))
    await api.patch(f"{CMS}/a", {"data": {"x": "2"}}, content_type="application/merge-patch+json")
    update = [req for _, req in webhook.calls if req["operation"] == "UPDATE"][-1]
    assert update["oldObject"]["data"] == {"x": "1"}
    assert update["object"]["data"] == {"x": "2"}
