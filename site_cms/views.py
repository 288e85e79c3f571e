"""Public views that are not pages: the cached page server, search, sitemap and robots.txt."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale, Page

from site_cms import page_cache
from site_cms.i18n import active_language
from site_cms.sitemap import AllLanguagesSitemap


def serve(request, path):
    """Wagtail's page view; its answers may be kept by the page cache (site_cms.page_cache)."""
    page_cache.mark_cacheable(request)
    return wagtail_views.serve(request, path)


@require_GET
def search(request):
    """Search in the visitor's language only."""
    query = request.GET.get("q", "").strip()[:200]
    language = active_language()
    results = []
    page_obj = None
    if query:
        locale = Locale.objects.get_for_language(language)
        pages = Page.objects.live().public().filter(locale=locale).exclude(depth__lte=1)
        found = list(pages.search(query).results())
        # The database search backend splits words on spaces, which Chinese and Japanese text
        # does not have: a substring match on titles finds what it misses.
        seen = {page.pk for page in found}
        found += [page for page in pages.filter(title__icontains=query)[:50] if page.pk not in seen]
        paginator = Paginator(found, 20)
        page_obj = paginator.get_page(request.GET.get("page"))
        results = [page.specific for page in page_obj.object_list]
    return TemplateResponse(
        request,
        "site_cms/search.html",
        {"query": query, "results": results, "page_obj": page_obj, "search_language": language},
    )


def page_not_found(request, exception=None):
    """The public site's "not found" page in the visitor's language, with the site's menu."""
    return TemplateResponse(request, "404.html", {"request_path": request.path}, status=404)


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": AllLanguagesSitemap(request)})


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('site_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


__all__ = ["page_not_found", "robots_txt", "search", "serve", "settings", "sitemap"]
