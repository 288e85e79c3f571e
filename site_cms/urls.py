"""The public site's URLs, mounted under each language prefix by config/urls.py."""

from django.urls import path, re_path
from wagtail import urls as wagtail_urls

from site_cms import views

urlpatterns = [
    path("search/", views.search, name="site_search"),
    # Wagtail's own helpers (password-protected pages, front-end login) ...
    *[p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"],
    # ... and its page view, behind the page cache.
    re_path(wagtail_urls.serve_pattern, views.serve, name="wagtail_serve"),
]
