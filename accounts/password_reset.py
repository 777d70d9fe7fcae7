"""Password reset by e-mail (the view is accounts.views.PasswordResetView): the e-mail
on the one mail path (kit/mail.py), at most `PASSWORD_RESET_LIMIT` e-mails per address
and per account within `PASSWORD_RESET_WINDOW` seconds, and the same answer whether the
address is known or not. Django's links are single-use (they hash the password they
replace) and expire after `PASSWORD_RESET_TIMEOUT`; the new password ends every other
session (Django checks each session's password hash)."""

import hashlib

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.template.loader import render_to_string

from kit.mail import mail_queue
from kit.secret_links import count_in_window

MAIL_PURPOSE = "password_reset"


def _spent(identity: str) -> bool:
    """Count one e-mail for `identity`; whether it is over the limit of its window (the
    shared cache, so every web process agrees)."""
    key = f"password-reset:{hashlib.sha256(identity.encode()).hexdigest()}"
    count = count_in_window(key, window=settings.PASSWORD_RESET_WINDOW)
    return count > settings.PASSWORD_RESET_LIMIT


class PasswordResetForm(auth_forms.PasswordResetForm):
    def save(self, **kwargs):
        if _spent(f"address:{self.cleaned_data['email'].strip().lower()}"):
            return  # the same page as ever: nothing tells the address was throttled
        super().save(**kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        if _spent(f"account:{user.pk}"):
            return
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        mail_queue(
            to=[to_email],
            subject=subject,
            body=render_to_string(email_template_name, context),
            purpose=MAIL_PURPOSE,
            object_id=user.pk,
        )
