"""Conflicts of interest between judges and entries: declared by a judge, or detected from the
CRM — the judge works for the entry's organization (or one of its team members' current
organizations), worked there before (an ended affiliation), has a CRM relationship with a team
member, or shares an email domain with the team (public mail providers excepted).

Every new conflict is written to the audit log; a conflicted pair is never assigned, and an
assignment that a new conflict hits is withdrawn and given to another judge."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from wagtail.log_actions import log

from competitions.models import ConflictOfInterest, Entry, EntryStatus, JudgeRole, TeamMember

Source = ConflictOfInterest.Source
# Domains anyone can have an address at: sharing one says nothing about a conflict.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sohu.com",
        "aliyun.com",
        "139.com",
        "gmx.de",
        "web.de",
        "mail.ru",
        "yandex.ru",
    }
)


@dataclass
class Facts:
    """What the CRM says about a set of people: current and past organizations, related
    people, email domains."""

    organizations: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    past_organizations: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    related: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    domains: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))


def _facts(person_ids: set[int]) -> Facts:
    from django.utils import timezone

    from crm.models import Affiliation, PersonEmail, Relationship

    facts = Facts()
    today = timezone.localdate()
    for person_id, organization_id, end in Affiliation.objects.filter(
        person_id__in=person_ids
    ).values_list("person_id", "organization_id", "end_date"):
        if end is not None and end < today:
            facts.past_organizations[person_id].add(organization_id)
        else:
            facts.organizations[person_id].add(organization_id)
    for a, b in Relationship.objects.filter(
        Q(from_person_id__in=person_ids) | Q(to_person_id__in=person_ids),
        from_person__isnull=False,
        to_person__isnull=False,
    ).values_list("from_person_id", "to_person_id"):
        facts.related[a].add(b)
        facts.related[b].add(a)
    for person_id, email in PersonEmail.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "email"
    ):
        domain = email.rpartition("@")[2].lower()
        if domain and domain not in PUBLIC_MAIL_DOMAINS:
            facts.domains[person_id].add(domain)
    return facts


def _found(judge: JudgeRole, entry: Entry, team: list[int], facts: Facts, names) -> list:
    """[(source, detail)] of the conflicts between one judge and one entry."""
    found = []
    person = judge.person_id
    entry_orgs = {entry.organization_id} if entry.organization_id else set()
    for member in team:
        entry_orgs |= facts.organizations.get(member, set())
    same = facts.organizations.get(person, set()) & entry_orgs
    if same:
        found.append((Source.ORGANIZATION, names(same)))
    past = facts.past_organizations.get(person, set()) & entry_orgs
    if past:
        found.append((Source.PAST_AFFILIATION, names(past)))
    if facts.related.get(person, set()) & set(team):
        found.append((Source.RELATIONSHIP, ""))
    team_domains = set().union(*(facts.domains.get(m, set()) for m in team)) if team else set()
    shared = facts.domains.get(person, set()) & team_domains
    if shared:
        found.append((Source.EMAIL_DOMAIN, ", ".join(sorted(shared))))
    return found


def _detect(judges: list[JudgeRole], entries: list[Entry]) -> list[ConflictOfInterest]:
    from crm.models import Organization

    teams: dict[int, list[int]] = defaultdict(list)
    for entry_id, person_id in (
        TeamMember.objects.filter(entry__in=entries)
        .order_by("pk")
        .values_list("entry_id", "person_id")
    ):
        teams[entry_id].append(person_id)
    people = {j.person_id for j in judges} | {p for team in teams.values() for p in team}
    facts = _facts(people)
    org_names = {}

    def names(ids):
        missing = set(ids) - set(org_names)
        if missing:
            org_names.update(Organization.objects.filter(pk__in=missing).values_list("pk", "name"))
        return ", ".join(sorted(org_names.get(i, "") for i in ids))[:255]

    existing = set(
        ConflictOfInterest.objects.filter(judge__in=judges, entry__in=entries).values_list(
            "judge_id", "entry_id", "source"
        )
    )
    new = []
    for judge in judges:
        for entry in entries:
            for source, detail in _found(judge, entry, teams.get(entry.pk, []), facts, names):
                if (judge.pk, entry.pk, source) in existing:
                    continue
                new.append(
                    ConflictOfInterest(judge=judge, entry=entry, source=source, detail=detail)
                )
    recorded = []
    for conflict in new:
        # One row at a time: each new conflict gets its own audit entry.
        row, created = ConflictOfInterest.objects.get_or_create(
            judge=conflict.judge,
            entry=conflict.entry,
            source=conflict.source,
            defaults={"detail": conflict.detail},
        )
        if created:
            log(row, "competitions.conflict_detected")
            recorded.append(row)
    _withdraw_conflicted({(c.judge_id, c.entry_id) for c in recorded})
    return recorded


def _withdraw_conflicted(pairs: set[tuple[int, int]]) -> None:
    """Assignments (in rounds not closed) that a new conflict hits are withdrawn and given to
    another judge."""
    from competitions.models import Assignment
    from competitions.services.assignment import fill_round

    if not pairs:
        return
    q = Q()
    for judge_id, entry_id in pairs:
        q |= Q(judge_id=judge_id, entry_id=entry_id)
    hit = Assignment.objects.filter(q, status="active").exclude(round__status="closed")
    rounds = {a.round for a in hit.select_related("round")}
    for assignment in hit:
        assignment.status = Assignment.Status.WITHDRAWN
        assignment.save(update_fields=["status"])
        log(assignment, "competitions.assignment_withdrawn")
    for round_ in rounds:
        fill_round(round_)


@transaction.atomic
def detect_for_entry(entry: Entry) -> list[ConflictOfInterest]:
    judges = list(entry.competition.judges.filter(withdrawn_at__isnull=True))
    return _detect(judges, [entry])


@transaction.atomic
def detect_conflicts(competition, *, acting_user=None) -> list[ConflictOfInterest]:
    """Check every judge against every entry of the competition; new conflicts are recorded."""
    judges = list(competition.judges.filter(withdrawn_at__isnull=True))
    entries = list(competition.entries.filter(status=EntryStatus.SUBMITTED))
    return _detect(judges, entries)


@transaction.atomic
def declare_conflict(judge: JudgeRole, entry: Entry, *, detail: str = "", acting_user=None):
    conflict, created = ConflictOfInterest.objects.get_or_create(
        judge=judge, entry=entry, source=Source.DECLARED, defaults={"detail": detail[:255]}
    )
    if created:
        log(conflict, "competitions.conflict_declared", user=acting_user)
        _withdraw_conflicted({(judge.pk, entry.pk)})
    return conflict


def conflicted_pairs(competition) -> set[tuple[int, int]]:
    """(entry id, judge id) pairs never to assign."""
    return {
        (e, j)
        for j, e in ConflictOfInterest.objects.filter(judge__competition=competition).values_list(
            "judge_id", "entry_id"
        )
    }
