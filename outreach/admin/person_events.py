"""What outreach adds to a person's profile: the events they were invited to, answered and
attended, and the "invite to an event" quick action (adds them to a draft invitation campaign
of an upcoming event, or starts one)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm import access
from crm.models import Person
from outreach.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    CheckIn,
    Event,
    Message,
    MessageStatus,
    Registration,
    RegistrationStatus,
)
from outreach.services import campaigns as campaign_service


def events_of(person: Person) -> list[dict]:
    """Per event, newest first: invited (an invitation went out), the answer, attended."""
    events: dict[int, dict] = {}

    def row(event: Event) -> dict:
        return events.setdefault(
            event.pk, {"event": event, "invited": None, "answer": "", "attended": False}
        )

    invitations = (
        Message.objects.filter(
            person=person,
            campaign__kind=CampaignKind.INVITATION,
            campaign__event__isnull=False,
            status=MessageStatus.SENT,
        )
        .select_related("campaign__event")
        .order_by("sent_at")
    )
    for message in invitations:
        entry = row(message.campaign.event)
        entry["invited"] = entry["invited"] or message.sent_at
    labels = dict(RegistrationStatus.choices)
    for registration in Registration.objects.filter(person=person).select_related("event"):
        row(registration.event)["answer"] = labels.get(registration.status, registration.status)
    admitted = CheckIn.objects.filter(
        registration__person=person, outcome=CheckIn.Outcome.ADMITTED, attendee=0
    ).select_related("event")
    for checkin in admitted:
        row(checkin.event)["attended"] = True
    return sorted(events.values(), key=lambda e: e["event"].starts_at, reverse=True)


def profile_section(person: Person, user) -> list[dict]:
    rows = []
    for entry in events_of(person):
        event = entry["event"]
        parts = [event.name, f"{timezone.localtime(event.starts_at):%Y-%m-%d}"]
        if entry["invited"]:
            parts.append(
                _("invited %(when)s") % {"when": f"{timezone.localtime(entry['invited']):%Y-%m-%d}"}
            )
        parts.append(entry["answer"] or _("no answer"))
        if entry["attended"]:
            parts.append(_("attended"))
        rows.append(
            {
                "text": " · ".join(str(p) for p in parts),
                "url": reverse("outreach_event_funnel", args=[event.pk])
                if user.has_perm("outreach.view_registration")
                else "",
            }
        )
    return [{"title": _("Events"), "rows": rows}]


def may_invite(user) -> bool:
    return user.has_perm("outreach.change_campaign")


def quick_action(person: Person, user) -> list[dict]:
    if not may_invite(user) or person.erased_at:
        return []
    return [
        {
            "label": _("Invite to an event"),
            "url": reverse("outreach_person_invite", args=[person.pk]),
        }
    ]


def open_invitations():
    """Draft invitation campaigns of events still to come."""
    return (
        Campaign.objects.filter(
            status=CampaignStatus.DRAFT,
            kind=CampaignKind.INVITATION,
            event__starts_at__gte=timezone.now(),
        )
        .select_related("event")
        .order_by("event__starts_at", "name")
    )


class InviteForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Invitation campaign"),
        queryset=Campaign.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = open_invitations()
        self.fields["campaign"].label_from_instance = lambda c: (
            f"{c.event.name} ({timezone.localtime(c.event.starts_at):%Y-%m-%d}) · {c.name}"
        )


def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the person to an event: add them to a draft invitation campaign of it."""
    if not may_invite(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=pk, erased_at__isnull=True)
    if not access.can_view_person(request.user, person):
        raise Http404
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form.cleaned_data["campaign"]
        try:
            added = campaign_service.add_person(campaign, person, acting_user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            text = (
                _("%(name)s added to the invitation “%(campaign)s”; it goes out with it.")
                if added
                else _("%(name)s was already in the invitation “%(campaign)s”.")
            )
            messages.success(request, text % {"name": str(person), "campaign": campaign.name})
            return redirect("wagtailsnippets_crm_person:inspect", person.pk)
    return TemplateResponse(
        request,
        "outreach/admin/person_invite.html",
        {
            "person": person,
            "form": form,
            "has_campaigns": open_invitations().exists(),
            "new_campaign_url": reverse("wagtailsnippets_outreach_campaign:add"),
        },
    )
