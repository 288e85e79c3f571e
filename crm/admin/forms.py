"""Admin forms: normalisation happens here only as far as showing errors next to the field;
saving goes through crm.services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from crm.admin.pickers import SearchablePickersMixin, SearchableSelectMultiple
from crm.identity import normalize_email
from crm.models import Organization, OrganizationKind
from crm.models.choices import ConsentChannel, ConsentPurpose, LegalBasis
from crm.phones import parse_phone
from crm.services import people as people_service


def language_choices():
    return [("", "---------"), *[(code, f"{name} ({code})") for code, name in settings.LANGUAGES]]


class PhoneInputField(forms.CharField):
    """Any common national or international format, read with `region` as default; cleans to
    an E.164 PhoneNumber, or an error naming the value and the region."""

    def __init__(self, *, region: str = "", **kwargs):
        self.region = region
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return parse_phone(value, self.region or None)


class PersonAdminForm(SearchablePickersMixin, WagtailAdminModelForm):
    """Phones are typed in any format and read with the person's country (else their
    organization's) as default region; emails must not belong to another person.

    Email consent is recorded on the form itself: a box per purpose, ticked where the person
    holds a valid consent now; ticking records one (with the legal basis and source given),
    clearing withdraws it (crm.services.consent, on save). Shown to staff who may record
    consents."""

    consent_purposes = forms.MultipleChoiceField(
        label=_("Email consent"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the purposes this person agreed to receive email for; clear a box to record "
            "that the consent was withdrawn."
        ),
    )
    consent_legal_basis = forms.ChoiceField(
        label=_("Legal basis of a new consent"),
        choices=LegalBasis.choices,
        initial=LegalBasis.CONSENT,
        required=False,
    )
    consent_source = forms.CharField(
        label=_("How the consent was given"),
        max_length=100,
        required=False,
        help_text=_("E.g. “business card at the 2026 forum, agreed orally”."),
    )
    CONSENT_FIELDS = ("consent_purposes", "consent_legal_basis", "consent_source")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is not None and not user.has_perm("crm.add_consent"):
            for name in self.CONSENT_FIELDS:
                self.fields.pop(name, None)
        elif "consent_purposes" in self.fields:
            self.fields["consent_purposes"].initial = self.consented_purposes()
        if "preferred_language" in self.fields:
            self.fields["preferred_language"] = forms.ChoiceField(
                label=self.fields["preferred_language"].label,
                choices=language_choices(),
                required=False,
                help_text=self.fields["preferred_language"].help_text,
            )
        phones = self.formsets.get("phones")
        if phones is not None:
            region = (self.data.get(self.add_prefix("country")) if self.is_bound else "") or ""
            region = region or str(self.instance.country or "")
            region = region or people_service.default_region(self.instance) or ""
            for form in phones.forms:
                old = form.fields["number"]
                form.fields["number"] = PhoneInputField(
                    region=region, label=old.label, help_text=old.help_text
                )

    def clean(self):
        cleaned = super().clean()
        emails = self.formsets.get("emails")
        if emails is not None:
            seen = set()
            for form in emails.forms:
                if not form.is_valid() or form.cleaned_data.get("DELETE"):
                    continue
                email = form.cleaned_data.get("email")
                if not email:
                    continue
                identity = normalize_email(email)
                if identity in seen:
                    form.add_error("email", _('"%(value)s" is given twice.') % {"value": email})
                    continue
                seen.add(identity)
                try:
                    people_service.check_email_available(email, self.instance)
                except ValidationError as exc:
                    form.add_error("email", exc)
        if not any(
            cleaned.get(name)
            for name in (
                "family_name",
                "given_name",
                "full_name_native",
                "name_chinese",
                "name_latin",
            )
        ):
            self.add_error("family_name", _("Give at least one form of the person's name."))
        return cleaned

    def consented_purposes(self) -> list[str]:
        """Purposes with a valid email consent now (none for a new person)."""
        if self.instance.pk is None:
            return []
        from crm.models import Consent

        return sorted(
            set(
                Consent.objects.valid()
                .filter(person=self.instance, channel=ConsentChannel.EMAIL)
                .values_list("purpose", flat=True)
            )
        )

    def consent_changes(self) -> tuple[list[str], list[str]]:
        """(purposes to record, purposes to withdraw) as ticked on the form."""
        if "consent_purposes" not in self.fields or not hasattr(self, "cleaned_data"):
            return [], []
        wanted = set(self.cleaned_data.get("consent_purposes") or [])
        current = set(self.consented_purposes())
        return sorted(wanted - current), sorted(current - wanted)


class SegmentAdminForm(SearchablePickersMixin, WagtailAdminModelForm):
    searchable_fields = ("countries", "languages")

    organization_kinds = forms.MultipleChoiceField(
        label=_("organization kinds"),
        choices=OrganizationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with a current affiliation to an organization of these kinds."),
    )
    languages = forms.MultipleChoiceField(
        label=_("preferred languages"),
        choices=[],
        required=False,
        widget=SearchableSelectMultiple,
    )

    extension_filters = forms.MultipleChoiceField(
        label=_("answers and other filters"),
        choices=[],
        required=False,
        help_text=_(
            "E.g. who accepted any stop of a roadshow, or who was invited and did not answer."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = language_choices()[1:]
        from crm.segment_extensions import extension_choices

        self.fields["extension_filters"].choices = extension_choices()


class SearchablePickersForm(SearchablePickersMixin, WagtailAdminModelForm):
    """A Wagtail model form whose multi-selects (organizations, staff...) are searchable."""


class OrganizationAdminForm(SearchablePickersForm):
    """The organization form: country and sectors searchable."""


class OrganizationQuickForm(SearchablePickersMixin, WagtailAdminModelForm):
    """The organization chooser's "create" tab: enough to tell it apart; the rest is filled
    in on its own form later."""

    class Meta:
        model = Organization
        fields = ["name", "name_en", "kind", "country", "city"]
