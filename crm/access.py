"""The record-level access policy: for a user, which CRM and outreach records they may see,
which people they may change, and whether contact details are shown or masked.

Every queryset that reaches a user goes through here: the admin's listings, object views,
choosers, usage and history, the site history report, exports, the REST API, campaign previews,
message lists and counts. The Wagtail permission policy of the CRM's models
(crm.permissions.CrmPermissionPolicy) delegates its record-level answers to these functions, so
Wagtail's own machinery (edit links, usage rows, bulk actions) asks the same questions.

Plain functions rather than one Wagtail policy class, because the questions span models of two
apps (a message is visible when its recipient is) and services and serializers need them
without a model at hand. Model permissions (what a role may do at all) stay Django's and
Wagtail's; this module answers only "which records".

The rules:
- restricted people: visible only to their owner and administrators (``view_restricted_person``
  or superuser); a hidden person is left out of lists, or shown as "(restricted contact)" where a
  link must stay (never named, no address);
- records about people (affiliations, consents, relationships, interactions, messages) are
  hidden when any person they name is hidden;
- contact details (emails, phones, handles) are shown only with ``view_contact_details``;
  otherwise masked, and searchable only by a whole address or number;
- a person is changed by administrators, or by an officer who owns them (``change_person``);
  every write that links a person (affiliation, relationship, interaction, consent, assistant)
  needs that right on each person it adds or removes; campaign and segment additions and
  exclusions need only that the person is visible (they change the audience, not the person).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RESTRICTED_LABEL = gettext_lazy("(restricted contact)")
# The role groups (crm.services.roles); listed here to keep this module free of imports
# from services.
ROLE_GROUPS = ("Viewer", "Officer", "Campaign manager", "Administrator")


# --- who the user is ----------------------------------------------------------------------
def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_active", False))


def is_administrator(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm("crm.change_any_person"))


def can_see_restricted(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm("crm.view_restricted_person"))


def can_see_contact_details(user) -> bool:
    return _active(user) and user.has_perm("crm.view_contact_details")


def may_use_admin(user) -> bool:
    """What the admin asks of every staff member; the API asks the same (no ``is_staff``)."""
    return _active(user) and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def staff_members():
    """Users who may own records: active members of a role, and superusers."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=ROLE_GROUPS))
        .distinct()
        .order_by("username")
    )


# --- people -------------------------------------------------------------------------------
def _person_model():
    from crm.models import Person

    return Person


def hidden_people(user) -> QuerySet:
    """People `user` may not see (a subquery for excluding records that name them)."""
    Person = _person_model()
    if can_see_restricted(user):
        return Person.objects.none()
    owner_id = user.pk if _active(user) else None
    return Person.objects.filter(restricted=True).exclude(owner_id=owner_id).values("pk")


def visible_people(user, queryset: QuerySet | None = None) -> QuerySet:
    """People `user` may see: restricted people only for their owner and administrators;
    erased people stay listed (as "(erased contact)") for the aggregate figures."""
    Person = _person_model()
    queryset = Person.objects.all() if queryset is None else queryset
    if can_see_restricted(user):
        return queryset
    if not _active(user):
        return queryset.none()
    return queryset.filter(Q(restricted=False) | Q(owner_id=user.pk))


def count_visible_people(user) -> int:
    """len(visible_people(user)) as index-only counts (crm_person_open_idx + owner index)."""
    Person = _person_model()
    count = Person.objects.filter(restricted=False).count()
    if can_see_restricted(user):
        return count + Person.objects.filter(restricted=True).count()
    return count + Person.objects.filter(restricted=True, owner_id=user.pk).count()


def can_view_person(user, person) -> bool:
    if person is None:
        return True
    return (
        (not person.restricted)
        or (_active(user) and person.owner_id == user.pk)
        or can_see_restricted(user)
    )


def can_change_person(user, person) -> bool:
    """Edit the person or anything linked to them."""
    if not _active(user) or not user.has_perm("crm.change_person"):
        return False
    if not can_view_person(user, person):
        return False
    return is_administrator(user) or person.owner_id == user.pk


