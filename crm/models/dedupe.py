"""Duplicates: the matching keys of every person, the review queue, and merge records."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PersonMatchKey(models.Model):
    """One key a person can be found under by duplicate detection, maintained by the person
    services (crm.services.dedupe.refresh_match_keys). `key` is "<kind>:<value>":

    e:  email identity             m:  mobile number (E.164)     t: other phone (E.164)
    x:  external id (imports)      n:  name key (crm.names)      h: Han name (simplified)
    nc: name | city     no: name | organization id     fc: family name | city
    fo: family name | organization id"""

    person = models.ForeignKey(
        "crm.Person", on_delete=models.CASCADE, related_name="match_keys", db_index=False
    )
    key = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("matching key")
        verbose_name_plural = _("matching keys")
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="crm_unique_match_key")
        ]
        indexes = [models.Index(fields=["key", "person"], name="crm_matchkey_key_idx")]

    def __str__(self) -> str:
        return self.key


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")


class DuplicateCandidate(models.Model):
    """A pair of people who may be one: in the review queue while open; a "not a duplicate"
    decision is kept so the pair is never proposed again. `first` has the lower id."""

    first = models.ForeignKey(
        "crm.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        "crm.Person",
        verbose_name=_("possible duplicate"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="crm_unique_duplicate_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="crm_duplicate_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(
                fields=["-score", "id"],
                condition=Q(status="open"),
                name="crm_duplicate_open_idx",
            ),
            models.Index(fields=["second"], name="crm_duplicate_second_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score})"


class PersonMerge(models.Model):
    """What a merge moved, so that it can be undone: `dropped` is the merged-away person as it
    was (fields and many-to-many ids), `moved` the ids of the rows re-pointed to `kept` and the
    fields of `kept` that changed, by app ("crm", and whatever receivers of people_merged add)."""

    kept = models.ForeignKey(
        "crm.Person", verbose_name=_("kept person"), on_delete=models.CASCADE, related_name="+"
    )
    dropped_id = models.PositiveIntegerField(_("merged-away person id"))
    dropped = models.JSONField(_("merged-away person"), default=dict)
    moved = models.JSONField(_("moved records"), default=dict)
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.dropped_id} -> #{self.kept_id}"
