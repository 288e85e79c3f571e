from rest_framework.routers import DefaultRouter

from . import registrations, views

router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("messages", views.MessageViewSet, basename="message")
router.register("suppressions", views.SuppressionViewSet, basename="suppression")
router.register("events", registrations.EventViewSet, basename="event")
router.register("registrations", registrations.RegistrationViewSet, basename="registration")

urlpatterns = router.urls
