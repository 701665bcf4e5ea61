"""Descriptors of RBAC objects and the review and token requests kubectl sends.

`kubectl create role|clusterrole|rolebinding|clusterrolebinding` (rbac/v1), `kubectl auth
can-i` (authorization/v1 self-subject reviews), `kubectl auth whoami` (authentication/v1
SelfSubjectReview) and `kubectl create token` (TokenRequest). Field numbers are those of
k8s.io/api's `generated.proto` of each group; the grammar is described in `messages`.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "Role": "1 metadata:ObjectMeta, 2 rules[]:PolicyRule",
    "ClusterRole": (
        "1 metadata:ObjectMeta, 2 rules[]:PolicyRule, 3 aggregationRule?:AggregationRule"
    ),
    "RoleBinding": "1 metadata:ObjectMeta, 2 subjects[]:Subject, 3 roleRef:RoleRef",
    "ClusterRoleBinding": "1 metadata:ObjectMeta, 2 subjects[]:Subject, 3 roleRef:RoleRef",
    "SelfSubjectAccessReview": (
        "1 metadata:ObjectMeta, 2 spec:SelfSubjectAccessReviewSpec, "
        "3 status:SubjectAccessReviewStatus"
    ),
    "SelfSubjectRulesReview": (
        "1 metadata:ObjectMeta, 2 spec:SelfSubjectRulesReviewSpec, "
        "3 status:SubjectRulesReviewStatus"
    ),
    "SelfSubjectReview": "1 metadata:ObjectMeta, 2 status:SelfSubjectReviewStatus",
    "TokenRequest": "1 metadata:ObjectMeta, 2 spec:TokenRequestSpec, 3 status:TokenRequestStatus",
    "PolicyRule": (
        "1 verbs[], 2 apiGroups[], 3 resources[], 4 resourceNames[], 5 nonResourceURLs[]"
    ),
    "AggregationRule": "1 clusterRoleSelectors[]:LabelSelector",
    "Subject": "1 kind, 2 apiGroup, 3 name, 4 namespace",
    "RoleRef": "1 apiGroup, 2 kind, 3 name",
    "SelfSubjectAccessReviewSpec": (
        "1 resourceAttributes?:ResourceAttributes, 2 nonResourceAttributes?:NonResourceAttributes"
    ),
    "SubjectAccessReviewStatus": "1 allowed:bool, 2 reason, 3 evaluationError, 4 denied:bool",
    "SelfSubjectRulesReviewSpec": "1 namespace",
    "SubjectRulesReviewStatus": (
        "1 resourceRules[]:ResourceRule, 2 nonResourceRules[]:NonResourceRule, 3 incomplete:bool, "
        "4 evaluationError"
    ),
    "SelfSubjectReviewStatus": "1 userInfo:UserInfo",
    "TokenRequestSpec": (
        "1 audiences[], 3 boundObjectRef?:BoundObjectReference, 4 expirationSeconds?:int"
    ),
    "TokenRequestStatus": "1 token, 2 expirationTimestamp:time",
    "ResourceAttributes": (
        "1 namespace, 2 verb, 3 group, 4 version, 5 resource, 6 subresource, 7 name, "
        "8 fieldSelector?:FieldSelectorAttributes, 9 labelSelector?:LabelSelectorAttributes"
    ),
    "NonResourceAttributes": "1 path, 2 verb",
    "ResourceRule": "1 verbs[], 2 apiGroups[], 3 resources[], 4 resourceNames[]",
    "NonResourceRule": "1 verbs[], 2 nonResourceURLs[]",
    "UserInfo": "1 username, 2 uid, 3 groups[], 4 extra{}:strlist",
    "BoundObjectReference": "1 kind, 2 apiVersion, 3 name, 4 uid",
    "FieldSelectorAttributes": "1 rawSelector, 2 requirements[]:FieldSelectorRequirement",
    "LabelSelectorAttributes": "1 rawSelector, 2 requirements[]:LabelSelectorRequirement",
}
