from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from config.auth import ThrottledPasswordResetView
from crm.admin import views as crm_views
from site_cms import views as site_views
from site_cms.admin.reports import OrderedTranslationsReportView

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # wagtail-localize's snippet API, through the access policy (before the admin's own).
    path(
        "admin/localize/api/snippets/<slug:app_label>/<slug:model_name>/",
        crm_views.localize_snippets_api_view({"get": "list"}),
        name="crm_localize_snippets_api_listing",
    ),
    path(
        "admin/localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
        crm_views.localize_snippets_api_view({"get": "retrieve"}),
        name="crm_localize_snippets_api_detail",
    ),
    # The site history report, through the access policy (before the admin's own).
    path(
        "admin/reports/site-history/",
        require_admin_access(crm_views.site_history_view_class().as_view()),
        name="crm_site_history",
    ),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(crm_views.site_history_view_class().as_view(results_only=True)),
        name="crm_site_history_results",
    ),
    # wagtail-localize's Translations report in a stable order (before its own paths).
    path(
        "admin/localize/reports/translations/",
        require_admin_access(OrderedTranslationsReportView.as_view()),
        name="site_cms_translations_report",
    ),
    path(
        "admin/localize/reports/translations/results/",
        require_admin_access(OrderedTranslationsReportView.as_view(results_only=True)),
        name="site_cms_translations_report_results",
    ),
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
    # calls for entries, entry status, results (competitions)
    path("", include("competitions.urls")),
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
urlpatterns += i18n_patterns(
    # the online exhibition hall (expos), before Wagtail's catch-all page route
    path("", include("expos.urls")),
    path("", include("site_cms.urls")),
    prefix_default_language=True,
)

# Not found and server error pages in the visitor's language (site_cms/templates/404, 500).
handler404 = "site_cms.views.page_not_found"
