"""Notices to staff (approvals, a paused campaign): best effort, never a reason for the action
that triggered them to fail.

Not `send_mail(fail_silently=True)`: anymail is deprecating `fail_silently`, and a silent failure
would leave no trace. A failure is logged (the kind of error, never the address)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def send_staff_mail(subject: str, body: str, to: list[str], *, what: str) -> bool:
    try:
        send_mail(subject, body, None, to)
    except Exception as error:
        logger.warning("staff notice not sent (%s): %s", what, type(error).__name__)
        return False
    return True
