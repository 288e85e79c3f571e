"""Contact import: upload -> column mapping -> dry run -> real run (a Celery job) -> undo.

The run streams the file in chunks of IMPORT_CHUNK_ROWS rows. Each chunk is one transaction that
writes its people (with their emails, phones, tags, affiliations, external ids and the undo
record) *and* the checkpoint (`next_row`) and counts: a worker that dies loses at most the chunk
in flight, which was never committed, so no person is ever half-written and the job resumes where
the last commit left it (`resume_stalled_imports`, run by beat). Rows match existing people by
email identity, mobile number (E.164) or external id, so running a row twice changes nothing.

A shared office/switchboard number (any phone that is not a mobile) and a shared name never match
on their own. Weaker likely duplicates are handed to `queue_likely_duplicates()` (the seam where
the duplicate review queue takes over). An import never sets or changes consent, do-not-contact
or restricted, and never re-adds a person whose address is erased or suppressed: other apps
answer through the Wagtail hook "crm_import_blocked_email_digests" (a function taking a list of
crm.identity.email_digest() values and returning those that must not come back).

The dry run runs the same code in one transaction that is rolled back, so its counts are exactly
what the real run will do (as long as nobody changes the CRM in between).
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail import hooks
from wagtail.log_actions import log

from crm import access, contact_files, contact_rows, copy_rows
from crm.contact_files import FileInfo, FileProblem, SourceRow
from crm.contact_rows import Candidate, Issue
from crm.identity import email_digest
from crm.models import (
    Affiliation,
    ContactImport,
    ImportChange,
    ImportChangeKind,
    ImportIssue,
    ImportMapping,
    ImportMode,
    ImportStatus,
    Organization,
    Person,
    PersonEmail,
    PersonExternalId,
    PersonMatchKey,
    PersonPhone,
    TaggedPerson,
)
from crm.models.choices import NameOrder, PhoneKind
from crm.models.imports import COUNT_FIELDS, IMPORT_TRANSITIONS
from crm.models.people import (
    is_japanese_person,
    name_forms_of,
    name_search_forms,
    search_text_of,
)
from crm.names import is_cjk
from crm.services import dedupe

logger = logging.getLogger(__name__)

BLOCKED_DIGESTS_HOOK = "crm_import_blocked_email_digests"
# The person fields an import may write. Consent, do-not-contact, restricted, owner and VIP level
# are never among them.
IMPORTED_FIELDS = (
    "family_name",
    "given_name",
    "name_order",
    "full_name_native",
    "name_chinese",
    "name_latin",
    "honorific",
    "job_title",
    "preferred_language",
    "country",
    "city",
    "notes",
)
MAX_DRY_RUN_ISSUES = 100_000


class ImportError_(Exception):  # noqa: N801, N818 (a stable code for the API, like Saleor's)
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def chunk_rows() -> int:
    return int(getattr(settings, "IMPORT_CHUNK_ROWS", 1000))


def _progress_key(import_id: int) -> str:
    return f"crm:import:{import_id}:progress"


# --- state machine ------------------------------------------------------------------------------


def transition(
    contact_import: ContactImport, to: str, *, acting_user=None, **values: Any
) -> ContactImport:
    """Lock the import, check the transition table, save and log the change."""
    with transaction.atomic():
        locked = ContactImport.objects.select_for_update().get(pk=contact_import.pk)
        if to not in IMPORT_TRANSITIONS[ImportStatus(locked.status)]:
            raise ImportError_(
                "invalid_state",
                _("An import that is “%(status)s” cannot become “%(to)s”.")
                % {"status": locked.get_status_display(), "to": ImportStatus(to).label},
            )
        before = locked.status
        locked.status = to
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save()
        log(
            locked,
            "crm.import_status",
            user=acting_user,
            data={"from": before, "to": to},
        )
    contact_import.refresh_from_db()
    return contact_import


# --- upload and mapping -------------------------------------------------------------------------


def file_source(contact_import: ContactImport) -> contact_files.Source:
    """The upload, opened through Django's storage API (a local disk, or S3 via
    django-storages) each time it is read."""
    storage, name = contact_import.file.storage, contact_import.file.name
    return lambda: storage.open(name, "rb")


def inspect(contact_import: ContactImport) -> FileInfo:
    return contact_files.inspect_file(
        file_source(contact_import),
        encoding=contact_import.encoding_override,
        file_format=contact_import.file_format if contact_import.headers else "",
        name=contact_import.original_name,
        sheet=contact_import.sheet,
    )


def remembered_mapping(headers: list[str], name: str = "") -> list[str] | None:
    query = ImportMapping.objects.all()
    query = query.filter(name=name) if name else query.filter(signature=headers_signature(headers))
    found = query.order_by("-updated_at").first()
    if found and len(found.mapping) == len(headers):
        return list(found.mapping)
    if name:
        raise ImportError_(
            "unknown_mapping",
            _("No saved mapping named “%(name)s” fits this file.") % {"name": name},
        )
    return None


def headers_signature(headers: list[str]) -> str:
    return contact_rows.headers_signature(headers)


@transaction.atomic
def create_import(
    uploaded,
    *,
    acting_user,
    source: str,
    legal_basis: str = "legitimate_interest",
    policy: str = "strict",
    mode: str = "create",
    default_region: str = "CN",
    encoding: str = "",
    mapping_name: str = "",
    name: str = "",
    sheet: str = "",
) -> ContactImport:
    """Store an uploaded file (a Django File) and read its format, encoding and headers. A file
    that cannot be read is kept as FAILED with the reason (never an exception to the caller)."""
    contact_import = ContactImport(
        original_name=(name or os.path.basename(getattr(uploaded, "name", "") or "upload"))[:255],
        source=source,
        legal_basis=legal_basis,
        policy=policy,
        mode=mode,
        default_region=(default_region or "").upper()[:2],
        encoding_override=encoding,
        sheet=sheet[:100],
        created_by=acting_user,
    )
    contact_import.file.save(contact_import.original_name, uploaded, save=False)
    contact_import.file_size = contact_import.file.size
    contact_import.save()
    log(contact_import, "wagtail.create", user=acting_user)
    _read_headers(contact_import, mapping_name=mapping_name)
    return contact_import


def _read_headers(contact_import: ContactImport, *, mapping_name: str = "") -> None:
    try:
        info = contact_files.inspect_file(
            file_source(contact_import),
            encoding=contact_import.encoding_override,
            name=contact_import.original_name,
            sheet=contact_import.sheet,
        )
    except FileProblem as problem:
        contact_import.status = ImportStatus.FAILED
        contact_import.error_code = problem.code
        contact_import.error_message = problem.message
        contact_import.save()
        return
    contact_import.file_format = info.format
    contact_import.encoding = info.encoding
    contact_import.delimiter = info.delimiter
    contact_import.headers = info.headers
    contact_import.sheets = info.sheets
    contact_import.mapping = remembered_mapping(
        info.headers, mapping_name
    ) or contact_rows.guess_mapping(info.headers)
    contact_import.error_code = contact_import.error_message = ""
    if contact_import.status == ImportStatus.FAILED:
        contact_import.status = ImportStatus.UPLOADED
    contact_import.save()


def change_encoding(contact_import: ContactImport, encoding: str, *, acting_user=None) -> None:
    """Staff override the detected encoding: the headers are read again."""
    if contact_import.status not in (
        ImportStatus.UPLOADED,
        ImportStatus.ANALYSED,
        ImportStatus.FAILED,
    ):
        raise ImportError_("invalid_state", _("The import has already started."))
    contact_import.encoding_override = encoding
    contact_import.save(update_fields=["encoding_override"])
    _read_headers(contact_import)


def choose_sheet(contact_import: ContactImport, sheet: str, *, acting_user=None) -> None:
    """Staff choose the workbook's sheet to import (a name, or contact_files.ALL_SHEETS for
    every sheet): the headers are read again from it, and the mapping guessed or remembered."""
    if contact_import.status not in (
        ImportStatus.UPLOADED,
        ImportStatus.ANALYSED,
        ImportStatus.FAILED,
    ):
        raise ImportError_("invalid_state", _("The import has already started."))
    if sheet and sheet != contact_files.ALL_SHEETS and sheet not in contact_import.sheets:
        raise ImportError_(
            "unknown_sheet",
            _("The workbook has no sheet named “%(value)s”.") % {"value": sheet},
        )
    contact_import.sheet = sheet
    contact_import.analysis = {}
    contact_import.save(update_fields=["sheet", "analysis"])
    if contact_import.status == ImportStatus.ANALYSED:
        transition(contact_import, ImportStatus.UPLOADED, acting_user=acting_user)
    log(contact_import, "crm.import_sheet", user=acting_user, data={"sheet": sheet})
    _read_headers(contact_import)


def set_mapping(
    contact_import: ContactImport, mapping: list[str], *, acting_user=None, remember_as: str = ""
) -> ContactImport:
    """Confirm the column mapping; it is remembered for the next file with the same headers."""
    if contact_import.status not in (ImportStatus.UPLOADED, ImportStatus.ANALYSED):
        raise ImportError_("invalid_state", _("The import has already started."))
    if len(mapping) != len(contact_import.headers):
        raise ImportError_(
            "invalid_mapping",
            _("The mapping names %(given)s columns; the file has %(count)s.")
            % {"given": len(mapping), "count": len(contact_import.headers)},
        )
    unknown = [m for m in mapping if m not in contact_rows.TARGETS]
    if unknown:
        raise ImportError_(
            "invalid_mapping", _("Unknown field: %(value)s") % {"value": ", ".join(unknown)}
        )
    contact_import.mapping = list(mapping)
    contact_import.save(update_fields=["mapping"])
    name = remember_as or f"{contact_import.original_name} #{contact_import.pk}"
    ImportMapping.objects.update_or_create(
        name=name[:100],
        defaults={
            "signature": headers_signature(contact_import.headers),
            "headers": contact_import.headers,
            "mapping": list(mapping),
        },
    )
    log(contact_import, "crm.import_mapping", user=acting_user, data={"mapping": mapping})
    return contact_import


# --- jobs ---------------------------------------------------------------------------------------


def start_dry_run(contact_import: ContactImport, *, acting_user=None) -> ContactImport:
    from crm import tasks

    transition(contact_import, ImportStatus.ANALYSING, acting_user=acting_user, analysis={})
    cache.delete(_progress_key(contact_import.pk))
    transaction.on_commit(lambda: tasks.analyse_contact_import.delay(contact_import.pk))
    return contact_import


def start_import(contact_import: ContactImport, *, acting_user=None) -> ContactImport:
    from crm import tasks

    transition(contact_import, ImportStatus.QUEUED, acting_user=acting_user)
    cache.delete(_progress_key(contact_import.pk))
    transaction.on_commit(lambda: tasks.run_contact_import.delay(contact_import.pk))
    return contact_import


def progress(contact_import: ContactImport) -> dict[str, Any]:
    """What the progress bar polls: status, percent, rows so far, counts."""
    live = cache.get(_progress_key(contact_import.pk)) or {}
    running = contact_import.status in (ImportStatus.ANALYSING, ImportStatus.RUNNING)
    counts = (
        contact_import.analysis.get("counts")
        if contact_import.status
        in (
            ImportStatus.ANALYSING,
            ImportStatus.ANALYSED,
        )
        else contact_import.counts
    )
    if running and live.get("counts"):
        counts = live["counts"]
    percent = contact_import.percent
    if contact_import.status == ImportStatus.ANALYSED:
        percent = 100
    elif running and live.get("bytes") and contact_import.file_size:
        percent = min(99, int(100 * live["bytes"] / contact_import.file_size))
    return {
        "id": contact_import.pk,
        "status": contact_import.status,
        "status_label": str(contact_import.get_status_display()),
        "percent": percent,
        "rows": live.get("rows", contact_import.next_row) if running else None,
        "counts": counts or {},
        "error_code": contact_import.error_code,
        "error": contact_import.error_message,
    }


@dataclass
class _Tally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_FIELDS, 0))
    issues: list[ImportIssue] = field(default_factory=list)


def analyse(import_id: int) -> None:
    """The dry run (task body): everything the real run does, rolled back."""
    contact_import = ContactImport.objects.get(pk=import_id)
    if contact_import.status != ImportStatus.ANALYSING:
        return
    tally = _Tally()
    try:
        with transaction.atomic():
            importer = _Importer(contact_import, dry_run=True)
            for chunk in importer.chunks(start_row=0):
                importer.apply_chunk(chunk, tally)
                importer.report_progress(tally)
            transaction.set_rollback(True)
        if not importer.rows_seen:
            raise FileProblem(
                "no_rows", _("The file holds no contacts: it has a header but no rows.")
            )
    except FileProblem as problem:
        transition(
            contact_import,
            ImportStatus.FAILED,
            error_code=problem.code,
            error_message=problem.message,
        )
        return
    except Exception:
        logger.exception("dry run of contact import %s failed", import_id)
        transition(
            contact_import,
            ImportStatus.FAILED,
            error_code="internal_error",
            error_message=_("The dry run stopped on an unexpected error; the team was told."),
        )
        return
    with transaction.atomic():
        contact_import.issues.all().delete()
        ImportIssue.objects.bulk_create(tally.issues[:MAX_DRY_RUN_ISSUES], batch_size=2000)
        transition(
            contact_import,
            ImportStatus.ANALYSED,
            analysis={"counts": tally.counts, "finished_at": timezone.now().isoformat()},
        )


def run(import_id: int) -> None:
    """The real run (task body). Safe to run twice and to resume: it takes over an import that
    is queued, or running with no heartbeat for IMPORT_STALL_SECONDS, and starts after the last
    committed chunk."""
    stall = int(getattr(settings, "IMPORT_STALL_SECONDS", 120))
    with transaction.atomic():
        contact_import = ContactImport.objects.select_for_update().get(pk=import_id)
        now = timezone.now()
        if contact_import.status == ImportStatus.QUEUED:
            transition(contact_import, ImportStatus.RUNNING, started_at=now, heartbeat_at=now)
            contact_import.issues.all().delete()
        elif contact_import.status == ImportStatus.RUNNING and (
            contact_import.heartbeat_at is None
            or (now - contact_import.heartbeat_at).total_seconds() >= stall
        ):
            ContactImport.objects.filter(pk=import_id).update(heartbeat_at=now)
            log(contact_import, "crm.import_resumed", data={"from_row": contact_import.next_row})
        else:
            return
    contact_import.refresh_from_db()
    importer = _Importer(contact_import, dry_run=False)
    pause = float(getattr(settings, "IMPORT_CHUNK_PAUSE", 0))
    try:
        for chunk in importer.chunks(start_row=contact_import.next_row):
            _commit_chunk(importer, chunk)
            if pause:
                time.sleep(pause)
    except FileProblem as problem:
        transition(
            contact_import,
            ImportStatus.FAILED,
            error_code=problem.code,
            error_message=problem.message,
        )
        return
    contact_import.refresh_from_db()
    transition(
        contact_import,
        ImportStatus.DONE,
        finished_at=timezone.now(),
        bytes_done=contact_import.file_size,
    )
    log(
        contact_import,
        "crm.import_finished",
        user=contact_import.created_by,
        data=contact_import.counts,
    )


def _commit_chunk(importer: _Importer, chunk: list[SourceRow]) -> None:
    for attempt in range(2):
        try:
            with transaction.atomic():
                tally = _Tally()
                importer.apply_chunk(chunk, tally)
                ImportIssue.objects.bulk_create(tally.issues, batch_size=2000)
                ContactImport.objects.filter(pk=importer.contact_import.pk).update(
                    next_row=chunk[-1].number + 1,
                    bytes_done=importer.bytes_read,
                    heartbeat_at=timezone.now(),
                    **{name: F(name) + value for name, value in tally.counts.items()},
                )
            importer.report_progress(None)
            return
        except IntegrityError:
            # Another import or an editor added the same address meanwhile: look again.
            importer.forget_caches()
            if attempt:
                raise


def resume_stalled_imports() -> int:
    """Beat: hand out again the imports whose worker died (no heartbeat for
    IMPORT_STALL_SECONDS) and those queued but never picked up."""
    from crm import tasks

    stall = int(getattr(settings, "IMPORT_STALL_SECONDS", 120))
    cutoff = timezone.now() - timezone.timedelta(seconds=stall)
    ids = list(
        ContactImport.objects.filter(
            status=ImportStatus.RUNNING, heartbeat_at__lt=cutoff
        ).values_list("pk", flat=True)
    ) + list(
        ContactImport.objects.filter(status=ImportStatus.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        tasks.run_contact_import.delay(pk)
    return len(ids)


# --- the importer -------------------------------------------------------------------------------


@dataclass
class _Plan:
    candidate: Candidate
    person: Person | None = None  # the existing person it updates
    person_id: int | None = None  # the new person, once created
    new: bool = False
    merged_into: _Plan | None = None
    emails: list[tuple[str, str]] = field(default_factory=list)
    phones: list = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    changed_fields: dict[str, Any] = field(default_factory=dict)


class _Importer:
    def __init__(self, contact_import: ContactImport, *, dry_run: bool):
        self.contact_import = contact_import
        self.dry_run = dry_run
        self.info = FileInfo(
            format=contact_import.file_format,
            encoding=contact_import.encoding,
            delimiter=contact_import.delimiter or ",",
            headers=list(contact_import.headers),
            size=contact_import.file_size,
            sheets=list(contact_import.sheets),
            sheet=contact_import.sheet,
        )
        self.mapping = list(contact_import.mapping) or contact_rows.guess_mapping(self.info.headers)
        self.bytes_read = 0
        self.rows_seen = 0
        self.totals = dict.fromkeys(COUNT_FIELDS, 0)
        self._org_cache: dict[str, Organization | None] = {}
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)
        self.source_label = f"import #{contact_import.pk}"[:100]
        self._tags: dict[str, Tag] = {}
        self._name_forms_cache: dict[tuple, tuple[str, str]] = {}

    # reading
    def _on_progress(self, position: int) -> None:
        self.bytes_read = position

    def chunks(self, *, start_row: int) -> Iterator[list[SourceRow]]:
        size = chunk_rows()
        chunk: list[SourceRow] = []
        path = file_source(self.contact_import)
        for row in contact_files.iter_rows(path, self.info, progress=self._on_progress):
            self.rows_seen = row.number
            if row.number < start_row:
                continue
            chunk.append(row)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        self.bytes_read = self.info.size
        if chunk:
            yield chunk

    def report_progress(self, tally: _Tally | None) -> None:
        if tally is not None:
            counts = tally.counts
        else:
            counts = dict(
                ContactImport.objects.filter(pk=self.contact_import.pk).values(*COUNT_FIELDS)[0]
            )
        cache.set(
            _progress_key(self.contact_import.pk),
            {"bytes": self.bytes_read, "rows": self.rows_seen, "counts": counts},
            timeout=3600,
        )

    def organization(self, name: str) -> Organization | None:
        key = name.casefold()
        if key not in self._org_cache:
            self._org_cache[key] = (
                Organization.objects.filter(name__iexact=name).order_by("-id").first()
            )
        return self._org_cache[key]

    def organization_country(self, name: str) -> str | None:
        org = self.organization(name)
        return str(org.country) if org and org.country else None

    def normalise(self, row: SourceRow) -> Candidate:
        candidate = contact_rows.normalise_row(
            row.cells,
            self.info.headers,
            self.mapping,
            number=row.number,
            policy=self.contact_import.policy,
            default_region=self.contact_import.default_region,
            organization_country=self.organization_country,
            row_problem=row.problem,
            row_problem_detail=row.problem_detail,
            languages=self.languages,
        )
        candidate.raw = row.raw
        return candidate

    # one chunk
    def _prefetch_organizations(self, rows: list[SourceRow]) -> None:
        """One query per chunk for the organizations its rows name (case-insensitive)."""
        columns = [i for i, target in enumerate(self.mapping) if target == "organization"]
        names = set()
        for row in rows:
            for index in columns:
                if index < len(row.cells):
                    name = contact_rows.clean_text(row.cells[index])
                    if name and name.casefold() not in self._org_cache:
                        names.add(name.casefold())
        if not names:
            return
        for name in names:
            self._org_cache[name] = None
        found = (
            Organization.objects.annotate(folded=Lower("name"))
            .filter(folded__in=[n.lower() for n in names])
            .order_by("-id")
        )
        for org in found:
            self._org_cache[org.name.casefold()] = org

    def _create_organizations(self, candidates: list[Candidate]) -> None:
        """The organizations rows name that do not exist yet, in one insert."""
        new: dict[str, Organization] = {}
        for candidate in candidates:
            key = candidate.organization.casefold()
            if candidate.organization and self._org_cache.get(key) is None and key not in new:
                org = Organization(
                    name=candidate.organization,
                    country=candidate.fields.get("country", ""),
                    city=str(candidate.fields.get("city", ""))[:120],
                )
                org.search_text = org.build_search_text()
                new[key] = org
        if new:
            Organization.objects.bulk_create(list(new.values()), batch_size=1000)
            self._org_cache.update(new)

    def apply_chunk(self, rows: list[SourceRow], tally: _Tally) -> None:
        self._prefetch_organizations(rows)
        candidates = [self.normalise(row) for row in rows]
        self._reject_blocked(candidates)
        usable = []
        for candidate in candidates:
            if candidate.blank:
                tally.counts["skipped_blank"] += 1
            elif candidate.rejected:
                self._reject(candidate, tally)
            else:
                self._keep_issues(candidate, tally)
                usable.append(candidate)
        plans = self._match(usable, tally)
        if plans:
            self._write(plans, tally)

    def _issue_rows(self, candidate: Candidate, rejected: bool) -> list[ImportIssue]:
        return [
            ImportIssue(
                contact_import=self.contact_import,
                row_number=candidate.number,
                column=issue.column[:255],
                value=issue.value,
                code=issue.code,
                message=issue.message,
                rejected=rejected,
                raw=candidate.raw if (rejected and index == 0) else None,
            )
            for index, issue in enumerate(candidate.issues)
        ]

    def _reject(self, candidate: Candidate, tally: _Tally) -> None:
        candidate.rejected = True
        tally.counts["rejected"] += 1
        tally.issues.extend(self._issue_rows(candidate, True))

    def _keep_issues(self, candidate: Candidate, tally: _Tally) -> None:
        if candidate.issues:
            tally.issues.extend(self._issue_rows(candidate, False))

    def _reject_blocked(self, candidates: list[Candidate]) -> None:
        digests: dict[str, list[tuple[Candidate, str]]] = {}
        for candidate in candidates:
            if candidate.rejected or candidate.blank:
                continue
            for written, identity in candidate.emails:
                digests.setdefault(email_digest(identity), []).append((candidate, written))
        if not digests:
            return
        blocked: set[str] = set()
        for source in hooks.get_hooks(BLOCKED_DIGESTS_HOOK):
            blocked.update(source(list(digests)) or ())
        for digest in blocked & set(digests):
            for candidate, written in digests[digest]:
                candidate.rejected = True
                candidate.issues.append(
                    Issue(
                        "email",
                        written,
                        "erased_or_suppressed",
                        _(
                            '"%(value)s" belongs to a person who was erased or asked not to be '
                            "contacted: not imported."
                        )
                        % {"value": written},
                    )
                )

    def _match(self, candidates: list[Candidate], tally: _Tally) -> list[_Plan]:
        identities = {i for c in candidates for i in c.identities}
        mobiles = {m for c in candidates for m in c.mobile_numbers}
        externals = {c.external_id for c in candidates if c.external_id}
        by_email = dict(
            PersonEmail.objects.filter(email_normalized__in=identities).values_list(
                "email_normalized", "person_id"
            )
        )
        by_mobile: dict[str, int | None] = {}
        for number, person_id in _mobile_owners(mobiles):
            number = str(number)
            # A mobile shared by two people identifies neither.
            by_mobile[number] = person_id if by_mobile.get(number, person_id) == person_id else None
        by_external = dict(
            PersonExternalId.objects.filter(value__in=externals).values_list("value", "person_id")
        )
        # Restricted people the importer may not see are never updated (nor named).
        found_ids = {*by_email.values(), *by_external.values()}
        found_ids |= {pk for pk in by_mobile.values() if pk}
        hidden = set(
            access.hidden_people(self.contact_import.created_by)
            .filter(pk__in=found_ids)
            .values_list("pk", flat=True)
        )
        local: dict[str, _Plan] = {}
        plans: list[_Plan] = []
        existing_ids: set[int] = set()
        for candidate in candidates:
            keys = (
                [f"e:{i}" for i in candidate.identities]
                + [f"m:{m}" for m in candidate.mobile_numbers]
                + ([f"x:{candidate.external_id}"] if candidate.external_id else [])
            )
            found = {by_email[i] for i in candidate.identities if i in by_email}
            found |= {by_mobile[m] for m in candidate.mobile_numbers if by_mobile.get(m)}
            if candidate.external_id in by_external:
                found.add(by_external[candidate.external_id])
            in_file = {id(local[k]): local[k] for k in keys if k in local}
            # Who the row points at: existing people, and people planned earlier in the chunk.
            targets = {("person", pk) for pk in found}
            for earlier in in_file.values():
                if earlier.person is not None and not earlier.new:
                    targets.add(("person", earlier.person.pk))
                else:
                    targets.add(("plan", id(earlier)))
            if found & hidden:
                candidate.issues.append(
                    Issue(
                        "",
                        "",
                        "restricted_person",
                        _(
                            "The row's email, mobile or id belong to a restricted contact you "
                            "may not see: not imported."
                        ),
                    )
                )
                self._reject(candidate, tally)
                continue
            if len(targets) > 1:
                candidate.issues.append(
                    Issue(
                        "",
                        "",
                        "conflicting_match",
                        _(
                            "The row's email, mobile or id belong to different people; "
                            "merge them first."
                        ),
                    )
                )
                self._reject(candidate, tally)
                continue
            plan = _Plan(candidate=candidate)
            if in_file:
                target = next(iter(in_file.values()))
                plan.merged_into = target.merged_into or target
            elif found:
                plan.person = Person(pk=found.pop())
                existing_ids.add(plan.person.pk)
            else:
                plan.new = True
            for key in keys:
                local.setdefault(key, plan.merged_into or plan)
            plans.append(plan)
        if existing_ids:
            people = Person.objects.in_bulk(existing_ids)
            for plan in plans:
                if plan.person is not None:
                    plan.person = people[plan.person.pk]
        return plans

    # writing
    def _write(self, plans: list[_Plan], tally: _Tally) -> None:
        for plan in plans:
            if plan.merged_into is not None:
                tally.counts["merged"] += 1
                _merge_candidate(plan.merged_into.candidate, plan.candidate)
        new_plans = [p for p in plans if p.new]
        self._create_organizations([p.candidate for p in plans if p.merged_into is None])
        new_ids = self._create_people(new_plans)
        tally.counts["created"] += len(new_ids)
        rows = _Rows()
        existing = [p for p in plans if p.person is not None and not p.new]
        if existing:
            self._update_existing(existing, tally, rows)
        PersonEmail.objects.bulk_create(rows.emails, batch_size=2000)
        PersonPhone.objects.bulk_create(rows.phones, batch_size=2000)
        PersonExternalId.objects.bulk_create(rows.externals, batch_size=2000, ignore_conflicts=True)
        TaggedPerson.objects.bulk_create(rows.tagged, batch_size=2000, ignore_conflicts=True)
        Affiliation.objects.bulk_create(rows.affiliations, batch_size=2000)
        ImportChange.objects.bulk_create(rows.changes, batch_size=2000)
        if rows.changes_to_save:
            ImportChange.objects.bulk_update(
                rows.changes_to_save, ["before", "added", "after_updated_at"], batch_size=1000
            )
        # The matching keys of everyone written are current when the chunk commits (the new
        # people's were written with them); the likely duplicates of the new people go to the
        # review queue from a worker after commit (nothing on rollback: the dry run).
        if existing:
            dedupe.refresh_match_keys_for([p.person.pk for p in existing])
        dedupe.index_after_commit([], review_ids=new_ids, keys_current=True)
        if new_plans:
            queue_likely_duplicates(new_ids, self.contact_import)

    def _name_forms(self, fields: dict, japanese: bool) -> tuple[str, str]:
        key = (
            fields.get("family_name", ""),
            fields.get("given_name", ""),
            fields.get("name_order", NameOrder.FROM_SCRIPT),
            fields.get("full_name_native", ""),
            fields.get("name_latin", ""),
            japanese,
        )
        found = self._name_forms_cache.get(key)
        if found is None:
            if len(self._name_forms_cache) > 50_000:
                self._name_forms_cache.clear()
            found = self._name_forms_cache[key] = name_forms_of(
                key[0], key[1], key[2], native=key[3], latin=key[4], japanese=japanese
            )
        return found

    def _create_people(self, plans: list[_Plan]) -> list[int]:
        """The new people of a chunk with everything they come with - emails, phones, external
        id, tags, affiliation, undo record and matching keys - written with COPY. Their native
        name and Latin form are filled as Person.save() would, and their search text made."""
        if not plans:
            return []
        ids = copy_rows.reserve_ids(Person, len(plans))
        now = timezone.now()
        columns = list(self._person_defaults)
        at = {name: index for index, name in enumerate(columns)}
        people, emails, phones, externals, tagged, affiliations, changes, keys = (
            [] for _ in range(8)
        )
        for plan, pk in zip(plans, ids, strict=True):
            candidate = plan.candidate
            plan.person_id = pk
            fields = {k: v for k, v in candidate.fields.items() if k in IMPORTED_FIELDS}
            japanese = is_japanese_person(fields.get("country"), fields.get("preferred_language"))
            fields["full_name_native"], fields["name_latin"] = self._name_forms(fields, japanese)
            family, given = fields.get("family_name", ""), fields.get("given_name", "")
            order = fields.get("name_order") or NameOrder.FROM_SCRIPT
            if order == NameOrder.FROM_SCRIPT:
                order = NameOrder.FAMILY_FIRST if is_cjk(family + given) else NameOrder.GIVEN_FIRST
            row = list(self._person_defaults.values())
            for key, value in fields.items():
                row[at[key]] = value.value if isinstance(value, Enum) else str(value)
            row[at["id"]] = pk
            row[at["created_at"]] = row[at["updated_at"]] = now
            numbers = [p.e164 for p in candidate.phones]
            row[at["search_text"]] = search_text_of(
                name_search_forms(
                    family,
                    given,
                    order,
                    fields["full_name_native"],
                    fields.get("name_chinese", ""),
                    fields["name_latin"],
                ),
                candidate.identities,
                numbers,
            )
            people.append(row)
            for index, (written, identity) in enumerate(candidate.emails):
                emails.append((pk, written[:254], identity[:254], index == 0, ""))
            for index, phone in enumerate(candidate.phones):
                kind = str(getattr(phone.kind, "value", phone.kind))
                phones.append((pk, phone.e164, phone.extension[:20], kind, index == 0))
            if candidate.external_id:
                externals.append((pk, candidate.external_id))
            tagged.extend((pk, self._tag(name).pk) for name in candidate.tags)
            org = self.organization(candidate.organization) if candidate.organization else None
            if org is not None:
                position = str(candidate.fields.get("job_title", ""))[:255]
                affiliations.append((pk, org.pk, position, candidate.department, True))
            changes.append(
                (self.contact_import.pk, pk, "created", candidate.number, "{}", "{}", now, now)
            )
            probe = dedupe.Probe(
                family_name=family,
                given_name=given,
                full_names=[
                    fields["full_name_native"],
                    fields.get("name_chinese", ""),
                    fields["name_latin"],
                ],
                emails=candidate.identities,
                phones=[(p.e164, p.kind) for p in candidate.phones],
                city=fields.get("city", ""),
                organization_ids=[org.pk] if org is not None else [],
                external_ids=[candidate.external_id] if candidate.external_id else [],
                japanese=japanese,
            )
            keys.extend((pk, key) for key in sorted(dedupe.probe_keys(probe)))
        copy_rows.copy_rows(Person, columns, people)
        copy_rows.copy_rows(
            PersonEmail, ["person_id", "email", "email_normalized", "is_primary", "label"], emails
        )
        copy_rows.copy_rows(
            PersonPhone, ["person_id", "number", "extension", "kind", "is_primary"], phones
        )
        copy_rows.copy_rows(PersonExternalId, ["person_id", "value"], externals)
        copy_rows.copy_rows(TaggedPerson, ["content_object_id", "tag_id"], tagged)
        copy_rows.copy_rows(
            Affiliation,
            ["person_id", "organization_id", "position", "department", "is_primary"],
            affiliations,
        )
        copy_rows.copy_rows(
            ImportChange,
            [
                "contact_import_id",
                "person_id",
                "kind",
                "row_number",
                "before",
                "added",
                "after_updated_at",
                "created_at",
            ],
            changes,
        )
        copy_rows.copy_rows(PersonMatchKey, ["person_id", "key"], keys)
        return ids

    @functools.cached_property
    def _person_defaults(self) -> dict[str, Any]:
        """Column -> value of a new imported person before the row's own fields: the model's
        defaults, the importer as owner and the import as source."""
        values: dict[str, Any] = {}
        for model_field in Person._meta.concrete_fields:
            values[model_field.attname] = (
                model_field.get_default() if model_field.has_default() else None
            )
            if model_field.null is False and values[model_field.attname] is None:
                values[model_field.attname] = "" if model_field.empty_strings_allowed else None
            if isinstance(values[model_field.attname], Enum):
                values[model_field.attname] = values[model_field.attname].value
        values["owner_id"] = self.contact_import.created_by_id
        values["source"] = self.source_label
        return values

    def _phone_rows(self, person: Person, parsed: list, *, has_primary: bool) -> list[PersonPhone]:
        rows: list[PersonPhone] = []
        for phone in parsed:
            rows.append(
                PersonPhone(
                    person=person,
                    number=phone.e164,
                    extension=phone.extension[:20],
                    kind=phone.kind,
                    is_primary=not has_primary and not rows,
                )
            )
        return rows

    def _tag(self, name: str) -> Tag:
        tag = self._tags.get(name)
        if tag is None:
            tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
            self._tags[name] = tag
        return tag

    def _tag_rows(self, person: Person, names: list[str]) -> list[TaggedPerson]:
        return [TaggedPerson(content_object=person, tag=self._tag(name)) for name in names]

    def _affiliation(self, person: Person, candidate: Candidate, *, primary: bool):
        if not candidate.organization:
            return None
        org = self.organization(candidate.organization)
        return Affiliation(
            person=person,
            organization=org,
            position=str(candidate.fields.get("job_title", ""))[:255],
            department=candidate.department,
            is_primary=primary,
        )

    def forget_caches(self) -> None:
        """After a rolled-back chunk: tags and organizations it created are gone."""
        self._tags.clear()
        self._org_cache.clear()

    def _update_existing(self, plans: list[_Plan], tally: _Tally, rows: _Rows) -> list[Person]:
        mode = self.contact_import.mode
        ids = {p.person.pk for p in plans}
        emails_of: dict[int, list[str]] = {pk: [] for pk in ids}
        for pid, identity in PersonEmail.objects.filter(person_id__in=ids).values_list(
            "person_id", "email_normalized"
        ):
            emails_of[pid].append(identity)
        known_emails = {i for found in emails_of.values() for i in found}
        primary_email = set(
            PersonEmail.objects.filter(person_id__in=ids, is_primary=True).values_list(
                "person_id", flat=True
            )
        )
        known_phones = {
            (pid, str(number), ext)
            for pid, number, ext in PersonPhone.objects.filter(person_id__in=ids).values_list(
                "person_id", "number", "extension"
            )
        }
        phones_of: dict[int, list[str]] = {pk: [] for pk in ids}
        for pid, number, _ext in known_phones:
            phones_of[pid].append(number)
        primary_phone = set(
            PersonPhone.objects.filter(person_id__in=ids, is_primary=True).values_list(
                "person_id", flat=True
            )
        )
        known_tags = set(
            TaggedPerson.objects.filter(content_object_id__in=ids).values_list(
                "content_object_id", "tag__name"
            )
        )
        known_orgs = {
            (pid, name.casefold())
            for pid, name in Affiliation.objects.filter(person_id__in=ids).values_list(
                "person_id", "organization__name"
            )
        }
        known_externals = set(
            PersonExternalId.objects.filter(person_id__in=ids).values_list("value", flat=True)
        )
        recorded = {
            c.person_id: c
            for c in ImportChange.objects.filter(
                contact_import=self.contact_import, person_id__in=ids
            )
        }
        now = timezone.now()
        touched: dict[int, Person] = {}
        for plan in plans:
            person, candidate = plan.person, plan.candidate
            change = recorded.get(person.pk)
            # A person this same import created (an earlier chunk): a duplicate row of the file.
            same_file = change is not None and change.kind == ImportChangeKind.CREATED
            if mode == ImportMode.SKIP and not same_file:
                tally.counts["unchanged"] += 1
                continue
            before: dict[str, Any] = {}
            for key, value in candidate.fields.items():
                if key not in IMPORTED_FIELDS or value in ("", None):
                    continue
                current = getattr(person, key)
                current = str(current or "") if key == "country" else current
                if current == value:
                    continue
                blank = current in ("", None)
                if mode == ImportMode.UPDATE or (blank and (mode == ImportMode.FILL or same_file)):
                    before[key] = current
                    setattr(person, key, value)
            added: dict[str, list] = {}
            for written, identity in candidate.emails:
                if identity in known_emails:
                    continue
                known_emails.add(identity)
                rows.emails.append(
                    PersonEmail(
                        person=person,
                        email=written[:254],
                        email_normalized=identity[:254],
                        is_primary=person.pk not in primary_email,
                    )
                )
                primary_email.add(person.pk)
                emails_of[person.pk].append(identity)
                added.setdefault("emails", []).append(identity)
            new_phones = []
            for phone in candidate.phones:
                key = (person.pk, phone.e164, phone.extension)
                if key not in known_phones:
                    known_phones.add(key)
                    phones_of[person.pk].append(phone.e164)
                    new_phones.append(phone)
            rows.phones += self._phone_rows(
                person, new_phones, has_primary=person.pk in primary_phone
            )
            if new_phones:
                primary_phone.add(person.pk)
                added["phones"] = [[p.e164, p.extension] for p in new_phones]
            new_tags = [t for t in candidate.tags if (person.pk, t) not in known_tags]
            if new_tags:
                known_tags.update((person.pk, t) for t in new_tags)
                rows.tagged += self._tag_rows(person, new_tags)
                added["tags"] = new_tags
            org_key = (person.pk, candidate.organization.casefold())
            if candidate.organization and org_key not in known_orgs:
                known_orgs.add(org_key)
                affiliation = self._affiliation(person, candidate, primary=False)
                rows.affiliations.append(affiliation)
                added["organizations"] = [affiliation.organization_id]
            if candidate.external_id and candidate.external_id not in known_externals:
                known_externals.add(candidate.external_id)
                rows.externals.append(PersonExternalId(person=person, value=candidate.external_id))
                added["external_ids"] = [candidate.external_id]
            if not (before or added):
                tally.counts["merged" if same_file else "unchanged"] += 1
                continue
            tally.counts["merged" if same_file else "updated"] += 1
            person.updated_at = now
            touched[person.pk] = person
            if change is None:
                change = ImportChange(
                    contact_import=self.contact_import,
                    person=person,
                    kind=ImportChangeKind.UPDATED,
                    row_number=candidate.number,
                    before=before,
                    added=added,
                    after_updated_at=now,
                )
                recorded[person.pk] = change
                rows.changes.append(change)
            else:
                for key, value in before.items():
                    change.before.setdefault(key, value)
                for key, values in added.items():
                    change.added.setdefault(key, []).extend(values)
                change.after_updated_at = now
                if change.pk and change not in rows.changes_to_save:
                    rows.changes_to_save.append(change)
        if touched:
            for person in touched.values():
                person.fill_name_forms()  # as Person.save() would
                person.search_text = person.build_search_text(
                    emails=emails_of[person.pk], phones=phones_of[person.pk]
                )
            Person.objects.bulk_update(
                list(touched.values()),
                [*IMPORTED_FIELDS, "search_text", "updated_at"],
                batch_size=1000,
            )
        return list(touched.values())


@dataclass
class _Rows:
    emails: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    externals: list = field(default_factory=list)
    tagged: list = field(default_factory=list)
    affiliations: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    changes_to_save: list = field(default_factory=list)


def _mobile_owners(numbers: set[str]) -> list[tuple[str, int]]:
    """(E.164 number, person id) of the stored mobile phones among `numbers`. Raw SQL joined on
    the numbers: the ORM would parse every number again (PhoneNumberField)."""
    if not numbers:
        return []
    if connection.vendor != "postgresql":
        found = PersonPhone.objects.filter(number__in=numbers, kind=PhoneKind.MOBILE)
        return [(str(n), pk) for n, pk in found.values_list("number", "person_id")]
    table = connection.ops.quote_name(PersonPhone._meta.db_table)
    with connection.cursor() as cursor:
        # The trigram index answers "=" too, and the planner prefers it once the table has
        # statistics: each look-up then rechecks every number sharing trigrams (seconds per
        # chunk at 100,000 phones). Bitmap scans off for this one query leave the b-tree.
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            f"SELECT phone.number, phone.person_id FROM {table} AS phone"  # noqa: S608
            " JOIN unnest(%s::varchar[]) AS wanted(number) ON phone.number = wanted.number"
            " WHERE phone.kind = %s",
            [sorted(numbers), str(PhoneKind.MOBILE.value)],
        )
        found = cursor.fetchall()
        cursor.execute("SET LOCAL enable_bitmapscan TO DEFAULT")
        return found


def _merge_candidate(target: Candidate, other: Candidate) -> None:
    """A later row of the file for the same person: what it adds goes to the first row."""
    for key, value in other.fields.items():
        if not target.fields.get(key):
            target.fields[key] = value
    identities = set(target.identities)
    target.emails += [e for e in other.emails if e[1] not in identities]
    numbers = {(p.e164, p.extension) for p in target.phones}
    target.phones += [p for p in other.phones if (p.e164, p.extension) not in numbers]
    target.tags += [t for t in other.tags if t not in target.tags]
    if not target.organization:
        target.organization, target.department = other.organization, other.department
    if not target.external_id:
        target.external_id = other.external_id


def queue_likely_duplicates(person_ids: list[int], contact_import: ContactImport) -> None:
    """The seam to the duplicate review queue: people this import created who may be someone
    already known by a weaker sign (similar name with the same organization or city). Exact
    identities (email, mobile, external id) were matched above; nothing weaker is ever merged
    by an import. The review itself runs in a worker after commit
    (crm.services.dedupe.index_after_commit, called by the run)."""
    return None


# --- undo ---------------------------------------------------------------------------------------


@transaction.atomic
def undo_import(contact_import: ContactImport, *, acting_user=None) -> dict[str, Any]:
    """Remove the people the import created and restore what it changed — except people edited
    since (by anyone, including another import), which are listed and left as they are."""
    locked = ContactImport.objects.select_for_update().get(pk=contact_import.pk)
    if ImportStatus.UNDONE not in IMPORT_TRANSITIONS[ImportStatus(locked.status)]:
        raise ImportError_("invalid_state", _("Only a finished import can be undone."))
    removed, restored, kept = 0, 0, []
    changes = (
        ImportChange.objects.filter(contact_import=locked, person__isnull=False)
        .select_related("person")
        .order_by("id")
    )
    to_delete = []
    for change in changes.iterator(chunk_size=2000):
        person = change.person
        if person.updated_at != change.after_updated_at or person.erased_at:
            kept.append({"person_id": person.pk, "row": change.row_number, "name": str(person)})
            continue
        if change.kind == ImportChangeKind.CREATED:
            to_delete.append(person.pk)
            if len(to_delete) >= 2000:
                removed += _delete_people(to_delete)
                to_delete = []
            continue
        for key, value in change.before.items():
            setattr(person, key, value)
        added = change.added or {}
        if added.get("emails"):
            PersonEmail.objects.filter(person=person, email_normalized__in=added["emails"]).delete()
        for number, extension in added.get("phones", []):
            PersonPhone.objects.filter(person=person, number=number, extension=extension).delete()
        if added.get("tags"):
            TaggedPerson.objects.filter(content_object=person, tag__name__in=added["tags"]).delete()
        if added.get("organizations"):
            Affiliation.objects.filter(
                person=person, organization_id__in=added["organizations"]
            ).delete()
        if added.get("external_ids"):
            PersonExternalId.objects.filter(person=person, value__in=added["external_ids"]).delete()
        person.save()
        from .people import refresh_search_text

        refresh_search_text(person)
        log(person, "crm.import_undone", user=acting_user, data={"import_id": locked.pk})
        restored += 1
    removed += _delete_people(to_delete)
    report = {"removed": removed, "restored": restored, "kept_edited": kept}
    transition(
        locked,
        ImportStatus.UNDONE,
        acting_user=acting_user,
        undone_at=timezone.now(),
        undo_report=report,
    )
    contact_import.refresh_from_db()
    return report


def _delete_people(ids: list[int]) -> int:
    if not ids:
        return 0
    count = len(ids)
    Person.objects.filter(pk__in=ids).delete()
    return count


# --- reports ------------------------------------------------------------------------------------


def report(contact_import: ContactImport, *, with_issues: bool = True) -> dict[str, Any]:
    """The summary the API and `import_contacts --json` give: format, encoding, counts, and
    every problem with row, column, value and reason code."""
    data: dict[str, Any] = {
        "id": contact_import.pk,
        "file": contact_import.original_name,
        "format": contact_import.file_format,
        "encoding": contact_import.encoding,
        "status": contact_import.status,
        "policy": contact_import.policy,
        "mode": contact_import.mode,
        "source": contact_import.source,
        "legal_basis": contact_import.legal_basis,
        "imported_by": contact_import.created_by.get_username()
        if contact_import.created_by
        else None,
        "headers": contact_import.headers,
        "mapping": contact_import.mapping,
        "sheets": contact_import.sheets,
        "sheet": contact_import.sheet,
        "dry_run": (contact_import.analysis or {}).get("counts"),
        "counts": contact_import.counts,
    }
    if contact_import.error_code:
        data["error"] = {"code": contact_import.error_code, "message": contact_import.error_message}
    if contact_import.undo_report:
        data["undo"] = contact_import.undo_report
    if with_issues:
        data["rejections"] = [
            {
                **_row_of(contact_import, i.row_number),
                "column": i.column,
                "value": i.value,
                "reason": i.code,
                "message": i.message,
            }
            for i in contact_import.issues.filter(rejected=True).iterator(chunk_size=2000)
        ]
        data["dropped"] = [
            {
                **_row_of(contact_import, i.row_number),
                "column": i.column,
                "value": i.value,
                "reason": i.code,
                "message": i.message,
            }
            for i in contact_import.issues.filter(rejected=False).iterator(chunk_size=2000)
        ]
    return data


def _row_of(contact_import: ContactImport, number: int) -> dict[str, Any]:
    sheet, row = contact_import.row_reference(number)
    return {"sheet": sheet, "row": row} if sheet else {"row": row}


def _rejected_rows(contact_import: ContactImport) -> Iterator[tuple[object, list[ImportIssue]]]:
    """(raw row, its problems) for each rejected row, in file order."""
    current: list[ImportIssue] = []
    for issue in contact_import.issues.filter(rejected=True).iterator(chunk_size=2000):
        if current and issue.row_number != current[0].row_number:
            yield current[0].raw, current
            current = []
        current.append(issue)
    if current:
        yield current[0].raw, current


def _reasons(issues: list[ImportIssue]) -> str:
    return "; ".join(
        f"{i.code}" + (f" [{i.column}]" if i.column else "") + (f" {i.value}" if i.value else "")
        for i in issues
    )


def rejected_rows_file(contact_import: ContactImport) -> tuple[str, str, bytes]:
    """The rejected rows in the uploaded format with a last column (a vCard: a property) giving
    the reasons, ready to be fixed and imported again: (file name, content type, content)."""
    base = os.path.splitext(contact_import.original_name)[0] or "import"
    reason_header = _("Import problem")
    if contact_import.file_format == contact_files.FORMAT_XLSX:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([*contact_import.headers, reason_header])
        for raw, issues in _rejected_rows(contact_import):
            cells = list(raw or [])[: len(contact_import.headers)]
            cells += [""] * (len(contact_import.headers) - len(cells))
            sheet.append([*cells, _reasons(issues)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return (
            f"{base}-rejected.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            buffer.getvalue(),
        )
    encoding = contact_import.encoding or "utf-8"
    if contact_import.file_format == contact_files.FORMAT_VCARD:
        parts = []
        for raw, issues in _rejected_rows(contact_import):
            text = str(raw or "").rstrip("\r\n")
            problem = "X-LIAISON-IMPORT-PROBLEM:" + _reasons(issues).replace("\n", " ")
            end = text.upper().rfind("END:VCARD")
            text = (
                (text[:end] + problem + "\r\n" + text[end:])
                if end >= 0
                else text + "\r\n" + problem
            )
            parts.append(text + "\r\n")
        return f"{base}-rejected.vcf", "text/vcard", "".join(parts).encode(encoding, "replace")
    buffer = io.StringIO()
    delimiter = (
        "\t"
        if contact_import.file_format == contact_files.FORMAT_TSV
        else (contact_import.delimiter or ",")
    )
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([*contact_import.headers, reason_header])
    for raw, issues in _rejected_rows(contact_import):
        writer.writerow([*(raw or []), _reasons(issues)])
    extension = "tsv" if contact_import.file_format == contact_files.FORMAT_TSV else "csv"
    content_type = "text/tab-separated-values" if extension == "tsv" else "text/csv"
    return (
        f"{base}-rejected.{extension}",
        f"{content_type}; charset={encoding}",
        buffer.getvalue().encode(encoding, "replace"),
    )


def people_changed_by(person: Person) -> list[ImportChange]:
    """The imports that created or changed a person (for the person's timeline)."""
    return list(
        ImportChange.objects.filter(person=person)
        .select_related("contact_import", "contact_import__created_by")
        .order_by("-created_at")[:50]
    )


def validate_choice(value: str, choices, name: str) -> str:
    if value not in dict(choices):
        raise ValidationError({name: _('"%(value)s" is not a valid choice.') % {"value": value}})
    return value


def dry_run_now(contact_import: ContactImport, *, acting_user=None) -> ContactImport:
    """The dry run in this process (the command line; the admin and API use a worker)."""
    transition(contact_import, ImportStatus.ANALYSING, acting_user=acting_user, analysis={})
    analyse(contact_import.pk)
    contact_import.refresh_from_db()
    return contact_import


def run_now(contact_import: ContactImport, *, acting_user=None) -> ContactImport:
    """The real run in this process (the command line)."""
    transition(contact_import, ImportStatus.QUEUED, acting_user=acting_user)
    run(contact_import.pk)
    contact_import.refresh_from_db()
    return contact_import
