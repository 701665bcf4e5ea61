"""Default operator configuration: the Flink settings every deployment starts from.

These mirror the defaults upstream's Helm chart ships in its `flink-conf.yaml`, so a manifest
that relies on them (no memory in `spec.jobManager.resource`, say) validates and runs the same
here. The operator's ConfigMap can override any of them; validation always receives the
configuration actually in force.
"""

from __future__ import annotations

from types import MappingProxyType

DEFAULT_FLINK_CONFIG: MappingProxyType[str, str] = MappingProxyType(
    {
        "taskmanager.numberOfTaskSlots": "2",
        "parallelism.default": "2",
        "jobmanager.memory.process.size": "1600m",
        "taskmanager.memory.process.size": "1728m",
        "blob.server.port": "6124",
        "jobmanager.rpc.port": "6123",
        "taskmanager.rpc.port": "6122",
        "kubernetes.operator.reconcile.interval": "15 s",
        "kubernetes.operator.observer.progress-check.interval": "5 s",
    }
)
