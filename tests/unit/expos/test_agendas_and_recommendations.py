"""Recommendations say why (same sector, invest ↔ seeking investment, a shared language), in
the reader's language; each participant's agenda is in their language with an .ics per meeting."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from crm.models import Sector
from expos.services import agendas, recommendations
from tests.factories import (
    BuyerFactory,
    EventFactory,
    ExhibitorFactory,
    InterpreterFactory,
    MeetingFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
    MeetingTableFactory,
    OrganizationFactory,
    PersonFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def test_a_recommendation_explains_itself_in_the_readers_language():
    event = EventFactory(kind="expo")
    materials = Sector.objects.create(
        name="New materials (test)", name_zh="新材料（测试）", slug="nm-t"
    )
    buyer = BuyerFactory(
        registration=RegistrationFactory(event=event),
        intents=["invest"],
        languages=["de", "en"],
    )
    buyer.sectors.add(materials)
    match = ExhibitorFactory(
        event=event,
        organization=OrganizationFactory(name="Graphene Works"),
        seeking_investment=True,
        languages=["zh", "de"],
    )
    match.sectors.add(materials)
    ExhibitorFactory(event=event, languages=["zh"])  # nothing in common: not recommended
    found = recommendations.recommend_for_buyer(buyer, language="en")
    assert [r.exhibitor for r in found] == [match]
    assert found[0].reasons == (
        "same sector: New materials (test)",
        "intent invest ↔ seeking investment",
        "both speak German",
    )
    chinese = recommendations.recommend_for_buyer(buyer, language="zh-hans")
    assert chinese[0].reasons[0].endswith("新材料（测试）")


def _meeting(language="de"):
    event = EventFactory(kind="expo", time_zone="Asia/Shanghai", venue="Ningbo Expo Centre")
    start = (timezone.now() + datetime.timedelta(days=5)).replace(microsecond=0)
    slot = MeetingSlotFactory(
        event=event, starts_at=start, ends_at=start + datetime.timedelta(minutes=20)
    )
    table = MeetingTableFactory(event=event, hall="B", label="7")
    person = PersonFactory(family_name="Krüger", given_name="Jonas", preferred_language=language)
    buyer = BuyerFactory(registration=RegistrationFactory(event=event, person=person, language=""))
    exhibitor = ExhibitorFactory(
        event=event, organization=OrganizationFactory(name="Cixi Moulds"), hall="B"
    )
    exhibitor.contacts.add(PersonFactory(preferred_language="zh-hans"))
    request = MeetingRequestFactory(
        event=event, buyer=buyer, exhibitor=exhibitor, status="accepted"
    )
    interpreter = InterpreterFactory(event=event, name="Li Na", languages=["zh", "de"])
    return MeetingFactory(request=request, slot=slot, table=table, interpreter=interpreter)


def test_each_side_gets_the_agenda_in_their_language_with_an_ics_per_meeting():
    meeting = _meeting()
    language, items = agendas.buyer_agenda(meeting.request.buyer)
    assert language == "de"
    assert [i.counterpart for i in items] == [str(meeting.request.exhibitor)]
    assert items[0].starts_at.tzinfo.key == "Asia/Shanghai"
    ics = Calendar.from_ical(agendas.meeting_calendar_file(items[0], language=language))
    entry = next(iter(ics.walk("VEVENT")))
    assert str(entry["uid"]) == f"meeting-{meeting.request_id}@liaison"
    assert "Cixi Moulds" in str(entry["summary"])
    assert "Li Na" in str(entry["description"])
    assert "Ningbo Expo Centre" in str(entry["location"])

    language, items = agendas.exhibitor_agenda(meeting.request.exhibitor)
    assert language == "zh-hans"
    ics = Calendar.from_ical(agendas.meeting_calendar_file(items[0], language=language))
    entry = next(iter(ics.walk("VEVENT")))
    assert "Krüger" in str(entry["summary"]) or "Jonas" in str(entry["summary"])
    assert str(entry["summary"]).startswith("与")
