"""Duplicates in the Wagtail admin: the review queue, the side-by-side comparison where staff
merge (choosing each conflicting field) or mark "not a duplicate", undoing a merge, and the
check the person form calls while a name, email or phone is typed. Thin: crm.services.dedupe
and crm.services.merge do the work; only people the user may see are ever shown."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator

from crm import names
from crm.admin.widgets import people_for_labels, person_detail, person_label
from crm.models import (
    DuplicateCandidate,
    DuplicateStatus,
    NameOrder,
    Person,
    PersonMerge,
)
from crm.models.people import is_japanese_person, name_forms_of
from crm.phones import try_parse_phone
from crm.services import dedupe, roles
from crm.services import merge as merge_service

QUEUE_PAGE_SIZE = 50


def _require_merge(request) -> None:
    if not request.user.has_perm("crm.merge_people"):
        raise PermissionDenied


def visible_candidates(user):
    """Open pairs whose two people the user may both see."""
    visible = roles.visible_people(user).filter(erased_at__isnull=True)
    return DuplicateCandidate.objects.filter(
        Exists(visible.filter(pk=OuterRef("first_id"))),
        Exists(visible.filter(pk=OuterRef("second_id"))),
        status=DuplicateStatus.OPEN,
    )


def duplicate_queue(request):
    _require_merge(request)
    candidates = visible_candidates(request.user).select_related("first", "second")
    page = WagtailPaginator(candidates.order_by("-score", "id"), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("p")
    )
    rows = [
        {
            "candidate": c,
            "first": person_label(c.first),
            "second": person_label(c.second),
            "reasons": dedupe.reason_labels(c.reasons),
        }
        for c in page.object_list
    ]
    return TemplateResponse(
        request,
        "crm/admin/duplicate_queue.html",
        {"page_title": _("Possible duplicates"), "rows": rows, "page": page},
    )


@require_POST
def duplicate_scan(request):
    """Ask a worker to scan everyone for duplicates (results appear in the queue)."""
    _require_merge(request)
    from crm.tasks import scan_duplicates

    scan_duplicates.delay()
    messages.success(
        request, _("A background scan for duplicates has started; the queue fills as it runs.")
    )
    return redirect("crm_duplicates")


def _field_rows(keep: Person, drop: Person, user) -> list[dict]:
    conflicts = set(merge_service.conflicts(keep, drop))
    rows = []
    for name in merge_service.CHOOSABLE_FIELDS + tuple(merge_service.STRICTEST):
        field = Person._meta.get_field(name)
        ours, theirs = _display(keep, field), _display(drop, field)
        if not ours and not theirs:
            continue
        rows.append(
            {
                "name": name,
                "label": field.verbose_name,
                "keep": ours,
                "drop": theirs,
                "conflict": name in conflicts,
            }
        )
    show = roles.can_see_contact_details(user)
    for label, getter in (
        (_("email addresses"), lambda p: [e.email for e in p.emails.all()]),
        (_("phone numbers"), lambda p: [str(n.number) for n in p.phones.all()]),
    ):
        mask = roles.mask_email if "@" in "".join(getter(keep) + getter(drop)) else roles.mask_phone
        rows.append(
            {
                "label": label,
                "keep": ", ".join(v if show else mask(v) for v in getter(keep)),
                "drop": ", ".join(v if show else mask(v) for v in getter(drop)),
                "conflict": False,
            }
        )
    rows.append(
        {
            "label": _("affiliations"),
            "keep": "; ".join(str(a) for a in keep.affiliations.all()),
            "drop": "; ".join(str(a) for a in drop.affiliations.all()),
            "conflict": False,
        }
    )
    rows.append(
        {
            "label": _("interactions"),
            "keep": str(keep.interactions.count()),
            "drop": str(drop.interactions.count()),
            "conflict": False,
        }
    )
    return rows


def _display(person: Person, field) -> str:
    value = getattr(person, field.name)
    if value in ("", None):
        return ""
    if field.choices:
        return str(getattr(person, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@require_http_methods(["GET", "POST"])
def duplicate_compare(request, pk):
    """Two records side by side. Kept: the one chosen with ?keep=, else the older one."""
    _require_merge(request)
    candidate = get_object_or_404(DuplicateCandidate, pk=pk)
    pair = {candidate.first_id, candidate.second_id}
    people = people_for_labels(roles.visible_people(request.user)).filter(
        pk__in=pair, erased_at__isnull=True
    )
    people = {p.pk: p for p in people}
    if set(people) != pair:
        raise Http404
    keep_id = int(request.POST.get("keep") or request.GET.get("keep") or candidate.first_id)
    if keep_id not in pair:
        raise Http404
    keep = people[keep_id]
    drop = people[(pair - {keep_id}).pop()]
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "not_duplicate" and candidate.status == DuplicateStatus.OPEN:
            dedupe.mark_not_duplicate(candidate, acting_user=request.user)
            messages.success(
                request, _("Marked as two different people; they will not be proposed again.")
            )
            return redirect("crm_duplicates")
        if action == "merge":
            if not (roles.can_change(request.user, keep) and roles.can_change(request.user, drop)):
                raise PermissionDenied
            choices = {
                name: request.POST.get(f"choice_{name}", "keep")
                for name in merge_service.conflicts(keep, drop)
            }
            try:
                merge = merge_service.merge_people(
                    keep, drop, choices=choices, acting_user=request.user
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Merged into %(name)s. You can undo this from the person's page.")
                    % {"name": person_label(keep)},
                    buttons=[
                        messages.button(reverse("crm_merge_undo", args=[merge.pk]), _("Undo"))
                    ],
                )
                return redirect("wagtailsnippets_crm_person:inspect", keep.pk)
    return TemplateResponse(
        request,
        "crm/admin/duplicate_compare.html",
        {
            "page_title": _("Compare possible duplicates"),
            "candidate": candidate,
            "keep": keep,
            "drop": drop,
            "keep_label": person_label(keep),
            "drop_label": person_label(drop),
            "reasons": dedupe.reason_labels(candidate.reasons),
            "rows": _field_rows(keep, drop, request.user),
            "is_open": candidate.status == DuplicateStatus.OPEN,
        },
    )


@require_http_methods(["GET", "POST"])
def merge_undo(request, pk):
    _require_merge(request)
    merge = get_object_or_404(PersonMerge, pk=pk)
    keep = get_object_or_404(roles.visible_people(request.user), pk=merge.kept_id)
    if request.method == "POST":
        try:
            restored = merge_service.undo_merge(merge, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("wagtailsnippets_crm_person:inspect", keep.pk)
        messages.success(request, _("The merge has been undone: both contacts are back."))
        return redirect("wagtailsnippets_crm_person:inspect", restored.pk)
    return TemplateResponse(
        request,
        "crm/admin/merge_undo.html",
        {
            "page_title": _("Undo a merge"),
            "merge": merge,
            "keep": keep,
            "dropped_name": _dropped_name(merge),
            "can_undo": merge_service.can_undo(merge),
        },
    )


def _dropped_name(merge: PersonMerge) -> str:
    row = merge.dropped
    return (
        row.get("full_name_native")
        or row.get("name_latin")
        or " ".join(p for p in (row.get("given_name"), row.get("family_name")) if p)
        or f"#{merge.dropped_id}"
    )


def merges_into(person: Person) -> list[dict]:
    """Merges into this person that can be undone, for the person's page."""
    return [
        {"merge": m, "name": _dropped_name(m), "url": reverse("crm_merge_undo", args=[m.pk])}
        for m in PersonMerge.objects.filter(kept=person, undone_at__isnull=True)[:20]
    ]


