from django import forms
from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from laces.components import Component
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from crm import access
from crm.admin.bulk_actions import CrmDeleteBulkAction
from crm.admin.views import (
    ReadableInspectView,
    SpreadsheetSafeIndexView,
    crm_chooser_viewset_class,
)
from crm.admin.widgets import PersonChooserPanel
from crm.languages import language_display, languages_display
from outreach import views
from outreach.admin import campaigns as campaign_admin
from outreach.admin.events import EventViewSet
from outreach.admin.forms import CampaignAdminForm, SuppressionAdminForm
from outreach.admin.questions import QuestionViewSet
from outreach.admin.registrations import RegistrationViewSet
from outreach.admin.rsvp_links import RevokedRsvpLinkViewSet
from outreach.models import (
    Campaign,
    CampaignPurpose,
    Registration,
    RegistrationStatus,
    Suppression,
)
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


@hooks.register("construct_homepage_panels")
def add_outreach_dashboard_panels(request, panels):
    from outreach.admin import dashboard

    user = request.user
    if user.has_perm("outreach.view_campaign"):
        panels.append(dashboard.ApprovalPanel())
    if user.has_perm("outreach.view_registration"):  # as the event funnel it links to
        panels.append(dashboard.UpcomingEventsPanel())


@hooks.register("crm_contact_activity")
def rsvp_answers_of_contacts(user, people, since):
    from outreach.admin import dashboard

    return dashboard.rsvp_activity(user, people, since)


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
register_snippet(RegistrationViewSet)
register_snippet(RevokedRsvpLinkViewSet)
register_snippet(QuestionViewSet)


class RegistrationDeleteBulkAction(CrmDeleteBulkAction):
    """Bulk delete of guest-list rows through the access policy: a restricted guest's answer is
    neither named on the confirmation page nor deleted by someone who may not see them."""

    models = [Registration]


# After Wagtail's own bulk delete (order), which it replaces for registrations.
hooks.register("register_bulk_action", RegistrationDeleteBulkAction, order=100)


@hooks.register("register_log_actions")
def register_outreach_log_actions(actions):
    for action, label in [
        ("outreach.campaign.submit", _("Campaign submitted for approval")),
        ("outreach.campaign.withdraw", _("Campaign withdrawn to draft")),
        ("outreach.campaign.reject", _("Campaign sent back to its author")),
        ("outreach.campaign.approve", _("Campaign approved")),
        ("outreach.campaign.freeze", _("Campaign audience frozen")),
        (
            "outreach.campaign.freeze_failed",
            _("Campaign audience could not be frozen: back to submitted"),
        ),
        ("outreach.campaign.start", _("Campaign started sending")),
        ("outreach.campaign.finish", _("Campaign finished")),
        ("outreach.campaign.reopen", _("Campaign reopened to send messages again")),
        ("outreach.campaign.schedule", _("Campaign scheduled")),
        ("outreach.campaign.pause", _("Campaign paused")),
        ("outreach.campaign.resume", _("Campaign resumed")),
        ("outreach.campaign.cancel", _("Campaign cancelled")),
        ("outreach.campaign.circuit_breaker", _("Campaign paused by the circuit breaker")),
        ("outreach.campaign.test_send", _("Campaign test message sent")),
        ("outreach.message.mark_sent", _("Message of unknown outcome marked sent")),
        ("outreach.message.resend", _("Message of unknown outcome queued again")),
        ("outreach.suppression.add", _("Address added to the suppression list")),
        ("outreach.campaign.person_added", _("Person added to the campaign's recipients")),
        ("outreach.registration.answer", _("RSVP answer recorded")),
        ("outreach.rsvp_link.revoke", _("RSVP link revoked")),
        ("outreach.rsvp_link.reissue", _("New RSVP link sent")),
    ]:
        actions.register_action(action, label, label)


# --- campaigns in the admin -----------------------------------------------------------------
class CampaignInspectView(ReadableInspectView):
    def get_languages_display_value(self):
        return languages_display(self.object.languages)

    def get_fallback_language_display_value(self):
        return language_display(self.object.fallback_language) or "-"


