"""The base model every API type derives from, and the markers the CRD generator reads.

Every spec and status type shares one configuration: camelCase JSON names (with explicit
aliases where upstream breaks the pattern, such as `jarURI`), immutability, and field
docstrings that become the field descriptions in the generated CRD. Unknown fields are
ignored when parsing, as upstream does since 1.5: the API server prunes them anyway, and
`flinkop validate` reports them separately, from the CRD schema, the way kubectl's strict
field validation would.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

# Marks a field whose CRD schema is a free-form object (`x-kubernetes-preserve-unknown-fields`).
PRESERVE_UNKNOWN: dict[str, Any] = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
# Marks a field whose CRD schema is the full core/v1 Pod schema, substituted by the generator.
POD_SCHEMA_MARKER = "x-flinkop-pod-schema"
# Marks a field that accepts an integer or a string (`x-kubernetes-int-or-string`).
INT_OR_STRING: dict[str, Any] = {"x-kubernetes-int-or-string": True}


class DiffType(IntEnum):
    """How disruptive a change of a spec field is; a set of changes takes the highest.

    The order matters: combining changes takes the maximum, as upstream's `DiffType` does.
    """

    IGNORE = 0
    SCALE = 1
    UPGRADE = 2
    SAVEPOINT_REDEPLOY = 3


class ApiModel(BaseModel):
    """Base of all API types: camelCase aliases, frozen, docstrings as descriptions."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        use_attribute_docstrings=True,
        extra="ignore",
        use_enum_values=False,
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form as written in a manifest: camelCase names, unset fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
