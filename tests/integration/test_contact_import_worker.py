"""A contact import run by a real worker process survives that process being killed: another
worker resumes it from the last committed chunk, nobody is half-written or imported twice."""

from __future__ import annotations

import os
import signal

import pytest
from django.core.files.base import ContentFile

from crm.models import ContactImport, ImportStatus, Person, PersonEmail
from crm.services import imports
from outreach.models import WorkerHeartbeat
from outreach.tasks import record_worker_heartbeat
from tests.support import start_worker, stop, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROWS = 3000


def test_an_import_resumes_after_its_worker_is_killed(tmp_path, settings):
    text = "Name,Email,Mobile\r\n" + "".join(
        f"Guest {i},guest{i}@example.org,+86 138 {i // 10000:04d} {i % 10000:04d}\r\n"
        for i in range(ROWS)
    )
    contact_import = imports.create_import(
        ContentFile(text.encode(), name="guests.csv"), acting_user=None, source="integration"
    )
    slow = {"IMPORT_CHUNK_ROWS": "100", "IMPORT_CHUNK_PAUSE": "0.2", "IMPORT_STALL_SECONDS": "1"}
    first = start_worker(name="import-a", extra_env=slow, log_path=tmp_path / "a.log")
    try:
        imports.start_import(contact_import)  # on_commit: this test commits as it goes
        wait_until(
            lambda: ContactImport.objects.get(pk=contact_import.pk).next_row > 500,
            timeout=90,
            what="the first worker to commit a few chunks",
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        stop(first)
    killed = ContactImport.objects.get(pk=contact_import.pk)
    assert killed.status == ImportStatus.RUNNING
    assert 0 < killed.created < ROWS
    # Every person written so far is whole: one email each, and the count matches the checkpoint.
    assert Person.objects.count() == killed.created == killed.next_row - 2
    assert PersonEmail.objects.count() == killed.created

    second = start_worker(
        name="import-b", extra_env={"IMPORT_STALL_SECONDS": "1"}, log_path=tmp_path / "b.log"
    )
    try:
        # Once the new worker answers, beat's job (done here) hands the stalled import out.
        record_worker_heartbeat.delay(requested_by_pid=os.getpid())
        wait_until(
            lambda: WorkerHeartbeat.objects.filter(requested_by_pid=os.getpid()).exists(),
            timeout=60,
            what="the second worker to answer",
        )
        settings.IMPORT_STALL_SECONDS = 1
        wait_until(lambda: imports.resume_stalled_imports() or True, timeout=5, what="resume")
        done = wait_until(
            lambda: ContactImport.objects.filter(
                pk=contact_import.pk, status=ImportStatus.DONE
            ).first(),
            timeout=120,
            what="the second worker to finish the import",
        )
    finally:
        assert stop(second) == 0, (tmp_path / "b.log").read_text()
    assert done.created == ROWS
    assert Person.objects.count() == ROWS
    assert PersonEmail.objects.values("email_normalized").distinct().count() == ROWS
