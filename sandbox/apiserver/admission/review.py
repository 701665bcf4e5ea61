"""The AdmissionReview a webhook receives, and the checks its answer must pass.

`review_request` builds the body kube-apiserver POSTs, field for field and in Go's field order:
`uid`, `kind`/`resource`/`subResource` and their `request*` twins (identical here, since
`matchPolicy: Equivalent` is treated as Exact), `name`, `namespace`, `operation`, `userInfo`,
`object` and `oldObject` (JSON null when absent: DELETE has no object, CREATE no old one),
`dryRun`, and `options` (the request's Create/Update/Delete/PatchOptions). `admission.k8s.io/v1`
is sent when the webhook lists it in `admissionReviewVersions`, else `v1beta1`, else nothing.
`verify_response` is `VerifyAdmissionResponse`: the uid must echo the request's, a v1 answer
must say `admission.k8s.io/v1, Kind=AdmissionReview`, patch and patchType come together, and
validating webhooks may not patch. Its failures are transport-level (`CallingWebhookError`),
so failurePolicy decides what they cost.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.apiserver.admission.errors import CallingWebhookError
from sandbox.apiserver.admission.hooks import Attributes, Webhook
from sandbox.apiserver.schema.gojson import go_quote

_GROUP = "admission.k8s.io"


def review_version(hook: Webhook) -> str | None:
    """The first AdmissionReview version the webhook accepts that the server can send."""
    return next((v for v in hook.review_versions if v in ("v1", "v1beta1")), None)


def _user_info(user: Mapping[str, Any]) -> dict[str, Any]:
    info: dict[str, Any] = {}
    for key in ("username", "uid", "groups", "extra"):
        if user.get(key):
            info[key] = user[key]
    return info


def review_request(
    attrs: Attributes, *, uid: str, version: str, obj: dict[str, Any] | None
) -> dict[str, Any]:
    """The AdmissionReview body for one webhook call (`obj` is the object as of this call)."""
    kind = {"group": attrs.kind_group, "version": attrs.kind_version, "kind": attrs.kind}
    resource = {"group": attrs.group, "version": attrs.version, "resource": attrs.resource}
    request: dict[str, Any] = {"uid": uid, "kind": kind, "resource": resource}
    if attrs.subresource:
        request["subResource"] = attrs.subresource
    request["requestKind"] = dict(kind)
    request["requestResource"] = dict(resource)
    if attrs.subresource:
        request["requestSubResource"] = attrs.subresource
    if attrs.name:
        request["name"] = attrs.name
    if attrs.namespace:
        request["namespace"] = attrs.namespace
    request["operation"] = attrs.operation
    request["userInfo"] = _user_info(attrs.user)
    request["object"] = obj
    request["oldObject"] = attrs.old
    request["dryRun"] = attrs.dry_run
    request["options"] = attrs.options
    return {"kind": "AdmissionReview", "apiVersion": f"{_GROUP}/{version}", "request": request}


@dataclass(frozen=True)
class Verdict:
    """What a webhook answered: allowed or not, a JSON patch (bytes) and warnings."""

    allowed: bool
    patch: bytes
    patch_type: str
    result: Mapping[str, Any] | None
    warnings: tuple[str, ...]


def _gvk(body: Mapping[str, Any]) -> str:
    """`GroupVersionKind.String()`: `group/version, Kind=kind`."""
    api_version = str(body.get("apiVersion") or "")
    group, _, version = api_version.rpartition("/")
    return f"{group}/{version}, Kind={body.get('kind') or ''}"


def verify_response(body: Any, *, hook: Webhook, uid: str, version: str) -> Verdict:
    """`VerifyAdmissionResponse` for a decoded response body.

    Raises:
        CallingWebhookError: the answer is not a usable AdmissionReview.
    """

    def invalid(detail: str) -> CallingWebhookError:
        return CallingWebhookError(hook.name, f"received invalid webhook response: {detail}")

    if not isinstance(body, Mapping):
        raise CallingWebhookError(
            hook.name, "failed to call webhook: response body is not a JSON object"
        )
    response = body.get("response")
    if not isinstance(response, Mapping):
        raise invalid("webhook response was absent")
    raw_patch = response.get("patch")
    try:
        patch = base64.b64decode(raw_patch, validate=True) if raw_patch else b""
    except (binascii.Error, TypeError, ValueError) as exc:
        raise CallingWebhookError(hook.name, f"failed to call webhook: {exc}") from exc
    patch_type = response.get("patchType")
    if version == "v1":
        got = str(response.get("uid") or "")
        if got != uid:
            raise invalid(f"expected response.uid={go_quote(uid)}, got {go_quote(got)}")
        if _gvk(body) != f"{_GROUP}/v1, Kind=AdmissionReview":
            expected = f"{_GROUP}/v1, Kind=AdmissionReview"
            raise invalid(f"expected webhook response of {expected}, got {_gvk(body)}")
        if hook.mutating:
            if patch and patch_type is None:
                raise invalid("webhook returned response.patch but not response.patchType")
            if not patch and patch_type is not None:
                raise invalid("webhook returned response.patchType but not response.patch")
            if patch_type is not None and not patch_type:
                raise invalid(f"webhook returned invalid response.patchType of {go_quote('')}")
        elif patch:
            raise invalid("validating webhook may not return response.patch")
        elif patch_type is not None:
            raise invalid("validating webhook may not return response.patchType")
    elif patch:  # v1beta1 answers imply JSONPatch
        patch_type = "JSONPatch"
    if not hook.mutating:
        patch, patch_type = b"", None
    result = response.get("status")
    warnings = response.get("warnings")
    return Verdict(
        allowed=response.get("allowed") is True,
        patch=patch,
        patch_type=str(patch_type or ""),
        result=result if isinstance(result, Mapping) else None,
        warnings=tuple(str(w) for w in warnings) if isinstance(warnings, list) else (),
    )
