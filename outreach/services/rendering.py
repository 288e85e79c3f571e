"""Rendering a campaign message for one recipient, inside the recipient's language.

Content is written with merge fields in double braces: ``{{ salutation }}``. Only the fields in
``MERGE_FIELDS`` exist (no template language: staff text cannot run code), each value is escaped
for the HTML part. An unknown field is an error that names it, raised when content is saved or
approved, never at send time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape as html_unescape
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.urls import get_urlconf, reverse
from django.utils import translation
from django.utils.html import escape, format_html, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outreach.models import Campaign, CampaignContent, Message
from outreach.services.tokens import RSVP_SALT, make_rsvp_token, make_token

MERGE_FIELDS = {
    "salutation": gettext_lazy("Greeting with title and name, correct for the language"),
    "name": gettext_lazy("The invited person's name"),
    "organization": gettext_lazy("The invited person's organization"),
    "position": gettext_lazy("The invited person's position"),
    "event_name": gettext_lazy("The event's public title in the recipient's language"),
    "event_date": gettext_lazy("Event date, as the public site shows it"),
    "event_time": gettext_lazy("Event start time in the event's time zone, with the zone's name"),
    "event_venue": gettext_lazy("The event's venue and city"),
    "event_url": gettext_lazy("The event's page on the public site"),
    "rsvp_url": gettext_lazy("Personal RSVP link"),
    "checkin_code_url": gettext_lazy(
        "Personal page with the guest's check-in QR codes (once their place is confirmed)"
    ),
    "checkin_code": gettext_lazy(
        "The guest's check-in QR code as an image (in the plain-text part: the link to it)"
    ),
    "unsubscribe_url": gettext_lazy("Personal unsubscribe link"),
    "practical_information": gettext_lazy(
        "Practical information for the guest: venue, address, map, time (also in their own "
        "time zone), dress code and what to bring, check-in code link. Added by itself to "
        "reminders to accepted guests"
    ),
}
FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
URL_FIELDS = {"rsvp_url", "unsubscribe_url", "event_url", "checkin_code_url"}


def unknown_fields(text: str) -> list[str]:
    return sorted({name for name in FIELD.findall(text or "") if name not in MERGE_FIELDS})


def validate_content(content: CampaignContent) -> None:
    for field in ("subject", "preheader", "body"):
        bad = unknown_fields(getattr(content, field))
        if bad:
            raise ValidationError(
                {
                    field: _("Unknown merge field %(fields)s in the %(language)s %(field)s.")
                    % {"fields": ", ".join(bad), "language": content.language, "field": field}
                }
            )


_PLACEHOLDER = "TOKEN-PLACEHOLDER"


@lru_cache(maxsize=16)
def _unsubscribe_template(site_url: str, urlconf: str | None) -> str:
    path = reverse("outreach_unsubscribe", args=[_PLACEHOLDER], urlconf=urlconf)
    return site_url.rstrip("/") + path


def unsubscribe_url(message: Message) -> str:
    # reverse() per message is slow at a thousand messages a second: reverse a placeholder once.
    template = _unsubscribe_template(settings.SITE_URL, get_urlconf())
    return template.replace(_PLACEHOLDER, make_token(message.public_id))


@lru_cache(maxsize=16)
def _rsvp_template(site_url: str, urlconf: str | None) -> str:
    return site_url.rstrip("/") + reverse("outreach_rsvp", args=[_PLACEHOLDER], urlconf=urlconf)


@lru_cache(maxsize=16)
def _code_template(site_url: str, urlconf: str | None, route: str) -> str:
    path = reverse(route, args=[_PLACEHOLDER], urlconf=urlconf)
    return site_url.rstrip("/") + path


def checkin_links(campaign: Campaign, message: Message) -> tuple[str, str]:
    """(the page with the guest's check-in codes, the guest's own code as a PNG), reached with
    this message's RSVP token - one signature for both (for a day-before reminder: the codes show
    once the place is confirmed)."""
    if not campaign.event_id:
        return "", ""
    token = make_rsvp_token("m", message.public_id)
    urlconf = get_urlconf()
    return tuple(
        _code_template(settings.SITE_URL, urlconf, route).replace(_PLACEHOLDER, token)
        for route in ("outreach_checkin_code", "outreach_checkin_code_image")
    )


def rsvp_url(campaign: Campaign, message: Message) -> str:
    """The personal RSVP link: Liaison's own RSVP page when the campaign is bound to an event
    (signed, scoped to this invitation, revocable), else the campaign's external page + token."""
    if campaign.event_id and not campaign.rsvp_url:
        template = _rsvp_template(settings.SITE_URL, get_urlconf())
        return template.replace(_PLACEHOLDER, make_rsvp_token("m", message.public_id))
    if not campaign.rsvp_url:
        return ""
    sep = "&" if "?" in campaign.rsvp_url else "?"
    token = make_token(message.public_id, RSVP_SALT)
    return f"{campaign.rsvp_url}{sep}{urlencode({'t': token, 'lang': message.language})}"


