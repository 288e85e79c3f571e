"""Celery tasks of the CRM: thin wrappers that take ids and call services (safe to run twice)."""

from __future__ import annotations

from celery import shared_task


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
