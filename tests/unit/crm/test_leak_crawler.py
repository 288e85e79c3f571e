"""The leak crawler: every admin URL pattern and every API route the URL resolver knows, as
each role, with ids filled from a world around one restricted person (leak_world.py).

It asserts that the restricted person's name, address and phone never reach anyone but their
owner and administrators, and that an ordinary contact's unmasked address or phone never reaches
a viewer. Nothing here lists the views to visit: a view added later (an import wizard, a
check-in screen) is found in the resolver and crawled with the same ids. How a URL is built:

- each route parameter is filled by its name: model-ish names (``app_label``/``model_name`` and
  friends) with each CRM and outreach model; ``action`` with each registered bulk action; any
  id-like parameter with the id of the world's record of the model the URL is about (read from
  its namespace or name, e.g. ``wagtailsnippets_crm_relationship:edit`` -> the relationship
  naming the restricted person; ``crm_person_export`` -> the restricted person), else the
  restricted person's id; any other parameter with ``x``;
- every URL is requested with GET and a probing query string (a search for a prefix of the
  restricted name, ``id=``/``person=`` the restricted person, as bulk-action confirmations and
  API filters take them), with ``export=csv`` too where the view exports;
- every URL is also POSTed a probing form (the restricted person in every person field), inside
  a savepoint that is rolled back, so a write the view lets through changes nothing later.

A route that cannot be built is listed in UNREACHABLE with the reason; a new one that is
neither buildable nor listed fails the test.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter
from django.urls.exceptions import NoReverseMatch
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

from .leak_world import SECRET_FAMILY, SECRET_STRINGS, UNMASKED_STRINGS, build_leak_world

# Routes the crawler cannot build, with the reason.
UNREACHABLE = {
    "admin/test404/": "Wagtail's own 404 test page, no CRM data",
    "admin/failwhale/": "Wagtail's error test page: raises on purpose",
}
# Library views that answer the crawler's probe with a server error, with the reason. Every other
# route, ours or a library's, must answer without one.
LIBRARY_SERVER_ERRORS = {
    "/admin/choose-page/chosen-multiple/": "Wagtail's page chooser, given the id of no page",
}
# Library views the admin links to that once failed under the test settings (warnings are
# errors): the officer's crawl must get a 200 from each.
MUST_ANSWER = (
    "/admin/localize/reports/translations/",
    "/admin/localize/reports/translations/results/",
    "/admin/snippets/choose/site_cms/speaker/",
    "/admin/snippets/choose/site_cms/speaker/results/",
    "/admin/snippets/choose/site_cms/session/",
    "/admin/snippets/choose/site_cms/session/results/",
)
# Only the admin and the API carry staff data; the public site is crawled by its own tests.
CRAWLED_PREFIXES = ("admin/", "api/v1/")
# Routes that log out the crawling user or stream for ever.
SKIPPED_NAMES = {"wagtailadmin_logout"}
ROOT = Path(__file__).resolve().parents[3]

MODEL_PARAMS = {
    "app_label",
    "app_name",
    "content_type_app_name",
    "model_name",
    "content_type_model_name",
}
PROBE_MODELS = [
    ("crm", "person"),
    ("crm", "relationship"),
    ("crm", "interaction"),
    ("crm", "consent"),
    ("crm", "affiliation"),
    ("crm", "segment"),
    ("crm", "organization"),
    ("outreach", "campaign"),
    ("outreach", "message"),
    ("outreach", "event"),
    ("outreach", "registration"),
    ("outreach", "revokedrsvplink"),
    ("projects", "project"),
    ("expos", "buyer"),
    ("expos", "meetingrequest"),
    ("expos", "meeting"),
    ("expos", "exhibitor"),
]
# Words in a URL's namespace or name -> the world's record for it (longest first).
NAME_TO_RECORD = [
    # expos (the viewsets and the screens beside them)
    ("expos_schedule", "expo"),
    ("meetingrequest", "meetingrequest"),
    ("expos_request", "meetingrequest"),
    ("meetingslot", "meetingslot"),
    ("meetingtable", "meetingtable"),
    ("hallwalk", "hallwalk"),
    ("interpreter", "interpreter"),
    ("exhibitor", "exhibitor"),
    ("buyer", "buyer"),
    ("expos_meeting", "meeting"),
    ("meeting", "meeting"),
    ("revokedrsvplink", "revokedrsvplink"),
    ("project", "project"),
    ("registration", "registration"),
    ("rsvp", "registration"),
    ("checkin", "event"),
    ("door", "event"),
    ("guest", "event"),
    # competitions (the judging screens and the viewsets)
    ("judging_results", "competition"),
    ("judging_round", "round"),
    ("judging_assignment", "assignment"),
    ("attachment", "attachment"),
    ("conflictofinterest", "entry"),
    ("judgerole", "judgerole"),
    ("criterion", "criterion"),
    ("competitions_round", "round"),
    ("competitions_track", "track"),
    ("competitions_entry", "entry"),
    ("competition", "competition"),
    ("event", "event"),
    ("personemail", "personemail"),
    ("personphone", "personphone"),
    ("relationship", "relationship"),
    ("interaction", "interaction"),
    ("follow_up", "interaction"),
    ("affiliation", "affiliation"),
    ("consent", "consent"),
    ("segment", "segment"),
    ("organization", "organization"),
    ("message", "message"),
    ("campaign", "campaign"),
    ("person", "person"),
    ("people", "person"),
]


def iter_routes():
    """(route text, full name, parameter names, pattern) for every URL pattern."""

    def walk(resolver, prefix, namespace, params):
        for entry in resolver.url_patterns:
            pattern = entry.pattern
            names = dict.fromkeys(pattern.regex.groupindex)
            names.update(getattr(pattern, "converters", {}) or {})
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry, prefix + str(pattern), ns, params | names)
            elif isinstance(entry, URLPattern):
                full = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                yield prefix + str(pattern), full, params | names, entry

    yield from walk(get_resolver(), "", None, {})


def record_for(name: str, world, *, uuid: bool = False):
    """The id (or, for a uuid parameter, the public id) of the world's record the route is
    about."""
    lowered = (name or "").lower()
    key = next((key for word, key in NAME_TO_RECORD if word in lowered), "person")
    if uuid:
        return world.uuids.get(key, "00000000-0000-0000-0000-000000000000")
    return world.ids[key]


def neighbours_for(name: str, world) -> list[int]:
    """Visible records whose pages link to the restricted person (the contact whose assistant
    and fellow participant they are): crawled too, for person routes."""
    lowered = (name or "").lower()
    key = next((key for word, key in NAME_TO_RECORD if word in lowered), None)
    return [world.ids["visible_person"]] if key == "person" else []


def bulk_actions_for(app_label: str, model_name: str) -> list[str]:
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    return sorted(bulk_action_registry.actions.get(app_label, {}).get(model_name, {})) or ["x"]


def candidate_kwargs(name: str, params: dict, world) -> list[dict]:
    """Every way to fill the route's parameters worth probing."""
    model_choices = [None]
    if set(params) & MODEL_PARAMS:
        model_choices = PROBE_MODELS
    results = []
    for choice in model_choices:
        kwargs = {}
        about = name
        if choice:
            about = f"{name} {choice[1]}"
        for param in params:
            if param in {"app_label", "app_name", "content_type_app_name"}:
                kwargs[param] = choice[0]
            elif param in {"model_name", "content_type_model_name"}:
                kwargs[param] = choice[1]
            elif param == "action" and choice:
                kwargs[param] = None  # filled below, per bulk action
            elif param == "format":
                kwargs[param] = "json"
            elif isinstance(params[param], UUIDConverter):
                kwargs[param] = record_for(f"{about} {param}", world, uuid=True)
            elif re.search(r"(^|_)(pk|id)(_|$)|_id", param):
                kwargs[param] = record_for(about, world)
            else:
                kwargs[param] = "x"
        if "action" in kwargs and kwargs["action"] is None:
            for action in bulk_actions_for(*choice):
                results.append({**kwargs, "action": action})
        else:
            results.append(kwargs)
            ids = [p for p in params if kwargs.get(p) == record_for(about, world)]
            if len(ids) == 1:
                for other in neighbours_for(about, world):
                    results.append({**kwargs, ids[0]: other})
    return results