class CampaignViewSet(SnippetViewSet):
    # Chosen through the access policy; never created from a chooser (crm.admin.views).
    chooser_viewset_class = crm_chooser_viewset_class()
    model = Campaign
    inspect_view_class = CampaignInspectView
    index_view_class = SpreadsheetSafeIndexView  # exports escape spreadsheet formulas
    icon = "mail"
    menu_label = _("Campaigns")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    create_template_name = "outreach/admin/campaign_create.html"
    edit_template_name = "outreach/admin/campaign_edit.html"
    list_display = [
        TitleColumn(
            "name",
            label=_("name"),
            get_url=lambda obj: reverse("outreach_campaign_live", args=[obj.pk]),
        ),
        "kind",
        "status",
        "created_at",
    ]
    list_filter = ["status", "kind", "purpose"]
    search_fields = ["name"]
    # People are listed by the live page and the message list, through the access policy.
    inspect_view_fields_exclude = ["additions", "exclusions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from crm.admin.views import PersonLinkCheckMixin, guarded_view_class

        # Additions and exclusions: only people the author may see (crm.access).
        for name in ("add_view_class", "edit_view_class"):
            setattr(self, name, guarded_view_class(getattr(self, name), PersonLinkCheckMixin))
            # After saving the builder, the campaign's own page: its next step and buttons.
            setattr(
                self,
                name,
                guarded_view_class(getattr(self, name), campaign_admin.LandOnCampaignMixin),
            )

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("purpose")]),
                    FieldPanel("event"),
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("from_name"), FieldPanel("from_email")]),
                            FieldPanel("reply_to"),
                            FieldPanel("reply_to_owner"),
                        ],
                        heading=_("Sender"),
                    ),
                    FieldPanel("languages"),
                    FieldPanel("fallback_language"),
                    FieldPanel("rsvp_url"),
                ],
                heading=_("Campaign"),
            ),
            ObjectList(
                [
                    FieldPanel("segments"),
                    PersonChooserPanel("additions"),
                    PersonChooserPanel("exclusions"),
                    MultiFieldPanel(
                        [
                            FieldPanel("answer_event"),
                            FieldRowPanel(
                                [FieldPanel("answer_filter"), FieldPanel("not_answered_days")]
                            ),
                        ],
                        heading=_("Reminders by answer"),
                    ),
                ],
                heading=_("Audience"),
            ),
            ObjectList(
                [
                    HelpPanel(
                        content=_(
                            "Merge fields: {{ salutation }}, {{ name }}, {{ organization }}, "
                            "{{ position }}, {{ event_name }}, {{ event_date }}, "
                            "{{ event_time }}, {{ rsvp_url }}, {{ unsubscribe_url }}."
                        )
                    ),
                    InlinePanel(
                        "contents",
                        heading=_("Content per language"),
                        min_num=1,
                        panels=[
                            # A choice, not free text: "zh-Hans" typed by hand would never
                            # match the campaign's "zh-hans" and block approval.
                            FieldPanel("language", widget=forms.Select(choices=settings.LANGUAGES)),
                            FieldPanel("subject"),
                            FieldPanel("preheader"),
                            FieldPanel("body"),
                        ],
                    ),
                ],
                heading=_("Content"),
            ),
        ],
        base_form_class=CampaignAdminForm,
    )


class SuppressionViewSet(SnippetViewSet):
    # Chosen through the access policy; never created from a chooser (crm.admin.views).
    chooser_viewset_class = crm_chooser_viewset_class()
    model = Suppression
    index_view_class = SpreadsheetSafeIndexView  # exports escape spreadsheet formulas
    icon = "cross"
    menu_label = _("Suppression list")
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = [
        "__str__",
        "reason",
        Column(
            "purpose",
            label=_("purpose"),
            accessor=lambda entry: (
                CampaignPurpose(entry.purpose).label
                if entry.purpose in CampaignPurpose.values
                else entry.purpose or _("all purposes")
            ),
        ),
        "created_at",
    ]
    list_filter = ["reason", "purpose"]
    edit_handler = ObjectList(
        [FieldPanel("email"), FieldPanel("purpose"), FieldPanel("reason"), FieldPanel("note")],
        base_form_class=SuppressionAdminForm,
    )


class OutreachViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Campaigns")
    menu_icon = "mail"
    menu_order = 160
    items = (CampaignViewSet(), SuppressionViewSet())


register_snippet(OutreachViewSetGroup)


class OutreachDeleteBulkAction(CrmDeleteBulkAction):
    """Bulk delete of outreach's snippets whose rows name people, through the access policy:
    the confirmation page never lists a hidden guest's registration."""

    models = [Campaign, Registration]


hooks.register("register_bulk_action", OutreachDeleteBulkAction, order=100)


def person_invite(request, pk):
    from outreach.admin import person_events

    return person_events.invite(request, pk)


@hooks.register("register_admin_urls")
def register_campaign_admin_urls():
    return [
        path(
            "campaigns/audience-count/",
            campaign_admin.audience_count,
            name="outreach_campaign_audience_count",
        ),
        path("campaigns/<int:pk>/live/", campaign_admin.live, name="outreach_campaign_live"),
        path(
            "people/<int:pk>/invite/",
            person_invite,
            name="outreach_person_invite",
        ),
        path(
            "campaigns/<int:pk>/excluded/",
            campaign_admin.excluded,
            name="outreach_campaign_excluded",
        ),
        path(
            "campaigns/<int:pk>/live.json",
            campaign_admin.live_json,
            name="outreach_campaign_live_json",
        ),
        path(
            "campaigns/<int:pk>/act/<str:verb>/", campaign_admin.act, name="outreach_campaign_act"
        ),
        path("campaigns/<int:pk>/decide/", campaign_admin.decide, name="outreach_campaign_decide"),
        path(
            "campaigns/<int:pk>/messages/",
            campaign_admin.CampaignMessageListView.as_view(),
            name="outreach_campaign_messages",
        ),
        path(
            "campaigns/<int:pk>/messages/results/",
            campaign_admin.CampaignMessageListView.as_view(results_only=True),
            name="outreach_campaign_messages_results",
        ),
    ]


