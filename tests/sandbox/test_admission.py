"""Admission webhooks are called, matched and obeyed as kube-apiserver does it.

A real HTTPS webhook server runs in the test process with a certificate from the sandbox CA;
its behaviour is chosen by the URL path. Expected messages come from kube-apiserver's webhook
admission plugin (`k8s.io/apiserver/pkg/admission/plugin/webhook`, v0.33.0).
"""

import asyncio
import base64
import importlib
import json
import socket
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from sandbox.apiserver.admission import AdmissionChain, AdmissionDenied
from sandbox.apiserver.kinds import BUILTIN_KINDS, ResourceKind
from sandbox.apiserver.tls import CertificateAuthority, server_ssl_context

POD_KIND = next(k for k in BUILTIN_KINDS if k.kind == "Pod")
NODE_KIND = next(k for k in BUILTIN_KINDS if k.kind == "Node")
NAMESPACE_KIND = next(k for k in BUILTIN_KINDS if k.kind == "Namespace")
DEPLOYMENT_KIND = next(k for k in BUILTIN_KINDS if k.kind == "Deployment")
VWC_KIND = next(k for k in BUILTIN_KINDS if k.kind == "ValidatingWebhookConfiguration")
USER = {"username": "alice", "uid": "u-1", "groups": ["dev", "system:authenticated"]}
NAMESPACES = {"default": {"env": "dev"}, "prod": {"env": "prod"}}


