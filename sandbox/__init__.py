"""A one-machine Kubernetes for Flink: an API server emulator, controllers and a process kubelet.

The sandbox is a product of its own and imports nothing of the operator: the two meet at a
kubeconfig, over HTTP, exactly as the operator meets a real cluster.
"""
