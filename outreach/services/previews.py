"""Previewing a campaign as one of its recipients, and sending that preview to oneself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from crm.models import Person
from outreach.models import (
    Campaign,
    Message,
)
from outreach.services import rendering


def preview_message(campaign: Campaign, person: Person, language: str) -> Message:
    """An unsaved Message for previewing the campaign as ``person`` in ``language``."""
    email = person.primary_email
    address = email.email if email else "preview@example.invalid"
    return Message(
        campaign=campaign,
        person=person,
        email=address,
        email_digest="",
        language=language,
        time_zone=person.time_zone,
        due_at=timezone.now(),
    )


def preview(campaign: Campaign, person: Person, language: str) -> dict[str, str]:
    email = rendering.render_for(campaign, preview_message(campaign, person, language))
    html = next((c for c, mime in email.alternatives if mime == "text/html"), "")
    return {"subject": email.subject, "text": email.body, "html": html, "to": email.to[0]}


def test_send(campaign: Campaign, person: Person, language: str, *, acting_user) -> None:
    """Send the preview to the acting user's own address (never to the person)."""
    if not acting_user.email:
        raise ValidationError(_("Your user account has no email address to send the test to."))
    message = preview_message(campaign, person, language)
    email = rendering.render_for(campaign, message)
    email.to = [acting_user.email]
    email.subject = "[TEST] " + email.subject
    email.metadata = {"test": "1", "c": str(campaign.pk)}
    email.send()
    log(campaign, "outreach.campaign.test_send", user=acting_user)
