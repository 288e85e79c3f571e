"""Entering a competition: a team sends the public form, confirms its address, edits until the
deadline and follows its status through a signed link.

`submit_entry` stores the entry (unconfirmed) with its attachments and mails the confirmation
link; `confirm_entry` turns the team into CRM people (matched by email identity, else created),
links the organization by name, records the consent and checks the jury for conflicts;
`update_entry` changes it until the deadline. Links carry a signed, time-stamped entry id."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log

from competitions.models import Attachment, Competition, Entry, EntryStatus, TeamMember

TOKEN_SALT = "competitions.entry"  # noqa: S105 (a signing salt, not a secret)
TOKEN_MAX_AGE = 400 * 86400  # the link to an entry works for the competition's life


class EntryError(Exception):
    def __init__(self, code: str, message: str = ""):
        self.code = code
        super().__init__(message or code)


@dataclass
class MemberInput:
    family_name: str
    given_name: str = ""
    email: str = ""


@dataclass
class EntryInput:
    track_id: int
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    organization_name: str
    contact_email: str
    video_url: str = ""
    language: str = "en"
    team: list[MemberInput] = field(default_factory=list)


def entry_token(entry: Entry) -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(str(entry.public_id))


def read_entry_token(token: str) -> Entry | None:
    try:
        public_id = signing.TimestampSigner(salt=TOKEN_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    try:
        return Entry.objects.select_related("competition", "track").get(public_id=public_id)
    except (Entry.DoesNotExist, ValueError, signing.BadSignature):
        return None
    except Exception:  # a malformed uuid
        return None


def entry_url(entry: Entry) -> str:
    from django.urls import reverse

    path = reverse("competitions_entry_status", args=[entry_token(entry)])
    return f"{settings.SITE_URL.rstrip('/')}{path}?lang={entry.language}"


def _apply(entry: Entry, data: EntryInput) -> None:
    entry.track_id = data.track_id
    entry.title_zh = data.title_zh.strip()
    entry.title_en = data.title_en.strip()
    entry.summary_zh = data.summary_zh.strip()
    entry.summary_en = data.summary_en.strip()
    entry.organization_name = data.organization_name.strip()
    entry.video_url = data.video_url
    entry.language = data.language
    entry.pending_team = [m.__dict__ for m in data.team]


def _store_attachments(entry: Entry, attachments) -> None:
    """(kind, upload, content type) checked by competitions.uploads; a new file of a kind
    replaces the old one."""
    for kind, upload, content_type in attachments:
        for old in entry.attachments.filter(kind=kind):
            old.file.delete(save=False)
            old.delete()
        attachment = Attachment(
            entry=entry,
            kind=kind,
            original_name=(upload.name or kind)[-255:],
            content_type=content_type,
            size=upload.size,
        )
        attachment.file.save(upload.name or kind, upload, save=False)
        attachment.save()


def submit_entry(
    competition: Competition, data: EntryInput, attachments=(), *, consent_text: str
) -> Entry:
    """A new entry, unconfirmed until the contact opens the mailed link."""
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        if not competition.accepts_entries():
            raise EntryError("deadline_passed")
        number = (competition.entries.aggregate(n=Max("number"))["n"] or 0) + 1
        entry = Entry(competition=competition, number=number, contact_email=data.contact_email)
        _apply(entry, data)
        entry.consent_at = timezone.now()
        entry.consent_text = consent_text
        entry.save()
        _store_attachments(entry, attachments)
        log(entry, "competitions.entry_submitted")
        entry_id = entry.pk
        transaction.on_commit(lambda: _send_confirmation(entry_id))
    return entry


def _send_confirmation(entry_id: int) -> None:
    from competitions import tasks

    tasks.send_entry_confirmation.delay(entry_id)


def _person_for(member: MemberInput, entry: Entry):
    from crm.identity import normalize_email
    from crm.models import PersonEmail
    from crm.services.people import EmailInput, PersonInput, create_person

    if member.email:
        match = (
            PersonEmail.objects.filter(
                email_normalized=normalize_email(member.email), person__erased_at__isnull=True
            )
            .select_related("person")
            .first()
        )
        if match is not None:
            return match.person
    return create_person(
        PersonInput(
            fields={
                "family_name": member.family_name[:150],
                "given_name": member.given_name[:150],
                "preferred_language": entry.language,
                "source": f"competition:{entry.competition.event.code}"[:50],
            },
            emails=[EmailInput(email=member.email, is_primary=True)] if member.email else None,
        )
    )


def _link_organization(entry: Entry) -> None:
    from crm.models import Organization

    name = entry.organization_name
    entry.organization = (
        Organization.objects.filter(name__iexact=name).order_by("pk").first()
        or Organization.objects.filter(name_zh=name).order_by("pk").first()
        or Organization.objects.filter(name_en__iexact=name).order_by("pk").first()
    )


def _sync_team(entry: Entry) -> None:
    wanted = []
    for index, raw in enumerate(entry.pending_team or []):
        member = MemberInput(**raw)
        person = _person_for(member, entry)
        role = TeamMember.Role.LEAD if index == 0 else TeamMember.Role.MEMBER
        TeamMember.objects.update_or_create(entry=entry, person=person, defaults={"role": role})
        wanted.append(person.pk)
    entry.team.exclude(person_id__in=wanted).delete()


@transaction.atomic
def confirm_entry(entry: Entry) -> Entry:
    """The contact confirmed the address: the entry counts. Confirming twice changes nothing."""
    entry = Entry.objects.select_for_update().select_related("competition__event").get(pk=entry.pk)
    if entry.status != EntryStatus.UNCONFIRMED:
        return entry
    if not entry.competition.accepts_entries():
        raise EntryError("deadline_passed")
    entry.status = EntryStatus.SUBMITTED
    entry.submitted_at = timezone.now()
    _link_organization(entry)
    entry.save()
    _sync_team(entry)
    log(entry, "competitions.entry_confirmed")
    from competitions.services.conflicts import detect_for_entry

    detect_for_entry(entry)
    return entry


@transaction.atomic
def update_entry(entry: Entry, data: EntryInput, attachments=()) -> Entry:
    entry = Entry.objects.select_for_update().select_related("competition__event").get(pk=entry.pk)
    if not entry.competition.accepts_entries():
        raise EntryError("deadline_passed")
    if entry.status not in (EntryStatus.UNCONFIRMED, EntryStatus.SUBMITTED):
        raise EntryError("invalid_state")
    _apply(entry, data)
    if entry.status == EntryStatus.SUBMITTED:
        _link_organization(entry)
    entry.save()
    _store_attachments(entry, attachments)
    if entry.status == EntryStatus.SUBMITTED:
        _sync_team(entry)
        from competitions.services.conflicts import detect_for_entry

        detect_for_entry(entry)
    log(entry, "competitions.entry_edited")
    return entry


@transaction.atomic
def withdraw_entry(entry: Entry) -> Entry:
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status in (EntryStatus.UNCONFIRMED, EntryStatus.SUBMITTED):
        entry.status = EntryStatus.WITHDRAWN
        entry.save(update_fields=["status", "updated_at"])
        entry.assignments.filter(round__status__in=("planned", "open")).update(status="withdrawn")
        log(entry, "competitions.entry_withdrawn")
    return entry
