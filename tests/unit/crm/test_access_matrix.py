"""Who may do what, in the admin and in the API: viewer / officer / campaign manager /
administrator, restricted people, officers editing only what they own."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.services import roles
from tests.factories import (
    InteractionFactory,
    OrganizationFactory,
    PersonFactory,
    SegmentFactory,
    UserFactory,
)

ROLES = ["viewer", "officer", "campaign_manager", "administrator"]


@pytest.fixture
def world(groups, officer, other_officer):
    """A person owned by the officer, one owned by another officer, and a restricted person
    owned by the other officer."""
    return {
        "own": PersonFactory(
            owner=officer, family_name="Own", email="own@example.org", phone="+4917112345678"
        ),
        "others": PersonFactory(owner=other_officer, family_name="Others"),
        "restricted": PersonFactory(owner=other_officer, family_name="Secret", restricted=True),
        "org_own": OrganizationFactory(owner=officer),
        "org_others": OrganizationFactory(owner=other_officer),
        "interaction": InteractionFactory(created_by=other_officer),
        "segment": SegmentFactory(countries=["DE"]),
    }


@pytest.fixture
def users(viewer, officer, campaign_manager, administrator):
    return {
        "viewer": viewer,
        "officer": officer,
        "campaign_manager": campaign_manager,
        "administrator": administrator,
    }


def admin_status(client, user, method, url, data=None):
    client.force_login(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/zh-hans/admin/"):
        # Django's LocaleMiddleware answers a 404 under i18n_patterns with a redirect to the
        # language-prefixed URL; following it gives the 404.
        response = client.get(response["Location"])
    if response.status_code == 302 and response["Location"].rstrip("/").endswith("/admin"):
        return "denied"  # Wagtail's permission_denied: back to the dashboard with a message
    if response.status_code in (403, 404):
        return {403: "denied", 404: "hidden"}[response.status_code]
    return response.status_code


A, D, H = 200, "denied", "hidden"
# (label, method, url template, expected for viewer, officer, campaign manager, administrator)
ADMIN_MATRIX = [
    ("people list", "get", "/admin/snippets/crm/person/", [A, A, A, A]),
    ("add person", "get", "/admin/snippets/crm/person/add/", [D, A, A, A]),
    ("inspect own", "get", "/admin/snippets/crm/person/inspect/{own}/", [A, A, A, A]),
    ("inspect restricted", "get", "/admin/snippets/crm/person/inspect/{restricted}/", [H, H, H, A]),
    ("edit own", "get", "/admin/snippets/crm/person/edit/{own}/", [D, A, D, A]),
    ("edit others'", "get", "/admin/snippets/crm/person/edit/{others}/", [D, D, D, A]),
    ("edit restricted", "get", "/admin/snippets/crm/person/edit/{restricted}/", [H, H, H, A]),
    ("delete own", "get", "/admin/snippets/crm/person/delete/{own}/", [D, D, D, A]),
    ("person history", "get", "/admin/snippets/crm/person/history/{own}/", [D, A, A, A]),
    ("privacy export", "get", "/admin/crm/people/{own}/export/", [D, D, D, A]),
    ("erase form", "get", "/admin/crm/people/{own}/erase/", [D, D, D, A]),
    ("organizations", "get", "/admin/snippets/crm/organization/", [A, A, A, A]),
    ("add organization", "get", "/admin/snippets/crm/organization/add/", [D, A, A, A]),
    ("edit own org", "get", "/admin/snippets/crm/organization/edit/{org_own}/", [D, A, D, A]),
    (
        "edit others' org",
        "get",
        "/admin/snippets/crm/organization/edit/{org_others}/",
        [D, D, D, A],
    ),
    ("interactions", "get", "/admin/snippets/crm/interaction/", [A, A, A, A]),
    ("add interaction", "get", "/admin/snippets/crm/interaction/add/", [D, A, A, A]),
    (
        "edit others' interaction",
        "get",
        "/admin/snippets/crm/interaction/edit/{interaction}/",
        [D, D, D, A],
    ),
    ("segments", "get", "/admin/snippets/crm/segment/", [A, A, A, A]),
    ("add segment", "get", "/admin/snippets/crm/segment/add/", [D, D, A, A]),
    ("edit segment", "get", "/admin/snippets/crm/segment/edit/{segment}/", [D, D, A, A]),
    ("segment preview", "post", "/admin/crm/segments/preview/", [A, A, A, A]),
    ("follow-ups", "get", "/admin/crm/follow-ups/", [A, A, A, A]),
    ("consents", "get", "/admin/snippets/crm/consent/", [A, A, A, A]),
    ("partnerships", "get", "/admin/snippets/crm/sistercitypartnership/", [A, A, A, A]),
    ("relationships", "get", "/admin/snippets/crm/relationship/", [A, A, A, A]),
    ("sectors", "get", "/admin/snippets/crm/sector/", [A, A, A, A]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "method", "url", "expected"), ADMIN_MATRIX, ids=[r[0] for r in ADMIN_MATRIX]
)
def test_admin_access_matrix(client, world, users, label, method, url, expected):
    url = url.format(**{k: v.pk for k, v in world.items()})
    got = [admin_status(client, users[role], method, url) for role in ROLES]
    assert got == expected


@pytest.mark.django_db
def test_staff_without_a_crm_role_cannot_open_the_people_list(client, world):
    from django.contrib.auth.models import Permission

    user = UserFactory(username="nobody")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert admin_status(client, user, "get", "/admin/snippets/crm/person/") == D


@pytest.mark.django_db
def test_restricted_people_are_listed_only_for_their_owner_and_administrators(
    client, world, users, other_officer
):
    for user, sees in [
        (users["viewer"], False),
        (users["officer"], False),
        (users["campaign_manager"], False),
        (other_officer, True),
        (users["administrator"], True),
    ]:
        client.force_login(user)
        page = client.get("/admin/snippets/crm/person/").content.decode()
        assert ("Secret" in page) is sees, user.username
        assert "Others" in page


@pytest.mark.django_db
def test_viewers_see_contact_details_masked_everywhere(client, world, users):
    own = world["own"]
    client.force_login(users["viewer"])
    listing = client.get("/admin/snippets/crm/person/").content.decode()
    inspect = client.get(f"/admin/snippets/crm/person/inspect/{own.pk}/").content.decode()
    export = b"".join(client.get("/admin/snippets/crm/person/?export=csv").streaming_content)
    for text in (listing, inspect, export.decode()):
        assert "own@example.org" not in text
    assert "o•••@example.org" in listing
    assert "+4917112345678" not in inspect
    assert "+49••••78" in inspect
    client.force_login(users["officer"])
    assert "own@example.org" in client.get("/admin/snippets/crm/person/").content.decode()


# --- API --------------------------------------------------------------------------------------
def api_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def new_person(index):
    return {"family_name": "Neu", "country": "DE", "emails": [{"email": f"neu{index}@example.de"}]}


def new_segment(index):
    return {"name": f"Segment by role {index}", "countries": ["DE"]}


API_MATRIX = [
    ("list people", "get", "/api/v1/people/", None, [200, 200, 200, 200]),
    ("read own", "get", "/api/v1/people/{own}/", None, [200, 200, 200, 200]),
    ("read restricted", "get", "/api/v1/people/{restricted}/", None, [404, 404, 404, 200]),
    ("create person", "post", "/api/v1/people/", new_person, [403, 201, 201, 201]),
    ("edit own", "patch", "/api/v1/people/{own}/", {"city": "Bremen"}, [403, 200, 403, 200]),
    ("edit others'", "patch", "/api/v1/people/{others}/", {"city": "Bremen"}, [403, 403, 403, 200]),
    ("delete others'", "delete", "/api/v1/people/{others}/", None, [403, 403, 403, 204]),
    ("export", "get", "/api/v1/people/{own}/export/", None, [403, 403, 403, 200]),
    ("erase", "post", "/api/v1/people/{own}/erase/", None, [403, 403, 403, 204]),
    ("list organizations", "get", "/api/v1/organizations/", None, [200, 200, 200, 200]),
    (
        "create organization",
        "post",
        "/api/v1/organizations/",
        {"name": "X", "kind": "media"},
        [403, 201, 201, 201],
    ),
    (
        "edit others' org",
        "patch",
        "/api/v1/organizations/{org_others}/",
        {"city": "Y"},
        [403, 403, 403, 200],
    ),
    ("list interactions", "get", "/api/v1/interactions/", None, [200, 200, 200, 200]),
    ("list affiliations", "get", "/api/v1/affiliations/", None, [200, 200, 200, 200]),
    ("list relationships", "get", "/api/v1/relationships/", None, [200, 200, 200, 200]),
    ("list consents", "get", "/api/v1/consents/", None, [200, 200, 200, 200]),
    ("list segments", "get", "/api/v1/segments/", None, [200, 200, 200, 200]),
    (
        "create segment",
        "post",
        "/api/v1/segments/",
        new_segment,
        [403, 403, 201, 201],
    ),
    ("segment preview", "get", "/api/v1/segments/{segment}/preview/", None, [200, 200, 200, 200]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "method", "url", "data", "expected"), API_MATRIX, ids=[r[0] for r in API_MATRIX]
)
def test_api_access_matrix(
    users, groups, officer, other_officer, label, method, url, data, expected
):
    got = []
    for index, role in enumerate(ROLES):
        # A fresh world per role: a delete or erase by one role must not change the next case.
        world = {
            "own": PersonFactory(owner=officer, email=f"own{index}@example.org"),
            "others": PersonFactory(owner=other_officer),
            "restricted": PersonFactory(owner=other_officer, restricted=True),
            "org_others": OrganizationFactory(owner=other_officer),
            "segment": SegmentFactory(),
        }
        payload = data(index) if callable(data) else data
        client = api_client(users[role])
        response = getattr(client, method)(
            url.format(**{k: v.pk for k, v in world.items()}), payload, format="json"
        )
        got.append(response.status_code)
    assert got == expected


@pytest.mark.django_db
def test_api_needs_a_token_and_a_role_not_the_staff_flag(world, groups):
    """The API admits whom the admin admits: a role member created in Wagtail's user editor
    (which never sets is_staff) is in; a staff account without a role is not."""
    assert APIClient().get("/api/v1/people/").status_code == 401
    manager = UserFactory(username="made_in_wagtail", is_staff=False)
    manager.groups.add(groups[roles.CAMPAIGN_MANAGER])
    client = api_client(manager)
    for path in ("/api/v1/people/", "/api/v1/segments/", "/api/v1/campaigns/"):
        assert client.get(path).status_code == 200, path
    client = api_client(UserFactory(username="no_role", is_staff=True))
    assert client.get("/api/v1/people/").status_code == 403
    assert client.get("/api/v1/campaigns/").status_code == 403


@pytest.mark.django_db
def test_api_masks_contact_details_for_viewers(world, users):
    data = api_client(users["viewer"]).get(f"/api/v1/people/{world['own'].pk}/").json()
    assert data["emails"][0]["email"] == "o•••@example.org"
    data = api_client(users["officer"]).get(f"/api/v1/people/{world['own'].pk}/").json()
    assert data["emails"][0]["email"] == "own@example.org"


@pytest.mark.django_db
def test_roles_are_created_idempotently(groups):
    again = roles.ensure_roles()
    assert {g.pk for g in again.values()} == {g.pk for g in groups.values()}
    assert again[roles.VIEWER].permissions.filter(codename="view_contact_details").count() == 0
    assert again[roles.OFFICER].permissions.filter(codename="view_contact_details").count() == 1