def pod(**labels: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p1", "namespace": "default", "labels": dict(labels)},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }


def apply_json_patch(doc: dict[str, Any], operations: object) -> dict[str, Any]:
    """A stand-in for the patch module: `add` and `replace` on object members."""
    assert isinstance(operations, list)
    for op in operations:
        *parents, last = [
            p.replace("~1", "/").replace("~0", "~") for p in op["path"][1:].split("/")
        ]
        target = doc
        for part in parents:
            target = target[part]
        if op["op"] not in ("add", "replace"):
            raise ValueError(f"unsupported op {op['op']}")
        target[last] = op["value"]
    return doc


@dataclass
class WebhookServer:
    port: int
    ca: CertificateAuthority
    calls: list[dict[str, Any]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"https://{host}:{self.port}/{path}"

    def called(self, path: str) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["path"] == f"/{path}"]


def _patch(*operations: dict[str, Any]) -> dict[str, Any]:
    raw = base64.b64encode(json.dumps(list(operations)).encode()).decode()
    return {"patchType": "JSONPatch", "patch": raw}


def _respond(path: str, request: dict[str, Any]) -> dict[str, Any]:
    labels = ((request.get("object") or {}).get("metadata") or {}).get("labels") or {}
    label = {"op": "add", "path": "/metadata/labels/patched", "value": "yes"}
    answers: dict[str, dict[str, Any]] = {
        "allow": {"allowed": True, "warnings": ["allow says hi"]},
        "warn": {"allowed": True, "warnings": ["careful", "allow says hi"]},
        "deny": {
            "allowed": False,
            "status": {"code": 403, "reason": "Forbidden", "message": "no pods today"},
        },
        "deny-bare": {"allowed": False},
        "label": {"allowed": True, **_patch(label)},
        "tag-a": {"allowed": True, **_patch({**label, "path": "/metadata/labels/a"})},
        "tag-b": {"allowed": True, **_patch({**label, "path": "/metadata/labels/b"})},
        "bad-patch": {"allowed": True, **_patch({"op": "move", "from": "/x", "path": "/y"})},
        "echo-labels": {"allowed": True, "warnings": [json.dumps(labels, sort_keys=True)]},
    }
    return answers[path]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def server() -> AsyncIterator[WebhookServer]:
    ca = CertificateAuthority.create("webhook-ca")
    cert, key = ca.issue(["127.0.0.1", "localhost", "hooks.webhooks.svc"])
    state = WebhookServer(port=0, ca=ca)

    async def handle(request: web.Request) -> web.Response:
        body = await request.json()
        state.calls.append(
            {
                "path": request.path,
                "query": dict(request.query),
                "host": request.host,
                "content_type": request.content_type,
                "user_agent": request.headers.get("User-Agent"),
                "body": body,
            }
        )
        path = request.path.strip("/")
        if path == "slow":
            await asyncio.sleep(3)
            path = "allow"
        if path == "fail-500":
            return web.Response(status=500, text="boom")
        if path == "bad-uid":
            response = {"uid": "not-the-uid", "allowed": True}
        else:
            response = {"uid": body["request"]["uid"], **_respond(path, body["request"])}
        return web.json_response(
            {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "response": response}
        )

    app = web.Application()
    app.router.add_post("/{path:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ssl_context(cert, key))
    await site.start()
    state.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield state
    await runner.cleanup()


@pytest.fixture(autouse=True)
def _fresh_calls(server: WebhookServer) -> None:
    server.calls.clear()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


POD_RULE = {
    "operations": ["CREATE", "UPDATE"],
    "apiGroups": [""],
    "apiVersions": ["v1"],
    "resources": ["pods"],
}


def webhook(server: WebhookServer, path: str, **overrides: Any) -> dict[str, Any]:
    """A webhook with v1's required fields, calling `path` on the test server."""
    hook: dict[str, Any] = {
        "name": f"{path}.example.com",
        "clientConfig": {
            "url": server.url(path),
            "caBundle": base64.b64encode(server.ca.cert_pem).decode(),
        },
        "rules": [POD_RULE],
        "sideEffects": "None",
        "admissionReviewVersions": ["v1"],
    }
    hook.update(overrides)
    return hook


def chain(
    *,
    mutating: list[dict[str, Any]] = (),  # type: ignore[assignment]
    validating: list[dict[str, Any]] = (),  # type: ignore[assignment]
    **kwargs: Any,
) -> AdmissionChain:
    """A chain with one configuration per webhook, named so that list order is call order."""

    def configs(kind: str, hooks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "apiVersion": "admissionregistration.k8s.io/v1",
                "kind": kind,
                "metadata": {"name": f"{i:02d}-{hook['name']}"},
                "webhooks": [hook],
            }
            for i, hook in enumerate(hooks)
        ]

    def labels(namespace: str) -> Mapping[str, str]:
        return NAMESPACES[namespace]

    def both() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        return (
            configs("MutatingWebhookConfiguration", list(mutating)),
            configs("ValidatingWebhookConfiguration", list(validating)),
        )

    kwargs.setdefault("apply_json_patch", apply_json_patch)
    return AdmissionChain(both, labels, **kwargs)


async def admit(
    admission: AdmissionChain,
    obj: dict[str, Any] | None = None,
    *,
    operation: str = "CREATE",
    kind: ResourceKind = POD_KIND,
    **overrides: Any,
) -> dict[str, Any] | None:
    request: dict[str, Any] = {
        "operation": operation,
        "kind": kind,
        "subresource": "",
        "namespace": "default" if kind.namespaced else None,
        "name": "p1",
        "obj": pod() if obj is None and operation != "DELETE" else obj,
        "old": None,
        "user": USER,
        "dry_run": False,
    }
    request.update(overrides)
    return await admission.admit(**request)


async def test_allowed_request_passes_with_the_webhooks_warnings(server: WebhookServer) -> None:
    admission = chain(validating=[webhook(server, "allow"), webhook(server, "warn")])
    obj = await admit(admission, pod(app="web"))
    assert obj == pod(app="web")
    # Validating webhooks run concurrently: warnings arrive in any order, each once.
    assert sorted(admission.last_warnings) == ["allow says hi", "careful"]


async def test_webhook_receives_an_admission_review_v1(server: WebhookServer) -> None:
    await admit(chain(validating=[webhook(server, "allow")]), pod(app="web"))
    [call] = server.called("allow")
    assert call["query"] == {"timeout": "10s"}
    assert call["content_type"] == "application/json"
    assert call["user_agent"] == "kube-apiserver-admission"
    review = call["body"]
    assert (review["apiVersion"], review["kind"]) == ("admission.k8s.io/v1", "AdmissionReview")
    request = review["request"]
    assert list(request) == [
        "uid",
        "kind",
        "resource",
        "requestKind",
        "requestResource",
        "name",
        "namespace",
        "operation",
        "userInfo",
        "object",
        "oldObject",
        "dryRun",
        "options",
    ]
    assert request["kind"] == {"group": "", "version": "v1", "kind": "Pod"}
    assert request["resource"] == {"group": "", "version": "v1", "resource": "pods"}
    assert request["requestKind"] == request["kind"]
    assert (request["name"], request["namespace"], request["operation"]) == (
        "p1",
        "default",
        "CREATE",
    )
    assert request["userInfo"] == USER
    assert request["object"] == pod(app="web")
    assert request["oldObject"] is None
    assert request["dryRun"] is False
    assert request["options"] == {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"}


async def test_delete_sends_the_old_object_and_no_object(server: WebhookServer) -> None:
    rule = {**POD_RULE, "operations": ["DELETE"]}
    admission = chain(validating=[webhook(server, "allow", rules=[rule])])
    assert await admit(admission, None, operation="DELETE", old=pod(app="web")) is None
    request = server.called("allow")[0]["body"]["request"]
    assert (request["object"], request["oldObject"]) == (None, pod(app="web"))
    assert request["options"] == {"kind": "DeleteOptions", "apiVersion": "meta.k8s.io/v1"}


async def test_denial_carries_the_webhooks_status(server: WebhookServer) -> None:
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[webhook(server, "allow"), webhook(server, "deny")]))
    denied = raised.value
    assert (denied.status, denied.reason) == (403, "Forbidden")
    assert (
        denied.message == 'admission webhook "deny.example.com" denied the request: no pods today'
    )
    assert denied.to_status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": denied.message,
        "reason": "Forbidden",
        "code": 403,
    }


