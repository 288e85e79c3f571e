"""Roles are Wagtail groups (editable in Settings -> Groups) created by `ensure_roles()`, which is
idempotent and runs after every `migrate`:

- Viewer: reads everything not restricted; personal contact details (emails, phones, handles)
  are masked.
- Officer: Viewer + sees contact details, adds contacts, organizations and interactions, edits
  what they own.
- Campaign manager: Officer + segments, and every permission of the `outreach` app (campaigns).
- Administrator: everything in the CRM, including restricted people, other staff's records,
  privacy export, erasure and merge.

Restricted people are visible only to their owner and to administrators, whatever the group.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

VIEWER = "Viewer"
OFFICER = "Officer"
CAMPAIGN_MANAGER = "Campaign manager"
ADMINISTRATOR = "Administrator"
ROLE_LABELS = {
    VIEWER: _("Viewer"),
    OFFICER: _("Officer"),
    CAMPAIGN_MANAGER: _("Campaign manager"),
    ADMINISTRATOR: _("Administrator"),
}
# Wagtail's own groups (created by its migrations) and ours keep their English names as keys;
# the admin shows them translated (Group.__str__, see crm.apps).
GROUP_LABELS = {**ROLE_LABELS, "Editors": _("Editors"), "Moderators": _("Moderators")}


def group_label(name: str) -> str:
    return str(GROUP_LABELS.get(name, name))


CRM_MODELS = [
    "organization",
    "sistercitypartnership",
    "person",
    "personemail",
    "personphone",
    "messaginghandle",
    "affiliation",
    "relationship",
    "relationshiptype",
    "interaction",
    "consent",
    "segment",
    "sector",
]
OFFICER_EDITS = [
    "organization",
    "sistercitypartnership",
    "person",
    "personemail",
    "personphone",
    "messaginghandle",
    "affiliation",
    "relationship",
    "interaction",
    "consent",
]


def _perms(codenames: list[str], app_label: str = "crm") -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def role_permissions() -> dict[str, list[Permission]]:
    admin_access = list(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    viewer = admin_access + _perms([f"view_{m}" for m in CRM_MODELS])
    officer = (
        viewer
        + _perms([f"{verb}_{m}" for m in OFFICER_EDITS for verb in ("add", "change")])
        + _perms(["view_contact_details"])
        # Officers import contacts (the people they import are theirs) and see their imports.
        + _perms(["add_contactimport", "view_contactimport"])
    )
    outreach = list(Permission.objects.filter(content_type__app_label="outreach"))
    campaign_manager = officer + _perms([f"{v}_segment" for v in ("add", "change", "delete")])
    campaign_manager += outreach
    administrator = (
        admin_access + list(Permission.objects.filter(content_type__app_label="crm")) + outreach
    )
    return {
        VIEWER: viewer,
        OFFICER: officer,
        CAMPAIGN_MANAGER: campaign_manager,
        ADMINISTRATOR: administrator,
    }


def ensure_roles() -> dict[str, Group]:
    """Create the four groups and give them their permissions (adds missing ones; never removes
    permissions an administrator granted by hand)."""
    groups = {}
    for name, permissions in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
        groups[name] = group
    return groups


# The record-level questions live in crm.access (one policy for every path); these names stay
# here for the code that asked roles before.
from crm.access import (  # noqa: E402
    can_see_contact_details,
    can_see_restricted,
    can_view_person,
    count_visible_people,
    is_administrator,
    mask_email,
    mask_phone,
    visible_people,
)

__all__ = [
    "can_see_contact_details",
    "can_see_restricted",
    "can_view_person",
    "count_visible_people",
    "is_administrator",
    "mask_email",
    "mask_phone",
    "visible_people",
]


def owns(user, instance) -> bool:
    """Who owns a record, for "officers edit what they own"."""
    from crm import access

    if instance._meta.label_lower == "crm.relationship":
        # A link between two contacts or organizations: theirs to change on both ends.
        people = [p for p in (instance.from_person, instance.to_person) if p is not None]
        organizations = [
            o for o in (instance.from_organization, instance.to_organization) if o is not None
        ]
        return all(access.can_change_person(user, p) for p in people) and all(
            o.owner_id == user.pk for o in organizations
        )
    partner = getattr(instance, "partner", None)  # a sister-city partnership
    if partner is not None and hasattr(partner, "owner_id"):
        return partner.owner_id == user.pk
    owner_id = getattr(instance, "owner_id", None)
    if owner_id is not None:
        return owner_id == user.pk
    created_by_id = getattr(instance, "created_by_id", None)
    if created_by_id is not None:
        return created_by_id == user.pk
    person = getattr(instance, "person", None)
    if person is not None:
        return person.owner_id == user.pk
    return False


def can_change(user, instance) -> bool:
    from crm import access
    from crm.models import Person, Segment

    model_name = instance._meta.model_name
    if not user.has_perm(f"crm.change_{model_name}"):
        return False
    if not access.can_view(user, instance):
        return False
    if isinstance(instance, Person):
        return access.can_change_person(user, instance)
    if isinstance(instance, Segment) or is_administrator(user):
        return True
    return owns(user, instance)
