"""Revoking an invitation's RSVP link from the admin, and re-issuing it (audited)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from outreach.models import Registration, RevokedRsvpLink
from outreach.services.tokens import make_rsvp_token
from tests.factories import EventFactory, PersonFactory, RevokedRsvpLinkFactory, invited

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks", "site_structure")]
ADD = "/admin/snippets/outreach/revokedrsvplink/add/"
LIST = "/admin/snippets/outreach/revokedrsvplink/"


def _path(message) -> str:
    return reverse("outreach_rsvp", args=[make_rsvp_token("m", message.public_id)])


def test_staff_revoke_a_link_and_the_guest_sees_a_clear_page_in_their_language(
    client, campaign_manager, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory()
    guest = PersonFactory(family_name="Tanaka", preferred_language="ja")
    message = invited(event, guest, language="ja")
    old_link = _path(message)
    client.force_login(campaign_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADD, {"event": event.pk, "guest": guest.pk, "revoke_reason": "forwarded to a friend"}
        )
    assert response.status_code == 302
    revocation = RevokedRsvpLink.objects.get()
    assert (revocation.invitation, revocation.revoked_by, revocation.reason) == (
        message,
        campaign_manager,
        "forwarded to a friend",
    )
    entry = ModelLogEntry.objects.get(action="outreach.rsvp_link.revoke")
    assert (entry.object_id, entry.user_id) == (str(message.pk), campaign_manager.pk)
    assert mailoutbox == []  # no new link unless asked
    page = client.post(old_link, {"answer": "accept"})
    assert page.status_code == 410
    assert "このリンクは無効になりました" in page.content.decode()
    assert not Registration.objects.exists()
    assert "Tanaka" in client.get(LIST).content.decode()


def test_a_reissued_link_works_and_the_revoked_one_stays_refused(
    client, campaign_manager, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory()
    guest = PersonFactory(email="li@example.cn", preferred_language="zh-hans")
    message = invited(event, guest, language="zh-hans")
    old_link = _path(message)
    revocation = RevokedRsvpLinkFactory(invitation=message, revoked_by=campaign_manager)
    client.force_login(campaign_manager)
    edit = reverse("wagtailsnippets_outreach_revokedrsvplink:edit", args=[revocation.pk])
    assert client.post(edit, {}).status_code == 200  # the box must be ticked
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {"send_new_link": "on"})
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(action="outreach.rsvp_link.reissue").count() == 1
    (mail,) = mailoutbox
    assert mail.to == [message.email]
    assert "新的邀请链接" in mail.subject
    new_link = re.search(r"http\S+/rsvp/\S+/", mail.body).group(0)
    new_path = new_link.split("localhost:8000")[-1]
    assert client.get(new_path).status_code == 200
    assert client.get(old_link).status_code == 410
    assert client.post(new_path, {"answer": "accept"}).status_code == 302
    assert Registration.objects.get().person == guest
    # The task delivered again (a retry, a redelivered message): the guest gets no second mail.
    from outreach import tasks

    assert tasks.send_new_rsvp_link(message.pk) is False
    assert len(mailoutbox) == 1


def test_revoking_needs_an_invitation_and_the_right(client, campaign_manager, viewer):
    event = EventFactory()
    stranger = PersonFactory()
    client.force_login(campaign_manager)
    response = client.post(ADD, {"event": event.pk, "guest": stranger.pk})
    assert response.status_code == 200
    assert "This guest was sent no invitation to this event." in response.content.decode()
    assert not RevokedRsvpLink.objects.exists()
    client.force_login(viewer)
    assert client.get(ADD).status_code in (302, 403)


def test_revoked_links_of_a_restricted_guest_are_not_listed_to_staff_who_may_not_see_them(
    client, campaign_manager
):
    secret = PersonFactory(family_name="Verborgen", restricted=True)
    RevokedRsvpLinkFactory(invitation=invited(EventFactory(), secret))
    client.force_login(campaign_manager)
    assert "Verborgen" not in client.get(LIST).content.decode()
