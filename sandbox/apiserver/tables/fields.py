"""Reading decoded objects the way the Go printers read typed structs, and their formatters.

The Go printers dereference typed fields, where a missing field is a zero value (`""`, `0`,
`nil`). These helpers give the same zero values for absent or mistyped JSON, so each printer
reads like its Go original. The formatters are the apimachinery ones the printers call:
`labels.FormatLabels`, `metav1.FormatLabelSelector` and `LabelSelectorAsSelector(...).String()`,
`layoutContainerCells`, `net.JoinHostPort`, `listWithMoreString` and access-mode abbreviations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.apiserver.tables.columns import Obj


def dig(obj: object, *path: str) -> Any:
    """The value at `path`, or None where any step is missing or not an object."""
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def text(obj: object, *path: str) -> str:
    value = dig(obj, *path)
    return value if isinstance(value, str) else ""


def number(obj: object, *path: str, default: int = 0) -> int:
    value = dig(obj, *path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    return int(value)


def items(obj: object, *path: str) -> list[Any]:
    value = dig(obj, *path)
    return value if isinstance(value, list) else []


def mapping(obj: object, *path: str) -> Obj:
    value = dig(obj, *path)
    return value if isinstance(value, Mapping) else {}


def is_set(obj: object, *path: str) -> bool:
    """Whether a pointer or struct field is non-nil (present and not null)."""
    return dig(obj, *path) is not None


def format_labels(labels: object) -> str:
    """`labels.FormatLabels`: `k=v` pairs sorted and comma-joined, or `<none>`."""
    pairs = sorted(f"{k}={v}" for k, v in (labels.items() if isinstance(labels, Mapping) else ()))
    return ",".join(pairs) or "<none>"


_OPERATORS = {"In": " in ", "NotIn": " notin ", "Exists": "", "DoesNotExist": ""}


def selector_string(selector: object) -> str | None:
    """`metav1.LabelSelectorAsSelector(s).String()`, or None where Go returns an error.

    A nil selector is `labels.Nothing()` and an empty one `labels.Everything()`; both print "".
    """
    if not isinstance(selector, Mapping):
        return ""
    requirements: list[tuple[str, str]] = []
    for key, value in mapping(selector, "matchLabels").items():
        requirements.append((key, f"{key}={value}"))
    for expression in items(selector, "matchExpressions"):
        key, operator = text(expression, "key"), text(expression, "operator")
        values = [str(v) for v in items(expression, "values")]
        if operator not in _OPERATORS:
            return None
        if operator in ("Exists", "DoesNotExist"):
            if values:
                return None
            requirements.append((key, ("!" if operator == "DoesNotExist" else "") + key))
        elif not values:
            return None
        else:
            requirements.append((key, f"{key}{_OPERATORS[operator]}({','.join(sorted(values))})"))
    requirements.sort(key=lambda pair: pair[0])
    return ",".join(rendered for _, rendered in requirements)


def format_label_selector(selector: object) -> str:
    """`metav1.FormatLabelSelector`: the selector string, `<none>` if empty, `<error>` if bad."""
    rendered = selector_string(selector)
    if rendered is None:
        return "<error>"
    return rendered or "<none>"


def container_cells(containers: Sequence[Any]) -> tuple[str, str]:
    """`layoutContainerCells`: container names and images, each comma-joined."""
    return (
        ",".join(text(c, "name") for c in containers),
        ",".join(text(c, "image") for c in containers),
    )


def join_host_port(host: str, port: int) -> str:
    """`net.JoinHostPort`: IPv6 literals (anything with a colon) go in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def list_with_more(shown: Sequence[str], *, count: int, limit: int) -> str:
    """`listWithMoreString`: up to `limit` entries, `+ N more...`, or `<unset>` when empty."""
    joined = ",".join(shown)
    if count > limit:
        return f"{joined} + {count - limit} more..."
    return joined or "<unset>"


_ACCESS_MODES = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes(modes: Sequence[Any]) -> str:
    """`helper.GetAccessModesAsString`: abbreviations in a fixed order, comma-joined."""
    return ",".join(short for mode, short in _ACCESS_MODES if mode in modes)
