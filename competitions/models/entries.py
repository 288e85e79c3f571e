"""What a team enters: the project (name and public summary in Chinese and English), its
track, its team (CRM people) and organization, and its attachments.

An entry exists from the moment the form is sent but counts only once its contact address is
confirmed (`status` unconfirmed -> submitted); the team becomes CRM people at confirmation.
The team's form data waits in `pending_team` until then."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from competitions.models.competitions import Competition, Track, in_language


class EntryStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email not confirmed yet")
    SUBMITTED = "submitted", pgettext_lazy("competition entry", "Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("competition entry", "Withdrawn")
    DISQUALIFIED = "disqualified", _("Disqualified")


class Entry(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    competition = models.ForeignKey(
        Competition,
        verbose_name=_("competition"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    number = models.PositiveIntegerField(
        _("entry number"), help_text=_("Numbered in the order entries arrive.")
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="entries"
    )
    title_zh = models.CharField(_("project name (Chinese)"), max_length=200)
    title_en = models.CharField(_("project name (English)"), max_length=200)
    summary_zh = models.TextField(_("public summary (Chinese)"), max_length=2000)
    summary_en = models.TextField(_("public summary (English)"), max_length=2000)
    organization = models.ForeignKey(
        "crm.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competition_entries",
    )
    organization_name = models.CharField(_("organization as entered"), max_length=255)
    video_url = models.URLField(_("video link"), blank=True)
    contact_email = models.EmailField(_("contact email"))
    language = models.CharField(_("language"), max_length=12, default="en")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EntryStatus.choices,
        default=EntryStatus.UNCONFIRMED,
        db_index=True,
    )
    pending_team = models.JSONField(default=list, blank=True, editable=False)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text = models.TextField(_("consent wording"), blank=True)
    prize_zh = models.CharField(_("prize (Chinese)"), max_length=120, blank=True)
    prize_en = models.CharField(_("prize (English)"), max_length=120, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["competition", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "number"], name="competitions_entry_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title_zh or self.title_en}"

    def title(self, language: str | None) -> str:
        return in_language(self, "title", language)

    def summary(self, language: str | None) -> str:
        return in_language(self, "summary", language)

    def prize(self, language: str | None) -> str:
        return in_language(self, "prize", language)


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("team lead")
        MEMBER = "member", _("team member")

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="team"
    )
    person = models.ForeignKey(
        "crm.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="competition_teams",
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["entry", "-role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "person"], name="competitions_teammember_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_role_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: what the team called the file never becomes a path or URL.
    from competitions.uploads import EXTENSIONS

    ext = EXTENSIONS.get(instance.content_type, "bin")
    return f"competitions/{instance.entry.competition_id}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("business plan")
        DECK = "deck", _("pitch deck")
        OTHER = "other", _("other document")

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(pgettext_lazy("uploaded file", "content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["entry", "kind", "pk"]

    def __str__(self) -> str:
        return self.original_name