async def test_denial_without_a_status_is_a_400_without_explanation(server: WebhookServer) -> None:
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[webhook(server, "deny-bare")]))
    assert (raised.value.status, raised.value.reason) == (400, "")
    assert raised.value.message == (
        'admission webhook "deny-bare.example.com" denied the request without explanation'
    )


async def test_mutating_webhook_patch_is_applied_before_validation(server: WebhookServer) -> None:
    admission = chain(
        mutating=[webhook(server, "label")], validating=[webhook(server, "echo-labels")]
    )
    obj = await admit(admission, pod(app="web"))
    assert obj is not None
    assert obj["metadata"]["labels"] == {"app": "web", "patched": "yes"}
    assert admission.last_warnings == ('{"app": "web", "patched": "yes"}',)


async def test_mutating_denial_stops_the_chain(server: WebhookServer) -> None:
    admission = chain(mutating=[webhook(server, "deny"), webhook(server, "label")])
    with pytest.raises(AdmissionDenied):
        await admit(admission)
    assert server.called("label") == []


async def test_patch_that_cannot_be_applied_is_an_internal_error(server: WebhookServer) -> None:
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(mutating=[webhook(server, "bad-patch", failurePolicy="Ignore")]))
    assert (raised.value.status, raised.value.reason) == (500, "InternalError")
    assert raised.value.message == "Internal error occurred: unsupported op move"


@pytest.mark.parametrize(
    ("rule", "subresource", "called"),
    [
        pytest.param(POD_RULE, "", True, id="pods"),
        pytest.param({**POD_RULE, "resources": ["configmaps"]}, "", False, id="other-resource"),
        pytest.param({**POD_RULE, "operations": ["UPDATE"]}, "", False, id="other-operation"),
        pytest.param({**POD_RULE, "operations": ["*"]}, "", True, id="any-operation"),
        pytest.param({**POD_RULE, "apiGroups": ["apps"]}, "", False, id="other-group"),
        pytest.param({**POD_RULE, "apiVersions": ["v2"]}, "", False, id="other-version"),
        pytest.param({**POD_RULE, "apiGroups": ["*"], "apiVersions": ["*"]}, "", True, id="wild"),
        pytest.param({**POD_RULE, "resources": ["*"]}, "", True, id="star"),
        pytest.param({**POD_RULE, "resources": ["*"]}, "status", False, id="star-no-sub"),
        pytest.param(POD_RULE, "status", False, id="pods-not-status"),
        pytest.param({**POD_RULE, "resources": ["pods/status"]}, "status", True, id="pods-status"),
        pytest.param({**POD_RULE, "resources": ["pods/status"]}, "", False, id="status-only"),
        pytest.param({**POD_RULE, "resources": ["*/*"]}, "status", True, id="all-sub"),
        pytest.param({**POD_RULE, "resources": ["pods/*"]}, "", True, id="pods-any-sub"),
        pytest.param({**POD_RULE, "scope": "Namespaced"}, "", True, id="namespaced"),
        pytest.param({**POD_RULE, "scope": "Cluster"}, "", False, id="cluster"),
    ],
)
async def test_rules_decide_which_requests_a_webhook_sees(
    server: WebhookServer, rule: dict[str, Any], subresource: str, called: bool
) -> None:
    admission = chain(validating=[webhook(server, "deny", rules=[rule])])
    if called:
        with pytest.raises(AdmissionDenied):
            await admit(admission, subresource=subresource)
    else:
        assert await admit(admission, subresource=subresource) == pod()


