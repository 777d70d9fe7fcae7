from django.urls import path

from calendars import views

app_name = "calendars"

urlpatterns = [
    path("accounts/calendar/", views.FeedSettingsView.as_view(), name="settings"),
    path("accounts/calendar/rotate/", views.FeedRotateView.as_view(), name="rotate"),
    path("accounts/calendar/revoke/", views.FeedRevokeView.as_view(), name="revoke"),
    # The address is the credential (no log-in): calendars fetch it on their own.
    path("calendar/<str:token>.ics", views.PersonalFeedView.as_view(), name="feed"),
    path(
        "calendar/<str:token>/alliances/<slug:slug>.ics",
        views.AllianceFeedView.as_view(),
        name="alliance_feed",
    ),
]
