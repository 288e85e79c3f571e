"""REST API plumbing shared by the apps."""


def only_liaison_api(endpoints):
    """drf-spectacular preprocessing hook: document /api/v1/ only, not Wagtail's internal APIs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
