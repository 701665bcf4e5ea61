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


def _review(group: str, kind: str) -> ResourceKind:
    """A cluster-scoped, create-only kind whose only verb answers at once."""
    return ResourceKind(
        group=group,
        version="v1",
        kind=kind,
        plural=f"{kind.lower()}s",
        singular=kind.lower(),
        namespaced=False,
        verbs=("create",),
    )


REVIEW_KINDS: Final = (
    _review("authorization.k8s.io", "SelfSubjectAccessReview"),
    _review("authorization.k8s.io", "SelfSubjectRulesReview"),
    _review("authentication.k8s.io", "SelfSubjectReview"),
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
