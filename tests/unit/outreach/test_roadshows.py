"""Roadshow planning: suggested audience per stop and the per-stop answer figures page."""

from __future__ import annotations

import pytest

from crm.models import Affiliation, Organization, Segment, SisterCityPartnership
from outreach.services import registration as registering
from outreach.services import roadshows
from tests.factories import EventFactory, PersonFactory, invited

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def roadshow():
    show = EventFactory(kind="roadshow", name="Europe and Asia 2027")
    hamburg = EventFactory(kind="roadshow_stop", parent=show, city="Hamburg", country="DE")
    osaka = EventFactory(kind="roadshow_stop", parent=show, city="Osaka", country="JP")
    return show, hamburg, osaka


def test_suggested_audience_for_a_stop_takes_locals_diaspora_and_sister_city_contacts(roadshow):
    _show, hamburg, _osaka = roadshow
    local = PersonFactory(city="Hamburg", country="DE")
    elsewhere = PersonFactory(city="Lyon", country="FR")
    association = Organization.objects.create(
        name="Ningbo Bang Hamburg", city="Hamburg", country="DE"
    )
    diaspora = PersonFactory(city="Shanghai", country="CN")
    diaspora.diaspora_associations.add(association)
    city_hall = Organization.objects.create(
        name="Hamburg city", kind="sister_city", country="DE", city="Hamburg"
    )
    SisterCityPartnership.objects.create(partner=city_hall)
    officer = PersonFactory(city="", country="CN")
    Affiliation.objects.create(person=officer, organization=city_hall)
    suggested = set(roadshows.suggested_audience(hamburg))
    assert {local, diaspora, officer} <= suggested
    assert elsewhere not in suggested


def test_people_invited_to_another_stop_are_left_out_unless_staff_include_them(roadshow):
    _show, hamburg, osaka = roadshow
    person = PersonFactory(city="Hamburg", country="DE")
    invited(osaka, person)
    assert person not in roadshows.suggested_audience(hamburg)
    assert person in roadshows.suggested_audience(hamburg, include_invited_elsewhere=True)


def test_roadshow_page_counts_answers_per_stop_with_links(client, campaign_manager, roadshow):
    show, hamburg, osaka = roadshow
    a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
    for person in (a, b, c):
        invited(hamburg, person)
    registering.accept(hamburg, a, registering.AcceptInput())
    registering.decline(hamburg, b)
    figures = {row["stop"]: row for row in roadshows.stop_figures(show)}
    assert (figures[hamburg]["invited"], figures[hamburg]["accepted"]) == (3, 1)
    assert (figures[hamburg]["declined"], figures[hamburg]["no_answer"]) == (1, 1)
    assert figures[osaka]["invited"] == 0
    client.force_login(campaign_manager)
    html = client.get(f"/admin/roadshows/{show.pk}/").content.decode()
    assert f"?event={hamburg.pk}&amp;status=accepted" in html
    response = client.post(f"/admin/roadshows/stops/{osaka.pk}/save-suggestion/")
    assert response.status_code == 302
    assert Segment.objects.filter(name__startswith="Suggested for").exists()
