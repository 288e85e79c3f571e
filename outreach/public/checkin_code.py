"""The guest's check-in code page, reached from their personal RSVP link (`/rsvp/<token>/code/`):
the QR code for them and each companion, to show at the entrance, in the guest's language. The
confirmation mail carries the same code as an image. GET only; nothing changes."""

from __future__ import annotations

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from outreach.models.registrations import RegistrationStatus
from outreach.public.rsvp import _language, _problem_page, resolve
from outreach.services import checkin


@never_cache
def code_image(request: HttpRequest, token: str) -> HttpResponse:
    """The guest's own code as a PNG, for the image a reminder shows (`{{ checkin_code }}`).

    Not found until the place is confirmed, and as soon as the link or the registration is
    revoked (the door refuses a revoked code anyway)."""
    from outreach.badges import qr_png

    invitation, _problem, _language = resolve(token)
    registration = invitation.registration if invitation is not None else None
    if registration is None or registration.status != RegistrationStatus.ACCEPTED:
        raise Http404
    response = HttpResponse(qr_png(checkin.code_for(registration)), content_type="image/png")
    response["X-Robots-Tag"] = "noindex"
    response["Content-Disposition"] = 'inline; filename="checkin-code.png"'
    return response


def qr_svg(payload: str) -> str:
    """An inline SVG of the code (no script, no external reference: segno writes plain paths)."""
    return segno.make(payload, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


@never_cache
def code_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation, problem, language = resolve(token)
    if invitation is None:
        return _problem_page(request, problem, language)
    language = _language(invitation.language, request)
    registration = invitation.registration
    confirmed = registration is not None and registration.status == RegistrationStatus.ACCEPTED
    codes = []
    if confirmed:
        person = registration.person
        codes.append(
            {
                "name": person.full_name_native or str(person),
                "svg": mark_safe(qr_svg(checkin.code_for(registration))),  # noqa: S308 - segno output
            }
        )
        for number, companion in enumerate(registration.companions.all(), start=1):
            codes.append(
                {
                    "name": str(companion),
                    "svg": mark_safe(qr_svg(checkin.code_for(registration, number))),  # noqa: S308
                    "companion": True,
                }
            )
    with translation.override(language):
        response = render(
            request,
            "outreach/rsvp/code.html",
            {
                "event": invitation.event,
                "codes": codes,
                "confirmed": confirmed,
                "rsvp_languages": [],
            },
        )
    response["X-Robots-Tag"] = "noindex"
    return response
