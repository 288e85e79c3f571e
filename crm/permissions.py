"""Object-level permissions for the CRM's admin views and API (one policy, used by both)."""

from __future__ import annotations

from wagtail.permission_policies.base import ModelPermissionPolicy

from crm.services import roles


class CrmPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the user's groups, plus:
    - restricted people: invisible to everyone but their owner and administrators;
    - officers change/delete only what they own (administrators anything)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not user.is_active:
            return False
        from crm.models import Person

        if isinstance(instance, Person) and not roles.can_view_person(user, instance):
            return False
        person = getattr(instance, "person", None)
        if isinstance(person, Person) and not roles.can_view_person(user, person):
            return False
        if action == "change":
            return roles.can_change(user, instance)
        if action == "delete":
            return self.user_has_permission(user, "delete") and (
                roles.is_administrator(user) or roles.owns(user, instance)
            )
        return self.user_has_permission(user, action)

    def instances_user_has_permission_for(self, user, action):
        queryset = self.model._default_manager.all()
        if self.model._meta.model_name == "person":
            return roles.visible_people(user, queryset)
        return queryset
