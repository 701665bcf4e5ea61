"""How fast is the API server emulator on this machine: writes, big lists, watch delivery?

The question behind it: can the emulator stand in for a cluster under an operator's load
(hundreds of objects changing, a few informers watching) without becoming the bottleneck?
Targets it is held against: at least 2,000 writes/s, and watch events delivered within 20 ms
(p99) of the write being acknowledged.

It starts its own emulator process (`python -m sandbox apiserver --port 0`) in a temporary
directory, talks to it over HTTP through the kubeconfig that process writes, as any client
would, and stops it at the end. Two variants side by side: objects in memory only, and with
`--data-dir` (every write also appended to the store's log on disk). Figures:

* writes/s: creating ConfigMaps with `--concurrency` requests in flight (aiohttp), until
  `--objects` exist in one namespace; also the per-request latency, and the CPU time the
  emulator process and this client spent per write (the emulator serves from one event
  loop, so 1 s / its CPU per write is its ceiling on one core).
* list latency with those objects stored: full lists, and `limit=500` pages (the page size
  client-go's informers and kubectl use), plus a whole paged walk.
* watch delivery: `--watchers` watches on one namespace; a writer creates ConfigMaps one at a
  time, then `--concurrency` at a time; latency = event received by a watcher - write
  response received by the writer (the same clock in this process). Negative values mean
  the event arrived before the writer had read its response.

Run: `.venv/bin/python bench/apiserver.py` (under a minute). Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import yaml

TARGET_WRITES = 2_000.0
TARGET_WATCH_P99_MS = 20.0


@dataclass(frozen=True)
class Server:
    url: str
    headers: dict[str, str]
    ssl_context: ssl.SSLContext | bool


def read_kubeconfig(path: Path) -> Server | None:
    """Server URL, bearer token and CA of the current context; None while incomplete."""
    try:
        document = yaml.safe_load(path.read_text())
        context = {c["name"]: c["context"] for c in document["contexts"]}[
            document["current-context"]
        ]
        cluster = {c["name"]: c["cluster"] for c in document["clusters"]}[context["cluster"]]
        users = {u["name"]: u["user"] for u in document.get("users") or []}
        user = users.get(context.get("user"), {})
    except (OSError, yaml.YAMLError, TypeError, KeyError):
        return None
    headers = {"Authorization": f"Bearer {user['token']}"} if user.get("token") else {}
    context_ssl: ssl.SSLContext | bool = False
    if str(cluster["server"]).startswith("https:"):
        context_ssl = ssl.create_default_context()
        if cluster.get("certificate-authority-data"):
            pem = base64.b64decode(cluster["certificate-authority-data"]).decode()
            context_ssl.load_verify_locations(cadata=pem)
    return Server(str(cluster["server"]).rstrip("/"), headers, context_ssl)


def start_emulator(directory: Path, *, persistent: bool) -> tuple[subprocess.Popen[bytes], Server]:
    kubeconfig = directory / "kubeconfig"
    command = [sys.executable, "-m", "sandbox", "apiserver", "--port", "0"]
    command += ["--kubeconfig", str(kubeconfig)]
    if persistent:
        command += ["--data-dir", str(directory / "data")]
    log = (directory / "apiserver.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"emulator exited: {(directory / 'apiserver.log').read_text()[-2000:]}")
        server = read_kubeconfig(kubeconfig)
        if server is not None:
            return process, server
        time.sleep(0.05)
    process.kill()
    sys.exit("emulator did not write its kubeconfig within 30 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def ms(values: list[float]) -> str:
    return f"{percentile(values, 0.5) * 1000:.1f} / {percentile(values, 0.99) * 1000:.1f} ms"


class Client:
    def __init__(self, server: Server, session: aiohttp.ClientSession) -> None:
        self.server = server
        self.session = session

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body)
        headers = {**self.server.headers, "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        async with self.session.request(
            method, self.server.url + path, data=data, headers=headers, ssl=self.server.ssl_context
        ) as response:
            payload = await response.read()
            return response.status, json.loads(payload) if payload else None

    async def ensure_namespace(self, name: str) -> None:
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        status, answer = await self.request("POST", "/api/v1/namespaces", body)
        if status not in (201, 409):
            raise RuntimeError(f"creating namespace {name}: {status} {answer}")

    async def create_configmap(self, namespace: str, name: str) -> float:
        """Create one ConfigMap; returns the time its response was received."""
        body = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "labels": {"bench": "apiserver"}},
            "data": {"key": "value " * 8},
        }
        status, answer = await self.request(
            "POST", f"/api/v1/namespaces/{namespace}/configmaps", body
        )
        if status != 201:
            raise RuntimeError(f"create {name}: {status} {answer}")
        return time.perf_counter()


async def in_parallel(count: int, concurrency: int, work: Callable[[int], Awaitable[None]]) -> None:
    next_index = iter(range(count))

    async def worker() -> None:
        for index in next_index:
            await work(index)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def bench_writes(api: Client, *, objects: int, concurrency: int, pid: int) -> dict[str, str]:
    await api.ensure_namespace("bench-list")
    latencies: list[float] = []

    async def create(index: int) -> None:
        started = time.perf_counter()
        await api.create_configmap("bench-list", f"cm-{index:06d}")
        latencies.append(time.perf_counter() - started)

    server_cpu, client_cpu = cpu_seconds(pid), time.process_time()
    started = time.perf_counter()
    await in_parallel(objects, concurrency, create)
    elapsed = time.perf_counter() - started
    server_cpu, client_cpu = cpu_seconds(pid) - server_cpu, time.process_time() - client_cpu
    return {
        f"writes/s (create ConfigMap, {concurrency} in flight)": f"{objects / elapsed:,.0f}/s",
        "write latency p50 / p99": ms(latencies),
        "emulator CPU per write": f"{server_cpu / objects * 1e6:,.0f} us",
        "bench client CPU per write": f"{client_cpu / objects * 1e6:,.0f} us",
    }


async def bench_lists(api: Client, *, objects: int, samples: int) -> dict[str, str]:
    path = "/api/v1/namespaces/bench-list/configmaps"
    full: list[float] = []
    for _ in range(samples):
        started = time.perf_counter()
        status, answer = await api.request("GET", path)
        full.append(time.perf_counter() - started)
        if status != 200 or len(answer["items"]) != objects:
            raise RuntimeError(f"full list: {status}, {len(answer.get('items') or [])} items")
    pages: list[float] = []
    walks: list[float] = []
    for _ in range(max(1, samples // 4)):
        walk_started = time.perf_counter()
        token, seen = "", 0
        while True:
            query = f"?limit=500&continue={token}" if token else "?limit=500"
            started = time.perf_counter()
            status, answer = await api.request("GET", path + query)
            pages.append(time.perf_counter() - started)
            seen += len(answer["items"])
            token = answer["metadata"].get("continue", "")
            if not token:
                break
        walks.append(time.perf_counter() - walk_started)
        if seen != objects:
            raise RuntimeError(f"paged walk saw {seen} of {objects} objects")
    return {
        f"full list of {objects:,} ConfigMaps p50 / p99": ms(full),
        "list page (limit=500) p50 / p99": ms(pages),
        f"paged walk of {objects:,} ({objects // 500} pages) p50": (
            f"{statistics.median(walks) * 1000:.0f} ms"
        ),
    }


async def bench_watch(
    api: Client, *, watchers: int, writes: int, concurrency: int
) -> dict[str, str]:
    namespace = f"bench-watch-{concurrency}"
    await api.ensure_namespace(namespace)
    path = f"/api/v1/namespaces/{namespace}/configmaps"
    _, listed = await api.request("GET", path)
    resource_version = listed["metadata"]["resourceVersion"]
    received: list[dict[str, float]] = [{} for _ in range(watchers)]
    all_seen = asyncio.Event()

    async def watch(index: int) -> None:
        url = f"{api.server.url}{path}?watch=true&resourceVersion={resource_version}"
        headers = {**api.server.headers, "Accept": "application/json"}
        async with api.session.get(
            url,
            headers=headers,
            ssl=api.server.ssl_context,
            timeout=aiohttp.ClientTimeout(total=None),
        ) as response:
            async for line in response.content:
                now = time.perf_counter()
                event = json.loads(line)
                if event.get("type") == "ADDED":
                    received[index][event["object"]["metadata"]["name"]] = now
                if all(len(seen) == writes for seen in received):
                    all_seen.set()

    tasks = [asyncio.create_task(watch(i)) for i in range(watchers)]
    await asyncio.sleep(0.5)  # let every watch connect before the first write
    acknowledged: dict[str, float] = {}

    async def create(index: int) -> None:
        name = f"w-{index:05d}"
        acknowledged[name] = await api.create_configmap(namespace, name)

    await in_parallel(writes, concurrency, create)
    try:
        await asyncio.wait_for(all_seen.wait(), timeout=30)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    delays = [seen[name] - acknowledged[name] for seen in received for name in seen]
    return {f"watch delivery p50 / p99 ({watchers} watchers, {concurrency} in flight)": ms(delays)}


async def run(args: argparse.Namespace, server: Server, pid: int) -> dict[str, str]:
    connector = aiohttp.TCPConnector(limit=args.concurrency + args.watchers + 4)
    async with aiohttp.ClientSession(connector=connector) as session:
        api = Client(server, session)
        for _ in range(100):  # the kubeconfig may appear just before the port answers
            try:
                if (await api.request("GET", "/version"))[0] == 200:
                    break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
        figures = await bench_writes(
            api, objects=args.objects, concurrency=args.concurrency, pid=pid
        )
        figures |= await bench_lists(api, objects=args.objects, samples=args.list_samples)
        for concurrency in (1, args.concurrency):
            figures |= await bench_watch(
                api, watchers=args.watchers, writes=args.watch_writes, concurrency=concurrency
            )
        return figures


def target(measure: str) -> str:
    if measure.startswith("writes/s"):
        return f">= {TARGET_WRITES:,.0f}/s"
    if measure.startswith("watch delivery"):
        return f"p99 < {TARGET_WATCH_P99_MS:.0f} ms"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--watchers", type=int, default=10)
    parser.add_argument("--watch-writes", type=int, default=500)
    parser.add_argument("--list-samples", type=int, default=20)
    args = parser.parse_args()
    variants = {"in memory": False, "with --data-dir": True}
    results: dict[str, dict[str, str]] = {}
    for variant, persistent in variants.items():
        with tempfile.TemporaryDirectory(prefix="bench-apiserver-") as tmp:
            process, server = start_emulator(Path(tmp), persistent=persistent)
            try:
                results[variant] = asyncio.run(run(args, server, process.pid))
            finally:
                process.terminate()
                process.wait(timeout=10)
    measures = list(next(iter(results.values())))
    width = max(len(m) for m in measures)
    python = sys.version.split()[0]
    print(f"API server emulator on this machine ({os.cpu_count()} cores, Python {python})")
    columns = [*variants, "target"]
    print(f"{'measure':<{width}}  " + "  ".join(f"{c:>17}" for c in columns))
    print(f"{'-' * width}  " + "  ".join("-" * 17 for _ in columns))
    for measure in measures:
        cells = [results[v][measure] for v in variants] + [target(measure)]
        print(f"{measure:<{width}}  " + "  ".join(f"{c:>17}" for c in cells))


if __name__ == "__main__":
    main()
