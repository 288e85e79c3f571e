from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from crm import access
from crm.models import (
    Affiliation,
    Consent,
    Interaction,
    Organization,
    Person,
    Relationship,
    Segment,
)
from crm.services import roles
from crm.services.organizations import ORGANIZATION_FIELDS
from crm.services.people import PERSON_FIELDS


class TagListField(serializers.ListField):
    child = serializers.CharField(max_length=100)

    def to_representation(self, data):
        if hasattr(data, "all"):
            return sorted(tag.name for tag in data.all())
        return super().to_representation(data)


class VisiblePeopleMixin:
    """Fields that take person ids accept only people the requesting user may see: an id of a
    hidden person is "does not exist", like an id nobody has."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in fields.values():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is not None and queryset.model is Person:
                relation.queryset = access.visible_people(user, queryset)
        return fields


def to_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's, keeping each error's code (the API answers it)."""
    detail = get_error_detail(exc)
    if isinstance(detail, dict):
        return serializers.ValidationError(detail)
    return serializers.ValidationError({"non_field_errors": detail})


class OrganizationSerializer(serializers.ModelSerializer):
    country = CountryField(required=False, allow_blank=True)
    tags = TagListField(required=False)
    phone = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            *ORGANIZATION_FIELDS,
            "sectors",
            "tags",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["phone"] = str(instance.phone) if instance.phone else ""
        return data


class RequiredEvenInPatch:
    """A nested item replaces the old list whole: its value is required in a PATCH too (DRF's
    partial update would otherwise let an item through without it)."""

    required_in_patch: tuple[str, ...] = ()

    def validate(self, attrs):
        missing = {name: [_("This field is required.")] for name in self.required_in_patch}
        missing = {name: error for name, error in missing.items() if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing, code="required")
        return attrs


class EmailSerializer(RequiredEvenInPatch, serializers.Serializer):
    email = serializers.CharField(max_length=254)
    is_primary = serializers.BooleanField(default=False)
    label = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    required_in_patch = ("email",)


class PhoneSerializer(RequiredEvenInPatch, serializers.Serializer):
    required_in_patch = ("number",)
    number = serializers.CharField(
        max_length=64, help_text="Any common format; national formats read in the person's country."
    )
    kind = serializers.ChoiceField(
        choices=["mobile", "office", "home", "fax", "other"], default="mobile"
    )
    is_primary = serializers.BooleanField(default=False)


class AffiliationSerializer(VisiblePeopleMixin, serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.__str__", read_only=True)

    class Meta:
        model = Affiliation
        fields = [
            "id",
            "person",
            "organization",
            "organization_name",
            "position",
            "department",
            "start_date",
            "end_date",
            "is_primary",
        ]


class PersonSerializer(VisiblePeopleMixin, serializers.ModelSerializer):
    country = CountryField(required=False, allow_blank=True)
    emails = EmailSerializer(many=True, required=False)
    phones = PhoneSerializer(many=True, required=False)
    affiliations = AffiliationSerializer(many=True, read_only=True)
    tags = TagListField(required=False)
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "display_name",
            *PERSON_FIELDS,
            "emails",
            "phones",
            "affiliations",
            "tags",
            "last_interaction_on",
            "erased_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_interaction_on", "erased_at", "created_at", "updated_at"]
        # Validation of these is the service layer's, with messages naming the value.
        extra_kwargs = {
            "preferred_language": {"validators": []},
            "time_zone": {"validators": []},
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        show = roles.can_see_contact_details(getattr(request, "user", None))
        data["emails"] = [
            {
                "email": e.email if show else roles.mask_email(e.email),
                "is_primary": e.is_primary,
                "label": e.label,
            }
            for e in instance.emails.all()
        ]
        data["phones"] = [
            {
                "number": str(p.number) if show else roles.mask_phone(p.number),
                "kind": p.kind,
                "is_primary": p.is_primary,
            }
            for p in instance.phones.all()
        ]
        return data


class RelationshipSerializer(VisiblePeopleMixin, serializers.ModelSerializer):
    class Meta:
        model = Relationship
        fields = [
            "id",
            "type",
            "from_person",
            "to_person",
            "from_organization",
            "to_organization",
            "start_date",
            "end_date",
            "notes",
        ]

    def validate(self, attrs):
        current = self.instance
        values = {}
        for name in ("type", "from_person", "to_person", "from_organization", "to_organization"):
            values[name] = attrs.get(name, getattr(current, name, None) if current else None)
        candidate = Relationship(**values)
        try:
            candidate.validate_constraints()
        except DjangoValidationError as exc:
            raise to_drf_error(exc) from exc
        return attrs


class InteractionSerializer(VisiblePeopleMixin, serializers.ModelSerializer):
    class Meta:
        model = Interaction
        fields = [
            "id",
            "kind",
            "occurred_on",
            "subject",
            "summary",
            "people",
            "organizations",
            "staff",
            "follow_up_on",
            "follow_up_owner",
            "follow_up_done",
            "source",
            "source_ref",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class ConsentSerializer(VisiblePeopleMixin, serializers.ModelSerializer):
    is_valid = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "purpose",
            "channel",
            "legal_basis",
            "source",
            "notice_version",
            "given_at",
            "withdrawn_at",
            "is_valid",
        ]


class SegmentSerializer(VisiblePeopleMixin, serializers.ModelSerializer):
    countries = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    # JSON lists in the model: typed here, so that `"languages": true` is a 400, not a crash.
    languages = serializers.ListField(child=serializers.CharField(max_length=12), required=False)
    organization_kinds = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False
    )

    class Meta:
        model = Segment
        fields = [
            "id",
            "name",
            "description",
            "countries",
            "cities",
            "organization_kinds",
            "sectors",
            "tags",
            "languages",
            "diaspora",
            "min_vip_level",
            "owners",
            "consent_purpose",
            "last_interaction_after",
            "last_interaction_before",
            "additions",
            "exclusions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["countries"] = [str(c) for c in instance.countries]
        return data

    def validate_languages(self, value):
        from crm.models.validators import validate_language

        for code in value or []:
            try:
                validate_language(code)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.messages) from exc
        return value

    def validate_organization_kinds(self, value):
        from crm.models import OrganizationKind

        for kind in value or []:
            if kind not in OrganizationKind.values:
                raise serializers.ValidationError(f'"{kind}" is not an organization kind.')
        return value

    def validate_countries(self, value):
        from django_countries import countries

        for code in value:
            if code.upper() not in countries:
                raise serializers.ValidationError(f'"{code}" is not a country code.')
        return [c.upper() for c in value]
