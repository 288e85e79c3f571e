"""/api/v1/: every app's REST API and its OpenAPI 3 schema (drf-spectacular).

Apps add their routes here; the CRM's are /api/v1/people/, /organizations/, /relationships/,
/interactions/, /consents/, /segments/; outreach's /campaigns/, /messages/, /suppressions/."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView


@csrf_exempt  # as the API's own views are: a POST to a wrong path is a 404, not a CSRF page
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other path under /api/v1/ (an id that is not a number, say): a JSON 404 like the
    API's own, not the public site's HTML page."""
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


urlpatterns = [
    path("", include("crm.api.urls")),
    path("", include("outreach.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    re_path(r"", not_found),
]
