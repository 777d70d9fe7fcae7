from django.contrib import admin
from django.db import models

from alliances.admin import AllianceScopedAdmin, AllianceScopedInline, RealIdAutocomplete
from sponsors.models import PeerLink, Signal, Sponsor, Sponsorship


class SponsorshipInline(AllianceScopedInline, admin.TabularInline):
    model = Sponsorship
    extra = 0
    autocomplete_fields = ["alliance"]
    fields = ["alliance", "side", "role", "since", "until"]
    show_change_link = True


@admin.register(Sponsor)
class SponsorAdmin(RealIdAutocomplete, admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "seniority", "business_unit", "user"]
    list_filter = ["seniority", "organisation__is_own"]
    search_fields = ["name", "title", "business_unit", "organisation__name", "user__username"]
    list_select_related = ["organisation", "user"]
    autocomplete_fields = ["organisation", "user"]
    inlines = [SponsorshipInline]


@admin.register(Sponsorship)
class SponsorshipAdmin(AllianceScopedAdmin, admin.ModelAdmin):
    list_display = ["sponsor", "alliance", "side", "role", "since", "until"]
    list_filter = ["side", "role"]
    search_fields = ["sponsor__name", "alliance__name"]
    list_select_related = ["sponsor", "alliance"]
    autocomplete_fields = ["sponsor", "alliance"]
    date_hierarchy = "since"


@admin.register(Signal)
class SignalAdmin(AllianceScopedAdmin, admin.ModelAdmin):
    alliance_path = "sponsorship__alliance"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["date", "kind", "sponsorship", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["note", "where", "sponsorship__sponsor__name", "sponsorship__alliance__name"]
    list_select_related = ["sponsorship__sponsor", "sponsorship__alliance", "recorded_by"]
    autocomplete_fields = ["sponsorship"]
    raw_id_fields = ["responds_to", "recorded_by"]
    date_hierarchy = "date"


@admin.register(PeerLink)
class PeerLinkAdmin(AllianceScopedAdmin, admin.ModelAdmin):
    list_display = ["alliance", "ours", "theirs", "strength", "last_contact"]
    list_filter = ["strength"]
    search_fields = ["alliance__name", "ours__name", "theirs__name"]
    list_select_related = ["alliance", "ours", "theirs"]
    autocomplete_fields = ["alliance", "ours", "theirs"]
