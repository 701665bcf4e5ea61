"""Descriptors of the meta/v1 and runtime messages every object and body shares.

`Unknown` and `TypeMeta` (runtime) are the envelope of every Kubernetes protobuf body;
`ObjectMeta` and its parts are in every object; `ListMeta`, `Status` and `DeleteOptions`
are the other meta.k8s.io messages a client sends or accepts. Field numbers are those of
the Go types' `generated.proto` (see `messages` for the grammar). `Time`, `MicroTime`,
`FieldsV1`, `Quantity` and `IntOrString` are not listed: `codec` converts them itself.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "Unknown": "1 typeMeta:TypeMeta, 2 raw:bytes, 3 contentEncoding, 4 contentType",
    "ObjectMeta": (
        "1 name, 2 generateName, 3 namespace, 4 selfLink, 5 uid, 6 resourceVersion, "
        "7 generation:int, 8 creationTimestamp:time, 9 deletionTimestamp?:time, "
        "10 deletionGracePeriodSeconds?:int, 11 labels{}, 12 annotations{}, "
        "13 ownerReferences[]:OwnerReference, 14 finalizers[], "
        "17 managedFields[]:ManagedFieldsEntry"
    ),
    "Status": (
        "1 metadata:ListMeta, 2 status, 3 message, 4 reason, 5 details?:StatusDetails, 6 code:int"
    ),
    "DeleteOptions": (
        "1 gracePeriodSeconds?:int, 2 preconditions?:Preconditions, 3 orphanDependents?:bool, "
        "4 propagationPolicy?, 5 dryRun[], "
        "6 ignoreStoreReadErrorWithClusterBreakingPotential?:bool"
    ),
    "TypeMeta": "1 apiVersion, 2 kind",
    "OwnerReference": (
        "1 kind, 3 name, 4 uid, 5 apiVersion, 6 controller?:bool, 7 blockOwnerDeletion?:bool"
    ),
    "ManagedFieldsEntry": (
        "1 manager, 2 operation, 3 apiVersion, 4 time?:time, 6 fieldsType, 7 fieldsV1?:fields, "
        "8 subresource"
    ),
    "ListMeta": "1 selfLink, 2 resourceVersion, 3 continue, 4 remainingItemCount?:int",
    "StatusDetails": (
        "1 name, 2 group, 3 kind, 4 causes[]:StatusCause, 5 retryAfterSeconds:int, 6 uid"
    ),
    "Preconditions": "1 uid?, 2 resourceVersion?",
    "StatusCause": "1 reason, 2 message, 3 field",
    "Condition": (
        "1 type, 2 status, 3 observedGeneration:int, 4 lastTransitionTime:time, 5 reason, 6 message"
    ),
    "LabelSelector": "1 matchLabels{}, 2 matchExpressions[]:LabelSelectorRequirement",
    "LabelSelectorRequirement": "1 key, 2 operator, 3 values[]",
    "FieldSelectorRequirement": "1 key, 2 operator, 3 values[]",
}