def changeable_people(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = visible_people(user, queryset)
    if not _active(user) or not user.has_perm("crm.change_person"):
        return queryset.none()
    if is_administrator(user):
        return queryset
    return queryset.filter(owner_id=user.pk)


def person_name(user, person) -> str:
    """The person's name, or "(restricted contact)" for those who may not see them."""
    if person is None:
        return ""
    if not can_view_person(user, person):
        return str(RESTRICTED_LABEL)
    return str(person)


# --- contact details ----------------------------------------------------------------------
def mask_email(value: str) -> str:
    local, _sep, domain = (value or "").partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


def mask_phone(value) -> str:
    text = str(value or "")
    return f"{text[:3]}••••{text[-2:]}" if len(text) > 5 else "•••"


def shown_email(user, value: str) -> str:
    return value if (not value or can_see_contact_details(user)) else mask_email(value)


def shown_phone(user, value) -> str:
    return str(value or "") if can_see_contact_details(user) else mask_phone(value)


# --- records about people -----------------------------------------------------------------
def visible_affiliations(user, queryset: QuerySet | None = None) -> QuerySet:
    from crm.models import Affiliation

    queryset = Affiliation.objects.all() if queryset is None else queryset
    return queryset.exclude(person__in=hidden_people(user))


def visible_consents(user, queryset: QuerySet | None = None) -> QuerySet:
    from crm.models import Consent

    queryset = Consent.objects.all() if queryset is None else queryset
    return queryset.exclude(person__in=hidden_people(user))


def visible_relationships(user, queryset: QuerySet | None = None) -> QuerySet:
    from crm.models import Relationship

    queryset = Relationship.objects.all() if queryset is None else queryset
    if can_see_restricted(user):
        return queryset
    hidden = hidden_people(user)
    return queryset.exclude(from_person__in=hidden).exclude(to_person__in=hidden)


def visible_interactions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Interactions naming a hidden participant are hidden whole: their subject and summary
    are about that person."""
    from crm.models import Interaction

    queryset = Interaction.objects.all() if queryset is None else queryset
    if can_see_restricted(user):
        return queryset
    return queryset.exclude(
        pk__in=Interaction.people.through.objects.filter(person__in=hidden_people(user)).values(
            "interaction_id"
        )
    )


def visible_organizations(user, queryset: QuerySet | None = None) -> QuerySet:
    from crm.models import Organization

    return Organization.objects.all() if queryset is None else queryset


def visible_segments(user, queryset: QuerySet | None = None) -> QuerySet:
    """Segments are shared definitions; who is in them is counted per user (segment_count)."""
    from crm.models import Segment

    return Segment.objects.all() if queryset is None else queryset


def visible_campaigns(user, queryset: QuerySet | None = None) -> QuerySet:
    from django.apps import apps

    Campaign = apps.get_model("outreach", "Campaign")
    return Campaign.objects.all() if queryset is None else queryset


def visible_messages(user, queryset: QuerySet | None = None) -> QuerySet:
    """Messages to (or via the assistant of) a hidden person are left out of lists."""
    from django.apps import apps

    Message = apps.get_model("outreach", "Message")
    queryset = Message.objects.all() if queryset is None else queryset
    if can_see_restricted(user):
        return queryset
    hidden = hidden_people(user)
    return queryset.exclude(person__in=hidden).exclude(via_assistant__in=hidden)


def message_recipient(user, message) -> tuple[str, str, str]:
    """(name, address, failure text) of a message as `user` may see them: a message to (or
    via the assistant of) a hidden person stays listed - the campaign's rows must add up - as
    "(restricted contact)" without address or failure text; addresses masked for staff who may
    not see contact details."""
    if not can_view_person(user, message.person) or not can_view_person(
        user, message.via_assistant
    ):
        return str(RESTRICTED_LABEL), "", ""
    error = message.last_error or ""
    if message.email and not can_see_contact_details(user):
        error = error.replace(message.email, mask_email(message.email))
    return person_name(user, message.person), shown_email(user, message.email), error


def _excluding_hidden(*paths: str):
    """A visibility rule for records naming people through `paths` (e.g. "person",
    "registration__person"): hidden when any of them is a hidden person."""

    def visible(user, queryset):
        if can_see_restricted(user):
            return queryset
        hidden = hidden_people(user)
        for path in paths:
            queryset = queryset.exclude(**{f"{path}__in": hidden})
        return queryset

    return visible


# --- competitions: judges see only their own work -----------------------------------------
def _competition_model(name: str):
    from django.apps import apps

    return apps.get_model("competitions", name)


def is_competition_staff(user) -> bool:
    """Staff who run competitions (model permission on entries) see every entry and score."""
    return _active(user) and (user.is_superuser or user.has_perm("competitions.view_entry"))


def judge_roles(user) -> QuerySet:
    """The active judge roles of a judge account."""
    JudgeRole = _competition_model("JudgeRole")
    if not _active(user):
        return JudgeRole.objects.none()
    return JudgeRole.objects.filter(user=user, withdrawn_at__isnull=True)


def presides(user, competition) -> bool:
    """On the presidium of `competition` (or staff running competitions)."""
    if is_competition_staff(user) and user.has_perm("competitions.change_competition"):
        return True
    return judge_roles(user).filter(competition=competition, tier="presidium").exists()


def visible_entries(user, queryset: QuerySet | None = None) -> QuerySet:
    """Staff: every entry. A judge: the entries assigned to them, and every entry of a
    competition they preside."""
    Entry = _competition_model("Entry")
    queryset = Entry.objects.all() if queryset is None else queryset
    if is_competition_staff(user):
        return queryset
    roles = judge_roles(user)
    return queryset.filter(
        Q(assignments__judge__in=roles, assignments__status="active")
        | Q(competition__in=roles.filter(tier="presidium").values("competition"))
    ).distinct()


def visible_assignments(user, queryset: QuerySet | None = None) -> QuerySet:
    Assignment = _competition_model("Assignment")
    queryset = Assignment.objects.all() if queryset is None else queryset
    if is_competition_staff(user):
        return queryset
    roles = judge_roles(user)
    return queryset.filter(
        Q(judge__in=roles)
        | Q(round__competition__in=roles.filter(tier="presidium").values("competition"))
    )


def visible_scores(user, queryset: QuerySet | None = None) -> QuerySet:
    """A judge sees their own scores; other judges' only once the round is closed (the
    presidium: the live ranking of its competition at any time)."""
    Score = _competition_model("Score")
    queryset = Score.objects.all() if queryset is None else queryset
    if is_competition_staff(user):
        return queryset
    roles = judge_roles(user)
    competitions = roles.values("competition")
    return queryset.filter(
        Q(assignment__judge__in=roles)
        | Q(
            assignment__round__competition__in=competitions,
            assignment__round__status="closed",
        )
        | Q(assignment__round__competition__in=roles.filter(tier="presidium").values("competition"))
    )


# --- one entry point for any model --------------------------------------------------------
_VISIBLE = {
    "crm.person": visible_people,
    "crm.affiliation": visible_affiliations,
    "crm.consent": visible_consents,
    "crm.relationship": visible_relationships,
    "crm.interaction": visible_interactions,
    "crm.organization": visible_organizations,
    "crm.segment": visible_segments,
    "outreach.campaign": visible_campaigns,
    "outreach.message": visible_messages,
    # Event registrations (RSVP) and what hangs off them: a guest list, a door screen.
    "outreach.registration": _excluding_hidden("person", "answered_by"),
    "outreach.registrationchange": _excluding_hidden("registration__person"),
    "outreach.companion": _excluding_hidden("registration__person"),
    "outreach.sessionchoice": _excluding_hidden("registration__person"),
    "outreach.answer": _excluding_hidden("registration__person"),
    "outreach.waitlistentry": _excluding_hidden("registration__person"),
    "outreach.checkin": _excluding_hidden("registration__person"),
    # Competitions: team members and judges are CRM people.
    "competitions.entry": visible_entries,
    "competitions.assignment": visible_assignments,
    "competitions.score": visible_scores,
    "competitions.teammember": _excluding_hidden("person"),
    "competitions.judgerole": _excluding_hidden("person"),
    "competitions.conflictofinterest": _excluding_hidden("judge__person"),
    "outreach.revokedrsvplink": _excluding_hidden(
        "invitation__person", "invitation__via_assistant"
    ),
    # Expos: a buyer is a registered CRM person; an exhibitor names contact people.
    "expos.buyer": _excluding_hidden("registration__person"),
    "expos.exhibitor": _excluding_hidden("contacts"),
    "expos.meetingrequest": _excluding_hidden("buyer__registration__person", "exhibitor__contacts"),
    "expos.meeting": _excluding_hidden(
        "request__buyer__registration__person", "request__exhibitor__contacts"
    ),
}
# Child rows of a person (emails, phones, handles): visible with the person.
_PERSON_CHILDREN = {"crm.personemail", "crm.personphone", "crm.messaginghandle"}


def visible_queryset(user, model: type[Model], queryset: QuerySet | None = None) -> QuerySet:
    """The rows of `model` that `user` may see (model permissions are checked elsewhere)."""
    label = model._meta.label_lower
    queryset = model._default_manager.all() if queryset is None else queryset
    if label in _VISIBLE:
        return _VISIBLE[label](user, queryset)
    if label in _PERSON_CHILDREN:
        return queryset.exclude(person__in=hidden_people(user))
    return queryset


def can_view(user, instance) -> bool:
    """Whether `user` may see this record (record level only)."""
    if instance is None:
        return True
    label = instance._meta.label_lower
    if label == "crm.person":
        return can_view_person(user, instance)
    if label not in _VISIBLE and label not in _PERSON_CHILDREN:
        return True
    if instance.pk is None:
        return True
    return visible_queryset(user, type(instance)).filter(pk=instance.pk).exists()


def has_hidden_records(model) -> bool:
    label = model._meta.label_lower
    return label in _VISIBLE or label in _PERSON_CHILDREN


def hidden_object_ids(user, model, object_ids: Iterable) -> set[str]:
    """Of `object_ids` (as audit log entries hold them, text), those of records of `model`
    hidden from `user`. Two queries whatever the number of ids."""
    if not has_hidden_records(model) or can_see_restricted(user):
        return set()
    pks = set()
    for object_id in object_ids:
        with contextlib.suppress(ValidationError, ValueError, TypeError):
            pks.add(model._meta.pk.to_python(object_id))
    rows = model._default_manager.filter(pk__in=pks)
    existing = set(rows.values_list("pk", flat=True))
    visible = set(visible_queryset(user, model, rows).values_list("pk", flat=True))
    return {str(pk) for pk in existing - visible}


def hidden_ids_subquery(user, model):
    """The ids (as text) of every record of `model` hidden from `user`, as a subquery."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    base = model._default_manager.all()
    hidden = base.exclude(pk__in=visible_queryset(user, model, base).values("pk"))
    return hidden.annotate(text_id=Cast("pk", CharField())).values("text_id")


