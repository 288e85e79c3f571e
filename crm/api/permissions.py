from rest_framework.permissions import DjangoModelPermissions

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
