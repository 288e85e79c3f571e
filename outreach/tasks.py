"""Celery tasks: thin wrappers that take ids and call services (safe to run twice)."""

from celery import shared_task

from outreach.services import system


@shared_task
def record_worker_heartbeat(requested_by_pid: int | None = None) -> None:
    system.record_worker_heartbeat(requested_by_pid=requested_by_pid)
