from rest_framework.routers import DefaultRouter

from . import registrations, views

router = DefaultRouter()
# No ".json" suffix routes: clients choose the format with Accept. DRF's suffix variants of
# custom actions (export, preview ...) answered a server error for an unexpected `format`.
router.include_format_suffixes = False
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("messages", views.MessageViewSet, basename="message")
router.register("suppressions", views.SuppressionViewSet, basename="suppression")
router.register("events", registrations.EventViewSet, basename="event")
router.register("registrations", registrations.RegistrationViewSet, basename="registration")

urlpatterns = router.urls
