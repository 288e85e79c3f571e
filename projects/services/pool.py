"""The project pool's verbs: put a project into the pool (from a competition, an expo
agreement, or by hand), move it along the pipeline, record a follow-up interaction, and the
dashboard figure. Each verb is atomic and audited (wagtail.log_actions)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from crm.services.interactions import record_interaction
from projects.models import (
    STAGE_ORDER,
    TRANSITIONS,
    Project,
    ProjectSource,
    ProjectStage,
    StageChange,
)

INVALID_STAGE = "invalid_stage"
REASON_REQUIRED = "reason_required"


def _user(user):
    return user if getattr(user, "pk", None) else None


@transaction.atomic
def add_to_pool(
    *,
    name_zh: str = "",
    name_en: str = "",
    summary: str = "",
    sector=None,
    stage: str = ProjectStage.LEAD,
    investment_sought: Decimal | None = None,
    currency: str = "CNY",
    responsible=None,
    next_follow_up_on: datetime.date | None = None,
    organizations: Iterable = (),
    people: Iterable = (),
    recommended_to: Iterable = (),
    source: models.Model | None = None,
    source_kind: str | None = None,
    acting_user=None,
) -> Project:
    """Put a project into the pool. With a `source` record (a competition entry, an expo
    agreement), adding the same source again returns the project already there (moved forward
    to `stage` if it is behind): callers may run twice."""
    if stage not in STAGE_ORDER:
        raise ValidationError(_("Unknown stage: %(stage)s.") % {"stage": stage}, code=INVALID_STAGE)
    if source is not None:
        source_type = ContentType.objects.get_for_model(source)
        existing = (
            Project.objects.select_for_update()
            .filter(source_type=source_type, source_id=str(source.pk))
            .first()
        )
        if existing is not None:
            if STAGE_ORDER.index(existing.stage) < STAGE_ORDER.index(stage):
                move_stage(existing, stage, acting_user, "")
                existing.refresh_from_db()
            return existing
    project = Project(
        name_zh=name_zh,
        name_en=name_en,
        summary=summary,
        sector=sector,
        stage=stage,
        investment_sought=investment_sought,
        currency=currency or "CNY",
        responsible=responsible,
        next_follow_up_on=next_follow_up_on,
        source_kind=source_kind
        or (ProjectSource.MANUAL if source is None else ProjectSource.COMPETITION),
        created_by=_user(acting_user),
    )
    if source is not None:
        project.source_type = ContentType.objects.get_for_model(source)
        project.source_id = str(source.pk)
    if stage == ProjectStage.LANDED:
        project.landed_on = timezone.localdate()
    project.full_clean(exclude=["organizations", "people", "recommended_to", "interactions"])
    project.save()
    project.organizations.set(list(organizations))
    project.people.set(list(people))
    project.recommended_to.set(list(recommended_to))
    StageChange.objects.create(
        project=project, from_stage="", to_stage=stage, changed_by=_user(acting_user)
    )
    log(project, "wagtail.create", user=_user(acting_user))
    return project


@transaction.atomic
def move_stage(project: Project | int, stage: str, user, reason: str = "") -> Project:
    """Move a project to `stage` (the transition table in projects.models): locks the row,
    checks the move, records who/when/why and logs ``projects.stage``. Moving backwards needs a
    reason. Moving to the stage it is in changes nothing."""
    pk = project if isinstance(project, int) else project.pk
    row = Project.objects.select_for_update().get(pk=pk)
    if stage == row.stage:
        return row
    if stage not in TRANSITIONS.get(row.stage, ()):
        raise ValidationError(
            _("A project cannot move from %(from)s to %(to)s.")
            % {"from": row.get_stage_display(), "to": stage},
            code=INVALID_STAGE,
        )
    reason = (reason or "").strip()
    if STAGE_ORDER.index(stage) < STAGE_ORDER.index(row.stage) and not reason:
        raise ValidationError(
            _("Moving a project back to an earlier stage needs a reason."), code=REASON_REQUIRED
        )
    previous = row.stage
    row.stage = stage
    fields = ["stage", "updated_at"]
    if stage == ProjectStage.LANDED:
        row.landed_on = timezone.localdate()
        fields.append("landed_on")
    elif previous == ProjectStage.LANDED:
        row.landed_on = None
        fields.append("landed_on")
    row.save(update_fields=fields)
    StageChange.objects.create(
        project=row, from_stage=previous, to_stage=stage, changed_by=_user(user), reason=reason
    )
    log(
        row,
        "projects.stage",
        user=_user(user),
        data={"from": previous, "to": stage, "reason": reason},
    )
    return row


@transaction.atomic
def record_follow_up(
    project: Project,
    *,
    kind: str,
    occurred_on: datetime.date,
    subject: str,
    summary: str = "",
    people: Iterable = (),
    next_follow_up_on: datetime.date | None = None,
    acting_user=None,
):
    """A follow-up with the project's contacts, recorded as a CRM interaction (with the
    project's organizations) and linked to the project."""
    interaction = record_interaction(
        kind=kind,
        occurred_on=occurred_on,
        subject=subject,
        summary=summary,
        people=people,
        organizations=project.organizations.all(),
        staff=[acting_user] if _user(acting_user) else [],
        acting_user=acting_user,
    )
    project.interactions.add(interaction)
    if next_follow_up_on is not None:
        project.next_follow_up_on = next_follow_up_on
        project.save(update_fields=["next_follow_up_on", "updated_at"])
    log(project, "projects.follow_up", user=_user(acting_user), data={"id": interaction.pk})
    return interaction


def landed_this_year(today: datetime.date | None = None) -> int:
    """Projects that landed in the calendar year of `today` (the dashboard figure)."""
    today = today or timezone.localdate()
    return Project.objects.filter(stage=ProjectStage.LANDED, landed_on__year=today.year).count()
