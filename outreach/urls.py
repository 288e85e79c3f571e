"""Public outreach URLs (outside the language prefix: the token decides the language)."""

from django.urls import path

from outreach import views
from outreach.public import checkin_code, registration, rsvp

urlpatterns = [
    path("u/<str:token>/", views.unsubscribe, name="outreach_unsubscribe"),
    path("u/<str:token>/preferences/", views.preferences, name="outreach_preferences"),
    path("rsvp/<str:token>/", rsvp.rsvp, name="outreach_rsvp"),
    path("register/<slug:code>/", registration.register, name="outreach_register"),
    path("register/confirm/<str:token>/", registration.confirm, name="outreach_register_confirm"),
    path("rsvp/<str:token>/code/", checkin_code.code_page, name="outreach_checkin_code"),
    path("rsvp/<str:token>/code.png", checkin_code.code_image, name="outreach_checkin_code_image"),
]
