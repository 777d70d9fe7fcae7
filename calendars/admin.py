from django.contrib import admin

from calendars.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a feed; deleting one revokes it (its address cannot be read back)."""

    list_display = ["user", "created_at", "address_since"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "created_at", "address_since"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
