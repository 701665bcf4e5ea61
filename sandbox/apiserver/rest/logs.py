"""`pods/<name>/log`: container logs from files in the kubelet's layout, followed if asked.

A real apiserver proxies this request to the kubelet, which reads the container runtime's
log files. The emulator reads the same files itself, in the layout kubelet uses under
`/var/log/pods`: `<logs_dir>/<namespace>_<pod>_<uid>/<container>/<restartCount>.log`, one
CRI line per entry (`<RFC3339Nano> stdout F <text>`; plain lines are accepted too). The
sandbox kubelet writes there, so the two meet at a directory. `follow=true` streams new
lines (chunked text/plain) until the container terminates, the pod goes or the client
leaves; `tailLines`, `limitBytes`, `timestamps`, `sinceSeconds` and `previous` behave as
kubectl expects, and the errors for a missing or ambiguous container read as upstream's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from aiohttp import web

from sandbox.apiserver import errors
from sandbox.apiserver.clock import parse
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.store import Object

_POLL: Final = 0.1


def _container(pod: Object, requested: str) -> str:
    spec = pod.get("spec") or {}
    name = str((pod.get("metadata") or {}).get("name"))
    containers = [str(c.get("name")) for c in spec.get("containers") or []]
    init = [str(c.get("name")) for c in spec.get("initContainers") or []]
    ephemeral = [str(c.get("name")) for c in spec.get("ephemeralContainers") or []]
    if not requested:
        if len(containers) == 1:
            return containers[0]
        choices = " ".join(containers)
        message = f"a container name must be specified for pod {name}, choose one of: [{choices}]"
        if init:
            message += f" or one of the init containers: [{' '.join(init)}]"
        raise errors.bad_request(message)
    if requested not in containers + init + ephemeral:
        raise errors.bad_request(f"container {requested} is not valid for pod {name}")
    return requested


def _status(pod: Object, container: str) -> Mapping[str, Any]:
    status = pod.get("status") or {}
    for field in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        for entry in status.get(field) or []:
            if entry.get("name") == container:
                return dict(entry)
    return {}


def log_path(logs_dir: Path, pod: Object, *, container: str, restart: int) -> Path:
    meta = pod["metadata"]
    pod_dir = f"{meta.get('namespace')}_{meta.get('name')}_{meta.get('uid')}"
    return logs_dir / pod_dir / container / f"{restart}.log"


def _parse_line(raw: str) -> tuple[str, str, bool]:
    """(timestamp, text, complete) of one CRI log line; plain lines have no timestamp."""
    parts = raw.split(" ", 3)
    if len(parts) >= 3 and parts[1] in ("stdout", "stderr") and parts[2] in ("F", "P"):
        return parts[0], parts[3] if len(parts) > 3 else "", parts[2] == "F"
    return "", raw, True


class _Formatter:
    def __init__(self, query: Mapping[str, str], since: Any) -> None:
        self.timestamps = query.get("timestamps", "").lower() in ("true", "1")
        self.since = since

    def format(self, raw_lines: list[str]) -> list[str]:
        out: list[str] = []
        pending = ""
        for raw in raw_lines:
            stamp, text, complete = _parse_line(raw)
            if self.since is not None and stamp:
                try:
                    if parse(stamp[:26].rstrip("Z") + "Z") < self.since:
                        continue
                except ValueError:
                    pass
            pending += text
            if complete:
                out.append((f"{stamp} " if self.timestamps and stamp else "") + pending + "\n")
                pending = ""
        return out


def _read_lines(path: Path, offset: int) -> tuple[list[str], int]:
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            data = handle.read()
    except FileNotFoundError:
        return [], offset
    end = data.rfind(b"\n")
    if end < 0:
        return [], offset
    text = data[: end + 1].decode("utf-8", errors="replace")
    return text.splitlines(), offset + end + 1


def _int(query: Mapping[str, str], name: str) -> int | None:
    text = query.get(name)
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise errors.bad_request(f'invalid value for {name}: "{text}"') from None


async def serve(
    ctx: ApiContext, kind: ResourceKind, *, namespace: str, name: str, request: web.Request
) -> web.StreamResponse:
    query = request.query
    pod = ctx.lifecycle.get(kind, namespace, name=name)
    container = _container(pod, query.get("container", ""))
    status = _status(pod, container)
    previous = query.get("previous", "").lower() in ("true", "1")
    restarts = int(status.get("restartCount", 0) or 0)
    if previous:
        if restarts == 0:
            raise errors.bad_request(
                f'previous terminated container "{container}" in pod "{name}" not found'
            )
        restarts -= 1
    waiting = (status.get("state") or {}).get("waiting")
    logs_dir = ctx.config.effective_logs_dir
    path = (
        log_path(logs_dir, pod, container=container, restart=restarts)
        if logs_dir is not None
        else None
    )
    if path is None or not path.exists():
        if not (pod.get("spec") or {}).get("nodeName"):
            raise errors.bad_request(f"pod {name} does not have a host assigned")
        if waiting or not status:
            reason = (waiting or {}).get("reason", "ContainerCreating")
            raise errors.bad_request(
                f'container "{container}" in pod "{name}" is waiting to start: {reason}'
            )
    since_seconds = _int(query, "sinceSeconds")
    since = ctx.clock.now() - timedelta(seconds=since_seconds) if since_seconds else None
    if query.get("sinceTime"):
        since = parse(query["sinceTime"])
    formatter = _Formatter(query, since)
    lines, offset = _read_lines(path, 0) if path is not None else ([], 0)
    text = formatter.format(lines)
    tail = _int(query, "tailLines")
    if tail is not None and tail >= 0:
        text = text[len(text) - tail :] if tail else []
    limit = _int(query, "limitBytes")
    body = "".join(text).encode()
    follow = query.get("follow", "").lower() in ("true", "1")
    if limit is not None and limit > 0:
        body = body[:limit]
        follow = follow and len(body) < limit
    if not follow:
        return web.Response(body=body, content_type="text/plain")
    response = web.StreamResponse(status=200, headers={"Content-Type": "text/plain"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    sent = len(body)
    try:
        if body:
            await response.write(body)
        while path is not None:
            transport = request.transport
            if transport is None or transport.is_closing():
                break
            more, offset = _read_lines(path, offset)
            if more:
                chunk = "".join(formatter.format(more)).encode()
                if limit is not None and limit > 0:
                    chunk = chunk[: max(0, limit - sent)]
                sent += len(chunk)
                if chunk:
                    await response.write(chunk)
                if limit is not None and 0 < limit <= sent:
                    break
                continue
            current = ctx.store.get(ctx.registry.storage_key(kind), namespace, name=name)
            if current is None or current["metadata"].get("uid") != pod["metadata"].get("uid"):
                break
            state = _status(current, container).get("state") or {}
            if "terminated" in state:
                break
            await asyncio.sleep(_POLL)
        await response.write_eof()
    except (ConnectionResetError, ConnectionError):
        pass
    return response
