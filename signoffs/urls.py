from django.urls import path

from signoffs import views

app_name = "signoffs"

S = "alliances/<slug:slug>/sign-off/"

urlpatterns = [
    path(S, views.SignOffView.as_view(), name="detail"),
    path(S + "request/", views.SignOffRequestView.as_view(), name="request"),
    path(S + "<id:pk>/", views.SignOffAnswerView.as_view(), name="answer"),
]
