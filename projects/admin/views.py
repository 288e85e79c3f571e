"""The project pool in the admin: the pipeline board (a column per stage; drag a card to
another column, or pick the stage in the card's own form — the keyboard way), the move
endpoint both post to, and the project's page (inspect) with its stage history, contacts and
follow-ups as far as the access policy shows them."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm

from crm import access
from crm.admin.views import ReadableInspectView, VisibleObjectMixin
from crm.models import Sector
from projects.models import Project, ProjectStage
from projects.services import pool


class ProjectFilterSet(WagtailFilterSet):
    sector = django_filters.ModelChoiceFilter(
        label=gettext_lazy("sector"), queryset=Sector.objects.all()
    )
    stage = django_filters.ChoiceFilter(label=gettext_lazy("stage"), choices=ProjectStage.choices)

    class Meta:
        model = Project
        fields = ["sector", "stage", "source_kind", "responsible"]


class ProjectAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "responsible" in self.fields:
            self.fields["responsible"].queryset = access.staff_members()


class ProjectInspectView(VisibleObjectMixin, ReadableInspectView):
    template_name = "projects/admin/project_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, user = self.object, self.request.user
        people = access.visible_people(user, project.people.all())
        context.update(
            {
                "project": project,
                "people": [(p, access.person_name(user, p)) for p in people],
                "interactions": access.visible_interactions(
                    user, project.interactions.all()
                ).order_by("-occurred_on"),
                "stage_changes": project.stage_changes.select_related("changed_by"),
                "can_move": user.has_perm("projects.change_project"),
            }
        )
        return context


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=ProjectStage.choices)
    reason = forms.CharField(max_length=500, required=False)


def _filtered(request):
    projects = Project.objects.select_related("sector", "responsible").order_by(
        "next_follow_up_on", "id"
    )
    filters = ProjectFilterSet(request.GET or None, queryset=projects, request=request)
    return filters, (filters.qs if filters.is_bound and filters.is_valid() else projects)


def board(request):
    """The pipeline board: one column per stage, filtered by sector (and stage)."""
    if not request.user.has_perm("projects.view_project"):
        raise PermissionDenied
    filters, projects = _filtered(request)
    columns = {stage: [] for stage in ProjectStage.values}
    for project in projects:
        columns[project.stage].append(project)
    return TemplateResponse(
        request,
        "projects/admin/board.html",
        {
            "page_title": _("Project pipeline"),
            "filters": filters,
            "columns": [
                (stage, ProjectStage(stage).label, columns[stage]) for stage in ProjectStage.values
            ],
            "stages": ProjectStage.choices,
            "can_move": request.user.has_perm("projects.change_project"),
            "landed_this_year": pool.landed_this_year(),
        },
    )


@require_POST
def move(request, pk: int):
    """Move a project (board drag-and-drop posts JSON-accepting fetches; the keyboard form
    posts and is redirected back)."""
    if not request.user.has_perm("projects.change_project"):
        raise PermissionDenied
    project = get_object_or_404(Project, pk=pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = MoveForm(request.POST)
    error = None
    if form.is_valid():
        try:
            project = pool.move_stage(
                project, form.cleaned_data["stage"], request.user, form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            error = {"code": exc.code, "detail": " ".join(exc.messages)}
    else:
        field, problems = next(iter(form.errors.items()))
        error = {"code": "invalid", "detail": f"{field}: {' '.join(problems)}"}
    if wants_json:
        if error:
            return JsonResponse(error, status=400)
        return JsonResponse({"id": project.pk, "stage": project.stage})
    if error:
        messages.error(request, error["detail"])
    else:
        messages.success(
            request,
            _("%(project)s moved to %(stage)s.")
            % {"project": project, "stage": project.get_stage_display()},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("projects_board")
    return HttpResponseRedirect(back)
