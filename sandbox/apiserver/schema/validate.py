"""Validate a custom resource against its structural schema, as the apiserver does on writes.

The apiserver runs kube-openapi's schema validator over the (pruned, defaulted) object, then
checks embedded resources' metadata and the uniqueness of set and map lists, and reports
everything as field errors. `validate` does the same three steps. The first is a port of
kube-openapi's `SchemaValidator` rather than a JSON-Schema library because the details
are visible to users: which checks run for which JSON type, the order of errors, the
match counting that picks which `anyOf` branch's errors are shown, the effective type of
`x-kubernetes-int-or-string` (`integer,string`), and the formats the apiserver drops.
Typed and root metadata checks (`kind`, `apiVersion`, the object's own `metadata`) and the
scale subresource's replica checks belong to the REST layer, which knows the GVK.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sandbox.apiserver.schema import formats, listtype, nodes, objectmeta, outcome, values
from sandbox.apiserver.schema.field import FieldError
from sandbox.apiserver.schema.gojson import go_quote, json_equal, json_kind
from sandbox.apiserver.schema.nodes import Schema
from sandbox.apiserver.schema.outcome import Result


def validate(obj: Any, schema: Mapping[str, Any], *, path: str | None = None) -> list[FieldError]:
    """All errors for `obj` under `schema`, in the apiserver's order and wording.

    Args:
        obj: the custom resource (or, for the status subresource, its `status`) as JSON.
        schema: the version's `openAPIV3Schema` (or `properties.status` of it).
        path: where `obj` sits; `None` for a whole object, whose root-level errors then
            print under `<nil>` as they do in Go, `"status"` for a status update.
    """
    errs = validate_schema(obj, schema, path=path)
    errs.extend(objectmeta.check_embedded(obj, schema, path=path))
    if isinstance(obj, Mapping):
        errs.extend(listtype.check_lists(obj, schema, path=path))
    return errs


def validate_schema(
    obj: Any, schema: Mapping[str, Any], *, path: str | None = None
) -> list[FieldError]:
    """The kube-openapi step alone (`ValidateCustomResource`), as used for CRD defaults."""
    return outcome.to_field_errors(_schema(schema, "", data=obj), path)


def _types(schema: Schema) -> list[str]:
    if nodes.int_or_string(schema):
        return ["integer", "string"]
    kind = nodes.kind(schema)
    return [kind] if kind else []


def _format(schema: Schema, types: list[str]) -> str:
    """The format the apiserver keeps (`StripUnsupportedFormatsPostProcessor`)."""
    name = nodes.text(schema, "format")
    single = types[0] if len(types) == 1 else ""
    if not name:
        return ""
    if single in ("", "string"):
        return name if formats.supported(name) else ""
    if single == "integer":
        return name if name in ("int32", "int64") else ""
    if single == "number":
        return name if name in ("float", "double") else ""
    return ""


def _schema(schema: Schema, path: str, *, data: Any) -> Result:
    """`SchemaValidator.Validate`: the applicable validators in kube-openapi's order."""
    types = _types(schema)
    format_name = _format(schema, types)
    result = Result()
    if data is None:
        if types or format_name:
            result.merge(_check_type(schema, types, format_name=format_name, path=path, data=data))
        result.merge(_check_enum(schema, path, data=data))
        return result
    kind = json_kind(data)
    steps: list[Callable[[], Result | None]] = []
    if types or format_name:
        steps.append(
            lambda: _check_type(schema, types, format_name=format_name, path=path, data=data)
        )
    steps.append(lambda: _check_junctors(schema, path, data=data))
    if kind == "string":
        steps.append(lambda: values.check_string(schema, path, value=data))
        if format_name and formats.supported(format_name):
            steps.append(lambda: values.check_format(format_name, path, value=data))
    if kind in ("integer", "number"):
        number_type = types[0] if len(types) == 1 and types[0] in ("integer", "number") else ""
        number_format = format_name if number_type else ""
        steps.append(
            lambda: values.check_number(
                schema, path, value=data, type_name=number_type, format_name=number_format
            )
        )
    if kind == "array":
        steps.append(lambda: _check_array(schema, path, data=data))
    steps.append(lambda: _check_enum(schema, path, data=data))
    if kind == "object":
        steps.append(lambda: _check_object(schema, path, data=data))
    for step in steps:
        result.merge(step())
        result.matches += 1
    result.matches += 1
    return result


