"""The roadshow page in the admin: per stop, invited / accepted / declined / delegated /
waitlisted / no answer with links to each guest list, and the suggested audience of each stop
(saved as a segment with one click)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from crm.models import Segment
from crm.services import roles
from outreach.models import Event
from outreach.services import roadshows

GUEST_LIST = "wagtailsnippets_outreach_registration:list"


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm("outreach.view_registration"):
        raise PermissionDenied


def index(request: HttpRequest) -> HttpResponse:
    _check(request)
    shows = Event.objects.filter(kind=Event.Kind.ROADSHOW).order_by("-starts_at")
    return TemplateResponse(request, "outreach/admin/roadshow_index.html", {"roadshows": shows})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    roadshow = get_object_or_404(Event, pk=pk, kind=Event.Kind.ROADSHOW)
    override = request.GET.get("include_invited") == "1"
    guest_list = reverse(GUEST_LIST)
    stops = []
    for row in roadshows.stop_figures(roadshow):
        stop = row["stop"]
        suggested = roles.visible_people(
            request.user, roadshows.suggested_audience(stop, include_invited_elsewhere=override)
        )
        row["links"] = {
            status: f"{guest_list}?event={stop.pk}&status={status}"
            for status in ("accepted", "declined", "delegated", "waitlisted")
        }
        row["all_link"] = f"{guest_list}?event={stop.pk}"
        row["suggested"] = suggested.count()
        row["sample"] = list(suggested.order_by("-vip_level", "family_name")[:5])
        stops.append(row)
    return TemplateResponse(
        request,
        "outreach/admin/roadshow.html",
        {"roadshow": roadshow, "stops": stops, "include_invited": override},
    )


@require_POST
def save_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("crm.add_segment"):
        raise PermissionDenied
    stop = get_object_or_404(Event, pk=pk)
    override = request.POST.get("include_invited") == "1"
    people = roles.visible_people(
        request.user, roadshows.suggested_audience(stop, include_invited_elsewhere=override)
    )
    name = _("Suggested for %(stop)s") % {"stop": stop.name}
    segment, _created = Segment.objects.get_or_create(
        name=name[:200], defaults={"owner": request.user}
    )
    segment.additions.set(list(people.values_list("pk", flat=True)))
    log(segment, "wagtail.edit", user=request.user)
    messages.success(
        request,
        _("Segment “%(name)s” holds %(count)s people.")
        % {"name": segment.name, "count": segment.additions.count()},
    )
    return redirect("outreach_roadshow", pk=stop.parent_id or stop.pk)
