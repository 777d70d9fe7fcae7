from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import TOKEN_NAME_MAX, ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=TOKEN_NAME_MAX,
        help_text=_("What it is for, e.g. “Power BI” or “weekly report script”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Read is enough for reports. A reporting system that sends KPI actuals needs "
            "“read, and post KPI actuals”: it may then post them to the alliances where you "
            "may edit KPIs."
        ),
    )

    def clean_scope(self):
        # A form posted without a scope (a script, an old page) makes a read-only token.
        return self.cleaned_data["scope"] or ApiToken.Scope.READ
