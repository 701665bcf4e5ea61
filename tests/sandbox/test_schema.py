"""The CRD schema library reports what kube-apiserver reports, string for string.

Expected strings come from apiextensions-apiserver's own tests where they exist (its
integration tests for structural schemas, its validator and pruning unit tests) and
otherwise from reading the Go code that produces them.
"""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from sandbox.apiserver.schema.crd import check_crd, default_crd
from sandbox.apiserver.schema.defaults import apply_defaults, prune_nulls
from sandbox.apiserver.schema.field import ErrorType, FieldError
from sandbox.apiserver.schema.gojson import go_float, go_json, go_quote
from sandbox.apiserver.schema.prune import prune
from sandbox.apiserver.schema.structural import check_structural
from sandbox.apiserver.schema.validate import validate

S = "spec.validation.openAPIV3Schema"
V0 = "spec.versions[0].schema.openAPIV3Schema"
PRESERVE = "x-kubernetes-preserve-unknown-fields"
EMBEDDED = "x-kubernetes-embedded-resource"
INT_OR_STRING = "x-kubernetes-int-or-string"


def flink_schema() -> dict[str, Any]:
    """A FlinkDeployment-like schema: nested objects, enums, int64, maps, preserved fields."""
    return {
        "type": "object",
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "required": ["image", "job"],
                "properties": {
                    "image": {"type": "string", "minLength": 1},
                    "imagePullPolicy": {"type": "string", "default": "IfNotPresent"},
                    "flinkVersion": {"type": "string", "pattern": "^v\\d+_\\d+$"},
                    "flinkConfiguration": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                    },
                    "podTemplate": {"type": "object", PRESERVE: True},
                    "jobManager": {
                        "type": "object",
                        "properties": {
                            "replicas": {
                                "type": "integer",
                                "format": "int32",
                                "minimum": 1,
                                "default": 1,
                            },
                            "resource": {
                                "type": "object",
                                "properties": {
                                    "cpu": {
                                        "type": "number",
                                        "exclusiveMinimum": True,
                                        "minimum": 0,
                                    },
                                    "memory": {INT_OR_STRING: True},
                                },
                            },
                        },
                    },
                    "job": {
                        "type": "object",
                        "required": ["jarURI"],
                        "properties": {
                            "jarURI": {"type": "string"},
                            "parallelism": {"type": "integer", "format": "int64", "minimum": 1},
                            "upgradeMode": {
                                "type": "string",
                                "enum": ["stateless", "savepoint", "last-state"],
                                "default": "stateless",
                            },
                            "args": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
                            "savepointTriggerNonce": {"type": "integer", "nullable": True},
                            "initialSavepointPath": {"type": "string", "maxLength": 10},
                        },
                    },
                    "sidecar": {"type": "object", EMBEDDED: True, PRESERVE: True},
                    "ports": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                        "items": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string"}, "port": {"type": "integer"}},
                        },
                    },
                    "tags": {
                        "type": "array",
                        "x-kubernetes-list-type": "set",
                        "items": {"type": "string"},
                    },
                    "restartedAt": {"type": "string", "format": "date-time"},
                },
            },
            "status": {
                "type": "object",
                PRESERVE: True,
                "properties": {
                    "replicas": {"type": "integer"},
                    "selector": {"type": "string"},
                    "jobStatus": {"type": "object", "properties": {"state": {"type": "string"}}},
                },
            },
        },
    }


def flink_crd() -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "flinkdeployments.flink.apache.org"},
        "spec": {
            "group": "flink.apache.org",
            "scope": "Namespaced",
            "names": {
                "plural": "flinkdeployments",
                "singular": "flinkdeployment",
                "kind": "FlinkDeployment",
                "listKind": "FlinkDeploymentList",
                "shortNames": ["flinkdep"],
                "categories": ["all"],
            },
            "versions": [
                {
                    "name": "v1beta1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": flink_schema()},
                    "subresources": {
                        "status": {},
                        "scale": {
                            "specReplicasPath": ".spec.jobManager.replicas",
                            "statusReplicasPath": ".status.replicas",
                            "labelSelectorPath": ".status.selector",
                        },
                    },
                    "additionalPrinterColumns": [
                        {
                            "name": "Job Status",
                            "type": "string",
                            "jsonPath": ".status.jobStatus.state",
                        },
                        {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
                    ],
                }
            ],
        },
    }


def flink_object() -> dict[str, Any]:
    return {
        "apiVersion": "flink.apache.org/v1beta1",
        "kind": "FlinkDeployment",
        "metadata": {"name": "orders", "namespace": "streaming"},
        "spec": {
            "image": "flink:2.1",
            "flinkVersion": "v2_1",
            "flinkConfiguration": {"taskmanager.numberOfTaskSlots": "2"},
            "podTemplate": {"spec": {"containers": [{"name": "flink-main-container"}]}},
            "jobManager": {"replicas": 1, "resource": {"cpu": 0.5, "memory": "1024m"}},
            "job": {"jarURI": "local:///job.jar", "parallelism": 2, "upgradeMode": "savepoint"},
            "sidecar": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "side"}},
            "ports": [{"name": "rest", "port": 8081}, {"name": "ui", "port": 8082}],
            "tags": ["a", "b"],
        },
    }


def set_path(obj: Any, dotted: str, value: Any) -> None:
    """Set `a.b.0.c` in nested dicts and lists (numeric parts index lists)."""
    *parents, last = dotted.split(".")
    for part in parents:
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    if isinstance(obj, list):
        obj[int(last)] = value
    else:
        obj[last] = value


def del_path(obj: Any, dotted: str) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    del obj[last]


Edit = Callable[[dict[str, Any]], object]


def edits(*steps: Edit) -> Edit:
    """Several edits in a row, as one table cell."""

    def run(obj: dict[str, Any]) -> None:
        for step in steps:
            step(obj)

    return run


def obj_schema(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


# --- Go formatting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.0, "1"), (1.5, "1.5"), (123456.0, "123456"), (1e6, "1e+06"), (0.00001, "1e-05")],
    ids=["integral", "fraction", "below-exponent", "exponent", "small-exponent"],
)
def test_go_float_prints_like_percent_v(value: float, expected: str) -> None:
    assert go_float(value) == expected


def test_go_json_sorts_keys_and_escapes_html() -> None:
    assert (
        go_json({"b": 1.0, "a": ["<x>", None, True]}) == '{"a":["\\u003cx\\u003e",null,true],"b":1}'
    )


def test_go_quote_escapes_controls_but_keeps_unicode() -> None:
    assert go_quote('a"b\n\x01é') == '"a\\"b\\n\\x01é"'


def test_field_error_prints_field_then_body() -> None:
    error = FieldError(field="spec.x", type=ErrorType.REQUIRED, message="Required value")
    assert str(error) == "spec.x: Required value"
    assert error.type == "FieldValueRequired"


# --- check_structural: one schema, the rules of pkg/apiserver/schema and the OpenAPI checks ---

