"""Campaign workflow verbs: draft -> submitted -> approved (audience frozen) -> scheduled ->
sending -> finished; pause, resume and cancel at any point. Each verb is atomic, audited with
Wagtail's log, and wakes the workers only after commit.

Every status change goes through ``transitions.transition`` (the table, the row lock, the
history entry). The other capabilities live beside it: ``audience`` (who, the snapshot taken
at submission, and the freeze), ``dispatch`` (starting and finishing the sending),
``unknown_messages`` (decisions on UNKNOWN rows), ``figures`` (counts and funnel),
``message_search`` and ``previews`` (preview, test send)."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from outreach.errors import ErrorCode
from outreach.models import (
    Campaign,
    CampaignContent,
    CampaignStatus,
    Message,
    MessageStatus,
    ScheduleKind,
)
from outreach.services import audience, campaign_notices, dispatch, rendering, transitions
from outreach.staff_mail import send_staff_mail

logger = logging.getLogger(__name__)


def _sync(campaign: Campaign, row: Campaign) -> None:
    """Copy the locked row's fields onto the instance the caller holds."""
    if campaign is not row:
        for field in Campaign._meta.concrete_fields:
            setattr(campaign, field.attname, getattr(row, field.attname))


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
    row = transitions.locked(campaign, states=[CampaignStatus.DRAFT])
    for key, value in fields.items():
        if key in EDITABLE_FIELDS:
            setattr(row, key, value)
    row.full_clean()
    row.save()
    log(row, "wagtail.edit", user=acting_user)
    _sync(campaign, row)
    return row


@transaction.atomic
def set_audience(
    campaign: Campaign, *, segments=None, additions=None, exclusions=None, acting_user
) -> Campaign:
    row = transitions.locked(campaign, states=[CampaignStatus.DRAFT])
    if segments is not None:
        row.segments.set(segments)
    if additions is not None:
        row.additions.set(additions)
    if exclusions is not None:
        row.exclusions.set(exclusions)
    log(row, "wagtail.edit", user=acting_user)
    _sync(campaign, row)
    return row


@transaction.atomic
def add_person(campaign: Campaign, person, *, acting_user) -> bool:
    """Add one person to a draft campaign's "also send to" ("invite to an event" on the
    person's profile); False when they were there already. The person must be visible to the
    user (an audience reference, crm.access)."""
    from crm import access

    row = transitions.locked(campaign, states=[CampaignStatus.DRAFT])
    access.check_may_reference_people(acting_user, [person])
    if row.additions.filter(pk=person.pk).exists():
        return False
    row.additions.add(person)
    log(row, "outreach.campaign.person_added", user=acting_user, data={"person_id": person.pk})
    _sync(campaign, row)
    return True


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
    row = transitions.locked(campaign, states=[CampaignStatus.DRAFT])
    content, _created = CampaignContent.objects.get_or_create(
        campaign=row, language=language, defaults={"subject": subject, "body": body}
    )
    content.subject, content.body, content.preheader = subject, body, preheader
    rendering.validate_content(content)
    content.save()
    if language not in row.languages:
        row.languages = [*row.languages, language]
    row.save()
    log(row, "wagtail.edit", user=acting_user)
    _sync(campaign, row)
    return content


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
        raise ValidationError([ValidationError(e, code=ErrorCode.NOT_READY) for e in errors])


# --- workflow -----------------------------------------------------------------------------
@transaction.atomic
def submit(campaign: Campaign, *, acting_user) -> Campaign:
    """For approval. The audience specification (each segment's filters and members, the
    additions and exclusions) is snapshotted now: it is what the approver approves and what the
    freeze reads, whatever is edited in the segments afterwards."""
    row = transitions.locked(campaign, verb="submit")
    check_ready(row)
    snapshot = audience.snapshot(row)
    row = transitions.transition(
        campaign,
        "submit",
        acting_user=acting_user,
        changes={"submitted_by": acting_user, "audience_snapshot": snapshot, "status_note": ""},
    )
    campaign_notices.notify_submitted(row, count=audience.audience_count(row))
    return row


