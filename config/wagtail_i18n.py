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
