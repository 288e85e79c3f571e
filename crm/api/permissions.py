from rest_framework.permissions import BasePermission, DjangoModelPermissions

from crm import access
from crm.permissions import CrmPermissionPolicy

ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class CrmApiPermission(DjangoModelPermissions):
    """The admin's rules, for the API: model permissions from the user's role (reading needs
    the view permission too), and the CRM's object-level policy (restricted people, officers
    change what they own)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_object_permission(self, request, view, obj):
        policy = CrmPermissionPolicy(type(obj))
        return policy.user_has_permission_for_instance(
            request.user, ACTIONS.get(request.method, "change"), obj
        )


class MayUseAdmin(BasePermission):
    """The API admits whom the admin admits (Wagtail's "Can access Wagtail admin", which every
    role has), not ``is_staff``, which Wagtail's user editor never sets."""

    def has_permission(self, request, view):
        return access.may_use_admin(request.user)
