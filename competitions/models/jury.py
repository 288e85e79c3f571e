"""The jury: judges' roles per competition, conflicts of interest, who scores what in which
round (assignments), the scores, and each entry's outcome per round."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from competitions.models.competitions import Competition, Criterion, Round, Track
from competitions.models.entries import Entry


class JudgeRole(models.Model):
    class Tier(models.TextChoices):
        PRESIDIUM = "presidium", _("presidium (主席团)")
        STANDING = "standing", _("standing judge (常务评委)")

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="judges"
    )
    person = models.ForeignKey(
        "crm.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="judge_roles",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("judge account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="judge_roles",
        help_text=_("The login the judge scores with (a member of the Judge group)."),
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    tracks = models.ManyToManyField(
        Track, verbose_name=_("tracks"), blank=True, related_name="judges"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["competition", "tier", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "person"], name="competitions_judgerole_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_tier_display()})"

    @property
    def is_presidium(self) -> bool:
        return self.tier == self.Tier.PRESIDIUM


class ConflictOfInterest(models.Model):
    class Source(models.TextChoices):
        DECLARED = "declared", _("declared by the judge")
        ORGANIZATION = "organization", _("same organization")
        PAST_AFFILIATION = "past_affiliation", _("past affiliation with the organization")
        RELATIONSHIP = "relationship", _("relationship with a team member")
        EMAIL_DOMAIN = "email_domain", _("same email domain")

    judge = models.ForeignKey(
        JudgeRole, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="conflicts"
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="conflicts"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["judge", "entry", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "entry", "source"], name="competitions_conflict_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_source_display()}"


class RoundEntry(models.Model):
    """An entry's place in a round and how it left it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("round outcome", "in the round")
        PROMOTED = "promoted", _("promoted")
        ELIMINATED = "eliminated", _("not promoted")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="entries"
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="rounds"
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("entry in a round")
        verbose_name_plural = _("entries in rounds")
        ordering = ["round", "entry"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entry"], name="competitions_roundentry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_outcome_display()}"


class Assignment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("judge assignment", "active")
        WITHDRAWN = "withdrawn", pgettext_lazy("judge assignment", "withdrawn")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="assignments"
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="assignments"
    )
    judge = models.ForeignKey(
        JudgeRole, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    comment = models.TextField(pgettext_lazy("judge", "comment"), blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round", "entry", "judge"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entry", "judge"], name="competitions_assignment_unique"
            )
        ]
        indexes = [models.Index(fields=["judge", "round", "status"])]

    def __str__(self) -> str:
        return f"{self.entry} · {self.round}"


class Score(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="competitions_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
