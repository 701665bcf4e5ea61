"""The controller manager: the sandbox's kube-controller-manager for workloads.

`ControllerManager` shares one `ApiClient` and one set of informers (deployments,
replicasets, pods, services) among the Deployment, ReplicaSet and Endpoints controllers,
waits for the caches to fill, then runs each controller's work queue. `start()`/`stop()`
run it as background tasks (tests embed it in their event loop); `run_from_kubeconfig`
is what `python -m sandbox controllers --kubeconfig F` calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from sandbox.controllers.client import ApiClient, Connection
from sandbox.controllers.deployment import DeploymentController
from sandbox.controllers.endpoints import EndpointsController
from sandbox.controllers.informer import InformerFactory
from sandbox.controllers.replicaset import ReplicaSetController

logger = logging.getLogger(__name__)


class ControllerManager:
    """Runs the workload controllers against the API server `client` talks to."""

    def __init__(self, client: ApiClient, *, resync_seconds: float = 30.0) -> None:
        self.client = client
        self.informers = InformerFactory(client, resync_seconds=resync_seconds)
        self.deployments = DeploymentController(client, self.informers)
        self.replicasets = ReplicaSetController(client, self.informers)
        self.endpoints = EndpointsController(client, self.informers)
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start the informers, wait until they have listed, then start the controllers."""
        for informer in self.informers.informers.values():
            self._tasks.append(asyncio.create_task(informer.run()))
        await self.informers.wait_synced()
        for controller in (self.deployments, self.replicasets, self.endpoints):
            self._tasks.append(asyncio.create_task(controller.run()))
        logger.info("controllers started", extra={"server": self.client.connection.server})

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    def idle(self) -> bool:
        """No key queued or in progress in any controller."""
        return all(c.queue.idle() for c in (self.deployments, self.replicasets, self.endpoints))


async def run_from_kubeconfig(kubeconfig: Path, *, stop: asyncio.Event) -> None:
    """Run until `stop` is set, then shut down the controllers and the client."""
    client = ApiClient(Connection.from_kubeconfig(kubeconfig))
    manager = ControllerManager(client)
    try:
        await manager.start()
        await stop.wait()
    finally:
        await manager.stop()
        await client.close()
