"""The staff UI of competitions (Wagtail admin): viewsets to set a competition up (tracks,
rounds, rubric, judges) and follow its entries and conflicts, through the access policy like
the CRM's; and the judging screens (competitions.admin.judging) for judges and the presidium."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from competitions.admin import judging
from competitions.models import (
    Competition,
    ConflictOfInterest,
    Criterion,
    Entry,
    JudgeRole,
    Round,
    Track,
)
from crm import access
from crm.admin.widgets import PersonChooserPanel
from crm.wagtail_hooks import CrmSnippetViewSet


class CompetitionViewSet(CrmSnippetViewSet):
    model = Competition
    icon = "crosshairs"
    menu_label = _("Competitions")
    list_display = ["title_zh", "title_en", "event", "entry_deadline", "results_approved_at"]
    panels = [
        FieldPanel("event"),
        FieldPanel("title_zh"),
        FieldPanel("title_en"),
        FieldPanel("call_zh"),
        FieldPanel("call_en"),
        FieldPanel("entry_deadline"),
        FieldPanel("judges_per_entry"),
        FieldPanel("scale_max"),
        FieldPanel("normalise_after"),
        FieldPanel("max_attachment_mb"),
    ]


class TrackViewSet(CrmSnippetViewSet):
    model = Track
    icon = "list-ul"
    menu_label = _("Tracks")
    list_display = ["name_zh", "name_en", "code", "competition"]
    list_filter = ["competition"]


class RoundViewSet(CrmSnippetViewSet):
    model = Round
    icon = "date"
    menu_label = _("Rounds")
    list_display = ["name_zh", "name_en", "competition", "mode", "status", "promote_count"]
    list_filter = ["competition", "status"]
    panels = [
        FieldPanel("competition"),
        FieldPanel("number"),
        FieldPanel("name_zh"),
        FieldPanel("name_en"),
        FieldPanel("mode"),
        FieldPanel("event"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("promote_count"),
    ]


class CriterionViewSet(CrmSnippetViewSet):
    model = Criterion
    icon = "tasks"
    menu_label = _("Rubric")
    list_display = ["name_zh", "name_en", "weight", "competition"]
    list_filter = ["competition"]


class EntryViewSet(CrmSnippetViewSet):
    model = Entry
    icon = "doc-full"
    menu_label = _("Entries")
    list_display = ["number", "title_zh", "title_en", "track", "organization_name", "status"]
    list_filter = ["competition", "track", "status"]
    search_fields = ["title_zh", "title_en", "organization_name"]
    search_backend_name = None
    list_export = [
        "number",
        "title_zh",
        "title_en",
        "track",
        "organization_name",
        "status",
        "submitted_at",
    ]
    panels = [
        FieldPanel("track"),
        FieldPanel("title_zh"),
        FieldPanel("title_en"),
        FieldPanel("summary_zh"),
        FieldPanel("summary_en"),
        FieldPanel("organization"),
        FieldPanel("organization_name"),
        FieldPanel("video_url"),
        FieldPanel("status"),
        FieldPanel("prize_zh"),
        FieldPanel("prize_en"),
    ]


class JudgeRoleViewSet(CrmSnippetViewSet):
    model = JudgeRole
    icon = "user"
    menu_label = _("Judges")
    list_display = ["person", "competition", "tier", "user", "withdrawn_at"]
    list_filter = ["competition", "tier"]
    panels = [
        FieldPanel("competition"),
        PersonChooserPanel("person", multiple=False),
        FieldPanel("user"),
        FieldPanel("tier"),
        FieldPanel("tracks"),
    ]


class ConflictViewSet(CrmSnippetViewSet):
    model = ConflictOfInterest
    icon = "warning"
    menu_label = _("Conflicts of interest")
    list_display = ["judge", "entry", "source", "detail", "recorded_at"]
    list_filter = ["source"]


class CompetitionsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Competitions")
    menu_icon = "crosshairs"
    menu_order = 160
    items = (
        CompetitionViewSet(),
        TrackViewSet(),
        RoundViewSet(),
        CriterionViewSet(),
        EntryViewSet(),
        JudgeRoleViewSet(),
        ConflictViewSet(),
    )


register_snippet(CompetitionsViewSetGroup)


@hooks.register("register_admin_urls")
def register_judging_urls():
    return [
        path("judging/", judging.index, name="competitions_judging_index"),
        path(
            "judging/assignments/<int:assignment_id>/",
            judging.assignment_view,
            name="competitions_judging_assignment",
        ),
        path(
            "judging/attachments/<int:attachment_id>/",
            judging.attachment_download,
            name="competitions_judging_attachment",
        ),
        path(
            "judging/rounds/<int:round_id>/", judging.round_view, name="competitions_judging_round"
        ),
        path(
            "judging/rounds/<int:round_id>/export/",
            judging.round_export,
            name="competitions_judging_round_export",
        ),
        path(
            "judging/competitions/<int:competition_id>/results/",
            judging.results_view,
            name="competitions_judging_results",
        ),
    ]


class JudgingMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return access.is_competition_staff(user) or access.judge_roles(user).exists()


@hooks.register("register_admin_menu_item")
def register_judging_menu_item():
    return JudgingMenuItem(
        _("Judging"), reverse("competitions_judging_index"), icon_name="crosshairs", order=260
    )


LOG_ACTIONS = {
    "competitions.entry_submitted": _("Entry submitted"),
    "competitions.entry_confirmed": _("Entry confirmed"),
    "competitions.entry_edited": _("Entry edited by the team"),
    "competitions.entry_withdrawn": _("Entry withdrawn"),
    "competitions.conflict_detected": _("Conflict of interest detected"),
    "competitions.conflict_declared": _("Conflict of interest declared"),
    "competitions.assignment_withdrawn": _("Assignment withdrawn"),
    "competitions.assigned": _("Judges assigned"),
    "competitions.judges_missing": _("Entries lack eligible judges"),
    "competitions.judge_withdrawn": _("Judge withdrawn"),
    "competitions.scored": _("Scores recorded"),
    "competitions.round_open": _("Round opened for scoring"),
    "competitions.round_closed": _("Round closed"),
    "competitions.promoted": _("Entries promoted"),
    "competitions.decided_by_hand": _("Promotion decided by hand"),
    "competitions.results_approved": _("Results approved and published"),
}


@hooks.register("register_log_actions")
def register_competition_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
