from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from outreach.models import CampaignPurpose
from outreach.services import system
from outreach.services import unsubscribe as unsubscribing


@require_POST
def worker_check(request):
    """Ask a background worker to answer; the dashboard shows the answer when it comes."""
    system.request_worker_check()
    messages.success(request, _("A background worker has been asked to check in."))
    return redirect("wagtailadmin_home")


def _branding(message=None) -> dict:
    """The office's branding and the campaign's sender, named on every recipient page."""
    from outreach.branding import brand_for

    brand = brand_for()
    sender = (message.campaign.from_name if message is not None else "") or brand.name
    return {"brand": brand, "sender": sender}


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/unsubscribe_invalid.html", _branding(), status=404)


@csrf_exempt  # the signed token is the authentication; mail clients POST without cookies
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirmation page that changes nothing (link scanners prefetch links).
    POST (the page's button, or RFC 8058 one-click from the mail client): unsubscribe now."""
    message = unsubscribing.message_for_token(token)
    if message is None:
        return _invalid(request)
    with translation.override(message.language):
        purpose_label = CampaignPurpose(message.campaign.purpose).label
        if request.method == "POST":
            unsubscribing.unsubscribe(message)
            return render(
                request,
                "outreach/unsubscribe_done.html",
                {
                    "token": token,
                    "purpose": purpose_label,
                    "language": message.language,
                    **_branding(message),
                },
            )
        return render(
            request,
            "outreach/unsubscribe_confirm.html",
            {
                "token": token,
                "purpose": purpose_label,
                "language": message.language,
                **_branding(message),
            },
        )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    message = unsubscribing.message_for_token(token)
    if message is None:
        return _invalid(request)
    with translation.override(message.language):
        saved = False
        if request.method == "POST":
            keep = {p for p in request.POST.getlist("keep") if p in CampaignPurpose.values}
            unsubscribing.set_preferences(message, keep=keep)
            saved = True
        off = unsubscribing.unsubscribed_purposes(message)
        choices = [(value, label, value not in off) for value, label in CampaignPurpose.choices]
        return render(
            request,
            "outreach/preferences.html",
            {
                "token": token,
                "choices": choices,
                "saved": saved,
                "language": message.language,
                **_branding(message),
            },
        )
