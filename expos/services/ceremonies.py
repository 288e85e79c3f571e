"""Signing ceremonies: an agreement signed enters the project pool at stage "signed"."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from expos.models import Agreement
from projects.models import ProjectSource, ProjectStage
from projects.services import pool


@transaction.atomic
def sign(agreement: Agreement, *, acting_user=None) -> Agreement:
    """Record the signature and put the agreement's project into the pool (stage "signed"; an
    agreement signed twice, or one already in the pool, stays one project)."""
    row = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if row.signed_at is None:
        row.signed_at = timezone.now()
    project = pool.add_to_pool(
        name_en=row.title_en,
        name_zh=row.title_zh,
        sector=row.sector,
        stage=ProjectStage.SIGNED,
        investment_sought=row.amount,
        currency=row.currency,
        organizations=row.parties.all(),
        source=row,
        source_kind=ProjectSource.EXPO,
        acting_user=acting_user,
    )
    row.project = project
    row.save(update_fields=["signed_at", "project"])
    log(row, "expos.agreement.signed", user=acting_user, data={"project": project.pk})
    return row
