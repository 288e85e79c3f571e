"""Campaigns: what is sent, to whom (segments), in which languages, when, and who approved it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField

from crm.models.validators import validate_single_line, validate_visible_text
from crm.richtext import clean_stored_richtext


class CampaignKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    FOLLOW_UP = "follow_up", _("Follow-up")
    ANNOUNCEMENT = "announcement", _("Announcement")


class CampaignPurpose(models.TextChoices):
    """The consent purpose a campaign is sent under (same codes as crm's ConsentPurpose)."""

    EVENT_INVITATIONS = "event_invitations", _("Event invitations")
    NEWSLETTERS = "newsletters", _("Newsletters")


class AnswerFilter(models.TextChoices):
    """Who a reminder goes to (or a segment holds), by their answer to an event - and, once
    the doors have opened, whether they came."""

    NOT_ANSWERED = "not_answered", _("Invited, no answer yet")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("On the waitlist")
    DECLINED = "declined", _("Declined")
    DELEGATED = "delegated", _("Sent a delegate")
    REQUESTED = "requested", _("Awaiting staff approval")
    ATTENDED = "attended", _("Attended (checked in at the door)")
    NO_SHOW = "no_show", _("Accepted, did not attend")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    # Approved, the audience of a large campaign being frozen by a worker (see services.campaigns)
    APPROVING = "approving", _("Approved: freezing the audience")
    APPROVED = "approved", _("Approved")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    PAUSED = "paused", _("Paused")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class ScheduleKind(models.TextChoices):
    NOW = "now", _("As soon as it is scheduled")
    AT = "at", _("At a set time")
    LOCAL_TIME = "local_time", _("At a time of day in each recipient's time zone")


class Campaign(ClusterableModel):
    name = models.CharField(_("name"), max_length=200, validators=[validate_visible_text])
    kind = models.CharField(
        _("kind"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.INVITATION
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=30,
        choices=CampaignPurpose.choices,
        default=CampaignPurpose.EVENT_INVITATIONS,
        help_text=_("Only people with valid consent for this purpose receive the campaign."),
    )
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    from_name = models.CharField(
        _("sender name"), max_length=120, validators=[validate_visible_text, validate_single_line]
    )
    from_email = models.EmailField(_("sender address"))
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    reply_to_owner = models.BooleanField(
        _("replies go to the contact's owner"),
        default=False,
        help_text=_("Use the address of the staff member who owns each contact as Reply-To."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        help_text=_('Language codes this campaign is written in, e.g. ["zh-hans", "en"].'),
    )
    fallback_language = models.CharField(
        _("fallback language"),
        max_length=12,
        blank=True,
        help_text=_(
            "Recipients whose language the campaign is not written in receive this one. "
            "Without a fallback, such recipients block sending."
        ),
    )
    segments = models.ManyToManyField(
        "crm.Segment", verbose_name=_("segments"), blank=True, related_name="+"
    )
    additions = models.ManyToManyField(
        "crm.Person", verbose_name=_("also send to"), blank=True, related_name="+"
    )
    exclusions = models.ManyToManyField(
        "crm.Person", verbose_name=_("never send to"), blank=True, related_name="+"
    )
    answer_event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("only guests of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Reminders: narrow the audience to people invited to this event (or any stop or part "
            "of it) by their answer."
        ),
    )
    answer_filter = models.CharField(
        _("whose answer is"), max_length=16, choices=AnswerFilter.choices, blank=True
    )
    not_answered_days = models.PositiveSmallIntegerField(
        _("invited at least this many days ago"),
        null=True,
        blank=True,
        help_text=_("With 'not answered': only people invited at least this many days ago."),
    )
    rsvp_url = models.URLField(
        _("RSVP page"),
        blank=True,
        help_text=_("The event's RSVP page; each recipient's link carries a signed token."),
    )

    schedule_kind = models.CharField(
        _("when"), max_length=20, choices=ScheduleKind.choices, default=ScheduleKind.NOW
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    local_date = models.DateField(_("local date"), null=True, blank=True)
    local_time = models.TimeField(_("local time of day"), null=True, blank=True)

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    status_note = models.CharField(_("status note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("responsible staff member", "owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The audience specification as submitted (each segment's filters and static members, the
    # campaign's additions and exclusions): what the approver approves and the freeze reads, so
    # that editing a segment later does not change a submitted campaign.
    audience_snapshot = models.JSONField(
        _("audience as submitted"), null=True, blank=True, editable=False
    )
    approved_count = models.PositiveIntegerField(
        _("audience approved"), null=True, blank=True, editable=False
    )
    frozen_at = models.DateTimeField(_("audience frozen at"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]
        permissions = [
            ("approve_campaign", _("Can approve campaigns written by others")),
            ("decide_unknown_message", _("Can decide on messages whose sending is unknown")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_editable(self) -> bool:
        return self.status == CampaignStatus.DRAFT


class CampaignContent(models.Model):
    """The text of a campaign in one language. Merge fields such as ``{{ salutation }}`` are
    replaced per recipient (see outreach.services.rendering.MERGE_FIELDS)."""

    campaign = ParentalKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="contents"
    )
    language = models.CharField(_("language"), max_length=12)
    subject = models.CharField(_("subject"), max_length=255)
    preheader = models.CharField(
        _("preheader"),
        max_length=255,
        blank=True,
        help_text=_("The short line mail clients show after the subject."),
    )
    body = RichTextField(_("body"))

    class Meta:
        verbose_name = _("campaign content")
        verbose_name_plural = _("campaign contents")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"], name="outreach_content_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} [{self.language}]"

    def save(self, *args, **kwargs) -> None:
        # Whatever path the text took (editor, API, import), only the allow-list is stored.
        self.body = clean_stored_richtext(self.body)
        super().save(*args, **kwargs)
