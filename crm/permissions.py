"""The Wagtail permission policy of the CRM's models: model permissions from the user's role,
record-level answers from crm.access (one policy for the admin, the API and Wagtail's own views:
edit links, usage rows, bulk actions)."""

from __future__ import annotations

from wagtail.permission_policies.base import ModelPermissionPolicy

from crm import access
from crm.services import roles


class CrmPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the user's groups, plus:
    - records the access policy hides (restricted people and what names them): no action;
    - officers change/delete only what they own (administrators anything)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not user.is_active:
            return False
        if not access.can_view(user, instance):
            return False
        person = getattr(instance, "person", None)
        if person is not None and not access.can_view_person(user, person):
            return False
        if action == "change":
            if instance._meta.label_lower == "crm.consent":
                return False  # consents are withdrawn and recorded anew, never edited
            return roles.can_change(user, instance)
        if action == "delete":
            return self.user_has_permission(user, "delete") and (
                access.is_administrator(user) or roles.owns(user, instance)
            )
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        queryset = access.visible_queryset(user, self.model)
        if action in ("change", "delete") and self.model._meta.label_lower == "crm.person":
            if not self.user_has_permission(user, action):
                return queryset.none()
            if not access.is_administrator(user):
                queryset = queryset.filter(owner_id=user.pk)
        return queryset
