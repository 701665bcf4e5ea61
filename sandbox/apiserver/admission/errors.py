"""Admission errors, and the Status each failure becomes, worded as kube-apiserver words it.

    Exception
    ├── AdmissionDenied        the request fails; carries the Status the server answers with
    └── CallingWebhookError    the webhook could not be asked or answered nonsense
                               (internal: `failurePolicy` decides whether it becomes an
                               AdmissionDenied 500 or is ignored)

A webhook's own refusal (`allowed: false`) is an AdmissionDenied built from the Status the
webhook returned (`webhook_denied`, Go's `ToStatusErr`). Failing to reach a webhook whose
failurePolicy is Fail is a 500 InternalError whose message chains the causes as Go does:
`Internal error occurred: failed calling webhook "<name>": failed to call webhook: Post ...`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.apiserver.schema.gojson import go_quote


class AdmissionDenied(Exception):
    """Admission refused the request; `to_status()` is the response body.

    Attributes:
        status: the HTTP status code (also the Status `code`).
        reason: the Status `reason` (may be "" when a webhook's denial gives none).
        message: the Status `message`.
        details: the Status `details`, if any.
    """

    def __init__(
        self,
        status: int,
        reason: str,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.details = dict(details) if details else None

    def to_status(self) -> dict[str, Any]:
        """The metav1.Status the server writes, fields in Go's order."""
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
        }
        if self.reason:
            body["reason"] = self.reason
        if self.details:
            body["details"] = self.details
        body["code"] = self.status
        return body


class CallingWebhookError(Exception):
    """`webhookutil.ErrCallingWebhook`: a transport-level failure, subject to failurePolicy."""

    def __init__(self, webhook: str, reason: str) -> None:
        self.webhook = webhook
        self.reason = reason
        super().__init__(f"failed calling webhook {go_quote(webhook)}: {reason}")


def internal_error(message: str) -> AdmissionDenied:
    """`apierrors.NewInternalError(err)`."""
    return AdmissionDenied(
        500,
        "InternalError",
        f"Internal error occurred: {message}",
        details={"causes": [{"message": message}]},
    )


def bad_request(message: str) -> AdmissionDenied:
    return AdmissionDenied(400, "BadRequest", message)


def namespace_not_found(name: str) -> AdmissionDenied:
    """`apierrors.NewNotFound(namespaces, name)`, as the namespace selector reports it."""
    return AdmissionDenied(
        404,
        "NotFound",
        f"namespaces {go_quote(name)} not found",
        details={"name": name, "kind": "namespaces"},
    )


def forbidden(*, group: str, resource: str, name: str, cause: str) -> AdmissionDenied:
    """`apierrors.NewForbidden(groupResource, name, err)`."""
    qualified = f"{resource}.{group}" if group else resource
    subject = f"{qualified} {go_quote(name)}" if name else qualified
    details = {"name": name, "group": group, "kind": resource}
    return AdmissionDenied(
        403,
        "Forbidden",
        f"{subject} is forbidden: {cause}",
        details={k: v for k, v in details.items() if v},
    )


def dry_run_unsupported(webhook: str) -> AdmissionDenied:
    """`NewDryRunUnsupportedErr`: a webhook with side effects cannot see a dry run."""
    return bad_request(f"admission webhook {go_quote(webhook)} does not support dry run")


def webhook_denied(webhook: str, result: Mapping[str, Any] | None) -> AdmissionDenied:
    """`ToStatusErr`: the webhook's Status, forced to a failure code of at least 400."""
    status = dict(result or {})
    denied_by = f"admission webhook {go_quote(webhook)} denied the request"
    code = status.get("code")
    code = code if isinstance(code, int) and code >= 400 else 400
    reason = str(status.get("reason") or "")
    if status.get("message"):
        message = f"{denied_by}: {status['message']}"
    elif reason:
        message = f"{denied_by}: {reason}"
    else:
        message = f"{denied_by} without explanation"
    details = status.get("details")
    return AdmissionDenied(
        code, reason, message, details=details if isinstance(details, Mapping) else None
    )
