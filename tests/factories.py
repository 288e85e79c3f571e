"""factory_boy factories shared by the test suite. Each app has its own section."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

# --- crm --------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@office.invalid")
    is_staff = True
    password = factory.django.Password("pw")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Organization"

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = "enterprise"
    country = "DE"
    city = "Hamburg"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Person"
        skip_postgeneration_save = True

    family_name = factory.Sequence(lambda n: f"Family{n}")
    given_name = "Anna"
    country = "DE"
    preferred_language = "en"
    time_zone = "Europe/Berlin"

    @factory.post_generation
    def email(self, create, extracted, **kwargs):
        from crm.models import PersonEmail
        from crm.services.people import refresh_search_text

        if not create:
            return
        if extracted:
            PersonEmail.objects.create(person=self, email=extracted, is_primary=True)
        refresh_search_text(self)

    @factory.post_generation
    def phone(self, create, extracted, **kwargs):
        from crm.models import PersonPhone
        from crm.services.people import refresh_search_text

        if create and extracted:
            PersonPhone.objects.create(person=self, number=extracted, is_primary=True)
            refresh_search_text(self)


class PersonPhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.PersonPhone"

    person = factory.SubFactory(PersonFactory)
    number = "+4917112345678"


class ContactImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.ContactImport"

    file = factory.django.FileField(filename="contacts.csv", data=b"Name,Email\r\n")
    original_name = "contacts.csv"
    source = "business cards"
    file_format = "csv"
    encoding = "utf-8"
    headers = factory.LazyFunction(lambda: ["Name", "Email"])
    mapping = factory.LazyFunction(lambda: ["full_name", "email"])


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Affiliation"

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    position = "Director"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Consent"

    person = factory.SubFactory(PersonFactory)
    purpose = "event_invitations"
    channel = "email"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Interaction"

    kind = "meeting"
    occurred_on = factory.Faker("date_this_year")
    subject = factory.Sequence(lambda n: f"Meeting {n}")


class DuplicateCandidateFactory(factory.django.DjangoModelFactory):
    """A pair in the review queue (`first` must have the lower id)."""

    class Meta:
        model = "crm.DuplicateCandidate"

    first = factory.SubFactory(PersonFactory)
    second = factory.SubFactory(PersonFactory)
    score = 80
    reasons = factory.LazyFunction(lambda: ["same_name", "same_organization"])


class PersonMergeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.PersonMerge"

    kept = factory.SubFactory(PersonFactory)
    dropped_id = factory.Sequence(lambda n: 10_000_000 + n)


class PersonMatchKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.PersonMatchKey"

    person = factory.SubFactory(PersonFactory)
    key = factory.Sequence(lambda n: f"x:source-{n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "crm.Segment"

    name = factory.Sequence(lambda n: f"Segment {n}")


# ============================================================================================
# Outreach: campaigns (issue 4). People are made with crm models directly, in bulk where
# a test needs thousands.
# ============================================================================================


class OfficeBrandingFactory(factory.django.DjangoModelFactory):
    """The office's branding (one record per installation)."""

    class Meta:
        model = "outreach.OfficeBranding"
        django_get_or_create = ("id",)

    id = 1
    office_name = "宁波市国际会展促进中心"
    office_name_latin = "Ningbo International Events Office"
    address = "浙江省宁波市鄞州区宁穿路1901号"
    address_latin = "1901 Ningchuan Road, Yinzhou, Ningbo, China"
    email = "events@office.example.org"
    phone = "+86 574 8918 0000"
    primary_colour = "#7a1f2b"
    accent_colour = "#d4a017"


def make_contact(
    email: str,
    *,
    language: str = "en",
    time_zone: str = "Europe/Berlin",
    consent: str | None = "event_invitations",
    **fields,
):
    """A person with one primary email and (by default) consent for event invitations."""
    from crm.models import Consent, Person, PersonEmail

    fields.setdefault("family_name", email.split("@")[0].title())
    fields.setdefault("given_name", "Test")
    person = Person.objects.create(preferred_language=language, time_zone=time_zone, **fields)
    PersonEmail.objects.create(person=person, email=email, is_primary=True)
    if consent:
        Consent.objects.create(person=person, purpose=consent)
    from crm.services.people import refresh_search_text

    refresh_search_text(person)  # as the services do: findable by name and email
    return person


