"""Campaign workflow: draft -> submitted -> approved (audience frozen) -> scheduled -> sending ->
finished; pause, resume and cancel at any point. Each verb is atomic, audited with Wagtail's log,
and wakes the workers only after commit."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.log_actions import log

from config.db import stream
from crm.models import Person, PersonEmail
from crm.services.consent import valid_consent_exists
from crm.services.identity import email_digest
from crm.services.segments import resolve_segment_queryset
from outreach.models import (
    Campaign,
    CampaignContent,
    CampaignStatus,
    DeliveryStatus,
    Message,
    MessageStatus,
    ScheduleKind,
)
from outreach.services import rendering, suppression

logger = logging.getLogger(__name__)

ACTIVE = (CampaignStatus.SCHEDULED, CampaignStatus.SENDING, CampaignStatus.PAUSED)


def _require(campaign: Campaign, *states: str) -> None:
    if campaign.status not in states:
        raise ValidationError(
            _("The campaign is %(status)s; this needs it to be %(needed)s.")
            % {
                "status": campaign.get_status_display(),
                "needed": " / ".join(str(CampaignStatus(s).label) for s in states),
            }
        )


def _wake_senders() -> None:
    from outreach.tasks import start_sending_wave

    transaction.on_commit(lambda: start_sending_wave.delay(force=True))


# --- drafting -----------------------------------------------------------------------------
EDITABLE_FIELDS = (
    "name",
    "kind",
    "purpose",
    "event",
    "from_name",
    "from_email",
    "reply_to",
    "reply_to_owner",
    "languages",
    "fallback_language",
    "rsvp_url",
)


@transaction.atomic
def create_campaign(*, acting_user, **fields) -> Campaign:
    campaign = Campaign(
        created_by=acting_user, **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    )
    campaign.full_clean()
    campaign.save()
    log(campaign, "wagtail.create", user=acting_user)
    return campaign


@transaction.atomic
def update_campaign(campaign: Campaign, *, acting_user, **fields) -> Campaign:
    _require(campaign, CampaignStatus.DRAFT)
    for key, value in fields.items():
        if key in EDITABLE_FIELDS:
            setattr(campaign, key, value)
    campaign.full_clean()
    campaign.save()
    log(campaign, "wagtail.edit", user=acting_user)
    return campaign


@transaction.atomic
def set_audience(
    campaign: Campaign, *, segments=None, additions=None, exclusions=None, acting_user
) -> Campaign:
    _require(campaign, CampaignStatus.DRAFT)
    if segments is not None:
        campaign.segments.set(segments)
    if additions is not None:
        campaign.additions.set(additions)
    if exclusions is not None:
        campaign.exclusions.set(exclusions)
    log(campaign, "wagtail.edit", user=acting_user)
    return campaign


# --- content ------------------------------------------------------------------------------
@transaction.atomic
def set_content(
    campaign: Campaign,
    *,
    language: str,
    subject: str,
    body: str,
    preheader: str = "",
    acting_user,
) -> CampaignContent:
    _require(campaign, CampaignStatus.DRAFT)
    content, _created = CampaignContent.objects.get_or_create(
        campaign=campaign, language=language, defaults={"subject": subject, "body": body}
    )
    content.subject, content.body, content.preheader = subject, body, preheader
    rendering.validate_content(content)
    content.save()
    if language not in campaign.languages:
        campaign.languages = [*campaign.languages, language]
    campaign.save()
    log(campaign, "wagtail.edit", user=acting_user)
    return content


# --- audience -----------------------------------------------------------------------------
def audience_people(campaign: Campaign):
    """Segments + additions - exclusions, without erased or do-not-contact people and only with
    valid consent for the campaign's purpose. One lazy queryset."""
    return audience_of(
        segments=campaign.segments.all(),
        additions=campaign.additions.values("pk"),
        exclusions=campaign.exclusions.values("pk"),
        purpose=campaign.purpose,
    )


