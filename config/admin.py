from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    """Django's own admin, for superusers only; staff work in the Wagtail admin."""

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
