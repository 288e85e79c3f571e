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