def audience_of(*, segments, additions, exclusions, purpose: str):
    """The audience rule of ``audience_people`` for values not saved yet (the builder's live
    count): ``segments`` are Segment rows, ``additions``/``exclusions`` person ids or querysets."""
    q = Q(pk__in=additions)
    for segment in segments:
        q |= Q(pk__in=resolve_segment_queryset(segment).values("pk"))
    return (
        Person.objects.filter(q)
        .exclude(pk__in=exclusions)
        .filter(erased_at__isnull=True, do_not_contact=False)
        .filter(valid_consent_exists(purpose))
    )


def _primary_email(person_ref: str):
    return Subquery(
        PersonEmail.objects.filter(person=OuterRef(person_ref))
        .order_by("-is_primary", "id")
        .values("email")[:1]
    )


def audience_rows(campaign: Campaign, *, chunk_size: int = 5000) -> Iterator[dict]:
    """Who gets a message and where it goes: the assistant's address when the person asks for
    mail to go via their assistant. One query, read in chunks (a server-side cursor on
    PostgreSQL inside the freeze's transaction, also behind PgBouncer), so a million-person
    audience never sits in memory whole."""
    people = audience_people(campaign).annotate(
        own_email=_primary_email("pk"),
        assistant_email=_primary_email("assistant"),
    )
    for p in stream(
        people.values(
            "pk",
            "own_email",
            "assistant_email",
            "preferred_language",
            "time_zone",
            "send_via_assistant",
            "assistant_id",
            "assistant__preferred_language",
            "assistant__time_zone",
            "assistant__erased_at",
        ).order_by("pk"),
        chunk_size=chunk_size,
    ):
        use_assistant = (
            p["send_via_assistant"]
            and p["assistant_id"]
            and p["assistant__erased_at"] is None
            and p["assistant_email"]
        )
        if use_assistant:
            yield {
                "person_id": p["pk"],
                "via_assistant_id": p["assistant_id"],
                "email": p["assistant_email"],
                "language": p["assistant__preferred_language"] or p["preferred_language"],
                "time_zone": p["assistant__time_zone"] or p["time_zone"],
            }
        elif p["own_email"]:
            yield {
                "person_id": p["pk"],
                "via_assistant_id": None,
                "email": p["own_email"],
                "language": p["preferred_language"],
                "time_zone": p["time_zone"],
            }


def choose_language(campaign: Campaign, preferred: str) -> str | None:
    preferred = (preferred or "").lower()
    languages = [lang.lower() for lang in campaign.languages]
    if preferred in languages:
        return preferred
    base = preferred.split("-")[0]
    for lang in languages:
        if base and lang.split("-")[0] == base:
            return lang
    return campaign.fallback_language.lower() or None


def audience_count(campaign: Campaign) -> int:
    """Live count for the builder: people who would get a message (before suppression)."""
    return audience_people(campaign).count()


