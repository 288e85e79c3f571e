from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.widgets import AdminSnippetChooser

from outreach.models import Campaign, CampaignPurpose, ScheduleKind

# Labels of fields declared here are capitalised like those Django derives from verbose names.


class CampaignAdminForm(WagtailAdminModelForm):
    """The campaign builder's form: languages as checkboxes of the configured languages."""

    languages = forms.MultipleChoiceField(
        label=capfirst(_("languages")),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Write content for each; recipients get their own language among these."),
    )
    fallback_language = forms.ChoiceField(
        label=capfirst(_("fallback language")),
        choices=[("", _("None: block sending to readers of other languages")), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chooser = self.fields["event"].widget if "event" in self.fields else None
        if isinstance(chooser, AdminSnippetChooser):
            # Wagtail words a snippet chooser's buttons once, when the form class is built (at
            # start-up, in the default language). A fresh widget is worded now, in this
            # request's language, from Wagtail's own catalogue.
            fresh = type(chooser)(model=chooser.model)
            chooser.choose_one_text = fresh.choose_one_text
            chooser.choose_another_text = fresh.choose_another_text
            chooser.link_to_chosen_text = fresh.link_to_chosen_text

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            # The status as it is now, not as it was when the form was opened.
            current = Campaign.objects.filter(pk=self.instance.pk).first() or self.instance
            if not current.is_editable:
                raise forms.ValidationError(
                    _("Only a draft can be edited; this campaign is %(status)s.")
                    % {"status": current.get_status_display()}
                )
        fallback = data.get("fallback_language")
        if fallback and fallback not in (data.get("languages") or []):
            self.add_error(
                "fallback_language", _("The fallback language must be one of the languages.")
            )
        return data

    def save(self, commit=True):
        if self.instance.pk is None and getattr(self, "for_user", None) is not None:
            self.instance.created_by = self.for_user
        elif self.instance.pk is not None and commit:
            # Saving writes every column: the status and what the workflow wrote (snapshot,
            # approval) are taken from the locked row, so an edit racing a submission or an
            # approval cannot write them back to what they were when the form was opened.
            row = Campaign.objects.select_for_update().get(pk=self.instance.pk)
            edited = set(self.fields)
            for field in Campaign._meta.concrete_fields:
                if field.name not in edited and not field.primary_key:
                    setattr(self.instance, field.attname, getattr(row, field.attname))
        return super().save(commit=commit)


class SuppressionAdminForm(WagtailAdminModelForm):
    """Staff type an address; only its digest is stored."""

    email = forms.EmailField(label=capfirst(_("email address")), required=False)
    purpose = forms.ChoiceField(
        label=capfirst(_("purpose")),
        # A choice, not free text: a mistyped purpose would suppress nothing.
        choices=[("", _("All purposes")), *CampaignPurpose.choices],
        required=False,
    )

    def clean(self):
        from outreach.services.suppression import digest_of

        data = super().clean()
        if not self.instance.pk:
            if not data.get("email"):
                self.add_error("email", _("Give the address to suppress."))
            else:
                self.instance.email_digest = digest_of(data["email"])
        return data

    def save(self, commit=True):
        if self.instance.pk is None and getattr(self, "for_user", None) is not None:
            self.instance.created_by = self.for_user
        return super().save(commit=commit)


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=capfirst(_("when")), choices=ScheduleKind.choices)
    send_at = forms.DateTimeField(
        label=capfirst(_("send at")),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    local_date = forms.DateField(
        label=capfirst(_("date")), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    local_time = forms.TimeField(
        label=capfirst(_("local time of day")),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Typed times are read in the staff member's time zone: say which one.
        self.fields["send_at"].help_text = _("In the time zone %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }


class PreviewForm(forms.Form):
    person = forms.IntegerField(label=capfirst(_("recipient")))
    language = forms.ChoiceField(label=capfirst(_("language")), choices=settings.LANGUAGES)
