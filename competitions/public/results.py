"""The results page on the public site, in the visitor's language, once the presidium has
approved: winners, prizes and the projects' public summaries, nothing else."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from competitions.models import Competition
from competitions.services.results import winners
from outreach.public.registration import _language


def results(request: HttpRequest, code: str) -> HttpResponse:
    competition = get_object_or_404(Competition, event__code=code)
    if not competition.results_published:
        raise Http404
    language = _language(request)
    with translation.override(language):
        return render(
            request,
            "competitions/public/results.html",
            {
                "title": competition.title(language),
                "winners": [
                    {
                        "prize": e.prize(language),
                        "project": e.title(language),
                        "summary": e.summary(language),
                        "track": e.track.label(language),
                        "organization": e.organization_name,
                    }
                    for e in winners(competition)
                ],
            },
        )
