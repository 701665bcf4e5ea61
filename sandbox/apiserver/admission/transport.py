"""POSTing an AdmissionReview to a webhook over HTTPS, as kube-apiserver's webhook client does.

`clientConfig.url` is called as given (its query dropped); `clientConfig.service` is called at
`https://<name>.<namespace>.svc:<port><path>` (port 443 by default) and verified against that
name, while the connection goes wherever the `resolve_service(namespace, name, port)`
callback says: the sandbox has no cluster DNS, so the REST layer resolves Services to local
endpoints. Server certificates are verified against the webhook's `caBundle`, or the system
roots without one. Each call carries `?timeout=<n>s` and is cut off after `timeoutSeconds`.
Failures are `CallingWebhookError`s worded like Go's `url.Error`
(`failed to call webhook: Post "https://...": dial tcp 127.0.0.1:1: connect: connection
refused`, `... context deadline exceeded`, `... x509: certificate signed by unknown authority`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import errno
import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from sandbox.apiserver.admission.errors import CallingWebhookError
from sandbox.apiserver.admission.hooks import Webhook
from sandbox.apiserver.tls import client_ssl_context

ResolveService = Callable[[str, str, int], str]
"""(namespace, name, port) -> base URL to connect to, e.g. `https://127.0.0.1:8443`."""

_HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, */*",
    "User-Agent": "kube-apiserver-admission",
}


@dataclass(frozen=True)
class Target:
    """Where a webhook call goes: the URL Go would name, and the socket address behind it."""

    url: str
    connect_url: str
    server_name: str | None
    host_header: str | None
    ca_bundle: bytes


def default_resolve_service(namespace: str, name: str, port: int) -> str:
    """Kubernetes' default resolver: the Service's cluster DNS name."""
    return f"https://{name}.{namespace}.svc:{port}"


def resolve_target(hook: Webhook, resolve_service: ResolveService | None) -> Target:
    """The URLs for a call, with `?timeout=` set as client-go sets it."""
    config = hook.client_config
    try:
        ca_bundle = base64.b64decode(config.get("caBundle") or "", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CallingWebhookError(hook.name, f"could not get REST client: {exc}") from exc
    query = f"?timeout={hook.timeout_seconds}s"
    service = config.get("service")
    if isinstance(service, dict):
        name, namespace = str(service.get("name", "")), str(service.get("namespace", ""))
        port = int(service.get("port") or 443)
        path = str(service.get("path") or "") or "/"
        server_name = f"{name}.{namespace}.svc"
        url = f"https://{server_name}:{port}{path}{query}"
        base = (resolve_service or default_resolve_service)(namespace, name, port)
        connect = urlsplit(base)
        connect_url = f"{connect.scheme}://{connect.netloc}{path}{query}"
        return Target(url, connect_url, server_name, f"{server_name}:{port}", ca_bundle)
    if not config.get("url"):
        reason = "webhook configuration must have either service or URL"
        raise CallingWebhookError(hook.name, f"could not get REST client: {reason}")
    parts = urlsplit(str(config["url"]))
    url = f"{parts.scheme}://{parts.netloc}{parts.path or '/'}{query}"
    return Target(url, url, None, None, ca_bundle)


@lru_cache(maxsize=64)
def _context(ca_bundle: bytes) -> ssl.SSLContext:
    return client_ssl_context(ca_bundle or None)


def _connect_error(exc: aiohttp.ClientConnectorError, target: Target) -> str:
    certificate_error = getattr(exc, "certificate_error", None)
    if isinstance(certificate_error, ssl.SSLCertVerificationError):
        if certificate_error.verify_code == 62:  # X509_V_ERR_HOSTNAME_MISMATCH
            host = target.server_name or exc.host
            return f"tls: failed to verify certificate: x509: certificate is not valid for {host}"
        return "tls: failed to verify certificate: x509: certificate signed by unknown authority"
    if isinstance(exc, aiohttp.ClientSSLError):
        return f"remote error: tls: {exc.os_error}"
    address = f"{exc.host}:{exc.port}"
    if exc.os_error.errno == errno.ECONNREFUSED:
        return f"dial tcp {address}: connect: connection refused"
    if isinstance(exc.os_error, OSError) and exc.os_error.errno in (None, 0, -2, -3, -5):
        return f"dial tcp: lookup {exc.host}: no such host"
    return f"dial tcp {address}: {exc.os_error.strerror or exc.os_error}"


def _status_error(code: int, raw: bytes) -> str:
    """client-go's error for a non-2xx answer: the Status message, or a generic sentence."""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("kind") == "Status" and body.get("message"):
        return str(body["message"])
    if code >= 500:
        text = raw.decode("utf-8", "replace").strip()
        return (
            f"an error on the server ({json.dumps(text)}) has prevented the request from succeeding"
        )
    return f"the server responded with the status code {code} but did not return more information"


async def post_review(
    hook: Webhook, review: dict[str, Any], *, resolve_service: ResolveService | None
) -> Any:
    """POST the review and return the decoded answer.

    Raises:
        CallingWebhookError: unreachable, timed out, TLS failure, non-2xx or undecodable answer.
    """
    target = resolve_target(hook, resolve_service)
    tls = urlsplit(target.connect_url).scheme == "https"
    try:
        context = _context(target.ca_bundle) if tls else None
    except ssl.SSLError as exc:
        reason = "unable to load root certificates: unable to parse bytes as PEM block"
        raise CallingWebhookError(hook.name, f"could not get REST client: {reason}") from exc
    headers = dict(_HEADERS)
    if target.host_header:
        headers["Host"] = target.host_header
    extra: dict[str, Any] = {"server_hostname": target.server_name} if target.server_name else {}

    def failed(detail: str) -> CallingWebhookError:
        return CallingWebhookError(
            hook.name, f'failed to call webhook: Post "{target.url}": {detail}'
        )

    try:
        async with (
            asyncio.timeout(hook.timeout_seconds),
            aiohttp.ClientSession() as session,
            session.post(
                target.connect_url,
                data=json.dumps(review).encode(),
                headers=headers,
                ssl=context if context is not None else True,
                **extra,
            ) as response,
        ):
            raw = await response.read()
            code = response.status
    except TimeoutError as exc:
        raise failed("context deadline exceeded") from exc
    except aiohttp.ClientConnectorError as exc:
        raise failed(_connect_error(exc, target)) from exc
    except aiohttp.ClientError as exc:
        raise failed(str(exc) or type(exc).__name__) from exc
    if not 200 <= code < 300:
        raise CallingWebhookError(hook.name, f"failed to call webhook: {_status_error(code, raw)}")
    try:
        return json.loads(raw)
    except ValueError as exc:
        detail = f"couldn't get version/kind; json parse error: {exc}"
        raise CallingWebhookError(hook.name, f"failed to call webhook: {detail}") from exc