LIST_MAP_ITEM = {"type": "object", "required": ["k"], "properties": {"k": {"type": "string"}}}
NOT_EMPTY_FIELD = "Required value: must not be empty for specified object fields"
STRUCTURAL_CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("flink-schema-is-structural", flink_schema(), []),
    (
        "root-type-empty",
        {"properties": {}},
        [f"{S}.type: Required value: must not be empty at the root"],
    ),
    (
        "root-type-not-object",
        {"type": "integer"},
        [f'{S}.type: Invalid value: "integer": must be object at the root'],
    ),
    (
        "field-without-type",
        obj_schema(spec={"properties": {"a": {"type": "string"}}}),
        [f"{S}.properties[spec].type: {NOT_EMPTY_FIELD}"],
    ),
    (
        "array-without-items",
        obj_schema(a={"type": "array"}),
        [f"{S}.properties[a].items: Required value: must be specified"],
    ),
    (
        "array-items-without-type",
        obj_schema(a={"type": "array", "items": {}}),
        [
            f"{S}.properties[a].items.type: Required value: must not be empty for specified array "
            "items"
        ],
    ),
    ("int-or-string-may-omit-type", obj_schema(a={INT_OR_STRING: True}), []),
    (
        "int-or-string-anyof-pattern-allowed",
        obj_schema(a={INT_OR_STRING: True, "anyOf": [{"type": "integer"}, {"type": "string"}]}),
        [],
    ),
    (
        "int-or-string-allof-pattern-allowed",
        obj_schema(
            a={
                INT_OR_STRING: True,
                "allOf": [{"anyOf": [{"type": "integer"}, {"type": "string"}]}, {"maxLength": 3}],
            }
        ),
        [],
    ),
    (
        "int-or-string-with-preserve",
        obj_schema(a={INT_OR_STRING: True, PRESERVE: True}),
        [
            f"{S}.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: true:"
            " must be false if x-kubernetes-int-or-string is true"
        ],
    ),
    (
        "int-or-string-embedded",
        obj_schema(a={INT_OR_STRING: True, EMBEDDED: True, "type": "object", PRESERVE: True}),
        [
            f"{S}.properties[a].x-kubernetes-embedded-resource: Invalid value: true:"
            " must be false if x-kubernetes-int-or-string is true",
            f"{S}.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: true:"
            " must be false if x-kubernetes-int-or-string is true",
        ],
    ),
    ("preserve-unknown-may-omit-type", obj_schema(a={PRESERVE: True}), []),
    (
        "preserve-unknown-false",
        obj_schema(a={"type": "object", PRESERVE: False}),
        [
            f"{S}.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must "
            "be true or undefined"
        ],
    ),
    (
        "properties-and-additional-properties",
        obj_schema(
            a={
                "type": "object",
                "properties": {"b": {"type": "string"}},
                "additionalProperties": {"type": "string"},
            }
        ),
        [
            f"{S}.properties[a].additionalProperties: Forbidden: additionalProperties and "
            "properties are mutual exclusive"
        ],
    ),
    (
        "properties-and-additional-properties-true",
        obj_schema(
            a={
                "type": "object",
                "properties": {"b": {"type": "string"}},
                "additionalProperties": True,
            }
        ),
        [],
    ),
    (
        "additional-properties-empty-schema-untyped",
        obj_schema(a={"type": "object", "additionalProperties": {}}),
        [f"{S}.properties[a].additionalProperties.type: {NOT_EMPTY_FIELD}"],
    ),
    (
        "additional-properties-at-root",
        {"type": "object", "additionalProperties": False},
        [f"{S}.additionalProperties: Forbidden: must not be used at the root"],
    ),
    (
        "ref",
        obj_schema(a={"type": "string", "$ref": "#/x"}),
        [f"{S}.properties[a].$ref: Forbidden: $ref is not supported"],
    ),
    (
        "definitions",
        {"type": "object", "definitions": {"x": {"type": "string"}}},
        [f"{S}.definitions: Forbidden: definitions is not supported"],
    ),
    (
        "dependencies",
        obj_schema(a={"type": "object", "dependencies": {"b": ["c"]}}),
        [f"{S}.properties[a].dependencies: Forbidden: dependencies is not supported"],
    ),
    (
        "additional-items",
        obj_schema(a={"type": "array", "items": {"type": "string"}, "additionalItems": False}),
        [f"{S}.properties[a].additionalItems: Forbidden: additionalItems is not supported"],
    ),
    (
        "pattern-properties",
        obj_schema(a={"type": "object", "patternProperties": {"^x": {"type": "string"}}}),
        [f"{S}.properties[a].patternProperties: Forbidden: patternProperties is not supported"],
    ),
    (
        "id",
        obj_schema(a={"type": "string", "id": "x"}),
        [f"{S}.properties[a].id: Forbidden: id is not supported"],
    ),
    (
        "unique-items",
        obj_schema(a={"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
        [
            f"{S}.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true"
            " since the runtime complexity becomes quadratic"
        ],
    ),
    (
        "items-as-array",
        obj_schema(a={"type": "array", "items": [{"type": "string"}]}),
        [f"{S}.properties[a].items: Forbidden: items must be a schema object and not an array"],
    ),
    (
        "type-null",
        obj_schema(a={"type": "null"}),
        [
            f'{S}.properties[a].type: Unsupported value: "null": supported values: "array",'
            ' "boolean", "integer", "number", "object", "string"',
            f"{S}.properties[a].type: Forbidden: type cannot be set to null, use nullable as an "
            "alternative",
        ],
    ),
    (
        "dollar-schema-reported-alone",
        {"type": "object", "$schema": "http://json-schema.org/draft-04/schema#"},
        [f"{S}: Invalid value: \"\": OpenAPIV3Schema 'schema' is not supported"],
    ),
    ("nullable-field", obj_schema(a={"type": "string", "nullable": True}), []),
    (
        "nullable-root",
        {"type": "object", "nullable": True},
        [f"{S}.nullable: Forbidden: nullable cannot be true at the root"],
    ),
    (
        "metadata-may-restrict-name",
        obj_schema(
            metadata={"type": "object", "properties": {"name": {"type": "string", "maxLength": 20}}}
        ),
        [],
    ),
    (
        "metadata-may-not-restrict-labels",
        obj_schema(metadata={"type": "object", "properties": {"labels": {"type": "object"}}}),
        [
            f"{S}.properties[metadata]: Forbidden: must not specify anything other than name"
            " and generateName, but metadata is implicitly specified"
        ],
    ),
    (
        "metadata-may-not-have-description",
        obj_schema(metadata={"type": "object", "description": "standard metadata"}),
        [
            f"{S}.properties[metadata]: Forbidden: must not specify anything other than name"
            " and generateName, but metadata is implicitly specified"
        ],
    ),
    (
        "metadata-must-be-object",
        obj_schema(metadata={"type": "string"}),
        [f'{S}.properties[metadata].type: Invalid value: "string": must be object'],
    ),
    (
        "kind-must-be-string",
        obj_schema(kind={"type": "integer"}),
        [f'{S}.properties[kind].type: Invalid value: "integer": must be string'],
    ),
    (
        "embedded-without-type",
        obj_schema(a={EMBEDDED: True, PRESERVE: True}),
        [
            f"{S}.properties[a].type: Required value: must be object if "
            "x-kubernetes-embedded-resource is true"
        ],
    ),
    (
        "embedded-without-properties-or-preserve",
        obj_schema(a={"type": "object", EMBEDDED: True}),
        [
            f"{S}.properties[a].properties: Required value: must not be empty if"
            " x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"
        ],
    ),
    (
        "embedded-may-restrict-its-metadata",
        obj_schema(
            a={
                "type": "object",
                EMBEDDED: True,
                "properties": {
                    "metadata": {"type": "object", "properties": {"labels": {"type": "object"}}}
                },
            }
        ),
        [],
    ),
    (
        "embedded-with-additional-properties",
        obj_schema(
            a={
                "type": "object",
                EMBEDDED: True,
                PRESERVE: True,
                "additionalProperties": {"type": "string"},
            }
        ),
        [
            f"{S}.properties[a].additionalProperties: Forbidden: must not be used if "
            "x-kubernetes-embedded-resource is set"
        ],
    ),
    (
        "embedded-inside-metadata",
        obj_schema(
            metadata={
                "type": "object",
                "properties": {"name": {"type": "object", EMBEDDED: True, PRESERVE: True}},
            }
        ),
        [
            f"{S}.properties[metadata].properties[name].x-kubernetes-embedded-resource: "
            "Forbidden: must not be used inside of resource meta"
        ],
    ),
    (
        "value-validation-may-not-type",
        obj_schema(a={"type": "string", "anyOf": [{"type": "string"}]}),
        [f"{S}.properties[a].anyOf[0].type: Forbidden: must be empty to be structural"],
    ),
    (
        "value-validation-may-not-default",
        obj_schema(a={"type": "string", "allOf": [{"default": "x"}]}),
        [f"{S}.properties[a].allOf[0].default: Forbidden: must be undefined to be structural"],
    ),
    (
        "value-validation-may-not-mention-metadata",
        {
            "type": "object",
            "properties": {"metadata": {"type": "object"}},
            "not": {"properties": {"metadata": {}}},
        },
        [f"{S}.not.properties[metadata]: Forbidden: must not be specified in a nested context"],
    ),
    (
        "value-validation-may-not-add-fields",
        {
            **obj_schema(a={"type": "string"}),
            "oneOf": [{"required": ["a"]}, {"properties": {"c": {}}}],
        },
        [f"{S}.properties[c]: Required value: because it is defined in {S}.oneOf[1].properties[c]"],
    ),
    (
        "value-validation-restricting-known-fields",
        {
            **obj_schema(a={"type": "string"}, b={"type": "string"}),
            "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
            "anyOf": [{"properties": {"a": {"minLength": 2}}}],
        },
        [],
    ),
    (
        "pattern-invalid",
        obj_schema(a={"type": "string", "pattern": "(abc"}),
        [
            f'{S}.properties[a].pattern: Invalid value: "(abc": must be a valid regular expression,'
            " but isn't: error parsing regexp: missing closing ): `(abc`"
        ],
    ),
    (
        "pattern-lookahead-unsupported-in-go",
        obj_schema(a={"type": "string", "pattern": "^(?!x)"}),
        [
            f'{S}.properties[a].pattern: Invalid value: "^(?!x)": must be a valid regular '
            "expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: `(?!`"
        ],
    ),
    ("pattern-valid", obj_schema(a={"type": "string", "pattern": "^[a-z]+$"}), []),
    (
        "list-type-on-object",
        obj_schema(a={"type": "object", "x-kubernetes-list-type": "set"}),
        [
            f'{S}.properties[a].type: Invalid value: "object": must be array if '
            "x-kubernetes-list-type is specified"
        ],
    ),
    (
        "list-type-unknown",
        obj_schema(
            a={"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "bag"}
        ),
        [
            f'{S}.properties[a].x-kubernetes-list-type: Unsupported value: "bag": supported '
            'values: "atomic", "set", "map"'
        ],
    ),
    (
        "list-map-keys-without-list-type",
        obj_schema(
            a={"type": "array", "items": LIST_MAP_ITEM, "x-kubernetes-list-map-keys": ["k"]}
        ),
        [
            f"{S}.properties[a].x-kubernetes-list-type: Required value: must be map if "
            "x-kubernetes-list-map-keys is non-empty"
        ],
    ),
    (
        "list-map-without-keys",
        obj_schema(a={"type": "array", "items": LIST_MAP_ITEM, "x-kubernetes-list-type": "map"}),
        [
            f"{S}.properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if "
            "x-kubernetes-list-type is map"
        ],
    ),
    (
        "list-map-of-scalars",
        obj_schema(
            a={
                "type": "array",
                "items": {"type": "string"},
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["k"],
            }
        ),
        [
            f'{S}.properties[a].items.type: Invalid value: "string": must be object if parent '
            "array's x-kubernetes-list-type is map"
        ],
    ),
    (
        "list-map-keys-not-scalar-or-missing",
        obj_schema(
            a={
                "type": "array",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["k", "nested", "missing"],
                "items": {
                    "type": "object",
                    "required": ["k", "nested"],
                    "properties": {"k": {"type": "string"}, "nested": {"type": "object"}},
                },
            }
        ),
        [
            f'{S}.properties[a].items.properties[nested].type: Invalid value: "object": must be '
            "a scalar type if parent array's x-kubernetes-list-type is map",
            f"{S}.properties[a].x-kubernetes-list-map-keys: Invalid value: "
            '["k","nested","missing"]: entries must all be names of item properties',
        ],
    ),
    (
        "list-map-key-optional-and-nullable",
        obj_schema(
            a={
                "type": "array",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["k"],
                "items": {
                    "type": "object",
                    "properties": {"k": {"type": "string", "nullable": True}},
                },
            }
        ),
        [
            f"{S}.properties[a].items.properties[k].default: Required value: this property is in "
            "x-kubernetes-list-map-keys, so it must have a default or be a required property",
            f"{S}.properties[a].items.properties[k].nullable: Forbidden: this property is in "
            "x-kubernetes-list-map-keys, so it cannot be nullable",
        ],
    ),
    (
        "list-map-key-defaulted",
        obj_schema(
            a={
                "type": "array",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["k"],
                "items": {
                    "type": "object",
                    "properties": {"k": {"type": "string", "default": "x"}},
                },
            }
        ),
        [],
    ),
    (
        "list-set-of-granular-objects",
        obj_schema(
            a={"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "object"}}
        ),
        [
            f"{S}.properties[a].items.x-kubernetes-map-type: Invalid value: null: must be atomic "
            "as item of a list with x-kubernetes-list-type=set"
        ],
    ),
    (
        "list-set-of-atomic-objects",
        obj_schema(
            a={
                "type": "array",
                "x-kubernetes-list-type": "set",
                "items": {"type": "object", "x-kubernetes-map-type": "atomic"},
            }
        ),
        [],
    ),
    (
        "list-set-of-nullable-items",
        obj_schema(
            a={
                "type": "array",
                "x-kubernetes-list-type": "set",
                "items": {"type": "string", "nullable": True},
            }
        ),
        [
            f"{S}.properties[a].items.nullable: Forbidden: cannot be nullable when "
            "x-kubernetes-list-type is set"
        ],
    ),
    (
        "map-type-on-array",
        obj_schema(
            a={"type": "array", "items": {"type": "string"}, "x-kubernetes-map-type": "atomic"}
        ),
        [
            f'{S}.properties[a].type: Invalid value: "array": must be object if '
            "x-kubernetes-map-type is specified"
        ],
    ),
    (
        "map-type-unknown",
        obj_schema(a={"type": "object", "x-kubernetes-map-type": "partial"}),
        [
            f'{S}.properties[a].x-kubernetes-map-type: Unsupported value: "partial": supported '
            'values: "atomic", "granular"'
        ],
    ),
    (
        "default-in-top-level-metadata",
        obj_schema(metadata={"type": "object", "default": {}}),
        [f"{S}.properties[metadata].default: Forbidden: must not be set in top-level metadata"],
    ),
    (
        "default-in-map-under-embedded-metadata",
        obj_schema(
            e={
                "type": "object",
                EMBEDDED: True,
                "properties": {
                    "metadata": {
                        "type": "object",
                        "properties": {
                            "labels": {
                                "type": "object",
                                "additionalProperties": {"type": "string", "default": "x"},
                            }
                        },
                    }
                },
            }
        ),
        [
            f"{S}.properties[e].properties[metadata].properties[labels].additionalProperties.default:"
            " Forbidden: must not be set inside additionalProperties applying to object metadata"
        ],
    ),
    (
        "default-not-in-enum",
        obj_schema(a={"type": "string", "enum": ["x", "y"], "default": "z"}),
        [f'{S}.properties[a].default: Unsupported value: "z": supported values: "x", "y"'],
    ),
    (
        "default-with-unknown-fields",
        obj_schema(
            a={
                "type": "object",
                "properties": {"b": {"type": "string"}},
                "default": {"b": "x", "c": "y"},
            }
        ),
        [
            f'{S}.properties[a].default: Invalid value: {{"b":"x","c":"y"}}: must not have '
            "unknown fields"
        ],
    ),
    (
        "default-valid",
        obj_schema(
            a={
                "type": "object",
                "properties": {"b": {"type": "string", "default": "x"}},
                "default": {},
            }
        ),
        [],
    ),
    (
        "rule-empty",
        obj_schema(a={"type": "string", "x-kubernetes-validations": [{"rule": " "}]}),
        [
            f"{S}.properties[a].x-kubernetes-validations[0].rule: Required value: rule is not "
            "specified"
        ],
    ),
    (
        "rule-multiline-without-message",
        obj_schema(
            a={
                "type": "string",
                "x-kubernetes-validations": [{"rule": "self != 'a' &&\nself != 'b'"}],
            }
        ),
        [
            f"{S}.properties[a].x-kubernetes-validations[0].message: Required value: message must "
            "be specified if rule contains line breaks"
        ],
    ),
    (
        "rule-bad-message-and-reason",
        obj_schema(
            a={
                "type": "string",
                "x-kubernetes-validations": [{"rule": "true", "message": "a\nb", "reason": "Bad"}],
            }
        ),
        [
            f'{S}.properties[a].x-kubernetes-validations[0].message: Invalid value: "a\\nb": '
            "must not contain line breaks",
            f'{S}.properties[a].x-kubernetes-validations[0].reason: Unsupported value: "Bad": '
            "supported values:"
            ' "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", '
            '"FieldValueRequired"',
        ],
    ),
    (
        "rule-valid",
        obj_schema(
            a={
                "type": "string",
                "x-kubernetes-validations": [{"rule": "self != 'x'", "message": "no x"}],
            }
        ),
        [],
    ),
]


@pytest.mark.parametrize(
    ("schema", "expected"), [c[1:] for c in STRUCTURAL_CASES], ids=[c[0] for c in STRUCTURAL_CASES]
)
def test_check_structural_reports_apiserver_errors(
    schema: dict[str, Any], expected: list[str]
) -> None:
    assert check_structural(schema) == expected


ONLY_ROOT_FIELDS = (
    "only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum"
    " MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items"
    " Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed"
    " at the root of the schema if the status subresource is enabled"
)
STATUS_ROOT_CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "description-and-required-allowed",
        {"type": "object", "description": "x", "required": ["spec"]},
        [],
    ),
    (
        "array-root",
        {"type": "array", "items": {"type": "string"}},
        [
            f'{S}.type: Invalid value: "array": only "object" is allowed as the type at the root '
            "of the schema if the status subresource is enabled",
            f'{S}.type: Invalid value: "array": must be object at the root',
        ],
    ),
    (
        "anyof-at-root",
        {"type": "object", "properties": {"a": {"type": "string"}}, "anyOf": [{"required": ["a"]}]},
        [
            f'{S}: Invalid value: {{"anyOf":[{{"required":["a"]}}],"properties":'
            f'{{"a":{{"type":"string"}}}},"type":"object"}}: {ONLY_ROOT_FIELDS}'
        ],
    ),
]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [c[1:] for c in STATUS_ROOT_CASES],
    ids=[c[0] for c in STATUS_ROOT_CASES],
)
def test_check_structural_restricts_root_when_status_is_enabled(
    schema: dict[str, Any], expected: list[str]
) -> None:
    assert check_structural(schema, status_enabled=True) == expected