def _check_type(
    schema: Schema, types: list[str], *, format_name: str, path: str, data: Any
) -> Result:
    """`typeValidator`; a success counts as one match, a failure as none."""
    joined = ",".join(types)
    if data is None:
        if types and "null" not in types and not nodes.flag(schema, "nullable"):
            return outcome.fail(outcome.invalid_type(path, joined, value="null"))
        return Result(matches=1)
    kind = json_kind(data)
    native_format = {"integer": "int64", "number": "float64"}.get(kind, "")
    float_int = (
        kind == "number" and float(data).is_integer() and abs(data) < 2**53 and "integer" in types
    )
    int_float = kind == "integer" and "number" in types
    matches_type = kind in types or float_int or int_float
    wrong_format = not (matches_type or native_format == format_name)
    if kind not in ("string", "array") and format_name and wrong_format:
        return outcome.fail(outcome.invalid_type(path, format_name, value=native_format))
    if format_name and kind in ("string", "array") and not {"number", "integer"} & set(types):
        return Result(matches=1)
    if not matches_type:
        return outcome.fail(outcome.invalid_type(path, joined, value=kind))
    return Result(matches=1)


def _check_enum(schema: Schema, path: str, *, data: Any) -> Result | None:
    """`basicCommonValidator`: a null never matches an enum, even one listing null."""
    allowed = schema.get("enum")
    if not isinstance(allowed, list) or not allowed:
        return None
    if data is not None and any(e is not None and json_equal(data, e) for e in allowed):
        return None
    return outcome.fail(outcome.enum_fail(path, data, values=allowed))


def _check_array(schema: Schema, path: str, *, data: list[Any]) -> Result:
    result = Result()
    item = nodes.items(schema)
    if item is not None:
        for i, value in enumerate(data):
            result.merge(_schema(item, f"{path}[{i}]", data=value))
    minimum, maximum = nodes.count(schema, "minItems"), nodes.count(schema, "maxItems")
    if minimum is not None and len(data) < minimum:
        result.add(outcome.too_few_items(path, minimum, size=len(data)))
    if maximum is not None and len(data) > maximum:
        result.add(outcome.too_many_items(path, maximum, size=len(data)))
    if nodes.flag(schema, "uniqueItems") and any(
        json_equal(a, b) for i, a in enumerate(data) for b in data[i + 1 :]
    ):
        result.add(
            outcome.Error(
                f"{path} in {outcome.IN} shouldn't contain duplicates", outcome.Code.OTHER, path
            )
        )
    result.matches += 1
    return result


def _check_object(schema: Schema, path: str, *, data: Mapping[str, Any]) -> Result:
    """`objectValidator`: property counts, additional properties, properties, required."""
    result = Result()
    minimum, maximum = nodes.count(schema, "minProperties"), nodes.count(schema, "maxProperties")
    if minimum is not None and len(data) < minimum:
        result.add(outcome.too_few_properties(path, minimum, size=len(data)))
    if maximum is not None and len(data) > maximum:
        result.add(outcome.too_many_properties(path, maximum, size=len(data)))
    props = nodes.properties(schema)
    extra = nodes.additional(schema)
    for name, value in data.items():
        if name in props:
            continue
        if extra is False:
            result.add(outcome.property_not_allowed(path, name))
        elif isinstance(extra, Mapping):
            result.merge(_schema(extra, f"{path}.{name}", data=value))
    for name, prop in props.items():
        if name in data:
            result.merge(_schema(prop, f"{path}.{name}" if path else name, data=data[name]))
    for name in nodes.required_names(schema):
        if name not in data:
            result.add(outcome.required(f"{path}.{name}"))
    return result


def _check_junctors(schema: Schema, path: str, *, data: Any) -> Result:
    """`schemaPropsValidator`: anyOf, oneOf, allOf and not, each on the same value."""
    main = Result()
    quoted = go_quote(path)
    any_of = nodes.subschemas(schema, "anyOf")
    if any_of:
        best: Result | None = None
        success: Result | None = None
        for sub in any_of:
            result = _schema(sub, path, data=data)
            if result.valid:
                best, success = None, result
                break
            if best is None or result.matches > best.matches:
                best = result
        if success is None:
            main.add(outcome.plain(f"{quoted} must validate at least one schema (anyOf)"))
        main.merge(best if best is not None else success)
    one_of = nodes.subschemas(schema, "oneOf")
    if one_of:
        best, first, passed = None, None, 0
        for sub in one_of:
            result = _schema(sub, path, data=data)
            if result.valid:
                passed += 1
                best = None
                first = first or result
            elif passed == 0 and (best is None or result.matches > best.matches):
                best = result
        if passed != 1:
            found = "Found none valid" if passed == 0 else f"Found {passed} valid alternatives"
            main.add(
                outcome.plain(f"{quoted} must validate one and only one schema (oneOf). {found}")
            )
            main.merge(best)
        else:
            main.merge(first)
    all_of = nodes.subschemas(schema, "allOf")
    if all_of:
        passed = 0
        for sub in all_of:
            result = _schema(sub, path, data=data)
            passed += result.valid
            main.merge(result)
        if passed != len(all_of):
            suffix = ". None validated" if passed == 0 else ""
            main.add(outcome.plain(f"{quoted} must validate all the schemas (allOf){suffix}"))
    negated = nodes.negated(schema)
    if negated is not None and _schema(negated, path, data=data).valid:
        main.add(outcome.plain(f"{quoted} must not validate the schema (not)"))
    main.matches += 1
    return main
