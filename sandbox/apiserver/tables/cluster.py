"""Printers for networking, coordination, RBAC bindings and admission webhook configurations.

Ports of `printEndpointSlice`, `printIngress`, `printLease`, `printRoleBinding`,
`printClusterRoleBinding` and the two webhook-configuration printers from
`pkg/printers/internalversion/printers.go` (Kubernetes 1.33). Roles and ClusterRoles have no
printer upstream (they use the default Name/Created At convertor), so none is defined here.
"""

from __future__ import annotations

from datetime import datetime

from sandbox.apiserver.tables.columns import AGE, NAME, Obj, Printer, Row, column, meta, name_of
from sandbox.apiserver.tables.fields import dig, items, list_with_more, text
from sandbox.apiserver.tables.humanize import parse_or_zero, since


def _age(obj: Obj, now: datetime) -> str:
    return since(parse_or_zero(meta(obj).get("creationTimestamp")), now)


def _slice_ports(obj: Obj) -> str:
    shown = []
    for port in items(obj, "ports"):
        if dig(port, "port") is not None:
            shown.append(str(dig(port, "port")))
        elif dig(port, "name") is not None:
            shown.append(text(port, "name"))
        else:
            shown.append("*")
    return list_with_more(shown[:3], count=len(shown), limit=3)


def _slice_endpoints(obj: Obj) -> str:
    addresses = [str(a) for e in items(obj, "endpoints") for a in items(e, "addresses")]
    return list_with_more(addresses[:3], count=len(addresses), limit=3)


_SLICE = "discovery/v1beta1.EndpointSlice"
ENDPOINT_SLICE = Printer(
    (
        NAME,
        column("AddressType", description=f"{_SLICE}.addressType"),
        column("Ports", description=f"{_SLICE}.ports"),
        column("Endpoints", description=f"{_SLICE}.endpoints"),
        AGE,
    ),
    lambda obj, now: Row(
        [
            name_of(obj),
            text(obj, "addressType"),
            _slice_ports(obj),
            _slice_endpoints(obj),
            _age(obj, now),
        ]
    ),
)


def _ingress_hosts(obj: Obj) -> str:
    """`formatHosts`: "more" counts every rule past the third host, hostless ones included."""
    rules = items(obj, "spec", "rules")
    hosts: list[str] = []
    more = False
    for rule in rules:
        more = more or len(hosts) == 3
        if not more and text(rule, "host"):
            hosts.append(text(rule, "host"))
    if not hosts:
        return "*"
    return f"{','.join(hosts)} + {len(rules) - 3} more..." if more else ",".join(hosts)


def _ingress(obj: Obj, now: datetime) -> Row:
    balancers = items(obj, "status", "loadBalancer", "ingress")
    address = sorted({text(b, "ip") or text(b, "hostname") for b in balancers} - {""})
    return Row(
        [
            name_of(obj),
            text(obj, "spec", "ingressClassName") or "<none>",
            _ingress_hosts(obj),
            ",".join(address),
            "80, 443" if items(obj, "spec", "tls") else "80",
            _age(obj, now),
        ]
    )


INGRESS = Printer(
    (
        NAME,
        column(
            "Class",
            description="The name of the IngressClass resource that should be used for "
            "additional configuration",
        ),
        column(
            "Hosts",
            description="Hosts that incoming requests are matched against before the ingress rule",
        ),
        column(
            "Address",
            description="Address is a list containing ingress points for the load-balancer",
        ),
        column("Ports", description="Ports of TLS configurations that open"),
        AGE,
    ),
    _ingress,
)

LEASE = Printer(
    (NAME, column("Holder", description="coordination/v1.LeaseSpec.holderIdentity"), AGE),
    lambda obj, now: Row([name_of(obj), text(obj, "spec", "holderIdentity"), _age(obj, now)]),
)


def _binding(obj: Obj, now: datetime) -> Row:
    users, groups, accounts = [], [], []
    for subject in items(obj, "subjects"):
        kind, name = text(subject, "kind"), text(subject, "name")
        if kind == "ServiceAccount":
            accounts.append(f"{text(subject, 'namespace')}/{name}")
        elif kind == "User":
            users.append(name)
        elif kind == "Group":
            groups.append(name)
    return Row(
        [
            name_of(obj),
            f"{text(obj, 'roleRef', 'kind')}/{text(obj, 'roleRef', 'name')}",
            _age(obj, now),
            ", ".join(users),
            ", ".join(groups),
            ", ".join(accounts),
        ]
    )


def _binding_printer(kind: str) -> Printer:
    noun = kind[0].lower() + kind[1:]
    return Printer(
        (
            NAME,
            column("Role", description=f"rbac/v1beta1.{kind}.roleRef"),
            AGE,
            column("Users", priority=1, description=f"Users in the {noun}"),
            column("Groups", priority=1, description=f"Groups in the {noun}"),
            column("ServiceAccounts", priority=1, description=f"ServiceAccounts in the {noun}"),
        ),
        _binding,
    )


ROLE_BINDING = _binding_printer("RoleBinding")
CLUSTER_ROLE_BINDING = _binding_printer("ClusterRoleBinding")

WEBHOOK_CONFIGURATION = Printer(
    (
        NAME,
        column(
            "Webhooks",
            kind="integer",
            description="Webhooks indicates the number of webhooks registered in this "
            "configuration",
        ),
        AGE,
    ),
    lambda obj, now: Row([name_of(obj), len(items(obj, "webhooks")), _age(obj, now)]),
)