# --- writes that link people --------------------------------------------------------------
def _ids(people: Iterable) -> set[int]:
    ids = set()
    for p in people or ():
        pk = getattr(p, "pk", p)
        if pk not in (None, ""):
            ids.add(int(pk))
    return ids


def check_may_change_people(user, people: Iterable, *, before: Iterable = ()) -> None:
    """Raise PermissionDenied unless `user` may change every person added to or removed from a
    link (`people` now, `before` the link's people before the write). The message names no
    one."""
    Person = _person_model()
    changed = _ids(people) ^ _ids(before)
    if not changed:
        return
    allowed = set(
        changeable_people(user, Person.objects.filter(pk__in=changed)).values_list("pk", flat=True)
    )
    if changed - allowed:
        raise PermissionDenied(_("You may not change one of the people this refers to."))


def check_may_reference_people(user, people: Iterable, *, before: Iterable = ()) -> None:
    """Raise PermissionDenied unless every person added or removed is visible to `user`
    (campaign and segment additions and exclusions)."""
    Person = _person_model()
    changed = _ids(people) ^ _ids(before)
    if not changed:
        return
    visible = set(
        visible_people(user, Person.objects.filter(pk__in=changed)).values_list("pk", flat=True)
    )
    if changed - visible:
        raise PermissionDenied(_("One of the chosen people does not exist."))


