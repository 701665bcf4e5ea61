"""API errors as kube-apiserver reports them: one exception carrying a `metav1.Status` body.

Every failure a client can see leaves the server as a `Status` object (kind, apiVersion,
status "Failure", message, reason, details, code), because kubectl, client-go, the Python
client and fabric8 all parse that body: kubectl prints `message`, controllers branch on
`reason` (`IsNotFound`, `IsConflict`, `IsAlreadyExists`), and `details.causes` carry field
errors. The constructors mirror apimachinery's `k8s.io/apimachinery/pkg/api/errors`, with the
same wording, so that messages match a real cluster's string for string.

    ApiError                     any Status-shaped failure (code, reason, message, details)
      raised by store, lifecycle, gc, REST handlers; rendered by the server's middleware
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sandbox.apiserver.schema.field import FieldError

OPTIMISTIC_LOCK_MESSAGE: Final = (
    "the object has been modified; please apply your changes to the latest version and try again"
)
NOT_FOUND_MESSAGE: Final = "the server could not find the requested resource"


@dataclass(frozen=True)
class GroupResource:
    """A resource qualified by its group; `str()` prints `deployments.apps` or `pods`."""

    group: str
    resource: str

    def __str__(self) -> str:
        return f"{self.resource}.{self.group}" if self.group else self.resource


@dataclass(frozen=True)
class GroupKind:
    """A kind qualified by its group; `str()` prints `Deployment.apps` or `Pod`."""

    group: str
    kind: str

    def __str__(self) -> str:
        return f"{self.kind}.{self.group}" if self.group else self.kind


class ApiError(Exception):
    """A failure the server answers with a `Status` body and the matching HTTP code."""

    def __init__(
        self,
        *,
        code: int,
        reason: str,
        message: str,
        details: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = dict(details) if details is not None else None
        self.headers = dict(headers or {})

    def status(self) -> dict[str, Any]:
        """The `metav1.Status` body, fields in the order the apiserver writes them."""
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body


def _details(
    *,
    name: str = "",
    group: str = "",
    kind: str = "",
    uid: str = "",
    causes: Sequence[Mapping[str, str]] = (),
    retry_after: int = 0,
) -> dict[str, Any]:
    """StatusDetails with Go's `omitempty`: empty fields are left out."""
    details: dict[str, Any] = {}
    for field_name, value in (("name", name), ("group", group), ("kind", kind), ("uid", uid)):
        if value:
            details[field_name] = value
    if causes:
        details["causes"] = [dict(cause) for cause in causes]
    if retry_after:
        details["retryAfterSeconds"] = retry_after
    return details


def success(*, resource: GroupResource, name: str, uid: str) -> dict[str, Any]:
    """The `Status` a delete answers with for kinds that do not return the deleted object."""
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": _details(name=name, group=resource.group, kind=resource.resource, uid=uid),
    }


def not_found(resource: GroupResource, name: str) -> ApiError:
    return ApiError(
        code=404,
        reason="NotFound",
        message=f'{resource} "{name}" not found',
        details=_details(name=name, group=resource.group, kind=resource.resource),
    )


def path_not_found() -> ApiError:
    """A URL the server does not serve at all (no such group, version or resource)."""
    return ApiError(code=404, reason="NotFound", message=NOT_FOUND_MESSAGE, details={})


def already_exists(resource: GroupResource, name: str, *, being_deleted: bool = False) -> ApiError:
    message = f'{resource} "{name}" already exists'
    return ApiError(
        code=409,
        reason="AlreadyExists",
        message=f"object is being deleted: {message}" if being_deleted else message,
        details=_details(name=name, group=resource.group, kind=resource.resource),
    )


def conflict(
    resource: GroupResource, name: str, *, detail: str = OPTIMISTIC_LOCK_MESSAGE
) -> ApiError:
    return ApiError(
        code=409,
        reason="Conflict",
        message=f'Operation cannot be fulfilled on {resource} "{name}": {detail}',
        details=_details(name=name, group=resource.group, kind=resource.resource),
    )


