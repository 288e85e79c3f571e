"""REST API of campaigns (/api/v1/campaigns/, /messages/, /suppressions/): the same verbs as the
admin, through outreach.services, with the same permissions (Django model permissions; approval
also needs ``outreach.approve_campaign`` and another user than the author)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied, Throttled
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response

from crm import access
from crm.api.permissions import MayUseAdmin
from outreach import visibility
from outreach.errors import ErrorCode
from outreach.models import Campaign, Message, MessageStatus, Suppression
from outreach.services import campaigns as service
from outreach.services import figures as figures_service
from outreach.services import previews as preview_service
from outreach.services import suppression as suppression_service
from outreach.services import unknown_messages as unknown_service

from .serializers import (
    ApproveSerializer,
    AudienceSerializer,
    CampaignContentSerializer,
    CampaignSerializer,
    DecisionSerializer,
    MessageSerializer,
    PreviewRequestSerializer,
    PreviewSerializer,
    RejectSerializer,
    ScheduleSerializer,
    StatsSerializer,
    SuppressionSerializer,
)


class ModelPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class Conflict(APIException):
    """409: the campaign's state does not allow this now (``invalid_state``,
    ``audience_changed``)."""

    status_code = 409
    default_code = "conflict"


CONFLICTS = {ErrorCode.INVALID_STATE, ErrorCode.AUDIENCE_CHANGED}


def error_body(exc: DjangoValidationError) -> dict:
    """A service's ValidationError as the API answers it: the translated messages as before
    (by field, or ``non_field_errors``), plus stable codes: ``code`` (the first error's) and
    ``errors``, each with its ``code``, ``message`` and ``field`` where there is one."""
    errors = []
    if hasattr(exc, "error_dict"):
        body: dict = exc.message_dict
        for field, field_errors in exc.error_dict.items():
            for error in field_errors:
                errors.append(
                    {
                        "field": field,
                        "code": error.code or ErrorCode.INVALID,
                        "message": next(iter(error)),
                    }
                )
    else:
        body = {"non_field_errors": exc.messages}
        for error in exc.error_list:
            errors.append({"code": error.code or ErrorCode.INVALID, "message": next(iter(error))})
    return {**body, "code": errors[0]["code"] if errors else ErrorCode.INVALID, "errors": errors}


def _run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        if getattr(exc, "code", None) == ErrorCode.RATE_LIMITED:
            raise Throttled(detail=exc.messages[0], code=ErrorCode.RATE_LIMITED) from exc
        body = error_body(exc)
        if body["code"] in CONFLICTS:
            raise Conflict(body) from exc
        raise serializers.ValidationError(body) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc), code=ErrorCode.PERMISSION_DENIED) from exc


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Campaign.objects.prefetch_related("contents", "segments", "additions", "exclusions")
    serializer_class = CampaignSerializer
    permission_classes = [MayUseAdmin, ModelPermissions]
    filterset_fields = ["status", "kind", "purpose", "event"]

    def get_queryset(self):
        return access.visible_campaigns(self.request.user, super().get_queryset())

    def perform_create(self, serializer):
        serializer.instance = _run(
            service.create_campaign, acting_user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = _run(
            service.update_campaign,
            serializer.instance,
            acting_user=self.request.user,
            **serializer.validated_data,
        )

    def _verb(self, fn, **kwargs) -> Response:
        campaign = self.get_object()
        if not self.request.user.has_perm("outreach.change_campaign"):
            raise PermissionDenied()
        campaign = _run(fn, campaign, acting_user=self.request.user, **kwargs)
        return Response(CampaignSerializer(campaign, context={"request": self.request}).data)

    @extend_schema(request=CampaignContentSerializer, responses=CampaignContentSerializer)
    @action(detail=True, methods=["post"])
    def content(self, request, pk=None):
        data = CampaignContentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.has_perm("outreach.change_campaign"):
            raise PermissionDenied()
        content = _run(
            service.set_content, self.get_object(), acting_user=request.user, **data.validated_data
        )
        return Response(CampaignContentSerializer(content).data)

    @extend_schema(request=AudienceSerializer, responses={200: dict})
    @action(detail=True, methods=["get", "post"])
    def audience(self, request, pk=None):
        campaign = self.get_object()
        if request.method == "POST":
            data = AudienceSerializer(data=request.data, context={"request": request})
            data.is_valid(raise_exception=True)
            if not request.user.has_perm("outreach.change_campaign"):
                raise PermissionDenied()
            for name in ("additions", "exclusions"):
                if name in data.validated_data:
                    _run(
                        access.check_may_reference_people,
                        request.user,
                        data.validated_data[name],
                        before=getattr(campaign, name).values_list("pk", flat=True),
                    )
            _run(service.set_audience, campaign, acting_user=request.user, **data.validated_data)
        return Response({"count": visibility.visible_audience_count(campaign, request.user)})

    def _preview_person(self, request, campaign, person_id):
        """Only people of the campaign's audience whom the user may see; others are 404."""
        person = visibility.previewable_person(campaign, request.user, person_id)
        if person is None:
            raise Http404
        return person

    @extend_schema(request=PreviewRequestSerializer, responses=PreviewSerializer)
    @action(detail=True, methods=["post"])
    def preview(self, request, pk=None):
        data = PreviewRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = self.get_object()
        person = self._preview_person(request, campaign, data.validated_data["person"])
        preview = _run(preview_service.preview, campaign, person, data.validated_data["language"])
        return Response(visibility.shown_preview(preview, request.user))

    @extend_schema(request=PreviewRequestSerializer, responses={202: None})
    @action(detail=True, methods=["post"], url_path="test-send")
    def test_send(self, request, pk=None):
        data = PreviewRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = self.get_object()
        person = self._preview_person(request, campaign, data.validated_data["person"])
        _run(
            preview_service.test_send,
            campaign,
            person,
            data.validated_data["language"],
            acting_user=request.user,
        )
        return Response(status=202)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._verb(service.submit)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Back to draft from submitted (e.g. to add content for the fallback language)."""
        return self._verb(service.withdraw)

    @extend_schema(request=RejectSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """An approver sends the submitted campaign back to draft with a reason; the author is
        emailed the reason."""
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._verb(service.reject, reason=data.validated_data["reason"])

    @extend_schema(request=ApproveSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the submitted audience. Send the ``audience_count`` you were shown (GET
        ``audience/``): if the audience has another size now, the answer is 409
        ``audience_changed`` and nothing is approved."""
        data = ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._verb(service.approve, expected_count=data.validated_data.get("audience_count"))

    @extend_schema(request=ScheduleSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        data = ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._verb(service.schedule, **data.validated_data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._verb(service.pause)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._verb(service.resume)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._verb(service.cancel)

    @extend_schema(responses=StatsSerializer)
    @action(detail=True, methods=["get"])
    def stats(self, request, pk=None):
        return Response(figures_service.live_figures(self.get_object()))

    @extend_schema(responses=MessageSerializer(many=True))
    @action(detail=True, methods=["get"])
    def messages(self, request, pk=None):
        rows = Message.objects.filter(campaign=self.get_object()).order_by("id")
        if request.query_params.get("status"):
            rows = rows.filter(status=request.query_params["status"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            MessageSerializer(page, many=True, context={"request": request}).data
        )


class MessageViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Message.objects.order_by("id")
    serializer_class = MessageSerializer
    permission_classes = [MayUseAdmin, ModelPermissions]
    filterset_fields = ["campaign", "status", "delivery_status", "language"]

    def get_queryset(self):
        # Rows of hidden recipients stay, redacted by the serializer (the figures add up).
        return super().get_queryset().select_related("person", "via_assistant")

    @extend_schema(responses=MessageSerializer(many=True))
    @action(detail=False, methods=["get"])
    def unknown(self, request):
        rows = self.filter_queryset(self.get_queryset()).filter(status=MessageStatus.UNKNOWN)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            MessageSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=DecisionSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def decide(self, request):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fn = (
            unknown_service.mark_unknown_sent
            if data.validated_data["decision"] == "mark_sent"
            else unknown_service.resend_unknown
        )
        count = _run(fn, data.validated_data["ids"], acting_user=request.user)
        return Response({"changed": count})


class SuppressionViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Suppression.objects.all()
    serializer_class = SuppressionSerializer
    permission_classes = [MayUseAdmin, ModelPermissions]
    filterset_fields = ["reason", "purpose"]

    def perform_create(self, serializer):
        email = serializer.validated_data.get("email")
        if not email:
            raise serializers.ValidationError({"email": "Give the address to suppress."})
        serializer.instance = suppression_service.suppress(
            email,
            serializer.validated_data.get("reason") or "manual",
            purpose=serializer.validated_data.get("purpose", ""),
            note=serializer.validated_data.get("note", ""),
            acting_user=self.request.user,
        )

    def perform_destroy(self, instance):
        suppression_service.remove_suppression(instance, acting_user=self.request.user)
