"""A competition (大赛): an event of kind competition with tracks, rounds and a rubric.

Text the public or the jury reads is held in Chinese and English (`*_zh`, `*_en`); `in_language`
picks one for a language code and falls back to the other."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def in_language(obj, field: str, language: str | None) -> str:
    """`obj.<field>_zh` for a Chinese language code, `obj.<field>_en` otherwise; either one
    when the other is empty."""
    chinese = (language or "").lower().startswith("zh")
    first, second = ("zh", "en") if chinese else ("en", "zh")
    return getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "")


class Competition(models.Model):
    event = models.OneToOneField(
        "outreach.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="competition",
        limit_choices_to={"kind": "competition"},
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255)
    call_zh = models.TextField(_("call for entries (Chinese)"), blank=True)
    call_en = models.TextField(_("call for entries (English)"), blank=True)
    entry_deadline = models.DateTimeField(
        _("entry deadline"), help_text=_("Teams may enter and edit their entry until then.")
    )
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"), default=3, help_text=_("Each entry is scored by at least this many.")
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=10, help_text=_("Scores run from 0 to this value.")
    )
    normalise_after = models.PositiveSmallIntegerField(
        _("normalise after"),
        default=5,
        help_text=_("A judge's scores are normalised once they have scored this many entries."),
    )
    max_attachment_mb = models.PositiveSmallIntegerField(_("largest attachment (MB)"), default=20)
    results_approved_at = models.DateTimeField(_("results approved"), null=True, blank=True)
    results_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("results approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-entry_deadline", "pk"]
        permissions = [("judge_entries", _("Can judge competition entries"))]

    def __str__(self) -> str:
        return self.title_zh or self.title_en

    def clean(self) -> None:
        if self.event_id and self.event.kind != "competition":
            raise ValidationError(
                {"event": _("Choose an event of kind competition.")}, code="not_a_competition"
            )

    def title(self, language: str | None) -> str:
        return in_language(self, "title", language)

    def accepts_entries(self, now=None) -> bool:
        return (now or timezone.now()) < self.entry_deadline

    @property
    def results_published(self) -> bool:
        return self.results_approved_at is not None


class Track(models.Model):
    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="tracks"
    )
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["competition", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "code"], name="competitions_track_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name_zh or self.name_en

    def label(self, language: str | None) -> str:
        return in_language(self, "name", language)


class Round(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", _("online review")
        LIVE = "live", _("live pitch and defence")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("competition round", "planned")
        OPEN = "open", pgettext_lazy("competition round", "open for scoring")
        CLOSED = "closed", pgettext_lazy("competition round", "closed")

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round number"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.ONLINE)
    event = models.ForeignKey(
        "outreach.Event",
        verbose_name=_("live event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competition_rounds",
        help_text=_("For a live round: the event (venue, guests, check-in) of the pitch."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    promote_count = models.PositiveSmallIntegerField(
        _("promoted per track"),
        default=0,
        help_text=_("How many entries of each track go on to the next round (0: the last round)."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLANNED
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("competition round")
        verbose_name_plural = _("competition rounds")
        ordering = ["competition", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "number"], name="competitions_round_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="competitions_round_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh or self.name_en

    def label(self, language: str | None) -> str:
        return in_language(self, "name", language)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def next_round(self) -> Round | None:
        return self.competition.rounds.filter(number__gt=self.number).order_by("number").first()


class Criterion(models.Model):
    """One line of the rubric the presidium sets: a criterion, its weight and what each score
    level means (anchors), in the jury's languages."""

    competition = models.ForeignKey(
        Competition,
        verbose_name=_("competition"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("Relative weight in the total score.")
    )
    anchors = models.JSONField(
        _("score anchors"),
        default=list,
        blank=True,
        help_text=_(
            'What a score level means, per language: [{"score": 9, "zh": "…", "en": "…"}, …].'
        ),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["competition", "order", "pk"]

    def __str__(self) -> str:
        return self.name_zh or self.name_en

    def label(self, language: str | None) -> str:
        return in_language(self, "name", language)

    def clean(self) -> None:
        if not isinstance(self.anchors, list) or any(
            not isinstance(a, dict) or not isinstance(a.get("score"), int) for a in self.anchors
        ):
            raise ValidationError(
                {"anchors": _('Write a list of {"score": <whole number>, "zh": …, "en": …}.')},
                code="invalid_anchors",
            )

    def anchors_in(self, language: str | None) -> list[tuple[int, str]]:
        key = "zh" if (language or "").lower().startswith("zh") else "en"
        other = "en" if key == "zh" else "zh"
        return sorted(
            (a["score"], a.get(key) or a.get(other) or "")
            for a in self.anchors
            if isinstance(a, dict) and isinstance(a.get("score"), int)
        )
