"""Recommendations that explain themselves: which exhibitors a buyer should meet, and why, from
CRM and registration data only (sectors, intents against what the exhibitor seeks, shared
languages). Reasons are rendered in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override

from crm.languages import language_display
from expos.models import Buyer, Exhibitor, Intent

SECTOR_SCORE = 3
INVEST_SCORE = 2
INTENT_SCORE = 1
LANGUAGE_SCORE = 1


@dataclass(frozen=True)
class Recommendation:
    exhibitor: Exhibitor
    score: int
    reasons: tuple[str, ...]


def _base(code: str) -> str:
    return (code or "").lower().split("-")[0]


def recommend_for_buyer(buyer: Buyer, *, language: str = "en", limit: int = 20):
    """Exhibitors of the buyer's expo with at least one reason, best first (ties by booth)."""
    buyer_sectors = {s.pk: s for s in buyer.sectors.all()}
    buyer_languages = {_base(x): x for x in buyer.languages}
    results = []
    exhibitors = (
        Exhibitor.objects.filter(event_id=buyer.registration.event_id)
        .select_related("organization")
        .prefetch_related("sectors")
    )
    with override(language):
        for exhibitor in exhibitors:
            score, reasons = 0, []
            shared = [s for s in exhibitor.sectors.all() if s.pk in buyer_sectors]
            for sector in shared:
                score += SECTOR_SCORE
                name = (
                    sector.name_zh if language.startswith("zh") and sector.name_zh else sector.name
                )
                reasons.append(_("same sector: %(sector)s") % {"sector": name})
            if Intent.INVEST in buyer.intents and exhibitor.seeking_investment:
                score += INVEST_SCORE
                reasons.append(_("intent invest ↔ seeking investment"))
            elif shared:
                for intent in buyer.intents:
                    if intent != Intent.INVEST:
                        score += INTENT_SCORE
                        reasons.append(_("intent: %(intent)s") % {"intent": Intent(intent).label})
                        break
            for code in exhibitor.languages:
                if _base(code) in buyer_languages and _base(code) != "zh":
                    score += LANGUAGE_SCORE
                    reasons.append(
                        _("both speak %(language)s") % {"language": language_display(code)}
                    )
                    break
            if score:
                results.append(Recommendation(exhibitor, score, tuple(reasons)))
    results.sort(
        key=lambda r: (-r.score, r.exhibitor.hall, r.exhibitor.booth_number, r.exhibitor.pk)
    )
    return results[:limit]
