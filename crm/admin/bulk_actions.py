"""Bulk actions on the people listing: tag, assign owner, add to segment."""

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from crm import access
from crm.admin.filters import staff_users
from crm.models import (
    Consent,
    Interaction,
    Organization,
    Person,
    Relationship,
    RelationshipType,
    Sector,
    Segment,
    SisterCityPartnership,
)
from crm.services import people as people_service
from crm.services import roles
from crm.services import segments as segment_service


class VisibleBulkActionMixin:
    """Bulk actions on CRM records: records the access policy hides are left out of the
    confirmation page and of the action, as if their ids had not been sent (never named, not
    even as "no permission")."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        return self._visible_only(objects, extra)

    def _visible_only(self, objects, extra):
        user = self.request.user
        extra = dict(extra)
        extra["items_with_no_access"] = [
            o for o in extra.get("items_with_no_access", []) if access.can_view(user, o)
        ]
        return [o for o in objects if access.can_view(user, o)], extra


class CrmDeleteBulkAction(VisibleBulkActionMixin, DeleteBulkAction):
    """Wagtail's bulk delete for the CRM's snippets, through the access policy (registered
    after Wagtail's own, which it replaces for these models)."""

    models = [
        Person,
        Organization,
        Interaction,
        Segment,
        SisterCityPartnership,
        Relationship,
        Consent,
        Sector,
        RelationshipType,
    ]

    @cached_property
    def _actionable_objects(self):
        objects, extra = DeleteBulkAction._actionable_objects.func(self)
        return self._visible_only(objects, extra)

    def get_actionable_objects(self):
        return self._actionable_objects


class PersonBulkAction(VisibleBulkActionMixin, SnippetBulkAction):
    models = [Person]
    template_name = "crm/admin/bulk_action_form.html"
    permission = "change"

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(Person.objects.filter(pk__in=object_ids))

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission, obj
        )

    def get_execution_context(self):
        return {"acting_user": self.request.user, "form_data": self.cleaned_form.cleaned_data}


class TagForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags to add"), help_text=_("Comma-separated, e.g. roadshow-2026, speaker")
    )


class TagPeopleBulkAction(PersonBulkAction):
    display_name = pgettext_lazy("verb", "Tag")
    action_type = "tag"
    aria_label = _("Tag the selected people")
    form_class = TagForm
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, acting_user=None, form_data=None, **kwargs):
        tags = [t.strip() for t in form_data["tags"].split(",") if t.strip()]
        return people_service.add_tags(objects, tags, acting_user=acting_user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d person tagged.", "%(count)d people tagged.", num_parent_objects
        ) % {"count": num_parent_objects}


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("New owner"), queryset=staff_users())


class AssignOwnerBulkAction(PersonBulkAction):
    display_name = _("Assign owner")
    action_type = "assign_owner"
    aria_label = _("Assign an owner to the selected people")
    form_class = OwnerForm
    action_priority = 20

    def check_perm(self, obj):
        # Handing records over is an administrator's call, or an owner giving away their own.
        return roles.is_administrator(self.request.user) or super().check_perm(obj)

    @classmethod
    def execute_action(cls, objects, acting_user=None, form_data=None, **kwargs):
        owner = form_data["owner"]
        return people_service.assign_owner(objects, owner, acting_user=acting_user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "Owner assigned to %(count)d person.",
            "Owner assigned to %(count)d people.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class SegmentForm(forms.Form):
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=Segment.objects.all())


class AddToSegmentBulkAction(PersonBulkAction):
    display_name = _("Add to segment")
    action_type = "add_to_segment"
    aria_label = _("Add the selected people to a segment")
    form_class = SegmentForm
    action_priority = 30
    permission = "view"

    def check_perm(self, obj):
        return self.request.user.has_perm("crm.change_segment") and super().check_perm(obj)

    @classmethod
    def execute_action(cls, objects, acting_user=None, form_data=None, **kwargs):
        segment = form_data["segment"]
        return people_service.add_to_segment(objects, segment, acting_user=acting_user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        added = ngettext(
            "%(count)d person added to the segment.",
            "%(count)d people added to the segment.",
            num_parent_objects,
        ) % {"count": num_parent_objects}
        segment = self.cleaned_form.cleaned_data["segment"]
        reasons = segment_service.why_left_out(segment, self.actionable_objects)
        left_out = sum(reasons.values())
        if not left_out:
            return added
        why = []
        if reasons["no_consent"]:
            why.append(
                gettext("%(count)s without consent for “%(purpose)s”")
                % {"count": reasons["no_consent"], "purpose": segment.get_consent_purpose_display()}
            )
        if reasons["do_not_contact"]:
            why.append(
                gettext("%(count)s marked do-not-contact") % {"count": reasons["do_not_contact"]}
            )
        if reasons["erased"]:
            why.append(gettext("%(count)s erased on request") % {"count": reasons["erased"]})
        return ngettext(
            "%(added)s But %(count)d of them is not in its audience: %(why)s.",
            "%(added)s But %(count)d of them are not in its audience: %(why)s.",
            left_out,
        ) % {"added": added, "count": left_out, "why": pgettext("list separator", ", ").join(why)}
