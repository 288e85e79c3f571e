"""Who is coming: a guest's answer to an event (Registration), with its companions, chosen
sessions, answers to the event's questions, waitlist place and full history.

One `Registration` per (event, person). Its `status` moves only along `TRANSITIONS`, and only
through `outreach.services.registration.transition()`, which locks the row, checks the table,
saves and writes a `RegistrationChange` (the history) plus a Wagtail log entry.

For the door (check-in) and other apps, the stable API is:
- `Registration.objects.confirmed()` — guests who hold a place (accepted);
- `Registration.places` — seats taken (the guest plus named companions);
- `Registration.public_id` — opaque id for links and QR codes;
- `Registration.person`, `.event`, `.companions`, `.sessions` (chosen parts of the event).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField


class RegistrationStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting staff approval")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Place offered (on hold)")
    DECLINED = "declined", _("Declined")
    DELEGATED = "delegated", _("Sent a delegate")
    REJECTED = "rejected", _("Request refused")
    EXPIRED = "expired", _("Offer expired")
    CANCELLED = "cancelled", _("Cancelled")


S = RegistrationStatus
# Statuses that hold a place against the event's (and its sessions') capacity.
HOLDS_PLACE = frozenset({S.ACCEPTED, S.OFFERED})
# Answers a guest can still change (before the RSVP deadline).
ANSWERED = frozenset({S.ACCEPTED, S.WAITLISTED, S.DECLINED, S.DELEGATED})

# The one transition table. None = the registration does not exist yet. There is no
# "email not confirmed" state: open registrations and people answering a forwarded invitation
# confirm their address before anything is stored (outreach.services.open_registration), so a
# registration exists only for a confirmed address.
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({S.REQUESTED, S.ACCEPTED, S.WAITLISTED, S.DECLINED, S.DELEGATED}),
    S.REQUESTED: frozenset(
        {S.REQUESTED, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.DECLINED, S.DELEGATED, S.CANCELLED}
    ),
    S.ACCEPTED: frozenset({S.ACCEPTED, S.DECLINED, S.DELEGATED, S.CANCELLED}),
    S.WAITLISTED: frozenset(
        {S.WAITLISTED, S.OFFERED, S.ACCEPTED, S.DECLINED, S.DELEGATED, S.CANCELLED}
    ),
    S.OFFERED: frozenset({S.ACCEPTED, S.EXPIRED, S.DECLINED, S.CANCELLED}),
    S.DECLINED: frozenset(
        {S.DECLINED, S.ACCEPTED, S.WAITLISTED, S.DELEGATED, S.REQUESTED, S.CANCELLED}
    ),
    S.DELEGATED: frozenset(
        {S.DELEGATED, S.ACCEPTED, S.WAITLISTED, S.DECLINED, S.REQUESTED, S.CANCELLED}
    ),
    S.EXPIRED: frozenset({S.ACCEPTED, S.WAITLISTED, S.DECLINED, S.REQUESTED, S.CANCELLED}),
    S.REJECTED: frozenset({S.REQUESTED, S.ACCEPTED, S.WAITLISTED, S.CANCELLED}),
    S.CANCELLED: frozenset({S.ACCEPTED, S.WAITLISTED, S.REQUESTED}),
}


class AnswerChannel(models.TextChoices):
    LINK = "link", _("Personal RSVP link")
    FORM = "form", _("Open registration form")
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter or fax")
    STAFF = "staff", _("Staff, on the guest's behalf")
    SYSTEM = "system", _("System")


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self) -> RegistrationQuerySet:
        return self.filter(status=S.ACCEPTED)

    def holding_places(self) -> RegistrationQuerySet:
        return self.filter(status__in=HOLDS_PLACE)


class Registration(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    person = models.ForeignKey(
        "crm.Person",
        verbose_name=_("guest"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    status = models.CharField(
        _("answer"), max_length=12, choices=RegistrationStatus.choices, db_index=True
    )
    invitation = models.ForeignKey(
        "outreach.Message",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    delegate_of = models.ForeignKey(
        "self",
        verbose_name=_("delegate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegates",
        help_text=_("The invitee this guest comes in place of."),
    )
    answered_by = models.ForeignKey(
        "crm.Person",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who gave the answer, when not the guest (an assistant, an invitee)."),
    )
    channel = models.CharField(
        _("answered through"), max_length=8, choices=AnswerChannel.choices, default="link"
    )
    language = models.CharField(_("language"), max_length=12, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    places = models.PositiveSmallIntegerField(
        _("places"), default=1, help_text=_("The guest and their companions.")
    )
    hold_until = models.DateTimeField(_("place held until"), null=True, blank=True)
    waitlist_priority = models.PositiveSmallIntegerField(_("waitlist priority"), default=0)
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    answer_digest = models.CharField(max_length=64, blank=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="outreach_one_rsvp_per_guest")
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="outreach_rsvp_status_idx"),
            models.Index(
                fields=["event", "-waitlist_priority", "waitlisted_at", "id"],
                condition=Q(status="waitlisted"),
                name="outreach_rsvp_waitlist_idx",
            ),
            models.Index(
                fields=["hold_until"], condition=Q(status="offered"), name="outreach_rsvp_hold_idx"
            ),
        ]
        permissions = [
            ("answer_on_behalf", _("Can record or change an answer on a guest's behalf")),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.event} ({self.get_status_display()})"

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE


# The status name used in the brief's vocabulary ("Rsvp").
Rsvp = Registration


class RegistrationChange(models.Model):
    """The history of one registration: every answer, change and staff decision."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    channel = models.CharField(_("through"), max_length=8, choices=AnswerChannel.choices)
    answered_by = models.ForeignKey(
        "crm.Person",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    mailed_at = models.DateTimeField(_("guest notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration change")
        verbose_name_plural = _("registration changes")
        ordering = ["registration", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class Companion(models.Model):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="companions",
    )
    name_native = models.CharField(_("name (native script)"), max_length=200, blank=True)
    name_latin = models.CharField(_("name (Latin letters)"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("companion")
        verbose_name_plural = _("companions")
        ordering = ["registration", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name_native or self.name_latin


class SessionChoice(models.Model):
    """A session or sub-forum (a part of the event, itself an Event with its own capacity)."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="session_choices",
    )
    session = models.ForeignKey(
        "outreach.Event",
        verbose_name=pgettext_lazy("programme", "session"),
        on_delete=models.CASCADE,
        related_name="session_choices",
    )

    class Meta:
        verbose_name = _("session choice")
        verbose_name_plural = _("session choices")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="outreach_session_chosen_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.session)


class Question(TranslatableMixin, models.Model):
    """A question staff ask the guests of one event (dietary needs, interpreter, arrival...).

    Translatable (wagtail-localize): each language has its own row sharing `translation_key`;
    answers point at the source-language row."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        CHOICE = "choice", _("One of a list")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    label = models.CharField(_("question"), max_length=255)
    help_text = models.CharField(_("help text"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    options = models.TextField(
        _("options"), blank=True, help_text=_("For 'one of a list': one option per line.")
    )
    required = models.BooleanField(_("required"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    # wagtail-localize: the wording is translated; the event, kind, requirement and order are
    # the source question's in every language (choices are matched by position).
    translatable_fields = [
        TranslatableField("label"),
        TranslatableField("help_text"),
        TranslatableField("options"),
        SynchronizedField("event", overridable=False),
        SynchronizedField("kind", overridable=False),
        SynchronizedField("required", overridable=False),
        SynchronizedField("sort_order", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("event question")
        verbose_name_plural = _("event questions")
        ordering = ["event", "sort_order", "id"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._touch_event()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._touch_event()
        return result

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def _touch_event(self) -> None:
        # A new event version: the RSVP page's per-event cache of questions is rebuilt.
        from django.utils import timezone

        event_model = self._meta.get_field("event").related_model
        event_model.objects.filter(pk=self.event_id).update(updated_at=timezone.now())


class Answer(models.Model):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="outreach_answer_once"
            )
        ]

    def __str__(self) -> str:
        return self.value


class WaitlistEntry(models.Model):
    """The waitlist view of registrations: one row per time a guest joined it, kept as history
    of offers and expiries (the current place is `Registration.status`)."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered")
        PROMOTED = "promoted", _("Got a place")
        EXPIRED = "expired", _("Offer expired")
        LEFT = "left", _("Left the waitlist")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.WAITING
    )
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    hold_until = models.DateTimeField(_("hold until"), null=True, blank=True)

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["-priority", "joined_at", "id"]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.outcome}"


class RevokedRsvpLink(models.Model):
    """An invitation whose personal RSVP link staff revoked (forwarded, sent to the wrong
    person). Links to it signed before the revocation show a friendly page and change nothing;
    when staff re-issue the link (`reissued_at`), a link signed from then on works again
    (outreach.services.rsvp_links)."""

    invitation = models.OneToOneField(
        "outreach.Message",
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="rsvp_revocation",
    )
    revoked_at = models.DateTimeField(_("revoked at"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    reissued_at = models.DateTimeField(_("new link sent at"), null=True, blank=True)
    # The re-issue whose mail went out (its reissued_at): a task run twice mails once.
    mailed_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("revoked RSVP link")
        verbose_name_plural = _("revoked RSVP links")

    def __str__(self) -> str:
        return str(self.invitation_id)
