from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="list"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="read_all"),
    path("notifications/preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("notifications/<id:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("notifications/<id:pk>/read/", views.NotificationReadView.as_view(), name="read"),
]
