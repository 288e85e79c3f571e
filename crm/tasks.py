"""Celery tasks of the CRM: thin wrappers that take ids and call services (safe to run twice)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache


@shared_task(ignore_result=True, acks_late=True)
def analyse_contact_import(import_id: int) -> None:
    """The dry run of an import (rolled back; only its report is kept)."""
    from crm.services import imports

    imports.analyse(import_id)


@shared_task(ignore_result=True, acks_late=True)
def run_contact_import(import_id: int) -> None:
    """The real run; resumes after the last committed chunk when run again."""
    from crm.services import imports

    imports.run(import_id)


@shared_task(ignore_result=True)
def resume_stalled_imports() -> int:
    """Beat: imports whose worker died are handed out again."""
    from crm.services import imports

    return imports.resume_stalled_imports()


logger = logging.getLogger(__name__)

SCAN_LOCK = "crm:duplicate-scan"
SCAN_LOCK_SECONDS = 3 * 3600


@shared_task(ignore_result=True)
def scan_duplicates() -> dict | None:
    """Fill the review queue from a scan of everyone (crm.services.dedupe). One scan at a time:
    a second request while one runs returns at once."""
    from crm.services import dedupe

    if not cache.add(SCAN_LOCK, 1, timeout=SCAN_LOCK_SECONDS):
        return None
    try:
        result = dedupe.scan_for_duplicates()
    finally:
        cache.delete(SCAN_LOCK)
    logger.info(
        "duplicate scan: %s blocks, %s pairs compared, %s candidates",
        result.blocks,
        result.pairs_compared,
        result.candidates,
    )
    return vars(result)


@shared_task(ignore_result=True)
def index_people(person_ids: list[int], review_ids: list[int]) -> None:
    """Matching keys for people written in bulk, and review of the new ones (safe twice)."""
    from crm.services import dedupe

    dedupe.index_people(person_ids, review_ids)