def probe_from_query(params, person_id: int | None = None) -> dedupe.Probe:
    """A probe from what the person form (or an API client) has typed so far."""
    region = (params.get("country") or "").upper() or None
    phones = []
    for raw in params.getlist("phone") if hasattr(params, "getlist") else params.get("phone", []):
        parsed = try_parse_phone(raw, region)
        if parsed:
            phones.append(str(parsed))
    emails = params.getlist("email") if hasattr(params, "getlist") else params.get("email", [])
    orgs = params.getlist("organization") if hasattr(params, "getlist") else []
    return dedupe.Probe(
        family_name=params.get("family_name", ""),
        given_name=params.get("given_name", ""),
        full_names=[params.get(k, "") for k in ("full_name_native", "name_chinese", "name_latin")],
        emails=[e for e in emails if e and "@" in e],
        phones=phones,
        city=params.get("city", ""),
        organization_ids=[int(o) for o in orgs if str(o).isdigit()],
        exclude_id=person_id,
        japanese=is_japanese_person(params.get("country", ""), params.get("preferred_language")),
    )


def match_json(match: dedupe.Match, user) -> dict:
    return {
        "id": match.person.pk,
        "label": person_label(match.person),
        "detail": person_detail(match.person, user),
        "score": match.score,
        "exact": match.exact,
        "reasons": match.reasons,
        "reason_labels": dedupe.reason_labels(match.reasons),
        "url": reverse("wagtailsnippets_crm_person:inspect", args=[match.person.pk]),
    }


def visible_matches(probe: dedupe.Probe, user, *, limit: int = 5) -> list[dedupe.Match]:
    matches = dedupe.likely_duplicates(probe, queryset=roles.visible_people(user), limit=limit)
    by_id = {
        p.pk: p
        for p in people_for_labels(Person.objects.filter(pk__in=[m.person.pk for m in matches]))
    }
    return [dedupe.Match(by_id[m.person.pk], m.score, m.reasons) for m in matches]


def person_duplicate_check(request):
    """JSON for the person form while it is typed: the name forms it would get (native full
    name, Latin/pinyin) and the likely duplicates among the people the user may see."""
    if not request.user.has_perm("crm.add_person") and not request.user.has_perm(
        "crm.change_person"
    ):
        raise PermissionDenied
    person_id = request.GET.get("person")
    person_id = int(person_id) if person_id and person_id.isdigit() else None
    family = (request.GET.get("family_name") or "").strip()
    given = (request.GET.get("given_name") or "").strip()
    order = request.GET.get("name_order") or NameOrder.FROM_SCRIPT
    if order == NameOrder.FROM_SCRIPT:
        order = NameOrder.FAMILY_FIRST if names.is_cjk(family + given) else NameOrder.GIVEN_FIRST
    native, latin = name_forms_of(
        family,
        given,
        order,
        japanese=is_japanese_person(
            request.GET.get("country", ""), request.GET.get("preferred_language")
        ),
    )
    probe = probe_from_query(request.GET, person_id)
    matches = visible_matches(probe, request.user)
    return JsonResponse(
        {
            "native": native,
            "latin": latin,
            "matches": [match_json(m, request.user) for m in matches],
            "heading": _("Possible duplicates") if matches else "",
        }
    )
