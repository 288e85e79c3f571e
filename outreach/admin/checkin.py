"""Door screens (Wagtail admin URLs under /admin/checkin/): the list of events a user checks in
at, the phone screen for one event (scan, search by name, walk-ins, offline queue), its guest
list and sync endpoints, badges, and the order of precedence. Door staff (the "Door staff" role,
assigned per event) reach these and nothing else of the CRM."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from crm import access
from outreach import visibility
from outreach.models import Event, Registration
from outreach.services import checkin as service
from outreach.services import door


def _event_for(request: HttpRequest, event_id: int) -> Event:
    event = get_object_or_404(Event, pk=event_id)
    if not service.can_check_in(request.user, event):
        raise PermissionDenied
    return event


def _manages(request: HttpRequest) -> bool:
    return request.user.is_superuser or request.user.has_perm("outreach.change_registration")


def index(request: HttpRequest) -> HttpResponse:
    events = service.door_events(request.user).order_by("-starts_at")[:200]
    if not events and not _manages(request):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "outreach/admin/checkin_index.html",
        {"events": events, "manages": _manages(request)},
    )


def screen(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    direction = "out" if request.GET.get("direction") == "out" else "in"
    config = {
        "eventId": event.pk,
        "gate": request.GET.get("gate") or service.gate_of(request.user, event),
        "direction": direction,
        "manifestUrl": reverse("outreach_checkin_manifest", args=[event.pk]),
        "syncUrl": reverse("outreach_checkin_sync", args=[event.pk]),
        "csrfToken": get_token(request),
        "serviceWorkerUrl": reverse("outreach_checkin_sw"),
        "serviceWorkerScope": reverse("outreach_checkin_index"),
        "strings": {
            "online": _("Online"),
            "offline": _("Offline: scans are kept on this device and sent when back online"),
            "pending": _("%(count)s scans waiting to be sent"),
            "synced": _("All scans sent"),
            "guestCount": _("%(count)s guests on this device"),
            "noList": _("The guest list is not on this device yet: connect once to load it."),
            "notACode": _("This is not a Liaison check-in code."),
            "damaged": _("The code is damaged: try again or find the guest by name."),
            "forged": _("This code was not issued by this office."),
            "otherEvent": _("This code is for another event."),
            "revoked": _("Not admitted: this registration was cancelled."),
            "unknownGuest": _("Unknown guest: find them by name or register a walk-in."),
            "already": _("Already checked in at gate %(gate)s, %(time)s, device %(device)s."),
            "welcome": _("Welcome! Checked in."),
            "exitRecorded": _("Exit recorded."),
            "organization": _("Organization"),
            "tier": _("Tier"),
            "companions": _("Companions"),
            "sessions": _("Sessions chosen"),
            "protocol": _("Protocol notes"),
            "noMatch": _("No guest matches."),
            "noCamera": _("No camera available: scan a photo or type the name."),
            "noCodeFound": _("No QR code found in the picture."),
        },
    }
    return TemplateResponse(
        request,
        "outreach/admin/checkin_screen.html",
        {
            "event": event,
            "config": config,
            "direction": direction,
            "walk_in_form": WalkInForm(),
            "walk_in_strings": {
                "maybe": _(
                    "Possibly already in the CRM (the office will link them; register anyway if"
                    " it is someone else):"
                )
            },
            "jsqr": static("outreach/checkin/vendor/jsQR.js"),
        },
    )


def manifest(request: HttpRequest, event_id: int) -> JsonResponse:
    event = _event_for(request, event_id)
    manifest = visibility.redacted_manifest(service.door_manifest(event), request.user, event)
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def sync(request: HttpRequest, event_id: int) -> JsonResponse:
    event = _event_for(request, event_id)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse(
            {"error": "invalid_json", "message": _("The body is not JSON.")}, status=400
        )
    scans = payload.get("scans") if isinstance(payload, dict) else None
    if not isinstance(scans, list):
        return JsonResponse(
            {"error": "invalid", "message": _('Send {"scans": [...]}.')}, status=400
        )
    if len(scans) > service.MAX_SCANS_PER_UPLOAD:
        return JsonResponse(
            {
                "error": "too_many",
                "message": _("At most %(n)s scans per upload.")
                % {"n": service.MAX_SCANS_PER_UPLOAD},
            },
            status=400,
        )
    return JsonResponse({"results": service.record_scans(event, scans, user=request.user)})


def service_worker(request: HttpRequest) -> HttpResponse:
    from django.contrib.staticfiles import finders

    path = finders.find("outreach/checkin/sw.js")
    with open(path, encoding="utf-8") as handle:
        response = HttpResponse(handle.read(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("outreach_checkin_index")
    response["Cache-Control"] = "no-cache"
    return response


class WalkInForm(forms.Form):
    family_name = forms.CharField(label=gettext_lazy("Family name"), max_length=150, required=False)
    given_name = forms.CharField(label=gettext_lazy("Given name"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    organization = forms.CharField(
        label=gettext_lazy("Organization"), max_length=255, required=False
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "The guest agrees that the office keeps these details to invite them to future events."
        ),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not (data.get("family_name") or data.get("given_name")):
            raise forms.ValidationError(_("Enter the guest's name."), code="missing_name")
        return data


@require_POST
def walk_in(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) + [
            f"{form.fields[f].label}: {e}"
            for f, errs in form.errors.items()
            if f != "__all__"
            for e in errs
        ]:
            messages.error(request, error)
        return redirect("outreach_checkin_screen", event.pk)
    registration = door.register_walk_in(event, acting_user=request.user, **form.cleaned_data)
    messages.success(
        request,
        _("Walk-in %(name)s registered and checked in.") % {"name": registration.person},
    )
    return redirect(
        reverse("outreach_checkin_screen", args=[event.pk]) + f"?walkin={registration.public_id}"
    )


def walk_in_matches(request: HttpRequest, event_id: int) -> JsonResponse:
    """Likely existing contacts as a walk-in's name or email is typed: names and organizations
    only, never contact details, and never a person the access policy hides from this user."""
    event = _event_for(request, event_id)
    matches = door.walk_in_matches(request.user, request.GET.get("q", ""), event=event)
    return JsonResponse({"matches": matches}, json_dumps_params={"ensure_ascii": False})


def badge(request: HttpRequest, registration_id: str) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("event", "person"), public_id=registration_id
    )
    _event_for(request, registration.event_id)
    if not access.can_view(request.user, registration):
        raise Http404
    if not door.may_print_badge(request.user, registration):
        raise PermissionDenied
    pdf = door.badges_pdf(registration.event, [registration])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{registration.public_id}.pdf"'
    return response


def badges(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    if not _manages(request):
        raise PermissionDenied
    hidden = visibility.hidden_registrations(request.user, event)
    pdf = door.badges_pdf(event, [r for r in door.confirmed(event) if r.pk not in hidden])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="badges-{event.code}.pdf"'
    return response


def precedence(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_for(request, event_id)
    if not _manages(request):
        raise PermissionDenied
    if request.method == "POST":
        door.set_protocol_ranks(event, request.POST, acting_user=request.user)
        messages.success(request, _("Order of precedence saved."))
        return redirect("outreach_checkin_precedence", event.pk)
    rows = visibility.redacted_precedence(door.precedence_rows(event), request.user, event)
    export = request.GET.get("format")
    if export == "xlsx":
        response = HttpResponse(
            door.precedence_xlsx(event, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="precedence-{event.code}.xlsx"'
        return response
    if export == "pdf":
        response = HttpResponse(door.precedence_pdf(event, rows), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="precedence-{event.code}.pdf"'
        return response
    return TemplateResponse(
        request, "outreach/admin/checkin_precedence.html", {"event": event, "rows": rows}
    )


def _may_see_funnel(request: HttpRequest) -> bool:
    user = request.user
    return user.is_superuser or user.has_perm("outreach.view_registration")


def funnel(request: HttpRequest, event_id: int) -> HttpResponse:
    """Per event (and its stops or parts): invited → delivered → opened → answered → attended,
    by language, organization kind or country; CSV/XLSX; who has not answered."""
    from outreach.services import event_funnel

    if not _may_see_funnel(request):
        raise PermissionDenied
    event = get_object_or_404(Event, pk=event_id)
    breakdown = request.GET.get("by")
    if breakdown not in event_funnel.BREAKDOWNS:
        breakdown = None
    export = request.GET.get("format")
    if export == "csv":
        response = HttpResponse(
            event_funnel.as_csv(event, user=request.user, breakdown=breakdown),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="funnel-{event.code}.csv"'
        return response
    if export == "xlsx":
        response = HttpResponse(
            event_funnel.as_xlsx(event, user=request.user, breakdown=breakdown),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="funnel-{event.code}.xlsx"'
        return response
    if request.GET.get("list") == "not_answered":
        people = (
            event_funnel.not_answered(event, user=request.user)
            .prefetch_related("affiliations__organization")
            .order_by("family_name", "given_name", "pk")[:500]
        )
        return TemplateResponse(
            request,
            "outreach/admin/funnel_not_answered.html",
            {
                "event": event,
                "people": [(p, service._organization(p)) for p in people],
            },
        )
    totals = event_funnel.totals(event, user=request.user)
    groups = []
    if breakdown:
        rows = event_funnel.funnel(event, user=request.user, breakdown=breakdown)
        groups = [
            {"name": _group_name(breakdown, name), "counts": counts}
            for name, counts in sorted(rows.items(), key=lambda kv: -kv[1]["invited"])
        ]
    stages = [
        {"key": key, "label": str(label), "count": totals[key]}
        for key, label in event_funnel.STAGES
    ]
    chart = {
        "title": event.name,
        "stages": stages,
        "groups": groups,
        "series": [
            {"key": key, "label": str(dict(event_funnel.STAGES)[key])}
            for key in ("invited", "accepted", "attended")
        ],
    }
    return TemplateResponse(
        request,
        "outreach/admin/funnel.html",
        {
            "event": event,
            "stages": stages,
            "groups": groups,
            "breakdown": breakdown,
            "breakdowns": event_funnel.BREAKDOWNS.items(),
            "stops": event_funnel.stops(event, user=request.user),
            "chart": chart,
            "stage_keys": [key for key, _label in event_funnel.STAGES],
        },
    )


def _group_name(breakdown: str, value: str) -> str:
    """A readable name for a group: the language's name, the country's, the kind's label."""
    from django.conf import settings
    from django_countries import countries

    if value in ("—", ""):
        return _("not known")
    if breakdown == "language":
        return str(dict(settings.LANGUAGES).get(value, value))
    if breakdown == "country":
        return str(dict(countries).get(value, value))
    if breakdown == "org_kind":
        from crm.models import Organization

        field = Organization._meta.get_field("kind")
        return str(dict(field.flatchoices).get(value, value))
    return value
