"""Wagtail hooks of the door screens (imported by outreach/wagtail_hooks.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from outreach.admin import checkin as views


@hooks.register("register_admin_urls")
def register_checkin_urls():
    return [
        path("checkin/", views.index, name="outreach_checkin_index"),
        path("checkin/sw.js", views.service_worker, name="outreach_checkin_sw"),
        path("checkin/<int:event_id>/", views.screen, name="outreach_checkin_screen"),
        path(
            "checkin/<int:event_id>/manifest.json",
            views.manifest,
            name="outreach_checkin_manifest",
        ),
        path("checkin/<int:event_id>/sync/", views.sync, name="outreach_checkin_sync"),
        path("checkin/<int:event_id>/walk-in/", views.walk_in, name="outreach_checkin_walk_in"),
        path(
            "checkin/<int:event_id>/walk-in/matches/",
            views.walk_in_matches,
            name="outreach_checkin_walk_in_matches",
        ),
        path("checkin/<int:event_id>/badges/", views.badges, name="outreach_checkin_badges"),
        path(
            "checkin/<int:event_id>/precedence/",
            views.precedence,
            name="outreach_checkin_precedence",
        ),
        path("checkin/badge/<uuid:registration_id>/", views.badge, name="outreach_checkin_badge"),
        path("events/<int:event_id>/funnel/", views.funnel, name="outreach_event_funnel"),
    ]


class CheckinMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return (
            user.is_superuser
            or user.has_perm("outreach.check_in_guests")
            or user.has_perm("outreach.change_registration")
        )


@hooks.register("register_admin_menu_item")
def register_checkin_menu_item():
    return CheckinMenuItem(
        _("Check-in"), reverse("outreach_checkin_index"), icon_name="tick", order=250
    )


@hooks.register("register_log_actions")
def register_checkin_log_actions(actions):
    actions.register_action(
        "outreach.precedence.change",
        _("Order of precedence changed"),
        _("Order of precedence changed"),
    )
