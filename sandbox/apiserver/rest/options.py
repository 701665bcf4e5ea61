"""Per-request write options (dryRun, fieldManager, fieldValidation, force), users, warnings.

These are the query parameters every write handler shares, validated as
`ValidateCreateOptions`/`ValidatePatchOptions` validate them; the requesting user handed to
admission webhooks; and the `Warning` response headers (`299 - "text"`) through which the
apiserver reports dropped unknown fields and webhook warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web

from sandbox.apiserver import builtin_schemas, errors
from sandbox.apiserver.errors import GroupKind
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.patch.schema import FieldSchema
from sandbox.apiserver.rest.decoding import field_validation
from sandbox.apiserver.schema.field import ErrorType, FieldError, not_supported, required

FIELD_MANAGER_MAX: Final = 128
ADMIN_USER: Final[Mapping[str, Any]] = {
    "username": "sandbox-admin",
    "uid": "sandbox-admin",
    "groups": ["system:masters", "system:authenticated"],
}


@dataclass(frozen=True)
class WriteOptions:
    """The options of one create, update, patch or delete request."""

    dry_run: bool = False
    field_manager: str = ""
    field_validation: str = "Warn"
    force: bool = False
    user: Mapping[str, Any] = field(default_factory=lambda: ADMIN_USER)

    def admission_options(self, operation: str) -> dict[str, Any]:
        """The Create/Update/PatchOptions object admission webhooks receive."""
        kind = {"CREATE": "CreateOptions", "UPDATE": "UpdateOptions", "DELETE": "DeleteOptions"}
        body: dict[str, Any] = {
            "kind": kind.get(operation, "UpdateOptions"),
            "apiVersion": "meta.k8s.io/v1",
        }
        if self.dry_run:
            body["dryRun"] = ["All"]
        if self.field_manager and operation != "DELETE":
            body["fieldManager"] = self.field_manager
        return body


def _user_agent_manager(user_agent: str) -> str:
    """`prefixFromUserAgent`: the user agent up to its first `/`, printable, at most 128."""
    head = user_agent.split("/", 1)[0]
    return "".join(c for c in head if c.isprintable())[:FIELD_MANAGER_MAX]


def _options_kind(operation: str) -> GroupKind:
    return GroupKind("meta.k8s.io", operation)


def write_options(
    request: web.Request, *, options_kind: str, apply: bool = False, patch: bool = False
) -> WriteOptions:
    """Parse and validate the shared write parameters of a request.

    Raises:
        ApiError: 422 Invalid `<Create|Update|Patch>Options.meta.k8s.io`, as upstream.
    """
    query = request.query
    errs: list[FieldError] = []
    dry_run_values = query.getall("dryRun", [])
    for value in dry_run_values:
        if value != "All":
            errs.append(not_supported("dryRun", value, supported=["All"]))
    manager = query.get("fieldManager", "")
    if len(manager) > FIELD_MANAGER_MAX:
        errs.append(
            FieldError(
                field="fieldManager",
                type=ErrorType.TOO_LONG,
                message=f"Too long: may not be more than {FIELD_MANAGER_MAX} bytes",
            )
        )
    if apply and not manager:
        errs.append(required("fieldManager", "is required for apply patch"))
    force_text = query.get("force")
    if force_text is not None and patch and not apply:
        errs.append(
            FieldError(
                field="force",
                type=ErrorType.FORBIDDEN,
                message="Forbidden: may not be specified for non-apply patch",
            )
        )
    if errs:
        raise errors.invalid(_options_kind(options_kind), "", errors=errs)
    if not manager:
        manager = _user_agent_manager(request.headers.get("User-Agent", ""))
    return WriteOptions(
        dry_run=bool(dry_run_values),
        field_manager=manager,
        field_validation=field_validation(query.get("fieldValidation")),
        force=force_text in ("true", "1", "True"),
    )


_SCHEMAS: dict[ResourceKind, tuple[object, FieldSchema]] = {}


def field_schema(kind: ResourceKind) -> FieldSchema:
    """The list types and map keys managedFields and apply follow for `kind`.

    Cached per kind and schema object: a CRD update brings a new schema (and `ResourceKind`
    compares without its schema, so the schema's identity is checked too).
    """
    cached = _SCHEMAS.get(kind)
    if cached is not None and cached[0] is kind.schema:
        return cached[1]
    if kind.custom:
        schema = FieldSchema.custom(dict(kind.schema or {}))
    else:
        name = builtin_schemas.definition_name(kind.group, kind.version, kind.kind)
        schema = FieldSchema.builtin(name or "")
    _SCHEMAS[kind] = (kind.schema, schema)
    return schema


def warning_value(text: str) -> str:
    """One `Warning` header value: `299 - "text"`, quotes and backslashes escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'299 - "{escaped}"'


def add_warnings(response: web.StreamResponse, warnings: Iterable[str]) -> web.StreamResponse:
    seen: set[str] = set()
    for text in warnings:
        if text not in seen:
            seen.add(text)
            response.headers.add("Warning", warning_value(text))
    return response