def test_check_structural_matches_apiserver_integration_test_for_nested_junctors() -> None:
    """From apiextensions-apiserver test/integration/validation_test.go (nested junctors)."""
    bad = {
        "type": "string",
        "additionalProperties": True,
        "title": "hello",
        "description": "world",
        "nullable": True,
    }
    schema = {
        **obj_schema(foo={"type": "string"}),
        "not": bad,
        "allOf": [{"properties": {"foo": bad}}],
        "anyOf": [{"items": bad}],
        "oneOf": [{"properties": {"foo": bad}}],
    }
    where = [
        f"{V0}.anyOf[0].items",
        f"{V0}.allOf[0].properties[foo]",
        f"{V0}.oneOf[0].properties[foo]",
        f"{V0}.not",
    ]
    expected = {
        f"{w}.{name}: Forbidden: {detail}"
        for w in where
        for name, detail in [
            ("type", "must be empty to be structural"),
            ("additionalProperties", "must be undefined to be structural"),
            ("title", "must be empty to be structural"),
            ("description", "must be empty to be structural"),
            ("nullable", "must be false to be structural"),
        ]
    }
    expected.add(f"{V0}.items: Required value: because it is defined in {V0}.anyOf[0].items")
    assert set(check_structural(schema, path=V0)) == expected


