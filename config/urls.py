from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.auth import ThrottledPasswordResetView
from site_cms import views as site_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # before Wagtail's own: the same password reset form, with hourly limits (config/auth.py)
    path(
        "admin/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # ESP tracking webhooks: /anymail/<esp>/tracking/ (basic auth: ANYMAIL_WEBHOOK_SECRET)
    path("anymail/", include("anymail.urls")),
    # unsubscribe and preferences (signed per-recipient token)
    path("", include("outreach.urls")),
    # REST API: outside i18n_patterns (no language prefix), token or session authentication.
    path("api/v1/", include("config.api_urls")),
    path("sitemap.xml", site_views.sitemap, name="site_sitemap"),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Development and tests; in production the web server serves MEDIA_ROOT.
    from django.urls import re_path
    from django.views.static import serve as serve_media

    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

# The public site: every page under its language prefix (/zh-hans/, /en/, ...); the bare root
# redirects by the visitor's Accept-Language.
urlpatterns += i18n_patterns(path("", include("site_cms.urls")), prefix_default_language=True)
