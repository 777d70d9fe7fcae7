import math

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice


def _normalise(code: str) -> str:
    """People paste codes with spaces or dashes; recovery codes are lower case."""
    return "".join(code.split()).replace("-", "").lower()


class CodeForm(forms.Form):
    """One code, checked against the user's devices: a 6-digit TOTP code goes to the
    authenticator, anything else to the recovery codes. Each device throttles its own
    wrong codes (django-otp doubles the wait after each failure: 1 s, 2 s, 4 s …)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, devices, allow_recovery=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = [device for device in devices if device is not None]
        self.allow_recovery = allow_recovery
        self.device = None
        if allow_recovery:
            self.fields["code"].help_text = _(
                "The 6-digit code from your authenticator app, or one of your recovery codes."
            )
        else:
            self.fields["code"].help_text = _("The 6-digit code your authenticator app shows now.")

    def clean_code(self):
        code = _normalise(self.cleaned_data["code"])
        is_totp = code.isdigit() and len(code) == 6
        candidates = [
            device
            for device in self.devices
            if isinstance(device, TOTPDevice) == is_totp or not self.allow_recovery
        ]
        if not candidates:
            raise forms.ValidationError(_("Enter the 6-digit code from your authenticator app."))
        for device in candidates:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                wait = math.ceil((info["locked_until"] - timezone.now()).total_seconds())
                raise forms.ValidationError(
                    ngettext(
                        "Too many wrong codes. Wait %(seconds)d second, then try again.",
                        "Too many wrong codes. Wait %(seconds)d seconds, then try again.",
                        max(wait, 1),
                    )
                    % {"seconds": max(wait, 1)},
                    code="throttled",
                )
        for device in candidates:
            if device.verify_token(code):
                self.device = device
                return code
        raise forms.ValidationError(
            _(
                "That code is not right. Codes change every 30 seconds: enter the one shown now "
                "(and check that your phone's clock is correct)."
            ),
            code="wrong",
        )


class PasswordLoginPolicy:
    """With PASSWORD_LOGIN off, only a superuser logs in with a password (the others by
    single sign-on). A wrong password and a right one of someone else get the same answer,
    so the form tells nobody whose password was right nor who is a superuser."""

    def get_invalid_login_error(self):
        if settings.PASSWORD_LOGIN:
            return super().get_invalid_login_error()
        return forms.ValidationError(
            _(
                "Log-in with a password is for administrators only: sign in through your "
                "company's single sign-on instead. Administrators: check the username and "
                "password."
            ),
            code="password_login_off",
        )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not settings.PASSWORD_LOGIN and not user.is_superuser:
            raise self.get_invalid_login_error()


class LoginForm(PasswordLoginPolicy, AuthenticationForm):
    pass


class AdminLoginForm(PasswordLoginPolicy, AdminAuthenticationForm):
    pass
