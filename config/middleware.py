from django.middleware.locale import LocaleMiddleware


class PublicSiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 from the admin or the API stays a 404.

    The public site is under i18n_patterns with a catch-all (Wagtail's page serving), so the
    stock middleware would answer every 404 - also /api/v1/people/999/ - with a redirect to the
    language-prefixed URL."""

    UNPREFIXED = ("/api/", "/admin/", "/django-admin/")

    def process_response(self, request, response):
        if request.path_info.startswith(self.UNPREFIXED):
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
