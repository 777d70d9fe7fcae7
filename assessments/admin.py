"""Assessments, answers and findings in the admin: read-only (they are run in the app,
where the access rules apply), each alliance's rows only for its team."""

from django.contrib import admin

from alliances.admin import AllianceScopedAdmin, HistoryAdmin
from assessments.models import Answer, Assessment, Finding, Response


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    fields = ["assessor", "status", "submitted_at", "reopened_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(AllianceScopedAdmin, admin.ModelAdmin):
    """Read-only in the admin: assessments are run in the app, where access rules apply."""

    list_display = ["title", "alliance", "version", "status", "created_at", "submitted_at"]
    list_filter = ["status", "version__bank"]
    list_select_related = ["alliance", "version__bank"]
    search_fields = ["title", "alliance__name"]
    inlines = [ResponseInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(AllianceScopedAdmin, HistoryAdmin):
    alliance_path = "response__assessment__alliance"
    list_display = ["question", "response", "choice", "is_na", "is_dont_know", "updated_at"]
    list_select_related = ["question", "response__assessor", "response__assessment", "choice"]
    search_fields = ["question__key", "response__assessment__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(AllianceScopedAdmin, HistoryAdmin):
    alliance_path = "assessment__alliance"
    list_display = ["question", "assessment", "classification", "owner", "due_date"]
    list_filter = ["classification"]
    list_select_related = ["question", "assessment"]
    search_fields = ["issue", "mitigation", "owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
