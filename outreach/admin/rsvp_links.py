"""Revoked RSVP links in the Wagtail admin (menu "Guest lists" > "Revoked RSVP links").

"Add" revokes a guest's personal link to an event (the invitation they were sent), optionally
mailing them a new one at once; "Edit" on a revoked link mails a new one later. Both call
outreach.services.rsvp_links (audited on the invitation). Listing, inspect, history, edit and
delete go through the access policy: a restricted guest's revocation is shown only to those
who may see them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from crm import access
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
from crm.models import Person
from outreach.models import Event, Message, RevokedRsvpLink
from outreach.services import rsvp_links


def invitation_for(event: Event, person: Person) -> Message | None:
    """The latest invitation to `event` for `person`."""
    return (
        Message.objects.filter(campaign__event=event, person=person)
        .select_related("campaign")
        .order_by("-id")
        .first()
    )


class RevokeLinkForm(WagtailAdminModelForm):
    """Never edits the row directly: `save()` calls the service."""

    event = forms.ModelChoiceField(label=_("event"), queryset=Event.objects.all(), required=False)
    guest = forms.ModelChoiceField(
        label=_("guest"),
        queryset=Person.objects.all(),
        widget=PersonChooser(multiple=False),
        required=False,
    )
    revoke_reason = forms.CharField(
        label=_("reason"),
        max_length=255,
        required=False,
        help_text=_("For example: the invitation was forwarded, or sent to the wrong address."),
    )
    send_new_link = forms.BooleanField(
        label=_("Mail the guest a new personal link"),
        required=False,
        help_text=_("The revoked link stays refused; the new one works."),
    )

    class Meta:
        model = RevokedRsvpLink
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["guest"].queryset = access.visible_people(self.for_user)
        if self.instance.pk is not None:  # a revoked link: only "send a new link" is asked
            invitation = self.instance.invitation
            self.initial.update(
                event=invitation.campaign.event_id,
                guest=invitation.person_id,
                revoke_reason=self.instance.reason,
            )
            for name in ("event", "guest", "revoke_reason"):
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            if not cleaned.get("send_new_link"):
                raise ValidationError({"send_new_link": _("Tick this to send a new link.")})
            return cleaned
        event, guest = cleaned.get("event"), cleaned.get("guest")
        if not event or not guest:
            raise ValidationError(_("Choose the event and the guest."))
        message = invitation_for(event, guest)
        if message is None:
            raise ValidationError(_("This guest was sent no invitation to this event."))
        self.invitation = message
        return cleaned

    def save(self, commit: bool = True) -> RevokedRsvpLink:
        data = self.cleaned_data
        try:
            if self.instance.pk is None:
                revocation = rsvp_links.revoke_link(
                    self.invitation,
                    staff=self.for_user,
                    reason=data.get("revoke_reason", ""),
                    reissue=bool(data.get("send_new_link")),
                )
            else:
                revocation = rsvp_links.reissue_link(self.instance, staff=self.for_user)
        except rsvp_links.RsvpLinkError as error:
            raise ValidationError(error.message, code=error.code) from error
        self.instance = revocation
        return revocation


class RevokedLinkSaveMixin:
    def save_instance(self):
        self.new_revision = None
        return self.form.save()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs


class RevokedLinkCreateView(RevokedLinkSaveMixin, snippet_views.CreateView):
    pass


class RevokedLinkEditView(RevokedLinkSaveMixin, VisibleObjectMixin, snippet_views.EditView):
    pass


class RevokedLinkIndexView(SpreadsheetSafeMixin, snippet_views.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("invitation__person", "invitation__campaign__event", "revoked_by")
        )


def _guest(revocation: RevokedRsvpLink) -> str:
    return str(revocation.invitation.person or "")


def _event(revocation: RevokedRsvpLink) -> str:
    return str(revocation.invitation.campaign.event or "")


class RevokedRsvpLinkViewSet(SnippetViewSet):
    model = RevokedRsvpLink
    chooser_viewset_class = crm_chooser_viewset_class()
    icon = "cross"
    menu_label = _("Revoked RSVP links")
    menu_order = 152
    add_to_admin_menu = True
    index_view_class = RevokedLinkIndexView
    add_view_class = RevokedLinkCreateView
    edit_view_class = RevokedLinkEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("guest", label=_("guest"), accessor=_guest),
        Column("event", label=_("event"), accessor=_event),
        "revoked_at",
        "revoked_by",
        "reason",
        "reissued_at",
    ]
    list_export = ["invitation", "revoked_at", "revoked_by", "reason", "reissued_at"]
    ordering = ["-revoked_at"]
    inspect_view_fields = ["invitation", "revoked_at", "revoked_by", "reason", "reissued_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("event"),
            FieldPanel("guest"),
            FieldPanel("revoke_reason"),
            FieldPanel("send_new_link"),
        ],
        base_form_class=RevokeLinkForm,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_view_class = guarded_view_class(self.index_view_class, VisibleListingMixin)
        self.delete_view_class = guarded_view_class(self.delete_view_class, VisibleDeleteMixin)
        for name in ("usage_view_class", "history_view_class", "inspect_view_class"):
            setattr(self, name, guarded_view_class(getattr(self, name), VisibleObjectMixin))
        self.usage_view_class = guarded_view_class(self.usage_view_class, VisibleUsageMixin)
