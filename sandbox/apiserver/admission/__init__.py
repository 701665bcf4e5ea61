"""Admission webhooks, called as kube-apiserver calls them.

Both MutatingWebhookConfiguration and ValidatingWebhookConfiguration objects are honoured.

The REST layer builds one `AdmissionChain` with callbacks for the current webhook
configurations and for namespace labels, and calls `admit` (or `mutate` and `validate`
separately) on every create, update and delete. A refusal is an `AdmissionDenied` carrying the
Status to answer with.

Modules: `errors` (the error tree and Status wording), `hooks` (configurations read and
matched), `review` (the AdmissionReview sent and the checks on the answer), `transport` (the
HTTPS call), `chain` (mutating then validating dispatch, reinvocation, warnings).
"""

from sandbox.apiserver.admission.chain import AdmissionChain, AdmissionResult
from sandbox.apiserver.admission.errors import AdmissionDenied
from sandbox.apiserver.admission.transport import ResolveService, default_resolve_service

__all__ = [
    "AdmissionChain",
    "AdmissionDenied",
    "AdmissionResult",
    "ResolveService",
    "default_resolve_service",
]
