"""Previewing a campaign as one of its recipients, and sending that preview to oneself."""

from __future__ import annotations

import logging
from datetime import timedelta

from anymail.exceptions import AnymailError, AnymailInvalidAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from crm.models import Person
from outreach.models import (
    Campaign,
    Message,
)
from outreach.services import rendering

logger = logging.getLogger(__name__)


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


def test_sends_in_the_last_hour(user) -> int:
    """Counted from the audit log, so the limit holds across processes and hosts."""
    since = timezone.now() - timedelta(hours=1)
    return ModelLogEntry.objects.filter(
        action="outreach.campaign.test_send", user_id=user.pk, timestamp__gte=since
    ).count()


def test_send(campaign: Campaign, person: Person, language: str, *, acting_user) -> None:
    """Send the preview to the acting user's own account address only (never to the person,
    never to an address given with the request), at most CAMPAIGN_TEST_SENDS_PER_HOUR an hour.
    A message the ESP or the headers refuse is a ValidationError that says so."""
    address = (acting_user.email or "").strip()
    if not address:
        raise ValidationError(_("Your user account has no email address to send the test to."))
    domains = settings.STAFF_EMAIL_DOMAINS
    if domains and address.rpartition("@")[2].lower() not in domains:
        # Anyone can type any address into their account settings; the office's own domains
        # are the addresses it vouches for.
        raise ValidationError(
            _("Test messages go only to addresses at %(domains)s; your account's is not.")
            % {"domains": ", ".join(domains)},
            code="address_not_verified",
        )
    limit = settings.CAMPAIGN_TEST_SENDS_PER_HOUR
    if test_sends_in_the_last_hour(acting_user) >= limit:
        raise ValidationError(
            _("You have sent %(limit)s test messages in the last hour; try again later.")
            % {"limit": limit},
            code="rate_limited",
        )
    message = preview_message(campaign, person, language)
    try:
        email = rendering.render_for(campaign, message)
        email.to = [address]
        email.cc = []
        email.bcc = []
        email.subject = "[TEST] " + email.subject
        email.metadata = {"test": "1", "c": str(campaign.pk)}
        email.send()
    except (BadHeaderError, AnymailInvalidAddress) as exc:
        raise ValidationError(
            _(
                "The message cannot be sent: the sender name, sender address or subject "
                "contains a line break or is not a valid address."
            ),
            code="bad_header",
        ) from exc
    except (AnymailError, OSError) as exc:
        logger.warning("test send of campaign %s failed: %s", campaign.pk, type(exc).__name__)
        raise ValidationError(
            _("The email service did not accept the test message; try again later."),
            code="esp_unavailable",
        ) from exc
    log(campaign, "outreach.campaign.test_send", user=acting_user)
