"""Operations on contacts: create, update, merge, tag, assign owner. Every change is audited
with wagtail.log_actions (visible in the admin history of the person)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from crm.identity import normalize_email
from crm.models import (
    Affiliation,
    Person,
    PersonEmail,
    PersonPhone,
    Segment,
)
from crm.phones import parse_phone

# The person's own editable fields, in display order (the API lists them in this order too).
PERSON_FIELDS = (
    "family_name",
    "given_name",
    "name_order",
    "full_name_native",
    "name_chinese",
    "name_latin",
    "honorific",
    "gender",
    "job_title",
    "preferred_language",
    "time_zone",
    "country",
    "city",
    "assistant",
    "send_via_assistant",
    "is_diaspora",
    "ancestral_home",
    "diaspora_generation",
    "vip_level",
    "owner",
    "do_not_contact",
    "restricted",
    "notes",
    "source",
)


@dataclass
class EmailInput:
    email: str
    is_primary: bool = False
    label: str = ""


@dataclass
class PhoneInput:
    number: str
    kind: str = "mobile"
    is_primary: bool = False


@dataclass
class PersonInput:
    fields: dict[str, Any] = field(default_factory=dict)
    emails: list[EmailInput] | None = None
    phones: list[PhoneInput] | None = None
    tags: list[str] | None = None


def default_region(person: Person) -> str | None:
    """The region national phone formats are read in: the person's country, else the country
    of their primary (or any current) organization."""
    if person.country:
        return str(person.country)
    if person.pk:
        affiliation = (
            Affiliation.objects.filter(person=person, end_date__isnull=True)
            .exclude(organization__country="")
            .select_related("organization")
            .order_by("-is_primary", "id")
            .first()
        )
        if affiliation:
            return str(affiliation.organization.country)
    return None


def check_email_available(email: str, person: Person | None) -> str:
    """Return the identity of `email`, or raise naming the value if another person has it."""
    identity = normalize_email(email)
    clash = PersonEmail.objects.filter(email_normalized=identity)
    if person is not None and person.pk:
        clash = clash.exclude(person=person)
    other = clash.values_list("person_id", flat=True).first()
    if other:
        raise ValidationError(
            # No id: the other contact may be restricted (the id is in params for callers who
            # check visibility themselves).
            _('"%(value)s" already belongs to another contact.'),
            code="duplicate_email",
            params={"value": email, "id": other},
        )
    return identity


def refresh_search_text(person: Person) -> None:
    emails = list(person.emails.values_list("email_normalized", flat=True))
    phones = list(person.phones.values_list("number", flat=True))
    text = person.build_search_text(emails=emails, phones=phones)
    if text != person.search_text:
        person.search_text = text
        Person.objects.filter(pk=person.pk).update(search_text=text)
    from .dedupe import refresh_match_keys

    refresh_match_keys(person)


def _validate_person(person: Person) -> None:
    person.full_clean(exclude=["tags", "search_text"])
    if not (
        person.family_name
        or person.given_name
        or person.full_name_native
        or person.name_chinese
        or person.name_latin
    ):
        raise ValidationError({"family_name": _("Give at least one form of the person's name.")})


def _item_error(prefix: str, exc: ValidationError) -> ValidationError:
    """One item's error of a list (``phones[0]: …``), keeping its code for the API."""
    errors = getattr(exc, "error_list", None)
    if errors is None:  # a field's error from clean_fields(): {field: [errors]}
        errors = [e for field_errors in exc.error_dict.values() for e in field_errors]
    code = next((e.code for e in errors if e.code), "invalid")
    return ValidationError(prefix + "; ".join(exc.messages), code=code)


def _replace_emails(person: Person, emails: list[EmailInput]) -> None:
    errors = []
    identities = set()
    for index, item in enumerate(emails):
        try:
            PersonEmail(person=person, email=item.email).clean_fields(exclude=["person"])
        except ValidationError as exc:
            errors.append(_item_error(f'emails[{index}]: "{item.email}": ', exc))
            continue
        try:
            identity = check_email_available(item.email, person)
        except ValidationError as exc:
            errors.append(_item_error(f"emails[{index}]: ", exc))
            continue
        if identity in identities:
            errors.append(
                ValidationError(
                    _('emails[%(index)s]: "%(value)s" is given twice.')
                    % {"index": index, "value": item.email},
                    code="given_twice",
                )
            )
        identities.add(identity)
    if errors:
        raise ValidationError({"emails": errors})
    if emails and not any(e.is_primary for e in emails):
        emails[0].is_primary = True
    person.emails.all().delete()
    for item in emails:
        PersonEmail.objects.create(
            person=person, email=item.email.strip(), is_primary=item.is_primary, label=item.label
        )


