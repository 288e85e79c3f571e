"""What teams may upload: a business plan (PDF) and a pitch deck (PDF or PowerPoint), checked by
their content, not by the name or type the browser claims.

A file is accepted only when its first bytes (and, for a .pptx, its zip directory) show one of
the allowed types and its name ends in a matching extension; it is stored under a random name
with the extension of its detected type. Nothing else (HTML, SVG, scripts, archives,
executables) is ever stored, and downloads are sent as attachments (`download_response`), so no
uploaded file is rendered by a browser inline."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

PDF = "application/pdf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PPT = "application/vnd.ms-powerpoint"
EXTENSIONS = {PDF: "pdf", PPTX: "pptx", PPT: "ppt"}
# What each kind of attachment may be.
ALLOWED = {"plan": (PDF,), "deck": (PDF, PPTX, PPT), "other": (PDF,)}


def sniff(upload) -> str | None:
    """The content type the file's bytes show, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return PPT
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "ppt/presentation.xml" in names and "[Content_Types].xml" in names:
            return PPTX
    return None


def check_upload(upload, kind: str, *, max_bytes: int) -> str:
    """The detected content type of an acceptable upload; raises ValidationError (naming the
    file and the limit) otherwise."""
    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "name": name,
                "size": f"{upload.size / 1048576:.1f}",
                "limit": f"{max_bytes / 1048576:.0f}",
            },
            code="too_large",
        )
    content_type = sniff(upload)
    allowed = ALLOWED.get(kind, ())
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type not in allowed or extension != EXTENSIONS.get(content_type):
        raise ValidationError(
            _("%(name)s is not an accepted file: upload %(types)s.")
            % {"name": name, "types": ", ".join(f".{EXTENSIONS[t]}" for t in allowed)},
            code="wrong_type",
        )
    return content_type


def download_response(attachment) -> FileResponse:
    """The stored file as a download: never inline, never sniffed, never cached by a proxy."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type
        if attachment.content_type in EXTENSIONS
        else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
