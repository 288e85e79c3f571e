"""REST API plumbing shared by the apps."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler


def only_liaison_api(endpoints):
    """drf-spectacular preprocessing hook: document /api/v1/ only, not Wagtail's internal APIs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class ApiUserThrottle(UserRateThrottle):
    """API_RATE_USER per signed-in user, counted in the default cache (shared by all hosts);
    None turns it off. Read per request, so that settings (and tests) can change it.
    (Anonymous calls need no throttle: every endpoint refuses them before any work.)"""

    def get_rate(self):
        return settings.API_RATE_USER


# --- error codes ----------------------------------------------------------------------------
# Every error answer of /api/v1/ carries a stable, machine-readable ``code`` beside the message
# in the client's language (Accept-Language). The codes are DRF's and Django's own
# (``required``, ``invalid``, ``null``, ``blank``, ``max_length``, ``does_not_exist``,
# ``invalid_choice``, ``unique``, ``not_authenticated``, ``authentication_failed``,
# ``permission_denied``, ``not_found``, ``method_not_allowed``, ``unsupported_media_type``,
# ``parse_error``, ``throttled``) and the apps' (``protected``: still referred to;
# outreach.errors: ``invalid_state``, ``audience_changed``, ``not_ready``, ...).

# Where a request's value failed to validate: the messages by field as DRF writes them, plus the
# first error's code and every error with its field path, code and message.
_ERROR_ITEM = {
    "type": "object",
    "properties": {
        "field": {
            "type": "string",
            "description": "The field's path, e.g. phones[0].number (absent: the whole request).",
        },
        "code": {"type": "string"},
        "message": {"type": "string"},
    },
    "required": ["code", "message"],
}
_DETAIL = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Stable error code, e.g. not_found."},
    },
    "required": ["detail", "code"],
}
_VALIDATION = {
    "type": "object",
    "description": "Field name (or non_field_errors) -> messages naming the value; `code` is "
    "the first error's code and `errors` lists every error with its field and code. A body "
    "that cannot be read at all (not JSON) is answered with `detail` and `code` parse_error.",
    "properties": {
        "code": {"type": "string", "description": "The first error's code, e.g. required."},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorItem"}},
        "detail": {"type": "string"},
    },
    "required": ["code"],
    "additionalProperties": True,
}


def _field_errors(detail, path: str = "") -> list[dict]:
    """Every error in a DRF error detail (nested dicts and lists of ErrorDetail), flattened with
    its field path (``emails[1].email``)."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            if isinstance(key, int) or str(key).isdigit():  # a ListField's item
                errors += _field_errors(value, f"{path}[{key}]")
                continue
            name = "" if key == "non_field_errors" else str(key)
            errors += _field_errors(value, f"{path}.{name}" if path and name else name or path)
        return errors
    if isinstance(detail, list):
        if all(isinstance(item, (dict, list)) for item in detail) and detail:
            errors = []
            for index, item in enumerate(detail):  # one entry per item of a nested list
                errors += _field_errors(item, f"{path}[{index}]")
            return errors
        errors = []
        for item in detail:
            errors += _field_errors(item, path)
        return errors
    error = {"code": str(getattr(detail, "code", None) or "invalid"), "message": str(detail)}
    return [{"field": path, **error} if path else error]


def validation_body(detail) -> dict:
    """A validation error's answer: DRF's messages by field, plus ``code`` and ``errors``."""
    if isinstance(detail, dict) and "code" in detail and "errors" in detail:
        return detail  # already coded (outreach's services' errors, api error_body)
    errors = _field_errors(detail)
    body = dict(detail) if isinstance(detail, dict) else {"non_field_errors": detail}
    return {**body, "code": errors[0]["code"] if errors else "invalid", "errors": errors}


def exception_handler(exc, context):
    """DRF's exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``), with a stable ``code``
    in every error answer (see above)."""
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(response.data, (dict, list)):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(response.data)
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", _code_of(exc))
    return response


def _code_of(exc) -> str:
    if isinstance(exc, Http404):
        return "not_found"
    if isinstance(exc, DjangoPermissionDenied):
        return "permission_denied"
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "error")


_ERRORS = {
    "400": ("Invalid input: the messages name the field and the value.", "ValidationErrors"),
    "401": ("Not signed in (no or an invalid token).", "ErrorDetail"),
    "403": ("Signed in without the permission this needs.", "ErrorDetail"),
    "404": ("No such object, or not one the user may see.", "ErrorDetail"),
    "409": ("Conflicts with the current state (e.g. still referred to).", "ErrorDetail"),
    "415": ("The body's media type is not one the operation reads (JSON, form).", "ErrorDetail"),
    "429": ("Too many requests (API_RATE_USER); retry later.", "ErrorDetail"),
}
_NOT_FOR_READS = {"409", "415"}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the 4xx answers of every operation, so that clients
    (and the schema-driven tests) know them."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorDetail", _DETAIL)
    components.setdefault("ErrorItem", _ERROR_ITEM)
    components.setdefault("ValidationErrors", _VALIDATION)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, component) in _ERRORS.items():
                if code in responses or (method == "get" and code in _NOT_FOR_READS):
                    continue
                responses[code] = {
                    "description": description,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{component}"}
                        }
                    },
                }
    return result
