"""The sandbox's process kubelet: runs pod containers as bubblewrap processes on this host.

This lowest layer turns a Flink image reference into an image root (`imageroot`), one
container into a bubblewrap command line (`bwrap`) and that command line into a supervised
process with a CRI log file (`run`). It imports nothing of the operator.
"""

from sandbox.kubelet.bwrap import ContainerSpec, Mount, bwrap_argv, find_java_home
from sandbox.kubelet.imageroot import (
    ImageRoot,
    UnknownImageError,
    build_image_root,
    resolve_flink_version,
)
from sandbox.kubelet.run import ContainerProcess, log_file, prepare_pod, start_container

__all__ = [
    "ContainerProcess",
    "ContainerSpec",
    "ImageRoot",
    "Mount",
    "UnknownImageError",
    "build_image_root",
    "bwrap_argv",
    "find_java_home",
    "log_file",
    "prepare_pod",
    "resolve_flink_version",
    "start_container",
]
