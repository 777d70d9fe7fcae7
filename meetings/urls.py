from django.urls import path

from meetings import views

app_name = "meetings"

M = "alliances/<slug:slug>/meetings/"

urlpatterns = [
    path(M, views.MeetingListView.as_view(), name="list"),
    path(M + "plan/", views.MeetingPlanView.as_view(), name="plan"),
    path(M + "<id:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path(M + "<id:pk>/edit/", views.MeetingEditView.as_view(), name="edit"),
    path(M + "<id:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path(M + "<id:pk>/delete/", views.MeetingDeleteView.as_view(), name="delete"),
    path(
        M + "<id:pk>/actions/<id:action>/done/",
        views.ActionDoneView.as_view(),
        name="action_done",
    ),
]
