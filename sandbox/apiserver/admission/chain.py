"""The admission chain: mutating webhooks in order, then validating webhooks in parallel.

The REST layer calls `mutate` before it validates and defaults an object and `validate` just
before it stores it, or `admit` for both at once. Mutating webhooks run one after another in
kube-apiserver's order, each seeing the previous one's patched object; a JSON patch is applied
with `sandbox.apiserver.patch.apply_json_patch`. When a webhook changes the object, webhooks
already called that asked for `reinvocationPolicy: IfNeeded` run once more, in one extra
round. Validating webhooks see the final object and run concurrently; if several refuse, the
first answer to arrive decides, as upstream. Warnings from every webhook are collected in the
order they arrive, de-duplicated, and returned with the object (`admit_with_warnings`, or the
task-local `last_warnings` after `admit`), for the `Warning` response headers.

A call that fails (unreachable, timeout, TLS, bad answer) is ignored under
`failurePolicy: Ignore` and is a 500 otherwise. A webhook with side effects refuses dry runs
(400) whatever its failurePolicy. Not emulated: the typed decoding upstream applies after a
patch (which drops unknown fields of built-in kinds) and the defaulting after it, CEL
`matchConditions` (refused, see `hooks`), conversion for `matchPolicy: Equivalent`, audit
annotations, and client certificates for webhook calls.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, NotRequired, TypedDict, Unpack

from sandbox.apiserver.admission.errors import (
    AdmissionDenied,
    CallingWebhookError,
    dry_run_unsupported,
    internal_error,
    webhook_denied,
)
from sandbox.apiserver.admission.hooks import (
    Attributes,
    NamespaceLabels,
    Webhook,
    load_webhooks,
    request_attributes,
    should_call,
)
from sandbox.apiserver.admission.review import (
    review_request,
    review_version,
    verify_response,
)
from sandbox.apiserver.admission.transport import ResolveService, post_review
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.schema.gojson import go_quote, json_equal

logger = logging.getLogger(__name__)

WebhookConfigs = Callable[[], tuple[list[dict[str, Any]], list[dict[str, Any]]]]
ApplyJsonPatch = Callable[[dict[str, Any], object], dict[str, Any]]

_NO_SIDE_EFFECTS = ("None", "NoneOnDryRun")

_last_warnings: ContextVar[tuple[str, ...]] = ContextVar("admission_warnings", default=())


class AdmissionRequest(TypedDict):
    """A request as the REST layer describes it to the chain.

    Attributes:
        operation: CREATE, UPDATE, DELETE or CONNECT.
        kind: the resource the request is for (the parent's, for a subresource).
        subresource: "" or e.g. "status", "scale".
        namespace: the request's namespace; None or "" for cluster-scoped resources.
        name: the object's name.
        obj: the new object (None for DELETE).
        old: the stored object (None for CREATE).
        user: `{"username", "uid", "groups", "extra"}` of the requester.
        dry_run: whether the request is a dry run.
        options: the request's Create/Update/Patch/DeleteOptions object; by default a
            minimal one for the operation.
    """

    operation: str
    kind: ResourceKind
    subresource: str
    namespace: str | None
    name: str
    obj: dict[str, Any] | None
    old: dict[str, Any] | None
    user: Mapping[str, Any]
    dry_run: bool
    options: NotRequired[Mapping[str, Any] | None]


@dataclass(frozen=True)
class AdmissionResult:
    """The admitted object (None for DELETE and CONNECT) and the webhooks' warnings."""

    object: dict[str, Any] | None
    warnings: tuple[str, ...] = ()


def _apply_json_patch(doc: dict[str, Any], operations: object) -> dict[str, Any]:
    # Imported when first needed: the patch package is the REST layer's, not admission's.
    module = importlib.import_module("sandbox.apiserver.patch")
    patched: dict[str, Any] = module.apply_json_patch(doc, operations)
    return patched


class AdmissionChain:
    """Calls the registered admission webhooks for a request.

    Args:
        webhook_configs: returns the current (mutating, validating) configuration objects.
        namespace_labels: a namespace's labels; raises LookupError when it does not exist.
        resolve_service: (namespace, name, port) -> base URL to connect to for a webhook
            given as a Service; by default `https://<name>.<namespace>.svc:<port>`.
        apply_json_patch: applies a JSON patch; by default the patch module's.
    """

    def __init__(
        self,
        webhook_configs: WebhookConfigs,
        namespace_labels: NamespaceLabels,
        *,
        resolve_service: ResolveService | None = None,
        apply_json_patch: ApplyJsonPatch | None = None,
    ) -> None:
        self._webhook_configs = webhook_configs
        self._namespace_labels = namespace_labels
        self._resolve_service = resolve_service
        self._apply_json_patch = apply_json_patch or _apply_json_patch

    @property
    def last_warnings(self) -> tuple[str, ...]:
        """Warnings of the last `admit`/`mutate`/`validate` awaited in this task."""
        return _last_warnings.get()

    async def admit(self, **request: Unpack[AdmissionRequest]) -> dict[str, Any] | None:
        """Mutate, then validate; returns the (possibly mutated) object.

        Arguments as for `admit_with_warnings`.

        Raises:
            AdmissionDenied: a webhook refused, or failed under `failurePolicy: Fail`.
        """
        result = await self.admit_with_warnings(**request)
        return result.object

    async def admit_with_warnings(self, **request: Unpack[AdmissionRequest]) -> AdmissionResult:
        """`admit`, returning the warnings with the object.

        Args:
            **request: the request, as `AdmissionRequest` describes it.
        """
        attrs = request_attributes(**request)
        mutated = await self._mutate(attrs)
        validated = await self._validate(replace(attrs, obj=mutated.object))
        result = AdmissionResult(mutated.object, _unique(mutated.warnings + validated.warnings))
        _last_warnings.set(result.warnings)
        return result

    async def mutate(self, **request: Unpack[AdmissionRequest]) -> AdmissionResult:
        """The mutating webhooks only (arguments as for `admit_with_warnings`)."""
        return await self._stage(0, self._mutate, request)

    async def validate(self, **request: Unpack[AdmissionRequest]) -> AdmissionResult:
        """The validating webhooks only (arguments as for `admit_with_warnings`)."""
        return await self._stage(1, self._validate, request)

    async def _stage(
        self,
        configs: int,
        run: Callable[[Attributes], Awaitable[AdmissionResult]],
        request: AdmissionRequest,
    ) -> AdmissionResult:
        """Run one stage (0: mutating, 1: validating) and remember its warnings for the task."""
        if not self._webhook_configs()[configs]:
            _last_warnings.set(())  # no configuration: nothing to call (the common case)
            return AdmissionResult(request["obj"])
        result = await run(request_attributes(**request))
        _last_warnings.set(result.warnings)
        return result

    async def _mutate(self, attrs: Attributes) -> AdmissionResult:
        if attrs.exempt:
            return AdmissionResult(attrs.obj)
        hooks = load_webhooks(self._webhook_configs()[0], mutating=True)
        obj: dict[str, Any] | None = attrs.obj
        warnings: list[str] = []
        invoked: set[str] = set()  # called, IfNeeded, and not yet due for reinvocation
        reinvoke: set[str] = set()
        for round_ in (0, 1):
            if round_ == 1 and not reinvoke:
                break
            for hook in hooks:
                current = replace(attrs, obj=obj)
                if not should_call(hook, current, self._namespace_labels):
                    continue
                if round_ == 1 and hook.uid not in reinvoke:
                    continue
                changed = False
                try:
                    obj, changed = await self._call_mutating(hook, current, warnings)
                except CallingWebhookError as exc:
                    self._fail_open_or_raise(hook, exc)
                if changed:
                    # Everything reinvocable called so far must see the change.
                    reinvoke |= invoked
                    invoked = set()
                if hook.reinvocation_policy == "IfNeeded":
                    invoked.add(hook.uid)
        return AdmissionResult(obj, tuple(warnings))

    async def _validate(self, attrs: Attributes) -> AdmissionResult:
        if attrs.exempt:
            return AdmissionResult(attrs.obj)
        hooks = load_webhooks(self._webhook_configs()[1], mutating=False)
        relevant = [h for h in hooks if should_call(h, attrs, self._namespace_labels)]
        warnings: list[str] = []
        refusals: list[AdmissionDenied] = []

        async def run(hook: Webhook) -> None:
            try:
                await self._call(hook, attrs, warnings)
            except CallingWebhookError as exc:
                try:
                    self._fail_open_or_raise(hook, exc)
                except AdmissionDenied as denied:
                    refusals.append(denied)
            except AdmissionDenied as denied:
                refusals.append(denied)

        await asyncio.gather(*(run(hook) for hook in relevant))
        if refusals:
            raise refusals[0]  # the first to arrive, as upstream
        return AdmissionResult(attrs.obj, tuple(warnings))

    @staticmethod
    def _fail_open_or_raise(hook: Webhook, exc: CallingWebhookError) -> None:
        if hook.failure_policy == "Ignore":
            logger.warning(
                "webhook call failed, failing open", extra={"webhook": hook.name, "error": str(exc)}
            )
            return
        logger.warning(
            "webhook call failed, failing closed", extra={"webhook": hook.name, "error": str(exc)}
        )
        raise internal_error(str(exc)) from exc

    async def _call(self, hook: Webhook, attrs: Attributes, warnings: list[str]) -> Any:
        """One webhook call: dry-run check, review, POST, verification, refusal."""
        if attrs.dry_run:
            if hook.side_effects is None:
                raise CallingWebhookError(hook.name, "Webhook SideEffects is nil")
            if hook.side_effects not in _NO_SIDE_EFFECTS:
                raise dry_run_unsupported(hook.name)
        version = review_version(hook)
        if version is None:
            reason = "webhook does not accept known AdmissionReview versions (v1, v1beta1)"
            raise CallingWebhookError(hook.name, f"could not create admission objects: {reason}")
        uid = str(uuid.uuid4())
        review = review_request(attrs, uid=uid, version=version, obj=attrs.obj)
        body = await post_review(hook, review, resolve_service=self._resolve_service)
        verdict = verify_response(body, hook=hook, uid=uid, version=version)
        warnings.extend(verdict.warnings)
        if not verdict.allowed:
            raise webhook_denied(hook.name, verdict.result)
        return verdict

    async def _call_mutating(
        self, hook: Webhook, attrs: Attributes, warnings: list[str]
    ) -> tuple[dict[str, Any] | None, bool]:
        """Call a mutating webhook; returns the object after its patch, and whether it changed."""
        verdict = await self._call(hook, attrs, warnings)
        if not verdict.patch:
            return attrs.obj, False
        try:
            operations = json.loads(verdict.patch)
        except ValueError as exc:
            raise internal_error(str(exc)) from exc
        if not operations:
            return attrs.obj, False
        if attrs.obj is None:
            raise internal_error(
                f"admission webhook {go_quote(hook.name)} attempted to modify the object, "
                "which is not supported for this operation"
            )
        if verdict.patch_type != "JSONPatch":
            reason = f"unsupported patch type {go_quote(verdict.patch_type)}"
            raise CallingWebhookError(hook.name, reason)
        try:
            patched = self._apply_json_patch(copy.deepcopy(attrs.obj), operations)
        except Exception as exc:  # any failure to apply is the server's 500, as upstream
            raise internal_error(_patch_failure(exc)) from exc
        return patched, not json_equal(patched, attrs.obj)


def _unique(warnings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(warnings))


def _patch_failure(exc: Exception) -> str:
    """The JSON-patch library's own explanation: a PatchError's `cause`, else its text."""
    cause = getattr(exc, "cause", None)
    return cause if isinstance(cause, str) and cause else str(exc)
