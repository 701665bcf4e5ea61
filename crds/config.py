"""Flink configuration maps: nested YAML folded into Flink's flat, dotted keys.

Upstream's CRD typed `flinkConfiguration` as a flat string map until 1.13 and as free-form
YAML since, flattening nested keys with `.` and joining list values with `;`. We accept both
shapes and normalise once, at parse time, so every consumer (validator, renderer, diff) sees
the flat `dict[str, str]` Flink itself reads, and a number written unquoted (`numberOfTaskSlots:
2`) means the same as the quoted string upstream 1.1.0 required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from crds.base import PRESERVE_UNKNOWN


def scalar_to_string(value: object) -> str:
    """A scalar as Flink would read it from YAML: booleans lower-case, numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise ValueError(f"expected a string, number or boolean, got {type(value).__name__}")


def flatten_config(value: object, *, prefix: str = "") -> dict[str, str]:
    """Flatten a (possibly nested) configuration mapping into dotted keys with string values.

    Raises:
        ValueError: when the value is not a mapping, or a list holds something other than
            scalars; the message names the offending key.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError("must be a map of Flink configuration keys to values")
    flat: dict[str, str] = {}
    for raw_key, item in value.items():
        key = f"{prefix}{raw_key}"
        if item is None:
            continue
        if isinstance(item, Mapping):
            flat.update(flatten_config(item, prefix=f"{key}."))
        elif isinstance(item, list):
            try:
                flat[key] = ";".join(scalar_to_string(element) for element in item)
            except ValueError as exc:
                raise ValueError(f"{key}: lists may only hold plain values ({exc})") from exc
        else:
            try:
                flat[key] = scalar_to_string(item)
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from exc
    return flat


def _flatten_any(value: Any) -> Any:
    return flatten_config(value)


FlinkConfiguration = Annotated[
    dict[str, str], BeforeValidator(_flatten_any), WithJsonSchema(PRESERVE_UNKNOWN)
]
"""A Flink configuration map, flat or nested in the manifest, always flat once parsed."""


# Flink renamed several options across releases; the operator honours every spelling.
HA_TYPE_KEYS = ("high-availability.type", "high-availability")
CHECKPOINT_DIR_KEYS = ("execution.checkpointing.dir", "state.checkpoints.dir")
SAVEPOINT_DIR_KEYS = ("execution.checkpointing.savepoint-dir", "state.savepoints.dir")
TASK_SLOTS_KEY = "taskmanager.numberOfTaskSlots"


def merged(*layers: Mapping[str, str] | None) -> dict[str, str]:
    """Configuration layers merged left to right: later layers override earlier ones."""
    result: dict[str, str] = {}
    for layer in layers:
        if layer:
            result.update(layer)
    return result


def first_set(conf: Mapping[str, str], keys: tuple[str, ...]) -> str | None:
    """The value of the first of `keys` set to a non-blank value."""
    for key in keys:
        value = conf.get(key)
        if value is not None and value.strip():
            return value
    return None


def ha_enabled(conf: Mapping[str, str]) -> bool:
    """Whether high availability (Kubernetes, ZooKeeper or a custom factory) is configured."""
    value = first_set(conf, HA_TYPE_KEYS)
    return value is not None and value.strip().lower() != "none"
