"""Guest lists in the Wagtail admin: every answer to every event, filtered by event, answer,
session, language, country and organization kind, exported (formulas escaped, addresses masked
for staff who may not see contact details; restricted guests only for those who may see them).

"Add" records an answer received by phone or letter; "Edit" changes a guest's answer on their
behalf (a reason is required) or approves/refuses a delegate or registration request. Both go
through outreach.services.registration, so the history says who recorded what, when and why."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from crm.admin.views import (
    SpreadsheetSafeMixin,
    VisibleDeleteMixin,
    VisibleListingMixin,
    VisibleObjectMixin,
    VisibleUsageMixin,
    crm_chooser_viewset_class,
    guarded_view_class,
)
from crm.admin.widgets import PersonChooser
from crm.models import OrganizationKind, Person
from crm.services import roles
from outreach.models import TRANSITIONS, AnswerChannel, Event, Registration, RegistrationStatus
from outreach.services import registration as registering

S = RegistrationStatus


class RegistrationFilterSet(WagtailFilterSet):
    event = django_filters.ModelChoiceFilter(label=_("event"), queryset=Event.objects.all())
    status = django_filters.ChoiceFilter(label=_("answer"), choices=S.choices)
    session = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("programme", "session"),
        queryset=Event.objects.filter(parent__isnull=False),
        field_name="session_choices__session",
    )
    language = django_filters.ChoiceFilter(
        label=_("language"), choices=lambda: list(settings.LANGUAGES)
    )
    country = django_filters.CharFilter(
        label=_("country (code)"), field_name="person__country", lookup_expr="iexact"
    )
    organization_kind = django_filters.ChoiceFilter(
        label=_("organization kind"),
        choices=OrganizationKind.choices,
        field_name="person__affiliations__organization__kind",
        distinct=True,
    )

    class Meta:
        model = Registration
        fields = []


ANSWERS = [
    ("accept", _("Accept")),
    ("decline", _("Decline")),
    ("cancel", _("Cancel the registration")),
    ("approve", _("Approve the request")),
    ("reject", _("Refuse the request")),
]
TARGET = {
    "accept": S.ACCEPTED,
    "decline": S.DECLINED,
    "cancel": S.CANCELLED,
    "approve": S.ACCEPTED,
    "reject": S.REJECTED,
}
STAFF_CHANNELS = [
    (AnswerChannel.PHONE, AnswerChannel.PHONE.label),
    (AnswerChannel.LETTER, AnswerChannel.LETTER.label),
    (AnswerChannel.STAFF, AnswerChannel.STAFF.label),
]


class AnswerOnBehalfForm(WagtailAdminModelForm):
    """An answer recorded or changed by staff. Never edits the registration's fields directly:
    `save()` calls the answer services."""

    answer = forms.ChoiceField(label=_("answer"), choices=ANSWERS)
    channel = forms.ChoiceField(
        label=_("received by"), choices=STAFF_CHANNELS, initial=AnswerChannel.PHONE
    )
    reason = forms.CharField(
        label=_("reason or note"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you change a guest's answer on their behalf."),
        required=False,
    )
    new_event = forms.ModelChoiceField(
        label=_("event"), queryset=Event.objects.all(), required=False
    )
    new_person = forms.ModelChoiceField(
        label=_("guest"),
        queryset=Person.objects.all(),
        widget=PersonChooser(multiple=False),
        required=False,
    )

    class Meta:
        model = Registration
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["new_person"].queryset = roles.visible_people(self.for_user)

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("answer")
        registration = self.instance
        if registration.pk is None:
            if not cleaned.get("new_event") or not cleaned.get("new_person"):
                raise ValidationError(_("Choose the event and the guest."))
            if answer in ("approve", "reject", "cancel"):
                raise ValidationError({"answer": _("The guest has not answered yet.")})
            return cleaned
        if answer in ("approve", "reject") and registration.status != S.REQUESTED:
            raise ValidationError({"answer": _("Only a pending request can be approved.")})
        if answer and TARGET[answer] not in TRANSITIONS.get(registration.status, frozenset()):
            raise ValidationError(
                {"answer": _("This answer is not possible from the current one.")}
            )
        if answer in ("accept", "decline", "cancel") and not (cleaned.get("reason") or "").strip():
            raise ValidationError({"reason": _("Say why you change the guest's answer.")})
        return cleaned

    def save(self, commit: bool = True) -> Registration:
        data = self.cleaned_data
        user = self.for_user
        answer, channel, reason = data["answer"], data["channel"], data.get("reason", "")
        registration = self.instance
        if registration.pk is None:
            event, person = data["new_event"], data["new_person"]
        else:
            event, person = registration.event, registration.person
        try:
            if answer == "accept":
                details = registering.AcceptInput()
                if registration.pk is not None:
                    details = registering.AcceptInput(
                        companions=[
                            registering.CompanionInput(c.name_native, c.name_latin)
                            for c in registration.companions.all()
                        ],
                        session_ids=list(
                            registration.session_choices.values_list("session_id", flat=True)
                        ),
                        answers=dict(registration.answers.values_list("question_id", "value")),
                    )
                outcome = registering.accept(
                    event, person, details, channel=channel, staff=user, reason=reason
                )
            elif answer == "decline":
                outcome = registering.decline(
                    event, person, channel=channel, staff=user, staff_reason=reason
                )
            elif answer == "approve":
                outcome = registering.approve_request(registration, staff=user)
            elif answer == "reject":
                outcome = registering.reject_request(registration, staff=user, reason=reason)
            else:
                outcome = registering.cancel_registration(registration, staff=user, reason=reason)
        except registering.RegistrationError as error:
            raise ValidationError(error.message, code=error.code) from error
        self.instance = outcome.registration
        return outcome.registration


def _guest_name(registration: Registration) -> str:
    return registration.person.display_name


class RegistrationIndexView(SpreadsheetSafeMixin, snippet_views.IndexView):
    masked_fields = {"person.primary_email_address": roles.mask_email}

    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("person", "event", "answered_by")
        visible = roles.visible_people(self.request.user)
        return queryset.filter(person__in=visible.values("pk"))


class RegistrationSaveMixin:
    def save_instance(self):
        self.new_revision = None
        return self.form.save()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs


class RegistrationCreateView(RegistrationSaveMixin, snippet_views.CreateView):
    pass


class RegistrationEditView(RegistrationSaveMixin, snippet_views.EditView):
    def get_object(self, *args, **kwargs):
        from django.http import Http404

        obj = super().get_object(*args, **kwargs)
        if not roles.can_view_person(self.request.user, obj.person):
            raise Http404
        return obj


class RegistrationViewSet(SnippetViewSet):
    """Through the access policy: listing, export, inspect, history, usage, edit and delete
    show or open only registrations of guests the user may see; the chooser likewise."""

    model = Registration
    chooser_viewset_class = crm_chooser_viewset_class()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = guarded_view_class(self.index_view_class, VisibleListingMixin)
        self.delete_view_class = guarded_view_class(self.delete_view_class, VisibleDeleteMixin)
        for name in ("edit_view_class", "usage_view_class", "history_view_class"):
            setattr(self, name, guarded_view_class(getattr(self, name), VisibleObjectMixin))
        self.inspect_view_class = guarded_view_class(self.inspect_view_class, VisibleObjectMixin)
        self.usage_view_class = guarded_view_class(self.usage_view_class, VisibleUsageMixin)

    icon = "list-ul"
    menu_label = _("Guest lists")
    menu_order = 151
    add_to_admin_menu = True
    index_view_class = RegistrationIndexView
    add_view_class = RegistrationCreateView
    edit_view_class = RegistrationEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = RegistrationFilterSet
    list_display = ["person", "event", "status", "places", "language", "channel", "answered_at"]
    search_fields = ["person__search_text"]  # folded names, emails, phones (see crm search)
    search_backend_name = None
    ordering = ["event", "status", "id"]
    list_export = [
        "event",
        "person",
        "person.primary_email_address",
        "status",
        "places",
        "language",
        "channel",
        "answered_by",
        "answered_at",
        "decline_reason",
    ]
    export_headings = {"person.primary_email_address": _("email")}
    inspect_view_fields = [
        "event",
        "person",
        "status",
        "places",
        "companions",
        "session_choices",
        "answers",
        "delegate_of",
        "answered_by",
        "channel",
        "decline_reason",
        "hold_until",
        "answered_at",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("new_event"),
            FieldPanel("new_person"),
            FieldPanel("answer"),
            FieldPanel("channel"),
            FieldPanel("reason"),
        ],
        base_form_class=AnswerOnBehalfForm,
    )
