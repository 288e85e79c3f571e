"""The door benchmark's peer (bench/checkin_bench.py): Liaison's development settings with one
bare view that parses the same JSON as the sync endpoint and inserts CheckIn rows — no signature,
no lock, no earlier-entry check, no per-scan result. Used as a gunicorn settings module."""

import json
import uuid

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone

from config.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.door_peer"


def bare_sync(request, event_id):
    from outreach.models import CheckIn, Registration

    scans = json.loads(request.body)["scans"]
    ids = dict(
        Registration.objects.filter(public_id__in=[s["registration"] for s in scans]).values_list(
            "public_id", "pk"
        )
    )
    rows = [
        CheckIn(
            scan_id=uuid.UUID(s["scan_id"]),
            event_id=event_id,
            registration_id=ids[uuid.UUID(s["registration"])],
            attendee=s.get("attendee", 0),
            outcome="admitted",
            scanned_at=timezone.now(),
            gate=s.get("gate", ""),
            device=s.get("device", ""),
        )
        for s in scans
    ]
    if len(rows) == 1:
        rows[0].save()
    else:
        CheckIn.objects.bulk_create(rows)
    return JsonResponse({"stored": len(rows)})


urlpatterns = [path("bench/checkin/<int:event_id>/", bare_sync)]
