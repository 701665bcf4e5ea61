"""Review resources: requests answered at once and never stored (`kubectl auth can-i`, `whoami`).

`SelfSubjectAccessReview`, `SelfSubjectRulesReview` and `SelfSubjectReview` are create-only
resources whose response is the request with a computed `status`. The emulator has one
identity (the admin the bearer token stands for, or anyone on an open server) and no
authorization, so every access review is allowed, with the reason kube-apiserver gives a
member of `system:masters`, and the rules review grants everything.
"""

from __future__ import annotations

from typing import Any, Final

from sandbox.apiserver.kinds import ResourceKind

REVIEW_KINDS: Final = (
    ResourceKind(
        group="authorization.k8s.io",
        version="v1",
        kind="SelfSubjectAccessReview",
        plural="selfsubjectaccessreviews",
        singular="selfsubjectaccessreview",
        namespaced=False,
        verbs=("create",),
    ),
    ResourceKind(
        group="authorization.k8s.io",
        version="v1",
        kind="SelfSubjectRulesReview",
        plural="selfsubjectrulesreviews",
        singular="selfsubjectrulesreview",
        namespaced=False,
        verbs=("create",),
    ),
    ResourceKind(
        group="authentication.k8s.io",
        version="v1",
        kind="SelfSubjectReview",
        plural="selfsubjectreviews",
        singular="selfsubjectreview",
        namespaced=False,
        verbs=("create",),
    ),
)
_ALLOWED: Final = (
    'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" '
    'to Group "system:masters"'
)


def is_review(kind: ResourceKind) -> bool:
    return kind in REVIEW_KINDS


def answer(kind: ResourceKind, request: dict[str, Any], *, user: dict[str, Any]) -> dict[str, Any]:
    """The review with its status filled in, as the create response carries it."""
    response = {
        "kind": kind.kind,
        "apiVersion": kind.api_version,
        "metadata": {"creationTimestamp": None},
        **{k: v for k, v in request.items() if k not in ("kind", "apiVersion", "metadata")},
    }
    if kind.kind == "SelfSubjectAccessReview":
        response["status"] = {"allowed": True, "reason": _ALLOWED}
    elif kind.kind == "SelfSubjectRulesReview":
        response["status"] = {
            "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
            "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
            "incomplete": False,
        }
    else:
        response["status"] = {"userInfo": dict(user)}
    return response
