from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts.forms import AdminLoginForm
from accounts.language import set_language
from accounts.sso_views import CallbackView, StartView
from accounts.views import LoginView, PasswordResetView
from home.views import DashboardView, healthz

admin.site.site_header = "Alliance Readiness administration"
admin.site.site_title = "Alliance Readiness admin"
# The admin's log-in follows PASSWORD_LOGIN too (accounts/forms.py).
admin.site.login_form = AdminLoginForm

# Error pages in the site layout; 404 and 500 use Django's views with our templates.
handler400 = "home.views.bad_request"
handler403 = "home.views.permission_denied"

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    # Single sign-on by OpenID Connect (accounts/sso.py); 404 while OIDC_ISSUER is unset.
    path("accounts/sso/start/", StartView.as_view(), name="sso_login"),
    path("accounts/sso/callback/", CallbackView.as_view(), name="sso_callback"),
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
    path("", include("banks.urls")),
    path("", include("assessments.urls")),
    path("", include("decisions.urls")),
    path("", include("signoffs.urls")),
    path("", include("meetings.urls")),
    path("", include("assessments.partner.urls")),
    path("", include("briefs.urls")),
    path("", include("calendars.urls")),
    path("", include("evidence.urls")),
    path("api/v1/", include("api.urls")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("", include("portfolio.urls")),
    path("integrations/webhooks/", include("webhooks.urls")),
    path("", include("home.urls")),
]
