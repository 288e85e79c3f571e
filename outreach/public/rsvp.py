"""The RSVP page: a guest's personal link opens it in their language (no login).

GET shows the invitation and the current answer and never changes anything (mail scanners
prefetch links). POST answers: accept (companions, sessions, the event's questions), decline
(optional reason) or send a delegate, through outreach.services.registration. A tampered,
expired or revoked link gets a friendly page in the right language."""

from __future__ import annotations

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
    Registration,
    RegistrationStatus,
    RevokedRsvpLink,
)
from outreach.presentation import event_facts, public_details
from outreach.public.registration import RegistrationForm, within_rate
from outreach.services import open_registration
from outreach.services import registration as registering
from outreach.services.tokens import RSVP_SALT, TokenExpiredError, read_rsvp_token

S = RegistrationStatus


class Invitation:
    """What a personal link opens: the event, the invitee, and who holds the link. The
    registration is read when first asked for (a POST re-reads it under lock anyway)."""

    _UNSET = object()

    def __init__(
        self,
        event: Event,
        person: Person,
        language: str,
        message: Message | None = None,
        assistant: Person | None = None,
        registration=_UNSET,
    ):
        self.event = event
        self.person = person
        self.language = language
        self.message = message
        self.assistant = assistant
        self._registration = registration

    @property
    def registration(self) -> Registration | None:
        if self._registration is self._UNSET:
            self._registration = (
                Registration.objects.filter(event=self.event, person=self.person)
                .prefetch_related("companions", "session_choices", "answers")
                .first()
            )
        return self._registration


# (raw host, port) -> (Wagtail site, monotonic expiry): the site's base template asks which
# Wagtail site serves the request; an RSVP link is opened once by each of many guests at once,
# so the answer is kept a minute per process instead of a query per page view.
_sites: dict[tuple[str, str], tuple[object, float]] = {}
SITE_MEMO_SECONDS = 60


def _remember_site(request: HttpRequest) -> None:
    import time

    from wagtail.models import Site

    key = (request._get_raw_host(), request.get_port())
    hit = _sites.get(key)
    if hit is not None and hit[1] > time.monotonic():
        request._wagtail_site = hit[0]
        return
    site = Site.find_for_request(request)
    if len(_sites) > 64:
        _sites.clear()
    _sites[key] = (site, time.monotonic() + SITE_MEMO_SECONDS)


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
    if found.message is not None and _revoked(found.message, content):
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
        # One query: the invitation, its event, the invitee, the assistant and any revocation.
        message = (
            Message.objects.select_related(
                "campaign__event", "person", "via_assistant", "rsvp_revocation"
            )
            .filter(public_id=public_id)
            .first()
        )
        if message is None or message.person is None or message.campaign.event is None:
            return None
        return Invitation(
            event=message.campaign.event,
            person=message.person,
            language=message.language,
            message=message,
            assistant=message.via_assistant,
        )
    registration = (
        Registration.objects.select_related("event", "person")
        .prefetch_related("companions", "session_choices", "answers")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None:
        return None
    return Invitation(
        event=registration.event,
        person=registration.person,
        language=registration.language or registration.person.preferred_language,
        registration=registration,
    )


def _revoked(message: Message, content) -> bool:
    """Revoked: the invitation's links signed before the revocation (a link re-issued after it
    works)."""
    try:
        revocation = message.rsvp_revocation
    except RevokedRsvpLink.DoesNotExist:
        return False
    issued = getattr(content, "issued_at", None)
    if issued is None or revocation.reissued_at is None:
        return True
    return issued < int(revocation.reissued_at.timestamp())


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
    sources = registering.questions_of(event)
    localized = registering.localized_questions(event, language)
    out = []
    for source in sources:
        shown = localized.get(source.translation_key, source)
        options = shown.option_list()
        if len(options) != len(source.option_list()):
            options = source.option_list()
        out.append({"source": source, "shown": shown, "options": list(enumerate(options))})
    return out


def _form_state(invitation: Invitation, post=None) -> dict:
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
    registration = invitation.registration
    if registration is not None:
        state["companions"] = [(c.name_native, c.name_latin) for c in registration.companions.all()]
        state["sessions"] = {c.session_id for c in registration.session_choices.all()}
        state["answers"] = {str(a.question_id): a.value for a in registration.answers.all()}
        state["reason"] = registration.decline_reason
    return state


def _render(
    request,
    token: str,
    invitation: Invitation,
    *,
    error=None,
    post=None,
    status=200,
    not_me_form=None,
):
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
        # Someone a personal invitation was forwarded to may ask to attend as themselves.
        "not_me_allowed": invitation.message is not None,
        "not_me_form": not_me_form or ForwardedRegistrationForm(auto_id="not_me_%s"),
        "not_me_sent": request.GET.get("not_me") == "sent",
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
    if settings.NAVIGATION_CACHE:  # as the site's menu: off in tests, which roll sites back
        _remember_site(request)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        if request.method == "GET":
            return _render(request, token, invitation)
        if registering.deadline_passed(invitation.event):
            return _render(request, token, invitation, status=409)
        if request.POST.get("answer") == "not_me" and invitation.message is not None:
            return _not_me(request, token, invitation, language)
        try:
            _answer(request, invitation, language)
        except registering.RegistrationError as error:
            return _render(request, token, invitation, error=error, post=request.POST, status=400)
        url = reverse("outreach_rsvp", args=[token]) + f"?lang={language}&done=1"
        return redirect(url)


class ForwardedRegistrationForm(RegistrationForm):
    """Someone a personal invitation was forwarded to, asking to attend as themselves."""


def _not_me(request: HttpRequest, token: str, invitation: Invitation, language: str):
    """ "I am not <invitee>": the visitor asks to attend as a new guest. Like an open
    registration, nothing is stored until they confirm their address; then their own
    registration is a request staff approve, and the invitee's answer is left alone."""
    from django.utils.translation import gettext as _

    form = ForwardedRegistrationForm(request.POST, auto_id="not_me_%s")
    if not within_rate(request, "not-me"):
        error = registering.RegistrationError(
            "rate_limited",
            _("Too many registrations from your connection. Please try again later."),
        )
        return _render(request, token, invitation, error=error, not_me_form=form, status=429)
    if not form.is_valid():
        return _render(request, token, invitation, not_me_form=form, status=400)
    data = form.cleaned_data
    open_registration.request_registration(
        open_registration.Registrant(
            event_id=invitation.event.pk,
            email=data["email"],
            family_name=data["family_name"],
            given_name=data["given_name"],
            name_native=data["name_native"],
            language=language,
            forwarded_invitation=invitation.message.pk,
        )
    )
    url = reverse("outreach_rsvp", args=[token]) + f"?lang={language}&not_me=sent#not-me"
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
