"""/api/v1/imports/: upload a contact file, map its columns, dry run, run, poll, report, undo.

The same service as the admin wizard (crm.services.imports). Errors carry a stable `code`
(`invalid_state`, `invalid_mapping`, `unknown_mapping`, a file problem such as `wrong_encoding`)
beside a message for people."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from crm.contact_rows import TARGETS
from crm.models import ContactImport, ImportMode, ImportPolicy, ImportStatus, LegalBasis
from crm.services import imports, roles


def visible_imports(user):
    queryset = ContactImport.objects.select_related("created_by")
    if roles.is_administrator(user):
        return queryset
    return queryset.filter(created_by=user)


def can_import(user) -> bool:
    return bool(user and user.is_active and user.has_perm("crm.add_contactimport"))


def can_undo(user, contact_import: ContactImport) -> bool:
    return user.has_perm("crm.undo_contactimport") or (
        can_import(user) and contact_import.created_by_id == user.pk
    )


class ImportPermission(IsAuthenticated):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return request.user.has_perm("crm.view_contactimport")
        return can_import(request.user)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    source = serializers.CharField(max_length=255)
    legal_basis = serializers.ChoiceField(
        LegalBasis.choices, default=LegalBasis.LEGITIMATE_INTEREST
    )
    policy = serializers.ChoiceField(ImportPolicy.choices, default=ImportPolicy.STRICT)
    mode = serializers.ChoiceField(ImportMode.choices, default=ImportMode.CREATE)
    default_region = serializers.CharField(max_length=2, default="CN", allow_blank=True)
    encoding = serializers.CharField(max_length=30, default="", allow_blank=True)
    mapping_name = serializers.CharField(max_length=100, default="", allow_blank=True)
    sheet = serializers.CharField(
        max_length=100,
        default="",
        allow_blank=True,
        help_text="A workbook's sheet by name; '*' every sheet; empty the first.",
    )


class MappingSerializer(serializers.Serializer):
    mapping = serializers.ListField(child=serializers.ChoiceField(list(TARGETS)))
    remember_as = serializers.CharField(max_length=100, default="", allow_blank=True)


def _error(exc: imports.ImportError_) -> Response:
    code = status.HTTP_409_CONFLICT if exc.code == "invalid_state" else status.HTTP_400_BAD_REQUEST
    return Response({"code": exc.code, "detail": exc.message}, status=code)


def _summary(contact_import: ContactImport) -> dict:
    data = imports.report(contact_import, with_issues=False)
    data["progress"] = imports.progress(contact_import)
    data["targets"] = {key: str(label) for key, label in TARGETS.items()}
    return data


@extend_schema(tags=["imports"])
class ContactImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [ImportPermission]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = UploadSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ContactImport.objects.none()
        return visible_imports(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        items = [_summary(i) for i in (page if page is not None else self.get_queryset()[:100])]
        return self.get_paginated_response(items) if page is not None else Response(items)

    def retrieve(self, request, *args, **kwargs):
        return Response(_summary(self.get_object()))

    @extend_schema(request=UploadSerializer)
    def create(self, request, *args, **kwargs):
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            contact_import = imports.create_import(
                data["file"],
                acting_user=request.user,
                source=data["source"],
                legal_basis=data["legal_basis"],
                policy=data["policy"],
                mode=data["mode"],
                default_region=data["default_region"],
                encoding=data["encoding"],
                mapping_name=data["mapping_name"],
                name=data["file"].name,
                sheet=data["sheet"],
            )
        except imports.ImportError_ as exc:
            return _error(exc)
        return Response(_summary(contact_import), status=status.HTTP_201_CREATED)

    @extend_schema(request=MappingSerializer)
    @action(detail=True, methods=["post"])
    def mapping(self, request, pk=None):
        contact_import = self.get_object()
        serializer = MappingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            imports.set_mapping(
                contact_import,
                serializer.validated_data["mapping"],
                acting_user=request.user,
                remember_as=serializer.validated_data["remember_as"],
            )
        except imports.ImportError_ as exc:
            return _error(exc)
        return Response(_summary(contact_import))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="dry-run")
    def dry_run(self, request, pk=None):
        contact_import = self.get_object()
        try:
            imports.start_dry_run(contact_import, acting_user=request.user)
        except imports.ImportError_ as exc:
            return _error(exc)
        return Response(_summary(contact_import), status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        contact_import = self.get_object()
        try:
            imports.start_import(contact_import, acting_user=request.user)
        except imports.ImportError_ as exc:
            return _error(exc)
        return Response(_summary(contact_import), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses=inline_serializer(
            "ImportReport",
            {"counts": serializers.DictField(), "rejections": serializers.ListField()},
        )
    )
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        return Response(imports.report(self.get_object()))

    @extend_schema(responses={200: bytes})
    @action(detail=True, methods=["get"])
    def rejected(self, request, pk=None):
        name, content_type, content = imports.rejected_rows_file(self.get_object())
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        contact_import = self.get_object()
        if not can_undo(request.user, contact_import):
            return Response(
                {"code": "permission_denied", "detail": "You may not undo this import."},
                status=status.HTTP_403_FORBIDDEN,
            )
        if contact_import.status != ImportStatus.DONE:
            return _error(
                imports.ImportError_("invalid_state", "Only a finished import can be undone.")
            )
        try:
            result = imports.undo_import(contact_import, acting_user=request.user)
        except imports.ImportError_ as exc:
            return _error(exc)
        return Response(result)
