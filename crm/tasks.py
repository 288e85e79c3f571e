"""Celery tasks of the CRM: thin wrappers that call services (safe to run twice)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

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
