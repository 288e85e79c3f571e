"""Demo data for campaigns: a draft invitation in three languages to the first demo segment,
ready to be submitted, approved by another user and sent to the development outbox.
Idempotent (found by name)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from outreach.models import Campaign, CampaignContent, CampaignKind, CampaignPurpose

NAME = "Demo: World Smart Manufacturing Forum invitation"
CONTENT = {
    "en": (
        "Invitation: World Smart Manufacturing Forum, Ningbo",
        "<p>{{ salutation }},</p><p>On behalf of the organizing committee we are honoured to "
        "invite you to the World Smart Manufacturing Forum in Ningbo.</p>"
        '<p><a href="{{ rsvp_url }}">Please let us know if you can attend.</a></p>',
    ),
    "zh-hans": (
        "邀请函：世界智能制造大会（宁波）",
        "<p>{{ salutation }}：</p>"
        "<p>我们谨代表组委会，诚挚邀请您出席在宁波举办的世界智能制造大会。</p>"
        '<p><a href="{{ rsvp_url }}">敬请回复是否出席。</a></p>',
    ),
    "de": (
        "Einladung: World Smart Manufacturing Forum, Ningbo",
        "<p>{{ salutation }},</p><p>im Namen des Organisationskomitees laden wir Sie herzlich "
        "zum World Smart Manufacturing Forum in Ningbo ein.</p>"
        '<p><a href="{{ rsvp_url }}">Bitte teilen Sie uns mit, ob Sie teilnehmen.</a></p>',
    ),
}


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    from crm.models import Segment

    owner = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    campaign, created = Campaign.objects.get_or_create(
        name=NAME,
        defaults={
            "kind": CampaignKind.INVITATION,
            "purpose": CampaignPurpose.EVENT_INVITATIONS,
            "from_name": "Ningbo International Office",
            "from_email": "invitations@liaison.example.org",
            "languages": list(CONTENT),
            "fallback_language": "en",
            "created_by": owner,
        },
    )
    if created:
        for language, (subject, body) in CONTENT.items():
            CampaignContent.objects.create(
                campaign=campaign, language=language, subject=subject, body=body
            )
        segment = Segment.objects.order_by("pk").first()
        if segment is not None:
            campaign.segments.add(segment)
    return {"campaigns": int(created)}
