"""The expos in the Wagtail admin (menu "Expos"): exhibitors, buyers (approve, re-tier,
agenda), meeting requests (force), the meeting grid (slots, tables, walking times,
interpreters, meetings with lock), the scheduler per expo and each participant's agenda with
an .ics per meeting. Every viewset is guarded by the CRM's access policy (crm.access)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from crm.admin.widgets import PersonChooserPanel
from crm.wagtail_hooks import CrmSnippetViewSet
from expos.admin import views
from expos.models import (
    Buyer,
    Exhibitor,
    HallWalk,
    Interpreter,
    Meeting,
    MeetingRequest,
    MeetingSlot,
    MeetingTable,
)
from outreach.models import Event


class ExpoViewSet(CrmSnippetViewSet):
    def get_form_class(self, for_update=False):
        # Foreign-key choices only as far as the access policy shows them.
        form_class = super().get_form_class(for_update)
        if issubclass(form_class, views.ExpoAdminForm):
            return form_class
        return type(form_class.__name__, (views.ExpoAdminForm, form_class), {})


class ExhibitorViewSet(ExpoViewSet):
    model = Exhibitor
    icon = "building"
    menu_label = _("Exhibitors")
    list_display = ["__str__", "event", "hall", "booth_number", "booth_size", "seeking_investment"]
    list_filter = ["event", "hall", "seeking_investment"]
    inspect_view_fields = [
        "event",
        "organization",
        "hall",
        "booth_number",
        "booth_size",
        "products_en",
        "products_zh",
        "sectors",
        "seeking_investment",
        "languages",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("event"), FieldPanel("organization")]),
            FieldRowPanel(
                [FieldPanel("hall"), FieldPanel("booth_number"), FieldPanel("booth_size")]
            ),
            FieldPanel("products_en"),
            FieldPanel("products_zh"),
            FieldPanel("sectors"),
            PersonChooserPanel("contacts"),
            FieldRowPanel([FieldPanel("seeking_investment"), FieldPanel("languages")]),
        ],
        base_form_class=views.ExpoAdminForm,
    )


class BuyerViewSet(ExpoViewSet):
    model = Buyer
    icon = "user"
    menu_label = _("Buyers")
    list_display = [
        "__str__",
        Column("event", label=_("expo"), accessor="registration.event"),
        "tier",
        "hosted",
        "approved_at",
    ]
    list_filter = ["registration__event", "tier", "hosted"]
    inspect_view_fields = ["tier", "hosted", "sectors", "intents", "languages", "approved_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("registration"),
            FieldPanel("hosted"),
            FieldPanel("sectors"),
            FieldRowPanel([FieldPanel("intents"), FieldPanel("languages")]),
            FieldPanel("available_slots"),
        ],
        base_form_class=views.ExpoAdminForm,
    )


class MeetingRequestViewSet(ExpoViewSet):
    model = MeetingRequest
    icon = "group"
    menu_label = _("Meeting requests")
    list_display = ["__str__", "event", "buyer_mark", "exhibitor_mark", "status", "forced"]
    list_filter = ["event", "status", "forced"]
    inspect_view_fields = [
        "event",
        "buyer",
        "exhibitor",
        "buyer_mark",
        "exhibitor_mark",
        "status",
        "forced",
        "expires_at",
        "unplaced_reasons",
    ]


class MeetingSlotViewSet(ExpoViewSet):
    model = MeetingSlot
    icon = "time"
    menu_label = _("Meeting slots")
    list_display = ["__str__", "event"]
    list_filter = ["event"]


class MeetingTableViewSet(ExpoViewSet):
    model = MeetingTable
    icon = "table"
    menu_label = _("Meeting tables")
    list_display = ["__str__", "event", "hall"]
    list_filter = ["event", "hall"]


class HallWalkViewSet(ExpoViewSet):
    model = HallWalk
    icon = "redirect"
    menu_label = _("Walking times")
    list_display = ["__str__", "event"]
    list_filter = ["event"]


class InterpreterViewSet(ExpoViewSet):
    model = Interpreter
    icon = "comment"
    menu_label = _("Interpreters")
    list_display = ["__str__", "event", "languages"]
    list_filter = ["event"]


class MeetingViewSet(ExpoViewSet):
    model = Meeting
    icon = "date"
    menu_label = _("Meetings")
    list_display = ["__str__", "slot", "table", "interpreter", "locked"]
    list_filter = ["locked"]


class ExposViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Expos")
    menu_icon = "globe"
    menu_order = 165
    items = (
        ExhibitorViewSet(),
        BuyerViewSet(),
        MeetingRequestViewSet(),
        MeetingViewSet(),
        MeetingSlotViewSet(),
        MeetingTableViewSet(),
        HallWalkViewSet(),
        InterpreterViewSet(),
    )


register_snippet(ExposViewSetGroup)


@hooks.register("register_admin_urls")
def register_expo_admin_urls():
    return [
        path("expos/<int:pk>/schedule/", views.schedule, name="expos_schedule"),
        path("expos/buyer/<int:pk>/approve/", views.buyer_approve, name="expos_buyer_approve"),
        path("expos/buyer/<int:pk>/retier/", views.buyer_retier, name="expos_buyer_retier"),
        path("expos/buyer/<int:pk>/agenda/", views.buyer_agenda, name="expos_buyer_agenda"),
        path(
            "expos/exhibitor/<int:pk>/agenda/",
            views.exhibitor_agenda,
            name="expos_exhibitor_agenda",
        ),
        path("expos/request/<int:pk>/force/", views.request_force, name="expos_request_force"),
        path("expos/meeting/<int:pk>/lock/", views.meeting_lock, name="expos_meeting_lock"),
        path(
            "expos/meeting/<int:pk>/ics/buyer/",
            views.meeting_ics_buyer,
            name="expos_meeting_ics_buyer",
        ),
        path(
            "expos/meeting/<int:pk>/ics/exhibitor/",
            views.meeting_ics_exhibitor,
            name="expos_meeting_ics_exhibitor",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def expo_listing_buttons(snippet, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    if isinstance(snippet, Buyer) and user.has_perm("expos.change_buyer"):
        yield ListingButton(
            _("Re-tier"), reverse("expos_buyer_retier", args=[snippet.pk]), priority=20
        )
    may_force = user.has_perm("expos.change_meetingrequest")
    if isinstance(snippet, MeetingRequest) and may_force and not snippet.forced:
        yield ListingButton(
            _("Force"), reverse("expos_request_force", args=[snippet.pk]), priority=20
        )
    if isinstance(snippet, Meeting) and user.has_perm("expos.change_meeting"):
        label = _("Unlock") if snippet.locked else pgettext_lazy("expo meeting", "Lock")
        yield ListingButton(label, reverse("expos_meeting_lock", args=[snippet.pk]), priority=20)
    if (
        isinstance(snippet, Event)
        and snippet.kind == "expo"
        and user.has_perm("expos.view_meeting")
    ):
        yield ListingButton(
            _("Matchmaking schedule"), reverse("expos_schedule", args=[snippet.pk]), priority=40
        )
    if isinstance(snippet, Buyer | Exhibitor):
        route = "expos_buyer_agenda" if isinstance(snippet, Buyer) else "expos_exhibitor_agenda"
        yield ListingButton(_("Agenda"), reverse(route, args=[snippet.pk]), priority=30)


@hooks.register("register_log_actions")
def register_expo_log_actions(actions):
    for action, label in [
        ("expos.request.mark", _("Meeting request answered")),
        ("expos.request.force", _("Meeting forced by staff")),
        ("expos.meeting.lock", _("Meeting locked or unlocked")),
        ("expos.schedule", _("Matchmaking meetings scheduled")),
        ("expos.agreement.signed", _("Agreement signed")),
        ("expos.buyer.approve", _("Buyer approved")),
        ("expos.buyer.retier", _("Buyer re-tiered")),
    ]:
        actions.register_action(action, label, label)