def check_ready(campaign: Campaign) -> None:
    """Everything needed before approval: sender, languages, content for each language."""
    errors = []
    if not campaign.languages:
        errors.append(_("The campaign has no language."))
    have = set(campaign.contents.values_list("language", flat=True))
    missing = [lang for lang in campaign.languages if lang not in have]
    if missing:
        errors.append(
            _("Content is missing for: %(languages)s.") % {"languages": ", ".join(missing)}
        )
    if campaign.fallback_language and campaign.fallback_language not in have:
        errors.append(
            _("The fallback language %(language)s has no content.")
            % {"language": campaign.fallback_language}
        )
    for content in campaign.contents.all():
        try:
            rendering.validate_content(content)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def freeze_audience(campaign: Campaign, *, acting_user=None, chunk_size: int = 5000) -> int:
    """One Message row per email identity. Returns the number of rows created.

    Suppressed addresses (for the campaign's purpose or all purposes) get no row; recipients
    whose language the campaign lacks block the freeze unless a fallback language is set (the
    rows already written are rolled back with the caller's transaction).

    Streamed: the audience is read and written ``chunk_size`` rows at a time, and the only
    thing kept for the whole audience is one 64-bit number per identity seen (to keep the first
    message per identity), so memory stays small at a million recipients (a worker freezing
    300,000 peaked at 586 MB when the rows were held whole)."""
    if Message.objects.filter(campaign=campaign).exists():
        return 0  # frozen already (safe to call twice)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # The audience is read through a server-side cursor, which PostgreSQL plans for the
        # first tenth of its rows (cursor_tuple_fraction): a per-row plan that took 11 s per
        # 5,000 rows. The freeze reads them all: plan for that.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
    blocked = suppression.suppressed_digests_for_purposes([campaign.purpose])
    missing_language: dict[str, int] = defaultdict(int)
    seen: set[int] = set()
    now = timezone.now()
    writer = _MessageWriter(campaign, due_at=now)
    chunk: list[dict] = []
    for row in audience_rows(campaign, chunk_size=chunk_size):
        digest = email_digest(row["email"])
        identity = int(digest[:16], 16)
        if digest in blocked or identity in seen:
            continue
        seen.add(identity)
        language = choose_language(campaign, row["language"])
        if language is None:
            missing_language[row["language"] or "?"] += 1
            continue
        chunk.append(
            {
                "public_id": uuid.uuid4(),
                "person": row["person_id"],
                "via_assistant": row["via_assistant_id"],
                "email": row["email"],
                "email_digest": digest,
                "language": language,
                "time_zone": row["time_zone"] or "",
            }
        )
        if len(chunk) >= chunk_size:
            writer.write(chunk)
            chunk = []
    if missing_language:
        raise ValidationError(
            _(
                "Recipients read languages this campaign is not written in (%(languages)s) and "
                "there is no fallback language."
            )
            % {"languages": ", ".join(f"{k}: {v}" for k, v in sorted(missing_language.items()))}
        )
    writer.write(chunk)
    campaign.frozen_at = now
    campaign.save(update_fields=["frozen_at", "updated_at"])
    if acting_user is not None:
        log(campaign, "outreach.campaign.freeze", user=acting_user)
    return writer.written


class _MessageWriter:
    """Writes frozen rows: one COPY per chunk on PostgreSQL, else one executemany.

    Building a model instance per recipient made bulk_create spend 22 s of a 100,000-recipient
    freeze in Django's per-field preparation, inside the approval request. Here only the
    columns that differ per row are prepared per row; every other column takes the model
    field's default, prepared once, so a field added to Message later is filled too."""

    VARYING = frozenset(
        {"public_id", "person", "via_assistant", "email", "email_digest", "language", "time_zone"}
    )

    def __init__(self, campaign: Campaign, *, due_at: dt.datetime) -> None:
        self.fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
        fixed: dict[str, object] = {"campaign": campaign.pk, "due_at": due_at}
        self.values = {}
        for field in self.fields:
            if field.name in self.VARYING:
                continue
            value = fixed[field.name] if field.name in fixed else field.get_default()
            self.values[field.name] = field.get_db_prep_save(value, connection)
        self.public_id = Message._meta.get_field("public_id")
        self.table = connection.ops.quote_name(Message._meta.db_table)
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.written = 0

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        data = []
        for row in rows:
            row["public_id"] = self.public_id.get_db_prep_save(row["public_id"], connection)
            data.append(
                tuple(
                    row[f.name] if f.name in self.VARYING else self.values[f.name]
                    for f in self.fields
                )
            )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for record in data:
                        copy.write_row(record)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, data)
        self.written += len(rows)


# --- workflow -----------------------------------------------------------------------------
@transaction.atomic
def submit(campaign: Campaign, *, acting_user) -> Campaign:
    _require(campaign, CampaignStatus.DRAFT)
    check_ready(campaign)
    campaign.status = CampaignStatus.SUBMITTED
    campaign.submitted_by = acting_user
    campaign.save()
    log(campaign, "outreach.campaign.submit", user=acting_user)
    return campaign


