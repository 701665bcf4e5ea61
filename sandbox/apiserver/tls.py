"""A throwaway certificate authority, and the SSL contexts that serve and trust its certificates.

The emulator serves HTTPS with a serving certificate issued here (kubeconfigs carry the CA as
`certificate-authority-data`), may hand out client certificates whose subject names a user and
its groups (`CN=user, O=group`, as kube-apiserver reads them), and tests run admission webhook
servers whose certificates the webhook configuration's `caBundle` must verify. Everything is in
memory and PEM-encoded, because PEM is what kubeconfigs, `caBundle` and Python's `ssl` module
exchange; `ssl` can only load a certificate chain from files, so `server_ssl_context` writes
them to a private temporary directory for the moment it takes to load them. Keys are ECDSA
P-256 unless RSA is asked for: fast to generate and accepted by Go, Python and Java clients.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KeyAlgorithm = Literal["ec", "rsa"]
PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

# Certificates start an hour in the past so that a client whose clock lags still accepts them.
_BACKDATE = timedelta(hours=1)


def _new_key(algorithm: KeyAlgorithm) -> PrivateKey:
    if algorithm == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _subject_alt_names(hosts: Sequence[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


class CertificateAuthority:
    """A self-signed CA that issues serving and client certificates."""

    def __init__(self, *, certificate: x509.Certificate, key: PrivateKey) -> None:
        self.certificate = certificate
        self.key = key

    @classmethod
    def create(
        cls, name: str, *, valid_for: timedelta = timedelta(days=3650)
    ) -> CertificateAuthority:
        """A new CA whose subject and issuer are `CN=<name>`."""
        key = _new_key("ec")
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.now(UTC)
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(now + valid_for)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(ski, critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(certificate=certificate, key=key)

    @classmethod
    def load(cls, cert_pem: bytes, key_pem: bytes) -> CertificateAuthority:
        """A CA from a PEM certificate and its unencrypted PEM private key."""
        key = serialization.load_pem_private_key(key_pem, password=None)
        if not isinstance(key, PrivateKey):
            raise ValueError("the CA key must be an EC or RSA private key")
        return cls(certificate=x509.load_pem_x509_certificate(cert_pem), key=key)

    @property
    def cert_pem(self) -> bytes:
        """The CA certificate: a kubeconfig's `certificate-authority-data`, or a `caBundle`."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return _key_pem(self.key)

    def issue(
        self,
        hosts: list[str],
        *,
        valid_for: timedelta = timedelta(days=365),
        key_algorithm: KeyAlgorithm = "ec",
    ) -> tuple[bytes, bytes]:
        """A serving certificate for DNS names and IP addresses: (cert_pem, key_pem).

        Every host becomes a subjectAltName (an IP address when it parses as one); the first
        is also the common name. Go and Python verify against the SANs only.
        """
        if not hosts:
            raise ValueError("a serving certificate needs at least one host")
        return self._issue(
            subject=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]),
            usage=ExtendedKeyUsageOID.SERVER_AUTH,
            alt_names=_subject_alt_names(hosts),
            valid_for=valid_for,
            key_algorithm=key_algorithm,
        )

    def issue_client(
        self,
        user: str,
        groups: Sequence[str] = (),
        *,
        valid_for: timedelta = timedelta(days=365),
        key_algorithm: KeyAlgorithm = "ec",
    ) -> tuple[bytes, bytes]:
        """A client certificate for `user` in `groups` (CN and O, as kube-apiserver reads them)."""
        attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, g) for g in groups]
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, user))
        return self._issue(
            subject=x509.Name(attributes),
            usage=ExtendedKeyUsageOID.CLIENT_AUTH,
            alt_names=[],
            valid_for=valid_for,
            key_algorithm=key_algorithm,
        )

    def _issue(
        self,
        *,
        subject: x509.Name,
        usage: x509.ObjectIdentifier,
        alt_names: list[x509.GeneralName],
        valid_for: timedelta,
        key_algorithm: KeyAlgorithm,
    ) -> tuple[bytes, bytes]:
        key = _new_key(key_algorithm)
        now = datetime.now(UTC)
        ca_ski = self.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(now + valid_for)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=key_algorithm == "rsa",
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski.value),
                critical=False,
            )
        )
        if alt_names:
            builder = builder.add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        certificate = builder.sign(self.key, hashes.SHA256())
        return certificate.public_bytes(serialization.Encoding.PEM), _key_pem(key)


def _load_chain(context: ssl.SSLContext, cert_pem: bytes, key_pem: bytes) -> None:
    """Load a PEM certificate and key, which `ssl` reads only from files."""
    with tempfile.TemporaryDirectory(prefix="sandbox-tls-") as directory:
        cert_path, key_path = Path(directory, "tls.crt"), Path(directory, "tls.key")
        cert_path.write_bytes(cert_pem)
        # The key file is created private before anything is written to it.
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as key_file:
            key_file.write(key_pem)
        context.load_cert_chain(cert_path, key_path)


def server_ssl_context(
    cert_pem: bytes, key_pem: bytes, *, client_ca_pem: bytes | None = None
) -> ssl.SSLContext:
    """A server context presenting `cert_pem` (TLS 1.2 or later).

    With `client_ca_pem`, client certificates signed by that CA are requested and verified but
    not required, as kube-apiserver does with `--client-ca-file`.
    """
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    _load_chain(context, cert_pem, key_pem)
    if client_ca_pem is not None:
        context.load_verify_locations(cadata=client_ca_pem.decode("ascii"))
        context.verify_mode = ssl.CERT_OPTIONAL
    return context


def client_ssl_context(
    ca_pem: bytes | None = None,
    *,
    cert_pem: bytes | None = None,
    key_pem: bytes | None = None,
) -> ssl.SSLContext:
    """A client context that verifies servers (and host names) against `ca_pem`.

    Without `ca_pem` the system's trust roots are used, as kube-apiserver does for a webhook
    with no `caBundle`. `cert_pem` and `key_pem` add a client certificate.
    """
    cadata = None if ca_pem is None else ca_pem.decode("ascii")
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cadata=cadata)
    if cert_pem is not None and key_pem is not None:
        _load_chain(context, cert_pem, key_pem)
    return context
