"""Commands that need no cluster: validate manifests and summarise what they would deploy.

These give users (and CI pipelines) the operator's verdict before `kubectl apply`: the same
validator the admission webhook and the workflows run, with the operator's default
configuration, optionally overlaid with the operator ConfigMap's settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import yaml
from pydantic import ValidationError

from controller.manifests import Document, read_documents
from crds.common import JobManagerSpec, TaskManagerSpec
from crds.config import TASK_SLOTS_KEY, flatten_config, merged
from crds.defaults import DEFAULT_FLINK_CONFIG
from crds.deployment import FlinkDeployment
from crds.sessionjob import FlinkSessionJob
from crds.validation import ValidationContext, validate

FLINK_KINDS = ("FlinkDeployment", "FlinkSessionJob")


def operator_config(config_file: str | None, overrides: list[str]) -> dict[str, str]:
    """Default Flink configuration, overlaid with a config file and `key=value` overrides."""
    from_file: Mapping[str, str] = {}
    if config_file:
        from_file = flatten_config(yaml.safe_load(Path(config_file).read_text()) or {})
    pairs = {}
    for override in overrides:
        key, sep, value = override.partition("=")
        if not sep:
            raise ValueError(f"--set {override}: expected key=value")
        pairs[key.strip()] = value.strip()
    return merged(DEFAULT_FLINK_CONFIG, from_file, pairs)


def run_validate(
    targets: list[str], *, config: Mapping[str, str], strict_fields: bool, out: TextIO
) -> int:
    """Print `namespace/name: path: message` per problem; 1 if any, else 0 with a summary.

    A session job is checked against its session cluster when that FlinkDeployment is among
    the inputs, as the operator checks it against the cluster it finds in the namespace.
    """
    documents = list(read_documents(targets))
    sessions = _session_clusters(documents)
    checked = skipped = problems = 0
    for document in documents:
        if document.error is not None or document.content is None:
            out.write(f"{document.source}: {document.error}\n")
            problems += 1
            continue
        if document.kind not in FLINK_KINDS:
            skipped += 1
            continue
        checked += 1
        session = None
        if document.kind == "FlinkSessionJob":
            target = (document.content.get("spec") or {}).get("deploymentName")
            session = sessions.get((document.namespace, str(target)))
        context = ValidationContext(
            operator_config=config, strict_fields=strict_fields, session=session
        )
        for error in validate(document.content, context):
            out.write(f"{document.ref}: {error.path}: {error.message}\n")
            problems += 1
    if problems:
        return 1
    noun = "resource" if checked == 1 else "resources"
    out.write(f"{checked} Flink {noun} valid ({skipped} other documents skipped)\n")
    return 0


def _session_clusters(documents: list[Document]) -> dict[tuple[str, str], FlinkDeployment]:
    """FlinkDeployments among the documents that parse, by (namespace, name)."""
    found = {}
    for document in documents:
        if document.kind == "FlinkDeployment" and document.content is not None:
            try:
                deployment = FlinkDeployment.model_validate(document.content)
            except ValidationError:
                continue
            found[(document.namespace, str(deployment.metadata.name))] = deployment
    return found


def run_inspect(targets: list[str], *, out: TextIO) -> int:
    """A table of what each Flink resource would deploy: mode, version, job, sizes."""
    rows: list[tuple[str, ...]] = [
        ("RESOURCE", "KIND", "CLUSTER", "FLINK", "UPGRADE", "PARALLELISM", "JM", "TM")
    ]
    for document in read_documents(targets):
        if document.content is not None and document.kind in FLINK_KINDS:
            rows.append(_row(document))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        out.write("\n")
    return 0


def _row(document: Document) -> tuple[str, ...]:
    content = document.content or {}
    if document.kind == "FlinkSessionJob":
        session_job = FlinkSessionJob.model_validate(content).spec
        job = session_job.job
        return (
            document.ref,
            "FlinkSessionJob",
            f"session:{session_job.deployment_name}",
            "-",
            job.upgrade_mode.value if job else "-",
            str(job.parallelism) if job else "-",
            "-",
            "-",
        )
    spec = FlinkDeployment.model_validate(content).spec
    cluster = "application" if spec.is_application else "session"
    parallelism = "-"
    if spec.job is not None:
        parallelism = str(spec.job.parallelism)
        if spec.task_manager and spec.task_manager.replicas is not None:
            slots = merged(DEFAULT_FLINK_CONFIG, spec.flink_configuration).get(TASK_SLOTS_KEY, "1")
            parallelism = f"{spec.task_manager.replicas}x{slots} slots"
    return (
        document.ref,
        "FlinkDeployment",
        f"{cluster}/{spec.effective_mode.value}",
        spec.flink_version.value if spec.flink_version else "?",
        spec.job.upgrade_mode.value if spec.job else "-",
        parallelism,
        _memory(spec.job_manager),
        _memory(spec.task_manager),
    )


def _memory(process: JobManagerSpec | TaskManagerSpec | None) -> str:
    """Memory of a JobManager or TaskManager as the manifest states it."""
    if process is None:
        return "default"
    if process.resource is not None and process.resource.memory:
        return process.resource.memory
    if process.resources is not None:
        for group in (process.resources.requests, process.resources.limits):
            if group and "memory" in group:
                return str(group["memory"])
    return "default"
