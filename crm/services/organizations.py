"""Operations on organizations, audited like people."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log

from crm.models import Organization
from crm.phones import parse_phone

# An organization's own editable fields, in display order (the API lists them in this order).
ORGANIZATION_FIELDS = (
    "name",
    "name_en",
    "name_zh",
    "acronym",
    "kind",
    "country",
    "city",
    "website",
    "phone",
    "parent",
    "tier",
    "owner",
    "notes",
)


def _apply(organization: Organization, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        if key in ORGANIZATION_FIELDS:
            setattr(organization, key, value)
    raw_phone = fields.get("phone")
    if raw_phone:
        try:
            organization.phone = parse_phone(str(raw_phone), str(organization.country or ""))
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc
    organization.full_clean(exclude=["tags", "search_text"])


@transaction.atomic
def create_organization(fields: dict[str, Any], *, tags=None, acting_user=None) -> Organization:
    organization = Organization()
    _apply(organization, fields)
    organization.save()
    if tags:
        organization.tags.set(tags)
        organization.save()
    log(organization, "wagtail.create", user=acting_user)
    return organization


@transaction.atomic
def update_organization(
    organization: Organization, fields: dict[str, Any], *, tags=None, acting_user=None
) -> Organization:
    _apply(organization, fields)
    organization.save()
    if tags is not None:
        organization.tags.set(tags)
        organization.save()
    log(organization, "wagtail.edit", user=acting_user)
    return organization


@transaction.atomic
def save_organization_from_form(form, *, acting_user, created: bool) -> Organization:
    organization = form.save()
    log(organization, "wagtail.create" if created else "wagtail.edit", user=acting_user)
    return organization
