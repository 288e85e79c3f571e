"""The online exhibition hall (双线会展) on the public site, under the site's language prefix
(/en/expos/<code>/hall/...), like the Wagtail pages: the hall (booths searchable by name and
products, filterable by sector and country), each booth (profile, products, documents, video
links, images), and the contact or meeting request form. The hall and booth pages go through the
page cache (site_cms.page_cache); a booth's visit is counted by a tiny image that is never cached
(no cookie, no address kept)."""

from __future__ import annotations

import base64

from django import forms
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_countries import countries

from crm.models import Sector
from expos.models import ContactKind, Exhibitor, MaterialKind
from expos.services import hall as hall_service
from outreach.models import Event
from outreach.public.registration import _language, within_rate
from site_cms import page_cache

CONSENT_TEXT = gettext_lazy(
    "I agree that the organisers keep my details and pass them to this exhibitor to answer my "
    "request. I can withdraw at any time."
)
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("I would like"),
        choices=[
            (ContactKind.CONTACT, gettext_lazy("to be contacted")),
            (ContactKind.MEETING, gettext_lazy("to meet this exhibitor")),
        ],
        widget=forms.RadioSelect,
        initial=ContactKind.CONTACT,
    )
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email"))
    organization_name = forms.CharField(
        label=gettext_lazy("Organization"), max_length=255, required=False
    )
    message = forms.CharField(
        label=gettext_lazy("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)


def _expo(code: str) -> Event:
    return get_object_or_404(Event.objects.public(), code=code, kind="expo")


def _sector_name(sector: Sector, language: str) -> str:
    return (sector.name_zh or sector.name) if language.startswith("zh") else sector.name


def _org_name(org, language: str) -> str:
    if language.startswith("zh"):
        return org.name_zh or org.name
    return org.name_en or org.name


def _booth(exhibitor: Exhibitor, language: str) -> dict:
    org = exhibitor.organization
    return {
        "pk": exhibitor.pk,
        "name": _org_name(org, language),
        "hall": exhibitor.hall,
        "booth_number": exhibitor.booth_number,
        "country": org.country.name if org.country else "",
        "city": org.city,
        "website": org.website,
        "products": exhibitor.products,
        "sectors": [_sector_name(s, language) for s in exhibitor.sectors.all()],
        "url": reverse("expos_booth", args=[exhibitor.event.code, exhibitor.pk]),
    }


def hall(request: HttpRequest, code: str) -> HttpResponse:
    event = _expo(code)
    language = _language(request)
    exhibitors = (
        event.exhibitors.select_related("organization", "event")
        .prefetch_related("sectors")
        .order_by("hall", "booth_number", "id")
    )
    query = (request.GET.get("q") or "").strip()[:100]
    sector = (request.GET.get("sector") or "").strip()
    country = (request.GET.get("country") or "").strip().upper()
    if query:
        exhibitors = exhibitors.filter(
            Q(organization__name__icontains=query)
            | Q(organization__name_en__icontains=query)
            | Q(organization__name_zh__icontains=query)
            | Q(products_en__icontains=query)
            | Q(products_zh__icontains=query)
            | Q(booth_number__iexact=query)
        )
    if sector:
        exhibitors = exhibitors.filter(sectors__slug=sector)
    if country:
        exhibitors = exhibitors.filter(organization__country=country)
    with translation.override(language):
        sectors = Sector.objects.filter(exhibitor__event=event).distinct()
        country_codes = set(
            event.exhibitors.exclude(organization__country="").values_list(
                "organization__country", flat=True
            )
        )
        booths = [_booth(e, language) for e in exhibitors.distinct()]
        halls: dict[str, list] = {}
        for booth in booths:
            halls.setdefault(booth["hall"], []).append(booth)
        page_cache.mark_cacheable(request)
        return render(
            request,
            "expos/public/hall.html",
            {
                "event": event,
                "halls": sorted(halls.items()),
                "count": len(booths),
                "query": query,
                "sector": sector,
                "country": country,
                "sectors": [(s.slug, _sector_name(s, language)) for s in sectors],
                "countries": sorted(
                    ((c, countries.name(c)) for c in country_codes), key=lambda c: c[1]
                ),
                "languages": _language_links(request),
            },
        )


def _language_links(request: HttpRequest) -> list[tuple[str, str]]:
    """The same page in every site language (the path's language prefix swapped)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    path = request.path
    prefix = f"/{current}/"
    rest = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
    return [(code, f"/{code}/{rest}") for code, _name in settings.LANGUAGES]


def _exhibitor(code: str, pk: int) -> Exhibitor:
    return get_object_or_404(
        Exhibitor.objects.select_related("organization", "event").filter(
            event__in=Event.objects.public(), event__kind="expo"
        ),
        event__code=code,
        pk=pk,
    )


def booth(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    exhibitor = _exhibitor(code, pk)
    language = _language(request)
    with translation.override(language):
        materials = list(exhibitor.materials.all())
        page_cache.mark_cacheable(request)
        return render(
            request,
            "expos/public/booth.html",
            {
                "event": exhibitor.event,
                "booth": _booth(exhibitor, language),
                "documents": [m for m in materials if m.kind == MaterialKind.DOCUMENT],
                "videos": [m for m in materials if m.kind == MaterialKind.VIDEO],
                "images": [m for m in materials if m.kind == MaterialKind.IMAGE],
                "languages": _language_links(request),
            },
        )


@require_GET
def seen(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The booth page's visit counter: a 1×1 image, never cached, no cookie set or read."""
    exhibitor = _exhibitor(code, pk)
    hall_service.count_visit(exhibitor.pk)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    exhibitor = _exhibitor(code, pk)
    language = _language(request)
    with translation.override(language):
        context = {
            "event": exhibitor.event,
            "booth": _booth(exhibitor, language),
            "languages": _language_links(request),
        }
        form = ContactForm(request.POST or None)
        context["form"] = form
        if request.method == "POST":
            if not within_rate(request, "expo-contact"):
                context["error"] = _("Too many requests from your connection. Try again later.")
                return render(request, "expos/public/contact.html", context, status=429)
            if form.is_valid():
                data = form.cleaned_data
                hall_service.request_contact(
                    exhibitor,
                    hall_service.ContactInput(
                        kind=data["kind"],
                        name=data["name"],
                        email=data["email"],
                        organization_name=data["organization_name"],
                        message=data["message"],
                        language=language,
                    ),
                    consent_text=str(CONSENT_TEXT),
                )
                context["sent"] = True
                context["form"] = None
                return render(request, "expos/public/contact.html", context)
            return render(request, "expos/public/contact.html", context, status=400)
        return render(request, "expos/public/contact.html", context)
