"""Staff sign-in limits beyond django-axes (which counts failed logins): password reset requests
are limited per client address and per account address, in the default cache (shared by hosts).

Over the limit, the form answers exactly as it does after sending, and sends nothing: a visitor
learns neither whether the address has an account nor that a limit was reached."""

from __future__ import annotations

import hashlib
import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseRedirect
from wagtail.admin.views.account import PasswordResetView

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 3600


def _over_limit(key: str) -> bool:
    """Count one request under ``key``; True once there were more than the hourly limit."""
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > settings.PASSWORD_RESET_PER_HOUR


class ThrottledPasswordResetView(PasswordResetView):
    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        client = get_client_ip_address(self.request) or "unknown"
        by_client = _over_limit(f"password-reset:ip:{client}")
        by_address = _over_limit(f"password-reset:address:{digest}")
        if by_client or by_address:
            # ids only in logs, never the address
            logger.warning("password reset refused: hourly limit reached (%s)", digest[:12])
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