@transaction.atomic
def withdraw(campaign: Campaign, *, acting_user) -> Campaign:
    """Back to draft (from submitted), e.g. to fix the content. The snapshot is dropped: the
    draft's audience is its segments as they are."""
    return transitions.transition(
        campaign, "withdraw", acting_user=acting_user, changes={"audience_snapshot": None}
    )


@transaction.atomic
def reject(campaign: Campaign, *, acting_user, reason: str) -> Campaign:
    """An approver sends the submitted campaign back to draft, saying why; the author is told
    (by email, and on the dashboard) and finds the reason in the campaign's status note."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why the campaign is sent back."), code="reason_required")
    row = transitions.locked(campaign, verb="reject")
    if not can_approve(row, acting_user):
        raise PermissionDenied(
            _("Only another user with the approve permission can send this campaign back.")
        )
    row = transitions.transition(
        campaign,
        "reject",
        acting_user=acting_user,
        changes={"audience_snapshot": None, "status_note": reason[:255]},
        data={"reason": reason},
    )
    campaign_notices.notify_decided(row, approved=False, acting_user=acting_user, reason=reason)
    return row


def can_approve(campaign: Campaign, user) -> bool:
    return (
        user.has_perm("outreach.approve_campaign")
        and user.pk != campaign.created_by_id
        and user.pk != campaign.submitted_by_id
    )


def submitted_count(campaign: Campaign) -> int:
    """The audience the approver is asked to approve: the submitted specification, resolved
    now (before suppression)."""
    return audience.audience_count(campaign)


@transaction.atomic
def approve(campaign: Campaign, *, acting_user, expected_count: int | None = None) -> Campaign:
    """Approval by someone else with the approve permission of the submitted audience
    specification and its count; freezes the audience from that specification.

    ``expected_count`` is the count the approver was shown (the admin and the API send it when
    they have it): if the audience no longer has that size, nothing is approved
    (``audience_changed``) and the approver looks again.

    An audience larger than CAMPAIGN_FREEZE_IN_REQUEST_MAX is frozen by a worker instead
    (status APPROVING until ``finish_approval`` has run), so that approving a very large
    campaign does not outlast the web server's request timeout."""
    row = transitions.locked(campaign, verb="approve")
    if not can_approve(row, acting_user):
        raise PermissionDenied(
            _("Only another user with the approve permission can approve this campaign.")
        )
    check_ready(row)
    count = audience.audience_count(row)
    if expected_count is not None and expected_count != count:
        raise ValidationError(
            _(
                "The audience changed: %(count)s people now, %(expected)s when you looked. "
                "Check it again before approving."
            )
            % {"count": count, "expected": expected_count},
            code=ErrorCode.AUDIENCE_CHANGED,
        )
    changes = {"approved_by": acting_user, "approved_at": timezone.now(), "approved_count": count}
    if count > settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX:
        row = transitions.transition(
            campaign,
            "approve",
            acting_user=acting_user,
            to=CampaignStatus.APPROVING,
            changes=changes,
            data={"count": count},
        )

        def hand_over() -> None:
            from outreach.tasks import freeze_approved_campaign

            freeze_approved_campaign.delay(row.pk)

        transaction.on_commit(hand_over)
        campaign_notices.notify_decided(row, approved=True, acting_user=acting_user)
        return row
    frozen = audience.freeze_audience(row)
    row = transitions.transition(
        campaign,
        "approve",
        acting_user=acting_user,
        to=CampaignStatus.APPROVED,
        changes=changes,
        data={"count": count, "frozen": frozen},
    )
    campaign_notices.notify_decided(row, approved=True, acting_user=acting_user)
    return row


