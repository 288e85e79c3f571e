"""Speakers and sessions: translatable snippets shown in an event's agenda.

A speaker's public profile is separate from any CRM record on purpose: it holds only what the
speaker agreed to publish (name as printed, title, affiliation, biography, photo) and never contact
data. Times, rooms' links and photos are synchronised across languages by wagtail-localize; names,
titles, biographies and session texts are translated."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from site_cms.richtext import PUBLIC_RICH_TEXT_FEATURES


class Speaker(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(
        _("name as printed"),
        max_length=200,
        help_text=_("Chinese names family name first; give the Latin form in other languages."),
    )
    honorific = models.CharField(
        pgettext_lazy("honorific such as Professor", "title"),
        max_length=120,
        blank=True,
        help_text=_("For example: Academician, Professor, H.E., Mayor, Dr."),
    )
    position = models.CharField(
        _("position and affiliation"),
        max_length=255,
        blank=True,
        help_text=_("As it may be published, e.g. President, Ningbo University."),
    )
    biography = RichTextField(_("biography"), blank=True, features=PUBLIC_RICH_TEXT_FEATURES)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("public web page"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("honorific"),
        FieldPanel("position"),
        FieldPanel("biography"),
        FieldPanel("photo"),
        FieldPanel("website"),
    ]
    override_translatable_fields = [SynchronizedField("photo", overridable=False)]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),  # the chooser searches as staff type
        index.SearchField("position"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class Session(TranslatableMixin, index.Indexed, ClusterableModel):
    """One item of an event's agenda: a keynote, panel, matchmaking round or ceremony."""

    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120, blank=True)

    panels = [
        FieldPanel("event"),
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("time")),
        FieldPanel("room"),
        InlinePanel("speakers", label=_("speakers")),
    ]
    override_translatable_fields = [
        SynchronizedField("event", overridable=False),
        SynchronizedField("starts_at", overridable=False),
        SynchronizedField("ends_at", overridable=False),
    ]
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),  # the chooser searches as staff type
        index.FilterField("event_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = pgettext_lazy("programme", "session")
        verbose_name_plural = pgettext_lazy("programme", "sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class SessionSpeaker(Orderable):
    """Links a session to a speaker. Synchronised: every translation of the session links the
    same speakers, each shown in the visitor's language when translated."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("speaker")
        KEYNOTE = "keynote", _("keynote speaker")
        MODERATOR = "moderator", _("moderator")
        PANELLIST = "panellist", _("panellist")
        JUROR = "juror", _("juror")

    session = ParentalKey(Session, on_delete=models.CASCADE, related_name="speakers")
    speaker = models.ForeignKey(
        Speaker, verbose_name=_("speaker"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.SPEAKER)

    panels = [FieldPanel("speaker"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
