"""REST API plumbing shared by the apps."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


def only_liaison_api(endpoints):
    """drf-spectacular preprocessing hook: document /api/v1/ only, not Wagtail's internal APIs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


class ApiUserThrottle(UserRateThrottle):
    """API_RATE_USER per signed-in user, counted in the default cache (shared by all hosts);
    None turns it off. Read per request, so that settings (and tests) can change it.
    (Anonymous calls need no throttle: every endpoint refuses them before any work.)"""

    def get_rate(self):
        return settings.API_RATE_USER


# What every operation may answer besides its success, as DRF writes it: validation errors map
# fields to messages; the others carry one "detail" message (and, for ours, a "code").
_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
_VALIDATION = {
    "type": "object",
    "description": "Field name (or non_field_errors) -> messages naming the value.",
    "additionalProperties": True,
}
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
