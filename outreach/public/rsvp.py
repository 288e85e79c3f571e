"""The RSVP page: a guest's personal link opens it in their language (no login).

GET shows the invitation and the current answer and never changes anything (mail scanners
prefetch links). POST answers: accept (companions, sessions, the event's questions), decline
(optional reason) or send a delegate, through outreach.services.registration. A tampered,
expired or revoked link gets a friendly page in the right language."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from crm.models import Person
from crm.salutations import formal_name
from outreach.models import (
    Event,
    Message,
    Question,
    Registration,
    RegistrationStatus,
    RevokedRsvpLink,
)
from outreach.presentation import event_facts, public_details
from outreach.services import registration as registering
from outreach.services.tokens import RSVP_SALT, TokenExpiredError, read_rsvp_token

S = RegistrationStatus


@dataclass
class Invitation:
    """What a personal link opens: the event, the invitee, and who holds the link."""

    event: Event
    person: Person
    language: str
    message: Message | None = None
    assistant: Person | None = None
    registration: Registration | None = None


def _site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _language(preferred: str, request: HttpRequest) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    if asked in _site_languages():
        return asked
    if preferred in _site_languages():
        return preferred
    return translation.get_language() or settings.LANGUAGE_CODE


def resolve(token: str) -> tuple[Invitation | None, str, str]:
    """(invitation, problem, language): problem is "", "invalid", "expired" or "revoked"."""
    try:
        content = read_rsvp_token(token)
    except TokenExpiredError:
        content = _read_ignoring_age(token)
        found = _load(content) if content else None
        return None, "expired", found.language if found else ""
    if content is None:
        return None, "invalid", ""
    found = _load(content)
    if found is None:
        return None, "invalid", ""
    if (
        found.message is not None
        and RevokedRsvpLink.objects.filter(invitation=found.message).exists()
    ):
        return None, "revoked", found.language
    if found.event.status == Event.Status.FINISHED:
        return None, "expired", found.language
    return found, "", found.language


def _read_ignoring_age(token: str):
    from django.core import signing

    from outreach.services.tokens import RsvpToken

    try:
        value = signing.TimestampSigner(salt=RSVP_SALT).unsign(token)
    except signing.BadSignature:
        return None
    kind, _sep, public_id = value.partition(".")
    return RsvpToken(kind, public_id)


def _load(content) -> Invitation | None:
    import uuid

    try:
        public_id = uuid.UUID(content.public_id)
    except ValueError:
        return None
    if content.kind == "m":
        message = (
            Message.objects.select_related("campaign__event", "person", "via_assistant")
            .filter(public_id=public_id)
            .first()
        )
        if message is None or message.person is None or message.campaign.event is None:
            return None
        event = message.campaign.event
        registration = Registration.objects.filter(event=event, person=message.person).first()
        return Invitation(
            event=event,
            person=message.person,
            language=message.language,
            message=message,
            assistant=message.via_assistant,
            registration=registration,
        )
    registration = (
        Registration.objects.select_related("event", "person").filter(public_id=public_id).first()
    )
    if registration is None:
        return None
    return Invitation(
        event=registration.event,
        person=registration.person,
        language=registration.language or registration.person.preferred_language,
        registration=registration,
    )


def _problem_page(request: HttpRequest, problem: str, language: str) -> HttpResponse:
    language = _language(language, request) if language else translation.get_language()
    with translation.override(language):
        return render(
            request,
            "outreach/rsvp/problem.html",
            {"problem": problem, "rsvp_languages": []},
            status=404 if problem == "invalid" else 410,
        )


def _questions(event: Event, language: str) -> list[dict]:
    """The event's questions in the guest's language (translation of each source question)."""
    from wagtail.models import Locale

    sources = registering.questions_of(event)
    locale = Locale.objects.filter(language_code=language).first()
    localized = {}
    if locale is not None:
        for q in Question.objects.filter(
            translation_key__in=[s.translation_key for s in sources], locale=locale
        ):
            localized[q.translation_key] = q
    out = []
    for source in sources:
        shown = localized.get(source.translation_key, source)
        options = shown.option_list()
        if len(options) != len(source.option_list()):
            options = source.option_list()
        out.append({"source": source, "shown": shown, "options": list(enumerate(options))})
    return out


def _form_state(invitation: Invitation, post=None) -> dict:
    registration = invitation.registration
    state = {"companions": [], "sessions": set(), "answers": {}, "reason": ""}
    if post is not None:
        state["sessions"] = {int(v) for v in post.getlist("sessions") if v.isdigit()}
        state["answers"] = {
            key[1:]: post.get(key) for key in post if key.startswith("q") and key[1:].isdigit()
        }
        state["reason"] = post.get("decline_reason", "")
        state["companions"] = [
            (post.get(f"companion_{i}_native", ""), post.get(f"companion_{i}_latin", ""))
            for i in range(invitation.event.companion_allowance)
        ]
        return state
    if registration is not None:
        state["companions"] = [(c.name_native, c.name_latin) for c in registration.companions.all()]
        state["sessions"] = set(registration.session_choices.values_list("session_id", flat=True))
        state["answers"] = {
            str(k): v for k, v in registration.answers.values_list("question_id", "value")
        }
        state["reason"] = registration.decline_reason
    return state


def _render(request, token: str, invitation: Invitation, *, error=None, post=None, status=200):
    event = invitation.event
    language = translation.get_language()
    facts = event_facts(event, language)
    state = _form_state(invitation, post)
    companions = list(state["companions"])
    companions += [("", "")] * (event.companion_allowance - len(companions))
    sessions = [
        {
            "event": s,
            "title": public_details(s, language)[0],
            "when": event_facts(s, language).when,
            "left": registering.places_left(s),
            "checked": s.pk in state["sessions"],
        }
        for s in registering.sessions_of(event)
    ]
    registration = invitation.registration
    context = {
        "token": token,
        "facts": facts,
        "event": event,
        "invitee": formal_name(invitation.person, language),
        "assistant": formal_name(invitation.assistant, language) if invitation.assistant else "",
        "registration": registration,
        "status": registration.status if registration else "",
        "status_label": registration.get_status_display() if registration else "",
        "deadline_passed": registering.deadline_passed(event),
        "deadline": event_facts_deadline(event, language),
        "companions": [
            (i, native, latin)
            for i, (native, latin) in enumerate(companions[: event.companion_allowance])
        ],
        "sessions": sessions,
        "questions": _questions(event, language),
        "answers": state["answers"],
        "reason": state["reason"],
        "error": error,
        "done": request.GET.get("done") == "1",
        "rsvp_languages": [(code, request.path + f"?lang={code}") for code in _site_languages()],
        "hold_until": registration.hold_until if registration else None,
    }
    return render(request, "outreach/rsvp/page.html", context, status=status)


def event_facts_deadline(event: Event, language: str) -> str:
    from django.utils import formats

    local = event.answer_deadline.astimezone(event.zone)
    return (
        f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'TIME_FORMAT')}"
    )


# The signed personal token in the URL is the authentication: a forged cross-site POST would
# need it. No session or CSRF cookie, so the page works from any mail client and any device.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    invitation, problem, language = resolve(token)
    if invitation is None:
        return _problem_page(request, problem, language)
    language = _language(invitation.language, request)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        if request.method == "GET":
            return _render(request, token, invitation)
        if registering.deadline_passed(invitation.event):
            return _render(request, token, invitation, status=409)
        try:
            _answer(request, invitation, language)
        except registering.RegistrationError as error:
            return _render(request, token, invitation, error=error, post=request.POST, status=400)
        url = reverse("outreach_rsvp", args=[token]) + f"?lang={language}&done=1"
        return redirect(url)


def _answer(request: HttpRequest, invitation: Invitation, language: str) -> None:
    post = request.POST
    intent = post.get("answer", "")
    answered_by = invitation.assistant
    common = {
        "invitation": invitation.message,
        "answered_by": answered_by,
        "language": invitation.person.preferred_language if answered_by else language,
    }
    if intent == "accept":
        state = _form_state(invitation, post)
        data = registering.AcceptInput(
            companions=[registering.CompanionInput(n, latin) for n, latin in state["companions"]],
            session_ids=sorted(state["sessions"]),
            answers={int(k): v for k, v in state["answers"].items() if v},
        )
        if invitation.registration is not None and invitation.registration.status == S.OFFERED:
            common.pop("invitation")
        registering.accept(invitation.event, invitation.person, data, **common)
    elif intent == "decline":
        registering.decline(
            invitation.event, invitation.person, reason=post.get("decline_reason", ""), **common
        )
    elif intent == "delegate":
        email = (post.get("delegate_email") or "").strip()
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email
        from django.utils.translation import gettext as _

        try:
            validate_email(email)
        except ValidationError as exc:
            raise registering.RegistrationError(
                "invalid_email",
                _("Please give the delegate's email address."),
                field="delegate_email",
            ) from exc
        family = (post.get("delegate_family_name") or "").strip()
        if not family:
            raise registering.RegistrationError(
                "missing_name", _("Please give the delegate's name."), field="delegate_family_name"
            )
        registering.send_delegate(
            invitation.event,
            invitation.person,
            registering.DelegateInput(
                email=email,
                family_name=family,
                given_name=(post.get("delegate_given_name") or "").strip(),
                name_native=(post.get("delegate_name_native") or "").strip(),
                language=post.get("delegate_language") or language,
            ),
            **common,
        )
    else:
        from django.utils.translation import gettext as _

        raise registering.RegistrationError("invalid_answer", _("Please choose an answer."))
