"""The dashboard shows what needs the user: campaigns awaiting their approval, decisions on
their campaigns, their follow-ups, upcoming events with answer counts, and recent activity on
their contacts — each through the access policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail.log_actions import log

from outreach.services import campaigns
from outreach.services.registration import AnswerChannel
from tests.factories import (
    EventFactory,
    InteractionFactory,
    PersonFactory,
    RegistrationFactory,
    UserFactory,
    approver,
    make_campaign,
    make_contact,
)

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_approver_sees_the_campaign_awaiting_them_and_the_author_the_decision(client):
    judge = approver()
    author = UserFactory()
    campaign = make_campaign(owner=author, people=[make_contact("a@example.org")])
    campaigns.submit(campaign, acting_user=author)
    page = _home(client, judge)
    assert "Awaiting your approval" in page
    assert campaign.name in page
    campaigns.reject(campaign, acting_user=judge, reason="Add the German version")
    assert "Awaiting your approval" not in _home(client, judge)
    author.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_campaign", "access_admin"])
    )
    page = _home(client, type(author).objects.get(pk=author.pk))
    assert "sent back by" in page
    assert "Add the German version" in page


def test_follow_ups_panel_marks_the_overdue_ones(client, officer):
    InteractionFactory(
        subject="Call the consul back",
        follow_up_on=timezone.localdate() - dt.timedelta(days=2),
        follow_up_owner=officer,
    )
    page = _home(client, officer)
    assert "Call the consul back" in page
    assert "overdue" in page


def test_upcoming_events_count_answers_without_the_restricted_guests_of_others(
    client, officer, other_officer, groups
):
    event = EventFactory(name="Ningbo Robotics Forum")
    RegistrationFactory(event=event, person=PersonFactory(), status="accepted")
    hidden = PersonFactory(family_name="Geheim", restricted=True, owner=other_officer)
    RegistrationFactory(event=event, person=hidden, status="accepted")
    officer.groups.add(groups["Campaign manager"])
    page = _home(client, type(officer).objects.get(pk=officer.pk))
    assert "Ningbo Robotics Forum" in page
    row = page.split("Ningbo Robotics Forum", 1)[1].split("</tr>", 1)[0]
    # invited 0, accepted 1 (the restricted guest of another officer is not counted)
    assert [cell.split("<", 1)[0] for cell in row.split("<td>")[2:]] == ["0", "1", "0"]
    assert "Geheim" not in page


def test_recent_activity_on_my_contacts_lists_what_others_did_and_rsvp_answers(
    client, officer, other_officer
):
    mine = PersonFactory(family_name="Schäfer", owner=officer)
    theirs = PersonFactory(family_name="Becker", owner=other_officer)
    log(mine, "wagtail.edit", user=other_officer)
    log(theirs, "wagtail.edit", user=other_officer)
    registration = RegistrationFactory(person=mine, status="accepted")
    registration.changes.create(from_status="", to_status="accepted", channel=AnswerChannel.LINK)
    page = _home(client, officer)
    section = page.split('id="crm-contact-activity"', 1)[1].split("</section>", 1)[0]
    assert "Schäfer" in section
    assert "olga" in section
    assert "RSVP" in section
    assert "Becker" not in section
