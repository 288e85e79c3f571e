"""Every write that references a person, per role, on the role's own contact, another
officer's contact, and a restricted contact of another officer (API and admin).

A record about a person (affiliation, consent, relationship, interaction) changes that person:
only their owner or an administrator may write it. A pointer to a person (an assistant, a
segment's or campaign's additions) needs only that the person is visible. A hidden person's
id is answered as an id that does not exist."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.models import Affiliation, Consent, RelationshipType
from tests.factories import OrganizationFactory, PersonFactory, SegmentFactory, make_campaign

ROLES = ["viewer", "officer", "campaign_manager", "administrator"]
OK, NO, GONE = "ok", "denied", "unknown id"


def outcome(response) -> str:
    if response.status_code in (200, 201, 202, 204):
        return OK
    if response.status_code == 403:
        return NO
    if response.status_code in (400, 404):
        return GONE
    return str(response.status_code)


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def write(name, client, ctx, target):
    """Perform write `name` referencing person `target`; return the response."""
    pk = target.pk
    if name == "add affiliation":
        return client.post(
            "/api/v1/affiliations/",
            {"person": pk, "organization": ctx["org"].pk, "position": "Chair"},
            format="json",
        )
    if name == "move affiliation onto":
        return client.patch(
            f"/api/v1/affiliations/{ctx['own_affiliation'].pk}/", {"person": pk}, format="json"
        )
    if name == "add relationship":
        return client.post(
            "/api/v1/relationships/",
            {"type": ctx["rel_type"].pk, "from_person": pk, "to_person": ctx["own2"].pk},
            format="json",
        )
    if name == "record interaction":
        return client.post(
            "/api/v1/interactions/",
            {
                "kind": "meeting",
                "occurred_on": str(timezone.localdate()),
                "subject": "Talk",
                "people": [pk],
            },
            format="json",
        )
    if name == "record consent":
        return client.post(
            "/api/v1/consents/", {"person": pk, "purpose": "newsletters"}, format="json"
        )
    if name == "withdraw consent":
        consent = Consent.objects.create(person=target, purpose="event_invitations")
        return client.post(f"/api/v1/consents/{consent.pk}/withdraw/", format="json")
    if name == "set assistant":
        return client.patch(f"/api/v1/people/{ctx['own'].pk}/", {"assistant": pk}, format="json")
    if name == "segment addition":
        return client.patch(
            f"/api/v1/segments/{ctx['segment'].pk}/", {"additions": [pk]}, format="json"
        )
    if name == "campaign addition":
        return client.post(
            f"/api/v1/campaigns/{ctx['campaign'].pk}/audience/", {"additions": [pk]}, format="json"
        )
    raise AssertionError(name)


# write -> role -> (own contact, another officer's contact, restricted contact of another)
MATRIX = {
    "add affiliation": {
        "viewer": (NO, NO, NO),
        "officer": (OK, NO, GONE),
        "campaign_manager": (OK, NO, GONE),
        "administrator": (OK, OK, OK),
    },
    "move affiliation onto": {
        "viewer": (NO, NO, NO),
        "officer": (OK, NO, GONE),
        "campaign_manager": (OK, NO, GONE),
        "administrator": (OK, OK, OK),
    },
    "add relationship": {
        "viewer": (NO, NO, NO),
        "officer": (OK, NO, GONE),
        "campaign_manager": (OK, NO, GONE),
        "administrator": (OK, OK, OK),
    },
    "record interaction": {
        "viewer": (NO, NO, NO),
        "officer": (OK, NO, GONE),
        "campaign_manager": (OK, NO, GONE),
        "administrator": (OK, OK, OK),
    },
    "record consent": {
        "viewer": (NO, NO, NO),
        "officer": (OK, NO, GONE),
        "campaign_manager": (OK, NO, GONE),
        "administrator": (OK, OK, OK),
    },
    "withdraw consent": {
        "viewer": (NO, NO, NO),
        "officer": (OK, NO, GONE),
        "campaign_manager": (OK, NO, GONE),
        "administrator": (OK, OK, OK),
    },
    "set assistant": {
        "viewer": (NO, NO, NO),
        "officer": (OK, OK, GONE),
        "campaign_manager": (OK, OK, GONE),
        "administrator": (OK, OK, OK),
    },
    "segment addition": {
        "viewer": (NO, NO, NO),
        "officer": (NO, NO, NO),
        "campaign_manager": (OK, OK, GONE),
        "administrator": (OK, OK, OK),
    },
    "campaign addition": {
        "viewer": (NO, NO, NO),
        "officer": (NO, NO, NO),
        "campaign_manager": (OK, OK, GONE),
        "administrator": (OK, OK, OK),
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(MATRIX))
def test_api_writes_referencing_a_person(
    name, viewer, officer, other_officer, campaign_manager, administrator
):
    users = {
        "viewer": viewer,
        "officer": officer,
        "campaign_manager": campaign_manager,
        "administrator": administrator,
    }
    rel_type, _ = RelationshipType.objects.get_or_create(
        name="adviser", defaults={"forward_label": "advises", "reverse_label": "advised by"}
    )
    got = {}
    for role, user in users.items():
        own = PersonFactory(owner=user)
        ctx = {
            "own": own,
            "own2": PersonFactory(owner=user),
            "org": OrganizationFactory(owner=user),
            "rel_type": rel_type,
            "segment": SegmentFactory(),
            "campaign": make_campaign(owner=campaign_manager),
        }
        ctx["own_affiliation"] = Affiliation.objects.create(
            person=PersonFactory(owner=user), organization=ctx["org"]
        )
        targets = (
            own,
            PersonFactory(owner=other_officer),
            PersonFactory(owner=other_officer, restricted=True),
        )
        got[role] = tuple(outcome(write(name, api(user), ctx, t)) for t in targets)
    assert got == MATRIX[name]


@pytest.mark.django_db
def test_a_refused_write_names_no_one(officer, other_officer):
    secret = PersonFactory(owner=other_officer, family_name="Hiddenberg", restricted=True)
    response = api(officer).post(
        "/api/v1/consents/", {"person": secret.pk, "purpose": "newsletters"}, format="json"
    )
    assert response.status_code == 400
    assert "Hiddenberg" not in response.content.decode()


# --- admin ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_admin_consents_are_not_edited_in_place(client, officer):
    own = PersonFactory(owner=officer)
    consent = Consent.objects.create(person=own, purpose="newsletters")
    client.force_login(officer)
    response = client.get(f"/admin/snippets/crm/consent/edit/{consent.pk}/")
    assert response.status_code in (302, 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "allowed"), [("own", True), ("others", False), ("restricted", False)]
)
def test_admin_relationship_form_checks_the_people_it_links(
    client, officer, other_officer, target, allowed
):
    from crm.models import Relationship

    people = {
        "own": PersonFactory(owner=officer),
        "others": PersonFactory(owner=other_officer),
        "restricted": PersonFactory(owner=other_officer, restricted=True),
    }
    rel_type, _ = RelationshipType.objects.get_or_create(
        name="colleague", defaults={"forward_label": "works with", "reverse_label": "works with"}
    )
    colleague = PersonFactory(owner=officer)
    client.force_login(officer)
    client.post(
        "/admin/snippets/crm/relationship/add/",
        {"type": rel_type.pk, "from_person": people[target].pk, "to_person": colleague.pk},
    )
    assert Relationship.objects.filter(from_person=people[target]).exists() is allowed


@pytest.mark.django_db
@pytest.mark.parametrize(("target", "allowed"), [("others", True), ("restricted", False)])
def test_admin_segment_additions_take_only_visible_people(
    client, campaign_manager, other_officer, target, allowed
):
    person = PersonFactory(owner=other_officer, restricted=(target == "restricted"))
    segment = SegmentFactory(name="Forum guests")
    client.force_login(campaign_manager)
    client.post(
        f"/admin/snippets/crm/segment/edit/{segment.pk}/",
        {"name": "Forum guests", "additions": [person.pk], "diaspora": ""},
    )
    assert segment.additions.filter(pk=person.pk).exists() is allowed
