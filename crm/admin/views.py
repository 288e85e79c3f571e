"""Wagtail admin views of the CRM. They check permissions and call crm.services; nothing here
writes to the database directly."""

from __future__ import annotations

import json

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.widgets import AdminSnippetChooser

from crm import access
from crm.languages import languages_display
from crm.models import Affiliation, Consent, Person, Relationship, Segment
from crm.services import interactions as interaction_service
from crm.services import people as people_service
from crm.services import privacy, roles
from crm.services import segments as segment_service
from crm.services.exports import escape_formula
from crm.services.search import SEARCH_RESULT_CAP, search_organizations
from crm.services.timeline import timeline_for

from .duplicates import merges_into


# --- listing columns that mask personal contact details for viewers -------------------------
class PrimaryEmailColumn(Column):
    def get_value(self, instance):
        email = instance.primary_email
        return email.email if email else ""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if context["value"] and not roles.can_see_contact_details(getattr(request, "user", None)):
            context["value"] = roles.mask_email(context["value"])
        return context


class SpreadsheetSafeMixin:
    """CSV/XLSX exports: formulas escaped; contact details masked for users without the right."""

    masked_fields = {"primary_email_address": roles.mask_email, "primary_phone": roles.mask_phone}

    def preprocess_field_value(self, field, value, export_format):
        if (
            field in self.masked_fields
            and value
            and not roles.can_see_contact_details(self.request.user)
        ):
            value = self.masked_fields[field](value)
        value = super().preprocess_field_value(field, value, export_format)
        return escape_formula(value)


class SpreadsheetSafeIndexView(SpreadsheetSafeMixin, snippet_views.IndexView):
    """The listing every snippet viewset with an export uses (crm's and outreach's)."""


class VisibleObjectMixin:
    """Object views (edit, delete, inspect, history, usage...): a record the access policy
    hides (crm.access.can_view) is 404; edit and delete need object-level permission
    (officers: what they own)."""

    object_permission = None

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        user = self.request.user
        if not access.can_view(user, obj):
            raise Http404
        if self.object_permission and not self.permission_policy.user_has_permission_for_instance(
            user, self.object_permission, obj
        ):
            raise PermissionDenied
        return obj


class VisibleUsageMixin:
    """Usage views ("used by"): a record that uses this one but is hidden from the user (an
    RSVP of a restricted guest, say) is left out of the list, never named."""

    def get_table(self, object_list, **kwargs):
        user = self.request.user
        shown = [(obj, refs) for obj, refs in object_list if access.can_view(user, obj)]
        return super().get_table(shown, **kwargs)


