"""The names and constants kube-apiserver repeats in every OpenAPI document it serves.

Meta type names (`ObjectMeta`, `ListMeta`, `Status`, `DeleteOptions`, `Patch`, `Scale`,
`WatchEvent`, the discovery types), the extensions kubectl reads, the media types operations
produce and consume, which DELETEs answer with the object, and the documentation strings and
type-meta property schemas the CRD builder adds to custom resources. Every other module of
the package reads them; nothing here depends on a kind. Query parameters live in
`parameters.py`.
"""

from __future__ import annotations

from typing import Any, Final

from sandbox.apiserver import builtin_schemas

META: Final = "io.k8s.apimachinery.pkg.apis.meta.v1"
OBJECT_META: Final = f"{META}.ObjectMeta"
LIST_META: Final = f"{META}.ListMeta"
STATUS: Final = f"{META}.Status"
DELETE_OPTIONS: Final = f"{META}.DeleteOptions"
PATCH: Final = f"{META}.Patch"
WATCH_EVENT: Final = f"{META}.WatchEvent"
API_RESOURCE_LIST: Final = f"{META}.APIResourceList"
API_GROUP: Final = f"{META}.APIGroup"
API_GROUP_LIST: Final = f"{META}.APIGroupList"
API_VERSIONS: Final = f"{META}.APIVersions"
VERSION_INFO: Final = "io.k8s.apimachinery.pkg.version.Info"
SCALE: Final = "io.k8s.api.autoscaling.v1.Scale"
INT_OR_STRING: Final = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY: Final = "io.k8s.apimachinery.pkg.api.resource.Quantity"

GVK_EXTENSION: Final = "x-kubernetes-group-version-kind"
ACTION_EXTENSION: Final = "x-kubernetes-action"

SERVER_VERSION: Final = f"v{builtin_schemas.EMULATED_RELEASE}"

JSON: Final = "application/json"
YAML: Final = "application/yaml"
PROTOBUF: Final = "application/vnd.kubernetes.protobuf"
MEDIA_TYPES: Final = (JSON, YAML, PROTOBUF)
"""What built-in endpoints produce (CBOR is behind a feature gate that 1.33 leaves off)."""
STREAM_MEDIA_TYPES: Final = (f"{JSON};stream=watch", f"{PROTOBUF};stream=watch")
CUSTOM_MEDIA_TYPES: Final = (JSON, YAML)
"""What the CRD builder declares for custom resources, both ways."""
JSON_PATCH: Final = "application/json-patch+json"
MERGE_PATCH: Final = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH: Final = "application/strategic-merge-patch+json"
APPLY_PATCH: Final = "application/apply-patch+yaml"
BUILTIN_PATCH_TYPES: Final = (JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH)
CUSTOM_PATCH_TYPES: Final = (JSON_PATCH, MERGE_PATCH, APPLY_PATCH)

BEARER_TOKEN: Final[dict[str, Any]] = {
    "BearerToken": {
        "description": "Bearer Token authentication",
        "type": "apiKey",
        "name": "authorization",
        "in": "header",
    }
}

DELETE_RETURNS_OBJECT: Final = frozenset(
    {("", "pods"), ("", "services"), ("", "serviceaccounts"), ("", "persistentvolumeclaims")}
)
"""Built-in resources whose DELETE answers with the deleted object rather than a Status."""


API_VERSION_DOC: Final = (
    "APIVersion defines the versioned schema of this representation of an object. Servers should "
    "convert recognized schemas to the latest internal value, and may reject unrecognized values. "
    "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#resources"
)
KIND_DOC: Final = (
    "Kind is a string value representing the REST resource this object represents. Servers may "
    "infer this from the endpoint the client submits requests to. Cannot be updated. In "
    "CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#types-kinds"
)
EMBEDDED_API_VERSION_DOC: Final = (
    "apiVersion defines the versioned schema of this representation of an object. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
)
EMBEDDED_KIND_DOC: Final = (
    "kind is a string value representing the type of this object. In CamelCase. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"
    "#types-kinds"
)
OBJECT_METADATA_DOC: Final = (
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/"
    "sig-architecture/api-conventions.md#metadata"
)
LIST_METADATA_DOC: Final = (
    "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/"
    "sig-architecture/api-conventions.md#types-kinds"
)

INT_OR_STRING_DOC: Final = (
    "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML "
    "marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to "
    "have, for example, a JSON field that can accept a name or number."
)
QUANTITY_DOC: Final = (
    "Quantity is a fixed-point representation of a number. It provides convenient "
    "marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() "
    "accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber>"
    '<suffix>\n\n\t(Note that <suffix> may be empty, from the "" case in <decimalSI>.)\n\n'
    "<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> "
    "<number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>       "
    '     ::= "+" | "-" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= '
    "<binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | "
    "Pi | Ei\n\n\t(International System of units; See: "
    'http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | "" | k | M | '
    "G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn't choose the "
    'capitalization.)\n\n<decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber> '
    "```\n\nNo matter which of the three exponent forms is used, no quantity may represent a "
    "number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal places. "
    "Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded up "
    "to 1m.) This may be extended in the future if we require larger or smaller quantities."
    "\n\nWhen a Quantity is parsed from a string, it will remember the type of suffix it had, "
    "and will use the same type again when it is serialized.\n\nBefore serializing, Quantity "
    'will be put in "canonical form". This means that Exponent/suffix will be adjusted up or '
    "down (with a corresponding increase or decrease in Mantissa) such that:\n\n- No precision "
    "is lost - No fractional digits will be emitted - The exponent (or suffix) is as large as "
    "possible.\n\nThe sign will be omitted unless the number is negative.\n\nExamples:\n\n- 1.5 "
    'will be serialized as "1500m" - 1.5Gi will be serialized as "1536Mi"\n\nNote that the '
    "quantity will NEVER be internally represented by a floating point number. That is the "
    "whole point of this exercise.\n\nNon-canonical values will still parse as long as they "
    "are well formed, but will be re-emitted in their canonical form. (So always use canonical "
    "form, or don't diff.)\n\nThis format is intended to make it difficult to use these numbers "
    "without writing some sort of special handling code in the hopes that that will cause "
    "implementors to also use a fixed point implementation."
)


def type_meta_property(name: str) -> dict[str, Any]:
    """`TypeMeta`'s `apiVersion` or `kind` property, as the CRD builder copies it."""
    return {"description": API_VERSION_DOC if name == "apiVersion" else KIND_DOC, "type": "string"}
