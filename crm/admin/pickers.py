"""Searchable pickers on admin forms: a multi-select of countries, sectors, tags, languages
(and a country or time zone picked from a long list) becomes a box that filters as you type
and shows the chosen values as removable chips, instead of a list to Ctrl-click through.

Tom Select (vendored in crm/static/crm/vendor/tom-select, Apache-2.0) does the widget; the
form still posts the same ``<select>`` values, so validation is Django's. Time zones are listed
with their names in the staff member's language (crm.languages.time_zone_choices).

Use ``SearchablePickersMixin`` in front of a model form class: every plain multi-select, and
the fields named in ``searchable_fields``, get the searchable widget; a ``time_zone`` field
becomes a choice of named zones."""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist

from crm.languages import time_zone_choices

MEDIA = forms.Media(
    js=["crm/vendor/tom-select/tom-select.complete.min.js", "crm/js/searchable_select.js"],
    css={"all": ["crm/vendor/tom-select/tom-select.min.css", "crm/css/searchable_select.css"]},
)


class SearchableSelect(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__({**(attrs or {}), "data-searchable-select": ""}, choices)

    @property
    def media(self):
        return MEDIA


class SearchableSelectMultiple(forms.SelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({**(attrs or {}), "data-searchable-select": ""}, choices)

    @property
    def media(self):
        return MEDIA


def make_searchable(field: forms.Field) -> None:
    """Swap the field's widget for the searchable one (same choices, same attributes)."""
    widget = field.widget
    if getattr(widget, "input_type", None) in ("checkbox", "radio"):
        return
    if isinstance(widget, forms.SelectMultiple):
        new = SearchableSelectMultiple(attrs=widget.attrs, choices=widget.choices)
    elif isinstance(widget, forms.Select):
        new = SearchableSelect(attrs=widget.attrs, choices=widget.choices)
    else:
        return
    new.is_required = widget.is_required
    field.widget = new


class TimeZoneChoiceField(forms.ChoiceField):
    """A zone from the named list; a value that is no zone at all gets the model's own message
    (which names it) rather than Django's "Select a valid choice"."""

    def __init__(self, *, zone_validators=(), **kwargs):
        super().__init__(**kwargs)
        self.zone_validators = list(zone_validators)

    def validate(self, value):
        for validator in self.zone_validators:
            validator(value)
        super().validate(value)


class SearchablePickersMixin:
    searchable_fields: tuple[str, ...] = ("country", "time_zone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "time_zone" and not isinstance(field, forms.ChoiceField):
                current = self.initial.get(name) or getattr(self.instance, name, "") or ""
                self.fields[name] = field = TimeZoneChoiceField(
                    label=field.label,
                    help_text=field.help_text,
                    required=field.required,
                    choices=time_zone_choices(current),
                    zone_validators=self._model_validators(name),
                )
            plain_multiple = type(field.widget) in (forms.SelectMultiple,) or (
                isinstance(field.widget, forms.SelectMultiple)
                and type(field.widget).__module__.startswith("django_countries")
            )
            if plain_multiple or name in self.searchable_fields:
                make_searchable(field)

    def _model_validators(self, name: str) -> list:
        try:
            return list(self._meta.model._meta.get_field(name).validators)
        except FieldDoesNotExist:  # not a model field: the choice list alone decides
            return []
