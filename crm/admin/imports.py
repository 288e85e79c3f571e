"""The import wizard in the Wagtail admin: upload -> columns -> dry run -> import (live progress)
-> result (counts, rejected rows download) -> undo. Views check permissions and call
crm.services.imports; the file is read by workers, never inside a request (except the headers
and three sample rows shown with the mapping)."""

from __future__ import annotations

from itertools import islice

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from crm import contact_files
from crm.api.imports import can_import, can_undo, visible_imports
from crm.contact_files import FileProblem
from crm.contact_rows import TARGETS
from crm.models import ContactImport, ImportMode, ImportPolicy, ImportStatus, LegalBasis
from crm.services import imports

RUNNING = (ImportStatus.ANALYSING, ImportStatus.QUEUED, ImportStatus.RUNNING)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV or TSV (any encoding), Excel .xlsx, or vCard .vcf."),
    )
    source = forms.CharField(
        label=pgettext_lazy("where contacts come from", "Source"),
        max_length=255,
        help_text=gettext_lazy("Where the contacts come from, e.g. business cards of a trip."),
    )
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis"),
        choices=LegalBasis.choices,
        initial=LegalBasis.LEGITIMATE_INTEREST,
    )
    policy = forms.ChoiceField(
        label=gettext_lazy("Policy"), choices=ImportPolicy.choices, initial=ImportPolicy.STRICT
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("People already known"),
        choices=ImportMode.choices,
        initial=ImportMode.CREATE,
    )
    default_region = forms.CharField(
        label=gettext_lazy("Default phone region"),
        max_length=2,
        initial="CN",
        required=False,
        help_text=gettext_lazy("ISO country code for numbers written without +, e.g. CN."),
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Encoding"),
        required=False,
        choices=[("", gettext_lazy("Detect"))] + [(e, e) for e in contact_files.ENCODINGS],
        # codec names are data, the same in every language
        widget=forms.Select(attrs={"class": "liaison-data"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 200))
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": limit}
            )
        return upload


def _import_or_404(request, pk) -> ContactImport:
    return get_object_or_404(visible_imports(request.user), pk=pk)


def import_index(request):
    if not request.user.has_perm("crm.view_contactimport"):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "crm/admin/import_index.html",
        {"imports": visible_imports(request.user)[:100], "can_import": can_import(request.user)},
    )


def import_new(request):
    if not can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact_import = imports.create_import(
            data["file"],
            acting_user=request.user,
            source=data["source"],
            legal_basis=data["legal_basis"],
            policy=data["policy"],
            mode=data["mode"],
            default_region=data["default_region"],
            encoding=data["encoding"],
            name=data["file"].name,
        )
        return redirect("crm_import_detail", contact_import.pk)
    return TemplateResponse(request, "crm/admin/import_new.html", {"form": form})


def _columns(contact_import: ContactImport) -> list[dict]:
    samples: list[list[str]] = []
    if contact_import.headers:
        try:
            info = imports.inspect(contact_import)
            rows = contact_files.iter_rows(imports.file_source(contact_import), info)
            samples = [row.cells for row in islice(rows, 3)]
        except FileProblem:
            samples = []
    return [
        {
            "index": index,
            "header": header,
            "target": contact_import.mapping[index] if index < len(contact_import.mapping) else "",
            "samples": [s[index][:60] for s in samples if index < len(s) and s[index]],
        }
        for index, header in enumerate(contact_import.headers)
    ]


def import_detail(request, pk):
    contact_import = _import_or_404(request, pk)
    context = {
        "contact_import": contact_import,
        "progress": imports.progress(contact_import),
        "running": contact_import.status in RUNNING,
        "editable": contact_import.status in (ImportStatus.UPLOADED, ImportStatus.ANALYSED),
        "can_undo": contact_import.status == ImportStatus.DONE
        and can_undo(request.user, contact_import),
        "targets": [(key, str(label)) for key, label in TARGETS.items()],
        "encodings": contact_files.ENCODINGS,
        "rejections": list(contact_import.issues.select_related("contact_import")[:200]),
        "rejection_total": contact_import.issues.filter(rejected=True).count(),
    }
    labels = [
        ("created", _("created")),
        ("updated", _("updated")),
        ("unchanged", _("unchanged")),
        ("merged", _("merged (duplicate rows of the file)")),
        ("skipped_blank", _("skipped blank")),
        ("rejected", _("rejected")),
    ]
    dry_run = (contact_import.analysis or {}).get("counts") or {}
    context["dry_run_rows"] = [(key, label, dry_run.get(key, 0)) for key, label in labels]
    context["result_rows"] = [(key, label, contact_import.counts[key]) for key, label in labels]
    if context["editable"]:
        context["columns"] = _columns(contact_import)
    return TemplateResponse(request, "crm/admin/import_detail.html", context)


def import_progress(request, pk):
    return JsonResponse(imports.progress(_import_or_404(request, pk)))


@require_POST
def import_action(request, pk, verb):
    contact_import = _import_or_404(request, pk)
    if not can_import(request.user):
        raise PermissionDenied
    try:
        if verb == "encoding":
            imports.change_encoding(
                contact_import, request.POST.get("encoding", ""), acting_user=request.user
            )
        elif verb == "sheet":
            imports.choose_sheet(
                contact_import, request.POST.get("sheet", ""), acting_user=request.user
            )
        elif verb in ("dry-run", "start"):
            if contact_import.status in (ImportStatus.UPLOADED, ImportStatus.ANALYSED) and (
                request.POST.getlist("mapping")
            ):
                imports.set_mapping(
                    contact_import,
                    request.POST.getlist("mapping"),
                    acting_user=request.user,
                    remember_as=request.POST.get("remember_as", ""),
                )
            if verb == "dry-run":
                imports.start_dry_run(contact_import, acting_user=request.user)
            else:
                imports.start_import(contact_import, acting_user=request.user)
        elif verb == "undo":
            if not can_undo(request.user, contact_import):
                raise PermissionDenied
            result = imports.undo_import(contact_import, acting_user=request.user)
            messages.success(
                request,
                _(
                    "Import undone: %(removed)s people removed, %(restored)s restored, "
                    "%(kept)s left as they were because they were edited since."
                )
                % {
                    "removed": result["removed"],
                    "restored": result["restored"],
                    "kept": len(result["kept_edited"]),
                },
            )
    except imports.ImportError_ as exc:
        messages.error(request, exc.message)
    return redirect("crm_import_detail", contact_import.pk)


def import_rejected(request, pk):
    name, content_type, content = imports.rejected_rows_file(_import_or_404(request, pk))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