def _replace_phones(person: Person, phones: list[PhoneInput]) -> None:
    region = default_region(person)
    parsed, errors = [], []
    for index, item in enumerate(phones):
        try:
            parsed.append((parse_phone(item.number, region), item))
        except ValidationError as exc:
            errors.append(_item_error(f"phones[{index}]: ", exc))
    if errors:
        raise ValidationError({"phones": errors})
    person.phones.all().delete()
    for number, item in parsed:
        PersonPhone.objects.create(
            person=person, number=number, kind=item.kind, is_primary=item.is_primary
        )


@transaction.atomic
def create_person(data: PersonInput, *, acting_user=None) -> Person:
    person = Person(**{k: v for k, v in data.fields.items() if k in PERSON_FIELDS})
    if not person.source:
        person.source = "api" if acting_user else "system"
    _validate_person(person)
    person.save()
    if data.emails:
        _replace_emails(person, data.emails)
    if data.phones:
        _replace_phones(person, data.phones)
    if data.tags:
        person.tags.set(data.tags)
        person.save()
    refresh_search_text(person)
    log(person, "wagtail.create", user=acting_user)
    return person


@transaction.atomic
def update_person(person: Person, data: PersonInput, *, acting_user=None) -> Person:
    for key, value in data.fields.items():
        if key in PERSON_FIELDS:
            setattr(person, key, value)
    _validate_person(person)
    person.save()
    if data.emails is not None:
        _replace_emails(person, data.emails)
    if data.phones is not None:
        _replace_phones(person, data.phones)
    if data.tags is not None:
        person.tags.set(data.tags)
        person.save()
    refresh_search_text(person)
    log(person, "wagtail.edit", user=acting_user)
    return person


@transaction.atomic
def save_person_from_form(form, *, acting_user, created: bool) -> Person:
    """The admin's create/edit: the form (with its email/phone/affiliation inlines) has been
    validated, phones already parsed to E.164 by crm.admin.forms.PersonAdminForm."""
    person = form.save()
    emails = list(person.emails.all())
    if emails and not any(e.is_primary for e in emails):
        PersonEmail.objects.filter(pk=emails[0].pk).update(is_primary=True)
    refresh_search_text(person)
    log(person, "wagtail.create" if created else "wagtail.edit", user=acting_user)
    _apply_consent_changes(form, person, acting_user=acting_user)
    return person


def _apply_consent_changes(form, person: Person, *, acting_user) -> None:
    """The consent boxes of the person form (crm.admin.forms.PersonAdminForm)."""
    from crm.services import consent as consent_service

    changes = getattr(form, "consent_changes", None)
    if changes is None:
        return
    record, withdraw = changes()
    data = form.cleaned_data
    for purpose in record:
        consent_service.record_consent(
            person,
            purpose=purpose,
            legal_basis=data.get("consent_legal_basis") or "consent",
            source=data.get("consent_source") or "",
            acting_user=acting_user,
        )
    for purpose in withdraw:
        consent_service.withdraw_consent(person, purpose=purpose, acting_user=acting_user)


@transaction.atomic
def add_tags(people: Iterable[Person], tags: list[str], *, acting_user=None) -> int:
    count = 0
    for person in people:
        person.tags.add(*tags)
        person.save()  # a ClusterableModel commits its tags on a full save
        log(person, "crm.tagged", user=acting_user, data={"tags": tags})
        count += 1
    return count


@transaction.atomic
def assign_owner(people: Iterable[Person], owner, *, acting_user=None) -> int:
    count = 0
    for person in people:
        person.owner = owner
        person.save(update_fields=["owner", "updated_at"])
        log(
            person,
            "crm.owner_assigned",
            user=acting_user,
            data={"owner_id": getattr(owner, "pk", None)},
        )
        count += 1
    return count


@transaction.atomic
def add_to_segment(people: Iterable[Person], segment: Segment, *, acting_user=None) -> int:
    people = list(people)
    segment.additions.add(*people)
    segment.exclusions.remove(*people)
    for person in people:
        log(
            person,
            "crm.added_to_segment",
            user=acting_user,
            data={"segment_id": segment.pk, "segment": segment.name},
        )
    log(segment, "wagtail.edit", user=acting_user)
    return len(people)


def merge_people(
    keep: Person, drop: Person, *, choices: dict[str, str] | None = None, acting_user=None
) -> Person:
    """Merge the duplicate `drop` into `keep` (crm.services.merge): everything moves, the merge
    is recorded and can be undone. Returns the kept person."""
    from .merge import merge_people as merge

    merge(keep, drop, choices=choices, acting_user=acting_user)
    keep.refresh_from_db()
    return keep
