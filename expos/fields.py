"""A list of short strings (languages, intents) that works on PostgreSQL and on SQLite.

PostgreSQL's ArrayField would do on the server, but embedded mode (`make run` without servers)
runs on SQLite, where an array column cannot be created. The list is stored as JSON; each item is
validated (against `item_choices` when given), and forms show check boxes for choices or a
comma-separated text box."""

from __future__ import annotations

from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class StringListField(models.JSONField):
    def __init__(self, *args, item_choices=None, max_item_length: int = 12, **kwargs):
        self.item_choices = list(item_choices) if item_choices else None
        self.max_item_length = max_item_length
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.item_choices:
            kwargs["item_choices"] = self.item_choices
        if self.max_item_length != 12:
            kwargs["max_item_length"] = self.max_item_length
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(_("Give a list of words."), code="invalid")
        allowed = {key for key, _label in self.item_choices} if self.item_choices else None
        for item in value:
            if len(item) > self.max_item_length or (allowed is not None and item not in allowed):
                raise ValidationError(
                    _("“%(value)s” is not an allowed value."),
                    code="invalid_choice",
                    params={"value": item},
                )

    def formfield(self, **kwargs):
        common = {"required": not self.blank, "label": capfirst(self.verbose_name)}
        if self.item_choices:
            return forms.MultipleChoiceField(
                choices=self.item_choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return SimpleArrayField(
            forms.CharField(max_length=self.max_item_length),
            help_text=self.help_text or _("Language codes, separated by commas."),
            **common,
        )
