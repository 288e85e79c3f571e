"""Open registration on the public site: the form (rate-limited per address), the "check your
mail" page, and the confirmation link (GET shows a button, POST confirms)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from outreach.models import Event
from outreach.presentation import event_facts
from outreach.services import open_registration
from outreach.services import registration as registering


class RegistrationForm(forms.Form):
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=150)
    given_name = forms.CharField(label=gettext_lazy("Given name"), max_length=150, required=False)
    name_native = forms.CharField(
        label=gettext_lazy("Name in native script"), max_length=200, required=False
    )
    email = forms.EmailField(label=gettext_lazy("Email"))
    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that the organisers keep my details to handle this registration and to "
            "invite me to their events. I can withdraw at any time."
        )
    )


def _language(request: HttpRequest) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    if asked in codes:
        return asked
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in codes else settings.LANGUAGE_CODE


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def within_rate(request: HttpRequest, scope: str) -> bool:
    """At most RSVP_FORM_RATE submissions per client address and hour (a fixed window in the
    cache, shared by every web process when the cache is Redis)."""
    key = f"rsvp-rate:{scope}:{_client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= settings.RSVP_FORM_RATE


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, code: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.public(), code=code)
    language = _language(request)
    with translation.override(language):
        context = {"event": event, "facts": event_facts(event, language), "closed": False}
        if not event.accepts_registrations or registering.deadline_passed(event):
            context["closed"] = True
            return render(request, "outreach/rsvp/register.html", context)
        form = RegistrationForm(request.POST or None)
        if request.method == "POST":
            if not within_rate(request, "register"):
                context["form"] = form
                context["error"] = _(
                    "Too many registrations from your connection. Please try again later."
                )
                return render(request, "outreach/rsvp/register.html", context, status=429)
            if form.is_valid():
                data = form.cleaned_data
                open_registration.request_registration(
                    open_registration.Registrant(
                        event_id=event.pk,
                        email=data["email"],
                        family_name=data["family_name"],
                        given_name=data["given_name"],
                        name_native=data["name_native"],
                        language=language,
                    )
                )
                context["sent"] = True
                return render(request, "outreach/rsvp/register.html", context)
        context["form"] = form
        return render(
            request, "outreach/rsvp/register.html", context, status=400 if form.errors else 200
        )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    registrant = open_registration.read_confirmation_token(token)
    if registrant is None:
        return render(request, "outreach/rsvp/problem.html", {"problem": "expired"}, status=410)
    with translation.override(registrant.language):
        event = get_object_or_404(Event, pk=registrant.event_id)
        if request.method == "GET":
            return render(
                request,
                "outreach/rsvp/register_confirm.html",
                {"facts": event_facts(event, registrant.language), "event": event},
            )
        try:
            outcome = open_registration.confirm_registration(registrant)
        except registering.RegistrationError:
            return render(request, "outreach/rsvp/problem.html", {"problem": "expired"}, status=410)
        from outreach.services.registration_mail import rsvp_page_url

        url = rsvp_page_url(outcome.registration)
        path = url[len(settings.SITE_URL.rstrip("/")) :]
        return redirect(f"{path}?lang={registrant.language}&done=1")


def send_confirmation_request(token: str) -> None:
    registrant = open_registration.read_confirmation_token(token)
    if registrant is None:
        return
    event = Event.objects.filter(pk=registrant.event_id).first()
    if event is None:
        return
    with translation.override(registrant.language):
        facts = event_facts(event, registrant.language)
        link = settings.SITE_URL.rstrip("/") + reverse("outreach_register_confirm", args=[token])
        context = {"facts": facts, "link": link}
        email = EmailMultiAlternatives(
            subject=_("Please confirm your registration: %(event)s") % {"event": facts.title},
            body=render_to_string("outreach/rsvp/register_mail.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registrant.email],
        )
        email.send()
