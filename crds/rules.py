"""The operator's rules for FlinkDeployments and FlinkSessionJobs, on parsed models.

Each rule is upstream's (`reference/upstream-api.md` §11), in its newest form, phrased so the
message says what to change. Paths name the field to edit: a missing configuration key is
reported on the field that needs it (`spec.job.upgradeMode`), a bad one on the key itself
(`spec.flinkConfiguration.kubernetes.cluster-id`). Callers go through `crds.validation`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crds.common import (
    OLDEST_SUPPORTED_FLINK_VERSION,
    JobManagerSpec,
    JobSpec,
    JobState,
    TaskManagerSpec,
    UpgradeMode,
)
from crds.config import (
    CHECKPOINT_DIR_KEYS,
    SAVEPOINT_DIR_KEYS,
    TASK_SLOTS_KEY,
    first_set,
    ha_enabled,
    merged,
)
from crds.deployment import FlinkDeployment, FlinkDeploymentSpec
from crds.errors import FieldError
from crds.sessionjob import FlinkSessionJob
from crds.sizing import job_manager_rules, task_manager_rules
from crds.units import is_quartz_cron, parse_bool, parse_duration

if TYPE_CHECKING:  # the context type only; importing it at runtime would be circular
    from crds.validation import ValidationContext

CONF = "spec.flinkConfiguration"
NAME_PATTERN = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
MAX_NAME_LENGTH = 45
FORBIDDEN_KEYS = {
    "kubernetes.namespace": "the operator sets it from metadata.namespace",
    "kubernetes.cluster-id": "the operator sets it from metadata.name",
    "high-availability.cluster-id": "the operator sets it from metadata.name",
}
LOG_CONFIG_KEYS = ("log4j-console.properties", "logback-console.xml")
PULL_POLICIES = ("Always", "Never", "IfNotPresent")
INGRESS_PLACEHOLDER = re.compile(r"\{\{([^}]*)\}\}")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

OP = "kubernetes.operator."
PERIODIC_SAVEPOINT_KEY = OP + "periodic.savepoint.interval"
ROLLBACK_KEY = OP + "deployment.rollback.enabled"
HEALTH_CHECK_KEY = OP + "cluster.health-check.enabled"
JM_RECOVERY_KEY = OP + "jm-deployment-recovery.enabled"
MAX_CHECKPOINT_AGE_KEY = OP + "job.upgrade.last-state.max.allowed.checkpoint.age"
ALLOWED_SCHEMES_KEY = OP + "user.artifacts.allowed-schemes"
RESTRICTED_HOSTS_KEY = OP + "user.artifacts.disallow-restricted-hosts"
DEFAULT_ALLOWED_SCHEMES = "https,local"
BOOLEAN_KEYS = (
    ROLLBACK_KEY,
    HEALTH_CHECK_KEY,
    JM_RECOVERY_KEY,
    RESTRICTED_HOSTS_KEY,
    OP + "job.upgrade.ignore-pending-savepoint",
    OP + "job.upgrade.last-state-fallback.enabled",
    OP + "savepoint.cleanup.enabled",
    OP + "job.restart.failed",
)
DURATION_KEYS = (
    OP + "savepoint.history.max.age",
    OP + "deployment.readiness.timeout",
    OP + "savepoint.trigger.grace-period",
    MAX_CHECKPOINT_AGE_KEY,
    OP + "reconcile.interval",
    OP + "observer.progress-check.interval",
)
COUNT_KEYS = (OP + "savepoint.history.max.count",)


def conf_path(key: str) -> str:
    """The path of a configuration key inside `spec.flinkConfiguration`."""
    return f"{CONF}.{key}"


def deployment_rules(deployment: FlinkDeployment, ctx: ValidationContext) -> list[FieldError]:
    """Every rule violation of a parsed FlinkDeployment."""
    spec = deployment.spec
    own = spec.flink_configuration or {}
    conf = merged(ctx.operator_config, own)
    errors = [
        *_name(deployment.metadata.name),
        *_required_fields(spec),
        *_forbidden_keys(own),
        *_operator_options(conf, own),
        *_log_configuration(spec.log_configuration),
        *_ingress(spec),
        *_rollback(conf),
        *job_manager_rules(spec.job_manager or JobManagerSpec(), conf),
        *task_manager_rules(spec.task_manager or TaskManagerSpec(), conf),
    ]
    if spec.job is not None:
        replicas = spec.task_manager.replicas if spec.task_manager else None
        errors += _job(spec.job, conf, tm_replicas=replicas)
    if ctx.previous is not None:
        errors += _changes(spec, ctx.previous)
    return errors


def session_job_rules(session_job: FlinkSessionJob, ctx: ValidationContext) -> list[FieldError]:
    """Every rule violation of a parsed FlinkSessionJob."""
    spec = session_job.spec
    own = spec.flink_configuration or {}
    session_conf = ctx.session.spec.flink_configuration if ctx.session else None
    conf = merged(ctx.operator_config, session_conf, own)
    errors: list[FieldError] = []
    if not spec.deployment_name:
        errors.append(
            FieldError(
                "spec.deploymentName",
                "required: name the session FlinkDeployment to run the job on",
            )
        )
    elif ctx.previous_deployment_name and spec.deployment_name != ctx.previous_deployment_name:
        errors.append(
            FieldError(
                "spec.deploymentName",
                f'cannot change from "{ctx.previous_deployment_name}" after the job was submitted; '
                "delete the FlinkSessionJob and create a new one",
            )
        )
    if ctx.session is not None and ctx.session.spec.job is not None:
        errors.append(
            FieldError(
                "spec.deploymentName",
                f'"{spec.deployment_name}" is an application cluster (it has spec.job); session '
                "jobs can only run on a session cluster",
            )
        )
    errors += _operator_options(conf, own)
    if spec.job is None:
        errors.append(FieldError("spec.job", "required: describe the job to submit"))
        return errors
    errors += _session_jar(spec.job.jar_uri, conf)
    # Upstream checks the state-directory rules against the session cluster's configuration,
    # and only when that cluster is known.
    errors += _job(spec.job, conf, tm_replicas=None, config_known=ctx.session is not None)
    return errors


def _name(name: str | None) -> Iterator[FieldError]:
    if name and (len(name) > MAX_NAME_LENGTH or not NAME_PATTERN.match(name)):
        yield FieldError(
            "metadata.name",
            f'"{name}" is invalid: use lower case letters, digits and "-", start with a letter, '
            f"end with a letter or digit, at most {MAX_NAME_LENGTH} characters "
            "(it becomes the Flink cluster id and Service names)",
        )


def _required_fields(spec: FlinkDeploymentSpec) -> Iterator[FieldError]:
    if spec.flink_version is None:
        yield FieldError(
            "spec.flinkVersion", "required: the Flink version of the image, for example v2_1"
        )
    elif spec.flink_version.release < OLDEST_SUPPORTED_FLINK_VERSION.release:
        yield FieldError(
            "spec.flinkVersion",
            f"{spec.flink_version.value} is no longer supported; use "
            f"{OLDEST_SUPPORTED_FLINK_VERSION.value} or newer (and a matching image)",
        )
    if not spec.service_account:
        yield FieldError(
            "spec.serviceAccount",
            "required: the ServiceAccount the Flink pods run as, for example flink",
        )
    if spec.image is not None and not spec.image.strip():
        yield FieldError("spec.image", "must not be empty; leave it out to use the default image")
    if spec.image_pull_policy is not None and spec.image_pull_policy not in PULL_POLICIES:
        supported = ", ".join(PULL_POLICIES)
        yield FieldError(
            "spec.imagePullPolicy",
            f'unsupported value "{spec.image_pull_policy}": use one of {supported}',
        )


def _forbidden_keys(own: Mapping[str, str]) -> Iterator[FieldError]:
    for key, reason in FORBIDDEN_KEYS.items():
        if key in own:
            yield FieldError(conf_path(key), f"forbidden, {reason}")


def _operator_options(conf: Mapping[str, str], own: Mapping[str, str]) -> Iterator[FieldError]:
    """Operator settings must parse; only keys set in the resource itself are reported."""
    for key in BOOLEAN_KEYS:
        if key in own:
            try:
                parse_bool(own[key])
            except ValueError as exc:
                yield FieldError(conf_path(key), str(exc))
    for key in DURATION_KEYS:
        if key in own:
            try:
                parse_duration(own[key])
            except ValueError as exc:
                yield FieldError(conf_path(key), str(exc))
    for key in (*COUNT_KEYS, TASK_SLOTS_KEY):
        if key in own and not (own[key].strip().isdigit() and int(own[key]) > 0):
            yield FieldError(conf_path(key), f'"{own[key]}" must be a whole number of at least 1')
    if PERIODIC_SAVEPOINT_KEY in own:
        interval = own[PERIODIC_SAVEPOINT_KEY]
        if not is_quartz_cron(interval):
            try:
                parse_duration(interval)
            except ValueError:
                yield FieldError(
                    conf_path(PERIODIC_SAVEPOINT_KEY),
                    f'"{interval}" is neither a duration (such as 6h) nor a Quartz '
                    'cron expression (such as "0 0 * * * ?")',
                )
    if _enabled(conf, HEALTH_CHECK_KEY) and not _enabled(conf, JM_RECOVERY_KEY, default=True):
        yield FieldError(
            conf_path(HEALTH_CHECK_KEY),
            f"needs {JM_RECOVERY_KEY}: true, since restarting an unhealthy job "
            "recreates its JobManager",
        )


def _enabled(conf: Mapping[str, str], key: str, *, default: bool = False) -> bool:
    try:
        return parse_bool(conf[key]) if key in conf else default
    except ValueError:
        return default


def _log_configuration(logs: Mapping[str, str] | None) -> Iterator[FieldError]:
    for key in logs or {}:
        if key not in LOG_CONFIG_KEYS:
            allowed = " or ".join(LOG_CONFIG_KEYS)
            yield FieldError(
                f"spec.logConfiguration.{key}", f"unsupported log configuration file; use {allowed}"
            )


def _ingress(spec: FlinkDeploymentSpec) -> Iterator[FieldError]:
    if spec.ingress is None:
        return
    template = spec.ingress.template
    if not template or not template.strip():
        yield FieldError(
            "spec.ingress.template",
            "required when spec.ingress is set, for example "
            '"{{name}}.{{namespace}}.flink.example.com"',
        )
        return
    unknown = [p for p in INGRESS_PLACEHOLDER.findall(template) if p not in ("name", "namespace")]
    if unknown:
        yield FieldError(
            "spec.ingress.template",
            f"unknown placeholder {{{{{unknown[0]}}}}}: only {{{{name}}}} and "
            "{{namespace}} are replaced",
        )
        return
    filled = template.replace("{{name}}", "name").replace("{{namespace}}", "namespace")
    host = urlsplit(filled if "://" in filled else f"http://{filled}").hostname or ""
    if filled.startswith("/"):
        host = ""
    if host and not DNS_SUBDOMAIN.match(host):
        yield FieldError(
            "spec.ingress.template",
            f'host "{host}" is not a valid DNS name (lower case letters, digits, "-" and ".")',
        )


def _rollback(conf: Mapping[str, str]) -> Iterator[FieldError]:
    if _enabled(conf, ROLLBACK_KEY) and not ha_enabled(conf):
        yield FieldError(
            conf_path(ROLLBACK_KEY),
            "rollback needs high availability: set high-availability.type "
            "(for example kubernetes) and high-availability.storageDir",
        )


def _job(
    job: JobSpec, conf: Mapping[str, str], *, tm_replicas: int | None, config_known: bool = True
) -> Iterator[FieldError]:
    path = "spec.job"
    has_checkpoint_dir = not config_known or first_set(conf, CHECKPOINT_DIR_KEYS) is not None
    has_savepoint_dir = not config_known or first_set(conf, SAVEPOINT_DIR_KEYS) is not None
    if job.jar_uri is not None and not job.jar_uri.strip():
        yield FieldError(
            f"{path}.jarURI", "must not be empty; leave it out if the job's jar is on the classpath"
        )
    if job.upgrade_mode is not UpgradeMode.STATELESS and not has_checkpoint_dir:
        yield FieldError(
            f"{path}.upgradeMode",
            f'"{job.upgrade_mode.value}" needs a checkpoint directory: set '
            "state.checkpoints.dir (or execution.checkpointing.dir) in "
            "spec.flinkConfiguration",
        )
    if not has_savepoint_dir:
        why = (
            "set state.savepoints.dir (or execution.checkpointing.savepoint-dir) in "
            "spec.flinkConfiguration"
        )
        if job.upgrade_mode is UpgradeMode.SAVEPOINT:
            yield FieldError(
                f"{path}.upgradeMode", f'"savepoint" needs a savepoint directory: {why}'
            )
        if job.savepoint_trigger_nonce is not None:
            yield FieldError(
                f"{path}.savepointTriggerNonce",
                f"manual savepoints need a savepoint directory: {why}",
            )
        if _periodic_savepoints_on(conf):
            yield FieldError(
                conf_path(PERIODIC_SAVEPOINT_KEY),
                f"periodic savepoints need a savepoint directory: {why}",
            )
        if MAX_CHECKPOINT_AGE_KEY in conf:
            yield FieldError(
                conf_path(MAX_CHECKPOINT_AGE_KEY),
                f"falling back to a savepoint needs a savepoint directory: {why}",
            )
    if tm_replicas is None and job.parallelism < 1:
        yield FieldError(
            f"{path}.parallelism", "must be at least 1 (or set spec.taskManager.replicas)"
        )
    if job.savepoint_redeploy_nonce is not None and not (job.initial_savepoint_path or "").strip():
        yield FieldError(
            f"{path}.initialSavepointPath",
            "required with savepointRedeployNonce: the savepoint to redeploy from",
        )
    if (
        job.state is JobState.RUNNING
        and job.entry_class is not None
        and not job.entry_class.strip()
    ):
        yield FieldError(
            f"{path}.entryClass", "must not be empty; leave it out to use the jar's Main-Class"
        )


def _periodic_savepoints_on(conf: Mapping[str, str]) -> bool:
    interval = conf.get(PERIODIC_SAVEPOINT_KEY, "").strip()
    if not interval:
        return False
    if is_quartz_cron(interval):
        return True
    try:
        return parse_duration(interval).total_seconds() > 0
    except ValueError:
        return True


def _session_jar(jar_uri: str | None, conf: Mapping[str, str]) -> Iterator[FieldError]:
    path = "spec.job.jarURI"
    if not jar_uri or not jar_uri.strip():
        yield FieldError(path, "required: the URI of the job jar, for example https://...")
        return
    parts = urlsplit(jar_uri)
    # Flink list options are separated by ";", upstream's documentation says ","; take both.
    listed = re.split(r"[,;]", conf.get(ALLOWED_SCHEMES_KEY, DEFAULT_ALLOWED_SCHEMES))
    allowed = [scheme.strip().lower() for scheme in listed if scheme.strip()]
    scheme = parts.scheme.lower()
    if scheme not in allowed:
        yield FieldError(
            path,
            f'scheme "{scheme or "(none)"}" is not allowed; allowed: '
            f"{', '.join(allowed)} (operator setting {ALLOWED_SCHEMES_KEY})",
        )
    elif scheme in ("http", "https") and _enabled(conf, RESTRICTED_HOSTS_KEY, default=True):
        host = (parts.hostname or "").lower()
        if _restricted_host(host):
            yield FieldError(
                path,
                f'host "{host}" is a loopback, private or link-local address; '
                f"the operator will not fetch from it ({RESTRICTED_HOSTS_KEY})",
            )


def _restricted_host(host: str) -> bool:
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def _changes(spec: FlinkDeploymentSpec, previous: FlinkDeploymentSpec) -> Iterator[FieldError]:
    """Rules comparing a spec with the one last deployed."""
    if (previous.job is None) != (spec.job is None):
        direction = "session to application" if spec.job else "application to session"
        yield FieldError(
            "spec.job",
            f"cannot switch from {direction} cluster after the first "
            "deployment; delete the resource and create it anew",
        )
    if previous.effective_mode is not spec.effective_mode:
        yield FieldError(
            "spec.mode",
            f"cannot change from {previous.effective_mode.value} to "
            f"{spec.effective_mode.value} after the first deployment",
        )
    if (
        previous.job is not None
        and previous.job.state is JobState.SUSPENDED
        and previous.job.upgrade_mode is UpgradeMode.LAST_STATE
        and previous.flink_version != spec.flink_version
    ):
        yield FieldError(
            "spec.flinkVersion",
            "cannot change while the job is suspended with last-state: its state "
            "is Flink-version specific; resume first, or use a savepoint",
        )
