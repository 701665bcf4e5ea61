"""The shapes every table printer shares: column definitions, rows, and the printer itself.

A printer is what kube-apiserver registers per type with `TableHandler(columns, printFunc)`:
a fixed list of `metav1.TableColumnDefinition`s and a function from one object to its cells.
The server always prints "wide" (priority-1 columns included; kubectl hides them unless
`-o wide`), so a printer here has a single row function. `DEFAULT_PRINTER` is the apiserver's
`NewDefaultTableConvertor` (Name, Created At), which serves every kind without a printer of its
own, such as Roles, ClusterRoles and CustomResourceDefinitions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict

from sandbox.apiserver.tables.descriptions import DESCRIPTIONS
from sandbox.apiserver.tables.humanize import rfc3339

Obj = Mapping[str, Any]
"""One decoded API object (`json.loads` output)."""

Cell = str | int | float | bool | None
"""One Table cell: Go's printers emit strings, int64s, float64s, bools and (for CRDs) nil."""


class ColumnDefinition(TypedDict):
    """`metav1.TableColumnDefinition`; every key is always serialised, as Go does."""

    name: str
    type: str
    format: str
    description: str
    priority: int


class RowCondition(TypedDict):
    """`metav1.TableRowCondition` (only pods set one: `Completed` when Succeeded or Failed)."""

    type: str
    status: str
    reason: str
    message: str


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    conditions: list[RowCondition] = field(default_factory=list)


RowFunction = Callable[[Obj, datetime], Row]


@dataclass(frozen=True)
class Printer:
    """Column definitions plus the function that turns one object into a row of cells.

    Attributes:
        null_rows_when_empty: the default convertor builds `rows` by appending to a nil slice,
            so an empty list serialises as `"rows": null`; the type printers return `[]`.
    """

    columns: tuple[ColumnDefinition, ...]
    row: RowFunction
    null_rows_when_empty: bool = False


def column(
    name: str,
    *,
    description: str,
    kind: str = "string",
    fmt: str = "",
    priority: int = 0,
) -> ColumnDefinition:
    """A column definition; `description` may be a `DESCRIPTIONS` key or literal text."""
    return ColumnDefinition(
        name=name,
        type=kind,
        format=fmt,
        description=DESCRIPTIONS.get(description, description),
        priority=priority,
    )


def meta(obj: Obj) -> Obj:
    metadata = obj.get("metadata")
    return metadata if isinstance(metadata, Mapping) else {}


def name_of(obj: Obj) -> str:
    name = meta(obj).get("name")
    return name if isinstance(name, str) else ""


NAME = column("Name", fmt="name", description="meta/v1.ObjectMeta.name")
AGE = column("Age", description="meta/v1.ObjectMeta.creationTimestamp")
CONTAINERS = column(
    "Containers", priority=1, description="Names of each container in the template."
)
IMAGES = column(
    "Images", priority=1, description="Images referenced by each container in the template."
)


def _default_row(obj: Obj, now: datetime) -> Row:
    return Row([name_of(obj), rfc3339(meta(obj).get("creationTimestamp"))])


DEFAULT_PRINTER = Printer(
    columns=(
        NAME,
        column("Created At", kind="date", description="meta/v1.ObjectMeta.creationTimestamp"),
    ),
    row=_default_row,
    null_rows_when_empty=True,
)
"""kube-apiserver's `rest.NewDefaultTableConvertor`: name and creation time, nothing else."""
