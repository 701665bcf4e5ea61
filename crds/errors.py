"""The error type of the API layer: a problem with one field of a resource.

Validation returns these instead of raising, so the admission webhook, the workflow and the
`flinkop validate` command can each present every problem at once: the webhook as a denial,
the workflow as `status.error` plus a Warning Event, the command as one line per problem.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem: the field path in the manifest (`spec.job.parallelism`) and what to do."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
