"""Where Wagtail 8.0.1 fixes a translated string too early, make it follow the request's language.

AdminSnippetChooser formats "Choose %(object)s", "Choose another %(object)s" and "Edit this
%(object)s" when the widget is constructed, which happens once per process while building a form
class (in whatever language is active then, usually English); every later request copies those
finished strings. Making them lazy gives each request its own language."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext

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
