"""Event questions edited in the admin (kinds, choices, required, order), translated with
wagtail-localize, shown on the RSVP page in the guest's language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Locale

from outreach.models import Answer, Question, Registration
from outreach.services.tokens import make_rsvp_token
from tests.factories import EventFactory, PersonFactory, QuestionFactory, invited

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "site_structure")]
ADD = "/admin/snippets/outreach/question/add/"
LIST = "/admin/snippets/outreach/question/"


def _path(message) -> str:
    return reverse("outreach_rsvp", args=[make_rsvp_token("m", message.public_id)])


def _question_form(event, **fields) -> dict:
    return {
        "event": event.pk,
        "label": "Interpreter language",
        "help_text": "",
        "kind": "choice",
        "options": "None\nEnglish\nGerman",
        "required": "on",
        "sort_order": 1,
        "locale": Locale.get_default().pk,
        **fields,
    }


def test_staff_add_a_required_choice_question_and_guests_must_answer_it(client, campaign_manager):
    event = EventFactory()
    QuestionFactory(event=event, label="Arrival date", sort_order=0)
    client.force_login(campaign_manager)
    response = client.post(ADD, _question_form(event))
    assert response.status_code == 302
    question = Question.objects.get(label="Interpreter language")
    assert (question.kind, question.required, question.option_list()) == (
        "choice",
        True,
        ["None", "English", "German"],
    )
    listing = client.get(LIST, {"event": event.pk}).content.decode()
    assert "Arrival date" in listing
    assert "Interpreter language" in listing

    message = invited(event, PersonFactory())
    page = client.get(_path(message)).content.decode()
    assert page.index("Arrival date") < page.index("Interpreter language")  # the order
    assert "German" in page
    refused = client.post(_path(message), {"answer": "accept"})
    assert refused.status_code == 400
    assert "Please answer: Interpreter language" in refused.content.decode()
    client.post(_path(message), {"answer": "accept", f"q{question.pk}": "2"})
    assert Answer.objects.get(registration=Registration.objects.get()).value == "2"


def test_a_choice_question_needs_choices_and_other_kinds_take_none(client, campaign_manager):
    event = EventFactory()
    client.force_login(campaign_manager)
    response = client.post(ADD, _question_form(event, options="Only one"))
    assert response.status_code == 200
    assert "Give at least two choices, one per line." in response.content.decode()
    response = client.post(ADD, _question_form(event, kind="text"))
    assert "Choices are only for questions answered from a list." in response.content.decode()
    assert not Question.objects.exists()


def test_editing_a_question_shows_at_once_on_the_rsvp_page(client, campaign_manager):
    event = EventFactory()
    question = QuestionFactory(event=event, label="Dietary needs")
    message = invited(event, PersonFactory())
    assert "Dietary needs" in client.get(_path(message)).content.decode()
    client.force_login(campaign_manager)
    edit = reverse("wagtailsnippets_outreach_question:edit", args=[question.pk])
    form = _question_form(event, label="Food allergies", kind="text", options="", required="")
    assert client.post(edit, form).status_code == 302
    client.logout()
    page = client.get(_path(message)).content.decode()
    assert "Food allergies" in page
    assert "Dietary needs" not in page


def test_a_translated_question_is_shown_in_the_guests_language(client):
    event = EventFactory()
    question = QuestionFactory(
        event=event, label="Interpreter language", kind="choice", options="None\nEnglish"
    )
    german = Locale.objects.get_or_create(language_code="de")[0]
    translation = question.copy_for_translation(german)
    translation.label = "Dolmetschen in welche Sprache?"
    translation.options = "Keine\nEnglisch"
    translation.save()
    message = invited(event, PersonFactory(preferred_language="de"), language="de")
    page = client.get(_path(message)).content.decode()
    assert "Dolmetschen in welche Sprache?" in page
    assert "Englisch" in page
    assert translation.kind == "choice"
    assert translation.event_id == event.pk


def test_questions_are_edited_only_by_staff_with_the_right(client, viewer, officer):
    for user in (viewer, officer):
        client.force_login(user)
        assert client.get(ADD).status_code in (302, 403)
        assert client.post(ADD, _question_form(EventFactory())).status_code in (302, 403)
    assert not Question.objects.exists()