def is_project_code(callback) -> bool:
    """A view written in this repository (any app, present or future), not a library's."""
    target = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    module = sys.modules.get(getattr(target, "__module__", ""), None)
    path = getattr(module, "__file__", "") or ""
    return path.startswith(str(ROOT)) and ".venv" not in path and "site-packages" not in path


def is_ours(pattern, name: str, kwargs: dict) -> bool:
    """A view of this project, or Wagtail's generic view of one of its CRM or outreach models
    (snippets, choosers, bulk actions)."""
    about_ours = kwargs.get("app_label") in {"crm", "outreach", "projects", "expos"} or (
        re.search(r"_(crm|outreach|projects|expos)_", name or "")
    )
    return is_project_code(pattern.callback) or bool(about_ours)


def takes_post(pattern, name: str, kwargs: dict) -> bool:
    """Worth POSTing the probe form: one of ours that accepts POST."""
    callback = pattern.callback
    actions = getattr(callback, "actions", None)  # a DRF viewset route
    if actions is not None:
        return "post" in actions
    view_class = getattr(callback, "view_class", None)
    if view_class is not None and not hasattr(view_class, "post"):
        return False
    return is_ours(pattern, name, kwargs)


def build_urls(world) -> tuple[list[tuple[str, str, bool, bool, bool]], list[str]]:
    """([(url, route, exports?, post?, ours?)], [routes that could not be built])."""
    urls, unbuilt = [], []
    for route, name, params, pattern in iter_routes():
        if not route.startswith(CRAWLED_PREFIXES) or route in UNREACHABLE:
            continue
        if name in SKIPPED_NAMES or "format" in params:
            continue  # format suffixes (.json) are the same views as the routes without
        exports = bool(getattr(getattr(pattern.callback, "view_class", None), "list_export", None))
        built = False
        for kwargs in candidate_kwargs(name or route, params, world):
            if name is None:
                if params:
                    break
                url = "/" + route
            else:
                try:
                    url = reverse(name, kwargs={k: str(v) for k, v in kwargs.items()})
                except NoReverseMatch:
                    continue
            urls.append(
                (
                    url,
                    route,
                    exports,
                    takes_post(pattern, name, kwargs),
                    is_ours(pattern, name, kwargs),
                )
            )
            built = True
        if not built:
            unbuilt.append(route)
    return urls, unbuilt


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    text = raw.decode("utf-8", errors="replace")
    if "json" in response.get("Content-Type", ""):
        with contextlib.suppress(ValueError):
            text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


