"""Public competition URLs (outside the language prefix: `?lang=` or the signed link decides)."""

from django.urls import path

from competitions.public import entries, results

urlpatterns = [
    path("competitions/<slug:code>/enter/", entries.enter, name="competitions_enter"),
    path(
        "competitions/entry/confirm/<str:token>/",
        entries.confirm,
        name="competitions_entry_confirm",
    ),
    path("competitions/entry/<str:token>/", entries.status, name="competitions_entry_status"),
    path("competitions/<slug:code>/results/", results.results, name="competitions_results"),
]
