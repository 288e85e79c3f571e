"""Merging two records of one person, and undoing it.

`merge_people(keep, drop, choices=...)` keeps everything: emails, phones, handles,
affiliations, relationships, interactions, consents, tags, sectors, segment memberships, the
change history and whatever other apps hold (they receive crm.signals.people_merged inside the
transaction, before the delete, and re-point their rows - `repoint_references` does it for any
app). Conflicting fields take keep's value unless `choices` says "drop" for that field.
A PersonMerge row records what moved, so that `undo_merge` puts everything back."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from crm.models import (
    Affiliation,
    Consent,
    ImportChange,
    Interaction,
    MessagingHandle,
    Person,
    PersonEmail,
    PersonExternalId,
    PersonMerge,
    PersonPhone,
    Relationship,
    Segment,
)
from crm.signals import people_merged, people_unmerged

from . import dedupe
from .interactions import refresh_last_interaction

# Fields staff may choose between when both records hold a different value.
CHOOSABLE_FIELDS = (
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
    "owner",
    "notes",
    "source",
)
# Never chosen: the stricter value always wins (a merge must not make anyone mailable).
STRICTEST = {"do_not_contact": any, "restricted": any, "vip_level": max}


def _attname(name: str) -> str:
    return Person._meta.get_field(name).attname


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _row(instance: models.Model) -> dict[str, Any]:
    return _jsonable(
        {
            f.attname: f.get_prep_value(f.value_from_object(instance))
            for f in instance._meta.concrete_fields
        }
    )


def _from_row(model, row: dict[str, Any]) -> models.Model:
    values = {}
    for f in model._meta.concrete_fields:
        if f.attname in row:
            value = row[f.attname]
            values[f.attname] = None if value is None else f.to_python(value)
    return model(**values)


def conflicts(keep: Person, drop: Person) -> list[str]:
    """Fields where both records hold a different, non-blank value: staff choose."""
    names = []
    for name in CHOOSABLE_FIELDS:
        a, b = getattr(keep, _attname(name)), getattr(drop, _attname(name))
        if a not in ("", None) and b not in ("", None) and a != b:
            names.append(name)
    return names


def repoint_references(app_label: str, kept_id: int, dropped_id: int) -> dict[str, Any]:
    """Re-point every foreign key and many-to-many row of `app_label`'s models from the dropped
    person to the kept one; returns what moved, for restore_references. A row that would
    duplicate one the kept person already has (a unique constraint) is left to go with the
    dropped person, and recorded so that an undo recreates it."""
    moved: dict[str, Any] = {"fk": {}, "m2m": {}}
    for model in apps.get_app_config(app_label).get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Person:
                label = f"{model._meta.label}.{f.name}"
                ids = list(
                    model._default_manager.filter(**{f.attname: dropped_id}).values_list(
                        "pk", flat=True
                    )
                )
                done, lost = [], []
                for pk in ids:
                    try:
                        with transaction.atomic():
                            model._default_manager.filter(pk=pk).update(**{f.attname: kept_id})
                        done.append(pk)
                    except IntegrityError:
                        lost.append(_row(model._default_manager.get(pk=pk)))
                if done or lost:
                    moved["fk"][label] = {"ids": done, "lost": lost}
        for f in model._meta.local_many_to_many:
            if f.related_model is not Person:
                continue
            through = f.remote_field.through
            source = f.m2m_field_name() + "_id"
            target = f.m2m_reverse_field_name() + "_id"
            rows = list(through.objects.filter(**{target: dropped_id}).values("pk", source))
            have = set(
                through.objects.filter(
                    **{target: kept_id, source + "__in": [r[source] for r in rows]}
                ).values_list(source, flat=True)
            )
            new = [r["pk"] for r in rows if r[source] not in have]
            shared = [r[source] for r in rows if r[source] in have]
            through.objects.filter(pk__in=new).update(**{target: kept_id})
            if new or shared:
                moved["m2m"][f"{model._meta.label}.{f.name}"] = {"ids": new, "shared": shared}
    return moved


def restore_references(moved: dict[str, Any], kept_id: int, dropped_id: int) -> None:
    """Undo repoint_references (rows since deleted are skipped)."""
    for label, entry in moved.get("fk", {}).items():
        model_label, field_name = label.rsplit(".", 1)
        model = apps.get_model(model_label)
        attname = model._meta.get_field(field_name).attname
        model._default_manager.filter(pk__in=entry["ids"], **{attname: kept_id}).update(
            **{attname: dropped_id}
        )
        for row in entry["lost"]:
            if not model._default_manager.filter(pk=row["id"]).exists():
                _from_row(model, row).save(force_insert=True)
    for label, entry in moved.get("m2m", {}).items():
        model_label, field_name = label.rsplit(".", 1)
        f = apps.get_model(model_label)._meta.get_field(field_name)
        through = f.remote_field.through
        source = f.m2m_field_name() + "_id"
        target = f.m2m_reverse_field_name() + "_id"
        through.objects.filter(pk__in=entry["ids"], **{target: kept_id}).update(
            **{target: dropped_id}
        )
        through.objects.bulk_create(
            [through(**{source: s, target: dropped_id}) for s in entry["shared"]],
            ignore_conflicts=True,
        )


def _history(person_id: int):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=str(person_id)
    )


@transaction.atomic
def merge_people(
    keep: Person,
    drop: Person,
    *,
    choices: dict[str, str] | None = None,
    acting_user=None,
) -> PersonMerge:
    """Merge `drop` into `keep` (see the module docstring). `choices` maps a conflicting field
    to "keep" or "drop"; blank fields of keep are filled from drop."""
    if keep.pk == drop.pk:
        raise ValidationError(_("A contact cannot be merged with itself."))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    drop = Person.objects.select_for_update().get(pk=drop.pk)
    if keep.erased_at or drop.erased_at:
        raise ValidationError(_("An erased contact cannot be merged."))
    choices = choices or {}
    dropped = _row(drop)
    dropped["_m2m"] = {
        "tags": sorted(t.name for t in drop.tags.all()),
        "sectors": list(drop.sectors.values_list("pk", flat=True)),
        "diaspora_associations": list(drop.diaspora_associations.values_list("pk", flat=True)),
    }
    keep_before = _row(keep)
    crm: dict[str, Any] = {}

    for name in CHOOSABLE_FIELDS:
        attname = _attname(name)
        ours, theirs = getattr(keep, attname), getattr(drop, attname)
        if theirs in ("", None):
            continue
        if ours in ("", None) or choices.get(name) == "drop":
            setattr(keep, attname, theirs)
    for name, combine in STRICTEST.items():
        setattr(keep, name, combine([getattr(keep, name), getattr(drop, name)]))
    if keep.assistant_id == drop.pk:
        keep.assistant_id = None

    has_primary = keep.emails.filter(is_primary=True).exists()
    crm["emails"] = list(drop.emails.values_list("pk", flat=True))
    crm["email_primary"] = list(drop.emails.filter(is_primary=True).values_list("pk", flat=True))
    PersonEmail.objects.filter(person=drop).update(
        person=keep, **({"is_primary": False} if has_primary else {})
    )

    numbers = set(keep.phones.values_list("number", flat=True))
    has_primary_phone = keep.phones.filter(is_primary=True).exists()
    crm["phones"], crm["phones_lost"], crm["phone_primary"] = [], [], []
    for phone in PersonPhone.objects.filter(person=drop):
        if phone.number in numbers:
            crm["phones_lost"].append(_row(phone))
            phone.delete()
            continue
        if phone.is_primary:
            crm["phone_primary"].append(phone.pk)
        phone.person = keep
        phone.is_primary = phone.is_primary and not has_primary_phone
        phone.save()
        crm["phones"].append(phone.pk)

    handles = set(keep.handles.values_list("platform", "handle"))
    crm["handles"], crm["handles_lost"] = [], []
    for handle in MessagingHandle.objects.filter(person=drop):
        if (handle.platform, handle.handle) in handles:
            crm["handles_lost"].append(_row(handle))
            continue
        MessagingHandle.objects.filter(pk=handle.pk).update(person=keep)
        crm["handles"].append(handle.pk)

    has_primary_aff = keep.affiliations.filter(is_primary=True).exists()
    crm["affiliations"] = list(Affiliation.objects.filter(person=drop).values_list("pk", flat=True))
    crm["affiliation_primary"] = list(
        Affiliation.objects.filter(person=drop, is_primary=True).values_list("pk", flat=True)
    )
    Affiliation.objects.filter(person=drop).update(
        person=keep, **({"is_primary": False} if has_primary_aff else {})
    )
    crm["consents"] = list(Consent.objects.filter(person=drop).values_list("pk", flat=True))
    Consent.objects.filter(person=drop).update(person=keep)

    crm["interactions"] = list(Interaction.objects.filter(people=drop).values_list("pk", flat=True))
    crm["interactions_added"] = list(
        Interaction.objects.filter(people=drop).exclude(people=keep).values_list("pk", flat=True)
    )
    Interaction.people.through.objects.bulk_create(
        [
            Interaction.people.through(interaction_id=i, person_id=keep.pk)
            for i in crm["interactions_added"]
        ]
    )

    crm["relationships_lost"] = [
        _row(r)
        for r in Relationship.objects.filter(
            models.Q(from_person=drop, to_person=keep) | models.Q(from_person=keep, to_person=drop)
        )
    ]
    Relationship.objects.filter(
        models.Q(from_person=drop, to_person=keep) | models.Q(from_person=keep, to_person=drop)
    ).delete()
    crm["relationships_from"] = list(
        Relationship.objects.filter(from_person=drop).values_list("pk", flat=True)
    )
    crm["relationships_to"] = list(
        Relationship.objects.filter(to_person=drop).values_list("pk", flat=True)
    )
    Relationship.objects.filter(from_person=drop).update(from_person=keep)
    Relationship.objects.filter(to_person=drop).update(to_person=keep)
    crm["assistant_of"] = list(
        Person.objects.filter(assistant=drop).exclude(pk=keep.pk).values_list("pk", flat=True)
    )
    Person.objects.filter(pk__in=crm["assistant_of"]).update(assistant=keep)

    keep_tags = {t.name for t in keep.tags.all()}
    crm["tags_added"] = [t for t in dropped["_m2m"]["tags"] if t not in keep_tags]
    keep.tags.add(*crm["tags_added"])
    for relation in ("sectors", "diaspora_associations"):
        have = set(getattr(keep, relation).values_list("pk", flat=True))
        added = [pk for pk in dropped["_m2m"][relation] if pk not in have]
        getattr(keep, relation).add(*added)
        crm[f"{relation}_added"] = added
    for relation in ("additions", "exclusions"):
        through = getattr(Segment, relation).through
        segments = list(through.objects.filter(person=drop).values_list("segment_id", flat=True))
        have = set(through.objects.filter(person=keep).values_list("segment_id", flat=True))
        crm[f"segment_{relation}"] = segments
        crm[f"segment_{relation}_added"] = [s for s in segments if s not in have]
        through.objects.bulk_create(
            [through(segment_id=s, person_id=keep.pk) for s in crm[f"segment_{relation}_added"]]
        )
    crm["external_ids"] = list(drop.external_ids.values_list("pk", flat=True))
    PersonExternalId.objects.filter(person=drop).update(person=keep)
    crm["import_changes"] = list(
        ImportChange.objects.filter(person=drop).values_list("pk", flat=True)
    )
    ImportChange.objects.filter(person=drop).update(person=keep)
    crm["history"] = list(_history(drop.pk).values_list("pk", flat=True))
    _history(drop.pk).update(object_id=str(keep.pk))

    keep.save()
    after = _row(keep)
    crm["keep_changed"] = {
        k: [v, after.get(k)] for k, v in keep_before.items() if after.get(k) != v
    }
    crm["keep_changed"].pop("updated_at", None)

    moved: dict[str, Any] = {"crm": crm}
    # Inside the transaction, before the delete: other apps re-point their rows (and add
    # what they moved to `moved`, under their app label, for an undo).
    people_merged.send(
        sender=Person, kept_id=keep.pk, dropped_id=drop.pk, acting_user=acting_user, moved=moved
    )
    dedupe.mark_pair_merged(keep.pk, drop.pk, acting_user=acting_user)
    dropped_id = drop.pk
    merge = PersonMerge.objects.create(
        kept=keep,
        dropped_id=dropped_id,
        dropped=dropped,
        moved=_jsonable(moved),
        merged_by=acting_user,
    )
    log(keep, "crm.merge", user=acting_user, data={"dropped_id": dropped_id, "merge_id": merge.pk})
    log(drop, "wagtail.delete", user=acting_user, data={"merged_into": keep.pk})
    drop.delete()
    _refresh(keep)
    return merge


def _refresh(person: Person) -> None:
    from .people import refresh_search_text

    refresh_last_interaction([person.pk])
    person.refresh_from_db()
    refresh_search_text(person)


def can_undo(merge: PersonMerge) -> bool:
    return merge.undone_at is None and not Person.objects.filter(pk=merge.dropped_id).exists()


@transaction.atomic
def undo_merge(merge: PersonMerge, *, acting_user=None) -> Person:
    """Bring the merged-away person back with everything that was theirs; the kept person's
    fields that the merge changed (and nobody changed since) get their old values back."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if not can_undo(merge):
        raise ValidationError(_("This merge has already been undone."))
    keep = Person.objects.select_for_update().get(pk=merge.kept_id)
    crm = merge.moved.get("crm", {})
    dropped_row = {k: v for k, v in merge.dropped.items() if not k.startswith("_")}
    drop = _from_row(Person, dropped_row)
    drop.search_text = ""
    drop.save(force_insert=True)
    Person.objects.filter(pk=drop.pk).update(created_at=_from_row(Person, dropped_row).created_at)

    PersonEmail.objects.filter(pk__in=crm.get("emails", []), person=keep).update(
        person=drop, is_primary=False
    )
    PersonEmail.objects.filter(pk__in=crm.get("email_primary", []), person=drop).update(
        is_primary=True
    )
    PersonPhone.objects.filter(pk__in=crm.get("phones", []), person=keep).update(
        person=drop, is_primary=False
    )
    PersonPhone.objects.filter(pk__in=crm.get("phone_primary", []), person=drop).update(
        is_primary=True
    )
    for row in crm.get("phones_lost", []):
        _from_row(PersonPhone, row).save(force_insert=True)
    MessagingHandle.objects.filter(pk__in=crm.get("handles", []), person=keep).update(person=drop)
    for row in crm.get("handles_lost", []):
        _from_row(MessagingHandle, row).save(force_insert=True)
    Affiliation.objects.filter(pk__in=crm.get("affiliations", []), person=keep).update(
        person=drop, is_primary=False
    )
    Affiliation.objects.filter(pk__in=crm.get("affiliation_primary", []), person=drop).update(
        is_primary=True
    )
    Consent.objects.filter(pk__in=crm.get("consents", []), person=keep).update(person=drop)
    through = Interaction.people.through
    through.objects.bulk_create(
        [
            through(interaction_id=i, person_id=drop.pk)
            for i in Interaction.objects.filter(pk__in=crm.get("interactions", [])).values_list(
                "pk", flat=True
            )
        ],
        ignore_conflicts=True,
    )
    through.objects.filter(
        interaction_id__in=crm.get("interactions_added", []), person_id=keep.pk
    ).delete()
    Relationship.objects.filter(pk__in=crm.get("relationships_from", []), from_person=keep).update(
        from_person=drop
    )
    Relationship.objects.filter(pk__in=crm.get("relationships_to", []), to_person=keep).update(
        to_person=drop
    )
    for row in crm.get("relationships_lost", []):
        _from_row(Relationship, row).save(force_insert=True)
    Person.objects.filter(pk__in=crm.get("assistant_of", []), assistant=keep).update(assistant=drop)
    m2m = merge.dropped.get("_m2m", {})
    drop.tags.add(*m2m.get("tags", []))
    drop.save()
    keep.tags.remove(*crm.get("tags_added", []))
    for relation in ("sectors", "diaspora_associations"):
        getattr(drop, relation).add(*m2m.get(relation, []))
        getattr(keep, relation).remove(*crm.get(f"{relation}_added", []))
    for relation in ("additions", "exclusions"):
        seg_through = getattr(Segment, relation).through
        seg_through.objects.bulk_create(
            [
                seg_through(segment_id=s, person_id=drop.pk)
                for s in Segment.objects.filter(
                    pk__in=crm.get(f"segment_{relation}", [])
                ).values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
        seg_through.objects.filter(
            segment_id__in=crm.get(f"segment_{relation}_added", []), person_id=keep.pk
        ).delete()
    PersonExternalId.objects.filter(pk__in=crm.get("external_ids", []), person=keep).update(
        person=drop
    )
    ImportChange.objects.filter(pk__in=crm.get("import_changes", []), person=keep).update(
        person=drop
    )
    ModelLogEntry.objects.filter(pk__in=crm.get("history", [])).update(object_id=str(drop.pk))

    current = _row(keep)
    fields = {f.attname: f for f in Person._meta.concrete_fields}
    for attname, (before, after) in crm.get("keep_changed", {}).items():
        # Only what still holds the merged value: a later edit by staff wins.
        if attname in fields and current.get(attname) == after:
            field = fields[attname]
            setattr(keep, attname, None if before is None else field.to_python(before))
    keep.save()

    people_unmerged.send(
        sender=Person,
        kept_id=keep.pk,
        dropped_id=drop.pk,
        acting_user=acting_user,
        moved=merge.moved,
    )
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    log(keep, "crm.merge_undone", user=acting_user, data={"restored_id": drop.pk})
    log(drop, "crm.merge_undone", user=acting_user, data={"split_from": keep.pk})
    _refresh(keep)
    _refresh(drop)
    return drop
