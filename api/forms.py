from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import TOKEN_NAME_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=TOKEN_NAME_MAX,
        help_text=_("What it is for, e.g. “Power BI” or “weekly report script”."),
    )
