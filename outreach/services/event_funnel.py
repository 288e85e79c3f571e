"""The event funnel: invited → delivered → opened → answered (accepted / declined / delegated)
→ attended (+ walk-ins), for an event with its parts (a roadshow and its stops, a forum and its
sub-forums), broken down by language, organization kind or country.

Counts are of people, each counted once per stage however many invitations or reminders reached
them, and only of people the viewing user may see (the access policy): a restricted guest is not
counted, so counts never answer questions about them.

- invited: people an invitation to the event (or a part) was sent to;
- delivered: ... whose invitation the ESP reported delivered and not hard-bounced;
- opened: ... who opened it (where the ESP reports opens);
- answered: people with a registration that holds an answer; accepted / declined / delegated
  split it (waitlisted guests count as answered, not accepted);
- attended: guests admitted at the door (companions not counted), walk_ins among them those
  registered at the door.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext_lazy as _

from crm.models import Affiliation
from outreach.models import CampaignKind, CheckIn, Event, Message, MessageStatus, Registration
from outreach.models.registrations import RegistrationStatus as S

STAGES = [
    ("invited", _("Invited")),
    ("delivered", _("Delivered")),
    ("opened", _("Opened")),
    ("answered", _("Answered")),
    ("accepted", _("Accepted")),
    ("declined", _("Declined")),
    ("delegated", _("Sent a delegate")),
    ("attended", _("Attended")),
    ("walk_ins", _("Walk-ins")),
]
BREAKDOWNS = {
    "language": _("Language"),
    "org_kind": _("Organization kind"),
    "country": _("Country"),
}
ANSWERED = [S.ACCEPTED, S.WAITLISTED, S.OFFERED, S.DECLINED, S.DELEGATED]
TOTAL = "__all__"


def event_scope(event: Event) -> list[int]:
    """The event and every part below it (stops, sub-forums, sessions)."""
    ids, frontier = [event.pk], [event.pk]
    while frontier:
        frontier = list(Event.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def _org_kind(person_ref: str) -> Subquery:
    current = Affiliation.objects.filter(person=OuterRef(person_ref), end_date__isnull=True)
    return Subquery(current.order_by("-is_primary", "id").values("organization__kind")[:1])


def _group(breakdown: str | None):
    """The grouping expression, for a Message or a Registration (both have person, language)."""
    if breakdown == "language":
        return F("language")
    if breakdown == "country":
        return F("person__country")
    if breakdown == "org_kind":
        return _org_kind("person")
    return Value(TOTAL, output_field=CharField())


def _visible(user) -> QuerySet:
    from crm import access

    return access.visible_people(user)


def funnel(event: Event, *, user, breakdown: str | None = None) -> dict[str, dict[str, int]]:
    """{group: {stage: count}}; the group is TOTAL without a breakdown."""
    scope = event_scope(event)
    people = _visible(user).values("pk")
    result: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(dict(STAGES), 0))

    messages = Message.objects.filter(
        campaign__event_id__in=scope,
        campaign__kind=CampaignKind.INVITATION,
        status=MessageStatus.SENT,
        person_id__in=people,
    )
    for row in (
        messages.annotate(group=_group(breakdown))
        .order_by()
        .values("group")
        .annotate(
            invited=Count("person", distinct=True),
            delivered=Count(
                "person",
                distinct=True,
                filter=Q(delivered_at__isnull=False, bounced_at__isnull=True),
            ),
            opened=Count("person", distinct=True, filter=Q(opened_at__isnull=False)),
        )
    ):
        group = _label(row["group"])
        for stage in ("invited", "delivered", "opened"):
            result[group][stage] += row[stage]

    attended = CheckIn.objects.filter(
        registration=OuterRef("pk"),
        attendee=0,
        direction=CheckIn.Direction.IN,
        outcome=CheckIn.Outcome.ADMITTED,
    )
    walk_in = attended.filter(method=CheckIn.Method.WALK_IN)
    registrations = Registration.objects.filter(event_id__in=scope, person_id__in=people).annotate(
        came=Exists(attended), walked_in=Exists(walk_in), group=_group(breakdown)
    )
    for row in (
        registrations.order_by()
        .values("group")
        .annotate(
            answered=Count("person", distinct=True, filter=Q(status__in=ANSWERED)),
            accepted=Count("person", distinct=True, filter=Q(status=S.ACCEPTED)),
            declined=Count("person", distinct=True, filter=Q(status=S.DECLINED)),
            delegated=Count("person", distinct=True, filter=Q(status=S.DELEGATED)),
            attended=Count("person", distinct=True, filter=Q(came=True)),
            walk_ins=Count("person", distinct=True, filter=Q(walked_in=True)),
        )
    ):
        group = _label(row["group"])
        for stage in ("answered", "accepted", "declined", "delegated", "attended", "walk_ins"):
            result[group][stage] += row[stage]
    return dict(result)


def _label(value) -> str:
    return str(value) if value not in (None, "") else "—"


def totals(event: Event, *, user) -> dict[str, int]:
    return funnel(event, user=user).get(TOTAL, dict.fromkeys(dict(STAGES), 0))


def stops(event: Event, *, user) -> list[tuple[Event, dict[str, int]]]:
    """Each direct part of the event (a roadshow's stops) with its own totals, the
    least-subscribed (fewest accepted per invited) first."""
    rows = [
        (part, totals(part, user=user))
        for part in Event.objects.filter(parent=event).order_by("starts_at")
    ]
    return sorted(
        rows,
        key=lambda r: (r[1]["accepted"] / r[1]["invited"]) if r[1]["invited"] else 1.0,
    )


def not_answered(event: Event, *, user) -> QuerySet:
    """People invited to the event (or a part) who have not answered: the list to call."""
    scope = event_scope(event)
    answered = Registration.objects.filter(
        event_id__in=scope, person=OuterRef("pk"), status__in=ANSWERED
    )
    invited = Message.objects.filter(
        campaign__event_id__in=scope,
        campaign__kind=CampaignKind.INVITATION,
        status=MessageStatus.SENT,
        person=OuterRef("pk"),
    )
    return _visible(user).filter(Exists(invited)).exclude(Exists(answered))


def _header(breakdown: str | None) -> list[str]:
    return [str(BREAKDOWNS.get(breakdown, _("Event")))] + [str(label) for _key, label in STAGES]


def as_csv(event: Event, *, user, breakdown: str | None = None) -> str:
    from crm.services.exports import escape_formula

    rows = funnel(event, user=user, breakdown=breakdown)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(breakdown))
    for group, counts in sorted(rows.items()):
        name = event.name if group == TOTAL else group
        writer.writerow([escape_formula(name)] + [counts[key] for key, _label in STAGES])
    return buffer.getvalue()


def as_xlsx(event: Event, *, user, breakdown: str | None = None) -> bytes:
    from openpyxl import Workbook

    from crm.services.exports import escape_formula

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(_header(breakdown))
    for group, counts in sorted(funnel(event, user=user, breakdown=breakdown).items()):
        name = event.name if group == TOTAL else group
        sheet.append([escape_formula(name)] + [counts[key] for key, _label in STAGES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
