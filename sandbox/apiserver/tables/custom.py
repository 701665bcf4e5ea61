"""The Table printer of a custom resource: `Name` plus the CRD's `additionalPrinterColumns`.

A port of apiextensions-apiserver's `tableconvertor` (Kubernetes 1.33). Each column's
`jsonPath` is evaluated as the template `{<jsonPath>}` with missing keys allowed; only the first
value counts. A column of type `string` prints that value as client-go's JSONPath prints it
(objects as JSON, `<no value>` for null); `integer`, `number` and `boolean` columns carry the
typed value, `date` columns the human age ("5m") or `<invalid>`/`<unknown>`; anything missing,
mistyped or failing to evaluate is a null cell, which kubectl shows as `<none>`. A version that
declares no columns gets the single `Age` column the apiserver defaults. A column whose path
does not parse ends the list there, as the upstream convertor does when it falls back.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache

from sandbox.apiserver.jsonpath import JSONPathError, parse, to_text
from sandbox.apiserver.jsonpath.parser import Block
from sandbox.apiserver.jsonpath.walker import Walker
from sandbox.apiserver.kinds import PrinterColumn, ResourceKind
from sandbox.apiserver.tables.columns import (
    NAME,
    Cell,
    ColumnDefinition,
    Obj,
    Printer,
    Row,
    column,
    name_of,
)
from sandbox.apiserver.tables.descriptions import DESCRIPTIONS
from sandbox.apiserver.tables.humanize import ZERO_TIME, parse_time, since

logger = logging.getLogger(__name__)

DEFAULT_COLUMNS = (
    PrinterColumn(
        name="Age",
        type="date",
        json_path=".metadata.creationTimestamp",
        description=DESCRIPTIONS["meta/v1.ObjectMeta.creationTimestamp"],
    ),
)
"""What the apiserver serves for a CRD version without `additionalPrinterColumns`."""

_WALKER = Walker(allow_missing_keys=True)


def _cell(column_type: str, value: object, now: datetime) -> Cell:
    """`cellForJSONValue` (and, for strings, `PrintResults`) of the first selected value."""
    if column_type == "string":
        return "<no value>" if value is None else to_text(value)
    if column_type == "integer" and not isinstance(value, bool):
        if isinstance(value, int | float):
            return int(value)
    elif column_type == "number" and not isinstance(value, bool):
        if isinstance(value, int | float):
            return float(value)
    elif column_type == "boolean" and isinstance(value, bool):
        return value
    elif column_type == "date" and isinstance(value, str):
        try:
            moment = parse_time(value)
        except ValueError:
            return "<invalid>"
        return "<unknown>" if moment == ZERO_TIME else since(moment, now)
    return None


def _evaluate(template: list[Block], obj: Obj) -> tuple[bool, object]:
    """(found, first value) of a parsed column template; failures count as not found."""
    try:
        blocks = [
            [block] if isinstance(block, str) else _WALKER.walk_list([obj], block)
            for block in template
        ]
    except JSONPathError:
        return False, None
    if not blocks or not blocks[0]:
        return False, None
    return True, blocks[0][0]


@cache
def custom_printer(kind: ResourceKind) -> Printer:
    """The printer of one served CRD version (cached: a kind's columns never change)."""
    definitions: list[ColumnDefinition] = [NAME]
    compiled: list[tuple[str, list[Block]]] = []
    for declared in kind.printer_columns or DEFAULT_COLUMNS:
        try:
            template = parse("{" + declared.json_path + "}")
        except JSONPathError:
            logger.warning(
                "printer column has an invalid JSONPath; later columns dropped",
                extra={"kind": kind.kind, "group": kind.group, "json_path": declared.json_path},
            )
            break
        definitions.append(
            column(
                declared.name,
                kind=declared.type,
                fmt=declared.format,
                priority=declared.priority,
                description=declared.description
                or f"Custom resource definition column (in JSONPath format): {declared.json_path}",
            )
        )
        compiled.append((declared.type, template))

    def row(obj: Obj, now: datetime) -> Row:
        cells: list[Cell] = [name_of(obj)]
        for column_type, template in compiled:
            found, value = _evaluate(template, obj)
            cells.append(_cell(column_type, value, now) if found else None)
        return Row(cells)

    return Printer(tuple(definitions), row)