async def test_cluster_scope_matches_cluster_scoped_resources(server: WebhookServer) -> None:
    rule = {**POD_RULE, "resources": ["nodes"], "scope": "Cluster"}
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}
    with pytest.raises(AdmissionDenied):
        await admit(chain(validating=[webhook(server, "deny", rules=[rule])]), node, kind=NODE_KIND)
    namespaced = {**rule, "scope": "Namespaced"}
    admission = chain(validating=[webhook(server, "deny", rules=[namespaced])])
    assert await admit(admission, node, kind=NODE_KIND) == node


async def test_webhook_configurations_are_never_sent_to_webhooks(server: WebhookServer) -> None:
    rule = {"operations": ["*"], "apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*"]}
    config = {"metadata": {"name": "x"}, "webhooks": []}
    admission = chain(validating=[webhook(server, "deny", rules=[rule])])
    assert await admit(admission, config, kind=VWC_KIND) == config


@pytest.mark.parametrize(
    ("selector", "namespace", "called"),
    [
        pytest.param({"matchLabels": {"env": "prod"}}, "prod", True, id="match"),
        pytest.param({"matchLabels": {"env": "prod"}}, "default", False, id="no-match"),
        pytest.param(
            {"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]},
            "default",
            True,
            id="expression",
        ),
        pytest.param({}, "default", True, id="empty"),
    ],
)
async def test_namespace_selector_matches_the_namespace_labels(
    server: WebhookServer, selector: dict[str, Any], namespace: str, called: bool
) -> None:
    admission = chain(validating=[webhook(server, "deny", namespaceSelector=selector)])
    if called:
        with pytest.raises(AdmissionDenied):
            await admit(admission, namespace=namespace)
    else:
        assert await admit(admission, namespace=namespace) == pod()


async def test_namespace_selector_on_a_missing_namespace_is_not_found(
    server: WebhookServer,
) -> None:
    selector = {"matchLabels": {"env": "prod"}}
    with pytest.raises(AdmissionDenied) as raised:
        await admit(
            chain(validating=[webhook(server, "deny", namespaceSelector=selector)]),
            namespace="gone",
        )
    assert (raised.value.status, raised.value.message) == (404, 'namespaces "gone" not found')


async def test_namespace_selector_reads_a_new_namespaces_own_labels(server: WebhookServer) -> None:
    rule = {**POD_RULE, "resources": ["namespaces"]}
    hook = webhook(server, "deny", rules=[rule], namespaceSelector={"matchLabels": {"env": "qa"}})
    namespace = {"metadata": {"name": "qa", "labels": {"env": "qa"}}}
    with pytest.raises(AdmissionDenied):
        await admit(chain(validating=[hook]), namespace, kind=NAMESPACE_KIND, name="qa")


@pytest.mark.parametrize(
    ("labels", "old_labels", "called"),
    [
        pytest.param({"team": "a"}, None, True, id="new-matches"),
        pytest.param({"team": "b"}, None, False, id="no-match"),
        pytest.param({"team": "b"}, {"team": "a"}, True, id="old-matches"),
    ],
)
async def test_object_selector_matches_new_or_old_labels(
    server: WebhookServer, labels: dict[str, str], old_labels: dict[str, str] | None, called: bool
) -> None:
    hook = webhook(server, "deny", objectSelector={"matchLabels": {"team": "a"}})
    old = pod(**old_labels) if old_labels is not None else None
    operation = "CREATE" if old is None else "UPDATE"
    admission = chain(validating=[hook])
    if called:
        with pytest.raises(AdmissionDenied):
            await admit(admission, pod(**labels), old=old, operation=operation)
    else:
        assert await admit(admission, pod(**labels), old=old, operation=operation) == pod(**labels)


async def test_unreachable_webhook_is_ignored_under_failure_policy_ignore(
    server: WebhookServer,
) -> None:
    port = closed_port()
    hook = webhook(server, "allow", failurePolicy="Ignore")
    hook["clientConfig"]["url"] = f"https://127.0.0.1:{port}/allow"
    assert await admit(chain(validating=[hook], mutating=[hook])) == pod()


async def test_unreachable_webhook_fails_the_request_under_failure_policy_fail(
    server: WebhookServer,
) -> None:
    port = closed_port()
    hook = webhook(server, "allow", failurePolicy="Fail")
    hook["clientConfig"]["url"] = f"https://127.0.0.1:{port}/allow"
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[hook]))
    cause = (
        f'failed calling webhook "allow.example.com": failed to call webhook: Post'
        f' "https://127.0.0.1:{port}/allow?timeout=10s": dial tcp 127.0.0.1:{port}: connect:'
        " connection refused"
    )
    assert (raised.value.status, raised.value.reason) == (500, "InternalError")
    assert raised.value.message == f"Internal error occurred: {cause}"
    assert raised.value.details == {"causes": [{"message": cause}]}


