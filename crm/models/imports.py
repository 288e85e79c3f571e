"""Contact imports: one row per uploaded file, its problems (row, column, value, reason code), what
it changed (for undo), remembered column mappings, and external ids of imported people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import LegalBasis
from .people import Person


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    ANALYSING = "analysing", _("Dry run in progress")
    ANALYSED = "analysed", _("Dry run done")
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    UNDONE = "undone", _("Undone")


# The one transition table: crm.services.imports.transition() checks it.
IMPORT_TRANSITIONS = {
    ImportStatus.UPLOADED: {ImportStatus.ANALYSING, ImportStatus.QUEUED, ImportStatus.FAILED},
    ImportStatus.ANALYSING: {ImportStatus.ANALYSED, ImportStatus.FAILED},
    # Back to UPLOADED when staff choose another sheet of the workbook after a dry run.
    ImportStatus.ANALYSED: {ImportStatus.ANALYSING, ImportStatus.QUEUED, ImportStatus.UPLOADED},
    ImportStatus.QUEUED: {ImportStatus.RUNNING, ImportStatus.FAILED},
    ImportStatus.RUNNING: {ImportStatus.DONE, ImportStatus.FAILED},
    ImportStatus.FAILED: {ImportStatus.ANALYSING},
    ImportStatus.DONE: {ImportStatus.UNDONE},
    ImportStatus.UNDONE: set(),
}


class ImportMode(models.TextChoices):
    CREATE = "create", _("Create new people; add new emails, phones and tags to matches")
    UPDATE = "update", _("Create new people; update matches with the file's values")
    FILL = "fill", _("Create new people; fill only blank fields of matches")
    SKIP = "skip", _("Create new people; leave matches untouched")


class ImportPolicy(models.TextChoices):
    STRICT = "strict", _("Strict: reject a row with any invalid field")
    LENIENT = "lenient", _("Lenient: drop invalid fields, keep the row if it is still usable")


COUNT_FIELDS = ("created", "updated", "unchanged", "merged", "skipped_blank", "rejected")


class ContactImport(models.Model):
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    encoding_override = models.CharField(
        _("encoding (chosen)"),
        max_length=30,
        blank=True,
        help_text=_("Leave empty to detect it."),
    )
    delimiter = models.CharField(max_length=1, blank=True, default=",")
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=list, blank=True)
    # A workbook's sheets, and the one read ("" the first; "*" every sheet, rows named with
    # their sheet: see row_reference).
    sheets = models.JSONField(_("sheets"), default=list, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    policy = models.CharField(
        _("policy"), max_length=10, choices=ImportPolicy.choices, default=ImportPolicy.STRICT
    )
    mode = models.CharField(
        _("mode"), max_length=10, choices=ImportMode.choices, default=ImportMode.CREATE
    )
    default_region = models.CharField(
        _("default phone region"),
        max_length=2,
        blank=True,
        default="CN",
        help_text=_("Country whose national phone formats are assumed (ISO code, e.g. CN)."),
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        help_text=_("Where the contacts come from, e.g. “Business cards, Hamburg roadshow 2025”."),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=30,
        choices=LegalBasis.choices,
        default=LegalBasis.LEGITIMATE_INTEREST,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    analysis = models.JSONField(_("dry run counts"), default=dict, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    merged = models.PositiveIntegerField(default=0)
    skipped_blank = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Checkpoint: every source row before this one has been applied (in the same transaction).
    next_row = models.PositiveIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    file_size = models.BigIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")
        ordering = ["-created_at", "-id"]
        permissions = [("undo_contactimport", _("Can undo a contact import"))]

    def __str__(self) -> str:
        return f"{self.original_name} (#{self.pk})"

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNT_FIELDS}

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.DONE, ImportStatus.UNDONE):
            return 100
        if not self.file_size:
            return 0
        return min(99, int(100 * self.bytes_done / self.file_size))

    @property
    def reads_every_sheet(self) -> bool:
        return self.sheet == "*"

    def row_reference(self, number: int) -> tuple[str, int]:
        """(sheet name, row in the sheet) of a row number; the sheet is "" unless every sheet
        of a workbook is imported (crm.contact_files numbers rows n * SHEET_ROWS + row)."""
        if not self.reads_every_sheet:
            return "", number
        from crm.contact_files import sheet_and_row

        index, row = sheet_and_row(number)
        return (self.sheets[index] if index < len(self.sheets) else str(index + 1)), row


class ImportIssue(models.Model):
    """A problem found in one row: rejected rows carry the raw row for the download."""

    contact_import = models.ForeignKey(
        ContactImport, on_delete=models.CASCADE, related_name="issues"
    )
    row_number = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=255, blank=True)
    value = models.TextField(_("value"), blank=True)
    code = models.CharField(_("reason"), max_length=40)
    message = models.TextField(_("message"), blank=True)
    rejected = models.BooleanField(_("row rejected"), default=True)
    raw = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["contact_import", "row_number"], name="crm_issue_row_idx")]

    def __str__(self) -> str:
        return f"{self.row_number}: {self.code}"

    @property
    def row_label(self) -> str:
        """The row as staff find it: "12", or "Sheet2 · 12" when every sheet is imported."""
        sheet, row = self.contact_import.row_reference(self.row_number)
        return f"{sheet} · {row}" if sheet else str(row)


class ImportChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")


class ImportChange(models.Model):
    """What an import did to one person: enough to undo it. `before` holds the values it
    replaced; `after_updated_at` tells whether someone edited the person since."""

    contact_import = models.ForeignKey(
        ContactImport, on_delete=models.CASCADE, related_name="changes"
    )
    person = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="import_changes"
    )
    kind = models.CharField(max_length=10, choices=ImportChangeKind.choices)
    row_number = models.PositiveIntegerField()
    # Field values the import replaced, and what it added (emails, phones, tags, organizations,
    # external ids) to a person it did not create.
    before = models.JSONField(default=dict, blank=True)
    added = models.JSONField(default=dict, blank=True)
    after_updated_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact_import", "person"], name="crm_one_change_per_person_import"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.person_id}"


class ImportMapping(models.Model):
    """A column mapping staff confirmed, offered again for a file with the same headers."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    signature = models.TextField(db_index=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name


class PersonExternalId(models.Model):
    """An id the person has in another system (an import's "ID"/"UID" column): re-importing the
    same source matches on it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="external_ids")
    value = models.CharField(_("external id"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("external id")
        verbose_name_plural = _("external ids")

    def __str__(self) -> str:
        return self.value
