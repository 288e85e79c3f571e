"""Matchmaking on the database: marks accept or decline a request, unanswered requests expire,
the scheduler places accepted requests into the expo's grid keeping locked meetings, and a
signed agreement enters the project pool at stage "signed"."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from expos import matching
from expos.models import Meeting
from expos.services import ceremonies, meetings
from projects.models import Project
from tests.factories import (
    AgreementFactory,
    BuyerFactory,
    EventFactory,
    ExhibitorFactory,
    InterpreterFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
    MeetingTableFactory,
    OrganizationFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def test_a_request_is_accepted_when_both_sides_answer_and_declined_on_a_no(officer):
    request = MeetingRequestFactory()
    request = meetings.mark(request, side="buyer", value="must", acting_user=officer)
    assert request.status == "pending"
    request = meetings.mark(request, side="exhibitor", value="would", acting_user=officer)
    assert request.status == "accepted"
    request = meetings.mark(request, side="exhibitor", value="no", acting_user=officer)
    assert request.status == "declined"


def test_unanswered_requests_expire_and_cannot_be_marked_afterwards(officer):
    past = timezone.now() - datetime.timedelta(minutes=1)
    old = MeetingRequestFactory(expires_at=past)
    fresh = MeetingRequestFactory(expires_at=timezone.now() + datetime.timedelta(days=1))
    assert meetings.expire_requests() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("expired", "pending")
    with pytest.raises(Exception, match="expired"):
        meetings.mark(old, side="buyer", value="must")


def test_priority_puts_tier_a_and_mutual_must_meets_first():
    a_mutual = matching.priority(tier="A", buyer_mark="must", exhibitor_mark="must")
    c_would = matching.priority(tier="C", buyer_mark="would", exhibitor_mark="would")
    assert a_mutual > matching.priority(tier="A", buyer_mark="must", exhibitor_mark="would")
    assert c_would < matching.priority(tier="B", buyer_mark="would", exhibitor_mark="would")
    assert matching.interpretation(["de"], ["zh"]) == ("de", "zh")
    assert matching.interpretation(["de", "en"], ["zh", "en"]) is None


def _expo_grid(event, slots=2):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    grid = [
        MeetingSlotFactory(
            event=event,
            starts_at=start + datetime.timedelta(minutes=25 * i),
            ends_at=start + datetime.timedelta(minutes=25 * i + 20),
        )
        for i in range(slots)
    ]
    return grid, [MeetingTableFactory(event=event, hall="A", label="1")]


def _accepted(event, exhibitor, *, tier="B", languages=("en",), mark="would"):
    buyer = BuyerFactory(
        registration=RegistrationFactory(event=event), tier=tier, languages=list(languages)
    )
    return MeetingRequestFactory(
        event=event,
        buyer=buyer,
        exhibitor=exhibitor,
        buyer_mark=mark,
        exhibitor_mark="would",
        status="accepted",
    )


def test_the_scheduler_places_accepted_requests_and_reports_the_rest(officer):
    event = EventFactory(kind="expo")
    slots, _tables = _expo_grid(event, slots=2)
    exhibitor = ExhibitorFactory(event=event, languages=["zh", "en"])
    requests = [_accepted(event, exhibitor) for _ in range(3)]
    must = _accepted(event, exhibitor, tier="A", mark="must")
    result = meetings.run_scheduler(event, acting_user=officer, work_limit=2)
    assert len(result.placements) == 2
    placed = set(Meeting.objects.values_list("request_id", flat=True))
    assert must.pk in placed  # tier A with a must-meet goes first
    left = [r for r in requests if r.pk not in placed]
    for row in left:
        row.refresh_from_db()
        assert row.unplaced_reasons == ["participant_busy"]
    assert {m.slot_id for m in Meeting.objects.all()} == {s.pk for s in slots}


def test_a_locked_meeting_stays_when_the_scheduler_runs_again(officer):
    event = EventFactory(kind="expo")
    slots, tables = _expo_grid(event, slots=2)
    exhibitor = ExhibitorFactory(event=event, languages=["en"])
    low = _accepted(event, exhibitor, tier="C")
    Meeting.objects.create(request=low, slot=slots[1], table=tables[0], locked=True)
    high = _accepted(event, exhibitor, tier="A", mark="must")
    meetings.run_scheduler(event, acting_user=officer, work_limit=2)
    locked = Meeting.objects.get(request=low)
    assert (locked.slot, locked.locked) == (slots[1], True)
    assert Meeting.objects.get(request=high).slot == slots[0]


def test_a_meeting_without_a_common_language_gets_an_interpreter(officer):
    event = EventFactory(kind="expo")
    _expo_grid(event, slots=1)
    exhibitor = ExhibitorFactory(event=event, languages=["zh"])
    request = _accepted(event, exhibitor, languages=["de"])
    interpreter = InterpreterFactory(event=event, languages=["zh", "de"])
    meetings.run_scheduler(event, acting_user=officer, work_limit=2)
    assert Meeting.objects.get(request=request).interpreter == interpreter


def test_a_signed_agreement_enters_the_project_pool_once_at_stage_signed(officer):
    agreement = AgreementFactory(
        title_en="Hydrogen bus plant", title_zh="氢能客车工厂", amount=Decimal("120000000")
    )
    agreement.parties.add(OrganizationFactory(name="Ningbo Bus Co."))
    signed = ceremonies.sign(agreement, acting_user=officer)
    again = ceremonies.sign(agreement, acting_user=officer)
    project = Project.objects.get()
    assert signed.project == project
    assert again.project == project
    assert project.stage == "signed"
    assert project.source_kind == "expo"
    assert project.investment_sought == Decimal("120000000")
    assert [o.name for o in project.organizations.all()] == ["Ningbo Bus Co."]


def test_staff_approve_a_buyer_and_re_tier_with_a_reason(officer):
    from wagtail.models import ModelLogEntry

    from expos.services import buyers

    buyer = BuyerFactory(tier="C")
    buyer = buyers.approve(buyer, acting_user=officer)
    assert buyer.approved_by == officer
    with pytest.raises(Exception, match="reason"):
        buyers.retier(buyer, "A", reason=" ", acting_user=officer)
    with pytest.raises(Exception, match="Unknown tier"):
        buyers.retier(buyer, "Z", reason="typo", acting_user=officer)
    buyer = buyers.retier(buyer, "A", reason="CEO confirmed", acting_user=officer)
    assert buyer.tier == "A"
    entry = ModelLogEntry.objects.get(action="expos.buyer.retier")
    assert entry.data == {"from": "C", "to": "A", "reason": "CEO confirmed"}
