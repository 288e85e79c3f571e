"""The online exhibition hall, mounted under the site's language prefix by config/urls.py."""

from django.urls import path

from expos.public import hall

urlpatterns = [
    path("expos/<slug:code>/hall/", hall.hall, name="expos_hall"),
    path("expos/<slug:code>/hall/<int:pk>/", hall.booth, name="expos_booth"),
    path("expos/<slug:code>/hall/<int:pk>/seen.gif", hall.seen, name="expos_booth_seen"),
    path("expos/<slug:code>/hall/<int:pk>/contact/", hall.contact, name="expos_booth_contact"),
]
