"""`python -m sandbox ...`: the sandbox's command line (the API server emulator, controllers).

`python -m sandbox apiserver --port 0 --data-dir D --kubeconfig F [--tls] [--token T]`
runs the emulator until SIGINT or SIGTERM, then saves the store and exits 0. Once it
listens it writes one JSON line to stdout, `{"url": ..., "port": ..., "kubeconfig": ...}`,
which is what a parent process (the operator's `flinkop sandbox`) waits for; logs go to
stderr as JSON lines. `python -m sandbox controllers --kubeconfig F` runs the workload
controllers (Deployment, ReplicaSet, Endpoints) against that server until SIGINT or SIGTERM.
This is a process entry point: the only place that configures logging.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from sandbox.apiserver.config import ServerConfig
from sandbox.apiserver.faults import FaultPolicy
from sandbox.apiserver.server import ApiServer
from sandbox.controllers.manager import run_from_kubeconfig

_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({})))


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        body.update({k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS})
        if record.exc_info:
            body["exception"] = self.formatException(record.exc_info)
        return json.dumps(body, default=str)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="flinkop sandbox", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    api = commands.add_parser("apiserver", help="run the Kubernetes API server emulator")
    api.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    api.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    api.add_argument("--data-dir", type=Path, help="keep objects here across restarts")
    api.add_argument("--kubeconfig", type=Path, help="write a kubeconfig for this server here")
    api.add_argument("--tls", action="store_true", help="serve HTTPS (self-signed CA)")
    api.add_argument("--token", help="require this bearer token (generated with --tls)")
    api.add_argument("--logs-dir", type=Path, help="pod logs (default: DATA_DIR/logs)")
    api.add_argument("--history-size", type=int, default=10_000, help="watch events kept")
    api.add_argument(
        "--bookmark-interval", type=float, default=60.0, help="seconds between watch bookmarks"
    )
    api.add_argument("--faults", help="initial fault policy, JSON text or @file")
    api.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    ctl = commands.add_parser("controllers", help="run the workload controllers against a server")
    ctl.add_argument("--kubeconfig", type=Path, required=True, help="the API server to manage")
    ctl.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return parser


def _config(args: argparse.Namespace) -> ServerConfig:
    return ServerConfig(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        kubeconfig=args.kubeconfig,
        tls=args.tls,
        token=args.token,
        logs_dir=args.logs_dir,
        history_size=args.history_size,
        bookmark_interval=timedelta(seconds=args.bookmark_interval),
    )


def _fault_policy(text: str | None) -> FaultPolicy | None:
    if not text:
        return None
    raw = Path(text[1:]).read_text(encoding="utf-8") if text.startswith("@") else text
    return FaultPolicy.from_json(json.loads(raw))


async def _serve(config: ServerConfig, faults: FaultPolicy | None) -> None:
    server = ApiServer(config)
    await server.start()
    if faults is not None:
        server.context.faults.set_policy(faults)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    announcement = {
        "url": server.url,
        "port": server.port,
        "kubeconfig": str(config.kubeconfig) if config.kubeconfig else None,
    }
    sys.stdout.write(json.dumps(announcement) + "\n")
    sys.stdout.flush()
    try:
        await stop.wait()
    finally:
        logging.getLogger(__name__).info("api server stopping", extra={"url": server.url})
        await server.stop()


async def _run_controllers(kubeconfig: Path) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await run_from_kubeconfig(kubeconfig, stop=stop)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter())
    logging.basicConfig(level=args.log_level.upper(), handlers=[handler], force=True)
    if args.command == "controllers":
        asyncio.run(_run_controllers(args.kubeconfig))
        return 0
    try:
        faults = _fault_policy(args.faults)
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"invalid --faults: {exc}\n")
        return 2
    asyncio.run(_serve(_config(args), faults))
    return 0