def test_check_structural_matches_apiserver_integration_test_for_incomplete_schemas() -> None:
    """From apiextensions-apiserver test/integration/validation_test.go (structural incomplete)."""
    schema = {
        **obj_schema(
            b={"type": "object", "properties": {"b": {"type": "array"}}},
            c={"type": "array", "items": {"type": "object"}},
            d={"type": "array"},
        ),
        "not": {
            "properties": {
                "a": {},
                "b": {"not": {"properties": {"a": {}, "b": {"items": {}}}}},
                "c": {"items": {"not": {"items": {"properties": {"a": {}}}}}},
                "d": {"items": {}},
            }
        },
        "allOf": [{"properties": {"e": {}}}],
        "anyOf": [{"properties": {"f": {}}}],
        "oneOf": [{"properties": {"g": {}}}],
    }
    because = "Required value: because it is defined in"
    assert check_structural(schema, path=V0) == [
        f"{V0}.properties[a]: {because} {V0}.not.properties[a]",
        f"{V0}.properties[b].properties[a]: {because} {V0}.not.properties[b].not.properties[a]",
        f"{V0}.properties[b].properties[b].items: {because} "
        f"{V0}.not.properties[b].not.properties[b].items",
        f"{V0}.properties[b].properties[b].items: Required value: must be specified",
        f"{V0}.properties[c].items.items: {because} {V0}.not.properties[c].items.not.items",
        f"{V0}.properties[d].items: {because} {V0}.not.properties[d].items",
        f"{V0}.properties[d].items: Required value: must be specified",
        f"{V0}.properties[e]: {because} {V0}.allOf[0].properties[e]",
        f"{V0}.properties[f]: {because} {V0}.anyOf[0].properties[f]",
        f"{V0}.properties[g]: {because} {V0}.oneOf[0].properties[g]",
    ]


def test_check_structural_matches_apiserver_unit_test_for_defaults() -> None:
    """From apiextensions-apiserver pkg/apis/apiextensions/validation/validation_test.go."""
    foo = {"foo": {"type": "string"}}
    meta = {"apiVersion": "foo/v1", "kind": "v1", "metadata": {"name": "foo"}}
    schema = obj_schema(
        a={"type": "object", "properties": foo, "default": {"foo": "abc", "bar": 42}},
        b={"type": "object", "properties": foo, "default": {"foo": "abc"}},
        c={"type": "object", "properties": foo, "default": {"foo": 42}},
        d={
            "type": "object",
            "properties": {
                "good": {"type": "string", "pattern": "a"},
                "bad": {"type": "string", "pattern": "b"},
            },
            "default": {"good": "a", "bad": "a"},
        },
        e={
            "type": "object",
            PRESERVE: True,
            "properties": {
                "preserveUnknownFields": {"type": "object", "default": {"foo": "abc", "bar": 42}},
                "nestedProperties": {
                    "type": "object",
                    "properties": foo,
                    "default": {"foo": "abc", "bar": 42},
                },
            },
        },
        embeddedFine={
            "type": "object",
            EMBEDDED: True,
            "properties": foo,
            "default": {"foo": "abc", **meta},
        },
        embeddedPreserve={
            "type": "object",
            EMBEDDED: True,
            PRESERVE: True,
            "properties": foo,
            "default": {
                "foo": "abc",
                **meta,
                "metadata": {"name": "foo", "unspecified": "bar"},
                "bar": 42,
            },
        },
    )
    assert check_structural(schema) == [
        f'{S}.properties[a].default: Invalid value: {{"bar":42,"foo":"abc"}}: must not have '
        "unknown fields",
        f'{S}.properties[c].default.foo: Invalid value: "integer": foo in body must be of type '
        'string: "integer"',
        f"{S}.properties[d].default.bad: Invalid value: \"a\": bad in body should match 'b'",
        f"{S}.properties[e].properties[preserveUnknownFields].default: Invalid value: "
        f'{{"bar":42,"foo":"abc"}}: must not have unknown fields',
        f"{S}.properties[e].properties[nestedProperties].default: Invalid value: "
        f'{{"bar":42,"foo":"abc"}}: must not have unknown fields',
    ]


# --- check_crd: a whole CustomResourceDefinition on create ---------------------------------


def add_version(
    crd: dict[str, Any], *, schema: dict[str, Any] | None = None, storage: bool = False
) -> None:
    """Append a `v1` copy of the first version, optionally with its own schema."""
    version = copy.deepcopy(crd["spec"]["versions"][0])
    version.update(name="v1", storage=storage)
    if schema is not None:
        version["schema"] = {"openAPIV3Schema": schema}
    crd["spec"]["versions"].append(version)


