from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from alliances.access import Action, can, visible_alliances, visible_organisations
from alliances.forms import VisibleAllianceName, VisibleOrganisationName
from alliances.models import KPI, Alliance, Membership, Organisation
from alliances.names import new_alliance_slug


def _alliance_filter(request, path: str) -> dict:
    return {f"{path}__in" if path else "pk__in": visible_alliances(request.user).values("pk")}


class RealIdAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete looks the posted value up to show it again; a value that is
    no id of the related model (a hand-made request: "²", 20 digits) would crash that
    lookup with a 500. Such a value is shown as nothing chosen; the form refuses it."""

    def optgroups(self, name, value, attr=None):
        related = self.field.remote_field
        to_field = related.model._meta.get_field(related.field_name)
        return super().optgroups(name, [v for v in value if _is_id(to_field, v)], attr)


def _is_id(field, value) -> bool:
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, whose history pages filter by the URL's ids as given:
    one that is no id of the model (a hand-made "²", 20 digits) would crash the query with
    a 500. Such a page does not exist: a 404."""

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._ensure_ids(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _ensure_ids(self, object_id, version_id=None) -> None:
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        history_id = history.model._meta.pk
        if not _is_id(self.model._meta.pk, unquote(str(object_id))) or (
            version_id is not None and not _is_id(history_id, str(version_id))
        ):
            raise Http404


class RealIdAutocomplete:
    """An admin (or inline) whose autocomplete fields survive a value that is no id."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RealIdAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AllianceScopedInline(RealIdAutocomplete):
    """An inline listing alliance-owned rows: for anyone but superusers, only those of
    alliances they may see. `alliance_path` is the lookup from the model to its
    alliance ("" for Alliance itself)."""

    alliance_path = "alliance"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**_alliance_filter(request, self.alliance_path))


class AllianceScopedAdmin(AllianceScopedInline):
    """The admin of an object that belongs to an alliance applies alliances/access.py
    to everyone but superusers: lists hold only alliances they may see, another
    object's page is a 404, and changing needs the right to edit the alliance."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not request.user.is_superuser:
            raise Http404(_("No such object."))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history would find a hidden object through its history rows.
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def alliance_of(self, obj) -> Alliance | None:
        try:
            for name in filter(None, self.alliance_path.split("__")):
                obj = getattr(obj, name)
        except ObjectDoesNotExist:
            return None
        return obj

    def _may(self, request, obj, action: Action) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        alliance = self.alliance_of(obj)
        return alliance is not None and can(request.user, action, alliance)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and self._may(request, obj, Action.VIEW)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._may(request, obj, Action.EDIT)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._may(request, obj, Action.EDIT)


class VisibleNamesAdmin:
    """The admin's forms check names as the pages do: unique among what the signed-in
    user may see (alliances/names.py), so a refusal reveals nothing hidden."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A subclass per request: the user is not set on a class other requests share.
        return type(form.__name__, (form,), {"name_user": request.user})


class OrganisationAdminForm(VisibleOrganisationName, forms.ModelForm):
    pass


class AllianceAdminForm(VisibleAllianceName, forms.ModelForm):
    pass


@admin.register(Organisation)
class OrganisationAdmin(VisibleNamesAdmin, admin.ModelAdmin):
    form = OrganisationAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "industry", "country", "size_band", "is_own"]
    list_filter = ["is_own", "size_band", "country"]
    search_fields = ["name", "industry", "country"]

    def get_queryset(self, request):
        # A partner known only from hidden alliances is hidden here too (and from the
        # partner autocomplete of the alliance admin).
        if request.user.is_superuser:
            return super().get_queryset(request)
        return visible_organisations(request.user)


class MembershipInline(RealIdAutocomplete, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class KPIInline(admin.TabularInline):
    model = KPI
    extra = 0


@admin.register(Alliance)
class AllianceAdmin(VisibleNamesAdmin, AllianceScopedAdmin, HistoryAdmin):
    form = AllianceAdminForm
    alliance_path = ""
    list_display = ["name", "partner", "type", "stage", "origin", "is_confidential", "is_archived"]
    list_filter = ["stage", "type", "origin", "is_confidential", "is_archived"]
    search_fields = ["name", "slug", "partner__name", "objectives"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
    inlines = [MembershipInline, KPIInline]

    # Only a superuser (who sees every alliance) types a slug: for anyone else a taken
    # slug's refusal would reveal a hidden alliance, so theirs is made as the pages'.
    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else (*fields, "slug")

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = new_alliance_slug(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(AllianceScopedAdmin, HistoryAdmin):
    list_display = ["alliance", "user", "role", "added_at"]
    list_filter = ["role"]
    search_fields = ["alliance__name", "user__username", "user__email"]
    list_select_related = ["alliance", "user"]
    autocomplete_fields = ["alliance", "user"]


@admin.register(KPI)
class KPIAdmin(AllianceScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "alliance", "category", "target", "actual", "period", "is_current"]
    list_filter = ["category", "is_current"]
    search_fields = ["name", "alliance__name", "period"]
    list_select_related = ["alliance"]
    autocomplete_fields = ["alliance"]
