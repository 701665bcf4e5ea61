"""Descriptors of the networking/v1 Ingress, as `kubectl create ingress` sends it.

Field numbers are those of k8s.io/api's `networking/v1/generated.proto`; the grammar is
described in `messages`.
"""

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "Ingress": "1 metadata:ObjectMeta, 2 spec:IngressSpec, 3 status:IngressStatus",
    "IngressSpec": (
        "1 defaultBackend?:IngressBackend, 2 tls[]:IngressTLS, 3 rules[]:IngressRule, "
        "4 ingressClassName?"
    ),
    "IngressStatus": "1 loadBalancer:IngressLoadBalancerStatus",
    "IngressBackend": "3 resource?:TypedLocalObjectReference, 4 service?:IngressServiceBackend",
    "IngressTLS": "1 hosts[], 2 secretName",
    "IngressRule": "1 host, 2 ...:IngressRuleValue",
    "IngressLoadBalancerStatus": "1 ingress[]:IngressLoadBalancerIngress",
    "IngressServiceBackend": "1 name, 2 port:ServiceBackendPort",
    "IngressRuleValue": "1 http?:HTTPIngressRuleValue",
    "IngressLoadBalancerIngress": "1 ip, 2 hostname, 4 ports[]:IngressPortStatus",
    "ServiceBackendPort": "1 name, 2 number:int",
    "HTTPIngressRuleValue": "1 paths[]:HTTPIngressPath",
    "IngressPortStatus": "1 port:int, 2 protocol, 3 error?",
    "HTTPIngressPath": "1 path, 2 backend:IngressBackend, 3 pathType?",
}