def html_to_text(html: str) -> str:
    """The plain-text part: tags dropped, links spelled out, entities turned back into the
    characters they stand for (``&amp;`` in a link would break it in a plain-text client)."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", html)
    text = re.sub(r"(?i)</(p|h[1-6]|li|div|tr)>", "\n\n", text)
    text = re.sub(r'(?i)<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", text)
    text = html_unescape(strip_tags(text))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip() + "\n"


@dataclass
class PreparedContent:
    """A content row expanded once per batch (rich text links resolved)."""

    subject: str
    preheader: str
    html: str


_prepared_cache: dict[tuple[int, str, object], PreparedContent] = {}


def prepared(content: CampaignContent) -> PreparedContent:
    from wagtail.rich_text import expand_db_html

    key = (content.pk, content.language, content.campaign.updated_at)
    hit = _prepared_cache.get(key)
    if hit is None:
        if len(_prepared_cache) > 200:
            _prepared_cache.clear()
        hit = PreparedContent(content.subject, content.preheader, expand_db_html(content.body))
        _prepared_cache[key] = hit
    return hit


def _affiliation(person):
    if person is None:
        return None
    try:
        affiliations = list(person.affiliations.all())
    except AttributeError:
        return None
    current = [a for a in affiliations if not a.end_date]
    for a in current:
        if a.is_primary:
            return a
    return current[0] if current else None


def name_for(person, language: str) -> str:
    """The person's name as a reader of ``language`` expects it."""
    if language.startswith("zh") or language == "ja":
        return person.name_chinese or person.full_name_native or person.composed_name
    return person.name_latin or person.composed_name or person.full_name_native


_facts_cache: dict[tuple[int, object, str], object] = {}


def _event_facts(event, language: str):
    """The event as the public site shows it in `language` (one lookup per batch, not per
    message: the page title and the zone's name are the same for every recipient)."""
    from outreach.presentation import event_facts

    key = (event.pk, event.updated_at, language)
    hit = _facts_cache.get(key)
    if hit is None:
        if len(_facts_cache) > 500:
            _facts_cache.clear()
        hit = _facts_cache[key] = event_facts(event, language)
    return hit


def merge_values(campaign: Campaign, message: Message) -> dict[str, str]:
    """The merge-field values for one message, in the active (recipient's) language."""
    person = message.person
    assistant = message.via_assistant
    addressee = assistant or person
    language = message.language
    values = dict.fromkeys(MERGE_FIELDS, "")
    if addressee is not None:
        values["salutation"] = addressee.salutation(language)
    if person is not None:
        values["name"] = name_for(person, language)
        affiliation = _affiliation(person)
        if affiliation is not None:
            values["organization"] = str(affiliation.organization)
            values["position"] = affiliation.position
    event = campaign.event
    if event is not None:
        facts = _event_facts(event, language)
        values["event_name"] = facts.title
        values["event_date"] = facts.date
        values["event_time"] = facts.time
        values["event_venue"] = facts.venue
        values["event_url"] = facts.url
    values["rsvp_url"] = rsvp_url(campaign, message)
    values["checkin_code_url"], values["checkin_code"] = checkin_links(campaign, message)
    values["unsubscribe_url"] = unsubscribe_url(message)
    practical_event = campaign.answer_event if campaign.answer_event_id else event
    if practical_event is not None:
        from outreach.presentation import practical_information

        values["practical_information"] = practical_information(
            practical_event,
            language,
            guest_zone=getattr(person, "time_zone", "") or "",
            code_url=values["checkin_code_url"],
            facts=_event_facts(practical_event, language),
        )
    return values


def carries_practical_information(campaign: Campaign) -> bool:
    """Reminders to accepted guests carry the practical-information block even when their text
    does not ask for it (at the end of the message)."""
    return campaign.answer_filter == "accepted" and bool(
        campaign.answer_event_id or campaign.event_id
    )


def _fill(text: str, values: dict[str, str], *, html: bool) -> str:
    def sub(match: re.Match) -> str:
        value = values.get(match.group(1), "")
        if match.group(1) == "checkin_code":
            # An image in the HTML part; in the plain-text part, the page with the codes.
            if not html:
                return values.get("checkin_code_url", "")
            if not value:
                return ""
            # Linked to the code page, so the plain-text part (drawn from this HTML) carries
            # "Your check-in code (<page>)" and a client that blocks images still has a way in.
            return format_html(
                '<a href="{}" style="display:inline-block"><img src="{}" width="200" height="200"'
                ' alt="" style="display:block">{}</a>',
                values.get("checkin_code_url", ""),
                value,
                _("Your check-in code"),
            )
        return escape(value).replace("\n", "<br>\n") if html else value

    return FIELD.sub(sub, text)