def found(text: str, needles: list[str]) -> list[str]:
    return [n for n in needles if n in text]


def probe_query(world) -> dict:
    pk = world.restricted.pk
    term = SECRET_FAMILY[:6]
    return {"q": term, "label": term, "id": pk, "person": pk, "people": pk}


def probe_form(world) -> dict:
    pk = world.restricted.pk
    return {
        "person": pk,
        "people": pk,
        "additions": pk,
        "exclusions": pk,
        "assistant": pk,
        "from_person": pk,
        "to_person": pk,
        "duplicate": pk,
        "id": pk,
        "message": world.ids["message"],
        "q": SECRET_FAMILY[:6],
        "language": "en",
        "countries": "DE",
    }


def crawl(client: Client, urls, world, *, api: bool, statuses=None) -> dict[str, list[str]]:
    """{"GET url" or "POST url": [what leaked]} for one logged-in client; `statuses` collects
    each URL's GET status."""
    leaks = {}
    query = probe_query(world)
    for url, _route, exports, post, ours in urls:
        if url.startswith("/api/") != api:
            continue
        variants = [dict(query)]
        if exports:
            variants.append({**query, "export": "csv"})
        for params in variants:
            response = client.get(url, params)
            if statuses is not None:
                statuses[url] = response.status_code
            if response.status_code >= 500 and (ours or url not in LIBRARY_SERVER_ERRORS):
                world.errors.append(f"GET {url} -> {response.status_code}")
            hits = found(body_of(response), world.needles)
            if hits:
                leaks[f"GET {url}?{'&'.join(f'{k}={v}' for k, v in params.items())}"] = hits
        if not post:
            continue
        with transaction.atomic():
            if api:
                response = client.post(url, probe_form(world), format="json")
            else:
                response = client.post(url, probe_form(world))
            hits = found(body_of(response), world.needles)
            transaction.set_rollback(True)
        if response.status_code >= 500 and (ours or url not in LIBRARY_SERVER_ERRORS):
            world.errors.append(f"POST {url} -> {response.status_code}")
        if hits:
            leaks[f"POST {url}"] = hits
    return leaks


@pytest.fixture
def leak_world(groups, officer, other_officer, campaign_manager):
    return build_leak_world(owner=other_officer, officer=officer, campaign_manager=campaign_manager)


def logged_in(user) -> Client:
    client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    client.force_login(user)
    return client


def api_client(user):
    from rest_framework.test import APIClient

    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.django_db
def test_every_admin_and_api_route_can_be_built_or_is_listed_as_unreachable(leak_world):
    urls, unbuilt = build_urls(leak_world)
    assert unbuilt == [], f"add these routes to UNREACHABLE with the reason: {unbuilt}"
    routes = {route for _url, route, *_flags in urls}
    # The crawl reaches the side doors that leaked before.
    for expected in (
        "admin/snippets/crm/person/usage/<int:pk>/",
        "admin/snippets/choose/crm/person/results/",
        "admin/reports/site-history/",
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
        "admin/campaigns/<int:pk>/messages/",
        "api/v1/^interactions/$",
    ):
        assert any(r.endswith(expected) or r == expected for r in routes), expected


def crawl_as(user, urls, world, statuses=None) -> dict[str, list[str]]:
    leaks = crawl(logged_in(user), urls, world, api=False, statuses=statuses)
    leaks |= crawl(api_client(user), urls, world, api=True, statuses=statuses)
    return leaks


