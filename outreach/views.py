from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from outreach.services import system


@require_POST
def worker_check(request):
    """Ask a background worker to answer; the dashboard shows the answer when it comes."""
    system.request_worker_check()
    messages.success(request, _("A background worker has been asked to check in."))
    return redirect("wagtailadmin_home")
