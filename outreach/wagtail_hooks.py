from django.conf import settings
from django.urls import path
from django.utils.translation import gettext_lazy as _
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from outreach import views
from outreach.event_admin import EventViewSet
from outreach.services import system


class WorkerStatusPanel(Component):
    """Dashboard panel: when a background worker last answered, with a button to ask now."""

    name = "worker_status"
    template_name = "outreach/admin/worker_status_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        return {
            "heartbeat": system.last_heartbeat(),
            "csrf_token": parent_context["csrf_token"],
            "request": parent_context["request"],
        }


@hooks.register("construct_homepage_panels")
def add_worker_status_panel(request, panels):
    if request.user.is_superuser or request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(WorkerStatusPanel())


@hooks.register("register_admin_urls")
def register_outreach_admin_urls():
    return [path("system/worker-check/", views.worker_check, name="outreach_worker_check")]


class OutboxMenuItem(MenuItem):
    """Shown only where a development outbox runs (no real ESP configured)."""

    def is_shown(self, request):
        return bool(settings.OUTBOX_URL)


@hooks.register("register_admin_menu_item")
def register_outbox_menu_item():
    return OutboxMenuItem(
        _("Outbox (development)"),
        settings.OUTBOX_URL or "#",
        icon_name="mail",
        order=10000,
        attrs={"target": "_blank", "rel": "noopener"},
    )


register_snippet(EventViewSet)