def shorten(error: str) -> str:
    """Elide the JSON blob of a long `Invalid value` (Go prints internal structs there)."""
    head = "Invalid value: "
    if (head + "{" not in error and head + "[" not in error) or len(error) < 200:
        return error
    return error[: error.index(head) + len(head)] + "…" + error[error.rindex(": ") :]


RFC1123 = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
    " '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used"
    " for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
DNS1035 = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an"
    " alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123',"
    " regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
SCALE = "spec.versions.0.subresources.scale"
COLUMN = "spec.versions.0.additionalPrinterColumns.0"
JOB = "spec.versions.0.schema.openAPIV3Schema.properties.spec.properties.job.properties"
CRD_CASES: list[tuple[str, Callable[[dict[str, Any]], object], list[str]]] = [
    ("flink-crd-is-valid", lambda c: None, []),
    (
        "singular-and-list-kind-are-defaulted",
        edits(
            lambda c: del_path(c, "spec.names.singular"),
            lambda c: del_path(c, "spec.names.listKind"),
        ),
        [],
    ),
    ("identical-versions-are-fine", add_version, []),
    (
        "name-not-plural-dot-group",
        lambda c: set_path(c, "metadata.name", "flinks.flink.apache.org"),
        [
            'metadata.name: Invalid value: "flinks.flink.apache.org": must be '
            'spec.names.plural+"."+spec.group'
        ],
    ),
    (
        "name-missing",
        lambda c: del_path(c, "metadata.name"),
        ["metadata.name: Required value: name or generateName is required"],
    ),
    (
        "namespace-set",
        lambda c: set_path(c, "metadata.namespace", "default"),
        ["metadata.namespace: Forbidden: not allowed on this type"],
    ),
    (
        "group-without-dot",
        edits(
            lambda c: set_path(c, "spec.group", "flink"),
            lambda c: set_path(c, "metadata.name", "flinkdeployments.flink"),
        ),
        ['spec.group: Invalid value: "flink": should be a domain with at least one dot'],
    ),
    (
        "group-not-lowercase",
        edits(
            lambda c: set_path(c, "spec.group", "Flink.io"),
            lambda c: set_path(c, "metadata.name", "flinkdeployments.Flink.io"),
        ),
        [
            f'metadata.name: Invalid value: "flinkdeployments.Flink.io": {RFC1123}',
            f'spec.group: Invalid value: "Flink.io": {RFC1123}',
        ],
    ),
    ("scope-missing", lambda c: del_path(c, "spec.scope"), ["spec.scope: Required value"]),
    (
        "scope-unknown",
        lambda c: set_path(c, "spec.scope", "Global"),
        ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
    ),
    ("kind-missing", lambda c: del_path(c, "spec.names.kind"), ["spec.names.kind: Required value"]),
    (
        "kind-equals-list-kind",
        lambda c: set_path(c, "spec.names.listKind", "FlinkDeployment"),
        [
            'spec.names.listKind: Invalid value: "FlinkDeployment": kind and listKind may not be '
            "the same"
        ],
    ),
    (
        "short-name-invalid",
        lambda c: set_path(c, "spec.names.shortNames", ["fd_1"]),
        [f'spec.names.shortNames[0]: Invalid value: "fd_1": {DNS1035}'],
    ),
    (
        "category-invalid",
        lambda c: set_path(c, "spec.names.categories", ["All"]),
        [f'spec.names.categories[0]: Invalid value: "All": {DNS1035}'],
    ),
    (
        "no-storage-version",
        lambda c: set_path(c, "spec.versions.0.storage", False),
        [
            "spec.versions: Invalid value: …: must have exactly one version marked as storage "
            "version",
            "status.storedVersions: Invalid value: null: must have at least one stored version",
        ],
    ),
    (
        "two-storage-versions",
        lambda c: add_version(c, storage=True),
        [
            "spec.versions: Invalid value: …: must have exactly one version marked as storage "
            "version"
        ],
    ),
    (
        "duplicate-version-names",
        edits(add_version, lambda c: set_path(c, "spec.versions.1.name", "v1beta1")),
        ["spec.versions: Invalid value: …: must contain unique version names"],
    ),
    (
        "version-name-invalid",
        lambda c: set_path(c, "spec.versions.0.name", "V1"),
        [f'spec.versions[0].name: Invalid value: "V1": {DNS1035}'],
    ),
    (
        "schema-missing",
        lambda c: del_path(c, "spec.versions.0.schema"),
        ["spec.versions[0].schema.openAPIV3Schema: Required value"],
    ),
    (
        "single-version-schema-reported-under-spec-validation",
        lambda c: set_path(
            c, "spec.versions.0.schema.openAPIV3Schema.properties.spec.properties.x", {}
        ),
        [f"{S}.properties[spec].properties[x].type: {NOT_EMPTY_FIELD}"],
    ),
    (
        "differing-schemas-reported-per-version",
        lambda c: add_version(
            c, schema={"type": "object", "properties": {"spec": {"properties": {}}}}
        ),
        [f"spec.versions[1].schema.openAPIV3Schema.properties[spec].type: {NOT_EMPTY_FIELD}"],
    ),
    (
        "schema-default-not-in-enum",
        lambda c: set_path(c, f"{JOB}.upgradeMode.default", "never"),
        [
            f"{S}.properties[spec].properties[job].properties[upgradeMode].default: Unsupported "
            'value: "never": supported values: "stateless", "savepoint", "last-state"'
        ],
    ),
    (
        "status-subresource-restricts-schema-root",
        lambda c: set_path(
            c, "spec.versions.0.schema.openAPIV3Schema.anyOf", [{"required": ["spec"]}]
        ),
        [f"{S}: Invalid value: …: {ONLY_ROOT_FIELDS}"],
    ),
    (
        "scale-spec-replicas-under-status",
        lambda c: set_path(c, f"{SCALE}.specReplicasPath", ".status.replicas"),
        [
            'spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should '
            "be a json path under .spec"
        ],
    ),
    (
        "scale-status-replicas-missing",
        lambda c: del_path(c, f"{SCALE}.statusReplicasPath"),
        ["spec.subresources.scale.statusReplicasPath: Required value"],
    ),
    (
        "scale-status-replicas-not-a-json-path",
        lambda c: set_path(c, f"{SCALE}.statusReplicasPath", "status.replicas"),
        [
            'spec.subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must '
            "be a simple json path starting with ."
        ],
    ),
    (
        "scale-selector-under-spec",
        lambda c: set_path(c, f"{SCALE}.labelSelectorPath", ".spec.selector"),
        [],
    ),
    (
        "scale-selector-under-metadata",
        lambda c: set_path(c, f"{SCALE}.labelSelectorPath", ".metadata.labels"),
        [
            'spec.subresources.scale.labelSelectorPath: Invalid value: ".metadata.labels": '
            "should be a json path under either .spec or .status"
        ],
    ),
    (
        "scale-of-one-version-only",
        edits(
            add_version,
            lambda c: del_path(c, "spec.versions.1.subresources.scale"),
            lambda c: set_path(c, f"{SCALE}.specReplicasPath", ".replicas"),
        ),
        [
            'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".replicas": '
            "should be a json path under .spec"
        ],
    ),
    (
        "column-type-unknown",
        lambda c: set_path(c, f"{COLUMN}.type", "str"),
        [
            'spec.additionalPrinterColumns[0].type: Invalid value: "str": must be one of '
            "boolean,date,integer,number,string"
        ],
    ),
    (
        "column-format-unknown",
        lambda c: set_path(c, f"{COLUMN}.format", "int8"),
        [
            'spec.additionalPrinterColumns[0].format: Invalid value: "int8": must be one of '
            "byte,date,date-time,double,float,int32,int64,password"
        ],
    ),
    (
        "column-without-name-and-path",
        lambda c: set_path(c, COLUMN, {"type": "string"}),
        [
            "spec.additionalPrinterColumns[0].name: Required value",
            "spec.additionalPrinterColumns[0].JSONPath: Required value",
        ],
    ),
    (
        "column-path-without-leading-dot",
        lambda c: set_path(c, f"{COLUMN}.jsonPath", "status.state"),
        [
            'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "status.state": must be a '
            "simple json path starting with ."
        ],
    ),
    (
        "preserve-unknown-fields-true",
        lambda c: set_path(c, "spec.preserveUnknownFields", True),
        [
            "spec.preserveUnknownFields: Invalid value: true: must be false in order to use "
            "defaults in the schema",
            "spec.preserveUnknownFields: Invalid value: true: cannot set to true, set"
            " x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead",
        ],
    ),
    (
        "protected-group-without-approval",
        edits(
            lambda c: set_path(c, "spec.group", "flink.k8s.io"),
            lambda c: set_path(c, "metadata.name", "flinkdeployments.flink.k8s.io"),
        ),
        [
            "metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups "
            'must have approval annotation "api-approved.kubernetes.io", see '
            "https://github.com/kubernetes/enhancements/pull/1111"
        ],
    ),
    (
        "webhook-conversion-without-config",
        lambda c: set_path(c, "spec.conversion", {"strategy": "Webhook"}),
        [
            "spec.conversion.webhookClientConfig: Required value: required when strategy is set "
            "to Webhook",
            "spec.conversion.conversionReviewVersions: Required value",
        ],
    ),
    (
        "webhook-conversion-complete",
        lambda c: set_path(
            c,
            "spec.conversion",
            {
                "strategy": "Webhook",
                "webhook": {
                    "conversionReviewVersions": ["v1"],
                    "clientConfig": {"service": {"name": "conv", "namespace": "default"}},
                },
            },
        ),
        [],
    ),
    (
        "conversion-strategy-unknown",
        lambda c: set_path(c, "spec.conversion", {"strategy": "Magic"}),
        [
            'spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", '
            '"Webhook"'
        ],
    ),
    (
        "deprecation-warning-on-current-version",
        lambda c: set_path(c, "spec.versions.0.deprecationWarning", "old"),
        [
            'spec.versions[0].deprecationWarning: Invalid value: "old": can only be set for '
            "deprecated versions"
        ],
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [c[1:] for c in CRD_CASES], ids=[c[0] for c in CRD_CASES]
)
def test_check_crd_reports_apiserver_errors(
    edit: Callable[[dict[str, Any]], object], expected: list[str]
) -> None:
    crd = flink_crd()
    edit(crd)
    assert [shorten(e) for e in check_crd(crd)] == expected


def test_default_crd_fills_names_and_conversion_without_touching_input() -> None:
    crd = flink_crd()
    del crd["spec"]["names"]["singular"], crd["spec"]["names"]["listKind"]
    defaulted = default_crd(crd)
    assert defaulted["spec"]["names"]["singular"] == "flinkdeployment"
    assert defaulted["spec"]["names"]["listKind"] == "FlinkDeploymentList"
    assert defaulted["spec"]["conversion"] == {"strategy": "None"}
    assert "singular" not in crd["spec"]["names"]


# --- validate: a custom resource against its schema -----------------------------------------

LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.',"
    " and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value' or"
    " '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
VALIDATE_CASES: list[tuple[str, Callable[[dict[str, Any]], object], list[str]]] = [
    ("valid-object", lambda o: None, []),
    (
        "type-mismatch",
        lambda o: set_path(o, "spec.image", 3),
        [
            'spec.image: Invalid value: "integer": spec.image in body must be of type string: '
            '"integer"'
        ],
    ),
    (
        "required-missing",
        lambda o: del_path(o, "spec.job.jarURI"),
        ["spec.job.jarURI: Required value"],
    ),
    (
        "enum-not-supported",
        lambda o: set_path(o, "spec.job.upgradeMode", "foo"),
        [
            'spec.job.upgradeMode: Unsupported value: "foo": supported values: "stateless", '
            '"savepoint", "last-state"'
        ],
    ),
    (
        "int64-given-string",
        lambda o: set_path(o, "spec.job.parallelism", "2"),
        [
            'spec.job.parallelism: Invalid value: "string": spec.job.parallelism in body must be '
            'of type integer: "string"'
        ],
    ),
    ("int64-given-integral-float", lambda o: set_path(o, "spec.job.parallelism", 2.0), []),
    (
        "int64-given-fraction",
        lambda o: set_path(o, "spec.job.parallelism", 2.5),
        [
            'spec.job.parallelism: Invalid value: "float64": spec.job.parallelism in body must '
            'be of type int64: "float64"',
            '<nil>: Invalid value: "": Checked value must be of type integer with format int64 '
            "in spec.job.parallelism",
        ],
    ),
    (
        "below-minimum",
        lambda o: set_path(o, "spec.job.parallelism", 0),
        [
            "spec.job.parallelism: Invalid value: 0: spec.job.parallelism in body should be "
            "greater than or equal to 1"
        ],
    ),
    (
        "int32-overflow",
        lambda o: set_path(o, "spec.jobManager.replicas", 2**31),
        [
            '<nil>: Invalid value: "": Checked value must be of type integer with format int32 '
            "in spec.jobManager.replicas"
        ],
    ),
    (
        "exclusive-minimum",
        lambda o: set_path(o, "spec.jobManager.resource.cpu", 0),
        [
            "spec.jobManager.resource.cpu: Invalid value: 0: spec.jobManager.resource.cpu in "
            "body should be greater than 0"
        ],
    ),
    ("int-or-string-given-int", lambda o: set_path(o, "spec.jobManager.resource.memory", 1024), []),
    (
        "int-or-string-given-bool",
        lambda o: set_path(o, "spec.jobManager.resource.memory", True),
        [
            'spec.jobManager.resource.memory: Invalid value: "boolean": '
            "spec.jobManager.resource.memory"
            ' in body must be of type integer,string: "boolean"'
        ],
    ),
    ("nullable-given-null", lambda o: set_path(o, "spec.job.savepointTriggerNonce", None), []),
    (
        "non-nullable-given-null",
        lambda o: set_path(o, "spec.job.jarURI", None),
        [
            'spec.job.jarURI: Invalid value: "null": spec.job.jarURI in body must be of type '
            'string: "null"'
        ],
    ),
    (
        "min-length",
        lambda o: set_path(o, "spec.image", ""),
        ['spec.image: Invalid value: "": spec.image in body should be at least 1 chars long'],
    ),
    (
        "max-length",
        lambda o: set_path(o, "spec.job.initialSavepointPath", "s3://bucket/savepoint-1"),
        ["spec.job.initialSavepointPath: Too long: may not be more than 10 bytes"],
    ),
    (
        "pattern",
        lambda o: set_path(o, "spec.flinkVersion", "2.1"),
        [
            'spec.flinkVersion: Invalid value: "2.1": spec.flinkVersion in body should match '
            "'^v\\d+_\\d+$'"
        ],
    ),
    (
        "max-items",
        lambda o: set_path(o, "spec.job.args", ["a", "b", "c"]),
        ["spec.job.args: Too many: 3: must have at most 2 items"],
    ),
    (
        "additional-properties-schema",
        lambda o: set_path(o, "spec.flinkConfiguration", {"parallelism.default": 2}),
        [
            'spec.flinkConfiguration.parallelism.default: Invalid value: "integer": '
            "spec.flinkConfiguration.parallelism.default"
            ' in body must be of type string: "integer"'
        ],
    ),
    (
        "preserve-unknown-fields-accepts-anything",
        lambda o: set_path(o, "spec.podTemplate", {"any": [1, {"x": None}]}),
        [],
    ),
    (
        "date-time-format",
        lambda o: set_path(o, "spec.restartedAt", "yesterday"),
        [
            'spec.restartedAt: Invalid value: "yesterday": spec.restartedAt in body must be of '
            'type date-time: "yesterday"'
        ],
    ),
    ("date-time-valid", lambda o: set_path(o, "spec.restartedAt", "2024-05-01T10:00:00Z"), []),
    (
        "embedded-resource-without-kind",
        lambda o: set_path(o, "spec.sidecar", {"apiVersion": "v1"}),
        ["spec.sidecar.kind: Required value"],
    ),
    (
        "embedded-resource-bad-meta",
        lambda o: set_path(
            o,
            "spec.sidecar",
            {
                "apiVersion": "a/b/c",
                "kind": "Pod",
                "metadata": {"name": "a/b", "labels": {"app": "-x-"}},
            },
        ),
        [
            'spec.sidecar.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: '
            "a/b/c",
            "spec.sidecar.metadata.name: Invalid value: \"a/b\": may not contain '/'",
            f'spec.sidecar.metadata.labels: Invalid value: "-x-": {LABEL_VALUE}',
        ],
    ),
    (
        "embedded-resource-metadata-not-object",
        lambda o: set_path(o, "spec.sidecar", {"apiVersion": "v1", "kind": "Pod", "metadata": "x"}),
        [
            'spec.sidecar.metadata: Invalid value: "x": json: cannot unmarshal string into Go '
            "value of type v1.ObjectMeta"
        ],
    ),
    (
        "list-map-duplicate-key",
        lambda o: set_path(
            o, "spec.ports", [{"name": "rest", "port": 1}, {"name": "rest", "port": 2}]
        ),
        ['spec.ports[1]: Duplicate value: {"name":"rest"}'],
    ),
    (
        "list-set-duplicate",
        lambda o: set_path(o, "spec.tags", ["a", "b", "a", "a"]),
        ['spec.tags[2]: Duplicate value: "a"'],
    ),
    (
        "list-map-of-scalars",
        lambda o: set_path(o, "spec.ports", ["rest"]),
        [
            'spec.ports[0]: Invalid value: "string": spec.ports[0] in body must be of type '
            'object: "string"',
            'spec.ports[0]: Invalid value: "rest": must be an object for an array of list-type map',
        ],
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [c[1:] for c in VALIDATE_CASES], ids=[c[0] for c in VALIDATE_CASES]
)
def test_validate_reports_apiserver_errors(
    edit: Callable[[dict[str, Any]], object], expected: list[str]
) -> None:
    obj = flink_object()
    edit(obj)
    assert [str(e) for e in validate(obj, flink_schema())] == expected


def test_validate_reports_types_and_fields_for_status_causes() -> None:
    obj = flink_object()
    obj["spec"]["job"]["upgradeMode"] = "foo"
    (error,) = validate(obj, flink_schema())
    assert (error.field, error.type) == ("spec.job.upgradeMode", "FieldValueNotSupported")
    assert (
        error.message
        == 'Unsupported value: "foo": supported values: "stateless", "savepoint", "last-state"'
    )


def test_validate_puts_errors_under_the_given_path() -> None:
    status_schema = flink_schema()["properties"]["status"]
    errors = validate({"replicas": "two"}, status_schema, path="status")
    assert [str(e) for e in errors] == [
        'status.replicas: Invalid value: "string": replicas in body must be of type integer: '
        '"string"'
    ]


INT_OR_STRING_ANYOF = {
    "nullable": True,
    INT_OR_STRING: True,
    "anyOf": [{"type": "integer"}, {"type": "string"}],
}
ANYOF_FAILED = '<nil>: Invalid value: "": "field" must validate at least one schema (anyOf)'
GO_VALIDATOR_CASES: list[tuple[str, dict[str, Any], Any, set[str]]] = [
    (
        "object-given-null",
        {"type": "object"},
        None,
        {'field: Invalid value: "null": field in body must be of type object: "null"'},
    ),
    ("int-or-string-anyof-null", INT_OR_STRING_ANYOF, None, set()),
    (
        "int-or-string-anyof-bool",
        INT_OR_STRING_ANYOF,
        True,
        {
            ANYOF_FAILED,
            'field: Invalid value: "boolean": field in body must be of type integer,string: '
            '"boolean"',
            'field: Invalid value: "boolean": field in body must be of type integer: "boolean"',
        },
    ),
    (
        "int-or-string-anyof-float",
        INT_OR_STRING_ANYOF,
        1.2,
        {
            ANYOF_FAILED,
            'field: Invalid value: "number": field in body must be of type integer,string: '
            '"number"',
            'field: Invalid value: "number": field in body must be of type integer: "number"',
            '<nil>: Invalid value: "": Checked value must be of type integer (default format) '
            "in field",
        },
    ),
    (
        "int-or-string-allof-bool",
        {
            "nullable": True,
            INT_OR_STRING: True,
            "allOf": [{"anyOf": [{"type": "integer"}, {"type": "string"}]}],
        },
        True,
        {
            '<nil>: Invalid value: "": "field" must validate all the schemas (allOf). None '
            "validated",
            ANYOF_FAILED,
            'field: Invalid value: "boolean": field in body must be of type integer,string: '
            '"boolean"',
            'field: Invalid value: "boolean": field in body must be of type integer: "boolean"',
        },
    ),
    (
        "invalid-pattern",
        {"type": "string", "pattern": "+"},
        "foo",
        {
            'field: Invalid value: "foo": field in body should match \'+, but pattern is invalid:'
            " error parsing regexp: missing argument to repetition operator: `+`'"
        },
    ),
    (
        "max-properties",
        {"type": "object", "maxProperties": 2},
        {"a": True, "b": True, "c": True},
        {"field: Too many: 3: must have at most 2 items"},
    ),
    (
        "max-length",
        {"type": "string", "maxLength": 2},
        "abc",
        {"field: Too long: may not be more than 2 bytes"},
    ),
    (
        "k8s-short-name",
        {"type": "string", "format": "k8s-short-name"},
        "a-",
        {'field: Invalid value: "a-": field in body must be of type k8s-short-name: "a-"'},
    ),
    (
        "float-overflow",
        {"type": "number", "format": "float"},
        3.4028234663852886e38 * 1.1,
        {
            '<nil>: Invalid value: "": Checked value must be of type number with format float in '
            "field"
        },
    ),
    ("unknown-format-ignored", {"type": "string", "format": "emaill"}, "not an address", set()),
    (
        "oneof-none-valid",
        {"type": "string", "oneOf": [{"enum": ["a"]}, {"enum": ["b"]}]},
        "c",
        {
            '<nil>: Invalid value: "": "field" must validate one and only one schema (oneOf). '
            "Found none valid",
            'field: Unsupported value: "c": supported values: "a"',
        },
    ),
    (
        "not-matched",
        {"type": "string", "not": {"enum": ["forbidden"]}},
        "forbidden",
        {'<nil>: Invalid value: "": "field" must not validate the schema (not)'},
    ),
]


@pytest.mark.parametrize(
    ("schema", "value", "expected"),
    [c[1:] for c in GO_VALIDATOR_CASES],
    ids=[c[0] for c in GO_VALIDATOR_CASES],
)
def test_validate_matches_apiserver_validator_tests(
    schema: dict[str, Any], value: Any, expected: set[str]
) -> None:
    """From apiextensions-apiserver pkg/apiserver/validation/validation_test.go, as sets."""
    errors = validate({"field": value}, obj_schema(field=schema))
    assert {str(e) for e in errors} == expected


# --- prune: unknown fields dropped on decode --------------------------------------------------

# (id, edit to the object, pruned paths, edit giving the expected result; None: nothing pruned)
PRUNE_CASES: list[tuple[str, Edit, list[str], Edit | None]] = [
    ("known-fields-kept", lambda o: None, [], None),
    (
        "unknown-fields-dropped",
        edits(
            lambda o: set_path(o, "spec.typo", 1),
            lambda o: set_path(o, "spec.job.extra", {"a": 1}),
            lambda o: set_path(o, "extra", True),
        ),
        ["extra", "spec.job.extra", "spec.typo"],
        lambda o: None,
    ),
    (
        "unknown-fields-in-list-items",
        lambda o: set_path(o, "spec.ports", [{"name": "rest", "protocol": "TCP"}]),
        ["spec.ports[0].protocol"],
        lambda o: set_path(o, "spec.ports", [{"name": "rest"}]),
    ),
    (
        "root-metadata-left-alone",
        lambda o: set_path(o, "metadata", {"name": "x", "whatever": 1}),
        [],
        None,
    ),
    (
        "preserved-subtree-kept",
        lambda o: set_path(o, "spec.podTemplate", {"x": {"y": [1]}}),
        [],
        None,
    ),
    (
        "preserved-node-still-prunes-specified-children",
        lambda o: set_path(
            o, "status", {"jobStatus": {"state": "RUNNING", "junk": 1}, "free": {"a": 1}}
        ),
        ["status.jobStatus.junk"],
        lambda o: set_path(o, "status", {"jobStatus": {"state": "RUNNING"}, "free": {"a": 1}}),
    ),
    (
        "embedded-resource-meta-kept-unknown-metadata-dropped",
        lambda o: set_path(
            o,
            "spec.sidecar",
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "s", "bogus": 1}, "spec": {}},
        ),
        ["spec.sidecar.metadata.bogus"],
        lambda o: set_path(
            o,
            "spec.sidecar",
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "s"}, "spec": {}},
        ),
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected_paths", "expected_edit"),
    [c[1:] for c in PRUNE_CASES],
    ids=[c[0] for c in PRUNE_CASES],
)
def test_prune_drops_unknown_fields(
    edit: Edit, expected_paths: list[str], expected_edit: Edit | None
) -> None:
    obj = flink_object()
    edit(obj)
    expected = copy.deepcopy(obj) if expected_edit is None else flink_object()
    if expected_edit is not None:
        expected_edit(expected)
    assert prune(obj, flink_schema()) == expected_paths
    assert obj == expected


