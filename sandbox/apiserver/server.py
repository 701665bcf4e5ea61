"""The emulator as an aiohttp application, and a runner that serves it on a port.

`create_app` wires everything one emulator needs: store (restored from disk when a data
directory is set), registry, lifecycle rules, the garbage collector and the namespace and
CRD controllers, the admission chain, fault injection, and the routes: health, /version,
discovery, OpenAPI, the fault admin endpoint and every resource URL. Middlewares turn any
failure into a `Status` body (500 InternalError for bugs), check the bearer token and
apply injected faults, in that order. `ApiServer` runs the app on a (free) port, with TLS
if configured, bootstraps the cluster's initial objects, writes the kubeconfig, and stops
cleanly, saving the store. Tests use either, with aiohttp's test client or a real port.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox.apiserver import auth, discovery, endpoints, errors, kubeconfig
from sandbox.apiserver.admission import AdmissionChain, AdmissionDenied
from sandbox.apiserver.clock import Clock
from sandbox.apiserver.config import ServerConfig
from sandbox.apiserver.crds import CrdController
from sandbox.apiserver.faults import FaultInjector, add_fault_routes
from sandbox.apiserver.gc import GarbageCollector
from sandbox.apiserver.kinds import BUILTIN_KINDS
from sandbox.apiserver.lifecycle import NAMESPACES, Lifecycle
from sandbox.apiserver.namespaces import NamespaceController
from sandbox.apiserver.openapi_routes import add_openapi_routes
from sandbox.apiserver.persistence import Persistence
from sandbox.apiserver.registry import Registry
from sandbox.apiserver.rest import dispatch
from sandbox.apiserver.rest.context import ApiContext
from sandbox.apiserver.rest.negotiation import error_response, respond
from sandbox.apiserver.reviews import REVIEW_KINDS
from sandbox.apiserver.store import Store
from sandbox.apiserver.tls import CertificateAuthority, server_ssl_context

logger = logging.getLogger(__name__)

CONTEXT = web.AppKey("context", ApiContext)
PERSISTENCE = web.AppKey("persistence", Persistence)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_MUTATING = ("admissionregistration.k8s.io", "mutatingwebhookconfigurations")
_VALIDATING = ("admissionregistration.k8s.io", "validatingwebhookconfigurations")


def build_context(
    config: ServerConfig, *, clock: Clock | None = None
) -> tuple[ApiContext, Persistence | None]:
    """The store (restored if a data directory is set) and everything around it."""
    clock = clock or Clock()
    store = Store(history_size=config.history_size)
    persistence = None
    if config.data_dir is not None:
        persistence = Persistence(config.data_dir / "store")
        items, resource_version = persistence.load()
        store.restore(items, resource_version)
        persistence.attach(store)
    registry = Registry((*BUILTIN_KINDS, *REVIEW_KINDS))
    lifecycle = Lifecycle(store=store, registry=registry, clock=clock)

    def webhook_configs() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return store.objects(_MUTATING), store.objects(_VALIDATING)

    def namespace_labels(name: str) -> dict[str, str]:
        namespace = store.get(NAMESPACES, "", name=name)
        if namespace is None:
            raise LookupError(name)
        return dict((namespace.get("metadata") or {}).get("labels") or {})

    context = ApiContext(
        config=config,
        clock=clock,
        store=store,
        registry=registry,
        lifecycle=lifecycle,
        gc=GarbageCollector(lifecycle),
        namespaces=NamespaceController(lifecycle),
        crds=CrdController(lifecycle),
        admission=AdmissionChain(
            webhook_configs,
            namespace_labels,
            resolve_service=lambda namespace, name, port: endpoints.resolve_service(
                store, namespace=namespace, name=name, port=port
            ),
        ),
        faults=FaultInjector(),
    )
    return context, persistence


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except errors.ApiError as error:
        return error_response(error)
    except AdmissionDenied as denied:
        return respond(denied.to_status(), status=denied.status)
    except web.HTTPNotFound:
        return error_response(errors.path_not_found())
    except web.HTTPMethodNotAllowed:
        return error_response(
            errors.ApiError(
                code=405,
                reason="MethodNotAllowed",
                message="the server does not allow this method on the requested resource",
                details={},
            )
        )
    except Exception as exc:
        logger.exception("request failed", extra={"method": request.method, "path": request.path})
        return error_response(errors.internal(f"{type(exc).__name__}: {exc}"))


def _middlewares(context: ApiContext) -> list[Any]:
    @web.middleware
    async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
        auth.check(request, context.config.token)
        return await handler(request)

    @web.middleware
    async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(("/api/", "/apis/")) or request.path in ("/api", "/apis"):
            await context.faults.before(
                method=request.method,
                path=request.path,
                watch=dispatch.is_watch(request, None),
            )
        return await handler(request)

    return [_errors, authenticate, inject_faults]


def create_app(config: ServerConfig, *, clock: Clock | None = None) -> web.Application:
    """The aiohttp application of one emulator; controllers start with the app."""
    context, persistence = build_context(config, clock=clock)
    app = web.Application(middlewares=_middlewares(context), client_max_size=64 * 1024 * 1024)
    app[CONTEXT] = context
    if persistence is not None:
        app[PERSISTENCE] = persistence
    _add_routes(app, context)

    async def start_controllers(_: web.Application) -> None:
        context.crds.start()
        context.namespaces.start()
        context.gc.start()
        context.namespaces.bootstrap(api_port=config.port or 6443)

    async def stop_controllers(_: web.Application) -> None:
        await context.gc.stop()
        await context.namespaces.stop()
        await context.crds.stop()
        if persistence is not None:
            persistence.close()

    app.on_startup.append(start_controllers)
    app.on_cleanup.append(stop_controllers)
    return app


def _add_routes(app: web.Application, context: ApiContext) -> None:
    async def health(_: web.Request) -> web.StreamResponse:
        return web.Response(text="ok")

    async def version(_: web.Request) -> web.StreamResponse:
        return respond(discovery.version_info(context.config.release))

    async def api(request: web.Request) -> web.StreamResponse:
        aggregated = discovery.aggregated_version(request.headers.get("Accept"))
        if aggregated is not None:
            body = discovery.aggregated(context.registry, core=True, version=aggregated)
            return _aggregated_response(body, aggregated)
        address = f"{request.host}" if request.host else "127.0.0.1"
        return respond(discovery.api_versions(address))

    async def apis(request: web.Request) -> web.StreamResponse:
        aggregated = discovery.aggregated_version(request.headers.get("Accept"))
        if aggregated is not None:
            body = discovery.aggregated(context.registry, core=False, version=aggregated)
            return _aggregated_response(body, aggregated)
        return respond(discovery.api_group_list(context.registry))

    async def api_group(request: web.Request) -> web.StreamResponse:
        body = discovery.api_group(context.registry, request.match_info["group"])
        if body is None:
            raise errors.path_not_found()
        return respond(body)

    async def resources(request: web.Request) -> web.StreamResponse:
        return await dispatch.handle(context, request)

    for path in ("/healthz", "/livez", "/readyz", "/healthz/ping", "/livez/ping", "/readyz/ping"):
        app.router.add_get(path, health)
    app.router.add_get("/version", version)
    app.router.add_get("/api", api)
    app.router.add_get("/apis", apis)
    app.router.add_get("/apis/{group}", api_group)
    add_openapi_routes(app, context)
    add_fault_routes(app, context.faults)
    app.router.add_route("*", "/api/{tail:.+}", resources)
    app.router.add_route("*", "/apis/{group}/{tail:.+}", resources)


def _aggregated_response(body: dict[str, Any], version: str) -> web.StreamResponse:
    content_type = discovery.AGGREGATED_V2 if version == "v2" else discovery.AGGREGATED_V2BETA1
    response = respond(body)
    response.headers["Content-Type"] = content_type
    return response


class ApiServer:
    """One emulator on a real port: `await start()`, read `url`, `await stop()`."""

    def __init__(self, config: ServerConfig, *, clock: Clock | None = None) -> None:
        self.config = config
        self.token = config.token
        if config.tls and self.token is None:
            self.token = _load_or_create_token(config.data_dir)
        self._clock = clock
        self._runner: web.AppRunner | None = None
        self.port = config.port
        self.ca: CertificateAuthority | None = None
        self.app: web.Application | None = None

    @property
    def context(self) -> ApiContext:
        assert self.app is not None, "start() first"
        return self.app[CONTEXT]

    @property
    def scheme(self) -> str:
        return "https" if self.config.tls else "http"

    @property
    def url(self) -> str:
        host = self.config.host if ":" not in self.config.host else f"[{self.config.host}]"
        return f"{self.scheme}://{host}:{self.port}"

    def _ssl_context(self) -> ssl.SSLContext | None:
        if not self.config.tls:
            return None
        pki = self.config.data_dir / "pki" if self.config.data_dir is not None else None
        self.ca = _load_or_create_ca(pki)
        hosts = [self.config.host, "localhost", "127.0.0.1", *self.config.extra_hosts]
        hosts += ["kubernetes", "kubernetes.default", "kubernetes.default.svc"]
        cert, key = self.ca.issue(list(dict.fromkeys(hosts)))
        return server_ssl_context(cert, key)

    async def start(self) -> None:
        config = dataclasses.replace(self.config, token=self.token)
        self.config = config
        self.app = create_app(config, clock=self._clock)
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, config.host, config.port, ssl_context=self._ssl_context())
        await site.start()
        addresses = self._runner.addresses  # the bound socket tells which port was picked
        self.port = int(addresses[0][1]) if addresses else config.port
        if config.kubeconfig is not None:
            self.write_kubeconfig(config.kubeconfig)
        logger.info("api server listening", extra={"url": self.url})

    def kubeconfig(self) -> dict[str, Any]:
        ca_pem = self.ca.cert_pem if self.ca is not None else None
        return kubeconfig.render(
            server=self.url, name=self.config.context_name, ca_pem=ca_pem, token=self.token
        )

    def write_kubeconfig(self, path: Path) -> None:
        kubeconfig.write(path, self.kubeconfig())

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _load_or_create_ca(directory: Path | None) -> CertificateAuthority:
    """The cluster CA, kept in `directory` so restarts keep kubeconfigs valid."""
    if directory is not None and (directory / "ca.crt").exists():
        return CertificateAuthority.load(
            (directory / "ca.crt").read_bytes(), (directory / "ca.key").read_bytes()
        )
    ca = CertificateAuthority.create("sandbox-ca")
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "ca.crt").write_bytes(ca.cert_pem)
        key_path = directory / "ca.key"
        key_path.write_bytes(ca.key_pem)
        key_path.chmod(0o600)
    return ca


def _load_or_create_token(data_dir: Path | None) -> str:
    """The generated bearer token of a TLS server, kept with the CA across restarts."""
    path = data_dir / "pki" / "token" if data_dir is not None else None
    if path is not None and path.exists():
        return path.read_text(encoding="utf-8").strip()
    token = secrets.token_urlsafe(24)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(token + "\n", encoding="utf-8")
        path.chmod(0o600)
    return token
