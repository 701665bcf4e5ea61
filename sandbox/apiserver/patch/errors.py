"""Errors of the patch library, shaped as the Status bodies kube-apiserver returns for them.

The REST layer turns a `PatchError` into a `Status`: `code` is `.status`, `reason` is `.reason`,
`message` is `.message` and `details` is `.details` (causes, for conflicts). Each error carries
what the real server sends, not what would be most helpful: a failed JSON-patch operation is
a 422 whose message is the generic "the server rejected our request due to an error in our
request", because that is what `NewGenericServerResponse` produces; the library's own
explanation is kept in `.cause` for logs. Errors the apiserver does not convert into a Status
(plain Go errors from the merge code) come back from it as code 500 with an empty reason and
the Go error string as message, and so do they here.

    PatchError                  status, reason, message, details, cause
     └── ApplyConflict          409 Conflict, one cause per (manager, field) pair

The module also renders values the way Go's `%v` and `reflect.TypeOf` print them, since the
merge code's messages embed them (`map[image:nginx] does not contain declared merge key: name`).
"""

from __future__ import annotations

from typing import Any

from sandbox.apiserver.schema.gojson import go_float, go_json, go_quote

_GENERIC_422 = "the server rejected our request due to an error in our request"


class PatchError(Exception):
    """A patch or apply request failed; the fields are those of the Status to return."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        reason: str,
        details: dict[str, Any] | None = None,
        cause: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason
        self.details: dict[str, Any] = details or {}
        self.cause = cause or message


class ApplyConflict(PatchError):
    """Server-side apply found fields owned by other managers with different values."""

    def __init__(self, message: str, *, conflicts: list[tuple[str, str]], causes: list[Any]):
        super().__init__(message, status=409, reason="Conflict", details={"causes": causes})
        self.conflicts = conflicts


def bad_request(message: str) -> PatchError:
    """`errors.NewBadRequest(message)`."""
    return PatchError(message, status=400, reason="BadRequest")


def unprocessable(cause: str) -> PatchError:
    """`NewGenericServerResponse(422, ...)`: reason Invalid, a fixed message, no details."""
    return PatchError(_GENERIC_422, status=422, reason="Invalid", cause=cause)


def server_error(message: str) -> PatchError:
    """A plain Go error reaching `ErrorToAPIStatus`: 500 with reason Unknown (empty)."""
    return PatchError(message, status=500, reason="")


def invalid_patch_result(patched: Any, error: str) -> PatchError:
    """`errors.NewInvalid` for a patched document that does not decode into an object."""
    text = f"Invalid value: {go_quote(go_json(patched))}: {error}"
    cause = {"reason": "FieldValueInvalid", "message": text, "field": "patch"}
    return PatchError(
        f'"" is invalid: patch: {text}',
        status=422,
        reason="Invalid",
        details={"causes": [cause]},
    )


_DECODE_ERROR = (
    "couldn't get version/kind; json parse error: json: cannot unmarshal KIND into Go value "
    'of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
    'Kind string "json:\\"kind,omitempty\\"" }'
)


def not_an_object(patched: Any) -> PatchError:
    """A patched document that is not a JSON object fails to decode into any kind (422)."""
    return invalid_patch_result(patched, _DECODE_ERROR.replace("KIND", go_json_kind(patched)))


def go_type(value: Any) -> str:
    """What `reflect.TypeOf(v)` prints for a decoded JSON value."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    return "map[string]interface {}"


def go_print(value: Any) -> str:
    """What Go's `%v` prints for a decoded JSON value (maps sorted, `map[k:v]`)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(go_print(item) for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_print(value[k])}" for k in sorted(value)) + "]"
    return str(value)


def go_json_kind(value: Any) -> str:
    """The JSON kind `encoding/json` names in an `UnmarshalTypeError`."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
