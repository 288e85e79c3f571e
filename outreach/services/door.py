"""What the door prints and decides besides scans: badges, walk-ins, the order of precedence.

- `badges_pdf(event, registrations)`: one badge per confirmed guest and companion (outreach.badges).
- `register_walk_in(event, …)`: a guest who arrives unregistered: matched to a CRM person by email
  identity or created, consent recorded when given, registered (accepted, by staff) and checked
  in — in one transaction.
- `precedence_rows(event)`: confirmed guests in protocol order (outreach.precedence), with the
  ranks staff set (`ProtocolRank`); exported as XLSX and PDF.
"""

from __future__ import annotations

import io
import uuid
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.models import Person, PersonEmail
from outreach import badges as badge_pdf
from outreach.models import CheckIn, Event, ProtocolRank, Registration
from outreach.models.registrations import AnswerChannel, RegistrationStatus
from outreach.precedence import Guest, order_of_precedence
from outreach.services import checkin

TIER_COLOURS = {0: "#1f4e79", 1: "#2e7d32", 2: "#b8860b", 3: "#a31515"}


def confirmed(event: Event, user=None) -> QuerySet[Registration]:
    """Confirmed guests; with `user`, only those the access policy lets them see (a restricted
    guest's badge is printed by their owner or an administrator)."""
    from crm import access

    queryset = Registration.objects.filter(event=event, status=RegistrationStatus.ACCEPTED)
    if user is not None:
        queryset = queryset.exclude(person__in=access.hidden_people(user))
    return (
        queryset.select_related("person")
        .prefetch_related("companions", "person__affiliations__organization")
        .order_by("id")
    )


def _event_title(event: Event, language: str) -> str:
    """The event's public title in `language` when the site has one, else its working name."""
    from outreach.presentation import public_details  # the public site's wording (RSVP pages)

    return public_details(event, language)[0] or event.name


def _badge_for(registration: Registration, attendee: int = 0, companion=None) -> badge_pdf.Badge:
    person = registration.person
    language = registration.language or person.preferred_language or "en"
    with translation.override(language):
        honorific = person.get_honorific_display() if person.honorific else ""
        tier = person.get_vip_level_display() if person.vip_level else ""
    organization = checkin._organization(person)
    if companion is not None:
        native = companion.name_native or companion.name_latin
        latin = companion.name_latin
        honorific, tier = "", ""
        organization = _("Companion of %(name)s") % {"name": person.full_name_native or person}
    else:
        native = person.full_name_native or person.name_latin or str(person)
        latin = person.name_latin
    return badge_pdf.Badge(
        native_name=native,
        latin_name=latin if latin != native else "",
        honorific=str(honorific),
        organization=organization,
        tier_label=str(tier),
        tier_colour=TIER_COLOURS.get(person.vip_level or 0, TIER_COLOURS[0]),
        qr_payload=checkin.code_for(registration, attendee),
        language=language,
        event_title=_event_title(registration.event, language),
    )


def may_print_badge(user, registration: Registration) -> bool:
    from crm import access

    return access.can_view_person(user, registration.person)


def badges_pdf(event: Event, registrations) -> bytes:
    def each():
        for registration in registrations:
            registration.event = event
            yield _badge_for(registration)
            for number, companion in enumerate(registration.companions.all(), start=1):
                yield _badge_for(registration, number, companion)

    return badge_pdf.render_badges(each())


# --- walk-ins ----------------------------------------------------------------------------------


def walk_in_matches(user, query: str, *, event: Event, limit: int = 8) -> list[dict]:
    """Likely existing contacts for a walk-in (name in any script, pinyin, or a whole email):
    names and organizations only, and only people the user's access policy shows."""
    from crm.services.search import search_people_for_listing

    query = (query or "").strip()
    if len(query) < 2:
        return []
    # The listing search takes the matching ids first, unordered: "first 8 by name" would make
    # PostgreSQL sort every match of a common name (王伟 at 1,000,000 people: 9 s).
    people, _capped = search_people_for_listing(_visible_people(user), query, cap=limit)
    people = people.prefetch_related("affiliations__organization")
    return [
        {"name": person.display_name, "organization": checkin._organization(person)}
        for person in people
    ]


def _visible_people(user) -> QuerySet[Person]:
    from crm import access

    return access.visible_people(user)


