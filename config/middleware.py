import functools
import json

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PublicSiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 from the admin or the API stays a 404.

    The public site is under i18n_patterns with a catch-all (Wagtail's page serving), so the
    stock middleware would answer every 404 - also /api/v1/people/999/ - with a redirect to the
    language-prefixed URL. The recipients' unsubscribe links (/u/<token>/) are unprefixed too:
    a cut or tampered link must get outreach's "link not valid" page, not a redirect into the
    site's page tree."""

    UNPREFIXED = ("/api/", "/admin/", "/django-admin/", "/u/")
    API = "/api/"
    # The API's language when the client sends no Accept-Language (a script, not a browser).
    API_DEFAULT_LANGUAGE = "en"
    ADMIN = "/admin/"

    def process_request(self, request):
        if request.path_info.startswith(self.API):
            # The API answers in the client's Accept-Language only: not the session's or the
            # cookie's language, and English when none is asked for.
            translation.activate(self.api_language(request.headers.get("Accept-Language", "")))
            request.LANGUAGE_CODE = translation.get_language()
            return None
        super().process_request(request)
        if not request.path_info.startswith(self.UNPREFIXED):
            self._unsupported_language_falls_back(request)
        # The staff admin speaks the office's language (LIAISON_ADMIN_LANGUAGE), not whatever the
        # browser asks for; a staff member who wants another language picks it under Account ->
        # Preferences (Wagtail's own preference, which wins over the language activated here).
        admin_language = settings.LIAISON_ADMIN_LANGUAGE
        if admin_language and request.path_info.startswith(self.ADMIN):
            translation.activate(admin_language)
            request.LANGUAGE_CODE = translation.get_language()
        return None

    @staticmethod
    def _unsupported_language_falls_back(request) -> None:
        """A visitor whose browser asks only for languages the site does not have reads the
        configured fallback (English by default), not the source language Django would pick:
        a Spanish reader understands English more often than Chinese."""
        from django.utils.translation.trans_real import parse_accept_lang_header

        if translation.get_language_from_path(request.path_info):
            return
        codes = [code for code, _name in settings.LANGUAGES]
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in codes:
            return
        header = request.headers.get("Accept-Language", "").strip()
        if not header:
            return
        for code, _quality in parse_accept_lang_header(header):
            if code == "*":
                break
            try:
                translation.get_supported_language_variant(code)
                return
            except LookupError:
                continue
        fallback = next((c for c in settings.LIAISON_FALLBACK_LANGUAGES if c in codes), None)
        if fallback:
            translation.activate(fallback)
            request.LANGUAGE_CODE = translation.get_language()

    @classmethod
    def api_language(cls, header: str) -> str:
        from django.utils.translation.trans_real import parse_accept_lang_header

        for code, _quality in parse_accept_lang_header(header):
            if code == "*":
                break
            try:
                return translation.get_supported_language_variant(code)
            except LookupError:
                continue
        return cls.API_DEFAULT_LANGUAGE

    def process_response(self, request, response):
        if request.path_info.startswith(self.UNPREFIXED):
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)


@functools.lru_cache(maxsize=64)
def _resolve_webhook(path: str):
    """URL resolution walks every pattern before anymail's include (the public site's i18n
    patterns come first); a webhook path resolves the same way every time. An unknown path
    raises Resolver404, which lru_cache does not keep."""
    from django.urls import resolve

    return resolve(path)


class WebhookFastPathMiddleware:
    """ESP webhooks (``/anymail/...``) go straight to their view, past the rest of the stack.

    A webhook is a machine posting JSON with basic auth, thousands a minute during a campaign; it
    needs no static files, page cache, session, locale, CSRF (anymail's views are exempt), user,
    messages, frame options or redirects, and running those cost more than storing the event. This
    middleware sits right after SecurityMiddleware (so HTTPS rules still apply) and, for that
    prefix only, resolves the URL and calls the view itself; an unknown path is still a 404 and an
    exception still becomes Django's error response (each middleware is wrapped for that).

    It also skips the connection health check (``CONN_HEALTH_CHECKS``): that is a ``SELECT 1``
    round trip before the first query of every request, as costly as storing the event itself.
    The webhook's one statement reconnects and retries by itself when the persistent connection
    turned out to be dead (``outreach.services.tracking.record_events``)."""

    PREFIX = "/anymail/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(self.PREFIX):
            return self.get_response(request)
        from django.db import connection

        connection.health_check_done = True
        match = _resolve_webhook(request.path_info)
        request.resolver_match = match
        try:
            return match.func(request, *match.args, **match.kwargs)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            # anymail's views parse the body without guarding: a body that is not (sanely
            # nested) JSON is the poster's error, not ours.
            return HttpResponseBadRequest("The body is not valid JSON.")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with one exception: the staff admin (Wagtail, Django admin) may
    run inline scripts, which Wagtail's own templates still write. A nonce in script-src would
    make browsers ignore 'unsafe-inline', so there the directive is replaced, not extended."""

    ADMIN_PREFIXES = ("/admin/", "/django-admin/")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(self.ADMIN_PREFIXES):
            parts.replace = {**(parts.replace or {}), "script-src": [SELF, UNSAFE_INLINE]}
        return parts
