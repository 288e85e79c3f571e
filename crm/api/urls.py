from rest_framework.routers import DefaultRouter

from . import views
from .imports import ContactImportViewSet

router = DefaultRouter()
# No ".json" suffix routes: clients choose the format with Accept. DRF's suffix variants of
# custom actions (export, preview ...) answered a server error for an unexpected `format`.
router.include_format_suffixes = False
router.register("people", views.PersonViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("affiliations", views.AffiliationViewSet, basename="affiliation")
router.register("relationships", views.RelationshipViewSet, basename="relationship")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("consents", views.ConsentViewSet, basename="consent")
router.register("segments", views.SegmentViewSet, basename="segment")
router.register("imports", ContactImportViewSet, basename="contact-import")

urlpatterns = router.urls