@transaction.atomic
def finish_approval(campaign_id: int) -> Campaign | None:
    """The worker's half of approving a large campaign: freeze the audience (from the
    submitted specification), then APPROVED. Safe to run twice or after a cancel (then it does
    nothing). If the audience cannot be frozen (recipients read a language the campaign lacks),
    the campaign goes back to SUBMITTED with the reason in its status note."""
    row = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if row is None or row.status != CampaignStatus.APPROVING:
        return row
    try:
        with transaction.atomic():
            frozen = audience.freeze_audience(row)
    except ValidationError as exc:
        return transitions.transition(
            row,
            "freeze_failed",
            changes={
                "status_note": " ".join(exc.messages)[:255],
                "approved_by": None,
                "approved_at": None,
                "approved_count": None,
            },
        )
    return transitions.transition(
        row, "freeze", changes={"status_note": ""}, data={"frozen": frozen}
    )


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
    row = transitions.locked(campaign, verb="schedule")
    now = timezone.now()
    queued = Message.objects.filter(campaign=row, status=MessageStatus.QUEUED)
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
    row = transitions.transition(
        campaign,
        "schedule",
        acting_user=acting_user,
        changes={
            "schedule_kind": kind,
            "send_at": first,
            "local_date": local_date,
            "local_time": local_time,
        },
    )
    if first <= now:
        row = dispatch.start(row, acting_user=acting_user)
        _sync(campaign, row)
    return row


@transaction.atomic
def pause(campaign: Campaign, *, acting_user, note: str = "") -> Campaign:
    return transitions.transition(
        campaign, "pause", acting_user=acting_user, changes={"status_note": note[:255]}
    )


@transaction.atomic
def resume(campaign: Campaign, *, acting_user) -> Campaign:
    """Continue where it stopped: only QUEUED rows are ever claimed, so nothing is resent."""
    row = transitions.locked(campaign, verb="resume")
    if row.started_at is None and row.send_at and row.send_at > timezone.now():
        return transitions.transition(
            campaign,
            "resume",
            acting_user=acting_user,
            to=CampaignStatus.SCHEDULED,
            changes={"status_note": ""},
        )
    row = transitions.transition(
        campaign,
        "resume",
        acting_user=acting_user,
        to=CampaignStatus.SENDING,
        changes={"status_note": "", "started_at": row.started_at or timezone.now()},
    )
    dispatch.wake_senders()
    return row


@transaction.atomic
def cancel(campaign: Campaign, *, acting_user) -> Campaign:
    """Stop for good; messages not sent yet are never sent. Cancelling a finished or
    cancelled campaign changes nothing."""
    row = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if row.status in (CampaignStatus.FINISHED, CampaignStatus.CANCELLED):
        _sync(campaign, row)
        return row
    Message.objects.filter(campaign=row, status=MessageStatus.QUEUED).update(
        status=MessageStatus.CANCELLED, lease_until=None
    )
    return transitions.transition(
        campaign, "cancel", acting_user=acting_user, changes={"finished_at": timezone.now()}
    )


def trip_circuit_breaker(campaign: Campaign, *, reason: str) -> None:
    """Pause the campaign and tell its owner (called by the tracking side)."""
    with transaction.atomic():
        if not transitions.allowed(transitions.locked(campaign), "circuit_breaker"):
            return
        campaign = transitions.transition(
            campaign,
            "circuit_breaker",
            changes={"status_note": f"circuit breaker: {reason}"[:255]},
            data={"reason": reason},
        )
        owner_email = campaign.created_by.email if campaign.created_by else ""
        campaign_id, name = campaign.pk, campaign.name

        def notify() -> None:
            if not owner_email:
                return
            with translation.override(settings.LANGUAGE_CODE):
                send_staff_mail(
                    _("Campaign paused: %(name)s") % {"name": name},
                    _(
                        "Campaign #%(id)s was paused automatically (%(reason)s). Check the "
                        "suppression list and the audience before resuming it."
                    )
                    % {"id": campaign_id, "reason": reason},
                    [owner_email],
                    what="campaign paused",
                )

        transaction.on_commit(notify)
    logger.warning("campaign %s paused by the circuit breaker: %s", campaign.pk, reason)
