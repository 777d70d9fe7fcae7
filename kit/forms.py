"""Form helpers every app's views and forms share: the lowest app holds them, so
sponsors and assessments import them from here (dependencies point one way)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one of
    the form's fields, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def active_user_named(who: str):
    """The one active user whose username or e-mail is `who` (any case), or a
    ValidationError saying why there is none."""
    matches = list(
        get_user_model()
        .objects.filter(Q(username__iexact=who) | Q(email__iexact=who), is_active=True)
        .order_by("pk")[:2]
    )
    if not matches:
        raise forms.ValidationError(
            _("No active user has the username or email “%(who)s”.") % {"who": who}
        )
    if len(matches) > 1:
        raise forms.ValidationError(
            _("Several active users match: enter the exact username instead.")
        )
    return matches[0]