def build_email(
    campaign: Campaign, content: CampaignContent, message: Message
) -> EmailMultiAlternatives:
    """The email for one message. Call inside translation.override(message.language)."""
    values = merge_values(campaign, message)
    prep = prepared(content)
    subject = _fill(prep.subject, values, html=False).replace("\n", " ")
    body_html = _fill(prep.html, values, html=True)
    if (
        values["practical_information"]
        and carries_practical_information(campaign)
        and "practical_information" not in FIELD.findall(prep.html)
    ):
        body_html += "<p>" + _fill("{{ practical_information }}", values, html=True) + "</p>"
    note = ""
    if message.via_assistant is not None and message.person is not None:
        note = _("This message is addressed to %(name)s; you receive it as their assistant.") % {
            "name": name_for(message.person, message.language)
        }
    body_text = html_to_text(body_html)
    preheader = _fill(prep.preheader, values, html=False) or _preview_text(body_text)
    unsubscribe = values["unsubscribe_url"]
    html_shell, text_shell = _shells(campaign, content)
    html = (
        html_shell.replace("[[liaison:preheader]]", escape(preheader))
        .replace("[[liaison:subject]]", escape(subject))
        .replace("[[liaison:note]]", f"<p><em>{escape(note)}</em></p>" if note else "")
        .replace("[[liaison:unsubscribe]]", escape(unsubscribe))
        .replace("[[liaison:body]]", body_html)
    )
    text = (
        text_shell.replace("[[liaison:note]]", f"{note}\n\n" if note else "")
        .replace("[[liaison:unsubscribe]]", unsubscribe)
        .replace("[[liaison:body]]", body_text)
    )
    reply_to = []
    if campaign.reply_to_owner and message.person is not None:
        owner = getattr(message.person, "owner", None)
        if owner is not None and owner.email:
            reply_to = [owner.email]
    if not reply_to and campaign.reply_to:
        reply_to = [campaign.reply_to]
    from email.utils import formataddr

    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=formataddr((campaign.from_name, campaign.from_email)),
        to=[message.email],
        reply_to=reply_to,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    # Only opaque ids leave Liaison: the message's public id and the campaign's id.
    email.metadata = {"m": str(message.public_id), "c": str(campaign.pk)}
    email.tags = [f"campaign-{campaign.pk}"]
    return email


def _preview_text(body_text: str) -> str:
    """Without a preheader written by staff, the inbox shows the start of the text after the
    salutation: better than "View in browser" or the logo's alt text."""
    lines = [line for line in body_text.splitlines() if line.strip()]
    text = " ".join(lines[1:] or lines)
    return text[:140]


_SHELL_SECONDS = 60
_shell_cache: dict[tuple, tuple[float, str, str]] = {}


def _shells(campaign: Campaign, content: CampaignContent) -> tuple[str, str]:
    """The branded frame of a message (HTML and text) for one campaign content, rendered once per
    batch with markers where each message's parts go: a template per message would be slow.
    Branding changes show within a minute."""
    import time

    from django.template.loader import render_to_string

    from outreach.branding import brand_for, text_direction

    key = (content.pk, content.language, campaign.updated_at, get_urlconf())
    hit = _shell_cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < _SHELL_SECONDS:
        return hit[1], hit[2]
    if len(_shell_cache) > 200:
        _shell_cache.clear()
    brand = brand_for(content.language)
    direction = text_direction(content.language)
    context = {
        "language": content.language,
        "direction": direction,
        "start": "right" if direction == "rtl" else "left",
        "brand": brand,
        "sender": campaign.from_name or brand.name,
        "subject": "[[liaison:subject]]",
        "preheader": "[[liaison:preheader]]",
    }
    html = render_to_string("outreach/mail/campaign.html", context)
    text = render_to_string("outreach/mail/campaign.txt", context)
    _shell_cache[key] = (now, html, text)
    return html, text


def render_for(campaign: Campaign, message: Message) -> EmailMultiAlternatives:
    """Render one message in its language (used by preview and test send too)."""
    content = campaign.contents.filter(language=message.language).first()
    if content is None:
        raise ValidationError(
            _("The campaign has no %(language)s content.") % {"language": message.language}
        )
    with translation.override(message.language):
        return build_email(campaign, content, message)
