"""The CRM in the Wagtail admin: viewsets (listing with filters and search, bulk actions,
CSV/XLSX export, inspect with the timeline, history), privacy actions, follow-ups, and the
audit-log actions the services record."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from crm.admin import bulk_actions, dashboard, views
from crm.admin import duplicates as duplicate_views
from crm.admin import imports as import_views
from crm.admin.filters import InteractionFilterSet, OrganizationFilterSet, PersonFilterSet
from crm.admin.forms import (
    OrganizationAdminForm,
    OrganizationQuickForm,
    PersonAdminForm,
    SearchablePickersForm,
    SegmentAdminForm,
)
from crm.admin.widgets import DuplicateCheckPanel, PersonChooserPanel
from crm.models import (
    Consent,
    Interaction,
    Organization,
    Person,
    Relationship,
    RelationshipType,
    Sector,
    Segment,
    SisterCityPartnership,
)
from crm.permissions import CrmPermissionPolicy


class CrmSnippetViewSet(SnippetViewSet):
    """Every CRM viewset goes through the access policy (crm.access): listings and exports
    show only what the user may see, object views (edit, delete, inspect, history, usage) are
    404 for hidden records, forms check the people they link, and the chooser lists and
    searches only visible records."""

    add_to_admin_menu = False
    # Exports escape spreadsheet formulas (a viewset may replace this with a subclass).
    index_view_class = views.SpreadsheetSafeIndexView
    inspect_view_enabled = True
    inspect_view_class = views.ReadableInspectView
    copy_view_enabled = False
    chooser_viewset_class = views.crm_chooser_viewset_class()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard = views.guarded_view_class
        self.index_view_class = guard(self.index_view_class, views.VisibleListingMixin)
        self.edit_view_class = guard(self.edit_view_class, views.VisibleChangeMixin)
        self.delete_view_class = guard(self.delete_view_class, views.VisibleDeleteMixin)
        for name in ("usage_view_class", "history_view_class", "inspect_view_class"):
            setattr(self, name, guard(getattr(self, name), views.VisibleObjectMixin))
        self.usage_view_class = guard(self.usage_view_class, views.VisibleUsageMixin)
        for name in ("add_view_class", "edit_view_class"):
            setattr(self, name, guard(getattr(self, name), views.PersonLinkCheckMixin))


class PersonViewSet(CrmSnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    index_view_class = views.PersonIndexView
    add_view_class = views.PersonCreateView
    edit_view_class = views.PersonEditView
    delete_view_class = views.PersonDeleteView
    history_view_class = views.PersonHistoryView
    inspect_view_class = views.PersonInspectView
    filterset_class = PersonFilterSet
    list_display = [
        "__str__",
        views.CurrentPositionColumn("position", label=_("Organization and position")),
        views.PrimaryEmailColumn("primary_email", label=_("Primary email")),
        Column("country", label=_("country"), accessor="country.name"),
        "city",
        "vip_level",
        "owner",
    ]
    list_per_page = 25
    search_fields = ["search_text"]  # only enables the search box; crm.services.search decides
    search_backend_name = None
    list_export = [
        "display_name",
        "family_name",
        "given_name",
        "full_name_native",
        "name_chinese",
        "name_latin",
        "honorific",
        "job_title",
        "primary_email_address",
        "country.code",
        "city",
        "preferred_language",
        "vip_level",
        "tag_list",
    ]
    export_headings = {
        "display_name": pgettext_lazy("person", "Name"),
        "primary_email_address": _("Primary email"),
        "country.code": pgettext_lazy("country or region", "Country"),
        "tag_list": _("Tags"),
    }
    export_filename = "people"
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            DuplicateCheckPanel(),
                            FieldRowPanel([FieldPanel("family_name"), FieldPanel("given_name")]),
                            FieldPanel("name_order"),
                            FieldPanel("full_name_native"),
                            FieldRowPanel([FieldPanel("name_chinese"), FieldPanel("name_latin")]),
                            FieldRowPanel(
                                [
                                    FieldPanel("honorific"),
                                    FieldPanel("gender"),
                                    FieldPanel("job_title"),
                                ]
                            ),
                        ],
                        heading=pgettext_lazy("person", "Name"),
                    ),
                    InlinePanel("affiliations", heading=_("Affiliations"), label=_("affiliation")),
                ],
                heading=_("Person"),
            ),
            ObjectList(
                [
                    InlinePanel("emails", heading=_("Email addresses"), label=_("email")),
                    InlinePanel("phones", heading=_("Phone numbers"), label=_("phone")),
                    InlinePanel("handles", heading=_("Messaging"), label=_("handle")),
                    FieldRowPanel([FieldPanel("preferred_language"), FieldPanel("time_zone")]),
                    FieldRowPanel([FieldPanel("country"), FieldPanel("city")]),
                    FieldRowPanel(
                        [
                            PersonChooserPanel("assistant", multiple=False),
                            FieldPanel("send_via_assistant"),
                        ]
                    ),
                ],
                heading=_("Contact"),
            ),
            ObjectList(
                [
                    FieldPanel("is_diaspora"),
                    FieldRowPanel(
                        [FieldPanel("ancestral_home"), FieldPanel("diaspora_generation")]
                    ),
                    FieldPanel("diaspora_associations"),
                    FieldPanel("sectors"),
                ],
                heading=pgettext_lazy("person's background", "Profile"),
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("owner"), FieldPanel("vip_level")]),
                    FieldRowPanel([FieldPanel("do_not_contact"), FieldPanel("restricted")]),
                    MultiFieldPanel(
                        [
                            FieldPanel("consent_purposes"),
                            FieldRowPanel(
                                [FieldPanel("consent_legal_basis"), FieldPanel("consent_source")]
                            ),
                        ],
                        heading=_("Consent"),
                    ),
                    FieldPanel("tags"),
                    FieldPanel("source"),
                    FieldPanel("notes"),
                ],
                heading=_("Handling"),
            ),
        ],
        base_form_class=PersonAdminForm,
    )


class OrganizationViewSet(CrmSnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organizations")
    index_view_class = views.OrganizationIndexView
    inspect_view_class = views.OrganizationProfileView
    # A new organization can be made in place from any form that chooses one.
    chooser_viewset_class = views.crm_chooser_viewset_class(
        creation_form_class=OrganizationQuickForm,
        create_action_label=_("Create the organization"),
    )
    edit_view_class = views.OwnedEditView
    delete_view_class = views.OwnedDeleteView
    filterset_class = OrganizationFilterSet
    list_display = [
        "__str__",
        "kind",
        Column("country", label=_("country"), accessor="country.name"),
        "city",
        "tier",
    ]
    search_fields = ["search_text"]
    search_backend_name = None
    list_export = [
        "name",
        "name_en",
        "name_zh",
        "acronym",
        "kind",
        "country.code",
        "city",
        "website",
    ]
    export_headings = {"country.code": pgettext_lazy("country or region", "Country")}
    export_filename = "organizations"
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("name_en"), FieldPanel("name_zh"), FieldPanel("acronym")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("tier")]),
            FieldRowPanel([FieldPanel("country"), FieldPanel("city")]),
            FieldRowPanel([FieldPanel("website"), FieldPanel("phone")]),
            FieldPanel("parent"),
            FieldPanel("sectors"),
            FieldPanel("owner"),
            FieldPanel("tags"),
            FieldPanel("notes"),
        ],
        base_form_class=OrganizationAdminForm,
    )


class InteractionViewSet(CrmSnippetViewSet):
    model = Interaction
    icon = "comment"
    menu_label = _("Interactions")
    add_view_class = views.InteractionCreateView
    edit_view_class = views.InteractionEditView
    delete_view_class = views.OwnedDeleteView
    filterset_class = InteractionFilterSet
    list_display = ["__str__", "occurred_on", "kind", "follow_up_on", "follow_up_owner"]
    search_fields = ["subject", "summary"]
    search_backend_name = None
    list_export = ["occurred_on", "kind", "subject", "summary", "follow_up_on"]
    export_filename = "interactions"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("kind"), FieldPanel("occurred_on")]),
            FieldPanel("subject"),
            FieldPanel("summary"),
            PersonChooserPanel("people"),
            FieldPanel("organizations"),
            FieldPanel("staff"),
            FieldRowPanel(
                [
                    FieldPanel("follow_up_on"),
                    FieldPanel("follow_up_owner"),
                    FieldPanel("follow_up_done"),
                ]
            ),
        ],
        base_form_class=SearchablePickersForm,
    )


class SegmentViewSet(CrmSnippetViewSet):
    model = Segment
    icon = "list-ul"
    menu_label = _("Segments")
    index_view_class = views.SegmentIndexView
    add_view_class = views.SegmentCreateView
    edit_view_class = views.SegmentEditView
    inspect_view_class = views.SegmentInspectView
    create_template_name = "crm/admin/segment_create.html"
    edit_template_name = "crm/admin/segment_edit.html"
    list_display = [
        "__str__",
        views.SegmentCountColumn("audience", label=_("Audience now")),
        "consent_purpose",
        "updated_at",
    ]
    search_fields = ["name", "description"]
    search_backend_name = None
    list_export = ["name", "description", "consent_purpose"]
    export_filename = "segments"
    # Static members are named in the edit form's chooser, through the access policy.
    inspect_view_fields_exclude = ["additions", "exclusions"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            MultiFieldPanel(
                [
                    FieldPanel("countries"),
                    FieldPanel("cities"),
                    FieldPanel("organization_kinds"),
                    FieldPanel("sectors"),
                    FieldPanel("tags"),
                    FieldPanel("languages"),
                    FieldRowPanel([FieldPanel("diaspora"), FieldPanel("min_vip_level")]),
                    FieldPanel("owners"),
                    FieldPanel("consent_purpose"),
                    FieldPanel("extension_filters"),
                    FieldRowPanel(
                        [
                            FieldPanel("last_interaction_after"),
                            FieldPanel("last_interaction_before"),
                        ]
                    ),
                ],
                heading=pgettext_lazy("segment", "Filters"),
            ),
            MultiFieldPanel(
                [PersonChooserPanel("additions"), PersonChooserPanel("exclusions")],
                heading=_("Static additions and exclusions"),
            ),
        ],
        base_form_class=SegmentAdminForm,
    )


class PartnershipViewSet(CrmSnippetViewSet):
    model = SisterCityPartnership
    icon = "globe"
    menu_label = _("Sister-city partnerships")
    list_display = ["__str__", "kind", "established_on", "status"]
    list_filter = ["kind", "status"]
    list_export = ["partner", "kind", "established_on", "status", "areas_of_cooperation"]


class RelationshipViewSet(CrmSnippetViewSet):
    model = Relationship
    icon = "link"
    menu_label = _("Relationships")
    list_display = ["__str__", "type", "start_date", "end_date"]
    list_filter = ["type"]
    panels = [
        FieldPanel("type"),
        FieldRowPanel(
            [
                PersonChooserPanel("from_person", multiple=False),
                PersonChooserPanel("to_person", multiple=False),
            ]
        ),
        FieldRowPanel([FieldPanel("from_organization"), FieldPanel("to_organization")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("notes"),
    ]


class ConsentViewSet(CrmSnippetViewSet):
    model = Consent
    icon = "tick-inverse"
    add_view_class = views.ConsentCreateView
    menu_label = _("Consents")
    list_display = ["person", "purpose", "channel", "legal_basis", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "channel", "legal_basis"]
    panels = [
        PersonChooserPanel("person", multiple=False),
        FieldRowPanel([FieldPanel("purpose"), FieldPanel("channel"), FieldPanel("legal_basis")]),
        FieldPanel("source"),
        FieldPanel("notice_version"),
        FieldRowPanel([FieldPanel("given_at"), FieldPanel("withdrawn_at")]),
        FieldPanel("recorded_by"),
    ]


class SectorViewSet(CrmSnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    list_display = ["name", "name_zh", "sort_order"]


class RelationshipTypeViewSet(CrmSnippetViewSet):
    model = RelationshipType
    icon = "link"
    menu_label = _("Relationship types")
    list_display = ["name", "forward_label", "reverse_label", "scope"]


for _model in (
    Person,
    Organization,
    Interaction,
    Segment,
    SisterCityPartnership,
    Relationship,
    Consent,
    Sector,
    RelationshipType,
):
    register_permission_policy(_model, CrmPermissionPolicy(_model))

person_viewset = PersonViewSet()
segment_viewset = SegmentViewSet()


class CrmViewSetGroup(SnippetViewSetGroup):
    menu_label = _("CRM")
    menu_icon = "group"
    menu_order = 150
    items = (
        person_viewset,
        OrganizationViewSet(),
        InteractionViewSet(),
        segment_viewset,
        PartnershipViewSet(),
        RelationshipViewSet(),
        ConsentViewSet(),
        SectorViewSet(),
        RelationshipTypeViewSet(),
    )


register_snippet(CrmViewSetGroup)

for _action in (
    bulk_actions.TagPeopleBulkAction,
    bulk_actions.AssignOwnerBulkAction,
    bulk_actions.AddToSegmentBulkAction,
):
    hooks.register("register_bulk_action", _action)
# After Wagtail's own bulk delete (order), which it replaces for the CRM's models.
hooks.register("register_bulk_action", bulk_actions.CrmDeleteBulkAction, order=100)


@hooks.register("register_admin_urls")
def register_crm_admin_urls():
    return [
        path("crm/people/<int:pk>/export/", views.person_export, name="crm_person_export"),
        path("crm/people/<int:pk>/erase/", views.person_erase, name="crm_person_erase"),
        path("crm/people/<int:pk>/merge/", views.person_merge, name="crm_person_merge"),
        path("crm/people/lookup/", views.person_lookup, name="crm_person_lookup"),
        path(
            "crm/people/duplicate-check/",
            duplicate_views.person_duplicate_check,
            name="crm_person_duplicate_check",
        ),
        path("crm/duplicates/", duplicate_views.duplicate_queue, name="crm_duplicates"),
        path("crm/duplicates/scan/", duplicate_views.duplicate_scan, name="crm_duplicates_scan"),
        path(
            "crm/duplicates/<int:pk>/",
            duplicate_views.duplicate_compare,
            name="crm_duplicate_compare",
        ),
        path("crm/merges/<int:pk>/undo/", duplicate_views.merge_undo, name="crm_merge_undo"),
        path("crm/segments/preview/", views.segment_preview, name="crm_segment_preview"),
        path("crm/follow-ups/", views.my_follow_ups, name="crm_follow_ups"),
        path("crm/imports/", import_views.import_index, name="crm_import_index"),
        path("crm/imports/new/", import_views.import_new, name="crm_import_new"),
        path("crm/imports/<int:pk>/", import_views.import_detail, name="crm_import_detail"),
        path(
            "crm/imports/<int:pk>/progress/",
            import_views.import_progress,
            name="crm_import_progress",
        ),
        path(
            "crm/imports/<int:pk>/rejected/",
            import_views.import_rejected,
            name="crm_import_rejected",
        ),
        path(
            "crm/imports/<int:pk>/<slug:verb>/",
            import_views.import_action,
            name="crm_import_action",
        ),
        path(
            "crm/follow-ups/<int:pk>/done/",
            views.complete_follow_up,
            name="crm_follow_up_done",
        ),
    ]


class FollowUpMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("crm.view_interaction")


@hooks.register("register_admin_menu_item")
def register_follow_up_menu_item():
    return FollowUpMenuItem(
        _("My follow-ups"), reverse("crm_follow_ups"), icon_name="date", order=160
    )


class DuplicatesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("crm.merge_people")


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item():
    return DuplicatesMenuItem(
        _("Possible duplicates"), reverse("crm_duplicates"), icon_name="resubmit", order=165
    )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("crm.view_contactimport")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Contact imports"), reverse("crm_import_index"), icon_name="upload", order=165
    )


@hooks.register("crm_person_timeline")
def imports_in_timeline(person, user):
    """The imports that created or changed a person, with their source and staff member."""
    from crm.services.imports import people_changed_by
    from crm.services.timeline import TimelineEntry

    entries = []
    for change in people_changed_by(person):
        contact_import = change.contact_import
        title = (
            _("Created by the import of %(file)s")
            if change.kind == "created"
            else _("Updated by the import of %(file)s")
        ) % {"file": contact_import.original_name}
        entries.append(
            TimelineEntry(
                when=change.created_at,
                kind="import",
                title=title,
                detail=_("Source: %(source)s · legal basis: %(basis)s · row %(row)s")
                % {
                    "source": contact_import.source,
                    "basis": contact_import.get_legal_basis_display(),
                    "row": change.row_number,
                },
                url=reverse("crm_import_detail", args=[contact_import.pk]),
                actor=str(contact_import.created_by or ""),
            )
        )
    return entries


@hooks.register("construct_homepage_panels")
def add_crm_dashboard_panels(request, panels):
    if request.user.has_perm("crm.view_interaction"):
        panels.append(dashboard.FollowUpPanel())
    if request.user.has_perm("crm.view_person"):
        panels.append(dashboard.ContactActivityPanel())


@hooks.register("register_log_actions")
def register_crm_log_actions(actions):
    actions.register_action("crm.merge", _("Merge"), _("Merged a duplicate contact into this one"))
    actions.register_action(
        "crm.merge_undone", _("Undo merge"), _("A merge into this contact was undone")
    )
    actions.register_action(
        "crm.not_duplicate", _("Not a duplicate"), _("Marked as not a duplicate of another contact")
    )
    actions.register_action("crm.erase", _("Erase"), _("Personal data erased on request"))
    actions.register_action(
        "crm.personal_data_exported", _("Export personal data"), _("Personal data exported")
    )
    actions.register_action("crm.consent_given", _("Consent given"), _("Consent recorded"))
    actions.register_action("crm.consent_withdrawn", _("Consent withdrawn"), _("Consent withdrawn"))
    actions.register_action("crm.tagged", pgettext_lazy("verb", "Tag"), _("Tags added"))
    actions.register_action("crm.owner_assigned", _("Assign owner"), _("Owner assigned"))
    actions.register_action("crm.added_to_segment", _("Add to segment"), _("Added to a segment"))
    actions.register_action("crm.interaction_recorded", _("Interaction"), _("Interaction recorded"))
    actions.register_action("crm.follow_up_done", _("Follow-up done"), _("Follow-up done"))
    actions.register_action("crm.import_status", _("Import status"), _("Import status changed"))
    actions.register_action("crm.import_mapping", _("Import mapping"), _("Column mapping saved"))
    actions.register_action("crm.import_sheet", _("Import sheet"), _("Sheet to import chosen"))
    actions.register_action("crm.import_resumed", _("Import resumed"), _("Import resumed"))
    actions.register_action("crm.import_finished", _("Import finished"), _("Import finished"))
    actions.register_action("crm.import_undone", _("Import undone"), _("Import undone"))


@hooks.register("crm_person_profile_sections")
def salutation_preview(person, user):
    """How letters to this person open: in their preferred language and the office's own, so
    staff see a wrong form of address before a campaign goes out."""
    from django.conf import settings

    from crm.languages import language_display
    from crm.salutations import salutation

    if person.erased_at:
        return []
    codes = [person.preferred_language or settings.LANGUAGE_CODE, settings.LANGUAGES[0][0]]
    rows = [
        {"text": f"{language_display(code)}: {salutation(person, code)}"}
        for code in dict.fromkeys(codes)
    ]
    return [{"title": _("Salutation in letters"), "rows": rows}]
