"""Fault injection for reliability tests: failed, throttled and slow requests, dropped watches.

A `FaultPolicy` is plain JSON, so a test (or a person with curl) can switch it at run time
through `POST /sandbox/faults` and read it back with `GET`; `DELETE` turns everything off,
which is also the default. Faults apply only to API requests (`/api`, `/apis`), never to
the admin endpoint or health checks, and they answer the way an overloaded kube-apiserver
does: a 500 `InternalError` Status, or a 429 `TooManyRequests` Status with `Retry-After`
(client-go and the Python client retry those), optionally after added latency. A dropped
watch simply ends its stream after `watch_drop_after_seconds`, which clients must survive
by re-watching from their last resourceVersion.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from aiohttp import web

from sandbox.apiserver import errors


@dataclass(frozen=True)
class FaultPolicy:
    """What to inject. Rates are fractions of matching requests (0 to 1).

    Attributes:
        error_rate: answered 500 InternalError.
        throttle_rate: answered 429 TooManyRequests with `Retry-After: retry_after_seconds`.
        latency_seconds: added before answering, to `latency_rate` of requests.
        watch_drop_after_seconds: watch streams end after this long (None: never).
        methods: only requests with these HTTP methods (empty: all).
        path_pattern: only paths matching this regular expression (empty: all).
        include_watches: whether error, throttle and latency also hit watch requests.
        seed: makes the random choices repeatable.
    """

    error_rate: float = 0.0
    throttle_rate: float = 0.0
    retry_after_seconds: int = 1
    latency_seconds: float = 0.0
    latency_rate: float = 1.0
    watch_drop_after_seconds: float | None = None
    methods: tuple[str, ...] = ()
    path_pattern: str = ""
    include_watches: bool = False
    seed: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultPolicy:
        """Parse a JSON body; unknown keys and bad values raise `ValueError`."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
        values = dict(data)
        if "methods" in values:
            values["methods"] = tuple(str(m).upper() for m in values["methods"] or ())
        policy = cls(**values)
        for name in ("error_rate", "throttle_rate", "latency_rate"):
            rate = getattr(policy, name)
            if not isinstance(rate, int | float) or not 0 <= rate <= 1:
                raise ValueError(f"{name} must be a number between 0 and 1")
        if policy.path_pattern:
            re.compile(policy.path_pattern)
        return policy

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["methods"] = list(self.methods)
        return data

    @property
    def active(self) -> bool:
        return bool(
            self.error_rate
            or self.throttle_rate
            or (self.latency_seconds and self.latency_rate)
            or self.watch_drop_after_seconds is not None
        )


@dataclass
class FaultInjector:
    """Applies the current policy to requests; `policy` may be replaced at any time."""

    policy: FaultPolicy = field(default_factory=FaultPolicy)
    injected: dict[str, int] = field(
        default_factory=lambda: {"error": 0, "throttle": 0, "latency": 0}
    )

    def __post_init__(self) -> None:
        self._random = random.Random(self.policy.seed)

    def set_policy(self, policy: FaultPolicy) -> None:
        self.policy = policy
        self._random = random.Random(policy.seed)

    def _applies(self, method: str, path: str) -> bool:
        policy = self.policy
        if policy.methods and method.upper() not in policy.methods:
            return False
        return not policy.path_pattern or re.search(policy.path_pattern, path) is not None

    async def before(self, *, method: str, path: str, watch: bool) -> None:
        """Sleep and/or raise the configured failure for one API request."""
        policy = self.policy
        if not policy.active or (watch and not policy.include_watches):
            return
        if not self._applies(method, path):
            return
        if policy.latency_seconds and self._random.random() < policy.latency_rate:
            self.injected["latency"] += 1
            await asyncio.sleep(policy.latency_seconds)
        roll = self._random.random()
        if roll < policy.error_rate:
            self.injected["error"] += 1
            raise errors.internal("injected fault")
        if roll < policy.error_rate + policy.throttle_rate:
            self.injected["throttle"] += 1
            raise errors.too_many_requests(policy.retry_after_seconds)

    def watch_limit(self, *, method: str, path: str) -> float | None:
        """Seconds after which to end a watch stream, if the policy drops watches."""
        if self.policy.watch_drop_after_seconds is None or not self._applies(method, path):
            return None
        return self.policy.watch_drop_after_seconds


FAULTS_PATH = "/sandbox/faults"


def add_fault_routes(app: web.Application, injector: FaultInjector) -> None:
    """`GET`, `POST` (replace the policy) and `DELETE` (all off) on `/sandbox/faults`."""

    def current() -> web.Response:
        body = {"policy": injector.policy.to_json(), "injected": dict(injector.injected)}
        return web.json_response(body)

    async def read(_: web.Request) -> web.Response:
        return current()

    async def replace(request: web.Request) -> web.Response:
        try:
            data = json.loads(await request.read() or b"{}")
            if not isinstance(data, dict):
                raise ValueError("the policy must be a JSON object")
            injector.set_policy(FaultPolicy.from_json(data))
        except (ValueError, TypeError) as exc:
            raise errors.bad_request(f"invalid fault policy: {exc}") from exc
        return current()

    async def clear(_: web.Request) -> web.Response:
        injector.set_policy(FaultPolicy())
        return current()

    app.router.add_get(FAULTS_PATH, read)
    app.router.add_post(FAULTS_PATH, replace)
    app.router.add_put(FAULTS_PATH, replace)
    app.router.add_delete(FAULTS_PATH, clear)
