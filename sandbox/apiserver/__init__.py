"""A Kubernetes API server emulator that real kubectl and client libraries accept.

Served over HTTP (or HTTPS with a bearer token) on loopback, it stores objects, watches,
patches, serves discovery and OpenAPI, runs CRDs and admission webhooks the way kube-apiserver
does, so that kubectl, the `kubernetes` Python client and Flink's fabric8 client cannot tell it
from a cluster. `kinds.py` is the catalogue every other module works from.
"""
