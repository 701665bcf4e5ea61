"""Label and field selectors, parsed, validated and matched as kube-apiserver 1.33 does.

The REST layer parses the `labelSelector` and `fieldSelector` query parameters with
`LabelSelector.parse` and `FieldSelector.parse`, converts field selectors for the served kind
with `FieldSelector.for_kind` (which rejects fields the kind cannot select on), and matches
objects with `LabelSelector.matches(labels)` and `FieldSelector.matches(object_fields(kind,
obj))`. Admission webhooks and controllers turn `metav1.LabelSelector` objects into selectors
with `LabelSelector.from_object`. Every failure is a `SelectorError`, which the server returns
as a 400 BadRequest Status with the message unchanged.

Modules: `validation` (the error type and 1.33's label-key and label-value wording), `labels`
(apimachinery's `pkg/labels` lexer and parser), `fields` (`pkg/fields` term splitting and
escaping), `selectable` (which fields each kind converts and exposes).
"""

from sandbox.apiserver.selectors.fields import (
    FieldRequirement,
    FieldSelector,
    escape_field_value,
    unescape_field_value,
)
from sandbox.apiserver.selectors.labels import LabelSelector, Operator, Requirement
from sandbox.apiserver.selectors.selectable import (
    field_label_conversions,
    object_fields,
    supported_field_labels,
)
from sandbox.apiserver.selectors.validation import (
    SelectorError,
    label_value_errors,
    qualified_name_errors,
)

__all__ = [
    "FieldRequirement",
    "FieldSelector",
    "LabelSelector",
    "Operator",
    "Requirement",
    "SelectorError",
    "escape_field_value",
    "field_label_conversions",
    "label_value_errors",
    "object_fields",
    "qualified_name_errors",
    "supported_field_labels",
    "unescape_field_value",
]
