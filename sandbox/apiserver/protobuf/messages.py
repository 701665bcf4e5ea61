"""The message descriptors: every supported message's fields, parsed from the group tables.

The group modules (`meta`, `core`, `pods`, `containers`, `volumes`, `apps`, `access`,
`networking`, `autoscaling`) hold one compact line per message, `"<number> <json
name><flags>:<type>"` per field, with the field numbers of the Go types' `generated.proto`
(Kubernetes 1.33): they are the wire contract, and the JSON names are the Go types' `json`
tags. This module
parses them once, at import, into `Field`s, adds a `<Kind>List` message for every resource
kind, checks that every referenced message exists, and names the kinds a body may carry
(`ROOTS`). `codec` reads nothing else.

Field grammar:
    name        a string (the default type);
    name:int    int32 or int64 (both varints on the wire); also bool and bytes;
    name:time   metav1.Time (RFC 3339, seconds); also quantity (resource.Quantity),
                intstr (intstr.IntOrString), fields (metav1.FieldsV1, raw JSON) and
                strlist (a message of repeated strings that is a plain list in JSON, as
                authentication's ExtraValue);
    name:Type   a nested message;
    ...:Type    an embedded (`json:",inline"`) message whose fields sit in the parent;
    name[]      repeated; name{} a map with string keys (the type is the values');
    name?       a Go pointer: present on the wire only when set, so kept in JSON even
                when zero (`replicas: 0`, `emptyDir: {}`), where a plain field's zero
                value is left out as `omitempty` would;
    name!       always in JSON, empty or not (a list's `items`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Final, NamedTuple

from sandbox.apiserver.protobuf import (
    access,
    apps,
    autoscaling,
    containers,
    core,
    meta,
    networking,
    pods,
    volumes,
)

SCALARS: Final = frozenset({"str", "int", "bool", "bytes"})
SPECIALS: Final = frozenset({"time", "quantity", "intstr", "fields", "strlist"})


class Field(NamedTuple):
    number: int
    name: str
    """The JSON name; empty for an embedded message whose fields are the parent's."""
    kind: str
    """A scalar (`SCALARS`), a special type (`SPECIALS`) or a message name."""
    repeated: bool = False
    mapped: bool = False
    pointer: bool = False
    always: bool = False

    @property
    def inline(self) -> bool:
        return not self.name

    @property
    def is_message(self) -> bool:
        return self.kind not in SCALARS and self.kind not in SPECIALS


Message = Mapping[int, Field]

# (apiVersion, kind) of every object a body may carry; the message is named as the kind.
_RESOURCES: Final[dict[str, tuple[str, ...]]] = {
    "v1": ("Namespace", "ConfigMap", "Secret", "ServiceAccount", "Service", "Pod"),
    "apps/v1": ("Deployment",),
    "autoscaling/v2": ("HorizontalPodAutoscaler",),
    "networking.k8s.io/v1": ("Ingress",),
    "rbac.authorization.k8s.io/v1": ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
}
_OTHERS: Final[dict[str, tuple[str, ...]]] = {
    "v1": ("Status", "DeleteOptions"),
    "meta.k8s.io/v1": ("Status", "DeleteOptions"),
    "authorization.k8s.io/v1": ("SelfSubjectAccessReview", "SelfSubjectRulesReview"),
    "authentication.k8s.io/v1": ("SelfSubjectReview", "TokenRequest"),
}


def parse_field(number: int, spec: str) -> Field:
    """One field of the grammar above."""
    name, _, kind = spec.partition(":")
    flags = {"repeated": "[]", "mapped": "{}", "pointer": "?", "always": "!"}
    found = dict.fromkeys(flags, False)
    changed = True
    while changed:
        changed = False
        for flag, suffix in flags.items():
            if name.endswith(suffix):
                name, found[flag], changed = name[: -len(suffix)], True, True
    return Field(
        number=number,
        name="" if name == "..." else name,
        kind=kind or "str",
        repeated=found["repeated"],
        mapped=found["mapped"],
        pointer=found["pointer"],
        always=found["always"],
    )


def parse_message(text: str) -> dict[int, Field]:
    fields: dict[int, Field] = {}
    for part in text.split(","):
        number, _, spec = part.strip().partition(" ")
        fields[int(number)] = parse_field(int(number), spec)
    return fields


def _build() -> dict[str, dict[int, Field]]:
    tables = (meta, core, pods, containers, volumes, apps, access, networking, autoscaling)
    out: dict[str, dict[int, Field]] = {}
    for table in tables:
        for name, text in table.MESSAGES.items():
            if name in out:
                raise ValueError(f"message {name} is defined twice")
            out[name] = parse_message(text)
    for kinds in _RESOURCES.values():
        for kind in kinds:
            out[f"{kind}List"] = parse_message(f"1 metadata:ListMeta, 2 items[]!:{kind}")
    for name, fields in out.items():
        for field in fields.values():
            if field.is_message and field.kind not in out:
                raise ValueError(f"{name}.{field.name} refers to unknown message {field.kind}")
    return out


MESSAGES: Final[Mapping[str, Message]] = _build()

ROOTS: Final[Mapping[tuple[str, str], str]] = {
    **{(version, kind): kind for version, kinds in _RESOURCES.items() for kind in kinds},
    **{
        (version, f"{kind}List"): f"{kind}List"
        for version, kinds in _RESOURCES.items()
        for kind in kinds
    },
    **{(version, kind): kind for version, kinds in _OTHERS.items() for kind in kinds},
}
"""The message of each (apiVersion, kind) a protobuf body may carry."""


@cache
def json_names(message: str) -> frozenset[str]:
    """The JSON keys of a message, those of its embedded messages included."""
    names: set[str] = set()
    for field in MESSAGES[message].values():
        names.update(json_names(field.kind) if field.inline else {field.name})
    return frozenset(names)
