"""Who hears about a campaign's approval: the approvers when it is submitted, the author when it
is approved or sent back (with the reason). By email through the configured backend, after
commit, each in the staff member's own admin language; in the admin, the dashboard panels read
the same facts (campaigns awaiting the user's approval, decisions on the user's campaigns) from
the campaign rows and their history, so nothing is stored twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from outreach.models import Campaign, CampaignStatus
from outreach.staff_mail import send_staff_mail

DECISION_VERBS = ("outreach.campaign.approve", "outreach.campaign.reject")
# How far back the dashboard lists decisions on the user's campaigns.
RECENT_DECISION_DAYS = 14


def staff_language(user) -> str:
    """The language the user reads the admin in: their own choice, else the office's."""
    profile = getattr(user, "wagtail_userprofile", None)
    chosen = getattr(profile, "preferred_language", "") if profile is not None else ""
    return chosen or settings.LIAISON_ADMIN_LANGUAGE or settings.LANGUAGE_CODE


def approvers_for(campaign: Campaign):
    """Active staff who may approve this campaign: the approve permission (directly, through a
    role, or as superuser), not its author or submitter."""
    perm = Permission.objects.filter(
        codename="approve_campaign", content_type__app_label="outreach"
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(user_permissions__in=perm) | Q(groups__permissions__in=perm)
        )
        .exclude(pk__in=[pk for pk in (campaign.created_by_id, campaign.submitted_by_id) if pk])
        .distinct()
        .order_by("pk")
    )
    return [user for user in users if campaign_approvable_by(campaign, user)]


def campaign_approvable_by(campaign: Campaign, user) -> bool:
    from outreach.services.campaigns import can_approve

    return can_approve(campaign, user)


def awaiting_approval_by(user):
    """Submitted campaigns this user may approve (the dashboard's "awaiting your approval")."""
    if not user.has_perm("outreach.approve_campaign"):
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(status=CampaignStatus.SUBMITTED)
        .exclude(created_by=user)
        .exclude(submitted_by=user)
        .select_related("submitted_by")
        .order_by("updated_at")
    )


def recent_decisions_for(user, *, days: int = RECENT_DECISION_DAYS):
    """Approvals and rejections of the user's campaigns (authored or submitted) in the last
    `days` days, newest first: (campaign, verb, reason, who, when)."""
    from wagtail.models import ModelLogEntry

    mine = Campaign.objects.filter(Q(created_by=user) | Q(submitted_by=user)).values_list(
        "pk", flat=True
    )
    entries = (
        ModelLogEntry.objects.filter(
            action__in=DECISION_VERBS,
            content_type__app_label="outreach",
            content_type__model="campaign",
            object_id__in=[str(pk) for pk in mine[:500]],
            timestamp__gte=timezone.now() - dt.timedelta(days=days),
        )
        .select_related("user")
        .order_by("-timestamp")[:10]
    )
    campaigns = Campaign.objects.in_bulk([int(e.object_id) for e in entries])
    rows = []
    for entry in entries:
        campaign = campaigns.get(int(entry.object_id))
        if campaign is None:
            continue
        rows.append(
            {
                "campaign": campaign,
                "approved": entry.action == "outreach.campaign.approve",
                "reason": (entry.data or {}).get("reason", ""),
                "by": entry.user,
                "when": entry.timestamp,
            }
        )
    return rows


def _campaign_url(campaign: Campaign) -> str:
    base = (settings.WAGTAILADMIN_BASE_URL or "").rstrip("/")
    return base + reverse("outreach_campaign_live", args=[campaign.pk])


def _mail(user, subject, body) -> None:
    if not user.email:
        return
    with translation.override(staff_language(user)):
        send_staff_mail(str(subject()), str(body()), [user.email], what="campaign notice")


def notify_submitted(campaign: Campaign, *, count: int) -> None:
    """After commit: each approver gets an email with the campaign, its author and audience."""
    campaign_id = campaign.pk

    def send() -> None:
        row = Campaign.objects.select_related("submitted_by").filter(pk=campaign_id).first()
        if row is None or row.status != CampaignStatus.SUBMITTED:
            return
        author = row.submitted_by.get_full_name() or row.submitted_by.get_username()
        for approver in approvers_for(row):
            _mail(
                approver,
                lambda: _("Campaign awaiting your approval: %(name)s") % {"name": row.name},
                lambda: (
                    _(
                        "%(author)s submitted the campaign “%(name)s” for approval: %(count)s "
                        "recipients (before suppression).\n\nReview and approve it here:\n%(url)s"
                    )
                    % {
                        "author": author,
                        "name": row.name,
                        "count": f"{count:,}",
                        "url": _campaign_url(row),
                    }
                ),
            )

    transaction.on_commit(send)


def notify_decided(campaign: Campaign, *, approved: bool, acting_user, reason: str = "") -> None:
    """After commit: the campaign's author (and submitter) learn the decision and the reason."""
    campaign_id = campaign.pk
    decider = acting_user.get_full_name() or acting_user.get_username()

    def send() -> None:
        row = Campaign.objects.select_related("created_by", "submitted_by").get(pk=campaign_id)
        people = {u.pk: u for u in (row.created_by, row.submitted_by) if u is not None}
        for user in people.values():
            if approved:
                _mail(
                    user,
                    lambda: _("Campaign approved: %(name)s") % {"name": row.name},
                    lambda: (
                        _(
                            "%(decider)s approved the campaign “%(name)s”. "
                            "Schedule it here:\n%(url)s"
                        )
                        % {"decider": decider, "name": row.name, "url": _campaign_url(row)}
                    ),
                )
            else:
                _mail(
                    user,
                    lambda: _("Campaign sent back: %(name)s") % {"name": row.name},
                    lambda: (
                        _(
                            "%(decider)s sent the campaign “%(name)s” back to draft.\n\nReason: "
                            "%(reason)s\n\nEdit it here:\n%(url)s"
                        )
                        % {
                            "decider": decider,
                            "name": row.name,
                            "reason": reason,
                            "url": _campaign_url(row),
                        }
                    ),
                )

    transaction.on_commit(send)