# --- search -------------------------------------------------------------------------------
def search_people(user, queryset: QuerySet, term: str, *, cap: int | None = None):
    """(matches, capped) among `queryset` (already visible to `user`): any name form, and the
    contact details only as far as the user may see them (crm.services.search)."""
    from crm.services.search import SEARCH_RESULT_CAP, search_people_for_listing

    return search_people_for_listing(
        queryset,
        term,
        cap=SEARCH_RESULT_CAP if cap is None else cap,
        masked=not can_see_contact_details(user),
    )


# --- the person links of a write, for forms and serializers ---------------------------------
# Fields that point at a person from another record: setting them changes the audience or the
# pointing record, not the person, so seeing the person is enough. Every other link to a person
# (affiliation, consent, relationship, interaction participant) is part of that person's record
# and needs the right to change them.
REFERENCE_FIELDS = {
    ("crm.person", "assistant"),
    ("crm.segment", "additions"),
    ("crm.segment", "exclusions"),
    ("outreach.campaign", "additions"),
    ("outreach.campaign", "exclusions"),
}


def person_link_fields(model) -> list[tuple[str, bool]]:
    """(field name, many) of the model's own fields that link a person."""
    Person = _person_model()
    fields = []
    for field in model._meta.get_fields():
        if not getattr(field, "concrete", False) or field.auto_created:
            continue
        if (field.many_to_many or field.many_to_one) and field.related_model is Person:
            fields.append((field.name, field.many_to_many))
    return fields