class VisibleListingMixin:
    """Listings (and their CSV/XLSX exports): only the records the access policy shows."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return access.visible_queryset(self.request.user, self.model, queryset)


class VisibleChangeMixin(VisibleObjectMixin):
    """Edit views: object-level "change" (officers: what they own; consents: never)."""

    object_permission = "change"


class VisibleDeleteMixin(VisibleObjectMixin):
    object_permission = "delete"


class PersonLinkCheckMixin:
    """Create and edit views: every person the form links (or unlinks) must be one the user
    may change (or, for references such as an assistant or a segment's additions, see)."""

    def form_valid(self, form):
        try:
            access.check_form_person_links(self.request.user, form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            self.produced_error_message = str(exc)  # Wagtail's form_invalid shows it
            return self.form_invalid(form)
        return super().form_valid(form)


def guarded_view_class(view_class, mixin):
    """`view_class` with `mixin` in front, once (for the viewsets' default view classes)."""
    if issubclass(view_class, mixin):
        return view_class
    return type(view_class.__name__, (mixin, view_class), {"__module__": __name__})


# --- choosers -------------------------------------------------------------------------------
class ChooserSearchForm(BaseFilterForm):
    q = forms.CharField(label=gettext_lazy("Search term"), required=False)

    def filter(self, objects):
        # The view searches (it knows who is asking); the form only reports the term.
        self.search_query = self.cleaned_data.get("q") or None
        self.is_searching = bool(self.search_query)
        return objects


class VisibleChooseMixin:
    """Wagtail's snippet chooser, listing only what the user may see; people are searched as
    in the people listing (names; contact details only as far as the user may see them)."""

    filter_form_class = ChooserSearchForm

    def get_object_list(self):
        return access.visible_queryset(self.request.user, self.model_class)

    def filter_object_list(self, objects):
        objects = super().filter_object_list(objects)
        form = getattr(self, "filter_form", None)
        term = form.cleaned_data.get("q") if form is not None and form.is_valid() else ""
        if term and self.model_class is Person:
            objects, _capped = access.search_people(self.request.user, objects, term)
        elif term and hasattr(self.model_class, "search_text"):
            objects = search_organizations(objects, term)
        elif term:
            # By the name columns the model has ("name", or "name_en"/"name_zh"...).
            names = [
                f.name
                for f in self.model_class._meta.concrete_fields
                if f.name == "name" or f.name.startswith("name_")
            ]
            query = Q()
            for name in names:
                query |= Q(**{f"{name}__icontains": term})
            objects = objects.filter(query) if names else objects.none()
        return objects


class VisibleChosenMixin:
    def get_object(self, pk):
        obj = super().get_object(pk)
        if not access.can_view(self.request.user, obj):
            raise Http404
        return obj

    def get_objects(self, pks):
        pks = [pk for pk in pks if str(pk).isdigit()]
        return access.visible_queryset(self.request.user, self.model_class).filter(pk__in=pks)


class NoCreationMixin:
    """CRM records are created through their own forms (which call the services and check the
    people they link), never from a chooser."""

    def can_create(self):
        return False


def crm_chooser_viewset_class():
    from wagtail.snippets.views import chooser

    class CrmChooserViewSet(chooser.SnippetChooserViewSet):
        choose_view_class = guarded_view_class(
            guarded_view_class(chooser.ChooseView, VisibleChooseMixin), NoCreationMixin
        )
        choose_results_view_class = guarded_view_class(
            guarded_view_class(chooser.ChooseResultsView, VisibleChooseMixin), NoCreationMixin
        )
        create_view_class = guarded_view_class(chooser.SnippetCreateView, NoCreationMixin)
        chosen_view_class = guarded_view_class(chooser.SnippetChosenView, VisibleChosenMixin)
        chosen_multiple_view_class = guarded_view_class(
            chooser.SnippetChosenMultipleView, VisibleChosenMixin
        )

    return CrmChooserViewSet


# --- people ---------------------------------------------------------------------------------
class FastCountPaginator(WagtailPaginator):
    """Counts the unfiltered people listing as two index-only counts (people not restricted +
    restricted people the user owns) instead of one scan of every row."""

    @cached_property
    def count(self):
        fast = getattr(self.object_list, "crm_fast_count", None)
        return fast() if fast else super().count


class ProfileLinkMixin:
    """A record's name in a listing opens its profile (the inspect page, which has the edit
    button): staff look people up far more often than they change them."""

    def _get_title_column(self, *args, **kwargs):
        column = super()._get_title_column(*args, **kwargs)
        column._get_url_func = self.get_inspect_url
        return column


class PersonIndexView(ProfileLinkMixin, SpreadsheetSafeMixin, snippet_views.IndexView):
    paginator_class = FastCountPaginator

    search_capped = False

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.search_capped:
            messages.info(
                self.request,
                _("More than %(cap)s people match; %(cap)s are listed. Refine the search.")
                % {"cap": f"{SEARCH_RESULT_CAP:,}"},
            )
        elif not self.is_searching and not self.is_filtering:
            user = self.request.user
            queryset.crm_fast_count = lambda: roles.count_visible_people(user)
        return queryset

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        current = Affiliation.objects.filter(end_date__isnull=True).select_related("organization")
        return access.visible_people(self.request.user, queryset).prefetch_related(
            "emails", Prefetch("affiliations", queryset=current, to_attr="current_affiliations")
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        queryset, self.search_capped = access.search_people(
            self.request.user, queryset, self.search_query
        )
        return queryset


class PersonCreateView(snippet_views.CreateView):
    def save_instance(self):
        self.new_revision = None
        person = people_service.save_person_from_form(
            self.form, acting_user=self.request.user, created=True
        )
        if not person.owner_id and not roles.is_administrator(self.request.user):
            # An officer's new contact is theirs to edit.
            people_service.assign_owner([person], self.request.user, acting_user=self.request.user)
        return person


class PersonEditView(VisibleObjectMixin, snippet_views.EditView):
    object_permission = "change"

    def save_instance(self):
        self.new_revision = None
        return people_service.save_person_from_form(
            self.form, acting_user=self.request.user, created=False
        )


class PersonDeleteView(VisibleObjectMixin, snippet_views.DeleteView):
    object_permission = "delete"


class PersonHistoryView(VisibleObjectMixin, snippet_views.HistoryView):
    pass


class PersonInspectView(VisibleObjectMixin, snippet_views.InspectView):
    template_name = "crm/admin/person_inspect.html"

    def get_object(self, queryset=None):
        obj = get_object_or_404(
            Person.objects.select_related("owner", "assistant"), pk=unquote(str(self.pk))
        )
        if not roles.can_view_person(self.request.user, obj):
            raise Http404
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        details = roles.can_see_contact_details(user)
        context.update(
            {
                "person": person,
                "can_see_contact_details": details,
                "emails": [
                    (e.email if details else roles.mask_email(e.email), e.is_primary)
                    for e in person.emails.all()
                ],
                "phones": [
                    (
                        str(p.number) if details else roles.mask_phone(p.number),
                        p.get_kind_display(),
                    )
                    for p in person.phones.all()
                ],
                "handles": list(person.handles.all()) if details else [],
                "affiliations": person.affiliations.select_related("organization"),
                "assistant_name": access.person_name(user, person.assistant),
                "relationships": [
                    (r.type.forward_label, r.to_person or r.to_organization)
                    for r in access.visible_relationships(
                        user, Relationship.objects.filter(from_person=person)
                    ).select_related("type", "to_person", "to_organization")
                ]
                + [
                    (r.type.reverse_label, r.from_person or r.from_organization)
                    for r in access.visible_relationships(
                        user, Relationship.objects.filter(to_person=person)
                    ).select_related("type", "from_person", "from_organization")
                ],
                "consents": Consent.objects.filter(person=person),
                "segments": Segment.objects.filter(additions=person).order_by("name"),
                "timeline": timeline_for(person, user),
                "extra_sections": [
                    section
                    for hook in hooks.get_hooks("crm_person_profile_sections")
                    for section in (hook(person, user) or [])
                ],
                "extra_actions": [
                    action
                    for hook in hooks.get_hooks("crm_person_quick_actions")
                    for action in (hook(person, user) or [])
                ],
                "can_edit": roles.can_change(user, person),
                "can_log": user.has_perm("crm.add_interaction"),
                "can_record_consent": user.has_perm("crm.add_consent"),
                "add_to_segment_url": reverse(
                    "wagtail_bulk_action", args=["crm", "person", "add_to_segment"]
                )
                + f"?id={person.pk}&next="
                + reverse("wagtailsnippets_crm_person:inspect", args=[person.pk]),
                "can_export": user.has_perm("crm.export_personal_data"),
                "can_erase": user.has_perm("crm.erase_person") and not person.erased_at,
                "merges": merges_into(person) if user.has_perm("crm.merge_people") else [],
            }
        )
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        user = self.request.user
        if user.has_perm("crm.export_personal_data"):
            buttons.append(
                Button(
                    _("Export personal data (JSON)"),
                    url=reverse("crm_person_export", args=[self.object.pk]),
                    icon_name="download",
                    priority=30,
                )
            )
        if user.has_perm("crm.merge_people") and not self.object.erased_at:
            buttons.append(
                Button(
                    _("Merge a duplicate into this contact"),
                    url=reverse("crm_person_merge", args=[self.object.pk]),
                    icon_name="resubmit",
                    priority=35,
                )
            )
        if user.has_perm("crm.erase_person") and not self.object.erased_at:
            buttons.append(
                Button(
                    _("Erase on request"),
                    url=reverse("crm_person_erase", args=[self.object.pk]),
                    icon_name="bin",
                    priority=40,
                )
            )
        return buttons


def _visible_person_or_404(request, pk) -> Person:
    person = get_object_or_404(Person, pk=pk)
    if not roles.can_view_person(request.user, person):
        raise Http404
    return person


def person_export(request, pk):
    if not request.user.has_perm("crm.export_personal_data"):
        raise PermissionDenied
    person = _visible_person_or_404(request, pk)
    data = privacy.export_person_data(person, acting_user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def person_erase(request, pk):
    if not request.user.has_perm("crm.erase_person"):
        raise PermissionDenied
    person = _visible_person_or_404(request, pk)
    if request.method == "POST":
        privacy.erase_person(person, acting_user=request.user)
        messages.success(request, _("The contact's personal data has been erased."))
        return redirect("wagtailsnippets_crm_person:inspect", person.pk)
    return TemplateResponse(request, "crm/admin/person_erase.html", {"person": person})


# --- organizations, interactions, segments --------------------------------------------------
class OrganizationIndexView(
    ProfileLinkMixin, SpreadsheetSafeMixin, VisibleListingMixin, snippet_views.IndexView
):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_organizations(queryset, self.search_query)


class OwnedEditView(VisibleObjectMixin, snippet_views.EditView):
    object_permission = "change"


class OwnedDeleteView(VisibleObjectMixin, snippet_views.DeleteView):
    object_permission = "delete"


class PrefilledFromQueryMixin:
    """ "Log an interaction" / "Record consent" on a profile page open the form with the person
    or organization already chosen (?person=<id>, ?organization=<id>)."""

    prefill: dict[str, tuple[str, bool]] = {}  # query parameter -> (form field, many)

    def get_initial(self):
        initial = super().get_initial()
        for parameter, (field, many) in self.prefill.items():
            value = self.request.GET.get(parameter, "")
            if value.isdigit():
                initial[field] = [int(value)] if many else int(value)
        return initial


class InteractionCreateView(PrefilledFromQueryMixin, snippet_views.CreateView):
    prefill = {"person": ("people", True), "organization": ("organizations", True)}

    def save_instance(self):
        self.new_revision = None
        return interaction_service.save_interaction_from_form(
            self.form, acting_user=self.request.user, created=True
        )


class InteractionEditView(OwnedEditView):
    def save_instance(self):
        self.new_revision = None
        return interaction_service.save_interaction_from_form(
            self.form, acting_user=self.request.user, created=False
        )


class SegmentCreateView(snippet_views.CreateView):
    def save_instance(self):
        self.new_revision = None
        return segment_service.save_segment_from_form(
            self.form, acting_user=self.request.user, created=True
        )


class SegmentEditView(snippet_views.EditView):
    def save_instance(self):
        self.new_revision = None
        return segment_service.save_segment_from_form(
            self.form, acting_user=self.request.user, created=False
        )


class SegmentIndexView(SpreadsheetSafeMixin, VisibleListingMixin, snippet_views.IndexView):
    pass


class SegmentCountColumn(Column):
    def get_value(self, instance):
        return segment_service.segment_count(instance)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if request is not None:
            # Count only the people the user may see.
            context["value"] = access.visible_people(
                request.user, segment_service.resolve_segment_queryset(instance)
            ).count()
        return context


@require_http_methods(["POST"])
def segment_preview(request):
    """Live count while editing: the form's current (unsaved) values -> count and a sample."""
    if not request.user.has_perm("crm.view_segment"):
        raise PermissionDenied
    form_class = _segment_edit_handler().get_form_class()
    bound = form_class(request.POST, for_user=request.user)
    bound.is_valid()  # partial input is fine: preview what is valid so far
    spec = segment_service.spec_from_data(getattr(bound, "cleaned_data", {}))
    return JsonResponse(segment_service.preview(spec, user=request.user))


def _segment_edit_handler():
    from crm.wagtail_hooks import segment_viewset

    return segment_viewset.get_edit_handler()


# --- follow-ups -------------------------------------------------------------------------------
def my_follow_ups(request):
    if not request.user.has_perm("crm.view_interaction"):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "crm/admin/follow_ups.html",
        {
            "follow_ups": access.visible_interactions(
                request.user, interaction_service.follow_ups_for(request.user)
            )
            .prefetch_related("people")
            .select_related("follow_up_owner"),
            "page_title": gettext_lazy("My follow-ups"),
        },
    )


@require_http_methods(["POST"])
def complete_follow_up(request, pk):

    interaction = get_object_or_404(access.visible_interactions(request.user), pk=pk)
    if not (
        interaction.follow_up_owner_id == request.user.pk
        or interaction.staff.filter(pk=request.user.pk).exists()
        or roles.is_administrator(request.user)
    ):
        raise PermissionDenied
    interaction_service.complete_follow_up(interaction, acting_user=request.user)
    messages.success(request, _("Follow-up marked as done."))
    return redirect("crm_follow_ups")


# --- merge ------------------------------------------------------------------------------------
class MergeForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        label=gettext_lazy("Duplicate to merge into this contact"),
        queryset=Person.objects.filter(erased_at__isnull=True),
        widget=AdminSnippetChooser(Person),
        help_text=gettext_lazy(
            "Its emails, phones, affiliations, consents, interactions, relationships, tags and "
            "segment memberships move to this contact; then it is deleted."
        ),
    )


@require_http_methods(["GET", "POST"])
def person_merge(request, pk):
    if not request.user.has_perm("crm.merge_people"):
        raise PermissionDenied
    keep = _visible_person_or_404(request, pk)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        drop = form.cleaned_data["duplicate"]
        if not roles.can_view_person(request.user, drop):
            raise Http404
        try:
            people_service.merge_people(keep, drop, acting_user=request.user)
        except ValidationError as exc:
            form.add_error("duplicate", exc)
        else:
            messages.success(request, _("The duplicate has been merged into this contact."))
            return redirect("wagtailsnippets_crm_person:inspect", keep.pk)
    return TemplateResponse(request, "crm/admin/person_merge.html", {"person": keep, "form": form})


# --- person lookup for the person chooser (crm.admin.widgets.PersonChooser) -----------------------
PERSON_LOOKUP_LIMIT = 20
# Matches read from the trigram index before ordering by name: enough for the 20 shown to be
# the first by name of a typical search, bounded whatever the table size.
PERSON_LOOKUP_CANDIDATES = 200


def person_lookup(request):
    """Up to 20 people matching ?q= (any name form, email or phone), as JSON for the person
    chooser: the people listing's search and visibility (restricted people only for their owner
    and administrators; contact details masked for viewers)."""
    from crm.admin.widgets import people_for_labels, person_detail, person_label
    from crm.permissions import CrmPermissionPolicy

    policy = CrmPermissionPolicy(Person)
    if not policy.user_has_any_permission(request.user, ["add", "change", "delete", "view"]):
        raise PermissionDenied
    term = (request.GET.get("q") or "").strip()
    if not term:
        return JsonResponse(
            {
                "query": "",
                "results": [],
                "more": False,
                "message": _("Type a name, email or phone number to search."),
            }
        )
    visible = access.visible_people(request.user).filter(erased_at__isnull=True)
    matches, capped = access.search_people(
        request.user, visible, term, cap=PERSON_LOOKUP_CANDIDATES
    )
    people = list(
        people_for_labels(matches.order_by(*Person._meta.ordering))[: PERSON_LOOKUP_LIMIT + 1]
    )
    more = capped or len(people) > PERSON_LOOKUP_LIMIT
    results = [
        {
            "id": person.pk,
            "label": person_label(person),
            "detail": person_detail(person, request.user),
        }
        for person in people[:PERSON_LOOKUP_LIMIT]
    ]
    return JsonResponse(
        {
            "query": term,
            "results": results,
            "more": more,
            "message": "" if results else _("No one found for “%(query)s”.") % {"query": term},
        }
    )


# --- wagtail-localize's snippet API ---------------------------------------------------------
def localize_snippets_api_view(actions):
    """wagtail-localize's snippet lookup API lists any snippet model by name to anyone who may
    use the admin. Served instead (same URLs, see config/urls.py): only translatable models,
    only to users with a permission on the model, only the records the access policy shows."""
    from wagtail.models import TranslatableMixin
    from wagtail_localize.views.snippets_api import SnippetViewSet as LocalizeSnippetViewSet

    class VisibleSnippetViewSet(LocalizeSnippetViewSet):
        def get_model(self):
            model = super().get_model()
            opts = model._meta
            user = self.request.user
            if not issubclass(model, TranslatableMixin) or not any(
                user.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}")
                for verb in ("add", "change", "delete", "view")
            ):
                raise Http404
            return model

        def get_queryset(self):
            return access.visible_queryset(self.request.user, self.get_model())

    from wagtail.admin.auth import require_admin_access

    return require_admin_access(VisibleSnippetViewSet.as_view(actions))


# --- the site history report ------------------------------------------------------------------
def site_history_view_class():
    """Wagtail's site history (audit log report), through the access policy: entries about
    records hidden from the user keep their place but get a neutral label; a search by name
    leaves them out (a match would confirm the name)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from wagtail.admin.views.reports.audit_logging import LogEntriesView

    class VisibleLogEntriesView(LogEntriesView):
        def filter_queryset(self, queryset):
            queryset = super().filter_queryset(queryset)
            user = self.request.user
            if access.can_see_restricted(user) or not self.request.GET.get("label"):
                return queryset
            if "object_id" not in {f.name for f in queryset.model._meta.get_fields()}:
                return queryset
            hidden = Q(pk__in=[])
            for model in apps_with_hidden_records():
                hidden |= Q(
                    content_type=ContentType.objects.get_for_model(model),
                    object_id__in=access.hidden_ids_subquery(user, model),
                )
            return queryset.exclude(hidden)

        def decorate_paginated_queryset(self, queryset):
            entries = super().decorate_paginated_queryset(queryset)
            user = self.request.user
            if access.can_see_restricted(user):
                return entries
            by_type: dict = {}
            for entry in entries:
                object_id = getattr(entry, "object_id", None)
                if object_id is not None:
                    by_type.setdefault(entry.content_type_id, []).append(entry)
            for content_type_id, group in by_type.items():
                model = ContentType.objects.get_for_id(content_type_id).model_class()
                if model is None or not access.has_hidden_records(model):
                    continue
                hidden = access.hidden_object_ids(user, model, [e.object_id for e in group])
                for entry in group:
                    if entry.object_id in hidden:
                        entry.label = str(access.RESTRICTED_LABEL)
                        entry.data = {}
            return entries

    return VisibleLogEntriesView


def apps_with_hidden_records():
    from django.apps import apps

    return [m for m in apps.get_models() if access.has_hidden_records(m)]


class ReadableInspectView(snippet_views.InspectView):
    """Wagtail's inspect page prints an empty value as "None" and a flag as "True"/"False"."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "-"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value


class SegmentInspectView(ReadableInspectView):
    """Countries by name; Django's get_FOO_display cannot handle a multiple CountryField."""

    def get_countries_display_value(self):
        return pgettext("list separator", ", ").join(c.name for c in self.object.countries)

    def get_languages_display_value(self):
        return languages_display(self.object.languages)


class CurrentPositionColumn(Column):
    """ "Position · organization" of the current affiliation (primary first), so that five people
    with the same name can be told apart in a list."""

    def get_value(self, instance):
        affiliations = sorted(
            getattr(instance, "current_affiliations", []), key=lambda a: not a.is_primary
        )
        if not affiliations:
            return ""
        first = affiliations[0]
        return " · ".join(part for part in (first.position, str(first.organization)) if part)


class OrganizationProfileView(VisibleObjectMixin, snippet_views.InspectView):
    """An organization's profile: its people now and before, its sub-organizations,
    partnerships, interactions and (through the crm_organization_profile_sections hook) what
    other apps know, such as the events it organized."""

    template_name = "crm/admin/organization_profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization, user = self.object, self.request.user
        visible = roles.visible_people(user, Person.objects.all())
        affiliations = (
            organization.affiliations.filter(person__in=visible)
            .select_related("person")
            .order_by("-is_primary", "person__family_name")
        )
        extra_sections = []
        for hook in hooks.get_hooks("crm_organization_profile_sections"):
            extra_sections.extend(hook(organization, user) or [])
        context.update(
            {
                "organization": organization,
                "current_people": [a for a in affiliations if a.end_date is None],
                "past_people": [a for a in affiliations if a.end_date is not None],
                "children": organization.children.order_by("name"),
                "partnerships": organization.partnerships.order_by("-established_on"),
                "interactions": organization.interactions.order_by("-occurred_on")[:20],
                "extra_sections": extra_sections,
                "can_edit": roles.can_change(user, organization),
            }
        )
        return context


class ConsentCreateView(PrefilledFromQueryMixin, snippet_views.CreateView):
    prefill = {"person": ("person", False)}

    def get_success_url(self):
        person = getattr(self.object, "person_id", None)
        if person:
            return reverse("wagtailsnippets_crm_person:inspect", args=[person])
        return super().get_success_url()
