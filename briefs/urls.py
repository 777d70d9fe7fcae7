from django.urls import path

from briefs import views

app_name = "briefs"

BRIEFS = "alliances/<slug:slug>/briefs/"
BRIEF = BRIEFS + "<id:pk>/"

urlpatterns = [
    path(BRIEFS, views.BriefListView.as_view(), name="list"),
    path(BRIEFS + "prepare/", views.BriefPrepareView.as_view(), name="prepare"),
    path(BRIEF, views.BriefDetailView.as_view(), name="detail"),
    path(BRIEF + "status/", views.BriefStatusView.as_view(), name="status"),
    path(BRIEF + "download/", views.BriefDownloadView.as_view(), name="download"),
    path(BRIEF + "retry/", views.BriefRetryView.as_view(), name="retry"),
]