def apply_conflict(causes: Sequence[Mapping[str, str]], message: str) -> ApiError:
    return ApiError(code=409, reason="Conflict", message=message, details=_details(causes=causes))


def aggregate(messages: Iterable[str]) -> str:
    """Go's `utilerrors.NewAggregate(...).Error()`: one message bare, several in brackets."""
    seen: list[str] = []
    for message in messages:
        if message not in seen:
            seen.append(message)
    return seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"


def invalid(kind: GroupKind, name: str, *, errors: Sequence[FieldError]) -> ApiError:
    """422 Invalid with one cause per field error (`apierrors.NewInvalid`)."""
    causes = [{"reason": str(e.type), "message": e.message, "field": e.field} for e in errors]
    message = f'{kind} "{name}" is invalid'
    if errors:
        message += ": " + aggregate(str(e) for e in errors)
    return ApiError(
        code=422,
        reason="Invalid",
        message=message,
        details=_details(name=name, group=kind.group, kind=kind.kind, causes=causes),
    )


def bad_request(message: str) -> ApiError:
    return ApiError(code=400, reason="BadRequest", message=message)


def forbidden(resource: GroupResource, name: str, *, detail: str) -> ApiError:
    if not resource.resource:
        message = f"forbidden: {detail}"
    elif not name:
        message = f"{resource} is forbidden: {detail}"
    else:
        message = f'{resource} "{name}" is forbidden: {detail}'
    return ApiError(
        code=403,
        reason="Forbidden",
        message=message,
        details=_details(name=name, group=resource.group, kind=resource.resource),
    )


def namespace_terminating(resource: GroupResource, name: str, *, namespace: str) -> ApiError:
    """Creating in a namespace being deleted (the NamespaceLifecycle admission plugin)."""
    detail = f"unable to create new content in namespace {namespace} because it is being terminated"
    error = forbidden(resource, name, detail=detail)
    assert error.details is not None
    error.details["causes"] = [
        {
            "reason": "NamespaceTerminating",
            "message": f"namespace {namespace} is being terminated",
            "field": "metadata.namespace",
        }
    ]
    return error


def unauthorized() -> ApiError:
    return ApiError(code=401, reason="Unauthorized", message="Unauthorized")


def method_not_supported(resource: GroupResource, action: str) -> ApiError:
    return ApiError(
        code=405,
        reason="MethodNotAllowed",
        message=f'{action} is not supported on resources of kind "{resource}"',
        details=_details(group=resource.group, kind=resource.resource),
    )


def unsupported_media_type(accepted: Sequence[str]) -> ApiError:
    return ApiError(
        code=415,
        reason="UnsupportedMediaType",
        message="the body of the request was in an unknown format - accepted media types "
        "include: " + ", ".join(accepted),
    )


def not_acceptable(accepted: Sequence[str]) -> ApiError:
    return ApiError(
        code=406,
        reason="NotAcceptable",
        message="only the following media types are accepted: " + ", ".join(accepted),
    )


def expired(message: str) -> ApiError:
    """410 Expired: a watch or continue token older than the retained history."""
    return ApiError(code=410, reason="Expired", message=message)


def too_large_resource_version(requested: int, current: int) -> ApiError:
    return ApiError(
        code=504,
        reason="Timeout",
        message=f"Timeout: Too large resource version: {requested}, current: {current}",
        details=_details(
            causes=[{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
            retry_after=1,
        ),
    )


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        code=429,
        reason="TooManyRequests",
        message="Too many requests, please try again later.",
        details=_details(retry_after=retry_after),
        headers={"Retry-After": str(retry_after)},
    )


def internal(message: str) -> ApiError:
    return ApiError(
        code=500,
        reason="InternalError",
        message=f"Internal error occurred: {message}",
        details=_details(causes=[{"message": message}]),
    )


def timeout(message: str, *, retry_after: int = 0) -> ApiError:
    return ApiError(
        code=504,
        reason="Timeout",
        message=f"Timeout: {message}",
        details=_details(retry_after=retry_after),
    )
