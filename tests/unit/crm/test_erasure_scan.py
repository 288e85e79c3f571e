"""Erasure leaves the person's name and address in no table: a scan of every text and JSON
column of every table after erasing the restricted person of the leak world (who has
messages, a tracking event, interactions, a relationship, log entries...)."""

import pytest
from django.db import connection

from crm.services import privacy
from outreach.models import Message, Suppression, TrackingEvent
from outreach.services import suppression as suppression_service

from .leak_world import (
    SECRET_EMAIL,
    SECRET_FAMILY,
    SECRET_GIVEN,
    SECRET_NATIVE,
    build_leak_world,
)

NEEDLES = [SECRET_FAMILY, SECRET_GIVEN, SECRET_NATIVE, SECRET_EMAIL, "98761234"]
TEXT_TYPES = ("text", "character varying", "json", "jsonb")


def columns_holding(needle: str) -> list[str]:
    """table.column of every text/JSON column where `needle` occurs (case-insensitive)."""
    hits = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s)",
            [list(TEXT_TYPES)],
        )
        for table, column in cursor.fetchall():
            # Names from information_schema, quoted by the database's own rules.
            table_sql = connection.ops.quote_name(table)
            column_sql = connection.ops.quote_name(column)
            query = f"SELECT COUNT(*) FROM {table_sql} WHERE {column_sql}::text ILIKE %s"  # noqa: S608
            cursor.execute(query, [f"%{needle}%"])
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


@pytest.fixture
def world(groups, officer, other_officer, campaign_manager):
    if connection.vendor != "postgresql":
        pytest.skip("the scan reads PostgreSQL's information_schema")
    return build_leak_world(owner=other_officer, officer=officer, campaign_manager=campaign_manager)


@pytest.mark.django_db
def test_after_erasure_no_table_holds_the_name_or_the_address(
    world, administrator, django_capture_on_commit_callbacks
):
    suppression_service.suppress(SECRET_EMAIL, "hard_bounce")
    assert columns_holding(SECRET_FAMILY), "the scan finds the name before erasure"

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_person(world.restricted, acting_user=administrator)

    found = {needle: columns_holding(needle) for needle in NEEDLES}
    assert found == {needle: [] for needle in NEEDLES}


@pytest.mark.django_db
def test_erased_messages_keep_the_digest_and_suppression_still_works(
    world, administrator, django_capture_on_commit_callbacks
):
    from crm.identity import email_digest

    suppression_service.suppress(SECRET_EMAIL, "hard_bounce")
    message = Message.objects.get(pk=world.ids["message"])
    digest = message.email_digest

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_person(world.restricted, acting_user=administrator)

    message.refresh_from_db()
    assert message.email == ""
    assert message.email_digest == digest == email_digest(SECRET_EMAIL)
    assert Suppression.objects.filter(email_digest=digest).exists()
    assert suppression_service.suppressed_digests([digest], ["event_invitations"]) == {digest}
    event = TrackingEvent.objects.get(event_id="evt-leak-1")
    assert SECRET_EMAIL not in str(event.payload)


@pytest.mark.django_db
def test_privacy_export_covers_messages_tracking_and_suppressions(world, administrator):
    from django.utils import timezone

    Message.objects.filter(pk=world.ids["message"]).update(opened_at=timezone.now())
    suppression_service.suppress(SECRET_EMAIL, "hard_bounce")

    data = privacy.export_person_data(world.restricted, acting_user=administrator)

    outreach = data["outreach"]
    received = [m for m in outreach["messages"] if m["as"] == "recipient"]
    assert [m["campaign"] for m in received] == ["Harbour forum"]
    assert received[0]["language"] == "en"
    assert received[0]["tracking"]["opened_at"] is not None
    assert any(m["as"] == "assistant" for m in outreach["messages"])
    assert outreach["suppressions"][0]["reason"] == "hard_bounce"
