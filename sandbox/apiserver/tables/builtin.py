"""Which printer kube-apiserver uses for each built-in kind, keyed by (group, kind).

The registry mirrors the apiserver's storage wiring: kinds whose REST storage is built with
`printers.NewTableGenerator().With(printersinternal.AddHandlers)` get their type printer, and
kinds built with `rest.NewDefaultTableConvertor` (Roles, ClusterRoles, CustomResourceDefinitions,
and anything not listed) get the default Name/Created At printer. Core and `events.k8s.io`
Events share one storage upstream, hence one printer.
"""

from __future__ import annotations

from typing import Final

from sandbox.apiserver.tables import apps, cluster, core
from sandbox.apiserver.tables.columns import Printer
from sandbox.apiserver.tables.pods import POD_PRINTER

PRINTERS: Final[dict[tuple[str, str], Printer]] = {
    ("", "Pod"): POD_PRINTER,
    ("", "Namespace"): core.NAMESPACE,
    ("", "Node"): core.NODE,
    ("", "Service"): core.SERVICE,
    ("", "Endpoints"): core.ENDPOINTS,
    ("", "ConfigMap"): core.CONFIG_MAP,
    ("", "Secret"): core.SECRET,
    ("", "ServiceAccount"): core.SERVICE_ACCOUNT,
    ("", "PersistentVolumeClaim"): core.PERSISTENT_VOLUME_CLAIM,
    ("", "Event"): core.EVENT,
    ("events.k8s.io", "Event"): core.EVENT,
    ("apps", "Deployment"): apps.DEPLOYMENT,
    ("apps", "ReplicaSet"): apps.REPLICA_SET,
    ("autoscaling", "HorizontalPodAutoscaler"): apps.HORIZONTAL_POD_AUTOSCALER,
    ("discovery.k8s.io", "EndpointSlice"): cluster.ENDPOINT_SLICE,
    ("networking.k8s.io", "Ingress"): cluster.INGRESS,
    ("coordination.k8s.io", "Lease"): cluster.LEASE,
    ("rbac.authorization.k8s.io", "RoleBinding"): cluster.ROLE_BINDING,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): cluster.CLUSTER_ROLE_BINDING,
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): (
        cluster.WEBHOOK_CONFIGURATION
    ),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): (
        cluster.WEBHOOK_CONFIGURATION
    ),
}