def test_prune_matches_apiserver_pruning_test_for_nested_preserve_unknown_fields() -> None:
    """From apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm_test.go."""
    keep: dict[str, Any] = {"type": "object", PRESERVE: True}
    nested = {"foo": {"specified": {"unspecified": "bar"}, "unspecified": "bar"}}
    obj: dict[str, Any] = {
        "unspecified": "bar",
        "alpha": "abc",
        "unspecifiedObject": {"unspecified": "bar"},
        "pruning": {
            "unspecified": "bar",
            "unspecifiedObject": {},
            "pruning": {"unspecified": "bar"},
            "apiVersion": "x",
            "preserving": {"unspecified": "bar"},
        },
        "preserving": {
            "unspecified": "bar",
            "pruning": {"unspecified": "bar"},
            "preserving": {"unspecified": "bar"},
            "preservingUnknownType": [{"foo": True}],
        },
        "preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields": copy.deepcopy(nested),
        "preservingAdditionalPropertiesKeyPruneValues": copy.deepcopy(nested),
    }
    map_of_specified = {"type": "object", "properties": {"specified": {"type": "object"}}}
    schema = {
        **keep,
        "properties": {
            "alpha": {"type": "string"},
            "pruning": obj_schema(preserving=keep, pruning={"type": "object"}),
            "preserving": {
                **keep,
                "properties": {
                    "preserving": keep,
                    "preservingUnknownType": {PRESERVE: True},
                    "pruning": {"type": "object"},
                },
            },
            "preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields": {
                **keep,
                "additionalProperties": map_of_specified,
            },
            "preservingAdditionalPropertiesKeyPruneValues": {
                "type": "object",
                "additionalProperties": map_of_specified,
            },
        },
    }
    assert prune(obj, schema, is_resource_root=False) == [
        "preserving.pruning.unspecified",
        "preservingAdditionalPropertiesKeyPruneValues.foo.specified.unspecified",
        "preservingAdditionalPropertiesKeyPruneValues.foo.unspecified",
        "preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields.foo.specified.unspecified",
        "preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields.foo.unspecified",
        "pruning.apiVersion",
        "pruning.pruning.unspecified",
        "pruning.unspecified",
        "pruning.unspecifiedObject",
    ]
    assert obj["pruning"] == {"pruning": {}, "preserving": {"unspecified": "bar"}}
    assert obj["preserving"]["pruning"] == {}
    assert obj["preservingAdditionalPropertiesKeyPruneValues"] == {"foo": {"specified": {}}}