@transaction.atomic
def withdraw(campaign: Campaign, *, acting_user) -> Campaign:
    """Back to draft (from submitted), e.g. to fix the content."""
    _require(campaign, CampaignStatus.SUBMITTED)
    campaign.status = CampaignStatus.DRAFT
    campaign.save()
    log(campaign, "outreach.campaign.withdraw", user=acting_user)
    return campaign


def can_approve(campaign: Campaign, user) -> bool:
    return (
        user.has_perm("outreach.approve_campaign")
        and user.pk != campaign.created_by_id
        and user.pk != campaign.submitted_by_id
    )


@transaction.atomic
def approve(campaign: Campaign, *, acting_user) -> Campaign:
    """Approval by someone else with the approve permission; freezes the audience.

    An audience larger than CAMPAIGN_FREEZE_IN_REQUEST_MAX is frozen by a worker instead
    (status APPROVING until ``finish_approval`` has run), so that approving a very large
    campaign does not outlast the web server's request timeout."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require(campaign, CampaignStatus.SUBMITTED)
    if not can_approve(campaign, acting_user):
        raise PermissionDenied(
            _("Only another user with the approve permission can approve this campaign.")
        )
    check_ready(campaign)
    campaign.approved_by = acting_user
    campaign.approved_at = timezone.now()
    if audience_count(campaign) > settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX:
        campaign.status = CampaignStatus.APPROVING
        campaign.save()
        log(campaign, "outreach.campaign.approve", user=acting_user)

        def hand_over() -> None:
            from outreach.tasks import freeze_approved_campaign

            freeze_approved_campaign.delay(campaign.pk)

        transaction.on_commit(hand_over)
        return campaign
    freeze_audience(campaign, acting_user=acting_user)
    campaign.status = CampaignStatus.APPROVED
    campaign.save()
    log(campaign, "outreach.campaign.approve", user=acting_user)
    return campaign


@transaction.atomic
def finish_approval(campaign_id: int) -> Campaign | None:
    """The worker's half of approving a large campaign: freeze the audience, then APPROVED.
    Safe to run twice or after a cancel (then it does nothing). If the audience cannot be
    frozen (recipients read a language the campaign lacks), the campaign goes back to
    SUBMITTED with the reason in its status note."""
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None or campaign.status != CampaignStatus.APPROVING:
        return campaign
    try:
        with transaction.atomic():
            freeze_audience(campaign, acting_user=campaign.approved_by)
    except ValidationError as exc:
        campaign.status = CampaignStatus.SUBMITTED
        campaign.status_note = " ".join(exc.messages)[:255]
        campaign.approved_by = None
        campaign.approved_at = None
        campaign.save()
        return campaign
    campaign.status = CampaignStatus.APPROVED
    campaign.status_note = ""
    campaign.save()
    return campaign


def resume_lost_approvals(older_than_seconds: int = 300) -> int:
    """Beat: hand APPROVING campaigns whose freeze task was lost to a worker again."""
    from outreach.tasks import freeze_approved_campaign

    stale = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    ids = list(
        Campaign.objects.filter(status=CampaignStatus.APPROVING, updated_at__lt=stale).values_list(
            "pk", flat=True
        )
    )
    for campaign_id in ids:
        freeze_approved_campaign.delay(campaign_id)
    return len(ids)


def local_due_time(day: dt.date, at: dt.time, tz_name: str) -> dt.datetime:
    """``at`` o'clock on ``day`` in time zone ``tz_name`` as an aware UTC datetime. A wall time
    that does not exist (spring-forward gap) moves forward by the gap; an ambiguous one (autumn)
    takes its first occurrence."""
    try:
        zone = zoneinfo.ZoneInfo(tz_name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    # PEP 495: fold=0 reads a gap time with the offset before the change (so it lands after
    # the gap, 02:30 -> 03:30) and an ambiguous time as its first occurrence.
    return dt.datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(dt.UTC)


@transaction.atomic
def schedule(
    campaign: Campaign,
    *,
    kind: str,
    send_at: dt.datetime | None = None,
    local_date: dt.date | None = None,
    local_time: dt.time | None = None,
    acting_user,
) -> Campaign:
    """Set when each message is due. The dispatcher (beat) starts sending when the first is."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require(campaign, CampaignStatus.APPROVED, CampaignStatus.SCHEDULED)
    now = timezone.now()
    queued = Message.objects.filter(campaign=campaign, status=MessageStatus.QUEUED)
    if kind == ScheduleKind.NOW:
        queued.update(due_at=now)
        first = now
    elif kind == ScheduleKind.AT:
        if send_at is None:
            raise ValidationError({"send_at": _("Give the time to send at.")})
        queued.update(due_at=send_at)
        first = send_at
    elif kind == ScheduleKind.LOCAL_TIME:
        if local_date is None or local_time is None:
            raise ValidationError({"local_time": _("Give the date and the local time of day.")})
        first = None
        # One UPDATE per distinct time zone among the recipients: set-based.
        for tz_name in queued.values_list("time_zone", flat=True).distinct().order_by():
            due = local_due_time(local_date, local_time, tz_name)
            queued.filter(time_zone=tz_name).update(due_at=due)
            first = due if first is None or due < first else first
        first = first or now
    else:
        raise ValidationError({"kind": _("Unknown schedule %(kind)s.") % {"kind": kind}})
    campaign.schedule_kind = kind
    campaign.send_at = first
    campaign.local_date, campaign.local_time = local_date, local_time
    campaign.status = CampaignStatus.SCHEDULED
    campaign.save()
    log(campaign, "outreach.campaign.schedule", user=acting_user)
    if first <= now:
        _start(campaign)
    return campaign


