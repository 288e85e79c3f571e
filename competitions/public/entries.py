"""The public call for entries: the entry form (in the visitor's language), the confirmation
link mailed to the team's contact, and the entry's own page (status; edit until the deadline)
opened by a signed link. Bad input (a file too large or of the wrong type, a malformed team
line, the deadline passed) answers with an error naming the field, never a server error."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from competitions.models import Competition, Entry, EntryStatus
from competitions.services import entries as entry_service
from competitions.uploads import check_upload
from outreach.public.registration import _language, within_rate

CONSENT_TEXT = gettext_lazy(
    "I agree that the organisers keep the details of our team and project to run this "
    "competition, and that the jury reads our entry. I can withdraw at any time."
)


def _parse_team(text: str) -> list[entry_service.MemberInput]:
    """One member a line: "Family name, Given name, email" (given name and email optional)."""
    members = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        family = parts[0]
        given = parts[1] if len(parts) > 1 else ""
        email = parts[2] if len(parts) > 2 else ""
        if not family or len(parts) > 3:
            raise ValidationError(
                _('Line %(line)s: write "Family name, Given name, email".') % {"line": number}
            )
        if email:
            try:
                forms.EmailField().clean(email)
            except ValidationError as exc:
                raise ValidationError(
                    _("Line %(line)s: %(email)s is not an email address.")
                    % {"line": number, "email": email}
                ) from exc
        members.append(entry_service.MemberInput(family[:150], given[:150], email))
    return members


class EntryForm(forms.Form):
    track = forms.TypedChoiceField(label=gettext_lazy("Track"), coerce=int)
    title_zh = forms.CharField(label=gettext_lazy("Project name (Chinese)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Project name (English)"), max_length=200)
    summary_zh = forms.CharField(
        label=gettext_lazy("Public summary (Chinese)"), max_length=2000, widget=forms.Textarea
    )
    summary_en = forms.CharField(
        label=gettext_lazy("Public summary (English)"), max_length=2000, widget=forms.Textarea
    )
    organization_name = forms.CharField(label=gettext_lazy("Organization"), max_length=255)
    lead_family_name = forms.CharField(label=gettext_lazy("Team lead: family name"), max_length=150)
    lead_given_name = forms.CharField(
        label=gettext_lazy("Team lead: given name"), max_length=150, required=False
    )
    contact_email = forms.EmailField(label=gettext_lazy("Team lead: email"))
    members = forms.CharField(
        label=gettext_lazy("Other team members"),
        help_text=gettext_lazy('One a line: "Family name, Given name, email".'),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    video_url = forms.URLField(
        label=gettext_lazy("Video link"), required=False, assume_scheme="https"
    )
    plan = forms.FileField(label=gettext_lazy("Business plan (PDF)"))
    deck = forms.FileField(label=gettext_lazy("Pitch deck (PDF or PowerPoint)"), required=False)
    consent = forms.BooleanField(label=CONSENT_TEXT)

    def __init__(self, *args, competition: Competition, language: str, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.competition = competition
        self.fields["track"].choices = [(t.pk, t.label(language)) for t in competition.tracks.all()]
        if editing:
            self.fields["plan"].required = False
            self.fields["plan"].help_text = _("Leave empty to keep the file you sent.")
            del self.fields["consent"]
            self.fields["contact_email"].disabled = True

    def clean_members(self):
        return _parse_team(self.cleaned_data.get("members", ""))

    def _clean_file(self, kind: str):
        upload = self.cleaned_data.get(kind)
        if not upload:
            return None
        limit = self.competition.max_attachment_mb * 1024 * 1024
        return (kind, upload, check_upload(upload, kind, max_bytes=limit))

    def clean_plan(self):
        return self._clean_file("plan")

    def clean_deck(self):
        return self._clean_file("deck")

    def entry_input(self, language: str) -> entry_service.EntryInput:
        data = self.cleaned_data
        lead = entry_service.MemberInput(
            data["lead_family_name"], data["lead_given_name"], data["contact_email"]
        )
        return entry_service.EntryInput(
            track_id=data["track"],
            title_zh=data["title_zh"],
            title_en=data["title_en"],
            summary_zh=data["summary_zh"],
            summary_en=data["summary_en"],
            organization_name=data["organization_name"],
            contact_email=data["contact_email"],
            video_url=data["video_url"],
            language=language,
            team=[lead, *data["members"]],
        )

    def attachments(self):
        return [a for a in (self.cleaned_data.get("plan"), self.cleaned_data.get("deck")) if a]


def _initial(entry: Entry) -> dict:
    team = entry.pending_team or []
    lead = team[0] if team else {}
    return {
        "track": entry.track_id,
        "title_zh": entry.title_zh,
        "title_en": entry.title_en,
        "summary_zh": entry.summary_zh,
        "summary_en": entry.summary_en,
        "organization_name": entry.organization_name,
        "lead_family_name": lead.get("family_name", ""),
        "lead_given_name": lead.get("given_name", ""),
        "contact_email": entry.contact_email,
        "members": "\n".join(
            ", ".join(filter(None, [m["family_name"], m["given_name"], m["email"]]))
            for m in team[1:]
        ),
        "video_url": entry.video_url,
    }


def _closed_message(competition: Competition) -> str:
    deadline = competition.entry_deadline.astimezone(competition.event.zone)
    return _("The call for entries closed on %(deadline)s.") % {
        "deadline": deadline.strftime("%Y-%m-%d %H:%M")
    }


@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, code: str) -> HttpResponse:
    competition = get_object_or_404(
        Competition.objects.select_related("event").exclude(event__status="planned"),
        event__code=code,
    )
    language = _language(request)
    with translation.override(language):
        context = {
            "competition": competition,
            "title": competition.title(language),
            "call": competition.call_zh if language.startswith("zh") else competition.call_en,
        }
        if not competition.accepts_entries():
            context["closed"] = _closed_message(competition)
            return render(
                request,
                "competitions/public/enter.html",
                context,
                status=410 if request.method == "POST" else 200,
            )
        form = EntryForm(
            request.POST or None,
            request.FILES or None,
            competition=competition,
            language=language,
        )
        if request.method == "POST":
            if not within_rate(request, "competition-entry"):
                context["form"] = form
                context["error"] = _("Too many entries from your connection. Try again later.")
                return render(request, "competitions/public/enter.html", context, status=429)
            if form.is_valid():
                try:
                    entry_service.submit_entry(
                        competition,
                        form.entry_input(language),
                        form.attachments(),
                        consent_text=str(CONSENT_TEXT),
                    )
                except entry_service.EntryError:
                    context["closed"] = _closed_message(competition)
                    return render(request, "competitions/public/enter.html", context, status=410)
                context["sent"] = True
                return render(request, "competitions/public/enter.html", context)
        context["form"] = form
        return render(
            request, "competitions/public/enter.html", context, status=400 if form.errors else 200
        )


def send_confirmation_mail(entry_id: int) -> None:
    entry = Entry.objects.filter(pk=entry_id).select_related("competition").first()
    if entry is None or entry.status != EntryStatus.UNCONFIRMED:
        return
    with translation.override(entry.language):
        token = entry_service.entry_token(entry)
        link = settings.SITE_URL.rstrip("/") + reverse("competitions_entry_confirm", args=[token])
        context = {
            "title": entry.competition.title(entry.language),
            "project": entry.title(entry.language),
            "link": link,
            "status_link": entry_service.entry_url(entry),
        }
        EmailMultiAlternatives(
            subject=_("Please confirm your entry: %(competition)s")
            % {"competition": context["title"]},
            body=render_to_string("competitions/public/confirm_mail.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[entry.contact_email],
        ).send()


def _problem(request, status=410):
    return render(request, "competitions/public/problem.html", {}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    entry = entry_service.read_entry_token(token)
    if entry is None:
        return _problem(request)
    with translation.override(entry.language):
        context = {"entry": entry, "title": entry.competition.title(entry.language)}
        if request.method == "GET":
            return render(request, "competitions/public/confirm.html", context)
        try:
            entry_service.confirm_entry(entry)
        except entry_service.EntryError:
            context["closed"] = _closed_message(entry.competition)
            return render(request, "competitions/public/confirm.html", context, status=410)
        return redirect(
            reverse("competitions_entry_status", args=[token]) + f"?lang={entry.language}"
        )


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    entry = entry_service.read_entry_token(token)
    if entry is None:
        return _problem(request)
    language = _language(request) if request.GET.get("lang") else entry.language
    competition = entry.competition
    with translation.override(language):
        editable = competition.accepts_entries() and entry.status in (
            EntryStatus.UNCONFIRMED,
            EntryStatus.SUBMITTED,
        )
        context = {
            "entry": entry,
            "title": competition.title(language),
            "project": entry.title(language),
            "track": entry.track.label(language),
            "status_label": _status_label(entry),
            "attachments": entry.attachments.all(),
            "editable": editable,
            "closed": "" if editable else _closed_message(competition),
        }
        if editable:
            form = EntryForm(
                request.POST or None,
                request.FILES or None,
                competition=competition,
                language=language,
                editing=True,
                initial=_initial(entry),
            )
            if request.method == "POST" and form.is_valid():
                data = form.entry_input(entry.language)
                data.contact_email = entry.contact_email
                data.team[0].email = entry.contact_email
                try:
                    entry_service.update_entry(entry, data, form.attachments())
                except entry_service.EntryError:
                    context["closed"] = _closed_message(competition)
                    return render(request, "competitions/public/status.html", context, status=410)
                return redirect(request.path + f"?lang={language}&saved=1")
            context["form"] = form
            context["saved"] = request.GET.get("saved") == "1"
            return render(
                request,
                "competitions/public/status.html",
                context,
                status=400 if form.errors else 200,
            )
        if request.method == "POST":
            return render(request, "competitions/public/status.html", context, status=410)
        return render(request, "competitions/public/status.html", context)


def _status_label(entry: Entry) -> str:
    """What the team sees: the entry's state, then how far it went in the rounds."""
    if entry.status != EntryStatus.SUBMITTED:
        return str(entry.get_status_display())
    language = translation.get_language()
    last = entry.rounds.select_related("round").order_by("-round__number").first()
    if last is None:
        return str(entry.get_status_display())
    round_name = last.round.label(language)
    if last.outcome == "promoted":
        return _("%(round)s: promoted") % {"round": round_name}
    if last.outcome == "eliminated":
        return _("%(round)s: not promoted") % {"round": round_name}
    return _("%(round)s: under review") % {"round": round_name}