# --- defaults: prune_nulls, then apply_defaults ----------------------------------------------

DEFAULT_SCHEMA = obj_schema(
    spec=obj_schema(
        mode={"type": "string", "default": "stateless"},
        replicas={"type": "integer", "default": 1},
        nonce={"type": "integer", "nullable": True, "default": 0},
        image={"type": "string"},
        job={
            "type": "object",
            "default": {},
            "properties": {"upgradeMode": {"type": "string", "default": "stateless"}},
        },
        conf={"type": "object", "additionalProperties": {"type": "string", "default": "x"}},
        args={"type": "array", "items": {"type": "string", "default": "-v"}},
    )
)
DEFAULT_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "absent-fields-get-defaults-including-nested-in-defaults",
        {"spec": {}},
        {
            "spec": {
                "mode": "stateless",
                "replicas": 1,
                "nonce": 0,
                "job": {"upgradeMode": "stateless"},
            }
        },
    ),
    (
        "given-values-kept",
        {"spec": {"mode": "savepoint", "replicas": 3, "job": {"upgradeMode": "last-state"}}},
        {
            "spec": {
                "mode": "savepoint",
                "replicas": 3,
                "nonce": 0,
                "job": {"upgradeMode": "last-state"},
            }
        },
    ),
    (
        "null-of-non-nullable-is-defaulted-null-of-nullable-kept",
        {"spec": {"mode": None, "nonce": None, "job": {}}},
        {
            "spec": {
                "mode": "stateless",
                "replicas": 1,
                "nonce": None,
                "job": {"upgradeMode": "stateless"},
            }
        },
    ),
    (
        "null-without-default-dropped",
        {"spec": {"image": None, "job": {}}},
        {
            "spec": {
                "mode": "stateless",
                "replicas": 1,
                "nonce": 0,
                "job": {"upgradeMode": "stateless"},
            }
        },
    ),
    (
        "map-values-and-list-items-defaulted-when-null",
        {"spec": {"conf": {"a": None, "b": "y"}, "args": [None, "-q"], "job": {}}},
        {
            "spec": {
                "conf": {"a": "x", "b": "y"},
                "args": ["-v", "-q"],
                "mode": "stateless",
                "replicas": 1,
                "nonce": 0,
                "job": {"upgradeMode": "stateless"},
            }
        },
    ),
]


