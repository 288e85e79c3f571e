"""The expo's staff screens beside the viewsets: approve and re-tier a buyer, force a request,
lock a meeting, run the scheduler for an expo (what was placed, what could not be and why, the
meeting grid), and each participant's agenda with an .ics per meeting. Every record is looked
up through the access policy (crm.access): hidden records are 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm

from crm import access
from expos.models import (
    Buyer,
    BuyerTier,
    Exhibitor,
    HallWalk,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
    RequestStatus,
)
from expos.services import agendas, buyers, meetings
from outreach.models import Event

REASON_LABELS = {
    "no_common_slot": gettext_lazy("the two sides share no free slot"),
    "no_interpreter": gettext_lazy("no interpreter speaks both languages"),
    "participant_busy": gettext_lazy("a participant is busy in every possible slot"),
    "no_table": gettext_lazy("no table is free"),
    "interpreters_busy": gettext_lazy("every suitable interpreter is busy"),
    "walking_time": gettext_lazy("the walk between halls leaves no time"),
    "lower_priority": gettext_lazy("meetings of higher priority took the places"),
}


class ExpoAdminForm(WagtailAdminModelForm):
    """Choices that name people (buyers, registrations, contacts, requests) list only what the
    user may see; the people linked are checked by the viewset (PersonLinkCheckMixin)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and for_user is not None:
                field.queryset = access.visible_queryset(for_user, queryset.model, queryset)


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _visible(request, model, pk):
    return get_object_or_404(access.visible_queryset(request.user, model), pk=pk)


def _back(request, fallback: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(fallback)


@require_POST
def buyer_approve(request, pk: int):
    _need(request, "expos.change_buyer")
    buyer = _visible(request, Buyer, pk)
    buyers.approve(buyer, acting_user=request.user)
    messages.success(request, _("Buyer approved."))
    return _back(request, reverse("wagtailsnippets_expos_buyer:list"))


class RetierForm(forms.Form):
    tier = forms.ChoiceField(label=gettext_lazy("tier"), choices=BuyerTier.choices)
    reason = forms.CharField(label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 3}))


