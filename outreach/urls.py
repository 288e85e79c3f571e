"""Public outreach URLs (outside the language prefix: the token decides the language)."""

from django.urls import path

from outreach import views

urlpatterns = [
    path("u/<str:token>/", views.unsubscribe, name="outreach_unsubscribe"),
    path("u/<str:token>/preferences/", views.preferences, name="outreach_preferences"),
]