@pytest.mark.parametrize(
    ("policy", "fails"),
    [pytest.param("Fail", True, id="fail"), pytest.param("Ignore", False, id="ignore")],
)
async def test_slow_webhook_times_out_after_timeout_seconds(
    server: WebhookServer, policy: str, fails: bool
) -> None:
    hook = webhook(server, "slow", timeoutSeconds=1, failurePolicy=policy)
    admission = chain(validating=[hook])
    started = asyncio.get_running_loop().time()
    if fails:
        with pytest.raises(AdmissionDenied) as raised:
            await admit(admission)
        url = server.url("slow") + "?timeout=1s"
        assert raised.value.message.endswith(f'Post "{url}": context deadline exceeded')
    else:
        assert await admit(admission) == pod()
    assert asyncio.get_running_loop().time() - started < 2.5
    assert server.called("slow")[0]["query"] == {"timeout": "1s"}


async def test_certificate_from_another_ca_is_refused(server: WebhookServer) -> None:
    hook = webhook(server, "allow")
    hook["clientConfig"]["caBundle"] = base64.b64encode(
        CertificateAuthority.create("other").cert_pem
    ).decode()
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[hook]))
    assert raised.value.message.endswith("x509: certificate signed by unknown authority")


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        pytest.param(
            "bad-uid", "received invalid webhook response: expected response.uid=", id="uid"
        ),
        pytest.param(
            "fail-500",
            'failed to call webhook: an error on the server ("boom") has prevented the request',
            id="http-500",
        ),
    ],
)
async def test_invalid_answers_are_calling_failures(
    server: WebhookServer, path: str, detail: str
) -> None:
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[webhook(server, path)]))
    assert raised.value.status == 500
    assert f'failed calling webhook "{path}.example.com": {detail}' in raised.value.message
    assert await admit(chain(validating=[webhook(server, path, failurePolicy="Ignore")])) == pod()


async def test_validating_webhook_may_not_patch(server: WebhookServer) -> None:
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[webhook(server, "label")]))
    assert raised.value.message.endswith(
        "received invalid webhook response: validating webhook may not return response.patch"
    )


async def test_dry_run_is_refused_by_webhooks_with_side_effects(server: WebhookServer) -> None:
    hook = webhook(server, "allow", sideEffects="Some", failurePolicy="Ignore")
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[hook]), dry_run=True)
    assert (raised.value.status, raised.value.reason) == (400, "BadRequest")
    assert raised.value.message == 'admission webhook "allow.example.com" does not support dry run'
    assert server.called("allow") == []


async def test_dry_run_reaches_webhooks_without_side_effects(server: WebhookServer) -> None:
    hook = webhook(server, "allow", sideEffects="NoneOnDryRun")
    await admit(chain(validating=[hook]), dry_run=True)
    request = server.called("allow")[0]["body"]["request"]
    assert request["dryRun"] is True
    assert request["options"]["dryRun"] == ["All"]


@pytest.mark.parametrize(
    ("policy", "calls"),
    [pytest.param("IfNeeded", 2, id="if-needed"), pytest.param("Never", 1, id="never")],
)
async def test_reinvocation_reruns_earlier_webhooks_once_after_a_later_change(
    server: WebhookServer, policy: str, calls: int
) -> None:
    first = webhook(server, "tag-a", reinvocationPolicy=policy)
    admission = chain(mutating=[first, webhook(server, "tag-b")])
    obj = await admit(admission, pod())
    assert obj is not None
    assert obj["metadata"]["labels"] == {"a": "yes", "b": "yes"}
    tagged = server.called("tag-a")
    assert len(tagged) == calls
    assert len(server.called("tag-b")) == 1
    if calls == 2:
        assert tagged[1]["body"]["request"]["object"]["metadata"]["labels"] == {
            "a": "yes",
            "b": "yes",
        }


