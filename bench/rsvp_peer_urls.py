"""Liaison's URLs plus the peer of bench/rsvp_bench.py: a bare Django view that validates a
form and inserts one row (the least any RSVP endpoint does)."""

from django import forms
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as liaison


class PeerForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()


@csrf_exempt
def peer(request):
    if request.method != "POST":
        return HttpResponse("ok")
    form = PeerForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_peer_answer (name, email, created_at) VALUES (%s, %s, %s)",
            [form.cleaned_data["name"], form.cleaned_data["email"], timezone.now()],
        )
    return HttpResponse("saved")


urlpatterns = [path("bench-peer/", peer), *liaison]
