"""Choosing people on admin forms without listing everyone.

A plain ``<select>`` of people renders every contact as an ``<option>``: 13 s and 5 MB for a
campaign form at 20,000 contacts, and the CRM is meant for a million. ``PersonChooser`` keeps
the ``<select>`` (hidden) so that the form posts the same values and Django's model choice
validation is unchanged, but renders only the chosen people; a type-ahead box
(``crm/js/person_chooser.js``) asks ``crm_person_lookup`` for matches and adds chips.

Use it through ``PersonChooserPanel("field")`` in a panel list (it also tells the widget who is
looking, so that restricted people stay hidden), or ``PersonChooser(multiple=...)`` directly."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _gettext
from wagtail.admin.panels import FieldPanel, Panel

from crm.services import roles


def person_label(person) -> str:
    """A person's name as staff read it: Chinese-speaking staff first see the native/Chinese
    form, others the Latin form, each with the other in brackets when they differ."""
    from crm.identity import fold_text

    if person.erased_at:
        return str(person)
    native = person.full_name_native or person.name_chinese
    latin = person.name_latin or person.composed_name
    if not (native and latin) or fold_text(native) == fold_text(latin):
        return str(person)
    if (translation.get_language() or "").lower().startswith("zh"):
        return f"{native} ({latin})"
    return f"{latin} ({native})"


def current_affiliation(person):
    """The primary current affiliation, else the first current one (from prefetched rows)."""
    current = [a for a in person.affiliations.all() if a.end_date is None]
    current.sort(key=lambda a: not a.is_primary)
    return current[0] if current else None


def person_detail(person, user) -> str:
    """What tells two people of the same name apart: position and organization, and the
    primary email (masked for staff without "Can see personal contact details")."""
    parts = []
    affiliation = current_affiliation(person)
    if affiliation is not None:
        parts.append(str(affiliation))
    emails = list(person.emails.all())
    email = next((e for e in emails if e.is_primary), emails[0] if emails else None)
    if email is not None:
        shown = (
            email.email if roles.can_see_contact_details(user) else roles.mask_email(email.email)
        )
        parts.append(shown)
    return " · ".join(parts)


def people_for_labels(queryset):
    from crm.models import Affiliation

    return queryset.prefetch_related(
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
        "emails",
    )


class PersonChooser(forms.SelectMultiple):
    """A ``<select>`` of the chosen people only, with a search box and removable chips.

    ``multiple=False`` is for a foreign key (one person or none)."""

    template_name = "crm/widgets/person_chooser.html"
    option_template_name = "django/forms/widgets/select_option.html"

    class Media:
        js = ["crm/js/person_chooser.js"]
        css = {"all": ["crm/css/person_chooser.css"]}

    def __init__(self, attrs=None, *, multiple: bool = True):
        super().__init__(attrs)
        self.multiple = multiple
        self.allow_multiple_selected = multiple
        self.user = None  # set by PersonChooserPanel: who is looking

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.user = self.user
        return copied

    def format_value(self, value) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v not in ("", None)]

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return super().value_from_datadict(data, files, name)
        return data.get(name)

    def chosen_people(self, values: Iterable[str]) -> list:
        """The chosen people in the order chosen; the cost depends on how many are chosen, never
        on how many people exist."""
        from crm.models import Person

        ids = []
        for value in values:
            if str(value).isdigit() and int(value) not in ids:
                ids.append(int(value))
        if not ids:
            return []
        people = people_for_labels(Person.objects.filter(pk__in=ids)).in_bulk()
        return [people[pk] for pk in ids if pk in people]

    def optgroups(self, name, value, attrs=None):
        options = []
        if not self.multiple:
            options.append(self.create_option(name, "", "---------", not value, 0, attrs=attrs))
        for index, person in enumerate(self.chosen_people(value), start=len(options)):
            label, _detail = self.chip_text(person)
            options.append(self.create_option(name, str(person.pk), label, True, index, attrs))
        return [(None, options, 0)]

    def chip_text(self, person) -> tuple[str, str]:
        """Restricted people the viewer may not see stay chosen (saving must not drop them) but
        are not named."""
        if self.user is not None and not roles.can_view_person(self.user, person):
            return _gettext("(restricted contact #%(id)s)") % {"id": person.pk}, ""
        user = self.user
        return person_label(person), (person_detail(person, user) if user is not None else "")

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        required = attrs.pop("required", False)
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        chips = []
        for group in widget["optgroups"]:
            for option in group[1]:
                if option["value"] != "":
                    chips.append({"value": option["value"], "label": option["label"]})
        base_id = widget["attrs"].get("id") or f"id_{name}"
        # The search box takes the field's id, so the panel's <label for> names it; the select
        # it fills is hidden.
        select_attrs = {k: v for k, v in widget["attrs"].items() if k != "aria-describedby"}
        select_attrs["id"] = f"{base_id}-chosen"
        widget["select_attrs_holder"] = {"attrs": select_attrs}
        widget["search_id"] = base_id
        widget["described_by"] = widget["attrs"].get("aria-describedby", "")
        widget["required"] = required
        widget["chips"] = chips
        widget["multiple"] = self.multiple
        widget["lookup_url"] = reverse("crm_person_lookup")
        return context


class PersonChooserPanel(FieldPanel):
    """``FieldPanel`` with a ``PersonChooser`` that knows the requesting user."""

    def __init__(self, field_name, *args, multiple: bool = True, **kwargs):
        kwargs.setdefault("widget", PersonChooser(multiple=multiple))
        self.multiple = multiple
        super().__init__(field_name, *args, **kwargs)

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs["multiple"] = self.multiple
        return kwargs

    class BoundPanel(FieldPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            if self.bound_field is not None and self.request is not None:
                widget = self.bound_field.field.widget
                if isinstance(widget, PersonChooser):
                    widget.user = self.request.user
            return super().get_context_data(parent_context)


class DuplicateCheckPanel(Panel):
    """On the person form: while a name, email or phone is typed, lists the people this might
    already be (crm.admin.duplicates.person_duplicate_check), and fills in the native full name
    and pinyin of a Chinese name (crm/js/duplicate_check.js)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "crm/widgets/duplicate_check.html"

        class Media:
            js = ["crm/js/duplicate_check.js"]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["url"] = reverse("crm_person_duplicate_check")
            context["person_id"] = getattr(self.instance, "pk", None)
            return context
