"""The person chooser (crm.admin.widgets.PersonChooser) and its lookup endpoint: forms choose people
among a million without rendering them all."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.admin.views import PERSON_LOOKUP_LIMIT
from crm.admin.widgets import PersonChooser
from crm.models import Person
from tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    SegmentFactory,
    UserFactory,
    make_campaign,
)

pytestmark = pytest.mark.django_db

LOOKUP = "/admin/crm/people/lookup/"


def lookup(client, user, term):
    client.force_login(user)
    response = client.get(LOOKUP, {"q": term})
    assert response.status_code == 200
    return response.json()


def ids(data):
    return [row["id"] for row in data["results"]]


# --- the widget -------------------------------------------------------------------------------
def _render_with_everyone(count: int):
    people = [PersonFactory(family_name=f"Many{i}") for i in range(count)]
    chosen = [people[0].pk, people[-1].pk]
    from django import forms

    class Form(forms.Form):
        people = forms.ModelMultipleChoiceField(
            queryset=Person.objects.all(), widget=PersonChooser()
        )

    form = Form(initial={"people": chosen})
    with CaptureQueriesContext(connection) as queries:
        html = str(form["people"])
    return html, len(queries), people


def test_widget_renders_only_the_chosen_people_whatever_the_number_of_people():
    few_html, few_queries, _few = _render_with_everyone(3)
    Person.objects.all().delete()
    many_html, many_queries, many = _render_with_everyone(300)

    assert many_html.count("<option") == few_html.count("<option") == 2
    assert f'<option value="{many[0].pk}" selected>' in many_html
    assert str(many[-1]) in many_html
    assert str(many[1]) not in many_html
    assert many_queries == few_queries
    # Same markup size but for the digits of the ids and names.
    assert abs(len(many_html) - len(few_html)) < 100


def test_widget_keeps_the_chosen_order_and_ignores_garbage_values():
    a, b = PersonFactory(family_name="Alpha"), PersonFactory(family_name="Beta")
    html = PersonChooser().render("people", [str(b.pk), "nonsense", str(a.pk), ""])
    assert html.index("Beta") < html.index("Alpha")
    assert html.count("<option") == 2


def test_single_chooser_offers_none_and_the_chosen_person():
    person = PersonFactory(family_name="Solo")
    html = PersonChooser(multiple=False).render("assistant", person.pk)
    select = re.search(r'<select name="assistant"[^>]*>', html).group(0)
    assert "multiple" not in select
    assert html.count("<option") == 2
    assert f'<option value="{person.pk}" selected>' in html


# --- the lookup endpoint --------------------------------------------------------------------
@pytest.fixture
def contacts(db, officer):
    wang = PersonFactory(
        family_name="Wang",
        given_name="Wei",
        name_order="family_first",
        full_name_native="王伟",
        name_chinese="王伟",
        name_latin="Wang Wei",
        email="wang.wei@university.example.cn",
    )
    AffiliationFactory(
        person=wang, organization=OrganizationFactory(name="Ningbo University"), position="Dean"
    )
    mueller = PersonFactory(family_name="Müller", given_name="Anna", email="anna@hamburg.example")
    ivanov = PersonFactory(family_name="Ivanov", given_name="Ivan", full_name_native="Иванов Иван")
    secret = PersonFactory(
        family_name="Wangsecret", given_name="Hidden", restricted=True, owner=officer
    )
    return {"wang": wang, "mueller": mueller, "ivanov": ivanov, "secret": secret}


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("王伟", "wang"),
        ("wang wei", "wang"),
        ("MULLER", "mueller"),  # case- and accent-insensitive
        ("müller", "mueller"),
        ("Иванов", "ivanov"),
        ("anna@HAMBURG.example", "mueller"),
    ],
)
def test_lookup_finds_people_by_any_name_form_and_email(client, administrator, contacts, term, who):
    assert contacts[who].pk in ids(lookup(client, administrator, term))


def test_lookup_shows_name_organization_and_email_to_officers(client, administrator, contacts):
    row = lookup(client, administrator, "wang wei")["results"][0]
    assert row["label"] == "Wang Wei (王伟)"
    assert row["detail"] == "Dean · Ningbo University · wang.wei@university.example.cn"


def test_lookup_names_people_in_the_staff_language_order(client, administrator, contacts):
    client.force_login(administrator)
    data = client.get(LOOKUP, {"q": "wang wei"}, headers={"accept-language": "zh-hans"}).json()
    assert data["results"][0]["label"] == "王伟 (Wang Wei)"


def test_lookup_masks_contact_details_for_viewers(client, viewer, contacts):
    row = lookup(client, viewer, "wang wei")["results"][0]
    assert "wang.wei@" not in row["detail"]
    assert row["detail"] == "Dean · Ningbo University · w•••@university.example.cn"


def test_lookup_shows_restricted_people_only_to_their_owner_and_administrators(
    client, viewer, officer, other_officer, administrator, contacts
):
    secret = contacts["secret"].pk
    assert secret in ids(lookup(client, officer, "wangsecret"))
    assert secret in ids(lookup(client, administrator, "wangsecret"))
    assert secret not in ids(lookup(client, other_officer, "wangsecret"))
    assert secret not in ids(lookup(client, viewer, "wang"))


def test_lookup_is_refused_to_users_who_cannot_open_the_people_listing(client, contacts):
    from django.contrib.auth.models import Permission

    outsider = UserFactory(username="outsider")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = client.get(LOOKUP, {"q": "wang"})
    assert response.status_code in (302, 403)
    assert "Wang" not in response.content.decode()


def test_lookup_returns_at_most_twenty_and_says_more_match(client, administrator):
    for i in range(PERSON_LOOKUP_LIMIT + 5):
        PersonFactory(family_name=f"Zhang{i:02d}")
    data = lookup(client, administrator, "zhang")
    assert len(data["results"]) == PERSON_LOOKUP_LIMIT == 20
    assert data["more"] is True
    labels = [row["label"] for row in data["results"]]
    assert labels == sorted(labels)  # by name


def test_blank_lookup_is_an_empty_result_with_a_hint(client, administrator, contacts):
    data = lookup(client, administrator, "   ")
    assert data["results"] == []
    assert data["more"] is False
    assert "Type a name" in data["message"]


def test_lookup_without_matches_says_so(client, administrator, contacts):
    data = lookup(client, administrator, "nobody-like-this")
    assert data["results"] == []
    assert "No one found" in data["message"]


# --- the admin forms still save the chosen people ------------------------------------------
class FormValues(HTMLParser):
    """The values a browser would post for the page's main form (text inputs, checked boxes,
    selected options, text areas)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "file"):
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_values(html: str) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(html)
    parser.data.pop("q", None)  # the admin's search box
    return parser.data


