"""Bearer-token authentication: the one credential the emulator knows.

With a token configured, every request must carry `Authorization: Bearer <token>` or it
gets kube-apiserver's 401 `Unauthorized` Status. As on a real cluster, `/version` and the
health endpoints stay readable without credentials (the `system:public-info-viewer` role),
which also lets kubectl's version dispatcher pick its binary. There is no authorization:
an authenticated client may do everything, like a cluster admin.
"""

from __future__ import annotations

import hmac
from typing import Final

from aiohttp import web

from sandbox.apiserver import errors

PUBLIC_PATHS: Final = frozenset({"/version", "/healthz", "/livez", "/readyz"})


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(("/healthz/", "/livez/", "/readyz/"))


def authenticated(request: web.Request, token: str | None) -> bool:
    """Whether the request may proceed: no token configured, a public path, or the token."""
    if token is None or is_public(request.path):
        return True
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(value.strip().encode(), token.encode())


def check(request: web.Request, token: str | None) -> None:
    if not authenticated(request, token):
        raise errors.unauthorized()
