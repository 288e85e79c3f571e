"""Custom Wagtail admin screens for campaigns: the live campaign page (counts, rate, time to
finish, funnel, workflow buttons, preview and test send, the UNKNOWN list with its decisions)
and its JSON feed for live refresh. Every change goes through outreach.services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.models import Person, Segment
from outreach.forms import PreviewForm, ScheduleForm
from outreach.models import (
    Campaign,
    CampaignPurpose,
    CampaignStatus,
    DeliveryStatus,
    Message,
    MessageStatus,
)
from outreach.services import campaigns as service


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    if not request.user.has_perm("outreach.view_campaign"):
        raise PermissionDenied
    return get_object_or_404(Campaign, pk=pk)


# The funnel's steps in the words of the message statuses they count.
FUNNEL_LABELS = {
    "sent": MessageStatus.SENT.label,
    "delivered": DeliveryStatus.DELIVERED.label,
    "opened": DeliveryStatus.OPENED.label,
    "clicked": DeliveryStatus.CLICKED.label,
    "bounced": DeliveryStatus.BOUNCED.label,
    "complained": DeliveryStatus.COMPLAINED.label,
    "unsubscribed": DeliveryStatus.UNSUBSCRIBED.label,
}
PREVIEW_CHOICES = 200


def _preview_recipients(campaign: Campaign) -> list[tuple[int, str]]:
    """Whom the preview can be shown as: the audience while drafting, then the recipients of
    the frozen messages (the first PREVIEW_CHOICES by name)."""
    if campaign.frozen_at:
        people = Person.objects.filter(
            pk__in=Message.objects.filter(campaign=campaign).values("person_id")
        )
    else:
        people = service.audience_people(campaign)
    people = people.order_by("family_name", "given_name", "pk")[:PREVIEW_CHOICES]
    return [(p.pk, str(p)) for p in people]


def live(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    figures = service.live_figures(campaign)
    unknown = Message.objects.filter(campaign=campaign, status=MessageStatus.UNKNOWN).order_by(
        "id"
    )[:500]
    preview = None
    preview_form = PreviewForm(request.GET or None)
    preview_form.fields["person"].widget = forms.Select(
        choices=[("", "---------"), *_preview_recipients(campaign)]
    )
    if request.GET and preview_form.is_valid():
        person = Person.objects.filter(pk=preview_form.cleaned_data["person"]).first()
        if person is None:
            preview_form.add_error("person", _("No person with this id."))
        else:
            try:
                preview = service.preview(campaign, person, preview_form.cleaned_data["language"])
            except ValidationError as exc:
                preview_form.add_error(None, exc)
    audience = service.audience_count(campaign) if campaign.status == CampaignStatus.DRAFT else None
    status_labels = dict(MessageStatus.choices)
    return TemplateResponse(
        request,
        "outreach/admin/campaign_live.html",
        {
            "campaign": campaign,
            "figures": figures,
            "status_rows": [
                (status, status_labels.get(status, status), count)
                for status, count in figures["counts"].items()
            ],
            "funnel_rows": [
                (step, FUNNEL_LABELS.get(step, step), count)
                for step, count in figures["funnel"].items()
            ],
            "frozen_count": sum(figures["counts"].values()) if campaign.frozen_at else None,
            "unknown": unknown,
            "audience": audience,
            "schedule_form": ScheduleForm(),
            "preview_form": preview_form,
            "preview": preview,
            "can_approve": service.can_approve(campaign, request.user),
            "can_change": request.user.has_perm("outreach.change_campaign"),
            "can_decide": request.user.has_perm("outreach.decide_unknown_message"),
            "statuses": CampaignStatus,
        },
    )


@require_POST
def audience_count(request: HttpRequest) -> JsonResponse:
    """The builder's live count: the campaign form's current (unsaved) audience and purpose,
    posted whole by outreach/admin/audience_count_script.html whenever they change."""
    if not request.user.has_perm("outreach.view_campaign"):
        raise PermissionDenied

    def ids(name: str) -> list[int]:
        return [int(v) for v in request.POST.getlist(name) if v.isdigit()]

    purpose = request.POST.get("purpose", "")
    if purpose not in CampaignPurpose.values:
        purpose = CampaignPurpose.EVENT_INVITATIONS
    count = service.audience_of(
        segments=Segment.objects.filter(pk__in=ids("segments")),
        additions=ids("additions"),
        exclusions=ids("exclusions"),
        purpose=purpose,
    ).count()
    return JsonResponse(
        {
            "count": count,
            "text": _("Audience now: %(count)s people (before suppression).") % {"count": count},
        }
    )


def live_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(service.live_figures(_campaign(request, pk)))


VERBS = {
    "submit": service.submit,
    "withdraw": service.withdraw,
    "approve": service.approve,
    "pause": service.pause,
    "resume": service.resume,
    "cancel": service.cancel,
}


@require_POST
def act(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    campaign = _campaign(request, pk)
    if not request.user.has_perm("outreach.change_campaign"):
        raise PermissionDenied
    try:
        if verb == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(list(form.errors.values()))
            service.schedule(campaign, acting_user=request.user, **form.cleaned_data)
        elif verb == "test_send":
            form = PreviewForm(request.POST)
            if not form.is_valid():
                raise ValidationError(list(form.errors.values()))
            person = get_object_or_404(Person, pk=form.cleaned_data["person"])
            service.test_send(
                campaign, person, form.cleaned_data["language"], acting_user=request.user
            )
            messages.success(
                request, _("A test message was sent to %(email)s.") % {"email": request.user.email}
            )
            return redirect("outreach_campaign_live", pk=campaign.pk)
        elif verb in VERBS:
            VERBS[verb](campaign, acting_user=request.user)
        else:
            raise PermissionDenied
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Done."))
    return redirect("outreach_campaign_live", pk=campaign.pk)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    ids = [int(i) for i in request.POST.getlist("message") if i.isdigit()]
    ids = list(Message.objects.filter(campaign=campaign, pk__in=ids).values_list("pk", flat=True))
    fn = (
        service.mark_unknown_sent
        if request.POST.get("decision") == "mark_sent"
        else (service.resend_unknown)
    )
    try:
        count = fn(ids, acting_user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)s message(s) changed.") % {"count": count})
    return redirect("outreach_campaign_live", pk=campaign.pk)
