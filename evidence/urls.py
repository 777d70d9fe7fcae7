from django.urls import path

from evidence import views

app_name = "evidence"

FILE = "alliances/<slug:slug>/files/<id:pk>/"

urlpatterns = [
    path(
        "alliances/<slug:slug>/evidence/<slug:kind>/<id:pk>/",
        views.EvidenceFilesView.as_view(),
        name="files",
    ),
    path(FILE + "download/", views.EvidenceDownloadView.as_view(), name="download"),
    path(FILE + "delete/", views.EvidenceDeleteView.as_view(), name="delete"),
]