def buyer_retier(request, pk: int):
    _need(request, "expos.change_buyer")
    buyer = _visible(request, Buyer, pk)
    form = RetierForm(request.POST or None, initial={"tier": buyer.tier})
    if request.method == "POST" and form.is_valid():
        try:
            buyers.retier(
                buyer,
                form.cleaned_data["tier"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error("tier" if exc.code == "invalid_tier" else "reason", exc)
        else:
            messages.success(request, _("Buyer re-tiered."))
            return _back(request, reverse("wagtailsnippets_expos_buyer:list"))
    return TemplateResponse(
        request,
        "expos/admin/retier.html",
        {
            "page_title": _("Change the buyer's tier"),
            "buyer": buyer,
            "buyer_name": access.person_name(request.user, buyer.registration.person),
            "form": form,
            "can_approve": buyer.approved_at is None,
        },
    )


def _confirm(request, title: str, question: str, extra=None):
    return TemplateResponse(
        request,
        "expos/admin/confirm.html",
        {"page_title": title, "question": question, "extra": extra or {}},
    )


def request_force(request, pk: int):
    _need(request, "expos.change_meetingrequest")
    row = _visible(request, MeetingRequest, pk)
    if request.method != "POST":
        return _confirm(
            request,
            _("Force the meeting"),
            _("Force this meeting whatever the marks say? The scheduler will place it."),
        )
    meetings.force(row, acting_user=request.user)
    messages.success(request, _("Meeting forced: it will be scheduled."))
    return _back(request, reverse("wagtailsnippets_expos_meetingrequest:list"))


def meeting_lock(request, pk: int):
    _need(request, "expos.change_meeting")
    meeting = _visible(request, Meeting, pk)
    if request.method != "POST":
        return _confirm(
            request,
            _("Lock the meeting"),
            _("Keep this meeting in its slot and table on every scheduler run?"),
            {"locked": "0" if meeting.locked else "1"},
        )
    locked = request.POST.get("locked", "1") == "1"
    meetings.lock(meeting, locked=locked, acting_user=request.user)
    messages.success(request, _("Meeting locked.") if locked else _("Meeting unlocked."))
    return _back(request, reverse("expos_schedule", args=[meeting.request.event_id]))


def schedule(request, pk: int):
    """The expo's meeting grid and the scheduler: GET shows, POST runs it."""
    _need(request, "expos.view_meeting")
    event = get_object_or_404(Event, pk=pk)
    result = None
    if request.method == "POST":
        _need(request, "expos.change_meeting")
        try:
            result = meetings.run_scheduler(event, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Scheduler run: %(placed)s meetings placed, %(unplaced)s not placed.")
                % {"placed": len(result.placements), "unplaced": len(result.unplaced)},
            )
    user = request.user
    slots = list(MeetingSlot.objects.filter(event=event))
    tables = list(MeetingTable.objects.filter(event=event))
    shown = access.visible_queryset(user, Meeting).filter(request__event=event)
    cells = {
        (m.slot_id, m.table_id): m
        for m in shown.select_related(
            "interpreter", "request__buyer__registration__person", "request__exhibitor"
        )
    }
    hidden = Meeting.objects.filter(request__event=event).count() - len(cells)
    grid = [(slot, [cells.get((slot.pk, table.pk)) for table in tables]) for slot in slots]
    unplaced = [
        (row, [str(REASON_LABELS.get(code, code)) for code in row.unplaced_reasons])
        for row in access.visible_queryset(user, MeetingRequest)
        .filter(event=event, status=RequestStatus.ACCEPTED, meeting__isnull=True)
        .select_related("buyer__registration__person", "exhibitor__organization")
    ]
    return TemplateResponse(
        request,
        "expos/admin/schedule.html",
        {
            "page_title": _("Matchmaking schedule: %(expo)s") % {"expo": event},
            "event": event,
            "tables": tables,
            "grid": grid,
            "hidden": hidden,
            "unplaced": unplaced,
            "ran": result is not None,
            "walks": HallWalk.objects.filter(event=event),
            "interpreters": event.interpreters.all(),
            "can_run": user.has_perm("expos.change_meeting"),
        },
    )


def _agenda(request, participant, language, items, name, ics_route):
    shown = set(access.visible_queryset(request.user, Meeting).values_list("pk", flat=True))
    items = [item for item in items if item.meeting.pk in shown]
    return TemplateResponse(
        request,
        "expos/admin/agenda.html",
        {
            "page_title": _("Agenda: %(name)s") % {"name": name},
            "language": language,
            "items": items,
            "ics_route": ics_route,
        },
    )


def buyer_agenda(request, pk: int):
    _need(request, "expos.view_buyer")
    buyer = _visible(request, Buyer, pk)
    language, items = agendas.buyer_agenda(buyer)
    name = access.person_name(request.user, buyer.registration.person)
    return _agenda(request, buyer, language, items, name, "expos_meeting_ics_buyer")


def exhibitor_agenda(request, pk: int):
    _need(request, "expos.view_exhibitor")
    exhibitor = _visible(request, Exhibitor, pk)
    language, items = agendas.exhibitor_agenda(exhibitor)
    return _agenda(
        request, exhibitor, language, items, str(exhibitor), "expos_meeting_ics_exhibitor"
    )


def _ics(request, pk: int, side: str):
    _need(request, "expos.view_meeting")
    meeting = _visible(request, Meeting, pk)
    if side == "buyer":
        language, items = agendas.buyer_agenda(meeting.request.buyer)
    else:
        language, items = agendas.exhibitor_agenda(meeting.request.exhibitor)
    item = next((i for i in items if i.meeting.pk == meeting.pk), None)
    if item is None:
        raise Http404
    response = HttpResponse(
        agendas.meeting_calendar_file(item, language=language), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.request_id}.ics"'
    return response


def meeting_ics_buyer(request, pk: int):
    return _ics(request, pk, "buyer")


def meeting_ics_exhibitor(request, pk: int):
    return _ics(request, pk, "exhibitor")
