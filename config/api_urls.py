"""/api/v1/: every app's REST API and its OpenAPI 3 schema (drf-spectacular).

Apps add their routes here; the CRM's are /api/v1/people/, /organizations/, /relationships/,
/interactions/, /consents/, /segments/; outreach's /campaigns/, /messages/, /suppressions/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("crm.api.urls")),
    path("", include("outreach.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
