"""Events in the Wagtail admin: listing with filters and search, edit form with organizers inline,
history and a chooser (used by event pages and campaigns). Registered from wagtail_hooks."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from crm.admin.pickers import SearchablePickersMixin
from crm.admin.views import (
    SpreadsheetSafeIndexView,
    VisibleUsageMixin,
    crm_chooser_viewset_class,
    guarded_view_class,
)
from outreach.models import Event


class EventForm(SearchablePickersMixin, WagtailAdminModelForm):
    """Start and end are typed and shown as wall-clock times in the event's own time zone
    (09:00 in Hamburg is typed as 09:00), whatever zone the staff member works in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            zone = zoneinfo.ZoneInfo(self.instance.time_zone)
            for name in ("starts_at", "ends_at"):
                value = getattr(self.instance, name)
                if value is not None:
                    self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        try:
            zone = zoneinfo.ZoneInfo(cleaned.get("time_zone") or "")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return cleaned  # the field's own validator reports the bad name
        for name in ("starts_at", "ends_at"):
            value: datetime | None = cleaned.get(name)
            if value is not None:
                wall_clock = timezone.make_naive(value) if timezone.is_aware(value) else value
                cleaned[name] = wall_clock.replace(tzinfo=zone)
        return cleaned


class EventQuickForm(EventForm):
    """The event chooser's "create" tab (a campaign's event, a roadshow stop's parent): name,
    code, kind, when and where; details on the event's own form later."""

    class Meta:
        model = Event
        fields = ["name", "code", "kind", "starts_at", "ends_at", "time_zone", "city", "country"]


class EventViewSet(SnippetViewSet):
    # Chosen through the access policy, searched as you type, created in place
    # (crm.admin.views).
    chooser_viewset_class = crm_chooser_viewset_class(
        creation_form_class=EventQuickForm, create_action_label=_("Create the event")
    )
    model = Event

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Used by" lists no RSVP of a guest the user may not see.
        self.usage_view_class = guarded_view_class(self.usage_view_class, VisibleUsageMixin)

    index_view_class = SpreadsheetSafeIndexView  # exports escape spreadsheet formulas
    icon = "date"
    menu_label = _("Events")
    menu_order = 150
    add_to_admin_menu = True
    list_display = [
        "name",
        "kind",
        "starts_at",
        "city",
        Column("country", label=_("country"), accessor="country.name"),
        "status",
        Column(
            "registration_open",
            label=_("registration open"),
            accessor=lambda event: gettext("Yes") if event.registration_open else gettext("No"),
        ),
    ]
    list_filter = ["kind", "status", "registration_open", "country"]
    search_fields = ["name", "code", "city", "venue"]
    ordering = ["starts_at"]
    list_export = ["name", "code", "kind", "starts_at", "ends_at", "time_zone", "city", "status"]
    edit_handler_panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("code"), FieldPanel("kind"), FieldPanel("parent")],
            heading=_("event"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("time_zone"),
            ],
            heading=_("when"),
            help_text=_(
                "Enter start and end as they are in the event's time zone; the public site shows "
                "them in that zone."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("online_url"),
            ],
            heading=_("where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("registration_open"),
                FieldPanel("registration_url"),
            ],
            heading=_("status and registration"),
        ),
        InlinePanel(
            "organizers",
            heading=_("organizers"),
            label=pgettext_lazy("organization in any role", "organizer"),
        ),
    ]

    edit_handler = ObjectList(edit_handler_panels, base_form_class=EventForm)
