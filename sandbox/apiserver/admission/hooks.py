"""Which webhooks a request goes to: configurations read, defaulted, and matched.

`load_webhooks` turns MutatingWebhookConfiguration or ValidatingWebhookConfiguration objects
into `Webhook`s in kube-apiserver's calling order (configurations sorted by name, webhooks in
their listed order) with the v1 defaults applied, and with the uid (`<config>/<webhook>/<n>`)
reinvocation bookkeeping uses. `request_attributes` describes a request as the webhook
plugin sees it (the object kind of subresources such as `scale`, a Namespace's name as its own
namespace, default options). `should_call` is `ShouldCallHook`: namespaceSelector, then
objectSelector, then rules; a selector error is reported only if a rule matches.

`matchPolicy: Equivalent` is treated as Exact: the emulator serves each resource at a single
version per group, and does not convert objects between versions for a webhook that only
registered another one. `matchConditions` (CEL) are not evaluated: a matching webhook that
has any fails the request with 403 Forbidden, as a failed evaluation does upstream.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.apiserver.admission.errors import forbidden, internal_error, namespace_not_found
from sandbox.apiserver.kinds import ResourceKind
from sandbox.apiserver.schema.gojson import go_quote
from sandbox.apiserver.selectors import LabelSelector, SelectorError

NamespaceLabels = Callable[[str], Mapping[str, str]]

_EXEMPT_KINDS = frozenset(
    {
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
    }
)


@dataclass(frozen=True)
class Rule:
    """A `RuleWithOperations`; `resources` may be `*`, `pods`, `pods/status`, `*/*`, `*/scale`."""

    operations: tuple[str, ...]
    api_groups: tuple[str, ...]
    api_versions: tuple[str, ...]
    resources: tuple[str, ...]
    scope: str = "*"


@dataclass(frozen=True)
class Webhook:
    """One webhook of a configuration, with v1 defaults applied."""

    uid: str
    configuration: str
    name: str
    mutating: bool
    client_config: Mapping[str, Any]
    rules: tuple[Rule, ...]
    failure_policy: str = "Fail"
    match_policy: str = "Equivalent"
    namespace_selector: Mapping[str, Any] | None = None
    object_selector: Mapping[str, Any] | None = None
    side_effects: str | None = None
    timeout_seconds: int = 10
    review_versions: tuple[str, ...] = ("v1",)
    reinvocation_policy: str = "Never"
    match_conditions: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Attributes:
    """`admission.Attributes`: what is being done to which object, by whom.

    `resource` is the plural; `kind_*` name the object sent to webhooks (autoscaling/v1 Scale
    for the scale subresource). `namespace` is "" for cluster-scoped objects, and a
    Namespace's own name for requests on an existing Namespace.
    """

    operation: str
    group: str
    version: str
    resource: str
    subresource: str
    kind_group: str
    kind_version: str
    kind: str
    namespace: str
    name: str
    obj: dict[str, Any] | None
    old: dict[str, Any] | None
    user: Mapping[str, Any]
    dry_run: bool
    options: Mapping[str, Any] | None

    @property
    def is_namespace(self) -> bool:
        return self.group == "" and self.resource == "namespaces"

    @property
    def exempt(self) -> bool:
        """Webhook and policy configurations are never sent to webhooks."""
        return self.kind_group == "admissionregistration.k8s.io" and self.kind in _EXEMPT_KINDS


# The kind of the object a subresource request carries, when it is not the resource's own.
_SUBRESOURCE_KINDS = {
    "scale": ("autoscaling", "v1", "Scale"),
    "eviction": ("policy", "v1", "Eviction"),
    "binding": ("", "v1", "Binding"),
}
_OPTIONS_KIND = {"CREATE": "CreateOptions", "UPDATE": "UpdateOptions", "DELETE": "DeleteOptions"}


def default_options(operation: str, *, dry_run: bool) -> dict[str, Any] | None:
    """The options object of a request that gave none: `{"kind": "CreateOptions", ...}`."""
    kind = _OPTIONS_KIND.get(operation)
    if kind is None:
        return None
    options: dict[str, Any] = {"kind": kind, "apiVersion": "meta.k8s.io/v1"}
    if dry_run:
        options["dryRun"] = ["All"]
    return options


def request_attributes(
    *,
    operation: str,
    kind: ResourceKind,
    subresource: str,
    namespace: str | None,
    name: str,
    obj: dict[str, Any] | None,
    old: dict[str, Any] | None,
    user: Mapping[str, Any],
    dry_run: bool,
    options: Mapping[str, Any] | None = None,
) -> Attributes:
    """The attributes of a request, as the REST layer describes it to `AdmissionChain`."""
    group, version, kind_name = _SUBRESOURCE_KINDS.get(
        subresource, (kind.group, kind.version, kind.kind)
    )
    # Requests on an existing Namespace carry its name as their namespace.
    if kind.group == "" and kind.plural == "namespaces" and operation != "CREATE":
        namespace = namespace or name
    return Attributes(
        operation=operation,
        group=kind.group,
        version=kind.version,
        resource=kind.plural,
        subresource=subresource,
        kind_group=group,
        kind_version=version,
        kind=kind_name,
        namespace=namespace or "",
        name=name,
        obj=obj,
        old=old,
        user=user,
        dry_run=dry_run,
        options=options if options is not None else default_options(operation, dry_run=dry_run),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _rule(raw: Mapping[str, Any]) -> Rule:
    return Rule(
        operations=_strings(raw.get("operations")),
        api_groups=_strings(raw.get("apiGroups")),
        api_versions=_strings(raw.get("apiVersions")),
        resources=_strings(raw.get("resources")),
        scope=str(raw.get("scope") or "*"),
    )


def load_webhooks(configs: Sequence[Mapping[str, Any]], *, mutating: bool) -> list[Webhook]:
    """The webhooks of the configurations, in calling order."""
    hooks: list[Webhook] = []
    ordered = sorted(configs, key=lambda c: str((c.get("metadata") or {}).get("name", "")))
    for config in ordered:
        config_name = str((config.get("metadata") or {}).get("name", ""))
        seen: dict[str, int] = {}
        for raw in config.get("webhooks") or []:
            name = str(raw.get("name", ""))
            uid = f"{config_name}/{name}/{seen.get(name, 0)}"
            seen[name] = seen.get(name, 0) + 1
            timeout = raw.get("timeoutSeconds")
            hooks.append(
                Webhook(
                    uid=uid,
                    configuration=config_name,
                    name=name,
                    mutating=mutating,
                    client_config=raw.get("clientConfig") or {},
                    rules=tuple(_rule(r) for r in raw.get("rules") or []),
                    failure_policy=str(raw.get("failurePolicy") or "Fail"),
                    match_policy=str(raw.get("matchPolicy") or "Equivalent"),
                    namespace_selector=raw.get("namespaceSelector") or {},
                    object_selector=raw.get("objectSelector") or {},
                    side_effects=raw.get("sideEffects"),
                    timeout_seconds=timeout if isinstance(timeout, int) else 10,
                    review_versions=_strings(raw.get("admissionReviewVersions")),
                    reinvocation_policy=str(raw.get("reinvocationPolicy") or "Never"),
                    match_conditions=tuple(raw.get("matchConditions") or ()),
                )
            )
    return hooks


def _any(items: tuple[str, ...], requested: str) -> bool:
    return "*" in items or requested in items


def rule_matches(rule: Rule, attrs: Attributes) -> bool:
    """`rules.Matcher.Matches`: scope, operation, group, version and resource all match."""
    if rule.scope == "Namespaced":
        in_scope = not attrs.is_namespace and attrs.namespace != ""
    elif rule.scope == "Cluster":
        in_scope = attrs.is_namespace or attrs.namespace == ""
    else:
        in_scope = rule.scope == "*"
    if not in_scope or not _any(rule.operations, attrs.operation):
        return False
    if not _any(rule.api_groups, attrs.group) or not _any(rule.api_versions, attrs.version):
        return False
    for entry in rule.resources:
        resource, _, subresource = entry.partition("/")
        if resource in ("*", attrs.resource) and subresource in ("*", attrs.subresource):
            return True
    return False


def _labels(obj: Mapping[str, Any] | None) -> Mapping[str, str] | None:
    if obj is None:
        return None
    metadata = obj.get("metadata")
    labels = metadata.get("labels") if isinstance(metadata, Mapping) else None
    return labels if isinstance(labels, Mapping) else {}


def _namespace_matches(
    hook: Webhook, attrs: Attributes, namespace_labels: NamespaceLabels
) -> tuple[bool, Exception | None]:
    if attrs.namespace == "" and not attrs.is_namespace:
        return True, None  # cluster-scoped objects are never exempted
    try:
        selector = LabelSelector.from_object(hook.namespace_selector)
    except SelectorError as exc:
        return False, internal_error(exc.message)
    if selector.empty:
        return True, None
    # A namespace being created or updated is matched by its new labels.
    if attrs.is_namespace and not attrs.subresource and attrs.operation in ("CREATE", "UPDATE"):
        return selector.matches(_labels(attrs.obj)), None
    try:
        labels = namespace_labels(attrs.namespace)
    except LookupError:
        return False, namespace_not_found(attrs.namespace)
    return selector.matches(labels), None


def _object_matches(hook: Webhook, attrs: Attributes) -> tuple[bool, Exception | None]:
    try:
        selector = LabelSelector.from_object(hook.object_selector)
    except SelectorError as exc:
        return False, internal_error(exc.message)
    if selector.empty:
        return True, None
    found = [labels for labels in (_labels(attrs.obj), _labels(attrs.old)) if labels is not None]
    return any(selector.matches(labels) for labels in found), None


def should_call(hook: Webhook, attrs: Attributes, namespace_labels: NamespaceLabels) -> bool:
    """`ShouldCallHook`: whether the request goes to this webhook.

    Raises:
        AdmissionDenied: a selector that does not parse, a namespace that does not exist, or
            match conditions, for a webhook whose rules match the request.
    """
    namespace_ok, namespace_error = _namespace_matches(hook, attrs, namespace_labels)
    if not namespace_ok and namespace_error is None:
        return False
    object_ok, object_error = _object_matches(hook, attrs)
    if not object_ok and object_error is None:
        return False
    if not any(rule_matches(rule, attrs) for rule in hook.rules):
        return False
    if namespace_error is not None:
        raise namespace_error
    if object_error is not None:
        raise object_error
    if hook.match_conditions:
        raise forbidden(
            group=attrs.group,
            resource=attrs.resource,
            name=attrs.name,
            cause=f"webhook {go_quote(hook.name)}: matchConditions are not supported here",
        )
    return True
