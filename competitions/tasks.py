"""Celery tasks of the competitions app: thin, take ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_entry_confirmation(entry_id: int) -> None:
    from competitions.public.entries import send_confirmation_mail

    send_confirmation_mail(entry_id)
