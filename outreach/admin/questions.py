"""The questions each event asks its guests (dietary or religious needs, interpreter language,
accessibility, arrival and departure...) in the Wagtail admin, menu "Guest lists" > "Event
questions".

Per event: the kind (free text, one of a list, yes or no), the choices (one per line), whether
an answer is required, and the order. Questions are translatable snippets: wagtail-localize
adds "Translate" to each, and the RSVP page shows the guest's language (choices are matched
by position, so a translation keeps the same number of lines). Answers point at the
source-language question, so editing a translation never changes stored answers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from crm.admin.views import (
    SpreadsheetSafeIndexView,
    VisibleUsageMixin,
    crm_chooser_viewset_class,
    guarded_view_class,
)
from outreach.models import Question


class QuestionForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        options = [line for line in (cleaned.get("options") or "").splitlines() if line.strip()]
        if kind == Question.Kind.CHOICE and len(options) < 2:
            raise forms.ValidationError({"options": _("Give at least two choices, one per line.")})
        if kind != Question.Kind.CHOICE and options:
            raise forms.ValidationError(
                {"options": _("Choices are only for questions answered from a list.")}
            )
        return cleaned


class QuestionViewSet(SnippetViewSet):
    model = Question
    # Chosen through the access policy; never created from a chooser (crm.admin.views).
    chooser_viewset_class = crm_chooser_viewset_class()
    index_view_class = SpreadsheetSafeIndexView  # exports escape spreadsheet formulas
    icon = "help"
    menu_label = _("Event questions")
    menu_order = 153
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["label", "event", "kind", "required", "sort_order", "locale"]
    list_filter = ["event", "kind", "locale"]
    search_fields = ["label"]
    ordering = ["event", "sort_order", "id"]
    list_export = ["event", "label", "help_text", "kind", "options", "required", "sort_order"]
    edit_handler = ObjectList(
        [
            FieldPanel("event"),
            FieldPanel("label"),
            FieldPanel("help_text"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("required"), FieldPanel("sort_order")]),
            FieldPanel("options"),
        ],
        base_form_class=QuestionForm,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Used by" lists answers only of guests the user may see.
        self.usage_view_class = guarded_view_class(self.usage_view_class, VisibleUsageMixin)
