from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from alliances.models import KPI, Alliance, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "industry", "country", "size_band", "is_own"]
    list_filter = ["is_own", "size_band", "country"]
    search_fields = ["name", "industry", "country"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class KPIInline(admin.TabularInline):
    model = KPI
    extra = 0


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partner", "type", "stage", "origin", "is_confidential", "is_archived"]
    list_filter = ["stage", "type", "origin", "is_confidential", "is_archived"]
    search_fields = ["name", "slug", "partner__name", "objectives"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
    inlines = [MembershipInline, KPIInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["alliance", "user", "role", "added_at"]
    list_filter = ["role"]
    search_fields = ["alliance__name", "user__username", "user__email"]
    list_select_related = ["alliance", "user"]
    autocomplete_fields = ["alliance", "user"]


@admin.register(KPI)
class KPIAdmin(admin.ModelAdmin):
    list_display = ["name", "alliance", "category", "target", "actual", "period", "is_current"]
    list_filter = ["category", "is_current"]
    search_fields = ["name", "alliance__name", "period"]
    list_select_related = ["alliance"]
    autocomplete_fields = ["alliance"]
