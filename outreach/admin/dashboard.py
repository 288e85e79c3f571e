"""Dashboard panels of outreach: campaigns awaiting the user's approval and decisions on the
user's own campaigns (the admin side of the approval notices), upcoming events with their
answer counts (people the user may see only), and RSVP answers of the user's contacts in the
CRM's "recent activity" panel."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from laces.components import Component

from crm import access
from outreach.models import Event, RegistrationChange, RegistrationStatus
from outreach.services import campaign_notices, event_funnel

UPCOMING_EVENTS = 5


class ApprovalPanel(Component):
    name = "outreach_approvals"
    template_name = "outreach/admin/dashboard/approvals.html"
    order = 40

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {
            "awaiting": list(campaign_notices.awaiting_approval_by(user)[:10]),
            "decisions": campaign_notices.recent_decisions_for(user),
            "days": campaign_notices.RECENT_DECISION_DAYS,
        }

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not (context["awaiting"] or context["decisions"]):
            return ""
        return super().render_html(parent_context)


def upcoming_events(user, *, limit: int = UPCOMING_EVENTS):
    """The next events (top level: a roadshow, not each stop) with invited/accepted/declined
    counts over the event and its parts, counted among the people `user` may see."""
    events = (
        Event.objects.filter(parent__isnull=True, starts_at__gte=timezone.now())
        .exclude(status__in=[Event.Status.CANCELLED, Event.Status.FINISHED])
        .order_by("starts_at")[:limit]
    )
    return [(event, event_funnel.totals(event, user=user)) for event in events]


class UpcomingEventsPanel(Component):
    name = "outreach_upcoming_events"
    template_name = "outreach/admin/dashboard/upcoming_events.html"
    order = 45

    def get_context_data(self, parent_context):
        return {"events": upcoming_events(parent_context["request"].user)}


def rsvp_activity(user, people, since):
    """RSVP answers of the user's contacts (crm_contact_activity hook)."""
    from crm.admin.dashboard import ActivityRow

    labels = dict(RegistrationStatus.choices)
    changes = (
        RegistrationChange.objects.filter(registration__person__in=people, at__gte=since)
        .select_related("registration__event", "registration__person", "staff")
        .order_by("-at")[:10]
    )
    rows = []
    for change in changes:
        person = change.registration.person
        if not access.can_view_person(user, person):
            continue
        rows.append(
            ActivityRow(
                when=change.at,
                person=person,
                text=_("RSVP %(event)s: %(answer)s")
                % {
                    "event": change.registration.event.name,
                    "answer": labels.get(change.to_status, change.to_status),
                },
                actor=change.staff.get_username() if change.staff else "",
                url=reverse(
                    "wagtailsnippets_outreach_registration:inspect",
                    args=[change.registration_id],
                ),
            )
        )
    return rows
