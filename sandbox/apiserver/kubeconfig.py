"""The kubeconfig that points clients at this emulator.

kubectl, the Python client and fabric8 all read the same file, so it is written once the
server listens and knows its port: the server URL, the CA certificate inline
(`certificate-authority-data`) when serving TLS, and the bearer token when one is
required. The file is replaced atomically and readable only by its owner, since it holds
the credential.
"""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml


def render(*, server: str, name: str, ca_pem: bytes | None, token: str | None) -> dict[str, Any]:
    cluster: dict[str, Any] = {"server": server}
    if ca_pem is not None:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode()
    user: dict[str, Any] = {"token": token} if token else {}
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": cluster}],
        "contexts": [
            {"name": name, "context": {"cluster": name, "user": name, "namespace": "default"}}
        ],
        "current-context": name,
        "users": [{"name": name, "user": user}],
        "preferences": {},
    }


def write(path: Path, config: dict[str, Any]) -> None:
    """Write atomically with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yaml.safe_dump(config, out, default_flow_style=False, sort_keys=False)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