@pytest.mark.parametrize(
    ("obj", "expected"), [c[1:] for c in DEFAULT_CASES], ids=[c[0] for c in DEFAULT_CASES]
)
def test_prune_nulls_then_apply_defaults(obj: dict[str, Any], expected: dict[str, Any]) -> None:
    obj = copy.deepcopy(obj)
    prune_nulls(obj, DEFAULT_SCHEMA)
    apply_defaults(obj, DEFAULT_SCHEMA)
    assert obj == expected


def test_apply_defaults_copies_default_values() -> None:
    first: dict[str, Any] = {"spec": {}}
    second: dict[str, Any] = {"spec": {}}
    apply_defaults(first, DEFAULT_SCHEMA)
    apply_defaults(second, DEFAULT_SCHEMA)
    first["spec"]["job"]["upgradeMode"] = "changed"
    assert second["spec"]["job"] == {"upgradeMode": "stateless"}
    assert DEFAULT_SCHEMA["properties"]["spec"]["properties"]["job"]["default"] == {}


def test_flink_object_round_trip_prunes_defaults_and_validates() -> None:
    """The decode-then-validate pipeline the REST layer runs for a create."""
    obj = flink_object()
    obj["spec"]["job"]["typo"] = 1
    del obj["spec"]["job"]["upgradeMode"]
    schema = flink_schema()
    assert prune(obj, schema) == ["spec.job.typo"]
    prune_nulls(obj, schema)
    apply_defaults(obj, schema)
    assert obj["spec"]["job"]["upgradeMode"] == "stateless"
    assert obj["spec"]["imagePullPolicy"] == "IfNotPresent"
    assert validate(obj, schema) == []
