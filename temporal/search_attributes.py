"""The custom search attributes of flinkop's workflows, and their registration on a server.

Workflows set these keys (`workflow.upsert_search_attributes([LIFECYCLE_STATE.value_set(...)])`),
the controller and operators query them (`FlinkName="demo" AND Generation >= 3`), and every server
that runs our workflows must know them first: the dev server gets them as `--search-attribute`
flags (`dev_server_types()` feeds `devserver.DevServerOptions`), the time-skipping test server and
any long-lived server get them through `register()`, which the sandbox and the test fixtures call.

The module imports only temporalio and the standard library, because workflow code imports the
keys inside the workflow sandbox. `register()` is idempotent: attributes that already exist with the
same type are left alone, because set-up code runs on every start of the sandbox and the tests.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.common import SearchAttributeIndexedValueType, SearchAttributeKey
from temporalio.service import RPCError, RPCStatusCode

logger = logging.getLogger(__name__)

SearchAttributeTypeName = Literal[
    "Text", "Keyword", "Int", "Double", "Bool", "Datetime", "KeywordList"
]
"""A search attribute type as the `temporal` CLI spells it (`--search-attribute Name=Type`)."""

FLINK_KIND = SearchAttributeKey.for_keyword("FlinkKind")
"""`FlinkDeployment` or `FlinkSessionJob`."""
FLINK_NAMESPACE = SearchAttributeKey.for_keyword("FlinkNamespace")
"""Kubernetes namespace of the resource."""
FLINK_NAME = SearchAttributeKey.for_keyword("FlinkName")
"""Kubernetes name of the resource."""
LIFECYCLE_STATE = SearchAttributeKey.for_keyword("LifecycleState")
"""Upstream's `ResourceLifecycleState` (CREATED, DEPLOYED, STABLE, FAILED, ...)."""
JOB_STATE = SearchAttributeKey.for_keyword("JobState")
"""Flink's job status (RUNNING, FAILED, FINISHED, ...)."""
GENERATION = SearchAttributeKey.for_int("Generation")
"""`metadata.generation` of the spec the workflow last accepted."""

ALL: tuple[SearchAttributeKey[Any], ...] = (
    FLINK_KIND,
    FLINK_NAMESPACE,
    FLINK_NAME,
    LIFECYCLE_STATE,
    JOB_STATE,
    GENERATION,
)
"""Every custom search attribute our workflows use."""

_TYPE_NAMES: Mapping[SearchAttributeIndexedValueType, SearchAttributeTypeName] = {
    SearchAttributeIndexedValueType.TEXT: "Text",
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.INT: "Int",
    SearchAttributeIndexedValueType.DOUBLE: "Double",
    SearchAttributeIndexedValueType.BOOL: "Bool",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
    SearchAttributeIndexedValueType.KEYWORD_LIST: "KeywordList",
}


class SearchAttributeConflictError(RuntimeError):
    """A search attribute is already registered on the server with another type.

    A server never changes the type of an existing attribute (the dev server even accepts the
    request silently), so this needs a human: rename the attribute or use a fresh namespace.
    """


def type_name(key: SearchAttributeKey[Any]) -> SearchAttributeTypeName:
    """The CLI's name for the type of `key` (`Keyword`, `Int`, ...)."""
    return _TYPE_NAMES[key.indexed_value_type]


def dev_server_types(
    keys: Iterable[SearchAttributeKey[Any]] = ALL,
) -> dict[str, SearchAttributeTypeName]:
    """Name → CLI type for `keys`, the shape `devserver.DevServerOptions` takes."""
    return {key.name: type_name(key) for key in keys}


async def register(
    client: Client,
    *,
    namespace: str | None = None,
    keys: Iterable[SearchAttributeKey[Any]] = ALL,
) -> list[str]:
    """Register `keys` in `namespace` (default: the client's) through the operator service.

    Attributes that already exist with the same type are skipped, so this is safe to call on
    every start. Servers that cannot list attributes (the time-skipping test server answers
    UNIMPLEMENTED) are sent every attribute one by one, and ALREADY_EXISTS counts as done.

    Returns:
        The names that were added by this call.

    Raises:
        SearchAttributeConflictError: an attribute exists with another type.
        temporalio.service.RPCError: any other failure of the server.
    """
    namespace = namespace or client.namespace
    wanted = {key.name: key.indexed_value_type for key in keys}
    existing = await _existing(client, namespace=namespace)
    if existing is not None:
        conflicts = sorted(
            name
            for name, kind in wanted.items()
            if name in existing and existing[name] != int(kind)
        )
        if conflicts:
            raise SearchAttributeConflictError(
                f"search attributes {conflicts} exist in namespace {namespace!r} with another type"
            )
        wanted = {name: kind for name, kind in wanted.items() if name not in existing}

    added: list[str] = []
    # One request per attribute: a batch fails as a whole on the first attribute that exists.
    for name, kind in wanted.items():
        request = AddSearchAttributesRequest(
            namespace=namespace,
            search_attributes={name: IndexedValueType.ValueType(int(kind))},
        )
        try:
            await client.operator_service.add_search_attributes(request)
        except RPCError as exc:
            if exc.status != RPCStatusCode.ALREADY_EXISTS:
                raise
            continue
        added.append(name)
    if added:
        logger.info(
            "search attributes registered", extra={"namespace": namespace, "attributes": added}
        )
    return added


async def _existing(client: Client, *, namespace: str) -> dict[str, int] | None:
    """Registered attributes (system and custom) → index type, or None if the server cannot list."""
    try:
        response = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.UNIMPLEMENTED:
            return None
        raise
    # Plain ints: system attributes may use index types the SDK's enum does not know.
    existing = {name: int(kind) for name, kind in response.system_attributes.items()}
    existing.update((name, int(kind)) for name, kind in response.custom_attributes.items())
    return existing
