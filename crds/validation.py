"""Validate FlinkDeployments and FlinkSessionJobs: schema first, then the operator's rules.

One pure function serves the admission webhook (reject at `kubectl apply`), the workflow
(status.error and a Warning Event, never a retry loop) and `flinkop validate`. It implements
upstream's `DefaultValidator` rules (`reference/upstream-api.md` §11); where a rule changed
across releases the newest release wins, so a manifest valid for any release since 1.1.0 is
accepted. Unlike upstream, every problem is reported, not just the first, each with the path
of the field to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from pydantic import ValidationError

from crds.defaults import DEFAULT_FLINK_CONFIG
from crds.deployment import FlinkDeployment, FlinkDeploymentSpec
from crds.errors import FieldError
from crds.meta import GROUP_VERSION
from crds.rules import deployment_rules, session_job_rules
from crds.schemacheck import UNKNOWN_FIELD, check
from crds.sessionjob import FlinkSessionJob

_M = TypeVar("_M", FlinkDeployment, FlinkSessionJob)


@dataclass(frozen=True)
class ValidationContext:
    """What validation needs besides the resource itself.

    Attributes:
        operator_config: the operator's default Flink configuration in force.
        previous: the spec last deployed (upstream's lastReconciledSpec); None if never
            deployed. Rules about immutable fields compare against it.
        session: for a session job, the session FlinkDeployment it targets, if it exists.
        strict_fields: report fields the schema does not know (as kubectl's strict field
            validation does). The webhook and workflow see pruned objects and leave it off.
    """

    operator_config: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FLINK_CONFIG))
    previous: FlinkDeploymentSpec | None = None
    session: FlinkDeployment | None = None
    previous_deployment_name: str | None = None
    strict_fields: bool = False


@cache
def _crd_schema(kind: str) -> dict[str, Any]:
    from crds.generate import load

    schema: dict[str, Any] = load(kind)["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema


def validate(obj: Mapping[str, Any], context: ValidationContext | None = None) -> list[FieldError]:
    """Every problem of a FlinkDeployment or FlinkSessionJob manifest; empty when valid."""
    ctx = context or ValidationContext()
    kind = obj.get("kind")
    if obj.get("apiVersion") != GROUP_VERSION:
        return [
            FieldError("apiVersion", f'must be "{GROUP_VERSION}", not "{obj.get("apiVersion")}"')
        ]
    if kind not in ("FlinkDeployment", "FlinkSessionJob"):
        return [FieldError("kind", f'must be FlinkDeployment or FlinkSessionJob, not "{kind}"')]
    errors = schema_errors(obj, kind=kind, strict_fields=ctx.strict_fields)
    if any(not error.message.startswith(UNKNOWN_FIELD) for error in errors):
        # Rules read typed values; a document of the wrong shape cannot be checked further.
        return errors
    if kind == "FlinkDeployment":
        deployment, parse_errors = _parse(FlinkDeployment, obj)
        if deployment is None:
            return errors + parse_errors
        if deployment.metadata.is_canary:
            return errors
        return errors + deployment_rules(deployment, ctx)
    session_job, parse_errors = _parse(FlinkSessionJob, obj)
    if session_job is None:
        return errors + parse_errors
    if session_job.metadata.is_canary:
        return errors
    return errors + session_job_rules(session_job, ctx)


def schema_errors(obj: Mapping[str, Any], *, kind: str, strict_fields: bool) -> list[FieldError]:
    """What the API server would refuse: wrong types and enum values (and unknown fields)."""
    schema = _crd_schema(kind)
    body = {key: obj[key] for key in ("spec", "status") if key in obj}
    errors = check(body, schema, path="")
    if not strict_fields:
        errors = [error for error in errors if not error.message.startswith(UNKNOWN_FIELD)]
    metadata = obj.get("metadata")
    if not isinstance(metadata, Mapping) or not (
        metadata.get("name") or metadata.get("generateName")
    ):
        errors.insert(0, FieldError("metadata.name", "required"))
    return errors


def _parse(model: type[_M], obj: Mapping[str, Any]) -> tuple[_M | None, list[FieldError]]:
    try:
        return model.model_validate(obj), []
    except ValidationError as exc:
        return None, [_field_error(error) for error in exc.errors()]


def _field_error(error: Mapping[str, Any]) -> FieldError:
    path = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return FieldError(path, message)