def _people_ids(value) -> set[int]:
    if value is None or value == "":
        return set()
    if hasattr(value, "values_list"):
        return set(value.values_list("pk", flat=True))
    if isinstance(value, (list, tuple, set)):
        return _ids(value)
    return _ids([value])


def _stored_ids(model, pk, name: str, many: bool) -> set[int]:
    if pk is None:
        return set()
    if many:
        through = getattr(model, name).through
        source = getattr(model, name).field.m2m_field_name()
        target = getattr(model, name).field.m2m_reverse_field_name()
        return set(through.objects.filter(**{source: pk}).values_list(f"{target}_id", flat=True))
    value = model._default_manager.filter(pk=pk).values_list(f"{name}_id", flat=True).first()
    return {value} if value is not None else set()


def check_person_links(user, model, data: dict, *, pk=None) -> None:
    """Raise PermissionDenied unless `user` may write the person links in `data` (field name ->
    new value: a person, an id, a list or queryset of them) on the record `pk` of `model`
    (None: a new record). Only fields present in `data` are checked; what changes is
    compared with what is stored."""
    label = model._meta.label_lower
    for name, many in person_link_fields(model):
        if name not in data:
            continue
        after = _people_ids(data[name])
        before = _stored_ids(model, pk, name, many)
        if (label, name) in REFERENCE_FIELDS:
            check_may_reference_people(user, after, before=before)
        elif pk is None:
            # A new record about these people: each of them is changed.
            check_may_change_people(user, after)
        else:
            check_may_change_people(user, after, before=before)


def check_form_person_links(user, form) -> None:
    """check_person_links for a validated model form."""
    model = form._meta.model
    data = {
        name: form.cleaned_data[name]
        for name, _m in person_link_fields(model)
        if name in form.cleaned_data
    }
    check_person_links(
        user, model, data, pk=form.instance.pk if not form.instance._state.adding else None
    )
