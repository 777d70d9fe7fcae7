from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.ManageView.as_view(), name="manage"),
    path("setup/", views.SetupView.as_view(), name="setup"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path(
        "recovery-codes/new/",
        views.RegenerateRecoveryCodesView.as_view(),
        name="regenerate_recovery_codes",
    ),
]
