"""What every handler works with: the store and the controllers around it, in one object.

`server.create_app` builds one `ApiContext` per emulator and stores it on the aiohttp
application; handlers receive it explicitly rather than reaching for globals, so tests can
build one around a frozen clock or a pre-filled store.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.apiserver.admission import AdmissionChain
from sandbox.apiserver.clock import Clock
from sandbox.apiserver.config import ServerConfig
from sandbox.apiserver.crds import CrdController
from sandbox.apiserver.faults import FaultInjector
from sandbox.apiserver.gc import GarbageCollector
from sandbox.apiserver.lifecycle import Lifecycle
from sandbox.apiserver.namespaces import NamespaceController
from sandbox.apiserver.registry import Registry
from sandbox.apiserver.store import Store


@dataclass
class ApiContext:
    config: ServerConfig
    clock: Clock
    store: Store
    registry: Registry
    lifecycle: Lifecycle
    gc: GarbageCollector
    namespaces: NamespaceController
    crds: CrdController
    admission: AdmissionChain
    faults: FaultInjector

    async def settle(self) -> None:
        """Wait until the in-process controllers have nothing left to do."""
        for _ in range(3):  # one controller's writes can wake another
            await self.gc.settle()
            await self.namespaces.settle()
            await self.crds.settle()