def make_contacts_in_bulk(count: int, *, domain: str = "guests.example.org", languages=("en",)):
    """``count`` people with consent, by bulk inserts (fast enough for 20,000)."""
    from crm.identity import normalize_email
    from crm.models import Consent, Person, PersonEmail

    people = Person.objects.bulk_create(
        [
            Person(
                family_name=f"Guest{i}",
                given_name="Test",
                preferred_language=languages[i % len(languages)],
                time_zone="Asia/Shanghai",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    emails = []
    for i, person in enumerate(people):
        address = f"guest{i}@{domain}"
        emails.append(
            PersonEmail(
                person=person,
                email=address,
                email_normalized=normalize_email(address),
                is_primary=True,
            )
        )
    PersonEmail.objects.bulk_create(emails, batch_size=2000)
    Consent.objects.bulk_create(
        [Consent(person=p, purpose="event_invitations") for p in people], batch_size=2000
    )
    return people


def make_campaign(*, owner=None, languages=("en",), fallback="", people=(), **fields):
    """A draft campaign with content in each language, sent to ``people`` (as additions)."""
    from outreach.models import Campaign, CampaignContent

    owner = owner or UserFactory()
    fields.setdefault("name", "Forum invitation")
    fields.setdefault("from_name", "International Office")
    fields.setdefault("from_email", "invitations@office.example.org")
    campaign = Campaign.objects.create(
        created_by=owner, languages=list(languages), fallback_language=fallback, **fields
    )
    texts = {
        "en": ("Invitation for {{ name }}", "<p>{{ salutation }},</p><p>Join us.</p>"),
        "zh-hans": ("{{ name }}的邀请", "<p>{{ salutation }}：</p><p>诚邀您出席。</p>"),
        "de": ("Einladung für {{ name }}", "<p>{{ salutation }},</p><p>Willkommen.</p>"),
    }
    for language in languages:
        subject, body = texts.get(language, texts["en"])
        CampaignContent.objects.create(
            campaign=campaign, language=language, subject=subject, body=body
        )
    if people:
        campaign.additions.add(*people)
    return campaign


def approver():
    """Another staff member who may approve campaigns and decide on unknown messages."""
    from django.contrib.auth.models import Permission

    user = UserFactory()
    # a campaign manager: every outreach permission, approval included, and the admin (which
    # the API asks too)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="outreach"))
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def approved_campaign(**kwargs):
    from outreach.services import campaigns

    campaign = make_campaign(**kwargs)
    author = campaign.created_by
    if author is not None and author.email.endswith("@office.invalid"):
        # A factory author has no mailbox: the notice of the approval would otherwise join the
        # campaign's own mail in the ESP outbox that sending tests count.
        author.email = ""
        author.save(update_fields=["email"])
    campaigns.submit(campaign, acting_user=author)
    return campaigns.approve(campaign, acting_user=approver())


# ============================================================================================
# Outreach: events, answers, waitlist (issue 12)
# ============================================================================================


def _now():
    from django.utils import timezone

    return timezone.now()


def _default_locale():
    from wagtail.coreutils import get_content_languages
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code=next(iter(get_content_languages())))[0]


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Event"

    name = factory.Sequence(lambda n: f"Forum {n}")
    code = factory.Sequence(lambda n: f"forum-{n}")
    kind = "forum"
    starts_at = factory.LazyFunction(
        lambda: (_now() + datetime.timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=8))
    time_zone = "Europe/Berlin"
    venue = "Elbphilharmonie"
    city = "Hamburg"
    country = "DE"
    status = "announced"
    registration_open = True
    invitation_only = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Registration"

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    status = "accepted"
    language = "en"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Question"

    event = factory.SubFactory(EventFactory)
    label = "Dietary needs"
    kind = "text"
    locale = factory.LazyFunction(lambda: _default_locale())


class CompanionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Companion"

    registration = factory.SubFactory(RegistrationFactory)
    name_latin = "Li Na"


class SessionChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.SessionChoice"

    registration = factory.SubFactory(RegistrationFactory)
    session = factory.SubFactory(EventFactory, kind="sub_forum")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.Answer"

    registration = factory.SubFactory(RegistrationFactory)
    question = factory.SubFactory(QuestionFactory)
    value = "vegetarian"


class RegistrationChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.RegistrationChange"

    registration = factory.SubFactory(RegistrationFactory)
    to_status = "accepted"
    channel = "link"


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.WaitlistEntry"

    registration = factory.SubFactory(RegistrationFactory, status="waitlisted")


class RevokedRsvpLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outreach.RevokedRsvpLink"


def invited(event, person, *, language: str = "en", via_assistant=None):
    """An invitation message for `person` to `event` (a sent campaign row), as the freeze makes
    it, without sending anything."""
    from django.utils import timezone

    from crm.identity import email_digest
    from outreach.models import Message

    campaign = make_campaign(event=event, languages=(language,))
    address = (via_assistant or person).primary_email_address or f"p{person.pk}@guests.invalid"
    return Message.objects.create(
        campaign=campaign,
        person=person,
        via_assistant=via_assistant,
        email=address,
        email_digest=email_digest(address),
        language=language,
        due_at=timezone.now(),
        status="sent",
    )


# --- competitions -----------------------------------------------------------------------------


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Competition"

    event = factory.SubFactory(
        EventFactory,
        kind="competition",
        code=factory.Sequence(lambda n: f"contest-{n}"),
        name=factory.Sequence(lambda n: f"Contest {n}"),
    )
    title_zh = factory.Sequence(lambda n: f"创新创业大赛 {n}")
    title_en = factory.Sequence(lambda n: f"Innovation Contest {n}")
    entry_deadline = factory.LazyFunction(lambda: _now() + datetime.timedelta(days=10))
    judges_per_entry = 2
    scale_max = 10
    normalise_after = 3


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Track"

    competition = factory.SubFactory(CompetitionFactory)
    code = factory.Sequence(lambda n: f"track-{n}")
    name_zh = factory.Sequence(lambda n: f"智能制造 {n}")
    name_en = factory.Sequence(lambda n: f"Intelligent manufacturing {n}")


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Round"

    competition = factory.SubFactory(CompetitionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name_zh = "初赛"
    name_en = "Online review"
    mode = "online"
    starts_at = factory.LazyFunction(_now)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(days=7))
    promote_count = 1


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Criterion"

    competition = factory.SubFactory(CompetitionFactory)
    name_zh = "创新性"
    name_en = "Innovation"
    weight = 1
    anchors = factory.LazyFunction(
        lambda: [
            {"score": 9, "zh": "全新", "en": "new to the world"},
            {"score": 3, "zh": "常见", "en": "common"},
        ]
    )


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Entry"

    competition = factory.LazyAttribute(lambda o: o.track.competition)
    track = factory.SubFactory(TrackFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_zh = factory.Sequence(lambda n: f"项目 {n}")
    title_en = factory.Sequence(lambda n: f"Project {n}")
    summary_zh = "摘要"
    summary_en = "A summary"
    organization_name = "Startup GmbH"
    contact_email = factory.Sequence(lambda n: f"team{n}@startup.example")
    status = "submitted"


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.TeamMember"

    entry = factory.SubFactory(EntryFactory)
    person = factory.SubFactory(PersonFactory)
    role = "lead"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Attachment"

    entry = factory.SubFactory(EntryFactory)
    kind = "plan"
    file = factory.django.FileField(filename="plan.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "plan.pdf"
    content_type = "application/pdf"
    size = 15


class JudgeRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.JudgeRole"
        skip_postgeneration_save = True

    competition = factory.SubFactory(CompetitionFactory)
    person = factory.SubFactory(PersonFactory)
    tier = "standing"

    @factory.post_generation
    def tracks(self, create, extracted, **kwargs):
        if create and extracted:
            self.tracks.set(extracted)


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.ConflictOfInterest"

    judge = factory.SubFactory(JudgeRoleFactory)
    entry = factory.SubFactory(EntryFactory)
    source = "declared"


class RoundEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.RoundEntry"

    round = factory.SubFactory(RoundFactory)
    entry = factory.SubFactory(EntryFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Assignment"

    round = factory.SubFactory(RoundFactory)
    entry = factory.SubFactory(EntryFactory)
    judge = factory.SubFactory(JudgeRoleFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "competitions.Score"

    assignment = factory.SubFactory(AssignmentFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = 5


# --- projects ---------------------------------------------------------------------------------


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Project"

    name_en = factory.Sequence(lambda n: f"Project {n}")
    name_zh = factory.Sequence(lambda n: f"项目{n}")
    stage = "lead"
    currency = "CNY"


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.StageChange"

    project = factory.SubFactory(ProjectFactory)
    from_stage = "lead"
    to_stage = "contact"


# --- expos ------------------------------------------------------------------------------------


class ExhibitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.Exhibitor"

    event = factory.SubFactory(EventFactory, kind="expo")
    organization = factory.SubFactory(OrganizationFactory)
    hall = "A"
    booth_number = factory.Sequence(lambda n: f"A{n:03d}")
    languages = factory.LazyFunction(lambda: ["zh"])


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.Buyer"

    registration = factory.SubFactory(RegistrationFactory)
    tier = "B"
    languages = factory.LazyFunction(lambda: ["en"])


class MeetingSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.MeetingSlot"

    event = factory.SubFactory(EventFactory, kind="expo")
    starts_at = factory.LazyFunction(_now)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=20))


class MeetingTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.MeetingTable"

    event = factory.SubFactory(EventFactory, kind="expo")
    hall = "A"
    label = factory.Sequence(lambda n: f"T{n}")


class HallWalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.HallWalk"

    event = factory.SubFactory(EventFactory, kind="expo")
    hall_a = "A"
    hall_b = "B"
    minutes = 10


class InterpreterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.Interpreter"

    event = factory.SubFactory(EventFactory, kind="expo")
    name = factory.Sequence(lambda n: f"Interpreter {n}")
    languages = factory.LazyFunction(lambda: ["zh", "en"])


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.MeetingRequest"

    buyer = factory.SubFactory(BuyerFactory)
    exhibitor = factory.SubFactory(ExhibitorFactory)
    event = factory.LazyAttribute(lambda o: o.exhibitor.event)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.Meeting"

    request = factory.SubFactory(MeetingRequestFactory, status="accepted")
    slot = factory.SubFactory(MeetingSlotFactory)
    table = factory.SubFactory(MeetingTableFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "expos.Agreement"

    ceremony = factory.SubFactory(EventFactory, kind="forum")
    title_en = factory.Sequence(lambda n: f"Agreement {n}")
