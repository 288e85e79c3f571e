"""Revoking and re-issuing an invitation's personal RSVP link (a forwarded invitation, a message
sent to the wrong address).

Links are signed with their signing time (outreach.services.tokens). Revoking refuses every
link to the invitation signed so far; re-issuing mails the invitee a fresh link, and links
signed from then on work again. Both are audited (Wagtail log on the invitation message) and
change no answer: the guest's registration, if any, stays as it is."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from outreach.models import Message, RevokedRsvpLink
from outreach.presentation import event_facts
from outreach.services.tokens import make_rsvp_token


class RsvpLinkError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def invitation_link(message: Message) -> str:
    """A freshly signed personal link to the invitation's RSVP page."""
    token = make_rsvp_token("m", message.public_id)
    return settings.SITE_URL.rstrip("/") + reverse("outreach_rsvp", args=[token])


@transaction.atomic
def revoke_link(
    message: Message, *, staff, reason: str = "", reissue: bool = False
) -> RevokedRsvpLink:
    """Refuse every link to `message` signed until now; with `reissue`, mail a new one."""
    if message.campaign.event_id is None or message.person_id is None:
        raise RsvpLinkError("not_an_invitation", _("This message carries no RSVP link."))
    revocation, _created = RevokedRsvpLink.objects.select_for_update().get_or_create(
        invitation=message, defaults={"revoked_by": staff, "reason": reason[:255]}
    )
    if not _created:
        revocation.revoked_at = timezone.now()
        revocation.revoked_by = staff
        revocation.reason = reason[:255]
        revocation.reissued_at = None
        revocation.save()
    log(message, "outreach.rsvp_link.revoke", user=staff, data={"reason": reason[:255]})
    if reissue:
        reissue_link(revocation, staff=staff)
    return revocation


@transaction.atomic
def reissue_link(revocation: RevokedRsvpLink, *, staff) -> RevokedRsvpLink:
    """Mail the invitee a new personal link (signed from now on, so it works; the revoked ones
    still do not)."""
    revocation = RevokedRsvpLink.objects.select_for_update().get(pk=revocation.pk)
    # Links are signed in whole seconds, so the re-issue starts at the next whole second: a link
    # signed before it (even in the same second) stays refused; the new link is signed from then
    # on (the mail waits for it, below).
    revocation.reissued_at = timezone.now().replace(microsecond=0) + timedelta(seconds=1)
    revocation.save(update_fields=["reissued_at"])
    log(revocation.invitation, "outreach.rsvp_link.reissue", user=staff, data={})
    from outreach import tasks

    message_id = revocation.invitation_id
    transaction.on_commit(lambda: tasks.send_new_rsvp_link.delay(message_id))
    return revocation


def send_new_link(message_id: int) -> bool:
    """Mail the invitation's new link to the address the invitation went to, in its language."""
    message = (
        Message.objects.select_related("campaign__event", "person", "rsvp_revocation")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.campaign.event is None or not message.email:
        return False
    revocation = getattr(message, "rsvp_revocation", None)
    if revocation is None or revocation.reissued_at is None:
        return False
    # Claim this re-issue's mail before sending: a task delivered twice (acks, retries) finds it
    # claimed and sends nothing. A failed send gives the claim back, so a retry may send it.
    claimed = (
        RevokedRsvpLink.objects.filter(pk=revocation.pk, reissued_at=revocation.reissued_at)
        .exclude(mailed_for=revocation.reissued_at)  # NULL (never mailed) is not excluded
        .update(mailed_for=revocation.reissued_at)
    )
    if not claimed:
        return False
    wait = revocation.reissued_at.timestamp() - time.time()
    if wait > 0:  # at most a second: the link must be signed after the re-issue began
        time.sleep(wait)
    try:
        _mail_new_link(message)
    except Exception:
        RevokedRsvpLink.objects.filter(pk=revocation.pk).update(mailed_for=None)
        raise
    return True


def _mail_new_link(message: Message) -> None:
    event = message.campaign.event
    language = message.language or settings.LANGUAGE_CODE
    with translation.override(language):
        facts = event_facts(event, language)
        context = {
            "facts": facts,
            "link": invitation_link(message),
            "salutation": message.person.salutation(language) if message.person else "",
        }
        email = EmailMultiAlternatives(
            subject=_("Your new invitation link: %(event)s") % {"event": facts.title},
            body=render_to_string("outreach/rsvp/new_link_mail.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.email],
        )
        email.send()