def _start(campaign: Campaign) -> None:
    campaign.status = CampaignStatus.SENDING
    campaign.started_at = campaign.started_at or timezone.now()
    campaign.save(update_fields=["status", "started_at", "updated_at"])
    _wake_senders()


@transaction.atomic
def pause(campaign: Campaign, *, acting_user, note: str = "") -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require(campaign, CampaignStatus.SCHEDULED, CampaignStatus.SENDING)
    campaign.status = CampaignStatus.PAUSED
    campaign.status_note = note[:255]
    campaign.save()
    log(campaign, "outreach.campaign.pause", user=acting_user)
    return campaign


@transaction.atomic
def resume(campaign: Campaign, *, acting_user) -> Campaign:
    """Continue where it stopped: only QUEUED rows are ever claimed, so nothing is resent."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require(campaign, CampaignStatus.PAUSED)
    campaign.status_note = ""
    if campaign.started_at is None and campaign.send_at and campaign.send_at > timezone.now():
        campaign.status = CampaignStatus.SCHEDULED
        campaign.save()
    else:
        _start(campaign)
    log(campaign, "outreach.campaign.resume", user=acting_user)
    return campaign


@transaction.atomic
def cancel(campaign: Campaign, *, acting_user) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status in (CampaignStatus.FINISHED, CampaignStatus.CANCELLED):
        return campaign
    Message.objects.filter(campaign=campaign, status=MessageStatus.QUEUED).update(
        status=MessageStatus.CANCELLED, lease_until=None
    )
    campaign.status = CampaignStatus.CANCELLED
    campaign.finished_at = timezone.now()
    campaign.save()
    log(campaign, "outreach.campaign.cancel", user=acting_user)
    return campaign


def trip_circuit_breaker(campaign: Campaign, *, reason: str) -> None:
    """Pause the campaign and tell its owner (called by the tracking side)."""
    with transaction.atomic():
        updated = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.SENDING).update(
            status=CampaignStatus.PAUSED,
            status_note=f"circuit breaker: {reason}"[:255],
            updated_at=timezone.now(),
        )
        if not updated:
            return
        campaign.refresh_from_db()
        log(campaign, "outreach.campaign.circuit_breaker", user=None)
        owner_email = campaign.created_by.email if campaign.created_by else ""
        campaign_id, name = campaign.pk, campaign.name

        def notify() -> None:
            if not owner_email:
                return
            with translation.override(settings.LANGUAGE_CODE):
                send_mail(
                    _("Campaign paused: %(name)s") % {"name": name},
                    _(
                        "Campaign #%(id)s was paused automatically (%(reason)s). Check the "
                        "suppression list and the audience before resuming it."
                    )
                    % {"id": campaign_id, "reason": reason},
                    None,
                    [owner_email],
                    fail_silently=True,
                )

        transaction.on_commit(notify)
    logger.warning("campaign %s paused by the circuit breaker: %s", campaign.pk, reason)


# --- dispatch (beat) ----------------------------------------------------------------------
def dispatch_due_campaigns() -> int:
    """Start scheduled campaigns whose first message is due; wake senders where work waits.
    Returns how many campaigns started now."""
    now = timezone.now()
    started = 0
    due = Message.objects.filter(
        campaign=OuterRef("pk"), status=MessageStatus.QUEUED, due_at__lte=now
    )
    for campaign_id in Campaign.objects.filter(
        Exists(due), status=CampaignStatus.SCHEDULED
    ).values_list("pk", flat=True):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
            if campaign.status == CampaignStatus.SCHEDULED:
                _start(campaign)
                started += 1
    if Campaign.objects.filter(Exists(due), status=CampaignStatus.SENDING).exists():
        _wake_senders_now()
    return started


def _wake_senders_now() -> None:
    from outreach.tasks import start_sending_wave

    start_sending_wave.delay()


def finish_campaigns() -> int:
    """Sending campaigns with nothing queued or in flight are finished (UNKNOWN rows stay for
    review; a "resend" decision reopens the campaign)."""
    open_rows = Message.objects.filter(
        campaign=OuterRef("pk"), status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]
    )
    return (
        Campaign.objects.filter(status=CampaignStatus.SENDING)
        .exclude(Exists(open_rows))
        .update(
            status=CampaignStatus.FINISHED, finished_at=timezone.now(), updated_at=timezone.now()
        )
    )


# --- decisions on UNKNOWN messages --------------------------------------------------------
@transaction.atomic
def mark_unknown_sent(message_ids: list[int], *, acting_user) -> int:
    _check_decider(acting_user)
    rows = Message.objects.filter(pk__in=message_ids, status=MessageStatus.UNKNOWN)
    for message in rows:
        log(
            message.campaign,
            "outreach.message.mark_sent",
            user=acting_user,
            data={"id": message.pk},
        )
    return rows.update(status=MessageStatus.SENT, decided_by=acting_user, lease_until=None)


@transaction.atomic
def resend_unknown(message_ids: list[int], *, acting_user) -> int:
    """A person decided the message did not go out: queue it again, now, under a new ESP
    idempotency key (an explicit decision to send again must not be dropped by the ESP as a
    repeat of the attempt in doubt)."""
    _check_decider(acting_user)
    rows = Message.objects.filter(pk__in=message_ids, status=MessageStatus.UNKNOWN)
    campaign_ids = set(rows.values_list("campaign_id", flat=True))
    for message in rows:
        log(message.campaign, "outreach.message.resend", user=acting_user, data={"id": message.pk})
    count = rows.update(
        status=MessageStatus.QUEUED,
        due_at=timezone.now(),
        decided_by=acting_user,
        claim_token=None,
        lease_until=None,
        resend_count=F("resend_count") + 1,
        ambiguous_since=None,
    )
    Campaign.objects.filter(pk__in=campaign_ids, status=CampaignStatus.FINISHED).update(
        status=CampaignStatus.SENDING, finished_at=None
    )
    _wake_senders()
    return count


def _check_decider(user) -> None:
    if not user.has_perm("outreach.decide_unknown_message"):
        raise PermissionDenied(_("You may not decide on messages whose sending is unknown."))


# --- preview and test send ----------------------------------------------------------------
def preview_message(campaign: Campaign, person: Person, language: str) -> Message:
    """An unsaved Message for previewing the campaign as ``person`` in ``language``."""
    email = person.primary_email
    address = email.email if email else "preview@example.invalid"
    return Message(
        campaign=campaign,
        person=person,
        email=address,
        email_digest="",
        language=language,
        time_zone=person.time_zone,
        due_at=timezone.now(),
    )


def preview(campaign: Campaign, person: Person, language: str) -> dict[str, str]:
    email = rendering.render_for(campaign, preview_message(campaign, person, language))
    html = next((c for c, mime in email.alternatives if mime == "text/html"), "")
    return {"subject": email.subject, "text": email.body, "html": html, "to": email.to[0]}


def test_send(campaign: Campaign, person: Person, language: str, *, acting_user) -> None:
    """Send the preview to the acting user's own address (never to the person)."""
    if not acting_user.email:
        raise ValidationError(_("Your user account has no email address to send the test to."))
    message = preview_message(campaign, person, language)
    email = rendering.render_for(campaign, message)
    email.to = [acting_user.email]
    email.subject = "[TEST] " + email.subject
    email.metadata = {"test": "1", "c": str(campaign.pk)}
    email.send()
    log(campaign, "outreach.campaign.test_send", user=acting_user)