@pytest.mark.django_db
def test_a_viewer_sees_neither_the_restricted_person_nor_unmasked_contact_details(
    leak_world, viewer
):
    urls, _unbuilt = build_urls(leak_world)
    leak_world.needles = SECRET_STRINGS + UNMASKED_STRINGS
    leaks = crawl_as(viewer, urls, leak_world)
    assert leaks == {}, "\n".join(f"{k}: {v}" for k, v in leaks.items())
    # Bad input to our views is a clear error, never a server error.
    assert leak_world.errors == [], "\n".join(leak_world.errors)


@pytest.mark.django_db
def test_officers_and_campaign_managers_never_see_a_restricted_person_they_do_not_own(
    leak_world, officer, campaign_manager
):
    """The officer crawls everything; the campaign manager (an officer with segments and
    campaigns, seeing the same records) crawls what the officer could not open."""
    urls, _unbuilt = build_urls(leak_world)
    leak_world.needles = list(SECRET_STRINGS)
    statuses = {}
    leaks = crawl_as(officer, urls, leak_world, statuses)
    more = [u for u in urls if statuses.get(u[0]) != 200]
    leaks |= {
        f"(campaign manager) {k}": v
        for k, v in crawl_as(campaign_manager, more, leak_world).items()
    }
    assert leaks == {}, "\n".join(f"{k}: {v}" for k, v in leaks.items())
    assert leak_world.errors == [], "\n".join(leak_world.errors)
    assert {url: statuses.get(url) for url in MUST_ANSWER} == dict.fromkeys(MUST_ANSWER, 200)


@pytest.mark.django_db
def test_the_owner_and_administrators_do_see_the_restricted_person(
    leak_world, other_officer, administrator
):
    """The crawler's needles are real: the pages that should name the person do."""
    pk = leak_world.restricted.pk
    for user in (other_officer, administrator):
        client = logged_in(user)
        page = client.get(f"/admin/snippets/crm/person/inspect/{pk}/").content.decode()
        assert SECRET_FAMILY in page
        data = api_client(user).get(f"/api/v1/people/{pk}/").json()
        assert data["emails"][0]["email"] == "zebulon.qx@secret-embassy.example"


@pytest.mark.django_db
def test_door_staff_see_neither_the_restricted_person_nor_any_contact_detail(leak_world):
    """Door staff, assigned to the world's event, crawl everything: the door screens name no
    restricted guest and show no address or phone; the rest of the admin is closed to them."""
    from django.contrib.auth.models import Group

    from outreach.apps import DOOR_STAFF
    from outreach.models import DoorAssignment
    from tests.factories import UserFactory

    door = UserFactory(username="dora")
    door.groups.add(Group.objects.get(name=DOOR_STAFF))
    DoorAssignment.objects.create(event_id=leak_world.ids["event"], user=door, gate="1")
    urls, _unbuilt = build_urls(leak_world)
    leak_world.needles = SECRET_STRINGS + UNMASKED_STRINGS
    leaks = crawl_as(door, urls, leak_world)
    assert leaks == {}, "\n".join(f"{k}: {v}" for k, v in leaks.items())
    assert leak_world.errors == [], "\n".join(leak_world.errors)


@pytest.mark.django_db
def test_a_judge_sees_only_their_own_assignments_and_no_crm_record(leak_world):
    """A judge account, assigned one entry, crawls everything: no restricted person, no contact
    detail, no entry that is not theirs, no other judge's scores while the round is open."""
    from django.contrib.auth.models import Group

    from competitions.apps import JUDGE
    from competitions.models import Assignment, JudgeRole

    from .leak_world import HIDDEN_PROJECT, OTHER_JUDGES_COMMENT

    judge = UserFactory(username="judith", is_staff=False)
    judge.groups.add(Group.objects.get(name=JUDGE))
    entry_id = leak_world.ids["entry"]
    role = JudgeRole.objects.create(
        competition_id=leak_world.ids["competition"],
        person=leak_world.visible,
        user=judge,
        tier="standing",
    )
    role.tracks.add(leak_world.ids["track"])
    own = Assignment.objects.create(round_id=leak_world.ids["round"], entry_id=entry_id, judge=role)
    urls, _unbuilt = build_urls(leak_world)
    leak_world.needles = SECRET_STRINGS + UNMASKED_STRINGS + [HIDDEN_PROJECT, OTHER_JUDGES_COMMENT]
    leaks = crawl_as(judge, urls, leak_world)
    assert leaks == {}, "\n".join(f"{k}: {v}" for k, v in leaks.items())
    assert leak_world.errors == [], "\n".join(leak_world.errors)
    # The needles are real: their own assignment is open to them.
    page = logged_in(judge).get(f"/admin/judging/assignments/{own.pk}/").content.decode()
    assert "Harbour drones" in page