async def test_service_reference_is_called_by_its_cluster_name(server: WebhookServer) -> None:
    hook = webhook(server, "allow")
    hook["clientConfig"] = {
        "service": {"namespace": "webhooks", "name": "hooks", "port": 8443, "path": "/allow"},
        "caBundle": hook["clientConfig"]["caBundle"],
    }
    resolved: list[tuple[str, str, int]] = []

    def resolve(namespace: str, name: str, port: int) -> str:
        resolved.append((namespace, name, port))
        return f"https://127.0.0.1:{server.port}"

    await admit(chain(validating=[hook], resolve_service=resolve))
    assert resolved == [("webhooks", "hooks", 8443)]
    assert server.called("allow")[0]["host"] == "hooks.webhooks.svc:8443"


async def test_webhooks_are_called_in_configuration_name_order(server: WebhookServer) -> None:
    configs: tuple[list[dict[str, Any]], list[dict[str, Any]]] = (
        [
            {"metadata": {"name": "b"}, "webhooks": [webhook(server, "tag-b")]},
            {"metadata": {"name": "a"}, "webhooks": [webhook(server, "tag-a")]},
        ],
        [],
    )
    admission = AdmissionChain(
        lambda: configs, NAMESPACES.__getitem__, apply_json_patch=apply_json_patch
    )
    await admit(admission)
    assert [c["path"] for c in server.calls] == ["/tag-a", "/tag-b"]


async def test_unsupported_review_version_is_a_calling_failure(server: WebhookServer) -> None:
    hook = webhook(server, "allow", admissionReviewVersions=["v2"])
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[hook]))
    assert raised.value.message.endswith(
        "could not create admission objects: webhook does not accept known AdmissionReview"
        " versions (v1, v1beta1)"
    )


async def test_scale_subresource_sends_a_scale_kind(server: WebhookServer) -> None:
    rule = {**POD_RULE, "apiGroups": ["apps"], "resources": ["deployments/scale"]}
    scale = {"apiVersion": "autoscaling/v1", "kind": "Scale", "spec": {"replicas": 2}}
    admission = chain(validating=[webhook(server, "allow", rules=[rule])])
    await admit(admission, scale, kind=DEPLOYMENT_KIND, subresource="scale", operation="UPDATE")
    request = server.called("allow")[0]["body"]["request"]
    assert request["kind"] == {"group": "autoscaling", "version": "v1", "kind": "Scale"}
    assert request["resource"] == {"group": "apps", "version": "v1", "resource": "deployments"}
    assert (request["subResource"], request["requestSubResource"]) == ("scale", "scale")


async def test_match_conditions_are_refused_rather_than_ignored(server: WebhookServer) -> None:
    hook = webhook(server, "allow", matchConditions=[{"name": "x", "expression": "true"}])
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(validating=[hook]))
    assert raised.value.status == 403
    assert raised.value.message.startswith('pods "p1" is forbidden: ')


async def test_mutate_and_validate_run_separately(server: WebhookServer) -> None:
    admission = chain(mutating=[webhook(server, "label")], validating=[webhook(server, "deny")])
    request: dict[str, Any] = {
        "operation": "CREATE",
        "kind": POD_KIND,
        "subresource": "",
        "namespace": "default",
        "name": "p1",
        "obj": pod(),
        "old": None,
        "user": USER,
        "dry_run": False,
    }
    mutated = await admission.mutate(**request)
    assert mutated.object is not None
    assert mutated.object["metadata"]["labels"] == {"patched": "yes"}
    with pytest.raises(AdmissionDenied):
        await admission.validate(**{**request, "obj": mutated.object})


def _patch_module_ready() -> bool:
    try:
        module = importlib.import_module("sandbox.apiserver.patch")
    except ImportError:
        return False
    return hasattr(module, "apply_json_patch")


@pytest.mark.skipif(not _patch_module_ready(), reason="the patch package is not complete yet")
async def test_default_patch_applier_is_the_patch_modules(server: WebhookServer) -> None:
    admission = chain(mutating=[webhook(server, "label")], apply_json_patch=None)
    obj = await admit(admission, pod(app="web"))
    assert obj is not None
    assert obj["metadata"]["labels"] == {"app": "web", "patched": "yes"}
    with pytest.raises(AdmissionDenied) as raised:
        await admit(chain(mutating=[webhook(server, "bad-patch")], apply_json_patch=None))
    assert (raised.value.status, raised.value.reason) == (500, "InternalError")
