"""Kubernetes' JSONPath dialect (`k8s.io/client-go/util/jsonpath`), parsed and evaluated alike.

kube-apiserver evaluates a CRD's `additionalPrinterColumns[].jsonPath` with this dialect when it
builds a Table (`tables.custom`), and kubectl evaluates `-o jsonpath` and custom columns with it
too. The dialect is not RFC 9535: `['a.b']` is split at the dots, filters compare only scalars
of the same Go kind (`1 == 1.0` is an error, not false), `[n]` out of range is an error, literals
in braces print once whatever the input, and a missing key yields nothing when missing keys are
allowed (as the apiserver allows them). So this module follows client-go's parser and walker
step for step, over decoded JSON (dicts, lists, str, int, float, bool, None) in place of Go's
reflection; `range`/`end` templates are the one part left out.

Modules: `parser.py` (template to nodes), `walker.py` (nodes over JSON to values).
Public surface: `evaluate(expr, obj)` (one expression, braces optional, results flattened),
`find_results(template, obj)` (one result list per template block, as `FindResults`),
`to_text(value)` (one value printed as `PrintResults` prints it), `execute(template, obj)`
(the whole template rendered as kubectl renders it), `JSONPathError`.
"""

from __future__ import annotations

from sandbox.apiserver.jsonpath.errors import JSONPathError
from sandbox.apiserver.jsonpath.parser import parse
from sandbox.apiserver.jsonpath.walker import Walker
from sandbox.apiserver.schema.gojson import go_float, go_json

__all__ = ["JSONPathError", "evaluate", "execute", "find_results", "parse", "to_text"]


def find_results(
    template: str, obj: object, *, allow_missing_keys: bool = True
) -> list[list[object]]:
    """Evaluate a template as client-go's `FindResults`: one result list per block."""
    walker = Walker(allow_missing_keys=allow_missing_keys)
    return [
        [block] if isinstance(block, str) else walker.walk_list([obj], block)
        for block in parse(template)
    ]


def evaluate(expr: str, obj: object, *, allow_missing_keys: bool = True) -> list[object]:
    """Every value `expr` selects in `obj`; `.a.b`, `a.b` and `{.a.b}` are the same expression.

    Missing keys yield no value (as in the apiserver's printer columns) unless
    `allow_missing_keys=False`, which makes them an error as in `kubectl get -o jsonpath`
    with `--allow-missing-template-keys=false`.
    """
    if "{" not in expr:
        expr = "{" + (expr if expr.startswith((".", "[")) else "." + expr) + "}"
    blocks = find_results(expr, obj, allow_missing_keys=allow_missing_keys)
    return [value for block in blocks for value in block]


def to_text(value: object) -> str:
    """Print one value as `PrintResults` does: JSON for objects and lists, `%v` for scalars."""
    if isinstance(value, dict | list):
        return go_json(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


def execute(template: str, obj: object, *, allow_missing_keys: bool = True) -> str:
    """Render a template as client-go's `Execute` (kubectl `-o jsonpath`): values space-joined."""
    blocks = find_results(template, obj, allow_missing_keys=allow_missing_keys)
    return "".join(" ".join(to_text(value) for value in block) for block in blocks)
