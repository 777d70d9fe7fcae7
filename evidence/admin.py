from django.contrib import admin

from alliances.admin import HistoryAdmin
from evidence.models import EvidenceFile


@admin.register(EvidenceFile)
class EvidenceFileAdmin(HistoryAdmin):
    """Read-only: files come and go through the pages (and their access checks)."""

    list_display = ("name", "alliance", "target_type", "state", "size", "uploaded_at", "deleted_at")
    list_filter = ("state",)
    search_fields = ("name", "sha256")
    # The stored file has no URL (private storage): its name, size and sha256 say which.
    exclude = ("file",)
    readonly_fields = [f.name for f in EvidenceFile._meta.fields if f.name != "file"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
