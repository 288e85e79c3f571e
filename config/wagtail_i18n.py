"""Where Wagtail 8.0.1 fixes a translated string too early, make it follow the request's language.

SnippetViewSet.breadcrumbs_items translates "Home" and "Snippets" eagerly while the viewsets are
set up at startup, so every snippet page's breadcrumbs stayed in the start-up language.

AdminSnippetChooser formats "Choose %(object)s", "Choose another %(object)s" and "Edit this
%(object)s" when the widget is constructed, which happens once per process while building a form
class (in whatever language is active then, usually English); every later request copies those
finished strings. Making them lazy gives each request its own language."""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

_TEXTS = {
    "choose_one_text": "Choose %(object)s",
    "choose_another_text": "Choose another %(object)s",
    "link_to_chosen_text": "Edit this %(object)s",
}


def _translated(msgid: str, model) -> str:
    return gettext(msgid) % {"object": model._meta.verbose_name}


translated_lazily = lazy(_translated, str)


def make_snippet_chooser_texts_lazy() -> None:
    from wagtail.snippets.widgets import AdminSnippetChooser

    if getattr(AdminSnippetChooser, "_liaison_lazy_texts", False):
        return
    original_init = AdminSnippetChooser.__init__

    def init_with_lazy_texts(self, model=None, **kwargs):
        original_init(self, model=model, **kwargs)
        for attribute, msgid in _TEXTS.items():
            setattr(self, attribute, translated_lazily(msgid, self.model))

    AdminSnippetChooser.__init__ = init_with_lazy_texts
    AdminSnippetChooser._liaison_lazy_texts = True


def make_snippet_breadcrumbs_lazy() -> None:
    from wagtail.snippets.views.snippets import SnippetViewSet

    original = SnippetViewSet.breadcrumbs_items
    if getattr(original.fget, "_liaison_lazy", False):
        return
    labels = {"Home": gettext_lazy("Home"), "Snippets": gettext_lazy("Snippets")}

    def breadcrumbs_items(self):
        with translation.override(None):  # the msgids, to recognise the eager labels by
            items = original.fget(self)
        return [{**item, "label": labels.get(item["label"], item["label"])} for item in items]

    breadcrumbs_items._liaison_lazy = True
    SnippetViewSet.breadcrumbs_items = property(breadcrumbs_items)


def _relabelled(item, label):
    import copy

    fresh = copy.copy(item)  # the registered item is shared by every request: never mutate it
    fresh.label = label
    return fresh


def register_menu_labels_in_request_language() -> None:
    """Two menu items fix their label in the language of the first request that builds the menu:
    wagtail-localize's "Translations" report (plain gettext) and Wagtail's "What's new in Wagtail
    8.0" (a lazy string formatted at once). Each request gets a copy labelled in its language."""
    from wagtail import VERSION, hooks
    from wagtail.utils.version import get_main_version

    if getattr(register_menu_labels_in_request_language, "_done", False):
        return
    register_menu_labels_in_request_language._done = True

    @hooks.register("construct_reports_menu")
    def reports_in_request_language(request, menu_items):
        for index, item in enumerate(menu_items):
            if type(item).__name__ == "TranslationsReportMenuItem":
                menu_items[index] = _relabelled(item, gettext("Translations"))

    @hooks.register("construct_help_menu")
    def help_in_request_language(request, menu_items):
        version = get_main_version(VERSION, include_patch=False)
        for index, item in enumerate(menu_items):
            if (getattr(item, "name", "") or "").startswith("whats-new-in-wagtail-"):
                label = gettext("What's new in Wagtail %(version)s") % {"version": version}
                menu_items[index] = _relabelled(item, label)
