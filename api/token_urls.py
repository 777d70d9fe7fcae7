from django.urls import path

from api import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.TokenListView.as_view(), name="list"),
    path("<id:pk>/revoke/", token_views.TokenRevokeView.as_view(), name="revoke"),
]