def test_campaign_edit_saves_the_chosen_people(client, administrator):
    already = PersonFactory(family_name="Alreadychosen")
    added = PersonFactory(family_name="Tobeadded")
    never = PersonFactory(family_name="Neverchosen")
    campaign = make_campaign(people=[already])
    client.force_login(administrator)
    url = f"/admin/snippets/outreach/campaign/edit/{campaign.pk}/"
    page = client.get(url).content.decode()
    assert f'<option value="{already.pk}" selected>' in page
    assert "Tobeadded" not in page  # nobody but the chosen is rendered
    assert "Neverchosen" not in page

    data = form_values(page)
    assert data["additions"] == [str(already.pk)]
    data["additions"] = [str(already.pk), str(added.pk)]
    data["exclusions"] = [str(never.pk)]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign.refresh_from_db()
    assert set(campaign.additions.all()) == {already, added}
    assert list(campaign.exclusions.all()) == [never]


def test_segment_edit_saves_the_chosen_people_and_refuses_an_unknown_one(client, administrator):
    kept, dropped, added = (PersonFactory(family_name=n) for n in ("Kept", "Dropped", "Added"))
    segment = SegmentFactory(name="Partners")
    segment.additions.add(kept, dropped)
    client.force_login(administrator)
    url = f"/admin/snippets/crm/segment/edit/{segment.pk}/"
    data = form_values(client.get(url).content.decode())
    assert sorted(data["additions"]) == sorted([str(kept.pk), str(dropped.pk)])

    response = client.post(url, {**data, "additions": [str(kept.pk), "999999"]})
    assert response.status_code == 200
    assert "999999 is not one of the available choices" in response.content.decode()

    response = client.post(url, {**data, "additions": [str(kept.pk)], "exclusions": [added.pk]})
    assert response.status_code == 302
    assert list(segment.additions.all()) == [kept]
    assert list(segment.exclusions.all()) == [added]


def test_interaction_and_person_forms_use_the_chooser(client, administrator):
    boss, assistant = PersonFactory(family_name="Boss"), PersonFactory(family_name="Helper")
    boss.assistant = assistant
    boss.save()
    PersonFactory(family_name="Bystander")
    client.force_login(administrator)
    for url in [
        "/admin/snippets/crm/interaction/add/",
        f"/admin/snippets/crm/person/edit/{boss.pk}/",
        "/admin/snippets/crm/relationship/add/",
        "/admin/snippets/crm/consent/add/",
    ]:
        page = client.get(url).content.decode()
        assert "data-person-chooser" in page, url
        assert "Bystander" not in page, url
    page = client.get(f"/admin/snippets/crm/person/edit/{boss.pk}/").content.decode()
    assert f'<option value="{assistant.pk}" selected>' in page


def test_a_chosen_restricted_person_stays_chosen_but_unnamed_for_staff_who_may_not_see_them(
    client, officer, campaign_manager
):
    secret = PersonFactory(family_name="Confidential", restricted=True, owner=officer)
    segment = SegmentFactory(name="Delegation")
    segment.additions.add(secret)
    url = f"/admin/snippets/crm/segment/edit/{segment.pk}/"
    client.force_login(campaign_manager)
    page = client.get(url).content.decode()
    assert "Confidential" not in page
    assert f'<option value="{secret.pk}" selected>(restricted contact #{secret.pk})' in page
    # Saving the form as it is keeps them.
    assert client.post(url, form_values(page)).status_code == 302
    assert list(segment.additions.all()) == [secret]


def test_names_with_quotes_are_escaped_once_in_chips():
    person = PersonFactory(family_name='O\'Brien "Bob" <b>', given_name="Anna")
    html = PersonChooser().render("people", [person.pk])
    assert 'aria-label="Remove Anna O&#x27;Brien &quot;Bob&quot; &lt;b&gt;"' in html
    assert "<b>" not in html
    assert 'data-remove-label="Remove {name}"' in html
