"""The webhook endpoints' pages (webhooks/views.py), for superusers."""

from django.urls import path

from webhooks import views

app_name = "webhooks"

ENDPOINT = "<id:pk>/"

urlpatterns = [
    path("", views.EndpointListView.as_view(), name="list"),
    path("new/", views.EndpointCreateView.as_view(), name="create"),
    path(ENDPOINT, views.EndpointDetailView.as_view(), name="detail"),
    path(ENDPOINT + "edit/", views.EndpointUpdateView.as_view(), name="edit"),
    path(ENDPOINT + "rotate-secret/", views.EndpointRotateView.as_view(), name="rotate"),
    path(ENDPOINT + "delete/", views.EndpointDeleteView.as_view(), name="delete"),
    path("deliveries/<id:pk>/replay/", views.DeliveryReplayView.as_view(), name="replay"),
]