@hooks.register("crm_person_data_export")
def export_outreach_data(person):
    """Messages, tracking times and suppressions in a person's privacy export."""
    from outreach.services.privacy import person_export

    return person_export(person)


# --- RSVPs on the person's timeline ------------------------------------------------------------
@hooks.register("crm_person_timeline")
def rsvps_in_timeline(person, user):
    from crm.services.timeline import TimelineEntry
    from outreach.models import RegistrationChange

    changes = (
        RegistrationChange.objects.filter(registration__person=person)
        .select_related("registration__event", "staff", "answered_by")
        .order_by("-at")[:100]
    )
    entries = []
    for change in changes:
        registration = change.registration
        label = dict(RegistrationStatus.choices).get(change.to_status, change.to_status)
        actor = ""
        if change.staff is not None:
            actor = change.staff.get_username()
        elif change.answered_by is not None:
            actor = access.person_name(user, change.answered_by)
        entries.append(
            TimelineEntry(
                when=change.at,
                kind="rsvp",
                title=_("RSVP %(event)s: %(answer)s")
                % {"event": registration.event.name, "answer": label},
                detail=change.reason,
                url=reverse(
                    "wagtailsnippets_outreach_registration:inspect", args=[registration.pk]
                ),
                actor=actor,
            )
        )
    return entries


@hooks.register("crm_import_blocked_email_digests")
def suppressed_addresses_are_not_imported(digests):
    """A contact import never brings back an address suppressed for every purpose (erased
    people, hard bounces, complaints, global unsubscribes)."""
    from outreach.services.suppression import suppressed_digests

    return suppressed_digests(digests, [])


from outreach.admin import checkin_hooks  # noqa: E402, F401  (the door screens' hooks)


# --- what outreach adds to the CRM's profile pages ------------------------------------------------
@hooks.register("crm_person_profile_sections")
def campaigns_received(person, user):
    """The campaigns sent to a person, with how far each message got (in the office's zone)."""
    from django.utils import timezone

    from outreach.models import Message

    rows = []
    messages = (
        Message.objects.filter(person=person).select_related("campaign").order_by("-due_at")[:50]
    )
    for message in messages:
        if message.opened_at:
            progress = _("opened %(when)s") % {
                "when": timezone.localtime(message.opened_at).strftime("%Y-%m-%d %H:%M")
            }
        elif message.delivered_at:
            progress = _("delivered, not opened")
        else:
            progress = message.get_status_display()
        rows.append(
            {
                "text": f"{message.campaign.name} · {progress}",
                "url": reverse("outreach_campaign_live", args=[message.campaign_id]),
            }
        )
    return [{"title": _("Campaigns received"), "rows": rows}]


@hooks.register("crm_person_profile_sections")
def events_of_person(person, user):
    """Events the person was invited to, answered and attended."""
    from outreach.admin import person_events

    return person_events.profile_section(person, user)


@hooks.register("crm_person_quick_actions")
def invite_to_event(person, user):
    from outreach.admin import person_events

    return person_events.quick_action(person, user)


@hooks.register("crm_organization_profile_sections")
def events_organized(organization, user):
    from django.utils import timezone

    rows = [
        {
            "text": f"{role.event.name} · {role.get_role_display()} · "
            f"{timezone.localtime(role.event.starts_at):%Y-%m-%d}",
            "url": reverse("wagtailsnippets_outreach_event:edit", args=[role.event_id]),
        }
        for role in organization.event_roles.select_related("event").order_by("-event__starts_at")
    ]
    return [{"title": _("Events"), "rows": rows}]


# --- roadshows ----------------------------------------------------------------------------------
@hooks.register("register_admin_urls")
def register_roadshow_urls():
    from outreach.admin import roadshows

    return [
        path("roadshows/", roadshows.index, name="outreach_roadshows"),
        path("roadshows/<int:pk>/", roadshows.detail, name="outreach_roadshow"),
        path(
            "roadshows/stops/<int:pk>/save-suggestion/",
            roadshows.save_suggestion,
            name="outreach_roadshow_save_suggestion",
        ),
    ]


class RoadshowMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("outreach.view_registration")


@hooks.register("register_admin_menu_item")
def register_roadshow_menu_item():
    return RoadshowMenuItem(
        _("Roadshows"), reverse("outreach_roadshows"), icon_name="site", order=152
    )
