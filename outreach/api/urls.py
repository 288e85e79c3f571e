from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("messages", views.MessageViewSet, basename="message")
router.register("suppressions", views.SuppressionViewSet, basename="suppression")

urlpatterns = router.urls
