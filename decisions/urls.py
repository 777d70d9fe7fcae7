from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path(
        "alliances/<slug:slug>/findings.<sheet:fmt>",
        views.FindingsExportView.as_view(),
        name="export_findings",
    ),
    path(
        "alliances/<slug:slug>/conditions/<id:pk>/",
        views.TrackedConditionView.as_view(),
        name="condition",
    ),
]
