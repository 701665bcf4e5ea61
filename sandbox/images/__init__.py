"""Container images of the sandbox: an image tag becomes a Flink distribution on local disk.

There is no registry and no container runtime here: a `flink:<version>` image is the jar
layout of Apache Flink (`lib/`, `opt/`, `plugins/`, `bin/`, `examples/`) unpacked once from
the `apache-flink-libraries` package into a per-user cache outside any work tree, and shared
by every process that runs "in" that image (JobManagers, TaskManagers, Flink's own CLI).
"""

from sandbox.images.cache import (
    Downloader,
    ImageError,
    cache_root,
    ensure_flink,
    image_dir,
    pip_download,
)

__all__ = ["Downloader", "ImageError", "cache_root", "ensure_flink", "image_dir", "pip_download"]
