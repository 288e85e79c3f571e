"""Stable error codes of outreach's operations, returned by the API beside the translated
message (``{"code": "invalid_state", "detail": "…", "errors": [{"code", "message"}]}``).

A service raises ``ValidationError(message, code=ErrorCode.X)``; clients branch on the code, never
on the message, which follows the request's language."""

from __future__ import annotations

from django.db import models


class ErrorCode(models.TextChoices):
    # The campaign's status does not allow this (e.g. withdrawing a campaign being sent).
    INVALID_STATE = "invalid_state"
    # The audience the approver was shown is not the one the campaign would be sent to now.
    AUDIENCE_CHANGED = "audience_changed"
    # Content, languages or sender missing or invalid: the campaign cannot go out as it is.
    NOT_READY = "not_ready"
    # Recipients read a language the campaign lacks and there is no fallback language.
    MISSING_LANGUAGE = "missing_language"
    # The user may not do this (e.g. approve a campaign they wrote).
    PERMISSION_DENIED = "permission_denied"
    # Too many of these in a short time (e.g. test sends): HTTP 429.
    RATE_LIMITED = "rate_limited"
    # Input that does not validate (a field's value).
    INVALID = "invalid"
