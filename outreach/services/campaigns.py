"""Campaign workflow verbs: draft -> submitted -> approved (audience frozen) -> scheduled ->
sending -> finished; pause, resume and cancel at any point. Each verb is atomic, audited with
Wagtail's log, and wakes the workers only after commit.

The other capabilities live beside it: ``audience`` (who, and the freeze), ``dispatch``
(starting and finishing the sending), ``unknown_messages`` (decisions on UNKNOWN rows),
``figures`` (counts and funnel), ``message_search`` and ``previews`` (preview, test send)."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from outreach.models import (
    Campaign,
    CampaignContent,
    CampaignStatus,
    Message,
    MessageStatus,
    ScheduleKind,
)
from outreach.services import audience, dispatch, rendering

logger = logging.getLogger(__name__)


def _require(campaign: Campaign, *states: str) -> None:
    if campaign.status not in states:
        raise ValidationError(
            _("The campaign is %(status)s; this needs it to be %(needed)s.")
            % {
                "status": campaign.get_status_display(),
                "needed": " / ".join(str(CampaignStatus(s).label) for s in states),
            }
        )


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
    if audience.audience_count(campaign) > settings.CAMPAIGN_FREEZE_IN_REQUEST_MAX:
        campaign.status = CampaignStatus.APPROVING
        campaign.save()
        log(campaign, "outreach.campaign.approve", user=acting_user)

        def hand_over() -> None:
            from outreach.tasks import freeze_approved_campaign

            freeze_approved_campaign.delay(campaign.pk)

        transaction.on_commit(hand_over)
        return campaign
    audience.freeze_audience(campaign, acting_user=acting_user)
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
            audience.freeze_audience(campaign, acting_user=campaign.approved_by)
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
        dispatch.start(campaign)
    return campaign


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
        dispatch.start(campaign)
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
