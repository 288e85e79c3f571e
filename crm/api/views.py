"""REST API of the CRM (/api/v1/). Same rules as the admin (crm.api.permissions); writes go
through crm.services; invalid input is a 400 whose messages name the field and the value."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.response import Response
from wagtail.log_actions import log

from crm import access
from crm.models import (
    Affiliation,
    Consent,
    Interaction,
    Organization,
    OrganizationKind,
    Person,
    Relationship,
    Segment,
)
from crm.services import consent as consent_service
from crm.services import dedupe, privacy, roles
from crm.services import interactions as interaction_service
from crm.services import organizations as organization_service
from crm.services import people as people_service
from crm.services import segments as segment_service

from .permissions import CrmApiPermission, MayUseAdmin
from .serializers import (
    AffiliationSerializer,
    ConsentSerializer,
    InteractionSerializer,
    OrganizationSerializer,
    PersonSerializer,
    RelationshipSerializer,
    SegmentSerializer,
    to_drf_error,
)


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name (any script), email or phone")
    country = django_filters.CharFilter(lookup_expr="iexact")
    city = django_filters.CharFilter(lookup_expr="iexact")
    organization = django_filters.NumberFilter(field_name="affiliations__organization")
    organization_kind = django_filters.ChoiceFilter(
        field_name="affiliations__organization__kind", choices=OrganizationKind.choices
    )
    tag = django_filters.CharFilter(field_name="tags__name")
    min_vip_level = django_filters.NumberFilter(field_name="vip_level", lookup_expr="gte")
    owner = django_filters.ModelChoiceFilter(queryset=lambda request: access.staff_members())

    class Meta:
        model = Person
        fields = ["preferred_language", "vip_level", "owner", "is_diaspora", "do_not_contact"]

    def search(self, queryset, name, value):
        return access.search_people(getattr(self.request, "user", None), queryset, value)[0]


def check_links(request, model, data, instance=None) -> None:
    """The people a write links must be ones the user may change (crm.access)."""
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    try:
        access.check_person_links(request.user, model, data, pk=getattr(instance, "pk", None))
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state of the data.")
    default_code = "conflict"


def protected_by(exc: ProtectedError | RestrictedError) -> str:
    """What keeps a row from being deleted, as counts per kind ("2 event organizers")."""
    counts: dict[str, int] = {}
    for obj in exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects:
        meta = obj._meta
        counts[str(meta.verbose_name_plural)] = counts.get(str(meta.verbose_name_plural), 0) + 1
    return ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))


class CrmViewSet(viewsets.ModelViewSet):
    permission_classes = [MayUseAdmin, CrmApiPermission]

    def get_queryset(self):
        return access.visible_queryset(
            self.request.user, self.queryset.model, super().get_queryset()
        )

    def perform_create(self, serializer):
        check_links(self.request, self.queryset.model, serializer.validated_data)
        super().perform_create(serializer)

    def perform_update(self, serializer):
        check_links(
            self.request, self.queryset.model, serializer.validated_data, serializer.instance
        )
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                log(instance, "wagtail.delete", user=self.request.user)
                instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            raise Conflict(
                _("It cannot be deleted while these refer to it: %(objects)s.")
                % {"objects": protected_by(exc)},
                code="protected",
            ) from exc


class PersonViewSet(CrmViewSet):
    """People, with nested emails, phones and (read-only) affiliations. `?q=` searches any name
    form in any script, email addresses and phone numbers in any format."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    queryset = Person.objects.all()

    def get_queryset(self):
        return (
            roles.visible_people(self.request.user, Person.objects.all())
            .prefetch_related("emails", "phones", "affiliations__organization", "tags")
            .distinct()
        )

    def _input(self, data) -> people_service.PersonInput:
        emails = data.pop("emails", None)
        phones = data.pop("phones", None)
        tags = data.pop("tags", None)
        return people_service.PersonInput(
            fields=data,
            emails=None if emails is None else [people_service.EmailInput(**e) for e in emails],
            phones=None if phones is None else [people_service.PhoneInput(**p) for p in phones],
            tags=tags,
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        check_links(self.request, Person, data)
        if "owner" not in data and not roles.is_administrator(self.request.user):
            data["owner"] = self.request.user
        try:
            serializer.instance = people_service.create_person(
                self._input(data), acting_user=self.request.user
            )
        except DjangoValidationError as exc:
            raise to_drf_error(exc) from exc

    def create(self, request, *args, **kwargs):
        """Creates the person; the answer lists `likely_duplicates` (people the caller may see
        who may be the same person: id, label, score, reasons), so a client can warn."""
        response = super().create(request, *args, **kwargs)
        person = Person.objects.get(pk=response.data["id"])
        response.data["likely_duplicates"] = self._duplicates(dedupe.probe_for_person(person))
        return response

    def _duplicates(self, probe) -> list[dict]:
        from crm.admin.duplicates import match_json, visible_matches

        return [match_json(m, self.request.user) for m in visible_matches(probe, self.request.user)]

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["post"], url_path="duplicates")
    def duplicates(self, request):
        """Likely duplicates of a person not saved yet: post what you would create (names,
        `emails`, `phones`, `city`, `country`) and get the matches, best first."""
        from crm.admin.duplicates import probe_from_query

        data = request.data
        params = {
            key: str(data.get(key) or "")
            for key in (
                "family_name",
                "given_name",
                "full_name_native",
                "name_chinese",
                "name_latin",
                "city",
                "country",
            )
        }
        params["email"] = [
            e.get("email", "") if isinstance(e, dict) else str(e) for e in data.get("emails") or []
        ]
        params["phone"] = [
            p.get("number", "") if isinstance(p, dict) else str(p) for p in data.get("phones") or []
        ]
        return Response({"likely_duplicates": self._duplicates(probe_from_query(params))})

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"], url_path="duplicates")
    def person_duplicates(self, request, pk=None):
        """Likely duplicates of this person among the people the caller may see."""
        person = self.get_object()
        return Response({"likely_duplicates": self._duplicates(dedupe.probe_for_person(person))})

    def perform_update(self, serializer):
        check_links(self.request, Person, serializer.validated_data, serializer.instance)
        try:
            serializer.instance = people_service.update_person(
                serializer.instance,
                self._input(dict(serializer.validated_data)),
                acting_user=self.request.user,
            )
        except DjangoValidationError as exc:
            raise to_drf_error(exc) from exc

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"], url_path="export")
    def export(self, request, pk=None):
        """Everything held about the person (privacy export). Administrators only."""
        if not request.user.has_perm("crm.export_personal_data"):
            raise PermissionDenied
        return Response(privacy.export_person_data(self.get_object(), acting_user=request.user))

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"], url_path="erase")
    def erase(self, request, pk=None):
        """Erase personal data on request (audited; email digests kept as suppressions)."""
        if not request.user.has_perm("crm.erase_person"):
            raise PermissionDenied
        privacy.erase_person(self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganizationViewSet(CrmViewSet):
    serializer_class = OrganizationSerializer
    queryset = Organization.objects.prefetch_related("tags", "sectors")
    filterset_fields = ["kind", "country", "tier", "owner", "parent"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        tags = data.pop("tags", None)
        sectors = data.pop("sectors", None)
        if "owner" not in data and not roles.is_administrator(self.request.user):
            data["owner"] = self.request.user
        try:
            organization = organization_service.create_organization(
                data, tags=tags, acting_user=self.request.user
            )
        except DjangoValidationError as exc:
            raise to_drf_error(exc) from exc
        if sectors is not None:
            organization.sectors.set(sectors)
        serializer.instance = organization

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        tags = data.pop("tags", None)
        sectors = data.pop("sectors", None)
        try:
            organization = organization_service.update_organization(
                serializer.instance, data, tags=tags, acting_user=self.request.user
            )
        except DjangoValidationError as exc:
            raise to_drf_error(exc) from exc
        if sectors is not None:
            organization.sectors.set(sectors)
        serializer.instance = organization


class AffiliationViewSet(CrmViewSet):
    """A person's positions at organizations (also nested, read-only, in people/)."""

    serializer_class = AffiliationSerializer
    queryset = Affiliation.objects.select_related("organization")
    filterset_fields = ["person", "organization", "is_primary"]

    def perform_create(self, serializer):
        check_links(self.request, Affiliation, serializer.validated_data)
        affiliation = serializer.save()
        people_service.refresh_search_text(affiliation.person)  # organization matching keys
        log(affiliation.person, "wagtail.edit", user=self.request.user)

    def perform_update(self, serializer):
        check_links(self.request, Affiliation, serializer.validated_data, serializer.instance)
        affiliation = serializer.save()
        people_service.refresh_search_text(affiliation.person)
        log(affiliation.person, "wagtail.edit", user=self.request.user)

    def perform_destroy(self, instance):
        person = instance.person
        super().perform_destroy(instance)
        people_service.refresh_search_text(person)


class RelationshipViewSet(CrmViewSet):
    serializer_class = RelationshipSerializer
    queryset = Relationship.objects.select_related("type")
    filterset_fields = ["type", "from_person", "to_person", "from_organization", "to_organization"]

    def perform_create(self, serializer):
        check_links(self.request, Relationship, serializer.validated_data)
        relationship = serializer.save()
        log(relationship, "wagtail.create", user=self.request.user)


class InteractionFilter(django_filters.FilterSet):
    person = django_filters.NumberFilter(field_name="people")
    organization = django_filters.NumberFilter(field_name="organizations")
    occurred_after = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_before = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = Interaction
        fields = ["kind", "follow_up_owner", "follow_up_done"]


class InteractionViewSet(CrmViewSet):
    serializer_class = InteractionSerializer
    queryset = Interaction.objects.prefetch_related("people", "organizations", "staff")
    filterset_class = InteractionFilter

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        check_links(self.request, Interaction, data)
        data.pop("follow_up_done", None)
        try:
            serializer.instance = interaction_service.record_interaction(
                acting_user=self.request.user, **data
            )
        except DjangoValidationError as exc:
            raise to_drf_error(exc) from exc

    def perform_update(self, serializer):
        check_links(self.request, Interaction, serializer.validated_data, serializer.instance)
        before = set(serializer.instance.people.values_list("pk", flat=True))
        interaction = serializer.save()
        after = set(interaction.people.values_list("pk", flat=True))
        interaction_service.refresh_last_interaction(before | after)
        log(interaction, "wagtail.edit", user=self.request.user)


class ConsentFilter(django_filters.FilterSet):
    valid = django_filters.BooleanFilter(method="filter_valid")

    class Meta:
        model = Consent
        fields = ["person", "purpose", "channel", "legal_basis"]

    def filter_valid(self, queryset, name, value):
        valid_ids = Consent.objects.valid().values("pk")
        return queryset.filter(pk__in=valid_ids) if value else queryset.exclude(pk__in=valid_ids)


class ConsentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Consents are recorded and withdrawn, never edited: the record of what was agreed stays."""

    serializer_class = ConsentSerializer
    permission_classes = [MayUseAdmin, CrmApiPermission]
    filterset_class = ConsentFilter
    queryset = Consent.objects.all()

    def get_queryset(self):
        return access.visible_consents(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        check_links(self.request, Consent, data)
        person = data.pop("person")
        data.pop("withdrawn_at", None)
        serializer.instance = consent_service.record_consent(
            person, acting_user=self.request.user, **data
        )

    @extend_schema(request=None, responses={200: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = self.get_object()
        if not (
            request.user.has_perm("crm.change_consent")
            and access.can_change_person(request.user, consent.person)
        ):
            raise PermissionDenied
        consent_service.withdraw_consent(
            consent.person,
            purpose=consent.purpose,
            channel=consent.channel,
            acting_user=request.user,
        )
        consent.refresh_from_db()
        return Response(ConsentSerializer(consent).data)


class SegmentViewSet(CrmViewSet):
    serializer_class = SegmentSerializer
    queryset = Segment.objects.prefetch_related("sectors", "tags", "owners")

    def perform_create(self, serializer):
        check_links(self.request, Segment, serializer.validated_data)
        segment = serializer.save(owner=self.request.user)
        log(segment, "wagtail.create", user=self.request.user)

    def perform_update(self, serializer):
        check_links(self.request, Segment, serializer.validated_data, serializer.instance)
        segment = serializer.save()
        log(segment, "wagtail.edit", user=self.request.user)

    @extend_schema(
        responses=inline_serializer(
            "SegmentPreview",
            {
                "count": serializers.IntegerField(),
                "sample": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        """The audience now: its size and a sample of people the caller may see."""
        segment = self.get_object()
        return Response(
            segment_service.preview(segment_service.spec_from_segment(segment), user=request.user)
        )
