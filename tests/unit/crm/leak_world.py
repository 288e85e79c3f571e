"""A small world around one restricted person, for the leak crawler and the access tests.

The restricted person (distinctive name, address and phone) is owned by `owner`; around them
every kind of record that can name a person: an affiliation, a relationship, an assistant link,
an interaction with a follow-up, a consent, a segment addition, a campaign with frozen messages
(one UNKNOWN, one via the assistant), a tracking event, and audit log entries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.log_actions import log

from crm.identity import email_digest
from crm.models import (
    Affiliation,
    Consent,
    Interaction,
    Person,
    Relationship,
    RelationshipType,
)
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectFactory,
    RegistrationFactory,
    RevokedRsvpLinkFactory,
    SegmentFactory,
    StageChangeFactory,
    make_campaign,
)

# What must never reach anyone but the owner and administrators. The search probes use only
# prefixes of these, so that a page echoing the search box is not taken for a leak.
SECRET_FAMILY = "Quixotewright"
SECRET_GIVEN = "Zebulon"
SECRET_NATIVE = "奎克斯特"
SECRET_EMAIL = "zebulon.qx@secret-embassy.example"
SECRET_PHONE = "+493098761234"
SECRET_STRINGS = [
    SECRET_FAMILY,
    SECRET_GIVEN,
    SECRET_NATIVE,
    SECRET_EMAIL,
    "zebulon.qx",
    "secret-embassy",
    "98761234",
]
# An ordinary contact's details: visible to all, unmasked only for who may see contact details.
OPEN_EMAIL = "vivian.open@visible.example"
OPEN_PHONE = "+4917655501234"
UNMASKED_STRINGS = [OPEN_EMAIL, "vivian.open@", "17655501234", "55501234"]


@dataclass
class LeakWorld:
    owner: object
    restricted: Person
    visible: Person
    ids: dict[str, int] = field(default_factory=dict)
    uuids: dict[str, str] = field(default_factory=dict)
    needles: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # server errors met while crawling


def build_leak_world(*, owner, officer, campaign_manager) -> LeakWorld:
    from outreach.models import Message, MessageStatus, TrackingEvent

    restricted = PersonFactory(
        family_name=SECRET_FAMILY,
        given_name=SECRET_GIVEN,
        full_name_native=SECRET_NATIVE,
        name_latin=f"{SECRET_GIVEN} {SECRET_FAMILY}",
        owner=owner,
        restricted=True,
        email=SECRET_EMAIL,
        phone=SECRET_PHONE,
        notes=f"Reach {SECRET_GIVEN} at {SECRET_PHONE}",
    )
    visible = PersonFactory(
        family_name="Openshaw",
        given_name="Vivian",
        owner=officer,
        email=OPEN_EMAIL,
        phone=OPEN_PHONE,
        assistant=restricted,
        send_via_assistant=True,
    )
    organization = OrganizationFactory(name="Harbour Authority", owner=officer)
    affiliation = Affiliation.objects.create(
        person=restricted, organization=organization, position="Envoy"
    )
    rel_type, _ = RelationshipType.objects.get_or_create(
        name="assistant", defaults={"forward_label": "assists", "reverse_label": "assisted by"}
    )
    relationship = Relationship.objects.create(
        type=rel_type, from_person=restricted, to_person=visible
    )
    interaction = Interaction.objects.create(
        kind="meeting",
        occurred_on=timezone.localdate(),
        subject=f"Dinner with {SECRET_FAMILY}",
        summary=f"{SECRET_GIVEN} asked to write to {SECRET_EMAIL}",
        follow_up_on=timezone.localdate(),
        follow_up_owner=officer,
        created_by=owner,
    )
    interaction.people.add(restricted, visible)
    interaction.staff.add(officer)
    consent = Consent.objects.create(person=restricted, purpose="event_invitations")
    Consent.objects.create(person=visible, purpose="event_invitations")
    segment = SegmentFactory(name="Envoys", countries=["DE"])
    segment.additions.add(restricted)
    campaign = make_campaign(
        owner=campaign_manager, name="Harbour forum", people=[restricted, visible]
    )
    now = timezone.now()
    message = Message.objects.create(
        campaign=campaign,
        person=restricted,
        email=SECRET_EMAIL,
        email_digest=email_digest(SECRET_EMAIL),
        language="en",
        due_at=now,
        status=MessageStatus.UNKNOWN,
        last_error=f"mailbox {SECRET_EMAIL} unknown",
    )
    via = Message.objects.create(
        campaign=campaign,
        person=visible,
        via_assistant=restricted,
        email=SECRET_EMAIL,
        email_digest=email_digest("via." + SECRET_EMAIL),
        language="en",
        due_at=now,
        status=MessageStatus.SENT,
        sent_at=now,
    )
    open_message = Message.objects.create(
        campaign=campaign,
        person=visible,
        email=OPEN_EMAIL,
        email_digest=email_digest(OPEN_EMAIL),
        language="en",
        due_at=now,
        status=MessageStatus.SENT,
        sent_at=now,
    )
    TrackingEvent.objects.create(
        esp="simulator",
        event_id="evt-leak-1",
        event_type="delivered",
        message_public_id=str(message.public_id),
        payload={"recipient": SECRET_EMAIL, "name": SECRET_FAMILY},
    )
    event = EventFactory(name="Harbour summit")
    campaign.event = event
    campaign.save(update_fields=["event"])
    registration = RegistrationFactory(
        event=event,
        person=restricted,
        invitation=message,
        decline_reason=f"{SECRET_GIVEN} travels",
    )
    RegistrationFactory(event=event, person=visible, answered_by=restricted)
    contest = _competition_world(restricted, visible)

    # A revoked RSVP link of the restricted guest (and one of the guest an assistant serves).
    revocation = RevokedRsvpLinkFactory(invitation=message, reason="forwarded")
    RevokedRsvpLinkFactory(invitation=via, reason="forwarded")
    log(message, "outreach.rsvp_link.revoke", user=owner, data={"reason": "forwarded"})

    # A pool project naming the restricted person as a contact and following up the dinner.
    project = ProjectFactory(name_en="Harbour cranes")
    project.people.add(restricted, visible)
    project.organizations.add(organization)
    project.interactions.add(interaction)
    StageChangeFactory(project=project, changed_by=owner, reason="met at the harbour")
    expo = _expo_world(restricted, visible, organization)
    for obj, action in [
        (restricted, "wagtail.create"),
        (restricted, "wagtail.edit"),
        (relationship, "wagtail.create"),
        (interaction, "wagtail.create"),
        (consent, "crm.consent_given"),
        (affiliation, "wagtail.create"),
    ]:
        log(obj, action, user=owner)
    return LeakWorld(
        owner=owner,
        restricted=restricted,
        visible=visible,
        ids={
            "person": restricted.pk,
            "visible_person": visible.pk,
            "personemail": restricted.emails.first().pk,
            "personphone": restricted.phones.first().pk,
            "organization": organization.pk,
            "affiliation": affiliation.pk,
            "relationship": relationship.pk,
            "interaction": interaction.pk,
            "consent": consent.pk,
            "segment": segment.pk,
            "campaign": campaign.pk,
            "message": message.pk,
            "via_message": via.pk,
            "open_message": open_message.pk,
            "event": event.pk,
            "registration": registration.pk,
            **contest,
            "revokedrsvplink": revocation.pk,
            "project": project.pk,
            **expo,
        },
        uuids={
            "registration": str(registration.public_id),
            "message": str(message.public_id),
        },
    )


# An expo where the restricted person is a buyer meeting a visible exhibitor, and the contact
# of another exhibitor.
def _expo_world(restricted, visible, organization) -> dict[str, int]:
    from tests.factories import (
        BuyerFactory,
        ExhibitorFactory,
        HallWalkFactory,
        InterpreterFactory,
        MeetingFactory,
        MeetingRequestFactory,
        MeetingSlotFactory,
        MeetingTableFactory,
    )

    expo = EventFactory(name="Harbour expo", kind="expo")
    exhibitor = ExhibitorFactory(event=expo)
    exhibitor.contacts.add(visible)
    ExhibitorFactory(event=expo, organization=organization).contacts.add(restricted)
    buyer = BuyerFactory(registration=RegistrationFactory(event=expo, person=restricted))
    slot = MeetingSlotFactory(event=expo)
    table = MeetingTableFactory(event=expo)
    interpreter = InterpreterFactory(event=expo)
    request = MeetingRequestFactory(event=expo, buyer=buyer, exhibitor=exhibitor, status="accepted")
    meeting = MeetingFactory(request=request, slot=slot, table=table, interpreter=interpreter)
    walk = HallWalkFactory(event=expo)
    log(buyer, "expos.buyer.retier", data={"from": "B", "to": "A", "reason": SECRET_GIVEN})
    return {
        "expo": expo.pk,
        "exhibitor": exhibitor.pk,
        "buyer": buyer.pk,
        "meetingrequest": request.pk,
        "meeting": meeting.pk,
        "meetingslot": slot.pk,
        "meetingtable": table.pk,
        "hallwalk": walk.pk,
        "interpreter": interpreter.pk,
    }


# A competition around the restricted person: on the team of one entry and a judge.
HIDDEN_PROJECT = "Unassigned Quantum Loom"  # an entry the crawling judge is not assigned
OTHER_JUDGES_COMMENT = "Verdict kept from other judges"


def _competition_world(restricted, visible) -> dict[str, int]:
    from competitions.models import Assignment, Score
    from competitions.services import rounds
    from tests.factories import (
        AttachmentFactory,
        CompetitionFactory,
        CriterionFactory,
        EntryFactory,
        JudgeRoleFactory,
        RoundFactory,
        TeamMemberFactory,
        TrackFactory,
    )

    contest = CompetitionFactory(judges_per_entry=1)
    track = TrackFactory(competition=contest)
    other_track = TrackFactory(competition=contest)
    criterion = CriterionFactory(competition=contest)
    round_ = RoundFactory(competition=contest, number=1)
    entry = EntryFactory(competition=contest, track=track, title_en="Harbour drones")
    hidden = EntryFactory(competition=contest, track=other_track, title_en=HIDDEN_PROJECT)
    TeamMemberFactory(entry=entry, person=restricted)
    TeamMemberFactory(entry=hidden, person=visible)
    attachment = AttachmentFactory(entry=entry)
    JudgeRoleFactory(competition=contest, person=restricted, tracks=[other_track])
    rounds.open_round(round_)
    other = Assignment.objects.get(entry=hidden)
    Score.objects.create(assignment=other, criterion=criterion, value=7)
    other.comment = OTHER_JUDGES_COMMENT
    other.save()
    return {
        "competition": contest.pk,
        "entry": entry.pk,
        "hidden_entry": hidden.pk,
        "track": track.pk,
        "round": round_.pk,
        "criterion": criterion.pk,
        "attachment": attachment.pk,
        "judgerole": other.judge_id,
        "assignment": other.pk,
    }
