"""Settings of one emulator instance: where it listens, what it keeps, how it behaves.

The CLI builds a `ServerConfig` from its flags and tests build one directly; nothing else
reads the environment or the command line. Durations that tests shorten (bookmarks,
server-side watch timeouts) are settings rather than constants for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sandbox.apiserver.builtin_schemas import EMULATED_RELEASE


@dataclass(frozen=True)
class ServerConfig:
    """Everything `server.create_app` and `server.ApiServer` need.

    Attributes:
        host: the address to bind; loopback by default, as the emulator has no real auth.
        port: 0 picks a free port (read it back from `ApiServer.port`).
        data_dir: keep objects there across restarts (snapshot plus append log); also the
            default home of pod logs (`logs/`) and of the TLS material (`pki/`).
        kubeconfig: write a kubeconfig for this server there once it listens.
        tls: serve HTTPS with a certificate from a self-signed CA.
        token: require `Authorization: Bearer <token>` on every request but /healthz etc.
        history_size: watch events kept for resuming watches (older: 410 Expired).
        bookmark_interval: how often an idle watch with bookmarks gets a BOOKMARK.
        min_request_timeout: server-side watch timeout is random in [this, twice this), as
            kube-apiserver's `--min-request-timeout`, when the client sends none.
        logs_dir: pod logs in kubelet's layout (`<ns>_<pod>_<uid>/<container>/<n>.log`).
        release: the Kubernetes version reported by /version.
    """

    host: str = "127.0.0.1"
    port: int = 0
    data_dir: Path | None = None
    kubeconfig: Path | None = None
    tls: bool = False
    token: str | None = None
    history_size: int = 10_000
    bookmark_interval: timedelta = timedelta(minutes=1)
    min_request_timeout: timedelta = timedelta(minutes=30)
    logs_dir: Path | None = None
    release: str = EMULATED_RELEASE
    context_name: str = "sandbox"
    extra_hosts: tuple[str, ...] = field(default=())

    @property
    def effective_logs_dir(self) -> Path | None:
        if self.logs_dir is not None:
            return self.logs_dir
        return self.data_dir / "logs" if self.data_dir is not None else None
