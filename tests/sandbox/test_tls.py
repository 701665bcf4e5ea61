"""The sandbox CA issues certificates that real TLS stacks accept, and only for their hosts."""

import ipaddress
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp import web
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sandbox.apiserver.tls import CertificateAuthority, client_ssl_context, server_ssl_context


@pytest.fixture(scope="module")
def ca() -> CertificateAuthority:
    return CertificateAuthority.create("sandbox-test-ca")


@asynccontextmanager
async def https_server(
    context: ssl.SSLContext,
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]] | None = None,
) -> AsyncIterator[int]:
    """An aiohttp HTTPS server on 127.0.0.1; yields its port."""

    async def hello(request: web.Request) -> web.Response:
        peer = request.transport.get_extra_info("peercert") if request.transport else None
        subject = dict(item[0] for item in peer["subject"]) if peer else {}
        return web.json_response({"hello": "world", "client": subject.get("commonName", "")})

    app = web.Application()
    app.router.add_get("/", handler or hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    try:
        sockets = site._server.sockets  # type: ignore[union-attr]
        yield sockets[0].getsockname()[1]
    finally:
        await runner.cleanup()


async def fetch(url: str, context: ssl.SSLContext) -> dict[str, str]:
    async with aiohttp.ClientSession() as session, session.get(url, ssl=context) as response:
        body: dict[str, str] = await response.json()
        return body


def test_serving_certificate_names_every_host_as_a_san(ca: CertificateAuthority) -> None:
    cert_pem, key_pem = ca.issue(["webhook.default.svc", "localhost", "127.0.0.1", "::1"])
    cert = x509.load_pem_x509_certificate(cert_pem)
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["webhook.default.svc", "localhost"]
    assert sans.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("127.0.0.1"),
        ipaddress.ip_address("::1"),
    ]
    assert cert.issuer == ca.certificate.subject
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in usage
    assert key_pem.startswith(b"-----BEGIN EC PRIVATE KEY-----")


def test_ca_certificate_is_a_ca(ca: CertificateAuthority) -> None:
    constraints = ca.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca
    assert ca.cert_pem.startswith(b"-----BEGIN CERTIFICATE-----")


def test_issue_needs_a_host(ca: CertificateAuthority) -> None:
    with pytest.raises(ValueError, match="at least one host"):
        ca.issue([])


def test_client_certificate_carries_user_and_groups(ca: CertificateAuthority) -> None:
    cert_pem, _ = ca.issue_client("alice", ["system:masters", "dev"], key_algorithm="rsa")
    subject = x509.load_pem_x509_certificate(cert_pem).subject
    assert [a.value for a in subject.get_attributes_for_oid(NameOID.COMMON_NAME)] == ["alice"]
    groups = [a.value for a in subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    assert groups == ["system:masters", "dev"]


def test_loaded_ca_issues_certificates_the_original_trusts(ca: CertificateAuthority) -> None:
    loaded = CertificateAuthority.load(ca.cert_pem, ca.key_pem)
    cert = x509.load_pem_x509_certificate(loaded.issue(["localhost"])[0])
    cert.verify_directly_issued_by(ca.certificate)


async def test_https_server_is_trusted_by_a_client_given_the_ca(ca: CertificateAuthority) -> None:
    cert_pem, key_pem = ca.issue(["127.0.0.1", "localhost"])
    async with https_server(server_ssl_context(cert_pem, key_pem)) as port:
        body = await fetch(f"https://127.0.0.1:{port}/", client_ssl_context(ca.cert_pem))
        assert body["hello"] == "world"
        body = await fetch(f"https://localhost:{port}/", client_ssl_context(ca.cert_pem))
        assert body["hello"] == "world"


@pytest.mark.parametrize(
    "trust",
    [
        pytest.param(lambda: CertificateAuthority.create("other").cert_pem, id="another-ca"),
        pytest.param(lambda: None, id="system-roots"),
    ],
)
async def test_https_server_is_refused_without_its_ca(
    ca: CertificateAuthority, trust: Callable[[], bytes | None]
) -> None:
    cert_pem, key_pem = ca.issue(["127.0.0.1"])
    async with https_server(server_ssl_context(cert_pem, key_pem)) as port:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await fetch(f"https://127.0.0.1:{port}/", client_ssl_context(trust()))


async def test_certificate_is_refused_for_a_host_it_does_not_name(
    ca: CertificateAuthority,
) -> None:
    cert_pem, key_pem = ca.issue(["webhook.default.svc"])
    async with https_server(server_ssl_context(cert_pem, key_pem)) as port:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await fetch(f"https://127.0.0.1:{port}/", client_ssl_context(ca.cert_pem))


async def test_server_verifies_client_certificates_from_its_client_ca(
    ca: CertificateAuthority,
) -> None:
    cert_pem, key_pem = ca.issue(["127.0.0.1"])
    client_cert, client_key = ca.issue_client("alice", ["dev"])
    context = server_ssl_context(cert_pem, key_pem, client_ca_pem=ca.cert_pem)
    async with https_server(context) as port:
        url = f"https://127.0.0.1:{port}/"
        with_cert = client_ssl_context(ca.cert_pem, cert_pem=client_cert, key_pem=client_key)
        assert (await fetch(url, with_cert))["client"] == "alice"
        assert (await fetch(url, client_ssl_context(ca.cert_pem)))["client"] == ""