def status_counts(campaign: Campaign) -> dict[str, int]:
    counts = dict.fromkeys(MessageStatus.values, 0)
    for row in (
        Message.objects.filter(campaign=campaign)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["status"]] = row["n"]
    return counts


# The funnel's steps in order, with the label staff read (the API uses the keys).
FUNNEL_STEPS: dict[str, str] = {
    "sent": _lazy("Sent"),
    "delivered": _lazy("Delivered"),
    "opened": _lazy("Opened"),
    "clicked": _lazy("Clicked"),
    "hard_bounced": _lazy("Hard bounces (permanent)"),
    "soft_bounced": _lazy("Soft bounces (temporary, not delivered yet)"),
    "complained": _lazy("Complained (spam)"),
    "unsubscribed": _lazy("Unsubscribed"),
}


def funnel(campaign: Campaign) -> dict[str, int]:
    """One aggregate query. ``hard_bounced`` counts messages with a permanent failure;
    ``soft_bounced`` those whose last word is a temporary failure (a soft bounce later delivered
    counts as delivered only)."""
    m = Message.objects.filter(campaign=campaign)
    figures = m.aggregate(
        sent=Count("pk", filter=Q(status=MessageStatus.SENT)),
        delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
        hard_bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        soft_bounced=Count("pk", filter=Q(delivery_status=DeliveryStatus.SOFT_BOUNCED)),
        complained=Count("pk", filter=Q(complained_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    return {step: figures[step] for step in FUNNEL_STEPS}


def live_figures(campaign: Campaign) -> dict:
    """Counts by status, send rate over the last minute, estimated time to finish, funnel."""
    counts = status_counts(campaign)
    now = timezone.now()
    recent = Message.objects.filter(
        campaign=campaign, status=MessageStatus.SENT, sent_at__gte=now - dt.timedelta(seconds=60)
    ).count()
    rate = recent / 60.0
    remaining = counts[MessageStatus.QUEUED] + counts[MessageStatus.SENDING]
    eta = int(remaining / rate) if rate > 0 and remaining else None
    return {
        "status": campaign.status,
        "counts": counts,
        "rate_per_second": round(rate, 2),
        "remaining": remaining,
        "eta_seconds": eta,
        "funnel": funnel(campaign),
    }


def search_messages(queryset, term: str, *, user):
    """Messages whose recipient matches ``term``: any name form (the CRM's person search, among
    the people ``user`` may see), or the address. Staff who may see contact details find any
    part of an address; for the others a term with an "@" matches only a whole address (by its
    digest, so typing it reveals nothing they did not know)."""
    from crm.services import roles, search

    term = (term or "").strip()
    if not term:
        return queryset
    details = roles.can_see_contact_details(user)
    matches = Q(pk__in=[])
    if details or "@" not in term:
        people, _capped = search.search_people_for_listing(roles.visible_people(user), term)
        matches |= Q(person__in=people)
    if "@" in term:
        matches |= Q(email_digest=email_digest(term))
    if details:
        matches |= Q(email__icontains=term)
    return queryset.filter(matches)
