"""The project pool in the Wagtail admin: the listing (filters by sector and stage, CSV/XLSX
export with formulas escaped), the project's page with its history, the pipeline board, and
the dashboard figure "projects landed this year"."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.site_summary import SummaryItem
from wagtail.snippets.models import register_snippet

from crm.admin.widgets import PersonChooserPanel
from crm.wagtail_hooks import CrmSnippetViewSet
from projects.admin import views
from projects.models import Project
from projects.services import pool


class ProjectViewSet(CrmSnippetViewSet):
    """Guarded like the CRM's viewsets (crm.access): the contacts a project names are checked
    on save and shown only as far as the access policy allows."""

    model = Project
    icon = "clipboard-list"
    menu_label = _("Project pool")
    menu_order = 170
    add_to_admin_menu = True
    inspect_view_class = views.ProjectInspectView
    filterset_class = views.ProjectFilterSet
    list_display = [
        "__str__",
        "stage",
        "sector",
        "investment_sought",
        "currency",
        "responsible",
        "next_follow_up_on",
    ]
    search_fields = ["name_zh", "name_en", "summary"]
    search_backend_name = None
    list_export = [
        "name_zh",
        "name_en",
        "stage",
        "sector",
        "investment_sought",
        "currency",
        "responsible",
        "next_follow_up_on",
        "source_kind",
        "landed_on",
    ]
    export_filename = "project-pool"
    inspect_view_fields = [
        "name_zh",
        "name_en",
        "summary",
        "stage",
        "sector",
        "investment_sought",
        "currency",
        "responsible",
        "next_follow_up_on",
        "organizations",
        "recommended_to",
        "source_kind",
        "landed_on",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
            FieldPanel("summary"),
            FieldRowPanel([FieldPanel("sector"), FieldPanel("source_kind")]),
            FieldRowPanel([FieldPanel("investment_sought"), FieldPanel("currency")]),
            FieldRowPanel([FieldPanel("responsible"), FieldPanel("next_follow_up_on")]),
            MultiFieldPanel(
                [
                    FieldPanel("organizations"),
                    PersonChooserPanel("people"),
                    FieldPanel("recommended_to"),
                ],
                heading=_("Parties"),
            ),
        ],
        base_form_class=views.ProjectAdminForm,
    )


register_snippet(ProjectViewSet)


@hooks.register("register_admin_urls")
def register_project_admin_urls():
    return [
        path("projects/board/", views.board, name="projects_board"),
        path("projects/<int:pk>/move/", views.move, name="projects_move"),
    ]


class BoardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("projects.view_project")


@hooks.register("register_admin_menu_item")
def register_board_menu_item():
    return BoardMenuItem(
        _("Project pipeline"), reverse("projects_board"), icon_name="clipboard-list", order=171
    )


class LandedThisYear(SummaryItem):
    order = 500
    template_name = "projects/admin/landed_summary.html"

    def get_context_data(self, parent_context):
        return {"count": pool.landed_this_year(), "url": reverse("projects_board")}

    def is_shown(self):
        return self.request.user.has_perm("projects.view_project")


@hooks.register("construct_homepage_summary_items")
def add_landed_summary_item(request, items):
    items.append(LandedThisYear(request))


@hooks.register("register_log_actions")
def register_project_log_actions(actions):
    actions.register_action("projects.stage", _("Stage changed"), _("Project stage changed"))
    actions.register_action(
        "projects.follow_up", _("Follow-up recorded"), _("Project follow-up recorded")
    )
