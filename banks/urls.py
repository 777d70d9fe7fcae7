"""The question bank pages (banks/views.py), for question bank admins."""

from django.urls import path

from banks import views

app_name = "banks"

VERSION = "banks/versions/<id:pk>/"

urlpatterns = [
    path("banks/", views.BankListView.as_view(), name="list"),
    path(VERSION, views.VersionView.as_view(), name="version"),
    path(VERSION + "download/<slug:fmt>/", views.VersionDownloadView.as_view(), name="download"),
    path(VERSION + "new-draft/", views.VersionNewDraftView.as_view(), name="new_draft"),
    path(VERSION + "publish/", views.VersionPublishView.as_view(), name="publish"),
    path("banks/questions/<id:pk>/edit/", views.QuestionEditView.as_view(), name="question_edit"),
]
