"""REST API of events and their answers: /api/v1/events/ (read), /events/{id}/registrations/,
/registrations/ (read; filters event, status, session, language) and
/registrations/answer/ (record an answer for a guest, as staff: accept or decline, with the
channel and a reason). Errors carry the services' stable codes (`capacity_full`, ...)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from crm.models import Person
from crm.services import roles
from outreach.models import Answer, AnswerChannel, Companion, Event, Registration, SessionChoice
from outreach.services import registration as registering

from .views import ModelPermissions


class EventSerializer(serializers.ModelSerializer):
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "starts_at",
            "ends_at",
            "time_zone",
            "venue",
            "city",
            "country",
            "status",
            "capacity",
            "companion_allowance",
            "rsvp_deadline",
            "invitation_only",
            "places_left",
        ]

    def get_places_left(self, event) -> int | None:
        return registering.places_left(event)


class CompanionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Companion
        fields = ["name_native", "name_latin"]


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "value"]


class RegistrationSerializer(serializers.ModelSerializer):
    companions = CompanionSerializer(many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)
    sessions = serializers.SerializerMethodField()
    person_name = serializers.CharField(source="person.display_name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "public_id",
            "event",
            "person",
            "person_name",
            "status",
            "places",
            "language",
            "channel",
            "answered_by",
            "answered_at",
            "delegate_of",
            "decline_reason",
            "hold_until",
            "companions",
            "sessions",
            "answers",
        ]
        read_only_fields = fields

    def get_sessions(self, registration) -> list[int]:
        return [c.session_id for c in registration.session_choices.all()]


class RecordAnswerSerializer(serializers.Serializer):
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    answer = serializers.ChoiceField(choices=["accept", "decline"])
    channel = serializers.ChoiceField(
        choices=[AnswerChannel.PHONE, AnswerChannel.LETTER, AnswerChannel.STAFF],
        default=AnswerChannel.STAFF,
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    decline_reason = serializers.CharField(required=False, allow_blank=True, default="")


def _visible_registrations(user):
    return Registration.objects.filter(person__in=roles.visible_people(user).values("pk"))


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    permission_classes = [ModelPermissions]
    queryset = Event.objects.all().order_by("starts_at", "pk")

    @extend_schema(responses=RegistrationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def registrations(self, request, pk=None):
        if not request.user.has_perm("outreach.view_registration"):
            raise PermissionDenied
        event = self.get_object()
        rows = (
            _visible_registrations(request.user)
            .filter(event=event)
            .prefetch_related("companions", "answers", "session_choices")
        )
        page = self.paginate_queryset(rows)
        data = RegistrationSerializer(page if page is not None else rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegistrationSerializer
    permission_classes = [ModelPermissions]
    queryset = Registration.objects.none()

    def get_queryset(self):
        rows = _visible_registrations(self.request.user).prefetch_related(
            "companions", "answers", "session_choices"
        )
        params = self.request.query_params
        if params.get("event"):
            rows = rows.filter(event_id=params["event"])
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        if params.get("language"):
            rows = rows.filter(language=params["language"])
        if params.get("session"):
            rows = rows.filter(
                pk__in=SessionChoice.objects.filter(session_id=params["session"]).values(
                    "registration"
                )
            )
        return rows.order_by("event", "id")

    @extend_schema(request=RecordAnswerSerializer, responses=RegistrationSerializer)
    @action(detail=False, methods=["post"])
    def answer(self, request):
        if not request.user.has_perm("outreach.answer_on_behalf"):
            raise PermissionDenied
        incoming = RecordAnswerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        person = get_object_or_404(roles.visible_people(request.user), pk=data["person"].pk)
        try:
            if data["answer"] == "accept":
                outcome = registering.accept(
                    data["event"],
                    person,
                    registering.AcceptInput(),
                    channel=data["channel"],
                    staff=request.user,
                    reason=data["reason"],
                )
            else:
                outcome = registering.decline(
                    data["event"],
                    person,
                    reason=data["decline_reason"],
                    channel=data["channel"],
                    staff=request.user,
                    staff_reason=data["reason"],
                )
        except registering.RegistrationError as error:
            return Response(
                {"code": error.code, "detail": error.message}, status=status.HTTP_409_CONFLICT
            )
        return Response(RegistrationSerializer(outcome.registration).data)