@transaction.atomic
def register_walk_in(
    event: Event,
    *,
    acting_user,
    family_name: str = "",
    given_name: str = "",
    email: str = "",
    organization: str = "",
    consent: bool = False,
) -> Registration:
    from crm.identity import normalize_email
    from crm.models.choices import ConsentPurpose
    from crm.services.consent import record_consent
    from crm.services.people import EmailInput, PersonInput, create_person
    from outreach.services import registration as registrations

    person = None
    if email:
        match = (
            PersonEmail.objects.select_related("person")
            .filter(email_normalized=normalize_email(email), person__erased_at__isnull=True)
            .first()
        )
        person = match.person if match else None
    if person is None:
        notes = _("Walk-in at %(event)s.") % {"event": event.name}
        if organization:
            notes += " " + _("Organization given at the door: %(org)s") % {"org": organization}
        person = create_person(
            PersonInput(
                fields={
                    "family_name": family_name,
                    "given_name": given_name,
                    "owner": acting_user if getattr(acting_user, "pk", None) else None,
                    "source": "walk_in",
                    "notes": notes,
                },
                emails=[EmailInput(email=email, is_primary=True)] if email else [],
            ),
            acting_user=acting_user,
        )
    if consent:
        record_consent(
            person,
            purpose=ConsentPurpose.EVENT_INVITATIONS,
            legal_basis="consent",
            source=f"walk-in:{event.code}",
            notice_version="door",
            acting_user=acting_user,
        )
    outcome = registrations.accept(
        event,
        person,
        registrations.AcceptInput(),
        channel=AnswerChannel.STAFF,
        staff=acting_user,
        reason=_("Walk-in at the door"),
        notify=False,
    )
    registration = outcome.registration
    if registration.status != RegistrationStatus.ACCEPTED:
        raise registrations.RegistrationError(
            "capacity_full", _("The event is full: the walk-in is on the waitlist.")
        )
    checkin.record_scans(
        event,
        [
            {
                "scan_id": str(uuid.uuid4()),
                "registration": str(registration.public_id),
                "attendee": 0,
                "method": CheckIn.Method.WALK_IN,
                "scanned_at": timezone.now().isoformat(),
                "gate": checkin.gate_of(acting_user, event),
                "device": "walk-in",
            }
        ],
        user=acting_user,
    )
    return registration


# --- order of precedence -----------------------------------------------------------------------


def _appointed_on(person: Person) -> date | None:
    current = [a for a in person.affiliations.all() if a.end_date is None and a.start_date]
    return min((a.start_date for a in current), default=None)


def _position(person: Person) -> str:
    for affiliation in person.affiliations.all():
        if affiliation.end_date is None and affiliation.position:
            return affiliation.position
    return person.job_title or ""


def precedence_rows(event: Event, user=None) -> list[dict]:
    ranks = {r.registration_id: r for r in ProtocolRank.objects.filter(registration__event=event)}
    guests = []
    for registration in confirmed(event, user):
        person = registration.person
        stored = ranks.get(registration.pk)
        guests.append(
            Guest(
                key=registration.pk,
                name=person.full_name_native or person.name_latin or str(person),
                position=_position(person),
                honorific=person.honorific,
                rank_override=stored.rank if stored else None,
                appointed_on=(stored.appointed_on if stored and stored.appointed_on else None)
                or _appointed_on(person),
                extra={"registration": registration, "person": person},
            )
        )
    rows = []
    for number, guest in enumerate(order_of_precedence(guests), start=1):
        person = guest.extra["person"]
        rows.append(
            {
                "number": number,
                "registration": guest.extra["registration"],
                "name": guest.name,
                "latin_name": person.name_latin,
                "position": guest.position,
                "organization": checkin._organization(person),
                "rank": guest.rank,
                "set_by_staff": guest.rank_override is not None,
                "appointed_on": guest.appointed_on,
            }
        )
    return rows


@transaction.atomic
def set_protocol_ranks(event: Event, data, *, acting_user) -> int:
    """Save the ranks typed on the precedence screen (`rank-<registration id>`; empty = use the
    suggested one)."""
    from wagtail.log_actions import log

    changed = 0
    for registration in Registration.objects.filter(event=event):
        key = f"rank-{registration.pk}"
        if key not in data:
            continue
        value = (data.get(key) or "").strip()
        if not value:
            changed += ProtocolRank.objects.filter(registration=registration).delete()[0]
            continue
        try:
            rank = max(0, min(999, int(value)))
        except ValueError:
            continue
        ProtocolRank.objects.update_or_create(registration=registration, defaults={"rank": rank})
        changed += 1
    if changed:
        log(event, "outreach.precedence.change", user=acting_user, data={"changed": changed})
    return changed


def precedence_xlsx(event: Event, rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    from crm.services.exports import escape_formula

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Order of precedence")[:31]
    sheet.append(
        [_("No."), _("Name"), _("Latin name"), _("Position"), _("Organization"), _("Rank")]
    )
    for row in rows:
        sheet.append(
            [row["number"]]
            + [
                escape_formula(str(row[k] or ""))
                for k in ("name", "latin_name", "position", "organization")
            ]
            + [row["rank"]]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def precedence_pdf(event: Event, rows: list[dict]) -> bytes:
    """A printable list (A4), names in their own script (the badges' fonts and shaping)."""
    from fpdf import FPDF

    book = badge_pdf.font_book()
    files = {name: (path, index) for name, path, index in book.faces}
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_text_shaping(True)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    added: set[str] = set()

    def cell(text: str, width: float, size: float = 10, bold: bool = False):
        face = book.face_for(text or " ", bold=bold)
        if face not in added:
            path, index = files[face]
            pdf.add_font(face, fname=str(path), collection_font_number=index)
            added.add(face)
        pdf.set_font(face, size=size)
        pdf.cell(width, 8, text, border="B")

    cell(f"{event.name} — {_('Order of precedence')}", 180, size=14, bold=True)
    pdf.ln(12)
    for row in rows:
        cell(str(row["number"]), 10)
        cell(row["name"], 55)
        cell(row["position"][:40], 60)
        cell(row["organization"][:40], 55)
        pdf.ln(8)
    return bytes(pdf.output())
