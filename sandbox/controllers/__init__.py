"""Workload controllers as kube-controller-manager runs them, talking to an API server over HTTP.

`manager.ControllerManager` runs the Deployment, ReplicaSet and Endpoints controllers with one
`client.ApiClient`; nothing here reaches into the API server emulator's internals.
"""
