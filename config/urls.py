from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts.language import set_language
from accounts.views import PasswordResetView
from home.views import DashboardView, healthz

admin.site.site_header = "Alliance Readiness administration"
admin.site.site_title = "Alliance Readiness admin"

# Error pages in the site layout; 404 and 500 use Django's views with our templates.
handler400 = "home.views.bad_request"
handler403 = "home.views.permission_denied"

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/", include("accounts.urls")),
    path("accounts/language/", set_language, name="set_language"),
    # The bank admin's pages moved with the bank models to the `banks` app: old links follow.
    re_path(
        r"^admin/assessments/(?P<model>questionbank|bankversion|dimension|question|choice)/"
        r"(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/banks/%(model)s/%(rest)s", query_string=True),
        name="bank_admin_moved",
    ),
    path("admin/", admin.site.urls),
    path("", include("alliances.urls")),
    path("", include("notifications.urls")),
    path("", include("sponsors.urls")),
    path("", include("assessments.urls")),
    path("", include("decisions.urls")),
    path("", include("signoffs.urls")),
    path("", include("assessments.partner.urls")),
    path("", include("briefs.urls")),
    path("api/v1/", include("api.urls")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("", include("portfolio.urls")),
    path("", include("home.urls")),
]
