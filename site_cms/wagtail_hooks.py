"""Speakers and sessions in the admin, as translatable snippets (wagtail-localize adds
"Translate" and the translation status to each)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from crm.admin.views import SpreadsheetSafeIndexView
from site_cms.models import Session, Speaker


class SpeakerViewSet(SnippetViewSet):
    model = Speaker
    index_view_class = SpreadsheetSafeIndexView  # exports escape spreadsheet formulas
    icon = "user"
    menu_label = _("Speakers")
    list_display = ["name", "honorific", "position", "locale"]
    list_filter = ["locale"]
    search_fields = ["name", "position"]


class SessionViewSet(SnippetViewSet):
    model = Session
    index_view_class = SpreadsheetSafeIndexView  # exports escape spreadsheet formulas
    icon = "time"
    menu_label = pgettext_lazy("programme", "Sessions")
    list_display = ["title", "event", "starts_at", "room", "locale"]
    list_filter = ["locale", "event"]
    search_fields = ["title"]
    ordering = ["starts_at"]


class ProgrammeViewSetGroup(SnippetViewSetGroup):
    items = (SpeakerViewSet, SessionViewSet)
    menu_icon = "group"
    menu_label = _("Programme")
    menu_order = 160


register_snippet(ProgrammeViewSetGroup)
