"""Events: the operational facts of a forum, expo, competition or roadshow stop.

An `Event` holds what is true in every language — when, where, what kind, whether guests may
register. The public site's event page (site_cms) holds the translatable text and presents these
facts; campaigns (outreach) invite people to an event; RSVP, capacity and check-in hang off it.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


def validate_time_zone(value: str) -> None:
    """An IANA time zone name such as "Asia/Shanghai" or "Europe/Berlin"."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not an IANA time zone name (such as Asia/Shanghai)."),
            params={"value": value},
            code="invalid_time_zone",
        ) from exc


class EventQuerySet(models.QuerySet):
    def upcoming(self, now: datetime | None = None) -> EventQuerySet:
        from django.utils import timezone

        return self.filter(ends_at__gte=now or timezone.now()).exclude(
            status=Event.Status.CANCELLED
        )

    def public(self) -> EventQuerySet:
        return self.exclude(status=Event.Status.PLANNED)


class Event(ClusterableModel):
    class Kind(models.TextChoices):
        UMBRELLA = "umbrella", _("conference + expo + competition")
        FORUM = "forum", _("forum")
        SUB_FORUM = "sub_forum", _("sub-forum")
        CONFERENCE = "conference", _("conference")
        EXPO = "expo", _("expo")
        COMPETITION = "competition", _("competition")
        ROADSHOW = "roadshow", _("roadshow")
        ROADSHOW_STOP = "roadshow_stop", _("roadshow stop")
        MATCHMAKING = "matchmaking", _("matchmaking session")
        SIGNING_CEREMONY = "signing_ceremony", _("signing ceremony")
        OTHER = "other", _("other event")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned (not public)")
        ANNOUNCED = "announced", _("announced")
        POSTPONED = "postponed", _("postponed")
        CANCELLED = "cancelled", _("cancelled")
        FINISHED = "finished", _("finished")

    name = models.CharField(
        _("working name"),
        max_length=255,
        help_text=_("The name staff use; each language's public title is on the event page."),
    )
    code = models.SlugField(
        _("code"),
        max_length=80,
        unique=True,
        help_text=_("A short stable identifier, e.g. wsmf-2027; used in calendar files."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text=_("The umbrella event, main forum or roadshow this is a part or stop of."),
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Shanghai",
        validators=[validate_time_zone],
        help_text=_("Where the event happens, as an IANA name (Asia/Shanghai, Europe/Berlin)."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True, db_index=True)
    country = CountryField(_("country"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    online_url = models.URLField(
        _("online venue"),
        blank=True,
        help_text=_("Live stream or online exhibition hall, for online + offline events."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    registration_open = models.BooleanField(
        _("registration open"),
        default=False,
        help_text=_("Guests may register or answer invitations now."),
    )
    registration_url = models.URLField(
        _("external registration page"),
        blank=True,
        help_text=_("Leave empty to use Liaison's own registration."),
    )
    sectors = models.ManyToManyField(
        "crm.Sector",
        verbose_name=_("sectors"),
        blank=True,
        related_name="events",
        help_text=_("What the event is about; a roadshow stop's suggested audience matches them."),
    )
    # --- answers and capacity (see outreach.models.registrations) ------------------------
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Places for guests and their companions; empty means no limit."),
    )
    companion_allowance = models.PositiveSmallIntegerField(_("companions per guest"), default=0)
    rsvp_deadline = models.DateTimeField(
        _("answer deadline"),
        null=True,
        blank=True,
        help_text=_("Guests may answer or change their answer until then (default: the start)."),
    )
    invitation_only = models.BooleanField(
        _("by invitation only"),
        default=True,
        help_text=_("Delegates and answers from a forwarded link are requests that staff approve."),
    )
    registration_needs_approval = models.BooleanField(
        _("open registrations need approval"), default=False
    )
    waitlist_hold_hours = models.PositiveSmallIntegerField(
        _("hours a freed place is held"),
        default=48,
        help_text=_(
            "When a place frees up, the next guest on the waitlist has this long to take it."
        ),
    )
    calendar_sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Raised when the time or venue changes; guests' calendars get an update."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="outreach_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # --- derived facts ---------------------------------------------------------------------
    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        """Start in the event's own time zone (what the programme says)."""
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def accepts_registrations(self) -> bool:
        return self.registration_open and self.status == self.Status.ANNOUNCED

    @property
    def answer_deadline(self) -> datetime:
        return self.rsvp_deadline or self.starts_at

    def map_url(self) -> str:
        """A link to the venue on OpenStreetMap (no API key, no tracking script)."""
        from urllib.parse import quote_plus

        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=16/{self.latitude}/{self.longitude}"
            )
        query = ", ".join(
            part for part in (self.venue, self.address, self.city, self.country.name) if part
        )
        if not query:
            return ""
        return f"https://www.openstreetmap.org/search?query={quote_plus(query)}"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors.setdefault("ends_at", []).append(_("The event cannot end before it starts."))
        if self.parent_id and self.pk and self._is_ancestor_of_parent():
            errors.setdefault("parent", []).append(
                _("An event cannot be part of itself or of one of its own parts.")
            )
        if (
            self.kind == self.Kind.ROADSHOW_STOP
            and self.parent_id
            and self.parent.kind != self.Kind.ROADSHOW
        ):
            errors.setdefault("parent", []).append(_("A roadshow stop belongs to a roadshow."))
        if self.kind == self.Kind.SUB_FORUM and not self.parent_id:
            errors.setdefault("parent", []).append(_("A sub-forum is part of a forum."))
        if errors:
            raise ValidationError(errors)

    def _is_ancestor_of_parent(self) -> bool:
        seen: set[int] = set()
        node = self.parent
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False


def _official_languages_of(country) -> set[str]:
    """A country's official languages (CLDR via Babel): {"de"} for DE, {"nl", "fr", "de"} for BE."""
    from babel.languages import get_official_languages

    code = str(country or "")
    if not code:
        return set()
    return {language.split("_")[0] for language in get_official_languages(code, de_facto=True)}


class EventOrganizer(models.Model):
    """An organization from the CRM in a named role at an event (主办, 承办, 协办 ...).

    Listed on the public event page grouped by role, in the order of `Role` (guiding unit first)
    and then `sort_order`; the logo is the public one chosen for the event."""

    class Role(models.TextChoices):
        GUIDING_UNIT = "guiding_unit", _("guiding unit")
        HOST = "host", _("host")
        ORGANIZER = "organizer", _("organizer")
        CO_ORGANIZER = "co_organizer", _("co-organizer")
        SUPPORTER = "supporter", _("supporting organization")
        MEDIA_PARTNER = "media_partner", _("media partner")
        LOCAL_PARTNER = "local_partner", _("local partner")

    event = ParentalKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="organizers"
    )
    organization = models.ForeignKey(
        "crm.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="event_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    sort_order = models.PositiveIntegerField(_("order within the role"), default=0)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name_override = models.CharField(
        _("name as printed"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to print the organization's name from the CRM."),
    )

    class Meta:
        verbose_name = _("event organizer")
        verbose_name_plural = _("event organizers")
        ordering = ["event", "role", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "role"], name="outreach_event_organizer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()}) @ {self.event}"

    def public_name(self, language: str = "") -> str:
        """The name to print for a reader of `language`: Chinese readers get the Chinese name,
        everyone else the English one, each falling back to the official name."""
        if self.name_override:
            return self.name_override
        from django.utils import translation

        language = language or translation.get_language() or ""
        org = self.organization
        if language.startswith("zh"):
            return org.name_zh or org.name
        if language.split("-")[0] in _official_languages_of(org.country):
            return org.name  # Handelskammer Hamburg to a German reader, 東京大学 to a Japanese
        return org.name_en or org.name
